// The state coordinator at 360 px on the real binary (issue 14): a home with
// the state's figures, the state's people and a person, read online with no
// personal data on the device; the review queue, where Baja California's
// coordinator resolves a registration refused at Tijuana (which Sonora's
// coordinator never sees), merges two registrations of one person and
// dismisses a pair of two people; exports as files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { accessibilityViolations, login, newPhone, PASSWORD, screenshot, signedInPhone, skipPinOffer, useServerAndBrowser, localCount } from "../harness.mjs";
import { countOn } from "../field.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

// demo logins: coordinators 0 Baja California, 1 Sonora; field worker 0 Tijuana
const BAJA_CALIFORNIA = 0, SONORA = 1, TIJUANA = 0;
const tag = Date.now().toString(36).slice(-4);

/** idOf is the id of the first record of collection matching filter (as the superuser). */
async function idOf(collection, filter) {
  const r = await server.rest("GET", `/api/collections/${collection}/records?perPage=1&filter=${encodeURIComponent(filter)}`);
  return r.items[0]?.id;
}

/** tokenOf signs a demo staff account in through the API. */
async function tokenOf(role, index) {
  const r = await fetch(`${server.url}/api/collections/staff/auth-with-password`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ identity: login(server, role, index), password: PASSWORD }),
  });
  return (await r.json()).token;
}

/** person registers someone at Tijuana as the superuser. */
async function person(given, first, birth) {
  const tijuana = await idOf("reception_points", 'city = "Tijuana"');
  const gr = await idOf("states", 'curp_code = "GR"');
  return server.rest("POST", "/api/collections/returnees/records", {
    given_names: given, first_surname: first, second_surname: "Luna", birth_date: birth, sex: "M",
    reception_point: tijuana, destination_state: gr, repatriation_date: "2026-11-20",
  });
}

test("the coordinator's home: the state's figures by sex and age, no personal data on the device", async () => {
  const { context, page } = await signedInPhone(browser, server, "coordinator", { index: BAJA_CALIFORNIA });
  await page.getByRole("heading", { name: /Coordinación estatal · Baja California/ }).waitFor();
  await page.getByTestId("returns-total").waitFor();
  await page.getByRole("table", { name: "Punto de recepción" }).getByRole("rowheader", { name: /Tijuana/ }).waitFor();
  await page.getByRole("columnheader", { name: "Mujeres" }).first().waitFor();
  await page.getByRole("heading", { name: "Canalizaciones" }).waitFor();
  await page.getByRole("button", { name: "Por edad" }).click();
  await page.getByRole("columnheader", { name: "18–29" }).first().waitFor();
  await page.getByLabel("Ver los retornos por").selectOption({ label: "Mes" });
  await page.getByRole("table", { name: "Mes" }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "coordinator-home");

  // the device keeps reference data only
  assert.equal(await localCount(page, "returnees"), 0);
  assert.equal(await localCount(page, "returns"), 0);
  assert.ok((await localCount(page, "states")) >= 32);

  // the state's people, searched on the server, and one person, read-only
  const someone = (await server.rest("GET", `/api/collections/returnees/records?perPage=1&sort=id&filter=${encodeURIComponent('reception_point.city = "Tijuana"')}`)).items[0];
  await page.getByRole("link", { name: "Personas del estado" }).click();
  await page.getByLabel("Buscar por nombre, CURP o teléfono").fill(`${someone.given_names.split(" ")[0]} ${someone.first_surname}`);
  await page.getByRole("button", { name: "Buscar" }).click();
  const link = page.getByRole("link", { name: new RegExp(`${someone.given_names} ${someone.first_surname}`) }).first();
  await link.waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Descargar CSV" }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /\.csv$/);
  const csv = await readFile(await file.path(), "utf8");
  assert.ok(csv.startsWith("\uFEFF"), "the CSV starts with a byte-order mark");
  assert.ok(csv.includes(someone.first_surname), "the CSV holds the list's people");
  await link.click();
  await page.getByRole("heading", { name: "Retornos" }).waitFor();
  await page.getByText("Fecha de nacimiento").waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "coordinator-person");
  await context.close();
});

