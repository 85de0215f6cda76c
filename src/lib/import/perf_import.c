/*
** perf_import.c — rows of the two performance tables (docs/formats.md §1.3):
** indicators (绩效指标: 一级/二级/三级指标, 指标值, 全年实际值, 分值 …) and
** the self-evaluation's narrative sections (绩效文字).
**
** They arrive in the same `fisc import` as facts and regions, in the same
** transaction: a bad row anywhere rolls all of it back. The target cell is
** read the way finance staff write it in the 自评表 — "≥95%", "≤30天",
** "3家", "明显提升" — so that a comparator and a unit written in the cell
** need no columns of their own; when a column says otherwise, that is an error,
** not a guess.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/fold.h"
#include "model/util.h"
#include "fisc/error.h"
#include "fisc/perf.h"
#include "import/importer.h"

const colname imp_indicator_cols[I_NCOLS] = {
	[I_REGION] = {"region", {"地区", "区划", "行政区划"}, 1},
	[I_YEAR] = {"year", {"年度", "年份"}, 1},
	[I_DEPT] = {"department", {"部门", "单位名称", "预算单位", "dept"}, 1},
	[I_PROJECT] = {"project", {"项目", "项目名称"}, 0},
	[I_CLASS] = {"class", {"一级指标", "指标类别"}, 1},
	[I_SUB] = {"subclass", {"二级指标"}, 0},
	[I_NAME] = {"indicator", {"三级指标", "指标名称", "绩效指标"}, 1},
	[I_DIR] = {"direction", {"指标方向", "方向"}, 0},
	[I_TARGET] = {"target", {"年度指标值", "指标值", "目标值", "预期指标值"}, 1},
	[I_ACTUAL] = {"actual", {"全年实际值", "实际完成值", "完成值", "实际值"}, 0},
	[I_UNIT] = {"unit", {"计量单位", "度量单位", "单位"}, 0},
	[I_WEIGHT] = {"weight", {"分值", "权重"}, 0},
	[I_SCORE] = {"score", {"得分", "自评得分"}, 0},
	[I_REASON] = {"reason", {"偏差原因", "偏差原因分析及改进措施", "原因"}, 0},
	[I_SOURCE] = {"source", {"来源", "出处"}, 0},
	[I_NOTE] = {"note", {"备注", "说明"}, 0},
};
const int imp_indicator_ncols = I_NCOLS;

const colname imp_perf_text_cols[T_NCOLS] = {
	[T_REGION] = {"region", {"地区", "区划", "行政区划"}, 1},
	[T_YEAR] = {"year", {"年度", "年份"}, 1},
	/* optional: a region's texts (no department) are the congress report's */
	[T_DEPT] = {"department", {"部门", "单位名称", "预算单位", "dept"}, 0},
	[T_PROJECT] = {"project", {"项目", "项目名称"}, 0},
	[T_SECTION] = {"section", {"章节", "部分"}, 1},
	[T_TEXT] = {"text", {"内容", "正文"}, 1},
	[T_SOURCE] = {"source", {"来源", "出处"}, 0},
};
const int imp_perf_text_ncols = T_NCOLS;

/* A value cell split into comparator, number and unit: "≥ 95 %" → (GE,
** 95, "%"). Full-width forms are folded first, so full-width digits and
** ＞＝ read as ASCII; superscript and circled digits stay what they are
** (model/fold.h). */
typedef struct cellval {
	int dir;          /* from a comparator, 0 when none */
	int numeric;
	fisc_decimal d;
	const char *unit; /* what follows the number, trimmed; "" when none */
	const char *text; /* the whole cell as written (shown in reports) */
} cellval;

static const char *norm(ctx *c, const char *s)
{
	char *n = fisc_fold_width(s, strlen(s));
	if (!n)
		return s; /* not valid UTF-8: the reader has reported it */
	const char *r = fisc_arena_strdup(c->arena, n);
	free(n);
	return r;
}

static const char *skip_blank(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static void split_value(ctx *c, const char *cell, cellval *v)
{
	memset(v, 0, sizeof *v);
	v->text = cell;
	const char *s = norm(c, cell);
	static const struct {
		const char *op;
		int dir;
	} ops[] = {{"≥", FISC_DIR_GE}, {">=", FISC_DIR_GE}, {">", FISC_DIR_GE},
		   {"≤", FISC_DIR_LE}, {"<=", FISC_DIR_LE}, {"<", FISC_DIR_LE},
		   {"=", FISC_DIR_EQ}};
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
		size_t n = strlen(ops[i].op);
		if (!strncmp(s, ops[i].op, n)) {
			v->dir = ops[i].dir;
			s = skip_blank(s + n);
			break;
		}
	}
	size_t n = strspn(s, "+-0123456789.,");
	if (n && fisc_decimal_parse(s, n, &v->d) == 0) {
		v->numeric = 1;
		const char *u = skip_blank(s + n);
		size_t ul = strlen(u);
		while (ul && (u[ul - 1] == ' ' || u[ul - 1] == '\t'))
			ul--;
		v->unit = fisc_arena_strndup(c->arena, u, ul);
	} else {
		v->unit = "";
	}
}

