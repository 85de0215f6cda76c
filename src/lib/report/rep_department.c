/*
** rep_department.c — 部门预算公开: a department's budget disclosure (seed 002).
**
** The standard set of disclosure tables — 部门收支总表, 部门收入总表, 部门支出总表,
** 财政拨款收支总表, 一般公共预算支出表 (by 功能分类), 一般公共预算基本支出表 (by
** 部门经济分类), 三公经费和机关运行经费表, 政府性基金预算支出表, 国有资本经营预算
** 支出表 — and the explanation that goes with them (总体说明 with the change
** against last year, 三公, 机关运行经费, 政府采购 with its items, 项目, 绩效目标).
**
** Every amount is a sum of the department's base facts. A table whose data
** is absent says so in a sentence: "none" (本表为空表) when the department has
** no such money, "not broken down" when it has the money but not the
** classification the table needs. Where a source only states a figure (the
** 项目支出 total of seed 002), the text prints it as the source's figure.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/ledger.h"
#include "report/chart.h"
#include "report/rep.h"

typedef struct agg {
	fisc_fsum tot, basic, project, unknown;
	fisc_fsum book[5]; /* by fisc_book */
} agg;

typedef struct krow {
	const char *key;
	agg v;
} krow;

/* Spending grouped by a key (function code, economic class). */
typedef struct kset {
	krow *v;
	size_t n, cap;
	agg all;   /* every fact added */
	agg nokey; /* facts without the key */
} kset;

typedef struct dep {
	fisc_doc *d;
	fisc_arena *a;
	fisc_fset *fs;
	const char *dept;
	int year, phase;
	int dec;                  /* decimals of every amount (the data's finest) */
	const char *amount_label; /* 预算数 / 决算数 */
	int tno;                  /* table number */
} dep;

static void agg_add(agg *g, const fisc_fact *f, int kind)
{
	fisc_fsum x = fisc_fsum_of_fact(f);
	fisc_fsum_add(&g->tot, &x);
	fisc_fsum_add(kind == DX_BASIC ? &g->basic : kind == DX_PROJECT ? &g->project : &g->unknown,
		      &x);
	if (f->book <= 4)
		fisc_fsum_add(&g->book[f->book], &x);
}

static void kset_add(dep *g, kset *k, const char *key, const fisc_fact *f, int kind)
{
	size_t i = 0;
	while (i < k->n && strcmp(k->v[i].key, key))
		i++;
	if (i == k->n) {
		if (k->n == k->cap) {
			size_t cap = k->cap ? k->cap * 2 : 16;
			krow *v = fisc_arena_alloc(g->a, cap * sizeof *v);
			if (!v) {
				g->d->rc = FISC_ENOMEM;
				return;
			}
			if (k->n)
				memcpy(v, k->v, k->n * sizeof *v);
			k->v = v;
			k->cap = cap;
		}
		memset(&k->v[k->n], 0, sizeof k->v[k->n]);
		if (!(k->v[k->n].key = fisc_arena_strdup(g->a, key))) {
			g->d->rc = FISC_ENOMEM;
			return;
		}
		k->n++;
	}
	agg_add(&k->v[i].v, f, kind);
}

static int cmp_krow(const void *x, const void *y)
{
	return strcmp(((const krow *)x)->key, ((const krow *)y)->key);
}

enum { BY_FUNCTION = 1, BY_ECON = 2 };

/* The department's spending of `year` (this report's phase) in `book`
** (FS_ANY: all), grouped by function code (class and finer) or economic
** class; `basic_only` keeps 基本支出. */
static void spending(dep *g, int year, int book, int by, int basic_only, kset *k)
{
	memset(k, 0, sizeof *k);
	for (size_t i = 0; i < g->fs->n; i++) {
		const fisc_fact *f = &g->fs->v[i];
		if (f->year != year || f->phase != g->phase || strcmp(f->dept, g->dept) ||
		    (book != FS_ANY && f->book != book))
			continue;
		int kind = fisc_dept_exp_kind(g->fs, f);
		if (kind == DX_NONE || (basic_only && kind != DX_BASIC))
			continue;
		agg_add(&k->all, f, kind);
		if (by == BY_FUNCTION) {
			if (!fisc_fset_function(g->fs, f->item)) {
				agg_add(&k->nokey, f, kind);
				continue;
			}
			char cls[4];
			memcpy(cls, f->item, 3);
			cls[3] = 0;
			kset_add(g, k, cls, f, kind);
			if (strlen(f->item) > 3)
				kset_add(g, k, f->item, f, kind);
		} else {
			if (strlen(f->econ) < 3) {
				agg_add(&k->nokey, f, kind);
				continue;
			}
			char cls[4];
			memcpy(cls, f->econ, 3);
			cls[3] = 0;
			kset_add(g, k, cls, f, kind);
		}
	}
	if (k->n)
		qsort(k->v, k->n, sizeof *k->v, cmp_krow);
}

/* A department figure of one line (its base facts and parts), else stated. */
static fisc_fsum dfig(dep *g, int year, const char *line, int subtree)
{
	fisc_fsel s = fisc_fsel_any();
	s.year = year;
	s.phase = g->phase;
	s.dept = g->dept;
	s.kind = FISC_FACT_BASE;
	if (subtree)
		s.under = line;
	else
		s.item = line;
	fisc_fsum x = fisc_fset_sum(g->fs, &s);
	if (!x.n) {
		s.under = NULL;
		s.item = line;
		s.kind = FS_ANY;
		x = fisc_fset_figure(g->fs, s);
	}
	return x;
}

static const char *fig(dep *g, const fisc_fsum *x)
{
	return fisc_rt_money(g->fs, x->fen, x->wulp ? x->wulp : 10000);
}

static void put_amount(dep *g, fisc_cell *c, const fisc_fsum *x)
{
	if (x->has_amount)
		fisc_cell_amount(g->d, c, x->fen, g->fs->unit, g->dec);
}

static const char *item_name(dep *g, const char *code)
{
	const char *n = fisc_catalog_item_name(g->fs->cat, code);
	return n ? n : code;
}

static fisc_table *table(dep *g, const char *name, size_t ncols)
{
	fisc_table *t = fisc_doc_table(g->d, fisc_arena_printf(g->a, "表%d %s", ++g->tno, name), ncols);
	fisc_table_unit(g->d, t, g->fs->unit);
	return t;
}

