/*
** test_import.c — CSV and XLSX import (src/lib/import/import.c, csv.c): one
** test per kind of problem, each checking the exact diagnostic (file, line
** or cell, field, kind, Chinese and English wording) and that the store is
** exactly as before — the valid rows of a failed import are not written.
** Then what must work: Chinese headers, RFC 4180 quoting, CRLF and BOM,
** comments, blank amounts, units, precision, aliases, regions defined in
** the same import, and workbooks written by libxlsxwriter.
*/
#include "testutil.h"

#include <fcntl.h>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

#include "fisc/catalog.h"
#include "fisc/error.h"
#include "fisc/import.h"
#include "fisc/store.h"
#include "import/filebuf.h"

/* ---- fixture: a seeded store holding 北碚区 and one fact ---------------- */

typedef struct fx {
	char *dir;
	fisc_store *st;
	int64_t beibei; /* region id */
} fx;

static const char *datadir(void)
{
	const char *d = getenv("FISC_DATADIR");
	return d && *d ? d : FISC_DATADIR;
}

/* Diagnostics still alive when a test fails (cmocka jumps out of the test)
** are freed by teardown, so a failing assertion does not also leak. */
static fisc_diag *live[16];

static fisc_diag *dnew(void)
{
	fisc_diag *d = fisc_diag_new();
	assert_non_null(d);
	for (int i = 0; i < 16; i++)
		if (!live[i]) {
			live[i] = d;
			return d;
		}
	fail_msg("too many live diags");
	return NULL;
}

static void dfree(fisc_diag *d)
{
	for (int i = 0; i < 16; i++)
		if (live[i] == d)
			live[i] = NULL;
	fisc_diag_free(d);
}

static void dfree_all(void)
{
	for (int i = 0; i < 16; i++) {
		fisc_diag_free(live[i]);
		live[i] = NULL;
	}
}

#define HDR "region,scope,year,book,phase,item,amount,unit\n"
/* A valid row whose key is not in the store. */
#define ROW_OK "北碚区,全区,2023,一般公共预算,执行,非税收入,140078,万元\n"

static void import_ok(fisc_store *st, const char *name, const char *csv)
{
	fisc_diag *d = dnew();
	fisc_import_stats s;
	int rc = fisc_import_csv_buffer(st, name, csv, strlen(csv), d, &s);
	if (rc != FISC_OK) {
		char buf[1024];
		for (size_t i = 0; i < fisc_diag_count(d); i++) {
			fisc_diag_format(fisc_diag_get(d, i), buf, sizeof buf);
			print_error("%s\n", buf);
		}
		print_error("import: %s\n", fisc_error_message());
	}
	assert_int_equal(rc, FISC_OK);
	assert_int_equal(fisc_diag_count(d), 0);
	dfree(d);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = tu_tmpdir();
	assert_non_null(f->dir);
	char path[512];
	snprintf(path, sizeof path, "%s/fisc.db", f->dir);
	{
		char *uri = tu_store_uri(path);
		assert_int_equal(fisc_store_open(uri, &f->st), FISC_OK);
		free(uri);
	}
	assert_int_equal(fisc_catalog_seed(f->st, datadir()), FISC_OK);
	import_ok(f->st, "regions.csv", "code,name,level\n500109,北碚区,区\n");
	import_ok(f->st, "prev.csv", HDR "北碚区,全区,2023,一般公共预算,执行,税收收入,160198,万元\n");
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	assert_int_equal(fisc_store_region_find(f->st, "500109", a, &r), FISC_OK);
	f->beibei = r.id;
	fisc_arena_free(a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	dfree_all();
	fisc_store_close(f->st);
	tu_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* ---- what the store holds ---------------------------------------------- */

static int count_region(void *ud, const fisc_region *r)
{
	(*(long *)ud)++;
	return 0;
}

static long region_count(fisc_store *st)
{
	long n = 0;
	assert_int_equal(fisc_store_region_each(st, count_region, &n), FISC_OK);
	return n;
}

/* A fact copied out of the store's callback. */
typedef struct fcopy {
	fisc_fact f;
	char item[32], dept[64], project[64], econ[16], fund[64], source[96], note[128];
} fcopy;

typedef struct flist {
	int n;
	fcopy v[16];
} flist;

static int collect_fact(void *ud, const fisc_fact *f)
{
	flist *l = ud;
	assert_true(l->n < 16);
	fcopy *c = &l->v[l->n++];
	c->f = *f;
	snprintf(c->item, sizeof c->item, "%s", f->item);
	snprintf(c->dept, sizeof c->dept, "%s", f->dept);
	snprintf(c->project, sizeof c->project, "%s", f->project);
	snprintf(c->econ, sizeof c->econ, "%s", f->econ);
	snprintf(c->fund, sizeof c->fund, "%s", f->fund);
	snprintf(c->source, sizeof c->source, "%s", f->source);
	snprintf(c->note, sizeof c->note, "%s", f->note);
	c->f.item = c->item;
	c->f.dept = c->dept;
	c->f.project = c->project;
	c->f.econ = c->econ;
	c->f.fund = c->fund;
	c->f.source = c->source;
	c->f.note = c->note;
	return 0;
}

/* The facts of one year, in import order. */
static flist *facts_of_year(fisc_store *st, int year)
{
	static flist l;
	memset(&l, 0, sizeof l);
	fisc_query q = {0};
	q.year = year;
	assert_int_equal(fisc_store_fact_each(st, &q, collect_fact, &l), FISC_OK);
	return &l;
}

/* The only fact of `year` with this item. */
static const fcopy *fact_with(fisc_store *st, int year, const char *item)
{
	flist *l = facts_of_year(st, year);
	const fcopy *hit = NULL;
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].item, item)) {
			assert_null(hit);
			hit = &l->v[i];
		}
	if (!hit)
		print_error("no fact %d/%s\n", year, item);
	assert_non_null(hit);
	return hit;
}

/* ---- running a failing import ------------------------------------------ */

typedef struct snap {
	int64_t facts;
	long regions;
} snap;

static snap snapshot(fisc_store *st)
{
	snap s = {fisc_store_fact_count(st), region_count(st)};
	return s;
}

static void print_diag(const fisc_diag *d)
{
	char buf[1024];
	for (size_t i = 0; i < fisc_diag_count(d); i++) {
		fisc_diag_format(fisc_diag_get(d, i), buf, sizeof buf);
		print_message("  diag[%zu] %s\n", i, buf);
	}
}

/* Check an import's outcome: FISC_EIMPORT, no stats, store unchanged. */
static void failed_unchanged(fisc_store *st, snap before, int rc, const fisc_diag *d,
			     const fisc_import_stats *s, int ndiag, const char *file, int line)
{
	if (rc != FISC_EIMPORT || (ndiag >= 0 && fisc_diag_count(d) != (size_t)ndiag))
		print_diag(d);
	_assert_int_equal((uintmax_t)rc, (uintmax_t)FISC_EIMPORT, file, line);
	if (ndiag >= 0)
		_assert_int_equal(fisc_diag_count(d), (uintmax_t)ndiag, file, line);
	_assert_int_equal((uintmax_t)s->facts, 0, file, line);
	_assert_int_equal((uintmax_t)s->regions, 0, file, line);
	snap after = snapshot(st);
	_assert_int_equal((uintmax_t)after.facts, (uintmax_t)before.facts, file, line);
	_assert_int_equal((uintmax_t)after.regions, (uintmax_t)before.regions, file, line);
	_assert_true(strstr(fisc_error_message(), "nothing was written") != NULL,
		     "error message says nothing was written", file, line);
}

/* Import `csv` as NAME; it must fail with exactly `ndiag` problems (-1: any
** number) and change nothing. Returns the diag (caller frees). */
static fisc_diag *bad_at(fx *f, const char *name, const char *csv, size_t len, int ndiag,
			 const char *file, int line)
{
	snap before = snapshot(f->st);
	fisc_diag *d = dnew();
	fisc_import_stats s;
	int rc = fisc_import_csv_buffer(f->st, name, csv, len, d, &s);
	failed_unchanged(f->st, before, rc, d, &s, ndiag, file, line);
	return d;
}
#define BAD(f, csv, ndiag) bad_at(f, "t.csv", csv, strlen(csv), ndiag, __FILE__, __LINE__)
#define BADN(f, csv, len, ndiag) bad_at(f, "t.csv", csv, len, ndiag, __FILE__, __LINE__)

static void str_or_null(const char *got, const char *want, const char *what,
			const char *file, int line)
{
	if (!want) {
		if (got)
			print_error("%s: expected NULL, got '%s'\n", what, got);
		_assert_true(got == NULL, what, file, line);
	} else {
		if (!got)
			print_error("%s: expected '%s', got NULL\n", what, want);
		_assert_true(got != NULL, what, file, line);
		_assert_string_equal(got, want, file, line);
	}
}

static void diag_is_at(const fisc_diag *d, size_t i, const char *dfile, long dline,
		       const char *cell, const char *field, int kind, const char *zh,
		       const char *en, const char *file, int line)
{
	const fisc_diag_entry *e = fisc_diag_get(d, i);
	if (!e)
		print_diag(d);
	_assert_true(e != NULL, "diag entry exists", file, line);
	if (e->kind != kind || e->line != dline)
		print_diag(d);
	_assert_string_equal(e->file, dfile, file, line);
	_assert_int_equal((uintmax_t)e->line, (uintmax_t)dline, file, line);
	str_or_null(e->cell, cell, "cell", file, line);
	str_or_null(e->field, field, "field", file, line);
	_assert_string_equal(fisc_diag_kind_code(e->kind), fisc_diag_kind_code(kind), file,
			     line);
	_assert_string_equal(e->msg_zh, zh, file, line);
	_assert_string_equal(e->msg_en, en, file, line);
}
#define DIAG_IS(d, i, dfile, dline, cell, field, kind, zh, en) \
	diag_is_at(d, i, dfile, dline, cell, field, kind, zh, en, __FILE__, __LINE__)

/* ---- one test per kind of problem -------------------------------------- */

