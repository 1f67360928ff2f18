// The screens of each role are not part of the precached app shell
// (vite.config.ts): a field worker's phone never downloads the NODESS
// screens. They are kept by the service worker's runtime cache once loaded
// under its control; keepLoadedScripts covers those the page asked for
// before the worker took control (the first visit).

/** isScript tells the app's own scripts (a screen's chunk) among resource URLs. */
const isScript = (url: string) => /\/assets\/[^/]+\.js$/.test(new URL(url).pathname);

/**
 * keepLoadedScripts waits until a service worker controls the page, then
 * fetches again, through it, every script the page has loaded, so that the
 * worker keeps them for offline use. It resolves when those are kept (at
 * once without service workers).
 *
 * The scripts come from an observer of the page's resources, not from
 * performance.getEntriesByType: a script asked for before the worker took
 * control but answered after it (a screen opened just then) is listed only
 * once it has loaded, and a full resource timing buffer lists nothing more;
 * the observer hands those over as they load. (A test's fake clock, like
 * Playwright's, also replaces performance with an object that lists no
 * resources.) Without it, a phone whose screen loaded at that moment could
 * not open it offline later.
 */
export function keepLoadedScripts(): Promise<void> {
  const sw = typeof navigator === "undefined" ? undefined : navigator.serviceWorker;
  if (!sw) return Promise.resolve();
  const controlled = sw.controller
    ? Promise.resolve()
    : new Promise<void>((resolve) => sw.addEventListener("controllerchange", () => resolve(), { once: true }));
  return controlled.then(async () => {
    const kept = new Set<string>();
    const keep = (entries: PerformanceEntryList) =>
      Promise.allSettled(
        entries
          .map((e) => e.name)
          .filter((url) => isScript(url) && !kept.has(url))
          .map((url) => (kept.add(url), fetch(url))),
      );
    // buffered: the observer starts with the resources loaded so far (taken at once, to
    // resolve when they are kept), then hands over each one as it loads
    const observer = new PerformanceObserver((list) => void keep(list.getEntries()));
    observer.observe({ type: "resource", buffered: true });
    await keep(observer.takeRecords());
  });
}
