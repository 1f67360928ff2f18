// The shift at a busy point: the people whose return was registered there
// today, on this device or a colleague's, sent or not. Framework-free (Vitest).

import { localDay } from "../../lib/dates";
import type { LocalRecord } from "../../sync/client";

export { localDay };

/**
 * registeredToday returns the people of the returns (the point's) that were
 * registered on day, latest first, each once; a person is pending while
 * either the person or that return has not reached the server.
 */
export function registeredToday(returns: LocalRecord[], people: LocalRecord[], day: string): LocalRecord[] {
  const byId = new Map(people.map((p) => [p.id, p]));
  const seen = new Set<string>();
  const out: LocalRecord[] = [];
  const latest = returns.filter((r) => localDay(r.registered_at) === day)
    .sort((a, b) => String(b.registered_at).localeCompare(String(a.registered_at)));
  for (const r of latest) {
    const p = byId.get(String(r.returnee));
    if (!p || seen.has(p.id)) continue;
    seen.add(p.id);
    out.push(r._pending && !p._pending ? { ...p, _pending: true } : p);
  }
  return out;
}
