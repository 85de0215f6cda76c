/*
** engine.c — fisc_check_run: read the facts of a selection once, index them
** in memory (index.c), run every registered rule, hand back sorted findings;
** and what rules use: figures and their comparisons, lookups of groups and
** sums, findings and their wording.
**
** The index: facts are grouped by (region, year, book, phase, scope,
** department). Each base fact is summed, once per node it counts towards
** (the item, its catalogue parents, its balance line and that line's parents,
** a line its fund_source names, e.g. 项目支出) and once per subset of its
** detail dimensions (project, fund_source, economic class), into the sums of
** its group, keyed by (node, detail). Stated facts are indexed by the same
** key. Rules then answer "what do the parts of X add up to?" with one lookup,
** which is what makes a million facts one pass plus lookups rather than a
** query per rule per fact.
**
** Like the balance tables (src/lib/report/balance.c), a whole-region (全辖)
** book whose own revenue or own expenditure has no fact of its own but has
** facts for this level and the level below is composed from them.
*/
#include <stdlib.h>
#include <string.h>
#include "rules/engine.h"

/* ---- k3map -------------------------------------------------------------- */

static uint64_t k3_hash(uint32_t a, uint32_t b, uint32_t c)
{
	uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ULL;
	h ^= (h >> 29) + (uint64_t)b * 0xBF58476D1CE4E5B9ULL;
	h ^= (h >> 31) + (uint64_t)c * 0x94D049BB133111EBULL;
	return h ^ (h >> 32);
}

