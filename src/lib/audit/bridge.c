/*
** bridge.c — the facts a report states, handed to the rule engine.
**
** The text-level checks judge each claim on its own. What ties claims
** together — a book's 调出 against another book's 调入, 全区 against 区级
** (the implied 镇级 book must balance), this year's 结转下年 against next
** year's 上年结转, debt within its limit, the reserve within 1%–3% of
** expenditure — is the rule engine's work (fisc/rules.h). The extracted
** facts go into a temporary in-memory store seeded with the bundled
** catalogue, the engine runs the rules that span books, levels and years,
** and its findings are mapped back to the lines their facts came from.
**
** Only facts with a known year, book, phase and a balance-line item are
** handed over. A figure stated twice is handed over once; when a report
** states one total twice in different views (区金库 and 全区 with 两江水复片区)
** the narrower view its tables use wins, as the tables do in examples/.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/internal.h"
#include "fisc/catalog.h"
#include "fisc/error.h"
#include "fisc/fact.h"
#include "fisc/rules.h"
#include "fisc/store.h"

typedef struct cand {
	int tok;
	int stated;
	const char *fund;
	int drop, dropx;
	const char *id;      /* au_item_id of its item */
	/* what it is a figure of: its token's item and context (scope 0 read
	** as 全辖), copied here to be sorted on */
	int item, year, scope, phase, book, qual;
	int span, group;     /* dense ids of (year, scope, phase) and of (…, book) */
	size_t beg;          /* its place in the text */
} cand;

static au_tok *T(au_doc *d, int k) { return &d->toks.v[k]; }

static int exported_item(const char *id)
{
	static const char *const ok[] = {
		"own_rev", "own_exp", "tax", "nontax", "upper_subsidy", "lower_remit", "stab_draw",
		"transfer_in", "debt_in", "debt_onlend_in", "carry_in", "remit_up", "subsidy_lower",
		"transfer_out", "debt_repay", "onlend_out", "stab_fill", "turnover_fill", "carry_out",
		"income_total", "expense_total", "transfer_in_total", "transfer_out_total",
		"ssf_surplus", "ssf_balance", "debt_limit", "debt_balance", "227",
	};
	for (size_t k = 0; k < sizeof ok / sizeof *ok; k++)
		if (!strcmp(id, ok[k]))
			return 1;
	return 0;
}

static int is_transfer(const char *id)
{
	return !strcmp(id, "transfer_in") || !strcmp(id, "transfer_out");
}

/* ---- "are these two figures parts of one claim?" ------------------------- */

static int counts_as_list(const au_claim *c)
{
	return c->kind && c->kind != CK_PERCENT && c->kind != CK_RESTATED;
}

/* Do tokens a and b appear together among one claim's parts? */
static int in_one_claim(const au_tokix *x, int a, int b)
{
	if (!x->off)
		return 0;
	/* both lists are in claim order (a claim may list a token twice) */
	int i = x->off[a], ie = x->off[a + 1], j = x->off[b], je = x->off[b + 1];
	while (i < ie && j < je) {
		if (x->claims[i] == x->claims[j])
			return 1;
		if (x->claims[i] < x->claims[j])
			i++;
		else
			j++;
	}
	return 0;
}

/* ---- what candidates are figures of ---------------------------------------- */

/* A span (year, scope, phase) holds the balances of all books, whose
** transfers are compared across it; a group is one book's balance in a
** span; a quantity one item of a group. One sort on these, in this order
** and then in text order, lays out all three as runs. */
static int same_span(const cand *a, const cand *b)
{
	return a->year == b->year && a->scope == b->scope && a->phase == b->phase;
}

static int same_group(const cand *a, const cand *b) { return same_span(a, b) && a->book == b->book; }

static int same_quantity(const cand *a, const cand *b) { return same_group(a, b) && a->item == b->item; }

static _Thread_local const cand *key_cs; /* qsort has no user pointer in C11 */

static int cmp_cand(const void *x, const void *y)
{
	int i = *(const int *)x, j = *(const int *)y;
	const cand *a = &key_cs[i], *b = &key_cs[j];
#define CMPK(f) if (a->f != b->f) return a->f < b->f ? -1 : 1
	CMPK(year);
	CMPK(scope);
	CMPK(phase);
	CMPK(book);
	CMPK(item);
#undef CMPK
	return (i > j) - (i < j);
}

static int cmp_tokpos(const void *x, const void *y)
{
	const cand *a = x, *b = y;
	return a->beg < b->beg ? -1 : a->beg > b->beg;
}

static int line_of_source(const char *src)
{
	const char *c = src ? strrchr(src, ':') : NULL;
	return c ? atoi(c + 1) : 0;
}

