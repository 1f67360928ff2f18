import { describe, expect, it } from "vitest";
import { fold, surnameKey } from "./names";
// the cases the server's names.SurnameKey passes
import surnameKeys from "../../../names/testdata/surname_keys.json";

const cases = surnameKeys;

describe("surnameKey", () => {
  it.each(cases.same)("$rule", ({ names, want }) => {
    for (const n of names) expect(surnameKey(n), n).toBe(want);
  });
  it("tells different surnames apart", () => {
    for (const [a, b] of cases.different) expect(surnameKey(a), `${a} ${b}`).not.toBe(surnameKey(b));
  });
});

describe("fold", () => {
  it("folds as the server does", () => {
    expect(fold("  María-José  DE LA Cruz. ")).toBe("maria jose de la cruz");
    expect(fold("Mª")).toBe("ma");
    expect(fold("Pe\u0301rez")).toBe("perez");
    expect(fold(undefined)).toBe("");
  });
});
