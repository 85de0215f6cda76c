/*
** percent.c — percentages the text states, with the figures they follow
** from when the text gives them:
**   growth      "增长 8.88%", "同比下降 3.92%": against a stated prior figure
**               ("较上年同期184420万元"), a stated change ("增收2.34亿元") or the
**               same quantity of the year before stated elsewhere in the report
**   completion  "为调整预算的 100.25%", "完成调整预算207363万元的11.55%"
**   share       "占一般公共预算支出的 72.76%", "税收比重为 95.99%"; a share of
**               exactly 100% asserts that two amounts are equal
**   rates       "审减率" (审减 ÷ 送审)
** Everything else (debt ratios, targets, "…以上") is left alone.
*/
#include <string.h>
#include "audit/internal.h"
#include "fisc/fact.h"

static au_tok *T(au_doc *d, int k) { return &d->toks.v[k]; }

/* The clause of the text written before token k: from the previous figure
** (not a year), cut at the last major separator. */
static const char *clause_before(au_doc *d, au_sent *se, int k)
{
	size_t gb = se->beg;
	for (int j = k - 1; j >= se->tok0; j--)
		if (T(d, j)->kind != TK_YEAR) {
			gb = T(d, j)->end;
			break;
		}
	const char *g = au_span(d, gb, T(d, k)->beg);
	const char *best = g;
	static const char *const seps[] = {"，", "；", "：", ",", ";", ":"};
	for (size_t q = 0; q < sizeof seps / sizeof *seps; q++)
		for (const char *p = strstr(g, seps[q]); p; p = strstr(p + 1, seps[q]))
			if (p + strlen(seps[q]) > best)
				best = p + strlen(seps[q]);
	return best;
}

/* Nearest value figure before token k at the same bracket depth. */
static int subject_before(au_doc *d, au_sent *se, int k, int skip)
{
	for (int j = k - 1; j >= se->tok0; j--) {
		au_tok *t = T(d, j);
		if (t->kind != TK_AMOUNT || t->depth != T(d, k)->depth || j == skip)
			continue;
		if (t->role == R_PRINCIPAL)
			return j;
	}
	return -1;
}

static int subject_after(au_doc *d, au_sent *se, int k)
{
	for (int j = k + 1; j < se->tok0 + se->ntok; j++) {
		au_tok *t = T(d, j);
		if (t->kind == TK_AMOUNT && t->role == R_PRINCIPAL && t->depth == T(d, k)->depth)
			return j;
	}
	return -1;
}

static int has_any(const char *s, const char *const *w, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (strstr(s, w[k]))
			return 1;
	return 0;
}

/* The label without the names of the books, which contain "预算". */
static int names_budget(const char *g)
{
	static const char *const books[] = {"一般公共预算", "基金预算", "国有资本经营预算",
					    "公共财政预算", "预算稳定"};
	char buf[512];
	size_t n = strlen(g);
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, g, n + 1);
	for (size_t k = 0; k < sizeof books / sizeof *books; k++)
		for (char *p = strstr(buf, books[k]); p; p = strstr(buf, books[k]))
			memset(p, '_', strlen(books[k]));
	return strstr(buf, "预算") != NULL;
}

static au_claim *pclaim(au_doc *d, int si, int p, int kind, int a, int b, int neg)
{
	au_claim *c = au_claim_new(d, CK_PERCENT, "audit.percent");
	c->sent = si;
	c->pct = p;
	c->pkind = kind;
	c->a = a;
	c->b = b;
	c->neg = neg;
	c->total = p;
	return c;
}

/* The words name a comparison base ("比2019年决算数", "较年初预算"), not only
** the year-on-year of 同比. */
static int own_base(const char *g)
{
	for (const char *q = g; (q = strstr(q, "比")); q += strlen("比")) {
		if (q - g >= 3 && !memcmp(q - 3, "同", 3))
			continue;
		if (q - g >= 3 && (!memcmp(q - 3, "占", 3) || !memcmp(q - 3, "对", 3)))
			continue;
		return 1;
	}
	return strstr(g, "较") != NULL;
}

