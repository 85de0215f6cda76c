/*
** pg_ledger.c — the 指标 ledger and its journal, performance indicators and
** narrative, and the users of `fisc serve`, in the PostgreSQL store (tables
** of migrations 3, 5 and 6 in pg.c).
**
** Many writers, one chain: the ledger engine's handle takes a transaction
** advisory lock at every begin (pg.c, pg_begin), so the engines of several
** processes or servers apply their batches one after another, each first
** replaying what the others appended; every other writer of the journal
** (an import's record, the event log of `fisc serve`'s pool threads) takes
** the same lock before it reads the head it chains to (journal_lock,
** called by fisc_journal_append; re-entrant within the transaction), so
** no other writer can slip an entry in between. The chain trigger refuses an entry whose sequence or previous
** hash is not the head's, and the CHECK on ledger_line refuses any state
** paying beyond a quota: the control holds in the database itself.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "store/pg.h"

typedef struct cb_walk {
	void *cb;
	void *ud;
	fisc_arena *a;
} cb_walk;

int fisc_pg_ledger_durable(fisc_store *st)
{
	/* Every commit waits for its WAL flush (the server default, made sure
	** of here: a session or role may have turned it off). */
	PG(st)->ledger = 1;
	return fisc_pg_cmd(PG(st), "SET synchronous_commit = on", NULL, "synchronous_commit", NULL);
}

int fisc_pg_quota_line_put(fisc_store *st, const fisc_quota_line *l)
{
	pg_args p = {0};
	fisc_pg_int(&p, l->id);
	fisc_pg_text(&p, l->region);
	fisc_pg_int(&p, l->year);
	fisc_pg_int(&p, l->book);
	fisc_pg_text(&p, l->dept);
	fisc_pg_text(&p, l->project);
	fisc_pg_text(&p, l->func);
	fisc_pg_text(&p, l->econ);
	fisc_pg_int(&p, l->fund);
	fisc_pg_text(&p, l->fund_doc);
	fisc_pg_int(&p, l->kind);
	fisc_pg_int(&p, l->quota);
	fisc_pg_int(&p, l->paid);
	fisc_pg_int(&p, l->pending);
	return fisc_pg_cmd(PG(st),
			   "INSERT INTO ledger_line(id,region,year,book,dept,project,func,econ,fund,"
			   "fund_doc,kind,quota,paid,pending)"
			   " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
			   &p, "ledger line", NULL);
}

int fisc_pg_quota_line_set(fisc_store *st, int64_t id, int64_t quota, int64_t paid,
			   int64_t pending)
{
	pg_args p = {0};
	int rc;
	fisc_pg_int(&p, id);
	fisc_pg_int(&p, quota);
	fisc_pg_int(&p, paid);
	fisc_pg_int(&p, pending);
	PGresult *r = fisc_pg_prep(PG(st), PQ_LINE_SET, NULL, &p, "ledger line", &rc);
	if (!r)
		return rc;
	if (strtoll(PQcmdTuples(r), NULL, 10) != 1)
		rc = fisc_error_set(FISC_ESTORE, "指标行 %lld 不在数据库中 / line %lld missing in the store",
				    (long long)id, (long long)id);
	PQclear(r);
	return rc;
}

static int line_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_quota_line l = {
		fisc_pg_i64(r, i, 0),	   fisc_pg_s(r, i, 1),	       (int32_t)fisc_pg_i64(r, i, 2),
		(uint8_t)fisc_pg_i64(r, i, 3), fisc_pg_s(r, i, 4),	       fisc_pg_s(r, i, 5),
		fisc_pg_s(r, i, 6),	   fisc_pg_s(r, i, 7),	       (uint8_t)fisc_pg_i64(r, i, 8),
		fisc_pg_s(r, i, 9),	   (uint8_t)fisc_pg_i64(r, i, 10), fisc_pg_i64(r, i, 11),
		fisc_pg_i64(r, i, 12),	   fisc_pg_i64(r, i, 13)};
	return ((fisc_quota_line_cb)w->cb)(w->ud, &l);
}

