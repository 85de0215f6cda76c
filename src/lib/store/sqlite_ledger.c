/*
** sqlite_ledger.c — the 指标 ledger and its journal in the SQLite store
** (tables of migrations 5 and 8 in sqlite.c). The engine (src/lib/ledger/) decides
** every write in memory and calls these per request inside its batch
** transaction, so the statements are prepared once per handle.
**
** The engine's handle checkpoints the WAL from a thread of its own (see
** fisc_sqlite_ledger_durable): SQLite's automatic checkpoint would run
** inside a batch's COMMIT, while every submitter of the batch waits.
**
** The engine's handle also stages the journal entries, payment rows and
** refunds of a batch in TEMP tables (in memory) and moves them into the
** ledger tables with one INSERT … SELECT each just before the COMMIT
** (fisc_sqlite_ledger_flush). The journal and payment tables have triggers
** (defence in depth), and SQLite gives every statement that may fire a
** trigger a statement journal: a copy of each page the statement touches,
** so that it can undo that statement alone. With the store's 64 KB pages
** that was one or two 64 KB copies (and, with temp files, two pwrites) per
** request; staged, it is one copy per page per batch. The triggers and
** CHECKs still see every row, in order; a row they refuse fails the flush,
** so the whole batch, as a failing statement did before.
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "store/sqlite_ledger.h"

enum {
	LQ_LINE_PUT,
	LQ_FIGURE_PUT,
	LQ_LINE_SET,
	LQ_DOC_PUT,
	LQ_LEG_PUT,
	LQ_PAY_PUT,
	LQ_REFUND_PUT,
	LQ_JOURNAL_PUT,
	LQ_JOURNAL_EACH,
	LQ_STAGE_JOURNAL,
	LQ_STAGE_PAY,
	LQ_STAGE_REFUND,
	LQ_FLUSH_JOURNAL,
	LQ_FLUSH_PAY,
	LQ_FLUSH_REFUND,
	LQ_CLEAR_JOURNAL,
	LQ_CLEAR_PAY,
	LQ_CLEAR_REFUND,
	LQ_COUNT
};

static const char *const lq_sql[LQ_COUNT] = {
	[LQ_LINE_PUT] = "INSERT INTO ledger_line(id,region,year,book,dept,project,func,econ,fund,"
			"fund_doc,kind) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
	[LQ_FIGURE_PUT] = "INSERT INTO ledger_figure(line_id,quota,paid,pending) VALUES(?,?,?,?)",
	[LQ_LINE_SET] = "UPDATE ledger_figure SET quota=?2,paid=?3,pending=?4 WHERE line_id=?1",
	[LQ_DOC_PUT] = "INSERT INTO ledger_doc(no,date,kind,author) VALUES(?,?,?,?)",
	[LQ_LEG_PUT] = "INSERT INTO ledger_leg(doc_id,line_id,fen) VALUES(?,?,?)",
	/* By row (migration 8): a row with the id holding another payment is
	** refused by ledger_payment_forward (key, line and amount never change). */
	[LQ_PAY_PUT] = "INSERT INTO ledger_payment(key,line_id,fen,payee,purpose,state,refunded,paid_on,id)"
		       " VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
		       " key=excluded.key, line_id=excluded.line_id, fen=excluded.fen,"
		       " state=excluded.state, refunded=excluded.refunded, paid_on=excluded.paid_on",
	[LQ_REFUND_PUT] = "INSERT INTO ledger_refund(key,pay_key,fen,date,pay_id) VALUES(?,?,?,?,?)",
	[LQ_JOURNAL_PUT] = "INSERT INTO journal(seq,prev,hash,bytes) VALUES(?,?,?,?)",
	/* Every batch of the engine starts with it (catching up with other
	** processes), nearly always finding nothing: kept prepared. */
	[LQ_JOURNAL_EACH] = "SELECT seq,prev,hash,bytes FROM journal WHERE seq>? ORDER BY seq",
	/* The batch's rows on the engine's handle (see the top of the file);
	** the tables are created by fisc_sqlite_ledger_durable. */
	[LQ_STAGE_JOURNAL] = "INSERT INTO temp.ledger_stage_journal(seq,prev,hash,bytes) VALUES(?,?,?,?)",
	[LQ_STAGE_PAY] = "INSERT INTO temp.ledger_stage_payment(key,line_id,fen,payee,purpose,state,"
			 "refunded,paid_on,id) VALUES(?,?,?,?,?,?,?,?,?)",
	[LQ_STAGE_REFUND] = "INSERT INTO temp.ledger_stage_refund(key,pay_key,fen,date,pay_id)"
			    " VALUES(?,?,?,?,?)",
	[LQ_FLUSH_JOURNAL] = "INSERT INTO main.journal(seq,prev,hash,bytes)"
			     " SELECT seq,prev,hash,bytes FROM temp.ledger_stage_journal ORDER BY seq",
	/* In staging order: a payment requested and confirmed in one batch is
	** inserted, then moved forward (through its trigger) by the second row. */
	[LQ_FLUSH_PAY] = "INSERT INTO main.ledger_payment(id,key,line_id,fen,payee,purpose,state,refunded,paid_on)"
			 " SELECT id,key,line_id,fen,payee,purpose,state,refunded,paid_on"
			 " FROM temp.ledger_stage_payment WHERE true ORDER BY n ON CONFLICT(id) DO UPDATE SET"
			 " key=excluded.key, line_id=excluded.line_id, fen=excluded.fen,"
			 " state=excluded.state, refunded=excluded.refunded, paid_on=excluded.paid_on",
	/* After the payments: a refund's key refers to its payment's row. */
	[LQ_FLUSH_REFUND] = "INSERT INTO main.ledger_refund(key,pay_id,pay_key,fen,date)"
			    " SELECT key,pay_id,pay_key,fen,date FROM temp.ledger_stage_refund ORDER BY n",
	[LQ_CLEAR_JOURNAL] = "DELETE FROM temp.ledger_stage_journal",
	[LQ_CLEAR_PAY] = "DELETE FROM temp.ledger_stage_payment",
	[LQ_CLEAR_REFUND] = "DELETE FROM temp.ledger_stage_refund",
};

