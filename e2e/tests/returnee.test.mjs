// Returnee self-service: claim the account with a demo claim code, edit my
// data, enroll in a course offline and see the server's decision after sync,
// drop out; my savings and loans; withdraw the share_nodess consent.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  accessibilityViolations, localCount, newPhone, screenshot, signedInPhone, skipPinOffer, unlock, useServerAndBrowser, waitForServiceWorker, waitForSynced,
} from "../harness.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

const q = (filter) => encodeURIComponent(filter);

async function syncNow(page) {
  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
}

test("a returnee claims the account, edits their data, enrolls offline and sees the server's decision", async () => {
  const claim = server.claims[0];
  assert.ok(claim, "the demo seed prints claim codes");
  const [person] = (await server.rest("GET", `/api/collections/returnees/records?filter=${q(`curp = "${claim.curp}"`)}`)).items;
  assert.ok(person, `no returnee with CURP ${claim.curp}`);

  const { context, page } = await newPhone(browser, server);
  await page.goto("/");
  await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
  await page.getByRole("link", { name: /Activa tu cuenta/ }).click();
  await page.getByRole("heading", { name: "Activa tu cuenta" }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);

  // the form is checked before anything is sent
  await page.getByRole("button", { name: "Activar mi cuenta" }).click();
  await page.getByText("Escribe tu CURP.").waitFor();
  await page.getByText("El código tiene 10 dígitos.").waitFor();

  // a wrong code: one message that says nothing about whether the person exists
  await page.getByLabel("CURP", { exact: true }).fill(claim.curp.toLowerCase());
  const wrong = claim.code.slice(0, 9) + ((Number(claim.code[9]) + 1) % 10);
  await page.getByLabel("Código de activación").fill(wrong);
  await page.getByLabel("Nueva contraseña").fill("mi-clave-nueva-1");
  await page.getByLabel("Repite la contraseña").fill("mi-clave-nueva-1");
  await page.getByRole("button", { name: "Activar mi cuenta" }).click();
  await page.getByRole("alert").getByText(/No pudimos activar la cuenta/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "returnee-claim");

  // the right code, typed with spaces
  await page.getByLabel("Código de activación").fill(claim.code.replace(/^(\d{3})(\d{3})(\d+)$/, "$1 $2 $3"));
  await page.getByRole("button", { name: "Activar mi cuenta" }).click();
  await page.waitForURL(/#\/returnee$/);
  await skipPinOffer(page);
  await page.getByRole("heading", { name: "Mis datos" }).waitFor();
  await waitForSynced(page);
  await page.getByText(person.given_names + " " + person.first_surname, { exact: false }).first().waitFor();
  const accounts = await server.rest("GET", `/api/collections/returnee_accounts/records?filter=${q(`returnee = "${person.id}"`)}`);
  assert.equal(accounts.totalItems, 1);
  assert.equal(accounts.items[0].login, claim.curp);

  // my data: phone, municipality and skills, through sync
  await page.getByRole("button", { name: "Editar" }).click();
  await page.getByLabel("Teléfono").fill("abc");
  await page.getByRole("button", { name: "Guardar cambios" }).click();
  await page.getByRole("alert").getByText("Escribe tu teléfono a 10 dígitos, o con + y la clave del país.").waitFor();
  await page.getByLabel("Teléfono").fill("+52 744 123 4567");
  await page.getByLabel("Municipio de destino").fill("Chilpancingo de los Bravo");
  await page.getByLabel(/Lo que sé hacer/).fill("carpintería, soldadura");
  await page.getByRole("button", { name: "Guardar cambios" }).click();
  await page.getByTestId("my-phone").getByText("+527441234567").waitFor();
  await waitForSynced(page);
  const edited = await server.rest("GET", `/api/collections/returnees/records/${person.id}`);
  assert.equal(edited.phone, "+527441234567");
  assert.equal(edited.destination_municipality, "Chilpancingo de los Bravo");
  assert.equal(edited.skills, "carpintería, soldadura");
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "returnee-home");

  // courses of my destination state, enrolled offline
  await page.getByRole("navigation", { name: "Secciones de mi cuenta" }).getByRole("link", { name: "Cursos" }).click();
  await page.getByRole("heading", { name: "Cursos", level: 1 }).waitFor();
  const state = await server.rest("GET", `/api/collections/states/records/${person.destination_state}`);
  await page.getByRole("heading", { name: `Cursos en ${state.name}` }).waitFor();
  const open = (await server.rest("GET", `/api/collections/training_courses/records?filter=${q(`state = "${person.destination_state}" && status = "open"`)}&sort=starts_on`)).items;
  assert.ok(open.length > 0, "an open course in the destination state");
  const course = open[0];
  // online, the server's suggestions tell the free seats; the server's seat count must agree
  const held = (await server.rest("GET", `/api/collections/enrollments/records?perPage=1&filter=${q(`course = "${course.id}" && (status = "enrolled" || status = "completed")`)}`)).totalItems;
  const free = course.capacity - held;
  const card = page.getByTestId("course").filter({ hasText: course.title });
  await card.getByTestId("free-seats").getByText(free > 0 ? /Quedan? \d+ lugar/ : "Sin lugares libres: entrarías a la lista de espera").waitFor();

  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.getByTestId("offline-badge").waitFor();
  await page.getByRole("button", { name: `Pedir mi lugar: ${course.title}` }).click();
  const mine = page.getByTestId("enrollment").filter({ hasText: course.title });
  await mine.getByText("Solicitud guardada en el teléfono: se enviará al sincronizar").waitFor();
  await page.getByTestId("pending-count").getByText("1 cambio pendiente").waitFor();
  // still there after a reload without network (and an unlock)
  await page.reload();
  await unlock(page, "mi-clave-nueva-1");
  await mine.getByText("Solicitud guardada en el teléfono").waitFor();
  assert.equal(await localCount(page, "enrollments"), 1);

  await context.setOffline(false);
  await syncNow(page);
  const badge = mine.getByTestId("enrollment-status");
  await badge.filter({ hasText: /Inscripción confirmada|En lista de espera/ }).waitFor();
  const shown = await badge.getAttribute("data-status");
  const onServer = (await server.rest("GET", `/api/collections/enrollments/records?filter=${q(`returnee = "${person.id}"`)}`)).items;
  assert.equal(onServer.length, 1, "the enrollment reached the server exactly once");
  assert.equal(onServer[0].course, course.id);
  assert.ok(["enrolled", "waitlisted"].includes(onServer[0].status), onServer[0].status);
  assert.equal(shown, onServer[0].status, "the device shows the server's decision");
  assert.equal(onServer[0].status, free > 0 ? "enrolled" : "waitlisted", `${free} free seats before the request`);
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "returnee-courses");

  // drop out
  await mine.getByRole("button", { name: "Darme de baja" }).click();
  await mine.getByRole("button", { name: "Sí, darme de baja" }).click();
  await mine.getByText("Te diste de baja").waitFor();
  await waitForSynced(page);
  const dropped = await server.rest("GET", `/api/collections/enrollments/records/${onServer[0].id}`);
  assert.equal(dropped.status, "dropped");

  // ask to join a savings group of my state
  await page.getByRole("navigation", { name: "Secciones de mi cuenta" }).getByRole("link", { name: "Ahorro" }).click();
  await page.getByRole("heading", { name: `Grupos de ahorro en ${state.name}` }).waitFor();
  const groups = (await server.rest("GET", `/api/collections/savings_groups/records?filter=${q(`state = "${person.destination_state}" && accepting_members = true && status != "closed"`)}`)).items;
  if (groups.length > 0) {
    await page.getByRole("button", { name: `Pedir unirme: ${groups[0].name}` }).click();
    await page.getByTestId("membership").filter({ hasText: groups[0].name }).getByText(/Solicitud/).waitFor();
    await waitForSynced(page);
    await page.getByTestId("membership").getByText("Solicitud enviada: el NODESS la revisará").waitFor();
    const asked = (await server.rest("GET", `/api/collections/group_members/records?filter=${q(`returnee = "${person.id}"`)}`)).items;
    assert.equal(asked.length, 1);
    assert.equal(asked[0].group, groups[0].id);
    assert.equal(asked[0].status, "requested");
  }
  await context.close();
});

