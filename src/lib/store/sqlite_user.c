/*
** sqlite_user.c — users, tokens, publication marks and the event log in the
** SQLite store (the tables of sqlite_user.h). Only storage lives here: the
** hashing and the rules are src/lib/store/user.c's.
**
** These statements run a few times per HTTP request, not per fact, so they
** are prepared per call, except the two every request of `fisc serve` runs
** (the token and the publication mark), kept prepared by the handle.
*/
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "fisc/error.h"
#include "store/sqlite_user.h"
#include "store/sqlite_voucher.h" /* fisc_sqlite_db */

static int fail(sqlite3 *db, const char *what)
{
	return fisc_error_set(FISC_ESTORE, "数据库错误（%s）/ database error (%s): %s", what,
			      what, sqlite3_errmsg(db));
}

static sqlite3_stmt *prep(fisc_store *st, const char *sql)
{
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(fisc_sqlite_db(st), sql, -1, &q, NULL) != SQLITE_OK) {
		fail(fisc_sqlite_db(st), "prepare");
		return NULL;
	}
	return q;
}

static const char *col(fisc_arena *a, sqlite3_stmt *q, int i)
{
	const char *s = (const char *)sqlite3_column_text(q, i);
	return fisc_arena_strdup(a, s ? s : "");
}

/* Run a statement that returns no rows. */
static int done(fisc_store *st, sqlite3_stmt *q, const char *what)
{
	int rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc == SQLITE_CONSTRAINT)
		return fisc_error_set(FISC_EEXIST, "记录已存在 / the record exists (%s)", what);
	return rc == SQLITE_DONE ? FISC_OK : fail(fisc_sqlite_db(st), what);
}

static int user_put(fisc_store *st, const fisc_user *u, const char *pwhash)
{
	/* created_at given: a user moved by `fisc copy` keeps its date. */
	sqlite3_stmt *q = prep(st, "INSERT INTO app_user(name,role,region_code,dept,pwhash,created_at)"
				   " VALUES(?,?,?,?,?,coalesce(?,datetime('now')))");
	if (!q)
		return FISC_ESTORE;
	if (u->created_at && *u->created_at)
		sqlite3_bind_text(q, 6, u->created_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 1, u->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, u->role);
	sqlite3_bind_text(q, 3, u->region, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, u->dept ? u->dept : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, pwhash, -1, SQLITE_STATIC);
	return done(st, q, "app_user");
}

#define USER_COLS "u.id,u.name,u.role,u.region_code,u.dept,u.disabled,u.created_at"

static int user_row(sqlite3_stmt *q, fisc_arena *a, fisc_user *u)
{
	u->id = sqlite3_column_int64(q, 0);
	u->name = col(a, q, 1);
	u->role = sqlite3_column_int(q, 2);
	u->region = col(a, q, 3);
	u->dept = col(a, q, 4);
	u->disabled = sqlite3_column_int(q, 5);
	u->created_at = col(a, q, 6);
	return u->name && u->region && u->dept && u->created_at ? FISC_OK : FISC_ENOMEM;
}

static int user_find(fisc_store *st, const char *name, fisc_arena *a, fisc_user *out,
		     const char **pwhash)
{
	sqlite3_stmt *q = prep(st, "SELECT " USER_COLS ",u.pwhash FROM app_user u WHERE u.name=?");
	if (!q)
		return FISC_ESTORE;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		rc = user_row(q, a, out);
		if (pwhash && rc == FISC_OK && !(*pwhash = col(a, q, 7)))
			rc = FISC_ENOMEM;
		if (rc != FISC_OK)
			rc = fisc_error_set(rc, "内存不足 / out of memory");
	} else if (rc == SQLITE_DONE) {
		rc = fisc_error_set(FISC_ENOTFOUND, "未知用户「%s」/ unknown user '%s'", name, name);
	} else {
		rc = fail(fisc_sqlite_db(st), "app_user");
	}
	sqlite3_finalize(q);
	return rc;
}

