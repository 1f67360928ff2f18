// The device's IndexedDB database (Dexie): the server copies of synced
// records with the pending queue laid over them, the queue itself, meta
// values and the problems the server answered.

import { Dexie, type Table } from "dexie";
import type { Fields, FieldConflict, Mutation, ResultError, ResultStatus } from "./types";

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

export type RetornoDB = Dexie & {
  records: Table<RecordRow, [string, string]>;
  queue: Table<QueuedMutation, number>;
  meta: Table<MetaRow, string>;
  problems: Table<Problem, number>;
};

/** openDB opens (or creates) the database called name. */
export function openDB(name = "retorno"): RetornoDB {
  const db = new Dexie(name) as RetornoDB;
  db.version(1).stores({
    records: "&[collection+id], collection, [collection+pending], *refs",
    queue: "++seq, &mutation_id, [collection+record_id]",
    meta: "&key",
    problems: "++id, mutation.mutation_id, [mutation.collection+mutation.record_id]",
  });
  return db;
}