static void head_row(dep *g, fisc_table *t, const char *const *names, size_t n)
{
	fisc_cell *h = fisc_table_head(g->d, t);
	for (size_t i = 0; i < n; i++)
		fisc_cell_text(g->d, &h[i], "%s", names[i]);
}

/* --- income ------------------------------------------------------------- */

static const struct {
	const char *line, *label, *col;
} incomes[] = {
	{"dept_fiscal_gpb", "一般公共预算拨款收入", "一般公共预算"},
	{"dept_fiscal_gfb", "政府性基金预算拨款收入", "政府性基金预算"},
	{"dept_fiscal_soe", "国有资本经营预算拨款收入", "国有资本经营预算"},
	{"dept_business", "事业收入", "事业收入"},
	{"dept_operating", "事业单位经营收入", "事业单位经营收入"},
	{"dept_other", "其他收入", "其他收入"},
};
enum { NINC = sizeof incomes / sizeof *incomes };

typedef struct income {
	fisc_fsum line[NINC];
	fisc_fsum fiscal_unsplit; /* 财政拨款收入 not split by book */
	fisc_fsum year_total;     /* 本年收入合计 */
	fisc_fsum carry;          /* 上年结转结余 */
	fisc_fsum total;          /* 收入总计 */
} income;

static fisc_fsum base_line(dep *g, int year, const char *line)
{
	fisc_fsel s = fisc_fsel_any();
	s.year = year;
	s.phase = g->phase;
	s.dept = g->dept;
	s.kind = FISC_FACT_BASE;
	s.under = line;
	return fisc_fset_sum(g->fs, &s);
}

static void income_of(dep *g, int year, income *in)
{
	memset(in, 0, sizeof *in);
	for (int i = 0; i < NINC; i++) {
		in->line[i] = base_line(g, year, incomes[i].line);
		fisc_fsum_add(&in->year_total, &in->line[i]);
	}
	fisc_fsel s = fisc_fsel_any();
	s.year = year;
	s.phase = g->phase;
	s.dept = g->dept;
	s.kind = FISC_FACT_BASE;
	s.item = "dept_fiscal";
	in->fiscal_unsplit = fisc_fset_sum(g->fs, &s);
	fisc_fsum_add(&in->year_total, &in->fiscal_unsplit);
	in->carry = base_line(g, year, "dept_carry");
	in->total = in->year_total;
	fisc_fsum_add(&in->total, &in->carry);
}

/* --- the tables ----------------------------------------------------------- */

/* Rows of spending by function (with 款/项 indented) or economic class. */
static void key_rows(dep *g, fisc_table *t, const kset *k, int by, int cols_basic)
{
	for (size_t i = 0; i < k->n; i++) {
		const krow *r = &k->v[i];
		fisc_cell *c = fisc_table_row(g->d, t);
		fisc_cell_text(g->d, &c[0], "%s", r->key);
		fisc_cell_text(g->d, &c[1], "%s", item_name(g, r->key));
		c[1].level = by == BY_FUNCTION ? (int)(strlen(r->key) - 3) / 2 : 0;
		put_amount(g, &c[2], &r->v.tot);
		if (cols_basic) {
			put_amount(g, &c[3], &r->v.basic);
			put_amount(g, &c[4], &r->v.project);
		}
	}
	if (k->n && k->nokey.tot.n) {
		fisc_cell *c = fisc_table_row(g->d, t);
		fisc_cell_text(g->d, &c[1], "%s", by == BY_FUNCTION ? "未按功能分类细化的支出"
								   : "未按经济分类细化的支出");
		put_amount(g, &c[2], &k->nokey.tot);
		if (cols_basic) {
			put_amount(g, &c[3], &k->nokey.basic);
			put_amount(g, &c[4], &k->nokey.project);
		}
	}
}

/* The dimension spending tables use: function classes when the data has
** them, else economic classes. */
static int best_dim(dep *g, int book, kset *k)
{
	spending(g, g->year, book, BY_FUNCTION, 0, k);
	if (k->n)
		return BY_FUNCTION;
	spending(g, g->year, book, BY_ECON, 0, k);
	return k->n ? BY_ECON : 0;
}

/* The right-hand (spending) entries of the summary tables: class-level keys
** (function classes, or economic classes), then what has no key. */
typedef struct side {
	const char *label[64];
	const agg *v[64];
	size_t n;
} side;

static void spend_side(dep *g, const kset *k, int by, side *sd)
{
	sd->n = 0;
	for (size_t i = 0; i < k->n && sd->n < 63; i++)
		if (strlen(k->v[i].key) == 3) {
			sd->label[sd->n] = item_name(g, k->v[i].key);
			sd->v[sd->n++] = &k->v[i].v;
		}
	if (!k->n) {
		sd->label[sd->n] = "本年支出";
		sd->v[sd->n++] = &k->all;
	} else if (k->nokey.tot.n) {
		sd->label[sd->n] = by == BY_FUNCTION ? "未按功能分类细化的支出" : "未按经济分类细化的支出";
		sd->v[sd->n++] = &k->nokey;
	}
}

