/*
** sqlite_voucher.c — payment vouchers in the SQLite store: an append-only
** table of integer rows, and two small aggregate tables (项 × month and
** region × 项) that rollups read instead of scanning millions of rows.
**
** Why aggregates are kept in memory during a transaction: updating an
** aggregate row per voucher would cost an index lookup and a page write per
** row, doubling ingest time. Instead each put adds into two hash tables
** (a few thousand distinct keys for a million vouchers) and the backend's
** commit hook upserts them once, inside the same transaction, so the
** vouchers and their sums become visible together or not at all.
**
** A voucher's identity is (number, region, unit, year), kept unique by the
** index voucher_key: a voucher stored already is skipped when it is the
** same and refused, naming both lines, when it is not (conflict).
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "store/sqlite_voucher.h"

/* One aggregate cell, 32 bytes so that the two tables of a national
** stream (a few thousand cells each) stay in the CPU's cache. k2 packs year,
** month and 功能分类 code and is never 0 (years start at 1949): 0 marks a
** free slot. k1 is the region id (0 in the month table). */
typedef struct agg {
	uint64_t k1, k2;
	int64_t n, fen;
} agg;

typedef struct aggtab {
	agg *slot;
	size_t cap, len; /* cap is a power of two */
} aggtab;

static uint64_t agg_key(int32_t year, int32_t month, int32_t func)
{
	return ((uint64_t)(uint32_t)year << 40) | ((uint64_t)(uint32_t)month << 32) |
	       (uint32_t)func;
}

enum {
	VQ_INSERT,
	VQ_INSERT_MANY,
	VQ_MONTH_UPSERT,
	VQ_REGION_UPSERT,
	VQ_FIND,
	VQ_UNDO,
	VQ_SOURCE,
	VQ_COUNT
};

/* Rows per multi-row INSERT: one statement step per MANY rows instead of
** per row cuts SQLite's per-statement work (reset, cursor open, transaction
** check) by that factor; 10 × 64 parameters stay far below SQLite's limit. */
enum { MANY = 64, NPARAM = 10 };

/* OR IGNORE rather than ON CONFLICT DO NOTHING: both skip a voucher whose
** identity is stored, but only a statement that cannot abort half way runs
** without a statement journal, and with 64 KB pages that journal would copy
** every index page a batch touches (measured: 468 000 writes for 300 000
** vouchers numbered per unit). Every column is bound, so the NOT NULL
** constraints OR IGNORE would also skip never fire. */
#define INSERT_HEAD "INSERT OR IGNORE INTO voucher(date,region_id,unit,book,func,econ,fen,number,source_id,line) VALUES"
#define ONE_ROW "(?,?,?,?,?,?,?,?,?,?)"

static const char *const vq_sql[VQ_COUNT] = {
	[VQ_INSERT] = INSERT_HEAD ONE_ROW,
	[VQ_INSERT_MANY] = NULL, /* built by many_sql() */
	[VQ_MONTH_UPSERT] =
		"INSERT INTO voucher_month(year,month,func,n,fen) VALUES(?,?,?,?,?)"
		" ON CONFLICT(year,month,func) DO UPDATE SET n=n+excluded.n,"
		" fen=fen+excluded.fen",
	[VQ_REGION_UPSERT] =
		"INSERT INTO voucher_region(year,region_id,func,n,fen) VALUES(?,?,?,?,?)"
		" ON CONFLICT(year,region_id,func) DO UPDATE SET n=n+excluded.n,"
		" fen=fen+excluded.fen",
	/* The stored voucher with a new one's identity (the voucher_key index). */
	[VQ_FIND] = "SELECT v.date,v.book,v.func,v.econ,v.fen,coalesce(s.path,''),"
		    "coalesce(v.line,0),coalesce(r.code,'') FROM voucher v"
		    " LEFT JOIN voucher_source s ON s.id=v.source_id"
		    " LEFT JOIN region r ON r.id=v.region_id"
		    " WHERE v.region_id=?1 AND v.unit=?2 AND v.date / 10000=?3 AND v.number=?4",
	[VQ_UNDO] = "DELETE FROM voucher WHERE id>?",
	[VQ_SOURCE] = "INSERT INTO voucher_source(path) VALUES(?)",
};

/* Per transaction: the pending aggregates, where the puts come from, and
** what became of them. */
struct sq_voucher {
	sqlite3_stmt *st[VQ_COUNT];
	aggtab month, region;
	int64_t source;      /* voucher_source id; 0 until the first put or source */
	char path[512];      /* its path, for messages */
	int64_t max_id;      /* largest voucher id before the next insert; -1 unknown */
	int64_t inserted, skipped, skipped_fen;
};

