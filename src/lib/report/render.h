/*
** render.h — the renderers of fisc_doc (one file each: render_md.c,
** render_html.c, render_json.c, render_xlsx.c, render_csv.c) and the few
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

/* The header cell (an anchor, never COVERED) whose span covers (row, col),
** or NULL. */
const fisc_cell *fisc_head_anchor(const fisc_table *t, size_t row, size_t col);

/* The header of column `col` flattened to one line, for formats without
** merged cells: the texts of the header cells above it, top to bottom, joined
** with "/" and with repeats dropped ("财政拨款收入/一般公共预算"). */
void fisc_head_flat(const fisc_table *t, size_t col, char *buf, size_t cap);

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
