// Returnee screens. Add a screen: a Svelte component in this folder and one
// entry here; paths start with /returnee.
import type { Route } from "../../lib/router.svelte";

export const routes: Route[] = [
  { path: "/returnee", load: () => import("./Home.svelte"), title: "returnee.home_title", roles: ["returnee"] },
  { path: "/returnee/data", load: () => import("./AllData.svelte"), title: "returnee.data_title", roles: ["returnee"] },
  { path: "/returnee/consents", load: () => import("./Consents.svelte"), title: "returnee.consents_title", roles: ["returnee"] },
  { path: "/returnee/courses", load: () => import("./Courses.svelte"), title: "returnee.courses_title", roles: ["returnee"] },
  { path: "/returnee/savings", load: () => import("./Savings.svelte"), title: "returnee.savings_title", roles: ["returnee"] },
  { path: "/returnee/cooperative", load: () => import("./Cooperative.svelte"), title: "returnee.coop_title", roles: ["returnee"] },
  { path: "/returnee/documents", load: () => import("./Documents.svelte"), title: "returnee.documents_title", roles: ["returnee"] },
  { path: "/returnee/certificates/:id", load: () => import("./Certificate.svelte"), title: "returnee.certificate_title", roles: ["returnee"] },
  { path: "/returnee/outcome", load: () => import("./HowAreYou.svelte"), title: "returnee.outcome_title", roles: ["returnee"] },
  // claiming an account happens before there is one to sign in with
  { path: "/returnee/claim", load: () => import("./Claim.svelte"), title: "returnee.claim_title", roles: "public" },
];