static void err_bad_utf8(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,执行,\xFF\xFE,1,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, NULL, FISC_DIAG_BAD_UTF8,
		"不是有效的 UTF-8 文本（请以 UTF-8 编码保存文件）",
		"not valid UTF-8 (save the file as UTF-8)");
	dfree(d);

	/* An overlong encoding and a UTF-16 surrogate are not UTF-8 either;
	** each bad line is named and reading goes on. */
	d = BAD(f, HDR "北碚区,全区,2023,gpb,execution,上级补助收入,1,万元\n"
		       "北碚区,全区,2023,gpb,execution,\xC0\xAF,1,万元\n"
		       "北碚区,全区,2023,gpb,execution,\xED\xA0\x80,1,万元\n" ROW_OK, 2);
	DIAG_IS(d, 0, "t.csv", 3, NULL, NULL, FISC_DIAG_BAD_UTF8,
		"不是有效的 UTF-8 文本（请以 UTF-8 编码保存文件）",
		"not valid UTF-8 (save the file as UTF-8)");
	DIAG_IS(d, 1, "t.csv", 4, NULL, NULL, FISC_DIAG_BAD_UTF8,
		"不是有效的 UTF-8 文本（请以 UTF-8 编码保存文件）",
		"not valid UTF-8 (save the file as UTF-8)");
	dfree(d);

	/* GBK text (a common mis-save). */
	d = BAD(f, HDR ROW_OK "\xB1\xB1\xEB\xB9\xC7\xF8,all,2023,gpb,execution,205,1,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, NULL, FISC_DIAG_BAD_UTF8,
		"不是有效的 UTF-8 文本（请以 UTF-8 编码保存文件）",
		"not valid UTF-8 (save the file as UTF-8)");
	dfree(d);
}

static void err_bad_csv_unterminated(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, HDR ROW_OK
			   "北碚区,全区,2023,一般公共预算,执行,\"上级补助收入,100,万元\n"
			   "北碚区,全区,2023,一般公共预算,执行,调入资金,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, NULL, FISC_DIAG_BAD_CSV, "引号未闭合",
		"unterminated quoted field");
	dfree(d);
}

static void err_bad_csv_stray_quote(void **state)
{
	fx *f = *state;
	/* A quote inside an unquoted field; the next line is read normally. */
	fisc_diag *d = BAD(f, HDR ROW_OK
			   "北碚区,全区,2023,一般公共预算,执行,上级\"补助\"收入,100,万元\n"
			   "北碚区,全区,2023,一般公共预算,执行,调入资金,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, NULL, FISC_DIAG_BAD_CSV, "未加引号的字段中出现引号",
		"quote inside an unquoted field");
	dfree(d);

	/* Text after a closing quote. */
	d = BAD(f, HDR ROW_OK
		       "北碚区,全区,2023,一般公共预算,执行,\"上级补助\"收入,100,万元\n"
		       "北碚区,全区,2023,一般公共预算,执行,调入资金,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, NULL, FISC_DIAG_BAD_CSV, "闭合引号后有多余字符",
		"characters after a closing quote");
	dfree(d);
}

static void err_missing_column(void **state)
{
	fx *f = *state;
	/* No item column, header only. */
	fisc_diag *d = BAD(f, "region,scope,year,book,phase,amount,unit\n", 1);
	DIAG_IS(d, 0, "t.csv", 1, NULL, "item", FISC_DIAG_MISSING_COLUMN,
		"缺少必需的列「item」", "required column 'item' is missing");
	dfree(d);

	/* …and with a data row: the header is the first problem named. */
	d = BAD(f, "region,scope,year,book,phase,amount,unit\n"
		   "北碚区,全区,2023,一般公共预算,执行,140078,万元\n", -1);
	DIAG_IS(d, 0, "t.csv", 1, NULL, "item", FISC_DIAG_MISSING_COLUMN,
		"缺少必需的列「item」", "required column 'item' is missing");
	dfree(d);

	/* Two required columns missing: both named, in column order. */
	d = BAD(f, "地区,口径,预算,科目,金额\n", 2);
	DIAG_IS(d, 0, "t.csv", 1, NULL, "year", FISC_DIAG_MISSING_COLUMN,
		"缺少必需的列「year」", "required column 'year' is missing");
	DIAG_IS(d, 1, "t.csv", 1, NULL, "phase", FISC_DIAG_MISSING_COLUMN,
		"缺少必需的列「phase」", "required column 'phase' is missing");
	dfree(d);

	/* No amount column: neither a facts table nor a regions table. */
	d = BAD(f, "region,scope,year,book,phase,item,unit\n"
		   "北碚区,全区,2023,一般公共预算,执行,非税收入,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 1, NULL, NULL, FISC_DIAG_MISSING_COLUMN,
		"无法识别表头：没有「amount/金额」列（事实表）、「indicator/三级指标」列（绩效指标表）、"
		"「section/章节」列（绩效文字表），也没有「code,name」列（地区表）",
		"unrecognised header: no 'amount' column (facts), 'indicator' (performance "
		"indicators), 'section' (performance texts) or 'code,name' (regions)");
	dfree(d);

	/* A regions table without its code column. */
	d = BAD(f, "name,level\n綦江区,区\n", -1);
	DIAG_IS(d, 0, "t.csv", 1, NULL, "code", FISC_DIAG_MISSING_COLUMN,
		"缺少必需的列「code」", "required column 'code' is missing");
	dfree(d);
}

static void err_unknown_column(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, "region,scope,year,book,phase,item,amount,unit,colour\n"
			      "北碚区,全区,2023,一般公共预算,执行,非税收入,140078,万元,red\n", 1);
	DIAG_IS(d, 0, "t.csv", 1, NULL, "colour", FISC_DIAG_UNKNOWN_COLUMN,
		"未知的列名「colour」", "unknown column 'colour'");
	dfree(d);

	/* The same column twice (English and Chinese names). */
	d = BAD(f, "region,scope,year,book,phase,item,amount,unit,金额\n"
		   "北碚区,全区,2023,一般公共预算,执行,非税收入,140078,万元,1\n", 1);
	DIAG_IS(d, 0, "t.csv", 1, NULL, "amount", FISC_DIAG_UNKNOWN_COLUMN,
		"列「amount」出现了两次", "column 'amount' appears twice");
	dfree(d);

	/* In a regions table. */
	d = BAD(f, "code,name,population\n500110,綦江区,800000\n", 1);
	DIAG_IS(d, 0, "t.csv", 1, NULL, "population", FISC_DIAG_UNKNOWN_COLUMN,
		"未知的列名「population」", "unknown column 'population'");
	dfree(d);
}

static void err_missing_field(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, HDR ROW_OK ",全区,2023,一般公共预算,执行,上级补助收入,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "region", FISC_DIAG_MISSING_FIELD, "地区为空",
		"region is empty");
	dfree(d);

	d = BAD(f, HDR ROW_OK "北碚区,全区, ,一般公共预算,执行,上级补助收入,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "year", FISC_DIAG_MISSING_FIELD, "年度为空",
		"year is empty");
	dfree(d);

	d = BAD(f, HDR ROW_OK "北碚区,,2023,一般公共预算,执行,上级补助收入,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "scope", FISC_DIAG_MISSING_FIELD, "口径为空",
		"scope is empty");
	dfree(d);

	d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,执行,,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "item", FISC_DIAG_MISSING_FIELD, "科目为空",
		"item is empty");
	dfree(d);

	/* A short row: the missing cells are empty. */
	d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算\n", 2);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "phase", FISC_DIAG_MISSING_FIELD, "阶段为空",
		"phase is empty");
	DIAG_IS(d, 1, "t.csv", 3, NULL, "item", FISC_DIAG_MISSING_FIELD, "科目为空",
		"item is empty");
	dfree(d);

	/* Regions: empty code, empty name. */
	d = BAD(f, "code,name\n500110,綦江区\n,万盛区\n500111,\n", 2);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "code", FISC_DIAG_MISSING_FIELD, "地区代码为空",
		"region code is empty");
	DIAG_IS(d, 1, "t.csv", 4, NULL, "name", FISC_DIAG_MISSING_FIELD, "地区名称为空",
		"region name is empty");
	dfree(d);
}

static void err_bad_value(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, HDR ROW_OK "北碚区,全世界,2023,一般公共预算,执行,上级补助收入,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "scope", FISC_DIAG_BAD_VALUE,
		"无法识别的口径「全世界」", "unknown scope '全世界'");
	dfree(d);

	d = BAD(f, HDR ROW_OK "北碚区,全区,2023,私人预算,执行,上级补助收入,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "book", FISC_DIAG_BAD_VALUE,
		"无法识别的预算类别「私人预算」", "unknown book '私人预算'");
	dfree(d);

	d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,中期,上级补助收入,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "phase", FISC_DIAG_BAD_VALUE,
		"无法识别的阶段「中期」", "unknown phase '中期'");
	dfree(d);

	d = BAD(f, HDR ROW_OK "北碚区,全区,20x4,一般公共预算,执行,上级补助收入,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "year", FISC_DIAG_BAD_VALUE,
		"年度「20x4」无效（应为 1949–2200 的四位数）",
		"bad year '20x4' (a four-digit year 1949–2200)");
	dfree(d);

	d = BAD(f, HDR ROW_OK "北碚区,全区,1800,一般公共预算,执行,上级补助收入,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "year", FISC_DIAG_BAD_VALUE,
		"年度「1800」无效（应为 1949–2200 的四位数）",
		"bad year '1800' (a four-digit year 1949–2200)");
	dfree(d);

	d = BAD(f, "region,scope,year,book,phase,item,amount,unit,kind\n"
		   "北碚区,全区,2023,一般公共预算,执行,非税收入,140078,万元,\n"
		   "北碚区,全区,2023,一般公共预算,执行,上级补助收入,100,万元,maybe\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "kind", FISC_DIAG_BAD_VALUE,
		"无法识别的类型「maybe」（应为 base 或 stated）",
		"unknown kind 'maybe' (base or stated)");
	dfree(d);

	d = BAD(f, "region,scope,year,book,phase,item,amount,unit,source,precision\n"
		   "北碚区,全区,2023,一般公共预算,执行,上级补助收入,100,万元,a.txt:1,roughly\n", 1);
	DIAG_IS(d, 0, "t.csv", 2, NULL, "precision", FISC_DIAG_BAD_VALUE,
		"无法识别的精度「roughly」（written 或 exact）",
		"unknown precision 'roughly' (written or exact)");
	dfree(d);

	/* An unknown unit word (the amount carries its own unit here). */
	d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,执行,上级补助收入,100万元,千元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "unit", FISC_DIAG_BAD_VALUE,
		"无法识别的单位「千元」（元、万元或亿元）", "unknown unit '千元' (元, 万元 or 亿元)");
	dfree(d);
}

