/*
** exec.c — execution facts from the ledger (issue 11 item 5): what was paid,
** net of refunds, summed per department, project, 功能分类 (or own_exp when a
** line has none), 经济分类 and book, written as facts of phase 执行 so that
** the existing tables, rules and reports use it; and the comparison of stored
** execution facts with the ledger's sums.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/ledger.h"
#include "fisc/rules.h"
#include "model/strmap.h"

typedef struct esum {
	const char *dept, *project, *item, *econ;
	uint8_t book;
	int64_t ledger, facts;
	int in_ledger, in_facts;
} esum;

typedef struct ewalk {
	fisc_arena *a;
	const char *region;
	int year;
	fisc_strmap by_key;
	esum *v;
	size_t n, cap;
	int rc;
} ewalk;

static esum *slot(ewalk *w, const char *dept, const char *project, const char *item,
		  const char *econ, uint8_t book)
{
	const char *key = fisc_arena_printf(w->a, "%s\x1f%s\x1f%s\x1f%s\x1f%u", dept, project, item,
					    econ, book);
	uintptr_t i = (uintptr_t)fisc_strmap_get(&w->by_key, key);
	if (i)
		return &w->v[i - 1];
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;
		esum *nv = realloc(w->v, cap * sizeof *nv);
		if (!nv)
			return NULL;
		w->v = nv;
		w->cap = cap;
	}
	esum *e = &w->v[w->n++];
	memset(e, 0, sizeof *e);
	e->dept = fisc_arena_strdup(w->a, dept);
	e->project = fisc_arena_strdup(w->a, project);
	e->item = fisc_arena_strdup(w->a, item);
	e->econ = fisc_arena_strdup(w->a, econ);
	e->book = book;
	if (fisc_strmap_put(&w->by_key, key, (void *)(uintptr_t)w->n))
		return NULL;
	return e;
}

static int rollup_cb(void *ud, const fisc_quota_rollup_row *r)
{
	ewalk *w = ud;
	if (strcmp(r->region, w->region))
		return 0;
	esum *e = slot(w, r->dept, r->project, *r->func ? r->func : "own_exp", r->econ, r->book);
	if (!e)
		return w->rc = fisc_error_set(FISC_ENOMEM, "out of memory");
	if (__builtin_add_overflow(e->ledger, r->fen, &e->ledger))
		return w->rc = fisc_error_set(FISC_ERANGE, "金额超出范围 / amount out of range");
	e->in_ledger = 1;
	return 0;
}

/* The stored facts the ledger produces: phase 执行, 本级, base, with a
** department and an economic class, item own_exp or a 功能分类 code. */
static int is_exec_fact(const fisc_fact *f)
{
	if (f->kind != FISC_FACT_BASE || !*f->dept || !*f->econ || *f->fund)
		return 0;
	if (!strcmp(f->item, "own_exp"))
		return 1;
	size_t n = strlen(f->item);
	if (n < 3 || n > 7 || f->item[0] != '2')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (f->item[i] < '0' || f->item[i] > '9')
			return 0;
	return 1;
}

static int fact_cb(void *ud, const fisc_fact *f)
{
	ewalk *w = ud;
	if (!is_exec_fact(f))
		return 0;
	esum *e = slot(w, f->dept, f->project, f->item, f->econ, f->book);
	if (!e)
		return w->rc = fisc_error_set(FISC_ENOMEM, "out of memory");
	e->facts += f->has_amount ? f->amount.fen : 0;
	e->in_facts = 1;
	return 0;
}

static int collect(fisc_store *st, const char *region, int year, int with_facts, ewalk *w,
		   fisc_region *r)
{
	memset(w, 0, sizeof *w);
	w->year = year;
	if (!(w->a = fisc_arena_new()))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	int rc = fisc_store_region_find(st, region, w->a, r);
	if (rc != FISC_OK)
		return rc;
	w->region = r->code;
	rc = fisc_store_quota_rollup(st, year, rollup_cb, w);
	if (rc == FISC_OK)
		rc = w->rc;
	if (rc == FISC_OK && with_facts) {
		fisc_query q = {.region = r->id, .year = year, .phase = FISC_PHASE_EXECUTION,
				.scope = FISC_SCOPE_SELF};
		rc = fisc_store_fact_each(st, &q, fact_cb, w);
		if (rc == FISC_OK)
			rc = w->rc;
	}
	return rc;
}

