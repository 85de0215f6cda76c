/*
** index.c — the rule engine's index (engine.h): the regions and facts of a
** selection read from the store once, grouped, and every base fact summed
** into the nodes it counts towards (see engine.c for what the index is).
**
** Size and speed: a national dataset is 1.1M facts, and `fisc check` must
** take under 1 s and 100 MB (BENCHMARKS.md). So:
** - the store hands facts over with string ids (fisc_store_fact_scan): no
**   text is hashed or copied per fact;
** - a fact is 32 bytes, what facts share (kind, precision, source) kept once
**   (rprov);
** - the facts are then moved so that each group's are contiguous, and
**   groups of one region, year and department find each other through a
**   family, without a hash lookup;
** - a group's sums are built in one go in a small table that stays in the
**   CPU's cache, then kept as bare amounts in the order of a layout that is
**   shared with every group whose facts name the same nodes, and a shape
**   (count, interval, units) shared with every sum that has the same: 12
**   bytes a sum, no keys, no map with millions of entries.
*/
#include <stdlib.h>
#include <string.h>
#include "rules/engine.h"

/* ---- hset: ids by a hash the caller computes ----------------------------- */

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

static uint64_t hash_u32s(const uint32_t *v, size_t n)
{
	uint64_t h = n;
	for (size_t i = 0; i < n; i++)
		h = (h ^ v[i]) * 0x9E3779B97F4A7C15ULL;
	return mix64(h);
}

/* Room for one more id: call before probing for a free slot. */
static int hset_room(hset *s)
{
	if ((s->len + 1) * 2 <= s->cap)
		return 0;
	size_t cap = s->cap ? s->cap * 2 : 64;
	uint64_t *h = malloc(cap * sizeof *h);
	uint32_t *id = malloc(cap * sizeof *id);
	if (!h || !id) {
		free(h);
		free(id);
		return -1;
	}
	memset(id, 0xff, cap * sizeof *id);
	for (size_t i = 0; i < s->cap; i++) {
		if (s->id[i] == UINT32_MAX)
			continue;
		size_t j = s->h[i] & (cap - 1);
		while (id[j] != UINT32_MAX)
			j = (j + 1) & (cap - 1);
		h[j] = s->h[i];
		id[j] = s->id[i];
	}
	free(s->h);
	free(s->id);
	s->h = h;
	s->id = id;
	s->cap = cap;
	return 0;
}

/* The first slot for hash h (then j = (j + 1) & (cap − 1) until id is free). */
static size_t hset_start(const hset *s, uint64_t h) { return h & (s->cap - 1); }

static void hset_put(hset *s, size_t j, uint64_t h, uint32_t id)
{
	s->h[j] = h;
	s->id[j] = id;
	s->len++;
}

static void hset_free(hset *s)
{
	free(s->h);
	free(s->id);
	memset(s, 0, sizeof *s);
}

/* ---- reading ------------------------------------------------------------ */

/* Year, book, phase and scope as one key (with region and department, a
** group's key while the facts are read). */
static uint32_t group_b(int year, int book, int phase, int scope)
{
	return (uint32_t)year << 8 | (uint32_t)book << 5 | (uint32_t)phase << 2 | (uint32_t)scope;
}

