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
import { coalesce } from "./coalesce";
import { KEPT_PREFIX, LOOKUP_KEY, SEALED, chunksOf, openDB, type Problem, type QueuedMutation, type RecordRow, type RetornoDB } from "./db";
import { HttpError, NetworkError, isTransient, requestJSON, type ServerAccess } from "./http";
import { isRecordId, newClientId, newId, newMutationId } from "./ids";
import { hmacSha256 } from "./hmac";
import { writable, type Readable } from "./store";
import type { Fields, Mutation, Op, PullResponse, PullWindow, PushResponse, PushResult } from "./types";
import { LockedError, Vault, type Keyring, type VaultOptions } from "./vault";
import { PEOPLE, pruneWindow } from "./window";

/** ACCOUNT_DISABLED is the server's code for a token or sign-in of an account that was switched off. */
export const ACCOUNT_DISABLED = "account_disabled";

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
  /** records the sync under way has pulled so far */
  downloaded: number;
  /**
   * the progress of a first sync (or of the sync after a reset): the people
   * received so far and the server's count of those it will send (0 when
   * unknown); null when the device holds its copy already
   */
  progress: FirstSync | null;
  /** the window of its user's scope the device holds, or null for all of it */
  window: PullWindow | null;
  /** the server refused the token: sign in again */
  authRequired: boolean;
  /** the device's data is encrypted and its key is not in memory: sync waits for the unlock */
  locked: boolean;
}

/** FirstSync is the progress of a sync that started from nothing. */
export interface FirstSync {
  received: number;
  expected: number;
  /** the window's first day when it began ("" without a window) */
  since: string;
}

/** LocalWrite is one write of writeAll: a create (with its id, newId) or an update. */
export type LocalWrite = { op: "create" | "update"; collection: string; id: string; fields: Fields };

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

export interface SyncOptions extends ServerAccess {
  /** the IndexedDB database name */
  dbName?: string;
  /** called when the server refuses the token (401) */
  onUnauthorized?: () => void;
  /** called when the server answers that the account was switched off (account_disabled): erase the device's copy */
  onDisabled?: () => void;
  /** encrypt the device's copy (sealed.ts) under a vault made with these options */
  encryption?: VaultOptions;
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
  /**
   * lookupKeys returns the plain lookup values of a record as screens see
   * it (a person's duplicate block, a return's day); the device indexes
   * their keyed hashes, never the values (lookup). Its version names the
   * rule: a new version rebuilds the index.
   */
  lookupKeys?: ((collection: string, data: Fields) => string[]) & { version?: string };
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
const META_VAULT = "vault";
// set once every row is sealed (sealAll)
const META_SEALED = "sealed";
// the first sync's progress (FirstSync), the window (PullWindow) and the
// window's first day the device last pruned by
const META_FIRST_SYNC = "first_sync";
const META_WINDOW = "window";
const META_PRUNED = "pruned_since";
// the device's key of the lookup index (sealed with a vault: db.SEALED),
// and the rule its keys were made by
const META_LOOKUP_KEY = LOOKUP_KEY;
const META_LOOKUP_INDEXED = "lookup_indexed";
// meta keys of keepUntilSynced's values: "kept:<collection>/<id>"
const KEPT = KEPT_PREFIX;
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
  /** the key of the device's copy, when it is encrypted (SyncOptions.encryption) */
  readonly vault: Vault | null;
  private readonly opts: Required<Omit<SyncOptions, "onUnauthorized" | "onDisabled" | "dbName" | "encryption" | "lookupKeys">> &
    Pick<SyncOptions, "onUnauthorized" | "onDisabled" | "lookupKeys">;
  private readonly _state = writable<SyncState>({
    online: true,
    syncing: false,
    pending: 0,
    lastSync: null,
    lastError: null,
    problems: 0,
    authRequired: false,
    downloaded: 0,
    locked: false,
    progress: null,
    window: null,
  });
  private clientIdValue: string | null = null;
  // one sync at a time; asked again meanwhile: once more if this one
  // succeeded, or failed offline and the network is back
  private readonly runSync = coalesce(
    () => this.syncWithRetries(),
    (report) => report.ok || (errorCode(report.error) === "network" && this.opts.isOnline()),
  );
  private stopFns: (() => void)[] = [];
  private hintTimer: ReturnType<typeof setTimeout> | null = null;
  private mac: ((text: string) => string) | null = null;
  private macLoading: Promise<(text: string) => string> | null = null;

