/*
** fisc/store.h — where facts live. A narrow interface in front of every backend.
**
** Rules, reports and importers see only these functions. The SQLite backend
** (the embedded default) implements them in src/lib/store/sqlite.c, the
** PostgreSQL backend in src/lib/store/pg.c, the same table of operations:
** nothing above this line changes. Writes happen inside fisc_store_begin/commit; an
** import that fails calls fisc_store_rollback and leaves nothing behind.
*/
#ifndef FISC_STORE_H
#define FISC_STORE_H

#include "export.h"

#include <stdint.h>
#include "fact.h"
#include "region.h"
#include "arena.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fisc_store fisc_store;

/* A catalogue entry of one edition (政府收支分类科目). */
typedef enum fisc_catalog_kind {
	FISC_CAT_REVENUE = 1,   /* 收入分类 (1xx) */
	FISC_CAT_FUNCTION = 2,  /* 支出功能分类 (2xx) */
	FISC_CAT_ECON_GOV = 3,  /* 政府预算支出经济分类 (5xx) */
	FISC_CAT_ECON_DEPT = 4  /* 部门预算支出经济分类 (3xx) */
} fisc_catalog_kind;

typedef struct fisc_catalog_entry {
	const char *code;
	const char *name;
	const char *parent; /* "" for a 类 */
	int level;          /* 1 类, 2 款, 3 项, 4 目 */
	int kind;           /* fisc_catalog_kind */
} fisc_catalog_entry;

/* A line of a balance table (本级收入, 上级补助收入, 结转下年 …): fisc's own
** vocabulary, defined in data/lines.csv, grouping catalogue codes. */
typedef struct fisc_line {
	const char *id;     /* "upper_subsidy" */
	const char *name;   /* 上级补助收入 */
	const char *side;   /* "in", "out", "stock" (balances, limits) */
	const char *parent; /* line id of the enclosing line, "" at top */
	const char *codes;  /* space-separated catalogue code prefixes */
	int order;
} fisc_line;

/* Another spelling of an item: maps to a line id or a catalogue code. */
typedef struct fisc_alias {
	const char *alias;
	const char *target;
	int book; /* fisc_book it is limited to, or -1 */
} fisc_alias;

/*
** Opening. `uri` is a file path, "sqlite:PATH", or "sqlite:PATH?vfs=NAME"
** to run the store on a registered SQLite VFS (tests inject I/O errors that
** way); or a PostgreSQL database: "postgresql://…", "postgres://…" or a
** libpq "host=… dbname=…" string (docs/postgresql.md); other schemes
** ("pg:…") are FISC_EUNSUPPORTED. An SQLite store is created whole or not
** at all (built beside PATH and linked into place), so a failed creation
** leaves no file; a PostgreSQL store is created by applying the schema to
** an empty database in one transaction. Two processes creating one store
** concurrently both succeed. SQLite writers queue for the write lock for up
** to 10 minutes, printing "waiting for another writer" once to stderr when
** it is a terminal and the wait passes a second.
*/
enum { FISC_OPEN_CREATE = 1, FISC_OPEN_NO_MIGRATE = 2, FISC_OPEN_BARE = 4 };

/* Open the store, creating it (with the bundled catalogue seeded from
** fisc_datadir(): nothing else to call) when missing. */
FISC_API int fisc_store_open(const char *uri, fisc_store **out);
/* flags FISC_OPEN_CREATE: as fisc_store_open; without it a missing store (no
** file; a PostgreSQL database without fisc's schema, or none) is
** FISC_ENOTFOUND. ":memory:" is always new, and seeded only with the flag.
** FISC_OPEN_NO_MIGRATE: leave pending schema migrations unapplied (every
** other open applies them); such a handle is only for fisc_store_migrate.
** FISC_OPEN_BARE, with CREATE: a missing store is created without the
** bundled catalogue (the destination of fisc_store_copy).
** Every open refuses a store whose schema is newer than this program's. */
FISC_API int fisc_store_open_v2(const char *uri, int flags, fisc_store **out);
/* Nonzero when uri addresses a database server (postgresql://, postgres://,
** "pg:", or libpq key=value words) rather than an SQLite file. */
FISC_API int fisc_store_uri_is_server(const char *uri);
FISC_API void fisc_store_close(fisc_store *st);

