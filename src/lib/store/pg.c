/*
** pg.c — the PostgreSQL store (libpq): facts, regions, catalogue editions,
** lines and aliases, the connection, its transactions and the schema.
** Vouchers are in pg_voucher.c; the ledger, performance data and users in
** pg_ledger.c. One PostgreSQL database holds one store.
**
** The schema mirrors SQLite's (sqlite.c) migration for migration, with the
** same numbers: an append-only array applied in one transaction under an
** advisory lock (two processes creating one store queue, and the second
** finds the work done), refusing a schema newer than this fisc. Every large
** table (fact, voucher, indicator, perf_text) leads with its region so that
** it can be partitioned or distributed by region (docs/postgresql.md).
**
** Differences from SQLite that shape the code:
**  - an error aborts the whole transaction: a put that may meet an existing
**    key (a duplicate fact) uses ON CONFLICT DO NOTHING and reads "0 rows"
**    as FISC_EEXIST, so that the import goes on reporting, as with SQLite;
**  - text is compared byte-wise (COLLATE "C") wherever order is visible, so
**    that listings and reports come out byte-identical to SQLite's;
**  - reads stream through cursors (fisc_pg_walk), never a whole result.
*/
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/catalog.h"
#include "fisc/error.h"
#include "store/pg.h"

/* The creation-time UTC text SQLite's datetime('now') gives. */
#define PG_NOW "to_char(now() AT TIME ZONE 'UTC','YYYY-MM-DD HH24:MI:SS')"

