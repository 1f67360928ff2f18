// The app: what the boot page (src/boot.ts, inline in index.html) imports
// and runs in its place. A signed-out visit shows the boot page's sign-in
// form first and imports this in the background once the page has loaded;
// run() mounts the app over the boot page after the sign-in, at once for a
// saved session or another screen, or when the user switches to English.
import { mount } from "svelte";
import App from "./App.svelte";
import { i18n, intlLocale, loadLocale } from "./i18n/index.svelte";
import { homePath, loadClients, pb, session, start, sync } from "./lib/session.svelte";
import { navigate } from "./lib/router.svelte";
import { keepLoadedScripts } from "./lib/offline";
import type { PasswordAuth } from "./lib/auth";
import "./app.css";

export { setLocale } from "./i18n/index.svelte";

document.documentElement.lang = intlLocale[i18n.locale];

/**
 * offlineReady resolves once a service worker controls the page and keeps
 * the scripts loaded so far for offline use (lib/offline.ts); later ones are
 * kept as they load.
 */
export const offlineReady = keepLoadedScripts();

// for end-to-end tests and debugging from the console: window.retorno.sync.create(...)
// (both set once signed in, or after `await window.retorno.loadClients()`)
(window as unknown as { retorno: unknown }).retorno = {
  offlineReady,
  get sync() {
    return sync;
  },
  get pb() {
    return pb;
  },
  loadClients,
};

/**
 * run restores the saved session, or keeps the sign-in the boot page made
 * (signedIn) and opens the user's home, fetches the English messages when
 * English is chosen, then shows the app in place of the boot page.
 */
export async function run(signedIn?: PasswordAuth & { password?: string }): Promise<void> {
  await Promise.allSettled([start(signedIn), loadLocale(i18n.locale)]);
  if (signedIn && session.user) navigate(homePath(session.role), true);
  const target = document.getElementById("app")!;
  target.replaceChildren();
  mount(App, { target });
  if (!session.user) warm();
}

/**
 * warm fetches the SDK and the sync client (lib/clients.ts) once the page
 * has loaded, so that a sign-in does not wait for them.
 */
export function warm(): void {
  const go = () => void loadClients().catch(() => {});
  if (document.readyState === "complete") setTimeout(go);
  else addEventListener("load", () => setTimeout(go), { once: true });
}
