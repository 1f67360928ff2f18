// English of ../problems.ts (t("problems.<key>")): `typeof es` makes a missing or extra key a type error.
import type { es } from "../problems";

export const en: typeof es = {
  title: "Sync problems",
  intro: "These changes were not saved on the server as you sent them. Fix and resend them, or discard them.",
  none: "No problems. Everything sent was saved.",
  kind_rejected: "Rejected",
  kind_invalid: "Rejected",
  kind_conflict: "Deleted on the server",
  kind_merged: "Also edited by someone else",
  op_create: "New",
  op_update: "Change",
  op_delete: "Deletion",
  conflict_text: "The record was deleted on the server; your change was kept for review.",
  merged_text: "Someone else changed the same data. Your value was saved; the previous one was kept for review.",
  field_yours: "Your value: {value}",
  resend: "Fix and resend",
  discard: "Discard",
  discard_confirm: {
    one: "Discard this change? It is erased from this phone and will not reach the server.",
    other: "Discard these {count} changes? They are erased from this phone and will not reach the server.",
  },
  discard_yes: "Yes, discard",
  depends: "Depends on the registration of {name}: it is saved when that registration is.",
  someone: "Person with no name on this phone",
  field_other: "Other data",
  acknowledge: "OK",
  at: "Server answer: {when}",
};
