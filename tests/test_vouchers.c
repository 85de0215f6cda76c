/*
** test_vouchers.c — payment vouchers: a small generated file imported and
** rolled up by 类/款/项 × month and region × 类, every total compared with
** sums computed independently here; the aggregates kept at ingest agree
** with a scan of the vouchers; a bad row anywhere leaves the store
** unchanged and is reported with file:line:field in both languages; two
** imports add up; reversals and 元 amounts are exact.
*/
#include "testutil.h"

#include "fisc/catalog.h"
#include "fisc/error.h"
#include "fisc/voucher.h"
#include "import/filebuf.h"

typedef struct fx {
	char *dir;
	char *path;
	fisc_store *st;
} fx;

static const char regions[] = "code,name,parent,level\n"
			      "110000,北京市,,省\n110101,东城区,110000,区\n110102,西城区,110000,区\n";

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	f->dir = tu_tmpdir();
	size_t n = strlen(f->dir) + 16;
	f->path = malloc(n);
	snprintf(f->path, n, "%s/fisc.db", f->dir);
	char *uri = tu_store_uri(f->path);
	free(f->path);
	f->path = uri;
	assert_int_equal(fisc_store_open(f->path, &f->st), FISC_OK);
	const char *dd = getenv("FISC_DATADIR");
	assert_int_equal(fisc_catalog_seed(f->st, dd && *dd ? dd : FISC_DATADIR), FISC_OK);
	fisc_diag *d = fisc_diag_new();
	fisc_import_stats s;
	assert_int_equal(fisc_import_csv_buffer(f->st, "regions.csv", regions, sizeof regions - 1,
						d, &s),
			 FISC_OK);
	fisc_diag_free(d);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	fisc_store_close(f->st);
	tu_rmrf(f->dir);
	free(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* A small deterministic stream: codes that exist in the bundled catalogue. */
static const char *const funcs[] = {"2010101", "2010102", "2010201", "2050201", "2050202",
				    "2050203", "2080101", "2130101"};
static const char *const econs[] = {"30101", "30102", "30201", "50101", "50201"};
static const char *const regs[] = {"110101", "110102"};
static const char *const books[] = {"gpb", "gfb", "soe"};

enum { N = 2000, NF = 8 };

/* Expected sums, by hand: [func][month], [region][class 201/205/208/213]. */
typedef struct expect {
	int64_t fm[NF][13], fm_n[NF][13];
	int64_t rc[2][4], rc_n[2][4];
	int64_t total;
} expect;

static int class_index(const char *func)
{
	static const char *const cls[] = {"201", "205", "208", "213"};
	for (int i = 0; i < 4; i++)
		if (!strncmp(func, cls[i], 3))
			return i;
	return -1;
}

static char *make_file_n(expect *e, int n)
{
	size_t cap = (size_t)n * 64 + 128, len = 0;
	char *buf = malloc(cap);
	uint64_t x = 12345;
	memset(e, 0, sizeof *e);
	len += (size_t)snprintf(buf + len, cap - len, "number,date,region,unit,book,function,economic,fen\n");
	for (int i = 0; i < n; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		int m = (int)((x >> 59) % 12) + 1, d = (int)((x >> 40) % 28) + 1;
		int f = (int)((x >> 33) % NF), ec = (int)((x >> 20) % 5), r = (int)((x >> 50) % 2);
		int64_t fen = (int64_t)((x >> 24) % 100000000) + 1000;
		if (i % 97 == 0)
			fen = -fen; /* a reversal */
		len += (size_t)snprintf(buf + len, cap - len, "V%d,2024-%02d-%02d,%s,%d,%s,%s,%s,%lld\n",
					i, m, d, regs[r], 100001 + i % 50, books[i % 3], funcs[f],
					econs[ec], (long long)fen);
		e->fm[f][m] += fen;
		e->fm_n[f][m]++;
		e->rc[r][class_index(funcs[f])] += fen;
		e->rc_n[r][class_index(funcs[f])]++;
		e->total += fen;
	}
	return buf;
}

static char *make_file(expect *e) { return make_file_n(e, N); }

typedef struct got {
	fisc_rollup_row rows[512];
	int n;
} got;

static int collect(void *ud, const fisc_rollup_row *r)
{
	got *g = ud;
	assert_true(g->n < 512);
	g->rows[g->n++] = *r;
	return 0;
}

static int import(fx *f, const char *name, const char *text, fisc_diag *d,
		  fisc_voucher_stats *s)
{
	return fisc_voucher_import_buffer(f->st, name, text, strlen(text), d, s);
}

static void test_rollups_exact(void **state)
{
	fx *f = *state;
	expect e;
	char *text = make_file(&e);
	fisc_diag *d = fisc_diag_new();
	fisc_voucher_stats s;
	assert_int_equal(import(f, "v.csv", text, d, &s), FISC_OK);
	assert_int_equal(fisc_diag_count(d), 0);
	assert_int_equal(s.vouchers, N);
	assert_int_equal(s.fen, e.total);
	assert_int_equal(fisc_store_voucher_count(f->st), N);

	/* 项 × month, from the aggregates and from a scan: both exact. */
	for (int scan = 0; scan < 2; scan++) {
		got g = {0};
		assert_int_equal(fisc_voucher_rollup(f->st, FISC_ROLLUP_FUNCTION_MONTH, 3, scan,
						     collect, &g),
				 FISC_OK);
		int cells = 0;
		for (int i = 0; i < NF; i++)
			for (int m = 1; m <= 12; m++)
				cells += e.fm_n[i][m] > 0;
		assert_int_equal(g.n, cells);
		for (int k = 0; k < g.n; k++) {
			int i;
			for (i = 0; i < NF && atoi(funcs[i]) != g.rows[k].code; i++)
				;
			assert_true(i < NF);
			assert_int_equal(g.rows[k].year, 2024);
			assert_int_equal(g.rows[k].level, 3);
			assert_int_equal(g.rows[k].fen, e.fm[i][g.rows[k].month]);
			assert_int_equal(g.rows[k].count, e.fm_n[i][g.rows[k].month]);
			if (k) /* ordered by code, then month */
				assert_true(g.rows[k - 1].code < g.rows[k].code ||
					    (g.rows[k - 1].code == g.rows[k].code &&
					     g.rows[k - 1].month < g.rows[k].month));
		}
	}

	/* 类 × month: 201 sums three 项. */
	got g = {0};
	assert_int_equal(fisc_voucher_rollup(f->st, FISC_ROLLUP_FUNCTION_MONTH, 1, 0, collect, &g),
			 FISC_OK);
	int64_t sum201_m3 = e.fm[0][3] + e.fm[1][3] + e.fm[2][3];
	int found = 0;
	int64_t all = 0;
	for (int k = 0; k < g.n; k++) {
		assert_int_equal(g.rows[k].level, 1);
		all += g.rows[k].fen;
		if (g.rows[k].code == 201 && g.rows[k].month == 3) {
			assert_int_equal(g.rows[k].fen, sum201_m3);
			found = 1;
		}
	}
	assert_true(found);
	assert_int_equal(all, e.total);

	/* 款 × month: 20101 = 2010101 + 2010102. */
	memset(&g, 0, sizeof g);
	assert_int_equal(fisc_voucher_rollup(f->st, FISC_ROLLUP_FUNCTION_MONTH, 2, 0, collect, &g),
			 FISC_OK);
	found = 0;
	for (int k = 0; k < g.n; k++)
		if (g.rows[k].code == 20101 && g.rows[k].month == 7) {
			assert_int_equal(g.rows[k].fen, e.fm[0][7] + e.fm[1][7]);
			found = 1;
		}
	assert_true(found);

	/* Region × 类, aggregates and scan. */
	fisc_arena *a = fisc_arena_new();
	fisc_region r1;
	assert_int_equal(fisc_store_region_find(f->st, "110101", a, &r1), FISC_OK);
	for (int scan = 0; scan < 2; scan++) {
		memset(&g, 0, sizeof g);
		assert_int_equal(fisc_voucher_rollup(f->st, FISC_ROLLUP_REGION_FUNCTION, 1, scan,
						     collect, &g),
				 FISC_OK);
		assert_int_equal(g.n, 8);
		static const int cls[] = {201, 205, 208, 213};
		for (int k = 0; k < g.n; k++) {
			int r = g.rows[k].region == r1.id ? 0 : 1, c;
			for (c = 0; c < 4 && cls[c] != g.rows[k].code; c++)
				;
			assert_true(c < 4);
			assert_int_equal(g.rows[k].fen, e.rc[r][c]);
			assert_int_equal(g.rows[k].count, e.rc_n[r][c]);
		}
	}
	fisc_arena_free(a);

	/* The same vouchers again (the file imported twice): nothing changes. */
	assert_int_equal(import(f, "v2.csv", text, d, &s), FISC_OK);
	assert_int_equal(s.vouchers, 0);
	assert_int_equal(s.skipped, N);
	assert_int_equal(s.skipped_fen, e.total);
	assert_int_equal(fisc_store_voucher_count(f->st), N);
	for (int scan = 0; scan < 2; scan++) {
		memset(&g, 0, sizeof g);
		assert_int_equal(fisc_voucher_rollup(f->st, FISC_ROLLUP_REGION_FUNCTION, 1, scan,
						     collect, &g),
				 FISC_OK);
		all = 0;
		for (int k = 0; k < g.n; k++)
			all += g.rows[k].fen;
		assert_int_equal(all, e.total);
	}
	fisc_diag_free(d);
	free(text);
}

static int has_diag(fisc_diag *d, long line, const char *field, int kind)
{
	for (size_t i = 0; i < fisc_diag_count(d); i++) {
		const fisc_diag_entry *x = fisc_diag_get(d, i);
		if (x->line == line && x->kind == kind &&
		    (field ? x->field && !strcmp(x->field, field) : !x->field))
			return 1;
	}
	return 0;
}

static void test_all_or_nothing(void **state)
{
	fx *f = *state;
	expect e;
	char *text = make_file(&e);
	/* Corrupt line 1500's amount: the whole file must be refused. */
	char *p = text;
	for (int line = 1; line < 1500; line++)
		p = strchr(p, '\n') + 1;
	char *nl = strchr(p, '\n'), *comma = nl;
	while (*comma != ',')
		comma--;
	assert_true(comma > p);
	comma[1] = 'x';
	fisc_diag *d = fisc_diag_new();
	fisc_voucher_stats s;
	assert_int_equal(import(f, "bad.csv", text, d, &s), FISC_EIMPORT);
	assert_int_equal(s.vouchers, 0);
	assert_int_equal(fisc_store_voucher_count(f->st), 0);
	assert_true(has_diag(d, 1500, "fen", FISC_DIAG_BAD_AMOUNT));
	char line[1024];
	fisc_diag_format(fisc_diag_get(d, 0), line, sizeof line);
	assert_non_null(strstr(line, "bad.csv:1500:"));
	assert_non_null(strstr(line, "金额"));
	assert_non_null(strstr(line, "bad amount"));
	got g = {0};
	assert_int_equal(fisc_voucher_rollup(f->st, FISC_ROLLUP_FUNCTION_MONTH, 1, 0, collect, &g),
			 FISC_OK);
	assert_int_equal(g.n, 0);
	fisc_diag_free(d);
	free(text);
	/* The store still works after the rollback. */
	d = fisc_diag_new();
	assert_int_equal(import(f, "ok.csv",
				"number,date,region,unit,book,function,economic,fen\n"
				"N1,2024-01-02,110101,1,gpb,2050201,30101,5\n",
				d, &s),
			 FISC_OK);
	assert_int_equal(fisc_store_voucher_count(f->st), 1);
	fisc_diag_free(d);
}

/* Issue 10, item 7: the file cut by another process while it is imported.
** Mapped, the cut pages raised SIGBUS and killed the process; read whole, the
** import is refused as "file changed during import" and stores nothing. */
static off_t cut_to;
static int cut_calls;

static void cut_file(int fd, const char *path)
{
	(void)fd;
	cut_calls++;
	if (truncate(path, cut_to) != 0)
		cut_calls = -100;
}

static void test_file_cut_during_import(void **state)
{
	fx *f = *state;
	expect e;
	char *text = make_file(&e);
	size_t n = strlen(f->dir) + 16;
	char *path = malloc(n);
	snprintf(path, n, "%s/cut.csv", f->dir);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
	cut_to = (off_t)(strlen(text) / 2);
	cut_calls = 0;
	fisc_filebuf_test_hook = cut_file;
	fisc_diag *d = fisc_diag_new();
	fisc_voucher_stats s;
	int rc = fisc_voucher_import_file(f->st, path, d, &s);
	fisc_filebuf_test_hook = NULL;
	assert_int_equal(cut_calls, 1);
	assert_int_not_equal(rc, FISC_OK);
	assert_int_equal(fisc_store_voucher_count(f->st), 0);
	assert_true(fisc_diag_count(d) >= 1);
	char line[2048];
	fisc_diag_format(fisc_diag_get(d, 0), line, sizeof line);
	assert_non_null(strstr(line, "文件在导入过程中被修改"));
	assert_non_null(strstr(line, "file changed during import"));
	fisc_diag_free(d);
	free(path);
	free(text);
}

static void test_every_field_checked(void **state)
{
	fx *f = *state;
	fisc_diag *d = fisc_diag_new();
	fisc_voucher_stats s;
	const char *text = "# comment\n"
			   "凭证号,日期,地区,单位,预算,功能分类,经济分类,金额（分）\n"
			   "N2,2024-01-02,110101,1,gpb,2050201,30101,5\n"      /* 3: fine */
			   "N3,2023-02-29,110101,1,gpb,2050201,30101,5\n"      /* 4: no such day */
			   "N4,2024-01-02,999999,1,gpb,2050201,30101,5\n"      /* 5: region */
			   "N5,2024-01-02,110101,1a,gpb,2050201,30101,5\n"     /* 6: unit */
			   "N6,2024-01-02,110101,1,xyz,2050201,30101,5\n"      /* 7: book */
			   "N7,2024-01-02,110101,1,gpb,20502,30101,5\n"        /* 8: a 款, not a 项 */
			   "N8,2024-01-02,110101,1,gpb,2059988,30101,5\n"      /* 9: not in catalogue */
			   "N9,2024-01-02,110101,1,gpb,2050201,39988,5\n"      /* 10: econ */
			   "N10,2024-01-02,110101,1,gpb,2050201,30101,1.5\n"    /* 11: fen */
			   "N11,2024-01-02,110101,1,gpb,2050201,30101\n"        /* 12: fields */
			   "N12,\"2024-01-02,110101,1,gpb,2050201,30101,5\n";   /* 13: quote */
	assert_int_equal(import(f, "e.csv", text, d, &s), FISC_EIMPORT);
	assert_true(has_diag(d, 4, "date", FISC_DIAG_BAD_VALUE));
	assert_true(has_diag(d, 5, "region", FISC_DIAG_UNKNOWN_REGION));
	assert_true(has_diag(d, 6, "unit", FISC_DIAG_BAD_VALUE));
	assert_true(has_diag(d, 7, "book", FISC_DIAG_BAD_VALUE));
	assert_true(has_diag(d, 8, "function", FISC_DIAG_UNKNOWN_ITEM));
	assert_true(has_diag(d, 9, "function", FISC_DIAG_UNKNOWN_ITEM));
	assert_true(has_diag(d, 10, "economic", FISC_DIAG_UNKNOWN_ITEM));
	assert_true(has_diag(d, 11, "fen", FISC_DIAG_BAD_AMOUNT));
	assert_true(has_diag(d, 12, NULL, FISC_DIAG_BAD_CSV));
	assert_true(has_diag(d, 13, NULL, FISC_DIAG_BAD_CSV));
	assert_int_equal(fisc_diag_count(d), 10);
	assert_int_equal(fisc_store_voucher_count(f->st), 0);
	fisc_diag_free(d);

	/* Header problems. */
	d = fisc_diag_new();
	assert_int_equal(import(f, "h.csv", "number,date,region,unit,book,function,colour\n", d, &s),
			 FISC_EIMPORT);
	assert_true(has_diag(d, 1, "economic", FISC_DIAG_MISSING_COLUMN));
	assert_true(has_diag(d, 1, "fen", FISC_DIAG_MISSING_COLUMN));
	fisc_diag_free(d);

	/* The voucher number is required, and says why. */
	d = fisc_diag_new();
	assert_int_equal(import(f, "old.csv",
				"date,region,unit,book,function,economic,fen\n"
				"2024-01-02,110101,1,gpb,2050201,30101,5\n",
				d, &s),
			 FISC_EIMPORT);
	assert_true(has_diag(d, 1, "number", FISC_DIAG_MISSING_COLUMN));
	char line[1024];
	fisc_diag_format(fisc_diag_get(d, 0), line, sizeof line);
	assert_non_null(strstr(line, "凭证号"));
	fisc_diag_free(d);
}

/* A voucher is identified by its number within its region, unit and year:
** re-importing skips what is stored, a partly new file adds only the new
** vouchers, and a number re-used with other content is refused naming the
** stored line and the new one. */
static void test_idempotent_by_number(void **state)
{
	fx *f = *state;
	fisc_diag *d = fisc_diag_new();
	fisc_voucher_stats s;
	const char *a = "number,date,region,unit,book,function,economic,fen\n"
			"A1,2024-01-02,110101,1,gpb,2050201,30101,5\n"
			"A2,2024-01-03,110101,1,gpb,2050201,30101,7\n";
	assert_int_equal(import(f, "a.csv", a, d, &s), FISC_OK);
	assert_int_equal(s.vouchers, 2);
	assert_int_equal(import(f, "a-again.csv", a, d, &s), FISC_OK);
	assert_int_equal(s.vouchers, 0);
	assert_int_equal(s.skipped, 2);
	assert_int_equal(fisc_store_voucher_count(f->st), 2);

	/* One stored, one new; the same number in another unit, region or year
	** is another voucher. */
	const char *b = "number,date,region,unit,book,function,economic,fen\n"
			"A2,2024-01-03,110101,1,gpb,2050201,30101,7\n"
			"A3,2024-01-04,110101,1,gpb,2050201,30101,11\n"
			"A1,2024-01-02,110101,2,gpb,2050201,30101,13\n"
			"A1,2024-01-02,110102,1,gpb,2050201,30101,17\n"
			"A1,2025-01-02,110101,1,gpb,2050201,30101,19\n";
	assert_int_equal(import(f, "b.csv", b, d, &s), FISC_OK);
	assert_int_equal(s.vouchers, 4);
	assert_int_equal(s.skipped, 1);
	assert_int_equal(s.fen, 11 + 13 + 17 + 19);
	assert_int_equal(fisc_store_voucher_count(f->st), 6);
	got g = {0};
	assert_int_equal(fisc_voucher_rollup(f->st, FISC_ROLLUP_FUNCTION_MONTH, 3, 0, collect, &g),
			 FISC_OK);
	int64_t all = 0;
	for (int k = 0; k < g.n; k++)
		all += g.rows[k].fen;
	assert_int_equal(all, 5 + 7 + 11 + 13 + 17 + 19);
	assert_int_equal(fisc_diag_count(d), 0);

	/* Same number, other amount: an error naming both lines; nothing of
	** the file is written, not even its new voucher. */
	const char *c = "number,date,region,unit,book,function,economic,fen\n"
			"A9,2024-02-01,110101,1,gpb,2050201,30101,1\n"
			"A2,2024-01-03,110101,1,gpb,2050201,30101,8\n";
	assert_int_equal(import(f, "c.csv", c, d, &s), FISC_EEXIST);
	const char *msg = fisc_error_message();
	assert_non_null(strstr(msg, "c.csv:3"));
	assert_non_null(strstr(msg, "a.csv:3"));
	assert_non_null(strstr(msg, "A2"));
	assert_int_equal(fisc_store_voucher_count(f->st), 6);
	assert_int_equal(s.vouchers, 0);

	/* The same number twice in one file with other content, too. */
	const char *twice = "number,date,region,unit,book,function,economic,fen\n"
			    "B1,2024-02-01,110101,1,gpb,2050201,30101,1\n"
			    "B1,2024-02-01,110101,1,gpb,2050201,30101,2\n";
	assert_int_equal(import(f, "t.csv", twice, d, &s), FISC_EEXIST);
	msg = fisc_error_message();
	assert_non_null(strstr(msg, "t.csv:2"));
	assert_non_null(strstr(msg, "t.csv:3"));
	assert_int_equal(fisc_store_voucher_count(f->st), 6);
	fisc_diag_free(d);
}

static void test_yuan_quotes_and_names(void **state)
{
	fx *f = *state;
	fisc_diag *d = fisc_diag_new();
	fisc_voucher_stats s;
	/* Amounts in 元 with 0–2 decimals, quoted fields, CRLF, a BOM, Chinese
	** book and region names. */
	const char *text = "\xEF\xBB\xBF" "number,date,region,unit,book,function,economic,amount\r\n"
			   "N13,2024/03/01,东城区,7,一般公共预算,2050201,30101,12.3\r\n"
			   "N14,\"20240302\",\"110102\",8,\"gfb\",2050201,30101,\"-0.07\"\r\n"
			   "N15,2024-03-03,110101,9,soe,2050201,30101,100\r\n";
	assert_int_equal(import(f, "y.csv", text, d, &s), FISC_OK);
	assert_int_equal(s.vouchers, 3);
	assert_int_equal(s.fen, 1230 - 7 + 10000);
	got g = {0};
	assert_int_equal(fisc_voucher_rollup(f->st, FISC_ROLLUP_FUNCTION_MONTH, 3, 0, collect, &g),
			 FISC_OK);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rows[0].code, 2050201);
	assert_int_equal(g.rows[0].month, 3);
	assert_int_equal(g.rows[0].fen, 11223);
	assert_int_equal(g.rows[0].count, 3);
	fisc_diag_free(d);

	/* Bad 元 amounts and bad UTF-8. */
	d = fisc_diag_new();
	assert_int_equal(import(f, "z.csv",
				"number,date,region,unit,book,function,economic,amount\n"
				"N16,2024-03-01,110101,7,gpb,2050201,30101,1.234\n"
				"N17,2024-03-01,110101,7,gp\xff,2050201,30101,1\n",
				d, &s),
			 FISC_EIMPORT);
	assert_true(has_diag(d, 2, "amount", FISC_DIAG_BAD_AMOUNT));
	assert_true(has_diag(d, 3, NULL, FISC_DIAG_BAD_UTF8));
	fisc_diag_free(d);
}