static const char *const migrations[] = {
	/* 1: the initial schema */
	"CREATE TABLE meta(key text PRIMARY KEY, value text NOT NULL);"
	"CREATE TABLE region("
	"  id bigserial PRIMARY KEY,"
	"  code text NOT NULL UNIQUE,"
	"  name text NOT NULL,"
	"  parent_id bigint REFERENCES region(id),"
	"  level text NOT NULL DEFAULT '',"
	"  label_all text NOT NULL DEFAULT '',"
	"  label_self text NOT NULL DEFAULT '',"
	"  label_lower text NOT NULL DEFAULT '');"
	"CREATE INDEX region_name ON region(name);"
	"CREATE TABLE edition("
	"  year integer PRIMARY KEY,"
	"  source text NOT NULL DEFAULT '',"
	"  loaded_at text NOT NULL DEFAULT " PG_NOW ");"
	"CREATE TABLE catalog("
	"  year integer NOT NULL REFERENCES edition(year) ON DELETE CASCADE,"
	"  code text NOT NULL,"
	"  name text NOT NULL,"
	"  parent text NOT NULL DEFAULT '',"
	"  level integer NOT NULL,"
	"  kind integer NOT NULL,"
	"  PRIMARY KEY(year, code));"
	"CREATE TABLE line("
	"  id text PRIMARY KEY,"
	"  name text NOT NULL,"
	"  side text NOT NULL,"
	"  parent text NOT NULL DEFAULT '',"
	"  codes text NOT NULL DEFAULT '',"
	"  ord integer NOT NULL DEFAULT 0);"
	"CREATE TABLE alias("
	"  alias text NOT NULL,"
	"  book integer NOT NULL DEFAULT -1,"
	"  target text NOT NULL,"
	"  PRIMARY KEY(alias, book));"
	/* The region leads the primary key (a distribution or partition key
	** must be part of every unique key); id alone orders a full scan. */
	"CREATE TABLE fact("
	"  region_id bigint NOT NULL REFERENCES region(id),"
	"  id bigserial,"
	"  year integer NOT NULL,"
	"  book smallint NOT NULL CHECK(book BETWEEN 0 AND 4),"
	"  phase smallint NOT NULL CHECK(phase BETWEEN 1 AND 4),"
	"  scope smallint NOT NULL CHECK(scope BETWEEN 1 AND 3),"
	"  item text NOT NULL,"
	"  kind smallint NOT NULL DEFAULT 0 CHECK(kind IN (0,1)),"
	"  dept text NOT NULL DEFAULT '',"
	"  project text NOT NULL DEFAULT '',"
	"  econ text NOT NULL DEFAULT '',"
	"  fund text NOT NULL DEFAULT '',"
	"  fen bigint,"
	"  ulp bigint NOT NULL DEFAULT 1 CHECK(ulp >= 1),"
	"  unit smallint NOT NULL DEFAULT 1 CHECK(unit BETWEEN 0 AND 2),"
	"  decimals smallint NOT NULL DEFAULT 0,"
	"  source text NOT NULL DEFAULT '',"
	"  note text NOT NULL DEFAULT '',"
	"  PRIMARY KEY(region_id, id),"
	"  UNIQUE(region_id, year, book, phase, scope, item, kind, dept, project, econ, fund));"
	"CREATE INDEX fact_id ON fact(id);",
	/* 2: payment vouchers and their rollup aggregates (pg_voucher.c). */
	"CREATE TABLE voucher("
	"  region_id bigint NOT NULL,"
	"  id bigserial,"
	"  date integer NOT NULL,"
	"  unit bigint NOT NULL,"
	"  book smallint NOT NULL,"
	"  func integer NOT NULL,"
	"  econ integer NOT NULL,"
	"  fen bigint NOT NULL,"
	"  PRIMARY KEY(region_id, id));"
	"CREATE TABLE voucher_month("
	"  year integer NOT NULL, month integer NOT NULL, func integer NOT NULL,"
	"  n bigint NOT NULL, fen bigint NOT NULL,"
	"  PRIMARY KEY(year, month, func));"
	"CREATE TABLE voucher_region("
	"  region_id bigint NOT NULL, year integer NOT NULL, func integer NOT NULL,"
	"  n bigint NOT NULL, fen bigint NOT NULL,"
	"  PRIMARY KEY(region_id, year, func));",
	/* 3: performance indicators and the self-evaluation's narrative. */
	"CREATE TABLE indicator("
	"  region_id bigint NOT NULL REFERENCES region(id),"
	"  id bigserial,"
	"  year integer NOT NULL,"
	"  dept text NOT NULL,"
	"  project text NOT NULL DEFAULT '',"
	"  class integer NOT NULL CHECK(class BETWEEN 1 AND 4),"
	"  sub text NOT NULL DEFAULT '',"
	"  name text NOT NULL,"
	"  dir integer NOT NULL CHECK(dir BETWEEN 1 AND 4),"
	"  target_v bigint, target_scale integer NOT NULL DEFAULT 0,"
	"  actual_v bigint, actual_scale integer NOT NULL DEFAULT 0,"
	"  unit text NOT NULL DEFAULT '',"
	"  target_text text NOT NULL DEFAULT '',"
	"  actual_text text NOT NULL DEFAULT '',"
	"  grade integer NOT NULL DEFAULT 0 CHECK(grade BETWEEN 0 AND 3),"
	"  weight integer CHECK(weight BETWEEN 0 AND 10000),"
	"  score integer CHECK(score BETWEEN 0 AND 10000),"
	"  reason text NOT NULL DEFAULT '',"
	"  source text NOT NULL DEFAULT '',"
	"  PRIMARY KEY(region_id, id),"
	"  UNIQUE(region_id, year, dept, project, class, sub, name));"
	"CREATE INDEX indicator_id ON indicator(id);"
	"CREATE TABLE perf_text("
	"  region_id bigint NOT NULL REFERENCES region(id),"
	"  id bigserial,"
	"  year integer NOT NULL,"
	"  dept text NOT NULL,"
	"  project text NOT NULL DEFAULT '',"
	"  section text NOT NULL,"
	"  text text NOT NULL,"
	"  source text NOT NULL DEFAULT '',"
	"  PRIMARY KEY(region_id, id),"
	"  UNIQUE(region_id, year, dept, project, section));",
	/* 4: a voucher's identity and its origin (file and line). */
	"ALTER TABLE voucher ADD COLUMN number text;"
	"ALTER TABLE voucher ADD COLUMN source_id bigint;"
	"ALTER TABLE voucher ADD COLUMN line bigint;"
	"CREATE TABLE voucher_source("
	"  id bigserial PRIMARY KEY,"
	"  path text NOT NULL,"
	"  loaded_at text NOT NULL DEFAULT " PG_NOW ");"
	"CREATE UNIQUE INDEX voucher_key ON voucher(region_id, unit, (date / 10000), number);",
	/* 5: the 指标 ledger and its journal (pg_ledger.c). The CHECK on a
	** line is the 指标 control in the database: no committed state has a
	** line paying beyond its quota, whatever the client computed. */
	"CREATE FUNCTION fisc_refuse() RETURNS trigger LANGUAGE plpgsql AS"
	"  $$BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END$$;"
	"CREATE TABLE ledger_line("
	"  id bigint PRIMARY KEY,"
	"  region text NOT NULL, year integer NOT NULL,"
	"  book smallint NOT NULL CHECK(book BETWEEN 1 AND 4),"
	"  dept text NOT NULL, project text NOT NULL DEFAULT '',"
	"  func text NOT NULL DEFAULT '', econ text NOT NULL,"
	"  fund smallint NOT NULL CHECK(fund BETWEEN 1 AND 4),"
	"  fund_doc text NOT NULL DEFAULT '',"
	"  kind smallint NOT NULL CHECK(kind IN (1,2)),"
	"  quota bigint NOT NULL DEFAULT 0, paid bigint NOT NULL DEFAULT 0,"
	"  pending bigint NOT NULL DEFAULT 0,"
	"  CHECK(paid >= 0 AND pending >= 0 AND paid + pending <= quota),"
	"  UNIQUE(region, year, book, dept, project, func, econ, fund, fund_doc, kind));"
	"CREATE TABLE ledger_doc("
	"  id bigserial PRIMARY KEY,"
	"  no text NOT NULL UNIQUE,"
	"  date integer NOT NULL,"
	"  kind smallint NOT NULL CHECK(kind BETWEEN 1 AND 7),"
	"  author text NOT NULL DEFAULT '');"
	"CREATE TABLE ledger_leg("
	"  doc_id bigint NOT NULL REFERENCES ledger_doc(id),"
	"  line_id bigint NOT NULL REFERENCES ledger_line(id),"
	"  fen bigint NOT NULL CHECK(fen <> 0));"
	"CREATE INDEX ledger_leg_line ON ledger_leg(line_id);"
	"CREATE TABLE ledger_payment("
	"  id bigserial PRIMARY KEY,"
	"  key text NOT NULL UNIQUE,"
	"  line_id bigint NOT NULL REFERENCES ledger_line(id),"
	"  fen bigint NOT NULL CHECK(fen > 0),"
	"  payee text NOT NULL DEFAULT '', purpose text NOT NULL DEFAULT '',"
	"  state smallint NOT NULL CHECK(state BETWEEN 1 AND 3),"
	"  refunded bigint NOT NULL DEFAULT 0"
	"   CHECK(refunded >= 0 AND refunded <= fen AND (refunded = 0 OR state = 2)),"
	"  paid_on integer NOT NULL DEFAULT 0 CHECK((state = 2) = (paid_on > 0)));"
	"CREATE TRIGGER ledger_payment_forward BEFORE UPDATE ON ledger_payment FOR EACH ROW"
	"  WHEN (NEW.key <> OLD.key OR NEW.line_id <> OLD.line_id OR NEW.fen <> OLD.fen"
	"    OR (NEW.state <> OLD.state AND OLD.state <> 1) OR NEW.refunded < OLD.refunded"
	"    OR (OLD.paid_on <> 0 AND NEW.paid_on <> OLD.paid_on))"
	"  EXECUTE FUNCTION fisc_refuse('ledger payment: only 在途 → 已支付/已退回 and more refund');"
	"CREATE TRIGGER ledger_payment_keep BEFORE DELETE ON ledger_payment FOR EACH ROW"
	"  EXECUTE FUNCTION fisc_refuse('ledger payment rows are never deleted');"
	"CREATE TABLE ledger_refund("
	"  id bigserial PRIMARY KEY,"
	"  key text NOT NULL UNIQUE,"
	"  pay_key text NOT NULL REFERENCES ledger_payment(key),"
	"  fen bigint NOT NULL CHECK(fen > 0),"
	"  date integer NOT NULL);"
	"CREATE TABLE journal("
	"  seq bigint PRIMARY KEY,"
	"  prev bytea NOT NULL CHECK(length(prev)=32),"
	"  hash bytea NOT NULL CHECK(length(hash)=32),"
	"  bytes bytea NOT NULL);"
	"CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE ON journal FOR EACH ROW"
	"  EXECUTE FUNCTION fisc_refuse('the journal is append-only');"
	"CREATE FUNCTION fisc_journal_chained() RETURNS trigger LANGUAGE plpgsql AS $$"
	"DECLARE last bigint; h bytea;"
	"BEGIN"
	"  SELECT seq, hash INTO last, h FROM journal ORDER BY seq DESC LIMIT 1;"
	"  IF NEW.seq <> coalesce(last, 0) + 1"
	"     OR NEW.prev <> coalesce(h, decode(repeat('00', 32), 'hex')) THEN"
	"    RAISE EXCEPTION 'journal entry out of sequence';"
	"  END IF;"
	"  RETURN NEW;"
	"END$$;"
	"CREATE TRIGGER journal_chained BEFORE INSERT ON journal FOR EACH ROW"
	"  EXECUTE FUNCTION fisc_journal_chained();",
	/* 6: users, their tokens (SHA-256 only), publication marks and the
	** event log of `fisc serve` (pg_ledger.c). */
	"CREATE TABLE app_user("
	"  id bigserial PRIMARY KEY,"
	"  name text NOT NULL UNIQUE,"
	"  role integer NOT NULL CHECK(role BETWEEN 1 AND 3),"
	"  region_code text NOT NULL,"
	"  dept text NOT NULL DEFAULT '',"
	"  pwhash text NOT NULL,"
	"  disabled integer NOT NULL DEFAULT 0,"
	"  created_at text NOT NULL DEFAULT " PG_NOW ");"
	"CREATE TABLE app_token("
	"  hash bytea PRIMARY KEY,"
	"  user_id bigint NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,"
	"  kind integer NOT NULL,"
	"  expires bigint NOT NULL);"
	"CREATE TABLE published("
	"  region_id bigint NOT NULL REFERENCES region(id),"
	"  year integer NOT NULL,"
	"  at text NOT NULL DEFAULT " PG_NOW ","
	"  PRIMARY KEY(region_id, year));"
	"CREATE TABLE event_log("
	"  id bigserial PRIMARY KEY,"
	"  at text NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC','YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
	"  actor text NOT NULL, address text NOT NULL, action text NOT NULL,"
	"  target text NOT NULL, outcome text NOT NULL);",
	/* 7: versions of facts (pg_history.c, docs/history.md), as SQLite's
	** migration 7: `fact` keeps exactly the current facts, each with the
	** document that established it; an ended version moves to
	** fact_version; both history tables refuse UPDATE and DELETE.
	**
	** Numbers are assigned as SQLite assigns them (max + 1, a rolled-back
	** transaction leaves no gap), because they are part of what the
	** journal hashes (an amendment's digest holds fact, region and
	** document ids): every writer of facts and regions holds the advisory
	** lock FISC_PG_FACT_LOCK to its commit (a statement trigger on fact;
	** the region trigger), a document takes max(id) + 1 under it, and the
	** fact sequence is set to max(id) + 1 by each document (pg_history.c).
	** The document of the transaction reaches fact.doc through the
	** transaction-local setting fisc.doc, so that every insert path
	** (one statement per fact, COPY) gets it without naming it. */
	"CREATE TABLE fact_doc("
	"  id bigint PRIMARY KEY,"
	"  kind smallint NOT NULL CHECK(kind IN (1,2)),"
	"  number text NOT NULL DEFAULT '',"
	"  date integer NOT NULL DEFAULT 0,"
	"  author text NOT NULL DEFAULT '',"
	"  reason text NOT NULL DEFAULT '',"
	"  source text NOT NULL DEFAULT '',"
	"  created text NOT NULL DEFAULT " PG_NOW ");"
	"CREATE UNIQUE INDEX fact_doc_number ON fact_doc(number) WHERE number <> '';"
	"INSERT INTO fact_doc(id,kind,reason) VALUES(0,1,"
	"  '启用历史记录之前或未经导入写入的数据 / stored before history was kept, or not by an import');"
	"ALTER TABLE fact ADD COLUMN doc bigint NOT NULL"
	"  DEFAULT coalesce(nullif(current_setting('fisc.doc', true), ''), '0')::bigint;"
	"CREATE TABLE fact_version("
	"  region_id bigint NOT NULL,"
	"  id bigint NOT NULL,"
	"  doc bigint NOT NULL,"
	"  ended_by bigint NOT NULL REFERENCES fact_doc(id),"
	"  withdrawn smallint NOT NULL DEFAULT 0 CHECK(withdrawn IN (0,1)),"
	"  year integer NOT NULL, book smallint NOT NULL, phase smallint NOT NULL,"
	"  scope smallint NOT NULL, item text NOT NULL, kind smallint NOT NULL,"
	"  dept text NOT NULL, project text NOT NULL, econ text NOT NULL, fund text NOT NULL,"
	"  fen bigint, ulp bigint NOT NULL, unit smallint NOT NULL, decimals smallint NOT NULL,"
	"  source text NOT NULL, note text NOT NULL,"
	"  PRIMARY KEY(region_id, id, doc));"
	"CREATE INDEX fact_version_sel ON fact_version(region_id, year);"
	"CREATE INDEX fact_version_id ON fact_version(id);"
	"CREATE INDEX fact_version_ended ON fact_version(ended_by);"
	"CREATE TRIGGER fact_version_keep BEFORE UPDATE OR DELETE ON fact_version FOR EACH ROW"
	"  EXECUTE FUNCTION fisc_refuse('fact versions are never changed or deleted');"
	"CREATE TRIGGER fact_doc_keep BEFORE UPDATE OR DELETE ON fact_doc FOR EACH ROW"
	"  EXECUTE FUNCTION fisc_refuse('fact documents are never changed or deleted');"
	"CREATE FUNCTION fisc_fact_lock() RETURNS trigger LANGUAGE plpgsql AS"
	"  $$BEGIN PERFORM pg_advisory_xact_lock(" FISC_PG_FACT_LOCK "); RETURN NULL; END$$;"
	"CREATE TRIGGER fact_lock BEFORE INSERT ON fact FOR EACH STATEMENT"
	"  EXECUTE FUNCTION fisc_fact_lock();"
	"CREATE FUNCTION fisc_region_id() RETURNS trigger LANGUAGE plpgsql AS $$"
	"BEGIN"
	"  PERFORM pg_advisory_xact_lock(" FISC_PG_FACT_LOCK ");"
	"  NEW.id := (SELECT coalesce(max(id), 0) + 1 FROM region);"
	"  RETURN NEW;"
	"END$$;"
	"CREATE TRIGGER region_id BEFORE INSERT ON region FOR EACH ROW"
	"  EXECUTE FUNCTION fisc_region_id();"
	/* The legs of a 指标 document in the order written (SQLite's rowid),
	** for `fisc copy`. */
	"ALTER TABLE ledger_leg ADD COLUMN seq bigserial;",
};

enum { NMIGRATIONS = sizeof migrations / sizeof *migrations };

/* The key of the advisory lock that serializes migrations ("fisc" ‖ "migr"). */
#define MIGRATE_LOCK "7378086880638642546"

