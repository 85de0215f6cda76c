/*
** r_debt.c — government debt (issue 3 §5, DOMAIN.md §5): the balance stays
** within the limit; 一般 (stored under book gpb) + 专项 (book gfb) = the total
** (book all) for limits, balances, issuance and repayment; bonds issued =
** new + refinancing.
*/
#include "rules/engine.h"

fig ck_debt_value(const fisc_check_ctx *c, long g, uint32_t node)
{
	fig v = g >= 0 ? ck_value(c, g, node, 0, NULL) : fig_zero();
	if (g < 0 || FIG_HAS(v) || c->groups[g].book != FISC_BOOK_ALL)
		return v;
	const rgroup *G = &c->groups[g];
	fig sum = fig_zero();
	for (int b = FISC_BOOK_GPB; b <= FISC_BOOK_SSF; b++) {
		long s = ck_sibling(c, G, G->year, b, G->phase, G->scope);
		if (s >= 0) {
			fig x = ck_value(c, s, node, 0, NULL);
			fig_add(&sum, &x);
		}
	}
	return sum;
}

static void add_debt_facts(fisc_check_ctx *c, fisc_finding *f, long g, uint32_t node,
			   const char *role)
{
	if (FIG_HAS(ck_value(c, g, node, 0, NULL)) || c->groups[g].book != FISC_BOOK_ALL) {
		ck_add_value(c, f, g, node, 0, role);
		return;
	}
	const rgroup *G = &c->groups[g];
	for (int b = FISC_BOOK_GPB; b <= FISC_BOOK_SSF; b++)
		ck_add_value(c, f, ck_sibling(c, G, G->year, b, G->phase, G->scope), node, 0, role);
}

static const char *debt_book_zh(int book)
{
	return book == FISC_BOOK_GPB ? "一般债务" : book == FISC_BOOK_GFB ? "专项债务" : "政府债务";
}

static const char *debt_book_en(int book)
{
	return book == FISC_BOOK_GPB ? "general" : book == FISC_BOOK_GFB ? "special" : "total";
}

int fisc_rule_debt_limit(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		if (G->dept || (G->book != FISC_BOOK_ALL && G->book != FISC_BOOK_GPB &&
				G->book != FISC_BOOK_GFB))
			continue;
		fig bal = ck_debt_value(c, (long)g, c->L[L_DEBT_BALANCE]);
		fig lim = ck_debt_value(c, (long)g, c->L[L_DEBT_LIMIT]);
		if (!FIG_HAS(bal) || !FIG_HAS(lim))
			continue;
		fisc_fen tol;
		int v = cmp_le(&bal, &lim, &tol);
		fisc_finding *f = ck_emit(c, (long)g, 0, v, r->severity);
		if (!f)
			continue;
		ck_amounts(c, f, &bal, &lim, tol);
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%s：%s余额 %s，限额 %s，%s%s",
					     ck_where_zh(c, G), debt_book_zh(G->book), ck_fig(c, &bal),
					     ck_fig(c, &lim),
					     v == FISC_VERDICT_FAILED ? "余额超过限额"
					     : v == FISC_VERDICT_EXACT ? "在限额内"
								       : "仅在舍入误差内不超过限额",
					     ck_tail(c, f, 0)),
			   fisc_arena_printf(c->w, "%s: %s debt balance %s, limit %s: %s%s",
					     ck_where_en(c, G), debt_book_en(G->book), ck_fig(c, &bal),
					     ck_fig(c, &lim),
					     v == FISC_VERDICT_FAILED ? "the balance exceeds the limit"
					     : v == FISC_VERDICT_EXACT ? "within the limit"
								       : "within the limit only thanks to rounding",
					     ck_tail(c, f, 1)));
		add_debt_facts(c, f, (long)g, c->L[L_DEBT_BALANCE], "balance");
		add_debt_facts(c, f, (long)g, c->L[L_DEBT_LIMIT], "limit");
	}
	return FISC_OK;
}

