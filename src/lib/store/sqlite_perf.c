/*
** sqlite_perf.c — performance indicators (indicator) and the narrative of a
** self-evaluation (perf_text) in the SQLite store; schema in sqlite.c's
** migration 3.
**
** A department has tens of indicators, not millions, so statements are
** prepared per call: simpler than caching them on the handle, and the cost
** does not show next to the rest of an import.
*/
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "fisc/error.h"
#include "store/sqlite_perf.h"
#include "store/sqlite_voucher.h" /* fisc_sqlite_db */

static int err(sqlite3 *db, const char *what) { return fisc_sqlite_error(db, what); }

static const char *col_text(sqlite3_stmt *q, int i)
{
	const unsigned char *s = sqlite3_column_text(q, i);
	return s ? (const char *)s : "";
}

static void bind_text(sqlite3_stmt *q, int i, const char *s)
{
	sqlite3_bind_text(q, i, s ? s : "", -1, SQLITE_STATIC);
}

/* The WHERE clause of a query, its parameters bound from 1. */
static const char *where(const fisc_perf_query *q)
{
	static const char *const w[8] = {
		"", " WHERE region_id=?1", " WHERE year=?2", " WHERE region_id=?1 AND year=?2",
		" WHERE dept=?3", " WHERE region_id=?1 AND dept=?3", " WHERE year=?2 AND dept=?3",
		" WHERE region_id=?1 AND year=?2 AND dept=?3"};
	int k = 0;
	if (q && q->region)
		k |= 1;
	if (q && q->year)
		k |= 2;
	if (q && q->dept)
		k |= 4;
	return w[k];
}

static void bind_query(sqlite3_stmt *s, const fisc_perf_query *q)
{
	if (!q)
		return;
	if (q->region)
		sqlite3_bind_int64(s, 1, q->region);
	if (q->year)
		sqlite3_bind_int(s, 2, q->year);
	if (q->dept)
		bind_text(s, 3, q->dept);
}

static int put(sqlite3 *db, sqlite3_stmt *q, const char *what)
{
	int step = sqlite3_step(q);
	int rc = FISC_OK;
	if (step == SQLITE_CONSTRAINT &&
	    sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE)
		rc = FISC_EEXIST;
	else if (step != SQLITE_DONE)
		rc = err(db, what);
	sqlite3_finalize(q);
	return rc;
}

int fisc_sqlite_indicator_put(fisc_store *st, const fisc_indicator *x)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO indicator(region_id,year,dept,project,class,sub,name,dir,"
			       "target_v,target_scale,actual_v,actual_scale,unit,target_text,actual_text,"
			       "grade,weight,score,reason,source)"
			       " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			       -1, &q, NULL) != SQLITE_OK)
		return err(db, "indicator");
	sqlite3_bind_int64(q, 1, x->region);
	sqlite3_bind_int(q, 2, x->year);
	bind_text(q, 3, x->dept);
	bind_text(q, 4, x->project);
	sqlite3_bind_int(q, 5, x->cls);
	bind_text(q, 6, x->sub);
	bind_text(q, 7, x->name);
	sqlite3_bind_int(q, 8, x->dir);
	if (x->has_target) {
		sqlite3_bind_int64(q, 9, x->target.v);
		sqlite3_bind_int(q, 10, x->target.scale);
	} else {
		sqlite3_bind_int(q, 10, 0);
	}
	if (x->has_actual) {
		sqlite3_bind_int64(q, 11, x->actual.v);
		sqlite3_bind_int(q, 12, x->actual.scale);
	} else {
		sqlite3_bind_int(q, 12, 0);
	}
	bind_text(q, 13, x->unit);
	bind_text(q, 14, x->target_text);
	bind_text(q, 15, x->actual_text);
	sqlite3_bind_int(q, 16, x->grade);
	if (x->has_weight)
		sqlite3_bind_int(q, 17, x->weight);
	if (x->has_score)
		sqlite3_bind_int(q, 18, x->score);
	bind_text(q, 19, x->reason);
	bind_text(q, 20, x->source);
	return put(db, q, "indicator");
}

