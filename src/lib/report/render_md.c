/*
** render_md.c — a fisc_doc as Markdown (GitHub-flavoured tables).
**
** Markdown has no merged cells, so a table's header rows are flattened into
** one ("财政拨款收入/一般公共预算"); amount and percentage columns are right
** aligned. Every piece of text goes through fisc_put_md: names come from
** imported files, and a pipe, a line break, a "[x](javascript:…)" or a
** "<script>" in a department's name must print as itself, not as markup that
** breaks the table, splits a heading or becomes a live link.
*/
#include <string.h>
#include "fisc/error.h"
#include "report/render.h"

static void put_table(const fisc_table *t, FILE *out)
{
	char buf[512];
	if (*t->title) {
		fputs("**", out);
		fisc_put_md(t->title, 0, out);
		fputs("**\n\n", out);
	}
	if (t->unit_label && t->nbody) {
		fisc_put_md(t->unit_label, 1, out);
		fputs("\n\n", out);
	}
	if (t->nbody) {
		fputc('|', out);
		for (size_t c = 0; c < t->ncols; c++) {
			fisc_head_flat(t, c, buf, sizeof buf);
			fputc(' ', out);
			fisc_put_md(buf, 0, out);
			fputs(" |", out);
		}
		fputs("\n|", out);
		for (size_t c = 0; c < t->ncols; c++)
			fputs(fisc_col_numeric(t, c) ? "---:|" : "---|", out);
		fputc('\n', out);
		for (size_t r = 0; r < t->nbody; r++) {
			fputc('|', out);
			for (size_t c = 0; c < t->ncols; c++) {
				fputc(' ', out);
				fisc_put_md(fisc_cell_str(&t->body[r][c]), 0, out);
				fputs(" |", out);
			}
			fputc('\n', out);
		}
		fputc('\n', out);
	} else {
		fisc_put_md(t->empty_text ? t->empty_text : "（本表无数据。）", 1, out);
		fputs("\n\n", out);
	}
	for (size_t i = 0; i < t->nnotes; i++) {
		fputs("> 注：", out);
		fisc_put_md(t->notes[i], 0, out);
		fputs("\n\n", out);
	}
}

int fisc_render_md(const fisc_doc *d, FILE *out)
{
	if (*d->title) {
		fputs("# ", out);
		fisc_put_md(d->title, 0, out);
		fputs("\n\n", out);
	}
	if (d->subtitle) {
		fisc_put_md(d->subtitle, 1, out);
		fputs("\n\n", out);
	}
	for (size_t i = 0; i < d->nblocks; i++) {
		const fisc_block *b = &d->blocks[i];
		switch (b->kind) {
		case FISC_BLOCK_HEADING:
			for (int l = 0; l <= b->level; l++)
				fputc('#', out);
			fputc(' ', out);
			fisc_put_md(b->text, 0, out);
			fputs("\n\n", out);
			break;
		case FISC_BLOCK_PARAGRAPH:
			fisc_put_md(b->text, 1, out);
			fputs("\n\n", out);
			break;
		case FISC_BLOCK_NOTE:
			fputs("> 注：", out);
			fisc_put_md(b->text, 0, out);
			fputs("\n\n", out);
			break;
		case FISC_BLOCK_TABLE:
			put_table(b->table, out);
			break;
		}
	}
	return ferror(out) ? fisc_error_set(FISC_EIO, "写出失败 / write failed") : FISC_OK;
}
