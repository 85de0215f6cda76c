/*
** write.c — findings rendered for people (text: grouped by region and book,
** Chinese with an English line, the source lines quoted) and for programs
** (JSON, documented in docs/formats.md §6; keys are stable and additions
** only ever append keys). Also the rule registry, for `fisc check --rules`.
*/
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "fisc/error.h"
#include "fisc/rules.h"
#include "report/render.h"

const char *fisc_severity_code(int s)
{
	static const char *const v[] = {"pass", "info", "warning", "error"};
	return s >= 0 && s <= 3 ? v[s] : "?";
}

const char *fisc_severity_name(int s)
{
	static const char *const v[] = {"通过", "提示", "警告", "错误"};
	return s >= 0 && s <= 3 ? v[s] : "?";
}

const char *fisc_verdict_code(int v)
{
	static const char *const n[] = {"exact", "within_rounding", "failed"};
	return v >= 0 && v <= 2 ? n[v] : "?";
}

/* The fewest decimals that print fen exactly in unit. */
static void amt(fisc_fen fen, int unit, char *buf, size_t cap)
{
	static const int maxdec[3] = {2, 6, 10};
	if (unit < 0 || unit > 2)
		unit = FISC_UNIT_WAN;
	fisc_fen step = fisc_unit_fen((fisc_unit)unit);
	int d = 0;
	while (d < maxdec[unit] && fen % step != 0) {
		step /= 10;
		d++;
	}
	fisc_fen_format(fen, (fisc_unit)unit, d, FISC_FMT_UNIT, buf, cap);
}

static const char *book_zh(int b)
{
	return b < 0 ? "跨预算" : b == FISC_BOOK_ALL ? "全口径（政府债务）" : fisc_book_name((fisc_book)b);
}

static const char *book_en(int b)
{
	static const char *const v[] = {"all books (government debt)", "general public budget",
					"government fund budget", "state capital operations budget",
					"social insurance fund budget"};
	return b < 0 ? "across books" : b <= 4 ? v[b] : "?";
}

/* ---- text ----------------------------------------------------------------- */

static void fact_line(const fisc_finding_fact *ff, FILE *out)
{
	const fisc_fact *f = &ff->fact;
	char a[80] = "（空）";
	if (f->has_amount)
		fisc_amount_format(&f->amount, FISC_FMT_UNIT, a, sizeof a);
	fprintf(out, "      · %-34s %d %s %s %s %s%s%s%s %s [%s, %s]\n",
		*f->source ? f->source : "（无来源 no source）", f->year,
		fisc_scope_name((fisc_scope)f->scope),
		f->book == FISC_BOOK_ALL ? "全口径" : fisc_book_name((fisc_book)f->book),
		fisc_phase_name((fisc_phase)f->phase), ff->item_name,
		*f->project || *f->fund || *f->econ ? "（" : "",
		*f->project ? f->project : *f->fund ? f->fund : f->econ,
		*f->project || *f->fund || *f->econ ? "）" : "", a,
		f->kind == FISC_FACT_STATED ? "表述 stated" : "数据 base", ff->role);
}

/* Findings name regions, departments and items from imported files: a name
** holding a terminal escape or a bidi override must reach the terminal as
** visible text ("\x1b"), never raw. Each finding is formatted into a buffer
** and written through fisc_put_text, which keeps the line breaks and shows
** every invisible character; a buffer per finding keeps memory flat. */
typedef struct text_sink {
	FILE *final;
	FILE *mem;
	char *buf;
	size_t len;
} text_sink;

static FILE *sink_open(text_sink *t)
{
	t->buf = NULL;
	t->len = 0;
	t->mem = open_memstream(&t->buf, &t->len);
	return t->mem;
}

/* Writes what the sink holds and starts it anew; NULL when out of memory. */
static FILE *sink_flush(text_sink *t)
{
	int ok = fclose(t->mem) == 0;
	if (ok)
		fisc_put_text(t->buf, FISC_TEXT_NEWLINES, t->final);
	free(t->buf);
	t->mem = NULL;
	return ok ? sink_open(t) : NULL;
}