/* A region of the store: kept when facts name it (a national store has
** 17,000 regions, most without facts of their own), and the first one, which
** stands in for a region that is missing (as it always has: region_ix 0). */
static int add_region(void *ud, const fisc_region *r)
{
	fisc_check_ctx *c = ud;
	uint32_t v;
	if (c->nregions && !k3_get(&c->region_ix, (uint32_t)r->id,
				   (uint32_t)((uint64_t)r->id >> 32), 0, &v))
		return FISC_OK;
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
	uint32_t *ix = k3_upsert(&c->region_ix, (uint32_t)r->id, (uint32_t)((uint64_t)r->id >> 32),
				 0, 0, NULL);
	if (!ix || !d->label_lower)
		return FISC_ENOMEM;
	*ix = (uint32_t)++c->nregions; /* index + 1 */
	return FISC_OK;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The regions a one-region check names (that region, perhaps a neighbour),
** each read by id and in id order, as region_each would give them: reading
** every region of a national store (17,000) for each of 1,300 reports was
** a third of `report --all-regions`. */
static int named_regions(fisc_check_ctx *c)
{
	int64_t *ids = malloc((c->ngroups + 1) * sizeof *ids);
	size_t n = 0;
	int rc = FISC_OK;
	if (!ids)
		return FISC_ENOMEM;
	for (size_t g = 0; g < c->ngroups; g++)
		ids[n++] = c->groups[g].region;
	qsort(ids, n, sizeof *ids, cmp_id);
	for (size_t i = 0; i < n && rc == FISC_OK; i++) {
		fisc_region r;
		if (i && ids[i] == ids[i - 1])
			continue;
		rc = fisc_store_region_get(c->st, ids[i], c->a, &r);
		if (rc == FISC_ENOTFOUND) { /* as region_each: a region not stored is not read */
			fisc_error_clear();
			rc = FISC_OK;
			continue;
		}
		if (rc == FISC_OK)
			rc = add_region(c, &r);
	}
	free(ids);
	return rc;
}

/* A text of the store's numbering: remember which of ours it is. */
static int add_string(void *ud, uint32_t id, const char *s, size_t n)
{
	fisc_check_ctx *c = ud;
	(void)n;
	while (c->nsmap <= id) {
		if (VGROW(c, smap, nsmap, capsmap))
			return FISC_ENOMEM;
		c->smap[c->nsmap++] = 0;
	}
	c->smap[id] = ck_intern(c, s);
	return c->rc;
}

static uint64_t prov_hash(const rprov *p)
{
	return mix64((uint64_t)p->ulp ^ mix64((uint64_t)p->source << 32 |
					      (uint32_t)(uint8_t)p->unit << 24 |
					      (uint32_t)(uint8_t)p->decimals << 16 |
					      (uint32_t)p->kind << 8 | p->has_amount));
}

static int prov_eq(const rprov *a, const rprov *b)
{
	return a->ulp == b->ulp && a->source == b->source && a->unit == b->unit &&
	       a->decimals == b->decimals && a->kind == b->kind && a->has_amount == b->has_amount;
}

/* The index of provenance p, added when new; UINT32_MAX when out of memory. */
static uint32_t prov_of(fisc_check_ctx *c, const rprov *p)
{
	/* Consecutive facts mostly share it (one table, one source), base and
	** stated facts taking turns: the last one of the same kind is tried first. */
	uint32_t *last = &c->prov_last[p->kind & 1];
	if (*last < c->nprovs && prov_eq(&c->provs[*last], p))
		return *last;
	if (hset_room(&c->prov_ix))
		return UINT32_MAX;
	uint64_t h = prov_hash(p);
	size_t j = hset_start(&c->prov_ix, h);
	for (; c->prov_ix.id[j] != UINT32_MAX; j = (j + 1) & (c->prov_ix.cap - 1))
		if (c->prov_ix.h[j] == h && prov_eq(&c->provs[c->prov_ix.id[j]], p))
			return *last = c->prov_ix.id[j];
	if (VGROW(c, provs, nprovs, capprovs))
		return UINT32_MAX;
	c->provs[c->nprovs] = *p;
	hset_put(&c->prov_ix, j, h, (uint32_t)c->nprovs);
	return *last = (uint32_t)c->nprovs++;
}

static int add_fact(void *ud, const fisc_fact_ids *f)
{
	fisc_check_ctx *c = ud;
	if (c->opts.year && (f->year < c->opts.year - 1 || f->year > c->opts.year + 1))
		return 0;
	if (f->scope < 1 || f->scope > 3 || f->book > 4 || f->phase < 1 || f->phase > 4 ||
	    f->year <= 0 || f->region <= 0 || f->region > UINT32_MAX)
		return 0;
	if (c->nfacts == c->capfacts) {
		/* Grow facts and their group numbers together. */
		size_t cap = c->capfacts ? c->capfacts * 2 : 1024;
		rfact *nf = realloc(c->facts, cap * sizeof *nf);
		if (nf)
			c->facts = nf;
		uint32_t *ng = nf ? realloc(c->fgroup, cap * sizeof *ng) : NULL;
		if (!ng)
			return FISC_ENOMEM;
		c->fgroup = ng;
		c->capfacts = cap;
	}
	rfact *r = &c->facts[c->nfacts];
	r->id = f->id;
	r->fen = f->amount.fen;
	r->item = c->smap[f->item];
	r->dsig = ck_dsig_of(c, c->smap[f->project], c->smap[f->fund], c->smap[f->econ]);
	r->anc = 0;
	rprov p;
	p.ulp = f->amount.ulp;
	p.source = c->smap[f->source];
	p.unit = f->amount.unit;
	p.decimals = f->amount.decimals;
	p.kind = f->kind;
	p.has_amount = (uint8_t)(f->has_amount != 0);
	if ((r->prov = prov_of(c, &p)) == UINT32_MAX || c->rc)
		return FISC_ENOMEM;
	uint32_t dept = c->smap[f->dept];
	/* Facts come table by table, so most belong to the group of the one before. */
	const rgroup *last = c->nfacts ? &c->groups[c->fgroup[c->nfacts - 1]] : NULL;
	uint32_t g;
	if (last && last->region == f->region && last->year == f->year &&
	    last->book == f->book && last->phase == f->phase && last->scope == f->scope &&
	    last->dept == dept) {
		g = c->fgroup[c->nfacts - 1];
	} else {
		int created;
		uint32_t *v = k3_upsert(&c->group_ix, (uint32_t)f->region,
					group_b(f->year, f->book, f->phase, f->scope), dept,
					(uint32_t)c->ngroups, &created);
		if (!v)
			return FISC_ENOMEM;
		g = *v;
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
	}
	c->fgroup[c->nfacts] = g;
	c->groups[g].nfacts++;
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
	/* From the loaded catalogue, not the store: a report's check runs once
	** per region of `report --all-regions`. */
	for (size_t i = 0; i < fisc_catalog_entry_count(cat); i++)
		if ((rc = count_child(r, fisc_catalog_entry_at(cat, i))) != FISC_OK)
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
	ranc *A = &c->ancs[c->nancs];
	A->off = (uint32_t)start;
	A->n = (uint32_t)(c->npool - start);
	A->flags = 0;
	for (size_t i = start; i < c->npool; i++) {
		if (c->pool[i] == c->L[L_OWN_REV])
			A->flags |= ANC_OWN_REV;
		if (c->pool[i] == c->L[L_OWN_EXP])
			A->flags |= ANC_OWN_EXP;
	}
	if (!k3_upsert(&c->anc_ix, item, fund, key_c, (uint32_t)c->nancs, NULL))
		return FISC_ENOMEM;
	*out = (uint32_t)c->nancs++;
	return c->rc;
}

/* ---- the index ---------------------------------------------------------- */

/*
** Move the facts so that each group's are contiguous, in import order within
** the group (a stable counting sort), and drop the per-fact group numbers.
** The move is done in place along the permutation's cycles, so the facts are
** never held twice; facts that arrive table by table barely move.
*/
static int group_facts(fisc_check_ctx *c)
{
	uint32_t *dest = malloc((c->nfacts + 1) * sizeof *dest);
	if (!dest)
		return FISC_ENOMEM;
	uint32_t at = 0;
	for (size_t g = 0; g < c->ngroups; g++) {
		c->groups[g].first = at;
		at += c->groups[g].nfacts;
		c->groups[g].nfacts = 0;
	}
	for (size_t i = 0; i < c->nfacts; i++) {
		rgroup *G = &c->groups[c->fgroup[i]];
		dest[i] = G->first + G->nfacts++;
	}
	free(c->fgroup);
	c->fgroup = NULL;
	for (uint32_t i = 0; i < c->nfacts; i++)
		while (dest[i] != i) {
			uint32_t j = dest[i];
			rfact t = c->facts[j];
			c->facts[j] = c->facts[i];
			c->facts[i] = t;
			dest[i] = dest[j];
			dest[j] = j;
		}
	free(dest);
	return FISC_OK;
}

/* Families: each group's siblings by book, phase and scope (see rfamily). */
static int build_families(fisc_check_ctx *c)
{
	if (k3_reserve(&c->family_ix, c->ngroups / 8 + 16))
		return FISC_ENOMEM;
	for (size_t g = 0; g < c->ngroups; g++) {
		rgroup *G = &c->groups[g];
		int created;
		uint32_t *v = k3_upsert(&c->family_ix, (uint32_t)G->region, (uint32_t)G->year, G->dept,
					(uint32_t)c->nfamilies, &created);
		if (!v)
			return FISC_ENOMEM;
		if (created) {
			if (VGROW(c, families, nfamilies, capfamilies))
				return FISC_ENOMEM;
			c->families[c->nfamilies].mask = 0;
			c->families[c->nfamilies++].first = 0;
		}
		G->family = *v;
		c->families[*v].mask |= 1ULL << ck_family_bit(G->book, G->phase, G->scope);
	}
	uint32_t at = 0;
	for (size_t f = 0; f < c->nfamilies; f++) {
		c->families[f].first = at;
		at += (uint32_t)__builtin_popcountll(c->families[f].mask);
	}
	if (!(c->famg = malloc((at + 1) * sizeof *c->famg)))
		return FISC_ENOMEM;
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		const rfamily *F = &c->families[G->family];
		int bit = ck_family_bit(G->book, G->phase, G->scope);
		c->famg[F->first + (uint32_t)__builtin_popcountll(F->mask & ((1ULL << bit) - 1))] =
			(uint32_t)g;
	}
	k3_free(&c->group_ix); /* ck_group goes through the families from here on */
	return FISC_OK;
}

