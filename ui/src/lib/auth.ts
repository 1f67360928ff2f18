// Signing in with a password: the request and the words of its failure,
// shared by the sign-in form of the boot page (src/boot.ts, inline in
// index.html, before the app has loaded) and the app's own sign-in
// (session.svelte.ts). Plain TypeScript with no imports, neither the SDK nor
// Svelte, so that the boot page carries a few hundred bytes of it.

/** AUTH_KEY is where the SDK keeps the token and record (its LocalAuthStore's default key). */
export const AUTH_KEY = "pocketbase_auth";

/** AccountKind is which accounts a sign-in form is for: staff (and superusers) or returnees. */
export type AccountKind = "staff" | "returnee";

/** AuthRecord is the auth record of a sign-in (a PocketBase record). */
export interface AuthRecord {
  id: string;
  collectionName: string;
  [field: string]: unknown;
}

/** PasswordAuth is the server's answer to a sign-in, as the SDK's authWithPassword gives it. */
export interface PasswordAuth {
  token: string;
  record: AuthRecord;
}

/** AuthError is a failed sign-in: status 0 when the server was not reached, else the HTTP status. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly response: unknown = {},
  ) {
    super(`sign-in failed (${status})`);
  }
}

/** hasSavedAuth tells, without the SDK, whether a token was saved (someone signed in on this device). */
export function hasSavedAuth(): boolean {
  try {
    return !!globalThis.localStorage?.getItem(AUTH_KEY);
  } catch {
    return false;
  }
}

// authWithPassword is the SDK's collection(name).authWithPassword, without the SDK
async function authWithPassword(collection: string, identity: string, password: string): Promise<PasswordAuth> {
  let res: Response;
  try {
    res = await fetch(`/api/collections/${collection}/auth-with-password`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ identity, password }),
    });
  } catch {
    throw new AuthError(0);
  }
  const body: unknown = await res.json().catch(() => ({}));
  if (!res.ok) throw new AuthError(res.status, body);
  return body as PasswordAuth;
}

/**
 * passwordSignIn signs in staff by email, or a superuser when no staff
 * account matches (the staff collection refuses with 400), or a returnee
 * account by login (CURP, phone) or email. It throws AuthError.
 */
export async function passwordSignIn(kind: AccountKind, identity: string, password: string): Promise<PasswordAuth> {
  const who = identity.trim();
  if (kind === "returnee") return authWithPassword("returnee_accounts", who, password);
  try {
    return await authWithPassword("staff", who, password);
  } catch (err) {
    if ((err as AuthError).status !== 400) throw err;
    return authWithPassword("_superusers", who, password);
  }
}

