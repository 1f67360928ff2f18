// The boot page in the build (src/boot.ts, issue 16 part 7): index.html
// carries everything a signed-out first visit needs before its sign-in form
// works, so that on a slow network the form is there one round trip after
// the page was asked for (each request costs 2 s of latency on DevTools'
// slow 3G, `make bench-ui`):
//
// - its messages: {{feature.key}} in index.html becomes the Spanish of
//   src/i18n/catalogs/<feature>.json (dev server and build);
// - the CSS, inline (its file is not written);
// - the boot script, inline: src/boot.ts bundled on its own, with lib/auth.ts
//   and the few messages it needs, its import("./main") pointing at the
//   app's chunk (and import("./lib/clients") at the SDK's). The app (src/main.ts) is the build's entry, but no tag
//   loads it: the boot script imports it.
//
// In the dev server index.html loads src/boot.ts as a module, which imports
// src/main.ts: the same order of things, without the inlining.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { rolldown } from "rolldown";
import type { Plugin, Rollup } from "vite";

type OutputBundle = Rollup.OutputBundle;

const root = resolve(import.meta.dirname, "..");
const BOOT = "/src/boot.ts";
const APP = "/src/main.ts";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** fillMessages replaces each {{feature.key}} of html with the Spanish message. */
function fillMessages(html: string): string {
  const catalogs = new Map<string, Record<string, unknown>>();
  return html.replace(/\{\{(\w+)\.(\w+)\}\}/g, (_, feature: string, key: string) => {
    if (!catalogs.has(feature)) catalogs.set(feature, JSON.parse(readFileSync(resolve(root, `src/i18n/catalogs/${feature}.json`), "utf8")));
    const msg = catalogs.get(feature)![key];
    if (typeof msg !== "string") throw new Error(`index.html: no message ${feature}.${key}`);
    return escapeHtml(msg);
  });
}

/**
 * bootScript bundles src/boot.ts as one classic script. Its static imports
 * are bundled in; its dynamic imports (the app, the SDK's chunk) load the
 * chunks the build made of those modules.
 */
async function bootScript(bundle: OutputBundle): Promise<string> {
  const chunks = new Map<string, string>();
  for (const c of Object.values(bundle)) if (c.type === "chunk" && c.facadeModuleId) chunks.set(c.facadeModuleId.replace(/\.ts$/, ""), "/" + c.fileName);
  const built = await rolldown({
    input: resolve(root, "." + BOOT),
    plugins: [
      {
        name: "retorno:boot-chunks",
        resolveId(source, importer, { kind }) {
          if (kind !== "dynamic-import" || !importer) return null;
          const url = chunks.get(resolve(dirname(importer), source).replace(/\.ts$/, ""));
          if (!url) throw new Error(`src/boot.ts imports ${source}, of which the build made no chunk`);
          return { id: url, external: "absolute" };
        },
      },
    ],
  });
  try {
    const { output } = await built.generate({ format: "iife", minify: true });
    if (output.length !== 1) throw new Error(`the boot script is ${output.length} files, not one`);
    return output[0].code.trim();
  } finally {
    await built.close();
  }
}

// inline code must not end its element early
const inline = (tag: "script" | "style", code: string) => `<${tag}>${code.replace(new RegExp(`</${tag}`, "gi"), `<\\/${tag}`)}</${tag}>`;

/** bootPage is the pair of plugins: messages everywhere, inlining in the build. */
export function bootPage(): Plugin[] {
  return [
    { name: "retorno:boot-messages", transformIndexHtml: { order: "pre", handler: fillMessages } },
    {
      name: "retorno:boot-inline",
      apply: "build",
      // the app is an entry of its own, whose exports (run...) the boot script
      // imports, and whose modules the screens' chunks import from it
      config: () => ({
        build: {
          rolldownOptions: { input: { index: resolve(root, "index.html"), app: resolve(root, "." + APP) }, preserveEntrySignatures: "allow-extension" },
        },
      }),
      transformIndexHtml: {
        order: "pre",
        handler: (html) => html.replace(`<script type="module" src="${BOOT}"></script>`, ""),
      },
    },
    {
      name: "retorno:boot-inline-post",
      apply: "build",
      enforce: "post", // after compact-html (vite.config.ts), which must not touch the inlined code
      transformIndexHtml: {
        order: "post",
        async handler(html, { bundle }) {
          const app = Object.values(bundle ?? {}).find((c) => c.type === "chunk" && c.facadeModuleId === resolve(root, "." + APP));
          if (!bundle || !app) throw new Error(`index.html: no chunk of ${APP}`);
          if (/<script type="module"|rel="modulepreload"/.test(html)) throw new Error("index.html: a module script besides the boot script");
          // the boot script imports the app in one request (see lib/authAttempt.ts for one way to lose that)
          if (app.imports.length > 0) throw new Error(`the app's chunk imports ${app.imports.join(", ")}: one more round trip before the app runs`);
          html = html.replace(/<link rel="stylesheet" crossorigin href="\/([^"]+\.css)">/g, (_, file: string) => {
            const css = bundle[file];
            if (!css || css.type !== "asset") throw new Error(`index.html: no CSS ${file}`);
            delete bundle[file];
            const code = typeof css.source === "string" ? css.source : new TextDecoder().decode(css.source);
            return inline("style", code.replace(/\/\*\$vite\$:\d+\*\//g, "").trim()); // Vite's marker comment
          });
          return html.replace("</body>", `${inline("script", await bootScript(bundle))}</body>`);
        },
      },
    },
  ];
}