static int shape_is(const fig *s, const fig *k)
{
	return s->width == k->width && s->n == k->n && s->nhas == k->nhas && s->ovf == k->ovf &&
	       s->votes[0] == k->votes[0] && s->votes[1] == k->votes[1] && s->votes[2] == k->votes[2];
}

/* The shape of a sum (all of its fig but the amount), added when new. */
static uint32_t shape_of(fisc_check_ctx *c, const fig *f)
{
	fig k = *f;
	k.fen = 0;
	/* Sums of the same count mostly have the same shape: the last one seen
	** for the count is tried before the table. */
	uint32_t *memo = &c->shape_memo[k.n % (sizeof c->shape_memo / sizeof *c->shape_memo)];
	if (*memo < c->nshapes && shape_is(&c->shapes[*memo], &k))
		return *memo;
	/* Shapes are few (a national run has about a dozen): any mix will do. */
	uint64_t h = ((uint64_t)k.width * 0x9E3779B97F4A7C15ULL) ^
		     (((uint64_t)k.n << 32 | k.nhas) * 0xBF58476D1CE4E5B9ULL) ^
		     (((uint64_t)k.votes[0] << 40 ^ (uint64_t)k.votes[1] << 20 ^ k.votes[2]) *
		      0x94D049BB133111EBULL) ^ (uint64_t)k.ovf;
	h ^= h >> 29;
	if (hset_room(&c->shape_ix)) {
		c->rc = FISC_ENOMEM;
		return 0;
	}
	size_t j = hset_start(&c->shape_ix, h);
	for (; c->shape_ix.id[j] != UINT32_MAX; j = (j + 1) & (c->shape_ix.cap - 1))
		if (c->shape_ix.h[j] == h && shape_is(&c->shapes[c->shape_ix.id[j]], &k))
			return *memo = c->shape_ix.id[j];
	if (VGROW(c, shapes, nshapes, capshapes)) {
		c->rc = FISC_ENOMEM;
		return 0;
	}
	c->shapes[c->nshapes] = k;
	hset_put(&c->shape_ix, j, h, (uint32_t)c->nshapes);
	return *memo = (uint32_t)c->nshapes++;
}

