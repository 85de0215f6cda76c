// build.mjs — bundles the web page (src/app.js) and the HTML reports' chart
// script (src/report.js) with esbuild, and copies the static files, into
// the output directory (default ../data/web, where fisc_datadir() finds them).
//   node build.mjs [OUTDIR]
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, '..', 'data', 'web'));
mkdirSync(out, { recursive: true });
const common = {
  bundle: true, minify: true, legalComments: 'none', target: ['chrome109', 'firefox115'],
  charset: 'utf8', logLevel: 'warning',
};
await build({ ...common, entryPoints: [join(here, 'src/app.js')], format: 'esm',
  outfile: join(out, 'app.js') });
await build({ ...common, entryPoints: [join(here, 'src/report.js')], format: 'iife',
  outfile: join(out, 'report-charts.js') });
// The report script goes inline into HTML: it must not close its element.
const rep = readFileSync(join(out, 'report-charts.js'), 'utf8');
if (/<\/script/i.test(rep) || /<!--/.test(rep))
  throw new Error('report-charts.js holds </script or <!-- and cannot be inlined');
for (const f of ['index.html', 'style.css'])
  cpSync(join(here, 'static', f), join(out, f));
console.log(`web: built into ${out}`);
