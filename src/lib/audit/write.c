/*
** write.c — audit reports as text (one block per finding: where, the quoted
** sentence, what is stated and what it should be, why — in Chinese with an
** English line) or as JSON (docs/formats.md §8).
*/
#include <jansson.h>
#include <string.h>
#include "fisc/audit.h"
#include "fisc/error.h"

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
	fprintf(out, "%zu checks: %zu exact, %zu within rounding, %zu failed, %zu unverifiable; %zu errors, %zu warnings, %zu infos\n\n",
		c->total, c->exact, c->within_rounding, c->failed, c->unverifiable, r->errors,
		r->warnings, r->infos);
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *report_json(const fisc_audit_report *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(r->path));
	json_object_set_new(o, "kind", json_string(r->kind));
	json_t *fs = json_array();
	for (size_t i = 0; i < r->nfindings; i++) {
		const fisc_audit_finding *f = &r->findings[i];
		json_t *j = json_object();
		json_object_set_new(j, "rule", json_string(f->rule));
		json_object_set_new(j, "severity", json_string(sev_code(f->severity)));
		json_object_set_new(j, "line", json_integer(f->line));
		json_object_set_new(j, "text", json_string(f->text ? f->text : ""));
		json_object_set_new(j, "stated", str_or_null(f->stated));
		json_object_set_new(j, "computed", str_or_null(f->computed));
		json_object_set_new(j, "message_zh", json_string(f->message_zh));
		json_object_set_new(j, "message_en", json_string(f->message_en));
		json_array_append_new(fs, j);
	}
	json_object_set_new(o, "findings", fs);
	json_t *c = json_object();
	json_object_set_new(c, "total", json_integer((json_int_t)r->checks.total));
	json_object_set_new(c, "exact", json_integer((json_int_t)r->checks.exact));
	json_object_set_new(c, "within_rounding", json_integer((json_int_t)r->checks.within_rounding));
	json_object_set_new(c, "failed", json_integer((json_int_t)r->checks.failed));
	json_object_set_new(c, "unverifiable", json_integer((json_int_t)r->checks.unverifiable));
	json_object_set_new(o, "checks", c);
	return o;
}

int fisc_audit_write(fisc_audit_report *const *reps, size_t n, const char *format, FILE *out)
{
	if (!format || !strcmp(format, "text")) {
		for (size_t i = 0; i < n; i++)
			write_text(reps[i], out);
		return ferror(out) ? fisc_error_set(FISC_EIO, "写入失败 / write failed") : FISC_OK;
	}
	if (strcmp(format, "json"))
		return fisc_error_set(FISC_EINVAL, "未知格式 %s（text 或 json）/ unknown format %s (text or json)",
				      format, format);
	json_t *root = json_object();
	json_t *files = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(files, report_json(reps[i]));
	json_object_set_new(root, "files", files);
	int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	fputc('\n', out);
	if (rc != 0 || ferror(out))
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
