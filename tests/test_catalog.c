/*
** test_catalog.c — the classification catalogue (src/lib/catalog/catalog.c):
** lookups by code, name, line and alias in a store seeded from data/, the
** balance line an item counts towards, book-limited aliases, and editions
** versioned by year (an official edition imported from a directory governs
** its year and later ones; a failed import changes nothing).
*/
#include "testutil.h"

#include <sys/stat.h>

#include "fisc/catalog.h"
#include "fisc/error.h"
#include "fisc/store.h"

typedef struct fx {
	char *dir;
	fisc_store *st;
	char *uri; /* the store: a file, or a PostgreSQL schema (testutil.h) */
} fx;

static const char *datadir(void)
{
	const char *d = getenv("FISC_DATADIR");
	return d && *d ? d : FISC_DATADIR;
}

/* Catalogues still loaded when a test fails are freed by teardown. */
static fisc_catalog *live[8];

static void cfree(fisc_catalog *c)
{
	for (int i = 0; i < 8; i++)
		if (live[i] == c)
			live[i] = NULL;
	fisc_catalog_free(c);
}

static void cfree_all(void)
{
	for (int i = 0; i < 8; i++) {
		fisc_catalog_free(live[i]);
		live[i] = NULL;
	}
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = tu_tmpdir();
	assert_non_null(f->dir);
	char path[512];
	snprintf(path, sizeof path, "%s/fisc.db", f->dir);
	f->uri = tu_store_uri(path);
	assert_int_equal(fisc_store_open(f->uri, &f->st), FISC_OK);
	assert_true(fisc_store_is_new(f->st));
	int rc = fisc_catalog_seed(f->st, datadir());
	if (rc != FISC_OK)
		print_error("seed: %s\n", fisc_error_message());
	assert_int_equal(rc, FISC_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	cfree_all();
	fisc_store_close(f->st);
	tu_rmrf(f->dir);
	free(f->dir);
	free(f->uri);
	free(f);
	return 0;
}

static fisc_catalog *load(fisc_store *st, int year)
{
	fisc_catalog *c = NULL;
	int rc = fisc_catalog_load(st, year, &c);
	if (rc != FISC_OK)
		print_error("load %d: %s\n", year, fisc_error_message());
	assert_int_equal(rc, FISC_OK);
	assert_non_null(c);
	for (int i = 0; i < 8; i++)
		if (!live[i]) {
			live[i] = c;
			return c;
		}
	fail_msg("too many live catalogues");
	return c;
}

/* The line id the text resolves to (via the item it names). */
static const char *line_id_of(const fisc_catalog *c, const char *text, int book)
{
	const char *item = fisc_catalog_resolve(c, text, book);
	if (!item)
		return NULL;
	const fisc_line *l = fisc_catalog_line_of(c, item);
	return l ? l->id : NULL;
}

/* ---- the seeded (bundled) edition ------------------------------------- */

static void seeded_edition(void **state)
{
	fx *f = *state;
	fisc_catalog *c = load(f->st, 2024);
	assert_int_equal(fisc_catalog_edition(c), 2024);
	cfree(c);
	/* Before the only edition: the earliest one governs. */
	c = load(f->st, 1990);
	assert_int_equal(fisc_catalog_edition(c), 2024);
	cfree(c);
	c = load(f->st, 2100);
	assert_int_equal(fisc_catalog_edition(c), 2024);
	cfree(c);
}

static void lookup_by_code_and_name(void **state)
{
	fx *f = *state;
	fisc_catalog *c = load(f->st, 2024);

	const fisc_catalog_entry *e = fisc_catalog_get(c, "205");
	assert_non_null(e);
	assert_string_equal(e->code, "205");
	assert_string_equal(e->name, "教育支出");
	assert_string_equal(e->parent, "");
	assert_int_equal(e->level, 1);
	assert_int_equal(e->kind, FISC_CAT_FUNCTION);

	e = fisc_catalog_get(c, "2050201");
	assert_non_null(e);
	assert_string_equal(e->name, "学前教育");
	assert_string_equal(e->parent, "20502");
	assert_int_equal(e->level, 3);

	e = fisc_catalog_get(c, "11002");
	assert_non_null(e);
	assert_string_equal(e->name, "一般性转移支付收入");
	assert_int_equal(e->kind, FISC_CAT_REVENUE);
	assert_int_equal(e->level, 2);

	e = fisc_catalog_get(c, "301");
	assert_non_null(e);
	assert_int_equal(e->kind, FISC_CAT_ECON_DEPT);
	e = fisc_catalog_get(c, "501");
	assert_non_null(e);
	assert_int_equal(e->kind, FISC_CAT_ECON_GOV);

	assert_null(fisc_catalog_get(c, "999"));
	assert_null(fisc_catalog_get(c, "20"));

	e = fisc_catalog_by_name(c, "教育支出");
	assert_non_null(e);
	assert_string_equal(e->code, "205");
	/* Names compare without white space. */
	e = fisc_catalog_by_name(c, " 教育 支出 ");
	assert_non_null(e);
	assert_string_equal(e->code, "205");
	/* A name used at two levels: the 款 (first by code) wins. */
	e = fisc_catalog_by_name(c, "其他教育支出");
	assert_non_null(e);
	assert_string_equal(e->code, "20599");
	assert_null(fisc_catalog_by_name(c, "教育支出们"));

	assert_string_equal(fisc_catalog_item_name(c, "205"), "教育支出");
	assert_string_equal(fisc_catalog_item_name(c, "carry_in"), "上年结转");
	assert_string_equal(fisc_catalog_item_name(c, "nothing"), "nothing");
	cfree(c);
}

static void resolve_codes_lines_aliases(void **state)
{
	fx *f = *state;
	fisc_catalog *c = load(f->st, 2024);

	assert_string_equal(fisc_catalog_resolve(c, "205", FISC_BOOK_GPB), "205");
	assert_string_equal(fisc_catalog_resolve(c, "教育支出", FISC_BOOK_GPB), "205");
	assert_string_equal(fisc_catalog_resolve(c, "２０５", FISC_BOOK_GPB), "205");
	assert_string_equal(fisc_catalog_resolve(c, " 205 ", FISC_BOOK_GPB), "205");
	assert_string_equal(fisc_catalog_resolve(c, "学前教育", FISC_BOOK_GPB), "2050201");

	/* 上年结转 = 上年结余 = 上年结余收入: one line. */
	assert_string_equal(fisc_catalog_resolve(c, "上年结转", FISC_BOOK_GPB), "carry_in");
	assert_string_equal(fisc_catalog_resolve(c, "上年结余", FISC_BOOK_GPB), "carry_in");
	assert_string_equal(fisc_catalog_resolve(c, "上年结余收入", FISC_BOOK_GFB), "carry_in");
	assert_string_equal(line_id_of(c, "上年结转", FISC_BOOK_GPB), "carry_in");
	assert_string_equal(line_id_of(c, "上年结余", FISC_BOOK_GPB), "carry_in");
	assert_string_equal(line_id_of(c, "上年结余收入", FISC_BOOK_GPB), "carry_in");
	assert_string_equal(line_id_of(c, "carry_in", FISC_BOOK_GPB), "carry_in");

	/* Full-width and half-width brackets, and spaces, are the same. */
	assert_string_equal(line_id_of(c, "债务转贷收入", FISC_BOOK_GPB), "debt_onlend_in");
	assert_string_equal(line_id_of(c, "债务（转贷）收入", FISC_BOOK_GPB), "debt_onlend_in");
	assert_string_equal(line_id_of(c, "债务(转贷)收入", FISC_BOOK_GPB), "debt_onlend_in");
	assert_string_equal(line_id_of(c, " 债务 ( 转贷 ) 收入 ", FISC_BOOK_GFB),
			    "debt_onlend_in");
	/* An alias may name a catalogue code; its line is found by prefix. */
	assert_string_equal(fisc_catalog_resolve(c, "地方政府一般债务转贷收入", FISC_BOOK_GPB),
			    "1101101");
	assert_string_equal(line_id_of(c, "地方政府一般债务转贷收入", FISC_BOOK_GPB),
			    "debt_onlend_in");

	assert_string_equal(fisc_catalog_resolve(c, "上级补助收入", FISC_BOOK_GPB),
			    "upper_subsidy");
	assert_string_equal(fisc_catalog_resolve(c, "税收返还", FISC_BOOK_GPB), "11001");

	assert_null(fisc_catalog_resolve(c, "不存在的科目", FISC_BOOK_GPB));
	assert_null(fisc_catalog_resolve(c, "carry_in_x", FISC_BOOK_GPB));
	assert_null(fisc_catalog_resolve(c, "", FISC_BOOK_GPB));
	assert_null(fisc_catalog_resolve(c, NULL, FISC_BOOK_GPB));
	cfree(c);
}

static void book_limited_alias(void **state)
{
	fx *f = *state;
	fisc_catalog *c = load(f->st, 2024);
	assert_string_equal(fisc_catalog_resolve(c, "一般债务限额", FISC_BOOK_GPB), "debt_limit");
	assert_null(fisc_catalog_resolve(c, "一般债务限额", FISC_BOOK_GFB));
	assert_null(fisc_catalog_resolve(c, "一般债务限额", -1));
	assert_string_equal(fisc_catalog_resolve(c, "专项债务限额", FISC_BOOK_GFB), "debt_limit");
	assert_null(fisc_catalog_resolve(c, "专项债务限额", FISC_BOOK_GPB));
	/* An alias for any book works in every book. */
	assert_string_equal(fisc_catalog_resolve(c, "债务限额", FISC_BOOK_SOE), "debt_limit");
	assert_string_equal(fisc_catalog_resolve(c, "债务限额", -1), "debt_limit");
	/* The same spelling can mean different lines in different books. */
	assert_string_equal(fisc_catalog_resolve(c, "一般公共预算收入", FISC_BOOK_GPB), "own_rev");
	assert_null(fisc_catalog_resolve(c, "一般公共预算收入", FISC_BOOK_SSF));
	cfree(c);
}

static void line_of_codes(void **state)
{
	fx *f = *state;
	fisc_catalog *c = load(f->st, 2024);
	static const struct {
		const char *item, *line;
	} cases[] = {
		{"11001", "upper_subsidy"}, {"11002", "upper_subsidy"},
		{"11003", "upper_subsidy"}, {"1100201", "upper_subsidy"},
		{"2050201", "own_exp"},     {"205", "own_exp"},
		{"20502", "own_exp"},       {"11008", "carry_in"},
		{"11006", "lower_remit"},   {"23009", "carry_out"},
		{"231", "debt_repay"},      {"23103", "debt_repay"},
		{"1101101", "debt_onlend_in"}, {"105", "debt_in"},
		{"1010101", "tax"},         {"upper_subsidy", "upper_subsidy"},
		{"debt_limit", "debt_limit"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const fisc_line *l = fisc_catalog_line_of(c, cases[i].item);
		if (!l)
			print_error("no line for %s\n", cases[i].item);
		assert_non_null(l);
		assert_string_equal(l->id, cases[i].line);
	}
	/* No line: a code outside every prefix, and the 类 110 itself (its
	** 款 are split over several lines). */
	/* Below a line: itself, its ancestors; not a line of the other side. */
	const fisc_line *tax = fisc_catalog_line_of(c, "1010101");
	assert_true(fisc_catalog_line_under(c, tax, "tax"));
	assert_true(fisc_catalog_line_under(c, tax, "income_total"));
	assert_false(fisc_catalog_line_under(c, tax, "expense_total"));
	assert_false(fisc_catalog_line_under(c, tax, "no_such_line"));
	assert_null(fisc_catalog_line_of(c, "999999"));
	assert_null(fisc_catalog_line_of(c, "110"));
	assert_null(fisc_catalog_line_of(c, "301"));

	const fisc_line *l = fisc_catalog_line(c, "upper_subsidy");
	assert_non_null(l);
	assert_string_equal(l->name, "上级补助收入");
	assert_string_equal(l->side, "in");
	assert_string_equal(l->parent, "transfer_in_total");
	assert_string_equal(l->codes, "11001 11002 11003 11004 11005");
	assert_int_equal(l->order, 121);
	assert_null(fisc_catalog_line(c, "上级补助收入")); /* ids only */

	/* Lines come in display order. */
	size_t n = fisc_catalog_line_count(c);
	assert_true(n >= 60);
	assert_string_equal(fisc_catalog_line_at(c, 0)->id, "income_total");
	for (size_t i = 1; i < n; i++)
		assert_true(fisc_catalog_line_at(c, i - 1)->order <=
			    fisc_catalog_line_at(c, i)->order);
	assert_null(fisc_catalog_line_at(c, n));
	cfree(c);
}

/*
** The header's contract: "Input is compared after NFKC normalisation and
** with white space removed" — that holds for codes, line names, aliases and
** catalogue names, and must hold for line ids too.
*/
static void resolve_line_id_normalised(void **state)
{
	fx *f = *state;
	fisc_catalog *c = load(f->st, 2024);
	const char *r = fisc_catalog_resolve(c, " upper_subsidy ", FISC_BOOK_GPB);
	assert_non_null(r);
	assert_string_equal(r, "upper_subsidy");
	r = fisc_catalog_resolve(c, "ｃａｒｒｙ＿ｉｎ", FISC_BOOK_GPB);
	assert_non_null(r);
	assert_string_equal(r, "carry_in");
	cfree(c);
}

/* ---- editions --------------------------------------------------------- */

static const char HDR[] = "code,name,level,parent_code\n";

/* An official-looking edition in DIR/NAME: 205 renamed, a new code NEWCODE. */
static char *write_edition(const char *base, const char *name, const char *newcode,
			   int with_department)
{
	char dir[512], text[1024];
	snprintf(dir, sizeof dir, "%s/%s", base, name);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(text, sizeof text, "%s110,转移性收入,1,\n11001,返还性收入,2,110\n"
		 "11008,上年结余收入,2,110\n", HDR);
	free(tu_write(dir, "revenue.csv", text));
	snprintf(text, sizeof text, "%s205,教育与科技支出,1,\n20502,普通教育,2,205\n"
		 "2050201,学前教育,3,20502\n%s,新设教育项目%s,3,20502\n",
		 HDR, newcode, newcode);
	free(tu_write(dir, "expenditure_function.csv", text));
	snprintf(text, sizeof text, "%s501,机关工资福利支出,1,\n", HDR);
	free(tu_write(dir, "expenditure_economic_government.csv", text));
	if (with_department) {
		snprintf(text, sizeof text, "%s301,工资福利支出,1,\n30101,基本工资,2,301\n", HDR);
		free(tu_write(dir, "expenditure_economic_department.csv", text));
	}
	return strdup(dir);
}

static void edition_import_governs_later_years(void **state)
{
	fx *f = *state;
	char *dir = write_edition(f->dir, "ed2026", "2050210", 1);
	int rc = fisc_catalog_import_dir(f->st, 2026, dir);
	if (rc != FISC_OK)
		print_error("import: %s\n", fisc_error_message());
	assert_int_equal(rc, FISC_OK);

	int ed = 0;
	assert_int_equal(fisc_store_edition_for(f->st, 2027, &ed), FISC_OK);
	assert_int_equal(ed, 2026);
	assert_int_equal(fisc_store_edition_for(f->st, 2025, &ed), FISC_OK);
	assert_int_equal(ed, 2024);

	fisc_catalog *c = load(f->st, 2027);
	assert_int_equal(fisc_catalog_edition(c), 2026);
	const fisc_catalog_entry *e = fisc_catalog_get(c, "2050210");
	assert_non_null(e);
	assert_string_equal(e->name, "新设教育项目2050210");
	assert_string_equal(e->parent, "20502");
	assert_int_equal(e->kind, FISC_CAT_FUNCTION);
	e = fisc_catalog_get(c, "205");
	assert_non_null(e);
	assert_string_equal(e->name, "教育与科技支出");
	assert_int_equal(fisc_catalog_get(c, "30101")->kind, FISC_CAT_ECON_DEPT);
	/* Only this edition's codes: 2050202 is in 2024 only. */
	assert_null(fisc_catalog_get(c, "2050202"));
	assert_string_equal(fisc_catalog_resolve(c, "教育与科技支出", FISC_BOOK_GPB), "205");
	assert_null(fisc_catalog_resolve(c, "教育支出", FISC_BOOK_GPB));
	/* Lines and aliases are shared by all editions. */
	assert_string_equal(line_id_of(c, "上年结余", FISC_BOOK_GPB), "carry_in");
	assert_string_equal(line_id_of(c, "2050210", FISC_BOOK_GPB), "own_exp");
	/* An alias to a code this edition lacks resolves to nothing. */
	assert_null(fisc_catalog_resolve(c, "一般性转移支付收入", FISC_BOOK_GPB));
	cfree(c);

	c = load(f->st, 2026);
	assert_int_equal(fisc_catalog_edition(c), 2026);
	assert_non_null(fisc_catalog_get(c, "2050210"));
	cfree(c);

	c = load(f->st, 2025);
	assert_int_equal(fisc_catalog_edition(c), 2024);
	assert_null(fisc_catalog_get(c, "2050210"));
	assert_string_equal(fisc_catalog_get(c, "205")->name, "教育支出");
	assert_non_null(fisc_catalog_get(c, "2050202"));
	assert_string_equal(fisc_catalog_resolve(c, "教育支出", FISC_BOOK_GPB), "205");
	cfree(c);
	free(dir);
}

static void edition_reimport_replaces(void **state)
{
	fx *f = *state;
	char *a = write_edition(f->dir, "a", "2050210", 1);
	char *b = write_edition(f->dir, "b", "2050211", 1);
	assert_int_equal(fisc_catalog_import_dir(f->st, 2026, a), FISC_OK);
	assert_int_equal(fisc_catalog_import_dir(f->st, 2026, b), FISC_OK);
	fisc_catalog *c = load(f->st, 2026);
	assert_int_equal(fisc_catalog_edition(c), 2026);
	assert_null(fisc_catalog_get(c, "2050210"));   /* gone with edition a */
	assert_non_null(fisc_catalog_get(c, "2050211"));
	cfree(c);
	/* The other edition is untouched. */
	c = load(f->st, 2024);
	assert_non_null(fisc_catalog_get(c, "2050202"));
	assert_null(fisc_catalog_get(c, "2050211"));
	cfree(c);
	free(a);
	free(b);
}

static void edition_bad_directory_changes_nothing(void **state)
{
	fx *f = *state;
	char *good = write_edition(f->dir, "good", "2050210", 1);
	char *bad = write_edition(f->dir, "bad", "2050211", 0); /* no department file */
	assert_int_equal(fisc_catalog_import_dir(f->st, 2026, good), FISC_OK);

	/* Replacing 2026 from a bad directory fails and keeps the old 2026. */
	fisc_error_clear();
	int rc = fisc_catalog_import_dir(f->st, 2026, bad);
	assert_int_not_equal(rc, FISC_OK);
	assert_true(strstr(fisc_error_message(), "expenditure_economic_department.csv") != NULL);
	fisc_catalog *c = load(f->st, 2026);
	assert_int_equal(fisc_catalog_edition(c), 2026);
	assert_non_null(fisc_catalog_get(c, "2050210"));
	assert_null(fisc_catalog_get(c, "2050211"));
	assert_non_null(fisc_catalog_get(c, "30101"));
	cfree(c);

	/* A new year from a bad directory does not appear at all. */
	rc = fisc_catalog_import_dir(f->st, 2028, bad);
	assert_int_not_equal(rc, FISC_OK);
	int ed = 0;
	assert_int_equal(fisc_store_edition_for(f->st, 2029, &ed), FISC_OK);
	assert_int_equal(ed, 2026);

	/* A directory that does not exist. */
	char missing[600];
	snprintf(missing, sizeof missing, "%s/nowhere", f->dir);
	assert_int_not_equal(fisc_catalog_import_dir(f->st, 2026, missing), FISC_OK);
	c = load(f->st, 2026);
	assert_non_null(fisc_catalog_get(c, "2050210"));
	cfree(c);

	/* A row with a bad level fails the whole edition. */
	char text[256];
	snprintf(text, sizeof text, "%s301,工资福利支出,1,\n30101,基本工资,9,301\n", HDR);
	free(tu_write(bad, "expenditure_economic_department.csv", text));
	rc = fisc_catalog_import_dir(f->st, 2026, bad);
	assert_int_equal(rc, FISC_EIMPORT);
	c = load(f->st, 2026);
	assert_non_null(fisc_catalog_get(c, "2050210"));
	assert_null(fisc_catalog_get(c, "2050211"));
	cfree(c);

	/* A file without the required columns. */
	free(tu_write(bad, "expenditure_economic_department.csv", "code,title\n301,x\n"));
	assert_int_not_equal(fisc_catalog_import_dir(f->st, 2026, bad), FISC_OK);
	c = load(f->st, 2026);
	assert_non_null(fisc_catalog_get(c, "2050210"));
	cfree(c);

	/* The seeded edition was never touched. */
	c = load(f->st, 2024);
	assert_int_equal(fisc_catalog_edition(c), 2024);
	assert_string_equal(fisc_catalog_get(c, "205")->name, "教育支出");
	cfree(c);

	/* Years outside 1949–2200 are refused. */
	assert_int_equal(fisc_catalog_import_dir(f->st, 1800, good), FISC_EINVAL);
	free(good);
	free(bad);
}

static void edition_with_aliases(void **state)
{
	fx *f = *state;
	char *dir = write_edition(f->dir, "ed", "2050210", 1);
	free(tu_write(dir, "aliases.csv", "alias,target,book\n新设项目,2050210,\n"
		      "新设专项,2050210,gfb\n"));
	assert_int_equal(fisc_catalog_import_dir(f->st, 2026, dir), FISC_OK);
	fisc_catalog *c = load(f->st, 2026);
	assert_string_equal(fisc_catalog_resolve(c, "新设项目", FISC_BOOK_GPB), "2050210");
	assert_string_equal(fisc_catalog_resolve(c, "新设专项", FISC_BOOK_GFB), "2050210");
	assert_null(fisc_catalog_resolve(c, "新设专项", FISC_BOOK_GPB));
	/* The bundled aliases are still there. */
	assert_string_equal(fisc_catalog_resolve(c, "上年结余", FISC_BOOK_GPB), "carry_in");
	cfree(c);
	/* Aliases are shared, but in 2024 the code they name does not exist. */
	c = load(f->st, 2024);
	assert_null(fisc_catalog_resolve(c, "新设项目", FISC_BOOK_GPB));
	cfree(c);

	/* A bad book in aliases.csv fails the import and leaves the old alias. */
	free(tu_write(dir, "aliases.csv", "alias,target,book\n新设项目,2050201,nobook\n"));
	assert_int_equal(fisc_catalog_import_dir(f->st, 2026, dir), FISC_EIMPORT);
	c = load(f->st, 2026);
	assert_string_equal(fisc_catalog_resolve(c, "新设项目", FISC_BOOK_GPB), "2050210");
	cfree(c);
	free(dir);
}

static void reopen_keeps_catalogue(void **state)
{
	fx *f = *state;
	fisc_store_close(f->st);
	assert_int_equal(fisc_store_open(f->uri, &f->st), FISC_OK);
	assert_false(fisc_store_is_new(f->st));
	fisc_catalog *c = load(f->st, 2024);
	assert_string_equal(fisc_catalog_resolve(c, "上年结余收入", FISC_BOOK_GPB), "carry_in");
	cfree(c);
}

static void empty_store_has_no_edition(void **state)
{
	char *dir = tu_tmpdir();
	fisc_store *st;
	/* An in-memory store opened without FISC_OPEN_CREATE is not seeded. */
	assert_int_equal(fisc_store_open_v2(":memory:", 0, &st), FISC_OK);
	fisc_catalog *c = (fisc_catalog *)1;
	assert_int_equal(fisc_catalog_load(st, 2024, &c), FISC_ENOTFOUND);
	assert_null(c);
	/* Seeding from a directory without the bundled data fails. */
	assert_int_not_equal(fisc_catalog_seed(st, dir), FISC_OK);
	int ed;
	assert_int_equal(fisc_store_edition_for(st, 2024, &ed), FISC_ENOTFOUND);
	fisc_store_close(st);
	tu_rmrf(dir);
	free(dir);
}

static int count_fact(void *ud, const fisc_fact *f)
{
	(void)f;
	++*(int *)ud;
	return 0;
}

static int facts_of(fisc_store *st, int64_t region)
{
	fisc_query q = {0};
	q.region = region;
	int n = 0;
	assert_int_equal(fisc_store_fact_each(st, &q, count_fact, &n), FISC_OK);
	return n;
}

static void put_fact(fisc_store *st, int64_t region, const char *item)
{
	fisc_fact f = {0};
	f.region = region;
	f.year = 2024;
	f.scope = FISC_SCOPE_SELF;
	f.book = FISC_BOOK_GPB;
	f.phase = FISC_PHASE_EXECUTION;
	f.item = item;
	f.dept = f.project = f.econ = f.fund = "";
	f.has_amount = 1;
	f.amount.fen = 100;
	f.amount.ulp = 1;
	assert_int_equal(fisc_store_begin(st), FISC_OK);
	assert_int_equal(fisc_store_fact_put(st, &f), FISC_OK);
	assert_int_equal(fisc_store_commit(st), FISC_OK);
}

/* A read snapshot (`report --all-regions`' workers): what another handle
** commits meanwhile is not seen, in the facts (served from the handle's
** memo), the data version, or the catalogue's edition, until it ends. */
static void read_snapshot(void **state)
{
	fx *f = *state;
	fisc_region r = {0, "990001", "快照县", "", "县", "全县", "县级", "乡镇级"};
	int64_t id;
	assert_int_equal(fisc_store_region_put(f->st, &r, &id), FISC_OK);
	put_fact(f->st, id, "1010101");
	fisc_store *other;
	assert_int_equal(fisc_store_open(f->uri, &other), FISC_OK);
	int64_t v0, v1;
	int ed;
	assert_int_equal(fisc_store_read_begin(f->st), FISC_OK);
	assert_int_equal(facts_of(f->st, id), 1);
	assert_int_equal(fisc_store_edition_for(f->st, 2030, &ed), FISC_OK);
	assert_int_equal(ed, 2024);
	int server = fisc_store_uri_is_server(f->uri); /* PostgreSQL holds none */
	if (!server)
		assert_int_equal(fisc_store_data_version(f->st, &v0), FISC_OK);
	put_fact(other, id, "1010102");
	assert_int_equal(fisc_store_edition_put(other, 2030, "test"), FISC_OK);
	assert_int_equal(facts_of(f->st, id), server ? 2 : 1);
	fisc_region seen;
	fisc_arena *a = fisc_arena_new();
	assert_int_equal(fisc_store_region_find(f->st, "990001", a, &seen), FISC_OK);
	assert_string_equal(seen.name, "快照县");
	if (!server) {
		assert_int_equal(fisc_store_edition_for(f->st, 2030, &ed), FISC_OK);
		assert_int_equal(ed, 2024);
		assert_int_equal(fisc_store_data_version(f->st, &v1), FISC_OK);
		assert_true(v0 == v1);
	}
	assert_int_equal(fisc_store_read_end(f->st), FISC_OK);
	assert_int_equal(facts_of(f->st, id), 2);
	assert_int_equal(fisc_store_edition_for(f->st, 2030, &ed), FISC_OK);
	assert_int_equal(ed, 2030);
	fisc_arena_free(a);
	fisc_store_close(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(seeded_edition, setup, teardown),
		cmocka_unit_test_setup_teardown(lookup_by_code_and_name, setup, teardown),
		cmocka_unit_test_setup_teardown(resolve_codes_lines_aliases, setup, teardown),
		cmocka_unit_test_setup_teardown(book_limited_alias, setup, teardown),
		cmocka_unit_test_setup_teardown(line_of_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(resolve_line_id_normalised, setup, teardown),
		cmocka_unit_test_setup_teardown(edition_import_governs_later_years, setup, teardown),
		cmocka_unit_test_setup_teardown(edition_reimport_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(edition_bad_directory_changes_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(edition_with_aliases, setup, teardown),
		cmocka_unit_test_setup_teardown(reopen_keeps_catalogue, setup, teardown),
		cmocka_unit_test(empty_store_has_no_edition),
		cmocka_unit_test_setup_teardown(read_snapshot, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
