import { describe, expect, it } from "vitest";
import { fileProblem, MAX_BYTES, QUALITIES, scaled, smallest, TARGET_BYTES } from "./photo";

describe("photos of documents", () => {
  it("keeps the longest side within the limit, never enlarging", () => {
    expect(scaled(4000, 3000, 1600)).toEqual([1600, 1200]);
    expect(scaled(3000, 4000, 1600)).toEqual([1200, 1600]);
    expect(scaled(800, 600, 1600)).toEqual([800, 600]);
  });

  it("steps the quality down until the photo weighs about 300 KB", async () => {
    const tried: number[] = [];
    // a photo that weighs 600 KB at 0.85 and loses 100 KB a step
    const encode = async (q: number) => {
      tried.push(q);
      return new Blob([new Uint8Array(TARGET_BYTES + 300 * 1024 - (tried.length - 1) * 100 * 1024)]);
    };
    const out = await smallest(encode);
    expect(out.size).toBeLessThanOrEqual(TARGET_BYTES);
    expect(tried).toEqual(QUALITIES.slice(0, 4));
  });

  it("gives the lightest when no quality reaches the target", async () => {
    const out = await smallest(async (q) => new Blob([new Uint8Array(Math.round(q * 1_000_000))]));
    expect(out.size).toBe(Math.round(QUALITIES.at(-1)! * 1_000_000));
  });

  it("takes photos and PDFs up to 2 MB, nothing else", () => {
    expect(fileProblem({ type: "image/jpeg", size: 8_000_000 })).toBeNull(); // made small afterwards
    expect(fileProblem({ type: "image/heic", size: 3_000_000 })).toBeNull();
    expect(fileProblem({ type: "application/pdf", size: MAX_BYTES })).toBeNull();
    expect(fileProblem({ type: "application/pdf", size: MAX_BYTES + 1 })).toBe("size");
    expect(fileProblem({ type: "text/plain", size: 10 })).toBe("type");
    expect(fileProblem({ type: "", size: 10 })).toBe("type");
  });
});
