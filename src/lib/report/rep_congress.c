/*
** rep_congress.c — 关于R Y年预算执行情况和Y+1年预算草案的报告: the report a
** finance bureau makes to the people's congress (seeds 001 and 003).
**
** Part one is year Y's execution (执行数, or 决算数 when that is what the data
** holds), part two year Y+1's budget draft. For each book, at each scope the
** data has, it gives the balance statement and table (fisc_balance_build, so
** the figures are those of `fisc report balance`), 完成预算 % against the
** adjusted budget (else the initial one) and 增长 % against the year before
** where the data has them, the share of tax in revenue, the parts of 上级补助收入;
** then the main expenditure items by function class, transfers to the level
** below (一般性 / 专项), the reserve fund and its use, the stabilisation fund's
** movement, 三公经费 with their change, the debt section and the glossary.
** The outline is seed 003's: 一、execution, 二、the year's fiscal work, 三、next
** year's arrangements, 四、the draft, then the measures; the narrative parts
** are the region's imported texts (fisc/perf.h, FISC_CONGRESS_SECTIONS) and
** carry no figure of their own, and the 口径 qualifier of a book's figures
** ("basis/gpb/all" → 区金库) goes into every sentence stating them. What the
** data cannot support is a document gap (fisc_doc_gap), never publishable
** text; a stated figure that disagrees with the computed one is a note.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/perf.h"
#include "report/chart.h"
#include "report/rep.h"

typedef struct cg {
	fisc_store *st;
	fisc_arena *a;
	fisc_doc *d;
	fisc_fset *fs;
	int year;               /* the execution year Y */
	fisc_selection *sels;   /* every balance selection of the region, Y-1 … Y+1 */
	size_t nsel, cap;
	fisc_perf_set texts;    /* the region's narrative sections and 口径 */
	int h2, h3;             /* running numbers of （一） and 1. headings */
	fisc_slips slips;       /* facts check flags as written in the wrong unit */
	int rc;
} cg;

static const int books[] = {FISC_BOOK_GPB, FISC_BOOK_GFB, FISC_BOOK_SOE, FISC_BOOK_SSF};
static const int scopes[] = {FISC_SCOPE_ALL, FISC_SCOPE_SELF, FISC_SCOPE_LOWER};

/* What the data could not support: kept out of the publishable text
** (fisc_doc_gap). */
#define gap(c, ...) fisc_doc_gap((c)->d, __VA_ARGS__)

/* The region's text of a section, NULL when there is none. */
static const char *text_of(const cg *c, const char *section)
{
	return fisc_perf_text_of(&c->texts, "", section);
}

/* The 口径 qualifier of a book's figures at a scope ("区金库"), or NULL. */
static const char *basis_of(const cg *c, int book, int scope)
{
	char key[64];
	snprintf(key, sizeof key, "basis/%s/%s", fisc_book_code((fisc_book)book),
		 fisc_scope_code((fisc_scope)scope));
	const char *q = text_of(c, key);
	return q && *q ? q : NULL;
}

/* The scope as headings name it: the outline stays the published one, the
** qualifier goes with the figures. */
static const char *plain_label(const fisc_balance *b)
{
	return fisc_region_scope_label(&b->region, b->scope);
}

/* Every amount in the report's one unit and precision (fisc_fset_unit); the
** unit a figure was written in only decides its digits. */
static const char *amt(cg *c, fisc_fen fen, int unit, fisc_fen wulp)
{
	(void)unit;
	return fisc_rt_money(c->fs, fen, wulp);
}

static const char *row_amt(cg *c, const fisc_balance *b, const fisc_balance_row *r)
{
	return amt(c, r->fen, b->unit, r->wulp);
}

/* --- selections ---------------------------------------------------------- */

static int collect_sel(void *ud, const fisc_selection *sel)
{
	cg *c = ud;
	if (sel->year < c->year - 1 || sel->year > c->year + 1)
		return 0;
	if (c->nsel == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		fisc_selection *v = fisc_arena_alloc(c->a, cap * sizeof *v);
		if (!v)
			return FISC_ENOMEM;
		if (c->nsel)
			memcpy(v, c->sels, c->nsel * sizeof *v);
		c->sels = v;
		c->cap = cap;
	}
	c->sels[c->nsel] = *sel;
	if (!(c->sels[c->nsel].region = fisc_arena_strdup(c->a, sel->region)))
		return FISC_ENOMEM;
	c->nsel++;
	return 0;
}

static int has_sel(const cg *c, int year, int phase, int book, int scope)
{
	for (size_t i = 0; i < c->nsel; i++)
		if (c->sels[i].year == year && c->sels[i].phase == phase && c->sels[i].book == book &&
		    c->sels[i].scope == scope)
			return 1;
	return 0;
}

/* The balance of a selection, or NULL when the data has none. */
static fisc_balance *balance(cg *c, int year, int phase, int book, int scope)
{
	if (!has_sel(c, year, phase, book, scope))
		return NULL;
	fisc_selection sel = {c->fs->region.code, year, book, scope, phase};
	fisc_balance *b = NULL;
	int rc = fisc_balance_build(c->st, &sel, c->a, &b);
	if (rc != FISC_OK && rc != FISC_ENOTFOUND && !c->rc)
		c->rc = rc;
	if (rc != FISC_OK)
		return NULL;
	/* A qualified scope (全区 as the 区金库 sees it) is said with every
	** figure: the statement, rates and notes all name b->scope_label, so
	** 全区收入300276 cannot be read against the official 401746. */
	const char *q = basis_of(c, book, scope);
	if (q) {
		b->scope_label = fisc_arena_printf(c->a, "%s（%s）", b->scope_label, q);
		b->title = fisc_arena_printf(c->a, "%s（%s）", b->title, q);
		if (!b->scope_label || !b->title) {
			if (!c->rc)
				c->rc = fisc_error_set(FISC_ENOMEM, "out of memory");
			return NULL;
		}
	}
	return b;
}

/* Execution figures of a year: 执行数, else 决算数. */
static int exec_phase(const cg *c, int year, int book, int scope)
{
	if (has_sel(c, year, FISC_PHASE_EXECUTION, book, scope))
		return FISC_PHASE_EXECUTION;
	if (has_sel(c, year, FISC_PHASE_FINAL, book, scope))
		return FISC_PHASE_FINAL;
	return 0;
}

static fisc_fsel sel_of(const fisc_balance *b)
{
	fisc_fsel s = fisc_fsel_any();
	s.year = b->year;
	s.scope = b->scope;
	s.phase = b->phase;
	s.book = b->book;
	s.dept = "";
	return s;
}

