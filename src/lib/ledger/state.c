/*
** state.c — the ledger in memory and the one function that decides every
** write (lg_apply): see state.h for why writes and verification share it.
**
** An entry is refused, with the state unchanged, when it would break the
** invariant of a line (0 ≤ 已支付 + 在途 ≤ 指标), reuse a key or 文号, or
** move a payment from a state it is not in. All checks run before the first
** change, so a refusal never needs an undo.
*/
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/money.h"
#include "ledger/state.h"

/* ---- names ------------------------------------------------------------- */

static const char *const fund_names[] = {"", "本级财力", "上级转移支付", "债券", "上年结转"};
static const char *const fund_codes[] = {"", "local", "transfer", "bond", "carry"};
static const char *const exp_names[] = {"", "基本支出", "项目支出"};
static const char *const exp_codes[] = {"", "basic", "project"};
static const char *const doc_names[] = {"", "批复", "追加", "调减", "调剂", "收回", "结转", "下达"};
static const char *const doc_codes[] = {"", "approve", "add", "cut", "shift", "reclaim", "carry",
					"allot"};
static const char *const state_names[] = {"", "在途", "已支付", "已退回"};

#define NAMEOF(tab, i) ((i) > 0 && (size_t)(i) < sizeof tab / sizeof *tab ? tab[i] : "?")

const char *fisc_fund_name(int f) { return NAMEOF(fund_names, f); }
const char *fisc_exp_kind_name(int k) { return NAMEOF(exp_names, k); }
const char *fisc_doc_kind_name(int k) { return NAMEOF(doc_names, k); }
const char *fisc_pay_state_name(int s) { return NAMEOF(state_names, s); }

static int parse_in(const char *s, const char *const *names, const char *const *codes, int n)
{
	if (!s)
		return -1;
	for (int i = 1; i < n; i++)
		if (!strcmp(s, names[i]) || !strcmp(s, codes[i]))
			return i;
	return -1;
}

int fisc_fund_parse(const char *s)
{
	int v = parse_in(s, fund_names, fund_codes, 5);
	if (v < 0 && s && (!strcmp(s, "上级转移支付资金") || !strcmp(s, "转移支付")))
		v = FISC_FUND_TRANSFER;
	if (v < 0 && s && (!strcmp(s, "上年结转结余") || !strcmp(s, "结转")))
		v = FISC_FUND_CARRY;
	if (v < 0 && s && (!strcmp(s, "本级") || !strcmp(s, "一般公共预算")))
		v = FISC_FUND_LOCAL;
	return v;
}
int fisc_exp_kind_parse(const char *s) { return parse_in(s, exp_names, exp_codes, 3); }
int fisc_doc_kind_parse(const char *s)
{
	int v = parse_in(s, doc_names, doc_codes, 8);
	if (v < 0 && s && !strcmp(s, "年初批复"))
		v = FISC_DOC_APPROVE;
	return v;
}

/* ---- state ------------------------------------------------------------- */

int lg_state_init(lg_state *s)
{
	memset(s, 0, sizeof *s);
	s->a = fisc_arena_new();
	return s->a ? FISC_OK : fisc_error_set(FISC_ENOMEM, "out of memory");
}

void lg_state_free(lg_state *s)
{
	fisc_strmap_free(&s->line_by_key);
	fisc_strmap_free(&s->pay_by_key);
	fisc_strmap_free(&s->refund_by_key);
	fisc_strmap_free(&s->doc_by_no);
	free(s->pays);
	free(s->lines);
	fisc_arena_free(s->a);
	memset(s, 0, sizeof *s);
}

const char *lg_line_key(fisc_arena *a, const fisc_quota_line *l)
{
	/* NULL is "" here as in the canonical bytes: one identity, one key. */
#define T(x) ((x) ? (x) : "")
	return fisc_arena_printf(a, "%s\x1f%" PRId32 "\x1f%u\x1f%s\x1f%s\x1f%s\x1f%s\x1f%u\x1f%s\x1f%u",
				 T(l->region), l->year, l->book, T(l->dept), T(l->project), T(l->func),
				 T(l->econ), l->fund, T(l->fund_doc), l->kind);
#undef T
}

