/*
** import.c — rows (from CSV or XLSX) → regions and facts, all or nothing.
**
** The whole import runs in one store transaction. Every row is checked and
** written even after a first error, so that duplicates and later mistakes are
** found in the same run; at the end, any problem rolls everything back. The
** columns are described in docs/formats.md; this file holds the table of
** column names (English and Chinese) and one small parser per field.
*/
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/catalog.h"
#include "fisc/error.h"
#include "fisc/import.h"
#include "fisc/journal.h"
#include "import/importer.h"
#include "model/strmap.h"
#include "model/util.h"

enum field {
	F_REGION, F_SCOPE, F_YEAR, F_BOOK, F_PHASE, F_ITEM, F_AMOUNT, F_UNIT,
	F_KIND, F_DEPT, F_PROJECT, F_ECON, F_FUND, F_PRECISION, F_SOURCE, F_NOTE,
	F_NFACT,
	R_CODE = 0, R_NAME, R_PARENT, R_LEVEL, R_LABEL_ALL, R_LABEL_SELF,
	R_LABEL_LOWER, R_NREGION
};

static const colname fact_cols[F_NFACT] = {
	[F_REGION] = {"region", {"地区", "区划", "行政区划"}, 1},
	[F_SCOPE] = {"scope", {"口径", "级次"}, 1},
	[F_YEAR] = {"year", {"年度", "年份"}, 1},
	[F_BOOK] = {"book", {"预算", "账本", "预算类别"}, 1},
	[F_PHASE] = {"phase", {"阶段"}, 1},
	[F_ITEM] = {"item", {"科目", "项目名称", "科目名称"}, 1},
	[F_AMOUNT] = {"amount", {"金额"}, 1},
	[F_UNIT] = {"unit", {"单位", "金额单位"}, 0},
	[F_KIND] = {"kind", {"类型"}, 0},
	[F_DEPT] = {"department", {"部门", "单位名称", "dept"}, 0},
	[F_PROJECT] = {"project", {"项目"}, 0},
	[F_ECON] = {"economic", {"经济分类", "econ"}, 0},
	[F_FUND] = {"fund_source", {"资金来源", "fund"}, 0},
	[F_PRECISION] = {"precision", {"精度"}, 0},
	[F_SOURCE] = {"source", {"来源", "出处"}, 0},
	[F_NOTE] = {"note", {"备注", "说明"}, 0},
};

static const int fact_ncols = F_NFACT;

static const colname region_cols[R_NREGION] = {
	[R_CODE] = {"code", {"区划代码", "代码"}, 1},
	[R_NAME] = {"name", {"名称", "地区名称"}, 1},
	[R_PARENT] = {"parent", {"上级", "上级代码"}, 0},
	[R_LEVEL] = {"level", {"级别", "层级"}, 0},
	[R_LABEL_ALL] = {"label_all", {"全辖称谓"}, 0},
	[R_LABEL_SELF] = {"label_self", {"本级称谓"}, 0},
	[R_LABEL_LOWER] = {"label_lower", {"下级称谓"}, 0},
};
static const int region_ncols = R_NREGION;


static int starts_new_table(ctx *c, const fisc_row *row)
{
	if (c->file != row->file)
		return 1;
	if ((c->sheet == NULL) != (row->sheet == NULL))
		return 1;
	return row->sheet && strcmp(c->sheet, row->sheet) != 0;
}

/* Where a field sits, for messages: XLSX cell reference, else NULL. */
static const char *cellref(ctx *c, const fisc_row *row, int idx, char *buf, size_t cap)
{
	if (!row->sheet)
		return NULL;
	char colbuf[8];
	fisc_xlsx_colname(idx < 0 ? 0 : idx, colbuf);
	snprintf(buf, cap, "%s!%s%ld", row->sheet, colbuf, row->line);
	return buf;
}

