// Small helpers of the returnee screens.
import { t } from "../../i18n/index.svelte";
import { session, sync } from "../../lib/session.svelte";
import type { LocalRecord } from "../../sync/client";

/** myId is the id of the signed-in returnee's own record. */
export function myId(): string {
  return String(session.user?.returnee ?? "");
}

/** nowStamp is the current instant as PocketBase writes datetimes. */
export function nowStamp(): string {
  return new Date().toISOString().replace("T", " ");
}

/** liveMe is the signed-in returnee's own record on the device, live (a store: $person). */
export function liveMe() {
  return sync.live(() => sync.get("returnees", myId()));
}

/** listByName lists a collection's records on the device by their name, in Spanish order. */
export async function listByName(collection: string): Promise<LocalRecord[]> {
  return (await sync.list(collection)).sort((a, b) => str(a.name).localeCompare(str(b.name), "es"));
}

/** nameOf is the name of the record with the given id ("" when there is none). */
export function nameOf(records: LocalRecord[] | undefined, id: unknown): string {
  return str(records?.find((r) => r.id === id)?.name);
}

/** byId maps records by id. */
export function byId(records: LocalRecord[] | undefined): Map<string, LocalRecord> {
  return new Map((records ?? []).map((r) => [r.id, r]));
}

/** str reads a field as text. */
export function str(v: unknown): string {
  return v === null || v === undefined ? "" : String(v);
}

/**
 * statusText is the words of a request's status, t(`${keys}_<status>`),
 * and t(`${keys}_requested_pending`) while the request has not reached the
 * server.
 */
export function statusText(r: LocalRecord, keys: string): string {
  if (r.status === "requested" && (r._pending || !r.rev)) return t(`${keys}_requested_pending`);
  return t(`${keys}_${r.status}`);
}