static void t_summary(dep *g, const income *in)
{
	fisc_table *t = table(g, "部门收支总表", 4);
	const char *const h[] = {"收 入", g->amount_label, "支 出", g->amount_label};
	head_row(g, t, h, 4);
	kset k;
	int by = best_dim(g, FS_ANY, &k);
	side sd;
	spend_side(g, &k, by, &sd);
	/* Left: income lines; right: spending lines; the totals share rows. */
	size_t nleft = NINC + (in->fiscal_unsplit.n ? 1 : 0);
	size_t n = nleft > sd.n ? nleft : sd.n;
	static const char *const cn[] = {"一、", "二、", "三、", "四、", "五、", "六、"};
	for (size_t i = 0; i < n; i++) {
		fisc_cell *c = fisc_table_row(g->d, t);
		if (i < NINC) {
			fisc_cell_text(g->d, &c[0], "%s%s", cn[i], incomes[i].label);
			put_amount(g, &c[1], &in->line[i]);
		} else if (i < nleft) {
			fisc_cell_text(g->d, &c[0], "财政拨款收入（未按预算类别细分）");
			put_amount(g, &c[1], &in->fiscal_unsplit);
		}
		if (i < sd.n) {
			fisc_cell_text(g->d, &c[2], "%s", sd.label[i]);
			put_amount(g, &c[3], &sd.v[i]->tot);
		}
	}
	fisc_cell *c = fisc_table_row(g->d, t);
	fisc_cell_text(g->d, &c[0], "本年收入合计");
	put_amount(g, &c[1], &in->year_total);
	fisc_cell_text(g->d, &c[2], "本年支出合计");
	put_amount(g, &c[3], &k.all.tot);
	c[0].strong = c[1].strong = c[2].strong = c[3].strong = 1;
	c = fisc_table_row(g->d, t);
	fisc_cell_text(g->d, &c[0], "上年结转结余");
	put_amount(g, &c[1], &in->carry);
	fisc_cell_text(g->d, &c[2], "结转下年");
	c = fisc_table_row(g->d, t);
	fisc_cell_text(g->d, &c[0], "收 入 总 计");
	put_amount(g, &c[1], &in->total);
	fisc_cell_text(g->d, &c[2], "支 出 总 计");
	put_amount(g, &c[3], &k.all.tot);
	c[0].strong = c[1].strong = c[2].strong = c[3].strong = 1;
	if (by == BY_ECON)
		fisc_table_note(g->d, t, "支出数据未按功能分类细化，按部门经济分类列示。");
	if (in->total.has_amount && k.all.tot.has_amount && in->total.fen != k.all.tot.fen)
		fisc_table_note(g->d, t, "收入总计%s与支出总计%s不相等。", fig(g, &in->total),
				fig(g, &k.all.tot));
	/* Spending with nothing on the income side: the tables cannot balance,
	** and `fisc check` says so too (dept.income_empty). */
	if (!in->total.has_amount && k.all.tot.has_amount && k.all.tot.fen)
		fisc_doc_gap(g->d, "数据中没有本部门%d年收入%s：部门收支总表和财政拨款收支总表的收入方为空，"
			     "支出总计为%s。", g->year, g->amount_label, fig(g, &k.all.tot));
}

static void t_income(dep *g, const income *in)
{
	fisc_table *t = table(g, "部门收入总表", 10);
	static const char *const h0[] = {"科目编码", "科目名称", "合计", "财政拨款收入", "", "",
					 "事业收入", "事业单位经营收入", "其他收入", "上年结转结余"};
	static const char *const h1[] = {"", "", "", "一般公共预算", "政府性基金预算", "国有资本经营预算",
					 "", "", "", ""};
	head_row(g, t, h0, 10);
	head_row(g, t, h1, 10);
	fisc_table_merge_head(t, 0, 0, 2, 1);
	fisc_table_merge_head(t, 0, 1, 2, 1);
	fisc_table_merge_head(t, 0, 2, 2, 1);
	fisc_table_merge_head(t, 0, 3, 1, 3);
	for (size_t c = 6; c < 10; c++)
		fisc_table_merge_head(t, 0, c, 2, 1);
	if (!in->total.n) {
		fisc_table_empty(g->d, t, "本表无数据。");
		fisc_doc_gap(g->d, "数据中没有本部门%d年收入%s，部门收入总表为空表。", g->year,
			     g->amount_label);
		return;
	}
	fisc_cell *c = fisc_table_row(g->d, t);
	fisc_cell_text(g->d, &c[1], "合计");
	c[1].strong = 1;
	put_amount(g, &c[2], &in->total);
	for (int i = 0; i < NINC; i++)
		put_amount(g, &c[3 + i], &in->line[i]);
	put_amount(g, &c[9], &in->carry);
	fisc_table_note(g->d, t, "收入数据未按支出功能分类科目细化，仅列合计。");
	if (in->fiscal_unsplit.n)
		fisc_table_note(g->d, t, "另有财政拨款收入%s未区分预算类别。", fig(g, &in->fiscal_unsplit));
}

/* A spending table by function (or economic class) with 合计/基本/项目. */
static void t_spending(dep *g, const char *name, int book, int fallback_econ)
{
	fisc_table *t = table(g, name, 5);
	static const char *const h[] = {"科目编码", "科目名称", "合计", "基本支出", "项目支出"};
	head_row(g, t, h, 5);
	kset k;
	int by = BY_FUNCTION;
	spending(g, g->year, book, BY_FUNCTION, 0, &k);
	if (!k.n && fallback_econ) {
		spending(g, g->year, book, BY_ECON, 0, &k);
		by = BY_ECON;
	}
	const char *what = book == FS_ANY ? "" : fisc_book_name(book);
	if (!k.all.tot.n) {
		fisc_table_empty(g->d, t, "本部门%d年没有%s%s支出，本表为空表。", g->year,
				 book == FS_ANY ? "" : "使用", book == FS_ANY ? "" : fisc_arena_printf(g->a, "%s拨款安排的", what));
		return;
	}
	if (!k.n) {
		fisc_table_empty(g->d, t, "本部门%d年%s支出%s未按%s细化，无法按本表列示。", g->year, what,
				 fig(g, &k.all.tot), fallback_econ ? "功能分类或经济分类" : "支出功能分类");
		return;
	}
	fisc_cell *c = fisc_table_row(g->d, t);
	fisc_cell_text(g->d, &c[1], "合计");
	c[1].strong = c[2].strong = c[3].strong = c[4].strong = 1;
	put_amount(g, &c[2], &k.all.tot);
	put_amount(g, &c[3], &k.all.basic);
	put_amount(g, &c[4], &k.all.project);
	key_rows(g, t, &k, by, 1);
	if (by == BY_ECON)
		fisc_table_note(g->d, t, "支出数据未按功能分类细化，按部门经济分类列示。");
	if (k.all.unknown.n)
		fisc_table_note(g->d, t, "其中%s未区分基本支出和项目支出，只计入合计。",
				fig(g, &k.all.unknown));
}

