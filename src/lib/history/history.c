/*
** history.c — reading the history of facts (fisc/history.h): what an
** --as-of names, the versions of figures in key order, and the digest of
** what one amendment wrote, which its journal entry records and
** fisc_journal_verify recomputes (docs/history.md).
*/
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/history.h"
#include "store/history_ops.h"

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* "YYYY-MM-DD" as YYYYMMDD; 0 when it is not a date of the calendar. */
static int32_t parse_date(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;
	char end;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3)
		return 0;
	if (y < 1949 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return 0;
	return y * 10000 + m * 100 + d;
}

int fisc_history_as_of(fisc_store *st, const char *text, fisc_query *q)
{
	q->as_of_doc = 0;
	q->as_of_date = 0;
	if (!text || !*text)
		return fisc_error_set(FISC_EINVAL, "--as-of 需要日期或文件 / --as-of needs a date or a document");
	fisc_arena *a = fisc_arena_new();
	if (!a)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	fisc_fact_doc d;
	int rc;
	const char *num = text[0] == '#' ? text + 1 : text;
	if (strchr(text, '-') && parse_date(text)) {
		q->as_of_date = parse_date(text);
		rc = FISC_OK;
	} else if (all_digits(num) && strlen(num) < 16) {
		rc = fisc_store_doc_get(st, strtoll(num, NULL, 10), NULL, a, &d);
		if (rc == FISC_ENOTFOUND)
			rc = fisc_error_set(rc, "没有编号为 #%s 的文件 / no document #%s (fisc history lists them)",
					    num, num);
		if (rc == FISC_OK)
			q->as_of_doc = d.id;
	} else if (text[0] >= '0' && text[0] <= '9' && strlen(text) == 10 && text[4] == '-') {
		rc = fisc_error_set(FISC_EINVAL, "日期无效「%s」（应为 YYYY-MM-DD）/ not a date: '%s' (YYYY-MM-DD)",
				    text, text);
	} else {
		rc = fisc_store_doc_get(st, 0, text, a, &d);
		if (rc == FISC_ENOTFOUND)
			rc = fisc_error_set(rc, "没有文号为「%s」的修正 / no amendment numbered '%s'", text,
					    text);
		if (rc == FISC_OK)
			q->as_of_doc = d.id;
	}
	/* Document 0 (facts stored before history): 0 would mean "current". */
	if (rc == FISC_OK && !q->as_of_doc && !q->as_of_date)
		q->as_of_doc = FISC_AS_OF_DOC0;
	fisc_arena_free(a);
	return rc;
}

int fisc_history_doc_get(fisc_store *st, int64_t id, fisc_arena *a, fisc_fact_doc *out)
{
	int rc = fisc_store_doc_get(st, id, NULL, a, out);
	if (rc == FISC_ENOTFOUND)
		fisc_error_set(rc, "没有编号为 #%" PRId64 " 的文件 / no document #%" PRId64, id, id);
	return rc;
}

/* ---- versions in key order ---- */

typedef struct collect {
	fisc_arena *a;
	const char *item;
	fisc_fact_version *v;
	size_t n, cap;
	int rc;
} collect;

static const char *keep(collect *c, const char *s)
{
	const char *r = fisc_arena_strdup(c->a, s ? s : "");
	if (!r)
		c->rc = FISC_ENOMEM;
	return r ? r : "";
}

static int collect_one(void *ud, const fisc_fact_version *v)
{
	collect *c = ud;
	if (c->item && strcmp(c->item, v->f.item) != 0)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		fisc_fact_version *p = realloc(c->v, cap * sizeof *p);
		if (!p)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		c->v = p;
		c->cap = cap;
	}
	fisc_fact_version *w = &c->v[c->n++];
	*w = *v;
	w->f.item = keep(c, v->f.item);
	w->f.dept = keep(c, v->f.dept);
	w->f.project = keep(c, v->f.project);
	w->f.econ = keep(c, v->f.econ);
	w->f.fund = keep(c, v->f.fund);
	w->f.source = keep(c, v->f.source);
	w->f.note = keep(c, v->f.note);
	return c->rc != FISC_OK ? fisc_error_set(FISC_ENOMEM, "out of memory") : 0;
}

