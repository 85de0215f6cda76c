/*
** diff.c — `fisc diff`: two selections of facts compared line by line
** (two versions of the store, two phases, two years, two stores), built as
** a fisc_doc so that every output format renders it with the same digits,
** units and escaping as the reports (fisc/history.h fisc_diff_build).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/catalog.h"
#include "fisc/error.h"
#include "fisc/history.h"
#include "model/strmap.h"

typedef struct line {
	const char *region; /* code; NULL when one region is compared */
	uint8_t book, scope, phase, kind;
	const char *item, *dept, *project, *econ, *fund;
	int has[2];      /* the side has the fact with an amount */
	int listed[2];   /* the side has the fact (perhaps blank) */
	fisc_fen fen[2];
	fisc_fen change;
	int decimals;    /* the finest written precision of its figures */
} line;

typedef struct build {
	fisc_arena *a;
	fisc_strmap keys;  /* key → line index + 1 */
	line *lines;
	size_t n, cap;
	int side;
	int phase_in_key;
	/* Every region's code by store id, per side, when all are compared. */
	const char **codes[2];
	size_t ncodes[2];
	int all_regions;
	fisc_strmap texts; /* one copy of each item and detail text */
	int unit;
} build;

/* One copy per distinct text: a national comparison has a million lines
** but a few hundred items and details. */
static const char *intern(build *b, const char *s)
{
	if (!*s)
		return "";
	const char *t = fisc_strmap_get(&b->texts, s);
	if (t)
		return t;
	char *c = fisc_arena_strdup(b->a, s);
	if (!c || fisc_strmap_put(&b->texts, c, c) != 0)
		return NULL;
	return c;
}

static int add_fact(void *ud, const fisc_fact *f)
{
	build *b = ud;
	const char *region = NULL;
	if (b->all_regions) {
		if (f->region < 0 || (size_t)f->region >= b->ncodes[b->side] ||
		    !(region = b->codes[b->side][f->region]))
			return fisc_error_set(FISC_ESTORE, "事实的地区不存在 / a fact's region is not stored");
	}
	char key[1024];
	int kn = snprintf(key, sizeof key, "%s|%d|%d|%d|%d|%s|%s|%s|%s|%s", region ? region : "",
			  f->book, f->scope, b->phase_in_key ? f->phase : 0, f->kind, f->item,
			  f->dept, f->project, f->econ, f->fund);
	if (kn < 0 || (size_t)kn >= sizeof key)
		return fisc_error_set(FISC_ERANGE, "事实的键过长 / a fact's key is too long");
	size_t i = (size_t)(uintptr_t)fisc_strmap_get(&b->keys, key);
	if (!i) {
		if (b->n == b->cap) {
			size_t cap = b->cap ? 2 * b->cap : 256;
			line *p = realloc(b->lines, cap * sizeof *p);
			if (!p)
				return fisc_error_set(FISC_ENOMEM, "out of memory");
			b->lines = p;
			b->cap = cap;
		}
		line *l = &b->lines[b->n];
		memset(l, 0, sizeof *l);
		l->region = region;
		l->book = f->book;
		l->scope = f->scope;
		l->phase = b->phase_in_key ? f->phase : 0;
		l->kind = f->kind;
		l->item = intern(b, f->item);
		l->dept = intern(b, f->dept);
		l->project = intern(b, f->project);
		l->econ = intern(b, f->econ);
		l->fund = intern(b, f->fund);
		char *k = fisc_arena_strndup(b->a, key, (size_t)kn);
		if (!l->item || !l->dept || !l->project || !l->econ || !l->fund || !k ||
		    fisc_strmap_put(&b->keys, k, (void *)(uintptr_t)(b->n + 1)) != 0)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		i = ++b->n;
	}
	line *l = &b->lines[i - 1];
	if (f->has_amount) {
		/* The step of the figure as written (an exact figure has an ulp
		** of 1 fen but was still written with so many decimals). */
		fisc_fen step = fisc_unit_fen((fisc_unit)f->amount.unit);
		for (int i = 0; i < f->amount.decimals && step > 1; i++)
			step /= 10;
		int dec = fisc_unit_decimals_for(step > 0 ? step : 1, (fisc_unit)b->unit);
		if (dec > l->decimals)
			l->decimals = dec > 6 ? 6 : dec;
	}
	l->listed[b->side] = 1;
	l->has[b->side] = f->has_amount;
	l->fen[b->side] = f->has_amount ? f->amount.fen : 0;
	return 0;
}

static int cmp_int(int a, int b) { return a < b ? -1 : a > b; }

