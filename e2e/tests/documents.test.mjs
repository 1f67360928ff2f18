// Documents (issue 17, part 2) at 360 px on the real binary: a field worker,
// offline, registers a person and photographs their INE with the phone's
// camera; the photo is made small on the phone and waits "pendiente de
// subir", through a reload; back online it goes up after the data sync has
// brought the person to the server; the worker of another point and a guest
// get 404 for it, as for a record that does not exist. A NODESS that reaches
// a person reads their certificate of studies, never their identity
// documents, on its screens or by the API.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, accessibilityViolations, login, newPhone, screenshot, signedInPhone, unlock, useServerAndBrowser, waitForServiceWorker, waitForSynced } from "../harness.mjs";
import { countOn, fillPerson, readClaimCode } from "../field.mjs";

let server, browser;
useServerAndBrowser((s, b) => ([server, browser] = [s, b]));

// demo field workers: 0 Tijuana, 4 Matamoros
const TIJUANA = 0, MATAMOROS = 4;
const q = encodeURIComponent;

/** authToken signs in an account by the API and returns its token. */
async function authToken(collection, identity) {
  const r = await fetch(`${server.url}/api/collections/${collection}/auth-with-password`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ identity, password: PASSWORD }),
  });
  assert.equal(r.status, 200, `sign-in of ${identity}`);
  return (await r.json()).token;
}

/** get fetches path with an auth token ("" for a guest) and returns the status and the body's text. */
async function get(path, token = "") {
  const r = await fetch(server.url + path, { headers: token ? { Authorization: token } : {} });
  return [r.status, await r.text()];
}

/** fileOf downloads a document's file as the user of token, with a file token of theirs (none for a guest). */
async function fileOf(doc, token = "") {
  let fileToken = "";
  if (token) {
    const r = await fetch(`${server.url}/api/files/token`, { method: "POST", headers: { Authorization: token } });
    fileToken = (await r.json()).token;
  }
  return get(`/api/files/documents/${doc.id}/${doc.file}?token=${fileToken}`);
}

/** cameraPhoto draws, in the page, what a phone's camera gives: a 3000x2250 JPEG of several MB. */
async function cameraPhoto(page) {
  const b64 = await page.evaluate(async () => {
    const c = document.createElement("canvas");
    c.width = 3000;
    c.height = 2250;
    const g = c.getContext("2d");
    const grad = g.createLinearGradient(0, 0, 3000, 2250);
    grad.addColorStop(0, "#d9c9a3");
    grad.addColorStop(1, "#7a8fa6");
    g.fillStyle = grad;
    g.fillRect(0, 0, 3000, 2250);
    g.fillStyle = "#222";
    g.font = "120px sans-serif";
    for (let y = 200; y < 2200; y += 180) g.fillText("INSTITUTO NACIONAL ELECTORAL · CREDENCIAL PARA VOTAR", 80, y);
    for (let i = 0; i < 40000; i++) {
      g.fillStyle = `rgba(${(i * 37) % 255},${(i * 91) % 255},${(i * 53) % 255},0.5)`;
      g.fillRect((i * 7919) % 3000, (i * 104729) % 2250, 3, 3);
    }
    const blob = await new Promise((r) => c.toBlob(r, "image/jpeg", 0.95));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
  return Buffer.from(b64, "base64");
}

/** queued reads the device's queue of documents' files (through the app's store, which opens the
 * encrypted rows): each upload's size, the photo's dimensions, whether uploaded. */
function queued(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const u of await window.retorno.sync.db.uploads.toArray()) {
      const size = u.data.byteLength;
      const bmp = size ? await createImageBitmap(new Blob([u.data], { type: u.type })) : null;
      out.push({ id: u.id, kind: u.kind, size, width: bmp?.width ?? 0, height: bmp?.height ?? 0, done: u.done, error: u.error ?? "" });
    }
    return out;
  });
}