static int k3_grow(k3map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	uint32_t *keys = malloc(cap * 3 * sizeof *keys);
	uint32_t *vals = malloc(cap * sizeof *vals);
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	memset(vals, 0xff, cap * sizeof *vals);
	for (size_t i = 0; i < m->cap; i++) {
		if (m->vals[i] == UINT32_MAX)
			continue;
		uint32_t *k = &m->keys[i * 3];
		size_t j = k3_hash(k[0], k[1], k[2]) & (cap - 1);
		while (vals[j] != UINT32_MAX)
			j = (j + 1) & (cap - 1);
		memcpy(&keys[j * 3], k, 3 * sizeof *k);
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

uint32_t *k3_upsert(k3map *m, uint32_t a, uint32_t b, uint32_t c, uint32_t init,
		    int *created)
{
	if ((m->len + 1) * 2 > m->cap && k3_grow(m) != 0)
		return NULL;
	size_t j = k3_hash(a, b, c) & (m->cap - 1);
	while (m->vals[j] != UINT32_MAX) {
		uint32_t *k = &m->keys[j * 3];
		if (k[0] == a && k[1] == b && k[2] == c) {
			if (created)
				*created = 0;
			return &m->vals[j];
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->keys[j * 3] = a;
	m->keys[j * 3 + 1] = b;
	m->keys[j * 3 + 2] = c;
	m->vals[j] = init;
	m->len++;
	if (created)
		*created = 1;
	return &m->vals[j];
}

int k3_get(const k3map *m, uint32_t a, uint32_t b, uint32_t c, uint32_t *v)
{
	if (!m->cap)
		return 0;
	size_t j = k3_hash(a, b, c) & (m->cap - 1);
	while (m->vals[j] != UINT32_MAX) {
		const uint32_t *k = &m->keys[j * 3];
		if (k[0] == a && k[1] == b && k[2] == c) {
			*v = m->vals[j];
			return 1;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return 0;
}

void k3_free(k3map *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

int k3_reserve(k3map *m, size_t n)
{
	while ((n + 1) * 2 > m->cap)
		if (k3_grow(m) != 0)
			return -1;
	return 0;
}

/* ---- strings ------------------------------------------------------------ */

uint32_t ck_sid(const fisc_check_ctx *c, const char *s)
{
	void *v = fisc_strmap_get(&c->str_ix, s ? s : "");
	return v ? (uint32_t)((uintptr_t)v - 1) : UINT32_MAX;
}

uint32_t ck_intern(fisc_check_ctx *c, const char *s)
{
	if (!s)
		s = "";
	uint32_t id = ck_sid(c, s);
	if (id != UINT32_MAX)
		return id;
	char *copy = fisc_arena_strdup(c->w, s);
	if (!copy || VGROW(c, strs, nstrs, capstrs) ||
	    fisc_strmap_put(&c->str_ix, copy, (void *)(uintptr_t)(c->nstrs + 1))) {
		c->rc = FISC_ENOMEM;
		return 0;
	}
	c->strs[c->nstrs] = copy;
	return (uint32_t)c->nstrs++;
}

/* ---- figures ------------------------------------------------------------ */

fig fig_zero(void)
{
	fig f;
	memset(&f, 0, sizeof f);
	return f;
}

void fig_add(fig *into, const fig *b)
{
	if (__builtin_add_overflow(into->fen, b->fen, &into->fen) ||
	    __builtin_add_overflow(into->width, b->width, &into->width))
		into->ovf = 1;
	into->n += b->n;
	into->nhas += b->nhas;
	for (int i = 0; i < 3; i++)
		into->votes[i] += b->votes[i];
	into->ovf |= b->ovf;
}

fig fig_neg(const fig *b)
{
	fig r = *b;
	if (b->fen == INT64_MIN)
		r.ovf = 1;
	else
		r.fen = -b->fen;
	return r;
}

void fig_sub(fig *into, const fig *b)
{
	fig n = fig_neg(b);
	fig_add(into, &n);
}

int fig_unit(const fig *f)
{
	int best = FISC_UNIT_WAN;
	for (int u = 0; u < 3; u++)
		if (f->votes[u] > f->votes[best] || (f->votes[u] == f->votes[best] && u > best &&
						      f->votes[u] > 0))
			best = u;
	return best;
}

fig ck_fact_fig(const fisc_check_ctx *c, const rfact *f)
{
	const rprov *p = ck_prov(c, f);
	fig r = fig_zero();
	r.n = 1;
	if (p->has_amount) {
		r.nhas = 1;
		r.fen = f->fen;
		/* A figure known to the fen is exact: it has no interval. */
		r.width = p->ulp > 1 ? p->ulp : 0;
		if (p->unit >= 0 && p->unit <= 2)
			r.votes[p->unit] = 1;
	}
	return r;
}

fisc_amount ck_amount(const fisc_check_ctx *c, const rfact *f)
{
	const rprov *p = ck_prov(c, f);
	fisc_amount a;
	a.fen = f->fen;
	a.ulp = p->ulp;
	a.unit = p->unit;
	a.decimals = p->decimals;
	return a;
}

/* The group whose facts include c->facts[fact] (groups hold consecutive runs). */
uint32_t ck_fact_group(const fisc_check_ctx *c, uint32_t fact)
{
	size_t lo = 0, hi = c->ngroups;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->groups[mid].first <= fact)
			lo = mid;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

typedef __int128 i128;

static i128 iabs(i128 x) { return x < 0 ? -x : x; }

int cmp_eq(const fig *a, const fig *b, fisc_fen *tol)
{
	i128 d = (i128)a->fen - b->fen;
	i128 w = (i128)a->width + b->width;
	*tol = (fisc_fen)(w / 2);
	if (d == 0)
		return FISC_VERDICT_EXACT;
	return 2 * iabs(d) <= w ? FISC_VERDICT_WITHIN_ROUNDING : FISC_VERDICT_FAILED;
}

int cmp_le(const fig *a, const fig *b, fisc_fen *tol)
{
	i128 d = (i128)a->fen - b->fen;
	i128 w = (i128)a->width + b->width;
	*tol = (fisc_fen)(w / 2);
	if (d <= 0)
		return FISC_VERDICT_EXACT;
	return 2 * d <= w ? FISC_VERDICT_WITHIN_ROUNDING : FISC_VERDICT_FAILED;
}

int cmp_ratio(const fig *num, const fig *den, int lo, int hi)
{
	/* lo/10000 <= num/den <= hi/10000. Doubling keeps half-widths integral. */
	i128 n = num->fen, d = den->fen;
	if (n * 10000 >= (i128)lo * d && n * 10000 <= (i128)hi * d)
		return FISC_VERDICT_EXACT;
	i128 n_lo = 2 * n - num->width, n_hi = 2 * n + num->width;
	i128 d_lo = 2 * d - den->width, d_hi = 2 * d + den->width;
	if (d_lo <= 0)
		return FISC_VERDICT_WITHIN_ROUNDING;
	/* The ratio ranges over [n_lo/d_hi, n_hi/d_lo] (num >= 0 in practice). */
	int reach_lo = n_hi * 10000 >= (i128)lo * d_lo;
	int reach_hi = n_lo * 10000 <= (i128)hi * d_hi;
	return reach_lo && reach_hi ? FISC_VERDICT_WITHIN_ROUNDING : FISC_VERDICT_FAILED;
}

/* ---- lookups ------------------------------------------------------------ */

static long family_group(const fisc_check_ctx *c, uint32_t fam, int book, int phase, int scope)
{
	const rfamily *F = &c->families[fam];
	int bit = ck_family_bit(book, phase, scope);
	if (bit < 0 || !(F->mask >> bit & 1))
		return -1;
	return (long)c->famg[F->first + (uint32_t)__builtin_popcountll(F->mask & ((1ULL << bit) - 1))];
}

long ck_group(const fisc_check_ctx *c, int64_t region, int year, int book, int phase,
	      int scope, uint32_t dept)
{
	uint32_t fam;
	if (year <= 0 || !k3_get(&c->family_ix, (uint32_t)region, (uint32_t)year, dept, &fam))
		return -1;
	return family_group(c, fam, book, phase, scope);
}

long ck_sibling(const fisc_check_ctx *c, const rgroup *g, int year, int book, int phase,
		int scope)
{
	if (year == g->year)
		return family_group(c, g->family, book, phase, scope);
	return ck_group(c, g->region, year, book, phase, scope, g->dept);
}

long ck_closing(const fisc_check_ctx *c, const rgroup *g, int year, int scope)
{
	long r = ck_sibling(c, g, year, g->book, FISC_PHASE_FINAL, scope);
	return r >= 0 ? r : ck_sibling(c, g, year, g->book, FISC_PHASE_EXECUTION, scope);
}

const uint32_t *ck_anc(const fisc_check_ctx *c, const rfact *f, uint32_t *n)
{
	*n = c->ancs[f->anc].n;
	return &c->pool[c->ancs[f->anc].off];
}

int ck_has_anc(const fisc_check_ctx *c, const rfact *f, uint32_t node)
{
	uint32_t n;
	const uint32_t *a = ck_anc(c, f, &n);
	for (uint32_t i = 0; i < n; i++)
		if (a[i] == node)
			return 1;
	return 0;
}

const rline *ck_line(const fisc_check_ctx *c, uint32_t node)
{
	uint32_t v;
	return k3_get(&c->line_ix, node, 0, 0, &v) ? &c->lines[v] : NULL;
}

const char *ck_item_name(const fisc_check_ctx *c, const rgroup *g, uint32_t node)
{
	const char *s = ck_str(c, node);
	return fisc_catalog_item_name(c->cats[g->cat].cat, s);
}

uint32_t ck_dsig_of(fisc_check_ctx *c, uint32_t p, uint32_t f, uint32_t e)
{
	if (!p && !f && !e)
		return 0;
	int created;
	uint32_t *v = k3_upsert(&c->dsig_ix, p, f, e, (uint32_t)c->ndsigs, &created);
	if (!v) {
		c->rc = FISC_ENOMEM;
		return 0;
	}
	if (created) {
		if (VGROW(c, dsigs, ndsigs, capdsigs)) {
			c->rc = FISC_ENOMEM;
			return 0;
		}
		c->dsigs[c->ndsigs][0] = p;
		c->dsigs[c->ndsigs][1] = f;
		c->dsigs[c->ndsigs][2] = e;
		c->ndsigs++;
	}
	return *v;
}

uint32_t ck_dsig_parent(fisc_check_ctx *c, uint32_t d, int *dim)
{
	uint32_t p = c->dsigs[d][0], f = c->dsigs[d][1], e = c->dsigs[d][2];
	if (e) {
		*dim = 3;
		return ck_dsig_of(c, p, f, 0);
	}
	if (f) {
		*dim = 2;
		return ck_dsig_of(c, p, 0, 0);
	}
	*dim = p ? 1 : 0;
	return 0;
}

/* The slot of `node` in layout L, or UINT32_MAX. */
static uint32_t layout_slot(const fisc_check_ctx *c, const rlayout *L, uint32_t node)
{
	const uint32_t *table = &c->ltable[L->table], *nodes = &c->lnodes[L->nodes];
	for (uint32_t j = ck_node_hash(node) & L->mask; table[j]; j = (j + 1) & L->mask)
		if (nodes[table[j] - 1] == node)
			return table[j] - 1;
	return UINT32_MAX;
}

static fig acc_fig(const fisc_check_ctx *c, uint32_t i)
{
	fig r = c->shapes[c->acc_shape[i]];
	r.fen = c->acc_fen[i];
	return r;
}

fig ck_base(const fisc_check_ctx *c, long g, uint32_t node, uint32_t dsig)
{
	if (g < 0)
		return fig_zero();
	const rgroup *G = &c->groups[g];
	uint32_t v;
	if (dsig == 0) {
		uint32_t slot = layout_slot(c, &c->layouts[G->layout], node);
		if (slot != UINT32_MAX)
			return acc_fig(c, G->acc + slot);
	} else if (k3_get(&c->dacc_ix, (uint32_t)g, node, dsig, &v)) {
		return acc_fig(c, v);
	}
	return fig_zero();
}

long ck_stated(const fisc_check_ctx *c, long g, uint32_t node, uint32_t dsig)
{
	if (g < 0)
		return -1;
	/* The first of the group's stated facts not before (node, dsig). */
	const rgroup *G = &c->groups[g];
	const uint32_t *v = &c->stated[G->stated];
	uint32_t lo = 0, hi = G->nstated;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const rfact *f = &c->facts[v[mid]];
		if (f->item < node || (f->item == node && f->dsig < dsig))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < G->nstated && c->facts[v[lo]].item == node && c->facts[v[lo]].dsig == dsig)
		return (long)v[lo];
	return -1;
}

fig ck_value(const fisc_check_ctx *c, long g, uint32_t node, uint32_t dsig, long *stated_fact)
{
	fig b = ck_base(c, g, node, dsig);
	if (stated_fact)
		*stated_fact = -1;
	if (FIG_HAS(b))
		return b;
	long s = ck_stated(c, g, node, dsig);
	if (s >= 0 && ck_prov(c, &c->facts[s])->has_amount) {
		if (stated_fact)
			*stated_fact = s;
		return ck_fact_fig(c, &c->facts[s]);
	}
	return b;
}

/* ---- findings ----------------------------------------------------------- */

typedef struct finding_x {
	fisc_finding f;        /* first: a fisc_finding * is a finding_x * */
	fisc_finding_fact *v;
	size_t cap;
	size_t seq;
	size_t rule_ix;
} finding_x;

enum { MAX_FACTS_PER_FINDING = 60 };

/* Count a check; a finding when it is to be reported (fields other than the
** verdict and severity left for the caller). */
static fisc_finding *open_finding(fisc_check_ctx *c, int verdict, int fail_sev)
{
	c->out->checks++;
	c->out->verdicts[verdict]++;
	int sev = verdict == FISC_VERDICT_FAILED	  ? fail_sev
		  : verdict == FISC_VERDICT_WITHIN_ROUNDING ? FISC_SEV_INFO
							    : FISC_SEV_PASS;
	if (sev == FISC_SEV_PASS && !c->opts.all)
		return NULL;
	finding_x *x = fisc_arena_alloc(c->a, sizeof *x);
	if (!x || VGROW(c, found, nfound, capfound)) {
		c->rc = FISC_ENOMEM;
		return NULL;
	}
	memset(x, 0, sizeof *x);
	fisc_finding *f = &x->f;
	f->rule = c->rule->id;
	f->severity = sev;
	f->verdict = verdict;
	f->message_zh = f->message_en = "";
	f->unit = FISC_UNIT_WAN;
	x->seq = c->nfound;
	x->rule_ix = c->rule_ix;
	c->found[c->nfound++] = f;
	c->out->severities[sev]++;
	return f;
}

fisc_finding *ck_emit(fisc_check_ctx *c, long g, int year_from, int verdict, int fail_sev)
{
	const rgroup *G = &c->groups[g];
	if (c->opts.year && G->year != c->opts.year && year_from != c->opts.year)
		return NULL;
	fisc_finding *f = open_finding(c, verdict, fail_sev);
	if (!f)
		return NULL;
	f->region = c->regions[G->region_ix];
	f->year = G->year;
	f->year_from = year_from;
	f->book = G->book;
	f->scope = G->scope;
	f->phase = G->phase;
	f->dept = fisc_arena_strdup(c->a, ck_str(c, G->dept));
	return f;
}

fisc_finding *ck_emit_at(fisc_check_ctx *c, int64_t region, int year, const char *dept,
			 int verdict, int fail_sev)
{
	if (c->opts.year && year != c->opts.year)
		return NULL;
	fisc_finding *f = open_finding(c, verdict, fail_sev);
	if (!f)
		return NULL;
	if (fisc_store_region_get(c->st, region, c->a, &f->region) != FISC_OK) {
		memset(&f->region, 0, sizeof f->region);
		f->region.id = region;
		f->region.code = f->region.name = "";
	}
	f->year = year;
	f->book = -1;
	f->scope = FISC_SCOPE_SELF;
	f->phase = 0;
	f->dept = fisc_arena_strdup(c->a, dept ? dept : "");
	return f;
}

void ck_amounts(fisc_check_ctx *c, fisc_finding *f, const fig *stated, const fig *computed,
		fisc_fen tol)
{
	(void)c;
	fig u = fig_zero();
	if (stated) {
		f->has_stated = 1;
		f->stated = stated->fen;
		f->stated_ulp = stated->width;
		fig_add(&u, stated);
	}
	if (computed) {
		f->has_computed = 1;
		f->computed = computed->fen;
		f->computed_ulp = computed->width;
		fig_add(&u, computed);
	}
	if (stated && computed)
		f->difference = stated->fen - computed->fen;
	f->tolerance = tol;
	f->unit = fig_unit(&u);
}

void ck_message(fisc_check_ctx *c, fisc_finding *f, const char *zh, const char *en)
{
	f->message_zh = fisc_arena_strdup(c->a, zh ? zh : "");
	f->message_en = fisc_arena_strdup(c->a, en ? en : "");
}

void ck_add_fact(fisc_check_ctx *c, fisc_finding *f, uint32_t ix, const char *role)
{
	finding_x *x = (finding_x *)f;
	const rfact *r = &c->facts[ix];
	for (size_t i = 0; i < f->nfacts; i++)
		if (x->v[i].fact.id == r->id)
			return;
	if (f->nfacts >= MAX_FACTS_PER_FINDING) {
		f->nfacts_omitted++;
		return;
	}
	if (f->nfacts == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 8;
		fisc_finding_fact *v = fisc_arena_alloc(c->a, cap * sizeof *v);
		if (!v) {
			c->rc = FISC_ENOMEM;
			return;
		}
		if (f->nfacts)
			memcpy(v, x->v, f->nfacts * sizeof *v);
		x->v = v;
		x->cap = cap;
		f->facts = v;
	}
	const rgroup *G = &c->groups[ck_fact_group(c, ix)];
	const rprov *p = ck_prov(c, r);
	const uint32_t *detail = c->dsigs[r->dsig];
	fisc_finding_fact *d = &x->v[f->nfacts++];
	memset(d, 0, sizeof *d);
	d->role = role;
	d->item_name = fisc_arena_strdup(c->a, ck_item_name(c, G, r->item));
	fisc_fact *ff = &d->fact;
	ff->id = r->id;
	ff->region = G->region;
	ff->year = G->year;
	ff->scope = G->scope;
	ff->book = G->book;
	ff->phase = G->phase;
	ff->kind = p->kind;
	ff->item = fisc_arena_strdup(c->a, ck_str(c, r->item));
	ff->dept = fisc_arena_strdup(c->a, ck_str(c, G->dept));
	ff->project = fisc_arena_strdup(c->a, ck_str(c, detail[0]));
	ff->econ = fisc_arena_strdup(c->a, ck_str(c, detail[2]));
	ff->fund = fisc_arena_strdup(c->a, ck_str(c, detail[1]));
	ff->has_amount = p->has_amount;
	ff->amount = ck_amount(c, r);
	ff->source = fisc_arena_strdup(c->a, ck_str(c, p->source));
	ff->note = "";
}

static int detail_matches(const fisc_check_ctx *c, const rfact *f, uint32_t dsig)
{
	const uint32_t *d = c->dsigs[dsig], *have = c->dsigs[f->dsig];
	return (!d[0] || d[0] == have[0]) && (!d[1] || d[1] == have[1]) &&
	       (!d[2] || d[2] == have[2]);
}

void ck_add_base(fisc_check_ctx *c, fisc_finding *f, long g, uint32_t node, uint32_t dsig,
		 const char *role)
{
	if (g < 0)
		return;
	const rgroup *G = &c->groups[g];
	for (uint32_t i = G->first; i < G->first + G->nfacts; i++) {
		const rfact *r = &c->facts[i];
		if (ck_prov(c, r)->kind == FISC_FACT_BASE && detail_matches(c, r, dsig) &&
		    ck_has_anc(c, r, node))
			ck_add_fact(c, f, i, role);
	}
	if (!(G->flags & (GF_COMPOSE_REV | GF_COMPOSE_EXP)))
		return;
	/* The composed part: base facts of this level and the level below. */
	for (int scope = FISC_SCOPE_SELF; scope <= FISC_SCOPE_LOWER; scope++) {
		long s = ck_sibling(c, G, G->year, G->book, G->phase, scope);
		if (s < 0)
			continue;
		const rgroup *S = &c->groups[s];
		for (uint32_t i = S->first; i < S->first + S->nfacts; i++) {
			const rfact *r = &c->facts[i];
			if (ck_prov(c, r)->kind != FISC_FACT_BASE || !detail_matches(c, r, dsig) ||
			    !ck_has_anc(c, r, node))
				continue;
			if (ck_composed_into(c, G->flags, r))
				ck_add_fact(c, f, i, role);
		}
	}
}

void ck_add_value(fisc_check_ctx *c, fisc_finding *f, long g, uint32_t node, uint32_t dsig,
		  const char *role)
{
	long s;
	ck_value(c, g, node, dsig, &s);
	if (s >= 0)
		ck_add_fact(c, f, (uint32_t)s, role);
	else
		ck_add_base(c, f, g, node, dsig, role);
}

/* ---- text helpers ------------------------------------------------------- */

const char *ck_amt(fisc_check_ctx *c, fisc_fen fen, int unit)
{
	static const int maxdec[3] = {2, 6, 10};
	if (unit < 0 || unit > 2)
		unit = FISC_UNIT_WAN;
	fisc_fen step = fisc_unit_fen((fisc_unit)unit);
	int d = 0;
	/* The fewest decimals that show the amount exactly. */
	while (d < maxdec[unit] && fen % step != 0) {
		step /= 10;
		d++;
	}
	char buf[80];
	fisc_fen_format(fen, (fisc_unit)unit, d, FISC_FMT_UNIT, buf, sizeof buf);
	return fisc_arena_strdup(c->w, buf);
}

const char *ck_fig(fisc_check_ctx *c, const fig *f)
{
	return ck_amt(c, f->fen, fig_unit(f));
}

const char *ck_where_zh(fisc_check_ctx *c, const rgroup *g)
{
	const fisc_region *r = &c->regions[g->region_ix];
	const char *book = g->book == FISC_BOOK_ALL ? "政府债务（全口径）" : fisc_book_name(g->book);
	const char *dept = g->dept ? fisc_arena_printf(c->w, "（%s）", ck_str(c, g->dept)) : "";
	return fisc_arena_printf(c->w, "%d年%s%s%s（%s）", g->year,
				 fisc_region_scope_label(r, g->scope), book, dept,
				 fisc_phase_name(g->phase));
}

const char *ck_where_en(fisc_check_ctx *c, const rgroup *g)
{
	static const char *const scope_en[] = {"", "whole-region", "this-level", "lower-level"};
	static const char *const book_en[] = {"all-books", "general public budget",
					      "government fund budget", "state capital budget",
					      "social insurance fund budget"};
	const char *dept = g->dept ? fisc_arena_printf(c->w, ", department %s", ck_str(c, g->dept))
				   : "";
	return fisc_arena_printf(c->w, "%d %s %s%s (%s)", g->year, scope_en[g->scope],
				 book_en[g->book], dept, fisc_phase_code(g->phase));
}

const char *ck_verdict_zh(int v)
{
	return v == FISC_VERDICT_EXACT ? "相符" : v == FISC_VERDICT_WITHIN_ROUNDING ? "在舍入误差内相符" : "不符";
}

const char *ck_verdict_en(int v)
{
	return v == FISC_VERDICT_EXACT ? "holds" : v == FISC_VERDICT_WITHIN_ROUNDING
						     ? "holds within rounding"
						     : "does not hold";
}

const char *ck_percent(fisc_check_ctx *c, fisc_fen num, fisc_fen den)
{
	char buf[64];
	if (den == 0 || fisc_percent_format(num, den, 2, buf, sizeof buf) < 0)
		return "—";
	return fisc_arena_printf(c->w, "%s%%", buf);
}

const char *ck_detail(fisc_check_ctx *c, uint32_t dsig, int en)
{
	if (!dsig)
		return "";
	const uint32_t *d = c->dsigs[dsig];
	static const char *const zh[3] = {"项目", "资金来源", "经济分类"};
	static const char *const eng[3] = {"project", "fund source", "economic class"};
	const char *s = "";
	for (int k = 0; k < 3; k++)
		if (d[k])
			s = fisc_arena_printf(c->w, en ? "%s%s%s %s" : "%s%s%s：%s", s,
					      *s ? (en ? "; " : "，") : "", en ? eng[k] : zh[k],
					      ck_str(c, d[k]));
	return fisc_arena_printf(c->w, en ? " (%s)" : "（%s）", s);
}

const char *ck_tail(fisc_check_ctx *c, const fisc_finding *f, int en)
{
	if (f->difference == 0)
		return "";
	if (en)
		return fisc_arena_printf(c->w, " (difference %s; rounding tolerance %s)",
					 ck_amt(c, f->difference, f->unit),
					 ck_amt(c, f->tolerance, f->unit));
	return fisc_arena_printf(c->w, "（差额 %s，舍入容差 %s）", ck_amt(c, f->difference, f->unit),
				 ck_amt(c, f->tolerance, f->unit));
}

/* ---- the run ------------------------------------------------------------ */

static int rule_selected(const fisc_check_opts *o, const char *id)
{
	if (!o->rules || !*o->rules)
		return 1;
	for (const char *p = o->rules; *p;) {
		const char *q = strchr(p, ',');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		/* "debt" selects debt.limit, debt.split …; "debt.limit" just that one. */
		if (n && strncmp(id, p, n) == 0 && (id[n] == 0 || id[n] == '.'))
			return 1;
		p += n + (q ? 1 : 0);
	}
	return 0;
}

static int book_rank(int book) { return book < 0 ? 6 : book == FISC_BOOK_ALL ? 5 : book; }

static int cmp_findings(const void *pa, const void *pb)
{
	const finding_x *a = *(const finding_x *const *)pa, *b = *(const finding_x *const *)pb;
	int r = strcmp(a->f.region.code, b->f.region.code);
	if (r)
		return r;
#define CMP(x, y) if ((x) != (y)) return (x) < (y) ? -1 : 1
	CMP(book_rank(a->f.book), book_rank(b->f.book));
	r = strcmp(a->f.dept, b->f.dept);
	if (r)
		return r;
	CMP(a->f.year, b->f.year);
	CMP(a->f.scope, b->f.scope);
	CMP(a->f.phase, b->f.phase);
	CMP(a->rule_ix, b->rule_ix);
	CMP(a->seq, b->seq);
#undef CMP
	return 0;
}

static void ctx_free(fisc_check_ctx *c)
{
	ck_index_free(c);
	fisc_strmap_free(&c->str_ix);
	free(c->strs);
	free(c->found);
	fisc_arena_free(c->w);
}

int fisc_check_run(fisc_store *st, const fisc_check_opts *opts, fisc_arena *a,
		   fisc_findings **out)
{
	fisc_check_ctx c;
	fisc_check_opts none = {0};
	int rc;
	memset(&c, 0, sizeof c);
	*out = NULL;
	c.st = st;
	c.a = a;
	c.opts = opts ? *opts : none;
	if (!(c.w = fisc_arena_new()) || !(c.out = fisc_arena_alloc(a, sizeof *c.out)))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	c.out->region = c.opts.region ? fisc_arena_strdup(a, c.opts.region) : NULL;
	c.out->year = c.opts.year;
	ck_intern(&c, "");
	/* Detail signature 0 is "no detail". */
	if (VGROW(&c, dsigs, ndsigs, capdsigs)) {
		rc = FISC_ENOMEM;
		goto done;
	}
	memset(c.dsigs[0], 0, sizeof c.dsigs[0]);
	c.ndsigs = 1;
	if (c.opts.region && *c.opts.region) {
		fisc_region r;
		if ((rc = fisc_store_region_find(st, c.opts.region, c.w, &r)) != FISC_OK)
			goto done;
		c.region = r.id;
	}
	if ((rc = ck_index_build(&c)) != FISC_OK)
		goto done;
	for (size_t i = 0; i < fisc_rule_count() && rc == FISC_OK; i++) {
		const fisc_rule *r = fisc_rule_at(i);
		if (!rule_selected(&c.opts, r->id))
			continue;
		c.rule = r;
		c.rule_ix = i;
		rc = r->fn(&c, r);
		if (rc == FISC_OK)
			rc = c.rc;
	}
	if (rc != FISC_OK)
		goto done;
	if (c.nfound)
		qsort(c.found, c.nfound, sizeof *c.found, cmp_findings);
	c.out->v = fisc_arena_alloc(a, (c.nfound + 1) * sizeof *c.out->v);
	if (!c.out->v) {
		rc = FISC_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < c.nfound; i++)
		c.out->v[i] = *c.found[i];
	c.out->n = c.nfound;
	*out = c.out;
done:
	if (rc == FISC_ENOMEM)
		fisc_error_set(rc, "内存不足 / out of memory");
	ctx_free(&c);
	return rc;
}