  /** state is a readable store of the sync state (Svelte: $state). */
  readonly state: Readable<SyncState> = { subscribe: (run) => this._state.subscribe(run) };

  constructor(options: SyncOptions) {
    this.vault = options.encryption ? new Vault(this.keyringStore(), options.encryption) : null;
    this.db = openDB(options.dbName, this.vault ?? undefined);
    this.vault?.onChange((unlocked) => {
      this._state.update((s) => ({ ...s, locked: !unlocked }));
      // the lookup index's key is sealed too: it goes with the data key
      if (!unlocked) this.mac = this.macLoading = null;
    });
    this.opts = {
      baseUrl: "",
      fetch: (input, init) => globalThis.fetch(input, init),
      batchSize: MAX_MUTATIONS,
      maxBatchBytes: MAX_PUSH_BYTES - 256 * 1024,
      pullLimit: 1000,
      maxAttempts: 5,
      retryDelay: 500,
      maxRetryDelay: 15_000,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      isOnline: browserOnline,
      ...options,
    };
    this._state.update((s) => ({ ...s, online: this.opts.isOnline(), locked: !!this.vault && !this.vault.unlocked }));
  }

  /** keyringStore keeps the vault's keyring in meta, in clear (it holds the data key wrapped only). */
  private keyringStore() {
    return {
      load: async () => (await this.db.meta.get(META_VAULT))?.value as Keyring | undefined,
      save: async (k: Keyring) => void (await this.db.meta.put({ key: META_VAULT, value: k })),
    };
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
    const cleared = await this.db.transaction("rw", [this.db.meta, this.db.records, this.db.queue, this.db.problems, this.db.uploads, this.db.thumbs], async () => {
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

  /** clearAll drops every local record, the queue, problems, documents' files, the user and the data key (sign-out). */
  async clearAll(): Promise<void> {
    await this.db.transaction("rw", [this.db.meta, this.db.records, this.db.queue, this.db.problems, this.db.uploads, this.db.thumbs], () => this.clearLocal());
    this.vault?.lock();
    await this.loadState();
  }

  /**
   * sealAll encrypts what the device stored before its copy was encrypted
   * (an upgrade): every row of the sealed tables is written again, queued
   * mutations included, once. The vault must be unlocked.
   */
  async sealAll(): Promise<void> {
    if (!this.vault?.unlocked || (await this.db.meta.get(META_SEALED))?.value) return;
    for (const name of Object.keys(SEALED)) {
      // a chunk at a time: a device may hold a whole window of people
      const table = this.db.table(name);
      let keys = await table.orderBy(":id").limit(500).primaryKeys();
      while (keys.length > 0) {
        const chunk = keys;
        await this.db.transaction("rw", table, async () => {
          await table.bulkPut((await table.bulkGet(chunk)).filter(Boolean));
        });
        keys = await table.where(":id").above(chunk[chunk.length - 1]).limit(500).primaryKeys();
      }
    }
    await this.db.meta.put({ key: META_SEALED, value: true });
  }

  /** destroy deletes the device's database: records, queue, problems, kept values and the keyring (a deactivated account). */
  async destroy(): Promise<void> {
    this.stop();
    this.vault?.lock();
    await this.db.delete();
  }

  private async clearLocal(): Promise<void> {
    await this.db.records.clear();
    await this.db.queue.clear();
    await this.db.problems.clear();
    await this.db.uploads.clear();
    await this.db.thumbs.clear();
    await this.db.meta.bulkDelete([
      META_CURSOR, META_LAST_SYNC, META_USER, META_VAULT, META_SEALED, META_FIRST_SYNC, META_WINDOW, META_PRUNED,
      META_LOOKUP_KEY, META_LOOKUP_INDEXED,
    ]);
    this.mac = null;
    this.macLoading = null;
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
    await this.lookupReady();
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
   * writeAll makes several local writes in one transaction, queued in
   * their order, as create and update would one by one: a registration
   * (the person, their consents, the return, the needs that wait for a
   * consent) is one write of the device's database instead of five.
   */
  async writeAll(writes: LocalWrite[]): Promise<void> {
    await this.lookupReady();
    await this.db.transaction("rw", this.db.records, this.db.queue, async () => {
      for (const w of writes) {
        if (w.op === "create") await this.createIn(w.collection, w.fields, w.id);
        else if (Object.keys(w.fields).length > 0) await this.updateIn(w.collection, w.id, w.fields);
      }
    });
    await this.loadState();
  }

  /**
   * update changes fields of a record locally and queues the change. An
   * update of a record whose create or update is the last mutation queued
   * and not sent yet is folded into that mutation; otherwise base_rev is the
   * rev of the server copy (for a record created here, the rev its create
   * was answered with). Folding never moves a change ahead of a mutation
   * queued after it: the server may accept the change only because of that
   * one (a record it names, a consent it needs: sensitive needs are stored
   * only after their consent).
   */
  async update(collection: string, id: string, fields: Fields): Promise<void> {
    if (Object.keys(fields).length === 0) return;
    await this.lookupReady();
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
    } else if (!last.sent && !(await this.queuedAfter(last.seq!))) {
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
    await this.lookupReady();
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

  /** queuedAfter: is any mutation queued after seq? */
  private async queuedAfter(seq: number): Promise<boolean> {
    return (await this.db.queue.where("seq").above(seq).count()) > 0;
  }

  /** refresh recomputes what screens see of a record: the server copy with its queue over it. */
  private async refresh(collection: string, id: string): Promise<void> {
    const row = await this.db.records.get([collection, id]);
    const next = this.rowOf(collection, id, row?.server ?? null, row?.rev ?? 0, await this.queueOf(collection, id));
    if (next) await this.db.records.put(next);
    else if (row) await this.db.records.delete([collection, id]);
  }

  /**
   * rowOf is a record as the device stores it: server (its copy of rev, or
   * null) with the queued mutations of the record over it, or null when
   * nothing is left to show (no copy, and no create queued).
   */
  private rowOf(collection: string, id: string, server: Fields | null, rev: number, queued: QueuedMutation[]): RecordRow | null {
    // with nothing queued, data is the server copy itself: IndexedDB clones
    // and stores one object twice referenced once
    let data: Fields | null = server && queued.length > 0 ? { ...server } : server;
    let deleted = false;
    for (const m of queued) {
      if (m.op === "delete") {
        deleted = true;
        continue;
      }
      if (m.op === "create" && !data) data = { id };
      if (data) Object.assign(data, m.fields); // an update of a record no longer held shows nothing
    }
    if (!data) return null;
    if (data.id !== id) data = { ...data, id };
    return {
      collection,
      id,
      rev: server ? rev : 0,
      server,
      data,
      pending: queued.length > 0 ? 1 : 0,
      deleted: deleted ? 1 : 0,
      refs: refsOf(data),
      keys: this.keysOf(collection, data),
    };
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
      keys: row?.keys,
    });
  }

  private async dropServer(collection: string, id: string): Promise<void> {
    const row = await this.db.records.get([collection, id]);
    if (row) await this.db.records.put({ ...row, server: null, rev: 0 });
  }

  // ---- the lookup index ----

  /**
   * lookupReady loads the device's lookup key (made on first use: 32
   * random bytes), so that writes inside transactions can hash. An
   * encryption layer that holds a key of its own gives it with
   * setLookupKey.
   */
  private lookupReady(): Promise<(text: string) => string> {
    this.macLoading ??= (async () => {
      const key = await this.db.transaction("rw", this.db.meta, async () => {
        const row = await this.db.meta.get(META_LOOKUP_KEY);
        if (row?.value instanceof Uint8Array) return row.value;
        const made = crypto.getRandomValues(new Uint8Array(32));
        await this.db.meta.put({ key: META_LOOKUP_KEY, value: made });
        return made;
      });
      this.mac = hmacSha256(key);
      return this.mac;
    })().catch((err: unknown) => {
      this.macLoading = null;
      throw err;
    });
    return this.macLoading;
  }

  /** setLookupKey replaces the key of the lookup index and rebuilds it. */
  async setLookupKey(key: Uint8Array): Promise<void> {
    await this.db.meta.bulkPut([{ key: META_LOOKUP_KEY, value: key }, { key: META_LOOKUP_INDEXED, value: "" }]);
    this.mac = hmacSha256(key);
    this.macLoading = Promise.resolve(this.mac);
    await this.reindex();
  }

  /**
   * hashKey is the keyed hash of a plain lookup value, as the index holds
   * it: lookup(collection, dupKey(fields)) looks people up by the hash of
   * their duplicate block.
   */
  async hashKey(plain: string): Promise<string> {
    return keyed(await this.lookupReady(), plain);
  }

  /** lookup returns the records of collection (as screens see them) with the lookup value plain. */
  async lookup(collection: string, plain: string): Promise<LocalRecord[]> {
    if (!plain) return [];
    const rows = await this.db.records.where("keys").equals(await this.hashKey(plain)).toArray();
    return rows.filter((r) => r.collection === collection && !r.deleted).map(toLocal);
  }

  /** keysOf is the keyed hashes of a record's lookup values. */
  private keysOf(collection: string, data: Fields): string[] | undefined {
    const mac = this.mac;
    if (!this.opts.lookupKeys || !mac) return undefined;
    return [...new Set(this.opts.lookupKeys(collection, data).filter(Boolean).map((v) => keyed(mac, v)))];
  }

  /**
   * reindex gives every record its lookup keys, chunk records at a time,
   * unless they were made under this key and rule already (a database of
   * an earlier version, a new key or rule).
   */
  async reindex(chunk = 500): Promise<void> {
    if (!this.opts.lookupKeys) return;
    await this.lookupReady();
    const rule = this.opts.lookupKeys.version ?? "1";
    if ((await this.db.meta.get(META_LOOKUP_INDEXED))?.value === rule) return;
    let after: [string, string] = ["", ""];
    for (;;) {
      const rows = await this.db.records.where(":id").above(after).limit(chunk).toArray();
      if (rows.length === 0) break;
      after = [rows[rows.length - 1].collection, rows[rows.length - 1].id];
      await this.db.transaction("rw", this.db.records, async () => {
        for (const r of await this.db.records.bulkGet(rows.map((x): [string, string] => [x.collection, x.id]))) {
          if (r) await this.db.records.put({ ...r, keys: this.keysOf(r.collection, r.data) });
        }
      });
    }
    await this.db.meta.put({ key: META_LOOKUP_INDEXED, value: rule });
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
   * find reads a collection's records as screens see them, chunk by chunk
   * in id order (memory holds a chunk and the matches, whatever the
   * collection's size), and returns the first limit that match and how many
   * match in all. It stops early, returning null, once stop() says so (a
   * newer search).
   */
  async find(
    collection: string, match: (r: LocalRecord) => boolean, limit = 50, stop: () => boolean = () => false, chunk = 500,
  ): Promise<{ records: LocalRecord[]; total: number } | null> {
    const records: LocalRecord[] = [];
    let total = 0;
    for await (const rows of chunksOf(this.db, collection, chunk)) {
      if (stop()) return null;
      for (const r of rows) {
        if (r.deleted) continue;
        const local = toLocal(r);
        if (!match(local)) continue;
        if (++total <= limit) records.push(local);
      }
    }
    return stop() ? null : { records, total };
  }

  /** pendingOf lists the records of collection with changes not yet on the server (an index range). */
  async pendingOf(collection: string): Promise<LocalRecord[]> {
    const rows = await this.db.records.where("[collection+pending]").equals([collection, 1]).toArray();
    return rows.filter((r) => !r.deleted).map(toLocal);
  }

  /** count is how many records of collection the device holds (an index count: cheap at any size). */
  async count(collection: string): Promise<number> {
    return this.db.records.where("collection").equals(collection).count();
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

  /** unsentCount is what unpushed counts (readable while locked: counts read indexes only). */
  unsentCount(): Promise<number> {
    return this.unpushed();
  }

  /** hasUnpushed reports whether queued changes or documents' files have not reached the server. */
  async hasUnpushed(): Promise<boolean> {
    return (await this.unpushed()) > 0;
  }

  /** unpushed counts the queued mutations and the documents' files not uploaded yet (sign-out warns of them). */
  async unpushed(): Promise<number> {
    const [queued, files] = await Promise.all([this.db.queue.count(), this.db.uploads.where("done").equals(0).count()]);
    return queued + files;
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
    await this.lookupReady();
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
    return this.runSync();
  }

  private async syncWithRetries(): Promise<SyncReport> {
    const report: SyncReport = { ok: false, attempts: 0, pushed: 0, pulledPages: 0, reset: false, problems: 0 };
    if (!this.opts.getToken()) {
      report.error = new HttpError(401, "signed out");
      return report;
    }
    if (this.vault && !this.vault.unlocked) {
      report.error = new LockedError(); // the queue waits for the unlock (state.locked)
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
          if (err instanceof LockedError) return report; // locked meanwhile: the sync resumes at the unlock
          const code = errorCode(err);
          // a server out of reach is offline for the user, whatever
          // navigator.onLine believes (a captive portal, a dead link, a
          // browser that keeps onLine true after an offline reload)
          this._state.update((s) => ({ ...s, lastError: code, online: code === "network" ? false : s.online }));
          if (err instanceof HttpError && err.code === ACCOUNT_DISABLED) {
            this.opts.onDisabled?.();
            return report;
          }
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
    await this.lookupReady();
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
   * false, applying each page and its cursor in one transaction, so that
   * memory holds one page at a time and screens show what has arrived. On
   * reset it drops the local copy (never the queue) and pulls from the
   * start. A sync from nothing counts the people it receives against the
   * server's estimate (state.progress). Once done, it prunes what left the
   * device's window (window.ts). It returns whether a reset happened.
   */
  async pull(report?: SyncReport): Promise<boolean> {
    const clientId = await this.clientId();
    await this.lookupReady();
    let cursor = String((await this.db.meta.get(META_CURSOR))?.value ?? "");
    let first = ((await this.db.meta.get(META_FIRST_SYNC))?.value as FirstSync | undefined) ?? null;
    let resets = 0;
    const fetchPage = (from: string) => {
      const q = new URLSearchParams({ client_id: clientId, limit: String(this.opts.pullLimit) });
      if (from) q.set("cursor", from);
      const p = this.call<PullResponse>("GET", `/api/sync/pull?${q}`);
      p.catch(() => {}); // awaited below, unless a page before it fails
      return p;
    };
    let next = fetchPage(cursor);
    for (;;) {
      const page = await next;
      if (report) report.pulledPages++;
      if (page.reset) {
        if (++resets > MAX_RESETS) throw new NetworkError(`pull: the server reset the cursor ${resets} times in a row`);
        if (report) report.reset = true;
        await this.resetLocal();
        cursor = "";
        next = fetchPage(cursor);
        continue;
      }
      // the next page is on its way while this one is written (two pages
      // in memory at the most): the server's time and the device's overlap
      if (page.has_more && (page.cursor !== cursor || page.changes?.length)) next = fetchPage(page.cursor);
      if (!cursor) first = { received: 0, expected: page.estimate?.[PEOPLE] ?? 0, since: page.window?.since ?? "" };
      if (first) {
        const people = (page.changes ?? []).filter((ch) => ch.op === "put" && ch.collection === PEOPLE).length;
        first = { ...first, received: first.received + people };
      }
      await this.applyPage(page, page.has_more ? first : null);
      const progress = page.has_more ? first : null;
      this._state.update((s) => ({ ...s, downloaded: s.downloaded + (page.changes?.length ?? 0), progress }));
      if (!page.has_more) {
        await this.keepWindow(page.window ?? null, first?.since);
        return resets > 0;
      }
      if (page.cursor === cursor && !page.changes?.length) throw new NetworkError("pull: has_more without progress");
      cursor = page.cursor;
    }
  }

  /**
   * applyPage applies a page's changes and stores its cursor, and the first
   * sync's progress (or its end, null), in one transaction: a few bulk
   * operations whatever the page's size.
   */
  private async applyPage(page: PullResponse, first: FirstSync | null): Promise<void> {
    // an op this client does not know is skipped rather than stall
    const changes = (page.changes ?? []).filter((ch) => (ch.op === "put" && ch.record) || ch.op === "delete" || ch.op === "evict");
    await this.db.transaction("rw", [this.db.records, this.db.queue, this.db.meta], async () => {
      const keys = changes.map((ch): [string, string] => [ch.collection, ch.record_id]);
      // (read first: Dexie's change tracking of the puts then has the old
      // rows at hand; a page written without this read took half as long again)
      const rows = await this.db.records.bulkGet(keys);
      const queued = await this.queuedFor(keys);
      const puts: RecordRow[] = [];
      const drops: [string, string][] = [];
      changes.forEach((ch, i) => {
        const row = rows[i];
        let server = row?.server ?? null;
        let rev = row?.rev ?? 0;
        if (ch.op !== "put") [server, rev] = [null, 0];
        else if (!(row?.server && row.rev > (ch.rev || Number(ch.record!.rev) || 0))) {
          // (unless an answer of a push brought a newer copy)
          [server, rev] = [ch.record!, ch.rev || Number(ch.record!.rev) || 0];
        }
        const next = this.rowOf(ch.collection, ch.record_id, server, rev, queued.get(`${ch.collection}/${ch.record_id}`) ?? []);
        if (next) puts.push(next);
        else if (row) drops.push(keys[i]);
      });
      await this.db.records.bulkPut(puts);
      await this.db.records.bulkDelete(drops);
      await this.db.meta.put({ key: META_CURSOR, value: page.cursor });
      if (first) await this.db.meta.put({ key: META_FIRST_SYNC, value: first });
      else await this.db.meta.delete(META_FIRST_SYNC);
    });
  }

  /** queuedFor groups the queued mutations of the records keys, in queue order, by collection/id. */
  private async queuedFor(keys: [string, string][]): Promise<Map<string, QueuedMutation[]>> {
    const out = new Map<string, QueuedMutation[]>();
    if (keys.length === 0 || (await this.db.queue.count()) === 0) return out;
    // the keys first (anyOf walks a cursor, which a sealed table gives
    // without values only), then the rows
    const seqs = await this.db.queue.where("[collection+record_id]").anyOf(keys).primaryKeys();
    const found = (await this.db.queue.bulkGet(seqs.sort((a, b) => a - b))).filter((m) => m !== undefined);
    for (const m of found) {
      const k = `${m.collection}/${m.record_id}`;
      out.set(k, [...(out.get(k) ?? []), m]);
    }
    return out;
  }

  /**
   * keepWindow stores the window the last page told, and prunes what fell
   * out of it since the device last pruned; not after a sync from nothing
   * under the same window, which sent nothing older.
   */
  private async keepWindow(window: PullWindow | null, freshSince?: string): Promise<void> {
    if (!window) {
      await this.db.meta.bulkDelete([META_WINDOW, META_PRUNED]);
    } else {
      await this.db.meta.put({ key: META_WINDOW, value: window });
      const pruned = (await this.db.meta.get(META_PRUNED))?.value;
      if (pruned !== window.since && freshSince !== window.since) await pruneWindow(this.db, window.since);
      await this.db.meta.put({ key: META_PRUNED, value: window.since });
    }
    this._state.update((s) => ({ ...s, window }));
  }

  /** resetLocal drops the server copies and the cursor; queued work stays and shows. */
  private async resetLocal(): Promise<void> {
    await this.db.transaction("rw", [this.db.records, this.db.queue, this.db.meta], async () => {
      await this.db.records.clear();
      await this.db.meta.bulkDelete([META_CURSOR, META_PRUNED]);
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
    void this.reindex().catch(() => {}); // a database of an earlier version: its lookup keys, in the background
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
    const [pending, problems, last, first, window] = await Promise.all([
      this.db.queue.count(),
      this.db.problems.count(),
      this.db.meta.get(META_LAST_SYNC),
      this.db.meta.get(META_FIRST_SYNC),
      this.db.meta.get(META_WINDOW),
    ]);
    this._state.update((s) => ({
      ...s,
      pending,
      problems,
      lastSync: typeof last?.value === "string" ? last.value : null,
      progress: (first?.value as FirstSync | undefined) ?? null,
      window: (window?.value as PullWindow | undefined) ?? null,
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

/** keyed is the index's form of a plain lookup value: its HMAC under the device's key, cut to 128 bits. */
function keyed(mac: (text: string) => string, plain: string): string {
  return mac(plain).slice(0, 32);
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
