// Phones as the server stores them (hooks/phone.go): E.164, "+526641234567".

/**
 * normalizePhone drops spaces, dashes, dots and parentheses, turns a leading
 * 00 into +, and gives ten digits (a Mexican number) +52, and 12 digits
 * beginning with 52 or 11 beginning with 1 their +; anything else is left as
 * typed, for isE164 to refuse.
 */
export function normalizePhone(s: string): string {
  let p = s.replace(/[\s\-.()]/g, "");
  if (p.startsWith("00")) p = "+" + p.slice(2);
  if (/^\d{10}$/.test(p)) return "+52" + p;
  if (/^52\d{10}$/.test(p) || /^1\d{10}$/.test(p)) return "+" + p;
  return p;
}

/** isE164 tells whether a normalized phone is one the server keeps. */
export function isE164(p: string): boolean {
  return /^\+[1-9]\d{7,14}$/.test(p);
}
