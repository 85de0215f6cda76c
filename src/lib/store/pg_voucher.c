/*
** pg_voucher.c — payment vouchers in the PostgreSQL store.
**
** A batch of vouchers first goes straight into the voucher table by COPY
** (text) inside a savepoint of the import's transaction: that is the whole
** cost of a fresh import, the same as a plain COPY of the rows, and the
** identity index is the only check needed. The batch's sums are kept in
** this process (a hash of (year, month, function) and (region, year,
** function)) and written to the two aggregate tables by one INSERT … SELECT
** at commit, so the vouchers and their sums become visible together.
**
** When the identity index refuses the batch (SQLSTATE 23505: a voucher
** stored already, or repeated within the file) the savepoint is rolled back
** and the batch takes the slow path: COPY into a temporary staging table,
** the rows whose identity is taken read back and compared (the same voucher
** again is skipped, another one under the same number is FISC_EEXIST naming
** both lines, as with SQLite), then one statement inserts the rest and adds
** them to the aggregates. A sum that would leave int64 fails in the client
** or in the database (SQLSTATE 22003), both FISC_ERANGE.
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "store/pg.h"

/* The aggregates of the vouchers COPYed in this transaction, not yet
** written: region 0 marks a (year, month, function) sum, otherwise a
** (region, year, function) one (month 0). Open addressing, linear probing. */
typedef struct agg_slot {
	int64_t region;
	int32_t year, month, func, used;
	int64_t n, fen;
} agg_slot;

struct pg_vagg {
	size_t cap, len; /* cap a power of two */
	agg_slot *slot;
};

static uint64_t agg_hash(int64_t region, int32_t year, int32_t month, int32_t func)
{
	uint64_t h = (uint64_t)region * 0x9E3779B97F4A7C15u;
	h ^= ((uint64_t)(uint32_t)year << 32 | (uint32_t)(month << 24 ^ func)) + 0x632BE59BD9B4E019u +
	     (h << 6) + (h >> 2);
	h ^= h >> 29;
	return h * 0xBF58476D1CE4E5B9u;
}

static agg_slot *agg_find(struct pg_vagg *a, int64_t region, int32_t year, int32_t month,
			  int32_t func)
{
	size_t i = agg_hash(region, year, month, func) & (a->cap - 1);
	for (;; i = (i + 1) & (a->cap - 1)) {
		agg_slot *e = &a->slot[i];
		if (!e->used) {
			*e = (agg_slot){region, year, month, func, 1, 0, 0};
			a->len++;
			return e;
		}
		if (e->region == region && e->year == year && e->month == month && e->func == func)
			return e;
	}
}

static int agg_grow(struct pg_vagg *a)
{
	size_t cap = a->cap ? a->cap * 2 : 4096;
	agg_slot *old = a->slot;
	size_t oldcap = a->cap;
	if (!(a->slot = calloc(cap, sizeof *a->slot))) {
		a->slot = old;
		return FISC_ENOMEM;
	}
	a->cap = cap, a->len = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].used) {
			agg_slot *e = agg_find(a, old[i].region, old[i].year, old[i].month, old[i].func);
			e->n = old[i].n, e->fen = old[i].fen;
		}
	free(old);
	return FISC_OK;
}

static int agg_add(struct pg_vagg *a, int64_t region, int32_t year, int32_t month, int32_t func,
		   int64_t fen)
{
	/* Half full at most, so that a probe stays short and always ends. */
	if ((a->len + 1) * 2 > a->cap && agg_grow(a) != FISC_OK)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	agg_slot *e = agg_find(a, region, year, month, func);
	e->n++;
	if (__builtin_add_overflow(e->fen, fen, &e->fen))
		return fisc_error_set(FISC_ERANGE, "凭证金额合计超出范围 / voucher total out of range");
	return FISC_OK;
}

static void agg_free(pg_store *s)
{
	if (s->v_agg)
		free(s->v_agg->slot);
	free(s->v_agg);
	s->v_agg = NULL;
}

