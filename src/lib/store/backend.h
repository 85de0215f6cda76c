/*
** backend.h — the table of operations a storage backend implements.
**
** This is fisc's VFS: store.c forwards every public fisc_store_* call
** through it, so a backend (sqlite.c today, a PostgreSQL one later) is one
** file that fills this table. Nothing above the store sees SQL.
*/
#ifndef FISC_STORE_BACKEND_H
#define FISC_STORE_BACKEND_H

#include "fisc/store.h"
#include "fisc/perf.h"

typedef struct fisc_store_vtab {
	const char *name;
	void (*close)(fisc_store *);
	int (*begin)(fisc_store *);
	int (*commit)(fisc_store *);
	int (*rollback)(fisc_store *);
	int (*region_put)(fisc_store *, const fisc_region *, int64_t *);
	int (*region_find)(fisc_store *, const char *, fisc_arena *, fisc_region *);
	int (*region_get)(fisc_store *, int64_t, fisc_arena *, fisc_region *);
	int (*region_each)(fisc_store *, fisc_region_cb, void *);
	int (*fact_put)(fisc_store *, const fisc_fact *);
	int (*fact_each)(fisc_store *, const fisc_query *, fisc_fact_cb, void *);
	int64_t (*fact_count)(fisc_store *);
	int (*edition_put)(fisc_store *, int, const char *);
	int (*edition_for)(fisc_store *, int, int *);
	int (*edition_delete)(fisc_store *, int);
	int (*catalog_put)(fisc_store *, int, const fisc_catalog_entry *);
	int (*catalog_each)(fisc_store *, int, fisc_catalog_cb, void *);
	int (*line_put)(fisc_store *, const fisc_line *);
	int (*line_each)(fisc_store *, fisc_line_cb, void *);
	int (*alias_put)(fisc_store *, const fisc_alias *);
	int (*alias_each)(fisc_store *, fisc_alias_cb, void *);
	int (*voucher_put)(fisc_store *, const fisc_voucher *, size_t);
	int (*voucher_rollup)(fisc_store *, int, int, fisc_rollup_cb, void *);
	int64_t (*voucher_count)(fisc_store *);
	int (*indicator_put)(fisc_store *, const fisc_indicator *);
	int (*indicator_each)(fisc_store *, const fisc_perf_query *, fisc_indicator_cb, void *);
	int (*perf_text_put)(fisc_store *, const fisc_perf_text *);
	int (*perf_text_each)(fisc_store *, const fisc_perf_query *, fisc_perf_text_cb, void *);
} fisc_store_vtab;

/* Every backend's handle starts with this. */
struct fisc_store {
	const fisc_store_vtab *vt;
	int is_new;   /* created by this open: the caller seeds the catalogue */
	int in_txn;
};

int fisc_sqlite_open(const char *path, fisc_store **out);

#endif
