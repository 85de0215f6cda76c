/*
** engine.c — fisc_check_run: read the facts of a selection once, index them
** in memory, run every registered rule, hand back sorted findings.
**
** The index: facts are grouped by (region, year, book, phase, scope,
** department). Each base fact is summed, once per node it counts towards
** (the item, its catalogue parents, its balance line and that line's parents,
** a line its fund_source names, e.g. 项目支出) and once per subset of its
** detail dimensions (project, fund_source, economic class), into a hash keyed
** by (group, node, detail). Stated facts are indexed by the same key. Rules
** then answer "what do the parts of X add up to?" with one lookup, which is
** what makes a million facts one pass plus lookups rather than a query per
** rule per fact.
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

/* Grow a malloc'ed vector so that it holds one more element. */
static int vgrow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 64;
	void *nv = realloc(*v, nc * size);
	if (!nv)
		return -1;
	*v = nv;
	*cap = nc;
	return 0;
}
#define VGROW(c, vec, n, cap) vgrow((void **)&(c)->vec, &(c)->cap, (c)->n, sizeof *(c)->vec)

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

fig ck_fact_fig(const rfact *f)
{
	fig r = fig_zero();
	r.n = 1;
	if (f->has_amount) {
		r.nhas = 1;
		r.fen = f->amount.fen;
		/* A figure known to the fen is exact: it has no interval. */
		r.width = f->amount.ulp > 1 ? f->amount.ulp : 0;
		if (f->amount.unit >= 0 && f->amount.unit <= 2)
			r.votes[f->amount.unit] = 1;
	}
	return r;
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

static uint32_t group_b(int year, int book, int phase, int scope)
{
	return (uint32_t)year << 8 | (uint32_t)book << 5 | (uint32_t)phase << 2 | (uint32_t)scope;
}

long ck_group(const fisc_check_ctx *c, int64_t region, int year, int book, int phase,
	      int scope, uint32_t dept)
{
	uint32_t v;
	if (year <= 0 || !k3_get(&c->group_ix, (uint32_t)region, group_b(year, book, phase, scope),
				 dept, &v))
		return -1;
	return (long)v;
}

long ck_sibling(const fisc_check_ctx *c, const rgroup *g, int year, int book, int phase,
		int scope)
{
	return ck_group(c, g->region, year, book, phase, scope, g->dept);
}

long ck_closing(const fisc_check_ctx *c, const rgroup *g, int year, int scope)
{
	long r = ck_sibling(c, g, year, g->book, FISC_PHASE_FINAL, scope);
	return r >= 0 ? r : ck_sibling(c, g, year, g->book, FISC_PHASE_EXECUTION, scope);
}

const uint32_t *ck_anc(const fisc_check_ctx *c, const rfact *f, uint32_t *n)
{
	*n = c->ancs[f->anc][1];
	return &c->pool[c->ancs[f->anc][0]];
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

static uint32_t dsig_of(fisc_check_ctx *c, uint32_t p, uint32_t f, uint32_t e)
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
		return dsig_of(c, p, f, 0);
	}
	if (f) {
		*dim = 2;
		return dsig_of(c, p, 0, 0);
	}
	*dim = p ? 1 : 0;
	return 0;
}

fig ck_base(const fisc_check_ctx *c, long g, uint32_t node, uint32_t dsig)
{
	uint32_t v;
	if (g >= 0 && k3_get(&c->acc_ix, (uint32_t)g, node, dsig, &v))
		return c->accs[v];
	return fig_zero();
}

long ck_stated(const fisc_check_ctx *c, long g, uint32_t node, uint32_t dsig)
{
	uint32_t v;
	if (g >= 0 && k3_get(&c->stated_ix, (uint32_t)g, node, dsig, &v))
		return (long)v;
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
	if (s >= 0 && c->facts[s].has_amount) {
		if (stated_fact)
			*stated_fact = s;
		return ck_fact_fig(&c->facts[s]);
	}
	return b;
}

/* ---- loading ------------------------------------------------------------ */

