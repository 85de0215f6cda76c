/*
** render_text.c — a fisc_doc as plain text for a terminal or a pipe (format
** "text", also called "tsv"): headings as "## …" lines, paragraphs one per
** line, notes as "注：…", tables as tab-separated rows (header rows
** flattened as in Markdown) under a "title（单位：万元）" line when the table
** has a title. A document with no titles (a single balance table) is bare
** TSV, the layout of the published 收支平衡情况表.
**
** Nothing from the data reaches the terminal raw: control characters, bidi
** overrides and invalid bytes are shown as "\x1b" / "\u202e"; a tab or line
** break inside a cell is shown as "\t" / "\n" so it cannot add a column or a
** row; a text cell a spreadsheet would run as a formula gets a leading '.
*/
#include "fisc/error.h"
#include "report/render.h"

static void cell(const fisc_cell *x, FILE *out)
{
	const char *s = fisc_cell_str(x);
	if (x->kind == FISC_CELL_TEXT && fisc_text_formula_risk(s))
		fputc('\'', out);
	fisc_put_text(s, 0, out);
}

static void put_table(const fisc_table *t, FILE *out)
{
	char buf[512];
	if (*t->title) {
		fisc_put_text(t->title, FISC_TEXT_FOLD, out);
		if (t->unit_label) {
			fputs("（", out);
			fisc_put_text(t->unit_label, FISC_TEXT_FOLD, out);
			fputs("）", out);
		}
		fputc('\n', out);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		fisc_head_flat(t, c, buf, sizeof buf);
		if (c)
			fputc('\t', out);
		if (fisc_text_formula_risk(buf))
			fputc('\'', out);
		fisc_put_text(buf, 0, out);
	}
	fputc('\n', out);
	if (!t->nbody) {
		fisc_put_text(t->empty_text ? t->empty_text : "（本表无数据。）", FISC_TEXT_FOLD, out);
		fputc('\n', out);
	}
	for (size_t r = 0; r < t->nbody; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				fputc('\t', out);
			cell(&t->body[r][c], out);
		}
		fputc('\n', out);
	}
	for (size_t i = 0; i < t->nnotes; i++) {
		fputs("注：", out);
		fisc_put_text(t->notes[i], FISC_TEXT_FOLD, out);
		fputc('\n', out);
	}
}

int fisc_render_text(const fisc_doc *d, FILE *out)
{
	/* Blocks are separated by a blank line, except that consecutive
	** paragraphs and notes follow each other line by line. */
	int any = 0, prose = 0;
	if (*d->title) {
		fputs("# ", out);
		fisc_put_text(d->title, FISC_TEXT_FOLD, out);
		fputc('\n', out);
		any = 1;
	}
	if (d->subtitle) {
		fisc_put_text(d->subtitle, FISC_TEXT_FOLD, out);
		fputc('\n', out);
		any = 1;
	}
	for (size_t i = 0; i < d->nblocks; i++) {
		const fisc_block *b = &d->blocks[i];
		int is_prose = b->kind == FISC_BLOCK_PARAGRAPH || b->kind == FISC_BLOCK_NOTE;
		if (any && !(is_prose && prose))
			fputc('\n', out);
		any = 1;
		prose = is_prose;
		switch (b->kind) {
		case FISC_BLOCK_HEADING:
			for (int l = 0; l <= b->level; l++)
				fputc('#', out);
			fputc(' ', out);
			fisc_put_text(b->text, FISC_TEXT_FOLD, out);
			fputc('\n', out);
			break;
		case FISC_BLOCK_PARAGRAPH:
			fisc_put_text(b->text, FISC_TEXT_FOLD, out);
			fputc('\n', out);
			break;
		case FISC_BLOCK_NOTE:
			fputs("注：", out);
			fisc_put_text(b->text, FISC_TEXT_FOLD, out);
			fputc('\n', out);
			break;
		case FISC_BLOCK_TABLE:
			put_table(b->table, out);
			break;
		}
	}
	return ferror(out) ? fisc_error_set(FISC_EIO, "写出失败 / write failed") : FISC_OK;
}