void fisc_pg_voucher_reset(fisc_store *st)
{
	pg_store *s = PG(st);
	agg_free(s);
	s->v_source = 0;
	s->v_path[0] = 0;
	s->v_inserted = s->v_skipped = s->v_skipped_fen = 0;
	/* A staging table created in a transaction that rolled back is gone;
	** one that committed is still there: IF NOT EXISTS covers both. */
	s->v_staging = 0;
}

int fisc_pg_voucher_source(fisc_store *st, const char *path)
{
	pg_store *s = PG(st);
	pg_args p = {0};
	int rc;
	fisc_pg_text(&p, path);
	PGresult *r = fisc_pg_exec(s, "INSERT INTO voucher_source(path) VALUES($1) RETURNING id", &p,
				   "voucher source", &rc);
	if (!r)
		return rc;
	s->v_source = fisc_pg_i64(r, 0, 0);
	snprintf(s->v_path, sizeof s->v_path, "%s", path ? path : "");
	PQclear(r);
	return FISC_OK;
}

void fisc_pg_voucher_skipped(fisc_store *st, int64_t *count, int64_t *fen)
{
	*count = PG(st)->v_skipped;
	*fen = PG(st)->v_skipped_fen;
}

/* Decimal digits of v at o; the end. snprintf's format parsing was the
** client's largest cost in a COPY of millions of rows. */
static char *put_int(char *o, int64_t v)
{
	char t[24];
	int n = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		t[n++] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*o++ = '-';
	while (n)
		*o++ = t[--n];
	return o;
}

/* Append one voucher as a line of COPY text; the number is escaped (COPY's
** text format gives \, tab and newline a meaning). source < 0: the staging
** table's columns (k first, no source); otherwise the voucher table's
** (region_id, date, unit, book, func, econ, fen, number, source_id, line). */
static size_t copy_line(char *out, size_t k, const fisc_voucher *x, int64_t source)
{
	char *o = out;
	if (source < 0) {
		o = put_int(o, (int64_t)k), *o++ = '\t';
		o = put_int(o, x->date), *o++ = '\t';
		o = put_int(o, x->region), *o++ = '\t';
	} else {
		o = put_int(o, x->region), *o++ = '\t';
		o = put_int(o, x->date), *o++ = '\t';
	}
	o = put_int(o, x->unit), *o++ = '\t';
	o = put_int(o, x->book), *o++ = '\t';
	o = put_int(o, x->func), *o++ = '\t';
	o = put_int(o, x->econ), *o++ = '\t';
	o = put_int(o, x->fen), *o++ = '\t';
	for (const char *c = x->number; *c; c++) {
		if (*c == '\\' || *c == '\t' || *c == '\n' || *c == '\r')
			*o++ = '\\', *o++ = *c == '\t' ? 't' : *c == '\n' ? 'n' : *c == '\r' ? 'r' : '\\';
		else
			*o++ = *c;
	}
	*o++ = '\t';
	if (source >= 0)
		o = put_int(o, source), *o++ = '\t';
	o = put_int(o, x->line), *o++ = '\n';
	return (size_t)(o - out);
}

/* COPY the batch through `copy`; *state (may be NULL) gets the SQLSTATE of
** a refusal, so that the caller can tell a taken identity from a failure. */
static int copy_batch(pg_store *s, const char *copy, const fisc_voucher *vs, size_t n,
		      int64_t source, char state[6])
{
	if (state)
		state[0] = 0;
	int rc = fisc_pg_fact_flush(s);
	if (rc != FISC_OK)
		return rc;
	PGresult *r = PQexec(s->c, copy);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		rc = fisc_pg_error(s->c, r, "voucher copy");
		PQclear(r);
		return rc;
	}
	PQclear(r);
	enum { CHUNK = 1 << 16 };
	/* A line is at most 11 numbers of 20 characters and the number, each
	** character of which may double. */
	char *buf = malloc(CHUNK + 512 + 2 * sizeof vs->number);
	size_t len = 0;
	int ok = buf != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		len += copy_line(buf + len, i, &vs[i], source);
		if (len >= CHUNK || i + 1 == n) {
			ok = PQputCopyData(s->c, buf, (int)len) == 1;
			len = 0;
		}
	}
	free(buf);
	if (PQputCopyEnd(s->c, ok ? NULL : "fisc: out of memory") != 1)
		return fisc_pg_error(s->c, NULL, "voucher copy");
	rc = FISC_OK;
	while ((r = PQgetResult(s->c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == FISC_OK) {
			const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
			if (state && st)
				snprintf(state, 6, "%s", st);
			rc = fisc_pg_error(s->c, r, "voucher copy");
		}
		PQclear(r);
	}
	if (rc == FISC_OK && !ok)
		rc = fisc_error_set(FISC_ENOMEM, "out of memory");
	return rc;
}

