// The words of a failed sign-in (or the like: accepting an invitation),
// shared by the boot page's sign-in form (src/boot.ts) and the app's forms
// (lib/forms.svelte.ts, AuthAttempt). No imports: the boot page carries it.
// (A module of its own, not part of lib/auth.ts: a module that both
// forms.svelte.ts and session.svelte.ts import makes rolldown split the
// Svelte runtime off the app's chunk, a second round trip for the app.)

/**
 * attemptAuth runs a sign-in (or the like: work) and answers the key of
 * the message to show, "" when it went through: offline without trying, no
 * network, too many attempts (429), a deactivated account, or refused (the form's own key) for a
 * refusal. Errors with a status (AuthError, the SDK's) are read; any other
 * error of work is a refusal too.
 */
export async function attemptAuth(refused: string, work: () => Promise<void>): Promise<string> {
  if (!navigator.onLine) return "auth.offline";
  try {
    await work();
    return "";
  } catch (err) {
    const { status, response } = err as { status?: number; response?: { code?: string } };
    if (response?.code === "account_disabled") return "errors.account_disabled";
    return status === 0 ? "auth.offline" : status === 429 ? "auth.too_many" : refused;
  }
}
