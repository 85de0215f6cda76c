/*
** sqlite.c — the embedded store: facts, regions and catalogue editions in one
** SQLite file (WAL, foreign keys on, schema versioned by PRAGMA user_version).
**
** Migrations are an append-only array of SQL scripts; opening a store applies
** the ones it has not seen, in one transaction. Statements used per fact are
** prepared once per handle, so a bulk import costs one step per row.
** A new store is built beside its path and linked into place complete
** (create_file); writers wait for each other (busy_wait); every SQLite
** failure is reported as what it is (fisc_sqlite_error).
*/
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "fisc/catalog.h"
#include "fisc/error.h"
#include "store/backend.h"
#include "model/util.h"
#include "store/sqlite_voucher.h"
#include "store/sqlite_scan.h"
#include "store/sqlite_perf.h"
#include "store/sqlite_ledger.h"
#include "store/sqlite_user.h"
#include "store/sqlite_history.h"

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
	/* 4: a voucher's identity (its number within its region, unit and
	** year) and its origin (file and line), so that importing a file twice
	** is a no-op and a conflicting re-use of a number names both lines.
	** Vouchers of older stores have no number (NULL, never equal to
	** another). The number leads the index: files list a unit's vouchers
	** in number order, so inserts land at few places. */
	"ALTER TABLE voucher ADD COLUMN number TEXT;"
	"ALTER TABLE voucher ADD COLUMN source_id INTEGER;"
	"ALTER TABLE voucher ADD COLUMN line INTEGER;"
	"CREATE TABLE voucher_source("
	"  id INTEGER PRIMARY KEY,"
	"  path TEXT NOT NULL,"
	"  loaded_at TEXT NOT NULL DEFAULT (datetime('now')));"
	"CREATE UNIQUE INDEX voucher_key ON voucher(number, region_id, unit, date / 10000);",
	/* 5: the 指标 ledger and its journal (sqlite_ledger.c, docs/ledger.md).
	** The engine decides every write in memory; the CHECKs and triggers
	** here are defence in depth: a bug or a hand edit that would break the
	** invariant of a line, move a payment backwards or rewrite the journal
	** fails in the database too. */
	"CREATE TABLE ledger_line("
	"  id INTEGER PRIMARY KEY,"
	"  region TEXT NOT NULL, year INTEGER NOT NULL,"
	"  book INTEGER NOT NULL CHECK(book BETWEEN 1 AND 4),"
	"  dept TEXT NOT NULL, project TEXT NOT NULL DEFAULT '',"
	"  func TEXT NOT NULL DEFAULT '', econ TEXT NOT NULL,"
	"  fund INTEGER NOT NULL CHECK(fund BETWEEN 1 AND 4),"
	"  fund_doc TEXT NOT NULL DEFAULT '',"
	"  kind INTEGER NOT NULL CHECK(kind IN (1,2)),"
	"  quota INTEGER NOT NULL DEFAULT 0, paid INTEGER NOT NULL DEFAULT 0,"
	"  pending INTEGER NOT NULL DEFAULT 0,"
	"  CHECK(typeof(quota)='integer' AND typeof(paid)='integer' AND typeof(pending)='integer'),"
	"  CHECK(paid >= 0 AND pending >= 0 AND paid + pending <= quota),"
	"  UNIQUE(region, year, book, dept, project, func, econ, fund, fund_doc, kind));"
	"CREATE TABLE ledger_doc("
	"  id INTEGER PRIMARY KEY,"
	"  no TEXT NOT NULL UNIQUE,"
	"  date INTEGER NOT NULL,"
	"  kind INTEGER NOT NULL CHECK(kind BETWEEN 1 AND 7),"
	"  author TEXT NOT NULL DEFAULT '');"
	"CREATE TABLE ledger_leg("
	"  doc_id INTEGER NOT NULL REFERENCES ledger_doc(id),"
	"  line_id INTEGER NOT NULL REFERENCES ledger_line(id),"
	"  fen INTEGER NOT NULL CHECK(fen <> 0));"
	"CREATE INDEX ledger_leg_line ON ledger_leg(line_id);"
	"CREATE TABLE ledger_payment("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE,"
	"  line_id INTEGER NOT NULL REFERENCES ledger_line(id),"
	"  fen INTEGER NOT NULL CHECK(fen > 0),"
	"  payee TEXT NOT NULL DEFAULT '', purpose TEXT NOT NULL DEFAULT '',"
	"  state INTEGER NOT NULL CHECK(state BETWEEN 1 AND 3),"
	"  refunded INTEGER NOT NULL DEFAULT 0"
	"   CHECK(refunded >= 0 AND refunded <= fen AND (refunded = 0 OR state = 2)),"
	"  paid_on INTEGER NOT NULL DEFAULT 0 CHECK((state = 2) = (paid_on > 0)));"
	"CREATE TRIGGER ledger_payment_forward BEFORE UPDATE ON ledger_payment"
	"  WHEN NEW.key <> OLD.key OR NEW.line_id <> OLD.line_id OR NEW.fen <> OLD.fen"
	"    OR (NEW.state <> OLD.state AND OLD.state <> 1) OR NEW.refunded < OLD.refunded"
	"    OR (OLD.paid_on <> 0 AND NEW.paid_on <> OLD.paid_on)"
	"  BEGIN SELECT RAISE(ABORT, 'ledger payment: only 在途 → 已支付/已退回 and more refund'); END;"
	"CREATE TRIGGER ledger_payment_keep BEFORE DELETE ON ledger_payment"
	"  BEGIN SELECT RAISE(ABORT, 'ledger payment rows are never deleted'); END;"
	"CREATE TABLE ledger_refund("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE,"
	"  pay_key TEXT NOT NULL REFERENCES ledger_payment(key),"
	"  fen INTEGER NOT NULL CHECK(fen > 0),"
	"  date INTEGER NOT NULL);"
	"CREATE TABLE journal("
	"  seq INTEGER PRIMARY KEY,"
	"  prev BLOB NOT NULL CHECK(length(prev)=32),"
	"  hash BLOB NOT NULL CHECK(length(hash)=32),"
	"  bytes BLOB NOT NULL);"
	"CREATE TRIGGER journal_append_only_u BEFORE UPDATE ON journal"
	"  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	"CREATE TRIGGER journal_append_only_d BEFORE DELETE ON journal"
	"  BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
	"CREATE TRIGGER journal_chained BEFORE INSERT ON journal"
	"  WHEN NEW.seq <> coalesce((SELECT max(seq) FROM journal), 0) + 1"
	"    OR NEW.prev <> coalesce((SELECT hash FROM journal WHERE seq = NEW.seq - 1), zeroblob(32))"
	"  BEGIN SELECT RAISE(ABORT, 'journal entry out of sequence'); END;",
	/* 6: users, their tokens (SHA-256 only), publication marks and the
	** event log of `fisc serve` (sqlite_user.c). */
	FISC_SQLITE_USER_SCHEMA,
	/* 7: versions of facts (sqlite_history.c, docs/history.md). `fact`
	** keeps exactly the current facts, so every current read is what it
	** was; a superseded or withdrawn version moves to fact_version in the
	** transaction of the amendment that ends it. Document 0 stands for
	** facts stored before this migration, or not through an import. Both
	** history tables refuse UPDATE and DELETE: a version, once ended, is
	** never changed. */
	"CREATE TABLE fact_doc("
	"  id INTEGER PRIMARY KEY,"
	"  kind INTEGER NOT NULL CHECK(kind IN (1,2)),"
	"  number TEXT NOT NULL DEFAULT '',"
	"  date INTEGER NOT NULL DEFAULT 0,"
	"  author TEXT NOT NULL DEFAULT '',"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  source TEXT NOT NULL DEFAULT '',"
	"  created TEXT NOT NULL DEFAULT (datetime('now')));"
	"CREATE UNIQUE INDEX fact_doc_number ON fact_doc(number) WHERE number <> '';"
	"INSERT INTO fact_doc(id,kind,reason) VALUES(0,1,"
	"  '启用历史记录之前或未经导入写入的数据 / stored before history was kept, or not by an import');"
	"ALTER TABLE fact ADD COLUMN doc INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE fact_version("
	"  id INTEGER NOT NULL,"
	"  doc INTEGER NOT NULL,"
	"  ended_by INTEGER NOT NULL REFERENCES fact_doc(id),"
	"  withdrawn INTEGER NOT NULL DEFAULT 0 CHECK(withdrawn IN (0,1)),"
	"  region_id INTEGER NOT NULL, year INTEGER NOT NULL, book INTEGER NOT NULL,"
	"  phase INTEGER NOT NULL, scope INTEGER NOT NULL, item TEXT NOT NULL,"
	"  kind INTEGER NOT NULL, dept TEXT NOT NULL, project TEXT NOT NULL,"
	"  econ TEXT NOT NULL, fund TEXT NOT NULL, fen INTEGER, ulp INTEGER NOT NULL,"
	"  unit INTEGER NOT NULL, decimals INTEGER NOT NULL, source TEXT NOT NULL,"
	"  note TEXT NOT NULL,"
	"  PRIMARY KEY(id, doc)) WITHOUT ROWID;"
	"CREATE INDEX fact_version_sel ON fact_version(region_id, year);"
	"CREATE INDEX fact_version_ended ON fact_version(ended_by);"
	"CREATE TRIGGER fact_version_keep_u BEFORE UPDATE ON fact_version"
	"  BEGIN SELECT RAISE(ABORT, 'fact versions are never changed'); END;"
	"CREATE TRIGGER fact_version_keep_d BEFORE DELETE ON fact_version"
	"  BEGIN SELECT RAISE(ABORT, 'fact versions are never deleted'); END;"
	"CREATE TRIGGER fact_doc_keep_u BEFORE UPDATE ON fact_doc"
	"  BEGIN SELECT RAISE(ABORT, 'fact documents are never changed'); END;"
	"CREATE TRIGGER fact_doc_keep_d BEFORE DELETE ON fact_doc"
	"  BEGIN SELECT RAISE(ABORT, 'fact documents are never deleted'); END;",
	/* 8: the rows a payment batch writes made few (docs/ledger.md, "Payments
	** by row"). SQLite's WAL writes whole 64 KB pages, so a batch costs
	** the pages it touches: a unique index on the payment key, written at
	** random, was rewritten whole by nearly every batch, and the line
	** figures shared their pages with the lines' names. Now a payment is
	** addressed by its row id, which is the order the journal created it
	** (the engine knows it; rows were always inserted in that order), so
	** the key has no index: the engine refuses a second payment under a
	** key from its map of every key, and journal verify finds a duplicate
	** row. A refund names its payment's row; the figures of a line live in
	** ledger_figure, four integers a row. Tables are rebuilt the documented
	** way (foreign keys off around the migration, see migrate()). */
	"CREATE TABLE ledger_line_v8("
	"  id INTEGER PRIMARY KEY,"
	"  region TEXT NOT NULL, year INTEGER NOT NULL,"
	"  book INTEGER NOT NULL CHECK(book BETWEEN 1 AND 4),"
	"  dept TEXT NOT NULL, project TEXT NOT NULL DEFAULT '',"
	"  func TEXT NOT NULL DEFAULT '', econ TEXT NOT NULL,"
	"  fund INTEGER NOT NULL CHECK(fund BETWEEN 1 AND 4),"
	"  fund_doc TEXT NOT NULL DEFAULT '',"
	"  kind INTEGER NOT NULL CHECK(kind IN (1,2)),"
	"  UNIQUE(region, year, book, dept, project, func, econ, fund, fund_doc, kind));"
	"INSERT INTO ledger_line_v8 SELECT id,region,year,book,dept,project,func,econ,fund,fund_doc,kind"
	"  FROM ledger_line;"
	"CREATE TABLE ledger_figure("
	"  line_id INTEGER PRIMARY KEY REFERENCES ledger_line(id),"
	"  quota INTEGER NOT NULL DEFAULT 0, paid INTEGER NOT NULL DEFAULT 0,"
	"  pending INTEGER NOT NULL DEFAULT 0,"
	"  CHECK(typeof(quota)='integer' AND typeof(paid)='integer' AND typeof(pending)='integer'),"
	"  CHECK(paid >= 0 AND pending >= 0 AND paid + pending <= quota));"
	"INSERT INTO ledger_figure SELECT id,quota,paid,pending FROM ledger_line;"
	"CREATE TABLE ledger_payment_v8("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL,"
	"  line_id INTEGER NOT NULL REFERENCES ledger_line(id),"
	"  fen INTEGER NOT NULL CHECK(fen > 0),"
	"  payee TEXT NOT NULL DEFAULT '', purpose TEXT NOT NULL DEFAULT '',"
	"  state INTEGER NOT NULL CHECK(state BETWEEN 1 AND 3),"
	"  refunded INTEGER NOT NULL DEFAULT 0"
	"   CHECK(refunded >= 0 AND refunded <= fen AND (refunded = 0 OR state = 2)),"
	"  paid_on INTEGER NOT NULL DEFAULT 0 CHECK((state = 2) = (paid_on > 0)));"
	"INSERT INTO ledger_payment_v8 SELECT id,key,line_id,fen,payee,purpose,state,refunded,paid_on"
	"  FROM ledger_payment ORDER BY id;"
	"CREATE TABLE ledger_refund_v8("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE,"
	"  pay_id INTEGER NOT NULL REFERENCES ledger_payment(id),"
	"  pay_key TEXT NOT NULL,"
	"  fen INTEGER NOT NULL CHECK(fen > 0),"
	"  date INTEGER NOT NULL);"
	"INSERT INTO ledger_refund_v8 SELECT r.id,r.key,p.id,r.pay_key,r.fen,r.date"
	"  FROM ledger_refund r JOIN ledger_payment p ON p.key = r.pay_key ORDER BY r.id;"
	"DROP TABLE ledger_refund;"
	"DROP TABLE ledger_payment;"
	"DROP TABLE ledger_line;"
	"ALTER TABLE ledger_line_v8 RENAME TO ledger_line;"
	"ALTER TABLE ledger_payment_v8 RENAME TO ledger_payment;"
	"ALTER TABLE ledger_refund_v8 RENAME TO ledger_refund;"
	"CREATE TRIGGER ledger_payment_forward BEFORE UPDATE ON ledger_payment"
	"  WHEN NEW.key <> OLD.key OR NEW.line_id <> OLD.line_id OR NEW.fen <> OLD.fen"
	"    OR (NEW.state <> OLD.state AND OLD.state <> 1) OR NEW.refunded < OLD.refunded"
	"    OR (OLD.paid_on <> 0 AND NEW.paid_on <> OLD.paid_on)"
	"  BEGIN SELECT RAISE(ABORT, 'ledger payment: only 在途 → 已支付/已退回 and more refund'); END;"
	"CREATE TRIGGER ledger_payment_keep BEFORE DELETE ON ledger_payment"
	"  BEGIN SELECT RAISE(ABORT, 'ledger payment rows are never deleted'); END;",
};

