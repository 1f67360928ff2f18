// Messages in Spanish (es-MX) first, English second. Each feature keeps its
// Spanish in catalogs/<feature>.json and its English, with the same keys and
// placeholders, in catalogs/en/<feature>.json (catalogs.test.ts checks them);
// a key "pending" of catalogs/sync.json is t("sync.pending"). Spanish is in
// the main chunk; the English catalogs are one chunk (english.ts), fetched
// when English is chosen (at start-up if it was saved). Until it arrives t()
// answers in Spanish. The locale and the loaded state are runes, so templates
// that call t() re-render when either changes.

import { LOCALE_KEY, savedLocale, type Locale } from "./locale";

export type { Locale };
export type Message = string | { one: string; other: string };
export type Catalog = Record<string, Message>;

/** Intl locale tags of the app's languages. */
export const intlLocale: Record<Locale, string> = { es: "es-MX", en: "en-US" };

/** flatten turns {"./catalogs/sync.json": {pending: ...}} into {"sync.pending": ...}. */
function flatten(catalogs: Record<string, Catalog>): Catalog {
  const out: Catalog = {};
  for (const [path, catalog] of Object.entries(catalogs)) {
    const feature = path.replace(/^.*\/([^/]+)\.json$/, "$1");
    for (const [key, msg] of Object.entries(catalog)) out[`${feature}.${key}`] = msg;
  }
  return out;
}

// The Spanish of the shell's features is in the main chunk; that of the
// teams' screens (catalogs/field.json, nodess.json, returnee.json,
// coordinator.json) is in the team's chunk (vite.config.ts), fetched by
// loadMessages(team) before the first of its screens (App.svelte), so that the
// sign-in form does not wait for it. The labels of every field
// (catalogs/labels.json, generated) are a chunk of their own, fetched by
// loadMessages("labels") for the screens that name fields. The lock screen's
// (catalogs/lock.json) goes with the shell's other screens (the "screens"
// chunk): a signed-out first visit never needs it.
const messages: Record<Locale, Catalog> = {
  es: flatten(import.meta.glob<Catalog>(["./catalogs/*.json", "!./catalogs/{field,nodess,returnee,coordinator,labels,lock}.json"], { eager: true, import: "default" })),
  en: {},
};
const teamCatalogs = import.meta.glob<Catalog>("./catalogs/{field,nodess,returnee,coordinator,labels,lock}.json", { import: "default" });
const teamLoading = new Map<string, Promise<void>>();

/**
 * loadMessages fetches the Spanish of a team's screens ("field", "nodess",
 * "returnee"; any other name has nothing to fetch) once, and resolves when
 * t() has it. A failed fetch is retried on the next call.
 */
export function loadMessages(team: string): Promise<void> {
  const path = `./catalogs/${team}.json`;
  const load = teamCatalogs[path];
  if (!load) return Promise.resolve();
  let p = teamLoading.get(team);
  if (!p) {
    p = load().then(
      (catalog) => {
        Object.assign(messages.es, flatten({ [path]: catalog }));
      },
      (err: unknown) => {
        teamLoading.delete(team);
        throw err;
      },
    );
    teamLoading.set(team, p);
  }
  return p;
}
// which catalogs have arrived: t() reads it, so screens re-render when English does
const loaded = $state<Record<Locale, boolean>>({ es: true, en: false });
let loading: Promise<void> | null = null;

/**
 * loadLocale fetches a language's messages once (English: the english.ts
 * chunk) and resolves when t() can speak it. A failed fetch is retried on the
 * next call. setLocale and start-up call it; await it where the English must
 * be there (tests, before the first render).
 */
export function loadLocale(locale: Locale): Promise<void> {
  if (loaded[locale]) return Promise.resolve();
  loading ??= import("./english").then(
    (mod) => {
      messages.en = flatten(mod.catalogs);
      loaded.en = true;
    },
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

/** shownLocale is the language t() and format.ts speak now: i18n.locale once its messages have arrived, Spanish until then. */
export function shownLocale(): Locale {
  return loaded[i18n.locale] ? i18n.locale : "es";
}

function fetchLocale(locale: Locale): void {
  loadLocale(locale).catch(() => {
    // offline and not cached: Spanish meanwhile; tried again when back online
  });
}

/** i18n.locale is the current language. */
export const i18n = $state<{ locale: Locale }>({ locale: savedLocale() });

if (i18n.locale !== "es") fetchLocale(i18n.locale);
globalThis.addEventListener?.("online", () => {
  if (!loaded[i18n.locale]) fetchLocale(i18n.locale);
});

/** setLocale switches and remembers the language. */
export function setLocale(locale: Locale): void {
  i18n.locale = locale;
  fetchLocale(locale);
  try {
    globalThis.localStorage?.setItem(LOCALE_KEY, locale);
  } catch {
    // not remembered: fine
  }
  if (typeof document !== "undefined") document.documentElement.lang = intlLocale[locale];
}

/** has reports whether a key exists. */
export function has(key: string): boolean {
  return key in messages.es;
}

/**
 * t returns the message key in the current language (Spanish when English
 * lacks it or has not arrived yet), with {name} placeholders replaced from
 * params. A message with one/other forms is chosen by params.count.
 */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const locale = shownLocale();
  let msg = messages[locale][key] ?? messages.es[key];
  if (msg === undefined) return key;
  if (typeof msg !== "string") {
    const rule = new Intl.PluralRules(intlLocale[locale]).select(Number(params.count ?? 0));
    msg = rule === "one" ? msg.one : msg.other;
  }
  return msg.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