static void t_fiscal(dep *g, const income *in)
{
	fisc_table *t = table(g, "财政拨款收支总表", 7);
	static const char *const h0[] = {"收 入", "", "支 出", "", "", "", ""};
	static const char *const h1[] = {"项 目", "", "项 目", "合计", "一般公共预算", "政府性基金预算",
					 "国有资本经营预算"};
	head_row(g, t, h0, 7);
	head_row(g, t, h1, 7);
	fisc_cell_text(g->d, &t->head[0][1], "%s", g->amount_label);
	fisc_cell_text(g->d, &t->head[0][3], "%s", g->amount_label);
	fisc_table_merge_head(t, 0, 1, 2, 1);
	fisc_table_merge_head(t, 0, 3, 1, 4);
	kset k;
	int by = best_dim(g, FS_ANY, &k);
	fisc_fsum fin;
	memset(&fin, 0, sizeof fin);
	for (int i = 0; i < 3; i++)
		fisc_fsum_add(&fin, &in->line[i]);
	fisc_fsum_add(&fin, &in->fiscal_unsplit);
	if (!fin.n && !k.all.tot.n) {
		fisc_table_empty(g->d, t, "本部门%d年没有财政拨款收支，本表为空表。", g->year);
		return;
	}
	side sd;
	spend_side(g, &k, by, &sd);
	size_t n = sd.n > 3 ? sd.n : 3;
	static const char *const left[] = {"一、一般公共预算拨款", "二、政府性基金预算拨款",
					   "三、国有资本经营预算拨款"};
	for (size_t i = 0; i < n; i++) {
		fisc_cell *c = fisc_table_row(g->d, t);
		if (i < 3) {
			fisc_cell_text(g->d, &c[0], "%s", left[i]);
			put_amount(g, &c[1], &in->line[i]);
		}
		if (i >= sd.n)
			continue;
		const agg *v = sd.v[i];
		fisc_cell_text(g->d, &c[2], "%s", sd.label[i]);
		put_amount(g, &c[3], &v->tot);
		put_amount(g, &c[4], &v->book[FISC_BOOK_GPB]);
		put_amount(g, &c[5], &v->book[FISC_BOOK_GFB]);
		put_amount(g, &c[6], &v->book[FISC_BOOK_SOE]);
	}
	fisc_cell *c = fisc_table_row(g->d, t);
	fisc_cell_text(g->d, &c[0], "上年结转结余");
	put_amount(g, &c[1], &in->carry);
	c = fisc_table_row(g->d, t);
	fisc_fsum inall = fin;
	fisc_fsum_add(&inall, &in->carry);
	fisc_cell_text(g->d, &c[0], "收 入 总 计");
	put_amount(g, &c[1], &inall);
	fisc_cell_text(g->d, &c[2], "支 出 总 计");
	put_amount(g, &c[3], &k.all.tot);
	put_amount(g, &c[4], &k.all.book[FISC_BOOK_GPB]);
	put_amount(g, &c[5], &k.all.book[FISC_BOOK_GFB]);
	put_amount(g, &c[6], &k.all.book[FISC_BOOK_SOE]);
	for (int j = 0; j < 7; j++)
		c[j].strong = 1;
	if (by == BY_ECON)
		fisc_table_note(g->d, t, "支出数据未按功能分类细化，按部门经济分类列示。");
	fisc_table_note(g->d, t, "上年结转结余按资料列入财政拨款收入（资料未说明其是否全部为财政拨款结转）。");
}

/* 一般公共预算基本支出表: basic spending by economic class, split into
** 人员经费 (301 工资福利, 303 对个人和家庭的补助) and 公用经费 (the rest). */
static void t_basic(dep *g)
{
	fisc_table *t = table(g, "一般公共预算基本支出表", 5);
	static const char *const h[] = {"科目编码", "科目名称", "合计", "人员经费", "公用经费"};
	head_row(g, t, h, 5);
	kset k, all;
	spending(g, g->year, FISC_BOOK_GPB, BY_ECON, 1, &k);
	spending(g, g->year, FISC_BOOK_GPB, BY_ECON, 0, &all);
	if (!k.all.tot.n) {
		if (all.all.unknown.n)
			fisc_table_empty(g->d, t, "资料未区分基本支出和项目支出（一般公共预算支出%s），无法编制本表。",
					 fig(g, &all.all.tot));
		else
			fisc_table_empty(g->d, t, "本部门%d年没有一般公共预算基本支出，本表为空表。", g->year);
		return;
	}
	if (!k.n) {
		fisc_table_empty(g->d, t, "一般公共预算基本支出%s未按部门经济分类细化，无法按本表列示。",
				 fig(g, &k.all.tot));
		return;
	}
	fisc_fsum pers, pub;
	memset(&pers, 0, sizeof pers);
	memset(&pub, 0, sizeof pub);
	for (size_t i = 0; i < k.n; i++)
		fisc_fsum_add(!strcmp(k.v[i].key, "301") || !strcmp(k.v[i].key, "303") ? &pers : &pub,
			      &k.v[i].v.tot);
	fisc_cell *c = fisc_table_row(g->d, t);
	fisc_cell_text(g->d, &c[1], "合计");
	c[1].strong = c[2].strong = 1;
	put_amount(g, &c[2], &k.all.tot);
	put_amount(g, &c[3], &pers);
	put_amount(g, &c[4], &pub);
	for (size_t i = 0; i < k.n; i++) {
		int p = !strcmp(k.v[i].key, "301") || !strcmp(k.v[i].key, "303");
		c = fisc_table_row(g->d, t);
		fisc_cell_text(g->d, &c[0], "%s", k.v[i].key);
		fisc_cell_text(g->d, &c[1], "%s", item_name(g, k.v[i].key));
		put_amount(g, &c[2], &k.v[i].v.tot);
		put_amount(g, &c[p ? 3 : 4], &k.v[i].v.tot);
	}
	if (k.nokey.tot.n)
		fisc_table_note(g->d, t, "另有基本支出%s未按经济分类细化。", fig(g, &k.nokey.tot));
}

typedef struct sg {
	fisc_fsum v[7]; /* 合计, 出国, 接待, 用车, 购置, 运行, 机关运行经费 */
	int any;
} sg;

static const char *const sg_lines[7] = {"sangong", "sangong_abroad", "sangong_reception",
					"sangong_vehicle", "sangong_vehicle_purchase",
					"sangong_vehicle_running", "admin_running"};
static const char *const sg_names[7] = {"“三公”经费合计", "1.因公出国（境）费", "2.公务接待费",
					"3.公务用车购置及运行费", "其中：公务用车购置费",
					"公务用车运行费", "机关运行经费"};

