/*
** audit.c — one audit from text to report: read, lex, place in context,
** recognise claims, check, and copy the results into the caller's arena.
** All intermediate state lives in a working arena freed at the end.
*/
#include <errno.h>
#include <iconv.h>
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

/* The digits of token k as written, separators dropped ("883,868万元" →
** "883868"), into buf (cut at cap − 1). */
static void tok_digits_in(const au_doc *d, int k, char *buf, size_t cap)
{
	const au_tok *t = &d->toks.v[k];
	size_t m = 0, i = t->beg;
	while (i < t->end && !(d->s[i] >= '0' && d->s[i] <= '9'))
		i++;
	for (; i < t->end && m + 1 < cap; i++) {
		char ch = d->s[i];
		if ((ch >= '0' && ch <= '9') || ch == '.')
			buf[m++] = ch;
		else if (ch != ',')
			break;
	}
	while (m && buf[m - 1] == '.')
		m--;
	buf[m] = 0;
}

/* Where each figure sits for a reader who looks for it: its digits as
** written and which figure with those digits its line holds (1-based), so
** the annotated output can mark "the second 0.00 of line 7". Computed for
** every token at once by sorting (line run, digits, position): a paragraph
** of a million figures is one line, and counting back along it figure by
** figure was quadratic. */
typedef struct figpos {
	char *digits;        /* all tokens' digits, NUL-separated (malloc) */
	size_t *off;         /* token k's digits at digits + off[k] */
	int *nth;
} figpos;

typedef struct nthkey {
	size_t run, beg;     /* first token of its line's run; position */
	const char *dg;
	int k;
} nthkey;

static int cmp_nthkey(const void *x, const void *y)
{
	const nthkey *a = x, *b = y;
	if (a->run != b->run)
		return a->run < b->run ? -1 : 1;
	int c = strcmp(a->dg, b->dg);
	if (c)
		return c;
	return a->beg < b->beg ? -1 : a->beg > b->beg;
}

static void figpos_free(figpos *fp)
{
	free(fp->digits);
	free(fp->off);
	free(fp->nth);
	memset(fp, 0, sizeof *fp);
}

static int figpos_build(const au_doc *d, figpos *fp)
{
	size_t n = d->toks.n, cap = 0;
	memset(fp, 0, sizeof *fp);
	for (size_t k = 0; k < n; k++)
		cap += d->toks.v[k].end - d->toks.v[k].beg + 1;
	fp->digits = malloc(cap + 1);
	fp->off = malloc((n + 1) * sizeof *fp->off);
	fp->nth = malloc((n + 1) * sizeof *fp->nth);
	nthkey *keys = malloc((n + 1) * sizeof *keys);
	if (!fp->digits || !fp->off || !fp->nth || !keys) {
		free(keys);
		figpos_free(fp);
		return -1;
	}
	size_t used = 0, run = 0;
	for (size_t k = 0; k < n; k++) {
		const au_tok *t = &d->toks.v[k];
		size_t room = t->end - t->beg + 1;
		tok_digits_in(d, (int)k, fp->digits + used, room < 128 ? room : 128);
		fp->off[k] = used;
		used += strlen(fp->digits + used) + 1;
		/* the tokens of a line are contiguous (table cells follow the text) */
		if (k && d->toks.v[k - 1].line != t->line)
			run = k;
		keys[k] = (nthkey){run, t->beg, NULL, (int)k};
	}
	for (size_t k = 0; k < n; k++)
		keys[k].dg = fp->digits + fp->off[k];
	qsort(keys, n, sizeof *keys, cmp_nthkey);
	for (size_t i = 0; i < n; i++) {
		int same = i && keys[i - 1].run == keys[i].run && !strcmp(keys[i - 1].dg, keys[i].dg);
		fp->nth[keys[i].k] = same ? fp->nth[keys[i - 1].k] + 1 : 1;
	}
	free(keys);
	return 0;
}

static fisc_audit_figure claim_figure(const figpos *fp, fisc_arena *a, const au_doc *d, int k, int stated)
{
	return (fisc_audit_figure){d->toks.v[k].line, dup_s(a, fp->digits + fp->off[k]), fp->nth[k], stated};
}

