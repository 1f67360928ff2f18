// Small helpers of the returnee screens.
import { session } from "../../lib/session.svelte";
import type { LocalRecord } from "../../sync/client";

/** myId is the id of the signed-in returnee's own record. */
export function myId(): string {
  return String(session.user?.returnee ?? "");
}

/** nowStamp is the current instant as PocketBase writes datetimes. */
export function nowStamp(): string {
  return new Date().toISOString().replace("T", " ");
}

/** byName maps records by id. */
export function byId(records: LocalRecord[] | undefined): Map<string, LocalRecord> {
  return new Map((records ?? []).map((r) => [r.id, r]));
}

/** str reads a field as text. */
export function str(v: unknown): string {
  return v === null || v === undefined ? "" : String(v);
}