/* May the change `ch` be of the figure `s` before it? Not when a "；" parts
** them and the change's label names an item (words before its verb) that is
** not s's. */
static int own_item_of(au_doc *d, int s, int ch)
{
	const au_tok *a = T(d, s), *c = T(d, ch);
	if (!au_has(d->s, a->end, c->beg, "；") && !au_has(d->s, a->end, c->beg, ";"))
		return 1;
	const char *g = c->glabel ? c->glabel : "";
	static const char *const verbs[] = {"减少", "增加", "下降", "增长", "减收", "增收", "减支", "增支",
					    "比上年", "较上年", "比", "较", "同比", "对比"};
	size_t cut = strlen(g);
	for (size_t k = 0; k < sizeof verbs / sizeof *verbs; k++) {
		const char *v = strstr(g, verbs[k]);
		if (v && (size_t)(v - g) < cut)
			cut = (size_t)(v - g);
	}
	if (cut < 12)
		return 1; /* "对比减少": no item named */
	const char *al = a->label ? a->label : "";
	return *al && !strncmp(g, al, strlen(al) < cut ? strlen(al) : cut);
}

static void growth(au_doc *d, int si, int p, const char *cl)
{
	au_sent *se = &d->sents.v[si];
	static const char *const down[] = {"下降", "减少", "减收", "减支", "回落", "降幅", "下滑",
					   "负增长"};
	int neg = has_any(cl, down, sizeof down / sizeof *down);
	int s = subject_before(d, se, p, -1);
	int prior = -1, change = -1;
	if (s >= 0) {
		for (int j = s + 1; j < p; j++) {
			au_tok *t = T(d, j);
			if (t->kind != TK_AMOUNT || t->depth != T(d, p)->depth)
				continue;
			if (t->role == R_PRIOR)
				prior = j;
			if (t->role == R_CHANGE)
				change = j;
		}
		if (prior < 0 && change < 0)
			for (int j = p + 1; j < se->tok0 + se->ntok; j++) {
				au_tok *t = T(d, j);
				if (t->kind != TK_AMOUNT)
					continue;
				/* a change after the percent belongs to it only inside
				** the same bracket */
				if (t->role == R_PRINCIPAL || t->kind == TK_PERCENT ||
				    t->depth < T(d, p)->depth)
					break;
				if (t->role == R_CHANGE && t->depth == T(d, p)->depth) {
					change = j;
					break;
				}
			}
	} else {
		s = subject_after(d, se, p);
	}
	/* "因公出国费支出0.00元；公务用车运行维护费支出决算减少40217.50元，下降
	** 54.19%": the change names an item of its own in a clause of its own;
	** the figure before it is another item's, and this item's current figure
	** is not given */
	if (s >= 0 && change >= 0 && prior < 0 && !own_item_of(d, s, change))
		s = -1, change = -1;
	if (s < 0) {
		/* "省级财政均衡性转移支付增长15.7%": a rate of a figure not given */
		pclaim(d, si, p, 0, -1, -1, neg);
		return;
	}
	/* "比报告数567118万元增加8226万元，…；比2019年决算数增长12%": the percent
	** names a comparison base of its own, other than the one the change
	** was measured against, and does not give it */
	if ((prior >= 0 || change >= 0) && own_base(cl) && !strstr(cl, "上年") &&
	    !strstr(cl, "去年") && !strstr(cl, "同期")) {
		pclaim(d, si, p, 0, s, -1, neg);
		return;
	}
	static const char *const basis[] = {"同口径", "可比口径", "剔除", "扣除", "还原"};
	if (has_any(cl, basis, sizeof basis / sizeof *basis) ||
	    (prior < 0 && change < 0 && (names_budget(cl) || strstr(cl, "计划")))) {
		pclaim(d, si, p, 0, s, -1, neg); /* measured against what the text does not give */
		return;
	}
	/* a prior read from the years of the labels, with the change also
	** stated: the rate is written of the change ("对比减少4.35万元；减少率
	** 35.22%"), and whether the change itself follows is audit.change's */
	if (prior >= 0 && change >= 0 && (T(d, prior)->flags & TF_YEARPRIOR)) {
		pclaim(d, si, p, PK_GROWTH_CHANGE, s, change, neg);
		return;
	}
	if (prior >= 0) {
		pclaim(d, si, p, PK_GROWTH_PRIOR, s, prior, neg);
		return;
	}
	if (change >= 0) {
		pclaim(d, si, p, PK_GROWTH_CHANGE, s, change, neg);
		return;
	}
	/* the same quantity of the year before, stated elsewhere in the report */
	au_tok *st = T(d, s);
	int item = st->item;
	if (item < 0) {
		/* "预计完成 94580万元": the sentence's subject names the item */
		size_t sb = se->beg, sbe = se->end;
		for (int j = se->tok0; j < se->tok0 + se->ntok; j++)
			if (T(d, j)->kind != TK_YEAR) {
				sbe = T(d, j)->beg;
				break;
			}
		item = au_lex_item_in(au_label_clean(d, au_span(d, sb, sbe), 0));
	}
	int f = -1;
	if (item >= 0 && st->ctx.year && st->ctx.book >= 0 &&
	    (strstr(cl, "增长") || strstr(cl, "下降"))) {
		au_ctx pc = st->ctx;
		pc.year--;
		f = au_fact_find(d, &pc, (1u << FISC_PHASE_EXECUTION) | (1u << FISC_PHASE_FINAL), item, s);
	}
	pclaim(d, si, p, f >= 0 ? PK_GROWTH_PRIOR : 0, s, f, neg);
}

