// Who is signed in, the PocketBase client, and the one SyncClient of the app.
//
// PocketBase's JS SDK signs in and keeps the token in localStorage, so a
// user who signed in once online stays signed in offline. The sync client
// reads the token on each request; when the server refuses it (expired),
// sync stops and the app asks to sign in again, keeping the local queue.
//
// The SDK and the sync client (with Dexie under it) are not in the main chunk
// (lib/clients.ts): a signed-out first visit does not need them, and on a slow
// network every kilobyte before the sign-in form counts (issue 6).
// loadClients() imports them; adopt() awaits it before it sets session.user,
// and the shell awaits it before any screen but sign-in (App.svelte), so the
// screens, SyncBar and SignOut use `pb` and `sync` as plain imports.

import type PocketBase from "pocketbase";
import type { RecordModel } from "pocketbase";
import type { SyncClient } from "../sync/client";
import type { Role } from "./router.svelte";

// where the SDK keeps the token and record (its LocalAuthStore's default key)
const AUTH_KEY = "pocketbase_auth";

/**
 * pb is the PocketBase SDK client for the app's own server, and sync the
 * app's sync client (src/sync/client.ts), once loadClients() has resolved.
 * Until then both are undefined: they are live bindings, assigned once.
 */
export let pb: PocketBase = undefined as unknown as PocketBase;
export let sync: SyncClient = undefined as unknown as SyncClient;
let loading: Promise<void> | null = null;

/** loadClients imports lib/clients.ts once and creates pb and sync; a failed import is retried on the next call. */
export function loadClients(): Promise<void> {
  loading ??= import("./clients").then(
    (mod) => {
      ({ pb, sync } = mod.createClients(AUTH_KEY, () => {
        session.authRequired = true;
      }));
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

/** hasSavedAuth tells, without the SDK, whether a token was saved (someone signed in on this device). */
function hasSavedAuth(): boolean {
  try {
    return !!globalThis.localStorage?.getItem(AUTH_KEY);
  } catch {
    return false;
  }
}

export interface Session {
  user: RecordModel | null;
  role: Role | null;
  /** the token was refused: sign in again to sync */
  authRequired: boolean;
}

/** session is the signed-in user and role (null when signed out). */
export const session = $state<Session>({ user: null, role: null, authRequired: false });

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

/** start restores the saved session and starts syncing; call once at boot. */
export async function start(): Promise<void> {
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

async function adopt(record: RecordModel): Promise<void> {
  await loadClients();
  session.user = record;
  session.role = roleOf(record);
  session.authRequired = false;
  if (session.role === "superuser") return; // administrators use the dashboard, not a device copy
  await sync.setUser(record.id);
  if (!started) {
    started = true;
    await sync.start({
      subscribeHint: (onHint) => pb.realtime.subscribe("sync", onHint),
    });
  } else {
    void sync.syncNow();
  }
}

/** signInStaff signs in staff by email, or a superuser when no staff account matches. */
export async function signInStaff(email: string, password: string): Promise<void> {
  await clientsForSignIn();
  try {
    const r = await pb.collection("staff").authWithPassword(email, password);
    await adopt(r.record);
  } catch (err) {
    if ((err as { status?: number }).status !== 400) throw err;
    const r = await pb.collection("_superusers").authWithPassword(email, password);
    await adopt(r.record);
  }
}

/** signInReturnee signs in a returnee account by login (CURP, phone) or email. */
export async function signInReturnee(login: string, password: string): Promise<void> {
  await clientsForSignIn();
  const r = await pb.collection("returnee_accounts").authWithPassword(login.trim(), password);
  await adopt(r.record);
}

/** signOut forgets the token and erases the device's copy (warn first: see sync.hasUnpushed). */
export async function signOut(): Promise<void> {
  await loadClients();
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
