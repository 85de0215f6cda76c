/*
** ledger.c — the 指标 ledger over HTTP: line status, documents and
** payments (reads from the store, the same libfisc writers `fisc quota
** status` uses), 指标 documents posted as the quota file's CSV, payment
** requests with an Idempotency-Key, confirm, void, refund, and the journal
** head. Every write goes through the one engine of the process
** (srv_ledger), so concurrent requests share its group commit.
**
** The router checks region and role; what only the ledger knows — whose
** line a payment is on — is checked here, against the engine's state (or
** the store, for a line or payment another process has just written), and
** a refusal is recorded like the router's.
*/
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "server/server.h"

fisc_ledger *srv_ledger = NULL;

static void yuan(int64_t fen, char buf[64])
{
	fisc_fen_format(fen, FISC_UNIT_YUAN, 2, 0, buf, 64);
}

/* --- bodies -------------------------------------------------------------- */

static int amount_of(const char *s, int64_t *fen)
{
	fisc_amount a;
	return fisc_amount_parse(s, strlen(s), FISC_UNIT_YUAN, &a) == FISC_OK && a.fen > 0
		       ? (*fen = a.fen, 0)
		       : -1;
}

int srv_parse_pay_body(const char *body, size_t len, int need_line, srv_pay_body *out,
		       char *msg, size_t cap)
{
	memset(out, 0, sizeof *out);
	json_error_t err;
	json_t *j = body && len ? json_loadb(body, len, 0, &err) : NULL;
	json_t *line = json_object_get(j, "line"), *amount = json_object_get(j, "amount"),
	       *payee = json_object_get(j, "payee"), *purpose = json_object_get(j, "purpose"),
	       *date = json_object_get(j, "date");
	const char *why = NULL;
	if (!json_is_object(j))
		why = need_line ? "请求体应为 {\"line\":…,\"amount\":\"…\"} / the body must be "
				  "{\"line\":…,\"amount\":\"…\"}"
				: "请求体应为 {\"amount\":\"…\"} / the body must be {\"amount\":\"…\"}";
	else if (need_line && (!json_is_integer(line) || json_integer_value(line) < 1))
		why = "line 应为指标行号（正整数）/ line must be a quota line number (a positive integer)";
	else if (!json_is_string(amount) || amount_of(json_string_value(amount), &out->fen))
		why = "amount 应为正的金额字符串（元，可写单位）/ amount must be a positive amount as a "
		      "string (元 unless a unit is written)";
	else if ((payee && !json_is_string(payee)) || (purpose && !json_is_string(purpose)))
		why = "payee、purpose 应为字符串 / payee and purpose must be strings";
	else if (payee && strlen(json_string_value(payee)) >= sizeof out->payee)
		why = "payee 过长 / payee too long";
	else if (purpose && strlen(json_string_value(purpose)) >= sizeof out->purpose)
		why = "purpose 过长 / purpose too long";
	else if (date && (!json_is_integer(date) || json_integer_value(date) < 19490101 ||
			  json_integer_value(date) > 99991231))
		why = "date 应为 YYYYMMDD 整数 / date must be an integer YYYYMMDD";
	if (!why) {
		out->line = need_line ? (int64_t)json_integer_value(line) : 0;
		out->date = date ? (int32_t)json_integer_value(date) : 0;
		if (payee)
			snprintf(out->payee, sizeof out->payee, "%s", json_string_value(payee));
		if (purpose)
			snprintf(out->purpose, sizeof out->purpose, "%s", json_string_value(purpose));
	}
	json_decref(j);
	if (why)
		snprintf(msg, cap, "%s", why);
	return why ? -1 : 0;
}

/* --- whose line ---------------------------------------------------------- */

typedef struct line_find {
	int64_t id;
	fisc_arena *a;
	fisc_quota_line *out;
	int found;
} line_find;

static int line_scan(void *ud, const fisc_quota_line *l)
{
	line_find *f = ud;
	if (l->id != f->id)
		return 0;
	*f->out = *l;
	f->out->region = fisc_arena_strdup(f->a, l->region);
	f->out->dept = fisc_arena_strdup(f->a, l->dept);
	f->found = 1;
	return 1;
}

/* The line: the engine's state, else the store (another process may have
** created it since the engine's last batch). */
static int find_line(srv_ctx *c, int64_t id, fisc_quota_line *out)
{
	if (fisc_ledger_line_get(srv_ledger, id, out) == FISC_OK)
		return FISC_OK;
	line_find f = {id, c->a, out, 0};
	int rc = fisc_store_quota_line_each(c->st, line_scan, &f);
	if (rc < 0)
		return rc;
	return f.found ? FISC_OK
		       : fisc_error_set(FISC_ENOTFOUND, "未知指标行 %lld / unknown quota line %lld",
					(long long)id, (long long)id);
}

typedef struct pay_find {
	const char *key;
	int64_t line;
} pay_find;

static int pay_scan(void *ud, const fisc_payment *p)
{
	pay_find *f = ud;
	if (strcmp(p->key, f->key))
		return 0;
	f->line = p->line;
	return 1;
}

