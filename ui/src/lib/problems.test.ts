import { describe, expect, it } from "vitest";
import type { Problem } from "../sync/db";
import type { Fields, Op } from "../sync/types";
import { groupProblems, nameOf, plainValue } from "./problems";

let n = 0;
function problem(collection: string, record_id: string, fields: Fields = {}, op: Op = "create"): Problem {
  const id = ++n;
  return {
    id,
    kind: "rejected",
    status: "rejected",
    at: "2026-05-04T18:00:00Z",
    mutation: { mutation_id: `m${id}`, collection, record_id, op, base_rev: 0, fields, client_ts: "" },
  };
}

const ana = "anaaaaaaaaaaaaa";
const luz = "luzzzzzzzzzzzzz";

describe("groupProblems", () => {
  it("puts the changes that depend on a refused person under the person, the person's own first", () => {
    const ret = problem("returns", "retaaaaaaaaaaaa", { returnee: ana });
    const person = problem("returnees", ana, { given_names: "Ana" });
    const consent = problem("consents", "conaaaaaaaaaaaa", { returnee: ana, purpose: "registration" });
    const note = problem("case_notes", "notaaaaaaaaaaaa", { text: "x" });
    const other = problem("returnees", luz, { phone: "1" }, "update");
    const groups = groupProblems([ret, person, note, consent, other]);
    expect(groups.map((g) => [g.person, g.problems.map((p) => p.id)])).toEqual([
      [ana, [person.id, ret.id, consent.id]],
      ["", [note.id]],
      [luz, [other.id]],
    ]);
  });

  it("asks for the person of a change that does not name one, and keeps changes of no person apart", () => {
    const update = problem("consents", "conaaaaaaaaaaaa", { withdrawn_at: "2026-05-04" }, "update");
    const a = problem("courses", "couaaaaaaaaaaaa", { title: "Soldadura" });
    const b = problem("courses", "coubbbbbbbbbbbb", { title: "Cocina" });
    const groups = groupProblems([update, a, b], (p) => (p.mutation.collection === "consents" ? luz : undefined));
    expect(groups.map((g) => [g.person, g.problems.length])).toEqual([
      [luz, 1],
      ["", 1],
      ["", 1],
    ]);
  });
});

describe("nameOf and plainValue", () => {
  it("name a record and hide what only a machine reads", () => {
    expect(nameOf({ given_names: "Ana María", first_surname: "Núñez" })).toBe("Ana María Núñez");
    expect(nameOf({ title: "Soldadura" })).toBe("Soldadura");
    expect(nameOf({ returnee: ana })).toBe("");
    expect(plainValue("Tlaquepaque")).toBe("Tlaquepaque");
    expect(plainValue(3)).toBe("3");
    expect(plainValue(ana)).toBe("");
    expect(plainValue(["es", "en"])).toBe("");
  });
});