static int two_sided(const fisc_balance *b)
{
	return b->nincome && b->nexpense && b->income[0].has_amount && b->expense[0].has_amount;
}

/* --- one balance: statement, rates, table, stated-figure checks ----------- */

/* 完成预算 % and 增长 % of own revenue and expenditure. */
static void rates(cg *c, const fisc_balance *b, int exec)
{
	fisc_balance *ref = NULL, *prev = NULL;
	const char *ref_name = NULL;
	if (exec) {
		if ((ref = balance(c, b->year, FISC_PHASE_ADJUSTED, b->book, b->scope)))
			ref_name = "调整预算";
		else if ((ref = balance(c, b->year, FISC_PHASE_BUDGET, b->book, b->scope)))
			ref_name = "年初预算";
		int pp = exec_phase(c, b->year - 1, b->book, b->scope);
		prev = pp ? balance(c, b->year - 1, pp, b->book, b->scope) : NULL;
		if (!ref)
			gap(c, "数据中没有%d年%s%s的调整预算或年初预算，未计算完成预算%%。", b->year,
			    b->scope_label, fisc_book_name(b->book));
		if (!prev)
			gap(c, "数据中没有%d年%s%s的执行数，未计算%d年执行数比上年增长%%。", b->year - 1,
			    b->scope_label, fisc_book_name(b->book), b->year);
	} else {
		int pp = exec_phase(c, b->year - 1, b->book, b->scope);
		prev = pp ? balance(c, b->year - 1, pp, b->book, b->scope) : NULL;
		if (!prev)
			gap(c, "数据中没有%d年%s%s的执行数，未计算%d年预算比上年增长%%。", b->year - 1,
			    b->scope_label, fisc_book_name(b->book), b->year);
	}
	const char *lines[2] = {"own_rev", "own_exp"};
	const char *parts[2] = {NULL, NULL};
	for (int k = 0; k < 2; k++) {
		const fisc_balance_row *now = fisc_rt_row(b, lines[k]);
		if (!now || !now->has_amount)
			continue;
		const char *s = fisc_arena_printf(c->a, "%s%s%s%s%s", b->scope_label,
						  fisc_book_name(b->book), k ? "支出" : "收入",
						  exec ? "" : "预计", row_amt(c, b, now));
		int any = 0;
		const fisc_balance_row *r = ref ? fisc_rt_row(ref, lines[k]) : NULL;
		if (r && r->has_amount && r->fen) {
			s = fisc_arena_printf(c->a, "%s，为%s%s的%s", s, ref_name, row_amt(c, ref, r),
					      fisc_rt_pct(c->a, now->fen, r->fen, 2));
			any = 1;
		}
		const fisc_balance_row *p = prev ? fisc_rt_row(prev, lines[k]) : NULL;
		if (p && p->has_amount && p->fen) {
			s = fisc_arena_printf(c->a, "%s，比上年%s%s%s", s,
					      exec ? "" : fisc_arena_printf(c->a, "%s",
									    prev->phase == FISC_PHASE_FINAL
										    ? "决算数"
										    : "执行数"),
					      row_amt(c, prev, p), fisc_rt_growth(c->a, now->fen, p->fen));
			any = 1;
		}
		if (k == 0) { /* the share of tax in own revenue */
			const fisc_balance_row *tax = fisc_rt_row(b, "tax");
			if (tax && tax->has_amount && now->fen && b->book == FISC_BOOK_GPB) {
				s = fisc_arena_printf(c->a, "%s；其中税收收入%s，占%s收入的%s", s,
						      row_amt(c, b, tax), fisc_book_name(b->book),
						      fisc_rt_pct(c->a, tax->fen, now->fen, 2));
				any = 1;
			}
		}
		if (any)
			parts[k] = s;
	}
	if (parts[0] && parts[1])
		fisc_doc_para(c->d, "%s。%s。", parts[0], parts[1]);
	else if (parts[0] || parts[1])
		fisc_doc_para(c->d, "%s。", parts[0] ? parts[0] : parts[1]);
	/* A budget's 财力: what is left to spend once the 上解 is paid. */
	const fisc_balance_row *in = fisc_rt_row(b, "income_total"), *up = fisc_rt_row(b, "remit_up");
	if (!exec && b->book == FISC_BOOK_GPB && in && in->has_amount && up && up->has_amount)
		fisc_doc_para(c->d, "收入总计%s减上解支出%s后，%s可用财力为%s。", row_amt(c, b, in),
			      row_amt(c, b, up), b->scope_label,
			      amt(c, in->fen - up->fen, b->unit, in->wulp < up->wulp ? in->wulp : up->wulp));
}

/* 上级补助收入 and its parts by catalogue item (返还性 / 一般性 / 专项 …). */
static void upper_parts(cg *c, const fisc_balance *b)
{
	const fisc_balance_row *tot = fisc_rt_row(b, "upper_subsidy");
	if (!tot || !tot->has_amount)
		return;
	fisc_fsel s = sel_of(b);
	s.kind = FISC_FACT_BASE;
	s.under = "upper_subsidy";
	/* Group by the 款 (5-digit) code; facts on the line itself are unsplit. */
	const char *codes[16];
	size_t ncodes = 0;
	int coded = 0, unsplit = 0;
	for (size_t i = 0; i < c->fs->n; i++) {
		const fisc_fact *f = &c->fs->v[i];
		if (!fisc_fset_match(c->fs, &s, f))
			continue;
		if (!strcmp(f->item, "upper_subsidy") || strlen(f->item) < 5) {
			unsplit = 1;
			continue;
		}
		coded = 1;
		const char *k = fisc_arena_strndup(c->a, f->item, 5);
		size_t j = 0;
		while (j < ncodes && strcmp(codes[j], k))
			j++;
		if (j == ncodes && ncodes < 16)
			codes[ncodes++] = k;
	}
	if (!coded)
		return;
	const char *text = fisc_arena_printf(c->a, "上级补助收入%s，其中：", row_amt(c, b, tot));
	for (size_t j = 0; j < ncodes; j++) {
		fisc_fsel p = s;
		p.under = NULL;
		p.prefix = codes[j];
		fisc_fsum x = fisc_fset_sum(c->fs, &p);
		const char *name = fisc_catalog_item_name(c->fs->cat, codes[j]);
		text = fisc_arena_printf(c->a, "%s%s%s%s", text, j ? "，" : "", name ? name : codes[j],
					 amt(c, x.fen, b->unit, x.wulp));
	}
	if (unsplit) {
		fisc_fsel p = s;
		p.under = NULL;
		p.item = "upper_subsidy";
		fisc_fsum x = fisc_fset_sum(c->fs, &p);
		text = fisc_arena_printf(c->a, "%s，未细分的上级补助收入%s", text,
					 amt(c, x.fen, b->unit, x.wulp));
	}
	fisc_doc_para(c->d, "%s。", text);
}

