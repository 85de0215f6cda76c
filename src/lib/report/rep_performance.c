/*
** rep_performance.c — 部门整体支出绩效自评报告: a department's self-evaluation
** of a year's spending, in the outline of seed 004.
**
** The money sections are computed from the department's base facts of the
** year's final (决算) figures, else its execution figures: 基本支出 and 项目支出
** with their shares of 一般公共预算总支出 and of 年度整体总支出 (all books), each
** project (专项资金) likewise, the 政府性基金 spending and its projects, the
** function-class and economic-class breakdowns, and 三公经费. The economic cut,
** where the data has it only as stated figures, is printed as the source's
** and checked against the computed total.
**
** fisc has no model of performance goals and indicators yet, so the sections
** that need them (goals, 绩效情况, problems, measures, the 90 indicator points)
** say that the data is absent; 预算执行率 (10 points) is scored when the data
** holds the year's budget. Every section without content is listed at the end
** (本报告内容说明), never silently printed empty.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "report/rep.h"

typedef struct perf {
	fisc_doc *d;
	fisc_arena *a;
	fisc_fset *fs;
	const char *dept;
	int year, phase;
	fisc_fsum gpb, all;       /* 一般公共预算总支出, 年度整体总支出 */
	const char *missing[16];  /* sections without content */
	size_t nmissing;
} perf;

/* Spending of a block: a book (FS_ANY: all), a kind (DX_BASIC, DX_PROJECT,
** 0: any) and a project (NULL: any). */
static int in_block(perf *g, const fisc_fact *f, int book, int kind, const char *project)
{
	if (f->year != g->year || f->phase != g->phase || strcmp(f->dept, g->dept))
		return 0;
	if (book != FS_ANY && f->book != book)
		return 0;
	int k = fisc_dept_exp_kind(g->fs, f);
	if (k == DX_NONE || (kind && k != kind))
		return 0;
	return !project || !strcmp(f->project, project);
}

static fisc_fsum block_sum(perf *g, int book, int kind, const char *project)
{
	fisc_fsum r;
	memset(&r, 0, sizeof r);
	for (size_t i = 0; i < g->fs->n; i++)
		if (in_block(g, &g->fs->v[i], book, kind, project)) {
			fisc_fsum x = fisc_fsum_of_fact(&g->fs->v[i]);
			fisc_fsum_add(&r, &x);
		}
	return r;
}

static const char *fig(perf *g, const fisc_fsum *x)
{
	return fisc_rt_amount(g->a, x->fen, FISC_UNIT_WAN, x->wulp ? x->wulp : 10000);
}

static const char *pct(perf *g, const fisc_fsum *x, const fisc_fsum *of)
{
	return of->has_amount && of->fen ? fisc_rt_pct(g->a, x->fen, of->fen, 2) : "—";
}

static void missing(perf *g, const char *what)
{
	if (g->nmissing < sizeof g->missing / sizeof *g->missing)
		g->missing[g->nmissing++] = what;
}

/* "按功能科目分类：科学技术支出15.85万元、…" from base facts. */
static const char *function_cut(perf *g, int book, int kind, const char *project, int *nclasses)
{
	char cls[32][4];
	size_t n = 0;
	for (size_t i = 0; i < g->fs->n; i++) {
		const fisc_fact *f = &g->fs->v[i];
		if (!in_block(g, f, book, kind, project) || !fisc_fset_function(g->fs, f->item))
			continue;
		size_t j = 0;
		while (j < n && strncmp(cls[j], f->item, 3))
			j++;
		if (j == n && n < 32) {
			memcpy(cls[n], f->item, 3);
			cls[n++][3] = 0;
		}
	}
	*nclasses = (int)n;
	qsort(cls, n, sizeof *cls, (int (*)(const void *, const void *))strcmp);
	const char *s = "";
	for (size_t j = 0; j < n; j++) {
		fisc_fsum x;
		memset(&x, 0, sizeof x);
		for (size_t i = 0; i < g->fs->n; i++) {
			const fisc_fact *f = &g->fs->v[i];
			if (in_block(g, f, book, kind, project) && !strncmp(f->item, cls[j], 3)) {
				fisc_fsum y = fisc_fsum_of_fact(f);
				fisc_fsum_add(&x, &y);
			}
		}
		const char *name = fisc_catalog_item_name(g->fs->cat, cls[j]);
		s = fisc_arena_printf(g->a, "%s%s%s%s", s, j ? "、" : "", name ? name : cls[j], fig(g, &x));
	}
	return s;
}

