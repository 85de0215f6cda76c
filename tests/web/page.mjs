// page.mjs — the web page in headless Chromium (Debian's /usr/bin/chromium
// driven by playwright-core), run by tests/cli/test_web_page.sh against a
// running `fisc serve`. For each role (finance, reviewer, department, the
// public) it signs in through the form, clicks through every view, checks
// that every figure the page shows equals the API's value for it (fetched
// with the same session), that URL editing reaches no other department's or
// region's data (the denial shown, no figure), runs axe-core on every view
// (no serious or critical violation) and saves a screenshot of each view.
//
// The overview's figures are checked against what the fisc CLI computes
// from the same store (test_web_page.sh writes its outputs to EXPECT):
// `fisc report balance` per book and phase, `fisc report statement`, the
// congress and debt reports' charts, `fisc quota status` and `fisc quota
// rollup` — not against the overview endpoint the page itself reads.
//
// env: FISC_BASE FISC_PW FISC_A FISC_B FISC_D1 FISC_D2 SHOTS EXPECT [CHROMIUM]
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const { FISC_BASE: base, FISC_PW: pw, FISC_A: A, FISC_B: B, FISC_D1: D1, FISC_D2: D2,
  SHOTS: shots, EXPECT: expect } = process.env;
// One output of the CLI (null: the command had no data and wrote nothing).
const cli = (name) => { try { return readFileSync(join(expect, name), 'utf8'); } catch (e) { return null; } };
const enc = encodeURIComponent;
let failures = 0;
let lossExpected = false; // the payment test drops an answer on purpose
const fail = (msg) => { console.error(`FAIL ${msg}`); failures++; };
const ok = (msg) => console.log(`ok   ${msg}`);
const eq = (got, want, what) => {
  const g = JSON.stringify(got), w = JSON.stringify(want);
  if (g !== w) fail(`${what}: page ${g} != API ${w}`);
  else ok(`${what}`);
};

