import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { curpKey, dupKey, lookupKeys } from "../lib/lookup";
import windowCases from "../../../devicesync/testdata/window_cases.json";
import { SyncClient, type FirstSync, type SyncOptions } from "./client";
import { FakeServer } from "./fakeserver";
import { claimHash, newClaimCode } from "./claim";
import { isRecordId, newId } from "./ids";
import type { Mutation } from "./types";

let server: FakeServer;
let clients: SyncClient[] = [];
let n = 0;

// every client's copy is encrypted, unlocked (sealed.ts under all of the
// client's behaviour); a few PBKDF2 iterations keep the tests fast
async function newClient(opts: Partial<SyncOptions> = {}): Promise<SyncClient> {
  const c = new SyncClient({ dbName: `test-${++n}`, ...server.clientOptions(), encryption: { iterations: 1000 }, ...opts });
  clients.push(c);
  await c.vault?.create("tester", "contraseña");
  return c;
}

/** reopen opens the database of an earlier client (the app reloaded), unlocked with its password. */
async function reopen(opts: Partial<SyncOptions> & { dbName: string }): Promise<SyncClient> {
  const c = new SyncClient({ ...server.clientOptions(), encryption: { iterations: 1000 }, ...opts });
  clients.push(c);
  expect(await c.vault?.unlockWithPassword("contraseña")).toBe(true);
  return c;
}

function pushed(): Mutation[] {
  return server.requests.filter((r) => r.url === "/api/sync/push").flatMap((r) => (r.body as { mutations: Mutation[] }).mutations);
}

beforeEach(() => {
  server = new FakeServer();
});

afterEach(async () => {
  for (const c of clients) {
    c.stop();
    c.db.close();
  }
  clients = [];
});

describe("local writes", () => {
  it("folds edits into an unsent create", async () => {
    const c = await newClient();
    const id = await c.create("returnees", { given_names: "Pedro", phone: "" });
    expect(isRecordId(id)).toBe(true);
    await c.update("returnees", id, { phone: "+526641234567" });
    await c.update("returnees", id, { skills: "albañilería" });
    const queue = await c.queue();
    expect(queue).toHaveLength(1);
    expect(queue[0].op).toBe("create");
    expect(queue[0].fields).toEqual({ given_names: "Pedro", phone: "+526641234567", skills: "albañilería" });
    const local = await c.get("returnees", id);
    expect(local).toMatchObject({ id, phone: "+526641234567", _pending: true, rev: 0 });
    expect(c.snapshot().pending).toBe(1);

    const report = await c.syncNow();
    expect(report.ok).toBe(true);
    expect(pushed()).toHaveLength(1);
    expect(server.records.get(`returnees/${id}`)?.fields.skills).toBe("albañilería");
    expect(await c.get("returnees", id)).toMatchObject({ rev: 1, _pending: false });
    expect(await c.hasUnpushed()).toBe(false);
  });

  it("never folds an edit ahead of a mutation queued after the one it would join", async () => {
    // the registration: the person, then the consent the sensitive needs wait for, then the needs
    const c = await newClient();
    const id = await c.create("returnees", { given_names: "Pedro", needs: ["employment"] });
    const consent = await c.create("consents", { returnee: id, purpose: "sensitive_data", granted: true });
    await c.update("returnees", id, { needs: ["employment", "health"] });
    await c.update("returnees", id, { skills: "cocina" }); // the last mutation queued: folded into it
    const queue = await c.queue();
    expect(queue.map((m) => [m.op, m.record_id, m.fields])).toEqual([
      ["create", id, { given_names: "Pedro", needs: ["employment"] }],
      ["create", consent, { returnee: id, purpose: "sensitive_data", granted: true }],
      ["update", id, { needs: ["employment", "health"], skills: "cocina" }],
    ]);
    expect(await c.get("returnees", id)).toMatchObject({ needs: ["employment", "health"], skills: "cocina", _pending: true });

    const report = await c.syncNow();
    expect(report.ok).toBe(true);
    // the update waits for the create's answer: base_rev 1, in the next push
    expect(pushed().map((m) => [m.op, m.collection, m.base_rev])).toEqual([
      ["create", "returnees", 0],
      ["create", "consents", 0],
      ["update", "returnees", 1],
    ]);
    expect(server.records.get(`returnees/${id}`)?.fields.needs).toEqual(["employment", "health"]);
  });

  it("drops a record created here and never sent when it is removed", async () => {
    const c = await newClient();
    const id = await c.create("case_notes", { body: "x" });
    await c.remove("case_notes", id);
    expect(await c.queue()).toHaveLength(0);
    expect(await c.get("case_notes", id)).toBeUndefined();
  });

  it("finds records by a relation through the refs index and by plain fields", async () => {
    const c = await newClient();
    const person = newId();
    await c.create("returnees", { given_names: "Ana" }, person);
    await c.create("consents", { returnee: person, purpose: "share_nodess" });
    await c.create("consents", { returnee: newId(), purpose: "share_nodess" });
    expect(await c.list("consents", { returnee: person })).toHaveLength(1);
    expect(await c.list("consents", { purpose: "share_nodess" })).toHaveLength(2);
    expect(await c.list("returnees")).toHaveLength(1);
  });
});