static const char *const stage_schema =
	"CREATE TEMP TABLE IF NOT EXISTS ledger_stage_journal(seq INTEGER PRIMARY KEY,"
	" prev BLOB NOT NULL, hash BLOB NOT NULL, bytes BLOB NOT NULL);"
	"CREATE TEMP TABLE IF NOT EXISTS ledger_stage_payment(n INTEGER PRIMARY KEY, key TEXT NOT NULL,"
	" line_id INTEGER NOT NULL, fen INTEGER NOT NULL, payee TEXT NOT NULL, purpose TEXT NOT NULL,"
	" state INTEGER NOT NULL, refunded INTEGER NOT NULL, paid_on INTEGER NOT NULL, id INTEGER);"
	"CREATE TEMP TABLE IF NOT EXISTS ledger_stage_refund(n INTEGER PRIMARY KEY, key TEXT NOT NULL,"
	" pay_key TEXT NOT NULL, fen INTEGER NOT NULL, date INTEGER NOT NULL, pay_id INTEGER NOT NULL);";

struct sq_ledger {
	sqlite3_stmt *st[LQ_COUNT];
	/* The checkpointer: a thread with its own connection to the same file,
	** woken by the writer's WAL hook. */
	int ckpt_running;
	pthread_t ckpt;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int want, stop;
	char *path, *vfs;
	/* The engine's handle: writes are staged (see the top of the file);
	** `staged` is set while the open transaction holds staged rows. */
	int staging, staged;
};

/* WAL frames (pages) after a commit that wake the checkpointer, and the
** count at which the committing thread checkpoints itself, because the
** checkpointer cannot keep up (or readers hold old frames). With the
** store's 64 KB pages: 16 MB and 256 MB. */
enum { CKPT_WAKE = 256, CKPT_SELF = 4096 };