int fisc_pg_quota_line_each(fisc_store *st, fisc_quota_line_cb cb, void *ud)
{
	cb_walk w = {(void *)cb, ud, NULL};
	return fisc_pg_walk(PG(st),
			    "SELECT id,region,year,book,dept,project,func,econ,fund,fund_doc,kind,"
			    "quota,paid,pending FROM ledger_line ORDER BY id",
			    NULL, "ledger lines", line_row, &w);
}

int fisc_pg_quota_doc_put(fisc_store *st, const fisc_quota_doc *d, const int64_t *line_ids)
{
	pg_store *s = PG(st);
	pg_args p = {0};
	int rc;
	fisc_pg_text(&p, d->no);
	fisc_pg_int(&p, d->date);
	fisc_pg_int(&p, d->kind);
	fisc_pg_text(&p, d->author);
	PGresult *r = fisc_pg_exec(s,
				   "INSERT INTO ledger_doc(no,date,kind,author) VALUES($1,$2,$3,$4)"
				   " RETURNING id",
				   &p, "ledger document", &rc);
	if (!r)
		return rc;
	int64_t doc = fisc_pg_i64(r, 0, 0);
	PQclear(r);
	for (size_t i = 0; rc == FISC_OK && i < d->nlegs; i++) {
		pg_args q = {0};
		fisc_pg_int(&q, doc);
		fisc_pg_int(&q, line_ids[i]);
		fisc_pg_int(&q, d->legs[i].fen);
		rc = fisc_pg_cmd(s, "INSERT INTO ledger_leg(doc_id,line_id,fen) VALUES($1,$2,$3)", &q,
				 "ledger document leg", NULL);
	}
	return rc;
}

static int leg_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_quota_leg_row x = {fisc_pg_s(r, i, 0), (int32_t)fisc_pg_i64(r, i, 1),
				(uint8_t)fisc_pg_i64(r, i, 2), fisc_pg_i64(r, i, 3),
				fisc_pg_i64(r, i, 4)};
	return ((fisc_quota_leg_cb)w->cb)(w->ud, &x);
}

int fisc_pg_quota_leg_each(fisc_store *st, fisc_quota_leg_cb cb, void *ud)
{
	cb_walk w = {(void *)cb, ud, NULL};
	return fisc_pg_walk(PG(st),
			    "SELECT d.no,d.date,d.kind,g.line_id,g.fen FROM ledger_leg g"
			    " JOIN ledger_doc d ON d.id=g.doc_id ORDER BY g.line_id,d.id",
			    NULL, "ledger legs", leg_row, &w);
}

int fisc_pg_payment_put(fisc_store *st, const fisc_payment *x)
{
	pg_args p = {0};
	int rc;
	fisc_pg_text(&p, x->key);
	fisc_pg_int(&p, x->line);
	fisc_pg_int(&p, x->fen);
	fisc_pg_text(&p, x->payee);
	fisc_pg_text(&p, x->purpose);
	fisc_pg_int(&p, x->state);
	fisc_pg_int(&p, x->refunded);
	fisc_pg_int(&p, x->paid_on);
	PGresult *r = fisc_pg_prep(PG(st), PQ_PAY_PUT, NULL, &p, "ledger payment", &rc);
	PQclear(r);
	return rc;
}

static int payment_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_payment x = {fisc_pg_s(r, i, 0), fisc_pg_i64(r, i, 1), fisc_pg_i64(r, i, 2),
			  fisc_pg_s(r, i, 3), fisc_pg_s(r, i, 4), (uint8_t)fisc_pg_i64(r, i, 5),
			  fisc_pg_i64(r, i, 6), (int32_t)fisc_pg_i64(r, i, 7), fisc_pg_i64(r, i, 8)};
	return ((fisc_payment_cb)w->cb)(w->ud, &x);
}

