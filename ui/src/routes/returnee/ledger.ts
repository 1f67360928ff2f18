// One member's savings and loans, from their ledger entries (docs/savings.md).
// Money is integer centavos. A reversal cancels the entry it names: both
// drop out of every total.

export interface Entry {
  id: string;
  type: string;
  amount_cents?: unknown;
  shares?: unknown;
  reverses?: unknown;
  meeting_date?: unknown;
}

export interface MemberTotals {
  /** share purchases: the member's savings */
  savings: number;
  shares: number;
  socialFundPaid: number;
  socialFundReceived: number;
  /** principal owed: disbursements less repayments */
  debt: number;
  /** one month's interest on debt, rounded half up */
  interestDue: number;
  interestPaid: number;
  fines: number;
  shareOut: number;
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : Number(v) || 0);

/** reversedIds are the ids of entries some reversal cancels. */
export function reversedIds(entries: Entry[]): Set<string> {
  return new Set(entries.filter((e) => e.type === "reversal" && e.reverses).map((e) => String(e.reverses)));
}

/** memberTotals sums a member's entries; monthlyInterestBp is the group's rate in basis points. */
export function memberTotals(entries: Entry[], monthlyInterestBp = 0): MemberTotals {
  const cancelled = reversedIds(entries);
  const t: MemberTotals = {
    savings: 0, shares: 0, socialFundPaid: 0, socialFundReceived: 0, debt: 0,
    interestDue: 0, interestPaid: 0, fines: 0, shareOut: 0,
  };
  for (const e of entries) {
    if (e.type === "reversal" || cancelled.has(e.id)) continue;
    const amount = num(e.amount_cents);
    switch (e.type) {
      case "share_purchase":
        t.savings += amount;
        t.shares += num(e.shares);
        break;
      case "social_fund":
        t.socialFundPaid += amount;
        break;
      case "social_fund_payout":
        t.socialFundReceived += amount;
        break;
      case "loan_disbursement":
        t.debt += amount;
        break;
      case "loan_repayment":
        t.debt -= amount;
        break;
      case "interest":
        t.interestPaid += amount;
        break;
      case "fine":
        t.fines += amount;
        break;
      case "share_out":
        t.shareOut += amount;
        break;
    }
  }
  const rate = Math.max(0, num(monthlyInterestBp));
  t.interestDue = t.debt > 0 ? Math.floor((t.debt * rate + 5000) / 10000) : 0;
  return t;
}

/** byDateDesc sorts entries newest meeting first. */
export function byDateDesc(a: Entry, b: Entry): number {
  return String(b.meeting_date ?? "").localeCompare(String(a.meeting_date ?? ""));
}