/* A full disk or an I/O error reads as what it is (sqlite.c maps it). */
static int lerr(sqlite3 *db, const char *what) { return fisc_sqlite_error(db, what); }

static sqlite3_stmt *lstmt(fisc_store *st, int which)
{
	sq_ledger **slot = fisc_sqlite_ledger_slot(st);
	if (!*slot && !(*slot = calloc(1, sizeof **slot)))
		return NULL;
	sqlite3_stmt **q = &(*slot)->st[which];
	if (!*q && sqlite3_prepare_v3(fisc_sqlite_db(st), lq_sql[which], -1,
				      SQLITE_PREPARE_PERSISTENT, q, NULL) != SQLITE_OK)
		return NULL;
	return *q;
}

/* Step a bound write statement once and reset it. */
static int run(fisc_store *st, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == SQLITE_DONE ? FISC_OK : lerr(fisc_sqlite_db(st), what);
}

static const char *col(sqlite3_stmt *q, int i)
{
	const char *t = (const char *)sqlite3_column_text(q, i);
	return t ? t : "";
}

static sq_ledger *slot_of(fisc_store *st)
{
	sq_ledger **slot = fisc_sqlite_ledger_slot(st);
	if (!*slot)
		*slot = calloc(1, sizeof **slot);
	return *slot;
}

static void *checkpointer(void *arg)
{
	sq_ledger *g = arg;
	sqlite3 *db = NULL;
	pthread_mutex_lock(&g->mu);
	for (;;) {
		while (!g->want && !g->stop)
			pthread_cond_wait(&g->cv, &g->mu);
		if (g->stop)
			break;
		g->want = 0;
		pthread_mutex_unlock(&g->mu);
		if (!db && sqlite3_open_v2(g->path, &db, SQLITE_OPEN_READWRITE, g->vfs) != SQLITE_OK) {
			sqlite3_close(db);
			db = NULL;
		}
		/* PASSIVE: copies what it can without waiting for the writer or
		** readers; a failure only leaves the WAL longer (the writer's hook
		** checkpoints itself past CKPT_SELF). */
		if (db)
			sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&g->mu);
	}
	pthread_mutex_unlock(&g->mu);
	sqlite3_close(db);
	return NULL;
}

/* Called by SQLite in the committing thread after each commit; replaces the
** automatic checkpoint of this connection. */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
	sq_ledger *g = arg;
	if (frames >= CKPT_SELF) {
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	} else if (frames >= CKPT_WAKE) {
		pthread_mutex_lock(&g->mu);
		g->want = 1;
		pthread_cond_signal(&g->cv);
		pthread_mutex_unlock(&g->mu);
	}
	return SQLITE_OK;
}

static void checkpointer_stop(fisc_store *st, sq_ledger *g)
{
	if (!g->ckpt_running)
		return;
	sqlite3_wal_hook(fisc_sqlite_db(st), NULL, NULL);
	pthread_mutex_lock(&g->mu);
	g->stop = 1;
	pthread_cond_signal(&g->cv);
	pthread_mutex_unlock(&g->mu);
	pthread_join(g->ckpt, NULL);
	pthread_mutex_destroy(&g->mu);
	pthread_cond_destroy(&g->cv);
	free(g->path);
	free(g->vfs);
	g->ckpt_running = 0;
}

