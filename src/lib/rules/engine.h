/*
** engine.h — the rule engine's in-memory index and the helpers rules use:
** groups of facts, summed nodes, interval figures, comparisons, findings.
**
** Private to src/lib/rules. A rule never queries the store: it walks groups
** and looks up figures, so every rule together costs one pass over the facts
** plus lookups. The index (built by index.c) is laid out for a million facts
** in well under 100 MB (BENCHMARKS.md, check): facts of 32 bytes stored
** group by group, a group's siblings found through its family, its sums kept
** as bare values behind a layout that groups share.
*/
#ifndef FISC_RULES_ENGINE_H
#define FISC_RULES_ENGINE_H

#include <stdint.h>
#include <stdlib.h>
#include "fisc/catalog.h"
#include "fisc/error.h"
#include "fisc/rules.h"
#include "model/strmap.h"

/* ---- a hash map from three uint32 to one uint32 ------------------------ */

typedef struct k3map {
	uint32_t *keys; /* 3 per slot; slot empty when vals[i] == UINT32_MAX */
	uint32_t *vals;
	size_t cap, len;
} k3map;

/* Pointer to the value of (a, b, c), inserted as `init` when absent (then
** *created = 1); NULL when out of memory. The pointer is valid until the next
** insertion. */
uint32_t *k3_upsert(k3map *m, uint32_t a, uint32_t b, uint32_t c, uint32_t init,
		    int *created);
/* 1 and *v when present, else 0. */
int k3_get(const k3map *m, uint32_t a, uint32_t b, uint32_t c, uint32_t *v);
/* Room for n entries without growing (a map sized once from a count). */
int k3_reserve(k3map *m, size_t n);
void k3_free(k3map *m);

/* ---- figures: an amount with its interval ------------------------------ */

typedef struct fig {
	fisc_fen fen;
	fisc_fen width;   /* Σ ulp of the figures in it (ulp 1 fen counts 0) */
	uint32_t n;       /* figures (facts) in it, with or without amount */
	uint32_t nhas;    /* of those, with an amount */
	uint32_t votes[3];/* units they were written in */
	int ovf;          /* a sum overflowed int64: never compared */
} fig;

#define FIG_HAS(f) ((f).nhas > 0 && !(f).ovf)

void fig_add(fig *into, const fig *b);
void fig_sub(fig *into, const fig *b);
fig fig_neg(const fig *b);
fig fig_zero(void);
int fig_unit(const fig *f); /* the unit most of its figures were written in */

/* a == b (equality) and a <= b, on intervals; *tol is the half widths summed. */
int cmp_eq(const fig *a, const fig *b, fisc_fen *tol);
int cmp_le(const fig *a, const fig *b, fisc_fen *tol);
/* lo% <= num/den <= hi% (percent × 100: 100 = 1%); den must be > 0. */
int cmp_ratio(const fig *num, const fig *den, int lo_bp, int hi_bp);

/* ---- the index --------------------------------------------------------- */

/*
** A fact, 32 bytes: a national run holds a million of them. What many facts
** share — kind, whether there is an amount, its unit and precision, the
** source — is kept once in an rprov (a generated dataset has a handful, a
** transcription one per source line).
*/
typedef struct rfact {
	int64_t id;
	fisc_fen fen;       /* the amount; 0 when the fact has none */
	uint32_t item;      /* string id */
	uint32_t dsig;      /* detail signature of (project, fund, econ); 0 = none */
	uint32_t anc;       /* ancestor list */
	uint32_t prov;      /* c->provs[prov] */
} rfact;

typedef struct rprov {
	fisc_fen ulp;
	uint32_t source;    /* string id */
	int8_t unit, decimals;
	uint8_t kind, has_amount;
} rprov;

enum {
	GF_COMPOSE_REV = 1, GF_COMPOSE_EXP = 2, GF_BASE_REV = 4, GF_BASE_EXP = 8,
	GF_BALANCE = 16     /* base facts on both sides (ck_is_balance_book) */
};