/* The sentence or table row that holds the figure on `line`. */
static void where(au_doc *d, int line, int *sent, int *block)
{
	*sent = -1;
	*block = -1;
	for (size_t k = 0; k < d->toks.n; k++) {
		au_tok *t = T(d, (int)k);
		if (t->kind != TK_AMOUNT || t->line != line)
			continue;
		if (t->sent >= 0) {
			*sent = t->sent;
			return;
		}
		for (size_t b = 0; b < d->blocks.n; b++)
			if (d->blocks.v[b].beg <= t->beg && t->beg < d->blocks.v[b].end) {
				*block = (int)b;
				return;
			}
	}
}

static int decimals_for(fisc_fen ulp, int unit)
{
	fisc_fen step = fisc_unit_fen((fisc_unit)unit);
	int dd = 0;
	if (ulp <= 0)
		ulp = 1;
	while (dd < 8 && step > ulp) {
		step /= 10;
		dd++;
	}
	return dd;
}

/* FISC_AUDIT_DEBUG: the engine's checks that held, on stderr. */
static int o_all_debug(const fisc_finding *f)
{
	if (f->severity != FISC_SEV_PASS)
		return 0;
	fprintf(stderr, "rules: %s held: %s\n", f->rule, f->message_en ? f->message_en : "");
	return 1;
}

/* The candidates: facts of the report with an item the rules know, in text
** order, each with the key it is grouped by; NULL when there are none. */
static cand *candidates(au_doc *d, size_t *np)
{
	/* counted first: one array, the right size */
	size_t n = 0;
	char *take = fisc_arena_alloc(d->w, d->toks.n + 1);
	if (!take)
		return au_oom = 1, NULL;
	for (size_t k = 0; k < d->toks.n; k++) {
		take[k] = au_fact_ok(T(d, (int)k)) && exported_item(au_item_id(T(d, (int)k)->item));
		n += take[k];
	}
	*np = n;
	cand *cs = n ? fisc_arena_alloc(d->w, n * sizeof *cs) : NULL;
	if (!cs) {
		au_oom |= n != 0;
		return NULL;
	}
	for (size_t k = 0, i = 0; k < d->toks.n; k++) {
		if (!take[k])
			continue;
		au_tok *t = T(d, (int)k);
		cand *c = &cs[i++];
		c->tok = (int)k;
		c->beg = t->beg;
		c->id = au_item_id(t->item);
		c->item = t->item;
		c->year = t->ctx.year;
		c->scope = t->ctx.scope ? t->ctx.scope : FISC_SCOPE_ALL;
		c->phase = t->ctx.phase;
		c->book = t->ctx.book;
		c->qual = t->ctx.qual;
	}
	qsort(cs, n, sizeof *cs, cmp_tokpos);
	return cs;
}

/* One quantity stated several times is handed over once. Each figure is
** compared with the earlier figures of its own quantity that are still in
** (a run of ord, in text order), never with the rest of the document. */
static int drop_restatements(au_doc *d, cand *cs, const int *ord, size_t n)
{
	/* token → the claims (not percentages, not restatements) listing it as a part */
	au_tokix parts = {0};
	au_tokix_build(d, &parts, counts_as_list, 0);
	int *alive = fisc_arena_alloc(d->w, (n + 1) * sizeof(int));
	if (!alive)
		return au_oom = 1, -1;
	for (size_t g = 0; g < n;) {
		size_t e = g + 1;
		while (e < n && same_quantity(&cs[ord[g]], &cs[ord[e]]))
			e++;
		size_t na = 0; /* alive[0, na): the quantity's figures still in, in text order */
		for (size_t q = g; q < e; q++) {
			cand *ci = &cs[ord[q]];
			au_tok *t = T(d, ci->tok);
			int dropped_earlier = 0;
			for (size_t a = 0; a < na; a++) {
				cand *cj = &cs[alive[a]];
				if (cj->drop)
					continue;
				au_tok *u = T(d, cj->tok);
				if (u->ctx.qual != t->ctx.qual) {
					/* the view the tables use wins */
					if (t->ctx.qual)
						cj->drop = dropped_earlier = 1;
					else
						ci->drop = 1;
					continue;
				}
				int one = in_one_claim(&parts, ci->tok, cj->tok);
				if (u->eff.fen == t->eff.fen && !one) {
					ci->drop = 1; /* stated again */
					break;
				}
				if (one) {
					/* two parts of one list under one item: 超收收入 + 净结余 */
					ci->fund = t->label;
					continue;
				}
				ci->drop = 1; /* a different value: reported as restated */
				break;
			}
			if (dropped_earlier) {
				size_t m = 0;
				for (size_t a = 0; a < na; a++)
					if (!cs[alive[a]].drop)
						alive[m++] = alive[a];
				na = m;
			}
			if (!ci->drop)
				alive[na++] = ord[q];
		}
		g = e;
	}
	return 0;
}