/* Schema migrations (`fisc migrate`): *from is the store's schema version,
** *to this program's. apply != 0 applies the pending migrations, in order,
** in one transaction. FISC_ESTORE, nothing changed, when the store's schema
** is newer than the program's. */
FISC_API int fisc_store_migrate(fisc_store *st, int apply, int *from, int *to);

/* A consistent copy of the store, taken while other processes write, into
** a new file at path (SQLite online backup API; the file appears whole or
** not at all, FISC_EEXIST when path exists). The copy is checked before it
** is put in place: SQLite's integrity_check, and fisc_journal_verify.
** FISC_EUNSUPPORTED for a backend whose backups are made by the database
** server's tools (PostgreSQL: pg_dump, base backups; docs/operations.md). */
FISC_API int fisc_store_backup(fisc_store *st, const char *path);

/* What fisc_store_copy moved. */
typedef struct fisc_copy_stats {
	int64_t regions, editions, catalog, lines, aliases, facts, vouchers, indicators, texts;
	int64_t quota_lines, quota_docs, payments, refunds, journal;
	int64_t users, tokens, published, events;
	int64_t documents, versions; /* history: documents but 0, ended versions */
} fisc_copy_stats;
/* The whole store `from` into the store at `to`, through the backends'
** operations (so between any two backends): regions, catalogue editions,
** lines, aliases, facts, vouchers, indicators, texts, the 指标 ledger, the
** journal, users, tokens, publication marks and the event log. The source's
** journal is verified first (a store that does not verify is not copied,
** FISC_ESTORE) and the destination's after the copy, inside its one
** transaction: the destination gets everything or nothing. A file
** destination must not exist (it is built beside its path and linked into
** place); a database server destination must be empty. The source is read
** in one transaction (writers wait for the copy). */
FISC_API int fisc_store_copy(fisc_store *from, const char *to, fisc_copy_stats *stats);

/* Nonzero when the store was created by this open. */
FISC_API int fisc_store_is_new(const fisc_store *st);

/* Transactions. After a failure inside one that the backend answered by
** rolling back on its own (a full disk, an I/O error), every later call in
** it fails with that first error, and rollback is still safe to call.
** A begin that fails leaves no transaction open. rollback ends whatever
** transaction the handle's connection has open, begun or not through
** fisc_store_begin; it does nothing when there is none. */
FISC_API int fisc_store_begin(fisc_store *st);
FISC_API int fisc_store_commit(fisc_store *st);
FISC_API int fisc_store_rollback(fisc_store *st);
/* A read snapshot, for a batch of reads (`fisc report --all-regions`): every
** read between begin and end sees the store as it was at begin, and the
** handle keeps what it has read (the catalogue, a region's facts, editions,
** regions) without asking the backend before each use whether another
** connection has changed the store. No write may begin while it is held
** (fisc_store_begin asserts). A backend that cannot hold one (PostgreSQL)
** reads as without it; begin and end then do nothing. Writers are not
** blocked, but an SQLite WAL cannot be checkpointed past the snapshot
** while it is held: hold it for a batch, not for a server's lifetime. */
FISC_API int fisc_store_read_begin(fisc_store *st);
FISC_API int fisc_store_read_end(fisc_store *st);
/* Nonzero while the handle's connection has a transaction open (an aborted
** one included): a handle kept across requests (fisc serve's pool threads)
** must have none between them, or its locks and snapshot would carry into
** the next request. */
FISC_API int fisc_store_txn_open(fisc_store *st);