/* Over 4 MB the importer parses on one thread and writes on another: the
** same exact totals, and a bad row near the end still leaves nothing. */
static void test_large_file_two_threads(void **state)
{
	fx *f = *state;
	enum { BIG = 120000 };
	expect e;
	char *text = make_file_n(&e, BIG);
	assert_true(strlen(text) > (4u << 20));
	fisc_diag *d = fisc_diag_new();
	fisc_voucher_stats s;
	char *last = text + strlen(text) - 2; /* the last row's amount */
	char keep = *last;
	*last = 'x';
	assert_int_equal(import(f, "big.csv", text, d, &s), FISC_EIMPORT);
	assert_true(has_diag(d, BIG + 1, "fen", FISC_DIAG_BAD_AMOUNT));
	assert_int_equal(fisc_store_voucher_count(f->st), 0);
	fisc_diag_free(d);
	*last = keep;
	d = fisc_diag_new();
	assert_int_equal(import(f, "big.csv", text, d, &s), FISC_OK);
	assert_int_equal(s.vouchers, BIG);
	assert_int_equal(s.fen, e.total);
	got g = {0};
	assert_int_equal(fisc_voucher_rollup(f->st, FISC_ROLLUP_REGION_FUNCTION, 1, 0, collect, &g),
			 FISC_OK);
	int64_t all = 0, n = 0;
	for (int k = 0; k < g.n; k++)
		all += g.rows[k].fen, n += g.rows[k].count;
	assert_int_equal(all, e.total);
	assert_int_equal(n, BIG);
	fisc_diag_free(d);
	free(text);
}

