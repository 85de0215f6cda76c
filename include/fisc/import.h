/*
** fisc/import.h — reading facts and regions from CSV and XLSX files.
**
** One call is one transaction: every row of every file is checked, every
** problem is collected into a fisc_diag (file, line or sheet!cell, field,
** reason in Chinese and English), and only when there is none is anything
** written. The formats are documented in docs/formats.md.
*/
#ifndef FISC_IMPORT_H
#define FISC_IMPORT_H

#include "export.h"

#include <stddef.h>
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What went wrong with one row or cell. */
typedef enum fisc_diag_kind {
	FISC_DIAG_IO = 1,          /* file cannot be read */
	FISC_DIAG_BAD_UTF8,        /* not valid UTF-8 */
	FISC_DIAG_BAD_CSV,         /* unterminated quote, stray quote */
	FISC_DIAG_BAD_XLSX,        /* not a readable workbook */
	FISC_DIAG_MISSING_COLUMN,  /* a required column is absent from the header */
	FISC_DIAG_UNKNOWN_COLUMN,  /* a header names no known column */
	FISC_DIAG_MISSING_FIELD,   /* a required cell is empty */
	FISC_DIAG_BAD_VALUE,       /* a scope, book, phase, kind, year … not understood */
	FISC_DIAG_BAD_AMOUNT,      /* amount cannot be parsed / overflows */
	FISC_DIAG_MISSING_UNIT,    /* amount with no unit */
	FISC_DIAG_UNKNOWN_ITEM,    /* item not in the catalogue, lines or aliases */
	FISC_DIAG_UNKNOWN_REGION,  /* region not in the store nor in this import */
	FISC_DIAG_DUPLICATE_FACT,  /* same key twice (in the import or in the store) */
	FISC_DIAG_DUPLICATE_REGION,/* same region code with other attributes */
	FISC_DIAG_TOO_MANY,        /* error limit reached; the rest not reported */
	FISC_DIAG_DUPLICATE_ROW,   /* a performance indicator or text given twice */
	FISC_DIAG_NOTE             /* not a problem: something the reader should know
	                              (a file converted from GB18030); never fails
	                              an import */
} fisc_diag_kind;

typedef struct fisc_diag_entry {
	const char *file;
	long line;          /* 1-based line (CSV) or row (XLSX); 0 for the file */
	const char *cell;   /* "Sheet1!G5" for XLSX, NULL for CSV */
	const char *field;  /* column name ("amount"), NULL when not a field */
	int kind;           /* fisc_diag_kind */
	const char *msg_zh;
	const char *msg_en;
} fisc_diag_entry;

typedef struct fisc_diag fisc_diag;

FISC_API fisc_diag *fisc_diag_new(void);
FISC_API void fisc_diag_free(fisc_diag *d);
FISC_API size_t fisc_diag_count(const fisc_diag *d);
/* Entries that are problems (every kind but FISC_DIAG_NOTE). */
FISC_API size_t fisc_diag_errors(const fisc_diag *d);
FISC_API const fisc_diag_entry *fisc_diag_get(const fisc_diag *d, size_t i);
/* Record a problem; the messages are copied. Returns FISC_EIMPORT. */
FISC_API int fisc_diag_add(fisc_diag *d, const char *file, long line, const char *cell,
		  const char *field, int kind, const char *msg_zh,
		  const char *msg_en);
/* "file:line: 字段「amount」：中文说明 | field 'amount': English [kind]";
** a note reads "file: 注意：中文 | note: English". */
FISC_API int fisc_diag_format(const fisc_diag_entry *e, char *buf, size_t cap);
FISC_API const char *fisc_diag_kind_code(int kind); /* "bad-amount" … */

typedef struct fisc_import_stats {
	long files;
	long regions;
	long facts;
	long indicators;  /* performance indicators */
	long texts;       /* performance narrative sections */
} fisc_import_stats;

/* Import files (".csv" or ".xlsx", by content). All or nothing: on any
** problem the store is unchanged, the problems are in `diag` and the result
** is FISC_EIMPORT. */
FISC_API int fisc_import_files(fisc_store *st, const char *const *paths, size_t n,
		      fisc_diag *diag, fisc_import_stats *stats);

/* Import one CSV held in memory (for tests and fuzzing), same rules. */
FISC_API int fisc_import_csv_buffer(fisc_store *st, const char *name, const char *buf,
			   size_t len, fisc_diag *diag,
			   fisc_import_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
