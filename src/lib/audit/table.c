/*
** table.c — tab-separated tables, as extracted from a report's 收支平衡情况表:
**
**   收 入        执行数    支 出          执行数
**   总 计        883,868   总 计          883,868
**   一、全区收入  300,276   一、全区支出    659,588
**   税收收入      160,198   二、转移性支出  224,280
**   …
**
** Each side is a tree: the total, the numbered rows (一、 二、) under it and
** the plain rows under each numbered row. Checked: total = Σ numbered rows,
** each numbered row = Σ its rows, and income total = expense total. A side
** with no numbered rows is a flat list under its 合计 row. The caption above
** the table gives its year, book, scope (and the 金库 view) and the unit;
** the column heading (执行数 / 预算数 / 决算数) its phase. Every cell becomes
** a fact of the report, so that the tables are compared with the sentences.
*/
#include <string.h>
#include "audit/internal.h"
#include "fisc/fact.h"

static au_tok *T(au_doc *d, int k) { return &d->toks.v[k]; }

typedef struct trow {
	const char *label;
	int tok;      /* -1 blank */
	int marker;   /* MK_CN for 一、二、 */
	int total;    /* 总计 / 合计 */
	int line;
	int block;
} trow;

static int value_head(const char *c, int *phase)
{
	static const struct {
		const char *w;
		int ph;
	} heads[] = {
		{"调整预算数", FISC_PHASE_ADJUSTED}, {"执行数", FISC_PHASE_EXECUTION},
		{"预算数", FISC_PHASE_BUDGET}, {"决算数", FISC_PHASE_FINAL},
		{"金额", 0}, {"决算", FISC_PHASE_FINAL}, {"预算", FISC_PHASE_BUDGET},
	};
	for (size_t k = 0; k < sizeof heads / sizeof *heads; k++)
		if (strstr(c, heads[k].w)) {
			*phase = heads[k].ph;
			return 1;
		}
	return 0;
}

/* "年末滚存结余", "累计结余" under "本年收支结余": a balance carried over the
** years, shown beside the year's figures, not one of their parts. */
static int stock_row(const char *label)
{
	return label && (strstr(label, "滚存") || strstr(label, "累计结余"));
}

/* Is row i one of the side's top-level parts? With numbered rows (一、二、)
** those, and the unnumbered rows under a numbered row left blank (a
** department's "上年结转结余" after an empty "三、国有资本经营预算拨款"); without
** them every row. */
static int top_part(const trow *r, int i, int ntop)
{
	if (!ntop || r[i].marker == MK_CN)
		return 1;
	for (int k = i - 1; k >= 0; k--)
		if (r[k].marker == MK_CN)
			return r[k].tok < 0;
	return 0;
}

static void side_claims(au_doc *d, trow *r, int n, int *total_out)
{
	int tot = -1;
	for (int i = 0; i < n; i++)
		if (r[i].total) {
			tot = i;
			break;
		}
	*total_out = tot >= 0 ? r[tot].tok : -1;
	int ntop = 0;
	for (int i = 0; i < n; i++)
		ntop += r[i].marker == MK_CN;
	/* "本年收入合计" above "上年结转结余" and "收入总计" (a department's
	** 收支总表): the year's subtotal, then what is added to it */
	int sub = -1;
	for (int i = 0; i < n && sub < 0; i++)
		if (!r[i].total && r[i].label && au_endswith(r[i].label, "合计") && i != tot)
			sub = i;
	if (sub >= 0 && tot > sub) {
		if (r[tot].tok >= 0) {
			au_claim *c = au_claim_new(d, CK_TABLE, "audit.table");
			size_t ci = d->claims.n - 1;
			c->total = r[tot].tok;
			c->block = r[tot].block;
			c->rel = REL_EQ;
			for (int i = sub; i < n; i++)
				if (i != tot && r[i].tok >= 0)
					au_claim_part(d, &d->claims.v[ci], r[i].tok, 1);
			if (!d->claims.v[ci].nparts)
				d->claims.v[ci].kind = 0;
		}
		if (r[sub].tok >= 0) {
			int top = 0;
			for (int i = 0; i < sub; i++)
				top += r[i].marker == MK_CN;
			au_claim *c = au_claim_new(d, CK_TABLE, "audit.table");
			size_t ci = d->claims.n - 1;
			c->total = r[sub].tok;
			c->block = r[sub].block;
			c->rel = REL_EQ;
			for (int i = 0; i < sub; i++)
				if (r[i].tok >= 0 && top_part(r, i, top))
					au_claim_part(d, &d->claims.v[ci], r[i].tok, 1);
			if (!d->claims.v[ci].nparts)
				d->claims.v[ci].kind = 0;
		}
	} else if (tot >= 0 && r[tot].tok >= 0) {
		au_claim *c = au_claim_new(d, CK_TABLE, "audit.table");
		c->total = r[tot].tok;
		c->block = r[tot].block;
		c->rel = REL_EQ;
		for (int i = 0; i < n; i++)
			if (i != tot && r[i].tok >= 0 && top_part(r, i, ntop))
				au_claim_part(d, c, r[i].tok, 1);
		if (!d->claims.v[d->claims.n - 1].nparts)
			d->claims.v[d->claims.n - 1].kind = 0;
	}
	if (!ntop)
		return;
	for (int i = 0; i < n; i++) {
		if (r[i].marker != MK_CN || r[i].tok < 0)
			continue;
		int j = i + 1, any = 0;
		for (; j < n && r[j].marker != MK_CN && !r[j].total && j != sub; j++)
			any |= r[j].tok >= 0;
		if (!any)
			continue;
		au_claim *c = au_claim_new(d, CK_TABLE, "audit.table");
		size_t ci = d->claims.n - 1;
		c->total = r[i].tok;
		c->block = r[i].block;
		/* a group that runs into the end of the text may have lost its
		** last rows (an opening cut off mid-table): its parts may only
		** fall short */
		c->rel = j == n && r[n - 1].block >= (int)d->blocks.n - 1 ? REL_LE : REL_EQ;
		for (int q = i + 1; q < j; q++)
			if (r[q].tok >= 0 && !stock_row(r[q].label))
				au_claim_part(d, &d->claims.v[ci], r[q].tok, 1);
		if (!d->claims.v[ci].nparts)
			d->claims.v[ci].kind = 0;
	}
}