static void err_bad_amount(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,执行,上级补助收入,\"12,3a\",万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "amount", FISC_DIAG_BAD_AMOUNT,
		"无法解析金额「12,3a」", "cannot parse amount '12,3a'");
	dfree(d);

	d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,执行,上级补助收入,\"1,23\",万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "amount", FISC_DIAG_BAD_AMOUNT,
		"千位分隔符位置不对「1,23」", "misplaced thousands separator '1,23'");
	dfree(d);

	d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,执行,上级补助收入,1.234,元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "amount", FISC_DIAG_BAD_AMOUNT,
		"小数位数超过分的精度「1.234」", "more decimals than a fen can hold '1.234'");
	dfree(d);

	d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,执行,上级补助收入,99999999999999999999,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "amount", FISC_DIAG_BAD_AMOUNT,
		"金额超出范围「99999999999999999999」",
		"amount out of range '99999999999999999999'");
	dfree(d);
}

/*
** The amount's message is split into its Chinese and English halves; an
** amount whose own text contains " / " must not move the split.
*/
static void err_bad_amount_with_slash(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,执行,上级补助收入,100 / 200,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "amount", FISC_DIAG_BAD_AMOUNT,
		"无法解析金额「100 / 200」", "cannot parse amount '100 / 200'");
	dfree(d);
}

/* An unparsable amount is a bad amount whatever its text says. */
static void err_bad_amount_text_says_no_unit(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,执行,上级补助收入,no unit,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "amount", FISC_DIAG_BAD_AMOUNT,
		"无法解析金额「no unit」", "cannot parse amount 'no unit'");
	dfree(d);
}

static void err_missing_unit(void **state)
{
	fx *f = *state;
	/* No unit column: an amount with its own unit is fine, one without is not. */
	fisc_diag *d = BAD(f, "region,scope,year,book,phase,item,amount\n"
			      "北碚区,全区,2023,一般公共预算,执行,非税收入,140078万元\n"
			      "北碚区,全区,2023,一般公共预算,执行,上级补助收入,100\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "amount", FISC_DIAG_MISSING_UNIT,
		"金额缺少单位（元、万元或亿元）「100」", "amount has no unit (元, 万元 or 亿元) '100'");
	dfree(d);

	/* A unit column whose cell is empty. */
	d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,执行,上级补助收入,3658.95,\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "amount", FISC_DIAG_MISSING_UNIT,
		"金额缺少单位（元、万元或亿元）「3658.95」",
		"amount has no unit (元, 万元 or 亿元) '3658.95'");
	dfree(d);
}

static void err_unknown_item(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,执行,不存在的科目,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "item", FISC_DIAG_UNKNOWN_ITEM,
		"未知科目「不存在的科目」（2024 年版科目目录、平衡表行和别名表中都没有）",
		"unknown item '不存在的科目' (not in the 2024 catalogue, the balance lines or the aliases)");
	dfree(d);

	/* A book-limited alias in another book is unknown there. */
	d = BAD(f, HDR ROW_OK "北碚区,全区,2023,政府性基金预算,执行,一般债务限额,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "item", FISC_DIAG_UNKNOWN_ITEM,
		"未知科目「一般债务限额」（2024 年版科目目录、平衡表行和别名表中都没有）",
		"unknown item '一般债务限额' (not in the 2024 catalogue, the balance lines or the aliases)");
	dfree(d);

	/* An economic code that is not an economic classification code. */
	d = BAD(f, "region,scope,year,book,phase,item,amount,unit,economic\n"
		   "北碚区,全区,2023,一般公共预算,执行,非税收入,140078,万元,30101\n"
		   "北碚区,全区,2023,一般公共预算,执行,上级补助收入,100,万元,205\n"
		   "北碚区,全区,2023,一般公共预算,执行,调入资金,100,万元,399999\n", 2);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "economic", FISC_DIAG_UNKNOWN_ITEM,
		"未知的经济分类代码「205」", "unknown economic classification code '205'");
	DIAG_IS(d, 1, "t.csv", 4, NULL, "economic", FISC_DIAG_UNKNOWN_ITEM,
		"未知的经济分类代码「399999」", "unknown economic classification code '399999'");
	dfree(d);
}

static void err_unknown_region(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, HDR ROW_OK "沙坪坝区,全区,2023,一般公共预算,执行,上级补助收入,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "region", FISC_DIAG_UNKNOWN_REGION,
		"未知地区「沙坪坝区」（请先导入地区表）",
		"unknown region '沙坪坝区' (import a regions file first)");
	dfree(d);

	/* A region's parent must exist. */
	d = BAD(f, "code,name,parent\n500110,綦江区,500109\n500106,沙坪坝区,500000\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "parent", FISC_DIAG_UNKNOWN_REGION,
		"上级地区「500000」不存在（需先导入）",
		"parent region '500000' does not exist (import it first)");
	dfree(d);
}

static void err_duplicate_fact_in_import(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, HDR ROW_OK
			   "北碚区,全区,2023,一般公共预算,执行,上级补助收入,100,万元\n"
			   "北碚区,全区,2023,一般公共预算,执行,非税收入,140079,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 4, NULL, "item", FISC_DIAG_DUPLICATE_FACT,
		"重复的事实：与 t.csv:2 的地区、口径、年度、预算、阶段、科目和明细都相同",
		"duplicate fact: same region, scope, year, book, phase, item and detail as t.csv:2");
	dfree(d);

	/* Two spellings of one item, the region by name and by code. */
	d = BAD(f, HDR
		"北碚区,全区,2023,一般公共预算,执行,上年结转,100,万元\n"
		"# a comment\n"
		"500109,全区,2023,gpb,execution,上年结余收入,100,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 4, NULL, "item", FISC_DIAG_DUPLICATE_FACT,
		"重复的事实：与 t.csv:2 的地区、口径、年度、预算、阶段、科目和明细都相同",
		"duplicate fact: same region, scope, year, book, phase, item and detail as t.csv:2");
	dfree(d);
}

static void err_duplicate_fact_in_store(void **state)
{
	fx *f = *state;
	/* 税收收入 2023 was imported by prev.csv in setup. */
	/* The same figure again: said to be identical. */
	fisc_diag *d = BAD(f, HDR ROW_OK "北碚区,全区,2023,一般公共预算,执行,税收收入,160198,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "amount", FISC_DIAG_DUPLICATE_FACT,
		"重复的事实：已存在：库中为 160198万元，文件中为 160198万元（与库中相同）",
		"duplicate fact: already stored: 160198万元, file: 160198万元 (identical to the "
		"stored value)");
	dfree(d);

	/* Another spelling (the line id, via 全区 = all) is the same key; a
	** corrected figure shows both, each in the unit it was written in. */
	d = BAD(f, HDR "500109,all,2023,gpb,execution,tax,1.6,亿元\n", 1);
	DIAG_IS(d, 0, "t.csv", 2, NULL, "amount", FISC_DIAG_DUPLICATE_FACT,
		"重复的事实：已存在：库中为 160198万元，文件中为 1.6亿元（已有的数不会被覆盖）",
		"duplicate fact: already stored: 160198万元, file: 1.6亿元 (a stored figure is not "
		"overwritten)");
	dfree(d);

	/* A blank cell against a stored figure. */
	d = BAD(f, HDR "500109,all,2023,gpb,execution,tax,,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 2, NULL, "amount", FISC_DIAG_DUPLICATE_FACT,
		"重复的事实：已存在：库中为 160198万元，文件中为 空白（已有的数不会被覆盖）",
		"duplicate fact: already stored: 160198万元, file: blank (a stored figure is not "
		"overwritten)");
	dfree(d);
}

static void err_duplicate_region(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, "code,name,level\n500110,綦江区,区\n500109,北培区,区\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "code",
		FISC_DIAG_DUPLICATE_REGION, "地区代码「500109」已存在，但名称或属性不同",
		"region code '500109' exists with a different name or attributes");
	dfree(d);

	/* Within one import. */
	d = BAD(f, "code,name\n500110,綦江区\n500110,万盛区\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "code", FISC_DIAG_DUPLICATE_REGION,
		"地区代码「500110」已存在，但名称或属性不同",
		"region code '500110' exists with a different name or attributes");
	dfree(d);

	/* Same name, another level. */
	d = BAD(f, "code,name,level\n500109,北碚区,县\n", 1);
	DIAG_IS(d, 0, "t.csv", 2, NULL, "code", FISC_DIAG_DUPLICATE_REGION,
		"地区代码「500109」已存在，但名称或属性不同",
		"region code '500109' exists with a different name or attributes");
	dfree(d);

	/* The same region with the same attributes is a no-op, not an error. */
	snap before = snapshot(f->st);
	fisc_diag *ok = dnew();
	fisc_import_stats s;
	const char *csv = "区划代码,名称,级别\n500109,北碚区,区\n";
	assert_int_equal(fisc_import_csv_buffer(f->st, "same.csv", csv, strlen(csv), ok, &s),
			 FISC_OK);
	assert_int_equal(fisc_diag_count(ok), 0);
	assert_int_equal(snapshot(f->st).regions, before.regions);
	dfree(ok);
}