/* A new sum (amount and shape); its index, or UINT32_MAX when out of memory.
** build_index sizes the arrays for every sum beforehand; growing them is
** only a safeguard. */
static uint32_t acc_push(fisc_check_ctx *c, const fig *f)
{
	if (c->naccs == c->capaccs) {
		size_t cap = c->capaccs ? c->capaccs * 2 : 4096;
		fisc_fen *nf = realloc(c->acc_fen, cap * sizeof *nf);
		if (nf)
			c->acc_fen = nf;
		uint32_t *ns = nf ? realloc(c->acc_shape, cap * sizeof *ns) : NULL;
		if (!ns)
			return UINT32_MAX;
		c->acc_shape = ns;
		c->capaccs = cap;
	}
	c->acc_fen[c->naccs] = f->fen;
	c->acc_shape[c->naccs] = shape_of(c, f);
	return c->rc ? UINT32_MAX : (uint32_t)c->naccs++;
}

/* Room for `need` entries in a malloc'ed array. */
static int reserve_u32(uint32_t **v, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap : 256;
	while (nc < need)
		nc *= 2;
	uint32_t *nv = realloc(*v, nc * sizeof *nv);
	if (!nv)
		return -1;
	*v = nv;
	*cap = nc;
	return 0;
}

static int layout_is(const fisc_check_ctx *c, uint32_t layout, const uint32_t *nodes, uint32_t n)
{
	const rlayout *L = &c->layouts[layout];
	return L->n == n && (n == 0 || memcmp(&c->lnodes[L->nodes], nodes, n * sizeof *nodes) == 0);
}