int fisc_pg_payment_each(fisc_store *st, fisc_payment_cb cb, void *ud)
{
	cb_walk w = {(void *)cb, ud, NULL};
	return fisc_pg_walk(PG(st),
			    /* id: the payment's place in creation order (what the
			    ** ledger calls its id, fisc/ledger.h); the bigserial
			    ** column may have gaps from rolled-back batches. */
			    "SELECT key,line_id,fen,payee,purpose,state,refunded,paid_on,"
			    " row_number() OVER (ORDER BY id) FROM ledger_payment ORDER BY id",
			    NULL, "ledger payments", payment_row, &w);
}

int fisc_pg_refund_put(fisc_store *st, const fisc_refund *x)
{
	pg_args p = {0};
	fisc_pg_text(&p, x->key);
	fisc_pg_text(&p, x->pay_key);
	fisc_pg_int(&p, x->fen);
	fisc_pg_int(&p, x->date);
	return fisc_pg_cmd(PG(st), "INSERT INTO ledger_refund(key,pay_key,fen,date) VALUES($1,$2,$3,$4)",
			   &p, "ledger refund", NULL);
}

int fisc_pg_journal_lock(fisc_store *st)
{
	return fisc_pg_cmd(PG(st), "SELECT pg_advisory_xact_lock(" FISC_PG_LEDGER_LOCK ")", NULL,
			   "ledger lock", NULL);
}

int fisc_pg_journal_put(fisc_store *st, const fisc_journal_entry *e)
{
	pg_store *s = PG(st);
	int rc = fisc_pg_journal_lock(st);
	if (rc != FISC_OK)
		return rc;
	pg_args p = {0};
	fisc_pg_int(&p, e->seq);
	fisc_pg_bytes(&p, e->prev, FISC_HASH_BYTES);
	fisc_pg_bytes(&p, e->hash, FISC_HASH_BYTES);
	fisc_pg_bytes(&p, e->bytes, e->n);
	PGresult *r = fisc_pg_prep(s, PQ_JOURNAL_PUT, NULL, &p, "journal", &rc);
	PQclear(r);
	return rc;
}

static int journal_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_journal_entry e;
	memset(&e, 0, sizeof e);
	e.seq = fisc_pg_i64(r, i, 0);
	/* A hand-edited row may hold a hash of another length: it then
	** compares unequal. */
	if (fisc_pg_bytea(r, i, 1, e.prev, FISC_HASH_BYTES) != FISC_HASH_BYTES)
		e.prev[0] ^= 0xff;
	if (fisc_pg_bytea(r, i, 2, e.hash, FISC_HASH_BYTES) != FISC_HASH_BYTES)
		e.hash[0] ^= 0xff;
	size_t n = 0;
	unsigned char *b = PQunescapeBytea((const unsigned char *)PQgetvalue(r, i, 3), &n);
	if (!b)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	e.bytes = n ? b : (const uint8_t *)"";
	e.n = n;
	int rc = ((fisc_journal_cb)w->cb)(w->ud, &e);
	PQfreemem(b);
	return rc;
}

int fisc_pg_journal_each(fisc_store *st, int64_t after, fisc_journal_cb cb, void *ud)
{
	cb_walk w = {(void *)cb, ud, NULL};
	pg_args p = {0};
	fisc_pg_int(&p, after);
	return fisc_pg_walk(PG(st), "SELECT seq,prev,hash,bytes FROM journal WHERE seq>$1 ORDER BY seq",
			    &p, "journal", journal_row, &w);
}

int fisc_pg_journal_last(fisc_store *st, int64_t *seq, uint8_t *hash)
{
	int rc;
	*seq = 0;
	memset(hash, 0, FISC_HASH_BYTES);
	PGresult *r = fisc_pg_exec(PG(st), "SELECT seq,hash FROM journal ORDER BY seq DESC LIMIT 1",
				   NULL, "journal", &rc);
	if (!r)
		return rc;
	if (PQntuples(r) > 0) {
		*seq = fisc_pg_i64(r, 0, 0);
		fisc_pg_bytea(r, 0, 1, hash, FISC_HASH_BYTES);
	}
	PQclear(r);
	return FISC_OK;
}

