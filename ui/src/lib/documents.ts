// Documents' files on screens: they are protected on the server (a download
// needs a file token of a user who may view the record, docs/DESIGN.md,
// "Documents"), so an <img> or a link asks for a token first. Thumbnails
// are kept on the device (db.thumbs, erased at sign-out, pruned when a
// document leaves the device: sync/uploads.ts) so that the lists show them
// offline; the files themselves are fetched when opened.

import { saveBlob } from "./download";
import { pb, sync } from "./session.svelte";
import type { LocalRecord } from "../sync/client";

/** The thumbnail size the server makes of a document's photo. */
export const THUMB = "200x200";

let token: { value: string; until: number } | null = null;

/** fileToken is a file token of the signed-in user, reused for two minutes (the server's last three). */
export async function fileToken(): Promise<string> {
  if (!token || token.until < Date.now()) token = { value: await pb.files.getToken(), until: Date.now() + 120_000 };
  return token.value;
}

/** isPDF tells a document whose file is a PDF (no thumbnail). */
export function isPDF(doc: LocalRecord): boolean {
  return /\.pdf$/i.test(String(doc.file ?? ""));
}

/** fileURL is the address of a document's file with a fresh token (query: thumb, download). */
export async function fileURL(doc: LocalRecord, query: Record<string, string> = {}): Promise<string> {
  const q = new URLSearchParams({ token: await fileToken(), ...query });
  return pb.buildURL(`/api/files/documents/${encodeURIComponent(doc.id)}/${encodeURIComponent(String(doc.file))}?${q}`);
}

/**
 * thumbnail is an object URL of a document's thumbnail: kept on the device,
 * or fetched (online) and kept. "" for a PDF, or offline with none kept. The
 * caller revokes it.
 */
export async function thumbnail(doc: LocalRecord): Promise<string> {
  if (isPDF(doc) || !doc.file) return "";
  const kept = await sync.db.thumbs.get(doc.id);
  if (kept?.file === doc.file) return URL.createObjectURL(new Blob([kept.data], { type: "image/jpeg" }));
  try {
    const res = await fetch(await fileURL(doc, { thumb: THUMB }));
    if (!res.ok) return "";
    const data = await res.arrayBuffer();
    await sync.db.thumbs.put({ id: doc.id, file: String(doc.file), data });
    return URL.createObjectURL(new Blob([data], { type: res.headers.get("Content-Type") ?? "image/jpeg" }));
  } catch {
    return ""; // offline
  }
}

/** openFile opens a document's file (download: saves it instead), online; it throws offline or when refused. */
export async function openFile(doc: LocalRecord, download = false): Promise<void> {
  const res = await fetch(await fileURL(doc, download ? { download: "1" } : {}));
  if (!res.ok) throw new Error(`file ${doc.id}: ${res.status}`);
  saveBlob(await res.blob(), download ? String(doc.file) : "");
}