describe("base_rev", () => {
  it("sends the rev last seen: 1 after the device's own create, the pulled rev otherwise", async () => {
    const c = await newClient();
    const id = await c.create("returnees", { given_names: "Pedro" });
    await c.syncNow();
    await c.update("returnees", id, { phone: "+526640000000" });
    server.put("returnees", "returneea200001", { given_names: "Luz" });
    server.put("returnees", "returneea200001", { skills: "cocina" });
    server.put("returnees", "returneea200001", { phone: "+15550000000" });
    await c.syncNow();
    await c.update("returnees", "returneea200001", { skills: "costura" });
    await c.syncNow();
    const updates = pushed().filter((m) => m.op === "update");
    expect(updates.map((m) => [m.record_id, m.base_rev])).toEqual([
      [id, 1],
      ["returneea200001", 3],
    ]);
    expect(server.requests.filter((r) => r.url.startsWith("/api/sync/push")).every((r) => r.body)).toBe(true);
  });

  it("chains an edit made while the create is on the wire and takes base_rev from the answer", async () => {
    const c = await newClient();
    const id = await c.create("returnees", { given_names: "Pedro" });
    let edited = false;
    const realFetch = server.fetch;
    server.fetch = async (input, init) => {
      if (!edited && String(input).includes("/api/sync/push")) {
        edited = true;
        await c.update("returnees", id, { phone: "+526641111111" }); // the user types during the push
      }
      return realFetch(input, init);
    };
    await c.syncNow();
    const ms = pushed();
    expect(ms.map((m) => [m.op, m.base_rev])).toEqual([
      ["create", 0],
      ["update", 1],
    ]);
    expect(server.records.get(`returnees/${id}`)?.fields.phone).toBe("+526641111111");
    expect(server.records.get(`returnees/${id}`)?.rev).toBe(2);
  });

  it("keeps local pending values on top of a pulled put", async () => {
    const c = await newClient();
    server.put("returnees", "returneea200001", { given_names: "Luz", phone: "1" });
    await c.syncNow();
    server.fail = (method) => (method === "POST" ? "network" : undefined);
    await c.update("returnees", "returneea200001", { phone: "2" });
    server.put("returnees", "returneea200001", { skills: "cocina" });
    await c.pull();
    expect(await c.get("returnees", "returneea200001")).toMatchObject({ phone: "2", skills: "cocina", rev: 2, _pending: true });
  });
});

