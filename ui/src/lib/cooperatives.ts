// The stage rule of migrant cooperatives, as the server holds it
// (catalog.MinMembers, hooks/cooperatives.go; catalog's tests check the
// numbers): a cooperative's stage needs its active returnee members plus its
// members who are not returnees. The server refuses a stage they do not
// reach, and steps a cooperative back when members leave.
import type { LocalRecord } from "../sync/client";

/** MIN_MEMBERS is the members each stage needs; other stages need none. */
export const MIN_MEMBERS: Record<string, number> = {
  social_group: 3,
  legally_constituted: 5,
  inaes_requested: 5,
  inaes_supported: 5,
};

/** memberCount is what counts for the stage: active memberships of coop among members, plus its other_members. */
export function memberCount(coop: LocalRecord, members: LocalRecord[]): number {
  const active = members.filter((m) => m.cooperative === coop.id && m.status === "active").length;
  return active + (Number(coop.other_members) || 0);
}

/** missingFor is how many more members stage needs with count members (0: it may be set). */
export function missingFor(stage: string, count: number): number {
  return Math.max(0, (MIN_MEMBERS[stage] ?? 0) - count);
}
