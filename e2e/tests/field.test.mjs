// Field worker (issue 6 item 4): register offline with inline validation, a
// duplicate warning and the claim code; everything reaches the server once;
// two workers of one point edit one person offline; accessibility.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  accessibilityViolations, login, PASSWORD, screenshot, signedInPhone, unlock, useServerAndBrowser, waitForServiceWorker, waitForSynced,
} from "../harness.mjs";
import { countOn, curp, fillPerson, pendingCount, phoneToday, readClaimCode } from "../field.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

function wrongDigit(c) {
  return c.slice(0, 17) + String((Number(c[17]) + 1) % 10);
}

const count = (collection, filter) => countOn(server, collection, filter);

test("offline: register three people (a wrong CURP is stopped), reopen, then each reaches the server once", async () => {
  const { context, page: first } = await signedInPhone(browser, server, "field_worker");
  let page = first;
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  await waitForServiceWorker(page);

  await context.setOffline(true);
  await page.reload();
  await unlock(page);
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  await page.getByTestId("offline-badge").waitFor();
  const before = await pendingCount(page);
  assert.equal(before, 0);

  const tag = Date.now().toString(36).toUpperCase().replace(/[^A-Z]/g, "Q").slice(-4);
  const people = [
    { given: `Ana María ${tag}`, first: "Núñez", second: "Peña", birth: "1990-05-04", sex: "M", dest: "Oaxaca",
      phone: "+52 664 123 4567", consents: ["Registro y seguimiento", "Compartir datos con un NODESS"] },
    // RENAPO takes the given name after José: the tag's initial is the CURP's fourth letter
    { given: `José ${tag}`, first: "Gómez", birth: "1990-05-04", sex: "H", dest: "Guerrero",
      curp: curp(`GOX${tag[0]}900504HGRMZS0`), consents: ["Registro y seguimiento"] },
    { given: `Lupe ${tag}`, first: "Ruiz", birth: "2003-11-20", sex: "M", dest: "Chiapas" },
  ];

  // 1: with the notice and two consents
  await page.getByRole("link", { name: "Registrar persona" }).click();
  await page.getByRole("heading", { name: "Registrar persona" }).waitFor();
  await page.getByText(/Aviso de privacidad \(versión 2026-01\)/).waitFor();
  await fillPerson(page, people[0]);
  // a registration is a return: dated today unless the worker says otherwise, with the services given
  assert.equal(await page.getByLabel("Fecha de repatriación").inputValue(), await phoneToday(page));
  // a short registration: the services given are folded with the optional data
  await page.getByText("Más datos (opcionales)").click();
  await page.getByRole("checkbox", { name: "Llamada telefónica" }).check();
  await page.getByRole("checkbox", { name: "Alimentación" }).check();
  await screenshot(page, "field-register");
  await page.getByRole("button", { name: "Guardar registro" }).click();
  const code1 = await readClaimCode(page);
  await page.getByText(/Se ve en su ficha solo hasta que el registro llegue al servidor/).waitFor();
  await screenshot(page, "field-claim-code");

  // 2: a CURP with a wrong check digit is stopped, in Spanish, then corrected
  await page.getByRole("button", { name: "Registrar otra persona" }).click();
  await page.getByRole("heading", { name: "Registrar persona" }).waitFor();
  const pendingBefore = await pendingCount(page);
  await fillPerson(page, { ...people[1], curp: wrongDigit(people[1].curp) });
  await page.getByText(`El dígito verificador no coincide: revisa la CURP (se esperaba ${people[1].curp[17]}).`).waitFor();
  await page.getByRole("button", { name: "Guardar registro" }).click();
  await page.getByRole("alert").filter({ hasText: "Revisa 1 dato marcado." }).waitFor();
  assert.equal(await page.getByLabel("CURP (si la tiene a la mano)").getAttribute("aria-invalid"), "true");
  assert.equal(await pendingCount(page), pendingBefore, "nothing saved with a wrong CURP");
  await page.getByLabel("CURP (si la tiene a la mano)").fill(people[1].curp.toLowerCase());
  await page.getByText(/El dígito verificador no coincide/).waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Guardar registro" }).click();
  const code2 = await readClaimCode(page);
  assert.notEqual(code1, code2);

  // 3: no CURP, no consent (help never depends on it)
  await page.getByRole("button", { name: "Registrar otra persona" }).click();
  await fillPerson(page, people[2]);
  await page.getByRole("button", { name: "Guardar registro" }).click();
  await readClaimCode(page);

  // the first person again, typed differently: the duplicate warning comes before saving
  await page.getByRole("button", { name: "Registrar otra persona" }).click();
  const pendingNow = await pendingCount(page);
  await fillPerson(page, { ...people[0], given: people[0].given.toUpperCase().replace("Í", "I"), first: "NUNEZ", second: "", consents: [] });
  await page.getByRole("button", { name: "Guardar registro" }).click();
  await page.getByRole("heading", { name: "¿Ya está registrada esta persona?" }).waitFor();
  await page.getByText("Mismo nombre y fecha de nacimiento").waitFor();
  assert.equal(await pendingCount(page), pendingNow, "nothing saved before the worker decides");
  await page.getByRole("link", { name: `Abrir registro de ${people[0].given} Núñez Peña` }).click();
  await page.getByRole("heading", { name: `${people[0].given} Núñez Peña` }).waitFor();
  await page.getByText("Compartir datos con un NODESS").first().waitFor();

  // close the page and open it again, offline: all still pending
  const pending = await pendingCount(page);
  assert.ok(pending >= 3, `pending ${pending}`);
  await page.close();
  page = await context.newPage();
  await page.goto("/");
  await unlock(page);
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  assert.equal(await pendingCount(page), pending);
  await page.getByLabel("Buscar por nombre, CURP o teléfono").fill(tag.toLowerCase());
  await page.getByText("3 resultados").waitFor();
  assert.equal(await page.locator("ul.people").getByText("Pendiente de enviar").count(), 3);
  // search by phone and by CURP, accents ignored
  await page.getByLabel("Buscar por nombre, CURP o teléfono").fill("664 123 4567");
  await page.getByRole("link", { name: new RegExp(`Ana María ${tag}`) }).waitFor();
  await page.getByLabel("Buscar por nombre, CURP o teléfono").fill(people[1].curp.slice(0, 10).toLowerCase());
  await page.getByRole("link", { name: new RegExp(`José ${tag}`) }).waitFor();
  await page.getByLabel("Buscar por nombre, CURP o teléfono").fill(`jose ${tag} gomez`);
  await page.getByText("1 resultado").waitFor();

  // online: everything reaches the server, exactly once
  await context.setOffline(false);
  await waitForSynced(page);
  for (const p of people) {
    assert.equal(await count("returnees", `given_names = "${p.given}" && first_surname = "${p.first}"`), 1, p.given);
  }
  assert.equal(await count("returnees", `given_names ~ "${tag}"`), 3);
  const ana = (await server.rest("GET", `/api/collections/returnees/records?filter=${encodeURIComponent(`given_names = "${people[0].given}"`)}`)).items[0];
  assert.equal(ana.phone, "+526641234567");
  assert.equal(ana.second_surname, "Peña");
  assert.equal(await count("consents", `returnee = "${ana.id}"`), 2);
  const anaReturns = (await server.rest("GET", `/api/collections/returns/records?filter=${encodeURIComponent(`returnee = "${ana.id}"`)}`)).items;
  assert.equal(anaReturns.length, 1);
  assert.deepEqual(anaReturns[0].services, ["food", "phone_call"]);
  assert.equal(anaReturns[0].reception_point, ana.reception_point);
  assert.equal(anaReturns[0].repatriation_date, ana.repatriation_date);
  assert.equal(await count("returns", `returnee.given_names ~ "${tag}"`), 3);
  assert.equal(await count("consents", `returnee.given_names ~ "${tag}"`), 3);
  const jose = (await server.rest("GET", `/api/collections/returnees/records?filter=${encodeURIComponent(`given_names = "${people[1].given}"`)}`)).items[0];
  assert.equal(jose.curp, people[1].curp);
  // a second sync sends nothing again
  await page.evaluate(() => window.retorno.sync.syncNow());
  assert.equal(await count("returnees", `given_names ~ "${tag}"`), 3);
  await page.getByLabel("Buscar por nombre, CURP o teléfono").fill(tag);
  await page.getByText("3 resultados").waitFor();
  assert.equal(await page.getByText("Pendiente de enviar").count(), 0);
  await context.close();
});