static const char *const prep_sql[PQ_COUNT] = {
	[PQ_FACT_PUT] =
		"INSERT INTO fact(region_id,year,book,phase,scope,item,kind,dept,"
		"project,econ,fund,fen,ulp,unit,decimals,source,note)"
		" VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)"
		" ON CONFLICT DO NOTHING",
	[PQ_REGION_BY_CODE] =
		"SELECT r.id,r.code,r.name,coalesce(p.code,''),r.level,r.label_all,"
		"r.label_self,r.label_lower FROM region r LEFT JOIN region p"
		" ON p.id=r.parent_id WHERE r.code=$1",
	[PQ_REGION_BY_NAME] =
		"SELECT r.id,r.code,r.name,coalesce(p.code,''),r.level,r.label_all,"
		"r.label_self,r.label_lower FROM region r LEFT JOIN region p"
		" ON p.id=r.parent_id WHERE r.name=$1 ORDER BY r.id LIMIT 1",
	[PQ_REGION_BY_ID] =
		"SELECT r.id,r.code,r.name,coalesce(p.code,''),r.level,r.label_all,"
		"r.label_self,r.label_lower FROM region r LEFT JOIN region p"
		" ON p.id=r.parent_id WHERE r.id=$1",
	[PQ_CATALOG_PUT] =
		"INSERT INTO catalog(year,code,name,parent,level,kind) VALUES($1,$2,$3,$4,$5,$6)"
		" ON CONFLICT(year,code) DO UPDATE SET name=excluded.name, parent=excluded.parent,"
		" level=excluded.level, kind=excluded.kind",
	[PQ_LINE_SET] = "UPDATE ledger_line SET quota=$2,paid=$3,pending=$4 WHERE id=$1",
	[PQ_PAY_PUT] = "INSERT INTO ledger_payment(key,line_id,fen,payee,purpose,state,refunded,paid_on)"
		       " VALUES($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT(key) DO UPDATE SET"
		       " state=excluded.state, refunded=excluded.refunded, paid_on=excluded.paid_on",
	[PQ_JOURNAL_PUT] = "INSERT INTO journal(seq,prev,hash,bytes) VALUES($1,$2,$3,$4)",
	[PQ_JOURNAL_EACH] = "SELECT seq,prev,hash,bytes FROM journal WHERE seq>$1 ORDER BY seq",
};

/* ---- parameters, errors, statements ---- */

void fisc_pg_int(pg_args *a, int64_t v)
{
	assert(a->n < PG_MAXARGS);
	snprintf(a->buf[a->n], sizeof a->buf[a->n], "%lld", (long long)v);
	a->v[a->n] = a->buf[a->n];
	a->len[a->n] = 0;
	a->fmt[a->n++] = 0;
}

void fisc_pg_text(pg_args *a, const char *s)
{
	assert(a->n < PG_MAXARGS);
	a->v[a->n] = s ? s : "";
	a->len[a->n] = 0;
	a->fmt[a->n++] = 0;
}

void fisc_pg_null(pg_args *a)
{
	assert(a->n < PG_MAXARGS);
	a->v[a->n] = NULL;
	a->len[a->n] = 0;
	a->fmt[a->n++] = 0;
}

void fisc_pg_bytes(pg_args *a, const void *p, size_t n)
{
	assert(a->n < PG_MAXARGS);
	a->v[a->n] = n ? p : "";
	a->len[a->n] = (int)n;
	a->fmt[a->n++] = 1;
}

int64_t fisc_pg_i64(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

int fisc_pg_bytea(const PGresult *r, int row, int col, uint8_t *out, size_t n)
{
	size_t len = 0;
	unsigned char *b = PQunescapeBytea((const unsigned char *)PQgetvalue(r, row, col), &len);
	if (!b)
		return -1;
	memset(out, 0, n);
	memcpy(out, b, len < n ? len : n);
	PQfreemem(b);
	return (int)len;
}

int fisc_pg_error(PGconn *c, const PGresult *r, const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r && *PQresultErrorMessage(r) ? PQresultErrorMessage(r) : PQerrorMessage(c);
	char text[600];
	snprintf(text, sizeof text, "%s", msg && *msg ? msg : "?");
	for (size_t n = strlen(text); n && (text[n - 1] == '\n' || text[n - 1] == ' ');)
		text[--n] = 0;
	int code = FISC_ESTORE;
	const char *zh = "数据库错误", *en = "database error";
	if (!state || !*state) {
		if (PQstatus(c) == CONNECTION_BAD)
			code = FISC_EIO, zh = "与数据库的连接已断开", en = "connection to the database lost";
		state = "";
	} else if (!strcmp(state, "53100")) {
		code = FISC_EIO, zh = "磁盘已满", en = "disk full";
	} else if (!strcmp(state, "53200")) {
		code = FISC_ENOMEM, zh = "数据库内存不足", en = "database out of memory";
	} else if (!strncmp(state, "53", 2) || !strncmp(state, "58", 2) ||
		   !strcmp(state, "XX001") || !strcmp(state, "XX002")) {
		code = FISC_EIO, zh = "数据库服务器资源或读写错误", en = "database server resource or I/O error";
	} else if (!strncmp(state, "08", 2) || !strncmp(state, "57P", 3)) {
		code = FISC_EIO, zh = "与数据库的连接已断开", en = "connection to the database lost";
	} else if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")) {
		zh = "数据库忙（与其他进程冲突），可重试", en = "database busy (conflict with another process); retry";
	} else if (!strcmp(state, "22003")) {
		code = FISC_ERANGE, zh = "数值超出范围", en = "number out of range";
	} else if (!strncmp(state, "23", 2)) {
		zh = "违反数据库约束", en = "database constraint violated";
	} else if (!strcmp(state, "42501") || !strcmp(state, "25006")) {
		code = FISC_EIO, zh = "数据库不可写或无权访问", en = "database cannot be written or accessed";
	}
	return fisc_error_set(code, "%s（%s）/ %s (%s): %s [PostgreSQL %s]", zh, what, en, what, text,
			      state);
}

static PGresult *checked(pg_store *s, PGresult *r, const char *what, int *rc)
{
	ExecStatusType t = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK) {
		*rc = FISC_OK;
		return r;
	}
	*rc = fisc_pg_error(s->c, r, what);
	PQclear(r);
	return NULL;
}

PGresult *fisc_pg_exec(pg_store *s, const char *sql, const pg_args *a, const char *what, int *rc)
{
	if ((*rc = fisc_pg_fact_flush(s)) != FISC_OK)
		return NULL;
	PGresult *r = a ? PQexecParams(s->c, sql, a->n, NULL, a->v, a->len, a->fmt, 0)
			: PQexec(s->c, sql);
	return checked(s, r, what, rc);
}

PGresult *fisc_pg_prep(pg_store *s, int which, const char *sql, const pg_args *a,
		       const char *what, int *rc)
{
	char name[16];
	snprintf(name, sizeof name, "fisc_%d", which);
	if ((*rc = fisc_pg_fact_flush(s)) != FISC_OK)
		return NULL;
	if (!s->prepared[which]) {
		if (!sql)
			sql = prep_sql[which];
		PGresult *p = checked(s, PQprepare(s->c, name, sql, 0, NULL), what, rc);
		if (!p)
			return NULL;
		PQclear(p);
		s->prepared[which] = 1;
	}
	return checked(s, PQexecPrepared(s->c, name, a->n, a->v, a->len, a->fmt, 0), what, rc);
}

int fisc_pg_cmd(pg_store *s, const char *sql, const pg_args *a, const char *what, int64_t *changed)
{
	int rc;
	PGresult *r = fisc_pg_exec(s, sql, a, what, &rc);
	if (r) {
		if (changed)
			*changed = strtoll(PQcmdTuples(r), NULL, 10);
		PQclear(r);
	}
	return rc;
}

