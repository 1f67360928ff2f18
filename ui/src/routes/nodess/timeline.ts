// A person's journey after the border as the NODESS's device holds it: their
// latest return (the date on the person: NODESS staff do not read returns),
// then the referrals, courses, savings groups, cooperatives, follow-ups and
// outcomes the node sees, oldest first.
import type { LocalRecord } from "../../sync/client";

export type StepKind = "return" | "referral" | "course" | "savings" | "cooperative" | "follow_up" | "outcome";

/** Step is one event of the journey: its day, its kind, what it was about and where it stands. */
export interface Step {
  day: string;
  kind: StepKind;
  /** the course's title, the group's or cooperative's name, the referral's service code */
  subject: string;
  /** a status or employment code, labelled by the screen */
  state: string;
}

export interface Records {
  referrals: LocalRecord[];
  enrollments: LocalRecord[];
  members: LocalRecord[];
  coopMembers: LocalRecord[];
  followUps: LocalRecord[];
  outcomes: LocalRecord[];
  /** courses, groups and cooperatives by id, for their names */
  names: Map<string, string>;
}

const day = (v: unknown) => String(v ?? "").slice(0, 10);

/** timeline lists the steps of person's journey, oldest first. */
export function timeline(person: LocalRecord, r: Records): Step[] {
  const steps: Step[] = [];
  if (person.repatriation_date) steps.push({ day: day(person.repatriation_date), kind: "return", subject: "", state: "" });
  for (const f of r.referrals) steps.push({ day: day(f.created), kind: "referral", subject: String(f.service ?? ""), state: String(f.status || "pending") });
  for (const e of r.enrollments) steps.push({ day: day(e.created), kind: "course", subject: r.names.get(String(e.course)) ?? "", state: String(e.status ?? "") });
  for (const m of r.members) steps.push({ day: day(m.joined_on || m.created), kind: "savings", subject: r.names.get(String(m.group)) ?? "", state: String(m.status ?? "") });
  for (const m of r.coopMembers) steps.push({ day: day(m.created), kind: "cooperative", subject: r.names.get(String(m.cooperative)) ?? "", state: String(m.status ?? "") });
  for (const f of r.followUps) steps.push({ day: day(f.done_on || f.due_on), kind: "follow_up", subject: String(f.kind ?? ""), state: String(f.status ?? "") });
  for (const o of r.outcomes) steps.push({ day: day(o.recorded_on), kind: "outcome", subject: "", state: String(o.employment ?? "") });
  return steps.filter((s) => s.day).sort((a, b) => a.day.localeCompare(b.day));
}