/* Stated totals against the computed ones: a note when they disagree beyond
** what rounding allows. */
static void stated_checks(cg *c, const fisc_balance *b)
{
	static const char *const lines[] = {"income_total", "expense_total", "own_rev", "own_exp",
					    "transfer_in_total", "transfer_out_total",
					    "upper_subsidy", "ssf_surplus", "ssf_balance"};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		const fisc_balance_row *r = fisc_rt_row(b, lines[i]);
		if (!r || !r->has_amount)
			continue;
		fisc_fsel s = sel_of(b);
		s.kind = FISC_FACT_STATED;
		s.item = lines[i];
		s.fund = "";
		s.project = "";
		fisc_fsum st = fisc_fset_sum(c->fs, &s);
		if (!st.has_amount || fisc_rt_consistent(st.fen, st.ulp, r->fen, r->ulp))
			continue;
		static const char *const words[] = {"收入总计", "支出总计", "收入", "支出", "转移性收入",
						    "转移性支出", "上级补助收入", "当年收支结余",
						    "年末滚存结余"};
		const char *name = words[i];
		fisc_fen diff = st.fen > r->fen ? st.fen - r->fen : r->fen - st.fen;
		fisc_doc_note(c->d,
			      "资料表述的%s%s%s为%s，按明细数据计算为%s，相差%s，超出四舍五入误差；本报告列示计算数。",
			      b->scope_label, fisc_book_name(b->book), name,
			      amt(c, st.fen, b->unit, st.wulp), row_amt(c, b, r),
			      amt(c, diff, b->unit, st.wulp < r->wulp || !r->wulp ? st.wulp : r->wulp));
	}
}

/* --- sections of a book -------------------------------------------------- */

/* The one fact a selection matches when check flags it as a unit slip. */
static const fisc_fact *slipped(cg *c, const fisc_fsel *sel)
{
	fisc_fsel s = *sel;
	s.kind = FS_ANY; /* the figure may be a stated one */
	for (size_t i = 0; i < c->fs->n; i++) {
		const fisc_fact *f = &c->fs->v[i];
		if (f->has_amount && fisc_fset_match(c->fs, &s, f) && fisc_rt_slip(&c->slips, f->id))
			return f;
	}
	return NULL;
}

/* 主要支出: the function classes the data has for a balance's own spending. */
static void main_items(cg *c, const fisc_balance *b, int exec)
{
	const fisc_balance_row *own = fisc_rt_row(b, "own_exp");
	fisc_fsel s = sel_of(b);
	char classes[64][4];
	size_t n = 0;
	for (size_t i = 0; i < c->fs->n; i++) {
		const fisc_fact *f = &c->fs->v[i];
		if (!fisc_fset_match(c->fs, &s, f) || strlen(f->item) < 3 ||
		    !fisc_fset_function(c->fs, f->item) || !fisc_fset_under(c->fs, f->item, "own_exp"))
			continue;
		/* 预备费 (227) is an amount set aside in a budget; in execution the
		** part used is spent under the classes it was used for, so an
		** execution list never shows it (the reserve has its own section). */
		if (exec && !strncmp(f->item, "227", 3))
			continue;
		size_t j = 0;
		while (j < n && strncmp(classes[j], f->item, 3))
			j++;
		if (j == n && n < 64) {
			memcpy(classes[n], f->item, 3);
			classes[n++][3] = 0;
		}
	}
	if (!n)
		return;
	qsort(classes, n, sizeof *classes, (int (*)(const void *, const void *))strcmp);
	fisc_doc_heading(c->d, 3, "%d.%s%s主要支出%s", ++c->h3, plain_label(b),
			 fisc_book_name(b->book), exec ? "执行情况" : "预算安排");
	fisc_table *t = fisc_doc_table(c->d,
				       fisc_arena_printf(c->a, "%d年%s%s主要支出%s", b->year,
							 plain_label(b), fisc_book_name(b->book),
							 exec ? "执行情况" : "预算安排"),
				       4);
	fisc_table_unit(c->d, t, c->fs->unit);
	fisc_cell *h = fisc_table_head(c->d, t);
	fisc_cell_text(c->d, &h[0], "科目编码");
	fisc_cell_text(c->d, &h[1], "支出项目");
	fisc_cell_text(c->d, &h[2], "%s", b->amount_label);
	fisc_cell_text(c->d, &h[3], "占%s%s支出%%", plain_label(b), fisc_book_name(b->book));
	fisc_fsum listed;
	memset(&listed, 0, sizeof listed);
	int any_stated = 0;
	int dec = fisc_rt_dec(c->fs, b->wulp);
	/* the same figures as a chart, largest first */
	const char *names[64];
	fisc_fen fens[64];
	size_t nbar = 0;
	for (size_t j = 0; j < n; j++) {
		fisc_fsel p = s;
		p.prefix = classes[j];
		p.kind = FISC_FACT_BASE;
		fisc_fsum x = fisc_fset_sum(c->fs, &p);
		if (!x.n) { /* a stated class total (主要支出 lists) */
			p.prefix = NULL;
			p.item = classes[j];
			x = fisc_fset_figure(c->fs, p);
		}
		if (!x.n)
			continue;
		const fisc_fact *slip = x.n == 1 ? slipped(c, &p) : NULL;
		any_stated |= x.stated;
		if (!slip)
			fisc_fsum_add(&listed, &x);
		fisc_cell *r = fisc_table_row(c->d, t);
		const char *name = fisc_catalog_item_name(c->fs->cat, classes[j]);
		fisc_cell_text(c->d, &r[0], "%s", classes[j]);
		fisc_cell_text(c->d, &r[1], "%s", name ? name : classes[j]);
		if (slip) {
			/* Written in the wrong unit, by check's rule: show it as
			** written, marked, instead of 2.29元 as 0.000229亿元, and
			** keep it out of the total. */
			const fisc_finding *fd = fisc_rt_slip(&c->slips, slip->id);
			char w[64], alt[64];
			fisc_amount_format(&slip->amount, FISC_FMT_UNIT, w, sizeof w);
			fisc_fen_format(fd->computed, (fisc_unit)fd->unit, slip->amount.decimals,
					FISC_FMT_UNIT, alt, sizeof alt);
			fisc_cell_text(c->d, &r[2], "%s※", w);
			fisc_table_note(c->d, t, "※疑似单位错误：%s资料写作%s，同一列表其余各项以%s为单位，"
					"按%s应为%s；未计入合计。",
					name ? name : classes[j], w, fisc_unit_name((fisc_unit)fd->unit),
					fisc_unit_name((fisc_unit)fd->unit), alt);
		} else if (x.has_amount) {
			int xd = fisc_rt_dec(c->fs, x.wulp);
			fisc_cell_amount(c->d, &r[2], x.fen, c->fs->unit, xd > dec ? xd : dec);
			if (own && own->has_amount)
				fisc_cell_percent(c->d, &r[3], x.fen, own->fen, 2);
			if (xd > dec)
				dec = xd;
			if (x.fen > 0) {
				names[nbar] = name ? name : classes[j];
				fens[nbar++] = x.fen;
			}
		}
	}
	if (nbar >= 2) {
		fisc_chart *ch = fisc_doc_chart(c->d, FISC_CHART_HBAR, t->title, c->fs->unit, dec);
		fisc_chart_series(c->d, ch, b->amount_label);
		for (size_t j = 0; j < nbar; j++)
			fisc_chart_value(ch, 0, fisc_chart_category(c->d, ch, names[j]), fens[j]);
	}
	if (!own || !own->has_amount)
		return;
	if (!any_stated && listed.fen == own->fen)
		fisc_table_note(c->d, t, "以上各项合计%s，即%s%s支出。",
				amt(c, listed.fen, b->unit, listed.wulp), b->scope_label,
				fisc_book_name(b->book));
	else
		fisc_table_note(c->d, t, "以上为%s的支出项目，合计%s，占%s%s支出%s的%s；其余支出数据未按功能分类列示。",
				any_stated ? "资料列示" : "按功能分类录入",
				amt(c, listed.fen, b->unit, listed.wulp), b->scope_label,
				fisc_book_name(b->book), row_amt(c, b, own),
				fisc_rt_pct(c->a, listed.fen, own->fen, 2));
}

