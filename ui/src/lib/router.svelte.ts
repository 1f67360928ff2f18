// A small hash router: "#/field/returnees/abc" matches the pattern
// "/field/returnees/:id". Hash routes need nothing from the server and work
// offline under the service worker.

import type { Component } from "svelte";

/** Role names as the session sees them. */
export type Role = "field_worker" | "nodess_staff" | "coordinator" | "returnee" | "superuser";

/** Route is one screen. */
export interface Route {
  /** "/field/returnees/:id" */
  path: string;
  /** loads the screen's component (a dynamic import keeps it in its own chunk) */
  load: () => Promise<{ default: Component<{ params: Record<string, string> }> | Component<any> }>;
  /** i18n key of the page title */
  title: string;
  /** who may open it; absent: anyone signed in; "public": also signed out */
  roles?: Role[] | "public";
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** current.path is the path of the page shown. */
export const current = $state<{ path: string }>({ path: readPath() });

function readPath(): string {
  if (typeof location === "undefined") return "/";
  return decodeURI(location.hash.replace(/^#/, "")) || "/";
}

if (typeof window !== "undefined") {
  window.addEventListener("hashchange", () => {
    current.path = readPath();
  });
}

/** navigate opens path ("/field"). */
export function navigate(path: string, replace = false): void {
  const url = `#${path}`;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  current.path = path;
}

/** href is the link target of path, for <a href>. */
export function href(path: string): string {
  return `#${path}`;
}

/** match finds the route of path and its parameters. */
export function match(routes: Route[], path: string): Match | null {
  const parts = path.split("?")[0].split("/").filter(Boolean);
  for (const route of routes) {
    const pattern = route.path.split("/").filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    if (pattern.every((p, i) => (p.startsWith(":") ? ((params[p.slice(1)] = parts[i]), true) : p === parts[i]))) {
      return { route, params };
    }
  }
  return null;
}

/** query returns the parameters after "?" in the current path. */
export function query(): URLSearchParams {
  return new URLSearchParams(current.path.split("?")[1] ?? "");
}
