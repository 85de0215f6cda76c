/*
** write.c — audit reports as text (one block per finding: where, the quoted
** sentence, what is stated and what it should be, why — in Chinese with an
** English line) or as JSON (docs/formats.md §8); HTML is annotate.c's.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/audit.h"
#include "fisc/error.h"
#include "audit/internal.h"

static const char *sev_code(int s)
{
	return s == FISC_AUDIT_ERROR ? "error" : s == FISC_AUDIT_WARNING ? "warning" : "info";
}

static const char *sev_zh(int s)
{
	return s == FISC_AUDIT_ERROR ? "错误" : s == FISC_AUDIT_WARNING ? "警告" : "提示";
}

static void write_text(const fisc_audit_report *r, FILE *out)
{
	fprintf(out, "== %s ==\n", r->path);
	fprintf(out, "文件类型 kind: %s；年度 years:", r->kind);
	for (int i = 0; i < r->nyears; i++)
		fprintf(out, " %d", r->years[i]);
	fprintf(out, "%s；%d 行 lines\n\n", r->nyears ? "" : " —", r->lines);
	for (size_t i = 0; i < r->nfindings; i++) {
		const fisc_audit_finding *f = &r->findings[i];
		fprintf(out, "%s:%d: %s %s [%s]\n", r->path, f->line, sev_zh(f->severity),
			sev_code(f->severity), f->rule);
		if (f->page)
			fprintf(out, "  位置 where: 第%d页第%d行 / page %d line %d\n", f->page, f->page_line,
				f->page, f->page_line);
		if (f->text && *f->text)
			fprintf(out, "  「%s」\n", f->text);
		if (f->stated && f->computed)
			fprintf(out, "  表述 stated: %s    应为 should be: %s\n", f->stated, f->computed);
		else if (f->stated)
			fprintf(out, "  表述 stated: %s\n", f->stated);
		fprintf(out, "  %s\n  %s\n\n", f->message_zh, f->message_en);
	}
	const fisc_audit_checks *c = &r->checks;
	fprintf(out, "检查 %zu 项：一致 %zu，舍入范围内 %zu，不符 %zu，无法核对 %zu；错误 %zu，警告 %zu，提示 %zu\n",
		c->total, c->exact, c->within_rounding, c->failed, c->unverifiable, r->errors,
		r->warnings, r->infos);
	fprintf(out, "%zu checks: %zu exact, %zu within rounding, %zu failed, %zu unverifiable; %zu errors, %zu warnings, %zu infos\n",
		c->total, c->exact, c->within_rounding, c->failed, c->unverifiable, r->errors,
		r->warnings, r->infos);
	if (r->rules_run) {
		const fisc_audit_checks *g = &r->rule_checks;
		fprintf(out, "规则引擎另核对 %zu 项：一致 %zu，舍入范围内 %zu，不符 %zu\n", g->total, g->exact,
			g->within_rounding, g->failed);
		fprintf(out, "the rule engine checked %zu more: %zu exact, %zu within rounding, %zu failed\n",
			g->total, g->exact, g->within_rounding, g->failed);
	}
	fputc('\n', out);
}

/* ---- JSON ------------------------------------------------------------------- */

/* The JSON is written as it is produced, in exactly the form jansson's
** json_dumpf(JSON_INDENT(1) | JSON_PRESERVE_ORDER) gave when this writer
** built a tree first, which for a large file's thousands of findings cost
** more than some of the checks: one space of indent a level, ": " after a
** key, "[]" for an empty list, strings escaped as jansson escapes them, and
** a member whose string jansson refuses (invalid UTF-8) left out. */

typedef struct jw {
	FILE *out;
	int depth;            /* of the container being written */
	int first[8];         /* by depth: nothing written in it yet */
	char buf[1 << 16];    /* written out in blocks */
	size_t n;
} jw;

static void jw_flush(jw *w)
{
	if (w->n)
		fwrite(w->buf, 1, w->n, w->out);
	w->n = 0;
}

