import { describe, expect, test } from "vitest";
import { memberTotals } from "./ledger";

describe("memberTotals", () => {
  test("sums savings, debt and interest due of one member", () => {
    const t = memberTotals(
      [
        { id: "a", type: "share_purchase", shares: 5, amount_cents: 50000 },
        { id: "b", type: "social_fund", amount_cents: 2000 },
        { id: "c", type: "loan_disbursement", amount_cents: 170000 },
        { id: "d", type: "loan_repayment", amount_cents: 56667 },
        { id: "e", type: "interest", amount_cents: 8500 },
        { id: "f", type: "fine", amount_cents: 250 },
      ],
      500,
    );
    expect(t).toEqual({
      savings: 50000, shares: 5, socialFundPaid: 2000, socialFundReceived: 0, debt: 113333,
      // 5 % of 1,133.33 = 56.66650 -> 56.67 (half up)
      interestDue: 5667, interestPaid: 8500, fines: 250, shareOut: 0,
    });
  });

  test("a reversal cancels the entry it names", () => {
    const t = memberTotals([
      { id: "a", type: "share_purchase", shares: 2, amount_cents: 20000 },
      { id: "b", type: "share_purchase", shares: 1, amount_cents: 10000 },
      { id: "c", type: "reversal", shares: 1, amount_cents: 10000, reverses: "b" },
    ]);
    expect(t).toMatchObject({ savings: 20000, shares: 2 });
  });

  test("no debt, no interest due; half up rounding", () => {
    expect(memberTotals([], 500).interestDue).toBe(0);
    // 10 centavos at 5 %: 0.5 -> 1
    expect(memberTotals([{ id: "x", type: "loan_disbursement", amount_cents: 10 }], 500).interestDue).toBe(1);
  });
});