/* What to say when a row's key was seen before in this import (with the
** first row's place) or is already in the store. */
typedef struct dupmsg {
	const char *field;
	const char *zh_seen, *en_seen; /* one %s: "file:line" of the first row */
	const char *zh_store, *en_store;
} dupmsg;

static int put_indicator(fisc_store *st, const void *x) { return fisc_store_indicator_put(st, x); }
static int put_text(fisc_store *st, const void *t) { return fisc_store_perf_text_put(st, t); }

/* Write the row's object unless its key is a duplicate; 1 when written. */
static int put_once(ctx *c, const fisc_row *row, int col, char *key, const dupmsg *m,
		    int (*put)(fisc_store *, const void *), const void *obj)
{
	const char *first = fisc_strmap_get(&c->seen, key);
	if (first) {
		imp_reportf(c, row, col, m->field, FISC_DIAG_DUPLICATE_ROW, m->zh_seen, m->en_seen,
			    first);
		return 0;
	}
	int rc = put(c->st, obj);
	if (rc == FISC_EEXIST) {
		imp_report(c, row, col, m->field, FISC_DIAG_DUPLICATE_ROW, m->zh_store, m->en_store);
		return 0;
	}
	if (rc != FISC_OK) {
		c->fatal = rc;
		return 0;
	}
	fisc_strmap_put(&c->seen, key, (void *)imp_where(c, row, col));
	return 1;
}

/* Both tables begin with whose row it is: region, year, department, project. */
static void read_owner(ctx *c, const fisc_row *row, int64_t *region, int32_t *year,
		       const char **dept, const char **project)
{
	*region = imp_region_field(c, row, I_REGION);
	*year = imp_year_field(c, row, I_YEAR);
	*dept = imp_get_trim(c, row, I_DEPT);
	if (!**dept)
		imp_report(c, row, c->col[I_DEPT], "department", FISC_DIAG_MISSING_FIELD, "部门为空",
			   "department is empty");
	*project = imp_get_trim(c, row, I_PROJECT);
}