/* The rows of `select` (ending in FROM table) matching pq, in id order, each
** handed to row(stmt, ud); row's nonzero return stops the walk. */
static int each_row(fisc_store *st, const char *what, const char *select,
		    const fisc_perf_query *pq, int (*row)(sqlite3_stmt *, void *), void *ud)
{
	sqlite3 *db = fisc_sqlite_db(st);
	char sql[512];
	snprintf(sql, sizeof sql, "%s%s ORDER BY id", select, where(pq));
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return err(db, what);
	bind_query(q, pq);
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		if ((rc = row(q, ud)) != 0)
			break;
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = err(db, what);
	sqlite3_finalize(q);
	return rc;
}

typedef struct ind_walk {
	fisc_indicator_cb cb;
	void *ud;
} ind_walk;

static int indicator_row(sqlite3_stmt *q, void *ud)
{
	const ind_walk *w = ud;
	fisc_indicator x;
	memset(&x, 0, sizeof x);
	x.id = sqlite3_column_int64(q, 0);
	x.region = sqlite3_column_int64(q, 1);
	x.year = sqlite3_column_int(q, 2);
	x.dept = col_text(q, 3);
	x.project = col_text(q, 4);
	x.cls = sqlite3_column_int(q, 5);
	x.sub = col_text(q, 6);
	x.name = col_text(q, 7);
	x.dir = sqlite3_column_int(q, 8);
	if ((x.has_target = sqlite3_column_type(q, 9) != SQLITE_NULL)) {
		x.target.v = sqlite3_column_int64(q, 9);
		x.target.scale = sqlite3_column_int(q, 10);
	}
	if ((x.has_actual = sqlite3_column_type(q, 11) != SQLITE_NULL)) {
		x.actual.v = sqlite3_column_int64(q, 11);
		x.actual.scale = sqlite3_column_int(q, 12);
	}
	x.unit = col_text(q, 13);
	x.target_text = col_text(q, 14);
	x.actual_text = col_text(q, 15);
	x.grade = sqlite3_column_int(q, 16);
	if ((x.has_weight = sqlite3_column_type(q, 17) != SQLITE_NULL))
		x.weight = sqlite3_column_int(q, 17);
	if ((x.has_score = sqlite3_column_type(q, 18) != SQLITE_NULL))
		x.score = sqlite3_column_int(q, 18);
	x.reason = col_text(q, 19);
	x.source = col_text(q, 20);
	return w->cb(w->ud, &x);
}

int fisc_sqlite_indicator_each(fisc_store *st, const fisc_perf_query *pq, fisc_indicator_cb cb,
			       void *ud)
{
	ind_walk w = {cb, ud};
	return each_row(st, "indicator",
			"SELECT id,region_id,year,dept,project,class,sub,name,dir,target_v,target_scale,"
			"actual_v,actual_scale,unit,target_text,actual_text,grade,weight,score,reason,"
			"source FROM indicator",
			pq, indicator_row, &w);
}

int fisc_sqlite_perf_text_put(fisc_store *st, const fisc_perf_text *t)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO perf_text(region_id,year,dept,project,section,text,source)"
			       " VALUES(?,?,?,?,?,?,?)",
			       -1, &q, NULL) != SQLITE_OK)
		return err(db, "perf_text");
	sqlite3_bind_int64(q, 1, t->region);
	sqlite3_bind_int(q, 2, t->year);
	bind_text(q, 3, t->dept);
	bind_text(q, 4, t->project);
	bind_text(q, 5, t->section);
	bind_text(q, 6, t->text);
	bind_text(q, 7, t->source);
	return put(db, q, "perf_text");
}

typedef struct text_walk {
	fisc_perf_text_cb cb;
	void *ud;
} text_walk;

static int text_row(sqlite3_stmt *q, void *ud)
{
	const text_walk *w = ud;
	fisc_perf_text t;
	t.region = sqlite3_column_int64(q, 0);
	t.year = sqlite3_column_int(q, 1);
	t.dept = col_text(q, 2);
	t.project = col_text(q, 3);
	t.section = col_text(q, 4);
	t.text = col_text(q, 5);
	t.source = col_text(q, 6);
	return w->cb(w->ud, &t);
}

int fisc_sqlite_perf_text_each(fisc_store *st, const fisc_perf_query *pq, fisc_perf_text_cb cb,
			       void *ud)
{
	text_walk w = {cb, ud};
	return each_row(st, "perf_text",
			"SELECT region_id,year,dept,project,section,text,source FROM perf_text", pq,
			text_row, &w);
}
