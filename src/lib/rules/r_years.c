/*
** r_years.c — identities between years (issue 3 §4): 结转下年 of year Y is
** 上年结转 of Y+1, the SSF 滚存结余 and the 预算稳定调节基金 roll forward, and
** debt closes at opening + issued − repaid.
**
** "Year Y" on the earlier side means its closing figures: the final accounts
** (决算) when stored, else the execution (执行 / 快报) — what the next year's
** budget was built on.
*/
#include <string.h>
#include "rules/engine.h"

/* ---- carry-over ------------------------------------------------------- */

/* Carry-out of the year before g, at `scope`: explicit, or for the lower level
** implied from 全辖 − 本级. *from gets the group to cite (the 全辖 group when
** implied, then *implied = 1). */
static fig carry_out_before(const fisc_check_ctx *c, const rgroup *G, int scope, long *from,
			    int *implied)
{
	*from = -1;
	*implied = 0;
	long p = ck_closing(c, G, G->year - 1, scope);
	fig o = p >= 0 ? ck_value(c, p, c->L[L_CARRY_OUT], 0, NULL) : fig_zero();
	if (FIG_HAS(o)) {
		*from = p;
		return o;
	}
	if (scope == FISC_SCOPE_LOWER && !G->dept) {
		long pa = ck_closing(c, G, G->year - 1, FISC_SCOPE_ALL);
		if (pa >= 0 && ck_implied_lower(c, pa, c->L[L_CARRY_OUT], &o) && FIG_HAS(o)) {
			*from = pa;
			*implied = 1;
			return o;
		}
	}
	return fig_zero();
}

static void carry_finding(fisc_check_ctx *c, const fisc_rule *r, long g, int scope, fig *in,
			  int in_implied, fig *out, long from, int out_implied)
{
	const rgroup *G = &c->groups[g];
	fisc_fen tol;
	int v = cmp_eq(in, out, &tol);
	fisc_finding *f = ck_emit(c, g, G->year - 1, v, r->severity);
	if (!f)
		return;
	f->scope = scope;
	ck_amounts(c, f, in, out, tol);
	const fisc_region *R = &c->regions[G->region_ix];
	const char *lbl = fisc_region_scope_label(R, scope);
	const char *imp_zh = in_implied || out_implied ? "（下级数由全辖 − 本级推算）" : "";
	const char *imp_en = in_implied || out_implied ? " (lower level implied as whole − this level)" : "";
	ck_message(c, f,
		   fisc_arena_printf(c->w, "%s%s：%d年%s上年结转 %s，%d年结转下年（%s）%s，%s%s%s",
				     lbl, G->book == FISC_BOOK_ALL ? "" : fisc_book_name(G->book),
				     G->year, fisc_phase_name(G->phase), ck_fig(c, in), G->year - 1,
				     fisc_phase_name(c->groups[from].phase), ck_fig(c, out),
				     ck_verdict_zh(v), ck_tail(c, f, 0), imp_zh),
		   fisc_arena_printf(c->w, "%s %s: carry-in of %d (%s) %s, carry-out of %d (%s) %s: %s%s%s",
				     fisc_scope_code(scope), fisc_book_code(G->book), G->year,
				     fisc_phase_code(G->phase), ck_fig(c, in), G->year - 1,
				     fisc_phase_code(c->groups[from].phase), ck_fig(c, out),
				     ck_verdict_en(v), ck_tail(c, f, 1), imp_en));
	if (in_implied) {
		long gs = ck_sibling(c, G, G->year, G->book, G->phase, FISC_SCOPE_SELF);
		ck_add_base(c, f, g, c->L[L_CARRY_IN], 0, "carry-in (whole)");
		ck_add_base(c, f, gs, c->L[L_CARRY_IN], 0, "carry-in (this level)");
	} else {
		ck_add_value(c, f, g, c->L[L_CARRY_IN], 0, "carry-in");
	}
	if (out_implied) {
		const rgroup *P = &c->groups[from];
		long ps = ck_sibling(c, P, P->year, P->book, P->phase, FISC_SCOPE_SELF);
		ck_add_base(c, f, from, c->L[L_CARRY_OUT], 0, "carry-out (whole)");
		ck_add_base(c, f, ps, c->L[L_CARRY_OUT], 0, "carry-out (this level)");
	} else {
		ck_add_value(c, f, from, c->L[L_CARRY_OUT], 0, "carry-out");
	}
}

