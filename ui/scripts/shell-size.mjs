// The app shell's size: the JS and CSS files the service worker precaches,
// and index.html (which carries the boot script and the CSS inline:
// scripts/boot-plugin.ts), each gzipped (level 9, no file name, as a server
// would send it), summed.
// The service worker itself (sw.js, workbox-*.js) is not counted. Issue 6 sets
// the budget: at most 150 KB (150,000 bytes).
//
//   node scripts/shell-size.mjs [build dir, default ../pb_public] [--max KB] [--files]
//
// Prints the total in KB; --files lists each file first; --max exits 1 when
// the total is over the limit. `make ui-size` runs it on a fresh build.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
let dir = resolve(import.meta.dirname, "../../pb_public");
let max = null;
let listFiles = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--max") max = Number(args[++i]);
  else if (args[i] === "--files") listFiles = true;
  else dir = resolve(args[i]);
}

// generateSW writes precacheAndRoute([{url:"assets/x.js",revision:null},...]) into sw.js
const sw = readFileSync(join(dir, "sw.js"), "utf8");
const manifest = /precacheAndRoute\(\s*(\[[\s\S]*?\])\s*,?\s*(\{[\s\S]*?\})?\s*\)/.exec(sw);
if (!manifest) {
  console.error(`shell-size: no precache manifest in ${join(dir, "sw.js")}`);
  process.exit(2);
}
const urls = [...manifest[1].matchAll(/["']?url["']?\s*:\s*["']([^"']+)["']/g)].map((m) => m[1]);
const shell = urls.filter((u) => /\.(js|css)$|^index\.html$/.test(u) && !/(^|\/)(sw|workbox-[^/]*)\.js$/.test(u));

let total = 0;
const rows = [];
for (const url of shell) {
  const size = gzipSync(readFileSync(join(dir, url)), { level: 9 }).length;
  total += size;
  rows.push([size, url]);
}
if (listFiles) {
  for (const [size, url] of rows.sort((a, b) => b[0] - a[0])) console.log(`${(size / 1000).toFixed(1).padStart(7)} KB  ${url}`);
}
const kb = (total / 1000).toFixed(1);
console.log(`app shell: ${kb} KB gzip of precached JS, CSS and index.html (${shell.length} files)${max !== null ? `, budget ${max} KB` : ""}`);
if (max !== null && total > max * 1000) {
  console.error(`app shell over budget: ${kb} KB > ${max} KB`);
  process.exit(1);
}
