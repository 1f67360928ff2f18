import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthError, passwordSignIn } from "./auth";
import { attemptAuth } from "./authAttempt";

// server answers each auth-with-password request by collection: a status and a body
function server(answers: Record<string, [number, unknown]>): string[] {
  const asked: string[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    const collection = /\/api\/collections\/([^/]+)\/auth-with-password$/.exec(url)![1];
    asked.push(`${collection} ${init.body}`);
    const [status, body] = answers[collection] ?? [400, {}];
    return new Response(JSON.stringify(body), { status });
  });
  return asked;
}

const auth = (collectionName: string) => ({ token: "t", record: { id: "r1", collectionName } });

afterEach(() => vi.unstubAllGlobals());

describe("passwordSignIn", () => {
  it("signs in staff by email, trimmed", async () => {
    const asked = server({ staff: [200, auth("staff")] });
    expect(await passwordSignIn("staff", " ana@example.org ", "pw")).toEqual(auth("staff"));
    expect(asked).toEqual(['staff {"identity":"ana@example.org","password":"pw"}']);
  });

  it("tries a superuser when no staff account matches", async () => {
    const asked = server({ staff: [400, {}], _superusers: [200, auth("_superusers")] });
    expect((await passwordSignIn("staff", "admin@example.org", "pw")).record.collectionName).toBe("_superusers");
    expect(asked.map((a) => a.split(" ")[0])).toEqual(["staff", "_superusers"]);
  });

  it("signs in a returnee account by login only", async () => {
    const asked = server({ staff: [200, auth("staff")], returnee_accounts: [200, auth("returnee_accounts")] });
    expect((await passwordSignIn("returnee", "CURP", "pw")).record.collectionName).toBe("returnee_accounts");
    expect(asked.map((a) => a.split(" ")[0])).toEqual(["returnee_accounts"]);
  });

  it("throws the status of a refusal (no superuser attempt after a 429) and 0 without a network", async () => {
    const asked = server({ staff: [429, { message: "Too Many Requests." }] });
    await expect(passwordSignIn("staff", "a@b.c", "pw")).rejects.toMatchObject({ status: 429 });
    expect(asked).toHaveLength(1);
    vi.stubGlobal("fetch", () => Promise.reject(new TypeError("Failed to fetch")));
    await expect(passwordSignIn("staff", "a@b.c", "pw")).rejects.toMatchObject({ status: 0 });
  });
});

describe("attemptAuth", () => {
  it("answers the key of the words to show, empty when the sign-in went through", async () => {
    vi.stubGlobal("navigator", { onLine: true });
    expect(await attemptAuth("auth.failed", async () => {})).toBe("");
    const failing = (err: unknown) => attemptAuth("auth.failed", () => Promise.reject(err));
    expect(await failing(new AuthError(400))).toBe("auth.failed");
    expect(await failing(new AuthError(0))).toBe("auth.offline");
    expect(await failing(new AuthError(429))).toBe("auth.too_many");
    expect(await failing({ status: 429 })).toBe("auth.too_many"); // the SDK's ClientResponseError
    expect(await failing(new Error("anything else"))).toBe("auth.failed");
  });

  it("says offline without trying", async () => {
    vi.stubGlobal("navigator", { onLine: false });
    const work = vi.fn(async () => {});
    expect(await attemptAuth("auth.failed", work)).toBe("auth.offline");
    expect(work).not.toHaveBeenCalled();
  });
});
