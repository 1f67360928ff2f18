import { describe, expect, it } from "vitest";
import { hmacSha256, sha256 } from "./hmac";

const hex = (b: ArrayBuffer | Uint8Array) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
const enc = new TextEncoder();

describe("sha256 and hmacSha256", () => {
  it("agree with Web Crypto on messages of every padding length", async () => {
    for (const key of [new Uint8Array(32).map((_, i) => i * 7), new Uint8Array(100).fill(9)]) {
      const mac = hmacSha256(key);
      const subtleKey = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      for (let n = 0; n < 140; n++) {
        const text = "dup|1990-05-17|ÑNS".repeat(8).slice(0, n);
        expect(hex(sha256(enc.encode(text)))).toBe(hex(await crypto.subtle.digest("SHA-256", enc.encode(text))));
        expect(mac(text)).toBe(hex(await crypto.subtle.sign("HMAC", subtleKey, enc.encode(text))));
      }
    }
  });
  it("passes RFC 4231's first test case", () => {
    const key = new Uint8Array(20).fill(0x0b);
    expect(hmacSha256(key)("Hi There")).toBe("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  });
});
