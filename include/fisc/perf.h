/*
** fisc/perf.h — performance goals and indicators (绩效目标与绩效指标) of a
** department or project, and the self-evaluation score built on them.
**
** A department's year (or one project of it) has indicators in the national
** framework: 一级指标 产出 / 成本 / 效益 / 满意度, a 二级指标 (数量, 质量,
** 时效, 经济效益, 社会效益, 服务对象满意度 …) and the 三级指标 itself, with a
** direction (正向 ≥, 反向 ≤, 等于, 定性), a target (年度指标值), the result
** (全年实际值), its weight in points and, when the result falls short, the
** reason (偏差原因). The year's narrative (基本情况, 存在的问题, 改进措施 …)
** is kept as text sections.
**
** Scoring follows 财预〔2020〕10号 (项目支出绩效评价管理办法) and its
** 自评表: 预算执行率 is worth 10 points (10 × rate, at most 10) and the
** indicators 90; a quantitative indicator scores weight × result/target when
** 正向 and weight × target/result when 反向, at most its weight; a
** qualitative one is graded 达成 (80–100 % of its weight), 部分达成 (60–80 %)
** or 未达成 (below 60 %). All arithmetic is on integers: values are decimals
** (an int64 and a scale), points are kept in hundredths, rounded half up.
*/
#ifndef FISC_PERF_H
#define FISC_PERF_H

#include "export.h"
#include <stddef.h>
#include <stdint.h>
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 一级指标. */
typedef enum fisc_ind_class {
	FISC_IND_OUTPUT = 1,      /* 产出指标 */
	FISC_IND_COST = 2,        /* 成本指标 */
	FISC_IND_EFFECT = 3,      /* 效益指标 */
	FISC_IND_SATISFACTION = 4 /* 满意度指标 */
} fisc_ind_class;

typedef enum fisc_ind_dir {
	FISC_DIR_GE = 1,   /* 正向: the result should reach the target (≥) */
	FISC_DIR_LE = 2,   /* 反向: the result should stay within it (≤) */
	FISC_DIR_EQ = 3,   /* 等于 (=) */
	FISC_DIR_QUAL = 4  /* 定性: a described target, graded */
} fisc_ind_dir;

typedef enum fisc_ind_grade {
	FISC_GRADE_NONE = 0,
	FISC_GRADE_MET = 1,     /* 达成年度指标 */
	FISC_GRADE_PARTLY = 2,  /* 部分达成年度指标并具有一定效果 */
	FISC_GRADE_NOT_MET = 3  /* 未达成年度指标且效果较差 */
} fisc_ind_grade;

/* A decimal number as written: v / 10^scale (scale 0..6). */
typedef struct fisc_decimal {
	int64_t v;
	int scale;
} fisc_decimal;

typedef struct fisc_indicator {
	int64_t id;           /* assigned by the store, import order */
	int64_t region;       /* store id of the department's region */
	int32_t year;
	const char *dept;     /* never NULL */
	const char *project;  /* "" for the department as a whole (部门整体) */
	int cls;              /* fisc_ind_class */
	const char *sub;      /* 二级指标, "" when not given */
	const char *name;     /* 三级指标 */
	int dir;              /* fisc_ind_dir */
	int has_target, has_actual;
	fisc_decimal target, actual; /* quantitative only */
	const char *unit;     /* 计量单位 ("%", "家", "个"), "" when none */
	const char *target_text; /* as written ("≥15%", "明显提升") */
	const char *actual_text; /* as written; "" when not yet assessed */
	int grade;            /* fisc_ind_grade, qualitative only */
	int has_weight;
	int32_t weight;       /* points × 100 (分值 7.5 → 750) */
	int has_score;
	int32_t score;        /* points × 100 as assessed (qualitative); quantitative
				 scores are computed, a given one is checked */
	const char *reason;   /* 偏差原因分析及改进措施, "" when none */
	const char *source;   /* provenance, "file:line" */
} fisc_indicator;

/* Section keys of the narrative, in report order. */
#define FISC_PERF_SECTIONS "overview goals results problems measures other"

