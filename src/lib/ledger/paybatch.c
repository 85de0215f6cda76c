/*
** paybatch.c — a file of payment operations applied as a treasury would:
** every row its own decision. The rows are read first (a row that cannot be
** read becomes a refusal with the reason), then submitted together, in file
** order, so that they share the engine's batches and fsyncs.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/import.h"
#include "fisc/ledger.h"
#include "import/rows.h"

enum { P_ACTION, P_KEY, P_LINE, P_AMOUNT, P_PAYEE, P_PURPOSE, P_PAYMENT, P_DATE, P_COUNT };
static const char *const pcols[P_COUNT] = {"action", "key", "line", "amount",
					   "payee", "purpose", "payment", "date"};

typedef struct prow {
	long line;
	char *action, *key;
	char bad[512]; /* "" when readable */
} prow;

typedef struct pbatch {
	fisc_arena *a;
	int col[P_COUNT];
	int header_done;
	char header_bad[512];
	prow *rows;
	fisc_ledger_op *ops;
	size_t n, cap;
} pbatch;

static const char *pcell(pbatch *b, const fisc_row *r, int c)
{
	int i = b->col[c];
	return i >= 0 && (size_t)i < r->ncells ? r->cells[i] : "";
}

static int action_kind(const char *s)
{
	if (!strcmp(s, "request") || !strcmp(s, "申请"))
		return 'P';
	if (!strcmp(s, "confirm") || !strcmp(s, "支付") || !strcmp(s, "确认"))
		return 'C';
	if (!strcmp(s, "void") || !strcmp(s, "退回"))
		return 'V';
	if (!strcmp(s, "refund") || !strcmp(s, "退款"))
		return 'R';
	return 0;
}

static int64_t parse_amount(const char *s, char *bad, size_t cap)
{
	fisc_amount a;
	if (fisc_amount_parse(s, strlen(s), FISC_UNIT_YUAN, &a) != FISC_OK) {
		const char *zh, *en;
		fisc_amount_last_reason(&zh, &en);
		snprintf(bad, cap, "字段「amount」：%s / field 'amount': %s", zh, en);
		return 0;
	}
	if (a.fen <= 0)
		snprintf(bad, cap, "字段「amount」：金额须为正 / field 'amount': must be positive");
	return a.fen;
}

