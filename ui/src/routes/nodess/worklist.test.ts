import { describe, expect, it } from "vitest";
import type { LocalRecord } from "../../sync/client";
import { addDays, overdueReferrals, worklist } from "./worklist";

const rec = (id: string, fields: Record<string, unknown>) => ({ id, ...fields }) as unknown as LocalRecord;

describe("worklist", () => {
  it("adds days across months and years", () => {
    expect(addDays("2026-12-29", 6)).toBe("2027-01-04");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
  });

  it("sorts scheduled follow-ups into overdue, this week and later", () => {
    const today = "2026-12-05";
    const list = worklist([
      rec("later1", { due_on: "2026-12-12", status: "scheduled" }),
      rec("week2", { due_on: "2026-12-11", status: "scheduled" }),
      rec("week1", { due_on: "2026-12-05" }),
      rec("over1", { due_on: "2026-12-04", status: "scheduled" }),
      rec("done1", { due_on: "2026-12-01", status: "done" }),
      rec("cancel", { due_on: "2026-12-06", status: "cancelled" }),
    ], today);
    expect(list.overdue.map((f) => f.id)).toEqual(["over1"]);
    expect(list.week.map((f) => f.id)).toEqual(["week1", "week2"]);
    expect(list.later.map((f) => f.id)).toEqual(["later1"]);
  });

  it("lists referrals pending or accepted past their due date", () => {
    const got = overdueReferrals([
      rec("r1", { status: "pending", due_on: "2026-11-30" }),
      rec("r2", { status: "accepted", due_on: "2026-11-01" }),
      rec("r3", { status: "attended", due_on: "2026-11-01" }),
      rec("r4", { status: "pending", due_on: "2026-12-05" }),
      rec("r5", { status: "pending" }),
    ], "2026-12-05");
    expect(got.map((r) => r.id)).toEqual(["r2", "r1"]);
  });
});
