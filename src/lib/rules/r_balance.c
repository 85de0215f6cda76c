/*
** r_balance.c — rules on one book (issue 3 §1): 收入总计 = 支出总计, a stated
** total equals the sum of its parts, stated parts (其中 / 主要) do not exceed
** their total, and the SSF year's surplus is its income minus expenditure.
*/
#include <stdlib.h>
#include <string.h>
#include "rules/engine.h"

/* Items whose stated figures a dedicated rule checks, not the generic ones. */
static int dedicated(const fisc_check_ctx *c, uint32_t item)
{
	return item == c->L[L_DEBT_ISSUE] || item == c->L[L_SSF_SURPLUS] ||
	       item == c->L[L_SSF_BALANCE] || item == c->L[L_STAB_OPEN] ||
	       item == c->L[L_STAB_CLOSE];
}

int fisc_rule_balance_totals(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		if (G->book == FISC_BOOK_ALL || G->book == FISC_BOOK_SSF)
			continue; /* SSF closes into its balance: ssf.surplus */
		uint32_t in = c->L[G->dept ? L_DEPT_INCOME_TOTAL : L_INCOME_TOTAL];
		uint32_t out = c->L[G->dept ? L_DEPT_EXP_TOTAL : L_EXPENSE_TOTAL];
		fig inc = ck_base(c, (long)g, in, 0), exp = ck_base(c, (long)g, out, 0);
		if (!FIG_HAS(inc) || !FIG_HAS(exp))
			continue;
		/* A government book is only checked when it is a whole table: a
		** stated total, or transfer lines on both sides. Own revenue and
		** expenditure alone (a budget's headline figures) need not balance. */
		if (!G->dept && ck_stated(c, (long)g, c->L[L_INCOME_TOTAL], 0) < 0 &&
		    ck_stated(c, (long)g, c->L[L_EXPENSE_TOTAL], 0) < 0 &&
		    !(ck_base(c, (long)g, c->L[L_XFER_IN_TOTAL], 0).n &&
		      ck_base(c, (long)g, c->L[L_XFER_OUT_TOTAL], 0).n))
			continue;
		fisc_fen tol;
		int v = cmp_eq(&inc, &exp, &tol);
		fisc_finding *f = ck_emit(c, (long)g, 0, v, r->severity);
		if (!f)
			continue;
		ck_amounts(c, f, &inc, &exp, tol);
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%s：收入总计 %s，支出总计 %s，%s%s",
					     ck_where_zh(c, G), ck_fig(c, &inc), ck_fig(c, &exp),
					     v == FISC_VERDICT_FAILED ? "收支不平衡" : ck_verdict_zh(v),
					     ck_tail(c, f, 0)),
			   fisc_arena_printf(c->w, "%s: total income %s, total expenditure %s: %s%s",
					     ck_where_en(c, G), ck_fig(c, &inc), ck_fig(c, &exp),
					     v == FISC_VERDICT_FAILED ? "the book does not balance"
								      : ck_verdict_en(v),
					     ck_tail(c, f, 1)));
		long s;
		if ((s = ck_stated(c, (long)g, in, 0)) >= 0)
			ck_add_fact(c, f, (uint32_t)s, "stated");
		if ((s = ck_stated(c, (long)g, out, 0)) >= 0)
			ck_add_fact(c, f, (uint32_t)s, "stated");
		ck_add_base(c, f, (long)g, in, 0, "income");
		ck_add_base(c, f, (long)g, out, 0, "expense");
	}
	return FISC_OK;
}

int fisc_rule_balance_subtotal(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		for (uint32_t i = G->first; i < G->first + G->nfacts; i++) {
			const rfact *s = &c->facts[i];
			if (ck_prov(c, s)->kind != FISC_FACT_STATED || !ck_prov(c, s)->has_amount ||
			    dedicated(c, s->item))
				continue;
			fig comp = ck_base(c, (long)g, s->item, s->dsig);
			if (!FIG_HAS(comp))
				continue; /* no parts: a partial figure, see balance.parts */
			fig st = ck_fact_fig(c, s);
			fisc_fen tol;
			int v = cmp_eq(&st, &comp, &tol);
			fisc_finding *f = ck_emit(c, (long)g, 0, v, r->severity);
			if (!f)
				continue;
			ck_amounts(c, f, &st, &comp, tol);
			const char *name = ck_item_name(c, G, s->item);
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%s：%s%s 表述为 %s，其组成部分合计 %s，%s%s",
						     ck_where_zh(c, G), name, ck_detail(c, s->dsig, 0),
						     ck_fig(c, &st), ck_fig(c, &comp), ck_verdict_zh(v),
						     ck_tail(c, f, 0)),
				   fisc_arena_printf(c->w, "%s: %s%s is stated as %s; its parts add up to %s: %s%s",
						     ck_where_en(c, G), name, ck_detail(c, s->dsig, 1),
						     ck_fig(c, &st), ck_fig(c, &comp), ck_verdict_en(v),
						     ck_tail(c, f, 1)));
			ck_add_fact(c, f, i, "stated");
			ck_add_base(c, f, (long)g, s->item, s->dsig, "part");
		}
	}
	return FISC_OK;
}

