/*
** quota.c — where 指标 documents come from: the 年初批复 built from a
** region's stored department budget facts, and documents read from a CSV or
** XLSX file (columns in docs/ledger.md). Both end in one fisc_ledger_apply,
** so a file is applied all or nothing, like every import.
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/import.h"
#include "fisc/ledger.h"
#include "import/rows.h"
#include "model/strmap.h"

/* ---- from the budget ------------------------------------------------------ */

static int all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);
	if (n < min || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

typedef struct budget_walk {
	fisc_arena *a;
	const char *region;
	fisc_quota_leg *legs;
	size_t n, cap;
	int rc;
} budget_walk;

/* A department's expenditure by economic class (and, when the item is a
** function code, by function): own_exp or a 2xx code, with department and
** economic class, a base fact with an amount. */
static int budget_fact(void *ud, const fisc_fact *f)
{
	budget_walk *w = ud;
	int func = all_digits(f->item, 3, 7) && f->item[0] == '2';
	if (f->kind != FISC_FACT_BASE || !f->has_amount || f->amount.fen <= 0 || !*f->dept ||
	    !*f->econ || (!func && strcmp(f->item, "own_exp") != 0) || f->book < 1 || f->book > 4)
		return 0;
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;
		fisc_quota_leg *nl = realloc(w->legs, cap * sizeof *nl);
		if (!nl)
			return w->rc = fisc_error_set(FISC_ENOMEM, "out of memory");
		w->legs = nl;
		w->cap = cap;
	}
	int fund = *f->fund ? fisc_fund_parse(f->fund) : FISC_FUND_LOCAL;
	fisc_quota_leg *g = &w->legs[w->n++];
	memset(g, 0, sizeof *g);
	g->line.region = w->region;
	g->line.year = f->year;
	g->line.book = f->book;
	g->line.dept = fisc_arena_strdup(w->a, f->dept);
	g->line.project = fisc_arena_strdup(w->a, f->project);
	g->line.func = func ? fisc_arena_strdup(w->a, f->item) : "";
	g->line.econ = fisc_arena_strdup(w->a, f->econ);
	g->line.fund = (uint8_t)(fund > 0 && fund != FISC_FUND_TRANSFER ? fund : FISC_FUND_LOCAL);
	g->line.fund_doc = "";
	g->line.kind = *f->project ? FISC_EXP_PROJECT : FISC_EXP_BASIC;
	g->fen = f->amount.fen;
	return 0;
}

int fisc_quota_from_budget(fisc_store *st, fisc_ledger *l, const char *region, int year,
			   const char *no, const char *author, int32_t date,
			   fisc_ledger_result *res, size_t *nlegs)
{
	fisc_arena *a = fisc_arena_new();
	if (!a)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	fisc_region r;
	int rc = fisc_store_region_find(st, region, a, &r);
	budget_walk w = {a, NULL, NULL, 0, 0, FISC_OK};
	if (rc == FISC_OK) {
		w.region = r.code;
		fisc_query q = {.region = r.id, .year = year, .phase = FISC_PHASE_BUDGET};
		rc = fisc_store_fact_each(st, &q, budget_fact, &w);
		if (rc == FISC_OK)
			rc = w.rc;
	}
	if (rc == FISC_OK && !w.n)
		rc = fisc_error_set(FISC_ENOTFOUND,
				    "%s %d 年没有按部门和经济分类的预算事实 / no department budget facts by economic class for %s %d",
				    r.name, year, r.code, year);
	if (rc == FISC_OK) {
		fisc_quota_doc d = {
			no && *no ? no : fisc_arena_printf(a, "%s-%d-年初批复", r.code, year),
			date ? date : year * 10000 + 101, FISC_DOC_APPROVE, author ? author : "", w.n,
			w.legs};
		rc = fisc_ledger_apply(l, &d, 1, NULL, res);
		if (nlegs)
			*nlegs = w.n;
	}
	free(w.legs);
	fisc_arena_free(a);
	return rc;
}

/* ---- from a file ------------------------------------------------------------ */

enum {
	C_NO, C_DATE, C_KIND, C_AUTHOR, C_REGION, C_YEAR, C_BOOK, C_DEPT, C_PROJECT, C_FUNC,
	C_ECON, C_FUND, C_FUND_DOC, C_EXP, C_AMOUNT, C_COUNT
};

