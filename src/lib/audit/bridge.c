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

static int same_group(const au_tok *a, const au_tok *b)
{
	return a->ctx.year == b->ctx.year && a->ctx.book == b->ctx.book &&
	       (a->ctx.scope ? a->ctx.scope : 1) == (b->ctx.scope ? b->ctx.scope : 1) &&
	       a->ctx.phase == b->ctx.phase;
}

static int in_one_claim(au_doc *d, int a, int b)
{
	for (size_t ci = 0; ci < d->claims.n; ci++) {
		au_claim *c = &d->claims.v[ci];
		if (c->kind == CK_PERCENT || c->kind == CK_RESTATED || !c->kind)
			continue;
		int ha = 0, hb = 0;
		for (int i = 0; i < c->nparts; i++) {
			ha |= c->parts[i] == a;
			hb |= c->parts[i] == b;
		}
		if (ha && hb)
			return 1;
	}
	return 0;
}

static _Thread_local au_doc *sort_doc; /* qsort has no user pointer in C11 */
static int cmp_tokpos(const void *x, const void *y)
{
	const cand *a = x, *b = y;
	size_t pa = sort_doc->toks.v[a->tok].beg, pb = sort_doc->toks.v[b->tok].beg;
	return pa < pb ? -1 : pa > pb;
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

int au_bridge(au_doc *d, const char *datadir)
{
	if (!au_government_kind(d))
		return FISC_OK;
	/* candidates, in text order */
	AU_VEC(cand) cs = {0};
	for (size_t k = 0; k < d->toks.n; k++) {
		au_tok *t = T(d, (int)k);
		if (!au_fact_ok(t) || !exported_item(au_item_id(t->item)))
			continue;
		cand *c = AU_PUSH(d->w, cs);
		c->tok = (int)k;
	}
	if (!cs.n)
		return FISC_OK;
	sort_doc = d;
	qsort(cs.v, cs.n, sizeof *cs.v, cmp_tokpos);
	for (size_t i = 0; i < cs.n; i++) {
		au_tok *t = T(d, cs.v[i].tok);
		for (size_t j = 0; j < i; j++) {
			if (cs.v[j].drop)
				continue;
			au_tok *u = T(d, cs.v[j].tok);
			if (u->item != t->item || !same_group(u, t))
				continue;
			if (u->ctx.qual != t->ctx.qual) {
				/* the view the tables use wins */
				if (t->ctx.qual)
					cs.v[j].drop = 1;
				else
					cs.v[i].drop = 1;
				continue;
			}
			if (u->eff.fen == t->eff.fen && !in_one_claim(d, cs.v[i].tok, cs.v[j].tok)) {
				cs.v[i].drop = 1; /* stated again */
				break;
			}
			if (in_one_claim(d, cs.v[i].tok, cs.v[j].tok)) {
				/* two parts of one list under one item: 超收收入 + 净结余 */
				cs.v[i].fund = t->label;
				continue;
			}
			cs.v[i].drop = 1; /* a different value: reported as restated */
			break;
		}
	}
	/* Transfers between books are compared across all books of a year,
	** scope and phase: only when every book that transfers states both
	** sides of its balance, else a book the text leaves out would read as
	** a mismatch. */
	for (size_t i = 0; i < cs.n; i++) {
		au_tok *t = T(d, cs.v[i].tok);
		const char *id = au_item_id(t->item);
		if (cs.v[i].drop || (strcmp(id, "transfer_in") && strcmp(id, "transfer_out")))
			continue;
		int complete = 1;
		for (size_t j = 0; j < cs.n && complete; j++) {
			au_tok *u = T(d, cs.v[j].tok);
			const char *uid = au_item_id(u->item);
			if (cs.v[j].drop || (strcmp(uid, "transfer_in") && strcmp(uid, "transfer_out")) ||
			    u->ctx.year != t->ctx.year || u->ctx.phase != t->ctx.phase ||
			    (u->ctx.scope ? u->ctx.scope : 1) != (t->ctx.scope ? t->ctx.scope : 1))
				continue;
			int in = 0, out = 0;
			for (size_t q = 0; q < cs.n; q++) {
				au_tok *v = T(d, cs.v[q].tok);
				if (cs.v[q].drop || !same_group(v, u))
					continue;
				int side = au_item_side(v->item);
				const char *vid = au_item_id(v->item);
				if (!strcmp(vid, "transfer_in") || !strcmp(vid, "transfer_out"))
					continue;
				in |= side == SIDE_IN;
				out |= side == SIDE_OUT;
			}
			complete = in && out;
		}
		if (!complete)
			cs.v[i].dropx = 1; /* decided for all before any is dropped */
	}
	for (size_t i = 0; i < cs.n; i++)
		if (cs.v[i].dropx)
			cs.v[i].drop = 1;
	/* stated or base: totals are stated, and so is a line whose parts are given */
	for (size_t i = 0; i < cs.n; i++) {
		au_tok *t = T(d, cs.v[i].tok);
		const char *id = au_item_id(t->item);
		int st = !strcmp(id, "income_total") || !strcmp(id, "expense_total") ||
			 !strcmp(id, "transfer_in_total") || !strcmp(id, "transfer_out_total") ||
			 !strcmp(id, "227") || !strcmp(id, "ssf_surplus") || !strcmp(id, "ssf_balance");
		if (!strcmp(id, "own_rev"))
			for (size_t j = 0; j < cs.n; j++) {
				au_tok *u = T(d, cs.v[j].tok);
				const char *uid = au_item_id(u->item);
				if (!cs.v[j].drop && same_group(u, t) && u->ctx.qual == t->ctx.qual &&
				    (!strcmp(uid, "tax") || !strcmp(uid, "nontax")))
					st = 1;
			}
		if (!strncmp(id, "debt_", 5) && t->ctx.book == FISC_BOOK_ALL)
			st = 1;
		cs.v[i].stated = st;
	}

	fisc_store *st = NULL;
	int rc = fisc_store_open(":memory:", &st);
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
	for (size_t i = 0; i < cs.n && rc == FISC_OK; i++) {
		if (cs.v[i].drop)
			continue;
		au_tok *t = T(d, cs.v[i].tok);
		fisc_fact f;
		memset(&f, 0, sizeof f);
		f.region = rid;
		f.year = t->ctx.year;
		f.scope = (uint8_t)(t->ctx.scope ? t->ctx.scope : FISC_SCOPE_ALL);
		f.book = (uint8_t)t->ctx.book;
		f.phase = (uint8_t)t->ctx.phase;
		f.kind = cs.v[i].stated ? FISC_FACT_STATED : FISC_FACT_BASE;
		f.item = au_item_id(t->item);
		f.dept = f.project = f.econ = "";
		f.fund = cs.v[i].fund ? cs.v[i].fund : "";
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
			au_find *af = au_find_new(d, fisc_arena_strdup(d->w, f->rule), f->severity, line, sent, block);
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