static void sangong_of(dep *g, int year, sg *s)
{
	memset(s, 0, sizeof *s);
	for (int i = 0; i < 7; i++) {
		s->v[i] = dfig(g, year, sg_lines[i], 1);
		s->any |= s->v[i].n > 0;
	}
}

static void t_sangong(dep *g, const sg *now, const sg *before)
{
	fisc_table *t = table(g, "“三公”经费和机关运行经费表", before->any ? 5 : 2);
	fisc_cell *h = fisc_table_head(g->d, t);
	fisc_cell_text(g->d, &h[0], "项 目");
	fisc_cell_text(g->d, &h[1], "%d年%s", g->year, g->amount_label);
	if (before->any) {
		fisc_cell_text(g->d, &h[2], "%d年%s", g->year - 1, g->amount_label);
		fisc_cell_text(g->d, &h[3], "增减额");
		fisc_cell_text(g->d, &h[4], "增减%%");
	}
	if (!now->any) {
		fisc_table_empty(g->d, t, "本表无数据。");
		fisc_doc_gap(g->d, "数据中没有本部门%d年“三公”经费和机关运行经费，该表为空表。", g->year);
		return;
	}
	for (int i = 0; i < 7; i++) {
		fisc_cell *c = fisc_table_row(g->d, t);
		fisc_cell_text(g->d, &c[0], "%s", sg_names[i]);
		c[0].level = i >= 1 && i <= 3 ? 1 : i >= 4 && i <= 5 ? 2 : 0;
		c[0].strong = i == 0 || i == 6;
		put_amount(g, &c[1], &now->v[i]);
		if (before->any) {
			put_amount(g, &c[2], &before->v[i]);
			if (now->v[i].has_amount && before->v[i].has_amount) {
				fisc_cell_amount(g->d, &c[3], now->v[i].fen - before->v[i].fen,
						 g->fs->unit, g->dec);
				fisc_cell_percent(g->d, &c[4], now->v[i].fen - before->v[i].fen,
						  before->v[i].fen, 1);
			}
		}
	}
	if (now->v[0].has_amount && !now->v[1].n && !now->v[2].n && !now->v[3].n)
		fisc_table_note(g->d, t, "资料只给出“三公”经费合计，未列分项。");
}

/* --- the explanation ---------------------------------------------------- */

/* "工资福利支出807.99万元，商品和服务支出821.64万元…" for an economic split. */
static const char *econ_list(dep *g, const kset *k)
{
	const char *s = "";
	for (size_t i = 0; i < k->n; i++)
		s = fisc_arena_printf(g->a, "%s%s%s%s", s, i ? "，" : "", item_name(g, k->v[i].key),
				      fig(g, &k->v[i].v.tot));
	return s;
}

static void overview(dep *g, const income *in)
{
	fisc_doc *d = g->d;
	kset econ;
	spending(g, g->year, FS_ANY, BY_ECON, 0, &econ);
	const char *s = "按照综合预算的原则，本部门所有收入和支出均纳入部门预算管理。";
	const char *inc = "";
	for (int i = 0; i < NINC; i++)
		if (in->line[i].has_amount)
			inc = fisc_arena_printf(g->a, "%s%s%s%s", inc, *inc ? "，" : "", incomes[i].label,
						fig(g, &in->line[i]));
	if (in->carry.has_amount)
		inc = fisc_arena_printf(g->a, "%s%s上年结转结余%s", inc, *inc ? "，" : "", fig(g, &in->carry));
	if (in->total.has_amount)
		s = fisc_arena_printf(g->a, "%s%d年收入%s%s，其中%s。", s, g->year, g->amount_label,
				      fig(g, &in->total), inc);
	if (econ.all.tot.has_amount) {
		s = fisc_arena_printf(g->a, "%s支出%s%s", s, g->amount_label, fig(g, &econ.all.tot));
		if (econ.all.basic.n || econ.all.project.n) {
			s = fisc_arena_printf(g->a, "%s，其中基本支出%s，项目支出%s", s,
					      fig(g, &econ.all.basic), fig(g, &econ.all.project));
			/* what the data leaves unsplit is named too: the parts a
			** sentence lists add up to the total it states */
			if (econ.all.unknown.has_amount && econ.all.unknown.fen)
				s = fisc_arena_printf(g->a, "%s，未区分基本支出和项目支出的支出%s", s,
						      fig(g, &econ.all.unknown));
		}
		if (econ.n)
			s = fisc_arena_printf(g->a, "%s；按经济分类，%s", s, econ_list(g, &econ));
		s = fisc_arena_printf(g->a, "%s。", s);
	}
	/* Which books the money is in. */
	int books[5] = {0};
	for (size_t i = 0; i < g->fs->n; i++) {
		const fisc_fact *f = &g->fs->v[i];
		if (f->year == g->year && f->phase == g->phase && !strcmp(f->dept, g->dept) &&
		    f->kind == FISC_FACT_BASE && f->book <= 4 &&
		    (fisc_dept_exp_kind(g->fs, f) != DX_NONE || fisc_fset_under(g->fs, f->item, "dept_income_total")))
			books[f->book] = 1;
	}
	if (books[FISC_BOOK_GPB] && !books[FISC_BOOK_GFB] && !books[FISC_BOOK_SOE])
		s = fisc_arena_printf(g->a, "%s全部为一般公共预算收支，没有政府性基金预算收支，没有国有资本经营预算收支。", s);
	fisc_doc_para(d, "%s", s);
	/* 项目支出 as a source states it, when the data cannot split spending */
	if (!econ.all.basic.n && !econ.all.project.n) {
		fisc_fsel p = fisc_fsel_any();
		p.year = g->year;
		p.phase = g->phase;
		p.dept = g->dept;
		p.item = "project_exp";
		fisc_fsum pj = fisc_fset_figure(g->fs, p);
		if (pj.has_amount)
			fisc_doc_para(d, "资料表述，支出中项目支出%s（数据未按基本支出和项目支出分列，该数未由明细计算）。",
				      fig(g, &pj));
	}
	/* Against last year. */
	kset prev;
	spending(g, g->year - 1, FS_ANY, BY_ECON, 0, &prev);
	if (!prev.all.tot.has_amount) {
		fisc_doc_gap(d, "数据中没有本部门%d年%s，支出未与上年比较。", g->year - 1, g->amount_label);
		return;
	}
	fisc_fen delta = econ.all.tot.fen - prev.all.tot.fen;
	const char *t = fisc_arena_printf(g->a, "支出比%d年%s%s%s", g->year - 1, g->amount_label,
					  delta >= 0 ? "增加" : "减少",
					  fisc_rt_money(g->fs, delta >= 0 ? delta : -delta,
							 econ.all.tot.wulp));
	int k = 0;
	for (size_t i = 0; i < econ.n; i++) {
		fisc_fsum before;
		memset(&before, 0, sizeof before);
		for (size_t j = 0; j < prev.n; j++)
			if (!strcmp(prev.v[j].key, econ.v[i].key))
				before = prev.v[j].v.tot;
		fisc_fen dd = econ.v[i].v.tot.fen - before.fen;
		t = fisc_arena_printf(g->a, "%s%s%s%s%s", t, k++ ? "，" : "，其中", item_name(g, econ.v[i].key),
				      dd >= 0 ? "增加" : "减少",
				      fisc_rt_money(g->fs, dd >= 0 ? dd : -dd,
						     econ.v[i].v.tot.wulp));
	}
	fisc_doc_para(d, "%s。", t);
}