/* 对下级转移支付: 补助下级支出 and its 一般性 / 专项 parts. */
static void lower_transfers(cg *c, const fisc_balance *b, int exec)
{
	const fisc_balance_row *tot = fisc_rt_row(b, "subsidy_lower");
	if (!tot || !tot->has_amount)
		return;
	const char *lower = fisc_region_scope_label(&b->region, FISC_SCOPE_LOWER);
	fisc_doc_heading(c->d, 3, "%d.%s对%s转移支付%s", ++c->h3, plain_label(b),
			 lower && *lower ? lower : "下级", exec ? "执行情况" : "预算安排");
	const char *text = fisc_arena_printf(c->a, "%s%s对%s转移支付%s", b->scope_label,
					     fisc_book_name(b->book), lower && *lower ? lower : "下级",
					     row_amt(c, b, tot));
	static const char *const codes[] = {"23001", "23002", "23003", "23004", "23005"};
	fisc_fsum parts;
	memset(&parts, 0, sizeof parts);
	int listed = 0;
	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
		fisc_fsel s = sel_of(b);
		s.prefix = codes[i];
		s.kind = FISC_FACT_BASE;
		fisc_fsum x = fisc_fset_sum(c->fs, &s);
		if (!x.n) {
			s.kind = FS_ANY;
			s.item = codes[i];
			s.prefix = NULL;
			x = fisc_fset_figure(c->fs, s);
		}
		if (!x.has_amount)
			continue;
		fisc_fsum_add(&parts, &x);
		const char *name = fisc_catalog_item_name(c->fs->cat, codes[i]);
		text = fisc_arena_printf(c->a, "%s%s%s%s", text, listed++ ? "，" : "。其中",
					 name ? name : codes[i], amt(c, x.fen, b->unit, x.wulp));
	}
	if (!listed)
		text = fisc_arena_printf(c->a, "%s（资料未区分一般性转移支付和专项转移支付）", text);
	fisc_doc_para(c->d, "%s。", text);
	if (listed && !fisc_rt_consistent(tot->fen, tot->ulp, parts.fen, parts.ulp))
		fisc_doc_note(c->d, "转移支付分项合计%s与补助下级支出%s不一致。",
			      amt(c, parts.fen, b->unit, parts.wulp), row_amt(c, b, tot));
}

/* 预备费: what was set aside (class 227), what was used, and the share of
** spending the Budget Law bounds (Art. 40: 1%–3%). */
static void reserve(cg *c, const fisc_balance *b, int exec)
{
	fisc_fsel s = sel_of(b);
	s.item = "227";
	fisc_fsum set = fisc_fset_figure(c->fs, s);
	const char *set_when = "";
	if (!set.has_amount && exec) { /* the budget of the year sets the reserve */
		static const int ph[2] = {FISC_PHASE_ADJUSTED, FISC_PHASE_BUDGET};
		for (int k = 0; k < 2 && !set.has_amount; k++) {
			s.phase = ph[k];
			set = fisc_fset_figure(c->fs, s);
			set_when = k ? "年初预算" : "调整预算";
		}
		s.phase = b->phase;
	}
	s.item = "reserve_used";
	fisc_fsum used = fisc_fset_figure(c->fs, s);
	if (!set.has_amount && !used.has_amount)
		return;
	const fisc_balance_row *own = fisc_rt_row(b, "own_exp");
	fisc_doc_heading(c->d, 3, "%d.%s预备费%s", ++c->h3, plain_label(b),
			 exec ? "安排和使用情况" : "安排情况");
	const char *text = "";
	if (set.has_amount)
		text = fisc_arena_printf(c->a, "%s%s预算安排预备费%s", b->scope_label, set_when,
					 fisc_rt_fig(c->fs, &set));
	if (used.has_amount) {
		text = fisc_arena_printf(c->a, "%s%s使用%s", text, *text ? "，" : "预备费",
					 fisc_rt_fig(c->fs, &used));
		if (set.has_amount) {
			fisc_fsel f = sel_of(b);
			f.item = "stab_fill";
			f.kind = FS_ANY;
			/* the part of 安排预算稳定调节基金 that came from the reserve */
			fisc_fsum refill;
			memset(&refill, 0, sizeof refill);
			for (size_t i = 0; i < c->fs->n; i++) {
				const fisc_fact *x = &c->fs->v[i];
				if (fisc_fset_match(c->fs, &f, x) && strstr(x->fund, "预备费") &&
				    x->has_amount)
					refill = fisc_fsum_of_fact(x);
			}
			fisc_fen left = set.fen - used.fen;
			text = fisc_arena_printf(c->a, "%s，剩余%s", text,
						 amt(c, left, set.unit, set.wulp < used.wulp ? set.wulp : used.wulp));
			if (refill.has_amount)
				text = fisc_arena_printf(c->a, "%s，其中%s补充预算稳定调节基金", text,
							 fisc_rt_fig(c->fs, &refill));
		}
	}
	if (set.has_amount && own && own->has_amount && own->fen > 0)
		text = fisc_arena_printf(c->a, "%s。预备费占%s一般公共预算支出%s的%s", text,
					 b->scope_label, row_amt(c, b, own),
					 fisc_rt_pct(c->a, set.fen, own->fen, 2));
	fisc_doc_para(c->d, "%s。", text);
	if (set.has_amount && own && own->has_amount && own->fen > 0 &&
	    ((__int128)set.fen * 100 < (__int128)own->fen || (__int128)set.fen * 100 > (__int128)own->fen * 3))
		fisc_doc_note(c->d, "预算法第四十条规定，预备费按本级一般公共预算支出额的1%%至3%%设置；%s预备费占比为%s。",
			      b->scope_label, fisc_rt_pct(c->a, set.fen, own->fen, 2));
}

