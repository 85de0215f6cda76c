/*
** sqlite_history.c — the history operations of the SQLite backend
** (backend.h fisc_history_vtab): documents in fact_doc, the current facts
** in fact (each with the document that established it), every ended
** version in fact_version. An amendment copies the current row into
** fact_version before it changes or removes it, in its own transaction,
** so a figure is never lost and the current table stays exactly what every
** current read expects.
*/
#include <string.h>
#include <sqlite3.h>
#include "fisc/error.h"
#include "store/sqlite_history.h"
#include "store/sqlite_scan.h"

#define FACT_COLS                                                                  \
	"region_id,year,book,phase,scope,item,kind,dept,project,econ,fund,fen,ulp,unit," \
	"decimals,source,note"

static const char *col(sqlite3_stmt *q, int i)
{
	const char *t = (const char *)sqlite3_column_text(q, i);
	return t ? t : "";
}

/* The columns "id, doc, ended_by, withdrawn, FACT_COLS" of a row. */
static void read_version(sqlite3_stmt *q, fisc_fact_version *v)
{
	fisc_fact *f = &v->f;
	f->id = sqlite3_column_int64(q, 0);
	v->doc = sqlite3_column_int64(q, 1);
	v->ended_by = sqlite3_column_int64(q, 2);
	v->withdrawn = sqlite3_column_int(q, 3);
	f->region = sqlite3_column_int64(q, 4);
	f->year = sqlite3_column_int(q, 5);
	f->book = (uint8_t)sqlite3_column_int(q, 6);
	f->phase = (uint8_t)sqlite3_column_int(q, 7);
	f->scope = (uint8_t)sqlite3_column_int(q, 8);
	f->item = col(q, 9);
	f->kind = (uint8_t)sqlite3_column_int(q, 10);
	f->dept = col(q, 11);
	f->project = col(q, 12);
	f->econ = col(q, 13);
	f->fund = col(q, 14);
	f->has_amount = sqlite3_column_type(q, 15) != SQLITE_NULL;
	f->amount.fen = sqlite3_column_int64(q, 15);
	f->amount.ulp = sqlite3_column_int64(q, 16);
	f->amount.unit = (int8_t)sqlite3_column_int(q, 17);
	f->amount.decimals = (int8_t)sqlite3_column_int(q, 18);
	f->source = col(q, 19);
	f->note = col(q, 20);
}

static int doc_put(fisc_store *st, const fisc_fact_doc *d, int64_t *id)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	/* An id and a creation time given (`fisc copy`) are kept. */
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO fact_doc(kind,number,date,author,reason,source,id,created)"
			       " VALUES(?,?,?,?,?,?,?,coalesce(?,datetime('now')))", -1, &q,
			       NULL) != SQLITE_OK)
		return fisc_sqlite_error(db, "fact_doc");
	if (d->id > 0)
		sqlite3_bind_int64(q, 7, d->id);
	if (d->created && *d->created)
		sqlite3_bind_text(q, 8, d->created, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 1, d->kind);
	sqlite3_bind_text(q, 2, d->number ? d->number : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 3, d->date);
	sqlite3_bind_text(q, 4, d->author ? d->author : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, d->reason ? d->reason : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, d->source ? d->source : "", -1, SQLITE_STATIC);
	int rc = FISC_OK;
	if (sqlite3_step(q) != SQLITE_DONE)
		rc = sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE
			     ? fisc_error_set(FISC_EEXIST, "文号「%s」已被另一修正使用 / document number '%s' is already used",
					      d->number, d->number)
			     : fisc_sqlite_error(db, "fact_doc");
	sqlite3_finalize(q);
	if (rc == FISC_OK) {
		*id = sqlite3_last_insert_rowid(db);
		*fisc_sqlite_doc_slot(st) = *id;
	}
	return rc;
}