int fisc_rule_years_carry(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		if (G->book == FISC_BOOK_ALL || G->book == FISC_BOOK_SSF)
			continue;
		long from;
		int implied;
		fig in = ck_value(c, (long)g, c->L[L_CARRY_IN], 0, NULL);
		if (FIG_HAS(in)) {
			fig out = carry_out_before(c, G, G->scope, &from, &implied);
			if (FIG_HAS(out))
				carry_finding(c, r, (long)g, G->scope, &in, 0, &out, from, implied);
		}
		/* The lower level implied by this 全辖 book, when not stated. */
		if (G->scope != FISC_SCOPE_ALL || G->dept)
			continue;
		long gl = ck_sibling(c, G, G->year, G->book, G->phase, FISC_SCOPE_LOWER);
		if (gl >= 0 && FIG_HAS(ck_value(c, gl, c->L[L_CARRY_IN], 0, NULL)))
			continue; /* stated: checked above as its own group */
		fig lin;
		if (!ck_implied_lower(c, (long)g, c->L[L_CARRY_IN], &lin) || !FIG_HAS(lin))
			continue;
		fig out = carry_out_before(c, G, FISC_SCOPE_LOWER, &from, &implied);
		if (FIG_HAS(out))
			carry_finding(c, r, (long)g, FISC_SCOPE_LOWER, &lin, 1, &out, from, implied);
	}
	return FISC_OK;
}

/* ---- social insurance fund balance --------------------------------------- */

int fisc_rule_years_ssf(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		if (G->book != FISC_BOOK_SSF)
			continue;
		fig bal = ck_value(c, (long)g, c->L[L_SSF_BALANCE], 0, NULL);
		long p = ck_closing(c, G, G->year - 1, G->scope);
		fig prev = p >= 0 ? ck_value(c, p, c->L[L_SSF_BALANCE], 0, NULL) : fig_zero();
		if (!FIG_HAS(bal) || !FIG_HAS(prev))
			continue;
		fig sur = ck_value(c, (long)g, c->L[L_SSF_SURPLUS], 0, NULL);
		int from_parts = 0;
		if (!FIG_HAS(sur)) {
			fig inc = ck_base(c, (long)g, c->L[L_INCOME_TOTAL], 0);
			fig exp = ck_base(c, (long)g, c->L[L_EXPENSE_TOTAL], 0);
			if (!FIG_HAS(inc) || !FIG_HAS(exp))
				continue;
			sur = inc;
			fig_sub(&sur, &exp);
			from_parts = 1;
		}
		fig want = prev;
		fig_add(&want, &sur);
		fisc_fen tol;
		int v = cmp_eq(&bal, &want, &tol);
		fisc_finding *f = ck_emit(c, (long)g, G->year - 1, v, r->severity);
		if (!f)
			continue;
		ck_amounts(c, f, &bal, &want, tol);
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%s：年末滚存结余 %s；上年（%s）滚存结余 %s + 当年收支结余 %s = %s，%s%s",
					     ck_where_zh(c, G), ck_fig(c, &bal),
					     fisc_phase_name(c->groups[p].phase), ck_fig(c, &prev),
					     ck_fig(c, &sur), ck_fig(c, &want), ck_verdict_zh(v),
					     ck_tail(c, f, 0)),
			   fisc_arena_printf(c->w, "%s: closing balance %s; balance of %d (%s) %s + surplus %s = %s: %s%s",
					     ck_where_en(c, G), ck_fig(c, &bal), G->year - 1,
					     fisc_phase_code(c->groups[p].phase), ck_fig(c, &prev),
					     ck_fig(c, &sur), ck_fig(c, &want), ck_verdict_en(v),
					     ck_tail(c, f, 1)));
		ck_add_value(c, f, (long)g, c->L[L_SSF_BALANCE], 0, "closing");
		ck_add_value(c, f, p, c->L[L_SSF_BALANCE], 0, "opening");
		if (from_parts) {
			ck_add_base(c, f, (long)g, c->L[L_INCOME_TOTAL], 0, "income");
			ck_add_base(c, f, (long)g, c->L[L_EXPENSE_TOTAL], 0, "expense");
		} else {
			ck_add_value(c, f, (long)g, c->L[L_SSF_SURPLUS], 0, "surplus");
		}
	}
	return FISC_OK;
}

/* ---- budget stabilisation fund ------------------------------------------ */

