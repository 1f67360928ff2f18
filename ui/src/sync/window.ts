// The device's window (docs/sync.md, "The device's window"): a field
// worker's phone holds the people of its point whose latest return is
// within the last N days, or who have an open referral, with the records
// about them. People enter the window by a write, which the pull brings;
// they leave it by the clock, with no write to tell the device, so the
// device prunes them by the same rule, with the window's first day that
// every pull page carries (hooks/sync_window.go is the server's side;
// devicesync/testdata/window_cases.json the cases both pass). What the
// device has not sent, or what the server refused and the worker has not
// reviewed, is never pruned: a person with queued changes or problems, or
// with records about them in that state, stays until they are settled.

import { chunksOf, type RetornoDB, type RecordRow } from "./db";
import type { Fields } from "./types";

/** The collection of people, and the field by which records are about a person. */
export const PEOPLE = "returnees";
const ABOUT = "returnee";
/** Referrals still open: the NODESS has not answered, or is following the person up. */
const OPEN_REFERRAL = ["", "pending", "accepted"];

/** inWindow: the person's latest return is on or after since (YYYY-MM-DD). */
export function inWindow(person: Fields, since: string): boolean {
  return String(person.repatriation_date ?? "").slice(0, 10) >= since;
}

/** openReferral: a referral the NODESS has not closed. */
function openReferral(r: RecordRow): boolean {
  return r.collection === "referrals" && OPEN_REFERRAL.includes(String(r.data.status ?? ""));
}

/**
 * pruneWindow drops from the device the people outside the window that
 * begins on since, and the records about them, chunk people at a time (a
 * transaction each, so that screens and writes go on meanwhile). It keeps
 * people with an open referral, and those with queued changes or problems
 * of their own or of a record about them. It returns the people dropped.
 */
export async function pruneWindow(db: RetornoDB, since: string, chunk = 500): Promise<number> {
  let dropped = 0;
  for await (const rows of chunksOf(db, PEOPLE, chunk)) {
    const out = rows.filter((r) => r.server && !r.pending && !inWindow(r.data, since)).map((r) => r.id);
    if (out.length === 0) continue;
    dropped += await db.transaction("rw", [db.records, db.problems], async () => {
      const reviewed = await problemPeople(db);
      let n = 0;
      for (const id of out) {
        const person = await db.records.get([PEOPLE, id]);
        if (!person?.server || person.pending || inWindow(person.data, since) || reviewed.has(id)) continue;
        const about = (await db.records.where("refs").equals(id).toArray()).filter((r) => r.data[ABOUT] === id);
        if (about.some((r) => r.pending || openReferral(r) || reviewed.has(r.id))) continue;
        await db.records.bulkDelete([[PEOPLE, id], ...about.map((r): [string, string] => [r.collection, r.id])]);
        n++;
      }
      return n;
    });
  }
  return dropped;
}

/** problemPeople: the ids of records and people that kept problems name. */
async function problemPeople(db: RetornoDB): Promise<Set<string>> {
  const ids = new Set<string>();
  // toArray, not each: a sealed table is read by rows, not a cursor (sealed.ts)
  for (const p of await db.problems.toArray()) {
    ids.add(p.mutation.record_id);
    if (typeof p.mutation.fields[ABOUT] === "string") ids.add(p.mutation.fields[ABOUT] as string);
  }
  return ids;
}