void imp_report(ctx *c, const fisc_row *row, int idx, const char *field, int kind,
		   const char *zh, const char *en)
{
	char ref[160];
	c->errors++;
	fisc_diag_add(c->diag, row->file, row->line, cellref(c, row, idx, ref, sizeof ref),
		      field, kind, zh, en);
}

/* imp_report() with printf-style Chinese and English, each with one %s value. */
void imp_reportf(ctx *c, const fisc_row *row, int idx, const char *field, int kind,
		    const char *zh, const char *en, const char *val)
{
	char z[512], e[512];
	snprintf(z, sizeof z, zh, val);
	snprintf(e, sizeof e, en, val);
	imp_report(c, row, idx, field, kind, z, e);
}

static int match_col(const colname *cols, int n, const char *h)
{
	while (*h == ' ')
		h++;
	size_t len = strlen(h);
	while (len && h[len - 1] == ' ')
		len--;
	for (int f = 0; f < n; f++) {
		if (strlen(cols[f].name) == len && memcmp(cols[f].name, h, len) == 0)
			return f;
		for (int k = 0; k < 4 && cols[f].alt[k]; k++)
			if (strlen(cols[f].alt[k]) == len && memcmp(cols[f].alt[k], h, len) == 0)
				return f;
	}
	return -1;
}

/* What a table holds, from its header: the first kind whose key column is
** present wins (facts have an amount; indicators an indicator name; texts a
** section; regions a name). */
static void read_header(ctx *c, const fisc_row *row)
{
	static const struct {
		int table;
		const colname *cols;
		const int *ncols;
		int key;
	} kinds[] = {
		{TABLE_FACTS, fact_cols, &fact_ncols, F_AMOUNT},
		{TABLE_INDICATORS, imp_indicator_cols, &imp_indicator_ncols, I_NAME},
		{TABLE_PERF_TEXTS, imp_perf_text_cols, &imp_perf_text_ncols, T_SECTION},
		{TABLE_REGIONS, region_cols, &region_ncols, R_NAME},
	};
	c->table = TABLE_BAD;
	for (size_t k = 0; k < sizeof kinds / sizeof *kinds && c->table == TABLE_BAD; k++)
		for (size_t i = 0; i < row->ncells; i++)
			if (match_col(kinds[k].cols, *kinds[k].ncols, row->cells[i]) == kinds[k].key) {
				c->table = kinds[k].table;
				c->cols = kinds[k].cols;
				c->ncols = *kinds[k].ncols;
				break;
			}
	const colname *cols = c->cols;
	int n = c->ncols;
	if (c->table == TABLE_BAD) {
		imp_report(c, row, 0, NULL, FISC_DIAG_MISSING_COLUMN,
			   "无法识别表头：没有「amount/金额」列（事实表）、「indicator/三级指标」列（绩效指标表）、"
			   "「section/章节」列（绩效文字表），也没有「code,name」列（地区表）",
			   "unrecognised header: no 'amount' column (facts), 'indicator' (performance "
			   "indicators), 'section' (performance texts) or 'code,name' (regions)");
		return;
	}
	for (int f = 0; f < n; f++)
		c->col[f] = -1;
	for (size_t i = 0; i < row->ncells; i++) {
		if (!*row->cells[i])
			continue;
		int f = match_col(cols, n, row->cells[i]);
		if (f < 0) {
			imp_reportf(c, row, (int)i, row->cells[i], FISC_DIAG_UNKNOWN_COLUMN,
				"未知的列名「%s」", "unknown column '%s'", row->cells[i]);
			continue;
		}
		if (c->col[f] >= 0) {
			imp_reportf(c, row, (int)i, cols[f].name, FISC_DIAG_UNKNOWN_COLUMN,
				"列「%s」出现了两次", "column '%s' appears twice", cols[f].name);
			continue;
		}
		c->col[f] = (int)i;
	}
	for (int f = 0; f < n; f++)
		if (cols[f].required && c->col[f] < 0) {
			imp_reportf(c, row, 0, cols[f].name, FISC_DIAG_MISSING_COLUMN,
				"缺少必需的列「%s」", "required column '%s' is missing",
				cols[f].name);
			/* Its rows would each repeat the same complaint. */
			c->table = TABLE_BAD;
		}
}

