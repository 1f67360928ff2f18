// Saving an edit of a record on the device (kept out of lib/forms.svelte.ts,
// which the main chunk holds: importing the sync client's binding there
// splits the main chunk in two).

import { sync } from "./session.svelte";

/**
 * saveChanges writes the fields of a record that an edit changed, if any,
 * and starts a sync; it answers whether there were any.
 */
export async function saveChanges(collection: string, id: string, changed: Record<string, unknown>): Promise<boolean> {
  if (Object.keys(changed).length === 0) return false;
  await sync.update(collection, id, changed);
  void sync.syncNow();
  return true;
}