static int by_line(const void *pa, const void *pb)
{
	const line *x = pa, *y = pb;
	int r;
	if (x->region && (r = strcmp(x->region, y->region)))
		return r;
	if ((r = cmp_int(x->book, y->book)) || (r = cmp_int(x->scope, y->scope)) ||
	    (r = cmp_int(x->phase, y->phase)) || (r = strcmp(x->item, y->item)) ||
	    (r = cmp_int(x->kind, y->kind)) || (r = strcmp(x->dept, y->dept)) ||
	    (r = strcmp(x->project, y->project)) || (r = strcmp(x->econ, y->econ)))
		return r;
	return strcmp(x->fund, y->fund);
}

/* "部门 / 项目 / 经济分类 / 资金来源" of the line, "" when it has none. */
static const char *detail(fisc_doc *d, const line *l)
{
	const char *parts[4] = {l->dept, l->project, l->econ, l->fund};
	char buf[1024];
	size_t n = 0;
	buf[0] = 0;
	for (int i = 0; i < 4; i++)
		if (*parts[i])
			n += (size_t)snprintf(buf + n, n < sizeof buf ? sizeof buf - n : 0, "%s%s",
					      n ? " / " : "", parts[i]);
	if (l->kind == FISC_FACT_STATED)
		snprintf(buf + (n < sizeof buf ? n : sizeof buf - 1),
			 n < sizeof buf ? sizeof buf - n : 1, "%s（表述数）", n ? " " : "");
	return fisc_arena_strdup(d->a, buf);
}

static const char *side_label(fisc_arena *a, const fisc_diff_side *s)
{
	if (s->label && *s->label)
		return s->label;
	if (s->q.as_of_doc)
		return fisc_arena_printf(a, "文件 #%lld 时",
					 (long long)(s->q.as_of_doc < 0 ? 0 : s->q.as_of_doc));
	if (s->q.as_of_date)
		return fisc_arena_printf(a, "%d 时", (int)s->q.as_of_date);
	return "现行";
}

typedef struct codes_ctx {
	build *b;
	int side;
} codes_ctx;

static int add_code(void *ud, const fisc_region *r)
{
	codes_ctx *c = ud;
	build *b = c->b;
	size_t id = (size_t)r->id;
	if (r->id < 0 || id > ((size_t)1 << 32))
		return fisc_error_set(FISC_ESTORE, "地区编号异常 / a region id out of range");
	if (id >= b->ncodes[c->side]) {
		size_t n = b->ncodes[c->side] ? 2 * b->ncodes[c->side] : 1024;
		while (n <= id)
			n *= 2;
		const char **p = realloc(b->codes[c->side], n * sizeof *p);
		if (!p)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		memset(p + b->ncodes[c->side], 0, (n - b->ncodes[c->side]) * sizeof *p);
		b->codes[c->side] = p;
		b->ncodes[c->side] = n;
	}
	if (!(b->codes[c->side][id] = fisc_arena_strdup(b->a, r->code)))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	return 0;
}