int fisc_rule_debt_split(fisc_check_ctx *c, const fisc_rule *r)
{
	static const int nodes[] = {L_DEBT_LIMIT, L_DEBT_BALANCE, L_DEBT_ISSUE, L_DEBT_NEW,
				    L_DEBT_REFI, L_DEBT_SERVICE, L_DEBT_PRINCIPAL, L_DEBT_INTEREST};
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		if (G->book != FISC_BOOK_ALL || G->dept)
			continue;
		long gp = ck_sibling(c, G, G->year, FISC_BOOK_GPB, G->phase, G->scope);
		long gf = ck_sibling(c, G, G->year, FISC_BOOK_GFB, G->phase, G->scope);
		if (gp < 0 || gf < 0)
			continue;
		for (size_t k = 0; k < sizeof nodes / sizeof *nodes; k++) {
			uint32_t node = c->L[nodes[k]];
			/* The total as the source states it when it does. */
			long st = ck_stated(c, (long)g, node, 0);
			fig tot = st >= 0 && ck_prov(c, &c->facts[st])->has_amount
					  ? ck_fact_fig(c, &c->facts[st])
					  : ck_base(c, (long)g, node, 0);
			fig gen = ck_value(c, gp, node, 0, NULL), spe = ck_value(c, gf, node, 0, NULL);
			if (!FIG_HAS(tot) || !FIG_HAS(gen) || !FIG_HAS(spe))
				continue;
			fig sum = gen;
			fig_add(&sum, &spe);
			fisc_fen tol;
			int v = cmp_eq(&tot, &sum, &tol);
			fisc_finding *f = ck_emit(c, (long)g, 0, v, r->severity);
			if (!f)
				continue;
			ck_amounts(c, f, &tot, &sum, tol);
			const char *nm = ck_item_name(c, G, node);
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%s：%s合计 %s，一般债务 %s + 专项债务 %s = %s，%s%s",
						     ck_where_zh(c, G), nm, ck_fig(c, &tot), ck_fig(c, &gen),
						     ck_fig(c, &spe), ck_fig(c, &sum), ck_verdict_zh(v),
						     ck_tail(c, f, 0)),
				   fisc_arena_printf(c->w, "%s: %s total %s; general %s + special %s = %s: %s%s",
						     ck_where_en(c, G), ck_str(c, node), ck_fig(c, &tot),
						     ck_fig(c, &gen), ck_fig(c, &spe), ck_fig(c, &sum),
						     ck_verdict_en(v), ck_tail(c, f, 1)));
			if (st >= 0)
				ck_add_fact(c, f, (uint32_t)st, "total");
			else
				ck_add_base(c, f, (long)g, node, 0, "total");
			ck_add_value(c, f, gp, node, 0, "general");
			ck_add_value(c, f, gf, node, 0, "special");
		}
	}
	return FISC_OK;
}

int fisc_rule_debt_issue(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		long st = ck_stated(c, (long)g, c->L[L_DEBT_ISSUE], 0);
		if (st < 0 || !ck_prov(c, &c->facts[st])->has_amount)
			continue;
		fig tot = ck_fact_fig(c, &c->facts[st]);
		fig nw = ck_value(c, (long)g, c->L[L_DEBT_NEW], 0, NULL);
		fig rf = ck_value(c, (long)g, c->L[L_DEBT_REFI], 0, NULL);
		if (!FIG_HAS(nw) && !FIG_HAS(rf))
			continue;
		fig sum = nw;
		fig_add(&sum, &rf);
		int both = FIG_HAS(nw) && FIG_HAS(rf);
		fisc_fen tol;
		/* With one kind missing the other is only a part of the total. */
		int v = both ? cmp_eq(&tot, &sum, &tol) : cmp_le(&sum, &tot, &tol);
		fisc_finding *f = ck_emit(c, (long)g, 0, v, r->severity);
		if (!f)
			continue;
		ck_amounts(c, f, &tot, &sum, tol);
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%s：政府债券发行 %s，新增债券 %s + 再融资债券 %s = %s，%s%s",
					     ck_where_zh(c, G), ck_fig(c, &tot),
					     FIG_HAS(nw) ? ck_fig(c, &nw) : "（未列）",
					     FIG_HAS(rf) ? ck_fig(c, &rf) : "（未列）", ck_fig(c, &sum),
					     ck_verdict_zh(v), ck_tail(c, f, 0)),
			   fisc_arena_printf(c->w, "%s: bonds issued %s; new %s + refinancing %s = %s: %s%s",
					     ck_where_en(c, G), ck_fig(c, &tot),
					     FIG_HAS(nw) ? ck_fig(c, &nw) : "(not given)",
					     FIG_HAS(rf) ? ck_fig(c, &rf) : "(not given)", ck_fig(c, &sum),
					     ck_verdict_en(v), ck_tail(c, f, 1)));
		ck_add_fact(c, f, (uint32_t)st, "total");
		ck_add_value(c, f, (long)g, c->L[L_DEBT_NEW], 0, "new");
		ck_add_value(c, f, (long)g, c->L[L_DEBT_REFI], 0, "refinancing");
	}
	return FISC_OK;
}
