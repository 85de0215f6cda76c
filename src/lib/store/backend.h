/*
** backend.h — the table of operations a storage backend implements.
**
** This is fisc's VFS: store.c forwards every public fisc_store_* call
** through it, so a backend (sqlite.c, pg.c for PostgreSQL) is one
** file that fills this table. Nothing above the store sees SQL.
*/
#ifndef FISC_STORE_BACKEND_H
#define FISC_STORE_BACKEND_H

#include "fisc/store.h"
#include "model/strmap.h"
#include "fisc/perf.h"
#include "fisc/ledger.h"
#include "fisc/journal.h"
#include "fisc/user.h"
#include "fisc/history.h"

/* Enumerations that only a whole-store copy needs (copy.c). */
typedef int (*fisc_token_cb)(void *ud, const unsigned char hash[32], int64_t user, int kind,
			     int64_t expires);
typedef int (*fisc_publish_cb)(void *ud, int64_t region, int year);
/* A stored voucher and the path of the file it came from ("" when none). */
typedef int (*fisc_voucher_row_cb)(void *ud, const fisc_voucher *v, const char *source);
/* A stored 指标 document: its legs in the order they were written, with
** only fen set (the identity is line_ids[i], a stored line's id). */
typedef int (*fisc_quota_doc_cb)(void *ud, const fisc_quota_doc *d, const int64_t *line_ids);
typedef int (*fisc_refund_cb)(void *ud, const fisc_refund *r);
typedef int (*fisc_fact_doc_cb)(void *ud, const fisc_fact_doc *d);

/* Users, tokens, publication marks and the event log (fisc/user.h): the
** backend stores them; src/lib/store/user.c hashes and validates. */
typedef struct fisc_user_vtab {
	int (*user_put)(fisc_store *, const fisc_user *, const char *pwhash);
	/* *pwhash: the stored hash, in the arena */
	int (*user_find)(fisc_store *, const char *, fisc_arena *, fisc_user *, const char **pwhash);
	int (*user_each)(fisc_store *, fisc_user_cb, void *);
	/* pwhash NULL: kept; disabled -1: kept */
	int (*user_update)(fisc_store *, const char *, const char *pwhash, int disabled);
	int (*token_put)(fisc_store *, const unsigned char hash[32], int64_t user, int kind,
			 int64_t expires);
	int (*token_find)(fisc_store *, const unsigned char hash[32], int64_t now, fisc_arena *,
			  fisc_user *, int *kind);
	int (*token_delete)(fisc_store *, const unsigned char hash[32]);
	int (*publish_set)(fisc_store *, int64_t region, int year, int on);
	int (*publish_get)(fisc_store *, int64_t region, int year);
	int (*event_put)(fisc_store *, const fisc_event *);
	int (*event_each)(fisc_store *, int64_t, fisc_event_cb, void *);
	/* For `fisc copy` (copy.c): every token and every publication mark.
	** user_put keeps u->created_at and event_put keeps e->at when they are
	** given (non-empty), so that a copied store keeps its history. */
	int (*token_each)(fisc_store *, fisc_token_cb, void *);
	int (*publish_each)(fisc_store *, fisc_publish_cb, void *);
} fisc_user_vtab;

/* Versions of facts (fisc/history.h, docs/history.md). A backend that has
** history also honours fisc_query.as_of_doc / as_of_date in fact_each and
** fact_scan; one without (history NULL) gets FISC_EUNSUPPORTED from store.c
** for such a query and for every history call. */
typedef struct fisc_history_vtab {
	/* Record a document; *id its number. Until the end of the transaction
	** every fact_put is established by it (otherwise by document 0). */
	int (*doc_put)(fisc_store *, const fisc_fact_doc *, int64_t *id);
	/* By id (number NULL) or by 文号; FISC_ENOTFOUND when none. */
	int (*doc_get)(fisc_store *, int64_t id, const char *number, fisc_arena *,
		       fisc_fact_doc *);
	/* The current fact with the key of *key (region … fund), as a version
	** (its doc), to cb; FISC_OK without a call when there is none. */
	int (*fact_find)(fisc_store *, const fisc_fact *key, fisc_version_cb, void *);
	/* End the current fact `id` by document `doc`: its version is kept,
	** and it is replaced by *now (same key; amount, precision, source and
	** note from now), or removed when now is NULL (withdrawn). */
	int (*fact_supersede)(fisc_store *, int64_t id, const fisc_fact *now, int64_t doc);
	/* Every version (current ones with ended_by 0) matching q's region,
	** year, book, phase, scope and dept, and when doc > 0 only those that
	** doc established or ended; ordered by fact id, then document. */
	int (*version_each)(fisc_store *, const fisc_query *, int64_t doc, fisc_version_cb, void *);
	/* For `fisc copy` (store_ops.c), which must keep every number the
	** journal's amendment digests hold: every document but 0, by id; and
	** n versions written as they are (ids, documents and ends kept; a
	** version with ended_by 0 is a current fact). doc_put keeps d->id and
	** d->created when they are given (non-zero, non-empty). */
	int (*doc_each)(fisc_store *, fisc_fact_doc_cb, void *);
	int (*version_put)(fisc_store *, const fisc_fact_version *, size_t n);
} fisc_history_vtab;

