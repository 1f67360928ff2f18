// Draws the app icons (public/icons/*.png) without any image library: a
// green square with a white open ring and an arrowhead (a return). Run
// `node scripts/icons.mjs` after changing it; the PNGs are committed.
import { deflateSync } from "node:zlib";
import { writeFileSync } from "node:fs";

const green = [11, 93, 59];
const white = [255, 255, 255];

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function png(size, pixel) {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b] = pixel(x / size, y / size);
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = r; raw[o + 1] = g; raw[o + 2] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// scale < 1 keeps the drawing inside the maskable safe zone
function icon(scale) {
  return (u, v) => {
    const x = (u - 0.5) / scale, y = (v - 0.5) / scale;
    const r = Math.hypot(x, y);
    const a = Math.atan2(y, x); // 0 = right, clockwise positive
    const ring = r > 0.2 && r < 0.3 && !(a > -0.9 && a < 0.1);
    // arrowhead at the ring's end (angle -0.9), pointing along the ring
    const ax = 0.25 * Math.cos(-0.9), ay = 0.25 * Math.sin(-0.9);
    const dx = x - ax, dy = y - ay;
    const head = Math.abs(dx * Math.sin(-0.9) - dy * Math.cos(-0.9)) < 0.11 - (dx * Math.cos(-0.9) + dy * Math.sin(-0.9) + 0.02) * 0 &&
      -(dx * -Math.sin(-0.9) + dy * Math.cos(-0.9)) > -0.02 && -(dx * -Math.sin(-0.9) + dy * Math.cos(-0.9)) < 0.11 &&
      Math.abs(dx * Math.cos(-0.9) + dy * Math.sin(-0.9)) < 0.11 - -(dx * -Math.sin(-0.9) + dy * Math.cos(-0.9));
    return ring || head ? white : green;
  };
}

writeFileSync("public/icons/icon-192.png", png(192, icon(1)));
writeFileSync("public/icons/icon-512.png", png(512, icon(1)));
writeFileSync("public/icons/maskable-512.png", png(512, icon(0.75)));
writeFileSync("public/icons/apple-touch-icon.png", png(180, icon(0.85)));