/* The layout of this node list (in this order), added when new. `prev` is
** the previous group's, which the next group most often repeats. */
static uint32_t layout_of(fisc_check_ctx *c, const uint32_t *nodes, uint32_t n, uint32_t prev)
{
	if (prev < c->nlayouts && layout_is(c, prev, nodes, n))
		return prev;
	uint64_t h = hash_u32s(nodes, n);
	if (hset_room(&c->layout_ix)) {
		c->rc = FISC_ENOMEM;
		return 0;
	}
	size_t j = hset_start(&c->layout_ix, h);
	for (; c->layout_ix.id[j] != UINT32_MAX; j = (j + 1) & (c->layout_ix.cap - 1))
		if (c->layout_ix.h[j] == h && layout_is(c, c->layout_ix.id[j], nodes, n))
			return c->layout_ix.id[j];
	uint32_t mask = 7;
	while (mask + 1 < 2 * n)
		mask = mask * 2 + 1;
	if (reserve_u32(&c->lnodes, &c->caplnodes, c->nlnodes + n + 1) ||
	    reserve_u32(&c->ltable, &c->capltable, c->nltable + mask + 1)) {
		c->rc = FISC_ENOMEM;
		return 0;
	}
	if (VGROW(c, layouts, nlayouts, caplayouts)) {
		c->rc = FISC_ENOMEM;
		return 0;
	}
	rlayout *L = &c->layouts[c->nlayouts];
	L->n = n;
	L->nodes = (uint32_t)c->nlnodes;
	L->table = (uint32_t)c->nltable;
	L->mask = mask;
	if (n)
		memcpy(&c->lnodes[c->nlnodes], nodes, n * sizeof *nodes);
	c->nlnodes += n;
	uint32_t *table = &c->ltable[c->nltable];
	memset(table, 0, (mask + 1) * sizeof *table);
	c->nltable += mask + 1;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t t = ck_node_hash(nodes[k]) & mask;
		while (table[t])
			t = (t + 1) & mask;
		table[t] = k + 1;
	}
	hset_put(&c->layout_ix, j, h, (uint32_t)c->nlayouts);
	return (uint32_t)c->nlayouts++;
}

/*
** The sums of one group while they are built: (node, detail) → fig, in the
** order they first appear, behind a small hash table that is cleared for each
** group (it grows only for a group with many nodes), so it stays in cache.
*/
typedef struct sacc {
	uint32_t node, dsig;
	fig f;
} sacc;

typedef struct scratch {
	sacc *v;
	size_t n, cap;
	uint32_t *slot;     /* index + 1 into v, 0 = free */
	size_t mask, capslot;
	uint32_t *nodes;    /* the group's layout while it is made */
	size_t capnodes;
} scratch;

static uint32_t scratch_hash(uint32_t node, uint32_t dsig)
{
	return (node ^ dsig * 0x85EBCA6Bu) * 0x9E3779B1u;
}

static int scratch_clear(scratch *s)
{
	s->n = 0;
	s->mask = 63;
	if (!s->slot && !(s->slot = malloc(64 * sizeof *s->slot)))
		return -1;
	if (!s->capslot)
		s->capslot = 64;
	memset(s->slot, 0, 64 * sizeof *s->slot);
	return 0;
}

static int scratch_grow(scratch *s)
{
	size_t size = (s->mask + 1) * 2;
	if (size > s->capslot) {
		uint32_t *ns = realloc(s->slot, size * sizeof *ns);
		if (!ns)
			return -1;
		s->slot = ns;
		s->capslot = size;
	}
	s->mask = size - 1;
	memset(s->slot, 0, size * sizeof *s->slot);
	for (size_t i = 0; i < s->n; i++) {
		size_t j = scratch_hash(s->v[i].node, s->v[i].dsig) & s->mask;
		while (s->slot[j])
			j = (j + 1) & s->mask;
		s->slot[j] = (uint32_t)i + 1;
	}
	return 0;
}