static int write_text(const fisc_findings *fs, FILE *final)
{
	text_sink t = {final, NULL, NULL, 0};
	FILE *out = sink_open(&t);
	if (!out)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	const char *region = NULL, *dept = "";
	int book = -99;
	size_t rstart = 0;
	size_t counts[4] = {0};
	for (size_t i = 0; i <= fs->n; i++) {
		const fisc_finding *f = i < fs->n ? &fs->v[i] : NULL;
		if (region && (!f || strcmp(f->region.code, region) != 0)) {
			fprintf(out, "  %s：%zu 错误，%zu 警告，%zu 提示 | %zu errors, %zu warnings, %zu info\n\n",
				fs->v[rstart].region.name, counts[3], counts[2], counts[1], counts[3],
				counts[2], counts[1]);
			memset(counts, 0, sizeof counts);
		}
		if (!f)
			break;
		if (!region || strcmp(f->region.code, region) != 0) {
			fprintf(out, "%s（%s）\n", f->region.name, f->region.code);
			region = f->region.code;
			rstart = i;
			book = -99;
		}
		if (f->book != book || strcmp(f->dept, dept) != 0) {
			fprintf(out, "  %s%s%s%s | %s\n", book_zh(f->book), *f->dept ? "（" : "", f->dept,
				*f->dept ? "）" : "", book_en(f->book));
			book = f->book;
			dept = f->dept;
		}
		counts[f->severity]++;
		fprintf(out, "    [%s %s] %s", fisc_severity_name(f->severity),
			fisc_severity_code(f->severity), f->rule);
		if (f->year_from)
			fprintf(out, "  %d→%d", f->year_from, f->year);
		else
			fprintf(out, "  %d", f->year);
		fprintf(out, " %s %s\n", fisc_scope_name((fisc_scope)f->scope),
			f->phase ? fisc_phase_name((fisc_phase)f->phase) : "");
		fprintf(out, "      %s\n      %s\n", f->message_zh, f->message_en);
		for (size_t k = 0; k < f->nfacts; k++)
			fact_line(&f->facts[k], out);
		if (f->nfacts_omitted)
			fprintf(out, "      · 另有 %zu 条事实未列出 | %zu more facts not listed\n",
				f->nfacts_omitted, f->nfacts_omitted);
		if (!(out = sink_flush(&t)))
			return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	}
	if (!fs->n)
		fprintf(out, "未发现问题 | no findings\n");
	fprintf(out, "合计：%zu 错误，%zu 警告，%zu 提示；%zu 项检查（%zu 相符，%zu 在舍入误差内，%zu 不符）；读取 %zu 条事实\n",
		fs->severities[3], fs->severities[2], fs->severities[1], fs->checks,
		fs->verdicts[0], fs->verdicts[1], fs->verdicts[2], fs->facts);
	fprintf(out, "total: %zu errors, %zu warnings, %zu info; %zu checks (%zu exact, %zu within rounding, %zu failed); %zu facts read\n",
		fs->severities[3], fs->severities[2], fs->severities[1], fs->checks,
		fs->verdicts[0], fs->verdicts[1], fs->verdicts[2], fs->facts);
	int ok = fclose(out) == 0;
	if (ok)
		fisc_put_text(t.buf, FISC_TEXT_NEWLINES, final);
	free(t.buf);
	if (!ok)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	return ferror(final) ? fisc_error_set(FISC_EIO, "写出失败 / write failed") : FISC_OK;
}

/* ---- JSON ----------------------------------------------------------------- */

static json_t *str_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

static json_t *side(int has, fisc_fen fen, fisc_fen width, int unit)
{
	if (!has)
		return json_null();
	char t[80];
	amt(fen, unit, t, sizeof t);
	return json_pack("{s:I, s:I, s:s}", "fen", (json_int_t)fen, "width_fen", (json_int_t)width,
			 "text", t);
}

static json_t *fact_json(const fisc_finding_fact *ff)
{
	const fisc_fact *f = &ff->fact;
	json_t *amount = json_null();
	if (f->has_amount) {
		char t[80];
		fisc_amount_format(&f->amount, FISC_FMT_UNIT, t, sizeof t);
		amount = json_pack("{s:I, s:I, s:s}", "fen", (json_int_t)f->amount.fen, "ulp",
				   (json_int_t)f->amount.ulp, "text", t);
	}
	return json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "id", (json_int_t)f->id, "role", ff->role, "year", (int)f->year, "scope",
			 fisc_scope_code((fisc_scope)f->scope), "book", fisc_book_code((fisc_book)f->book),
			 "phase", fisc_phase_code((fisc_phase)f->phase), "kind",
			 fisc_kind_code((fisc_fact_kind)f->kind), "item", f->item, "name", ff->item_name,
			 "department", str_or_null(f->dept), "project", str_or_null(f->project),
			 "economic", str_or_null(f->econ), "fund_source", str_or_null(f->fund),
			 "amount", amount, "source", str_or_null(f->source));
}

