/*
** sqlite.c — the embedded store: facts, regions and catalogue editions in one
** SQLite file (WAL, foreign keys on, schema versioned by PRAGMA user_version).
**
** Migrations are an append-only array of SQL scripts; opening a store applies
** the ones it has not seen, in one transaction. Statements used per fact are
** prepared once per handle, so a bulk import costs one step per row.
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "fisc/error.h"
#include "store/backend.h"
#include "store/sqlite_voucher.h"
#include "store/sqlite_scan.h"
#include "store/sqlite_perf.h"
#include "store/sqlite_user.h"

static const char *const migrations[] = {
	/* 1: the initial schema */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE region("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  parent_id INTEGER REFERENCES region(id),"
	"  level TEXT NOT NULL DEFAULT '',"
	"  label_all TEXT NOT NULL DEFAULT '',"
	"  label_self TEXT NOT NULL DEFAULT '',"
	"  label_lower TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX region_name ON region(name);"
	"CREATE TABLE edition("
	"  year INTEGER PRIMARY KEY,"
	"  source TEXT NOT NULL DEFAULT '',"
	"  loaded_at TEXT NOT NULL DEFAULT (datetime('now')));"
	"CREATE TABLE catalog("
	"  year INTEGER NOT NULL REFERENCES edition(year) ON DELETE CASCADE,"
	"  code TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  parent TEXT NOT NULL DEFAULT '',"
	"  level INTEGER NOT NULL,"
	"  kind INTEGER NOT NULL,"
	"  PRIMARY KEY(year, code)) WITHOUT ROWID;"
	"CREATE TABLE line("
	"  id TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  side TEXT NOT NULL,"
	"  parent TEXT NOT NULL DEFAULT '',"
	"  codes TEXT NOT NULL DEFAULT '',"
	"  ord INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE alias("
	"  alias TEXT NOT NULL,"
	"  book INTEGER NOT NULL DEFAULT -1,"
	"  target TEXT NOT NULL,"
	"  PRIMARY KEY(alias, book)) WITHOUT ROWID;"
	"CREATE TABLE fact("
	"  id INTEGER PRIMARY KEY,"
	"  region_id INTEGER NOT NULL REFERENCES region(id),"
	"  year INTEGER NOT NULL,"
	"  book INTEGER NOT NULL CHECK(book BETWEEN 0 AND 4),"
	"  phase INTEGER NOT NULL CHECK(phase BETWEEN 1 AND 4),"
	"  scope INTEGER NOT NULL CHECK(scope BETWEEN 1 AND 3),"
	"  item TEXT NOT NULL,"
	"  kind INTEGER NOT NULL DEFAULT 0 CHECK(kind IN (0,1)),"
	"  dept TEXT NOT NULL DEFAULT '',"
	"  project TEXT NOT NULL DEFAULT '',"
	"  econ TEXT NOT NULL DEFAULT '',"
	"  fund TEXT NOT NULL DEFAULT '',"
	"  fen INTEGER,"
	"  ulp INTEGER NOT NULL DEFAULT 1 CHECK(ulp >= 1),"
	"  unit INTEGER NOT NULL DEFAULT 1 CHECK(unit BETWEEN 0 AND 2),"
	"  decimals INTEGER NOT NULL DEFAULT 0,"
	"  source TEXT NOT NULL DEFAULT '',"
	"  note TEXT NOT NULL DEFAULT '',"
	"  UNIQUE(region_id, year, book, phase, scope, item, kind, dept, project, econ, fund));",
	/* 2: payment vouchers and their rollup aggregates (sqlite_voucher.c).
	** No foreign key or index on voucher: the importer validates every
	** field, and a per-row index would double ingest time. The CHECKs on
	** the sums catch SQLite turning an overflowing integer into a float. */
	"CREATE TABLE voucher("
	"  id INTEGER PRIMARY KEY,"
	"  date INTEGER NOT NULL,"
	"  region_id INTEGER NOT NULL,"
	"  unit INTEGER NOT NULL,"
	"  book INTEGER NOT NULL,"
	"  func INTEGER NOT NULL,"
	"  econ INTEGER NOT NULL,"
	"  fen INTEGER NOT NULL);"
	"CREATE TABLE voucher_month("
	"  year INTEGER NOT NULL, month INTEGER NOT NULL, func INTEGER NOT NULL,"
	"  n INTEGER NOT NULL, fen INTEGER NOT NULL CHECK(typeof(fen)='integer'),"
	"  PRIMARY KEY(year, month, func)) WITHOUT ROWID;"
	"CREATE TABLE voucher_region("
	"  year INTEGER NOT NULL, region_id INTEGER NOT NULL, func INTEGER NOT NULL,"
	"  n INTEGER NOT NULL, fen INTEGER NOT NULL CHECK(typeof(fen)='integer'),"
	"  PRIMARY KEY(year, region_id, func)) WITHOUT ROWID;",
	/* 3: performance indicators and the self-evaluation's narrative
	** (sqlite_perf.c). Decimals are kept as written: an integer and its
	** scale; points in hundredths. */
	"CREATE TABLE indicator("
	"  id INTEGER PRIMARY KEY,"
	"  region_id INTEGER NOT NULL REFERENCES region(id),"
	"  year INTEGER NOT NULL,"
	"  dept TEXT NOT NULL,"
	"  project TEXT NOT NULL DEFAULT '',"
	"  class INTEGER NOT NULL CHECK(class BETWEEN 1 AND 4),"
	"  sub TEXT NOT NULL DEFAULT '',"
	"  name TEXT NOT NULL,"
	"  dir INTEGER NOT NULL CHECK(dir BETWEEN 1 AND 4),"
	"  target_v INTEGER, target_scale INTEGER NOT NULL DEFAULT 0,"
	"  actual_v INTEGER, actual_scale INTEGER NOT NULL DEFAULT 0,"
	"  unit TEXT NOT NULL DEFAULT '',"
	"  target_text TEXT NOT NULL DEFAULT '',"
	"  actual_text TEXT NOT NULL DEFAULT '',"
	"  grade INTEGER NOT NULL DEFAULT 0 CHECK(grade BETWEEN 0 AND 3),"
	"  weight INTEGER CHECK(weight BETWEEN 0 AND 10000),"
	"  score INTEGER CHECK(score BETWEEN 0 AND 10000),"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  source TEXT NOT NULL DEFAULT '',"
	"  UNIQUE(region_id, year, dept, project, class, sub, name));"
	"CREATE INDEX indicator_dept ON indicator(dept, year);"
	"CREATE TABLE perf_text("
	"  id INTEGER PRIMARY KEY,"
	"  region_id INTEGER NOT NULL REFERENCES region(id),"
	"  year INTEGER NOT NULL,"
	"  dept TEXT NOT NULL,"
	"  project TEXT NOT NULL DEFAULT '',"
	"  section TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  source TEXT NOT NULL DEFAULT '',"
	"  UNIQUE(region_id, year, dept, project, section));",
	/* 4: users, their tokens (SHA-256 only), publication marks and the
	** event log of `fisc serve` (sqlite_user.c). */
	FISC_SQLITE_USER_SCHEMA,
};

