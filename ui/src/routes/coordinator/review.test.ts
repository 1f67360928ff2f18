import { beforeAll, describe, expect, it } from "vitest";
import { i18n, loadMessages } from "../../i18n/index.svelte";
import { personOf, reasonOf, type Conflict } from "./review";

const ana = "anaaaaaaaaaaaaa";

function conflict(fields: Partial<Conflict>): Conflict {
  return {
    id: "c1", created: "2026-11-25 10:00:00.000Z", kind: "rejected", auth_collection: "staff", auth_id: "s1",
    collection_name: "returnees", record_id: ana, op: "create", field: "", yours: null, kept: null, lost: null,
    code: "", message: "", details: null, resolved: false, resolution_note: "", ...fields,
  };
}

beforeAll(async () => {
  i18n.locale = "es";
  await Promise.all([loadMessages("coordinator"), loadMessages("labels")]);
});

describe("personOf", () => {
  it("names the person a change concerns, but not a refused registration's (not on the server)", () => {
    expect(personOf(conflict({ op: "update" }))).toBe(ana);
    expect(personOf(conflict({ op: "create", yours: { given_names: "Ana" } }))).toBe("");
    expect(personOf(conflict({ collection_name: "consents", record_id: "x", yours: { returnee: ana } }))).toBe(ana);
    expect(personOf(conflict({ collection_name: "consents", record_id: "x", op: "update", yours: { granted: false } }))).toBe("");
  });
});

describe("reasonOf", () => {
  it("says why in Spanish, each refused field by its label, never a field name or code", () => {
    const why = reasonOf(conflict({
      code: "validation_failed", message: "Failed to validate.",
      details: { birth_date: { code: "validation_required", message: "Cannot be blank." }, _not_kept: "1 field(s)" },
    }));
    expect(why).toEqual({ text: "Algunos datos no son válidos.", fields: [{ label: "Fecha de nacimiento", text: "Este dato es obligatorio." }] });
  });

  it("shows what a merge kept and replaced, values as people read them", () => {
    const why = reasonOf(conflict({ kind: "field_conflict", op: "update", field: "phone", kept: "+526641111111", lost: "+526642222222" }));
    expect(why.text).toContain("Teléfono");
    expect(why.fields).toEqual([{ label: "Quedó", text: "+526641111111" }, { label: "Se reemplazó", text: "+526642222222" }]);
    // a record id is no value to read
    expect(reasonOf(conflict({ kind: "field_conflict", field: "birth_state", kept: "abcdefghijklmno", lost: "" })).fields).toEqual([]);
  });
});