static void sangong_text(dep *g, const sg *now, const sg *before)
{
	fisc_doc *d = g->d;
	fisc_doc_heading(d, 2, "二、“三公”经费%s情况说明", g->amount_label);
	const fisc_fsum *t = &now->v[0];
	if (!t->n) {
		fisc_doc_para(d, "本部门%d年“三公”经费%s未列示。", g->year, g->amount_label);
		fisc_doc_gap(d, "数据中没有本部门%d年“三公”经费，“三公”经费情况说明无内容。", g->year);
	} else if (t->has_amount && t->fen == 0) {
		fisc_doc_para(d, "本部门%d年“三公”经费%s为0，没有安排“三公”经费支出。", g->year,
			      g->amount_label);
	} else {
		const char *s = fisc_arena_printf(g->a, "本部门%d年“三公”经费%s%s", g->year,
						  g->amount_label, fig(g, t));
		static const int parts[3] = {1, 2, 3};
		static const char *const names[3] = {"因公出国（境）费", "公务接待费",
						     "公务用车购置及运行费"};
		int k = 0;
		for (int i = 0; i < 3; i++)
			if (now->v[parts[i]].has_amount)
				s = fisc_arena_printf(g->a, "%s%s%s%s", s, k++ ? "，" : "，其中", names[i],
						      fig(g, &now->v[parts[i]]));
		fisc_doc_para(d, "%s。", s);
	}
	if (before->v[0].has_amount && t->has_amount)
		fisc_doc_para(d, "比%d年%s%s。", g->year - 1,
			      t->fen >= before->v[0].fen ? "增加" : "减少",
			      fisc_rt_money(g->fs, t->fen >= before->v[0].fen ? t->fen - before->v[0].fen
									       : before->v[0].fen - t->fen, t->wulp));
	else if (t->n)
		fisc_doc_gap(d, "数据中没有%d年“三公”经费，未与上年比较。", g->year - 1);
	fisc_doc_heading(d, 2, "三、机关运行经费情况说明");
	const fisc_fsum *r = &now->v[6];
	if (!r->n)
	{
		fisc_doc_para(d, "本部门%d年机关运行经费%s未列示。", g->year, g->amount_label);
		fisc_doc_gap(d, "数据中没有本部门%d年机关运行经费，机关运行经费情况说明无内容。", g->year);
	}
	else
		fisc_doc_para(d, "本部门%d年机关运行经费%s%s%s。", g->year, g->amount_label, fig(g, r),
			      before->v[6].has_amount
				      ? fisc_arena_printf(g->a, "，比%d年%s%s", g->year - 1,
							  r->fen >= before->v[6].fen ? "增加" : "减少",
							  fisc_rt_money(g->fs,
									 r->fen >= before->v[6].fen
										 ? r->fen - before->v[6].fen
										 : before->v[6].fen - r->fen, r->wulp))
				      : "");
}

static void procurement(dep *g)
{
	fisc_doc *d = g->d;
	fisc_doc_heading(d, 2, "四、政府采购情况说明");
	fisc_fsel s = fisc_fsel_any();
	s.year = g->year;
	s.phase = g->phase;
	s.dept = g->dept;
	s.item = "procurement";
	s.kind = FISC_FACT_BASE;
	fisc_fsum tot = fisc_fset_sum(g->fs, &s);
	if (!tot.n) {
		s.kind = FS_ANY;
		tot = fisc_fset_figure(g->fs, s);
		if (!tot.n)
		{
			fisc_doc_para(d, "本部门%d年政府采购%s未列示。", g->year, g->amount_label);
			fisc_doc_gap(d, "数据中没有本部门%d年政府采购，政府采购情况说明无内容。", g->year);
		}
		else
			fisc_doc_para(d, "本部门%d年政府采购%s（资料表述数，未列明细）。", g->year, fig(g, &tot));
		return;
	}
	const char *text = fisc_arena_printf(g->a, "本部门%d年政府采购合计%s", g->year, fig(g, &tot));
	int k = 0;
	for (size_t i = 0; i < g->fs->n; i++) {
		const fisc_fact *f = &g->fs->v[i];
		if (!fisc_fset_match(g->fs, &s, f) || !f->has_amount)
			continue;
		fisc_fsum x = fisc_fsum_of_fact(f);
		const char *what = *f->project ? f->project : *f->fund ? f->fund : "其他";
		text = fisc_arena_printf(g->a, "%s%s%s%s", text, k++ ? "，" : "，其中", what, fig(g, &x));
	}
	fisc_doc_para(d, "%s。", text);
	s.kind = FISC_FACT_STATED;
	s.project = "";
	s.fund = "";
	fisc_fsum st = fisc_fset_sum(g->fs, &s);
	if (st.has_amount && !fisc_rt_consistent(st.fen, st.ulp, tot.fen, tot.ulp))
		fisc_doc_note(d, "资料表述的政府采购合计为%s，各项之和为%s。", fig(g, &st), fig(g, &tot));
}