static void completion(au_doc *d, int si, int p, const char *cl)
{
	au_sent *se = &d->sents.v[si];
	int den = -1;
	if (p > se->tok0 && T(d, p - 1)->kind == TK_AMOUNT && T(d, p - 1)->role == R_BUDGET) {
		den = p - 1;
	} else {
		int adj = strstr(cl, "调整") != NULL || strstr(cl, "变动") != NULL;
		int n = 0;
		for (int j = se->tok0; j < p; j++) {
			au_tok *t = T(d, j);
			if (t->kind != TK_AMOUNT || !t->raw)
				continue;
			int is_adj = strstr(t->raw, "调整为") || strstr(t->raw, "调整支出预算为") ||
				     strstr(t->raw, "调整收入预算为") || strstr(t->raw, "变动为");
			/* "较年初预算超收1.17亿元" names a budget only as the base
			** of a comparison: the figure is the excess, never a budget */
			int is_bud = !is_adj && t->glabel && names_budget(t->glabel) &&
				     !strstr(t->glabel, "调整") && !strstr(t->glabel, "较") &&
				     !strstr(t->glabel, "比") && !strstr(t->glabel, "超") &&
				     !strstr(t->glabel, "短收");
			/* a figure of another item: a "；" parts it from the rate */
			if (au_has(d->s, t->end, T(d, p)->beg, "；") || au_has(d->s, t->end, T(d, p)->beg, ";"))
				is_adj = is_bud = 0;
			if ((adj && is_adj) || (!adj && is_bud)) {
				den = j;
				n++;
			}
		}
		if (n != 1)
			den = -1;
	}
	/* "完成X，为年初预算Y的P%": the figure before the reference; "调整为Y，
	** 实际完成X，为调整预算的P%": the figure nearest the percentage */
	int s = (den >= 0 && den == p - 1) ? subject_before(d, se, den, den) : subject_before(d, se, p, den);
	if (s < 0)
		return;
	pclaim(d, si, p, den >= 0 ? PK_RATIO : 0, s, den, 0);
}

/* For every token, the total of the first breakdown (sum or partial claim)
** that lists it among its parts, -1 if none. Built once: the claims added
** while percentages are read are percentages. */
static int *breakdown_heads(au_doc *d)
{
	size_t n = d->toks.n;
	int *head = fisc_arena_alloc(d->w, (n + 1) * sizeof(int));
	char *seen = fisc_arena_alloc(d->w, n + 1);
	if (!head || !seen) {
		au_oom = 1;
		return NULL;
	}
	for (size_t k = 0; k < n; k++)
		head[k] = -1;
	for (size_t c = 0; c < d->claims.n; c++) {
		au_claim *cl = &d->claims.v[c];
		if (cl->kind != CK_SUM && cl->kind != CK_PARTIAL)
			continue;
		for (int i = 0; i < cl->nparts; i++) {
			int k = cl->parts[i];
			if (k >= 0 && (size_t)k < n && !seen[k]) {
				seen[k] = 1;
				head[k] = cl->total;
			}
		}
	}
	return head;
}

