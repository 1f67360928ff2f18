// CURP validation on the device: a port of the Go package curp (see
// /work/shared/design/domain.md). Framework-free, so Vitest tests it alone;
// screens turn the code into a sentence with t(`field.curp_${code}`).
//
// validateCURP runs the checks in the Go order and reports the first failure:
// length, shape, state code, date (in the century of position 17; a date that
// exists only in the other century is invalid_century), check digit.

export type CurpErrorCode =
  | "invalid_length"
  | "invalid_shape"
  | "invalid_state"
  | "invalid_date"
  | "invalid_century"
  | "invalid_check_digit";

export interface CurpError {
  code: CurpErrorCode;
  /** the expected check digit (invalid_check_digit only) */
  expected?: string;
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";
const SHAPE = /^[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HM][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z][0-9]$/;
/** The 32 states' CURP codes, and NE for people born abroad. */
export const CURP_STATES = new Set(
  "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS NE".split(" "),
);

/** normalizeCURP trims and upper-cases user input (the only leniency). */
export function normalizeCURP(s: string): string {
  return s.trim().toUpperCase();
}

/** checkDigit computes the check digit of the first 17 characters, or null if they are not valid. */
export function checkDigit(first17: string): string | null {
  const chars = [...first17];
  if (chars.length !== 17) return null;
  let sum = 0;
  for (const [i, c] of chars.entries()) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) return null;
    sum += v * (18 - i);
  }
  return String((10 - (sum % 10)) % 10);
}

function century(s: string): number {
  return s[16] <= "9" ? 1900 : 2000;
}

/** dateIn returns "YYYY-MM-DD" of positions 5-10 in the century, or null when that date does not exist. */
function dateIn(s: string, c: number): string | null {
  const y = c + Number(s.slice(4, 6));
  const m = Number(s.slice(6, 8));
  const d = Number(s.slice(8, 10));
  return realDate(y, m, d) ? `${y}-${s.slice(6, 8)}-${s.slice(8, 10)}` : null;
}

/** realDate reports whether y-m-d exists in the Gregorian calendar. */
export function realDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  t.setUTCFullYear(y); // years below 100
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** validateCURP returns null for a valid (normalized) CURP, or its first error. */
export function validateCURP(s: string): CurpError | null {
  if ([...s].length !== 18) return { code: "invalid_length" };
  if (!SHAPE.test(s)) return { code: "invalid_shape" };
  if (!CURP_STATES.has(s.slice(11, 13))) return { code: "invalid_state" };
  const c = century(s);
  if (!dateIn(s, c)) return { code: dateIn(s, 3900 - c) ? "invalid_century" : "invalid_date" };
  const want = checkDigit(s.slice(0, 17));
  if (s[17] !== want) return { code: "invalid_check_digit", expected: want ?? undefined };
  return null;
}

/** curpBirthDate is the birth date "YYYY-MM-DD" of a valid CURP, or null. */
export function curpBirthDate(s: string): string | null {
  return validateCURP(s) ? null : dateIn(s, century(s));
}

/** curpSex is "H" or "M" of a valid CURP, or null. */
export function curpSex(s: string): "H" | "M" | null {
  return validateCURP(s) ? null : (s[10] as "H" | "M");
}

/** curpState is the birth state code (or NE) of a valid CURP, or null. */
export function curpState(s: string): string | null {
  return validateCURP(s) ? null : s.slice(11, 13);
}
