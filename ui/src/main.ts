import { mount } from "svelte";
import App from "./App.svelte";
import { i18n, intlLocale, loadLocale } from "./i18n/index.svelte";
import { pb, start, sync } from "./lib/session.svelte";
import "./app.css";

document.documentElement.lang = intlLocale[i18n.locale];

// for end-to-end tests and debugging from the console: window.retorno.sync.create(...)
(window as unknown as { retorno: unknown }).retorno = { sync, pb };

// restore the session (from localStorage: works offline) and, when English was
// chosen, fetch its messages (precached) before the first screen
void Promise.allSettled([start(), loadLocale(i18n.locale)]).finally(() => {
  mount(App, { target: document.getElementById("app")! });
});