static void done(ewalk *w)
{
	fisc_strmap_free(&w->by_key);
	free(w->v);
	fisc_arena_free(w->a);
}

int fisc_quota_exec_facts(fisc_store *st, const char *region, int year, long *nfacts)
{
	ewalk w;
	fisc_region r;
	*nfacts = 0;
	int rc = collect(st, region, year, 1, &w, &r);
	for (size_t i = 0; rc == FISC_OK && i < w.n; i++)
		if (w.v[i].in_facts)
			rc = fisc_error_set(FISC_EEXIST,
					    "%s %d 年已有部门执行事实（%s %s），不覆盖 / execution facts for %s %d exist already; nothing is overwritten",
					    r.name, year, w.v[i].dept, w.v[i].item, r.code, year);
	if (rc == FISC_OK)
		rc = fisc_store_begin(st);
	for (size_t i = 0; rc == FISC_OK && i < w.n; i++) {
		const esum *e = &w.v[i];
		fisc_fact f;
		memset(&f, 0, sizeof f);
		f.region = r.id;
		f.year = year;
		f.scope = FISC_SCOPE_SELF;
		f.book = e->book;
		f.phase = FISC_PHASE_EXECUTION;
		f.kind = FISC_FACT_BASE;
		f.item = e->item;
		f.dept = e->dept;
		f.project = e->project;
		f.econ = e->econ;
		f.fund = "";
		f.has_amount = 1;
		f.amount = fisc_amount_exact(e->ledger, FISC_UNIT_YUAN, 2);
		f.source = "ledger";
		f.note = "由指标账本已支付数汇总 / summed from the ledger's payments";
		rc = fisc_store_fact_put(st, &f);
		if (rc == FISC_OK)
			(*nfacts)++;
	}
	if (rc == FISC_OK && w.n)
		rc = fisc_store_commit(st);
	else if (w.n)
		fisc_store_rollback(st);
	if (rc != FISC_OK)
		*nfacts = 0;
	done(&w);
	return rc;
}

int fisc_quota_exec_check(fisc_store *st, const char *region, int year, fisc_exec_diff_cb cb,
			  void *ud, long *ndiff)
{
	ewalk w;
	fisc_region r;
	*ndiff = 0;
	int rc = collect(st, region, year, 1, &w, &r);
	for (size_t i = 0; rc == FISC_OK && i < w.n; i++) {
		const esum *e = &w.v[i];
		if (e->in_facts && e->ledger == e->facts)
			continue;
		(*ndiff)++;
		fisc_exec_diff d = {e->dept, e->project, e->item, e->econ, e->book,
				    e->in_ledger, e->ledger, e->in_facts, e->facts};
		rc = cb(ud, &d);
	}
	done(&w);
	return rc;
}

/* ---- as findings of `fisc check` ------------------------------------------ */

typedef struct pairs {
	fisc_arena *a;
	const char *region; /* code, NULL: all */
	struct {
		const char *region;
		int year;
	} v[256];
	int n;
} pairs;

static int pair_cb(void *ud, const fisc_quota_rollup_row *r)
{
	pairs *p = ud;
	if (p->region && strcmp(p->region, r->region))
		return 0;
	for (int i = 0; i < p->n; i++)
		if (p->v[i].year == r->year && !strcmp(p->v[i].region, r->region))
			return 0;
	if (p->n == (int)(sizeof p->v / sizeof *p->v))
		return 0;
	p->v[p->n].region = fisc_arena_strdup(p->a, r->region);
	p->v[p->n++].year = r->year;
	return 0;
}

typedef struct collect_findings {
	fisc_arena *a;
	fisc_finding *v;
	size_t n, cap;
	fisc_region region;
	int year;
} collect_findings;

