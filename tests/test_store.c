/*
** test_store.c — the SQLite store (src/lib/store/): regions and facts
** written and read back field for field, every query filter, key
** uniqueness, transactions that roll back to nothing, reopening a file
** without re-running migrations, and schemes without a backend; the scan
** with string ids (fisc_store_fact_scan) against fact_each.
*/
#include "testutil.h"

#include "fisc/error.h"
#include "fisc/store.h"
#include "fisc/catalog.h"
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>
#include "store/backend.h" /* to take a backend's own fact_scan away */
#include "store/pg.h"     /* the ledger lock's key */
#include "store/sqlite_scan.h" /* the connection, to empty the WAL */

typedef struct fx {
	char *dir;
	char *path;
	fisc_store *st;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = tu_tmpdir();
	assert_non_null(f->dir);
	size_t n = strlen(f->dir) + 16;
	f->path = malloc(n);
	snprintf(f->path, n, "%s/fisc.db", f->dir);
	char *uri = tu_store_uri(f->path);
	free(f->path);
	f->path = uri;
	assert_int_equal(fisc_store_open(f->path, &f->st), FISC_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	fisc_store_close(f->st);
	tu_rmrf(f->dir);
	free(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* ---- regions ------------------------------------------------------------ */

static const fisc_region CQ = {0, "500000", "重庆市", "", "省", "全市", "市本级", "区县级"};
static const fisc_region BEIBEI = {0, "500109", "北碚区", "500000", "区", "全区", "区级",
				   "镇级"};

static int64_t put_region(fisc_store *st, const fisc_region *r)
{
	int64_t id = 0;
	int rc = fisc_store_region_put(st, r, &id);
	if (rc != FISC_OK)
		print_error("region_put %s: %s\n", r->code, fisc_error_message());
	assert_int_equal(rc, FISC_OK);
	assert_true(id > 0);
	return id;
}

static void assert_region(const fisc_region *got, const fisc_region *want, int64_t id)
{
	assert_int_equal(got->id, id);
	assert_string_equal(got->code, want->code);
	assert_string_equal(got->name, want->name);
	assert_string_equal(got->parent_code, want->parent_code);
	assert_string_equal(got->level, want->level);
	assert_string_equal(got->label_all, want->label_all);
	assert_string_equal(got->label_self, want->label_self);
	assert_string_equal(got->label_lower, want->label_lower);
}

static void region_roundtrip(void **state)
{
	fx *f = *state;
	int64_t cq = put_region(f->st, &CQ);
	int64_t bb = put_region(f->st, &BEIBEI);
	assert_int_not_equal(cq, bb);

	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	assert_int_equal(fisc_store_region_find(f->st, "500109", a, &r), FISC_OK);
	assert_region(&r, &BEIBEI, bb);
	assert_int_equal(fisc_store_region_find(f->st, "北碚区", a, &r), FISC_OK);
	assert_region(&r, &BEIBEI, bb);
	assert_int_equal(fisc_store_region_find(f->st, "重庆市", a, &r), FISC_OK);
	assert_region(&r, &CQ, cq);
	assert_int_equal(fisc_store_region_get(f->st, bb, a, &r), FISC_OK);
	assert_region(&r, &BEIBEI, bb);
	assert_string_equal(fisc_region_scope_label(&r, FISC_SCOPE_SELF), "区级");

	fisc_error_clear();
	assert_int_equal(fisc_store_region_find(f->st, "沙坪坝区", a, &r), FISC_ENOTFOUND);
	assert_true(strstr(fisc_error_message(), "沙坪坝区") != NULL);
	assert_int_equal(fisc_store_region_get(f->st, 9999, a, &r), FISC_ENOTFOUND);
	fisc_arena_free(a);
}

static void region_parent_by_name(void **state)
{
	fx *f = *state;
	int64_t cq = put_region(f->st, &CQ);
	fisc_region child = {0, "500110", "綦江区", "重庆市", "区", "", "", ""};
	int64_t id = put_region(f->st, &child);
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	assert_int_equal(fisc_store_region_find(f->st, "500110", a, &r), FISC_OK);
	assert_string_equal(r.parent_code, "500000"); /* stored as the parent's code */
	assert_int_equal(r.id, id);
	assert_string_equal(r.label_all, "");
	/* Labels not given fall back to the level's words. */
	assert_string_equal(fisc_region_scope_label(&r, FISC_SCOPE_ALL), "全区");
	assert_string_equal(fisc_region_scope_label(&r, FISC_SCOPE_LOWER), "镇级");
	/* The same region again, parent by code this time: still the same. */
	fisc_region again = child;
	again.parent_code = "500000";
	int64_t id2 = 0;
	assert_int_equal(fisc_store_region_put(f->st, &again, &id2), FISC_OK);
	assert_int_equal(id2, id);
	/* A parent that does not exist. */
	fisc_region orphan = {0, "999999", "无名区", "888888", "区", "", "", ""};
	assert_int_equal(fisc_store_region_put(f->st, &orphan, &id2), FISC_ENOTFOUND);
	assert_int_equal(fisc_store_region_find(f->st, "999999", a, &r), FISC_ENOTFOUND);
	(void)cq;
	fisc_arena_free(a);
}

static void region_put_twice(void **state)
{
	fx *f = *state;
	int64_t cq = put_region(f->st, &CQ);
	int64_t bb = put_region(f->st, &BEIBEI);
	/* The same region again: the same id, nothing new. */
	assert_int_equal(put_region(f->st, &BEIBEI), bb);
	assert_int_equal(put_region(f->st, &CQ), cq);

	/* The same code with another name, level, label or parent: EEXIST. */
	fisc_region r = BEIBEI;
	r.name = "北培区";
	int64_t id = -1;
	assert_int_equal(fisc_store_region_put(f->st, &r, &id), FISC_EEXIST);
	r = BEIBEI;
	r.label_self = "区本级";
	assert_int_equal(fisc_store_region_put(f->st, &r, &id), FISC_EEXIST);
	r = BEIBEI;
	r.level = "县";
	assert_int_equal(fisc_store_region_put(f->st, &r, &id), FISC_EEXIST);
	r = BEIBEI;
	r.parent_code = "";
	assert_int_equal(fisc_store_region_put(f->st, &r, &id), FISC_EEXIST);

	/* Nothing changed. */
	fisc_arena *a = fisc_arena_new();
	fisc_region got;
	assert_int_equal(fisc_store_region_find(f->st, "500109", a, &got), FISC_OK);
	assert_region(&got, &BEIBEI, bb);
	fisc_arena_free(a);
}

/* region_each: every region, in id order. */
typedef struct rlist {
	int n;
	char codes[8][16];
	char parents[8][16];
} rlist;

static int collect_region(void *ud, const fisc_region *r)
{
	rlist *l = ud;
	assert_true(l->n < 8);
	snprintf(l->codes[l->n], sizeof l->codes[0], "%s", r->code);
	snprintf(l->parents[l->n], sizeof l->parents[0], "%s", r->parent_code);
	l->n++;
	return 0;
}

static int stop_region(void *ud, const fisc_region *r)
{
	(*(int *)ud)++;
	return 7;
}

static void region_each(void **state)
{
	fx *f = *state;
	put_region(f->st, &CQ);
	put_region(f->st, &BEIBEI);
	put_region(f->st, &BEIBEI);
	rlist l = {0};
	assert_int_equal(fisc_store_region_each(f->st, collect_region, &l), FISC_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.codes[0], "500000");
	assert_string_equal(l.parents[0], "");
	assert_string_equal(l.codes[1], "500109");
	assert_string_equal(l.parents[1], "500000");
	int calls = 0;
	assert_int_equal(fisc_store_region_each(f->st, stop_region, &calls), 7);
	assert_int_equal(calls, 1);
}

/* ---- facts -------------------------------------------------------------- */

/* A copy of a fact that outlives the callback. */
typedef struct fcopy {
	fisc_fact f;
	char item[32], dept[64], project[64], econ[16], fund[64], source[96], note[96];
} fcopy;

typedef struct flist {
	int n;
	fcopy v[16];
} flist;

static int collect_fact(void *ud, const fisc_fact *f)
{
	flist *l = ud;
	assert_true(l->n < 16);
	fcopy *c = &l->v[l->n++];
	c->f = *f;
	snprintf(c->item, sizeof c->item, "%s", f->item);
	snprintf(c->dept, sizeof c->dept, "%s", f->dept);
	snprintf(c->project, sizeof c->project, "%s", f->project);
	snprintf(c->econ, sizeof c->econ, "%s", f->econ);
	snprintf(c->fund, sizeof c->fund, "%s", f->fund);
	snprintf(c->source, sizeof c->source, "%s", f->source);
	snprintf(c->note, sizeof c->note, "%s", f->note);
	return 0;
}

static flist *query(fisc_store *st, const fisc_query *q)
{
	static flist l;
	memset(&l, 0, sizeof l);
	assert_int_equal(fisc_store_fact_each(st, q, collect_fact, &l), FISC_OK);
	return &l;
}

static fisc_fact mkfact(int64_t region, int year, int scope, int book, int phase,
			const char *item, fisc_fen fen)
{
	fisc_fact f;
	memset(&f, 0, sizeof f);
	f.region = region;
	f.year = year;
	f.scope = (uint8_t)scope;
	f.book = (uint8_t)book;
	f.phase = (uint8_t)phase;
	f.kind = FISC_FACT_BASE;
	f.item = item;
	f.dept = f.project = f.econ = f.fund = "";
	f.has_amount = 1;
	f.amount = fisc_amount_exact(fen, FISC_UNIT_WAN, 0);
	f.source = "";
	f.note = "";
	return f;
}

static void put_fact(fisc_store *st, const fisc_fact *f)
{
	int rc = fisc_store_fact_put(st, f);
	if (rc != FISC_OK)
		print_error("fact_put %s: %s\n", f->item, fisc_error_message());
	assert_int_equal(rc, FISC_OK);
}

static void fact_every_field(void **state)
{
	fx *f = *state;
	put_region(f->st, &CQ);
	int64_t bb = put_region(f->st, &BEIBEI);

	fisc_fact a = mkfact(bb, 2023, FISC_SCOPE_SELF, FISC_BOOK_GFB, FISC_PHASE_ADJUSTED,
			     "2050201", -43000000000LL);
	a.kind = FISC_FACT_STATED;
	a.dept = "重庆市北碚区教育委员会";
	a.project = "学前教育补助";
	a.econ = "30101";
	a.fund = "超收收入";
	a.amount.ulp = 1000000000;
	a.amount.unit = FISC_UNIT_YI;
	a.amount.decimals = 1;
	a.source = "003_84b9d584d86aad8e.txt:36";
	a.note = "含 \"引号\", 逗号\n和换行";
	put_fact(f->st, &a);

	fisc_fact b = mkfact(bb, 2024, FISC_SCOPE_ALL, FISC_BOOK_GPB, FISC_PHASE_BUDGET,
			     "carry_in", 0);
	b.has_amount = 0; /* listed, no amount */
	put_fact(f->st, &b);
	assert_int_equal(fisc_store_fact_count(f->st), 2);

	flist *l = query(f->st, NULL);
	assert_int_equal(l->n, 2);
	fcopy *g = &l->v[0];
	assert_true(g->f.id > 0);
	assert_int_equal(g->f.region, bb);
	assert_int_equal(g->f.year, 2023);
	assert_int_equal(g->f.scope, FISC_SCOPE_SELF);
	assert_int_equal(g->f.book, FISC_BOOK_GFB);
	assert_int_equal(g->f.phase, FISC_PHASE_ADJUSTED);
	assert_int_equal(g->f.kind, FISC_FACT_STATED);
	assert_string_equal(g->item, "2050201");
	assert_string_equal(g->dept, "重庆市北碚区教育委员会");
	assert_string_equal(g->project, "学前教育补助");
	assert_string_equal(g->econ, "30101");
	assert_string_equal(g->fund, "超收收入");
	assert_int_equal(g->f.has_amount, 1);
	assert_int_equal(g->f.amount.fen, -43000000000LL);
	assert_int_equal(g->f.amount.ulp, 1000000000);
	assert_int_equal(g->f.amount.unit, FISC_UNIT_YI);
	assert_int_equal(g->f.amount.decimals, 1);
	assert_string_equal(g->source, "003_84b9d584d86aad8e.txt:36");
	assert_string_equal(g->note, "含 \"引号\", 逗号\n和换行");

	g = &l->v[1];
	assert_true(g->f.id > l->v[0].f.id); /* import order */
	assert_int_equal(g->f.has_amount, 0);
	assert_int_equal(g->f.amount.ulp, 1);
	assert_int_equal(g->f.amount.unit, FISC_UNIT_WAN);
	assert_int_equal(g->f.amount.decimals, 0);
	assert_string_equal(g->item, "carry_in");
	assert_int_equal(g->f.kind, FISC_FACT_BASE);
	assert_int_equal(g->f.scope, FISC_SCOPE_ALL);
	assert_int_equal(g->f.book, FISC_BOOK_GPB);
	assert_int_equal(g->f.phase, FISC_PHASE_BUDGET);
	assert_string_equal(g->dept, "");
	assert_string_equal(g->source, "");
	assert_string_equal(g->note, "");
}

static void fact_extreme_amounts(void **state)
{
	fx *f = *state;
	int64_t r = put_region(f->st, &CQ);
	fisc_fen vals[] = {INT64_MAX, INT64_MIN, -1, 0, 1};
	const char *items[] = {"a", "b", "c", "d", "e"};
	for (int i = 0; i < 5; i++) {
		fisc_fact x = mkfact(r, 2023, FISC_SCOPE_ALL, FISC_BOOK_GPB,
				     FISC_PHASE_FINAL, items[i], vals[i]);
		x.amount.ulp = 1;
		x.amount.unit = FISC_UNIT_YUAN;
		x.amount.decimals = 2;
		put_fact(f->st, &x);
	}
	flist *l = query(f->st, NULL);
	assert_int_equal(l->n, 5);
	for (int i = 0; i < 5; i++) {
		assert_string_equal(l->v[i].item, items[i]);
		assert_int_equal(l->v[i].f.has_amount, 1); /* 0 is an amount, not NULL */
		assert_int_equal(l->v[i].f.amount.fen, vals[i]);
		assert_int_equal(l->v[i].f.amount.unit, FISC_UNIT_YUAN);
		assert_int_equal(l->v[i].f.amount.decimals, 2);
	}
}

/* Items of the facts q selects, joined with spaces. */
static const char *items_of(fisc_store *st, const fisc_query *q)
{
	static char buf[256];
	flist *l = query(st, q);
	buf[0] = 0;
	for (int i = 0; i < l->n; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, l->v[i].item);
	}
	return buf;
}

static void fact_query_filters(void **state)
{
	fx *f = *state;
	int64_t cq = put_region(f->st, &CQ);
	int64_t bb = put_region(f->st, &BEIBEI);
	fisc_fact v[] = {
		mkfact(bb, 2023, FISC_SCOPE_ALL, FISC_BOOK_GPB, FISC_PHASE_EXECUTION, "f1", 1),
		mkfact(bb, 2024, FISC_SCOPE_ALL, FISC_BOOK_GPB, FISC_PHASE_BUDGET, "f2", 2),
		mkfact(bb, 2023, FISC_SCOPE_SELF, FISC_BOOK_GFB, FISC_PHASE_EXECUTION, "f3", 3),
		mkfact(cq, 2023, FISC_SCOPE_ALL, FISC_BOOK_ALL, FISC_PHASE_EXECUTION, "f4", 4),
		mkfact(bb, 2023, FISC_SCOPE_LOWER, FISC_BOOK_SOE, FISC_PHASE_FINAL, "f5", 5),
		mkfact(bb, 2023, FISC_SCOPE_ALL, FISC_BOOK_GPB, FISC_PHASE_EXECUTION, "f6", 6),
	};
	v[5].dept = "教委";
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		put_fact(f->st, &v[i]);

	fisc_query q = {0};
	assert_string_equal(items_of(f->st, &q), "f1 f2 f3 f4 f5 f6");
	q = (fisc_query){0};
	q.region = cq;
	assert_string_equal(items_of(f->st, &q), "f4");
	q = (fisc_query){0};
	q.region = bb;
	assert_string_equal(items_of(f->st, &q), "f1 f2 f3 f5 f6");
	q = (fisc_query){0};
	q.year = 2024;
	assert_string_equal(items_of(f->st, &q), "f2");
	q = (fisc_query){0};
	q.scope = FISC_SCOPE_SELF;
	assert_string_equal(items_of(f->st, &q), "f3");
	q = (fisc_query){0};
	q.scope = FISC_SCOPE_LOWER;
	assert_string_equal(items_of(f->st, &q), "f5");
	q = (fisc_query){0};
	q.phase = FISC_PHASE_EXECUTION;
	assert_string_equal(items_of(f->st, &q), "f1 f3 f4 f6");
	q = (fisc_query){0};
	q.book_set = 1;
	q.book = FISC_BOOK_GPB;
	assert_string_equal(items_of(f->st, &q), "f1 f2 f6");
	/* book 0 (全口径) is a real book when book_set says so… */
	q = (fisc_query){0};
	q.book_set = 1;
	q.book = FISC_BOOK_ALL;
	assert_string_equal(items_of(f->st, &q), "f4");
	/* …and ignored without it. */
	q = (fisc_query){0};
	q.book = FISC_BOOK_GFB;
	assert_string_equal(items_of(f->st, &q), "f1 f2 f3 f4 f5 f6");
	q = (fisc_query){0};
	q.dept = "教委";
	assert_string_equal(items_of(f->st, &q), "f6");
	q = (fisc_query){0};
	q.dept = "";
	assert_string_equal(items_of(f->st, &q), "f1 f2 f3 f4 f5");
	q = (fisc_query){0};
	q.dept = "no'such\"dept";
	assert_string_equal(items_of(f->st, &q), "");
	/* Filters combine. */
	q = (fisc_query){0};
	q.region = bb;
	q.year = 2023;
	q.scope = FISC_SCOPE_ALL;
	q.book_set = 1;
	q.book = FISC_BOOK_GPB;
	q.phase = FISC_PHASE_EXECUTION;
	assert_string_equal(items_of(f->st, &q), "f1 f6");
	q.dept = "";
	assert_string_equal(items_of(f->st, &q), "f1");
	q.year = 2022;
	assert_string_equal(items_of(f->st, &q), "");
}

static int stop_fact(void *ud, const fisc_fact *f)
{
	(*(int *)ud)++;
	return 42;
}

static void fact_each_stops(void **state)
{
	fx *f = *state;
	int64_t r = put_region(f->st, &CQ);
	fisc_fact a = mkfact(r, 2023, FISC_SCOPE_ALL, FISC_BOOK_GPB, FISC_PHASE_FINAL, "x", 1);
	fisc_fact b = mkfact(r, 2023, FISC_SCOPE_ALL, FISC_BOOK_GPB, FISC_PHASE_FINAL, "y", 1);
	put_fact(f->st, &a);
	put_fact(f->st, &b);
	int calls = 0;
	assert_int_equal(fisc_store_fact_each(f->st, NULL, stop_fact, &calls), 42);
	assert_int_equal(calls, 1);
}

/* ---- fact_scan: facts with string ids ---------------------------------- */

typedef struct scanned {
	const char *text[64]; /* by string id; [0] is "" */
	uint32_t ntext;
	flist facts;          /* the facts rebuilt from ids */
	int stop_at;          /* stop (return 9) at this fact (1-based), 0: never */
} scanned;

static int scan_string(void *ud, uint32_t id, const char *s, size_t n)
{
	scanned *x = ud;
	/* Numbered 1, 2, 3 … in order, each once, never "". */
	assert_int_equal(id, x->ntext);
	assert_true(n > 0 && n == strlen(s));
	for (uint32_t i = 1; i < x->ntext; i++)
		assert_string_not_equal(x->text[i], s);
	x->text[x->ntext++] = strdup(s);
	return 0;
}

static int scan_fact(void *ud, const fisc_fact_ids *r)
{
	scanned *x = ud;
	uint32_t ids[6] = {r->item, r->dept, r->project, r->econ, r->fund, r->source};
	for (int i = 0; i < 6; i++)
		assert_true(ids[i] < x->ntext); /* announced before use */
	fisc_fact f;
	memset(&f, 0, sizeof f);
	f.id = r->id;
	f.region = r->region;
	f.year = r->year;
	f.scope = r->scope;
	f.book = r->book;
	f.phase = r->phase;
	f.kind = r->kind;
	f.item = x->text[r->item];
	f.dept = x->text[r->dept];
	f.project = x->text[r->project];
	f.econ = x->text[r->econ];
	f.fund = x->text[r->fund];
	f.source = x->text[r->source];
	f.note = ""; /* not read by a scan */
	f.has_amount = r->has_amount;
	f.amount = r->amount;
	collect_fact(&x->facts, &f);
	return x->facts.n == x->stop_at ? 9 : 0;
}

static void scan_free(scanned *x)
{
	for (uint32_t i = 1; i < x->ntext; i++)
		free((char *)x->text[i]);
}

/* The scan gives what fact_each gives, note aside, with texts numbered. */
static void assert_scan_is_each(fisc_store *st, const fisc_query *q)
{
	scanned x;
	memset(&x, 0, sizeof x);
	x.text[x.ntext++] = "";
	assert_int_equal(fisc_store_fact_scan(st, q, scan_string, scan_fact, &x), FISC_OK);
	flist *want = query(st, q);
	assert_int_equal(x.facts.n, want->n);
	for (int i = 0; i < want->n; i++) {
		fcopy *a = &x.facts.v[i], *b = &want->v[i];
		assert_int_equal(a->f.id, b->f.id);
		assert_int_equal(a->f.region, b->f.region);
		assert_int_equal(a->f.year, b->f.year);
		assert_int_equal(a->f.scope, b->f.scope);
		assert_int_equal(a->f.book, b->f.book);
		assert_int_equal(a->f.phase, b->f.phase);
		assert_int_equal(a->f.kind, b->f.kind);
		assert_string_equal(a->item, b->item);
		assert_string_equal(a->dept, b->dept);
		assert_string_equal(a->project, b->project);
		assert_string_equal(a->econ, b->econ);
		assert_string_equal(a->fund, b->fund);
		assert_string_equal(a->source, b->source);
		assert_int_equal(a->f.has_amount, b->f.has_amount);
		assert_int_equal(a->f.amount.fen, b->f.amount.fen);
		assert_int_equal(a->f.amount.ulp, b->f.amount.ulp);
		assert_int_equal(a->f.amount.unit, b->f.amount.unit);
		assert_int_equal(a->f.amount.decimals, b->f.amount.decimals);
	}
	scan_free(&x);
}

static void fact_scan(void **state)
{
	fx *f = *state;
	int64_t cq = put_region(f->st, &CQ);
	int64_t bb = put_region(f->st, &BEIBEI);
	/* Texts repeated within and across fields, long ones sharing their first
	** bytes (the scan's cache of recent texts is keyed by them), an amount
	** in 亿元, one without an amount. */
	const char *items[] = {"2050201", "2050202", "upper_subsidy_long_id", "upper_subsidy_long_ix",
			       "2050201", "教育局"};
	for (int i = 0; i < 12; i++) {
		fisc_fact a = mkfact(i % 3 ? bb : cq, 2023 + i % 2, FISC_SCOPE_ALL + i % 3,
				     FISC_BOOK_GPB + i % 4, FISC_PHASE_BUDGET + i % 4, items[i % 6],
				     (fisc_fen)i * 1000000);
		a.kind = (uint8_t)(i % 5 == 0);
		a.dept = i % 4 == 1 ? "教育局" : "";
		a.project = i % 3 == 2 ? "学前教育补助" : "";
		a.econ = i % 5 == 3 ? "30101" : "";
		a.fund = i % 6 == 4 ? "upper_subsidy_long_id" : "";
		a.source = i % 2 ? "003_84b9d584d86aad8e.txt:36" : "";
		a.note = "not scanned";
		if (i == 7) {
			a.amount.ulp = 1000000000;
			a.amount.unit = FISC_UNIT_YI;
			a.amount.decimals = 1;
		}
		a.has_amount = i != 9;
		put_fact(f->st, &a);
	}
	assert_scan_is_each(f->st, NULL);
	fisc_query q = {0};
	q.region = bb;
	assert_scan_is_each(f->st, &q);

	/* A nonzero return stops the walk and is handed back. */
	scanned x;
	memset(&x, 0, sizeof x);
	x.text[x.ntext++] = "";
	x.stop_at = 2;
	assert_int_equal(fisc_store_fact_scan(f->st, NULL, scan_string, scan_fact, &x), 9);
	assert_int_equal(x.facts.n, 2);
	scan_free(&x);

	/* A backend without a scan of its own gets store.c's, over fact_each. */
	const fisc_store_vtab *vt = f->st->vt;
	fisc_store_vtab plain = *vt;
	plain.fact_scan = NULL;
	f->st->vt = &plain;
	assert_scan_is_each(f->st, NULL);
	assert_scan_is_each(f->st, &q);
	f->st->vt = vt;
}

static void fact_duplicate_key(void **state)
{
	fx *f = *state;
	int64_t r = put_region(f->st, &CQ);
	fisc_fact a = mkfact(r, 2023, FISC_SCOPE_ALL, FISC_BOOK_GPB, FISC_PHASE_EXECUTION,
			     "205", 100);
	put_fact(f->st, &a);
	/* Another amount, source or note does not make another fact. */
	fisc_fact b = a;
	b.amount.fen = 200;
	b.source = "x.csv:3";
	b.note = "again";
	b.has_amount = 0;
	fisc_error_clear();
	assert_int_equal(fisc_store_fact_put(f->st, &b), FISC_EEXIST);
	assert_true(fisc_error_message()[0] != 0);
	assert_int_equal(fisc_store_fact_count(f->st), 1);

	/* Any one key field differing makes a new fact. */
	fisc_fact c;
	c = a, c.year = 2024;
	put_fact(f->st, &c);
	c = a, c.scope = FISC_SCOPE_SELF;
	put_fact(f->st, &c);
	c = a, c.book = FISC_BOOK_GFB;
	put_fact(f->st, &c);
	c = a, c.phase = FISC_PHASE_BUDGET;
	put_fact(f->st, &c);
	c = a, c.item = "206";
	put_fact(f->st, &c);
	c = a, c.kind = FISC_FACT_STATED;
	put_fact(f->st, &c);
	c = a, c.dept = "d";
	put_fact(f->st, &c);
	c = a, c.project = "p";
	put_fact(f->st, &c);
	c = a, c.econ = "301";
	put_fact(f->st, &c);
	c = a, c.fund = "f";
	put_fact(f->st, &c);
	assert_int_equal(fisc_store_fact_count(f->st), 11);
	/* …and each of those is unique in turn. */
	c = a, c.fund = "f";
	assert_int_equal(fisc_store_fact_put(f->st, &c), FISC_EEXIST);
	assert_int_equal(fisc_store_fact_count(f->st), 11);

	/* A fact needs a stored region. */
	fisc_fact orphan = mkfact(r + 1000, 2023, FISC_SCOPE_ALL, FISC_BOOK_GPB,
				  FISC_PHASE_EXECUTION, "205", 1);
	assert_int_not_equal(fisc_store_fact_put(f->st, &orphan), FISC_OK);
	assert_int_equal(fisc_store_fact_count(f->st), 11);
}

static void rollback_leaves_nothing(void **state)
{
	fx *f = *state;
	int64_t cq = put_region(f->st, &CQ);
	fisc_fact kept = mkfact(cq, 2023, FISC_SCOPE_ALL, FISC_BOOK_GPB, FISC_PHASE_FINAL, "k", 1);
	put_fact(f->st, &kept);

	assert_int_equal(fisc_store_begin(f->st), FISC_OK);
	int64_t bb = put_region(f->st, &BEIBEI);
	fisc_fact a = mkfact(bb, 2023, FISC_SCOPE_ALL, FISC_BOOK_GPB, FISC_PHASE_FINAL, "x", 1);
	put_fact(f->st, &a);
	fisc_fact b = mkfact(cq, 2024, FISC_SCOPE_ALL, FISC_BOOK_GPB, FISC_PHASE_FINAL, "y", 2);
	put_fact(f->st, &b);
	assert_int_equal(fisc_store_fact_count(f->st), 3); /* visible inside */
	assert_int_equal(fisc_store_rollback(f->st), FISC_OK);

	assert_int_equal(fisc_store_fact_count(f->st), 1);
	assert_string_equal(items_of(f->st, NULL), "k");
	fisc_arena *ar = fisc_arena_new();
	fisc_region r;
	assert_int_equal(fisc_store_region_find(f->st, "500109", ar, &r), FISC_ENOTFOUND);
	assert_int_equal(fisc_store_region_find(f->st, "500000", ar, &r), FISC_OK);
	fisc_arena_free(ar);
	/* Rolling back with no transaction open is harmless. */
	assert_int_equal(fisc_store_rollback(f->st), FISC_OK);

	/* Committed work stays. */
	assert_int_equal(fisc_store_begin(f->st), FISC_OK);
	put_fact(f->st, &b);
	assert_int_equal(fisc_store_commit(f->st), FISC_OK);
	assert_int_equal(fisc_store_rollback(f->st), FISC_OK);
	assert_int_equal(fisc_store_fact_count(f->st), 2);
}

/* The data version (what fisc serve keys its caches by) moves with every
** commit of another connection, in this process or another, and on SQLite
** stays put while nobody commits: SQLite answers it from the wal-index
** header without a transaction while that header is unchanged, so each
** commit must still be seen, every one of many in a row (a WAL reused after
** a checkpoint included). PostgreSQL answers from its snapshot; there any
** transaction of the cluster (autovacuum's too) may move it, so only the
** moves are asserted. */
static void data_version_sees_every_commit(void **state)
{
	fx *f = *state;
	int pg = tu_pg();
	put_region(f->st, &CQ);
	int64_t bb = put_region(f->st, &BEIBEI);
	fisc_store *watch;
	assert_int_equal(fisc_store_open(f->path, &watch), FISC_OK);
	int64_t v, again;
	assert_int_equal(fisc_store_data_version(watch, &v), FISC_OK);
	for (int i = 0; i < 3 && !pg; i++) {
		assert_int_equal(fisc_store_data_version(watch, &again), FISC_OK);
		assert_int_equal(again, v);
	}
	char item[16];
	for (int i = 0; i < 40; i++) {
		snprintf(item, sizeof item, "%d", 1000 + i);
		fisc_fact a = mkfact(bb, 2023, FISC_SCOPE_ALL, FISC_BOOK_GPB, FISC_PHASE_FINAL, item, i);
		if (i % 2) { /* another process */
			pid_t pid = fork();
			assert_true(pid >= 0);
			if (pid == 0) {
				fisc_store *st;
				_exit(fisc_store_open(f->path, &st) == FISC_OK &&
					      fisc_store_fact_put(st, &a) == FISC_OK
				      ? (fisc_store_close(st), 0)
				      : 1);
			}
			int status;
			assert_int_equal(waitpid(pid, &status, 0), pid);
			assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		} else {
			put_fact(f->st, &a);
		}
		if (i == 20 && !pg) /* the next commit starts the WAL again from its head */
			assert_int_equal(sqlite3_wal_checkpoint_v2(fisc_sqlite_db(f->st), "main",
							   SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL),
					 SQLITE_OK);
		assert_int_equal(fisc_store_data_version(watch, &again), FISC_OK);
		assert_true(again != v);
		v = again;
		if (pg)
			continue;
		assert_int_equal(fisc_store_data_version(watch, &again), FISC_OK);
		assert_int_equal(again, v);
	}
	fisc_store_close(watch);
}

static void reopen_keeps_data(void **state)
{
	fx *f = *state;
	assert_true(fisc_store_is_new(f->st));
	int64_t cq = put_region(f->st, &CQ);
	int64_t bb = put_region(f->st, &BEIBEI);
	fisc_fact a = mkfact(bb, 2023, FISC_SCOPE_ALL, FISC_BOOK_GPB, FISC_PHASE_FINAL,
			     "205", -123);
	put_fact(f->st, &a);
	assert_int_equal(fisc_store_edition_put(f->st, 2024, "test"), FISC_OK);
	fisc_store_close(f->st);
	f->st = NULL;

	assert_int_equal(fisc_store_open(f->path, &f->st), FISC_OK);
	assert_false(fisc_store_is_new(f->st));
	assert_int_equal(fisc_store_fact_count(f->st), 1);
	flist *l = query(f->st, NULL);
	assert_int_equal(l->n, 1);
	assert_int_equal(l->v[0].f.amount.fen, -123);
	assert_int_equal(l->v[0].f.region, bb);
	fisc_arena *ar = fisc_arena_new();
	fisc_region r;
	assert_int_equal(fisc_store_region_find(f->st, "北碚区", ar, &r), FISC_OK);
	assert_region(&r, &BEIBEI, bb);
	assert_int_equal(fisc_store_region_get(f->st, cq, ar, &r), FISC_OK);
	assert_region(&r, &CQ, cq);
	fisc_arena_free(ar);
	int ed = 0;
	assert_int_equal(fisc_store_edition_for(f->st, 2030, &ed), FISC_OK);
	assert_int_equal(ed, 2024);
	/* Keys are still enforced after reopening. */
	assert_int_equal(fisc_store_fact_put(f->st, &a), FISC_EEXIST);
	fisc_store_close(f->st);

	/* A third open, through the "sqlite:" scheme. */
	f->st = NULL;
	if (tu_pg())
		return;
	char uri[600];
	snprintf(uri, sizeof uri, "sqlite:%s", f->path);
	assert_int_equal(fisc_store_open(uri, &f->st), FISC_OK);
	assert_false(fisc_store_is_new(f->st));
	assert_int_equal(fisc_store_fact_count(f->st), 1);
}

/* A transaction is open exactly between begin and commit or rollback, and
** a begin that fails leaves none behind: on PostgreSQL a ledger handle's
** begin is BEGIN and then the ledger's advisory lock; when the lock is
** refused (here a lock_timeout while another session holds it) the
** connection was left in an aborted transaction that nothing ended, so
** every later begin on the handle failed ("current transaction is
** aborted") — a `fisc serve` engine that never wrote again. */
static void begin_failure_leaves_no_transaction(void **state)
{
	fx *f = *state;
	assert_false(fisc_store_txn_open(f->st));
	assert_int_equal(fisc_store_begin(f->st), FISC_OK);
	assert_true(fisc_store_txn_open(f->st));
	assert_int_equal(fisc_store_commit(f->st), FISC_OK);
	assert_false(fisc_store_txn_open(f->st));
	assert_int_equal(fisc_store_rollback(f->st), FISC_OK); /* none open: nothing */
	if (!tu_pg())
		return;
	PGconn *other = PQconnectdb(getenv("FISC_TEST_PG"));
	PGresult *r = PQexec(other, "SELECT pg_advisory_lock(" FISC_PG_LEDGER_LOCK ")");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
	/* The same store, with a lock_timeout of 100 ms. */
	const char *opt = strstr(f->path, "options='");
	assert_non_null(opt);
	char uri[2048];
	snprintf(uri, sizeof uri, "%.*soptions='-clock_timeout=100 %s", (int)(opt - f->path), f->path,
		 opt + strlen("options='"));
	fisc_store *st;
	assert_int_equal(fisc_store_open(uri, &st), FISC_OK);
	assert_int_equal(fisc_store_ledger_durable(st), FISC_OK);
	assert_int_not_equal(fisc_store_begin(st), FISC_OK);
	assert_false(fisc_store_txn_open(st));
	r = PQexec(other, "SELECT pg_advisory_unlock(" FISC_PG_LEDGER_LOCK ")");
	PQclear(r);
	PQfinish(other);
	/* The handle works again: a write begins, commits and is there. */
	assert_int_equal(fisc_store_begin(st), FISC_OK);
	int64_t id = put_region(st, &CQ);
	assert_true(id > 0);
	assert_int_equal(fisc_store_commit(st), FISC_OK);
	assert_false(fisc_store_txn_open(st));
	fisc_store_close(st);
	fisc_region got;
	fisc_arena *a = fisc_arena_new();
	assert_int_equal(fisc_store_region_find(f->st, "500000", a, &got), FISC_OK);
	fisc_arena_free(a);
}

static void open_errors(void **state)
{
	fisc_store *st = (fisc_store *)1;
	fisc_error_clear();
	/* PostgreSQL addresses reach the libpq backend, in all three forms:
	** with no server on that socket, the error says so. */
	assert_int_equal(fisc_store_open("postgres:///db?host=/nonexistent-fisc-dir", &st), FISC_EIO);
	assert_null(st);
	assert_non_null(strstr(fisc_error_message(), "PostgreSQL"));
	st = (fisc_store *)1;
	assert_int_equal(fisc_store_open("postgresql://u@/db?host=/nonexistent-fisc-dir", &st),
			 FISC_EIO);
	assert_null(st);
	st = (fisc_store *)1;
	assert_int_equal(fisc_store_open("host=/nonexistent-fisc-dir dbname=x", &st), FISC_EIO);
	assert_null(st);
	assert_int_equal(fisc_store_open("pg:x", &st), FISC_EUNSUPPORTED);
	assert_int_equal(fisc_store_open("", &st), FISC_EINVAL);
	assert_int_equal(fisc_store_open(NULL, &st), FISC_EINVAL);
	/* A directory that does not exist cannot hold a store. */
	assert_int_not_equal(fisc_store_open("/nonexistent-fisc-dir/x/fisc.db", &st), FISC_OK);
	assert_null(st);
	/* A file that is not a database. */
	char *dir = tu_tmpdir();
	char *p = tu_write(dir, "junk.db", "this is not an SQLite database, not at all........"
				      "..............................................");
	assert_int_not_equal(fisc_store_open(p, &st), FISC_OK);
	assert_null(st);
	free(p);
	tu_rmrf(dir);
	free(dir);
}

static void sqlite_scheme_creates(void **state)
{
	char *dir = tu_tmpdir();
	char uri[600];
	snprintf(uri, sizeof uri, "sqlite:%s/via-scheme.db", dir);
	fisc_store *st;
	assert_int_equal(fisc_store_open(uri, &st), FISC_OK);
	assert_true(fisc_store_is_new(st));
	assert_int_equal(fisc_store_fact_count(st), 0);
	fisc_store_close(st);
	char path[600];
	snprintf(path, sizeof path, "%s/via-scheme.db", dir);
	assert_int_equal(access(path, F_OK), 0); /* the prefix is not part of the name */
	tu_rmrf(dir);
	free(dir);
}

/* Files in dir other than . and .. */
static int files_in(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* Creation rules: fisc_store_open creates and seeds the bundled catalogue
** itself; fisc_store_open_v2 without FISC_OPEN_CREATE finds a missing store
** missing and creates nothing; a creation that cannot seed leaves no file. */
static void open_creates_whole_or_not_at_all(void **state)
{
	char *dir = tu_tmpdir();
	char path[600], uri[700];
	snprintf(path, sizeof path, "%s/new.db", dir);
	fisc_store *st = (fisc_store *)1;

	assert_int_equal(fisc_store_open_v2(path, 0, &st), FISC_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(fisc_error_message(), "store not found"));
	assert_non_null(strstr(fisc_error_message(), path));
	assert_int_equal(files_in(dir), 0);

	/* The data directory missing: nothing at all is left. */
	const char *dd = getenv("FISC_DATADIR");
	char *keep = dd ? strdup(dd) : NULL;
	setenv("FISC_DATADIR", "/nonexistent-fisc-datadir", 1);
	assert_int_not_equal(fisc_store_open(path, &st), FISC_OK);
	assert_null(st);
	assert_non_null(strstr(fisc_error_message(), "/nonexistent-fisc-datadir"));
	assert_int_equal(files_in(dir), 0);
	if (keep)
		setenv("FISC_DATADIR", keep, 1);
	else
		unsetenv("FISC_DATADIR");
	free(keep);

	/* Created: new, with the bundled catalogue, nothing else to call. */
	assert_int_equal(fisc_store_open_v2(path, FISC_OPEN_CREATE, &st), FISC_OK);
	assert_true(fisc_store_is_new(st));
	int ed = 0;
	assert_int_equal(fisc_store_edition_for(st, 2024, &ed), FISC_OK);
	fisc_catalog *cat;
	assert_int_equal(fisc_catalog_load(st, 2024, &cat), FISC_OK);
	assert_non_null(fisc_catalog_resolve(cat, "205", -1));
	fisc_catalog_free(cat);
	fisc_store_close(st);
	assert_int_equal(files_in(dir), 1); /* new.db alone: no temporary file left */

	/* Now it exists: opened without the flag, not new. */
	assert_int_equal(fisc_store_open_v2(path, 0, &st), FISC_OK);
	assert_false(fisc_store_is_new(st));
	fisc_store_close(st);

	/* The VFS parameter names a registered VFS; nothing else is accepted. */
	snprintf(uri, sizeof uri, "sqlite:%s?vfs=no-such-vfs", path);
	assert_int_equal(fisc_store_open_v2(uri, 0, &st), FISC_EINVAL);
	snprintf(uri, sizeof uri, "sqlite:%s?mode=ro", path);
	assert_int_equal(fisc_store_open_v2(uri, 0, &st), FISC_EINVAL);
	snprintf(uri, sizeof uri, "sqlite:%s?vfs=unix", path);
	assert_int_equal(fisc_store_open_v2(uri, 0, &st), FISC_OK);
	fisc_store_close(st);
	tu_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(region_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(region_parent_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(region_put_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(region_each, setup, teardown),
		cmocka_unit_test_setup_teardown(fact_every_field, setup, teardown),
		cmocka_unit_test_setup_teardown(fact_extreme_amounts, setup, teardown),
		cmocka_unit_test_setup_teardown(fact_query_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(fact_each_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(fact_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(fact_duplicate_key, setup, teardown),
		cmocka_unit_test_setup_teardown(rollback_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(reopen_keeps_data, setup, teardown),
		cmocka_unit_test_setup_teardown(data_version_sees_every_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(begin_failure_leaves_no_transaction, setup, teardown),
		cmocka_unit_test(open_errors),
		cmocka_unit_test(sqlite_scheme_creates),
		cmocka_unit_test(open_creates_whole_or_not_at_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
