/*
** r_precision.c — precision and units (issue 3 §8). Intervals are built into
** every comparison (engine.c); what is left is a figure written in the wrong
** unit: "2.29 元" in a list of 亿元 figures (seed 000, 社会保障和就业支出).
**
** A list is the figures of one book that share the node above them (the
** classes under 一般公共预算支出, the items under 上级补助收入) and come from
** the same source file. A figure that alone is written in a unit 10,000
** times smaller or larger than at least three siblings, and whose magnitude
** the other unit would bring in line with theirs (8.57亿元 restating 85655万元
** among 万元 figures is fine; 2.29元 among 4.4亿元, 6.5亿元 … is not), is
** reported. It is a
** warning, not an error: the rule cannot prove which unit was meant, but a
** published figure off by a factor of 10^4 or 10^8 must be corrected, and it
** shows what the figure would be in the list's unit.
*/
#include <stdlib.h>
#include <string.h>
#include "rules/engine.h"

/* Decimal digits of |v| (0 for 0). */
static int magnitude(fisc_fen v)
{
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	int d = 0;
	while (u) {
		u /= 10;
		d++;
	}
	return d;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Median magnitude of the list's figures other than m. */
static int sibling_magnitude(const fisc_check_ctx *c, uint32_t head, const uint32_t *next,
			     uint32_t m)
{
	int mags[64], n = 0;
	for (uint32_t o = head; o != UINT32_MAX && n < 64; o = next[o])
		if (o != m && c->facts[o].fen != 0)
			mags[n++] = magnitude(c->facts[o].fen);
	if (!n)
		return 0;
	qsort(mags, (size_t)n, sizeof *mags, cmp_int);
	return mags[n / 2];
}

typedef struct ulist {
	uint32_t votes[3];
	uint32_t n;
	uint32_t head, tail;
} ulist;

static uint32_t file_of(fisc_check_ctx *c, const char *source)
{
	const char *colon = strrchr(source, ':');
	size_t n = colon ? (size_t)(colon - source) : strlen(source);
	return ck_intern(c, fisc_arena_strndup(c->w, source, n));
}

int fisc_rule_precision_unit(fisc_check_ctx *c, const fisc_rule *r)
{
	/* next[] links the facts of a list; lists[] is reused group after group. */
	uint32_t *next = malloc((c->nfacts + 1) * sizeof *next);
	ulist *lists = NULL;
	size_t caplists = 0;
	if (!next)
		return FISC_ENOMEM;
	int rc = FISC_OK;
	for (size_t g = 0; g < c->ngroups && rc == FISC_OK; g++) {
		const rgroup *G = &c->groups[g];
		k3map ix = {0};
		uint32_t nlists = 0;
		if (G->nfacts + 1 > caplists) {
			ulist *nl = realloc(lists, (G->nfacts + 1) * sizeof *nl);
			if (!nl) {
				rc = FISC_ENOMEM;
				break;
			}
			lists = nl;
			caplists = G->nfacts + 1;
		}
		for (uint32_t k = 0; k < G->nfacts; k++) {
			const rfact *x = &c->facts[G->first + k];
			const rprov *p = ck_prov(c, x);
			uint32_t n;
			const uint32_t *anc = ck_anc(c, x, &n);
			if (!p->has_amount || p->unit < 0 || p->unit > 2 || n < 2 || !p->source)
				continue;
			int created;
			uint32_t *v = k3_upsert(&ix, anc[1], file_of(c, ck_str(c, p->source)), 0, nlists,
						&created);
			if (!v || c->rc) {
				rc = FISC_ENOMEM;
				break;
			}
			ulist *L = &lists[*v];
			if (created) {
				memset(L, 0, sizeof *L);
				L->head = UINT32_MAX;
				nlists++;
			}
			uint32_t i = G->first + k;
			next[i] = UINT32_MAX;
			if (L->head == UINT32_MAX)
				L->head = i;
			else
				next[L->tail] = i;
			L->tail = i;
			L->votes[p->unit]++;
			L->n++;
		}
		for (uint32_t li = 0; li < nlists && rc == FISC_OK; li++) {
			const ulist *L = &lists[li];
			if (L->n < 4)
				continue;
			int U = 0;
			for (int u = 1; u < 3; u++)
				if (L->votes[u] > L->votes[U])
					U = u;
			if (L->votes[U] < 3)
				continue;
			int outliers = 0;
			for (uint32_t m = L->head; m != UINT32_MAX; m = next[m]) {
				const rfact *x = &c->facts[m];
				fisc_amount am = ck_amount(c, x);
				int u = am.unit;
				fisc_fen fu = fisc_unit_fen((fisc_unit)u), fU = fisc_unit_fen((fisc_unit)U);
				fisc_fen big = fu > fU ? fu : fU, small = fu > fU ? fU : fu;
				if (u == U || L->votes[u] != 1 || big / small < 10000)
					continue;
				__int128 alt = (__int128)am.fen * fU / fu;
				if (alt > INT64_MAX || alt < INT64_MIN || am.fen == 0)
					continue;
				int sm = sibling_magnitude(c, L->head, next, m);
				int d1 = abs(magnitude(am.fen) - sm);
				int d2 = abs(magnitude((fisc_fen)alt) - sm);
				if (!sm || d1 < 3 || d2 >= d1)
					continue; /* in line with its siblings as written */
				outliers++;
				fisc_finding *f = ck_emit(c, (long)g, 0, FISC_VERDICT_FAILED, r->severity);
				if (!f)
					continue;
				fig st = ck_fact_fig(c, x), as = fig_zero();
				as.fen = (fisc_fen)alt;
				as.nhas = as.n = 1;
				as.votes[U] = 1;
				ck_amounts(c, f, &st, &as, 0);
				f->difference = 0;
				f->unit = U;
				char written[80];
				fisc_amount_format(&am, FISC_FMT_UNIT, written, sizeof written);
				const char *nm = ck_item_name(c, G, x->item);
				const char *file = ck_str(c, file_of(c, ck_str(c, ck_prov(c, x)->source)));
				const char *alt_txt = ck_amt(c, (fisc_fen)alt, U);
				ck_message(c, f,
					   fisc_arena_printf(c->w, "%s：%s 写作「%s」，而同一列表（%s，共 %u 项）中其余 %u 项以%s为单位；疑为单位漏写或错写，按%s应为 %s",
							     ck_where_zh(c, G), nm, written, file, L->n,
							     L->votes[U], fisc_unit_name((fisc_unit)U),
							     fisc_unit_name((fisc_unit)U), alt_txt),
					   fisc_arena_printf(c->w, "%s: %s is written '%s' while %u of the %u figures of the same list (%s) are in %s: probably a missing or wrong unit, %s",
							     ck_where_en(c, G), ck_str(c, x->item), written,
							     L->votes[U], L->n, file, fisc_unit_name((fisc_unit)U),
							     alt_txt));
				ck_add_fact(c, f, m, "figure");
				for (uint32_t o = L->head; o != UINT32_MAX; o = next[o])
					if (o != m)
						ck_add_fact(c, f, o, "sibling");
			}
			fisc_finding *f;
			if (outliers || !(f = ck_emit(c, (long)g, 0, FISC_VERDICT_EXACT, r->severity)))
				continue;
			const char *file =
				ck_str(c, file_of(c, ck_str(c, ck_prov(c, &c->facts[L->head])->source)));
			const char *nm = ck_item_name(c, G, c->facts[L->head].item);
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%s：%s 等 %u 项（%s）单位一致",
						     ck_where_zh(c, G), nm, L->n, file),
				   fisc_arena_printf(c->w, "%s: the %u figures listed with %s (%s) agree in unit",
						     ck_where_en(c, G), L->n, ck_str(c, c->facts[L->head].item),
						     file));
			for (uint32_t o = L->head; o != UINT32_MAX; o = next[o])
				ck_add_fact(c, f, o, "sibling");
		}
		k3_free(&ix);
	}
	free(lists);
	free(next);
	return rc ? rc : c->rc;
}
