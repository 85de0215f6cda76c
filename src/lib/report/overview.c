/*
** overview.c — a region and year at a glance (fisc/overview.h): the four
** books' totals in each phase, the statement of each book with its
** revenue and expenditure structure, debt against its limit, and the 指标
** ledger's 支出进度 by month. Every figure comes from what the reports
** already compute — fisc_balance_build for the books, the debt section's
** reading of the debt facts, the ledger's lines and monthly payments — so
** the page's overview shows the numbers of the tables and reports.
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "fisc/error.h"
#include "fisc/ledger.h"
#include "fisc/overview.h"
#include "fisc/report.h"
#include "fisc/reports.h"
#include "report/chart.h"
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

/* The statement's sentences (fisc_statement_write, in the unit the data
** was written in), one paragraph each; none for a balance too incomplete
** to state. */
static int paragraphs(const fisc_balance *b, json_t **out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	*out = NULL;
	if (!m)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	int rc = fisc_statement_write(b, m);
	if (fclose(m) != 0 && rc == FISC_OK)
		rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	*out = json_array();
	if (rc == FISC_EINVAL) {
		fisc_error_clear();
		rc = FISC_OK;
	} else if (rc == FISC_OK) {
		for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = 0;
			if (*line)
				json_array_append_new(*out, json_string(line));
		}
	}
	free(buf);
	return rc;
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
		json_t *paras;
		int rc = paragraphs(shown, &paras);
		if (rc != FISC_OK) {
			json_decref(paras);
			json_decref(per);
			return rc;
		}
		json_decref(statement);
		statement = json_pack("{s:s,s:s,s:o,s:b,s:o}", "phase", fisc_phase_code(shown->phase),
				      "title", shown->title, "totals", totals(shown), "balanced",
				      balanced, "paragraphs", paras);
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
typedef struct dept_sum {
	const char *dept; /* in the ledger's walk: copied */
	int64_t quota, paid, pending;
} dept_sum;

typedef struct progress {
	const char *region;
	int year;
	int64_t quota, month[13];
	int nlines;
	fisc_arena *a;
	dept_sum *depts; /* in the order of each department's first line */
	size_t ndepts, cap;
	int rc;
} progress;

static int line_cb(void *ud, const fisc_quota_line *l)
{
	progress *p = ud;
	if (l->year != p->year || strcmp(l->region, p->region))
		return 0;
	p->quota += l->quota;
	p->nlines++;
	size_t i = 0;
	while (i < p->ndepts && strcmp(p->depts[i].dept, l->dept))
		i++;
	if (i == p->ndepts) {
		if (p->ndepts == p->cap) {
			size_t cap = p->cap ? 2 * p->cap : 8;
			dept_sum *v = realloc(p->depts, cap * sizeof *v);
			if (!v)
				return p->rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
			p->depts = v;
			p->cap = cap;
		}
		p->depts[i] = (dept_sum){fisc_arena_strdup(p->a, l->dept), 0, 0, 0};
		if (!p->depts[i].dept)
			return p->rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		p->ndepts++;
	}
	p->depts[i].quota += l->quota;
	p->depts[i].paid += l->paid;
	p->depts[i].pending += l->pending;
	return 0;
}

static json_t *pct_json(int64_t num, int64_t den)
{
	char t[32];
	return den > 0 && fisc_percent_format(num, den, 2, t, sizeof t) >= 0 ? json_string(t)
									    : json_null();
}

/* Each department's lines of the year: 指标, 已支付, 在途, 可用 and 支出进度
** (paid ÷ 指标), as its own quota view totals them. */
static json_t *depts_json(const progress *p)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < p->ndepts; i++) {
		const dept_sum *d = &p->depts[i];
		json_array_append_new(
			arr, json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}", "department", d->dept, "quota",
				       money_dec(d->quota, 2), "paid", money_dec(d->paid, 2),
				       "pending", money_dec(d->pending, 2), "available",
				       money_dec(d->quota - d->paid - d->pending, 2), "progress_pct",
				       pct_json(d->paid, d->quota)));
	}
	return arr;
}

static int month_cb(void *ud, const fisc_quota_rollup_row *r)
{
	progress *p = ud;
	if (!strcmp(r->region, p->region) && r->month >= 1 && r->month <= 12)
		p->month[r->month] += r->fen;
	return 0;
}

static json_t *progress_json(fisc_store *st, const fisc_region *r, int year, fisc_arena *a,
			     int *rc)
{
	progress p;
	memset(&p, 0, sizeof p);
	p.region = r->code;
	p.year = year;
	p.a = a;
	*rc = fisc_store_quota_line_each(st, line_cb, &p);
	if (*rc == FISC_OK && p.rc)
		*rc = p.rc;
	if (*rc == FISC_OK && p.nlines)
		*rc = fisc_store_quota_rollup(st, year, month_cb, &p);
	if (*rc != FISC_OK || !p.nlines) {
		free(p.depts);
		return *rc == FISC_OK ? json_null() : NULL;
	}
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
	json_t *depts = depts_json(&p);
	free(p.depts);
	return json_pack("{s:o,s:i,s:o,s:o}", "quota", money_dec(p.quota, 2), "lines", p.nlines,
			 "departments", depts, "months", months);
}