enum { NMIGRATIONS = sizeof migrations / sizeof *migrations };

enum {
	ST_FACT_PUT,
	ST_REGION_BY_CODE,
	ST_REGION_BY_NAME,
	ST_REGION_BY_ID,
	ST_REGION_PUT,
	ST_CATALOG_PUT,
	ST_DATA_VERSION,
	ST_EDITION_FOR,
	ST_FACTS_OF_REGION,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_FACT_PUT] =
		"INSERT INTO fact(region_id,year,book,phase,scope,item,kind,dept,"
		"project,econ,fund,fen,ulp,unit,decimals,source,note,doc)"
		" VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
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
	/* Asked before every use of a kept catalogue or fact memo: prepared once. */
	[ST_DATA_VERSION] = "PRAGMA data_version",
	[ST_EDITION_FOR] = "SELECT coalesce((SELECT max(year) FROM edition WHERE year<=?1),"
			   " (SELECT min(year) FROM edition))",
	/* A region's facts: what the fact memo (store.c) reads, once per
	** region of `report --all-regions` (17,000 of a national store). */
	[ST_FACTS_OF_REGION] = "SELECT id,region_id,year,book,phase,scope,item,kind,dept,project,econ,"
			       "fund,fen,ulp,unit,decimals,source,note FROM fact WHERE region_id=?"
			       " ORDER BY id",
};

