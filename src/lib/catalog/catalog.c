/*
** catalog.c — one year's classification catalogue in memory, with fisc's
** balance lines and the alias table, and the loaders that put them into a
** store from CSV data (the bundled draft, or an official edition).
**
** Everything here is data: no code or name of the classification appears in
** this file. Names are compared after NFKC and with white space removed, so
** full-width and half-width brackets, and stray spaces, do not matter.
*/
#include <assert.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>
#include "fisc/catalog.h"
#include "fisc/error.h"
#include "store/backend.h"
#include "import/rows.h"
#include "model/strmap.h"
#include "model/util.h"

struct fisc_catalog {
	fisc_arena *arena;
	int refs;     /* the caller's, and the store handle's while it keeps it */
	int edition;
	fisc_catalog_entry *entries;
	size_t nentries, capentries;
	fisc_line *lines;
	size_t nlines, caplines;
	fisc_strmap by_code, by_name;        /* → fisc_catalog_entry */
	fisc_strmap line_by_id, line_by_name; /* → fisc_line */
	fisc_strmap line_by_prefix;          /* code prefix → fisc_line */
	/* Every line id, and every entry's code, → the line it counts towards
	** (fisc_catalog_line_of's answer, worked out once at load: a report
	** asks it for each fact many times); parent[i]: the parent of
	** lines[i] (NULL for a root). Read-only after load, so that threads may
	** share a catalogue. */
	fisc_strmap line_of;
	const fisc_line **parent;
	fisc_strmap alias_any;               /* normalised alias → target */
	fisc_strmap alias_book[5];
};

/*
** The bundled data directory is looked for at run time, so that one build
** works installed, staged under a DESTDIR, moved elsewhere, or uninstalled in
** its source tree. In order:
**   1. $FISC_DATADIR: an explicit choice; when it is wrong that is an error,
**      not a reason to fall back to another copy of the data;
**   2. the installed path, PKGDATADIR compiled in by the Makefile;
**   3. PREFIX/share/fisc for the PREFIX/lib holding libfisc.so itself;
**   4. PREFIX/share/fisc for the PREFIX/bin holding the program (/proc/self/exe);
**   5. data/ of the source tree when libfisc.so or the program is an
**      uninstalled build/libfisc.so or build/fisc.
** A directory counts when it holds classification/EDITION, the first file a
** seed reads. The candidates other than 1 depend only on how the process was
** built and started, so they are computed once and never change: the
** returned pointer stays valid and calls from any thread are safe.
*/
#ifndef FISC_INSTALL_DATADIR
#define FISC_INSTALL_DATADIR "/usr/local/share/fisc"
#endif
#define DATADIR_MARK "classification/EDITION"

enum { NCANDIDATES = 5 };
static char candidates[NCANDIDATES][PATH_MAX];
static size_t ncandidates;
static pthread_once_t candidates_once = PTHREAD_ONCE_INIT;

/* Append `dir`/`rel` to the candidates, unless it is already there. */
static void add_candidate(const char *dir, const char *rel)
{
	if (ncandidates == NCANDIDATES)
		return;
	char *c = candidates[ncandidates];
	int n = rel ? snprintf(c, PATH_MAX, "%s/%s", dir, rel) : snprintf(c, PATH_MAX, "%s", dir);
	if (n < 0 || n >= PATH_MAX)
		return;
	for (size_t i = 0; i < ncandidates; i++)
		if (!strcmp(candidates[i], c))
			return;
	ncandidates++;
}

/* The directory above the one holding `file` (canonical path), in `buf`:
** /usr/lib/libfisc.so.0 → /usr, /src/fisc/build/fisc → /src/fisc.
** "" when unknown. */
static void prefix_of(const char *file, char buf[PATH_MAX])
{
	if (file && *file && realpath(file, buf)) {
		char *slash = strrchr(buf, '/');
		if (slash) {
			*slash = 0;
			if ((slash = strrchr(buf, '/'))) {
				*slash = 0;
				return;
			}
		}
	}
	buf[0] = 0;
}

