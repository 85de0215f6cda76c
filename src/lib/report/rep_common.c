/*
** rep_common.c — the shared machinery of the document reports (rep.h): facts
** loaded once per report and selected in memory, figures, prose for amounts
** and percentages, the rounding-aware comparison of stated and computed
** figures, and a built balance turned into document blocks.
**
** A report reads a few hundred facts of one region or department; holding
** them in an arena and filtering in memory keeps every builder a simple loop
** instead of one store query per figure.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/rules.h"
#include "report/rep.h"

/* --- loading ------------------------------------------------------------- */

typedef struct loader {
	fisc_fset *fs;
	int from, to;
	int64_t region; /* 0: take the region of the first fact (department) */
	int rc;
} loader;

static int keep(void *ud, const fisc_fact *f)
{
	loader *l = ud;
	fisc_fset *fs = l->fs;
	if (f->year < l->from || f->year > l->to)
		return 0;
	if (!l->region)
		l->region = f->region;
	if (f->region != l->region)
		return 0;
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 256;
		fisc_fact *v = fisc_arena_alloc(fs->a, cap * sizeof *v);
		if (!v)
			return l->rc = FISC_ENOMEM;
		if (fs->n)
			memcpy(v, fs->v, fs->n * sizeof *v);
		fs->v = v;
		fs->cap = cap;
	}
	fisc_fact *c = &fs->v[fs->n];
	*c = *f;
	c->item = fisc_arena_strdup(fs->a, f->item);
	c->dept = fisc_arena_strdup(fs->a, f->dept);
	c->project = fisc_arena_strdup(fs->a, f->project);
	c->econ = fisc_arena_strdup(fs->a, f->econ);
	c->fund = fisc_arena_strdup(fs->a, f->fund);
	c->source = fisc_arena_strdup(fs->a, f->source ? f->source : "");
	c->note = fisc_arena_strdup(fs->a, f->note ? f->note : "");
	if (!c->item || !c->dept || !c->project || !c->econ || !c->fund || !c->source || !c->note)
		return l->rc = FISC_ENOMEM;
	fs->n++;
	return 0;
}

static int load(fisc_store *st, fisc_arena *a, fisc_query *q, int64_t region, int year,
		int from, int to, fisc_fset *fs)
{
	memset(fs, 0, sizeof *fs);
	fs->a = a;
	fs->st = st;
	loader l = {fs, from, to, region, FISC_OK};
	int rc = fisc_store_fact_each(st, q, keep, &l);
	if (l.rc)
		return fisc_error_set(l.rc, "out of memory");
	if (rc != FISC_OK)
		return rc;
	if (!region && l.region && (rc = fisc_store_region_get(st, l.region, a, &fs->region)))
		return rc;
	fisc_fset_unit(fs, NULL);
	return fisc_catalog_load(st, year, &fs->cat);
}

int fisc_fset_unit(fisc_fset *fs, const char *name)
{
	int votes[3] = {0, 0, 0}, maxdec[3] = {0, 0, 0}, gov = 0;
	for (size_t i = 0; i < fs->n; i++)
		gov |= !*fs->v[i].dept;
	for (size_t i = 0; i < fs->n; i++) {
		const fisc_fact *f = &fs->v[i];
		int u = f->amount.unit;
		if (!f->has_amount || u < 0 || u > 2 || (gov && *f->dept))
			continue;
		votes[u]++;
		if (f->amount.decimals > maxdec[u])
			maxdec[u] = f->amount.decimals;
	}
	int src = FISC_UNIT_WAN;
	for (int u = 0; u < 3; u++)
		if (votes[u] > votes[src])
			src = u;
	int unit = src;
	if (name && (unit = fisc_unit_parse(name, strlen(name))) < 0)
		return fisc_error_set(FISC_EINVAL, "无法识别的单位「%s」（元、万元、亿元）/ unknown unit '%s'",
				      name, name);
	fs->unit = unit;
	fs->unit_given = name != NULL;
	if (votes[unit])
		fs->maxdec = maxdec[unit];
	else { /* nothing written in it: as precise as the source's own digits */
		fisc_fen w = fisc_unit_fen((fisc_unit)src);
		for (int i = 0; i < maxdec[src] && w % 10 == 0; i++)
			w /= 10;
		fs->maxdec = fisc_rt_decimals(w, unit);
	}
	return FISC_OK;
}