static void cell_token(au_doc *d, au_block *row, int cell, int unit, const char *label,
		       const au_ctx *tc, int side, int *tok)
{
	*tok = -1;
	size_t before = d->toks.n;
	au_lex_cell(d, row->cb[cell], row->ce[cell], unit);
	for (size_t k = before; k < d->toks.n; k++) {
		au_tok *t = T(d, (int)k);
		if (t->kind != TK_AMOUNT) {
			t->kind = 0; /* a percentage or year in a money column: ignore */
			continue;
		}
		if (*tok >= 0)
			continue;
		*tok = (int)k;
		t->glabel = label;
		t->label = au_label_clean(d, label, 0);
		t->key = au_label_clean(d, label, 1);
		t->raw = label;
		t->role = R_PRINCIPAL;
		t->used = 2;
		t->ctx = *tc;
		size_t n = strlen(label);
		int sc = au_scope_word(label, 0, n);
		if (sc)
			t->ctx.scope = sc;
		if (!strcmp(t->label, "总计") || !strcmp(t->label, "合计"))
			t->item = au_lex_item(side ? "支出总计" : "收入总计");
		else
			t->item = au_lex_item(t->label);
		int ib = au_item_book(t->item, label);
		if (ib != -2)
			t->ctx.book = ib;
	}
}

/* The heading cell without its spaces ("合 计" → "合计"), in the arena. */
static const char *head_word(au_doc *d, const au_block *hdr, int c)
{
	const char *cell = au_span(d, hdr->cb[c], hdr->ce[c]);
	char *w = fisc_arena_strdup(d->w, cell ? cell : "");
	if (!w)
		return "";
	size_t o = 0;
	for (size_t i = 0; w[i]; i++)
		if (w[i] != ' ')
			w[o++] = w[i];
	w[o] = 0;
	return w;
}

/* Is the cell a figure and nothing else? */
static int figure_cell(au_doc *d, const au_block *row, int c)
{
	if (c >= row->ncells || row->ce[c] == row->cb[c])
		return 0;
	for (size_t i = row->cb[c]; i < row->ce[c]; i++) {
		char ch = d->s[i];
		if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == ',' || ch == '-'))
			return 0;
	}
	return 1;
}

