// The rights of the person (docs/PRIVACY.md): a returnee reads, prints and
// downloads all their data, asks to correct their second surname from their
// phone, and the field worker of their point approves it: the person's
// record changes, and the returnee sees the request approved. The privacy
// notice opens from the returnee's screens, in Spanish then English.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { accessibilityViolations, login, newPhone, screenshot, signIn, useServerAndBrowser, waitForSynced } from "../harness.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

const q = (filter) => encodeURIComponent(filter);

test("a returnee downloads all their data and a field worker approves their correction", async () => {
  const email = login(server, "returnee", 0);
  const [account] = (await server.rest("GET", `/api/collections/returnee_accounts/records?filter=${q(`email = "${email}"`)}`)).items;
  const person = await server.rest("GET", `/api/collections/returnees/records/${account.returnee}`);
  const [worker] = (await server.rest("GET", `/api/collections/staff/records?filter=${q(`role = "field_worker" && reception_point = "${person.reception_point}"`)}`)).items;
  assert.ok(worker, "a field worker of the person's point");

  // the returnee: all my data, to read, print and download
  const own = await newPhone(browser, server, { acceptDownloads: true });
  await signIn(own.page, server, "returnee", { identity: email });
  await own.page.getByRole("link", { name: "Lee el aviso de privacidad" }).click();
  await own.page.getByTestId("privacy-es").getByRole("heading", { name: "Aviso de privacidad" }).waitFor();
  await own.page.getByTestId("privacy-en").getByRole("heading", { name: "Privacy notice" }).waitFor();
  await own.page.getByText(/Guardar tus datos para registrarte/).first().waitFor();
  assert.deepEqual(await accessibilityViolations(own.page), []);
  await own.page.goBack();

  await own.page.getByRole("navigation", { name: "Secciones de mi cuenta" }).getByRole("link", { name: "Todos mis datos" }).click();
  await own.page.getByRole("heading", { name: "Todos mis datos", level: 1 }).waitFor();
  await own.page.getByTestId("data-returnees").getByText(person.given_names, { exact: false }).first().waitFor();
  await own.page.getByTestId("data-changes").waitFor();
  await own.page.getByRole("button", { name: "Imprimir" }).waitFor();
  assert.deepEqual(await accessibilityViolations(own.page), []);
  await screenshot(own.page, "returnee-all-data");
  const [download] = await Promise.all([
    own.page.waitForEvent("download"),
    own.page.getByRole("button", { name: "Descargar (JSON)" }).click(),
  ]);
  const data = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(data.records.returnees[0].id, person.id);
  assert.equal(data.records.returnee_accounts[0].email, email);
  assert.ok(!JSON.stringify(data).includes(worker.name), "no staff member's name in the export");

  // the second surname (a CURP keeps its initial: position 3)
  await own.page.getByTestId("rectify-field").selectOption("second_surname");
  await own.page.getByTestId("rectify-value").fill("Ibarra");
  await own.page.getByLabel(/¿Por qué\?/).fill("Así dice mi acta de nacimiento");
  await own.page.getByRole("button", { name: "Enviar la solicitud" }).click();
  await own.page.getByText(/Tu solicitud quedó guardada/).waitFor();
  await waitForSynced(own.page);
  const [request] = (await server.rest("GET", `/api/collections/rectification_requests/records?filter=${q(`returnee = "${person.id}"`)}`)).items;
  assert.equal(request.status, "requested");
  assert.equal(request.current_value, person.second_surname);

  // the field worker of their point approves it
  const fw = await newPhone(browser, server);
  await signIn(fw.page, server, "field_worker", { identity: worker.email });
  await fw.page.goto(`/#/field/people/${person.id}`);
  const card = fw.page.getByTestId("rectifications").getByTestId("rectify-second_surname");
  await card.getByText("Ibarra").waitFor();
  assert.deepEqual(await accessibilityViolations(fw.page), []);
  await screenshot(fw.page, "field-rectification");
  await card.getByRole("button", { name: "Aprobar y corregir" }).click();
  await fw.page.getByText(/Aprobada: el dato se corrige al sincronizar/).waitFor();
  await waitForSynced(fw.page);
  const after = await server.rest("GET", `/api/collections/returnees/records/${person.id}`);
  assert.equal(after.second_surname, "Ibarra");
  const decided = await server.rest("GET", `/api/collections/rectification_requests/records/${request.id}`);
  assert.equal(decided.status, "approved");
  assert.equal(decided.decided_by, worker.id);

  // the returnee sees it approved
  await own.page.getByRole("button", { name: "Sincronizar" }).click();
  await waitForSynced(own.page);
  await own.page.getByTestId("rectify-second_surname").getByText("Aprobada").waitFor();

  await own.context.close();
  await fw.context.close();
});
