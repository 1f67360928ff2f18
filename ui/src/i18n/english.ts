// Every English catalog (catalogs/en/<feature>.json), in one chunk that
// index.svelte.ts imports only when English is chosen: Spanish speakers never
// parse it. New files in catalogs/en/ are picked up automatically.
import type { Catalog } from "./index.svelte";

export const catalogs = import.meta.glob<Catalog>("./catalogs/en/*.json", { eager: true, import: "default" });
