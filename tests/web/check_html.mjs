// check_html.mjs — open a fisc HTML report in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core) and check that it renders:
// a table holds the expected cell texts, the Chinese title and headings lay
// out with a real width, the page uses a CJK font, and save screenshots.
//
//   node check_html.mjs REPORT.html OUT_PREFIX [--charts=N] "883,868" "…"
//
// With --charts=N the page holds at least N charts (figure.chart), each
// drawn (by ECharts, or as chart.c's SVG image), and the first is saved as
// OUT_PREFIX-chart.png.
//
// Exit status 0 when every check passes; each failure is printed.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [html, out, ...rest] = process.argv.slice(2);
// --charts=N: the page must hold at least N charts, each drawn
const minCharts = Number((rest.find((a) => a.startsWith('--charts=')) || '--charts=0').slice(9));
const cells = rest.filter((a) => !a.startsWith('--charts='));
if (!html || !out) {
  console.error('usage: node check_html.mjs REPORT.html OUT_PREFIX [CELL_TEXT…]');
  process.exit(2);
}

// A fresh profile every run, so nothing from a previous run is reused.
const profile = mkdtempSync(join(tmpdir(), 'fisc-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 900, height: 1273 }, // ≈ A4 at 96 dpi with margins
});
let failures = 0;
const fail = (msg) => { console.error(`FAIL ${msg}`); failures++; };
try {
  const page = await context.newPage();
  await page.goto('file://' + resolve(html));
  await page.evaluate(() => document.fonts.ready);

  const tables = await page.locator('table').count();
  if (tables < 1) fail('no <table> in the page');
  for (const text of cells) {
    const n = await page.locator('table td', { hasText: text }).count();
    if (n < 1) fail(`no table cell holding "${text}"`);
    else console.log(`ok   table cell "${text}" (${n})`);
  }

  // Chinese text lays out: the title and first heading have a real width,
  // about one em per character, summed over its lines (a missing glyph would still take space, so
  // the font check below is what tells a CJK font is used).
  const metrics = await page.evaluate(() => {
    const m = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(el);
      // a title that wraps (the 绩效 report's) is as wide as its lines together
      const width = [...range.getClientRects()].reduce((w, q) => w + q.width, 0);
      return { text: el.textContent, width, height: r.height,
        fontSize: parseFloat(getComputedStyle(el).fontSize),
        family: getComputedStyle(el).fontFamily };
    };
    return { h1: m(document.querySelector('h1')), h2: m(document.querySelector('h2')),
      td: m(document.querySelector('td')) };
  });
  for (const [k, v] of Object.entries(metrics)) {
    if (!v) { fail(`no <${k}>`); continue; }
    const chars = [...v.text].length;
    if (!(v.width > 0)) fail(`<${k}> "${v.text}" has no width`);
    else if (k !== 'td' && v.width < chars * v.fontSize * 0.8)
      fail(`<${k}> "${v.text}" is ${v.width}px wide for ${chars} characters at ${v.fontSize}px`);
    else console.log(`ok   <${k}> "${v.text.slice(0, 24)}" ${Math.round(v.width)}px, font ${v.family.split(',')[0]}`);
  }
  if (!/Noto (Serif|Sans) CJK SC|Source Han|SimSun/.test(metrics.h1?.family || ''))
    fail('the CJK font stack is not applied');

  // The fonts Chromium actually rendered the Chinese title and a table cell
  // with (DevTools protocol): a CJK face must have drawn the glyphs.
  const cdp = await context.newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  for (const sel of ['h1', 'h2', 'td']) {
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: sel });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const used = fonts.map((f) => `${f.familyName} (${f.glyphCount})`).join(', ');
    if (!fonts.some((f) => /CJK|Han|SimSun|Song|Hei|Kai/i.test(f.familyName) && f.glyphCount > 0))
      fail(`<${sel}> not rendered with a CJK font: ${used || 'none'}`);
    else console.log(`ok   <${sel}> rendered with ${used}`);
  }

  // Charts: each figure.chart holds chart.c's SVG as an <img>, which
  // Chromium must decode (a broken SVG has no natural size); with the
  // ECharts bundle inlined, the page draws the figure again into div.echart
  // and hides the <img>. Either way something is drawn at a real width.
  const charts = await page.evaluate(async () => {
    const figs = [...document.querySelectorAll('figure.chart')];
    const imgs = figs.map((f) => f.querySelector('img[src^="data:image/svg+xml"]'));
    await Promise.all(imgs.map((i) => i && i.decode().catch(() => null)));
    return figs.map((f, k) => {
      const i = imgs[k];
      const e = f.querySelector('.echart');
      const drawn = e && e.querySelector('svg, canvas');
      return { alt: i ? i.alt : '', w: i ? i.naturalWidth : 0, h: i ? i.naturalHeight : 0,
        img: i ? i.getBoundingClientRect().width : 0,
        echart: drawn ? drawn.getBoundingClientRect().width : 0 };
    });
  });
  if (charts.length < minCharts) fail(`${charts.length} charts, want at least ${minCharts}`);
  for (const c of charts) {
    if (!(c.w > 0 && c.h > 0)) fail(`chart "${c.alt}": its SVG does not decode`);
    else if (!(c.img > 100 || c.echart > 100)) fail(`chart "${c.alt}" not drawn: ${JSON.stringify(c)}`);
    else console.log(`ok   chart "${c.alt}" ${c.echart > 100 ? 'drawn by ECharts' : 'SVG image'}, ${Math.round(Math.max(c.img, c.echart))}px`);
  }
  if (charts.length) {
    await page.locator('figure.chart').first().screenshot({ path: `${out}-chart.png` });
    console.log(`ok   screenshot ${out}-chart.png`);
  }

  await page.screenshot({ path: `${out}.png` });
  await page.locator('figure.table').first().screenshot({ path: `${out}-table.png` });
  console.log(`ok   screenshots ${out}.png ${out}-table.png`);
} catch (e) {
  fail(String(e && e.stack || e));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