static int stage(pg_store *s, const fisc_voucher *vs, size_t n)
{
	int rc;
	if (!s->v_staging) {
		rc = fisc_pg_cmd(s,
				 "CREATE TEMP TABLE IF NOT EXISTS voucher_in(k integer, date integer,"
				 " region_id bigint, unit bigint, book smallint, func integer,"
				 " econ integer, fen bigint, number text, line bigint)"
				 " ON COMMIT DELETE ROWS",
				 NULL, "voucher staging", NULL);
		if (rc != FISC_OK)
			return rc;
		s->v_staging = 1;
	}
	if ((rc = fisc_pg_cmd(s, "TRUNCATE voucher_in", NULL, "voucher staging", NULL)) != FISC_OK)
		return rc;
	if ((rc = copy_batch(s, "COPY voucher_in FROM STDIN", vs, n, -1, NULL)) != FISC_OK)
		return rc;
	/* Without statistics the planner guesses the staging table large and
	** reads the whole voucher table to find the few taken identities. */
	return fisc_pg_cmd(s, "ANALYZE voucher_in", NULL, "voucher staging", NULL);
}

/* Staged rows whose identity is taken: by a stored voucher (first) or by an
** earlier row of the batch. */
static int duplicates(pg_store *s, const fisc_voucher *vs, size_t n, unsigned char *skip)
{
	int rc;
	PGresult *r = fisc_pg_exec(
		s,
		"SELECT i.k, v.date, v.book, v.func, v.econ, v.fen, coalesce(src.path,''),"
		" coalesce(v.line,0), coalesce(rg.code,''), -1"
		" FROM voucher_in i JOIN voucher v ON v.region_id=i.region_id AND v.unit=i.unit"
		"  AND v.date/10000=i.date/10000 AND v.number=i.number"
		" LEFT JOIN voucher_source src ON src.id=v.source_id"
		" LEFT JOIN region rg ON rg.id=v.region_id"
		" UNION ALL"
		" SELECT k, 0, 0, 0, 0, 0, '', 0, '', first FROM"
		" (SELECT k, first_value(k) OVER w AS first, row_number() OVER w AS nth FROM voucher_in"
		"  WINDOW w AS (PARTITION BY region_id, unit, date/10000, number ORDER BY k)) d"
		" WHERE nth > 1 ORDER BY 1, 10",
		NULL, "voucher lookup", &rc);
	if (!r)
		return rc;
	for (int i = 0; rc == FISC_OK && i < PQntuples(r); i++) {
		size_t k = (size_t)fisc_pg_i64(r, i, 0);
		if (k >= n || skip[k])
			continue; /* stored and repeated: the stored one decides */
		const fisc_voucher *x = &vs[k];
		int64_t first = fisc_pg_i64(r, i, 9);
		int32_t date, book, func, econ;
		int64_t fen, line;
		const char *path, *region;
		char code[32];
		if (first >= 0) {
			const fisc_voucher *y = &vs[first];
			date = y->date, book = y->book, func = y->func, econ = y->econ, fen = y->fen;
			path = s->v_path, line = y->line;
			region = "";
		} else {
			date = (int32_t)fisc_pg_i64(r, i, 1), book = (int32_t)fisc_pg_i64(r, i, 2);
			func = (int32_t)fisc_pg_i64(r, i, 3), econ = (int32_t)fisc_pg_i64(r, i, 4);
			fen = fisc_pg_i64(r, i, 5);
			path = fisc_pg_s(r, i, 6), line = fisc_pg_i64(r, i, 7);
			region = fisc_pg_s(r, i, 8);
		}
		if (!*region) {
			snprintf(code, sizeof code, "%lld", (long long)x->region);
			region = code;
		}
		if (date == x->date && book == x->book && func == x->func && econ == x->econ &&
		    fen == x->fen) {
			skip[k] = 1;
			s->v_skipped++;
			s->v_skipped_fen += x->fen;
			continue;
		}
		int year = x->date / 10000;
		rc = fisc_error_set(
			FISC_EEXIST,
			"%s:%lld: 凭证号「%s」（地区 %s，单位 %lld，%d 年）已由 %s:%lld 导入，内容不同 / "
			"voucher number '%s' (region %s, unit %lld, %d) was imported from %s:%lld with "
			"other content",
			s->v_path, (long long)x->line, x->number, region, (long long)x->unit, year, path,
			(long long)line, x->number, region, (long long)x->unit, year, path,
			(long long)line);
	}
	PQclear(r);
	return rc;
}

