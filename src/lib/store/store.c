/*
** store.c — the public store API: picks a backend from the URI and forwards
** each call through the backend's table of operations.
*/
#include <assert.h>
#include <string.h>
#include "fisc/error.h"
#include "store/backend.h"

int fisc_store_open(const char *uri, fisc_store **out)
{
	*out = NULL;
	if (!uri || !*uri)
		return fisc_error_set(FISC_EINVAL, "未指定数据库 / no database given");
	if (strncmp(uri, "sqlite:", 7) == 0)
		return fisc_sqlite_open(uri + 7, out);
	if (strncmp(uri, "postgres://", 11) == 0 ||
	    strncmp(uri, "postgresql://", 13) == 0 ||
	    strncmp(uri, "pg:", 3) == 0)
		return fisc_error_set(FISC_EUNSUPPORTED,
				      "此版本未编入 PostgreSQL 存储 / this build has no PostgreSQL backend");
	return fisc_sqlite_open(uri, out);
}

void fisc_store_close(fisc_store *st)
{
	if (st)
		st->vt->close(st);
}

int fisc_store_is_new(const fisc_store *st) { return st->is_new; }

int fisc_store_begin(fisc_store *st)
{
	assert(!st->in_txn);
	int rc = st->vt->begin(st);
	if (rc == FISC_OK)
		st->in_txn = 1;
	return rc;
}

int fisc_store_commit(fisc_store *st)
{
	assert(st->in_txn);
	int rc = st->vt->commit(st);
	if (rc == FISC_OK)
		st->in_txn = 0;
	return rc;
}

int fisc_store_rollback(fisc_store *st)
{
	if (!st->in_txn)
		return FISC_OK;
	st->in_txn = 0;
	return st->vt->rollback(st);
}

int fisc_store_region_put(fisc_store *st, const fisc_region *r, int64_t *id)
{
	return st->vt->region_put(st, r, id);
}
int fisc_store_region_find(fisc_store *st, const char *k, fisc_arena *a, fisc_region *out)
{
	return st->vt->region_find(st, k, a, out);
}
int fisc_store_region_get(fisc_store *st, int64_t id, fisc_arena *a, fisc_region *out)
{
	return st->vt->region_get(st, id, a, out);
}
int fisc_store_region_each(fisc_store *st, fisc_region_cb cb, void *ud)
{
	return st->vt->region_each(st, cb, ud);
}
int fisc_store_fact_put(fisc_store *st, const fisc_fact *f)
{
	assert(f->item && f->dept && f->project && f->econ && f->fund);
	return st->vt->fact_put(st, f);
}
int fisc_store_fact_each(fisc_store *st, const fisc_query *q, fisc_fact_cb cb, void *ud)
{
	return st->vt->fact_each(st, q, cb, ud);
}
int64_t fisc_store_fact_count(fisc_store *st) { return st->vt->fact_count(st); }
int fisc_store_edition_put(fisc_store *st, int year, const char *source)
{
	return st->vt->edition_put(st, year, source);
}
int fisc_store_edition_for(fisc_store *st, int year, int *edition)
{
	return st->vt->edition_for(st, year, edition);
}
int fisc_store_edition_delete(fisc_store *st, int year)
{
	return st->vt->edition_delete(st, year);
}
int fisc_store_catalog_put(fisc_store *st, int year, const fisc_catalog_entry *e)
{
	return st->vt->catalog_put(st, year, e);
}
int fisc_store_catalog_each(fisc_store *st, int year, fisc_catalog_cb cb, void *ud)
{
	return st->vt->catalog_each(st, year, cb, ud);
}
int fisc_store_line_put(fisc_store *st, const fisc_line *l) { return st->vt->line_put(st, l); }
int fisc_store_line_each(fisc_store *st, fisc_line_cb cb, void *ud)
{
	return st->vt->line_each(st, cb, ud);
}
int fisc_store_alias_put(fisc_store *st, const fisc_alias *al) { return st->vt->alias_put(st, al); }
int fisc_store_alias_each(fisc_store *st, fisc_alias_cb cb, void *ud)
{
	return st->vt->alias_each(st, cb, ud);
}
int fisc_store_voucher_put(fisc_store *st, const fisc_voucher *v, size_t n)
{
	assert(st->in_txn);
	return st->vt->voucher_put(st, v, n);
}
int fisc_store_voucher_rollup(fisc_store *st, int by, int scan, fisc_rollup_cb cb, void *ud)
{
	return st->vt->voucher_rollup(st, by, scan, cb, ud);
}
int64_t fisc_store_voucher_count(fisc_store *st) { return st->vt->voucher_count(st); }

int fisc_store_indicator_put(fisc_store *st, const fisc_indicator *ind)
{
	assert(st->in_txn);
	return st->vt->indicator_put(st, ind);
}
int fisc_store_indicator_each(fisc_store *st, const fisc_perf_query *q, fisc_indicator_cb cb,
			      void *ud)
{
	return st->vt->indicator_each(st, q, cb, ud);
}
int fisc_store_perf_text_put(fisc_store *st, const fisc_perf_text *t)
{
	assert(st->in_txn);
	return st->vt->perf_text_put(st, t);
}
int fisc_store_perf_text_each(fisc_store *st, const fisc_perf_query *q, fisc_perf_text_cb cb,
			      void *ud)
{
	return st->vt->perf_text_each(st, q, cb, ud);
}
