// Downloads of files the server answers only with the user's token (exports,
// report CSVs, import templates; documents' files, lib/documents.ts): a plain
// link cannot carry the Authorization header, so the file is fetched and
// saved from a blob.

import { pb } from "./session.svelte";

/** DownloadError is a refused download, with the server's stable error code when it gave one. */
export class DownloadError extends Error {
  constructor(message: string, readonly code = "") {
    super(message);
  }
}

/**
 * download fetches path (an /api/ path and its query) as the signed-in user
 * and saves the answer under the file name the server gives
 * (Content-Disposition), or fallback. It throws when offline or refused.
 */
export async function download(path: string, fallback: string): Promise<void> {
  const res = await fetch(pb.buildURL(path), { headers: { Authorization: pb.authStore.token } });
  if (!res.ok) {
    // a refusal's first field error code ("too_many_rows_xlsx"), for the screen to translate
    const body = (await res.json().catch(() => ({}))) as { data?: Record<string, { code?: string }> };
    throw new DownloadError(`download ${path}: ${res.status}`, Object.values(body.data ?? {})[0]?.code ?? "");
  }
  saveBlob(await res.blob(), /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") ?? "")?.[1] ?? fallback);
}

/** saveBlob hands blob to the user: saved under name, or, with no name, opened in a new tab. */
export function saveBlob(blob: Blob, name = ""): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  if (name) a.download = name;
  else a.target = "_blank";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
