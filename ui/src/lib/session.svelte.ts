// Who is signed in, the PocketBase client, and the one SyncClient of the app.
//
// A sign-in is one request (lib/auth.ts, shared with the boot page's form,
// src/boot.ts, whose sign-in start() takes over); PocketBase's JS SDK keeps
// the token in localStorage, so a user who signed in once online stays
// signed in offline. The sync client reads the token on each request; when
// the server refuses it (expired), sync stops and the app asks to sign in
// again, keeping the local queue.
//
// The SDK and the sync client (with Dexie under it) are not in the main chunk
// (lib/clients.ts): a signed-out first visit does not need them, and on a slow
// network every kilobyte before the sign-in form counts (issue 6). Nor is the
// lock of the device's copy (lib/devicelock.ts, `device`): the session only
// holds what the lock screen asks (session.lock).
// loadClients() imports them; adopt() awaits it before it sets session.user,
// and the shell awaits it before any screen but sign-in (App.svelte), so the
// screens, SyncBar and SignOut use `pb` and `sync` as plain imports.

import type PocketBase from "pocketbase";
import type { RecordModel } from "pocketbase";
import type { SyncClient } from "../sync/client";
import type { DeviceLock, LockMode } from "./devicelock";
import type { Role } from "./router.svelte";
import { AUTH_KEY, hasSavedAuth, passwordSignIn, type AccountKind, type PasswordAuth } from "./auth";

/**
 * pb is the PocketBase SDK client for the app's own server, and sync the
 * app's sync client (src/sync/client.ts), once loadClients() has resolved.
 * Until then both are undefined: they are live bindings, assigned once.
 */
export let pb: PocketBase = undefined as unknown as PocketBase;
export let sync: SyncClient = undefined as unknown as SyncClient;
/** device is the lock of the device's copy (lib/devicelock.ts), once loadClients() has resolved. */
export let device: DeviceLock = undefined as unknown as DeviceLock;
let loading: Promise<void> | null = null;