const char *imp_get(ctx *c, const fisc_row *row, int f)
{
	int i = c->col[f];
	if (i < 0 || (size_t)i >= row->ncells)
		return "";
	const char *s = row->cells[i];
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A copy of the cell with trailing blanks removed, in the import arena. */
const char *imp_get_trim(ctx *c, const fisc_row *row, int f)
{
	const char *s = imp_get(c, row, f);
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return fisc_arena_strndup(c->arena, s, n);
}

static void region_row(ctx *c, const fisc_row *row)
{
	fisc_region r = {0};
	r.code = imp_get_trim(c, row, R_CODE);
	r.name = imp_get_trim(c, row, R_NAME);
	r.parent_code = imp_get_trim(c, row, R_PARENT);
	r.level = imp_get_trim(c, row, R_LEVEL);
	r.label_all = imp_get_trim(c, row, R_LABEL_ALL);
	r.label_self = imp_get_trim(c, row, R_LABEL_SELF);
	r.label_lower = imp_get_trim(c, row, R_LABEL_LOWER);
	if (!*r.code) {
		imp_report(c, row, c->col[R_CODE], "code", FISC_DIAG_MISSING_FIELD,
		       "地区代码为空", "region code is empty");
		return;
	}
	if (!*r.name) {
		imp_report(c, row, c->col[R_NAME], "name", FISC_DIAG_MISSING_FIELD,
		       "地区名称为空", "region name is empty");
		return;
	}
	int64_t id;
	int rc = fisc_store_region_put(c->st, &r, &id);
	if (rc == FISC_ENOTFOUND) {
		imp_reportf(c, row, c->col[R_PARENT], "parent", FISC_DIAG_UNKNOWN_REGION,
			"上级地区「%s」不存在（需先导入）",
			"parent region '%s' does not exist (import it first)", r.parent_code);
	} else if (rc == FISC_EEXIST) {
		imp_reportf(c, row, c->col[R_CODE], "code", FISC_DIAG_DUPLICATE_REGION,
			"地区代码「%s」已存在，但名称或属性不同",
			"region code '%s' exists with a different name or attributes", r.code);
	} else if (rc != FISC_OK) {
		c->fatal = rc;
	} else {
		c->stats->regions++;
	}
}

static fisc_catalog *catalog_for(ctx *c, int year)
{
	int ed;
	if (fisc_store_edition_for(c->st, year, &ed) != FISC_OK)
		return NULL;
	for (size_t i = 0; i < c->ncats; i++)
		if (c->cat_years[i] == ed)
			return c->cats[i];
	fisc_catalog *cat;
	if (fisc_grow(&c->cats, &c->capcats, c->ncats + 1, sizeof *c->cats) ||
	    fisc_grow(&c->cat_years, &c->capyears, c->ncats + 1, sizeof *c->cat_years) ||
	    fisc_catalog_load(c->st, year, &cat) != FISC_OK)
		return NULL;
	c->cats[c->ncats] = cat;
	c->cat_years[c->ncats++] = ed;
	return cat;
}

int64_t imp_region_id(ctx *c, const char *text)
{
	int64_t *boxed = fisc_strmap_get(&c->regions, text);
	if (boxed)
		return *boxed;
	fisc_region r;
	fisc_arena *a = fisc_arena_new();
	int64_t id = 0;
	if (a && fisc_store_region_find(c->st, text, a, &r) == FISC_OK)
		id = r.id;
	fisc_arena_free(a);
	/* Only hits are cached: a region defined later in the import must be found. */
	if (id) {
		boxed = fisc_arena_alloc(c->arena, sizeof *boxed);
		*boxed = id;
		fisc_strmap_put(&c->regions, fisc_arena_strdup(c->arena, text), boxed);
	}
	return id;
}

static int parse_enum(ctx *c, const fisc_row *row, int f, int (*parse)(const char *, size_t),
		      const char *zh_what, const char *en_what)
{
	const char *s = imp_get(c, row, f);
	if (!*s) {
		char zh[128], en[128];
		snprintf(zh, sizeof zh, "%s为空", zh_what);
		snprintf(en, sizeof en, "%s is empty", en_what);
		imp_report(c, row, c->col[f], c->cols[f].name, FISC_DIAG_MISSING_FIELD, zh, en);
		return -1;
	}
	int v = parse(s, strlen(s));
	if (v < 0) {
		char zh[256], en[256];
		snprintf(zh, sizeof zh, "无法识别的%s「%%s」", zh_what);
		snprintf(en, sizeof en, "unknown %s '%%s'", en_what);
		imp_reportf(c, row, c->col[f], c->cols[f].name, FISC_DIAG_BAD_VALUE, zh, en, s);
	}
	return v;
}

int64_t imp_region_field(ctx *c, const fisc_row *row, int f)
{
	const char *region = imp_get_trim(c, row, f);
	int64_t id = 0;
	if (!*region) {
		imp_report(c, row, c->col[f], c->cols[f].name, FISC_DIAG_MISSING_FIELD,
			   "地区为空", "region is empty");
	} else if (!(id = imp_region_id(c, region))) {
		imp_reportf(c, row, c->col[f], c->cols[f].name, FISC_DIAG_UNKNOWN_REGION,
			    "未知地区「%s」（请先导入地区表）",
			    "unknown region '%s' (import a regions file first)", region);
	}
	return id;
}

int imp_year_field(ctx *c, const fisc_row *row, int f)
{
	const char *year_s = imp_get_trim(c, row, f);
	char *end;
	errno = 0;
	long year = strtol(year_s, &end, 10);
	if (!*year_s) {
		imp_report(c, row, c->col[f], c->cols[f].name, FISC_DIAG_MISSING_FIELD,
			   "年度为空", "year is empty");
		return 0;
	}
	if (*end || errno || strspn(year_s, "0123456789") != 4 || year < 1949 || year > 2200) {
		imp_reportf(c, row, c->col[f], c->cols[f].name, FISC_DIAG_BAD_VALUE,
			    "年度「%s」无效（应为 1949–2200 的四位数）",
			    "bad year '%s' (a four-digit year 1949–2200)", year_s);
		return 0;
	}
	return (int)year;
}

const char *imp_where(ctx *c, const fisc_row *row, int idx)
{
	char ref[160];
	const char *cell = cellref(c, row, idx, ref, sizeof ref);
	return cell ? fisc_arena_printf(c->arena, "%s:%s", row->file, cell)
		    : fisc_arena_printf(c->arena, "%s:%ld", row->file, row->line);
}

static void fact_row(ctx *c, const fisc_row *row)
{
	int errors_before = c->errors;
	fisc_fact f = {0};
	f.region = imp_region_field(c, row, F_REGION);
	int scope = parse_enum(c, row, F_SCOPE, fisc_scope_parse, "口径", "scope");
	int book = parse_enum(c, row, F_BOOK, fisc_book_parse, "预算类别", "book");
	int phase = parse_enum(c, row, F_PHASE, fisc_phase_parse, "阶段", "phase");
	const char *kind_s = imp_get(c, row, F_KIND);
	int kind = fisc_kind_parse(kind_s, strlen(kind_s));
	if (kind < 0)
		imp_reportf(c, row, c->col[F_KIND], "kind", FISC_DIAG_BAD_VALUE,
			"无法识别的类型「%s」（应为 base 或 stated）",
			"unknown kind '%s' (base or stated)", kind_s);

	long year = imp_year_field(c, row, F_YEAR);

	/* Unit column first, so an amount without its own unit can use it. */
	const char *unit_s = imp_get_trim(c, row, F_UNIT);
	fisc_unit unit = FISC_UNIT_NONE;
	if (*unit_s && (unit = fisc_unit_parse(unit_s, strlen(unit_s))) == FISC_UNIT_NONE)
		imp_reportf(c, row, c->col[F_UNIT], "unit", FISC_DIAG_BAD_VALUE,
			"无法识别的单位「%s」（元、万元或亿元）",
			"unknown unit '%s' (元, 万元 or 亿元)", unit_s);
	const char *amount_s = imp_get_trim(c, row, F_AMOUNT);
	if (*amount_s) {
		/* With an unreadable unit column (reported above) the amount's own
		** check would only repeat the complaint as "missing unit". */
		int rc = *unit_s && unit == FISC_UNIT_NONE
				 ? FISC_OK
				 : fisc_amount_parse(amount_s, strlen(amount_s), unit, &f.amount);
		if (rc != FISC_OK) {
			const char *zh, *en;
			char z[512], e[512];
			fisc_amount_last_reason(&zh, &en);
			snprintf(z, sizeof z, "%s「%s」", zh, amount_s);
			snprintf(e, sizeof e, "%s '%s'", en, amount_s);
			imp_report(c, row, c->col[F_AMOUNT], "amount",
			       rc == FISC_EUNIT ? FISC_DIAG_MISSING_UNIT : FISC_DIAG_BAD_AMOUNT, z, e);
		}
		f.has_amount = 1;
	} else {
		/* Listed with no amount: a blank cell of a published table. */
		f.amount = fisc_amount_exact(0, unit == FISC_UNIT_NONE ? FISC_UNIT_WAN : unit, 0);
	}

	f.source = imp_get_trim(c, row, F_SOURCE);
	const char *prec = imp_get_trim(c, row, F_PRECISION);
	int exact = !*f.source;
	if (!strcmp(prec, "exact") || !strcmp(prec, "精确"))
		exact = 1;
	else if (!strcmp(prec, "written") || !strcmp(prec, "书面") || !strcmp(prec, "按写法"))
		exact = 0;
	else if (*prec)
		imp_reportf(c, row, c->col[F_PRECISION], "precision", FISC_DIAG_BAD_VALUE,
			"无法识别的精度「%s」（written 或 exact）",
			"unknown precision '%s' (written or exact)", prec);
	if (exact)
		f.amount.ulp = 1;

	const char *item_s = imp_get_trim(c, row, F_ITEM);
	fisc_catalog *cat = year ? catalog_for(c, (int)year) : NULL;
	if (!*item_s) {
		imp_report(c, row, c->col[F_ITEM], "item", FISC_DIAG_MISSING_FIELD,
		       "科目为空", "item is empty");
	} else if (year && !cat) {
		imp_report(c, row, c->col[F_ITEM], "item", FISC_DIAG_UNKNOWN_ITEM,
		       "数据库中没有可用的科目目录", "the store has no catalogue edition");
	} else if (cat && !(f.item = fisc_catalog_resolve(cat, item_s, book))) {
		char zh[512], en[512];
		snprintf(zh, sizeof zh, "未知科目「%s」（%d 年版科目目录、平衡表行和别名表中都没有）",
			 item_s, fisc_catalog_edition(cat));
		snprintf(en, sizeof en,
			 "unknown item '%s' (not in the %d catalogue, the balance lines or the aliases)",
			 item_s, fisc_catalog_edition(cat));
		imp_report(c, row, c->col[F_ITEM], "item", FISC_DIAG_UNKNOWN_ITEM, zh, en);
	}
	const char *econ = imp_get_trim(c, row, F_ECON);
	if (*econ && cat) {
		const fisc_catalog_entry *e = fisc_catalog_get(cat, econ);
		if (!e || (e->kind != FISC_CAT_ECON_DEPT && e->kind != FISC_CAT_ECON_GOV))
			imp_reportf(c, row, c->col[F_ECON], "economic", FISC_DIAG_UNKNOWN_ITEM,
				"未知的经济分类代码「%s」", "unknown economic classification code '%s'",
				econ);
	}
	if (c->errors != errors_before)
		return;

	f.year = (int32_t)year;
	f.scope = (uint8_t)scope;
	f.book = (uint8_t)book;
	f.phase = (uint8_t)phase;
	f.kind = (uint8_t)kind;
	f.dept = imp_get_trim(c, row, F_DEPT);
	f.project = imp_get_trim(c, row, F_PROJECT);
	f.econ = econ;
	f.fund = imp_get_trim(c, row, F_FUND);
	f.note = imp_get_trim(c, row, F_NOTE);

	/* The key, to name the first row of a duplicate in the same import. */
	char *key = fisc_arena_printf(c->arena, "%lld|%d|%d|%d|%d|%s|%d|%s|%s|%s|%s",
				      (long long)f.region, f.year, f.book, f.phase, f.scope,
				      f.item, f.kind, f.dept, f.project, f.econ, f.fund);
	const char *first = fisc_strmap_get(&c->seen, key);
	if (first) {
		imp_reportf(c, row, c->col[F_ITEM], "item", FISC_DIAG_DUPLICATE_FACT,
			"重复的事实：与 %s 的地区、口径、年度、预算、阶段、科目和明细都相同",
			"duplicate fact: same region, scope, year, book, phase, item and detail as %s",
			first);
		return;
	}
	int rc = fisc_store_fact_put(c->st, &f);
	if (rc == FISC_EEXIST) {
		imp_report(c, row, c->col[F_ITEM], "item", FISC_DIAG_DUPLICATE_FACT,
		       "重复的事实：数据库中已有相同键的事实",
		       "duplicate fact: the store already holds a fact with the same key");
		return;
	}
	if (rc != FISC_OK) {
		c->fatal = rc;
		return;
	}
	char ref[160];
	const char *cell = cellref(c, row, c->col[F_ITEM], ref, sizeof ref);
	fisc_strmap_put(&c->seen, key,
			cell ? fisc_arena_printf(c->arena, "%s:%s", row->file, cell)
			     : fisc_arena_printf(c->arena, "%s:%ld", row->file, row->line));
	c->stats->facts++;
}

static int on_row(void *ud, const fisc_row *row)
{
	ctx *c = ud;
	if (starts_new_table(c, row)) {
		c->file = row->file;
		c->sheet = row->sheet ? fisc_arena_strdup(c->arena, row->sheet) : NULL;
		read_header(c, row);
		return c->fatal;
	}
	switch (c->table) {
	case TABLE_FACTS: fact_row(c, row); break;
	case TABLE_REGIONS: region_row(c, row); break;
	case TABLE_INDICATORS: imp_indicator_row(c, row); break;
	case TABLE_PERF_TEXTS: imp_perf_text_row(c, row); break;
	}
	return c->fatal;
}

static int begin(ctx *c, fisc_store *st, fisc_diag *diag, fisc_import_stats *stats)
{
	memset(c, 0, sizeof *c);
	c->st = st;
	c->diag = diag;
	c->stats = stats;
	memset(stats, 0, sizeof *stats);
	if (!(c->arena = fisc_arena_new()))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	int rc = fisc_store_begin(st);
	if (rc != FISC_OK)
		fisc_arena_free(c->arena);
	return rc;
}

/* Every import that writes is an entry of the ledger's journal: the files'
** SHA-256 and what was written, in the same transaction (fisc/journal.h). */
static void note_file(ctx *c, const char *name, const char *buf, size_t len)
{
	uint8_t h[FISC_HASH_BYTES];
	char hex[2 * FISC_HASH_BYTES + 1];
	fisc_sha256(buf, len, h);
	fisc_journal_hex(h, hex);
	c->journal = fisc_arena_printf(c->arena, "%sfile %s sha256 %s\n", c->journal ? c->journal : "",
				       name, hex);
}

static int journal_import(ctx *c)
{
	const fisc_import_stats *s = c->stats;
	if (!s->facts && !s->regions && !s->indicators && !s->texts)
		return FISC_OK;
	const char *p = fisc_arena_printf(c->arena, "%sfacts %ld regions %ld indicators %ld texts %ld\n",
					  c->journal ? c->journal : "", s->facts, s->regions,
					  s->indicators, s->texts);
	if (!p)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	return fisc_journal_append(c->st, "import", p, strlen(p), NULL);
}

static int finish(ctx *c, int rc)
{
	if (rc == FISC_OK && c->fatal)
		rc = c->fatal;
	if (rc == FISC_OK && (c->errors || fisc_diag_count(c->diag)))
		rc = FISC_EIMPORT;
	if (rc == FISC_OK)
		rc = journal_import(c);
	if (rc == FISC_OK)
		rc = fisc_store_commit(c->st);
	if (rc != FISC_OK) {
		fisc_store_rollback(c->st);
		c->stats->facts = c->stats->regions = 0;
		c->stats->indicators = c->stats->texts = 0;
	}
	for (size_t i = 0; i < c->ncats; i++)
		fisc_catalog_free(c->cats[i]);
	free(c->cats);
	free(c->cat_years);
	fisc_strmap_free(&c->regions);
	fisc_strmap_free(&c->seen);
	fisc_arena_free(c->arena);
	if (rc == FISC_EIMPORT)
		fisc_error_set(rc, "导入有 %zu 处错误，未写入任何数据 / import had %zu error(s); nothing was written",
			       fisc_diag_count(c->diag), fisc_diag_count(c->diag));
	return rc;
}

static int is_xlsx(const char *buf, size_t len)
{
	return len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0;
}

int fisc_import_files(fisc_store *st, const char *const *paths, size_t n,
		      fisc_diag *diag, fisc_import_stats *stats)
{
	ctx c;
	int rc = begin(&c, st, diag, stats);
	if (rc != FISC_OK)
		return rc;
	for (size_t i = 0; i < n && !c.fatal; i++) {
		size_t len;
		char *buf = fisc_read_file(paths[i], &len);
		if (!buf) {
			char en[512];
			snprintf(en, sizeof en, "cannot read the file: %s", strerror(errno));
			fisc_diag_add(diag, paths[i], 0, NULL, NULL, FISC_DIAG_IO, "无法读取文件", en);
			continue;
		}
		c.file = NULL;
		note_file(&c, paths[i], buf, len);
		int r = is_xlsx(buf, len)
				? fisc_xlsx_read_buffer(paths[i], buf, len, on_row, &c, diag)
				: fisc_csv_read(paths[i], buf, len, on_row, &c, diag);
		free(buf);
		if (r != FISC_OK && r != FISC_EIMPORT && !c.fatal)
			c.fatal = r;
		stats->files++;
	}
	return finish(&c, FISC_OK);
}

int fisc_import_csv_buffer(fisc_store *st, const char *name, const char *buf,
			   size_t len, fisc_diag *diag, fisc_import_stats *stats)
{
	ctx c;
	int rc = begin(&c, st, diag, stats);
	if (rc != FISC_OK)
		return rc;
	note_file(&c, name, buf, len);
	int r = fisc_csv_read(name, buf, len, on_row, &c, diag);
	if (r != FISC_OK && r != FISC_EIMPORT && !c.fatal)
		c.fatal = r;
	stats->files = 1;
	return finish(&c, FISC_OK);
}
