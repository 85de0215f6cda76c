/*
** fisc/doc.h — the document model every report builds and every output
** format renders: a title, headings, paragraphs, notes and tables.
**
** A report builder (congress, department, performance, debt …) only fills a
** fisc_doc; a renderer (Markdown, HTML, XLSX, JSON, CSV, text, DOCX, PDF)
** only reads one. So a
** new report never touches a renderer and a new format never touches a report.
**
** Table cells are typed: text, an amount (int64 fen, shown in a unit with a
** number of decimals) or a percentage (numerator / denominator, rounded half
** away from zero by fisc_percent_format). The printed text of every amount and
** percentage is computed once, when the cell is set, so all formats print the
** same digits; XLSX and JSON also carry the exact value.
**
** Everything lives in the arena the document was created with. Errors are
** sticky: after an allocation failure every builder call is a no-op and
** fisc_doc_status() returns FISC_ENOMEM, so report builders are straight-line
** code that checks once at the end.
*/
#ifndef FISC_DOC_H
#define FISC_DOC_H

#include "export.h"
#include <stddef.h>
#include <stdio.h>
#include "arena.h"
#include "money.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Widest table a document holds (the standard disclosure tables have ≤ 12). */
#define FISC_DOC_MAXCOLS 24

typedef enum fisc_cell_kind {
	FISC_CELL_EMPTY = 0,  /* nothing printed (a blank cell of a published table) */
	FISC_CELL_TEXT = 1,
	FISC_CELL_AMOUNT = 2, /* fen, shown in `unit` with `decimals` */
	FISC_CELL_PERCENT = 3,/* num / den × 100 with `decimals`, half away from zero */
	FISC_CELL_COVERED = 4,/* inside a merged cell; renderers skip it */
	FISC_CELL_NUMBER = 5  /* a plain number num / 10^decimals (points, counts) */
} fisc_cell_kind;

typedef struct fisc_cell {
	int kind;            /* fisc_cell_kind */
	const char *text;    /* what is printed ("883,868", "100.25%", "教育支出") */
	fisc_fen fen;        /* AMOUNT: exact value */
	int unit;            /* AMOUNT: fisc_unit */
	int decimals;        /* AMOUNT and PERCENT */
	fisc_fen num, den;   /* PERCENT: the exact ratio; NUMBER: num is the value
				× 10^decimals */
	int colspan, rowspan;/* ≥ 1; >1 only on the anchor of a merged cell */
	int level;           /* indentation of a row label (0 = flush) */
	int strong;          /* a total: printed bold */
} fisc_cell;

typedef struct fisc_table {
	const char *title;       /* 2023年全区一般公共预算收支平衡情况 */
	const char *unit_label;  /* 单位：万元 (NULL when the table has no amounts) */
	size_t ncols;
	size_t nhead, nbody;
	fisc_cell **head, **body;/* rows of ncols cells */
	size_t cap_head, cap_body;
	const char **notes;      /* printed under the table */
	size_t nnotes, cap_notes;
	const char *empty_text;  /* printed in place of an empty body ("本表无数据…") */
} fisc_table;

typedef enum fisc_block_kind {
	FISC_BLOCK_HEADING = 1,
	FISC_BLOCK_PARAGRAPH = 2,
	FISC_BLOCK_TABLE = 3,
	FISC_BLOCK_NOTE = 4,     /* an explanatory remark: data gaps, mismatches */
	FISC_BLOCK_CHART = 5     /* a chart of figures the report also tables
				    (built inside the library; formats without
				    graphics skip it) */
} fisc_block_kind;

struct fisc_chart;

typedef struct fisc_block {
	int kind;          /* fisc_block_kind */
	int level;         /* HEADING: 1 (一、) … 4 */
	const char *text;  /* HEADING, PARAGRAPH, NOTE */
	fisc_table *table; /* TABLE */
	const struct fisc_chart *chart; /* CHART */
} fisc_block;

typedef struct fisc_doc {
	fisc_arena *a;
	const char *kind;     /* "congress", "department" … (JSON, file names) */
	const char *title;
	const char *subtitle; /* NULL or a line under the title */
	fisc_block *blocks;
	size_t nblocks, cap;
	int rc;               /* sticky error */
	const char **gaps;    /* what the data could not support (fisc_doc_gap) */
	size_t ngaps, cap_gaps;
	fisc_cell scratch[FISC_DOC_MAXCOLS]; /* handed out after an error */
} fisc_doc;

