/*
** balance.c — the 收支平衡情况表 of one region, year, book, scope and phase,
** computed from base facts.
**
** Facts are summed into balance lines (data/lines.csv): own revenue and its
** parts, each transfer item, own expenditure, each transfer-out item. Transfer
** rows appear in the order their first fact was recorded, which is how the
** published tables order them. A whole-region (全辖) own line that has no fact
** of its own but has facts for this level and the level below is composed
** from them and printed split (区级支出 / 镇级支出). Stated facts are ignored
** here: rules compare them with what this file computes.
*/
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/report.h"
#include "model/strmap.h"
#include "model/util.h"

/* One balance line's accumulated facts at one scope. */
typedef struct acc {
	const fisc_line *line;
	int present;       /* any fact, with or without amount */
	int has_amount;
	fisc_fen fen, ulp;
	int64_t first_id;  /* for ordering rows like the source did */
	int unit_votes[3];
	fisc_fen wulp;     /* finest written digit among its facts */
} acc;

typedef struct build {
	fisc_arena *a;
	const fisc_catalog *cat;
	int scope;
	acc *accs[4];       /* per scope (1..3): one acc per catalogue line */
	size_t nlines;
	size_t nfacts;
	int unit_votes[3];
	fisc_fen min_wulp; /* finest written digit among parts, for decimals */
	int has_ssf_closing; /* social insurance: 年末滚存结余 recorded this year */
	fisc_fen ssf_closing, ssf_closing_wulp;
	int rc;
} build;

static size_t line_index(const build *b, const fisc_line *l)
{
	for (size_t i = 0; i < b->nlines; i++)
		if (fisc_catalog_line_at(b->cat, i) == l)
			return i;
	return (size_t)-1;
}

/* Value of one unit of the last written digit, as written (not the stored
** precision, which is 1 fen for exact data): what decides how many decimals
** printing needs. */
static fisc_fen written_ulp(const fisc_amount *a)
{
	fisc_fen u = fisc_unit_fen((fisc_unit)a->unit);
	for (int i = 0; i < a->decimals && u % 10 == 0; i++)
		u /= 10;
	return u;
}

static int add_fact(void *ud, const fisc_fact *f)
{
	build *b = ud;
	/* Department facts break a region's figures down; the region's balance
	** is built from region-level facts only (department reports use them). */
	if (f->kind != FISC_FACT_BASE || f->scope < 1 || f->scope > 3 || *f->dept)
		return 0;
	if (b->scope == f->scope && !strcmp(f->item, "ssf_balance") && f->has_amount) {
		b->ssf_closing = f->amount.fen;
		b->has_ssf_closing = 1;
		b->ssf_closing_wulp = written_ulp(&f->amount);
		return 0;
	}
	const fisc_line *l = fisc_catalog_line_of(b->cat, f->item);
	if (!l || (strcmp(l->side, "in") != 0 && strcmp(l->side, "out") != 0))
		return 0;
	size_t i = line_index(b, l);
	assert(i != (size_t)-1);
	acc *ac = &b->accs[f->scope][i];
	ac->line = l;
	if (!ac->present)
		ac->first_id = f->id;
	ac->present = 1;
	if (f->has_amount) {
		if (fisc_fen_add(ac->fen, f->amount.fen, &ac->fen) ||
		    fisc_fen_add(ac->ulp, f->amount.ulp, &ac->ulp)) {
			b->rc = FISC_ERANGE;
			return FISC_ERANGE;
		}
		ac->has_amount = 1;
		if (f->amount.unit >= 0 && f->amount.unit <= 2) {
			ac->unit_votes[f->amount.unit]++;
			if (f->scope == b->scope ||
			    (b->scope == FISC_SCOPE_ALL && f->scope != FISC_SCOPE_ALL))
				b->unit_votes[f->amount.unit]++;
		}
		fisc_fen w = written_ulp(&f->amount);
		if (!ac->wulp || w < ac->wulp)
			ac->wulp = w;
		if (!b->min_wulp || w < b->min_wulp)
			b->min_wulp = w;
	}
	b->nfacts++;
	return 0;
}