typedef struct rgroup {
	int64_t region;
	int32_t year;
	uint8_t book, phase, scope;
	uint8_t flags;
	uint32_t dept;      /* string id */
	uint32_t cat;       /* catalogue index */
	uint32_t region_ix; /* index into ctx->regions */
	uint32_t first;     /* its facts are c->facts[first, first + nfacts), import order */
	uint32_t nfacts;
	uint32_t family;    /* the groups of its region, year and department */
	uint32_t layout;    /* which nodes have a sum (no detail), and where */
	uint32_t acc;       /* its first sum in c->acc_fen / c->acc_shape */
	uint32_t stated;    /* its stated facts: c->stated[stated, stated + nstated), */
	uint32_t nstated;   /* by (item, detail) */
} rgroup;

/* The groups of one (region, year, department), one per (book, phase, scope)
** present: bit (book × 4 + phase − 1) × 3 + scope − 1 of `mask` is set for
** each, and c->famg[first + the set bits below it] is its index, so a
** sibling is found without hashing. */
typedef struct rfamily {
	uint64_t mask;
	uint32_t first;
} rfamily;

/* The nodes of a group that have a sum with no detail, in slot order, and a
** small hash table node → slot. Groups whose facts name the same items in the
** same order share one, so a group's sums are just values. */
typedef struct rlayout {
	uint32_t n;
	uint32_t nodes;     /* c->lnodes[nodes, nodes + n) */
	uint32_t table;     /* c->ltable[table, table + mask + 1): slot + 1, 0 = free */
	uint32_t mask;
} rlayout;

/* An open-addressing set of ids whose keys live elsewhere (provenances,
** layouts, figure shapes): the user hashes and compares. */
typedef struct hset {
	uint64_t *h;
	uint32_t *id;       /* UINT32_MAX: free */
	size_t cap, len;
} hset;

/* Well-known balance lines (data/lines.csv ids) the rules name. */
enum {
	L_INCOME_TOTAL, L_OWN_REV, L_TAX, L_NONTAX, L_SSF_REV, L_XFER_IN_TOTAL,
	L_UPPER_SUBSIDY, L_LOWER_REMIT, L_STAB_DRAW, L_TRANSFER_IN, L_CARRY_IN,
	L_EXPENSE_TOTAL, L_OWN_EXP, L_XFER_OUT_TOTAL, L_REMIT_UP, L_SUBSIDY_LOWER,
	L_TRANSFER_OUT, L_STAB_FILL, L_CARRY_OUT,
	L_SSF_SURPLUS, L_SSF_BALANCE, L_STAB_OPEN, L_STAB_CLOSE,
	L_DEBT_LIMIT, L_DEBT_BALANCE, L_DEBT_ISSUE, L_DEBT_NEW, L_DEBT_REFI,
	L_DEBT_SERVICE, L_DEBT_PRINCIPAL, L_DEBT_INTEREST,
	L_DEPT_INCOME_TOTAL, L_DEPT_EXP_TOTAL,
	L_COUNT
};

typedef struct rcat {
	int edition;
	fisc_catalog *cat;
	fisc_strmap nchildren;  /* code → (uintptr_t) number of catalogue children */
	uint32_t reserve;       /* string id of the 预备费 class */
} rcat;

typedef struct rline {
	uint32_t id, parent;    /* string ids (parent 0 at top) */
	const char *side;
	const fisc_line *line;
} rline;

/* An ancestor list: c->pool[off, off + n); flags ANC_* say which of the two
** sections it counts towards. */
typedef struct ranc {
	uint32_t off, n, flags;
} ranc;
enum { ANC_OWN_REV = 1, ANC_OWN_EXP = 2 };

