/*
** r_links.c — rules that tie books and levels together (issue 3 §2, §3):
** what the books 调出 equals what they 调入; 全辖 = 本级 + 下级 with the
** transfers between the two levels eliminated, so that the 下级 book implied
** by 全辖 − 本级 must balance (seed 003 does, to the 万元).
*/
#include <string.h>
#include "rules/engine.h"

/* Base facts under both totals; the index works it out once per group
** (GF_BALANCE), as the level rules ask for every line. */
int ck_is_balance_book(const fisc_check_ctx *c, long g)
{
	return g >= 0 && (c->groups[g].flags & GF_BALANCE);
}

size_t ck_consolidation_lines(const fisc_check_ctx *c, int income, uint32_t *out, size_t cap)
{
	size_t n = 0;
	uint32_t own = c->L[income ? L_OWN_REV : L_OWN_EXP];
	uint32_t xfer = c->L[income ? L_XFER_IN_TOTAL : L_XFER_OUT_TOTAL];
	if (n < cap && ck_line(c, own))
		out[n++] = own;
	for (size_t i = 0; i < c->nlines && n < cap; i++)
		if (c->lines[i].parent == xfer)
			out[n++] = c->lines[i].id;
	return n;
}

/*
** 全辖 = 本级 + 下级 − what passes between them. 本级's 补助下级支出 is the
** 下级's 上级补助收入 from it, 下级's 上解支出 is 本级's 下级上解收入, so
**   下级 上级补助 = 全辖 − 本级 + 本级 补助下级
**   下级 上解     = 全辖 − 本级 + 本级 下级上解
**   下级 补助下级 / 下级上解 = 全辖's (本级's never leave the region)
**   any other line = 全辖 − 本级.
*/
int ck_implied_lower(const fisc_check_ctx *c, long ga, uint32_t line, fig *out)
{
	if (ga < 0 || c->groups[ga].scope != FISC_SCOPE_ALL || !ck_is_balance_book(c, ga))
		return 0;
	const rgroup *A = &c->groups[ga];
	long gs = ck_sibling(c, A, A->year, A->book, A->phase, FISC_SCOPE_SELF);
	if (!ck_is_balance_book(c, gs))
		return 0;
	fig a = ck_base(c, ga, line, 0);
	if (line == c->L[L_LOWER_REMIT] || line == c->L[L_SUBSIDY_LOWER]) {
		*out = a;
		return 1;
	}
	fig s = ck_base(c, gs, line, 0);
	*out = a;
	fig_sub(out, &s);
	if (line == c->L[L_UPPER_SUBSIDY]) {
		fig e = ck_base(c, gs, c->L[L_SUBSIDY_LOWER], 0);
		fig_add(out, &e);
	} else if (line == c->L[L_REMIT_UP]) {
		fig e = ck_base(c, gs, c->L[L_LOWER_REMIT], 0);
		fig_add(out, &e);
	}
	return 1;
}

/* The facts an implied lower-level line rests on. */
static void add_implied_facts(fisc_check_ctx *c, fisc_finding *f, long ga, uint32_t line)
{
	const rgroup *A = &c->groups[ga];
	long gs = ck_sibling(c, A, A->year, A->book, A->phase, FISC_SCOPE_SELF);
	ck_add_base(c, f, ga, line, 0, "whole");
	if (line == c->L[L_LOWER_REMIT] || line == c->L[L_SUBSIDY_LOWER])
		return;
	ck_add_base(c, f, gs, line, 0, "this-level");
	if (line == c->L[L_UPPER_SUBSIDY])
		ck_add_base(c, f, gs, c->L[L_SUBSIDY_LOWER], 0, "eliminated");
	else if (line == c->L[L_REMIT_UP])
		ck_add_base(c, f, gs, c->L[L_LOWER_REMIT], 0, "eliminated");
}

/* ---- between books ------------------------------------------------------ */

static const char *const book_en[] = {"all", "GPB", "GFB", "SOE", "SSF"};

