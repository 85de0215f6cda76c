/*
** rep_debt.c — the government debt section (政府债务情况) and the debt
** report: limits, balances, bonds issued (新增 / 再融资), principal repaid,
** interest paid and the 债务率, by 一般债务 (book gpb), 专项债务 (gfb), figures
** given for both together (book all) and their computed 合计.
**
** Every 合计 is computed from its parts. The identities of DOMAIN §5 are
** checked and reported: a stated total against its parts (with the rounding
** tolerance of written figures), balance within limit, this year's closing
** balance against last year's plus issuance minus repayment, issuance against
** the 债务（转贷）收入 of the balance tables and repayment against their
** 债务还本支出. A check the data cannot support is reported as not made.
*/
#include <string.h>
#include "fisc/error.h"
#include "report/chart.h"
#include "report/rep.h"

/* Columns: one per book a debt figure can carry, then the computed total. */
enum { C_GPB, C_GFB, C_ALL, NBOOKCOL };
static const int col_book[NBOOKCOL] = {FISC_BOOK_GPB, FISC_BOOK_GFB, FISC_BOOK_ALL};
static const char *const col_name[NBOOKCOL] = {"一般债务", "专项债务", "未区分类型"};

typedef struct drow {
	const char *line;
	int subtree; /* 1: the line and its parts; 0: facts at the line itself only */
	const char *label;
	int level;
	const char *what; /* in checks: 一般债务 + what */
} drow;

static const drow drows[] = {
	{"debt_limit", 1, "政府债务限额", 0, "限额"},
	{"debt_balance", 1, "政府债务余额", 0, "余额"},
	{"debt_issue", 1, "地方政府债券发行", 0, "债券发行"},
	{"debt_issue_new", 1, "其中：新增债券", 1, "新增债券"},
	{"debt_issue_refi", 1, "再融资债券", 1, "再融资债券"},
	{"debt_issue", 0, "未区分新增和再融资", 1, "债券发行"},
	{"debt_service", 1, "政府债务还本付息", 0, "还本付息"},
	{"debt_principal_paid", 1, "其中：还本", 1, "还本"},
	{"debt_interest_paid", 1, "付息", 1, "付息"},
	{"debt_service", 0, "未区分还本和付息", 1, "还本付息"},
	{"debt_ratio_base", 1, "综合财力", 0, "综合财力"},
};
enum { NROWS = sizeof drows / sizeof *drows };

typedef struct debt {
	fisc_doc *d;
	fisc_fset *fs;
	int year, scope, phase;
	int unit, maxdec;      /* every amount in `unit` with at most maxdec decimals */
	const char *scope_label;
	fisc_fsum cell[NROWS][NBOOKCOL + 1]; /* + total */
	const char *oks[32];
	size_t nok;
} debt;

static fisc_fsel base_sel(const debt *g)
{
	fisc_fsel s = fisc_fsel_any();
	s.year = g->year;
	s.scope = g->scope;
	s.phase = g->phase;
	s.dept = "";
	return s;
}

static int is_debt_item(const fisc_fset *fs, const char *item)
{
	static const char *const tops[] = {"debt_limit", "debt_balance", "debt_issue", "debt_service",
					   "debt_ratio_base"};
	for (size_t i = 0; i < sizeof tops / sizeof *tops; i++)
		if (fisc_fset_under(fs, item, tops[i]))
			return 1;
	return 0;
}

/* The phase and scope the year's debt figures were recorded under: 执行 or
** 决算 before budgets, the whole region before this level. */
static int choose(debt *g)
{
	static const int phases[] = {FISC_PHASE_EXECUTION, FISC_PHASE_FINAL, FISC_PHASE_ADJUSTED,
				     FISC_PHASE_BUDGET};
	static const int scopes[] = {FISC_SCOPE_ALL, FISC_SCOPE_SELF, FISC_SCOPE_LOWER};
	for (size_t p = 0; p < 4; p++)
		for (size_t s = 0; s < 3; s++)
			for (size_t i = 0; i < g->fs->n; i++) {
				const fisc_fact *f = &g->fs->v[i];
				if (f->year == g->year && f->phase == phases[p] && f->scope == scopes[s] &&
				    !*f->dept && is_debt_item(g->fs, f->item)) {
					g->phase = phases[p];
					g->scope = scopes[s];
					return 1;
				}
			}
	return 0;
}