/** editField opens the edit form of the person shown, sets one input, saves. */
async function editField(page, label, value) {
  await page.getByRole("button", { name: "Editar datos" }).click();
  await page.getByRole("heading", { name: "Editar datos" }).waitFor();
  if (label === "Habilidades y oficios") await page.getByText("Más datos (opcionales)").click();
  await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: "Guardar cambios" }).click();
  await page.getByText("Cambios guardados en el teléfono.").waitFor();
}

async function syncNow(page) {
  const report = await page.evaluate(() => window.retorno.sync.syncNow());
  assert.ok(report.ok, JSON.stringify(report));
}

test("two workers of one point edit one person offline: different fields both survive; the same field shows the conflict", async () => {
  // a second field worker at the first worker's reception point
  const email1 = login(server, "field_worker");
  const worker1 = (await server.rest("GET", `/api/collections/staff/records?filter=${encodeURIComponent(`email = "${email1}"`)}`)).items[0];
  const email2 = "campo2.e2e@retorno.test";
  await server.rest("POST", "/api/collections/staff/records", {
    email: email2, password: PASSWORD, passwordConfirm: PASSWORD, name: "Segunda Persona de Campo",
    role: "field_worker", reception_point: worker1.reception_point, verified: true,
  });
  const person = (await server.rest("GET", `/api/collections/returnees/records?perPage=1&sort=created&filter=${encodeURIComponent(`reception_point = "${worker1.reception_point}"`)}`)).items[0];
  const name = [person.given_names, person.first_surname, person.second_surname].filter(Boolean).join(" ");

  const a = await signedInPhone(browser, server, "field_worker");
  const b = await signedInPhone(browser, server, "field_worker", { identity: email2 });
  for (const { page } of [a, b]) {
    await page.goto(`/#/field/people/${person.id}`);
    await page.getByRole("heading", { name }).waitFor();
  }
  const offline = async () => {
    for (const { context } of [a, b]) await context.setOffline(true);
  };
  // back online, a first: each pushes its change, then a pulls b's
  const online = async () => {
    for (const { context, page } of [a, b]) {
      await context.setOffline(false);
      await waitForSynced(page);
      await syncNow(page);
    }
    await syncNow(a.page);
  };

  // different fields, offline
  await offline();
  await editField(a.page, "Teléfono", "6640001111");
  await editField(b.page, "Municipio de destino", "Tlaquepaque");
  // only the changed field is sent
  const queued = await a.page.evaluate(() => window.retorno.sync.queue());
  assert.deepEqual(queued.map((m) => [m.op, Object.keys(m.fields)]), [["update", ["phone"]]]);
  assert.equal(await a.page.getByTestId("person-phone").textContent(), "+526640001111");

  await online();
  let onServer = await server.rest("GET", `/api/collections/returnees/records/${person.id}`);
  assert.equal(onServer.phone, "+526640001111");
  assert.equal(onServer.destination_municipality, "Tlaquepaque");
  for (const { page } of [a, b]) {
    await page.getByTestId("person-phone").getByText("+526640001111").waitFor();
    await page.getByTestId("person-municipality").getByText("Tlaquepaque").waitFor();
  }
  assert.equal(await b.page.getByTestId("person-conflict").count(), 0, "different fields are no conflict");

  // the same field, offline: the last push wins and the conflict is shown
  await offline();
  await editField(a.page, "Habilidades y oficios", "Carpintería");
  await editField(b.page, "Habilidades y oficios", "Soldadura");
  await online();
  onServer = await server.rest("GET", `/api/collections/returnees/records/${person.id}`);
  assert.equal(onServer.skills, "Soldadura");
  assert.equal(onServer.phone, "+526640001111");
  await a.page.getByTestId("person-skills").getByText("Soldadura").waitFor();
  const notice = b.page.getByTestId("person-conflict");
  await notice.getByText(/Otra persona también cambió Habilidades y oficios/).waitFor();
  await b.page.getByTestId("problems-link").click();
  await b.page.getByRole("heading", { name: "Problemas de sincronización" }).waitFor();
  await b.page.getByText("Editado también por otra persona").waitFor();
  await b.page.getByText("Tu valor: Soldadura").waitFor();
  const conflicts = await server.rest("GET", `/api/collections/sync_conflicts/records?filter=${encodeURIComponent(`record_id = "${person.id}"`)}`);
  assert.ok(conflicts.totalItems >= 1, "the losing value is kept for review");
  await a.context.close();
  await b.context.close();
});

