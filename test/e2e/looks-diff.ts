/**
 * Compares looks-<a>-*.png with looks-<b>-*.png pixel by pixel in Chromium (no image package
 * needed; the page code is a string so no compiler helpers leak into it): prints each page's count of differing pixels and their bounding box, and writes
 * looks-diff-<page>.png with the differences in red and looks-pair-<page>.png (the changed
 * area, before above after, at twice the size). `node --import tsx test/e2e/looks-diff.ts before after`
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SCREENSHOTS, launchChromium } from './harness.js';

const [a = 'before', b = 'after', only, ...area] = process.argv.slice(2);
/** `… before after <page> x y w h`: that page only, its pair image cut from that area. */
const crop = area.length === 4 ? area.map(Number) : null;
const browser = await launchChromium();
const page = await browser.newPage();
await page.setContent('<canvas id="c"></canvas>');
for (const file of readdirSync(SCREENSHOTS).filter((f) => f.startsWith(`looks-${a}-`)).sort()) {
  const name = file.slice(`looks-${a}-`.length, -4);
  if (only && name !== only) continue;
  const other = path.join(SCREENSHOTS, `looks-${b}-${name}.png`);
  let right: string;
  try {
    right = readFileSync(other).toString('base64');
  } catch {
    console.log(`${name}: no ${b} image`);
    continue;
  }
  const left = readFileSync(path.join(SCREENSHOTS, file)).toString('base64');
  const out = (await page.evaluate(`(async ([l, r, crop]) => {
    const load = (src) => new Promise((ok) => { const i = new Image(); i.onload = () => ok(i); i.src = \`data:image/png;base64,\${src}\`; });
    const [x, y] = await Promise.all([load(l), load(r)]);
    const w = Math.max(x.width, y.width), h = Math.max(x.height, y.height);
    const px = (img) => { const c = document.createElement('canvas'); c.width = w; c.height = h; const g = c.getContext('2d'); g.drawImage(img, 0, 0); return g.getImageData(0, 0, w, h).data; };
    const [p, q] = [px(x), px(y)];
    const c = document.getElementById('c'); c.width = w; c.height = h;
    const g = c.getContext('2d'); g.drawImage(y, 0, 0); g.fillStyle = 'rgba(255,255,255,.7)'; g.fillRect(0, 0, w, h);
    const d = g.getImageData(0, 0, w, h);
    let n = 0, x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (let i = 0; i < p.length; i += 4) {
      if (p[i] !== q[i] || p[i + 1] !== q[i + 1] || p[i + 2] !== q[i + 2]) {
        n++; const X = (i / 4) % w, Y = Math.floor(i / 4 / w);
        x0 = Math.min(x0, X); y0 = Math.min(y0, Y); x1 = Math.max(x1, X); y1 = Math.max(y1, Y);
        d.data[i] = 255; d.data[i + 1] = 0; d.data[i + 2] = 0; d.data[i + 3] = 255;
      }
    }
    g.putImageData(d, 0, 0);
    const png = n ? c.toDataURL('image/png').split(',')[1] : null;
    // Both versions of the changed area, before above after, twice the size, to look at closely.
    let pair = null;
    if (n) {
      const [bx, by, bw, bh] = crop ?? [Math.max(0, x0 - 8), Math.max(0, y0 - 8), Math.min(w - Math.max(0, x0 - 8), x1 - x0 + 17, 680), Math.min(h - Math.max(0, y0 - 8), y1 - y0 + 17, 300)];
      c.width = bw * 2; c.height = bh * 4 + 8;
      g.imageSmoothingEnabled = false; g.fillStyle = '#f0f'; g.fillRect(0, 0, c.width, c.height);
      g.drawImage(x, bx, by, bw, bh, 0, 0, bw * 2, bh * 2);
      g.drawImage(y, bx, by, bw, bh, 0, bh * 2 + 8, bw * 2, bh * 2);
      pair = c.toDataURL('image/png').split(',')[1];
    }
    return { n, box: n ? [x0, y0, x1, y1] : null, size: [x.width, x.height, y.width, y.height], png, pair };
  })(${JSON.stringify([left, right, crop])})`)) as { n: number; box: number[] | null; size: number[]; png: string | null; pair: string | null };
  if (out.png) writeFileSync(path.join(SCREENSHOTS, `looks-diff-${name}.png`), Buffer.from(out.png, 'base64'));
  if (out.pair) writeFileSync(path.join(SCREENSHOTS, `looks-pair-${name}.png`), Buffer.from(out.pair, 'base64'));
  console.log(`${name}: ${out.n} px differ${out.box ? ` in [${out.box.join(', ')}]` : ''} (sizes ${out.size.join('x')})`);
}
await browser.close();
