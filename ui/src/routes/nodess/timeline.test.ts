import { describe, expect, it } from "vitest";
import { timeline } from "./timeline";
import type { LocalRecord } from "../../sync/client";

const rec = (fields: Record<string, unknown>) => ({ id: "x", _pending: false, ...fields }) as unknown as LocalRecord;

describe("timeline", () => {
  it("lists the journey oldest first, with names and states", () => {
    const steps = timeline(rec({ repatriation_date: "2026-03-02" }), {
      referrals: [rec({ created: "2026-03-03 10:00:00.000Z", service: "training", status: "accepted" })],
      enrollments: [rec({ created: "2026-04-01 09:00:00.000Z", course: "c1", status: "completed" })],
      members: [rec({ joined_on: "2026-05-10", created: "2026-05-09 00:00:00.000Z", group: "g1", status: "active" })],
      coopMembers: [rec({ created: "2026-07-01 00:00:00.000Z", cooperative: "k1", status: "requested" })],
      followUps: [rec({ due_on: "2026-04-03", kind: "call", status: "scheduled" }), rec({ due_on: "2026-06-03", done_on: "2026-06-05", kind: "visit", status: "done" })],
      outcomes: [rec({ recorded_on: "2026-08-01", employment: "cooperative" })],
      names: new Map([["c1", "Carpintería"], ["g1", "Ahorro Unido"], ["k1", "Mezcal del Sur"]]),
    });
    expect(steps.map((s) => [s.day, s.kind, s.subject, s.state])).toEqual([
      ["2026-03-02", "return", "", ""],
      ["2026-03-03", "referral", "training", "accepted"],
      ["2026-04-01", "course", "Carpintería", "completed"],
      ["2026-04-03", "follow_up", "call", "scheduled"],
      ["2026-05-10", "savings", "Ahorro Unido", "active"],
      ["2026-06-05", "follow_up", "visit", "done"],
      ["2026-07-01", "cooperative", "Mezcal del Sur", "requested"],
      ["2026-08-01", "outcome", "", "cooperative"],
    ]);
  });
  it("leaves out what has no date", () => {
    expect(timeline(rec({}), { referrals: [], enrollments: [], members: [], coopMembers: [], followUps: [], outcomes: [], names: new Map() })).toEqual([]);
  });
});