static fisc_fsum cell_of(const debt *g, const drow *r, int book)
{
	fisc_fsel s = base_sel(g);
	s.book = book;
	s.kind = FISC_FACT_BASE;
	if (r->subtree)
		s.under = r->line;
	else
		s.item = r->line;
	fisc_fsum x = fisc_fset_sum(g->fs, &s);
	/* A figure stated for one book stands in when nothing can be summed; a
	** figure stated for both books together is their total and is only
	** compared (below), never shown as if it were a part. */
	if (!x.n && r->subtree && book != FISC_BOOK_ALL) {
		s.under = NULL;
		s.item = r->line;
		s.kind = FS_ANY;
		x = fisc_fset_figure(g->fs, s);
	}
	return x;
}

static int dec_of(const debt *g, fisc_fen wulp)
{
	int d = fisc_rt_decimals(wulp, g->unit);
	return d < g->maxdec ? d : g->maxdec;
}

static const char *amt(debt *g, fisc_fen fen, fisc_fen wulp)
{
	char buf[96];
	if (fisc_fen_format(fen, (fisc_unit)g->unit, dec_of(g, wulp), FISC_FMT_UNIT, buf,
			    sizeof buf) < 0)
		return "?";
	const char *s = fisc_arena_strdup(g->d->a, buf);
	return s ? s : "?";
}

static void ok(debt *g, const char *what)
{
	if (g->nok < sizeof g->oks / sizeof *g->oks && what)
		g->oks[g->nok++] = what;
}

/* A figure the source states against the one computed from its parts. */
static void check_stated(debt *g, int row, int col)
{
	const drow *r = &drows[row];
	const fisc_fsum *c = &g->cell[row][col == C_ALL ? NBOOKCOL : col];
	if (!r->subtree || !c->has_amount || c->stated)
		return;
	fisc_fsel s = base_sel(g);
	s.book = col_book[col];
	s.kind = FISC_FACT_STATED;
	s.item = r->line;
	s.fund = "";
	s.project = "";
	fisc_fsum st = fisc_fset_sum(g->fs, &s);
	if (!st.has_amount)
		return;
	const char *what = col == C_ALL ? fisc_arena_printf(g->d->a, "政府债务%s合计", r->what)
					: fisc_arena_printf(g->d->a, "%s%s", col_name[col], r->what);
	if (fisc_rt_consistent(st.fen, st.ulp, c->fen, c->ulp)) {
		ok(g, fisc_arena_printf(g->d->a, "%s（表述%s）", what, amt(g, st.fen, st.wulp)));
		return;
	}
	fisc_fen diff = st.fen > c->fen ? st.fen - c->fen : c->fen - st.fen;
	fisc_fen w = st.wulp && st.wulp < c->wulp ? st.wulp : c->wulp ? c->wulp : st.wulp;
	fisc_doc_note(g->d,
		      "资料表述的%s为%s，按分项计算为%s，相差%s，超出四舍五入误差；本报告按分项计算数列示。",
		      what, amt(g, st.fen, st.wulp), amt(g, c->fen, c->wulp), amt(g, diff, w));
}

static int row_of(const char *line, int subtree)
{
	for (int i = 0; i < NROWS; i++)
		if (!strcmp(drows[i].line, line) && drows[i].subtree == subtree)
			return i;
	return -1;
}

/* Balance within limit, per book and in total. */
static void check_limit(debt *g)
{
	int lim = row_of("debt_limit", 1), bal = row_of("debt_balance", 1);
	static const char *const names[] = {"一般债务", "专项债务", "", "政府债务"};
	for (int c = 0; c <= NBOOKCOL; c++) {
		if (c == C_ALL)
			continue;
		const fisc_fsum *l = &g->cell[lim][c], *b = &g->cell[bal][c];
		if (!l->has_amount || !b->has_amount)
			continue;
		if (b->fen > l->fen)
			fisc_doc_note(g->d, "%s余额%s超过限额%s。", names[c], amt(g, b->fen, b->wulp),
				      amt(g, l->fen, l->wulp));
		else
			ok(g, fisc_arena_printf(g->d->a, "%s余额未超过限额", names[c]));
	}
}