test("a member sees their savings and loans; withdrawing share_nodess reaches the server", async () => {
  const { context, page } = await signedInPhone(browser, server, "returnee", { index: 0 }); // a savings group member with a loan
  await page.getByRole("heading", { name: "Mis datos" }).waitFor();
  const [account] = (await server.rest("GET", `/api/collections/returnee_accounts/records?filter=${q(`email = "${server.logins.returnee[0].email}"`)}`)).items;
  const me = account.returnee;

  // my savings and loans, as the ledger on the server says
  await page.getByRole("navigation", { name: "Secciones de mi cuenta" }).getByRole("link", { name: "Ahorro" }).click();
  await page.getByRole("heading", { name: "Mis grupos" }).waitFor();
  const [membership] = (await server.rest("GET", `/api/collections/group_members/records?filter=${q(`returnee = "${me}" && status = "active"`)}`)).items;
  const ledger = (await server.rest("GET", `/api/collections/ledger_entries/records?perPage=500&filter=${q(`member = "${membership.id}"`)}`)).items;
  const reversed = new Set(ledger.filter((e) => e.type === "reversal").map((e) => e.reverses));
  const live = ledger.filter((e) => e.type !== "reversal" && !reversed.has(e.id));
  const sum = (type) => live.filter((e) => e.type === type).reduce((s, e) => s + e.amount_cents, 0);
  const savings = sum("share_purchase");
  const debt = sum("loan_disbursement") - sum("loan_repayment");
  const money = (c) => new Intl.NumberFormat("es-MX", { style: "currency", currency: "MXN" }).format(c / 100);
  const card = page.getByTestId("membership").first();
  await card.getByTestId("savings").getByText(money(savings), { exact: true }).waitFor();
  await card.getByTestId("debt").getByText(money(debt), { exact: true }).waitFor();
  assert.ok(savings > 0 && debt > 0, "the demo member has savings and a loan");
  await card.getByText(/Mis movimientos/).click();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, "returnee-savings");

  // withdraw the share_nodess consent, offline, then sync
  await page.getByRole("navigation", { name: "Secciones de mi cuenta" }).getByRole("link", { name: "Consentimientos" }).click();
  await page.getByRole("heading", { name: "Mis consentimientos" }).waitFor();
  const share = page.getByTestId("consent-share_nodess");
  await share.getByText("Vigente").waitFor();
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await share.getByRole("button", { name: "Retirar este permiso" }).click();
  await share.getByText(/Los NODESS dejarán de ver tus datos/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await share.getByRole("button", { name: "Sí, retirar" }).click();
  await share.getByText("Retirado", { exact: true }).waitFor();
  await page.getByTestId("pending-count").getByText("1 cambio pendiente").waitFor();
  await context.setOffline(false);
  await syncNow(page);
  const [consent] = (await server.rest("GET", `/api/collections/consents/records?filter=${q(`returnee = "${me}" && purpose = "share_nodess"`)}`)).items;
  assert.equal(consent.granted, false);
  assert.ok(consent.withdrawn_at, "withdrawn_at is set on the server");
  const person = await server.rest("GET", `/api/collections/returnees/records/${me}`);
  assert.equal(person.nodess_consent, false, "the derived scope follows the withdrawal");
  await share.getByText(/Retirado el/).waitFor();
  await context.close();
});

