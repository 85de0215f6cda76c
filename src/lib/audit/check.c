/*
** check.c — judging the claims, and the checks that need no arithmetic.
**
** Rounding (DOMAIN.md §9): a written figure x with last-digit unit u stands
** for [x − u/2, x + u/2]. A sum of parts is compared with its total on those
** intervals: EXACT when the figures as written agree, WITHIN ROUNDING when
** only the intervals allow it, FAILED otherwise. A percentage is recomputed
** at every corner of its inputs' intervals (the ratios used are monotone in
** each input), so the stated percentage, itself an interval, must meet the
** range the inputs allow. Nothing here has a fixed tolerance.
**
** All arithmetic is on integers: amounts in half-fen (2·fen ± ulp) and
** ratios as fractions of __int128.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include "audit/internal.h"
#include "fisc/fact.h"

typedef __int128 i128;

static au_tok *T(au_doc *d, int k) { return &d->toks.v[k]; }

const char *fisc_audit_verdict_code(int v)
{
	static const char *const c[] = {"exact", "within_rounding", "failed", "unverifiable"};
	return v >= 0 && v <= 3 ? c[v] : "unverifiable";
}

au_find *au_find_new(au_doc *d, const char *rule, int sev, int line, int sent, int block)
{
	au_find *f = AU_PUSH(d->w, d->finds);
	f->rule = rule;
	f->sev = sev;
	f->line = line;
	f->sent = sent;
	f->block = block;
	return f;
}

static void find_line(au_doc *d, au_find *f, int line)
{
	for (size_t i = 0; i < f->lines.n; i++)
		if (f->lines.v[i] == line)
			return;
	int *p = AU_PUSH(d->w, f->lines);
	*p = line;
}

const char *au_sent_text(au_doc *d, int sent, int block)
{
	size_t b, e;
	if (sent >= 0) {
		au_sent *se = &d->sents.v[sent];
		b = se->beg;
		e = se->end;
		if (se->term && e + 3 <= d->n)
			e += (unsigned char)d->s[e] < 0x80 ? 1 : 3;
	} else if (block >= 0) {
		b = d->blocks.v[block].beg;
		e = d->blocks.v[block].end;
	} else {
		return "";
	}
	char *t = au_span(d, b, e);
	for (char *p = t; *p; p++)
		if (*p == '\t' || *p == '\n')
			*p = ' ';
	return t;
}

/* ---- formatting ------------------------------------------------------------ */