static void jw_put(jw *w, const char *s, size_t n)
{
	if (w->n + n > sizeof w->buf) {
		jw_flush(w);
		if (n > sizeof w->buf) {
			fwrite(s, 1, n, w->out);
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

static void jw_puts(jw *w, const char *s) { jw_put(w, s, strlen(s)); }

/* A newline and the indent of the current depth. */
static void jw_indent(jw *w, int depth)
{
	jw_put(w, "\n", 1);
	for (int i = 0; i < depth; i++)
		jw_put(w, " ", 1);
}

static void jw_open(jw *w, const char *c)
{
	jw_puts(w, c);
	w->depth++;
	w->first[w->depth] = 1;
}

static void jw_close(jw *w, const char *c)
{
	if (!w->first[w->depth])
		jw_indent(w, w->depth - 1);
	jw_puts(w, c);
	w->depth--;
}

/* Before each member of an object or element of a list. */
static void jw_item(jw *w)
{
	if (!w->first[w->depth])
		jw_put(w, ",", 1);
	w->first[w->depth] = 0;
	jw_indent(w, w->depth);
}

/* UTF-8 as jansson accepts it in a string: no overlong forms, surrogates or
** code points beyond U+10FFFF. */
static int utf8_valid(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		size_t k;
		uint32_t v;
		if (u[0] < 0x80) {
			u++;
			continue;
		} else if (u[0] >= 0xC2 && u[0] <= 0xDF) {
			k = 2, v = u[0] & 0x1F;
		} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
			k = 3, v = u[0] & 0x0F;
		} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
			k = 4, v = u[0] & 0x07;
		} else {
			return 0;
		}
		for (size_t i = 1; i < k; i++) {
			if (u[i] < 0x80 || u[i] > 0xBF)
				return 0; /* also the end of the string */
			v = v << 6 | (u[i] & 0x3F);
		}
		if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || (k == 2 && v < 0x80) ||
		    (k == 3 && v < 0x800) || (k == 4 && v < 0x10000))
			return 0;
		u += k;
	}
	return 1;
}

static void jw_string(jw *w, const char *s)
{
	jw_put(w, "\"", 1);
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c != '"' && c != '\\' && c >= 0x20)
			continue;
		jw_put(w, run, (size_t)(s - run));
		run = s + 1;
		char esc[8];
		switch (c) {
		case '"': jw_puts(w, "\\\""); break;
		case '\\': jw_puts(w, "\\\\"); break;
		case '\b': jw_puts(w, "\\b"); break;
		case '\f': jw_puts(w, "\\f"); break;
		case '\n': jw_puts(w, "\\n"); break;
		case '\r': jw_puts(w, "\\r"); break;
		case '\t': jw_puts(w, "\\t"); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04X", c);
			jw_puts(w, esc);
		}
	}
	jw_put(w, run, (size_t)(s - run));
	jw_put(w, "\"", 1);
}

static void jw_key(jw *w, const char *key)
{
	jw_item(w);
	jw_string(w, key);
	jw_put(w, ": ", 2);
}

/* A string member; left out when s is NULL or not valid UTF-8 (jansson's
** json_string refused it and json_object_set_new set nothing). */
static void jw_str_member(jw *w, const char *key, const char *s)
{
	if (!s || !utf8_valid(s))
		return;
	jw_key(w, key);
	jw_string(w, s);
}

/* The same, but null when s is NULL. */
static void jw_str_or_null(jw *w, const char *key, const char *s)
{
	if (s) {
		jw_str_member(w, key, s);
		return;
	}
	jw_key(w, key);
	jw_puts(w, "null");
}

static void jw_int_member(jw *w, const char *key, long long v)
{
	char num[32];
	snprintf(num, sizeof num, "%lld", v);
	jw_key(w, key);
	jw_puts(w, num);
}

