// Calendar days on the device.

/** todayISO is the device's calendar day, "YYYY-MM-DD". */
export function todayISO(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** localDay is the device's calendar day of a PocketBase datetime ("2026-12-04 18:00:00.000Z"), or "". */
export function localDay(at: unknown): string {
  const d = new Date(String(at ?? "").replace(" ", "T"));
  return Number.isNaN(d.getTime()) ? "" : todayISO(d);
}