static int vote(const int v[3])
{
	int best = FISC_UNIT_WAN;
	for (int u = 0; u < 3; u++)
		if (v[u] > v[best])
			best = u;
	return best;
}

/* Is `l` equal to or below the line `top`? */
static int under(const fisc_catalog *cat, const fisc_line *l, const char *top)
{
	return fisc_catalog_line_under(cat, l, top);
}

typedef struct rows {
	fisc_balance_row *v;
	size_t n, cap;
} rows;

static fisc_balance_row *push(build *b, rows *r, const char *label, const char *line,
			      int level)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		fisc_balance_row *v = fisc_arena_alloc(b->a, cap * sizeof *v);
		if (!v)
			return NULL;
		if (r->n)
			memcpy(v, r->v, r->n * sizeof *v);
		r->v = v;
		r->cap = cap;
	}
	fisc_balance_row *row = &r->v[r->n++];
	memset(row, 0, sizeof *row);
	/* Labels and line ids often point into the catalogue, which is freed
	** when the build returns: the balance keeps its own copies. */
	row->label = fisc_arena_strdup(b->a, label);
	row->line = fisc_arena_strdup(b->a, line);
	if (!row->label || !row->line)
		return NULL;
	row->level = level;
	row->unit = FISC_UNIT_WAN;
	return row;
}

static void add_into(fisc_balance_row *row, const acc *ac)
{
	if (!ac->has_amount)
		return;
	row->has_amount = 1;
	row->fen += ac->fen;
	row->ulp += ac->ulp;
	row->unit = vote(ac->unit_votes);
	if (!row->wulp || ac->wulp < row->wulp)
		row->wulp = ac->wulp;
}

static void add_row(fisc_balance_row *into, const fisc_balance_row *r)
{
	if (!r->has_amount)
		return;
	into->has_amount = 1;
	into->fen += r->fen;
	into->ulp += r->ulp;
	if (!into->wulp || (r->wulp && r->wulp < into->wulp))
		into->wulp = r->wulp;
}

static int cmp_first(const void *x, const void *y)
{
	const acc *a = *(const acc *const *)x, *b = *(const acc *const *)y;
	return (a->first_id > b->first_id) - (a->first_id < b->first_id);
}