/*
** Draws after the opening balance. Reports state the 年初余额 after the draw
** that balanced the year's budget (003: 4571, then 年度中动用 887); when the
** draws during the year are stated as a 其中 part of 动用预算稳定调节基金
** (a stated figure with a detail), those are the draws after the opening;
** otherwise every draw of the year is.
*/
static fig draws_after_open(const fisc_check_ctx *c, long g, int *partial)
{
	const rgroup *G = &c->groups[g];
	fig sum = fig_zero();
	*partial = 0;
	for (uint32_t i = G->first; i < G->first + G->nfacts; i++) {
		const rfact *f = &c->facts[i];
		if (ck_prov(c, f)->kind == FISC_FACT_STATED && f->dsig &&
		    f->item == c->L[L_STAB_DRAW] && ck_prov(c, f)->has_amount) {
			fig x = ck_fact_fig(c, f);
			fig_add(&sum, &x);
			*partial = 1;
		}
	}
	return *partial ? sum : ck_base(c, g, c->L[L_STAB_DRAW], 0);
}

static void add_partial_draws(fisc_check_ctx *c, fisc_finding *f, long g)
{
	const rgroup *G = &c->groups[g];
	for (uint32_t i = G->first; i < G->first + G->nfacts; i++) {
		const rfact *x = &c->facts[i];
		if (ck_prov(c, x)->kind == FISC_FACT_STATED && x->dsig && x->item == c->L[L_STAB_DRAW])
			ck_add_fact(c, f, i, "draw");
	}
}

int fisc_rule_years_stab(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		fig close = ck_value(c, (long)g, c->L[L_STAB_CLOSE], 0, NULL);
		if (!FIG_HAS(close))
			continue;
		int budget = G->phase == FISC_PHASE_BUDGET || G->phase == FISC_PHASE_ADJUSTED;
		/*
		** Three readings, by what is stored:
		**  A. g has its own opening: opening + fills − draws after it (g).
		**  B. a budget of Y whose opening is last year's: the balance after
		**     this budget's draw = opening(Y−1) + fills(Y−1) − draws after
		**     the opening (Y−1) − draw(Y). Seed 003: 4571 + 98506 − 887 −
		**     98764 = 3426.
		**  C. otherwise: closing(Y−1) + fills(Y) − draws(Y).
		*/
		long og = (long)g, fg = (long)g;
		uint32_t open_node = c->L[L_STAB_OPEN];
		int later_draw = 0, partial = 0;
		fig open = ck_value(c, og, open_node, 0, NULL), draw;
		if (FIG_HAS(open)) {
			draw = draws_after_open(c, fg, &partial);
		} else {
			og = ck_closing(c, G, G->year - 1, G->scope);
			if (og < 0)
				continue;
			open = ck_value(c, og, open_node, 0, NULL);
			if (budget && FIG_HAS(open)) {
				fg = og;
				later_draw = 1;
				draw = draws_after_open(c, fg, &partial);
			} else {
				open_node = c->L[L_STAB_CLOSE];
				open = ck_value(c, og, open_node, 0, NULL);
				if (!FIG_HAS(open))
					continue;
				draw = ck_base(c, fg, c->L[L_STAB_DRAW], 0);
			}
		}
		long opening_group = og;
		fig fill = ck_base(c, fg, c->L[L_STAB_FILL], 0);
		fig want = open;
		fig_add(&want, &fill);
		fig_sub(&want, &draw);
		fig next_draw = fig_zero();
		if (later_draw) {
			next_draw = ck_base(c, (long)g, c->L[L_STAB_DRAW], 0);
			fig_sub(&want, &next_draw);
		}
		fisc_fen tol;
		int v = cmp_eq(&close, &want, &tol);
		const rgroup *OG = &c->groups[opening_group];
		fisc_finding *f = ck_emit(c, (long)g, OG->year != G->year ? OG->year : 0, v,
					  r->severity);
		if (!f)
			continue;
		ck_amounts(c, f, &close, &want, tol);
		const char *nd_zh = later_draw ? fisc_arena_printf(c->w, " − %d年%s动用 %s", G->year,
								   fisc_phase_name(G->phase),
								   ck_fig(c, &next_draw))
					       : "";
		const char *nd_en = later_draw ? fisc_arena_printf(c->w, " − draw of %d (%s) %s", G->year,
								   fisc_phase_code(G->phase),
								   ck_fig(c, &next_draw))
					       : "";
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%s：预算稳定调节基金余额 %s；%d年%s %s + 补充 %s − %s %s%s = %s，%s%s",
					     ck_where_zh(c, G), ck_fig(c, &close), OG->year,
					     open_node == c->L[L_STAB_OPEN] ? "年初余额" : "年末余额",
					     ck_fig(c, &open), ck_fig(c, &fill),
					     partial ? "年度中动用" : "动用", ck_fig(c, &draw), nd_zh,
					     ck_fig(c, &want), ck_verdict_zh(v), ck_tail(c, f, 0)),
			   fisc_arena_printf(c->w, "%s: stabilisation fund balance %s; %s of %d %s + filled %s − %s %s%s = %s: %s%s",
					     ck_where_en(c, G), ck_fig(c, &close),
					     open_node == c->L[L_STAB_OPEN] ? "opening" : "closing",
					     OG->year, ck_fig(c, &open), ck_fig(c, &fill),
					     partial ? "drawn during the year" : "drawn", ck_fig(c, &draw),
					     nd_en, ck_fig(c, &want), ck_verdict_en(v), ck_tail(c, f, 1)));
		ck_add_value(c, f, (long)g, c->L[L_STAB_CLOSE], 0, "closing");
		ck_add_value(c, f, opening_group, open_node, 0, "opening");
		ck_add_base(c, f, fg, c->L[L_STAB_FILL], 0, "fill");
		if (partial)
			add_partial_draws(c, f, fg);
		else
			ck_add_base(c, f, fg, c->L[L_STAB_DRAW], 0, "draw");
		if (later_draw)
			ck_add_base(c, f, (long)g, c->L[L_STAB_DRAW], 0, "draw");
	}
	return FISC_OK;
}

