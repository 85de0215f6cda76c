/*
** render_md.c — a fisc_doc as Markdown (GitHub-flavoured tables).
**
** Markdown has no merged cells, so a table's header rows are flattened into
** one ("财政拨款收入/一般公共预算"); amount and percentage columns are right
** aligned. Pipes and line breaks inside cells are escaped so a cell never
** breaks the table.
*/
#include <string.h>
#include "fisc/error.h"
#include "report/render.h"

static void put_cell(const char *s, FILE *out)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', out);
		else
			fputc(*s, out);
	}
}

static void put_table(const fisc_table *t, FILE *out)
{
	char buf[512];
	if (*t->title)
		fprintf(out, "**%s**\n\n", t->title);
	if (t->unit_label && t->nbody)
		fprintf(out, "%s\n\n", t->unit_label);
	if (t->nbody) {
		fputc('|', out);
		for (size_t c = 0; c < t->ncols; c++) {
			fisc_head_flat(t, c, buf, sizeof buf);
			fputc(' ', out);
			put_cell(buf, out);
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
				put_cell(fisc_cell_str(&t->body[r][c]), out);
				fputs(" |", out);
			}
			fputc('\n', out);
		}
		fputc('\n', out);
	} else {
		fprintf(out, "%s\n\n", t->empty_text ? t->empty_text : "（本表无数据。）");
	}
	for (size_t i = 0; i < t->nnotes; i++)
		fprintf(out, "> 注：%s\n\n", t->notes[i]);
}

int fisc_render_md(const fisc_doc *d, FILE *out)
{
	fprintf(out, "# %s\n\n", d->title);
	if (d->subtitle)
		fprintf(out, "%s\n\n", d->subtitle);
	for (size_t i = 0; i < d->nblocks; i++) {
		const fisc_block *b = &d->blocks[i];
		switch (b->kind) {
		case FISC_BLOCK_HEADING:
			for (int l = 0; l <= b->level; l++)
				fputc('#', out);
			fprintf(out, " %s\n\n", b->text);
			break;
		case FISC_BLOCK_PARAGRAPH:
			fprintf(out, "%s\n\n", b->text);
			break;
		case FISC_BLOCK_NOTE:
			fprintf(out, "> 注：%s\n\n", b->text);
			break;
		case FISC_BLOCK_TABLE:
			put_table(b->table, out);
			break;
		}
	}
	return ferror(out) ? fisc_error_set(FISC_EIO, "写出失败 / write failed") : FISC_OK;
}