lg_line *lg_line_get(lg_state *s, int64_t id)
{
	return id >= 1 && (size_t)id <= s->nlines ? &s->lines[id - 1] : NULL;
}
lg_pay *lg_pay_get(lg_state *s, const char *key) { return fisc_strmap_get(&s->pay_by_key, key); }
lg_refund *lg_refund_get(lg_state *s, const char *key)
{
	return fisc_strmap_get(&s->refund_by_key, key);
}
lg_doc *lg_doc_get(lg_state *s, const char *no) { return fisc_strmap_get(&s->doc_by_no, no); }

void lg_line_figures(const fisc_quota_line *l, char *zh, char *en, size_t cap)
{
	char q[64], p[64], w[64], av[64];
	fisc_fen_format(l->quota, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, q, sizeof q);
	fisc_fen_format(l->paid, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, p, sizeof p);
	fisc_fen_format(l->pending, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, w, sizeof w);
	fisc_fen_format(l->quota - l->paid - l->pending, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, av,
			sizeof av);
	snprintf(zh, cap, "指标 %s 元，已支付 %s 元，在途 %s 元，可用 %s 元", q, p, w, av);
	snprintf(en, cap, "quota %s, paid %s, pending %s, available %s", q, p, w, av);
}

/* ---- canonical bytes --------------------------------------------------- */

static int buf_put(lg_buf *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n)
			cap *= 2;
		uint8_t *np = realloc(b->p, cap);
		if (!np)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	return FISC_OK;
}

static int enc_bytes(lg_buf *b, const char *s, size_t n)
{
	char head[24];
	int h = snprintf(head, sizeof head, "%zu:", n);
	int rc = buf_put(b, head, (size_t)h);
	if (rc == FISC_OK)
		rc = buf_put(b, s, n);
	if (rc == FISC_OK)
		rc = buf_put(b, ",", 1);
	return rc;
}

static int enc_str(lg_buf *b, const char *s)
{
	s = s ? s : "";
	return enc_bytes(b, s, strlen(s));
}

static int enc_int(lg_buf *b, int64_t v)
{
	char t[24];
	int n = snprintf(t, sizeof t, "%" PRId64, v);
	return enc_bytes(b, t, (size_t)n);
}

static int enc_head(lg_buf *b, char kind)
{
	b->n = 0;
	int rc = enc_str(b, "1");
	return rc == FISC_OK ? enc_bytes(b, &kind, 1) : rc;
}

int lg_encode_payment(lg_buf *b, const fisc_payment *p)
{
	int rc = enc_head(b, 'P');
	if (!rc) rc = enc_str(b, p->key);
	if (!rc) rc = enc_int(b, p->line);
	if (!rc) rc = enc_int(b, p->fen);
	if (!rc) rc = enc_str(b, p->payee);
	if (!rc) rc = enc_str(b, p->purpose);
	return rc;
}

int lg_encode_transition(lg_buf *b, int kind, const char *key, int32_t date)
{
	assert(kind == 'C' || kind == 'V');
	int rc = enc_head(b, (char)kind);
	if (!rc)
		rc = enc_str(b, key);
	if (!rc && kind == 'C')
		rc = enc_int(b, date);
	return rc;
}

int lg_encode_refund(lg_buf *b, const fisc_refund *r)
{
	int rc = enc_head(b, 'R');
	if (!rc) rc = enc_str(b, r->key);
	if (!rc) rc = enc_str(b, r->pay_key);
	if (!rc) rc = enc_int(b, r->fen);
	if (!rc) rc = enc_int(b, r->date);
	return rc;
}

int lg_encode_doc(lg_buf *b, const fisc_quota_doc *d)
{
	int rc = enc_head(b, 'D');
	if (!rc) rc = enc_str(b, d->no);
	if (!rc) rc = enc_int(b, d->date);
	if (!rc) rc = enc_int(b, d->kind);
	if (!rc) rc = enc_str(b, d->author);
	if (!rc) rc = enc_int(b, (int64_t)d->nlegs);
	for (size_t i = 0; !rc && i < d->nlegs; i++) {
		const fisc_quota_line *l = &d->legs[i].line;
		rc = enc_str(b, l->region);
		if (!rc) rc = enc_int(b, l->year);
		if (!rc) rc = enc_int(b, l->book);
		if (!rc) rc = enc_str(b, l->dept);
		if (!rc) rc = enc_str(b, l->project);
		if (!rc) rc = enc_str(b, l->func);
		if (!rc) rc = enc_str(b, l->econ);
		if (!rc) rc = enc_int(b, l->fund);
		if (!rc) rc = enc_str(b, l->fund_doc);
		if (!rc) rc = enc_int(b, l->kind);
		if (!rc) rc = enc_int(b, d->legs[i].fen);
	}
	return rc;
}

