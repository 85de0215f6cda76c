/*
** claims.c — the arithmetic a report's sentences assert.
**
** Recognised, sentence by sentence:
**   balance sentences   "X，加A、B…后，收入总计T" / "扣除…后，与…T相等" /
**                       "减去…后，…可安排财力T" (base ± parts = total)
**   lists with a total  "A a，B b，…，收入合计T"
**   breakdowns          "T，其中A a，B b" / "T（A a、B b）" / "包括 / 分别为":
**                       a breakdown, never an addition; complete unless
**                       "主要 / 等" or the text is cut off (then Σ ≤ total)
**   signed changes      "增加T，其中A增加a，B减少b"
**   收支平衡            an expenditure list that must equal the income total
**   changes             "比上年决算数P减少C" (figure = P ± C)
** and paragraph by paragraph:
**   enumerations        "…包括：一是A a…二是B b…" / "1. … 2. …" / "——…"
**   running balances    "余额A，动用B，补充C…余额D" / "安排A，使用B，剩余C"
*/
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include "audit/internal.h"
#include "fisc/fact.h"

au_claim *au_claim_new(au_doc *d, int kind, const char *rule)
{
	au_claim *c = AU_PUSH_HEAP(d->claims);
	c->kind = kind;
	c->rule = rule;
	c->total = -1;
	c->sent = -1;
	c->block = -1;
	c->tsign = 1;
	c->dup = -1;
	c->pct = c->a = c->b = -1;
	return c;
}

void au_claim_part(au_doc *d, au_claim *c, int tok, int sign)
{
	if (c->nparts == c->capparts) {
		int nc = c->capparts ? c->capparts * 2 : 8;
		int *np = fisc_arena_alloc(d->w, nc * sizeof(int));
		int *ns = fisc_arena_alloc(d->w, nc * sizeof(int));
		if (!np || !ns) {
			au_oom = 1;
			return;
		}
		if (c->nparts) {
			memcpy(np, c->parts, c->nparts * sizeof(int));
			memcpy(ns, c->signs, c->nparts * sizeof(int));
		}
		c->parts = np;
		c->signs = ns;
		c->capparts = nc;
	}
	c->parts[c->nparts] = tok;
	c->signs[c->nparts] = sign;
	c->nparts++;
	if (tok >= 0) {
		d->toks.v[tok].used = 1;
		d->toks.v[tok].ispart = 1;
	}
}

int au_is_value(const au_doc *d, int k)
{
	const au_tok *t = &d->toks.v[k];
	return t->kind == TK_AMOUNT && t->role == R_PRINCIPAL;
}

/* ---- facts ---------------------------------------------------------------- */

int au_fact_ok(const au_tok *t)
{
	if (!(t->kind == TK_AMOUNT && t->item >= 0 && t->role == R_PRINCIPAL && t->ctx.year &&
	      t->ctx.book >= 0 && t->ctx.phase && !(t->flags & (TF_BOUND | TF_APPROX | TF_BARE)) &&
	      !t->unit_fixed))
		return 0;
	/* a figure is a fact of the report when a recognised claim uses it, or
	** when it names a balance carried from year to year (年末滚存结余), which
	** no sentence adds up but the years do */
	return t->used || t->pin || !strcmp(au_item_id(t->item), "ssf_balance") ||
	       !strcmp(au_item_id(t->item), "ssf_surplus");
}

static int cmp_fkey(const au_tok *a, int item, int year, int book, int scope)
{
	if (a->item != item)
		return a->item < item ? -1 : 1;
	if (a->ctx.year != year)
		return a->ctx.year < year ? -1 : 1;
	if (a->ctx.book != book)
		return a->ctx.book < book ? -1 : 1;
	if (a->ctx.scope != scope)
		return a->ctx.scope < scope ? -1 : 1;
	return 0;
}

/* Sort keys copied out of the tokens, so that sorting reads them in a row. */
typedef struct fkey {
	int item, year, book, scope;
	size_t beg;
	int tok;
} fkey;

static int cmp_fkeys(const void *x, const void *y)
{
	const fkey *a = x, *b = y;
#define CMPK(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
	CMPK(item);
	CMPK(year);
	CMPK(book);
	CMPK(scope);
	CMPK(beg);
#undef CMPK
	return 0;
}

/* Labels are indexed by a hash of their text (FNV-1a), then text order: a
** label's figures are among those of its hash, in text order, and sorting
** needs no string compares. */
typedef struct lkey {
	uint64_t hash;
	size_t beg;
	int tok;
} lkey;

static uint64_t label_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static int cmp_lkeys(const void *x, const void *y)
{
	const lkey *a = x, *b = y;
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return (a->beg > b->beg) - (a->beg < b->beg);
}

static int label_ok(const au_tok *t)
{
	return t->kind == TK_AMOUNT && t->role == R_PRINCIPAL && t->key && *t->key &&
	       !(t->flags & (TF_BOUND | TF_APPROX));
}

/* Once: every figure that may become a fact (an amount naming an item),
** sorted by key and text position, and every figure with a label, by label.
** A token's kind, role, flags, label, item and context are final once the
** tables have been read; what changes later (used, unit_fixed) only decides
** which of them are facts, so the fact index is a filter of the first list. */
static void sort_once(au_doc *d)
{
	size_t n = d->toks.n, nf = 0, nl = 0;
	fkey *fk = malloc((n + 1) * sizeof *fk);
	lkey *lk = malloc((n + 1) * sizeof *lk);
	d->fsorted = fisc_arena_alloc(d->w, (n + 1) * sizeof(int));
	d->lidx = fisc_arena_alloc(d->w, (n + 1) * sizeof(int));
	d->lhash = fisc_arena_alloc(d->w, (n + 1) * sizeof(uint64_t));
	if (!fk || !lk || !d->fsorted || !d->lidx || !d->lhash) {
		free(fk);
		free(lk);
		au_oom = 1;
		d->fsorted = d->lidx = NULL;
		return;
	}
	for (size_t k = 0; k < n; k++) {
		au_tok *t = &d->toks.v[k];
		if (t->kind == TK_AMOUNT && t->item >= 0)
			fk[nf++] = (fkey){t->item, t->ctx.year, t->ctx.book, t->ctx.scope, t->beg, (int)k};
		if (label_ok(t))
			lk[nl++] = (lkey){label_hash(t->key), t->beg, (int)k};
	}
	qsort(fk, nf, sizeof *fk, cmp_fkeys);
	qsort(lk, nl, sizeof *lk, cmp_lkeys);
	for (size_t i = 0; i < nf; i++)
		d->fsorted[i] = fk[i].tok;
	for (size_t i = 0; i < nl; i++) {
		d->lidx[i] = lk[i].tok;
		d->lhash[i] = lk[i].hash;
	}
	d->nfsorted = nf;
	d->nlidx = nl;
	free(fk);
	free(lk);
}

void au_fact_index(au_doc *d)
{
	if (!d->fsorted)
		sort_once(d);
	d->fidx = fisc_arena_alloc(d->w, (d->nfsorted + 1) * sizeof(int));
	d->nfidx = 0;
	if (!d->fidx || !d->fsorted) {
		au_oom = 1;
		return;
	}
	for (size_t i = 0; i < d->nfsorted; i++)
		if (au_fact_ok(&d->toks.v[d->fsorted[i]]))
			d->fidx[d->nfidx++] = d->fsorted[i];
}

int au_fact_find(au_doc *d, const au_ctx *c, unsigned phases, int item, int except)
{
	size_t lo = 0, hi = d->nfidx;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cmp_fkey(&d->toks.v[d->fidx[mid]], item, c->year, c->book, c->scope) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* the earliest statement in the text (the index is in text order) */
	for (; lo < d->nfidx; lo++) {
		int k = d->fidx[lo];
		au_tok *t = &d->toks.v[k];
		if (cmp_fkey(t, item, c->year, c->book, c->scope))
			break;
		if (k != except && au_fact_ok(t) && t->ctx.qual == c->qual && (phases & (1u << t->ctx.phase)))
			return k;
	}
	return -1;
}