int fisc_pg_copy(pg_store *s, const char *copy, const char *buf, size_t len, const char *what)
{
	int rc = fisc_pg_fact_flush(s);
	if (rc != FISC_OK)
		return rc;
	PGresult *r = PQexec(s->c, copy);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		rc = fisc_pg_error(s->c, r, what);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	int ok = 1;
	for (size_t off = 0; ok && off < len;) {
		size_t n = len - off < (1u << 20) ? len - off : (1u << 20);
		ok = PQputCopyData(s->c, buf + off, (int)n) == 1;
		off += n;
	}
	if (PQputCopyEnd(s->c, NULL) != 1)
		return fisc_pg_error(s->c, NULL, what);
	rc = ok ? FISC_OK : fisc_pg_error(s->c, NULL, what);
	while ((r = PQgetResult(s->c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == FISC_OK)
			rc = fisc_pg_error(s->c, r, what);
		PQclear(r);
	}
	return rc;
}

char *fisc_pg_copy_field(char *b, const char *t)
{
	for (; t && *t; t++) {
		if (*t == '\\' || *t == '\t' || *t == '\n' || *t == '\r') {
			*b++ = '\\';
			*b++ = *t == '\t' ? 't' : *t == '\n' ? 'n' : *t == '\r' ? 'r' : '\\';
		} else {
			*b++ = *t;
		}
	}
	return b;
}

static int exec(pg_store *s, const char *sql, const char *what)
{
	return fisc_pg_cmd(s, sql, NULL, what, NULL);
}

/* Rows fetched per round trip of a walk: big enough that the round trips
** do not show, small enough that a slice of facts is a few hundred KB. */
enum { WALK_SLICE = 2000 };

int fisc_pg_walk(pg_store *s, const char *sql, const pg_args *a, const char *what, pg_row_fn row,
		 void *ud)
{
	/* A cursor lives in a transaction: outside the caller's, the walk has
	** its own (writes made by the callback commit with it). */
	int own = PQtransactionStatus(s->c) == PQTRANS_IDLE, rc = FISC_OK;
	if (own && (rc = exec(s, "BEGIN", what)) != FISC_OK)
		return rc;
	char name[32], decl[64], fetch[64];
	snprintf(name, sizeof name, "fisc_c%u", ++s->cursors);
	size_t n = strlen(sql) + 64;
	char *full = malloc(n);
	if (!full) {
		rc = fisc_error_set(FISC_ENOMEM, "out of memory");
		goto out;
	}
	snprintf(full, n, "DECLARE %s NO SCROLL CURSOR FOR %s", name, sql);
	rc = fisc_pg_cmd(s, full, a, what, NULL);
	free(full);
	if (rc != FISC_OK)
		goto out;
	snprintf(fetch, sizeof fetch, "FETCH %d FROM %s", WALK_SLICE, name);
	for (;;) {
		PGresult *r = fisc_pg_exec(s, fetch, NULL, what, &rc);
		if (!r)
			break;
		int rows = PQntuples(r);
		for (int i = 0; i < rows && rc == FISC_OK; i++)
			rc = row(ud, r, i);
		PQclear(r);
		if (rc != FISC_OK || rows < WALK_SLICE)
			break;
	}
	if (PQtransactionStatus(s->c) == PQTRANS_INTRANS) {
		snprintf(decl, sizeof decl, "CLOSE %s", name);
		int crc = exec(s, decl, what);
		if (rc == FISC_OK)
			rc = crc;
	}
out:
	if (own) {
		if (PQtransactionStatus(s->c) == PQTRANS_INTRANS) {
			int crc = exec(s, "COMMIT", what);
			if (rc == FISC_OK)
				rc = crc;
		} else if (PQtransactionStatus(s->c) == PQTRANS_INERROR) {
			PQclear(PQexec(s->c, "ROLLBACK"));
		}
	}
	return rc;
}

/* ---- the schema ---- */

static int schema_version(pg_store *s, int *version)
{
	int rc;
	*version = 0;
	PGresult *r = fisc_pg_exec(s, "SELECT to_regclass('schema_version') IS NOT NULL", NULL,
				   "schema_version", &rc);
	if (!r)
		return rc;
	int exists = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (!exists)
		return FISC_OK;
	r = fisc_pg_exec(s, "SELECT max(version) FROM schema_version", NULL, "schema_version", &rc);
	if (!r)
		return rc;
	*version = (int)fisc_pg_i64(r, 0, 0);
	PQclear(r);
	return FISC_OK;
}

static int newer(int version);

/* Bring the schema up to date in one transaction. The version read before
** the lock is a hint; it is read again under the lock, so that of two
** processes creating the store the second finds the work done. */
static int migrate(pg_store *s, int create)
{
	int version, rc = schema_version(s, &version);
	if (rc == FISC_OK && version == NMIGRATIONS)
		return FISC_OK;
	if (rc == FISC_OK && version == 0 && !create)
		return fisc_error_set(FISC_ENOTFOUND,
				      "数据库不存在 / store not found: the PostgreSQL database %s has no fisc store"
				      " (create it with `fisc init` or `fisc import`)",
				      PQdb(s->c));
	if (rc == FISC_OK)
		rc = exec(s, "BEGIN", "migrate");
	if (rc == FISC_OK)
		rc = exec(s, "SET LOCAL client_min_messages = warning; SELECT pg_advisory_xact_lock(" MIGRATE_LOCK ")",
			  "migrate");
	if (rc == FISC_OK)
		rc = schema_version(s, &version);
	if (rc == FISC_OK && version > NMIGRATIONS)
		rc = newer(version);
	if (rc == FISC_OK && version == 0) {
		s->base.is_new = 1;
		rc = exec(s, "CREATE TABLE schema_version(version integer NOT NULL);"
			     "INSERT INTO schema_version VALUES(0)", "schema_version");
	}
	for (int v = version; rc == FISC_OK && v < NMIGRATIONS; v++) {
		char sql[64];
		rc = exec(s, migrations[v], "schema");
		snprintf(sql, sizeof sql, "UPDATE schema_version SET version=%d", v + 1);
		if (rc == FISC_OK)
			rc = exec(s, sql, "schema_version");
	}
	/* A new store stays in this transaction until its catalogue is in
	** (fisc_pg_open). */
	if (rc == FISC_OK && version == 0)
		s->creating = 1;
	else if (rc == FISC_OK)
		rc = exec(s, "COMMIT", "migrate");
	if (rc != FISC_OK && PQtransactionStatus(s->c) != PQTRANS_IDLE)
		PQclear(PQexec(s->c, "ROLLBACK"));
	return rc;
}

static int newer(int version)
{
	return fisc_error_set(FISC_ESTORE,
			      "数据库版本 %d 高于本程序支持的 %d，请使用更新的 fisc / store schema %d is newer than this fisc (%d): use a newer fisc",
			      version, NMIGRATIONS, version, NMIGRATIONS);
}

/* `fisc migrate`: the version found, and the pending migrations applied in
** one transaction when asked. A newer schema is refused before anything
** is written. */
static int pg_migrate(fisc_store *st, int apply, int *from, int *to)
{
	pg_store *s = PG(st);
	int rc = schema_version(s, from);
	*to = NMIGRATIONS;
	if (rc == FISC_OK && *from > NMIGRATIONS)
		return newer(*from);
	if (rc == FISC_OK && apply && *from < NMIGRATIONS)
		rc = migrate(s, 0);
	return rc;
}

/* ---- transactions ---- */

static int catalog_flush(pg_store *s);
static void catalog_discard(pg_store *s);

static void fact_discard(pg_store *s);

static void pg_close(fisc_store *st)
{
	fact_discard(PG(st));
	free(PG(st)->fbuf); /* kept across transactions, so freed only here */
	free(PG(st)->cat);
	free(PG(st)->dv_snapshot);
	fisc_pg_voucher_reset(st);
	PQfinish(PG(st)->c);
	free(st);
}

static int pg_begin(fisc_store *st)
{
	pg_store *s = PG(st);
	catalog_discard(s);
	fact_discard(s);
	fisc_pg_voucher_reset(st);
	if (s->creating)
		return FISC_OK;
	int rc = exec(s, st->snapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN", "begin");
	/* The ledger's writers queue here for their whole batch: each then
	** catches up with the journal and appends to it with nobody between
	** (docs/postgresql.md, "one chain"). */
	if (rc == FISC_OK && s->ledger)
		rc = exec(s, "SELECT pg_advisory_xact_lock(" FISC_PG_LEDGER_LOCK ")", "ledger lock");
	return rc;
}

/* After an error PostgreSQL keeps the transaction open but refuses every
** statement until ROLLBACK: for fisc it is gone. */
static int pg_txn_alive(fisc_store *st)
{
	PGTransactionStatusType t = PQtransactionStatus(PG(st)->c);
	return t == PQTRANS_INTRANS || t == PQTRANS_ACTIVE;
}

/* A lost connection (PQTRANS_UNKNOWN) counts as open: nothing is known of
** it, and the handle must not be reused as if it were clean. */
static int pg_txn_open(fisc_store *st)
{
	return PQtransactionStatus(PG(st)->c) != PQTRANS_IDLE;
}

static int pg_commit(fisc_store *st)
{
	pg_store *s = PG(st);
	int rc = catalog_flush(s);
	if (rc == FISC_OK)
		rc = fisc_pg_voucher_commit(st);
	if (rc == FISC_OK)
		rc = fisc_pg_fact_flush(s);
	if (rc != FISC_OK || s->creating)
		return rc;
	/* Other writers add facts once this commits: the keys read under the
	** lock are no longer the store's. */
	fact_discard(s);
	PGresult *r = fisc_pg_exec(s, "COMMIT", NULL, "commit", &rc);
	if (!r)
		return rc;
	/* COMMIT of a failed transaction "succeeds" as ROLLBACK. */
	if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
		rc = fisc_error_set(FISC_ESTORE, "数据库已中止事务，未写入任何数据 / the database aborted the transaction; nothing was written");
	PQclear(r);
	if (rc == FISC_OK)
		fisc_pg_voucher_reset(st);
	return rc;
}

static int pg_rollback(fisc_store *st)
{
	catalog_discard(PG(st));
	fact_discard(PG(st));
	fisc_pg_voucher_reset(st);
	PG(st)->creating = 0;
	if (PQtransactionStatus(PG(st)->c) == PQTRANS_IDLE)
		return FISC_OK;
	return exec(PG(st), "ROLLBACK", "rollback");
}

/* ---- regions ---- */

static void read_region(const PGresult *r, int i, fisc_arena *a, fisc_region *out)
{
	out->id = fisc_pg_i64(r, i, 0);
	out->code = fisc_arena_strdup(a, fisc_pg_s(r, i, 1));
	out->name = fisc_arena_strdup(a, fisc_pg_s(r, i, 2));
	out->parent_code = fisc_arena_strdup(a, fisc_pg_s(r, i, 3));
	out->level = fisc_arena_strdup(a, fisc_pg_s(r, i, 4));
	out->label_all = fisc_arena_strdup(a, fisc_pg_s(r, i, 5));
	out->label_self = fisc_arena_strdup(a, fisc_pg_s(r, i, 6));
	out->label_lower = fisc_arena_strdup(a, fisc_pg_s(r, i, 7));
}

static int find_one(pg_store *s, int which, const char *key, int64_t id, fisc_arena *a,
		    fisc_region *out)
{
	pg_args p = {0};
	int rc;
	if (key)
		fisc_pg_text(&p, key);
	else
		fisc_pg_int(&p, id);
	PGresult *r = fisc_pg_prep(s, which, NULL, &p, "region", &rc);
	if (!r)
		return rc;
	rc = FISC_ENOTFOUND;
	if (PQntuples(r) > 0) {
		read_region(r, 0, a, out);
		rc = FISC_OK;
	}
	PQclear(r);
	return rc;
}

static int pg_region_find(fisc_store *st, const char *k, fisc_arena *a, fisc_region *out)
{
	int rc = find_one(PG(st), PQ_REGION_BY_CODE, k, 0, a, out);
	if (rc == FISC_ENOTFOUND)
		rc = find_one(PG(st), PQ_REGION_BY_NAME, k, 0, a, out);
	if (rc == FISC_ENOTFOUND)
		fisc_error_set(rc, "未知地区「%s」/ unknown region '%s'", k, k);
	return rc;
}

static int pg_region_get(fisc_store *st, int64_t id, fisc_arena *a, fisc_region *out)
{
	return find_one(PG(st), PQ_REGION_BY_ID, NULL, id, a, out);
}

static int same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

static int pg_region_put(fisc_store *st, const fisc_region *r, int64_t *id)
{
	pg_store *s = PG(st);
	fisc_arena *a = fisc_arena_new();
	fisc_region old, parent;
	int64_t parent_id = 0;
	int rc;
	if (!a)
		return FISC_ENOMEM;
	if (r->parent_code && *r->parent_code) {
		rc = pg_region_find(st, r->parent_code, a, &parent);
		if (rc != FISC_OK)
			goto out;
		parent_id = parent.id;
	}
	rc = find_one(s, PQ_REGION_BY_CODE, r->code, 0, a, &old);
	if (rc == FISC_OK) {
		/* Re-importing the same region is harmless; changing it is not. */
		int64_t old_parent = 0;
		if (*old.parent_code) {
			fisc_region p;
			if (find_one(s, PQ_REGION_BY_CODE, old.parent_code, 0, a, &p) == FISC_OK)
				old_parent = p.id;
		}
		if (same(old.name, r->name) && old_parent == parent_id && same(old.level, r->level) &&
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
	pg_args p = {0};
	fisc_pg_text(&p, r->code);
	fisc_pg_text(&p, r->name);
	if (parent_id)
		fisc_pg_int(&p, parent_id);
	else
		fisc_pg_null(&p);
	fisc_pg_text(&p, r->level);
	fisc_pg_text(&p, r->label_all);
	fisc_pg_text(&p, r->label_self);
	fisc_pg_text(&p, r->label_lower);
	/* Another import may insert the same code between the lookup and
	** here: it waits for that one's commit, and then compares, as above. */
	PGresult *res = fisc_pg_exec(s,
				     "INSERT INTO region(code,name,parent_id,level,label_all,label_self,"
				     "label_lower) VALUES($1,$2,$3,$4,$5,$6,$7)"
				     " ON CONFLICT(code) DO NOTHING RETURNING id",
				     &p, "region insert", &rc);
	if (res) {
		int inserted = PQntuples(res) > 0;
		if (inserted && id)
			*id = fisc_pg_i64(res, 0, 0);
		PQclear(res);
		if (!inserted) {
			fisc_arena_free(a);
			return pg_region_put(st, r, id);
		}
	}
out:
	fisc_arena_free(a);
	return rc;
}

typedef struct cb_walk {
	void *cb;
	void *ud;
} cb_walk;

static int region_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_region x = {fisc_pg_i64(r, i, 0), fisc_pg_s(r, i, 1), fisc_pg_s(r, i, 2),
			 fisc_pg_s(r, i, 3),   fisc_pg_s(r, i, 4), fisc_pg_s(r, i, 5),
			 fisc_pg_s(r, i, 6),   fisc_pg_s(r, i, 7)};
	return ((fisc_region_cb)w->cb)(w->ud, &x);
}

static int pg_region_each(fisc_store *st, fisc_region_cb cb, void *ud)
{
	cb_walk w = {(void *)cb, ud};
	return fisc_pg_walk(PG(st),
			    "SELECT r.id,r.code,r.name,coalesce(p.code,''),r.level,"
			    "r.label_all,r.label_self,r.label_lower FROM region r"
			    " LEFT JOIN region p ON p.id=r.parent_id ORDER BY r.id",
			    NULL, "region list", region_row, &w);
}

/* ---- facts ---- */

/* One fact per prepared INSERT: outside a transaction, where nothing would
** hold the keys read still. */
static int fact_put_one(pg_store *s, const fisc_fact *f)
{
	pg_args p = {0};
	fisc_pg_int(&p, f->region);
	fisc_pg_int(&p, f->year);
	fisc_pg_int(&p, f->book);
	fisc_pg_int(&p, f->phase);
	fisc_pg_int(&p, f->scope);
	fisc_pg_text(&p, f->item);
	fisc_pg_int(&p, f->kind);
	fisc_pg_text(&p, f->dept);
	fisc_pg_text(&p, f->project);
	fisc_pg_text(&p, f->econ);
	fisc_pg_text(&p, f->fund);
	if (f->has_amount)
		fisc_pg_int(&p, f->amount.fen);
	else
		fisc_pg_null(&p);
	fisc_pg_int(&p, f->amount.ulp > 0 ? f->amount.ulp : 1);
	fisc_pg_int(&p, f->amount.unit);
	fisc_pg_int(&p, f->amount.decimals);
	fisc_pg_text(&p, f->source);
	fisc_pg_text(&p, f->note);
	int rc;
	PGresult *r = fisc_pg_prep(s, PQ_FACT_PUT, NULL, &p, "fact insert", &rc);
	if (!r)
		return rc;
	if (strtoll(PQcmdTuples(r), NULL, 10) == 0)
		rc = fisc_error_set(FISC_EEXIST, "重复的事实 / duplicate fact");
	PQclear(r);
	return rc;
}

/*
** Facts in a transaction go by COPY, a batch at a time, and a duplicate is
** still told at its put (the importer reports it at its cell, as on
** SQLite): under FISC_PG_FACT_LOCK — which every writer of facts holds to
** its commit (the statement trigger of migration 7), so nobody else adds a
** fact meanwhile — the keys of a region's stored facts are read once, at
** its first fact, and every put is looked up among them and the keys put
** since. The UNIQUE constraint stays the last word: a batch it refuses
** (a fact written in this transaction by another path, e.g. `fisc copy`'s
** versions) fails the transaction with the server's message.
*/
enum { FACT_BATCH = 8192 };

static void fact_discard(pg_store *s)
{
	s->fbuf_len = s->fbuf_n = 0;
	s->f_locked = 0;
	fisc_strmap_free(&s->f_keys);
	fisc_strmap_free(&s->f_regions);
	memset(&s->f_keys, 0, sizeof s->f_keys);
	memset(&s->f_regions, 0, sizeof s->f_regions);
	if (s->f_arena)
		fisc_arena_free(s->f_arena);
	s->f_arena = NULL;
}

int fisc_pg_fact_flush(pg_store *s)
{
	if (!s->fbuf_n || s->f_flushing)
		return FISC_OK;
	s->f_flushing = 1;
	int rc = fisc_pg_copy(s, "COPY fact(region_id,year,book,phase,scope,item,kind,dept,project,"
				 "econ,fund,fen,ulp,unit,decimals,source,note) FROM STDIN",
			      s->fbuf, s->fbuf_len, "fact copy");
	s->f_flushing = 0;
	s->fbuf_len = s->fbuf_n = 0;
	return rc;
}

/* The key of the UNIQUE constraint, fields separated by \x1f. */
static char *fact_key(fisc_arena *a, int64_t region, int64_t year, int64_t book, int64_t phase,
		      int64_t scope, const char *item, int64_t kind, const char *dept,
		      const char *project, const char *econ, const char *fund)
{
	return fisc_arena_printf(a, "%lld\037%lld\037%lld\037%lld\037%lld\037%s\037%lld\037%s\037%s\037%s\037%s",
				 (long long)region, (long long)year, (long long)book,
				 (long long)phase, (long long)scope, item ? item : "",
				 (long long)kind, dept ? dept : "", project ? project : "",
				 econ ? econ : "", fund ? fund : "");
}

typedef struct key_walk {
	pg_store *s;
	int64_t region;
} key_walk;

static int key_row(void *ud, const PGresult *r, int i)
{
	key_walk *w = ud;
	char *k = fact_key(w->s->f_arena, w->region, fisc_pg_i64(r, i, 0), fisc_pg_i64(r, i, 1),
			   fisc_pg_i64(r, i, 2), fisc_pg_i64(r, i, 3), fisc_pg_s(r, i, 4),
			   fisc_pg_i64(r, i, 5), fisc_pg_s(r, i, 6), fisc_pg_s(r, i, 7),
			   fisc_pg_s(r, i, 8), fisc_pg_s(r, i, 9));
	if (!k || fisc_strmap_put(&w->s->f_keys, k, (void *)1))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	return FISC_OK;
}

/* The lock (once per transaction) and the keys of region's stored facts
** (once per region). */
static int region_keys(pg_store *s, int64_t region)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)region);
	if (fisc_strmap_get(&s->f_regions, id))
		return FISC_OK;
	int rc;
	if (!s->f_locked) {
		if ((rc = exec(s, "SELECT pg_advisory_xact_lock(" FISC_PG_FACT_LOCK ")",
			       "fact lock")) != FISC_OK)
			return rc;
		s->f_locked = 1;
	}
	pg_args p = {0};
	fisc_pg_int(&p, region);
	key_walk w = {s, region};
	rc = fisc_pg_walk(s, "SELECT year,book,phase,scope,item,kind,dept,project,econ,fund"
			     " FROM fact WHERE region_id=$1", &p, "fact keys", key_row, &w);
	if (rc != FISC_OK)
		return rc;
	char *copy = fisc_arena_strndup(s->f_arena, id, strlen(id));
	if (!copy || fisc_strmap_put(&s->f_regions, copy, (void *)1))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	return FISC_OK;
}

