// A migrant cooperative from idea to social group, on phones (360 px): a
// returnee proposes an idea and is its founder; two other returnees of the
// same state ask to join; the NODESS of the state is told a social group
// needs three members, accepts both and moves the stage; the founder then
// sees the members' names, and nothing else of them.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PASSWORD, accessibilityViolations, screenshot, signedInPhone, useServerAndBrowser, waitForSynced,
} from "../harness.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

const q = (filter) => encodeURIComponent(filter);
const IDEA = "Panadería El Regreso";

/** until reads the server until ok holds of what it answers (a sync may still be under way). */
async function until(what, read, ok) {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not on the server after 20 s`);
}

async function noViolations(page, screen) {
  assert.deepEqual(await accessibilityViolations(page), [], `axe on ${screen}`);
}

async function openSection(page, link, heading) {
  await page.getByRole("navigation", { name: "Secciones de mi cuenta" }).getByRole("link", { name: link }).click();
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}

test("a returnee's idea becomes a social group: two ask to join, the NODESS accepts them and moves the stage", async () => {
  // the founder: a demo account; two people going to the same state get accounts
  const founderEmail = server.logins.returnee[0].email;
  const [account] = (await server.rest("GET", `/api/collections/returnee_accounts/records?filter=${q(`email = "${founderEmail}"`)}`)).items;
  const founder = await server.rest("GET", `/api/collections/returnees/records/${account.returnee}`);
  const state = founder.destination_state;
  const withAccounts = new Set((await server.rest("GET", "/api/collections/returnee_accounts/records?perPage=500")).items.map((a) => a.returnee));
  const others = (await server.rest("GET", `/api/collections/returnees/records?perPage=50&sort=id&filter=${q(`destination_state = "${state}" && id != "${founder.id}"`)}`))
    .items.filter((p) => !withAccounts.has(p.id)).slice(0, 2);
  assert.equal(others.length, 2, "two more people go to the founder's state");
  const joiners = [];
  for (const [i, p] of others.entries()) {
    const email = `cooperativa.${i + 1}@retorno.test`;
    await server.rest("POST", "/api/collections/returnee_accounts/records", {
      email, password: PASSWORD, passwordConfirm: PASSWORD, returnee: p.id, verified: true,
    });
    joiners.push({ email, name: `${p.given_names} ${p.first_surname}` });
  }
  // the NODESS whose node covers the state
  const [node] = (await server.rest("GET", `/api/collections/nodess/records?filter=${q(`states ~ "${state}"`)}`)).items;
  const [staff] = (await server.rest("GET", `/api/collections/staff/records?filter=${q(`nodess = "${node.id}"`)}`)).items;

  // the founder proposes the idea
  const phone = await signedInPhone(browser, server, "returnee", { identity: founderEmail });
  await openSection(phone.page, "Cooperativa", "Mi cooperativa");
  await noViolations(phone.page, "my cooperative");
  await phone.page.getByRole("button", { name: "Proponer una idea" }).click();
  await phone.page.getByRole("button", { name: "Proponer", exact: true }).click();
  await phone.page.getByRole("alert").filter({ hasText: "Escribe el nombre de la idea." }).waitFor();
  await phone.page.getByLabel("Nombre de la idea o cooperativa").fill(IDEA);
  await phone.page.getByLabel(/¿Qué harían o venderían\?/).fill("pan dulce y bolillo");
  await phone.page.getByLabel("Tema").selectOption("capabilities_innovation");
  await noViolations(phone.page, "the proposal form");
  await phone.page.getByRole("button", { name: "Proponer", exact: true }).click();
  const mine = phone.page.getByTestId("my-coop").filter({ hasText: IDEA });
  await waitForSynced(phone.page);
  await mine.getByTestId("coop-membership").getByText("Eres integrante").waitFor();
  const [coop] = (await server.rest("GET", `/api/collections/cooperatives/records?filter=${q(`name = "${IDEA}"`)}`)).items;
  assert.equal(coop.stage, "idea");
  assert.equal(coop.state, state);
  const founding = await server.rest("GET", `/api/collections/cooperative_members/records/${coop.id}`);
  assert.equal(founding.returnee, founder.id);
  assert.equal(founding.role, "founder");
  assert.equal(founding.status, "active");

  // two people of the state ask to join
  for (const j of joiners) {
    const { context, page } = await signedInPhone(browser, server, "returnee", { identity: j.email });
    await openSection(page, "Cooperativa", "Mi cooperativa");
    await page.getByRole("button", { name: `Pedir unirme: ${IDEA}` }).click();
    await waitForSynced(page);
    await page.getByTestId("my-coop").filter({ hasText: IDEA }).getByText("Solicitud enviada: el NODESS la revisará").waitFor();
    await context.close();
  }
  const asked = (await server.rest("GET", `/api/collections/cooperative_members/records?filter=${q(`cooperative = "${coop.id}" && status = "requested"`)}`)).items;
  assert.equal(asked.length, 2);

  // the NODESS: a social group needs three; it accepts both and moves the stage
  const desk = await signedInPhone(browser, server, "nodess_staff", { identity: staff.email });
  await desk.page.getByRole("link", { name: "Cooperativas" }).click();
  await desk.page.getByRole("heading", { name: "Cooperativas", level: 1 }).waitFor();
  await noViolations(desk.page, "cooperatives");
  await desk.page.getByRole("link", { name: IDEA }).click();
  await desk.page.getByRole("heading", { name: IDEA }).waitFor();
  await desk.page.getByLabel("Etapa de la cooperativa").selectOption("social_group");
  await desk.page.getByRole("button", { name: "Guardar etapa" }).click();
  await desk.page.getByRole("alert").filter({ hasText: "Para «Grupo social» faltan 2 integrantes." }).waitFor();
  await noViolations(desk.page, "cooperative with the rule's error");
  for (const j of joiners) {
    await desk.page.getByRole("button", { name: `Aceptar a ${j.name} en la cooperativa` }).click();
  }
  await desk.page.getByTestId("coop-count").getByText("= 3.").waitFor();
  await desk.page.getByLabel(/Motivo o nota de la etapa/).fill("Tres personas ya hornean juntas.");
  await desk.page.getByRole("button", { name: "Guardar etapa" }).click();
  await waitForSynced(desk.page);
  await desk.page.getByTestId("coop-stage").getByText("Grupo social").waitFor();
  await screenshot(desk.page, "nodess-cooperative");
  const moved = await until("the social group", () => server.rest("GET", `/api/collections/cooperatives/records/${coop.id}`), (c) => c.stage === "social_group");
  assert.equal(moved.stage_reason, "Tres personas ya hornean juntas.");

  // the founder sees the group and its members' names, not their records
  await phone.page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(phone.page);
  await mine.getByTestId("coop-stage").getByText("Grupo social").waitFor();
  const names = mine.getByTestId("coop-members");
  for (const j of joiners) await names.getByText(j.name).waitFor();
  assert.equal(await names.locator("li").count(), 3);
  for (const p of others) {
    const r = await phone.page.evaluate(async (id) => (await window.retorno.sync.get("returnees", id)) ?? null, p.id);
    assert.equal(r, null, "a fellow member's record is not on the founder's phone");
  }
  await noViolations(phone.page, "my cooperative, a social group");
  await screenshot(phone.page, "returnee-cooperative");
  await phone.context.close();
  await desk.context.close();
});

test("a returnee says how they are doing, and so does the NODESS of their state with them", async () => {
  const { context, page } = await signedInPhone(browser, server, "returnee", { index: 1 });
  await openSection(page, "¿Cómo vas?", "¿Cómo vas?");
  await page.getByRole("button", { name: "Guardar", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: "Elige una opción." }).waitFor();
  await page.getByLabel("Por su cuenta").check();
  await page.getByLabel("¿Cuánto ganas al mes, más o menos?").selectOption("5000_9999");
  await page.getByLabel("Pienso volver a migrar").check();
  await noViolations(page, "how are you doing");
  await page.getByRole("button", { name: "Guardar", exact: true }).click();
  await page.getByTestId("outcome").filter({ hasText: "Por su cuenta" }).getByText("Lo registraste tú").waitFor();
  await waitForSynced(page);
  const [account] = (await server.rest("GET", `/api/collections/returnee_accounts/records?filter=${q(`email = "${server.logins.returnee[1].email}"`)}`)).items;
  const [outcome] = (await until("the person's outcome", () => server.rest("GET",
    `/api/collections/outcomes/records?sort=-created&filter=${q(`returnee = "${account.returnee}"`)}`), (r) => r.items.length > 0)).items;
  assert.equal(outcome.employment, "self_employed");
  assert.equal(outcome.income_band, "5000_9999");
  assert.equal(outcome.intends_to_migrate_again, true);
  assert.equal(outcome.recorded_by, "");
  await screenshot(page, "returnee-outcome");

  // the NODESS of the person's state records how they are doing, with them
  const person = await server.rest("GET", `/api/collections/returnees/records/${account.returnee}`);
  const name = [person.given_names, person.first_surname, person.second_surname].filter(Boolean).join(" ");
  const [node] = (await server.rest("GET", `/api/collections/nodess/records?filter=${q(`states ~ "${person.destination_state}"`)}`)).items;
  const [staff] = (await server.rest("GET", `/api/collections/staff/records?filter=${q(`nodess = "${node.id}"`)}`)).items;
  const desk = await signedInPhone(browser, server, "nodess_staff", { identity: staff.email });
  await desk.page.getByRole("link", { name: "Personas" }).click();
  await desk.page.getByLabel("Buscar por nombre").fill(person.first_surname);
  await desk.page.getByRole("link", { name }).click();
  await desk.page.getByRole("heading", { name, level: 1 }).waitFor();
  await desk.page.getByTestId("outcome").filter({ hasText: "Registrado por la persona en su app" }).waitFor();
  // the journey since the return, oldest first: the return, and how the person says they are doing
  const journey = desk.page.getByTestId("journey");
  await journey.getByText("Retornó a México").waitFor();
  await journey.getByText("¿Cómo va?: Por su cuenta").waitFor();
  const lines = await journey.locator("li").allTextContents();
  assert.ok(lines[0].includes("Retornó a México"), lines.join(" / "));
  await desk.page.getByLabel("Fecha en que lo contó").fill("2999-01-01");
  await desk.page.getByLabel("Con empleo").check();
  await desk.page.getByRole("button", { name: "Guardar registro" }).click();
  await desk.page.getByRole("alert").filter({ hasText: "La fecha no puede estar en el futuro." }).waitFor();
  await desk.page.getByLabel("Fecha en que lo contó").fill("2026-11-30");
  await noViolations(desk.page, "a person's outcomes");
  await desk.page.getByRole("button", { name: "Guardar registro" }).click();
  await desk.page.getByTestId("outcome").filter({ hasText: "Con empleo" }).waitFor();
  await waitForSynced(desk.page);
  const byStaff = (await until("the NODESS's outcome", () => server.rest("GET",
    `/api/collections/outcomes/records?filter=${q(`returnee = "${person.id}" && recorded_by = "${staff.id}"`)}`), (r) => r.items.length > 0)).items;
  assert.equal(byStaff.length, 1);
  assert.equal(byStaff[0].employment, "employed");
  assert.equal(byStaff[0].recorded_on, "2026-11-30");
  await screenshot(desk.page, "nodess-person-outcome");
  await page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(page);
  await page.getByTestId("outcome").filter({ hasText: "Con empleo" }).getByText("Lo registró el NODESS contigo").waitFor();
  await desk.context.close();
  await context.close();
});
