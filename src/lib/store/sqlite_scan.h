/*
** sqlite_scan.h — fisc_store_fact_scan for the SQLite backend, kept in its
** own file (sqlite_scan.c) so that the fact store in sqlite.c stays small.
*/
#ifndef FISC_STORE_SQLITE_SCAN_H
#define FISC_STORE_SQLITE_SCAN_H

#include <sqlite3.h>
#include "store/backend.h"

/* Defined in sqlite.c: the store's connection; "SELECT cols FROM fact" for
** the facts matching q, in id order, prepared on it. */
sqlite3 *fisc_sqlite_db(fisc_store *st);
/* The last SQLite error on db as a fisc code and message (FISC_EIO for a
** full disk or an I/O error, FISC_ENOMEM, else FISC_ESTORE). */
int fisc_sqlite_error(sqlite3 *db, const char *what);
int fisc_sqlite_fact_select(fisc_store *st, const fisc_query *q, const char *cols,
			    sqlite3_stmt **out);

/* Defined in sqlite.c: binds a fact's key (and with amount its amount,
** source and note) from parameter at, in FACT_COLS order. */
void fisc_sqlite_bind_fact(sqlite3_stmt *q, int at, const fisc_fact *f, int amount);

/* The vtab operation (sqlite_scan.c). */
int fisc_sqlite_fact_scan(fisc_store *st, const fisc_query *q, fisc_string_cb str,
			  fisc_fact_ids_cb cb, void *ud);

#endif