static int doc_get(fisc_store *st, int64_t id, const char *number, fisc_arena *a,
		   fisc_fact_doc *out)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       number ? "SELECT id,kind,number,date,author,reason,source,created"
					" FROM fact_doc WHERE number=?"
				      : "SELECT id,kind,number,date,author,reason,source,created"
					" FROM fact_doc WHERE id=?",
			       -1, &q, NULL) != SQLITE_OK)
		return fisc_sqlite_error(db, "fact_doc");
	if (number)
		sqlite3_bind_text(q, 1, number, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(q, 1, id);
	int step = sqlite3_step(q), rc = FISC_ENOTFOUND;
	if (step == SQLITE_ROW) {
		out->id = sqlite3_column_int64(q, 0);
		out->kind = sqlite3_column_int(q, 1);
		out->number = fisc_arena_strdup(a, col(q, 2));
		out->date = sqlite3_column_int(q, 3);
		out->author = fisc_arena_strdup(a, col(q, 4));
		out->reason = fisc_arena_strdup(a, col(q, 5));
		out->source = fisc_arena_strdup(a, col(q, 6));
		out->created = fisc_arena_strdup(a, col(q, 7));
		rc = out->number && out->author && out->reason && out->source && out->created
			     ? FISC_OK
			     : fisc_error_set(FISC_ENOMEM, "out of memory");
	} else if (step != SQLITE_DONE) {
		rc = fisc_sqlite_error(db, "fact_doc");
	}
	sqlite3_finalize(q);
	return rc;
}

static int fact_find(fisc_store *st, const fisc_fact *k, fisc_version_cb cb, void *ud)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "SELECT id,doc,0,0," FACT_COLS " FROM fact WHERE region_id=? AND year=?"
			       " AND book=? AND phase=? AND scope=? AND item=? AND kind=? AND dept=?"
			       " AND project=? AND econ=? AND fund=?", -1, &q, NULL) != SQLITE_OK)
		return fisc_sqlite_error(db, "fact");
	fisc_sqlite_bind_fact(q, 1, k, 0);
	int step = sqlite3_step(q), rc = FISC_OK;
	if (step == SQLITE_ROW) {
		fisc_fact_version v;
		read_version(q, &v);
		rc = cb(ud, &v);
	} else if (step != SQLITE_DONE) {
		rc = fisc_sqlite_error(db, "fact");
	}
	sqlite3_finalize(q);
	return rc;
}

static int run(sqlite3 *db, sqlite3_stmt *q, int want_changes)
{
	int rc = sqlite3_step(q) == SQLITE_DONE ? FISC_OK : fisc_sqlite_error(db, "fact version");
	if (rc == FISC_OK && want_changes && sqlite3_changes(db) != 1)
		rc = fisc_error_set(FISC_ESTORE, "要修正的事实不存在 / the fact to amend is not stored");
	sqlite3_finalize(q);
	return rc;
}

static int fact_supersede(fisc_store *st, int64_t id, const fisc_fact *now, int64_t doc)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO fact_version(id,doc,ended_by,withdrawn," FACT_COLS ")"
			       " SELECT id,doc,?1,?2," FACT_COLS " FROM fact WHERE id=?3",
			       -1, &q, NULL) != SQLITE_OK)
		return fisc_sqlite_error(db, "fact version");
	sqlite3_bind_int64(q, 1, doc);
	sqlite3_bind_int(q, 2, now == NULL);
	sqlite3_bind_int64(q, 3, id);
	int rc = run(db, q, 1);
	if (rc != FISC_OK)
		return rc;
	if (!now) {
		if (sqlite3_prepare_v2(db, "DELETE FROM fact WHERE id=?", -1, &q, NULL) != SQLITE_OK)
			return fisc_sqlite_error(db, "fact version");
		sqlite3_bind_int64(q, 1, id);
		return run(db, q, 1);
	}
	if (sqlite3_prepare_v2(db,
			       "UPDATE fact SET fen=?,ulp=?,unit=?,decimals=?,source=?,note=?,doc=?"
			       " WHERE id=?", -1, &q, NULL) != SQLITE_OK)
		return fisc_sqlite_error(db, "fact version");
	if (now->has_amount)
		sqlite3_bind_int64(q, 1, now->amount.fen);
	sqlite3_bind_int64(q, 2, now->amount.ulp > 0 ? now->amount.ulp : 1);
	sqlite3_bind_int(q, 3, now->amount.unit);
	sqlite3_bind_int(q, 4, now->amount.decimals);
	sqlite3_bind_text(q, 5, now->source ? now->source : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, now->note ? now->note : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 7, doc);
	sqlite3_bind_int64(q, 8, id);
	return run(db, q, 1);
}

