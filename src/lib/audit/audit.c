/*
** audit.c — one audit from text to report: read, lex, place in context,
** recognise claims, check, and copy the results into the caller's arena.
** All intermediate state lives in a working arena freed at the end.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/internal.h"
#include "fisc/error.h"
#include "model/util.h"

static const char *kind_name(int k)
{
	switch (k) {
	case CK_SUM: return "sum";
	case CK_PARTIAL: return "partial";
	case CK_BALANCE: return "balance";
	case CK_PERCENT: return "percent";
	case CK_TABLE: return "table";
	case CK_DIFF: return "difference";
	case CK_RESTATED: return "restated";
	default: return "claim";
	}
}

static const char *dup_s(fisc_arena *a, const char *s)
{
	if (!s)
		return NULL;
	char *p = fisc_arena_strdup(a, s);
	if (!p)
		au_oom = 1;
	return p;
}

/* A copy that is valid UTF-8 (anything else becomes U+FFFD) and at most
** about `max` bytes: a longer string is cut on a character boundary and
** ends in "…". Quotes and messages go to people and to JSON, which takes
** valid UTF-8 only; a sentence of a million figures is not quoted whole. */
static const char *dup_cut(fisc_arena *a, const char *s, size_t max)
{
	if (!s)
		return NULL;
	size_t n = strlen(s), o = 0;
	char *p = fisc_arena_alloc(a, (n < max ? n : max) * 3 + 8);
	if (!p) {
		au_oom = 1;
		return NULL;
	}
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = au_utf8_dec(s + i, n - i, &cp);
		if (o + 4 > max && i + k < n) {
			memcpy(p + o, "…", 3);
			o += 3;
			break;
		}
		if (cp == 0xFFFD && k == 1 && (unsigned char)s[i] >= 0x80) {
			memcpy(p + o, "\xEF\xBF\xBD", 3);
			o += 3;
		} else {
			memcpy(p + o, s + i, k);
			o += k;
		}
		i += k;
	}
	p[o] = 0;
	return p;
}

static int cmp_find(const void *x, const void *y)
{
	const fisc_audit_finding *a = x, *b = y;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	return strcmp(a->rule, b->rule);
}

static int cmp_claim(const void *x, const void *y)
{
	const fisc_audit_claim *a = x, *b = y;
	return a->line < b->line ? -1 : a->line > b->line;
}

static void copy_out(au_doc *d, fisc_arena *a, fisc_audit_report *r)
{
	r->path = dup_s(a, d->path ? d->path : "");
	r->kind = dup_s(a, d->kind ? d->kind : "unknown");
	r->title = dup_s(a, d->title ? d->title : "");
	r->nyears = d->nyears;
	memcpy(r->years, d->years, sizeof r->years);
	r->lines = d->nlines;
	r->facts = d->nfacts;
	r->rules_run = d->rules_run;

	r->findings = fisc_arena_alloc(a, (d->finds.n + 1) * sizeof *r->findings);
	if (!r->findings) {
		au_oom = 1;
		return;
	}
	for (size_t i = 0; i < d->finds.n; i++) {
		au_find *f = &d->finds.v[i];
		fisc_audit_finding *o = &r->findings[r->nfindings++];
		o->rule = dup_s(a, f->rule);
		o->severity = f->sev;
		o->line = f->line;
		o->text = dup_cut(a, f->text ? f->text : au_sent_text(d, f->sent, f->block), 1200);
		o->stated = dup_cut(a, f->stated, 200);
		o->computed = dup_cut(a, f->computed, 200);
		o->message_zh = dup_cut(a, f->zh ? f->zh : "", 4000);
		o->message_en = dup_cut(a, f->en ? f->en : "", 4000);
		int *ls = fisc_arena_alloc(a, (f->lines.n + 1) * sizeof(int));
		if (!ls) {
			au_oom = 1;
			return;
		}
		if (f->lines.n)
			memcpy(ls, f->lines.v, f->lines.n * sizeof(int));
		o->lines = ls;
		o->nlines = f->lines.n;
		if (f->sev == FISC_AUDIT_ERROR)
			r->errors++;
		else if (f->sev == FISC_AUDIT_WARNING)
			r->warnings++;
		else
			r->infos++;
	}
	qsort(r->findings, r->nfindings, sizeof *r->findings, cmp_find);

	r->claims = fisc_arena_alloc(a, (d->claims.n + 1) * sizeof *r->claims);
	if (!r->claims) {
		au_oom = 1;
		return;
	}
	for (size_t i = 0; i < d->claims.n; i++) {
		au_claim *c = &d->claims.v[i];
		if (!c->kind)
			continue;
		fisc_audit_claim *o = &r->claims[r->nclaims++];
		o->kind = kind_name(c->kind);
		o->line = c->line;
		o->verdict = c->verdict;
		o->stated = dup_s(a, c->stated);
		o->computed = dup_s(a, c->verdict == FISC_AUDIT_UNVERIFIABLE ? NULL : c->computed);
		o->expr = dup_s(a, c->expr);
		o->nparts = (size_t)c->nparts;
		r->checks.total++;
		switch (c->verdict) {
		case FISC_AUDIT_EXACT: r->checks.exact++; break;
		case FISC_AUDIT_WITHIN: r->checks.within_rounding++; break;
		case FISC_AUDIT_FAILED: r->checks.failed++; break;
		default: r->checks.unverifiable++; break;
		}
	}
	qsort(r->claims, r->nclaims, sizeof *r->claims, cmp_claim);
	r->checks.exact += d->rule_verdicts[0];
	r->checks.within_rounding += d->rule_verdicts[1];
	r->checks.failed += d->rule_verdicts[2];
	r->checks.total += d->rule_verdicts[0] + d->rule_verdicts[1] + d->rule_verdicts[2];
}

