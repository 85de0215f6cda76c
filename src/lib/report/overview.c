/*
** overview.c — a region and year at a glance (fisc/overview.h): the four
** books' totals in each phase, the statement of each book with its
** revenue and expenditure structure, debt against its limit, and the 指标
** ledger's 支出进度 by month. Every figure comes from what the reports
** already compute — fisc_balance_build for the books, the debt section's
** reading of the debt facts, the ledger's lines and monthly payments — so
** the page's overview shows the numbers of the tables and reports.
*/
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "fisc/error.h"
#include "fisc/ledger.h"
#include "fisc/overview.h"
#include "fisc/report.h"
#include "report/rep.h"

static json_t *money_dec(fisc_fen fen, int decimals)
{
	char t[64];
	fisc_fen_format(fen, FISC_UNIT_WAN, decimals, FISC_FMT_GROUP, t, sizeof t);
	return json_pack("{s:I,s:s}", "fen", (json_int_t)fen, "text", t);
}

/* In 万元 with the decimals the figure's finest written digit needs. */
static json_t *money(fisc_fen fen, fisc_fen wulp)
{
	int d = wulp ? fisc_unit_decimals_for(wulp, FISC_UNIT_WAN) : 0;
	return money_dec(fen, d < 0 ? 0 : d);
}

static json_t *row_money(const fisc_balance *b, const fisc_balance_row *v, size_t n,
			 const char *line)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].line, line))
			return v[i].has_amount ? money(v[i].fen, b->wulp) : json_null();
	return json_null();
}

static json_t *totals(const fisc_balance *b)
{
	return json_pack("{s:o,s:o}", "income_total",
			 row_money(b, b->income, b->nincome, "income_total"), "expense_total",
			 row_money(b, b->expense, b->nexpense, "expense_total"));
}

/* The items (level 2) of one side, in the table's order. */
static json_t *items(const fisc_balance *b, const fisc_balance_row *v, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		if (v[i].level == 2 && v[i].has_amount)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:o}", "label", v[i].label, "line",
							     v[i].line, "amount",
							     money(v[i].fen, b->wulp)));
	return arr;
}

static const int phases[] = {FISC_PHASE_BUDGET, FISC_PHASE_ADJUSTED, FISC_PHASE_EXECUTION};

/* One book: its totals per phase; the statement and structure of 执行,
** else 预算 (what the page shows as the book's statement). */
static int book_json(fisc_store *st, const fisc_region *r, int year, int book, fisc_arena *a,
		     json_t *books)
{
	json_t *per = json_object();
	const fisc_balance *shown = NULL, *budget = NULL;
	for (size_t p = 0; p < sizeof phases / sizeof *phases; p++) {
		fisc_selection sel = {r->code, year, book, FISC_SCOPE_ALL, phases[p]};
		fisc_balance *b;
		int rc = fisc_balance_build(st, &sel, a, &b);
		if (rc == FISC_ENOTFOUND) {
			fisc_error_clear();
			json_object_set_new(per, fisc_phase_code(phases[p]), json_null());
			continue;
		}
		if (rc != FISC_OK) {
			json_decref(per);
			return rc;
		}
		json_object_set_new(per, fisc_phase_code(phases[p]), totals(b));
		if (phases[p] == FISC_PHASE_EXECUTION)
			shown = b;
		if (phases[p] == FISC_PHASE_BUDGET)
			budget = b;
	}
	if (!shown)
		shown = budget;
	json_t *statement = json_null(), *structure = json_null();
	if (shown) {
		const fisc_balance_row *in = shown->nincome ? &shown->income[0] : NULL,
				       *ex = shown->nexpense ? &shown->expense[0] : NULL;
		int balanced = in && ex && in->has_amount && ex->has_amount && in->fen == ex->fen;
		json_decref(statement);
		statement = json_pack("{s:s,s:s,s:o,s:b}", "phase", fisc_phase_code(shown->phase),
				      "title", shown->title, "totals", totals(shown), "balanced",
				      balanced);
		json_decref(structure);
		structure = json_pack("{s:o,s:o}", "income", items(shown, shown->income, shown->nincome),
				      "expense", items(shown, shown->expense, shown->nexpense));
	}
	json_t *j = json_pack("{s:s,s:s,s:o,s:o,s:o}", "book", fisc_book_code(book), "name",
			      fisc_book_name(book), "phases", per, "statement", statement, "structure",
			      structure);
	return j && !json_array_append_new(books, j) ? FISC_OK
						     : fisc_error_set(FISC_ENOMEM, "out of memory");
}

