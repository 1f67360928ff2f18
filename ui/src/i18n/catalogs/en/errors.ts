// English of ../errors.ts (t("errors.<key>")): `typeof es` makes a missing or extra key a type error.
import type { es } from "../errors";

export const en: typeof es = {
  validation_failed: "Some data is not valid.",
  forbidden: "You are not allowed to make this change.",
  not_found: "The record does not exist or you no longer have access.",
  immutable: "Ledger entries cannot change: record a correcting entry.",
  unknown_collection: "This kind of record is not synced.",
  too_large: "The change is too large to send.",
  bad_request: "The server did not understand the change.",
  validation_required: "This is required.",
  validation_invalid_email: "The email is not valid.",
  validation_invalid_value: "The value is not valid.",
  validation_invalid_format: "The format is not valid.",
  validation_length_out_of_range: "The length is not valid.",
  validation_min_greater_equal_than_required: "The value is too small.",
  validation_max_less_equal_than_required: "The value is too large.",
  validation_not_unique: "This value is already registered.",
  validation_values_mismatch: "The values do not match.",
  validation_missing_rel_records: "The related record does not exist or you have no access.",
  validation_invalid_curp: "The CURP is not valid.",
  outside_scope: "You can only register people at your own reception point.",
  unknown: "Something went wrong.",
};