static char *copy_num(char *b, int64_t v) { return b + sprintf(b, "%lld\t", (long long)v); }

static char *copy_txt(char *b, const char *t, char end)
{
	b = fisc_pg_copy_field(b, t);
	*b++ = end;
	return b;
}

static int pg_fact_put(fisc_store *st, const fisc_fact *f)
{
	pg_store *s = PG(st);
	if (PQtransactionStatus(s->c) != PQTRANS_INTRANS)
		return fact_put_one(s, f);
	if (!s->f_arena && !(s->f_arena = fisc_arena_new()))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	int rc = region_keys(s, f->region);
	if (rc != FISC_OK)
		return rc;
	char *k = fact_key(s->f_arena, f->region, f->year, f->book, f->phase, f->scope, f->item,
			   f->kind, f->dept, f->project, f->econ, f->fund);
	if (!k)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	if (fisc_strmap_get(&s->f_keys, k))
		return fisc_error_set(FISC_EEXIST, "重复的事实 / duplicate fact");
	if (fisc_strmap_put(&s->f_keys, k, (void *)1))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	const char *texts[7] = {f->item, f->dept, f->project, f->econ, f->fund, f->source, f->note};
	size_t need = 12 * 24 + 16;
	for (int i = 0; i < 7; i++)
		need += 2 * strlen(texts[i] ? texts[i] : "") + 1;
	if (s->fbuf_len + need > s->fbuf_cap) {
		size_t cap = s->fbuf_cap ? 2 * s->fbuf_cap : 1u << 20;
		while (cap < s->fbuf_len + need)
			cap *= 2;
		char *nb = realloc(s->fbuf, cap);
		if (!nb)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		s->fbuf = nb;
		s->fbuf_cap = cap;
	}
	char *b = s->fbuf + s->fbuf_len;
	b = copy_num(b, f->region);
	b = copy_num(b, f->year);
	b = copy_num(b, f->book);
	b = copy_num(b, f->phase);
	b = copy_num(b, f->scope);
	b = copy_txt(b, f->item, '\t');
	b = copy_num(b, f->kind);
	b = copy_txt(b, f->dept, '\t');
	b = copy_txt(b, f->project, '\t');
	b = copy_txt(b, f->econ, '\t');
	b = copy_txt(b, f->fund, '\t');
	if (f->has_amount) {
		b = copy_num(b, f->amount.fen);
	} else {
		memcpy(b, "\\N\t", 3);
		b += 3;
	}
	b = copy_num(b, f->amount.ulp > 0 ? f->amount.ulp : 1);
	b = copy_num(b, f->amount.unit);
	b = copy_num(b, f->amount.decimals);
	b = copy_txt(b, f->source, '\t');
	b = copy_txt(b, f->note, '\n');
	assert((size_t)(b - s->fbuf) <= s->fbuf_cap);
	s->fbuf_len = (size_t)(b - s->fbuf);
	if (++s->fbuf_n >= FACT_BATCH)
		return fisc_pg_fact_flush(s);
	return FISC_OK;
}