static int rollup_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_quota_rollup_row x = {fisc_pg_s(r, i, 0), (int32_t)fisc_pg_i64(r, i, 1),
				   (uint8_t)fisc_pg_i64(r, i, 2), fisc_pg_s(r, i, 3),
				   fisc_pg_s(r, i, 4), fisc_pg_s(r, i, 5), fisc_pg_s(r, i, 6),
				   (uint8_t)fisc_pg_i64(r, i, 7), (int32_t)fisc_pg_i64(r, i, 8),
				   fisc_pg_i64(r, i, 9)};
	return ((fisc_quota_rollup_cb)w->cb)(w->ud, &x);
}

int fisc_pg_quota_rollup(fisc_store *st, int year, fisc_quota_rollup_cb cb, void *ud)
{
	cb_walk w = {(void *)cb, ud, NULL};
	pg_args p = {0};
	fisc_pg_int(&p, year);
	return fisc_pg_walk(
		PG(st),
		"SELECT l.region,l.year,l.book,l.dept,l.project,l.func,l.econ,l.kind,x.m,"
		" sum(x.f)::bigint"
		" FROM (SELECT line_id, paid_on/100%100 AS m, fen AS f FROM ledger_payment"
		"       WHERE state=2"
		"       UNION ALL SELECT p.line_id, r.date/100%100, -r.fen FROM ledger_refund r"
		"       JOIN ledger_payment p ON p.key=r.pay_key) x"
		" JOIN ledger_line l ON l.id=x.line_id WHERE $1::integer=0 OR l.year=$1::integer"
		" GROUP BY l.region,l.dept,l.project,l.func,l.econ,l.book,l.kind,l.year,x.m"
		" ORDER BY l.region COLLATE \"C\",l.dept COLLATE \"C\",l.project COLLATE \"C\","
		" l.func COLLATE \"C\",l.econ COLLATE \"C\",l.book,l.kind,l.year,x.m",
		&p, "ledger rollup", rollup_row, &w);
}

/* ---- performance indicators and narrative ---- */

/* The WHERE clause of a perf query, its parameters appended to p. */
static void perf_where(const fisc_perf_query *q, char *sql, size_t size, pg_args *p)
{
	size_t n = strlen(sql);
	n += (size_t)snprintf(sql + n, size - n, " WHERE true");
	if (q && q->region) {
		fisc_pg_int(p, q->region);
		n += (size_t)snprintf(sql + n, size - n, " AND region_id=$%d", p->n);
	}
	if (q && q->year) {
		fisc_pg_int(p, q->year);
		n += (size_t)snprintf(sql + n, size - n, " AND year=$%d", p->n);
	}
	if (q && q->dept) {
		fisc_pg_text(p, q->dept);
		n += (size_t)snprintf(sql + n, size - n, " AND dept=$%d", p->n);
	}
	snprintf(sql + n, size - n, " ORDER BY id");
}

/* An insert that meets an existing key is FISC_EEXIST, with the
** transaction still usable (as SQLite's). */
static int put_unique(pg_store *s, const char *sql, const pg_args *p, const char *what)
{
	int64_t n = 0;
	int rc = fisc_pg_cmd(s, sql, p, what, &n);
	return rc == FISC_OK && n == 0 ? FISC_EEXIST : rc;
}

int fisc_pg_indicator_put(fisc_store *st, const fisc_indicator *x)
{
	pg_args p = {0};
	fisc_pg_int(&p, x->region);
	fisc_pg_int(&p, x->year);
	fisc_pg_text(&p, x->dept);
	fisc_pg_text(&p, x->project);
	fisc_pg_int(&p, x->cls);
	fisc_pg_text(&p, x->sub);
	fisc_pg_text(&p, x->name);
	fisc_pg_int(&p, x->dir);
	if (x->has_target) {
		fisc_pg_int(&p, x->target.v);
		fisc_pg_int(&p, x->target.scale);
	} else {
		fisc_pg_null(&p);
		fisc_pg_int(&p, 0);
	}
	if (x->has_actual) {
		fisc_pg_int(&p, x->actual.v);
		fisc_pg_int(&p, x->actual.scale);
	} else {
		fisc_pg_null(&p);
		fisc_pg_int(&p, 0);
	}
	fisc_pg_text(&p, x->unit);
	fisc_pg_text(&p, x->target_text);
	fisc_pg_text(&p, x->actual_text);
	fisc_pg_int(&p, x->grade);
	if (x->has_weight)
		fisc_pg_int(&p, x->weight);
	else
		fisc_pg_null(&p);
	if (x->has_score)
		fisc_pg_int(&p, x->score);
	else
		fisc_pg_null(&p);
	fisc_pg_text(&p, x->reason);
	fisc_pg_text(&p, x->source);
	return put_unique(PG(st),
			  "INSERT INTO indicator(region_id,year,dept,project,class,sub,name,dir,"
			  "target_v,target_scale,actual_v,actual_scale,unit,target_text,actual_text,"
			  "grade,weight,score,reason,source)"
			  " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)"
			  " ON CONFLICT DO NOTHING",
			  &p, "indicator");
}

