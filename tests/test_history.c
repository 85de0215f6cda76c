/*
** test_history.c — corrections with history (fisc/history.h): an amendment
** changes, adds and withdraws figures without overwriting any; the current
** view, the view as of a document or a date (fact_each and the rule
** engine's fact_scan), the versions of a figure, a dry run and a refused
** amendment that change nothing, the date order of versions, the diff's
** lines and its half-up percentages, and the journal entry that verifies.
*/
#include "testutil.h"

#include "fisc/catalog.h"
#include "fisc/error.h"
#include "fisc/history.h"
#include "fisc/import.h"
#include "fisc/journal.h"
#include "fisc/store.h"

static const char base_csv[] =
	"region,scope,year,book,phase,item,amount,unit,kind\n"
	"500109,all,2023,gpb,execution,tax,160198,万元,base\n"
	"500109,all,2023,gpb,execution,nontax,140078,万元,base\n"
	"500109,all,2023,gpb,execution,carry_in,57052,万元,base\n"
	"500109,all,2023,gpb,budget,tax,800,万元,base\n"
	"500109,all,2023,gpb,budget,nontax,800,万元,base\n"
	"500109,all,2023,gpb,budget,carry_in,0,万元,base\n";

static const char regions_csv[] = "code,name,level\n500109,北碚区,区\n";