static int cmp_int(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

static int by_key(const void *pa, const void *pb)
{
	const fisc_fact_version *a = pa, *b = pb;
	const fisc_fact *x = &a->f, *y = &b->f;
	int r;
	if ((r = cmp_int(x->region, y->region)) || (r = cmp_int(x->year, y->year)) ||
	    (r = cmp_int(x->book, y->book)) || (r = cmp_int(x->scope, y->scope)) ||
	    (r = cmp_int(x->phase, y->phase)) || (r = strcmp(x->item, y->item)) ||
	    (r = cmp_int(x->kind, y->kind)) || (r = strcmp(x->dept, y->dept)) ||
	    (r = strcmp(x->project, y->project)) || (r = strcmp(x->econ, y->econ)) ||
	    (r = strcmp(x->fund, y->fund)))
		return r;
	/* One figure: its versions in the order their documents were applied
	** (a withdrawn and later re-added figure has two fact ids). */
	return (r = cmp_int(a->doc, b->doc)) ? r : cmp_int(x->id, y->id);
}

int fisc_history_each(fisc_store *st, const fisc_query *q, const char *item, fisc_version_cb cb,
		      void *ud)
{
	collect c = {0};
	fisc_query sel = {0};
	if (q) {
		sel = *q;
		sel.as_of_doc = 0;
		sel.as_of_date = 0;
	}
	if (!(c.a = fisc_arena_new()))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	c.item = item;
	int rc = fisc_store_version_each(st, &sel, 0, collect_one, &c);
	if (rc == FISC_OK) {
		if (c.n > 1) /* none collected: c.v is still NULL */
			qsort(c.v, c.n, sizeof *c.v, by_key);
		for (size_t i = 0; i < c.n && rc == FISC_OK; i++)
			rc = cb(ud, &c.v[i]);
	}
	free(c.v);
	fisc_arena_free(c.a);
	return rc;
}

/* ---- the digest of an amendment ---- */

typedef struct digest {
	crypto_hash_sha256_state h;
	int64_t doc;
} digest;

/* Fields as the journal writes them: "<length>:<bytes>,". */
static void put_str(digest *d, const char *s)
{
	char len[24];
	size_t n = strlen(s ? s : "");
	int k = snprintf(len, sizeof len, "%zu:", n);
	crypto_hash_sha256_update(&d->h, (const unsigned char *)len, (size_t)k);
	crypto_hash_sha256_update(&d->h, (const unsigned char *)(s ? s : ""), n);
	crypto_hash_sha256_update(&d->h, (const unsigned char *)",", 1);
}

static void put_int(digest *d, int64_t v)
{
	char s[24];
	snprintf(s, sizeof s, "%" PRId64, v);
	put_str(d, s);
}

static int digest_version(void *ud, const fisc_fact_version *v)
{
	digest *d = ud;
	const fisc_fact *f = &v->f;
	/* What never changes once written: a version established by the
	** document is later ended by another, so its end is not part of it;
	** a version the document ended records that it did, and how. */
	put_str(d, v->doc == d->doc ? "new" : v->withdrawn ? "withdrawn" : "ended");
	put_int(d, f->id);
	put_int(d, v->doc);
	put_int(d, f->region);
	put_int(d, f->year);
	put_int(d, f->book);
	put_int(d, f->phase);
	put_int(d, f->scope);
	put_str(d, f->item);
	put_int(d, f->kind);
	put_str(d, f->dept);
	put_str(d, f->project);
	put_str(d, f->econ);
	put_str(d, f->fund);
	put_str(d, f->has_amount ? "1" : "0");
	put_int(d, f->has_amount ? f->amount.fen : 0);
	put_int(d, f->amount.ulp);
	put_int(d, f->amount.unit);
	put_int(d, f->amount.decimals);
	put_str(d, f->source);
	put_str(d, f->note);
	return 0;
}

int fisc_history_digest(fisc_store *st, int64_t doc, uint8_t out[32])
{
	fisc_arena *a = fisc_arena_new();
	if (!a)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	fisc_fact_doc dd;
	int rc = fisc_history_doc_get(st, doc, a, &dd);
	digest d;
	d.doc = doc;
	crypto_hash_sha256_init(&d.h);
	if (rc == FISC_OK) {
		put_int(&d, dd.id);
		put_int(&d, dd.kind);
		put_str(&d, dd.number);
		put_int(&d, dd.date);
		put_str(&d, dd.author);
		put_str(&d, dd.reason);
		put_str(&d, dd.source);
		put_str(&d, dd.created);
		rc = fisc_store_version_each(st, NULL, doc, digest_version, &d);
	}
	crypto_hash_sha256_final(&d.h, out);
	fisc_arena_free(a);
	return rc;
}