int au_fact_by_label(au_doc *d, const char *label, int year, int except)
{
	uint64_t h = label_hash(label);
	size_t lo = 0, hi = d->nlidx;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->lhash[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* the figures of this label, in text order (another label with the
	** same hash is passed over) */
	int found = -1;
	for (; lo < d->nlidx && d->lhash[lo] == h; lo++) {
		int k = d->lidx[lo];
		au_tok *t = &d->toks.v[k];
		if (strcmp(t->key, label))
			continue;
		if (k == except || (year && t->ctx.year && t->ctx.year != year))
			continue;
		if (found >= 0 && d->toks.v[found].eff.fen != t->eff.fen)
			return -1; /* two different figures: ambiguous */
		if (found < 0)
			found = k;
	}
	return found;
}

/* ---- one sentence ----------------------------------------------------------- */

typedef struct sctx {
	au_doc *d;
	au_sent *se;
	int si;
	int *v;       /* depth-0 amount tokens of the sentence; v[-1] is free
		      ** for splice_head */
	int nv;
} sctx;

static au_tok *T(au_doc *d, int k) { return &d->toks.v[k]; }

static int raw_has(au_doc *d, int k, const char *w) { return T(d, k)->raw && strstr(T(d, k)->raw, w); }

static int is_breakdown_conn(int cn)
{
	return cn == CN_OF || cn == CN_INCL || cn == CN_MAINLY || cn == CN_EACH;
}

/* A stock accumulated over the years (累计结余, 滚存结余, 历年结转 …), not a
** flow of the year. */
static int cumulative_label(const char *l)
{
	return l && (strstr(l, "累计") || strstr(l, "滚存") || strstr(l, "历年") || strstr(l, "结存"));
}

/* Bracketed breakdowns: "401746万元（区金库300276万元、两江水复片区101470万元）",
** "109.74亿元(其中，税收返还7.61亿元、…)", "3658.95万元（含项目支出2827.22万元）". */
static void bracket_breakdowns(sctx *x)
{
	au_doc *d = x->d;
	au_sent *se = x->se;
	int end = se->tok0 + se->ntok;
	for (int k = se->tok0; k < end; k++) {
		au_tok *h = T(d, k);
		if (h->kind != TK_AMOUNT || (h->role != R_PRINCIPAL && h->role != R_CHANGE))
			continue;
		/* the bracket must open right after the figure */
		size_t p = h->end;
		if (p >= se->end || d->s[p] != '(')
			continue;
		int first = -1, last = -1, n = 0, other = 0;
		for (int j = k + 1; j < end && T(d, j)->beg > p; j++) {
			au_tok *t = T(d, j);
			if (t->depth <= h->depth)
				break;
			if (t->depth > h->depth + 1)
				continue;
			if (t->kind == TK_AMOUNT && t->role == R_PRINCIPAL) {
				if (first < 0)
					first = j;
				last = j;
				n++;
			} else if (t->kind == TK_AMOUNT) {
				other = 1;
			}
		}
		if (!n || other)
			continue;
		int cn = T(d, first)->conn;
		/* "上年结余收入200万元（累计结余1000万元）": a balance carried over the
		** years, said beside the year's figure, is no part of it */
		if (cn == CN_NONE && n == 1 && cumulative_label(T(d, first)->glabel))
			continue;
		au_claim *c = au_claim_new(d, CK_SUM, "audit.sum");
		c->total = k;
		c->sent = x->si;
		c->tsign = 1;
		c->rel = (n >= 2 && (cn == CN_OF || cn == CN_NONE || cn == CN_CONTAIN ||
				     cn == CN_INCL || cn == CN_EACH))
				 ? REL_EQ
				 : REL_LE;
		if (cn == CN_MAINLY || (T(d, last)->flags & TF_ETC))
			c->rel = REL_LE;
		if (c->rel == REL_LE)
			c->kind = CK_PARTIAL, c->rule = "audit.partial";
		/* an unmarked bracket may give a difference instead of parts:
		** "上级补助收入172,495万元（省补助全州1,097,437万元，州对下补助924,942万元）" */
		c->bracket_diff = cn == CN_NONE && n == 2;
		size_t ci = d->claims.n - 1; /* pushes below may move the array */
		for (int j = first; j <= last; j++) {
			au_tok *t = T(d, j);
			if (t->depth == h->depth + 1 && t->kind == TK_AMOUNT && t->role == R_PRINCIPAL)
				au_claim_part(d, &d->claims.v[ci], j, 1);
		}
		h->used = 1;
		h->brhead = 1; /* still a figure of its own list */
	}
}

/* The next depth-0 figure after index i of x->v, or -1. */
static int nextv(sctx *x, int i) { return i + 1 < x->nv ? x->v[i + 1] : -1; }

/* Balance sentences: base, then 加 … 扣除 … 后, then the total. */
static void additions(sctx *x)
{
	au_doc *d = x->d;
	int k0 = -1;
	for (int i = 0; i < x->nv; i++) {
		au_tok *t = T(d, x->v[i]);
		if ((t->used && !t->brhead) || !au_is_value(d, x->v[i]))
			continue;
		if (t->conn == CN_ADD || (t->conn == CN_SUB && i > 0)) {
			k0 = i;
			break;
		}
	}
	if (k0 < 0)
		return;
	/* the base: what comes before the first 加 / 扣除 ("收入为0，上级补助
	** 0.0039亿元，上年结余0.0098亿元，扣除…"), all of it added; then the
	** additions and deductions up to the total ("…后，收入总计T", "…相等") */
	int *parts = fisc_arena_alloc(d->w, sizeof(int) * (size_t)x->nv);
	int *signs = fisc_arena_alloc(d->w, sizeof(int) * (size_t)x->nv);
	if (!parts || !signs) {
		au_oom = 1;
		return;
	}
	int np = 0;
	for (int i = 0; i < k0; i++)
		if (au_is_value(d, x->v[i]) && (!T(d, x->v[i])->used || T(d, x->v[i])->brhead)) {
			parts[np] = x->v[i];
			signs[np++] = 1;
		}
	int nbase = np;
	int sign = 1, total = -1, partial = 0;
	for (int i = k0; i < x->nv; i++) {
		int k = x->v[i];
		au_tok *t = T(d, k);
		if (!au_is_value(d, k))
			continue;
		if (i > k0 && (t->total_kw || (t->flags & TF_EQUAL) || (T(d, x->v[i - 1])->flags & TF_AFTER))) {
			total = k;
			break;
		}
		if (t->conn == CN_ADD)
			sign = 1;
		else if (t->conn == CN_SUB)
			sign = -1;
		parts[np] = k;
		signs[np++] = sign;
		partial |= (t->flags & TF_ETC) != 0;
	}
	if (total < 0 && x->si + 1 < (int)d->sents.n && d->sents.v[x->si + 1].block == x->se->block &&
	    x->se->term) {
		/* "…调入资金90.73亿元。合计一般公共预算收入总量为442.15亿元。": the
		** total opens the next sentence */
		au_sent *nx = &d->sents.v[x->si + 1];
		for (int k = nx->tok0; k < nx->tok0 + nx->ntok; k++) {
			au_tok *t = T(d, k);
			if (t->kind != TK_AMOUNT)
				continue;
			if (t->depth == 0 && t->role == R_PRINCIPAL && t->total_kw && t->raw &&
			    (au_startswith(t->raw, "合计") || au_startswith(t->raw, "总计") ||
			     au_startswith(t->raw, "共计")) && !t->used)
				total = k;
			break;
		}
	}
	if (total < 0)
		return; /* no total: not a balance sentence after all */
	au_claim *c = au_claim_new(d, partial ? CK_PARTIAL : CK_BALANCE,
				   partial ? "audit.partial" : "audit.balance");
	c->sent = x->si;
	c->rel = partial ? REL_LE : REL_EQ;
	c->base_missing = nbase == 0 ? BM_ADD : BM_NONE;
	for (int i = 0; i < np; i++)
		au_claim_part(d, c, parts[i], signs[i]);
	c->total = total;
	T(d, total)->used = 1;
	/* "与一般公共预算支出 X 相等": income + additions − uses = expenditure.
	** A use (结转下年, 调出, 上解 …) written among the additions still
	** subtracts; say so. */
	au_tok *tt = T(d, total);
	if ((tt->flags & TF_EQUAL) && au_label_side(tt->label, tt->item) == SIDE_OUT) {
		for (int j = 1; j < c->nparts; j++) {
			au_tok *p = T(d, c->parts[j]);
			if (c->signs[j] > 0 && au_label_side(p->label, p->item) == SIDE_OUT &&
			    p->item >= 0 && strcmp(au_item_id(p->item), "own_exp")) {
				c->signs[j] = -1;
				c->warn_sign = c->parts[j];
			}
		}
	}
	if (c->base_missing) {
		/* "区金库一般公共预算收入加…": find the figure elsewhere */
		au_tok *first = T(d, c->parts[0]);
		c->base_missing = first->baselabel ? BM_LABEL : BM_ADD;
	}
}

/* The 类 of the functional classification (支出功能分类) by name. */
static int is_function_class(const char *label)
{
	static const char *const cls[] = {
		"一般公共服务", "外交", "国防", "公共安全", "教育", "科学技术", "文化旅游体育与传媒",
		"社会保障和就业", "卫生健康", "节能环保", "城乡社区", "农林水", "交通运输",
		"资源勘探工业信息", "商业服务业", "金融", "援助其他地区", "自然资源海洋气象",
		"住房保障", "粮油物资储备", "灾害防治及应急管理", "预备费", "其他支出", "债务付息",
		"债务发行费用"};
	if (!label)
		return 0;
	for (size_t k = 0; k < sizeof cls / sizeof *cls; k++)
		if (au_startswith(label, cls[k]))
			return 1;
	return 0;
}

/* A source of a book beyond its own revenue (上级补助, 调入, 转贷, 上年结转 …). */
static int is_transfer_in(int item)
{
	static const char *const ids[] = {"upper_subsidy", "11001", "11002", "11003", "stab_draw",
					  "transfer_in", "debt_onlend_in", "carry_in", "lower_remit",
					  "transfer_in_total"};
	const char *id = au_item_id(item);
	for (size_t k = 0; k < sizeof ids / sizeof *ids; k++)
		if (!strcmp(id, ids[k]))
			return 1;
	return 0;
}

/* Does the figure at index i open a breakdown ("T，其中…")? */
static int opens_breakdown(sctx *x, int i)
{
	au_doc *d = x->d;
	int n = nextv(x, i);
	return n >= 0 && is_breakdown_conn(T(d, n)->conn) && !raw_has(d, n, "。");
}

/* "T，其中A a，B b；C c，主要是…" and the same after "其中" opening a sentence. */
static void breakdown_from(sctx *x, int hi, int head)
{
	au_doc *d = x->d;
	au_tok *h = T(d, head);
	int role = h->role == R_CHANGE ? R_CHANGE : R_PRINCIPAL;
	int first = hi + 1;
	int cn = T(d, x->v[first])->conn;
	au_claim *c = au_claim_new(d, CK_SUM, "audit.sum");
	size_t ci = d->claims.n - 1; /* pushes below may move the array */
	c->total = head;
	c->sent = x->si;
	c->tsign = role == R_CHANGE ? h->sign : 1;
	h->ishead = 1;
	int partial = cn == CN_MAINLY;
	int last_sign = 0; /* sign of the last change taken as a part */
	for (int i = first; i < x->nv; i++) {
		int k = x->v[i];
		au_tok *t = T(d, k);
		/* "调增上级补助收入83620万元、债务转贷收入19000万元": the verb of the
		** first item runs over the items joined to it by "、" */
		int inherits = role == R_CHANGE && t->kind == TK_AMOUNT && t->role == R_PRINCIPAL &&
			       last_sign && t->raw && !strstr(t->raw, "，") && !strstr(t->raw, ",") &&
			       !strstr(t->raw, "；") && !strstr(t->raw, ";") && !strstr(t->raw, "。");
		if (inherits) {
			t->role = R_CHANGE;
			t->sign = last_sign;
		}
		if (t->kind != TK_AMOUNT || t->role != role)
			continue;
		last_sign = role == R_CHANGE ? t->sign : 0;
		if (i > first) {
			/* a new statement with its own breakdown or total ends the list */
			const char *id = au_item_id(t->item);
			int balance_total = !strcmp(id, "income_total") || !strcmp(id, "expense_total");
			/* "一般公共预算收入…，其中：税收…；非税…上级补助405490万元，其中：":
			** a transfer received that opens its own breakdown, or that
			** follows the list with no separator (a full stop forgotten), is
			** a new statement; "收入X，其中：…，上级补助收入Y" may well be
			** a part (many reports name the book's total by its revenue) */
			if (!strcmp(au_item_id(h->item), "own_rev") && is_transfer_in(t->item) &&
			    (opens_breakdown(x, i) ||
			     !(raw_has(d, k, "，") || raw_has(d, k, ",") || raw_has(d, k, "；") ||
			       raw_has(d, k, ";") || raw_has(d, k, "、"))))
				break;
			if ((opens_breakdown(x, i) && T(d, x->v[i + 1])->conn != CN_MAINLY &&
			     (raw_has(d, k, "；") || raw_has(d, k, ";") || t->total_kw)) ||
			    (t->total_kw && balance_total && (raw_has(d, k, "，") || raw_has(d, k, "；"))))
				break;
		}
		au_claim_part(d, &d->claims.v[ci], k, role == R_CHANGE ? t->sign : 1);
		if (t->flags & (TF_ETC | TF_BOUND))
			partial = 1;
		/* a "主要是" list under this part: a partial breakdown of its own,
		** running to the next "；" */
		if (opens_breakdown(x, i) && T(d, x->v[i + 1])->conn == CN_MAINLY) {
			au_claim *sub = au_claim_new(d, CK_PARTIAL, "audit.partial");
			size_t si = d->claims.n - 1;
			sub->total = k;
			sub->sent = x->si;
			sub->rel = REL_LE;
			t->ishead = 1;
			int j = i + 1;
			for (; j < x->nv; j++) {
				int q = x->v[j];
				if (j > i + 1 && (raw_has(d, q, "；") || raw_has(d, q, ";")))
					break;
				if (au_is_value(d, q))
					au_claim_part(d, &d->claims.v[si], q, 1);
			}
			i = j - 1;
		}
	}
	c = &d->claims.v[ci];
	if (!c->nparts) {
		c->kind = 0; /* nothing after all */
		return;
	}
	/* a list that runs to the end of a paragraph cut off mid-sentence may go on */
	int cut_off = 0;
	if (!x->se->term && (x->si + 1 == (int)d->sents.n ||
			     d->sents.v[x->si + 1].block != x->se->block))
		cut_off = 1;
	if (partial || cut_off || c->nparts < 2) {
		c->kind = CK_PARTIAL;
		c->rule = "audit.partial";
		c->rel = REL_LE;
	} else {
		c->rel = REL_EQ;
		/* "支出X，其中教育支出a、卫生健康支出b": a few functional classes
		** under an expenditure are often its main items, not all of them */
		int classes = 0;
		for (int i = 0; i < c->nparts; i++)
			classes += is_function_class(T(d, c->parts[i])->label);
		c->soft = !h->total_kw && classes * 2 >= c->nparts;
	}
	h->used = 1;
}

/* "全县政府债务余额500万元，一般债务余额和专项债务余额分别为300万元、
** 200万元": the names before 分别为 / 依次为 split the figure just before
** them, one figure a name. Read as a breakdown only when the names speak of
** that figure (they share its last word: 余额, 限额 …) and there are as many
** figures as names; the names may be its main items only, so falling short of
** it is a warning and only going beyond it an error. */
static void respectively(sctx *x)
{
	au_doc *d = x->d;
	for (int i = 1; i < x->nv; i++) {
		au_tok *f = T(d, x->v[i]), *h = T(d, x->v[i - 1]);
		if (!f->raw || f->used || h->used || h->ishead || !au_is_value(d, x->v[i]) ||
		    !au_is_value(d, x->v[i - 1]) || !h->key || strlen(h->key) < 6)
			continue;
		const char *w = strstr(f->raw, "分别为");
		if (!w)
			w = strstr(f->raw, "分别是");
		if (!w)
			w = strstr(f->raw, "依次为");
		if (!w || w[9] != 0)
			continue;
		/* the names: the clause between the head and 分别为 */
		const char *subj = f->raw;
		const char *q;
		while ((q = strstr(subj, "，")) != NULL && q < w)
			subj = q + 3;
		if (subj == f->raw) /* no clause of their own: "，" must part them from the head */
			continue;
		char *names = fisc_arena_strndup(d->w, subj, (size_t)(w - subj));
		if (!names) {
			au_oom = 1;
			return;
		}
		const char *noun = h->key + strlen(h->key) - 6; /* its last word */
		int nn = 1;
		for (const char *p = names; *p;) {
			if (!strncmp(p, "和", 3) || !strncmp(p, "、", 3) || !strncmp(p, "及", 3)) {
				nn++;
				p += 3;
			} else {
				p++;
			}
		}
		if (nn < 2 || !strstr(names, noun))
			continue;
		/* one figure a name, joined by "、" */
		int n = 1;
		while (i + n < x->nv && n < nn) {
			au_tok *t = T(d, x->v[i + n]);
			if (!au_is_value(d, x->v[i + n]) || t->used || !t->raw || strcmp(t->raw, "、"))
				break;
			n++;
		}
		if (n != nn)
			continue;
		au_claim *c = au_claim_new(d, CK_SUM, "audit.sum");
		size_t ci = d->claims.n - 1;
		c->total = x->v[i - 1];
		c->sent = x->si;
		c->rel = REL_EQ;
		c->soft = 1;
		for (int j = 0; j < n; j++)
			au_claim_part(d, &d->claims.v[ci], x->v[i + j], 1);
		h = T(d, x->v[i - 1]);
		h->used = 1;
		h->ishead = 1;
		i += n - 1;
	}
}

static void breakdowns(sctx *x)
{
	au_doc *d = x->d;
	for (int i = 0; i + 1 < x->nv; i++) {
		int k = x->v[i];
		au_tok *t = T(d, k);
		if (t->kind != TK_AMOUNT || (t->role != R_PRINCIPAL && t->role != R_CHANGE))
			continue;
		if (!opens_breakdown(x, i) || t->ishead)
			continue;
		/* the parts must come before any other figure of the head's kind */
		breakdown_from(x, i, k);
	}
}

/* x's figures with `head` spliced in front (the figure a breakdown belongs
** to, found before this sentence), in the slot kept free before x->v. */
static void splice_head(const sctx *x, int head, sctx *y)
{
	*y = *x;
	y->v = x->v - 1;
	y->v[0] = head;
	y->nv = x->nv + 1;
}

/* "其中…" opening a sentence: the head is the last figure before it. */
static void leading_breakdown(sctx *x)
{
	au_doc *d = x->d;
	if (!x->nv)
		return;
	au_tok *f = T(d, x->v[0]);
	if (f->used || f->ishead)
		return;
	int head = -1;
	const char *u = f->raw ? strstr(f->raw, "用于") : NULL;
	/* "按经济科目分类：A a、B b。按功能科目分类：C c。": each classification
	** splits the figure the sentences before them are about, completely */
	if (f->raw && au_startswith(f->raw, "按") && strstr(f->raw, "分类")) {
		for (int si = x->si - 1; si >= 0 && head < 0; si--) {
			au_sent *ps = &d->sents.v[si];
			if (ps->block != x->se->block)
				break;
			int first = -1;
			for (int k = ps->tok0; k < ps->tok0 + ps->ntok; k++)
				if (T(d, k)->kind == TK_AMOUNT) {
					first = k;
					break;
				}
			if (first < 0)
				continue;
			if (T(d, first)->raw && au_startswith(T(d, first)->raw, "按") &&
			    strstr(T(d, first)->raw, "分类"))
				continue; /* another classification of the same figure */
			for (int k = ps->tok0 + ps->ntok - 1; k >= ps->tok0 && head < 0; k--)
				if (au_is_value(d, k) && T(d, k)->depth == 0)
					head = k;
			break;
		}
		if (head < 0)
			return;
		sctx y;
		splice_head(x, head, &y);
		size_t before = d->claims.n;
		breakdown_from(&y, 0, head);
		/* a classification is complete even with one class */
		for (size_t q = before; q < d->claims.n; q++)
			if (d->claims.v[q].total == head && d->claims.v[q].kind == CK_PARTIAL &&
			    d->claims.v[q].nparts >= 1 && x->se->term) {
				d->claims.v[q].kind = CK_SUM;
				d->claims.v[q].rule = "audit.sum";
				d->claims.v[q].rel = REL_EQ;
			}
		return;
	}
	if (!is_breakdown_conn(f->conn)) {
		/* "政府性基金支出用于A a、B b…": the subject's figure was given before */
		if (!u || u == f->raw || x->nv < 2 || strstr(f->raw, "，") || strstr(f->raw, "。"))
			return;
		const char *key = au_label_clean(d, fisc_arena_strndup(d->w, f->raw, (size_t)(u - f->raw)), 1);
		if (!*key || (head = au_fact_by_label(d, key, f->ctx.year, -1)) < 0)
			return;
		sctx y;
		splice_head(x, head, &y);
		breakdown_from(&y, 0, head);
		return;
	}
	/* the head: last depth-0 figure of the previous sentence of this
	** paragraph, or of the previous paragraph */
	for (int si = x->si - 1; si >= 0 && si >= x->si - 1; si--) {
		au_sent *ps = &d->sents.v[si];
		au_block *pb = &d->blocks.v[ps->block];
		if (ps->block != x->se->block && (pb->kind != BK_TEXT || ps->block + 1 != x->se->block))
			break;
		for (int k = ps->tok0 + ps->ntok - 1; k >= ps->tok0; k--) {
			au_tok *t = T(d, k);
			if (t->kind == TK_AMOUNT && t->depth == 0 && t->role == R_PRINCIPAL) {
				head = k;
				break;
			}
		}
		break;
	}
	if (head < 0)
		return;
	/* splice the head in front of this sentence's figures */
	sctx y;
	splice_head(x, head, &y);
	breakdown_from(&y, 0, head);
}

/* "A a，B b，…，收入合计T": the figures before a total add up to it. */
static void lists(sctx *x)
{
	au_doc *d = x->d;
	int *run = fisc_arena_alloc(d->w, sizeof(int) * (size_t)(x->nv ? x->nv : 1)), n = 0;
	int income_total = -1;
	if (!run) {
		au_oom = 1;
		return;
	}
	for (int i = 0; i < x->nv; i++) {
		int k = x->v[i];
		au_tok *t = T(d, k);
		if (!au_is_value(d, k))
			continue;
		if (raw_has(d, k, "；") || raw_has(d, k, ";"))
			n = 0;
		if (t->used && !(t->brhead && !t->ishead && !t->ispart)) {
			n = 0;
			if (t->total_kw && au_label_side(t->label, t->item) == SIDE_IN)
				income_total = k;
			continue;
		}
		if (t->total_kw && n >= 2 && !opens_breakdown(x, i)) {
			au_claim *c = au_claim_new(d, CK_SUM, "audit.sum");
			c->total = k;
			c->sent = x->si;
			c->rel = REL_EQ;
			for (int j = 0; j < n; j++) {
				au_claim_part(d, c, run[j], 1);
				if (T(d, run[j])->flags & TF_ETC)
					c->rel = REL_LE;
			}
			if (c->rel == REL_LE)
				c->kind = CK_PARTIAL, c->rule = "audit.partial";
			/* "上级补助收入a，…，收入总计T" with no revenue of its own: the
			** base was given in an earlier sentence */
			const char *tid = au_item_id(t->item);
			int own = 0, transfer = 0;
			for (int j = 0; j < n; j++) {
				const char *pid = au_item_id(T(d, run[j])->item);
				own |= !strcmp(pid, "own_rev") || !strcmp(pid, "own_exp") ||
				       !strcmp(pid, "tax") || !strcmp(pid, "nontax");
				transfer |= *pid && strcmp(pid, "own_rev") && strcmp(pid, "own_exp");
			}
			if ((!strcmp(tid, "income_total") || !strcmp(tid, "expense_total")) && !own && transfer) {
				c->kind = CK_BALANCE;
				c->rule = "audit.balance";
				c->base_missing = BM_LIST;
			}
			t->used = 1;
			if (au_label_side(t->label, t->item) == SIDE_IN)
				income_total = k;
			n = 0;
			continue;
		}
		run[n++] = k;
	}
	/* "…总收入T；支出a，上解b，…，实现了收支平衡": the uses add up to T */
	if (income_total >= 0 && n >= 2 &&
	    (au_has(d->s, x->se->beg, x->se->end, "收支平衡") ||
	     au_has(d->s, x->se->beg, x->se->end, "实现平衡") ||
	     au_has(d->s, x->se->beg, x->se->end, "收支相抵")) &&
	    T(d, run[0])->beg > T(d, income_total)->beg) {
		au_claim *c = au_claim_new(d, CK_BALANCE, "audit.balance");
		c->total = income_total;
		c->sent = x->si;
		c->rel = REL_EQ;
		for (int j = 0; j < n; j++)
			au_claim_part(d, c, run[j], 1);
	}
	/* "总收入T1…；总支出T2…，实现收支平衡": the two totals are equal — unless
	** the sentence says they are not ("不相等", "未实现收支平衡") */
	if (au_has(d->s, x->se->beg, x->se->end, "平衡") &&
	    !au_has(d->s, x->se->beg, x->se->end, "未实现") &&
	    !au_has(d->s, x->se->beg, x->se->end, "不平衡") &&
	    !au_has(d->s, x->se->beg, x->se->end, "未平衡") &&
	    !au_has(d->s, x->se->beg, x->se->end, "不相等")) {
		int ti = -1, to = -1;
		for (int i = 0; i < x->nv; i++) {
			au_tok *t = T(d, x->v[i]);
			if (!t->total_kw || !au_is_value(d, x->v[i]))
				continue;
			int side = au_label_side(t->label, t->item);
			if (side == SIDE_IN && ti < 0)
				ti = x->v[i];
			if (side == SIDE_OUT && to < 0)
				to = x->v[i];
		}
		if (ti >= 0 && to > ti) {
			au_claim *c = au_claim_new(d, CK_SUM, "audit.balance");
			c->kind = CK_BALANCE;
			c->total = to;
			c->sent = x->si;
			c->rel = REL_EQ;
			au_claim_part(d, c, ti, 1);
			T(d, to)->used = 1;
		}
	}
}

/* "比上年决算数753万元减少325万元": the figure is the prior one ± the change. */
/* The words between an old and a new figure: "调整为", "变更为", "增加到". */
static int is_reset(const char *g)
{
	static const char *const w[] = {"调整为", "调整到", "调为", "变更为", "增加到", "减少到",
					"增至", "减至", "调增至", "调减至"};
	for (size_t k = 0; k < sizeof w / sizeof *w; k++)
		if (strstr(g, w[k]))
			return 1;
	return 0;
}

static void changes(sctx *x)
{
	au_doc *d = x->d;
	au_sent *se = x->se;
	int end = se->tok0 + se->ntok;
	for (int k = se->tok0; k < end; k++) {
		au_tok *c = T(d, k);
		if (c->kind != TK_AMOUNT || c->role != R_CHANGE || c->depth)
			continue;
		int prior = -1, subj = -1;
		for (int j = k - 1; j >= se->tok0; j--) {
			au_tok *t = T(d, j);
			if (t->kind != TK_AMOUNT || t->depth)
				continue;
			if (t->role == R_CHANGE)
				break;
			if (t->role == R_PRIOR && prior < 0) {
				prior = j;
				continue;
			}
			if (t->role == R_PRINCIPAL) {
				if (prior >= 0) {
					subj = j;
				} else if (t->glabel && is_reset(t->glabel)) {
					/* "由51.9亿元调整为111.65亿元，调增59.75亿元": the old
					** figure comes first */
					for (int q = j - 1; q >= se->tok0; q--) {
						au_tok *o = T(d, q);
						if (o->kind != TK_AMOUNT || o->depth)
							continue;
						if (o->role == R_PRIOR) {
							prior = q;
							subj = j;
						}
						break;
					}
				}
				break;
			}
		}
		if (prior < 0 || subj < 0)
			continue;
		au_claim *cl = au_claim_new(d, CK_DIFF, "audit.change");
		cl->total = k;
		cl->tsign = c->sign;
		cl->sent = x->si;
		cl->rel = REL_EQ;
		au_claim_part(d, cl, subj, 1);
		au_claim_part(d, cl, prior, -1);
	}
}


/* "公务接待费2016年预算8万元，2015年预算12.5万元；对比减少4.35万元": two
** figures of one item, each labelled with its year, the earlier year after
** the later: the second is what the first is compared with. */
static void year_priors(au_doc *d, au_sent *se)
{
	int prev = -1;
	for (int k = se->tok0; k < se->tok0 + se->ntok; k++) {
		au_tok *t = T(d, k);
		if (t->kind != TK_AMOUNT || t->depth)
			continue;
		if (t->role != R_PRINCIPAL) {
			prev = -1;
			continue;
		}
		if (prev >= 0) {
			au_tok *a = T(d, prev);
			/* the same words but for the year: one item, two years */
			int ya = au_label_year(a->glabel), yb = au_label_year(t->glabel);
			if (ya && yb && yb < ya && a->label && t->label && *t->label &&
			    au_endswith(a->label, t->label) && (!t->raw || !strstr(t->raw, "。"))) {
				t->role = R_PRIOR;
				t->flags |= TF_YEARPRIOR;
				prev = -1;
				continue;
			}
		}
		prev = k;
	}
}

static void sentence(au_doc *d, int si)
{
	sctx x;
	x.nv = 0;
	x.d = d;
	x.si = si;
	x.se = &d->sents.v[si];
	/* as many figures as the sentence has, and one slot for splice_head:
	** the working arena grows with the text, not with its square */
	int *buf = fisc_arena_alloc(d->w, sizeof(int) * ((size_t)x.se->ntok + 1));
	if (!buf) {
		au_oom = 1;
		return;
	}
	x.v = buf + 1;
	year_priors(d, x.se);
	for (int k = x.se->tok0; k < x.se->tok0 + x.se->ntok; k++)
		if (T(d, k)->kind == TK_AMOUNT && T(d, k)->depth == 0)
			x.v[x.nv++] = k;
	bracket_breakdowns(&x);
	additions(&x);
	leading_breakdown(&x);
	breakdowns(&x);
	respectively(&x);
	lists(&x);
	changes(&x);
}

/* ---- paragraphs: running balances ---------------------------------------- */

static int flow_sign(const char *label)
{
	static const char *const minus[] = {"动用", "使用", "偿还", "调出"};
	static const char *const plus[] = {"补充", "调入", "收回"};
	for (size_t k = 0; k < sizeof minus / sizeof *minus; k++)
		if (strstr(label, minus[k]))
			return -1;
	for (size_t k = 0; k < sizeof plus / sizeof *plus; k++)
		if (strstr(label, plus[k]))
			return 1;
	if (au_endswith(label, "支出"))
		return -1;
	return 0;
}

static int is_closing(const char *label)
{
	if (strstr(label, "年终") || strstr(label, "滚存") || strstr(label, "上年") ||
	    strstr(label, "结转") || strstr(label, "债"))
		return 0;
	return au_endswith(label, "剩余") || au_endswith(label, "结余") || au_endswith(label, "余额");
}

static void running_balances(au_doc *d, int b)
{
	au_block *bl = &d->blocks.v[b];
	size_t cap = 1;
	for (int si = bl->sent0; si < bl->sent0 + bl->nsent; si++)
		cap += (size_t)d->sents.v[si].ntok;
	int *v = fisc_arena_alloc(d->w, sizeof(int) * cap), n = 0;
	if (!v) {
		au_oom = 1;
		return;
	}
	for (int si = bl->sent0; si < bl->sent0 + bl->nsent; si++) {
		au_sent *se = &d->sents.v[si];
		for (int k = se->tok0; k < se->tok0 + se->ntok; k++)
			if (au_is_value(d, k) && T(d, k)->depth == 0)
				v[n++] = k;
	}
	for (int i = 2; i < n; i++) {
		au_tok *c = T(d, v[i]);
		if (c->used || !is_closing(c->label))
			continue;
		int j = i - 1;
		while (j >= 0 && !T(d, v[j])->used && flow_sign(T(d, v[j])->label) &&
		       !is_closing(T(d, v[j])->label))
			j--;
		/* v[j] opens the run; at least one flow between it and the closing */
		if (j < 0 || j == i - 1 || T(d, v[j])->used)
			continue;
		au_tok *o = T(d, v[j]);
		if (flow_sign(o->label) && !strstr(o->label, "余额") && !strstr(o->label, "安排") &&
		    !au_endswith(o->label, "收入"))
			continue;
		au_claim *cl = au_claim_new(d, CK_DIFF, "audit.difference");
		cl->total = v[i];
		cl->sent = c->sent;
		cl->rel = REL_EQ;
		au_claim_part(d, cl, v[j], 1);
		for (int q = j + 1; q < i; q++)
			au_claim_part(d, cl, v[q], flow_sign(T(d, v[q])->label));
		c->used = 1;
	}
}

/* ---- enumerations ------------------------------------------------------- */

/* The first figure of an item, if it sits in the item's first clause. */
static int item_figure(au_doc *d, size_t beg, size_t end)
{
	size_t ce = end;
	for (size_t i = beg; i < end; i++)
		if (!memcmp(d->s + i, "，", 3) || !memcmp(d->s + i, "。", 3) ||
		    !memcmp(d->s + i, "；", 3) || d->s[i] == ';') {
			ce = i;
			break;
		}
	for (size_t k = au_tok_at(d, beg); k < d->nlex; k++) {
		au_tok *t = T(d, (int)k);
		if (t->beg >= ce)
			break;
		if (t->kind == TK_AMOUNT && t->depth == 0)
			return t->role == R_PRINCIPAL ? (int)k : -1;
	}
	return -1;
}

/* The last depth-0 figure in [beg, end). */
static int last_figure(au_doc *d, size_t beg, size_t end)
{
	int r = -1;
	for (size_t k = au_tok_at(d, beg); k < d->nlex; k++) {
		au_tok *t = T(d, (int)k);
		if (t->beg >= end)
			break;
		if (t->kind == TK_AMOUNT && t->depth == 0 && t->role == R_PRINCIPAL)
			r = (int)k;
	}
	return r;
}

static void enumeration(au_doc *d, int head, int intro_block, size_t intro_beg,
			const int *items, int nitems, int partial)
{
	au_claim *c = au_claim_new(d, partial ? CK_PARTIAL : CK_SUM, partial ? "audit.partial" : "audit.sum");
	c->rel = partial ? REL_LE : REL_EQ;
	c->block = intro_block;
	if (head >= 0) {
		c->total = head;
		c->sent = T(d, head)->sent;
		T(d, head)->used = 1;
	} else {
		/* "区级主要支出执行情况为：" names its total without a figure */
		c->base_missing = BM_INTRO;
		/* the last sentence of the block with beg <= intro_beg <= end:
		** sentences are in text order and their ends never decrease, so
		** only those from the last one beginning at or before intro_beg
		** back to the first ending before it can hold it */
		size_t lo = 0, hi = d->sents.n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (d->sents.v[mid].beg <= intro_beg)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t si = lo; si-- > 0 && d->sents.v[si].end >= intro_beg;)
			if (d->sents.v[si].block == intro_block) {
				c->sent = (int)si;
				break;
			}
	}
	for (int i = 0; i < nitems; i++)
		au_claim_part(d, c, items[i], 1);
}