static int add_region(void *ud, const fisc_region *r)
{
	fisc_check_ctx *c = ud;
	if (VGROW(c, regions, nregions, capregions))
		return FISC_ENOMEM;
	fisc_region *d = &c->regions[c->nregions];
	d->id = r->id;
	d->code = fisc_arena_strdup(c->a, r->code ? r->code : "");
	d->name = fisc_arena_strdup(c->a, r->name ? r->name : "");
	d->parent_code = fisc_arena_strdup(c->a, r->parent_code ? r->parent_code : "");
	d->level = fisc_arena_strdup(c->a, r->level ? r->level : "");
	d->label_all = fisc_arena_strdup(c->a, r->label_all ? r->label_all : "");
	d->label_self = fisc_arena_strdup(c->a, r->label_self ? r->label_self : "");
	d->label_lower = fisc_arena_strdup(c->a, r->label_lower ? r->label_lower : "");
	uint32_t *v = k3_upsert(&c->region_ix, (uint32_t)r->id, (uint32_t)((uint64_t)r->id >> 32), 0,
				(uint32_t)c->nregions, NULL);
	if (!v || !d->label_lower)
		return FISC_ENOMEM;
	c->nregions++;
	return FISC_OK;
}

static int add_fact(void *ud, const fisc_fact *f)
{
	fisc_check_ctx *c = ud;
	if (c->opts.year && (f->year < c->opts.year - 1 || f->year > c->opts.year + 1))
		return 0;
	if (f->scope < 1 || f->scope > 3 || f->book > 4 || f->phase < 1 || f->phase > 4 ||
	    f->year <= 0 || f->region <= 0 || f->region > UINT32_MAX)
		return 0;
	if (VGROW(c, facts, nfacts, capfacts))
		return FISC_ENOMEM;
	rfact *r = &c->facts[c->nfacts];
	memset(r, 0, sizeof *r);
	r->id = f->id;
	r->item = ck_intern(c, f->item);
	r->project = ck_intern(c, f->project);
	r->fund = ck_intern(c, f->fund);
	r->econ = ck_intern(c, f->econ);
	r->dsig = dsig_of(c, r->project, r->fund, r->econ);
	uint32_t dept = ck_intern(c, f->dept);
	r->kind = f->kind;
	r->has_amount = (uint8_t)(f->has_amount != 0);
	r->amount = f->amount;
	r->source = f->source && *f->source ? fisc_arena_strdup(c->w, f->source) : "";
	int created;
	uint32_t *g = k3_upsert(&c->group_ix, (uint32_t)f->region,
				group_b(f->year, f->book, f->phase, f->scope), dept,
				(uint32_t)c->ngroups, &created);
	if (!g || c->rc)
		return FISC_ENOMEM;
	if (created) {
		if (VGROW(c, groups, ngroups, capgroups))
			return FISC_ENOMEM;
		rgroup *G = &c->groups[c->ngroups++];
		memset(G, 0, sizeof *G);
		G->region = f->region;
		G->year = f->year;
		G->book = f->book;
		G->phase = f->phase;
		G->scope = f->scope;
		G->dept = dept;
	}
	r->group = *g;
	c->groups[r->group].nfacts++;
	c->nfacts++;
	return 0;
}

static int count_child(void *ud, const fisc_catalog_entry *e)
{
	rcat *rc = ud;
	if (!e->parent || !*e->parent)
		return 0;
	uintptr_t n = (uintptr_t)fisc_strmap_get(&rc->nchildren, e->parent);
	/* Keys must outlive the map: they are interned by the catalogue's own
	** entry for the parent code. */
	const fisc_catalog_entry *p = fisc_catalog_get(rc->cat, e->parent);
	if (!p)
		return 0;
	return fisc_strmap_put(&rc->nchildren, p->code, (void *)(n + 1)) ? FISC_ENOMEM : 0;
}

