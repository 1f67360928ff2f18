// English of ../coordinator.ts (t("coordinator.<key>")): `typeof es` makes a missing or extra key a type error.
import type { es } from "../coordinator";

export const en: typeof es = {
  grants_title: "People opened by a new return",
  grants_intro: "A point of your state registered a new return of someone registered at another point, and now sees their record. Check that each case makes sense.",
  grants_show_reviewed: "Also show the reviewed ones",
  grants_offline: "The list could not be loaded: a connection is needed.",
  grants_none: "Nothing to review.",
  grants_by: "Registered by {worker} at {point}, {when}",
  grants_confirmed: "Identity confirmed with the person",
  grants_at_sync: "Recognised by their CURP at sync",
  grants_reviewed: "Reviewed",
  grants_note: "Review note (optional)",
  grants_mark: "Mark as reviewed",
};
