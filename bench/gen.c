/*
** gen.c — the benchmark's synthetic data, deterministic for a given seed.
**
**   gen [--seed N] [--vouchers N] [--counties N] [--townships N]
**       [--datadir DIR] [--out DIR] [--what vouchers|national|all]
**
** Writes into --out (default build/bench/data):
**   catalog/                the bundled classification plus the synthetic 款/项
**                           the voucher shape needs where the draft catalogue
**                           has too few (loaded with `fisc catalog import`)
**   vregions.csv            the 20 voucher regions and their parents
**   vouchers.csv            date,region,unit,book,function,economic,fen,number
**   vouchers.ledger         the same vouchers as a ledger/hledger journal
**   vouchers.beancount      … and as a beancount file
**   vouchers.expected       count and exact total in fen, computed here
**   regions.csv, facts.csv  the national dataset: province → city → county →
**                           township, four books, four phases, three scopes,
**                           balanced by construction (see national())
**
** Voucher shape (issue 6): 2,000 units in 20 regions, 400 功能分类 项 codes
** (20 类 × 4 款 × 5 项, real codes where the catalogue has them), 60 经济分类
** codes, amounts log-uniform from 10 to 1,000,000 元, books 80/15/5 %, one
** year. Amounts are integers from the first to the last step: the
** log-uniform draw uses a table of integer powers of 10^(1/1000) in 2.62
** fixed point, so no floating point touches money anywhere.
*/
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define YEAR 2024

/* ---- deterministic PRNG (xoshiro256**, seeded by splitmix64) ---- */

static uint64_t rs[4];

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void seed(uint64_t s)
{
	for (int i = 0; i < 4; i++)
		rs[i] = splitmix(&s);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t next(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

/* Uniform in [0, n) without modulo bias worth caring about (n << 2^64). */
static uint64_t below(uint64_t n) { return (uint64_t)(((unsigned __int128)next() * n) >> 64); }

/* Uniform in [lo, hi]. */
static int64_t between(int64_t lo, int64_t hi) { return lo + (int64_t)below((uint64_t)(hi - lo + 1)); }

/* ---- log-uniform amounts in integer fen ---- */

enum { STEPS = 1000, DECADES = 5 };
static int64_t powtab[DECADES * STEPS + 1]; /* 1000 fen × 10^(k/1000) */

static void init_powtab(void)
{
	/* 10^(1/1000) in 2.62 fixed point: 1.00230523807789967 × 2^62. */
	const unsigned __int128 r = (unsigned __int128)4622317052640384246ULL;
	const unsigned __int128 one = (unsigned __int128)1 << 62;
	unsigned __int128 m = one;
	int64_t scale = 1000; /* 10 元 in fen */
	for (int d = 0; d < DECADES; d++, scale *= 10) {
		m = one;
		for (int j = 0; j < STEPS; j++) {
			powtab[d * STEPS + j] = (int64_t)((m * (unsigned __int128)scale + one / 2) >> 62);
			m = (m * r) >> 62;
		}
	}
	powtab[DECADES * STEPS] = scale; /* exactly 1,000,000 元 */
}

/* Log-uniform in [10 元, 1,000,000 元], whole fen. */
static int64_t amount(void)
{
	uint64_t k = below(DECADES * STEPS);
	return between(powtab[k], powtab[k + 1]);
}

/* ---- the catalogue ---- */

typedef struct entry {
	char code[16];
	char name[256];
	int level;
	char parent[16];
} entry;

typedef struct table {
	entry *v;
	size_t n, cap;
} table;

static void die(const char *what)
{
	fprintf(stderr, "gen: %s: %s\n", what, errno ? strerror(errno) : "failed");
	exit(1);
}

static void push(table *t, const entry *e)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = realloc(t->v, t->cap * sizeof *t->v);
		if (!t->v)
			die("out of memory");
	}
	t->v[t->n++] = *e;
}

/* code,name,level,parent_code (the bundled files never quote). */
static void load(table *t, const char *dir, const char *file)
{
	char path[4096], line[1024];
	snprintf(path, sizeof path, "%s/classification/%s", dir, file);
	FILE *f = fopen(path, "r");
	if (!f)
		die(path);
	int first = 1;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (first || !*line) {
			first = 0;
			continue;
		}
		entry e = {0};
		char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL,
		     *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
		if (!c3)
			continue;
		*c1 = *c2 = *c3 = 0;
		snprintf(e.code, sizeof e.code, "%.15s", line);
		snprintf(e.name, sizeof e.name, "%.255s", c1 + 1);
		e.level = atoi(c2 + 1);
		snprintf(e.parent, sizeof e.parent, "%.15s", c3 + 1);
		push(t, &e);
	}
	fclose(f);
}

static const entry *find(const table *t, const char *code)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].code, code))
			return &t->v[i];
	return NULL;
}

static size_t children(const table *t, const char *parent, const entry **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].parent, parent)) {
			if (out && n < max)
				out[n] = &t->v[i];
			n++;
		}
	return n;
}