static void err_io(void **state)
{
	fx *f = *state;
	char *good = tu_write(f->dir, "good.csv", HDR ROW_OK);
	char missing[600];
	snprintf(missing, sizeof missing, "%s/missing.csv", f->dir);
	const char *paths[] = {good, missing};
	snap before = snapshot(f->st);
	fisc_diag *d = dnew();
	fisc_import_stats s;
	int rc = fisc_import_files(f->st, paths, 2, d, &s);
	failed_unchanged(f->st, before, rc, d, &s, 1, __FILE__, __LINE__);
	DIAG_IS(d, 0, missing, 0, NULL, NULL, FISC_DIAG_IO, "无法读取文件",
		"cannot read the file: No such file or directory");
	dfree(d);

	/* A directory is not a readable file either. */
	const char *dirpath[] = {good, f->dir};
	d = dnew();
	rc = fisc_import_files(f->st, dirpath, 2, d, &s);
	failed_unchanged(f->st, before, rc, d, &s, 1, __FILE__, __LINE__);
	assert_int_equal(fisc_diag_get(d, 0)->kind, FISC_DIAG_IO);
	assert_string_equal(fisc_diag_get(d, 0)->file, f->dir);
	dfree(d);
	free(good);
}

static void err_too_many(void **state)
{
	fx *f = *state;
	size_t cap = 64 * 1024, n = 0;
	char *csv = malloc(cap);
	n += (size_t)snprintf(csv + n, cap - n, "%s", HDR);
	for (int i = 0; i < 150; i++)
		n += (size_t)snprintf(csv + n, cap - n,
				      "北碚区,全区,2023,一般公共预算,执行,没有%d,1,万元\n", i);
	fisc_diag *d = BADN(f, csv, n, 101);
	for (size_t i = 0; i < 100; i++) {
		const fisc_diag_entry *e = fisc_diag_get(d, i);
		assert_int_equal(e->kind, FISC_DIAG_UNKNOWN_ITEM);
		assert_int_equal(e->line, (long)i + 2);
	}
	DIAG_IS(d, 100, "t.csv", 0, NULL, NULL, FISC_DIAG_TOO_MANY, "错误过多，其余未列出",
		"too many errors; the rest are not listed");
	dfree(d);

	/* Exactly 100 problems: all listed, no marker. */
	n = (size_t)snprintf(csv, cap, "%s", HDR);
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(csv + n, cap - n,
				      "北碚区,全区,2023,一般公共预算,执行,没有%d,1,万元\n", i);
	d = BADN(f, csv, n, 100);
	assert_int_equal(fisc_diag_get(d, 99)->kind, FISC_DIAG_UNKNOWN_ITEM);
	dfree(d);
	free(csv);
}

/* ---- what must work ---------------------------------------------------- */

static fisc_import_stats good_at(fx *f, const char *name, const char *csv, size_t len,
				 const char *file, int line)
{
	fisc_diag *d = dnew();
	fisc_import_stats s;
	int rc = fisc_import_csv_buffer(f->st, name, csv, len, d, &s);
	if (rc != FISC_OK) {
		print_diag(d);
		print_error("import: %s\n", fisc_error_message());
	}
	_assert_int_equal((uintmax_t)rc, FISC_OK, file, line);
	_assert_int_equal(fisc_diag_count(d), 0, file, line);
	dfree(d);
	return s;
}
#define GOOD(f, csv) good_at(f, "t.csv", csv, strlen(csv), __FILE__, __LINE__)
#define GOODN(f, csv, len) good_at(f, "t.csv", csv, len, __FILE__, __LINE__)

static void ok_chinese_headers(void **state)
{
	fx *f = *state;
	int64_t before = fisc_store_fact_count(f->st);
	fisc_import_stats s = GOOD(f, "地区,口径,年度,预算,阶段,科目,金额,单位\n"
				      "北碚区,全区,2024,一般公共预算,预算数,非税收入,140078,万元\n"
				      "北碚区,区级,2024,政府性基金预算,执行数,上级补助收入,3658.95,万元\n");
	assert_int_equal(s.facts, 2);
	assert_int_equal(s.files, 1);
	assert_int_equal(fisc_store_fact_count(f->st), before + 2);

	const fcopy *c = fact_with(f->st, 2024, "nontax");
	assert_int_equal(c->f.region, f->beibei);
	assert_int_equal(c->f.year, 2024);
	assert_int_equal(c->f.scope, FISC_SCOPE_ALL);
	assert_int_equal(c->f.book, FISC_BOOK_GPB);
	assert_int_equal(c->f.phase, FISC_PHASE_BUDGET);
	assert_int_equal(c->f.kind, FISC_FACT_BASE);
	assert_int_equal(c->f.has_amount, 1);
	assert_int_equal(c->f.amount.fen, 140078000000LL);
	assert_int_equal(c->f.amount.unit, FISC_UNIT_WAN);
	assert_int_equal(c->f.amount.decimals, 0);
	assert_int_equal(c->f.amount.ulp, 1); /* exact: no source */
	assert_string_equal(c->dept, "");
	assert_string_equal(c->source, "");

	c = fact_with(f->st, 2024, "upper_subsidy");
	assert_int_equal(c->f.scope, FISC_SCOPE_SELF);
	assert_int_equal(c->f.book, FISC_BOOK_GFB);
	assert_int_equal(c->f.phase, FISC_PHASE_EXECUTION);
	assert_int_equal(c->f.amount.fen, 3658950000LL);
	assert_int_equal(c->f.amount.decimals, 2);

	/* The other spellings of the columns, and every optional column. */
	s = GOOD(f, "区划,级次,年份,账本,阶段,科目名称,金额,金额单位,类型,部门,项目,经济分类,"
		    "资金来源,精度,来源,备注\n"
		    "北碚区,全区,2025,gpb,adjusted,教育支出,１２，３４５,万元,表述,教委,"
		    "学前补助,30101,超收收入,written,003.txt:12,说明\n");
	assert_int_equal(s.facts, 1);
	c = fact_with(f->st, 2025, "205");
	assert_int_equal(c->f.phase, FISC_PHASE_ADJUSTED);
	assert_int_equal(c->f.kind, FISC_FACT_STATED);
	assert_int_equal(c->f.amount.fen, 12345000000LL);
	assert_int_equal(c->f.amount.ulp, 1000000);
	assert_string_equal(c->dept, "教委");
	assert_string_equal(c->project, "学前补助");
	assert_string_equal(c->econ, "30101");
	assert_string_equal(c->fund, "超收收入");
	assert_string_equal(c->source, "003.txt:12");
	assert_string_equal(c->note, "说明");
}

#define QHDR "region,scope,year,book,phase,item,amount,unit,note\n"
#define QROWS                                                                   \
	"北碚区,全区,2024,gpb,execution,非税收入,\"1,234\",万元,\"第一行\n"      \
	"第二行, 有逗号\n"                                                        \
	"# 不是注释\"\n"                                                          \
	"北碚区,全区,2024,gpb,execution,\"上级补助收入\",100,万元,\"他说\"\"好\"\"\"\n"

static void ok_quoted_fields(void **state)
{
	fx *f = *state;
	fisc_import_stats s = GOOD(f, QHDR QROWS);
	assert_int_equal(s.facts, 2);
	const fcopy *c = fact_with(f->st, 2024, "nontax");
	assert_int_equal(c->f.amount.fen, 1234000000LL);
	assert_string_equal(c->note, "第一行\n第二行, 有逗号\n# 不是注释");
	c = fact_with(f->st, 2024, "upper_subsidy");
	assert_string_equal(c->note, "他说\"好\"");
}

static void quoted_fields_keep_line_numbers(void **state)
{
	fx *f = *state;
	/* QROWS spans lines 2–5; the next record starts on line 6. */
	fisc_diag *d = BAD(f, QHDR QROWS
			   "北碚区,全区,2024,gpb,execution,没有这个,1,万元,\n"
			   "北碚区,全区,2024,gpb,execution,\"多行\n名称\",1,万元,\n"
			   "北碚区,全区,2024,gpb,execution,也没有,1,万元,\n", 3);
	DIAG_IS(d, 0, "t.csv", 6, NULL, "item", FISC_DIAG_UNKNOWN_ITEM,
		"未知科目「没有这个」（2024 年版科目目录、平衡表行和别名表中都没有）",
		"unknown item '没有这个' (not in the 2024 catalogue, the balance lines or the aliases)");
	DIAG_IS(d, 1, "t.csv", 7, NULL, "item", FISC_DIAG_UNKNOWN_ITEM,
		"未知科目「多行\n名称」（2024 年版科目目录、平衡表行和别名表中都没有）",
		"unknown item '多行\n名称' (not in the 2024 catalogue, the balance lines or the aliases)");
	DIAG_IS(d, 2, "t.csv", 9, NULL, "item", FISC_DIAG_UNKNOWN_ITEM,
		"未知科目「也没有」（2024 年版科目目录、平衡表行和别名表中都没有）",
		"unknown item '也没有' (not in the 2024 catalogue, the balance lines or the aliases)");
	dfree(d);
}

static void ok_crlf_and_bom(void **state)
{
	fx *f = *state;
	const char *csv = "\xEF\xBB\xBFregion,scope,year,book,phase,item,amount,unit,note\r\n"
			  "北碚区,全区,2024,gpb,execution,非税收入,140078,万元,\"a\r\nb\"\r\n"
			  "北碚区,全区,2024,gpb,execution,上级补助收入,100,万元,plain\r\n";
	fisc_import_stats s = GOOD(f, csv);
	assert_int_equal(s.facts, 2);
	const fcopy *c = fact_with(f->st, 2024, "nontax");
	assert_string_equal(c->note, "a\r\nb"); /* quoted content is kept as is */
	c = fact_with(f->st, 2024, "upper_subsidy");
	assert_string_equal(c->note, "plain"); /* no stray \r */
}

static void crlf_line_numbers(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, "\xEF\xBB\xBF" "region,scope,year,book,phase,item,amount,unit\r\n"
			      "# comment\r\n"
			      "\r\n"
			      "北碚区,全区,2024,gpb,execution,\"非税\r\n收入\",1,万元\r\n"
			      "北碚区,全区,2024,gpb,execution,没有,1,万元\r\n", 1);
	/* Lines 4–5 hold one record (非税收入, white space ignored in names);
	** the next record starts on line 6. */
	DIAG_IS(d, 0, "t.csv", 6, NULL, "item", FISC_DIAG_UNKNOWN_ITEM,
		"未知科目「没有」（2024 年版科目目录、平衡表行和别名表中都没有）",
		"unknown item '没有' (not in the 2024 catalogue, the balance lines or the aliases)");
	dfree(d);
}

