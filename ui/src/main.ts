import { mount } from "svelte";
import App from "./App.svelte";
import { i18n, intlLocale, loadLocale } from "./i18n/index.svelte";
import { loadClients, pb, session, start, sync } from "./lib/session.svelte";
import { keepLoadedScripts } from "./lib/offline";
import "./app.css";

document.documentElement.lang = intlLocale[i18n.locale];

// the screens loaded so far are kept for offline use once a service worker
// controls the page (lib/offline.ts); later ones as they load
const offlineReady = keepLoadedScripts();

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

// restore the session (from localStorage: works offline) and, when English was
// chosen, fetch its messages (precached) before the first screen
void Promise.allSettled([start(), loadLocale(i18n.locale)]).finally(() => {
  mount(App, { target: document.getElementById("app")! });
  // signed out: once the page has loaded, fetch the SDK and the sync client
  // (lib/clients.ts), so that the sign-in does not wait for them
  if (!session.user) {
    const warm = () => void loadClients().catch(() => {});
    if (document.readyState === "complete") setTimeout(warm);
    else addEventListener("load", () => setTimeout(warm), { once: true });
  }
});
