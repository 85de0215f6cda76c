/*
** disclosure.c — the standard tables of a department's budget or final
** accounts disclosure (部门预算 / 单位预算 / 部门决算), read from a paged
** document (a PDF), and the checks a reviewer makes on them:
**
**   - every table the table of contents lists is in the body (a table left
**     out of the publication), and a table without a figure says why;
**   - within a table: 合计 = 基本支出 + 项目支出 on a row, a 类 = Σ its 款 =
**     Σ their 项 by function code, the 合计 row = Σ 类, 收入总计 = 支出总计;
**   - between tables: 财政拨款收入 of the 收支总表 = 本年收入合计 of the
**     财政拨款收支总表;
**   - between tables and text: the 收支总计 and 财政拨款收支总计 the text
**     states, the 三公 budget the text states, a 决算数 said to be above or
**     below its 预算数, a growth rate over the previous year's execution, an
**     item's amount restated within its paragraph;
**   - what a template leaves behind (XX, ××, "…年"), a reason left blank
**     ("主要原因是。"), a year that belongs to another report, a 单位预算 that
**     calls itself 部门预算.
**
** The tables are registered once (tdefs): each standard table's title in
** each kind of document and what its columns hold, so that adding a table
** is one entry. Figures keep their written precision and are compared as
** intervals (±half a unit of their last digit); what cannot be read with
** certainty (a row whose figures the PDF placed on another line) is not
** checked rather than guessed.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/internal.h"

enum { DK_NONE = 0, DK_FINAL, DK_DEPT_BUDGET, DK_UNIT_BUDGET };

/* Column layouts a check relies on. */
enum {
	TD_CODES = 1,        /* rows by function code (类 款 项): hierarchy sums */
	TD_BASIC_PROJECT = 2, /* value columns 合计, 基本支出, 项目支出 */
	TD_BALANCE = 4,      /* a 收 side and a 支 side: 总计 = 总计 */
	TD_SANGONG = 8       /* the 三公 table: first figure = 合计 预算数 */
};

typedef struct tdef {
	const char *id;
	const char *zh;          /* the name reviewers use */
	const char *title[3];    /* in a 决算, a 部门预算, a 单位预算 ('*': any text) */
	unsigned flags;
} tdef;

static const tdef tdefs[] = {
	{"income_expense", "收支总表", {"收入支出决算总表", "财务收支预算总表", "财务收支预算总表"}, TD_BALANCE},
	{"income", "收入总表", {"收入决算表", "收入预算总表", "收入预算总表"}, TD_CODES},
	{"expense", "支出总表", {"支出决算表", "支出预算总表", "支出预算总表"}, TD_CODES | TD_BASIC_PROJECT},
	{"fiscal", "财政拨款收支总表", {"财政拨款收入支出决算总表", "财政拨款收支预算总表", "财政拨款收支预算总表"}, TD_BALANCE},
	{"gpb", "一般公共预算支出表", {"一般公共预算财政拨款支出决算表", "一般公共预算支出功能分类预算表", "一般公共预算支出功能分类预算表"}, TD_CODES | TD_BASIC_PROJECT},
	{"basic", "基本支出表", {"一般公共预算财政拨款基本支出决算表", "一般公共预算基本支出*经济分类预算表", "一般公共预算基本支出*经济分类预算表"}, 0},
	{"sangong", "三公经费表", {"三公*经费支出决算表", "三公*经费和机关运行经费预算表", "三公*经费和机关运行经费预算表"}, TD_SANGONG},
	{"gfb", "政府性基金表", {"政府性基金预算财政拨款收入支出决算表", "政府性基金预算支出功能分类预算表", "政府性基金预算支出功能分类预算表"}, TD_CODES},
	{"soe", "国有资本经营表", {"国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算支出功能分类预算表", "国有资本经营预算支出功能分类预算表"}, TD_CODES},
};
#define NTDEF (sizeof tdefs / sizeof *tdefs)

/* A figure as written: m / 10^dec in its unit. */
typedef struct num {
	int64_t m;
	int dec;
	int ok;
} num;

typedef __int128 i128;

/* Amounts are compared in 10^-4 元, doubled, so that half a unit of the
** last digit is a whole number; 128 bits hold any figure parse_num takes
** (at most 17 digits) times that scale, and sums and products of them. */
typedef struct ival {
	i128 v2, h2; /* twice the value and twice the half-unit, in 10^-4 元 */
} ival;

static int64_t pow10i(int e)
{
	int64_t p = 1;
	while (e-- > 0)
		p *= 10;
	return p;
}

/* unit: 10000 for 万元, 1 for 元. */
static ival to_ival(num n, int unit)
{
	int64_t scale = (int64_t)unit * 10000; /* 10^-4 元 per unit */
	ival r;
	i128 den = pow10i(n.dec);
	r.v2 = 2 * (i128)n.m * scale / den;
	r.h2 = scale / den; /* half a unit, doubled */
	if (r.h2 < 1)
		r.h2 = 1;
	return r;
}

/* Parse a figure "2,946.25", "-3.5", "0" at s[0, n): the whole of it. */
static num parse_num(const char *s, size_t n)
{
	num r = {0, 0, 0};
	size_t i = 0;
	int neg = 0, digits = 0, dot = 0;
	while (i < n && s[i] == ' ')
		i++;
	while (n > i && s[n - 1] == ' ')
		n--;
	if (i < n && s[i] == '-')
		neg = 1, i++;
	for (; i < n; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			if (digits >= 17)
				return r;
			r.m = r.m * 10 + (c - '0');
			digits++;
			if (dot)
				r.dec++;
		} else if (c == ',' && !dot) {
			continue;
		} else if (c == '.' && !dot) {
			dot = 1;
		} else {
			return r;
		}
	}
	if (!digits || (dot && !r.dec))
		return r;
	if (neg)
		r.m = -r.m;
	r.ok = 1;
	return r;
}

/* A figure written in the text at s[p...): digits, commas, a point; its end
** in *e. Spaces inside ("2961.68 万元") are allowed before the unit only. */
static num text_num(const char *s, size_t p, size_t end, size_t *e)
{
	size_t q = p;
	while (q < end && ((s[q] >= '0' && s[q] <= '9') || s[q] == '.' || s[q] == ','))
		q++;
	*e = q;
	return parse_num(s + p, q - p);
}

/* After a figure: its unit (万元 → 10000, 元 → 1, else 0), *e past it. */
static int text_unit(const char *s, size_t p, size_t end, size_t *e)
{
	while (p < end && s[p] == ' ')
		p++;
	if (end - p >= 6 && !memcmp(s + p, "万元", 6)) {
		*e = p + 6;
		return 10000;
	}
	if (end - p >= 3 && !memcmp(s + p, "元", 3)) {
		*e = p + 3;
		return 1;
	}
	return 0;
}

