// Calendar days on the device.

/** todayISO is the device's calendar day, "YYYY-MM-DD". */
export function todayISO(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
