/*
** web.c — what `fisc serve` does for the web page (web/, built by `make web`
** into DATADIR/web): its static files with their content type, an ETag and a
** strict Content-Security-Policy; the CSP of HTML reports, which allows the
** chart script render_html.c inlines by its hash and nothing else; and the
** one endpoint the page added, a department's 指标 lines (the figures
** `fisc quota status` prints) with the documents and journal entries behind
** them, its payments and its monthly 支出进度.
*/
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <jansson.h>
#include <sodium.h>
#include "fisc/journal.h"
#include "fisc/ledger.h"
#include "server/server.h"

/* The page loads its script and style from /web/ and talks to /api/ only:
** no inline script, no other origin. ECharts and the page set styles on
** elements, hence 'unsafe-inline' for styles (no script can ride on it). */
static const char page_csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
	"img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
	"frame-ancestors 'none'";

const char *srv_report_csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
static char report_csp[256];

static char *read_web_file(const char *name, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/web/%s", fisc_datadir(), name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	char tmp[16384];
	size_t k;
	while (m && (k = fread(tmp, 1, sizeof tmp, f)) > 0)
		fwrite(tmp, 1, k, m);
	int bad = ferror(f);
	fclose(f);
	if (!m || fclose(m) != 0 || bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int srv_web_init(void)
{
	if (sodium_init() < 0)
		return fisc_error_set(FISC_EINVAL, "libsodium 初始化失败 / libsodium failed to start");
	/* The report's inline script is the file render_html.c inlines; its
	** hash goes into the CSP of every HTML report this server sends. */
	size_t len;
	char *js = read_web_file("report-charts.js", &len);
	if (!js)
		return FISC_OK; /* no bundle: reports carry no script, the SVG shows */
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)js, len);
	free(js);
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
	sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
	snprintf(report_csp, sizeof report_csp,
		 "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-%s'",
		 b64);
	srv_report_csp = report_csp;
	return FISC_OK;
}

static const char *type_of(const char *name)
{
	static const struct {
		const char *ext, *type;
	} t[] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
		{".png", "image/png"},                 {".json", "application/json; charset=utf-8"},
		{".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof t / sizeof *t; i++)
		if (!strcmp(dot, t[i].ext))
			return t[i].type;
	return NULL;
}

/* A file name of the bundle: letters, digits, '-', '_' and '.', not
** starting with a dot — no path can be smuggled in. */
static int plain_name(const char *s)
{
	if (!*s || *s == '.' || strlen(s) > 64)
		return 0;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') && !(*s >= '0' && *s <= '9') &&
		    !strchr("-_.", *s))
			return 0;
	return 1;
}

static int send_file(srv_ctx *c, const char *name)
{
	const char *type = type_of(name);
	size_t len = 0;
	char *data = plain_name(name) && type ? read_web_file(name, &len) : NULL;
	if (!data) {
		srv_error(c, 404, "ENOTFOUND", fisc_arena_printf(c->a, "没有这个文件「%s」（页面是否已用 make web "
								       "构建？）/ no such file '%s' (was the page "
								       "built with make web?)", name, name));
		return FISC_OK;
	}
	/* The ETag is the content's hash: a rebuilt bundle is fetched again,
	** an unchanged one is answered 304 without a body. */
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)data, len, NULL, 0);
	char hex[2 * sizeof h + 1];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	c->etag = fisc_arena_printf(c->a, "\"%s\"", hex);
	c->cache = "no-cache";
	c->csp = page_csp;
	c->content_type = type;
	const char *inm = c->req->if_none_match;
	if (inm && (strstr(inm, c->etag) || !strcmp(inm, "*"))) {
		c->status = 304;
	} else {
		fwrite(data, 1, len, c->out);
	}
	free(data);
	return FISC_OK;
}

int h_page(srv_ctx *c) { return send_file(c, "index.html"); }
int h_web_file(srv_ctx *c) { return send_file(c, c->req->params[0]); }