/* Start the checkpointer for a store file in WAL mode (not for an
** in-memory store, nor twice). */
static void checkpointer_start(fisc_store *st, sq_ledger *g)
{
	sqlite3 *db = fisc_sqlite_db(st);
	const char *path = sqlite3_db_filename(db, "main");
	sqlite3_vfs *vfs = NULL;
	sqlite3_stmt *q;
	int wal = 0;
	if (g->ckpt_running || !path || !*path)
		return;
	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			wal = !sqlite3_stricmp((const char *)sqlite3_column_text(q, 0), "wal");
		sqlite3_finalize(q);
	}
	if (!wal || sqlite3_file_control(db, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK ||
	    !vfs)
		return;
	g->path = strdup(path);
	g->vfs = strdup(vfs->zName);
	g->want = g->stop = 0;
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->cv, NULL);
	if (!g->path || !g->vfs || pthread_create(&g->ckpt, NULL, checkpointer, g) != 0) {
		/* Without the thread, SQLite's own automatic checkpoint stays. */
		pthread_mutex_destroy(&g->mu);
		pthread_cond_destroy(&g->cv);
		free(g->path);
		free(g->vfs);
		return;
	}
	g->ckpt_running = 1;
	sqlite3_wal_hook(db, wal_hook, g);
}

void fisc_sqlite_ledger_free(fisc_store *st)
{
	sq_ledger **slot = fisc_sqlite_ledger_slot(st);
	if (!*slot)
		return;
	checkpointer_stop(st, *slot);
	for (int i = 0; i < LQ_COUNT; i++)
		sqlite3_finalize((*slot)->st[i]);
	free(*slot);
	*slot = NULL;
}

