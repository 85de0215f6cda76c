/*
** pg_history.c — the PostgreSQL backend's versions of facts (backend.h
** fisc_history_vtab, docs/history.md) and the whole-store enumerations
** that `fisc copy` reads (vouchers, 指标 documents, refunds).
**
** The tables are those of SQLite's migration 7 (pg.c migration 7): the
** current facts in fact with their document, ended versions in
** fact_version, documents in fact_doc. Everything a journal entry hashes
** (document, fact and region ids) is numbered as SQLite numbers it, so
** that the same commands give the same journal, hash for hash, on both
** backends: a document takes max(id) + 1 under FISC_PG_FACT_LOCK, and sets
** the fact sequence to max(id) + 1, so that a rolled-back import leaves no
** gap in either numbering.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "store/pg.h"

/* The creation-time UTC text SQLite's datetime('now') gives (as pg.c). */
#define PG_NOW "to_char(now() AT TIME ZONE 'UTC','YYYY-MM-DD HH24:MI:SS')"

#define FACT_COLS                                                                  \
	"region_id,year,book,phase,scope,item,kind,dept,project,econ,fund,fen,ulp,unit," \
	"decimals,source,note"

typedef struct walk {
	void *cb;
	void *ud;
} walk;

/* The columns "id, doc, ended_by, withdrawn, FACT_COLS" of a row; the
** texts point into r. */
static void read_version(const PGresult *r, int i, fisc_fact_version *v)
{
	fisc_fact *f = &v->f;
	memset(v, 0, sizeof *v);
	f->id = fisc_pg_i64(r, i, 0);
	v->doc = fisc_pg_i64(r, i, 1);
	v->ended_by = fisc_pg_i64(r, i, 2);
	v->withdrawn = (int)fisc_pg_i64(r, i, 3);
	f->region = fisc_pg_i64(r, i, 4);
	f->year = (int32_t)fisc_pg_i64(r, i, 5);
	f->book = (uint8_t)fisc_pg_i64(r, i, 6);
	f->phase = (uint8_t)fisc_pg_i64(r, i, 7);
	f->scope = (uint8_t)fisc_pg_i64(r, i, 8);
	f->item = fisc_pg_s(r, i, 9);
	f->kind = (uint8_t)fisc_pg_i64(r, i, 10);
	f->dept = fisc_pg_s(r, i, 11);
	f->project = fisc_pg_s(r, i, 12);
	f->econ = fisc_pg_s(r, i, 13);
	f->fund = fisc_pg_s(r, i, 14);
	f->has_amount = !fisc_pg_isnull(r, i, 15);
	f->amount.fen = fisc_pg_i64(r, i, 15);
	f->amount.ulp = fisc_pg_i64(r, i, 16);
	f->amount.unit = (int8_t)fisc_pg_i64(r, i, 17);
	f->amount.decimals = (int8_t)fisc_pg_i64(r, i, 18);
	f->source = fisc_pg_s(r, i, 19);
	f->note = fisc_pg_s(r, i, 20);
}

/* ---- documents ---- */

/* The lock every writer of facts holds to its commit, then the fact
** sequence at max(id) + 1: what SQLite's rowid would give next. */
static int fact_numbering(pg_store *s)
{
	return fisc_pg_cmd(s,
			   "SELECT pg_advisory_xact_lock(" FISC_PG_FACT_LOCK "),"
			   " setval(pg_get_serial_sequence('fact','id'),"
			   " (SELECT coalesce(max(id), 0) + 1 FROM fact), false)",
			   NULL, "fact ids", NULL);
}

