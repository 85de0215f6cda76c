// app.js — fisc's web page: one plain page of views drawn from the HTTP API
// (docs/server.md) by hash routes, in Chinese. Every figure shown is the
// API's own text (or, for facts, its exact fen in 万元), and charts are
// the reports' chart definitions drawn by charts.js, the module the HTML
// reports use too. DOM is built with h(), never from HTML strings, so no
// name from the data can become markup.
//
//   #/                                 home: regions, sign in
//   #/r/R/Y                            overview of a region and year
//   #/r/R/Y/balance/BOOK/SCOPE/PHASE   balance table, 类→款→项, facts
//   #/r/R/Y/check                      check findings
//   #/r/R/Y/dept/D                     a department: 指标, payments, report
//   #/r/R/Y/downloads                  every report and table in every format
//   #/r/R/Y/history/D                  versions of the figures (D: a department, - all)
//   #/r/R/Y/diff/D/MODE/A/B            a budget compared between versions
//                                      (MODE versions: as of A, B), phases (A, B)
//                                      or years (Y against A)
//   #/audit                            audit a report's text
import { drawChart, drawable } from './charts.js';

const BOOKS = [['gpb', '一般公共预算'], ['gfb', '政府性基金预算'], ['soe', '国有资本经营预算'],
  ['ssf', '社会保险基金预算']];
const PHASES = [['budget', '预算'], ['adjusted', '调整预算'], ['execution', '执行']];
const SCOPES = [['all', 0], ['self', 1], ['lower', 2]];
const FORMATS = [['json', 'JSON'], ['html', 'HTML'], ['md', 'Markdown'], ['csv', 'CSV'],
  ['text', '文本（TSV）'], ['xlsx', 'Excel']];
const SEVERITY = { error: '错误', warning: '警告', info: '提示', pass: '通过' };

let me = { role: 'public', name: '', region: '', department: '' };
let regions = [];
let charts = [];     // drawn charts, disposed when the view changes
let pending = [];    // [element, block] to draw once the view is in the document

// --- DOM ---------------------------------------------------------------------

function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false)
      continue;
    if (k.startsWith('on'))
      el.addEventListener(k.slice(2), v);
    else if (k === 'text')
      el.textContent = v;
    else
      el.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined || kid === false)
      continue;
    el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

const main = () => document.getElementById('main');
const enc = encodeURIComponent;
const link = (hash, text, attrs = {}) => h('a', { href: '#' + hash, ...attrs }, text);
const unitLine = (unit = '万元') => h('div', { class: 'unit' }, '单位：' + unit);

function show(title, ...content) {
  for (const c of charts)
    c.dispose();
  charts = [];
  const m = main();
  m.replaceChildren(h('h1', {}, title), ...content.flat(Infinity).filter(Boolean));
  document.title = title + ' — fisc 预算管理';
  drawPending();
  m.focus({ preventScroll: true });
}

function drawPending() {
  for (const [el, block] of pending)
    if (el.isConnected)
      charts.push(drawChart(el, block));
  pending = [];
}

function alertBox(msg) {
  return h('div', { class: 'alert', role: 'alert' }, msg);
}

// --- the API ----------------------------------------------------------------

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message_zh || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

async function api(path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  if (opts.method && opts.method !== 'GET' && me.csrf)
    headers['X-CSRF-Token'] = me.csrf;
  const r = await fetch(path, { credentials: 'same-origin', ...opts, headers });
  const type = r.headers.get('content-type') || '';
  const body = type.startsWith('application/json') ? await r.json() : await r.text();
  if (!r.ok)
    throw new ApiError(r.status, body);
  return body;
}

// A denial or a missing table as a message in the page (and nothing else).
function denial(e) {
  if (e instanceof ApiError && (e.status === 401 || e.status === 403))
    return alertBox(`无权查看：${e.message}` + (e.status === 401 ? '（请先登录）' : ''));
  if (e instanceof ApiError && e.status === 404)
    return alertBox(`没有数据：${e.message}`);
  return alertBox(`出错了：${e.message}`);
}

// fen as 万元 with two decimals, half away from zero, grouped — exact
// (BigInt): how the page shows a fact's amount.
export function wan(fen) {
  let f = BigInt(fen);
  const neg = f < 0n;
  if (neg)
    f = -f;
  const cents = (f + 5000n) / 10000n; // 1 万元 = 1,000,000 fen; two decimals
  const int = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const dec = (cents % 100n).toString().padStart(2, '0');
  return (neg && cents ? '-' : '') + int + '.' + dec;
}

// --- rendering a report (doc JSON) -------------------------------------------

function cellText(c) {
  return c.type === 'empty' || c.type === 'covered' ? '' : c.text;
}

function docTable(t) {
  const fig = h('figure', { class: 'table' });
  if (t.unit && t.rows.length)
    fig.append(unitLine(t.unit));
  if (!t.rows.length) {
    fig.append(h('p', { class: 'notice' }, t.title + '：' + (t.empty || '（本表无数据。）')));
    return fig;
  }
  const thead = h('thead', {}, t.header.map((row) => h('tr', {}, row
    .filter((c) => c.type !== 'covered')
    .map((c) => h('th', { scope: 'col', colspan: c.colspan > 1 ? c.colspan : null,
      rowspan: c.rowspan > 1 ? c.rowspan : null }, cellText(c))))));
  const tbody = h('tbody', {}, t.rows.map((row) => h('tr', {}, row
    .filter((c) => c.type !== 'covered')
    .map((c) => {
      const num = c.type === 'amount' || c.type === 'percent' || c.type === 'number';
      const cls = [num ? 'num' : '', c.level ? 'l' + Math.min(c.level, 3) : '',
        c.strong ? 'strong' : ''].filter(Boolean).join(' ');
      return h('td', { class: cls || null, colspan: c.colspan > 1 ? c.colspan : null,
        rowspan: c.rowspan > 1 ? c.rowspan : null }, cellText(c));
    }))));
  fig.append(h('table', {}, h('caption', {}, t.title), thead, tbody));
  for (const n of t.notes)
    fig.append(h('p', { class: 'tnote' }, '注：' + n));
  return fig;
}

