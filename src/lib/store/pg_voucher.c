/*
** pg_voucher.c — payment vouchers in the PostgreSQL store.
**
** A batch of vouchers goes in by COPY (text) into a temporary staging table
** of this session, then one statement moves it: it inserts the new vouchers
** (ON CONFLICT on the identity index skips those stored already) and adds
** what it inserted into the two aggregate tables, inside the import's
** transaction, so that the vouchers and their sums become visible together.
** A sum that would leave int64 fails there (SQLSTATE 22003 → FISC_ERANGE).
**
** Before the move, the staged rows whose identity is stored already (or
** repeats an earlier row of the same batch) are read back and compared: the
** same voucher again is skipped, another one under the same number is
** FISC_EEXIST naming both lines, as with SQLite.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "store/pg.h"

void fisc_pg_voucher_reset(fisc_store *st)
{
	pg_store *s = PG(st);
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

/* Append one voucher as a line of COPY text; the number is escaped (COPY's
** text format gives \, tab and newline a meaning). */
static size_t copy_line(char *out, size_t k, const fisc_voucher *x)
{
	int n = sprintf(out, "%zu\t%d\t%lld\t%lld\t%d\t%d\t%d\t%lld\t", k, x->date,
			(long long)x->region, (long long)x->unit, x->book, x->func, x->econ,
			(long long)x->fen);
	char *o = out + n;
	for (const char *c = x->number; *c; c++) {
		if (*c == '\\' || *c == '\t' || *c == '\n' || *c == '\r')
			*o++ = '\\', *o++ = *c == '\t' ? 't' : *c == '\n' ? 'n' : *c == '\r' ? 'r' : '\\';
		else
			*o++ = *c;
	}
	o += sprintf(o, "\t%lld\n", (long long)x->line);
	return (size_t)(o - out);
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
	PGresult *r = PQexec(s->c, "COPY voucher_in FROM STDIN");
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		rc = fisc_pg_error(s->c, r, "voucher copy");
		PQclear(r);
		return rc;
	}
	PQclear(r);
	enum { CHUNK = 1 << 16 };
	char *buf = malloc(CHUNK + 512);
	size_t len = 0;
	int ok = buf != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		len += copy_line(buf + len, i, &vs[i]);
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
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == FISC_OK)
			rc = fisc_pg_error(s->c, r, "voucher copy");
		PQclear(r);
	}
	if (rc == FISC_OK && !ok)
		rc = fisc_error_set(FISC_ENOMEM, "out of memory");
	return rc;
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

int fisc_pg_voucher_put(fisc_store *st, const fisc_voucher *vs, size_t n)
{
	pg_store *s = PG(st);
	int rc;
	if (!n)
		return FISC_OK;
	if (!s->v_source && (rc = fisc_pg_voucher_source(st, "")) != FISC_OK)
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
	int rc = fisc_pg_walk(PG(st), rollup_sql[by - 1][scan ? 1 : 0], NULL, "rollup", rollup_row,
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