typedef struct fx {
	fisc_store *st;
	fisc_diag *diag;
	int64_t region;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	fisc_import_stats s;
	/* A fresh schema of the test cluster with FISC_TEST_PG (test_pg_unit.sh). */
	char *uri = tu_store_uri(":memory:");
	assert_int_equal(fisc_store_open_v2(uri, FISC_OPEN_CREATE, &f->st), FISC_OK);
	free(uri);
	f->diag = fisc_diag_new();
	assert_int_equal(fisc_import_csv_buffer(f->st, "regions.csv", regions_csv,
						sizeof regions_csv - 1, f->diag, &s), FISC_OK);
	assert_int_equal(fisc_import_csv_buffer(f->st, "base.csv", base_csv, sizeof base_csv - 1,
						f->diag, &s), FISC_OK);
	assert_int_equal(s.facts, 6);
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	assert_int_equal(fisc_store_region_find(f->st, "500109", a, &r), FISC_OK);
	f->region = r.id;
	fisc_arena_free(a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	fisc_diag_free(f->diag);
	fisc_store_close(f->st);
	free(f);
	return 0;
}

/* The amount of item in phase as a query sees it; -1 when absent. */
typedef struct look {
	const char *item;
	int phase;
	int64_t fen;
} look;

static int look_cb(void *ud, const fisc_fact *f)
{
	look *l = ud;
	if (!strcmp(f->item, l->item) && f->phase == l->phase)
		l->fen = f->amount.fen;
	return 0;
}

static int64_t amount_of(fisc_store *st, const fisc_query *q, const char *item, int phase)
{
	look l = {item, phase, -1};
	assert_int_equal(fisc_store_fact_each(st, q, look_cb, &l), FISC_OK);
	return l.fen;
}

/* The same through the rule engine's scan (string ids). */
typedef struct scan_look {
	const char *item;
	uint32_t item_id;
	int64_t fen;
} scan_look;

static int scan_str(void *ud, uint32_t id, const char *s, size_t n)
{
	scan_look *l = ud;
	if (n == strlen(l->item) && !memcmp(s, l->item, n))
		l->item_id = id;
	return 0;
}

static int scan_fact(void *ud, const fisc_fact_ids *f)
{
	scan_look *l = ud;
	if (l->item_id && f->item == l->item_id && f->phase == FISC_PHASE_EXECUTION)
		l->fen = f->amount.fen;
	return 0;
}

static int64_t scanned(fisc_store *st, const fisc_query *q, const char *item)
{
	scan_look l = {item, 0, -1};
	assert_int_equal(fisc_store_fact_scan(st, q, scan_str, scan_fact, &l), FISC_OK);
	return l.fen;
}

static const int64_t WAN = 1000000; /* fen per 万元 */

static int amend(fx *f, const char *csv, int32_t date, int dry, fisc_amend_stats *s)
{
	fisc_amend_opts o = {"财预〔2024〕1号", "张三", "更正", date, dry};
	return fisc_amend_csv_buffer(f->st, "fix.csv", csv, strlen(csv), &o, f->diag, NULL, NULL, s);
}

static void amend_keeps_old_version(void **state)
{
	fx *f = *state;
	fisc_amend_stats s;
	int64_t n = fisc_store_fact_count(f->st);
	assert_int_equal(amend(f,
			       "region,scope,year,book,phase,item,amount,unit,action\n"
			       "500109,all,2023,gpb,execution,tax,160298,万元,\n"
			       "500109,all,2023,gpb,execution,nontax,140078,万元,\n"
			       "500109,all,2023,gpb,execution,10101,5,万元,\n"
			       "500109,all,2023,gpb,execution,carry_in,,万元,撤回\n",
			       20240630, 0, &s),
			 FISC_OK);
	assert_int_equal(fisc_diag_errors(f->diag), 0);
	assert_int_equal(s.amended, 1);
	assert_int_equal(s.added, 1);
	assert_int_equal(s.withdrawn, 1);
	assert_int_equal(s.unchanged, 1);
	assert_int_equal(s.doc, 2); /* 1: base.csv (regions.csv wrote no fact) */
	assert_int_equal(fisc_store_fact_count(f->st), n); /* +1 added, −1 withdrawn */

	fisc_query q = {.region = f->region, .year = 2023};
	assert_int_equal(amount_of(f->st, &q, "tax", 3), 160298 * WAN);
	assert_int_equal(amount_of(f->st, &q, "carry_in", 3), -1);
	assert_int_equal(amount_of(f->st, &q, "10101", 3), 5 * WAN);
	assert_int_equal(scanned(f->st, &q, "tax"), 160298 * WAN);

	/* As of the import (document 1), and as of the day before. */
	fisc_query old = q;
	old.as_of_doc = 1;
	assert_int_equal(amount_of(f->st, &old, "tax", 3), 160198 * WAN);
	assert_int_equal(amount_of(f->st, &old, "carry_in", 3), 57052 * WAN);
	assert_int_equal(amount_of(f->st, &old, "10101", 3), -1);
	assert_int_equal(scanned(f->st, &old, "tax"), 160198 * WAN);
	assert_int_equal(scanned(f->st, &old, "carry_in"), 57052 * WAN);
	old.as_of_doc = 0;
	old.as_of_date = 20240629;
	assert_int_equal(amount_of(f->st, &old, "tax", 3), 160198 * WAN);
	old.as_of_date = 20240630;
	assert_int_equal(amount_of(f->st, &old, "tax", 3), 160298 * WAN);

	/* fisc_store_view: queries without an as-of of their own. */
	fisc_query view = {0};
	assert_int_equal(fisc_history_as_of(f->st, "2024-06-29", &view), FISC_OK);
	assert_int_equal(view.as_of_date, 20240629);
	fisc_store_view(f->st, &view);
	assert_int_equal(amount_of(f->st, &q, "tax", 3), 160198 * WAN);
	assert_int_equal(scanned(f->st, NULL, "tax"), 160198 * WAN);
	fisc_store_view(f->st, NULL);
	assert_int_equal(amount_of(f->st, &q, "tax", 3), 160298 * WAN);
	assert_int_equal(fisc_history_as_of(f->st, "财预〔2024〕1号", &view), FISC_OK);
	assert_int_equal(view.as_of_doc, 2);
	assert_int_equal(fisc_history_as_of(f->st, "#7", &view), FISC_ENOTFOUND);
	/* Document 0 holds nothing here: its view is empty, not current. */
	assert_int_equal(fisc_history_as_of(f->st, "#0", &view), FISC_OK);
	assert_int_equal(amount_of(f->st, &view, "tax", 3), -1);
	assert_int_equal(fisc_history_as_of(f->st, "2024-02-30", &view), FISC_EINVAL);
	assert_int_equal(fisc_history_as_of(f->st, "财预〔2099〕1号", &view), FISC_ENOTFOUND);

	fisc_journal_report r;
	assert_int_equal(fisc_journal_verify(f->st, &r), FISC_OK);
	assert_true(r.ok);
}

typedef struct vers {
	int n;
	int64_t fen[8], doc[8], ended[8];
	int withdrawn[8];
} vers;

static int vers_cb(void *ud, const fisc_fact_version *v)
{
	vers *x = ud;
	if (x->n < 8) {
		x->fen[x->n] = v->f.amount.fen;
		x->doc[x->n] = v->doc;
		x->ended[x->n] = v->ended_by;
		x->withdrawn[x->n] = v->withdrawn;
	}
	x->n++;
	return 0;
}

static void history_lists_versions(void **state)
{
	fx *f = *state;
	fisc_amend_stats s;
	const char *one = "region,scope,year,book,phase,item,amount,unit\n"
			  "500109,all,2023,gpb,execution,tax,160298,万元\n";
	const char *two = "region,scope,year,book,phase,item,amount,unit,action\n"
			  "500109,all,2023,gpb,execution,tax,160398,万元,\n"
			  "500109,all,2023,gpb,execution,carry_in,,万元,withdraw\n";
	fisc_amend_opts o1 = {"A-1", "", "一", 20240101, 0}, o2 = {"A-2", "", "二", 20240201, 0};
	assert_int_equal(fisc_amend_csv_buffer(f->st, "1.csv", one, strlen(one), &o1, f->diag, NULL,
					       NULL, &s), FISC_OK);
	assert_int_equal(fisc_amend_csv_buffer(f->st, "2.csv", two, strlen(two), &o2, f->diag, NULL,
					       NULL, &s), FISC_OK);
	fisc_query q = {.region = f->region, .year = 2023, .phase = FISC_PHASE_EXECUTION};
	vers v = {0};
	assert_int_equal(fisc_history_each(f->st, &q, "tax", vers_cb, &v), FISC_OK);
	assert_int_equal(v.n, 3);
	assert_int_equal(v.fen[0], 160198 * WAN);
	assert_int_equal(v.fen[1], 160298 * WAN);
	assert_int_equal(v.fen[2], 160398 * WAN);
	assert_int_equal(v.doc[0], 1);
	assert_int_equal(v.ended[0], 2);
	assert_int_equal(v.ended[1], 3);
	assert_int_equal(v.ended[2], 0);
	memset(&v, 0, sizeof v);
	assert_int_equal(fisc_history_each(f->st, &q, "carry_in", vers_cb, &v), FISC_OK);
	assert_int_equal(v.n, 1);
	assert_int_equal(v.ended[0], 3);
	assert_true(v.withdrawn[0]);

	/* The document of a version, as recorded. */
	fisc_arena *a = fisc_arena_new();
	fisc_fact_doc d;
	assert_int_equal(fisc_history_doc_get(f->st, 3, a, &d), FISC_OK);
	assert_string_equal(d.number, "A-2");
	assert_string_equal(d.reason, "二");
	assert_int_equal(d.date, 20240201);
	assert_int_equal(d.kind, FISC_FACT_DOC_AMEND);
	assert_int_equal(fisc_history_doc_get(f->st, 1, a, &d), FISC_OK);
	assert_int_equal(d.kind, FISC_FACT_DOC_IMPORT);
	assert_string_equal(d.source, "base.csv");
	fisc_arena_free(a);

	/* An amendment dated before the version it would end is refused. */
	fisc_amend_opts early = {"A-3", "", "早", 20240115, 0};
	const char *three = "region,scope,year,book,phase,item,amount,unit\n"
			    "500109,all,2023,gpb,execution,tax,1,万元\n";
	assert_int_equal(fisc_amend_csv_buffer(f->st, "3.csv", three, strlen(three), &early, f->diag,
					       NULL, NULL, &s), FISC_EIMPORT);
	assert_int_equal(fisc_diag_get(f->diag, fisc_diag_count(f->diag) - 1)->line, 2);
}

typedef struct shown {
	int n, ops[8];
	int64_t old[8], now[8];
} shown;

static int show_cb(void *ud, const fisc_change *c)
{
	shown *s = ud;
	if (s->n < 8) {
		s->ops[s->n] = c->op;
		s->old[s->n] = c->old ? c->old->amount.fen : -1;
		s->now[s->n] = c->now ? c->now->amount.fen : -1;
	}
	s->n++;
	return 0;
}

static void dry_run_and_refusal_change_nothing(void **state)
{
	fx *f = *state;
	fisc_amend_stats s;
	int64_t seq0, seq1;
	uint8_t h0[32], h1[32];
	assert_int_equal(fisc_journal_head(f->st, &seq0, h0), FISC_OK);
	const char *csv = "region,scope,year,book,phase,item,amount,unit\n"
			  "500109,all,2023,gpb,execution,tax,1.5,亿元\n";
	fisc_amend_opts o = {"", "", "试", 20240101, 1};
	shown sh = {0};
	assert_int_equal(fisc_amend_csv_buffer(f->st, "d.csv", csv, strlen(csv), &o, f->diag, show_cb,
					       &sh, &s), FISC_OK);
	assert_int_equal(sh.n, 1);
	assert_int_equal(sh.ops[0], FISC_CHANGE_AMEND);
	assert_int_equal(sh.old[0], 160198 * WAN);
	assert_int_equal(sh.now[0], 15000 * WAN);
	assert_int_equal(s.doc, 0);
	fisc_query q = {.region = f->region, .year = 2023};
	assert_int_equal(amount_of(f->st, &q, "tax", 3), 160198 * WAN);
	assert_int_equal(fisc_journal_head(f->st, &seq1, h1), FISC_OK);
	assert_int_equal(seq0, seq1);

	/* One bad row: the good one is not applied either. */
	const char *bad = "region,scope,year,book,phase,item,amount,unit\n"
			  "500109,all,2023,gpb,execution,tax,1,万元\n"
			  "500109,all,2023,gpb,execution,nontax,x,万元\n";
	o.dry_run = 0;
	size_t nd = fisc_diag_count(f->diag);
	assert_int_equal(fisc_amend_csv_buffer(f->st, "b.csv", bad, strlen(bad), &o, f->diag, NULL,
					       NULL, &s), FISC_EIMPORT);
	const fisc_diag_entry *e = fisc_diag_get(f->diag, nd);
	assert_string_equal(e->file, "b.csv");
	assert_int_equal(e->line, 3);
	assert_string_equal(e->field, "amount");
	assert_int_equal(amount_of(f->st, &q, "tax", 3), 160198 * WAN);
	assert_int_equal(fisc_journal_head(f->st, &seq1, h1), FISC_OK);
	assert_int_equal(seq0, seq1);
	/* A reason is required. */
	fisc_amend_opts noreason = {"", "", "", 0, 0};
	assert_int_equal(fisc_amend_csv_buffer(f->st, "d.csv", csv, strlen(csv), &noreason, f->diag,
					       NULL, NULL, &s), FISC_EINVAL);
	/* The action column belongs to amendments. */
	fisc_import_stats is;
	const char *act = "region,scope,year,book,phase,item,amount,unit,action\n"
			  "500109,all,2023,gpb,final,tax,1,万元,withdraw\n";
	assert_int_equal(fisc_import_csv_buffer(f->st, "i.csv", act, strlen(act), f->diag, &is),
			 FISC_EIMPORT);
}

/* The text of the cell of the row whose item code is `item`, column k. */
static const char *cell_of(const fisc_doc *d, const char *item, size_t k)
{
	for (size_t b = 0; b < d->nblocks; b++) {
		const fisc_table *t = d->blocks[b].table;
		if (d->blocks[b].kind != FISC_BLOCK_TABLE)
			continue;
		for (size_t r = 0; r < t->nbody; r++)
			if (t->body[r][2].text && !strcmp(t->body[r][2].text, item))
				return t->body[r][k].text ? t->body[r][k].text : "";
	}
	return NULL;
}

/* One fact's versions, the journal entries of their documents, and the
** history document the CLI and the server share. */
typedef struct vlist {
	int64_t doc[4], ended[4];
	int64_t fen[4];
	int n;
} vlist;

static int vlist_cb(void *ud, const fisc_fact_version *v)
{
	vlist *l = ud;
	assert_true(l->n < 4);
	l->doc[l->n] = v->doc;
	l->ended[l->n] = v->ended_by;
	l->fen[l->n++] = v->f.amount.fen;
	return 0;
}

static int tax_id_cb(void *ud, const fisc_fact *f)
{
	if (!strcmp(f->item, "tax") && f->phase == FISC_PHASE_EXECUTION)
		*(int64_t *)ud = f->id;
	return 0;
}

static void fact_versions_documents_and_entries(void **state)
{
	fx *f = *state;
	fisc_amend_stats s;
	assert_int_equal(amend(f,
			       "region,scope,year,book,phase,item,amount,unit\n"
			       "500109,all,2023,gpb,execution,tax,160298,万元\n",
			       20240630, 0, &s),
			 FISC_OK);
	fisc_query q = {.region = f->region, .year = 2023};
	int64_t id = 0;
	assert_int_equal(fisc_store_fact_each(f->st, &q, tax_id_cb, &id), FISC_OK);
	assert_true(id > 0);
	vlist l = {0};
	assert_int_equal(fisc_history_fact_each(f->st, f->region, id, vlist_cb, &l), FISC_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.doc[0], 1);
	assert_int_equal(l.ended[0], 2);
	assert_int_equal(l.fen[0], 160198 * WAN);
	assert_int_equal(l.doc[1], 2);
	assert_int_equal(l.ended[1], 0);
	assert_int_equal(l.fen[1], 160298 * WAN);
	vlist none = {0};
	assert_int_equal(fisc_history_fact_each(f->st, f->region, 999999, vlist_cb, &none),
			 FISC_ENOTFOUND);
	assert_int_equal(fisc_history_fact_each(f->st, f->region + 1, id, vlist_cb, &none),
			 FISC_ENOTFOUND);
	/* the import's and the amendment's journal entries, in that order */
	int64_t s1, s2, s3;
	uint8_t h1[32], h2[32], head[32];
	assert_int_equal(fisc_history_doc_entry(f->st, 1, &s1, h1), FISC_OK);
	assert_int_equal(fisc_history_doc_entry(f->st, 2, &s2, h2), FISC_OK);
	assert_true(s1 > 0 && s2 > s1);
	assert_int_equal(fisc_journal_head(f->st, &s3, head), FISC_OK);
	assert_int_equal(s2, s3); /* the amendment was the last write */
	assert_memory_equal(h2, head, 32);
	assert_int_equal(fisc_history_doc_entry(f->st, 3, &s3, head), FISC_ENOTFOUND);
	assert_int_equal(fisc_history_doc_entry(f->st, 0, &s3, head), FISC_ENOTFOUND);
	/* the history document: one row per version, the amendment's 文号 */
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	assert_int_equal(fisc_store_region_find(f->st, "500109", a, &r), FISC_OK);
	fisc_doc *d;
	assert_int_equal(fisc_history_build(f->st, &r, &q, "tax", a, &d), FISC_OK);
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	assert_int_equal(fisc_doc_write(d, "text", NULL, out), FISC_OK);
	fclose(out);
	assert_non_null(strstr(buf, "#2 修正 财预〔2024〕1号"));
	assert_non_null(strstr(buf, "被取代 #2"));
	assert_non_null(strstr(buf, "160,298万元"));
	free(buf);
	/* column headings: what differs between the sides */
	fisc_diff_spec y1 = {NULL, "2023", "budget", NULL}, y2 = {NULL, "2024", "budget", NULL};
	assert_string_equal(fisc_diff_label(a, &y1, &y2), "2023 年");
	fisc_diff_spec v1 = {NULL, "2023", NULL, "#1"}, v2 = {NULL, "2023", NULL, NULL};
	assert_string_equal(fisc_diff_label(a, &v1, &v2), "#1 时");
	assert_string_equal(fisc_diff_label(a, &v2, &v1), "现行");
	fisc_arena_free(a);
}

static void diff_phases_half_up(void **state)
{
	fx *f = *state;
	fisc_import_stats is;
	/* 800 → 801: +0.125 % → 0.13 %; 800 → 799: −0.13 %; 0 → x: "—". */
	const char *more = "region,scope,year,book,phase,item,amount,unit\n"
			   "500109,all,2023,gpb,adjusted,tax,801,万元\n"
			   "500109,all,2023,gpb,adjusted,nontax,799,万元\n"
			   "500109,all,2023,gpb,adjusted,carry_in,5,万元\n";
	assert_int_equal(fisc_import_csv_buffer(f->st, "adj.csv", more, strlen(more), f->diag, &is),
			 FISC_OK);
	fisc_arena *a = fisc_arena_new();
	fisc_diff_side sa = {f->st, {.region = f->region, .year = 2023, .phase = FISC_PHASE_BUDGET}, "预算"};
	fisc_diff_side sb = {f->st, {.region = f->region, .year = 2023, .phase = FISC_PHASE_ADJUSTED}, "调整预算"};
	fisc_doc *d;
	assert_int_equal(fisc_diff_build(&sa, &sb, 0, FISC_UNIT_WAN, -1, a, &d), FISC_OK);
	/* Columns: 预算 口径 代码 名称 明细 old new 增减 % */
	assert_string_equal(cell_of(d, "tax", 5), "800");
	assert_string_equal(cell_of(d, "tax", 6), "801");
	assert_string_equal(cell_of(d, "tax", 7), "1");
	assert_string_equal(cell_of(d, "tax", 8), "0.13%");
	assert_string_equal(cell_of(d, "nontax", 8), "-0.13%");
	assert_string_equal(cell_of(d, "carry_in", 8), "—");
	assert_string_equal(cell_of(d, "carry_in", 7), "5");
	/* Sorted by item code. */
	const fisc_table *t = NULL;
	for (size_t b = 0; b < d->nblocks; b++)
		if (d->blocks[b].kind == FISC_BLOCK_TABLE)
			t = d->blocks[b].table;
	assert_non_null(t);
	assert_int_equal(t->nbody, 3);
	assert_string_equal(t->body[0][2].text, "carry_in");
	assert_string_equal(t->body[1][2].text, "nontax");
	assert_string_equal(t->body[2][2].text, "tax");
	fisc_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(amend_keeps_old_version, setup, teardown),
		cmocka_unit_test_setup_teardown(history_lists_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(dry_run_and_refusal_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(diff_phases_half_up, setup, teardown),
		cmocka_unit_test_setup_teardown(fact_versions_documents_and_entries, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