int fisc_sqlite_ledger_durable(fisc_store *st)
{
	/* An acknowledged payment must survive power loss, not only a crash of
	** the process: fsync the WAL at every commit. */
	sqlite3 *db = fisc_sqlite_db(st);
	if (sqlite3_exec(db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		return lerr(db, "synchronous");
	/* The staging tables in memory (TEMP tables follow temp_store, which
	** must be set before the first of them exists). The flush statements'
	** statement journals go to memory too instead of a temp file. */
	if (sqlite3_exec(db, "PRAGMA temp_store=MEMORY", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, stage_schema, NULL, NULL, NULL) != SQLITE_OK)
		return lerr(db, "ledger staging tables");
	/* The engine's writer commits batch after batch: checkpoints go to a
	** thread of their own, off the path of every acknowledgement. */
	sq_ledger *g = slot_of(st);
	if (!g)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	checkpointer_start(st, g);
	g->staging = 1;
	return FISC_OK;
}

/* Whether a write of this handle goes to the staging tables: the engine's
** handle inside a transaction (outside one, a staged row would never be
** flushed, so it is written directly). */
static int stage(fisc_store *st)
{
	sq_ledger *g = *fisc_sqlite_ledger_slot(st);
	return g && g->staging && !sqlite3_get_autocommit(fisc_sqlite_db(st));
}

static int staged(fisc_store *st, int rc)
{
	if (rc == FISC_OK)
		(*fisc_sqlite_ledger_slot(st))->staged = 1;
	return rc;
}

int fisc_sqlite_ledger_flush(fisc_store *st)
{
	sq_ledger *g = *fisc_sqlite_ledger_slot(st);
	if (!g || !g->staged)
		return FISC_OK;
	static const int steps[] = {LQ_FLUSH_JOURNAL, LQ_FLUSH_PAY,	 LQ_FLUSH_REFUND,
				    LQ_CLEAR_JOURNAL, LQ_CLEAR_PAY, LQ_CLEAR_REFUND};
	int rc = FISC_OK;
	for (size_t i = 0; rc == FISC_OK && i < sizeof steps / sizeof *steps; i++) {
		sqlite3_stmt *q = lstmt(st, steps[i]);
		rc = q ? run(st, q, "ledger batch") : lerr(fisc_sqlite_db(st), "prepare");
	}
	/* On failure the rows stay staged until the caller's rollback, which
	** removes them with the rest of the transaction. */
	if (rc == FISC_OK)
		g->staged = 0;
	return rc;
}

void fisc_sqlite_ledger_discard(fisc_store *st)
{
	sq_ledger *g = *fisc_sqlite_ledger_slot(st);
	if (g)
		g->staged = 0;
}

int fisc_sqlite_quota_line_put(fisc_store *st, const fisc_quota_line *l)
{
	sqlite3_stmt *q = lstmt(st, LQ_LINE_PUT);
	if (!q)
		return lerr(fisc_sqlite_db(st), "prepare");
	sqlite3_bind_int64(q, 1, l->id);
	sqlite3_bind_text(q, 2, l->region, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, l->year);
	sqlite3_bind_int(q, 4, l->book);
	sqlite3_bind_text(q, 5, l->dept, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, l->project, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, l->func, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, l->econ, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 9, l->fund);
	sqlite3_bind_text(q, 10, l->fund_doc, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 11, l->kind);
	int rc = run(st, q, "ledger line");
	if (rc != FISC_OK)
		return rc;
	if (!(q = lstmt(st, LQ_FIGURE_PUT)))
		return lerr(fisc_sqlite_db(st), "prepare");
	sqlite3_bind_int64(q, 1, l->id);
	sqlite3_bind_int64(q, 2, l->quota);
	sqlite3_bind_int64(q, 3, l->paid);
	sqlite3_bind_int64(q, 4, l->pending);
	return run(st, q, "ledger line");
}

int fisc_sqlite_quota_line_set(fisc_store *st, int64_t id, int64_t quota, int64_t paid,
			       int64_t pending)
{
	sqlite3_stmt *q = lstmt(st, LQ_LINE_SET);
	if (!q)
		return lerr(fisc_sqlite_db(st), "prepare");
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, quota);
	sqlite3_bind_int64(q, 3, paid);
	sqlite3_bind_int64(q, 4, pending);
	int rc = run(st, q, "ledger line");
	if (rc == FISC_OK && sqlite3_changes(fisc_sqlite_db(st)) != 1)
		rc = fisc_error_set(FISC_ESTORE, "指标行 %lld 不在数据库中 / line %lld missing in the store",
				    (long long)id, (long long)id);
	return rc;
}

int fisc_sqlite_quota_line_each(fisc_store *st, fisc_quota_line_cb cb, void *ud)
{
	int frc = fisc_sqlite_ledger_flush(st); /* reads see the batch's staged rows */
	if (frc != FISC_OK)
		return frc;
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "SELECT id,region,year,book,dept,project,func,econ,fund,fund_doc,kind,"
			       "quota,paid,pending FROM ledger_line LEFT JOIN ledger_figure ON line_id=id"
			       " ORDER BY id",
			       -1, &q, NULL) != SQLITE_OK)
		return lerr(db, "ledger lines");
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_quota_line l = {
			sqlite3_column_int64(q, 0), col(q, 1), sqlite3_column_int(q, 2),
			(uint8_t)sqlite3_column_int(q, 3), col(q, 4), col(q, 5), col(q, 6),
			col(q, 7), (uint8_t)sqlite3_column_int(q, 8), col(q, 9),
			(uint8_t)sqlite3_column_int(q, 10), sqlite3_column_int64(q, 11),
			sqlite3_column_int64(q, 12), sqlite3_column_int64(q, 13)};
		if ((rc = cb(ud, &l)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = lerr(db, "ledger lines");
	sqlite3_finalize(q);
	return rc;
}

int fisc_sqlite_quota_doc_put(fisc_store *st, const fisc_quota_doc *d, const int64_t *line_ids)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q = lstmt(st, LQ_DOC_PUT), *leg = lstmt(st, LQ_LEG_PUT);
	if (!q || !leg)
		return lerr(db, "prepare");
	sqlite3_bind_text(q, 1, d->no, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, d->date);
	sqlite3_bind_int(q, 3, d->kind);
	sqlite3_bind_text(q, 4, d->author ? d->author : "", -1, SQLITE_STATIC);
	int rc = run(st, q, "ledger document");
	int64_t doc = sqlite3_last_insert_rowid(db);
	for (size_t i = 0; rc == FISC_OK && i < d->nlegs; i++) {
		sqlite3_bind_int64(leg, 1, doc);
		sqlite3_bind_int64(leg, 2, line_ids[i]);
		sqlite3_bind_int64(leg, 3, d->legs[i].fen);
		rc = run(st, leg, "ledger document leg");
	}
	return rc;
}

