import { describe, expect, test } from "vitest";
import { checkDigit, curpBirthDate, curpSex, curpState, nameLetters, nameLettersMatch, normalizeCURP, validateCURP } from "./curp";
// the cases of the Go tests too (curp/name_letters_test.go): the two ports cannot drift
import nameCases from "../../../../curp/testdata/name_letters.json";

describe("validateCURP", () => {
  // the cases of curp/curp_test.go; the first two are domain.md's examples
  const cases: [string, string, string | null][] = [
    ["valid 1956 (domain.md, sum 1979)", "SABC560626MDFLRN01", null],
    ["valid 1992 (domain.md)", "BEML920313HMCLNS09", null],
    ["valid born abroad", "GOMJ850101HNERRN01", null],
    ["valid letter century 2005", "LOPA050715MJCPRNA2", null],
    ["valid feb 29 2000", "PERA000229HDFRRNA5", null],
    ["valid dec 31 1999", "PERA991231HDFRRN02", null],
    ["empty", "", "invalid_length"],
    ["17 chars", "SABC560626MDFLRN0", "invalid_length"],
    ["19 chars", "SABC560626MDFLRN011", "invalid_length"],
    ["not normalised spaces", " SABC560626MDFLRN01", "invalid_length"],
    ["lowercase", "sabc560626mdflrn01", "invalid_shape"],
    ["consonant at position 2", "SBBC560626MDFLRN01", "invalid_shape"],
    ["letter in date", "SABC56O626MDFLRN01", "invalid_shape"],
    ["sex X", "SABC560626XDFLRN01", "invalid_shape"],
    ["vowel at position 14", "SABC560626MDFARN01", "invalid_shape"],
    ["vowel at position 16", "SABC560626MDFLRE01", "invalid_shape"],
    ["digit at position 14", "SABC560626MDF1RN01", "invalid_shape"],
    ["symbol at position 17", "SABC560626MDFLRN-1", "invalid_shape"],
    ["letter check digit", "SABC560626MDFLRN0A", "invalid_shape"],
    ["enye", "SAÑC560626MDFLRN01", "invalid_shape"],
    ["unknown state XX", "SABC560626MXXLRN01", "invalid_state"],
    ["unknown state DX", "SABC560626MDXLRN01", "invalid_state"],
    ["month 13", "SABC561326MDFLRN01", "invalid_date"],
    ["month 00", "SABC560026MDFLRN01", "invalid_date"],
    ["day 32", "SABC560632MDFLRN01", "invalid_date"],
    ["day 00", "SABC560600MDFLRN01", "invalid_date"],
    ["feb 30", "SABC990230MDFLRN01", "invalid_date"],
    ["feb 29 2001", "PERA010229HDFRRNA5", "invalid_date"],
    ["apr 31", "SABC560431MDFLRN01", "invalid_date"],
    ["feb 29 1900", "PERA000229HDFRRN05", "invalid_century"],
    ["wrong check digit", "SABC560626MDFLRN02", "invalid_check_digit"],
    ["wrong check digit letter century", "LOPA050715MJCPRNA3", "invalid_check_digit"],
  ];
  test.each(cases)("%s: %s", (_name, input, want) => {
    expect(validateCURP(input)?.code ?? null).toBe(want);
  });

  test("a wrong check digit names the expected one", () => {
    expect(validateCURP("SABC560626MDFLRN02")).toEqual({ code: "invalid_check_digit", expected: "1" });
  });
});

test.each([
  ["SABC560626MDFLRN0", "1"],
  ["BEML920313HMCLNS0", "9"],
  ["GOMJ850101HNERRN0", "1"],
  ["LOPA050715MJCPRNA", "2"],
  ["PERA000229HDFRRNA", "5"],
  ["SAÑC560626MDFLRN0", "3"], // Ñ = 24
  ["SABC560626MDFLRN", null],
  ["SABC560626MDFLRn0", null],
])("checkDigit(%s) = %s", (first17, want) => {
  expect(checkDigit(first17)).toBe(want);
});

test("normalizeCURP", () => {
  expect(normalizeCURP("  sabc560626mdflrn01\t\n")).toBe("SABC560626MDFLRN01");
  expect(validateCURP(normalizeCURP(" beml920313hmclns09 "))).toBeNull();
});

// birth date, sex and state of a CURP: null for one that is not valid
test.each([
  ["SABC560626MDFLRN01", "1956-06-26", "M", "DF"],
  ["LOPA050715MJCPRNA2", "2005-07-15", "M", "JC"],
  ["PERA000229HDFRRNA5", "2000-02-29", "H", "DF"],
  ["BEML920313HMCLNS09", "1992-03-13", "H", "MC"],
  ["GOMJ850101HNERRN01", "1985-01-01", "H", "NE"],
  ["SABC560626MDFLRN02", null, null, null],
])("%s: born %s, sex %s, state %s", (curp, birth, sex, state) => {
  expect([curpBirthDate(curp), curpSex(curp), curpState(curp)]).toEqual([birth, sex, state]);
});

describe("nameLetters (curp/testdata/name_letters.json)", () => {
  test("the fixture holds its cases", () => {
    expect(nameCases.letters.length).toBeGreaterThanOrEqual(40);
    expect(nameCases.match.length).toBeGreaterThan(0);
  });
  test.each(nameCases.letters)("$first / $second / $given: $want ($why)", ({ first, second, given, want }) => {
    expect(nameLetters(first, second, given)).toBe(want);
  });
});

test("every letter, vowel, letter, letter keeps its vowel unless it is an inconvenient word", () => {
  const list = new Set(nameCases.inconvenient);
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const wrong: string[] = [];
  for (const a of letters) for (const v of "AEIOU") for (const b of letters) for (const d of letters) {
    const w = a + v + b + d;
    const want = list.has(w) ? a + "X" + b + d : w;
    if (nameLetters(a + v, b, d) !== want) wrong.push(w);
  }
  expect(wrong).toEqual([]);
});

describe("nameLettersMatch (curp/testdata/name_letters.json)", () => {
  test.each(nameCases.match)("$curp: $first / $second / $given: $want ($why)", ({ curp, first, second, given, want }) => {
    expect(nameLettersMatch(curp, first, second, given)).toBe(want);
  });
});
