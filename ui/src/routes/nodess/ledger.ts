// A savings group's ledger on the device: the balances and summary the
// server's savings package derives (savings/ledger.go, savings/summary.go),
// computed from the local copy so that they show offline, and the checks a
// meeting's entries must pass before they are queued (docs/savings.md).
// All amounts are integer centavos.

export interface Entry {
  id: string;
  type: string;
  member?: string;
  shares?: number;
  amount_cents: number;
  meeting_date: string;
  reverses?: string;
}

export interface GroupTerms {
  id?: string;
  status?: string;
  cycle_start: string;
  cycle_end: string;
  share_value_cents: number;
  monthly_interest_bp?: number;
  min_shares: number;
  max_shares: number;
}

export interface Membership {
  id: string;
  returnee: string;
  status: string;
}

export interface Account {
  shares: number;
  savings: number;
  principal: number;
  interestPaid: number;
  fines: number;
  socialFund: number;
  socialReceived: number;
  payout: number;
}

const zero = (): Account => ({ shares: 0, savings: 0, principal: 0, interestPaid: 0, fines: 0, socialFund: 0, socialReceived: 0, payout: 0 });

interface Effect {
  loanFund: number;
  socialFund: number;
  member: string;
  account: Partial<Account>;
}

// What each type of entry does (savings.effectOf): the fund it pays into
// (+1) or out of (-1), and the field of the member's account it adds the
// amount to, with its sign. A share purchase also adds its shares.
const EFFECTS: Record<string, [fund: "loanFund" | "socialFund", flow: 1 | -1, field: keyof Account, sign: 1 | -1]> = {
  share_purchase: ["loanFund", 1, "savings", 1],
  loan_repayment: ["loanFund", 1, "principal", -1],
  interest: ["loanFund", 1, "interestPaid", 1],
  fine: ["loanFund", 1, "fines", 1],
  loan_disbursement: ["loanFund", -1, "principal", 1],
  share_out: ["loanFund", -1, "payout", 1],
  social_fund: ["socialFund", 1, "socialFund", 1],
  social_fund_payout: ["socialFund", -1, "socialReceived", 1],
};

function effectOf(e: Entry): Effect {
  const f: Effect = { loanFund: 0, socialFund: 0, member: e.member ?? "", account: {} };
  const effect = EFFECTS[e.type];
  if (!effect) return f;
  const [fund, flow, field, sign] = effect;
  f[fund] = flow * e.amount_cents;
  f.account = { [field]: sign * e.amount_cents };
  if (e.type === "share_purchase") f.account.shares = e.shares ?? 0;
  return f;
}

export interface Balances {
  loanFund: number;
  socialFund: number;
  accounts: Map<string, Account>;
}

/** balances adds up entries (a reversal undoes the entry it names). */
export function balances(entries: Entry[]): Balances {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const b: Balances = { loanFund: 0, socialFund: 0, accounts: new Map() };
  for (const e of entries) {
    let f: Effect;
    if (e.type === "reversal") {
      const original = e.reverses ? byId.get(e.reverses) : undefined;
      if (!original || original.type === "reversal") {
        f = { loanFund: 0, socialFund: 0, member: e.member ?? "", account: {} };
      } else {
        const o = effectOf(original);
        f = { loanFund: -o.loanFund, socialFund: -o.socialFund, member: o.member, account: {} };
        for (const [k, v] of Object.entries(o.account)) (f.account as Record<string, number>)[k] = -(v as number);
      }
    } else {
      f = effectOf(e);
    }
    b.loanFund += f.loanFund;
    b.socialFund += f.socialFund;
    if (f.member) {
      const acc = b.accounts.get(f.member) ?? zero();
      for (const [k, v] of Object.entries(f.account)) (acc as unknown as Record<string, number>)[k] += v as number;
      b.accounts.set(f.member, acc);
    }
  }
  return b;
}

/** interestDue is one month's interest on principal, rounded half up (savings.InterestDue). */
export function interestDue(principal: number, bp: number): number {
  if (principal <= 0 || bp <= 0) return 0;
  return Math.floor((principal * bp + 5000) / 10000);
}

export interface MemberSummary {
  member: string;
  returnee: string;
  status: string;
  shares: number;
  savings_cents: number;
  debt_cents: number;
  interest_due_cents: number;
  interest_paid_cents: number;
  fines_cents: number;
  social_fund_cents: number;
  social_fund_received_cents: number;
  payout_cents: number;
}

/** Summary has the fields of GET /api/savings-groups/{id}/summary. */
export interface Summary {
  entries: number;
  loan_fund_cents: number;
  social_fund_cents: number;
  total_shares: number;
  savings_cents: number;
  loans_outstanding_cents: number;
  interest_due_cents: number;
  interest_paid_cents: number;
  fines_cents: number;
  shared_out_cents: number;
  members: MemberSummary[];
}