typedef struct sq_store {
	fisc_store base;
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	sq_voucher *voucher; /* sqlite_voucher.c's state, NULL until used */
	int64_t busy_since;  /* when the current wait for the write lock began */
	int busy_noted;      /* the waiting note has been printed */
	sq_ledger *ledger;   /* sqlite_ledger.c's statements, NULL until used */
	int64_t cur_doc;     /* the document this transaction's fact_puts belong to */
	int region_walk;     /* ST_FACTS_OF_REGION is stepping (a nested walk prepares its own) */
	/* Statements of other files kept prepared (fisc_sqlite_kept): the few
	** a server request runs every time, by their SQL text's address. */
	const char *kept_sql[8];
	sqlite3_stmt *kept[8];
	/* The data version without a transaction (sq_data_version): the
	** wal-index header as it was when `dv` was read, and where it is. */
	const volatile unsigned char *shm;
	int shm_tried;
	int dv_known;
	unsigned char dv_hdr[48];
	int64_t dv;
} sq_store;

static sq_store *SQ(fisc_store *s) { return (sq_store *)s; }

sqlite3 *fisc_sqlite_db(fisc_store *st) { return SQ(st)->db; }
sq_voucher **fisc_sqlite_voucher_slot(fisc_store *st) { return &SQ(st)->voucher; }
sq_ledger **fisc_sqlite_ledger_slot(fisc_store *st) { return &SQ(st)->ledger; }
int64_t *fisc_sqlite_doc_slot(fisc_store *st) { return &SQ(st)->cur_doc; }

/* An SQLite failure as a fisc code and a message that names it: a full disk
** or an I/O error must read as what it is, never as "not found". */
int fisc_sqlite_error(sqlite3 *db, const char *what)
{
	int ext = sqlite3_extended_errcode(db);
	int code = FISC_ESTORE;
	const char *zh = "数据库错误", *en = "database error";
	switch (ext & 0xff) {
	case SQLITE_NOMEM:
		code = FISC_ENOMEM, zh = "内存不足", en = "out of memory";
		break;
	case SQLITE_FULL:
		code = FISC_EIO, zh = "磁盘已满", en = "disk full";
		break;
	case SQLITE_IOERR:
		code = FISC_EIO, zh = "磁盘读写错误", en = "I/O error";
		break;
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PERM:
		code = FISC_EIO, zh = "数据库不可写或无法打开", en = "database cannot be written or opened";
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		zh = "数据库被其他进程锁定", en = "database is locked by another process";
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		zh = "数据库文件已损坏", en = "database file is damaged";
		break;
	}
	return fisc_error_set(code, "%s（%s）/ %s (%s): %s [SQLite %d]", zh, what, en, what,
			      sqlite3_errmsg(db), ext);
}

