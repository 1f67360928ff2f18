// UploadQueue: the files of documents (photos of papers, PDFs) on their way
// to the server, apart from the data sync (docs/sync.md, "Documents").
//
// A push carries JSON only, and a photo must never hold up a registration,
// so a document is not a synced mutation: it waits here, in its own table
// (db.uploads, which survives reloads), until the person it is about has
// reached the server (the upload needs the server's id of the person, which
// a rebinding may have changed: SyncClient.serverId), and then goes as one
// REST create, its record and its file together (multipart), under the id
// the device drew: the server keeps both or neither. A retry after a lost
// answer finds the id taken and asks whether the record is there. 5xx and
// 429 answers are retried with exponential backoff; no answer at all
// (offline) waits for the next data sync that reaches the server; a refusal
// (a file over the limit, a type the server does not take, a person out of
// reach) stays on the device with its error code until the user discards it.
// The record itself then arrives with the next pull, like any other.

import type { SyncClient } from "./client";
import { coalesce } from "./coalesce";
import type { Upload } from "./db";
import type { ServerAccess } from "./http";

/** The collection documents are records of. */
export const DOCUMENTS = "documents";

export interface UploadOptions extends ServerAccess {
  /** ms since the epoch (tests replace it) */
  now?: () => number;
  /** [0, 1) (tests replace it) */
  random?: () => number;
  /** first wait after a failed try, ms; doubled each try up to maxDelay */
  retryDelay?: number;
  maxDelay?: number;
}

/** What a run did. */
export interface UploadReport {
  uploaded: number;
  /** waiting for their person to reach the server, or for their backoff */
  waiting: number;
  /** refused for good in this run */
  refused: number;
  /** the server refused the token: sign in again */
  unauthorized: boolean;
}

/** A new document for the queue: what the user chose, the file prepared. */
export type NewUpload = Pick<Upload, "id" | "returnee" | "kind" | "name" | "type" | "data" | "thumb">;

type Outcome = "done" | "retry" | "offline" | "unauthorized" | { refused: string };

export class UploadQueue {
  private readonly opts: Required<UploadOptions>;
  private readonly runQueue = coalesce(
    () => this.runOnce(),
    (report) => !report.unauthorized,
    () => this.schedule(),
  );
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopFns: (() => void)[] = [];

  constructor(
    private readonly sync: SyncClient,
    options: UploadOptions,
  ) {
    this.opts = {
      baseUrl: "",
      fetch: (input, init) => globalThis.fetch(input, init),
      now: Date.now,
      random: Math.random,
      retryDelay: 5_000,
      maxDelay: 10 * 60_000,
      ...options,
    };
  }

  private get db() {
    return this.sync.db;
  }

  /** add keeps a new document on the device, to upload when it can. */
  async add(u: NewUpload): Promise<void> {
    await this.db.uploads.add({ ...u, created: new Date(this.opts.now()).toISOString(), attempts: 0, next_at: 0, done: 0 });
  }

  /** list returns the documents not on the server yet (and those uploaded but not pulled), oldest first. */
  async list(): Promise<Upload[]> {
    return (await this.db.uploads.toArray()).sort((a, b) => a.created.localeCompare(b.created));
  }

  /** discard forgets a document that has not reached the server (a refused one, or one the user no longer wants). */
  async discard(id: string): Promise<void> {
    await this.db.uploads.delete(id);
  }

  /**
   * run uploads every document that may go now: its person is on the
   * server, it is not refused, and its backoff is over. Calls made while a
   * run is under way share it (and run once more after it). It never throws.
   */
  run(): Promise<UploadReport> {
    return this.runQueue();
  }