static int scratch_add(scratch *s, uint32_t node, uint32_t dsig, const fig *f)
{
	size_t j = scratch_hash(node, dsig) & s->mask;
	for (; s->slot[j]; j = (j + 1) & s->mask) {
		sacc *a = &s->v[s->slot[j] - 1];
		if (a->node == node && a->dsig == dsig) {
			fig_add(&a->f, f);
			return 0;
		}
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		sacc *nv = realloc(s->v, cap * sizeof *nv);
		if (!nv)
			return -1;
		s->v = nv;
		s->cap = cap;
	}
	sacc *a = &s->v[s->n];
	a->node = node;
	a->dsig = dsig;
	a->f = *f;
	s->slot[j] = (uint32_t)++s->n;
	if (s->n * 2 > s->mask + 1)
		return scratch_grow(s);
	return 0;
}

static void scratch_free(scratch *s)
{
	free(s->v);
	free(s->slot);
	free(s->nodes);
}

/* Sum one base fact into the group being built: every ancestor × every
** subset of its detail. */
static int sum_fact(fisc_check_ctx *c, scratch *s, const rfact *f)
{
	uint32_t n, subs[8];
	int nsub = 0;
	const uint32_t *anc = ck_anc(c, f, &n);
	uint32_t dim[3] = {c->dsigs[f->dsig][0], c->dsigs[f->dsig][1], c->dsigs[f->dsig][2]};
	if (!f->dsig)
		subs[nsub++] = 0; /* no detail: the only subset is none (most facts) */
	else
		for (unsigned mask = 0; mask < 8; mask++) {
			int ok = 1;
			for (int k = 0; k < 3; k++)
				if ((mask >> k & 1) && !dim[k])
					ok = 0;
			if (ok)
				subs[nsub++] = ck_dsig_of(c, mask & 1 ? dim[0] : 0, mask & 2 ? dim[1] : 0,
						       mask & 4 ? dim[2] : 0);
		}
	fig ff = ck_fact_fig(c, f);
	for (uint32_t i = 0; i < n; i++)
		for (int k = 0; k < nsub; k++)
			if (scratch_add(s, anc[i], subs[k], &ff))
				return FISC_ENOMEM;
	return c->rc;
}

/*
** Build the sums of group g. Its own base facts count, and for a composed
** 全辖 group also the own-section facts of its 本级 and 下级 siblings; all of
** them in import order (by id), so that every sum adds the same figures in
** the same order as one pass over the facts would.
*/
static int build_sums(fisc_check_ctx *c, scratch *s, uint32_t g)
{
	rgroup *G = &c->groups[g];
	const rgroup *from[3] = {G, NULL, NULL};
	uint32_t at[3] = {0, 0, 0};
	int nfrom = 1, rc;
	if (scratch_clear(s))
		return FISC_ENOMEM;
	if (G->flags & (GF_COMPOSE_REV | GF_COMPOSE_EXP)) {
		long sg = ck_sibling(c, G, G->year, G->book, G->phase, FISC_SCOPE_SELF);
		long lg = ck_sibling(c, G, G->year, G->book, G->phase, FISC_SCOPE_LOWER);
		from[nfrom++] = &c->groups[sg];
		from[nfrom++] = &c->groups[lg];
	}
	for (;;) {
		/* The next fact by id among the groups' remaining ones. */
		int best = -1;
		for (int k = 0; k < nfrom; k++)
			if (at[k] < from[k]->nfacts &&
			    (best < 0 || c->facts[from[k]->first + at[k]].id <
						 c->facts[from[best]->first + at[best]].id))
				best = k;
		if (best < 0)
			break;
		const rfact *f = &c->facts[from[best]->first + at[best]++];
		if (ck_prov(c, f)->kind != FISC_FACT_BASE || (best > 0 && !ck_composed_into(c, G->flags, f)))
			continue;
		if ((rc = sum_fact(c, s, f)) != FISC_OK)
			return rc;
	}
	/* Sums with no detail: values in the order of the group's layout. */
	if (s->n > s->capnodes) {
		uint32_t *nn = realloc(s->nodes, s->n * sizeof *nn);
		if (!nn)
			return FISC_ENOMEM;
		s->nodes = nn;
		s->capnodes = s->n;
	}
	uint32_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		if (!s->v[i].dsig)
			s->nodes[n++] = s->v[i].node;
	G->layout = layout_of(c, s->nodes, n, g ? c->groups[g - 1].layout : UINT32_MAX);
	G->acc = (uint32_t)c->naccs;
	for (size_t i = 0; i < s->n; i++)
		if (!s->v[i].dsig && acc_push(c, &s->v[i].f) == UINT32_MAX)
			return FISC_ENOMEM;
	/* Sums with a detail (few): by key. */
	for (size_t i = 0; i < s->n; i++) {
		if (!s->v[i].dsig)
			continue;
		uint32_t a = acc_push(c, &s->v[i].f);
		if (a == UINT32_MAX || !k3_upsert(&c->dacc_ix, g, s->v[i].node, s->v[i].dsig, a, NULL))
			return FISC_ENOMEM;
	}
	return c->rc;
}