int fisc_fset_region(fisc_store *st, fisc_arena *a, const char *region, int year,
		     int year_from, int year_to, fisc_fset *fs)
{
	fisc_region r;
	/* Empty before anything can fail: every caller frees the set on error. */
	memset(fs, 0, sizeof *fs);
	int rc = fisc_store_region_find(st, region, a, &r);
	if (rc != FISC_OK)
		return rc;
	fisc_query q = {0};
	q.region = r.id;
	rc = load(st, a, &q, r.id, year, year_from, year_to, fs);
	fs->region = r;
	return rc;
}

int fisc_fset_dept(fisc_store *st, fisc_arena *a, const char *dept, int year, int year_from,
		   int year_to, fisc_fset *fs)
{
	fisc_query q = {0};
	q.dept = dept;
	int rc = load(st, a, &q, 0, year, year_from, year_to, fs);
	if (rc == FISC_OK && fs->n == 0)
		rc = fisc_error_set(FISC_ENOTFOUND, "没有数据：部门「%s」%d年 / no facts for department '%s'",
				    dept, year, dept);
	return rc;
}

void fisc_fset_free(fisc_fset *fs)
{
	fisc_catalog_free(fs->cat);
	fs->cat = NULL;
}

/* --- selecting ----------------------------------------------------------- */

fisc_fsel fisc_fsel_any(void)
{
	fisc_fsel s;
	memset(&s, 0, sizeof s);
	s.book = FS_ANY;
	s.kind = FS_ANY;
	return s;
}

int fisc_fset_under(const fisc_fset *fs, const char *item, const char *line)
{
	const fisc_line *l = fisc_catalog_line_of(fs->cat, item);
	return l && fisc_catalog_line_under(fs->cat, l, line);
}

const fisc_catalog_entry *fisc_fset_function(const fisc_fset *fs, const char *item)
{
	const fisc_catalog_entry *e = fisc_catalog_get(fs->cat, item);
	return e && e->kind == FISC_CAT_FUNCTION ? e : NULL;
}

static int str_ok(const char *want, const char *have)
{
	return !want || !strcmp(want, have);
}

/* The line of fact f's item: kept per fact when f is one of the set's own
** (the set is one report's, used by one thread). */
static const fisc_line no_line;

static const fisc_line *fact_line(const fisc_fset *fs, const fisc_fact *f)
{
	if (f < fs->v || f >= fs->v + fs->n)
		return fisc_catalog_line_of(fs->cat, f->item);
	fisc_fset *w = (fisc_fset *)fs; /* the cache only */
	if (!w->lines && !(w->lines = fisc_arena_alloc(w->a, w->n * sizeof *w->lines)))
		return fisc_catalog_line_of(fs->cat, f->item);
	const fisc_line **l = &w->lines[f - fs->v];
	if (!*l) {
		const fisc_line *found = fisc_catalog_line_of(fs->cat, f->item);
		*l = found ? found : &no_line;
	}
	return *l == &no_line ? NULL : *l;
}

/* fisc_fset_match with the line of s->under looked up (NULL when s has
** none, or names no line: nothing is under it). */
static int match_below(const fisc_fset *fs, const fisc_fsel *s, const fisc_fact *f,
		       const fisc_line *top);

static const fisc_line *under_line(const fisc_fset *fs, const fisc_fsel *s)
{
	return s->under ? fisc_catalog_line(fs->cat, s->under) : NULL;
}

int fisc_fset_match(const fisc_fset *fs, const fisc_fsel *s, const fisc_fact *f)
{
	return match_below(fs, s, f, under_line(fs, s));
}

static int match_below(const fisc_fset *fs, const fisc_fsel *s, const fisc_fact *f,
		       const fisc_line *top)
{
	if ((s->year && f->year != s->year) || (s->scope && f->scope != s->scope) ||
	    (s->phase && f->phase != s->phase) || (s->book != FS_ANY && f->book != s->book) ||
	    (s->kind != FS_ANY && f->kind != s->kind))
		return 0;
	if (!str_ok(s->item, f->item) || !str_ok(s->dept, f->dept) ||
	    !str_ok(s->project, f->project) || !str_ok(s->econ, f->econ) || !str_ok(s->fund, f->fund))
		return 0;
	if (s->prefix && strncmp(f->item, s->prefix, strlen(s->prefix)) != 0)
		return 0;
	if (s->under) {
		const fisc_line *l = fact_line(fs, f);
		if (!l || !fisc_catalog_line_within(fs->cat, l, top))
			return 0;
	}
	return 1;
}

