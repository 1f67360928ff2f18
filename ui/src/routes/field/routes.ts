// Field worker screens. Add a screen: a Svelte component in this folder and
// one entry here; paths start with /field.
import type { Route } from "../../lib/router.svelte";

export const routes: Route[] = [
  { path: "/field", load: () => import("./Home.svelte"), title: "field.home_title", roles: ["field_worker"] },
  { path: "/field/register", load: () => import("./Register.svelte"), title: "field.register", roles: ["field_worker"] },
  { path: "/field/people/:id", load: () => import("./Person.svelte"), title: "field.person_title", roles: ["field_worker"] },
  { path: "/field/online/:id", load: () => import("./OnlinePerson.svelte"), title: "field.person_title", roles: ["field_worker"] },
];