/*
** The economic cut of a block: base facts with an economic class when the
** data has them, else the figures a source states (item basic_exp /
** project_exp with an economic class). Checked against the block's total.
*/
static void econ_cut(perf *g, int book, int kind, const char *project, const fisc_fsum *total,
		     const char **text, const char **note)
{
	const char *s = "";
	fisc_fsum sum;
	memset(&sum, 0, sizeof sum);
	int n = 0, stated = 0;
	for (int pass = 0; pass < 2 && !n; pass++) {
		for (size_t i = 0; i < g->fs->n; i++) {
			const fisc_fact *f = &g->fs->v[i];
			if (strlen(f->econ) < 3 || !f->has_amount)
				continue;
			if (pass == 0) {
				if (!in_block(g, f, book, kind, project))
					continue;
			} else {
				/* stated: the block's own line with an economic class */
				const char *line = kind == DX_BASIC ? "basic_exp" : "project_exp";
				if (f->kind != FISC_FACT_STATED || f->year != g->year ||
				    f->phase != g->phase || strcmp(f->dept, g->dept) ||
				    (book != FS_ANY && f->book != book) || strcmp(f->item, line) ||
				    strcmp(f->project, project ? project : ""))
					continue;
			}
			fisc_fsum x = fisc_fsum_of_fact(f);
			fisc_fsum_add(&sum, &x);
			const char *name = fisc_catalog_item_name(g->fs->cat, f->econ);
			s = fisc_arena_printf(g->a, "%s%s%s%s", s, n++ ? "、" : "", name ? name : f->econ,
					      fig(g, &x));
			stated = pass == 1;
		}
	}
	if (!n)
		return;
	*text = fisc_arena_printf(g->a, "%s按经济科目分类：%s%s。", *text, s,
				  stated ? "（资料表述数）" : "");
	if (total->has_amount && sum.fen != total->fen) {
		fisc_fen diff = sum.fen > total->fen ? sum.fen - total->fen : total->fen - sum.fen;
		int within = fisc_rt_consistent(sum.fen, sum.ulp, total->fen, total->ulp);
		*note = fisc_arena_printf(g->a, "按经济科目分类的各项之和为%s，与按功能科目计算的合计%s相差%s（%s）。",
					  fig(g, &sum), fig(g, total),
					  fisc_rt_amount(g->a, diff, FISC_UNIT_WAN, sum.wulp),
					  within ? "在四舍五入误差范围内" : "超出四舍五入误差");
	}
}

/* Projects (专项资金) of a book, in the order the data first names them. */
static size_t projects(perf *g, int book, const char **names, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < g->fs->n; i++) {
		const fisc_fact *f = &g->fs->v[i];
		if (!in_block(g, f, book, 0, NULL) || !*f->project)
			continue;
		size_t j = 0;
		while (j < n && strcmp(names[j], f->project))
			j++;
		if (j == n && n < cap)
			names[n++] = f->project;
	}
	return n;
}