static int sq_err(sqlite3 *db, const char *what) { return fisc_sqlite_error(db, what); }

static int exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return fisc_sqlite_error(db, strlen(sql) < 48 ? sql : "schema");
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

static int user_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *q;
	*version = 0;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
		return sq_err(db, "user_version");
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW)
		*version = sqlite3_column_int(q, 0);
	int rc = step == SQLITE_ROW ? FISC_OK : sq_err(db, "user_version");
	sqlite3_finalize(q);
	return rc;
}

/* Bring the schema up to date. Another process may be doing the same (two
** imports creating one store): the version read before taking the write
** lock is only a hint, so it is read again under BEGIN IMMEDIATE, and the
** second process finds the work done instead of failing on "table meta
** already exists". */
static int newer(int version)
{
	return fisc_error_set(FISC_ESTORE,
			      "数据库版本 %d 高于本程序支持的 %d，请使用更新的 fisc / store schema %d is newer than this fisc (%d): use a newer fisc",
			      version, NMIGRATIONS, version, NMIGRATIONS);
}

/* After a migration with foreign keys off: every reference still holds. */
static int fk_check(sqlite3 *db)
{
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &q, NULL) != SQLITE_OK)
		return fisc_error_set(FISC_ESTORE, "foreign_key_check: %s", sqlite3_errmsg(db));
	int step = sqlite3_step(q);
	char table[128] = "";
	if (step == SQLITE_ROW)
		snprintf(table, sizeof table, "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	if (step == SQLITE_ROW)
		return fisc_error_set(FISC_ESTORE,
				      "迁移后表 %s 有悬空的外键引用 / after the migration, table %s has a dangling reference",
				      table, table);
	return step == SQLITE_DONE ? FISC_OK
				   : fisc_error_set(FISC_ESTORE, "foreign_key_check: %s", sqlite3_errmsg(db));
}

static int migrate(sq_store *s)
{
	int version, rc = user_version(s->db, &version);
	if (rc == FISC_OK && version == NMIGRATIONS)
		return FISC_OK;
	/* A migration that rebuilds a table (8) drops the old one while other
	** tables refer to it: SQLite's way is foreign keys off around the
	** transaction (the pragma is a no-op inside one) and
	** PRAGMA foreign_key_check before the COMMIT. */
	int fk_off = rc == FISC_OK && exec(s->db, "PRAGMA foreign_keys=OFF") == FISC_OK;
	if (rc == FISC_OK)
		rc = exec(s->db, "BEGIN IMMEDIATE");
	if (rc == FISC_OK)
		rc = user_version(s->db, &version);
	if (rc == FISC_OK && version > NMIGRATIONS)
		rc = newer(version);
	if (rc == FISC_OK && version == 0)
		s->base.is_new = 1;
	for (int v = version; rc == FISC_OK && v < NMIGRATIONS; v++) {
		rc = exec(s->db, migrations[v]);
		if (rc == FISC_OK) {
			char sql[64];
			snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
			rc = exec(s->db, sql);
		}
	}
	if (rc == FISC_OK)
		rc = fk_check(s->db);
	if (rc == FISC_OK)
		rc = exec(s->db, "COMMIT");
	if (rc != FISC_OK && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (fk_off && exec(s->db, "PRAGMA foreign_keys=ON") != FISC_OK && rc == FISC_OK)
		rc = FISC_ESTORE;
	return rc;
}

/* `fisc migrate`: the version found, and the migrations applied when
** asked. A newer schema is refused before anything is written. */
static int sq_migrate(fisc_store *st, int apply, int *from, int *to)
{
	sq_store *s = SQ(st);
	int rc = user_version(s->db, from);
	*to = NMIGRATIONS;
	if (rc == FISC_OK && *from > NMIGRATIONS)
		return newer(*from);
	if (rc == FISC_OK && apply && *from < NMIGRATIONS)
		rc = migrate(s);
	return rc;
}

static void kept_free(sq_store *s)
{
	for (int i = 0; i < 8; i++) {
		sqlite3_finalize(s->kept[i]);
		s->kept[i] = NULL;
		s->kept_sql[i] = NULL;
	}
}

sqlite3_stmt *fisc_sqlite_kept(fisc_store *st, const char *sql)
{
	sq_store *s = SQ(st);
	int i;
	for (i = 0; i < 8 && s->kept_sql[i]; i++)
		if (s->kept_sql[i] == sql) {
			sqlite3_reset(s->kept[i]);
			sqlite3_clear_bindings(s->kept[i]);
			return s->kept[i];
		}
	if (i == 8)
		return NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->kept[i], NULL) !=
	    SQLITE_OK)
		return NULL;
	s->kept_sql[i] = sql;
	return s->kept[i];
}

static void sq_close(fisc_store *st)
{
	sq_store *s = SQ(st);
	kept_free(s);
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	fisc_sqlite_voucher_free(st);
	fisc_sqlite_ledger_free(st);
	/* A file moved or replaced under the handle (a restored backup moved
	** over it): SQLite then leaves the WAL alone on close, and the WAL,
	** named after the path, would be read as the new file's by the next
	** connection. Its frames go into the old file (which the handle still
	** has open) and it is emptied, so the file now at the path opens as it
	** is. */
	int moved = 0;
	if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK &&
	    moved)
		sqlite3_wal_checkpoint_v2(s->db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	sqlite3_close(s->db);
	free(s);
}

static int sq_begin(fisc_store *st)
{
	SQ(st)->cur_doc = 0;
	return exec(SQ(st)->db, "BEGIN IMMEDIATE");
}

