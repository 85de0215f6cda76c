/*
** sqlite_history.h — versions of facts in the SQLite backend
** (sqlite_history.c): documents, superseded versions, the lookups an
** amendment needs. The as-of reads are part of fisc_sqlite_fact_select.
*/
#ifndef FISC_STORE_SQLITE_HISTORY_H
#define FISC_STORE_SQLITE_HISTORY_H

#include "store/backend.h"

/* Defined in sqlite.c: the document this transaction's fact_puts belong
** to; the " AND …" conditions of a query's selection (region … dept, the
** department bound as ?1). */
int64_t *fisc_sqlite_doc_slot(fisc_store *st);
int fisc_sqlite_where(const fisc_query *qy, char *sql, size_t cap);

extern const fisc_history_vtab fisc_sqlite_history_vtab;

#endif