/* One block's paragraph: amount, shares, economic and function cuts. */
static void block_text(perf *g, const char *lead, int book, int kind, const char *project,
		       const fisc_fsum *x, const fisc_fsum *of, const char *of_name)
{
	const char *s = fisc_arena_printf(g->a, "%s%s，占%s的%s，占年度整体总支出的%s。", lead,
					  fig(g, x), of_name, pct(g, x, of), pct(g, x, &g->all));
	const char *note = NULL;
	econ_cut(g, book, kind, project, x, &s, &note);
	int nc = 0;
	const char *fc = function_cut(g, book, kind, project, &nc);
	if (nc)
		s = fisc_arena_printf(g->a, "%s按功能科目分类%s%s。", s, nc > 1 ? "：" : "为", fc);
	fisc_doc_para(g->d, "%s", s);
	if (note)
		fisc_doc_note(g->d, "%s", note);
}

static void share_row(perf *g, fisc_table *t, const char *label, int level, const fisc_fsum *x,
		      const fisc_fsum *of)
{
	fisc_cell *r = fisc_table_row(g->d, t);
	fisc_cell_text(g->d, &r[0], "%s", label);
	r[0].level = level;
	r[0].strong = level == 0;
	fisc_cell_amount(g->d, &r[1], x->fen, FISC_UNIT_WAN, 2);
	if (of && of->fen)
		fisc_cell_percent(g->d, &r[2], x->fen, of->fen, 2);
	if (g->all.fen)
		fisc_cell_percent(g->d, &r[3], x->fen, g->all.fen, 2);
}

static void sangong_text(perf *g)
{
	static const int phases[2] = {FISC_PHASE_BUDGET, 0};
	fisc_fsum v[2][3];
	static const char *const lines[3] = {"sangong", "sangong_reception", "sangong_vehicle"};
	int any = 0;
	for (int p = 0; p < 2; p++)
		for (int i = 0; i < 3; i++) {
			fisc_fsel s = fisc_fsel_any();
			s.year = g->year;
			s.phase = phases[p] ? phases[p] : g->phase;
			s.dept = g->dept;
			s.under = lines[i];
			s.kind = FISC_FACT_BASE;
			v[p][i] = fisc_fset_sum(g->fs, &s);
			if (!v[p][i].n) {
				s.under = NULL;
				s.item = lines[i];
				s.kind = FS_ANY;
				v[p][i] = fisc_fset_figure(g->fs, s);
			}
			any |= v[p][i].n > 0;
		}
	if (!any) {
		fisc_doc_para(g->d, "数据中没有%d年“三公”经费。", g->year);
		return;
	}
	const char *s = fisc_arena_printf(g->a, "%d年", g->year);
	if (v[0][0].n) {
		s = fisc_arena_printf(g->a, "%s“三公”经费预算数为%s", s, fig(g, &v[0][0]));
		if (v[0][1].has_amount || v[0][2].has_amount)
			s = fisc_arena_printf(g->a, "%s，其中公务接待费预算数%s，公务用车购置及运行费%s", s,
					      v[0][1].has_amount ? fig(g, &v[0][1]) : "（无数据）",
					      v[0][2].has_amount ? fig(g, &v[0][2]) : "（无数据）");
	}
	if (v[1][0].n)
		s = fisc_arena_printf(g->a, "%s%s“三公”经费%s数为%s", s, v[0][0].n ? "；" : "",
				      fisc_phase_name(g->phase), fig(g, &v[1][0]));
	fisc_doc_para(g->d, "%s。", s);
}

