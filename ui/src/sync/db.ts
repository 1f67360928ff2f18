// The device's IndexedDB database (Dexie): the server copies of synced
// records with the pending queue laid over them, the queue itself, meta
// values and the problems the server answered; and, apart, the files of
// documents waiting to be uploaded and the thumbnails kept for offline use.
// With a vault, every personal value is encrypted at rest (sealed.ts, SEALED).

import { Dexie, type Table } from "dexie";
import { sealMiddleware, type SealSpec } from "./sealed";
import type { Fields, FieldConflict, Mutation, ResultError, ResultStatus } from "./types";
import type { Vault } from "./vault";

/**
 * RecordRow is one synced record. `server` is the copy the server sent (null
 * for a record created on this device and not confirmed yet); `data` is what
 * screens show: `server` with the queued mutations of the record applied over
 * it. `data` is derived: it is recomputed whenever either side changes.
 */
export interface RecordRow {
  collection: string;
  id: string;
  /** the rev of the server copy; 0 while only the device has it */
  rev: number;
  server: Fields | null;
  data: Fields;
  /** 1 while queued mutations change the record (IndexedDB cannot index booleans) */
  pending: 0 | 1;
  /** 1 while a queued delete hides the record */
  deleted: 0 | 1;
  /** every value of data that looks like a record id: an index for relation lookups */
  refs: string[];
  /**
   * keyed hashes (HMAC-SHA-256 under the device's lookup key) of the
   * record's lookup values (SyncOptions.lookupKeys): a person's duplicate
   * block, a return's day. An index that never holds a value in clear.
   */
  keys?: string[];
}

/** QueuedMutation is a write waiting for the server. */
export interface QueuedMutation extends Mutation {
  /** order of the queue (auto-incremented) */
  seq?: number;
  /** sent at least once: its content must not change any more */
  sent: boolean;
  /** queued behind a sent, unconfirmed mutation of the same record: its
   * base_rev is taken from the server's answer when it is sent */
  chained: boolean;
}

export type ProblemKind = "rejected" | "conflict" | "merged" | "invalid";

/** Problem is a mutation the server refused, or merged over another edit. */
export interface Problem {
  id?: number;
  kind: ProblemKind;
  mutation: Mutation;
  status: ResultStatus | "invalid";
  error?: ResultError;
  conflicts?: FieldConflict[];
  /** when the answer came, ISO 8601 */
  at: string;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

/**
 * Upload is a document's file waiting to reach the server with its record
 * (sync/uploads.ts), apart from the data sync: a push carries JSON only. The
 * bytes are kept as an ArrayBuffer (what every browser's IndexedDB stores;
 * Safari once lost Blobs).
 */
export interface Upload {
  /** the document's id, drawn on the device */
  id: string;
  /** the person's id on this device (SyncClient.serverId gives the server's after a rebinding) */
  returnee: string;
  kind: string;
  name: string;
  type: string;
  data: ArrayBuffer;
  /** a small JPEG of a photo, for the lists (none for a PDF) */
  thumb?: ArrayBuffer;
  /** when it was taken, ISO 8601 */
  created: string;
  attempts: number;
  /** not before this time (ms since the epoch): the backoff after a failure */
  next_at: number;
  /** why the server refused it, for good (an error code): it is not retried */
  error?: string;
  /** 1 once uploaded: kept (without its bytes) until a pull brings the record */
  done: 0 | 1;
}

/** Thumb is a document's thumbnail kept on the device, for offline lists. */
export interface Thumb {
  /** the document's id */
  id: string;
  /** the file it shows (a document's file never changes; a new name is a new thumb) */
  file: string;
  data: ArrayBuffer;
}

export type RetornoDB = Dexie & {
  records: Table<RecordRow, [string, string]>;
  queue: Table<QueuedMutation, number>;
  meta: Table<MetaRow, string>;
  problems: Table<Problem, number>;
  uploads: Table<Upload, string>;
  thumbs: Table<Thumb, string>;
};

/** KEPT_PREFIX starts the meta keys of values kept beside a record until it is synced (a claim code). */
export const KEPT_PREFIX = "kept:";

/** LOOKUP_KEY is the meta key of the device's key of the lookup index (RecordRow.keys): sealed, or the index would be no better than clear values. */
export const LOOKUP_KEY = "lookup_key";

/**
 * SEALED is what the device encrypts: every personal value. In clear stay
 * what the indexes and the sync bar need: a record's collection, id, rev,
 * pending and deleted flags and the ids it refers to; a mutation's ids,
 * collection, op, base_rev and time; a problem's kind and its mutation's ids;
 * meta values that are not kept values or the lookup index's key (the
 * device id, the cursor, the keyring); the lookup index's keyed hashes. A
 * table added later names its fields here.
 */
export const SEALED: SealSpec = {
  records: () => ["server", "data"],
  queue: () => ["fields"],
  problems: () => ["mutation.fields", "error", "conflicts"],
  meta: (row) => (String(row.key).startsWith(KEPT_PREFIX) || row.key === LOOKUP_KEY ? ["value"] : []),
  uploads: () => ["name", "data", "thumb", "error"],
  thumbs: () => ["data"],
};

/** openDB opens (or creates) the database called name; with a vault, sealed (SEALED). */
export function openDB(name = "retorno", vault?: Vault): RetornoDB {
  const db = new Dexie(name) as RetornoDB;
  db.version(1).stores({
    records: "&[collection+id], collection, [collection+pending], *refs",
    queue: "++seq, &mutation_id, [collection+record_id]",
    meta: "&key",
    problems: "++id, mutation.mutation_id, [mutation.collection+mutation.record_id]",
  });
  // documents' files: their own tables, outside the data sync (sync/uploads.ts)
  db.version(2).stores({ uploads: "&id, returnee, done", thumbs: "&id" });
  // the lookup index (keys); rows of earlier versions get their keys from
  // SyncClient's reindex
  db.version(3).stores({ records: "&[collection+id], collection, [collection+pending], *refs, *keys" });
  if (vault) db.use(sealMiddleware(vault, SEALED));
  return db;
}

/**
 * chunksOf yields the rows of a collection chunk rows at a time, in id
 * order, each chunk a read of its own: memory holds one chunk, whatever the
 * collection's size, and writes go on between chunks.
 */
export async function* chunksOf(db: RetornoDB, collection: string, chunk = 500): AsyncGenerator<RecordRow[]> {
  let after = "";
  for (;;) {
    const rows = await db.records.where("[collection+id]").between([collection, after], [collection, "\uffff"], false, true).limit(chunk).toArray();
    if (rows.length === 0) return;
    after = rows[rows.length - 1].id;
    yield rows;
  }
}
