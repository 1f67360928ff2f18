import { describe, expect, it } from "vitest";
import { i18n, loadLocale, t } from "./index.svelte";
import { formatDay, formatMoney, parseMoney } from "./format";
import { fieldErrorText } from "../lib/errors";

describe("i18n", () => {
  it("speaks Spanish first, English on request, with plurals and placeholders", async () => {
    i18n.locale = "es";
    expect(t("sync.pending", { count: 1 })).toBe("1 cambio pendiente");
    expect(t("sync.pending", { count: 3 })).toBe("3 cambios pendientes");
    await loadLocale("en");
    i18n.locale = "en";
    expect(t("sync.pending", { count: 3 })).toBe("3 pending changes");
    expect(t("no.such_key")).toBe("no.such_key");
    i18n.locale = "es";
  });

  it("formats money in centavos as MXN and calendar dates without shifting them", () => {
    i18n.locale = "es";
    expect(formatMoney(123450)).toBe("$1,234.50");
    expect(parseMoney("1,234.5")).toBe(123450);
    expect(parseMoney("abc")).toBeNull();
    expect(formatDay("1992-03-04")).toMatch(/^4 mar.? 1992$/);
  });

  it("reads the server's field errors in Spanish", () => {
    i18n.locale = "es";
    expect(fieldErrorText("map[code:validation_required message:Cannot be blank.]")).toBe("Este dato es obligatorio.");
    expect(fieldErrorText("map[code:something_new message:Mensaje del servidor.]")).toBe("Mensaje del servidor.");
    expect(fieldErrorText({ code: "validation_not_unique", message: "x" })).toBe("Ese valor ya está registrado.");
    // a sync refusal's field message with its code (field_codes): the code wins
    expect(fieldErrorText("Debe ser un número.", "validation_not_a_number")).toBe("Debe ser un número.");
    expect(fieldErrorText("El sexo de la CURP (posición 11) no coincide.", "sex_mismatch")).toBe("El sexo de la CURP no coincide con el registrado.");
    expect(fieldErrorText("Texto del servidor.", "code_the_app_does_not_know")).toBe("Texto del servidor.");
  });
});
