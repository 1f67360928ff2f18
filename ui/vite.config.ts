import { defineConfig, type Plugin } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { VitePWA } from "vite-plugin-pwa";
import { bootPage } from "./scripts/boot-plugin.ts";

// The build goes to ../pb_public, which the Go binary embeds; `make ui-check`
// builds into RETORNO_UI_OUT and compares. Everything in the output must be a
// function of the sources only (content hashes, no dates).
const outDir = process.env.RETORNO_UI_OUT || "../pb_public";

// screenChunk names the chunk of a module under src/routes/: "field",
// "returnee", "nodess" for the teams' folders, "screens" for the shell's
// screens, which the route tables import dynamically. A module that the main
// chunk needs (the route tables, NotFound, anything a module outside the
// group imports statically) stays out, so the main chunk never waits on a
// team's chunk.
type ModuleGraph = { getModuleInfo(id: string): { importers: readonly string[] } | null };

// The Spanish catalog of a team (src/i18n/catalogs/field.json, ...) goes with
// its screens: index.svelte.ts imports it dynamically before the first of them.
// The labels of fields (catalogs/labels.json) are a chunk "labels" of their own.
// The lock screen's (catalogs/lock.json) goes with the shell's screens.
function screenGroup(id: string): string | null {
  const m = /\/src\/(?:routes\/(?:(field|returnee|nodess|coordinator)\/|[^/]+\.svelte$)|i18n\/catalogs\/(field|returnee|nodess|coordinator|labels|lock)\.json$)/.exec(id);
  return m ? (m[1] ?? (m[2] === "lock" ? "screens" : m[2]) ?? "screens") : null;
}

function screenChunk(id: string, graph: ModuleGraph, seen = new Set<string>()): string | null {
  const group = screenGroup(id);
  if (seen.has(id)) return group;
  seen.add(id);
  const importers = graph.getModuleInfo(id)?.importers ?? [];
  if (group === null) {
    // a module of src/ that only one team's screens import goes with them
    // (the field app's upload queue, sync/uploads.ts), not into a chunk of
    // its own that the shell would precache for everyone
    const groups = new Set(importers.map((importer) => screenChunk(importer, graph, seen)));
    return id.includes("/src/") && groups.size === 1 ? [...groups][0] : null;
  }
  for (const importer of importers) {
    if (screenChunk(importer, graph, seen) !== group) return null;
  }
  return group;
}

// compactHtml writes the built index.html without its comments and the white
// space between its tags (the indentation of ui/index.html): the first
// request of a visit, a few hundred bytes fewer. It runs after the PWA plugin
// has added its tags.
const compactHtml: Plugin = {
  name: "retorno:compact-html",
  apply: "build",
  transformIndexHtml: { order: "post", handler: (html) => html.replace(/<!--[\s\S]*?-->/g, "").replace(/>\s+</g, "><").trim() + "\n" },
};

export default defineConfig({
  plugins: [
    svelte(),
    // index.html carries the boot page: its sign-in form, the CSS and src/boot.ts inline
    bootPage(),
    VitePWA({
      registerType: "autoUpdate",
      // inline too: no second request before the page's load event
      injectRegister: "inline",
      includeAssets: ["icons/apple-touch-icon.png"],
      manifest: {
        name: "Retorno",
        short_name: "Retorno",
        description: "Registro y acompañamiento de personas que regresan a México: funciona sin conexión.",
        lang: "es-MX",
        start_url: "/",
        scope: "/",
        display: "standalone",
        orientation: "portrait",
        theme_color: "#0b5d3b",
        background_color: "#ffffff",
        icons: [
          { src: "icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "icons/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        globPatterns: ["**/*.{js,css,html,png,svg,webmanifest}"],
        // The app shell (its budget: make ui-size) is what every user needs; each role's
        // screens and the QR encoder of the claim slip are not part of it: the worker keeps
        // them once the page loads them under its control (src/lib/offline.ts covers those
        // loaded before it took control), so a phone keeps its own role's screens only.
        globIgnores: ["**/assets/{field,nodess,returnee,coordinator,labels,qr}-*.js"],
        // ignoreVary: the server answers assets with "Vary: Origin, Accept-Encoding", and a
        // screen's import() sends an Origin that keepLoadedScripts' fetch() does not; the
        // names carry their content's hash, so any copy is the right one
        runtimeCaching: [
          {
            urlPattern: /\/assets\/[^/]+\.js$/,
            handler: "CacheFirst",
            options: { cacheName: "retorno-screens", expiration: { maxEntries: 40 }, matchOptions: { ignoreVary: true } },
          },
        ],
        navigateFallback: "index.html",
        // the API and PocketBase's dashboard are never the app shell
        navigateFallbackDenylist: [/^\/api\//, /^\/_\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
    compactHtml,
  ],
  build: {
    outDir,
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
    // The service worker precaches every file, so many small files only cost
    // gzip overhead (issue 6: the app shell at most 150 KB gzip; measure with
    // `make ui-size`). All CSS in one file, and the screens in one chunk per
    // team (still loaded when a screen of that team is first opened).
    cssCodeSplit: false,
    rolldownOptions: {
      output: {
        codeSplitting: {
          includeDependenciesRecursively: false,
          groups: [{ name: (id, graph) => (id.includes("/node_modules/lean-qr/") ? "qr" : screenChunk(id, graph)) }],
        },
      },
    },
  },
  server: {
    proxy: { "/api": "http://127.0.0.1:8090", "/_": "http://127.0.0.1:8090" },
  },
});
