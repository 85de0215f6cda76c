/*
** r_law.c — what the Budget Law (预算法) requires of the figures (issue 3
** §6): the reserve fund (预备费) is 1%–3% of the level's general public
** expenditure (Art. 40); money is 调入 only in allowed directions (the fund
** and state-capital books pay into the general budget); no book but the
** general one closes in deficit.
*/
#include "rules/engine.h"

int fisc_rule_law_reserve(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		if (G->book != FISC_BOOK_GPB || G->dept)
			continue;
		uint32_t node = c->cats[G->cat].reserve;
		fig res = ck_value(c, (long)g, node, 0, NULL);
		fig exp = ck_value(c, (long)g, c->L[L_OWN_EXP], 0, NULL);
		if (!FIG_HAS(res) || !FIG_HAS(exp) || exp.fen <= 0)
			continue;
		int v = cmp_ratio(&res, &exp, 100, 300);
		/* Art. 40 governs the budget; in execution the 预备费 line is often
		** the amount used, which may well be lower: only worth knowing. */
		int budget = G->phase == FISC_PHASE_BUDGET || G->phase == FISC_PHASE_ADJUSTED;
		fisc_finding *f = ck_emit(c, (long)g, 0, v, budget ? r->severity : FISC_SEV_INFO);
		if (!f)
			continue;
		ck_amounts(c, f, &res, &exp, 0);
		f->difference = 0;
		f->percent = fisc_arena_strdup(c->a, ck_percent(c, res.fen, exp.fen));
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%s：预备费 %s，占本级一般公共预算支出 %s 的 %s，%s（预算法第四十条：1%%–3%%）",
					     ck_where_zh(c, G), ck_fig(c, &res), ck_fig(c, &exp), f->percent,
					     v == FISC_VERDICT_FAILED ? "不在规定比例内"
					     : v == FISC_VERDICT_EXACT ? "在规定比例内"
								       : "仅在舍入误差内处于规定比例"),
			   fisc_arena_printf(c->w, "%s: reserve fund %s is %s of general public expenditure %s: %s (Budget Law art. 40: 1%%–3%%)",
					     ck_where_en(c, G), ck_fig(c, &res), f->percent, ck_fig(c, &exp),
					     v == FISC_VERDICT_FAILED ? "outside the range"
					     : v == FISC_VERDICT_EXACT ? "within the range"
								       : "within the range only thanks to rounding"));
		ck_add_value(c, f, (long)g, node, 0, "reserve");
		ck_add_value(c, f, (long)g, c->L[L_OWN_EXP], 0, "expenditure");
	}
	return FISC_OK;
}

/* A positive figure of `line` in group g (-1: none). */
static int positive(const fisc_check_ctx *c, long g, uint32_t line, fig *out)
{
	*out = g >= 0 ? ck_value(c, g, line, 0, NULL) : fig_zero();
	return FIG_HAS(*out) && out->fen > 0;
}