/*
** One side of the table: 总 计, 一、<scope><收入|支出> (+ its parts, or the
** split by level), 二、转移性<收入|支出> and its items.
*/
static int build_side(build *b, fisc_balance *bal, rows *r, int income)
{
	const fisc_catalog *cat = b->cat;
	const char *own_top = income ? "own_rev" : "own_exp";
	const char *xfer_top = income ? "transfer_in_total" : "transfer_out_total";
	/* Looked up once: every line of the catalogue is tested against them. */
	const fisc_line *own_line = fisc_catalog_line(cat, own_top);
	const fisc_line *xfer_line = fisc_catalog_line(cat, xfer_top);
	const char *side = income ? "in" : "out";
	acc *here = b->accs[b->scope];

	fisc_balance_row *total = push(b, r, "总 计", income ? "income_total" : "expense_total", 0);
	if (!total)
		return FISC_ENOMEM;
	const char *own_label = fisc_arena_printf(b->a, "一、%s%s", bal->scope_label,
						  income ? "收入" : "支出");
	size_t own_at = r->n;
	fisc_balance_row *own = push(b, r, own_label, own_top, 1);

	/* Own section: does this scope have any own fact? */
	int own_here = 0, own_self = 0, own_lower = 0;
	for (size_t i = 0; i < b->nlines; i++) {
		const fisc_line *l = fisc_catalog_line_at(cat, i);
		if (!fisc_catalog_line_within(cat, l, own_line))
			continue;
		own_here |= here[i].present;
		if (b->scope == FISC_SCOPE_ALL) {
			own_self |= b->accs[FISC_SCOPE_SELF][i].present;
			own_lower |= b->accs[FISC_SCOPE_LOWER][i].present;
		}
	}
	if (!own_here && own_self && own_lower) {
		/* 全辖 composed of 本级 + 下级, shown split. */
		static const int parts[2] = {FISC_SCOPE_SELF, FISC_SCOPE_LOWER};
		for (int k = 0; k < 2; k++) {
			const char *lbl = fisc_region_scope_label(&bal->region, parts[k]);
			fisc_balance_row *pr = push(b, r, fisc_arena_printf(b->a, "%s%s", lbl,
								income ? "收入" : "支出"),
						    own_top, 2);
			if (!pr)
				return FISC_ENOMEM;
			for (size_t i = 0; i < b->nlines; i++)
				if (fisc_catalog_line_within(cat, fisc_catalog_line_at(cat, i), own_line))
					add_into(pr, &b->accs[parts[k]][i]);
			add_row(&r->v[own_at], pr);
		}
	} else {
		for (size_t i = 0; i < b->nlines; i++) {
			const fisc_line *l = fisc_catalog_line_at(cat, i);
			if (!fisc_catalog_line_within(cat, l, own_line))
				continue;
			add_into(&r->v[own_at], &here[i]);
			/* Parts of own revenue (税收收入, 非税收入) get their own rows. */
			if (strcmp(l->id, own_top) != 0 && here[i].present) {
				fisc_balance_row *pr = push(b, r, l->name, l->id, 2);
				if (!pr)
					return FISC_ENOMEM;
				add_into(pr, &here[i]);
			}
		}
	}
	(void)own;

	/* Transfer section, items in the order they were recorded. */
	size_t xfer_at = r->n;
	if (!push(b, r, income ? "二、转移性收入" : "二、转移性支出", xfer_top, 1))
		return FISC_ENOMEM;
	acc **items = fisc_arena_alloc(b->a, (b->nlines + 1) * sizeof *items);
	size_t nitems = 0;
	if (!items)
		return FISC_ENOMEM;
	for (size_t i = 0; i < b->nlines; i++) {
		const fisc_line *l = fisc_catalog_line_at(cat, i);
		if (here[i].present && strcmp(l->side, side) == 0 && fisc_catalog_line_within(cat, l, xfer_line))
			items[nitems++] = &here[i];
	}
	qsort(items, nitems, sizeof *items, cmp_first);
	for (size_t k = 0; k < nitems; k++) {
		fisc_balance_row *ir = push(b, r, items[k]->line->name, items[k]->line->id, 2);
		if (!ir)
			return FISC_ENOMEM;
		add_into(ir, items[k]);
		add_row(&r->v[xfer_at], ir);
	}
	add_row(&r->v[0], &r->v[own_at]);
	add_row(&r->v[0], &r->v[xfer_at]);
	(void)total;
	return FISC_OK;
}

/* The closing 滚存结余 of the year before, from its latest phase. */
typedef struct prev_closing {
	int scope, phase;
	int found;
	fisc_fen fen, wulp;
} prev_closing;

static int find_prev_closing(void *ud, const fisc_fact *f)
{
	prev_closing *p = ud;
	if (f->kind == FISC_FACT_BASE && f->scope == p->scope && !*f->dept && f->has_amount &&
	    !strcmp(f->item, "ssf_balance") && f->phase >= p->phase) {
		p->found = 1;
		p->phase = f->phase;
		p->fen = f->amount.fen;
		p->wulp = written_ulp(&f->amount);
	}
	return 0;
}

