// Server errors as Spanish (or English) sentences.

import { has, t } from "../i18n/index.svelte";
import type { ResultError } from "../sync/types";

/** codeText is the message of an error code, or fallback when the catalog lacks it. */
export function codeText(code: string | undefined, fallback = ""): string {
  if (code && has(`errors.${code}`)) return t(`errors.${code}`);
  return fallback || t("errors.unknown");
}

/**
 * fieldErrorText reads one field error of a sync result. The server sends
 * them as text, either a plain message or Go's rendering of PocketBase's
 * error, "map[code:validation_required message:Cannot be blank.]".
 */
export function fieldErrorText(raw: unknown, code?: string): string {
  if (code && has(`errors.${code}`)) return t(`errors.${code}`);
  if (raw && typeof raw === "object") {
    const e = raw as { code?: string; message?: string };
    return codeText(e.code, e.message);
  }
  const s = String(raw ?? "");
  const m = /code:(\S+) message:(.*?)\]?$/.exec(s);
  return m ? codeText(m[1], m[2]) : s;
}

/** resultErrorText is the sentence for a refused sync mutation. */
export function resultErrorText(err: ResultError | undefined): string {
  return codeText(err?.code, err?.message);
}

/** fieldErrors maps each field of a PocketBase error body (SDK ClientResponseError) to a sentence. */
export function fieldErrors(err: unknown): Record<string, string> {
  const data = (err as { response?: { data?: Record<string, unknown> } })?.response?.data ?? {};
  return Object.fromEntries(Object.entries(data).map(([field, e]) => [field, fieldErrorText(e)]));
}
