/*
** status.c — what the 指标 ledger holds, written for people and programs:
** every line's 指标 / 已支付 / 在途 / 可用 / 支出进度 with the documents
** behind it (`fisc quota status`, GET …/quota), the documents with their
** legs (GET …/quota/documents) and the payments with their state
** (GET …/payments). The command line and the server call these same
** functions, so both print the same figures.
**
** They read the store's materialised tables (the engine's view of the
** journal as of its last commit), never an engine: a reader needs no writer.
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/ledger.h"
#include "fisc/money.h"
#include "model/strmap.h"

static void yuan(int64_t fen, char buf[64])
{
	fisc_fen_format(fen, FISC_UNIT_YUAN, 2, 0, buf, 64);
}

static int wanted(const fisc_quota_filter *f, const fisc_quota_line *l)
{
	return !f || ((!f->dept || !strcmp(f->dept, l->dept)) &&
		      (!f->region || !strcmp(f->region, l->region)) &&
		      (!f->year || f->year == l->year));
}

/* Every line, indexed by id (lines are numbered 1, 2, 3 … without gaps). */
typedef struct line_table {
	fisc_quota_line *l; /* l[id - 1]; id 0 where none */
	char **docs;        /* per line: "批复 文号 +1,000.00；…" */
	size_t n;
	fisc_arena *a;
} line_table;

static int line_put(void *ud, const fisc_quota_line *l)
{
	line_table *t = ud;
	if (l->id < 1)
		return 0;
	if ((size_t)l->id > t->n) {
		size_t n = (size_t)l->id * 2;
		fisc_quota_line *nl = realloc(t->l, n * sizeof *nl);
		char **nd = nl ? realloc(t->docs, n * sizeof *nd) : NULL;
		if (nl)
			t->l = nl;
		if (!nd)
			return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		t->docs = nd;
		memset(t->l + t->n, 0, (n - t->n) * sizeof *t->l);
		memset(t->docs + t->n, 0, (n - t->n) * sizeof *t->docs);
		t->n = n;
	}
	fisc_quota_line *c = &t->l[l->id - 1];
	*c = *l;
	c->region = fisc_arena_strdup(t->a, l->region);
	c->dept = fisc_arena_strdup(t->a, l->dept);
	c->project = fisc_arena_strdup(t->a, l->project);
	c->func = fisc_arena_strdup(t->a, l->func);
	c->econ = fisc_arena_strdup(t->a, l->econ);
	c->fund_doc = fisc_arena_strdup(t->a, l->fund_doc);
	return c->fund_doc ? 0 : fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
}

static const fisc_quota_line *line_of(const line_table *t, int64_t id)
{
	return id >= 1 && (size_t)id <= t->n && t->l[id - 1].id ? &t->l[id - 1] : NULL;
}

static int doc_text(void *ud, const fisc_quota_leg_row *r)
{
	line_table *t = ud;
	if (!line_of(t, r->line))
		return 0;
	char amt[64], *old = t->docs[r->line - 1], *nw;
	fisc_fen_format(r->fen, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP | FISC_FMT_PLUS, amt, sizeof amt);
	if (asprintf(&nw, "%s%s%s %s %s", old ? old : "", old ? "；" : "",
		     fisc_doc_kind_name(r->kind), r->doc_no, amt) < 0)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	free(old);
	t->docs[r->line - 1] = nw;
	return 0;
}

static void lines_free(line_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->docs[i]);
	free(t->docs);
	free(t->l);
	fisc_arena_free(t->a);
}

static int lines_load(fisc_store *st, int with_docs, line_table *t)
{
	memset(t, 0, sizeof *t);
	if (!(t->a = fisc_arena_new()))
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	int rc = fisc_store_quota_line_each(st, line_put, t);
	if (rc == FISC_OK && with_docs)
		rc = fisc_store_quota_leg_each(st, doc_text, t);
	return rc;
}

static int write_failed(void)
{
	return fisc_error_set(FISC_EIO, "无法写出 / cannot write the output");
}