/*
** A social insurance fund book balances through its surplus: 收入 = 支出 +
** 本年收支结余, and the surplus rolls into 年末滚存结余 (last year's closing
** plus this year's surplus, unless this year's closing is itself recorded).
*/
static int ssf_rows(build *b, fisc_store *st, const fisc_balance *bal, rows *in, rows *ex)
{
	/* Social insurance funds rarely have transfers; an empty transfer
	** section is dropped rather than printed as an empty 二、. */
	int dropped = 0;
	if (in->n && !strcmp(in->v[in->n - 1].line, "transfer_in_total") &&
	    !in->v[in->n - 1].has_amount)
		in->n--;
	if (ex->n && !strcmp(ex->v[ex->n - 1].line, "transfer_out_total") &&
	    !ex->v[ex->n - 1].has_amount) {
		ex->n--;
		dropped = 1;
	}
	fisc_balance_row *r = push(b, ex, dropped ? "二、本年收支结余" : "三、本年收支结余",
				   "ssf_surplus", 1);
	if (!r)
		return FISC_ENOMEM;
	const fisc_balance_row *itot = &in->v[0];
	fisc_balance_row *etot = &ex->v[0];
	r->has_amount = itot->has_amount || etot->has_amount;
	r->fen = itot->fen - etot->fen;
	r->ulp = itot->ulp + etot->ulp;
	r->wulp = itot->wulp && etot->wulp ? (itot->wulp < etot->wulp ? itot->wulp : etot->wulp)
					   : (itot->wulp ? itot->wulp : etot->wulp);
	fisc_balance_row surplus = *r;
	add_row(etot, &surplus);
	fisc_balance_row *c = push(b, ex, "年末滚存结余", "ssf_balance", 3);
	if (!c)
		return FISC_ENOMEM;
	if (b->has_ssf_closing) {
		c->has_amount = 1;
		c->fen = b->ssf_closing;
		c->wulp = b->ssf_closing_wulp;
		return FISC_OK;
	}
	prev_closing p = {bal->scope, 0, 0, 0, 0};
	fisc_query q = {0};
	q.region = bal->region.id;
	q.year = bal->year - 1;
	q.book_set = 1;
	q.book = FISC_BOOK_SSF;
	int rc = fisc_store_fact_each(st, &q, find_prev_closing, &p);
	if (rc == FISC_OK && p.found && surplus.has_amount) {
		c->has_amount = 1;
		c->fen = p.fen + surplus.fen;
		c->wulp = p.wulp < surplus.wulp || !surplus.wulp ? p.wulp : surplus.wulp;
	}
	return rc;
}

int fisc_balance_build(fisc_store *st, const fisc_selection *sel, fisc_arena *a,
		       fisc_balance **out)
{
	fisc_balance *bal = fisc_arena_alloc(a, sizeof *bal);
	fisc_catalog *cat = NULL;
	build b = {0};
	int rc;
	if (!bal)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	if ((rc = fisc_store_region_find(st, sel->region, a, &bal->region)) != FISC_OK)
		return rc;
	if ((rc = fisc_catalog_load(st, sel->year, &cat)) != FISC_OK)
		return rc;
	bal->year = sel->year;
	bal->book = sel->book;
	bal->scope = sel->scope;
	bal->phase = sel->phase;
	bal->scope_label = fisc_region_scope_label(&bal->region, sel->scope);
	bal->title = fisc_arena_printf(a, "%d年%s%s收支平衡情况", sel->year, bal->scope_label,
				       fisc_book_name(sel->book));
	bal->amount_label = sel->phase == FISC_PHASE_EXECUTION ? "执行数"
			    : sel->phase == FISC_PHASE_FINAL   ? "决算数"
			    : sel->phase == FISC_PHASE_ADJUSTED ? "调整预算数"
								: "预算数";
	b.a = a;
	b.cat = cat;
	b.scope = sel->scope;
	b.nlines = fisc_catalog_line_count(cat);
	for (int s = 1; s <= 3; s++)
		if (!(b.accs[s] = fisc_arena_alloc(a, (b.nlines + 1) * sizeof(acc)))) {
			rc = fisc_error_set(FISC_ENOMEM, "out of memory");
			goto out;
		}
	fisc_query q = {0};
	q.region = bal->region.id;
	q.year = sel->year;
	q.book_set = 1;
	q.book = (uint8_t)sel->book;
	q.phase = (uint8_t)sel->phase;
	if ((rc = fisc_store_fact_each(st, &q, add_fact, &b)) != FISC_OK) {
		if (b.rc)
			rc = fisc_error_set(b.rc, "合计溢出 / a total overflows");
		goto out;
	}
	/* A selection exists when it has facts of its own, or (全辖) when both
	** of its levels do, so that it can be composed. */
	int here = 0, self = 0, lower = 0;
	for (size_t i = 0; i < b.nlines; i++) {
		here |= b.accs[sel->scope][i].present;
		self |= b.accs[FISC_SCOPE_SELF][i].present;
		lower |= b.accs[FISC_SCOPE_LOWER][i].present;
	}
	if (!here && !(sel->scope == FISC_SCOPE_ALL && self && lower)) {
		rc = fisc_error_set(FISC_ENOTFOUND,
				    "没有数据：%s %d年 %s %s %s / no facts for this selection",
				    bal->region.name, sel->year, bal->scope_label,
				    fisc_book_name(sel->book), fisc_phase_name(sel->phase));
		goto out;
	}
	rows in = {0}, ex = {0};
	if ((rc = build_side(&b, bal, &in, 1)) || (rc = build_side(&b, bal, &ex, 0)))
		goto out;
	if (sel->book == FISC_BOOK_SSF && (rc = ssf_rows(&b, st, bal, &in, &ex)) != FISC_OK)
		goto out;
	bal->income = in.v;
	bal->nincome = in.n;
	bal->expense = ex.v;
	bal->nexpense = ex.n;
	bal->unit = vote(b.unit_votes);
	bal->wulp = b.min_wulp;
	bal->nfacts = b.nfacts;
	*out = bal;
out:
	fisc_catalog_free(cat);
	return rc;
}

