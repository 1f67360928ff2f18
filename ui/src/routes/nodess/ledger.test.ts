import { describe, expect, it } from "vitest";
import { balances, checkMeeting, interestDue, meetingEntries, summarize, type Entry } from "./ledger";

const group = { id: "g1", cycle_start: "2026-09-01", cycle_end: "2027-06-30", share_value_cents: 5000, monthly_interest_bp: 500, min_shares: 1, max_shares: 5 };
const e = (id: string, type: string, member: string, amount: number, date = "2026-09-10", extra: Partial<Entry> = {}): Entry => ({
  id, type, member, amount_cents: amount, meeting_date: date, ...extra,
});

describe("ledger", () => {
  it("derives balances and the summary like the server", () => {
    const entries = [
      e("a", "share_purchase", "m1", 10000, "2026-09-10", { shares: 2 }),
      e("b", "share_purchase", "m2", 20000, "2026-09-10", { shares: 4 }),
      e("c", "social_fund", "m1", 1000),
      e("d", "loan_disbursement", "m2", 20000, "2026-09-24"),
      e("f", "fine", "m1", 250, "2026-09-24"),
      e("g", "interest", "m2", 1000, "2026-10-08"),
      e("h", "loan_repayment", "m2", 5000, "2026-10-08"),
      e("i", "fine", "m1", 300, "2026-10-08"),
      e("j", "reversal", "m1", 300, "2026-10-08", { reverses: "i" }),
    ];
    const b = balances(entries);
    expect(b).toMatchObject({ loanFund: 30000 - 20000 + 250 + 1000 + 5000, socialFund: 1000 });
    const s = summarize(group, [{ id: "m2", returnee: "r2", status: "active" }, { id: "m1", returnee: "r1", status: "active" }], entries);
    expect(s.members.map((m) => m.member)).toEqual(["m1", "m2"]);
    expect(s).toMatchObject({ total_shares: 6, loans_outstanding_cents: 15000, interest_due_cents: 750, fines_cents: 250, entries: 9 });
  });

  it("rounds interest half up", () => {
    expect(interestDue(10010, 50)).toBe(50);
    expect(interestDue(10100, 50)).toBe(51);
    expect(interestDue(0, 500)).toBe(0);
  });

  it("checks a meeting and queues inflows before loans", () => {
    const entries = [e("a", "share_purchase", "m1", 10000, "2026-09-10", { shares: 2 }), e("d", "loan_disbursement", "m1", 5000, "2026-09-10")];
    const line = (member: string, o: Partial<Record<string, number>>) => ({ member, shares: 0, social_fund: 0, fine: 0, interest: 0, repayment: 0, loan: 0, ...o });
    expect(checkMeeting(group, entries, "2026-09-24", [line("m1", { shares: 1, repayment: 5000 }), line("m2", { shares: 2, loan: 15000 })])).toEqual([]);
    const errs = checkMeeting(group, entries, "2026-09-01", [
      line("m1", { shares: 6, repayment: 6000 }), line("m2", { interest: 100, loan: 90000 }),
    ]).map((x) => x.key);
    expect(errs).toEqual(["meeting_before_last", "shares_range", "repayment_exceeds", "interest_no_loan", "loans_exceed_fund"]);
    const out = meetingEntries(group, "2026-09-24", [line("m1", { loan: 100, shares: 1 }), line("m2", { shares: 2, social_fund: 500 })]);
    expect(out.map((x) => x.type)).toEqual(["share_purchase", "share_purchase", "social_fund", "loan_disbursement"]);
    expect(out[1]).toMatchObject({ member: "m2", shares: 2, amount_cents: 10000 });
  });
});