/* Closing balance = last year's closing + issued − principal repaid. */
static void check_roll(debt *g)
{
	int bal = row_of("debt_balance", 1), iss = row_of("debt_issue", 1),
	    pri = row_of("debt_principal_paid", 1);
	const fisc_fsum *close = &g->cell[bal][NBOOKCOL];
	if (!close->has_amount)
		return;
	fisc_fsum open;
	memset(&open, 0, sizeof open);
	static const int phases[] = {FISC_PHASE_FINAL, FISC_PHASE_EXECUTION};
	for (size_t p = 0; p < 2 && !open.has_amount; p++)
		for (int c = 0; c < NBOOKCOL; c++) {
			fisc_fsel s = base_sel(g);
			s.year = g->year - 1;
			s.phase = phases[p];
			s.book = col_book[c];
			s.kind = FISC_FACT_BASE;
			s.under = "debt_balance";
			fisc_fsum x = fisc_fset_sum(g->fs, &s);
			fisc_fsum_add(&open, &x);
		}
	if (!open.has_amount) {
		fisc_doc_gap(g->d, "数据中没有%d年末政府债务余额，未核对“年末余额＝上年末余额＋本年发行－本年还本”。",
			      g->year - 1);
		return;
	}
	const fisc_fsum *in = &g->cell[iss][NBOOKCOL], *out = &g->cell[pri][NBOOKCOL];
	if (!in->n || !out->n) {
		fisc_doc_note(g->d, "数据中缺少本年债券发行额或还本额，未核对年末余额的结转关系。");
		return;
	}
	fisc_fen want = open.fen + in->fen - out->fen;
	if (fisc_rt_consistent(close->fen, close->ulp, want, open.ulp + in->ulp + out->ulp))
		ok(g, "年末余额＝上年末余额＋本年发行－本年还本");
	else
		fisc_doc_note(g->d, "上年末余额%s加本年发行%s减本年还本%s为%s，与年末余额%s不符。",
			      amt(g, open.fen, open.wulp), amt(g, in->fen, in->wulp),
			      amt(g, out->fen, out->wulp), amt(g, want, close->wulp),
			      amt(g, close->fen, close->wulp));
}

/* Issuance against 债务收入 + 债务转贷收入, repayment against 债务还本支出, in
** the balance tables of the two books that carry debt. */
static void check_balances(debt *g)
{
	int iss = row_of("debt_issue", 1), pri = row_of("debt_principal_paid", 1);
	static const int books[2] = {FISC_BOOK_GPB, FISC_BOOK_GFB};
	static const int cols[2] = {C_GPB, C_GFB};
	fisc_fen in = 0, in_ulp = 0, wulp = 0;
	int nbal = 0;
	for (int k = 0; k < 2; k++) {
		fisc_selection sel = {g->fs->region.code, g->year, books[k], g->scope, g->phase};
		fisc_balance *b;
		if (fisc_balance_build(g->fs->st, &sel, g->d->a, &b) != FISC_OK)
			continue;
		nbal++;
		const char *lines[2] = {"debt_in", "debt_onlend_in"};
		for (int j = 0; j < 2; j++) {
			const fisc_balance_row *r = fisc_rt_row(b, lines[j]);
			if (r && r->has_amount) {
				in += r->fen;
				in_ulp += r->ulp;
				if (!wulp || r->wulp < wulp)
					wulp = r->wulp;
			}
		}
		const fisc_fsum *p = &g->cell[pri][cols[k]];
		if (p->has_amount && !p->stated) {
			const fisc_balance_row *r = fisc_rt_row(b, "debt_repay");
			if (!r || !r->has_amount)
				fisc_doc_note(g->d, "%s还本%s，但%s收支平衡表中没有债务还本支出。",
					      col_name[cols[k]], amt(g, p->fen, p->wulp),
					      fisc_book_name(books[k]));
			else if (!fisc_rt_consistent(r->fen, r->ulp, p->fen, p->ulp))
				fisc_doc_note(g->d, "%s还本%s，与%s收支平衡表中的债务还本支出%s不一致。",
					      col_name[cols[k]], amt(g, p->fen, p->wulp),
					      fisc_book_name(books[k]), amt(g, r->fen, r->wulp));
			else
				ok(g, fisc_arena_printf(g->d->a, "%s还本与%s债务还本支出", col_name[cols[k]],
							fisc_book_name(books[k])));
		}
	}
	const fisc_fsum *is = &g->cell[iss][NBOOKCOL];
	if (!nbal || !is->has_amount)
		return;
	if (fisc_rt_consistent(is->fen, is->ulp, in, in_ulp))
		ok(g, fisc_arena_printf(g->d->a, "债券发行%s与收支平衡表中的债务收入和债务转贷收入%s",
					amt(g, is->fen, is->wulp), amt(g, in, wulp)));
	else
		fisc_doc_note(g->d, "债券发行%s与一般公共预算、政府性基金预算收支平衡表中的债务收入和债务转贷收入合计%s不一致。",
			      amt(g, is->fen, is->wulp), amt(g, in, wulp));
}

