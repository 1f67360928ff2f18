// Dates, numbers and money formatted for the current locale with Intl.

import { intlLocale, shownLocale } from "./index.svelte";

function tag(): string {
  return intlLocale[shownLocale()];
}

/** parseDay reads a calendar date "YYYY-MM-DD" as a local date (no time-zone shift). */
export function parseDay(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

/** formatDay formats a calendar date "YYYY-MM-DD": "4 mar 1992". */
export function formatDay(s: string | null | undefined): string {
  const d = s ? parseDay(s) : null;
  return d ? new Intl.DateTimeFormat(tag(), { day: "numeric", month: "short", year: "numeric" }).format(d) : "";
}

/** formatMonth formats a month "YYYY-MM": "marzo de 2025". */
export function formatMonth(s: string | null | undefined): string {
  const d = s ? parseDay(`${s.slice(0, 7)}-01`) : null;
  return d ? new Intl.DateTimeFormat(tag(), { month: "long", year: "numeric" }).format(d) : "";
}

/** formatDateTime formats an instant (ISO 8601, or PocketBase's "2026-01-02 10:00:00.000Z"). */
export function formatDateTime(s: string | null | undefined): string {
  if (!s) return "";
  const d = new Date(s.replace(" ", "T"));
  return Number.isNaN(d.getTime()) ? "" : new Intl.DateTimeFormat(tag(), { dateStyle: "medium", timeStyle: "short" }).format(d);
}

/** formatRelative says how long ago an instant was: "hace 5 minutos". */
export function formatRelative(s: string | null | undefined, now = Date.now()): string {
  if (!s) return "";
  // never "in 3 seconds": the clock of the caller may lag the instant
  const seconds = Math.min(0, Math.round((new Date(s).getTime() - now) / 1000));
  const rtf = new Intl.RelativeTimeFormat(tag(), { numeric: "auto" });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, "second");
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), "minute");
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), "hour");
  return rtf.format(Math.round(seconds / 86400), "day");
}

/** formatNumber formats a number: "1,234.5". */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(tag(), options).format(n);
}

/** formatMoney formats integer centavos as pesos: 123450 -> "$1,234.50". */
export function formatMoney(centavos: number): string {
  return new Intl.NumberFormat(tag(), { style: "currency", currency: "MXN" }).format(centavos / 100);
}

/** parseMoney reads pesos typed by a person ("1,234.5") as integer centavos, or null. */
export function parseMoney(s: string): number | null {
  const clean = s.replace(/[$\s,]/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  return Math.round(Number(clean) * 100);
}
