// Photos of documents, made small on the phone before they wait for the
// network: a camera's 4,000-pixel, 4 MB picture becomes a JPEG of at most
// 1,600 pixels on its longest side and about 300 KB, enough to read a
// paper, and a 240-pixel thumbnail for the lists. A PDF goes as it is.
// The server refuses anything else, and anything over 2 MB, whatever the
// device did (pb_migrations/1764201770_create_documents.go).

/** The longest side of a photo sent, in pixels. */
export const MAX_SIDE = 1600;
/** The weight a photo is brought down to, if it can be. */
export const TARGET_BYTES = 300 * 1024;
/** The server's limit on a document's file. */
export const MAX_BYTES = 2 * 1024 * 1024;
/** The longest side of a thumbnail kept on the device. */
export const THUMB_SIDE = 240;
/** JPEG qualities tried, best first, until a photo weighs TARGET_BYTES or less. */
export const QUALITIES = [0.85, 0.75, 0.65, 0.55, 0.45, 0.35];

/** What a chosen file becomes: its bytes for the server, and a thumbnail of a photo. */
export interface Prepared {
  name: string;
  type: string;
  data: ArrayBuffer;
  thumb?: ArrayBuffer;
}

/** Why a chosen file cannot be a document, as a key of the field catalog (field.doc_err_<key>). */
export type FileProblem = "type" | "size" | "unreadable";

export class FileRefused extends Error {
  constructor(readonly problem: FileProblem) {
    super(`file refused: ${problem}`);
  }
}

/** fileProblem tells, before any work, whether a file cannot be a document. */
export function fileProblem(file: { type: string; size: number }): FileProblem | null {
  if (file.type === "application/pdf") return file.size > MAX_BYTES ? "size" : null;
  return file.type.startsWith("image/") ? null : "type";
}

/** scaled is w×h brought within side on its longest side (never enlarged). */
export function scaled(w: number, h: number, side: number): [number, number] {
  const k = Math.min(1, side / Math.max(w, h));
  return [Math.max(1, Math.round(w * k)), Math.max(1, Math.round(h * k))];
}

/**
 * smallest encodes at each quality of QUALITIES until a result weighs at
 * most target, and returns it (or the last, the lightest tried).
 */
export async function smallest(encode: (quality: number) => Promise<Blob>, target = TARGET_BYTES): Promise<Blob> {
  let out: Blob | null = null;
  for (const q of QUALITIES) {
    out = await encode(q);
    if (out.size <= target) break;
  }
  return out!;
}

/**
 * prepare turns a chosen file into what is kept and sent: a photo is
 * decoded (turned upright), scaled and encoded as JPEG (smallest), with its
 * thumbnail; a PDF is kept as it is. It throws FileRefused for a type the
 * server does not take, a file over its limit, or a picture the browser
 * cannot read.
 */
export async function prepare(file: File): Promise<Prepared> {
  const problem = fileProblem(file);
  if (problem) throw new FileRefused(problem);
  if (file.type === "application/pdf") return { name: file.name || "documento.pdf", type: file.type, data: await file.arrayBuffer() };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    throw new FileRefused("unreadable");
  }
  try {
    const photo = await smallest((q) => jpeg(bitmap, MAX_SIDE, q));
    if (photo.size > MAX_BYTES) throw new FileRefused("size");
    const thumb = await jpeg(bitmap, THUMB_SIDE, 0.7);
    const base = (file.name || "foto").replace(/\.[^.]*$/, "").replace(/[^\w-]+/g, "_").slice(0, 60) || "foto";
    return { name: `${base}.jpg`, type: "image/jpeg", data: await photo.arrayBuffer(), thumb: await thumb.arrayBuffer() };
  } finally {
    bitmap.close();
  }
}

/** jpeg draws bitmap within side pixels and encodes it at quality. */
async function jpeg(bitmap: ImageBitmap, side: number, quality: number): Promise<Blob> {
  const [w, h] = scaled(bitmap.width, bitmap.height, side);
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new FileRefused("unreadable");
  ctx.drawImage(bitmap, 0, 0, w, h);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  if (!blob) throw new FileRefused("unreadable");
  return blob;
}