test("a photo taken offline waits on the phone through a reload, goes up after the data sync, and is nobody else's", async () => {
  const { context, page } = await signedInPhone(browser, server, "field_worker", { index: TIJUANA });
  assert.ok(login(server, "field_worker", TIJUANA).includes("tijuana"));
  await waitForServiceWorker(page);
  const photo = await cameraPhoto(page);
  assert.ok(photo.length > 1_000_000, `the camera's photo weighs ${photo.length} bytes`);

  // offline: a registration, then the person's INE photographed
  await context.setOffline(true);
  const given = `Documenta ${Date.now().toString(36).slice(-4)}`;
  await page.getByRole("link", { name: "Registrar persona" }).click();
  await fillPerson(page, { given, first: "Paz", birth: "1988-04-09", sex: "M", dest: "Oaxaca" });
  await page.getByRole("button", { name: "Guardar registro" }).click();
  await readClaimCode(page);
  const link = await page.getByRole("link", { name: "Ver ficha" }).getAttribute("href");
  const personId = /#\/field\/people\/([a-z0-9]{15})$/.exec(link)[1];
  await page.getByRole("link", { name: "Ver ficha" }).click();
  await page.getByRole("heading", { name: `${given} Paz` }).waitFor();

  const section = page.locator("section", { has: page.getByRole("heading", { name: "Documentos" }) });
  await section.getByText("Sin documentos.").waitFor();
  await section.getByText("Agregar documento").click();
  // nothing chosen: field errors, nothing kept
  await section.getByRole("button", { name: "Guardar documento" }).click();
  await section.getByText("Elige qué documento es.").waitFor();
  await section.getByText("Toma una foto o elige un archivo.").waitFor();
  // not a photo nor a PDF: refused on the phone
  await page.locator("#doc-kind").selectOption("ine");
  await page.locator("#doc-file").setInputFiles({ name: "notas.txt", mimeType: "text/plain", buffer: Buffer.from("no es una foto") });
  await section.getByRole("button", { name: "Guardar documento" }).click();
  await section.getByText("Solo se aceptan fotos (JPEG, PNG o WebP) y archivos PDF.").waitFor();
  assert.deepEqual(await queued(page), []);
  // the camera's photo
  await page.locator("#doc-photo").setInputFiles({ name: "IMG_20261127_101500.jpg", mimeType: "image/jpeg", buffer: photo });
  await section.getByRole("button", { name: "Guardar documento" }).click();
  await section.getByText("Documento guardado.", { exact: false }).waitFor();
  const card = section.getByTestId("document");
  await card.getByTestId("document-pending").getByText("Pendiente de subir").waitFor();
  await card.getByRole("img", { name: "Foto de Credencial para votar (INE)" }).waitFor();
  const [kept] = await queued(page);
  assert.equal(kept.kind, "ine");
  assert.ok(Math.max(kept.width, kept.height) <= 1600 && Math.max(kept.width, kept.height) >= 1500, `${kept.width}x${kept.height}`);
  assert.ok(kept.size <= 330 * 1024, `the photo kept weighs ${kept.size} bytes`);
  assert.deepEqual(await accessibilityViolations(page), []);

  // a reload, still offline: the photo is still there, still waiting
  await page.reload();
  await unlock(page); // a reload starts locked; the password opens the copy offline
  await page.getByRole("heading", { name: `${given} Paz` }).waitFor();
  await card.getByTestId("document-pending").getByText("Pendiente de subir").waitFor();
  assert.equal((await queued(page)).length, 1);
  assert.equal(await countOn(server, "documents", `returnee = "${personId}"`), 0);

  // online: the registration goes first, then the photo; the pull brings the document
  await context.setOffline(false);
  await page.evaluate(() => window.retorno.sync.syncNow());
  await waitForSynced(page);
  await card.getByRole("button", { name: "Ver Credencial para votar (INE)" }).waitFor({ timeout: 30_000 });
  assert.equal(await card.getByTestId("document-pending").count(), 0);
  assert.deepEqual(await queued(page), []);
  await screenshot(page, "field-documents");
  const [doc] = (await server.rest("GET", `/api/collections/documents/records?filter=${q(`returnee = "${personId}"`)}`)).items;
  assert.equal(doc.kind, "ine");

  // the worker's own point reads it; another point's worker and a guest get what a missing record answers
  const tijuana = await authToken("staff", login(server, "field_worker", TIJUANA));
  const matamoros = await authToken("staff", login(server, "field_worker", MATAMOROS));
  assert.ok(login(server, "field_worker", MATAMOROS).includes("matamoros"));
  const [ok, bytes] = await fileOf(doc, tijuana);
  assert.equal(ok, 200);
  assert.ok(bytes.length > 0);
  const [missingStatus, missingBody] = await fileOf({ id: "nosuchrecord001", file: doc.file }, tijuana);
  assert.equal(missingStatus, 404);
  for (const [who, token] of [["Matamoros", matamoros], ["a guest", ""]]) {
    assert.deepEqual(await fileOf(doc, token), [missingStatus, missingBody], `${who} downloading the file`);
    const [status] = await get(`/api/collections/documents/records/${doc.id}`, token);
    assert.equal(status, 404, `${who} viewing the record`);
  }
  await context.close();
});