static void find_candidates(void)
{
	char lib[PATH_MAX] = "", exe[PATH_MAX];
	Dl_info self;
	/* In a statically linked program dladdr names the program itself: then
	** lib and exe are the same and add_candidate drops the repeats. */
	if (dladdr((void *)fisc_datadir, &self))
		prefix_of(self.dli_fname, lib);
	prefix_of("/proc/self/exe", exe);
	add_candidate(FISC_INSTALL_DATADIR, NULL);
	if (*lib)
		add_candidate(lib, "share/fisc");
	if (*exe)
		add_candidate(exe, "share/fisc");
	if (*lib)
		add_candidate(lib, "data");
	if (*exe)
		add_candidate(exe, "data");
	assert(ncandidates <= NCANDIDATES);
}

static int holds_data(const char *dir)
{
	char mark[PATH_MAX];
	int n = snprintf(mark, sizeof mark, "%s/" DATADIR_MARK, dir);
	return n > 0 && n < (int)sizeof mark && access(mark, R_OK) == 0;
}

const char *fisc_datadir(void)
{
	const char *env = getenv("FISC_DATADIR");
	if (env && *env) {
		if (holds_data(env))
			return env;
		fisc_error_set(FISC_ENOTFOUND,
			       "FISC_DATADIR=%s 不是 fisc 数据目录（缺少 %s）/ FISC_DATADIR=%s is not "
			       "a fisc data directory (no %s in it)",
			       env, DATADIR_MARK, env, DATADIR_MARK);
		return NULL;
	}
	pthread_once(&candidates_once, find_candidates);
	for (size_t i = 0; i < ncandidates; i++)
		if (holds_data(candidates[i]))
			return candidates[i];
	char looked[3 * PATH_MAX] = "";
	size_t used = 0;
	for (size_t i = 0; i < ncandidates && used < sizeof looked; i++) {
		int n = snprintf(looked + used, sizeof looked - used, "%s%s", i ? ", " : "",
				 candidates[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	fisc_error_set(FISC_ENOTFOUND,
		       "找不到 fisc 数据目录（含 %s 的目录），请设置 FISC_DATADIR / fisc data "
		       "directory not found (one holding %s); set FISC_DATADIR. 已查找 / looked in: "
		       "$FISC_DATADIR (未设置 / not set), %s",
		       DATADIR_MARK, DATADIR_MARK, looked);
	return NULL;
}

/* NFKC, then drop white space: the form names are compared in. */
static char *norm(fisc_arena *a, const char *s)
{
	char *n = (char *)utf8proc_NFKC((const utf8proc_uint8_t *)s);
	if (!n)
		return fisc_arena_strdup(a, s);
	char *w = n;
	for (char *r = n; *r; r++)
		if (*r != ' ' && *r != '\t' && *r != '\r' && *r != '\n')
			*w++ = *r;
	*w = 0;
	char *out = fisc_arena_strdup(a, n);
	free(n);
	return out;
}

static int add_entry(void *ud, const fisc_catalog_entry *e)
{
	fisc_catalog *c = ud;
	if (fisc_grow(&c->entries, &c->capentries, c->nentries + 1, sizeof *c->entries))
		return FISC_ENOMEM;
	fisc_catalog_entry *d = &c->entries[c->nentries++];
	d->code = fisc_arena_strdup(c->arena, e->code);
	d->name = fisc_arena_strdup(c->arena, e->name);
	d->parent = fisc_arena_strdup(c->arena, e->parent);
	d->level = e->level;
	d->kind = e->kind;
	return FISC_OK;
}

static int add_line(void *ud, const fisc_line *l)
{
	fisc_catalog *c = ud;
	if (fisc_grow(&c->lines, &c->caplines, c->nlines + 1, sizeof *c->lines))
		return FISC_ENOMEM;
	fisc_line *d = &c->lines[c->nlines++];
	d->id = fisc_arena_strdup(c->arena, l->id);
	d->name = fisc_arena_strdup(c->arena, l->name);
	d->side = fisc_arena_strdup(c->arena, l->side);
	d->parent = fisc_arena_strdup(c->arena, l->parent);
	d->codes = fisc_arena_strdup(c->arena, l->codes);
	d->order = l->order;
	return FISC_OK;
}

static int add_alias(void *ud, const fisc_alias *al)
{
	fisc_catalog *c = ud;
	fisc_strmap *m = al->book >= 0 && al->book <= 4 ? &c->alias_book[al->book]
							: &c->alias_any;
	return fisc_strmap_put(m, norm(c->arena, al->alias),
			       fisc_arena_strdup(c->arena, al->target))
		       ? FISC_ENOMEM
		       : FISC_OK;
}

void fisc_catalog_free(fisc_catalog *c)
{
	if (!c || --c->refs > 0)
		return;
	fisc_strmap_free(&c->by_code);
	fisc_strmap_free(&c->by_name);
	fisc_strmap_free(&c->line_by_id);
	fisc_strmap_free(&c->line_by_name);
	fisc_strmap_free(&c->line_by_prefix);
	fisc_strmap_free(&c->line_of);
	free(c->parent);
	fisc_strmap_free(&c->alias_any);
	for (int i = 0; i < 5; i++)
		fisc_strmap_free(&c->alias_book[i]);
	free(c->entries);
	free(c->lines);
	fisc_arena_free(c->arena);
	free(c);
}

/* The catalogue kept by the handle, when it is this edition's and nobody
** has written the store since it was read: a report builds a dozen
** balances, each of which needs the catalogue, and `report --all-regions`
** builds a report per region — read once, not once per balance. */
static fisc_catalog *cached(fisc_store *st, int edition, int64_t *version)
{
	*version = -1;
	if (!st->vt->data_version || fisc_store_data_version(st, version) != FISC_OK)
		return NULL;
	fisc_catalog *c = st->cat_cache;
	if (c && (c->edition != edition || st->cat_version != *version || st->in_txn)) {
		fisc_catalog_free(c);
		st->cat_cache = c = NULL;
	}
	return c;
}

/* The line whose code prefixes are the longest prefix of code. */
static const fisc_line *line_by_prefix(const fisc_catalog *c, const char *code)
{
	const fisc_line *l;
	for (size_t n = strlen(code); n > 0; n--)
		if ((l = fisc_strmap_getn(&c->line_by_prefix, code, n)))
			return l;
	return NULL;
}

int fisc_catalog_load(fisc_store *st, int year, fisc_catalog **out)
{
	int rc, edition;
	int64_t version;
	*out = NULL;
	if ((rc = fisc_store_edition_for(st, year, &edition)))
		return rc;
	fisc_catalog *c = cached(st, edition, &version);
	if (c) {
		c->refs++;
		*out = c;
		return FISC_OK;
	}
	c = calloc(1, sizeof *c);
	if (!c || !(c->arena = fisc_arena_new())) {
		free(c);
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	c->refs = 1;
	c->edition = edition;
	if ((rc = fisc_store_catalog_each(st, c->edition, add_entry, c)) ||
	    (rc = fisc_store_line_each(st, add_line, c)) ||
	    (rc = fisc_store_alias_each(st, add_alias, c)))
		goto fail;
	/* Maps are built after the arrays stop growing, so pointers are stable. */
	for (size_t i = 0; i < c->nentries; i++) {
		fisc_catalog_entry *e = &c->entries[i];
		if (fisc_strmap_put(&c->by_code, e->code, e))
			goto oom;
		char *n = norm(c->arena, e->name);
		/* The first entry with a name wins: the 类 before a 款 of the same name. */
		if (!fisc_strmap_get(&c->by_name, n) && fisc_strmap_put(&c->by_name, n, e))
			goto oom;
	}
	for (size_t i = 0; i < c->nlines; i++) {
		fisc_line *l = &c->lines[i];
		if (fisc_strmap_put(&c->line_by_id, l->id, l) ||
		    fisc_strmap_put(&c->line_by_name, norm(c->arena, l->name), l))
			goto oom;
		const char *p = l->codes;
		while (*p) {
			while (*p == ' ')
				p++;
			const char *q = p;
			while (*q && *q != ' ')
				q++;
			if (q > p &&
			    fisc_strmap_put(&c->line_by_prefix,
					    fisc_arena_strndup(c->arena, p, (size_t)(q - p)), l))
				goto oom;
			p = q;
		}
	}
	if (!(c->parent = calloc(c->nlines + 1, sizeof *c->parent)))
		goto oom;
	for (size_t i = 0; i < c->nlines; i++) {
		fisc_line *l = &c->lines[i];
		c->parent[i] = *l->parent ? fisc_strmap_get(&c->line_by_id, l->parent) : NULL;
		if (fisc_strmap_put(&c->line_of, l->id, l))
			goto oom;
	}
	for (size_t i = 0; i < c->nentries; i++) {
		const char *code = c->entries[i].code;
		const fisc_line *l = fisc_strmap_get(&c->line_of, code) ? NULL : line_by_prefix(c, code);
		if (l && fisc_strmap_put(&c->line_of, code, (void *)l))
			goto oom;
	}
	if (version >= 0 && !st->in_txn) {
		c->refs++; /* the handle's */
		st->cat_cache = c;
		st->cat_version = version;
	}
	*out = c;
	return FISC_OK;
oom:
	rc = fisc_error_set(FISC_ENOMEM, "out of memory");
fail:
	fisc_catalog_free(c);
	return rc;
}

int fisc_catalog_edition(const fisc_catalog *c) { return c->edition; }

const fisc_catalog_entry *fisc_catalog_get(const fisc_catalog *c, const char *code)
{
	return fisc_strmap_get(&c->by_code, code);
}

const fisc_catalog_entry *fisc_catalog_by_name(const fisc_catalog *c, const char *name)
{
	fisc_arena *a = fisc_arena_new();
	if (!a)
		return NULL;
	const fisc_catalog_entry *e = fisc_strmap_get(&c->by_name, norm(a, name));
	fisc_arena_free(a);
	return e;
}

const fisc_line *fisc_catalog_line(const fisc_catalog *c, const char *id)
{
	return fisc_strmap_get(&c->line_by_id, id);
}

size_t fisc_catalog_line_count(const fisc_catalog *c) { return c->nlines; }

const fisc_line *fisc_catalog_line_at(const fisc_catalog *c, size_t i)
{
	return i < c->nlines ? &c->lines[i] : NULL;
}

const char *fisc_catalog_resolve(const fisc_catalog *c, const char *text, int book)
{
	const fisc_catalog_entry *e;
	const fisc_line *l;
	const char *t;
	if (!text || !*text)
		return NULL;
	if ((e = fisc_strmap_get(&c->by_code, text)))
		return e->code;
	if ((l = fisc_strmap_get(&c->line_by_id, text)))
		return l->id;
	fisc_arena *a = fisc_arena_new();
	if (!a)
		return NULL;
	const char *n = norm(a, text);
	const char *res = NULL;
	if ((e = fisc_strmap_get(&c->by_code, n)))
		res = e->code;
	else if ((l = fisc_strmap_get(&c->line_by_id, n)))
		res = l->id;
	else if ((l = fisc_strmap_get(&c->line_by_name, n)))
		res = l->id;
	else if (book >= 0 && book <= 4 && (t = fisc_strmap_get(&c->alias_book[book], n)))
		res = t;
	else if ((t = fisc_strmap_get(&c->alias_any, n)))
		res = t;
	else if ((e = fisc_strmap_get(&c->by_name, n)))
		res = e->code;
	fisc_arena_free(a);
	/* An alias may name a code or a line; hand back the catalogue's copy. */
	if (res) {
		if ((e = fisc_strmap_get(&c->by_code, res)))
			return e->code;
		if ((l = fisc_strmap_get(&c->line_by_id, res)))
			return l->id;
		return NULL; /* alias to something this edition lacks */
	}
	return NULL;
}

const fisc_line *fisc_catalog_line_of(const fisc_catalog *c, const char *item)
{
	const fisc_line *l = fisc_strmap_get(&c->line_of, item);
	if (l)
		return l;
	return line_by_prefix(c, item); /* not a line id nor a code of the catalogue */
}

int fisc_catalog_line_under(const fisc_catalog *c, const fisc_line *l, const char *top)
{
	return fisc_catalog_line_within(c, l, fisc_strmap_get(&c->line_by_id, top));
}

int fisc_catalog_line_within(const fisc_catalog *c, const fisc_line *l, const fisc_line *t)
{
	for (int depth = 0; t && l && depth < 16; depth++) {
		if (l == t)
			return 1;
		l = c->parent[l - c->lines];
	}
	return 0;
}

const char *fisc_catalog_item_name(const fisc_catalog *c, const char *item)
{
	const fisc_line *l = fisc_strmap_get(&c->line_by_id, item);
	if (l)
		return l->name;
	const fisc_catalog_entry *e = fisc_strmap_get(&c->by_code, item);
	return e ? e->name : item;
}

/* --- loading CSV data into a store ------------------------------------ */

typedef struct loader {
	fisc_store *st;
	fisc_diag *diag;
	int year, kind;
	int what;               /* 0 catalogue, 1 lines, 2 aliases */
	int col[8];             /* column index of each wanted field, or -1 */
	int header_done;
	int rc;
} loader;

static const char *const cat_cols[] = {"code", "name", "level", "parent_code"};
static const char *const line_cols[] = {"id", "name", "side", "parent", "codes", "order"};
static const char *const alias_cols[] = {"alias", "target", "book"};

static const char *const *wanted(int what, size_t *n)
{
	switch (what) {
	case 0: *n = 4; return cat_cols;
	case 1: *n = 6; return line_cols;
	default: *n = 3; return alias_cols;
	}
}

static const char *cell(const fisc_row *row, int i)
{
	return i >= 0 && (size_t)i < row->ncells ? row->cells[i] : "";
}

static int load_row(void *ud, const fisc_row *row)
{
	loader *L = ud;
	size_t nw;
	const char *const *w = wanted(L->what, &nw);
	if (!L->header_done) {
		for (size_t j = 0; j < nw; j++) {
			L->col[j] = -1;
			for (size_t i = 0; i < row->ncells; i++)
				if (strcmp(row->cells[i], w[j]) == 0)
					L->col[j] = (int)i;
			/* parent/codes/order/book are optional; the rest are not. */
			int optional = (L->what == 0 && j == 3) || (L->what == 1 && j >= 3) ||
				       (L->what == 2 && j == 2);
			if (L->col[j] < 0 && !optional) {
				char zh[128], en[128];
				snprintf(zh, sizeof zh, "缺少列「%s」", w[j]);
				snprintf(en, sizeof en, "missing column '%s'", w[j]);
				L->rc = fisc_diag_add(L->diag, row->file, row->line, NULL, w[j],
						      FISC_DIAG_MISSING_COLUMN, zh, en);
				return L->rc;
			}
		}
		L->header_done = 1;
		return 0;
	}
	int rc = FISC_OK;
	if (L->what == 0) {
		fisc_catalog_entry e = {cell(row, L->col[0]), cell(row, L->col[1]),
					cell(row, L->col[3]), atoi(cell(row, L->col[2])), L->kind};
		if (!*e.code || !*e.name || e.level < 1 || e.level > 4) {
			fisc_diag_add(L->diag, row->file, row->line, NULL, "code",
				      FISC_DIAG_BAD_VALUE, "科目行缺少代码、名称或级次无效",
				      "catalogue row lacks a code or name, or has a bad level");
			L->rc = FISC_EIMPORT;
			return 0;
		}
		rc = fisc_store_catalog_put(L->st, L->year, &e);
	} else if (L->what == 1) {
		fisc_line l = {cell(row, L->col[0]), cell(row, L->col[1]), cell(row, L->col[2]),
			       cell(row, L->col[3]), cell(row, L->col[4]),
			       atoi(cell(row, L->col[5]))};
		rc = fisc_store_line_put(L->st, &l);
	} else {
		const char *b = cell(row, L->col[2]);
		int book = *b ? fisc_book_parse(b, strlen(b)) : -1;
		fisc_alias al = {cell(row, L->col[0]), cell(row, L->col[1]), book};
		if (*b && book < 0) {
			fisc_diag_add(L->diag, row->file, row->line, NULL, "book",
				      FISC_DIAG_BAD_VALUE, "无法识别的预算类别", "unknown book");
			L->rc = FISC_EIMPORT;
			return 0;
		}
		rc = fisc_store_alias_put(L->st, &al);
	}
	if (rc != FISC_OK)
		L->rc = rc;
	return rc;
}

static int load_file(fisc_store *st, fisc_diag *diag, const char *path, int what,
		     int year, int kind, int required)
{
	size_t len;
	char *buf = fisc_read_file(path, &len);
	if (!buf) {
		if (!required && errno == ENOENT)
			return FISC_OK;
		return fisc_error_set(FISC_EIO, "无法读取「%s」/ cannot read '%s'", path, path);
	}
	loader L = {st, diag, year, kind, what, {0}, 0, FISC_OK};
	int rc = fisc_csv_read(path, buf, len, load_row, &L, diag);
	free(buf);
	if (rc == FISC_OK)
		rc = L.rc;
	if (rc == FISC_OK && !L.header_done)
		rc = fisc_error_set(FISC_EINVAL, "「%s」是空文件 / '%s' is empty", path, path);
	return rc;
}

/* DIR/NAME into buf; FISC_EINVAL when it does not fit. */
static int join(char *buf, size_t cap, const char *dir, const char *name)
{
	int n = snprintf(buf, cap, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= cap)
		return fisc_error_set(FISC_EINVAL, "路径过长 / path too long: %s", dir);
	return FISC_OK;
}

/* One transaction: the edition of `year` from DIR (when want_catalog), then
** DIR/lines.csv and DIR/aliases.csv (required when lines_required). */
static int load_dir(fisc_store *st, int year, const char *dir, int want_catalog,
		    int lines_required)
{
	static const struct {
		const char *file;
		int kind;
	} files[] = {
		{"revenue.csv", FISC_CAT_REVENUE},
		{"expenditure_function.csv", FISC_CAT_FUNCTION},
		{"expenditure_economic_government.csv", FISC_CAT_ECON_GOV},
		{"expenditure_economic_department.csv", FISC_CAT_ECON_DEPT},
	};
	char path[4096];
	fisc_diag *diag = fisc_diag_new();
	if (!diag)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	int rc = fisc_store_begin(st);
	if (rc == FISC_OK && want_catalog) {
		rc = fisc_store_edition_delete(st, year);
		if (rc == FISC_OK)
			rc = fisc_store_edition_put(st, year, dir);
		for (size_t i = 0; rc == FISC_OK && i < sizeof files / sizeof *files; i++)
			if ((rc = join(path, sizeof path, dir, files[i].file)) == FISC_OK)
				rc = load_file(st, diag, path, 0, year, files[i].kind, 1);
	}
	if (rc == FISC_OK && (rc = join(path, sizeof path, dir, "lines.csv")) == FISC_OK)
		rc = load_file(st, diag, path, 1, 0, 0, lines_required);
	if (rc == FISC_OK && (rc = join(path, sizeof path, dir, "aliases.csv")) == FISC_OK)
		rc = load_file(st, diag, path, 2, 0, 0, lines_required);
	if (rc == FISC_OK)
		rc = fisc_store_commit(st);
	else
		fisc_store_rollback(st);
	if (rc != FISC_OK && fisc_diag_count(diag)) {
		char msg[1024];
		fisc_diag_format(fisc_diag_get(diag, 0), msg, sizeof msg);
		fisc_error_set(rc, "%s", msg);
	}
	fisc_diag_free(diag);
	return rc;
}

int fisc_catalog_import_dir(fisc_store *st, int year, const char *dir)
{
	if (year < 1949 || year > 2200)
		return fisc_error_set(FISC_EINVAL, "年度无效：%d / bad year: %d", year, year);
	return load_dir(st, year, dir, 1, 0);
}

int fisc_catalog_seed(fisc_store *st, const char *datadir)
{
	char path[4096], cdir[4096];
	if (!datadir && !(datadir = fisc_datadir()))
		return FISC_ENOTFOUND;
	int rc = join(cdir, sizeof cdir, datadir, "classification");
	if (rc != FISC_OK || (rc = join(path, sizeof path, cdir, "EDITION")) != FISC_OK)
		return rc;
	size_t len;
	char *ed = fisc_read_file(path, &len);
	int year = ed ? atoi(ed) : 0;
	free(ed);
	if (year < 1949 || year > 2200)
		return fisc_error_set(FISC_EIO,
				      "无法读取随附科目目录的年度「%s」/ cannot read the bundled edition year '%s'",
				      path, path);
	rc = load_dir(st, year, cdir, 1, 0);
	if (rc == FISC_OK)
		rc = load_dir(st, year, datadir, 0, 1);
	return rc;
}

size_t fisc_catalog_entry_count(const fisc_catalog *c) { return c->nentries; }

const fisc_catalog_entry *fisc_catalog_entry_at(const fisc_catalog *c, size_t i)
{
	return i < c->nentries ? &c->entries[i] : NULL;
}