/* "X，其中一般债务A，专项债务B" for one row. */
static const char *split_text(debt *g, int row, const char *gpb_word, const char *gfb_word)
{
	const fisc_fsum *c = g->cell[row];
	const char *s = amt(g, c[NBOOKCOL].fen, c[NBOOKCOL].wulp);
	if (c[C_GPB].has_amount && c[C_GFB].has_amount)
		s = fisc_arena_printf(g->d->a, "%s，其中%s%s，%s%s", s, gpb_word,
				      amt(g, c[C_GPB].fen, c[C_GPB].wulp), gfb_word,
				      amt(g, c[C_GFB].fen, c[C_GFB].wulp));
	return s ? s : "";
}

static void prose(debt *g)
{
	fisc_doc *d = g->d;
	int lim = row_of("debt_limit", 1), bal = row_of("debt_balance", 1),
	    iss = row_of("debt_issue", 1), nw = row_of("debt_issue_new", 1),
	    rf = row_of("debt_issue_refi", 1), un = row_of("debt_issue", 0),
	    sv = row_of("debt_service", 1), pr = row_of("debt_principal_paid", 1),
	    it = row_of("debt_interest_paid", 1), base = row_of("debt_ratio_base", 1);
	fisc_fsum(*c)[NBOOKCOL + 1] = g->cell;
	if (c[lim][NBOOKCOL].has_amount || c[bal][NBOOKCOL].has_amount) {
		const char *s = "";
		if (c[lim][NBOOKCOL].has_amount)
			s = fisc_arena_printf(d->a, "%d年，%s政府债务限额%s。", g->year, g->scope_label,
					      split_text(g, lim, "一般债务限额", "专项债务限额"));
		if (c[bal][NBOOKCOL].has_amount) {
			int within = !c[lim][NBOOKCOL].has_amount ||
				     c[bal][NBOOKCOL].fen <= c[lim][NBOOKCOL].fen;
			s = fisc_arena_printf(d->a, "%s年末政府债务余额%s%s。", s,
					      split_text(g, bal, "一般债务余额", "专项债务余额"),
					      !c[lim][NBOOKCOL].has_amount ? ""
					      : within ? "，在核定的限额之内"
						       : "，超过核定的限额");
		}
		fisc_doc_para(d, "%s", s);
	}
	if (c[iss][NBOOKCOL].has_amount) {
		const char *s = fisc_arena_printf(d->a, "全年发行地方政府债券%s",
						  amt(g, c[iss][NBOOKCOL].fen, c[iss][NBOOKCOL].wulp));
		int listed = 0;
		if (c[nw][NBOOKCOL].has_amount)
			s = fisc_arena_printf(d->a, "%s%s新增债券%s", s, listed++ ? "，" : "，其中",
					      amt(g, c[nw][NBOOKCOL].fen, c[nw][NBOOKCOL].wulp));
		if (c[rf][NBOOKCOL].has_amount)
			s = fisc_arena_printf(d->a, "%s%s再融资债券%s", s, listed++ ? "，" : "，其中",
					      amt(g, c[rf][NBOOKCOL].fen, c[rf][NBOOKCOL].wulp));
		/* the remainder matters only beside a split */
		if (c[un][NBOOKCOL].has_amount && listed)
			s = fisc_arena_printf(d->a, "%s，未区分新增和再融资的%s", s,
					      amt(g, c[un][NBOOKCOL].fen, c[un][NBOOKCOL].wulp));
		if (c[iss][C_GPB].has_amount && c[iss][C_GFB].has_amount)
			s = fisc_arena_printf(d->a, "%s；按债务类型分，一般债券%s，专项债券%s", s,
					      amt(g, c[iss][C_GPB].fen, c[iss][C_GPB].wulp),
					      amt(g, c[iss][C_GFB].fen, c[iss][C_GFB].wulp));
		fisc_doc_para(d, "%s。", s);
	}
	if (c[sv][NBOOKCOL].has_amount) {
		const char *s = fisc_arena_printf(d->a, "政府债务还本付息%s",
						  amt(g, c[sv][NBOOKCOL].fen, c[sv][NBOOKCOL].wulp));
		if (c[pr][NBOOKCOL].has_amount || c[it][NBOOKCOL].has_amount)
			s = fisc_arena_printf(d->a, "%s，其中还本%s，付息%s", s,
					      c[pr][NBOOKCOL].has_amount
						      ? amt(g, c[pr][NBOOKCOL].fen, c[pr][NBOOKCOL].wulp)
						      : "（无数据）",
					      c[it][NBOOKCOL].has_amount
						      ? amt(g, c[it][NBOOKCOL].fen, c[it][NBOOKCOL].wulp)
						      : "（无数据）");
		fisc_doc_para(d, "%s。", s);
	}
	if (c[base][NBOOKCOL].has_amount && c[bal][NBOOKCOL].has_amount && c[base][NBOOKCOL].fen)
		fisc_doc_para(d, "政府债务率（政府债务余额÷综合财力）为%s（%s÷%s）。",
			      fisc_rt_pct(d->a, c[bal][NBOOKCOL].fen, c[base][NBOOKCOL].fen, 1),
			      amt(g, c[bal][NBOOKCOL].fen, c[bal][NBOOKCOL].wulp),
			      amt(g, c[base][NBOOKCOL].fen, c[base][NBOOKCOL].wulp));
}