/* "SELECT cols FROM fact WHERE …" for q, in id order, its parameters in p
** (also for the scan below). With an as-of, the rows come from the view
** of pg_history.c instead: the same columns, the same order. Without p the
** values are written into the text (COPY takes no parameters); the one text
** value, the department, is then quoted by libpq for conn. */
static int fact_select(const fisc_query *qy, const char *cols, char *sql, size_t size,
		       pg_args *p, PGconn *conn)
{
	fisc_query none = {0};
	if (!qy)
		qy = &none;
	char where[512];
	size_t n = 0;
	where[0] = 0;
#define COND(col, v)                                                                        \
	do {                                                                                \
		if (p) {                                                                    \
			fisc_pg_int(p, v);                                                  \
			n += (size_t)snprintf(where + n, sizeof where - n, " AND " col "=$%d", \
					      p->n);                                        \
		} else {                                                                    \
			n += (size_t)snprintf(where + n, sizeof where - n, " AND " col "=%lld", \
					      (long long)(v));                              \
		}                                                                           \
	} while (0)
	if (qy->region)
		COND("region_id", qy->region);
	if (qy->year)
		COND("year", qy->year);
	if (qy->book_set)
		COND("book", qy->book);
	if (qy->phase)
		COND("phase", qy->phase);
	if (qy->scope)
		COND("scope", qy->scope);
#undef COND
	if (qy->dept && p) {
		fisc_pg_text(p, qy->dept);
		n += (size_t)snprintf(where + n, sizeof where - n, " AND dept=$%d", p->n);
	} else if (qy->dept) {
		char *lit = PQescapeLiteral(conn, qy->dept, strlen(qy->dept));
		if (!lit)
			return fisc_pg_error(conn, NULL, "fact query");
		size_t len = strlen(lit);
		if (len + 16 > sizeof where - n) {
			PQfreemem(lit);
			return fisc_error_set(FISC_EINVAL, "部门名称过长 / department name too long");
		}
		n += (size_t)snprintf(where + n, sizeof where - n, " AND dept=%s", lit);
		PQfreemem(lit);
	}
	if (qy->as_of_doc || qy->as_of_date) {
		char from[2048];
		fisc_pg_as_of_source(qy, where, from, sizeof from);
		snprintf(sql, size, "SELECT %s FROM %s v ORDER BY id", cols, from);
	} else {
		snprintf(sql, size, "SELECT %s FROM fact WHERE true%s ORDER BY id", cols, where);
	}
	return FISC_OK;
}

#define FACT_COLS                                                                         \
	"id,region_id,year,book,phase,scope,item,kind,dept,project,econ,fund,fen,ulp,unit," \
	"decimals,source,note"

static int fact_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_fact f;
	f.id = fisc_pg_i64(r, i, 0);
	f.region = fisc_pg_i64(r, i, 1);
	f.year = (int32_t)fisc_pg_i64(r, i, 2);
	f.book = (uint8_t)fisc_pg_i64(r, i, 3);
	f.phase = (uint8_t)fisc_pg_i64(r, i, 4);
	f.scope = (uint8_t)fisc_pg_i64(r, i, 5);
	f.item = fisc_pg_s(r, i, 6);
	f.kind = (uint8_t)fisc_pg_i64(r, i, 7);
	f.dept = fisc_pg_s(r, i, 8);
	f.project = fisc_pg_s(r, i, 9);
	f.econ = fisc_pg_s(r, i, 10);
	f.fund = fisc_pg_s(r, i, 11);
	f.has_amount = !fisc_pg_isnull(r, i, 12);
	f.amount.fen = fisc_pg_i64(r, i, 12);
	f.amount.ulp = fisc_pg_i64(r, i, 13);
	f.amount.unit = (int8_t)fisc_pg_i64(r, i, 14);
	f.amount.decimals = (int8_t)fisc_pg_i64(r, i, 15);
	f.source = fisc_pg_s(r, i, 16);
	f.note = fisc_pg_s(r, i, 17);
	return ((fisc_fact_cb)w->cb)(w->ud, &f);
}

static int pg_fact_each(fisc_store *st, const fisc_query *qy, fisc_fact_cb cb, void *ud)
{
	char sql[3072];
	pg_args p = {0};
	cb_walk w = {(void *)cb, ud};
	int rc = fact_select(qy, FACT_COLS, sql, sizeof sql, &p, NULL);
	if (rc != FISC_OK)
		return rc;
	return fisc_pg_walk(PG(st), sql, &p, "fact query", fact_row, &w);
}

/* The rule engine's read: the texts numbered as they come (store.c), with
** no fisc_fact built per row. The rows stream as COPY … TO STDOUT in binary:
** the server sends while the client runs the rules on what has arrived
** (a cursor's FETCH made the two take turns), and numbers come as bytes, not
** text to parse. COPY is one statement: in the caller's transaction it sees
** that transaction's snapshot (REPEATABLE READ for history), outside it a
** snapshot of its own, and memory stays one row. */
typedef struct scan {
	fisc_scan_strings strs;
	fisc_fact_ids_cb cb;
	void *ud;
} scan;

/* The binary COPY header: signature, flags, header extension length. */
static const char copy_sig[11] = "PGCOPY\n\377\r\n";

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* A signed integer column of 2, 4 or 8 bytes (smallint, integer, bigint). */
static int64_t be_int(const unsigned char *b, int32_t len)
{
	if (len == 2)
		return (int16_t)(b[0] << 8 | b[1]);
	if (len == 4)
		return (int32_t)be32(b);
	assert(len == 8);
	return (int64_t)((uint64_t)be32(b) << 32 | be32(b + 4));
}

enum { SCAN_COLS = 18 };

/* One tuple of the COPY: 18 fields in FACT_COLS order, each a 4-byte length
** (-1 for NULL) and its bytes. */
static int scan_tuple(scan *s, const unsigned char *b, size_t len)
{
	const unsigned char *v[SCAN_COLS];
	int32_t n[SCAN_COLS];
	size_t off = 2;
	if (len < 2 || (int16_t)(b[0] << 8 | b[1]) != SCAN_COLS)
		goto bad;
	for (int k = 0; k < SCAN_COLS; k++) {
		if (off + 4 > len)
			goto bad;
		n[k] = (int32_t)be32(b + off);
		off += 4;
		v[k] = b + off;
		if (n[k] > 0) {
			if ((size_t)n[k] > len - off)
				goto bad;
			off += (size_t)n[k];
		}
	}
	for (int k = 0; k < SCAN_COLS; k++)
		if (n[k] != -1 && k != 6 && (k < 8 || k > 11) && k != 16 && k != 17 &&
		    n[k] != 2 && n[k] != 4 && n[k] != 8)
			goto bad;
	fisc_fact_ids f;
	uint32_t *ids[6] = {&f.item, &f.dept, &f.project, &f.econ, &f.fund, &f.source};
	static const int cols[6] = {6, 8, 9, 10, 11, 16};
	for (int k = 0; k < 6; k++) {
		int rc = fisc_scan_string(&s->strs, (const char *)v[cols[k]],
					  n[cols[k]] > 0 ? (size_t)n[cols[k]] : 0, ids[k]);
		if (rc != FISC_OK)
			return rc == FISC_ENOMEM ? fisc_error_set(rc, "out of memory") : rc;
	}
#define INT(k) (n[k] > 0 ? be_int(v[k], n[k]) : 0)
	f.id = INT(0);
	f.region = INT(1);
	f.year = (int32_t)INT(2);
	f.book = (uint8_t)INT(3);
	f.phase = (uint8_t)INT(4);
	f.scope = (uint8_t)INT(5);
	f.kind = (uint8_t)INT(7);
	f.has_amount = n[12] != -1;
	f.amount.fen = INT(12);
	f.amount.ulp = INT(13);
	f.amount.unit = (int8_t)INT(14);
	f.amount.decimals = (int8_t)INT(15);
#undef INT
	return s->cb(s->ud, &f);
bad:
	return fisc_error_set(FISC_ESTORE, "数据库返回的事实行格式不符 / malformed fact row from the database");
}

