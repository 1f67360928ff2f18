// The wording of each consent purpose, by version (consent_texts, reference
// data pulled to every device): the field app shows a purpose's current
// wording when it asks for a consent, and stores its version with the
// consent (text_version; docs/PRIVACY.md, "Consent wording").

import { i18n, t } from "../i18n/index.svelte";

/** ConsentText is one version of a purpose's wording. */
export interface ConsentText {
  purpose: string;
  version: string;
  text_es: string;
  text_en: string;
  published_at: string;
}

/** SEEDED_VERSION is the version of the wording the catalogs hold (the migration's seed). */
export const SEEDED_VERSION = "2026-01";

/**
 * currentTexts picks, for each purpose, the latest version published by
 * now (an ISO or PocketBase datetime compares as text).
 */
export function currentTexts(texts: readonly ConsentText[], now = new Date().toISOString().replace("T", " ")): Map<string, ConsentText> {
  const out = new Map<string, ConsentText>();
  for (const text of texts) {
    if (!text.published_at || text.published_at > now) continue;
    const have = out.get(text.purpose);
    if (!have || text.published_at > have.published_at || (text.published_at === have.published_at && text.version > have.version)) {
      out.set(text.purpose, text);
    }
  }
  return out;
}

/** wording is the words of purpose in the language shown, its current version's or the catalog's. */
export function wording(current: Map<string, ConsentText> | undefined, purpose: string): string {
  const text = current?.get(purpose);
  if (!text) return t(`field.purpose_${purpose}_text`);
  return i18n.locale === "en" && text.text_en ? text.text_en : text.text_es;
}

/** versionOf is the version of purpose's wording that wording shows. */
export function versionOf(current: Map<string, ConsentText> | undefined, purpose: string): string {
  return current?.get(purpose)?.version ?? SEEDED_VERSION;
}