static void funds_text(dep *g, int n, int book, const char *what)
{
	kset k;
	spending(g, g->year, book, BY_FUNCTION, 0, &k);
	fisc_fsum inc = base_line(g, g->year, book == FISC_BOOK_GFB ? "dept_fiscal_gfb" : "dept_fiscal_soe");
	fisc_doc_heading(g->d, 2, "%s、%s收支情况", fisc_rt_cn(n), what);
	if (!k.all.tot.n && !inc.n)
		fisc_doc_para(g->d, "本部门%d年没有%s拨款收入，也没有使用%s拨款安排的支出。", g->year, what,
			      what);
	else if (!inc.n) {
		fisc_doc_para(g->d, "本部门%d年使用%s拨款安排的支出%s。", g->year, what,
			      fig(g, &k.all.tot));
		fisc_doc_gap(g->d, "数据中没有本部门%d年与%s拨款支出对应的拨款收入。", g->year, what);
	}
	else
		fisc_doc_para(g->d, "本部门%d年%s拨款收入%s，支出%s。", g->year, what, fig(g, &inc),
			      fig(g, &k.all.tot));
}

/* Projects and 绩效目标: the projects the data names and how much of the
** project spending performance goals cover. */
static void goals(dep *g, int n)
{
	fisc_doc *d = g->d;
	fisc_doc_heading(d, 2, "%s、预算绩效管理情况", fisc_rt_cn(n));
	kset all;
	spending(g, g->year, FS_ANY, BY_ECON, 0, &all);
	fisc_fsum proj = all.all.project;
	int proj_stated = 0;
	if (!proj.n) {
		fisc_fsel p = fisc_fsel_any();
		p.year = g->year;
		p.phase = g->phase;
		p.dept = g->dept;
		p.item = "project_exp";
		proj = fisc_fset_figure(g->fs, p);
		proj_stated = proj.stated;
	}
	fisc_fsel s = fisc_fsel_any();
	s.year = g->year;
	s.phase = g->phase;
	s.dept = g->dept;
	s.item = "project_exp";
	s.fund = FS_FUND_GOALS;
	fisc_fsum cov = fisc_fset_sum(g->fs, &s);
	if (!cov.has_amount) {
		fisc_doc_para(d, "本部门%d年绩效目标信息未列示。", g->year);
		fisc_doc_gap(d, "数据中没有本部门%d年绩效目标信息，预算绩效管理情况无内容。", g->year);
	} else if (proj.has_amount && proj.fen) {
		fisc_doc_para(d, "本部门%d年编制绩效目标的项目支出%s，占项目支出%s%s的%s。", g->year,
			      fig(g, &cov), fig(g, &proj), proj_stated ? "（资料表述数）" : "",
			      fisc_rt_pct(g->a, cov.fen, proj.fen, 2));
		if (cov.fen != proj.fen)
			fisc_doc_note(d, "绩效目标覆盖的项目支出%s与项目支出%s不相等，覆盖比例不是100%%。",
				      fig(g, &cov), fig(g, &proj));
	} else {
		fisc_doc_para(d, "本部门%d年编制绩效目标的项目支出%s。", g->year, fig(g, &cov));
		fisc_doc_gap(d, "数据中没有本部门%d年项目支出总额，未计算绩效目标覆盖比例。", g->year);
	}
	/* Named projects. */
	const char *names[32];
	size_t nn = 0;
	for (size_t i = 0; i < g->fs->n; i++) {
		const fisc_fact *f = &g->fs->v[i];
		if (f->year != g->year || f->phase != g->phase || strcmp(f->dept, g->dept) ||
		    !*f->project || !fisc_fset_under(g->fs, f->item, "project_exp") ||
		    !fisc_fset_under(g->fs, f->item, "dept_exp_total"))
			continue;
		size_t j = 0;
		while (j < nn && strcmp(names[j], f->project))
			j++;
		if (j == nn && nn < 32)
			names[nn++] = f->project;
	}
	for (size_t j = 0; j < nn; j++) {
		fisc_fsel p = fisc_fsel_any();
		p.year = g->year;
		p.phase = g->phase;
		p.dept = g->dept;
		p.project = names[j];
		p.under = "project_exp";
		p.kind = FISC_FACT_BASE;
		fisc_fsum x = fisc_fset_sum(g->fs, &p);
		if (!x.n) {
			p.under = NULL;
			p.item = "project_exp";
			p.kind = FS_ANY;
			p.econ = "";
			x = fisc_fset_figure(g->fs, p);
		}
		if (x.has_amount)
			fisc_doc_para(d, "项目“%s”：%d年安排%s。", names[j], g->year, fig(g, &x));
	}
}

/* --- 支出进度 by month, from the 指标 ledger ----------------------------- */

typedef struct ledger_year {
	const char *region, *dept;
	int year;
	fisc_fen quota;
	fisc_fen month[12]; /* paid, net of refunds */
	int any, rc;
} ledger_year;

static int quota_cb(void *ud, const fisc_quota_line *l)
{
	ledger_year *y = ud;
	if (l->year != y->year || strcmp(l->dept, y->dept) || strcmp(l->region, y->region))
		return 0;
	if (__builtin_add_overflow(y->quota, l->quota, &y->quota))
		return y->rc = fisc_error_set(FISC_ERANGE, "金额超出范围 / amount out of range");
	return 0;
}

static int month_cb(void *ud, const fisc_quota_rollup_row *r)
{
	ledger_year *y = ud;
	if (r->year != y->year || strcmp(r->dept, y->dept) || strcmp(r->region, y->region))
		return 0;
	assert(r->month >= 1 && r->month <= 12);
	if (__builtin_add_overflow(y->month[r->month - 1], r->fen, &y->month[r->month - 1]))
		return y->rc = fisc_error_set(FISC_ERANGE, "金额超出范围 / amount out of range");
	y->any = 1;
	return 0;
}

/* A ledger amount (exact fen) with the decimals of the report's tables. */
static const char *ledger_amount(dep *g, fisc_fen fen)
{
	char buf[96];
	if (fisc_fen_format(fen, (fisc_unit)g->fs->unit, g->dec, FISC_FMT_UNIT, buf, sizeof buf) < 0)
		return "?";
	const char *s = fisc_arena_strdup(g->a, buf);
	return s ? s : "?";
}