/* A new document in `a`; NULL when out of memory. */
FISC_API fisc_doc *fisc_doc_new(fisc_arena *a, const char *kind, const char *title);
FISC_API void fisc_doc_subtitle(fisc_doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* FISC_OK, or the first error met while building. */
FISC_API int fisc_doc_status(const fisc_doc *d);

FISC_API void fisc_doc_heading(fisc_doc *d, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
FISC_API void fisc_doc_para(fisc_doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
FISC_API void fisc_doc_note(fisc_doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Something the report would say if the data supported it ("数据中没有2022年
** 区级一般公共预算的执行数，未计算增长%"). A data gap is never part of the
** publishable text: it is kept apart (duplicates once) and only a draft shows
** it, in the 数据缺口 appendix (fisc_doc_draft); the command line also lists
** it on stderr. */
FISC_API void fisc_doc_gap(fisc_doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Make d a draft: append the 数据缺口 appendix listing every gap (nothing when
** there is none). Call once, after the report is built. */
FISC_API void fisc_doc_draft(fisc_doc *d);

/* A table of ncols (1..FISC_DOC_MAXCOLS) columns; never NULL (after an error
** it is a table that is not part of the document). */
FISC_API fisc_table *fisc_doc_table(fisc_doc *d, const char *title, size_t ncols);
/* "单位：万元". */
FISC_API void fisc_table_unit(fisc_doc *d, fisc_table *t, int unit);
/* A new header / body row of t->ncols empty cells; never NULL. */
FISC_API fisc_cell *fisc_table_head(fisc_doc *d, fisc_table *t);
FISC_API fisc_cell *fisc_table_row(fisc_doc *d, fisc_table *t);
FISC_API void fisc_table_note(fisc_doc *d, fisc_table *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The sentence printed when the table has no body rows. */
FISC_API void fisc_table_empty(fisc_doc *d, fisc_table *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Merge header cells: the cell at (row, col) of the header spans rowspan ×
** colspan cells, which become FISC_CELL_COVERED. Out-of-range spans are
** clipped. */
FISC_API void fisc_table_merge_head(fisc_table *t, size_t row, size_t col, int rowspan,
			   int colspan);

FISC_API void fisc_cell_text(fisc_doc *d, fisc_cell *c, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An amount in `unit` with `decimals` decimals, thousands grouped. */
FISC_API void fisc_cell_amount(fisc_doc *d, fisc_cell *c, fisc_fen fen, int unit, int decimals);
/* num / den as a percentage; den == 0 leaves the cell empty. */
FISC_API void fisc_cell_percent(fisc_doc *d, fisc_cell *c, fisc_fen num, fisc_fen den,
		       int decimals);

/* A number that is not money: num / 10^decimals, printed exactly. */
FISC_API void fisc_cell_number(fisc_doc *d, fisc_cell *c, int64_t num, int decimals);

/* The output formats, in the order usage messages list them. */
FISC_API extern const char *const fisc_doc_formats[];

/*
** Render `d` as `format` ("md", "html", "json", "xlsx", "csv", "text", "docx",
** "pdf").
** md/html/json/text/docx/pdf: written to `path`, or to `out` when path is NULL
**   ("tsv" is another name of "text": prose as lines, tables tab-separated).
** xlsx: a workbook at `path` (one sheet per table); with no path it is built
**   in a temporary file and copied to `out`.
** csv: one file per table. `path` is a directory (existing, or ending in
**   '/': created) receiving NN-标题.csv, or a prefix giving PREFIX-NN-标题.csv;
**   with no path every table goes to `out`, each after a "# 标题" line.
*/
FISC_API int fisc_doc_write(const fisc_doc *d, const char *format, const char *path, FILE *out);

/* s as plain text for a terminal or a text file: every control character
** (C0, DEL, C1), bidi embedding, override or isolate and every byte that is
** not UTF-8 written visibly ("\x1b", "\u202e"), never raw, so that a name
** taken from an imported file cannot drive the terminal it is shown on. */
FISC_API void fisc_text_put(const char *s, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
