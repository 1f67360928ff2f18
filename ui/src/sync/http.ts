// JSON over fetch, with the errors the sync loop tells apart.

/** HttpError is a non-2xx answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly data: Record<string, unknown> = {},
    /** the server's stable code of the refusal, when it sends one ("account_disabled") */
    readonly code = "",
  ) {
    super(`${status} ${message}`);
    this.name = "HttpError";
  }
}

/** NetworkError is a request that got no answer, or an unreadable one. */
export class NetworkError extends Error {
  constructor(message: string, readonly cause?: unknown) {
    super(message);
    this.name = "NetworkError";
  }
}

/** isTransient reports whether sending the same request again may work. */
export function isTransient(err: unknown): boolean {
  if (err instanceof NetworkError) return true;
  if (err instanceof HttpError) return err.status >= 500 || err.status === 408 || err.status === 429;
  return false;
}

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** How a client reaches the server: the sync client and the upload queue share it. */
export interface ServerAccess {
  /** the server's origin ("" for the page's own) */
  baseUrl?: string;
  fetch?: FetchFn;
  /** the PocketBase auth token ("" when signed out) */
  getToken: () => string;
}

/** requestJSON sends body (if any) as JSON and returns the decoded answer. */
export async function requestJSON<T>(
  fetchFn: FetchFn,
  method: string,
  url: string,
  token: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = token;
  let resp: Response;
  try {
    resp = await fetchFn(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch (err) {
    throw new NetworkError(`${method} ${url}: ${String(err)}`, err);
  }
  let text: string;
  try {
    text = await resp.text();
  } catch (err) {
    throw new NetworkError(`${method} ${url}: read answer: ${String(err)}`, err);
  }
  if (resp.status < 200 || resp.status > 299) {
    let message = text.slice(0, 200);
    let data: Record<string, unknown> = {};
    let code = "";
    try {
      const pb = JSON.parse(text) as { message?: string; data?: Record<string, unknown>; code?: string };
      if (pb.message) message = pb.message;
      if (pb.data) data = pb.data;
      if (typeof pb.code === "string") code = pb.code;
    } catch {
      // not PocketBase's error body: keep the start of the text
    }
    throw new HttpError(resp.status, message, data, code);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    // a cut or garbled 200 answer: worth a retry
    throw new NetworkError(`${method} ${url}: unreadable answer`, err);
  }
}