int fisc_diff_build(const fisc_diff_side *sa, const fisc_diff_side *sb, int flags, int unit,
		    int decimals, fisc_arena *ar, fisc_doc **out)
{
	build b;
	memset(&b, 0, sizeof b);
	b.a = ar;
	b.unit = unit;
	/* Two phases are compared line against line; otherwise a line is one
	** phase's figure, compared with the same phase. */
	b.phase_in_key = sa->q.phase == sb->q.phase;
	const fisc_diff_side *side[2] = {sa, sb};
	int rc = FISC_OK;
	/* Without a region every region is compared, matched by code (the
	** stores' ids of one region may differ). */
	b.all_regions = !sa->q.region || !sb->q.region;
	for (int s = 0; s < 2 && rc == FISC_OK; s++) {
		b.side = s;
		if (b.all_regions) {
			codes_ctx cc = {&b, s};
			fisc_query q = side[s]->q;
			q.region = 0;
			if ((rc = fisc_store_region_each(side[s]->st, add_code, &cc)) == FISC_OK)
				rc = fisc_store_fact_each(side[s]->st, &q, add_fact, &b);
		} else {
			rc = fisc_store_fact_each(side[s]->st, &side[s]->q, add_fact, &b);
		}
	}
	fisc_catalog *cat = NULL;
	for (size_t i = 0; rc == FISC_OK && i < b.n; i++)
		if (fisc_fen_sub(b.lines[i].fen[1], b.lines[i].fen[0], &b.lines[i].change) != FISC_OK)
			rc = fisc_error_set(FISC_ERANGE, "增减超出范围 / the change overflows");
	if (rc == FISC_OK)
		rc = fisc_catalog_load(sa->st, sa->q.year ? sa->q.year : sb->q.year, &cat);
	fisc_doc *d = NULL;
	if (rc == FISC_OK) {
		qsort(b.lines, b.n, sizeof *b.lines, by_line);
		fisc_region r = {0};
		if (b.all_regions)
			r.name = "全部地区", r.code = "all";
		else
			rc = fisc_store_region_get(sa->st, sa->q.region, ar, &r);
		const char *la = side_label(ar, sa), *lb = side_label(ar, sb);
		d = fisc_doc_new(ar, "diff", "对比");
		if (rc == FISC_OK && d) {
			fisc_doc_subtitle(d, "%s（%s）：%s 与 %s", r.name, r.code, la, lb);
			int with_phase = b.phase_in_key, with_region = b.all_regions;
			size_t ncols = 9 + (size_t)with_phase + (size_t)with_region;
			fisc_table *t = fisc_doc_table(d, "逐行对比", ncols);
			fisc_table_unit(d, t, unit);
			fisc_cell *h = fisc_table_head(d, t);
			size_t k = 0;
			if (with_region)
				fisc_cell_text(d, &h[k++], "地区代码");
			fisc_cell_text(d, &h[k++], "预算");
			fisc_cell_text(d, &h[k++], "口径");
			if (with_phase)
				fisc_cell_text(d, &h[k++], "阶段");
			fisc_cell_text(d, &h[k++], "科目代码");
			fisc_cell_text(d, &h[k++], "科目名称");
			fisc_cell_text(d, &h[k++], "明细");
			fisc_cell_text(d, &h[k++], "%s", la);
			fisc_cell_text(d, &h[k++], "%s", lb);
			fisc_cell_text(d, &h[k++], "增减");
			fisc_cell_text(d, &h[k++], "增减%%");
			long up = 0, down = 0, added = 0, gone = 0, same = 0;
			for (size_t i = 0; i < b.n; i++) {
				const line *l = &b.lines[i];
				fisc_fen change = l->change;
				int changed = l->listed[0] != l->listed[1] || l->has[0] != l->has[1] ||
					      change != 0;
				if (!changed) {
					same++;
					if (!(flags & FISC_DIFF_ALL))
						continue;
				} else if (!l->listed[0]) {
					added++;
				} else if (!l->listed[1]) {
					gone++;
				} else if (change > 0) {
					up++;
				} else if (change < 0) {
					down++;
				}
				fisc_cell *c = fisc_table_row(d, t);
				k = 0;
				if (with_region)
					fisc_cell_text(d, &c[k++], "%s", l->region);
				fisc_cell_text(d, &c[k++], "%s", fisc_book_name((fisc_book)l->book));
				fisc_cell_text(d, &c[k++], "%s", fisc_scope_name((fisc_scope)l->scope));
				if (with_phase)
					fisc_cell_text(d, &c[k++], "%s", fisc_phase_name((fisc_phase)l->phase));
				fisc_cell_text(d, &c[k++], "%s", l->item);
				const char *name = fisc_catalog_item_name(cat, l->item);
				fisc_cell_text(d, &c[k++], "%s", name ? name : "");
				fisc_cell_text(d, &c[k++], "%s", detail(d, l));
				int dec = decimals >= 0 ? decimals : l->decimals;
				for (int s = 0; s < 2; s++, k++)
					if (l->has[s])
						fisc_cell_amount(d, &c[k], l->fen[s], unit, dec);
				fisc_cell_amount(d, &c[k++], change, unit, dec);
				if (l->fen[0] != 0)
					fisc_cell_percent(d, &c[k++], change, l->fen[0], 2);
				else
					fisc_cell_text(d, &c[k++], "—");
			}
			fisc_table_empty(d, t, "两者没有差异");
			fisc_doc_note(d,
				      "共比较 %zu 行：增加 %ld 行，减少 %ld 行，新出现 %ld 行，不再出现 %ld 行，未变 %ld 行。"
				      "增减%% = 增减 ÷ %s × 100%%，原数为 0 或空白时记为“—”。",
				      b.n, up, down, added, gone, same, la);
			rc = fisc_doc_status(d);
		} else if (rc == FISC_OK) {
			rc = fisc_error_set(FISC_ENOMEM, "out of memory");
		}
	}
	fisc_catalog_free(cat);
	fisc_strmap_free(&b.keys);
	free(b.codes[0]);
	free(b.codes[1]);
	fisc_strmap_free(&b.texts);
	free(b.lines);
	if (rc == FISC_OK)
		*out = d;
	return rc;
}
