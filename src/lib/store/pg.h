/*
** pg.h — what the files of the PostgreSQL backend (pg.c, pg_voucher.c,
** pg_ledger.c) share: the handle, statement parameters, the error mapping
** and the streaming walk over a query's rows.
*/
#ifndef FISC_STORE_PG_H
#define FISC_STORE_PG_H

#include <libpq-fe.h>
#include "fisc/arena.h"
#include "model/strmap.h"
#include "store/backend.h"

/* Statements prepared once per connection (fisc_pg_prep), by index. */
enum {
	PQ_FACT_PUT,
	PQ_REGION_BY_CODE,
	PQ_REGION_BY_NAME,
	PQ_REGION_BY_ID,
	PQ_CATALOG_PUT,
	PQ_LINE_SET,
	PQ_PAY_PUT,
	PQ_JOURNAL_PUT,
	PQ_JOURNAL_EACH,
	PQ_COUNT
};

typedef struct pg_store {
	fisc_store base;
	PGconn *c;
	int ledger;        /* the ledger engine's handle: begin takes the ledger lock */
	/* The store is being created by this open: its migrations and the
	** bundled catalogue are one transaction, committed by fisc_pg_open, so
	** that a creation stopped half way leaves no store (as SQLite's
	** creation under a temporary name does); begin and commit inside it
	** only delimit the catalogue's batches. */
	int creating;
	/* pg_change_version: the snapshot last seen and its number. */
	char *dv_snapshot;
	int64_t dv;
	unsigned cursors;  /* names of cursors opened so far */
	unsigned char prepared[PQ_COUNT];
	/* Vouchers of the current transaction (pg_voucher.c). */
	int64_t v_source;
	char v_path[512];
	int v_staging;     /* the temporary staging table exists in this session */
	int64_t v_inserted, v_skipped, v_skipped_fen;
	struct pg_vagg *v_agg; /* sums of the COPYed vouchers, written at commit */
	/* Catalogue entries put in the current transaction, as COPY text,
	** not yet sent (pg.c, catalog_flush). */
	char *cat;
	size_t cat_len, cat_cap, cat_n;
	/* Facts put in the current transaction, as COPY text, not yet sent
	** (pg.c, fact_flush), and what tells a duplicate at once without a
	** round trip per fact: the keys of the facts of every region touched,
	** read once under FISC_PG_FACT_LOCK, plus those put since. */
	char *fbuf;
	size_t fbuf_len, fbuf_cap, fbuf_n;
	int f_locked;      /* FISC_PG_FACT_LOCK taken by this transaction */
	int f_flushing;    /* fact_flush is running its own statements */
	fisc_strmap f_keys;    /* fact key → (void *)1 */
	fisc_strmap f_regions; /* region id (text) → (void *)1: keys read */
	fisc_arena *f_arena;   /* the keys' text */
} pg_store;

static inline pg_store *PG(fisc_store *s) { return (pg_store *)s; }

/* Parameters of one statement, all sent as text except bytea (binary). */
enum { PG_MAXARGS = 24 };
typedef struct pg_args {
	int n;
	const char *v[PG_MAXARGS];
	int len[PG_MAXARGS];
	int fmt[PG_MAXARGS];
	char buf[PG_MAXARGS][24];
} pg_args;

void fisc_pg_int(pg_args *a, int64_t v);
void fisc_pg_text(pg_args *a, const char *s); /* NULL is sent as "" */
void fisc_pg_null(pg_args *a);
void fisc_pg_bytes(pg_args *a, const void *p, size_t n);

/* A libpq failure as a fisc code and a message naming it ("中文 / English"):
** a full disk, a lost connection, a deadlock read as what they are. r may
** be NULL (a connection-level failure). */
int fisc_pg_error(PGconn *c, const PGresult *r, const char *what);

/* Run sql with args (NULL: none); the result on success (caller PQclear),
** NULL with *rc set otherwise. *rc is FISC_OK on success. */
PGresult *fisc_pg_exec(pg_store *s, const char *sql, const pg_args *a, const char *what, int *rc);
/* The same through the statement prepared once per connection as `which`. */
PGresult *fisc_pg_prep(pg_store *s, int which, const char *sql, const pg_args *a,
		       const char *what, int *rc);
/* A statement without rows; *changed (may be NULL) the rows it touched. */
int fisc_pg_cmd(pg_store *s, const char *sql, const pg_args *a, const char *what, int64_t *changed);

/* Every row of sql, read through a cursor in slices so that memory stays
** flat over millions of rows, and so that the row callback may itself run
** statements on the same connection. A nonzero return of row stops the walk
** and is returned. */
typedef int (*pg_row_fn)(void *ud, const PGresult *r, int row);
int fisc_pg_walk(pg_store *s, const char *sql, const pg_args *a, const char *what, pg_row_fn row,
		 void *ud);