/* 余额 against 限额 per kind of debt and in total: the figures of the
** table's first two rows, side by side. */
static void chart(debt *g, int dec, int show_all)
{
	const fisc_fsum *lim = g->cell[row_of("debt_limit", 1)], *bal = g->cell[row_of("debt_balance", 1)];
	if (!lim[NBOOKCOL].has_amount || !bal[NBOOKCOL].has_amount)
		return;
	fisc_chart *c = fisc_doc_chart(g->d, FISC_CHART_COLUMNS,
				       fisc_arena_printf(g->d->a, "%d年%s政府债务余额与限额", g->year,
							 g->scope_label),
				       g->unit, dec);
	fisc_chart_series(g->d, c, "政府债务限额");
	fisc_chart_series(g->d, c, "政府债务余额");
	for (int j = 0; j <= NBOOKCOL; j++) {
		if ((j == C_ALL && !show_all) || (!lim[j].has_amount && !bal[j].has_amount))
			continue;
		int k = fisc_chart_category(g->d, c, j == NBOOKCOL ? "合计" : col_name[j]);
		if (lim[j].has_amount)
			fisc_chart_value(c, 0, k, lim[j].fen);
		if (bal[j].has_amount)
			fisc_chart_value(c, 1, k, bal[j].fen);
	}
}