typedef struct fisc_perf_text {
	int64_t region;
	int32_t year;
	const char *dept;
	const char *project;  /* "" for the department */
	const char *section;  /* one of FISC_PERF_SECTIONS */
	const char *text;
	const char *source;
} fisc_perf_text;

/* Selection for the walks: NULL / 0 fields match everything. */
typedef struct fisc_perf_query {
	int64_t region;
	int32_t year;
	const char *dept;
} fisc_perf_query;

/* Store. put: FISC_EEXIST for a second indicator with the same (region,
** year, dept, project, class, sub, name), or a second text of the same
** (region, year, dept, project, section). each: import order. */
FISC_API int fisc_store_indicator_put(fisc_store *st, const fisc_indicator *ind);
typedef int (*fisc_indicator_cb)(void *ud, const fisc_indicator *ind);
FISC_API int fisc_store_indicator_each(fisc_store *st, const fisc_perf_query *q,
			      fisc_indicator_cb cb, void *ud);
FISC_API int fisc_store_perf_text_put(fisc_store *st, const fisc_perf_text *t);
typedef int (*fisc_perf_text_cb)(void *ud, const fisc_perf_text *t);
FISC_API int fisc_store_perf_text_each(fisc_store *st, const fisc_perf_query *q,
			      fisc_perf_text_cb cb, void *ud);

/* Vocabulary. Parsers return the value or -1. */
FISC_API int fisc_ind_class_parse(const char *s);   /* 产出指标, 产出, output … */
FISC_API const char *fisc_ind_class_name(int cls);  /* 产出指标 … */
FISC_API const char *fisc_ind_class_code(int cls);  /* "output" … */
FISC_API int fisc_ind_dir_parse(const char *s);     /* 正向, ≥, >=, 反向, ≤, 等于, =, 定性 … */
FISC_API const char *fisc_ind_dir_name(int dir);    /* 正向 反向 等于 定性 */
FISC_API const char *fisc_ind_dir_code(int dir);    /* "ge" "le" "eq" "qual" */
FISC_API int fisc_ind_grade_parse(const char *s);   /* 达成, 部分达成, 未达成 (and 完成 …) */
/* The grade a result begins with: "部分达成：两所学校未达标" → partly; the
** word must end the text or be followed by a blank or punctuation. */
FISC_API int fisc_ind_grade_prefix(const char *s);
FISC_API const char *fisc_ind_grade_name(int grade);
FISC_API const char *fisc_ind_grade_code(int grade); /* "met" "partly" "not_met" */
/* 1 when `key` is one of FISC_PERF_SECTIONS; also maps the Chinese names
** (基本情况, 绩效目标, 绩效情况, 存在的问题, 改进措施, 其他) to their key. */
FISC_API const char *fisc_perf_section_key(const char *s);
FISC_API const char *fisc_perf_section_name(const char *key);

/* Texts of a region (department "", project "") are the narrative of the
** report to the people's congress, imported like the 绩效 texts. Their
** section is one of FISC_CONGRESS_SECTIONS, optionally followed by "/" and a
** subsection title ("plan/2024年财政收支形势"), or "basis/BOOK/SCOPE" whose
** text is the 口径 qualifier of that book's figures at that scope ("区金库",
** "含两江水复片区"), carried into every sentence stating them. The text's
** year is the congress report's execution year. */
#define FISC_CONGRESS_SECTIONS "opening work plan measures closing basis"
/* The canonical section ("plan", "plan/2024年财政收支形势", "basis/gpb/all") of
** a section as written (work, 财政工作情况, 口径/一般公共预算/全区 …), in a
** malloc'd string; NULL when it is not one. */
FISC_API char *fisc_congress_section_key(const char *s);
/* The heading of a top-level section key (本年/下年 are filled in by the
** report): "财政工作情况" … ; "" for opening, closing and basis. */
FISC_API const char *fisc_congress_section_name(const char *key);