/* ---- stated parts ------------------------------------------------------- */

typedef struct pset {
	uint32_t g, node, dsig;
	int dim;        /* 0: parts are narrower items; 1-3: a detail dimension */
	uint32_t head;  /* first member fact; next[] links the rest */
	uint32_t n;
} pset;

/* Not every child line applies to every book: SSF revenue is its own. */
static int line_applies(const fisc_check_ctx *c, uint32_t line, int book)
{
	if (line == c->L[L_SSF_REV])
		return book == FISC_BOOK_SSF;
	if (line == c->L[L_TAX] || line == c->L[L_NONTAX])
		return book != FISC_BOOK_SSF;
	return 1;
}

/* Do the parts of set p cover every child of its total? Then the parts must
** add up to it, not just stay below it. */
static int pset_complete(const fisc_check_ctx *c, const pset *p, const uint32_t *next)
{
	if (p->dim)
		return 0; /* a 其中 list by project or fund is never known complete */
	const rgroup *G = &c->groups[p->g];
	if (ck_line(c, p->node)) {
		size_t want = 0, have = 0;
		for (size_t i = 0; i < c->nlines; i++) {
			const rline *l = &c->lines[i];
			if (l->parent != p->node || !line_applies(c, l->id, G->book))
				continue;
			want++;
			for (uint32_t m = p->head; m != UINT32_MAX; m = next[m])
				if (c->facts[m].item == l->id) {
					have++;
					break;
				}
		}
		return want > 0 && want == have;
	}
	const rcat *rc = &c->cats[G->cat];
	uintptr_t kids = (uintptr_t)fisc_strmap_get(&rc->nchildren, ck_str(c, p->node));
	if (!kids)
		return 0;
	size_t have = 0;
	for (uint32_t m = p->head; m != UINT32_MAX; m = next[m]) {
		const fisc_catalog_entry *e = fisc_catalog_get(rc->cat, ck_str(c, c->facts[m].item));
		int dup = 0;
		for (uint32_t o = p->head; o != m; o = next[o])
			dup |= c->facts[o].item == c->facts[m].item;
		if (e && !dup && strcmp(e->parent, ck_str(c, p->node)) == 0)
			have++;
	}
	return have == kids;
}

