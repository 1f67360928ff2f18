// The boot page: the first script of every visit. The build writes it into
// index.html with the CSS (scripts/boot-plugin.ts), so that a signed-out
// visit on a slow network has a working sign-in form once the page alone has
// arrived, with no Svelte and no second request (issue 16, part 7: under
// 5 s on slow 3G at 4x CPU; `make bench-ui`). The form is the page's own
// markup (index.html, #boot); this script shows it and sends it through
// lib/auth.ts, as the app's sign-in does, then hands the signed-in user to
// the app (main.ts), which it imports in the background once the page has
// loaded. Anything else (a saved session, another screen, English) is the
// app's at once: run() mounts it in place of the boot page.
import { hasSavedAuth, passwordSignIn, type AccountKind, type PasswordAuth } from "./lib/auth";
import { attemptAuth } from "./lib/authAttempt";
import { savedLocale } from "./i18n/locale";
import { email, failed, login, offline, submit, submitting, too_many } from "./i18n/catalogs/auth.json";
import { account_disabled } from "./i18n/catalogs/errors.json";

type App = typeof import("./main");

const app = (): Promise<App> => import("./main");
// the words of attemptAuth's keys; the labels are in the page
const messages: Record<string, string> = {
  "auth.failed": failed,
  "auth.offline": offline,
  "auth.too_many": too_many,
  "errors.account_disabled": account_disabled,
};

// the router's path (lib/router.svelte.ts): "#/signin" is "/signin"
const path = (): string => decodeURI(location.hash.replace(/^#/, "")) || "/";
const signInPath = (): boolean => path() === "/" || path() === "/signin";

let handedOver = false;

/** handOver runs the app in place of the boot page, once; before prepares it (the language). */
async function handOver(signedIn?: PasswordAuth & { password?: string }, before?: (app: App) => void): Promise<void> {
  if (handedOver) return;
  handedOver = true;
  try {
    const m = await app();
    before?.(m);
    await m.run(signedIn);
  } catch (err) {
    handedOver = false;
    throw err;
  }
}

function signInForm(): void {
  const page = document.getElementById("boot")!;
  const [staffTab, returneeTab] = page.querySelectorAll<HTMLButtonElement>(".tabs button");
  const form = page.querySelector("form")!;
  const label = form.querySelector("label")!;
  const identity = document.getElementById("identity") as HTMLInputElement;
  const hint = document.getElementById("identity-hint")!;
  const password = document.getElementById("password") as HTMLInputElement;
  const button = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  let kind: AccountKind = "staff";
  let alert: HTMLElement | null = null;

  // staff sign in by email, returnees by CURP, phone or email (routes/SignIn.svelte)
  const choose = (k: AccountKind) => {
    kind = k;
    const staff = k === "staff";
    staffTab.classList.toggle("active", staff);
    staffTab.setAttribute("aria-pressed", String(staff));
    returneeTab.classList.toggle("active", !staff);
    returneeTab.setAttribute("aria-pressed", String(!staff));
    label.textContent = staff ? email : login;
    identity.name = staff ? "email" : "login";
    identity.type = staff ? "email" : "text";
    if (staff) identity.removeAttribute("autocapitalize");
    else identity.setAttribute("autocapitalize", "characters");
    hint.hidden = staff;
    if (staff) identity.removeAttribute("aria-describedby");
    else identity.setAttribute("aria-describedby", hint.id);
  };
  staffTab.onclick = () => choose("staff");
  returneeTab.onclick = () => choose("returnee");

  // as components/FormSubmit.svelte: the error announced above the button, which says it is busy
  const busy = (on: boolean) => {
    button.disabled = on;
    button.setAttribute("aria-busy", String(on));
    button.textContent = on ? submitting : submit;
  };
  const showError = (text: string) => {
    alert?.remove();
    alert = null;
    if (!text) return;
    alert = document.createElement("p");
    alert.className = "error";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    button.before(alert);
  };

  form.onsubmit = async (event) => {
    event.preventDefault();
    showError("");
    busy(true);
    let auth: (PasswordAuth & { password: string }) | undefined;
    const key = await attemptAuth("auth.failed", async () => {
      auth = { ...(await passwordSignIn(kind, identity.value, password.value)), password: password.value };
    });
    // signed in: the app takes over (it is usually there already)
    if (!key) await handOver(auth).catch(() => showError(offline));
    else showError(messages[key] ?? failed);
    busy(false);
  };

  // English, a link to another screen: the app's
  page.querySelector<HTMLButtonElement>("[data-testid=language-switch]")!.onclick = () =>
    void handOver(undefined, (m) => m.setLocale("en"));
  addEventListener("hashchange", () => {
    if (location.hash.startsWith("#/") && !signInPath()) void handOver();
  });

  if (path() === "/") history.replaceState(null, "", "#/signin");
  page.hidden = false;
  // fetch the app and the SDK's chunk meanwhile, both at once, without delaying the page's load event
  const prefetch = () =>
    setTimeout(() => {
      void import("./lib/clients").catch(() => {});
      void app().then((m) => m.warm(), () => {});
    });
  if (document.readyState === "complete") prefetch();
  else addEventListener("load", prefetch, { once: true });
}

// window.retorno is the app's (main.ts), for tests and the console; until the app
// has loaded, its offlineReady waits for it (e2e/harness.mjs, waitForServiceWorker)
(window as unknown as { retorno: unknown }).retorno = {
  get offlineReady() {
    return app().then((m) => m.offlineReady);
  },
};

if (signInPath() && !hasSavedAuth() && savedLocale() === "es") signInForm();
else void handOver();
