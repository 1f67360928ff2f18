// The PocketBase SDK and the sync client (with Dexie): the part of the app
// that only a signed-in user (or a screen that talks to the server) needs. It
// is a chunk of its own, imported by loadClients() in session.svelte.ts, so
// that a signed-out first visit gets the sign-in form without it (issue 6:
// first load on slow 3G).

import PocketBase, { LocalAuthStore } from "pocketbase";
import { SyncClient } from "../sync/client";

/** createClients makes the app's PocketBase client (token in localStorage under authKey) and its SyncClient. */
export function createClients(authKey: string, onUnauthorized: () => void): { pb: PocketBase; sync: SyncClient } {
  const pb = new PocketBase(typeof location === "undefined" ? "http://127.0.0.1:8090" : location.origin, new LocalAuthStore(authKey));
  pb.autoCancellation(false);
  const sync = new SyncClient({ getToken: () => pb.authStore.token, onUnauthorized });
  return { pb, sync };
}