static const struct {
	const char *name, *zh;
	int required;
} columns[C_COUNT] = {
	[C_NO] = {"no", "文号", 1},
	[C_DATE] = {"date", "日期", 1},
	[C_KIND] = {"kind", "类型", 1},
	[C_AUTHOR] = {"author", "经办人", 0},
	[C_REGION] = {"region", "地区", 1},
	[C_YEAR] = {"year", "年度", 1},
	[C_BOOK] = {"book", "预算本", 1},
	[C_DEPT] = {"department", "部门", 1},
	[C_PROJECT] = {"project", "项目", 0},
	[C_FUNC] = {"function", "功能分类", 0},
	[C_ECON] = {"economic", "经济分类", 1},
	[C_FUND] = {"fund_source", "资金来源", 1},
	[C_FUND_DOC] = {"fund_doc", "来源文号", 0},
	[C_EXP] = {"expense_kind", "支出类型", 1},
	[C_AMOUNT] = {"amount", "金额", 1},
};

typedef struct qrow {
	size_t doc;
	fisc_quota_leg leg;
} qrow;

typedef struct qdoc {
	fisc_quota_doc d;
	long line; /* first row, for errors */
	size_t nlegs;
} qdoc;

typedef struct qimport {
	const char *file;
	fisc_diag *diag;
	fisc_arena *a;
	int col[C_COUNT]; /* cell index of each column, -1 absent */
	int header_done, bad;
	qrow *rows;
	size_t nrows, caprows;
	qdoc *docs;
	size_t ndocs, capdocs;
	fisc_strmap by_no;
	const char *only_region; /* every row must name this region (the server) */
} qimport;

static int err(qimport *q, long line, int col, int kind, const char *zh, const char *en)
{
	q->bad = 1;
	fisc_diag_add(q->diag, q->file, line, NULL, col >= 0 ? columns[col].name : NULL, kind, zh,
		      en);
	return fisc_diag_count(q->diag) >= 100 ? FISC_EIMPORT : 0;
}

static const char *cell(qimport *q, const fisc_row *r, int c)
{
	int i = q->col[c];
	return i >= 0 && (size_t)i < r->ncells ? r->cells[i] : "";
}

static int header(qimport *q, const fisc_row *r)
{
	for (int c = 0; c < C_COUNT; c++)
		q->col[c] = -1;
	for (size_t i = 0; i < r->ncells; i++) {
		int found = -1;
		for (int c = 0; c < C_COUNT; c++)
			if (!strcmp(r->cells[i], columns[c].name) || !strcmp(r->cells[i], columns[c].zh))
				found = c;
		if (found < 0) {
			char zh[256], en[256];
			snprintf(zh, sizeof zh, "未知列「%.100s」", r->cells[i]);
			snprintf(en, sizeof en, "unknown column '%.100s'", r->cells[i]);
			err(q, r->line, -1, FISC_DIAG_UNKNOWN_COLUMN, zh, en);
		} else {
			q->col[found] = (int)i;
		}
	}
	for (int c = 0; c < C_COUNT; c++)
		if (columns[c].required && q->col[c] < 0) {
			char zh[128], en[128];
			snprintf(zh, sizeof zh, "缺少列「%s」", columns[c].name);
			snprintf(en, sizeof en, "missing column '%s'", columns[c].name);
			err(q, r->line, c, FISC_DIAG_MISSING_COLUMN, zh, en);
		}
	q->header_done = 1;
	return q->bad ? FISC_EIMPORT : 0; /* a bad header: the rows cannot be read */
}

static int parse_date(const char *s, int32_t *out)
{
	int y, m, d;
	char tail;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 ||
	    (strlen(s) == 8 && all_digits(s, 8, 8) && sscanf(s, "%4d%2d%2d", &y, &m, &d) == 3)) {
		if (y >= 1949 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
			*out = y * 10000 + m * 100 + d;
			return 1;
		}
	}
	return 0;
}

