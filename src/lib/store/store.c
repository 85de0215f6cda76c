/*
** store.c — the public store API: picks a backend from the URI and forwards
** each call through the backend's table of operations. It also numbers the
** texts of fisc_store_fact_scan, for every backend, and implements that scan
** over the fact memo (one region's facts, read once) and over fact_each for
** a backend that has no faster one. It keeps what a read snapshot
** (fisc_store_read_begin) cannot see change. Every call made
** inside a transaction first checks that the backend has not ended it after
** an error (txn_check).
*/
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>
#include <sqlite3.h>
#include "fisc/error.h"
#include "store/backend.h"
#include "fisc/catalog.h"
#include "store/pg.h"

/* "sqlite:PATH?vfs=NAME": the path, and the SQLite VFS to use (NULL for
** the default). Only the "sqlite:" form has parameters: a bare path may
** contain '?'. */
static int sqlite_uri(const char *rest, char **path, char **vfs)
{
	const char *q = strrchr(rest, '?');
	*vfs = NULL;
	if (!q) {
		*path = strdup(rest);
		return *path ? FISC_OK : fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	if (strncmp(q + 1, "vfs=", 4) != 0 || !q[5])
		return fisc_error_set(FISC_EINVAL,
				      "数据库地址参数无效「%s」（只支持 ?vfs=NAME）/ bad store parameter '%s' (only ?vfs=NAME)",
				      q + 1, q + 1);
	*path = strndup(rest, (size_t)(q - rest));
	*vfs = strdup(q + 5);
	if (!*path || !*vfs) {
		free(*path);
		free(*vfs);
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	return FISC_OK;
}

/* A database server's address: a postgresql:// or postgres:// URI, the
** unsupported "pg:" form, or libpq's key=value form, recognised by its first
** word being a keyword followed by '=' and by naming a host, database or
** service (a file path of SQLite never starts like "host=…"). */
int fisc_store_uri_is_server(const char *uri)
{
	if (!strncmp(uri, "postgres://", 11) || !strncmp(uri, "postgresql://", 13) ||
	    !strncmp(uri, "pg:", 3))
		return 1;
	const char *p = uri;
	while ((*p >= 'a' && *p <= 'z') || *p == '_')
		p++;
	if (p == uri || *p != '=')
		return 0;
	return strstr(uri, "host=") || strstr(uri, "dbname=") || strstr(uri, "service=");
}

int fisc_store_open_v2(const char *uri, int flags, fisc_store **out)
{
	*out = NULL;
	if (!uri || !*uri)
		return fisc_error_set(FISC_EINVAL, "未指定数据库 / no database given");
	if (strncmp(uri, "pg:", 3) != 0 && fisc_store_uri_is_server(uri))
		return fisc_pg_open(uri, flags, out);
	if (strncmp(uri, "pg:", 3) == 0)
		return fisc_error_set(FISC_EUNSUPPORTED,
				      "不支持的数据库地址「%s」（PostgreSQL 请用 postgresql://…）/ unsupported store address '%s' (use postgresql://… for PostgreSQL)",
				      uri, uri);
	if (strncmp(uri, "sqlite:", 7) != 0)
		return fisc_sqlite_open(uri, NULL, flags, out);
	char *path = NULL, *vfs = NULL;
	int rc = sqlite_uri(uri + 7, &path, &vfs);
	if (rc != FISC_OK)
		return rc;
	if (vfs && !sqlite3_vfs_find(vfs))
		rc = fisc_error_set(FISC_EINVAL, "未知的 SQLite VFS「%s」/ unknown SQLite VFS '%s'", vfs,
				    vfs);
	else
		rc = fisc_sqlite_open(path, vfs, flags, out);
	free(path);
	free(vfs);
	return rc;
}

int fisc_store_open(const char *uri, fisc_store **out)
{
	return fisc_store_open_v2(uri, FISC_OPEN_CREATE, out);
}

static void memo_drop(fisc_store *st);
static void read_memo_free(fisc_store *st);

void fisc_store_close(fisc_store *st)
{
	if (st) {
		memo_drop(st);
		read_memo_free(st);
		fisc_catalog_free(st->cat_cache);
		st->vt->close(st);
	}
}

int fisc_store_is_new(const fisc_store *st) { return st->is_new; }

/*
** A backend may end a transaction by itself after an error (SQLite does on
** a full disk, an I/O error, out of memory). Every later call would then
** run outside any transaction and commit on its own: part of an import
** would stay. So each call made inside a transaction first checks that it
** is still open, and the first failure in it is kept to say why it is not.
*/
static int txn_check(fisc_store *st)
{
	if (!st->in_txn || !st->vt->txn_alive || st->vt->txn_alive(st))
		return FISC_OK;
	const char *why = st->txn_msg[0] ? st->txn_msg : "?";
	return fisc_error_set(st->txn_rc ? st->txn_rc : FISC_ESTORE,
			      "数据库已中止事务，未写入任何数据 / the database aborted the transaction; nothing was written: %s",
			      why);
}

static int noted(fisc_store *st, int rc)
{
	if (rc != FISC_OK && st->in_txn && !st->txn_rc && rc != FISC_EEXIST &&
	    rc != FISC_ENOTFOUND) {
		st->txn_rc = rc;
		snprintf(st->txn_msg, sizeof st->txn_msg, "%s", fisc_error_message());
	}
	return rc;
}

/* Forward a call through the backend, inside the transaction check. */
#define FORWARD(st, call)                                  \
	do {                                               \
		int rc_ = txn_check(st);                   \
		return rc_ != FISC_OK ? rc_ : noted(st, (call)); \
	} while (0)

int fisc_store_begin(fisc_store *st)
{
	assert(!st->in_txn);
	assert(!st->reading); /* a write inside a read snapshot: end it first */
	/* A write may change the catalogue: what was kept of it goes. */
	fisc_catalog_free(st->cat_cache);
	st->cat_cache = NULL;
	memo_drop(st);
	int rc = st->vt->begin(st);
	if (rc == FISC_OK) {
		st->in_txn = 1;
		st->txn_rc = 0;
		st->txn_msg[0] = 0;
	} else {
		/* A begin that failed half way (PostgreSQL: BEGIN done, the ledger
		** lock refused by a lock_timeout or a cancel) must not leave the
		** connection in a transaction nobody will end. */
		st->vt->rollback(st);
	}
	return rc;
}

int fisc_store_commit(fisc_store *st)
{
	assert(st->in_txn);
	int rc = txn_check(st);
	if (rc == FISC_OK)
		rc = noted(st, st->vt->commit(st));
	if (rc == FISC_OK)
		st->in_txn = 0;
	return rc;
}

int fisc_store_rollback(fisc_store *st)
{
	st->in_txn = 0;
	return st->vt->rollback(st);
}

int fisc_store_txn_open(fisc_store *st) { return st->vt->txn_open(st); }

int fisc_store_region_put(fisc_store *st, const fisc_region *r, int64_t *id)
{
	FORWARD(st, st->vt->region_put(st, r, id));
}

/*
** What a read snapshot keeps besides the catalogue and the fact memo: the
** edition of each year asked for, and the last regions read. A report
** builds a dozen balances, each of which looks its region up by code and
** the catalogue's edition by year; in a snapshot the answers cannot change.
*/
enum { READ_EDITIONS = 8, READ_REGIONS = 8 };
typedef struct fisc_read_memo {
	struct {
		int year, edition;
	} ed[READ_EDITIONS];
	int ned;
	struct {
		fisc_arena *a; /* NULL: the slot is empty */
		fisc_region r;
	} reg[READ_REGIONS];
	unsigned next; /* the slot the next region replaces */
} fisc_read_memo;

static void read_memo_free(fisc_store *st)
{
	fisc_read_memo *m = st->read_memo;
	if (!m)
		return;
	for (int i = 0; i < READ_REGIONS; i++)
		fisc_arena_free(m->reg[i].a);
	free(m);
	st->read_memo = NULL;
}

int fisc_store_read_begin(fisc_store *st)
{
	assert(!st->in_txn && !st->reading);
	if (!st->vt->read_begin)
		return FISC_OK;
	int rc = st->vt->read_begin(st);
	if (rc != FISC_OK)
		return rc;
	st->read_version = 0;
	if (st->vt->data_version && (rc = st->vt->data_version(st, &st->read_version)) != FISC_OK) {
		st->vt->read_end(st);
		return rc;
	}
	if (!(st->read_memo = calloc(1, sizeof *st->read_memo))) {
		st->vt->read_end(st);
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	st->reading = 1;
	return FISC_OK;
}

int fisc_store_read_end(fisc_store *st)
{
	if (!st->reading)
		return FISC_OK;
	st->reading = 0;
	read_memo_free(st);
	return st->vt->read_end(st);
}

static int region_copy(fisc_arena *a, const fisc_region *from, fisc_region *to)
{
	*to = *from;
	const char **f[] = {&to->code, &to->name, &to->parent_code, &to->level,
			    &to->label_all, &to->label_self, &to->label_lower};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++)
		if (*f[i] && !(*f[i] = fisc_arena_strdup(a, *f[i])))
			return fisc_error_set(FISC_ENOMEM, "out of memory");
	return FISC_OK;
}

/* A region kept by the snapshot: by code (code != NULL; a code is unique
** and is looked up before names, so a hit is the store's own answer) or
** by id. */
static const fisc_region *region_kept(fisc_store *st, const char *code, int64_t id)
{
	fisc_read_memo *m = st->reading ? st->read_memo : NULL;
	for (int i = 0; m && i < READ_REGIONS; i++)
		if (m->reg[i].a && (code ? !strcmp(m->reg[i].r.code, code) : m->reg[i].r.id == id))
			return &m->reg[i].r;
	return NULL;
}

static void region_keep(fisc_store *st, const fisc_region *r)
{
	fisc_read_memo *m = st->reading ? st->read_memo : NULL;
	if (!m)
		return;
	unsigned i = m->next++ % READ_REGIONS;
	fisc_arena_free(m->reg[i].a);
	m->reg[i].a = fisc_arena_new();
	if (m->reg[i].a && region_copy(m->reg[i].a, r, &m->reg[i].r) != FISC_OK) {
		fisc_arena_free(m->reg[i].a);
		m->reg[i].a = NULL;
		fisc_error_clear();
	}
}

/* A region by code (code != NULL) or by id: from the snapshot's regions
** when kept, else from the backend (then kept; a find by name is not, as
** region_kept looks codes up). */
static int region_read(fisc_store *st, const char *code, int64_t id, fisc_arena *a,
		       fisc_region *out)
{
	const fisc_region *r = region_kept(st, code, id);
	if (r)
		return region_copy(a, r, out);
	int rc = txn_check(st);
	if (rc == FISC_OK)
		rc = noted(st, code ? st->vt->region_find(st, code, a, out)
				    : st->vt->region_get(st, id, a, out));
	if (rc == FISC_OK && (!code || !strcmp(out->code, code)))
		region_keep(st, out);
	return rc;
}
int fisc_store_region_find(fisc_store *st, const char *k, fisc_arena *a, fisc_region *out)
{
	return region_read(st, k, 0, a, out);
}
int fisc_store_region_get(fisc_store *st, int64_t id, fisc_arena *a, fisc_region *out)
{
	return region_read(st, NULL, id, a, out);
}
int fisc_store_region_each(fisc_store *st, fisc_region_cb cb, void *ud)
{
	FORWARD(st, st->vt->region_each(st, cb, ud));
}
int fisc_store_fact_put(fisc_store *st, const fisc_fact *f)
{
	assert(f->item && f->dept && f->project && f->econ && f->fund);
	memo_drop(st);
	FORWARD(st, st->vt->fact_put(st, f));
}
/* The query a backend sees: q, or a copy with the handle's as-of view
** (fisc_store_view) when q has none of its own. */
static int viewed(fisc_store *st, const fisc_query **q, fisc_query *copy)
{
	const fisc_query *in = *q;
	int own = in && (in->as_of_doc || in->as_of_date);
	if (!own && (st->view_doc || st->view_date)) {
		if (in)
			*copy = *in;
		else
			memset(copy, 0, sizeof *copy);
		copy->as_of_doc = st->view_doc;
		copy->as_of_date = st->view_date;
		*q = copy;
		own = 1;
	}
	if (own && !st->vt->history)
		return fisc_error_set(FISC_EUNSUPPORTED,
				      "此存储不保存历史版本，无法按日期或文件查询 / this store keeps no history: no --as-of");
	return FISC_OK;
}

void fisc_store_view(fisc_store *st, const fisc_query *view)
{
	st->view_doc = view ? view->as_of_doc : 0;
	st->view_date = view ? view->as_of_date : 0;
}

/*
** The fact memo: the current facts of one region, read with one query and
** kept by the handle. A report (and every balance it builds) asks a dozen
** queries of the same region — by year, book, phase, scope — and
** `report --all-regions` does so for every region in turn; each is then a
** walk over a few hundred facts in memory instead of a statement. It is
** kept only while nothing has written the store: a transaction or a fact
** written through this handle drops it, and another connection's commit
** changes the backend's data_version, compared on every use. A backend
** without data_version, an as-of view and a query without a region go to
** the backend as before. Facts are kept in id order, the backends' order.
*/
typedef struct fisc_fact_memo {
	int64_t region, version;
	fisc_arena *a;
	fisc_fact *v;
	size_t n, cap;
	int busy; /* walks in progress: a nested query must not replace it */
	int rc;
} fisc_fact_memo;

static void memo_drop(fisc_store *st)
{
	fisc_fact_memo *m = st->memo;
	if (m && m->busy) {
		m->version = INT64_MIN; /* stale: never matches, replaced after the walk */
		return;
	}
	if (!m)
		return;
	fisc_arena_free(m->a);
	free(m->v);
	free(m);
	st->memo = NULL;
}

static const char *memo_str(fisc_fact_memo *m, const char *s)
{
	return s ? fisc_arena_strdup(m->a, s) : NULL;
}

static int memo_keep(void *ud, const fisc_fact *f)
{
	fisc_fact_memo *m = ud;
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 256;
		fisc_fact *v = realloc(m->v, cap * sizeof *v);
		if (!v)
			return m->rc = FISC_ENOMEM;
		m->v = v;
		m->cap = cap;
	}
	fisc_fact *c = &m->v[m->n];
	*c = *f;
	c->item = memo_str(m, f->item);
	c->dept = memo_str(m, f->dept);
	c->project = memo_str(m, f->project);
	c->econ = memo_str(m, f->econ);
	c->fund = memo_str(m, f->fund);
	c->source = memo_str(m, f->source);
	c->note = memo_str(m, f->note);
	if (!c->item || !c->dept || !c->project || !c->econ || !c->fund ||
	    (f->source && !c->source) || (f->note && !c->note))
		return m->rc = FISC_ENOMEM;
	m->n++;
	return 0;
}

/* The memo of region, current and filled; NULL when the query must go to
** the backend (no data_version, in a transaction, a walk of another
** region in progress, or the fill failed: the backend then answers). */
static fisc_fact_memo *memo_for(fisc_store *st, int64_t region)
{
	int64_t version;
	if (!st->vt->data_version || st->in_txn || fisc_store_data_version(st, &version) != FISC_OK)
		return NULL;
	fisc_fact_memo *m = st->memo;
	if (m && m->region == region && m->version == version)
		return m;
	if (m && m->busy)
		return NULL;
	memo_drop(st);
	m = calloc(1, sizeof *m);
	if (!m || !(m->a = fisc_arena_new())) {
		free(m);
		return NULL;
	}
	m->region = region;
	m->version = version;
	fisc_query q = {0};
	q.region = region;
	st->memo = m;
	if (st->vt->fact_each(st, &q, memo_keep, m) != FISC_OK || m->rc) {
		memo_drop(st);
		fisc_error_clear();
		return NULL;
	}
	return m;
}

static int memo_match(const fisc_query *q, const fisc_fact *f)
{
	return (!q->year || f->year == q->year) && (!q->book_set || f->book == q->book) &&
	       (!q->phase || f->phase == q->phase) && (!q->scope || f->scope == q->scope) &&
	       (!q->dept || !strcmp(f->dept, q->dept));
}

/* The memo that answers q: a whole region's current facts (NULL: ask the
** backend). */
static fisc_fact_memo *memo_of(fisc_store *st, const fisc_query *q)
{
	return q && q->region && !q->as_of_doc && !q->as_of_date ? memo_for(st, q->region) : NULL;
}

static int memo_walk(fisc_fact_memo *m, const fisc_query *q, fisc_fact_cb cb, void *ud)
{
	int rc = 0;
	m->busy++;
	for (size_t i = 0; rc == 0 && i < m->n; i++)
		if (memo_match(q, &m->v[i]))
			rc = cb(ud, &m->v[i]);
	m->busy--;
	return rc;
}

int fisc_store_fact_each(fisc_store *st, const fisc_query *q, fisc_fact_cb cb, void *ud)
{
	fisc_query copy;
	int rc = viewed(st, &q, &copy);
	if (rc != FISC_OK)
		return rc;
	fisc_fact_memo *m = memo_of(st, q);
	if (!m)
		FORWARD(st, st->vt->fact_each(st, q, cb, ud));
	return memo_walk(m, q, cb, ud);
}
int fisc_store_data_version(fisc_store *st, int64_t *version)
{
	*version = 0;
	if (st->reading) { /* nothing can change what the snapshot sees */
		*version = st->read_version;
		return FISC_OK;
	}
	if (st->vt->data_version)
		return st->vt->data_version(st, version);
	if (st->vt->change_version)
		return st->vt->change_version(st, version);
	return fisc_error_set(FISC_EUNSUPPORTED,
			      "此存储无法报告数据版本 / this store cannot tell its data version");
}
int64_t fisc_store_fact_count(fisc_store *st) { return st->vt->fact_count(st); }

/* ---- fact_scan: facts with string ids ---------------------------------- */

int fisc_scan_strings_init(fisc_scan_strings *s, fisc_string_cb cb, void *ud)
{
	memset(s, 0, sizeof *s);
	s->cb = cb;
	s->ud = ud;
	s->cap = 64;
	s->a = fisc_arena_new();
	s->text = malloc(s->cap * sizeof *s->text);
	if (!s->a || !s->text) {
		fisc_scan_strings_free(s);
		return FISC_ENOMEM;
	}
	s->text[s->n++] = "";
	return FISC_OK;
}

int fisc_scan_string(fisc_scan_strings *s, const char *t, size_t n, uint32_t *id)
{
	if (!n) {
		*id = 0;
		return FISC_OK;
	}
	uint64_t head = 0;
	memcpy(&head, t, n < 8 ? n : 8);
	size_t r = (size_t)(((head ^ n) * 0x9E3779B97F4A7C15ULL) >> 56);
	if (s->recent[r].n == n && memcmp(s->recent[r].s, t, n) == 0) {
		*id = s->recent[r].id;
		return FISC_OK;
	}
	void *v = fisc_strmap_getn(&s->ids, t, n);
	if (v) {
		*id = (uint32_t)(uintptr_t)v;
		s->recent[r].s = s->text[*id];
		s->recent[r].n = n;
		s->recent[r].id = *id;
		return FISC_OK;
	}
	if (s->n == s->cap) {
		const char **nt = realloc(s->text, 2 * s->cap * sizeof *nt);
		if (!nt)
			return FISC_ENOMEM;
		s->text = nt;
		s->cap *= 2;
	}
	char *copy = fisc_arena_strndup(s->a, t, n);
	if (!copy || fisc_strmap_put(&s->ids, copy, (void *)(uintptr_t)s->n))
		return FISC_ENOMEM;
	s->text[s->n] = copy;
	*id = s->n++;
	s->recent[r].s = copy;
	s->recent[r].n = n;
	s->recent[r].id = *id;
	return s->cb(s->ud, *id, copy, n);
}

void fisc_scan_strings_free(fisc_scan_strings *s)
{
	fisc_strmap_free(&s->ids);
	fisc_arena_free(s->a);
	free(s->text);
	s->a = NULL;
	s->text = NULL;
}

/* The scan for a backend without its own: each fact of fact_each, its texts
** numbered here. */
typedef struct scan_each {
	fisc_scan_strings strs;
	fisc_fact_ids_cb cb;
	void *ud;
} scan_each;

static int scan_one(void *ud, const fisc_fact *f)
{
	scan_each *x = ud;
	fisc_fact_ids r;
	int rc;
	r.id = f->id;
	r.region = f->region;
	r.year = f->year;
	r.scope = f->scope;
	r.book = f->book;
	r.phase = f->phase;
	r.kind = f->kind;
	const char *text[6] = {f->item, f->dept, f->project, f->econ, f->fund, f->source};
	uint32_t *ids[6] = {&r.item, &r.dept, &r.project, &r.econ, &r.fund, &r.source};
	for (int i = 0; i < 6; i++)
		if ((rc = fisc_scan_string(&x->strs, text[i] ? text[i] : "",
					   text[i] ? strlen(text[i]) : 0, ids[i])) != 0)
			return rc;
	r.has_amount = f->has_amount;
	r.amount = f->amount;
	return x->cb(x->ud, &r);
}

int fisc_store_fact_scan(fisc_store *st, const fisc_query *q, fisc_string_cb str,
			 fisc_fact_ids_cb cb, void *ud)
{
	fisc_query copy;
	int rc = viewed(st, &q, &copy);
	if (rc == FISC_OK)
		rc = txn_check(st);
	if (rc != FISC_OK)
		return rc;
	/* A region's facts come from the memo when it can hold them: a
	** report reads them for its figures, then its check scans them. */
	fisc_fact_memo *m = memo_of(st, q);
	if (!m && st->vt->fact_scan)
		return noted(st, st->vt->fact_scan(st, q, str, cb, ud));
	scan_each x;
	x.cb = cb;
	x.ud = ud;
	if (fisc_scan_strings_init(&x.strs, str, ud) != FISC_OK)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	rc = m ? memo_walk(m, q, scan_one, &x) : noted(st, st->vt->fact_each(st, q, scan_one, &x));
	fisc_scan_strings_free(&x.strs);
	return rc;
}
int fisc_store_edition_put(fisc_store *st, int year, const char *source)
{
	FORWARD(st, st->vt->edition_put(st, year, source));
}
int fisc_store_edition_for(fisc_store *st, int year, int *edition)
{
	fisc_read_memo *m = st->reading ? st->read_memo : NULL;
	for (int i = 0; m && i < m->ned; i++)
		if (m->ed[i].year == year) {
			*edition = m->ed[i].edition;
			return FISC_OK;
		}
	int rc = txn_check(st);
	if (rc == FISC_OK)
		rc = noted(st, st->vt->edition_for(st, year, edition));
	if (rc == FISC_OK && m && m->ned < READ_EDITIONS) {
		m->ed[m->ned].year = year;
		m->ed[m->ned++].edition = *edition;
	}
	return rc;
}
int fisc_store_edition_delete(fisc_store *st, int year)
{
	FORWARD(st, st->vt->edition_delete(st, year));
}
int fisc_store_edition_each(fisc_store *st, fisc_edition_cb cb, void *ud)
{
	return st->vt->edition_each(st, cb, ud);
}
int fisc_store_catalog_put(fisc_store *st, int year, const fisc_catalog_entry *e)
{
	FORWARD(st, st->vt->catalog_put(st, year, e));
}
int fisc_store_catalog_each(fisc_store *st, int year, fisc_catalog_cb cb, void *ud)
{
	FORWARD(st, st->vt->catalog_each(st, year, cb, ud));
}
int fisc_store_line_put(fisc_store *st, const fisc_line *l)
{
	FORWARD(st, st->vt->line_put(st, l));
}
int fisc_store_line_each(fisc_store *st, fisc_line_cb cb, void *ud)
{
	FORWARD(st, st->vt->line_each(st, cb, ud));
}
int fisc_store_alias_put(fisc_store *st, const fisc_alias *al)
{
	FORWARD(st, st->vt->alias_put(st, al));
}
int fisc_store_alias_each(fisc_store *st, fisc_alias_cb cb, void *ud)
{
	FORWARD(st, st->vt->alias_each(st, cb, ud));
}
int fisc_store_voucher_put(fisc_store *st, const fisc_voucher *v, size_t n)
{
	assert(st->in_txn);
	FORWARD(st, st->vt->voucher_put(st, v, n));
}
int fisc_store_voucher_source(fisc_store *st, const char *source)
{
	assert(st->in_txn);
	FORWARD(st, st->vt->voucher_source(st, source));
}
void fisc_store_voucher_skipped(fisc_store *st, int64_t *count, int64_t *fen)
{
	st->vt->voucher_skipped(st, count, fen);
}
int fisc_store_voucher_rollup(fisc_store *st, int by, int scan, fisc_rollup_cb cb, void *ud)
{
	FORWARD(st, st->vt->voucher_rollup(st, by, scan, cb, ud));
}
int64_t fisc_store_voucher_count(fisc_store *st) { return st->vt->voucher_count(st); }

int fisc_store_indicator_put(fisc_store *st, const fisc_indicator *ind)
{
	assert(st->in_txn);
	FORWARD(st, st->vt->indicator_put(st, ind));
}
int fisc_store_indicator_each(fisc_store *st, const fisc_perf_query *q, fisc_indicator_cb cb,
			      void *ud)
{
	FORWARD(st, st->vt->indicator_each(st, q, cb, ud));
}
int fisc_store_perf_text_put(fisc_store *st, const fisc_perf_text *t)
{
	assert(st->in_txn);
	FORWARD(st, st->vt->perf_text_put(st, t));
}
int fisc_store_perf_text_each(fisc_store *st, const fisc_perf_query *q, fisc_perf_text_cb cb,
			      void *ud)
{
	FORWARD(st, st->vt->perf_text_each(st, q, cb, ud));
}

/* ---- history (fisc/history.h; the operations of store/history_ops.h) ---- */

static int no_history(void)
{
	return fisc_error_set(FISC_EUNSUPPORTED,
			      "此存储不保存历史版本 / this store keeps no history of facts");
}

int fisc_store_has_history(fisc_store *st) { return st->vt->history != NULL; }

/* The time a document is recorded: now, or SOURCE_DATE_EPOCH when it is
** set (the reproducible-builds convention), so that two stores built by the
** same commands — on two backends, in a test — hold the same documents
** and so the same journal hashes (an amendment's digest holds the time). */
static const char *recorded_at(char *buf, size_t n)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	if (!e || !*e)
		return NULL;
	long long t = strtoll(e, &end, 10);
	if (*end || t < 0)
		return NULL;
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm))
		return NULL;
	return buf;
}

