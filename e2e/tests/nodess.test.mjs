// NODESS staff console: a meeting recorded offline matches the server's
// summary after sync; a consent withdrawal removes the person from the staff
// member's device; courses, referrals and reports work and pass axe.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  accessibilityViolations, localCount, repo, screenshot, signedInPhone, useServerAndBrowser, waitForServiceWorker, waitForSynced,
} from "../harness.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

const money = (cents) => new Intl.NumberFormat("es-MX", { style: "currency", currency: "MXN" }).format(cents / 100);
const number = (n) => new Intl.NumberFormat("es-MX").format(n);

/** noViolations runs axe on the page and names the screen in the failure. */
async function noViolations(page, screen) {
  assert.deepEqual(await accessibilityViolations(page), [], `axe on ${screen}`);
}

test("a meeting recorded offline syncs once and its summary matches the server's", async () => {
  const { context, page } = await signedInPhone(browser, server, "nodess_staff");
  await page.getByRole("heading", { name: "Consola NODESS" }).waitFor();
  await waitForServiceWorker(page);

  // the node's active group with the most active members
  const group = await page.evaluate(async () => {
    const { sync, pb } = window.retorno;
    const groups = await sync.list("savings_groups", { nodess: pb.authStore.record.nodess, status: "active" });
    const members = await sync.list("group_members");
    const active = (g) => members.filter((m) => m.group === g.id && m.status === "active").length;
    groups.sort((a, b) => active(b) - active(a));
    return { id: groups[0].id, name: groups[0].name, active: active(groups[0]) };
  });
  assert.ok(group.active >= 4, `group ${group.name} has ${group.active} active members`);
  const before = await server.rest("GET", `/api/savings-groups/${group.id}/summary`);

  await page.getByRole("link", { name: "Mis grupos de ahorro" }).click();
  await page.getByRole("heading", { name: "Mis grupos de ahorro" }).waitFor();
  await noViolations(page, "groups");
  await page.getByRole("link", { name: group.name }).click();
  await page.getByRole("heading", { name: group.name }).waitFor();
  await noViolations(page, "group");

  await context.setOffline(true);
  await page.getByTestId("offline-badge").waitFor();
  await page.getByRole("link", { name: "Registrar reunión" }).click();
  await page.getByRole("heading", { name: "Registrar reunión" }).waitFor();
  const members = page.locator("fieldset.member");
  await members.first().waitFor();
  assert.equal(await members.count(), group.active);

  // shares for four members, the social fund copied to everyone
  const free = page.locator("fieldset.member:not(:has(.owes))");
  const owing = page.locator("fieldset.member:has(.owes)").first();
  const buyers = [free.nth(0), free.nth(1), free.nth(2), owing];
  const shares = [2, 1, 3, 1];
  for (const [i, m] of buyers.entries()) await m.getByLabel("Acciones").selectOption(String(shares[i]));
  await free.nth(0).getByLabel("Fondo social ($)").fill("10");
  await page.getByRole("button", { name: "Copiar este fondo social a todas" }).click();
  // a loan to a member who owes nothing, a repayment from one who owes
  await free.nth(1).getByText("Préstamo, abonos y multas").click();
  await free.nth(1).getByLabel("Préstamo nuevo ($)").fill("300");
  await owing.getByLabel("Abono a capital ($)").fill("100");
  // a repayment above the debt is stopped in the form
  await free.nth(2).getByText("Préstamo, abonos y multas").click();
  await free.nth(2).getByLabel("Abono a capital ($)").fill("50");
  const expected = 4 + group.active + 1 + 1;
  await page.getByRole("button", { name: /Guardar reunión/ }).click();
  await page.getByRole("alert").filter({ hasText: "El abono supera lo que debe" }).first().waitFor();
  await noViolations(page, "meeting with errors");
  await free.nth(2).getByLabel("Abono a capital ($)").fill("");
  await page.getByRole("button", { name: `Guardar reunión (${expected} movimientos)` }).waitFor();
  await owing.scrollIntoViewIfNeeded();
  await noViolations(page, "meeting");
  await page.screenshot({ path: join(repo, "docs", "screenshots", "nodess-meeting.png"), animations: "disabled" });

  await page.getByRole("button", { name: `Guardar reunión (${expected} movimientos)` }).click();
  await page.getByRole("heading", { name: "Resumen del grupo" }).waitFor();
  await page.getByText(`Reunión guardada: ${expected} movimientos.`).waitFor();
  await page.getByText(`Incluye ${expected} movimientos aún sin enviar al servidor.`).waitFor();
  assert.equal(await page.getByTestId("pending-count").getAttribute("data-count"), String(expected));

  // the device's summary already counts the meeting, offline
  const valueOf = (key) => page.locator(`[data-testid=summary-totals] dd[data-key=${key}]`).textContent();
  const added = shares.reduce((a, b) => a + b, 0);
  assert.equal(await valueOf("total_shares"), number(before.total_shares + added));
  assert.equal(await valueOf("entries"), number(before.entries + expected));

  // online: one sync sends the meeting exactly once, and the summaries agree
  await context.setOffline(false);
  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  await page.getByText("Coincide con el servidor").waitFor();
  const after = await server.rest("GET", `/api/savings-groups/${group.id}/summary`);
  assert.equal(after.entries, before.entries + expected);
  assert.equal(after.total_shares, before.total_shares + added);
  assert.equal(after.loans_outstanding_cents, before.loans_outstanding_cents + 30000 - 10000);
  for (const key of ["loan_fund_cents", "social_fund_cents", "savings_cents", "loans_outstanding_cents", "interest_due_cents", "interest_paid_cents", "fines_cents"]) {
    assert.equal(await valueOf(key), money(after[key]), key);
  }
  for (const key of ["total_shares", "entries"]) assert.equal(await valueOf(key), number(after[key]), key);
  assert.equal(await localCount(page, "ledger_entries"), (await page.evaluate(() => window.retorno.sync.list("ledger_entries"))).length);
  await noViolations(page, "summary");
  await screenshot(page, "nodess-summary");
  await context.close();
});