static int load_catalog(fisc_check_ctx *c, int year, uint32_t *out)
{
	uint32_t v;
	if (k3_get(&c->cat_by_year, (uint32_t)year, 0, 0, &v)) {
		*out = v;
		return FISC_OK;
	}
	fisc_catalog *cat;
	int rc = fisc_catalog_load(c->st, year, &cat);
	if (rc != FISC_OK)
		return rc;
	int ed = fisc_catalog_edition(cat);
	for (int i = 0; i < c->ncats; i++)
		if (c->cats[i].edition == ed) {
			fisc_catalog_free(cat);
			*out = (uint32_t)i;
			goto remember;
		}
	if (c->ncats == (int)(sizeof c->cats / sizeof *c->cats)) {
		fisc_catalog_free(cat);
		return fisc_error_set(FISC_EUNSUPPORTED, "目录版本过多 / too many catalogue editions");
	}
	rcat *r = &c->cats[c->ncats];
	memset(r, 0, sizeof *r);
	r->edition = ed;
	r->cat = cat;
	c->ncats++;
	if ((rc = fisc_store_catalog_each(c->st, ed, count_child, r)) != FISC_OK)
		return rc;
	/* 预备费 is found by name, so an edition that renumbers it still works. */
	const char *res = fisc_catalog_resolve(cat, "预备费", FISC_BOOK_GPB);
	r->reserve = ck_intern(c, res ? res : "227");
	*out = (uint32_t)(c->ncats - 1);
remember:
	if (!k3_upsert(&c->cat_by_year, (uint32_t)year, 0, 0, *out, NULL))
		return FISC_ENOMEM;
	return FISC_OK;
}

static const char *const line_names[L_COUNT] = {
	"income_total", "own_rev", "tax", "nontax", "ssf_rev", "transfer_in_total",
	"upper_subsidy", "lower_remit", "stab_draw", "transfer_in", "carry_in",
	"expense_total", "own_exp", "transfer_out_total", "remit_up", "subsidy_lower",
	"transfer_out", "stab_fill", "carry_out",
	"ssf_surplus", "ssf_balance", "stab_fund_open", "stab_fund_close",
	"debt_limit", "debt_balance", "debt_issue", "debt_issue_new", "debt_issue_refi",
	"debt_service", "debt_principal_paid", "debt_interest_paid",
	"dept_income_total", "dept_exp_total",
};

static int load_lines(fisc_check_ctx *c)
{
	const fisc_catalog *cat = c->cats[0].cat;
	size_t n = fisc_catalog_line_count(cat);
	c->lines = fisc_arena_alloc(c->w, (n + 1) * sizeof *c->lines);
	if (!c->lines)
		return FISC_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const fisc_line *l = fisc_catalog_line_at(cat, i);
		rline *d = &c->lines[c->nlines];
		d->id = ck_intern(c, l->id);
		d->parent = ck_intern(c, l->parent);
		d->side = l->side;
		d->line = l;
		if (!k3_upsert(&c->line_ix, d->id, 0, 0, (uint32_t)c->nlines, NULL))
			return FISC_ENOMEM;
		c->nlines++;
	}
	for (int i = 0; i < L_COUNT; i++)
		c->L[i] = ck_intern(c, line_names[i]);
	return c->rc;
}

/* Append `node` to the ancestor list being built unless it is there. */
static int anc_push(fisc_check_ctx *c, size_t start, uint32_t node)
{
	for (size_t i = start; i < c->npool; i++)
		if (c->pool[i] == node)
			return 0;
	if (VGROW(c, pool, npool, cappool))
		return FISC_ENOMEM;
	c->pool[c->npool++] = node;
	return 0;
}

static int anc_line_chain(fisc_check_ctx *c, size_t start, uint32_t node)
{
	for (int depth = 0; depth < 16 && node; depth++) {
		const rline *l = ck_line(c, node);
		if (!l)
			break;
		if (anc_push(c, start, l->id))
			return FISC_ENOMEM;
		node = l->parent;
	}
	return 0;
}

/* Length of the longest code prefix of line `l` that starts `code`. */
static size_t line_match_len(const fisc_line *l, const char *code)
{
	size_t best = 0;
	for (const char *p = l->codes; *p;) {
		while (*p == ' ')
			p++;
		const char *q = p;
		while (*q && *q != ' ')
			q++;
		size_t n = (size_t)(q - p);
		if (n && n > best && strncmp(code, p, n) == 0)
			best = n;
		p = q;
	}
	return best;
}