/* Order a group's stated facts by (item, detail), import order among equals
** (there are none: the store keeps facts unique), for ck_stated. An insertion
** sort: a group states a few figures, and they mostly come in order. */
static void sort_stated(fisc_check_ctx *c, const rgroup *G)
{
	uint32_t *v = &c->stated[G->stated];
	for (uint32_t k = 1; k < G->nstated; k++) {
		uint32_t x = v[k], j = k;
		const rfact *f = &c->facts[x];
		while (j > 0) {
			const rfact *p = &c->facts[v[j - 1]];
			if (p->item < f->item || (p->item == f->item && p->dsig <= f->dsig))
				break;
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

static int build_index(fisc_check_ctx *c)
{
	int rc;
	if ((rc = group_facts(c)) != FISC_OK || (rc = build_families(c)) != FISC_OK)
		return rc;
	for (size_t g = 0; g < c->ngroups; g++) {
		rgroup *G = &c->groups[g];
		if ((rc = load_catalog(c, G->year, &G->cat)) != FISC_OK)
			return rc;
		uint32_t v;
		G->region_ix = k3_get(&c->region_ix, (uint32_t)G->region,
				      (uint32_t)((uint64_t)G->region >> 32), 0, &v) && v
				       ? v - 1
				       : 0;
	}
	if (c->ngroups && (rc = load_lines(c)) != FISC_OK)
		return rc;
	size_t nstated = 0;
	for (size_t i = 0; i < c->nfacts; i++)
		nstated += ck_prov(c, &c->facts[i])->kind != FISC_FACT_BASE;
	if (!(c->stated = malloc((nstated + 1) * sizeof *c->stated)))
		return FISC_ENOMEM;
	nstated = 0;
	/* Each fact's ancestors; which sections a group has base facts in; its
	** stated facts. */
	for (size_t g = 0; g < c->ngroups; g++) {
		rgroup *G = &c->groups[g];
		G->nstated = 0;
		for (uint32_t i = G->first; i < G->first + G->nfacts; i++) {
			rfact *f = &c->facts[i];
			if ((rc = build_anc(c, G->cat, f->item, c->dsigs[f->dsig][1], G->dept != 0,
					    &f->anc)) != FISC_OK)
				return rc;
			if (ck_prov(c, f)->kind == FISC_FACT_BASE) {
				if (c->ancs[f->anc].flags & ANC_OWN_REV)
					G->flags |= GF_BASE_REV;
				if (c->ancs[f->anc].flags & ANC_OWN_EXP)
					G->flags |= GF_BASE_EXP;
			} else {
				c->stated[nstated++] = i;
				G->nstated++;
			}
		}
		G->stated = (uint32_t)(nstated - G->nstated);
		sort_stated(c, G);
	}
	/* 全辖 own sections composed of 本级 + 下级 (see engine.c). */
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
	/* Size the sums once: a group has at most one per addition into it.
	** Growing them instead would copy 20 MB arrays and leave the copies'
	** holes in the process's memory. */
	size_t bound = 0;
	for (size_t g = 0; g < c->ngroups; g++) {
		const rgroup *G = &c->groups[g];
		for (int k = 0; k < 3; k++) {
			long from = k == 0 ? (long)g
				    : !(G->flags & (GF_COMPOSE_REV | GF_COMPOSE_EXP)) ? -1
				    : ck_sibling(c, G, G->year, G->book, G->phase,
						 k == 1 ? FISC_SCOPE_SELF : FISC_SCOPE_LOWER);
			if (from < 0)
				continue;
			const rgroup *F = &c->groups[from];
			for (uint32_t i = F->first; i < F->first + F->nfacts; i++) {
				const rfact *f = &c->facts[i];
				if (ck_prov(c, f)->kind != FISC_FACT_BASE || (k && !ck_composed_into(c, G->flags, f)))
					continue;
				const uint32_t *d = c->dsigs[f->dsig];
				bound += (size_t)c->ancs[f->anc].n << (!!d[0] + !!d[1] + !!d[2]);
			}
		}
	}
	c->acc_fen = malloc((bound + 1) * sizeof *c->acc_fen);
	c->acc_shape = malloc((bound + 1) * sizeof *c->acc_shape);
	if (!c->acc_fen || !c->acc_shape)
		return FISC_ENOMEM;
	c->capaccs = bound + 1;
	scratch s;
	memset(&s, 0, sizeof s);
	rc = FISC_OK;
	for (size_t g = 0; g < c->ngroups && rc == FISC_OK; g++)
		rc = build_sums(c, &s, (uint32_t)g);
	scratch_free(&s);
	if (rc != FISC_OK)
		return rc;
	/* A balance book (base facts on both sides) is asked about often. */
	for (size_t g = 0; g < c->ngroups; g++)
		if (ck_base(c, (long)g, c->L[L_INCOME_TOTAL], 0).n > 0 &&
		    ck_base(c, (long)g, c->L[L_EXPENSE_TOTAL], 0).n > 0)
			c->groups[g].flags |= GF_BALANCE;
	return c->rc;
}

/*
** Read the regions and the facts of the selection (c->region, c->opts.year)
** and build the index. The store's string 0 is "", as ours.
*/
int ck_index_build(fisc_check_ctx *c)
{
	int rc;
	/* Detail signature 0 is "no detail". */
	if (VGROW(c, dsigs, ndsigs, capdsigs))
		return FISC_ENOMEM;
	memset(c->dsigs[0], 0, sizeof c->dsigs[0]);
	c->ndsigs = 1;
	/* The one pass over the facts of the selection. */
	fisc_query q = {0};
	q.region = c->region;
	if (VGROW(c, smap, nsmap, capsmap))
		return FISC_ENOMEM;
	c->smap[c->nsmap++] = 0;
	if ((rc = fisc_store_fact_scan(c->st, &q, add_string, add_fact, c)) != FISC_OK)
		return rc;
	if (c->rc)
		return c->rc;
	free(c->smap);
	c->smap = NULL;
	c->nsmap = c->capsmap = 0;
	c->out->facts = c->nfacts;
	/* Then the regions the facts name: region_ix maps a region id to its
	** index + 1, 0 while it is named but not read. */
	for (size_t g = 0; g < c->ngroups; g++)
		if (!k3_upsert(&c->region_ix, (uint32_t)c->groups[g].region,
			       (uint32_t)((uint64_t)c->groups[g].region >> 32), 0, 0, NULL))
			return FISC_ENOMEM;
	if ((rc = c->region ? named_regions(c) : fisc_store_region_each(c->st, add_region, c)) !=
	    FISC_OK)
		return rc;
	return build_index(c);
}

void ck_index_free(fisc_check_ctx *c)
{
	for (int i = 0; i < c->ncats; i++) {
		fisc_strmap_free(&c->cats[i].nchildren);
		fisc_catalog_free(c->cats[i].cat);
	}
	k3_free(&c->region_ix);
	k3_free(&c->cat_by_year);
	k3_free(&c->line_ix);
	k3_free(&c->group_ix);
	k3_free(&c->family_ix);
	k3_free(&c->dsig_ix);
	k3_free(&c->anc_ix);
	k3_free(&c->dacc_ix);
	hset_free(&c->prov_ix);
	hset_free(&c->layout_ix);
	hset_free(&c->shape_ix);
	free(c->smap);
	free(c->regions);
	free(c->facts);
	free(c->fgroup);
	free(c->provs);
	free(c->groups);
	free(c->families);
	free(c->famg);
	free(c->dsigs);
	free(c->pool);
	free(c->ancs);
	free(c->stated);
	free(c->layouts);
	free(c->lnodes);
	free(c->ltable);
	free(c->acc_fen);
	free(c->acc_shape);
	free(c->shapes);
}