static int indicator_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_indicator x;
	memset(&x, 0, sizeof x);
	x.id = fisc_pg_i64(r, i, 0);
	x.region = fisc_pg_i64(r, i, 1);
	x.year = (int32_t)fisc_pg_i64(r, i, 2);
	x.dept = fisc_pg_s(r, i, 3);
	x.project = fisc_pg_s(r, i, 4);
	x.cls = (int)fisc_pg_i64(r, i, 5);
	x.sub = fisc_pg_s(r, i, 6);
	x.name = fisc_pg_s(r, i, 7);
	x.dir = (int)fisc_pg_i64(r, i, 8);
	if ((x.has_target = !fisc_pg_isnull(r, i, 9))) {
		x.target.v = fisc_pg_i64(r, i, 9);
		x.target.scale = (int)fisc_pg_i64(r, i, 10);
	}
	if ((x.has_actual = !fisc_pg_isnull(r, i, 11))) {
		x.actual.v = fisc_pg_i64(r, i, 11);
		x.actual.scale = (int)fisc_pg_i64(r, i, 12);
	}
	x.unit = fisc_pg_s(r, i, 13);
	x.target_text = fisc_pg_s(r, i, 14);
	x.actual_text = fisc_pg_s(r, i, 15);
	x.grade = (int)fisc_pg_i64(r, i, 16);
	if ((x.has_weight = !fisc_pg_isnull(r, i, 17)))
		x.weight = (int)fisc_pg_i64(r, i, 17);
	if ((x.has_score = !fisc_pg_isnull(r, i, 18)))
		x.score = (int)fisc_pg_i64(r, i, 18);
	x.reason = fisc_pg_s(r, i, 19);
	x.source = fisc_pg_s(r, i, 20);
	return ((fisc_indicator_cb)w->cb)(w->ud, &x);
}

int fisc_pg_indicator_each(fisc_store *st, const fisc_perf_query *q, fisc_indicator_cb cb,
			   void *ud)
{
	char sql[512] = "SELECT id,region_id,year,dept,project,class,sub,name,dir,target_v,"
			"target_scale,actual_v,actual_scale,unit,target_text,actual_text,grade,"
			"weight,score,reason,source FROM indicator";
	pg_args p = {0};
	cb_walk w = {(void *)cb, ud, NULL};
	perf_where(q, sql, sizeof sql, &p);
	return fisc_pg_walk(PG(st), sql, &p, "indicator", indicator_row, &w);
}

int fisc_pg_perf_text_put(fisc_store *st, const fisc_perf_text *t)
{
	pg_args p = {0};
	fisc_pg_int(&p, t->region);
	fisc_pg_int(&p, t->year);
	fisc_pg_text(&p, t->dept);
	fisc_pg_text(&p, t->project);
	fisc_pg_text(&p, t->section);
	fisc_pg_text(&p, t->text);
	fisc_pg_text(&p, t->source);
	return put_unique(PG(st),
			  "INSERT INTO perf_text(region_id,year,dept,project,section,text,source)"
			  " VALUES($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING",
			  &p, "perf_text");
}