static void sub_items(au_doc *d, int item_tok, size_t beg, size_t end)
{
	/* 003: "——教育支出130481万元。…安排6991万元，…安排3395万元" — what
	** the item's money is spent on, a partial list of it */
	size_t ci = (size_t)-1;
	for (size_t k = au_tok_at(d, beg); k < d->nlex; k++) {
		au_tok *t = T(d, (int)k);
		if (t->beg <= T(d, item_tok)->beg)
			continue;
		if (t->beg >= end)
			break;
		if (!(t->kind == TK_AMOUNT && t->depth == 0 && t->role == R_PRINCIPAL && !t->used &&
		      t->glabel && au_startswith(t->glabel, "安排")))
			continue;
		if (ci == (size_t)-1) {
			au_claim *c = au_claim_new(d, CK_PARTIAL, "audit.partial");
			c->rel = REL_LE;
			c->total = item_tok;
			c->sent = T(d, item_tok)->sent;
			ci = d->claims.n - 1;
		}
		au_claim_part(d, &d->claims.v[ci], (int)k, 1);
	}
}

static int intro_partial(au_doc *d, size_t beg, size_t end)
{
	return au_has(d->s, beg, end, "主要") || au_has(d->s, beg, end, "包括") ||
	       au_has(d->s, beg, end, "部分") || au_has(d->s, beg, end, "重点");
}