/* A stabilisation-fund figure at one scope (any phase unless given). */
static fisc_fsum stab_fig(cg *c, int year, int phase, int scope, const char *item,
			  const char *fund)
{
	fisc_fsel s = fisc_fsel_any();
	s.year = year;
	s.phase = phase;
	s.scope = scope;
	s.book = FISC_BOOK_GPB;
	s.dept = "";
	s.item = item;
	s.fund = fund;
	return fisc_fset_figure(c->fs, s);
}

/* The parts of a stabilisation-fund movement that name their source. */
static void stab_parts(cg *c, fisc_doc *d, fisc_table *t, const fisc_balance *b, const char *item,
		       int dec, const char **text)
{
	fisc_fsel s = sel_of(b);
	s.item = item;
	int k = 0;
	for (size_t i = 0; i < c->fs->n; i++) {
		const fisc_fact *f = &c->fs->v[i];
		if (!fisc_fset_match(c->fs, &s, f) || !*f->fund || !f->has_amount)
			continue;
		fisc_cell *r = fisc_table_row(d, t);
		fisc_cell_text(d, &r[0], "%s%s", k++ ? "" : "其中：", f->fund);
		r[0].level = 1;
		fisc_cell_amount(d, &r[1], f->amount.fen, c->fs->unit, dec);
		if (text) {
			fisc_fsum x = fisc_fsum_of_fact(f);
			*text = fisc_arena_printf(c->a, "%s%s%s%s", *text, k > 1 ? "、" : "（其中", f->fund,
						  fisc_rt_fig(c->fs, &x));
		}
	}
	if (text && k)
		*text = fisc_arena_printf(c->a, "%s）", *text);
}

/* 预算稳定调节基金: opening balance, drawn, added, drawn for next year's
** budget, and the balance that leaves, computed. */
static void stab_fund(cg *c, const fisc_balance *b)
{
	int y = b->year;
	fisc_fsum open = stab_fig(c, y, 0, b->scope, "stab_fund_open", NULL);
	fisc_fsum close_y = stab_fig(c, y, 0, b->scope, "stab_fund_close", NULL);
	fisc_fsum close_n = stab_fig(c, y + 1, 0, b->scope, "stab_fund_close", NULL);
	const fisc_balance_row *draw = fisc_rt_row(b, "stab_draw");
	const fisc_balance_row *fill = fisc_rt_row(b, "stab_fill");
	fisc_balance *next = balance(c, y + 1, FISC_PHASE_BUDGET, b->book, b->scope);
	const fisc_balance_row *ndraw = next ? fisc_rt_row(next, "stab_draw") : NULL;
	int have_draw = draw && draw->has_amount, have_fill = fill && fill->has_amount;
	if (!open.has_amount && !close_y.has_amount && !close_n.has_amount && !have_draw && !have_fill)
		return;
	/* Only one scope tells the fund's story when balances are kept for it. */
	if (!open.has_amount && !close_y.has_amount && !close_n.has_amount) {
		for (size_t i = 0; i < sizeof scopes / sizeof *scopes; i++) {
			if (scopes[i] == b->scope)
				continue;
			if (stab_fig(c, y, 0, scopes[i], "stab_fund_open", NULL).n ||
			    stab_fig(c, y + 1, 0, scopes[i], "stab_fund_close", NULL).n)
				return;
		}
	}
	fisc_doc *d = c->d;
	fisc_doc_heading(d, 3, "%d.%s预算稳定调节基金", ++c->h3, plain_label(b));
	int dec = fisc_rt_dec(c->fs, b->wulp);
	fisc_table *t = fisc_doc_table(d, fisc_arena_printf(c->a, "%s预算稳定调节基金变动情况",
							    b->scope_label),
				       2);
	fisc_table_unit(d, t, c->fs->unit);
	fisc_cell *h = fisc_table_head(d, t);
	fisc_cell_text(d, &h[0], "项 目");
	fisc_cell_text(d, &h[1], "金 额");
	const char *text = fisc_arena_printf(c->a, "%d年", y);
	fisc_cell *r;
	if (open.has_amount) {
		r = fisc_table_row(d, t);
		fisc_cell_text(d, &r[0], "%d年初余额", y);
		fisc_cell_amount(d, &r[1], open.fen, c->fs->unit, dec);
		text = fisc_arena_printf(c->a, "%s初，%s预算稳定调节基金余额为%s", text, b->scope_label,
					 fisc_rt_fig(c->fs, &open));
	} else {
		text = fisc_arena_printf(c->a, "%s，%s预算稳定调节基金", text, b->scope_label);
	}
	/* The draw after the opening balance: the part recorded as drawn during
	** the year when the opening balance is the one left after the 年初 draw
	** (examples/README.md, 003), else the whole year's draw. */
	fisc_fsum inyear = stab_fig(c, y, b->phase, b->scope, "stab_draw", FS_FUND_INYEAR_DRAW);
	fisc_fen draw_after = inyear.has_amount ? inyear.fen : have_draw ? draw->fen : 0;
	if (have_draw) {
		r = fisc_table_row(d, t);
		fisc_cell_text(d, &r[0], "%d年动用", y);
		fisc_cell_amount(d, &r[1], draw->fen, c->fs->unit, dec);
		stab_parts(c, d, t, b, "stab_draw", dec, NULL);
		if (inyear.has_amount)
			text = fisc_arena_printf(c->a, "%s，年度中动用%s", text, fisc_rt_fig(c->fs, &inyear));
		else
			text = fisc_arena_printf(c->a, "%s%s动用%s", text, open.has_amount ? "，" : "",
						 row_amt(c, b, draw));
	}
	if (have_fill) {
		r = fisc_table_row(d, t);
		fisc_cell_text(d, &r[0], "%d年补充", y);
		fisc_cell_amount(d, &r[1], fill->fen, c->fs->unit, dec);
		text = fisc_arena_printf(c->a, "%s%s年底补充%s", text,
					 open.has_amount || have_draw ? "，" : "", row_amt(c, b, fill));
		stab_parts(c, d, t, b, "stab_fill", dec, &text);
	}
	if (ndraw && ndraw->has_amount) {
		r = fisc_table_row(d, t);
		fisc_cell_text(d, &r[0], "%d年初动用（%d年预算）", y + 1, y + 1);
		fisc_cell_amount(d, &r[1], ndraw->fen, c->fs->unit, dec);
		text = fisc_arena_printf(c->a, "%s；%d年初动用%s", text, y + 1, row_amt(c, next, ndraw));
	}
	/* The balance left, when the opening balance is known. */
	if (open.has_amount) {
		fisc_fen end = open.fen - draw_after + (have_fill ? fill->fen : 0);
		const fisc_fsum *stated = &close_y;
		const char *label = fisc_arena_printf(c->a, "%d年末余额", y);
		if (ndraw && ndraw->has_amount) {
			end -= ndraw->fen;
			stated = &close_n;
			label = fisc_arena_printf(c->a, "%d年初动用后余额", y + 1);
		}
		r = fisc_table_row(d, t);
		fisc_cell_text(d, &r[0], "%s", label);
		r[0].strong = r[1].strong = 1;
		fisc_cell_amount(d, &r[1], end, c->fs->unit, dec);
		text = fisc_arena_printf(c->a, "%s，%s为%s", text,
					 ndraw && ndraw->has_amount ? "动用后余额" : "年末余额",
					 amt(c, end, b->unit, b->wulp));
		if (stated->has_amount && !fisc_rt_consistent(stated->fen, stated->ulp, end, open.ulp))
			fisc_table_note(d, t, "资料表述的余额为%s，与按变动计算的%s不一致。",
					fisc_rt_fig(c->fs, stated), amt(c, end, b->unit, b->wulp));
		else if (stated->has_amount)
			fisc_table_note(d, t, "余额按年初余额减动用加补充计算，与资料表述的%s一致。",
					fisc_rt_fig(c->fs, stated));
	} else {
		gap(c, "数据中没有%s预算稳定调节基金的年初余额，未计算基金余额。", b->scope_label);
	}
	fisc_doc_para(d, "%s。", text);
}