int lg_encode_record(lg_buf *b, const char *tag, const void *payload, size_t n)
{
	int rc = enc_head(b, 'F');
	if (!rc) rc = enc_str(b, tag);
	if (!rc) rc = enc_bytes(b, payload, n);
	return rc;
}

int lg_event_payload(lg_buf *b, const fisc_event *e)
{
	b->n = 0;
	const char *f[] = {e->at, e->actor, e->address, e->action, e->target, e->outcome};
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof f / sizeof *f; i++)
		rc = enc_str(b, f[i]);
	return rc;
}

void lg_buf_free(lg_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* ---- decoding ---------------------------------------------------------- */

/* Field copies of one entry: a payment's few short fields fit in `small`
** on the stack; only a long field or a document (many legs, line keys)
** takes an arena, made on first need. Replay and verify run lg_apply once
** per entry, and a fresh 64 KB arena block per entry cost more than the
** SHA-256 and the decision together. */
typedef struct dec {
	const uint8_t *p, *end;
	fisc_arena *a; /* per-apply scratch, NULL until needed */
	int bad;
	size_t used;
	char small[1024];
} dec;

static char *dec_copy(dec *d, const uint8_t *p, size_t n)
{
	char *c;
	if (n < sizeof d->small - d->used) {
		c = d->small + d->used;
		d->used += n + 1;
	} else {
		if (!d->a && !(d->a = fisc_arena_new()))
			return NULL;
		if (!(c = fisc_arena_alloc(d->a, n + 1)))
			return NULL;
	}
	memcpy(c, p, n);
	c[n] = 0;
	return c;
}

static fisc_arena *dec_arena(dec *d)
{
	if (!d->a)
		d->a = fisc_arena_new();
	return d->a;
}

static const char *dec_str(dec *d, size_t *len)
{
	size_t n = 0;
	const uint8_t *p = d->p;
	if (d->bad || p >= d->end || *p < '0' || *p > '9')
		goto bad;
	/* No leading zeros: one canonical spelling per length. */
	if (*p == '0' && p + 1 < d->end && p[1] != ':')
		goto bad;
	while (p < d->end && *p >= '0' && *p <= '9') {
		if (n > (SIZE_MAX - 9) / 10)
			goto bad;
		n = n * 10 + (size_t)(*p++ - '0');
	}
	if (p >= d->end || *p++ != ':' || (size_t)(d->end - p) < n + 1 || p[n] != ',')
		goto bad;
	d->p = p + n + 1;
	char *c = dec_copy(d, p, n);
	if (!c)
		goto bad;
	if (len)
		*len = n;
	return c;
bad:
	d->bad = 1;
	if (len)
		*len = 0;
	return "";
}

/* A decimal integer in its one canonical spelling: optional '-', no
** leading zeros, no "-0", within int64. */
static int64_t dec_int(dec *d)
{
	size_t n;
	const char *s = dec_str(d, &n);
	if (d->bad)
		return 0;
	size_t i = s[0] == '-';
	if (n == i || (s[i] == '0' && (n > i + 1 || i)))
		goto bad;
	uint64_t v = 0, lim = i ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (lim - (uint64_t)(s[i] - '0')) / 10)
			goto bad;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return s[0] == '-' ? (int64_t)(0 - v) : (int64_t)v;
bad:
	d->bad = 1;
	return 0;
}

/* A text field must be UTF-8 text without control characters: the line key
** separator 0x1f and line breaks would make two identities collide. */
static int clean_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static int valid_date(int64_t d)
{
	return d >= 19490101 && d <= 99991231 && d / 100 % 100 >= 1 && d / 100 % 100 <= 12 &&
	       d % 100 >= 1 && d % 100 <= 31;
}

static int refuse_bad(void)
{
	return fisc_error_set(FISC_EINVAL, "日志条目格式错误 / malformed journal entry");
}

/* ---- apply ------------------------------------------------------------- */

