/*
** fisc/audit.h — read a published budget report as text and check every
** figure it states (`fisc audit`).
**
** An audit reads the text (UTF-8, hard-wrapped, Markdown headings,
** tab-separated tables, page numbers inside sentences), normalises it with
** Unicode NFKC, tracks which year, book, scope and phase each passage speaks
** of, recognises the claims the text makes (balance sentences, totals and
** their parts, enumerations, percentages, balance tables, running balances)
** and checks them with interval arithmetic: every written figure stands for
** ± half a unit of its last digit, so a claim holds EXACTLY, WITHIN ROUNDING
** or FAILS, with no fixed tolerance anywhere. Text-level checks add figures
** stated twice with different values, items listed twice, units that do not
** fit their neighbours, years that do not belong to the report and required
** sections left empty. Optionally the extracted facts are also run through
** the rule engine (fisc/rules.h) in a temporary in-memory store.
**
** Every finding names the 1-based line on which its stated figure begins in
** the original file. All results live in the caller's arena.
*/
#ifndef FISC_AUDIT_H
#define FISC_AUDIT_H

#include "export.h"
#include <stddef.h>
#include <stdio.h>
#include "arena.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Severities share their values with fisc_severity (rules.h). */
enum { FISC_AUDIT_INFO = 1, FISC_AUDIT_WARNING = 2, FISC_AUDIT_ERROR = 3 };

/* Verdict of one check. */
typedef enum fisc_audit_verdict {
	FISC_AUDIT_EXACT = 0,        /* holds on the figures as written */
	FISC_AUDIT_WITHIN = 1,       /* holds only thanks to the figures' rounding */
	FISC_AUDIT_FAILED = 2,       /* fails even at the intervals' edges */
	FISC_AUDIT_UNVERIFIABLE = 3  /* the text does not state what it needs */
} fisc_audit_verdict;

typedef struct fisc_audit_finding {
	const char *rule;       /* "audit.sum", "audit.percent", "books.transfer" … */
	int severity;           /* FISC_AUDIT_* */
	int line;               /* 1-based line where the stated figure begins */
	const char *text;       /* the sentence or table row, normalised */
	const char *stated;     /* "174666万元", "11.55%", or NULL */
	const char *computed;   /* what it should be, or NULL */
	const char *message_zh;
	const char *message_en;
	const int *lines;       /* lines of every figure the check involved */
	size_t nlines;
	int page;               /* 1-based page of `line` in a paged text (a PDF,
				   or text with form feeds), else 0 */
	int page_line;          /* 1-based line on that page, else 0 */
} fisc_audit_finding;

/* A figure a claim involves, as written. */
typedef struct fisc_audit_figure {
	int line;               /* 1-based line where it begins */
	const char *digits;     /* its digits as written, separators removed:
				   "883868", "41.5593", "53.40" */
	int nth;                /* 1-based: which figure with these digits on
				   its line (a table row may repeat a value) */
	int stated;             /* 1: the claim's stated figure (a total, a
				   percentage), 0: an input */
} fisc_audit_figure;

/* One claim the text makes and how it fared. */
typedef struct fisc_audit_claim {
	const char *kind;       /* "sum", "partial", "balance", "percent", "table",
				   "difference", "roll", "restated" */
	int line;               /* line of the stated figure */
	int verdict;            /* fisc_audit_verdict */
	const char *stated;
	const char *computed;   /* NULL when unverifiable */
	const char *expr;       /* "20776 + 153900", the inputs used */
	size_t nparts;
	const fisc_audit_figure *figures; /* the stated figure first, then the
					     inputs: where a reader marks the claim */
	size_t nfigures;
} fisc_audit_claim;

typedef struct fisc_audit_checks {
	size_t total, exact, within_rounding, failed, unverifiable;
} fisc_audit_checks;

typedef struct fisc_audit_report {
	const char *path;
	const char *kind;       /* "budget_report", "execution_report",
				   "final_accounts", "department_budget",
				   "department_final_accounts",
				   "performance_self_evaluation", "unknown" */
	const char *title;
	int years[4];           /* years the report is about (from its title) */
	int nyears;
	int lines;              /* lines read */
	fisc_audit_finding *findings; /* sorted by line */
	size_t nfindings;
	fisc_audit_claim *claims;     /* in text order */
	size_t nclaims;
	fisc_audit_checks checks;      /* the claims, one each: what --claims lists */
	fisc_audit_checks rule_checks; /* the rule engine's checks on the extracted
					  facts (none unverifiable) */
	size_t errors, warnings, infos;
	int rules_run;          /* the rule engine ran on the extracted facts */
	size_t facts;           /* facts extracted */
	const char *source;     /* the text audited, as read (UTF-8; a PDF's
				   pages separated by form feeds): the lines
				   findings name */
	size_t source_len;
} fisc_audit_report;

typedef struct fisc_audit_opts {
	int rules;              /* also run the rule engine on the extracted facts */
	const char *datadir;    /* catalogue for the rule engine; NULL: fisc_datadir() */
} fisc_audit_opts;

/* Audit text already in memory. `path` names it in the report. FISC_ENOMEM
** when memory runs out; invalid UTF-8 is replaced, never fatal. */
FISC_API int fisc_audit_buffer(const char *path, const char *text, size_t len,
		      const fisc_audit_opts *opts, fisc_arena *a,
		      fisc_audit_report **out);

/* Read and audit a file: text (UTF-8, GB18030/GBK, UTF-16), a Word document
** (.docx), a web page (.html, in its meta charset) or a PDF with a text
** layer; a finding in a PDF also names its page. FISC_EIO, with the reason,
** when it cannot be read (a scanned or encrypted PDF, a workbook …). */
FISC_API int fisc_audit_file(const char *path, const fisc_audit_opts *opts,
		    fisc_arena *a, fisc_audit_report **out);

/* Write reports as "text" (one block per finding, Chinese with an English
** line), "json" (docs/formats.md §8) or "html": the text audited, escaped,
** with every figure a claim involves marked by its verdict (green ✓ holds,
** amber ≈ within rounding or ambiguous, red ✗ error) and the findings beside
** their lines; one self-contained page. FISC_EINVAL for another format. */
FISC_API int fisc_audit_write(fisc_audit_report *const *reps, size_t n,
		     const char *format, FILE *out);

/* Every claim recognised and its verdict, one line each ("text" only): for
** reviewers who want to see what was checked, not only what failed. */
FISC_API int fisc_audit_write_claims(const fisc_audit_report *r, FILE *out);

/* Write `pdf_in` (the PDF r was read from) to `pdf_out` with a highlight
** annotation over every figure a claim involves, in the colours of the
** "html" form, the finding or the claim as its note. FISC_EIO when either
** file cannot be read or written (pdf_in is not a PDF). */
FISC_API int fisc_audit_annotate_pdf(const fisc_audit_report *r, const char *pdf_in,
				     const char *pdf_out);

FISC_API const char *fisc_audit_verdict_code(int v); /* "exact" "within_rounding" "failed" "unverifiable" */

#ifdef __cplusplus
}
#endif
#endif