static int doc_put(fisc_store *st, const fisc_fact_doc *d, int64_t *id)
{
	pg_store *s = PG(st);
	int rc = fact_numbering(s);
	if (rc != FISC_OK)
		return rc;
	pg_args p = {0};
	fisc_pg_int(&p, d->id);
	fisc_pg_int(&p, d->kind);
	fisc_pg_text(&p, d->number);
	fisc_pg_int(&p, d->date);
	fisc_pg_text(&p, d->author);
	fisc_pg_text(&p, d->reason);
	fisc_pg_text(&p, d->source);
	fisc_pg_text(&p, d->created);
	PGresult *r = fisc_pg_exec(s,
				   "INSERT INTO fact_doc(id,kind,number,date,author,reason,source,created)"
				   " SELECT CASE WHEN $1::bigint > 0 THEN $1::bigint"
				   " ELSE coalesce(max(id), 0) + 1 END, $2,$3,$4,$5,$6,$7,"
				   " coalesce(nullif($8, ''), " PG_NOW ") FROM fact_doc"
				   " ON CONFLICT DO NOTHING RETURNING id",
				   &p, "fact_doc", &rc);
	if (!r)
		return rc;
	int inserted = PQntuples(r) > 0;
	if (inserted)
		*id = fisc_pg_i64(r, 0, 0);
	PQclear(r);
	if (!inserted)
		return d->number && *d->number
			       ? fisc_error_set(FISC_EEXIST, "文号「%s」已被另一修正使用 / document number '%s' is already used",
						d->number, d->number)
			       : fisc_error_set(FISC_EEXIST, "文件 #%lld 已存在 / document #%lld exists",
						(long long)d->id, (long long)d->id);
	/* Until the end of the transaction every fact inserted is established
	** by this document (the column default of fact.doc reads it). */
	pg_args q = {0};
	fisc_pg_int(&q, *id);
	return fisc_pg_cmd(s, "SELECT set_config('fisc.doc', $1, true)", &q, "fact_doc", NULL);
}

#define DOC_COLS "id,kind,number,date,author,reason,source,created"

static int read_doc(const PGresult *r, int i, fisc_arena *a, fisc_fact_doc *out)
{
	out->id = fisc_pg_i64(r, i, 0);
	out->kind = (int)fisc_pg_i64(r, i, 1);
	out->date = (int32_t)fisc_pg_i64(r, i, 3);
	if (!a) {
		out->number = fisc_pg_s(r, i, 2);
		out->author = fisc_pg_s(r, i, 4);
		out->reason = fisc_pg_s(r, i, 5);
		out->source = fisc_pg_s(r, i, 6);
		out->created = fisc_pg_s(r, i, 7);
		return FISC_OK;
	}
	out->number = fisc_arena_strdup(a, fisc_pg_s(r, i, 2));
	out->author = fisc_arena_strdup(a, fisc_pg_s(r, i, 4));
	out->reason = fisc_arena_strdup(a, fisc_pg_s(r, i, 5));
	out->source = fisc_arena_strdup(a, fisc_pg_s(r, i, 6));
	out->created = fisc_arena_strdup(a, fisc_pg_s(r, i, 7));
	return out->number && out->author && out->reason && out->source && out->created
		       ? FISC_OK
		       : fisc_error_set(FISC_ENOMEM, "out of memory");
}

static int doc_get(fisc_store *st, int64_t id, const char *number, fisc_arena *a,
		   fisc_fact_doc *out)
{
	pg_args p = {0};
	int rc;
	if (number)
		fisc_pg_text(&p, number);
	else
		fisc_pg_int(&p, id);
	PGresult *r = fisc_pg_exec(PG(st),
				   number ? "SELECT " DOC_COLS " FROM fact_doc WHERE number=$1"
					  : "SELECT " DOC_COLS " FROM fact_doc WHERE id=$1",
				   &p, "fact_doc", &rc);
	if (!r)
		return rc;
	rc = PQntuples(r) > 0 ? read_doc(r, 0, a, out) : FISC_ENOTFOUND;
	PQclear(r);
	return rc;
}

static int doc_row(void *ud, const PGresult *r, int i)
{
	walk *w = ud;
	fisc_fact_doc d;
	read_doc(r, i, NULL, &d);
	return ((fisc_fact_doc_cb)w->cb)(w->ud, &d);
}

