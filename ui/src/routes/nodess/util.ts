// Helpers shared by the NODESS staff screens.
import { t } from "../../i18n/index.svelte";
import { session, sync } from "../../lib/session.svelte";
import type { LocalRecord } from "../../sync/client";
import { todayISO } from "../../lib/dates";

/** myNode is the id of the signed-in staff member's NODESS. */
export function myNode(): string {
  return String(session.user?.nodess ?? "");
}

/** personName is a returnee's full name ("" when the device does not hold them). */
export function personName(r: LocalRecord | undefined): string {
  if (!r) return "";
  return [r.given_names, r.first_surname, r.second_surname].filter(Boolean).join(" ");
}

/** today is the device's calendar date, "YYYY-MM-DD". */
export const today = (): string => todayISO();

/** day cuts a PocketBase date ("2026-09-01 00:00:00.000Z") to "YYYY-MM-DD". */
export function day(s: unknown): string {
  return typeof s === "string" ? s.slice(0, 10) : "";
}

/** byId indexes records by id. */
export function byId(records: LocalRecord[]): Map<string, LocalRecord> {
  return new Map(records.map((r) => [r.id, r]));
}

/**
 * update writes changed fields of a record on the device and starts a sync.
 * It answers the error to show, "" when the write worked (it fails only when
 * the record is no longer on the device).
 */
export async function update(collection: string, id: string, fields: Record<string, unknown>): Promise<string> {
  try {
    await sync.update(collection, id, fields);
    void sync.syncNow();
    return "";
  } catch {
    return t("errors.not_found");
  }
}

/**
 * coopsOf lists the cooperatives the node runs: in a state it covers, and
 * accompanied by it or by nobody yet (the server's rule, catalog.NodePath).
 */
export async function coopsOf(node: string): Promise<LocalRecord[]> {
  const [me, coops] = await Promise.all([sync.get("nodess", node), sync.list("cooperatives")]);
  const states = new Set((me?.states as string[] | undefined) ?? []);
  return coops.filter((c) => states.has(String(c.state)) && (!c.nodess || c.nodess === node));
}