/** summarize derives a group's summary as the server's route does. */
export function summarize(group: GroupTerms, memberships: Membership[], entries: Entry[]): Summary {
  const b = balances(entries);
  const bp = group.monthly_interest_bp ?? 0;
  const s: Summary = {
    entries: entries.length,
    loan_fund_cents: b.loanFund,
    social_fund_cents: b.socialFund,
    total_shares: 0,
    savings_cents: 0,
    loans_outstanding_cents: 0,
    interest_due_cents: 0,
    interest_paid_cents: 0,
    fines_cents: 0,
    shared_out_cents: 0,
    members: [],
  };
  const seen = new Set<string>();
  const add = (id: string, returnee: string, status: string) => {
    seen.add(id);
    const a = b.accounts.get(id) ?? zero();
    const due = interestDue(a.principal, bp);
    s.members.push({
      member: id, returnee, status, shares: a.shares, savings_cents: a.savings, debt_cents: a.principal,
      interest_due_cents: due, interest_paid_cents: a.interestPaid, fines_cents: a.fines,
      social_fund_cents: a.socialFund, social_fund_received_cents: a.socialReceived, payout_cents: a.payout,
    });
    s.total_shares += a.shares;
    s.savings_cents += a.savings;
    s.loans_outstanding_cents += a.principal;
    s.interest_due_cents += due;
    s.interest_paid_cents += a.interestPaid;
    s.fines_cents += a.fines;
    s.shared_out_cents += a.payout;
  };
  for (const m of [...memberships].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) add(m.id, m.returnee, m.status);
  for (const id of [...b.accounts.keys()].filter((id) => !seen.has(id)).sort()) add(id, "", "");
  return s;
}

/** meetingDates are the distinct meeting dates of the entries, oldest first. */
export function meetingDates(entries: Entry[]): string[] {
  return [...new Set(entries.map((e) => e.meeting_date.slice(0, 10)))].sort();
}

/** One member's line of a meeting: shares bought and amounts in centavos (0: none). */
export interface MeetingLine {
  member: string;
  shares: number;
  social_fund: number;
  fine: number;
  interest: number;
  repayment: number;
  loan: number;
}

/** A refusal of a meeting's line: the field and an i18n key of the nodess catalog, with params. */
export interface MeetingError {
  member: string; // "" for the meeting itself
  field: keyof MeetingLine | "date";
  key: string;
  params?: Record<string, string | number>;
}

/** Inflows before outflows: the order the entries are queued, so that each is valid on arrival. */
export const ENTRY_ORDER: { field: Exclude<keyof MeetingLine, "member">; type: string }[] = [
  { field: "shares", type: "share_purchase" },
  { field: "social_fund", type: "social_fund" },
  { field: "fine", type: "fine" },
  { field: "interest", type: "interest" },
  { field: "repayment", type: "loan_repayment" },
  { field: "loan", type: "loan_disbursement" },
];

/**
 * checkMeeting checks a meeting's lines against the group and the entries
 * already recorded, with the server's rules: the date in the cycle and not
 * before the last meeting, shares within min..max for the meeting, interest
 * and repayments only on a debt (repayments up to it), and the loans within
 * the loan fund's cash at the close of the meeting.
 */
export function checkMeeting(group: GroupTerms, entries: Entry[], date: string, lines: MeetingLine[]): MeetingError[] {
  const errors: MeetingError[] = [];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    errors.push({ member: "", field: "date", key: "meeting_date_required" });
    return errors;
  }
  if (date < group.cycle_start.slice(0, 10) || date > group.cycle_end.slice(0, 10)) {
    errors.push({ member: "", field: "date", key: "meeting_outside_cycle" });
  }
  const dates = meetingDates(entries);
  const last = dates[dates.length - 1];
  if (last && date < last) errors.push({ member: "", field: "date", key: "meeting_before_last", params: { date: last } });
  const before = balances(entries);
  const sameDay = entries.filter((e) => e.meeting_date.slice(0, 10) === date);
  const reversed = new Set(entries.filter((e) => e.type === "reversal" && e.reverses).map((e) => e.reverses));
  let inflow = 0;
  let loans = 0;
  for (const l of lines) {
    for (const k of ["shares", "social_fund", "fine", "interest", "repayment", "loan"] as const) {
      const v = l[k];
      if (!Number.isInteger(v) || v < 0) errors.push({ member: l.member, field: k, key: "amount_invalid" });
    }
    const debt = before.accounts.get(l.member)?.principal ?? 0;
    if (l.shares > 0) {
      const already = sameDay
        .filter((e) => e.type === "share_purchase" && e.member === l.member && !reversed.has(e.id))
        .reduce((n, e) => n + (e.shares ?? 0), 0);
      const total = already + l.shares;
      if (total > group.max_shares || total < group.min_shares) {
        errors.push({ member: l.member, field: "shares", key: "shares_range", params: { min: group.min_shares, max: group.max_shares } });
      }
    }
    if (l.repayment > 0 && l.repayment > debt) {
      errors.push({ member: l.member, field: "repayment", key: "repayment_exceeds", params: { debt } });
    }
    if (l.interest > 0 && debt <= 0) errors.push({ member: l.member, field: "interest", key: "interest_no_loan" });
    inflow += l.shares * group.share_value_cents + l.fine + l.interest + l.repayment;
    loans += l.loan;
  }
  const cash = before.loanFund + inflow;
  if (loans > cash) errors.push({ member: "", field: "loan", key: "loans_exceed_fund", params: { cash: Math.max(cash, 0) } });
  return errors;
}

/** meetingEntries turns a meeting's lines into ledger entry fields, inflows first. */
export function meetingEntries(group: GroupTerms & { id: string }, date: string, lines: MeetingLine[], notes: { loan?: string } = {}): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const { field, type } of ENTRY_ORDER) {
    for (const l of lines) {
      const v = l[field];
      if (!v) continue;
      const e: Record<string, unknown> = { group: group.id, member: l.member, type, meeting_date: date };
      if (field === "shares") {
        e.shares = v;
        e.amount_cents = v * group.share_value_cents;
      } else {
        e.amount_cents = v;
      }
      if (field === "loan" && notes.loan) e.note = notes.loan;
      out.push(e);
    }
  }
  return out;
}
