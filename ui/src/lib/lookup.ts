// What the device looks records up by, without reading them all: plain
// lookup values of a record, of which the sync client indexes only keyed
// hashes (HMAC-SHA-256 under the device's key: SyncOptions.lookupKeys,
// SyncClient.lookup). No name, date or CURP is ever in the index in clear,
// so the index stays opaque to whoever reads IndexedDB without the key.
//
//   sync.lookup("returnees", dupKey(form))     people who may be the form's person
//   sync.lookup("returns", dayKey(point, day)) the returns registered at point on day

import type { Fields } from "../sync/types";
import { localDay } from "./dates";
import { surnameKey } from "./names";

/**
 * dupKey is a person's duplicate block, as the server blocks them
 * (dedup, "Finding duplicates: the block"): the birth date and the phonetic
 * key of the first surname; "" without either.
 */
export function dupKey(person: Fields): string {
  const born = String(person.birth_date ?? "").slice(0, 10);
  const key = surnameKey(person.first_surname);
  return born && key ? `dup|${born}|${key}` : "";
}

/** curpKey is a person's CURP as a lookup value, "" without one. */
export function curpKey(curp: unknown): string {
  const c = String(curp ?? "").toUpperCase().replace(/\s+/g, "");
  return c ? `curp|${c}` : "";
}

/** dayKey is the lookup value of the returns registered at point on day (the device's calendar). */
export function dayKey(point: string, day: string): string {
  return `day|${point}|${day}`;
}

/** lookupKeys: a person's block and CURP, a return's point and day of registration. */
export const lookupKeys = Object.assign(
  (collection: string, data: Fields): string[] => {
    switch (collection) {
      case "returnees":
        return [dupKey(data), curpKey(data.curp)];
      case "returns":
        return data.reception_point && data.registered_at ? [dayKey(String(data.reception_point), localDay(data.registered_at))] : [];
    }
    return [];
  },
  { version: "1" },
);
