/*
** sqlite_perf.h — performance indicators and narrative texts in the SQLite
** backend (sqlite_perf.c), beside the fact store of sqlite.c.
*/
#ifndef FISC_STORE_SQLITE_PERF_H
#define FISC_STORE_SQLITE_PERF_H

#include "store/backend.h"

int fisc_sqlite_indicator_put(fisc_store *st, const fisc_indicator *ind);
int fisc_sqlite_indicator_each(fisc_store *st, const fisc_perf_query *q, fisc_indicator_cb cb,
			       void *ud);
int fisc_sqlite_perf_text_put(fisc_store *st, const fisc_perf_text *t);
int fisc_sqlite_perf_text_each(fisc_store *st, const fisc_perf_query *q, fisc_perf_text_cb cb,
			       void *ud);

#endif
