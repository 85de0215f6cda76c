/*
** r_phases.c — between phases of one year (issue 3 §7): expenditure executed
** (执行数 / 决算数) should not exceed the adjusted budget (调整预算) the
** people's congress approved. The completion rate (完成预算 %) is recomputed
** with integer arithmetic and shown. Revenue above budget (超收) is not a
** breach, so revenue is not flagged.
**
** The store holds no percentage facts yet, so the 完成 % and 增长 % that
** reports print cannot be compared; when they are stored, their check belongs
** here, against the interval cmp_ratio gives.
*/
#include <stdlib.h>
#include "rules/engine.h"

int fisc_rule_phases_over(fisc_check_ctx *c, const fisc_rule *r)
{
	/* seen[node] == g + 1: node was checked for group g already. The nodes
	** are items and lines, all interned before the rules run, so a node is
	** below nseen. */
	size_t nseen = c->nstrs;
	uint32_t *seen = calloc(nseen + 1, sizeof *seen);
	if (!seen)
		return FISC_ENOMEM;
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		if (G->phase != FISC_PHASE_EXECUTION && G->phase != FISC_PHASE_FINAL)
			continue;
		long adj = ck_sibling(c, G, G->year, G->book, FISC_PHASE_ADJUSTED, G->scope);
		if (adj < 0)
			continue;
		/* Own expenditure and every expenditure item either phase names. */
		for (uint32_t k = 0; k <= G->nfacts; k++) {
			uint32_t node;
			if (k == G->nfacts) {
				node = c->L[L_OWN_EXP];
			} else {
				const rfact *x = &c->facts[G->first + k];
				if (x->dsig || !ck_has_anc(c, x, c->L[L_OWN_EXP]))
					continue;
				node = x->item;
			}
			if (node < nseen) {
				if (seen[node] == g + 1)
					continue;
				seen[node] = (uint32_t)g + 1;
			}
			fig e = ck_value(c, (long)g, node, 0, NULL), a = ck_value(c, adj, node, 0, NULL);
			if (!FIG_HAS(e) || !FIG_HAS(a))
				continue;
			fisc_fen tol;
			int v = cmp_le(&e, &a, &tol);
			fisc_finding *f = ck_emit(c, (long)g, 0, v, r->severity);
			if (!f)
				continue;
			ck_amounts(c, f, &e, &a, tol);
			f->percent = a.fen > 0 ? fisc_arena_strdup(c->a, ck_percent(c, e.fen, a.fen)) : NULL;
			const char *nm = ck_item_name(c, G, node);
			const char *pct = f->percent ? f->percent : "—";
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%s：%s %s，调整预算 %s，完成调整预算的 %s，%s%s",
						     ck_where_zh(c, G), nm, ck_fig(c, &e), ck_fig(c, &a), pct,
						     v == FISC_VERDICT_FAILED ? "执行数超过调整预算"
						     : v == FISC_VERDICT_EXACT ? "未超过调整预算"
									       : "仅在舍入误差内未超过调整预算",
						     ck_tail(c, f, 0)),
				   fisc_arena_printf(c->w, "%s: %s %s against an adjusted budget of %s (%s): %s%s",
						     ck_where_en(c, G), ck_str(c, node), ck_fig(c, &e),
						     ck_fig(c, &a), pct,
						     v == FISC_VERDICT_FAILED ? "execution exceeds the adjusted budget"
						     : v == FISC_VERDICT_EXACT ? "within the adjusted budget"
									       : "within the adjusted budget only thanks to rounding",
						     ck_tail(c, f, 1)));
			ck_add_value(c, f, (long)g, node, 0, "execution");
			ck_add_value(c, f, adj, node, 0, "adjusted");
		}
	}
	free(seen);
	return FISC_OK;
}
