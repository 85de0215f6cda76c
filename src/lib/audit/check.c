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
	char buf[2048];
	va_list ap;
	va_start(ap, f);
	vsnprintf(buf, sizeof buf, f, ap);
	va_end(ap);
	char *p = fisc_arena_strdup(d->w, buf);
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
	for (int i = 0; i < c->nparts && n + 100 < sizeof buf; i++) {
		const au_tok *t = T(d, c->parts[i]);
		int neg = (c->signs[i] < 0) != (t->eff.fen < 0);
		const char *op = i == 0 ? (neg ? "−" : "") : (neg ? " − " : " + ");
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", op, part_text(d, t, unit));
	}
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

/* Resolve a figure a claim names without giving it. */
static void resolve_base(au_doc *d, au_claim *c)
{
	if (!c->base_missing)
		return;
	int found = -1;
	if (c->base_missing == 2 && c->nparts) {
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
	} else if (c->base_missing == 3 && c->sent >= 0) {
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
	if (found < 0)
		return;
	if (c->base_missing == 3) {
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
	c->base_missing = 0;
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
	if (c->verdict == FISC_AUDIT_FAILED) {
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

static void eval_percent(au_doc *d, au_claim *c)
{
	au_tok *p = T(d, c->pct);
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
			if (t->flags & TF_BARE)
				continue;
			if (t->amt.unit == FISC_UNIT_YUAN) {
				nyuan++;
				odd = i;
			} else {
				nbig++;
				votes[t->amt.unit]++;
			}
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
void au_check_dups(au_doc *d)
{
	for (size_t ci = 0; ci < d->claims.n; ci++) {
		au_claim *c = &d->claims.v[ci];
		if (!is_sum_kind(c->kind) || c->kind == CK_TABLE || c->kind == CK_DIFF)
			continue;
		for (int j = 1; j < c->nparts; j++) {
			au_tok *b = T(d, c->parts[j]);
			if (!b->key || strlen(b->key) < 9 || b->sent < 0)
				continue;
			for (int i = 0; i < j; i++) {
				au_tok *a = T(d, c->parts[i]);
				if (!a->key || strcmp(a->key, b->key))
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
				if (same) {
					/* count it once */
					for (int q = j; q + 1 < c->nparts; q++) {
						c->parts[q] = c->parts[q + 1];
						c->signs[q] = c->signs[q + 1];
					}
					c->nparts--;
					c->dup = j;
					j--;
				}
				break;
			}
		}
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
		if (c->total >= 0)
			c->line = T(d, c->total)->line;
		else if (c->sent >= 0)
			c->line = d->lineof[d->sents.v[c->sent].beg];
		else if (c->block >= 0)
			c->line = d->blocks.v[c->block].line;
		if (c->sev) {
			au_find *f = au_find_new(d, c->rule, c->sev, c->line, c->sent,
						 c->sent < 0 ? (c->block >= 0 ? c->block : -1) : -1);
			if (c->sent < 0 && c->total >= 0 && c->block < 0)
				f->block = -1;
			f->stated = c->stated;
			f->computed = c->computed;
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

static int share_claim(au_doc *d, int a, int b)
{
	for (size_t ci = 0; ci < d->claims.n; ci++) {
		au_claim *c = &d->claims.v[ci];
		if (c->kind == CK_PERCENT || !c->kind)
			continue;
		int ha = c->total == a, hb = c->total == b;
		for (int i = 0; i < c->nparts; i++) {
			ha |= c->parts[i] == a;
			hb |= c->parts[i] == b;
		}
		if (ha && hb)
			return 1;
	}
	return 0;
}

static int same_key(const au_tok *a, const au_tok *b)
{
	return a->item == b->item && a->ctx.year == b->ctx.year && a->ctx.book == b->ctx.book &&
	       a->ctx.scope == b->ctx.scope && a->ctx.phase == b->ctx.phase && a->ctx.qual == b->ctx.qual;
}

void au_check_restated(au_doc *d)
{
	size_t n = d->toks.n;
	for (size_t j = 0; j < n; j++) {
		au_tok *b = T(d, (int)j);
		if (!au_fact_ok(b))
			continue;
		d->nfacts++;
		/* compare with the earliest earlier statement of the same quantity,
		** in text order (table cells sit at the end of the token list) */
		int best = -1;
		for (size_t i = 0; i < n; i++) {
			au_tok *a = T(d, (int)i);
			if (i == j || !au_fact_ok(a) || a->beg >= b->beg || !same_key(a, b))
				continue;
			if (share_claim(d, (int)i, (int)j))
				continue;
			if (best < 0 || a->beg < T(d, best)->beg)
				best = (int)i;
		}
		if (best < 0)
			continue;
		au_tok *a = T(d, best);
		au_claim *c = au_claim_new(d, CK_RESTATED, "audit.restated");
		c->total = (int)j;
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
		au_find *f = au_find_new(d, "audit.restated", FISC_AUDIT_ERROR, b->line, b->sent,
					 b->sent < 0 ? -1 : -1);
		if (b->sent < 0) {
			for (size_t q = 0; q < d->blocks.n; q++)
				if (d->blocks.v[q].kind == BK_ROW && d->blocks.v[q].beg <= b->beg &&
				    b->beg < d->blocks.v[q].end)
					f->block = (int)q;
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
	const char *t = au_span(d, b->beg, b->end);
	for (size_t k = 0; k < sizeof lead / sizeof *lead; k++)
		if (au_startswith(t, lead[k]))
			return 1;
	return strstr(t, "XX") || strstr(t, "××") || strstr(t, "xx年");
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
		size_t e = b + 1;
		while (e < d->blocks.n && !(d->blocks.v[e].level && d->blocks.v[e].level <= h->level))
			e++;
		const char *name = au_sent_text(d, -1, (int)b);
		if (e == b + 1) {
			au_find *f = au_find_new(d, "audit.section_empty", sev, h->line, -1, (int)b);
			f->zh = fmt(d, "章节“%s”没有任何内容。", name);
			f->en = fmt(d, "section '%s' is empty.", name);
			find_line(d, f, h->line);
			continue;
		}
		int all_template = 1;
		for (size_t q = b + 1; q < e; q++)
			all_template &= d->blocks.v[q].kind == BK_TEXT && !d->blocks.v[q].marker &&
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
	/* numbering that does not continue: "六、" after "5、" */
	int seen[MK_COUNT][64];
	memset(seen, 0, sizeof seen);
	for (size_t b = 0; b < d->blocks.n; b++) {
		au_block *h = &d->blocks.v[b];
		if (!h->level || h->ordinal < 1 || h->ordinal >= 64)
			continue;
		if (h->ordinal > 1 && !seen[h->marker][h->ordinal - 1]) {
			int other = 0;
			for (int m = 0; m < MK_COUNT; m++)
				other |= m != h->marker && seen[m][h->ordinal - 1];
			if (other) {
				au_find *f = au_find_new(d, "audit.numbering", FISC_AUDIT_WARNING, h->line, -1, (int)b);
				f->zh = fmt(d, "章节编号格式前后不一致：第%d节起换了编号方式。", h->ordinal);
				f->en = fmt(d, "section numbering changes style at section %d.", h->ordinal);
				find_line(d, f, h->line);
			}
		}
		seen[h->marker][h->ordinal] = 1;
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
