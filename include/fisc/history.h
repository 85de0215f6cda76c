/*
** fisc/history.h — corrections with history: every stored figure keeps its
** versions. A fact is established by a document (the import that brought it,
** or an amendment with 文号, date, author and reason); an amendment changes,
** adds or withdraws figures and never overwrites one: the superseded version
** stays in the store, so that reports can be run as the store stood at a
** date or after a document, and two versions, phases, years or stores can be
** compared line by line. docs/history.md describes the model.
*/
#ifndef FISC_HISTORY_H
#define FISC_HISTORY_H

#include "export.h"

#include <stdint.h>
#include <stdio.h>
#include "arena.h"
#include "doc.h"
#include "fact.h"
#include "import.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What established a version. */
typedef enum fisc_fact_doc_kind {
	FISC_FACT_DOC_IMPORT = 1, /* an import (fisc import); number "" */
	FISC_FACT_DOC_AMEND = 2   /* an amendment (fisc import --amend) */
} fisc_fact_doc_kind;

typedef struct fisc_fact_doc {
	int64_t id;          /* 1, 2, 3 … in the order applied; 0: facts stored
	                        before history was kept, or not by an import */
	int kind;            /* fisc_fact_doc_kind */
	const char *number;  /* 文号 ("" when none) */
	int32_t date;        /* YYYYMMDD the document takes effect; 0 for an
	                        import: valid as of every date */
	const char *author;
	const char *reason;
	const char *source;  /* the files it was read from */
	const char *created; /* UTC "YYYY-MM-DD HH:MM:SS" it was recorded */
} fisc_fact_doc;

/* One version of a figure: the fact as it was established by `doc`, valid
** until `ended_by` (0: it is the current one). */
typedef struct fisc_fact_version {
	fisc_fact f;
	int64_t doc;
	int64_t ended_by;
	int withdrawn;       /* ended_by withdrew it (no next version) */
} fisc_fact_version;
typedef int (*fisc_version_cb)(void *ud, const fisc_fact_version *v);

/* ---- the view as of a date or a document ---- */

/* Parse an --as-of value into q->as_of_doc / q->as_of_date: "#N" or N
** (digits): document N; "YYYY-MM-DD": a date; anything else: a 文号.
** FISC_ENOTFOUND (with the message) for an unknown document, FISC_EINVAL
** for a date that is not one. */
FISC_API int fisc_history_as_of(fisc_store *st, const char *text, fisc_query *q);

/* Make every later fisc_store_fact_each / fisc_store_fact_scan on st whose
** query has no as-of of its own read the store as of `view` (its as_of_doc
** or as_of_date; both 0: the current store again). Reports, checks and
** statements then run unchanged on the old view. */
FISC_API void fisc_store_view(fisc_store *st, const fisc_query *view);

/* ---- documents and versions ---- */

/* The document with this id; FISC_ENOTFOUND when none. Texts in `a`. */
FISC_API int fisc_history_doc_get(fisc_store *st, int64_t id, fisc_arena *a, fisc_fact_doc *out);

/* Every version (current and superseded) of the facts matching q (its
** as-of is ignored) and, when item is not NULL, whose item is `item`, in
** key order (book, scope, phase, item, kind, detail) and then in the order
** the documents were applied. */
FISC_API int fisc_history_each(fisc_store *st, const fisc_query *q, const char *item,
			       fisc_version_cb cb, void *ud);

/* The versions of the selected figures as one document ("数据版本", a table
** of 13 columns: figure, version, amount as written, document, date,
** author, reason, source, state) — what `fisc history` prints and
** GET /api/regions/{region}/history sends. r heads it; q selects (q->year
** names the catalogue); item is a code or a name of that catalogue, or
** NULL for every item. The document lives in `a`. */
FISC_API int fisc_history_build(fisc_store *st, const fisc_region *r, const fisc_query *q,
				const char *item, fisc_arena *a, fisc_doc **out);

/* "#2 修正 北财预〔2024〕5号", "#1 导入", "#0 历史记录之前" (in `a`). */
FISC_API const char *fisc_history_doc_label(fisc_arena *a, const fisc_fact_doc *d);

/* Every version (current and ended) of the one fact with this id among
** region's facts, in the order its documents were applied. FISC_ENOTFOUND
** when the region has no such fact. */
FISC_API int fisc_history_fact_each(fisc_store *st, int64_t region, int64_t fact_id,
				    fisc_version_cb cb, void *ud);