static int user_each(fisc_store *st, fisc_user_cb cb, void *ud)
{
	sqlite3_stmt *q = prep(st, "SELECT " USER_COLS " FROM app_user u ORDER BY u.name");
	fisc_arena *a = fisc_arena_new();
	if (!q || !a) {
		sqlite3_finalize(q);
		fisc_arena_free(a);
		return q ? fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory") : FISC_ESTORE;
	}
	int rc = FISC_OK, s;
	while (rc == FISC_OK && (s = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_user u;
		rc = user_row(q, a, &u);
		if (rc == FISC_OK)
			rc = cb(ud, &u);
	}
	if (rc == FISC_OK && s != SQLITE_DONE)
		rc = fail(fisc_sqlite_db(st), "app_user");
	sqlite3_finalize(q);
	fisc_arena_free(a);
	return rc;
}

static int user_update(fisc_store *st, const char *name, const char *pwhash, int disabled)
{
	sqlite3_stmt *q = prep(st, "UPDATE app_user SET pwhash=coalesce(?,pwhash),"
				   " disabled=CASE WHEN ?<0 THEN disabled ELSE ? END WHERE name=?");
	if (!q)
		return FISC_ESTORE;
	if (pwhash)
		sqlite3_bind_text(q, 1, pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, disabled);
	sqlite3_bind_int(q, 3, disabled);
	sqlite3_bind_text(q, 4, name, -1, SQLITE_STATIC);
	int rc = done(st, q, "app_user");
	if (rc == FISC_OK && sqlite3_changes(fisc_sqlite_db(st)) == 0)
		rc = fisc_error_set(FISC_ENOTFOUND, "未知用户「%s」/ unknown user '%s'", name, name);
	/* A new password or a disabled account ends every session it had. */
	if (rc == FISC_OK && (pwhash || disabled == 1)) {
		q = prep(st, "DELETE FROM app_token WHERE kind=1 AND user_id="
			     "(SELECT id FROM app_user WHERE name=?)");
		if (!q)
			return FISC_ESTORE;
		sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
		rc = done(st, q, "app_token");
	}
	return rc;
}

static int token_put(fisc_store *st, const unsigned char hash[32], int64_t user, int kind,
		     int64_t expires)
{
	/* Expired tokens are dropped as new ones come, so the table stays small. */
	sqlite3_stmt *q = prep(st, "DELETE FROM app_token WHERE expires<?");
	if (!q)
		return FISC_ESTORE;
	sqlite3_bind_int64(q, 1, expires - 400LL * 86400);
	int rc = done(st, q, "app_token");
	if (rc != FISC_OK || !(q = prep(st, "INSERT INTO app_token(hash,user_id,kind,expires)"
					    " VALUES(?,?,?,?)")))
		return rc != FISC_OK ? rc : FISC_ESTORE;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, user);
	sqlite3_bind_int(q, 3, kind);
	sqlite3_bind_int64(q, 4, expires);
	return done(st, q, "app_token");
}

static int token_find(fisc_store *st, const unsigned char hash[32], int64_t now, fisc_arena *a,
		      fisc_user *out, int *kind)
{
	static const char sql[] = "SELECT " USER_COLS ",t.kind FROM app_token t JOIN app_user u"
				  " ON u.id=t.user_id WHERE t.hash=? AND t.expires>? AND u.disabled=0";
	sqlite3_stmt *q = fisc_sqlite_kept(st, sql);
	if (!q)
		return fail(fisc_sqlite_db(st), "prepare");
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		rc = user_row(q, a, out);
		*kind = sqlite3_column_int(q, 7);
		if (rc != FISC_OK)
			rc = fisc_error_set(rc, "内存不足 / out of memory");
	} else if (rc == SQLITE_DONE) {
		rc = fisc_error_set(FISC_ENOTFOUND, "会话无效或已过期 / invalid or expired session");
	} else {
		rc = fail(fisc_sqlite_db(st), "app_token");
	}
	sqlite3_reset(q);
	return rc;
}

static int token_delete(fisc_store *st, const unsigned char hash[32])
{
	sqlite3_stmt *q = prep(st, "DELETE FROM app_token WHERE hash=?");
	if (!q)
		return FISC_ESTORE;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	return done(st, q, "app_token");
}

static int publish_set(fisc_store *st, int64_t region, int year, int on)
{
	sqlite3_stmt *q = prep(st, on ? "INSERT OR IGNORE INTO published(region_id,year) VALUES(?,?)"
				      : "DELETE FROM published WHERE region_id=? AND year=?");
	if (!q)
		return FISC_ESTORE;
	sqlite3_bind_int64(q, 1, region);
	sqlite3_bind_int(q, 2, year);
	return done(st, q, "published");
}

static int publish_get(fisc_store *st, int64_t region, int year)
{
	static const char sql[] = "SELECT 1 FROM published WHERE region_id=? AND year=?";
	sqlite3_stmt *q = fisc_sqlite_kept(st, sql);
	if (!q)
		return fail(fisc_sqlite_db(st), "prepare");
	sqlite3_bind_int64(q, 1, region);
	sqlite3_bind_int(q, 2, year);
	int rc = sqlite3_step(q);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : fail(fisc_sqlite_db(st), "published");
	sqlite3_reset(q);
	return rc;
}