enum { NMIGRATIONS = sizeof migrations / sizeof *migrations };

enum {
	ST_FACT_PUT,
	ST_REGION_BY_CODE,
	ST_REGION_BY_NAME,
	ST_REGION_BY_ID,
	ST_REGION_PUT,
	ST_CATALOG_PUT,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_FACT_PUT] =
		"INSERT INTO fact(region_id,year,book,phase,scope,item,kind,dept,"
		"project,econ,fund,fen,ulp,unit,decimals,source,note)"
		" VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[ST_REGION_BY_CODE] =
		"SELECT r.id,r.code,r.name,coalesce(p.code,''),r.level,r.label_all,"
		"r.label_self,r.label_lower FROM region r LEFT JOIN region p"
		" ON p.id=r.parent_id WHERE r.code=?",
	[ST_REGION_BY_NAME] =
		"SELECT r.id,r.code,r.name,coalesce(p.code,''),r.level,r.label_all,"
		"r.label_self,r.label_lower FROM region r LEFT JOIN region p"
		" ON p.id=r.parent_id WHERE r.name=? ORDER BY r.id",
	[ST_REGION_BY_ID] =
		"SELECT r.id,r.code,r.name,coalesce(p.code,''),r.level,r.label_all,"
		"r.label_self,r.label_lower FROM region r LEFT JOIN region p"
		" ON p.id=r.parent_id WHERE r.id=?",
	[ST_REGION_PUT] =
		"INSERT INTO region(code,name,parent_id,level,label_all,label_self,"
		"label_lower) VALUES(?,?,?,?,?,?,?)",
	[ST_CATALOG_PUT] =
		"INSERT OR REPLACE INTO catalog(year,code,name,parent,level,kind)"
		" VALUES(?,?,?,?,?,?)",
};