test("person screen: a note written and corrected, a referral, a consent withdrawn and granted again, a new claim code; no serious accessibility violations", async () => {
  const { context, page } = await signedInPhone(browser, server, "field_worker");
  await page.getByRole("heading", { name: "Registro en campo" }).waitFor();
  await page.locator("ul.people li").first().waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "field-list");

  await page.getByRole("link", { name: "Registrar persona" }).click();
  await page.getByRole("heading", { name: "Registrar persona" }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  // with the errors showing
  await page.getByLabel("CURP (si la tiene a la mano)").fill("SABC560626MDFLRN02");
  await page.getByRole("button", { name: "Guardar registro" }).click();
  await page.getByRole("alert").filter({ hasText: /Revisa \d+ datos marcados/ }).waitFor();
  await page.getByText("Más datos (opcionales)").click();
  assert.deepEqual(await accessibilityViolations(page), []);
  // in English too
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { name: "Register a person" }).waitFor();
  await page.getByText("The check digit does not match: check the CURP (expected 1).").waitFor();
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { name: "Registrar persona" }).waitFor();

  const email = login(server, "field_worker");
  const worker = (await server.rest("GET", `/api/collections/staff/records?filter=${encodeURIComponent(`email = "${email}"`)}`)).items[0];

  // online, the server is asked too: a CURP held by someone of another point asks for their identity before saving
  const other = (await server.rest("GET", `/api/collections/returnees/records?perPage=1&filter=${encodeURIComponent(
    `curp != "" && reception_point != "${worker.reception_point}"`)}`)).items[0];
  await page.goto("/#/field/register");
  await page.getByRole("heading", { name: "Registrar persona" }).waitFor();
  const pending = await pendingCount(page);
  await fillPerson(page, { given: other.given_names, first: other.first_surname, second: other.second_surname, birth: other.birth_date,
    sex: other.curp[10], dest: "Jalisco", curp: other.curp });
  await page.getByRole("button", { name: "Guardar registro" }).click();
  await page.getByRole("heading", { name: "Esta persona ya se registró en otro punto" }).waitFor();
  assert.equal(await pendingCount(page), pending, "nothing saved");

  // a CURP whose letters are not the surname's is stopped, unless the worker confirms it from the person's document
  await page.getByLabel("Primer apellido *").fill(other.first_surname.startsWith("Z") ? "Arroyo" : "Zárate");
  await page.getByText("Las primeras cuatro letras de la CURP no corresponden a los apellidos y el nombre escritos. Revisa ambos.").waitFor();
  const confirmCURP = page.getByRole("checkbox", { name: "Revisé su documento: la CURP está escrita así" });
  assert.deepEqual(await accessibilityViolations(page), []);
  await confirmCURP.check();
  await page.getByText(/Las primeras cuatro letras de la CURP/).waitFor({ state: "detached" });
  await page.getByLabel("CURP (si la tiene a la mano)").fill(other.curp.toLowerCase()); // the CURP typed again: confirmed again or not
  assert.equal(await confirmCURP.isChecked(), false);

  // a person of the point who shares data with a NODESS and has not claimed an account
  const share = (await server.rest("GET", `/api/collections/consents/records?perPage=1&filter=${encodeURIComponent(
    `purpose = "share_nodess" && granted = true && returnee.reception_point = "${worker.reception_point}" && returnee.claimed = false`)}`)).items[0];
  const id = share.returnee;
  const referralsBefore = await count("referrals", `returnee = "${id}"`);
  await page.goto(`/#/field/people/${id}`);
  await page.getByRole("heading", { name: "Consentimientos" }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);

  // a case note
  const note = `Llegó sin documentos; se le dio ficha para albergue (${Date.now()}).`;
  await page.getByLabel("Nueva nota").fill(note);
  await page.getByRole("button", { name: "Agregar nota" }).click();
  await page.getByText(note).waitFor();
  const fixed = note.replace("ficha", "ficha médica");
  await page.locator("li", { hasText: note }).getByRole("button", { name: "Corregir nota" }).click();
  await page.getByLabel("Corregir nota").fill(fixed);
  await page.getByRole("button", { name: "Guardar", exact: true }).click();
  await page.getByText(fixed).waitFor();

  // the person's returns, newest first, and a new one at this point
  const returnsBefore = await count("returns", `returnee = "${id}"`);
  assert.equal(await page.getByTestId("return-card").count(), returnsBefore);
  await page.getByText("Registrar un nuevo retorno en este punto").click();
  await page.getByRole("checkbox", { name: "Constancia de repatriación" }).last().check();
  await page.getByRole("button", { name: "Guardar retorno" }).click();
  await page.getByTestId("return-card").nth(returnsBefore).waitFor();
  assert.match(await page.getByTestId("return-card").first().textContent(), /Constancia de repatriación/);

  // a referral to a NODESS of the destination state
  await page.getByText("Canalizar a un servicio").click();
  await page.getByLabel("Servicio", { exact: true }).selectOption({ label: "Empleo" });
  await page.getByLabel("NODESS", { exact: true }).selectOption({ index: 1 });
  await page.getByLabel("Notas", { exact: true }).fill("Busca trabajo en construcción.");
  await page.getByRole("button", { name: "Canalizar", exact: true }).click();
  await page.getByText("Busca trabajo en construcción.").waitFor();

  // withdraw the share_nodess consent, then record it again (a new consent)
  await page.getByRole("button", { name: "Retirar: Compartir datos con un NODESS" }).click();
  await page.getByText(/¿Retirar el consentimiento «Compartir datos con un NODESS»\?/).waitFor();
  await page.getByRole("button", { name: "Retirar", exact: true }).click();
  await page.getByText("Registrar un consentimiento").click();
  await page.getByLabel("Finalidad").selectOption({ label: "Compartir datos con un NODESS" });
  await page.getByLabel("¿Cómo se obtuvo el consentimiento?").selectOption({ label: "Por escrito" });
  await page.getByRole("button", { name: "Registrar consentimiento" }).click();

  // a new claim code, shown once
  await page.getByRole("button", { name: "Dar un código nuevo" }).click();
  const code = await page.getByTestId("claim-code").textContent();
  assert.match(code, /^\d{3} \d{3} \d{4}$/);
  await waitForSynced(page);
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "field-person");

  assert.equal(await count("case_notes", `returnee = "${id}" && text = "${fixed}" && author = "${worker.id}"`), 1);
  assert.equal(await count("referrals", `returnee = "${id}"`), referralsBefore + 1);
  assert.equal(await count("referrals", `returnee = "${id}" && service = "employment" && status = "pending" && referred_by = "${worker.id}"`), 1);
  const withdrawn = await server.rest("GET", `/api/collections/consents/records/${share.id}`);
  assert.equal(withdrawn.granted, false);
  assert.ok(withdrawn.withdrawn_at, "withdrawn_at is set");
  assert.equal(await count("consents", `returnee = "${id}" && purpose = "share_nodess" && granted = true && method = "written" && collected_by = "${worker.id}"`), 1);
  assert.equal(await count("returns", `returnee = "${id}"`), returnsBefore + 1);
  const today = await phoneToday(page);
  assert.equal(await count("returns", `returnee = "${id}" && registered_by = "${worker.id}" && repatriation_date = "${today}"`), 1);
  const person = await server.rest("GET", `/api/collections/returnees/records/${id}`);
  assert.ok(person.claim_expires, "the new code is live");
  assert.equal(person.repatriation_date, today, "the person's date is their latest return's");
  assert.equal(person.nodess_consent, true);

  await page.getByRole("button", { name: "Editar datos" }).click();
  await page.getByRole("heading", { name: "Editar datos" }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await context.close();
});
