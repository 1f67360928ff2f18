// The field home's reads, by index only (framework-free): what a screen can
// afford to re-read whenever a page of the first sync lands, whatever the
// size of the point's window. Reading every local person on each change
// swung a phone's heap between 150 and 514 MB at 262,000 people (issue 16).

import { dayKey } from "../../lib/lookup";
import { todayISO } from "../../lib/dates";
import type { LocalRecord, SyncClient } from "../../sync/client";
import { registeredToday } from "./today";

/** RECENT_DAYS: the days of registrations the home lists before a search. */
export const RECENT_DAYS = 7;

/**
 * registeredOn returns the people whose return was registered at point on
 * each of the days (latest first, each once, pending first as registeredToday
 * marks them), through the returns' day lookups.
 */
export async function registeredOn(sync: SyncClient, point: string, days: string[]): Promise<LocalRecord[]> {
  const returns = (await Promise.all(days.map((d) => sync.lookup("returns", dayKey(point, d))))).flat();
  const ids = [...new Set(returns.map((r) => String(r.returnee)))];
  const people = (await Promise.all(ids.map((id) => sync.get("returnees", id)))).filter((p): p is LocalRecord => !!p);
  const out: LocalRecord[] = [];
  for (const day of days) out.push(...registeredToday(returns, people, day).filter((p) => !out.some((o) => o.id === p.id)));
  return out;
}

/** lastDays is today and the n-1 days before it, on the device's calendar, latest first. */
export function lastDays(n: number, now = new Date()): string[] {
  return Array.from({ length: n }, (_, i) => todayISO(new Date(now.getFullYear(), now.getMonth(), now.getDate() - i)));
}

/** recentHome is the home's list before a search: the people not yet sent, then those registered in the last days. */
export async function recentHome(sync: SyncClient, point: string): Promise<LocalRecord[]> {
  const [pending, recent] = await Promise.all([sync.pendingOf("returnees"), registeredOn(sync, point, lastDays(RECENT_DAYS))]);
  return [...pending, ...recent.filter((p) => !pending.some((q) => q.id === p.id))];
}
