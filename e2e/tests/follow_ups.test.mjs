// NODESS follow-ups (issue 13): the worklist on a 360 px phone, offline:
// overdue and this week's follow-ups marked done and missed with notes, one
// scheduled by hand (a date before the person's return is stopped), the
// overdue referrals listed; after sync the server holds each change once.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  accessibilityViolations, screenshot, signedInPhone, useServerAndBrowser, waitForServiceWorker, waitForSynced,
} from "../harness.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

test("the follow-up worklist works offline and its changes reach the server once", async () => {
  const { context, page } = await signedInPhone(browser, server, "nodess_staff");
  await waitForServiceWorker(page);

  // a person referred to the node, on the device; the device's dates
  const setup = await page.evaluate(async () => {
    const { sync, pb } = window.retorno;
    const node = pb.authStore.record.nodess;
    const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    const shift = (n) => { const d = new Date(); d.setDate(d.getDate() + n); return iso(d); };
    for (const r of await sync.list("referrals", { nodess: node })) {
      const p = await sync.get("returnees", r.returnee);
      if (p) {
        return {
          node, person: p.id, back: p.repatriation_date, staff: pb.authStore.record.id,
          name: [p.given_names, p.first_surname, p.second_surname].filter(Boolean).join(" "),
          yesterday: shift(-1), inTwoDays: shift(2),
        };
      }
    }
    return null;
  });
  assert.ok(setup, "a referred person on the NODESS device");
  const overdue = await server.rest("POST", "/api/collections/follow_ups/records", {
    returnee: setup.person, nodess: setup.node, due_on: setup.yesterday, kind: "visit", notes: "e2e: vencido",
  });
  const week = await server.rest("POST", "/api/collections/follow_ups/records", {
    returnee: setup.person, nodess: setup.node, due_on: setup.inTwoDays, kind: "call", notes: "e2e: esta semana",
  });

  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  await page.getByRole("link", { name: "Seguimientos" }).click();
  await page.getByRole("heading", { name: "Seguimientos", level: 1 }).waitFor();

  await context.setOffline(true);
  await page.getByTestId("offline-badge").waitFor();
  const section = (title) => page.locator("section", { has: page.getByRole("heading", { name: title }) });
  const overdueCard = section(/^Vencidos/).locator("li.card", { hasText: "e2e: vencido" });
  const weekCard = section(/^Esta semana/).locator("li.card", { hasText: "e2e: esta semana" });
  await overdueCard.getByRole("heading", { name: setup.name }).waitFor();
  await overdueCard.getByText("Vencía el").waitFor();
  await weekCard.getByText("Llamada").waitFor();

  // the overdue referrals of the node, as the device counts them
  const late = await page.evaluate(async (node) => {
    const today = new Date();
    const iso = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
    const referrals = await window.retorno.sync.list("referrals", { nodess: node });
    return referrals.filter((r) => ["pending", "accepted"].includes(r.status) && r.due_on && r.due_on < iso).length;
  }, setup.node);
  assert.ok(late > 0, "the demo node has overdue referrals");
  await page.getByRole("heading", { name: `Canalizaciones vencidas (${late})` }).waitFor();
  assert.equal(await section(/^Canalizaciones vencidas/).locator("li.card").count(), late);

  // done and missed, with notes, offline
  await overdueCard.getByLabel("Notas (opcional)").fill("Ya trabaja en una cooperativa.");
  await overdueCard.getByRole("button", { name: `Marcar hecho el seguimiento de ${setup.name}` }).click();
  await page.getByRole("status").filter({ hasText: `Seguimiento de ${setup.name}: hecho.` }).waitFor();
  await overdueCard.waitFor({ state: "detached" });
  await weekCard.getByRole("button", { name: `Marcar que no se logró el seguimiento de ${setup.name}` }).click();
  await weekCard.waitFor({ state: "detached" });

  // by hand: a date before the person's return is stopped, then scheduled
  await page.getByLabel("Persona").selectOption(setup.person);
  await page.getByLabel("Cómo").selectOption("meeting");
  await page.getByLabel("Fecha", { exact: true }).fill("2020-01-01");
  await page.getByLabel("Notas (opcional)").last().fill("e2e: a mano");
  await page.getByRole("button", { name: "Programar", exact: true }).click();
  await page.getByText("La fecha no puede ser antes de que la persona regresara").waitFor();
  await page.getByLabel("Fecha", { exact: true }).fill(setup.inTwoDays);
  await page.getByRole("button", { name: "Programar", exact: true }).click();
  await page.getByRole("status").filter({ hasText: `Seguimiento de ${setup.name} programado` }).waitFor();
  const byHand = section(/^Esta semana/).locator("li.card", { hasText: "e2e: a mano" });
  await byHand.getByText("Reunión").waitFor();
  await byHand.getByText("Sin enviar").waitFor();

  assert.deepEqual(await accessibilityViolations(page), [], "axe on the worklist at 360 px");
  await screenshot(page, "nodess-follow-ups");

  // online: each change reaches the server once
  await context.setOffline(false);
  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  const done = await server.rest("GET", `/api/collections/follow_ups/records/${overdue.id}`);
  assert.equal(done.status, "done");
  assert.equal(done.notes, "e2e: vencido\nYa trabaja en una cooperativa.");
  assert.ok(done.done_on >= setup.yesterday);
  assert.equal((await server.rest("GET", `/api/collections/follow_ups/records/${week.id}`)).status, "missed");
  const made = await server.rest("GET", "/api/collections/follow_ups/records?filter=" + encodeURIComponent(`notes = "e2e: a mano"`));
  assert.equal(made.totalItems, 1);
  assert.equal(made.items[0].status, "scheduled");
  assert.equal(made.items[0].kind, "meeting");
  assert.equal(made.items[0].recorded_by, setup.staff);
  assert.equal(made.items[0].due_on, setup.inTwoDays);

  // the same screen on a desktop
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByRole("heading", { name: /^Esta semana/ }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], "axe on the worklist on a desktop");
  await context.close();
});