int fisc_rule_law_transfer(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		if (G->dept || G->book == FISC_BOOK_ALL)
			continue;
		fig x, gpb_out;
		long gpb = ck_sibling(c, G, G->year, FISC_BOOK_GPB, G->phase, G->scope);
		int gpb_pays = positive(c, gpb, c->L[L_TRANSFER_OUT], &gpb_out);
		int wrong;
		if (G->book == FISC_BOOK_GPB) {
			/* The normal direction (into GPB) is a check that holds. */
			fig in = fig_zero();
			if (!gpb_pays && !positive(c, (long)g, c->L[L_TRANSFER_IN], &in))
				continue;
			wrong = gpb_pays;
			x = gpb_pays ? gpb_out : in;
		} else {
			/* Reported once, with GPB's 调出, when GPB pays out. */
			if (gpb_pays || !positive(c, (long)g, c->L[L_TRANSFER_IN], &x))
				continue;
			wrong = 1;
		}
		fisc_finding *f = ck_emit(c, (long)g, 0,
					  wrong ? FISC_VERDICT_FAILED : FISC_VERDICT_EXACT, r->severity);
		if (!f)
			continue;
		ck_amounts(c, f, &x, NULL, 0);
		const char *to_zh = "", *to_en = "";
		for (int b = FISC_BOOK_GFB; b <= FISC_BOOK_SSF; b++) {
			fig in;
			long s = ck_sibling(c, G, G->year, b, G->phase, G->scope);
			if (!positive(c, s, c->L[L_TRANSFER_IN], &in))
				continue;
			to_zh = fisc_arena_printf(c->w, "%s%s%s调入 %s", to_zh, *to_zh ? "，" : "",
						  fisc_book_name(b), ck_fig(c, &in));
			to_en = fisc_arena_printf(c->w, "%s%s%s in %s", to_en, *to_en ? ", " : "",
						  fisc_book_code(b), ck_fig(c, &in));
			ck_add_value(c, f, s, c->L[L_TRANSFER_IN], 0, "in");
		}
		if (!wrong)
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%s：调入资金 %s，来自其他预算调入一般公共预算，方向符合规定",
						     ck_where_zh(c, G), ck_fig(c, &x)),
				   fisc_arena_printf(c->w, "%s: %s transferred into the general budget, an allowed direction",
						     ck_where_en(c, G), ck_fig(c, &x)));
		else if (G->book == FISC_BOOK_GPB)
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%s：一般公共预算调出资金 %s%s%s%s；资金应由政府性基金、国有资本经营预算调入一般公共预算，反向调出需有依据",
						     ck_where_zh(c, G), ck_fig(c, &gpb_out),
						     *to_zh ? "（" : "", to_zh, *to_zh ? "）" : ""),
				   fisc_arena_printf(c->w, "%s: the general budget transfers %s out%s%s%s; money should flow from the fund and state-capital books into the general budget, not the other way",
						     ck_where_en(c, G), ck_fig(c, &gpb_out),
						     *to_en ? " (" : "", to_en, *to_en ? ")" : ""));
		else
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%s：调入资金 %s；只有一般公共预算应调入其他预算的资金",
						     ck_where_zh(c, G), ck_fig(c, &x)),
				   fisc_arena_printf(c->w, "%s: %s transferred in; only the general budget should receive transfers from other books",
						     ck_where_en(c, G), ck_fig(c, &x)));
		if (G->book == FISC_BOOK_GPB) {
			if (gpb_pays)
				ck_add_value(c, f, (long)g, c->L[L_TRANSFER_OUT], 0, "out");
			else
				ck_add_value(c, f, (long)g, c->L[L_TRANSFER_IN], 0, "in");
		}
	}
	return FISC_OK;
}

int fisc_rule_law_deficit(fisc_check_ctx *c, const fisc_rule *r)
{
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		uint32_t node;
		if (G->book == FISC_BOOK_GFB || G->book == FISC_BOOK_SOE)
			node = c->L[L_CARRY_OUT];
		else if (G->book == FISC_BOOK_SSF)
			node = c->L[L_SSF_BALANCE];
		else
			continue;
		fig close = ck_value(c, (long)g, node, 0, NULL), zero = fig_zero();
		if (!FIG_HAS(close))
			continue;
		fisc_fen tol;
		int v = cmp_le(&zero, &close, &tol);
		fisc_finding *f = ck_emit(c, (long)g, 0, v, r->severity);
		if (!f)
			continue;
		ck_amounts(c, f, &close, NULL, tol);
		const char *nm = ck_item_name(c, G, node);
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%s：%s %s，%s", ck_where_zh(c, G), nm, ck_fig(c, &close),
					     v == FISC_VERDICT_FAILED
						     ? "出现赤字；一般公共预算以外的预算不得列赤字"
						     : "未列赤字"),
			   fisc_arena_printf(c->w, "%s: %s %s%s", ck_where_en(c, G), ck_str(c, node),
					     ck_fig(c, &close),
					     v == FISC_VERDICT_FAILED
						     ? ": a deficit, which no book but the general budget may run"
						     : ": no deficit"));
		ck_add_value(c, f, (long)g, node, 0, "closing");
	}
	return FISC_OK;
}