function chartFigure(block) {
  const el = h('div', { class: 'echart' });
  const fig = h('figure', { class: 'chart', 'data-title': block.title }, el);
  // drawn once the figure is in the document (ECharts measures it)
  pending.push([el, block]);
  return fig;
}

function docBlocks(doc, { headingShift = 1, only } = {}) {
  const out = [];
  for (const b of doc.blocks) {
    if (only && !only.includes(b.type))
      continue;
    if (b.type === 'heading')
      out.push(h('h' + Math.min(6, b.level + headingShift + 1), {}, b.text));
    else if (b.type === 'paragraph')
      out.push(h('p', {}, b.text));
    else if (b.type === 'note')
      out.push(h('p', { class: 'notice' }, '注：' + b.text));
    else if (b.type === 'table')
      out.push(docTable(b));
    else if (b.type === 'chart' && drawable(b))
      out.push(chartFigure(b));
  }
  return out;
}

// --- navigation ---------------------------------------------------------------

function regionName(code) {
  return regions.find((r) => r.code === code)?.name || code;
}

function drawNav(parts) {
  const items = [['/', '首页']];
  const [r, y] = parts[0] === 'r' ? [parts[1], parts[2]] : [me.region, null];
  if (parts[0] === 'r' && r && y) {
    if (me.role !== 'department') {
      items.push([`/r/${enc(r)}/${y}`, '总览']);
      items.push([`/r/${enc(r)}/${y}/balance/gpb/all/execution`, '收支平衡表']);
      items.push([`/r/${enc(r)}/${y}/check`, '检查结果']);
    }
    items.push([`/r/${enc(r)}/${y}/downloads`, '下载']);
    if (me.role === 'finance' || me.role === 'reviewer')
      items.push([`/r/${enc(r)}/${y}/history/-`, '历史与对比']);
  }
  if (me.role === 'department' && me.region && parts[0] === 'r' && y) {
    items.push([`/r/${enc(me.region)}/${y}/dept/${enc(me.department)}`, '本部门']);
    items.push([`/r/${enc(me.region)}/${y}/history/${enc(me.department)}`, '历史与对比']);
  }
  if (me.role !== 'public')
    items.push(['/audit', '报告审核']);
  const cur = location.hash.slice(1) || '/';
  document.getElementById('nav').replaceChildren(h('ul', {}, items.map(([hash, text]) =>
    h('li', {}, link(hash, text, { 'aria-current': cur === hash ? 'page' : null })))));
  const who = document.getElementById('who');
  if (me.role === 'public')
    who.replaceChildren(link('/login', '登录'), h('span', {}, '（当前为公众身份）'));
  else
    who.replaceChildren(h('span', { id: 'whoami' }, `${me.name}（${me.role_zh}` +
      (me.department ? `，${me.department}` : '') + `，${regionName(me.region)}）`),
    h('button', { class: 'plain', type: 'button', onclick: logout }, '退出'));
}

async function logout() {
  try {
    await api('/api/logout', { method: 'POST' });
  } catch (e) { /* an expired session is signed out already */ }
  me = await api('/api/me');
  location.hash = '#/';
  route();
}

// --- views ----------------------------------------------------------------------

// The years a signed-in user has data for (a department: its own), newest first.
async function yearsOf(r) {
  try {
    const page = await api(`/api/regions/${enc(r)}/facts?limit=1000`);
    return [...new Set(page.facts.map((f) => f.year))].sort((a, b) => b - a);
  } catch (e) {
    return [];
  }
}