/* Regions. put: FISC_EEXIST when the code exists with other attributes.
** find: by code, then by name; region fields are allocated in `a`. */
FISC_API int fisc_store_region_put(fisc_store *st, const fisc_region *r, int64_t *id);
FISC_API int fisc_store_region_find(fisc_store *st, const char *code_or_name,
			   fisc_arena *a, fisc_region *out);
FISC_API int fisc_store_region_get(fisc_store *st, int64_t id, fisc_arena *a,
			  fisc_region *out);
typedef int (*fisc_region_cb)(void *ud, const fisc_region *r);
FISC_API int fisc_store_region_each(fisc_store *st, fisc_region_cb cb, void *ud);

/* Facts. put: FISC_EEXIST for a second fact with the same key (region,
** scope, year, book, phase, item, kind, dept, project, econ, fund).
** each: facts matching q in id (import) order; the callback's fact is valid
** only during the call; a nonzero return stops the walk and is returned. */
FISC_API int fisc_store_fact_put(fisc_store *st, const fisc_fact *f);
typedef int (*fisc_fact_cb)(void *ud, const fisc_fact *f);
/* A number that changes whenever another connection (another handle, the
** ledger engine, another process) has committed a change to the store since
** this handle last asked; what callers key kept reads by (fisc serve's
** response cache). FISC_EUNSUPPORTED for a backend that cannot tell. */
FISC_API int fisc_store_data_version(fisc_store *st, int64_t *version);
FISC_API int fisc_store_fact_each(fisc_store *st, const fisc_query *q, fisc_fact_cb cb,
			 void *ud);
FISC_API int64_t fisc_store_fact_count(fisc_store *st); /* -1 on a store error */

/* Facts for a reader of millions (the rule engine): the walk of
** fisc_store_fact_each, with every text field given as a string id instead
** of text, so that the reader never hashes, compares or copies text per fact.
** The walk numbers the distinct texts it meets 1, 2, 3 … ("" is always 0,
** the same number whichever field it is in) and passes each to `str` once,
** before the first fact that uses it. `note` is not read. A nonzero return
** from either callback stops the walk and is returned. */
typedef struct fisc_fact_ids {
	int64_t id;
	int64_t region;
	int32_t year;
	uint8_t scope, book, phase, kind;
	uint32_t item, dept, project, econ, fund, source; /* string ids */
	int has_amount;
	fisc_amount amount;
} fisc_fact_ids;
typedef int (*fisc_string_cb)(void *ud, uint32_t id, const char *s, size_t n);
typedef int (*fisc_fact_ids_cb)(void *ud, const fisc_fact_ids *f);
FISC_API int fisc_store_fact_scan(fisc_store *st, const fisc_query *q, fisc_string_cb str,
			 fisc_fact_ids_cb cb, void *ud);

/* Catalogue editions, keyed by year. */
FISC_API int fisc_store_edition_put(fisc_store *st, int year, const char *source);
/* The edition that governs `year`: the latest edition <= year, else the
** earliest one. FISC_ENOTFOUND when the store has no edition. */
FISC_API int fisc_store_edition_for(fisc_store *st, int year, int *edition);
FISC_API int fisc_store_edition_delete(fisc_store *st, int year);
/* Every edition in the store, by year: where it was loaded from, when, and
** how many catalogue entries it holds (for `fisc catalog editions`). */
typedef struct fisc_edition {
	int year;
	const char *source;    /* the directory or "bundled" text given at load */
	const char *loaded_at; /* UTC, "YYYY-MM-DD HH:MM:SS" */
	int64_t entries;
} fisc_edition;
typedef int (*fisc_edition_cb)(void *ud, const fisc_edition *e);
FISC_API int fisc_store_edition_each(fisc_store *st, fisc_edition_cb cb, void *ud);
FISC_API int fisc_store_catalog_put(fisc_store *st, int year,
			   const fisc_catalog_entry *e);
typedef int (*fisc_catalog_cb)(void *ud, const fisc_catalog_entry *e);
FISC_API int fisc_store_catalog_each(fisc_store *st, int year, fisc_catalog_cb cb,
			    void *ud);