static int verr(sqlite3 *db, const char *what) { return fisc_sqlite_error(db, what); }

static sq_voucher *state(fisc_store *st)
{
	sq_voucher **slot = fisc_sqlite_voucher_slot(st);
	if (!*slot && (*slot = calloc(1, sizeof **slot)) != NULL)
		(*slot)->max_id = -1;
	return *slot;
}

/* Back to the state of no transaction (the aggregates aside). */
static void txn_reset(sq_voucher *v)
{
	v->source = 0;
	v->path[0] = 0;
	v->max_id = -1;
	v->inserted = v->skipped = v->skipped_fen = 0;
}

static char many_sql_text[256 + MANY * 24];
static pthread_once_t many_sql_once = PTHREAD_ONCE_INIT;

static void many_sql_build(void)
{
	char *sql = many_sql_text;
	size_t n = (size_t)snprintf(sql, sizeof many_sql_text, "%s", INSERT_HEAD);
	for (int i = 0; i < MANY; i++)
		n += (size_t)snprintf(sql + n, sizeof many_sql_text - n, "%s" ONE_ROW, i ? "," : "");
}

/* Built once per process; pthread_once because stores open on different
** threads may reach their first bulk insert at the same time. */
static const char *many_sql(void)
{
	pthread_once(&many_sql_once, many_sql_build);
	return many_sql_text;
}

static sqlite3_stmt *vstmt(fisc_store *st, sq_voucher *v, int which)
{
	const char *sql = which == VQ_INSERT_MANY ? many_sql() : vq_sql[which];
	if (!v->st[which] &&
	    sqlite3_prepare_v3(fisc_sqlite_db(st), sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &v->st[which], NULL) != SQLITE_OK)
		return NULL;
	return v->st[which];
}

