import { describe, expect, test } from "vitest";
import { checkDigit } from "./curp";
import {
  changedFields, createFields, curpLetterMismatch, emptyForm, findDuplicates, fold, formOf, matchesSearch, validatePerson, type PersonForm,
} from "./people";

const ana = { id: "aaaaaaaaaaaaaa1", given_names: "Ana María", first_surname: "Núñez", second_surname: "Peña",
  birth_date: "1990-05-04", curp: "", phone: "+526641234567" };
const beto = { id: "bbbbbbbbbbbbbb2", given_names: "José", first_surname: "López", second_surname: "",
  birth_date: "1956-06-26", curp: "SABC560626MDFLRN01", phone: "" };

function form(over: Partial<PersonForm>): PersonForm {
  return { ...emptyForm(), ...over };
}

/** withDigit completes the first 17 characters of a CURP. */
function withDigit(first17: string): string {
  return first17 + checkDigit(first17);
}

test("fold", () => {
  expect(fold("  María-José  DE LA Cruz.")).toBe("maria jose de la cruz");
  expect(fold("NÚÑEZ")).toBe("nunez");
  expect(fold(undefined)).toBe("");
});

describe("matchesSearch", () => {
  test("names without accents or case", () => {
    expect(matchesSearch(ana, "ana nunez")).toBe(true);
    expect(matchesSearch(ana, "NUÑEZ peña")).toBe(true);
    expect(matchesSearch(ana, "lopez")).toBe(false);
    expect(matchesSearch(ana, "")).toBe(true);
  });
  test("CURP and phone", () => {
    expect(matchesSearch(beto, "sabc5606")).toBe(true);
    expect(matchesSearch(ana, "664 123")).toBe(true);
    expect(matchesSearch(ana, "+52 664")).toBe(true);
    expect(matchesSearch(beto, "664")).toBe(false);
  });
});

describe("findDuplicates", () => {
  test("same folded names and birth date", () => {
    const got = findDuplicates(form({ given_names: "ana maria", first_surname: "NUNEZ", birth_date: "1990-05-04" }), [ana, beto]);
    expect(got.map((d) => [d.record.id, d.reason])).toEqual([[ana.id, "same_name_birth"]]);
  });
  test("a different second surname or birth date is someone else", () => {
    expect(findDuplicates(form({ given_names: "Ana María", first_surname: "Núñez", second_surname: "Ruiz", birth_date: "1990-05-04" }), [ana])).toEqual([]);
    expect(findDuplicates(form({ given_names: "Ana María", first_surname: "Núñez", birth_date: "1990-05-05" }), [ana])).toEqual([]);
  });
  test("same CURP, and the record itself is left out", () => {
    expect(findDuplicates(form({ given_names: "X", first_surname: "Y", curp: " sabc560626mdflrn01" }), [ana, beto])[0].reason).toBe("same_curp");
    expect(findDuplicates(form({ curp: "SABC560626MDFLRN01" }), [beto], beto.id)).toEqual([]);
  });
});