static int breakdown_head_of(const int *heads, int tok)
{
	return heads && tok >= 0 ? heads[tok] : -1;
}

/* *strong: the whole is in the part's own paragraph and its label ends in
** the whole's full name after words that only say whose it is ("…人民政府
** 收入预算总额"), not after a conjunction ("税收返还和转移支付" is not the
** 转移支付). */
static int whole_by_suffix(au_doc *d, int s, const char *key, int *strong)
{
	*strong = 0;
	int b0 = T(d, s)->sent >= 0 ? d->sents.v[T(d, s)->sent].block : -1;
	int found = -1;
	for (int j = s - 1; j >= 0 && b0 >= 0; j--) {
		au_tok *t = T(d, j);
		if (t->sent < 0)
			continue;
		if (d->sents.v[t->sent].block < b0 - 1)
			break;
		if (t->kind != TK_AMOUNT || t->role != R_PRINCIPAL || !t->key ||
		    (t->flags & (TF_BOUND | TF_APPROX)) || !au_endswith(t->key, key))
			continue;
		if (found >= 0 && T(d, found)->eff.fen != t->eff.fen)
			return -1; /* two wholes of that name: not ours to choose */
		found = j;
	}
	if (found >= 0) {
		const au_tok *t = T(d, found);
		size_t lk = strlen(t->key), l = strlen(key);
		static const char *const conj[] = {"和", "及", "与", "、", "或"};
		int after_conj = 0;
		for (size_t q = 0; q < sizeof conj / sizeof *conj && lk > l; q++) {
			size_t cl = strlen(conj[q]);
			after_conj |= lk - l >= cl && !memcmp(t->key + lk - l - cl, conj[q], cl);
		}
		*strong = l >= 12 && !after_conj && d->sents.v[t->sent].block == b0;
	}
	return found;
}

static void share(au_doc *d, const int *heads, int si, int p, const char *cl)
{
	au_sent *se = &d->sents.v[si];
	int s = subject_before(d, se, p, -1);
	if (s < 0)
		return;
	const char *whole = NULL;
	const char *z = strstr(cl, "占");
	if (z && z > cl) {
		/* "税收收入占本级收入的比重": the part is named by its label, not by
		** being the nearest figure */
		const char *nk = au_label_clean(d, fisc_arena_strndup(d->w, cl, (size_t)(z - cl)), 1);
		if (nk && *nk)
			for (int j = s; j >= se->tok0; j--) {
				au_tok *t = T(d, j);
				if (t->kind == TK_AMOUNT && t->role == R_PRINCIPAL && t->key &&
				    !strcmp(t->key, nk)) {
					s = j;
					break;
				}
			}
	}
	if (z) {
		z += 3;
		const char *e = strstr(z, "的");
		const char *e2 = strstr(z, "比重");
		if (!e || (e2 && e2 < e))
			e = e2;
		whole = e ? fisc_arena_strndup(d->w, z, (size_t)(e - z)) : z;
		/* "占比65.8%", "占比重": 比 is the word for a share, no whole named */
		if (whole && (!strcmp(whole, "比") || au_startswith(whole, "比重") || !strcmp(whole, "比为")))
			whole = NULL;
	}
	int den = -1, guessed = 0;
	if (whole && *whole) {
		const char *key = au_label_clean(d, whole, 1);
		for (int j = se->tok0; j < s && den < 0; j++)
			if (T(d, j)->kind == TK_AMOUNT && T(d, j)->key && !strcmp(T(d, j)->key, key))
				den = j;
		if (den < 0)
			den = au_fact_by_label(d, key, T(d, s)->ctx.year, s);
		/* "占总支出的22.5%" after "省级一般公共预算总支出6571.85亿元", "占收入
		** 合计的99.94%" after "本年收入合计17786.10万元": the whole named by
		** the end of its label, earlier in the paragraph */
		int strong = 0;
		if (den < 0 && strlen(key) >= 6 && (den = whole_by_suffix(d, s, key, &strong)) >= 0)
			guessed = !strong;
		/* "税收占一般公共预算收入的比重": the head of the breakdown the part is in */
		if (den < 0) {
			int h = breakdown_head_of(heads, s);
			if (h >= 0 && T(d, h)->key && strstr(key, T(d, h)->key) && *T(d, h)->key)
				den = h;
		}
	} else {
		den = breakdown_head_of(heads, s);
	}
	int kind = den >= 0 ? PK_RATIO : 0;
	if (kind && T(d, p)->pv == 100 && T(d, p)->pdec == 0)
		kind = PK_EQUAL100;
	au_claim *c = pclaim(d, si, p, kind, s, den, 0);
	c->guessed = guessed;
	/* "占预算的100.78%" is an execution rate against the item's own budget:
	** rates of different items are never shares of one whole */
	if (!kind && whole && *whole && !names_budget(whole))
		c->whole = au_label_clean(d, whole, 1);
}

