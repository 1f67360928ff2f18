// English of ../collections.ts (t("collections.<key>")): `typeof es` makes a missing or extra key a type error.
import type { es } from "../collections";

export const en: typeof es = {
  states: "State",
  reception_points: "Reception point",
  nodess: "NODESS",
  returnees: "Person",
  consents: "Consent",
  referrals: "Referral",
  case_notes: "Note",
  returns: "Return",
  training_courses: "Course",
  enrollments: "Enrollment",
  savings_groups: "Savings group",
  group_members: "Member",
  ledger_entries: "Ledger entry",
  follow_ups: "Follow-up",
  outcomes: "How they are doing",
  cooperatives: "Cooperative",
  cooperative_members: "Cooperative member",
};
