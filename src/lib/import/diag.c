/*
** diag.c — the list of problems an import found, each with its place
** (file, line or sheet!cell, field) and a reason in Chinese and English.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/import.h"
#include "fisc/arena.h"
#include "import/importer.h"
#include "model/util.h"

enum { DIAG_MAX = 100 };

struct fisc_diag {
	fisc_arena *arena;
	fisc_diag_entry *v;
	size_t n, cap;
	int truncated;
};

fisc_diag *fisc_diag_new(void)
{
	fisc_diag *d = calloc(1, sizeof *d);
	if (d && !(d->arena = fisc_arena_new())) {
		free(d);
		d = NULL;
	}
	return d;
}

void fisc_diag_free(fisc_diag *d)
{
	if (!d)
		return;
	fisc_arena_free(d->arena);
	free(d->v);
	free(d);
}

size_t fisc_diag_count(const fisc_diag *d) { return d ? d->n : 0; }

size_t fisc_diag_errors(const fisc_diag *d)
{
	size_t n = 0;
	for (size_t i = 0; d && i < d->n; i++)
		n += d->v[i].kind != FISC_DIAG_NOTE;
	return n;
}

const fisc_diag_entry *fisc_diag_get(const fisc_diag *d, size_t i)
{
	return d && i < d->n ? &d->v[i] : NULL;
}

static const char *dup(fisc_arena *a, const char *s)
{
	return s ? fisc_arena_strdup(a, s) : NULL;
}

int fisc_diag_add(fisc_diag *d, const char *file, long line, const char *cell,
		  const char *field, int kind, const char *msg_zh,
		  const char *msg_en)
{
	if (!d || d->truncated)
		return FISC_EIMPORT;
	if (d->n == DIAG_MAX) {
		/* The last slot says that more were suppressed. */
		d->truncated = 1;
		file = d->v[d->n - 1].file;
		line = 0;
		cell = field = NULL;
		kind = FISC_DIAG_TOO_MANY;
		msg_zh = "错误过多，其余未列出";
		msg_en = "too many errors; the rest are not listed";
	}
	if (fisc_grow(&d->v, &d->cap, d->n + 1, sizeof *d->v))
		return FISC_ENOMEM;
	fisc_diag_entry *e = &d->v[d->n++];
	e->file = dup(d->arena, file ? file : "");
	e->line = line;
	e->cell = dup(d->arena, cell);
	e->field = dup(d->arena, field);
	e->kind = kind;
	e->msg_zh = dup(d->arena, msg_zh ? msg_zh : "");
	e->msg_en = dup(d->arena, msg_en ? msg_en : "");
	return FISC_EIMPORT;
}

typedef struct keyed {
	size_t file; /* order of the file's first entry */
	size_t pos;  /* order of the entry */
	fisc_diag_entry e;
} keyed;

static int cmp_keyed(const void *pa, const void *pb)
{
	const keyed *a = pa, *b = pb;
	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	if (a->e.line != b->e.line)
		return a->e.line < b->e.line ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

void imp_diag_sort(fisc_diag *d)
{
	if (!d || d->n < 2)
		return;
	/* The "too many" entry stays last. */
	size_t n = d->truncated ? d->n - 1 : d->n;
	keyed *k = malloc(n * sizeof *k);
	if (!k)
		return; /* unsorted is still correct */
	for (size_t i = 0; i < n; i++) {
		size_t f = i;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(d->v[j].file, d->v[i].file)) {
				f = k[j].file;
				break;
			}
		k[i] = (keyed){f, i, d->v[i]};
	}
	qsort(k, n, sizeof *k, cmp_keyed);
	for (size_t i = 0; i < n; i++)
		d->v[i] = k[i].e;
	free(k);
}

static const char *const kind_codes[] = {
	[FISC_DIAG_IO] = "io",
	[FISC_DIAG_BAD_UTF8] = "bad-utf8",
	[FISC_DIAG_BAD_CSV] = "bad-csv",
	[FISC_DIAG_BAD_XLSX] = "bad-xlsx",
	[FISC_DIAG_MISSING_COLUMN] = "missing-column",
	[FISC_DIAG_UNKNOWN_COLUMN] = "unknown-column",
	[FISC_DIAG_MISSING_FIELD] = "missing-field",
	[FISC_DIAG_BAD_VALUE] = "bad-value",
	[FISC_DIAG_BAD_AMOUNT] = "bad-amount",
	[FISC_DIAG_MISSING_UNIT] = "missing-unit",
	[FISC_DIAG_UNKNOWN_ITEM] = "unknown-item",
	[FISC_DIAG_UNKNOWN_REGION] = "unknown-region",
	[FISC_DIAG_DUPLICATE_FACT] = "duplicate-fact",
	[FISC_DIAG_DUPLICATE_REGION] = "duplicate-region",
	[FISC_DIAG_TOO_MANY] = "too-many",
	[FISC_DIAG_DUPLICATE_ROW] = "duplicate-row",
	[FISC_DIAG_NOTE] = "note",
};

const char *fisc_diag_kind_code(int kind)
{
	if (kind > 0 && kind < (int)(sizeof kind_codes / sizeof *kind_codes) &&
	    kind_codes[kind])
		return kind_codes[kind];
	return "unknown";
}

int fisc_diag_format(const fisc_diag_entry *e, char *buf, size_t cap)
{
	char where[512];
	if (e->cell)
		snprintf(where, sizeof where, "%s:%s", e->file, e->cell);
	else if (e->line > 0)
		snprintf(where, sizeof where, "%s:%ld", e->file, e->line);
	else
		snprintf(where, sizeof where, "%s", e->file);
	int n;
	if (e->kind == FISC_DIAG_NOTE)
		n = snprintf(buf, cap, "%s: 注意：%s | note: %s", where, e->msg_zh, e->msg_en);
	else if (e->field)
		n = snprintf(buf, cap,
			     "%s: 字段「%s」：%s | field '%s': %s [%s]", where,
			     e->field, e->msg_zh, e->field, e->msg_en,
			     fisc_diag_kind_code(e->kind));
	else
		n = snprintf(buf, cap, "%s: %s | %s [%s]", where, e->msg_zh,
			     e->msg_en, fisc_diag_kind_code(e->kind));
	return n;
}