static int pay_request(lg_state *s, dec *d, int64_t *out_line)
{
	size_t kn, pn, un;
	const char *key = dec_str(d, &kn);
	int64_t line = dec_int(d), fen = dec_int(d);
	const char *payee = dec_str(d, &pn), *purpose = dec_str(d, &un);
	if (d->bad || d->p != d->end)
		return refuse_bad();
	if (!kn || !clean_text(key, kn) || !clean_text(payee, pn) || !clean_text(purpose, un))
		return fisc_error_set(FISC_EINVAL,
				      "支付键、收款人或用途为空或含控制字符 / empty key, or control characters in key, payee or purpose");
	if (lg_pay_get(s, key))
		return fisc_error_set(FISC_EEXIST, "支付键「%s」已存在 / payment key '%s' exists", key,
				      key);
	lg_line *l = lg_line_get(s, line);
	if (!l)
		return fisc_error_set(FISC_ENOTFOUND, "未知指标行 %" PRId64 " / unknown quota line %" PRId64,
				      line, line);
	*out_line = line;
	if (fen <= 0)
		return fisc_error_set(FISC_EINVAL, "支付金额必须为正 / payment amount must be positive");
	int64_t avail = l->l.quota - l->l.paid - l->l.pending;
	if (fen > avail) {
		char zh[256], en[256], amt[64];
		lg_line_figures(&l->l, zh, en, sizeof zh);
		fisc_fen_format(fen, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, amt, sizeof amt);
		return fisc_error_set(FISC_ERANGE,
				      "可用指标不足：申请 %s 元，指标行 %" PRId64 "：%s / insufficient quota: requested %s on line %" PRId64 ": %s",
				      amt, line, zh, amt, line, en);
	}
	if (s->npays == s->cappays) {
		size_t cap = s->cappays ? 2 * s->cappays : 1024;
		lg_pay **np = realloc(s->pays, cap * sizeof *np);
		if (!np)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		s->pays = np;
		s->cappays = cap;
	}
	lg_pay *p = fisc_arena_alloc(s->a, sizeof *p);
	char *k = fisc_arena_strdup(s->a, key);
	if (!p || !k)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	p->p = (fisc_payment){k, line, fen, fisc_arena_strdup(s->a, payee),
			      fisc_arena_strdup(s->a, purpose), FISC_PAY_PENDING, 0, 0,
			      (int64_t)s->npays + 1};
	if (!p->p.payee || !p->p.purpose || fisc_strmap_put(&s->pay_by_key, k, p))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	s->pays[s->npays++] = p;
	l->l.pending += fen;
	return FISC_OK;
}

static int pay_transition(lg_state *s, dec *d, int kind, int64_t *out_line)
{
	const char *key = dec_str(d, NULL);
	int64_t date = kind == 'C' ? dec_int(d) : 0;
	if (d->bad || d->p != d->end)
		return refuse_bad();
	if (kind == 'C' && !valid_date(date))
		return fisc_error_set(FISC_EINVAL, "支付日期无效 / bad payment date");
	lg_pay *p = lg_pay_get(s, key);
	if (!p)
		return fisc_error_set(FISC_ENOTFOUND, "未知支付键「%s」/ unknown payment key '%s'", key,
				      key);
	*out_line = p->p.line;
	if (p->p.state != FISC_PAY_PENDING)
		return fisc_error_set(FISC_EINVAL,
				      "支付「%s」状态为%s，不能%s / payment '%s' is %s, cannot be %s", key,
				      fisc_pay_state_name(p->p.state), kind == 'C' ? "确认支付" : "退回",
				      key, fisc_pay_state_name(p->p.state),
				      kind == 'C' ? "confirmed" : "voided");
	lg_line *l = lg_line_get(s, p->p.line);
	assert(l && l->l.pending >= p->p.fen);
	l->l.pending -= p->p.fen;
	if (kind == 'C') {
		l->l.paid += p->p.fen;
		p->p.state = FISC_PAY_PAID;
		p->p.paid_on = (int32_t)date;
	} else {
		p->p.state = FISC_PAY_VOID;
	}
	return FISC_OK;
}

