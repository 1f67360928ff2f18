// Wire types of the sync protocol (docs/sync.md, docs/sync-openapi.yaml).

/** Fields of a record as the REST API takes and shows them. */
export type Fields = Record<string, unknown>;

export type Op = "create" | "update" | "delete";

/** One write sent in a push. */
export interface Mutation {
  mutation_id: string;
  collection: string;
  record_id: string;
  op: Op;
  base_rev: number;
  fields: Fields;
  client_ts: string;
}

export type ResultStatus = "applied" | "duplicate" | "merged" | "conflict" | "rejected";

export interface FieldConflict {
  field: string;
  yours: unknown;
  kept: unknown;
}

export interface ResultError {
  code: string;
  message: string;
  fields?: Record<string, string>;
  /** per field, the stable code the app translates (absent from older servers) */
  field_codes?: Record<string, string>;
}

/** The server's answer to one mutation. */
export interface PushResult {
  mutation_id: string;
  status: ResultStatus;
  record_id?: string;
  rev?: number;
  record?: Fields;
  conflicts?: FieldConflict[];
  error?: ResultError;
}

export interface PushResponse {
  results: PushResult[];
}

export interface Change {
  op: "put" | "delete" | "evict";
  collection: string;
  record_id: string;
  rev?: number;
  record?: Fields;
}

/** The part of the user's scope their devices hold (docs/sync.md, "The device's window"). */
export interface PullWindow {
  days: number;
  /** the first day of the window, YYYY-MM-DD: the device prunes what is older */
  since: string;
}

export interface PullResponse {
  changes: Change[] | null;
  cursor: string;
  has_more: boolean;
  reset: boolean;
  /** present when the device holds less than its user's scope */
  window?: PullWindow;
  /** on the first page of an initial sync: the records it will send, per collection counted */
  estimate?: Record<string, number>;
}
