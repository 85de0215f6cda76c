/*
** glossary.c — the 名词解释 at the end of a report: the definitions of the
** terms the document actually uses, taken from data/glossary.csv.
**
** The definitions are data (term,definition; one term a row, in the order
** they should be printed) so that a finance bureau can word them its own way
** without a rebuild. A term is included when it occurs anywhere in the
** document's headings, paragraphs, notes, table titles or cells.
*/
#include <stdlib.h>
#include <string.h>
#include "fisc/catalog.h"
#include "fisc/error.h"
#include "import/rows.h"
#include "model/util.h"
#include "report/rep.h"

typedef struct entry {
	const char *term, *definition;
} entry;

typedef struct reader {
	fisc_arena *a;
	entry *v;
	size_t n, cap;
	int header_seen;
	int rc;
} reader;

static int on_row(void *ud, const fisc_row *row)
{
	reader *r = ud;
	if (!r->header_seen) { /* term,definition */
		r->header_seen = 1;
		return 0;
	}
	if (row->ncells < 2 || !*row->cells[0] || !*row->cells[1])
		return 0;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		entry *v = fisc_arena_alloc(r->a, cap * sizeof *v);
		if (!v)
			return r->rc = FISC_ENOMEM;
		if (r->n)
			memcpy(v, r->v, r->n * sizeof *v);
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n].term = fisc_arena_strdup(r->a, row->cells[0]);
	r->v[r->n].definition = fisc_arena_strdup(r->a, row->cells[1]);
	if (!r->v[r->n].term || !r->v[r->n].definition)
		return r->rc = FISC_ENOMEM;
	r->n++;
	return 0;
}

static int in_cells(fisc_cell *const *rows, size_t n, size_t ncols, const char *term)
{
	for (size_t i = 0; i < n; i++)
		for (size_t c = 0; c < ncols; c++)
			if (rows[i][c].kind == FISC_CELL_TEXT && rows[i][c].text &&
			    strstr(rows[i][c].text, term))
				return 1;
	return 0;
}

static int used(const fisc_doc *d, const char *term)
{
	if (strstr(d->title, term))
		return 1;
	for (size_t i = 0; i < d->nblocks; i++) {
		const fisc_block *b = &d->blocks[i];
		if (b->text && strstr(b->text, term))
			return 1;
		if (b->table) {
			const fisc_table *t = b->table;
			if (strstr(t->title, term) || in_cells(t->head, t->nhead, t->ncols, term) ||
			    in_cells(t->body, t->nbody, t->ncols, term))
				return 1;
		}
	}
	return 0;
}

int fisc_glossary_append(fisc_doc *d, int level, const char *heading)
{
	char path[4096];
	const char *datadir = fisc_datadir();
	snprintf(path, sizeof path, "%s/glossary.csv", datadir ? datadir : "$FISC_DATADIR");
	size_t len = 0;
	char *buf = fisc_read_file(path, &len);
	if (!buf) {
		fisc_doc_heading(d, level, "%s", heading);
		fisc_doc_note(d, "名词解释数据（%s）无法读取，本节从略。", path);
		return FISC_OK;
	}
	reader r = {d->a, NULL, 0, 0, 0, FISC_OK};
	fisc_diag *diag = fisc_diag_new();
	int rc = diag ? fisc_csv_read(path, buf, len, on_row, &r, diag) : FISC_ENOMEM;
	fisc_diag_free(diag);
	free(buf);
	if (r.rc)
		return d->rc = r.rc;
	if (rc != FISC_OK) {
		fisc_doc_heading(d, level, "%s", heading);
		fisc_doc_note(d, "名词解释数据（%s）格式有误，本节从略。", path);
		return FISC_OK;
	}
	/* Decide on the document as it is now, before the glossary is added. */
	int *want = fisc_arena_alloc(d->a, (r.n + 1) * sizeof *want);
	if (!want)
		return d->rc = FISC_ENOMEM;
	size_t nwant = 0;
	for (size_t i = 0; i < r.n; i++)
		if ((want[i] = used(d, r.v[i].term)))
			nwant++;
	if (!nwant)
		return FISC_OK;
	fisc_doc_heading(d, level, "%s", heading);
	for (size_t i = 0; i < r.n; i++)
		if (want[i])
			fisc_doc_para(d, "【%s】%s", r.v[i].term, r.v[i].definition);
	return FISC_OK;
}