int fisc_store_doc_put(fisc_store *st, const fisc_fact_doc *d, int64_t *id)
{
	if (!st->vt->history)
		return no_history();
	fisc_fact_doc dd = *d;
	char at[32];
	if (!dd.created || !*dd.created)
		dd.created = recorded_at(at, sizeof at);
	FORWARD(st, st->vt->history->doc_put(st, &dd, id));
}

int fisc_store_doc_get(fisc_store *st, int64_t id, const char *number, fisc_arena *a,
		       fisc_fact_doc *out)
{
	if (!st->vt->history)
		return no_history();
	FORWARD(st, st->vt->history->doc_get(st, id, number, a, out));
}

int fisc_store_fact_find(fisc_store *st, const fisc_fact *key, fisc_version_cb cb, void *ud)
{
	if (!st->vt->history)
		return no_history();
	FORWARD(st, st->vt->history->fact_find(st, key, cb, ud));
}

int fisc_store_fact_supersede(fisc_store *st, int64_t id, const fisc_fact *now, int64_t doc)
{
	if (!st->vt->history)
		return no_history();
	FORWARD(st, st->vt->history->fact_supersede(st, id, now, doc));
}

int fisc_store_version_each(fisc_store *st, const fisc_query *q, int64_t doc, fisc_version_cb cb,
			    void *ud)
{
	if (!st->vt->history)
		return no_history();
	FORWARD(st, st->vt->history->version_each(st, q, doc, cb, ud));
}