test("review: Baja California resolves a registration refused at Tijuana, which Sonora never sees; pairs merged or dismissed", async () => {
  // a registration without birth date, pushed from Tijuana: refused, kept for review
  const worker = await tokenOf("field_worker", TIJUANA);
  const given = `Lucía ${tag}`;
  const push = await fetch(`${server.url}/api/sync/push`, {
    method: "POST",
    headers: { Authorization: worker, "Content-Type": "application/json" },
    body: JSON.stringify({
      client_id: `tijuana-e2e-${tag}`, schema_version: 1,
      mutations: [{
        mutation_id: `refused-${tag}-0001`, collection: "returnees", record_id: `refused${tag}000000`.slice(0, 15), op: "create", base_rev: 0,
        fields: { given_names: given, first_surname: "Ramos", sex: "M", reception_point: await idOf("reception_points", 'city = "Tijuana"'),
          destination_state: await idOf("states", 'curp_code = "GR"'), repatriation_date: "2026-11-25" },
      }],
    }),
  });
  assert.equal((await push.json()).results[0].status, "rejected");

  // two registrations of one person, and two people alike who are not the same
  const first = await person(`Rocío ${tag}`, "Vega", "1990-02-03");
  const second = await person(`Rocío ${tag}`, "Vega", "1990-02-03");
  await person(`Alma ${tag}`, "Ruiz", "1985-04-05");
  await person(`Alma ${tag}`, "Ruiz", "1985-05-04"); // day and month swapped: a pair, two sisters
  assert.ok(await countOn(server, "duplicate_candidates", `status = "open" && (returnee = "${second.id}" || candidate = "${second.id}")`));

  // Sonora sees none of it
  const sonora = await signedInPhone(browser, server, "coordinator", { index: SONORA });
  await sonora.page.getByRole("link", { name: /^Revisión/ }).click();
  await sonora.page.getByRole("heading", { name: "Cambios rechazados y conflictos" }).waitFor();
  await sonora.page.getByRole("heading", { name: "Personas abiertas por un nuevo retorno" }).waitFor();
  await sonora.page.waitForLoadState("networkidle");
  for (const name of [given, `Rocío ${tag}`, `Alma ${tag}`]) {
    assert.equal(await sonora.page.getByText(name).count(), 0, `Sonora's coordinator sees ${name}`);
  }
  await sonora.context.close();

  // Baja California resolves the refusal, in words
  const { context, page } = await signedInPhone(browser, server, "coordinator", { index: BAJA_CALIFORNIA });
  await page.getByTestId("pending-review").waitFor();
  await page.getByRole("link", { name: /^Revisión/ }).click();
  const refused = page.getByTestId("conflict").filter({ hasText: `${given} Ramos` });
  await refused.getByText("Fecha de nacimiento: Este dato es obligatorio.").waitFor();
  await refused.getByText("Persona · Alta").waitFor();
  const pair = page.getByTestId("duplicate-pair").filter({ hasText: `Rocío ${tag}` });
  await pair.getByText("Misma fecha de nacimiento").waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "coordinator-review");

  await refused.getByLabel("Nota de resolución (opcional)").fill("Se registró de nuevo con su fecha de nacimiento.");
  await refused.getByRole("button", { name: "Marcar como resuelto" }).click();
  await refused.waitFor({ state: "detached" });
  assert.equal(await countOn(server, "sync_conflicts", `yours.given_names = "${given}" && resolved = true && resolution_note ~ "fecha de nacimiento"`), 1);

  // merge: keep A
  await pair.getByRole("button", { name: "Son la misma: conservar A" }).click();
  await pair.getByText(/Se conserva el registro A/).waitFor();
  await pair.getByRole("button", { name: "Sí, unir" }).click();
  await pair.waitFor({ state: "detached" });
  assert.equal(await countOn(server, "returnees", `given_names = "Rocío ${tag}"`), 1);
  assert.ok([first.id, second.id].includes(await idOf("returnees", `given_names = "Rocío ${tag}"`)));

  // not the same person: dismissed, never proposed again
  const sisters = page.getByTestId("duplicate-pair").filter({ hasText: `Alma ${tag}` });
  await sisters.getByText("Día y mes de nacimiento invertidos").waitFor();
  await sisters.getByRole("button", { name: "No son la misma persona" }).click();
  await sisters.waitFor({ state: "detached" });
  const alma = await idOf("returnees", `given_names = "Alma ${tag}"`);
  assert.equal(await countOn(server, "duplicate_candidates", `status = "dismissed" && (returnee = "${alma}" || candidate = "${alma}")`), 1);
  await context.close();
});

