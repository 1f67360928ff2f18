// Every screen of the app. Each team keeps its routes in its own folder
// (field/routes.ts, returnee/routes.ts, nodess/routes.ts): add screens there,
// not here.

import type { Route } from "../lib/router.svelte";
import { routes as field } from "./field/routes";
import { routes as returnee } from "./returnee/routes";
import { routes as nodess } from "./nodess/routes";
import { routes as coordinator } from "./coordinator/routes";
// in the main chunk: the first screen of a signed-out visit must not wait for
// another request after the main script (issue 6, first load on slow 3G)
import SignIn from "./SignIn.svelte";

const shell: Route[] = [
  { path: "/signin", load: () => Promise.resolve({ default: SignIn }), title: "auth.title", roles: "public" },
  { path: "/problems", load: () => import("./Problems.svelte"), title: "problems.title" },
  // an imported staff account sets its password with its invitation (package imports)
  { path: "/invitation", load: () => import("./Invitation.svelte"), title: "auth.invite_title", roles: "public" },
  // the privacy notice, in Spanish and English, for everyone (docs/PRIVACY.md)
  { path: "/privacy", load: () => import("./Privacy.svelte"), title: "common.privacy_notice", roles: "public" },
  { path: "/admin", load: () => import("./AdminHome.svelte"), title: "common.role_superuser", roles: ["superuser"] },
  // anyone checks a course certificate (package certificates): the paper's QR code leads here
  { path: "/verificar", load: () => import("./Verify.svelte"), title: "certificates.title", roles: "public" },
  { path: "/verificar/:code", load: () => import("./Verify.svelte"), title: "certificates.title", roles: "public" },
];

export const routes: Route[] = [...shell, ...field, ...returnee, ...nodess, ...coordinator];