static int doc_each(fisc_store *st, fisc_fact_doc_cb cb, void *ud)
{
	walk w = {(void *)cb, ud};
	return fisc_pg_walk(PG(st), "SELECT " DOC_COLS " FROM fact_doc WHERE id<>0 ORDER BY id",
			    NULL, "fact_doc", doc_row, &w);
}

/* ---- versions ---- */

static int fact_find(fisc_store *st, const fisc_fact *k, fisc_version_cb cb, void *ud)
{
	pg_args p = {0};
	int rc;
	fisc_pg_int(&p, k->region);
	fisc_pg_int(&p, k->year);
	fisc_pg_int(&p, k->book);
	fisc_pg_int(&p, k->phase);
	fisc_pg_int(&p, k->scope);
	fisc_pg_text(&p, k->item);
	fisc_pg_int(&p, k->kind);
	fisc_pg_text(&p, k->dept);
	fisc_pg_text(&p, k->project);
	fisc_pg_text(&p, k->econ);
	fisc_pg_text(&p, k->fund);
	PGresult *r = fisc_pg_exec(PG(st),
				   "SELECT id,doc,0,0," FACT_COLS " FROM fact WHERE region_id=$1"
				   " AND year=$2 AND book=$3 AND phase=$4 AND scope=$5 AND item=$6"
				   " AND kind=$7 AND dept=$8 AND project=$9 AND econ=$10 AND fund=$11",
				   &p, "fact", &rc);
	if (!r)
		return rc;
	if (PQntuples(r) > 0) {
		fisc_fact_version v;
		read_version(r, 0, &v);
		rc = cb(ud, &v);
	}
	PQclear(r);
	return rc;
}

static int one_row(pg_store *s, const char *sql, const pg_args *p)
{
	int64_t n = 0;
	int rc = fisc_pg_cmd(s, sql, p, "fact version", &n);
	if (rc == FISC_OK && n != 1)
		rc = fisc_error_set(FISC_ESTORE, "要修正的事实不存在 / the fact to amend is not stored");
	return rc;
}

static int fact_supersede(fisc_store *st, int64_t id, const fisc_fact *now, int64_t doc)
{
	pg_store *s = PG(st);
	pg_args p = {0};
	fisc_pg_int(&p, doc);
	fisc_pg_int(&p, now == NULL);
	fisc_pg_int(&p, id);
	int rc = one_row(s,
			 "INSERT INTO fact_version(id,doc,ended_by,withdrawn," FACT_COLS ")"
			 " SELECT id,doc,$1,$2," FACT_COLS " FROM fact WHERE id=$3",
			 &p);
	if (rc != FISC_OK)
		return rc;
	pg_args q = {0};
	if (!now) {
		fisc_pg_int(&q, id);
		return one_row(s, "DELETE FROM fact WHERE id=$1", &q);
	}
	if (now->has_amount)
		fisc_pg_int(&q, now->amount.fen);
	else
		fisc_pg_null(&q);
	fisc_pg_int(&q, now->amount.ulp > 0 ? now->amount.ulp : 1);
	fisc_pg_int(&q, now->amount.unit);
	fisc_pg_int(&q, now->amount.decimals);
	fisc_pg_text(&q, now->source);
	fisc_pg_text(&q, now->note);
	fisc_pg_int(&q, doc);
	fisc_pg_int(&q, id);
	return one_row(s,
		       "UPDATE fact SET fen=$1,ulp=$2,unit=$3,decimals=$4,source=$5,note=$6,doc=$7"
		       " WHERE id=$8",
		       &q);
}

/* The selection of q (region … dept) as conditions after "WHERE true",
** its parameters appended to p. */
static void where_of(const fisc_query *q, char *out, size_t size, pg_args *p)
{
	size_t n = 0;
	out[0] = 0;
#define COND(fmt, v)                                                        \
	do {                                                                \
		fisc_pg_int(p, v);                                          \
		n += (size_t)snprintf(out + n, size - n, fmt, p->n);        \
	} while (0)
	if (q->region)
		COND(" AND region_id=$%d", q->region);
	if (q->year)
		COND(" AND year=$%d", q->year);
	if (q->book_set)
		COND(" AND book=$%d", q->book);
	if (q->phase)
		COND(" AND phase=$%d", q->phase);
	if (q->scope)
		COND(" AND scope=$%d", q->scope);
#undef COND
	if (q->dept) {
		fisc_pg_text(p, q->dept);
		snprintf(out + n, size - n, " AND dept=$%d", p->n);
	}
}