int fisc_rule_balance_parts(fisc_check_ctx *c, const fisc_rule *r)
{
	uint32_t *next = malloc((c->nfacts + 1) * sizeof *next);
	pset *sets = NULL;
	size_t nsets = 0, capsets = 0;
	k3map ix = {0};
	int rc = FISC_OK;
	if (!next)
		return FISC_ENOMEM;
	/* Gather: each stated figure with nothing under it joins the set of
	** parts of the nearest figure above it. */
	for (size_t g = 0; g < c->ngroups && rc == FISC_OK; g++) {
		const rgroup *G = &c->groups[g];
		for (uint32_t i = G->first; i < G->first + G->nfacts; i++) {
			const rfact *s = &c->facts[i];
			if (ck_prov(c, s)->kind != FISC_FACT_STATED || !ck_prov(c, s)->has_amount ||
			    dedicated(c, s->item))
				continue;
			if (FIG_HAS(ck_base(c, (long)g, s->item, s->dsig)))
				continue; /* it has parts: balance.subtotal */
			uint32_t node = 0, dsig = 0;
			int dim = 0, found = 0;
			if (s->dsig) {
				node = s->item;
				dsig = ck_dsig_parent(c, s->dsig, &dim);
				fig pv = ck_value(c, (long)g, node, dsig, NULL);
				found = FIG_HAS(pv);
			} else {
				uint32_t n;
				const uint32_t *anc = ck_anc(c, s, &n);
				for (uint32_t a = 1; a < n && !found; a++) {
					fig pv = ck_value(c, (long)g, anc[a], 0, NULL);
					if (FIG_HAS(pv)) {
						node = anc[a];
						found = 1;
					}
				}
			}
			if (!found)
				continue;
			int created;
			uint32_t *v = k3_upsert(&ix, (uint32_t)g, node, dsig << 2 | (uint32_t)dim,
						(uint32_t)nsets, &created);
			if (!v) {
				rc = FISC_ENOMEM;
				break;
			}
			if (created) {
				if (nsets == capsets) {
					size_t cap = capsets ? capsets * 2 : 64;
					pset *ns = realloc(sets, cap * sizeof *ns);
					if (!ns) {
						rc = FISC_ENOMEM;
						break;
					}
					sets = ns;
					capsets = cap;
				}
				pset *p = &sets[nsets++];
				p->g = (uint32_t)g;
				p->node = node;
				p->dsig = dsig;
				p->dim = dim;
				p->head = UINT32_MAX;
				p->n = 0;
			}
			/* Append, keeping the source order. */
			pset *p = &sets[*v];
			next[i] = UINT32_MAX;
			if (p->head == UINT32_MAX)
				p->head = i;
			else {
				uint32_t m = p->head;
				while (next[m] != UINT32_MAX)
					m = next[m];
				next[m] = i;
			}
			p->n++;
		}
	}
	for (size_t k = 0; k < nsets && rc == FISC_OK; k++) {
		const pset *p = &sets[k];
		const rgroup *G = &c->groups[p->g];
		fig sum = fig_zero();
		for (uint32_t m = p->head; m != UINT32_MAX; m = next[m]) {
			fig ff = ck_fact_fig(c, &c->facts[m]);
			fig_add(&sum, &ff);
		}
		long st;
		fig total = ck_value(c, (long)p->g, p->node, p->dsig, &st);
		int complete = pset_complete(c, p, next);
		fisc_fen tol;
		int v = complete ? cmp_eq(&sum, &total, &tol) : cmp_le(&sum, &total, &tol);
		fisc_finding *f = ck_emit(c, (long)p->g, 0, v, r->severity);
		if (!f)
			continue;
		ck_amounts(c, f, &sum, &total, tol);
		const char *name = ck_item_name(c, G, p->node);
		const char *det_zh = ck_detail(c, p->dsig, 0), *det_en = ck_detail(c, p->dsig, 1);
		if (complete)
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%s：%s%s 为 %s，其全部 %u 个组成部分（表述数）合计 %s，%s%s",
						     ck_where_zh(c, G), name, det_zh, ck_fig(c, &total), p->n,
						     ck_fig(c, &sum), ck_verdict_zh(v), ck_tail(c, f, 0)),
				   fisc_arena_printf(c->w, "%s: %s%s is %s and its %u stated parts, which cover all of it, add up to %s: %s%s",
						     ck_where_en(c, G), name, det_en, ck_fig(c, &total), p->n,
						     ck_fig(c, &sum), ck_verdict_en(v), ck_tail(c, f, 1)));
		else
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%s：%s%s 为 %s，所列 %u 个分项（其中/主要）合计 %s，%s%s",
						     ck_where_zh(c, G), name, det_zh, ck_fig(c, &total), p->n,
						     ck_fig(c, &sum),
						     v == FISC_VERDICT_FAILED ? "分项之和超过合计"
						     : v == FISC_VERDICT_EXACT ? "未超过合计"
									       : "仅在舍入误差内未超过合计",
						     ck_tail(c, f, 0)),
				   fisc_arena_printf(c->w, "%s: %s%s is %s and the %u parts listed (a partial list) add up to %s: %s%s",
						     ck_where_en(c, G), name, det_en, ck_fig(c, &total), p->n,
						     ck_fig(c, &sum),
						     v == FISC_VERDICT_FAILED ? "the parts exceed the total"
						     : v == FISC_VERDICT_EXACT ? "within the total"
									       : "within the total only thanks to rounding",
						     ck_tail(c, f, 1)));
		if (st >= 0)
			ck_add_fact(c, f, (uint32_t)st, "total");
		else
			ck_add_base(c, f, (long)p->g, p->node, p->dsig, "total");
		for (uint32_t m = p->head; m != UINT32_MAX; m = next[m])
			ck_add_fact(c, f, m, "part");
	}
	free(sets);
	free(next);
	k3_free(&ix);
	return rc;
}