/* The charts of the report to the congress and of the debt report, in 万元,
** each once (the congress report repeats the debt report's): what the page
** draws beside the tables, from the reports' own chart definitions. A
** report with nothing to say for the year has no charts. */
static json_t *charts_json(fisc_store *st, const fisc_region *r, int year, int *rc)
{
	static const char *const kinds[] = {"congress", "debt"};
	json_t *arr = json_array(), *seen = json_object();
	*rc = FISC_OK;
	for (size_t k = 0; *rc == FISC_OK && k < sizeof kinds / sizeof *kinds; k++) {
		const fisc_report_kind *kind = fisc_report_find(kinds[k]);
		assert(kind);
		fisc_report_params prm = {r->code, year, NULL, 0, "万元"};
		fisc_arena *a = fisc_arena_new();
		fisc_doc *d = NULL;
		*rc = a ? kind->build(st, &prm, a, &d)
			: fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		if (*rc == FISC_ENOTFOUND || *rc == FISC_EINVAL) {
			fisc_error_clear();
			*rc = FISC_OK;
		} else if (*rc == FISC_OK) {
			for (size_t i = 0; i < d->nblocks; i++) {
				const fisc_block *b = &d->blocks[i];
				if (b->kind != FISC_BLOCK_CHART || json_object_get(seen, b->chart->title))
					continue;
				json_object_set_new(seen, b->chart->title, json_true());
				json_array_append_new(arr, fisc_chart_json(b->chart));
			}
		}
		fisc_arena_free(a);
	}
	json_decref(seen);
	if (*rc != FISC_OK) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* The overview as one JSON object (what fisc_overview_write prints). */
static int overview_build(fisc_store *st, const char *region, int year, int with_ledger,
			  json_t **out)
{
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	*out = NULL;
	if (!a)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	int rc = fisc_store_region_find(st, region, a, &r);
	json_t *books = json_array(), *debt = NULL, *prog = NULL, *charts = NULL;
	static const int order[] = {FISC_BOOK_GPB, FISC_BOOK_GFB, FISC_BOOK_SOE, FISC_BOOK_SSF};
	for (size_t i = 0; rc == FISC_OK && i < sizeof order / sizeof *order; i++)
		rc = book_json(st, &r, year, order[i], a, books);
	if (rc == FISC_OK)
		debt = debt_json(st, &r, year, a, &rc);
	if (rc == FISC_OK)
		charts = charts_json(st, &r, year, &rc);
	if (rc == FISC_OK)
		prog = with_ledger ? progress_json(st, &r, year, a, &rc) : json_null();
	if (rc == FISC_OK) {
		*out = json_pack("{s:s,s:s,s:i,s:s,s:o,s:o,s:o,s:o}", "region", r.code, "name",
				 r.name, "year", year, "unit", fisc_unit_name(FISC_UNIT_WAN), "books",
				 books, "debt", debt, "charts", charts, "progress", prog);
		books = debt = prog = charts = NULL;
		if (!*out)
			rc = fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	json_decref(books);
	json_decref(debt);
	json_decref(prog);
	json_decref(charts);
	fisc_arena_free(a);
	return rc;
}

/* --- the text form ------------------------------------------------------- */

/* A {"fen","text"} figure's text; "—" where there is none. */
static const char *fig(const json_t *m)
{
	const char *t = json_string_value(json_object_get(m, "text"));
	return t ? t : "—";
}

/* 预算 / 执行 … for a phase code of the JSON. */
static const char *phase_name(const json_t *code)
{
	const char *c = json_string_value(code);
	return c ? fisc_phase_name((fisc_phase)fisc_phase_parse(c, strlen(c))) : "";
}

static void text_books(const json_t *books, FILE *out)
{
	static const char *const ph[] = {"budget", "adjusted", "execution"};
	fprintf(out, "四本预算收支总计\n预算\t收入总计·预算\t收入总计·调整预算\t收入总计·执行\t"
		     "支出总计·预算\t支出总计·调整预算\t支出总计·执行\n");
	size_t i;
	json_t *b;
	json_array_foreach(books, i, b) {
		const json_t *per = json_object_get(b, "phases");
		fprintf(out, "%s", json_string_value(json_object_get(b, "name")));
		for (int side = 0; side < 2; side++)
			for (int p = 0; p < 3; p++)
				fprintf(out, "\t%s",
					fig(json_object_get(json_object_get(per, ph[p]),
							    side ? "expense_total" : "income_total")));
		fputc('\n', out);
	}
}

static void text_items(const char *head, const json_t *items, FILE *out)
{
	size_t i;
	json_t *it;
	fprintf(out, "%s\n", head);
	json_array_foreach(items, i, it)
		fprintf(out, "  %s\t%s\n", json_string_value(json_object_get(it, "label")),
			fig(json_object_get(it, "amount")));
}

static void text_statements(const json_t *books, FILE *out)
{
	size_t i;
	json_t *b;
	json_array_foreach(books, i, b) {
		const char *name = json_string_value(json_object_get(b, "name"));
		const json_t *st = json_object_get(b, "statement");
		fputc('\n', out);
		if (!json_is_object(st)) {
			fprintf(out, "%s：本年度无该本预算的数据。\n", name);
			continue;
		}
		fprintf(out, "%s收支平衡说明（%s，%s）\n", name,
			phase_name(json_object_get(st, "phase")),
			json_is_true(json_object_get(st, "balanced")) ? "收支平衡" : "收支不平衡");
		size_t k;
		json_t *para;
		json_array_foreach(json_object_get(st, "paragraphs"), k, para)
			fprintf(out, "%s\n", json_string_value(para));
		const json_t *sx = json_object_get(b, "structure");
		text_items("收入构成", json_object_get(sx, "income"), out);
		text_items("支出构成", json_object_get(sx, "expense"), out);
	}
}

static void text_debt(const json_t *debt, FILE *out)
{
	static const char *const kinds[][2] = {
		{"general", "一般债务"}, {"special", "专项债务"}, {"unsplit", "未分类"}, {"total", "合计"}};
	fputc('\n', out);
	if (!json_is_object(debt)) {
		fprintf(out, "政府债务：本年度无债务数据。\n");
		return;
	}
	fprintf(out, "政府债务限额与余额（%s）\n债务\t限额\t余额\n",
		phase_name(json_object_get(debt, "phase")));
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
		const json_t *x = json_object_get(debt, kinds[k][0]);
		const json_t *l = json_object_get(x, "limit"), *v = json_object_get(x, "balance");
		if (json_is_null(l) && json_is_null(v))
			continue; /* a kind the data does not state */
		fprintf(out, "%s\t%s\t%s\n", kinds[k][1], fig(l), fig(v));
	}
}

static void text_progress(const json_t *p, FILE *out)
{
	fputc('\n', out);
	if (!json_is_object(p)) {
		fprintf(out, "支出进度：本年度尚未下达指标。\n");
		return;
	}
	fprintf(out, "各部门支出进度（指标 %s，%lld 条）\n部门\t指标\t已支付\t在途\t可用\t支出进度\n",
		fig(json_object_get(p, "quota")),
		(long long)json_integer_value(json_object_get(p, "lines")));
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(p, "departments"), i, d) {
		const char *pct = json_string_value(json_object_get(d, "progress_pct"));
		fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s%s\n",
			json_string_value(json_object_get(d, "department")),
			fig(json_object_get(d, "quota")), fig(json_object_get(d, "paid")),
			fig(json_object_get(d, "pending")), fig(json_object_get(d, "available")),
			pct ? pct : "—", pct ? "%" : "");
	}
	fprintf(out, "\n按月支出进度\n月份\t当月已支付\t累计已支付\t累计支出进度\n");
	json_array_foreach(json_object_get(p, "months"), i, d) {
		const char *pct = json_string_value(json_object_get(d, "progress_pct"));
		fprintf(out, "%lld月\t%s\t%s\t%s%s\n",
			(long long)json_integer_value(json_object_get(d, "month")),
			fig(json_object_get(d, "paid")), fig(json_object_get(d, "cumulative")),
			pct ? pct : "—", pct ? "%" : "");
	}
}