int fisc_sqlite_quota_leg_each(fisc_store *st, fisc_quota_leg_cb cb, void *ud)
{
	int frc = fisc_sqlite_ledger_flush(st); /* reads see the batch's staged rows */
	if (frc != FISC_OK)
		return frc;
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "SELECT d.no,d.date,d.kind,g.line_id,g.fen FROM ledger_leg g"
			       " JOIN ledger_doc d ON d.id=g.doc_id ORDER BY g.line_id,d.id",
			       -1, &q, NULL) != SQLITE_OK)
		return lerr(db, "ledger legs");
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_quota_leg_row r = {col(q, 0), sqlite3_column_int(q, 1),
					(uint8_t)sqlite3_column_int(q, 2), sqlite3_column_int64(q, 3),
					sqlite3_column_int64(q, 4)};
		if ((rc = cb(ud, &r)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = lerr(db, "ledger legs");
	sqlite3_finalize(q);
	return rc;
}

int fisc_sqlite_payment_put(fisc_store *st, const fisc_payment *p)
{
	int staging = stage(st);
	sqlite3_stmt *q = lstmt(st, staging ? LQ_STAGE_PAY : LQ_PAY_PUT);
	if (!q)
		return lerr(fisc_sqlite_db(st), "prepare");
	sqlite3_bind_text(q, 1, p->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, p->line);
	sqlite3_bind_int64(q, 3, p->fen);
	sqlite3_bind_text(q, 4, p->payee ? p->payee : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, p->purpose ? p->purpose : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, p->state);
	sqlite3_bind_int64(q, 7, p->refunded);
	sqlite3_bind_int(q, 8, p->paid_on);
	if (p->id > 0) /* else the next row: a caller that does not number payments */
		sqlite3_bind_int64(q, 9, p->id);
	else
		sqlite3_bind_null(q, 9);
	int rc = run(st, q, "ledger payment");
	return staging ? staged(st, rc) : rc;
}

int fisc_sqlite_payment_each(fisc_store *st, fisc_payment_cb cb, void *ud)
{
	int frc = fisc_sqlite_ledger_flush(st); /* reads see the batch's staged rows */
	if (frc != FISC_OK)
		return frc;
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "SELECT key,line_id,fen,payee,purpose,state,refunded,paid_on,id"
			       " FROM ledger_payment ORDER BY id",
			       -1, &q, NULL) != SQLITE_OK)
		return lerr(db, "ledger payments");
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_payment p = {col(q, 0), sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 2),
				  col(q, 3), col(q, 4), (uint8_t)sqlite3_column_int(q, 5),
				  sqlite3_column_int64(q, 6), sqlite3_column_int(q, 7),
				  sqlite3_column_int64(q, 8)};
		if ((rc = cb(ud, &p)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = lerr(db, "ledger payments");
	sqlite3_finalize(q);
	return rc;
}

int fisc_sqlite_refund_put(fisc_store *st, const fisc_refund *r)
{
	int staging = stage(st);
	sqlite3_stmt *q = lstmt(st, staging ? LQ_STAGE_REFUND : LQ_REFUND_PUT);
	if (!q)
		return lerr(fisc_sqlite_db(st), "prepare");
	sqlite3_bind_text(q, 1, r->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, r->pay_key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, r->fen);
	sqlite3_bind_int(q, 4, r->date);
	sqlite3_bind_int64(q, 5, r->pay_id);
	int rc = run(st, q, "ledger refund");
	return staging ? staged(st, rc) : rc;
}

int fisc_sqlite_journal_put(fisc_store *st, const fisc_journal_entry *e)
{
	int staging = stage(st);
	sqlite3_stmt *q = lstmt(st, staging ? LQ_STAGE_JOURNAL : LQ_JOURNAL_PUT);
	if (!q)
		return lerr(fisc_sqlite_db(st), "prepare");
	sqlite3_bind_int64(q, 1, e->seq);
	sqlite3_bind_blob(q, 2, e->prev, FISC_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, e->hash, FISC_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(q, 4, e->bytes, (int)e->n, SQLITE_STATIC);
	int rc = run(st, q, "journal");
	return staging ? staged(st, rc) : rc;
}

int fisc_sqlite_journal_each(fisc_store *st, int64_t after, fisc_journal_cb cb, void *ud)
{
	int frc = fisc_sqlite_ledger_flush(st); /* reads see the batch's staged rows */
	if (frc != FISC_OK)
		return frc;
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q = lstmt(st, LQ_JOURNAL_EACH);
	if (!q)
		return lerr(db, "journal");
	sqlite3_bind_int64(q, 1, after);
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_journal_entry e;
		memset(&e, 0, sizeof e);
		e.seq = sqlite3_column_int64(q, 0);
		/* A hand-edited row may hold a hash of another length: it then
		** compares unequal (the first bytes only are kept, the rest zero). */
		const void *p = sqlite3_column_blob(q, 1);
		int n = sqlite3_column_bytes(q, 1);
		memcpy(e.prev, p ? p : "", n < FISC_HASH_BYTES ? (size_t)n : FISC_HASH_BYTES);
		if (n != FISC_HASH_BYTES)
			e.prev[0] ^= 0xff;
		p = sqlite3_column_blob(q, 2);
		n = sqlite3_column_bytes(q, 2);
		memcpy(e.hash, p ? p : "", n < FISC_HASH_BYTES ? (size_t)n : FISC_HASH_BYTES);
		if (n != FISC_HASH_BYTES)
			e.hash[0] ^= 0xff;
		e.bytes = sqlite3_column_blob(q, 3);
		e.n = (size_t)sqlite3_column_bytes(q, 3);
		if (!e.bytes)
			e.bytes = (const uint8_t *)"";
		if ((rc = cb(ud, &e)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = lerr(db, "journal");
	sqlite3_reset(q);
	return rc;
}

int fisc_sqlite_quota_rollup(fisc_store *st, int year, fisc_quota_rollup_cb cb, void *ud)
{
	int frc = fisc_sqlite_ledger_flush(st); /* reads see the batch's staged rows */
	if (frc != FISC_OK)
		return frc;
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(
		    db,
		    "SELECT l.region,l.year,l.book,l.dept,l.project,l.func,l.econ,l.kind,x.m,sum(x.f)"
		    " FROM (SELECT line_id, paid_on/100%100 AS m, fen AS f FROM ledger_payment"
		    "       WHERE state=2"
		    "       UNION ALL SELECT p.line_id, r.date/100%100, -r.fen FROM ledger_refund r"
		    "       JOIN ledger_payment p ON p.id=r.pay_id) x"
		    " JOIN ledger_line l ON l.id=x.line_id WHERE ?1=0 OR l.year=?1"
		    " GROUP BY 1,4,5,6,7,3,8,2,9 ORDER BY 1,4,5,6,7,3,8,2,9",
		    -1, &q, NULL) != SQLITE_OK)
		return lerr(db, "ledger rollup");
	sqlite3_bind_int(q, 1, year);
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_quota_rollup_row r = {col(q, 0), sqlite3_column_int(q, 1),
					   (uint8_t)sqlite3_column_int(q, 2), col(q, 3), col(q, 4),
					   col(q, 5), col(q, 6), (uint8_t)sqlite3_column_int(q, 7),
					   sqlite3_column_int(q, 8), sqlite3_column_int64(q, 9)};
		if ((rc = cb(ud, &r)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = lerr(db, "ledger rollup");
	sqlite3_finalize(q);
	return rc;
}

int fisc_sqlite_journal_last(fisc_store *st, int64_t *seq, uint8_t *hash)
{
	int frc = fisc_sqlite_ledger_flush(st); /* reads see the batch's staged rows */
	if (frc != FISC_OK)
		return frc;
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT seq,hash FROM journal ORDER BY seq DESC LIMIT 1", -1, &q,
			       NULL) != SQLITE_OK)
		return lerr(db, "journal");
	*seq = 0;
	memset(hash, 0, FISC_HASH_BYTES);
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW) {
		*seq = sqlite3_column_int64(q, 0);
		const void *h = sqlite3_column_blob(q, 1);
		int n = sqlite3_column_bytes(q, 1);
		if (h)
			memcpy(hash, h, n < FISC_HASH_BYTES ? (size_t)n : FISC_HASH_BYTES);
	}
	sqlite3_finalize(q);
	return step == SQLITE_ROW || step == SQLITE_DONE ? FISC_OK : lerr(db, "journal");
}

/* Documents in the order they were written, each with its legs in theirs. */
int fisc_sqlite_quota_doc_each(fisc_store *st, fisc_quota_doc_cb cb, void *ud)
{
	int frc = fisc_sqlite_ledger_flush(st); /* reads see the batch's staged rows */
	if (frc != FISC_OK)
		return frc;
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "SELECT d.id,d.no,d.date,d.kind,d.author,g.line_id,g.fen FROM ledger_doc d"
			       " JOIN ledger_leg g ON g.doc_id=d.id ORDER BY d.id,g.rowid",
			       -1, &q, NULL) != SQLITE_OK)
		return lerr(db, "ledger documents");
	int rc = FISC_OK, step;
	size_t n = 0, cap = 0;
	fisc_quota_leg *legs = NULL;
	int64_t *ids = NULL, doc = 0;
	char *no = NULL, *author = NULL;
	fisc_quota_doc d;
	memset(&d, 0, sizeof d);
	for (;;) {
		step = sqlite3_step(q);
		int64_t id = step == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
		if (n && (step != SQLITE_ROW || id != doc)) {
			d.no = no;
			d.author = author;
			d.nlegs = n;
			d.legs = legs;
			if ((rc = cb(ud, &d, ids)) != 0)
				break;
			n = 0;
		}
		if (step != SQLITE_ROW)
			break;
		if (n == 0) {
			doc = id;
			free(no);
			free(author);
			no = strdup(col(q, 1));
			author = strdup(col(q, 4));
			d.date = sqlite3_column_int(q, 2);
			d.kind = (uint8_t)sqlite3_column_int(q, 3);
		}
		if (n == cap) {
			size_t c = cap ? 2 * cap : 16;
			fisc_quota_leg *nl = realloc(legs, c * sizeof *nl);
			int64_t *ni = nl ? realloc(ids, c * sizeof *ni) : NULL;
			if (nl)
				legs = nl;
			if (ni)
				ids = ni;
			if (!nl || !ni) {
				rc = fisc_error_set(FISC_ENOMEM, "out of memory");
				break;
			}
			cap = c;
		}
		if (!no || !author) {
			rc = fisc_error_set(FISC_ENOMEM, "out of memory");
			break;
		}
		memset(&legs[n], 0, sizeof legs[n]);
		ids[n] = sqlite3_column_int64(q, 5);
		legs[n].fen = sqlite3_column_int64(q, 6);
		n++;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = lerr(db, "ledger documents");
	sqlite3_finalize(q);
	free(legs);
	free(ids);
	free(no);
	free(author);
	return rc;
}

int fisc_sqlite_refund_each(fisc_store *st, fisc_refund_cb cb, void *ud)
{
	int frc = fisc_sqlite_ledger_flush(st); /* reads see the batch's staged rows */
	if (frc != FISC_OK)
		return frc;
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "SELECT key,pay_key,fen,date,pay_id FROM ledger_refund ORDER BY id",
			       -1, &q, NULL) != SQLITE_OK)
		return lerr(db, "ledger refunds");
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_refund r = {col(q, 0), col(q, 1), sqlite3_column_int64(q, 2),
				 sqlite3_column_int(q, 3), sqlite3_column_int64(q, 4)};
		if ((rc = cb(ud, &r)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = lerr(db, "ledger refunds");
	sqlite3_finalize(q);
	return rc;
}