/* FISC_AUDIT_DEBUG=1: every figure with what the audit made of it. */
static void au_dump(au_doc *d, FILE *f)
{
	static const char *const kinds[] = {"?", "amt", "pct", "year", "pp"};
	for (size_t k = 0; k < d->toks.n; k++) {
		au_tok *t = &d->toks.v[k];
		if (t->kind < 1 || t->kind > 4)
			continue;
		fprintf(f, "L%-4d s%-4d %-4s %-14s role=%d conn=%d dep=%d used=%d item=%s ctx=%d/%d/%d/%d/%d fl=%x label=[%s] key=[%s]\n",
			t->line, t->sent, kinds[t->kind], au_span(d, t->beg, t->end), t->role, t->conn,
			t->depth, t->used, au_item_id(t->item), t->ctx.year, t->ctx.book, t->ctx.scope,
			t->ctx.phase, t->ctx.qual, t->flags, t->label ? t->label : "",
			t->key ? t->key : "");
	}
}

/* The audit of text[0, len). When `owned` is given it is the text's buffer,
** freed as soon as the text has been read: the normalised copy is all the
** later stages use, and a large file need not be held twice. */
static int audit(const char *path, const char *text, size_t len, char *owned,
		 const fisc_audit_opts *opts, fisc_arena *a, fisc_audit_report **out)
{
	*out = NULL;
	au_oom = 0;
	fisc_arena *w = fisc_arena_new();
	if (!w) {
		free(owned);
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	}
	au_doc d;
	memset(&d, 0, sizeof d);
	d.w = w;
	d.path = path;
	d.kind = "unknown";
	d.title = "";
	int rc = FISC_OK;
	int readable = au_read(&d, text ? text : "", text ? len : 0) == 0;
	free(owned);
	if (readable) {
		au_lex(&d);
		au_context(&d);
		au_tables(&d);
		au_fact_index(&d); /* labels, for claims that name a figure given before */
		au_claims(&d);
		au_fact_index(&d); /* facts: the figures of recognised claims */
		au_percents(&d);
		au_check_units(&d);
		au_fact_index(&d); /* a figure whose unit was repaired is no fact */
		au_evaluate(&d);
		au_check_shares(&d);
		au_check_restated(&d);
		au_check_years(&d);
		au_check_sections(&d);
		au_check_terms(&d);
		au_check_budget_gap(&d);
		if (getenv("FISC_AUDIT_DEBUG"))
			au_dump(&d, stderr);
		if (opts && opts->rules && !au_oom) {
			rc = au_bridge(&d, opts->datadir);
			if (rc != FISC_OK && rc != FISC_ENOMEM)
				rc = FISC_OK; /* the text-level audit stands on its own */
		}
	}
	fisc_audit_report *r = NULL;
	if (!au_oom && rc == FISC_OK) {
		r = fisc_arena_alloc(a, sizeof *r);
		if (!r)
			au_oom = 1;
		else
			copy_out(&d, a, r);
	}
	au_doc_free(&d);
	fisc_arena_free(w);
	if (au_oom)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	if (rc != FISC_OK)
		return rc;
	*out = r;
	return FISC_OK;
}

int fisc_audit_buffer(const char *path, const char *text, size_t len,
		      const fisc_audit_opts *opts, fisc_arena *a, fisc_audit_report **out)
{
	return audit(path, text, len, NULL, opts, a, out);
}

int fisc_audit_file(const char *path, const fisc_audit_opts *opts, fisc_arena *a,
		    fisc_audit_report **out)
{
	size_t len;
	*out = NULL;
	char *text = fisc_read_file(path, &len);
	if (!text)
		return fisc_error_set(FISC_EIO, "无法读取文件 %s：%s / cannot read %s: %s", path,
				      strerror(errno), path, strerror(errno));
	const char *why_zh = NULL, *why_en = NULL;
	if (len >= 4 && !memcmp(text, "%PDF", 4)) {
		why_zh = "这是PDF文件，不是文本";
		why_en = "it is a PDF file, not text";
	} else if (len >= 4 && !memcmp(text, "PK\x03\x04", 4)) {
		why_zh = "这是ZIP容器（XLSX/DOCX等），不是文本";
		why_en = "it is a ZIP container (XLSX, DOCX …), not text";
	} else if (len >= 4 && !memcmp(text, "\xD0\xCF\x11\xE0", 4)) {
		why_zh = "这是旧版Office文件（XLS/DOC），不是文本";
		why_en = "it is an old Office file (XLS, DOC), not text";
	} else if (memchr(text, 0, len < 4096 ? len : 4096)) {
		/* UTF-8 text has no NUL bytes; UTF-16 and binary files do */
		why_zh = "含有NUL字节：不是UTF-8文本（可能是UTF-16或二进制文件）";
		why_en = "it holds NUL bytes: not UTF-8 text (UTF-16 or a binary file)";
	}
	if (why_zh) {
		free(text);
		/* never "0 checks, 0 errors" on a file that was not read */
		return fisc_error_set(FISC_EIO, "无法读取文件 %s：%s / cannot read %s: %s", path, why_zh,
				      path, why_en);
	}
	return audit(path, text, len, text, opts, a, out); /* frees text */
}
