#!/usr/bin/env node
// Draws the extension icon (docs/images/icon.png, 128×128) from shapes: three stacked settings layers on Django green,
// the top one checked. No image tools needed: shapes are sampled 4×4 per pixel and written as an RGBA PNG.
//   node tools/make-icon.mjs [out.png]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const SIZE = 128;
const SS = 4; // samples per pixel side

const GREEN = [12, 75, 51];
const WHITE = [255, 255, 255];
const LIGHT = [68, 183, 139];
const ACCENT = [255, 196, 0];

/** Signed distance to a rounded rectangle centred at (cx, cy). */
function roundedRect(x, y, cx, cy, hw, hh, r) {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Distance to the segment a–b minus half its width. */
function stroke(x, y, [ax, ay], [bx, by], w) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy) - w / 2;
}

/** Colour at a point, top shape last; undefined outside the background. */
function shade(x, y) {
  if (roundedRect(x, y, 64, 64, 62, 62, 24) > 0) return undefined;
  let c = GREEN;
  // Three layers, back to front, each a slanted-looking bar (a flat rounded rectangle).
  const layers = [
    { cy: 86, color: LIGHT },
    { cy: 64, color: [150, 215, 190] },
    { cy: 42, color: WHITE },
  ];
  for (const l of layers) if (roundedRect(x, y, 56, l.cy, 34, 9, 6) <= 0) c = l.color;
  // A check mark on the top layer's right end: the effective value, checked.
  const check = Math.min(stroke(x, y, [86, 44], [96, 56], 9), stroke(x, y, [96, 56], [116, 28], 9));
  if (check <= 0) c = ACCENT;
  return c;
}

function pixels() {
  const data = Buffer.alloc(SIZE * (SIZE * 4 + 1));
  for (let py = 0; py < SIZE; py++) {
    data[py * (SIZE * 4 + 1)] = 0; // filter: none
    for (let px = 0; px < SIZE; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++) {
          const c = shade(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      const o = py * (SIZE * 4 + 1) + 1 + px * 4;
      data[o] = a ? Math.round(r / a) : 0;
      data[o + 1] = a ? Math.round(g / a) : 0;
      data[o + 2] = a ? Math.round(b / a) : 0;
      data[o + 3] = Math.round((255 * a) / (SS * SS));
    }
  }
  return data;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, body) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

export function iconPng() {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(pixels(), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out =
  process.argv[2] ??
  path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'docs', 'images', 'icon.png');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, iconPng());
process.stdout.write(`${out}\n`);