describe("validatePerson", () => {
  const today = "2026-11-27";
  const ok = form({ given_names: "Ana", first_surname: "Núñez", birth_date: "1956-06-26", sex: "M", destination_state: "s1" });
  // Ana Núñez, born 1956-06-26 in Mexico City (DF), or abroad (NE)
  const anaCURP = withDigit("NUXA560626MDFNXN0");
  const anaAbroad = withDigit("NUXA560626MNENXN0");
  test("a complete form is valid", () => {
    expect(validatePerson(ok, today)).toEqual({});
    expect(validatePerson({ ...ok, curp: anaCURP.toLowerCase(), phone: "+52 664 123 4567" }, today)).toEqual({});
  });
  test("required fields", () => {
    expect(Object.keys(validatePerson(emptyForm(), today)).sort()).toEqual(
      ["birth_date", "destination_state", "first_surname", "given_names", "sex"]);
  });
  test("dates", () => {
    expect(validatePerson({ ...ok, birth_date: "2027-01-01" }, today).birth_date.key).toBe("err_date_future");
    expect(validatePerson({ ...ok, birth_date: "1990-02-30" }, today).birth_date.key).toBe("err_date_invalid");
    expect(validatePerson({ ...ok, birth_date: "1890-02-03" }, today).birth_date.key).toBe("err_date_too_old");
    expect(validatePerson({ ...ok, repatriation_date: "1950-02-03" }, today).repatriation_date.key).toBe("err_repatriation_before_birth");
  });
  test("CURP: check digit, and agreement with the birth date, sex and state", () => {
    expect(validatePerson({ ...ok, curp: "SABC560626MDFLRN02" }, today).curp).toEqual({ key: "curp_invalid_check_digit", params: { digit: "1" } });
    expect(validatePerson({ ...ok, curp: "BEML920313HMCLNS09" }, today).curp.key).toBe("curp_birth_date_mismatch");
    expect(validatePerson({ ...ok, sex: "H", curp: anaCURP }, today).curp.key).toBe("curp_sex_mismatch");
    expect(validatePerson({ ...ok, birth_state: "bc", curp: anaCURP }, today, { bc: "BC" }).curp.key).toBe("curp_state_mismatch");
    expect(validatePerson({ ...ok, birth_state: "bc", curp: anaAbroad }, today, { bc: "BC" }).curp.key).toBe("curp_state_mismatch");
    expect(validatePerson({ ...ok, birth_state: "", curp: anaAbroad }, today, { bc: "BC" }).curp).toBeUndefined();
  });
  test("CURP: its first four letters against the names, by RENAPO's rules", () => {
    expect(validatePerson({ ...ok, curp: "SABC560626MDFLRN01" }, today).curp.key).toBe("curp_name_mismatch");
    expect(validatePerson({ ...ok, given_names: "Rosa", curp: anaCURP }, today).curp.key).toBe("curp_name_mismatch");
    expect(validatePerson({ ...ok, second_surname: "Peña", curp: anaCURP }, today).curp.key).toBe("curp_name_mismatch");
    // María gives way to the next given name; an N typed for Ñ; a blank second surname contradicts nothing
    expect(validatePerson({ ...ok, given_names: "María Ana", first_surname: "Nunez", curp: anaCURP }, today).curp).toBeUndefined();
    expect(validatePerson({ ...ok, curp: withDigit("NUPA560626MDFNXN0") }, today).curp).toBeUndefined();
  });
  test("CURP: a letter mismatch the document confirms is no error; another birth date is", () => {
    const rosa = { ...ok, given_names: "Rosa", curp: anaCURP, curp_confirmed: true };
    expect(validatePerson(rosa, today).curp).toBeUndefined();
    expect(curpLetterMismatch(rosa, {})).toBe("curp_name_mismatch"); // the form still offers the confirmation
    expect(validatePerson({ ...ok, sex: "H", birth_state: "bc", curp: anaCURP, curp_confirmed: true }, today, { bc: "BC" }).curp).toBeUndefined();
    expect(validatePerson({ ...ok, curp: "BEML920313HMCLNS09", curp_confirmed: true }, today).curp.key).toBe("curp_birth_date_mismatch");
    expect(curpLetterMismatch({ ...ok, curp: "SABC560626MDFLRN02" }, {})).toBeNull(); // an invalid CURP is corrected, not confirmed
    expect(curpLetterMismatch({ ...ok, curp: anaCURP }, {})).toBeNull();
  });
  test("CURP: an edit checks the letters only when it changes them, as the server", () => {
    const stored = { ...ok, given_names: "Rosa", curp: anaCURP }; // saved before the check
    expect(validatePerson({ ...stored, phone: "664 123 4567" }, today, {}, stored).curp).toBeUndefined();
    expect(validatePerson({ ...stored, given_names: "Rosa María" }, today, {}, stored).curp.key).toBe("curp_name_mismatch");
    expect(validatePerson({ ...stored, curp_confirmed: true }, today, {}, { ...stored, curp_confirmed: true }).curp).toBeUndefined();
    expect(validatePerson(stored, today, {}, { ...stored, curp_confirmed: true }).curp.key).toBe("curp_name_mismatch");
  });
  test("phone and years", () => {
    expect(validatePerson({ ...ok, phone: "12ab" }, today).phone.key).toBe("err_phone");
    expect(validatePerson({ ...ok, years_in_us: "81" }, today).years_in_us.key).toBe("err_years");
  });
});

test("createFields drops empty optional values; changedFields keeps only changes", () => {
  const f = form({ given_names: " Ana  María ", first_surname: "Núñez", birth_date: "1990-05-04", sex: "M", destination_state: "s1", phone: "664 123 4567" });
  expect(createFields(f)).toEqual({ given_names: "Ana María", first_surname: "Núñez", birth_date: "1990-05-04", sex: "M", destination_state: "s1", phone: "+526641234567" });
  const record = { ...createFields(f), years_in_us: 0, languages: ["en", "es"], needs: [] };
  const again = formOf(record);
  expect(changedFields(again, record)).toEqual({});
  again.phone = "6640000000";
  again.languages = ["es", "en"];
  expect(changedFields(again, record)).toEqual({ phone: "+526640000000" });
  // the confirmation of the CURP: sent when given or taken back
  expect(createFields({ ...f, curp_confirmed: true }).curp_confirmed).toBe(true);
  expect(changedFields({ ...again, curp_confirmed: true }, record)).toEqual({ phone: "+526640000000", curp_confirmed: true });
  expect(formOf({ ...record, curp_confirmed: true }).curp_confirmed).toBe(true);
  expect(changedFields(formOf(record), { ...record, curp_confirmed: true })).toEqual({ curp_confirmed: false });
});
