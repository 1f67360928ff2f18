// Messages in Spanish (es-MX) first, English second. Each feature keeps its
// own catalog in catalogs/<feature>.ts exporting `es` and `en`; a key
// "pending" of catalogs/sync.ts is t("sync.pending"). The locale is a rune, so
// templates that call t() re-render when it changes.

export type Locale = "es" | "en";
export type Message = string | { one: string; other: string };
type Catalog = Record<string, Message>;

const STORAGE_KEY = "retorno.locale";

/** Intl locale tags of the app's languages. */
export const intlLocale: Record<Locale, string> = { es: "es-MX", en: "en-US" };

const modules = import.meta.glob<{ es: Catalog; en: Catalog }>("./catalogs/*.ts", { eager: true });
const messages: Record<Locale, Catalog> = { es: {}, en: {} };
for (const [path, mod] of Object.entries(modules)) {
  const feature = path.replace(/^.*\/([^/]+)\.ts$/, "$1");
  for (const locale of ["es", "en"] as const) {
    for (const [key, msg] of Object.entries(mod[locale] ?? {})) messages[locale][`${feature}.${key}`] = msg;
  }
}

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved === "es" || saved === "en") return saved;
  } catch {
    // storage refused (private mode): Spanish
  }
  return "es";
}

/** i18n.locale is the current language. */
export const i18n = $state<{ locale: Locale }>({ locale: initialLocale() });

/** setLocale switches and remembers the language. */
export function setLocale(locale: Locale): void {
  i18n.locale = locale;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
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
 * lacks it), with {name} placeholders replaced from params. A message with
 * one/other forms is chosen by params.count.
 */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const locale = i18n.locale;
  let msg = messages[locale][key] ?? messages.es[key];
  if (msg === undefined) return key;
  if (typeof msg !== "string") {
    const rule = new Intl.PluralRules(intlLocale[locale]).select(Number(params.count ?? 0));
    msg = rule === "one" ? msg.one : msg.other;
  }
  return msg.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