static table func, econ_dept, econ_gov, revenue;
static table synth; /* entries added to expenditure_function.csv */

enum { NCLASS = 20, NKUAN = 4, NITEM = 5, NFUNC = NCLASS * NKUAN * NITEM, NECON = 60 };
static int32_t func_codes[NFUNC];
static int32_t class_codes[NCLASS];
static int32_t econ_codes[NECON];
static char func_str[NFUNC][16], econ_str[NECON][16];

/* Number of 项 under a 款, capped at NITEM: how well the catalogue fills it. */
static size_t kuan_items(const char *kuan)
{
	size_t n = 0;
	for (size_t i = 0; i < func.n; i++)
		if (!strcmp(func.v[i].parent, kuan) && strlen(func.v[i].code) == 7)
			n++;
	return n;
}

static size_t class_score(const char *cls)
{
	const entry *k[64];
	size_t nk = children(&func, cls, k, 64), score = 0;
	for (size_t i = 0; i < nk && i < 64; i++) {
		size_t n = kuan_items(k[i]->code);
		score += (n > NITEM ? NITEM : n) * 100 + n;
	}
	return score;
}

static void add_synth(const char *code, const char *name, int level, const char *parent)
{
	entry e = {0};
	snprintf(e.code, sizeof e.code, "%s", code);
	snprintf(e.name, sizeof e.name, "%s", name);
	e.level = level;
	snprintf(e.parent, sizeof e.parent, "%s", parent);
	push(&synth, &e);
	push(&func, &e);
}

/* Pick the 20 × 4 × 5 function codes and the 60 economic codes. */
static size_t choose_codes(void)
{
	/* Classes: own expenditure only (no 230 transfers, 231/232 debt),
	** the best-filled first. */
	const entry *cls[64];
	size_t ncls = 0;
	for (size_t i = 0; i < func.n && ncls < 64; i++)
		if (func.v[i].level == 1 && strcmp(func.v[i].code, "230") &&
		    strcmp(func.v[i].code, "231") && strcmp(func.v[i].code, "232"))
			cls[ncls++] = &func.v[i];
	size_t score[64];
	for (size_t i = 0; i < ncls; i++)
		score[i] = class_score(cls[i]->code);
	for (size_t i = 0; i < ncls; i++) /* stable selection sort, best first */
		for (size_t j = i + 1; j < ncls; j++)
			if (score[j] > score[i]) {
				const entry *t = cls[i];
				cls[i] = cls[j], cls[j] = t;
				size_t s = score[i];
				score[i] = score[j], score[j] = s;
			}
	if (ncls < NCLASS)
		die("the catalogue has fewer than 20 expenditure classes");
	/* Back to code order, so the output reads like the catalogue. */
	for (size_t i = 0; i < NCLASS; i++)
		for (size_t j = i + 1; j < NCLASS; j++)
			if (strcmp(cls[j]->code, cls[i]->code) < 0) {
				const entry *t = cls[i];
				cls[i] = cls[j], cls[j] = t;
			}
	size_t made = 0, nf = 0;
	for (size_t c = 0; c < NCLASS; c++) {
		char ccode[16];
		snprintf(ccode, sizeof ccode, "%.15s", cls[c]->code);
		class_codes[c] = atoi(ccode);
		const entry *k[64];
		size_t nk = children(&func, ccode, k, 64);
		if (nk > 64)
			nk = 64;
		/* The best-filled 款 first. */
		for (size_t i = 0; i < nk; i++)
			for (size_t j = i + 1; j < nk; j++)
				if (kuan_items(k[j]->code) > kuan_items(k[i]->code)) {
					const entry *t = k[i];
					k[i] = k[j], k[j] = t;
				}
		char kuans[NKUAN][24];
		for (size_t i = 0; i < NKUAN; i++) {
			if (i < nk) {
				snprintf(kuans[i], sizeof kuans[i], "%s", k[i]->code);
				continue;
			}
			/* Too few 款: a synthetic one, numbered from 80 up. */
			for (int n = 80; n < 100; n++) {
				snprintf(kuans[i], sizeof kuans[i], "%.15s%02d", ccode, n);
				if (!find(&func, kuans[i]))
					break;
			}
			char name[160];
			snprintf(name, sizeof name, "合成款%s（基准测试数据）", kuans[i]);
			add_synth(kuans[i], name, 2, ccode);
			made++;
		}
		for (size_t i = 0; i < NKUAN; i++) {
			const entry *it[128];
			size_t ni = 0;
			for (size_t x = 0; x < func.n && ni < 128; x++)
				if (!strcmp(func.v[x].parent, kuans[i]) && strlen(func.v[x].code) == 7)
					it[ni++] = &func.v[x];
			for (size_t j = 0; j < NITEM; j++) {
				char code[16];
				if (j < ni) {
					snprintf(code, sizeof code, "%s", it[j]->code);
				} else {
					for (int n = 80; n < 100; n++) {
						snprintf(code, sizeof code, "%.13s%02d", kuans[i], n);
						if (!find(&func, code))
							break;
					}
					char name[160];
					snprintf(name, sizeof name, "合成项%s（基准测试数据）", code);
					add_synth(code, name, 3, kuans[i]);
					made++;
				}
				func_codes[nf] = atoi(code);
				snprintf(func_str[nf], sizeof func_str[nf], "%s", code);
				nf++;
			}
		}
	}
	/* Economic: the departmental 款 (3xxxx) first, then the government ones. */
	size_t ne = 0;
	for (int pass = 0; pass < 2 && ne < NECON; pass++) {
		const table *t = pass ? &econ_gov : &econ_dept;
		for (size_t i = 0; i < t->n && ne < NECON; i++)
			if (t->v[i].level == 2) {
				econ_codes[ne] = atoi(t->v[i].code);
				snprintf(econ_str[ne], sizeof econ_str[ne], "%s", t->v[i].code);
				ne++;
			}
	}
	if (ne < NECON)
		die("the catalogue has fewer than 60 economic codes");
	return made;
}