/* --- a department's 指标 lines --------------------------------------------- */

typedef struct quota_walk {
	const char *region, *dept;
	int year;
	json_t *lines, *payments;
	json_t **docs;      /* per line id: its documents' legs */
	json_t **journal;   /* per line id: the journal entries that moved it */
	GHashTable *by_doc; /* 文号 → json array of this department's line ids */
	GHashTable *by_key; /* payment key → its line id */
	size_t ndocs;
	unsigned char *mine;/* per line id: a line of this department */
	int64_t quota, paid, pending;
	int64_t month[13];
	int rc;
} quota_walk;

static json_t *money(int64_t fen)
{
	char t[64];
	fisc_fen_format(fen, FISC_UNIT_WAN, 2, FISC_FMT_GROUP, t, sizeof t);
	return json_pack("{s:I,s:s}", "fen", (json_int_t)fen, "text", t);
}

static json_t *pct(int64_t num, int64_t den)
{
	char t[32];
	if (den <= 0 || fisc_percent_format(num, den, 2, t, sizeof t) < 0)
		return json_null();
	return json_string(t);
}

static int size_cb(void *ud, const fisc_quota_line *l)
{
	size_t *n = ud;
	if ((size_t)l->id > *n)
		*n = (size_t)l->id;
	return 0;
}

static int is_mine(const quota_walk *w, const fisc_quota_line *l)
{
	return !strcmp(l->region, w->region) && !strcmp(l->dept, w->dept) &&
	       (!w->year || l->year == w->year);
}

static int mine_cb(void *ud, const fisc_quota_line *l)
{
	quota_walk *w = ud;
	if (l->id >= 1 && (size_t)l->id <= w->ndocs && is_mine(w, l))
		w->mine[l->id - 1] = 1;
	return 0;
}

static int leg_cb(void *ud, const fisc_quota_leg_row *r)
{
	quota_walk *w = ud;
	if (r->line < 1 || (size_t)r->line > w->ndocs || !w->mine[r->line - 1])
		return 0;
	json_t *d = money(r->fen);
	json_object_set_new(d, "no", json_string(r->doc_no));
	json_object_set_new(d, "date", json_integer(r->date));
	json_object_set_new(d, "kind", json_string(fisc_doc_kind_name(r->kind)));
	if (!w->docs[r->line - 1])
		w->docs[r->line - 1] = json_array();
	json_t *lines = g_hash_table_lookup(w->by_doc, r->doc_no);
	if (!lines) {
		lines = json_array();
		g_hash_table_insert(w->by_doc, g_strdup(r->doc_no), lines);
	}
	json_array_append_new(lines, json_integer(r->line));
	return json_array_append_new(w->docs[r->line - 1], d) ? FISC_ENOMEM : 0;
}

/* Field i of an entry's canonical bytes ("<len>:<bytes>," each; docs/ledger.md),
** copied into buf; 0 when there is no such field. */
static int field(const fisc_journal_entry *e, int i, char *buf, size_t cap)
{
	size_t at = 0;
	for (int k = 0; at < e->n; k++) {
		size_t len = 0;
		while (at < e->n && e->bytes[at] >= '0' && e->bytes[at] <= '9' && len < e->n)
			len = len * 10 + (size_t)(e->bytes[at++] - '0');
		if (at >= e->n || e->bytes[at] != ':' || len > e->n - at - 1)
			return 0;
		at++;
		if (k == i) {
			size_t n = len < cap - 1 ? len : cap - 1;
			memcpy(buf, e->bytes + at, n);
			buf[n] = 0;
			return 1;
		}
		at += len + 1; /* the bytes and the ',' */
	}
	return 0;
}

static void journal_to(quota_walk *w, int64_t line, const fisc_journal_entry *e, const char *kind,
		       const char *ref)
{
	if (line < 1 || (size_t)line > w->ndocs)
		return;
	char hex[2 * FISC_HASH_BYTES + 1];
	fisc_journal_hex(e->hash, hex);
	if (!w->journal[line - 1])
		w->journal[line - 1] = json_array();
	json_array_append_new(w->journal[line - 1],
			      json_pack("{s:I,s:s,s:s,s:s}", "seq", (json_int_t)e->seq, "hash", hex,
					"kind", kind, "ref", ref));
}

