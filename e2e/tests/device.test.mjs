// Lost and shared devices (issue 15, part 4): the device's copy in IndexedDB
// is encrypted (no name, CURP, phone or claim code of anyone in any object
// store); the app locks after 10 minutes without input and a PIN or the
// password opens it; a deactivated account's phone says so and erases its
// copy at its next contact with the server.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PASSWORD, accessibilityViolations, login, newPhone, screenshot, signIn, signedInPhone, useServerAndBrowser, waitForSynced,
} from "../harness.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

const q = (s) => encodeURIComponent(s);

/**
 * storedText reads every row of every object store of the app's database,
 * bypassing the app, with the bytes of binary values as text: what someone
 * with the phone's files, but not the key, would read.
 */
function storedText(page) {
  return page.evaluate(
    () =>
      new Promise((ok, fail) => {
        const req = indexedDB.open("retorno");
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const stores = [...db.objectStoreNames];
          const tx = db.transaction(stores);
          const rows = {};
          for (const s of stores) tx.objectStore(s).getAll().onsuccess = (e) => (rows[s] = e.target.result);
          tx.oncomplete = () => {
            db.close();
            const bytes = (v) => new TextDecoder().decode(v instanceof ArrayBuffer ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
            ok(JSON.stringify(rows, (_, v) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? bytes(v) : v)));
          };
        };
      }),
  );
}

/** tryUnlock types value into the lock screen's field called label and presses "Desbloquear". */
async function tryUnlock(page, label, value) {
  await page.getByLabel(label).fill(value);
  await page.getByRole("button", { name: "Desbloquear" }).click();
}

/** databases lists the names of the page's IndexedDB databases. */
const databases = (page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));

test("the device's copy is unreadable without the key: no name, CURP, phone or claim code in IndexedDB", async () => {
  const { context, page } = await signedInPhone(browser, server, "field_worker");
  // people of Tijuana the phone holds, and one it registers offline with a claim code
  const people = (
    await server.rest("GET", `/api/collections/returnees/records?perPage=20&filter=${q(`reception_point.name ~ "Tijuana" && curp != "" && phone != ""`)}`)
  ).items;
  assert.ok(people.length > 0);
  for (const p of people) assert.equal((await page.evaluate((id) => window.retorno.sync.get("returnees", id), p.id))?.curp, p.curp);
  await context.setOffline(true);
  const mine = { given_names: "Citlalli Xiadani", first_surname: "Tlatelpa", birth_date: "1994-02-03", sex: "M", phone: "+526649876543" };
  const code = "7302958146";
  const id = await page.evaluate(
    async ([fields, code]) => {
      const id = "devlock" + Math.random().toString(36).slice(2, 10).padEnd(8, "0");
      await window.retorno.sync.keepUntilSynced("returnees", id, code);
      await window.retorno.sync.create("returnees", fields, id);
      return id;
    },
    [mine, code],
  );
  assert.equal(await page.evaluate((id) => window.retorno.sync.kept("returnees", id), id), code);

  const stored = await storedText(page);
  assert.ok(stored.includes(id) && stored.includes(people[0].id), "the ids the indexes need stay readable");
  for (const p of people) {
    for (const value of [p.curp, `${p.given_names} ${p.first_surname}`, p.phone.replace(/^\+52/, "")]) {
      assert.ok(!stored.includes(value), `${value} is stored in clear`);
    }
  }
  for (const value of [mine.given_names, mine.first_surname, "9876543", code]) assert.ok(!stored.includes(value), `${value} is stored in clear`);
  await context.close();
});