static int pay_refund(lg_state *s, dec *d, int64_t *out_line)
{
	size_t kn;
	const char *key = dec_str(d, &kn), *pay_key = dec_str(d, NULL);
	int64_t fen = dec_int(d), date = dec_int(d);
	if (d->bad || d->p != d->end)
		return refuse_bad();
	if (!valid_date(date))
		return fisc_error_set(FISC_EINVAL, "退款日期无效 / bad refund date");
	if (!kn || !clean_text(key, kn))
		return fisc_error_set(FISC_EINVAL, "退款键为空或含控制字符 / empty refund key or control characters");
	if (lg_refund_get(s, key))
		return fisc_error_set(FISC_EEXIST, "退款键「%s」已存在 / refund key '%s' exists", key, key);
	lg_pay *p = lg_pay_get(s, pay_key);
	if (!p)
		return fisc_error_set(FISC_ENOTFOUND, "未知支付键「%s」/ unknown payment key '%s'",
				      pay_key, pay_key);
	*out_line = p->p.line;
	if (p->p.state != FISC_PAY_PAID)
		return fisc_error_set(FISC_EINVAL,
				      "支付「%s」状态为%s，只有已支付的可以退款 / payment '%s' is %s; only a paid payment can be refunded",
				      pay_key, fisc_pay_state_name(p->p.state), pay_key,
				      fisc_pay_state_name(p->p.state));
	if (fen <= 0 || fen > p->p.fen - p->p.refunded) {
		char a[64], b[64], c[64];
		fisc_fen_format(fen, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, a, sizeof a);
		fisc_fen_format(p->p.fen, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, b, sizeof b);
		fisc_fen_format(p->p.refunded, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, c, sizeof c);
		return fisc_error_set(FISC_ERANGE,
				      "退款 %s 元超出可退金额：支付 %s 元，已退款 %s 元 / refund %s exceeds what is refundable: paid %s, refunded %s",
				      a, b, c, a, b, c);
	}
	lg_refund *r = fisc_arena_alloc(s->a, sizeof *r);
	char *k = fisc_arena_strdup(s->a, key);
	if (!r || !k)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	r->r = (fisc_refund){k, p->p.key, fen, (int32_t)date, p->p.id};
	if (fisc_strmap_put(&s->refund_by_key, k, r))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	lg_line *l = lg_line_get(s, p->p.line);
	assert(l && l->l.paid >= fen);
	l->l.paid -= fen;
	p->p.refunded += fen;
	return FISC_OK;
}

static int up_kind(int k)
{
	return k == FISC_DOC_APPROVE || k == FISC_DOC_ADD || k == FISC_DOC_ALLOT;
}

/* A leg's line identity, checked. */
static int leg_line(dec *d, fisc_quota_line *l, int64_t *fen, long leg)
{
	size_t n[7];
	l->region = dec_str(d, &n[0]);
	l->year = (int32_t)dec_int(d);
	l->book = (uint8_t)dec_int(d);
	l->dept = dec_str(d, &n[1]);
	l->project = dec_str(d, &n[2]);
	l->func = dec_str(d, &n[3]);
	l->econ = dec_str(d, &n[4]);
	int64_t fund = dec_int(d);
	l->fund_doc = dec_str(d, &n[5]);
	int64_t kind = dec_int(d);
	*fen = dec_int(d);
	if (d->bad)
		return refuse_bad();
	l->fund = (uint8_t)fund;
	l->kind = (uint8_t)kind;
	for (int i = 0; i < 6; i++)
		if (!clean_text(i == 0 ? l->region : i == 1 ? l->dept : i == 2 ? l->project
						   : i == 3 ? l->func : i == 4 ? l->econ : l->fund_doc,
				n[i]))
			return fisc_error_set(FISC_EINVAL, "第 %ld 行：字段含控制字符 / leg %ld: control characters in a field", leg, leg);
	if (!n[0] || !n[1] || !n[4])
		return fisc_error_set(FISC_EINVAL,
				      "第 %ld 行：地区、部门和经济分类不能为空 / leg %ld: region, department and economic class are required",
				      leg, leg);
	if (l->year < 1949 || l->year > 9999 || l->book < 1 || l->book > 4 || fund < 1 || fund > 4 ||
	    kind < 1 || kind > 2)
		return fisc_error_set(FISC_EINVAL,
				      "第 %ld 行：年度、预算本、资金来源或支出类型无效 / leg %ld: bad year, book, fund source or expense kind",
				      leg, leg);
	if ((fund == FISC_FUND_TRANSFER) != (n[5] > 0))
		return fisc_error_set(FISC_EINVAL,
				      "第 %ld 行：上级转移支付须有文号，其他来源不应有 / leg %ld: a 上级转移支付 line needs its 文号, other sources none",
				      leg, leg);
	return FISC_OK;
}