int fisc_rule_books_transfer(fisc_check_ctx *c, const fisc_rule *r)
{
	/* Every (region, year, phase, scope) once: from its first book's group. */
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		if (G->dept || G->book == FISC_BOOK_ALL)
			continue;
		long books[5] = {-1, -1, -1, -1, -1};
		int first = 1;
		for (int b = FISC_BOOK_GPB; b <= FISC_BOOK_SSF; b++) {
			books[b] = ck_sibling(c, G, G->year, b, G->phase, G->scope);
			if (books[b] >= 0 && books[b] < (long)g)
				first = 0;
		}
		if (!first)
			continue;
		fig in = fig_zero(), out = fig_zero(), bi[5], bo[5];
		for (int b = FISC_BOOK_GPB; b <= FISC_BOOK_SSF; b++) {
			if (books[b] < 0)
				continue;
			bi[b] = ck_value(c, books[b], c->L[L_TRANSFER_IN], 0, NULL);
			bo[b] = ck_value(c, books[b], c->L[L_TRANSFER_OUT], 0, NULL);
			if (FIG_HAS(bi[b]))
				fig_add(&in, &bi[b]);
			if (FIG_HAS(bo[b]))
				fig_add(&out, &bo[b]);
		}
		if (!FIG_HAS(in) || !FIG_HAS(out))
			continue; /* only when both sides are stated */
		fisc_fen tol;
		int v = cmp_eq(&out, &in, &tol);
		fisc_finding *f = ck_emit(c, (long)g, 0, v, r->severity);
		if (!f)
			continue;
		/* The books' figures in words, only for a check that is reported. */
		const char *lz = "", *le = "";
		for (int b = FISC_BOOK_GPB; b <= FISC_BOOK_SSF; b++) {
			if (books[b] < 0)
				continue;
			if (FIG_HAS(bi[b])) {
				lz = fisc_arena_printf(c->w, "%s%s%s调入 %s", lz, *lz ? "，" : "",
						       fisc_book_name(b), ck_fig(c, &bi[b]));
				le = fisc_arena_printf(c->w, "%s%s%s in %s", le, *le ? ", " : "",
						       book_en[b], ck_fig(c, &bi[b]));
			}
			if (FIG_HAS(bo[b])) {
				lz = fisc_arena_printf(c->w, "%s%s%s调出 %s", lz, *lz ? "，" : "",
						       fisc_book_name(b), ck_fig(c, &bo[b]));
				le = fisc_arena_printf(c->w, "%s%s%s out %s", le, *le ? ", " : "",
						       book_en[b], ck_fig(c, &bo[b]));
			}
		}
		f->book = -1;
		ck_amounts(c, f, &out, &in, tol);
		const fisc_region *R = &c->regions[G->region_ix];
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%d年%s（%s）各本预算：调出资金合计 %s，调入资金合计 %s（%s），%s%s",
					     G->year, fisc_region_scope_label(R, G->scope),
					     fisc_phase_name(G->phase), ck_fig(c, &out), ck_fig(c, &in), lz,
					     ck_verdict_zh(v), ck_tail(c, f, 0)),
			   fisc_arena_printf(c->w, "%d %s (%s), all books: transfers out %s, transfers in %s (%s): %s%s",
					     G->year, fisc_scope_code(G->scope), fisc_phase_code(G->phase),
					     ck_fig(c, &out), ck_fig(c, &in), le, ck_verdict_en(v),
					     ck_tail(c, f, 1)));
		for (int b = FISC_BOOK_GPB; b <= FISC_BOOK_SSF; b++) {
			if (books[b] < 0)
				continue;
			if (FIG_HAS(ck_value(c, books[b], c->L[L_TRANSFER_OUT], 0, NULL)))
				ck_add_value(c, f, books[b], c->L[L_TRANSFER_OUT], 0, "out");
			if (FIG_HAS(ck_value(c, books[b], c->L[L_TRANSFER_IN], 0, NULL)))
				ck_add_value(c, f, books[b], c->L[L_TRANSFER_IN], 0, "in");
		}
	}
	return FISC_OK;
}

/* ---- between levels ----------------------------------------------------- */