static int scan_copy(pg_store *ps, const char *sql, scan *s)
{
	size_t n = strlen(sql) + 64;
	char *copy = malloc(n);
	if (!copy)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	snprintf(copy, n, "COPY (%s) TO STDOUT (FORMAT binary)", sql);
	int rc = fisc_pg_fact_flush(ps);
	if (rc != FISC_OK) {
		free(copy);
		return rc;
	}
	PGresult *r = PQexec(ps->c, copy);
	free(copy);
	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		rc = fisc_pg_error(ps->c, r, "fact scan");
		PQclear(r);
		return rc;
	}
	PQclear(r);
	/* Every row is read to the end even after an error: the connection is
	** only usable again once the COPY is over. */
	int header = 1, got;
	char *buf;
	while ((got = PQgetCopyData(ps->c, &buf, 0)) > 0) {
		const unsigned char *b = (const unsigned char *)buf;
		size_t len = (size_t)got;
		if (header && rc == FISC_OK) {
			/* signature, 4 bytes of flags, the extension's length and bytes */
			size_t skip = len < 19 ? len : 19 + (size_t)be32(b + 15);
			if (len < 19 || memcmp(b, copy_sig, sizeof copy_sig) != 0 || skip > len) {
				rc = fisc_error_set(FISC_ESTORE, "数据库返回的 COPY 头格式不符 / malformed COPY header from the database");
			} else {
				b += skip;
				len -= skip;
			}
		}
		header = 0;
		/* The trailer: a field count of -1. */
		if (rc == FISC_OK && !(len == 2 && b[0] == 0xff && b[1] == 0xff) && len)
			rc = scan_tuple(s, b, len);
		PQfreemem(buf);
	}
	if (got == -2 && rc == FISC_OK)
		rc = fisc_pg_error(ps->c, NULL, "fact scan");
	while ((r = PQgetResult(ps->c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == FISC_OK)
			rc = fisc_pg_error(ps->c, r, "fact scan");
		PQclear(r);
	}
	return rc;
}

static int pg_fact_scan(fisc_store *st, const fisc_query *q, fisc_string_cb str,
			fisc_fact_ids_cb cb, void *ud)
{
	char sql[3072];
	scan s;
	int rc = fact_select(q, FACT_COLS, sql, sizeof sql, NULL, PG(st)->c);
	if (rc != FISC_OK)
		return rc;
	if (fisc_scan_strings_init(&s.strs, str, ud) != FISC_OK)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	s.cb = cb;
	s.ud = ud;
	rc = scan_copy(PG(st), sql, &s);
	fisc_scan_strings_free(&s.strs);
	return rc;
}

/* The first column of the first row; *found 0 for no row or NULL. */
static int scalar(pg_store *s, const char *sql, const pg_args *p, int64_t *v, int *found)
{
	int rc;
	*v = 0;
	*found = 0;
	PGresult *r = fisc_pg_exec(s, sql, p, "query", &rc);
	if (!r)
		return rc;
	if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
		*v = fisc_pg_i64(r, 0, 0);
		*found = 1;
	}
	PQclear(r);
	return FISC_OK;
}

static int64_t pg_fact_count(fisc_store *st)
{
	int found;
	int64_t n;
	return scalar(PG(st), "SELECT count(*) FROM fact", NULL, &n, &found) == FISC_OK ? n : -1;
}

/* ---- catalogue editions, lines, aliases ---- */

static int pg_edition_put(fisc_store *st, int year, const char *source)
{
	pg_args p = {0};
	fisc_pg_int(&p, year);
	fisc_pg_text(&p, source);
	return fisc_pg_cmd(PG(st),
			   "INSERT INTO edition(year,source) VALUES($1,$2) ON CONFLICT(year)"
			   " DO UPDATE SET source=excluded.source, loaded_at=" PG_NOW,
			   &p, "edition", NULL);
}

static int pg_edition_for(fisc_store *st, int year, int *edition)
{
	pg_store *s = PG(st);
	int found;
	int64_t y;
	pg_args p = {0};
	fisc_pg_int(&p, year);
	int rc = scalar(s, "SELECT max(year) FROM edition WHERE year<=$1", &p, &y, &found);
	if (rc == FISC_OK && !found)
		rc = scalar(s, "SELECT min(year) FROM edition", NULL, &y, &found);
	if (rc != FISC_OK)
		return rc;
	if (!found)
		return fisc_error_set(FISC_ENOTFOUND,
				      "数据库中没有科目目录 / the store has no catalogue edition");
	*edition = (int)y;
	return FISC_OK;
}

static int pg_edition_delete(fisc_store *st, int year)
{
	int frc = catalog_flush(PG(st));
	if (frc != FISC_OK)
		return frc;
	pg_args p = {0};
	fisc_pg_int(&p, year);
	int rc = fisc_pg_cmd(PG(st), "DELETE FROM catalog WHERE year=$1", &p, "catalog", NULL);
	return rc == FISC_OK ? fisc_pg_cmd(PG(st), "DELETE FROM edition WHERE year=$1", &p,
					   "edition", NULL)
			     : rc;
}

static int edition_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_edition e = {(int)fisc_pg_i64(r, i, 0), fisc_pg_s(r, i, 1), fisc_pg_s(r, i, 2),
			  fisc_pg_i64(r, i, 3)};
	return ((fisc_edition_cb)w->cb)(w->ud, &e);
}

static int pg_edition_each(fisc_store *st, fisc_edition_cb cb, void *ud)
{
	int rc = catalog_flush(PG(st));
	if (rc != FISC_OK)
		return rc;
	cb_walk w = {(void *)cb, ud};
	return fisc_pg_walk(PG(st),
			    "SELECT e.year, e.source, e.loaded_at,"
			    " (SELECT count(*) FROM catalog c WHERE c.year=e.year)"
			    " FROM edition e ORDER BY e.year",
			    NULL, "edition", edition_row, &w);
}

/*
** A catalogue edition is a few thousand entries loaded in one transaction:
** sent one statement each they cost a round trip apiece (most of the time
** of creating a store). Inside a transaction they are kept as COPY text and
** sent at once — before anything reads the catalogue, and at commit — into
** a staging table, from which one statement upserts them (the last put of
** a code wins, as INSERT OR REPLACE does in SQLite).
*/
static int catalog_flush(pg_store *s)
{
	if (!s->cat_n)
		return FISC_OK;
	int rc = exec(s, "CREATE TEMP TABLE IF NOT EXISTS catalog_in(seq integer, year integer,"
			 " code text, name text, parent text, level integer, kind integer)"
			 " ON COMMIT DELETE ROWS; TRUNCATE catalog_in", "catalog");
	if (rc == FISC_OK)
		rc = fisc_pg_copy(s, "COPY catalog_in FROM STDIN", s->cat, s->cat_len, "catalog");
	if (rc == FISC_OK)
		rc = exec(s, "INSERT INTO catalog(year,code,name,parent,level,kind)"
			     " SELECT DISTINCT ON (year, code) year,code,name,parent,level,kind"
			     " FROM catalog_in ORDER BY year, code, seq DESC"
			     " ON CONFLICT(year,code) DO UPDATE SET name=excluded.name,"
			     " parent=excluded.parent, level=excluded.level, kind=excluded.kind",
			  "catalog");
	s->cat_len = s->cat_n = 0;
	return rc;
}

static void catalog_discard(pg_store *s) { s->cat_len = s->cat_n = 0; }

static int pg_catalog_put(fisc_store *st, int year, const fisc_catalog_entry *e)
{
	pg_store *s = PG(st);
	if (PQtransactionStatus(s->c) != PQTRANS_INTRANS) {
		pg_args p = {0};
		fisc_pg_int(&p, year);
		fisc_pg_text(&p, e->code);
		fisc_pg_text(&p, e->name);
		fisc_pg_text(&p, e->parent);
		fisc_pg_int(&p, e->level);
		fisc_pg_int(&p, e->kind);
		int rc;
		PGresult *r = fisc_pg_prep(s, PQ_CATALOG_PUT, NULL, &p, "catalog", &rc);
		PQclear(r);
		return rc;
	}
	size_t need = 2 * (strlen(e->code) + strlen(e->name) + strlen(e->parent ? e->parent : "")) + 96;
	if (s->cat_len + need > s->cat_cap) {
		size_t cap = s->cat_cap ? s->cat_cap : 1 << 16;
		while (s->cat_len + need > cap)
			cap *= 2;
		char *n = realloc(s->cat, cap);
		if (!n)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		s->cat = n;
		s->cat_cap = cap;
	}
	char *b = s->cat + s->cat_len;
	b += sprintf(b, "%zu\t%d\t", s->cat_n++, year);
	b = fisc_pg_copy_field(b, e->code);
	*b++ = '\t';
	b = fisc_pg_copy_field(b, e->name);
	*b++ = '\t';
	b = fisc_pg_copy_field(b, e->parent);
	b += sprintf(b, "\t%d\t%d\n", e->level, e->kind);
	s->cat_len = (size_t)(b - s->cat);
	return FISC_OK;
}

static int catalog_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_catalog_entry e = {fisc_pg_s(r, i, 0), fisc_pg_s(r, i, 1), fisc_pg_s(r, i, 2),
				(int)fisc_pg_i64(r, i, 3), (int)fisc_pg_i64(r, i, 4)};
	return ((fisc_catalog_cb)w->cb)(w->ud, &e);
}