/* Check a document leg by leg against the state (deltas accumulate in the
** lines' scratch; new lines are created only once everything passed). */
static int apply_doc(lg_state *s, dec *d, const uint8_t *bytes, size_t nbytes, int64_t *out_line)
{
	size_t non;
	const char *no = dec_str(d, &non);
	int64_t date = dec_int(d), kind = dec_int(d);
	size_t an;
	const char *author = dec_str(d, &an);
	int64_t nlegs = dec_int(d);
	(void)author;
	if (d->bad)
		return refuse_bad();
	if (!non || !clean_text(no, non) || !clean_text(author, an))
		return fisc_error_set(FISC_EINVAL, "文号为空或含控制字符 / empty 文号 or control characters");
	if (date < 19490101 || date > 99991231 || date % 100 < 1 || date % 100 > 31 ||
	    date / 100 % 100 < 1 || date / 100 % 100 > 12)
		return fisc_error_set(FISC_EINVAL, "文件「%s」日期无效 / document '%s': bad date", no, no);
	if (kind < 1 || kind > 7)
		return fisc_error_set(FISC_EINVAL, "文件「%s」类型无效 / document '%s': bad kind", no, no);
	if (nlegs < 1 || nlegs > 10000000)
		return fisc_error_set(FISC_EINVAL, "文件「%s」没有指标行 / document '%s' has no legs", no,
				      no);
	if (lg_doc_get(s, no))
		return fisc_error_set(FISC_EEXIST, "文号「%s」已存在 / document number '%s' exists", no,
				      no);

	fisc_quota_line *ids = calloc((size_t)nlegs, sizeof *ids);
	int64_t *fens = calloc((size_t)nlegs, sizeof *fens);
	lg_line **lines = calloc((size_t)nlegs, sizeof *lines);
	const char **keys = calloc((size_t)nlegs, sizeof *keys);
	fisc_strmap fresh = {0}; /* key of a line this document creates → its new delta slot */
	int64_t *fresh_delta = calloc((size_t)nlegs, sizeof *fresh_delta);
	size_t nfresh = 0;
	int rc = FISC_OK;
	int64_t sum = 0;
	if (!ids || !fens || !lines || !keys || !fresh_delta || !dec_arena(d)) {
		rc = fisc_error_set(FISC_ENOMEM, "out of memory");
		goto out;
	}
	for (int64_t i = 0; i < nlegs && rc == FISC_OK; i++) {
		rc = leg_line(d, &ids[i], &fens[i], (long)i + 1);
		if (rc)
			break;
		int64_t fen = fens[i];
		if (fen == 0 || (up_kind((int)kind) && fen < 0) ||
		    ((kind == FISC_DOC_CUT || kind == FISC_DOC_RECLAIM) && fen > 0)) {
			rc = fisc_error_set(FISC_EINVAL,
					    "文件「%s」第 %" PRId64 " 行：%s的金额方向不对 / document '%s' leg %" PRId64 ": wrong sign for a %s",
					    no, i + 1, fisc_doc_kind_name((int)kind), no, i + 1,
					    fisc_doc_kind_name((int)kind));
			break;
		}
		if ((kind == FISC_DOC_ALLOT && ids[i].fund != FISC_FUND_TRANSFER) ||
		    (kind == FISC_DOC_CARRY && fen > 0 && ids[i].fund != FISC_FUND_CARRY)) {
			rc = fisc_error_set(FISC_EINVAL,
					    "文件「%s」第 %" PRId64 " 行：下达须为上级转移支付、结转须为上年结转 / document '%s' leg %" PRId64 ": 下达 needs fund 上级转移支付, 结转 needs 上年结转",
					    no, i + 1, no, i + 1);
			break;
		}
		if (__builtin_add_overflow(sum, fen, &sum)) {
			rc = fisc_error_set(FISC_ERANGE, "金额超出范围 / amount out of range");
			break;
		}
		keys[i] = lg_line_key(d->a, &ids[i]);
		intptr_t id = (intptr_t)fisc_strmap_get(&s->line_by_key, keys[i]);
		if (id) {
			lg_line *l = lines[i] = lg_line_get(s, id);
			if (!l->touched) {
				l->touched = 1;
				l->delta = 0;
			}
			if (__builtin_add_overflow(l->delta, fen, &l->delta)) {
				rc = fisc_error_set(FISC_ERANGE, "金额超出范围 / amount out of range");
				break;
			}
			continue;
		}
		if (fen < 0) {
			rc = fisc_error_set(FISC_ENOTFOUND,
					    "文件「%s」第 %" PRId64 " 行：指标行不存在，不能调减 / document '%s' leg %" PRId64 ": no such line to reduce",
					    no, i + 1, no, i + 1);
			break;
		}
		uintptr_t slot = (uintptr_t)fisc_strmap_get(&fresh, keys[i]);
		if (!slot) {
			slot = ++nfresh;
			if (fisc_strmap_put(&fresh, keys[i], (void *)slot)) {
				rc = fisc_error_set(FISC_ENOMEM, "out of memory");
				break;
			}
		}
		if (__builtin_add_overflow(fresh_delta[slot - 1], fen, &fresh_delta[slot - 1])) {
			rc = fisc_error_set(FISC_ERANGE, "金额超出范围 / amount out of range");
			break;
		}
	}
	if (rc == FISC_OK && (d->bad || d->p != d->end))
		rc = refuse_bad();
	/* A 结转 either only brings carried lines in (the old year's side in
	** another book), or moves unspent quota from the old year's lines to
	** the new year's carried lines: then it nets to zero like a 调剂. */
	int carry_moves = 0;
	for (int64_t i = 0; rc == FISC_OK && kind == FISC_DOC_CARRY && i < nlegs; i++)
		carry_moves |= fens[i] < 0;
	if (rc == FISC_OK && carry_moves && sum != 0)
		rc = fisc_error_set(FISC_EINVAL,
				    "结转文件「%s」转出与转入须相等 / 结转 document '%s': what leaves must equal what arrives", no,
				    no);
	if (rc == FISC_OK && kind == FISC_DOC_SHIFT && (sum != 0 || nlegs < 2))
		rc = fisc_error_set(FISC_EINVAL,
				    "调剂文件「%s」各行合计须为零 / 调剂 document '%s' must net to zero", no,
				    no);
	/* The invariant, per touched line: the new quota covers 已支付 + 在途. */
	for (int64_t i = 0; rc == FISC_OK && i < nlegs; i++) {
		lg_line *l = lines[i];
		int64_t q;
		if (!l)
			continue;
		if (__builtin_add_overflow(l->l.quota, l->delta, &q)) {
			rc = fisc_error_set(FISC_ERANGE, "金额超出范围 / amount out of range");
		} else if (q < l->l.paid + l->l.pending) {
			char zh[256], en[256], dl[64];
			lg_line_figures(&l->l, zh, en, sizeof zh);
			fisc_fen_format(l->delta, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP | FISC_FMT_PLUS, dl,
					sizeof dl);
			rc = fisc_error_set(FISC_ERANGE,
					    "文件「%s」使指标行 %" PRId64 " 低于已支付+在途：变动 %s 元，%s / document '%s' would take line %" PRId64 " below paid + pending: change %s; %s",
					    no, l->l.id, dl, zh, no, l->l.id, dl, en);
		}
	}
	for (size_t i = 0; rc == FISC_OK && i < nfresh; i++)
		if (fresh_delta[i] <= 0)
			rc = fisc_error_set(FISC_EINVAL, "文件「%s」新建的指标行金额须为正 / document '%s': a new line needs a positive amount", no, no);
	if (rc == FISC_OK) {
		/* Everything passed: create lines, then move quotas. */
		lg_doc *doc = fisc_arena_alloc(s->a, sizeof *doc);
		if (!doc) {
			rc = fisc_error_set(FISC_ENOMEM, "out of memory");
			goto out;
		}
		doc->no = fisc_arena_strdup(s->a, no);
		doc->nlines_before = (int64_t)s->nlines;
		fisc_journal_hash((const uint8_t[FISC_HASH_BYTES]){0}, bytes, nbytes, doc->digest);
		if (s->nlines + nfresh > s->cap) {
			size_t cap = s->cap ? s->cap : 64;
			while (cap < s->nlines + nfresh)
				cap *= 2;
			lg_line *nl = realloc(s->lines, cap * sizeof *nl);
			if (!nl) {
				rc = fisc_error_set(FISC_ENOMEM, "out of memory");
				goto out;
			}
			s->lines = nl;
			s->cap = cap;
		}
		if (fisc_strmap_put(&s->doc_by_no, doc->no, doc)) {
			rc = fisc_error_set(FISC_ENOMEM, "out of memory");
			goto out;
		}
		for (int64_t i = 0; i < nlegs; i++) {
			lg_line *l = lines[i];
			if (!l) {
				intptr_t id = (intptr_t)fisc_strmap_get(&s->line_by_key, keys[i]);
				if (!id) {
					lg_line *nl = &s->lines[s->nlines++];
					memset(nl, 0, sizeof *nl);
					fisc_quota_line *q = &nl->l, *src = &ids[i];
					q->id = (int64_t)s->nlines;
					q->region = fisc_arena_strdup(s->a, src->region);
					q->year = src->year;
					q->book = src->book;
					q->dept = fisc_arena_strdup(s->a, src->dept);
					q->project = fisc_arena_strdup(s->a, src->project);
					q->func = fisc_arena_strdup(s->a, src->func);
					q->econ = fisc_arena_strdup(s->a, src->econ);
					q->fund = src->fund;
					q->fund_doc = fisc_arena_strdup(s->a, src->fund_doc);
					q->kind = src->kind;
					nl->key = fisc_arena_strdup(s->a, keys[i]);
					if (fisc_strmap_put(&s->line_by_key, nl->key,
							    (void *)(intptr_t)q->id))
						abort(); /* out of memory half-way: no way back */
					id = q->id;
				}
				l = lg_line_get(s, id);
			}
			l->l.quota += fens[i];
			l->touched = 0;
			if (i == 0)
				*out_line = l->l.id;
		}
	}
out:
	for (int64_t i = 0; lines && i < nlegs; i++)
		if (lines[i])
			lines[i]->touched = 0;
	fisc_strmap_free(&fresh);
	free(ids);
	free(fens);
	free(lines);
	free(keys);
	free(fresh_delta);
	return rc;
}

