/*
** fisc/reports.h — the documents fisc writes from stored facts: the report to
** the people's congress, a department's budget disclosure, a department's
** performance self-evaluation and the government debt report.
**
** Each report is one builder that fills a fisc_doc (fisc/doc.h); every output
** format renders any document. The builders are listed in one registry, so
** the command line, the demo and the tests find them by name. Every amount a
** report prints is computed from base facts (balance tables through
** fisc_balance_build); a figure a source only states is printed where nothing
** can be computed, and a stated figure that disagrees with the computed one
** beyond rounding is reported in a note.
*/
#ifndef FISC_REPORTS_H
#define FISC_REPORTS_H

#include "export.h"
#include "doc.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fisc_report_params {
	const char *region;     /* code or name: congress, debt */
	int year;               /* congress: the execution year (its budget is year + 1) */
	const char *department; /* department, performance */
	int phase;              /* 0: the report's own choice (see each builder) */
	const char *unit;       /* 元, 万元 or 亿元: every amount, prose and tables;
				   NULL: the unit most source figures were written in */
} fisc_report_params;

typedef int (*fisc_report_fn)(fisc_store *st, const fisc_report_params *p, fisc_arena *a,
			      fisc_doc **out);

enum {
	FISC_REPORT_NEEDS_REGION = 1,
	FISC_REPORT_NEEDS_DEPARTMENT = 2
};

typedef struct fisc_report_kind {
	const char *name;    /* "congress" */
	fisc_report_fn build;
	int needs;           /* FISC_REPORT_NEEDS_* */
	const char *summary; /* one line for usage messages */
} fisc_report_kind;

/* The registry: by name, or the i-th (NULL past the end). */
FISC_API const fisc_report_kind *fisc_report_find(const char *name);
FISC_API const fisc_report_kind *fisc_report_at(size_t i);

/* 关于R Y年预算执行情况和Y+1年预算草案的报告 (seeds 001, 003). */
FISC_API int fisc_report_congress(fisc_store *st, const fisc_report_params *p, fisc_arena *a,
			 fisc_doc **out);
/* 部门预算公开: the standard tables and their explanation (seed 002).
** Phase: budget unless p->phase says otherwise. */
FISC_API int fisc_report_department(fisc_store *st, const fisc_report_params *p, fisc_arena *a,
			   fisc_doc **out);
/* 部门整体支出绩效自评报告 (seed 004). Phase: final (决算), else execution. */
FISC_API int fisc_report_performance(fisc_store *st, const fisc_report_params *p, fisc_arena *a,
			    fisc_doc **out);
/* 政府债务情况: limits, balances, issuance, repayment, interest, 债务率, with
** the identities checked. */
FISC_API int fisc_report_debt(fisc_store *st, const fisc_report_params *p, fisc_arena *a,
		     fisc_doc **out);

#ifdef __cplusplus
}
#endif
#endif