struct fisc_check_ctx {
	fisc_store *st;
	fisc_arena *a;          /* the caller's: findings */
	fisc_arena *w;          /* working memory */
	fisc_check_opts opts;
	int64_t region;         /* selected region id, 0: all */
	int rc;
	struct fisc_perf_set *perf; /* the selection's performance indicators, read by
				     the first perf.* rule that runs (r_perf.c) */

	/* interned strings; id 0 is "" */
	const char **strs;
	size_t nstrs, capstrs;
	fisc_strmap str_ix;
	uint32_t *smap;         /* while reading: the store's string ids → ours */
	size_t nsmap, capsmap;

	fisc_region *regions;
	size_t nregions, capregions;
	k3map region_ix;        /* (id lo, id hi, 0) → index + 1 (index.c) */

	rcat cats[32];
	int ncats;
	k3map cat_by_year;      /* (year, 0, 0) → cats index */

	rline *lines;
	size_t nlines;
	k3map line_ix;          /* (string id, 0, 0) → lines index */
	uint32_t L[L_COUNT];

	rfact *facts;           /* grouped: see rgroup.first */
	size_t nfacts, capfacts;
	uint32_t *fgroup;       /* while reading: each fact's group */
	rprov *provs;
	size_t nprovs, capprovs;
	hset prov_ix;
	uint32_t prov_last[2];  /* while reading: the last provenance per kind */

	rgroup *groups;
	size_t ngroups, capgroups;
	k3map group_ix;         /* while reading: (region, year/book/phase/scope, dept) → group */
	rfamily *families;
	size_t nfamilies, capfamilies;
	k3map family_ix;        /* (region, year, dept) → family */
	uint32_t *famg;         /* group indices, by family */

	uint32_t (*dsigs)[3];
	size_t ndsigs, capdsigs;
	k3map dsig_ix;

	uint32_t *pool;         /* ancestor lists */
	size_t npool, cappool;
	ranc *ancs;
	size_t nancs, capancs;
	k3map anc_ix;           /* (item, fund, cat<<1 | dept) → ancs index */

	/* Base sums. With no detail: rgroup.layout and .acc; with a detail:
	** dacc_ix. A sum is its amount and a shape — the rest of its fig (count,
	** width, units), shared by the many sums that have the same. */
	rlayout *layouts;
	size_t nlayouts, caplayouts;
	hset layout_ix;
	uint32_t *lnodes, *ltable;
	size_t nlnodes, caplnodes, nltable, capltable;
	fisc_fen *acc_fen;
	uint32_t *acc_shape;
	size_t naccs, capaccs;
	fig *shapes;            /* fen 0 */
	size_t nshapes, capshapes;
	hset shape_ix;
	uint32_t shape_memo[64];  /* while building: the last shape by count */
	k3map dacc_ix;          /* (group, node, detail) → sum */
	uint32_t *stated;       /* stated facts, by group (rgroup.stated) */

	/* findings */
	fisc_finding **found;
	size_t nfound, capfound;
	fisc_findings *out;
	const fisc_rule *rule;
	size_t rule_ix;
};

/* The index (index.c): read the regions and the facts of the selection and
** build it; free it. */
int ck_index_build(fisc_check_ctx *c);
void ck_index_free(fisc_check_ctx *c);

/* Grow a malloc'ed vector so that it holds one more element. */
static inline int ck_vgrow(void **v, size_t *cap, size_t n, size_t size)
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
#define VGROW(c, vec, n, cap) ck_vgrow((void **)&(c)->vec, &(c)->cap, (c)->n, sizeof *(c)->vec)

/* The bit of (book, phase, scope) in a family's mask; -1 when out of range. */
static inline int ck_family_bit(int book, int phase, int scope)
{
	if (book < 0 || book > 4 || phase < 1 || phase > 4 || scope < 1 || scope > 3)
		return -1;
	return (book * 4 + phase - 1) * 3 + scope - 1;
}

/* Where a node starts looking in a layout's table. */
static inline uint32_t ck_node_hash(uint32_t node) { return node * 0x9E3779B1u; }

