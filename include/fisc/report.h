/*
** fisc/report.h — balance tables (收支平衡情况表) and balance statements,
** computed from stored facts.
**
** A balance is built once from the facts of one (region, year, book, scope,
** phase) and then rendered: as the four-column table of the published reports
** (TSV, Markdown, JSON) or as the sentence those reports open each book with.
** Every total and subtotal is a sum of base facts; stated figures are never
** printed in place of a computed one.
*/
#ifndef FISC_REPORT_H
#define FISC_REPORT_H

#include "export.h"

#include <stdio.h>
#include "store.h"
#include "catalog.h"
#include "doc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fisc_selection {
	const char *region; /* code or name */
	int year;
	int book;           /* fisc_book */
	int scope;          /* fisc_scope */
	int phase;          /* fisc_phase */
} fisc_selection;

/* Parse names or codes ("北碚区", "一般公共预算", "全区", "执行") into a
** selection; FISC_EINVAL with a bilingual message naming the bad value. */
FISC_API int fisc_selection_parse(fisc_selection *sel, const char *region, const char *year,
			 const char *book, const char *scope, const char *phase);

typedef struct fisc_balance_row {
	const char *label;   /* as printed: "总 计", "一、全区收入", "上级补助收入" */
	const char *line;    /* line id ("income_total", "own_rev", …) */
	int level;           /* 0 total, 1 section, 2 item, 3 sub-item */
	int has_amount;      /* 0: printed empty */
	fisc_fen fen;        /* computed amount */
	fisc_fen ulp;        /* interval half-widths summed ×2 (Σ ulp of parts) */
	int unit;            /* unit the parts were written in (most common) */
	fisc_fen wulp;       /* finest written digit among the parts, in fen
	                        (0.01亿元 → 1000000): how many decimals to print */
} fisc_balance_row;

typedef struct fisc_balance {
	fisc_region region;
	int year, book, scope, phase;
	const char *scope_label;   /* 全区 */
	const char *title;         /* 2023年全区一般公共预算收支平衡情况 */
	const char *amount_label;  /* 执行数 / 预算数 / 决算数 */
	fisc_balance_row *income, *expense;
	size_t nincome, nexpense;
	int unit;                  /* the unit most of the facts were written in */
	fisc_fen wulp;             /* finest written digit of any part, in fen */
	size_t nfacts;             /* base facts used */
} fisc_balance;

/* Build the balance of a selection; everything lives in `a`.
** FISC_ENOTFOUND when the selection has no facts. */
FISC_API int fisc_balance_build(fisc_store *st, const fisc_selection *sel, fisc_arena *a,
		       fisc_balance **out);

/* Every selection that has balance facts (base facts on a 收/支 line), in
** region, year, phase, book, scope order; restricted to one region when
** `region` (code or name) is not NULL. A whole-region (全辖) selection is
** offered when only its levels have facts, since it can be composed. */
typedef int (*fisc_selection_cb)(void *ud, const fisc_selection *sel);
FISC_API int fisc_balance_each_selection(fisc_store *st, const char *region,
				fisc_selection_cb cb, void *ud);

/* Render a balance table in any document format (fisc_doc_formats: text
** (also "tsv"), md, html, json, xlsx, csv) in `unit` (万元 by default) with
** `decimals` (-1: the balance's own). Text is the bare tab-separated four
** columns of the published table; json is the balance's own object (region,
** line ids, exact fen; docs/formats.md). Same as fisc_balance_render with
** flags 0, no path. */
FISC_API int fisc_balance_write(const fisc_balance *b, const char *format, int unit,
		       int decimals, FILE *out);

enum {
	FISC_BALANCE_STATEMENT = 1, /* the sentences, not the table */
	FISC_BALANCE_HEADING = 2,   /* a heading naming region, table, phase first */
	FISC_BALANCE_BARE = 4       /* the table untitled (plain text output) */
};

/* The balance (or with FISC_BALANCE_STATEMENT its sentences) in `format`,
** to `path` (xlsx: a workbook; csv: a directory or prefix) or `out`; `unit`
** as for fisc_balance_append. */
FISC_API int fisc_balance_render(const fisc_balance *b, int flags, const char *format, int unit,
			int decimals, const char *path, FILE *out);

/* Append the balance to a document (flags FISC_BALANCE_*): several
** selections become one document (--all: one page, one workbook). unit -1:
** a table in 万元, a statement in the unit the data was written in. */
FISC_API int fisc_balance_append(fisc_doc *d, const fisc_balance *b, int flags, int unit,
			int decimals);
/* The four-column table titled `title` ("" for none) appended to d, with a
** note when the totals do not balance. */
FISC_API void fisc_balance_table(fisc_doc *d, const fisc_balance *b, const char *title, int unit,
			int decimals);
/* The statement sentences (fisc_statement_write) as paragraphs of d, in
** `unit` (-1: the unit the data was written in) with at most `maxdec`
** decimals (-1: as many as the figures were written with). */
FISC_API int fisc_statement_paras(fisc_doc *d, const fisc_balance *b, int unit, int maxdec);
/* The balance's own JSON object (docs/formats.md). */
FISC_API int fisc_balance_json(const fisc_balance *b, int unit, int decimals, FILE *out);

/* The sentence form, in the unit the data was written in:
** "区级一般公共预算收入299998万元，加上级补助收入327574万元、…后，收入总计882607万元。
**  区级一般公共预算支出621082万元，加上解支出48541万元、…后，支出总计882607万元。" */
FISC_API int fisc_statement_write(const fisc_balance *b, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
