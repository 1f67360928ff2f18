// NODESS staff screens. Add a screen: a Svelte component in this folder and
// one entry here; paths start with /nodess.
import type { Route } from "../../lib/router.svelte";

export const routes: Route[] = [
  { path: "/nodess", load: () => import("./Home.svelte"), title: "nodess.home_title", roles: ["nodess_staff"] },
];
