/*
** sqlite_ledger.h — the 指标 ledger and journal part of the SQLite backend
** (sqlite_ledger.c): the vtab operations and the hook sqlite.c calls on close.
*/
#ifndef FISC_STORE_SQLITE_LEDGER_H
#define FISC_STORE_SQLITE_LEDGER_H

#include <sqlite3.h>
#include "store/backend.h"

typedef struct sq_ledger sq_ledger;

/* Defined in sqlite.c. */
sqlite3 *fisc_sqlite_db(fisc_store *st);
/* sqlite.c: an SQLite failure as a fisc code and a message that names it. */
int fisc_sqlite_error(sqlite3 *db, const char *what);
sq_ledger **fisc_sqlite_ledger_slot(fisc_store *st);

int fisc_sqlite_ledger_durable(fisc_store *st);
int fisc_sqlite_quota_line_put(fisc_store *st, const fisc_quota_line *l);
int fisc_sqlite_quota_line_set(fisc_store *st, int64_t id, int64_t quota, int64_t paid,
			       int64_t pending);
int fisc_sqlite_quota_line_each(fisc_store *st, fisc_quota_line_cb cb, void *ud);
int fisc_sqlite_quota_doc_put(fisc_store *st, const fisc_quota_doc *d, const int64_t *line_ids);
int fisc_sqlite_quota_leg_each(fisc_store *st, fisc_quota_leg_cb cb, void *ud);
int fisc_sqlite_payment_put(fisc_store *st, const fisc_payment *p);
int fisc_sqlite_payment_each(fisc_store *st, fisc_payment_cb cb, void *ud);
int fisc_sqlite_refund_put(fisc_store *st, const fisc_refund *r);
int fisc_sqlite_refund_each(fisc_store *st, fisc_refund_cb cb, void *ud);
int fisc_sqlite_quota_doc_each(fisc_store *st, fisc_quota_doc_cb cb, void *ud);
int fisc_sqlite_journal_put(fisc_store *st, const fisc_journal_entry *e);
int fisc_sqlite_journal_each(fisc_store *st, int64_t after, fisc_journal_cb cb, void *ud);
int fisc_sqlite_journal_last(fisc_store *st, int64_t *seq, uint8_t *hash);

int fisc_sqlite_quota_rollup(fisc_store *st, int year, fisc_quota_rollup_cb cb, void *ud);

/* sqlite.c, before COMMIT: move the rows the engine's handle staged into
** the ledger tables; on ROLLBACK: forget that any were staged. */
int fisc_sqlite_ledger_flush(fisc_store *st);
void fisc_sqlite_ledger_discard(fisc_store *st);

void fisc_sqlite_ledger_free(fisc_store *st);

#endif