static int version_each(fisc_store *st, const fisc_query *qy, int64_t doc, fisc_version_cb cb,
			void *ud)
{
	sqlite3 *db = fisc_sqlite_db(st);
	char where[512], sql[4096];
	fisc_query none = {0};
	if (!qy)
		qy = &none;
	fisc_sqlite_where(qy, where, sizeof where);
	if (doc > 0)
		snprintf(sql, sizeof sql,
			 "SELECT id,doc,0,0," FACT_COLS " FROM fact WHERE doc=%lld%s"
			 " UNION ALL SELECT id,doc,ended_by,withdrawn," FACT_COLS " FROM fact_version"
			 " WHERE doc=%lld%s UNION ALL SELECT id,doc,ended_by,withdrawn," FACT_COLS
			 " FROM fact_version WHERE ended_by=%lld%s ORDER BY 1,2",
			 (long long)doc, where, (long long)doc, where, (long long)doc, where);
	else
		snprintf(sql, sizeof sql,
			 "SELECT id,doc,0,0," FACT_COLS " FROM fact WHERE 1%s"
			 " UNION ALL SELECT id,doc,ended_by,withdrawn," FACT_COLS " FROM fact_version"
			 " WHERE 1%s ORDER BY 1,2", where, where);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return fisc_sqlite_error(db, "fact versions");
	if (qy->dept)
		sqlite3_bind_text(q, 1, qy->dept, -1, SQLITE_STATIC);
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_fact_version v;
		read_version(q, &v);
		if ((rc = cb(ud, &v)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = fisc_sqlite_error(db, "fact versions");
	sqlite3_finalize(q);
	return rc;
}

static int doc_each(fisc_store *st, fisc_fact_doc_cb cb, void *ud)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db,
			       "SELECT id,kind,number,date,author,reason,source,created"
			       " FROM fact_doc WHERE id<>0 ORDER BY id", -1, &q, NULL) != SQLITE_OK)
		return fisc_sqlite_error(db, "fact_doc");
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_fact_doc d = {sqlite3_column_int64(q, 0), sqlite3_column_int(q, 1), col(q, 2),
				   sqlite3_column_int(q, 3),   col(q, 4), col(q, 5), col(q, 6), col(q, 7)};
		if ((rc = cb(ud, &d)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = fisc_sqlite_error(db, "fact_doc");
	sqlite3_finalize(q);
	return rc;
}

/* `fisc copy`: versions as they are (ids, documents, ends kept). */
static int version_put(fisc_store *st, const fisc_fact_version *vs, size_t n)
{
	sqlite3 *db = fisc_sqlite_db(st);
	sqlite3_stmt *cur, *old;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO fact(id,doc," FACT_COLS ")"
			       " VALUES(?1,?2,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21)",
			       -1, &cur, NULL) != SQLITE_OK)
		return fisc_sqlite_error(db, "fact copy");
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO fact_version(id,doc,ended_by,withdrawn," FACT_COLS ")"
			       " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21)",
			       -1, &old, NULL) != SQLITE_OK) {
		sqlite3_finalize(cur);
		return fisc_sqlite_error(db, "fact copy");
	}
	int rc = FISC_OK;
	for (size_t i = 0; rc == FISC_OK && i < n; i++) {
		const fisc_fact_version *v = &vs[i];
		const fisc_fact *f = &v->f;
		sqlite3_stmt *q = v->ended_by ? old : cur;
		sqlite3_reset(q);
		sqlite3_clear_bindings(q);
		sqlite3_bind_int64(q, 1, f->id);
		sqlite3_bind_int64(q, 2, v->doc);
		if (v->ended_by) {
			sqlite3_bind_int64(q, 3, v->ended_by);
			sqlite3_bind_int(q, 4, v->withdrawn);
		}
		fisc_sqlite_bind_fact(q, 5, f, 1);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = fisc_sqlite_error(db, "fact copy");
	}
	sqlite3_finalize(cur);
	sqlite3_finalize(old);
	return rc;
}

const fisc_history_vtab fisc_sqlite_history_vtab = {
	.doc_put = doc_put,
	.doc_get = doc_get,
	.fact_find = fact_find,
	.fact_supersede = fact_supersede,
	.version_each = version_each,
	.doc_each = doc_each,
	.version_put = version_put,
};
