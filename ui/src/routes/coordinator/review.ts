// The coordinator's review queue, read online: what waits (refused changes
// and sync conflicts of the state, duplicate pairs, people a point gained
// through a new return), and a refusal or conflict in plain words. The words
// (personOf, reasonOf) are framework-free (Vitest).

import { has, t } from "../../i18n/index.svelte";
import { codeText, fieldErrorText } from "../../lib/errors";
import { plainValue } from "../../lib/problems";
import { pb } from "../../lib/session.svelte";

/** OPEN is, per list of the queue, the filter of what still waits. */
export const OPEN = {
  sync_conflicts: "resolved = false",
  duplicate_candidates: 'status = "open"',
  scope_grants: "reviewed = false",
} as const;

/** pendingReview counts what waits in the queue. */
export async function pendingReview(): Promise<number> {
  const pages = await Promise.all(Object.entries(OPEN).map(([c, filter]) => pb.collection(c).getList(1, 1, { filter })));
  return pages.reduce((n, p) => n + p.totalItems, 0);
}

/** Conflict is a sync_conflicts record: a refused mutation, or a value a merge replaced. */
export interface Conflict {
  id: string;
  created: string;
  kind: "rejected" | "deleted_on_server" | "field_conflict";
  auth_collection: string;
  auth_id: string;
  collection_name: string;
  record_id: string;
  op: string;
  field: string;
  yours: Record<string, unknown> | null;
  kept: unknown;
  lost: unknown;
  code: string;
  message: string;
  /** per refused field its code and the server's message; "_not_kept" notes fields not stored */
  details: Record<string, { code?: string; message: string } | string> | null;
  resolved: boolean;
  resolution_note: string;
}

/**
 * personOf is the id of the person a conflict concerns, when the conflict
 * itself names it: the record of a change to a person, or the person of a
 * new record about one. "" for a refused registration (the person is not on
 * the server: their names are in `yours`) and for changes that do not say.
 */
export function personOf(c: Conflict): string {
  if (c.collection_name === "returnees") return c.op === "create" ? "" : c.record_id;
  const p = c.yours?.returnee;
  return typeof p === "string" ? p : "";
}

/** Why is a conflict's reason in words: a sentence, and the refused fields by their labels. */
export interface Why {
  text: string;
  fields: { label: string; text: string }[];
}

/** reasonOf says why the server refused a change, or what it kept instead. */
export function reasonOf(c: Conflict): Why {
  const label = (field: string) => (has(`labels.${field}`) ? t(`labels.${field}`) : t("problems.field_other"));
  switch (c.kind) {
    case "field_conflict": {
      const kept = plainValue(c.kept), lost = plainValue(c.lost);
      return {
        text: t("coordinator.conflict_merged", { field: label(c.field) }),
        fields: [
          ...(kept ? [{ label: t("coordinator.conflict_kept"), text: kept }] : []),
          ...(lost ? [{ label: t("coordinator.conflict_lost"), text: lost }] : []),
        ],
      };
    }
    case "deleted_on_server":
      return { text: t("coordinator.conflict_deleted"), fields: [] };
  }
  const fields = Object.entries(c.details ?? {})
    .filter(([field]) => !field.startsWith("_"))
    .map(([field, raw]) => ({ label: label(field), text: fieldErrorText(raw) }));
  return { text: codeText(c.code, c.message), fields };
}