static json_t *finding_json(const fisc_finding *f)
{
	json_t *facts = json_array();
	for (size_t k = 0; k < f->nfacts; k++)
		json_array_append_new(facts, fact_json(&f->facts[k]));
	return json_pack(
		"{s:s, s:s, s:s, s:{s:s, s:s}, s:i, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:s, s:o, s:s, s:s, s:o, s:I}",
		"rule", f->rule, "severity", fisc_severity_code(f->severity), "verdict",
		fisc_verdict_code(f->verdict), "region", "code", f->region.code, "name",
		f->region.name, "year", f->year, "year_from",
		f->year_from ? json_integer(f->year_from) : json_null(), "book",
		f->book >= 0 ? json_string(fisc_book_code((fisc_book)f->book)) : json_null(), "scope",
		fisc_scope_code((fisc_scope)f->scope), "phase",
		f->phase ? json_string(fisc_phase_code((fisc_phase)f->phase)) : json_null(),
		"department", str_or_null(f->dept), "stated",
		side(f->has_stated, f->stated, f->stated_ulp, f->unit), "computed",
		side(f->has_computed, f->computed, f->computed_ulp, f->unit), "difference_fen",
		f->has_stated && f->has_computed ? json_integer(f->difference) : json_null(),
		"tolerance_fen", (json_int_t)f->tolerance, "unit", fisc_unit_name((fisc_unit)f->unit),
		"percent", str_or_null(f->percent), "message_zh", f->message_zh, "message_en",
		f->message_en, "facts", facts, "facts_omitted", (json_int_t)f->nfacts_omitted);
}

static int dump(json_t *root, FILE *out)
{
	if (!root)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0
			 ? FISC_OK
			 : fisc_error_set(FISC_EIO, "写出失败 / write failed");
	fputc('\n', out);
	json_decref(root);
	return rc;
}

/* Print a JSON value pretty, every line but the first indented by `indent`:
** findings are written one at a time, so memory does not grow with them. */
static int put_indented(json_t *v, int indent, FILE *out)
{
	if (!v)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(v);
	if (!s)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	for (const char *p = s; *p; p++) {
		fputc(*p, out);
		if (*p == '\n')
			fprintf(out, "%*s", indent, "");
	}
	free(s);
	return FISC_OK;
}

static int write_json(const fisc_findings *fs, FILE *out)
{
	int rc;
	fprintf(out, "{\n  \"format\": \"fisc-check/1\",\n  \"selection\": ");
	if ((rc = put_indented(json_pack("{s:o, s:o}", "region", str_or_null(fs->region), "year",
					 fs->year ? json_integer(fs->year) : json_null()),
			       2, out)))
		return rc;
	fprintf(out, ",\n  \"summary\": ");
	if ((rc = put_indented(
		     json_pack("{s:I, s:I, s:{s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I}}", "facts",
			       (json_int_t)fs->facts, "checks", (json_int_t)fs->checks, "verdicts",
			       "exact", (json_int_t)fs->verdicts[0], "within_rounding",
			       (json_int_t)fs->verdicts[1], "failed", (json_int_t)fs->verdicts[2],
			       "findings", "error", (json_int_t)fs->severities[3], "warning",
			       (json_int_t)fs->severities[2], "info", (json_int_t)fs->severities[1],
			       "pass", (json_int_t)fs->severities[0]),
		     2, out)))
		return rc;
	fprintf(out, ",\n  \"findings\": [%s", fs->n ? "\n    " : "");
	for (size_t i = 0; i < fs->n; i++) {
		if ((rc = put_indented(finding_json(&fs->v[i]), 4, out)))
			return rc;
		fprintf(out, "%s", i + 1 < fs->n ? ",\n    " : "\n  ");
	}
	fprintf(out, "]\n}\n");
	return ferror(out) ? fisc_error_set(FISC_EIO, "写出失败 / write failed") : FISC_OK;
}

int fisc_findings_write(const fisc_findings *f, const char *format, FILE *out)
{
	if (!format || !strcmp(format, "text"))
		return write_text(f, out);
	if (!strcmp(format, "json"))
		return write_json(f, out);
	return fisc_error_set(FISC_EINVAL, "未知格式「%s」/ unknown format '%s' (text, json)", format,
			      format);
}

int fisc_rules_write(const char *format, FILE *out)
{
	int json = format && !strcmp(format, "json");
	if (format && !json && strcmp(format, "text"))
		return fisc_error_set(FISC_EINVAL, "未知格式「%s」/ unknown format '%s' (text, json)",
				      format, format);
	json_t *list = json ? json_array() : NULL;
	for (size_t i = 0; i < fisc_rule_count(); i++) {
		const fisc_rule *r = fisc_rule_at(i);
		if (json)
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", r->id,
							      "severity", fisc_severity_code(r->severity),
							      "title_zh", r->title_zh, "title_en",
							      r->title_en, "reads", r->reads));
		else
			fprintf(out, "%-24s %-8s %s | %s\n%-24s %-8s reads: %s\n", r->id,
				fisc_severity_code(r->severity), r->title_zh, r->title_en, "", "",
				r->reads);
	}
	return json ? dump(json_pack("{s:o}", "rules", list), out) : FISC_OK;
}