/* Strings. */
uint32_t ck_intern(fisc_check_ctx *c, const char *s);
uint32_t ck_sid(const fisc_check_ctx *c, const char *s); /* UINT32_MAX if unknown */
static inline const char *ck_str(const fisc_check_ctx *c, uint32_t id) { return c->strs[id]; }

/* Facts: what they share with others, their amount, their group. */
static inline const rprov *ck_prov(const fisc_check_ctx *c, const rfact *f)
{
	return &c->provs[f->prov];
}
fisc_amount ck_amount(const fisc_check_ctx *c, const rfact *f);
uint32_t ck_fact_group(const fisc_check_ctx *c, uint32_t fact);

/* Is base fact f of a 本级 / 下级 group part of the composed 全辖 group with
** flags fa (its own revenue or expenditure, when that is composed)? */
static inline int ck_composed_into(const fisc_check_ctx *c, unsigned fa, const rfact *f)
{
	unsigned af = c->ancs[f->anc].flags;
	return ((fa & GF_COMPOSE_REV) && (af & ANC_OWN_REV)) ||
	       ((fa & GF_COMPOSE_EXP) && (af & ANC_OWN_EXP));
}

/* Groups: index of the group with this key, or -1. */
long ck_group(const fisc_check_ctx *c, int64_t region, int year, int book, int phase,
	      int scope, uint32_t dept);
/* The group of `g` with another scope / book / phase / year. */
long ck_sibling(const fisc_check_ctx *c, const rgroup *g, int year, int book, int phase,
		int scope);
/* The closing figures of year `year` for g's region, book, scope and department:
** the final accounts when there are, else the execution. -1 if neither. */
long ck_closing(const fisc_check_ctx *c, const rgroup *g, int year, int scope);

/* Ancestors of a fact (the nodes it counts towards), nearest first, itself first. */
const uint32_t *ck_anc(const fisc_check_ctx *c, const rfact *f, uint32_t *n);
int ck_has_anc(const fisc_check_ctx *c, const rfact *f, uint32_t node);

/* Detail signatures: (project, fund, econ) string ids. */
static inline const uint32_t *ck_dsig(const fisc_check_ctx *c, uint32_t d) { return c->dsigs[d]; }
/* The signature of (project, fund, econ), added when new; 0 for none. */
uint32_t ck_dsig_of(fisc_check_ctx *c, uint32_t project, uint32_t fund, uint32_t econ);
/* The signature with its last non-empty dimension dropped (econ, then fund,
** then project); *dim gets 3/2/1. */
uint32_t ck_dsig_parent(fisc_check_ctx *c, uint32_t d, int *dim);

/* Figures. base: the sum of the base facts under (node, detail) in group g
** (n == 0 when none). stated: the stated fact of exactly (node, detail), or -1. */
fig ck_base(const fisc_check_ctx *c, long g, uint32_t node, uint32_t dsig);
long ck_stated(const fisc_check_ctx *c, long g, uint32_t node, uint32_t dsig);
fig ck_fact_fig(const fisc_check_ctx *c, const rfact *f);
/* The figure of a node: computed from base facts when there are any with an
** amount, else the stated figure; *stated_fact gets the stated fact used, or
** -1 when the figure is computed (may be NULL). */
fig ck_value(const fisc_check_ctx *c, long g, uint32_t node, uint32_t dsig, long *stated_fact);

/* Lines. */
const rline *ck_line(const fisc_check_ctx *c, uint32_t node); /* NULL: not a line */
const char *ck_item_name(const fisc_check_ctx *c, const rgroup *g, uint32_t node);

/* ---- findings ---------------------------------------------------------- */