/*
** Nodes a fact counts towards, nearest first: the item; its catalogue parents
** that are narrower than its balance line (a 款 before the 类); the line and
** its parents; the remaining catalogue parents; a line its fund_source names
** (项目支出, 基本支出); and, in a department's book, its total expenditure.
*/
static int build_anc(fisc_check_ctx *c, uint32_t cat_ix, uint32_t item, uint32_t fund,
		     int dept, uint32_t *out)
{
	uint32_t key_c = cat_ix << 1 | (dept ? 1u : 0u);
	uint32_t v;
	if (k3_get(&c->anc_ix, item, fund, key_c, &v)) {
		*out = v;
		return 0;
	}
	const fisc_catalog *cat = c->cats[cat_ix].cat;
	size_t start = c->npool;
	const char *s = ck_str(c, item);
	if (anc_push(c, start, item))
		return FISC_ENOMEM;
	if (ck_line(c, item)) {
		if (anc_line_chain(c, start, item))
			return FISC_ENOMEM;
	} else {
		const fisc_line *l = fisc_catalog_line_of(cat, s);
		size_t m = l ? line_match_len(l, s) : 0;
		const char *up[8];
		int nup = 0;
		const fisc_catalog_entry *e = fisc_catalog_get(cat, s);
		while (e && e->parent && *e->parent && nup < 8) {
			e = fisc_catalog_get(cat, e->parent);
			if (e)
				up[nup++] = e->code;
		}
		for (int i = 0; i < nup; i++)
			if (strlen(up[i]) >= m && anc_push(c, start, ck_intern(c, up[i])))
				return FISC_ENOMEM;
		if (l && anc_line_chain(c, start, ck_intern(c, l->id)))
			return FISC_ENOMEM;
		for (int i = 0; i < nup; i++)
			if (strlen(up[i]) < m && anc_push(c, start, ck_intern(c, up[i])))
				return FISC_ENOMEM;
	}
	if (fund) {
		const char *t = fisc_catalog_resolve(cat, ck_str(c, fund), -1);
		uint32_t tid = t ? ck_sid(c, t) : UINT32_MAX;
		if (tid != UINT32_MAX && ck_line(c, tid) && anc_line_chain(c, start, tid))
			return FISC_ENOMEM;
	}
	if (dept) {
		int has_exp = 0;
		for (size_t i = start; i < c->npool; i++)
			has_exp |= c->pool[i] == c->L[L_OWN_EXP];
		if (has_exp && anc_line_chain(c, start, c->L[L_DEPT_EXP_TOTAL]))
			return FISC_ENOMEM;
	}
	if (VGROW(c, ancs, nancs, capancs))
		return FISC_ENOMEM;
	c->ancs[c->nancs][0] = (uint32_t)start;
	c->ancs[c->nancs][1] = (uint32_t)(c->npool - start);
	if (!k3_upsert(&c->anc_ix, item, fund, key_c, (uint32_t)c->nancs, NULL))
		return FISC_ENOMEM;
	*out = (uint32_t)c->nancs++;
	return c->rc;
}

static int acc_add(fisc_check_ctx *c, uint32_t g, uint32_t node, uint32_t dsig, const fig *f)
{
	int created;
	uint32_t *v = k3_upsert(&c->acc_ix, g, node, dsig, (uint32_t)c->naccs, &created);
	if (!v)
		return FISC_ENOMEM;
	if (created) {
		if (VGROW(c, accs, naccs, capaccs))
			return FISC_ENOMEM;
		c->accs[c->naccs++] = fig_zero();
	}
	fig_add(&c->accs[*v], f);
	return 0;
}

/* Sum one base fact into group g: every ancestor × every subset of its detail. */
static int sum_into(fisc_check_ctx *c, uint32_t g, const rfact *f)
{
	uint32_t n, subs[8];
	int nsub = 0;
	const uint32_t *anc = ck_anc(c, f, &n);
	uint32_t dim[3] = {f->project, f->fund, f->econ};
	for (unsigned mask = 0; mask < 8; mask++) {
		int ok = 1;
		for (int k = 0; k < 3; k++)
			if ((mask >> k & 1) && !dim[k])
				ok = 0;
		if (ok)
			subs[nsub++] = dsig_of(c, mask & 1 ? dim[0] : 0, mask & 2 ? dim[1] : 0,
					       mask & 4 ? dim[2] : 0);
	}
	fig ff = ck_fact_fig(f);
	for (uint32_t i = 0; i < n; i++)
		for (int k = 0; k < nsub; k++)
			if (acc_add(c, g, anc[i], subs[k], &ff))
				return FISC_ENOMEM;
	return c->rc;
}

