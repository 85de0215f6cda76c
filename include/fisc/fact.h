/*
** fisc/fact.h — the unit of data: one amount for (region, scope, year, book,
** phase, item), with optional detail dimensions and its provenance.
**
** The closed vocabularies (scope, book, phase, kind) are small enums; each has
** a parser that accepts the code, the English name and the usual Chinese
** spellings found in reports (全区 / 全市 / 区级 / 市本级 / 镇级 …).
*/
#ifndef FISC_FACT_H
#define FISC_FACT_H

#include "export.h"
#include <stddef.h>
#include <stdint.h>
#include "money.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum fisc_scope {
	FISC_SCOPE_ALL = 1,   /* 全辖: the whole region, levels consolidated */
	FISC_SCOPE_SELF = 2,  /* 本级: this level of government only */
	FISC_SCOPE_LOWER = 3  /* 下级: the levels below (镇级, 乡镇, 街道) */
} fisc_scope;

typedef enum fisc_book {
	FISC_BOOK_ALL = 0,  /* 全口径: a figure across books (total debt limit) */
	FISC_BOOK_GPB = 1,  /* 一般公共预算 */
	FISC_BOOK_GFB = 2,  /* 政府性基金预算 */
	FISC_BOOK_SOE = 3,  /* 国有资本经营预算 */
	FISC_BOOK_SSF = 4   /* 社会保险基金预算 */
} fisc_book;

typedef enum fisc_phase {
	FISC_PHASE_BUDGET = 1,    /* 预算 (年初预算, 预算草案) */
	FISC_PHASE_ADJUSTED = 2,  /* 调整预算 */
	FISC_PHASE_EXECUTION = 3, /* 执行 (执行数, 快报) */
	FISC_PHASE_FINAL = 4      /* 决算 */
} fisc_phase;

typedef enum fisc_fact_kind {
	FISC_FACT_BASE = 0,   /* part of the data: summed into totals */
	FISC_FACT_STATED = 1  /* a figure a source states (a total, or a partial
	                         breakdown): checked by rules, never summed, never
	                         printed in place of a computed figure */
} fisc_fact_kind;

/* Parsers return the enum value, or -1 when the text is not recognised.
** `n` is the byte length (strlen when s is NUL-terminated). */
FISC_API int fisc_scope_parse(const char *s, size_t n);
FISC_API int fisc_book_parse(const char *s, size_t n);
FISC_API int fisc_phase_parse(const char *s, size_t n);
FISC_API int fisc_kind_parse(const char *s, size_t n);

FISC_API const char *fisc_scope_code(fisc_scope s);  /* "all" "self" "lower" */
FISC_API const char *fisc_scope_name(fisc_scope s);  /* 全辖 本级 下级 */
FISC_API const char *fisc_book_code(fisc_book b);    /* "gpb" … */
FISC_API const char *fisc_book_name(fisc_book b);    /* 一般公共预算 … */
FISC_API const char *fisc_phase_code(fisc_phase p);  /* "budget" … */
FISC_API const char *fisc_phase_name(fisc_phase p);  /* 预算 调整预算 执行 决算 */
FISC_API const char *fisc_kind_code(fisc_fact_kind k); /* "base" "stated" */

typedef struct fisc_fact {
	int64_t id;          /* assigned by the store; increases in import order */
	int64_t region;      /* store id of the region */
	int32_t year;
	uint8_t scope;       /* fisc_scope */
	uint8_t book;        /* fisc_book */
	uint8_t phase;       /* fisc_phase */
	uint8_t kind;        /* fisc_fact_kind */
	const char *item;    /* catalogue code ("205", "11002") or line id ("upper_subsidy") */
	const char *dept;    /* detail dimensions: "" when absent, never NULL */
	const char *project;
	const char *econ;    /* economic classification code, "" when absent */
	const char *fund;    /* fund source */
	int has_amount;      /* 0: listed with no amount (a blank cell) */
	fisc_amount amount;
	const char *source;  /* provenance, e.g. "003_84b9d584d86aad8e.txt:36" */
	const char *note;
} fisc_fact;

/* A selection of facts. Zero / NULL fields match everything. */
enum { FISC_AS_OF_DOC0 = -1 };

typedef struct fisc_query {
	int64_t region;  /* 0: any */
	int32_t year;    /* 0: any */
	uint8_t scope, book_set, phase; /* 0: any; book_set: 1 = match `book` */
	uint8_t book;
	const char *dept; /* NULL: any */
	/* The store as it stood (fisc/history.h): after document as_of_doc
	** (documents 1..as_of_doc applied), or on date as_of_date (YYYYMMDD:
	** the documents in effect that day). Both 0: the current facts;
	** as_of_doc FISC_AS_OF_DOC0 (-1): document 0 alone (the facts stored
	** before history was kept). A backend without history refuses a query
	** with either set. */
	int64_t as_of_doc;
	int32_t as_of_date;
} fisc_query;

#ifdef __cplusplus
}
#endif
#endif