/* The figures a claim involves: its stated one, then its inputs. */
static void claim_figures(au_doc *d, const figpos *fp, fisc_arena *a, const au_claim *c, fisc_audit_claim *o)
{
	size_t nk = 0, np = c->nparts > 0 ? (size_t)c->nparts : 0;
	fisc_audit_figure *f = fisc_arena_alloc(a, (np + 3) * sizeof *f);
	if (!f) {
		au_oom = 1;
		return;
	}
	if (c->total >= 0 && (size_t)c->total < d->toks.n)
		f[nk++] = claim_figure(fp, a, d, c->total, 1);
	for (size_t i = 0; i < np; i++)
		if (c->parts[i] >= 0 && (size_t)c->parts[i] < d->toks.n)
			f[nk++] = claim_figure(fp, a, d, c->parts[i], 0);
	if (c->kind == CK_PERCENT)
		for (int k = 0; k < 2; k++) {
			int t = k ? c->b : c->a;
			if (t >= 0 && (size_t)t < d->toks.n && t != c->total)
				f[nk++] = claim_figure(fp, a, d, t, 0);
		}
	o->figures = f;
	o->nfigures = nk;
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
	figpos fp;
	if (figpos_build(d, &fp)) {
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
		claim_figures(d, &fp, a, c, o);
		r->checks.total++;
		switch (c->verdict) {
		case FISC_AUDIT_EXACT: r->checks.exact++; break;
		case FISC_AUDIT_WITHIN: r->checks.within_rounding++; break;
		case FISC_AUDIT_FAILED: r->checks.failed++; break;
		default: r->checks.unverifiable++; break;
		}
	}
	figpos_free(&fp);
	qsort(r->claims, r->nclaims, sizeof *r->claims, cmp_claim);
	/* the engine's checks apart: `checks` counts what --claims lists */
	r->rule_checks.exact = d->rule_verdicts[0];
	r->rule_checks.within_rounding = d->rule_verdicts[1];
	r->rule_checks.failed = d->rule_verdicts[2];
	r->rule_checks.total = d->rule_verdicts[0] + d->rule_verdicts[1] + d->rule_verdicts[2];
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
	/* Pages: a form feed (pdf.c writes one before each page after the
	** first, as pdftotext does) begins a page on its line. */
	AU_VEC(int) pages = {0};
	if (text && memchr(text, '\f', len)) {
		int line = 1;
		for (size_t i = 0; i < len; i++) {
			if (text[i] == '\n') {
				line++;
			} else if (text[i] == '\f') {
				*AU_PUSH_HEAP(pages) = line;
				/* a page with nothing written on it */
				size_t j = i + 1;
				while (j < len && (text[j] == '\n' || text[j] == ' '))
					j++;
				if (j == len || text[j] == '\f')
					*AU_PUSH(w, d.blank_lines) = line;
			} else if (text[i] == '\v') {
				/* pdf.c: the page's text runs past its edge */
				*AU_PUSH(w, d.clipped_lines) = line;
			}
		}
	}
	d.paged = pages.n > 0;
	int readable = au_read(&d, text ? text : "", text ? len : 0) == 0;
	/* the text as read, for the forms that show it (html, a PDF's notes) */
	char *source = fisc_arena_alloc(a, (text ? len : 0) + 1);
	if (source) {
		if (text)
			memcpy(source, text, len);
		source[text ? len : 0] = 0;
	}
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
		/* a disclosure's outline is its standard tables (disclosure.c):
		** the generic section check would read every empty table row
		** ("十、节能环保支出") as an empty section */
		if (au_disclosure_kind(&d))
			au_disclosure(&d);
		else
			au_check_sections(&d);
		au_check_terms(&d);
		au_check_budget_gap(&d);
		if (getenv("FISC_AUDIT_DEBUG"))
			au_dump(&d, stderr);
		if (getenv("FISC_AUDIT_DEBUG_TABLES"))
			au_disclosure_dump(&d);
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
		if (r && source) {
			r->source = source;
			r->source_len = text ? len : 0;
		} else if (r) {
			au_oom = 1;
		}
	}
	const int *pagestart = pages.v;
	size_t npages = pages.n;
	if (r && npages && !au_oom) {
		for (size_t i = 0; i < r->nfindings; i++) {
			fisc_audit_finding *f = &r->findings[i];
			size_t p = 0; /* page starts at or before the finding's line */
			while (p < npages && pagestart[p] <= f->line)
				p++;
			f->page = (int)p + 1;
			f->page_line = f->line - (p ? pagestart[p - 1] : 1) + 1;
		}
	}
	free(pages.v);
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

/* Is s[0, n) UTF-8 throughout (as jansson and utf8proc take it)? */
static int is_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t k = au_utf8_dec(s + i, n - i, &cp);
		if (cp == 0xFFFD && k == 1)
			return 0;
		i += k;
	}
	return 1;
}

/* Bytes that are not part of a UTF-8 character. */
static size_t bad_bytes(const char *s, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = (unsigned char)s[i] < 0x80 ? 1 : au_utf8_dec(s + i, n - i, &cp);
		if (k == 1 && (unsigned char)s[i] >= 0x80)
			bad++;
		i += k;
	}
	return bad;
}