static const char *fmt(au_doc *d, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(au_doc *d, const char *f, ...)
{
	/* as long as it needs: a fixed buffer would cut a message inside a
	** character (audit.c cuts what is too long, on a boundary) */
	va_list ap, ap2;
	va_start(ap, f);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	char *p = n >= 0 ? fisc_arena_alloc(d->w, (size_t)n + 1) : NULL;
	if (p)
		vsnprintf(p, (size_t)n + 1, f, ap2);
	else
		au_oom = 1;
	va_end(ap2);
	return p ? p : "";
}

/* Decimals needed to show an amount of this ulp in `unit`. */
static int decs(fisc_fen ulp, int unit)
{
	if (ulp <= 0)
		ulp = 1;
	int dd = fisc_unit_decimals_for(ulp, (fisc_unit)unit);
	return dd < 0 ? 2 : dd;
}

/* Decimals that show `fen` in `unit` exactly, at least `min`. */
static int exact_decs(fisc_fen fen, int unit, int min)
{
	fisc_fen step = fisc_unit_fen((fisc_unit)unit);
	int dd = 0;
	while (dd < 8 && step > 1 && fen % step) {
		step /= 10;
		dd++;
	}
	return dd > min ? dd : min;
}

/* q = n / den, rounded half away from zero to `dec` decimals, as text. */
static const char *fmt_ratio(au_doc *d, i128 n, i128 den, int dec)
{
	if (den < 0)
		n = -n, den = -den;
	i128 scale = 1;
	for (int i = 0; i < dec; i++)
		scale *= 10;
	i128 num = n * scale;
	int neg = num < 0;
	if (neg)
		num = -num;
	i128 q = (2 * num + den) / (2 * den);
	long long ip = (long long)(q / scale), fp = (long long)(q % scale);
	if (dec)
		return fmt(d, "%s%lld.%0*lld%%", neg && q ? "-" : "", ip, dec, fp);
	return fmt(d, "%s%lld%%", neg && q ? "-" : "", ip);
}

static const char *pct_text(au_doc *d, const au_tok *p)
{
	int64_t v = p->pv < 0 ? -p->pv : p->pv;
	int64_t sc = 1;
	for (int i = 0; i < p->pdec; i++)
		sc *= 10;
	if (p->pdec)
		return fmt(d, "%s%lld.%0*lld%%", p->pv < 0 ? "-" : "", (long long)(v / sc), p->pdec,
			   (long long)(v % sc));
	return fmt(d, "%s%lld%%", p->pv < 0 ? "-" : "", (long long)v);
}

/* A part as written, with its unit only when it differs from `unit`. */
static const char *part_text(au_doc *d, const au_tok *t, int unit)
{
	char buf[80];
	int fl = t->eff.unit != unit ? FISC_FMT_UNIT : 0;
	if (fisc_fen_format(t->eff.fen < 0 ? -t->eff.fen : t->eff.fen, (fisc_unit)t->eff.unit,
			    t->eff.decimals, fl, buf, sizeof buf) < 0)
		return "?";
	return fmt(d, "%s", buf);
}

static const char *expr_of(au_doc *d, const au_claim *c, int unit)
{
	char buf[2048];
	size_t n = 0;
	buf[0] = 0;
	int i = 0;
	for (; i < c->nparts && n + 100 < sizeof buf; i++) {
		const au_tok *t = T(d, c->parts[i]);
		int neg = (c->signs[i] < 0) != (t->eff.fen < 0);
		const char *op = i == 0 ? (neg ? "−" : "") : (neg ? " − " : " + ");
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", op, part_text(d, t, unit));
	}
	if (i < c->nparts) /* a long list: say how long, not all of it */
		return fmt(d, "%s + …（共%d项 / %d parts）", buf, c->nparts, c->nparts);
	return fmt(d, "%s", buf);
}

/* ---- sums -------------------------------------------------------------------- */

typedef struct sumres {
	i128 s2, w;      /* Σ in half-fen, Σ ulp */
	fisc_fen sum;    /* Σ fen */
	fisc_fen minulp;
} sumres;

static sumres sum_parts(au_doc *d, const au_claim *c)
{
	sumres r = {0, 0, 0, 0};
	for (int i = 0; i < c->nparts; i++) {
		const au_tok *t = T(d, c->parts[i]);
		r.s2 += (i128)c->signs[i] * 2 * t->eff.fen;
		r.sum += c->signs[i] * t->eff.fen;
		fisc_fen u = (t->flags & TF_BARE) ? 0 : t->eff.ulp;
		r.w += u;
		if (u && (!r.minulp || u < r.minulp))
			r.minulp = u;
	}
	return r;
}

static int sum_verdict(i128 s2, i128 w, i128 t2, i128 u, int rel)
{
	i128 diff = s2 - t2;
	if (rel == REL_LE) {
		if (diff <= 0)
			return FISC_AUDIT_EXACT;
		return diff <= w + u ? FISC_AUDIT_WITHIN : FISC_AUDIT_FAILED;
	}
	if (diff == 0)
		return FISC_AUDIT_EXACT;
	if (diff < 0)
		diff = -diff;
	return diff <= w + u ? FISC_AUDIT_WITHIN : FISC_AUDIT_FAILED;
}

/* The claim as its parts now stand holds (exactly or within rounding). */
static int claim_holds(au_doc *d, const au_claim *c)
{
	const au_tok *tt = T(d, c->total);
	sumres r = sum_parts(d, c);
	i128 t2 = (i128)c->tsign * 2 * tt->eff.fen;
	i128 u = (tt->flags & TF_BARE) ? 0 : tt->eff.ulp;
	return sum_verdict(r.s2, r.w, t2, u, c->rel) != FISC_AUDIT_FAILED;
}

/* Does the run of parts [i, j) add up to part h (a breakdown of it, or the
** same figure written twice)? */
static int run_restates(au_doc *d, const au_claim *c, int h, int i, int j)
{
	i128 s2 = 0, w = 0;
	for (int k = i; k < j; k++) {
		const au_tok *t = T(d, c->parts[k]);
		s2 += 2 * (i128)t->eff.fen;
		w += (t->flags & TF_BARE) ? 0 : t->eff.ulp;
	}
	const au_tok *ht = T(d, c->parts[h]);
	i128 u = (ht->flags & TF_BARE) ? 0 : ht->eff.ulp;
	return sum_verdict(s2, w, 2 * (i128)ht->eff.fen, u, REL_EQ) != FISC_AUDIT_FAILED;
}

/* A failed sum read another reasonable way. Chinese breakdowns nest ("一般
** 预算收入20707万元，其中：税收8059万元，非税12648万元，上级补助…"), end
** before the sentence does ("余额…包括一般债务…专项债务…，控制在限额…之内"),
** and name their total next to an earlier figure ("比报告数567118万元增加
** 8226万元"). When one of these readings holds the claim is that reading:
** the parts (or the total) are replaced and 1 is returned. Lists longer than
** 64 parts are left as written: nesting is a feature of short prose lists,
** and the search is quadratic in the list. */
static int reread_sum(au_doc *d, au_claim *c)
{
	int n = c->nparts;
	if (n < 2 || n > 64 || c->total < 0)
		return 0;
	/* the total is one of its own parts: the claim was misread, not made */
	for (int i = 0; i < n; i++)
		if (c->parts[i] == c->total ||
		    T(d, c->parts[i])->eff.fen == T(d, c->total)->eff.fen)
			return -1;
	/* a sub-breakdown right after the part it breaks down, or a part
	** repeated: left out */
	for (int i = 1; i < n; i++)
		for (int j = i + 1; j <= n && j - i < n - 1; j++) {
			if (!run_restates(d, c, i - 1, i, j))
				continue;
			int *p = c->parts, *sg = c->signs;
			int keep[64], ks[64], m = 0;
			for (int k = 0; k < n; k++)
				if (k < i || k >= j) {
					keep[m] = p[k];
					ks[m++] = sg[k];
				}
			int save[64], ssave[64];
			memcpy(save, p, sizeof *p * (size_t)n);
			memcpy(ssave, sg, sizeof *sg * (size_t)n);
			memcpy(p, keep, sizeof *p * (size_t)m);
			memcpy(sg, ks, sizeof *sg * (size_t)m);
			c->nparts = m;
			if (claim_holds(d, c))
				return 1;
			memcpy(p, save, sizeof *p * (size_t)n);
			memcpy(sg, ssave, sizeof *sg * (size_t)n);
			c->nparts = n;
		}
	/* the breakdown ends before the sentence does */
	if (c->kind == CK_SUM)
		for (int k = n - 1; k >= 1; k--) {
			c->nparts = k;
			if (claim_holds(d, c))
				return 1;
		}
	c->nparts = n;
	/* the total is another figure of the same sentence: the one the parts
	** give, where the nearest was a base it was compared with */
	const au_tok *tt = T(d, c->total);
	if (tt->sent >= 0) {
		const au_sent *st = &d->sents.v[tt->sent];
		int found = -1, nfound = 0;
		for (int k = st->tok0; k < st->tok0 + st->ntok; k++) {
			if (k == c->total || !au_is_value(d, k) || T(d, k)->eff.unit != tt->eff.unit)
				continue;
			int part = 0;
			for (int i = 0; i < n && !part; i++)
				part = c->parts[i] == k;
			if (part)
				continue;
			int t0 = c->total;
			c->total = k;
			if (claim_holds(d, c)) {
				found = k;
				nfound++;
			}
			c->total = t0;
		}
		if (nfound == 1) {
			c->total = found;
			return 1;
		}
	}
	return 0;
}

/* "加上上解支出…、调出资金增加10,239万元、…，总支出…": a figure among the
** additions of a balance that reads as a change ("增加") may be the item
** itself. When adding exactly one such figure makes the balance hold, that
** is the reading: it joins the parts and 1 is returned. */
static int balance_with_change(au_doc *d, au_claim *c)
{
	if (c->total < 0 || !c->nparts)
		return 0;
	const au_tok *tt = T(d, c->total);
	const au_tok *p0 = T(d, c->parts[0]);
	if (tt->sent < 0 || p0->sent != tt->sent)
		return 0;
	const au_sent *st = &d->sents.v[tt->sent];
	int found = -1;
	for (int k = st->tok0; k < st->tok0 + st->ntok; k++) {
		const au_tok *t = T(d, k);
		if (t->kind != TK_AMOUNT || t->role != R_CHANGE || t->beg < p0->end ||
		    t->end > tt->beg || t->eff.unit != tt->eff.unit)
			continue;
		int n0 = c->nparts;
		au_claim_part(d, c, k, 1);
		if (c->nparts == n0)
			return 0; /* out of memory: reported at the end */
		int ok = claim_holds(d, c);
		c->nparts--;
		if (ok) {
			if (found >= 0)
				return 0; /* two readings: leave it as written */
			found = k;
		}
	}
	if (found < 0)
		return 0;
	au_claim_part(d, c, found, 1);
	return 1;
}

/* Figures a balance may take its base from ("加上级补助收入等185亿元，收入
** 总计311亿元" takes the book's own revenue stated before): amounts of an
** item, not bounds or approximations, sorted by item and context, then by
** token. Built when first needed; what it reads of a token is final after
** au_context. */
typedef struct bkey {
	int item, year, book, scope, phase, qual;
	int tok;
} bkey;

static int cmp_bkey(const void *x, const void *y)
{
	const bkey *a = x, *b = y;
#define CMPK(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
	CMPK(item);
	CMPK(year);
	CMPK(book);
	CMPK(scope);
	CMPK(phase);
	CMPK(qual);
	CMPK(tok);
#undef CMPK
	return 0;
}

/* The last figure of `item` in context *cx among the text's tokens before
** token k0, or -1. */
static int base_before(au_doc *d, int item, const au_ctx *cx, size_t k0)
{
	if (!d->bidx) {
		bkey *v = fisc_arena_alloc(d->w, (d->nlex + 1) * sizeof *v);
		if (!v) {
			au_oom = 1;
			return -1;
		}
		size_t n = 0;
		for (size_t k = 0; k < d->nlex; k++) {
			au_tok *t = T(d, (int)k);
			if (t->kind == TK_AMOUNT && t->role == R_PRINCIPAL && t->item >= 0 &&
			    !(t->flags & (TF_BOUND | TF_APPROX)))
				v[n++] = (bkey){t->item, t->ctx.year, t->ctx.book, t->ctx.scope,
						t->ctx.phase, t->ctx.qual, (int)k};
		}
		qsort(v, n, sizeof *v, cmp_bkey);
		d->bidx = v;
		d->nbidx = n;
	}
	const bkey *v = d->bidx;
	bkey want = {item, cx->year, cx->book, cx->scope, cx->phase, cx->qual, (int)k0};
	/* the first entry at or after (key, k0); the one before it, if of the key */
	size_t lo = 0, hi = d->nbidx;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp_bkey(&v[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return -1;
	want.tok = v[lo - 1].tok;
	return cmp_bkey(&v[lo - 1], &want) ? -1 : want.tok;
}

/* Resolve a figure a claim names without giving it. */
static void resolve_base(au_doc *d, au_claim *c)
{
	if (!c->base_missing)
		return;
	int found = -1;
	if (c->base_missing == BM_LABEL && c->nparts) {
		/* "区金库一般公共预算收入加…": the base was stated in an earlier sentence */
		au_tok *p0 = T(d, c->parts[0]);
		const char *bl = p0->baselabel;
		int item = au_lex_item(bl);
		if (item >= 0) {
			au_ctx cx = p0->ctx;
			size_t n = strlen(bl);
			int sc = au_scope_word(bl, 0, n);
			if (sc)
				cx.scope = sc;
			cx.qual = strstr(bl, "金库") != NULL;
			int bk = au_book_word(bl, 0, n);
			if (bk >= 0)
				cx.book = bk;
			found = au_fact_find(d, &cx, 1u << cx.phase, item, -1);
		}
	} else if (c->base_missing == BM_INTRO && c->sent >= 0) {
		/* an enumeration under "区级主要支出执行情况为：" */
		au_sent *se = &d->sents.v[c->sent];
		const char *intro = au_span(d, se->beg, se->end);
		int item = strstr(intro, "支出") ? au_lex_item("本级支出")
			   : strstr(intro, "收入") ? au_lex_item("本级收入")
						  : -1;
		au_ctx cx = se->ctx;
		cx.qual = 0;
		if (item >= 0 && cx.year && cx.book >= 0 && cx.phase)
			found = au_fact_find(d, &cx, 1u << cx.phase, item, -1);
	}
	if ((c->base_missing == BM_ADD || c->base_missing == BM_LIST) && c->nparts && c->total >= 0) {
		/* "加上级补助收入等185亿元，收入总计311亿元": the book's own revenue
		** (or expenditure) stated before, in the same year, book, scope and phase */
		au_tok *tt = T(d, c->total);
		const char *tid = au_item_id(tt->item);
		int item = !strcmp(tid, "income_total") ? au_lex_item("本级收入")
			   : !strcmp(tid, "expense_total") ? au_lex_item("本级支出")
							   : -1;
		au_tok *p0 = T(d, c->parts[0]);
		au_ctx cx = p0->ctx;
		/* the nearest such figure before, whether or not a claim used it */
		if (item >= 0 && cx.year && cx.book >= 0 && cx.phase)
			found = base_before(d, item, &cx, au_tok_at(d, p0->beg));
		/* a list of transfers alone can be the whole (a book with no revenue
		** of its own: "上级补助收入631万元，上年结余2017万元，收入总计2648万元") */
		if (found < 0 && c->base_missing == BM_LIST) {
			c->base_missing = BM_NONE;
			c->kind = CK_SUM;
			c->rule = "audit.sum";
			return;
		}
	}
	if (found < 0)
		return;
	if (c->base_missing == BM_INTRO) {
		c->total = found;
	} else {
		/* put the base first */
		au_claim_part(d, c, found, 1);
		for (int i = c->nparts - 1; i > 0; i--) {
			c->parts[i] = c->parts[i - 1];
			c->signs[i] = c->signs[i - 1];
		}
		c->parts[0] = found;
		c->signs[0] = 1;
	}
	c->base_missing = BM_NONE;
}

/* "共计发行债券86.8亿元" over "一般债券9.11、专项债券49.21、举借外贷0.83、
** 再融资债券28.48": the total counts the parts of its own kind (债券), not
** the others listed beside them. Tried only when all the parts fail. */
static void same_kind_parts(au_doc *d, au_claim *c, sumres *r, i128 t2, i128 u)
{
	const char *tl = T(d, c->total)->label;
	char noun[16];
	size_t n = strlen(tl);
	static const char *const kws[] = {"共计", "合计", "总计"};
	char buf[256];
	if (n >= sizeof buf)
		return;
	memcpy(buf, tl, n + 1);
	for (size_t k = 0; k < sizeof kws / sizeof *kws; k++) {
		char *p = strstr(buf, kws[k]);
		if (p)
			memmove(p, p + 6, strlen(p + 6) + 1);
	}
	n = strlen(buf);
	if (n < 6)
		return;
	memcpy(noun, buf + n - 6, 6); /* the last two characters: 债券, 支出 … */
	noun[6] = 0;
	int keep[256], nk = 0, nout = 0;
	if (c->nparts > 256)
		return; /* a long list is read as written */
	for (int i = 0; i < c->nparts; i++) {
		const char *pl = T(d, c->parts[i])->label;
		if (pl && strstr(pl, noun))
			keep[nk++] = i;
		else
			nout++;
	}
	if (nk < 2 || !nout)
		return;
	au_claim tmp = *c;
	int parts[256], signs[256];
	for (int i = 0; i < nk; i++) {
		parts[i] = c->parts[keep[i]];
		signs[i] = c->signs[keep[i]];
	}
	tmp.parts = parts;
	tmp.signs = signs;
	tmp.nparts = nk;
	sumres r2 = sum_parts(d, &tmp);
	int v2 = sum_verdict(r2.s2, r2.w, t2, u, REL_EQ);
	if (v2 == FISC_AUDIT_FAILED)
		return;
	memcpy(c->parts, parts, nk * sizeof(int));
	memcpy(c->signs, signs, nk * sizeof(int));
	c->nparts = nk;
	c->verdict = v2;
	*r = r2;
}

static const char *what_zh(const au_claim *c)
{
	switch (c->kind) {
	case CK_BALANCE: return "平衡关系中的合计";
	case CK_TABLE: return "表中合计";
	case CK_DIFF: return "差额（余额）";
	case CK_PARTIAL: return "合计";
	default: return "合计";
	}
}

static const char *what_en(const au_claim *c)
{
	switch (c->kind) {
	case CK_BALANCE: return "the total of the balance";
	case CK_TABLE: return "the table's total";
	case CK_DIFF: return "the resulting balance";
	default: return "the total";
	}
}

static void eval_sum(au_doc *d, au_claim *c)
{
	resolve_base(d, c);
	if (c->total < 0 || c->base_missing || !c->nparts) {
		c->verdict = FISC_AUDIT_UNVERIFIABLE;
		return;
	}
	au_tok *tt = T(d, c->total);
	for (int i = 0; i < c->nparts; i++)
		if (T(d, c->parts[i])->flags & TF_BOUND) {
			c->verdict = FISC_AUDIT_UNVERIFIABLE;
			return;
		}
	if (tt->flags & TF_BOUND) {
		c->verdict = FISC_AUDIT_UNVERIFIABLE;
		return;
	}
	sumres r = sum_parts(d, c);
	i128 t2 = (i128)c->tsign * 2 * tt->eff.fen;
	i128 u = (tt->flags & TF_BARE) ? 0 : tt->eff.ulp;
	c->verdict = sum_verdict(r.s2, r.w, t2, u, c->rel);
	if (c->verdict == FISC_AUDIT_FAILED && c->bracket_diff && c->nparts == 2) {
		/* an unmarked bracket may give the two terms of a difference:
		** "补助收入172,495万元（省补助全州1,097,437万元，州对下补助924,942万元）" */
		c->signs[1] = -1;
		sumres r2 = sum_parts(d, c);
		int v2 = sum_verdict(r2.s2, r2.w, t2, u, REL_EQ);
		if (v2 != FISC_AUDIT_FAILED) {
			c->kind = CK_DIFF;
			c->rule = "audit.difference";
			c->verdict = v2;
			r = r2;
		} else {
			c->signs[1] = 1;
		}
	}
	if (c->verdict == FISC_AUDIT_FAILED && c->kind == CK_SUM && c->nparts >= 3)
		same_kind_parts(d, c, &r, t2, u);
	if (c->verdict == FISC_AUDIT_FAILED && c->kind == CK_BALANCE && balance_with_change(d, c)) {
		r = sum_parts(d, c);
		c->verdict = sum_verdict(r.s2, r.w, t2, u, c->rel);
	}
	if (c->verdict == FISC_AUDIT_FAILED && (c->kind == CK_SUM || c->kind == CK_PARTIAL)) {
		int rr = reread_sum(d, c);
		if (rr < 0) {
			c->verdict = FISC_AUDIT_UNVERIFIABLE;
			return;
		}
		if (rr > 0) {
			tt = T(d, c->total);
			r = sum_parts(d, c);
			t2 = (i128)c->tsign * 2 * tt->eff.fen;
			u = (tt->flags & TF_BARE) ? 0 : tt->eff.ulp;
			c->verdict = sum_verdict(r.s2, r.w, t2, u, c->rel);
		}
	}
	int unit = tt->eff.unit;
	fisc_fen minulp = r.minulp && r.minulp < tt->eff.ulp ? r.minulp : tt->eff.ulp;
	int dc = decs(minulp, unit);
	if (dc < tt->eff.decimals)
		dc = tt->eff.decimals;
	c->stated = au_amt(d, &tt->eff);
	if (c->tsign < 0 && tt->eff.fen > 0)
		c->stated = fmt(d, "-%s", c->stated);
	c->computed = au_fen(d, r.sum, unit, dc);
	c->expr = expr_of(d, c, unit);
	fisc_fen diff = r.sum - c->tsign * tt->eff.fen;
	const char *dtxt = au_fen(d, diff < 0 ? -diff : diff, unit, dc);
	/* the largest difference rounding allows: half of every width */
	i128 tol2 = r.w + u;
	const char *tol = au_fen(d, (fisc_fen)(tol2 / 2), unit, exact_decs((fisc_fen)(tol2 / 2), unit, dc));
	if (c->verdict == FISC_AUDIT_FAILED && c->soft && diff * c->tsign < 0) {
		/* short of the total: the list may name only the main items */
		c->sev = FISC_AUDIT_WARNING;
		c->rule = "audit.sum_short";
		c->zh = fmt(d, "“其中”所列各项之和为%s（%s），比%s%s少%s：若只列举了主要项目则无误，若列举完整则不符。",
			    c->computed, c->expr, what_zh(c), c->stated, dtxt);
		c->en = fmt(d, "the items listed add up to %s (%s), %s less than %s %s: right if they are only the main items, wrong if the list is complete.",
			    c->computed, c->expr, dtxt, what_en(c), c->stated);
	} else if (c->verdict == FISC_AUDIT_FAILED) {
		c->sev = FISC_AUDIT_ERROR;
		if (c->rel == REL_LE) {
			c->zh = fmt(d, "所列分项之和为%s（%s），超过%s%s，超出%s，超过四舍五入所能解释的±%s。",
				    c->computed, c->expr, what_zh(c), c->stated, dtxt, tol);
			c->en = fmt(d, "the listed parts add up to %s (%s), more than %s %s by %s; rounding allows at most ±%s.",
				    c->computed, c->expr, what_en(c), c->stated, dtxt, tol);
		} else {
			c->zh = fmt(d, "%s为%s，但各项计算结果为%s（%s），相差%s，超过四舍五入所能解释的±%s。",
				    what_zh(c), c->stated, c->computed, c->expr, dtxt, tol);
			c->en = fmt(d, "%s is stated as %s, but its %d parts give %s (%s): a difference of %s, more than rounding allows (±%s).",
				    what_en(c), c->stated, c->nparts, c->computed, c->expr, dtxt, tol);
		}
	} else if (c->verdict == FISC_AUDIT_WITHIN) {
		c->sev = FISC_AUDIT_INFO;
		c->zh = fmt(d, "%s%s与各项计算结果%s（%s）相差%s，在四舍五入允许的±%s之内。",
			    what_zh(c), c->stated, c->computed, c->expr, dtxt, tol);
		c->en = fmt(d, "%s %s differs from what its parts give, %s (%s), by %s: within what rounding allows (±%s).",
			    what_en(c), c->stated, c->computed, c->expr, dtxt, tol);
	}
}

/* ---- percentages ------------------------------------------------------------- */

/* A fraction n/den with den > 0. */
typedef struct frac {
	i128 n, den;
} frac;

static int frac_lt(frac a, frac b) { return a.n * b.den < b.n * a.den; }

/* The ratio a claim asserts, in percent, for half-fen inputs a and b. */
static int ratio_at(int kind, i128 a, i128 b, frac *out)
{
	i128 n, den;
	switch (kind) {
	case PK_RATIO:
	case PK_EQUAL100:
		n = 100 * a;
		den = b;
		break;
	case PK_GROWTH_PRIOR:
		n = 100 * (a - b);
		den = b;
		break;
	case PK_GROWTH_CHANGE:
		n = 100 * b;
		den = a - b;
		break;
	default:
		return 0;
	}
	if (den <= 0)
		return 0;
	out->n = n;
	out->den = den;
	return 1;
}

/* v (dec decimals) at dec = to decimals, to >= dec. */
static i128 at_dec(int64_t v, int dec, int to)
{
	i128 r = v;
	for (int i = dec; i < to; i++)
		r *= 10;
	return r;
}

static const char *fmt_dec(au_doc *d, i128 v, int dec)
{
	i128 a = v < 0 ? -v : v, sc = 1;
	for (int i = 0; i < dec; i++)
		sc *= 10;
	if (dec)
		return fmt(d, "%s%lld.%0*lld", v < 0 ? "-" : "", (long long)(a / sc), dec, (long long)(a % sc));
	return fmt(d, "%s%lld", v < 0 ? "-" : "", (long long)a);
}

/* "80%，比上年78%提高2个百分点": 80 − 78 = +2, each figure within half a unit
** of its last digit. */
static void eval_points(au_doc *d, au_claim *c)
{
	au_tok *p = T(d, c->pct), *A = T(d, c->a), *B = T(d, c->b);
	int D = p->pdec;
	if (A->pdec > D)
		D = A->pdec;
	if (B->pdec > D)
		D = B->pdec;
	int sg = c->neg ? -1 : 1;
	i128 a = at_dec(A->pv, A->pdec, D), b = at_dec(B->pv, B->pdec, D), pts = sg * at_dec(p->pv, p->pdec, D);
	i128 diff = a - b - pts;
	/* twice half a unit of each figure's last digit, at D decimals */
	i128 tol2 = at_dec(1, A->pdec, D) + at_dec(1, B->pdec, D) + at_dec(1, p->pdec, D);
	c->stated = fmt(d, "%s%s个百分点", c->neg ? "-" : "", fmt_dec(d, at_dec(p->pv, p->pdec, p->pdec), p->pdec));
	c->computed = fmt(d, "%s个百分点", fmt_dec(d, a - b, D));
	c->expr = fmt(d, "%s − %s", pct_text(d, A), pct_text(d, B));
	const char *dir_zh = c->neg ? "下降" : "提高";
	const char *dir_en = c->neg ? "a fall of" : "a rise of";
	const char *pz = fmt_dec(d, at_dec(p->pv, p->pdec, p->pdec), p->pdec);
	if (diff == 0) {
		c->verdict = FISC_AUDIT_EXACT;
	} else if (2 * (diff < 0 ? -diff : diff) <= tol2) {
		c->verdict = FISC_AUDIT_WITHIN;
		c->sev = FISC_AUDIT_INFO;
		c->zh = fmt(d, "%s − %s = %s，与%s%s个百分点相差在四舍五入允许范围内。", pct_text(d, A), pct_text(d, B),
			    c->computed, dir_zh, pz);
		c->en = fmt(d, "%s − %s = %s: %s %s points is within what their rounding allows.", pct_text(d, A),
			    pct_text(d, B), c->computed, dir_en, pz);
	} else {
		c->verdict = FISC_AUDIT_FAILED;
		c->sev = FISC_AUDIT_ERROR;
		c->zh = fmt(d, "%s − %s = %s，而不是%s%s个百分点。", pct_text(d, A), pct_text(d, B), c->computed,
			    dir_zh, pz);
		c->en = fmt(d, "%s − %s = %s percentage points, not %s %s.", pct_text(d, A), pct_text(d, B),
			    fmt_dec(d, a - b, D), dir_en, pz);
	}
}

static void eval_percent(au_doc *d, au_claim *c)
{
	au_tok *p = T(d, c->pct);
	if (c->pkind == PK_POINTS) {
		eval_points(d, c);
		return;
	}
	c->stated = pct_text(d, p);
	if (!c->pkind || c->a < 0 || c->b < 0) {
		c->verdict = FISC_AUDIT_UNVERIFIABLE;
		return;
	}
	au_tok *A = T(d, c->a), *B = T(d, c->b);
	if ((A->flags | B->flags) & TF_BOUND) {
		c->verdict = FISC_AUDIT_UNVERIFIABLE;
		return;
	}
	i128 a = 2 * (i128)A->eff.fen, b = 2 * (i128)B->eff.fen;
	if (c->pkind == PK_GROWTH_CHANGE && B->sign < 0)
		b = -b;
	i128 ua = A->eff.ulp, ub = B->eff.ulp;
	int sg = c->neg ? -1 : 1;
	if (c->pkind == PK_EQUAL100) {
		/* a share of 100% says the two amounts are the same */
		i128 diff = a - b;
		c->computed = fmt_ratio(d, a, b, 2);
		c->expr = fmt(d, "%s ÷ %s", au_amt(d, &A->eff), au_amt(d, &B->eff));
		if (diff == 0) {
			c->verdict = FISC_AUDIT_EXACT;
		} else if ((diff < 0 ? -diff : diff) <= ua + ub) {
			c->verdict = FISC_AUDIT_WITHIN;
			c->sev = FISC_AUDIT_INFO;
			c->zh = fmt(d, "声称占比100%%：%s与%s仅相差舍入误差。", au_amt(d, &A->eff), au_amt(d, &B->eff));
			c->en = fmt(d, "claims 100%%: %s and %s differ only by rounding.", au_amt(d, &A->eff), au_amt(d, &B->eff));
		} else {
			c->verdict = FISC_AUDIT_FAILED;
			c->sev = FISC_AUDIT_ERROR;
			c->zh = fmt(d, "声称占比100%%，但%s与%s是两个不同的金额，实际占比为%s。",
				    au_amt(d, &A->eff), au_amt(d, &B->eff), c->computed);
			c->en = fmt(d, "claims 100%%, but %s and %s are two different amounts: the share is %s.",
				    au_amt(d, &A->eff), au_amt(d, &B->eff), c->computed);
		}
		return;
	}
	frac pt, lo = {0, 0}, hi = {0, 0};
	if (!ratio_at(c->pkind, a, b, &pt)) {
		c->verdict = FISC_AUDIT_UNVERIFIABLE;
		return;
	}
	int first = 1;
	for (int i = 0; i < 4; i++) {
		frac f;
		i128 aa = a + ((i & 1) ? ua : -ua);
		i128 bb = b + ((i & 2) ? ub : -ub);
		if (!ratio_at(c->pkind, aa, bb, &f)) {
			c->verdict = FISC_AUDIT_UNVERIFIABLE;
			return;
		}
		if (sg < 0)
			f.n = -f.n;
		if (first || frac_lt(f, lo))
			lo = f;
		if (first || frac_lt(hi, f))
			hi = f;
		first = 0;
	}
	if (sg < 0)
		pt.n = -pt.n;
	/* stated interval: (2P ± 1) / (2·10^dec) percent */
	i128 P = p->pv, sc = 1;
	for (int i = 0; i < p->pdec; i++)
		sc *= 10;
	frac slo = {2 * P - 1, 2 * sc}, shi = {2 * P + 1, 2 * sc};
	int dec = p->pdec < 1 ? 1 : p->pdec;
	if (dec < 2 && (c->pkind == PK_RATIO))
		dec = 2;
	c->computed = fmt_ratio(d, pt.n, pt.den, p->pdec > dec ? p->pdec : dec);
	switch (c->pkind) {
	case PK_RATIO:
		c->expr = fmt(d, "%s ÷ %s", au_amt(d, &A->eff), au_amt(d, &B->eff));
		break;
	case PK_GROWTH_PRIOR:
		c->expr = fmt(d, "(%s − %s) ÷ %s", au_amt(d, &A->eff), au_amt(d, &B->eff), au_amt(d, &B->eff));
		break;
	default:
		c->expr = fmt(d, "%s%s ÷ (%s %s %s)", B->sign < 0 ? "−" : "", au_amt(d, &B->eff),
			      au_amt(d, &A->eff), B->sign < 0 ? "+" : "−", au_amt(d, &B->eff));
	}
	const char *dir_zh = c->pkind == PK_RATIO ? "" : (sg < 0 ? "下降" : "增长");
	const char *dir_en = c->pkind == PK_RATIO ? "" : (sg < 0 ? "a fall of " : "growth of ");
	if (!frac_lt(pt, slo) && !frac_lt(shi, pt)) {
		c->verdict = FISC_AUDIT_EXACT;
	} else if (!frac_lt(hi, slo) && !frac_lt(shi, lo)) {
		c->verdict = FISC_AUDIT_WITHIN;
		c->sev = FISC_AUDIT_INFO;
		c->zh = fmt(d, "按所述数字计算为%s%s（%s），与%s相差在四舍五入允许范围内。", dir_zh,
			    c->computed, c->expr, c->stated);
		c->en = fmt(d, "the stated figures give %s%s (%s); %s is within what their rounding allows.",
			    dir_en, c->computed, c->expr, c->stated);
	} else if (c->guessed) {
		/* the whole was a guess, and the guess does not fit: nothing is
		** known about the percent */
		c->verdict = FISC_AUDIT_UNVERIFIABLE;
		c->computed = NULL;
		c->expr = NULL;
	} else {
		c->verdict = FISC_AUDIT_FAILED;
		/* truncated instead of rounded: [P, P+1) / 10^dec */
		frac tlo = {P < 0 ? P - 1 : P, sc}, thi = {P < 0 ? P : P + 1, sc};
		if (!frac_lt(hi, tlo) && !frac_lt(thi, lo)) {
			c->sev = FISC_AUDIT_WARNING;
			c->rule = "audit.percent_truncated";
			c->zh = fmt(d, "按所述数字计算为%s%s（%s），%s是截断而非四舍五入的结果。", dir_zh,
				    c->computed, c->expr, c->stated);
			c->en = fmt(d, "the stated figures give %s%s (%s): %s is truncated rather than rounded.",
				    dir_en, c->computed, c->expr, c->stated);
		} else if (P < 0 ? (!frac_lt(hi, (frac){20 * P - 9, 20 * sc}) &&
				    !frac_lt((frac){20 * P + 11, 20 * sc}, lo))
				 : (!frac_lt(hi, (frac){20 * P - 11, 20 * sc}) &&
				    !frac_lt((frac){20 * P + 9, 20 * sc}, lo))) {
			/* rounded twice, to one more digit and then to this one
			** (11.49% → 11.5% → 12%): a slip of rounding, a reasonable
			** reading of the figures, not an error of them */
			c->sev = FISC_AUDIT_WARNING;
			c->rule = "audit.percent_double_rounded";
			c->zh = fmt(d, "按所述数字计算为%s%s（%s），%s是先保留多一位小数再四舍五入（两次舍入）的结果。",
				    dir_zh, c->computed, c->expr, c->stated);
			c->en = fmt(d, "the stated figures give %s%s (%s): %s comes from rounding twice (to one more digit, then again).",
				    dir_en, c->computed, c->expr, c->stated);
		} else {
			c->sev = FISC_AUDIT_ERROR;
			c->zh = fmt(d, "按所述数字计算应为%s%s（%s），而不是%s。", dir_zh, c->computed,
				    c->expr, c->stated);
			c->en = fmt(d, "the stated figures give %s%s (%s), not %s.", dir_en, c->computed,
				    c->expr, c->stated);
		}
	}
}

/* ---- text checks run before evaluation ------------------------------------ */

static int is_sum_kind(int k)
{
	return k == CK_SUM || k == CK_PARTIAL || k == CK_BALANCE || k == CK_TABLE || k == CK_DIFF;
}

static void report_unit(au_doc *d, const au_claim *c, au_tok *t)
{
	au_find *f = au_find_new(d, "audit.unit", FISC_AUDIT_ERROR, t->line, t->sent,
				 t->sent < 0 ? c->block : -1);
	f->stated = au_amt(d, &t->amt);
	f->computed = au_amt(d, &t->eff);
	f->zh = fmt(d, "金额写作%s，而与它并列的金额都以%s为单位：应为%s（单位缺失或写错）。",
		    f->stated, fisc_unit_name((fisc_unit)t->eff.unit), f->computed);
	f->en = fmt(d, "written as %s among figures in %s: %s is meant (the unit is missing or wrong).",
		    f->stated, fisc_unit_name((fisc_unit)t->eff.unit), f->computed);
	find_line(d, f, t->line);
}

/* Several figures in 元 among figures in one larger unit ("一般公共预算收入
** 88435元，…其中：税收收入39029元，…非税收入49406万元"): nothing says which
** unit is wrong, so the 元 figures are taken to lack their 万 only when the
** claim fails as written and holds once they are read in the other unit;
** otherwise they are left as written. */
static void repair_units(au_doc *d, au_claim *c, const int *fig, int n, const int *votes)
{
	if (c->total < 0 || c->base_missing ||
	    (c->kind != CK_SUM && c->kind != CK_PARTIAL && c->kind != CK_BALANCE))
		return;
	int u = votes[FISC_UNIT_YI] ? FISC_UNIT_YI : FISC_UNIT_WAN;
	if (votes[FISC_UNIT_YI] && votes[FISC_UNIT_WAN])
		return; /* no one unit the 元 figures could be missing */
	for (int i = 0; i < n; i++) {
		const au_tok *t = T(d, fig[i]);
		if (t->amt.unit == FISC_UNIT_YUAN && t->amt.fen &&
		    (t->unit_fixed || (t->flags & (TF_CELL | TF_BARE))))
			return;
	}
	if (claim_holds(d, c))
		return;
	fisc_fen k = fisc_unit_fen((fisc_unit)u) / fisc_unit_fen(FISC_UNIT_YUAN);
	for (int i = 0; i < n; i++) {
		au_tok *t = T(d, fig[i]);
		if (t->amt.unit != FISC_UNIT_YUAN || !t->amt.fen)
			continue;
		t->eff.fen = t->amt.fen * k;
		t->eff.ulp = t->amt.ulp * k;
		t->eff.unit = (int8_t)u;
	}
	int holds = claim_holds(d, c);
	for (int i = 0; i < n; i++) {
		au_tok *t = T(d, fig[i]);
		if (t->amt.unit != FISC_UNIT_YUAN || !t->amt.fen)
			continue;
		if (!holds) {
			t->eff = t->amt;
			continue;
		}
		t->unit_fixed = 1;
		report_unit(d, c, t);
	}
}

/* An amount in 元 among figures in 万元 / 亿元 ("2.29 元" in a list of 亿元):
** the unit is missing. The figure is read in its neighbours' unit for the
** arithmetic, and the unit is reported. */
void au_check_units(au_doc *d)
{
	for (size_t ci = 0; ci < d->claims.n; ci++) {
		au_claim *c = &d->claims.v[ci];
		if (!is_sum_kind(c->kind))
			continue;
		int fig[130], n = 0;
		if (c->total >= 0)
			fig[n++] = c->total;
		for (int i = 0; i < c->nparts && n < 130; i++)
			fig[n++] = c->parts[i];
		int nyuan = 0, nbig = 0, odd = -1, votes[3] = {0, 0, 0};
		for (int i = 0; i < n; i++) {
			au_tok *t = T(d, fig[i]);
			/* nothing is missing from a zero: "0元" among 万元 is 0万元 */
			if ((t->flags & TF_BARE) || t->amt.fen == 0)
				continue;
			if (t->amt.unit == FISC_UNIT_YUAN) {
				nyuan++;
				odd = i;
			} else {
				nbig++;
				votes[t->amt.unit]++;
			}
		}
		if (nyuan >= 1 && nbig >= 1 && (nyuan > 1 || nbig < 2)) {
			repair_units(d, c, fig, n, votes);
			continue;
		}
		if (nyuan != 1 || nbig < 2)
			continue;
		au_tok *t = T(d, fig[odd]);
		if (t->unit_fixed || t->amt.fen >= 1000000 || (t->flags & TF_CELL))
			continue;
		/* the unit of the nearest neighbour, else the commonest */
		int u = votes[FISC_UNIT_YI] >= votes[FISC_UNIT_WAN] ? FISC_UNIT_YI : FISC_UNIT_WAN;
		for (int dd = 1; dd < n; dd++) {
			int q = odd - dd >= 0 && T(d, fig[odd - dd])->amt.unit != FISC_UNIT_YUAN &&
					!(T(d, fig[odd - dd])->flags & TF_BARE) && fig[odd - dd] != c->total
				    ? odd - dd
				: odd + dd < n && T(d, fig[odd + dd])->amt.unit != FISC_UNIT_YUAN &&
					!(T(d, fig[odd + dd])->flags & TF_BARE)
				    ? odd + dd
				    : -1;
			if (q >= 0) {
				u = T(d, fig[q])->amt.unit;
				break;
			}
		}
		fisc_fen k = fisc_unit_fen((fisc_unit)u) / fisc_unit_fen(FISC_UNIT_YUAN);
		t->eff.fen = t->amt.fen * k;
		t->eff.ulp = t->amt.ulp * k;
		t->eff.unit = (int8_t)u;
		t->unit_fixed = 1;
		au_find *f = au_find_new(d, "audit.unit", FISC_AUDIT_ERROR, t->line, t->sent,
					 t->sent < 0 ? c->block : -1);
		f->stated = au_amt(d, &t->amt);
		f->computed = au_amt(d, &t->eff);
		f->zh = fmt(d, "金额写作%s，而与它并列的金额都以%s为单位：应为%s（单位缺失或写错）。",
			    f->stated, fisc_unit_name((fisc_unit)u), f->computed);
		f->en = fmt(d, "written as %s among figures in %s: %s is meant (the unit is missing or wrong).",
			    f->stated, fisc_unit_name((fisc_unit)u), f->computed);
		find_line(d, f, t->line);
	}
}

/* The same item listed twice in one list. */
typedef struct keypos {
	const char *key;
	int pos;
} keypos;

static int cmp_keypos(const void *x, const void *y)
{
	const keypos *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	return c ? c : (a->pos > b->pos) - (a->pos < b->pos);
}

/* An item listed twice in one list. Each later statement is compared with
** the earliest of its name (parts sorted by name, so a list of any length
** costs n log n): the same amount is counted once, a different one is a
** warning. */
void au_check_dups(au_doc *d)
{
	for (size_t ci = 0; ci < d->claims.n; ci++) {
		au_claim *c = &d->claims.v[ci];
		if (!is_sum_kind(c->kind) || c->kind == CK_TABLE || c->kind == CK_DIFF || c->nparts < 2)
			continue;
		keypos *kp = malloc(sizeof *kp * (size_t)c->nparts);
		char *drop = calloc((size_t)c->nparts, 1);
		if (!kp || !drop) {
			free(kp);
			free(drop);
			au_oom = 1;
			return;
		}
		int nk = 0;
		for (int i = 0; i < c->nparts; i++) {
			const au_tok *t = T(d, c->parts[i]);
			if (t->key && strlen(t->key) >= 9)
				kp[nk++] = (keypos){t->key, i};
		}
		qsort(kp, (size_t)nk, sizeof *kp, cmp_keypos);
		for (int g = 0; g < nk;) {
			int e = g + 1;
			while (e < nk && !strcmp(kp[e].key, kp[g].key))
				e++;
			au_tok *a = T(d, c->parts[kp[g].pos]);
			for (int q = g + 1; q < e; q++) {
				au_tok *b = T(d, c->parts[kp[q].pos]);
				if (b->sent < 0)
					continue;
				int same = a->eff.fen == b->eff.fen;
				au_find *f = au_find_new(d, "audit.duplicate",
							 same ? FISC_AUDIT_ERROR : FISC_AUDIT_WARNING, b->line,
							 b->sent, -1);
				f->stated = au_amt(d, &b->eff);
				f->zh = same ? fmt(d, "“%s”在同一列举中出现两次（第%d行和第%d行，均为%s）；计算合计时只计一次。",
						   b->key, a->line, b->line, f->stated)
					     : fmt(d, "“%s”在同一列举中出现两次（第%d行为%s，第%d行为%s）。", b->key,
						   a->line, au_amt(d, &a->eff), b->line, f->stated);
				f->en = same ? fmt(d, "'%s' is listed twice in the same list (lines %d and %d, %s each); it is counted once in the sum.",
						   b->key, a->line, b->line, f->stated)
					     : fmt(d, "'%s' is listed twice in the same list (%s on line %d, %s on line %d).",
						   b->key, au_amt(d, &a->eff), a->line, f->stated, b->line);
				find_line(d, f, a->line);
				find_line(d, f, b->line);
				drop[kp[q].pos] = same; /* count it once */
			}
			g = e;
		}
		int m = 0;
		for (int i = 0; i < c->nparts; i++) {
			if (drop[i]) {
				c->dup = m;
				continue;
			}
			c->parts[m] = c->parts[i];
			c->signs[m++] = c->signs[i];
		}
		c->nparts = m;
		free(kp);
		free(drop);
	}
}

void au_evaluate(au_doc *d)
{
	au_check_dups(d);
	for (size_t ci = 0; ci < d->claims.n; ci++) {
		au_claim *c = &d->claims.v[ci];
		if (!c->kind)
			continue;
		if (c->kind == CK_PERCENT)
			eval_percent(d, c);
		else
			eval_sum(d, c);
		/* a percentage that holds confirms the reading of its inputs: they
		** are facts of the report, compared with their other statements */
		if (c->kind == CK_PERCENT && !c->guessed &&
		    (c->verdict == FISC_AUDIT_EXACT || c->verdict == FISC_AUDIT_WITHIN)) {
			if (c->a >= 0)
				T(d, c->a)->pin = 1;
			if (c->b >= 0)
				T(d, c->b)->pin = 1;
		}
		if (c->total >= 0)
			c->line = T(d, c->total)->line;
		else if (c->sent >= 0)
			c->line = au_line_at(d, d->sents.v[c->sent].beg);
		else if (c->block >= 0)
			c->line = d->blocks.v[c->block].line;
		if (c->sev) {
			au_find *f = au_find_new(d, c->rule, c->sev, c->line, c->sent,
						 c->sent < 0 ? (c->block >= 0 ? c->block : -1) : -1);
			/* a total stated in the sentence before its "其中…": quote both */
			int ts = c->total >= 0 ? T(d, c->total)->sent : -1;
			if (ts >= 0 && c->sent >= 0 && ts != c->sent) {
				int a = ts < c->sent ? ts : c->sent, b = ts < c->sent ? c->sent : ts;
				char *t = fisc_arena_strdup(d->w, au_sent_text(d, a, -1));
				for (int q = a + 1; t && q <= b; q++)
					t = fisc_arena_printf(d->w, "%s%s", t, au_sent_text(d, q, -1));
				f->text = t;
			}
			f->stated = c->stated;
			/* a list that may be partial has no "should be" */
			f->computed = c->soft ? NULL : c->computed;
			f->zh = c->zh;
			f->en = c->en;
			if (c->total >= 0)
				find_line(d, f, T(d, c->total)->line);
			for (int i = 0; i < c->nparts; i++)
				find_line(d, f, T(d, c->parts[i])->line);
			if (c->a >= 0)
				find_line(d, f, T(d, c->a)->line);
			if (c->b >= 0)
				find_line(d, f, T(d, c->b)->line);
		}
		if (c->warn_sign > 0) {
			au_tok *t = T(d, c->warn_sign);
			au_find *f = au_find_new(d, "audit.sign", FISC_AUDIT_WARNING, t->line, c->sent, -1);
			f->stated = au_amt(d, &t->eff);
			f->zh = fmt(d, "“%s”是资金的去向，却写在“加”的各项之中；按减项计算平衡才成立。", t->label);
			f->en = fmt(d, "'%s' is a use of funds but is written among the additions; the balance holds only when it is subtracted.",
				    t->label);
			find_line(d, f, t->line);
		}
	}
}

/* ---- the same quantity stated twice ------------------------------------------ */

static int has_word(const char *s, const char *w) { return s && strstr(s, w) != NULL; }

/* Two figures filed under one item that another reasonable reading keeps
** apart: a ceiling and a balance (限额 / 余额), a budget and its execution
** ("批准…收入83.318亿元" / "1-6月…完成100.03亿元"), or a total and a figure
** it is shown to contain ("支出总计188256 = 165720 + 3117 + 19419" after
** "支出总计165720"). Not an error, then: the text gives two quantities. */

static int not_same_quantity(au_doc *d, const au_tok *a, const au_tok *b, int btok)
{
	const char *la = a->raw ? a->raw : a->glabel, *lb = b->raw ? b->raw : b->glabel;
	if (has_word(la, "限额") != has_word(lb, "限额"))
		return 1;
	/* rows of a table of several years ("2017年末…限额", "2018年末…限额"):
	** each label names its own year, whatever year the passage is of */
	int ya = au_label_year(a->glabel ? a->glabel : la), yb = au_label_year(b->glabel ? b->glabel : lb);
	if (ya && yb && ya != yb)
		return 1;
	/* one paragraph does not restate its own figure differently */
	if (a->sent >= 0 && b->sent >= 0 &&
	    d->sents.v[a->sent].block == d->sents.v[b->sent].block)
		return 1;
	static const char *const plan[] = {"预算", "批准", "调整为", "安排", "目标"};
	static const char *const done[] = {"完成", "实现", "执行数", "决算"};
	int pa = 0, pb = 0, da = 0, db = 0;
	for (size_t k = 0; k < sizeof plan / sizeof *plan; k++) {
		pa |= has_word(la, plan[k]);
		pb |= has_word(lb, plan[k]);
	}
	for (size_t k = 0; k < sizeof done / sizeof *done; k++) {
		da |= has_word(la, done[k]);
		db |= has_word(lb, done[k]);
	}
	if ((pa && !da && db && !pb) || (pb && !db && da && !pa))
		return 1;
	int atok = (int)(a - d->toks.v);
	for (size_t ci = 0; ci < d->claims.n; ci++) {
		const au_claim *c = &d->claims.v[ci];
		if (c->kind == CK_PERCENT || c->kind == CK_RESTATED)
			continue;
		/* "上级补助收入33780万元，其中：返还性收入8892万元，未细分的上级补助收入
		** 24888万元": a part of the figure it is said to restate */
		if (c->total == atok || (c->total >= 0 && T(d, c->total)->item == a->item &&
					 T(d, c->total)->eff.fen == a->eff.fen))
			for (int i = 0; i < c->nparts; i++)
				if (c->parts[i] == btok)
					return 1;
		if (c->total != btok || c->verdict == FISC_AUDIT_FAILED)
			continue;
		/* b totals a part worth a: a may name that part — unless b's claim
		** is a 其中 breakdown whose part is another known item and a names
		** b's own ("上级补助收入X，其中：一般性转移支付收入X" restates X) */
		for (int i = 0; i < c->nparts; i++) {
			const au_tok *p = T(d, c->parts[i]);
			if (p->eff.fen == a->eff.fen &&
			    (c->kind != CK_PARTIAL || p->item < 0 || p->item == a->item || b->item != a->item))
				return 1;
		}
	}
	return 0;
}

static int counts_here(const au_claim *c) { return c->kind && c->kind != CK_PERCENT; }

static int share_claim(au_doc *d, const au_tokix *x, int a, int b)
{
	if (!x->off)
		return 0;
	for (int q = x->off[a]; q < x->off[a + 1]; q++) {
		au_claim *c = &d->claims.v[x->claims[q]];
		if (c->total == b)
			return 1;
		for (int i = 0; i < c->nparts; i++)
			if (c->parts[i] == b)
				return 1;
	}
	return 0;
}

/* Does the text itself (not a table caption) speak of the 金库 view for
** this year, book and scope? Only then are 金库 and plain figures two things. */
static int qual_in_text(const au_ctx *qs, size_t nq, const au_tok *a)
{
	for (size_t k = 0; k < nq; k++)
		if (qs[k].year == a->ctx.year && qs[k].book == a->ctx.book && qs[k].scope == a->ctx.scope)
			return 1;
	return 0;
}

/* A fact's key copied out of its token, so that sorting reads keys in a row. */
typedef struct rkey {
	int item, year, book, scope, phase;
	size_t beg;
	int tok;
} rkey;

static int cmp_fact(const void *x, const void *y)
{
	const rkey *a = x, *b = y;
#define CMPF(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
	CMPF(item);
	CMPF(year);
	CMPF(book);
	CMPF(scope);
	CMPF(phase);
	CMPF(beg);
#undef CMPF
	return 0;
}

/* Whether the report's figures are a government's books, keyed by region,
** scope, year, book, phase and item. A department's or a project's figures
** need a department and project dimension the text rarely names. */
int au_government_kind(const au_doc *d)
{
	return strncmp(d->kind, "department", 10) && strcmp(d->kind, "performance_self_evaluation");
}

/* The same quantity stated twice: each statement after the first is compared
** with the first (facts grouped by sorting on their key, so the work grows
** with the number of facts, not its square). */
void au_check_restated(au_doc *d)
{
	if (!au_government_kind(d))
		return;
	size_t n = d->toks.n;
	int *fx = fisc_arena_alloc(d->w, (n + 1) * sizeof(int));
	rkey *rk = malloc((n + 1) * sizeof *rk);
	AU_VEC(au_ctx) qs = {0};
	size_t *vbuf = fisc_arena_alloc(d->w, (n + 1) * sizeof *vbuf);
	if (!fx || !rk || !vbuf) {
		free(rk);
		au_oom = 1;
		return;
	}
	size_t nf = 0;
	for (size_t k = 0; k < n; k++) {
		au_tok *t = T(d, (int)k);
		if (au_fact_ok(t))
			rk[nf++] = (rkey){t->item, t->ctx.year, t->ctx.book, t->ctx.scope, t->ctx.phase,
					  t->beg, (int)k};
		if (t->sent >= 0 && t->kind == TK_AMOUNT && t->ctx.qual && !qual_in_text(qs.v, qs.n, t)) {
			au_ctx *q = AU_PUSH(d->w, qs);
			*q = t->ctx;
		}
	}
	d->nfacts = nf;
	/* token → the claims it takes part in, as total or part */
	au_tokix idx = {0};
	au_tokix_build(d, &idx, counts_here, 1);
	qsort(rk, nf, sizeof *rk, cmp_fact);
	for (size_t i = 0; i < nf; i++)
		fx[i] = rk[i].tok;
	free(rk);
	for (size_t g = 0; g < nf;) {
		size_t e = g + 1;
		au_tok *h = T(d, fx[g]);
		while (e < nf) {
			au_tok *t = T(d, fx[e]);
			if (t->item != h->item || t->ctx.year != h->ctx.year || t->ctx.book != h->ctx.book ||
			    t->ctx.scope != h->ctx.scope || t->ctx.phase != h->ctx.phase)
				break;
			e++;
		}
		int qt = qual_in_text(qs.v, qs.n, h);
		/* The statements of the group by view (ctx.qual is 0 or 1), in text
		** order: a statement is compared with the earliest of its own view,
		** so that the search below skips only the few it shares a claim with
		** and the work grows with the group, not its square. */
		size_t *view[2] = {vbuf, vbuf + (e - g)}, nview[2] = {0, 0};
		for (size_t i = g; i < e; i++) {
			int q = T(d, fx[i])->ctx.qual != 0;
			view[q][nview[q]++] = i;
		}
		for (size_t j = g + 1; j < e; j++) {
			au_tok *b = T(d, fx[j]);
			/* the earliest earlier statement of the same view (of any view when
			** the text never speaks of 金库), not in the same claim */
			int best = -1;
			if (!qt) {
				for (size_t i = g; i < j && best < 0; i++)
					if (!share_claim(d, &idx, fx[i], fx[j]))
						best = fx[i];
			} else {
				int q = b->ctx.qual != 0;
				for (size_t v = 0; v < nview[q] && view[q][v] < j && best < 0; v++)
					if (!share_claim(d, &idx, fx[view[q][v]], fx[j]))
						best = fx[view[q][v]];
			}
			if (best < 0)
				continue;
			au_tok *a = T(d, best);
			au_claim *c = au_claim_new(d, CK_RESTATED, "audit.restated");
			c->total = fx[j];
			c->sent = b->sent;
			c->line = b->line;
			au_claim_part(d, c, best, 1);
			c->stated = au_amt(d, &b->eff);
			c->computed = au_amt(d, &a->eff);
			c->expr = fmt(d, "第%d行 / line %d", a->line, a->line);
			/* two roundings of one value: the intervals [x − u/2, x + u/2) must meet */
			i128 diff = 2 * ((i128)a->eff.fen - b->eff.fen);
			if (diff < 0)
				diff = -diff;
			if (diff == 0)
				c->verdict = FISC_AUDIT_EXACT;
			else if (diff < (i128)a->eff.ulp + b->eff.ulp)
				c->verdict = FISC_AUDIT_WITHIN;
			else
				c->verdict = FISC_AUDIT_FAILED;
			if (c->verdict != FISC_AUDIT_FAILED)
				continue;
			if (not_same_quantity(d, a, b, fx[j])) {
				c->verdict = FISC_AUDIT_UNVERIFIABLE;
				continue;
			}
			au_find *f = au_find_new(d, "audit.restated", FISC_AUDIT_ERROR, b->line, b->sent, -1);
			if (b->sent < 0) {
				int q = au_block_at(d, b->beg);
				if (q >= 0 && d->blocks.v[q].kind == BK_ROW)
					f->block = q;
			}
			f->stated = c->stated;
			f->computed = c->computed;
			f->zh = fmt(d, "%s在第%d行为%s，此处为%s，同一数字前后不一致。", au_item_zh(b->item), a->line,
				    c->computed, c->stated);
			f->en = fmt(d, "%s is %s on line %d but %s here: the same quantity is stated twice with different values.",
				    au_item_id(b->item), c->computed, a->line, c->stated);
			find_line(d, f, a->line);
			find_line(d, f, b->line);
		}
		g = e;
	}
}

/* ---- years ------------------------------------------------------------------- */

void au_check_years(au_doc *d)
{
	if (d->nyears < 1)
		return;
	int *seen = fisc_arena_alloc(d->w, (d->sents.n + 1) * sizeof(int));
	if (!seen) {
		au_oom = 1;
		return;
	}
	for (size_t ci = 0; ci < d->claims.n; ci++) {
		au_claim *c = &d->claims.v[ci];
		if (!is_sum_kind(c->kind) || c->kind == CK_TABLE || c->sent < 0 || seen[c->sent])
			continue;
		au_sent *se = &d->sents.v[c->sent];
		if (!se->year_explicit)
			continue;
		int ok = 0;
		for (int k = 0; k < d->nyears; k++)
			ok |= d->years[k] == se->ctx.year;
		seen[c->sent] = 1;
		if (ok)
			continue;
		char ys[64] = "";
		for (int k = 0; k < d->nyears; k++)
			snprintf(ys + strlen(ys), sizeof ys - strlen(ys), "%s%d", k ? "、" : "", d->years[k]);
		au_find *f = au_find_new(d, "audit.year", FISC_AUDIT_ERROR, se->year_line, c->sent, -1);
		f->stated = fmt(d, "%d年", se->ctx.year);
		f->computed = d->nyears == 1 ? fmt(d, "%d年", d->years[0]) : NULL;
		f->zh = fmt(d, "这段收支说的是%d年，不属于本报告（报告年度：%s），应是另一份报告的年份。",
			    se->ctx.year, ys);
		f->en = fmt(d, "these figures are given for %d, a year this report (on %s) is not about: the year of another report.",
			    se->ctx.year, ys);
		find_line(d, f, se->year_line);
	}
}

/* ---- sections -------------------------------------------------------------- */

static int template_text(au_doc *d, const au_block *b)
{
	static const char *const lead[] = {"主要反映", "主要说明", "简要说明", "简述", "请填写",
					   "填写", "填报说明", "此处", "说明：", "说明:"};
	/* read in place: every block of every section comes here */
	const char *t = d->s + b->beg;
	size_t n = b->end - b->beg;
	for (size_t k = 0; k < sizeof lead / sizeof *lead; k++) {
		size_t m = strlen(lead[k]);
		if (n >= m && !memcmp(t, lead[k], m))
			return 1;
	}
	return au_has(d->s, b->beg, b->end, "XX") || au_has(d->s, b->beg, b->end, "××") ||
	       au_has(d->s, b->beg, b->end, "xx年");
}

void au_check_sections(au_doc *d)
{
	int strict = !strcmp(d->kind, "performance_self_evaluation") ||
		     !strcmp(d->kind, "department_budget") ||
		     !strcmp(d->kind, "department_final_accounts");
	int sev = strict ? FISC_AUDIT_ERROR : FISC_AUDIT_WARNING;
	for (size_t b = 0; b < d->blocks.n; b++) {
		au_block *h = &d->blocks.v[b];
		if (!h->level || !h->heading_only || h->kind == BK_ROW)
			continue;
		/* the section runs to the next heading at its level or above; a
		** numbered paragraph of another style with text of its own is
		** content (list items often come before the headings that fix the
		** levels) */
		size_t e = b + 1;
		while (e < d->blocks.n) {
			au_block *x = &d->blocks.v[e];
			if (x->level && x->level <= h->level && (x->heading_only || x->marker == h->marker))
				break;
			e++;
		}
		const char *name = au_sent_text(d, -1, (int)b);
		if (e == b + 1) {
			au_find *f = au_find_new(d, "audit.section_empty", sev, h->line, -1, (int)b);
			f->zh = fmt(d, "章节“%s”没有任何内容。", name);
			f->en = fmt(d, "section '%s' is empty.", name);
			find_line(d, f, h->line);
			continue;
		}
		int all_template = 1;
		for (size_t q = b + 1; q < e && all_template; q++)
			all_template = d->blocks.v[q].kind == BK_TEXT && !d->blocks.v[q].marker &&
				       template_text(d, &d->blocks.v[q]);
		if (all_template) {
			au_find *f = au_find_new(d, "audit.section_template", sev, d->blocks.v[b + 1].line,
						 -1, (int)b + 1);
			f->zh = fmt(d, "章节“%s”只有模板中的提示文字，没有填写内容。", name);
			f->en = fmt(d, "section '%s' holds only the template's prompt, nothing written in.", name);
			find_line(d, f, d->blocks.v[b + 1].line);
		}
	}
	if (!strict)
		return;
	/* an item number written without its mark: "8一般公共服务…" between
	** "7." and "9." */
	for (size_t b = 1; b + 1 < d->blocks.n; b++) {
		au_block *p = &d->blocks.v[b - 1], *h = &d->blocks.v[b], *nx = &d->blocks.v[b + 1];
		if (h->kind != BK_TEXT || h->marker || p->marker != MK_NUM || nx->marker != MK_NUM ||
		    nx->ordinal != p->ordinal + 2)
			continue;
		char want[16];
		snprintf(want, sizeof want, "%d", p->ordinal + 1);
		size_t wl = strlen(want);
		if (h->beg + wl < h->end && !strncmp(d->s + h->beg, want, wl) &&
		    !(d->s[h->beg + wl] >= '0' && d->s[h->beg + wl] <= '9')) {
			au_find *f = au_find_new(d, "audit.numbering", FISC_AUDIT_WARNING, h->line, -1, (int)b);
			f->zh = fmt(d, "编号“%s”后缺少“.”，与前后各项的编号方式不一致。", want);
			f->en = fmt(d, "item number '%s' lacks its '.', unlike the items around it.", want);
			find_line(d, f, h->line);
		}
	}
	/* headings whose numbering does not continue: "六、" after "5、" */
	int last[MK_COUNT] = {0};
	int lvl_of[MK_COUNT] = {0};
	for (size_t b = 0; b < d->blocks.n; b++) {
		au_block *h = &d->blocks.v[b];
		if (!h->level || h->ordinal < 1 || !h->heading_only)
			continue;
		/* a higher section restarts the numbering below it */
		for (int m = 0; m < MK_COUNT; m++)
			if (lvl_of[m] > h->level)
				last[m] = 0;
		lvl_of[h->marker] = h->level;
		if (h->ordinal != last[h->marker] + 1 && h->ordinal != 1) {
			int other = 0;
			for (int m = 0; m < MK_COUNT; m++)
				other |= m != h->marker && last[m] == h->ordinal - 1 && lvl_of[m] == h->level;
			au_find *f = au_find_new(d, "audit.numbering", FISC_AUDIT_WARNING, h->line, -1, (int)b);
			if (other) {
				f->zh = fmt(d, "编号方式前后不一致：第%d节换用了另一种编号。", h->ordinal);
				f->en = fmt(d, "section numbering changes style at section %d.", h->ordinal);
			} else {
				f->zh = fmt(d, "编号不连续：第%d节之前没有第%d节。", h->ordinal, h->ordinal - 1);
				f->en = fmt(d, "numbering does not continue: section %d has no section %d before it.",
					    h->ordinal, h->ordinal - 1);
			}
			find_line(d, f, h->line);
		}
		last[h->marker] = h->ordinal;
	}
	/* a form field of the cover left blank: "单位名称（盖章）：" */
	for (size_t b = 0; b < d->blocks.n && b < 12; b++) {
		au_block *h = &d->blocks.v[b];
		if (h->kind != BK_TEXT || h->marker)
			continue;
		const char *t = au_span(d, h->beg, h->end);
		if (!(au_endswith(t, "：") || au_endswith(t, ":")) || strlen(t) > 40 ||
		    !(strstr(t, "名称") || strstr(t, "单位") || strstr(t, "日期") || strstr(t, "填报人")))
			continue;
		int blank = b + 1 >= d->blocks.n || d->blocks.v[b + 1].level ||
			    d->s[d->blocks.v[b + 1].beg] == '(';
		if (!blank)
			continue;
		au_find *f = au_find_new(d, "audit.blank_field", FISC_AUDIT_WARNING, h->line, -1, (int)b);
		f->zh = fmt(d, "“%s”未填写。", t);
		f->en = fmt(d, "the field '%s' is left blank.", t);
		find_line(d, f, h->line);
	}
}

/* ---- words that name nothing that exists ---------------------------------- */

void au_check_terms(au_doc *d)
{
	static const struct {
		const char *wrong, *right, *why_en;
	} terms[] = {
		{"社会保障基金预算", "社会保险基金预算", "the fourth book is 社会保险基金预算 (Budget Law art. 5)"},
		{"医疗卫生与计划生育", "卫生健康", "class 210 has been 卫生健康支出 since the 2019 classification"},
	};
	for (size_t k = 0; k < sizeof terms / sizeof *terms; k++) {
		const char *p = d->s;
		while ((p = strstr(p, terms[k].wrong)) != NULL) {
			int line = au_line_at(d, p - d->s);
			int sent = au_sent_at(d, (size_t)(p - d->s));
			int block = sent < 0 ? au_block_at(d, (size_t)(p - d->s)) : -1;
			au_find *f = au_find_new(d, "audit.term", FISC_AUDIT_WARNING, line, sent, block);
			f->stated = terms[k].wrong;
			f->computed = terms[k].right;
			f->zh = fmt(d, "“%s”不是现行的名称，应为“%s”。", terms[k].wrong, terms[k].right);
			f->en = fmt(d, "'%s' is not a current name: %s; %s.", terms[k].wrong, terms[k].right,
				    terms[k].why_en);
			find_line(d, f, line);
			p += strlen(terms[k].wrong);
		}
	}
}

/* ---- 财力 against what is spent ------------------------------------------ */

/* "…财力合计为94069万元。实际安排支出93033万元": a budget spends what it
** has; a gap is money left unallocated (or spent without cover). */
void au_check_budget_gap(au_doc *d)
{
	for (size_t ci = 0; ci < d->claims.n; ci++) {
		au_claim *c = &d->claims.v[ci];
		if ((c->kind != CK_BALANCE && c->kind != CK_SUM) || c->total < 0 ||
		    c->verdict == FISC_AUDIT_FAILED)
			continue;
		au_tok *t = T(d, c->total);
		if (!t->label || !strstr(t->label, "财力") || t->sent < 0)
			continue;
		int blk = d->sents.v[t->sent].block;
		for (size_t k = (size_t)c->total + 1; k < d->toks.n; k++) {
			au_tok *e = T(d, (int)k);
			if (e->sent < 0 || d->sents.v[e->sent].block != blk)
				break;
			if (e->kind != TK_AMOUNT || e->role != R_PRINCIPAL || !e->glabel ||
			    !(strstr(e->glabel, "安排支出") || strstr(e->glabel, "支出安排")))
				continue;
			i128 diff = 2 * ((i128)t->eff.fen - e->eff.fen);
			if ((diff < 0 ? -diff : diff) > (i128)t->eff.ulp + e->eff.ulp) {
				fisc_fen gap = t->eff.fen - e->eff.fen;
				au_find *f = au_find_new(d, "audit.budget_gap", FISC_AUDIT_WARNING, e->line, e->sent, -1);
				f->stated = au_amt(d, &e->eff);
				f->computed = au_amt(d, &t->eff);
				f->zh = fmt(d, "可用财力为%s，安排支出为%s，%s%s：预算收支未平衡。", f->computed, f->stated,
					    gap > 0 ? "尚有未安排的" : "支出超出财力",
					    au_fen(d, gap < 0 ? -gap : gap, e->eff.unit, e->eff.decimals));
				f->en = fmt(d, "resources are %s but spending is %s: %s %s, the budget does not balance.",
					    f->computed, f->stated, au_fen(d, gap < 0 ? -gap : gap, e->eff.unit, e->eff.decimals),
					    gap > 0 ? "left unallocated" : "spent beyond them");
				find_line(d, f, t->line);
				find_line(d, f, e->line);
			}
			break;
		}
	}
}

/* ---- shares of one whole the text does not state ----------------------------- */

/* "基本支出323.15万元，占一般公共预算总支出的4.84%"、"项目支出6348.17万元，占一般
** 公共预算总支出的95.16%"…: the whole is never printed, but every share
** of it implies it: W = part ÷ share, an interval from the part's and the
** share's rounding. All of them must meet. When they do not, the share
** whose removal lets the others meet is the one in error. */
typedef struct wint {
	frac lo, hi;
	int claim;
} wint;

static int implied_whole(au_doc *d, const au_claim *c, wint *w)
{
	const au_tok *a = T(d, c->a), *p = T(d, c->pct);
	if (p->pv <= 0)
		return 0;
	i128 sc = 1;
	for (int i = 0; i < p->pdec; i++)
		sc *= 10;
	i128 A = 2 * (i128)a->eff.fen, ua = a->eff.ulp, P = p->pv;
	/* W = 100·a / p with p = (2P ± 1) / (2·sc) percent, a in half-fen */
	w->lo = (frac){200 * sc * (A - ua), 2 * P + 1};
	w->hi = (frac){200 * sc * (A + ua), 2 * P - 1};
	return w->hi.den > 0;
}

static int meet(const wint *w, int n, int skip, frac *lo, frac *hi)
{
	int first = 1;
	for (int i = 0; i < n; i++) {
		if (i == skip)
			continue;
		if (first || frac_lt(*lo, w[i].lo))
			*lo = w[i].lo;
		if (first || frac_lt(w[i].hi, *hi))
			*hi = w[i].hi;
		first = 0;
	}
	return !frac_lt(*hi, *lo);
}

typedef struct shkey {
	const char *whole;
	int year;
	size_t claim;
} shkey;

static int cmp_shkey(const void *x, const void *y)
{
	const shkey *a = x, *b = y;
	int c = strcmp(a->whole, b->whole);
	if (c)
		return c;
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	return (a->claim > b->claim) - (a->claim < b->claim);
}

typedef struct shgroup {
	size_t first;  /* the group's first claim: groups are checked in text order */
	size_t q0, q1; /* its shares: ks[q0 .. q1) */
} shgroup;

static int cmp_shgroup(const void *x, const void *y)
{
	const shgroup *a = x, *b = y;
	return (a->first > b->first) - (a->first < b->first);
}

void au_check_shares(au_doc *d)
{
	size_t n0 = d->claims.n;
	/* the shares of an unstated whole, by whole and year: sorted once, so
	** that grouping costs n log n however many wholes the text names */
	shkey *ks = malloc(sizeof *ks * (n0 + 1));
	size_t nk = 0;
	if (!ks) {
		au_oom = 1;
		return;
	}
	for (size_t i = 0; i < n0; i++) {
		au_claim *c = &d->claims.v[i];
		if (c->kind == CK_PERCENT && c->whole && c->verdict == FISC_AUDIT_UNVERIFIABLE && c->a >= 0)
			ks[nk++] = (shkey){c->whole, T(d, c->a)->ctx.year, i};
	}
	qsort(ks, nk, sizeof *ks, cmp_shkey);
	/* groups of at most 64 shares that imply a whole */
	shgroup *gs = malloc(sizeof *gs * (nk + 1));
	size_t ng = 0;
	if (!gs) {
		free(ks);
		au_oom = 1;
		return;
	}
	for (size_t g = 0; g < nk;) {
		size_t e = g + 1;
		while (e < nk && !strcmp(ks[e].whole, ks[g].whole) && ks[e].year == ks[g].year)
			e++;
		shgroup *cur = NULL;
		int n = 0;
		for (size_t q = g; q < e; q++) {
			if (!cur) {
				cur = &gs[ng++];
				cur->first = ks[q].claim;
				cur->q0 = q;
				n = 0;
			}
			cur->q1 = q + 1;
			wint w1;
			if (implied_whole(d, &d->claims.v[ks[q].claim], &w1) && ++n == 64)
				cur = NULL;
		}
		g = e;
	}
	qsort(gs, ng, sizeof *gs, cmp_shgroup);
	for (size_t gi = 0; gi < ng; gi++) {
		size_t i = gs[gi].first;
		au_claim *c = &d->claims.v[i];
		wint w[64];
		int n = 0;
		for (size_t q = gs[gi].q0; q < gs[gi].q1 && n < 64; q++)
			if (implied_whole(d, &d->claims.v[ks[q].claim], &w[n]))
				w[n++].claim = (int)ks[q].claim;
		if (n < 2)
			continue;
		frac lo, hi;
		int ok = meet(w, n, -1, &lo, &hi);
		int bad = -1;
		if (!ok) {
			/* the one share without which the others agree */
			for (int k = n - 1; k >= 0 && bad < 0; k--)
				if (meet(w, n, k, &lo, &hi))
					bad = k;
			if (bad < 0)
				bad = n - 1;
		}
		au_claim *g = au_claim_new(d, CK_PERCENT, "audit.percent_shares");
		c = &d->claims.v[i];
		au_claim *culprit = &d->claims.v[w[bad < 0 ? n - 1 : bad].claim];
		g->pct = culprit->pct;
		g->total = culprit->pct;
		g->sent = culprit->sent;
		g->line = T(d, culprit->pct)->line;
		g->pkind = -1; /* not evaluated again */
		g->stated = culprit->stated;
		g->expr = fmt(d, "%d 个占“%s”的比重", n, c->whole);
		if (ok) {
			/* consistent with each other, within rounding: no finding */
			g->verdict = FISC_AUDIT_WITHIN;
			continue;
		}
		g->verdict = FISC_AUDIT_FAILED;
		g->sev = FISC_AUDIT_ERROR;
		const au_tok *a = T(d, culprit->a);
		/* what the others imply for the whole, and so for this share */
		frac l2, h2;
		meet(w, n, bad, &l2, &h2);
		i128 mid_n = l2.n * h2.den + h2.n * l2.den, mid_d = 2 * l2.den * h2.den;
		/* share = 100·a / W, W in half-fen */
		g->computed = fmt_ratio(d, 100 * 2 * (i128)a->eff.fen * mid_d, mid_n,
					T(d, culprit->pct)->pdec < 1 ? 1 : T(d, culprit->pct)->pdec);
		g->zh = fmt(d, "同一总数“%s”的各个占比互相矛盾：按其余%d个占比推算，该总数约为%s，%s所占应为%s，而不是%s。",
			    c->whole, n - 1, au_fen(d, (fisc_fen)(mid_n / mid_d / 2), a->eff.unit, a->eff.decimals),
			    au_amt(d, &a->eff), g->computed, g->stated);
		g->en = fmt(d, "the shares of one unstated whole ('%s') contradict each other: the other %d put it near %s, so %s is %s of it, not %s.",
			    c->whole, n - 1, au_fen(d, (fisc_fen)(mid_n / mid_d / 2), a->eff.unit, a->eff.decimals),
			    au_amt(d, &a->eff), g->computed, g->stated);
		au_find *f = au_find_new(d, g->rule, g->sev, g->line, g->sent, -1);
		f->stated = g->stated;
		f->computed = g->computed;
		f->zh = g->zh;
		f->en = g->en;
		for (int k = 0; k < n; k++) {
			au_claim *o = &d->claims.v[w[k].claim];
			find_line(d, f, T(d, o->pct)->line);
			find_line(d, f, T(d, o->a)->line);
		}
	}
	free(ks);
	free(gs);
}
