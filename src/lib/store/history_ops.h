/*
** history_ops.h — the store's history operations for the library's own use
** (import, amendments, history, journal verify): store.c forwards each to
** the backend's fisc_history_vtab (backend.h documents them) and answers
** FISC_EUNSUPPORTED for a backend that keeps no versions.
*/
#ifndef FISC_STORE_HISTORY_OPS_H
#define FISC_STORE_HISTORY_OPS_H

#include "fisc/history.h"

int fisc_store_has_history(fisc_store *st);
int fisc_store_doc_put(fisc_store *st, const fisc_fact_doc *d, int64_t *id);
int fisc_store_doc_get(fisc_store *st, int64_t id, const char *number, fisc_arena *a,
		       fisc_fact_doc *out);
int fisc_store_fact_find(fisc_store *st, const fisc_fact *key, fisc_version_cb cb, void *ud);
int fisc_store_fact_supersede(fisc_store *st, int64_t id, const fisc_fact *now, int64_t doc);
int fisc_store_version_each(fisc_store *st, const fisc_query *q, int64_t doc, fisc_version_cb cb,
			    void *ud);

#endif