test("a consent withdrawal removes the person from the NODESS staff's device after sync", async () => {
  const { context, page } = await signedInPhone(browser, server, "nodess_staff");
  // a person on the device with a referral to the node (seen through their share_nodess consent)
  const person = await page.evaluate(async () => {
    const { sync } = window.retorno;
    const referrals = await sync.list("referrals");
    for (const r of referrals) {
      const p = await sync.get("returnees", r.returnee);
      if (p) return { id: p.id, name: `${p.given_names} ${p.first_surname}`, referrals: referrals.filter((x) => x.returnee === p.id).length };
    }
    return null;
  });
  assert.ok(person, "a referred person on the staff device");
  await page.goto("/#/nodess/referrals");
  await page.getByRole("heading", { name: "Canalizaciones recibidas" }).waitFor();
  await page.getByRole("combobox", { name: "Mostrar" }).selectOption("all");
  await page.getByRole("heading", { name: person.name }).first().waitFor();

  const consents = await server.rest("GET", "/api/collections/consents/records?filter=" +
    encodeURIComponent(`returnee = "${person.id}" && purpose = "share_nodess" && granted = true`));
  assert.ok(consents.items.length > 0);
  for (const c of consents.items) {
    await server.rest("PATCH", `/api/collections/consents/records/${c.id}`, { withdrawn_at: new Date().toISOString() });
  }
  const onServer = await server.rest("GET", `/api/collections/returnees/records/${person.id}`);
  assert.equal(onServer.nodess_consent, false);

  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  await page.waitForFunction(async (id) => !(await window.retorno.sync.get("returnees", id)), person.id);
  const left = await page.evaluate(async (id) => ({
    person: await window.retorno.sync.get("returnees", id),
    referrals: (await window.retorno.sync.list("referrals", { returnee: id })).length,
  }), person.id);
  assert.equal(left.person, undefined);
  assert.equal(left.referrals, 0);
  await page.getByRole("heading", { name: person.name }).waitFor({ state: "detached" });
  await context.close();
});