test("the app locks after 10 minutes without input; the PIN opens it, the password too, and sync waits meanwhile", async () => {
  const { context, page } = await newPhone(browser, server);
  await page.clock.install();
  await page.goto("/");
  await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
  await page.locator("#identity").fill(login(server, "field_worker", 2));
  await page.locator("#password").fill(PASSWORD);
  await page.locator("form button[type=submit]").click();

  // after the sign-in the app offers a PIN
  await page.getByRole("heading", { name: "Crea un PIN" }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "device-pin-offer");
  await page.getByLabel("PIN de 6 dígitos").fill("123456");
  await page.getByLabel("Repite el PIN").fill("123456");
  await page.getByRole("button", { name: "Crear PIN" }).click();
  await page.getByText("Elige un PIN menos fácil de adivinar (no 000000 ni 123456).").waitFor();
  await page.getByLabel("PIN de 6 dígitos").fill("482913");
  await page.getByLabel("Repite el PIN").fill("482913");
  await page.getByRole("button", { name: "Crear PIN" }).click();
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  await waitForSynced(page);

  // input keeps it open: 9 minutes, a tap, 9 minutes more
  await page.clock.fastForward("09:00");
  await page.getByRole("heading", { name: "Registro en campo" }).click();
  await page.clock.fastForward("09:00");
  assert.equal(await page.evaluate(() => window.retorno.sync.vault.unlocked), true);

  // a change made offline waits, locked, even once the network is back
  await context.setOffline(true);
  await page.evaluate(() => window.retorno.sync.create("case_notes", { text: "nota de prueba" }));
  await page.getByTestId("pending-count").getByText("1 cambio pendiente").waitFor();
  await page.clock.fastForward("10:01");
  await page.getByRole("heading", { name: "Desbloquea Retorno" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Registro en campo" }).count(), 0);
  assert.equal(await page.evaluate(() => window.retorno.sync.vault.unlocked), false);
  assert.equal(await page.evaluate(() => window.retorno.sync.list("returnees").then(() => "read", (e) => e.name)), "LockedError");
  await page.getByText("1 cambio espera para enviarse: la sincronización sigue en cuanto desbloquees.").waitFor();
  await page.getByTestId("locked-badge").getByText("Bloqueada: se sincroniza al desbloquear").waitFor();
  await context.setOffline(false);
  assert.equal(await page.getByRole("button", { name: "Sincronizar" }).isDisabled(), true);
  await page.clock.fastForward("01:00"); // the minute's sync passes by
  assert.equal(await page.getByTestId("pending-count").getAttribute("data-count"), "1");
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "device-locked");

  // a wrong PIN, then the right one: the note goes out
  await tryUnlock(page, "PIN de 6 dígitos", "000000");
  await page.getByText("El PIN no es correcto.").waitFor();
  await tryUnlock(page, "PIN de 6 dígitos", "482913");
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  await waitForSynced(page);

  // a reload starts locked; offline, the password opens it too
  await context.setOffline(true);
  await page.reload();
  await page.getByRole("heading", { name: "Desbloquea Retorno" }).waitFor();
  await page.getByRole("button", { name: "Usar mi contraseña" }).click();
  await tryUnlock(page, "Contraseña", "no-es-la-contraseña");
  await page.getByText("La contraseña no es correcta.").waitFor();
  await tryUnlock(page, "Contraseña", PASSWORD);
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  await page.getByTestId("offline-badge").waitFor();
  await context.close();
});

test("a deactivated account's phone tells the user what is lost and erases its copy; its sign-in is refused", async () => {
  const { context, page } = await signedInPhone(browser, server, "field_worker", { index: 1 });
  const email = login(server, "field_worker", 1);
  const [staff] = (await server.rest("GET", `/api/collections/staff/records?filter=${q(`email = "${email}"`)}`)).items;
  await context.setOffline(true);
  await page.evaluate(() => window.retorno.sync.create("case_notes", { text: "nota que no llegará" }));
  await page.getByTestId("pending-count").getByText("1 cambio pendiente").waitFor();

  await server.rest("PATCH", `/api/collections/staff/records/${staff.id}`, { active: false });
  await context.setOffline(false);
  await page.getByRole("button", { name: "Sincronizar" }).click({ timeout: 3000 }).catch(() => {}); // or the realtime reconnection comes first
  await page.getByRole("heading", { name: "Tu cuenta fue desactivada" }).waitFor();
  await page.getByText("Se perdió 1 cambio que no se había enviado al servidor.").waitFor();
  await page.getByTestId("wipe-state").getByText("Se borraron los datos de este teléfono.").waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "device-disabled");
  assert.ok(!(await databases(page)).includes("retorno"), "the database is gone");
  assert.equal(await page.evaluate(() => localStorage.getItem("pocketbase_auth")), null);
  const notes = await server.rest("GET", `/api/collections/case_notes/records?filter=${q(`text = "nota que no llegará"`)}`);
  assert.equal(notes.totalItems, 0, "a deactivated account pushes nothing");

  await page.getByRole("button", { name: "Entendido" }).click();
  await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
  await page.locator("#identity").fill(email);
  await page.locator("#password").fill(PASSWORD);
  await page.locator("form button[type=submit]").click();
  await page.getByRole("alert").getByText("Tu cuenta fue desactivada. Pide a tu coordinación que la reactive.").waitFor();
  assert.ok(!(await databases(page)).includes("retorno"));

  // switched on again, the account signs in anew
  await server.rest("PATCH", `/api/collections/staff/records/${staff.id}`, { active: true });
  await signIn(page, server, "field_worker", { index: 1 });
  await context.close();
});

test("a coordinator deactivates a field worker of the state from the staff list, audited, and reactivates them", async () => {
  const { context, page } = await signedInPhone(browser, server, "coordinator"); // Baja California
  const email = login(server, "field_worker"); // Tijuana
  const [staff] = (await server.rest("GET", `/api/collections/staff/records?filter=${q(`email = "${email}"`)}`)).items;
  await page.getByRole("link", { name: "Importar datos" }).click();
  const card = page.locator("li.staff").filter({ hasText: staff.name }); // other accounts' emails are not shown
  await card.getByRole("button", { name: "Desactivar" }).click();
  await card.getByText(`¿Desactivar la cuenta de ${staff.name}?`, { exact: false }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await card.getByRole("button", { name: "Desactivar" }).click();
  await card.getByText("Desactivada").waitFor();
  assert.equal((await server.rest("GET", `/api/collections/staff/records/${staff.id}`)).active, false);
  const audit = await server.rest("GET", `/api/collections/audit_log/records?sort=-created&filter=${q(`record_id = "${staff.id}" && action = "deactivate"`)}`);
  assert.equal(audit.totalItems, 1);
  // the coordinator's own card has no switch
  assert.equal(await page.locator("li.staff").filter({ hasText: login(server, "coordinator") }).getByRole("button", { name: /Desactivar|Reactivar/ }).count(), 0);

  await card.getByRole("button", { name: "Reactivar" }).click();
  await card.getByRole("button", { name: "Reactivar" }).click();
  await card.getByText("Desactivada").waitFor({ state: "detached" });
  assert.equal((await server.rest("GET", `/api/collections/staff/records/${staff.id}`)).active, true);
  await context.close();
});