/* The 三公经费 table of a disclosure: "合计 | 因公出国 | 公务用车购置及运行维护
** (小计 | 购置 | 运行维护) | 公务接待费" over one or two heading rows, then rows
** of figures only. The first column is the total of the others; a 小计
** column stands for the columns after it under the same heading, so a row
** that fills it is read only when it leaves them empty, or they are read
** and it is left out. */
static int total_first(au_doc *d, size_t b0, size_t b1, int unit, const au_ctx *tc)
{
	int ncol = d->blocks.v[b0].ncells;
	for (size_t q = b0; q < b1; q++) {
		au_block *row = &d->blocks.v[q];
		if (!figure_cell(d, row, 0))
			continue;
		/* the heading of each column: the lowest heading row that names it */
		int sub[64] = {0}, n = row->ncells < 64 ? row->ncells : 64;
		for (int c = 1; c < n && c < ncol + 8; c++)
			for (size_t h = b0; h < q; h++) {
				au_block *hr = &d->blocks.v[h];
				if (c < hr->ncells && hr->ce[c] > hr->cb[c])
					sub[c] = !strcmp(head_word(d, hr, c), "小计");
			}
		int tot = -1;
		cell_token(d, row, 0, unit, "“三公”经费合计", tc, 0, &tot);
		if (tot < 0)
			continue;
		au_claim *c = au_claim_new(d, CK_TABLE, "audit.table");
		size_t ci = d->claims.n - 1;
		c->total = tot;
		c->block = (int)q;
		c->rel = REL_EQ;
		for (int col = 1; col < n; col++) {
			if (!figure_cell(d, row, col))
				continue;
			if (sub[col]) {
				/* a filled 小计 with its columns filled too: they are its
				** parts, it is not one of the total's */
				int parts_filled = 0;
				for (int k = col + 1; k < n && !sub[k]; k++)
					parts_filled |= figure_cell(d, row, k);
				if (parts_filled)
					continue;
			}
			int tok = -1;
			const char *lab = "";
			for (size_t h = b0; h < q; h++) {
				au_block *hr = &d->blocks.v[h];
				if (col < hr->ncells && hr->ce[col] > hr->cb[col])
					lab = head_word(d, hr, col);
			}
			cell_token(d, row, col, unit, *lab ? lab : "“三公”经费", tc, 0, &tok);
			if (tok >= 0)
				au_claim_part(d, &d->claims.v[ci], tok, 1);
		}
		if (!d->claims.v[ci].nparts)
			d->claims.v[ci].kind = 0;
	}
	return 1;
}

/* A table read across: items down the first column, their parts across
** ("| 项 目 | 一般债务 | 专项债务 | 未区分类型 | 合 计 |"), the last column
** the row's total. Each row's 合计 is the item's figure, each other cell the
** item of its column ("政府债务限额" + "一般债务"), and the row adds up.
** Returns 0 when the heading row is not of that kind. */
static int across_table(au_doc *d, size_t b0, size_t b1, int unit, const au_ctx *tc)
{
	au_block *hdr = &d->blocks.v[b0];
	int last = hdr->ncells - 1;
	if (last < 2)
		return 0;
	if (!strcmp(head_word(d, hdr, 0), "合计"))
		return total_first(d, b0, b1, unit, tc);
	const char *tw = head_word(d, hdr, last);
	if (strcmp(tw, "合计") && strcmp(tw, "总计") && strcmp(tw, "小计"))
		return 0;
	for (size_t q = b0 + 1; q < b1; q++) {
		au_block *row = &d->blocks.v[q];
		if (row->ncells < 2)
			continue;
		const char *lab = au_span(d, row->cb[0], row->ce[0]);
		if (!lab || !*lab)
			continue;
		size_t ml;
		int ord;
		int mk = au_marker(lab, strlen(lab), &ord, &ml);
		const char *rl = lab + (mk == MK_CN ? ml : 0);
		int tot = -1;
		if (last < row->ncells)
			cell_token(d, row, last, unit, rl, tc, 0, &tot);
		au_claim *c = NULL;
		size_t ci = 0;
		for (int col = 1; col < last && col < row->ncells; col++) {
			const char *cl = fisc_arena_printf(d->w, "%s%s", rl, head_word(d, hdr, col));
			int tok = -1;
			cell_token(d, row, col, unit, cl ? cl : rl, tc, 0, &tok);
			if (tok < 0 || tot < 0)
				continue;
			if (!c) {
				c = au_claim_new(d, CK_TABLE, "audit.table");
				c->total = tot;
				c->block = (int)q;
				c->rel = REL_EQ;
				ci = d->claims.n - 1;
			}
			au_claim_part(d, &d->claims.v[ci], tok, 1);
		}
	}
	return 1;
}