static int find_payment_line(srv_ctx *c, const char *key, int64_t *line)
{
	fisc_payment p;
	if (fisc_ledger_payment_get(srv_ledger, key, &p) == FISC_OK) {
		*line = p.line;
		return FISC_OK;
	}
	pay_find f = {key, 0};
	int rc = fisc_store_payment_each(c->st, pay_scan, &f);
	if (rc < 0)
		return rc;
	*line = f.line;
	return f.line ? FISC_OK
		      : fisc_error_set(FISC_ENOTFOUND, "未知支付「%s」/ unknown payment '%s'", key, key);
}

/* The line is the asker's: in the path's region, and a department user's
** own department. -1 when the request was answered (refused or failed). */
static int owns_line(srv_ctx *c, int64_t id)
{
	fisc_quota_line l;
	int rc = find_line(c, id, &l);
	if (rc != FISC_OK) {
		srv_lib_error(c, rc);
		return -1;
	}
	if (strcmp(l.region, c->region.code) ||
	    (c->who.role == FISC_ROLE_DEPARTMENT && strcmp(l.dept, c->who.dept))) {
		srv_deny(c);
		return -1;
	}
	return 0;
}

static int owns_payment(srv_ctx *c, const char *key)
{
	int64_t line;
	int rc = find_payment_line(c, key, &line);
	if (rc != FISC_OK) {
		srv_lib_error(c, rc);
		return -1;
	}
	return owns_line(c, line);
}

/* --- reads ---------------------------------------------------------------- */

/* The lines the asker may see: the path's region and year; a department
** user its own department whatever it asks (the router let it through
** only for its own). */
static int filter(srv_ctx *c, fisc_quota_filter *f)
{
	f->region = c->region.code;
	f->dept = c->who.role == FISC_ROLE_DEPARTMENT ? c->who.dept : srv_arg(c->req, "department");
	return srv_arg_year(c, 0, &f->year);
}

int h_quota(srv_ctx *c)
{
	fisc_quota_filter f;
	if (filter(c, &f))
		return FISC_OK;
	const char *fmt = srv_arg(c->req, "format");
	fmt = fmt ? fmt : "json";
	int rc = fisc_quota_status_write(c->st, &f, fmt, c->out);
	if (rc != FISC_OK)
		return srv_lib_error(c, rc);
	c->content_type = !strcmp(fmt, "json") ? "application/json; charset=utf-8"
					       : "text/tab-separated-values; charset=utf-8";
	return FISC_OK;
}

int h_quota_docs(srv_ctx *c)
{
	fisc_quota_filter f;
	if (filter(c, &f))
		return FISC_OK;
	int rc = fisc_quota_docs_write(c->st, &f, c->out);
	if (rc != FISC_OK)
		return srv_lib_error(c, rc);
	srv_json(c, NULL);
	return FISC_OK;
}

int h_payments(srv_ctx *c)
{
	fisc_quota_filter f;
	if (filter(c, &f))
		return FISC_OK;
	const char *s = srv_arg(c->req, "state"), *l = srv_arg(c->req, "line");
	int state = s ? fisc_pay_state_parse(s) : 0;
	if (state < 0)
		return srv_bad(c, fisc_arena_printf(c->a, "未知状态「%s」（pending、paid、void）/ "
						    "unknown state '%s' (pending, paid, void)", s, s));
	int rc = fisc_payments_write(c->st, &f, state, l ? atoll(l) : 0, c->out);
	if (rc != FISC_OK)
		return srv_lib_error(c, rc);
	srv_json(c, NULL);
	return FISC_OK;
}

int h_journal_head(srv_ctx *c)
{
	int64_t seq;
	uint8_t h[FISC_HASH_BYTES];
	char hex[2 * FISC_HASH_BYTES + 1];
	int rc = fisc_journal_head(c->st, &seq, h);
	if (rc != FISC_OK)
		return srv_lib_error(c, rc);
	fisc_journal_hex(h, hex);
	srv_json(c, json_pack("{s:I,s:s}", "seq", (json_int_t)seq, "hash", hex));
	return FISC_OK;
}

/* --- writes ---------------------------------------------------------------- */

