// Encryption at rest of the device's database: a Dexie middleware that seals
// the personal fields of a row (AES-GCM, vault.ts) on every write and opens
// them on every read, so that the sync client and the screens read and write
// plain rows while IndexedDB holds only ciphertext. What a table keeps in
// clear is what its indexes need (keys, ids, flags); the rest of the named
// fields go into one envelope, row.$sealed = {iv, ct}, whose plaintext names
// the fields it holds.
//
// Any table can be sealed: name it in the spec passed to sealMiddleware (db.ts,
// SEALED) with the fields to seal. Values may be anything JSON holds, plus
// Blob, ArrayBuffer, typed arrays and Date (a queued photo).
//
// IndexedDB commits a transaction as soon as it has no request pending, and
// WebCrypto answers outside IndexedDB's callbacks: while a row is sealed or
// opened inside a transaction, keepAlive keeps the transaction busy with
// dummy reads and hands the result back inside one of their callbacks, where
// the transaction still accepts requests (what Dexie.waitFor does).
//
// Rows written before the copy was encrypted have no envelope and are read
// as they are; re-writing them seals them (SyncClient.sealAll).

import type { DBCore, DBCoreTable, DBCoreTransaction, Middleware } from "dexie";
import type { Vault } from "./vault";

/** SealSpec names, per table, the fields of a row to seal ("a.b" for a nested field); [] keeps a row in clear. */
export type SealSpec = Record<string, (row: Record<string, unknown>) => readonly string[]>;

interface Envelope {
  iv: Uint8Array<ArrayBuffer>;
  ct: ArrayBuffer;
}

type Row = Record<string, unknown> & { $sealed?: Envelope };

// ---- values to bytes and back: JSON, with binary values beside it ----

type Marker = { $bin: number; t: "blob" | "buffer" | "bytes"; type?: string } | { $date: string };

async function encode(value: unknown): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array[] = [];
  const walk = async (v: unknown): Promise<unknown> => {
    if (v instanceof Date) return { $date: v.toISOString() } satisfies Marker;
    if (typeof Blob !== "undefined" && v instanceof Blob) {
      parts.push(new Uint8Array(await v.arrayBuffer()));
      return { $bin: parts.length - 1, t: "blob", type: v.type } satisfies Marker;
    }
    if (v instanceof ArrayBuffer) {
      parts.push(new Uint8Array(v));
      return { $bin: parts.length - 1, t: "buffer" } satisfies Marker;
    }
    if (ArrayBuffer.isView(v)) {
      parts.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      return { $bin: parts.length - 1, t: "bytes" } satisfies Marker;
    }
    if (Array.isArray(v)) return Promise.all(v.map(walk));
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = await walk(x);
      return out;
    }
    return v;
  };
  const json = new TextEncoder().encode(JSON.stringify([await walk(value), parts.map((p) => p.length)]));
  const out = new Uint8Array(4 + json.length + parts.reduce((n, p) => n + p.length, 0));
  new DataView(out.buffer).setUint32(0, json.length);
  out.set(json, 4);
  let at = 4 + json.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function decode(buf: ArrayBuffer): unknown {
  const bytes = new Uint8Array(buf);
  const n = new DataView(buf).getUint32(0);
  const [value, sizes] = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n))) as [unknown, number[]];
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let at = 4 + n;
  for (const size of sizes) {
    parts.push(bytes.slice(at, at + size));
    at += size;
  }
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const m = v as Record<string, unknown>;
      if (typeof m.$date === "string") return new Date(m.$date);
      if (typeof m.$bin === "number") {
        const p = parts[m.$bin];
        return m.t === "blob" ? new Blob([p], { type: String(m.type ?? "") }) : m.t === "buffer" ? p.buffer : p;
      }
      return Object.fromEntries(Object.entries(m).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value);
}

// ---- rows ----