/* The 全辖 groups that have a 本级 sibling to consolidate against. */
static int consolidable(const fisc_check_ctx *c, size_t g)
{
	const rgroup *G = &c->groups[g];
	return G->scope == FISC_SCOPE_ALL && !G->dept && G->book >= FISC_BOOK_GPB &&
	       G->book <= FISC_BOOK_SOE && ck_is_balance_book(c, (long)g) &&
	       ck_is_balance_book(c, ck_sibling(c, G, G->year, G->book, G->phase, FISC_SCOPE_SELF));
}

/* Lines of both sides, income first; *nin gets how many are income lines. */
static size_t both_sides(const fisc_check_ctx *c, uint32_t *v, size_t cap, size_t *nin)
{
	*nin = ck_consolidation_lines(c, 1, v, cap);
	return *nin + ck_consolidation_lines(c, 0, v + *nin, cap - *nin);
}

int fisc_rule_levels_balance(fisc_check_ctx *c, const fisc_rule *r)
{
	uint32_t lines[64];
	size_t nin, n = both_sides(c, lines, 64, &nin);
	for (size_t g = 0; g < c->ngroups; g++) {
		if (!consolidable(c, g))
			continue;
		const rgroup *G = &c->groups[g];
		const fisc_region *R = &c->regions[G->region_ix];
		fig in = fig_zero(), out = fig_zero(), x[64];
		int has[64];
		for (size_t k = 0; k < n; k++) {
			has[k] = ck_implied_lower(c, (long)g, lines[k], &x[k]) && FIG_HAS(x[k]);
			if (has[k])
				fig_add(k < nin ? &in : &out, &x[k]);
		}
		if (!FIG_HAS(in) && !FIG_HAS(out))
			continue;
		fisc_fen tol;
		int v = cmp_eq(&in, &out, &tol);
		fisc_finding *f = ck_emit(c, (long)g, 0, v, r->severity);
		if (!f)
			continue;
		/* The lines in words, only for a check that is reported. */
		const char *pz[2] = {"", ""}, *pe[2] = {"", ""};
		for (size_t k = 0; k < n; k++) {
			if (!has[k] || x[k].fen == 0)
				continue;
			int side = k < nin ? 0 : 1;
			const char *nm = ck_item_name(c, G, lines[k]);
			pz[side] = fisc_arena_printf(c->w, "%s%s%s %s", pz[side], *pz[side] ? "、" : "",
						     nm, ck_fig(c, &x[k]));
			pe[side] = fisc_arena_printf(c->w, "%s%s%s %s", pe[side], *pe[side] ? ", " : "",
						     ck_str(c, lines[k]), ck_fig(c, &x[k]));
		}
		f->scope = FISC_SCOPE_LOWER;
		ck_amounts(c, f, &in, &out, tol);
		const char *lower = fisc_region_scope_label(R, FISC_SCOPE_LOWER);
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%d年%s%s（%s，由%s − %s推算）：收入 %s（%s），支出 %s（%s），%s%s",
					     G->year, lower, fisc_book_name(G->book), fisc_phase_name(G->phase),
					     fisc_region_scope_label(R, FISC_SCOPE_ALL),
					     fisc_region_scope_label(R, FISC_SCOPE_SELF), ck_fig(c, &in),
					     *pz[0] ? pz[0] : "无", ck_fig(c, &out), *pz[1] ? pz[1] : "无",
					     v == FISC_VERDICT_FAILED ? "收支不平衡" : ck_verdict_zh(v),
					     ck_tail(c, f, 0)),
			   fisc_arena_printf(c->w, "%d lower level (%s) %s (%s), implied as whole − this level: income %s (%s), expenditure %s (%s): %s%s",
					     G->year, lower, book_en[G->book], fisc_phase_code(G->phase),
					     ck_fig(c, &in), *pe[0] ? pe[0] : "none", ck_fig(c, &out),
					     *pe[1] ? pe[1] : "none",
					     v == FISC_VERDICT_FAILED ? "the implied book does not balance"
								      : ck_verdict_en(v),
					     ck_tail(c, f, 1)));
		for (size_t k = 0; k < n; k++)
			if (has[k] && x[k].fen != 0)
				add_implied_facts(c, f, (long)g, lines[k]);
	}
	return FISC_OK;
}

