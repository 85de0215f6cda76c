/*
** fisc/rules.h — the rule engine behind `fisc check`: every budget identity
** and Budget-Law check over the stored facts, rounding-aware.
**
** A run reads the facts of a selection once, groups them in memory by
** (region, year, book, phase, scope, department) and sums base facts into
** every node they count towards (catalogue code, its parents, balance line,
** its parents), so that each rule works by lookups. Each rule is one small
** function registered in one table (src/lib/rules/registry.c).
**
** Rounding (DOMAIN.md §9): a written figure stands for the interval
** [fen − ulp/2, fen + ulp/2]; a sum's interval is the sum of the intervals;
** exact data (ulp 1 fen) has no width. A check holds EXACTLY when the figures
** are equal (or the inequality holds on them), WITHIN ROUNDING when only the
** intervals allow it (reported as info), and FAILS otherwise. There is no
** fixed tolerance anywhere.
*/
#ifndef FISC_RULES_H
#define FISC_RULES_H

#include "export.h"
#include <stddef.h>
#include <stdio.h>
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fisc_severity {
	FISC_SEV_PASS = 0,    /* a check that held exactly (reported only with opts.all) */
	FISC_SEV_INFO = 1,    /* held within rounding, or worth knowing */
	FISC_SEV_WARNING = 2, /* unusual or against good practice; a person should look */
	FISC_SEV_ERROR = 3    /* an identity or a law that does not hold */
} fisc_severity;

typedef enum fisc_verdict {
	FISC_VERDICT_EXACT = 0,           /* equal, or the inequality holds on the figures */
	FISC_VERDICT_WITHIN_ROUNDING = 1, /* holds only thanks to the figures' intervals */
	FISC_VERDICT_FAILED = 2           /* does not hold even at the intervals' edges */
} fisc_verdict;

FISC_API const char *fisc_severity_code(int sev);  /* "pass" "info" "warning" "error" */
FISC_API const char *fisc_severity_name(int sev);  /* 通过 提示 警告 错误 */
FISC_API const char *fisc_verdict_code(int v);     /* "exact" "within_rounding" "failed" */

/* A fact a finding rests on, with the part it plays in the check. */
typedef struct fisc_finding_fact {
	const char *role;      /* "stated", "part", "total", "income", "expense",
				  "opening", "closing", "limit", "reserve", … */
	const char *item_name; /* 上级补助收入, 教育支出 */
	fisc_fact fact;        /* a copy; strings live in the run's arena */
} fisc_finding_fact;

typedef struct fisc_finding {
	const char *rule;      /* rule id, "debt.split" */
	int severity;          /* fisc_severity */
	int verdict;           /* fisc_verdict */
	const char *message_zh;
	const char *message_en;
	fisc_region region;
	int year;              /* the year checked (the later one across years) */
	int year_from;         /* the earlier year of a cross-year check, else 0 */
	int book;              /* fisc_book; -1 when the check spans books */
	int scope;             /* fisc_scope */
	int phase;             /* fisc_phase; 0 when the check spans phases */
	const char *dept;      /* department, "" for a government book */
	/* The two sides compared: `stated` is the figure under test (a stated
	** total, a side of the balance, a part), `computed` what it is checked
	** against (the sum of its parts, the other side, a limit). */
	int has_stated, has_computed;
	fisc_fen stated, computed;
	fisc_fen stated_ulp, computed_ulp; /* interval widths (0 = exact) */
	fisc_fen difference;   /* stated − computed */
	fisc_fen tolerance;    /* largest |difference| rounding allows: the half
				  widths of both sides added; 0 for exact data */
	int unit;              /* fisc_unit the amounts are best shown in */
	const char *percent;   /* a ratio recomputed ("1.04%"), or NULL */
	const fisc_finding_fact *facts;
	size_t nfacts;
	size_t nfacts_omitted; /* facts involved but not listed (long sums) */
} fisc_finding;

typedef struct fisc_findings {
	fisc_finding *v;       /* sorted: region, book, year, scope, phase, rule */
	size_t n;
	size_t facts;          /* facts read */
	size_t checks;         /* checks evaluated */
	size_t verdicts[3];    /* checks by fisc_verdict */
	size_t severities[4];  /* findings reported, by fisc_severity */
	const char *region;    /* the selection as given (NULL: all) */
	int year;              /* 0: all */
} fisc_findings;

typedef struct fisc_check_opts {
	const char *region;  /* code or name; NULL: every region */
	int year;            /* 0: every year. Cross-year checks read Y−1 and Y+1
				too and are reported when they involve Y. */
	int all;             /* also report checks that held exactly (FISC_SEV_PASS) */
	const char *rules;   /* comma-separated rule ids or prefixes ("debt,years.carry");
				NULL: every rule */
} fisc_check_opts;

/* Run every rule over the selection. Findings and their strings live in
** `a`. FISC_ENOTFOUND when the region does not exist; store errors as such. */
FISC_API int fisc_check_run(fisc_store *st, const fisc_check_opts *opts, fisc_arena *a,
		   fisc_findings **out);

/* The engine's state during a run, handed to each rule. */
typedef struct fisc_check_ctx fisc_check_ctx;
struct fisc_rule;
typedef int (*fisc_rule_fn)(fisc_check_ctx *ctx, const struct fisc_rule *self);

typedef struct fisc_rule {
	const char *id;        /* "balance.totals" */
	const char *title_zh;
	const char *title_en;
	int severity;          /* severity of a failure */
	const char *reads;     /* the lines / facts it reads */
	fisc_rule_fn fn;
} fisc_rule;

FISC_API size_t fisc_rule_count(void);
FISC_API const fisc_rule *fisc_rule_at(size_t i);
FISC_API const fisc_rule *fisc_rule_find(const char *id);

/* Write findings as "text" (grouped by region and book, Chinese with an
** English line, source references quoted) or "json" (docs/formats.md §6). */
FISC_API int fisc_findings_write(const fisc_findings *f, const char *format, FILE *out);

/* Write the rule registry ("text" or "json"). */
FISC_API int fisc_rules_write(const char *format, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