static json_t *fsum_money(const fisc_fsum *s)
{
	return s->has_amount ? money(s->fen, s->wulp) : json_null();
}

static json_t *debt_json(fisc_store *st, const fisc_region *r, int year, fisc_arena *a, int *rc)
{
	fisc_fset fs;
	fisc_fsum limit[4], balance[4];
	int phase;
	*rc = fisc_fset_region(st, a, r->code, year, year, year, &fs);
	if (*rc != FISC_OK) {
		fisc_fset_free(&fs);
		return NULL;
	}
	json_t *j = json_null();
	if (fisc_rt_debt_limits(&fs, year, limit, balance, &phase)) {
		static const char *const kinds[4] = {"general", "special", "unsplit", "total"};
		json_decref(j);
		j = json_pack("{s:s}", "phase", fisc_phase_code(phase));
		for (int k = 0; k < 4; k++)
			json_object_set_new(j, kinds[k],
					    json_pack("{s:o,s:o}", "limit", fsum_money(&limit[k]),
						      "balance", fsum_money(&balance[k])));
	}
	fisc_fset_free(&fs);
	return j;
}

/* 支出进度 by month: what was paid each month on the region's lines of the
** year (the ledger's monthly rollup) against the sum of their 指标. */
typedef struct progress {
	const char *region;
	int year;
	int64_t quota, month[13];
	int nlines;
} progress;

static int line_cb(void *ud, const fisc_quota_line *l)
{
	progress *p = ud;
	if (l->year == p->year && !strcmp(l->region, p->region)) {
		p->quota += l->quota;
		p->nlines++;
	}
	return 0;
}

static int month_cb(void *ud, const fisc_quota_rollup_row *r)
{
	progress *p = ud;
	if (!strcmp(r->region, p->region) && r->month >= 1 && r->month <= 12)
		p->month[r->month] += r->fen;
	return 0;
}

static json_t *progress_json(fisc_store *st, const fisc_region *r, int year, int *rc)
{
	progress p;
	memset(&p, 0, sizeof p);
	p.region = r->code;
	p.year = year;
	*rc = fisc_store_quota_line_each(st, line_cb, &p);
	if (*rc == FISC_OK && p.nlines)
		*rc = fisc_store_quota_rollup(st, year, month_cb, &p);
	if (*rc != FISC_OK || !p.nlines)
		return *rc == FISC_OK ? json_null() : NULL;
	json_t *months = json_array();
	int64_t cum = 0;
	for (int m = 1; m <= 12; m++) {
		char pct[32] = "";
		cum += p.month[m];
		if (p.quota > 0)
			fisc_percent_format(cum, p.quota, 2, pct, sizeof pct);
		json_array_append_new(months,
				      json_pack("{s:i,s:o,s:o,s:s?}", "month", m, "paid",
						money_dec(p.month[m], 2), "cumulative", money_dec(cum, 2),
						"progress_pct", p.quota > 0 ? pct : NULL));
	}
	return json_pack("{s:o,s:i,s:o}", "quota", money_dec(p.quota, 2), "lines", p.nlines, "months",
			 months);
}

int fisc_overview_write(fisc_store *st, const char *region, int year, int with_ledger, FILE *out)
{
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	if (!a)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	int rc = fisc_store_region_find(st, region, a, &r);
	json_t *books = json_array(), *debt = NULL, *prog = NULL;
	static const int order[] = {FISC_BOOK_GPB, FISC_BOOK_GFB, FISC_BOOK_SOE, FISC_BOOK_SSF};
	for (size_t i = 0; rc == FISC_OK && i < sizeof order / sizeof *order; i++)
		rc = book_json(st, &r, year, order[i], a, books);
	if (rc == FISC_OK)
		debt = debt_json(st, &r, year, a, &rc);
	if (rc == FISC_OK)
		prog = with_ledger ? progress_json(st, &r, year, &rc) : json_null();
	json_t *root = NULL;
	if (rc == FISC_OK) {
		root = json_pack("{s:s,s:s,s:i,s:s,s:o,s:o,s:o}", "region", r.code, "name", r.name,
				 "year", year, "unit", fisc_unit_name(FISC_UNIT_WAN), "books", books,
				 "debt", debt, "progress", prog);
		books = debt = prog = NULL;
		if (!root)
			rc = fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	if (rc == FISC_OK && json_dumpf(root, out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0)
		rc = fisc_error_set(FISC_EIO, "写出失败 / write failed");
	json_decref(root);
	json_decref(books);
	json_decref(debt);
	json_decref(prog);
	fisc_arena_free(a);
	return rc;
}
