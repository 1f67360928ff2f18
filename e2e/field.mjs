// Helpers of the field worker's browser tests (tests/field*.test.mjs): a
// CURP with its check digit, the register form filled by its Spanish labels,
// the sync bar's pending count, the claim code shown, server counts.
import assert from "node:assert/strict";

const ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";

/** curp completes 17 characters with their check digit (domain.md). */
export function curp(first17) {
  let sum = 0;
  [...first17].forEach((c, i) => (sum += ALPHABET.indexOf(c) * (18 - i)));
  return first17 + String((10 - (sum % 10)) % 10);
}

/** countOn counts a collection's records that match filter on the server (as the superuser). */
export async function countOn(server, collection, filter) {
  const r = await server.rest("GET", `/api/collections/${collection}/records?perPage=1&filter=${encodeURIComponent(filter)}`);
  return r.totalItems;
}

/** pendingCount is the number of changes the sync bar says are pending. */
export async function pendingCount(page) {
  return Number(await page.getByTestId("pending-count").getAttribute("data-count"));
}

/** fillPerson fills the register form by its Spanish labels. */
export async function fillPerson(page, p) {
  await page.getByLabel("Nombre(s) *").fill(p.given);
  await page.getByLabel("Primer apellido *").fill(p.first);
  if (p.second) await page.getByLabel("Segundo apellido").fill(p.second);
  if (p.curp) await page.getByLabel("CURP (si la tiene a la mano)").fill(p.curp);
  await page.getByLabel("Fecha de nacimiento *").fill(p.birth);
  await page.getByLabel("Sexo *").selectOption(p.sex);
  await page.getByLabel("Estado de destino *").selectOption({ label: p.dest });
  if (p.phone) await page.getByLabel("Teléfono").fill(p.phone);
  for (const purpose of p.consents ?? []) await page.getByRole("checkbox", { name: new RegExp(purpose) }).check();
}

/** phoneToday is the phone's calendar day, "YYYY-MM-DD". */
export async function phoneToday(page) {
  return page.evaluate(() => {
    const d = new Date(), p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  });
}

/** readClaimCode waits for the claim code screen and returns the code shown. */
export async function readClaimCode(page) {
  await page.getByRole("heading", { name: "Registro guardado" }).waitFor();
  const code = await page.getByTestId("claim-code").textContent();
  assert.match(code, /^\d{3} \d{3} \d{4}$/);
  return code;
}