test("courses, enrollments, group requests, referrals and reports: offline writes reach the server; axe passes", async () => {
  const { context, page } = await signedInPhone(browser, server, "nodess_staff");
  await waitForServiceWorker(page);
  const node = await page.evaluate(() => window.retorno.pb.authStore.record.nodess);

  // create a course offline
  await page.getByRole("link", { name: "Mis cursos" }).click();
  await page.getByRole("heading", { name: "Mis cursos" }).waitFor();
  await page.locator("main .card").first().waitFor();
  await noViolations(page, "courses");
  await screenshot(page, "nodess-courses");
  await context.setOffline(true);
  await page.getByRole("link", { name: "Nuevo curso" }).click();
  await page.getByRole("heading", { name: "Nuevo curso" }).waitFor();
  await page.getByRole("button", { name: "Guardar" }).click();
  await page.getByRole("alert").filter({ hasText: "Este dato es obligatorio." }).first().waitFor();
  await noViolations(page, "course form");
  await page.getByLabel("Nombre del curso").fill("Cooperativas de café, prueba e2e");
  await page.getByLabel("Ecosistema").selectOption("solidarity_finance");
  await page.getByLabel("Estado", { exact: true }).selectOption({ index: 1 });
  await page.getByLabel("Modalidad").selectOption("hybrid");
  await page.getByLabel("Fecha de inicio").fill("2027-02-01");
  await page.getByLabel("Fecha de término (opcional)").fill("2027-01-01");
  await page.getByLabel("Cupo (lugares)").fill("12");
  await page.getByRole("button", { name: "Guardar" }).click();
  await page.getByText("La fecha de término no puede ser anterior al inicio.").waitFor();
  await page.getByLabel("Fecha de término (opcional)").fill("2027-03-15");
  await page.getByRole("button", { name: "Guardar" }).click();
  await page.getByRole("heading", { name: "Cooperativas de café, prueba e2e" }).waitFor();
  await page.getByText("0 de 12 lugares ocupados").waitFor();
  await context.setOffline(false);
  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  const created = await server.rest("GET", "/api/collections/training_courses/records?filter=" +
    encodeURIComponent(`title = "Cooperativas de café, prueba e2e"`));
  assert.equal(created.totalItems, 1);
  assert.equal(created.items[0].nodess, node);
  assert.equal(created.items[0].capacity, 12);
  assert.equal(created.items[0].status, "open");
  // edit it: only the changed field is sent
  await page.getByRole("link", { name: "Editar curso" }).click();
  await page.getByRole("heading", { name: "Editar curso" }).waitFor();
  assert.equal(await page.getByLabel("Nombre del curso").inputValue(), "Cooperativas de café, prueba e2e");
  await page.getByLabel("Cupo (lugares)").fill("15");
  await page.getByRole("button", { name: "Guardar" }).click();
  await page.getByText("0 de 15 lugares ocupados").waitFor();
  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  const edited = await server.rest("GET", `/api/collections/training_courses/records/${created.items[0].id}`);
  assert.equal(edited.capacity, 15);
  assert.equal(edited.title, "Cooperativas de café, prueba e2e");

  // a full course with a waitlist: enrolling the waiting person is stopped on
  // the device; dropping an enrolled person gives the seat to the first waiting
  const course = await page.evaluate(async (node) => {
    const { sync } = window.retorno;
    const courses = await sync.list("training_courses", { nodess: node, status: "open" });
    const all = await sync.list("enrollments");
    const people = await sync.list("returnees");
    for (const c of courses) {
      const mine = all.filter((e) => e.course === c.id);
      const enrolled = mine.filter((e) => e.status === "enrolled");
      const other = people.find((p) => !mine.some((e) => e.returnee === p.id));
      if (enrolled.length > 0 && other) return { id: c.id, title: c.title, held: mine.filter((e) => e.status === "enrolled" || e.status === "completed").length, other: other.id };
    }
    return null;
  }, node);
  assert.ok(course, "an open course with enrolled people");
  await server.rest("PATCH", `/api/collections/training_courses/records/${course.id}`, { capacity: course.held });
  const waiting = await server.rest("POST", "/api/collections/enrollments/records", { course: course.id, returnee: course.other });
  assert.equal(waiting.status, "waitlisted");
  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  await page.goto(`/#/nodess/courses/${course.id}`);
  await page.getByRole("heading", { name: course.title }).waitFor();
  await page.getByText(`${course.held} de ${course.held} lugares ocupados`).waitFor();
  await page.getByRole("heading", { name: /^Lista de espera/ }).waitFor();
  await page.getByRole("button", { name: /^Inscribir a / }).first().click();
  await page.getByRole("alert").filter({ hasText: "El curso está lleno" }).waitFor();
  await noViolations(page, "course");
  await page.getByRole("button", { name: /^Dar de baja a / }).first().click();
  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  assert.equal((await server.rest("GET", `/api/collections/enrollments/records/${waiting.id}`)).status, "enrolled");
  await page.waitForFunction(async (id) => (await window.retorno.sync.get("enrollments", id))?.status === "enrolled", waiting.id);
  await page.getByRole("heading", { name: /^Lista de espera/ }).waitFor({ state: "detached" });

  // a request to join a savings group, accepted on the device
  const join = await page.evaluate(async (node) => {
    const { sync } = window.retorno;
    const group = (await sync.list("savings_groups", { nodess: node, status: "active" }))[0];
    const members = await sync.list("group_members", { group: group.id });
    const person = (await sync.list("returnees")).find((p) => !members.some((m) => m.returnee === p.id));
    return { group: group.id, name: group.name, returnee: person.id, who: `${person.given_names} ${person.first_surname}` };
  }, node);
  const request = await server.rest("POST", "/api/collections/group_members/records", { group: join.group, returnee: join.returnee, status: "requested" });
  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  await page.goto(`/#/nodess/groups/${join.group}`);
  await page.getByRole("heading", { name: join.name }).waitFor();
  await page.getByRole("button", { name: new RegExp(`^Aceptar a ${join.who}`) }).click();
  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  const member = await server.rest("GET", `/api/collections/group_members/records/${request.id}`);
  assert.equal(member.status, "active");
  assert.match(member.joined_on, /^\d{4}-\d{2}-\d{2}/);
  await page.getByText("No hay solicitudes pendientes.").waitFor();

  // referrals inbox: accept a pending referral offline
  await page.goto("/#/nodess/referrals");
  await page.getByRole("heading", { name: "Canalizaciones recibidas" }).waitFor();
  await page.locator("main .card").first().waitFor();
  await noViolations(page, "referrals");
  await screenshot(page, "nodess-referrals");
  const pending = await page.evaluate(async () => (await window.retorno.sync.list("referrals", { status: "pending" }))[0]?.id);
  assert.ok(pending, "a pending referral");
  await context.setOffline(true);
  const card = page.locator("main .card").filter({ has: page.getByText("Pendiente", { exact: true }) }).first();
  const pendingId = await page.evaluate(async () => {
    const list = await window.retorno.sync.list("referrals", { status: "pending" });
    return list.map((r) => r.id);
  });
  await card.getByRole("button", { name: "Aceptar" }).click();
  await context.setOffline(false);
  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  const nowPending = await page.evaluate(async () => (await window.retorno.sync.list("referrals", { status: "pending" })).map((r) => r.id));
  const accepted = pendingId.filter((id) => !nowPending.includes(id));
  assert.equal(accepted.length, 1);
  assert.equal((await server.rest("GET", `/api/collections/referrals/records/${accepted[0]}`)).status, "accepted");

  // reports: a chart and its table, CSV download, and a clear message offline
  await page.goto("/#/nodess/reports");
  await page.getByRole("heading", { name: "Reportes" }).waitFor();
  await page.locator("figure svg[role=img]").waitFor();
  await noViolations(page, "reports");
  await screenshot(page, "nodess-reports");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Descargar CSV" }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /^retorno-returns-by-destination_state-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await (await import("node:fs/promises")).readFile(await file.path(), "utf8");
  assert.match(csv.split("\n")[0], /^\uFEFFkey,label,returns,returnees/); // with a BOM, for Excel
  await page.getByLabel("Reporte").selectOption("savings");
  await page.getByRole("figure").getByText("Grupos de ahorro por estado").waitFor();
  await page.locator("table tbody tr").first().waitFor();
  await noViolations(page, "reports (savings)");
  // the journey after the return, step by step, in order
  await page.getByLabel("Reporte").selectOption("journey");
  await page.getByRole("figure").getByText("El camino después del retorno (personas por etapa)").waitFor();
  const steps = await page.locator("table tbody th").allTextContents();
  assert.deepEqual(steps.slice(0, 3), ["Registradas", "Canalizadas", "Canalización aceptada"]);
  const people = (await page.locator("table tbody tr").first().locator("td").textContent()).replace(/\D/g, "");
  assert.ok(Number(people) > 0, `registered people in the NODESS's reach: ${people}`);
  await noViolations(page, "reports (journey)");
  await context.setOffline(true);
  await page.getByText("Sin conexión: los reportes se calculan en el servidor.").waitFor();
  await context.close();
});