/* ---- debt ----------------------------------------------------------------- */

int fisc_rule_years_debt(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		if (G->phase != FISC_PHASE_EXECUTION && G->phase != FISC_PHASE_FINAL)
			continue;
		if (G->book != FISC_BOOK_ALL && G->book != FISC_BOOK_GPB && G->book != FISC_BOOK_GFB)
			continue;
		fig bal = ck_debt_value(c, (long)g, c->L[L_DEBT_BALANCE]);
		long p = ck_closing(c, G, G->year - 1, G->scope);
		fig open = ck_debt_value(c, p, c->L[L_DEBT_BALANCE]);
		fig iss = ck_debt_value(c, (long)g, c->L[L_DEBT_ISSUE]);
		fig rep = ck_debt_value(c, (long)g, c->L[L_DEBT_PRINCIPAL]);
		if (!FIG_HAS(bal) || !FIG_HAS(open) || !FIG_HAS(iss) || !FIG_HAS(rep))
			continue;
		fig want = open;
		fig_add(&want, &iss);
		fig_sub(&want, &rep);
		fisc_fen tol;
		int v = cmp_eq(&bal, &want, &tol);
		fisc_finding *f = ck_emit(c, (long)g, G->year - 1, v, r->severity);
		if (!f)
			continue;
		ck_amounts(c, f, &bal, &want, tol);
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%s：年末债务余额 %s；上年末余额 %s + 发行 %s − 还本 %s = %s，%s%s",
					     ck_where_zh(c, G), ck_fig(c, &bal), ck_fig(c, &open),
					     ck_fig(c, &iss), ck_fig(c, &rep), ck_fig(c, &want),
					     ck_verdict_zh(v), ck_tail(c, f, 0)),
			   fisc_arena_printf(c->w, "%s: closing debt %s; opening %s + issued %s − repaid %s = %s: %s%s",
					     ck_where_en(c, G), ck_fig(c, &bal), ck_fig(c, &open),
					     ck_fig(c, &iss), ck_fig(c, &rep), ck_fig(c, &want),
					     ck_verdict_en(v), ck_tail(c, f, 1)));
		ck_add_value(c, f, (long)g, c->L[L_DEBT_BALANCE], 0, "closing");
		ck_add_value(c, f, p, c->L[L_DEBT_BALANCE], 0, "opening");
		ck_add_value(c, f, (long)g, c->L[L_DEBT_ISSUE], 0, "issued");
		ck_add_value(c, f, (long)g, c->L[L_DEBT_PRINCIPAL], 0, "repaid");
	}
	return FISC_OK;
}