// The page's own rule for a fact's amount, written again here: fen as 万元,
// two decimals, half away from zero, grouped.
function wan(fen) {
  let f = BigInt(fen);
  const neg = f < 0n;
  if (neg) f = -f;
  const c = (f + 5000n) / 10000n;
  return (neg && c ? '-' : '') + (c / 100n).toLocaleString('en-US') + '.' + String(c % 100n).padStart(2, '0');
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function session(role) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('console', (m) => {
    // a CSP violation or a script error is a failure of the page
    // (401, 403, 404 are denials the page shows; 409 a refused payment)
    if (m.type() === 'error' && !/status of 40[1349]/.test(m.text()) &&
      !(lossExpected && /net::ERR_FAILED/.test(m.text())))
      fail(`${role}: console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => fail(`${role}: page error: ${e.message}`));
  const api = async (path, opts = {}) => {
    const r = await page.request.fetch(base + path, opts);
    return { status: r.status(), json: r.headers()['content-type']?.startsWith('application/json') ? await r.json() : null };
  };
  const requests = []; // the API requests the page sends
  page.on('request', (q) => { if (new URL(q.url()).pathname.startsWith('/api/')) requests.push(q.url()); });
  return { context, page, api, role, requests };
}

async function ready(page) {
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
}

async function go(s, hash) {
  await s.page.goto(`${base}/#${hash}`);
  await ready(s.page);
}

// Click something that changes the view, and wait until the new one is drawn.
async function click(s, locator) {
  await s.page.evaluate(() => { document.body.dataset.ready = 'stale'; });
  await locator.click();
  await ready(s.page);
}

async function checkPage(s, name, { iframes = true } = {}) {
  await s.page.waitForTimeout(50); // charts are drawn in a microtask after the view
  await s.page.evaluate(axeSource);
  // A frame that runs no script (the audited document) cannot host axe: it
  // would wait for it a minute and then call it untested.
  const res = await s.page.evaluate((iframes) => window.axe.run(document, { resultTypes: ['violations'], iframes }), iframes);
  const bad = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad)
    fail(`${s.role} ${name}: axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target).join(' | ')}`);
  if (!bad.length) ok(`${s.role} ${name}: axe, no serious violation (${res.violations.length} minor)`);
  await s.page.screenshot({ path: join(shots, `web-${s.role}-${name}.png`), fullPage: true });
}

async function login(s, user) {
  await go(s, '/login');
  await s.page.getByLabel('用户名').fill(user);
  await s.page.getByLabel('密码').fill(pw);
  await click(s, s.page.getByRole('button', { name: '登录' }));
  const who = await s.page.locator('#whoami').textContent();
  if (!who?.includes(user)) fail(`${s.role}: signed in as ${user}, page says ${who}`);
  else ok(`${s.role}: signed in as ${user}`);
}

const texts = (loc) => loc.evaluateAll((els) => els.map((e) => e.textContent.trim()));

// The overview against the CLI (drawn from one request): 收入总计 / 支出总计 per book and phase as
// `fisc report balance` prints them ('—' where it has no data), each book's
// statement as `fisc report statement` words it (执行, else 预算), and every
// label of the congress and debt reports' charts drawn.
async function checkOverview(s, r, y) {
  // the view drawn again: one request, the overview
  s.requests.length = 0;
  await s.page.evaluate(() => { document.body.dataset.ready = 'stale'; window.dispatchEvent(new HashChangeEvent('hashchange')); });
  await ready(s.page);
  eq(s.requests.map((u) => new URL(u).pathname + new URL(u).search), [`/api/regions/${enc(r)}/overview?year=${y}`],
    `${s.role} ${r} ${y}: the overview is one request`);
  for (const book of ['gpb', 'gfb', 'soe', 'ssf']) {
    for (const phase of ['budget', 'adjusted', 'execution']) {
      const out = cli(`balance-${r}-${y}-${book}-${phase}.json`);
      const b = out && JSON.parse(out);
      const want = b ? [b.income.find((l) => l.line === 'income_total')?.text || '—',
        b.expense.find((l) => l.line === 'expense_total')?.text || '—'] : ['—', '—'];
      const got = [await s.page.locator(`#books tr[data-book="${book}"] td[data-phase="${phase}"][data-side="income"]`).textContent(),
        await s.page.locator(`#books tr[data-book="${book}"] td[data-phase="${phase}"][data-side="expense"]`).textContent()];
      eq(got, want, `${s.role} overview ${r} ${y} ${book} ${phase} 总计 = fisc report balance`);
    }
    const lines = (cli(`statement-${r}-${y}-${book}.txt`) || '').split('\n').filter(Boolean);
    eq(await texts(s.page.locator(`p.statement[data-book="${book}"]`)), lines,
      `${s.role} ${r} ${y} ${book} statement = fisc report statement`);
  }
  const seen = new Set();
  for (const kind of ['congress', 'debt']) {
    const out = cli(`${kind}-${r}-${y}.json`);
    const defs = out ? JSON.parse(out).blocks.filter((b) => b.type === 'chart' && !seen.has(b.title) && seen.add(b.title)) : [];
    for (const c of defs) {
      const fig = s.page.locator(`figure.chart[data-title="${c.title}"]`);
      if (!(await fig.count())) { fail(`${s.role} ${r}: chart ${c.title} not shown`); continue; }
      const drawn = await fig.locator('svg text').evaluateAll((els) => els.map((e) => e.textContent));
      const want = c.series.flatMap((x) => x.text.filter((t) => t !== null));
      const missing = want.filter((t) => !drawn.includes(t));
      if (missing.length) fail(`${s.role} chart ${c.title}: labels ${missing.join(', ')} not drawn`);
      else ok(`${s.role} chart ${c.title}: ${want.length} labels drawn as fisc report ${kind} prints them`);
    }
  }
  if (!seen.size && r === B) fail(`${s.role} ${r} ${y}: no chart expected from the CLI's reports`);
}

// num / den in percent, two decimals, half up (fisc_percent_format).
function pct(num, den) {
  const q = (num * 20000n + den) / (2n * den);
  return `${q / 100n}.${String(q % 100n).padStart(2, '0')}%`;
}

// 支出进度 per department and by month against `fisc quota status` (元,
// two decimals, per line) and `fisc quota rollup` (paid per line and month).
async function checkProgress(s, r, y) {
  const fen = (t) => BigInt(t.replace('.', ''));
  const q = JSON.parse(cli(`quota-${r}-${y}.json`));
  const depts = new Map();
  for (const l of q.lines.filter((x) => x.region === r && x.year === y)) {
    const d = depts.get(l.department) || { quota: 0n, paid: 0n, pending: 0n, available: 0n };
    for (const k of Object.keys(d)) d[k] += fen(l[k]);
    depts.set(l.department, d);
  }
  const want = [...depts].map(([name, d]) => [name, wan(d.quota), wan(d.paid), wan(d.pending), wan(d.available),
    d.quota > 0n ? pct(d.paid, d.quota) : '—']);
  eq(await s.page.locator('#progress tbody tr').evaluateAll((els) => els.map((e) =>
    [...e.children].map((c) => c.textContent))), want, `${s.role} 支出进度 per department = fisc quota status`);
  const total = [...depts.values()].reduce((a, d) => a + d.quota, 0n);
  const month = Array(12).fill(0n);
  for (const row of cli(`rollup-${y}.tsv`).split('\n').slice(1).filter(Boolean)) {
    const c = row.split('\t');
    if (c[0] === r && c[1] === String(y)) month[Number(c[8].slice(5)) - 1] += fen(c[9]);
  }
  let cum = 0n;
  const rows = month.map((m) => { cum += m; return [wan(m), wan(cum), total > 0n ? pct(cum, total) : '—']; });
  eq(await s.page.locator('#region-months tbody tr').evaluateAll((els) => els.map((e) =>
    [...e.querySelectorAll('td')].map((c) => c.textContent))), rows, `${s.role} 支出进度 by month = fisc quota rollup`);
}

async function checkBalance(s, r, y) {
  const b = (await s.api(`/api/regions/${enc(r)}/balance?year=${y}&book=gpb&scope=all&phase=execution&unit=万元`)).json;
  for (const side of ['income', 'expense']) {
    const want = b[side].filter((l) => l.text !== '' && l.fen !== null).map((l) => [l.line, l.text]);
    const got = await s.page.locator(`button.fig[data-side="${side}"]`).evaluateAll((els) =>
      els.map((e) => [e.dataset.line, e.textContent]));
    eq(got, want, `${s.role} balance ${r} ${y} ${side}`);
  }
  // a figure → the facts behind it
  const facts = [];
  for (let off = 0; ; off += 1000) {
    const p = (await s.api(`/api/regions/${enc(r)}/facts?year=${y}&book=gpb&scope=all&phase=execution&limit=1000&offset=${off}`)).json;
    facts.push(...p.facts);
    if (facts.length >= p.total || !p.facts.length) break;
  }
  const line = b.income.find((l) => facts.some((f) => f.item === l.line && f.fen !== null));
  await s.page.locator(`button.fig[data-line="${line.line}"]`).first().click();
  await s.page.waitForSelector('#facts table.facts-table');
  const rows = await s.page.locator('#facts tr[data-fact]').evaluateAll((els) => els.map((e) =>
    [Number(e.dataset.fact), e.querySelector('td[data-fen]').textContent]));
  eq(rows, facts.filter((f) => f.item === line.line).map((f) => [f.id, f.fen === null ? '—' : wan(f.fen)]),
    `${s.role} facts behind ${line.label}`);
  await checkVersions(s, r);
  // 类 → 款 → 项
  const cls = facts.filter((f) => /^2\d{2}$/.test(f.item) && f.fen !== null);
  const sums = new Map();
  for (const f of cls) sums.set(f.item, (sums.get(f.item) || 0n) + BigInt(f.fen));
  const want = [...sums.entries()].sort(([a], [c]) => a.localeCompare(c)).map(([k, v]) => [k, wan(v)]);
  if (!want.length) {
    eq(await s.page.locator('#drill .notice').count(), 1, `${s.role} no 类 in ${r} ${y}: said so`);
    return;
  }
  await s.page.waitForSelector('#drill-table');
  const got = await s.page.locator('#drill-table tbody tr').evaluateAll((els) => els.map((e) =>
    [e.dataset.code, e.children[2].textContent]));
  eq(got, want, `${s.role} 类 of ${r} ${y}`);
  const expand = s.page.locator('#drill-table button', { hasText: '展开款' }).first();
  if (await expand.count()) {
    const code = await expand.locator('xpath=ancestor::tr').getAttribute('data-code');
    await expand.click();
    const kuan = await s.page.locator('#drill-table tbody tr').evaluateAll((els) => els.map((e) => e.dataset.code));
    const wantK = [...new Set(facts.filter((f) => f.item.length === 5 && f.item.startsWith(code) && f.fen !== null)
      .map((f) => f.item))].sort();
    eq(kuan, wantK, `${s.role} 款 of ${code}`);
  }
}

async function checkFindings(s, r, y) {
  const res = (await s.api(`/api/regions/${enc(r)}/check?year=${y}&all=1`)).json;
  const summary = await s.page.locator('#check-summary').textContent();
  const f = res.summary.findings;
  if (!summary.includes(`错误 ${f.error}，警告 ${f.warning}，提示 ${f.info}，通过 ${f.pass}`))
    fail(`${s.role} check summary "${summary}" != API ${JSON.stringify(f)}`);
  else ok(`${s.role} check summary equals the API's`);
  eq(await s.page.locator('ol.findings > li').count(), res.findings.filter((x) => x.severity !== 'pass').length,
    `${s.role} number of findings shown`);
}

async function checkDept(s, r, y, d) {
  const q = (await s.api(`/api/regions/${enc(r)}/departments/${enc(d)}/quota?year=${y}`)).json;
  const got = await s.page.locator('#quota tbody tr').evaluateAll((els) => els.map((e) =>
    [...e.querySelectorAll('td.num')].map((c) => c.textContent)));
  eq(got, q.lines.map((l) => [l.quota.text, l.paid.text, l.pending.text, l.available.text,
    l.progress_pct === null ? '—' : l.progress_pct + '%']), `${s.role} 指标 lines of ${d}`);
  eq(await texts(s.page.locator('#quota tfoot td.num')), [q.total.quota.text, q.total.paid.text, q.total.pending.text,
    q.total.available.text, q.total.progress_pct + '%'], `${s.role} 指标 total of ${d}`);
  eq(await s.page.locator('#payments tbody tr').evaluateAll((els) => els.map((e) =>
    [e.children[0].textContent, e.children[4].textContent, e.children[5].textContent])),
  q.payments.map((p) => [p.key, p.text, p.state]), `${s.role} payments of ${d}`);
  eq(await s.page.locator('#months tbody tr').evaluateAll((els) => els.map((e) =>
    [...e.querySelectorAll('td')].map((c) => c.textContent))),
  q.months.map((m) => [m.text, m.cumulative.text, m.progress_pct === null ? '—' : m.progress_pct + '%']),
  `${s.role} monthly 支出进度 of ${d}`);
  // a 指标 figure → its documents
  await s.page.locator('#quota button.fig').first().click();
  eq(await s.page.locator('#line-documents tbody tr td:first-child').evaluateAll((els) => els.map((e) => e.textContent)),
    q.lines[0].documents.map((x) => x.no), `${s.role} documents behind line ${q.lines[0].line}`);
  eq(await s.page.locator('#line-journal tbody tr').evaluateAll((els) => els.map((e) =>
    [Number(e.children[0].textContent), e.children[1].textContent, e.children[2].textContent])),
  q.lines[0].journal.map((x) => [x.seq, x.kind, x.ref]), `${s.role} journal entries behind line ${q.lines[0].line}`);
  // the department report's amounts, cell for cell
  const doc = (await s.api(`/api/regions/${enc(r)}/departments/${enc(d)}/reports/department?year=${y}`)).json;
  const want = doc.blocks.filter((b) => b.type === 'table').flatMap((t) => t.rows.flat())
    .filter((c) => c.type === 'amount').map((c) => c.text);
  const shown = await s.page.locator('#dept-report td.num').evaluateAll((els) => els.map((e) => e.textContent));
  const amounts = shown.filter((t) => /^-?[\d,]+(\.\d+)?$/.test(t));
  eq(amounts, want, `${s.role} department report amounts of ${d}`);
}


// A doc (report, history, diff) drawn by the page: every cell of its first
// table, row by row, against the API's.
async function checkDocTable(s, sel, doc, what) {
  const t = doc.blocks.find((b) => b.type === 'table');
  const want = t.rows.map((row) => row.filter((c) => c.type !== 'covered')
    .map((c) => (c.type === 'empty' ? '' : c.text)));
  const got = await s.page.locator(`${sel} table tbody tr`).evaluateAll((els) => els.map((e) =>
    [...e.children].map((c) => c.textContent)));
  if (!want.length) {
    eq(await s.page.locator(`${sel} figure.table p.notice`).count(), 1, `${what}: empty, said so`);
    return;
  }
  eq(got, want, what);
}

const csrfOf = (s) => s.page.evaluate(() => fetch('/api/me').then((r) => r.json()).then((j) => j.csrf));

// A fact behind a figure → its versions, each with its document and journal entry.
async function checkVersions(s, r) {
  const btn = s.page.locator('#facts button.ver').first();
  const id = await btn.locator('xpath=ancestor::tr').getAttribute('data-fact');
  await btn.click();
  await s.page.waitForSelector('#facts .versions-table');
  const v = (await s.api(`/api/regions/${enc(r)}/facts/${id}`)).json;
  eq(await s.page.locator('#facts .versions-table tbody tr').evaluateAll((els) => els.map((e) =>
    [e.children[1].textContent, e.children[2].textContent, e.children[3].textContent, e.children[8].textContent])),
  v.versions.map((x) => [x.text || '空白', x.state_zh, x.document.label,
    x.document.journal ? `#${x.document.journal.seq} ${x.document.journal.hash.slice(0, 16)}…` : '—']),
  `${s.role} versions, documents and journal entries of fact ${id}`);
}

// The history view and a diff from it, against the API.
async function checkHistory(s, r, y, d) {
  const dq = d === '-' ? '' : `&department=${enc(d)}`;
  const hist = (await s.api(`/api/regions/${enc(r)}/history?year=${y}${dq}`)).json;
  await checkDocTable(s, '#history', hist, `${s.role} history of ${r} ${y} ${d}`);
  await checkPage(s, 'history');
  await click(s, s.page.getByRole('link', { name: '预算与执行' }));
  const diff = (await s.api(`/api/regions/${enc(r)}/diff?year=${y}&phase=budget&vs_phase=execution${dq}`)).json;
  await checkDocTable(s, '#diff', diff, `${s.role} diff 预算/执行 of ${r} ${y} ${d}`);
  await checkPage(s, 'diff');
  // versions through the form: the first import against the store now
  await s.page.getByLabel('对比方式').selectOption('versions');
  await s.page.getByLabel('左边（版本、阶段或年度）').fill('#1');
  await s.page.getByLabel('右边').fill('');
  await click(s, s.page.locator('#diff-form').getByRole('button', { name: '对比' }));
  const vs = (await s.api(`/api/regions/${enc(r)}/diff?year=${y}&as_of=%231&vs_as_of=${dq}`)).json;
  await checkDocTable(s, '#diff', vs, `${s.role} diff #1/现行 of ${r} ${y} ${d}`);
}


// The payment form: a request whose answer is lost is sent again with the
// same Idempotency-Key and pays once; a double click pays once; a refusal
// shows the API's message with the line's figures; the list follows.
async function checkPayments(s, r, y, d) {
  const qpath = `/api/regions/${enc(r)}/departments/${enc(d)}/quota?year=${y}`;
  const before = (await s.api(qpath)).json;
  const line = before.lines[0];
  await s.page.getByLabel('指标行').selectOption(String(line.line));
  await s.page.getByLabel('金额（元）').fill('100.25');
  await s.page.getByLabel('收款人').fill('某供应商');
  await s.page.getByLabel('用途').fill('办公用品');
  // the first answer is lost on the way back: the server paid, the page does not know
  lossExpected = true;
  await s.page.route('**/api/regions/*/payments', async (route) => { await route.fetch(); await route.abort(); }, { times: 1 });
  await s.page.getByRole('button', { name: '提交支付申请' }).click();
  await s.page.locator('#pay-msg .alert').waitFor();
  eq((await s.page.locator('#pay-msg .alert').textContent()).startsWith('未能送达'), true,
    `${s.role}: a lost answer is said to be safe to send again`);
  await click(s, s.page.getByRole('button', { name: '提交支付申请' }));
  const flash = await s.page.locator('#pay-flash').textContent();
  lossExpected = false;
  const mid = (await s.api(qpath)).json;
  eq([mid.payments.length - before.payments.length, flash.startsWith('该申请已提交过，未重复支付。')], [1, true],
    `${s.role}: a retried request paid once (the same key, a replay)`);
  // a double click: one request
  await s.page.getByLabel('金额（元）').fill('7');
  await s.page.getByLabel('收款人').fill('某物业');
  await s.page.evaluate(() => { document.body.dataset.ready = 'stale'; });
  await s.page.getByRole('button', { name: '提交支付申请' }).dblclick();
  await ready(s.page);
  const after = (await s.api(qpath)).json;
  eq(after.payments.length - mid.payments.length, 1, `${s.role}: a double click paid once`);
  eq(await s.page.locator('#payments tbody tr').evaluateAll((els) => els.map((e) =>
    [e.children[0].textContent, e.children[4].textContent, e.children[5].textContent])),
  after.payments.map((p) => [p.key, p.text, p.state]), `${s.role}: the payments list after paying`);
  eq(await s.page.locator('#quota tbody tr').evaluateAll((els) => els.map((e) => e.querySelector('td[data-k="available"]').textContent)),
    after.lines.map((l) => l.available.text), `${s.role}: 可用 after paying`);
  // more than 可用: refused, with the API's message naming the line's figures
  const body = { line: line.line, amount: '999999999', payee: '某公司', purpose: '超额' };
  await s.page.getByLabel('金额（元）').fill(body.amount);
  await s.page.getByLabel('收款人').fill(body.payee);
  await s.page.getByLabel('用途').fill(body.purpose);
  await s.page.getByRole('button', { name: '提交支付申请' }).click();
  await s.page.locator('#pay-msg .alert').waitFor();
  const api = await s.page.request.post(`${base}/api/regions/${enc(r)}/payments`, { data: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'probe-refused', 'X-CSRF-Token': await csrfOf(s) } });
  const refusal = await api.json();
  eq([api.status(), await s.page.locator('#pay-msg .alert').textContent(), /可用/.test(refusal.message_zh)],
    [409, '拒绝：' + refusal.message_zh, true], `${s.role}: a refused request shows the API's message and figures`);
  eq((await s.api(qpath)).json.payments.length, after.payments.length, `${s.role}: the refusal left no trace`);
  await checkPage(s, 'payment');
}

// URL editing: the view shows the denial, and no figure.
async function denied(s, hash, what) {
  await go(s, hash);
  const alert = await s.page.locator('[role="alert"]').allTextContents();
  const figures = await s.page.locator('main td.num, main button.fig, main figure.chart').count();
  if (!alert.some((t) => /无权|登录/.test(t)) || figures)
    fail(`${s.role} ${what}: alert ${JSON.stringify(alert)}, ${figures} figures shown`);
  else ok(`${s.role} ${what}: denied, nothing shown`);
}

// --- finance of 北碚区 -----------------------------------------------------------
{
  const s = await session('finance');
  await login(s, 'finB');
  await checkPage(s, 'home');
  await click(s, s.page.getByRole('link', { name: '2023年预算总览' }));
  await checkOverview(s, B, 2023);
  await checkPage(s, 'overview');
  await click(s, s.page.getByRole('navigation').getByRole('link', { name: '收支平衡表' }));
  await checkBalance(s, B, 2023);
  await checkPage(s, 'balance');
  await click(s, s.page.getByRole('navigation').getByRole('link', { name: '检查结果' }));
  await checkFindings(s, B, 2023);
  await checkPage(s, 'check');
  await click(s, s.page.getByRole('navigation').getByRole('link', { name: '下载' }));
  const links = await s.page.locator('ul.downloads a').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
  if (links.length < 4 * 3 * 6 * 2 + 2 * 6) fail(`finance downloads: ${links.length} links`);
  for (const href of [links[0], links.find((h) => h.includes('format=xlsx')), links.find((h) => h.includes('format=html'))]) {
    const r = await s.page.request.get(base + href);
    if (r.status() !== 200) fail(`download ${href}: ${r.status()}`);
  }
  ok(`finance downloads: ${links.length} links, json/xlsx/html fetched`);
  await checkPage(s, 'downloads');
  await click(s, s.page.getByRole('navigation').getByRole('link', { name: '历史与对比' }));
  await checkHistory(s, B, 2023, '-');
  // the audit of a report's text: findings linked to their highlighted line
  await click(s, s.page.getByRole('navigation').getByRole('link', { name: '报告审核' }));
  const text = readFileSync('examples/001_jiefang_report.txt', 'utf8');
  await s.page.getByLabel('或粘贴报告全文').fill(text);
  await s.page.getByRole('button', { name: '审核' }).click();
  await s.page.waitForSelector('#audit-frame');
  const api = (await s.api('/api/audit', { method: 'POST', data: text,
    headers: { 'X-CSRF-Token': await s.page.evaluate(() => fetch('/api/me').then((r) => r.json()).then((j) => j.csrf)) } })).json;
  const want = api.files[0].findings.filter((f) => f.severity !== 'pass');
  eq(await s.page.locator('#audit-result ol.findings a').allTextContents(), want.map((f) => `第 ${f.line} 行`),
    'finance audit findings and their lines');
  // the document as `fisc audit --format html` writes it, in the frame:
  // every checked figure marked as the API marks it
  const html = await (await s.page.request.post(base + '/api/audit?format=html', { data: text,
    headers: { 'X-CSRF-Token': await csrfOf(s) } })).text();
  // read through the parent (the frame runs no script of its own)
  const inFrame = (sel) => s.page.evaluate((sel) => [...(document.getElementById('audit-frame').contentDocument
    ?.querySelectorAll(sel) || [])].map((e) => [e.id || e.className, e.textContent]), sel);
  await s.page.waitForFunction(() => document.getElementById('audit-frame')?.contentDocument?.getElementById('L1'));
  eq(await inFrame('mark'),
    [...html.matchAll(/<mark class="(\w+)"[^>]*>(.*?)<\/mark>/g)].map((m) => [m[1], m[2].replace(/<[^>]+>/g, '')]),
    'finance audit: every checked figure marked as the API marks it');
  await s.page.locator('#audit-result ol.findings a').first().click();
  const hit = (await inFrame('.hit')).map(([id]) => id);
  eq([hit, (await inFrame(`#L${want[0].line} mark, #L${want[0].line} + aside`)).length > 0], [['L' + want[0].line], true],
  'finance audit: the finding\'s line outlined, its figure marked');
  await checkPage(s, 'audit', { iframes: false });
  await denied(s, `/r/${enc(A)}/2024`, 'another region by URL');
  // the HTML report from the API: its inline script runs under the report's
  // CSP (allowed by hash) and draws every chart with charts.js, labels as
  // the definition prints them; chart.c's SVG <img> stays as the fallback
  await s.page.goto(`${base}/api/regions/${B}/reports/congress?year=2023&format=html`);
  const figs = s.page.locator('figure.chart[data-chart]');
  const n = await figs.count();
  if (!n) fail('HTML report: no chart figure');
  for (let i = 0; i < n; i++) {
    const fig = figs.nth(i);
    const def = JSON.parse(await fig.getAttribute('data-chart'));
    await fig.locator('.echart svg').waitFor({ timeout: 10000 }).catch(() => {});
    const drawn = await fig.locator('.echart svg text').evaluateAll((els) => els.map((e) => e.textContent));
    const want = def.series.flatMap((x) => x.text.filter((t) => t !== null));
    const missing = want.filter((t) => !drawn.includes(t));
    const hidden = await fig.locator('img').evaluate((e) => e.hidden);
    if (missing.length || !hidden) fail(`HTML report chart ${def.title}: missing ${missing.join(', ')}, img hidden ${hidden}`);
    else ok(`HTML report chart ${def.title}: drawn by ECharts, ${want.length} labels`);
  }
  await s.page.screenshot({ path: join(shots, 'web-report-congress-html.png'), fullPage: true });
  await s.context.close();
}

// --- finance of 大连高新区: the departments' 支出进度 ---------------------------------
{
  const s = await session('finance-A');
  await login(s, 'finA');
  await go(s, `/r/${enc(A)}/2025`);
  const q = (await s.api(`/api/regions/${enc(A)}/departments/${enc(D1)}/quota?year=2025`)).json;
  const row = s.page.locator('#progress tbody tr', { hasText: D1 });
  eq(await row.locator('td').allTextContents(), [q.total.quota.text, q.total.paid.text, q.total.pending.text,
    q.total.available.text, q.total.progress_pct + '%'], 'finance-A 支出进度 of D1');
  // the region's months: every department's months summed, against their 指标
  const deps = (await s.api(`/api/regions/${enc(A)}/departments?year=2025`)).json.departments;
  const qs = [];
  for (const d of deps) {
    const x = (await s.api(`/api/regions/${enc(A)}/departments/${enc(d)}/quota?year=2025`)).json;
    if (x.lines.length) qs.push(x);
  }
  const total = qs.reduce((a, x) => a + BigInt(x.total.quota.fen), 0n);
  let cum = 0n;
  const wantMonths = [];
  for (let m = 0; m < 12; m++) {
    const fen = qs.reduce((a, x) => a + BigInt(x.months[m].fen), 0n);
    cum += fen;
    const hp = (cum * 20000n + total) / (2n * total);
    wantMonths.push([wan(fen), wan(cum), `${hp / 100n}.${String(hp % 100n).padStart(2, '0')}%`]);
  }
  eq(await s.page.locator('#region-months tbody tr').evaluateAll((els) => els.map((e) =>
    [...e.querySelectorAll('td')].map((c) => c.textContent))), wantMonths, 'finance-A region 支出进度 by month');
  if (qs.length === 1) // one department: its own months, as the API prints them
    eq(wantMonths.map((r) => r[2]), qs[0].months.map((m) => m.progress_pct + '%'), 'finance-A months = the API\'s');
  await checkOverview(s, A, 2025);
  await checkProgress(s, A, 2025);
  await checkPage(s, 'overview');
  await click(s, row.getByRole('link'));
  await checkDept(s, A, 2025, D1);
  await checkPage(s, 'department');
  // finance confirms the pending request and refunds part of the paid one
  const qpath = `/api/regions/${enc(A)}/departments/${enc(D1)}/quota?year=2025`;
  await click(s, s.page.getByRole('button', { name: '确认支付 p2' }));
  eq([await s.page.locator('#pay-flash').textContent(), (await s.api(qpath)).json.payments.find((p) => p.key === 'p2').state],
    ['p2 已确认支付。', '已支付'], 'finance-A confirmed p2 from the page');
  await s.page.getByLabel('p1 的退款金额（元）').fill('1000');
  await click(s, s.page.locator('form#refund-p1').getByRole('button', { name: '退款' }));
  const p1 = (await s.api(qpath)).json.payments.find((p) => p.key === 'p1');
  eq([p1.refunded.text, await s.page.locator('#payments tr[data-key="p1"] td').nth(7).textContent()], ['0.10', '0.10'],
    'finance-A refunded 1000 元 of p1 from the page');
  await checkDept(s, A, 2025, D1);
  await s.context.close();
}

// --- reviewer of 大连高新区 ------------------------------------------------------------
{
  const s = await session('reviewer');
  await login(s, 'revA');
  await click(s, s.page.getByRole('link', { name: '2024年预算总览' }));
  await checkOverview(s, A, 2024);
  await checkPage(s, 'overview');
  await click(s, s.page.getByRole('navigation').getByRole('link', { name: '检查结果' }));
  await checkFindings(s, A, 2024);
  await checkPage(s, 'check');
  await click(s, s.page.getByRole('navigation').getByRole('link', { name: '收支平衡表' }));
  await checkBalance(s, A, 2024);
  await checkPage(s, 'balance');
  await click(s, s.page.getByRole('navigation').getByRole('link', { name: '历史与对比' }));
  await checkHistory(s, A, 2024, '-');
  await denied(s, `/r/${B}/2024/balance/gpb/all/budget`, 'another region by URL (unpublished)');
  await denied(s, `/r/${B}/2023/history/-`, "another region's history by URL");
  await s.context.close();
}

// --- a department -------------------------------------------------------------------
{
  const s = await session('department');
  await login(s, 'depA1');
  await checkPage(s, 'home');
  await click(s, s.page.getByRole('link', { name: `${D1} 2025年` }));
  await checkDept(s, A, 2025, D1);
  await checkPage(s, 'department');
  await checkPayments(s, A, 2025, D1);
  await click(s, s.page.getByRole('navigation').getByRole('link', { name: '历史与对比' }));
  await checkHistory(s, A, 2025, D1);
  await denied(s, `/r/${enc(A)}/2025/history/${enc(D2)}`, "another department's history by URL");
  await denied(s, `/r/${enc(A)}/2025/diff/${enc(D2)}/phases/budget/execution`, "another department's diff by URL");
  // every department's history by URL: the API narrows it to its own
  await go(s, `/r/${enc(A)}/2025/history/-`);
  const depts = await s.page.locator('#history tbody tr').evaluateAll((els) => els.map((e) => e.children[4].textContent));
  eq([depts.length > 0, depts.every((t) => t.startsWith(D1))], [true, true], "department: every department's history by URL shows its own only");
  eq((await s.api(`/api/regions/${enc(A)}/payments?department=${enc(D2)}`)).status, 403,
    "department: the API refuses another department's payments");
  await denied(s, `/r/${enc(A)}/2025/dept/${enc(D2)}`, 'another department by URL');
  await checkPage(s, 'denied');
  await denied(s, `/r/${enc(A)}/2025`, "the region's overview by URL");
  await denied(s, `/r/${enc(A)}/2025/balance/gpb/all/budget`, "the region's balance by URL");
  await denied(s, `/r/${enc(B)}/2023/dept/${enc(D1)}`, 'another region by URL');
  // and the API itself refuses, whatever the page does
  const r = await s.api(`/api/regions/${enc(A)}/departments/${enc(D2)}/quota?year=2025`);
  eq(r.status, 403, 'department: the API refuses another department\'s 指标');
  await s.context.close();
}

// --- the public -------------------------------------------------------------------
{
  const s = await session('public');
  await go(s, '/');
  await checkPage(s, 'home');
  await s.page.getByLabel('地区').selectOption(B);
  await s.page.getByLabel('年度').fill('2023');
  await click(s, s.page.getByRole('button', { name: '查看' }));
  await checkOverview(s, B, 2023);
  await checkPage(s, 'overview');
  await denied(s, `/r/${enc(A)}/2024`, 'an unpublished year');
  await denied(s, `/r/${enc(A)}/2025/dept/${enc(D1)}`, "a department's 指标");
  await s.context.close();
}

await browser.close();
if (failures) {
  console.error(`page.mjs: ${failures} failure(s)`);
  process.exit(1);
}
console.log('page.mjs: all checks passed');
