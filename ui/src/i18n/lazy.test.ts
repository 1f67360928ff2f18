// English is a chunk of its own (english.ts): until it has arrived t() and
// format.ts speak Spanish. A file of its own, so that this module instance has
// not loaded English yet. (That the screen re-renders when it arrives is
// checked in the browser: e2e/tests/shell.test.mjs.)
import { describe, expect, it } from "vitest";
import { i18n, loadLocale, setLocale, shownLocale, t } from "./index.svelte";
import { formatDay } from "./format";

describe("the English chunk", () => {
  it("is fetched when English is chosen, with Spanish standing in until it arrives", async () => {
    expect(t("sync.pending", { count: 3 })).toBe("3 cambios pendientes");

    setLocale("en"); // starts the fetch
    expect(i18n.locale).toBe("en");
    expect(shownLocale()).toBe("es");
    expect(t("sync.pending", { count: 3 })).toBe("3 cambios pendientes");
    expect(formatDay("1992-03-04")).toMatch(/^4 mar.? 1992$/);

    await loadLocale("en");
    expect(shownLocale()).toBe("en");
    expect(t("sync.pending", { count: 3 })).toBe("3 pending changes");
    expect(t("sync.pending", { count: 1 })).toBe("1 pending change");
    expect(formatDay("1992-03-04")).toBe("Mar 4, 1992");
    expect(t("no.such_key")).toBe("no.such_key");
    await loadLocale("en"); // once

    setLocale("es");
    expect(t("sync.pending", { count: 3 })).toBe("3 cambios pendientes");
  });
});