static void report_json(jw *w, const fisc_audit_report *r)
{
	jw_item(w);
	jw_open(w, "{");
	jw_str_member(w, "path", r->path);
	jw_str_member(w, "kind", r->kind);
	jw_key(w, "findings");
	jw_open(w, "[");
	for (size_t i = 0; i < r->nfindings; i++) {
		const fisc_audit_finding *f = &r->findings[i];
		jw_item(w);
		jw_open(w, "{");
		jw_str_member(w, "rule", f->rule);
		jw_str_member(w, "severity", sev_code(f->severity));
		jw_int_member(w, "line", f->line);
		if (f->page) {
			jw_int_member(w, "page", f->page);
			jw_int_member(w, "page_line", f->page_line);
		}
		jw_str_member(w, "text", f->text ? f->text : "");
		jw_str_or_null(w, "stated", f->stated);
		jw_str_or_null(w, "computed", f->computed);
		jw_str_member(w, "message_zh", f->message_zh);
		jw_str_member(w, "message_en", f->message_en);
		jw_close(w, "}");
	}
	jw_close(w, "]");
	jw_key(w, "checks");
	jw_open(w, "{");
	jw_int_member(w, "total", (long long)r->checks.total);
	jw_int_member(w, "exact", (long long)r->checks.exact);
	jw_int_member(w, "within_rounding", (long long)r->checks.within_rounding);
	jw_int_member(w, "failed", (long long)r->checks.failed);
	jw_int_member(w, "unverifiable", (long long)r->checks.unverifiable);
	jw_close(w, "}");
	jw_key(w, "rule_checks");
	jw_open(w, "{");
	jw_int_member(w, "total", (long long)r->rule_checks.total);
	jw_int_member(w, "exact", (long long)r->rule_checks.exact);
	jw_int_member(w, "within_rounding", (long long)r->rule_checks.within_rounding);
	jw_int_member(w, "failed", (long long)r->rule_checks.failed);
	jw_close(w, "}");
	jw_close(w, "}");
}

int fisc_audit_write(fisc_audit_report *const *reps, size_t n, const char *format, FILE *out)
{
	if (!format || !strcmp(format, "text")) {
		for (size_t i = 0; i < n; i++)
			write_text(reps[i], out);
		return ferror(out) ? fisc_error_set(FISC_EIO, "写入失败 / write failed") : FISC_OK;
	}
	if (!strcmp(format, "html"))
		return au_write_html(reps, n, out);
	if (strcmp(format, "json"))
		return fisc_error_set(FISC_EINVAL, "未知格式 %s（text、json 或 html）/ unknown format %s (text, json or html)",
				      format, format);
	jw *w = malloc(sizeof *w);
	if (!w)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	w->out = out;
	w->depth = 0;
	w->n = 0;
	jw_open(w, "{");
	jw_key(w, "files");
	jw_open(w, "[");
	for (size_t i = 0; i < n; i++)
		report_json(w, reps[i]);
	jw_close(w, "]");
	jw_close(w, "}");
	jw_put(w, "\n", 1);
	jw_flush(w);
	free(w);
	if (ferror(out))
		return fisc_error_set(FISC_EIO, "写入失败 / write failed");
	return FISC_OK;
}

int fisc_audit_write_claims(const fisc_audit_report *r, FILE *out)
{
	fprintf(out, "-- %s: %zu 项核对 / claims --\n", r->path, r->nclaims);
	for (size_t i = 0; i < r->nclaims; i++) {
		const fisc_audit_claim *c = &r->claims[i];
		fprintf(out, "%s:%d\t%s\t%s\t%s\t%s\t%s\n", r->path, c->line, c->kind,
			fisc_audit_verdict_code(c->verdict), c->stated ? c->stated : "",
			c->computed ? c->computed : "", c->expr ? c->expr : "");
	}
	return ferror(out) ? fisc_error_set(FISC_EIO, "写入失败 / write failed") : FISC_OK;
}
