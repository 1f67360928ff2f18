// SyncClient: the device side of Retorno's sync protocol (docs/sync.md),
// the TypeScript twin of the Go package syncclient.
//
// Writes (create, update, remove) change IndexedDB at once and queue a
// mutation; screens read the records with the queue laid over the server
// copies. syncNow pushes the queue in order and in batches, then pulls the
// change log until has_more is false. A mutation keeps its id across
// retries, so a retry after a lost answer is answered "duplicate" and
// applied once. A mutation the server refuses leaves the queue (it never
// blocks the ones behind it) and becomes a Problem the user can fix and
// resend, or discard.

import { liveQuery, type Observable } from "dexie";
import { openDB, type Problem, type QueuedMutation, type RecordRow, type RetornoDB } from "./db";
import { HttpError, NetworkError, isTransient, requestJSON, type FetchFn } from "./http";
import { isRecordId, newClientId, newId, newMutationId } from "./ids";
import { writable, type Readable } from "./store";
import type { Fields, Mutation, Op, PullResponse, PushResponse, PushResult } from "./types";

/** The server's limits on one push (docs/sync.md). */
export const MAX_MUTATIONS = 500;
export const MAX_PUSH_BYTES = 5 * 1024 * 1024;

/** A record as screens see it: its fields, with the queued changes applied. */
export type LocalRecord = Fields & {
  id: string;
  /** the server's rev the record is based on; 0 until the server has it */
  rev: number;
  /** true while queued changes have not reached the server */
  _pending: boolean;
};

/** Why the last sync failed, as a key of the sync i18n catalog. */
export type SyncErrorCode = "network" | "server" | "unauthorized" | "bad_request" | "unknown";

/** SyncState is what the sync bar shows. */
export interface SyncState {
  /** the browser believes it is online and the last sync reached the server */
  online: boolean;
  syncing: boolean;
  /** queued mutations */
  pending: number;
  /** end of the last successful sync, ISO 8601 */
  lastSync: string | null;
  lastError: SyncErrorCode | null;
  /** kept problems (refused or merged mutations) */
  problems: number;
  /** records the sync under way has pulled so far (the first sync's progress) */
  downloaded: number;
  /** the server refused the token: sign in again */
  authRequired: boolean;
}

/** SyncReport says what one syncNow did. */
export interface SyncReport {
  ok: boolean;
  error?: unknown;
  attempts: number;
  pushed: number;
  pulledPages: number;
  reset: boolean;
  /** problems added by this sync */
  problems: number;
}

/** Subscribes to the realtime "pull now" hint; resolves to an unsubscribe. */
export type HintSubscriber = (onHint: () => void) => Promise<() => void | Promise<void>>;

export interface SyncOptions {
  /** the server's origin ("" for the page's own) */
  baseUrl?: string;
  /** the IndexedDB database name */
  dbName?: string;
  fetch?: FetchFn;
  /** the PocketBase auth token ("" when signed out) */
  getToken: () => string;
  /** called when the server refuses the token (401) */
  onUnauthorized?: () => void;
  batchSize?: number;
  maxBatchBytes?: number;
  pullLimit?: number;
  /** tries of one syncNow on network errors and 5xx */
  maxAttempts?: number;
  /** first wait after a transient error, ms; doubled each try */
  retryDelay?: number;
  maxRetryDelay?: number;
  /** waits ms (tests replace it) */
  sleep?: (ms: number) => Promise<void>;
  /** returns [0, 1) (tests replace it) */
  random?: () => number;
  /** whether the browser believes it is online */
  isOnline?: () => boolean;
}

/** Thrown by local writes. */
export class LocalWriteError extends Error {
  constructor(
    readonly code: "not_found" | "exists" | "invalid_id" | "no_problem" | "cannot_resend",
    message: string,
  ) {
    super(message);
    this.name = "LocalWriteError";
  }
}

const META_CLIENT_ID = "client_id";
const META_CURSOR = "cursor";
const META_LAST_SYNC = "last_sync";
const META_USER = "user_id";
// meta keys of keepUntilSynced's values: "kept:<collection>/<id>"
const KEPT = "kept:";
const MAX_RESETS = 3;

function browserOnline(): boolean {
  return typeof navigator === "undefined" || navigator.onLine !== false;
}

/** aliasKey is the meta key under which a device id's server id is kept (rebindLocal). */
function aliasKey(collection: string, id: string): string {
  return `alias:${collection}/${id}`;
}