/* The journal entries behind this department's lines: documents by 文号,
** payment events by the payment's key. */
static int journal_cb(void *ud, const fisc_journal_entry *e)
{
	quota_walk *w = ud;
	char kind[4] = "", ref[512];
	if (!field(e, 1, kind, sizeof kind))
		return 0;
	int at = kind[0] == 'R' ? 3 : 2;
	if (!kind[0] || !strchr("DPCVR", kind[0]) || kind[1] || !field(e, at, ref, sizeof ref))
		return 0;
	if (kind[0] == 'D') {
		json_t *lines = g_hash_table_lookup(w->by_doc, ref);
		size_t i;
		json_t *v;
		json_array_foreach(lines, i, v)
			journal_to(w, json_integer_value(v), e, "指标文件", ref);
		return 0;
	}
	gpointer line = g_hash_table_lookup(w->by_key, ref);
	static const char *const names[] = {"支付申请", "确认支付", "退回", "退款"};
	if (line)
		journal_to(w, (int64_t)GPOINTER_TO_SIZE(line), e, names[strchr("PCVR", kind[0]) - "PCVR"],
			   ref);
	return 0;
}

static int line_cb(void *ud, const fisc_quota_line *l)
{
	quota_walk *w = ud;
	if (!is_mine(w, l))
		return 0;
	int64_t avail = l->quota - l->paid - l->pending;
	int in = l->id >= 1 && (size_t)l->id <= w->ndocs;
	json_t *docs = in ? w->docs[l->id - 1] : NULL, *jn = in ? w->journal[l->id - 1] : NULL;
	json_t *j = json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
			      "line", (json_int_t)l->id, "year", l->year, "book",
			      fisc_book_name(l->book), "project", l->project, "function", l->func,
			      "economic", l->econ, "fund_source", fisc_fund_name(l->fund), "fund_doc",
			      l->fund_doc, "expense_kind", fisc_exp_kind_name(l->kind), "quota",
			      money(l->quota), "paid", money(l->paid), "pending", money(l->pending),
			      "available", money(avail), "progress_pct", pct(l->paid, l->quota),
			      "documents", docs ? json_incref(docs) : json_array(), "journal",
			      jn ? json_incref(jn) : json_array());
	w->quota += l->quota;
	w->paid += l->paid;
	w->pending += l->pending;
	return json_array_append_new(w->lines, j) ? FISC_ENOMEM : 0;
}

static int pay_cb(void *ud, const fisc_payment *p)
{
	quota_walk *w = ud;
	if (p->line < 1 || (size_t)p->line > w->ndocs || !w->mine[p->line - 1])
		return 0;
	json_t *j = money(p->fen);
	json_object_set_new(j, "key", json_string(p->key));
	json_object_set_new(j, "line", json_integer(p->line));
	json_object_set_new(j, "payee", json_string(p->payee ? p->payee : ""));
	json_object_set_new(j, "purpose", json_string(p->purpose ? p->purpose : ""));
	json_object_set_new(j, "state", json_string(fisc_pay_state_name(p->state)));
	json_object_set_new(j, "refunded", money(p->refunded));
	json_object_set_new(j, "paid_on", json_integer(p->paid_on));
	g_hash_table_insert(w->by_key, g_strdup(p->key), GSIZE_TO_POINTER((gsize)p->line));
	return json_array_append_new(w->payments, j) ? FISC_ENOMEM : 0;
}

static int month_cb(void *ud, const fisc_quota_rollup_row *r)
{
	quota_walk *w = ud;
	if (!strcmp(r->region, w->region) && !strcmp(r->dept, w->dept) && r->month >= 1 &&
	    r->month <= 12)
		w->month[r->month] += r->fen;
	return 0;
}