async function home() {
  const region = h('select', { id: 'pick-region', name: 'region' },
    regions.map((r) => h('option', { value: r.code, selected: r.code === me.region || null },
      `${r.name}（${r.code}）`)));
  const year = h('input', { id: 'pick-year', name: 'year', type: 'number', min: 1949, max: 2200,
    value: 2023, required: true });
  const form = h('form', { class: 'inline', onsubmit: (e) => {
    e.preventDefault();
    location.hash = `#/r/${enc(region.value)}/${year.value}`;
  } }, h('label', { for: 'pick-region' }, '地区'), region, h('label', { for: 'pick-year' }, '年度'),
  year, h('button', { type: 'submit' }, '查看'));
  const intro = me.role === 'public'
    ? h('p', {}, '公众可查看已公开年度的报表、平衡表和检查结果；财政、部门和审查人员请',
      link('/login', '登录'), '。')
    : h('p', {}, `您以${me.role_zh}身份登录。`);
  const content = [intro];
  const years = me.role === 'public' ? [] : await yearsOf(me.region);
  if (me.role === 'department')
    content.push(h('h2', {}, '本部门'), h('ul', { id: 'years' }, years.map((y) => h('li', {},
      link(`/r/${enc(me.region)}/${y}/dept/${enc(me.department)}`, `${me.department} ${y}年`)))));
  else if (years.length)
    content.push(h('h2', {}, `${regionName(me.region)}`), h('ul', { id: 'years' }, years.map((y) => h('li', {},
      link(`/r/${enc(me.region)}/${y}`, `${y}年预算总览`)))));
  if (me.role !== 'department')
    content.push(h('h2', {}, '选择地区和年度'), form);
  content.push(h('h2', {}, '地区'), h('table', {}, h('caption', {}, '已建档的地区'),
    h('thead', {}, h('tr', {}, ['代码', '名称', '级次', '口径'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, regions.map((r) => h('tr', {}, h('td', {}, r.code), h('td', {}, r.name),
      h('td', {}, r.level), h('td', {}, r.scope_labels.join(' / ')))))));
  show('预算管理', ...content);
}

function loginView() {
  const name = h('input', { id: 'login-name', name: 'name', autocomplete: 'username', required: true });
  const pw = h('input', { id: 'login-password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true });
  const msg = h('div', { 'aria-live': 'assertive' });
  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    try {
      me = await api('/api/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: name.value, password: pw.value }) });
      me = { ...(await api('/api/me')), csrf: me.csrf };
      location.hash = '#/';
    } catch (err) {
      msg.replaceChildren(alertBox('登录失败：' + err.message));
    }
  } }, h('p', {}, h('label', { for: 'login-name' }, '用户名'), name),
  h('p', {}, h('label', { for: 'login-password' }, '密码'), pw),
  h('p', {}, h('button', { type: 'submit' }, '登录')), msg);
  show('登录', form);
}

const balancePath = (r, y, book, scope, phase) =>
  `/api/regions/${enc(r)}/balance?year=${y}&book=${book}&scope=${scope}&phase=${phase}&unit=万元`;

// The overview in one read (GET …/overview, fisc_overview_write): the four
// books' totals per phase, their statements, the reports' charts and, for
// finance and reviewers, 支出进度 per department and by month.
async function overview(r, y) {
  const name = regionName(r);
  const sections = [h('p', { class: 'crumbs' }, link('/', '首页'), ' › ', `${name} ${y}年`)];
  let o;
  try {
    o = await api(`/api/regions/${enc(r)}/overview?year=${y}`);
  } catch (e) {
    show(`${name} ${y}年预算总览`, ...sections, denial(e));
    return;
  }
  const text = (m) => m?.text || '—';
  // 预算 / 调整预算 / 执行 per book: 收入总计 and 支出总计 of each balance
  const rows = o.books.map((b) => ({ book: b.book, bookName: b.name, cells: PHASES.map(([phase]) =>
    ({ inc: text(b.phases[phase]?.income_total), exp: text(b.phases[phase]?.expense_total) })) }));
  sections.push(h('h2', {}, '四本预算：预算、调整预算与执行'), unitLine(o.unit),
    h('table', { id: 'books' }, h('caption', {}, `${name}${y}年全口径收支总计`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', rowspan: 2 }, '预算'),
        h('th', { scope: 'colgroup', colspan: 3 }, '收入总计'),
        h('th', { scope: 'colgroup', colspan: 3 }, '支出总计')),
      h('tr', {}, [...PHASES, ...PHASES].map(([, p]) => h('th', { scope: 'col' }, p)))),
      h('tbody', {}, rows.map(({ book, bookName, cells }) => h('tr', { 'data-book': book },
        h('th', { scope: 'row' }, link(`/r/${enc(r)}/${y}/balance/${book}/all/execution`, bookName)),
        cells.map((c, i) => h('td', { class: 'num', 'data-phase': PHASES[i][0], 'data-side': 'income' },
          c.inc)),
        cells.map((c, i) => h('td', { class: 'num', 'data-phase': PHASES[i][0], 'data-side': 'expense' },
          c.exp)))))));
  // the four balance statements (执行; the budget when there is no execution)
  sections.push(h('h2', {}, '四本预算收支平衡说明'));
  for (const b of o.books) {
    const paras = b.statement?.paragraphs || [];
    sections.push(h('h3', {}, b.name), ...(paras.length
      ? paras.map((p) => h('p', { class: 'statement', 'data-book': b.book }, p))
      : [h('p', { class: 'notice' }, '本年度无该本预算的数据。')]));
  }
  // the reports' charts: revenue and expenditure structure, year on year, debt
  sections.push(h('h2', {}, '收支结构与政府债务'));
  const drawn = o.charts.filter(drawable);
  sections.push(drawn.length ? h('div', { class: 'grid2' }, drawn.map(chartFigure))
    : h('p', { class: 'notice' }, '本年度报告中没有图表数据。'));
  // 支出进度 of the departments (指标 ledger), for those who may read it
  if (me.role === 'finance' || me.role === 'reviewer') {
    sections.push(h('h2', {}, '各部门支出进度'));
    sections.push(o.progress ? [progressTable(r, y, o.progress.departments), monthTable(y, o.progress.months)]
      : h('p', { class: 'notice' }, '本年度尚未下达指标。'));
  }
  show(`${name} ${y}年预算总览`, ...sections);
}

const pctText = (p) => (p === null || p === undefined ? '—' : p + '%');

function progressTable(r, y, depts) {
  return [unitLine(), h('table', { id: 'progress' }, h('caption', {}, '指标执行情况'),
    h('thead', {}, h('tr', {}, ['部门', '指标', '已支付', '在途', '可用', '支出进度']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, depts.map((d) => h('tr', {},
      h('th', { scope: 'row' }, link(`/r/${enc(r)}/${y}/dept/${enc(d.department)}`, d.department)),
      ['quota', 'paid', 'pending', 'available'].map((k) => h('td', { class: 'num' }, d[k].text)),
      h('td', { class: 'num' }, pctText(d.progress_pct))))))];
}

// The region's 支出进度 by month: what was paid each month on all its lines
// of the year, against the sum of their 指标.
function monthTable(y, months) {
  return [h('h3', {}, '按月支出进度（各部门合计）'), unitLine(), h('table', { id: 'region-months' },
    h('caption', {}, `${y}年各月已支付及累计支出进度`),
    h('thead', {}, h('tr', {}, ['月份', '当月已支付', '累计已支付', '累计支出进度'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, months.map((m) => h('tr', {}, h('th', { scope: 'row' }, `${m.month}月`),
      [m.paid.text, m.cumulative.text, pctText(m.progress_pct)].map((c) => h('td', { class: 'num' }, c))))))];
}

// Balance table with each figure a button to the facts behind it.
async function balanceView(r, y, book, scope, phase) {
  const name = regionName(r);
  const pick = (id, label, opts, value) => h('label', {}, label + ' ', h('select', { id, onchange: go },
    opts.map(([v, t]) => h('option', { value: v, selected: v === value || null }, t))));
  const region = regions.find((x) => x.code === r);
  const scopeOpts = SCOPES.map(([s, i]) => [s, region ? region.scope_labels[i] : s]);
  function go() {
    const v = (id) => document.getElementById(id).value;
    location.hash = `#/r/${enc(r)}/${y}/balance/${v('sel-book')}/${v('sel-scope')}/${v('sel-phase')}`;
  }
  const form = h('form', { class: 'inline', 'aria-label': '选择平衡表' },
    pick('sel-book', '预算', BOOKS, book), pick('sel-scope', '口径', scopeOpts, scope),
    pick('sel-phase', '阶段', PHASES, phase));
  const content = [h('p', { class: 'crumbs' }, link('/', '首页'), ' › ',
    link(`/r/${enc(r)}/${y}`, `${name} ${y}年`), ' › 收支平衡表'), form];
  let b;
  try {
    b = await api(balancePath(r, y, book, scope, phase));
  } catch (e) {
    show(`${name} ${y}年收支平衡表`, ...content, denial(e));
    return;
  }
  const facts = h('section', { id: 'facts', 'aria-live': 'polite' });
  const side = (lines, which) => lines.map((l) => h('tr', { 'data-line': l.line },
    h('td', { class: l.level ? 'l' + Math.min(l.level, 3) : 'strong' }, l.label),
    h('td', { class: 'num' + (l.level ? '' : ' strong') }, l.text === '' || l.fen === null ? '' :
      h('button', { class: 'fig', type: 'button', 'data-side': which, 'data-line': l.line,
        'aria-label': `${l.label} ${l.text}万元：查看依据`,
        onclick: () => showFacts(facts, r, y, { book, scope, phase, item: l.line, label: l.label }) },
      l.text))));
  content.push(unitLine(b.unit), h('div', { class: 'grid2' },
    h('table', { id: 'income' }, h('caption', {}, '收入'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '项目'), h('th', { scope: 'col' }, b.amount_label))),
      h('tbody', {}, side(b.income, 'income'))),
    h('table', { id: 'expense' }, h('caption', {}, '支出'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '项目'), h('th', { scope: 'col' }, b.amount_label))),
      h('tbody', {}, side(b.expense, 'expense')))), facts);
  content.push(h('h2', {}, '支出功能分类（类 → 款 → 项）'), h('div', { id: 'drill' }));
  show(b.title, ...content);
  drill(document.getElementById('drill'), r, y, book, scope, phase, facts);
}