describe("push results", () => {
  it("keeps a rejection as a problem and goes on with the queue; resend fixes it", async () => {
    const c = await newClient();
    server.refuse = (m) =>
      m.fields.curp === "BAD"
        ? { code: "validation_failed", message: "Failed to create record.", fields: { curp: "map[code:invalid_curp message:CURP inválida.]" } }
        : undefined;
    const a = await c.create("returnees", { given_names: "A" });
    const b = await c.create("returnees", { given_names: "B", curp: "BAD" });
    const d = await c.create("returnees", { given_names: "D" });
    const report = await c.syncNow();
    expect(report.ok).toBe(true);
    expect(report.problems).toBe(1);
    expect(server.records.has(`returnees/${a}`) && server.records.has(`returnees/${d}`)).toBe(true);
    expect(server.records.has(`returnees/${b}`)).toBe(false);
    expect(await c.queue()).toHaveLength(0);
    const problems = await c.problems();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: "rejected", mutation: { record_id: b, op: "create" } });
    expect(problems[0].error?.fields?.curp).toContain("invalid_curp");
    expect(c.snapshot().problems).toBe(1);
    expect(await c.get("returnees", b)).toBeUndefined();

    await c.resend(problems[0].id!, { curp: "" });
    expect(await c.get("returnees", b)).toMatchObject({ given_names: "B", curp: "", _pending: true });
    await c.syncNow();
    expect(server.records.get(`returnees/${b}`)?.fields.given_names).toBe("B");
    expect(await c.problems()).toHaveLength(0);
  });

  it("takes the server's id for a registration of someone the server knows, in later changes too", async () => {
    const c = await newClient({ batchSize: 2 });
    const known = "knownperson0001";
    server.put("returnees", known, { given_names: "Juan", curp: "GAXJ850102HBCRXN00" });
    server.known = (m) => (m.collection === "returnees" && m.fields.curp === "GAXJ850102HBCRXN00" ? known : undefined);
    const id = await c.create("returnees", { given_names: "Juan", curp: "GAXJ850102HBCRXN00", phone: "+528681234567" });
    await c.create("returns", { returnee: id, repatriation_date: "2026-12-01" }, id);
    const consent = await c.create("consents", { returnee: id, purpose: "contact_whatsapp" });
    await c.syncNow();

    // the consent went in the second batch, after the device took the server's id
    expect(pushed().find((m) => m.record_id === consent)?.fields.returnee).toBe(known);
    expect(server.records.get(`returns/${id}`)?.fields.returnee).toBe(known); // same batch: the server's alias
    expect(await c.get("returnees", known)).toMatchObject({ given_names: "Juan", phone: "+528681234567" });
    expect((await c.get("returnees", id))?.id).toBe(known); // a screen opened on the device's id
    expect((await c.list("returnees")).map((r) => r.id)).toEqual([known]);
    expect((await c.list("consents", { returnee: known })).map((r) => r.id)).toEqual([consent]);
    expect(await c.queue()).toHaveLength(0);
    expect(await c.problems()).toHaveLength(0);
  });

  it("keeps a merged conflict as a problem that can be discarded", async () => {
    const c = await newClient();
    server.put("returnees", "returneea200001", { phone: "1" });
    await c.syncNow();
    await c.update("returnees", "returneea200001", { phone: "2" });
    server.put("returnees", "returneea200001", { phone: "3" });
    await c.syncNow();
    const [p] = await c.problems();
    expect(p).toMatchObject({ kind: "merged", conflicts: [{ field: "phone", yours: "2" }] });
    await c.discard(p.id!);
    expect(c.snapshot().problems).toBe(0);
  });

  it("keeps a value beside a record, never sent, until the server has the record", async () => {
    const c = await newClient();
    const id = newId();
    await c.keepUntilSynced("returnees", id, "0258846604");
    await c.create("returnees", { given_names: "Ana", claim_hash: await claimHash(id, "0258846604") }, id);
    server.fail = () => "network";
    await c.syncNow();
    expect(await c.kept("returnees", id)).toBe("0258846604");
    server.fail = () => undefined;
    await c.syncNow();
    expect(await c.kept("returnees", id)).toBeUndefined();
    expect(JSON.stringify(server.requests)).not.toContain("0258846604");
  });

  it("keeps the value while the record's create is refused; discarding the refusal drops it", async () => {
    const c = await newClient();
    server.refuse = (m) => (m.collection === "returnees" ? { code: "validation_failed", message: "no" } : undefined);
    const id = newId();
    await c.keepUntilSynced("returnees", id, "1111111111");
    await c.create("returnees", { given_names: "Ana" }, id);
    await c.syncNow();
    expect(await c.kept("returnees", id)).toBe("1111111111");
    const [p] = await c.problems();
    await c.discard(p.id!);
    expect(await c.kept("returnees", id)).toBeUndefined();
  });

  it("keeps a value while a later change of the record waits behind one on the wire", async () => {
    const c = await newClient();
    const id = await c.create("returnees", { given_names: "Ana" });
    await c.syncNow();
    await c.update("returnees", id, { phone: "+526641111111" });
    const realFetch = server.fetch;
    let pushes = 0;
    let keptAtSecondPush: unknown;
    server.fetch = async (input, init) => {
      if (String(input).includes("/api/sync/push")) {
        if (++pushes === 1) {
          // a new code given while the phone is on the wire: its update is chained behind it
          await c.keepUntilSynced("returnees", id, "2222222222");
          await c.update("returnees", id, { claim_hash: "h" });
        } else keptAtSecondPush = await c.kept("returnees", id);
      }
      return realFetch(input, init);
    };
    await c.syncNow();
    expect(pushes).toBe(2);
    expect(keptAtSecondPush).toBe("2222222222");
    expect(await c.kept("returnees", id)).toBeUndefined();
  });

  it("treats a duplicate answer as applied, once on the server", async () => {
    const c = await newClient();
    const id = await c.create("returnees", { given_names: "Pedro" });
    let lose = true;
    server.fail = (method) => {
      if (method === "POST" && lose) {
        lose = false;
        return "lost"; // applied, then the answer is lost
      }
      return undefined;
    };
    const report = await c.syncNow();
    expect(report.ok).toBe(true);
    expect(report.attempts).toBe(2);
    const ids = pushed().map((m) => m.mutation_id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    expect(server.log.filter((r) => r.id === id)).toHaveLength(1);
    expect(await c.get("returnees", id)).toMatchObject({ rev: 1, _pending: false });
  });

  it("splits a batch the server finds too large", async () => {
    const c = await newClient();
    server.maxMutations = 2;
    for (let i = 0; i < 5; i++) await c.create("case_notes", { body: `n${i}` });
    const report = await c.syncNow();
    expect(report.ok).toBe(true);
    expect(server.records.size).toBe(5);
    expect(await c.queue()).toHaveLength(0);
  });
});