test("a NODESS reads the certificate of studies of a person it reaches, never their identity documents", async () => {
  const email = login(server, "nodess_staff", 0);
  const node = await authToken("staff", email);
  // a person the node reaches (share_nodess, going to its states): the first it lists
  const [person] = (await (await fetch(`${server.url}/api/collections/returnees/records?perPage=1&sort=id`, { headers: { Authorization: node } })).json()).items;
  assert.ok(person, "the NODESS reaches someone");
  // a NODESS does not receive the person's reception point: the superuser reads it
  const { reception_point: point } = await server.rest("GET", `/api/collections/returnees/records/${person.id}`);

  // the person's field worker files two documents: a birth certificate and a certificate of studies
  const [worker] = (await server.rest("GET", `/api/collections/staff/records?filter=${q(`reception_point = "${point}" && role = "field_worker"`)}`)).items;
  const workerToken = await authToken("staff", worker.email);
  const docs = {};
  for (const [kind, name, type, body] of [
    ["acta_nacimiento", "acta.pdf", "application/pdf", "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"],
    ["certificate", "secundaria.pdf", "application/pdf", "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"],
  ]) {
    const form = new FormData();
    form.append("returnee", person.id);
    form.append("kind", kind);
    form.append("file", new Blob([body], { type }), name);
    const r = await fetch(`${server.url}/api/collections/documents/records`, { method: "POST", headers: { Authorization: workerToken }, body: form });
    assert.equal(r.status, 200, `${kind}: ${await r.clone().text()}`);
    docs[kind] = await r.json();
  }

  // by the API: the certificate opens, the birth certificate answers as if it did not exist
  assert.equal((await fileOf(docs.certificate, node))[0], 200);
  const missing = await fileOf({ id: "nosuchrecord001", file: docs.acta_nacimiento.file }, node);
  assert.deepEqual(await fileOf(docs.acta_nacimiento, node), missing);
  assert.equal((await get(`/api/collections/documents/records/${docs.acta_nacimiento.id}`, node))[0], 404);
  const listed = JSON.parse((await get(`/api/collections/documents/records?filter=${q(`returnee = "${person.id}"`)}`, node))[1]);
  assert.deepEqual(listed.items.map((d) => d.kind), ["certificate"]);

  // on the NODESS's phone: the person's screen lists the certificate only
  const { context, page } = await signedInPhone(browser, server, "nodess_staff", { index: 0 });
  await page.goto(`/#/nodess/people/${person.id}`);
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Documentos" }) });
  await section.getByRole("button", { name: "Ver Certificado o constancia de estudios" }).waitFor();
  assert.equal(await section.getByTestId("document").count(), 1);
  assert.equal(await section.getByText("Acta de nacimiento").count(), 0);
  assert.equal(
    await page.evaluate((id) => window.retorno.sync.list("documents", { returnee: id }).then((l) => l.map((d) => d.kind)), person.id).then((k) => k.join()),
    "certificate",
  );
  await context.close();
});
