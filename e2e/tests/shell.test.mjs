// The app shell: a field worker signs in online, the app keeps working
// offline after a reload (service worker), and shows it is offline.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  accessibilityViolations, localCount, login, newPhone, screenshot, signedInPhone, signIn, unlock, useServerAndBrowser, waitForServiceWorker,
} from "../harness.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

test("a field worker signs in online, then the app loads offline", async () => {
  const { context, page } = await newPhone(browser, server);
  await page.goto("/");
  await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "signin");

  await signIn(page, server, "field_worker");
  assert.match(page.url(), /#\/field$/);
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  await page.getByTestId("syncbar").getByText(/Todo sincronizado · /).waitFor();
  // the first sync brought the reception point's people (their last return or the one before was there)
  const people = await localCount(page, "returnees");
  assert.ok(people > 0, `expected returnees on the device, got ${people}`);
  const onServer = await server.rest("GET", "/api/collections/returnees/records?perPage=1&filter=" +
    encodeURIComponent(`reception_point.name ~ "Tijuana" || previous_point.name ~ "Tijuana"`));
  assert.equal(people, onServer.totalItems);
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "field-home");

  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.reload();
  await unlock(page); // a reload starts locked; the password opens the copy offline
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  await page.getByTestId("offline-badge").waitFor();
  assert.equal(await page.getByTestId("offline-badge").textContent(), "Sin conexión");
  assert.equal(await localCount(page, "returnees"), people);
  await screenshot(page, "field-home-offline");

  // English, remembered across reloads. Its messages are a chunk of their own that Spanish
  // never loads; precached, so the first switch works offline too, and the screen re-renders
  // when they arrive.
  const englishLoaded = () => page.evaluate(() =>
    performance.getEntriesByType("resource").some((e) => /\/assets\/english-[^/]*\.js$/.test(e.name)));
  assert.equal(await englishLoaded(), false, "Spanish does not load the English chunk");
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { name: "Field registration" }).waitFor();
  assert.equal(await englishLoaded(), true);
  await page.getByTestId("offline-badge").getByText("Offline").waitFor();
  await page.reload();
  await unlock(page);
  await page.getByRole("heading", { name: "Field registration" }).waitFor();
  await page.getByTestId("offline-badge").getByText("Offline").waitFor();
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  // online again, English after a reload still comes from the cache
  await context.setOffline(false);
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { name: "Field registration" }).waitFor();
  await context.setOffline(true);
  await page.reload();
  await unlock(page);
  await page.getByRole("heading", { name: "Field registration" }).waitFor();
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  await context.close();
});

// A phone that has not kept its screens (its storage was cleared, or they were loaded just
// as the service worker took over) says so offline instead of loading forever, and opens
// them again once online.
test("a screen the phone has not kept says so offline, and opens once online", async () => {
  const { context, page } = await signedInPhone(browser, server, "field_worker");
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  await waitForServiceWorker(page);
  const dropped = await page.evaluate(async () => {
    const cache = await caches.open("retorno-screens");
    const field = (await cache.keys()).filter((r) => /\/assets\/field-[^/]+\.js$/.test(r.url));
    await Promise.all(field.map((r) => cache.delete(r)));
    return field.length;
  });
  assert.equal(dropped, 1, "the service worker kept the field worker's screens");
  await context.setOffline(true);
  await page.reload();
  await unlock(page);
  await page.getByRole("alert").getByText("No se pudo abrir esta pantalla: no está guardada en este teléfono para usarse sin conexión.", { exact: false }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Registro en campo" }).count(), 0);
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "screen-unavailable-offline");
  await context.setOffline(false);
  await page.getByRole("button", { name: "Intentar de nuevo" }).click();
  await unlock(page);
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  await context.close();
});

// The sign-in form of a signed-out visit is the boot page's (ui/index.html, src/boot.ts),
// there before the app has loaded; the app takes over after the sign-in, for English, and
// at once for a saved session, which never shows the boot page.
test("the boot page's sign-in form: a refusal is announced, English opens the app's, a saved session skips it", async () => {
  const { context, page } = await newPhone(browser, server);
  await page.goto("/");
  await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
  assert.equal(await page.locator("#boot form").count(), 1, "the boot page's form");
  await page.getByLabel("Correo electrónico").fill(login(server, "field_worker"));
  await page.getByLabel("Contraseña").fill("not-the-password");
  await page.getByRole("button", { name: "Entrar" }).click();
  await page.getByRole("alert").getByText("El usuario o la contraseña no son correctos.").waitFor();
  await page.getByRole("button", { name: "Persona usuaria" }).click();
  await page.getByLabel("CURP, teléfono o correo").waitFor();
  assert.equal(await page.getByLabel("CURP, teléfono o correo").getAttribute("aria-describedby"), "identity-hint");
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  assert.equal(await page.locator("#boot").count(), 0, "the app took over");
  await context.close();

  const phone = await newPhone(browser, server);
  // whether the boot page was on screen at any moment of a page load
  await phone.context.addInitScript(() => {
    window.bootShown = false;
    new MutationObserver(() => {
      if (document.getElementById("boot")?.hidden === false) window.bootShown = true;
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await signIn(phone.page, server, "field_worker");
  assert.equal(await phone.page.evaluate(() => window.bootShown), true, "signed out, the boot page's form");
  await phone.page.reload();
  await unlock(phone.page); // a saved session opens on the lock screen, not the boot page
  await phone.page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  assert.equal(await phone.page.evaluate(() => window.bootShown), false, "a saved session goes straight to the app");
  await phone.context.close();
});

test("sign-out warns about unpushed changes; a refused change becomes a problem to discard", async () => {
  const { context, page } = await signedInPhone(browser, server, "returnee");
  assert.match(page.url(), /#\/returnee$/);
  await context.setOffline(true);
  await page.getByTestId("offline-badge").waitFor();
  // a change the server will refuse: returnees may not write case notes
  await page.evaluate(() => window.retorno.sync.create("case_notes", { body: "nota" }));
  await page.getByTestId("pending-count").getByText("1 cambio pendiente").waitFor();

  await page.getByTestId("signout").click();
  const dialog = page.getByTestId("signout-dialog");
  await dialog.getByText(/Hay 1 cambio que aún no llega al servidor/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "signout-warning");
  await dialog.getByRole("button", { name: "Cancelar" }).click();

  await context.setOffline(false);
  await page.getByRole("button", { name: "Sincronizar" }).click();
  await page.getByTestId("problems-link").click();
  await page.getByRole("heading", { name: "Problemas de sincronización" }).waitFor();
  await page.getByText("No tienes permiso para hacer este cambio.").waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  // the sync bar says nothing is pending, and not "all synced"
  assert.equal(await page.getByTestId("syncbar").getByText("Todo sincronizado").count(), 0);
  // discarding asks first
  await page.getByRole("button", { name: "Descartar" }).click();
  await page.getByText(/¿Descartar este cambio\? Se borra de este teléfono/).waitFor();
  await page.getByRole("button", { name: "Sí, descartar" }).click();
  await page.getByText("No hay problemas. Todo lo enviado se guardó.").waitFor();
  await page.getByTestId("syncbar").getByText("Todo sincronizado").waitFor();

  await page.getByTestId("signout").click();
  await dialog.getByText(/Se borrarán de este teléfono/).waitFor();
  await dialog.getByRole("button", { name: "Cerrar sesión" }).click();
  await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
  assert.equal(await localCount(page, "returnees"), 0);
  await context.close();
});