static int prow_cb(void *ud, const fisc_row *r)
{
	pbatch *b = ud;
	if (!b->header_done) {
		b->header_done = 1;
		for (int c = 0; c < P_COUNT; c++)
			b->col[c] = -1;
		for (size_t i = 0; i < r->ncells; i++) {
			int found = -1;
			for (int c = 0; c < P_COUNT; c++)
				if (!strcmp(r->cells[i], pcols[c]))
					found = c;
			if (found < 0)
				snprintf(b->header_bad, sizeof b->header_bad,
					 "%s:%ld: 未知列「%s」/ unknown column '%s'", r->file, r->line,
					 r->cells[i], r->cells[i]);
			else
				b->col[found] = (int)i;
		}
		if (b->col[P_ACTION] < 0 || b->col[P_KEY] < 0)
			snprintf(b->header_bad, sizeof b->header_bad,
				 "%s:%ld: 缺少列 action 或 key / missing column action or key", r->file,
				 r->line);
		return b->header_bad[0] ? FISC_EIMPORT : 0;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 256;
		prow *nr = realloc(b->rows, cap * sizeof *nr);
		if (!nr)
			return FISC_ENOMEM;
		b->rows = nr;
		fisc_ledger_op *no = realloc(b->ops, cap * sizeof *no);
		if (!no)
			return FISC_ENOMEM;
		b->ops = no;
		b->cap = cap;
	}
	prow *p = &b->rows[b->n];
	fisc_ledger_op *op = &b->ops[b->n++];
	memset(p, 0, sizeof *p);
	memset(op, 0, sizeof *op);
	p->line = r->line;
	p->action = fisc_arena_strdup(b->a, pcell(b, r, P_ACTION));
	p->key = fisc_arena_strdup(b->a, pcell(b, r, P_KEY));
	op->kind = action_kind(p->action);
	if (!op->kind) {
		snprintf(p->bad, sizeof p->bad,
			 "字段「action」须为 request/confirm/void/refund（申请/支付/退回/退款）/ field 'action' must be request, confirm, void or refund");
		return 0;
	}
	if (!*p->key) {
		snprintf(p->bad, sizeof p->bad, "字段「key」不能为空 / field 'key' is required");
		return 0;
	}
	op->pay.key = p->key;
	/* date (confirm, refund): YYYY-MM-DD or YYYYMMDD; empty: today. */
	const char *ds = pcell(b, r, P_DATE);
	int32_t date = 0;
	if (*ds) {
		int y = 0, m = 0, d = 0;
		char tail;
		if (!(sscanf(ds, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 ||
		      (strlen(ds) == 8 && sscanf(ds, "%4d%2d%2d", &y, &m, &d) == 3)) ||
		    y < 1949 || m < 1 || m > 12 || d < 1 || d > 31) {
			snprintf(p->bad, sizeof p->bad, "字段「date」：日期无效 / field 'date': bad date");
			return 0;
		}
		date = y * 10000 + m * 100 + d;
	}
	op->pay.paid_on = op->kind == 'C' ? date : 0;
	op->refund.date = date;
	if (op->kind == 'P') {
		const char *ls = pcell(b, r, P_LINE);
		char *end;
		long long line = strtoll(ls, &end, 10);
		if (!*ls || *end || line < 1) {
			snprintf(p->bad, sizeof p->bad, "字段「line」须为指标行号 / field 'line' must be a line number");
			return 0;
		}
		op->pay.line = line;
		op->pay.fen = parse_amount(pcell(b, r, P_AMOUNT), p->bad, sizeof p->bad);
		op->pay.payee = fisc_arena_strdup(b->a, pcell(b, r, P_PAYEE));
		op->pay.purpose = fisc_arena_strdup(b->a, pcell(b, r, P_PURPOSE));
	} else if (op->kind == 'R') {
		op->refund.key = p->key;
		op->refund.pay_key = fisc_arena_strdup(b->a, pcell(b, r, P_PAYMENT));
		if (!*op->refund.pay_key)
			snprintf(p->bad, sizeof p->bad, "字段「payment」：退款须指明支付键 / field 'payment': a refund names the payment");
		else
			op->refund.fen = parse_amount(pcell(b, r, P_AMOUNT), p->bad, sizeof p->bad);
	}
	return 0;
}

int fisc_pay_batch_file(fisc_ledger *l, const char *file, fisc_pay_row_cb cb, void *ud)
{
	pbatch b;
	memset(&b, 0, sizeof b);
	if (!(b.a = fisc_arena_new()))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	fisc_diag *diag = fisc_diag_new();
	size_t fl = strlen(file);
	int rc;
	if (fl > 5 && !strcmp(file + fl - 5, ".xlsx")) {
		rc = fisc_xlsx_read(file, prow_cb, &b, diag);
	} else {
		FILE *f = fopen(file, "rb");
		char *buf = NULL;
		size_t len = 0, cap = 0, k;
		if (!f) {
			rc = fisc_error_set(FISC_EIO, "无法读取「%s」/ cannot read '%s'", file, file);
			goto out;
		}
		do {
			if (len == cap) {
				cap = cap ? 2 * cap : 65536;
				char *nb = realloc(buf, cap);
				if (!nb)
					break;
				buf = nb;
			}
			k = fread(buf + len, 1, cap - len, f);
			len += k;
		} while (k);
		fclose(f);
		rc = fisc_csv_read(file, buf ? buf : "", len, prow_cb, &b, diag);
		free(buf);
	}
	if (b.header_bad[0]) {
		rc = fisc_error_set(FISC_EINVAL, "%s", b.header_bad);
		goto out;
	}
	if (rc != FISC_OK) {
		char line[1024] = "";
		if (fisc_diag_count(diag))
			fisc_diag_format(fisc_diag_get(diag, 0), line, sizeof line);
		rc = fisc_error_set(rc == FISC_EIMPORT ? FISC_EINVAL : rc, "%s", line[0] ? line : "无法读取文件 / cannot read the file");
		goto out;
	}
	/* Only the readable rows go to the engine, in file order. */
	fisc_ledger_op *ops = malloc((b.n ? b.n : 1) * sizeof *ops);
	size_t *idx = malloc((b.n ? b.n : 1) * sizeof *idx);
	size_t m = 0;
	if (!ops || !idx) {
		free(ops);
		free(idx);
		rc = fisc_error_set(FISC_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < b.n; i++)
		if (!b.rows[i].bad[0]) {
			idx[m] = i;
			ops[m++] = b.ops[i];
		}
	rc = fisc_ledger_submit(l, ops, m);
	for (size_t j = 0; j < m; j++)
		b.ops[idx[j]] = ops[j];
	free(ops);
	free(idx);
	for (size_t i = 0; rc == FISC_OK && i < b.n; i++) {
		prow *p = &b.rows[i];
		fisc_ledger_op *op = &b.ops[i];
		fisc_pay_row row = {file, p->line, p->action, p->key,
				    p->bad[0] ? FISC_EINVAL : op->rc, p->bad[0] ? p->bad : op->msg,
				    &op->res};
		if (p->bad[0])
			memset(&op->res, 0, sizeof op->res);
		rc = cb(ud, &row);
	}
out:
	fisc_diag_free(diag);
	free(b.rows);
	free(b.ops);
	fisc_arena_free(b.a);
	return rc;
}
