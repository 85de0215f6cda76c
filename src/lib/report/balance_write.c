/*
** balance_write.c — a built balance rendered: the four-column table (TSV,
** Markdown, JSON) and the sentence form of the published reports.
**
** Rendering only formats; every amount printed here was computed in
** balance.c from base facts.
*/
#include <string.h>
#include <jansson.h>
#include "fisc/error.h"
#include "fisc/report.h"

static void amount_text(const fisc_balance_row *r, int unit, int decimals, char *buf,
			size_t cap)
{
	if (!r || !r->has_amount) {
		buf[0] = 0;
		return;
	}
	fisc_fen_format(r->fen, (fisc_unit)unit, decimals, FISC_FMT_GROUP, buf, cap);
}

static int write_tsv(const fisc_balance *b, int unit, int decimals, FILE *out, int md)
{
	size_t n = b->nincome > b->nexpense ? b->nincome : b->nexpense;
	if (md) {
		fprintf(out, "### %s\n\n单位：%s\n\n", b->title, fisc_unit_name((fisc_unit)unit));
		fprintf(out, "| 收 入 | %s | 支 出 | %s |\n|---|---:|---|---:|\n",
			b->amount_label, b->amount_label);
	} else {
		fprintf(out, "收 入\t%s\t支 出\t%s\n", b->amount_label, b->amount_label);
	}
	for (size_t i = 0; i < n; i++) {
		const fisc_balance_row *l = i < b->nincome ? &b->income[i] : NULL;
		const fisc_balance_row *r = i < b->nexpense ? &b->expense[i] : NULL;
		char la[64], ra[64];
		amount_text(l, unit, decimals, la, sizeof la);
		amount_text(r, unit, decimals, ra, sizeof ra);
		if (md)
			fprintf(out, "| %s | %s | %s | %s |\n", l ? l->label : "", la,
				r ? r->label : "", ra);
		else
			fprintf(out, "%s\t%s\t%s\t%s\n", l ? l->label : "", la, r ? r->label : "", ra);
	}
	return FISC_OK;
}

static json_t *side_json(const fisc_balance_row *v, size_t n, int unit, int decimals)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char t[64];
		amount_text(&v[i], unit, decimals, t, sizeof t);
		json_array_append_new(
			arr, json_pack("{s:s, s:s, s:i, s:o, s:s}", "label", v[i].label, "line",
				       v[i].line, "level", v[i].level, "fen",
				       v[i].has_amount ? json_integer(v[i].fen) : json_null(),
				       "text", t));
	}
	return arr;
}

static int write_json(const fisc_balance *b, int unit, int decimals, FILE *out)
{
	int balanced = b->nincome && b->nexpense && b->income[0].has_amount &&
		       b->expense[0].has_amount && b->income[0].fen == b->expense[0].fen;
	json_t *root = json_pack(
		"{s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b}", "region",
		b->region.name, "region_code", b->region.code, "year", b->year, "book",
		fisc_book_code(b->book), "scope", fisc_scope_code(b->scope), "phase",
		fisc_phase_code(b->phase), "unit", fisc_unit_name((fisc_unit)unit), "title",
		b->title, "amount_label", b->amount_label, "income",
		side_json(b->income, b->nincome, unit, decimals), "expense",
		side_json(b->expense, b->nexpense, unit, decimals), "balanced", balanced);
	if (!root)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0
			 ? FISC_OK
			 : fisc_error_set(FISC_EIO, "写出失败 / write failed");
	fputc('\n', out);
	json_decref(root);
	return rc;
}