/* The whole of in[0, n) converted from `from` to UTF-8 with iconv, or NULL
** when a byte sequence is not of that encoding (no guessing past one). */
static char *iconv_utf8(const char *from, const char *in, size_t n, size_t *outn)
{
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = n * 2 + 16; /* UTF-16 → UTF-8 grows by at most 3/2, GB18030 by 2 */
	char *out = malloc(cap + 1);
	char *ip = (char *)in, *op = out;
	size_t il = n, ol = cap;
	if (out && iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
		free(out);
		out = NULL;
	}
	if (out && iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1) {
		free(out);
		out = NULL;
	}
	iconv_close(cd);
	if (out) {
		*op = 0;
		*outn = (size_t)(op - out);
	}
	return out;
}

/* Which of UTF-16LE / UTF-16BE the NUL bytes of a BOM-less text point to:
** ASCII and line breaks put them at odd (LE) or even (BE) offsets. NULL if
** neither (a binary file). */
static const char *utf16_by_nuls(const char *t, size_t len)
{
	size_t n = len < 4096 ? len : 4096, odd = 0, even = 0;
	for (size_t i = 0; i < n; i++)
		if (!t[i]) {
			if (i & 1)
				odd++;
			else
				even++;
		}
	if (odd * 4 >= n / 2 && even * 20 < odd)
		return "UTF-16LE";
	if (even * 4 >= n / 2 && odd * 20 < even)
		return "UTF-16BE";
	return NULL;
}

int au_decode(const char *path, char **textp, size_t *lenp)
{
	char *text = *textp;
	size_t len = *lenp;
	const char *why_zh = NULL, *why_en = NULL, *enc = NULL;
	size_t skip = 0;
	char *t2 = NULL;
	size_t n2 = 0;
	int rc = -1;
	/* "%PDF" may follow a few bytes of junk (a mail header, a BOM) */
	if (len >= 5 && memmem(text, len < 1024 ? len : 1024, "%PDF-", 5))
		rc = au_pdf_text(path, text, len, &t2, &n2);
	else if (au_is_html(text, len))
		rc = au_html_text(path, text, len, &t2, &n2);
	if (rc == -1 && len >= 4 && !memcmp(text, "PK\x03\x04", 4)) /* Word, or says why not */
		rc = au_docx_text(path, text, len, &t2, &n2);
	if (rc != -1) {
		if (rc != FISC_OK)
			return rc;
		free(text);
		*textp = t2;
		*lenp = n2;
		return FISC_OK;
	}
	if (len >= 4 && !memcmp(text, "\xD0\xCF\x11\xE0", 4)) {
		why_zh = "这是旧版Office文件（XLS/DOC），不是文本";
		why_en = "it is an old Office file (XLS, DOC), not text";
	} else if (len >= 2 && !memcmp(text, "\xFF\xFE", 2)) {
		enc = "UTF-16LE", skip = 2;
	} else if (len >= 2 && !memcmp(text, "\xFE\xFF", 2)) {
		enc = "UTF-16BE", skip = 2;
	} else if (memchr(text, 0, len < 4096 ? len : 4096)) {
		/* UTF-8 and GB18030 text have no NUL bytes; UTF-16 and binary files do */
		enc = utf16_by_nuls(text, len);
		if (!enc) {
			why_zh = "含有NUL字节：既不是UTF-8/GB18030文本，也不是UTF-16文本（可能是二进制文件）";
			why_en = "it holds NUL bytes: neither UTF-8/GB18030 nor UTF-16 text (a binary file?)";
		}
	} else if (!is_utf8(text, len)) {
		/* GBK and GB18030 (its superset) are what Chinese text that is not
		** UTF-8 is written in; take it only if every byte converts, else
		** read it as UTF-8 with the bad bytes replaced */
		size_t n2;
		char *u = iconv_utf8("GB18030", text, len, &n2);
		if (u) {
			free(text);
			text = u;
			len = n2;
		} else if (bad_bytes(text, len) * 100 > len) {
			why_zh = "不是已知编码的文本（UTF-8、GB18030/GBK、UTF-16均不符）";
			why_en = "it is not text in a known encoding (not UTF-8, GB18030/GBK or UTF-16)";
		}
	}
	if (enc && !why_zh) {
		size_t n2;
		char *u = iconv_utf8(enc, text + skip, len - skip, &n2);
		if (u) {
			free(text);
			text = u;
			len = n2;
		} else {
			why_zh = "看似UTF-16文本，但无法转换为UTF-8";
			why_en = "it looks like UTF-16 text but does not convert to UTF-8";
		}
	}
	*textp = text;
	*lenp = len;
	if (why_zh) {
		/* never "0 checks, 0 errors" on a file that was not read */
		return fisc_error_set(FISC_EIO, "无法读取文件 %s：%s / cannot read %s: %s", path, why_zh,
				      path, why_en);
	}
	return FISC_OK;
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
	int rc = au_decode(path, &text, &len);
	if (rc != FISC_OK) {
		free(text);
		return rc;
	}
	return audit(path, text, len, text, opts, a, out); /* frees text */
}