test("claim attempts are limited; the claim screen says when it is offline and speaks English", async () => {
  const claim = server.claims[1];
  const { context, page } = await newPhone(browser, server);
  await page.goto("/#/returnee/claim");
  await page.getByRole("heading", { name: "Activa tu cuenta" }).waitFor();
  await page.getByRole("button", { name: "Teléfono" }).click();
  await page.getByLabel("Teléfono", { exact: true }).fill(claim.note.match(/teléfono (\+?\d+)/)[1]);
  await page.getByLabel("Nueva contraseña").fill("otra-clave-123");
  await page.getByLabel("Repite la contraseña").fill("otra-clave-123");
  const alert = page.getByTestId("claim-error");
  // ten wrong codes (claim.PersonAttempts) from one connection are answered with the one
  // refusal; then even the right code is over the limit from this connection (another one
  // would still be checked: strangers cannot lock a person out)
  for (let i = 0; i < 10; i++) {
    await page.getByLabel("Código de activación").fill(String(1000000000 + i));
    await page.getByRole("button", { name: "Activar mi cuenta" }).click();
    await alert.getByText(/No pudimos activar la cuenta/).waitFor();
    await page.evaluate(() => document.querySelector("[data-testid=claim-error]")?.remove());
  }
  await page.getByLabel("Código de activación").fill(claim.code);
  await page.getByRole("button", { name: "Activar mi cuenta" }).click();
  await alert.getByText(/^Demasiados intentos desde esta conexión\./).waitFor();
  const accounts = await server.rest("GET", `/api/collections/returnee_accounts/records?filter=${q(`login ~ "${claim.curp}"`)}`);
  assert.equal(accounts.totalItems, 0);

  await context.setOffline(true);
  await page.getByTestId("claim-offline").getByText("Sin conexión: para activar tu cuenta necesitas internet.").waitFor();
  await page.getByTestId("language-switch").click();
  await page.getByRole("heading", { name: "Activate your account" }).waitFor();
  await page.getByText("Offline: activating your account needs the internet.").first().waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.getByTestId("language-switch").click();
  await context.close();
});