void lg_undo_doc(lg_state *s, const uint8_t *bytes, size_t n)
{
	fisc_arena *scratch = fisc_arena_new();
	if (!scratch)
		abort();
	dec d = {.p = bytes, .end = bytes + n, .a = scratch};
	dec_str(&d, NULL);
	dec_str(&d, NULL);
	const char *no = dec_str(&d, NULL);
	dec_int(&d);
	dec_int(&d);
	dec_str(&d, NULL);
	int64_t nlegs = dec_int(&d);
	lg_doc *doc = lg_doc_get(s, no);
	assert(!d.bad && doc);
	for (int64_t i = 0; i < nlegs; i++) {
		fisc_quota_line id;
		int64_t fen;
		if (leg_line(&d, &id, &fen, (long)i + 1) != FISC_OK)
			abort(); /* it was applied, so it decodes */
		intptr_t lid = (intptr_t)fisc_strmap_get(&s->line_by_key, lg_line_key(scratch, &id));
		lg_line *l = lg_line_get(s, lid);
		assert(l);
		l->l.quota -= fen;
	}
	/* The lines it created are the last ones (documents are undone newest
	** first): forget them. */
	while ((int64_t)s->nlines > doc->nlines_before) {
		lg_line *l = &s->lines[--s->nlines];
		assert(l->l.quota == 0 && l->l.paid == 0 && l->l.pending == 0);
		fisc_strmap_put(&s->line_by_key, l->key, NULL);
	}
	fisc_strmap_put(&s->doc_by_no, doc->no, NULL);
	fisc_arena_free(scratch);
}