int fisc_quota_status_write(fisc_store *st, const fisc_quota_filter *f, const char *format,
			    FILE *out)
{
	int json = format && !strcmp(format, "json");
	if (format && !json && strcmp(format, "tsv"))
		return fisc_error_set(FISC_EINVAL, "未知格式「%s」（tsv、json）/ unknown format '%s' "
						   "(tsv, json)", format, format);
	line_table t;
	int rc = lines_load(st, 1, &t);
	json_t *arr = json_array();
	int64_t quota = 0, paid = 0, pending = 0;
	long rows = 0;
	if (rc == FISC_OK && !json)
		fputs("指标行\t地区\t年度\t预算本\t部门\t项目\t功能分类\t经济分类\t资金来源\t支出类型\t指标\t"
		      "已支付\t在途\t可用\t支出进度%\t文件\n", out);
	for (size_t i = 0; rc == FISC_OK && i < t.n; i++) {
		const fisc_quota_line *l = &t.l[i];
		if (!l->id || !wanted(f, l))
			continue;
		char q[64], p[64], w[64], av[64], pct[32] = "-";
		yuan(l->quota, q);
		yuan(l->paid, p);
		yuan(l->pending, w);
		yuan(l->quota - l->paid - l->pending, av);
		if (l->quota > 0)
			fisc_percent_format(l->paid, l->quota, 2, pct, sizeof pct);
		const char *docs = t.docs[i] ? t.docs[i] : "";
		quota += l->quota;
		paid += l->paid;
		pending += l->pending;
		rows++;
		if (json) {
			json_t *j = json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
					      "s:s, s:s, s:s, s:s, s:s, s:s}",
					      "line", (json_int_t)l->id, "region", l->region, "year",
					      l->year, "book", fisc_book_name(l->book), "department",
					      l->dept, "project", l->project, "function", l->func,
					      "economic", l->econ, "fund_source", fisc_fund_name(l->fund),
					      "fund_doc", l->fund_doc, "expense_kind",
					      fisc_exp_kind_name(l->kind), "quota", q, "paid", p,
					      "pending", w, "available", av, "progress_pct", pct,
					      "documents", docs);
			if (!j || json_array_append_new(arr, j))
				rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		} else {
			fprintf(out, "%lld\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s%s%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
				(long long)l->id, l->region, l->year, fisc_book_name(l->book), l->dept,
				l->project, l->func, l->econ, fisc_fund_name(l->fund),
				*l->fund_doc ? " " : "", l->fund_doc, fisc_exp_kind_name(l->kind), q, p,
				w, av, pct, docs);
		}
	}
	if (rc == FISC_OK) {
		char q[64], p[64], w[64], av[64], pct[32] = "-";
		yuan(quota, q);
		yuan(paid, p);
		yuan(pending, w);
		yuan(quota - paid - pending, av);
		if (quota > 0)
			fisc_percent_format(paid, quota, 2, pct, sizeof pct);
		if (json) {
			json_t *root = json_pack("{s:O, s:{s:I, s:s, s:s, s:s, s:s, s:s}}", "lines", arr,
						 "total", "lines", (json_int_t)rows, "quota", q, "paid",
						 p, "pending", w, "available", av, "progress_pct", pct);
			if (!root || json_dumpf(root, out, JSON_INDENT(2)) != 0)
				rc = write_failed();
			fputc('\n', out);
			json_decref(root);
		} else {
			fprintf(out, "合计\t\t\t\t\t\t\t\t\t\t%s\t%s\t%s\t%s\t%s\t\n", q, p, w, av, pct);
		}
	}
	json_decref(arr);
	lines_free(&t);
	if (rc == FISC_OK && ferror(out))
		rc = write_failed();
	return rc;
}

/* ---- documents --------------------------------------------------------------- */

typedef struct doc_walk {
	line_table t;
	const fisc_quota_filter *f;
	fisc_strmap by_no;  /* 文号 → index + 1 in docs */
	json_t *docs;
	int rc;
} doc_walk;

static int doc_leg(void *ud, const fisc_quota_leg_row *r)
{
	doc_walk *w = ud;
	const fisc_quota_line *l = line_of(&w->t, r->line);
	if (!l || !wanted(w->f, l))
		return 0;
	uintptr_t i = (uintptr_t)fisc_strmap_get(&w->by_no, r->doc_no);
	json_t *d;
	if (!i) {
		char date[16];
		snprintf(date, sizeof date, "%04d-%02d-%02d", r->date / 10000, r->date / 100 % 100,
			 r->date % 100);
		d = json_pack("{s:s, s:s, s:s, s:[]}", "no", r->doc_no, "date", date, "kind",
			      fisc_doc_kind_name(r->kind), "legs");
		const char *key = fisc_arena_strdup(w->t.a, r->doc_no);
		if (!d || !key || json_array_append_new(w->docs, d) ||
		    fisc_strmap_put(&w->by_no, key, (void *)(uintptr_t)json_array_size(w->docs)))
			return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	} else {
		d = json_array_get(w->docs, i - 1);
	}
	char amt[64];
	yuan(r->fen, amt);
	json_t *leg = json_pack("{s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
				"line", (json_int_t)l->id, "region", l->region, "year", l->year,
				"book", fisc_book_name(l->book), "department", l->dept, "project",
				l->project, "function", l->func, "economic", l->econ, "fund_source",
				fisc_fund_name(l->fund), "fund_doc", l->fund_doc, "expense_kind",
				fisc_exp_kind_name(l->kind), "amount", amt);
	if (!leg || json_array_append_new(json_object_get(d, "legs"), leg))
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	return 0;
}