static void rate(au_doc *d, int si, int p)
{
	au_sent *se = &d->sents.v[si];
	int num = -1, den = -1;
	for (int j = se->tok0; j < p; j++) {
		au_tok *t = T(d, j);
		if (t->kind != TK_AMOUNT || !t->glabel)
			continue;
		if (strstr(t->glabel, "审减"))
			num = j;
		if (strstr(t->glabel, "送审"))
			den = j;
	}
	if (num < 0)
		return;
	pclaim(d, si, p, den >= 0 ? PK_RATIO : 0, num, den, 0);
}

/* Is s[beg, end) only a list separator ("、", "和", "，")? */
static int list_gap(const au_doc *d, size_t beg, size_t end)
{
	static const char *const seps[] = {"、", "和", "及", "，", ",", " "};
	while (beg < end) {
		size_t k = 0;
		for (size_t q = 0; q < sizeof seps / sizeof *seps && !k; q++) {
			size_t l = strlen(seps[q]);
			if (end - beg >= l && !memcmp(d->s + beg, seps[q], l))
				k = l;
		}
		if (!k)
			return 0;
		beg += k;
	}
	return 1;
}

/* "收入和支出分别增长4.53%、9.97%", "分别为100万元、200万元，分别增长5%、6%":
** the i-th percent of a 分别 list belongs to the i-th figure of the list
** before it, never to the nearest one. Such percents are recorded against
** their own subject (unverifiable: a respectively-sentence states no
** change), and 1 is returned; 0 when p is not in one. */
static int respectively(au_doc *d, int si, int p)
{
	au_sent *se = &d->sents.v[si];
	int r0 = p;
	while (r0 > se->tok0 && T(d, r0 - 1)->kind == TK_PERCENT &&
	       list_gap(d, T(d, r0 - 1)->end, T(d, r0)->beg))
		r0--;
	size_t lo = r0 > se->tok0 ? T(d, r0 - 1)->end : se->beg;
	size_t at = au_find_word(d->s, lo, T(d, r0)->beg, "分别");
	if (at == (size_t)-1)
		return 0;
	int r1 = p;
	while (r1 + 1 < se->tok0 + se->ntok && T(d, r1 + 1)->kind == TK_PERCENT &&
	       list_gap(d, T(d, r1)->end, T(d, r1 + 1)->beg))
		r1++;
	int idx = p - r0, n = r1 - r0 + 1;
	/* the figures of the 分别 list before, if there is one */
	size_t prev = (size_t)-1;
	for (size_t q = au_find_word(d->s, se->beg, at, "分别"); q != (size_t)-1;
	     q = au_find_word(d->s, q + 1, at, "分别"))
		prev = q;
	int subj = -1;
	if (prev != (size_t)-1) {
		int cnt = 0;
		for (int k = se->tok0; k < r0; k++) {
			au_tok *t = T(d, k);
			if (t->kind == TK_AMOUNT && t->depth == 0 && t->role == R_PRINCIPAL && t->beg > prev &&
			    t->end <= at) {
				if (cnt == idx)
					subj = k;
				cnt++;
			}
		}
		if (cnt != n)
			subj = -1;
	}
	pclaim(d, si, p, 0, subj, -1, 0);
	return 1;
}