int fisc_selection_parse(fisc_selection *sel, const char *region, const char *year,
			 const char *book, const char *scope, const char *phase)
{
	memset(sel, 0, sizeof *sel);
	if (!region || !*region)
		return fisc_error_set(FISC_EINVAL, "缺少 --region / --region is required");
	sel->region = region;
	char *end;
	long y = year ? strtol(year, &end, 10) : 0;
	if (!year || *end || y < 1949 || y > 2200)
		return fisc_error_set(FISC_EINVAL, "年度无效「%s」/ bad --year '%s'",
				      year ? year : "", year ? year : "");
	sel->year = (int)y;
	if ((sel->book = fisc_book_parse(book ? book : "", book ? strlen(book) : 0)) < 0)
		return fisc_error_set(FISC_EINVAL, "无法识别的预算类别「%s」/ unknown --book '%s'",
				      book ? book : "", book ? book : "");
	if ((sel->scope = fisc_scope_parse(scope ? scope : "", scope ? strlen(scope) : 0)) < 0)
		return fisc_error_set(FISC_EINVAL, "无法识别的口径「%s」/ unknown --scope '%s'",
				      scope ? scope : "", scope ? scope : "");
	if ((sel->phase = fisc_phase_parse(phase ? phase : "", phase ? strlen(phase) : 0)) < 0)
		return fisc_error_set(FISC_EINVAL, "无法识别的阶段「%s」/ unknown --phase '%s'",
				      phase ? phase : "", phase ? phase : "");
	return FISC_OK;
}

/* --- enumerating selections --------------------------------------------- */

typedef struct sel_key {
	int64_t region;
	int year, phase, book, scope;
} sel_key;

typedef struct sel_walk {
	fisc_store *st;
	fisc_catalog *cat;
	int cat_year;
	sel_key *keys;
	size_t n, cap;
	/* keys by hash (index + 1, 0 empty; open addressing): a national store
	** has tens of thousands of selections, so a scan of the keys per fact
	** would be quadratic. */
	uint32_t *slot;
	size_t nslot;
	int rc;
} sel_walk;

static size_t key_hash(const sel_key *k)
{
	uint64_t h = (uint64_t)k->region * 0x9E3779B97F4A7C15ULL;
	h ^= (uint64_t)(k->year * 131 + k->phase * 31 + k->book * 7 + k->scope) * 0xC2B2AE3D27D4EB4FULL;
	return (size_t)(h ^ (h >> 29));
}