static void ok_comments_and_blank_lines(void **state)
{
	fx *f = *state;
	fisc_import_stats s = GOOD(f, "# facts from report 003\n"
				      "\n" HDR "# 一般公共预算\n"
				      "\n"
				      "北碚区,全区,2024,gpb,execution,非税收入,140078,万元\n"
				      "#北碚区,全区,2024,gpb,execution,不存在,1,万元\n"
				      "\n");
	assert_int_equal(s.facts, 1);
	assert_int_equal(facts_of_year(f->st, 2024)->n, 1);

	/* Line numbers count comments and blank lines. */
	fisc_diag *d = BAD(f, "# c\n\n" HDR "# c\n\n北碚区,全区,2025,gpb,execution,没有,1,万元\n", 1);
	assert_int_equal(fisc_diag_get(d, 0)->line, 6);
	dfree(d);
}

static void ok_blank_amount(void **state)
{
	fx *f = *state;
	fisc_import_stats s = GOOD(f, HDR
				   "北碚区,全区,2024,gpb,execution,非税收入,,亿元\n"
				   "北碚区,全区,2024,gpb,execution,上级补助收入,  ,\n");
	assert_int_equal(s.facts, 2);
	const fcopy *c = fact_with(f->st, 2024, "nontax");
	assert_int_equal(c->f.has_amount, 0);
	assert_int_equal(c->f.amount.fen, 0);
	assert_int_equal(c->f.amount.unit, FISC_UNIT_YI);
	assert_int_equal(c->f.amount.ulp, 1);
	c = fact_with(f->st, 2024, "upper_subsidy");
	assert_int_equal(c->f.has_amount, 0);
	assert_int_equal(c->f.amount.unit, FISC_UNIT_WAN);

	/* No unit column at all: a blank amount needs none. */
	s = GOOD(f, "region,scope,year,book,phase,item,amount\n"
		    "北碚区,全区,2025,gpb,execution,非税收入,\n");
	assert_int_equal(s.facts, 1);
	assert_int_equal(fact_with(f->st, 2025, "nontax")->f.has_amount, 0);
	/* A zero is an amount. */
	s = GOOD(f, HDR "北碚区,全区,2026,gpb,execution,非税收入,0,万元\n");
	assert_int_equal(fact_with(f->st, 2026, "nontax")->f.has_amount, 1);
}

/* A unit written in the amount cell must agree with the unit column: 5亿元
** under 万元 is a slip in one of the two, and fisc cannot know which. */
static void err_amount_unit_disagrees_with_column(void **state)
{
	fx *f = *state;
	fisc_diag *d = BAD(f, HDR "北碚区,全区,2024,gpb,execution,非税收入,5亿元,万元\n"
			      "北碚区,全区,2024,gpb,execution,上级补助收入,2.29 元,亿元\n"
			      "北碚区,全区,2024,gpb,execution,调入资金,7万元,万元\n", 2);
	DIAG_IS(d, 0, "t.csv", 2, NULL, "amount", FISC_DIAG_BAD_AMOUNT,
		"金额「5亿元」自带的单位亿元与单位列的「万元」不一致",
		"the amount '5亿元' carries its own unit 亿元, which disagrees with the unit "
		"column '万元'");
	DIAG_IS(d, 1, "t.csv", 3, NULL, "amount", FISC_DIAG_BAD_AMOUNT,
		"金额「2.29 元」自带的单位元与单位列的「亿元」不一致",
		"the amount '2.29 元' carries its own unit 元, which disagrees with the unit "
		"column '亿元'");
	dfree(d);
}

static void ok_amount_unit_in_cell(void **state)
{
	fx *f = *state;
	/* Without a unit column, or with an empty unit cell, the amount's own
	** unit is the unit; the same unit written twice is fine. */
	GOOD(f, "region,scope,year,book,phase,item,amount\n"
		"北碚区,全区,2024,gpb,execution,非税收入,38.19亿元\n");
	GOOD(f, HDR "北碚区,全区,2024,gpb,execution,上级补助收入,2.29 元,\n"
		    "北碚区,全区,2024,gpb,execution,调入资金,(4.3)亿元,亿元\n");
	const fcopy *c = fact_with(f->st, 2024, "nontax");
	assert_int_equal(c->f.amount.fen, 381900000000LL);
	assert_int_equal(c->f.amount.unit, FISC_UNIT_YI);
	assert_int_equal(c->f.amount.decimals, 2);
	c = fact_with(f->st, 2024, "upper_subsidy");
	assert_int_equal(c->f.amount.fen, 229);
	assert_int_equal(c->f.amount.unit, FISC_UNIT_YUAN);
	c = fact_with(f->st, 2024, "transfer_in");
	assert_int_equal(c->f.amount.fen, -43000000000LL);
	assert_int_equal(c->f.amount.unit, FISC_UNIT_YI);
	assert_int_equal(c->f.amount.decimals, 1);
}

static void ok_precision(void **state)
{
	fx *f = *state;
	GOOD(f, "region,scope,year,book,phase,item,amount,unit,source,precision\n"
		"北碚区,全区,2024,gpb,execution,非税收入,41.5593,亿元,000.txt:5,\n"
		"北碚区,全区,2024,gpb,execution,上级补助收入,41.5593,亿元,000.txt:6,exact\n"
		"北碚区,全区,2024,gpb,execution,调入资金,3658.95,万元,,written\n"
		"北碚区,全区,2024,gpb,execution,上年结转,3658.95,万元,,\n"
		"北碚区,全区,2024,gpb,execution,债务转贷收入,2.5,万元,x:1,精确\n"
		"北碚区,全区,2024,gpb,execution,债务收入,2.5,万元,,按写法\n");
	/* Default with a source: written (± half a unit of the last digit). */
	const fcopy *c = fact_with(f->st, 2024, "nontax");
	assert_int_equal(c->f.amount.fen, 415593000000LL);
	assert_int_equal(c->f.amount.ulp, 1000000);
	assert_int_equal(c->f.amount.decimals, 4);
	assert_string_equal(c->source, "000.txt:5");
	c = fact_with(f->st, 2024, "upper_subsidy");
	assert_int_equal(c->f.amount.ulp, 1);
	assert_int_equal(c->f.amount.decimals, 4); /* still printed as written */
	c = fact_with(f->st, 2024, "transfer_in");
	assert_int_equal(c->f.amount.ulp, 10000);
	/* Default without a source: exact. */
	c = fact_with(f->st, 2024, "carry_in");
	assert_int_equal(c->f.amount.ulp, 1);
	c = fact_with(f->st, 2024, "debt_onlend_in");
	assert_int_equal(c->f.amount.ulp, 1);
	c = fact_with(f->st, 2024, "debt_in");
	assert_int_equal(c->f.amount.ulp, 100000);
}

static void ok_region_defined_in_same_import(void **state)
{
	fx *f = *state;
	char *regions = tu_write(f->dir, "regions.csv",
				 "code,name,parent,level,label_all,label_self,label_lower\n"
				 "500110,綦江区,北碚区,区,全区,区本级,街镇级\n");
	char *facts = tu_write(f->dir, "facts.csv", HDR
			       "綦江区,全区,2024,gpb,execution,非税收入,1,万元\n"
			       "500110,区本级,2024,gpb,execution,非税收入,2,万元\n");
	const char *paths[] = {regions, facts};
	fisc_diag *d = dnew();
	fisc_import_stats s;
	long regions_before = region_count(f->st);
	int rc = fisc_import_files(f->st, paths, 2, d, &s);
	if (rc != FISC_OK)
		print_diag(d);
	assert_int_equal(rc, FISC_OK);
	assert_int_equal(s.files, 2);
	assert_int_equal(s.regions, 1);
	assert_int_equal(s.facts, 2);
	dfree(d);
	assert_int_equal(region_count(f->st), regions_before + 1);

	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	assert_int_equal(fisc_store_region_find(f->st, "綦江区", a, &r), FISC_OK);
	assert_string_equal(r.code, "500110");
	assert_string_equal(r.parent_code, "500109");
	assert_string_equal(r.label_self, "区本级");
	assert_string_equal(r.label_lower, "街镇级");
	flist *l = facts_of_year(f->st, 2024);
	assert_int_equal(l->n, 2);
	assert_int_equal(l->v[0].f.region, r.id);
	assert_int_equal(l->v[0].f.scope, FISC_SCOPE_ALL);
	assert_int_equal(l->v[1].f.region, r.id);
	assert_int_equal(l->v[1].f.scope, FISC_SCOPE_SELF);
	fisc_arena_free(a);
	free(regions);
	free(facts);
}

/* One import is one batch: a regions file given after the facts (as
** `fisc import *.csv` orders regions.csv), and a child region listed before
** its parent, are found all the same. */
static void region_defined_later_is_found(void **state)
{
	fx *f = *state;
	char *facts = tu_write(f->dir, "facts.csv", HDR
			       "綦江区,全区,2024,gpb,execution,非税收入,1,万元\n"
			       "500110-X,全区,2024,gpb,execution,非税收入,2,万元\n");
	char *regions = tu_write(f->dir, "regions.csv", "code,name,parent\n"
				 "500110-X,綦江开发区,500110\n"
				 "500110,綦江区,\n");
	const char *paths[] = {facts, regions};
	fisc_diag *d = dnew();
	fisc_import_stats s;
	int rc = fisc_import_files(f->st, paths, 2, d, &s);
	if (rc != FISC_OK)
		print_diag(d);
	assert_int_equal(rc, FISC_OK);
	assert_int_equal(s.regions, 2);
	assert_int_equal(s.facts, 2);
	dfree(d);

	/* Still unknown after the whole batch: reported, in line order. */
	char *more = tu_write(f->dir, "more.csv", HDR
			      "沙坪坝区,全区,2025,gpb,execution,非税收入,1,万元\n"
			      "北碚区,全区,2025,gpb,execution,非税收入,x,万元\n"
			      "江北区,全区,2025,gpb,execution,非税收入,1,万元\n");
	const char *paths2[] = {more};
	snap before = snapshot(f->st);
	d = dnew();
	rc = fisc_import_files(f->st, paths2, 1, d, &s);
	failed_unchanged(f->st, before, rc, d, &s, 3, __FILE__, __LINE__);
	DIAG_IS(d, 0, more, 2, NULL, "region", FISC_DIAG_UNKNOWN_REGION,
		"未知地区「沙坪坝区」（请先导入地区表）",
		"unknown region '沙坪坝区' (import a regions file first)");
	DIAG_IS(d, 1, more, 3, NULL, "amount", FISC_DIAG_BAD_AMOUNT, "无法解析金额「x」",
		"cannot parse amount 'x'");
	DIAG_IS(d, 2, more, 4, NULL, "region", FISC_DIAG_UNKNOWN_REGION,
		"未知地区「江北区」（请先导入地区表）",
		"unknown region '江北区' (import a regions file first)");
	dfree(d);
	free(facts);
	free(regions);
	free(more);
}


