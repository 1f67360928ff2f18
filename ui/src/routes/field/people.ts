// The field worker's person form: folding for search and duplicates, form
// validation, and the fields a save sends. Framework-free (Vitest).

import { fold } from "../../lib/names";
import { isE164, normalizePhone } from "../../lib/phone";
import { curpBirthDate, curpSex, curpState, nameLettersMatch, normalizeCURP, validateCURP, type CurpErrorCode } from "./curp";

type Fields = Record<string, unknown>;

/** The values of the person form, as the inputs hold them. */
export interface PersonForm {
  given_names: string;
  first_surname: string;
  second_surname: string;
  curp: string;
  /** the worker checked the document: the CURP is written so, though its letters differ from the form */
  curp_confirmed: boolean;
  birth_date: string;
  sex: string;
  birth_state: string;
  destination_state: string;
  destination_municipality: string;
  repatriation_date: string;
  phone: string;
  languages: string[];
  sector_in_us: string;
  years_in_us: string;
  skills: string;
  needs: string[];
}

export const TEXT_FIELDS = [
  "given_names", "first_surname", "second_surname", "curp", "birth_date", "sex", "birth_state",
  "destination_state", "destination_municipality", "repatriation_date", "phone", "sector_in_us", "skills",
] as const;

/** Choices of the returnees collection (pb_migrations/1764201602_create_people.go). */
export const SEXES = ["H", "M", "X"];
export const LANGUAGES = ["es", "en", "nah", "myn", "mix", "zap", "tzo", "tze", "oto", "other"];
export const SECTORS = ["agriculture", "food_services", "lodging", "construction", "gardening", "health_personal_care",
  "manufacturing", "transport", "domestic_work", "commerce", "other"];
export const NEEDS = ["documents", "shelter", "transport", "employment", "training", "health", "psychosocial", "legal",
  "family_contact", "financial"];
/**
 * The needs that are sensitive personal data (catalog.SensitiveNeeds): the
 * server stores them only while the person has a granted sensitive_data
 * consent, so forms offer them only then, and a registration sends them
 * after its consents (docs/PRIVACY.md).
 */
export const SENSITIVE_NEEDS = ["health", "psychosocial"];
export const PURPOSES = ["registration", "share_nodess", "contact_whatsapp", "contact_email", "sensitive_data"];
export const METHODS = ["verbal", "written", "digital"];
export const SERVICES = ["training", "savings_group", "cooperative", "employment", "health", "legal", "housing",
  "psychosocial", "documents", "other"];
/** The version of the privacy notice whose text the app shows (catalog field.notice_*). */
/** Services delivered at reception, recorded with a return (catalog.ReceptionServices). */
export const RECEPTION_SERVICES = ["constancia_repatriacion", "curp", "birth_certificate", "bienestar_card", "imss", "transport",
  "shelter", "food", "medical_care", "phone_call", "legal_advice", "consulate", "job_placement", "other"];
export const NOTICE_VERSION = "2026-01";

/** emptyForm is a blank form. */
export function emptyForm(): PersonForm {
  return {
    given_names: "", first_surname: "", second_surname: "", curp: "", curp_confirmed: false, birth_date: "", sex: "", birth_state: "",
    destination_state: "", destination_municipality: "", repatriation_date: "", phone: "", languages: [],
    sector_in_us: "", years_in_us: "", skills: "", needs: [],
  };
}

/** formOf fills the form from a record. */
export function formOf(r: Fields): PersonForm {
  const f = emptyForm();
  for (const k of TEXT_FIELDS) f[k] = String(r[k] ?? "");
  f.languages = Array.isArray(r.languages) ? (r.languages as string[]) : [];
  f.needs = Array.isArray(r.needs) ? (r.needs as string[]) : [];
  f.curp_confirmed = r.curp_confirmed === true;
  f.years_in_us = r.years_in_us ? String(r.years_in_us) : "";
  return f;
}

/** fold folds names for search and duplicates as the server's names.Fold does. */
export { fold };

/** fullName joins the names of a person. */
export function fullName(r: Fields | PersonForm): string {
  return [r.given_names, r.first_surname, r.second_surname].filter(Boolean).join(" ");
}