/* Count a check and, when it is to be reported, open a finding about group g
** (and the other year, when the check spans two); NULL when not reported. */
fisc_finding *ck_emit(fisc_check_ctx *c, long g, int year_from, int verdict, int fail_sev);
/* The same for a check about something that is not a fact group (a
** department's performance indicators): region, year and department given;
** the finding spans books (book -1) and phases (0). */
fisc_finding *ck_emit_at(fisc_check_ctx *c, int64_t region, int year, const char *dept,
			 int verdict, int fail_sev);
void ck_amounts(fisc_check_ctx *c, fisc_finding *f, const fig *stated, const fig *computed,
		fisc_fen tol);
void ck_message(fisc_check_ctx *c, fisc_finding *f, const char *zh, const char *en);
void ck_add_fact(fisc_check_ctx *c, fisc_finding *f, uint32_t fact, const char *role);
/* Every base fact summed into (node, detail) of group g. */
void ck_add_base(fisc_check_ctx *c, fisc_finding *f, long g, uint32_t node, uint32_t dsig,
		 const char *role);
/* The stated fact of (node, detail) of g when there is one, else its base facts. */
void ck_add_value(fisc_check_ctx *c, fisc_finding *f, long g, uint32_t node, uint32_t dsig,
		  const char *role);

/* Text helpers (allocated in the working arena). */
const char *ck_amt(fisc_check_ctx *c, fisc_fen fen, int unit);
const char *ck_fig(fisc_check_ctx *c, const fig *f);
const char *ck_where_zh(fisc_check_ctx *c, const rgroup *g);
const char *ck_where_en(fisc_check_ctx *c, const rgroup *g);
const char *ck_verdict_zh(int verdict);
const char *ck_verdict_en(int verdict);
const char *ck_percent(fisc_check_ctx *c, fisc_fen num, fisc_fen den);
/* "（资金来源：超收收入）" / " (fund source 超收收入)"; "" for no detail. */
const char *ck_detail(fisc_check_ctx *c, uint32_t dsig, int en);
/* "（差额 10万元，舍入容差 1.5万元）" / " (difference …; rounding tolerance …)"
** for a finding whose amounts are set; "" when the two sides are equal. */
const char *ck_tail(fisc_check_ctx *c, const fisc_finding *f, int en);
/* The year, scope, book, phase and department of g as one phrase. */
#define CK_WHERE(c, g, en) ((en) ? ck_where_en((c), (g)) : ck_where_zh((c), (g)))

/* ---- rule functions (registered in registry.c) ------------------------- */

int fisc_rule_balance_totals(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_dept_income(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_balance_subtotal(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_balance_parts(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_ssf_surplus(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_books_transfer(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_levels_balance(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_levels_lower(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_levels_negative(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_years_carry(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_years_ssf(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_years_stab(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_years_debt(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_debt_limit(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_debt_split(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_debt_issue(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_law_reserve(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_law_transfer(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_law_deficit(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_phases_over(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_precision_unit(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_perf_reason(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_perf_weights(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_perf_score(fisc_check_ctx *c, const fisc_rule *r);
int fisc_rule_perf_assessed(fisc_check_ctx *c, const fisc_rule *r);

/* Implied lower level (下级 = 全辖 − 本级, transfers between them eliminated)
** for one in/out line: fills *out and returns 1 when g_all (scope all) and
** its 本级 sibling are both balance books. Shared by the levels and years
** rules (r_links.c). */
int ck_implied_lower(const fisc_check_ctx *c, long g_all, uint32_t line, fig *out);
/* The in-side and out-side lines of a balance book that the level
** consolidation works on (own revenue / expenditure and each transfer item). */
size_t ck_consolidation_lines(const fisc_check_ctx *c, int income, uint32_t *out, size_t cap);
/* A debt figure of group g (stated or computed); for book all, when not
** given for all books together, the sum of the books' figures. */
fig ck_debt_value(const fisc_check_ctx *c, long g, uint32_t node);
/* g is a balance book: has base facts on both sides. */
int ck_is_balance_book(const fisc_check_ctx *c, long g);

#endif