typedef struct fisc_store_vtab {
	const char *name;
	void (*close)(fisc_store *);
	int (*begin)(fisc_store *);
	int (*commit)(fisc_store *);
	/* Ends whatever transaction the connection has open (also one this
	** layer does not know of, left by a failed begin); nothing when none. */
	int (*rollback)(fisc_store *);
	/* A read snapshot (fisc_store_read_begin/end): every read between them
	** sees one instant of the store. NULL: the backend reads as before
	** (each statement its own instant), and nothing is kept longer. */
	int (*read_begin)(fisc_store *);
	int (*read_end)(fisc_store *);
	/* Nonzero while the connection has any transaction open, aborted
	** ones included (fisc_store_txn_open). */
	int (*txn_open)(fisc_store *);
	/* Nonzero while the transaction begun by begin is still open; NULL
	** when the backend never ends one by itself. */
	int (*txn_alive)(fisc_store *);
	/* A number that changes when another connection has changed the store
	** since this one last looked (SQLite's data_version); NULL: unknown, so
	** nothing read may be kept between calls. */
	int (*data_version)(fisc_store *, int64_t *);
	/* The same promise for a backend where asking costs a round trip
	** (PostgreSQL): only fisc_store_data_version uses it — worth one round
	** trip to a caller that then skips a whole request (fisc serve's
	** caches), not to the handle's own memos, which would pay a round trip
	** on every use to save one. NULL where data_version is given. */
	int (*change_version)(fisc_store *, int64_t *);
	int (*region_put)(fisc_store *, const fisc_region *, int64_t *);
	int (*region_find)(fisc_store *, const char *, fisc_arena *, fisc_region *);
	int (*region_get)(fisc_store *, int64_t, fisc_arena *, fisc_region *);
	int (*region_each)(fisc_store *, fisc_region_cb, void *);
	int (*fact_put)(fisc_store *, const fisc_fact *);
	int (*fact_each)(fisc_store *, const fisc_query *, fisc_fact_cb, void *);
	int64_t (*fact_count)(fisc_store *);
	/* NULL: store.c implements fisc_store_fact_scan over fact_each. */
	int (*fact_scan)(fisc_store *, const fisc_query *, fisc_string_cb, fisc_fact_ids_cb,
			 void *);
	int (*edition_put)(fisc_store *, int, const char *);
	int (*edition_for)(fisc_store *, int, int *);
	int (*edition_delete)(fisc_store *, int);
	int (*edition_each)(fisc_store *, fisc_edition_cb, void *);
	int (*catalog_put)(fisc_store *, int, const fisc_catalog_entry *);
	int (*catalog_each)(fisc_store *, int, fisc_catalog_cb, void *);
	int (*line_put)(fisc_store *, const fisc_line *);
	int (*line_each)(fisc_store *, fisc_line_cb, void *);
	int (*alias_put)(fisc_store *, const fisc_alias *);
	int (*alias_each)(fisc_store *, fisc_alias_cb, void *);
	int (*voucher_put)(fisc_store *, const fisc_voucher *, size_t);
	int (*voucher_source)(fisc_store *, const char *);
	void (*voucher_skipped)(fisc_store *, int64_t *, int64_t *);
	int (*voucher_rollup)(fisc_store *, int, int, fisc_rollup_cb, void *);
	int64_t (*voucher_count)(fisc_store *);
	int (*indicator_put)(fisc_store *, const fisc_indicator *);
	int (*indicator_each)(fisc_store *, const fisc_perf_query *, fisc_indicator_cb, void *);
	int (*perf_text_put)(fisc_store *, const fisc_perf_text *);
	int (*perf_text_each)(fisc_store *, const fisc_perf_query *, fisc_perf_text_cb, void *);
	/* The 指标 ledger (fisc/ledger.h) and its journal (fisc/journal.h). */
	int (*ledger_durable)(fisc_store *);
	int (*quota_line_put)(fisc_store *, const fisc_quota_line *);
	int (*quota_line_set)(fisc_store *, int64_t, int64_t, int64_t, int64_t);
	int (*quota_line_each)(fisc_store *, fisc_quota_line_cb, void *);
	int (*quota_doc_put)(fisc_store *, const fisc_quota_doc *, const int64_t *);
	int (*quota_leg_each)(fisc_store *, fisc_quota_leg_cb, void *);
	int (*payment_put)(fisc_store *, const fisc_payment *);
	int (*payment_each)(fisc_store *, fisc_payment_cb, void *);
	int (*refund_put)(fisc_store *, const fisc_refund *);
	int (*journal_put)(fisc_store *, const fisc_journal_entry *);
	int (*journal_each)(fisc_store *, int64_t, fisc_journal_cb, void *);
	int (*journal_last)(fisc_store *, int64_t *, uint8_t *);
	/* Make the caller's transaction the journal's only writer until it
	** ends, before it reads the head it will chain to: NULL where the
	** write transaction already is one (SQLite's BEGIN IMMEDIATE). */
	int (*journal_lock)(fisc_store *);
	int (*quota_rollup)(fisc_store *, int, fisc_quota_rollup_cb, void *);
	const fisc_user_vtab *user; /* NULL: the backend has no users */
	const fisc_history_vtab *history; /* NULL: the backend keeps no versions */
	/* Schema migrations (`fisc migrate`, fisc_store_migrate): *from the
	** store's schema version, *to this program's; apply != 0 applies the
	** pending ones in one transaction. A store opened with
	** FISC_OPEN_NO_MIGRATE has not been migrated yet; a newer schema than
	** the program's is refused (FISC_ESTORE) by this and by every open. */
	int (*migrate)(fisc_store *, int apply, int *from, int *to);
	/* Whole-store enumerations for `fisc copy` (copy.c), each in the order
	** the rows were written. */
	int (*voucher_each)(fisc_store *, fisc_voucher_row_cb, void *);
	int (*quota_doc_each)(fisc_store *, fisc_quota_doc_cb, void *);
	int (*refund_each)(fisc_store *, fisc_refund_cb, void *);
	/* A consistent copy of the open store into a new file at path (the
	** SQLite online backup API), checked with integrity_check; NULL for a
	** backend whose backups are the database server's own tools. */
	int (*backup)(fisc_store *, const char *path);
} fisc_store_vtab;