/* Value of one unit of the last written digit (0.01亿元 → 1000000 fen). */
static fisc_fen written_ulp(const fisc_amount *a)
{
	fisc_fen u = fisc_unit_fen((fisc_unit)(a->unit >= 0 && a->unit <= 2 ? a->unit : 1));
	for (int i = 0; i < a->decimals && u % 10 == 0; i++)
		u /= 10;
	return u;
}

static void add_fact(fisc_fsum *s, const fisc_fact *f, int votes[3])
{
	s->n++;
	if (!f->has_amount)
		return;
	s->has_amount = 1;
	s->fen += f->amount.fen;
	s->ulp += f->amount.ulp;
	fisc_fen w = written_ulp(&f->amount);
	if (!s->wulp || w < s->wulp)
		s->wulp = w;
	if (f->amount.unit >= 0 && f->amount.unit <= 2)
		votes[f->amount.unit]++;
}

static int vote(const int v[3])
{
	int best = FISC_UNIT_WAN;
	for (int u = 0; u < 3; u++)
		if (v[u] > v[best])
			best = u;
	return best;
}

static int64_t fact_key(const fisc_fact *f)
{
	return (((int64_t)f->year * 8 + f->book) * 8 + f->phase) * 8 + f->scope;
}

typedef struct keyed {
	int64_t key;
	uint32_t i;
} keyed;