static FILE *create(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		die(path);
	static char bufs[8][1 << 16];
	static int nb;
	setvbuf(f, bufs[nb++ % 8], _IOFBF, sizeof bufs[0]);
	return f;
}

static void done(FILE *f, const char *what)
{
	if (ferror(f) || fclose(f))
		die(what);
}

static void write_catalog(const char *out, const char *datadir)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/catalog", out);
	mkdir(dir, 0777);
	static const char *const files[] = {"revenue.csv", "expenditure_economic_government.csv",
					    "expenditure_economic_department.csv"};
	const table *tabs[] = {&revenue, &econ_gov, &econ_dept};
	for (int i = 0; i < 3; i++) {
		FILE *f = create(dir, files[i]);
		fprintf(f, "code,name,level,parent_code\n");
		for (size_t j = 0; j < tabs[i]->n; j++)
			fprintf(f, "%s,%s,%d,%s\n", tabs[i]->v[j].code, tabs[i]->v[j].name,
				tabs[i]->v[j].level, tabs[i]->v[j].parent);
		done(f, files[i]);
	}
	FILE *f = create(dir, "expenditure_function.csv");
	fprintf(f, "code,name,level,parent_code\n");
	for (size_t j = 0; j < func.n; j++) /* bundled, then the synthetic ones */
		fprintf(f, "%s,%s,%d,%s\n", func.v[j].code, func.v[j].name, func.v[j].level,
			func.v[j].parent);
	done(f, "expenditure_function.csv");
	(void)datadir;
}

/* ---- regions ---- */

static const int provinces[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41,
				42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65};
enum { NPROV = sizeof provinces / sizeof *provinces, NCITY = 333 };

typedef struct region {
	int code;   /* 6 digits */
	int parent; /* index, -1 for a province */
	int level;  /* 1 province, 2 city, 3 county */
	int first_child, nchildren;
} region;

static region *regs;
static int nregs;

/* Provinces, then cities, then counties, children contiguous. */
static void build_regions(int counties)
{
	regs = calloc((size_t)(NPROV + NCITY + counties), sizeof *regs);
	if (!regs)
		die("out of memory");
	for (int p = 0; p < NPROV; p++)
		regs[nregs++] = (region){provinces[p] * 10000, -1, 1, 0, 0};
	int city0 = nregs;
	for (int c = 0; c < NCITY; c++) {
		int p = c * NPROV / NCITY;
		int k = c - (p * NCITY + NPROV - 1) / NPROV + 1; /* 1-based within province */
		if (k < 1)
			k = 1;
		if (!regs[p].nchildren)
			regs[p].first_child = nregs;
		regs[p].nchildren++;
		regs[nregs++] = (region){provinces[p] * 10000 + k * 100, p, 2, 0, 0};
	}
	for (int x = 0; x < counties; x++) {
		int c = city0 + x * NCITY / counties;
		int k = ++regs[c].nchildren;
		if (k == 1)
			regs[c].first_child = nregs;
		regs[nregs++] = (region){regs[c].code + k, c, 3, 0, 0};
	}
}

static const char *level_name(int level)
{
	return level == 1 ? "省" : level == 2 ? "市" : "县";
}

static void region_row(FILE *f, const region *r)
{
	/* Names that read well in a report title: 11省, 1101市, 110101县. */
	int digits = r->level == 1 ? 2 : r->level == 2 ? 4 : 6;
	int num = r->level == 1 ? r->code / 10000 : r->level == 2 ? r->code / 100 : r->code;
	fprintf(f, "%06d,%0*d%s,", r->code, digits, num, level_name(r->level));
	if (r->parent >= 0)
		fprintf(f, "%06d", regs[r->parent].code);
	fprintf(f, ",%s\n", level_name(r->level));
}

/* ---- vouchers ---- */

enum { NVREG = 20, NUNIT = 2000 };

static int64_t (*vsum)[20]; /* voucher GPB sums by voucher county × class */