static int version_row(void *ud, const PGresult *r, int i)
{
	walk *w = ud;
	fisc_fact_version v;
	read_version(r, i, &v);
	return ((fisc_version_cb)w->cb)(w->ud, &v);
}

static int version_each(fisc_store *st, const fisc_query *qy, int64_t doc, fisc_version_cb cb,
			void *ud)
{
	fisc_query none = {0};
	char where[512], sql[4096];
	pg_args p = {0};
	if (!qy)
		qy = &none;
	where_of(qy, where, sizeof where, &p);
	if (doc > 0) {
		fisc_pg_int(&p, doc);
		int d = p.n;
		snprintf(sql, sizeof sql,
			 "SELECT id,doc,0,0," FACT_COLS " FROM fact WHERE doc=$%d%s"
			 " UNION ALL SELECT id,doc,ended_by,withdrawn," FACT_COLS " FROM fact_version"
			 " WHERE doc=$%d%s UNION ALL SELECT id,doc,ended_by,withdrawn," FACT_COLS
			 " FROM fact_version WHERE ended_by=$%d%s ORDER BY 1,2",
			 d, where, d, where, d, where);
	} else {
		snprintf(sql, sizeof sql,
			 "SELECT id,doc,0,0," FACT_COLS " FROM fact WHERE true%s"
			 " UNION ALL SELECT id,doc,ended_by,withdrawn," FACT_COLS " FROM fact_version"
			 " WHERE true%s ORDER BY 1,2",
			 where, where);
	}
	walk w = {(void *)cb, ud};
	return fisc_pg_walk(PG(st), sql, &p, "fact versions", version_row, &w);
}

/* A version is in the view when the document that established it is, and
** the one that ended it (if any) is not; documents are numbered in the
** order applied, and imports (date 0) are in every date's view. */
void fisc_pg_as_of_source(const fisc_query *q, const char *where, char *out, size_t size)
{
	char in_view[96];
	if (q->as_of_doc)
		snprintf(in_view, sizeof in_view, "<= %lld",
			 (long long)(q->as_of_doc < 0 ? 0 : q->as_of_doc));
	else
		snprintf(in_view, sizeof in_view, "IN (SELECT id FROM fact_doc WHERE date <= %d)",
			 (int)q->as_of_date);
	snprintf(out, size,
		 "(SELECT id," FACT_COLS " FROM fact WHERE doc %s%s"
		 " UNION ALL SELECT id," FACT_COLS " FROM fact_version"
		 " WHERE doc %s AND NOT ended_by %s%s)",
		 in_view, where, in_view, in_view, where);
}

/* `fisc copy`: versions as they are, by COPY — current ones into fact with
** their id and document, ended ones into fact_version — then the fact
** sequence past the largest id, for the facts that come later. */
static char *copy_int(char *b, int64_t v) { return b + sprintf(b, "%lld\t", (long long)v); }

static char *copy_text(char *b, const char *t)
{
	b = fisc_pg_copy_field(b, t);
	*b++ = '\t';
	return b;
}

