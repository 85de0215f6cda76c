/*
** importer.h — the state of one import (all files of one `fisc import`, one
** store transaction) and the helpers every table's row reader uses.
**
** import.c owns the walk: it recognises what a file or sheet holds from its
** header (facts, regions, performance indicators, performance texts) and
** hands each row to that table's reader. Readers report problems through
** imp_report(), which names file, line or cell, field and reason in Chinese
** and English; the import commits only when no reader reported anything.
*/
#ifndef FISC_IMPORT_IMPORTER_H
#define FISC_IMPORT_IMPORTER_H

#include <stdint.h>
#include "fisc/catalog.h"
#include "fisc/import.h"
#include "import/rows.h"
#include "model/strmap.h"

typedef struct colname {
	const char *name;    /* canonical (English) */
	const char *alt[4];  /* Chinese and other spellings */
	int required;
} colname;

enum { TABLE_NONE, TABLE_FACTS, TABLE_REGIONS, TABLE_INDICATORS, TABLE_PERF_TEXTS, TABLE_BAD };

enum { IMP_MAXCOLS = 24 };

struct deferred;
typedef struct imp_amend imp_amend; /* amend_import.c */

typedef struct ctx {
	fisc_store *st;
	fisc_diag *diag;
	fisc_import_stats *stats;
	fisc_arena *arena;
	const char *file, *sheet;
	int table;            /* what the current file/sheet holds */
	const colname *cols;  /* its columns */
	int col[IMP_MAXCOLS]; /* field → cell index, -1 when absent */
	int ncols;
	size_t hdr_width;     /* cells in the header row */
	const unsigned char *hdr_named; /* hdr_named[i]: header cell i is not empty */
	const void *hdr_saved;/* this header, saved for rows read again later */
	fisc_strmap regions;  /* text as written → region id (boxed) */
	fisc_strmap region_names; /* region name → its first row in this import */
	struct deferred *deferred, **deferred_tail; /* rows whose region comes later */
	int replay;           /* reading deferred rows: report, never defer */
	fisc_strmap seen;     /* row key → "file:line" of its first row */
	fisc_catalog **cats;  /* loaded editions, by edition year */
	int *cat_years;
	size_t ncats, capcats, capyears;
	int errors;
	int fatal;            /* an error that must stop the walk (ENOMEM, store) */
	const char *journal;  /* "file NAME sha256 HEX" lines for the journal entry */
	imp_amend *amend;     /* an amendment's state (amend_import.c); NULL: an import */
	int64_t doc;          /* this import's document (history); 0 before its first
	                         fact, -1 when the store keeps no history */
	const char *sources;  /* the files read, for the document */
} ctx;

/* Run an import (amend NULL) or collect an amendment's changes over files
** or one CSV buffer: one transaction; finish commits, or for an amendment
** calls imp_amend_apply. */
int imp_run_files(fisc_store *st, const char *const *paths, size_t n, fisc_diag *diag,
		  fisc_import_stats *stats, imp_amend *amend);
int imp_run_buffer(fisc_store *st, const char *name, const char *buf, size_t len,
		   fisc_diag *diag, fisc_import_stats *stats, imp_amend *amend);

/* An amendment's row (amend_import.c): fact f (its texts in the import
** arena) read at `where` is compared with the stored one and kept as a
** change, or reported. FISC_OK when it was accepted. */
/* The cell index of the fact table's item column, for messages. */
#define F_ITEM_COL imp_item_field
extern const int imp_item_field;
int imp_amend_fact(ctx *c, const fisc_row *row, const fisc_fact *f, int withdraw,
		   const char *where);
/* After every row, with no problem: show the changes, then write them as
** one document and journal entry; *keep 0 when nothing is to be committed
** (a dry run, no change). */
int imp_amend_apply(ctx *c, int *keep);

/* Put the problems in the order of the files, then of lines, whatever order
** they were found in (rows read again later report late). Stable. */
void imp_diag_sort(fisc_diag *d);

/* Record a problem with cell `idx` of the row (field: the column's name). */
void imp_report(ctx *c, const fisc_row *row, int idx, const char *field, int kind,
		const char *zh, const char *en);
/* The same with printf-style Chinese and English, each with one %s value. */
void imp_reportf(ctx *c, const fisc_row *row, int idx, const char *field, int kind,
		 const char *zh, const char *en, const char *val);
/* The cell of field f with leading blanks skipped ("" when absent); the
** _trim form is a copy in the import arena without trailing blanks. */
const char *imp_get(ctx *c, const fisc_row *row, int f);
const char *imp_get_trim(ctx *c, const fisc_row *row, int f);
/* Store id of a region given by code or name, 0 when unknown. */
int64_t imp_region_id(ctx *c, const char *text);
/* The region of field f, reported when empty or unknown; 0 then. */
int64_t imp_region_field(ctx *c, const fisc_row *row, int f);
/* A four-digit year 1949–2200 in field f, reported when missing or bad; 0 then. */
int imp_year_field(ctx *c, const fisc_row *row, int f);
/* "file:line" or "file:Sheet!A5" of the row, in the import arena. */
const char *imp_where(ctx *c, const fisc_row *row, int idx);

/* Row readers of the performance tables (perf_import.c), their fields. */
enum {
	I_REGION, I_YEAR, I_DEPT, I_PROJECT, I_CLASS, I_SUB, I_NAME, I_DIR, I_TARGET,
	I_ACTUAL, I_UNIT, I_WEIGHT, I_SCORE, I_REASON, I_SOURCE, I_NOTE, I_NCOLS
};
/* The texts table begins with the same four fields (read by one function). */
enum {
	T_REGION = I_REGION, T_YEAR = I_YEAR, T_DEPT = I_DEPT, T_PROJECT = I_PROJECT,
	T_SECTION, T_TEXT, T_SOURCE, T_NCOLS
};
extern const colname imp_indicator_cols[];
extern const int imp_indicator_ncols;
extern const colname imp_perf_text_cols[];
extern const int imp_perf_text_ncols;
void imp_indicator_row(ctx *c, const fisc_row *row);
void imp_perf_text_row(ctx *c, const fisc_row *row);

#endif