void imp_indicator_row(ctx *c, const fisc_row *row)
{
	int errors_before = c->errors;
	fisc_indicator x;
	memset(&x, 0, sizeof x);
	read_owner(c, row, &x.region, &x.year, &x.dept, &x.project);
	x.sub = imp_get_trim(c, row, I_SUB);
	x.name = imp_get_trim(c, row, I_NAME);
	if (!*x.name)
		imp_report(c, row, c->col[I_NAME], "indicator", FISC_DIAG_MISSING_FIELD,
			   "三级指标（指标名称）为空", "indicator name is empty");
	const char *cls = imp_get_trim(c, row, I_CLASS);
	if (!*cls)
		imp_report(c, row, c->col[I_CLASS], "class", FISC_DIAG_MISSING_FIELD,
			   "一级指标为空", "indicator class is empty");
	else if ((x.cls = fisc_ind_class_parse(cls)) < 0)
		imp_reportf(c, row, c->col[I_CLASS], "class", FISC_DIAG_BAD_VALUE,
			    "无法识别的一级指标「%s」（产出、成本、效益或满意度指标）",
			    "unknown indicator class '%s' (产出, 成本, 效益 or 满意度)", cls);

	/* Direction: the column, the target's comparator, or both agreeing. */
	const char *dir_s = imp_get_trim(c, row, I_DIR);
	int dir_col = 0;
	if (*dir_s && (dir_col = fisc_ind_dir_parse(dir_s)) < 0)
		imp_reportf(c, row, c->col[I_DIR], "direction", FISC_DIAG_BAD_VALUE,
			    "无法识别的指标方向「%s」（正向、反向、等于或定性）",
			    "unknown direction '%s' (正向 ≥, 反向 ≤, 等于 = or 定性)", dir_s);
	const char *target_s = imp_get_trim(c, row, I_TARGET);
	cellval t, a;
	split_value(c, target_s, &t);
	x.target_text = t.text;
	if (!*target_s)
		imp_report(c, row, c->col[I_TARGET], "target", FISC_DIAG_MISSING_FIELD,
			   "年度指标值为空", "target is empty");
	if (dir_col > 0 && t.dir && dir_col != t.dir)
		imp_reportf(c, row, c->col[I_DIR], "direction", FISC_DIAG_BAD_VALUE,
			    "指标方向「%s」与指标值中的比较符不一致",
			    "direction '%s' contradicts the comparator written in the target", dir_s);
	x.dir = dir_col > 0 ? dir_col : t.dir ? t.dir : t.numeric ? FISC_DIR_GE : FISC_DIR_QUAL;
	if (x.dir != FISC_DIR_QUAL && *target_s && !t.numeric)
		imp_reportf(c, row, c->col[I_TARGET], "target", FISC_DIAG_BAD_VALUE,
			    "定量指标的指标值「%s」不是数值",
			    "the target '%s' of a quantitative indicator is not a number", target_s);
	if (x.dir == FISC_DIR_QUAL && t.dir)
		imp_reportf(c, row, c->col[I_TARGET], "target", FISC_DIAG_BAD_VALUE,
			    "定性指标的指标值「%s」带有比较符",
			    "the target '%s' of a qualitative indicator has a comparator", target_s);
	if (x.dir != FISC_DIR_QUAL && t.numeric) {
		x.has_target = 1;
		x.target = t.d;
	}

	/* Unit: the column, or what the target writes after its number. */
	const char *unit_s = imp_get_trim(c, row, I_UNIT);
	x.unit = *unit_s ? norm(c, unit_s) : t.numeric ? t.unit : "";
	if (*unit_s && t.numeric && *t.unit && strcmp(t.unit, x.unit))
		imp_reportf(c, row, c->col[I_TARGET], "target", FISC_DIAG_BAD_VALUE,
			    "指标值的单位与计量单位「%s」不一致",
			    "the target's unit differs from the unit column '%s'", x.unit);

	/* Result: a number for a quantitative indicator, a grade otherwise. */
	const char *actual_s = imp_get_trim(c, row, I_ACTUAL);
	x.actual_text = actual_s;
	if (*actual_s) {
		split_value(c, actual_s, &a);
		x.actual_text = a.text;
		if (x.dir == FISC_DIR_QUAL) {
			if ((x.grade = fisc_ind_grade_prefix(a.text)) < 0) {
				x.grade = 0;
				imp_reportf(c, row, c->col[I_ACTUAL], "actual", FISC_DIAG_BAD_VALUE,
					    "定性指标的完成情况「%s」应以“达成”“部分达成”或“未达成”开头",
					    "the result '%s' of a qualitative indicator must begin with "
					    "达成, 部分达成 or 未达成",
					    actual_s);
			}
		} else if (!a.numeric || a.dir) {
			imp_reportf(c, row, c->col[I_ACTUAL], "actual", FISC_DIAG_BAD_VALUE,
				    "定量指标的全年实际值「%s」不是数值",
				    "the result '%s' of a quantitative indicator is not a number",
				    actual_s);
		} else if (*a.unit && strcmp(a.unit, x.unit)) {
			char zh[512], en[512];
			snprintf(zh, sizeof zh, "全年实际值「%s」的单位与指标值的单位「%s」不一致",
				 actual_s, x.unit);
			snprintf(en, sizeof en, "the result '%s' is not in the target's unit '%s'",
				 actual_s, x.unit);
			imp_report(c, row, c->col[I_ACTUAL], "actual", FISC_DIAG_BAD_VALUE, zh, en);
		} else {
			x.has_actual = 1;
			x.actual = a.d;
		}
	}

	const char *w = imp_get_trim(c, row, I_WEIGHT);
	if (*w) {
		if (fisc_points_parse(w, strlen(w), &x.weight))
			imp_reportf(c, row, c->col[I_WEIGHT], "weight", FISC_DIAG_BAD_VALUE,
				    "分值「%s」无效（0–100，至多两位小数）",
				    "bad weight '%s' (0–100 points, at most two decimals)", w);
		else
			x.has_weight = 1;
	}
	const char *sc = imp_get_trim(c, row, I_SCORE);
	if (*sc) {
		if (fisc_points_parse(sc, strlen(sc), &x.score))
			imp_reportf(c, row, c->col[I_SCORE], "score", FISC_DIAG_BAD_VALUE,
				    "得分「%s」无效（0–100，至多两位小数）",
				    "bad score '%s' (0–100 points, at most two decimals)", sc);
		else if (!*w)
			imp_report(c, row, c->col[I_SCORE], "score", FISC_DIAG_MISSING_FIELD,
				   "有得分但没有分值", "a score is given without a weight");
		else if (x.has_weight && x.score > x.weight)
			imp_reportf(c, row, c->col[I_SCORE], "score", FISC_DIAG_BAD_VALUE,
				    "得分「%s」超过分值", "score '%s' exceeds the weight", sc);
		else
			x.has_score = 1;
	}
	/* A partial grade has no single score: the assessor must give one. */
	if (x.dir == FISC_DIR_QUAL && x.has_weight && !*sc &&
	    (x.grade == FISC_GRADE_PARTLY || x.grade == FISC_GRADE_NOT_MET))
		imp_report(c, row, c->col[I_SCORE], "score", FISC_DIAG_MISSING_FIELD,
			   "定性指标未完全达成时须填写得分（部分达成按分值的60%–80%，未达成低于60%）",
			   "a qualitative indicator not fully met needs a score (partly met: 60–80 % of "
			   "the weight; not met: below 60 %)");
	x.reason = imp_get_trim(c, row, I_REASON);
	x.source = imp_get_trim(c, row, I_SOURCE);
	if (!*x.source)
		x.source = imp_where(c, row, c->col[I_NAME]);
	if (c->errors != errors_before)
		return;

	char *key = fisc_arena_printf(c->arena, "ind|%lld|%d|%s|%s|%d|%s|%s", (long long)x.region,
				      x.year, x.dept, x.project, x.cls, x.sub, x.name);
	static const dupmsg dup = {
		"indicator",
		"重复的绩效指标：与 %s 的部门、项目、年度和指标都相同",
		"duplicate indicator: same department, project, year and indicator as %s",
		"重复的绩效指标：数据库中已有同一部门、项目、年度的同名指标",
		"duplicate indicator: the store already holds it for this department, project and year"};
	if (put_once(c, row, c->col[I_NAME], key, &dup, put_indicator, &x))
		c->stats->indicators++;
}