static void overview_text(const json_t *o, FILE *out)
{
	fprintf(out, "%s（%s）%lld年预算总览\n单位：万元\n\n",
		json_string_value(json_object_get(o, "name")),
		json_string_value(json_object_get(o, "region")),
		(long long)json_integer_value(json_object_get(o, "year")));
	const json_t *books = json_object_get(o, "books");
	text_books(books, out);
	text_statements(books, out);
	text_debt(json_object_get(o, "debt"), out);
	text_progress(json_object_get(o, "progress"), out);
}

int fisc_overview_render(fisc_store *st, const char *region, int year, int with_ledger,
			 const char *format, FILE *out)
{
	int text = format && !strcmp(format, "text");
	if (format && !text && strcmp(format, "json"))
		return fisc_error_set(FISC_EINVAL, "未知格式「%s」（json、text）/ unknown format '%s' "
						   "(json, text)", format, format);
	json_t *root;
	int rc = overview_build(st, region, year, with_ledger, &root);
	if (rc == FISC_OK && text)
		overview_text(root, out);
	else if (rc == FISC_OK && (json_dumpf(root, out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
				   fputc('\n', out) == EOF))
		rc = fisc_error_set(FISC_EIO, "写出失败 / write failed");
	if (rc == FISC_OK && ferror(out))
		rc = fisc_error_set(FISC_EIO, "写出失败 / write failed");
	json_decref(root);
	return rc;
}

int fisc_overview_write(fisc_store *st, const char *region, int year, int with_ledger, FILE *out)
{
	return fisc_overview_render(st, region, year, with_ledger, "json", out);
}
