import { afterEach, describe, expect, it, vi } from "vitest";
import { keepLoadedScripts } from "./offline";

/**
 * browser stands in for the page's service worker container, resource
 * timing and fetch: control() makes a worker take control, load() records a
 * resource as loaded (in the buffer and to the observers).
 */
function browser(loaded: string[]) {
  const entries = loaded.map((name) => ({ name }));
  const observers: ((list: { getEntries: () => { name: string }[] }) => void)[] = [];
  const onControl: (() => void)[] = [];
  const container = { controller: null as object | null, addEventListener: (_: string, fn: () => void) => onControl.push(fn) };
  const fetched: string[] = [];
  vi.stubGlobal("navigator", { serviceWorker: container });
  // what Playwright's clock leaves of performance: no resources listed
  vi.stubGlobal("performance", { getEntriesByType: () => [] });
  vi.stubGlobal(
    "PerformanceObserver",
    class {
      private pending: { name: string }[] = [];
      constructor(private fn: (list: { getEntries: () => { name: string }[] }) => void) {}
      observe(options: { type: string; buffered?: boolean }) {
        if (options.type !== "resource") throw new Error(`observed ${options.type}`);
        if (options.buffered) this.pending = entries.slice();
        observers.push(this.fn);
      }
      takeRecords() {
        const taken = this.pending;
        this.pending = [];
        return taken;
      }
    },
  );
  vi.stubGlobal("fetch", async (url: string) => {
    fetched.push(url);
    return new Response("");
  });
  return {
    fetched,
    control() {
      container.controller = {};
      for (const fn of onControl) fn();
    },
    load(name: string) {
      entries.push({ name });
      for (const fn of observers) fn({ getEntries: () => [{ name }] });
    },
  };
}

const origin = "http://127.0.0.1:8090";

describe("keepLoadedScripts", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("fetches through the worker the scripts loaded before it took control, and only scripts", async () => {
    const page = browser([`${origin}/assets/index-a1.js`, `${origin}/assets/field-b2.js`, `${origin}/api/sync/pull?limit=500`, `${origin}/assets/index-c3.css`]);
    const ready = keepLoadedScripts();
    expect(page.fetched).toEqual([]); // not before a worker controls the page
    page.control();
    await ready;
    expect(page.fetched).toEqual([`${origin}/assets/index-a1.js`, `${origin}/assets/field-b2.js`]);
  });

  it("keeps a screen asked for before the worker took control and loaded after it, once", async () => {
    const page = browser([`${origin}/assets/index-a1.js`]);
    const ready = keepLoadedScripts();
    page.control();
    await ready;
    page.load(`${origin}/assets/field-b2.js`); // its answer came after the worker took control
    page.load(`${origin}/assets/index-a1.js`); // listed again: not fetched twice
    page.load(`${origin}/api/collections/staff/auth-refresh`);
    await Promise.resolve();
    expect(page.fetched).toEqual([`${origin}/assets/index-a1.js`, `${origin}/assets/field-b2.js`]);
  });
});
