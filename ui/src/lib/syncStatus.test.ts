import { describe, expect, it } from "vitest";
import type { SyncState } from "../sync/client";
import { syncStatus } from "./syncStatus";

const base: SyncState = {
  online: true, syncing: false, pending: 0, lastSync: "2026-12-05T10:00:00Z", lastError: null, problems: 0,
  downloaded: 0, progress: null, window: null, authRequired: false, locked: false,
};
const kind = (s: Partial<SyncState>) => syncStatus({ ...base, ...s }).kind;

describe("syncStatus", () => {
  it("says one thing at a time, the first that holds", () => {
    expect(kind({})).toBe("synced");
    expect(kind({ lastSync: null })).toBe("never");
    expect(kind({ lastSync: null, syncing: true })).toBe("syncing");
    // a first sync: its progress, never "synced" nor "never synced" beside it
    const first = { lastSync: null, syncing: true, progress: { received: 12400, expected: 40000, since: "" } };
    expect(syncStatus({ ...base, ...first }, (n) => n.toLocaleString("en-US"))).toEqual({
      kind: "downloading", key: "sync.downloading_people", params: { received: "12,400", expected: "40,000" },
    });
    expect(syncStatus({ ...base, ...first, progress: { received: 300, expected: 0, since: "" } }).key).toBe("sync.downloading_people_unknown");
    expect(kind({ ...first, syncing: false })).toBe("download_paused");
    expect(kind({ ...first, online: false, pending: 2 })).toBe("offline");
    expect(syncStatus({ ...base, online: false, pending: 2 }).key).toBe("sync.offline_pending");
    expect(kind({ problems: 1, pending: 3, syncing: true })).toBe("problems");
    expect(kind({ pending: 3 })).toBe("pending");
    expect(kind({ pending: 3, syncing: true })).toBe("syncing");
    expect(kind({ lastError: "server" })).toBe("error");
    // locked, nothing syncs until the unlock: said before offline, progress or pending
    // (the network coming back changes nothing while the copy is locked)
    expect(kind({ locked: true, pending: 3, progress: { received: 1, expected: 2, since: "" } })).toBe("locked");
    expect(kind({ locked: true, online: false, pending: 1 })).toBe("locked");
  });
});
