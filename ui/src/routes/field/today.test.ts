import { describe, expect, it } from "vitest";
import type { LocalRecord } from "../../sync/client";
import { todayISO } from "./people";
import { localDay, registeredToday } from "./today";

const rec = (id: string, fields: Record<string, unknown> = {}, pending = false): LocalRecord => ({ id, rev: pending ? 0 : 1, _pending: pending, ...fields });

/** pb is a local time as PocketBase writes it (UTC). */
const pb = (y: number, m: number, d: number, h: number) => new Date(y, m - 1, d, h).toISOString().replace("T", " ");

describe("registeredToday", () => {
  it("lists each person registered today once, latest first, pending if the person or the return is", () => {
    const people = [rec("ana"), rec("luz"), rec("sol", {}, true), rec("eva")];
    const returns = [
      rec("r1", { returnee: "ana", registered_at: pb(2026, 5, 4, 8) }),
      rec("r2", { returnee: "luz", registered_at: pb(2026, 5, 4, 9) }, true),
      rec("r3", { returnee: "sol", registered_at: pb(2026, 5, 4, 10) }, true),
      rec("r4", { returnee: "ana", registered_at: pb(2026, 5, 4, 11) }),
      rec("r5", { returnee: "eva", registered_at: pb(2026, 5, 3, 23) }), // yesterday
      rec("r6", { returnee: "nobody", registered_at: pb(2026, 5, 4, 12) }), // not on this device
    ];
    const got = registeredToday(returns, people, "2026-05-04");
    expect(got.map((p) => [p.id, p._pending])).toEqual([
      ["ana", false],
      ["sol", true],
      ["luz", true],
    ]);
  });

  it("reads the day in the device's time zone", () => {
    const late = new Date(2026, 4, 4, 23, 30);
    expect(localDay(late.toISOString().replace("T", " "))).toBe(todayISO(late));
    expect(localDay("")).toBe("");
  });
});
