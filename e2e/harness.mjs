// End-to-end harness: the real ./retorno binary on a temp data dir with the
// demo data, and Debian's chromium driven by playwright-core. No mocks.
//
//   const server = await startServer();          // seeded, on a free port
//   const browser = await launchBrowser();
//   const { context, page } = await newPhone(browser, server);
//   await signIn(page, server, "field_worker");
//   await server.rest("GET", "/api/collections/returnees/records?perPage=1");
//   await screenshot(page, "field-home");
//   await expectAccessible(page);
//   ... await browser.close(); await server.stop();

import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { after, before } from "node:test";

const here = dirname(fileURLToPath(import.meta.url));
/** repo is the repository root. */
export const repo = resolve(here, "..");
/** PASSWORD is every demo account's password. */
export const PASSWORD = "retorno-demo";
/** PHONE is the viewport of a cheap Android phone. */
export const PHONE = { width: 360, height: 740 };

/**
 * binary returns the path of the retorno binary: RETORNO_BIN if set (make
 * e2e builds ./retorno first), else a go build into the temp dir (cached by go).
 */
export function binary() {
  if (process.env.RETORNO_BIN) return resolve(process.env.RETORNO_BIN);
  const out = join(tmpdir(), "retorno-e2e-bin", "retorno");
  mkdirSync(dirname(out), { recursive: true });
  execFileSync("go", ["build", "-o", out, "."], {
    cwd: repo,
    stdio: "inherit",
    env: { ...process.env, GOTOOLCHAIN: process.env.GOTOOLCHAIN || "go1.27.3", CGO_ENABLED: "0" },
  });
  return out;
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** parseLogins reads the table `retorno seed --demo` prints: role -> [{email, note}]. */
function parseLogins(text) {
  const logins = {};
  for (const line of text.split("\n")) {
    const m = /^(superuser|coordinator|field_worker|nodess_staff|returnee)\s+(\S+@\S+)\s+\S+\s+(.*)$/.exec(line.trim());
    if (m) (logins[m[1]] ??= []).push({ email: m[2], note: m[3].trim() });
  }
  const claims = [];
  for (const line of text.split("\n")) {
    const m = /^claim\s+CURP (\S+)\s+(\d+)\s+(.*)$/.exec(line.trim());
    if (m) claims.push({ curp: m[1], code: m[2], note: m[3].trim() });
  }
  return { logins, claims };
}

/**
 * seededTemplate seeds the demo data once per binary (20 s) into a template
 * dir under the temp dir and returns it with the seed's output; tests copy it.
 */
export function seededTemplate(bin = binary()) {
  const key = createHash("sha256").update(readFileSync(bin)).digest("hex").slice(0, 16);
  const template = join(tmpdir(), `retorno-e2e-seed-${key}`);
  if (!existsSync(join(template, "seed.txt"))) {
    // templates of older binaries are of no more use
    for (const name of readdirSync(tmpdir())) {
      if (name.startsWith("retorno-e2e-seed-")) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
    const work = mkdtempSync(join(tmpdir(), "retorno-e2e-seeding-"));
    const out = execFileSync(bin, ["seed", "--demo", "--dir", join(work, "pb_data")], { encoding: "utf8" });
    writeFileSync(join(work, "seed.txt"), out);
    try {
      renameSync(work, template);
    } catch {
      rmSync(work, { recursive: true, force: true }); // another test file won the race
    }
  }
  return { template, seedOutput: readFileSync(join(template, "seed.txt"), "utf8") };
}

/**
 * startServer starts the binary on a copy of the seeded demo data (or of
 * data, a pb_data dir grown from it: bench.mjs --national), on a free port,
 * and returns { url, dir, logins, claims, rest, stop }. rest(method, path,
 * body) calls the REST API as the demo superuser.
 */
export async function startServer({ data } = {}) {
  const bin = binary();
  const { template, seedOutput } = seededTemplate(bin);
  const dir = mkdtempSync(join(tmpdir(), "retorno-e2e-"));
  cpSync(data ?? join(template, "pb_data"), join(dir, "pb_data"), { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(bin, ["serve", "--dir", join(dir, "pb_data"), "--http", `127.0.0.1:${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  proc.stdout.on("data", (d) => (log += d));
  proc.stderr.on("data", (d) => (log += d));
  const deadline = Date.now() + (data ? 300_000 : 30_000); // a grown database backfills its change log first
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`retorno serve exited: ${log}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`retorno serve did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const { logins, claims } = parseLogins(seedOutput);
  const auth = await (
    await fetch(`${url}/api/collections/_superusers/auth-with-password`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ identity: logins.superuser[0].email, password: PASSWORD }),
    })
  ).json();
  const rest = async (method, path, body) => {
    const r = await fetch(url + path, {
      method,
      headers: { Authorization: auth.token, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    url,
    dir,
    logins,
    claims,
    rest,
    log: () => log,
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once("exit", r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** chromiumPath is Debian's chromium (CHROMIUM overrides). */
export function chromiumPath() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim();
}

/** launchBrowser starts headless chromium. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  });
}

/** newPhone opens a phone-sized context (360x740, touch, es-MX) on the server and its first page. */
export async function newPhone(browser, server, options = {}) {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "es-MX",
    timezoneId: "America/Tijuana",
    serviceWorkers: "allow",
    ...options,
  });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[page error] ${err.message}`));
  return { context, page };
}

/** login returns the demo account of a role: its email (or index-th of the role). */
export function login(server, role, index = 0) {
  const l = server.logins[role]?.[index];
  if (!l) throw new Error(`no demo login for ${role}`);
  return l.email;
}

/**
 * signIn opens the app and signs in as a demo account of role (or the given
 * identity), then waits for the role's home and, unless synced is false,
 * the first sync.
 */
export async function signIn(page, server, role, { identity, index = 0, synced = true } = {}) {
  await page.goto("/");
  await page.getByRole("heading", { name: /Iniciar sesión|Sign in/ }).waitFor();
  const who = identity ?? login(server, role, index);
  if (role === "returnee") await page.getByRole("button", { name: /Persona usuaria|Returnee/ }).click();
  await page.locator("#identity").fill(who);
  await page.locator("#password").fill(PASSWORD);
  await page.locator("form button[type=submit]").click();
  await page.waitForURL((u) => !u.hash.startsWith("#/signin"));
  if (role === "superuser") return;
  await skipPinOffer(page);
  if (synced) await waitForSynced(page);
}

/**
 * unlock opens the device's copy with the password on the lock screen: a
 * reloaded page starts locked (lib/devicelock.ts), and the harness's
 * sign-in sets no PIN.
 */
export async function unlock(page, password = PASSWORD) {
  await page.getByRole("heading", { name: /^(Desbloquea Retorno|Unlock Retorno)$/ }).waitFor();
  await page.locator("#lock-password").fill(password);
  await page.getByRole("button", { name: /^(Desbloquear|Unlock)$/ }).click();
}

/** skipPinOffer answers "not now" to the PIN the app offers after a sign-in (lib/devicelock.ts). */
export async function skipPinOffer(page) {
  await page.getByRole("button", { name: /^(Ahora no|Not now)$/ }).click();
}

/** signedInPhone opens a phone (newPhone) and signs in on it (signIn) as a demo account of role. */
export async function signedInPhone(browser, server, role, options) {
  const phone = await newPhone(browser, server);
  await signIn(phone.page, server, role, options);
  return phone;
}

/** waitForSynced waits until a sync finished and nothing is pending. */
export async function waitForSynced(page, timeout = 30_000) {
  await page.waitForFunction(
    () => {
      const bar = document.querySelector("[data-testid=syncbar]");
      const pending = document.querySelector("[data-testid=pending-count]");
      return bar && !bar.querySelector("[aria-busy=true]") && pending?.getAttribute("data-count") === "0" &&
        !/Aún no se ha sincronizado|Not synced yet/.test(bar.textContent ?? "");
    },
    null,
    { timeout },
  );
}

/** waitForServiceWorker waits until a service worker controls the page (the shell is precached). */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
    }
    await window.retorno.offlineReady; // the screens loaded so far are kept (src/lib/offline.ts)
  });
}

/** localCount counts the device's records of a collection (pending ones included). */
export function localCount(page, collection) {
  return page.evaluate((c) => window.retorno.sync.db.records.where("collection").equals(c).count(), collection);
}

/**
 * localRecords is the device's rows of a collection: the server copy and
 * what screens show, opened through the app's store (IndexedDB holds them
 * sealed, sync/sealed.ts; the device must be unlocked).
 */
export function localRecords(page, collection) {
  return page.evaluate((c) => window.retorno.sync.db.records.where("collection").equals(c).toArray(), collection);
}

/** screenshot saves the page as docs/screenshots/<name>.png. */
export async function screenshot(page, name) {
  const dir = join(repo, "docs", "screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true, animations: "disabled" });
}

/** accessibilityViolations runs axe-core and returns the serious and critical violations. */
export async function accessibilityViolations(page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} -- ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/**
 * useServerAndBrowser starts the server and the browser before a test file's
 * tests, hands them to set, and stops them after:
 *
 *   let server, browser;
 *   useServerAndBrowser((s, b) => ([server, browser] = [s, b]));
 */
export function useServerAndBrowser(set) {
  let server, browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    set(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}