test("imports: a bad row is named by its line and nothing is saved; staff come with invitation codes shown once", async () => {
  const { context, page } = await signedInPhone(browser, server, "coordinator", { index: BAJA_CALIFORNIA });
  await page.getByRole("link", { name: "Importar datos" }).click();
  const csv = (text) => ({ name: "datos.csv", mimeType: "text/csv", buffer: Buffer.from(text) });

  await page.getByLabel("Qué vas a importar").selectOption({ label: "Puntos de recepción" });
  await page.getByLabel("Archivo").setInputFiles(csv(`nombre,ciudad,estado\nPunto ${tag},Tecate,Baja California\nOtro ${tag},Hermosillo,Sonora\n`));
  await page.getByRole("button", { name: "Revisar" }).click();
  const result = page.getByTestId("import-result");
  await result.getByText("Hay 1 problema").waitFor();
  await result.getByRole("row", { name: /^3 Estado Solo puedes importar registros de tu propio estado/ }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  assert.equal(await countOn(server, "reception_points", `name ~ "${tag}"`), 0);

  await page.getByLabel("Qué vas a importar").selectOption({ label: "Cuentas del personal" });
  const tijuana = (await server.rest("GET", `/api/collections/reception_points/records?filter=${encodeURIComponent('city = "Tijuana"')}`)).items[0].name;
  await page.getByLabel("Archivo").setInputFiles(csv(`Correo electrónico,Nombre,Rol,Punto de recepción\ncampo.${tag}@example.org,Lucía ${tag},Personal de campo,${tijuana}\n`));
  await page.getByRole("button", { name: "Revisar" }).click();
  await result.getByText("El archivo está bien: se creará 1 registro.").waitFor();
  await result.getByRole("button", { name: "Importar" }).click();
  await result.getByText("Se creó 1 registro.").waitFor();
  const code = await page.getByTestId("invitations").getByRole("row", { name: new RegExp(`campo.${tag}@example.org`) }).locator(".code").textContent();
  assert.match(code, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await screenshot(page, "coordinator-import");
  await context.close();

  // the invited person, on their own phone: sign-in, "set your password", signed in at their point
  const invited = await newPhone(browser, server);
  await invited.page.goto("/");
  await invited.page.getByRole("link", { name: "¿Te invitaron como personal? Crea tu contraseña" }).click();
  await invited.page.getByRole("heading", { name: "Activar tu cuenta de personal" }).waitFor();
  await invited.page.getByLabel("Correo electrónico").fill(`campo.${tag}@example.org`);
  await invited.page.getByLabel("Código de invitación").fill("AAAA-BBBB-CCCC");
  await invited.page.getByLabel("Nueva contraseña (al menos 10 caracteres)").fill("una-clave-segura");
  await invited.page.getByLabel("Repite la contraseña").fill("una-clave-segura");
  await invited.page.getByRole("button", { name: "Activar y entrar" }).click();
  await invited.page.getByRole("alert").filter({ hasText: "La invitación no es válida" }).waitFor();
  await invited.page.getByLabel("Código de invitación").fill(code.toLowerCase());
  await invited.page.getByRole("button", { name: "Activar y entrar" }).click();
  await skipPinOffer(invited.page);
  await invited.page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  await invited.context.close();
});