/* Can the last figure `head` of an introduction ending at `end` be the total
** its items add up to? In the sentence that opens the list ("支出123万元，
** 主要用于：") it is; in an earlier one only when it is that sentence's one
** figure: "…因公出国0.00万元，占0.00%；公务用车0.00万元，占0.00%；公务接待费
** 0.39万元，占100.00%。具体情况如下：" ends a list of its own, and its last
** item (with the share that follows it) is no total of anything. An item is
** told by the list separator between it and the figure before it. */
static int intro_total(au_doc *d, int head, size_t end)
{
	const au_tok *h = T(d, head);
	if (h->sent < 0)
		return 0;
	const au_sent *se = &d->sents.v[h->sent];
	if (se->end + 3 >= end)
		return 1;
	int n = 0;
	for (int k = se->tok0; k < se->tok0 + se->ntok; k++)
		n += au_is_value(d, k) && T(d, k)->depth == 0;
	return n == 1 || !h->raw ||
	       !(strstr(h->raw, "；") || strchr(h->raw, ';') || strstr(h->raw, "、"));
}

/* Items written as blocks: lines opening with 一是 / 1. / —— / （1） after an
** introduction ending in "：". */
static void block_enumerations(au_doc *d)
{
	for (size_t b = 0; b + 1 < d->blocks.n; b++) {
		au_block *ib = &d->blocks.v[b];
		if (ib->kind != BK_TEXT)
			continue;
		size_t e = ib->end;
		if (!((e >= ib->beg + 3 && !memcmp(d->s + e - 3, "：", 3)) ||
		      (e > ib->beg && d->s[e - 1] == ':')))
			continue;
		int mk = d->blocks.v[b + 1].marker;
		if (mk != MK_SHI && mk != MK_NUM && mk != MK_DASH && mk != MK_PNUM && mk != MK_CN)
			continue;
		/* room for every block up to the end of the run of items */
		size_t q = b + 1, cap = 0;
		while (q + cap < d->blocks.n && d->blocks.v[q + cap].kind == BK_TEXT &&
		       d->blocks.v[q + cap].marker == mk)
			cap++;
		int *items = fisc_arena_alloc(d->w, sizeof(int) * (cap ? cap : 1));
		int *blocks = fisc_arena_alloc(d->w, sizeof(int) * (cap ? cap : 1));
		int n = 0, ok = 1;
		if (!items || !blocks) {
			au_oom = 1;
			return;
		}
		for (; q < d->blocks.n && (size_t)n < cap; q++) {
			au_block *it = &d->blocks.v[q];
			if (it->kind != BK_TEXT || it->marker != mk)
				break;
			if (mk != MK_DASH && it->ordinal != n + 1)
				break;
			int f = item_figure(d, it->body, it->end);
			if (f < 0) {
				ok = 0;
				break;
			}
			blocks[n] = (int)q;
			items[n++] = f;
		}
		if (!ok || n < 2)
			continue;
		int head = last_figure(d, ib->beg, ib->end);
		if (head >= 0 && (T(d, head)->used || !intro_total(d, head, ib->end)))
			head = -1;
		/* a list whose last item is the last line of the text may go on
		** past where the text was cut (an excerpt, a page): its items
		** cannot be known to be all of them */
		int at_end = q == d->blocks.n;
		enumeration(d, head, (int)b, ib->beg, items, n,
			    intro_partial(d, ib->beg, ib->end) || at_end);
		for (int i = 0; i < n; i++)
			sub_items(d, items[i], d->blocks.v[blocks[i]].body, d->blocks.v[blocks[i]].end);
		b = q - 1;
	}
}