/* Send len bytes of COPY text through `copy` (a COPY … FROM STDIN). */
int fisc_pg_copy(pg_store *s, const char *copy, const char *buf, size_t len, const char *what);
/* Send the facts put but not yet sent (before any other statement: every
** statement of pg_*.c goes through fisc_pg_exec, fisc_pg_prep, fisc_pg_copy
** or calls this first). */
int fisc_pg_fact_flush(pg_store *s);
/* Append t to b as a field of COPY's text format (\, tab, newlines escaped). */
char *fisc_pg_copy_field(char *b, const char *t);

/* Column readers: "" and 0 for NULL. */
static inline const char *fisc_pg_s(const PGresult *r, int row, int col)
{
	return PQgetvalue(r, row, col);
}
int64_t fisc_pg_i64(const PGresult *r, int row, int col);
static inline int fisc_pg_isnull(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col);
}
/* A bytea column (text form, hex) into out[n]; the bytes it held, or -1. */
int fisc_pg_bytea(const PGresult *r, int row, int col, uint8_t *out, size_t n);

/* pg_voucher.c */
int fisc_pg_voucher_put(fisc_store *st, const fisc_voucher *v, size_t n);
int fisc_pg_voucher_source(fisc_store *st, const char *path);
void fisc_pg_voucher_skipped(fisc_store *st, int64_t *count, int64_t *fen);
int fisc_pg_voucher_rollup(fisc_store *st, int by, int scan, fisc_rollup_cb cb, void *ud);
int64_t fisc_pg_voucher_count(fisc_store *st);
int fisc_pg_voucher_commit(fisc_store *st);
void fisc_pg_voucher_reset(fisc_store *st);

/* pg_ledger.c: the ledger, its journal, performance data and users. */
int fisc_pg_ledger_durable(fisc_store *st);
int fisc_pg_quota_line_put(fisc_store *st, const fisc_quota_line *l);
int fisc_pg_quota_line_set(fisc_store *st, int64_t id, int64_t quota, int64_t paid,
			   int64_t pending);
int fisc_pg_quota_line_each(fisc_store *st, fisc_quota_line_cb cb, void *ud);
int fisc_pg_quota_doc_put(fisc_store *st, const fisc_quota_doc *d, const int64_t *line_ids);
int fisc_pg_quota_leg_each(fisc_store *st, fisc_quota_leg_cb cb, void *ud);
int fisc_pg_payment_put(fisc_store *st, const fisc_payment *p);
int fisc_pg_payment_each(fisc_store *st, fisc_payment_cb cb, void *ud);
int fisc_pg_refund_put(fisc_store *st, const fisc_refund *r);
int fisc_pg_journal_put(fisc_store *st, const fisc_journal_entry *e);
int fisc_pg_journal_each(fisc_store *st, int64_t after, fisc_journal_cb cb, void *ud);
int fisc_pg_journal_last(fisc_store *st, int64_t *seq, uint8_t *hash);
int fisc_pg_journal_lock(fisc_store *st);
int fisc_pg_quota_rollup(fisc_store *st, int year, fisc_quota_rollup_cb cb, void *ud);
int fisc_pg_indicator_put(fisc_store *st, const fisc_indicator *x);
int fisc_pg_indicator_each(fisc_store *st, const fisc_perf_query *q, fisc_indicator_cb cb,
			   void *ud);
int fisc_pg_perf_text_put(fisc_store *st, const fisc_perf_text *t);
int fisc_pg_perf_text_each(fisc_store *st, const fisc_perf_query *q, fisc_perf_text_cb cb,
			   void *ud);
extern const fisc_user_vtab fisc_pg_user_vtab;

/* The advisory lock key every writer of the ledger and its journal holds
** for its whole transaction ("fisc" ‖ "ledg"). */
#define FISC_PG_LEDGER_LOCK "7378086880405137767"

/* The advisory lock key every writer of facts and regions holds for its
** whole transaction ("fisc" ‖ "fact"): ids are assigned as max + 1 under
** it (pg.c, migration 7). Taken before the ledger lock, never after. */
#define FISC_PG_FACT_LOCK "7379556335179883380"

/* pg_history.c: versions of facts and the enumerations of `fisc copy`. */
extern const fisc_history_vtab fisc_pg_history_vtab;
int fisc_pg_voucher_each(fisc_store *st, fisc_voucher_row_cb cb, void *ud);
int fisc_pg_quota_doc_each(fisc_store *st, fisc_quota_doc_cb cb, void *ud);
int fisc_pg_refund_each(fisc_store *st, fisc_refund_cb cb, void *ud);
/* The as-of part of a fact query (pg.c fact_select): the rows of fact and
** fact_version in the view of q, as "(SELECT … UNION ALL …)" with where
** (conditions with $n of the caller's parameters) applied to both. */
void fisc_pg_as_of_source(const fisc_query *q, const char *where, char *out, size_t size);

/* conninfo: a postgresql:// or postgres:// URI or a libpq key=value string. */
int fisc_pg_open(const char *conninfo, int flags, fisc_store **out);

#endif