static int cmp_keyed(const void *x, const void *y)
{
	const keyed *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

/* The facts a selection can match, as indexes of v in [*from, *to) of
** fs->by_key; 0 when the selection does not fix year, book, phase and
** scope (every fact must then be tried). */
static int key_range(const fisc_fset *fs, const fisc_fsel *s, size_t *from, size_t *to)
{
	if (!s->year || s->book == FS_ANY || s->book < 0 || s->book > 7 || !s->phase ||
	    s->phase > 7 || !s->scope || s->scope > 7 || fs->n < 64)
		return 0;
	fisc_fset *w = (fisc_fset *)fs; /* the index only */
	if (!w->by_key) {
		uint32_t *ix = fisc_arena_alloc(w->a, w->n * sizeof *ix);
		keyed *k = malloc(w->n * sizeof *k);
		if (!ix || !k) {
			free(k);
			return 0;
		}
		for (size_t i = 0; i < w->n; i++) {
			k[i].key = fact_key(&w->v[i]);
			k[i].i = (uint32_t)i;
		}
		qsort(k, w->n, sizeof *k, cmp_keyed);
		for (size_t i = 0; i < w->n; i++)
			ix[i] = k[i].i;
		free(k);
		w->by_key = ix;
	}
	fisc_fact k = {0};
	k.year = s->year;
	k.book = (uint8_t)s->book;
	k.phase = (uint8_t)s->phase;
	k.scope = (uint8_t)s->scope;
	int64_t want = fact_key(&k);
	size_t lo = 0, hi = fs->n;
	while (lo < hi) { /* the first not below want */
		size_t mid = lo + (hi - lo) / 2;
		if (fact_key(&fs->v[fs->by_key[mid]]) < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	while (hi < fs->n && fact_key(&fs->v[fs->by_key[hi]]) == want)
		hi++;
	*to = hi;
	return 1;
}

fisc_fsum fisc_fset_sum(const fisc_fset *fs, const fisc_fsel *s)
{
	fisc_fsum r;
	int votes[3] = {0, 0, 0};
	size_t from = 0, to = fs->n;
	int keyed = key_range(fs, s, &from, &to);
	const fisc_line *top = under_line(fs, s);
	memset(&r, 0, sizeof r);
	for (size_t j = from; j < to; j++) {
		const fisc_fact *f = &fs->v[keyed ? fs->by_key[j] : j];
		if (match_below(fs, s, f, top))
			add_fact(&r, f, votes);
	}
	r.unit = vote(votes);
	return r;
}

fisc_fsum fisc_fset_figure(const fisc_fset *fs, fisc_fsel s)
{
	s.kind = FISC_FACT_BASE;
	fisc_fsum r = fisc_fset_sum(fs, &s);
	if (r.n)
		return r;
	s.kind = FISC_FACT_STATED;
	if (!s.fund)
		s.fund = "";
	if (!s.project)
		s.project = "";
	/* One stated figure: the first (a source states a figure once; a second
	** statement of the same key would be a duplicate fact). by_key keeps
	** the facts of one key in their order. */
	size_t from = 0, to = fs->n;
	int keyed = key_range(fs, &s, &from, &to);
	const fisc_line *top = under_line(fs, &s);
	for (size_t j = from; j < to; j++) {
		size_t i = keyed ? fs->by_key[j] : j;
		if (match_below(fs, &s, &fs->v[i], top)) {
			int votes[3] = {0, 0, 0};
			memset(&r, 0, sizeof r);
			add_fact(&r, &fs->v[i], votes);
			r.unit = vote(votes);
			r.stated = 1;
			return r;
		}
	}
	return r;
}

int fisc_dept_exp_kind(const fisc_fset *fs, const fisc_fact *f)
{
	if (f->kind != FISC_FACT_BASE || !*f->dept)
		return DX_NONE;
	int coded = fisc_fset_function(fs, f->item) != NULL;
	if (!coded && !fisc_fset_under(fs, f->item, "own_exp") &&
	    !fisc_fset_under(fs, f->item, "dept_exp_total"))
		return DX_NONE;
	if (fisc_fset_under(fs, f->item, "basic_exp") || !strcmp(f->fund, FS_FUND_BASIC))
		return DX_BASIC;
	if (fisc_fset_under(fs, f->item, "project_exp") || !strcmp(f->fund, FS_FUND_PROJECT) ||
	    *f->project)
		return DX_PROJECT;
	return DX_UNKNOWN;
}

fisc_fsum fisc_fsum_of_fact(const fisc_fact *f)
{
	fisc_fsum r;
	int votes[3] = {0, 0, 0};
	memset(&r, 0, sizeof r);
	add_fact(&r, f, votes);
	r.unit = vote(votes);
	r.stated = f->kind == FISC_FACT_STATED;
	return r;
}

void fisc_fsum_add(fisc_fsum *into, const fisc_fsum *x)
{
	if (!x->n)
		return;
	if (!into->n)
		into->unit = x->unit;
	into->n += x->n;
	into->stated |= x->stated;
	if (!x->has_amount)
		return;
	into->has_amount = 1;
	into->fen += x->fen;
	into->ulp += x->ulp;
	if (!into->wulp || (x->wulp && x->wulp < into->wulp))
		into->wulp = x->wulp;
}

/* --- prose --------------------------------------------------------------- */

int fisc_rt_decimals(fisc_fen wulp, int unit)
{
	if (wulp <= 0)
		return 0;
	int d = fisc_unit_decimals_for(wulp, (fisc_unit)unit);
	return d < 0 ? 0 : d;
}

const char *fisc_rt_amount(fisc_arena *a, fisc_fen fen, int unit, fisc_fen wulp)
{
	char buf[96];
	if (unit < FISC_UNIT_YUAN || unit > FISC_UNIT_YI)
		unit = FISC_UNIT_WAN;
	if (fisc_fen_format(fen, (fisc_unit)unit, fisc_rt_decimals(wulp, unit), FISC_FMT_UNIT, buf,
			    sizeof buf) < 0)
		return "?";
	const char *s = fisc_arena_strdup(a, buf);
	return s ? s : "?";
}

int fisc_rt_dec(const fisc_fset *fs, fisc_fen wulp)
{
	int d = fisc_rt_decimals(wulp, fs->unit);
	return d < fs->maxdec ? d : fs->maxdec;
}

const char *fisc_rt_money(const fisc_fset *fs, fisc_fen fen, fisc_fen wulp)
{
	char buf[96];
	if (fisc_fen_format(fen, (fisc_unit)fs->unit, fisc_rt_dec(fs, wulp), FISC_FMT_UNIT, buf,
			    sizeof buf) < 0)
		return "?";
	const char *s = fisc_arena_strdup(fs->a, buf);
	return s ? s : "?";
}

const char *fisc_rt_fig(const fisc_fset *fs, const fisc_fsum *s)
{
	return fisc_rt_money(fs, s->fen, s->wulp);
}

const char *fisc_rt_pct(fisc_arena *a, fisc_fen num, fisc_fen den, int decimals)
{
	char buf[64];
	if (den == 0 || fisc_percent_format(num, den, decimals, buf, sizeof buf - 1) < 0)
		return "";
	strcat(buf, "%");
	const char *s = fisc_arena_strdup(a, buf);
	return s ? s : "";
}

const char *fisc_rt_growth(fisc_arena *a, fisc_fen now, fisc_fen before)
{
	char buf[64];
	if (before == 0 || fisc_percent_format(now - before, before, 1, buf, sizeof buf) < 0)
		return "";
	const char *s = buf[0] == '-' ? fisc_arena_printf(a, "下降%s%%", buf + 1)
		      : !strcmp(buf, "0.0") ? "持平"
					    : fisc_arena_printf(a, "增长%s%%", buf);
	return s ? s : "";
}

const char *fisc_rt_cn(int n)
{
	static const char *const cn[] = {"零", "一", "二", "三", "四", "五", "六", "七",
					 "八", "九", "十", "十一", "十二", "十三", "十四",
					 "十五", "十六", "十七", "十八", "十九", "二十"};
	return n >= 0 && n <= 20 ? cn[n] : "";
}

int fisc_rt_consistent(fisc_fen stated, fisc_fen stated_ulp, fisc_fen computed,
		       fisc_fen computed_ulp)
{
	__int128 diff = (__int128)stated - computed;
	if (diff < 0)
		diff = -diff;
	__int128 tol = (__int128)(stated_ulp > 0 ? stated_ulp : 1) + (computed_ulp > 0 ? computed_ulp : 1);
	/* |diff| <= tol / 2, in integers */
	return diff * 2 <= tol;
}

/* --- balances ------------------------------------------------------------ */

const fisc_balance_row *fisc_rt_row(const fisc_balance *b, const char *line)
{
	for (size_t i = 0; i < b->nincome; i++)
		if (!strcmp(b->income[i].line, line))
			return &b->income[i];
	for (size_t i = 0; i < b->nexpense; i++)
		if (!strcmp(b->expense[i].line, line))
			return &b->expense[i];
	return NULL;
}

int fisc_rt_statement(fisc_doc *d, const fisc_fset *fs, const fisc_balance *b)
{
	return fisc_statement_paras(d, b, fs->unit, fs->maxdec);
}

void fisc_rt_balance_table(fisc_doc *d, const fisc_fset *fs, const fisc_balance *b)
{
	fisc_balance_table(d, b, b->title, fs->unit, fisc_rt_dec(fs, b->wulp));
}

/* --- unit slips ---------------------------------------------------------- */

int fisc_rt_slips(fisc_store *st, fisc_fset *fs, int year, fisc_slips *out)
{
	memset(out, 0, sizeof *out);
	fisc_check_opts o = {0};
	o.region = fs->region.code;
	o.year = year;
	o.rules = "precision.unit";
	fisc_findings *fd = NULL;
	int rc = fisc_check_run(st, &o, fs->a, &fd);
	if (rc != FISC_OK)
		return rc;
	size_t n = 0;
	for (size_t i = 0; i < fd->n; i++)
		n += fd->v[i].nfacts;
	out->id = fisc_arena_alloc(fs->a, (n ? n : 1) * sizeof *out->id);
	out->finding = fisc_arena_alloc(fs->a, (n ? n : 1) * sizeof *out->finding);
	if (!out->id || !out->finding)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	for (size_t i = 0; i < fd->n; i++)
		for (size_t k = 0; k < fd->v[i].nfacts; k++)
			if (!strcmp(fd->v[i].facts[k].role, "figure")) {
				out->id[out->n] = fd->v[i].facts[k].fact.id;
				out->finding[out->n++] = &fd->v[i];
			}
	return FISC_OK;
}

const fisc_finding *fisc_rt_slip(const fisc_slips *s, int64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->id[i] == id)
			return s->finding[i];
	return NULL;
}