/* Items written inside a paragraph: "…2021.6万元。一是…19.6万元，…。二是…". */
static void inline_enumerations(au_doc *d)
{
	for (size_t si = 0; si + 1 < d->sents.n; si++) {
		au_sent *in = &d->sents.v[si];
		size_t kl;
		int ord;
		if (au_marker(d->s + d->sents.v[si + 1].beg, d->sents.v[si + 1].end - d->sents.v[si + 1].beg,
			      &ord, &kl) != MK_SHI || ord != 1 || d->sents.v[si + 1].block != in->block)
			continue;
		int head = last_figure(d, in->beg, in->end);
		if (head < 0 || T(d, head)->used)
			continue;
		size_t cap = 0;
		while (si + 1 + cap < d->sents.n && d->sents.v[si + 1 + cap].block == in->block)
			cap++;
		int *items = fisc_arena_alloc(d->w, sizeof(int) * (cap ? cap : 1)), n = 0;
		if (!items) {
			au_oom = 1;
			return;
		}
		for (size_t sj = si + 1; sj < d->sents.n && (size_t)n < cap; sj++) {
			au_sent *s = &d->sents.v[sj];
			if (s->block != in->block)
				break;
			int o;
			if (au_marker(d->s + s->beg, s->end - s->beg, &o, &kl) != MK_SHI)
				continue;
			if (o != n + 1)
				break;
			int f = item_figure(d, s->beg + kl, s->end);
			if (f < 0) {
				n = 0;
				break;
			}
			items[n++] = f;
		}
		if (n < 2)
			continue;
		/* within a paragraph the items are the whole only when nothing says
		** otherwise */
		enumeration(d, head, in->block, in->beg, items, n,
			    intro_partial(d, in->beg, in->end));
	}
}

