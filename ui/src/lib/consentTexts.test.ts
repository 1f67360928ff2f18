import { describe, expect, it } from "vitest";
import { currentTexts, versionOf, type ConsentText } from "./consentTexts";

const text = (purpose: string, version: string, published_at: string): ConsentText =>
  ({ purpose, version, published_at, text_es: `es ${version}`, text_en: `en ${version}` });

describe("currentTexts", () => {
  it("takes each purpose's latest version published by now, never a future one", () => {
    const texts = [
      text("registration", "2026-01", "2026-01-01 00:00:00.000Z"),
      text("registration", "2027-01", "2027-01-01 00:00:00.000Z"),
      text("registration", "2030-01", "2030-01-01 00:00:00.000Z"),
      text("share_nodess", "2026-01", "2026-01-01 00:00:00.000Z"),
    ];
    const current = currentTexts(texts, "2027-06-01 00:00:00.000Z");
    expect(current.get("registration")?.version).toBe("2027-01");
    expect(versionOf(current, "share_nodess")).toBe("2026-01");
    expect(versionOf(current, "sensitive_data")).toBe("2026-01"); // none pulled: the catalog's seed
  });
});