/*
** PRAGMA data_version is a statement, and every statement is a read
** transaction: two fcntl locks and a stat, which made up most of what a
** cached read cost `fisc serve` (it asks for every request). Every commit,
** by any connection of any process, rewrites the wal-index header at the
** start of the -shm file (its change counter goes up, and its frame count
** and checksums move), and SQLite itself decides that nothing has changed
** — that its page cache is still good — by finding that header unchanged.
** So the PRAGMA's answer is kept with the header read *before* it, and
** given again while the header is byte for byte the same: no commit can
** have happened since the kept answer was read. The header is read the way
** SQLite reads it without a lock (its two copies, with a barrier between,
** must agree; the layout is documented in SQLite's "WAL-mode file
** formats", fixed since 3.7.0 and checked by its version field), through
** the connection's own mapping of the -shm file (the VFS's xShmMap), so it
** is the file this handle reads, whatever happened to the path. When the
** header cannot be read (no mapping yet, a writer halfway through
** rewriting it, another format), the PRAGMA is asked, as before.
*/
enum { WAL_HDR = 48, WAL_VERSION = 3007000 };

static int wal_header(sq_store *s, unsigned char out[WAL_HDR])
{
	if (!s->shm && !s->shm_tried) {
		s->shm_tried = 1; /* mapped once: region 0 stays until the close */
		sqlite3_file *f = NULL;
		volatile void *p = NULL;
		if (sqlite3_file_control(s->db, "main", SQLITE_FCNTL_FILE_POINTER, &f) == SQLITE_OK &&
		    f && f->pMethods && f->pMethods->iVersion >= 2 && f->pMethods->xShmMap &&
		    f->pMethods->xShmMap(f, 0, 32768, 0, &p) == SQLITE_OK)
			s->shm = p;
	}
	if (!s->shm)
		return 0;
	unsigned char other[WAL_HDR];
	for (int i = 0; i < WAL_HDR; i++)
		out[i] = s->shm[i];
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (int i = 0; i < WAL_HDR; i++)
		other[i] = s->shm[WAL_HDR + i];
	uint32_t version;
	memcpy(&version, out, 4);
	return !memcmp(out, other, WAL_HDR) && version == WAL_VERSION && out[12] == 1 /* isInit */;
}

/* A read snapshot (fisc_store_read_begin): a deferred transaction whose
** first read takes the WAL read lock that it then keeps, so that later
** statements neither take nor release one (two fcntl calls and a check of
** the WAL index each) and all of them read the same instant. */
static int sq_read_begin(fisc_store *st)
{
	int rc = exec(SQ(st)->db, "BEGIN DEFERRED; SELECT 1 FROM sqlite_schema LIMIT 1");
	if (rc != FISC_OK && !sqlite3_get_autocommit(SQ(st)->db))
		exec(SQ(st)->db, "ROLLBACK");
	return rc;
}

static int sq_read_end(fisc_store *st) { return exec(SQ(st)->db, "COMMIT"); }

static int sq_data_version(fisc_store *st, int64_t *v)
{
	sq_store *s = SQ(st);
	unsigned char hdr[WAL_HDR];
	int have = wal_header(s, hdr);
	if (have && s->dv_known && !memcmp(hdr, s->dv_hdr, WAL_HDR)) {
		*v = s->dv;
		return FISC_OK;
	}
	s->dv_known = 0;
	sqlite3_stmt *q = stmt(s, ST_DATA_VERSION);
	if (!q)
		return sq_err(s->db, "data_version");
	int rc = sqlite3_step(q) == SQLITE_ROW ? FISC_OK : sq_err(s->db, "data_version");
	*v = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc == FISC_OK && have) {
		memcpy(s->dv_hdr, hdr, WAL_HDR);
		s->dv = *v;
		s->dv_known = 1;
	}
	return rc;
}

/* SQLite rolls a transaction back by itself on some errors (a full disk, an
** I/O error, out of memory). The store must then refuse further work in
** what its caller believes is still the transaction: each statement would
** otherwise commit on its own. */
static int sq_txn_alive(fisc_store *st) { return !sqlite3_get_autocommit(SQ(st)->db); }
static int sq_txn_open(fisc_store *st) { return !sqlite3_get_autocommit(SQ(st)->db); }

static int sq_commit(fisc_store *st)
{
	int rc = fisc_sqlite_ledger_flush(st);
	if (rc == FISC_OK)
		rc = fisc_sqlite_voucher_commit(st);
	SQ(st)->cur_doc = 0;
	return rc == FISC_OK ? exec(SQ(st)->db, "COMMIT") : rc;
}

static int sq_rollback(fisc_store *st)
{
	fisc_sqlite_voucher_discard(st);
	fisc_sqlite_ledger_discard(st);
	SQ(st)->cur_doc = 0;
	/* Already rolled back by SQLite after an error: nothing is left to undo. */
	if (sqlite3_get_autocommit(SQ(st)->db))
		return FISC_OK;
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
	int step = sqlite3_step(q);
	int rc = FISC_ENOTFOUND;
	if (step == SQLITE_ROW) {
		read_region(q, a, out);
		rc = FISC_OK;
	} else if (step != SQLITE_DONE) {
		rc = sq_err(s->db, "region");
	}
	sqlite3_reset(q);
	return rc;
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

/* A fact's columns in FACT_COLS order from parameter at: the key (region
** to fund: 11), then, with amount, fen, ulp, unit, decimals, source and
** note (17 in all). One place for the order every fact write and lookup
** binds (sqlite.c, sqlite_history.c). A fact without an amount leaves fen
** NULL. */
void fisc_sqlite_bind_fact(sqlite3_stmt *q, int at, const fisc_fact *f, int amount)
{
	sqlite3_bind_int64(q, at, f->region);
	sqlite3_bind_int(q, at + 1, f->year);
	sqlite3_bind_int(q, at + 2, f->book);
	sqlite3_bind_int(q, at + 3, f->phase);
	sqlite3_bind_int(q, at + 4, f->scope);
	sqlite3_bind_text(q, at + 5, f->item, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, at + 6, f->kind);
	sqlite3_bind_text(q, at + 7, f->dept, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, at + 8, f->project, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, at + 9, f->econ, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, at + 10, f->fund, -1, SQLITE_STATIC);
	if (!amount)
		return;
	if (f->has_amount)
		sqlite3_bind_int64(q, at + 11, f->amount.fen);
	sqlite3_bind_int64(q, at + 12, f->amount.ulp > 0 ? f->amount.ulp : 1);
	sqlite3_bind_int(q, at + 13, f->amount.unit);
	sqlite3_bind_int(q, at + 14, f->amount.decimals);
	sqlite3_bind_text(q, at + 15, f->source ? f->source : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, at + 16, f->note ? f->note : "", -1, SQLITE_STATIC);
}

static int sq_fact_put(fisc_store *st, const fisc_fact *f)
{
	sq_store *s = SQ(st);
	sqlite3_stmt *q = stmt(s, ST_FACT_PUT);
	if (!q)
		return sq_err(s->db, "prepare");
	fisc_sqlite_bind_fact(q, 1, f, 1);
	sqlite3_bind_int64(q, 18, s->cur_doc);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_DONE)
		rc = FISC_OK;
	else if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
		rc = fisc_error_set(FISC_EEXIST, "重复的事实 / duplicate fact");
	else
		rc = sq_err(s->db, "fact insert");
	sqlite3_reset(q);
	return rc;
}