/* The fast path: the batch straight into the voucher table. *taken: the
** identity index refused it, nothing of it stays, take the slow path. */
static int put_direct(pg_store *s, const fisc_voucher *vs, size_t n, int *taken)
{
	int rc;
	char state[6];
	*taken = 0;
	if (!s->v_agg && !(s->v_agg = calloc(1, sizeof *s->v_agg)))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	if ((rc = fisc_pg_cmd(s, "SAVEPOINT fisc_voucher", NULL, "voucher copy", NULL)) != FISC_OK)
		return rc;
	rc = copy_batch(s,
			"COPY voucher(region_id,date,unit,book,func,econ,fen,number,source_id,line)"
			" FROM STDIN",
			vs, n, s->v_source, state);
	if (rc != FISC_OK) {
		if (strcmp(state, "23505") != 0)
			return rc;
		*taken = 1;
		rc = fisc_pg_cmd(s, "ROLLBACK TO SAVEPOINT fisc_voucher", NULL, "voucher copy", NULL);
		if (rc == FISC_OK)
			rc = fisc_pg_cmd(s, "RELEASE SAVEPOINT fisc_voucher", NULL, "voucher copy", NULL);
		return rc;
	}
	if ((rc = fisc_pg_cmd(s, "RELEASE SAVEPOINT fisc_voucher", NULL, "voucher copy", NULL)) !=
	    FISC_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const fisc_voucher *x = &vs[i];
		int32_t year = x->date / 10000, month = x->date / 100 % 100;
		assert(x->region != 0);
		if ((rc = agg_add(s->v_agg, 0, year, month, x->func, x->fen)) != FISC_OK ||
		    (rc = agg_add(s->v_agg, x->region, year, 0, x->func, x->fen)) != FISC_OK)
			return rc;
	}
	s->v_inserted += (int64_t)n;
	return FISC_OK;
}