static int push_key(sel_walk *w, const sel_key *k)
{
	if (2 * (w->n + 1) > w->nslot) { /* keep the table at most half full */
		size_t ns = w->nslot ? 2 * w->nslot : 256;
		uint32_t *t = calloc(ns, sizeof *t);
		if (!t)
			return FISC_ENOMEM;
		for (size_t i = 0; i < w->n; i++) {
			size_t j = key_hash(&w->keys[i]) & (ns - 1);
			while (t[j])
				j = (j + 1) & (ns - 1);
			t[j] = (uint32_t)(i + 1);
		}
		free(w->slot);
		w->slot = t;
		w->nslot = ns;
	}
	size_t j = key_hash(k) & (w->nslot - 1);
	for (; w->slot[j]; j = (j + 1) & (w->nslot - 1))
		if (!memcmp(&w->keys[w->slot[j] - 1], k, sizeof *k))
			return 0;
	if (fisc_grow(&w->keys, &w->cap, w->n + 1, sizeof *w->keys))
		return FISC_ENOMEM;
	w->keys[w->n++] = *k;
	w->slot[j] = (uint32_t)w->n;
	return 0;
}

static int collect_key(void *ud, const fisc_fact *f)
{
	sel_walk *w = ud;
	if (f->kind != FISC_FACT_BASE || *f->dept)
		return 0;
	if (!w->cat || w->cat_year != f->year) {
		fisc_catalog_free(w->cat);
		w->cat = NULL;
		if ((w->rc = fisc_catalog_load(w->st, f->year, &w->cat)) != FISC_OK)
			return w->rc;
		w->cat_year = f->year;
	}
	const fisc_line *l = fisc_catalog_line_of(w->cat, f->item);
	if (!l || !(under(w->cat, l, "income_total") || under(w->cat, l, "expense_total")))
		return 0;
	sel_key k;
	memset(&k, 0, sizeof k);
	k.region = f->region;
	k.year = f->year;
	k.phase = f->phase;
	k.book = f->book;
	k.scope = f->scope;
	int rc = push_key(w, &k);
	if (!rc && f->scope == FISC_SCOPE_LOWER) {
		k.scope = FISC_SCOPE_ALL; /* may be composable from its levels */
		rc = push_key(w, &k);
	}
	return rc;
}

static int cmp_key(const void *x, const void *y)
{
	const sel_key *a = x, *b = y;
	if (a->region != b->region)
		return a->region < b->region ? -1 : 1;
	if (a->year != b->year)
		return a->year - b->year;
	if (a->phase != b->phase)
		return a->phase - b->phase;
	if (a->book != b->book)
		return a->book - b->book;
	return a->scope - b->scope;
}

int fisc_balance_each_selection(fisc_store *st, const char *region, fisc_selection_cb cb,
				void *ud)
{
	sel_walk w = {st, NULL, 0, NULL, 0, 0, NULL, 0, FISC_OK};
	fisc_query q = {0};
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	int rc = a ? FISC_OK : FISC_ENOMEM;
	if (rc == FISC_OK && region && (rc = fisc_store_region_find(st, region, a, &r)) == FISC_OK)
		q.region = r.id;
	if (rc == FISC_OK)
		rc = fisc_store_fact_each(st, &q, collect_key, &w);
	fisc_catalog_free(w.cat);
	if (rc == FISC_OK) {
		if (w.n) /* qsort takes no NULL, even for none */
			qsort(w.keys, w.n, sizeof *w.keys, cmp_key);
		fisc_region rr = {0};
		for (size_t i = 0; rc == FISC_OK && i < w.n; i++) {
			/* keys are sorted by region: one read per region */
			if (rr.id != w.keys[i].region &&
			    (rc = fisc_store_region_get(st, w.keys[i].region, a, &rr)) != FISC_OK)
				break;
			fisc_selection sel = {rr.code, w.keys[i].year, w.keys[i].book,
					      w.keys[i].scope, w.keys[i].phase};
			/* A 全辖 key added for composition is offered only when it builds. */
			rc = cb(ud, &sel);
		}
	}
	free(w.keys);
	free(w.slot);
	fisc_arena_free(a);
	return rc;
}