static int pg_catalog_each(fisc_store *st, int year, fisc_catalog_cb cb, void *ud)
{
	int rc = catalog_flush(PG(st));
	if (rc != FISC_OK)
		return rc;
	cb_walk w = {(void *)cb, ud};
	pg_args p = {0};
	fisc_pg_int(&p, year);
	return fisc_pg_walk(PG(st),
			    "SELECT code,name,parent,level,kind FROM catalog WHERE year=$1"
			    " ORDER BY code COLLATE \"C\"",
			    &p, "catalog", catalog_row, &w);
}

static int pg_line_put(fisc_store *st, const fisc_line *l)
{
	pg_args p = {0};
	fisc_pg_text(&p, l->id);
	fisc_pg_text(&p, l->name);
	fisc_pg_text(&p, l->side);
	fisc_pg_text(&p, l->parent);
	fisc_pg_text(&p, l->codes);
	fisc_pg_int(&p, l->order);
	return fisc_pg_cmd(PG(st),
			   "INSERT INTO line(id,name,side,parent,codes,ord) VALUES($1,$2,$3,$4,$5,$6)"
			   " ON CONFLICT(id) DO UPDATE SET name=excluded.name, side=excluded.side,"
			   " parent=excluded.parent, codes=excluded.codes, ord=excluded.ord",
			   &p, "line", NULL);
}

static int line_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_line l = {fisc_pg_s(r, i, 0), fisc_pg_s(r, i, 1), fisc_pg_s(r, i, 2),
		       fisc_pg_s(r, i, 3), fisc_pg_s(r, i, 4), (int)fisc_pg_i64(r, i, 5)};
	return ((fisc_line_cb)w->cb)(w->ud, &l);
}

static int pg_line_each(fisc_store *st, fisc_line_cb cb, void *ud)
{
	cb_walk w = {(void *)cb, ud};
	return fisc_pg_walk(PG(st),
			    "SELECT id,name,side,parent,codes,ord FROM line"
			    " ORDER BY ord, id COLLATE \"C\"",
			    NULL, "line", line_row, &w);
}

static int pg_alias_put(fisc_store *st, const fisc_alias *al)
{
	pg_args p = {0};
	fisc_pg_text(&p, al->alias);
	fisc_pg_int(&p, al->book);
	fisc_pg_text(&p, al->target);
	return fisc_pg_cmd(PG(st),
			   "INSERT INTO alias(alias,book,target) VALUES($1,$2,$3)"
			   " ON CONFLICT(alias,book) DO UPDATE SET target=excluded.target",
			   &p, "alias", NULL);
}

static int alias_row(void *ud, const PGresult *r, int i)
{
	cb_walk *w = ud;
	fisc_alias al = {fisc_pg_s(r, i, 0), fisc_pg_s(r, i, 1), (int)fisc_pg_i64(r, i, 2)};
	return ((fisc_alias_cb)w->cb)(w->ud, &al);
}

static int pg_alias_each(fisc_store *st, fisc_alias_cb cb, void *ud)
{
	cb_walk w = {(void *)cb, ud};
	return fisc_pg_walk(PG(st),
			    "SELECT alias,target,book FROM alias ORDER BY alias COLLATE \"C\", book",
			    NULL, "alias", alias_row, &w);
}

/*
** A number that changes whenever another transaction has committed a change
** since the last call: PostgreSQL's snapshot of the moment (xmin, xmax —
** one past the latest finished transaction id — and the ids below xmax
** still running). A writing transaction has an id; once it commits, every
** later snapshot differs from every one taken before it finished: either
** its id was in the running list and has left it, or it was at or past
** the old xmax, which has now moved past it. So an unchanged snapshot
** means no commit in between, and what is read after it is current. The
** number goes up each time the snapshot differs (a transaction that only
** began or rolled back also changes it: one needless miss, never a hidden
** write). One round trip, no lock, no schema.
*/
static int pg_change_version(fisc_store *st, int64_t *v)
{
	pg_store *s = PG(st);
	int rc;
	PGresult *r = fisc_pg_exec(s, "SELECT txid_current_snapshot()::text", NULL, "snapshot", &rc);
	if (!r)
		return rc;
	const char *snap = PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "";
	if (!s->dv_snapshot || strcmp(s->dv_snapshot, snap)) {
		char *copy = strdup(snap);
		if (!copy) {
			PQclear(r);
			return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		}
		free(s->dv_snapshot);
		s->dv_snapshot = copy;
		s->dv++;
	}
	PQclear(r);
	*v = s->dv;
	return FISC_OK;
}

static const fisc_store_vtab pg_vtab = {
	.name = "postgresql",
	.close = pg_close,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.txn_alive = pg_txn_alive,
	.txn_open = pg_txn_open,
	.change_version = pg_change_version,
	.region_put = pg_region_put,
	.region_find = pg_region_find,
	.region_get = pg_region_get,
	.region_each = pg_region_each,
	.fact_put = pg_fact_put,
	.fact_each = pg_fact_each,
	.fact_count = pg_fact_count,
	.fact_scan = pg_fact_scan,
	.edition_put = pg_edition_put,
	.edition_for = pg_edition_for,
	.edition_delete = pg_edition_delete,
	.edition_each = pg_edition_each,
	.catalog_put = pg_catalog_put,
	.catalog_each = pg_catalog_each,
	.line_put = pg_line_put,
	.line_each = pg_line_each,
	.alias_put = pg_alias_put,
	.alias_each = pg_alias_each,
	.voucher_put = fisc_pg_voucher_put,
	.voucher_source = fisc_pg_voucher_source,
	.voucher_skipped = fisc_pg_voucher_skipped,
	.voucher_rollup = fisc_pg_voucher_rollup,
	.voucher_count = fisc_pg_voucher_count,
	.indicator_put = fisc_pg_indicator_put,
	.indicator_each = fisc_pg_indicator_each,
	.perf_text_put = fisc_pg_perf_text_put,
	.perf_text_each = fisc_pg_perf_text_each,
	.ledger_durable = fisc_pg_ledger_durable,
	.quota_line_put = fisc_pg_quota_line_put,
	.quota_line_set = fisc_pg_quota_line_set,
	.quota_line_each = fisc_pg_quota_line_each,
	.quota_doc_put = fisc_pg_quota_doc_put,
	.quota_leg_each = fisc_pg_quota_leg_each,
	.payment_put = fisc_pg_payment_put,
	.payment_each = fisc_pg_payment_each,
	.refund_put = fisc_pg_refund_put,
	.journal_put = fisc_pg_journal_put,
	.journal_each = fisc_pg_journal_each,
	.journal_last = fisc_pg_journal_last,
	.journal_lock = fisc_pg_journal_lock,
	.quota_rollup = fisc_pg_quota_rollup,
	.user = &fisc_pg_user_vtab,
	.history = &fisc_pg_history_vtab,
	.migrate = pg_migrate,
	.voucher_each = fisc_pg_voucher_each,
	.quota_doc_each = fisc_pg_quota_doc_each,
	.refund_each = fisc_pg_refund_each,
	/* backup NULL: a PostgreSQL store is backed up with pg_dump or base
	** backups (docs/operations.md); fisc_store_backup says so. */
};

/* ---- opening ---- */

int fisc_pg_open(const char *conninfo, int flags, fisc_store **out)
{
	*out = NULL;
	pg_store *s = calloc(1, sizeof *s);
	if (!s)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	s->base.vt = &pg_vtab;
	s->c = PQconnectdb(conninfo);
	if (!s->c || PQstatus(s->c) != CONNECTION_OK) {
		const char *m = s->c ? PQerrorMessage(s->c) : "out of memory";
		char text[600];
		snprintf(text, sizeof text, "%s", m);
		for (size_t n = strlen(text); n && text[n - 1] == '\n';)
			text[--n] = 0;
		/* A database that does not exist holds no store. */
		int missing = strstr(text, "does not exist") && strstr(text, "database");
		int rc = fisc_error_set(missing ? FISC_ENOTFOUND : FISC_EIO,
					"%s / %s: %s (create it with createdb)",
					missing ? "数据库不存在" : "无法连接 PostgreSQL 数据库",
					missing ? "store not found" : "cannot connect to the PostgreSQL database",
					text);
		pg_close(&s->base);
		return rc;
	}
	/* Text as UTF-8 both ways, UTC for the times the store writes, and no
	** NOTICE lines (CREATE … IF NOT EXISTS) on the user's terminal. */
	int rc = exec(s, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC';"
			 " SET client_min_messages = warning", "session");
	if (rc == FISC_OK && (flags & FISC_OPEN_NO_MIGRATE)) {
		/* `fisc migrate`: the store must exist and not be newer; the
		** pending migrations are fisc_store_migrate's to apply. */
		int version;
		rc = schema_version(s, &version);
		if (rc == FISC_OK && version == 0)
			rc = fisc_error_set(FISC_ENOTFOUND,
					    "数据库不存在 / store not found: the PostgreSQL database %s has no fisc store",
					    PQdb(s->c));
		if (rc == FISC_OK && version > NMIGRATIONS)
			rc = newer(version);
	} else if (rc == FISC_OK) {
		rc = migrate(s, (flags & FISC_OPEN_CREATE) != 0);
	}
	/* A store whose catalogue never arrived (its creation stopped half
	** way) is completed by the next command that may create; a bare one
	** (the destination of `fisc copy`) receives its source's. */
	if (rc == FISC_OK && (flags & FISC_OPEN_CREATE) && !(flags & (FISC_OPEN_BARE | FISC_OPEN_NO_MIGRATE))) {
		int64_t n;
		int found;
		rc = scalar(s, "SELECT count(*) FROM edition", NULL, &n, &found);
		if (rc == FISC_OK && n == 0)
			rc = fisc_catalog_seed(&s->base, fisc_datadir());
	}
	if (rc == FISC_OK && s->creating) {
		s->creating = 0;
		rc = pg_commit(&s->base);
	}
	if (rc != FISC_OK) {
		pg_close(&s->base);
		return rc;
	}
	*out = &s->base;
	return FISC_OK;
}