describe("retries", () => {
  it("retries network errors and 5xx with growing, jittered waits", async () => {
    const waits: number[] = [];
    const c = await newClient({ sleep: async (ms) => void waits.push(ms), random: () => 0.5, retryDelay: 100 });
    await c.create("case_notes", { body: "x" });
    let failures = 0;
    server.fail = () => (failures++ < 3 ? (failures === 2 ? 503 : "network") : undefined);
    const report = await c.syncNow();
    expect(report.ok).toBe(true);
    expect(report.attempts).toBe(4);
    expect(waits).toEqual([75, 150, 300]); // delay/2 + random*delay/2, doubling
    expect(server.records.size).toBe(1);
    expect(c.snapshot()).toMatchObject({ lastError: null, syncing: false, pending: 0 });
  });

  it("gives up after maxAttempts and keeps the queue", async () => {
    const c = await newClient({ maxAttempts: 3 });
    await c.create("case_notes", { body: "x" });
    server.fail = () => "network";
    const report = await c.syncNow();
    expect(report.ok).toBe(false);
    expect(report.attempts).toBe(3);
    expect(c.snapshot()).toMatchObject({ lastError: "network", pending: 1, online: false });
    // the server back in reach: online again
    server.fail = () => undefined;
    expect((await c.syncNow()).ok).toBe(true);
    expect(c.snapshot()).toMatchObject({ lastError: null, pending: 0, online: true });
  });

  it("runs a sync asked for while one fails offline when the network is back by then", async () => {
    let online = false;
    let failed = false;
    const c = await newClient({
      isOnline: () => {
        if (failed && !online) {
          // offline when the push failed; back online right after, the browser asks again
          online = true;
          void c.syncNow();
          return false;
        }
        return online;
      },
    });
    await c.create("case_notes", { body: "x" });
    server.fail = () => {
      if (online) return undefined;
      failed = true;
      return "network";
    };
    const report = await c.syncNow();
    expect(report.ok).toBe(true);
    expect(server.records.size).toBe(1);
  });

  it("signals re-authentication on 401 and does not retry", async () => {
    let called = 0;
    const c = await newClient({ getToken: () => "expired", onUnauthorized: () => called++ });
    await c.create("case_notes", { body: "x" });
    const report = await c.syncNow();
    expect(report.attempts).toBe(1);
    expect(called).toBe(1);
    expect(c.snapshot()).toMatchObject({ authRequired: true, lastError: "unauthorized", pending: 1 });
  });
});