static int text_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_perf_text t;
	memset(&t, 0, sizeof t);
	t.region = fisc_pg_i64(r, i, 0);
	t.year = (int32_t)fisc_pg_i64(r, i, 1);
	t.dept = fisc_pg_s(r, i, 2);
	t.project = fisc_pg_s(r, i, 3);
	t.section = fisc_pg_s(r, i, 4);
	t.text = fisc_pg_s(r, i, 5);
	t.source = fisc_pg_s(r, i, 6);
	return ((fisc_perf_text_cb)w->cb)(w->ud, &t);
}

int fisc_pg_perf_text_each(fisc_store *st, const fisc_perf_query *q, fisc_perf_text_cb cb,
			   void *ud)
{
	char sql[512] = "SELECT region_id,year,dept,project,section,text,source FROM perf_text";
	pg_args p = {0};
	cb_walk w = {(void *)cb, ud, NULL};
	perf_where(q, sql, sizeof sql, &p);
	return fisc_pg_walk(PG(st), sql, &p, "perf_text", text_row, &w);
}

/* ---- users, tokens, publication marks, event log ---- */

#define USER_COLS "u.id,u.name,u.role,u.region_code,u.dept,u.disabled,u.created_at"

static int user_row(const PGresult *r, int i, fisc_arena *a, fisc_user *u)
{
	u->id = fisc_pg_i64(r, i, 0);
	u->name = fisc_arena_strdup(a, fisc_pg_s(r, i, 1));
	u->role = (int)fisc_pg_i64(r, i, 2);
	u->region = fisc_arena_strdup(a, fisc_pg_s(r, i, 3));
	u->dept = fisc_arena_strdup(a, fisc_pg_s(r, i, 4));
	u->disabled = (int)fisc_pg_i64(r, i, 5);
	u->created_at = fisc_arena_strdup(a, fisc_pg_s(r, i, 6));
	return u->name && u->region && u->dept && u->created_at
		       ? FISC_OK
		       : fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
}

static int user_put(fisc_store *st, const fisc_user *u, const char *pwhash)
{
	pg_args p = {0};
	fisc_pg_text(&p, u->name);
	fisc_pg_int(&p, u->role);
	fisc_pg_text(&p, u->region);
	fisc_pg_text(&p, u->dept);
	fisc_pg_text(&p, pwhash);
	/* created_at given: a user moved by `fisc copy` keeps its date. */
	fisc_pg_text(&p, u->created_at);
	int rc = put_unique(PG(st),
			    "INSERT INTO app_user(name,role,region_code,dept,pwhash,created_at)"
			    " VALUES($1,$2,$3,$4,$5,coalesce(nullif($6,''),"
			    "to_char(now() AT TIME ZONE 'UTC','YYYY-MM-DD HH24:MI:SS')))"
			    " ON CONFLICT DO NOTHING",
			    &p, "app_user");
	return rc == FISC_EEXIST
		       ? fisc_error_set(FISC_EEXIST, "记录已存在 / the record exists (app_user)")
		       : rc;
}

static int user_find(fisc_store *st, const char *name, fisc_arena *a, fisc_user *out,
		     const char **pwhash)
{
	pg_args p = {0};
	int rc;
	fisc_pg_text(&p, name);
	PGresult *r = fisc_pg_exec(PG(st), "SELECT " USER_COLS ",u.pwhash FROM app_user u WHERE u.name=$1",
				   &p, "app_user", &rc);
	if (!r)
		return rc;
	if (PQntuples(r) == 0) {
		rc = fisc_error_set(FISC_ENOTFOUND, "未知用户「%s」/ unknown user '%s'", name, name);
	} else {
		rc = user_row(r, 0, a, out);
		if (pwhash && rc == FISC_OK && !(*pwhash = fisc_arena_strdup(a, fisc_pg_s(r, 0, 7))))
			rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	}
	PQclear(r);
	return rc;
}

static int user_each_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_user u;
	int rc = user_row(r, i, w->a, &u);
	return rc == FISC_OK ? ((fisc_user_cb)w->cb)(w->ud, &u) : rc;
}