/* Every backend's handle starts with this. */
struct fisc_catalog;
struct fisc_store {
	const fisc_store_vtab *vt;
	int is_new;   /* created by this open */
	int in_txn;
	/* The catalogue last loaded through this handle (catalog.c), kept while
	** nothing has written the store: a write through this handle begins a
	** transaction (which drops it), another connection's write changes
	** data_version. */
	struct fisc_catalog *cat_cache;
	int64_t cat_version;
	/* The facts of the region last asked for (store.c, fact_memo): a report
	** asks a dozen queries of one region, each served from memory. Kept
	** under the same rule as the catalogue. */
	struct fisc_fact_memo *memo;
	/* The first failure inside the current transaction, to explain why a
	** transaction the backend ended by itself is gone. */
	int txn_rc;
	char txn_msg[400];
	/* Set by fisc_store_copy on its source before begin: the transaction
	** must read one instant (PostgreSQL: REPEATABLE READ; SQLite's write
	** transaction already does). */
	int snapshot;
	/* fisc_store_read_begin: a read snapshot is held; read_version is the
	** data version at its start, what every later check for a change gets
	** (nothing can change what the snapshot sees). */
	int reading;
	int64_t read_version;
	/* Kept while reading: editions by year, and the regions last asked
	** for (store.c), each otherwise one statement per call. */
	struct fisc_read_memo *read_memo;
	/* fisc_store_view: the as-of that queries without their own get. */
	int64_t view_doc;
	int32_t view_date;
};

/* Numbering the distinct texts of a fact_scan (store.c): each new text gets
** the next id and is passed to the caller's string callback, so that a
** backend only has to produce the text of each field. */
typedef struct fisc_scan_strings {
	fisc_strmap ids;     /* text → id */
	const char **text;   /* id → text (copies in `a`); text[0] is "" */
	uint32_t n, cap;
	/* Texts met lately, by a hash of their first bytes: the facts of a
	** table repeat a few dozen items and one department, project, source,
	** so most lookups end here with one memcmp. */
	struct {
		const char *s;
		size_t n;
		uint32_t id;
	} recent[256];
	fisc_arena *a;
	fisc_string_cb cb;
	void *ud;
} fisc_scan_strings;

int fisc_scan_strings_init(fisc_scan_strings *s, fisc_string_cb cb, void *ud);
/* *id for the n bytes at t (0 for n == 0); s->text[*id] is a copy that
** lasts until fisc_scan_strings_free. A nonzero return is the string
** callback's, or FISC_ENOMEM. */
int fisc_scan_string(fisc_scan_strings *s, const char *t, size_t n, uint32_t *id);
void fisc_scan_strings_free(fisc_scan_strings *s);

/* The journal's head read for an append (fisc_journal_append): under the
** backend's journal lock, inside the caller's transaction, so that no
** other writer appends between the read and the caller's put. */
int fisc_store_journal_lock(fisc_store *st);

/* path: a file or ":memory:"; vfs: an SQLite VFS name or NULL; flags:
** FISC_OPEN_*. */
int fisc_sqlite_open(const char *path, const char *vfs, int flags, fisc_store **out);

#endif