/* The sums of the COPYed vouchers into the aggregate tables, in one
** statement; the client's hash is empty afterwards. */
static int agg_flush(pg_store *s)
{
	struct pg_vagg *a = s->v_agg;
	if (!a || !a->len)
		return FISC_OK;
	int rc = fisc_pg_cmd(s,
			     "CREATE TEMP TABLE IF NOT EXISTS voucher_agg(region_id bigint,"
			     " year integer, month integer, func integer, n bigint, fen bigint)"
			     " ON COMMIT DELETE ROWS",
			     NULL, "voucher aggregates", NULL);
	if (rc != FISC_OK)
		return rc;
	char *buf = malloc(a->len * 6 * 21 + 1), *o = buf;
	if (!buf)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	for (size_t i = 0; i < a->cap; i++) {
		const agg_slot *e = &a->slot[i];
		if (!e->used)
			continue;
		o = put_int(o, e->region), *o++ = '\t';
		o = put_int(o, e->year), *o++ = '\t';
		o = put_int(o, e->month), *o++ = '\t';
		o = put_int(o, e->func), *o++ = '\t';
		o = put_int(o, e->n), *o++ = '\t';
		o = put_int(o, e->fen), *o++ = '\n';
	}
	rc = fisc_pg_copy(s, "COPY voucher_agg FROM STDIN", buf, (size_t)(o - buf),
			  "voucher aggregates");
	free(buf);
	if (rc == FISC_OK)
		rc = fisc_pg_cmd(
			s,
			"WITH m AS (INSERT INTO voucher_month(year,month,func,n,fen)"
			" SELECT year, month, func, n, fen FROM voucher_agg WHERE region_id = 0"
			" ON CONFLICT (year,month,func) DO UPDATE SET n=voucher_month.n+excluded.n,"
			" fen=voucher_month.fen+excluded.fen)"
			" INSERT INTO voucher_region(region_id,year,func,n,fen)"
			" SELECT region_id, year, func, n, fen FROM voucher_agg WHERE region_id <> 0"
			" ON CONFLICT (region_id,year,func) DO UPDATE SET n=voucher_region.n+excluded.n,"
			" fen=voucher_region.fen+excluded.fen",
			NULL, "voucher aggregates", NULL);
	if (rc == FISC_OK)
		rc = fisc_pg_cmd(s, "TRUNCATE voucher_agg", NULL, "voucher aggregates", NULL);
	if (rc == FISC_ERANGE)
		return fisc_error_set(FISC_ERANGE, "凭证金额合计超出范围 / voucher total out of range");
	if (rc == FISC_OK) {
		memset(a->slot, 0, a->cap * sizeof *a->slot);
		a->len = 0;
	}
	return rc;
}

int fisc_pg_voucher_put(fisc_store *st, const fisc_voucher *vs, size_t n)
{
	pg_store *s = PG(st);
	int rc, taken;
	if (!n)
		return FISC_OK;
	if (!s->v_source && (rc = fisc_pg_voucher_source(st, "")) != FISC_OK)
		return rc;
	if ((rc = put_direct(s, vs, n, &taken)) != FISC_OK || !taken)
		return rc;
	if ((rc = stage(s, vs, n)) != FISC_OK)
		return rc;
	unsigned char *skip = calloc(n, 1);
	if (!skip)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	rc = duplicates(s, vs, n, skip);
	size_t fresh = 0;
	for (size_t i = 0; i < n; i++)
		fresh += !skip[i];
	free(skip);
	if (rc != FISC_OK)
		return rc;
	pg_args p = {0};
	fisc_pg_int(&p, s->v_source);
	PGresult *r = fisc_pg_exec(
		s,
		"WITH ins AS ("
		" INSERT INTO voucher(region_id,date,unit,book,func,econ,fen,number,source_id,line)"
		" SELECT region_id,date,unit,book,func,econ,fen,number,$1,line FROM voucher_in ORDER BY k"
		" ON CONFLICT (region_id, unit, (date / 10000), number) DO NOTHING"
		" RETURNING region_id, date, func, fen),"
		" m AS (INSERT INTO voucher_month(year,month,func,n,fen)"
		" SELECT date/10000, date/100%100, func, count(*), sum(fen)::bigint FROM ins GROUP BY 1,2,3"
		" ON CONFLICT (year,month,func) DO UPDATE SET n=voucher_month.n+excluded.n,"
		" fen=voucher_month.fen+excluded.fen),"
		" g AS (INSERT INTO voucher_region(region_id,year,func,n,fen)"
		" SELECT region_id, date/10000, func, count(*), sum(fen)::bigint FROM ins GROUP BY 1,2,3"
		" ON CONFLICT (region_id,year,func) DO UPDATE SET n=voucher_region.n+excluded.n,"
		" fen=voucher_region.fen+excluded.fen)"
		" SELECT count(*) FROM ins",
		&p, "voucher insert", &rc);
	if (!r)
		return rc == FISC_ERANGE
			       ? fisc_error_set(FISC_ERANGE, "凭证金额合计超出范围 / voucher total out of range")
			       : rc;
	int64_t wrote = fisc_pg_i64(r, 0, 0);
	PQclear(r);
	/* Another importer committed some of these between the lookup and the
	** insert: what was skipped was not compared. */
	if ((size_t)wrote != fresh)
		return fisc_error_set(FISC_ESTORE,
				      "另一进程同时导入了相同的凭证，请重试 / another process imported the same vouchers at the same time; retry");
	s->v_inserted += wrote;
	return FISC_OK;
}

