// A field worker at a busy point (issue 12, parts 5 and 6), at 360 px: the
// first sync shows it is downloading; today's registrations at the point with
// a counter; three fast taps on "save" make one person; the claim code shared
// by WhatsApp and SMS, printed with a QR code that opens the claim screen,
// and shown on the person until the registration reaches the server; a
// refused registration on the problems screen, in a worker's words.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  accessibilityViolations, login, newPhone, screenshot, signedInPhone, signIn, useServerAndBrowser, waitForServiceWorker, waitForSynced,
} from "../harness.mjs";
import { countOn, fillPerson, readClaimCode } from "../field.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

const count = (collection, filter) => countOn(server, collection, filter);
const tag = () => Date.now().toString(36).toUpperCase().replace(/[^A-Z]/g, "Q").slice(-5);

/** todayCount reads the counter of "Hoy en este punto" on the field home (shown once the device's copy is read). */
async function todayCount(page) {
  const text = await page.getByTestId("today").locator("summary").textContent({ timeout: 10_000 });
  const m = /Hoy en este punto: (\d+) persona/.exec(text);
  assert.ok(m, text);
  return Number(m[1]);
}

/** personId is the id in the claim screen's "Ver ficha" link. */
async function personId(page) {
  const link = await page.getByRole("link", { name: "Ver ficha" }).getAttribute("href");
  return /#\/field\/people\/([a-z0-9]{15})$/.exec(link)[1];
}

test("a shift: the first sync downloads, today's registrations are counted, three taps save one person, the claim code is shared, printed and kept until synced", async () => {
  const { context, page } = await newPhone(browser, server);
  // a slow network: the first sync takes a while, and the home says so
  await page.route("**/api/sync/pull**", async (route) => {
    await new Promise((r) => setTimeout(r, 600));
    await route.continue();
  });
  const signedIn = signIn(page, server, "field_worker");
  await page.getByTestId("first-sync").getByText(/^Descargando personas: [\d,]+( de [\d,]+)? Ya puedes registrar/).waitFor();
  assert.equal(await page.getByText("Aún no hay personas registradas en este punto.").count(), 0);
  assert.equal(await page.getByTestId("syncbar").getByText("Todo sincronizado").count(), 0, "not before the first sync");
  await signedIn;
  await page.unroute("**/api/sync/pull**");
  await page.getByTestId("first-sync").waitFor({ state: "detached" });
  await page.getByTestId("syncbar").getByText("Todo sincronizado").waitFor();
  await waitForServiceWorker(page);
  const before = await todayCount(page);
  const t = tag();

  // 1. online, with a phone: the code is shared by WhatsApp and SMS, and printed with its QR code
  await page.getByRole("link", { name: "Registrar persona" }).click();
  await page.getByRole("heading", { name: "Registrar persona" }).waitFor();
  await fillPerson(page, { given: `Rosa ${t}`, first: "Luna", birth: "1985-02-14", sex: "M", dest: "Sonora", phone: "664 555 0101" });
  await page.getByRole("button", { name: "Guardar registro" }).click();
  const code = await readClaimCode(page);
  const digits = code.replace(/ /g, "");
  const claimURL = `${server.url}/#/returnee/claim?code=${digits}`;
  const whatsapp = await page.getByRole("link", { name: "Enviar por WhatsApp" }).getAttribute("href");
  const sms = await page.getByRole("link", { name: "Enviar por SMS" }).getAttribute("href");
  assert.ok(whatsapp.startsWith("https://wa.me/?text="), whatsapp);
  assert.ok(sms.startsWith("sms:+526645550101?body="), sms);
  const message = decodeURIComponent(whatsapp.slice("https://wa.me/?text=".length));
  assert.equal(decodeURIComponent(sms.slice(sms.indexOf("?body=") + 6)), message);
  assert.match(message, new RegExp(`^Hola, Rosa ${t} Luna\\. Tu código para crear tu cuenta en Retorno es ${code}\\.`));
  assert.ok(message.includes(claimURL), message);
  await page.getByRole("img", { name: "Código QR para crear la cuenta" }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  // printed: the slip alone
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.getByTestId("syncbar").isVisible(), false);
  assert.equal(await page.getByRole("heading", { name: "Registro guardado" }).isVisible(), false);
  assert.equal(await page.getByTestId("claim-code").isVisible(), true);
  assert.equal(await page.getByRole("img", { name: "Código QR para crear la cuenta" }).isVisible(), true);
  assert.equal(await page.getByRole("link", { name: "Enviar por WhatsApp" }).isVisible(), false);
  await page.emulateMedia({ media: "screen" });
  // the QR code's address opens the claim screen with the code filled in
  const returnee = await newPhone(browser, server);
  await returnee.page.goto(claimURL.slice(server.url.length));
  await returnee.page.getByRole("heading", { name: "Activa tu cuenta" }).waitFor();
  assert.equal(await returnee.page.getByLabel("Código de activación").inputValue(), digits);
  await returnee.context.close();

  // 2. three fast taps on "save": one person
  await page.getByRole("button", { name: "Registrar otra persona" }).click();
  await fillPerson(page, { given: `Tres Toques ${t}`, first: "Rápido", birth: "1992-07-01", sex: "H", dest: "Sinaloa" });
  await page.getByRole("button", { name: "Guardar registro" }).evaluate((button) => {
    button.click();
    button.click();
    button.click();
  });
  await readClaimCode(page);
  await waitForSynced(page);
  assert.equal(await count("returnees", `given_names = "Tres Toques ${t}"`), 1);
  assert.equal(await count("returns", `returnee.given_names = "Tres Toques ${t}"`), 1);

  // 3. offline: pending, counted today, and its code on the person's screen until it is synced
  await context.setOffline(true);
  await page.getByRole("button", { name: "Registrar otra persona" }).click();
  await fillPerson(page, { given: `Sin Señal ${t}`, first: "Mar", birth: "2000-12-31", sex: "M", dest: "Jalisco" });
  await page.getByRole("button", { name: "Guardar registro" }).click();
  const offlineCode = await readClaimCode(page);
  const id = await personId(page);
  await page.getByRole("link", { name: "Volver a la lista" }).click();
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  const today = page.getByTestId("today");
  await today.getByText(`Hoy en este punto: ${before + 3} personas`).waitFor();
  await today.getByText("1 sin enviar").waitFor();
  await today.locator("summary").click();
  for (const name of [`Rosa ${t} Luna`, `Tres Toques ${t} Rápido`, `Sin Señal ${t} Mar`]) {
    await today.getByRole("link", { name: new RegExp(name) }).waitFor();
  }
  assert.match(await today.getByRole("listitem").first().textContent(), new RegExp(`Sin Señal ${t} Mar\\s*Pendiente de enviar`));
  assert.deepEqual(await accessibilityViolations(page), []);

  await today.getByRole("link", { name: new RegExp(`Sin Señal ${t}`) }).click();
  await page.getByRole("heading", { name: `Sin Señal ${t} Mar` }).waitFor();
  assert.equal(await page.getByTestId("claim-code").textContent(), offlineCode);
  await page.getByText("El código se activa cuando el registro llega al servidor.").waitFor();
  await context.setOffline(false);
  await waitForSynced(page);
  await page.getByTestId("claim-code").waitFor({ state: "detached" });
  assert.equal(await page.evaluate((id) => window.retorno.sync.kept("returnees", id), id), undefined);
  const onServer = await server.rest("GET", `/api/collections/returnees/records/${id}`);
  assert.ok(onServer.claim_expires, "the code is live");
  await page.goto("/#/field");
  await page.getByTestId("today").getByText(`Hoy en este punto: ${before + 3} personas`).waitFor();
  assert.equal(await page.getByTestId("today").getByText("sin enviar").count(), 0);
  await context.close();
});