/* GET /api/regions/{region}/departments/{dept}/quota?year=: the 指标 lines
** of one department, as `fisc quota status --department D` reads them, in
** 万元 (fen beside every text), each with its documents and the journal
** entries (seq and hash) of those documents and of its payments; the department's
** payments with their states; what was paid per month, and the cumulative
** 支出进度 of each month against the lines' 指标. */
int h_web_quota(srv_ctx *c)
{
	const char *y = srv_arg(c->req, "year");
	quota_walk w;
	memset(&w, 0, sizeof w);
	w.region = c->region.code;
	w.dept = c->req->params[1];
	w.year = y ? atoi(y) : 0;
	if (y && (w.year < 1949 || w.year > 2200)) {
		srv_error(c, 400, "EINVAL", "年度无效（1949–2200）/ bad year (1949-2200)");
		return FISC_OK;
	}
	int rc = fisc_store_quota_line_each(c->st, size_cb, &w.ndocs);
	w.docs = calloc(w.ndocs ? w.ndocs : 1, sizeof *w.docs);
	w.journal = calloc(w.ndocs ? w.ndocs : 1, sizeof *w.journal);
	w.mine = calloc(w.ndocs ? w.ndocs : 1, 1);
	w.by_doc = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)json_decref);
	w.by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	w.lines = json_array();
	w.payments = json_array();
	if (!w.docs || !w.journal || !w.mine)
		rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	if (rc == FISC_OK)
		rc = fisc_store_quota_line_each(c->st, mine_cb, &w);
	if (rc == FISC_OK)
		rc = fisc_store_quota_leg_each(c->st, leg_cb, &w);
	if (rc == FISC_OK)
		rc = fisc_store_payment_each(c->st, pay_cb, &w);
	if (rc == FISC_OK)
		rc = fisc_store_journal_each(c->st, 0, journal_cb, &w);
	if (rc == FISC_OK)
		rc = fisc_store_quota_line_each(c->st, line_cb, &w);
	if (rc == FISC_OK && w.year)
		rc = fisc_store_quota_rollup(c->st, w.year, month_cb, &w);
	for (size_t i = 0; i < w.ndocs; i++) {
		json_decref(w.docs ? w.docs[i] : NULL);
		json_decref(w.journal ? w.journal[i] : NULL);
	}
	free(w.docs);
	free(w.journal);
	g_hash_table_destroy(w.by_doc);
	g_hash_table_destroy(w.by_key);
	free(w.mine);
	if (rc != FISC_OK) {
		json_decref(w.lines);
		json_decref(w.payments);
		srv_error(c, rc == FISC_ENOTFOUND ? 404 : 500, fisc_error_name(rc),
			  *fisc_error_message() ? fisc_error_message() : "内部错误 / internal error");
		return FISC_OK;
	}
	json_t *months = json_array();
	int64_t cum = 0;
	for (int m = 1; w.year && m <= 12; m++) {
		cum += w.month[m];
		json_t *j = money(w.month[m]);
		json_object_set_new(j, "month", json_integer(m));
		json_object_set_new(j, "cumulative", money(cum));
		json_object_set_new(j, "progress_pct", pct(cum, w.quota));
		json_array_append_new(months, j);
	}
	json_t *total = json_pack("{s:o,s:o,s:o,s:o,s:o}", "quota", money(w.quota), "paid",
				  money(w.paid), "pending", money(w.pending), "available",
				  money(w.quota - w.paid - w.pending), "progress_pct",
				  pct(w.paid, w.quota));
	json_t *root = json_pack("{s:s,s:s,s:i,s:s,s:o,s:o,s:o,s:o}", "region", w.region,
				 "department", w.dept, "year", w.year, "unit", "万元", "lines",
				 w.lines, "total", total, "payments", w.payments, "months", months);
	c->content_type = "application/json; charset=utf-8";
	json_dumpf(root, c->out, JSON_COMPACT);
	json_decref(root);
	return FISC_OK;
}
