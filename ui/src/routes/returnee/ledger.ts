// One member's savings and loans, from their ledger entries (docs/savings.md),
// by the group ledger's own rules (../nodess/ledger.ts): the same sums the
// NODESS sees and the server derives. Money is integer centavos. A reversal
// cancels the entry it names: both drop out of every total.

import { balances, interestDue, type Entry as LedgerEntry } from "../nodess/ledger";

/** Entry is a ledger entry as the device holds it (values not yet typed). */
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

/** memberTotals sums one member's entries; monthlyInterestBp is the group's rate in basis points. */
export function memberTotals(entries: Entry[], monthlyInterestBp = 0): MemberTotals {
  const typed: LedgerEntry[] = entries.map((e) => ({
    id: e.id, type: e.type, member: "member", amount_cents: num(e.amount_cents), shares: num(e.shares),
    meeting_date: String(e.meeting_date ?? ""), reverses: e.reverses ? String(e.reverses) : undefined,
  }));
  const a = balances(typed).accounts.get("member");
  return {
    savings: a?.savings ?? 0, shares: a?.shares ?? 0, socialFundPaid: a?.socialFund ?? 0, socialFundReceived: a?.socialReceived ?? 0,
    debt: a?.principal ?? 0, interestDue: interestDue(a?.principal ?? 0, num(monthlyInterestBp)), interestPaid: a?.interestPaid ?? 0,
    fines: a?.fines ?? 0, shareOut: a?.payout ?? 0,
  };
}

/** byDateDesc sorts entries newest meeting first. */
export function byDateDesc(a: Entry, b: Entry): number {
  return String(b.meeting_date ?? "").localeCompare(String(a.meeting_date ?? ""));
}