int lg_apply(lg_state *s, const uint8_t *bytes, size_t n, int64_t *line)
{
	/* Not `dec d = {...}`: that zeroes the 1 KB scratch, once per entry of
	** every replay; dec_copy writes what it hands out. */
	dec d;
	d.p = bytes;
	d.end = bytes + n;
	d.a = NULL;
	d.bad = 0;
	d.used = 0;
	int64_t dummy;
	if (!line)
		line = &dummy;
	*line = 0;
	size_t vn, kn;
	const char *v = dec_str(&d, &vn), *k = dec_str(&d, &kn);
	int rc;
	if (d.bad || vn != 1 || v[0] != '1' || kn != 1)
		rc = refuse_bad();
	else if (k[0] == 'P')
		rc = pay_request(s, &d, line);
	else if (k[0] == 'C' || k[0] == 'V')
		rc = pay_transition(s, &d, k[0], line);
	else if (k[0] == 'R')
		rc = pay_refund(s, &d, line);
	else if (k[0] == 'D')
		rc = apply_doc(s, &d, bytes, n, line);
	else if (k[0] == 'F') {
		/* A record of another write: chained, no balance moves. */
		size_t tn;
		const char *tag = dec_str(&d, &tn);
		dec_str(&d, NULL);
		rc = d.bad || d.p != d.end || !tn || !clean_text(tag, tn) ? refuse_bad() : FISC_OK;
	}
	else
		rc = refuse_bad();
	fisc_arena_free(d.a);
	return rc;
}
