// Sync problems as the problems screen shows them: grouped by the person they
// concern, so that a refused registration and the changes that depend on it
// (its return, consents, referrals...) are read, fixed and discarded together.
// Framework-free (Vitest).

import type { Problem } from "../sync/db";
import { isRecordId } from "../sync/ids";
import type { Fields } from "../sync/types";

/** ProblemGroup is the problems of one person, or one problem of no person. */
export interface ProblemGroup {
  /** the id of the returnee the changes concern; "" for a change of no person */
  person: string;
  /** the person's own changes first, then the others in the order they came */
  problems: Problem[];
}

/**
 * groupProblems puts each problem under the person it concerns: a change of a
 * returnee under that returnee, a change of a record whose `returnee` is a
 * person (consents, returns, referrals...) under that person. returneeOf
 * gives the returnee of a record a change does not name (an update of a
 * consent sends only the changed fields). Groups come in the order of their
 * first problem.
 */
export function groupProblems(problems: Problem[], returneeOf: (p: Problem) => unknown = () => ""): ProblemGroup[] {
  const byPerson = new Map<string, ProblemGroup>();
  const groups: ProblemGroup[] = [];
  for (const p of problems) {
    const m = p.mutation;
    const ref = m.collection === "returnees" ? m.record_id : (m.fields.returnee ?? returneeOf(p));
    const person = isRecordId(ref) ? ref : "";
    let g = byPerson.get(person);
    if (!g) {
      g = { person, problems: [] };
      groups.push(g);
      if (person) byPerson.set(person, g);
    }
    g.problems.push(p);
  }
  const own = (p: Problem) => Number(p.mutation.collection === "returnees");
  for (const g of groups) g.problems.sort((a, b) => own(b) - own(a));
  return groups;
}

/** nameOf is what a record is called: a person's names, or its name or title; "" when it has none. */
export function nameOf(r: Fields | undefined): string {
  if (!r) return "";
  const names = [r.given_names, r.first_surname, r.second_surname].filter(Boolean).join(" ");
  return names || String(r.name ?? r.title ?? "");
}

/**
 * plainValue is a value as a person reads it, or "" for one that only a
 * machine reads (a record id, a list of codes, an object).
 */
export function plainValue(v: unknown): string {
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return typeof v === "string" && !isRecordId(v) ? v : "";
}