static int row_cb(void *ud, const fisc_row *r)
{
	qimport *q = ud;
	if (!q->header_done)
		return header(q, r);
	int nonempty = 0;
	for (size_t i = 0; i < r->ncells; i++)
		nonempty |= r->lens[i] != 0;
	if (!nonempty)
		return 0;
	for (int c = 0; c < C_COUNT; c++)
		if (columns[c].required && !*cell(q, r, c)) {
			char zh[128], en[128];
			snprintf(zh, sizeof zh, "「%s」不能为空", columns[c].zh);
			snprintf(en, sizeof en, "'%s' is required", columns[c].name);
			if (err(q, r->line, c, FISC_DIAG_MISSING_FIELD, zh, en))
				return FISC_EIMPORT;
		}
	if (q->bad && fisc_diag_count(q->diag) && fisc_diag_get(q->diag, fisc_diag_count(q->diag) - 1)->line == r->line)
		return 0;
	fisc_quota_leg leg;
	memset(&leg, 0, sizeof leg);
	int32_t date = 0;
	int kind = fisc_doc_kind_parse(cell(q, r, C_KIND));
	int fund = fisc_fund_parse(cell(q, r, C_FUND));
	int exp = fisc_exp_kind_parse(cell(q, r, C_EXP));
	const char *ys = cell(q, r, C_YEAR), *bs = cell(q, r, C_BOOK);
	int book = fisc_book_parse(bs, strlen(bs));
	const char *func = cell(q, r, C_FUNC), *econ = cell(q, r, C_ECON);
	fisc_amount amt;
	int bad = 0;
#define BAD(c, zh, en)                                                                 \
	do {                                                                           \
		bad = 1;                                                               \
		if (err(q, r->line, c, FISC_DIAG_BAD_VALUE, zh, en))                   \
			return FISC_EIMPORT;                                           \
	} while (0)
	if (!parse_date(cell(q, r, C_DATE), &date))
		BAD(C_DATE, "日期无效（YYYY-MM-DD）", "bad date (YYYY-MM-DD)");
	if (kind < 0)
		BAD(C_KIND, "文件类型须为 批复/追加/调减/调剂/收回/结转/下达",
		    "kind must be 批复/追加/调减/调剂/收回/结转/下达 (approve/add/cut/shift/reclaim/carry/allot)");
	if (!all_digits(ys, 4, 4))
		BAD(C_YEAR, "年度须为四位数字", "year must be four digits");
	if (book < 1)
		BAD(C_BOOK, "预算本须为 一般公共预算/政府性基金预算/国有资本经营预算/社会保险基金预算",
		    "book must be gpb, gfb, soe or ssf");
	if (*func && !all_digits(func, 3, 7))
		BAD(C_FUNC, "功能分类须为 3–7 位数字", "function code must be 3 to 7 digits");
	if (!all_digits(econ, 3, 5))
		BAD(C_ECON, "经济分类须为 3–5 位数字", "economic code must be 3 to 5 digits");
	if (fund < 0)
		BAD(C_FUND, "资金来源须为 本级财力/上级转移支付/债券/上年结转",
		    "fund source must be 本级财力/上级转移支付/债券/上年结转 (local/transfer/bond/carry)");
	else if ((fund == FISC_FUND_TRANSFER) != (*cell(q, r, C_FUND_DOC) != 0))
		BAD(C_FUND_DOC, "上级转移支付须填来源文号，其他来源不填",
		    "a 上级转移支付 needs fund_doc, other sources none");
	if (q->only_region && strcmp(cell(q, r, C_REGION), q->only_region)) {
		char zh[256], en[256];
		snprintf(zh, sizeof zh, "地区「%.80s」不是本地区 %s，无权写入", cell(q, r, C_REGION),
			 q->only_region);
		snprintf(en, sizeof en, "region '%.80s' is not %s: not allowed", cell(q, r, C_REGION),
			 q->only_region);
		BAD(C_REGION, zh, en);
	}
	if (exp < 0)
		BAD(C_EXP, "支出类型须为 基本支出/项目支出", "expense kind must be 基本支出/项目支出 (basic/project)");
	const char *as = cell(q, r, C_AMOUNT);
	memset(&amt, 0, sizeof amt);
	if (fisc_amount_parse(as, strlen(as), FISC_UNIT_YUAN, &amt) != FISC_OK) {
		const char *zh, *en;
		fisc_amount_last_reason(&zh, &en);
		bad = 1;
		if (err(q, r->line, C_AMOUNT, FISC_DIAG_BAD_AMOUNT, zh, en))
			return FISC_EIMPORT;
	} else if (amt.fen == 0) {
		bad = 1;
		if (err(q, r->line, C_AMOUNT, FISC_DIAG_BAD_AMOUNT, "金额不能为零", "amount is zero"))
			return FISC_EIMPORT;
	}
#undef BAD
	if (bad)
		return 0;
	const char *no = cell(q, r, C_NO);
	uintptr_t di = (uintptr_t)fisc_strmap_get(&q->by_no, no);
	if (!di) {
		if (q->ndocs == q->capdocs) {
			size_t cap = q->capdocs ? 2 * q->capdocs : 16;
			qdoc *nd = realloc(q->docs, cap * sizeof *nd);
			if (!nd)
				return fisc_error_set(FISC_ENOMEM, "out of memory");
			q->docs = nd;
			q->capdocs = cap;
		}
		qdoc *d = &q->docs[q->ndocs++];
		memset(d, 0, sizeof *d);
		d->d.no = fisc_arena_strdup(q->a, no);
		d->d.date = date;
		d->d.kind = (uint8_t)kind;
		d->d.author = fisc_arena_strdup(q->a, cell(q, r, C_AUTHOR));
		d->line = r->line;
		di = q->ndocs;
		if (fisc_strmap_put(&q->by_no, d->d.no, (void *)di))
			return fisc_error_set(FISC_ENOMEM, "out of memory");
	} else {
		qdoc *d = &q->docs[di - 1];
		if (d->d.date != date || d->d.kind != kind || strcmp(d->d.author, cell(q, r, C_AUTHOR))) {
			char zh[256], en[256];
			snprintf(zh, sizeof zh, "同一文号的日期、类型、经办人须与第 %ld 行一致", d->line);
			snprintf(en, sizeof en, "date, kind and author of a document must match its line %ld", d->line);
			return err(q, r->line, C_NO, FISC_DIAG_BAD_VALUE, zh, en) ? FISC_EIMPORT : 0;
		}
	}
	q->docs[di - 1].nlegs++;
	leg.line.region = fisc_arena_strdup(q->a, cell(q, r, C_REGION));
	leg.line.year = atoi(ys);
	leg.line.book = (uint8_t)book;
	leg.line.dept = fisc_arena_strdup(q->a, cell(q, r, C_DEPT));
	leg.line.project = fisc_arena_strdup(q->a, cell(q, r, C_PROJECT));
	leg.line.func = fisc_arena_strdup(q->a, func);
	leg.line.econ = fisc_arena_strdup(q->a, econ);
	leg.line.fund = (uint8_t)fund;
	leg.line.fund_doc = fisc_arena_strdup(q->a, cell(q, r, C_FUND_DOC));
	leg.line.kind = (uint8_t)exp;
	leg.fen = amt.fen;
	if (q->nrows == q->caprows) {
		size_t cap = q->caprows ? 2 * q->caprows : 64;
		qrow *nr = realloc(q->rows, cap * sizeof *nr);
		if (!nr)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		q->rows = nr;
		q->caprows = cap;
	}
	q->rows[q->nrows++] = (qrow){di - 1, leg};
	return 0;
}