static void table(debt *g)
{
	fisc_doc *d = g->d;
	int show_all = 0;
	for (int r = 0; r < NROWS; r++)
		show_all |= g->cell[r][C_ALL].n > 0;
	size_t ncols = show_all ? 5 : 4;
	fisc_table *t = fisc_doc_table(d, fisc_arena_printf(d->a, "%d年%s政府债务情况", g->year,
							    g->scope_label),
				       ncols);
	fisc_table_unit(d, t, g->unit);
	fisc_cell *h = fisc_table_head(d, t);
	fisc_cell_text(d, &h[0], "项 目");
	size_t k = 1;
	for (int c = 0; c < NBOOKCOL; c++)
		if (c != C_ALL || show_all)
			fisc_cell_text(d, &h[k++], "%s", col_name[c]);
	fisc_cell_text(d, &h[k], "合 计");
	/* One number of decimals for the whole table, the finest any figure
	** was written with, as published tables print them. */
	fisc_fen w = 0;
	for (int r = 0; r < NROWS; r++)
		for (int j = 0; j <= NBOOKCOL; j++)
			if (g->cell[r][j].has_amount && (!w || g->cell[r][j].wulp < w))
				w = g->cell[r][j].wulp;
	int dec = dec_of(g, w);
	for (int r = 0; r < NROWS; r++) {
		const drow *dr = &drows[r];
		fisc_fsum *c = g->cell[r];
		if (!c[NBOOKCOL].n)
			continue;
		/* An unsplit remainder row only matters beside a split. */
		if (!dr->subtree) {
			int parent = row_of(dr->line, 1), split = 0;
			for (int j = parent + 1; j < r; j++)
				split |= g->cell[j][NBOOKCOL].n > 0;
			if (!split)
				continue;
		}
		fisc_cell *row = fisc_table_row(d, t);
		fisc_cell_text(d, &row[0], "%s", dr->label);
		row[0].level = dr->level;
		row[0].strong = dr->level == 0;
		k = 1;
		for (int j = 0; j < NBOOKCOL; j++) {
			if (j == C_ALL && !show_all)
				continue;
			if (c[j].has_amount)
				fisc_cell_amount(d, &row[k], c[j].fen, g->unit, dec);
			k++;
		}
		if (c[NBOOKCOL].has_amount)
			fisc_cell_amount(d, &row[k], c[NBOOKCOL].fen, g->unit, dec);
	}
	if (show_all)
		fisc_table_note(d, t, "“未区分类型”为资料未分一般债务和专项债务列示的数额；合计栏均按各栏计算。");
	else
		fisc_table_note(d, t, "合计栏按一般债务和专项债务计算。");
	chart(g, dec, show_all);
}

int fisc_debt_section(fisc_doc *d, fisc_fset *fs, int year, int level, const char *number)
{
	debt g;
	memset(&g, 0, sizeof g);
	g.d = d;
	g.fs = fs;
	g.year = year;
	if (!choose(&g))
		return 0;
	g.scope_label = fisc_region_scope_label(&fs->region, g.scope);
	/* Print in the report's unit when the caller chose one; else in the
	** unit most debt figures were written in (published reports give the
	** debt section in 亿元 beside budget tables in 万元), prose and table
	** alike, with at most the decimals those figures were written with. */
	int votes[3] = {0, 0, 0}, maxdec[3] = {0, 0, 0};
	for (size_t i = 0; i < fs->n; i++) {
		const fisc_fact *f = &fs->v[i];
		int u = f->amount.unit;
		if (f->year == year && f->phase == g.phase && f->scope == g.scope && !*f->dept &&
		    f->has_amount && u >= 0 && u <= 2 && is_debt_item(fs, f->item)) {
			votes[u]++;
			if (f->amount.decimals > maxdec[u])
				maxdec[u] = f->amount.decimals;
		}
	}
	g.unit = FISC_UNIT_WAN;
	for (int u = 0; u < 3; u++)
		if (votes[u] > votes[g.unit])
			g.unit = u;
	g.maxdec = maxdec[g.unit];
	if (fs->unit_given || !votes[g.unit]) {
		g.unit = fs->unit;
		g.maxdec = fs->maxdec;
	}
	for (int r = 0; r < NROWS; r++) {
		for (int c = 0; c < NBOOKCOL; c++) {
			g.cell[r][c] = cell_of(&g, &drows[r], col_book[c]);
			fisc_fsum_add(&g.cell[r][NBOOKCOL], &g.cell[r][c]);
		}
		/* Only a figure stated for both books together exists: show it as the
		** total, since there are no parts to compute one from. */
		if (!g.cell[r][NBOOKCOL].n && drows[r].subtree) {
			fisc_fsel s = base_sel(&g);
			s.book = FISC_BOOK_ALL;
			s.item = drows[r].line;
			g.cell[r][NBOOKCOL] = fisc_fset_figure(fs, s);
		}
	}
	fisc_doc_heading(d, level, "%s地方政府债务情况", number ? number : "");
	if (g.phase != FISC_PHASE_EXECUTION)
		fisc_doc_para(d, "以下为%d年%s数。", year, fisc_phase_name(g.phase));
	prose(&g);
	table(&g);
	for (int r = 0; r < NROWS; r++)
		for (int c = 0; c < NBOOKCOL; c++)
			check_stated(&g, r, c);
	if (g.cell[row_of("debt_balance", 1)][NBOOKCOL].has_amount &&
	    !g.cell[row_of("debt_ratio_base", 1)][NBOOKCOL].has_amount)
		fisc_doc_gap(d, "数据中没有%s，无法计算政府债务率。", drows[row_of("debt_ratio_base", 1)].label);
	check_limit(&g);
	check_roll(&g);
	check_balances(&g);
	if (g.nok) {
		const char *s = g.oks[0];
		for (size_t i = 1; i < g.nok; i++)
			s = fisc_arena_printf(d->a, "%s；%s", s, g.oks[i]);
		fisc_doc_note(d, "已核对一致：%s。", s);
	}
	return 1;
}