function nowTS(): string {
  // RFC 3339 without fractions, as the Go client sends it
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

export class SyncClient {
  readonly db: RetornoDB;
  private readonly opts: Required<Omit<SyncOptions, "onUnauthorized" | "dbName">> &
    Pick<SyncOptions, "onUnauthorized">;
  private readonly _state = writable<SyncState>({
    online: true,
    syncing: false,
    pending: 0,
    lastSync: null,
    lastError: null,
    problems: 0,
    authRequired: false,
    downloaded: 0,
  });
  private clientIdValue: string | null = null;
  private running: Promise<SyncReport> | null = null;
  private again = false;
  private stopFns: (() => void)[] = [];
  private hintTimer: ReturnType<typeof setTimeout> | null = null;

  /** state is a readable store of the sync state (Svelte: $state). */
  readonly state: Readable<SyncState> = { subscribe: (run) => this._state.subscribe(run) };

  constructor(options: SyncOptions) {
    this.db = openDB(options.dbName);
    this.opts = {
      baseUrl: "",
      fetch: (input, init) => globalThis.fetch(input, init),
      batchSize: MAX_MUTATIONS,
      maxBatchBytes: MAX_PUSH_BYTES - 256 * 1024,
      pullLimit: 500,
      maxAttempts: 5,
      retryDelay: 500,
      maxRetryDelay: 15_000,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      isOnline: browserOnline,
      ...options,
    };
    this._state.update((s) => ({ ...s, online: this.opts.isOnline() }));
  }

  /** snapshot returns the current sync state. */
  snapshot(): SyncState {
    return this._state.get();
  }

  /** clientId returns this installation's id, made and saved on first use. */
  async clientId(): Promise<string> {
    if (this.clientIdValue) return this.clientIdValue;
    this.clientIdValue = await this.db.transaction("rw", this.db.meta, async () => {
      const row = await this.db.meta.get(META_CLIENT_ID);
      if (typeof row?.value === "string") return row.value;
      const id = newClientId();
      await this.db.meta.put({ key: META_CLIENT_ID, value: id });
      return id;
    });
    return this.clientIdValue;
  }

  /**
   * setUser records who is signed in. When another user signed in on this
   * device before, their local data (records, queue, problems, cursor) is
   * dropped first; it returns true then.
   */
  async setUser(userId: string): Promise<boolean> {
    const cleared = await this.db.transaction("rw", [this.db.meta, this.db.records, this.db.queue, this.db.problems], async () => {
      const row = await this.db.meta.get(META_USER);
      const before = typeof row?.value === "string" ? row.value : "";
      let cleared = false;
      if (before && before !== userId) {
        await this.clearLocal();
        cleared = true;
      }
      await this.db.meta.put({ key: META_USER, value: userId });
      return cleared;
    });
    this._state.update((s) => ({ ...s, authRequired: false }));
    await this.loadState();
    return cleared;
  }

  /** clearAll drops every local record, the queue, problems and the user (sign-out). */
  async clearAll(): Promise<void> {
    await this.db.transaction("rw", [this.db.meta, this.db.records, this.db.queue, this.db.problems], () => this.clearLocal());
    await this.loadState();
  }

  private async clearLocal(): Promise<void> {
    await this.db.records.clear();
    await this.db.queue.clear();
    await this.db.problems.clear();
    await this.db.meta.bulkDelete([META_CURSOR, META_LAST_SYNC, META_USER]);
    await this.db.meta.where("key").startsWith(KEPT).delete();
  }

  // ---- values kept on this device only ----

  /**
   * keepUntilSynced keeps a value on this device beside a record until the
   * server has the record with all its queued changes (a registration's claim
   * code, shown again until then). The value is never sent. Call it before
   * the write it belongs to; clearAll drops it too.
   */
  async keepUntilSynced(collection: string, id: string, value: unknown): Promise<void> {
    await this.db.meta.put({ key: keptKey(collection, id), value });
  }

  /** kept returns what keepUntilSynced kept for a record, or undefined once it is synced. */
  async kept(collection: string, id: string): Promise<unknown> {
    return (await this.db.meta.get(keptKey(collection, id)))?.value;
  }

  // ---- local writes ----

  /**
   * create writes a new record locally and queues its creation. id is drawn
   * by the caller (newId) when it must be known before (a claim hash), else
   * here. Returns the id.
   */
  async create(collection: string, fields: Fields, id?: string): Promise<string> {
    const recordId = id ?? newId();
    await this.db.transaction("rw", this.db.records, this.db.queue, () => this.createIn(collection, fields, recordId));
    await this.loadState();
    return recordId;
  }

  // createIn, updateIn and removeIn run inside a transaction over records and queue.
  private async createIn(collection: string, fields: Fields, recordId: string): Promise<void> {
    if (!isRecordId(recordId)) throw new LocalWriteError("invalid_id", `create ${collection}/${recordId}: ids are 15 characters of a-z and 0-9`);
    const row = await this.db.records.get([collection, recordId]);
    const queued = await this.queueOf(collection, recordId);
    if (row || queued.length > 0) throw new LocalWriteError("exists", `create ${collection}/${recordId}: the record exists`);
    await this.enqueue(collection, recordId, "create", 0, clone(fields), false);
    await this.refresh(collection, recordId);
  }

  /**
   * update changes fields of a record locally and queues the change. An
   * update of a record whose create or update is queued and not sent yet is
   * folded into that mutation; otherwise base_rev is the rev of the server
   * copy (for a record created here, the rev its create was answered with).
   */
  async update(collection: string, id: string, fields: Fields): Promise<void> {
    if (Object.keys(fields).length === 0) return;
    await this.db.transaction("rw", this.db.records, this.db.queue, () => this.updateIn(collection, id, fields));
    await this.loadState();
  }

  private async updateIn(collection: string, id: string, fields: Fields): Promise<void> {
    const row = await this.db.records.get([collection, id]);
    const queued = await this.queueOf(collection, id);
    const last = queued.at(-1);
    if (!last) {
      if (!row?.server) throw new LocalWriteError("not_found", `update ${collection}/${id}: no such record`);
      await this.enqueue(collection, id, "update", row.rev, clone(fields), false);
    } else if (last.op === "delete") {
      throw new LocalWriteError("not_found", `update ${collection}/${id}: deleted on this device`);
    } else if (!last.sent && !(await this.refersToLater(fields, last.seq!))) {
      last.fields = { ...last.fields, ...clone(fields) };
      last.client_ts = nowTS();
      await this.db.queue.put(last);
    } else {
      // behind a mutation on the wire: base_rev comes from its answer
      await this.enqueue(collection, id, "update", row?.rev ?? 0, clone(fields), true);
    }
    await this.refresh(collection, id);
  }

  /**
   * remove deletes a record locally and queues its deletion. A record created
   * here and never sent is dropped with its queued changes.
   */
  async remove(collection: string, id: string): Promise<void> {
    await this.db.transaction("rw", this.db.records, this.db.queue, () => this.removeIn(collection, id));
    await this.loadState();
  }

  private async removeIn(collection: string, id: string): Promise<void> {
    const row = await this.db.records.get([collection, id]);
    const queued = await this.queueOf(collection, id);
    if (queued.some((m) => m.op === "delete")) throw new LocalWriteError("not_found", `remove ${collection}/${id}: already deleted`);
    const unsent = queued.filter((m) => !m.sent);
    const sentBefore = queued.some((m) => m.sent);
    const createdHere = unsent.some((m) => m.op === "create");
    if (!row?.server && unsent.length === 0 && !sentBefore) throw new LocalWriteError("not_found", `remove ${collection}/${id}: no such record`);
    await this.db.queue.bulkDelete(unsent.map((m) => m.seq!));
    if (!createdHere) await this.enqueue(collection, id, "delete", row?.rev ?? 0, {}, sentBefore);
    await this.refresh(collection, id);
  }

  private async enqueue(collection: string, recordId: string, op: Op, baseRev: number, fields: Fields, chained: boolean) {
    const m: QueuedMutation = {
      mutation_id: newMutationId(),
      collection,
      record_id: recordId,
      op,
      base_rev: baseRev,
      fields,
      client_ts: nowTS(),
      sent: false,
      chained,
    };
    await this.db.queue.add(m);
  }

  private async queueOf(collection: string, id: string): Promise<QueuedMutation[]> {
    return this.db.queue.where("[collection+record_id]").equals([collection, id]).sortBy("seq");
  }

  /** refersToLater: does a value name a record whose create is queued after seq? */
  private async refersToLater(fields: Fields, seq: number): Promise<boolean> {
    const later = await this.db.queue.where("seq").above(seq).toArray();
    const created = new Set(later.filter((m) => m.op === "create").map((m) => m.record_id));
    if (created.size === 0) return false;
    return Object.values(fields).some((v) => (Array.isArray(v) ? v.some((x) => created.has(x as string)) : created.has(v as string)));
  }

  /** refresh recomputes what screens see of a record: the server copy with its queue over it. */
  private async refresh(collection: string, id: string): Promise<void> {
    const row = await this.db.records.get([collection, id]);
    const queued = await this.queueOf(collection, id);
    const server = row?.server ?? null;
    let data: Fields | null = server ? { ...server } : null;
    let deleted = false;
    for (const m of queued) {
      if (m.op === "delete") {
        deleted = true;
        continue;
      }
      if (m.op === "create" && !data) data = { id };
      if (data) Object.assign(data, m.fields); // an update of a record no longer held shows nothing
    }
    if (!data) {
      if (row) await this.db.records.delete([collection, id]);
      return;
    }
    data.id = id;
    const next: RecordRow = {
      collection,
      id,
      rev: server ? (row?.rev ?? 0) : 0,
      server,
      data,
      pending: queued.length > 0 ? 1 : 0,
      deleted: deleted ? 1 : 0,
      refs: refsOf(data),
    };
    await this.db.records.put(next);
  }

  /** putServer stores a server copy unless a newer one is stored (no refresh). */
  private async putServer(collection: string, id: string, rev: number | undefined, record: Fields): Promise<void> {
    const r = rev || Number(record.rev) || 0;
    const row = await this.db.records.get([collection, id]);
    if (row?.server && row.rev > r) return; // an answer older than what a pull brought
    await this.db.records.put({
      collection,
      id,
      rev: r,
      server: record,
      data: row?.data ?? record,
      pending: row?.pending ?? 0,
      deleted: row?.deleted ?? 0,
      refs: row?.refs ?? [],
    });
  }

  private async dropServer(collection: string, id: string): Promise<void> {
    const row = await this.db.records.get([collection, id]);
    if (row) await this.db.records.put({ ...row, server: null, rev: 0 });
  }

  // ---- reads ----

  /** get returns a record as the device shows it, or undefined. */
  async get(collection: string, id: string): Promise<LocalRecord | undefined> {
    const row = (await this.db.records.get([collection, id])) ?? (await this.db.records.get([collection, await this.serverId(collection, id)]));
    return row && !row.deleted ? toLocal(row) : undefined;
  }

  /**
   * list returns a collection's records as the device shows them. where
   * keeps the records whose fields equal the given values (a relation field
   * holding several ids matches when it contains the value); a record id
   * value is looked up through an index.
   */
  async list(collection: string, where: Fields = {}): Promise<LocalRecord[]> {
    const entries = Object.entries(where);
    const byRef = entries.find(([, v]) => isRecordId(v));
    const rows = byRef
      ? (await this.db.records.where("refs").equals(byRef[1] as string).toArray()).filter((r) => r.collection === collection)
      : await this.db.records.where("collection").equals(collection).toArray();
    return rows
      .filter((r) => !r.deleted && entries.every(([k, v]) => matches(r.data[k], v)))
      .map(toLocal);
  }

  /**
   * live turns a query into a store that re-runs when IndexedDB changes
   * (Dexie liveQuery): `const people = sync.live(() => sync.list("returnees"))`
   * then `$people` in a component (undefined until the first answer).
   */
  live<T>(query: () => Promise<T>): Observable<T> {
    return liveQuery(query);
  }

  /** queue returns the queued mutations, oldest first. */
  async queue(): Promise<QueuedMutation[]> {
    return this.db.queue.orderBy("seq").toArray();
  }

  /** hasUnpushed reports whether queued changes have not reached the server. */
  async hasUnpushed(): Promise<boolean> {
    return (await this.db.queue.count()) > 0;
  }

  /** problems returns the kept problems, oldest first. */
  async problems(): Promise<Problem[]> {
    return this.db.problems.orderBy("id").toArray();
  }

  // ---- problems ----

  /**
   * resend queues a refused or merged mutation again, as a new mutation with
   * fixedFields over its fields, and forgets the problem. A merged update
   * sends only fixedFields (the rest was applied). An update or delete of a
   * record deleted on the server (a conflict) cannot be resent.
   */
  async resend(problemId: number, fixedFields: Fields = {}): Promise<void> {
    await this.db.transaction("rw", [this.db.problems, this.db.records, this.db.queue], async () => {
      const p = await this.db.problems.get(problemId);
      if (!p) throw new LocalWriteError("no_problem", `no problem ${problemId}`);
      const m = p.mutation;
      if (p.kind === "conflict" && m.op !== "create") throw new LocalWriteError("cannot_resend", "the record was deleted on the server");
      const fields = p.kind === "merged" ? fixedFields : { ...m.fields, ...fixedFields };
      const exists = await this.db.records.get([m.collection, m.record_id]);
      if (m.op === "create" && !exists) await this.createIn(m.collection, fields, m.record_id);
      else if (m.op === "delete") await this.removeIn(m.collection, m.record_id);
      else if (Object.keys(fields).length > 0) await this.updateIn(m.collection, m.record_id, fields);
      await this.db.problems.delete(problemId);
    });
    await this.loadState();
  }

  /**
   * discard forgets a problem (the user has seen it), and what was kept
   * beside a record that is no longer on the device (a refused create).
   */
  async discard(problemId: number): Promise<void> {
    await this.db.transaction("rw", [this.db.problems, this.db.records, this.db.meta], async () => {
      const m = (await this.db.problems.get(problemId))?.mutation;
      await this.db.problems.delete(problemId);
      if (m && !(await this.db.records.get([m.collection, m.record_id]))) await this.db.meta.delete(keptKey(m.collection, m.record_id));
    });
    await this.loadState();
  }

  // ---- sync ----

  /**
   * syncNow pushes the queue, then pulls until has_more is false, retrying
   * network errors and 5xx answers with exponential backoff and jitter. Calls
   * made while a sync runs share it (and run it once more after it). It
   * never throws: the outcome is in the report and in state.
   */
  syncNow(): Promise<SyncReport> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let report: SyncReport;
      do {
        this.again = false;
        report = await this.syncWithRetries();
        // asked again meanwhile: run once more if this one succeeded, or failed offline and the network is back
      } while (this.again && (report.ok || (errorCode(report.error) === "network" && this.opts.isOnline())));
      return report;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async syncWithRetries(): Promise<SyncReport> {
    const report: SyncReport = { ok: false, attempts: 0, pushed: 0, pulledPages: 0, reset: false, problems: 0 };
    if (!this.opts.getToken()) {
      report.error = new HttpError(401, "signed out");
      return report;
    }
    this._state.update((s) => ({ ...s, syncing: true, downloaded: 0 }));
    let delay = this.opts.retryDelay;
    try {
      for (;;) {
        report.attempts++;
        try {
          await this.syncOnce(report);
          const at = new Date().toISOString();
          await this.db.meta.put({ key: META_LAST_SYNC, value: at });
          report.ok = true;
          report.error = undefined;
          this._state.update((s) => ({ ...s, lastSync: at, lastError: null, online: true }));
          return report;
        } catch (err) {
          report.error = err;
          const code = errorCode(err);
          // a server out of reach is offline for the user, whatever
          // navigator.onLine believes (a captive portal, a dead link, a
          // browser that keeps onLine true after an offline reload)
          this._state.update((s) => ({ ...s, lastError: code, online: code === "network" ? false : s.online }));
          if (code === "unauthorized") {
            this._state.update((s) => ({ ...s, authRequired: true }));
            this.opts.onUnauthorized?.();
            return report;
          }
          if (!isTransient(err) || report.attempts >= this.opts.maxAttempts || !this.opts.isOnline()) return report;
          // jitter: spread the retries of many devices coming back online at once
          await this.opts.sleep(delay / 2 + this.opts.random() * (delay / 2));
          delay = Math.min(delay * 2, this.opts.maxRetryDelay);
        }
      }
    } finally {
      this._state.update((s) => ({ ...s, syncing: false }));
      await this.loadState();
    }
  }

  private async syncOnce(report: SyncReport): Promise<void> {
    for (let round = 0; round < 2; round++) {
      await this.push(report);
      const reset = await this.pull(report);
      if (!reset || (await this.db.queue.count()) === 0) return;
      // a reset drops the local copy: push what is still queued, pull again
    }
  }

  /** push sends the queue in order until it is empty (see syncNow). */
  async push(report?: SyncReport): Promise<void> {
    const clientId = await this.clientId();
    let size = Math.min(this.opts.batchSize, MAX_MUTATIONS);
    for (;;) {
      const batch = await this.nextBatch(size);
      if (batch.length === 0) return;
      let resp: PushResponse;
      try {
        resp = await this.call<PushResponse>("POST", "/api/sync/push", {
          client_id: clientId,
          schema_version: 1,
          mutations: batch,
        });
      } catch (err) {
        if (err instanceof HttpError && (err.status === 413 || err.status === 400)) {
          if (batch.length > 1) {
            size = Math.ceil(batch.length / 2); // too big, or one bad mutation to find
            continue;
          }
          // this one mutation is refused as a whole: keep it as a problem, go on
          await this.settle(batch, [{ mutation_id: batch[0].mutation_id, status: "rejected",
            error: { code: err.status === 413 ? "too_large" : "bad_request", message: err.message } }], report, "invalid");
          continue;
        }
        throw err;
      }
      if (!Array.isArray(resp.results) || resp.results.length !== batch.length) {
        throw new NetworkError(`push: ${resp.results?.length ?? 0} results for ${batch.length} mutations`);
      }
      await this.fillRecords(batch, resp.results);
      await this.settle(batch, resp.results, report);
      if (report) report.pushed += batch.length;
    }
  }

  /**
   * nextBatch takes the next mutations from the head of the queue and marks
   * them sent. It stops before a second mutation of a record already in the
   * batch: that one's base_rev comes from the answer to the first.
   */
  private async nextBatch(size: number): Promise<Mutation[]> {
    return this.db.transaction("rw", this.db.queue, this.db.records, async () => {
      const queue = await this.db.queue.orderBy("seq").toArray();
      const batch: Mutation[] = [];
      const inBatch = new Set<string>();
      let bytes = 200;
      for (const q of queue) {
        const key = `${q.collection}/${q.record_id}`;
        if (batch.length === size || inBatch.has(key)) break;
        let changed = !q.sent;
        if (q.chained) {
          // what it waited for is settled: the server copy has the answered rev
          const row = await this.db.records.get([q.collection, q.record_id]);
          q.base_rev = row?.server ? row.rev : 0;
          q.chained = false;
          changed = true;
        }
        const m = toMutation(q);
        const b = JSON.stringify(m).length * 2; // UTF-16 length bounds UTF-8 bytes loosely
        if (batch.length > 0 && bytes + b > this.opts.maxBatchBytes) break;
        if (changed) await this.db.queue.put({ ...q, sent: true });
        bytes += b;
        inBatch.add(key);
        batch.push(m);
      }
      return batch;
    });
  }

  /**
   * fillRecords fetches through the REST API the record of a successful
   * result that came without one: the local copy and the base_rev of a
   * mutation chained behind it need the server's rev.
   */
  private async fillRecords(batch: Mutation[], results: PushResult[]): Promise<void> {
    for (const [i, r] of results.entries()) {
      const m = batch[i];
      if (r.record || m.op === "delete" || r.mutation_id !== m.mutation_id) continue;
      if (r.status !== "applied" && r.status !== "merged" && r.status !== "duplicate") continue;
      try {
        r.record = await this.call<Fields>("GET", `/api/collections/${encodeURIComponent(m.collection)}/records/${encodeURIComponent(m.record_id)}`);
        r.rev = undefined;
      } catch (err) {
        if (err instanceof HttpError && (err.status === 404 || err.status === 403)) continue; // a pull will evict it
        throw err;
      }
    }
  }

  /** settle applies the answers of a batch and takes it out of the queue, in one transaction. */
  private async settle(batch: Mutation[], results: PushResult[], report?: SyncReport, kind?: "invalid"): Promise<void> {
    await this.db.transaction("rw", [this.db.records, this.db.queue, this.db.problems, this.db.meta], async () => {
      const at = new Date().toISOString();
      const touched = new Map<string, [string, string]>();
      for (const [i, m] of batch.entries()) {
        const r = results[i];
        if (r.mutation_id !== m.mutation_id) {
          throw new NetworkError(`push: result ${i} is for mutation ${r.mutation_id}, not ${m.mutation_id}`);
        }
        let id = m.record_id;
        let problem: Problem | null = null;
        switch (r.status) {
          case "applied":
          case "merged":
          case "duplicate":
            if (r.record_id && r.record_id !== m.record_id) {
              // the server holds the record under its own id (a person registered before)
              id = r.record_id;
              await this.rebindLocal(m.collection, m.record_id, id);
            }
            if (r.record) await this.putServer(m.collection, id, r.rev, r.record);
            else if (m.op === "delete") await this.dropServer(m.collection, m.record_id);
            if (r.status === "merged" && r.conflicts?.length) {
              problem = { kind: "merged", mutation: m, status: r.status, conflicts: r.conflicts, at };
            }
            break;
          default: // conflict, rejected, or a status this client does not know
            problem = {
              kind: kind ?? (r.status === "conflict" ? "conflict" : "rejected"),
              mutation: m,
              status: kind ?? r.status,
              error: r.error,
              at,
            };
        }
        if (problem) {
          await this.db.problems.add(problem);
          if (report) report.problems++;
        }
        await this.db.queue.where("mutation_id").equals(m.mutation_id).delete();
        touched.set(`${m.collection}/${id}`, [m.collection, id]);
        touched.set(`${m.collection}/${m.record_id}`, [m.collection, m.record_id]);
      }
      for (const [collection, id] of touched.values()) {
        await this.refresh(collection, id);
        const row = await this.db.records.get([collection, id]);
        if (row?.server && !row.pending) await this.db.meta.delete(keptKey(collection, id));
      }
    });
  }

  /**
   * rebindLocal takes the server's id for a record this device created
   * under its own, when the server answered that it already held it (a
   * person registered before, found by their CURP: docs/sync.md). The
   * unsent mutations that name the device's id, as their record or in a
   * field, name the server's instead (an update then bases on the server's
   * copy); sent ones stay as they are, the server knows the alias. The
   * device's id is remembered, so that a screen opened on it finds the record.
   */
  private async rebindLocal(collection: string, from: string, to: string): Promise<void> {
    const swap = (v: unknown): unknown => (v === from ? to : Array.isArray(v) ? v.map(swap) : v);
    const touched: [string, string][] = [[collection, from]];
    for (const q of await this.db.queue.toArray()) {
      if (q.sent) continue;
      const next: QueuedMutation = { ...q, fields: Object.fromEntries(Object.entries(q.fields).map(([k, v]) => [k, swap(v)])) };
      if (q.collection === collection && q.record_id === from) {
        next.record_id = to;
        next.chained = q.op !== "create";
      }
      if (JSON.stringify(next) === JSON.stringify(q)) continue;
      await this.db.queue.put(next);
      touched.push([q.collection, q.record_id], [next.collection, next.record_id]);
    }
    await this.db.meta.put({ key: aliasKey(collection, from), value: to });
    await this.db.meta.delete(keptKey(collection, from)); // the server has the registration
    for (const [c, id] of touched) await this.refresh(c, id);
  }

  /** serverId is the id the server gave a record this device created as id, or id. */
  async serverId(collection: string, id: string): Promise<string> {
    return String((await this.db.meta.get(aliasKey(collection, id)))?.value ?? id);
  }

  /**
   * pull fetches the change log from the saved cursor until has_more is
   * false, applying each page and its cursor in one transaction. On reset it
   * drops the local copy (never the queue) and pulls from the start. It
   * returns whether a reset happened.
   */
  async pull(report?: SyncReport): Promise<boolean> {
    const clientId = await this.clientId();
    let cursor = String((await this.db.meta.get(META_CURSOR))?.value ?? "");
    let resets = 0;
    for (;;) {
      const q = new URLSearchParams({ client_id: clientId, limit: String(this.opts.pullLimit) });
      if (cursor) q.set("cursor", cursor);
      const page = await this.call<PullResponse>("GET", `/api/sync/pull?${q}`);
      if (report) report.pulledPages++;
      if (page.reset) {
        if (++resets > MAX_RESETS) throw new NetworkError(`pull: the server reset the cursor ${resets} times in a row`);
        if (report) report.reset = true;
        await this.resetLocal();
        cursor = "";
        continue;
      }
      await this.applyPage(page);
      this._state.update((s) => ({ ...s, downloaded: s.downloaded + (page.changes?.length ?? 0) }));
      if (!page.has_more) return resets > 0;
      if (page.cursor === cursor && !page.changes?.length) throw new NetworkError("pull: has_more without progress");
      cursor = page.cursor;
    }
  }

  private async applyPage(page: PullResponse): Promise<void> {
    await this.db.transaction("rw", [this.db.records, this.db.queue, this.db.meta], async () => {
      for (const ch of page.changes ?? []) {
        if (ch.op === "put" && ch.record) await this.putServer(ch.collection, ch.record_id, ch.rev, ch.record);
        else if (ch.op === "delete" || ch.op === "evict") await this.dropServer(ch.collection, ch.record_id);
        else continue; // an op this client does not know: skip rather than stall
        await this.refresh(ch.collection, ch.record_id);
      }
      await this.db.meta.put({ key: META_CURSOR, value: page.cursor });
    });
  }

  /** resetLocal drops the server copies and the cursor; queued work stays and shows. */
  private async resetLocal(): Promise<void> {
    await this.db.transaction("rw", [this.db.records, this.db.queue, this.db.meta], async () => {
      await this.db.records.clear();
      await this.db.meta.delete(META_CURSOR);
      const queue = await this.db.queue.toArray();
      const seen = new Set<string>();
      for (const m of queue) {
        const key = `${m.collection}/${m.record_id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        await this.refresh(m.collection, m.record_id);
      }
    });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const token = this.opts.getToken();
    if (!token) throw new HttpError(401, "signed out");
    return requestJSON<T>(this.opts.fetch, method, this.opts.baseUrl + path, token, body);
  }

  // ---- background ----

  /**
   * start syncs now and then: at once, every intervalMs while online, when
   * the browser comes back online, when the page becomes visible, and soon
   * after each realtime hint. stop undoes it.
   */
  async start(options: { intervalMs?: number; subscribeHint?: HintSubscriber } = {}): Promise<void> {
    this.stop();
    await this.loadState();
    const interval = options.intervalMs ?? 60_000;
    const kick = () => {
      if (this.opts.isOnline()) void this.syncNow();
    };
    const timer = setInterval(kick, interval);
    this.stopFns.push(() => clearInterval(timer));
    if (typeof window !== "undefined") {
      const online = () => {
        this._state.update((s) => ({ ...s, online: true }));
        kick();
      };
      const offline = () => this._state.update((s) => ({ ...s, online: false }));
      const visible = () => {
        if (document.visibilityState === "visible") kick();
      };
      window.addEventListener("online", online);
      window.addEventListener("offline", offline);
      document.addEventListener("visibilitychange", visible);
      this.stopFns.push(() => {
        window.removeEventListener("online", online);
        window.removeEventListener("offline", offline);
        document.removeEventListener("visibilitychange", visible);
      });
    }
    if (options.subscribeHint) {
      let active = true;
      let unsubscribe: (() => void | Promise<void>) | null = null;
      const subscribe = async () => {
        if (!active || unsubscribe || !this.opts.isOnline()) return;
        try {
          unsubscribe = await options.subscribeHint!(() => this.hint());
        } catch {
          // offline or refused: the interval and the online event still sync
        }
      };
      void subscribe();
      const again = () => void subscribe();
      if (typeof window !== "undefined") window.addEventListener("online", again);
      this.stopFns.push(() => {
        active = false;
        if (typeof window !== "undefined") window.removeEventListener("online", again);
        void unsubscribe?.();
      });
    }
    kick();
  }

  /** hint schedules a sync soon (debounced): the realtime "pull now". */
  hint(delayMs = 300): void {
    if (this.hintTimer) clearTimeout(this.hintTimer);
    this.hintTimer = setTimeout(() => {
      this.hintTimer = null;
      if (this.opts.isOnline()) void this.syncNow();
    }, delayMs);
  }

  /** stop ends what start began. */
  stop(): void {
    for (const fn of this.stopFns.splice(0)) fn();
    if (this.hintTimer) clearTimeout(this.hintTimer);
    this.hintTimer = null;
  }

  /** requestPersistence asks the browser not to evict the database under storage pressure. */
  async requestPersistence(): Promise<boolean> {
    try {
      if (typeof navigator === "undefined" || !navigator.storage?.persist) return false;
      if (await navigator.storage.persisted()) return true;
      return await navigator.storage.persist();
    } catch {
      return false;
    }
  }

  /** loadState reads the counts and the last sync time into state. */
  async loadState(): Promise<void> {
    const [pending, problems, last] = await Promise.all([
      this.db.queue.count(),
      this.db.problems.count(),
      this.db.meta.get(META_LAST_SYNC),
    ]);
    this._state.update((s) => ({
      ...s,
      pending,
      problems,
      lastSync: typeof last?.value === "string" ? last.value : null,
      // offline stays offline until a sync succeeds or the browser says online again
      online: this.opts.isOnline() && s.online,
    }));
  }
}

/** errorCode classifies a sync error for the user. */
export function errorCode(err: unknown): SyncErrorCode {
  if (err instanceof NetworkError) return "network";
  if (err instanceof HttpError) {
    if (err.status === 401) return "unauthorized";
    if (err.status >= 500 || err.status === 408 || err.status === 429) return "server";
    return "bad_request";
  }
  return "unknown";
}

function keptKey(collection: string, id: string): string {
  return `${KEPT}${collection}/${id}`;
}

function toMutation(q: QueuedMutation): Mutation {
  const { mutation_id, collection, record_id, op, base_rev, fields, client_ts } = q;
  return { mutation_id, collection, record_id, op, base_rev, fields, client_ts };
}

function toLocal(row: RecordRow): LocalRecord {
  return { ...row.data, id: row.id, rev: row.rev, _pending: row.pending === 1 };
}

function refsOf(data: Fields): string[] {
  const refs = new Set<string>();
  for (const [k, v] of Object.entries(data)) {
    if (k === "id") continue;
    if (isRecordId(v)) refs.add(v);
    else if (Array.isArray(v)) for (const x of v) if (isRecordId(x)) refs.add(x);
  }
  return [...refs];
}

function matches(value: unknown, want: unknown): boolean {
  if (Array.isArray(value) && !Array.isArray(want)) return value.includes(want);
  return value === want;
}