/* The WHERE conditions of qy's selection (region … dept), after "WHERE 1". */
int fisc_sqlite_where(const fisc_query *qy, char *sql, size_t cap)
{
	int n = 0;
	sql[0] = 0;
	if (qy->region)
		n += snprintf(sql + n, cap - n, " AND region_id=%lld", (long long)qy->region);
	if (qy->year)
		n += snprintf(sql + n, cap - n, " AND year=%d", qy->year);
	if (qy->book_set)
		n += snprintf(sql + n, cap - n, " AND book=%d", qy->book);
	if (qy->phase)
		n += snprintf(sql + n, cap - n, " AND phase=%d", qy->phase);
	if (qy->scope)
		n += snprintf(sql + n, cap - n, " AND scope=%d", qy->scope);
	if (qy->dept)
		n += snprintf(sql + n, cap - n, " AND dept=?1");
	return n;
}

/* Prepare "SELECT cols FROM fact" for the facts matching qy, in id order
** (also for sqlite_scan.c). With an as-of, the versions in effect then: the
** current facts established by a document of the view, and the superseded
** versions established within the view and ended after it. A document is
** in the view of as_of_doc when its id is not above it (documents are
** numbered in the order applied), in the view of as_of_date when its date
** is not after it (imports, and document 0, have date 0: always). */
int fisc_sqlite_fact_select(fisc_store *st, const fisc_query *qy, const char *cols,
			    sqlite3_stmt **out)
{
	sq_store *s = SQ(st);
	char sql[2048], where[512], in_view[160];
	fisc_query none = {0};
	if (!qy)
		qy = &none;
	fisc_sqlite_where(qy, where, sizeof where);
	if (!qy->as_of_doc && !qy->as_of_date) {
		snprintf(sql, sizeof sql, "SELECT %s FROM fact WHERE 1%s ORDER BY id", cols, where);
	} else {
		if (qy->as_of_doc)
			snprintf(in_view, sizeof in_view, "<= %lld",
				 (long long)(qy->as_of_doc < 0 ? 0 : qy->as_of_doc));
		else
			snprintf(in_view, sizeof in_view,
				 "IN (SELECT id FROM fact_doc WHERE date <= %d)", (int)qy->as_of_date);
		snprintf(sql, sizeof sql,
			 "SELECT %s FROM (SELECT id,region_id,year,book,phase,scope,"
			 "item,kind,dept,project,econ,fund,fen,ulp,unit,decimals,source,note"
			 " FROM fact WHERE doc %s%s"
			 " UNION ALL SELECT id,region_id,year,book,phase,scope,item,kind,dept,"
			 "project,econ,fund,fen,ulp,unit,decimals,source,note FROM fact_version"
			 " WHERE doc %s AND NOT ended_by %s%s) ORDER BY id",
			 cols, in_view, where, in_view, in_view, where);
	}
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
	int rc = FISC_OK;
	/* A whole region, as the fact memo asks: the statement kept prepared. */
	int kept = qy && qy->region && !qy->year && !qy->book_set && !qy->phase && !qy->scope &&
		   !qy->dept && !qy->as_of_doc && !qy->as_of_date && !s->region_walk;
	if (kept) {
		if (!(q = stmt(s, ST_FACTS_OF_REGION)))
			return sq_err(s->db, "fact query");
		sqlite3_bind_int64(q, 1, qy->region);
		s->region_walk = 1;
	} else {
		rc = fisc_sqlite_fact_select(st, qy, "id,region_id,year,book,phase,scope,item,kind,"
						     "dept,project,econ,fund,fen,ulp,unit,decimals,source,note",
					     &q);
		if (rc != FISC_OK)
			return rc;
	}
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
	if (kept) {
		sqlite3_reset(q);
		s->region_walk = 0;
	} else {
		sqlite3_finalize(q);
	}
	return rc;
}

/* The first column of the first row into *v; *found 0 when there is no row
** or it is NULL. An error is an error, not "nothing found". */
static int scalar(sq_store *s, const char *sql, int bind, int64_t *v, int *found)
{
	sqlite3_stmt *q;
	*v = 0;
	*found = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return sq_err(s->db, "query");
	if (bind != -1)
		sqlite3_bind_int(q, 1, bind);
	int step = sqlite3_step(q);
	if (step == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL) {
		*v = sqlite3_column_int64(q, 0);
		*found = 1;
	}
	int rc = step == SQLITE_ROW || step == SQLITE_DONE ? FISC_OK : sq_err(s->db, "query");
	sqlite3_finalize(q);
	return rc;
}