function getPath(row: Record<string, unknown>, path: string): unknown {
  let v: unknown = row;
  for (const k of path.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** setPath sets (or with undefined deletes) a field of row, copying the objects on the way: rows Dexie hands over are not ours. */
function setPath(row: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let o = row;
  for (const k of keys.slice(0, -1)) {
    const next = o[k];
    if (!next || typeof next !== "object") return;
    o = o[k] = { ...(next as Record<string, unknown>) };
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
}

/** sealRow returns a copy of row with the fields named sealed into $sealed. */
export async function sealRow(vault: Vault, table: string, row: Row, fields: readonly string[]): Promise<Row> {
  if (fields.length === 0) return row;
  const plain: Record<string, unknown> = {};
  const out: Row = { ...row };
  for (const f of fields) {
    const v = getPath(row, f);
    if (v !== undefined) plain[f] = v;
    setPath(out, f, undefined);
  }
  out.$sealed = await vault.encrypt(await encode(plain), aadOf(table));
  return out;
}

/**
 * Opened is a cache of opened envelopes, by their IV (every seal draws a new
 * one, so an IV names one plaintext for good): screens list the same records
 * again and again (a search reads every local person), and AES-GCM through
 * WebCrypto costs a round trip each. It holds what the unlocked screens may
 * read anyway, and is emptied when the vault locks.
 */
export class Opened {
  private readonly map = new Map<string, Record<string, unknown>>();
  constructor(private readonly max = 5_000) {}

  get(iv: Uint8Array): Record<string, unknown> | undefined {
    const plain = this.map.get(ivKey(iv));
    return plain && structuredClone(plain); // a caller may change what it gets
  }

  set(iv: Uint8Array, plain: Record<string, unknown>): void {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    this.map.set(ivKey(iv), structuredClone(plain));
  }

  clear(): void {
    this.map.clear();
  }
}

function ivKey(iv: Uint8Array): string {
  return String.fromCharCode(...iv);
}

/** openRow returns row with its sealed fields back in place (a row without an envelope is returned as it is). */
export async function openRow(vault: Vault, table: string, row: Row | undefined, opened?: Opened): Promise<Row | undefined> {
  if (!row?.$sealed) return row;
  let plain = opened?.get(row.$sealed.iv);
  if (!plain) {
    plain = decode(await vault.decrypt(row.$sealed.iv, row.$sealed.ct, aadOf(table))) as Record<string, unknown>;
    opened?.set(row.$sealed.iv, plain);
  }
  const out: Row = { ...row };
  delete out.$sealed;
  for (const [f, v] of Object.entries(plain)) setPath(out, f, v);
  return out;
}

function aadOf(table: string): string {
  return `retorno/${table}`;
}

/**
 * keepAlive resolves with what work resolves, inside a callback of a dummy
 * request of trans, so that the caller may go on using the transaction.
 */
function keepAlive<T>(trans: DBCoreTransaction, work: Promise<T>): Promise<T> {
  const idb = trans as unknown as IDBTransaction;
  let store: IDBObjectStore;
  try {
    store = idb.objectStore(idb.objectStoreNames[0]);
  } catch {
    return work; // the transaction is over: nothing to keep
  }
  return new Promise((resolve, reject) => {
    let done: (() => void) | null = null;
    work.then(
      (v) => (done = () => resolve(v)),
      (e) => (done = () => reject(e)),
    );
    const spin = () => {
      if (done) return done();
      try {
        store.get(-Infinity).onsuccess = spin;
      } catch {
        work.then(resolve, reject); // the transaction ended meanwhile
      }
    };
    spin();
  });
}

/** sealMiddleware seals the fields spec names, table by table, with vault's key. */
export function sealMiddleware(vault: Vault, spec: SealSpec): Middleware<DBCore> {
  const opened = new Opened();
  vault.onChange((unlocked) => unlocked || opened.clear());
  return {
    stack: "dbcore",
    name: "Sealed",
    create(down: DBCore): DBCore {
      return {
        ...down,
        table(name: string): DBCoreTable {
          const table = down.table(name);
          const fieldsOf = spec[name];
          if (!fieldsOf) return table;
          const open = (row: Row | undefined) => openRow(vault, name, row, opened);
          return {
            ...table,
            async mutate(req) {
              if (req.type !== "add" && req.type !== "put") return table.mutate(req);
              if (!req.values) throw new Error(`sealed table ${name}: write whole rows`);
              const values = await keepAlive(req.trans, Promise.all(req.values.map((v: Row) => sealRow(vault, name, v, fieldsOf(v)))));
              return table.mutate({ ...req, values });
            },
            async get(req) {
              return keepAlive(req.trans, table.get(req).then(open));
            },
            async getMany(req) {
              return keepAlive(req.trans, table.getMany(req).then((rows) => Promise.all(rows.map(open))));
            },
            async query(req) {
              const res = await table.query(req);
              if (!req.values) return res;
              return { ...res, result: await keepAlive(req.trans, Promise.all(res.result.map(open))) };
            },
            async openCursor(req) {
              if (req.values !== false) throw new Error(`sealed table ${name}: read rows with toArray, not a cursor`);
              return table.openCursor(req);
            },
          };
        },
      };
    },
  };
}