/* 指标 documents: the body is a quota file (CSV, the columns of `fisc quota
** import`), applied all or nothing; rows must name the path's region. */
int h_quota_post(srv_ctx *c)
{
	if (!c->req->body || !c->req->body_len)
		return srv_bad(c, "请求体应为指标文件（CSV）/ the body must be a quota file (CSV)");
	fisc_diag *diag = fisc_diag_new();
	if (!diag)
		return srv_lib_error(c, fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory"));
	size_t ndocs = 0;
	int rc = fisc_quota_import_region(srv_ledger, c->region.code, "body.csv", c->req->body,
					  c->req->body_len, diag, &ndocs);
	int other_region = 0;
	json_t *problems = json_array();
	for (size_t i = 0; i < fisc_diag_count(diag); i++) {
		const fisc_diag_entry *e = fisc_diag_get(diag, i);
		char line[2048];
		fisc_diag_format(e, line, sizeof line);
		json_array_append_new(problems, json_string(line));
		other_region |= e->field && !strcmp(e->field, "region") && e->kind == FISC_DIAG_BAD_VALUE;
	}
	fisc_diag_free(diag);
	const char *target = fisc_arena_printf(c->a, "%s: %zu", c->region.code, ndocs);
	if (other_region) {
		json_decref(problems);
		return srv_deny(c);
	}
	if (rc != FISC_OK && rc != FISC_EIMPORT) {
		json_decref(problems);
		return srv_lib_error(c, rc);
	}
	if (rc != FISC_OK) {
		srv_record(c, "quota import", target, "refused");
		srv_lib_error(c, rc);
		/* The error object, with every problem (file:line: field …). */
		fflush(c->out);
		rewind(c->out);
		json_t *j = json_pack("{s:s,s:s,s:s,s:o}", "code", fisc_error_name(rc), "message_zh",
				      "指标文件导入失败，未写入任何内容", "message_en",
				      "quota import failed; nothing was written", "problems", problems);
		json_dumpf(j, c->out, JSON_COMPACT);
		json_decref(j);
		return FISC_OK;
	}
	json_decref(problems);
	srv_record(c, "quota import", target, "ok");
	srv_json(c, json_pack("{s:s,s:I}", "region", c->region.code, "documents", (json_int_t)ndocs));
	return FISC_OK;
}

static json_t *result_json(const char *key, const fisc_ledger_result *r)
{
	char q[64], p[64], w[64], a[64], ref[64];
	yuan(r->quota, q);
	yuan(r->paid, p);
	yuan(r->pending, w);
	yuan(r->quota - r->paid - r->pending, a);
	yuan(r->refunded, ref);
	return json_pack("{s:s,s:b,s:I,s:s,s:s,s:s,s:{s:s,s:s,s:s,s:s}}", "key", key, "replay",
			 r->replay, "line", (json_int_t)r->line, "state",
			 fisc_pay_state_code(r->state), "state_zh", fisc_pay_state_name(r->state),
			 "refunded", ref, "line_figures", "quota", q, "paid", p, "pending", w,
			 "available", a);
}

/* The engine's answer: 201 for a new effect, 200 for a replay, else the
** engine's refusal with its message (the CLI's, naming the line's figures). */
static int answer(srv_ctx *c, int rc, const char *key, const fisc_ledger_result *res)
{
	if (rc != FISC_OK)
		return srv_lib_error(c, rc);
	c->status = res->replay ? 200 : 201;
	srv_json(c, result_json(key, res));
	return FISC_OK;
}

static const char *idem_key(srv_ctx *c)
{
	const char *k = c->req->idem_key;
	if (!k || !*k || strlen(k) > 200) {
		srv_bad(c, "需要 Idempotency-Key 请求头（1–200 个字符）/ the Idempotency-Key header "
			   "(1-200 characters) is required");
		return NULL;
	}
	return k;
}

int h_pay_request(srv_ctx *c)
{
	const char *key = idem_key(c);
	if (!key)
		return FISC_OK;
	srv_pay_body b;
	char msg[256];
	if (srv_parse_pay_body(c->req->body, c->req->body_len, 1, &b, msg, sizeof msg))
		return srv_bad(c, msg);
	if (owns_line(c, b.line))
		return FISC_OK;
	fisc_payment p = {.key = key, .line = b.line, .fen = b.fen, .payee = b.payee, .purpose = b.purpose};
	fisc_ledger_result res;
	return answer(c, fisc_ledger_request(srv_ledger, &p, &res), key, &res);
}

int h_pay_confirm(srv_ctx *c)
{
	const char *key = c->req->params[1];
	const char *d = srv_arg(c->req, "date");
	int32_t date = d ? atoi(d) : 0;
	if (d && (date < 19490101 || date > 99991231))
		return srv_bad(c, "date 应为 YYYYMMDD / date must be YYYYMMDD");
	if (owns_payment(c, key))
		return FISC_OK;
	fisc_ledger_result res;
	return answer(c, fisc_ledger_confirm_on(srv_ledger, key, date, &res), key, &res);
}

int h_pay_void(srv_ctx *c)
{
	const char *key = c->req->params[1];
	if (owns_payment(c, key))
		return FISC_OK;
	fisc_ledger_result res;
	return answer(c, fisc_ledger_void(srv_ledger, key, &res), key, &res);
}

int h_pay_refund(srv_ctx *c)
{
	const char *pay = c->req->params[1];
	const char *key = idem_key(c);
	if (!key)
		return FISC_OK;
	srv_pay_body b;
	char msg[256];
	if (srv_parse_pay_body(c->req->body, c->req->body_len, 0, &b, msg, sizeof msg))
		return srv_bad(c, msg);
	if (owns_payment(c, pay))
		return FISC_OK;
	fisc_refund r = {.key = key, .pay_key = pay, .fen = b.fen, .date = b.date};
	fisc_ledger_result res;
	return answer(c, fisc_ledger_refund(srv_ledger, &r, &res), key, &res);
}