describe("pull", () => {
  it("pages until has_more is false", async () => {
    const c = await newClient({ pullLimit: 10 });
    for (let i = 0; i < 25; i++) server.put("returnees", `returnee${String(i).padStart(8, "0")}`, { given_names: `P${i}` });
    const report = await c.syncNow();
    expect(report.pulledPages).toBe(3);
    expect(await c.list("returnees")).toHaveLength(25);
    expect(c.snapshot().downloaded).toBe(25);
    const pulls = server.requests.filter((r) => r.url.startsWith("/api/sync/pull"));
    expect(pulls.every((r) => r.url.includes("client_id=web-"))).toBe(true);
    expect(pulls[1].url).toContain("cursor=10");
  });

  it("deletes the local copy on evict", async () => {
    const c = await newClient();
    server.put("returnees", "returneea200001", { given_names: "Luz" });
    server.put("consents", "consenta2000001", { returnee: "returneea200001" });
    await c.syncNow();
    expect(await c.list("consents", { returnee: "returneea200001" })).toHaveLength(1);
    server.evict("returnees", "returneea200001");
    server.evict("consents", "consenta2000001");
    await c.syncNow();
    expect(await c.get("returnees", "returneea200001")).toBeUndefined();
    expect(await c.list("consents")).toHaveLength(0);
  });

  it("on reset drops the synced copy, keeps the queue, pulls from the start, then pushes", async () => {
    const c = await newClient();
    server.put("returnees", "returneea200001", { given_names: "Luz" });
    await c.syncNow();
    server.fail = (method) => (method === "POST" ? "network" : undefined);
    const mine = await c.create("returnees", { given_names: "Mío" });
    // the server lost history: the record below reaches the device only through the snapshot
    server.put("returnees", "returneea200002", { given_names: "Sol" });
    server.resetNext = true;
    const reset = await c.pull();
    expect(reset).toBe(true);
    expect(await c.queue()).toHaveLength(1);
    expect((await c.list("returnees")).map((r) => r.given_names).sort()).toEqual(["Luz", "Mío", "Sol"]);
    server.fail = () => undefined;
    await c.syncNow();
    expect(server.records.has(`returnees/${mine}`)).toBe(true);
    expect(await c.queue()).toHaveLength(0);
  });
});

describe("users and installs", () => {
  it("keeps one client id per install and clears local data when another user signs in", async () => {
    const c = await newClient();
    const idBefore = await c.clientId();
    expect(await c.setUser("staffworkera001")).toBe(false);
    server.put("returnees", "returneea200001", { given_names: "Luz" });
    await c.syncNow();
    await c.create("case_notes", { body: "x" });
    expect(await c.setUser("staffworkera001")).toBe(false);
    expect(await c.hasUnpushed()).toBe(true);
    expect(await c.setUser("staffworkerb001")).toBe(true);
    expect(await c.list("returnees")).toHaveLength(0);
    expect(await c.hasUnpushed()).toBe(false);
    expect(await c.clientId()).toBe(idBefore);
    await c.keepUntilSynced("returnees", "returneea200009", "3333333333");
    await c.clearAll();
    expect(await c.kept("returnees", "returneea200009")).toBeUndefined();
    // the next pull starts from the beginning
    await c.syncNow();
    expect(server.requests.at(-1)?.url).not.toContain("cursor=");
  });
});

describe("claim codes", () => {
  it("draws ten digits and hashes them as the server does", async () => {
    expect(newClaimCode()).toMatch(/^\d{10}$/);
    // hex(sha256("retorno-claim:k3v9x2m7q1w8e5r:0258846604"))
    expect(await claimHash("k3v9x2m7q1w8e5r", "025 884-6604")).toBe(
      "c3c875cbde194dbd6507131df72a8c48ebadcb2713efb8718978c948861276b5",
    );
  });
});