static const char *fmt(au_doc *d, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(au_doc *d, const char *f, ...)
{
	va_list ap, ap2;
	va_start(ap, f);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	char *p = n >= 0 ? fisc_arena_alloc(d->w, (size_t)n + 1) : NULL;
	if (p)
		vsnprintf(p, (size_t)n + 1, f, ap2);
	else
		au_oom = 1;
	va_end(ap2);
	return p ? p : "";
}

static const char *num_str(au_doc *d, num n)
{
	int64_t a = n.m < 0 ? -n.m : n.m, p = pow10i(n.dec);
	if (!n.dec)
		return fmt(d, "%s%lld", n.m < 0 ? "-" : "", (long long)a);
	return fmt(d, "%s%lld.%0*lld", n.m < 0 ? "-" : "", (long long)(a / p), n.dec, (long long)(a % p));
}

/* ---- the document ------------------------------------------------------ */

typedef struct dcell {
	const char *text; /* NULL for a figure */
	num v;
	int ok;
} dcell;

typedef struct drow {
	int block, line;
	char code[8];      /* function code of the row's leading cells, "" if none */
	const char *label; /* the first cell with text */
	num v[16];
	int nv;
	int orphan;        /* a line of figures only: part of a row the PDF split */
	struct dcell *cell; /* its cells in order, nc of them (in the arena) */
	int nc;
} drow;

typedef struct dtab {
	int def;           /* index in tdefs */
	int title_block, end_block; /* blocks [title_block, end_block) */
	int unit;          /* 10000 or 1, 0 unknown */
	int head_basic, head_extra; /* header names 基本支出/项目支出; other expense columns */
	int explained;     /* a note says why it holds no figure */
	AU_VEC(drow) rows;
} dtab;

typedef struct dctx {
	au_doc *d;
	int kind;
	AU_VEC(dtab) tabs;
	int listed[NTDEF]; /* line of the table of contents' entry, 0 none */
} dctx;

static int block_has(const au_doc *d, int b, const char *w)
{
	const au_block *bl = &d->blocks.v[b];
	return au_has(d->s, bl->beg, bl->end, w);
}

/* Does [beg, end) contain the pattern, '*' standing for any text? */
static int pat_in(const char *s, size_t beg, size_t end, const char *pat)
{
	const char *star = strchr(pat, '*');
	if (!star)
		return au_has(s, beg, end, pat);
	char first[96];
	size_t n = (size_t)(star - pat);
	if (n >= sizeof first)
		return 0;
	memcpy(first, pat, n);
	first[n] = 0;
	size_t at = au_find_word(s, beg, end, first);
	if (at == (size_t)-1)
		return 0;
	return au_has(s, at + n, end, star + 1);
}

/* The standard table a title line names: the longest pattern matching
** (财政拨款收入支出决算总表 over 收入支出决算总表), -1 if none. */
static int title_def(dctx *x, int b)
{
	au_doc *d = x->d;
	const au_block *bl = &d->blocks.v[b];
	if (bl->end - bl->beg > 240)
		return -1;
	int best = -1;
	size_t bestlen = 0;
	for (size_t k = 0; k < NTDEF; k++) {
		const char *p = tdefs[k].title[x->kind - 1];
		if (pat_in(d->s, bl->beg, bl->end, p) && strlen(p) > bestlen) {
			best = (int)k;
			bestlen = strlen(p);
		}
	}
	/* a paragraph of explanation that names the table is not its title */
	if (best >= 0 && (au_has(d->s, bl->beg, bl->end, "。") || au_has(d->s, bl->beg, bl->end, "情况说明")))
		return -1;
	return best;
}

static int unit_line(const au_doc *d, int b)
{
	const au_block *bl = &d->blocks.v[b];
	/* "编制单位:上海市…  单位:元": the unit is the one a unit follows */
	int seen = 0;
	for (size_t p = bl->beg;;) {
		size_t at = au_find_word(d->s, p, bl->end, "单位:");
		if (at == (size_t)-1)
			return seen ? -1 : 0;
		seen = 1;
		size_t e;
		int u = text_unit(d->s, at + 7, bl->end, &e);
		if (u)
			return u;
		p = at + 7;
	}
}

/* The cells of a block: a row's cells, or the whole text as one. */
static int cells_of(const au_doc *d, int b, size_t *cb, size_t *ce, int max)
{
	const au_block *bl = &d->blocks.v[b];
	if (bl->kind == BK_ROW) {
		int n = bl->ncells < max ? bl->ncells : max;
		for (int i = 0; i < n; i++) {
			cb[i] = bl->cb[i];
			ce[i] = bl->ce[i];
		}
		return n;
	}
	size_t beg = bl->beg;
	if (bl->kind == BK_MDHEAD)
		while (beg < bl->end && (d->s[beg] == '#' || d->s[beg] == ' '))
			beg++;
	cb[0] = beg;
	ce[0] = bl->end;
	return 1;
}

static int all_digits(const char *s, size_t b, size_t e)
{
	if (b >= e)
		return 0;
	for (size_t i = b; i < e; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* A row of a table: leading code cells ("201", "06", "01", "01行政运行" or
** "2013901"), its cells in order (text or figure) and its figures. */
static void read_row(dctx *x, dtab *t, int b)
{
	au_doc *d = x->d;
	size_t cb[24], ce[24];
	int n = cells_of(d, b, cb, ce, 24);
	drow *r = AU_PUSH(d->w, t->rows);
	if (au_oom)
		return;
	r->cell = fisc_arena_alloc(d->w, (size_t)(n + 8) * sizeof *r->cell);
	if (!r->cell) {
		au_oom = 1;
		return;
	}
	r->block = b;
	r->line = d->blocks.v[b].line;
	size_t clen = 0;
	int text = 0;
	for (int i = 0; i < n; i++) {
		size_t p = cb[i], e = ce[i];
		while (p < e && d->s[p] == ' ')
			p++;
		/* code parts at the start of the row, each 2 or 3 digits, in
		** their own cells or before the name in one cell; or the whole
		** code in the first cell, before the name */
		if (i == 0 && i + 1 < n && all_digits(d->s, p, e) &&
		    (e - p == 3 || e - p == 5 || e - p == 7)) {
			memcpy(r->code, d->s + p, e - p);
			clen = e - p;
			r->code[clen] = 0;
			p = e;
		}
		while (!text && r->nv == 0 && p < e && clen < 7) {
			size_t q = p;
			while (q < e && d->s[q] >= '0' && d->s[q] <= '9')
				q++;
			size_t len = q - p;
			int fits = (clen == 0 && len == 3) || (clen && len == 2);
			/* "01行政运行": the reader drops the space between digits
			** and ideographs */
			int sep = q == e || d->s[q] == ' ' || (clen && (unsigned char)d->s[q] >= 0x80);
			if (!fits || !sep)
				break;
			memcpy(r->code + clen, d->s + p, len);
			clen += len;
			r->code[clen] = 0;
			p = q;
			while (p < e && d->s[p] == ' ')
				p++;
		}
		if (p >= e)
			continue;
		/* "2,995.39总计": a figure and the next cell's words the PDF set
		** too close to be told apart */
		if (d->s[p] >= '0' && d->s[p] <= '9' && r->nc + 1 < n + 8) {
			size_t q = p;
			while (q < e && ((d->s[q] >= '0' && d->s[q] <= '9') || d->s[q] == ',' || d->s[q] == '.'))
				q++;
			num v = parse_num(d->s + p, q - p);
			if (v.ok && q < e && (unsigned char)d->s[q] >= 0x80 && r->nc < n + 8) {
				r->cell[r->nc].ok = 1;
				r->cell[r->nc].v = v;
				r->cell[r->nc].text = NULL;
				r->nc++;
				if (r->nv < 16)
					r->v[r->nv++] = v;
				p = q;
			}
		}
		num v = parse_num(d->s + p, e - p);
		if (r->nc < n + 8) {
			r->cell[r->nc].ok = v.ok;
			r->cell[r->nc].v = v;
			r->cell[r->nc].text = v.ok ? NULL : au_span(d, p, e);
			r->nc++;
		}
		if (v.ok) {
			if (r->nv < 16)
				r->v[r->nv++] = v;
		} else {
			if (!r->label)
				r->label = au_span(d, p, e);
			text = 1;
		}
	}
	r->orphan = !text && !clen && r->nv > 0;
}

/* The tables of the body: a title followed, within three lines, by the
** unit line ("单位：万元"); a title without one is an entry of the table
** of contents. A table runs to the next table or part. */
static void find_tables(dctx *x)
{
	au_doc *d = x->d;
	for (size_t b = 0; b < d->blocks.n; b++) {
		int k = title_def(x, (int)b);
		if (k < 0)
			continue;
		/* the next title before a unit line: a list of titles (the
		** contents), not a table */
		int unit = 0;
		for (size_t q = b + 1; q < d->blocks.n && q <= b + 3 && !unit; q++) {
			if (title_def(x, (int)q) >= 0)
				break;
			unit = unit_line(d, (int)q);
		}
		if (!unit) {
			if (!x->listed[k])
				x->listed[k] = d->blocks.v[b].line;
			continue;
		}
		/* the title repeated over the table's next page: the same table */
		if (x->tabs.n && x->tabs.v[x->tabs.n - 1].def == k)
			continue;
		dtab *t = AU_PUSH(d->w, x->tabs);
		t->def = k;
		t->title_block = (int)b;
		t->unit = unit > 0 ? unit : 0;
	}
	for (size_t i = 0; i < x->tabs.n; i++) {
		dtab *t = &x->tabs.v[i];
		int end = i + 1 < x->tabs.n ? x->tabs.v[i + 1].title_block : (int)d->blocks.n;
		for (int b = t->title_block + 1; b < end; b++) {
			const au_block *bl = &d->blocks.v[b];
			if (bl->marker == MK_PART || block_has(d, b, "第三部分") ||
			    (bl->kind != BK_ROW && bl->marker == MK_CN && bl->end - bl->beg > 60)) {
				end = b;
				break;
			}
		}
		t->end_block = end;
		int data = 0;
		for (int b = t->title_block + 1; b < end; b++) {
			if (block_has(d, b, "本表无数据") || block_has(d, b, "故本表无") ||
			    (block_has(d, b, "无") && (block_has(d, b, "注") || block_has(d, b, "说明"))))
				t->explained = 1;
			read_row(x, t, b);
			if (au_oom)
				return;
			drow *r = &t->rows.v[t->rows.n - 1];
			if (r->nv && (r->code[0] || r->orphan || r->label))
				data = 1;
			if (!data) {
				if (block_has(d, b, "基本支出") || block_has(d, b, "项目支出"))
					t->head_basic = 1;
				if (block_has(d, b, "上缴上级") || block_has(d, b, "经营支出") ||
				    block_has(d, b, "附属单位") || block_has(d, b, "事业单位"))
					t->head_extra = 1;
			}
		}
	}
}

static dtab *table(dctx *x, const char *id)
{
	for (size_t i = 0; i < x->tabs.n; i++)
		if (!strcmp(tdefs[x->tabs.v[i].def].id, id))
			return &x->tabs.v[i];
	return NULL;
}

static int table_figures(const dtab *t)
{
	for (size_t i = 0; i < t->rows.n; i++)
		if (t->rows.v[i].nv)
			return 1;
	return 0;
}

/* ---- findings ---------------------------------------------------------- */

static au_find *finding(au_doc *d, const char *rule, int sev, int block, int line)
{
	au_find *f = au_find_new(d, rule, sev, line, -1, block);
	f->text = au_sent_text(d, -1, block);
	int *p = AU_PUSH(d->w, f->lines);
	*p = line;
	return f;
}

/* a = Σ parts within the parts' rounding? 0 exact, 1 within, 2 fails. */
static int sum_verdict(ival a, const ival *p, int n, i128 *diff2, i128 *tol2)
{
	i128 s = 0, tol = a.h2;
	for (int i = 0; i < n; i++) {
		s += p[i].v2;
		tol += p[i].h2;
	}
	i128 df = a.v2 - s;
	*diff2 = df;
	*tol2 = tol;
	if (!df)
		return 0;
	return (df < 0 ? -df : df) <= tol ? 1 : 2;
}

static const char *ival_str(au_doc *d, i128 v2, int unit, int dec)
{
	/* v2: twice the amount in 10^-4 元; shown in the table's unit, with
	** the decimals of the figure it is set against (six at most) */
	if (dec > 6)
		dec = 6;
	i128 scale = (i128)unit * 10000 * 2;
	int64_t p = pow10i(dec);
	i128 q = v2 * p;
	int neg = q < 0;
	if (neg)
		q = -q;
	q = (q + scale / 2) / scale;
	if (!dec)
		return fmt(d, "%s%lld", neg ? "-" : "", (long long)q);
	return fmt(d, "%s%lld.%0*lld", neg ? "-" : "", (long long)(q / p), dec, (long long)(q % p));
}

/* ---- checks within a table ---------------------------------------------- */

/* 合计 = 基本支出 + 项目支出 on a row of three figures, in a table whose
** only value columns are those. */
static void check_basic_project(dctx *x, dtab *t)
{
	au_doc *d = x->d;
	if (!(tdefs[t->def].flags & TD_BASIC_PROJECT) || !t->head_basic || t->head_extra || !t->unit)
		return;
	for (size_t i = 0; i < t->rows.n; i++) {
		drow *r = &t->rows.v[i];
		if (r->nv != 3 || r->orphan)
			continue;
		ival a = to_ival(r->v[0], t->unit);
		ival p[2] = {to_ival(r->v[1], t->unit), to_ival(r->v[2], t->unit)};
		i128 df, tol;
		if (sum_verdict(a, p, 2, &df, &tol) < 2)
			continue;
		au_find *f = finding(d, "disclosure.row_sum", FISC_AUDIT_ERROR, r->block, r->line);
		f->stated = num_str(d, r->v[0]);
		f->computed = ival_str(d, p[0].v2 + p[1].v2, t->unit, r->v[0].dec);
		f->zh = fmt(d, "《%s》“%s”一行：合计%s，但基本支出%s与项目支出%s之和为%s。",
			    tdefs[t->def].zh, r->label ? r->label : r->code, f->stated,
			    num_str(d, r->v[1]), num_str(d, r->v[2]), f->computed);
		f->en = fmt(d, "%s, row '%s': total %s, but basic %s + project %s = %s.", tdefs[t->def].id,
			    r->label ? r->label : r->code, f->stated, num_str(d, r->v[1]),
			    num_str(d, r->v[2]), f->computed);
	}
}

/* The cell reading w in row r followed by a figure: its index, the figure
** in *v; -1 if none. */
static int row_labelled_one(const drow *r, const char *w, num *v)
{
	for (int c = 0; c + 1 < r->nc; c++)
		if (r->cell[c].text && !strcmp(r->cell[c].text, w) && r->cell[c + 1].ok) {
			*v = r->cell[c + 1].v;
			return c;
		}
	return -1;
}

/* A 类 = Σ its 款, a 款 = Σ its 项 (first figure: the total column); the
** 合计 row = Σ 类. Only rows read whole: a table the PDF split into lines
** of figures alone is not summed. */
static void check_codes(dctx *x, dtab *t)
{
	au_doc *d = x->d;
	if (!(tdefs[t->def].flags & TD_CODES) || !t->unit)
		return;
	for (size_t i = 0; i < t->rows.n; i++)
		if (t->rows.v[i].orphan)
			return;
	for (size_t i = 0; i < t->rows.n; i++) {
		drow *r = &t->rows.v[i];
		size_t cl = strlen(r->code);
		if ((cl != 3 && cl != 5) || !r->nv)
			continue;
		ival parts[64];
		int np = 0, complete = 1;
		for (size_t j = i + 1; j < t->rows.n; j++) {
			drow *c = &t->rows.v[j];
			if (!c->code[0])
				continue;
			if (strncmp(c->code, r->code, cl))
				break;
			if (strlen(c->code) != cl + 2)
				continue;
			if (!c->nv || np == 64) {
				complete = 0;
				break;
			}
			parts[np++] = to_ival(c->v[0], t->unit);
		}
		if (!np || !complete)
			continue;
		ival a = to_ival(r->v[0], t->unit);
		i128 df, tol;
		if (sum_verdict(a, parts, np, &df, &tol) < 2)
			continue;
		i128 s = a.v2 - df;
		au_find *f = finding(d, "disclosure.code_sum", FISC_AUDIT_ERROR, r->block, r->line);
		f->stated = num_str(d, r->v[0]);
		f->computed = ival_str(d, s, t->unit, r->v[0].dec);
		f->zh = fmt(d, "《%s》科目%s“%s”为%s，但其下%d个%s之和为%s。", tdefs[t->def].zh, r->code,
			    r->label ? r->label : "", f->stated, np, cl == 3 ? "款" : "项", f->computed);
		f->en = fmt(d, "%s, code %s: %s, but its %d sub-items add up to %s.", tdefs[t->def].id,
			    r->code, f->stated, np, f->computed);
	}
	/* the 合计 row and the 类 rows */
	for (size_t i = 0; i < t->rows.n; i++) {
		drow *r = &t->rows.v[i];
		num tv;
		if (r->code[0] || row_labelled_one(r, "合计", &tv) < 0)
			continue;
		ival parts[64];
		int np = 0;
		for (size_t j = 0; j < t->rows.n && np < 64; j++)
			if (strlen(t->rows.v[j].code) == 3 && t->rows.v[j].nv)
				parts[np++] = to_ival(t->rows.v[j].v[0], t->unit);
		ival a = to_ival(tv, t->unit);
		i128 df, tol;
		if (!np || sum_verdict(a, parts, np, &df, &tol) < 2)
			break;
		au_find *f = finding(d, "disclosure.code_sum", FISC_AUDIT_ERROR, r->block, r->line);
		f->stated = num_str(d, tv);
		f->computed = ival_str(d, a.v2 - df, t->unit, tv.dec);
		f->zh = fmt(d, "《%s》合计%s，但各类之和为%s。", tdefs[t->def].zh, f->stated, f->computed);
		f->en = fmt(d, "%s: total %s, but the classes add up to %s.", tdefs[t->def].id, f->stated,
			    f->computed);
		break;
	}
}

/* The 总计 row of a 收/支 table: the figure after the first 总计 cell
** (收入总计) in *in, after the second (支出总计) in *out when there is one. */
static drow *total_row(dtab *t, num *in, num *out, int *has_out)
{
	*has_out = 0;
	for (size_t i = 0; i < t->rows.n; i++) {
		drow *r = &t->rows.v[i];
		int seen = 0;
		for (int c = 0; c + 1 < r->nc; c++) {
			const char *w = r->cell[c].text;
			if (!w || !r->cell[c + 1].ok)
				continue;
			if (!strcmp(w, "支出总计") && seen) {
				*out = r->cell[c + 1].v;
				*has_out = 1;
				continue;
			}
			if (strcmp(w, "总计") && strcmp(w, "收入总计"))
				continue;
			if (!seen++) {
				*in = r->cell[c + 1].v;
			} else {
				*out = r->cell[c + 1].v;
				*has_out = 1;
			}
		}
		if (seen)
			return r;
	}
	return NULL;
}

/* The row with a cell reading w (or containing it, with prefix_ok) and a
** figure in the next cell: that figure in *v. */
static drow *row_labelled(dtab *t, const char *w, int prefix_ok, num *v)
{
	for (size_t i = 0; i < t->rows.n; i++) {
		drow *r = &t->rows.v[i];
		for (int c = 0; c + 1 < r->nc; c++) {
			const char *s = r->cell[c].text;
			if (!s || !(!strcmp(s, w) || (prefix_ok && strstr(s, w))))
				continue;
			if (!r->cell[c + 1].ok)
				return NULL;
			*v = r->cell[c + 1].v;
			return r;
		}
	}
	return NULL;
}

static void check_balance(dctx *x, dtab *t)
{
	au_doc *d = x->d;
	if (!(tdefs[t->def].flags & TD_BALANCE) || !t->unit)
		return;
	num in, out;
	int has_out;
	drow *r = total_row(t, &in, &out, &has_out);
	if (!r || !has_out)
		return;
	ival a = to_ival(in, t->unit), b = to_ival(out, t->unit);
	i128 df, tol;
	if (sum_verdict(a, &b, 1, &df, &tol) < 2)
		return;
	au_find *f = finding(d, "disclosure.balance", FISC_AUDIT_ERROR, r->block, r->line);
	f->stated = num_str(d, in);
	f->computed = num_str(d, out);
	f->zh = fmt(d, "《%s》收入总计%s与支出总计%s不相等。", tdefs[t->def].zh, f->stated, f->computed);
	f->en = fmt(d, "%s: income total %s differs from expenditure total %s.", tdefs[t->def].id,
		    f->stated, f->computed);
}

/* ---- between tables ------------------------------------------------------ */

static void check_cross(dctx *x)
{
	au_doc *d = x->d;
	dtab *ie = table(x, "income_expense"), *fi = table(x, "fiscal");
	if (!ie || !fi || !ie->unit || !fi->unit)
		return;
	num na, nb;
	drow *a = row_labelled(ie, "财政拨款收入", 1, &na);
	drow *b = row_labelled(fi, "本年收入合计", 0, &nb);
	if (!a || !b)
		return;
	ival va = to_ival(na, ie->unit), vb = to_ival(nb, fi->unit);
	i128 df, tol;
	if (sum_verdict(va, &vb, 1, &df, &tol) < 2)
		return;
	au_find *f = finding(d, "disclosure.cross_table", FISC_AUDIT_ERROR, a->block, a->line);
	int *p = AU_PUSH(d->w, f->lines);
	*p = b->line;
	f->stated = num_str(d, na);
	f->computed = num_str(d, nb);
	f->zh = fmt(d, "《收支总表》财政拨款收入%s与《财政拨款收支总表》本年收入合计%s不一致。", f->stated,
		    f->computed);
	f->en = fmt(d, "income/expense table: appropriation %s, appropriation table: %s.", f->stated,
		    f->computed);
}

/* ---- tables against the text --------------------------------------------- */

/* The figure stated after the word w in block b ("…总计2995.39万元"): its
** value and unit; 0 if none follows closely. */
static int figure_after(au_doc *d, size_t from, size_t end, num *v, int *unit, size_t *at)
{
	size_t p = from;
	/* "为", "是", ":", a closing quote and spaces may come between */
	for (int k = 0; k < 3 && p < end; k++) {
		if (end - p >= 3 && (!memcmp(d->s + p, "为", 3) || !memcmp(d->s + p, "是", 3) ||
				     !memcmp(d->s + p, "”", 3)))
			p += 3;
		else if (d->s[p] == '"')
			p++;
		else if (d->s[p] == ':' || d->s[p] == ' ')
			p++;
	}
	if (p >= end || d->s[p] < '0' || d->s[p] > '9')
		return 0;
	size_t e;
	*v = text_num(d->s, p, end, &e);
	if (!v->ok)
		return 0;
	*unit = text_unit(d->s, e, end, &e);
	*at = p;
	return *unit != 0;
}

static void text_vs_total(dctx *x, const char *tid, const char *word, int not_fiscal)
{
	au_doc *d = x->d;
	dtab *t = table(x, tid);
	if (!t || !t->unit)
		return;
	num tot, out;
	int has_out;
	drow *r = total_row(t, &tot, &out, &has_out);
	if (!r)
		return;
	size_t wl = strlen(word);
	for (size_t b = 0; b < d->blocks.n; b++) {
		au_block *bl = &d->blocks.v[b];
		if (bl->kind != BK_TEXT)
			continue;
		size_t p = bl->beg;
		for (;;) {
			size_t at = au_find_word(d->s, p, bl->end, word);
			if (at == (size_t)-1)
				break;
			p = at + wl;
			if (not_fiscal && at >= bl->beg + 12 && !memcmp(d->s + at - 12, "财政拨款", 12))
				continue;
			num v;
			int unit;
			size_t fat;
			if (!figure_after(d, at + wl, bl->end, &v, &unit, &fat))
				continue;
			ival a = to_ival(v, unit), b2 = to_ival(tot, t->unit);
			i128 df, tol;
			if (sum_verdict(a, &b2, 1, &df, &tol) < 2)
				continue;
			int line = au_line_at(d, fat);
			au_find *f = finding(d, "disclosure.text_table", FISC_AUDIT_ERROR, (int)b, line);
			int *lp = AU_PUSH(d->w, f->lines);
			*lp = r->line;
			f->stated = fmt(d, "%s%s", num_str(d, v), unit == 1 ? "元" : "万元");
			f->computed = fmt(d, "%s%s", num_str(d, tot), t->unit == 1 ? "元" : "万元");
			f->zh = fmt(d, "正文所述%s%s与《%s》总计%s不一致。", word, f->stated, tdefs[t->def].zh,
				    f->computed);
			f->en = fmt(d, "the text's %s differs from the total %s of table %s.", f->stated,
				    f->computed, tdefs[t->def].id);
		}
	}
}

/* A budget's overview paragraphs: "2026年,…收入预算9628.22万元,其中:…" and
** "支出预算9628.22万元,其中:…" against 收入总计 and 支出总计 of the
** 收支总表 (in 元 or 万元: compared as intervals). */
static void text_vs_budget_totals(dctx *x)
{
	au_doc *d = x->d;
	dtab *t = table(x, "income_expense");
	if (!t || !t->unit)
		return;
	num in, out;
	int has_out;
	drow *r = total_row(t, &in, &out, &has_out);
	if (!r)
		return;
	for (size_t b = 0; b < d->blocks.n; b++) {
		au_block *bl = &d->blocks.v[b];
		if (bl->kind != BK_TEXT || (int)b >= t->title_block)
			continue;
		for (int side = 0; side < 2; side++) {
			const char *w = side ? "支出预算" : "收入预算";
			size_t at = au_find_word(d->s, bl->beg, bl->end, w);
			size_t of = au_find_word(d->s, bl->beg, bl->end, "其中");
			if (at == (size_t)-1 || of == (size_t)-1 || at > of)
				continue;
			/* the paragraph opens with the year, or with the words */
			if (side ? at != bl->beg : !au_has(d->s, bl->beg, at, "年,"))
				continue;
			num v;
			int unit;
			size_t fat;
			if (!figure_after(d, at + strlen(w), bl->end, &v, &unit, &fat))
				continue;
			num tv = side && has_out ? out : in;
			ival a = to_ival(v, unit), c = to_ival(tv, t->unit);
			i128 df, tol;
			if (sum_verdict(a, &c, 1, &df, &tol) < 2)
				continue;
			au_find *f = finding(d, "disclosure.text_table", FISC_AUDIT_ERROR, (int)b, au_line_at(d, fat));
			*AU_PUSH(d->w, f->lines) = r->line;
			f->stated = fmt(d, "%s%s", num_str(d, v), unit == 1 ? "元" : "万元");
			f->computed = fmt(d, "%s%s", num_str(d, tv), t->unit == 1 ? "元" : "万元");
			f->zh = fmt(d, "正文所述%s%s与《收支总表》%s%s不一致。", w, f->stated,
				    side ? "支出总计" : "收入总计", f->computed);
			f->en = fmt(d, "the text's %s differs from the table's total %s.", f->stated, f->computed);
		}
	}
}

/* The 三公 budget the text states and the table's first figure (合计 预算数). */
static void text_vs_sangong(dctx *x)
{
	au_doc *d = x->d;
	dtab *t = table(x, "sangong");
	if (!t || !t->unit)
		return;
	static const char *const words[] = {"经费财政拨款支出年初预算为", "经费预算数为"};
	for (size_t b = 0; b < d->blocks.n; b++) {
		au_block *bl = &d->blocks.v[b];
		if (bl->kind != BK_TEXT || (int)b < t->end_block)
			continue;
		for (size_t w = 0; w < 2; w++) {
			size_t at = au_find_word(d->s, bl->beg, bl->end, words[w]);
			if (at == (size_t)-1 || at < bl->beg + 6 || !au_has(d->s, at > bl->beg + 30 ? at - 30 : bl->beg, at, "三公"))
				continue;
			num v;
			int unit;
			size_t fat;
			if (!figure_after(d, at + strlen(words[w]), bl->end, &v, &unit, &fat))
				continue;
			drow *r = NULL;
			for (size_t i = 0; i < t->rows.n && !r; i++)
				if (t->rows.v[i].nv && !t->rows.v[i].code[0])
					r = &t->rows.v[i];
			ival a = to_ival(v, unit);
			int line = au_line_at(d, fat);
			if (!r) {
				if (!v.m)
					continue;
				au_find *f = finding(d, "disclosure.text_table", FISC_AUDIT_ERROR, (int)b, line);
				f->stated = fmt(d, "%s%s", num_str(d, v), unit == 1 ? "元" : "万元");
				f->zh = fmt(d, "正文所述“三公”经费预算%s，但《三公经费表》没有列出任何数字。", f->stated);
				f->en = fmt(d, "the text states a 三公 budget of %s, but the 三公 table shows no figure.",
					    f->stated);
				continue;
			}
			ival c = to_ival(r->v[0], t->unit);
			i128 df, tol;
			if (sum_verdict(a, &c, 1, &df, &tol) < 2)
				continue;
			au_find *f = finding(d, "disclosure.text_table", FISC_AUDIT_ERROR, (int)b, line);
			int *lp = AU_PUSH(d->w, f->lines);
			*lp = r->line;
			f->stated = fmt(d, "%s%s", num_str(d, v), unit == 1 ? "元" : "万元");
			f->computed = fmt(d, "%s%s", num_str(d, r->v[0]), t->unit == 1 ? "元" : "万元");
			f->zh = fmt(d, "正文所述“三公”经费预算%s与《三公经费表》合计预算数%s不一致。", f->stated,
				    f->computed);
			f->en = fmt(d, "the text's 三公 budget %s differs from the table's %s.", f->stated,
				    f->computed);
		}
	}
}

/* ---- the text ------------------------------------------------------------ */

/* "年初预算为A万元,支出决算为B万元。决算数大于预算数": the comparison must
** follow from the figures. */
static void check_direction(dctx *x, int b)
{
	au_doc *d = x->d;
	au_block *bl = &d->blocks.v[b];
	size_t p = bl->beg;
	for (;;) {
		size_t at = au_find_word(d->s, p, bl->end, "预算为");
		if (at == (size_t)-1)
			return;
		p = at + 9;
		num a, c;
		int ua, uc;
		size_t fa, fc;
		if (!figure_after(d, at + 9, bl->end, &a, &ua, &fa))
			continue;
		size_t de = au_find_word(d->s, fa, bl->end < fa + 80 ? bl->end : fa + 80, "决算为");
		if (de == (size_t)-1 || !figure_after(d, de + 9, bl->end, &c, &uc, &fc))
			continue;
		size_t lim = fc + 60 < bl->end ? fc + 60 : bl->end;
		size_t w = au_find_word(d->s, fc, lim, "决算数");
		if (w == (size_t)-1)
			continue;
		const char *said = NULL;
		int rel = 0;
		if (w + 15 > bl->end)
			continue;
		if (!memcmp(d->s + w + 9, "大于", 6))
			said = "大于", rel = 1;
		else if (!memcmp(d->s + w + 9, "小于", 6))
			said = "小于", rel = -1;
		else if (!memcmp(d->s + w + 9, "等于", 6))
			said = "等于", rel = 0;
		if (!said)
			continue;
		ival va = to_ival(a, ua), vc = to_ival(c, uc);
		i128 lo = vc.v2 - vc.h2 - (va.v2 + va.h2), hi = vc.v2 + vc.h2 - (va.v2 - va.h2);
		int ok = rel > 0 ? hi > 0 : rel < 0 ? lo < 0 : (lo <= 0 && hi >= 0);
		if (ok)
			continue;
		int line = au_line_at(d, w);
		au_find *f = finding(d, "disclosure.direction", FISC_AUDIT_ERROR, b, line);
		f->stated = fmt(d, "决算数%s预算数", said);
		f->computed = fmt(d, "决算数%s预算数", va.v2 < vc.v2 ? "大于" : va.v2 > vc.v2 ? "小于" : "等于");
		f->zh = fmt(d, "预算数%s、决算数%s，正文却说“%s”。", num_str(d, a), num_str(d, c), f->stated);
		f->en = fmt(d, "budget %s, final %s: the text's comparison does not follow.", num_str(d, a),
			    num_str(d, c));
	}
}

/* Growth over the previous year's execution: "执行数为A万元,2026年预算安排B
** 万元,比2025年预算执行数增加P%", and the item's amount stated at the head of
** its paragraph ("(01项)1434.89万元") restated as B. */
static void check_growth(dctx *x, int b)
{
	au_doc *d = x->d;
	au_block *bl = &d->blocks.v[b];
	size_t p = bl->beg;
	for (;;) {
		size_t at = au_find_word(d->s, p, bl->end, "执行数为");
		if (at == (size_t)-1)
			return;
		p = at + 12;
		num a, c;
		int ua, uc;
		size_t fa, fc, e;
		if (!figure_after(d, at + 12, bl->end, &a, &ua, &fa) || a.m <= 0)
			continue;
		size_t lim = fa + 90 < bl->end ? fa + 90 : bl->end;
		size_t ap = au_find_word(d->s, fa, lim, "预算安排");
		if (ap == (size_t)-1 || !figure_after(d, ap + 12, bl->end, &c, &uc, &fc))
			continue;
		/* the amount at the head of the item: "(NN项)X万元" */
		size_t xi = au_find_word(d->s, bl->beg, at, "项)");
		if (xi != (size_t)-1) {
			num h;
			int uh;
			size_t fh;
			if (figure_after(d, xi + 4, at, &h, &uh, &fh)) {
				ival vh = to_ival(h, uh), vc = to_ival(c, uc);
				i128 df, tol;
				if (sum_verdict(vh, &vc, 1, &df, &tol) == 2) {
					au_find *f = finding(d, "disclosure.restated", FISC_AUDIT_ERROR, b, au_line_at(d, fc));
					f->stated = fmt(d, "%s万元", num_str(d, c));
					f->computed = fmt(d, "%s万元", num_str(d, h));
					f->zh = fmt(d, "同一项目前文写%s，后文“预算安排”写%s，前后不一致。", f->computed,
						    f->stated);
					f->en = fmt(d, "the item is stated as %s, then as %s.", f->computed, f->stated);
				}
			}
		}
		(void)text_num(d->s, fc, bl->end, &e);
		text_unit(d->s, e, bl->end, &e);
		size_t plim = e + 60 < bl->end ? e + 60 : bl->end;
		int sign = 0;
		size_t w = au_find_word(d->s, e, plim, "增加");
		size_t w2 = au_find_word(d->s, e, plim, "减少");
		if (w != (size_t)-1 && (w2 == (size_t)-1 || w < w2))
			sign = 1;
		else if (w2 != (size_t)-1)
			sign = -1, w = w2;
		/* the rate must be over the execution just stated, not another base */
		if (!sign || !au_has(d->s, e, w, "执行"))
			continue;
		size_t pe;
		num pc = text_num(d->s, w + 6, plim, &pe);
		/* a rate of up to nine digits and six decimals: the products
		** below stay within 128 bits */
		if (!pc.ok || pe >= bl->end || d->s[pe] != '%' || pc.m > 999999999 || pc.dec > 6)
			continue;
		/* growth g = c/a - 1 over the intervals; stated s = sign·pc % ± half */
		ival va = to_ival(a, ua), vc = to_ival(c, uc);
		int64_t P = pow10i(pc.dec) * 100; /* 100% in the stated units */
		__int128 s_lo = (__int128)sign * pc.m * 2 - 1, s_hi = (__int128)sign * pc.m * 2 + 1; /* doubled */
		/* s_hi/2P >= (c_lo/a_hi - 1)  ⇔  (s_hi + 2P)·a_hi >= 2P·c_lo */
		__int128 a_lo = va.v2 - va.h2, a_hi = va.v2 + va.h2, c_lo = vc.v2 - vc.h2, c_hi = vc.v2 + vc.h2;
		int ok = (s_hi + 2 * P) * a_hi >= 2 * (__int128)P * c_lo && (s_lo + 2 * P) * a_lo <= 2 * (__int128)P * c_hi;
		if (ok)
			continue;
		/* what the figures give, half-up to the stated decimals */
		__int128 num2 = ((__int128)vc.v2 - va.v2) * P, g;
		__int128 den = (__int128)va.v2;
		g = num2 >= 0 ? (num2 + den / 2) / den : -((-num2 + den / 2) / den);
		int64_t gg = (int64_t)g, ag = gg < 0 ? -gg : gg, pp = pow10i(pc.dec);
		au_find *f = finding(d, "disclosure.growth", FISC_AUDIT_ERROR, b, au_line_at(d, w));
		f->stated = fmt(d, "%s%s%%", sign > 0 ? "增加" : "减少", num_str(d, pc));
		if (pc.dec)
			f->computed = fmt(d, "%s%lld.%0*lld%%", gg < 0 ? "减少" : "增加", (long long)(ag / pp), pc.dec,
					  (long long)(ag % pp));
		else
			f->computed = fmt(d, "%s%lld%%", gg < 0 ? "减少" : "增加", (long long)ag);
		f->zh = fmt(d, "由%s万元到%s万元应为%s，正文写作%s。", num_str(d, a), num_str(d, c), f->computed,
			    f->stated);
		f->en = fmt(d, "from %s to %s is %s, the text says %s.", num_str(d, a), num_str(d, c),
			    f->computed, f->stated);
	}
}

/* What a template leaves: "XX局", "××", "…年", "X年". */
static void check_placeholders(dctx *x, int b)
{
	au_doc *d = x->d;
	au_block *bl = &d->blocks.v[b];
	/* alone: the mark is a placeholder wherever it stands; else only next
	** to words ("XX局", "20XX年"), not in "XX" as an abbreviation */
	static const struct {
		const char *w;
		int alone;
	} marks[] = {{"XX", 0}, {"××", 0}, {"xx", 0}, {"X年", 0}, {"X月", 0}, {"**", 0},
		     {"…年", 1}, {"...年", 1}, {"增加(减少)", 1}, {"增加(下降)", 1}, {"增长(下降)", 1}};
	for (size_t k = 0; k < sizeof marks / sizeof *marks; k++) {
		size_t at = au_find_word(d->s, bl->beg, bl->end, marks[k].w);
		if (at == (size_t)-1)
			continue;
		/* a placeholder stands next to words: "XX局", "20XX年" */
		size_t e = at + strlen(marks[k].w);
		uint32_t cp = 0;
		if (e < bl->end)
			au_utf8_dec(d->s + e, bl->end - e, &cp);
		int before_han = 0;
		if (at > bl->beg) {
			size_t q = at - 1;
			while (q > bl->beg && ((unsigned char)d->s[q] & 0xC0) == 0x80)
				q--;
			uint32_t pc;
			au_utf8_dec(d->s + q, at - q, &pc);
			before_han = au_is_han(pc) || (pc >= '0' && pc <= '9');
		}
		if (!au_is_han(cp) && !before_han && !marks[k].alone)
			continue;
		au_find *f = finding(d, "disclosure.placeholder", FISC_AUDIT_ERROR, b, au_line_at(d, at));
		f->stated = marks[k].w;
		f->zh = fmt(d, "模板占位符“%s”未替换。", marks[k].w);
		f->en = fmt(d, "template placeholder '%s' left in the publication.", marks[k].w);
		return;
	}
}

/* "YYYY年度部门决算" and "截至YYYY年12月31日" naming another year than the
** report's, a reason left blank, a 单位预算 calling itself 部门预算. */
static void check_words(dctx *x, int b)
{
	au_doc *d = x->d;
	au_block *bl = &d->blocks.v[b];
	int year = d->nyears ? d->years[0] : 0;
	static const char *const tails[] = {"年度部门决算", "年部门预算", "年单位预算", "年度单位决算"};
	/* in a title or heading: a paragraph may well name last year's budget */
	if (year && bl->end - bl->beg < 160 && !au_has(d->s, bl->beg, bl->end, "比") &&
	    !au_has(d->s, bl->beg, bl->end, "与"))
		for (size_t k = 0; k < 4; k++) {
			size_t p = bl->beg;
			for (;;) {
				size_t at = au_find_word(d->s, p, bl->end, tails[k]);
				if (at == (size_t)-1)
					break;
				p = at + 3;
				if (at < bl->beg + 4 || !all_digits(d->s, at - 4, at))
					continue;
				int y = atoi(au_span(d, at - 4, at));
				if (y == year)
					continue;
				au_find *f = finding(d, "disclosure.year", FISC_AUDIT_ERROR, b, au_line_at(d, at));
				f->stated = fmt(d, "%d年", y);
				f->computed = fmt(d, "%d年", year);
				f->zh = fmt(d, "本文件是%d年度的，此处却写作%d年。", year, y);
				f->en = fmt(d, "the document is for %d, this says %d.", year, y);
			}
		}
	if (year && x->kind == DK_FINAL) {
		size_t at = au_find_word(d->s, bl->beg, bl->end, "截至");
		if (at != (size_t)-1 && at + 6 + 4 <= bl->end && all_digits(d->s, at + 6, at + 10) &&
		    au_has(d->s, at + 10, bl->end < at + 30 ? bl->end : at + 30, "12月31日")) {
			int y = atoi(au_span(d, at + 6, at + 10));
			int asset = b > 0 && (block_has(d, b, "国有资产") || block_has(d, b - 1, "国有资产"));
			if (y != year && asset) {
				au_find *f = finding(d, "disclosure.year", FISC_AUDIT_ERROR, b, au_line_at(d, at));
				f->stated = fmt(d, "%d年12月31日", y);
				f->computed = fmt(d, "%d年12月31日", year);
				f->zh = fmt(d, "%d年度决算的资产应截至%d年12月31日，此处写作%d年。", year, year, y);
				f->en = fmt(d, "assets of the %d accounts are as of 31 Dec %d, this says %d.", year, year, y);
			}
		}
	}
	static const char *const blank[] = {"原因是。", "原因是:。", "原因:。", "原因是;", "原因为。"};
	for (size_t k = 0; k < sizeof blank / sizeof *blank; k++) {
		size_t at = au_find_word(d->s, bl->beg, bl->end, blank[k]);
		if (at == (size_t)-1)
			continue;
		au_find *f = finding(d, "disclosure.reason_missing", FISC_AUDIT_ERROR, b, au_line_at(d, at));
		f->zh = fmt(d, "“主要原因是”之后没有写出原因。");
		f->en = fmt(d, "the sentence gives no reason after 主要原因是.");
		break;
	}
	if (au_has(d->s, bl->beg, bl->end, "。。")) {
		au_find *f = finding(d, "disclosure.punctuation", FISC_AUDIT_WARNING, b,
				     au_line_at(d, au_find_word(d->s, bl->beg, bl->end, "。。")));
		f->zh = fmt(d, "连续两个句号。");
		f->en = fmt(d, "two full stops in a row.");
	}
	if (x->kind == DK_UNIT_BUDGET && au_has(d->s, bl->beg, bl->end, "部门预算安排")) {
		au_find *f = finding(d, "disclosure.kind_word", FISC_AUDIT_WARNING, b,
				     au_line_at(d, au_find_word(d->s, bl->beg, bl->end, "部门预算安排")));
		f->stated = "部门预算安排";
		f->computed = "单位预算安排";
		f->zh = fmt(d, "这是单位预算，正文却写“部门预算安排”。");
		f->en = fmt(d, "a unit budget that says 部门预算安排.");
	}
}

/* The block a finding about line `line` quotes: the first on or after it. */
static int block_from(const au_doc *d, int line)
{
	for (size_t b = 0; b < d->blocks.n; b++)
		if (d->blocks.v[b].last_line >= line)
			return (int)b;
	return d->blocks.n ? (int)d->blocks.n - 1 : -1;
}

/* Pages left blank and pages whose text runs past the edge (pdf.c marks
** both; audit.c notes their lines). */
static void check_pages(dctx *x)
{
	au_doc *d = x->d;
	if (!d->blocks.n)
		return;
	for (size_t i = 0; i < d->blank_lines.n; i++) {
		int line = d->blank_lines.v[i];
		au_find *f = au_find_new(d, "disclosure.blank_page", FISC_AUDIT_WARNING, line, -1, block_from(d, line));
		f->text = "（空白页）";
		f->zh = fmt(d, "空白页：这一页没有任何文字，可能是多余的空表页。");
		f->en = fmt(d, "a blank page: nothing is written on it.");
		*AU_PUSH(d->w, f->lines) = line;
	}
	for (size_t i = 0; i < d->clipped_lines.n; i++) {
		int line = d->clipped_lines.v[i];
		int b = block_from(d, line);
		au_find *f = finding(d, "disclosure.clipped", FISC_AUDIT_WARNING, b, line);
		f->zh = fmt(d, "这一页有文字超出页面边界，读者看不到（行尾被截去）。");
		f->en = fmt(d, "text on this page runs past its edge and cannot be seen.");
	}
}

/* Quotation marks that do not pair within a paragraph; a reason given
** without the full stop that ends it. */
static void check_marks(dctx *x, int b)
{
	au_doc *d = x->d;
	au_block *bl = &d->blocks.v[b];
	int open = 0, close = 0;
	for (size_t p = bl->beg; p + 3 <= bl->end; p++) {
		if (!memcmp(d->s + p, "“", 3))
			open++;
		else if (!memcmp(d->s + p, "”", 3))
			close++;
	}
	if (open != close) {
		size_t at = au_find_word(d->s, bl->beg, bl->end, open < close ? "”" : "“");
		au_find *f = finding(d, "disclosure.quotes", FISC_AUDIT_WARNING, b, au_line_at(d, at));
		f->zh = fmt(d, "引号不成对：左引号%d个，右引号%d个。", open, close);
		f->en = fmt(d, "quotation marks do not pair: %d opening, %d closing.", open, close);
	}
	/* "……的主要原因是工作量增加" closing a paragraph of its own */
	if (bl->kind == BK_TEXT && !bl->marker && !bl->heading_only && bl->end > bl->beg + 12 &&
	    au_has(d->s, bl->beg, bl->end, "原因是") && (size_t)b + 1 < d->blocks.n) {
		size_t e = bl->end;
		while (e > bl->beg && d->s[e - 1] == ' ')
			e--;
		static const char *const ends[] = {"。", ";", ":", "!", "?", ")", "”", "."};
		int ended = 0;
		for (size_t k = 0; k < sizeof ends / sizeof *ends && !ended; k++) {
			size_t n = strlen(ends[k]);
			ended = e - bl->beg >= n && !memcmp(d->s + e - n, ends[k], n);
		}
		if (!ended) {
			au_find *f = finding(d, "disclosure.punctuation", FISC_AUDIT_WARNING, b, bl->last_line);
			f->zh = fmt(d, "句末缺少句号。");
			f->en = fmt(d, "the sentence ends without a full stop.");
		}
	}
}

/* A budget compared with itself: "比2026年预算增加" in the 2026 budget. */
static void check_self_compare(dctx *x, int b)
{
	au_doc *d = x->d;
	au_block *bl = &d->blocks.v[b];
	if (x->kind == DK_FINAL || !d->nyears)
		return;
	char w1[32], w2[32];
	snprintf(w1, sizeof w1, "比%d年预算", d->years[0]);
	snprintf(w2, sizeof w2, "与%d年预算", d->years[0]);
	size_t p = bl->beg;
	for (;;) {
		size_t a1 = au_find_word(d->s, p, bl->end, w1), a2 = au_find_word(d->s, p, bl->end, w2);
		size_t at = a1 < a2 ? a1 : a2;
		const char *w = a1 < a2 ? w1 : w2;
		if (at == (size_t)-1)
			return;
		p = at + strlen(w);
		/* "比2026年预算执行数" is another figure, not the budget itself */
		if (au_has(d->s, p, p + 9 <= bl->end ? p + 9 : bl->end, "执行"))
			continue;
		au_find *f = finding(d, "disclosure.year", FISC_AUDIT_ERROR, b, au_line_at(d, at));
		f->stated = fmt(d, "%d年预算", d->years[0]);
		f->computed = fmt(d, "%d年预算", d->years[0] - 1);
		f->zh = fmt(d, "%d年预算与“%d年预算”相比：与自身比较，应为与上年（%d年）预算相比。",
			    d->years[0], d->years[0], d->years[0] - 1);
		f->en = fmt(d, "the %d budget compared with the %d budget, itself.", d->years[0], d->years[0]);
	}
}

/* Tables the contents list but the body lacks; tables without a figure
** and without a note saying why. */
static void check_outline(dctx *x)
{
	au_doc *d = x->d;
	for (size_t k = 0; k < NTDEF; k++) {
		int found = 0;
		for (size_t i = 0; i < x->tabs.n; i++)
			found |= x->tabs.v[i].def == (int)k;
		if (found || !x->listed[k])
			continue;
		int line = x->listed[k];
		int blk = 0;
		for (size_t b = 0; b < d->blocks.n; b++)
			if (d->blocks.v[b].line == line) {
				blk = (int)b;
				break;
			}
		au_find *f = finding(d, "disclosure.table_missing", FISC_AUDIT_ERROR, blk, line);
		f->stated = tdefs[k].title[x->kind - 1];
		f->zh = fmt(d, "目录列出了《%s》，正文中却没有这张表。", tdefs[k].zh);
		f->en = fmt(d, "the contents list table %s, the body lacks it.", tdefs[k].id);
	}
	for (size_t i = 0; i < x->tabs.n; i++) {
		dtab *t = &x->tabs.v[i];
		if (table_figures(t) || t->explained)
			continue;
		au_find *f = finding(d, "disclosure.table_empty", FISC_AUDIT_WARNING, t->title_block,
				     d->blocks.v[t->title_block].line);
		f->zh = fmt(d, "《%s》没有任何数字，也没有说明原因。", tdefs[t->def].zh);
		f->en = fmt(d, "table %s holds no figure and says not why.", tdefs[t->def].id);
	}
}

int au_disclosure_kind(const au_doc *d)
{
	if (!d->paged)
		return DK_NONE;
	if (!strcmp(d->kind, "department_final_accounts"))
		return DK_FINAL;
	if (strcmp(d->kind, "department_budget"))
		return DK_NONE;
	/* a 单位预算 says so in its title or its first lines */
	size_t lim = d->n < 3000 ? d->n : 3000;
	if ((d->title && strstr(d->title, "单位预算")) || au_has(d->s, 0, lim, "单位预算"))
		return DK_UNIT_BUDGET;
	return DK_DEPT_BUDGET;
}

void au_disclosure(au_doc *d)
{
	dctx x;
	memset(&x, 0, sizeof x);
	x.d = d;
	x.kind = au_disclosure_kind(d);
	if (!x.kind)
		return;
	find_tables(&x);
	for (size_t i = 0; i < x.tabs.n; i++) {
		check_basic_project(&x, &x.tabs.v[i]);
		check_codes(&x, &x.tabs.v[i]);
		check_balance(&x, &x.tabs.v[i]);
	}
	check_cross(&x);
	if (x.kind == DK_FINAL) {
		text_vs_total(&x, "income_expense", "收入支出总计", 1);
		text_vs_total(&x, "fiscal", "财政拨款收入支出总计", 0);
	} else {
		text_vs_budget_totals(&x);
	}
	text_vs_sangong(&x);
	for (size_t b = 0; b < d->blocks.n; b++) {
		if (d->blocks.v[b].kind == BK_ROW)
			continue;
		check_placeholders(&x, (int)b);
		check_words(&x, (int)b);
		check_marks(&x, (int)b);
		check_self_compare(&x, (int)b);
		if (d->blocks.v[b].kind == BK_TEXT) {
			check_direction(&x, (int)b);
			check_growth(&x, (int)b);
		}
	}
	check_outline(&x);
	check_pages(&x);
}
void au_disclosure_dump(au_doc *d)
{
	dctx x;
	memset(&x, 0, sizeof x);
	x.d = d;
	x.kind = au_disclosure_kind(d);
	if (!x.kind)
		return;
	find_tables(&x);
	if (getenv("FISC_AUDIT_DEBUG_BLOCKS"))
		for (size_t b = 0; b < d->blocks.n; b++)
			fprintf(stderr, "B%zu k=%d L%d-%d m=%d lvl=%d ho=%d [%s]\n", b, d->blocks.v[b].kind,
				d->blocks.v[b].line, d->blocks.v[b].last_line, d->blocks.v[b].marker,
				d->blocks.v[b].level, d->blocks.v[b].heading_only,
				au_span(d, d->blocks.v[b].beg, d->blocks.v[b].end));
	for (size_t i = 0; i < x.tabs.n; i++) {
		dtab *t = &x.tabs.v[i];
		fprintf(stderr, "TABLE %s unit=%d basic=%d extra=%d expl=%d\n", tdefs[t->def].id, t->unit, t->head_basic, t->head_extra, t->explained);
		for (size_t j = 0; j < t->rows.n; j++) {
			drow *r = &t->rows.v[j];
			fprintf(stderr, "  L%d [%s] orphan=%d:", r->line, r->code, r->orphan);
			for (int k = 0; k < r->nc; k++)
				fprintf(stderr, " | %s", r->cell[k].text ? r->cell[k].text : num_str(d, r->cell[k].v));
			fprintf(stderr, "\n");
		}
	}
}