/* One row's cells as the section computes them: per book column, then the
** total (the columns' sum, or a figure stated for both books together). */
static void row_cells(debt *g, int r, fisc_fsum *cells)
{
	memset(cells, 0, (NBOOKCOL + 1) * sizeof *cells);
	for (int c = 0; c < NBOOKCOL; c++) {
		cells[c] = cell_of(g, &drows[r], col_book[c]);
		fisc_fsum_add(&cells[NBOOKCOL], &cells[c]);
	}
	if (!cells[NBOOKCOL].n && drows[r].subtree) {
		fisc_fsel s = base_sel(g);
		s.book = FISC_BOOK_ALL;
		s.item = drows[r].line;
		cells[NBOOKCOL] = fisc_fset_figure(g->fs, s);
	}
}

int fisc_rt_debt_limits(fisc_fset *fs, int year, fisc_fsum limit[4], fisc_fsum balance[4],
			int *phase)
{
	debt g;
	memset(&g, 0, sizeof g);
	g.fs = fs;
	g.year = year;
	if (!choose(&g))
		return 0;
	*phase = g.phase;
	row_cells(&g, row_of("debt_limit", 1), limit);
	row_cells(&g, row_of("debt_balance", 1), balance);
	return 1;
}

int fisc_report_debt(fisc_store *st, const fisc_report_params *p, fisc_arena *a,
		     fisc_doc **out)
{
	fisc_fset fs;
	int rc = fisc_fset_region(st, a, p->region, p->year, p->year - 1, p->year, &fs);
	if (rc == FISC_OK && p->unit)
		rc = fisc_fset_unit(&fs, p->unit);
	if (rc != FISC_OK) {
		fisc_fset_free(&fs);
		return rc;
	}
	fisc_doc *d = fisc_doc_new(a, "debt",
				   fisc_arena_printf(a, "%s%d年政府债务情况", fs.region.name, p->year));
	if (!d) {
		fisc_fset_free(&fs);
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	fisc_doc_subtitle(d, "根据录入数据计算生成；各项合计均由分项计算");
	if (!fisc_debt_section(d, &fs, p->year, 1, "一、")) {
		fisc_fset_free(&fs);
		return fisc_error_set(FISC_ENOTFOUND, "没有数据：%s %d年政府债务 / no debt facts for %s %d",
				      fs.region.name, p->year, fs.region.name, p->year);
	}
	rc = fisc_glossary_append(d, 1, "二、名词解释");
	fisc_fset_free(&fs);
	if (rc == FISC_OK)
		rc = fisc_doc_status(d);
	if (rc == FISC_OK)
		*out = d;
	return rc;
}