int fisc_quota_docs_write(fisc_store *st, const fisc_quota_filter *f, FILE *out)
{
	doc_walk w;
	memset(&w, 0, sizeof w);
	w.f = f;
	w.docs = json_array();
	int rc = lines_load(st, 0, &w.t);
	if (rc == FISC_OK)
		rc = fisc_store_quota_leg_each(st, doc_leg, &w);
	if (rc == FISC_OK) {
		json_t *root = json_pack("{s:O}", "documents", w.docs);
		if (!root || json_dumpf(root, out, JSON_INDENT(2)) != 0)
			rc = write_failed();
		fputc('\n', out);
		json_decref(root);
	}
	json_decref(w.docs);
	fisc_strmap_free(&w.by_no);
	lines_free(&w.t);
	return rc;
}

/* ---- payments ------------------------------------------------------------------ */

const char *fisc_pay_state_code(int s)
{
	return s == FISC_PAY_PENDING ? "pending" : s == FISC_PAY_PAID ? "paid"
		 : s == FISC_PAY_VOID	 ? "void"
					 : "";
}

int fisc_pay_state_parse(const char *s)
{
	for (int i = FISC_PAY_PENDING; i <= FISC_PAY_VOID; i++)
		if (!strcmp(s, fisc_pay_state_code(i)) || !strcmp(s, fisc_pay_state_name(i)))
			return i;
	return -1;
}

typedef struct pay_walk {
	line_table t;
	const fisc_quota_filter *f;
	int state;
	int64_t line;
	json_t *arr;
	int64_t fen, refunded;
} pay_walk;

static int pay_row(void *ud, const fisc_payment *p)
{
	pay_walk *w = ud;
	const fisc_quota_line *l = line_of(&w->t, p->line);
	if (!l || !wanted(w->f, l) || (w->state && p->state != w->state) ||
	    (w->line && p->line != w->line))
		return 0;
	char amt[64], ref[64], paid_on[16] = "";
	yuan(p->fen, amt);
	yuan(p->refunded, ref);
	if (p->paid_on)
		snprintf(paid_on, sizeof paid_on, "%04d-%02d-%02d", p->paid_on / 10000,
			 p->paid_on / 100 % 100, p->paid_on % 100);
	json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "key",
			      p->key, "line", (json_int_t)p->line, "department", l->dept, "project",
			      l->project, "amount", amt, "refunded", ref, "payee", p->payee,
			      "purpose", p->purpose, "state", fisc_pay_state_code(p->state),
			      "state_zh", fisc_pay_state_name(p->state), "paid_on", paid_on);
	if (!j || json_array_append_new(w->arr, j))
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	w->fen += p->fen;
	w->refunded += p->refunded;
	return 0;
}

int fisc_payments_write(fisc_store *st, const fisc_quota_filter *f, int state, int64_t line,
			FILE *out)
{
	pay_walk w;
	memset(&w, 0, sizeof w);
	w.f = f;
	w.state = state;
	w.line = line;
	w.arr = json_array();
	int rc = lines_load(st, 0, &w.t);
	if (rc == FISC_OK)
		rc = fisc_store_payment_each(st, pay_row, &w);
	if (rc == FISC_OK) {
		char amt[64], ref[64];
		yuan(w.fen, amt);
		yuan(w.refunded, ref);
		json_t *root = json_pack("{s:O, s:{s:I, s:s, s:s}}", "payments", w.arr, "total",
					 "payments", (json_int_t)json_array_size(w.arr), "amount",
					 amt, "refunded", ref);
		if (!root || json_dumpf(root, out, JSON_INDENT(2)) != 0)
			rc = write_failed();
		fputc('\n', out);
		json_decref(root);
	}
	json_decref(w.arr);
	lines_free(&w.t);
	return rc;
}
