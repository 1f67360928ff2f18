// The PocketBase SDK and the sync client (with Dexie), and the lock of the
// device's copy: the part of the app that only a signed-in user (or a screen
// that talks to the server) needs. It is a chunk of its own, imported by
// loadClients() in session.svelte.ts, so that a signed-out first visit gets
// the sign-in form without it (issue 6: first load on slow 3G).

import PocketBase, { LocalAuthStore } from "pocketbase";
import { ACCOUNT_DISABLED, SyncClient } from "../sync/client";
import { DeviceLock, type LockState } from "./devicelock";
import { lookupKeys } from "./lookup";

/**
 * createClients makes the app's PocketBase client (token in localStorage
 * under authKey), its SyncClient, whose copy is encrypted, and the lock of
 * that copy, which writes lock (the session's). Any answer that the account was deactivated, to the sync client
 * or to the SDK (screens, realtime), erases the copy (DeviceLock.disabled).
 */
export function createClients(
  authKey: string,
  onUnauthorized: () => void,
  lock: LockState,
): { pb: PocketBase; sync: SyncClient; device: DeviceLock } {
  const pb = new PocketBase(typeof location === "undefined" ? "http://127.0.0.1:8090" : location.origin, new LocalAuthStore(authKey));
  pb.autoCancellation(false);
  const sync = new SyncClient({
    getToken: () => pb.authStore.token,
    onUnauthorized,
    onDisabled: () => void device.disabled(),
    encryption: {},
    lookupKeys,
  });
  const device = new DeviceLock(pb, sync, lock);
  pb.afterSend = (response, data) => {
    // a sign-in refused is the sign-in form's to tell (it may be another account than the device's)
    if ((data as { code?: string } | null)?.code === ACCOUNT_DISABLED && !response.url.includes("/auth-with-password")) void device.disabled();
    return data;
  };
  return { pb, sync, device };
}
