// A field device's first sync at a busy point (issue 16, part 8), at 360 px
// on the real binary, with the devices' window of 180 days: the sync bar
// says one thing at a time, the people downloaded against the server's
// count; the home works with what has arrived and a registration saves at
// once while the download is held up; once done, the device holds the
// point's recent people and not an older one, whom the search finds on the
// server; registering a new return brings that person back to the phone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessibilityViolations, localRecords, newPhone, signIn, useServerAndBrowser, waitForSynced } from "../harness.mjs";
import { fillPerson, readClaimCode } from "../field.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

const tag = () => Date.now().toString(36).toUpperCase().replace(/[^A-Z]/g, "Q").slice(-5);
const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function idOf(collection, filter) {
  return (await server.rest("GET", `/api/collections/${collection}/records?perPage=1&filter=${encodeURIComponent(filter)}`)).items[0].id;
}

/** person registers someone at Tijuana as the superuser, last returned days ago. */
async function person(first, days) {
  return server.rest("POST", "/api/collections/returnees/records", {
    given_names: "Marta", first_surname: first, birth_date: "1979-03-14", sex: "M",
    reception_point: await idOf("reception_points", 'city = "Tijuana"'), destination_state: await idOf("states", 'name = "Sonora"'),
    repatriation_date: daysAgo(days),
  });
}

test("the first sync: one state in the bar with its progress, a registration while it runs, the window on the device, older people online", async () => {
  const settings = (await server.rest("GET", "/api/collections/device_settings/records")).items[0];
  await server.rest("PATCH", `/api/collections/device_settings/records/${settings.id}`, { field_window_days: 180 });
  const t = tag();
  const recent = await person(`Reciente${t}`, 10);
  const old = await person(`Antigua${t}`, 400);

  const { context, page } = await newPhone(browser, server);
  // the download holds after its first page, until the registration is saved
  let release;
  const held = new Promise((r) => (release = r));
  let pulls = 0;
  await page.route("**/api/sync/pull**", async (route) => {
    if (++pulls > 1) await held;
    await route.continue();
  });
  await signIn(page, server, "field_worker", { synced: false });
  const bar = page.getByTestId("pending-count");
  await bar.getByText(/Descargando personas: [\d,]+ de [\d,]+/).waitFor();
  const text = (await bar.textContent()).trim();
  const [, received, expected] = /(\d[\d,]*) de (\d[\d,]*)/.exec(text).map((x) => Number(String(x).replace(/,/g, "")));
  assert.ok(expected > 0 && received <= expected, text);
  const syncbar = await page.getByTestId("syncbar").textContent();
  assert.doesNotMatch(syncbar, /Todo sincronizado|Aún no se ha sincronizado/, "one state at a time");
  await page.getByTestId("first-sync").getByText(/Ya puedes registrar/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);

  // the app works meanwhile: a registration saves at once
  await page.getByRole("link", { name: "Registrar persona" }).click();
  await page.getByRole("heading", { name: "Registrar persona" }).waitFor();
  await fillPerson(page, { given: "Durante", first: `Descarga${t}`, birth: "1990-07-01", sex: "H", dest: "Sonora", consents: ["Registro y seguimiento"] });
  await page.getByRole("button", { name: "Guardar registro" }).click();
  await readClaimCode(page);
  assert.ok(pulls <= 2, `the download was held: ${pulls} pulls`);
  release();
  await page.getByRole("link", { name: "Ver ficha" }).click();
  await page.getByRole("heading", { name: `Durante Descarga${t}` }).waitFor();
  await waitForSynced(page);
  await page.getByTestId("syncbar").getByText(/Todo sincronizado · /).waitFor();

  // the device holds the window: the recent person, not the older one
  const local = new Set((await localRecords(page, "returnees")).map((r) => r.id));
  assert.ok(local.has(recent.id), "the person returned 10 days ago is on the device");
  assert.ok(!local.has(old.id), "the person returned 400 days ago is not");
  assert.ok(local.size >= expected, `${local.size} people on the device, the server counted ${expected}`);

  // the search finds the older person on the server, and says so
  await page.goto("/#/field");
  await page.getByText(/Este teléfono guarda a las personas con un retorno en los últimos 180 días/).waitFor();
  await page.getByLabel("Buscar por nombre, CURP o teléfono").fill(`Antigua${t}`);
  await page.getByText("0 resultados").waitFor();
  const online = page.getByTestId("online-results");
  await online.getByRole("heading", { name: "En el servidor" }).waitFor();
  await online.getByRole("link", { name: new RegExp(`Marta Antigua${t}`) }).click();
  await page.getByTestId("online-person").getByText(/no está guardada en este teléfono/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);

  // a new return today brings them back to the phone, with their screen
  await page.getByRole("button", { name: "Registrar retorno" }).click();
  await page.waitForURL((u) => u.hash === `#/field/people/${old.id}`, { timeout: 30_000 });
  await page.getByRole("heading", { name: `Marta Antigua${t}` }).waitFor();
  await waitForSynced(page);
  assert.ok((await localRecords(page, "returnees")).some((r) => r.id === old.id));
  const returns = (await localRecords(page, "returns")).filter((r) => r.data.returnee === old.id);
  assert.equal(returns.length, 1, "the new return is on the device");
  await context.close();
});