/** matchesSearch: every word of q is in the person's names, CURP or phone (accents and case ignored). */
export function matchesSearch(r: Fields, q: string): boolean {
  const words = fold(q).split(" ").filter(Boolean);
  if (words.length === 0) return true;
  const hay = `${fold(fullName(r))} ${fold(r.curp)} ${String(r.phone ?? "").replace(/\D/g, "")}`;
  const digits = q.replace(/[\s\-.()+]/g, "");
  if (/^\d+$/.test(digits) && String(r.phone ?? "").replace(/\D/g, "").includes(digits)) return true;
  return words.every((w) => hay.includes(w));
}

/** Why a record looks like the person being registered. */
export type DuplicateReason = "same_curp" | "same_name_birth";

/**
 * findDuplicates returns the people of the local copy who are likely the same
 * person: the same CURP, or the same folded given names and first surname
 * (and second surname when both have one) born the same day.
 */
export function findDuplicates<T extends Fields & { id: string }>(
  form: Pick<PersonForm, "given_names" | "first_surname" | "second_surname" | "birth_date" | "curp">,
  people: T[],
  excludeId = "",
): { record: T; reason: DuplicateReason }[] {
  const curp = normalizeCURP(form.curp);
  const given = fold(form.given_names), first = fold(form.first_surname), second = fold(form.second_surname);
  const out: { record: T; reason: DuplicateReason }[] = [];
  for (const r of people) {
    if (r.id === excludeId) continue;
    if (curp && normalizeCURP(String(r.curp ?? "")) === curp) {
      out.push({ record: r, reason: "same_curp" });
      continue;
    }
    const theirSecond = fold(r.second_surname);
    if (
      form.birth_date && r.birth_date === form.birth_date && given && fold(r.given_names) === given &&
      fold(r.first_surname) === first && (!second || !theirSecond || second === theirSecond)
    ) {
      out.push({ record: r, reason: "same_name_birth" });
    }
  }
  return out;
}