/* The nearest figure before token k, in this paragraph or the three before
** it, that is a total of the side `side` (收入总计 / 支出总计 / 总收入 …). */
static int side_total_before(au_doc *d, int k, int side)
{
	int b0 = T(d, k)->sent >= 0 ? d->sents.v[T(d, k)->sent].block : -1;
	for (int j = k - 1; j >= 0 && b0 >= 0; j--) {
		au_tok *t = T(d, j);
		if (t->sent < 0)
			continue;
		if (d->sents.v[t->sent].block < b0 - 3)
			break;
		if (t->kind == TK_AMOUNT && t->depth == 0 && t->role == R_PRINCIPAL && t->total_kw &&
		    !(t->flags & (TF_BOUND | TF_APPROX)) && au_label_side(t->label, t->item) == side)
			return j;
	}
	return -1;
}

/* "收入总计258,126万元、支出总计223,280万元，收支相抵，年终结转34,846万元",
** "收支相抵后，政府性基金结余57,685万元": the remainder is the income total
** less the expenditure total, stated before it in the passage. */
static void remainders(au_doc *d)
{
	for (size_t si = 0; si < d->sents.n; si++) {
		au_sent *se = &d->sents.v[si];
		size_t at = au_find_word(d->s, se->beg, se->end, "相抵");
		if (at == (size_t)-1)
			continue;
		int rem = -1;
		for (int k = se->tok0; k < se->tok0 + se->ntok; k++) {
			au_tok *t = T(d, k);
			if (t->kind == TK_AMOUNT && t->beg > at && t->depth == 0) {
				rem = k;
				break;
			}
		}
		if (rem < 0 || T(d, rem)->used || !T(d, rem)->glabel ||
		    !(strstr(T(d, rem)->glabel, "结余") || strstr(T(d, rem)->glabel, "结转") ||
		      strstr(T(d, rem)->glabel, "赤字")))
			continue;
		int in = side_total_before(d, rem, SIDE_IN), out = side_total_before(d, rem, SIDE_OUT);
		if (in < 0 || out < 0 || T(d, in)->eff.unit != T(d, out)->eff.unit)
			continue;
		au_claim *c = au_claim_new(d, CK_DIFF, "audit.difference");
		c->total = rem;
		c->sent = (int)si;
		c->rel = REL_EQ;
		c->tsign = strstr(T(d, rem)->glabel, "赤字") ? -1 : 1;
		au_claim_part(d, c, in, 1);
		au_claim_part(d, c, out, -1);
		T(d, rem)->used = 1;
	}
}