static int finding_cb(void *ud, const fisc_exec_diff *d)
{
	collect_findings *c = ud;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		fisc_finding *nv = fisc_arena_alloc(c->a, cap * sizeof *nv);
		if (!nv)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		if (c->n)
			memcpy(nv, c->v, c->n * sizeof *nv);
		c->v = nv;
		c->cap = cap;
	}
	char l[64] = "-", f[64] = "-";
	if (d->in_ledger)
		fisc_fen_format(d->ledger, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, l, sizeof l);
	if (d->in_facts)
		fisc_fen_format(d->facts, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, f, sizeof f);
	const char *what = fisc_arena_printf(c->a, "%s%s%s %s 经济分类 %s", d->dept, *d->project ? " · " : "",
					     d->project, d->item, d->econ);
	fisc_finding *x = &c->v[c->n++];
	memset(x, 0, sizeof *x);
	x->rule = "ledger.execution";
	x->severity = FISC_SEV_ERROR;
	x->verdict = FISC_VERDICT_FAILED;
	x->message_zh = fisc_arena_printf(c->a, "执行事实与指标账本已支付数不符：%s，事实 %s 元，账本 %s 元", what, f, l);
	x->message_en = fisc_arena_printf(c->a,
					  "execution fact differs from the ledger's payments: %s, fact %s, ledger %s",
					  what, f, l);
	x->region = c->region;
	x->year = c->year;
	x->book = d->book;
	x->scope = FISC_SCOPE_SELF;
	x->phase = FISC_PHASE_EXECUTION;
	x->dept = fisc_arena_strdup(c->a, d->dept);
	x->has_stated = d->in_facts;
	x->has_computed = d->in_ledger;
	x->stated = d->facts;
	x->computed = d->ledger;
	x->difference = d->facts - d->ledger;
	x->unit = FISC_UNIT_YUAN;
	return 0;
}

int fisc_quota_check_findings(fisc_store *st, const char *region, int year, fisc_arena *a,
			      fisc_findings *fs)
{
	pairs p;
	memset(&p, 0, sizeof p);
	p.a = a;
	fisc_region r;
	int rc = FISC_OK;
	if (region) {
		if ((rc = fisc_store_region_find(st, region, a, &r)) != FISC_OK)
			return rc;
		p.region = r.code;
	}
	rc = fisc_store_quota_rollup(st, year, pair_cb, &p);
	collect_findings c = {a, NULL, 0, 0, {0}, 0};
	for (int i = 0; rc == FISC_OK && i < p.n; i++) {
		ewalk w;
		fisc_region rr;
		rc = collect(st, p.v[i].region, p.v[i].year, 1, &w, &rr);
		if (rc == FISC_OK) {
			c.region = rr;
			c.region.code = fisc_arena_strdup(a, rr.code);
			c.region.name = fisc_arena_strdup(a, rr.name);
			c.region.parent_code = fisc_arena_strdup(a, rr.parent_code);
			c.region.level = fisc_arena_strdup(a, rr.level);
			c.region.label_all = fisc_arena_strdup(a, rr.label_all);
			c.region.label_self = fisc_arena_strdup(a, rr.label_self);
			c.region.label_lower = fisc_arena_strdup(a, rr.label_lower);
			c.year = p.v[i].year;
		}
		for (size_t k = 0; rc == FISC_OK && k < w.n; k++) {
			const esum *e = &w.v[k];
			fs->checks++;
			if (e->in_facts && e->in_ledger && e->ledger == e->facts) {
				fs->verdicts[FISC_VERDICT_EXACT]++;
				continue;
			}
			fisc_exec_diff d = {e->dept, e->project, e->item, e->econ, e->book,
					    e->in_ledger, e->ledger, e->in_facts, e->facts};
			rc = finding_cb(&c, &d);
			fs->verdicts[FISC_VERDICT_FAILED]++;
			fs->severities[FISC_SEV_ERROR]++;
		}
		done(&w);
	}
	if (rc == FISC_OK && c.n) {
		fisc_finding *all = fisc_arena_alloc(a, (fs->n + c.n) * sizeof *all);
		if (!all)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		if (fs->n)
			memcpy(all, fs->v, fs->n * sizeof *all);
		memcpy(all + fs->n, c.v, c.n * sizeof *all);
		fs->v = all;
		fs->n += c.n;
	}
	return rc;
}