void imp_perf_text_row(ctx *c, const fisc_row *row)
{
	int errors_before = c->errors;
	fisc_perf_text t;
	memset(&t, 0, sizeof t);
	t.region = imp_region_field(c, row, T_REGION);
	t.year = imp_year_field(c, row, T_YEAR);
	t.dept = c->col[T_DEPT] >= 0 ? imp_get_trim(c, row, T_DEPT) : "";
	t.project = c->col[T_PROJECT] >= 0 ? imp_get_trim(c, row, T_PROJECT) : "";
	const char *sec = imp_get_trim(c, row, T_SECTION);
	if (*t.project && !*t.dept)
		imp_report(c, row, c->col[T_DEPT], "department", FISC_DIAG_MISSING_FIELD,
			   "有项目的文字必须写明部门", "a project's text needs its department");
	if (!*sec) {
		imp_report(c, row, c->col[T_SECTION], "section", FISC_DIAG_MISSING_FIELD,
			   "章节为空", "section is empty");
	} else if (*t.dept) {
		if (!(t.section = fisc_perf_section_key(sec)))
			imp_reportf(c, row, c->col[T_SECTION], "section", FISC_DIAG_BAD_VALUE,
				    "无法识别的章节「%s」（基本情况、绩效目标、绩效情况、存在的问题、改进措施或其他）",
				    "unknown section '%s' (overview, goals, results, problems, measures, other)",
				    sec);
	} else {
		/* no department: a section of the region's report to the congress */
		char *k = fisc_congress_section_key(sec);
		t.section = k ? fisc_arena_strdup(c->arena, k) : NULL;
		free(k);
		if (!t.section)
			imp_reportf(c, row, c->col[T_SECTION], "section", FISC_DIAG_BAD_VALUE,
				    "无法识别的人大报告章节「%s」（开头、财政工作情况、财政工作安排、完成预算的措施、结束语，"
				    "可加“/小标题”；或 口径/预算/级次）",
				    "unknown congress-report section '%s' (opening, work, plan, measures, closing, "
				    "optionally /subtitle; or basis/BOOK/SCOPE)",
				    sec);
	}
	t.text = imp_get_trim(c, row, T_TEXT);
	if (!*t.text)
		imp_report(c, row, c->col[T_TEXT], "text", FISC_DIAG_MISSING_FIELD, "内容为空",
			   "text is empty");
	t.source = imp_get_trim(c, row, T_SOURCE);
	if (!*t.source)
		t.source = imp_where(c, row, c->col[T_TEXT]);
	if (c->errors != errors_before)
		return;
	char *key = fisc_arena_printf(c->arena, "txt|%lld|%d|%s|%s|%s", (long long)t.region, t.year,
				      t.dept, t.project, t.section);
	static const dupmsg dup = {
		"section",
		"重复的章节：与 %s 的部门、项目、年度和章节都相同",
		"duplicate section: same department, project, year and section as %s",
		"重复的章节：数据库中已有同一部门、项目、年度的该章节",
		"duplicate section: the store already holds it for this department, project and year"};
	if (put_once(c, row, c->col[T_SECTION], key, &dup, put_text, &t))
		c->stats->texts++;
}