/* One item a line, with no numbering, after an introduction that gives
** the total and ends in "：" (a township's "主要支出项目执行情况是："):
** "教育事业费支出 780.3万元" on each line. */
static void line_lists(au_doc *d)
{
	for (size_t b = 0; b + 2 < d->blocks.n; b++) {
		au_block *ib = &d->blocks.v[b];
		if (ib->kind != BK_TEXT)
			continue;
		size_t e = ib->end;
		if (!((e >= ib->beg + 3 && !memcmp(d->s + e - 3, "：", 3)) ||
		      (e > ib->beg && d->s[e - 1] == ':')))
			continue;
		int head = last_figure(d, ib->beg, ib->end);
		if (head < 0 || T(d, head)->used)
			continue;
		size_t q = b + 1;
		int n = 0;
		size_t ci = (size_t)-1;
		for (; q < d->blocks.n; q++) {
			au_block *it = &d->blocks.v[q];
			if (it->kind != BK_TEXT || it->marker || it->nsent != 1 ||
			    d->sents.v[it->sent0].ntok != 1)
				break;
			int k = d->sents.v[it->sent0].tok0;
			au_tok *t = T(d, k);
			/* the line is a label and its figure, nothing after it */
			if (t->kind != TK_AMOUNT || t->role != R_PRINCIPAL || t->depth || t->end + 3 < it->end ||
			    t->eff.unit != T(d, head)->eff.unit)
				break;
			if (ci == (size_t)-1) {
				int partial = au_has(d->s, ib->beg, ib->end, "主要") ||
					      au_has(d->s, ib->beg, ib->end, "部分") ||
					      au_has(d->s, ib->beg, ib->end, "重点");
				au_claim *c = au_claim_new(d, partial ? CK_PARTIAL : CK_SUM,
							   partial ? "audit.partial" : "audit.sum");
				c->total = head;
				c->block = (int)b;
				c->sent = T(d, head)->sent;
				c->rel = partial ? REL_LE : REL_EQ;
				ci = d->claims.n - 1;
			}
			au_claim_part(d, &d->claims.v[ci], k, 1);
			n++;
		}
		if (ci == (size_t)-1)
			continue;
		au_claim *c = &d->claims.v[ci];
		/* one line is not a list; a list that runs to the end of a text cut
		** off may go on */
		if (n < 2) {
			c->kind = 0;
			continue;
		}
		if (q >= d->blocks.n) {
			c->kind = CK_PARTIAL;
			c->rule = "audit.partial";
			c->rel = REL_LE;
		}
		T(d, head)->used = 1;
		b = q - 1;
	}
}