static int build_index(fisc_check_ctx *c)
{
	int rc;
	/* Facts of each group, in import order (a counting sort keeps it stable). */
	uint32_t *slots = fisc_arena_alloc(c->w, (c->nfacts + 1) * sizeof *slots);
	if (!slots)
		return FISC_ENOMEM;
	size_t at = 0;
	for (size_t g = 0; g < c->ngroups; g++) {
		c->groups[g].facts = slots + at;
		at += c->groups[g].nfacts;
		c->groups[g].nfacts = 0;
	}
	for (size_t i = 0; i < c->nfacts; i++) {
		rgroup *G = &c->groups[c->facts[i].group];
		G->facts[G->nfacts++] = (uint32_t)i;
	}
	for (size_t g = 0; g < c->ngroups; g++) {
		rgroup *G = &c->groups[g];
		if ((rc = load_catalog(c, G->year, &G->cat)) != FISC_OK)
			return rc;
		uint32_t v;
		G->region_ix = k3_get(&c->region_ix, (uint32_t)G->region,
				      (uint32_t)((uint64_t)G->region >> 32), 0, &v)
				       ? v
				       : 0;
	}
	if (c->ngroups && (rc = load_lines(c)) != FISC_OK)
		return rc;
	for (size_t i = 0; i < c->nfacts; i++) {
		rfact *f = &c->facts[i];
		rgroup *G = &c->groups[f->group];
		if ((rc = build_anc(c, G->cat, f->item, f->fund, G->dept != 0, &f->anc)) != FISC_OK)
			return rc;
		if (f->kind == FISC_FACT_BASE) {
			if (ck_has_anc(c, f, c->L[L_OWN_REV]))
				G->flags |= GF_BASE_REV;
			if (ck_has_anc(c, f, c->L[L_OWN_EXP]))
				G->flags |= GF_BASE_EXP;
		} else {
			uint32_t *v = k3_upsert(&c->stated_ix, f->group, f->item, f->dsig,
						(uint32_t)i, NULL);
			if (!v)
				return FISC_ENOMEM;
		}
	}
	/* 全辖 own sections composed of 本级 + 下级 (see the file comment). */
	for (size_t g = 0; g < c->ngroups; g++) {
		rgroup *G = &c->groups[g];
		if (G->scope != FISC_SCOPE_ALL)
			continue;
		long s = ck_sibling(c, G, G->year, G->book, G->phase, FISC_SCOPE_SELF);
		long l = ck_sibling(c, G, G->year, G->book, G->phase, FISC_SCOPE_LOWER);
		if (s < 0 || l < 0)
			continue;
		unsigned fs = c->groups[s].flags, fl = c->groups[l].flags;
		if (!(G->flags & GF_BASE_REV) && (fs & GF_BASE_REV) && (fl & GF_BASE_REV))
			G->flags |= GF_COMPOSE_REV;
		if (!(G->flags & GF_BASE_EXP) && (fs & GF_BASE_EXP) && (fl & GF_BASE_EXP))
			G->flags |= GF_COMPOSE_EXP;
	}
	for (size_t i = 0; i < c->nfacts; i++) {
		rfact *f = &c->facts[i];
		if (f->kind != FISC_FACT_BASE)
			continue;
		if ((rc = sum_into(c, f->group, f)) != FISC_OK)
			return rc;
		rgroup *G = &c->groups[f->group];
		if (G->scope == FISC_SCOPE_ALL)
			continue;
		long a = ck_sibling(c, G, G->year, G->book, G->phase, FISC_SCOPE_ALL);
		if (a < 0)
			continue;
		unsigned fa = c->groups[a].flags;
		if (((fa & GF_COMPOSE_REV) && ck_has_anc(c, f, c->L[L_OWN_REV])) ||
		    ((fa & GF_COMPOSE_EXP) && ck_has_anc(c, f, c->L[L_OWN_EXP])))
			if ((rc = sum_into(c, (uint32_t)a, f)) != FISC_OK)
				return rc;
	}
	return c->rc;
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

fisc_finding *ck_emit(fisc_check_ctx *c, long g, int year_from, int verdict, int fail_sev)
{
	const rgroup *G = &c->groups[g];
	if (c->opts.year && G->year != c->opts.year && year_from != c->opts.year)
		return NULL;
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
	fisc_finding *f = &x->f;
	f->rule = c->rule->id;
	f->severity = sev;
	f->verdict = verdict;
	f->message_zh = f->message_en = "";
	f->region = c->regions[G->region_ix];
	f->year = G->year;
	f->year_from = year_from;
	f->book = G->book;
	f->scope = G->scope;
	f->phase = G->phase;
	f->dept = fisc_arena_strdup(c->a, ck_str(c, G->dept));
	f->unit = FISC_UNIT_WAN;
	x->seq = c->nfound;
	x->rule_ix = c->rule_ix;
	c->found[c->nfound++] = f;
	c->out->severities[sev]++;
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
	const rgroup *G = &c->groups[r->group];
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
	ff->kind = r->kind;
	ff->item = fisc_arena_strdup(c->a, ck_str(c, r->item));
	ff->dept = fisc_arena_strdup(c->a, ck_str(c, G->dept));
	ff->project = fisc_arena_strdup(c->a, ck_str(c, r->project));
	ff->econ = fisc_arena_strdup(c->a, ck_str(c, r->econ));
	ff->fund = fisc_arena_strdup(c->a, ck_str(c, r->fund));
	ff->has_amount = r->has_amount;
	ff->amount = r->amount;
	ff->source = fisc_arena_strdup(c->a, r->source);
	ff->note = "";
}

static int detail_matches(const fisc_check_ctx *c, const rfact *f, uint32_t dsig)
{
	const uint32_t *d = c->dsigs[dsig];
	return (!d[0] || d[0] == f->project) && (!d[1] || d[1] == f->fund) &&
	       (!d[2] || d[2] == f->econ);
}

void ck_add_base(fisc_check_ctx *c, fisc_finding *f, long g, uint32_t node, uint32_t dsig,
		 const char *role)
{
	if (g < 0)
		return;
	const rgroup *G = &c->groups[g];
	for (uint32_t i = 0; i < G->nfacts; i++) {
		const rfact *r = &c->facts[G->facts[i]];
		if (r->kind == FISC_FACT_BASE && detail_matches(c, r, dsig) && ck_has_anc(c, r, node))
			ck_add_fact(c, f, G->facts[i], role);
	}
	if (!(G->flags & (GF_COMPOSE_REV | GF_COMPOSE_EXP)))
		return;
	/* The composed part: base facts of this level and the level below. */
	for (int scope = FISC_SCOPE_SELF; scope <= FISC_SCOPE_LOWER; scope++) {
		long s = ck_sibling(c, G, G->year, G->book, G->phase, scope);
		if (s < 0)
			continue;
		const rgroup *S = &c->groups[s];
		for (uint32_t i = 0; i < S->nfacts; i++) {
			const rfact *r = &c->facts[S->facts[i]];
			if (r->kind != FISC_FACT_BASE || !detail_matches(c, r, dsig) ||
			    !ck_has_anc(c, r, node))
				continue;
			if (((G->flags & GF_COMPOSE_REV) && ck_has_anc(c, r, c->L[L_OWN_REV])) ||
			    ((G->flags & GF_COMPOSE_EXP) && ck_has_anc(c, r, c->L[L_OWN_EXP])))
				ck_add_fact(c, f, S->facts[i], role);
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
	for (int i = 0; i < c->ncats; i++) {
		fisc_strmap_free(&c->cats[i].nchildren);
		fisc_catalog_free(c->cats[i].cat);
	}
	fisc_strmap_free(&c->str_ix);
	k3_free(&c->region_ix);
	k3_free(&c->cat_by_year);
	k3_free(&c->line_ix);
	k3_free(&c->group_ix);
	k3_free(&c->dsig_ix);
	k3_free(&c->anc_ix);
	k3_free(&c->acc_ix);
	k3_free(&c->stated_ix);
	free(c->strs);
	free(c->regions);
	free(c->facts);
	free(c->groups);
	free(c->dsigs);
	free(c->pool);
	free(c->ancs);
	free(c->accs);
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
	if ((rc = fisc_store_region_each(st, add_region, &c)) != FISC_OK)
		goto done;
	/* The one pass over the facts of the selection. */
	fisc_query q = {0};
	q.region = c.region;
	if ((rc = fisc_store_fact_each(st, &q, add_fact, &c)) != FISC_OK)
		goto done;
	if (c.rc) {
		rc = c.rc;
		goto done;
	}
	c.out->facts = c.nfacts;
	if ((rc = build_index(&c)) != FISC_OK)
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
