// NODESS staff screens. Add a screen: a Svelte component in this folder and
// one entry here; paths start with /nodess. The folder's screens are one chunk
// (vite.config.ts), loaded when the first of them is opened.
import type { Route } from "../../lib/router.svelte";

const staff: Route["roles"] = ["nodess_staff"];

export const routes: Route[] = [
  { path: "/nodess", load: () => import("./Home.svelte"), title: "nodess.home_title", roles: staff },
  { path: "/nodess/courses", load: () => import("./Courses.svelte"), title: "nodess.courses_title", roles: staff },
  { path: "/nodess/courses/new", load: () => import("./CourseForm.svelte"), title: "nodess.course_new_title", roles: staff },
  { path: "/nodess/courses/:id", load: () => import("./Course.svelte"), title: "nodess.course_title", roles: staff },
  { path: "/nodess/courses/:id/edit", load: () => import("./CourseForm.svelte"), title: "nodess.course_edit_title", roles: staff },
  { path: "/nodess/groups", load: () => import("./Groups.svelte"), title: "nodess.groups_title", roles: staff },
  { path: "/nodess/groups/:id", load: () => import("./Group.svelte"), title: "nodess.group_title", roles: staff },
  { path: "/nodess/groups/:id/meeting", load: () => import("./Meeting.svelte"), title: "nodess.record_meeting", roles: staff },
  { path: "/nodess/groups/:id/summary", load: () => import("./Summary.svelte"), title: "nodess.summary_title", roles: staff },
  { path: "/nodess/referrals", load: () => import("./Referrals.svelte"), title: "nodess.referrals_title", roles: staff },
  { path: "/nodess/follow-ups", load: () => import("./FollowUps.svelte"), title: "nodess.follow_ups_title", roles: staff },
  { path: "/nodess/cooperatives", load: () => import("./Cooperatives.svelte"), title: "nodess.coops_title", roles: staff },
  { path: "/nodess/cooperatives/:id", load: () => import("./Cooperative.svelte"), title: "nodess.coop_title", roles: staff },
  { path: "/nodess/people", load: () => import("./People.svelte"), title: "nodess.people_title", roles: staff },
  { path: "/nodess/people/:id", load: () => import("./Person.svelte"), title: "nodess.person_title", roles: staff },
  { path: "/nodess/reports", load: () => import("./Reports.svelte"), title: "nodess.reports_title", roles: staff },
];
