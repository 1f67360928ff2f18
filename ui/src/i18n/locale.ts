// The language a user chose, as the device remembers it: read by the app's
// i18n (index.svelte.ts) and by the boot page (src/boot.ts), which shows its
// Spanish sign-in form only when Spanish is the choice. No Svelte here, so
// that the boot page can carry it.

/** Locale is one of the app's languages. */
export type Locale = "es" | "en";

/** LOCALE_KEY is where the choice is kept in localStorage. */
export const LOCALE_KEY = "retorno.locale";

/** savedLocale is the language chosen on this device, Spanish when none was (or storage is refused). */
export function savedLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(LOCALE_KEY);
    if (saved === "es" || saved === "en") return saved;
  } catch {
    // storage refused (private mode): Spanish
  }
  return "es";
}
