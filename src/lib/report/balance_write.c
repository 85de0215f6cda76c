/*
** balance_write.c — a built balance rendered: the four-column table and the
** sentence form of the published reports, as blocks of a fisc_doc so that
** every document format (text/TSV, Markdown, HTML, XLSX, CSV, JSON) prints
** a balance through the same renderers as the reports, and the balance's
** own JSON (region, line ids and exact fen, for programs).
**
** Rendering only formats; every amount printed here was computed in
** balance.c from base facts.
*/
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "fisc/doc.h"
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

static int norm_unit(int unit)
{
	return unit < FISC_UNIT_YUAN || unit > FISC_UNIT_YI ? FISC_UNIT_WAN : unit;
}

static int norm_decimals(const fisc_balance *b, int unit, int decimals)
{
	if (decimals >= 0)
		return decimals;
	int d = b->wulp ? fisc_unit_decimals_for(b->wulp, (fisc_unit)unit) : 0;
	return d < 0 ? 0 : d;
}

void fisc_balance_table(fisc_doc *d, const fisc_balance *b, const char *title, int unit,
			int decimals)
{
	unit = norm_unit(unit);
	decimals = norm_decimals(b, unit, decimals);
	fisc_table *t = fisc_doc_table(d, title, 4);
	fisc_table_unit(d, t, unit);
	fisc_cell *h = fisc_table_head(d, t);
	fisc_cell_text(d, &h[0], "收 入");
	fisc_cell_text(d, &h[1], "%s", b->amount_label);
	fisc_cell_text(d, &h[2], "支 出");
	fisc_cell_text(d, &h[3], "%s", b->amount_label);
	size_t n = b->nincome > b->nexpense ? b->nincome : b->nexpense;
	for (size_t i = 0; i < n; i++) {
		fisc_cell *r = fisc_table_row(d, t);
		const fisc_balance_row *side[2] = {i < b->nincome ? &b->income[i] : NULL,
						   i < b->nexpense ? &b->expense[i] : NULL};
		for (int k = 0; k < 2; k++) {
			const fisc_balance_row *x = side[k];
			if (!x)
				continue;
			fisc_cell_text(d, &r[2 * k], "%s", x->label);
			r[2 * k].level = x->level >= 2 ? 1 : 0;
			r[2 * k].strong = r[2 * k + 1].strong = x->level == 0;
			if (x->has_amount)
				fisc_cell_amount(d, &r[2 * k + 1], x->fen, unit, decimals);
		}
	}
	const fisc_balance_row *in = b->nincome ? &b->income[0] : NULL;
	const fisc_balance_row *ex = b->nexpense ? &b->expense[0] : NULL;
	if (in && ex && in->has_amount && ex->has_amount && in->fen != ex->fen) {
		char x[64], y[64], z[64];
		fisc_fen diff = in->fen > ex->fen ? in->fen - ex->fen : ex->fen - in->fen;
		fisc_fen_format(in->fen, (fisc_unit)unit, decimals, FISC_FMT_UNIT, x, sizeof x);
		fisc_fen_format(ex->fen, (fisc_unit)unit, decimals, FISC_FMT_UNIT, y, sizeof y);
		fisc_fen_format(diff, (fisc_unit)unit, decimals, FISC_FMT_UNIT, z, sizeof z);
		fisc_table_note(d, t, "按录入数据计算，收入总计%s与支出总计%s不相等，相差%s，本表未实现收支平衡。",
				x, y, z);
	}
}

static int statement_in(const fisc_balance *b, int unit, int maxdec, FILE *out);

int fisc_statement_paras(fisc_doc *d, const fisc_balance *b, int unit, int maxdec)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return d->rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	int rc = statement_in(b, unit < FISC_UNIT_YUAN || unit > FISC_UNIT_YI ? b->unit : unit, maxdec, m);
	if (fclose(m) != 0 && rc == FISC_OK)
		rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	if (rc == FISC_OK)
		for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = 0;
			if (*line)
				fisc_doc_para(d, "%s", line);
		}
	free(buf);
	return rc;
}