static int finish(qimport *q, fisc_ledger *l, size_t *ndocs)
{
	if (!q->header_done && !q->bad)
		err(q, 0, -1, FISC_DIAG_MISSING_COLUMN, "文件为空", "empty file");
	if (!q->bad && !q->ndocs)
		err(q, 0, -1, FISC_DIAG_MISSING_FIELD, "文件中没有指标文件行", "no document rows");
	if (q->bad)
		return FISC_EIMPORT;
	/* Legs grouped by document, in file order within each. */
	fisc_quota_leg *legs = malloc(q->nrows * sizeof *legs);
	size_t *at = calloc(q->ndocs, sizeof *at);
	if (!legs || !at) {
		free(legs);
		free(at);
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	size_t off = 0;
	fisc_quota_doc *docs = malloc(q->ndocs * sizeof *docs);
	for (size_t i = 0; docs && i < q->ndocs; i++) {
		at[i] = off;
		docs[i] = q->docs[i].d;
		docs[i].legs = legs + off;
		docs[i].nlegs = q->docs[i].nlegs;
		off += q->docs[i].nlegs;
	}
	for (size_t i = 0; docs && i < q->nrows; i++)
		legs[at[q->rows[i].doc]++] = q->rows[i].leg;
	int rc = docs ? FISC_OK : fisc_error_set(FISC_ENOMEM, "out of memory");
	if (rc == FISC_OK && ndocs)
		*ndocs = q->ndocs;
	if (rc == FISC_OK && l) {
		size_t failed = 0;
		fisc_ledger_result res;
		rc = fisc_ledger_apply(l, docs, q->ndocs, &failed, &res);
		if (rc != FISC_OK && rc != FISC_ESTORE && rc != FISC_ENOMEM) {
			/* The engine's message is "中文 / English": one half each. */
			char zh[1200], en[1200];
			const char *m = fisc_error_message(), *sep = strstr(m, " / ");
			snprintf(zh, sizeof zh, "%.*s", sep ? (int)(sep - m) : (int)strlen(m), m);
			snprintf(en, sizeof en, "%s", sep ? sep + 3 : m);
			fisc_diag_add(q->diag, q->file, q->docs[failed].line, NULL, "no",
				      FISC_DIAG_BAD_VALUE, zh, en);
			rc = FISC_EIMPORT;
		}
	}
	free(docs);
	free(legs);
	free(at);
	return rc;
}

static void qfree(qimport *q)
{
	free(q->rows);
	free(q->docs);
	fisc_strmap_free(&q->by_no);
	fisc_arena_free(q->a);
}

static int import_buffer(fisc_ledger *l, const char *region, const char *file, const char *buf,
			 size_t len, fisc_diag *diag, size_t *ndocs)
{
	qimport q;
	memset(&q, 0, sizeof q);
	q.only_region = region;
	q.file = file;
	q.diag = diag;
	if (!(q.a = fisc_arena_new()))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	int rc = fisc_csv_read(file, buf, len, row_cb, &q, diag);
	if (rc == FISC_OK || rc == FISC_EIMPORT)
		rc = finish(&q, l, ndocs);
	qfree(&q);
	if (rc == FISC_EIMPORT)
		fisc_error_set(rc, "指标文件导入失败，未写入任何内容 / quota import failed; nothing was written");
	return rc;
}

int fisc_quota_import_buffer(fisc_ledger *l, const char *file, const char *buf, size_t len,
			     fisc_diag *diag, size_t *ndocs)
{
	return import_buffer(l, NULL, file, buf, len, diag, ndocs);
}

int fisc_quota_import_region(fisc_ledger *l, const char *region, const char *file,
			     const char *buf, size_t len, fisc_diag *diag, size_t *ndocs)
{
	assert(region);
	return import_buffer(l, region, file, buf, len, diag, ndocs);
}

int fisc_quota_import_file(fisc_ledger *l, const char *file, fisc_diag *diag, size_t *ndocs)
{
	size_t n = strlen(file);
	if (n > 5 && !strcmp(file + n - 5, ".xlsx")) {
		qimport q;
		memset(&q, 0, sizeof q);
		q.file = file;
		q.diag = diag;
		if (!(q.a = fisc_arena_new()))
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		int rc = fisc_xlsx_read(file, row_cb, &q, diag);
		if (rc == FISC_OK || (rc == FISC_EIMPORT && q.header_done))
			rc = finish(&q, l, ndocs);
		qfree(&q);
		if (rc == FISC_EIMPORT)
			fisc_error_set(rc, "指标文件导入失败，未写入任何内容 / quota import failed; nothing was written");
		return rc;
	}
	FILE *f = fopen(file, "rb");
	if (!f) {
		fisc_diag_add(diag, file, 0, NULL, NULL, FISC_DIAG_IO, "无法读取文件", "cannot read the file");
		return fisc_error_set(FISC_EIO, "无法读取「%s」/ cannot read '%s'", file, file);
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return fisc_error_set(FISC_ENOMEM, "out of memory");
			}
			buf = nb;
		}
		size_t k = fread(buf + len, 1, cap - len, f);
		len += k;
		if (k == 0)
			break;
	}
	fclose(f);
	int rc = fisc_quota_import_buffer(l, file, buf, len, diag, ndocs);
	free(buf);
	return rc;
}