/* Parse "15", "-4.3", "1,200", "９５" (NFKC) into a decimal. 0 on success, -1
** when not a number or beyond int64 / six decimals. */
FISC_API int fisc_decimal_parse(const char *s, size_t n, fisc_decimal *out);
/* Print as written ("15", "95.5"). */
FISC_API int fisc_decimal_format(fisc_decimal d, char *buf, size_t cap);
/* Points in hundredths as "7.5", "10", "87.25"; the _text form in an arena. */
FISC_API int fisc_points_format(int64_t hundredths, char *buf, size_t cap);
FISC_API const char *fisc_points_text(fisc_arena *a, int64_t hundredths);
/* "7.5" / "10" / "0.25" → hundredths; -1 when not a number of points 0..100
** with at most two decimals. */
FISC_API int fisc_points_parse(const char *s, size_t n, int32_t *out);

/* An indicator's result. */
typedef struct fisc_ind_result {
	int assessed;        /* has a result (actual value or grade) */
	int scored;          /* a score could be given (assessed and weighted) */
	int32_t score;       /* points × 100, the score fisc counts: computed for
				a quantitative indicator; for a qualitative one the
				assessed score, brought into its grade's band */
	int met;             /* the target is reached */
	int below;           /* fell short: a reason is required */
	int needs_reason;    /* below and no reason given */
	int score_mismatch;  /* a given score differs from the computed one, or a
				qualitative score lies outside its grade's band */
	int32_t given;       /* the score as given, when score_mismatch */
	int32_t band_lo, band_hi; /* qualitative: the grade's band, hundredths */
} fisc_ind_result;

/* Score one indicator (see the header comment for the formulas). */
FISC_API void fisc_indicator_score(const fisc_indicator *ind, fisc_ind_result *out);

/* 预算执行率 points (× 100) for spent/budget: 10 × min(rate, 1), rounded
** half up; 0 when budget <= 0. */
FISC_API int32_t fisc_perf_budget_points(int64_t spent_fen, int64_t budget_fen);
/* 优 (≥ 90), 良 (80–90), 中 (60–80), 差 (< 60), for points × 100. */
FISC_API const char *fisc_perf_grade_name(int32_t hundredths);

/* The indicators and texts of a selection, copied into an arena. */
typedef struct fisc_perf_set {
	fisc_indicator *ind;
	size_t nind;
	fisc_perf_text *txt;
	size_t ntxt;
} fisc_perf_set;

FISC_API int fisc_perf_load(fisc_store *st, const fisc_perf_query *q, fisc_arena *a,
		   fisc_perf_set *out);
/* The text of (project, section), NULL when there is none. */
FISC_API const char *fisc_perf_text_of(const fisc_perf_set *s, const char *project,
			      const char *section);
/* Projects that have indicators, in import order, "" (the department as a
** whole) first when it has any; returns how many were stored in names. */
FISC_API size_t fisc_perf_projects(const fisc_perf_set *s, const char **names, size_t cap);

/* What the indicators of one department-year (or one project) add up to. */
typedef struct fisc_perf_tally {
	size_t n;              /* indicators */
	size_t assessed;       /* with a result */
	size_t met, below;     /* of the assessed */
	size_t no_reason;      /* below target without a reason */
	size_t unweighted;     /* without a weight */
	size_t unscored;       /* weighted and assessed, but no score (partial grade
				  without an assessed score) */
	size_t mismatched;     /* a given score that is not the computed one */
	size_t n_by_class[5], assessed_by_class[5], met_by_class[5]; /* by fisc_ind_class */
	int32_t weight_total;  /* Σ weights (hundredths) */
	int32_t weight_by_class[5];
	int32_t score_total;   /* Σ scores of the scored indicators */
	int32_t score_by_class[5];
	int complete;          /* every indicator weighted, assessed and scored, and
				  the weights sum to 90 points: score_total counts */
} fisc_perf_tally;

FISC_API void fisc_perf_tally_of(const fisc_perf_set *s, const char *project, fisc_perf_tally *t);

#ifdef __cplusplus
}
#endif
#endif