typedef struct sq_store {
	fisc_store base;
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	sq_voucher *voucher; /* sqlite_voucher.c's state, NULL until used */
} sq_store;

static sq_store *SQ(fisc_store *s) { return (sq_store *)s; }

sqlite3 *fisc_sqlite_db(fisc_store *st) { return SQ(st)->db; }
sq_voucher **fisc_sqlite_voucher_slot(fisc_store *st) { return &SQ(st)->voucher; }

static int sq_err(sqlite3 *db, const char *what)
{
	return fisc_error_set(FISC_ESTORE, "数据库错误（%s）/ database error (%s): %s",
			      what, what, sqlite3_errmsg(db));
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = fisc_error_set(FISC_ESTORE, "数据库错误 / database error: %s",
					msg ? msg : "?");
		sqlite3_free(msg);
		return rc;
	}
	return FISC_OK;
}

static sqlite3_stmt *stmt(sq_store *s, int which)
{
	if (!s->st[which] &&
	    sqlite3_prepare_v3(s->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
			       &s->st[which], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(s->st[which]);
	sqlite3_clear_bindings(s->st[which]);
	return s->st[which];
}

static int migrate(sq_store *s)
{
	sqlite3_stmt *q;
	int version = 0;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
		return sq_err(s->db, "user_version");
	if (sqlite3_step(q) == SQLITE_ROW)
		version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (version > NMIGRATIONS)
		return fisc_error_set(FISC_ESTORE,
				      "数据库版本 %d 高于本程序支持的 %d / store schema %d is newer than this fisc (%d)",
				      version, NMIGRATIONS, version, NMIGRATIONS);
	if (version == NMIGRATIONS)
		return FISC_OK;
	s->base.is_new = version == 0;
	int rc = exec(s->db, "BEGIN IMMEDIATE");
	for (int v = version; rc == FISC_OK && v < NMIGRATIONS; v++) {
		rc = exec(s->db, migrations[v]);
		if (rc == FISC_OK) {
			char sql[64];
			snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
			rc = exec(s->db, sql);
		}
	}
	if (rc == FISC_OK)
		rc = exec(s->db, "COMMIT");
	else
		exec(s->db, "ROLLBACK");
	return rc;
}

static void sq_close(fisc_store *st)
{
	sq_store *s = SQ(st);
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	fisc_sqlite_voucher_free(st);
	sqlite3_close(s->db);
	free(s);
}

static int sq_begin(fisc_store *st) { return exec(SQ(st)->db, "BEGIN IMMEDIATE"); }
static int sq_commit(fisc_store *st)
{
	int rc = fisc_sqlite_voucher_flush(st);
	return rc == FISC_OK ? exec(SQ(st)->db, "COMMIT") : rc;
}
static int sq_rollback(fisc_store *st)
{
	fisc_sqlite_voucher_discard(st);
	return exec(SQ(st)->db, "ROLLBACK");
}

static const char *col(sqlite3_stmt *q, int i)
{
	const char *t = (const char *)sqlite3_column_text(q, i);
	return t ? t : "";
}

static void read_region(sqlite3_stmt *q, fisc_arena *a, fisc_region *r)
{
	r->id = sqlite3_column_int64(q, 0);
	r->code = fisc_arena_strdup(a, col(q, 1));
	r->name = fisc_arena_strdup(a, col(q, 2));
	r->parent_code = fisc_arena_strdup(a, col(q, 3));
	r->level = fisc_arena_strdup(a, col(q, 4));
	r->label_all = fisc_arena_strdup(a, col(q, 5));
	r->label_self = fisc_arena_strdup(a, col(q, 6));
	r->label_lower = fisc_arena_strdup(a, col(q, 7));
}

static int find_one(sq_store *s, int which, const char *key, int64_t id,
		    fisc_arena *a, fisc_region *out)
{
	sqlite3_stmt *q = stmt(s, which);
	if (!q)
		return sq_err(s->db, "prepare");
	if (key)
		sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		read_region(q, a, out);
		sqlite3_reset(q);
		return FISC_OK;
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return sq_err(s->db, "region");
	return FISC_ENOTFOUND;
}

static int sq_region_find(fisc_store *st, const char *k, fisc_arena *a,
			  fisc_region *out)
{
	int rc = find_one(SQ(st), ST_REGION_BY_CODE, k, 0, a, out);
	if (rc == FISC_ENOTFOUND)
		rc = find_one(SQ(st), ST_REGION_BY_NAME, k, 0, a, out);
	if (rc == FISC_ENOTFOUND)
		fisc_error_set(rc, "未知地区「%s」/ unknown region '%s'", k, k);
	return rc;
}

static int sq_region_get(fisc_store *st, int64_t id, fisc_arena *a,
			 fisc_region *out)
{
	return find_one(SQ(st), ST_REGION_BY_ID, NULL, id, a, out);
}

static int same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static int sq_region_put(fisc_store *st, const fisc_region *r, int64_t *id)
{
	sq_store *s = SQ(st);
	fisc_arena *a = fisc_arena_new();
	fisc_region old, parent;
	int64_t parent_id = 0;
	int rc;
	if (!a)
		return FISC_ENOMEM;
	if (r->parent_code && *r->parent_code) {
		rc = sq_region_find(st, r->parent_code, a, &parent);
		if (rc != FISC_OK)
			goto out;
		parent_id = parent.id;
	}
	rc = find_one(s, ST_REGION_BY_CODE, r->code, 0, a, &old);
	if (rc == FISC_OK) {
		/* Re-importing the same region is harmless; changing it is not. */
		int64_t old_parent = 0;
		if (*old.parent_code) {
			fisc_region p;
			if (find_one(s, ST_REGION_BY_CODE, old.parent_code, 0, a, &p) == FISC_OK)
				old_parent = p.id;
		}
		/* Labels compare as reports would print them: an omitted label
		** equals the default of the level. */
		if (same(old.name, r->name) && old_parent == parent_id &&
		    same(old.level, r->level) &&
		    same(fisc_region_scope_label(&old, FISC_SCOPE_ALL),
			 fisc_region_scope_label(r, FISC_SCOPE_ALL)) &&
		    same(fisc_region_scope_label(&old, FISC_SCOPE_SELF),
			 fisc_region_scope_label(r, FISC_SCOPE_SELF)) &&
		    same(fisc_region_scope_label(&old, FISC_SCOPE_LOWER),
			 fisc_region_scope_label(r, FISC_SCOPE_LOWER))) {
			if (id)
				*id = old.id;
			rc = FISC_OK;
		} else {
			rc = fisc_error_set(FISC_EEXIST,
					    "地区代码「%s」已存在且属性不同（%s）/ region code '%s' exists with other attributes (%s)",
					    r->code, old.name, r->code, old.name);
		}
		goto out;
	}
	if (rc != FISC_ENOTFOUND)
		goto out;
	sqlite3_stmt *q = stmt(s, ST_REGION_PUT);
	if (!q) {
		rc = sq_err(s->db, "prepare");
		goto out;
	}
	sqlite3_bind_text(q, 1, r->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, r->name, -1, SQLITE_STATIC);
	if (parent_id)
		sqlite3_bind_int64(q, 3, parent_id);
	sqlite3_bind_text(q, 4, r->level ? r->level : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, r->label_all ? r->label_all : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, r->label_self ? r->label_self : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, r->label_lower ? r->label_lower : "", -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		rc = sq_err(s->db, "region insert");
		sqlite3_reset(q);
		goto out;
	}
	sqlite3_reset(q);
	if (id)
		*id = sqlite3_last_insert_rowid(s->db);
	rc = FISC_OK;
out:
	fisc_arena_free(a);
	return rc;
}

static int sq_region_each(fisc_store *st, fisc_region_cb cb, void *ud)
{
	sq_store *s = SQ(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT r.id,r.code,r.name,coalesce(p.code,''),r.level,"
			       "r.label_all,r.label_self,r.label_lower FROM region r"
			       " LEFT JOIN region p ON p.id=r.parent_id ORDER BY r.id",
			       -1, &q, NULL) != SQLITE_OK)
		return sq_err(s->db, "region list");
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_region r = {sqlite3_column_int64(q, 0), col(q, 1), col(q, 2),
				 col(q, 3), col(q, 4), col(q, 5), col(q, 6), col(q, 7)};
		if ((rc = cb(ud, &r)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = sq_err(s->db, "region list");
	sqlite3_finalize(q);
	return rc;
}

static int sq_fact_put(fisc_store *st, const fisc_fact *f)
{
	sq_store *s = SQ(st);
	sqlite3_stmt *q = stmt(s, ST_FACT_PUT);
	if (!q)
		return sq_err(s->db, "prepare");
	sqlite3_bind_int64(q, 1, f->region);
	sqlite3_bind_int(q, 2, f->year);
	sqlite3_bind_int(q, 3, f->book);
	sqlite3_bind_int(q, 4, f->phase);
	sqlite3_bind_int(q, 5, f->scope);
	sqlite3_bind_text(q, 6, f->item, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 7, f->kind);
	sqlite3_bind_text(q, 8, f->dept, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 9, f->project, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, f->econ, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 11, f->fund, -1, SQLITE_STATIC);
	if (f->has_amount)
		sqlite3_bind_int64(q, 12, f->amount.fen);
	sqlite3_bind_int64(q, 13, f->amount.ulp > 0 ? f->amount.ulp : 1);
	sqlite3_bind_int(q, 14, f->amount.unit);
	sqlite3_bind_int(q, 15, f->amount.decimals);
	sqlite3_bind_text(q, 16, f->source ? f->source : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 17, f->note ? f->note : "", -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	int ext = sqlite3_extended_errcode(s->db);
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		return FISC_OK;
	if (ext == SQLITE_CONSTRAINT_UNIQUE)
		return fisc_error_set(FISC_EEXIST, "重复的事实 / duplicate fact");
	return sq_err(s->db, "fact insert");
}

/* Prepare "SELECT cols FROM fact" for the facts matching qy, in id order
** (also for sqlite_scan.c). */
int fisc_sqlite_fact_select(fisc_store *st, const fisc_query *qy, const char *cols,
			    sqlite3_stmt **out)
{
	sq_store *s = SQ(st);
	char sql[512];
	int n = snprintf(sql, sizeof sql, "SELECT %s FROM fact WHERE 1", cols);
	fisc_query none = {0};
	if (!qy)
		qy = &none;
	if (qy->region)
		n += snprintf(sql + n, sizeof sql - n, " AND region_id=%lld", (long long)qy->region);
	if (qy->year)
		n += snprintf(sql + n, sizeof sql - n, " AND year=%d", qy->year);
	if (qy->book_set)
		n += snprintf(sql + n, sizeof sql - n, " AND book=%d", qy->book);
	if (qy->phase)
		n += snprintf(sql + n, sizeof sql - n, " AND phase=%d", qy->phase);
	if (qy->scope)
		n += snprintf(sql + n, sizeof sql - n, " AND scope=%d", qy->scope);
	if (qy->dept)
		n += snprintf(sql + n, sizeof sql - n, " AND dept=?1");
	snprintf(sql + n, sizeof sql - n, " ORDER BY id");
	if (sqlite3_prepare_v2(s->db, sql, -1, out, NULL) != SQLITE_OK)
		return sq_err(s->db, "fact query");
	if (qy->dept)
		sqlite3_bind_text(*out, 1, qy->dept, -1, SQLITE_STATIC);
	return FISC_OK;
}

static int sq_fact_each(fisc_store *st, const fisc_query *qy, fisc_fact_cb cb,
			void *ud)
{
	sq_store *s = SQ(st);
	sqlite3_stmt *q;
	int rc = fisc_sqlite_fact_select(st, qy, "id,region_id,year,book,phase,scope,item,kind,"
						 "dept,project,econ,fund,fen,ulp,unit,decimals,source,note",
					 &q);
	if (rc != FISC_OK)
		return rc;
	int step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_fact f;
		f.id = sqlite3_column_int64(q, 0);
		f.region = sqlite3_column_int64(q, 1);
		f.year = sqlite3_column_int(q, 2);
		f.book = (uint8_t)sqlite3_column_int(q, 3);
		f.phase = (uint8_t)sqlite3_column_int(q, 4);
		f.scope = (uint8_t)sqlite3_column_int(q, 5);
		f.item = col(q, 6);
		f.kind = (uint8_t)sqlite3_column_int(q, 7);
		f.dept = col(q, 8);
		f.project = col(q, 9);
		f.econ = col(q, 10);
		f.fund = col(q, 11);
		f.has_amount = sqlite3_column_type(q, 12) != SQLITE_NULL;
		f.amount.fen = sqlite3_column_int64(q, 12);
		f.amount.ulp = sqlite3_column_int64(q, 13);
		f.amount.unit = (int8_t)sqlite3_column_int(q, 14);
		f.amount.decimals = (int8_t)sqlite3_column_int(q, 15);
		f.source = col(q, 16);
		f.note = col(q, 17);
		if ((rc = cb(ud, &f)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = sq_err(s->db, "fact query");
	sqlite3_finalize(q);
	return rc;
}

static int64_t scalar(sq_store *s, const char *sql, int bind, int *found)
{
	sqlite3_stmt *q;
	int64_t v = 0;
	*found = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return 0;
	if (bind != -1)
		sqlite3_bind_int(q, 1, bind);
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
		v = sqlite3_column_int64(q, 0);
		*found = 1;
	}
	sqlite3_finalize(q);
	return v;
}

static int64_t sq_fact_count(fisc_store *st)
{
	int found;
	return scalar(SQ(st), "SELECT count(*) FROM fact", -1, &found);
}

static int sq_edition_put(fisc_store *st, int year, const char *source)
{
	sq_store *s = SQ(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO edition(year,source) VALUES(?,?) ON CONFLICT(year)"
			       " DO UPDATE SET source=excluded.source, loaded_at=datetime('now')",
			       -1, &q, NULL) != SQLITE_OK)
		return sq_err(s->db, "edition");
	sqlite3_bind_int(q, 1, year);
	sqlite3_bind_text(q, 2, source ? source : "", -1, SQLITE_STATIC);
	int rc = sqlite3_step(q) == SQLITE_DONE ? FISC_OK : sq_err(s->db, "edition");
	sqlite3_finalize(q);
	return rc;
}

static int sq_edition_for(fisc_store *st, int year, int *edition)
{
	sq_store *s = SQ(st);
	int found;
	int64_t y = scalar(s, "SELECT max(year) FROM edition WHERE year<=?", year, &found);
	if (!found)
		y = scalar(s, "SELECT min(year) FROM edition", -1, &found);
	if (!found)
		return fisc_error_set(FISC_ENOTFOUND,
				      "数据库中没有科目目录 / the store has no catalogue edition");
	*edition = (int)y;
	return FISC_OK;
}

static int sq_edition_delete(fisc_store *st, int year)
{
	sq_store *s = SQ(st);
	char sql[128];
	snprintf(sql, sizeof sql, "DELETE FROM catalog WHERE year=%d;"
		 "DELETE FROM edition WHERE year=%d", year, year);
	return exec(s->db, sql);
}

static int sq_edition_each(fisc_store *st, fisc_edition_cb cb, void *ud)
{
	sq_store *s = SQ(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT e.year, e.source, e.loaded_at,"
			       " (SELECT count(*) FROM catalog c WHERE c.year=e.year)"
			       " FROM edition e ORDER BY e.year", -1, &q, NULL) != SQLITE_OK)
		return sq_err(s->db, "edition");
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_edition e = {sqlite3_column_int(q, 0), col(q, 1), col(q, 2),
				  sqlite3_column_int64(q, 3)};
		if ((rc = cb(ud, &e)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = sq_err(s->db, "edition");
	sqlite3_finalize(q);
	return rc;
}

static int sq_catalog_put(fisc_store *st, int year, const fisc_catalog_entry *e)
{
	sq_store *s = SQ(st);
	sqlite3_stmt *q = stmt(s, ST_CATALOG_PUT);
	if (!q)
		return sq_err(s->db, "prepare");
	sqlite3_bind_int(q, 1, year);
	sqlite3_bind_text(q, 2, e->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, e->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, e->parent ? e->parent : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, e->level);
	sqlite3_bind_int(q, 6, e->kind);
	int rc = sqlite3_step(q) == SQLITE_DONE ? FISC_OK : sq_err(s->db, "catalog");
	sqlite3_reset(q);
	return rc;
}

static int sq_catalog_each(fisc_store *st, int year, fisc_catalog_cb cb, void *ud)
{
	sq_store *s = SQ(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT code,name,parent,level,kind FROM catalog WHERE year=?"
			       " ORDER BY code", -1, &q, NULL) != SQLITE_OK)
		return sq_err(s->db, "catalog");
	sqlite3_bind_int(q, 1, year);
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_catalog_entry e = {col(q, 0), col(q, 1), col(q, 2),
					sqlite3_column_int(q, 3), sqlite3_column_int(q, 4)};
		if ((rc = cb(ud, &e)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = sq_err(s->db, "catalog");
	sqlite3_finalize(q);
	return rc;
}

static int sq_line_put(fisc_store *st, const fisc_line *l)
{
	sq_store *s = SQ(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT OR REPLACE INTO line(id,name,side,parent,codes,ord)"
			       " VALUES(?,?,?,?,?,?)", -1, &q, NULL) != SQLITE_OK)
		return sq_err(s->db, "line");
	sqlite3_bind_text(q, 1, l->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, l->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, l->side, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, l->parent ? l->parent : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, l->codes ? l->codes : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, l->order);
	int rc = sqlite3_step(q) == SQLITE_DONE ? FISC_OK : sq_err(s->db, "line");
	sqlite3_finalize(q);
	return rc;
}

static int sq_line_each(fisc_store *st, fisc_line_cb cb, void *ud)
{
	sq_store *s = SQ(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT id,name,side,parent,codes,ord FROM line ORDER BY ord,id",
			       -1, &q, NULL) != SQLITE_OK)
		return sq_err(s->db, "line");
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_line l = {col(q, 0), col(q, 1), col(q, 2), col(q, 3), col(q, 4),
			       sqlite3_column_int(q, 5)};
		if ((rc = cb(ud, &l)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = sq_err(s->db, "line");
	sqlite3_finalize(q);
	return rc;
}

static int sq_alias_put(fisc_store *st, const fisc_alias *al)
{
	sq_store *s = SQ(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT OR REPLACE INTO alias(alias,book,target) VALUES(?,?,?)",
			       -1, &q, NULL) != SQLITE_OK)
		return sq_err(s->db, "alias");
	sqlite3_bind_text(q, 1, al->alias, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, al->book);
	sqlite3_bind_text(q, 3, al->target, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q) == SQLITE_DONE ? FISC_OK : sq_err(s->db, "alias");
	sqlite3_finalize(q);
	return rc;
}

static int sq_alias_each(fisc_store *st, fisc_alias_cb cb, void *ud)
{
	sq_store *s = SQ(st);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(s->db, "SELECT alias,target,book FROM alias ORDER BY alias,book",
			       -1, &q, NULL) != SQLITE_OK)
		return sq_err(s->db, "alias");
	int rc = FISC_OK, step;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_alias al = {col(q, 0), col(q, 1), sqlite3_column_int(q, 2)};
		if ((rc = cb(ud, &al)) != 0)
			break;
	}
	if (rc == FISC_OK && step != SQLITE_DONE)
		rc = sq_err(s->db, "alias");
	sqlite3_finalize(q);
	return rc;
}

static const fisc_store_vtab sqlite_vtab = {
	.name = "sqlite",
	.close = sq_close,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.region_put = sq_region_put,
	.region_find = sq_region_find,
	.region_get = sq_region_get,
	.region_each = sq_region_each,
	.fact_put = sq_fact_put,
	.fact_each = sq_fact_each,
	.fact_count = sq_fact_count,
	.fact_scan = fisc_sqlite_fact_scan,
	.edition_put = sq_edition_put,
	.edition_for = sq_edition_for,
	.edition_delete = sq_edition_delete,
	.edition_each = sq_edition_each,
	.catalog_put = sq_catalog_put,
	.catalog_each = sq_catalog_each,
	.line_put = sq_line_put,
	.line_each = sq_line_each,
	.alias_put = sq_alias_put,
	.alias_each = sq_alias_each,
	.voucher_put = fisc_sqlite_voucher_put,
	.voucher_rollup = fisc_sqlite_voucher_rollup,
	.voucher_count = fisc_sqlite_voucher_count,
	.indicator_put = fisc_sqlite_indicator_put,
	.indicator_each = fisc_sqlite_indicator_each,
	.perf_text_put = fisc_sqlite_perf_text_put,
	.perf_text_each = fisc_sqlite_perf_text_each,
	.user = &fisc_sqlite_user_vtab,
};

int fisc_sqlite_open(const char *path, fisc_store **out)
{
	sq_store *s = calloc(1, sizeof *s);
	if (!s)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	s->base.vt = &sqlite_vtab;
	/* NOMUTEX: a handle is used by one thread at a time (the voucher
	** importer's writer thread takes turns with its parser under its own
	** lock), so SQLite's per-call connection mutex — two atomic operations
	** on every bind and step, 16 % of a bulk load — buys nothing. */
	if (sqlite3_open_v2(path, &s->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		int rc = fisc_error_set(FISC_EIO, "无法打开数据库「%s」/ cannot open database '%s': %s",
					path, path, s->db ? sqlite3_errmsg(s->db) : "?");
		sqlite3_close(s->db);
		free(s);
		return rc;
	}
	sqlite3_busy_timeout(s->db, 5000);
	/* 64 KB pages for a new store (ignored for an existing one): a voucher
	** load's commit copies every page from the WAL into the database with
	** one pread and one pwrite each, so 16× fewer, larger pages cut that
	** tail; facts, checks and reports measured the same. It must precede
	** journal_mode=WAL, which writes the first page. */
	int rc = exec(s->db, "PRAGMA page_size=65536; PRAGMA journal_mode=WAL;"
			     " PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
	if (rc == FISC_OK)
		rc = migrate(s);
	if (rc != FISC_OK) {
		sq_close(&s->base);
		return rc;
	}
	*out = &s->base;
	return FISC_OK;
}