int fisc_pg_voucher_commit(fisc_store *st)
{
	pg_store *s = PG(st);
	int rc = agg_flush(s);
	if (rc != FISC_OK)
		return rc;
	if (!s->v_source || s->v_inserted)
		return FISC_OK;
	/* Nothing new came from this source: leave no trace of it. */
	pg_args p = {0};
	fisc_pg_int(&p, s->v_source);
	return fisc_pg_cmd(s, "DELETE FROM voucher_source WHERE id=$1", &p, "voucher source", NULL);
}

static const char *const rollup_sql[2][2] = {
	/* [by - 1][scan] */
	{"SELECT year,month,0,func,n,fen FROM voucher_month ORDER BY year,func,month",
	 "SELECT date/10000,date/100%100,0,func,count(*),sum(fen)::bigint FROM voucher"
	 " GROUP BY 1,4,2 ORDER BY 1,4,2"},
	{"SELECT year,0,region_id,func,n,fen FROM voucher_region ORDER BY year,region_id,func",
	 "SELECT date/10000,0,region_id,func,count(*),sum(fen)::bigint FROM voucher"
	 " GROUP BY 1,3,4 ORDER BY 1,3,4"},
};

typedef struct rollup_walk {
	fisc_rollup_cb cb;
	void *ud;
} rollup_walk;

static int rollup_row(void *ud, const PGresult *r, int i)
{
	rollup_walk *w = ud;
	fisc_rollup_row x = {
		.year = (int32_t)fisc_pg_i64(r, i, 0),
		.month = (int32_t)fisc_pg_i64(r, i, 1),
		.region = fisc_pg_i64(r, i, 2),
		.code = (int32_t)fisc_pg_i64(r, i, 3),
		.level = 3,
		.count = fisc_pg_i64(r, i, 4),
		.fen = fisc_pg_i64(r, i, 5),
	};
	return w->cb(w->ud, &x);
}

int fisc_pg_voucher_rollup(fisc_store *st, int by, int scan, fisc_rollup_cb cb, void *ud)
{
	if (by != FISC_ROLLUP_FUNCTION_MONTH && by != FISC_ROLLUP_REGION_FUNCTION)
		return fisc_error_set(FISC_EINVAL, "未知的汇总方式 / unknown rollup");
	rollup_walk w = {cb, ud};
	/* Read inside the importing transaction: its sums first. */
	int rc = agg_flush(PG(st));
	if (rc != FISC_OK)
		return rc;
	rc = fisc_pg_walk(PG(st), rollup_sql[by - 1][scan ? 1 : 0], NULL, "rollup", rollup_row,
			      &w);
	if (rc == FISC_ERANGE)
		rc = fisc_error_set(FISC_ERANGE, "凭证金额合计超出范围 / voucher total out of range");
	return rc;
}

int64_t fisc_pg_voucher_count(fisc_store *st)
{
	int rc;
	PGresult *r = fisc_pg_exec(PG(st), "SELECT count(*) FROM voucher", NULL, "voucher", &rc);
	if (!r)
		return 0;
	int64_t n = fisc_pg_i64(r, 0, 0);
	PQclear(r);
	return n;
}
