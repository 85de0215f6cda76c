/*
** render.h — the renderers of fisc_doc (one file each: render_md.c,
** render_html.c, render_json.c, render_xlsx.c, render_csv.c, render_text.c,
** render_docx.c, render_pdf.c; charts drawn by chart.c) and the few
** helpers they share to read a table's merged header and column kinds.
** doc.c dispatches to them by format name; reports never call them.
*/
#ifndef FISC_REPORT_RENDER_H
#define FISC_REPORT_RENDER_H

#include <stdio.h>
#include "fisc/doc.h"

int fisc_render_md(const fisc_doc *d, FILE *out);
int fisc_render_html(const fisc_doc *d, FILE *out);
int fisc_render_json(const fisc_doc *d, FILE *out);
/* path: the workbook; NULL → a temporary workbook copied to out. */
int fisc_render_xlsx(const fisc_doc *d, const char *path, FILE *out);
/* path: a directory or a file-name prefix; NULL → every table to out. */
int fisc_render_csv(const fisc_doc *d, const char *path, FILE *out);
/* Plain text for a terminal or a pipe; tables as tab-separated rows. */
int fisc_render_text(const fisc_doc *d, FILE *out);
/* A Word document (OOXML, render_docx.c), written whole to out. */
int fisc_render_docx(const fisc_doc *d, FILE *out);
/* A PDF typeset with pango and cairo (render_pdf.c), written to out. */
int fisc_render_pdf(const fisc_doc *d, FILE *out);

/* --- escaping (render_escape.c) ------------------------------------------ */

enum {
	FISC_TEXT_NEWLINES = 1, /* pass '\n' through (else written "\n") */
	FISC_TEXT_TABS = 2,     /* pass '\t' through (else written "\t") */
	FISC_TEXT_FOLD = 4,     /* '\n', '\r' and '\t' become one space */
	FISC_TEXT_DQUOTE = 8,   /* '"' written twice (inside a quoted CSV field) */
	FISC_TEXT_HTML = 16     /* & < > " as entities */
};
/* s with every control character (C0, DEL, C1), bidi embedding, override or
** isolate, and every byte that is not UTF-8 written visibly ("\x1b",
** "\u202e"), never raw; '\n' and '\t' as `flags` allow. */
void fisc_put_text(const char *s, int flags, FILE *out);
/* s as Markdown inline text that renders as itself: metacharacters
** backslash-escaped (so no emphasis, code, link, raw HTML or table pipe
** survives), line breaks folded to spaces, invisible characters shown as in
** fisc_put_text. `line_start`: s begins a line, so list and setext markers
** there are escaped too. */
void fisc_put_md(const char *s, int line_start, FILE *out);
/* fisc_put_text(s, flags) into a new malloc'd string (NULL when out of
** memory): the text as formats that cannot escape control characters (XML,
** pango markup-free layout) may carry it. */
char *fisc_text_clean(const char *s, int flags);
/* Nonzero when s is a plain number as fisc prints one: an optional sign,
** digits with optional thousands commas, optional decimals, optional '%'. */
int fisc_text_is_number(const char *s);
/* Nonzero when a spreadsheet would read s as a formula (it begins with = + -
** @ TAB or CR) and it is not a plain number: CSV and TSV prefix it with '. */
int fisc_text_formula_risk(const char *s);

/* The header cell (an anchor, never COVERED) whose span covers (row, col),
** or NULL. */
const fisc_cell *fisc_head_anchor(const fisc_table *t, size_t row, size_t col);

/* The header of column `col` flattened to one line, for formats without
** merged cells: the texts of the header cells above it, top to bottom, joined
** with "/" and with repeats dropped ("财政拨款收入/一般公共预算"). */
void fisc_head_flat(const fisc_table *t, size_t col, char *buf, size_t cap);

/* The natural width of each of t->ncols columns in half-width character
** units (CJK counts two), for formats that lay tables out themselves (DOCX,
** PDF): the widest body cell, and header texts up to six characters. */
void fisc_table_widths(const fisc_table *t, double *w);

/* Column widths (in the same units) filling `avail`: proportional when the
** natural widths fit; else short columns keep their natural width and the
** widest share the rest, cut to one limit. */
void fisc_table_fit(const fisc_table *t, double avail, double *w);

/* Nonzero when t is wider than a portrait A4 page holds (more than 8
** columns, or about 110 half-width characters of natural width): DOCX and
** PDF put it on a landscape page, HTML lets it scroll. */
int fisc_table_wide(const fisc_table *t);

/* Nonzero when the body of column `col` holds amounts or percentages. */
int fisc_col_numeric(const fisc_table *t, size_t col);

/* Text of a cell as printed ("" for empty and covered cells). */
static inline const char *fisc_cell_str(const fisc_cell *c)
{
	return c && c->kind != FISC_CELL_EMPTY && c->kind != FISC_CELL_COVERED && c->text
		       ? c->text
		       : "";
}

#endif