/* Transfers between books are compared across all books of a span: only
** when every book that transfers states both sides of its balance, else a
** book the text leaves out would read as a mismatch. Decided for all
** before any is dropped. */
static int drop_lone_transfers(au_doc *d, cand *cs, size_t n, int ngroups, int nspans)
{
	char *has_in = fisc_arena_alloc(d->w, (size_t)ngroups + 1);
	char *has_out = fisc_arena_alloc(d->w, (size_t)ngroups + 1);
	char *incomplete = fisc_arena_alloc(d->w, (size_t)nspans + 1);
	if (!has_in || !has_out || !incomplete)
		return au_oom = 1, -1;
	for (size_t i = 0; i < n; i++) {
		if (cs[i].drop || is_transfer(cs[i].id))
			continue;
		int side = au_item_side(cs[i].item);
		has_in[cs[i].group] |= side == SIDE_IN;
		has_out[cs[i].group] |= side == SIDE_OUT;
	}
	for (size_t i = 0; i < n; i++)
		if (!cs[i].drop && is_transfer(cs[i].id) && !(has_in[cs[i].group] && has_out[cs[i].group]))
			incomplete[cs[i].span] = 1;
	for (size_t i = 0; i < n; i++)
		if (!cs[i].drop && is_transfer(cs[i].id) && incomplete[cs[i].span])
			cs[i].dropx = 1;
	for (size_t i = 0; i < n; i++)
		if (cs[i].dropx)
			cs[i].drop = 1;
	return 0;
}

/* Stated or base: totals are stated, and so is own revenue whose parts
** (税收收入, 非税收入) are given in the same group and view (ctx.qual is 0
** or 1). */
static int mark_stated(au_doc *d, cand *cs, size_t n, int ngroups)
{
	char *has_tax = fisc_arena_alloc(d->w, 2 * (size_t)ngroups + 1); /* by group and view */
	if (!has_tax)
		return au_oom = 1, -1;
	for (size_t i = 0; i < n; i++)
		if (!cs[i].drop && (!strcmp(cs[i].id, "tax") || !strcmp(cs[i].id, "nontax")))
			has_tax[2 * cs[i].group + (cs[i].qual != 0)] = 1;
	for (size_t i = 0; i < n; i++) {
		const char *id = cs[i].id;
		int st = !strcmp(id, "income_total") || !strcmp(id, "expense_total") ||
			 !strcmp(id, "transfer_in_total") || !strcmp(id, "transfer_out_total") ||
			 !strcmp(id, "227") || !strcmp(id, "ssf_surplus") || !strcmp(id, "ssf_balance");
		if (!strcmp(id, "own_rev") && has_tax[2 * cs[i].group + (cs[i].qual != 0)])
			st = 1;
		if (!strncmp(id, "debt_", 5) && cs[i].book == FISC_BOOK_ALL)
			st = 1;
		cs[i].stated = st;
	}
	return 0;
}

