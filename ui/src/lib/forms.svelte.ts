// Helpers of the app's forms: stopping on the errors a form shows, and a
// form sent to the server that needs the network (signing in, setting a
// password). Saving an edit on the device is lib/save.ts.

import { attemptAuth } from "./authAttempt";
import { t } from "../i18n/index.svelte";

/**
 * invalid answers whether a form's errors (field -> message) hold any; when
 * they do it moves the focus, once the screen shows them, to the first
 * control that selector finds (those marked aria-invalid).
 */
export function invalid(errors: Record<string, string>, selector = "[aria-invalid=true]"): boolean {
  if (Object.keys(errors).length === 0) return false;
  queueMicrotask(() => document.querySelector<HTMLElement>(selector)?.focus());
  return true;
}

/**
 * AuthAttempt is a sign-in (or the like) sent to the server: whether it is
 * on its way (busy), and the words of its failure (error, "" while none):
 * no network, too many attempts (429), a deactivated account, or
 * t(refused) for a refusal.
 */
export class AuthAttempt {
  busy = $state(false);
  error = $state("");

  /** run sends the attempt (work), offline says so without trying (lib/authAttempt.ts). */
  async run(refused: string, work: () => Promise<void>): Promise<void> {
    this.error = "";
    this.busy = true;
    try {
      const key = await attemptAuth(refused, work);
      this.error = key && t(key);
    } finally {
      this.busy = false;
    }
  }
}
