import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dupKey, lookupKeys } from "../lib/lookup";
import { ACCOUNT_DISABLED, SyncClient, type SyncOptions } from "./client";
import { LOOKUP_KEY } from "./db";
import { FakeServer } from "./fakeserver";
import { openRow, sealRow } from "./sealed";
import { LockedError, Vault } from "./vault";

let server = new FakeServer();
const clients: SyncClient[] = [];
let n = 0;

// client opens the database dbName, encrypted unless opts say otherwise
function client(dbName: string, opts: Partial<SyncOptions> = {}): SyncClient {
  const c = new SyncClient({ dbName, ...server.clientOptions(), encryption: { iterations: 1000 }, ...opts });
  clients.push(c);
  return c;
}

/** rawRows reads every row of every store of the database name, bypassing Dexie and its middleware. */
function rawRows(name: string): Promise<unknown[]> {
  return new Promise((ok, fail) => {
    const req = indexedDB.open(name);
    req.onerror = () => fail(req.error);
    req.onsuccess = () => {
      const db = req.result;
      const stores = [...db.objectStoreNames];
      const tx = db.transaction(stores);
      const rows: unknown[] = [];
      for (const s of stores) tx.objectStore(s).getAll().onsuccess = (e) => rows.push(...(e.target as IDBRequest<unknown[]>).result);
      tx.oncomplete = () => {
        db.close();
        ok(rows);
      };
    };
  });
}

/** text renders stored rows with their bytes as characters, so that a plain value would show. */
function text(rows: unknown[]): string {
  return JSON.stringify(rows, (_, v) =>
    v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? new TextDecoder().decode(v instanceof ArrayBuffer ? v : v.buffer) : v,
  );
}

const PERSON = { given_names: "Xochitl", first_surname: "Quetzalli", curp: "SABC560626MDFLRN01", phone: "+526641234567" };

beforeEach(() => void (server = new FakeServer()));
afterEach(() => clients.splice(0).forEach((c) => (c.stop(), c.db.close())));

