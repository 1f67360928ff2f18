// One list of the coordinator's review queue, read online (Conflicts,
// Duplicates, Grants): its records, a failure to read them, and the choice
// to show the ones already reviewed too.

import { pb } from "../../lib/session.svelte";
import { OPEN } from "./review";

/**
 * Queue holds one list of the review queue. Made while a component starts,
 * it reads the list then, and again when showDone changes; read is given
 * the filter of what to list ("" when the reviewed ones show too).
 */
export class Queue<T> {
  items = $state<T[] | undefined>(undefined);
  failed = $state(false);
  showDone = $state(false);

  constructor(
    readonly collection: keyof typeof OPEN,
    private read: (filter: string) => Promise<T[]>,
  ) {
    $effect(() => {
      void this.showDone;
      void this.load();
    });
  }

  /** filter is the filter of the list as shown (also that of its downloads). */
  get filter(): string {
    return this.showDone ? "" : OPEN[this.collection];
  }

  /** load reads the list again. */
  async load(): Promise<void> {
    this.failed = false;
    try {
      this.items = await this.read(this.filter);
    } catch {
      this.failed = true;
    }
  }

  /** review writes the fields that mark one record reviewed, then reads the list again. */
  async review(id: string, fields: Record<string, unknown>): Promise<void> {
    await pb.collection(this.collection).update(id, fields);
    await this.load();
  }
}