/** A field error: a key of the field catalog and its parameters. */
export interface FieldError {
  key: string;
  params?: Record<string, string>;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dayError(s: string, today: string, minYear: number): FieldError | null {
  const m = DAY.exec(s);
  if (!m) return { key: "err_date_invalid" };
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return { key: "err_date_invalid" };
  if (s > today) return { key: "err_date_future" };
  if (+m[1] < minYear) return { key: "err_date_too_old" };
  return null;
}

/** curpErrorKey is the catalog key of a CURP error code. */
export function curpErrorKey(code: CurpErrorCode): string {
  return `curp_${code}`;
}

/** The fields a CURP's letters are checked against, with the worker's confirmation (as hooks/returnees.go). */
const CURP_LETTER_FIELDS = ["curp", "given_names", "first_surname", "second_surname", "sex", "birth_state", "curp_confirmed"] as const;

/**
 * curpLetterMismatch is the catalog key of the first letter of the form's
 * CURP that contradicts the form: the names (positions 1-4, by RENAPO's
 * rules), the sex (11) or the state of birth (12-13). The worker may confirm
 * such a CURP (curp_confirmed: the document says so). It is null when every
 * letter agrees; when the CURP is blank, invalid or of another birth date
 * (mistakes to correct, not to confirm); and when before (the person as
 * stored) holds the same values of these fields, so that, as on the server,
 * a person stored before this check stays editable.
 */
export function curpLetterMismatch(f: PersonForm, stateCodes: Record<string, string>, before?: PersonForm): string | null {
  const curp = normalizeCURP(f.curp);
  if (!curp || validateCURP(curp) || (f.birth_date && curpBirthDate(curp) !== f.birth_date)) return null;
  if (before && CURP_LETTER_FIELDS.every((k) => f[k] === before[k])) return null;
  if (!nameLettersMatch(curp, f.first_surname, f.second_surname, f.given_names)) return "curp_name_mismatch";
  // X (non-binary) contradicts no CURP: a key keeps the letter it was issued with
  if ((f.sex === "H" || f.sex === "M") && curpSex(curp) !== f.sex) return "curp_sex_mismatch";
  // a CURP of someone born abroad (NE) contradicts a Mexican birth state
  if (f.birth_state && stateCodes[f.birth_state] && stateCodes[f.birth_state] !== curpState(curp)) return "curp_state_mismatch";
  return null;
}

/**
 * validatePerson checks the form and returns an error per field (empty when
 * valid). today is "YYYY-MM-DD"; stateCodes maps a state's record id to its
 * CURP code, to check the birth state against the CURP; before is the person
 * as stored, for an edit (see curpLetterMismatch).
 */
export function validatePerson(
  f: PersonForm, today: string, stateCodes: Record<string, string> = {}, before?: PersonForm,
): Record<string, FieldError> {
  const errs: Record<string, FieldError> = {};
  for (const k of ["given_names", "first_surname", "birth_date", "sex", "destination_state"] as const) {
    if (!f[k].trim()) errs[k] = { key: "err_required" };
  }
  for (const [k, max] of [["given_names", 100], ["first_surname", 100], ["second_surname", 100], ["destination_municipality", 150], ["skills", 1000]] as const) {
    if (f[k].trim().length > max) errs[k] = { key: "err_too_long", params: { max: String(max) } };
  }
  if (f.birth_date && !errs.birth_date) {
    const e = dayError(f.birth_date, today, 1900);
    if (e) errs.birth_date = e;
  }
  if (f.repatriation_date) {
    const e = dayError(f.repatriation_date, today, 1950);
    if (e) errs.repatriation_date = e;
    else if (f.birth_date && f.repatriation_date < f.birth_date) errs.repatriation_date = { key: "err_repatriation_before_birth" };
  }
  const curp = normalizeCURP(f.curp);
  if (curp) {
    const e = validateCURP(curp);
    if (e) errs.curp = { key: curpErrorKey(e.code), params: e.expected ? { digit: e.expected } : undefined };
    else if (f.birth_date && !errs.birth_date && curpBirthDate(curp) !== f.birth_date) errs.curp = { key: "curp_birth_date_mismatch" };
    else {
      const letters = curpLetterMismatch(f, stateCodes, before);
      if (letters && !f.curp_confirmed) errs.curp = { key: letters };
    }
  }
  const phone = normalizePhone(f.phone);
  if (phone && !isE164(phone)) errs.phone = { key: "err_phone" };
  if (f.years_in_us.trim()) {
    const n = Number(f.years_in_us);
    if (!Number.isInteger(n) || n < 0 || n > 80) errs.years_in_us = { key: "err_years" };
  }
  return errs;
}

/** fieldsOf returns what a save sends for the form (every field, normalized). */
export function fieldsOf(f: PersonForm): Fields {
  const out: Fields = {};
  for (const k of TEXT_FIELDS) out[k] = f[k].trim().replace(/\s+/g, " ");
  out.curp = normalizeCURP(f.curp);
  out.curp_confirmed = f.curp_confirmed;
  out.phone = normalizePhone(f.phone);
  out.skills = f.skills.trim();
  out.languages = [...f.languages];
  out.needs = [...f.needs];
  out.years_in_us = f.years_in_us.trim() ? Number(f.years_in_us) : 0;
  return out;
}

/** createFields is fieldsOf without the empty optional values. */
export function createFields(f: PersonForm): Fields {
  return Object.fromEntries(
    Object.entries(fieldsOf(f)).filter(([, v]) => !(v === "" || v === 0 || v === false || (Array.isArray(v) && v.length === 0))),
  );
}

function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) =>
    Array.isArray(v) ? [...v].sort().join("\u0000") : v === undefined || v === null || v === 0 || v === false ? "" : String(v);
  return norm(a) === norm(b);
}

/** changedFields returns only the fields of the form that differ from the record. */
export function changedFields(f: PersonForm, record: Fields): Fields {
  return Object.fromEntries(Object.entries(fieldsOf(f)).filter(([k, v]) => !same(v, record[k])));
}

/** todayISO is the local calendar day "YYYY-MM-DD". */
export function todayISO(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** activeConsent: the consent of a purpose that is granted and not withdrawn. */
export function activeConsent<T extends Fields>(consents: T[], purpose: string): T | undefined {
  return consents.find((c) => c.purpose === purpose && c.granted === true && !c.withdrawn_at);
}

/** nowPB is the device's time as PocketBase writes datetimes ("2026-12-04 18:00:00.000Z"). */
export function nowPB(d = new Date()): string {
  return d.toISOString().replace("T", " ");
}

/** isSensitive: a need that waits for the person's sensitive_data consent. */
export const isSensitive = (need: unknown): boolean => SENSITIVE_NEEDS.includes(String(need));
