// A form of the returnee's screens that opens over what it edits (my
// contact data, a cooperative I propose): whether it is open, its values,
// and the errors its check found. EditForm.svelte draws it.

import { invalid } from "../../lib/forms.svelte";

/**
 * Edit holds one such form. start opens it with its first values and
 * the focus on its first control (the id first); stops checks the values,
 * shows their errors and answers whether there are any (the focus then on
 * the first); open = false closes it.
 */
export class Edit<T extends Record<string, string>> {
  open = $state(false);
  values = $state() as T;
  errors = $state<Record<string, string>>({});

  constructor(
    values: T,
    private first: string,
    private check: (values: T) => Record<string, string>,
  ) {
    this.values = values;
  }

  start(values: T): void {
    this.values = values;
    this.errors = {};
    this.open = true;
    queueMicrotask(() => document.getElementById(this.first)?.focus());
  }

  stops(): boolean {
    this.errors = this.check(this.values);
    return invalid(this.errors, "form [aria-invalid=true]");
  }
}