static int user_each(fisc_store *st, fisc_user_cb cb, void *ud)
{
	cb_walk w = {(void *)cb, ud, fisc_arena_new()};
	if (!w.a)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	int rc = fisc_pg_walk(PG(st), "SELECT " USER_COLS " FROM app_user u ORDER BY u.name COLLATE \"C\"",
			      NULL, "app_user", user_each_row, &w);
	fisc_arena_free(w.a);
	return rc;
}

static int user_update(fisc_store *st, const char *name, const char *pwhash, int disabled)
{
	pg_args p = {0};
	int64_t n = 0;
	if (pwhash)
		fisc_pg_text(&p, pwhash);
	else
		fisc_pg_null(&p);
	fisc_pg_int(&p, disabled);
	fisc_pg_text(&p, name);
	int rc = fisc_pg_cmd(PG(st),
			     "UPDATE app_user SET pwhash=coalesce($1,pwhash),"
			     " disabled=CASE WHEN $2::integer<0 THEN disabled ELSE $2::integer END"
			     " WHERE name=$3",
			     &p, "app_user", &n);
	if (rc == FISC_OK && n == 0)
		rc = fisc_error_set(FISC_ENOTFOUND, "未知用户「%s」/ unknown user '%s'", name, name);
	/* A new password or a disabled account ends every session it had. */
	if (rc == FISC_OK && (pwhash || disabled == 1)) {
		pg_args q = {0};
		fisc_pg_text(&q, name);
		rc = fisc_pg_cmd(PG(st),
				 "DELETE FROM app_token WHERE kind=1 AND user_id="
				 "(SELECT id FROM app_user WHERE name=$1)",
				 &q, "app_token", NULL);
	}
	return rc;
}

static int token_put(fisc_store *st, const unsigned char hash[32], int64_t user, int kind,
		     int64_t expires)
{
	/* Expired tokens are dropped as new ones come, so the table stays small. */
	pg_args p = {0};
	fisc_pg_int(&p, expires - 400LL * 86400);
	int rc = fisc_pg_cmd(PG(st), "DELETE FROM app_token WHERE expires<$1", &p, "app_token", NULL);
	if (rc != FISC_OK)
		return rc;
	pg_args q = {0};
	fisc_pg_bytes(&q, hash, 32);
	fisc_pg_int(&q, user);
	fisc_pg_int(&q, kind);
	fisc_pg_int(&q, expires);
	rc = put_unique(PG(st),
			"INSERT INTO app_token(hash,user_id,kind,expires) VALUES($1,$2,$3,$4)"
			" ON CONFLICT DO NOTHING",
			&q, "app_token");
	return rc == FISC_EEXIST
		       ? fisc_error_set(FISC_EEXIST, "记录已存在 / the record exists (app_token)")
		       : rc;
}

static int token_find(fisc_store *st, const unsigned char hash[32], int64_t now, fisc_arena *a,
		      fisc_user *out, int *kind)
{
	pg_args p = {0};
	int rc;
	fisc_pg_bytes(&p, hash, 32);
	fisc_pg_int(&p, now);
	PGresult *r = fisc_pg_exec(PG(st),
				   "SELECT " USER_COLS ",t.kind FROM app_token t JOIN app_user u"
				   " ON u.id=t.user_id WHERE t.hash=$1 AND t.expires>$2"
				   " AND u.disabled=0",
				   &p, "app_token", &rc);
	if (!r)
		return rc;
	if (PQntuples(r) == 0) {
		rc = fisc_error_set(FISC_ENOTFOUND, "会话无效或已过期 / invalid or expired session");
	} else {
		rc = user_row(r, 0, a, out);
		*kind = (int)fisc_pg_i64(r, 0, 7);
	}
	PQclear(r);
	return rc;
}

static int token_delete(fisc_store *st, const unsigned char hash[32])
{
	pg_args p = {0};
	fisc_pg_bytes(&p, hash, 32);
	return fisc_pg_cmd(PG(st), "DELETE FROM app_token WHERE hash=$1", &p, "app_token", NULL);
}