int fisc_rule_ssf_surplus(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		if (G->book != FISC_BOOK_SSF)
			continue;
		long sf;
		fig s = ck_value(c, (long)g, c->L[L_SSF_SURPLUS], 0, &sf);
		fig inc = ck_base(c, (long)g, c->L[L_INCOME_TOTAL], 0);
		fig exp = ck_base(c, (long)g, c->L[L_EXPENSE_TOTAL], 0);
		if (!FIG_HAS(s) || !FIG_HAS(inc) || !FIG_HAS(exp))
			continue;
		fig comp = inc;
		fig_sub(&comp, &exp);
		fisc_fen tol;
		int v = cmp_eq(&s, &comp, &tol);
		fisc_finding *f = ck_emit(c, (long)g, 0, v, r->severity);
		if (!f)
			continue;
		ck_amounts(c, f, &s, &comp, tol);
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%s：当年收支结余 %s，收入 %s − 支出 %s = %s，%s%s",
					     ck_where_zh(c, G), ck_fig(c, &s), ck_fig(c, &inc),
					     ck_fig(c, &exp), ck_fig(c, &comp), ck_verdict_zh(v),
					     ck_tail(c, f, 0)),
			   fisc_arena_printf(c->w, "%s: surplus of the year %s; income %s − expenditure %s = %s: %s%s",
					     ck_where_en(c, G), ck_fig(c, &s), ck_fig(c, &inc),
					     ck_fig(c, &exp), ck_fig(c, &comp), ck_verdict_en(v),
					     ck_tail(c, f, 1)));
		ck_add_value(c, f, (long)g, c->L[L_SSF_SURPLUS], 0, "stated");
		ck_add_base(c, f, (long)g, c->L[L_INCOME_TOTAL], 0, "income");
		ck_add_base(c, f, (long)g, c->L[L_EXPENSE_TOTAL], 0, "expense");
	}
	return FISC_OK;
}

/* A department's tables of one year and phase with spending and nothing on
** the income side: 部门收支总表 and 财政拨款收支总表 then show 支出总计 against
** an empty column (004's 决算: 8701.35万元 and no income at all). One finding
** per (department, year, phase), across its books; it passes when both
** sides have figures. */
int fisc_rule_dept_income(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		if (!G->dept)
			continue;
		/* the first group of its (family, phase) speaks for all of them */
		int first = 1;
		for (size_t h = 0; h < g && first; h++)
			if (c->groups[h].family == G->family && c->groups[h].phase == G->phase)
				first = 0;
		if (!first)
			continue;
		fig inc = fig_zero(), exp = fig_zero();
		int stated_inc = 0;
		for (size_t h = g; h < c->ngroups; h++) {
			const rgroup *H = &c->groups[h];
			if (H->family != G->family || H->phase != G->phase)
				continue;
			fig i = ck_base(c, (long)h, c->L[L_DEPT_INCOME_TOTAL], 0);
			fig e = ck_base(c, (long)h, c->L[L_DEPT_EXP_TOTAL], 0);
			fig_add(&inc, &i);
			fig_add(&exp, &e);
			stated_inc |= ck_stated(c, (long)h, c->L[L_DEPT_INCOME_TOTAL], 0) >= 0;
		}
		if (!FIG_HAS(exp) || !exp.fen)
			continue;
		int empty = !FIG_HAS(inc) && !stated_inc;
		fisc_finding *f = ck_emit(c, (long)g, 0,
					  empty ? FISC_VERDICT_FAILED : FISC_VERDICT_EXACT, r->severity);
		if (!f)
			continue;
		f->book = -1; /* the department's tables, across its books */
		ck_amounts(c, f, empty ? NULL : &inc, &exp, 0);
		const char *dept = ck_str(c, G->dept);
		const char *ph = fisc_phase_name(G->phase);
		if (empty)
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%d年部门“%s”（%s）：收入方为空（没有本年收入和上年结转结余），"
							   "支出总计 %s；部门收支总表和财政拨款收支总表无法平衡%s",
						     G->year, dept, ph, ck_fig(c, &exp), ck_tail(c, f, 0)),
				   fisc_arena_printf(c->w, "%d department %s (%s): the income side is empty (no "
							   "income, no carry-in) against total expenditure %s; "
							   "its summary tables cannot balance%s",
						     G->year, dept, fisc_phase_code(G->phase), ck_fig(c, &exp),
						     ck_tail(c, f, 1)));
		else
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%d年部门“%s”（%s）：收入 %s，支出 %s，收入方不为空%s",
						     G->year, dept, ph, ck_fig(c, &inc), ck_fig(c, &exp),
						     ck_tail(c, f, 0)),
				   fisc_arena_printf(c->w, "%d department %s (%s): income %s, expenditure %s: "
							   "the income side is not empty%s",
						     G->year, dept, fisc_phase_code(G->phase), ck_fig(c, &inc),
						     ck_fig(c, &exp), ck_tail(c, f, 1)));
		for (size_t h = g; h < c->ngroups; h++)
			if (c->groups[h].family == G->family && c->groups[h].phase == G->phase)
				ck_add_base(c, f, (long)h, c->L[L_DEPT_EXP_TOTAL], 0, "expense");
	}
	return FISC_OK;
}