/* The voucher stream; with write == 0 only the sums the national dataset
** needs are taken (same seed, same stream). */
static void vouchers(const char *out, long n, int write)
{
	/* The voucher regions are the first 20 counties. */
	int vreg[NVREG], nv = 0;
	for (int i = 0; i < nregs && nv < NVREG; i++)
		if (regs[i].level == 3)
			vreg[nv++] = i;
	if (nv < NVREG)
		die("fewer than 20 counties");
	FILE *f = write ? create(out, "vregions.csv") : NULL;
	if (f)
		fprintf(f, "code,name,parent,level\n");
	for (int i = 0; f && i < nregs; i++) {
		int used = 0;
		for (int j = 0; j < NVREG; j++)
			for (int k = vreg[j]; k >= 0; k = regs[k].parent)
				used |= k == i;
		if (used)
			region_row(f, &regs[i]);
	}
	if (f)
		done(f, "vregions.csv");

	static const int mdays[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int dates[366], nd = 0;
	for (int m = 1; m <= 12; m++)
		for (int d = 1; d <= mdays[m]; d++)
			dates[nd++] = YEAR * 10000 + m * 100 + d;

	FILE *csv = write ? create(out, "vouchers.csv") : NULL;
	FILE *led = write ? create(out, "vouchers.ledger") : NULL;
	FILE *bean = write ? create(out, "vouchers.beancount") : NULL;
	if (!write)
		goto draw;
	fprintf(csv, "date,region,unit,book,function,economic,fen,number\n");
	static const char *const books[3] = {"gpb", "gfb", "soe"};
	static const char *const bean_books[3] = {"Gpb", "Gfb", "Soe"};
	/* Every account a voucher can touch is opened before the first one. */
	fprintf(bean, "option \"operating_currency\" \"CNY\"\n");
	for (int j = 0; j < NFUNC; j++)
		fprintf(bean, "%d-01-01 open Expenses:F%.3s:F%.5s:F%s CNY\n", YEAR, func_str[j],
			func_str[j], func_str[j]);
	for (int j = 0; j < NVREG; j++)
		for (int b = 0; b < 3; b++)
			fprintf(bean, "%d-01-01 open Assets:Treasury:R%06d:%s CNY\n", YEAR,
				regs[vreg[j]].code, bean_books[b]);
	fprintf(led, "; fisc benchmark vouchers, %ld transactions\n", n);
draw:;
	int64_t total = 0, by_rb[NVREG][3] = {{0}};
	for (long i = 0; i < n; i++) {
		int date = dates[below((uint64_t)nd)];
		int unit = (int)below(NUNIT);
		int reg = regs[vreg[unit % NVREG]].code;
		uint64_t b100 = below(100);
		int book = b100 < 80 ? 0 : b100 < 95 ? 1 : 2;
		int fi = (int)below(NFUNC), ei = (int)below(NECON);
		int64_t fen = amount();
		total += fen;
		by_rb[unit % NVREG][book] += fen;
		if (book == 0) /* func_codes are in class order, 20 per class */
			vsum[unit % NVREG][fi / (NKUAN * NITEM)] += fen;
		if (!write)
			continue;
		int y = date / 10000, m = date / 100 % 100, d = date % 100;
		int ucode = 100001 + unit;
		fprintf(csv, "%04d-%02d-%02d,%06d,%d,%s,%s,%s,%" PRId64 ",ZF%08ld\n", y, m, d, reg,
			ucode, books[book], func_str[fi], econ_str[ei], fen, i + 1);
		fprintf(led,
			"%04d/%02d/%02d * %d\n    Expenses:%.3s:%.5s:%s:%s  %" PRId64 ".%02" PRId64
			" CNY\n    Assets:Treasury:%06d:%s\n\n",
			y, m, d, ucode, func_str[fi], func_str[fi], func_str[fi], econ_str[ei], fen / 100,
			fen % 100, reg, books[book]);
		fprintf(bean,
			"%04d-%02d-%02d * \"%d\"\n  Expenses:F%.3s:F%.5s:F%s  %" PRId64 ".%02" PRId64
			" CNY\n  Assets:Treasury:R%06d:%s\n\n",
			y, m, d, ucode, func_str[fi], func_str[fi], func_str[fi], fen / 100, fen % 100,
			reg, bean_books[book]);
	}
	if (!write)
		return;
	/* Balance assertions on every treasury account: ledger, hledger and
	** bean-check verify the totals while they check the journal, so the
	** harness learns that each peer read the same amounts without a second
	** run. The credits make each balance negative. */
	fprintf(led, "%d/12/31 * closing check\n", YEAR);
	for (int j = 0; j < NVREG; j++)
		for (int b = 0; b < 3; b++)
			fprintf(led, "    Assets:Treasury:%06d:%s  0 CNY = %s%" PRId64 ".%02" PRId64 " CNY\n",
				regs[vreg[j]].code, books[b], by_rb[j][b] ? "-" : "", by_rb[j][b] / 100,
				by_rb[j][b] % 100);
	for (int j = 0; j < NVREG; j++)
		for (int b = 0; b < 3; b++)
			fprintf(bean, "%d-01-01 balance Assets:Treasury:R%06d:%s  %s%" PRId64 ".%02" PRId64
				" CNY\n",
				YEAR + 1, regs[vreg[j]].code, bean_books[b], by_rb[j][b] ? "-" : "",
				by_rb[j][b] / 100, by_rb[j][b] % 100);
	done(csv, "vouchers.csv");
	done(led, "vouchers.ledger");
	done(bean, "vouchers.beancount");
	f = create(out, "vouchers.expected");
	fprintf(f, "count\tfen\n%ld\t%" PRId64 "\n", n, total);
	for (int j = 0; j < NVREG; j++)
		for (int b = 0; b < 3; b++)
			fprintf(f, "%06d\t%s\t%" PRId64 "\n", regs[vreg[j]].code, books[b], by_rb[j][b]);
	done(f, "vouchers.expected");
}

/* ---- the national dataset ---- */

/*
** Each region has, per book, a vector of amounts per item and phase. Items
** are of four sorts: free (drawn), sub (补助下级 = the lower level's upper
** subsidy), remit (下级上解收入 = the lower level's 上解), link (GPB 调入 =
** GFB + SOE 调出) and the balancing item (上级补助收入), set last so that
** 收入总计 = 支出总计. Scopes: 本级 (self) is drawn; 下级 (lower) is the sum of
** the children's 全辖 — for a county, a drawn township aggregate; 全辖 (all)
** is self + lower with the transfers between them left out. Phases: the
** adjusted budget is drawn; 执行 takes expenditure at 90–100 % (never above
** the adjusted budget) and revenue at 100–105 %, 预算 everything at 92–100 %,
** 决算 = 执行. Because the balancing item is revenue, 执行 of every
** expenditure line — including 补助下级, which is the lower level's balancing
** item — stays within its adjusted budget.
*/
enum { FREE, SUB, REMIT_IN, REMIT_OUT, LINK_IN, LINK_OUT, BAL };
enum { IN = 0, OUT = 1 };
enum { GPB, GFB, SOE, SSF, NBOOK };
enum { PH_BUDGET, PH_ADJ, PH_EXEC, PH_FINAL, NPHASE };
enum { MAXITEM = 48 };

typedef struct item {
	char code[12];
	int side, sort;
	int64_t lo, hi; /* draw range in fen for the adjusted budget of a county */
} item;

typedef struct bookdef {
	const char *code;
	item it[MAXITEM];
	int n;
} bookdef;

static bookdef bk[NBOOK];

static void def(int b, const char *code, int side, int sort, int64_t lo_wan, int64_t hi_wan)
{
	item *i = &bk[b].it[bk[b].n++];
	snprintf(i->code, sizeof i->code, "%s", code);
	i->side = side;
	i->sort = sort;
	i->lo = lo_wan * 1000000; /* 万元 → fen */
	i->hi = hi_wan * 1000000;
}

static void define_books(void)
{
	bk[GPB].code = "gpb";
	static const char *const tax[] = {"10101", "10104", "10106", "10109", "10110", "10119"};
	for (int i = 0; i < 6; i++)
		def(GPB, tax[i], IN, FREE, 3000, 40000);
	def(GPB, "10304", IN, FREE, 1000, 8000);
	def(GPB, "10305", IN, FREE, 500, 5000);
	def(GPB, "10307", IN, FREE, 500, 6000);
	def(GPB, "11008", IN, FREE, 1000, 20000);
	def(GPB, "11006", IN, REMIT_IN, 0, 0);
	def(GPB, "11009", IN, LINK_IN, 0, 0);
	def(GPB, "11002", IN, BAL, 0, 0);
	for (int c = 0; c < NCLASS; c++) {
		char code[8];
		snprintf(code, sizeof code, "%d", class_codes[c]);
		def(GPB, code, OUT, FREE, 20000, 200000);
	}
	def(GPB, "23002", OUT, SUB, 0, 0);
	def(GPB, "23006", OUT, REMIT_OUT, 2000, 10000);
	def(GPB, "23009", OUT, FREE, 1000, 15000);

	bk[GFB].code = "gfb";
	def(GFB, "10301", IN, FREE, 10000, 120000);
	def(GFB, "11008", IN, FREE, 1000, 10000);
	def(GFB, "11004", IN, BAL, 0, 0);
	def(GFB, "212", OUT, FREE, 150000, 300000);
	def(GFB, "229", OUT, FREE, 2000, 20000);
	def(GFB, "23004", OUT, SUB, 0, 0);
	def(GFB, "23008", OUT, LINK_OUT, 5000, 30000);
	def(GFB, "23009", OUT, FREE, 1000, 10000);

	bk[SOE].code = "soe";
	def(SOE, "10306", IN, FREE, 100, 600);
	def(SOE, "11005", IN, BAL, 0, 0);
	def(SOE, "223", OUT, FREE, 600, 3000);
	def(SOE, "23005", OUT, SUB, 0, 0);
	def(SOE, "23008", OUT, LINK_OUT, 300, 2000);

	bk[SSF].code = "ssf";
	static const char *const ssf_in[] = {"10201", "10203", "10208", "10211"};
	static const char *const ssf_out[] = {"20901", "20903", "20908", "20911"};
	for (int i = 0; i < 4; i++)
		def(SSF, ssf_in[i], IN, FREE, 5000, 12000);
	def(SSF, "11002", IN, BAL, 0, 0);
	for (int i = 0; i < 4; i++)
		def(SSF, ssf_out[i], OUT, FREE, 15000, 60000);
	def(SSF, "23002", OUT, SUB, 0, 0);
	def(SSF, "23009", OUT, FREE, 2000, 20000);
}

/* One book of one region and scope: amounts per phase and item. */
typedef struct vec {
	int64_t v[NPHASE][MAXITEM];
} vec;

/* Per region: self, lower, all for each book. */
typedef struct rdata {
	vec s[3][NBOOK]; /* [scope-1: 0 all, 1 self, 2 lower][book] */
	int has_lower_book[NBOOK];
} rdata;

static int item_index(int b, int sort)
{
	for (int i = 0; i < bk[b].n; i++)
		if (bk[b].it[i].sort == sort)
			return i;
	return -1;
}

/* floor or ceil of x * num / den, exactly. */
static int64_t scale(int64_t x, int64_t num, int64_t den, int up)
{
	__int128 p = (__int128)x * num;
	int64_t q = (int64_t)(p / den);
	if (up && p % den)
		q++;
	return q;
}

/* Draw the free items of a book's adjusted budget and derive the phases of
** the free items; the linked and balancing ones are set by settle(). `mult`
** scales the county ranges for cities and provinces; `share` (percent)
** shrinks a township aggregate. */
static void draw(vec *v, int b, int mult, int share, int lower)
{
	int64_t g = between(920, 1000), fexp = between(900, 1000), frev = between(1000, 1050);
	for (int i = 0; i < bk[b].n; i++) {
		const item *it = &bk[b].it[i];
		int64_t adj = 0;
		if (it->sort == FREE || it->sort == LINK_OUT || it->sort == REMIT_OUT) {
			adj = between(it->lo, it->hi) * mult * share / 100;
			/* A township aggregate has no 结转 of its own in this model. */
			if (lower && !strcmp(it->code, "23009"))
				adj = 0;
		}
		v->v[PH_ADJ][i] = adj;
		if (it->sort == LINK_OUT || it->sort == REMIT_OUT) {
			/* 调出 and 上解 are set by formula: the same in every phase. */
			v->v[PH_BUDGET][i] = v->v[PH_EXEC][i] = adj;
		} else if (it->sort == FREE) {
			v->v[PH_BUDGET][i] = scale(adj, g, 1000, 0);
			v->v[PH_EXEC][i] = it->side == OUT ? scale(adj, fexp, 1000, 0)
							   : scale(adj, frev, 1000, 1);
		}
	}
}

/* Set the balancing item of every phase; 决算 = 执行. */
static void settle(vec *v, int b)
{
	int bal = item_index(b, BAL);
	for (int p = 0; p < NPHASE; p++) {
		if (p == PH_FINAL) {
			memcpy(v->v[PH_FINAL], v->v[PH_EXEC], sizeof v->v[PH_FINAL]);
			continue;
		}
		int64_t in = 0, out = 0;
		for (int i = 0; i < bk[b].n; i++)
			if (i != bal)
				*(bk[b].it[i].side == IN ? &in : &out) += v->v[p][i];
		v->v[p][bal] = out - in;
		if (out - in < 0) {
			fprintf(stderr, "gen: negative balancing item (book %s)\n", bk[b].code);
			exit(1);
		}
	}
}

static rdata *rd;
static int *vcounty;              /* county region index → row of vsum, or -1 */

/* The three scopes of region r, children first. */
static void compute(int r)
{
	region *R = &regs[r];
	rdata *d = &rd[r];
	for (int k = 0; k < R->nchildren; k++)
		compute(R->first_child + k);
	int mult = R->level == 3 ? 1 : R->level == 2 ? 2 : 4;
	for (int b = 0; b < NBOOK; b++) {
		vec *self = &d->s[1][b], *lower = &d->s[2][b];
		/* 下级: the township aggregate of a county (GPB only), else the sum of
		** the children's 全辖. */
		if (R->level == 3) {
			if (b == GPB) {
				draw(lower, b, 1, 25, 1);
				for (int i = 0; i < bk[b].n; i++)
					if (bk[b].it[i].sort == LINK_IN || bk[b].it[i].sort == SUB ||
					    bk[b].it[i].sort == REMIT_IN)
						for (int p = 0; p < NPHASE; p++)
							lower->v[p][i] = 0;
				/* Townships keep no 调入 and no lower level. */
				settle(lower, b);
				d->has_lower_book[b] = 1;
			}
		} else {
			for (int k = 0; k < R->nchildren; k++) {
				const vec *c = &rd[R->first_child + k].s[0][b];
				for (int p = 0; p < NPHASE; p++)
					for (int i = 0; i < bk[b].n; i++)
						lower->v[p][i] += c->v[p][i];
			}
			d->has_lower_book[b] = 1;
		}
		draw(self, b, mult, 100, 0);
	}
	/* Voucher counties: GPB own expenditure by class is what the vouchers
	** paid; the adjusted budget is 0–8 % above it. */
	if (R->level == 3 && vcounty[r] >= 0) {
		vec *self = &d->s[1][GPB];
		for (int c = 0; c < NCLASS; c++) {
			int i;
			char code[8];
			snprintf(code, sizeof code, "%d", class_codes[c]);
			for (i = 0; i < bk[GPB].n && strcmp(bk[GPB].it[i].code, code); i++)
				;
			int64_t ex = vsum[vcounty[r]][c];
			self->v[PH_EXEC][i] = ex;
			self->v[PH_ADJ][i] = ex + scale(ex, between(0, 80), 1000, 1);
			self->v[PH_BUDGET][i] = scale(self->v[PH_ADJ][i], 950, 1000, 0);
		}
	}
	/* Links within self, then the balancing items; 全辖 last. */
	for (int b = 0; b < NBOOK; b++) {
		vec *self = &d->s[1][b], *lower = &d->s[2][b];
		int sub = item_index(b, SUB), lbal = item_index(b, BAL);
		int rin = item_index(b, REMIT_IN), rout = item_index(b, REMIT_OUT);
		for (int p = 0; p < NPHASE; p++) {
			self->v[p][sub] = d->has_lower_book[b] ? lower->v[p][lbal] : 0;
			if (rin >= 0)
				self->v[p][rin] = d->has_lower_book[b] ? lower->v[p][rout] : 0;
		}
	}
	{
		int lin = item_index(GPB, LINK_IN), g = item_index(GFB, LINK_OUT),
		    s = item_index(SOE, LINK_OUT);
		for (int p = 0; p < NPHASE; p++)
			d->s[1][GPB].v[p][lin] = d->s[1][GFB].v[p][g] + d->s[1][SOE].v[p][s];
	}
	for (int b = 0; b < NBOOK; b++)
		settle(&d->s[1][b], b);
	for (int b = 0; b < NBOOK; b++) {
		vec *self = &d->s[1][b], *lower = &d->s[2][b], *all = &d->s[0][b];
		int sub = item_index(b, SUB), bal = item_index(b, BAL);
		int rin = item_index(b, REMIT_IN), rout = item_index(b, REMIT_OUT);
		for (int p = 0; p < NPHASE; p++)
			for (int i = 0; i < bk[b].n; i++) {
				int64_t x = self->v[p][i] + lower->v[p][i];
				if (i == sub || i == rin)
					x = 0; /* the transfers to and from the lower level cancel */
				else if (i == bal || i == rout)
					x = self->v[p][i]; /* only what crosses to the level above */
				all->v[p][i] = x;
			}
	}
}

static const char *const scope_code[3] = {"all", "self", "lower"};
static const char *const phase_code[NPHASE] = {"budget", "adjusted", "execution", "final"};

static long fact_rows;

static void fact(FILE *f, int code, const char *scope, const char *book, const char *phase,
		 const char *item, int64_t fen, const char *kind, const char *dept,
		 const char *project)
{
	fprintf(f, "%06d,%s,%d,%s,%s,%s,%s%" PRId64 ".%02" PRId64 ",元,%s,%s,%s\n", code, scope, YEAR,
		book, phase, item, fen < 0 ? "-" : "", (fen < 0 ? -fen : fen) / 100,
		(fen < 0 ? -fen : fen) % 100, kind, dept, project);
	fact_rows++;
}

static void national(const char *out, int townships)
{
	FILE *f = create(out, "regions.csv");
	fprintf(f, "code,name,parent,level\n");
	for (int i = 0; i < nregs; i++)
		region_row(f, &regs[i]);
	/* Townships: regions of their own (the hierarchy is four deep); their
	** books are the county's 下级 scope. */
	for (int i = 0; i < nregs; i++)
		if (regs[i].level == 3)
			for (int t = 1; t <= townships; t++)
				fprintf(f, "%06d%03d,%06d%03d镇,%06d,镇\n", regs[i].code, t, regs[i].code,
					t, regs[i].code);
	done(f, "regions.csv");

	rd = calloc((size_t)nregs, sizeof *rd);
	if (!rd)
		die("out of memory");
	for (int p = 0; p < NPROV; p++)
		compute(p);

	f = create(out, "facts.csv");
	fprintf(f, "region,scope,year,book,phase,item,amount,unit,kind,department,project\n");
	for (int r = 0; r < nregs; r++) {
		const rdata *d = &rd[r];
		for (int s = 0; s < 3; s++)
			for (int b = 0; b < NBOOK; b++) {
				if (s == 2 && !d->has_lower_book[b])
					continue;
				for (int p = 0; p < NPHASE; p++) {
					const int64_t *v = d->s[s][b].v[p];
					int64_t total = 0;
					for (int i = 0; i < bk[b].n; i++) {
						if (bk[b].it[i].side == IN)
							total += v[i];
						/* An item a scope does not have is not listed. */
						if (!v[i] && (bk[b].it[i].sort != FREE))
							continue;
						fact(f, regs[r].code, scope_code[s], bk[b].code, phase_code[p],
						     bk[b].it[i].code, v[i], "base", "", "");
					}
					/* The totals a report would state, to be checked. */
					fact(f, regs[r].code, scope_code[s], bk[b].code, phase_code[p],
					     "income_total", total, "stated", "", "");
					fact(f, regs[r].code, scope_code[s], bk[b].code, phase_code[p],
					     "expense_total", total, "stated", "", "");
				}
			}
		/* Department and project detail of the 本级 GPB budget: 一般公共服务
		** (201) over three departments, 教育 (205) over two projects and the
		** rest; detail facts are not summed into the region's totals. */
		const int64_t *v = d->s[1][GPB].v[PH_BUDGET];
		for (int i = 0; i < bk[GPB].n; i++) {
			const char *c = bk[GPB].it[i].code;
			if (!strcmp(c, "201")) {
				int64_t a = v[i] / 2, b2 = v[i] / 3;
				fact(f, regs[r].code, "self", "gpb", "budget", c, a, "base", "政府办公室", "");
				fact(f, regs[r].code, "self", "gpb", "budget", c, b2, "base", "财政局", "");
				fact(f, regs[r].code, "self", "gpb", "budget", c, v[i] - a - b2, "base",
				     "发展和改革委员会", "");
			} else if (!strcmp(c, "205")) {
				int64_t a = v[i] / 5, b2 = v[i] / 7;
				fact(f, regs[r].code, "self", "gpb", "budget", c, a, "base", "教育局",
				     "义务教育保障项目");
				fact(f, regs[r].code, "self", "gpb", "budget", c, b2, "base", "教育局",
				     "学前教育发展项目");
				fact(f, regs[r].code, "self", "gpb", "budget", c, v[i] - a - b2, "base",
				     "教育局", "");
			}
		}
	}
	done(f, "facts.csv");
}

int main(int argc, char **argv)
{
	uint64_t s = 20240601;
	long nv = 1000000;
	int counties = 2850, townships = 12;
	const char *datadir = getenv("FISC_DATADIR"), *out = "build/bench/data", *what = "all";
	if (!datadir || !*datadir)
		datadir = "data";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			fprintf(stderr, "gen: %s needs a value\n", a);
			return 2;
		}
		if (!strcmp(a, "--seed"))
			s = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--vouchers"))
			nv = atol(v);
		else if (!strcmp(a, "--counties"))
			counties = atoi(v);
		else if (!strcmp(a, "--townships"))
			townships = atoi(v);
		else if (!strcmp(a, "--datadir"))
			datadir = v;
		else if (!strcmp(a, "--out"))
			out = v;
		else if (!strcmp(a, "--what"))
			what = v;
		else {
			fprintf(stderr, "usage: gen [--seed N] [--vouchers N] [--counties N] "
					"[--townships N] [--datadir DIR] [--out DIR] "
					"[--what vouchers|national|all]\n");
			return 2;
		}
		i++;
	}
	if (counties < NVREG || counties > 9000 || townships < 0 || townships > 999 || nv < 0) {
		fprintf(stderr, "gen: --counties 20..9000, --townships 0..999, --vouchers >= 0\n");
		return 2;
	}
	mkdir(out, 0777);
	init_powtab();
	load(&func, datadir, "expenditure_function.csv");
	load(&econ_dept, datadir, "expenditure_economic_department.csv");
	load(&econ_gov, datadir, "expenditure_economic_government.csv");
	load(&revenue, datadir, "revenue.csv");
	size_t made = choose_codes();
	write_catalog(out, datadir);
	build_regions(counties);
	int all = !strcmp(what, "all");

	/* The vouchers come first: the national dataset's voucher counties take
	** their GPB execution by class from them. */
	seed(s);
	vsum = calloc(NVREG, sizeof *vsum);
	vcounty = malloc((size_t)nregs * sizeof *vcounty);
	for (int i = 0; i < nregs; i++)
		vcounty[i] = -1;
	for (int i = 0, k = 0; i < nregs && k < NVREG; i++)
		if (regs[i].level == 3)
			vcounty[i] = k++;
	vouchers(out, nv, all || !strcmp(what, "vouchers"));
	if (all || !strcmp(what, "national")) {
		seed(s ^ 0x5eed);
		define_books();
		national(out, townships);
	}
	fprintf(stderr,
		"gen: seed %" PRIu64 ", %ld vouchers, %d regions (%d counties, %d townships each), "
		"%ld facts, %zu synthetic catalogue entries, into %s\n",
		s, nv, nregs, counties, townships, fact_rows, made, out);
	return 0;
}
