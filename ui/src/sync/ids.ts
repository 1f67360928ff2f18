// Random ids drawn with crypto.getRandomValues, as PocketBase makes them.

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

/** randomString draws n characters of [a-z0-9] without modulo bias. */
export function randomString(n: number): string {
  let out = "";
  const buf = new Uint8Array(n + (n >> 1));
  while (out.length < n) {
    crypto.getRandomValues(buf);
    for (const b of buf) {
      if (b < 252) {
        // 252 = 7 * 36: the bytes above would favour the first letters
        out += alphabet[b % 36];
        if (out.length === n) break;
      }
    }
  }
  return out;
}

const recordIdPattern = /^[a-z0-9]{15}$/;

/** newId returns a record id: 15 characters of [a-z0-9]. */
export function newId(): string {
  return randomString(15);
}

/** isRecordId reports whether s has the shape of a record id. */
export function isRecordId(s: unknown): s is string {
  return typeof s === "string" && recordIdPattern.test(s);
}

/** newMutationId returns "m" and 24 random characters (124 bits). */
export function newMutationId(): string {
  return "m" + randomString(24);
}

/** newClientId returns the id of a new installation. */
export function newClientId(): string {
  return "web-" + randomString(20);
}
