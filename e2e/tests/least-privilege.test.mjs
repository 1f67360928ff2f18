// Privacy in depth (issue 15, parts 2 and 3): the register form offers the
// sensitive needs only with their consent and the phone sends them after it,
// so the server stores them; a NODESS device holds no CURP, birth state or
// sensitive need; a coordinator's person screen says what is not shared.
import { test } from "node:test";
import assert from "node:assert/strict";
import { localRecords, login, newPhone, signIn, useServerAndBrowser, waitForSynced } from "../harness.mjs";
import { fillPerson, readClaimCode } from "../field.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

test("sensitive needs are offered with their consent only, and reach the server after it", async () => {
  const { context, page } = await newPhone(browser, server);
  await signIn(page, server, "field_worker");
  await page.getByRole("link", { name: "Registrar persona" }).click();
  const given = `Salud ${Date.now().toString(36)}`.replace(/[0-9]/g, "x");
  await fillPerson(page, { given, first: "Campos", birth: "1988-07-09", sex: "M", dest: "Jalisco", consents: ["Registro y seguimiento"] });
  await page.getByText("Más datos (opcionales)").click();
  const health = page.getByRole("checkbox", { name: "Salud", exact: true });
  assert.equal(await health.isDisabled(), true, "no sensitive need without the consent");
  await page.getByText(/marca abajo el permiso de datos sensibles/).waitFor();

  await page.getByRole("checkbox", { name: /Datos sensibles/ }).check();
  assert.equal(await health.isDisabled(), false);
  await health.check();
  await page.getByRole("checkbox", { name: "Empleo", exact: true }).check();
  await page.getByRole("button", { name: "Guardar registro" }).click();
  await readClaimCode(page);
  await waitForSynced(page);

  const q = encodeURIComponent(`given_names = "${given}"`);
  const [person] = (await server.rest("GET", `/api/collections/returnees/records?filter=${q}`)).items;
  assert.ok(person, "the registration reached the server");
  assert.deepEqual([...person.needs].sort(), ["employment", "health"]);
  const [ret] = (await server.rest("GET", `/api/collections/returns/records?filter=${encodeURIComponent(`returnee = "${person.id}"`)}`)).items;
  assert.deepEqual([...ret.needs].sort(), ["employment", "health"]);
  assert.equal(await page.getByTestId("problems-link").count(), 0, "nothing refused");
  await context.close();
});

test("a NODESS device holds no CURP, birth state or sensitive need", async () => {
  const { context, page } = await newPhone(browser, server);
  await signIn(page, server, "nodess_staff");
  const people = await localRecords(page, "returnees");
  assert.ok(people.length > 0, "the node reaches someone");
  for (const row of people) {
    for (const copy of [row.server, row.data]) {
      for (const field of ["curp", "curp_confirmed", "birth_state", "reception_point", "previous_point"]) {
        assert.ok(!(field in (copy ?? {})), `${row.id} holds ${field}`);
      }
      assert.ok(!(copy?.needs ?? []).some((n) => n === "health" || n === "psychosocial"), `${row.id} holds a sensitive need`);
    }
  }
  await page.goto(`/#/nodess/people/${people[0].id}`);
  await page.getByText(/los NODESS no reciben la CURP/).waitFor();
  await context.close();
});

test("a coordinator's person screen shows no sensitive need and says so", async () => {
  const { context, page } = await newPhone(browser, server);
  await signIn(page, server, "coordinator");
  const email = login(server, "coordinator");
  const [me] = (await server.rest("GET", `/api/collections/staff/records?filter=${encodeURIComponent(`email = "${email}"`)}`)).items;
  const filter = `needs ~ "health" && reception_point.state = "${me.state}"`;
  const [person] = (await server.rest("GET", `/api/collections/returnees/records?perPage=1&filter=${encodeURIComponent(filter)}`)).items;
  assert.ok(person, "the demo has someone of the state with a health need");
  await page.goto(`/#/coordinator/people/${person.id}`);
  await page.getByText(/no se comparten con la coordinación/).waitFor();
  const needs = await page.evaluate(() => {
    const dt = [...document.querySelectorAll("main dt")].find((d) => d.textContent === "Necesidades");
    return dt?.nextElementSibling?.textContent ?? "";
  });
  assert.doesNotMatch(needs, /Salud|Apoyo psicosocial/);
  await context.close();
});
