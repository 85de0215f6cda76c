/*
** glossary.c — the 名词解释 at the end of a report: the definitions of the
** terms the document actually uses, taken from data/glossary.csv.
**
** The definitions are data (term,definition; one term a row, in the order
** they should be printed) so that a finance bureau can word them its own way
** without a rebuild. A term is included when it occurs anywhere in the
** document's headings, paragraphs, notes, table titles or cells.
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/*
** The file as last parsed, kept for the process: `report --all-regions`
** appends a glossary to every one of 1,664 reports, and `fisc serve` to
** every report it renders. It is read again when the file changes (path,
** inode, size, modification time), so an edited glossary shows at once. A
** parse is shared by the threads that use it (refs) and freed by the last
** one once a newer parse has replaced it.
*/
typedef struct parsed {
	reader r; /* entries in r.a */
	char path[4096];
	struct stat sb;
	int refs; /* users, plus one while it is the kept parse */
} parsed;

static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static parsed *kept;

static void release(parsed *p)
{
	pthread_mutex_lock(&kept_lock);
	int last = --p->refs == 0;
	pthread_mutex_unlock(&kept_lock);
	if (last) {
		fisc_arena_free(p->r.a);
		free(p);
	}
}

static int same_file(const parsed *p, const char *path, const struct stat *sb)
{
	return !strcmp(p->path, path) && p->sb.st_ino == sb->st_ino && p->sb.st_dev == sb->st_dev &&
	       p->sb.st_size == sb->st_size && p->sb.st_mtim.tv_sec == sb->st_mtim.tv_sec &&
	       p->sb.st_mtim.tv_nsec == sb->st_mtim.tv_nsec;
}

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
	struct stat sb;
	parsed *p = NULL;
	int have = stat(path, &sb) == 0;
	pthread_mutex_lock(&kept_lock);
	if (have && kept && same_file(kept, path, &sb)) {
		p = kept;
		p->refs++;
	}
	pthread_mutex_unlock(&kept_lock);
	if (!p) {
		size_t len = 0;
		char *buf = fisc_read_file(path, &len);
		if (!buf) {
			fisc_doc_heading(d, level, "%s", heading);
			fisc_doc_note(d, "名词解释数据（%s）无法读取，本节从略。", path);
			return FISC_OK;
		}
		p = calloc(1, sizeof *p);
		fisc_arena *a = p ? fisc_arena_new() : NULL;
		if (!a) {
			free(p);
			free(buf);
			return d->rc = FISC_ENOMEM;
		}
		p->r.a = a;
		p->refs = 1;
		fisc_diag *diag = fisc_diag_new();
		int rc = diag ? fisc_csv_read(path, buf, len, on_row, &p->r, diag) : FISC_ENOMEM;
		fisc_diag_free(diag);
		free(buf);
		if (p->r.rc || rc != FISC_OK) {
			int orc = p->r.rc;
			release(p);
			if (orc)
				return d->rc = orc;
			fisc_doc_heading(d, level, "%s", heading);
			fisc_doc_note(d, "名词解释数据（%s）格式有误，本节从略。", path);
			return FISC_OK;
		}
		/* Kept when the file did not change while it was read. */
		snprintf(p->path, sizeof p->path, "%s", path);
		p->sb = sb;
		struct stat after;
		if (have && stat(path, &after) == 0 && same_file(p, path, &after)) {
			pthread_mutex_lock(&kept_lock);
			parsed *old = kept;
			kept = p;
			p->refs++;
			pthread_mutex_unlock(&kept_lock);
			if (old)
				release(old);
		}
	}
	const reader *r = &p->r;
	/* Decide on the document as it is now, before the glossary is added. */
	int *want = fisc_arena_alloc(d->a, (r->n + 1) * sizeof *want);
	if (!want) {
		release(p);
		return d->rc = FISC_ENOMEM;
	}
	size_t nwant = 0;
	for (size_t i = 0; i < r->n; i++)
		if ((want[i] = used(d, r->v[i].term)))
			nwant++;
	if (nwant) {
		fisc_doc_heading(d, level, "%s", heading);
		for (size_t i = 0; i < r->n; i++)
			if (want[i])
				fisc_doc_para(d, "【%s】%s", r->v[i].term, r->v[i].definition);
	}
	release(p);
	return FISC_OK;
}