/** loadClients imports lib/clients.ts once and creates pb and sync; a failed import is retried on the next call. */
export function loadClients(): Promise<void> {
  loading ??= import("./clients").then(
    (mod) => {
      ({ pb, sync, device } = mod.createClients(
        AUTH_KEY,
        () => {
          session.authRequired = true;
        },
        session,
      ));
      void sync.requestPersistence();
    },
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

// clientsForSignIn is loadClients() for a sign-in: a failed import (offline, not precached yet) reads like the SDK's network error
async function clientsForSignIn(): Promise<void> {
  try {
    await loadClients();
  } catch {
    throw Object.assign(new Error("the app's client code could not be loaded"), { status: 0 });
  }
}

export interface Session {
  user: RecordModel | null;
  role: Role | null;
  /** the token was refused: sign in again to sync */
  authRequired: boolean;
  /** what the lock screen asks (lib/devicelock.ts); null while the app is open */
  lock: LockMode | null;
  /** "disabled": the unsent changes lost, and whether the erasure is done */
  lost: number;
  wiped: boolean;
}

/** session is the signed-in user and role (null when signed out). */
export const session = $state<Session>({ user: null, role: null, authRequired: false, lock: null, lost: 0, wiped: false });

/** roleOf tells the role of an auth record. */
export function roleOf(record: RecordModel | null): Role | null {
  if (!record) return null;
  switch (record.collectionName) {
    case "_superusers":
      return "superuser";
    case "returnee_accounts":
      return "returnee";
    case "staff":
      return record.role as Role;
    default:
      return null;
  }
}

/** homePath is where a role lands after sign-in. */
export function homePath(role: Role | null): string {
  switch (role) {
    case "field_worker":
      return "/field";
    case "nodess_staff":
      return "/nodess";
    case "returnee":
      return "/returnee";
    case "coordinator":
      return "/coordinator";
    case "superuser":
      return "/admin";
    default:
      return "/signin";
  }
}

let started = false;

/**
 * start restores the saved session and starts syncing; call once at boot.
 * With signedIn (a sign-in the boot page made before the app had loaded,
 * src/boot.ts) it keeps that one instead, as a sign-in here would.
 */
export async function start(signedIn?: PasswordAuth & { password?: string }): Promise<void> {
  if (signedIn) return keep(signedIn);
  if (!hasSavedAuth()) return; // signed out: the SDK and the sync client load after the sign-in form
  await clientsForSignIn();
  const record = pb.authStore.record;
  if (!record) return;
  await adopt(record);
  if (navigator.onLine) {
    // confirm the token and refresh the record; a refusal asks for a new sign-in
    pb.collection(record.collectionName)
      .authRefresh()
      .then((r) => {
        session.user = r.record;
        session.authRequired = false;
      })
      .catch((err: { status?: number }) => {
        if (err?.status === 401 || err?.status === 403 || err?.status === 404) session.authRequired = true;
      });
  }
}

// adopt makes record the session's user; password is that of a sign-in
// (none for a restored session: the copy stays locked)
async function adopt(record: RecordModel, password?: string): Promise<void> {
  await loadClients();
  const role = roleOf(record);
  if (role !== "superuser") {
    // before the user is set: no screen may read the copy before the lock says so
    await sync.setUser(record.id);
    await device.open(record, password);
  }
  session.user = record;
  session.role = role;
  session.authRequired = false;
  if (role === "superuser") return; // administrators use the dashboard, not a device copy
  if (!started) {
    started = true;
    await sync.start({
      subscribeHint: (onHint) => pb.realtime.subscribe("sync", onHint),
    });
  } else {
    void sync.syncNow();
  }
}

// signIn signs in (lib/auth.ts, passwordSignIn; the SDK's chunk loads meanwhile) and keeps the session
async function signIn(kind: AccountKind, identity: string, password: string): Promise<void> {
  const [auth] = await Promise.all([
    passwordSignIn(kind, identity, password).catch((err: unknown) => refused(err, identity)),
    clientsForSignIn(),
  ]);
  await keep({ ...auth, password });
}

// keep saves a sign-in's token and record where the SDK keeps them (for the next visit) and adopts the user;
// the password, when the sign-in was just typed, unlocks (or makes) the device's data key
async function keep(auth: PasswordAuth & { password?: string }): Promise<void> {
  await clientsForSignIn();
  pb.authStore.save(auth.token, auth.record as RecordModel);
  await adopt(pb.authStore.record!, auth.password);
}

/** signInStaff signs in staff by email, or a superuser when no staff account matches. */
export function signInStaff(email: string, password: string): Promise<void> {
  return signIn("staff", email, password);
}

// refused rethrows a failed sign-in; one refused because the account was
// deactivated erases the device's copy when it is that account's
async function refused(err: unknown, identity: string): Promise<never> {
  await clientsForSignIn();
  const known = pb.authStore.record;
  const same = (v: unknown) => typeof v === "string" && v.toLowerCase() === identity.trim().toLowerCase();
  if ((err as { response?: { code?: string } }).response?.code === "account_disabled" && known && (same(known.email) || same(known.login))) {
    await device.disabled();
  }
  throw err;
}

/** signInReturnee signs in a returnee account by login (CURP, phone) or email. */
export function signInReturnee(login: string, password: string): Promise<void> {
  return signIn("returnee", login, password);
}

/** signOut forgets the token and erases the device's copy (warn first: see sync.hasUnpushed). */
export async function signOut(): Promise<void> {
  await loadClients();
  device.stop();
  sync.stop();
  started = false;
  try {
    await pb.realtime.unsubscribe();
  } catch {
    // offline: nothing to unsubscribe
  }
  pb.authStore.clear();
  await sync.clearAll();
  session.user = null;
  session.role = null;
  session.authRequired = false;
}