/* The period a figure's words give it: 1 the month ("当月完成"), 2 the
** months so far ("累计完成", "1-9月"), 0 none. */
static int period_of(const au_tok *t)
{
	const char *g = t->glabel ? t->glabel : "";
	if (strstr(g, "当月") || strstr(g, "本月"))
		return 1;
	if (strstr(g, "累计"))
		return 2;
	return 0;
}

/* "…当月完成5亿元；累计完成60.4亿元。其中，土地出让金收入当月完成4.5亿元；
** 累计完成50.8亿元": a breakdown written for the month and for the year so
** far at once. Its parts are those of the total's own period; when the
** total names no period there is no telling which, and no claim. */
static void split_periods(au_doc *d)
{
	for (size_t ci = 0; ci < d->claims.n; ci++) {
		au_claim *c = &d->claims.v[ci];
		if ((c->kind != CK_SUM && c->kind != CK_PARTIAL) || c->total < 0 || c->nparts < 2)
			continue;
		int seen[3] = {0, 0, 0};
		for (int i = 0; i < c->nparts; i++)
			seen[period_of(T(d, c->parts[i]))] = 1;
		if (!(seen[1] && seen[2]))
			continue;
		int hp = period_of(T(d, c->total));
		if (!hp) {
			c->kind = 0;
			continue;
		}
		int n = 0;
		for (int i = 0; i < c->nparts; i++)
			if (period_of(T(d, c->parts[i])) == hp) {
				c->parts[n] = c->parts[i];
				c->signs[n] = c->signs[i];
				n++;
			}
		if (!n) {
			c->kind = 0;
			continue;
		}
		c->nparts = n;
		if (n == 1 && c->kind == CK_SUM) {
			c->kind = CK_PARTIAL;
			c->rule = "audit.partial";
			c->rel = REL_LE;
		}
	}
}

/* The figure of sentence si that year_priors paired with an earlier-year
** prior: *cur the later year's figure, *pri the earlier year's; 0 if none
** or more than one pair. */
static int year_pair(au_doc *d, int si, int *cur, int *pri)
{
	const au_sent *se = &d->sents.v[si];
	int n = 0;
	for (int k = se->tok0 + 1; k < se->tok0 + se->ntok; k++) {
		const au_tok *t = T(d, k);
		if (t->kind != TK_AMOUNT || !(t->flags & TF_YEARPRIOR))
			continue;
		for (int j = k - 1; j >= se->tok0; j--)
			if (T(d, j)->kind == TK_AMOUNT) {
				*cur = j;
				*pri = k;
				n++;
				break;
			}
	}
	return n == 1;
}

/* "2016年三公经费预算33万元，2015年三公经费预算57.55万元，…。其中：1、公务
** 接待费2016年预算8万元，2015年预算12.5万元；…2、公务车辆运行2016年预算25万
** 元，2015年预算45.2万元": a breakdown of two years' totals, each item
** giving both years: the later-year figures add up to the later total, the
** earlier-year ones to the earlier. */
static void year_pair_breakdowns(au_doc *d)
{
	for (size_t si = 0; si < d->sents.n; si++) {
		int A, B;
		if (!year_pair(d, (int)si, &A, &B))
			continue;
		int ya = au_label_year(T(d, A)->glabel), yb = au_label_year(T(d, B)->glabel);
		int blk = d->sents.v[si].block;
		int cur[64], pri[64], n = 0, opened = 0;
		for (size_t sj = si + 1; sj < d->sents.n && d->sents.v[sj].block == blk && n < 64; sj++) {
			const au_sent *se = &d->sents.v[sj];
			int figs = 0;
			for (int k = se->tok0; k < se->tok0 + se->ntok; k++)
				figs += T(d, k)->kind == TK_AMOUNT;
			if (!figs)
				continue;
			if (!opened) {
				size_t f = T(d, se->tok0)->beg;
				if (!au_has(d->s, se->beg, f, "其中"))
					break;
				opened = 1;
			}
			int c, p;
			if (!year_pair(d, (int)sj, &c, &p) || au_label_year(T(d, c)->glabel) != ya ||
			    au_label_year(T(d, p)->glabel) != yb)
				break;
			cur[n] = c;
			pri[n++] = p;
		}
		if (n < 2)
			continue;
		/* a reading of the same figures as a breakdown of one year's total
		** alone ("其中" after the later figure) is superseded */
		for (size_t ci = 0; ci < d->claims.n; ci++) {
			au_claim *o = &d->claims.v[ci];
			if ((o->kind == CK_SUM || o->kind == CK_PARTIAL) && (o->total == A || o->total == B))
				o->kind = 0;
		}
		for (int w = 0; w < 2; w++) {
			au_claim *c = au_claim_new(d, CK_SUM, "audit.sum");
			size_t ci = d->claims.n - 1;
			c->total = w ? B : A;
			c->sent = (int)si;
			c->rel = REL_EQ;
			for (int i = 0; i < n; i++)
				au_claim_part(d, &d->claims.v[ci], w ? pri[i] : cur[i], 1);
			T(d, w ? B : A)->used = 1;
			T(d, w ? B : A)->ishead = 1;
		}
	}
}

void au_claims(au_doc *d)
{
	for (size_t si = 0; si < d->sents.n; si++)
		sentence(d, (int)si);
	block_enumerations(d);
	inline_enumerations(d);
	line_lists(d);
	remainders(d);
	year_pair_breakdowns(d);
	for (size_t b = 0; b < d->blocks.n; b++)
		if (d->blocks.v[b].kind == BK_TEXT)
			running_balances(d, (int)b);
	split_periods(d);
}

/* Count, sum, then fill: off[tok + 2] counts, the prefix sums shift by one
** so that off[tok + 1] is tok's cursor while filling and off[tok] its start. */
void au_tokix_build(au_doc *d, au_tokix *x, int (*keep)(const au_claim *), int with_total)
{
	size_t n = d->toks.n, total = 0;
	x->off = fisc_arena_alloc(d->w, (n + 2) * sizeof(int));
	if (!x->off) {
		au_oom = 1;
		return;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t ci = 0; ci < d->claims.n; ci++) {
			au_claim *c = &d->claims.v[ci];
			if (!keep(c))
				continue;
			for (int i = with_total ? -1 : 0; i < c->nparts; i++) {
				int t = i < 0 ? c->total : c->parts[i];
				if (t < 0 || (size_t)t >= n)
					continue;
				if (pass == 0) {
					x->off[t + 2]++;
					total++;
				} else {
					x->claims[x->off[t + 1]++] = (int)ci;
				}
			}
		}
		if (pass == 0) {
			for (size_t k = 2; k < n + 2; k++)
				x->off[k] += x->off[k - 1];
			x->claims = fisc_arena_alloc(d->w, (total + 1) * sizeof(int));
			if (!x->claims) {
				au_oom = 1;
				x->off = NULL;
				return;
			}
		}
	}
}