/* Vouchers reach the store in batches of 4,096. A repeat in a later batch
** of a voucher an earlier batch stored sends that batch down another path
** than the first ones (on PostgreSQL: the COPY into the table is refused by
** the identity index, the batch is staged and compared): the repeat is
** skipped or refused, and the sums count every stored voucher exactly once,
** whichever path stored it. */
static void test_repeat_in_a_later_batch(void **state)
{
	fx *f = *state;
	enum { MANY = 10000 };
	expect e;
	char *text = make_file_n(&e, MANY);
	const char *first = strchr(text, '\n') + 1;
	size_t len = strlen(text), row = (size_t)(strchr(first, '\n') + 1 - first);
	char *again = malloc(len + row + 1);
	memcpy(again, text, len);
	memcpy(again + len, first, row);
	again[len + row] = 0;
	fisc_diag *d = fisc_diag_new();
	fisc_voucher_stats s;

	/* The same voucher with other content: refused, nothing written. */
	char *amount = again + len + row - 2; /* the repeat's last digit of fen */
	char keep = *amount;
	*amount = keep == '9' ? '8' : (char)(keep + 1);
	assert_int_equal(import(f, "other.csv", again, d, &s), FISC_EEXIST);
	assert_non_null(strstr(fisc_error_message(), "other.csv:10002"));
	assert_non_null(strstr(fisc_error_message(), "other.csv:2"));
	assert_int_equal(fisc_store_voucher_count(f->st), 0);
	*amount = keep;

	assert_int_equal(import(f, "again.csv", again, d, &s), FISC_OK);
	assert_int_equal(s.vouchers, MANY);
	assert_int_equal(s.skipped, 1);
	assert_int_equal(s.fen, e.total);
	assert_int_equal(fisc_store_voucher_count(f->st), MANY);
	for (int by = FISC_ROLLUP_FUNCTION_MONTH; by <= FISC_ROLLUP_REGION_FUNCTION; by++) {
		got g = {0};
		assert_int_equal(fisc_voucher_rollup(f->st, by, 3, 0, collect, &g), FISC_OK);
		int64_t all = 0, n = 0;
		for (int k = 0; k < g.n; k++)
			all += g.rows[k].fen, n += g.rows[k].count;
		assert_int_equal(all, e.total);
		assert_int_equal(n, MANY);
	}
	assert_int_equal(fisc_diag_count(d), 0);
	fisc_diag_free(d);
	free(again);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rollups_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_cut_during_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_field_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_yuan_quotes_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idempotent_by_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_file_two_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeat_in_a_later_batch, setup, teardown),
	};
	return cmocka_run_group_tests_name("vouchers", tests, NULL, NULL);
}