describe("the sealed copy", () => {
  it("holds no personal value in clear: records, queue, problems, kept codes", async () => {
    const name = `sealed-${++n}`;
    const c = client(name);
    await c.vault!.create("staffworkera001", "retorno-demo");
    server.put("returnees", "returneea100001", { given_names: "Tonatiuh", first_surname: "Ixtlilxochitl", phone: "+527441112233" });
    await c.syncNow();
    await c.update("returnees", "returneea100001", { skills: "alfarería de Tonalá" });
    server.refuse = (m) => (m.op === "update" ? { code: "forbidden", message: "no: alfarería de Tonalá" } : undefined);
    await c.syncNow();
    expect((await c.problems()).map((p) => p.mutation.fields)).toEqual([{ skills: "alfarería de Tonalá" }]);
    server.fail = () => "network"; // a registration offline, with its claim code
    const id = await c.create("returnees", PERSON);
    await c.keepUntilSynced("returnees", id, "8302749163");
    await c.update("returnees", id, { skills: "panadería" });

    const stored = text(await rawRows(name));
    for (const value of ["Xochitl", "Quetzalli", "SABC560626MDFLRN01", "6641234567", "Tonatiuh", "Ixtlilxochitl", "7441112233",
      "alfarería", "panadería", "8302749163"]) {
      expect(stored).not.toContain(value);
    }
    // what the indexes need stays readable
    expect(stored).toContain(id);
    expect(stored).toContain("returneea100001");
    // and the client reads it all back
    expect(await c.get("returnees", id)).toMatchObject({ ...PERSON, skills: "panadería" });
    expect(await c.kept("returnees", id)).toBe("8302749163");
  });

  it("seals the lookup index's key: its hashes cannot be recomputed from the files, and it goes with the lock", async () => {
    const name = `sealed-${++n}`;
    const c = client(name, { lookupKeys });
    await c.vault!.create("u", "retorno-demo");
    const person = { ...PERSON, birth_date: "1990-05-17" };
    const id = await c.create("returnees", person);
    const rows = (await rawRows(name)) as { key?: string; value?: unknown; $sealed?: unknown }[];
    const keyRow = rows.find((r) => r.key === LOOKUP_KEY);
    expect(keyRow?.$sealed).toBeDefined();
    expect(keyRow?.value).toBeUndefined();
    const block = dupKey(person);
    expect(block).not.toBe("");
    expect((await c.lookup("returnees", block)).map((p) => p.id)).toEqual([id]);
    c.vault!.lock();
    await expect(c.lookup("returnees", block)).rejects.toBeInstanceOf(LockedError);
    expect(await c.vault!.unlockWithPassword("retorno-demo")).toBe(true);
    expect((await c.lookup("returnees", block)).map((p) => p.id)).toEqual([id]);
  });

  it("is unreadable while locked: reads refuse, counts work, sync waits, and resumes at the unlock", async () => {
    const name = `sealed-${++n}`;
    const c = client(name);
    await c.vault!.create("u", "retorno-demo");
    const id = await c.create("returnees", PERSON);
    c.vault!.lock();
    expect(c.snapshot().locked).toBe(true);
    await expect(c.get("returnees", id)).rejects.toBeInstanceOf(LockedError);
    await expect(c.queue()).rejects.toBeInstanceOf(LockedError);
    await expect(c.create("returnees", PERSON)).rejects.toBeInstanceOf(LockedError);
    expect(await c.unsentCount()).toBe(1);
    const report = await c.syncNow();
    expect(report.ok).toBe(false);
    expect(report.error).toBeInstanceOf(LockedError);
    expect(server.requests).toHaveLength(0);

    // another key (another device's, a guess) opens nothing of the files
    const other = new Vault({ load: async () => undefined, save: async () => {} }, { iterations: 1000 });
    await other.create("u", "retorno-demo");
    const rows = (await rawRows(name)) as { $sealed?: unknown }[];
    const sealed = rows.filter((r) => r.$sealed);
    expect(sealed.length).toBeGreaterThan(0);
    for (const r of sealed) await expect(openRow(other, "records", r as Record<string, unknown>)).rejects.toThrow();

    expect(await c.vault!.unlockWithPassword("retorno-demo")).toBe(true);
    expect(c.snapshot().locked).toBe(false);
    expect((await c.syncNow()).ok).toBe(true);
    expect(server.records.get(`returnees/${id}`)?.fields.curp).toBe(PERSON.curp);
  });

  it("encrypts in place what an older app stored in clear, queued changes included", async () => {
    const name = `sealed-${++n}`;
    const old = client(name, { encryption: undefined });
    server.put("returnees", "returneea100001", { given_names: "Tonatiuh" });
    await old.syncNow();
    server.fail = () => "network";
    const id = await old.create("returnees", PERSON);
    await old.keepUntilSynced("returnees", id, "8302749163");
    old.db.close();
    expect(text(await rawRows(name))).toContain("Xochitl");

    const upgraded = client(name);
    await upgraded.vault!.create("u", "retorno-demo");
    expect(await upgraded.get("returnees", id)).toMatchObject(PERSON); // read as it was
    await upgraded.sealAll();
    const stored = text(await rawRows(name));
    for (const value of ["Xochitl", "Tonatiuh", "8302749163"]) expect(stored).not.toContain(value);
    expect(await upgraded.kept("returnees", id)).toBe("8302749163");
    server.fail = () => undefined;
    expect((await upgraded.syncNow()).pushed).toBe(1);
    expect(server.records.get(`returnees/${id}`)?.fields.given_names).toBe("Xochitl");
  });

  it("tells the app that the account was deactivated, and does not ask for a new sign-in", async () => {
    let disabled = 0;
    let unauthorized = 0;
    const c = client(`sealed-${++n}`, { onDisabled: () => disabled++, onUnauthorized: () => unauthorized++ });
    await c.vault!.create("u", "pw");
    server.fetch = async () =>
      new Response(JSON.stringify({ status: 401, code: ACCOUNT_DISABLED, message: "The account is deactivated.", data: {} }), { status: 401 });
    await c.syncNow();
    expect([disabled, unauthorized]).toEqual([1, 0]);
    await c.destroy();
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(c.db.name);
  });

  it("seals any value a later table may hold: blobs, bytes and dates", async () => {
    const c = client(`sealed-${++n}`);
    await c.vault!.create("u", "pw");
    const row = { id: 1, photo: new Blob(["foto de la INE"], { type: "image/jpeg" }), meta: { at: new Date("2026-11-27T10:00:00Z"), raw: new Uint8Array([1, 2]) } };
    const sealed = await sealRow(c.vault!, "photos", row, ["photo", "meta"]);
    expect(Object.keys(sealed)).toEqual(["id", "$sealed"]);
    const back = (await openRow(c.vault!, "photos", sealed))!;
    expect(await (back.photo as Blob).text()).toBe("foto de la INE");
    expect((back.photo as Blob).type).toBe("image/jpeg");
    expect(back.meta).toEqual(row.meta);
  });
});