/* Lines and aliases (not year-versioned). put replaces by id / alias+book. */
FISC_API int fisc_store_line_put(fisc_store *st, const fisc_line *l);
typedef int (*fisc_line_cb)(void *ud, const fisc_line *l);
FISC_API int fisc_store_line_each(fisc_store *st, fisc_line_cb cb, void *ud);
FISC_API int fisc_store_alias_put(fisc_store *st, const fisc_alias *al);
typedef int (*fisc_alias_cb)(void *ud, const fisc_alias *al);
FISC_API int fisc_store_alias_each(fisc_store *st, fisc_alias_cb cb, void *ud);

/*
** Payment vouchers (国库集中支付凭证): the execution stream under the facts.
** Every field is an integer so that millions load and add up fast and
** exactly; codes are validated by the importer (src/lib/import/vouchers.c)
** before they reach the store.
*/
typedef struct fisc_voucher {
	int64_t region;  /* store id of the region */
	int64_t unit;    /* 预算单位 code (digits) */
	int64_t fen;     /* amount paid; negative for a reversal (红字冲销) */
	int32_t date;    /* YYYYMMDD */
	int32_t func;    /* 支出功能分类 项 code, 7 digits (2050201) */
	int32_t econ;    /* 经济分类 code (30101, 50201) */
	uint8_t book;    /* fisc_book */
	int64_t line;    /* where it was read (line of its source file), for messages */
	char number[32]; /* 凭证号, NUL-terminated: unique within (region, unit, year) */
} fisc_voucher;

/* What a rollup groups by. The store keeps both at 项 level; coarser levels
** (款, 类) are sums of the 项 rows (fisc_voucher_rollup in voucher.h). */
typedef enum fisc_rollup_by {
	FISC_ROLLUP_FUNCTION_MONTH = 1, /* 功能分类 × month */
	FISC_ROLLUP_REGION_FUNCTION = 2 /* region × 功能分类 */
} fisc_rollup_by;

typedef struct fisc_rollup_row {
	int32_t year;
	int32_t month;   /* 1..12; 0 in a region rollup */
	int64_t region;  /* store id; 0 in a function-month rollup */
	int32_t code;    /* 类 (3 digits), 款 (5) or 项 (7) */
	int32_t level;   /* 1 类, 2 款, 3 项 */
	int64_t count;   /* vouchers */
	int64_t fen;     /* exact sum */
} fisc_rollup_row;
typedef int (*fisc_rollup_cb)(void *ud, const fisc_rollup_row *r);

/* Append n vouchers (inside begin/commit). The backend keeps the 项-level
** aggregates of both rollups up to date as part of the same transaction, so
** a rollup never scans the vouchers. FISC_ERANGE when a sum would overflow.
** A voucher's identity is (region, unit, year of date, number): one already
** stored with the same date, book, codes and amount is skipped (importing a
** file twice is a no-op); with other content it is FISC_EEXIST, the message
** naming the stored voucher's file:line and the new one's. */
FISC_API int fisc_store_voucher_put(fisc_store *st, const fisc_voucher *v, size_t n);
/* Name the file the following puts of this transaction come from. */
FISC_API int fisc_store_voucher_source(fisc_store *st, const char *source);
/* How many of this transaction's puts were skipped as already stored, and
** their sum in fen. */
FISC_API void fisc_store_voucher_skipped(fisc_store *st, int64_t *count, int64_t *fen);
/* 项-level rows of a rollup, ordered by (year, code, month) or (year, region,
** code). scan != 0 recomputes them from the vouchers themselves (slow; for
** verification and measurement) instead of reading the aggregates. */
FISC_API int fisc_store_voucher_rollup(fisc_store *st, int by, int scan,
			      fisc_rollup_cb cb, void *ud);
FISC_API int64_t fisc_store_voucher_count(fisc_store *st);

#ifdef __cplusplus
}
#endif
#endif
