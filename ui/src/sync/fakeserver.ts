// A small in-memory stand-in for the sync endpoints, for unit tests only
// (the real server is exercised by the end-to-end tests in e2e/). It keeps
// records with rev, a change log with seq, applied mutation ids, and answers
// push and pull as docs/sync.md says, with hooks to refuse mutations, lose
// answers or fail requests.

import type { Change, Fields, Mutation, PullWindow, PushResult } from "./types";

interface Stored {
  rev: number;
  fields: Fields;
  /** field names written at each rev */
  changed: Map<number, string[]>;
}

export class FakeServer {
  records = new Map<string, Stored>();
  log: { seq: number; collection: string; id: string; op: "put" | "delete" | "evict" }[] = [];
  seq = 0;
  applied = new Map<string, PushResult>();
  requests: { method: string; url: string; body?: unknown }[] = [];
  token = "tok";
  /** refuse returns an error for a mutation to reject it */
  refuse: (m: Mutation) => PushResult["error"] | undefined = () => undefined;
  /** fail returns a status (or "network") to fail the next matching request */
  fail: (method: string, path: string) => number | "network" | "lost" | undefined = () => undefined;
  /** resetNext makes the next pull answer reset */
  resetNext = false;
  /** maxMutations above which a push answers 413 */
  maxMutations = 500;
  /** known returns the id of a record the server already holds that a create describes */
  known: (m: Mutation) => string | undefined = () => undefined;
  /** device ids of creates rebound to a known record, by collection/id */
  aliases = new Map<string, string>();
  /** window, if set, is told with every page (the fake sends every record all the same) */
  window?: PullWindow;

  /** clientOptions are a SyncClient's options against this server: no waits, always online. */
  clientOptions() {
    return {
      fetch: (input: string, init?: RequestInit) => this.fetch(input, init),
      getToken: () => this.token,
      sleep: async () => {},
      isOnline: () => true,
    };
  }

  key(collection: string, id: string) {
    return `${collection}/${id}`;
  }

  /** put writes a record as another writer would (REST, another device). */
  put(collection: string, id: string, fields: Fields): Stored {
    const k = this.key(collection, id);
    const old = this.records.get(k);
    const rec: Stored = old ?? { rev: 0, fields: { id }, changed: new Map() };
    rec.rev++;
    Object.assign(rec.fields, fields, { rev: rec.rev });
    rec.changed.set(rec.rev, Object.keys(fields));
    this.records.set(k, rec);
    this.log.push({ seq: ++this.seq, collection, id, op: "put" });
    return rec;
  }

  /** evict tells devices a record left their scope. */
  evict(collection: string, id: string) {
    this.records.delete(this.key(collection, id));
    this.log.push({ seq: ++this.seq, collection, id, op: "evict" });
  }

  fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    const url = new URL(input, "http://server");
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    this.requests.push({ method: init?.method ?? "GET", url: url.pathname + url.search, body });
    const failure = this.fail(init?.method ?? "GET", url.pathname);
    if (failure === "network") throw new TypeError("Failed to fetch");
    if (typeof failure === "number") return json(failure, { status: failure, message: "failed", data: {} });
    if ((init?.headers as Record<string, string>)?.Authorization !== this.token) {
      return json(401, { status: 401, message: "The request requires valid record authorization token.", data: {} });
    }
    let answer: Response;
    if (url.pathname === "/api/sync/push") answer = this.push(body);
    else if (url.pathname === "/api/sync/pull") answer = this.pull(url.searchParams);
    else {
      const m = url.pathname.match(/^\/api\/collections\/([^/]+)\/records\/([^/]+)$/);
      const rec = m && this.records.get(this.key(m[1], m[2]));
      answer = rec ? json(200, { ...rec.fields }) : json(404, { status: 404, message: "not found", data: {} });
    }
    if (failure === "lost") throw new TypeError("Failed to fetch"); // applied, answer lost
    return answer;
  };

  private push(body: { client_id: string; mutations: Mutation[] }): Response {
    if (body.mutations.length > this.maxMutations) return json(413, { status: 413, message: "too large", data: {} });
    const results = body.mutations.map((m) => this.apply(body.client_id, m));
    return json(200, { results });
  }

  private apply(clientId: string, m: Mutation): PushResult {
    const seen = this.applied.get(clientId + m.mutation_id);
    if (seen) {
      const rec = this.records.get(this.key(m.collection, m.record_id));
      return seen.status === "rejected" ? seen : { ...seen, status: "duplicate", rev: rec?.rev, record: rec && { ...rec.fields } };
    }
    const error = this.refuse(m);
    if (error) {
      const r: PushResult = { mutation_id: m.mutation_id, status: "rejected", record_id: m.record_id, error };
      this.applied.set(clientId + m.mutation_id, r);
      return r;
    }
    const alias = (id: unknown) => [...this.aliases].find(([k]) => k.endsWith(`/${id}`))?.[1] ?? id;
    m = { ...m, record_id: this.aliases.get(this.key(m.collection, m.record_id)) ?? m.record_id, fields: Object.fromEntries(Object.entries(m.fields).map(([f, v]) => [f, alias(v)])) };
    const k = this.key(m.collection, m.record_id);
    const rec = this.records.get(k);
    let r: PushResult;
    const known = m.op === "create" ? this.known(m) : undefined;
    if (known) {
      this.aliases.set(this.key(m.collection, m.record_id), known);
      const s = this.put(m.collection, known, m.fields);
      r = { mutation_id: m.mutation_id, status: "merged", record_id: known, rev: s.rev, record: { ...s.fields } };
    } else if (m.op === "create") {
      const s = this.put(m.collection, m.record_id, m.fields);
      r = { mutation_id: m.mutation_id, status: "applied", record_id: m.record_id, rev: s.rev, record: { ...s.fields } };
    } else if (!rec) {
      r = { mutation_id: m.mutation_id, status: "rejected", record_id: m.record_id, error: { code: "not_found", message: "not found" } };
    } else if (m.op === "delete") {
      this.records.delete(k);
      this.log.push({ seq: ++this.seq, collection: m.collection, id: m.record_id, op: "delete" });
      r = { mutation_id: m.mutation_id, status: "applied", record_id: m.record_id };
    } else {
      const serverChanged = new Set<string>();
      for (const [rev, names] of rec.changed) if (rev > m.base_rev) names.forEach((n) => serverChanged.add(n));
      const conflicts = Object.keys(m.fields)
        .filter((f) => serverChanged.has(f) && rec.fields[f] !== m.fields[f])
        .map((f) => ({ field: f, yours: m.fields[f], kept: m.fields[f] }));
      const merged = rec.rev !== m.base_rev;
      const s = this.put(m.collection, m.record_id, m.fields);
      r = { mutation_id: m.mutation_id, status: merged ? "merged" : "applied", record_id: m.record_id, rev: s.rev, record: { ...s.fields } };
      if (conflicts.length) r.conflicts = conflicts;
    }
    this.applied.set(clientId + m.mutation_id, r);
    return r;
  }

  private pull(q: URLSearchParams): Response {
    if (this.resetNext) {
      this.resetNext = false;
      return json(200, { changes: [], cursor: "", has_more: false, reset: true });
    }
    const from = Number(q.get("cursor") || 0);
    const limit = Number(q.get("limit") || 500);
    const rows = this.log.filter((r) => r.seq > from);
    // a record appears once, in its latest state
    const latest = new Map<string, (typeof rows)[number]>();
    for (const r of rows) latest.set(this.key(r.collection, r.id), r);
    const ordered = [...latest.values()].sort((a, b) => a.seq - b.seq);
    const page = ordered.slice(0, limit);
    const changes: Change[] = page.map((r) => {
      const rec = this.records.get(this.key(r.collection, r.id));
      if (r.op === "put" && rec) return { op: "put", collection: r.collection, record_id: r.id, rev: rec.rev, record: { ...rec.fields } };
      return { op: r.op === "put" ? "delete" : r.op, collection: r.collection, record_id: r.id };
    });
    const last = page.at(-1)?.seq ?? from;
    // a pull from nothing counts the people it will send
    const estimate = from === 0 ? { returnees: ordered.filter((r) => r.collection === "returnees" && r.op === "put").length } : undefined;
    return json(200, { changes, cursor: String(last), has_more: ordered.length > limit, reset: false, window: this.window, estimate });
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}
