import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SyncClient } from "./client";
import { FakeServer } from "./fakeserver";
import { newId } from "./ids";
import { UploadQueue, type NewUpload } from "./uploads";

let server: FakeServer;
let clients: SyncClient[] = [];
let n = 0;
let clock = 1_000_000;
/** what the documents endpoint answers next: a status, "network", or "lost" (created, answer lost) */
let answer: (number | "network" | "lost")[] = [];
let posts: { id: string; returnee: string; kind: string; size: number }[] = [];

/** fetch: the sync endpoints of the fake server, and documents' creates (multipart) here. */
async function fetchFn(input: string, init?: RequestInit): Promise<Response> {
  const url = new URL(input, "http://server");
  if (url.pathname === "/api/collections/documents/records" && init?.method === "POST") {
    const form = init.body as FormData;
    const next = answer.shift() ?? 200;
    if (next === "network") throw new TypeError("Failed to fetch");
    const id = String(form.get("id"));
    if (server.records.has(`documents/${id}`)) {
      return Response.json({ status: 400, message: "Failed to create record.", data: { id: { code: "validation_pk_invalid", message: "taken" } } }, { status: 400 });
    }
    if (next !== 200 && next !== "lost") {
      const data = next === 400 ? { file: { code: "validation_file_size_limit", message: "too big" } } : {};
      return Response.json({ status: next, message: "no", data }, { status: next });
    }
    const file = form.get("file") as File;
    posts.push({ id, returnee: String(form.get("returnee")), kind: String(form.get("kind")), size: file.size });
    server.put("documents", id, { returnee: form.get("returnee"), kind: form.get("kind"), file: `${file.name.replace(".jpg", "")}_abc.jpg` });
    if (next === "lost") throw new TypeError("Failed to fetch");
    return Response.json({ id });
  }
  return server.fetch(input, init);
}

function newClient(dbName = `uploads-${++n}`): { sync: SyncClient; uploads: UploadQueue } {
  const sync = new SyncClient({ dbName, fetch: fetchFn, getToken: () => server.token, sleep: async () => {}, isOnline: () => true });
  clients.push(sync);
  return { sync, uploads: new UploadQueue(sync, { fetch: fetchFn, getToken: () => server.token, now: () => clock, random: () => 0.5 }) };
}

function photo(returnee: string, id = newId()): NewUpload {
  return { id, returnee, kind: "ine", name: "ine.jpg", type: "image/jpeg", data: new Uint8Array(1000).buffer, thumb: new Uint8Array(10).buffer };
}

beforeEach(() => {
  server = new FakeServer();
  answer = [];
  posts = [];
  clock = 1_000_000;
});

afterEach(async () => {
  for (const c of clients) {
    if (c.db.isOpen()) await c.syncNow(); // the pull an upload started
    c.stop();
    c.db.close();
  }
  clients = [];
});

describe("UploadQueue", () => {
  it("waits until the person reaches the server, then sends the record with its file", async () => {
    const { sync, uploads } = newClient();
    const person = await sync.create("returnees", { given_names: "Ana" });
    const doc = photo(person);
    await uploads.add(doc);
    expect(await sync.unpushed()).toBe(2); // the registration and the photo
    expect(await uploads.run()).toMatchObject({ uploaded: 0, waiting: 1 });
    expect(posts).toHaveLength(0);

    await sync.syncNow();
    expect(await uploads.run()).toMatchObject({ uploaded: 1, waiting: 0 });
    expect(posts).toEqual([{ id: doc.id, returnee: person, kind: "ine", size: 1000 }]);
    expect(await sync.unpushed()).toBe(0);
    expect((await uploads.list())[0]).toMatchObject({ id: doc.id, done: 1 });

    // the pull brings the record: the upload is forgotten, its thumbnail kept
    await sync.syncNow();
    await uploads.settleDone();
    expect(await uploads.list()).toHaveLength(0);
    expect(await sync.get("documents", doc.id)).toMatchObject({ kind: "ine", returnee: person });
    expect(await sync.db.thumbs.get(doc.id)).toMatchObject({ file: "ine_abc.jpg" });
  });

  it("sends the server's id of a person the server rebound", async () => {
    const { sync, uploads } = newClient();
    const known = "knownperson0001";
    server.put("returnees", known, { given_names: "Juan", curp: "GAXJ850102HBCRXN00" });
    server.known = (m) => (m.collection === "returnees" && m.fields.curp === "GAXJ850102HBCRXN00" ? known : undefined);
    const person = await sync.create("returnees", { given_names: "Juan", curp: "GAXJ850102HBCRXN00" });
    await uploads.add(photo(person));
    await sync.syncNow();
    await uploads.run();
    expect(posts.map((p) => p.returnee)).toEqual([known]);
  });

  it("backs off after a server error, waits for the network without counting, and survives a reload", async () => {
    const { sync, uploads } = newClient("uploads-reload");
    const person = await sync.create("returnees", { given_names: "Ana" });
    await sync.syncNow();
    await uploads.add(photo(person));

    answer = ["network"];
    expect(await uploads.run()).toMatchObject({ uploaded: 0, waiting: 1 });
    expect((await uploads.list())[0]).toMatchObject({ attempts: 0, next_at: 0 });

    answer = [503];
    await uploads.run();
    const [after] = await uploads.list();
    expect(after.attempts).toBe(1);
    expect(after.next_at).toBe(clock + 5_000);
    expect(await uploads.run()).toMatchObject({ uploaded: 0, waiting: 1 }); // still in its backoff

    // the app is reloaded: a new queue on the same database finds the photo
    sync.db.close();
    const again = newClient("uploads-reload");
    clock += 5_000;
    expect(await again.uploads.run()).toMatchObject({ uploaded: 1 });
    expect(posts).toHaveLength(1);
  });

  it("counts a create whose answer was lost once", async () => {
    const { sync, uploads } = newClient();
    const person = await sync.create("returnees", { given_names: "Ana" });
    await sync.syncNow();
    await uploads.add(photo(person));
    answer = ["lost"];
    await uploads.run(); // created on the server, no answer: waits for the network
    expect(await uploads.run()).toMatchObject({ uploaded: 1 }); // the id is taken by itself: done
    expect(posts).toHaveLength(1);
  });

  it("keeps a refused file with its error, never sends it again, and lets it go", async () => {
    const { sync, uploads } = newClient();
    const person = await sync.create("returnees", { given_names: "Ana" });
    await sync.syncNow();
    const doc = photo(person);
    await uploads.add(doc);
    answer = [400];
    expect(await uploads.run()).toMatchObject({ refused: 1 });
    expect((await uploads.list())[0]).toMatchObject({ error: "validation_file_size_limit", done: 0 });
    await uploads.run();
    expect(posts).toHaveLength(0);
    await uploads.discard(doc.id);
    expect(await sync.unpushed()).toBe(0);
  });

  it("is erased with the rest at sign-out", async () => {
    const { sync, uploads } = newClient();
    await uploads.add(photo(newId()));
    await sync.db.thumbs.put({ id: "x", file: "x.jpg", data: new ArrayBuffer(1) });
    await sync.clearAll();
    expect(await uploads.list()).toHaveLength(0);
    expect(await sync.db.thumbs.count()).toBe(0);
  });
});
