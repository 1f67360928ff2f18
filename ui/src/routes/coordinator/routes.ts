// The state coordinator's screens (online only for now: their chunk is not
// precached, vite.config.ts).
import type { Route } from "../../lib/router.svelte";

export const routes: Route[] = [
  { path: "/coordinator", load: () => import("./Home.svelte"), title: "common.role_coordinator", roles: ["coordinator"] },
];