test("accepting a referral brings its four follow-ups; rejecting one asks why", async () => {
  const { context, page } = await signedInPhone(browser, server, "nodess_staff");
  const pending = await page.evaluate(async () => {
    const { sync, pb } = window.retorno;
    const out = [];
    for (const r of await sync.list("referrals", { nodess: pb.authStore.record.nodess, status: "pending" })) {
      const p = await sync.get("returnees", r.returnee);
      if (p) out.push({ id: r.id, name: [p.given_names, p.first_surname, p.second_surname].filter(Boolean).join(" ") });
    }
    return out;
  });
  // two people with one pending referral each, so that each has one card with its buttons
  const once = pending.filter((r) => pending.filter((x) => x.name === r.name).length === 1);
  const [accept, reject] = once;
  assert.ok(accept && reject, "two pending referrals of different people");
  await page.goto("/#/nodess/referrals");
  await page.getByRole("heading", { name: "Canalizaciones recibidas" }).waitFor();
  await page.getByRole("button", { name: `Aceptar la canalización de ${accept.name}` }).click();
  await page.getByRole("button", { name: `Rechazar la canalización de ${reject.name}` }).click();
  await page.getByRole("heading", { name: `¿Por qué se rechaza la canalización de ${reject.name}?` }).waitFor();
  await page.getByRole("button", { name: "Rechazar la canalización", exact: true }).click();
  await page.getByText("Elige el motivo.").waitFor();
  assert.deepEqual(await accessibilityViolations(page), [], "axe on the rejection form");
  await page.getByLabel("Motivo").selectOption("not_eligible");
  await page.getByRole("button", { name: "Rechazar la canalización", exact: true }).click();
  await page.getByRole("combobox", { name: "Mostrar" }).selectOption("rejected");
  await page.locator("li.card", { has: page.getByRole("heading", { name: reject.name }) })
    .getByText("Motivo: No cumple los requisitos").first().waitFor();

  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  const rejected = await server.rest("GET", `/api/collections/referrals/records/${reject.id}`);
  assert.equal(rejected.status, "rejected");
  assert.equal(rejected.closed_reason, "not_eligible");
  const scheduled = await server.rest("GET", "/api/collections/follow_ups/records?filter=" + encodeURIComponent(`referral = "${accept.id}"`));
  assert.equal(scheduled.totalItems, 4);
  // the device has them after the sync that sent the acceptance
  await page.waitForFunction(async (id) => (await window.retorno.sync.list("follow_ups", { referral: id })).length === 4, accept.id);
  await context.close();
});