int fisc_report_performance(fisc_store *st, const fisc_report_params *p, fisc_arena *a,
			    fisc_doc **out)
{
	fisc_fset fs;
	int rc = fisc_fset_dept(st, a, p->department, p->year, p->year - 1, p->year, &fs);
	if (rc != FISC_OK) {
		fisc_fset_free(&fs);
		return rc;
	}
	perf g;
	memset(&g, 0, sizeof g);
	g.a = a;
	g.fs = &fs;
	g.dept = p->department;
	g.year = p->year;
	/* A self-evaluation looks back at a closed year: 决算, else 执行. */
	g.phase = p->phase;
	if (!g.phase) {
		g.phase = FISC_PHASE_FINAL;
		g.all = block_sum(&g, FS_ANY, 0, NULL);
		if (!g.all.n)
			g.phase = FISC_PHASE_EXECUTION;
	}
	g.all = block_sum(&g, FS_ANY, 0, NULL);
	if (!g.all.n) {
		fisc_fset_free(&fs);
		return fisc_error_set(FISC_ENOTFOUND,
				      "没有数据：部门「%s」%d年%s支出 / no spending facts for '%s' %d",
				      p->department, p->year, fisc_phase_name(g.phase), p->department,
				      p->year);
	}
	g.gpb = block_sum(&g, FISC_BOOK_GPB, 0, NULL);
	fisc_doc *d = g.d = fisc_doc_new(a, "performance",
					 fisc_arena_printf(a, "%s%d年度整体支出绩效自评报告", p->department,
							   p->year));
	if (!d) {
		fisc_fset_free(&fs);
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	fisc_doc_subtitle(d, "%s · 根据录入数据（%s数）计算生成", fs.region.name, fisc_phase_name(g.phase));

	/* 一、基本情况 */
	fisc_doc_heading(d, 1, "一、基本情况");
	fisc_doc_heading(d, 2, "（一）部门（单位）基本情况");
	fisc_doc_note(d, "数据中没有部门职责、内设机构和人员编制等基本情况，本节无内容。");
	missing(&g, "一、（一）部门（单位）基本情况");
	fisc_doc_heading(d, 2, "（二）年度整体支出绩效目标");
	fisc_doc_note(d, "数据中没有年度整体支出及项目的绩效目标，本节无内容。");
	missing(&g, "一、（二）年度整体支出绩效目标");

	/* 二、一般公共预算支出情况 */
	fisc_doc_heading(d, 1, "二、一般公共预算支出情况");
	const char *projs[16];
	size_t np;
	if (!g.gpb.n) {
		fisc_doc_para(d, "%d年没有一般公共预算支出。", g.year);
	} else {
		fisc_doc_para(d, "%d年一般公共预算支出%s，占年度整体总支出%s的%s。", g.year, fig(&g, &g.gpb),
			      fig(&g, &g.all), pct(&g, &g.gpb, &g.all));
		fisc_fsum basic = block_sum(&g, FISC_BOOK_GPB, DX_BASIC, NULL);
		fisc_fsum proj = block_sum(&g, FISC_BOOK_GPB, DX_PROJECT, NULL);
		fisc_doc_heading(d, 2, "（一）基本支出情况");
		if (basic.n)
			block_text(&g, fisc_arena_printf(a, "%d年一般公共预算支出中基本支出", g.year),
				   FISC_BOOK_GPB, DX_BASIC, NULL, &basic, &g.gpb, "一般公共预算总支出");
		else
			fisc_doc_para(d, "%d年没有一般公共预算基本支出。", g.year);
		sangong_text(&g);
		fisc_doc_heading(d, 2, "（二）项目支出情况");
		if (proj.n)
			block_text(&g, fisc_arena_printf(a, "%d年项目支出", g.year), FISC_BOOK_GPB,
				   DX_PROJECT, NULL, &proj, &g.gpb, "一般公共预算总支出");
		else
			fisc_doc_para(d, "%d年没有一般公共预算项目支出。", g.year);
		np = projects(&g, FISC_BOOK_GPB, projs, 16);
		for (size_t i = 0; i < np; i++) {
			fisc_fsum x = block_sum(&g, FISC_BOOK_GPB, 0, projs[i]);
			block_text(&g, fisc_arena_printf(a, "专项资金%s为%s。一般公共预算支出", fisc_rt_cn((int)i + 1),
							 projs[i]),
				   FISC_BOOK_GPB, DX_PROJECT, projs[i], &x, &g.gpb, "一般公共预算总支出");
		}
		fisc_fsum unk = block_sum(&g, FISC_BOOK_GPB, DX_UNKNOWN, NULL);
		if (unk.n)
			fisc_doc_note(d, "另有一般公共预算支出%s未区分基本支出和项目支出。", fig(&g, &unk));
	}

	/* 三、政府性基金预算支出情况; 四、国有资本经营; 五、社会保险基金 */
	static const int others[3] = {FISC_BOOK_GFB, FISC_BOOK_SOE, FISC_BOOK_SSF};
	for (int k = 0; k < 3; k++) {
		int book = others[k];
		fisc_doc_heading(d, 1, "%s、%s支出情况", fisc_rt_cn(3 + k), fisc_book_name(book));
		fisc_fsum x = block_sum(&g, book, 0, NULL);
		if (!x.n) {
			fisc_doc_para(d, "%d年无%s支出。", g.year, fisc_book_name(book));
			continue;
		}
		fisc_fsum proj = block_sum(&g, book, DX_PROJECT, NULL);
		const char *lead = fisc_arena_printf(a, "%d年%s支出", g.year, fisc_book_name(book));
		const char *s = fisc_arena_printf(a, "%s%s%s，占年度整体总支出的%s。", lead, fig(&g, &x),
						  proj.n && proj.fen == x.fen ? "，均为项目支出" : "",
						  pct(&g, &x, &g.all));
		const char *note = NULL;
		econ_cut(&g, book, DX_PROJECT, NULL, &x, &s, &note);
		int nc = 0;
		const char *fc = function_cut(&g, book, 0, NULL, &nc);
		if (nc)
			s = fisc_arena_printf(a, "%s按功能科目分类%s%s。", s, nc > 1 ? "：" : "为", fc);
		fisc_doc_para(d, "%s", s);
		if (note)
			fisc_doc_note(d, "%s", note);
		np = projects(&g, book, projs, 16);
		for (size_t i = 0; i < np; i++) {
			fisc_fsum y = block_sum(&g, book, 0, projs[i]);
			block_text(&g, fisc_arena_printf(a, "专项资金%s为%s。%s支出", fisc_rt_cn((int)i + 1),
							 projs[i], fisc_book_name(book)),
				   book, DX_PROJECT, projs[i], &y, &x,
				   fisc_arena_printf(a, "%s总支出", fisc_book_name(book)));
		}
	}

	/* The shares in one table. */
	fisc_table *t = fisc_doc_table(d, fisc_arena_printf(a, "%d年支出结构", g.year), 4);
	fisc_table_unit(d, t, FISC_UNIT_WAN);
	fisc_cell *h = fisc_table_head(d, t);
	fisc_cell_text(d, &h[0], "项 目");
	fisc_cell_text(d, &h[1], "%s数", fisc_phase_name(g.phase));
	fisc_cell_text(d, &h[2], "占本预算总支出%%");
	fisc_cell_text(d, &h[3], "占年度整体总支出%%");
	share_row(&g, t, "年度整体总支出", 0, &g.all, NULL);
	for (int book = FISC_BOOK_GPB; book <= FISC_BOOK_SSF; book++) {
		fisc_fsum x = block_sum(&g, book, 0, NULL);
		if (!x.n)
			continue;
		share_row(&g, t, fisc_book_name(book), 0, &x, &x);
		fisc_fsum b = block_sum(&g, book, DX_BASIC, NULL);
		if (b.n)
			share_row(&g, t, "基本支出", 1, &b, &x);
		fisc_fsum pj = block_sum(&g, book, DX_PROJECT, NULL);
		if (pj.n)
			share_row(&g, t, "项目支出", 1, &pj, &x);
		np = projects(&g, book, projs, 16);
		for (size_t i = 0; i < np; i++) {
			fisc_fsum y = block_sum(&g, book, 0, projs[i]);
			share_row(&g, t, projs[i], 2, &y, &x);
		}
	}
	fisc_table_note(d, t, "各项金额和比例均由录入数据计算；年度整体总支出为各本预算支出之和。");

	/* 六 … 九: what needs performance indicators. */
	fisc_doc_heading(d, 1, "六、部门整体支出绩效情况");
	fisc_doc_note(d, "数据中没有绩效指标（产出、效益、满意度）的目标值和完成值，本节无内容。");
	missing(&g, "六、部门整体支出绩效情况");
	fisc_doc_heading(d, 1, "七、存在的问题及原因分析");
	fisc_doc_note(d, "本节需要将绩效指标完成值与目标值比较，数据中没有绩效指标，本节无内容。");
	missing(&g, "七、存在的问题及原因分析");
	fisc_doc_heading(d, 1, "八、下一步改进措施");
	fisc_doc_note(d, "数据中没有改进措施，本节无内容。");
	missing(&g, "八、下一步改进措施");

	fisc_doc_heading(d, 1, "九、绩效自评结果");
	/* 预算执行率 (10 points): this year's spending against its budget. */
	fisc_fsum budget;
	memset(&budget, 0, sizeof budget);
	const char *budget_name = "调整预算数";
	int saved = g.phase;
	g.phase = FISC_PHASE_ADJUSTED;
	budget = block_sum(&g, FS_ANY, 0, NULL);
	if (!budget.n) {
		g.phase = FISC_PHASE_BUDGET;
		budget = block_sum(&g, FS_ANY, 0, NULL);
		budget_name = "年初预算数";
	}
	g.phase = saved;
	t = fisc_doc_table(d, "绩效自评评分", 4);
	h = fisc_table_head(d, t);
	fisc_cell_text(d, &h[0], "评价内容");
	fisc_cell_text(d, &h[1], "分值");
	fisc_cell_text(d, &h[2], "执行率或完成情况");
	fisc_cell_text(d, &h[3], "得分");
	fisc_cell *r = fisc_table_row(d, t);
	fisc_cell_text(d, &r[0], "预算执行率");
	fisc_cell_text(d, &r[1], "10");
	if (budget.has_amount && budget.fen > 0) {
		/* score = 10 × rate, at most 10, two decimals, in integers */
		fisc_fen spent = g.all.fen > budget.fen ? budget.fen : g.all.fen;
		fisc_cell_percent(d, &r[2], g.all.fen, budget.fen, 2);
		char buf[32];
		if (budget.fen <= INT64_MAX / 10 &&
		    fisc_percent_format(spent, budget.fen * 10, 2, buf, sizeof buf) >= 0)
			fisc_cell_text(d, &r[3], "%s", buf);
		fisc_doc_para(d, "%d年支出%s，%s%s，预算执行率%s。", g.year, fig(&g, &g.all), budget_name,
			      fig(&g, &budget), fisc_rt_pct(a, g.all.fen, budget.fen, 2));
	} else {
		fisc_cell_text(d, &r[2], "无预算数");
		fisc_doc_note(d, "数据中没有本部门%d年支出的预算数，无法计算预算执行率及其得分（10分）。",
			      g.year);
		missing(&g, "九、预算执行率得分");
	}
	r = fisc_table_row(d, t);
	fisc_cell_text(d, &r[0], "绩效指标（产出、效益、满意度）");
	fisc_cell_text(d, &r[1], "90");
	fisc_cell_text(d, &r[2], "无指标数据");
	fisc_doc_note(d, "数据中没有绩效指标，指标部分（90分）无法评分，自评总分无法得出。");
	missing(&g, "九、绩效指标得分");

	fisc_doc_heading(d, 1, "本报告内容说明");
	const char *list = "";
	for (size_t i = 0; i < g.nmissing; i++)
		list = fisc_arena_printf(a, "%s%s%s", list, i ? "；" : "", g.missing[i]);
	fisc_doc_para(d, "以下部分因数据中没有相应内容而为空：%s。", list);

	rc = fisc_glossary_append(d, 1, "名词解释");
	fisc_fset_free(&fs);
	if (rc == FISC_OK)
		rc = fisc_doc_status(d);
	if (rc == FISC_OK)
		*out = d;
	return rc;
}