static int event_put(fisc_store *st, const fisc_event *e)
{
	/* at given: an event moved by `fisc copy` keeps its time. */
	sqlite3_stmt *q = prep(st, "INSERT INTO event_log(actor,address,action,target,outcome,at)"
				   " VALUES(?,?,?,?,?,coalesce(?,strftime('%Y-%m-%dT%H:%M:%SZ','now')))");
	if (!q)
		return FISC_ESTORE;
	if (e->at && *e->at)
		sqlite3_bind_text(q, 6, e->at, -1, SQLITE_STATIC);
	const char *v[] = {e->actor, e->address, e->action, e->target, e->outcome};
	for (int i = 0; i < 5; i++)
		sqlite3_bind_text(q, i + 1, v[i] ? v[i] : "", -1, SQLITE_STATIC);
	return done(st, q, "event_log");
}

static int event_each(fisc_store *st, int64_t limit, fisc_event_cb cb, void *ud)
{
	sqlite3_stmt *q = prep(st, "SELECT id,at,actor,address,action,target,outcome FROM"
				   " (SELECT * FROM event_log ORDER BY id DESC LIMIT ?) ORDER BY id");
	if (!q)
		return FISC_ESTORE;
	sqlite3_bind_int64(q, 1, limit > 0 ? limit : -1);
	int rc = FISC_OK, s;
	while (rc == FISC_OK && (s = sqlite3_step(q)) == SQLITE_ROW) {
		fisc_event e;
		e.id = sqlite3_column_int64(q, 0);
		e.at = (const char *)sqlite3_column_text(q, 1);
		e.actor = (const char *)sqlite3_column_text(q, 2);
		e.address = (const char *)sqlite3_column_text(q, 3);
		e.action = (const char *)sqlite3_column_text(q, 4);
		e.target = (const char *)sqlite3_column_text(q, 5);
		e.outcome = (const char *)sqlite3_column_text(q, 6);
		rc = cb(ud, &e);
	}
	if (rc == FISC_OK && s != SQLITE_DONE)
		rc = fail(fisc_sqlite_db(st), "event_log");
	sqlite3_finalize(q);
	return rc;
}

static int token_each(fisc_store *st, fisc_token_cb cb, void *ud)
{
	sqlite3_stmt *q = prep(st, "SELECT hash,user_id,kind,expires FROM app_token ORDER BY hash");
	if (!q)
		return FISC_ESTORE;
	int rc = FISC_OK, s;
	while (rc == FISC_OK && (s = sqlite3_step(q)) == SQLITE_ROW) {
		unsigned char h[32] = {0};
		const void *b = sqlite3_column_blob(q, 0);
		int n = sqlite3_column_bytes(q, 0);
		memcpy(h, b ? b : "", n < 32 ? (size_t)n : 32);
		rc = cb(ud, h, sqlite3_column_int64(q, 1), sqlite3_column_int(q, 2),
			sqlite3_column_int64(q, 3));
	}
	if (rc == FISC_OK && s != SQLITE_DONE)
		rc = fail(fisc_sqlite_db(st), "app_token");
	sqlite3_finalize(q);
	return rc;
}

static int publish_each(fisc_store *st, fisc_publish_cb cb, void *ud)
{
	sqlite3_stmt *q = prep(st, "SELECT region_id,year FROM published ORDER BY region_id,year");
	if (!q)
		return FISC_ESTORE;
	int rc = FISC_OK, s;
	while (rc == FISC_OK && (s = sqlite3_step(q)) == SQLITE_ROW)
		rc = cb(ud, sqlite3_column_int64(q, 0), sqlite3_column_int(q, 1));
	if (rc == FISC_OK && s != SQLITE_DONE)
		rc = fail(fisc_sqlite_db(st), "published");
	sqlite3_finalize(q);
	return rc;
}

const fisc_user_vtab fisc_sqlite_user_vtab = {
	.user_put = user_put,
	.user_find = user_find,
	.user_each = user_each,
	.user_update = user_update,
	.token_put = token_put,
	.token_find = token_find,
	.token_delete = token_delete,
	.publish_set = publish_set,
	.publish_get = publish_get,
	.event_put = event_put,
	.event_each = event_each,
	.token_each = token_each,
	.publish_each = publish_each,
};