static int version_put(fisc_store *st, const fisc_fact_version *vs, size_t n)
{
	pg_store *s = PG(st);
	size_t need = 0;
	for (size_t i = 0; i < n; i++) {
		const fisc_fact *f = &vs[i].f;
		need += 2 * (strlen(f->item) + strlen(f->dept) + strlen(f->project) + strlen(f->econ) +
			     strlen(f->fund) + strlen(f->source ? f->source : "") +
			     strlen(f->note ? f->note : "")) + 24 * 15;
	}
	char *cur = malloc(need + 1), *old = malloc(need + 1);
	if (!cur || !old) {
		free(cur);
		free(old);
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	char *c = cur, *o = old;
	for (size_t i = 0; i < n; i++) {
		const fisc_fact_version *v = &vs[i];
		const fisc_fact *f = &v->f;
		char *b = v->ended_by ? o : c;
		b = copy_int(b, f->region);
		b = copy_int(b, f->id);
		b = copy_int(b, v->doc);
		if (v->ended_by) {
			b = copy_int(b, v->ended_by);
			b = copy_int(b, v->withdrawn);
		}
		b = copy_int(b, f->year);
		b = copy_int(b, f->book);
		b = copy_int(b, f->phase);
		b = copy_int(b, f->scope);
		b = copy_text(b, f->item);
		b = copy_int(b, f->kind);
		b = copy_text(b, f->dept);
		b = copy_text(b, f->project);
		b = copy_text(b, f->econ);
		b = copy_text(b, f->fund);
		if (f->has_amount)
			b = copy_int(b, f->amount.fen);
		else
			b += sprintf(b, "\\N\t");
		b = copy_int(b, f->amount.ulp > 0 ? f->amount.ulp : 1);
		b = copy_int(b, f->amount.unit);
		b = copy_int(b, f->amount.decimals);
		b = copy_text(b, f->source);
		b = fisc_pg_copy_field(b, f->note);
		*b++ = '\n';
		if (v->ended_by)
			o = b;
		else
			c = b;
	}
	int rc = FISC_OK;
	if (c > cur)
		rc = fisc_pg_copy(s,
				  "COPY fact(region_id,id,doc,year,book,phase,scope,item,kind,dept,"
				  "project,econ,fund,fen,ulp,unit,decimals,source,note) FROM STDIN",
				  cur, (size_t)(c - cur), "fact copy");
	if (rc == FISC_OK && o > old)
		rc = fisc_pg_copy(s,
				  "COPY fact_version(region_id,id,doc,ended_by,withdrawn,year,book,"
				  "phase,scope,item,kind,dept,project,econ,fund,fen,ulp,unit,decimals,"
				  "source,note) FROM STDIN",
				  old, (size_t)(o - old), "fact version copy");
	free(cur);
	free(old);
	if (rc == FISC_OK)
		rc = fact_numbering(s);
	return rc;
}

const fisc_history_vtab fisc_pg_history_vtab = {
	.doc_put = doc_put,
	.doc_get = doc_get,
	.fact_find = fact_find,
	.fact_supersede = fact_supersede,
	.version_each = version_each,
	.doc_each = doc_each,
	.version_put = version_put,
};

/* ---- the enumerations of `fisc copy`, each in the order written ---- */

static int voucher_row(void *ud, const PGresult *r, int i)
{
	walk *w = ud;
	fisc_voucher v;
	memset(&v, 0, sizeof v);
	v.date = (int32_t)fisc_pg_i64(r, i, 0);
	v.region = fisc_pg_i64(r, i, 1);
	v.unit = fisc_pg_i64(r, i, 2);
	v.book = (uint8_t)fisc_pg_i64(r, i, 3);
	v.func = (int32_t)fisc_pg_i64(r, i, 4);
	v.econ = (int32_t)fisc_pg_i64(r, i, 5);
	v.fen = fisc_pg_i64(r, i, 6);
	snprintf(v.number, sizeof v.number, "%s", fisc_pg_s(r, i, 7));
	v.line = fisc_pg_i64(r, i, 8);
	return ((fisc_voucher_row_cb)w->cb)(w->ud, &v, fisc_pg_s(r, i, 9));
}

int fisc_pg_voucher_each(fisc_store *st, fisc_voucher_row_cb cb, void *ud)
{
	walk w = {(void *)cb, ud};
	return fisc_pg_walk(PG(st),
			    "SELECT v.date,v.region_id,v.unit,v.book,v.func,v.econ,v.fen,"
			    "coalesce(v.number,''),coalesce(v.line,0),coalesce(s.path,'')"
			    " FROM voucher v LEFT JOIN voucher_source s ON s.id=v.source_id"
			    " ORDER BY v.id",
			    NULL, "vouchers", voucher_row, &w);
}

/* A document's legs arrive as consecutive rows; each document goes to the
** callback when the next begins, and the last after the walk. */
typedef struct doc_walk {
	fisc_quota_doc_cb cb;
	void *ud;
	int64_t doc;
	char *no, *author;
	fisc_quota_doc d;
	fisc_quota_leg *legs;
	int64_t *ids;
	size_t n, cap;
} doc_walk;

static int doc_flush(doc_walk *w)
{
	if (!w->n)
		return FISC_OK;
	w->d.no = w->no;
	w->d.author = w->author;
	w->d.nlegs = w->n;
	w->d.legs = w->legs;
	w->n = 0;
	return w->cb(w->ud, &w->d, w->ids);
}

static int leg_row(void *ud, const PGresult *r, int i)
{
	doc_walk *w = ud;
	int64_t id = fisc_pg_i64(r, i, 0);
	int rc;
	if (w->n && id != w->doc && (rc = doc_flush(w)) != FISC_OK)
		return rc;
	if (!w->n) {
		w->doc = id;
		free(w->no);
		free(w->author);
		w->no = strdup(fisc_pg_s(r, i, 1));
		w->author = strdup(fisc_pg_s(r, i, 4));
		w->d.date = (int32_t)fisc_pg_i64(r, i, 2);
		w->d.kind = (uint8_t)fisc_pg_i64(r, i, 3);
		if (!w->no || !w->author)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	if (w->n == w->cap) {
		size_t c = w->cap ? 2 * w->cap : 16;
		fisc_quota_leg *nl = realloc(w->legs, c * sizeof *nl);
		if (nl)
			w->legs = nl;
		int64_t *ni = nl ? realloc(w->ids, c * sizeof *ni) : NULL;
		if (ni)
			w->ids = ni;
		if (!nl || !ni)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		w->cap = c;
	}
	memset(&w->legs[w->n], 0, sizeof w->legs[w->n]);
	w->ids[w->n] = fisc_pg_i64(r, i, 5);
	w->legs[w->n].fen = fisc_pg_i64(r, i, 6);
	w->n++;
	return FISC_OK;
}

int fisc_pg_quota_doc_each(fisc_store *st, fisc_quota_doc_cb cb, void *ud)
{
	doc_walk w;
	memset(&w, 0, sizeof w);
	w.cb = cb;
	w.ud = ud;
	int rc = fisc_pg_walk(PG(st),
			      "SELECT d.id,d.no,d.date,d.kind,d.author,g.line_id,g.fen FROM ledger_doc d"
			      " JOIN ledger_leg g ON g.doc_id=d.id ORDER BY d.id,g.seq",
			      NULL, "ledger documents", leg_row, &w);
	if (rc == FISC_OK)
		rc = doc_flush(&w);
	free(w.no);
	free(w.author);
	free(w.legs);
	free(w.ids);
	return rc;
}

static int refund_row(void *ud, const PGresult *r, int i)
{
	walk *w = ud;
	fisc_refund x = {fisc_pg_s(r, i, 0), fisc_pg_s(r, i, 1), fisc_pg_i64(r, i, 2),
			 (int32_t)fisc_pg_i64(r, i, 3), fisc_pg_i64(r, i, 4)};
	return ((fisc_refund_cb)w->cb)(w->ud, &x);
}

int fisc_pg_refund_each(fisc_store *st, fisc_refund_cb cb, void *ud)
{
	walk w = {(void *)cb, ud};
	return fisc_pg_walk(PG(st),
			    "SELECT r.key,r.pay_key,r.fen,r.date,p.n FROM ledger_refund r JOIN"
			    " (SELECT key, row_number() OVER (ORDER BY id) AS n FROM ledger_payment) p"
			    " ON p.key=r.pay_key ORDER BY r.id",
			    NULL, "ledger refunds", refund_row, &w);
}