/* "占比为80%，比上年78%提高2个百分点": a change in percentage points
** between the two shares the sentence states, the current one and the one
** after 比上年 / 较上年 / 比去年同期. Without the prior share stated beside it
** the points say nothing that can be checked here, so no claim is made. */
static void points(au_doc *d, int si)
{
	au_sent *se = &d->sents.v[si];
	for (int q = se->tok0; q < se->tok0 + se->ntok; q++) {
		au_tok *t = T(d, q);
		if (t->kind != TK_PP)
			continue;
		int b = q - 1, a = q - 2;
		if (a < se->tok0 || T(d, a)->kind != TK_PERCENT || T(d, b)->kind != TK_PERCENT)
			continue;
		const char *base = au_span(d, T(d, a)->end, T(d, b)->beg);
		const char *dir = au_span(d, T(d, b)->end, t->beg);
		if (!(strstr(base, "比") || strstr(base, "较")) ||
		    !(strstr(base, "上年") || strstr(base, "去年") || strstr(base, "同期")))
			continue;
		int up = strstr(dir, "提高") || strstr(dir, "上升") || strstr(dir, "增加") ||
			 strstr(dir, "增长") || strstr(dir, "提升");
		int down = strstr(dir, "下降") || strstr(dir, "降低") || strstr(dir, "减少") ||
			   strstr(dir, "回落") || strstr(dir, "下滑");
		if (up == down)
			continue; /* no direction, or both: no reading to check */
		/* the points as written: digits, one decimal point */
		int64_t v = 0;
		int dec = 0, indec = 0, ok = 1, any = 0;
		for (size_t i = t->beg; i < t->end; i++) {
			char ch = d->s[i];
			if (ch == '.') {
				indec = 1;
			} else if (ch >= '0' && ch <= '9') {
				if (v > INT64_MAX / 100 || dec >= 6)
					ok = 0;
				else
					v = v * 10 + (ch - '0');
				dec += indec;
				any = 1;
			} else {
				break;
			}
		}
		if (!ok || !any)
			continue;
		t->pv = v;
		t->pdec = dec;
		pclaim(d, si, q, PK_POINTS, a, b, down);
	}
}

void au_percents(au_doc *d)
{
	const int *heads = breakdown_heads(d);
	for (size_t si = 0; si < d->sents.n; si++) {
		au_sent *se = &d->sents.v[si];
		points(d, (int)si);
		for (int p = se->tok0; p < se->tok0 + se->ntok; p++) {
			au_tok *t = T(d, p);
			if (t->kind != TK_PERCENT)
				continue;
			/* targets and bounds are not computations */
			size_t e = t->end;
			if (au_has(d->s, e, e + 6 <= d->n ? e + 6 : e, "以上") ||
			    au_has(d->s, e, e + 6 <= d->n ? e + 6 : e, "以下") ||
			    au_has(d->s, e, e + 6 <= d->n ? e + 6 : e, "左右") ||
			    au_has(d->s, e, e + 6 <= d->n ? e + 6 : e, "安排"))
				if (!(p > se->tok0 && strstr(clause_before(d, se, p), "增长")))
					continue;
			const char *cl = clause_before(d, se, p);
			static const char *const grow[] = {"增长", "下降", "增幅", "降幅", "上升",
							   "回落", "减少", "增加", "减收", "增收",
							   "增支", "减支", "下滑"};
			if (respectively(d, (int)si, p))
				continue;
			if (strstr(cl, "审减率"))
				rate(d, (int)si, p);
			else if (strstr(cl, "占") || strstr(cl, "比重"))
				share(d, heads, (int)si, p, cl);
			else if (strstr(cl, "执行率") ||
				 ((strstr(cl, "完成") || strstr(cl, "为") || strstr(cl, "达到")) &&
				  (strstr(cl, "预算") || strstr(cl, "计划"))) ||
				 (!strcmp(cl, "的") && p > se->tok0 && T(d, p - 1)->role == R_BUDGET))
				completion(d, (int)si, p, cl);
			else if (has_any(cl, grow, sizeof grow / sizeof *grow))
				growth(d, (int)si, p, cl);
		}
	}
}