static size_t agg_hash(uint64_t k1, uint64_t k2, size_t cap)
{
	uint64_t h = (k1 * 0x9E3779B97F4A7C15ULL) ^ (k2 * 0xC2B2AE3D27D4EB4FULL);
	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static int agg_grow(aggtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	agg *s = calloc(cap, sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		const agg *a = &t->slot[i];
		if (!a->k2)
			continue;
		size_t j = agg_hash(a->k1, a->k2, cap);
		while (s[j].k2)
			j = (j + 1) & (cap - 1);
		s[j] = *a;
	}
	free(t->slot);
	t->slot = s;
	t->cap = cap;
	return 0;
}

/* Add one voucher's amount to its cell; -1 out of memory, -2 overflow. */
static int agg_add(aggtab *t, uint64_t k1, uint64_t k2, int64_t fen)
{
	if ((t->len + 1) * 2 > t->cap && agg_grow(t))
		return -1;
	size_t j = agg_hash(k1, k2, t->cap);
	for (;;) {
		agg *a = &t->slot[j];
		if (a->k2 == k2 && a->k1 == k1) {
			if (__builtin_add_overflow(a->fen, fen, &a->fen))
				return -2;
			a->n++;
			return 0;
		}
		if (!a->k2) {
			*a = (agg){k1, k2, 1, fen};
			t->len++;
			return 0;
		}
		j = (j + 1) & (t->cap - 1);
	}
}

static void agg_clear(aggtab *t)
{
	if (t->len)
		memset(t->slot, 0, t->cap * sizeof *t->slot);
	t->len = 0;
}

int fisc_sqlite_voucher_source(fisc_store *st, const char *path)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sq_voucher *v = state(st);
	if (!v)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	sqlite3_stmt *q = vstmt(st, v, VQ_SOURCE);
	if (!q)
		return verr(db, "prepare");
	sqlite3_bind_text(q, 1, path ? path : "", -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(q) == SQLITE_DONE ? FISC_OK : verr(db, "voucher source");
	sqlite3_reset(q);
	if (rc == FISC_OK) {
		v->source = sqlite3_last_insert_rowid(db);
		snprintf(v->path, sizeof v->path, "%s", path ? path : "");
	}
	return rc;
}

void fisc_sqlite_voucher_skipped(fisc_store *st, int64_t *count, int64_t *fen)
{
	sq_voucher *v = *fisc_sqlite_voucher_slot(st);
	*count = v ? v->skipped : 0;
	*fen = v ? v->skipped_fen : 0;
}

/* Add a written voucher into the pending aggregates. */
static int aggregate(sq_voucher *v, const fisc_voucher *x)
{
	int32_t year = x->date / 10000, month = x->date / 100 % 100;
	int a = agg_add(&v->month, 0, agg_key(year, month, x->func), x->fen);
	if (!a)
		a = agg_add(&v->region, (uint64_t)x->region, agg_key(year, 0, x->func), x->fen);
	if (a == -1)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	if (a == -2)
		return fisc_error_set(FISC_ERANGE, "凭证金额合计超出范围 / voucher total out of range");
	v->inserted++;
	return FISC_OK;
}

static void bind_row(sq_voucher *v, sqlite3_stmt *q, int j, const fisc_voucher *x)
{
	int b = j * NPARAM;
	sqlite3_bind_int(q, b + 1, x->date);
	sqlite3_bind_int64(q, b + 2, x->region);
	sqlite3_bind_int64(q, b + 3, x->unit);
	sqlite3_bind_int(q, b + 4, x->book);
	sqlite3_bind_int(q, b + 5, x->func);
	sqlite3_bind_int(q, b + 6, x->econ);
	sqlite3_bind_int64(q, b + 7, x->fen);
	/* No number: a voucher of a store made before numbers were kept
	** (migration 4), moved by `fisc copy`; NULL, as it was there. */
	if (x->number[0])
		sqlite3_bind_text(q, b + 8, x->number, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, b + 8);
	sqlite3_bind_int64(q, b + 9, v->source);
	sqlite3_bind_int64(q, b + 10, x->line);
}

/* One step of an insert; *n the rows it wrote. */
static int insert(sqlite3 *db, sqlite3_stmt *q, int *n)
{
	int rc = sqlite3_step(q) == SQLITE_DONE ? FISC_OK : verr(db, "voucher insert");
	sqlite3_reset(q);
	*n = rc == FISC_OK ? sqlite3_changes(db) : 0;
	return rc;
}

/* x was not written: a voucher with its identity is stored. The same
** voucher again is skipped; another one under its number is an error that
** names both. */
static int conflict(fisc_store *st, sq_voucher *v, const fisc_voucher *x)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q = vstmt(st, v, VQ_FIND);
	if (!q)
		return verr(db, "prepare");
	sqlite3_bind_int64(q, 1, x->region);
	sqlite3_bind_int64(q, 2, x->unit);
	sqlite3_bind_int(q, 3, x->date / 10000);
	sqlite3_bind_text(q, 4, x->number, -1, SQLITE_STATIC);
	int step = sqlite3_step(q), rc;
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE
			     ? fisc_error_set(FISC_ESTORE, "凭证「%s」既冲突又不存在 / voucher '%s' both conflicts and is missing",
					      x->number, x->number)
			     : verr(db, "voucher lookup");
	} else if (sqlite3_column_int(q, 0) == x->date && sqlite3_column_int(q, 1) == x->book &&
		   sqlite3_column_int(q, 2) == x->func && sqlite3_column_int(q, 3) == x->econ &&
		   sqlite3_column_int64(q, 4) == x->fen) {
		v->skipped++;
		v->skipped_fen += x->fen;
		rc = FISC_OK;
	} else {
		const char *path = (const char *)sqlite3_column_text(q, 5);
		long long line = sqlite3_column_int64(q, 6);
		const char *region = (const char *)sqlite3_column_text(q, 7);
		int year = x->date / 10000;
		rc = fisc_error_set(
			FISC_EEXIST,
			"%s:%lld: 凭证号「%s」（地区 %s，单位 %lld，%d 年）已由 %s:%lld 导入，内容不同 / "
			"voucher number '%s' (region %s, unit %lld, %d) was imported from %s:%lld with "
			"other content",
			v->path, (long long)x->line, x->number, region, (long long)x->unit, year, path, line,
			x->number, region, (long long)x->unit, year, path, line);
	}
	sqlite3_reset(q);
	return rc;
}