/* One 三公 figure: the line's base facts (total = its parts), else stated. */
static fisc_fsum sangong_fig(cg *c, int year, int phase, int scope, const char *line)
{
	fisc_fsel s = fisc_fsel_any();
	s.year = year;
	s.phase = phase;
	s.scope = scope;
	s.dept = "";
	s.under = line;
	s.kind = FISC_FACT_BASE;
	fisc_fsum x = fisc_fset_sum(c->fs, &s);
	if (!x.n) {
		s.under = NULL;
		s.item = line;
		s.kind = FS_ANY;
		x = fisc_fset_figure(c->fs, s);
	}
	return x;
}

/* “三公”经费 at each scope that has them, with the change on the year before. */
static void sangong(cg *c, int year, int exec)
{
	static const int exec_phases[] = {FISC_PHASE_EXECUTION, FISC_PHASE_FINAL, FISC_PHASE_ADJUSTED,
					  FISC_PHASE_BUDGET};
	static const int budget_phases[] = {FISC_PHASE_BUDGET};
	static const char *const items[] = {"sangong", "sangong_abroad", "sangong_reception",
					    "sangong_vehicle"};
	const int *phases = exec ? exec_phases : budget_phases;
	size_t nph = exec ? 4 : 1;
	for (size_t si = 0; si < sizeof scopes / sizeof *scopes; si++) {
		int scope = scopes[si], phase = 0;
		fisc_fsum now[4];
		for (size_t p = 0; p < nph && !phase; p++)
			if (sangong_fig(c, year, phases[p], scope, "sangong").n)
				phase = phases[p];
		if (!phase)
			continue;
		for (int i = 0; i < 4; i++)
			now[i] = sangong_fig(c, year, phase, scope, items[i]);
		fisc_fsum before[4];
		int have_before = 0;
		for (int i = 0; i < 4; i++) {
			before[i] = sangong_fig(c, year - 1, phase, scope, items[i]);
			have_before |= before[i].has_amount;
		}
		const char *label = fisc_region_scope_label(&c->fs->region, scope);
		int spent = phase == FISC_PHASE_EXECUTION || phase == FISC_PHASE_FINAL;
		fisc_doc_heading(c->d, 3, "%d.%s“三公”经费", ++c->h3, label);
		const char *text = fisc_arena_printf(c->a, "%s%s“三公”经费%s%s", label,
						     spent ? "" : exec ? "安排" : "预算安排",
						     spent ? "支出" : "", fisc_rt_fig(c->fs, &now[0]));
		static const char *const names[] = {"“三公”经费合计", "因公出国（境）费", "公务接待费",
						    "公务用车购置及运行维护费"};
		int parts = 0;
		for (int i = 1; i < 4; i++)
			if (now[i].has_amount) {
				text = fisc_arena_printf(c->a, "%s%s%s%s", text, parts++ ? "，" : "。其中：",
							 names[i], fisc_rt_fig(c->fs, &now[i]));
				if (have_before && before[i].has_amount)
					text = fisc_arena_printf(c->a, "%s，上年%s%s", text,
								 fisc_rt_fig(c->fs, &before[i]),
								 before[i].fen ? fisc_arena_printf(c->a, "，%s",
									fisc_rt_growth(c->a, now[i].fen, before[i].fen))
									       : "");
			}
		if (have_before && before[0].has_amount && before[0].fen)
			text = fisc_arena_printf(c->a, "%s。合计比上年%s", text,
						 fisc_rt_growth(c->a, now[0].fen, before[0].fen));
		fisc_doc_para(c->d, "%s。", text);
		fisc_table *t = fisc_doc_table(c->d,
					       fisc_arena_printf(c->a, "%d年%s“三公”经费%s", year, label,
								 spent ? "支出情况" : "安排情况"),
					       have_before ? 4 : 2);
		fisc_table_unit(c->d, t, c->fs->unit);
		fisc_cell *h = fisc_table_head(c->d, t);
		fisc_cell_text(c->d, &h[0], "项 目");
		fisc_cell_text(c->d, &h[1], "%d年", year);
		if (have_before) {
			fisc_cell_text(c->d, &h[2], "%d年", year - 1);
			fisc_cell_text(c->d, &h[3], "增减%%");
		}
		for (int i = 0; i < 4; i++) {
			if (i && !now[i].n && !before[i].n)
				continue; /* a part the data does not give */
			fisc_cell *r = fisc_table_row(c->d, t);
			fisc_cell_text(c->d, &r[0], "%s", names[i]);
			r[0].level = i ? 1 : 0;
			r[0].strong = i == 0;
			if (now[i].has_amount)
				fisc_cell_amount(c->d, &r[1], now[i].fen, c->fs->unit,
						 fisc_rt_dec(c->fs, now[i].wulp));
			if (have_before && before[i].has_amount) {
				fisc_cell_amount(c->d, &r[2], before[i].fen, c->fs->unit,
						 fisc_rt_dec(c->fs, before[i].wulp));
				if (now[i].has_amount)
					fisc_cell_percent(c->d, &r[3], now[i].fen - before[i].fen,
							  before[i].fen, 1);
			}
		}
		if (!have_before)
			gap(c, "数据中没有%d年%s“三公”经费，未计算同比增减。", year - 1, label);
		/* a stated total against its parts */
		fisc_fsel s = fisc_fsel_any();
		s.year = year;
		s.phase = phase;
		s.scope = scope;
		s.dept = "";
		s.item = "sangong";
		s.fund = "";
		s.project = "";
		s.kind = FISC_FACT_STATED;
		fisc_fsum st = fisc_fset_sum(c->fs, &s);
		if (st.has_amount && !now[0].stated &&
		    !fisc_rt_consistent(st.fen, st.ulp, now[0].fen, now[0].ulp))
			fisc_table_note(c->d, t, "资料表述的“三公”经费合计为%s，分项合计为%s。",
					fisc_rt_fig(c->fs, &st), fisc_rt_fig(c->fs, &now[0]));
	}
}