int fisc_balance_write(const fisc_balance *b, const char *format, int unit, int decimals,
		       FILE *out)
{
	if (unit < FISC_UNIT_YUAN || unit > FISC_UNIT_YI)
		unit = FISC_UNIT_WAN;
	if (decimals < 0)
		decimals = b->wulp ? fisc_unit_decimals_for(b->wulp, (fisc_unit)unit) : 0;
	if (!format || !strcmp(format, "tsv"))
		return write_tsv(b, unit, decimals, out, 0);
	if (!strcmp(format, "md"))
		return write_tsv(b, unit, decimals, out, 1);
	if (!strcmp(format, "json"))
		return write_json(b, unit, decimals, out);
	return fisc_error_set(FISC_EINVAL, "不支持的格式「%s」（tsv、md、json）/ unknown format '%s'",
			      format, format);
}

/* An amount in the statement's unit, with as many decimals as its parts were
** written with (3.6亿元 stays 3.6, a sum of 33.76 and 7.01 shows 2). */
static void stmt_amount(const fisc_balance_row *r, int unit, char *buf, size_t cap)
{
	int dec = r && r->has_amount && r->wulp ? fisc_unit_decimals_for(r->wulp, unit) : 0;
	fisc_fen_format(r && r->has_amount ? r->fen : 0, (fisc_unit)unit, dec, FISC_FMT_UNIT,
			buf, cap);
}

static void sentence(const fisc_balance *b, const fisc_balance_row *v, size_t n, int income,
		     int unit, FILE *out)
{
	char amt[96];
	const char *what = income ? "收入" : "支出";
	/* v[0] 总计, v[1] own, then own parts (level 2) until the transfer header. */
	stmt_amount(&v[1], unit, amt, sizeof amt);
	fprintf(out, "%s%s%s%s", b->scope_label, fisc_book_name(b->book), what, amt);
	size_t i = 2;
	while (i < n && v[i].level == 2)
		i++;
	int listed = 0;
	for (i++; i < n; i++) {
		if (!v[i].has_amount)
			continue;
		stmt_amount(&v[i], unit, amt, sizeof amt);
		fprintf(out, "%s%s%s", listed ? "、" : "，加", v[i].label, amt);
		listed++;
	}
	stmt_amount(&v[0], unit, amt, sizeof amt);
	fprintf(out, "%s，%s总计%s。", listed ? "后" : "", what, amt);
}

/* 社会保险基金: "收入X，支出Y，当年收支结余Z，年末滚存结余W。" */
static int ssf_sentence(const fisc_balance *b, FILE *out)
{
	char amt[96];
	const fisc_balance_row *surplus = NULL, *closing = NULL;
	for (size_t i = 0; i < b->nexpense; i++) {
		if (!strcmp(b->expense[i].line, "ssf_surplus"))
			surplus = &b->expense[i];
		if (!strcmp(b->expense[i].line, "ssf_balance"))
			closing = &b->expense[i];
	}
	stmt_amount(&b->income[1], b->unit, amt, sizeof amt);
	fprintf(out, "%s%s收入%s", b->scope_label, fisc_book_name(b->book), amt);
	stmt_amount(&b->expense[1], b->unit, amt, sizeof amt);
	fprintf(out, "，支出%s", amt);
	if (surplus && surplus->has_amount) {
		stmt_amount(surplus, b->unit, amt, sizeof amt);
		fprintf(out, "，当年收支结余%s", amt);
	}
	if (closing && closing->has_amount) {
		stmt_amount(closing, b->unit, amt, sizeof amt);
		fprintf(out, "，年末滚存结余%s", amt);
	}
	fputs("。\n", out);
	return FISC_OK;
}

int fisc_statement_write(const fisc_balance *b, FILE *out)
{
	if (b->nincome < 2 || b->nexpense < 2)
		return fisc_error_set(FISC_EINVAL, "平衡表不完整 / incomplete balance");
	if (b->book == FISC_BOOK_SSF)
		return ssf_sentence(b, out);
	sentence(b, b->income, b->nincome, 1, b->unit, out);
	fputc('\n', out);
	sentence(b, b->expense, b->nexpense, 0, b->unit, out);
	fputc('\n', out);
	return FISC_OK;
}