test("a refused registration: the problems screen names the person, groups the changes that depend on it, and asks before discarding", async () => {
  const { context, page } = await signedInPhone(browser, server, "field_worker", { index: 1 });
  const email = login(server, "field_worker", 1);
  const worker = (await server.rest("GET", `/api/collections/staff/records?filter=${encodeURIComponent(`email = "${email}"`)}`)).items[0];
  const t = tag();
  const given = `Rocío ${t}`;
  const name = `${given} Campos`;

  await context.setOffline(true);
  await page.getByRole("link", { name: "Registrar persona" }).click();
  await fillPerson(page, { given, first: "Campos", birth: "1988-07-09", sex: "M", dest: "Jalisco", consents: ["Registro y seguimiento"] });
  await page.getByRole("button", { name: "Guardar registro" }).click();
  await readClaimCode(page);
  const id = await personId(page);
  // meanwhile the worker was moved to another reception point: what the phone registered at the
  // old one is refused (a worker registers people at their own point only)
  const other = (await server.rest("GET", `/api/collections/reception_points/records?perPage=1&filter=${encodeURIComponent(
    `id != "${worker.reception_point}"`)}`)).items[0];
  await server.rest("PATCH", `/api/collections/staff/records/${worker.id}`, { reception_point: other.id });
  try {
    await context.setOffline(false);
    await page.getByTestId("problems-link").getByText("3 problemas").waitFor();
    assert.equal(await page.getByTestId("syncbar").getByText("Todo sincronizado").count(), 0, "not next to problems");
    await page.getByTestId("problems-link").click();
    await page.getByRole("heading", { name: "Problemas de sincronización" }).waitFor();

    // one card, under the person's name: the registration, then its consent and return (in the
    // order the phone sends them: sensitive needs wait for their consent, docs/PRIVACY.md)
    const card = page.locator("li.problem");
    await card.first().waitFor();
    assert.equal(await card.count(), 1);
    await card.getByRole("heading", { name }).waitFor();
    const changes = await card.locator(".change > p:first-child").allTextContents();
    assert.deepEqual(changes.map((s) => s.replace(/\s+/g, " ").trim()), [
      "Rechazado Persona · Alta", "Rechazado Consentimiento · Alta", "Rechazado Retorno · Alta",
    ]);
    assert.equal(await card.getByText(`Depende del registro de ${name}`).count(), 2);
    const text = await page.locator("main").innerText();
    assert.ok(!text.includes(id), "no record id");
    assert.doesNotMatch(text, /\b(curp|returnee|reception_point|claim_hash|given_names)\b/, "no field names");
    assert.deepEqual(await accessibilityViolations(page), []);
    await screenshot(page, "problems");

    // discarding asks first; cancelled, nothing is lost; confirmed, the three go
    await card.getByRole("button", { name: "Descartar" }).click();
    await card.getByText("¿Descartar estos 3 cambios? Se borran de este teléfono y no llegarán al servidor.").waitFor();
    await card.getByRole("button", { name: "Cancelar" }).click();
    assert.equal(await card.getByRole("button", { name: "Sí, descartar" }).count(), 0);
    assert.equal(await card.count(), 1);
    await card.getByRole("button", { name: "Descartar" }).click();
    await card.getByRole("button", { name: "Sí, descartar" }).click();
    await page.getByText("No hay problemas. Todo lo enviado se guardó.").waitFor();
    assert.equal(await count("returnees", `given_names = "${given}"`), 0);
    assert.equal(await page.evaluate((id) => window.retorno.sync.kept("returnees", id), id), undefined);
  } finally {
    await server.rest("PATCH", `/api/collections/staff/records/${worker.id}`, { reception_point: worker.reception_point });
  }
  await context.close();
});