/* --- a part: one year, execution or budget ------------------------------- */

/* Each book's own revenue and expenditure, 上年 execution beside 本年
** (execution in the execution part, the draft budget in the draft part),
** for the first scope (全区, else 区级) that has both years of some book. */
static void year_chart(cg *c, int year, int exec)
{
	static const char *const lines[2] = {"own_rev", "own_exp"};
	for (size_t si = 0; si < 2; si++) {
		const fisc_balance *now[4] = {NULL}, *prev[4] = {NULL};
		int any = 0, dec = 0;
		for (size_t bi = 0; bi < sizeof books / sizeof *books; bi++) {
			int p1 = exec ? exec_phase(c, year, books[bi], scopes[si])
				 : has_sel(c, year, FISC_PHASE_BUDGET, books[bi], scopes[si])
					 ? FISC_PHASE_BUDGET
					 : 0;
			int p0 = exec_phase(c, year - 1, books[bi], scopes[si]);
			now[bi] = p1 ? balance(c, year, p1, books[bi], scopes[si]) : NULL;
			prev[bi] = p0 ? balance(c, year - 1, p0, books[bi], scopes[si]) : NULL;
			any |= now[bi] && prev[bi];
		}
		if (!any)
			continue;
		const char *label = NULL;
		for (size_t bi = 0; bi < 4 && !label; bi++)
			if (now[bi])
				label = now[bi]->scope_label;
		fisc_chart *ch = fisc_doc_chart(
			c->d, FISC_CHART_COLUMNS,
			fisc_arena_printf(c->a, "%s%d年%s与上年执行数比较", label, year,
					  exec ? "收支执行" : "收支预算"),
			c->fs->unit, 0);
		fisc_chart_series(c->d, ch, fisc_arena_printf(c->a, "%d年执行数", year - 1));
		fisc_chart_series(c->d, ch, fisc_arena_printf(c->a, "%d年%s", year,
							      exec ? "执行数" : "预算数"));
		for (size_t bi = 0; bi < 4; bi++) {
			if (!now[bi] || !prev[bi])
				continue;
			for (int k = 0; k < 2; k++) {
				const fisc_balance_row *r0 = fisc_rt_row(prev[bi], lines[k]);
				const fisc_balance_row *r1 = fisc_rt_row(now[bi], lines[k]);
				if (!r0 || !r1 || !r0->has_amount || !r1->has_amount)
					continue;
				int cat = fisc_chart_category(
					c->d, ch,
					fisc_arena_printf(c->a, "%s%s", fisc_book_name(books[bi]),
							  k ? "支出" : "收入"));
				fisc_chart_value(ch, 0, cat, r0->fen);
				fisc_chart_value(ch, 1, cat, r1->fen);
				int d0 = fisc_rt_dec(c->fs, r0->wulp), d1 = fisc_rt_dec(c->fs, r1->wulp);
				if (d0 > dec)
					dec = d0;
				if (d1 > dec)
					dec = d1;
			}
		}
		if (ch)
			ch->decimals = dec;
		return;
	}
}

static int part(cg *c, int n, int year, int exec)
{
	fisc_doc *d = c->d;
	fisc_doc_heading(d, 1, "%s、%d年%s", fisc_rt_cn(n), year, exec ? "预算执行情况" : "预算草案");
	year_chart(c, year, exec);
	c->h2 = 0;
	int any = 0;
	for (size_t bi = 0; bi < sizeof books / sizeof *books; bi++) {
		int book = books[bi];
		fisc_balance *bs[3] = {NULL, NULL, NULL};
		int nb = 0;
		for (size_t si = 0; si < 3; si++) {
			int ph = exec ? exec_phase(c, year, book, scopes[si])
				      : has_sel(c, year, FISC_PHASE_BUDGET, book, scopes[si])
					      ? FISC_PHASE_BUDGET
					      : 0;
			fisc_balance *b = ph ? balance(c, year, ph, book, scopes[si]) : NULL;
			/* A lower level shows up in a report only as a whole book. */
			if (b && scopes[si] == FISC_SCOPE_LOWER && !two_sided(b))
				b = NULL;
			if (b) {
				bs[si] = b;
				nb++;
			}
		}
		if (!nb) {
			/* "一般公共预算" already ends in 预算: say 执行 / 草案 */
			gap(c, "数据中没有%d年%s%s数据。", year, fisc_book_name(book),
			    exec ? "执行" : "草案");
			continue;
		}
		any = 1;
		c->h3 = 0;
		fisc_doc_heading(d, 2, "（%s）%s%s", fisc_rt_cn(++c->h2), fisc_book_name(book),
				 exec ? "执行情况" : "草案");
		for (size_t si = 0; si < 3; si++) {
			fisc_balance *b = bs[si];
			if (!b)
				continue;
			fisc_doc_heading(d, 3, "%d.%s%s%s", ++c->h3, plain_label(b), fisc_book_name(book),
					 exec ? "执行情况" : "草案");
			if (fisc_rt_statement(d, c->fs, b) != FISC_OK && !c->rc)
				c->rc = FISC_ENOMEM;
			rates(c, b, exec);
			upper_parts(c, b);
			fisc_rt_balance_table(d, c->fs, b);
			stated_checks(c, b);
		}
		for (size_t si = 0; si < 3; si++)
			if (bs[si])
				main_items(c, bs[si], exec);
		for (size_t si = 0; si < 3; si++)
			if (bs[si])
				lower_transfers(c, bs[si], exec);
		if (book == FISC_BOOK_GPB) {
			for (size_t si = 0; si < 3; si++)
				if (bs[si])
					reserve(c, bs[si], exec);
			if (exec)
				for (size_t si = 0; si < 3; si++)
					if (bs[si])
						stab_fund(c, bs[si]);
			sangong(c, year, exec);
		}
	}
	c->h3 = 0;
	if (fisc_debt_section(d, c->fs, year, 2, fisc_arena_printf(c->a, "（%s）", fisc_rt_cn(c->h2 + 1)))) {
		c->h2++;
		any = 1;
	} else if (exec) {
		gap(c, "数据中没有%d年政府债务数据。", year);
	}
	if (!any) {
		/* The heading stays so the outline keeps its numbers; a
		** publishable section is never left bare. */
		gap(c, "数据中没有%d年%s数据。", year, exec ? "预算执行" : "预算");
		fisc_doc_para(d, "本部分未填报内容。");
	}
	return any;
}

