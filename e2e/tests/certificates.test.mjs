// Course certificates (issue 17, part 3) at 360 px on the real binary: the
// NODESS marks a person's course completed on its course screen; the person
// opens and prints their certificate with its verification code; anyone,
// signed out, checks the code at /verificar/<code> and sees the course, the
// day and that it is valid, never whose it is; the NODESS revokes it and the
// same code answers revoked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, accessibilityViolations, login, newPhone, screenshot, signedInPhone, useServerAndBrowser, waitForSynced } from "../harness.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

const q = encodeURIComponent;
const list = async (collection, filter, extra = "") =>
  (await server.rest("GET", `/api/collections/${collection}/records?perPage=500&filter=${q(filter)}${extra}`)).items;
const nameOf = (p) => [p.given_names, p.first_surname, p.second_surname].filter(Boolean).join(" ");

test("a certificate: completed by the NODESS, printed by the person, verified by anyone, revoked", async () => {
  // a NODESS, a person it reaches (so that its screens name them), and an
  // open course of its node with a free seat that the person is not in
  const nodeEmail = login(server, "nodess_staff", 0);
  const [staff] = await list("staff", `email = "${nodeEmail}"`);
  const auth = await (await fetch(`${server.url}/api/collections/staff/auth-with-password`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ identity: nodeEmail, password: PASSWORD }),
  })).json();
  const reached = (await (await fetch(`${server.url}/api/collections/returnees/records?perPage=20&sort=id`, { headers: { Authorization: auth.token } })).json()).items;
  const withAccounts = new Set((await server.rest("GET", "/api/collections/returnee_accounts/records?perPage=500")).items.map((a) => a.returnee));
  const person = reached.find((p) => !withAccounts.has(p.id));
  assert.ok(person, "the NODESS reaches someone without an account");
  const taken = new Set((await list("enrollments", `returnee = "${person.id}"`)).map((e) => e.course));
  let course;
  for (const c of await list("training_courses", `nodess = "${staff.nodess}" && status = "open"`)) {
    const held = (await list("enrollments", `course = "${c.id}" && (status = "enrolled" || status = "completed")`)).length;
    if (!taken.has(c.id) && held < c.capacity) {
      course = c;
      break;
    }
  }
  assert.ok(course, "an open course of the node has a free seat");
  const email = `constancia.${Date.now().toString(36)}@retorno.test`;
  await server.rest("POST", "/api/collections/returnee_accounts/records", { email, password: PASSWORD, passwordConfirm: PASSWORD, returnee: person.id, verified: true });
  const enrollment = await server.rest("POST", "/api/collections/enrollments/records", { course: course.id, returnee: person.id, status: "requested" });
  assert.equal(enrollment.status, "enrolled");
  assert.equal(enrollment.certificate_code, "");
  const name = nameOf(person);

  // the NODESS marks the course completed
  const nodess = await signedInPhone(browser, server, "nodess_staff", { identity: nodeEmail });
  await nodess.page.goto(`/#/nodess/courses/${course.id}`);
  await nodess.page.getByRole("heading", { name: course.title }).waitFor();
  await nodess.page.getByRole("button", { name: `Marcar que ${name} terminó el curso` }).click();
  // the code is the server's: it shows once the change has been there and back
  await nodess.page.getByTestId("certificate").getByText(/^Constancia [0-9A-Z]{5}-[0-9A-Z]{5} · /).waitFor({ timeout: 30_000 });
  await waitForSynced(nodess.page);
  const completed = await server.rest("GET", `/api/collections/enrollments/records/${enrollment.id}`);
  assert.equal(completed.status, "completed");
  assert.match(completed.certificate_code, /^[0-9A-HJKMNP-TV-Z]{10}$/);
  const code = completed.certificate_code;
  const printed = `${code.slice(0, 5)}-${code.slice(5)}`;
  await nodess.page.getByTestId("certificate").getByText(`Constancia ${printed}`, { exact: false }).waitFor();

  // the person opens their certificate, and prints it: the certificate alone
  const mine = await signedInPhone(browser, server, "returnee", { identity: email });
  await mine.page.getByRole("navigation", { name: "Secciones de mi cuenta" }).getByRole("link", { name: "Cursos" }).click();
  await mine.page.getByRole("link", { name: `Ver mi constancia: ${course.title}` }).click();
  await mine.page.getByRole("heading", { name: "Constancia de participación" }).waitFor();
  assert.equal(await mine.page.getByTestId("certificate-code").textContent(), printed);
  await mine.page.getByText(name, { exact: true }).waitFor();
  await mine.page.getByText(`por haber terminado el curso «${course.title}».`).waitFor();
  await mine.page.getByRole("img", { name: "Código QR para verificar esta constancia" }).waitFor();
  assert.deepEqual(await accessibilityViolations(mine.page), []);
  await screenshot(mine.page, "returnee-certificate");
  await mine.page.emulateMedia({ media: "print" });
  assert.equal(await mine.page.getByTestId("certificate-code").isVisible(), true);
  assert.equal(await mine.page.getByRole("navigation", { name: "Secciones de mi cuenta" }).isVisible(), false);
  assert.equal(await mine.page.getByTestId("syncbar").isVisible(), false);
  assert.equal(await mine.page.getByRole("button", { name: "Imprimir o guardar como PDF" }).isVisible(), false);
  await mine.page.emulateMedia({ media: "screen" });

  // anyone checks it, signed out: the course, the day, valid; nothing of the person
  const guest = await newPhone(browser, server);
  await guest.page.goto(`/#/verificar/${code}`);
  const verdict = guest.page.getByTestId("verify-result");
  await verdict.getByText("✓ Constancia válida").waitFor();
  await verdict.getByText(course.title).waitFor();
  const text = await guest.page.locator("main").textContent();
  for (const secret of [person.given_names, person.first_surname]) assert.ok(!text.includes(secret), `the check shows ${secret}`);
  assert.deepEqual(await accessibilityViolations(guest.page), []);
  await screenshot(guest.page, "verify-certificate");
  const api = await (await fetch(`${server.url}/api/certificates/${printed.toLowerCase()}`)).json();
  assert.deepEqual(api, { code, valid: true, status: "valid", course: course.title, completed_on: completed.completed_on });
  // a code typed wrong: no certificate has it
  await guest.page.getByLabel("Código de verificación").fill("ABCDE-FGHJK");
  await guest.page.getByRole("button", { name: "Verificar" }).click();
  await verdict.getByText("✗ Ningún certificado tiene este código").waitFor();

  // the NODESS revokes it: the same code now answers revoked
  await nodess.page.getByRole("button", { name: `Revocar la constancia de ${name}` }).click();
  await nodess.page.getByRole("button", { name: `Marcar que ${name} terminó el curso` }).waitFor();
  await waitForSynced(nodess.page);
  for (let i = 0; i < 50 && (await server.rest("GET", `/api/collections/enrollments/records/${enrollment.id}`)).status !== "enrolled"; i++) {
    await new Promise((r) => setTimeout(r, 200));
  }
  await guest.page.goto(`/#/verificar/${code}`);
  await guest.page.reload();
  await verdict.getByText("✗ Constancia revocada: ya no es válida").waitFor();
  assert.equal((await fetch(`${server.url}/api/certificates/${code}`).then((r) => r.json())).valid, false);
  // and the person's phone, once synced, no longer shows it as valid
  await mine.page.evaluate(() => window.retorno.sync.syncNow());
  await mine.page.getByText("Esta constancia ya no es válida", { exact: false }).waitFor();

  for (const phone of [nodess, mine, guest]) await phone.context.close();
});