/* When the ledger holds the department's year: what was paid each month
** and in total so far against the 指标, as a sentence and a chart. Only in
** an execution or 决算 report: a budget disclosure is about the plan. */
static int progress(dep *g, fisc_store *st)
{
	ledger_year y;
	memset(&y, 0, sizeof y);
	y.region = g->fs->region.code;
	y.dept = g->dept;
	y.year = g->year;
	int rc = fisc_store_quota_line_each(st, quota_cb, &y);
	if (rc == FISC_OK)
		rc = fisc_store_quota_rollup(st, g->year, month_cb, &y);
	if (rc != FISC_OK || y.rc != FISC_OK)
		return rc != FISC_OK ? rc : y.rc;
	if (!y.any)
		return FISC_OK;
	int last = 12;
	while (last > 1 && !y.month[last - 1])
		last--;
	fisc_fen cum = 0;
	for (int m = 0; m < last; m++)
		cum += y.month[m]; /* each month fits, and so does the year: 指标 bound it */
	const char *pct = fisc_rt_pct(g->a, cum, y.quota, 2);
	fisc_doc_para(g->d, "根据指标账，截至%d年%d月末，本部门%d年指标%s，累计支出%s%s%s。", g->year, last,
		      g->year, ledger_amount(g, y.quota), ledger_amount(g, cum), *pct ? "，支出进度" : "", pct);
	fisc_chart *ch = fisc_doc_chart(g->d, FISC_CHART_COLUMNS,
					fisc_arena_printf(g->a, "%d年支出进度（按月）", g->year),
					g->fs->unit, g->dec);
	fisc_chart_series(g->d, ch, "当月支出");
	fisc_chart_series(g->d, ch, "累计支出");
	cum = 0;
	for (int m = 0; m < last; m++) {
		int c = fisc_chart_category(g->d, ch, fisc_arena_printf(g->a, "%d月", m + 1));
		cum += y.month[m];
		fisc_chart_value(ch, 0, c, y.month[m]);
		fisc_chart_value(ch, 1, c, cum);
	}
	return FISC_OK;
}

int fisc_report_department(fisc_store *st, const fisc_report_params *p, fisc_arena *a,
			   fisc_doc **out)
{
	fisc_fset fs;
	int rc = fisc_fset_dept(st, a, p->department, p->year, p->year - 1, p->year, &fs);
	if (rc == FISC_OK && p->unit)
		rc = fisc_fset_unit(&fs, p->unit);
	if (rc != FISC_OK) {
		fisc_fset_free(&fs);
		return rc;
	}
	dep g;
	memset(&g, 0, sizeof g);
	g.a = a;
	g.fs = &fs;
	g.dept = p->department;
	g.year = p->year;
	g.phase = p->phase ? p->phase : FISC_PHASE_BUDGET;
	g.amount_label = g.phase == FISC_PHASE_FINAL       ? "决算数"
			 : g.phase == FISC_PHASE_EXECUTION ? "执行数"
			 : g.phase == FISC_PHASE_ADJUSTED  ? "调整预算数"
							   : "预算数";
	/* decimals: the finest digit the department's figures were written with */
	fisc_fen w = 0;
	size_t nyear = 0;
	for (size_t i = 0; i < fs.n; i++) {
		const fisc_fact *f = &fs.v[i];
		if (f->year != g.year || f->phase != g.phase)
			continue;
		nyear++;
		if (f->has_amount) {
			fisc_fsum x = fisc_fsum_of_fact(f);
			if (x.wulp && (!w || x.wulp < w))
				w = x.wulp;
		}
	}
	if (!nyear) {
		fisc_fset_free(&fs);
		return fisc_error_set(FISC_ENOTFOUND, "没有数据：部门「%s」%d年%s / no facts for '%s' %d %s",
				      p->department, p->year, fisc_phase_name(g.phase), p->department,
				      p->year, fisc_phase_code(g.phase));
	}
	g.dec = w ? fisc_rt_dec(&fs, w) : 2;
	if (g.dec < 2 && fs.unit == FISC_UNIT_WAN)
		g.dec = 2; /* disclosure tables print 万元 with two decimals */
	g.d = fisc_doc_new(a, "department",
			   fisc_arena_printf(a, "%s%d年部门%s", p->department, p->year,
					     g.phase == FISC_PHASE_BUDGET ? "预算" : fisc_phase_name(g.phase)));
	if (!g.d) {
		fisc_fset_free(&fs);
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	fisc_doc_subtitle(g.d, "%s · 根据录入数据计算生成", fs.region.name);
	income in;
	income_of(&g, g.year, &in);
	sg now, before;
	sangong_of(&g, g.year, &now);
	sangong_of(&g, g.year - 1, &before);

	const char *kind = g.phase == FISC_PHASE_BUDGET ? "预算" : fisc_phase_name(g.phase);
	fisc_doc_heading(g.d, 1, "第一部分 部门%s情况说明", kind);
	fisc_doc_heading(g.d, 2, "一、总体说明");
	overview(&g, &in);
	if (g.phase != FISC_PHASE_BUDGET && (rc = progress(&g, st)) != FISC_OK) {
		fisc_fset_free(&fs);
		return rc;
	}
	sangong_text(&g, &now, &before);
	procurement(&g);
	funds_text(&g, 5, FISC_BOOK_GFB, "政府性基金预算");
	funds_text(&g, 6, FISC_BOOK_SOE, "国有资本经营预算");
	goals(&g, 7);

	fisc_doc_heading(g.d, 1, "第二部分 部门%s公开表", kind);
	t_summary(&g, &in);
	t_income(&g, &in);
	t_spending(&g, "部门支出总表", FS_ANY, 1);
	t_fiscal(&g, &in);
	t_spending(&g, "一般公共预算支出表", FISC_BOOK_GPB, 0);
	t_basic(&g);
	t_sangong(&g, &now, &before);
	t_spending(&g, "政府性基金预算支出表", FISC_BOOK_GFB, 0);
	t_spending(&g, "国有资本经营预算支出表", FISC_BOOK_SOE, 0);

	rc = fisc_glossary_append(g.d, 1, "第三部分 名词解释");
	fisc_fset_free(&fs);
	if (rc == FISC_OK)
		rc = fisc_doc_status(g.d);
	if (rc == FISC_OK)
		*out = g.d;
	return rc;
}
