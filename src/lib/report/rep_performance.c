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
** The performance sections come from the department's indicators and
** narrative (fisc/perf.h): the goals, one table of indicators per project
** (target, result, weight, score, reason) with a chart of the quantitative
** ones' targets against their results, the shortfalls as 存在的问题, and
** the score — 预算执行率 10 points (when the data holds the year's budget)
** plus the indicators' 90. Each score is computed, never typed; a total is
** printed only when every indicator is weighted and assessed and the weights
** add up to 90. Every section without content is listed at the end
** (本报告内容说明), never silently printed empty.
*/
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/perf.h"
#include "report/chart.h"
#include "report/rep.h"

typedef struct perf {
	fisc_doc *d;
	fisc_arena *a;
	fisc_fset *fs;
	const char *dept;
	int year, phase;
	fisc_fsum gpb, all;       /* 一般公共预算总支出, 年度整体总支出 */
	const char *missing[24];  /* sections without content */
	fisc_perf_set ps;         /* indicators and narrative */
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
	return fisc_rt_money(g->fs, x->fen, x->wulp ? x->wulp : 10000);
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
					  fisc_rt_money(g->fs, diff, sum.wulp),
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
	fisc_cell_amount(g->d, &r[1], x->fen, g->fs->unit,
			 g->fs->unit == FISC_UNIT_WAN ? 2 : fisc_rt_dec(g->fs, x->wulp ? x->wulp : 10000));
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
		fisc_doc_gap(g->d, "数据中没有%d年“三公”经费。", g->year);
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

/* ---- performance: indicators, narrative, score ------------------------- */

/* The narrative section of (project, key) as paragraphs, one per line;
** 0 when the data has none. */
static int text_section(perf *g, const char *project, const char *key)
{
	const char *t = fisc_perf_text_of(&g->ps, project, key);
	if (!t)
		return 0;
	while (*t) {
		const char *e = strchr(t, '\n');
		size_t n = e ? (size_t)(e - t) : strlen(t);
		while (n && (t[n - 1] == '\r' || t[n - 1] == ' '))
			n--;
		if (n)
			fisc_doc_para(g->d, "%.*s", (int)n, t);
		t += e ? (size_t)(e - t) + 1 : strlen(t);
	}
	return 1;
}

static const char *points(perf *g, int32_t h) { return fisc_points_text(g->a, h); }

static void cell_points(perf *g, fisc_cell *c, int32_t h)
{
	int dec = h % 100 == 0 ? 0 : h % 10 == 0 ? 1 : 2;
	fisc_cell_number(g->d, c, dec == 0 ? h / 100 : dec == 1 ? h / 10 : h, dec);
}

static const char *project_label(perf *g, const char *project)
{
	return *project ? fisc_arena_printf(g->a, "项目“%s”", project) : "部门整体支出";
}

/* "年度绩效指标共7项：产出指标5项、效益指标2项。" for each project. */
static void goals_summary(perf *g)
{
	const char *projs[32];
	size_t np = fisc_perf_projects(&g->ps, projs, 32);
	for (size_t k = 0; k < np; k++) {
		fisc_perf_tally t;
		fisc_perf_tally_of(&g->ps, projs[k], &t);
		const char *s = "";
		for (int c = 1; c <= 4; c++)
			if (t.n_by_class[c])
				s = fisc_arena_printf(g->a, "%s%s%s%zu项", s, *s ? "、" : "",
						      fisc_ind_class_name(c), t.n_by_class[c]);
		fisc_doc_para(g->d, "%s设定绩效指标%zu项：%s。", project_label(g, projs[k]), t.n, s);
	}
}

/* "≥15%" as written; the result with its unit. */
static const char *result_text(perf *g, const fisc_indicator *x)
{
	if (x->dir == FISC_DIR_QUAL)
		return x->actual_text;
	if (!x->has_actual)
		return "";
	char buf[48];
	fisc_decimal_format(x->actual, buf, sizeof buf);
	return fisc_arena_printf(g->a, "%s%s", buf, x->unit);
}

static const char *verdict_text(const fisc_indicator *x, const fisc_ind_result *r)
{
	if (!r->assessed)
		return "未填报";
	if (x->dir == FISC_DIR_QUAL)
		return fisc_ind_grade_name(x->grade);
	return r->met ? "达成" : "未达成";
}

/* The indicator table of one project ("" = the department as a whole). */
static void indicator_table(perf *g, const char *project)
{
	fisc_table *t = fisc_doc_table(g->d, fisc_arena_printf(g->a, "%d年%s绩效指标完成情况", g->year,
								project_label(g, project)),
				       9);
	fisc_cell *h = fisc_table_head(g->d, t);
	static const char *const head[9] = {"一级指标", "二级指标", "三级指标", "年度指标值",
					    "全年实际值", "完成情况", "分值", "得分", "偏差原因"};
	for (int i = 0; i < 9; i++)
		fisc_cell_text(g->d, &h[i], "%s", head[i]);
	for (int c = 1; c <= 4; c++)
		for (size_t i = 0; i < g->ps.nind; i++) {
			const fisc_indicator *x = &g->ps.ind[i];
			if (x->cls != c || strcmp(x->project, project))
				continue;
			fisc_ind_result r;
			fisc_indicator_score(x, &r);
			fisc_cell *row = fisc_table_row(g->d, t);
			fisc_cell_text(g->d, &row[0], "%s", fisc_ind_class_name(x->cls));
			if (*x->sub)
				fisc_cell_text(g->d, &row[1], "%s", x->sub);
			fisc_cell_text(g->d, &row[2], "%s", x->name);
			fisc_cell_text(g->d, &row[3], "%s", x->target_text);
			const char *res = result_text(g, x);
			if (*res)
				fisc_cell_text(g->d, &row[4], "%s", res);
			fisc_cell_text(g->d, &row[5], "%s", verdict_text(x, &r));
			if (x->has_weight)
				cell_points(g, &row[6], x->weight);
			if (r.scored)
				cell_points(g, &row[7], r.score);
			if (*x->reason)
				fisc_cell_text(g->d, &row[8], "%s", x->reason);
			else if (r.below)
				fisc_cell_text(g->d, &row[8], "（未说明）");
		}
	fisc_table_note(g->d, t,
			"得分由系统计算：定量指标正向按“全年实际值/年度指标值×分值”、反向按“年度指标值/全年实际值×分值”，"
			"不超过分值；定性指标按达成（分值的80%%–100%%）、部分达成（60%%–80%%）、未达成（60%%以下）评定。");
}

/* An indicator the chart can show: target and result both numbers (the
** import holds both in the indicator's one unit). */
static int chartable(const fisc_indicator *x)
{
	return x->dir != FISC_DIR_QUAL && x->has_target && x->has_actual;
}

/* d as an integer at `scale` (>= d.scale); 0 when it does not fit int64. */
static int rescale(fisc_decimal d, int scale, int64_t *out)
{
	assert(scale >= d.scale && scale <= 6);
	int64_t v = d.v;
	for (int i = d.scale; i < scale; i++)
		if (__builtin_mul_overflow(v, 10, &v))
			return 0;
	*out = v;
	return 1;
}

/* A charted indicator with its target and result at its chart's scale. */
typedef struct charted {
	const fisc_indicator *x;
	int64_t target, actual;
} charted;

/* The charted indicators of (project, unit) at `scale`, in the table's order
** (by class, then as imported), into out (room for every indicator). */
static size_t charted_of(perf *g, const char *project, const char *unit, int scale, charted *out)
{
	size_t n = 0;
	for (int cls = 1; cls <= 4; cls++)
		for (size_t i = 0; i < g->ps.nind; i++) {
			const fisc_indicator *x = &g->ps.ind[i];
			charted *c = &out[n];
			if (x->cls == cls && !strcmp(x->project, project) && chartable(x) &&
			    !strcmp(x->unit, unit) && rescale(x->target, scale, &c->target) &&
			    rescale(x->actual, scale, &c->actual))
				out[n++].x = x;
		}
	return n;
}

/*
** The quantitative indicators of one project beside its table: target
** (年度指标值) against result (全年实际值), one chart per unit of measure,
** since 3 家 and 95 % share no axis. Values keep their decimals: each chart
** takes the finest scale among its indicators and every value is brought to
** it exactly. Qualitative indicators and those without a result are only in
** the table; with none left there is no chart (and no sentence).
*/
static void indicator_charts(perf *g, const char *project)
{
	size_t cap = g->ps.nind ? g->ps.nind : 1;
	const char **units = fisc_arena_alloc(g->a, cap * sizeof *units);
	int *scales = fisc_arena_alloc(g->a, cap * sizeof *scales);
	charted *ch = fisc_arena_alloc(g->a, cap * sizeof *ch);
	if (!units || !scales || !ch) {
		if (!g->d->rc) /* sticky: the report ends with it */
			g->d->rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		return;
	}
	size_t nunits = 0;
	for (size_t i = 0; i < g->ps.nind; i++) {
		const fisc_indicator *x = &g->ps.ind[i];
		if (strcmp(x->project, project) || !chartable(x))
			continue;
		size_t u = 0;
		while (u < nunits && strcmp(units[u], x->unit))
			u++;
		if (u == nunits) {
			units[nunits] = x->unit;
			scales[nunits++] = 0;
		}
		if (x->target.scale > scales[u])
			scales[u] = x->target.scale;
		if (x->actual.scale > scales[u])
			scales[u] = x->actual.scale;
	}
	/* The sentence before the charts says what they hold, each indicator's
	** result as a share of its target (完成率, half up) included, so that the
	** forms without graphics (Markdown, text) carry the same figures. */
	const char *list = "";
	size_t n = 0;
	for (size_t u = 0; u < nunits; u++) {
		size_t m = charted_of(g, project, units[u], scales[u], ch);
		for (size_t j = 0; j < m; j++, n++) {
			const fisc_indicator *x = ch[j].x;
			char tb[48], ab[48];
			fisc_decimal_format(x->target, tb, sizeof tb);
			fisc_decimal_format(x->actual, ab, sizeof ab);
			const char *rate =
				ch[j].target ? fisc_arena_printf(g->a, "＝%s",
								 fisc_rt_pct(g->a, ch[j].actual, ch[j].target, 2))
					     : "（年度指标值为0，不计算完成率）";
			list = fisc_arena_printf(g->a, "%s%s%s为%s%s÷%s%s%s%s", list, n ? "；" : "", x->name,
						 ab, x->unit, tb, x->unit, rate,
						 x->dir == FISC_DIR_LE ? "（反向指标，不超过指标值为达成）" : "");
		}
	}
	if (!n)
		return;
	fisc_doc_para(g->d, "%s绩效指标中年度指标值和全年实际值均为数值的%zu项，完成率（全年实际值÷年度指标值）：%s。",
		      project_label(g, project), n, list);
	const char *title = fisc_arena_printf(g->a, "%d年%s绩效指标完成情况", g->year,
					      project_label(g, project));
	for (size_t u = 0; u < nunits; u++) {
		const char *t = nunits > 1 ? fisc_arena_printf(g->a, "%s（%s）", title,
							      *units[u] ? units[u] : "无计量单位")
					   : title;
		size_t m = charted_of(g, project, units[u], scales[u], ch);
		fisc_chart *c = NULL;
		for (size_t j = 0; j < m; j++) {
			/* a chart holds FISC_CHART_MAXCAT indicators; more continue */
			if (j % FISC_CHART_MAXCAT == 0) {
				size_t part = j / FISC_CHART_MAXCAT;
				c = fisc_doc_chart_number(
					g->d, FISC_CHART_COLUMNS,
					part ? fisc_arena_printf(g->a, "%s（续%zu）", t, part) : t, units[u],
					scales[u]);
				fisc_chart_series(g->d, c, "年度指标值");
				fisc_chart_series(g->d, c, "全年实际值");
			}
			if (!c)
				return;
			/* two indicators of one name (in two classes or 二级指标) stay
			** two bars */
			const fisc_indicator *x = ch[j].x;
			size_t before = c->ncat;
			int k = fisc_chart_category(g->d, c, x->name);
			if (k >= 0 && (size_t)k < before)
				k = fisc_chart_category(g->d, c,
							fisc_arena_printf(g->a, "%s（%s%s%s）", x->name,
									  fisc_ind_class_name(x->cls),
									  *x->sub ? "·" : "", x->sub));
			fisc_chart_value(c, 0, k, ch[j].target);
			fisc_chart_value(c, 1, k, ch[j].actual);
		}
	}
}

/* Spending of a project ("" = all) in g's phase and in the year's budget. */
static int budget_rate(perf *g, const char *project, fisc_fsum *spent, fisc_fsum *budget,
		       const char **budget_name)
{
	const char *pj = *project ? project : NULL;
	*spent = block_sum(g, FS_ANY, 0, pj);
	int saved = g->phase;
	g->phase = FISC_PHASE_ADJUSTED;
	*budget = block_sum(g, FS_ANY, 0, pj);
	*budget_name = "调整预算数";
	if (!budget->n) {
		g->phase = FISC_PHASE_BUDGET;
		*budget = block_sum(g, FS_ANY, 0, pj);
		*budget_name = "年初预算数";
	}
	g->phase = saved;
	return spent->has_amount && budget->has_amount && budget->fen > 0;
}

/* 九: the score of one project ("" = the department as a whole). */
static void score_table(perf *g, const char *project)
{
	fisc_perf_tally T;
	fisc_perf_tally_of(&g->ps, project, &T);
	fisc_fsum spent, budget;
	const char *budget_name;
	int has_rate = budget_rate(g, project, &spent, &budget, &budget_name);
	int32_t rate_pts = has_rate ? fisc_perf_budget_points(spent.fen, budget.fen) : 0;

	fisc_table *t = fisc_doc_table(g->d, fisc_arena_printf(g->a, "%s绩效自评评分",
								project_label(g, project)),
				       4);
	fisc_cell *h = fisc_table_head(g->d, t);
	fisc_cell_text(g->d, &h[0], "评价内容");
	fisc_cell_text(g->d, &h[1], "分值");
	fisc_cell_text(g->d, &h[2], "执行率或完成情况");
	fisc_cell_text(g->d, &h[3], "得分");
	fisc_cell *r = fisc_table_row(g->d, t);
	fisc_cell_text(g->d, &r[0], "预算执行率");
	cell_points(g, &r[1], 1000);
	if (has_rate) {
		fisc_cell_percent(g->d, &r[2], spent.fen, budget.fen, 2);
		cell_points(g, &r[3], rate_pts);
		fisc_doc_para(g->d, "%s%d年支出%s，%s%s，预算执行率%s，得%s分（满分10分）。",
			      project_label(g, project), g->year, fig(g, &spent), budget_name,
			      fig(g, &budget), fisc_rt_pct(g->a, spent.fen, budget.fen, 2),
			      points(g, rate_pts));
	} else {
		fisc_cell_text(g->d, &r[2], "无预算数");
		fisc_doc_gap(g->d, "数据中没有%s%d年的预算数，无法计算预算执行率及其得分（10分）。",
			      project_label(g, project), g->year);
		missing(g, *project ? "九、项目预算执行率得分" : "九、预算执行率得分");
	}
	for (int c = 1; c <= 4; c++) {
		if (!T.n_by_class[c])
			continue;
		r = fisc_table_row(g->d, t);
		fisc_cell_text(g->d, &r[0], "%s", fisc_ind_class_name(c));
		r[0].level = 1;
		if (T.weight_by_class[c])
			cell_points(g, &r[1], T.weight_by_class[c]);
		size_t n = T.n_by_class[c], assessed = T.assessed_by_class[c], met = T.met_by_class[c];
		if (assessed < n)
			fisc_cell_text(g->d, &r[2], "%zu项，已填报%zu项，达成%zu项", n, assessed, met);
		else
			fisc_cell_text(g->d, &r[2], "%zu项，达成%zu项", n, met);
		if (!T.unweighted)
			cell_points(g, &r[3], T.score_by_class[c]);
	}
	if (!T.n) {
		r = fisc_table_row(g->d, t);
		fisc_cell_text(g->d, &r[0], "绩效指标");
		cell_points(g, &r[1], 9000);
		fisc_cell_text(g->d, &r[2], "无指标数据");
	}
	r = fisc_table_row(g->d, t);
	fisc_cell_text(g->d, &r[0], "合 计");
	r[0].strong = 1;
	int complete = T.complete && has_rate;
	if (T.n && !T.unweighted) {
		cell_points(g, &r[1], 1000 + T.weight_total);
		r[1].strong = 1;
	}
	if (complete) {
		int32_t total = rate_pts + T.score_total;
		cell_points(g, &r[3], total);
		r[3].strong = 1;
		fisc_doc_para(g->d, "%s绩效自评得分%s分，其中预算执行率%s分、绩效指标%s分，自评等级为“%s”。",
			      project_label(g, project), points(g, total), points(g, rate_pts),
			      points(g, T.score_total), fisc_perf_grade_name(total));
		return;
	}
	/* Why there is no total: every reason, so the bureau can fix the data. */
	const char *why = "";
	if (!T.n)
		why = "数据中没有绩效指标";
	if (T.unweighted)
		why = fisc_arena_printf(g->a, "%s%s%zu项指标未设分值", why, *why ? "；" : "", T.unweighted);
	if (T.n && !T.unweighted && T.weight_total != 9000)
		why = fisc_arena_printf(g->a, "%s%s指标分值合计%s分，应为90分", why, *why ? "；" : "",
					points(g, T.weight_total));
	if (T.assessed < T.n)
		why = fisc_arena_printf(g->a, "%s%s%zu项指标未填报完成值", why, *why ? "；" : "",
					T.n - T.assessed);
	if (T.unscored)
		why = fisc_arena_printf(g->a, "%s%s%zu项定性指标未评定得分", why, *why ? "；" : "",
					T.unscored);
	if (!has_rate)
		why = fisc_arena_printf(g->a, "%s%s缺少预算数", why, *why ? "；" : "");
	fisc_doc_gap(g->d, "%s的自评总分无法得出：%s。", project_label(g, project), why);
	missing(g, *project ? "九、项目自评总分" : "九、自评总分");
}

static void performance_sections(perf *g)
{
	fisc_doc *d = g->d;
	const char *projs[32];
	size_t np = fisc_perf_projects(&g->ps, projs, 32);

	fisc_doc_heading(d, 1, "六、部门整体支出绩效情况");
	int has_results = text_section(g, "", "results");
	for (size_t k = 0; k < np; k++) {
		fisc_perf_tally t;
		fisc_perf_tally_of(&g->ps, projs[k], &t);
		if (np > 1 || *projs[k])
			fisc_doc_heading(d, 2, "（%s）%s", fisc_rt_cn((int)k + 1), project_label(g, projs[k]));
		if (*projs[k])
			text_section(g, projs[k], "results");
		const char *s = fisc_arena_printf(g->a, "%s绩效指标%zu项，已填报完成值%zu项，其中达成%zu项、未达成%zu项",
						  project_label(g, projs[k]), t.n, t.assessed, t.met,
						  t.below);
		if (t.assessed < t.n) {
			const char *names = "";
			for (size_t i = 0; i < g->ps.nind; i++) {
				const fisc_indicator *x = &g->ps.ind[i];
				fisc_ind_result r;
				fisc_indicator_score(x, &r);
				if (!strcmp(x->project, projs[k]) && !r.assessed)
					names = fisc_arena_printf(g->a, "%s%s%s", names, *names ? "、" : "",
								  x->name);
			}
			s = fisc_arena_printf(g->a, "%s；未填报完成值的%zu项：%s", s, t.n - t.assessed, names);
		}
		fisc_doc_para(d, "%s。", s);
		indicator_table(g, projs[k]);
		indicator_charts(g, projs[k]);
	}
	if (!np && !has_results) {
		fisc_doc_para(d, "本部分未填报内容。");
		fisc_doc_gap(d, "数据中没有绩效指标（产出、效益、满意度）的目标值和完成值，“六、部门整体支出绩效情况”无内容。");
		missing(g, "六、部门整体支出绩效情况");
	} else if (!np) {
		fisc_doc_gap(d, "数据中没有绩效指标，“六、部门整体支出绩效情况”只有文字说明。");
	}

	/* 七: the narrative, then every indicator that fell short. */
	fisc_doc_heading(d, 1, "七、存在的问题及原因分析");
	int has_problems = text_section(g, "", "problems");
	size_t below = 0, pending = 0;
	for (size_t i = 0; i < g->ps.nind; i++) {
		const fisc_indicator *x = &g->ps.ind[i];
		fisc_ind_result r;
		fisc_indicator_score(x, &r);
		pending += !r.assessed;
		if (!r.below)
			continue;
		below++;
		const char *res = result_text(g, x);
		fisc_doc_para(d, "%s%s“%s”年度指标值%s，全年实际值%s，%s。原因：%s", *x->project ? "项目" : "",
			      *x->project ? fisc_arena_printf(g->a, "“%s”", x->project) : "", x->name,
			      x->target_text, *res ? res : "（未填报）", verdict_text(x, &r),
			      *x->reason ? x->reason : "（未说明偏差原因）");
	}
	if (!has_problems && !below) {
		if (g->ps.nind && !pending) {
			fisc_doc_para(d, "各项绩效指标均已达成，未发现偏离绩效目标的情况。");
		} else {
			fisc_doc_para(d, "本部分未填报内容。");
			fisc_doc_gap(d, "%s，数据中也没有问题说明，“七、存在的问题及原因分析”无内容。",
				      g->ps.nind ? "没有未达成的已填报指标，但有指标未填报完成值"
						 : "本节需要将绩效指标完成值与目标值比较，数据中没有绩效指标");
			missing(g, "七、存在的问题及原因分析");
		}
	}

	fisc_doc_heading(d, 1, "八、下一步改进措施");
	if (!text_section(g, "", "measures")) {
		fisc_doc_para(d, "本部分未填报内容。");
		fisc_doc_gap(d, "数据中没有改进措施，“八、下一步改进措施”无内容。");
		missing(g, "八、下一步改进措施");
	}

	fisc_doc_heading(d, 1, "九、绩效自评结果及其他需要说明的情况");
	if (!np)
		score_table(g, "");
	for (size_t k = 0; k < np; k++)
		score_table(g, projs[k]);
	if (text_section(g, "", "other") == 0)
		fisc_doc_para(d, "无其他需要说明的情况。");
}

int fisc_report_performance(fisc_store *st, const fisc_report_params *p, fisc_arena *a,
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
	fisc_perf_query pq = {0, g.year, g.dept};
	rc = fisc_perf_load(st, &pq, a, &g.ps);
	if (rc != FISC_OK) {
		fisc_fset_free(&fs);
		return rc;
	}

	/* 一、基本情况 */
	fisc_doc_heading(d, 1, "一、基本情况");
	fisc_doc_heading(d, 2, "（一）部门（单位）基本情况");
	if (!text_section(&g, "", "overview")) {
		fisc_doc_para(d, "本部分未填报内容。");
		fisc_doc_gap(d, "数据中没有部门职责、内设机构和人员编制等基本情况，“一、（一）部门（单位）基本情况”无内容。");
		missing(&g, "一、（一）部门（单位）基本情况");
	}
	fisc_doc_heading(d, 2, "（二）年度整体支出绩效目标");
	int has_goals = text_section(&g, "", "goals");
	if (g.ps.nind)
		goals_summary(&g);
	else if (!has_goals) {
		fisc_doc_para(d, "本部分未填报内容。");
		fisc_doc_gap(d, "数据中没有年度整体支出及项目的绩效目标，“一、（二）年度整体支出绩效目标”无内容。");
		missing(&g, "一、（二）年度整体支出绩效目标");
	}

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
	fisc_table_unit(d, t, fs.unit);
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

	/* 六 … 九: from the indicators and the narrative. */
	performance_sections(&g);

	if (g.nmissing) {
		const char *list = "";
		for (size_t i = 0; i < g.nmissing; i++)
			list = fisc_arena_printf(a, "%s%s%s", list, i ? "；" : "", g.missing[i]);
		fisc_doc_gap(d, "以下部分因数据中没有相应内容而为空：%s。", list);
	}

	rc = fisc_glossary_append(d, 1, "名词解释");
	fisc_fset_free(&fs);
	if (rc == FISC_OK)
		rc = fisc_doc_status(d);
	if (rc == FISC_OK)
		*out = d;
	return rc;
}