static void one_table(au_doc *d, size_t b0, size_t b1)
{
	/* caption: unit line and title within the few blocks above */
	int unit = -1;
	int title = -1;
	for (size_t q = b0; q-- > 0 && b0 - q <= 4;) {
		au_block *bl = &d->blocks.v[q];
		if (bl->kind == BK_ROW)
			break;
		if (au_has(d->s, bl->beg, bl->end, "单位")) {
			if (au_has(d->s, bl->beg, bl->end, "亿元"))
				unit = FISC_UNIT_YI;
			else if (au_has(d->s, bl->beg, bl->end, "万元"))
				unit = FISC_UNIT_WAN;
			else if (au_has(d->s, bl->beg, bl->end, "元"))
				unit = FISC_UNIT_YUAN;
			continue;
		}
		if (title < 0) {
			title = (int)q;
			if (unit >= 0 || q + 1 == b0)
				break;
		}
	}
	if (unit < 0)
		return; /* no unit: the figures cannot be read as money */
	au_block *hdr = &d->blocks.v[b0];
	au_ctx tc = d->ctxs.v[hdr->ctx];
	if (title >= 0) {
		au_block *tb = &d->blocks.v[title];
		au_ctx_words(d->s, tb->beg, tb->end, &tc, 1);
		/* the year of the caption */
		for (size_t i = tb->beg; i + 7 <= tb->end; i++)
			if (d->s[i] == '2' && d->s[i + 1] == '0' && d->s[i + 2] >= '0' && d->s[i + 2] <= '9' &&
			    d->s[i + 3] >= '0' && d->s[i + 3] <= '9' && !memcmp(d->s + i + 4, "年", 3)) {
				tc.year = 2000 + (d->s[i + 2] - '0') * 10 + (d->s[i + 3] - '0');
				break;
			}
		tc.qual = au_has(d->s, tb->beg, tb->end, "金库");
	}
	/* columns: value columns from the heading row; the label is the cell
	** before each */
	int vcol[4], nv = 0, phase = 0;
	for (int c = 0; c < hdr->ncells && nv < 4; c++) {
		const char *cell = au_span(d, hdr->cb[c], hdr->ce[c]);
		int ph;
		if (c > 0 && value_head(cell, &ph)) {
			vcol[nv++] = c;
			if (ph)
				phase = ph;
		}
	}
	size_t body = b0 + 1;
	if (!nv && across_table(d, b0, b1, unit, &tc))
		return;
	if (!nv) {
		/* no heading row: label, value pairs */
		body = b0;
		for (int c = 1; c < hdr->ncells && nv < 4; c += 2)
			vcol[nv++] = c;
	}
	if (phase)
		tc.phase = phase;
	int sides = nv > 2 ? 2 : nv;
	/* every row of the table, however long */
	size_t maxr = b1 > body ? b1 - body : 1;
	trow *rows[2] = {fisc_arena_alloc(d->w, sizeof(trow) * maxr),
			 fisc_arena_alloc(d->w, sizeof(trow) * maxr)};
	if (!rows[0] || !rows[1]) {
		au_oom = 1;
		return;
	}
	int nr[2] = {0, 0};
	for (size_t q = body; q < b1; q++) {
		au_block *row = &d->blocks.v[q];
		for (int sd = 0; sd < sides; sd++) {
			int vc = vcol[sd], lc = vc - 1;
			if (lc < 0 || vc >= row->ncells)
				continue;
			const char *lab = au_span(d, row->cb[lc], row->ce[lc]);
			if (!*lab)
				continue;
			size_t ml;
			int ord;
			int mk = au_marker(lab, strlen(lab), &ord, &ml);
			trow *r = &rows[sd][nr[sd]++];
			r->label = lab + (mk == MK_CN ? ml : 0);
			r->marker = mk;
			r->total = !strcmp(lab, "总计") || !strcmp(lab, "合计") ||
				   au_endswith(lab, "收入总计") || au_endswith(lab, "支出总计");
			r->line = row->line;
			r->block = (int)q;
			cell_token(d, row, vc, unit, r->label, &tc, sd, &r->tok);
		}
	}
	int tot[2] = {-1, -1};
	for (int sd = 0; sd < sides; sd++)
		side_claims(d, rows[sd], nr[sd], &tot[sd]);
	if (sides == 2 && tot[0] >= 0 && tot[1] >= 0) {
		au_claim *c = au_claim_new(d, CK_TABLE, "audit.table");
		c->total = tot[1];
		c->block = T(d, tot[1])->sent < 0 ? rows[1][0].block : -1;
		c->rel = REL_EQ;
		au_claim_part(d, c, tot[0], 1);
		/* quote the row that holds the expense total */
		for (int i = 0; i < nr[1]; i++)
			if (rows[1][i].tok == tot[1])
				c->block = rows[1][i].block;
	}
}

void au_tables(au_doc *d)
{
	for (size_t b = 0; b < d->blocks.n;) {
		if (d->blocks.v[b].kind != BK_ROW) {
			b++;
			continue;
		}
		size_t e = b;
		while (e < d->blocks.n && d->blocks.v[e].kind == BK_ROW)
			e++;
		one_table(d, b, e);
		b = e;
	}
}