int fisc_balance_append(fisc_doc *d, const fisc_balance *b, int flags, int unit, int decimals)
{
	if (flags & FISC_BALANCE_HEADING)
		fisc_doc_heading(d, 1, "%s %s（%s，%s）", b->region.name, b->title,
				 fisc_phase_name(b->phase), b->amount_label);
	int rc = FISC_OK;
	if (flags & FISC_BALANCE_STATEMENT)
		rc = fisc_statement_paras(d, b, unit, -1); /* -1: the unit the data was written in */
	else if (flags & FISC_BALANCE_BARE)
		fisc_balance_table(d, b, "", unit, decimals);
	else if (flags & FISC_BALANCE_HEADING) /* tables of many regions: name each */
		fisc_balance_table(d, b, fisc_arena_printf(d->a, "%s%s（%s）", b->region.name,
							   b->title, fisc_phase_name(b->phase)),
				   unit, decimals);
	else
		fisc_balance_table(d, b, b->title, unit, decimals);
	return rc != FISC_OK ? rc : fisc_doc_status(d);
}

int fisc_balance_json(const fisc_balance *b, int unit, int decimals, FILE *out)
{
	unit = norm_unit(unit);
	return write_json(b, unit, norm_decimals(b, unit, decimals), out);
}

int fisc_balance_render(const fisc_balance *b, int flags, const char *format, int unit,
			int decimals, const char *path, FILE *out)
{
	int statement = flags & FISC_BALANCE_STATEMENT;
	if (!format)
		format = "text";
	if (!strcmp(format, "tsv"))
		format = "text";
	if (!statement && !strcmp(format, "json") && !path)
		return fisc_balance_json(b, unit, decimals, out);
	if (!statement && !strcmp(format, "json")) {
		FILE *f = fopen(path, "w");
		if (!f)
			return fisc_error_set(FISC_EIO, "无法写入「%s」/ cannot write '%s'", path, path);
		int rc = fisc_balance_json(b, unit, decimals, f);
		if (fclose(f) != 0 && rc == FISC_OK)
			rc = fisc_error_set(FISC_EIO, "写出失败「%s」/ write failed '%s'", path, path);
		return rc;
	}
	/* Text is bare: the four columns of the published table (the golden
	** layout, ready for cut or sort) or the sentences alone; the other
	** formats carry a title. */
	int text = !strcmp(format, "text");
	fisc_arena *a = fisc_arena_new();
	fisc_doc *d = NULL;
	if (a)
		d = fisc_doc_new(a, statement ? "statement" : "balance",
				 text ? "" : fisc_arena_printf(a, "%s%s", b->region.name, b->title));
	int rc = d ? fisc_balance_append(d, b, flags | (text ? FISC_BALANCE_BARE : 0), unit,
					 decimals)
		   : fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	if (rc == FISC_OK)
		rc = fisc_doc_write(d, format, path, out);
	fisc_arena_free(a);
	return rc;
}

int fisc_balance_write(const fisc_balance *b, const char *format, int unit, int decimals,
		       FILE *out)
{
	return fisc_balance_render(b, 0, format, unit, decimals, NULL, out);
}

/* An amount in the statement's unit, with as many decimals as its parts were
** written with (3.6亿元 stays 3.6, a sum of 33.76 and 7.01 shows 2). */
static void stmt_amount(const fisc_balance_row *r, int unit, int maxdec, char *buf, size_t cap)
{
	int dec = r && r->has_amount && r->wulp ? fisc_unit_decimals_for(r->wulp, unit) : 0;
	if (maxdec >= 0 && dec > maxdec) /* the precision of the report it is part of */
		dec = maxdec;
	fisc_fen_format(r && r->has_amount ? r->fen : 0, (fisc_unit)unit, dec, FISC_FMT_UNIT,
			buf, cap);
}

static void sentence(const fisc_balance *b, const fisc_balance_row *v, size_t n, int income,
		     int unit, int maxdec, FILE *out)
{
	char amt[96];
	const char *what = income ? "收入" : "支出";
	/* v[0] 总计, v[1] own, then own parts (level 2) until the transfer header. */
	stmt_amount(&v[1], unit, maxdec, amt, sizeof amt);
	fprintf(out, "%s%s%s%s", b->scope_label, fisc_book_name(b->book), what, amt);
	size_t i = 2;
	while (i < n && v[i].level == 2)
		i++;
	int listed = 0;
	for (i++; i < n; i++) {
		if (!v[i].has_amount)
			continue;
		stmt_amount(&v[i], unit, maxdec, amt, sizeof amt);
		fprintf(out, "%s%s%s", listed ? "、" : "，加", v[i].label, amt);
		listed++;
	}
	stmt_amount(&v[0], unit, maxdec, amt, sizeof amt);
	fprintf(out, "%s，%s总计%s。", listed ? "后" : "", what, amt);
}

