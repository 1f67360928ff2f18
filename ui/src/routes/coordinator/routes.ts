// The state coordinator's screens. They read the server online: a state's
// people are too many for a phone, and the coordinator's device keeps no
// personal data (hooks/sync.go, pulls), only reference data. Screens that
// name fields of any collection first fetch their labels (catalogs/labels.json).
// The import screen is also the superusers' (their home links to it).
import { loadMessages } from "../../i18n/index.svelte";
import type { Route } from "../../lib/router.svelte";

const withLabels = <T>(load: () => Promise<T>) => () => loadMessages("labels").then(load);

export const routes: Route[] = [
  { path: "/coordinator", load: () => import("./Home.svelte"), title: "common.role_coordinator", roles: ["coordinator"] },
  { path: "/coordinator/people", load: withLabels(() => import("./People.svelte")), title: "coordinator.people_title", roles: ["coordinator"] },
  { path: "/coordinator/people/:id", load: withLabels(() => import("./Person.svelte")), title: "coordinator.person_title", roles: ["coordinator"] },
  { path: "/coordinator/review", load: withLabels(() => import("./Review.svelte")), title: "coordinator.review_title", roles: ["coordinator"] },
  {
    path: "/import",
    load: () => Promise.all([loadMessages("coordinator"), loadMessages("labels")]).then(() => import("./Import.svelte")),
    title: "coordinator.import_title",
    roles: ["coordinator", "superuser"],
  },
];
