// The server-side search of people (the REST list's filter), for screens
// that search beyond the device: every word in a name, the CURP or the phone.

import type PocketBase from "pocketbase";

/** wordsFilter is the parts of a people search's filter, one per word of text. */
export function wordsFilter(pb: PocketBase, text: string): string[] {
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => pb.filter("(given_names ~ {:w} || first_surname ~ {:w} || second_surname ~ {:w} || curp ~ {:w} || phone ~ {:w})", { w }));
}
