// The two languages of every catalog say the same things: each feature's
// catalogs/<feature>.json has an English twin catalogs/en/<feature>.json with
// the same keys, the same forms (a plain string, or {one, other}) and the same
// {placeholders} in each form. (JSON has no `typeof es` to check it.)
import { describe, expect, it } from "vitest";

type Json = Record<string, unknown>;

const spanish = import.meta.glob<Json>("./catalogs/*.json", { eager: true, import: "default" });
const english = import.meta.glob<Json>("./catalogs/en/*.json", { eager: true, import: "default" });

/** forms is a message by form ("" for a plain string, "one" and "other" for a plural), or null if it is neither. */
function forms(msg: unknown): Record<string, string> | null {
  if (typeof msg === "string") return { "": msg };
  if (typeof msg !== "object" || msg === null) return null;
  const plural = msg as Record<string, unknown>;
  const keys = Object.keys(plural).sort().join();
  return keys === "one,other" && typeof plural.one === "string" && typeof plural.other === "string"
    ? { one: plural.one, other: plural.other }
    : null;
}

/** placeholders lists the {names} of a text, sorted, once each. */
function placeholders(text: string): string {
  return [...new Set(Array.from(text.matchAll(/\{(\w+)\}/g), (m) => `{${m[1]}}`))].sort().join(" ");
}

/** mismatches lists what a Spanish catalog and its English twin do not share, one line each. */
function mismatches(feature: string, es: Json, en: Json): string[] {
  const out: string[] = [];
  for (const key of Object.keys(en)) if (!(key in es)) out.push(`${feature}.${key}: in English, not in Spanish`);
  for (const [key, msg] of Object.entries(es)) {
    const name = `${feature}.${key}`;
    if (!(key in en)) {
      out.push(`${name}: in Spanish, not in English`);
      continue;
    }
    const a = forms(msg);
    const b = forms(en[key]);
    if (a === null || b === null) {
      out.push(`${name}: ${a === null ? "Spanish" : "English"} is neither a string nor {one, other}`);
      continue;
    }
    const shape = (f: Record<string, string>) => (Object.keys(f).join() === "" ? "a string" : "{one, other}");
    if (shape(a) !== shape(b)) {
      out.push(`${name}: Spanish is ${shape(a)}, English ${shape(b)}`);
      continue;
    }
    for (const form of Object.keys(a)) {
      const [pa, pb] = [placeholders(a[form]), placeholders(b[form])];
      if (pa !== pb) out.push(`${name}${form && "." + form}: Spanish has placeholders [${pa}], English [${pb}]`);
    }
  }
  return out;
}

const feature = (path: string) => path.replace(/^.*\/([^/]+)\.json$/, "$1");

describe("the catalogs", () => {
  it("come in pairs: catalogs/<feature>.json and catalogs/en/<feature>.json", () => {
    expect(Object.keys(english).map(feature).sort()).toEqual(Object.keys(spanish).map(feature).sort());
  });

  it("have the same keys, forms and placeholders in Spanish and in English", () => {
    const out: string[] = [];
    for (const [path, es] of Object.entries(spanish)) {
      const en = english[path.replace("./catalogs/", "./catalogs/en/")];
      if (en) out.push(...mismatches(feature(path), es, en));
    }
    expect(out).toEqual([]);
  });

  it("report a key, a plural form or a placeholder that one language lacks", () => {
    const es = {
      same: "Hola {name}",
      only_es: "Solo",
      plural: { one: "{count} cambio", other: "{count} cambios" },
      flat: "Texto",
      renamed: "Hola {name}",
      odd: { one: "a" },
    };
    const en = {
      same: "Hello {name}",
      only_en: "Only",
      plural: { one: "1 change", other: "{count} changes" },
      flat: { one: "Text", other: "Texts" },
      renamed: "Hello {nombre}",
      odd: { one: "a" },
    };
    expect(mismatches("f", es, en)).toEqual([
      "f.only_en: in English, not in Spanish",
      "f.only_es: in Spanish, not in English",
      "f.plural.one: Spanish has placeholders [{count}], English []",
      "f.flat: Spanish is a string, English {one, other}",
      "f.renamed: Spanish has placeholders [{name}], English [{nombre}]",
      "f.odd: Spanish is neither a string nor {one, other}",
    ]);
  });
});
