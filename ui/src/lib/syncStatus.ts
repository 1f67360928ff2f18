// What the sync bar says: one state at a time, the first that holds of
// locked (the device's copy waits for the unlock, online or not), offline, downloading the
// point's people, problems to review, syncing, changes pending, never
// synced, synced (with when). A bar that showed every
// flag at once said "Todo sincronizado · Aún no se ha sincronizado ·
// Sincronizando…" during a first sync (issue 16).

import type { SyncState } from "../sync/client";

/** SyncStatus is the bar's state: a key of the sync catalog and its parameters. */
export interface SyncStatus {
  kind: "offline" | "locked" | "downloading" | "download_paused" | "problems" | "syncing" | "pending" | "never" | "synced" | "error";
  key: string;
  params: Record<string, string | number>;
}

/**
 * syncStatus is what the bar says of s; fmt formats numbers ("12,400"), ago
 * the time of the last sync ("hace 5 minutos").
 */
export function syncStatus(s: SyncState, fmt: (n: number) => string = String, ago: (iso: string) => string = String): SyncStatus {
  const of = (kind: SyncStatus["kind"], key: string, params: SyncStatus["params"] = {}): SyncStatus => ({ kind, key, params });
  if (s.locked) return of("locked", "sync.locked");
  if (!s.online) return s.pending > 0 ? of("offline", "sync.offline_pending", { count: s.pending }) : of("offline", "sync.offline");
  if (s.progress) {
    const { received, expected } = s.progress;
    const params = { received: fmt(received), expected: fmt(Math.max(expected, received)) };
    if (!s.syncing) return of("download_paused", "sync.download_paused", params);
    return expected > 0 ? of("downloading", "sync.downloading_people", params) : of("downloading", "sync.downloading_people_unknown", params);
  }
  if (s.problems > 0) return of("problems", "sync.problems", { count: s.problems });
  if (s.syncing) return of("syncing", "sync.syncing");
  if (s.pending > 0) return of("pending", "sync.pending", { count: s.pending });
  if (s.lastError && s.lastError !== "network" && s.lastError !== "unauthorized") return of("error", `sync.error_${s.lastError}`);
  if (!s.lastSync) return of("never", "sync.never");
  return of("synced", "sync.all_synced_at", { when: ago(s.lastSync) });
}
