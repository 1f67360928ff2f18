// Downloads of files the server answers only with the user's token (exports,
// report CSVs, import templates): a plain link cannot carry the Authorization
// header, so the file is fetched and saved from a blob.

import { pb } from "./session.svelte";

/**
 * download fetches path (an /api/ path and its query) as the signed-in user
 * and saves the answer under the file name the server gives
 * (Content-Disposition), or fallback. It throws when offline or refused.
 */
export async function download(path: string, fallback: string): Promise<void> {
  const res = await fetch(pb.buildURL(path), { headers: { Authorization: pb.authStore.token } });
  if (!res.ok) throw new Error(`download ${path}: ${res.status}`);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") ?? "")?.[1] ?? fallback;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
