/*
** sqlite_voucher.h — the voucher part of the SQLite backend, kept in its own
** file (sqlite_voucher.c) so that the fact store in sqlite.c stays small.
**
** sqlite.c owns the handle and calls the flush/discard/free hooks from its
** commit, rollback and close; sqlite_voucher.c reaches the handle through
** the two accessors sqlite.c exports.
*/
#ifndef FISC_STORE_SQLITE_VOUCHER_H
#define FISC_STORE_SQLITE_VOUCHER_H

#include <sqlite3.h>
#include "store/backend.h"

typedef struct sq_voucher sq_voucher;

/* Defined in sqlite.c. */
sqlite3 *fisc_sqlite_db(fisc_store *st);
/* sql (a string literal: kept by its address) prepared once per handle and
** reset for another run; NULL when it cannot be (the caller prepares its
** own). Never finalized by the caller: sqlite3_reset when done. */
sqlite3_stmt *fisc_sqlite_kept(fisc_store *st, const char *sql);
/* The last SQLite error on db as a fisc code and message (FISC_EIO for a
** full disk or an I/O error, FISC_ENOMEM, else FISC_ESTORE). */
int fisc_sqlite_error(sqlite3 *db, const char *what);
sq_voucher **fisc_sqlite_voucher_slot(fisc_store *st);

/* The vtab operations (sqlite_voucher.c). */
int fisc_sqlite_voucher_put(fisc_store *st, const fisc_voucher *v, size_t n);
int fisc_sqlite_voucher_source(fisc_store *st, const char *path);
void fisc_sqlite_voucher_skipped(fisc_store *st, int64_t *count, int64_t *fen);
int fisc_sqlite_voucher_rollup(fisc_store *st, int by, int scan,
			       fisc_rollup_cb cb, void *ud);
int64_t fisc_sqlite_voucher_count(fisc_store *st);
int fisc_sqlite_voucher_each(fisc_store *st, fisc_voucher_row_cb cb, void *ud);

/* Hooks: write the pending aggregates (before COMMIT), forget them (on
** ROLLBACK), release everything (on close, before sqlite3_close). */
int fisc_sqlite_voucher_flush(fisc_store *st);
int fisc_sqlite_voucher_commit(fisc_store *st); /* flush, and end the transaction's state */
void fisc_sqlite_voucher_discard(fisc_store *st);
void fisc_sqlite_voucher_free(fisc_store *st);

#endif