/* ---- values that used to be read wrong, silently (issue 10, item 8) ---- */

static void err_nul_byte_in_cell(void **state)
{
	fx *f = *state;
	static const char csv[] = HDR "北碚区,全区,2024,gpb,execution,非税收入,100\0999,万元\n";
	fisc_diag *d = BADN(f, csv, sizeof csv - 1, 1);
	DIAG_IS(d, 0, "t.csv", 2, NULL, "amount", FISC_DIAG_BAD_VALUE,
		"单元格中有 NUL 字节（\\0），其后的内容会丢失",
		"the cell holds a NUL byte (\\0); what follows it would be lost");
	dfree(d);
}

static void err_digit_lookalikes(void **state)
{
	fx *f = *state;
	/* 100² is not 1002 and ① is not 1 (NFKC would make them so). */
	fisc_diag *d = BAD(f, HDR "北碚区,全区,2024,gpb,execution,非税收入,100²,万元\n"
			      "北碚区,全区,2024,gpb,execution,上级补助收入,①,万元\n"
			      "北碚区,全区,2024,gpb,execution,调入资金,１２３．５,万元\n", 2);
	DIAG_IS(d, 0, "t.csv", 2, NULL, "amount", FISC_DIAG_BAD_AMOUNT,
		"金额中有不是数字的字符（上标、带圈数字等不能当作数字）「100²」",
		"amount holds a character that is not a digit (superscript and circled digits "
		"are not digits) '100²'");
	DIAG_IS(d, 1, "t.csv", 3, NULL, "amount", FISC_DIAG_BAD_AMOUNT,
		"金额中有不是数字的字符（上标、带圈数字等不能当作数字）「①」",
		"amount holds a character that is not a digit (superscript and circled digits "
		"are not digits) '①'");
	dfree(d);
	/* Full-width digits and the ideographic space are the same digits. */
	GOOD(f, HDR "北碚区,全区,2024,gpb,execution,调入资金,\u3000１２３．５,万元\n");
	assert_int_equal(fact_with(f->st, 2024, "transfer_in")->f.amount.fen, 123500000LL);
}

static void err_cells_beyond_header(void **state)
{
	fx *f = *state;
	/* A ninth cell under no column, and a cell under an empty header cell. */
	fisc_diag *d = BAD(f, HDR "北碚区,全区,2024,gpb,execution,非税收入,1,万元,2\n"
			      "北碚区,全区,2024,gpb,execution,调入资金,1,万元,,\n", 1);
	DIAG_IS(d, 0, "t.csv", 2, NULL, NULL, FISC_DIAG_UNKNOWN_COLUMN,
		"第 9 列不为空，但表头中没有这一列（内容会被丢弃）",
		"column 9 is not empty but the header has no column there (it would be dropped)");
	dfree(d);
	d = BAD(f, "region,scope,year,,book,phase,item,amount,unit\n"
		   "北碚区,全区,2024,x,gpb,execution,非税收入,1,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 2, NULL, NULL, FISC_DIAG_UNKNOWN_COLUMN,
		"第 4 列不为空，但表头中没有这一列（内容会被丢弃）",
		"column 4 is not empty but the header has no column there (it would be dropped)");
	dfree(d);
	/* Empty trailing cells (spreadsheets write them) are fine. */
	GOOD(f, HDR "北碚区,全区,2024,gpb,execution,非税收入,1,万元,, \n");
}

static void err_region_name_twice(void **state)
{
	fx *f = *state;
	/* Within one import. */
	fisc_diag *d = BAD(f, "code,name\n500110,綦江区\n500111,綦江区\n", 1);
	DIAG_IS(d, 0, "t.csv", 3, NULL, "name", FISC_DIAG_DUPLICATE_REGION,
		"地区名称「綦江区」重复：t.csv:2 已用于代码 500110，这里又用于代码 500111",
		"region name '綦江区' given twice: to code 500110 at t.csv:2 and here to code "
		"500111");
	dfree(d);
	/* Against the store (北碚区 is 500109). */
	d = BAD(f, "code,name\n500199,北碚区\n", 1);
	DIAG_IS(d, 0, "t.csv", 2, NULL, "name", FISC_DIAG_DUPLICATE_REGION,
		"地区名称「北碚区」已被数据库中的地区 500109 使用，不能再用于代码 500199",
		"region name '北碚区' is already used by region 500109 in the store; it cannot "
		"name code 500199 too");
	dfree(d);
	/* The same region again is no conflict. */
	GOOD(f, "code,name,level\n500109,北碚区,区\n500110,綦江区,区\n500110,綦江区,区\n");
}