static int publish_set(fisc_store *st, int64_t region, int year, int on)
{
	pg_args p = {0};
	fisc_pg_int(&p, region);
	fisc_pg_int(&p, year);
	return fisc_pg_cmd(PG(st),
			   on ? "INSERT INTO published(region_id,year) VALUES($1,$2) ON CONFLICT DO NOTHING"
			      : "DELETE FROM published WHERE region_id=$1 AND year=$2",
			   &p, "published", NULL);
}

static int publish_get(fisc_store *st, int64_t region, int year)
{
	pg_args p = {0};
	int rc;
	fisc_pg_int(&p, region);
	fisc_pg_int(&p, year);
	PGresult *r = fisc_pg_exec(PG(st), "SELECT 1 FROM published WHERE region_id=$1 AND year=$2",
				   &p, "published", &rc);
	if (!r)
		return rc;
	rc = PQntuples(r) > 0;
	PQclear(r);
	return rc;
}

static int event_put(fisc_store *st, const fisc_event *e)
{
	pg_args p = {0};
	fisc_pg_text(&p, e->actor);
	fisc_pg_text(&p, e->address);
	fisc_pg_text(&p, e->action);
	fisc_pg_text(&p, e->target);
	fisc_pg_text(&p, e->outcome);
	/* The time the caller gives (user.c writes the same one into the
	** journal's event record, which journal verify compares with this
	** row; `fisc copy` keeps an event's time), the server's otherwise. */
	if (e->at && *e->at)
		fisc_pg_text(&p, e->at);
	else
		fisc_pg_null(&p);
	return fisc_pg_cmd(PG(st),
			   "INSERT INTO event_log(actor,address,action,target,outcome,at)"
			   " VALUES($1,$2,$3,$4,$5,coalesce($6,to_char(now() AT TIME ZONE 'UTC',"
			   "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')))",
			   &p, "event_log", NULL);
}

static int event_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_event e = {fisc_pg_i64(r, i, 0), fisc_pg_s(r, i, 1), fisc_pg_s(r, i, 2),
			fisc_pg_s(r, i, 3),   fisc_pg_s(r, i, 4), fisc_pg_s(r, i, 5),
			fisc_pg_s(r, i, 6)};
	return ((fisc_event_cb)w->cb)(w->ud, &e);
}

static int event_each(fisc_store *st, int64_t limit, fisc_event_cb cb, void *ud)
{
	cb_walk w = {(void *)cb, ud, NULL};
	pg_args p = {0};
	if (limit > 0)
		fisc_pg_int(&p, limit);
	else
		fisc_pg_null(&p);
	return fisc_pg_walk(PG(st),
			    "SELECT id,at,actor,address,action,target,outcome FROM"
			    " (SELECT * FROM event_log ORDER BY id DESC LIMIT $1) e ORDER BY id",
			    &p, "event_log", event_row, &w);
}

/* For `fisc copy`: every token (hashes only) and every publication mark. */
static int token_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	uint8_t h[32];
	fisc_pg_bytea(r, i, 0, h, sizeof h);
	return ((fisc_token_cb)w->cb)(w->ud, h, fisc_pg_i64(r, i, 1), (int)fisc_pg_i64(r, i, 2),
				      fisc_pg_i64(r, i, 3));
}

static int token_each(fisc_store *st, fisc_token_cb cb, void *ud)
{
	cb_walk w = {(void *)cb, ud, NULL};
	return fisc_pg_walk(PG(st), "SELECT hash,user_id,kind,expires FROM app_token ORDER BY hash",
			    NULL, "app_token", token_row, &w);
}

static int publish_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	return ((fisc_publish_cb)w->cb)(w->ud, fisc_pg_i64(r, i, 0), (int)fisc_pg_i64(r, i, 1));
}

static int publish_each(fisc_store *st, fisc_publish_cb cb, void *ud)
{
	cb_walk w = {(void *)cb, ud, NULL};
	return fisc_pg_walk(PG(st), "SELECT region_id,year FROM published ORDER BY region_id,year",
			    NULL, "published", publish_row, &w);
}

const fisc_user_vtab fisc_pg_user_vtab = {
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
