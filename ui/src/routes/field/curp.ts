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

// Name letters (positions 1-4): a port of curp/name_letters.go; both are
// tested against curp/testdata/name_letters.json.

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const FOLDS: Record<string, string> = {
  Á: "A", À: "A", Ä: "A", É: "E", È: "E", Ë: "E", Í: "I", Ì: "I", Ï: "I",
  Ó: "O", Ò: "O", Ö: "O", Ú: "U", Ù: "U", Ü: "U", Ñ: "X",
};
/** The prepositions, conjunctions and contractions RENAPO drops from compound names. */
const PARTICLES = new Set(
  "DA DAS DE DEL DER DI DIE DD EL LA LOS LAS LE LES MAC MC VAN VON Y".split(" "),
);
/** María, José and their abbreviations: RENAPO takes the next given name instead. */
const COMMON_NAMES = new Set(["MARIA", "MA.", "MA", "JOSE", "J.", "J"]);
/** RENAPO's inconvenient words: their second letter becomes X. */
const INCONVENIENT = new Set(
  ("BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO FETO " +
    "GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO " +
    "LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE " +
    "PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY"
  ).split(" "),
);

/**
 * foldName upper-cases s, folds its accents away and writes Ñ as X, as the Go
 * curp.Fold: a character whose upper case is not one character (ß) stays.
 */
function foldName(s: string): string {
  return [...s]
    .map((c) => {
      const u = c.toUpperCase();
      return [...u].length === 1 ? (FOLDS[u] ?? u) : c;
    })
    .join("");
}

/** nameWords folds s and splits it into words, dropping particles unless nothing else is left. */
function nameWords(s: string): string[] {
  const words = foldName(s).split(/[ \t\n\r\u00a0]+/).filter(Boolean);
  const kept = words.filter((w) => !PARTICLES.has(w));
  return kept.length ? kept : words;
}

/** surnameWord is the word of a surname whose letters go into the CURP, or "". */
function surnameWord(s: string): string {
  return nameWords(s)[0] ?? "";
}

/** givenWord is the first given name, or the second when the first is María or José. */
function givenWord(s: string): string {
  const w = nameWords(s);
  return w.length > 1 && COMMON_NAMES.has(w[0]) ? w[1] : (w[0] ?? "");
}

const isLetter = (c: string) => c >= "A" && c <= "Z" && c.length === 1;
const isVowel = (c: string) => "AEIOU".includes(c) && c.length === 1;

/** initial is the first letter of a folded word, X for a blank word or a character other than A-Z. */
function initial(w: string): string {
  return w !== "" && isLetter(w[0]) ? w[0] : "X";
}

/** initials are the letters RENAPO may have written for a typed initial: an N may be an Ñ without its tilde. */
function initials(w: string): string {
  const c = initial(w);
  return c === "N" ? "NX" : c;
}

/** innerVowel is the first vowel after the initial; X when there is none or a character other than A-Z comes first. */
function innerVowel(w: string): string {
  for (const c of w.slice(1)) {
    if (!isLetter(c)) return "X";
    if (isVowel(c)) return c;
  }
  return "X";
}

/** decent replaces the second letter of an inconvenient word with X. */
function decent(w: string): string {
  return INCONVENIENT.has(w) ? w[0] + "X" + w.slice(2) : w;
}

/**
 * nameLetters returns positions 1-4 of the CURP that RENAPO derives from the
 * names (the Go curp.NameLetters, whose comment lists the rules): first
 * surname's initial and first inner vowel, second surname's initial, given
 * name's initial; particles dropped, compound names by their first word,
 * María/José giving way to a second name, Ñ and non-letters as X,
 * inconvenient words with X second.
 */
export function nameLetters(first: string, second: string, given: string): string {
  const f = surnameWord(first), s = surnameWord(second), g = givenWord(given);
  return decent(initial(f) + innerVowel(f) + initial(s) + initial(g));
}

/**
 * nameLettersMatch reports whether positions 1-4 of the CURP c (trimmed and
 * upper-cased) can be RENAPO's for the names typed (the Go
 * curp.NameLettersMatch). It equals nameLetters except where what was typed
 * leaves RENAPO's letter open: a blank second surname or given name allows
 * any letter there; a blank first surname reads the second as the first (with
 * both blank, positions 1-3 are open); a given name that is only María, José
 * or an abbreviation allows any letter in position 4; an N typed as an
 * initial also allows X (an Ñ typed without its tilde).
 */
export function nameLettersMatch(c: string, first: string, second: string, given: string): boolean {
  c = normalizeCURP(c);
  if (c.length < 4) return false;
  if (surnameWord(first) === "") [first, second] = [second, ""];
  const f = surnameWord(first), s = surnameWord(second), g = givenWord(given);
  const w = nameWords(given);
  const open = [
    f === "" ? LETTERS : initials(f),
    f === "" ? "AEIOUX" : innerVowel(f),
    s === "" ? LETTERS : initials(s),
    w.length === 0 || (w.length === 1 && COMMON_NAMES.has(w[0])) ? LETTERS : initials(g),
  ];
  if (!open[0].includes(c[0]) || !open[2].includes(c[2]) || !open[3].includes(c[3])) return false;
  // only position 2 differs between the raw letters and the decent ones
  return [...open[1]].some((v) => decent(c[0] + v + c.slice(2, 4)) === c.slice(0, 4));
}