describe("a first sync, page by page", () => {
  it("writes each page as it arrives, counts people against the estimate, and resumes where it stopped", async () => {
    for (let i = 0; i < 25; i++) server.put("returnees", `person${String(i).padStart(9, "0")}`, { given_names: `P${i}`, birth_date: "1990-01-01" });
    server.put("states", "stateaaaaaaaaa1", { name: "Sonora" });
    const c = await newClient({ pullLimit: 10, maxAttempts: 1 });
    const seen: (FirstSync | null)[] = [];
    c.state.subscribe((s) => seen.push(s.progress));
    // the third page fails: what came before is on the device, with its cursor
    let pulls = 0;
    server.fail = (_m, path) => (path === "/api/sync/pull" && ++pulls === 3 ? "network" : undefined);
    expect((await c.syncNow()).ok).toBe(false);
    expect(await c.count("returnees")).toBe(20);
    expect(c.snapshot().progress).toEqual({ received: 20, expected: 25, since: "" });
    // a new start (the app reloaded) goes on from the cursor, and still counts
    server.fail = () => undefined;
    const again = await reopen({ dbName: `test-${n}`, pullLimit: 10 });
    await again.loadState();
    expect(again.snapshot().progress?.received).toBe(20);
    expect((await again.syncNow()).ok).toBe(true);
    expect(server.requests.filter((r) => r.url.startsWith("/api/sync/pull")).at(-1)?.url).toContain("cursor=20");
    expect(await again.count("returnees")).toBe(25);
    expect(again.snapshot().progress).toBeNull();
    expect([...new Set(seen.filter(Boolean).map((p) => p!.received))]).toEqual([10, 20]);
  });

  it("takes local writes while it runs, and lays the queue over what arrives", async () => {
    server.put("returnees", "persona00000001", { given_names: "Ana", phone: "" });
    const c = await newClient({ pullLimit: 1 });
    await c.create("returnees", { given_names: "Nueva" }, "personanueva001");
    const sync = c.syncNow();
    await c.create("returnees", { given_names: "Otra" }, "personaotra0001"); // during the sync
    expect((await sync).ok).toBe(true);
    await c.syncNow();
    expect((await c.list("returnees")).map((p) => p.given_names).sort()).toEqual(["Ana", "Nueva", "Otra"]);
  });
});

describe("writeAll", () => {
  it("queues a registration's writes in their order, in one transaction, as one by one", async () => {
    const c = await newClient();
    await c.writeAll([
      { op: "create", collection: "returnees", id: "personaregis001", fields: { given_names: "Ana" } },
      { op: "create", collection: "consents", id: "consentregis001", fields: { returnee: "personaregis001", purpose: "sensitive_data" } },
      { op: "create", collection: "returns", id: "personaregis001", fields: { returnee: "personaregis001" } },
      { op: "update", collection: "returnees", id: "personaregis001", fields: { needs: ["health"] } },
      { op: "update", collection: "returnees", id: "personaregis001", fields: {} },
    ]);
    expect((await c.queue()).map((m) => `${m.op} ${m.collection}`)).toEqual(["create returnees", "create consents", "create returns", "update returnees"]);
    expect(await c.get("returnees", "personaregis001")).toMatchObject({ given_names: "Ana", needs: ["health"], _pending: true });
    expect(c.snapshot().pending).toBe(4);
    expect((await c.syncNow()).ok).toBe(true);
    expect(server.records.get("returnees/personaregis001")?.fields.needs).toEqual(["health"]);
  });
});