/* Does the side have a transfer section with an amount? */
static int has_transfers(const fisc_balance_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((!strcmp(v[i].line, "transfer_in_total") || !strcmp(v[i].line, "transfer_out_total")) &&
		    v[i].has_amount)
			return 1;
	return 0;
}

/* 社会保险基金: "收入X，支出Y，当年收支结余Z，年末滚存结余W。" The surplus is
** 收入总计 less 支出合计, so when the book has transfers the sentence names
** them and the totals ("收入X，加上级补助收入A后，收入总计T。支出Y，加结转下年B
** 后，支出合计E，当年收支结余Z"): own revenue less own expenditure is not the
** surplus then, and a reader who subtracts the two figures stated must get it. */
static int ssf_sentence(const fisc_balance *b, int unit, int maxdec, FILE *out)
{
	char amt[96];
	const fisc_balance_row *surplus = NULL, *closing = NULL;
	for (size_t i = 0; i < b->nexpense; i++) {
		if (!strcmp(b->expense[i].line, "ssf_surplus"))
			surplus = &b->expense[i];
		if (!strcmp(b->expense[i].line, "ssf_balance"))
			closing = &b->expense[i];
	}
	int transfers = has_transfers(b->income, b->nincome) || has_transfers(b->expense, b->nexpense);
	if (transfers) {
		sentence(b, b->income, b->nincome, 1, unit, maxdec, out);
		fputc('\n', out);
	}
	stmt_amount(&b->income[1], unit, maxdec, amt, sizeof amt);
	if (!transfers)
		fprintf(out, "%s%s收入%s，", b->scope_label, fisc_book_name(b->book), amt);
	else
		fprintf(out, "%s%s", b->scope_label, fisc_book_name(b->book));
	stmt_amount(&b->expense[1], unit, maxdec, amt, sizeof amt);
	fprintf(out, "支出%s", amt);
	if (transfers) {
		/* own parts (level 2) first, then the transfer header and its items */
		size_t i = 2;
		while (i < b->nexpense && b->expense[i].level == 2)
			i++;
		int listed = 0;
		for (i++; i < b->nexpense; i++) {
			const fisc_balance_row *r = &b->expense[i];
			if (r == surplus || r == closing || !r->has_amount)
				continue;
			stmt_amount(r, unit, maxdec, amt, sizeof amt);
			fprintf(out, "%s%s%s", listed ? "、" : "，加", r->label, amt);
			listed++;
		}
		fisc_balance_row spent = b->expense[0];
		if (surplus && surplus->has_amount)
			spent.fen -= surplus->fen;
		stmt_amount(&spent, unit, maxdec, amt, sizeof amt);
		fprintf(out, "%s，支出合计%s", listed ? "后" : "", amt);
	}
	if (surplus && surplus->has_amount) {
		stmt_amount(surplus, unit, maxdec, amt, sizeof amt);
		fprintf(out, "，当年收支结余%s", amt);
	}
	if (closing && closing->has_amount) {
		stmt_amount(closing, unit, maxdec, amt, sizeof amt);
		fprintf(out, "，年末滚存结余%s", amt);
	}
	fputs("。\n", out);
	return FISC_OK;
}

int fisc_statement_write(const fisc_balance *b, FILE *out)
{
	return statement_in(b, b->unit, -1, out);
}

static int statement_in(const fisc_balance *b, int unit, int maxdec, FILE *out)
{
	if (b->nincome < 2 || b->nexpense < 2)
		return fisc_error_set(FISC_EINVAL, "平衡表不完整 / incomplete balance");
	if (b->book == FISC_BOOK_SSF)
		return ssf_sentence(b, unit, maxdec, out);
	sentence(b, b->income, b->nincome, 1, unit, maxdec, out);
	fputc('\n', out);
	sentence(b, b->expense, b->nexpense, 0, unit, maxdec, out);
	fputc('\n', out);
	return FISC_OK;
}