int fisc_sqlite_voucher_put(fisc_store *st, const fisc_voucher *vs, size_t n)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sq_voucher *v = state(st);
	int rc;
	if (!v)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	if (!v->source && (rc = fisc_sqlite_voucher_source(st, "")) != FISC_OK)
		return rc;
	sqlite3_stmt *one = vstmt(st, v, VQ_INSERT), *many = vstmt(st, v, VQ_INSERT_MANY);
	sqlite3_stmt *undo = vstmt(st, v, VQ_UNDO);
	if (!one || !many || !undo)
		return verr(db, "prepare");
	if (v->max_id < 0) {
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(db, "SELECT coalesce(max(id),0) FROM voucher", -1, &q, NULL) !=
		    SQLITE_OK)
			return verr(db, "voucher");
		rc = sqlite3_step(q) == SQLITE_ROW ? FISC_OK : verr(db, "voucher");
		v->max_id = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		if (rc != FISC_OK)
			return rc;
	}
	for (size_t i = 0; i < n;) {
		sqlite3_stmt *q = n - i >= MANY ? many : one;
		int k = q == many ? MANY : 1, wrote;
		for (int j = 0; j < k; j++)
			bind_row(v, q, j, &vs[i + (size_t)j]);
		if ((rc = insert(db, q, &wrote)) != FISC_OK)
			return rc;
		if (wrote == k) {
			/* The usual case, new vouchers: one step for the batch. */
			for (int j = 0; j < k && rc == FISC_OK; j++)
				rc = aggregate(v, &vs[i + (size_t)j]);
			v->max_id = sqlite3_last_insert_rowid(db);
		} else {
			/* Some were stored already. Which ones a multi-row insert
			** skipped it does not say: undo the batch and write it
			** again a row at a time. Rows are numbered upward, so the
			** batch's own are those above max_id. */
			if (wrote) {
				sqlite3_bind_int64(undo, 1, v->max_id);
				rc = sqlite3_step(undo) == SQLITE_DONE ? FISC_OK : verr(db, "voucher undo");
				sqlite3_reset(undo);
			}
			for (int j = 0; j < k && rc == FISC_OK; j++) {
				const fisc_voucher *x = &vs[i + (size_t)j];
				bind_row(v, one, 0, x);
				if ((rc = insert(db, one, &wrote)) != FISC_OK)
					break;
				if (wrote) {
					rc = aggregate(v, x);
					v->max_id = sqlite3_last_insert_rowid(db);
				} else {
					rc = conflict(st, v, x);
				}
			}
		}
		if (rc != FISC_OK)
			return rc;
		i += (size_t)k;
	}
	return FISC_OK;
}

static int upsert_all(fisc_store *st, sq_voucher *v, aggtab *t, int which)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q = vstmt(st, v, which);
	if (!q)
		return verr(db, "prepare");
	for (size_t i = 0; i < t->cap; i++) {
		const agg *a = &t->slot[i];
		if (!a->k2)
			continue;
		sqlite3_bind_int(q, 1, (int)(a->k2 >> 40));
		if (which == VQ_MONTH_UPSERT)
			sqlite3_bind_int(q, 2, (int)(a->k2 >> 32 & 0xff));
		else
			sqlite3_bind_int64(q, 2, (int64_t)a->k1);
		sqlite3_bind_int(q, 3, (int)(uint32_t)a->k2);
		sqlite3_bind_int64(q, 4, a->n);
		sqlite3_bind_int64(q, 5, a->fen);
		int rc = sqlite3_step(q);
		if (rc != SQLITE_DONE) {
			/* The CHECK(typeof(fen)='integer') catches SQLite turning an
			** overflowing integer sum into a float. */
			if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_CHECK)
				rc = fisc_error_set(FISC_ERANGE,
						    "凭证金额合计超出范围 / voucher total out of range");
			else
				rc = verr(db, "voucher aggregate");
			sqlite3_reset(q);
			return rc;
		}
		sqlite3_reset(q);
	}
	return FISC_OK;
}

int fisc_sqlite_voucher_flush(fisc_store *st)
{
	sq_voucher *v = *fisc_sqlite_voucher_slot(st);
	if (!v || (!v->month.len && !v->region.len))
		return FISC_OK;
	int rc = upsert_all(st, v, &v->month, VQ_MONTH_UPSERT);
	if (rc == FISC_OK)
		rc = upsert_all(st, v, &v->region, VQ_REGION_UPSERT);
	if (rc == FISC_OK) {
		agg_clear(&v->month);
		agg_clear(&v->region);
	}
	return rc;
}

int fisc_sqlite_voucher_commit(fisc_store *st)
{
	sq_voucher *v = *fisc_sqlite_voucher_slot(st);
	if (!v)
		return FISC_OK;
	int rc = fisc_sqlite_voucher_flush(st);
	if (rc == FISC_OK && v->source && !v->inserted) {
		/* Nothing new came from this source: leave no trace of it. */
		char sql[80];
		snprintf(sql, sizeof sql, "DELETE FROM voucher_source WHERE id=%lld",
			 (long long)v->source);
		if (sqlite3_exec(fisc_sqlite_db(st), sql, NULL, NULL, NULL) != SQLITE_OK)
			rc = verr(fisc_sqlite_db(st), "voucher source");
	}
	if (rc == FISC_OK)
		txn_reset(v);
	return rc;
}

