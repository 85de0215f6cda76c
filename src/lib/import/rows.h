/*
** rows.h — the shape every tabular reader delivers: one row of text cells at a
** time, with where it came from. The CSV reader (csv.c) and the XLSX reader
** (xlsx.c) both produce rows; the importer (import.c) turns rows into facts
** and never knows which format it is reading.
*/
#ifndef FISC_IMPORT_ROWS_H
#define FISC_IMPORT_ROWS_H

#include <stddef.h>
#include "fisc/import.h"

typedef struct fisc_row {
	const char *file;   /* path as given */
	const char *sheet;  /* XLSX sheet name; NULL for CSV */
	long line;          /* CSV: physical line where the record starts;
	                       XLSX: 1-based row number */
	size_t ncells;
	const char *const *cells; /* NUL-terminated UTF-8; "" for empty */
	const size_t *lens;
	const int *cols;    /* XLSX: 0-based column index of each cell (cells
	                       are dense: cells[i] is column i, so cols[i]==i);
	                       NULL for CSV */
	const unsigned char *flags; /* XLSX: FISC_CELL_* of each cell; NULL for CSV */
} fisc_row;

/* What a cell's text alone does not say. */
enum {
	FISC_CELL_NO_VALUE = 1 /* a formula with no cached value (delivered as "") */
};

/* Called once per row, header included, in increasing `line` order within a
** file or sheet. Everything the row points to (file, sheet, cells, lens) is
** valid only during the call: copy what must outlive it. A nonzero return
** stops reading and is returned by the reader. */
typedef int (*fisc_row_cb)(void *ud, const fisc_row *row);

/*
** CSV (RFC 4180, UTF-8, optional BOM, LF or CRLF): quoted fields may hold
** commas, quotes ("") and line breaks. A line whose first byte is '#' is a
** comment; blank lines are skipped. Invalid UTF-8 and malformed quoting are
** reported to `diag` with the line and make the call return FISC_EIMPORT
** (after reading as far as it can).
*/
int fisc_csv_read(const char *file, const char *buf, size_t len,
		  fisc_row_cb cb, void *ud, fisc_diag *diag);

/*
** XLSX (Office Open XML workbook), read with libzip + expat: every worksheet
** in workbook order; shared strings, inline strings, numbers, booleans
** ("TRUE"/"FALSE"). A number is delivered as the text stored in the cell
** ("401746", "3658.95"), except that Excel's binary-float artefacts
** ("3658.9499999999998") are rewritten to the shortest text that denotes the
** same double ("3658.95"). Empty rows are skipped; cells are made dense
** (missing cells are "") and trailing empty cells are dropped. Formula cells
** deliver their cached value; one without a cached value is "" flagged
** FISC_CELL_NO_VALUE (the importer refuses it). Unlike CSV, the first problem stops the read: a
** workbook that cannot be opened is FISC_DIAG_IO, one that cannot be parsed
** FISC_DIAG_BAD_XLSX (invalid UTF-8: FISC_DIAG_BAD_UTF8, with the cell), and
** the call returns FISC_EIMPORT.
*/
int fisc_xlsx_read(const char *file, fisc_row_cb cb, void *ud,
		   fisc_diag *diag);

/* Same, from a workbook held in memory (tests, fuzzing). */
int fisc_xlsx_read_buffer(const char *file, const void *buf, size_t len,
			  fisc_row_cb cb, void *ud, fisc_diag *diag);

/* "A", "B", …, "Z", "AA" for a 0-based column index; buf >= 8 bytes. */
void fisc_xlsx_colname(int col, char *buf);

#endif