int au_bridge(au_doc *d, const char *datadir)
{
	if (!au_government_kind(d))
		return FISC_OK;
	size_t n = 0;
	cand *cs = candidates(d, &n);
	if (!cs)
		return au_oom ? FISC_ENOMEM : FISC_OK;
	/* ord: the candidates by span, group and quantity, text order within */
	int *ord = fisc_arena_alloc(d->w, (n + 1) * sizeof(int));
	if (!ord)
		return au_oom = 1, FISC_ENOMEM;
	for (size_t i = 0; i < n; i++)
		ord[i] = (int)i;
	key_cs = cs;
	qsort(ord, n, sizeof *ord, cmp_cand);
	int nspans = 0, ngroups = 0;
	for (size_t q = 0; q < n; q++) {
		cand *c = &cs[ord[q]], *p = q ? &cs[ord[q - 1]] : NULL;
		nspans += !p || !same_span(p, c);
		ngroups += !p || !same_group(p, c);
		c->span = nspans - 1;
		c->group = ngroups - 1;
	}
	if (drop_restatements(d, cs, ord, n) || drop_lone_transfers(d, cs, n, ngroups, nspans) ||
	    mark_stated(d, cs, n, ngroups))
		return FISC_ENOMEM;

	fisc_store *st = NULL;
	int rc = fisc_store_open_v2(":memory:", 0, &st);
	if (rc != FISC_OK)
		return rc;
	rc = fisc_catalog_seed(st, datadir && *datadir ? datadir : fisc_datadir());
	int64_t rid = 0;
	if (rc == FISC_OK) {
		fisc_region r = {0, "AUDIT", "审计文本", "", "区", "全区", "区级", "镇级"};
		rc = fisc_store_region_put(st, &r, &rid);
	}
	if (rc == FISC_OK)
		rc = fisc_store_begin(st);
	size_t put = 0;
	for (size_t i = 0; i < n && rc == FISC_OK; i++) {
		if (cs[i].drop)
			continue;
		au_tok *t = T(d, cs[i].tok);
		fisc_fact f;
		memset(&f, 0, sizeof f);
		f.region = rid;
		f.year = t->ctx.year;
		f.scope = (uint8_t)(t->ctx.scope ? t->ctx.scope : FISC_SCOPE_ALL);
		f.book = (uint8_t)t->ctx.book;
		f.phase = (uint8_t)t->ctx.phase;
		f.kind = cs[i].stated ? FISC_FACT_STATED : FISC_FACT_BASE;
		f.item = au_item_id(t->item);
		f.dept = f.project = f.econ = "";
		f.fund = cs[i].fund ? cs[i].fund : "";
		f.has_amount = 1;
		f.amount = t->eff;
		char src[64];
		snprintf(src, sizeof src, "text:%d", t->line);
		f.source = src;
		f.note = "";
		int prc = fisc_store_fact_put(st, &f);
		if (prc == FISC_EEXIST)
			continue;
		rc = prc;
		put++;
	}
	if (rc == FISC_OK)
		rc = fisc_store_commit(st);
	fisc_arena *ra = fisc_arena_new();
	fisc_findings *fs = NULL;
	if (rc == FISC_OK && !ra)
		rc = FISC_ENOMEM;
	if (rc == FISC_OK && put) {
		fisc_check_opts o = {0};
		o.rules = "books,levels,years,debt,law.reserve,law.deficit,ssf";
		o.all = getenv("FISC_AUDIT_DEBUG") != NULL; /* list the checks that held too */
		rc = fisc_check_run(st, &o, ra, &fs);
	}
	if (rc == FISC_OK && fs) {
		d->rules_run = 1;
		for (size_t i = 0; i < fs->n; i++) {
			const fisc_finding *f = &fs->v[i];
			if (o_all_debug(f))
				continue;
			if (f->severity < FISC_SEV_INFO)
				continue;
			int line = 0;
			for (size_t q = 0; q < f->nfacts && !line; q++)
				if (!strcmp(f->facts[q].role, "stated"))
					line = line_of_source(f->facts[q].fact.source);
			for (size_t q = 0; q < f->nfacts && !line; q++)
				line = line_of_source(f->facts[q].fact.source);
			if (!line)
				continue;
			int unit = f->unit >= 0 && f->unit <= 2 ? f->unit : FISC_UNIT_WAN;
			const char *stated = f->has_stated ? au_fen(d, f->stated, unit, decimals_for(f->stated_ulp ? f->stated_ulp : fisc_unit_fen((fisc_unit)unit), unit)) : NULL;
			const char *computed = f->has_computed ? au_fen(d, f->computed, unit, decimals_for(f->computed_ulp ? f->computed_ulp : fisc_unit_fen((fisc_unit)unit), unit)) : NULL;
			/* the text-level checks may have said it already */
			int dup = 0;
			for (size_t q = 0; q < d->finds.n; q++)
				if (d->finds.v[q].line == line && d->finds.v[q].sev >= f->severity &&
				    d->finds.v[q].stated && stated && !strcmp(d->finds.v[q].stated, stated))
					dup = 1;
			if (dup)
				continue;
			int sent, block;
			where(d, line, &sent, &block);
			/* Between books and between levels the engine works on what
			** the reader took each figure to be: "本级收入" in a 全县 table is
			** a revenue line, not the 本级 scope, and an opening cut before
			** the third book lacks its 调出. Another reasonable reading
			** always remains, so these are warnings, never errors. */
			int sev = f->severity;
			if (sev > FISC_AUDIT_WARNING &&
			    (!strncmp(f->rule, "levels.", 7) || !strncmp(f->rule, "books.", 6)))
				sev = FISC_AUDIT_WARNING;
			au_find *af = au_find_new(d, fisc_arena_strdup(d->w, f->rule), sev, line, sent, block);
			af->stated = stated;
			af->computed = computed;
			af->zh = fisc_arena_strdup(d->w, f->message_zh ? f->message_zh : "");
			af->en = fisc_arena_strdup(d->w, f->message_en ? f->message_en : "");
			for (size_t q = 0; q < f->nfacts; q++) {
				int l = line_of_source(f->facts[q].fact.source);
				int dupl = 0;
				for (size_t z = 0; z < af->lines.n; z++)
					dupl |= af->lines.v[z] == l;
				if (l && !dupl) {
					int *p = AU_PUSH(d->w, af->lines);
					*p = l;
				}
			}
		}
		/* the engine's checks count among the audit's */
		for (int v = 0; v < 3; v++)
			d->rule_verdicts[v] += fs->verdicts[v];
	}
	fisc_arena_free(ra);
	fisc_store_close(st);
	return rc;
}
