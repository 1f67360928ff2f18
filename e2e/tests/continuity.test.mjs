// A person returned again and again, through different points (issue 12,
// part 3), at 360 px on the real binary: registered online at Tijuana;
// registered again offline at Matamoros with the same CURP, a new phone and a
// consent, which the sync turns into the person's second return (the phone
// merged, the consent kept, the code handed out working); then registered at
// Nogales online, where the form says the person is known elsewhere, and
// registers their new return once the worker confirms identity; the
// coordinator of Sonora sees that Nogales opened the person's record.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, login, screenshot, signedInPhone, useServerAndBrowser, waitForServiceWorker, waitForSynced } from "../harness.mjs";
import { countOn, curp, fillPerson, readClaimCode } from "../field.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

// demo field workers: 0 Tijuana, 2 Nogales, 4 Matamoros; coordinators: 1 Sonora
const TIJUANA = 0, NOGALES = 2, MATAMOROS = 4, SONORA_COORDINATOR = 1;

/** register fills and saves the register form of a signed-in field worker's page. */
async function register(page, person) {
  await page.getByRole("link", { name: "Registrar persona" }).click();
  await page.getByRole("heading", { name: "Registrar persona" }).waitFor();
  await fillPerson(page, person);
  await page.getByRole("button", { name: "Guardar registro" }).click();
}

test("one person, three returns at three points: offline and online registrations of a known CURP become new returns", async () => {
  // a CURP whose letters agree with the names: Ramírez Soto Pedro, 14 Mar 1992, man, born in Sonora
  const given = `Pedro ${Date.now().toString(36).slice(-4)}`;
  const person = { given, first: "Ramírez", second: "Soto", curp: curp("RASP920314HSRMTD0"), birth: "1992-03-14", sex: "H", dest: "Sonora" };
  const fullName = `${given} Ramírez Soto`;
  for (const [index, city] of [[TIJUANA, "tijuana"], [NOGALES, "nogales"], [MATAMOROS, "matamoros"]]) {
    assert.ok(login(server, "field_worker", index).includes(city), `demo field worker ${index} is at ${city}`);
  }
  const find = async () => (await server.rest("GET", `/api/collections/returnees/records?filter=${encodeURIComponent(`curp = "${person.curp}"`)}`)).items;

  // Tijuana, online
  const tijuana = await signedInPhone(browser, server, "field_worker", { index: TIJUANA });
  await register(tijuana.page, { ...person, consents: ["Registro y seguimiento"] });
  await readClaimCode(tijuana.page);
  await waitForSynced(tijuana.page);
  const [first] = await find();
  assert.ok(first, "registered at Tijuana");

  // Matamoros, offline: the same CURP, a new phone and a consent; the code is handed out
  const matamoros = await signedInPhone(browser, server, "field_worker", { index: MATAMOROS });
  const page = matamoros.page;
  await waitForServiceWorker(page);
  await matamoros.context.setOffline(true);
  await register(page, { ...person, phone: "868 123 4567", consents: ["Contacto por WhatsApp"] });
  const code = (await readClaimCode(page)).replace(/\s/g, "");
  await page.getByRole("link", { name: "Ver ficha" }).click();
  await page.getByRole("heading", { name: fullName }).waitFor();

  // online: no problem, the person is the one registered at Tijuana, with two returns
  await matamoros.context.setOffline(false);
  await waitForSynced(page);
  assert.equal(await page.getByTestId("problems-link").count(), 0, "the sync refused nothing");
  await page.waitForURL((u) => u.hash === `#/field/people/${first.id}`);
  await page.getByRole("heading", { name: fullName }).waitFor();
  await page.getByTestId("return-card").nth(1).waitFor();
  assert.equal(await page.getByTestId("return-card").count(), 2);
  await page.getByTestId("return-card").filter({ hasText: "Matamoros" }).waitFor();
  await page.getByTestId("return-card").filter({ hasText: "Tijuana" }).waitFor();
  await screenshot(page, "field-person-returned-again");
  const people = await find();
  assert.equal(people.length, 1, "one person");
  assert.equal(people[0].phone, "+528681234567", "the new phone merged into the person");
  assert.equal(await countOn(server, "returns", `returnee = "${first.id}"`), 2);
  assert.equal(await countOn(server, "consents", `returnee = "${first.id}" && purpose = "contact_whatsapp"`), 1, "the consent made offline");
  assert.equal(await countOn(server, "scope_grants", `returnee = "${first.id}"`), 1, "Matamoros opened the record");

  // the code handed out offline at Matamoros claims the person's account
  const claim = await fetch(`${server.url}/api/returnee-accounts/claim`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ curp: person.curp, code, password: PASSWORD, passwordConfirm: PASSWORD }),
  });
  assert.equal(claim.status, 200, await claim.text());

  // Tijuana still sees the person, and both returns
  await tijuana.page.evaluate(() => window.retorno.sync.syncNow());
  await tijuana.page.goto(`/#/field/people/${first.id}`);
  await tijuana.page.getByTestId("return-card").nth(1).waitFor();

  // Nogales, online: told the person is known elsewhere, nothing else of them
  const nogales = await signedInPhone(browser, server, "field_worker", { index: NOGALES });
  await register(nogales.page, { ...person, consents: [] });
  const notice = nogales.page.getByRole("alert").filter({ hasText: "Esta persona ya se registró en otro punto" });
  await notice.waitFor();
  const month = new Intl.DateTimeFormat("es-MX", { month: "long", year: "numeric" }).format(new Date());
  await notice.getByText(new RegExp(`en ${month}`)).waitFor();
  assert.equal(await notice.getByText("868").count(), 0, "nothing of the person is shown");
  const registerReturn = notice.getByRole("button", { name: "Registrar su nuevo retorno" });
  assert.equal(await registerReturn.isDisabled(), true, "not before the worker confirms identity");
  await screenshot(nogales.page, "field-register-known-elsewhere");
  await notice.getByRole("checkbox", { name: /Confirmé su identidad/ }).check();
  await registerReturn.click();
  await readClaimCode(nogales.page);
  await waitForSynced(nogales.page);
  assert.equal((await find()).length, 1, "still one person");
  assert.equal(await countOn(server, "returns", `returnee = "${first.id}"`), 3);
  assert.equal(await countOn(server, "returns", `returnee = "${first.id}" && identity_confirmed = true`), 1);

  // the coordinator of Sonora reviews it
  const coordinator = await signedInPhone(browser, server, "coordinator", { index: SONORA_COORDINATOR });
  await coordinator.page.getByRole("link", { name: /^Revisión/ }).click();
  const grants = coordinator.page.getByTestId("scope-grant").filter({ hasText: fullName });
  await grants.waitFor();
  await grants.getByText("Identidad confirmada con la persona").waitFor();
  await grants.getByRole("button", { name: "Marcar como revisado" }).click();
  await coordinator.page.getByText("No hay casos por revisar.").waitFor();
  assert.equal(await countOn(server, "scope_grants", `returnee = "${first.id}" && reviewed = true`), 1);

  for (const p of [tijuana, matamoros, nogales, coordinator]) await p.context.close();
});