async function allFacts(r, y, q) {
  const out = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await api(`/api/regions/${enc(r)}/facts?year=${y}&book=${q.book}&scope=${q.scope}` +
      `&phase=${q.phase}&limit=1000&offset=${offset}`);
    out.push(...page.facts);
    if (out.length >= page.total || !page.facts.length)
      return out;
  }
}

async function showFacts(box, r, y, q) {
  box.replaceChildren(h('h2', { tabindex: -1 }, `依据：${q.label}`));
  try {
    const fs = (await allFacts(r, y, q)).filter((f) => f.item === q.item);
    box.append(fs.length ? factsTable(fs, r)
      : h('p', { class: 'notice' }, '该数字由平衡表从其他数据推算得出，没有直接对应的原始数据。'));
  } catch (e) {
    box.append(denial(e));
  }
  box.querySelector('h2').focus();
}

function factsTable(fs, r) {
  const versions = h('section', { class: 'fact-versions', 'aria-live': 'polite' });
  return h('div', { class: 'facts' }, unitLine(), h('table', { class: 'facts-table' },
    h('caption', {}, '原始数据（事实）及其来源文件'),
    h('thead', {}, h('tr', {}, ['编号', '科目', '名称', '部门', '金额', '来源（文件:行）', '说明', '版本与文件']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, fs.map((f) => h('tr', { 'data-fact': f.id }, h('td', {}, f.id), h('td', {}, f.item),
      h('td', {}, f.item_name || ''), h('td', {}, f.department),
      h('td', { class: 'num', 'data-fen': f.fen }, f.fen === null ? '—' : wan(f.fen)),
      h('td', {}, f.source), h('td', {}, f.note),
      h('td', {}, h('button', { class: 'plain ver', type: 'button', 'aria-label': `第 ${f.id} 条数据的版本、文件和日志`,
        onclick: () => showVersions(versions, r, f) }, '查看')))))), versions);
}

// A fact's versions (GET …/facts/{id}): each with the document that
// established it and the journal entry that recorded that document.
async function showVersions(box, r, f) {
  box.replaceChildren(h('h3', { tabindex: -1 }, `第 ${f.id} 条数据（${f.item} ${f.item_name || ''}）的版本`));
  try {
    const v = await api(`/api/regions/${enc(r)}/facts/${f.id}`);
    box.append(h('table', { class: 'versions-table' }, h('caption', {}, '各版本及其依据文件、日志条目'),
      h('thead', {}, h('tr', {}, ['版本', '金额', '状态', '依据文件', '日期', '作者', '理由', '出处', '日志条目']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, v.versions.map((x) => h('tr', { 'data-version': x.version },
        h('td', {}, String(x.version)), h('td', { class: 'num' }, x.text || '空白'), h('td', {}, x.state_zh),
        h('td', {}, x.document.label), h('td', {}, x.document.date ? dateText(x.document.date) : (x.document.created || '')),
        h('td', {}, x.document.author || ''), h('td', {}, x.document.reason || ''), h('td', {}, x.source),
        h('td', { class: 'journal' }, x.document.journal ? [`#${x.document.journal.seq} `,
          h('code', { title: x.document.journal.hash }, x.document.journal.hash.slice(0, 16) + '…')] : '—'))))));
  } catch (e) {
    box.append(denial(e));
  }
  box.querySelector('h3').focus();
}

const dateText = (d) => `${String(d).slice(0, 4)}-${String(d).slice(4, 6)}-${String(d).slice(6, 8)}`;

// 类 → 款 → 项: the facts with a 功能分类 code, summed per code (exact, BigInt).
async function drill(box, r, y, book, scope, phase, factsBox) {
  let fs;
  try {
    fs = (await allFacts(r, y, { book, scope, phase })).filter((f) => /^2\d{2}(\d{2}){0,2}$/.test(f.item) &&
      f.fen !== null);
  } catch (e) {
    box.replaceChildren(denial(e));
    return;
  }
  if (!fs.length) {
    box.replaceChildren(h('p', { class: 'notice' }, '没有按功能分类的支出数据。'));
    return;
  }
  const level = (prefix) => {
    const len = prefix.length === 0 ? 3 : prefix.length + 2;
    const sums = new Map();
    for (const f of fs) {
      if (f.item.length !== len || !f.item.startsWith(prefix))
        continue;
      const s = sums.get(f.item) || { fen: 0n, name: f.item_name, n: 0 };
      s.fen += BigInt(f.fen);
      s.n++;
      sums.set(f.item, s);
    }
    return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b));
  };
  const names = { 3: '类', 5: '款', 7: '项' };
  const render = (prefix) => {
    const rows = level(prefix);
    const len = prefix.length === 0 ? 3 : prefix.length + 2;
    box.replaceChildren(
      h('p', { class: 'crumbs' }, prefix ? h('button', { class: 'plain', type: 'button',
        onclick: () => render(prefix.length > 3 ? prefix.slice(0, prefix.length - 2) : '') }, '返回上一级')
        : '', prefix ? ` 当前：${prefix}` : ''),
      unitLine(),
      rows.length ? h('table', { id: 'drill-table' }, h('caption', {}, `按${names[len]}`),
        h('thead', {}, h('tr', {}, ['科目编码', '科目名称', '金额', '下级'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.map(([code, s]) => h('tr', { 'data-code': code }, h('td', {}, code),
          h('td', {}, s.name || ''),
          h('td', { class: 'num' }, h('button', { class: 'fig', type: 'button',
            onclick: () => { factsBox.replaceChildren(h('h2', {}, `依据：${code} ${s.name || ''}`),
              factsTable(fs.filter((f) => f.item === code), r)); } }, wan(s.fen))),
          h('td', {}, len < 7 && level(code).length
            ? h('button', { class: 'plain', type: 'button', onclick: () => render(code) }, `展开${names[len + 2]}`)
            : '')))))
        : h('p', { class: 'notice' }, '没有下级科目的数据。'));
  };
  render('');
}

async function checkView(r, y) {
  const name = regionName(r);
  const content = [h('p', { class: 'crumbs' }, link('/', '首页'), ' › ',
    link(`/r/${enc(r)}/${y}`, `${name} ${y}年`), ' › 检查结果')];
  let res;
  try {
    res = await api(`/api/regions/${enc(r)}/check?year=${y}&all=1`);
  } catch (e) {
    show(`${name} ${y}年检查结果`, ...content, denial(e));
    return;
  }
  const s = res.summary;
  content.push(h('p', { id: 'check-summary' }, `共 ${s.facts} 条数据、${s.checks} 项检查：`,
    `错误 ${s.findings.error}，警告 ${s.findings.warning}，提示 ${s.findings.info}，通过 ${s.findings.pass}。`));
  const shown = res.findings.filter((f) => f.severity !== 'pass');
  content.push(shown.length ? h('ol', { class: 'findings' }, shown.map((f) => h('li', { 'data-rule': f.rule },
    h('span', { class: 'sev-' + f.severity }, `［${SEVERITY[f.severity] || f.severity}］`), ' ', f.message_zh,
    f.stated || f.computed ? h('div', {}, f.stated ? `陈述：${f.stated.text}` : '',
      f.computed ? `　计算：${f.computed.text}` : '') : '',
    f.book ? h('div', {}, link(`/r/${enc(r)}/${f.year || y}/balance/${f.book}/${f.scope || 'all'}/${f.phase || 'execution'}`,
      '查看对应的平衡表')) : '',
    f.facts?.length ? h('details', {}, h('summary', {}, `涉及的 ${f.facts.length} 条数据及其来源`),
      h('ul', {}, f.facts.map((x) => h('li', {}, `${x.name || x.item}：${x.amount?.text ?? '—'}（${x.source}）`))))
      : ''))) : h('p', { class: 'notice' }, '全部检查通过。'));
  show(`${name} ${y}年检查结果`, ...content);
}

async function deptView(r, y, d) {
  const content = [h('p', { class: 'crumbs' }, link('/', '首页'), ' › ', `${regionName(r)} ${y}年`, ' › ', d)];
  let q;
  try {
    q = await api(`/api/regions/${enc(r)}/departments/${enc(d)}/quota?year=${y}`);
  } catch (e) {
    show(`部门：${d}`, ...content, denial(e));
    return;
  }
  content.push(h('h2', {}, '指标与可用额度'));
  if (!q.lines.length) {
    content.push(h('p', { class: 'notice' }, '本年度尚未下达指标。'));
  } else {
    const docsBox = h('section', { id: 'line-docs', 'aria-live': 'polite' });
    content.push(unitLine(q.unit), h('table', { id: 'quota' }, h('caption', {}, '指标行'),
      h('thead', {}, h('tr', {}, ['行', '项目', '功能分类', '经济分类', '资金来源', '支出类型', '指标', '已支付',
        '在途', '可用', '支出进度'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, q.lines.map((l) => h('tr', { 'data-line': l.line }, h('td', {}, l.line),
        h('td', {}, l.project), h('td', {}, l.function), h('td', {}, l.economic),
        h('td', {}, l.fund_source + (l.fund_doc ? ' ' + l.fund_doc : '')), h('td', {}, l.expense_kind),
        h('td', { class: 'num' }, h('button', { class: 'fig', type: 'button', 'aria-label': `指标 ${l.quota.text}万元：查看文件和日志`,
          onclick: () => {
            docsBox.replaceChildren(h('h3', {}, `第 ${l.line} 行的指标文件`), h('table', { id: 'line-documents' },
              h('thead', {}, h('tr', {}, ['文号', '日期', '类型', '金额'].map((t) => h('th', { scope: 'col' }, t)))),
              h('tbody', {}, l.documents.map((x) => h('tr', {}, h('td', {}, x.no), h('td', {}, String(x.date)),
                h('td', {}, x.kind), h('td', { class: 'num' }, x.text))))),
            h('h3', {}, `第 ${l.line} 行的日志记录`), l.journal.length ? h('table', { id: 'line-journal' },
              h('thead', {}, h('tr', {}, ['序号', '类型', '文号或申请号', '哈希'].map((t) => h('th', { scope: 'col' }, t)))),
              h('tbody', {}, l.journal.map((x) => h('tr', {}, h('td', {}, String(x.seq)), h('td', {}, x.kind),
                h('td', {}, x.ref), h('td', {}, h('code', {}, x.hash.slice(0, 16) + '…'))))))
              : h('p', { class: 'notice' }, '没有日志记录。'));
          } }, l.quota.text)),
        ['paid', 'pending', 'available'].map((k) => h('td', { class: 'num', 'data-k': k }, l[k].text)),
        h('td', { class: 'num' }, l.progress_pct === null ? '—' : l.progress_pct + '%')))),
      h('tfoot', {}, h('tr', { class: 'strong' }, h('td', { colspan: 6 }, '合计'),
        ['quota', 'paid', 'pending', 'available'].map((k) => h('td', { class: 'num', 'data-total': k }, q.total[k].text)),
        h('td', { class: 'num' }, q.total.progress_pct === null ? '—' : q.total.progress_pct + '%')))), docsBox);
    const canPay = me.region === r && (me.role === 'finance' || (me.role === 'department' && me.department === d));
    content.push(h('h2', {}, '支付申请'), flashBox(), q.payments.length ? h('table', { id: 'payments' },
      h('caption', {}, '本部门的支付申请及其状态'),
      h('thead', {}, h('tr', {}, ['申请号', '指标行', '收款人', '用途', '金额', '状态', '支付日期', '已退款',
        ...(canPay ? ['操作'] : [])].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, q.payments.map((p) => h('tr', { 'data-key': p.key }, h('td', {}, p.key), h('td', {}, p.line),
        h('td', {}, p.payee), h('td', {}, p.purpose), h('td', { class: 'num' }, p.text), h('td', {}, p.state),
        h('td', {}, p.paid_on ? String(p.paid_on) : '—'), h('td', { class: 'num' }, p.refunded.text),
        canPay ? h('td', {}, paymentActions(r, p)) : null))))
      : h('p', { class: 'notice' }, '暂无支付申请。'));
    if (canPay)
      content.push(h('h3', {}, '提交支付申请'), paymentForm(r, q));
    content.push(h('h2', {}, '支出进度（按月）'), unitLine(q.unit), h('table', { id: 'months' },
      h('caption', {}, `${y}年各月已支付及累计支出进度`),
      h('thead', {}, h('tr', {}, ['月份', '当月已支付', '累计已支付', '累计支出进度'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, q.months.map((m) => h('tr', {}, h('th', { scope: 'row' }, `${m.month}月`),
        h('td', { class: 'num' }, m.text), h('td', { class: 'num' }, m.cumulative.text),
        h('td', { class: 'num' }, m.progress_pct === null ? '—' : m.progress_pct + '%'))))));
  }
  content.push(h('h2', {}, '部门预算'));
  try {
    const doc = await api(`/api/regions/${enc(r)}/departments/${enc(d)}/reports/department?year=${y}`);
    content.push(h('div', { id: 'dept-report' }, ...docBlocks(doc)));
  } catch (e) {
    content.push(denial(e));
  }
  content.push(h('h2', {}, '下载'), h('ul', { class: 'downloads' }, ['department', 'performance'].flatMap((k) =>
    FORMATS.map(([f, t]) => h('li', {}, h('a', { href: `/api/regions/${enc(r)}/departments/${enc(d)}/reports/${k}` +
      `?year=${y}&format=${f}`, download: f === 'xlsx' || f === 'csv' ? '' : null },
    `${k === 'department' ? '部门预算' : '绩效自评'}（${t}）`))))));
  show(`部门：${d}`, ...content);
}

// --- payments --------------------------------------------------------------------

// What the last payment action said, shown once above the payments when the
// department view is drawn again with their new states.
let flash = null;

function flashBox() {
  const f = flash;
  flash = null;
  if (!f)
    return null;
  return f.ok ? h('p', { class: 'notice', id: 'pay-flash', role: 'status' }, f.text)
    : h('div', { class: 'alert', id: 'pay-flash', role: 'alert' }, f.text);
}

// An Idempotency-Key: 128 random bits as hex.
function newKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return 'web-' + [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

// One key per submission: the same content sent again (a retry after a
// lost answer, or a second click) reuses it, so the server pays once and
// answers the repeat as a replay; new content gets a new key.
const submissions = new Map(); // form id → { body, key }
function keyFor(form, body) {
  const s = submissions.get(form);
  if (s && s.body === body)
    return s.key;
  const key = newKey();
  submissions.set(form, { body, key });
  return key;
}

// Send a ledger request; on a definitive answer draw the view again with
// the message, on a refusal keep the form as it is with the message under it.
async function ledgerSend(form, path, body, done, msg, headers = {}) {
  const btns = form ? form.querySelectorAll('button') : [];
  if (form?.dataset.busy)
    return; // a second click while the first is under way
  if (form)
    form.dataset.busy = '1';
  for (const b of btns)
    b.disabled = true;
  try {
    const res = await api(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
    submissions.delete(form?.id);
    flash = { ok: true, text: done(res) };
    await route();
  } catch (err) {
    const text = err instanceof ApiError ? `拒绝：${err.message}` : `未能送达（可再次提交，不会重复支付）：${err.message}`;
    if (msg)
      msg.replaceChildren(alertBox(text));
    else {
      flash = { ok: false, text };
      await route();
    }
  } finally {
    if (form)
      delete form.dataset.busy;
    for (const b of btns)
      b.disabled = false;
  }
}

function paymentForm(r, q) {
  const line = h('select', { id: 'pay-line', name: 'line', required: true }, q.lines.map((l) =>
    h('option', { value: l.line }, `第 ${l.line} 行 ${l.project || l.function || l.economic}（可用 ${l.available.text} 万元）`)));
  const amount = h('input', { id: 'pay-amount', name: 'amount', required: true, inputmode: 'decimal',
    placeholder: '如 1000.50 或 12 万元' });
  const payee = h('input', { id: 'pay-payee', name: 'payee', required: true });
  const purpose = h('input', { id: 'pay-purpose', name: 'purpose' });
  const msg = h('div', { id: 'pay-msg', 'aria-live': 'assertive' });
  const form = h('form', { id: 'pay-form', onsubmit: (e) => {
    e.preventDefault();
    msg.replaceChildren();
    const body = JSON.stringify({ line: Number(line.value), amount: amount.value.trim(), payee: payee.value.trim(),
      purpose: purpose.value.trim() });
    ledgerSend(form, `/api/regions/${enc(r)}/payments`, body, (res) => (res.replay ? '该申请已提交过，未重复支付。' : '') +
      `支付申请 ${res.key}：${res.state_zh}。第 ${res.line} 行指标 ${res.line_figures.quota} 元，已支付 ` +
      `${res.line_figures.paid} 元，在途 ${res.line_figures.pending} 元，可用 ${res.line_figures.available} 元。`,
    msg, { 'Idempotency-Key': keyFor('pay-form', body) });
  } }, h('p', {}, h('label', { for: 'pay-line' }, '指标行'), line),
  h('p', {}, h('label', { for: 'pay-amount' }, '金额（元）'), amount, h('label', { for: 'pay-payee' }, '收款人'), payee,
    h('label', { for: 'pay-purpose' }, '用途'), purpose),
  h('p', {}, h('button', { type: 'submit' }, '提交支付申请')), msg);
  return form;
}

// Finance confirms, voids and refunds; a department may void its own
// request while it is pending (what the API allows each).
function paymentActions(r, p) {
  const base = `/api/regions/${enc(r)}/payments/${enc(p.key)}`;
  const out = [];
  const act = (label, path, done) => h('button', { class: 'plain', type: 'button', 'aria-label': `${label} ${p.key}`,
    onclick: () => ledgerSend(null, base + path, '{}', done) }, label);
  if (p.state === '在途' && me.role === 'finance')
    out.push(act('确认支付', '/confirm', () => `${p.key} 已确认支付。`));
  if (p.state === '在途')
    out.push(' ', act('退回', '/void', () => `${p.key} 已退回，额度恢复可用。`));
  if (p.state === '已支付' && me.role === 'finance') {
    const id = 'refund-' + p.key.replace(/[^A-Za-z0-9_-]/g, '_');
    const amt = h('input', { id: id + '-amount', size: 10, required: true, 'aria-label': `${p.key} 的退款金额（元）` });
    const form = h('form', { class: 'inline', id, onsubmit: (e) => {
      e.preventDefault();
      const body = JSON.stringify({ amount: amt.value.trim() });
      ledgerSend(form, base + '/refunds', body, () => `${p.key} 已退款 ${amt.value.trim()} 元。`, null,
        { 'Idempotency-Key': keyFor(id, body) });
    } }, amt, h('button', { class: 'plain', type: 'submit' }, '退款'));
    out.push(form);
  }
  return out.length ? out : '—';
}

async function downloadsView(r, y) {
  const name = regionName(r);
  const a = (href, text) => h('li', {}, h('a', { href }, text));
  const list = [];
  if (me.role !== 'department') {
    for (const [kind, label] of [['congress', '预算执行和预算草案的报告'], ['debt', '政府债务情况']])
      for (const [f, t] of FORMATS)
        list.push(a(`/api/regions/${enc(r)}/reports/${kind}?year=${y}&format=${f}`, `${label}（${t}）`));
    for (const [book, bookName] of BOOKS)
      for (const [phase, phaseName] of PHASES)
        for (const [f, t] of FORMATS) {
          list.push(a(balancePath(r, y, book, 'all', phase) + `&format=${f}`, `${bookName}收支平衡表·${phaseName}（${t}）`));
          list.push(a(`/api/regions/${enc(r)}/statement?year=${y}&book=${book}&scope=all&phase=${phase}&format=${f}`,
            `${bookName}平衡说明·${phaseName}（${t}）`));
        }
  }
  let depts = [];
  try {
    depts = (await api(`/api/regions/${enc(r)}/departments?year=${y}`)).departments;
  } catch (e) { /* the public: no department list */ }
  for (const d of depts)
    for (const [kind, label] of [['department', '部门预算'], ['performance', '绩效自评']])
      for (const [f, t] of FORMATS)
        list.push(a(`/api/regions/${enc(r)}/departments/${enc(d)}/reports/${kind}?year=${y}&format=${f}`,
          `${d} ${label}（${t}）`));
  show(`${name} ${y}年报表下载`, h('p', {}, '每张报表和平衡表均可下载为 JSON、HTML、Markdown、CSV、文本和 Excel 格式。'),
    h('ul', { class: 'downloads' }, list));
}

function auditView() {
  const text = h('textarea', { id: 'audit-text', name: 'text' });
  const file = h('input', { id: 'audit-file', type: 'file', accept: '.txt,text/plain', onchange: async () => {
    if (file.files[0])
      text.value = await file.files[0].text();
  } });
  const out = h('section', { id: 'audit-result', 'aria-live': 'polite' });
  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    out.replaceChildren(h('p', {}, '正在审核……'));
    try {
      const send = (format) => api(`/api/audit?format=${format}&name=` + enc(file.files[0]?.name || '报告.txt'),
        { method: 'POST', headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: text.value });
      const [res, html] = await Promise.all([send('json'), send('html')]);
      auditResult(out, res.files[0], html);
    } catch (err) {
      out.replaceChildren(denial(err));
    }
  } }, h('p', {}, h('label', { for: 'audit-file' }, '选择报告文本文件'), file),
  h('p', {}, h('label', { for: 'audit-text' }, '或粘贴报告全文'), text),
  h('p', {}, h('button', { type: 'submit' }, '审核')));
  show('报告审核', h('p', {}, '核对报告中陈述的每个数字（合计、平衡关系、百分比、表格），指出有问题的行。'), form, out);
}

// Findings, each linked to its line of the document; the document below as
// `fisc audit --format html` writes it (every checked figure marked by its
// verdict, each finding beside its line), in a frame that runs no script;
// a finding's link brings its line into view, outlined.
function auditResult(box, file, html) {
  const frame = h('iframe', { id: 'audit-frame', class: 'doc', title: '报告原文：核对过的数字按结论着色',
    sandbox: 'allow-same-origin', srcdoc: html });
  const highlight = (f) => {
    const doc = frame.contentDocument;
    const line = doc?.getElementById('L' + f.line);
    if (!line)
      return;
    for (const x of doc.querySelectorAll('.hit')) {
      x.classList.remove('hit');
      x.style.outline = '';
    }
    line.classList.add('hit');
    line.style.outline = '3px solid #e09f00';
    line.scrollIntoView({ block: 'center' });
  };
  const shown = file.findings.filter((f) => f.severity !== 'pass');
  box.replaceChildren(h('h2', {}, `审核结果：${shown.length} 处`),
    shown.length ? h('ol', { class: 'findings' }, shown.map((f) => h('li', {},
      h('span', { class: 'sev-' + f.severity }, `［${SEVERITY[f.severity] || f.severity}］`), ' ',
      h('a', { href: '#L' + f.line, onclick: (e) => { e.preventDefault(); highlight(f); } }, `第 ${f.line} 行`),
      '：', f.message_zh))) : h('p', { class: 'notice' }, '没有发现问题。'),
    h('h2', {}, '报告原文（绿色：核对成立；黄色：舍入范围内或存疑；红色：错误）'), frame);
}

// --- history and diff -------------------------------------------------------------

const DIFF_MODES = [['versions', '两个版本（文件或日期）'], ['phases', '两个阶段'], ['years', '两个年度']];

// The form that opens a diff; d is the department ('-': all of them).
function diffForm(r, y, d, mode = 'versions', a = '', b = '') {
  const sel = h('select', { id: 'diff-mode', name: 'mode' },
    DIFF_MODES.map(([v, t]) => h('option', { value: v, selected: v === mode || null }, t)));
  const left = h('input', { id: 'diff-a', name: 'a', value: a === '-' ? '' : a, placeholder: '如 #1、2024-03-01、预算、2023' });
  const right = h('input', { id: 'diff-b', name: 'b', value: b === '-' ? '' : b, placeholder: '留空为现行' });
  return h('form', { class: 'inline', id: 'diff-form', 'aria-label': '对比', onsubmit: (e) => {
    e.preventDefault();
    const v = (x) => enc(x.value.trim() || '-');
    location.hash = `#/r/${enc(r)}/${y}/diff/${enc(d)}/${sel.value}/${v(left)}/${v(right)}`;
  } }, h('label', { for: 'diff-mode' }, '对比方式'), sel,
  h('label', { for: 'diff-a' }, '左边（版本、阶段或年度）'), left,
  h('label', { for: 'diff-b' }, '右边'), right, h('button', { type: 'submit' }, '对比'));
}

function deptArg(d) {
  return d && d !== '-' ? `&department=${enc(d)}` : '';
}

async function historyView(r, y, d) {
  const name = regionName(r);
  const who = d === '-' ? '全部部门' : d;
  const content = [h('p', { class: 'crumbs' }, link('/', '首页'), ' › ', `${name} ${y}年`, ' › 历史与对比 › ', who)];
  let doc;
  try {
    doc = await api(`/api/regions/${enc(r)}/history?year=${y}${deptArg(d)}`);
  } catch (e) {
    show(`${name} ${y}年数据的历史`, ...content, denial(e));
    return;
  }
  content.push(h('p', {}, '每个数都保留全部版本：导入或修正文件（文号、日期、作者、理由）确立新版本，旧版本不被覆盖。'),
    h('h2', {}, '对比'), diffForm(r, y, d),
    h('p', {}, '常用：', link(`/r/${enc(r)}/${y}/diff/${enc(d)}/phases/budget/execution`, '预算与执行'), '、',
      link(`/r/${enc(r)}/${y}/diff/${enc(d)}/years/${Number(y) - 1}/-`, `${Number(y) - 1}年与${y}年`), '、',
      link(`/r/${enc(r)}/${y}/diff/${enc(d)}/versions/%231/-`, '首次导入与现行')),
    h('h2', {}, '各数的版本'), h('div', { id: 'history' }, docBlocks(doc)));
  show(`${name} ${y}年数据的历史（${who}）`, ...content);
}

// mode versions: as of a against as of b ('-': current); phases: phase a
// against phase b; years: year a against year y.
async function diffView(r, y, d, mode, a = '-', b = '-') {
  const name = regionName(r);
  const q = mode === 'years' ? `year=${enc(a)}&vs_year=${y}`
    : mode === 'phases' ? `year=${y}&phase=${enc(a)}&vs_phase=${enc(b)}`
      : `year=${y}` + (a !== '-' ? `&as_of=${enc(a)}` : '') + `&vs_as_of=${b !== '-' ? enc(b) : ''}`;
  const content = [h('p', { class: 'crumbs' }, link('/', '首页'), ' › ', `${name} ${y}年`, ' › ',
    link(`/r/${enc(r)}/${y}/history/${enc(d)}`, '历史与对比'), ' › 对比'), diffForm(r, y, d, mode, a, b)];
  if (mode === 'versions' && b === '-' && a === '-') {
    show(`${name} ${y}年对比`, ...content, alertBox('请至少指定一边的版本（文件编号 #N、文号或日期）。'));
    return;
  }
  let doc;
  try {
    // vs_as_of= (empty) is the store as it is now
    doc = await api(`/api/regions/${enc(r)}/diff?${q}${deptArg(d)}`);
  } catch (e) {
    show(`${name} ${y}年对比`, ...content, denial(e));
    return;
  }
  show(doc.subtitle || `${name} ${y}年对比`, ...content, h('div', { id: 'diff' }, docBlocks(doc)));
}

// --- the router ---------------------------------------------------------------

async function route() {
  delete document.body.dataset.ready;
  const parts = (location.hash.replace(/^#\/?/, '') || '').split('/').filter(Boolean).map(decodeURIComponent);
  drawNav(parts);
  try {
    await view(parts);
  } finally {
    // tests wait for this: the view is drawn, its requests answered
    document.body.dataset.ready = '1';
  }
}

async function view(parts) {
  try {
    if (parts[0] === 'login')
      return loginView();
    if (parts[0] === 'audit')
      return auditView();
    if (parts.length === 0)
      return await home();
    if (parts[0] === 'r' && parts.length >= 3) {
      const [, r, y, view, ...rest] = parts;
      if (!/^\d{4}$/.test(y))
        return show('无效的年度', alertBox('年度应为四位数字。'));
      if (!view)
        return await overview(r, y);
      if (view === 'balance')
        return await balanceView(r, y, rest[0] || 'gpb', rest[1] || 'all', rest[2] || 'execution');
      if (view === 'check')
        return await checkView(r, y);
      if (view === 'dept' && rest[0])
        return await deptView(r, y, rest[0]);
      if (view === 'downloads')
        return await downloadsView(r, y);
      if (view === 'history')
        return await historyView(r, y, rest[0] || '-');
      if (view === 'diff' && rest.length >= 3)
        return await diffView(r, y, rest[0], rest[1], rest[2], rest[3]);
    }
    return await home();
  } catch (e) {
    show('出错了', denial(e));
  }
}

async function start() {
  [me, regions] = await Promise.all([api('/api/me'), api('/api/regions')]);
  window.addEventListener('hashchange', route);
  await route();
}

start().catch((e) => main().replaceChildren(alertBox('无法连接服务器：' + e.message)));