  private async runOnce(): Promise<UploadReport> {
    const report: UploadReport = { uploaded: 0, waiting: 0, refused: 0, unauthorized: false };
    await this.settleDone();
    for (const u of await this.list()) {
      if (u.done || u.error) continue;
      const person = await this.sync.get("returnees", await this.sync.serverId("returnees", u.returnee));
      if (!person?.rev || u.next_at > this.opts.now() || !this.opts.getToken()) {
        report.waiting++; // its person is not on the server yet (or gone: a refused registration)
        continue;
      }
      const outcome = await this.send(u, person.id);
      if (outcome === "unauthorized" || outcome === "offline") {
        // no backoff for a network that is down: the next data sync that
        // reaches the server runs the queue again
        report.unauthorized = outcome === "unauthorized";
        report.waiting++;
        break;
      }
      if (outcome === "done") {
        // the bytes are the server's now; the thumbnail stays for the lists
        await this.db.uploads.update(u.id, { done: 1, data: new ArrayBuffer(0), attempts: u.attempts + 1 });
        report.uploaded++;
      } else if (outcome === "retry") {
        const delay = Math.min(this.opts.retryDelay * 2 ** u.attempts, this.opts.maxDelay) * (0.5 + this.opts.random());
        await this.db.uploads.update(u.id, { attempts: u.attempts + 1, next_at: this.opts.now() + delay });
        report.waiting++;
      } else {
        await this.db.uploads.update(u.id, { attempts: u.attempts + 1, error: outcome.refused });
        report.refused++;
      }
    }
    if (report.uploaded > 0) void this.sync.syncNow(); // the records come with the pull
    return report;
  }

  /**
   * settleDone forgets the uploaded documents whose record a pull has
   * brought, keeping their thumbnail, and the thumbnails of documents that
   * left the device (evicted, deleted).
   */
  async settleDone(): Promise<void> {
    const docs = new Map((await this.sync.list(DOCUMENTS)).map((d) => [d.id, String(d.file ?? "")]));
    await this.db.transaction("rw", this.db.uploads, this.db.thumbs, async () => {
      for (const u of await this.db.uploads.where("done").equals(1).toArray()) {
        const file = docs.get(u.id);
        if (file === undefined) continue;
        if (u.thumb) await this.db.thumbs.put({ id: u.id, file, data: u.thumb });
        await this.db.uploads.delete(u.id);
      }
      const gone = (await this.db.thumbs.toArray()).filter((t) => docs.get(t.id) !== t.file).map((t) => t.id);
      await this.db.thumbs.bulkDelete(gone);
    });
  }

  /** send posts one document with its file. */
  private async send(u: Upload, returnee: string): Promise<Outcome> {
    const form = new FormData();
    form.append("id", u.id);
    form.append("returnee", returnee);
    form.append("kind", u.kind);
    form.append("file", new Blob([u.data], { type: u.type }), u.name);
    const res = await this.request("POST", `/api/collections/${DOCUMENTS}/records`, form);
    if (res === null) return "offline";
    if (res.ok) return "done";
    if (res.status === 401) return "unauthorized";
    if (res.status === 408 || res.status === 429 || res.status >= 500) return "retry";
    if (res.status === 413) return { refused: "validation_file_size_limit" };
    const data = ((await res.json().catch(() => ({}))) as { data?: Record<string, { code?: string }> }).data ?? {};
    if (data.id) {
      // the id is taken: our own earlier try, whose answer was lost?
      const again = await this.request("GET", `/api/collections/${DOCUMENTS}/records/${u.id}`);
      if (again === null) return "offline";
      if (again.ok) return "done";
    }
    const code = data.file?.code ?? data.returnee?.code ?? data.kind?.code ?? Object.values(data)[0]?.code;
    return { refused: code ?? (res.status === 400 ? "forbidden" : "not_found") };
  }

  /** request sends one request as the user; null when it got no answer. */
  private async request(method: string, path: string, body?: FormData): Promise<Response | null> {
    try {
      return await this.opts.fetch(this.opts.baseUrl + path, { method, body, headers: { Authorization: this.opts.getToken() }, cache: "no-store" });
    } catch {
      return null;
    }
  }

  /** schedule runs the queue again when the next backoff ends. */
  private schedule(): void {
    if (this.stopFns.length === 0) return; // not started
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.list().then((all) => {
      const next = Math.min(...all.filter((u) => !u.done && !u.error && u.next_at > 0).map((u) => u.next_at));
      if (Number.isFinite(next)) this.timer = setTimeout(() => void this.run(), Math.max(1_000, next - this.opts.now()));
    });
  }

  /**
   * start runs the queue now, after every successful data sync (which may
   * have brought a person to the server, and brings uploaded records), and
   * when a backoff ends. stop undoes it.
   */
  start(): void {
    if (this.stopFns.length > 0) return;
    let last = this.sync.snapshot().lastSync;
    const unsubscribe = this.sync.state.subscribe((s) => {
      if (!s.syncing && s.lastSync !== last) {
        last = s.lastSync;
        void this.run();
      }
    });
    this.stopFns.push(unsubscribe, () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
    });
    void this.run();
  }

  stop(): void {
    for (const fn of this.stopFns.splice(0)) fn();
  }
}
