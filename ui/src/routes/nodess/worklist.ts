// The NODESS worklist: scheduled follow-ups by when they are due (overdue,
// this week, later) and the referrals the node has let pass their due date.
// Pure functions of the device's records and today's date, so that the
// worklist works offline and is tested without a browser.
import type { LocalRecord } from "../../sync/client";

/** addDays is the calendar date n days after day ("YYYY-MM-DD"). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

export interface Worklist {
  /** scheduled, due before today */
  overdue: LocalRecord[];
  /** scheduled, due today or in the next six days */
  week: LocalRecord[];
  /** scheduled, due after that */
  later: LocalRecord[];
}

const byDue = (a: LocalRecord, b: LocalRecord) =>
  String(a.due_on ?? "").localeCompare(String(b.due_on ?? "")) || a.id.localeCompare(b.id);

/** worklist sorts the scheduled follow-ups among followUps by their due date, earliest first. */
export function worklist(followUps: LocalRecord[], today: string): Worklist {
  const out: Worklist = { overdue: [], week: [], later: [] };
  const weekEnd = addDays(today, 6);
  for (const f of [...followUps].sort(byDue)) {
    if ((f.status || "scheduled") !== "scheduled") continue;
    const due = String(f.due_on ?? "");
    if (due < today) out.overdue.push(f);
    else if (due <= weekEnd) out.week.push(f);
    else out.later.push(f);
  }
  return out;
}

/** overdueReferrals are the referrals still pending or accepted after their due date, most overdue first. */
export function overdueReferrals(referrals: LocalRecord[], today: string): LocalRecord[] {
  return referrals
    .filter((r) => ["pending", "accepted"].includes(String(r.status || "pending")) && !!r.due_on && String(r.due_on) < today)
    .sort(byDue);
}