/* The journal entry that recorded document `doc` (the 'F' entry of its
** import or amendment, whose payload names it): its seq and hash.
** FISC_ENOTFOUND when none does (document 0, or a store older than the
** journal). */
FISC_API int fisc_history_doc_entry(fisc_store *st, int64_t doc, int64_t *seq, uint8_t hash[32]);

/* ---- amendments ---- */

typedef struct fisc_amend_opts {
	const char *number;  /* 文号; unique among amendments; may be "" */
	const char *author;
	const char *reason;  /* required: why the figures change */
	int32_t date;        /* YYYYMMDD it takes effect; 0: today (UTC) */
	int dry_run;         /* show the changes, write nothing */
} fisc_amend_opts;

typedef enum fisc_change_op {
	FISC_CHANGE_ADD = 1,      /* a key the store does not hold */
	FISC_CHANGE_AMEND = 2,    /* the same key with another figure */
	FISC_CHANGE_WITHDRAW = 3  /* a row whose action is withdraw (撤回) */
} fisc_change_op;

typedef struct fisc_change {
	int op;               /* fisc_change_op */
	const fisc_fact *old; /* NULL for ADD */
	const fisc_fact *now; /* NULL for WITHDRAW */
	const char *where;    /* "file:line" of the row */
} fisc_change;
typedef int (*fisc_change_cb)(void *ud, const fisc_change *c);

typedef struct fisc_amend_stats {
	long files, added, amended, withdrawn, unchanged, regions;
	int64_t doc;          /* the document's id (0 for a dry run or no change) */
} fisc_amend_stats;

/*
** Apply corrected files (the import format of docs/formats.md, plus an
** optional `action` column: empty or "amend" / "修正", or "withdraw" /
** "撤回") as one amendment: a row whose key matches a stored fact with
** another figure changes it, a new key is added, a withdraw row ends the
** stored fact. Every change is passed to `show` (may be NULL) in the order
** of the files before anything is committed; a nonzero return from it
** abandons the amendment. All or nothing, like an import: any problem in
** any row (reported in diag with file, line and field) writes nothing and
** returns FISC_EIMPORT. A file that changes nothing writes nothing
** (stats->doc 0). The amendment is one journal entry (tag "amend").
*/
FISC_API int fisc_amend_files(fisc_store *st, const char *const *paths, size_t n,
			      const fisc_amend_opts *o, fisc_diag *diag, fisc_change_cb show,
			      void *ud, fisc_amend_stats *stats);
FISC_API int fisc_amend_csv_buffer(fisc_store *st, const char *name, const char *buf, size_t len,
				   const fisc_amend_opts *o, fisc_diag *diag, fisc_change_cb show,
				   void *ud, fisc_amend_stats *stats);

/* SHA-256 of what an amendment wrote (its document row, the versions it
** established and the versions it ended), as recorded in its journal entry
** and recomputed by fisc_journal_verify. */
FISC_API int fisc_history_digest(fisc_store *st, int64_t doc, uint8_t out[32]);

/* ---- comparing ---- */

/* One side of a comparison: a store and the facts of a query (region —
** 0: every region, matched by code —, year, phase, book, scope,
** department and as-of as wanted). */
typedef struct fisc_diff_side {
	fisc_store *st;
	fisc_query q;
	const char *label;   /* column heading ("2024 年", "预算", "#3") */
} fisc_diff_side;

enum { FISC_DIFF_ALL = 1 }; /* list unchanged lines too */

/* What one side of a comparison was asked as (strings as given; NULL:
** not given), for its column heading. */
typedef struct fisc_diff_spec {
	const char *db, *year, *phase, *as_of;
} fisc_diff_spec;

/* The heading of side `me` against `other`: what differs between them
** ("2024 年", "预算", "#3 时", a store's file name), "" when nothing does.
** `fisc diff` and GET /api/regions/{region}/diff label their columns so. */
FISC_API const char *fisc_diff_label(fisc_arena *a, const fisc_diff_spec *me,
				     const fisc_diff_spec *other);

/* Compare the two sides line by line: facts are matched on book, scope,
** kind, item and detail (department, project, economic code, fund); each
** line gives the old and new figure, the change and the change in % of
** the old one (integer arithmetic, half away from zero; "—" where the old
** figure is 0 or absent). Lines are sorted by book, scope, item, detail.
** Amounts are shown in `unit` (fisc_unit) with `decimals`; decimals < 0:
** each line with as many as its finer written figure needs (at most 6). */
FISC_API int fisc_diff_build(const fisc_diff_side *a, const fisc_diff_side *b, int flags,
			     int unit, int decimals, fisc_arena *ar, fisc_doc **out);

#ifdef __cplusplus
}
#endif
#endif