int fisc_rule_levels_lower(fisc_check_ctx *c, const fisc_rule *r)
{
	uint32_t lines[64];
	size_t nin, n = both_sides(c, lines, 64, &nin);
	for (size_t g = 0; g < c->ngroups; g++) {
		if (!consolidable(c, g))
			continue;
		const rgroup *G = &c->groups[g];
		long gl = ck_sibling(c, G, G->year, G->book, G->phase, FISC_SCOPE_LOWER);
		if (gl < 0)
			continue;
		for (size_t k = 0; k < n; k++) {
			uint32_t line = lines[k];
			/* A 全辖 section composed of the levels proves nothing here. */
			if ((line == c->L[L_OWN_REV] && (G->flags & GF_COMPOSE_REV)) ||
			    (line == c->L[L_OWN_EXP] && (G->flags & GF_COMPOSE_EXP)))
				continue;
			fig e = ck_value(c, gl, line, 0, NULL), x;
			if (!FIG_HAS(e) || !FIG_HAS(ck_base(c, (long)g, line, 0)) ||
			    !ck_implied_lower(c, (long)g, line, &x))
				continue;
			fisc_fen tol;
			int v = cmp_eq(&e, &x, &tol);
			fisc_finding *f = ck_emit(c, gl, 0, v, r->severity);
			if (!f)
				continue;
			ck_amounts(c, f, &e, &x, tol);
			const char *nm = ck_item_name(c, G, line);
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%s：%s %s，由全辖 − 本级推算为 %s，%s%s",
						     ck_where_zh(c, &c->groups[gl]), nm, ck_fig(c, &e),
						     ck_fig(c, &x), ck_verdict_zh(v), ck_tail(c, f, 0)),
				   fisc_arena_printf(c->w, "%s: %s is %s; whole − this level gives %s: %s%s",
						     ck_where_en(c, &c->groups[gl]), ck_str(c, line),
						     ck_fig(c, &e), ck_fig(c, &x), ck_verdict_en(v),
						     ck_tail(c, f, 1)));
			ck_add_value(c, f, gl, line, 0, "lower");
			add_implied_facts(c, f, (long)g, line);
		}
	}
	return FISC_OK;
}

int fisc_rule_levels_negative(fisc_check_ctx *c, const fisc_rule *r)
{
	uint32_t lines[64];
	size_t nin, n = both_sides(c, lines, 64, &nin);
	(void)nin;
	for (size_t g = 0; g < c->ngroups; g++) {
		if (!consolidable(c, g))
			continue;
		const rgroup *G = &c->groups[g];
		const fisc_region *R = &c->regions[G->region_ix];
		for (size_t k = 0; k < n; k++) {
			fig x, zero = fig_zero();
			if (!ck_implied_lower(c, (long)g, lines[k], &x) || !FIG_HAS(x))
				continue;
			fisc_fen tol;
			int v = cmp_le(&zero, &x, &tol);
			fisc_finding *f = ck_emit(c, (long)g, 0, v, r->severity);
			if (!f)
				continue;
			f->scope = FISC_SCOPE_LOWER;
			ck_amounts(c, f, &x, NULL, tol);
			const char *nm = ck_item_name(c, G, lines[k]);
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%d年%s%s（%s）：%s 由%s − %s推算为 %s，%s",
						     G->year, fisc_region_scope_label(R, FISC_SCOPE_LOWER),
						     fisc_book_name(G->book), fisc_phase_name(G->phase), nm,
						     fisc_region_scope_label(R, FISC_SCOPE_ALL),
						     fisc_region_scope_label(R, FISC_SCOPE_SELF), ck_fig(c, &x),
						     v == FISC_VERDICT_FAILED ? "为负数：本级数大于全辖数"
									      : "不为负"),
				   fisc_arena_printf(c->w, "%d lower level %s (%s): %s implied as whole − this level is %s%s",
						     G->year, book_en[G->book], fisc_phase_code(G->phase),
						     ck_str(c, lines[k]), ck_fig(c, &x),
						     v == FISC_VERDICT_FAILED
							     ? ", negative: this level exceeds the whole region"
							     : ""));
			add_implied_facts(c, f, (long)g, lines[k]);
		}
	}
	return FISC_OK;
}