describe("the lookup index", () => {
  it("finds people by their duplicate block and CURP through keyed hashes, never values in clear", async () => {
    const c = await newClient({ lookupKeys });
    const id = await c.create("returnees", { given_names: "Luz", first_surname: "Yáñez", birth_date: "1990-05-17", curp: "YAXL900517MBCXXX01" });
    server.put("returnees", "personallanes01", { given_names: "Luz", first_surname: "Llanes", birth_date: "1990-05-17" });
    server.put("returnees", "personaotra0001", { given_names: "Luz", first_surname: "Pérez", birth_date: "1990-05-17" });
    await c.syncNow();
    const found = await c.lookup("returnees", dupKey({ first_surname: "Yanes", birth_date: "1990-05-17" }));
    expect(found.map((p) => p.id).sort()).toEqual([id, "personallanes01"].sort());
    expect((await c.lookup("returnees", curpKey("yaxl900517mbcxxx01"))).map((p) => p.id)).toEqual([id]);
    const rows = await c.db.records.where("collection").equals("returnees").toArray();
    for (const r of rows) for (const k of r.keys ?? []) expect(k).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(rows.map((r) => r.keys))).not.toMatch(/1990|YNS|LLANES|YAXL/i);
  });

  it("gives rows of an earlier database their keys, and rebuilds the index under a new key", async () => {
    const c = await newClient({ lookupKeys });
    server.put("returnees", "personallanes01", { first_surname: "Llanes", birth_date: "1990-05-17" });
    await c.syncNow();
    const row = (await c.db.records.get(["returnees", "personallanes01"]))!;
    await c.db.records.put({ ...row, keys: undefined });
    await c.db.meta.delete("lookup_indexed");
    await c.reindex();
    expect(await c.lookup("returnees", dupKey(row.data))).toHaveLength(1);
    const before = (await c.db.records.get(["returnees", "personallanes01"]))!.keys;
    await c.setLookupKey(new Uint8Array(32).fill(3));
    expect((await c.db.records.get(["returnees", "personallanes01"]))!.keys).not.toEqual(before);
    expect(await c.lookup("returnees", dupKey(row.data))).toHaveLength(1);
  });
});

describe("the device's window", () => {
  // the cases the server's pull passes too (devicesync/window_test.go)
  const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
  type Case = (typeof windowCases.cases)[number] & { referrals?: string[]; device?: string; kept?: boolean };

  it.each(windowCases.cases as Case[])("prunes by the window's first day: $name", async (tc) => {
    const id = "windowperson001";
    server.put("returnees", id, { given_names: "Luz", repatriation_date: tc.days_ago === null ? "" : day(tc.days_ago) });
    server.put("consents", "windowconsent01", { returnee: id, purpose: "registration" });
    (tc.referrals ?? []).forEach((status, i) => server.put("referrals", `windowreferral${i}`, { returnee: id, status }));
    const c = await newClient();
    await c.syncNow();
    server.fail = () => "network"; // what the worker does offline
    if (tc.device === "pending_person") await c.update("returnees", id, { phone: "+526641234567" });
    if (tc.device === "pending_child") await c.create("consents", { returnee: id, purpose: "share_nodess" });
    if (tc.device === "problem") {
      server.fail = () => undefined;
      server.refuse = () => ({ code: "validation_failed", message: "no" });
      await c.update("returnees", id, { phone: "+526641234567" });
    }
    await c.syncNow();
    server.fail = () => undefined;
    server.refuse = () => undefined;
    server.window = { days: windowCases.days, since: day(windowCases.days) };
    await c.pull();
    const kept = tc.kept ?? tc.server;
    expect(!!(await c.get("returnees", id))).toBe(kept);
    expect(!!(await c.get("consents", "windowconsent01"))).toBe(kept);
    expect(c.snapshot().window).toEqual(server.window);
    // pruned once a day: the next pull does not scan again
    const spy = vi.spyOn(c.db.records, "where");
    await c.pull();
    expect(spy.mock.calls.some(([index]) => String(index) === "[collection+id]")).toBe(false);
  });

  it("does not prune after a first sync under the same window, nor with no window", async () => {
    server.window = { days: 180, since: day(180) };
    server.put("returnees", "windowperson001", { repatriation_date: day(400) }); // the fake sends it all the same
    const c = await newClient();
    await c.syncNow();
    expect(await c.count("returnees")).toBe(1);
    server.window = undefined;
    await c.syncNow();
    expect(c.snapshot().window).toBeNull();
    expect(await c.count("returnees")).toBe(1);
  });
});
