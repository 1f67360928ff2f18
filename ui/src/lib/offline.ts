// The screens of each role are not part of the precached app shell
// (vite.config.ts): a field worker's phone never downloads the NODESS
// screens. They are kept by the service worker's runtime cache once loaded
// under its control; keepLoadedScripts covers those the page loaded before
// the worker took control (the first visit).

/**
 * keepLoadedScripts waits until a service worker controls the page, then
 * fetches again, through it, every script the page has loaded, so that the
 * worker keeps them for offline use. It resolves when they are kept (at
 * once without service workers).
 */
export function keepLoadedScripts(): Promise<void> {
  const sw = typeof navigator === "undefined" ? undefined : navigator.serviceWorker;
  if (!sw) return Promise.resolve();
  const controlled = sw.controller
    ? Promise.resolve()
    : new Promise<void>((resolve) => sw.addEventListener("controllerchange", () => resolve(), { once: true }));
  return controlled.then(async () => {
    const scripts = performance
      .getEntriesByType("resource")
      .map((e) => e.name)
      .filter((url) => /\/assets\/[^/]+\.js$/.test(new URL(url).pathname));
    await Promise.allSettled(scripts.map((url) => fetch(url)));
  });
}