void fisc_sqlite_voucher_discard(fisc_store *st)
{
	sq_voucher *v = *fisc_sqlite_voucher_slot(st);
	if (v) {
		agg_clear(&v->month);
		agg_clear(&v->region);
		txn_reset(v);
	}
}

void fisc_sqlite_voucher_free(fisc_store *st)
{
	sq_voucher **slot = fisc_sqlite_voucher_slot(st);
	sq_voucher *v = *slot;
	if (!v)
		return;
	for (int i = 0; i < VQ_COUNT; i++)
		sqlite3_finalize(v->st[i]);
	free(v->month.slot);
	free(v->region.slot);
	free(v);
	*slot = NULL;
}

static const char *const rollup_sql[2][2] = {
	/* [by - 1][scan] */
	{"SELECT year,month,0,func,n,fen FROM voucher_month ORDER BY year,func,month",
	 "SELECT date/10000,date/100%100,0,func,count(*),sum(fen) FROM voucher"
	 " GROUP BY 1,4,2 ORDER BY 1,4,2"},
	{"SELECT year,0,region_id,func,n,fen FROM voucher_region ORDER BY year,region_id,func",
	 "SELECT date/10000,0,region_id,func,count(*),sum(fen) FROM voucher"
	 " GROUP BY 1,3,4 ORDER BY 1,3,4"},
};

int fisc_sqlite_voucher_rollup(fisc_store *st, int by, int scan, fisc_rollup_cb cb, void *ud)
{
	sqlite3 *db = fisc_sqlite_db(st);
	if (by != FISC_ROLLUP_FUNCTION_MONTH && by != FISC_ROLLUP_REGION_FUNCTION)
		return fisc_error_set(FISC_EINVAL, "未知的汇总方式 / unknown rollup");
	/* Inside a transaction the latest puts are still in memory. */
	int rc = fisc_sqlite_voucher_flush(st);
	if (rc != FISC_OK)
		return rc;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, rollup_sql[by - 1][scan ? 1 : 0], -1, &q, NULL) != SQLITE_OK)
		return verr(db, "rollup");
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_rollup_row r = {
			.year = sqlite3_column_int(q, 0),
			.month = sqlite3_column_int(q, 1),
			.region = sqlite3_column_int64(q, 2),
			.code = sqlite3_column_int(q, 3),
			.level = 3,
			.count = sqlite3_column_int64(q, 4),
			.fen = sqlite3_column_int64(q, 5),
		};
		if ((rc = cb(ud, &r)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = sqlite3_errcode(db) == SQLITE_ERROR &&
				     strstr(sqlite3_errmsg(db), "overflow")
			     ? fisc_error_set(FISC_ERANGE,
					      "凭证金额合计超出范围 / voucher total out of range")
			     : verr(db, "rollup");
	sqlite3_finalize(q);
	return rc;
}

int64_t fisc_sqlite_voucher_count(fisc_store *st)
{
	sqlite3_stmt *q;
	int64_t n = 0;
	if (sqlite3_prepare_v2(fisc_sqlite_db(st), "SELECT count(*) FROM voucher", -1, &q,
			       NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return n;
}

int fisc_sqlite_voucher_each(fisc_store *st, fisc_voucher_row_cb cb, void *ud)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "SELECT v.date,v.region_id,v.unit,v.book,v.func,v.econ,v.fen,"
			       "coalesce(v.number,''),coalesce(v.line,0),coalesce(s.path,'')"
			       " FROM voucher v LEFT JOIN voucher_source s ON s.id=v.source_id"
			       " ORDER BY v.id",
			       -1, &q, NULL) != SQLITE_OK)
		return verr(db, "vouchers");
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_voucher v;
		memset(&v, 0, sizeof v);
		v.date = sqlite3_column_int(q, 0);
		v.region = sqlite3_column_int64(q, 1);
		v.unit = sqlite3_column_int64(q, 2);
		v.book = (uint8_t)sqlite3_column_int(q, 3);
		v.func = sqlite3_column_int(q, 4);
		v.econ = sqlite3_column_int(q, 5);
		v.fen = sqlite3_column_int64(q, 6);
		snprintf(v.number, sizeof v.number, "%s", (const char *)sqlite3_column_text(q, 7));
		v.line = sqlite3_column_int64(q, 8);
		if ((rc = cb(ud, &v, (const char *)sqlite3_column_text(q, 9))) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = verr(db, "vouchers");
	sqlite3_finalize(q);
	return rc;
}