static int64_t sq_fact_count(fisc_store *st)
{
	int found;
	int64_t n;
	return scalar(SQ(st), "SELECT count(*) FROM fact", -1, &n, &found) == FISC_OK ? n : -1;
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
	sqlite3_stmt *q = stmt(s, ST_EDITION_FOR);
	if (!q)
		return sq_err(s->db, "edition");
	sqlite3_bind_int(q, 1, year);
	int step = sqlite3_step(q);
	int found = step == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL;
	int64_t y = found ? sqlite3_column_int64(q, 0) : 0;
	int rc = step == SQLITE_ROW || step == SQLITE_DONE ? FISC_OK : sq_err(s->db, "edition");
	sqlite3_reset(q);
	if (rc != FISC_OK)
		return rc;
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

/* The online backup API copies the pages of one read transaction: with WAL,
** writers go on while it runs and the copy is the store as of its start.
** The file at path is new (the caller's temporary name). */
static int sq_backup(fisc_store *st, const char *path)
{
	sq_store *s = SQ(st);
	sqlite3 *dst = NULL;
	int rc = FISC_OK;
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		rc = fisc_error_set(FISC_EIO, "无法创建备份「%s」/ cannot create the backup '%s': %s",
				    path, path, dst ? sqlite3_errmsg(dst) : "?");
		sqlite3_close(dst);
		return rc;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
	if (!b) {
		rc = sq_err(dst, "backup");
		sqlite3_close(dst);
		return rc;
	}
	int step;
	/* -1: every page in one step, so one read transaction (one snapshot);
	** BUSY or LOCKED only while another connection holds a lock that a
	** snapshot cannot bypass (a checkpoint truncating the WAL): wait. */
	while ((step = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED)
		sqlite3_sleep(20);
	sqlite3_backup_finish(b);
	if (step != SQLITE_DONE)
		rc = sq_err(dst, "backup");
	sqlite3_stmt *q = NULL;
	if (rc == FISC_OK &&
	    sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &q, NULL) != SQLITE_OK)
		rc = sq_err(dst, "integrity_check");
	if (rc == FISC_OK) {
		int r = sqlite3_step(q);
		const char *t = r == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
		if (!t || strcmp(t, "ok") != 0)
			rc = fisc_error_set(FISC_ESTORE,
					    "备份未通过完整性检查 / the backup fails integrity_check: %s",
					    t ? t : sqlite3_errmsg(dst));
	}
	sqlite3_finalize(q);
	if (sqlite3_close(dst) != SQLITE_OK && rc == FISC_OK)
		rc = fisc_error_set(FISC_EIO, "无法关闭备份 / cannot close the backup: %s", path);
	return rc;
}

static const fisc_store_vtab sqlite_vtab = {
	.name = "sqlite",
	.close = sq_close,
	.begin = sq_begin,
	.read_begin = sq_read_begin,
	.read_end = sq_read_end,
	.commit = sq_commit,
	.data_version = sq_data_version,
	.rollback = sq_rollback,
	.txn_alive = sq_txn_alive,
	.txn_open = sq_txn_open,
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
	.voucher_source = fisc_sqlite_voucher_source,
	.voucher_skipped = fisc_sqlite_voucher_skipped,
	.voucher_rollup = fisc_sqlite_voucher_rollup,
	.voucher_count = fisc_sqlite_voucher_count,
	.indicator_put = fisc_sqlite_indicator_put,
	.indicator_each = fisc_sqlite_indicator_each,
	.perf_text_put = fisc_sqlite_perf_text_put,
	.perf_text_each = fisc_sqlite_perf_text_each,
	.ledger_durable = fisc_sqlite_ledger_durable,
	.quota_line_put = fisc_sqlite_quota_line_put,
	.quota_line_set = fisc_sqlite_quota_line_set,
	.quota_line_each = fisc_sqlite_quota_line_each,
	.quota_doc_put = fisc_sqlite_quota_doc_put,
	.quota_leg_each = fisc_sqlite_quota_leg_each,
	.payment_put = fisc_sqlite_payment_put,
	.payment_each = fisc_sqlite_payment_each,
	.refund_put = fisc_sqlite_refund_put,
	.journal_put = fisc_sqlite_journal_put,
	.journal_each = fisc_sqlite_journal_each,
	.journal_last = fisc_sqlite_journal_last,
	.quota_rollup = fisc_sqlite_quota_rollup,
	.user = &fisc_sqlite_user_vtab,
	.history = &fisc_sqlite_history_vtab,
	.migrate = sq_migrate,
	.voucher_each = fisc_sqlite_voucher_each,
	.quota_doc_each = fisc_sqlite_quota_doc_each,
	.refund_each = fisc_sqlite_refund_each,
	.backup = sq_backup,
};

/* ---- waiting for other writers ---- */

/* How long a writer waits for another before giving up: an import of
** millions of vouchers holds the write lock for minutes, and a clerk's
** second import should queue behind it, not fail after a few seconds. */
enum { BUSY_LIMIT_MS = 10 * 60 * 1000, BUSY_NOTE_MS = 1000 };

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* SQLite's busy handler: sleep and try again, short sleeps first (most
** waits are for a commit that ends within milliseconds), and tell a person
** at a terminal once why nothing seems to happen. */
static int busy_wait(void *ud, int count)
{
	sq_store *s = ud;
	int64_t now = now_ms();
	if (count == 0)
		s->busy_since = now;
	int64_t waited = now - s->busy_since;
	if (waited >= BUSY_LIMIT_MS)
		return 0;
	if (waited >= BUSY_NOTE_MS && !s->busy_noted) {
		s->busy_noted = 1;
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "fisc: 等待另一个写入进程… / waiting for another writer…\n");
	}
	sqlite3_sleep(count < 12 ? 1 << (count / 2) : 50);
	return 1;
}

/* ---- opening and creating ---- */