/* --- narrative sections (imported texts) ---------------------------------- */

/* A text as paragraphs: each line is one. */
static void paras(cg *c, const char *text)
{
	const char *s = text;
	while (*s) {
		size_t n = strcspn(s, "\n");
		size_t k = n;
		while (k && (s[k - 1] == '\r' || s[k - 1] == ' '))
			k--;
		if (k)
			fisc_doc_para(c->d, "%.*s", (int)k, s);
		s += n;
		if (*s)
			s++;
	}
}

/* Whether the region has a text of `key` or of one of its subsections. */
static int has_texts(const cg *c, const char *key)
{
	size_t klen = strlen(key);
	for (size_t i = 0; i < c->texts.ntxt; i++) {
		const fisc_perf_text *t = &c->texts.txt[i];
		if (!*t->dept && !*t->project && !strncmp(t->section, key, klen) &&
		    (!t->section[klen] || t->section[klen] == '/'))
			return 1;
	}
	return 0;
}

/* One numbered top-level part made of the texts of `key` ("work"): its lead
** text and its titled subsections ("work/…", import order). 0 when the data
** has none of them (a gap, and the part is left out). */
static int narrative(cg *c, int n, const char *key, int year, const char *what)
{
	size_t klen = strlen(key);
	const char *lead = text_of(c, key);
	if (!has_texts(c, key)) {
		gap(c, "数据中没有“%d年%s”的文字（人大报告章节 %s），本部分未列示。", year,
		    fisc_congress_section_name(key), key);
		return 0;
	}
	fisc_doc_heading(c->d, 1, "%s、%d年%s", fisc_rt_cn(n), year, what);
	if (lead)
		paras(c, lead);
	int h = 0;
	for (size_t i = 0; i < c->texts.ntxt; i++) {
		const fisc_perf_text *t = &c->texts.txt[i];
		if (*t->dept || *t->project || strncmp(t->section, key, klen) || t->section[klen] != '/')
			continue;
		fisc_doc_heading(c->d, 2, "（%s）%s", fisc_rt_cn(++h), t->section + klen + 1);
		paras(c, t->text);
	}
	return 1;
}

int fisc_report_congress(fisc_store *st, const fisc_report_params *p, fisc_arena *a,
			 fisc_doc **out)
{
	fisc_fset fs;
	cg c;
	/* fisc_fset_region fails before it fills fs when the region is unknown;
	** fisc_fset_free must then see an empty set, not stack garbage. */
	memset(&fs, 0, sizeof fs);
	memset(&c, 0, sizeof c);
	int rc = fisc_fset_region(st, a, p->region, p->year, p->year - 1, p->year + 1, &fs);
	if (rc != FISC_OK) {
		fisc_fset_free(&fs);
		return rc;
	}
	c.st = st;
	c.a = a;
	c.fs = &fs;
	c.year = p->year;
	if ((rc = fisc_fset_unit(&fs, p->unit)) != FISC_OK ||
	    (rc = fisc_rt_slips(st, &fs, p->year, &c.slips)) != FISC_OK ||
	    (rc = fisc_balance_each_selection(st, fs.region.code, collect_sel, &c)) != FISC_OK) {
		fisc_fset_free(&fs);
		return rc;
	}
	c.d = fisc_doc_new(a, "congress",
			   fisc_arena_printf(a, "关于%s%d年预算执行情况和%d年预算草案的报告",
					     fs.region.name, p->year, p->year + 1));
	if (!c.d) {
		fisc_fset_free(&fs);
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	fisc_doc_subtitle(c.d, "根据录入数据计算生成；金额单位除注明外为%s",
			  fisc_unit_name((fisc_unit)fs.unit));
	fisc_perf_query tq = {fs.region.id, p->year, ""};
	if ((rc = fisc_perf_load(st, &tq, a, &c.texts)) != FISC_OK) {
		fisc_fset_free(&fs);
		return rc;
	}
	/* The outline of the published reports (seed 003): execution, the
	** year's fiscal work, next year's arrangements, the draft budget, the
	** measures; the narrative parts are the imported texts, the others are
	** computed, and a part the data has nothing for is left out. */
	const char *opening = text_of(&c, "opening");
	if (opening)
		paras(&c, opening);
	int n = 1;
	int any = part(&c, n, p->year, 1);
	n += narrative(&c, n + 1, "work", p->year, "财政工作情况");
	n += narrative(&c, n + 1, "plan", p->year + 1, "财政工作安排");
	any |= part(&c, ++n, p->year + 1, 0);
	/* Most reports (003) fold the measures into the arrangements: a part of
	** its own only when the data has it, and no gap otherwise. */
	if (has_texts(&c, "measures"))
		narrative(&c, n + 1, "measures", p->year + 1, "完成预算的措施");
	const char *closing = text_of(&c, "closing");
	if (closing)
		paras(&c, closing);
	if (!any) {
		fisc_fset_free(&fs);
		return fisc_error_set(FISC_ENOTFOUND,
				      "没有数据：%s %d年执行或%d年预算 / no execution or budget facts for %s %d",
				      fs.region.name, p->year, p->year + 1, fs.region.name, p->year);
	}
	rc = fisc_glossary_append(c.d, 1, "名词解释");
	fisc_fset_free(&fs);
	if (rc == FISC_OK)
		rc = c.rc;
	if (rc == FISC_OK)
		rc = fisc_doc_status(c.d);
	if (rc == FISC_OK)
		*out = c.d;
	return rc;
}