/* A one-sheet workbook from raw worksheet XML, written to dir/name. */
static char *raw_xlsx(const char *dir, const char *name, const char *sheet_xml)
{
	static const char wb[] =
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
	static const char rels[] =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		"relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats"
		".org/officeDocument/2006/relationships/worksheet\" "
		"Target=\"worksheets/sheet1.xml\"/></Relationships>";
	const char *parts[][2] = {{"xl/workbook.xml", wb},
				  {"xl/_rels/workbook.xml.rels", rels},
				  {"xl/worksheets/sheet1.xml", sheet_xml}};
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	assert_non_null(path);
	sprintf(path, "%s/%s", dir, name);
	int err;
	zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(za);
	for (int i = 0; i < 3; i++) {
		zip_source_t *src = zip_source_buffer(za, parts[i][1], strlen(parts[i][1]), 0);
		assert_non_null(src);
		assert_true(zip_file_add(za, parts[i][0], src, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	return path;
}

#define XCELL(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"
#define XHEAD                                                                          \
	"<row r=\"1\">" XCELL("A1", "region") XCELL("B1", "scope") XCELL("C1", "year")    \
	XCELL("D1", "book") XCELL("E1", "phase") XCELL("F1", "item") XCELL("G1", "amount") \
	XCELL("H1", "unit") "</row>"
#define XSHEET(rows)                                                                   \
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
	"<sheetData>" XHEAD rows "</sheetData></worksheet>"
#define XROW(n, year, amount)                                                          \
	"<row r=\"" #n "\">" XCELL("A" #n, "北碚区") XCELL("B" #n, "全区") year            \
	XCELL("D" #n, "gpb") XCELL("E" #n, "execution") XCELL("F" #n, "非税收入") amount   \
	XCELL("H" #n, "万元") "</row>"

static void err_xlsx_formula_without_value(void **state)
{
	fx *f = *state;
	char *path = raw_xlsx(f->dir, "f.xlsx",
			      XSHEET(XROW(2, "<c r=\"C2\"><v>2024</v></c>",
					  "<c r=\"G2\"><f>SUM(Z1:Z9)</f></c>")));
	const char *paths[] = {path};
	snap before = snapshot(f->st);
	fisc_diag *d = dnew();
	fisc_import_stats s;
	int rc = fisc_import_files(f->st, paths, 1, d, &s);
	failed_unchanged(f->st, before, rc, d, &s, -1, __FILE__, __LINE__);
	DIAG_IS(d, 0, path, 2, "S!G2", "amount", FISC_DIAG_BAD_VALUE,
		"公式没有缓存值，请在 Excel 中重新计算后保存",
		"formula without a cached value (recalculate and save the workbook in Excel)");
	dfree(d);
	free(path);
}

/* 年度 written "2025年" (or 年度, or in full width), in CSV and XLSX. */
static void ok_year_with_nian(void **state)
{
	fx *f = *state;
	GOOD(f, HDR "北碚区,全区,2025年,gpb,execution,非税收入,1,万元\n"
		    "北碚区,全区,２０２６年度,gpb,execution,非税收入,2,万元\n"
		    "北碚区,全区, 2027 年 ,gpb,execution,非税收入,3,万元\n");
	assert_int_equal(fact_with(f->st, 2025, "nontax")->f.amount.fen, 1000000);
	assert_int_equal(fact_with(f->st, 2026, "nontax")->f.amount.fen, 2000000);
	assert_int_equal(fact_with(f->st, 2027, "nontax")->f.amount.fen, 3000000);
	char *path = raw_xlsx(f->dir, "y.xlsx",
			      XSHEET(XROW(2, XCELL("C2", "2028年"), "<c r=\"G2\"><v>4</v></c>")
				     XROW(3, "<c r=\"C3\"><v>2029</v></c>", "<c r=\"G3\"><v>5</v></c>")));
	const char *paths[] = {path};
	fisc_diag *d = dnew();
	fisc_import_stats s;
	int rc = fisc_import_files(f->st, paths, 1, d, &s);
	if (rc != FISC_OK)
		print_diag(d);
	assert_int_equal(rc, FISC_OK);
	assert_int_equal(fact_with(f->st, 2028, "nontax")->f.amount.fen, 4000000);
	assert_int_equal(fact_with(f->st, 2029, "nontax")->f.amount.fen, 5000000);
	dfree(d);
	free(path);
	/* Still a year: no other words around it. */
	d = BAD(f, HDR "北碚区,全区,2025年度预算,gpb,execution,非税收入,1,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 2, NULL, "year", FISC_DIAG_BAD_VALUE,
		"年度「2025年度预算」无效（应为 1949–2200 的四位数）",
		"bad year '2025年度预算' (a four-digit year 1949–2200)");
	dfree(d);
}

/* ---- encodings (issue 10, item 12) ------------------------------------- */

static char *to_encoding(const char *enc, const char *utf8, size_t *len)
{
	iconv_t cd = iconv_open(enc, "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t il = strlen(utf8), cap = 4 * il + 8, ol = cap;
	char *out = malloc(cap), *op = out, *ip = (char *)utf8;
	assert_non_null(out);
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	*len = cap - ol;
	return out;
}

static char *write_bytes(const char *dir, const char *name, const char *buf, size_t len)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	assert_non_null(path);
	sprintf(path, "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void import_converted(fx *f, const char *enc, const char *name, const char *note_zh,
			     const char *note_en)
{
	static const char csv[] = "地区,口径,年度,预算,阶段,科目,金额,单位\n"
				  "北碚区,全区,2024年,一般公共预算,执行,非税收入,140078,万元\n"
				  "北碚区,本级,2024年,一般公共预算,执行,非税收入,130078,万元\n";
	size_t len;
	char *bytes = to_encoding(enc, csv, &len);
	char *path = write_bytes(f->dir, name, bytes, len);
	const char *paths[] = {path};
	fisc_diag *d = dnew();
	fisc_import_stats s;
	int rc = fisc_import_files(f->st, paths, 1, d, &s);
	if (rc != FISC_OK)
		print_diag(d);
	assert_int_equal(rc, FISC_OK);
	assert_int_equal(s.facts, 2);
	/* Noted once, and the note is no error. */
	assert_int_equal(fisc_diag_count(d), 1);
	assert_int_equal(fisc_diag_errors(d), 0);
	DIAG_IS(d, 0, path, 0, NULL, NULL, FISC_DIAG_NOTE, note_zh, note_en);
	char buf[1024];
	fisc_diag_format(fisc_diag_get(d, 0), buf, sizeof buf);
	assert_non_null(strstr(buf, ": 注意："));
	dfree(d);
	free(bytes);
	free(path);
}

static void ok_gb18030_csv(void **state)
{
	fx *f = *state;
	import_converted(f, "GB18030", "gbk.csv", "文件不是 UTF-8 编码，已按 GB18030 转换后读取",
			 "the file is not UTF-8; converted from GB18030");
	flist *l = facts_of_year(f->st, 2024);
	assert_int_equal(l->n, 2);
}

static void ok_utf16_csv(void **state)
{
	fx *f = *state;
	/* iconv's "UTF-16" writes a byte-order mark, as Excel does. */
	import_converted(f, "UTF-16", "u16.csv", "文件不是 UTF-8 编码，已按 UTF-16 转换后读取",
			 "the file is not UTF-8; converted from UTF-16");
}

static void err_neither_utf8_nor_gb18030(void **state)
{
	fx *f = *state;
	/* Bytes no encoding fisc knows can decode, on three lines: one error
	** for the file, naming the first line, not one per line. */
	static const char csv[] = HDR "\xFF\xFF,all,2023,gpb,execution,tax,1,万元\n"
				      "\xFF\xFF,all,2023,gpb,execution,nontax,1,万元\n"
				      "\xFF\xFF,all,2023,gpb,execution,205,1,万元\n";
	fisc_diag *d = BADN(f, csv, sizeof csv - 1, 1);
	DIAG_IS(d, 0, "t.csv", 2, NULL, NULL, FISC_DIAG_BAD_UTF8,
		"文件既不是 UTF-8 也不是 GB18030（GBK）编码，从本行起无法解码（请另存为 UTF-8）",
		"the file is neither UTF-8 nor GB18030 (GBK); it cannot be decoded from this line "
		"on (save it as UTF-8)");
	dfree(d);
}

/* ---- a file changed while it is imported (issue 10, item 7) ------------ */

static off_t hook_size;
static int hook_calls;

/* Another process cuts the file: the importer's descriptor is read-only. */
static void shrink_file(int fd, const char *path)
{
	(void)fd;
	hook_calls++;
	if (truncate(path, hook_size) != 0)
		hook_calls = -100;
}

static void grow_file(int fd, const char *path)
{
	hook_calls++;
	FILE *fp = fopen(path, "ab");
	if (!fp || fputs("北碚区,全区,2030,gpb,execution,非税收入,1,万元\n", fp) < 0 ||
	    fclose(fp) != 0)
		hook_calls = -100;
	(void)fd;
}

static void changed_during_import(fx *f, const char *path, void (*hook)(int, const char *))
{
	const char *paths[] = {path};
	snap before = snapshot(f->st);
	fisc_diag *d = dnew();
	fisc_import_stats s;
	hook_calls = 0;
	fisc_filebuf_test_hook = hook;
	int rc = fisc_import_files(f->st, paths, 1, d, &s);
	fisc_filebuf_test_hook = NULL;
	assert_int_equal(hook_calls, 1);
	failed_unchanged(f->st, before, rc, d, &s, 1, __FILE__, __LINE__);
	char zh[1200], en[1200];
	snprintf(zh, sizeof zh, "文件在导入过程中被修改：%s（请等文件写完后重新导入）", path);
	snprintf(en, sizeof en,
		 "file changed during import: %s (import it again once it is complete)", path);
	DIAG_IS(d, 0, path, 0, NULL, NULL, FISC_DIAG_IO, zh, en);
	dfree(d);
}

static void err_file_changed_during_import(void **state)
{
	fx *f = *state;
	/* Cut in the middle of a line whose first half is a valid row: read
	** as it is found, it would import the first rows and a wrong amount. */
	const char *csv = HDR "北碚区,全区,2024,gpb,execution,非税收入,140078,万元\n"
			      "北碚区,全区,2024,gpb,execution,调入资金,123456,万元\n";
	char *path = tu_write(f->dir, "cut.csv", csv);
	hook_size = (off_t)(strlen(csv) - 6); /* ...,调入资金,12 */
	changed_during_import(f, path, shrink_file);
	free(path);

	path = tu_write(f->dir, "grow.csv", csv);
	changed_during_import(f, path, grow_file);
	free(path);

	/* A workbook too: its zip directory is at the end. */
	path = raw_xlsx(f->dir, "cut.xlsx",
			XSHEET(XROW(2, "<c r=\"C2\"><v>2024</v></c>", "<c r=\"G2\"><v>1</v></c>")));
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	hook_size = sb.st_size / 2;
	changed_during_import(f, path, shrink_file);
	free(path);
}

static void ok_item_aliases(void **state)
{
	fx *f = *state;
	fisc_import_stats s = GOOD(f, HDR
				   "北碚区,全区,2024,gpb,execution,上年结余,1,万元\n"
				   "北碚区,全区,2024,gpb,execution,债务（转贷）收入,2,万元\n"
				   "北碚区,全区,2024,gpb,execution,205,3,万元\n"
				   "北碚区,全区,2024,gpb,execution,学前教育,4,万元\n"
				   "北碚区,全区,2024,gpb,execution,一般债务限额,5,万元\n"
				   "北碚区,全区,2024,gpb,execution,税收返还,6,万元\n"
				   "北碚区,全区,2024,gpb,execution,upper_subsidy,7,万元\n");
	assert_int_equal(s.facts, 7);
	flist *l = facts_of_year(f->st, 2024);
	assert_int_equal(l->n, 7);
	const char *want[] = {"carry_in", "debt_onlend_in", "205", "2050201",
			      "debt_limit", "11001", "upper_subsidy"};
	for (int i = 0; i < 7; i++) {
		assert_string_equal(l->v[i].item, want[i]);
		assert_int_equal(l->v[i].f.amount.fen, (i + 1) * 1000000LL);
	}
}

/* ---- catalogue editions seen through the importer ---------------------- */

/* A tiny edition directory: 205 and a new code 2050210 only. */
static char *write_edition(const char *base)
{
	char dir[600];
	snprintf(dir, sizeof dir, "%s/edition", base);
	assert_int_equal(mkdir(dir, 0700), 0);
	free(tu_write(dir, "revenue.csv", "code,name,level,parent_code\n110,转移性收入,1,\n"));
	free(tu_write(dir, "expenditure_function.csv",
		      "code,name,level,parent_code\n205,教育支出,1,\n20502,普通教育,2,205\n"
		      "2050210,新设教育项目,3,20502\n"));
	free(tu_write(dir, "expenditure_economic_government.csv",
		      "code,name,level,parent_code\n501,机关工资福利支出,1,\n"));
	free(tu_write(dir, "expenditure_economic_department.csv",
		      "code,name,level,parent_code\n301,工资福利支出,1,\n"));
	return strdup(dir);
}

static void edition_follows_year(void **state)
{
	fx *f = *state;
	char *dir = write_edition(f->dir);
	assert_int_equal(fisc_catalog_import_dir(f->st, 2026, dir), FISC_OK);
	free(dir);
	GOOD(f, HDR "北碚区,全区,2026,gpb,execution,2050210,1,万元\n"
		    "北碚区,全区,2027,gpb,execution,新设教育项目,2,万元\n");
	assert_string_equal(fact_with(f->st, 2027, "2050210")->item, "2050210");
	/* 2025 is governed by the bundled 2024 edition, which lacks the code. */
	fisc_diag *d = BAD(f, HDR "北碚区,全区,2025,gpb,execution,2050210,1,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 2, NULL, "item", FISC_DIAG_UNKNOWN_ITEM,
		"未知科目「2050210」（2024 年版科目目录、平衡表行和别名表中都没有）",
		"unknown item '2050210' (not in the 2024 catalogue, the balance lines or the aliases)");
	dfree(d);
	/* …and 2026 lacks what only 2024 has. */
	d = BAD(f, HDR "北碚区,全区,2026,gpb,execution,2050202,1,万元\n", 1);
	DIAG_IS(d, 0, "t.csv", 2, NULL, "item", FISC_DIAG_UNKNOWN_ITEM,
		"未知科目「2050202」（2026 年版科目目录、平衡表行和别名表中都没有）",
		"unknown item '2050202' (not in the 2026 catalogue, the balance lines or the aliases)");
	dfree(d);
}

/* A ten-year series where every year has its own edition: one import. */
static void many_editions_in_one_import(void **state)
{
	fx *f = *state;
	char *dir = write_edition(f->dir);
	for (int y = 2025; y <= 2033; y++)
		assert_int_equal(fisc_catalog_import_dir(f->st, y, dir), FISC_OK);
	free(dir);
	char csv[4096];
	size_t n = (size_t)snprintf(csv, sizeof csv, "%s", HDR);
	for (int y = 2024; y <= 2033; y++)
		n += (size_t)snprintf(csv + n, sizeof csv - n,
				      "北碚区,全区,%d,gpb,execution,205,%d,万元\n", y, y);
	fisc_import_stats s = GOODN(f, csv, n);
	assert_int_equal(s.facts, 10);
	for (int y = 2024; y <= 2033; y++)
		assert_int_equal(fact_with(f->st, y, "205")->f.amount.fen, y * 1000000LL);
}

/* ---- XLSX -------------------------------------------------------------- */

static void write_header(lxw_worksheet *ws)
{
	static const char *const h[] = {"地区", "口径", "年度", "预算", "阶段", "科目", "金额", "单位"};
	for (int i = 0; i < 8; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)i, h[i], NULL);
}

static void write_row(lxw_worksheet *ws, int r, const char *region, const char *item,
		      double amount, const char *amount_text)
{
	worksheet_write_string(ws, (lxw_row_t)r, 0, region, NULL);
	worksheet_write_string(ws, (lxw_row_t)r, 1, "全区", NULL);
	worksheet_write_number(ws, (lxw_row_t)r, 2, 2024, NULL);
	worksheet_write_string(ws, (lxw_row_t)r, 3, "一般公共预算", NULL);
	worksheet_write_string(ws, (lxw_row_t)r, 4, "执行", NULL);
	worksheet_write_string(ws, (lxw_row_t)r, 5, item, NULL);
	if (amount_text)
		worksheet_write_string(ws, (lxw_row_t)r, 6, amount_text, NULL);
	else
		worksheet_write_number(ws, (lxw_row_t)r, 6, amount, NULL);
	worksheet_write_string(ws, (lxw_row_t)r, 7, "万元", NULL);
}

static void ok_xlsx(void **state)
{
	fx *f = *state;
	char path[600];
	snprintf(path, sizeof path, "%s/book.xlsx", f->dir);
	lxw_workbook *wb = workbook_new(path);
	assert_non_null(wb);
	/* A regions sheet first, then facts that use the new region. */
	lxw_worksheet *ws = workbook_add_worksheet(wb, "地区");
	worksheet_write_string(ws, 0, 0, "code", NULL);
	worksheet_write_string(ws, 0, 1, "name", NULL);
	worksheet_write_string(ws, 0, 2, "parent", NULL);
	worksheet_write_string(ws, 1, 0, "500110", NULL);
	worksheet_write_string(ws, 1, 1, "綦江区", NULL);
	worksheet_write_string(ws, 1, 2, "500109", NULL);
	ws = workbook_add_worksheet(wb, NULL); /* Sheet2 */
	write_header(ws);
	write_row(ws, 1, "北碚区", "非税收入", 140078, NULL);
	write_row(ws, 2, "北碚区", "上级补助收入", 3658.95, NULL);
	write_row(ws, 3, "綦江区", "上年结余", 0, "401,746");
	write_row(ws, 4, "北碚区", "调入资金", -4.3, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	const char *paths[] = {path};
	fisc_diag *d = dnew();
	fisc_import_stats s;
	int rc = fisc_import_files(f->st, paths, 1, d, &s);
	if (rc != FISC_OK)
		print_diag(d);
	assert_int_equal(rc, FISC_OK);
	assert_int_equal(s.files, 1);
	assert_int_equal(s.regions, 1);
	assert_int_equal(s.facts, 4);
	dfree(d);

	const fcopy *c = fact_with(f->st, 2024, "nontax");
	assert_int_equal(c->f.region, f->beibei);
	assert_int_equal(c->f.amount.fen, 140078000000LL);
	assert_int_equal(c->f.amount.unit, FISC_UNIT_WAN);
	assert_int_equal(c->f.phase, FISC_PHASE_EXECUTION);
	c = fact_with(f->st, 2024, "upper_subsidy");
	assert_int_equal(c->f.amount.fen, 3658950000LL);
	assert_int_equal(c->f.amount.decimals, 2);
	c = fact_with(f->st, 2024, "carry_in");
	assert_int_not_equal(c->f.region, f->beibei);
	assert_int_equal(c->f.amount.fen, 401746000000LL);
	c = fact_with(f->st, 2024, "transfer_in");
	assert_int_equal(c->f.amount.fen, -4300000LL);
	assert_int_equal(c->f.amount.decimals, 1);
}

static void err_xlsx_cell(void **state)
{
	fx *f = *state;
	char path[600];
	snprintf(path, sizeof path, "%s/bad.xlsx", f->dir);
	lxw_workbook *wb = workbook_new(path);
	assert_non_null(wb);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL); /* Sheet1 */
	write_header(ws);
	write_row(ws, 1, "北碚区", "非税收入", 140078, NULL);
	write_row(ws, 2, "北碚区", "上级补助收入", 0, "12,3a");
	write_row(ws, 3, "沙坪坝区", "调入资金", 1, NULL);
	worksheet_write_string(ws, 4, 0, "北碚区", NULL); /* row 5: no item */
	worksheet_write_string(ws, 4, 1, "全区", NULL);
	worksheet_write_number(ws, 4, 2, 2024, NULL);
	worksheet_write_string(ws, 4, 3, "gpb", NULL);
	worksheet_write_string(ws, 4, 4, "execution", NULL);
	worksheet_write_number(ws, 4, 6, 1, NULL);
	worksheet_write_string(ws, 4, 7, "万元", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	const char *paths[] = {path};
	snap before = snapshot(f->st);
	fisc_diag *d = dnew();
	fisc_import_stats s;
	int rc = fisc_import_files(f->st, paths, 1, d, &s);
	failed_unchanged(f->st, before, rc, d, &s, 3, __FILE__, __LINE__);
	DIAG_IS(d, 0, path, 3, "Sheet1!G3", "amount", FISC_DIAG_BAD_AMOUNT,
		"无法解析金额「12,3a」", "cannot parse amount '12,3a'");
	DIAG_IS(d, 1, path, 4, "Sheet1!A4", "region", FISC_DIAG_UNKNOWN_REGION,
		"未知地区「沙坪坝区」（请先导入地区表）",
		"unknown region '沙坪坝区' (import a regions file first)");
	DIAG_IS(d, 2, path, 5, "Sheet1!F5", "item", FISC_DIAG_MISSING_FIELD, "科目为空",
		"item is empty");
	/* The formatted message names the cell. */
	char buf[1024];
	fisc_diag_format(fisc_diag_get(d, 0), buf, sizeof buf);
	char want[1200];
	snprintf(want, sizeof want,
		 "%s:Sheet1!G3: 字段「amount」：无法解析金额「12,3a」 | field 'amount': "
		 "cannot parse amount '12,3a' [bad-amount]", path);
	assert_string_equal(buf, want);
	dfree(d);
}

/* A duplicate in another sheet names the sheet of the first occurrence. */
static void err_xlsx_duplicate_across_sheets(void **state)
{
	fx *f = *state;
	char path[600];
	snprintf(path, sizeof path, "%s/dup.xlsx", f->dir);
	lxw_workbook *wb = workbook_new(path);
	assert_non_null(wb);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL); /* Sheet1 */
	write_header(ws);
	write_row(ws, 1, "北碚区", "非税收入", 1, NULL);
	ws = workbook_add_worksheet(wb, NULL); /* Sheet2 */
	write_header(ws);
	write_row(ws, 1, "北碚区", "非税收入", 2, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	const char *paths[] = {path};
	snap before = snapshot(f->st);
	fisc_diag *d = dnew();
	fisc_import_stats s;
	int rc = fisc_import_files(f->st, paths, 1, d, &s);
	failed_unchanged(f->st, before, rc, d, &s, 1, __FILE__, __LINE__);
	const fisc_diag_entry *e = fisc_diag_get(d, 0);
	assert_int_equal(e->kind, FISC_DIAG_DUPLICATE_FACT);
	assert_string_equal(e->cell, "Sheet2!F2");
	/* "as book.xlsx:2" does not say which sheet's row 2. */
	if (!strstr(e->msg_en, "Sheet1") || !strstr(e->msg_zh, "Sheet1"))
		print_error("first occurrence not named by sheet: %s / %s\n", e->msg_zh, e->msg_en);
	assert_non_null(strstr(e->msg_en, "Sheet1"));
	assert_non_null(strstr(e->msg_zh, "Sheet1"));
	dfree(d);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(err_bad_utf8),
		T(err_bad_csv_unterminated),
		T(err_bad_csv_stray_quote),
		T(err_missing_column),
		T(err_unknown_column),
		T(err_missing_field),
		T(err_bad_value),
		T(err_bad_amount),
		T(err_bad_amount_with_slash),
		T(err_bad_amount_text_says_no_unit),
		T(err_missing_unit),
		T(err_unknown_item),
		T(err_unknown_region),
		T(err_duplicate_fact_in_import),
		T(err_duplicate_fact_in_store),
		T(err_duplicate_region),
		T(err_io),
		T(err_too_many),
		T(ok_chinese_headers),
		T(ok_quoted_fields),
		T(quoted_fields_keep_line_numbers),
		T(ok_crlf_and_bom),
		T(crlf_line_numbers),
		T(ok_comments_and_blank_lines),
		T(ok_blank_amount),
		T(err_amount_unit_disagrees_with_column), T(ok_amount_unit_in_cell),
		T(ok_precision),
		T(ok_region_defined_in_same_import),
		T(region_defined_later_is_found),
		T(err_nul_byte_in_cell),
		T(err_digit_lookalikes),
		T(err_cells_beyond_header),
		T(err_region_name_twice),
		T(err_xlsx_formula_without_value),
		T(ok_year_with_nian),
		T(ok_gb18030_csv),
		T(ok_utf16_csv),
		T(err_neither_utf8_nor_gb18030),
		T(err_file_changed_during_import),
		T(ok_item_aliases),
		T(edition_follows_year),
		T(many_editions_in_one_import),
		T(ok_xlsx),
		T(err_xlsx_cell),
		T(err_xlsx_duplicate_across_sheets),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