/* no_migrate: leave pending migrations for fisc_store_migrate (only a
** newer schema is refused here). */
static int open_db(const char *path, const char *vfs, int create, int no_migrate, sq_store **out)
{
	*out = NULL;
	sq_store *s = calloc(1, sizeof *s);
	if (!s)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	s->base.vt = &sqlite_vtab;
	/* NOMUTEX: a handle is used by one thread at a time (the voucher
	** importer's writer thread takes turns with its parser under its own
	** lock), so SQLite's per-call connection mutex — two atomic operations
	** on every bind and step, 16 % of a bulk load — buys nothing. */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &s->db, flags, vfs) != SQLITE_OK) {
		int rc = fisc_error_set(FISC_EIO, "无法打开数据库「%s」/ cannot open database '%s': %s",
					path, path, s->db ? sqlite3_errmsg(s->db) : "?");
		sqlite3_close(s->db);
		free(s);
		return rc;
	}
	sqlite3_busy_handler(s->db, busy_wait, s);
	/* 64 KB pages for a new store (ignored for an existing one): a voucher
	** load's commit copies every page from the WAL into the database with
	** one pread and one pwrite each, so 16× fewer, larger pages cut that
	** tail; facts, checks and reports measured the same. It must precede
	** journal_mode=WAL, which writes the first page.
	** A 64 MB page cache (used only as far as needed): a voucher file
	** numbered per unit inserts into the identity index (voucher_key) at
	** one place per unit; with SQLite's default 2 MB (32 such pages) each
	** batch evicted and rewrote them, 7× slower for 300 000 vouchers of 77
	** units. */
	int rc = exec(s->db, "PRAGMA page_size=65536; PRAGMA journal_mode=WAL;"
			     " PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
			     " PRAGMA cache_size=-65536;");
	if (rc == FISC_OK && !no_migrate)
		rc = migrate(s);
	if (rc == FISC_OK && no_migrate) {
		int version;
		rc = user_version(s->db, &version);
		if (rc == FISC_OK && version > NMIGRATIONS)
			rc = newer(version);
	}
	if (rc != FISC_OK) {
		sq_close(&s->base);
		return rc;
	}
	*out = s;
	return FISC_OK;
}

/* Seed the bundled catalogue into a store that has none: a new store, or
** one whose creation stopped before its catalogue was in. */
static int seed_if_empty(sq_store *s)
{
	int64_t n;
	int found;
	int rc = scalar(s, "SELECT count(*) FROM edition", -1, &n, &found);
	if (rc == FISC_OK && n == 0)
		rc = fisc_catalog_seed(&s->base, fisc_datadir());
	return rc;
}

static void unlink_db(const char *path)
{
	char p[PATH_MAX + 8];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

/*
** Create the store at `path`, catalogue included, so that it appears whole
** or not at all: it is built in a temporary file beside `path` and linked
** into place only when complete. A failed creation (the data directory
** missing, a full disk, a kill) leaves no store behind that would later
** read as an empty but valid one. link() does not replace a file: when two
** processes create the same store, the second finds the first's in place
** and uses it. *created is 1 when this call's file is the one in place.
*/
static int create_file(const char *path, const char *vfs, int bare, int *created)
{
	static unsigned serial;
	char tmp[PATH_MAX];
	int fd = -1;
	*created = 0;
	for (int i = 0; fd < 0 && i < 100; i++) {
		if ((size_t)snprintf(tmp, sizeof tmp, "%s.creating-%ld-%u", path, (long)getpid(),
				     __atomic_fetch_add(&serial, 1, __ATOMIC_RELAXED)) >= sizeof tmp)
			return fisc_error_set(FISC_EINVAL, "路径过长 / path too long: %s", path);
		fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		return fisc_error_set(FISC_EIO, "无法创建数据库「%s」/ cannot create database '%s': %s",
				      path, path, strerror(errno));
	close(fd);
	sq_store *s;
	int rc = open_db(tmp, vfs, 0, 0, &s);
	if (rc == FISC_OK) {
		if (!bare)
			rc = seed_if_empty(s);
		kept_free(s);
		for (int i = 0; i < ST_COUNT; i++)
			sqlite3_finalize(s->st[i]);
		fisc_sqlite_voucher_free(&s->base);
		/* Closing the last connection checkpoints the WAL into the file
		** and removes it; if it stays, the file alone is not the store. */
		if (sqlite3_close(s->db) != SQLITE_OK && rc == FISC_OK)
			rc = fisc_error_set(FISC_ESTORE, "无法关闭新数据库 / cannot close the new store");
		free(s);
		char wal[PATH_MAX + 8];
		snprintf(wal, sizeof wal, "%s-wal", tmp);
		if (rc == FISC_OK && access(wal, F_OK) == 0)
			rc = fisc_error_set(FISC_EIO, "新数据库未能写入磁盘 / the new store could not be written out: %s",
					    path);
	}
	if (rc == FISC_OK) {
		if (link(tmp, path) == 0)
			*created = 1;
		else if (errno != EEXIST) {
			/* A file system without hard links: rename, which would
			** replace a store another process created this instant. */
			if (rename(tmp, path) == 0)
				*created = 1;
			else
				rc = fisc_error_set(FISC_EIO,
						    "无法创建数据库「%s」/ cannot create database '%s': %s",
						    path, path, strerror(errno));
		}
	}
	unlink_db(tmp);
	if (*created) {
		fisc_sync_parent_dir(path); /* the new name must survive a crash too */
	}
	return rc;
}

int fisc_sqlite_open(const char *path, const char *vfs, int flags, fisc_store **out)
{
	int create = (flags & FISC_OPEN_CREATE) != 0, created = 0, rc;
	int bare = (flags & FISC_OPEN_BARE) != 0, no_migrate = (flags & FISC_OPEN_NO_MIGRATE) != 0;
	sq_store *s;
	*out = NULL;
	if (!*path || !strcmp(path, ":memory:")) {
		/* Nothing on disk to find or to leave half made. */
		rc = open_db(path, vfs, 1, 0, &s);
		if (rc == FISC_OK && create && !bare)
			rc = seed_if_empty(s);
		if (rc != FISC_OK && s)
			sq_close(&s->base);
		if (rc == FISC_OK)
			*out = &s->base;
		return rc;
	}
	if (access(path, F_OK) != 0) {
		if (errno != ENOENT)
			return fisc_error_set(FISC_EIO, "无法打开数据库「%s」/ cannot open database '%s': %s",
					      path, path, strerror(errno));
		if (!create)
			return fisc_error_set(FISC_ENOTFOUND,
					      "数据库不存在 / store not found: %s (create it with `fisc init` or `fisc import`)",
					      path);
		if ((rc = create_file(path, vfs, bare, &created)) != FISC_OK)
			return rc;
	}
	rc = open_db(path, vfs, 0, no_migrate, &s);
	if (rc != FISC_OK)
		return rc;
	/* A store whose catalogue never arrived (made by an older fisc that
	** stopped half way) is completed by the next command that may create. */
	if (create && !bare && !no_migrate && (rc = seed_if_empty(s)) != FISC_OK) {
		sq_close(&s->base);
		return rc;
	}
	s->base.is_new |= created;
	*out = &s->base;
	return FISC_OK;
}
