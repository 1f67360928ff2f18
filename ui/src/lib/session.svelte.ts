// Who is signed in, and the one SyncClient of the app.
//
// PocketBase's JS SDK signs in and keeps the token in localStorage, so a
// user who signed in once online stays signed in offline. The sync client
// reads the token on each request; when the server refuses it (expired),
// sync stops and the app asks to sign in again, keeping the local queue.

import PocketBase, { type RecordModel } from "pocketbase";
import { SyncClient } from "../sync/client";
import type { Role } from "./router.svelte";

/** pb is the PocketBase SDK client for the app's own server. */
export const pb = new PocketBase(typeof location === "undefined" ? "http://127.0.0.1:8090" : location.origin);
pb.autoCancellation(false);

/** sync is the app's sync client (see src/sync/client.ts). */
export const sync = new SyncClient({
  getToken: () => pb.authStore.token,
  onUnauthorized: () => {
    session.authRequired = true;
  },
});

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
  void sync.requestPersistence();
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
  const r = await pb.collection("returnee_accounts").authWithPassword(login.trim(), password);
  await adopt(r.record);
}

/** signOut forgets the token and erases the device's copy (warn first: see sync.hasUnpushed). */
export async function signOut(): Promise<void> {
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
