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
#include "fisc/progress.h"
#include "import/filebuf.h"
#include "fisc/journal.h"
#include "store/history_ops.h"
#include "import/importer.h"
#include "import/textenc.h"
#include "model/fold.h"
#include "model/strmap.h"
#include "model/util.h"

enum field {
	F_REGION, F_SCOPE, F_YEAR, F_BOOK, F_PHASE, F_ITEM, F_AMOUNT, F_UNIT,
	F_KIND, F_DEPT, F_PROJECT, F_ECON, F_FUND, F_PRECISION, F_SOURCE, F_NOTE,
	F_ACTION, F_NFACT,
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
	/* Only in an amendment (fisc import --amend): amend or withdraw. */
	[F_ACTION] = {"action", {"操作", "修正方式"}, 0},
};

static const int fact_ncols = F_NFACT;
const int imp_item_field = F_ITEM;

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
	if (c->amend && c->table != TABLE_FACTS && c->table != TABLE_REGIONS) {
		imp_report(c, row, 0, NULL, FISC_DIAG_MISSING_COLUMN,
			   "修正文件只能包含事实表（和地区表）",
			   "an amendment holds fact tables (and regions) only");
		c->table = TABLE_BAD;
		return;
	}
	for (int f = 0; f < n; f++)
		c->col[f] = -1;
	unsigned char *named = fisc_arena_alloc(c->arena, row->ncells + 1);
	if (!named) {
		c->fatal = fisc_error_set(FISC_ENOMEM, "out of memory");
		return;
	}
	for (size_t i = 0; i < row->ncells; i++)
		named[i] = *row->cells[i] != 0;
	c->hdr_named = named;
	c->hdr_width = row->ncells;
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

/* Where a region name was first given in this import, with its code. */
typedef struct name_use {
	const char *code;
	const char *where;
} name_use;

/* Regions are looked up by name as well as by code, so two regions of one
** name would make every lookup by that name pick one of them silently. A
** name is refused when another code has it, in this import or in the store. */
static int region_name_taken(ctx *c, const fisc_row *row, const fisc_region *r)
{
	const name_use *u = fisc_strmap_get(&c->region_names, r->name);
	char zh[1024], en[1024];
	if (u) {
		if (!strcmp(u->code, r->code))
			return 0;
		snprintf(zh, sizeof zh, "地区名称「%s」重复：%s 已用于代码 %s，这里又用于代码 %s",
			 r->name, u->where, u->code, r->code);
		snprintf(en, sizeof en,
			 "region name '%s' given twice: to code %s at %s and here to code %s", r->name,
			 u->code, u->where, r->code);
		imp_report(c, row, c->col[R_NAME], "name", FISC_DIAG_DUPLICATE_REGION, zh, en);
		return 1;
	}
	fisc_arena *a = fisc_arena_new();
	fisc_region old;
	int taken = 0;
	if (!a) {
		c->fatal = fisc_error_set(FISC_ENOMEM, "out of memory");
		return 1;
	}
	int rc = fisc_store_region_find(c->st, r->name, a, &old);
	if (rc == FISC_OK && !strcmp(old.name, r->name) && strcmp(old.code, r->code)) {
		snprintf(zh, sizeof zh, "地区名称「%s」已被数据库中的地区 %s 使用，不能再用于代码 %s",
			 r->name, old.code, r->code);
		snprintf(en, sizeof en,
			 "region name '%s' is already used by region %s in the store; it cannot "
			 "name code %s too", r->name, old.code, r->code);
		imp_report(c, row, c->col[R_NAME], "name", FISC_DIAG_DUPLICATE_REGION, zh, en);
		taken = 1;
	} else if (rc != FISC_OK && rc != FISC_ENOTFOUND) {
		c->fatal = rc;
		taken = 1;
	}
	fisc_arena_free(a);
	if (!taken) {
		name_use *nu = fisc_arena_alloc(c->arena, sizeof *nu);
		if (!nu) {
			c->fatal = fisc_error_set(FISC_ENOMEM, "out of memory");
			return 1;
		}
		nu->code = r->code;
		nu->where = imp_where(c, row, c->col[R_NAME]);
		if (fisc_strmap_put(&c->region_names, r->name, nu)) {
			c->fatal = fisc_error_set(FISC_ENOMEM, "out of memory");
			return 1;
		}
	}
	return taken;
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
	if (region_name_taken(c, row, &r))
		return;
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
	int ed, rc = fisc_store_edition_for(c->st, year, &ed);
	if (rc != FISC_OK) {
		if (rc != FISC_ENOTFOUND)
			c->fatal = rc; /* a store failure is not a missing catalogue */
		return NULL;
	}
	for (size_t i = 0; i < c->ncats; i++)
		if (c->cat_years[i] == ed)
			return c->cats[i];
	fisc_catalog *cat;
	if (fisc_grow(&c->cats, &c->capcats, c->ncats + 1, sizeof *c->cats) ||
	    fisc_grow(&c->cat_years, &c->capyears, c->ncats + 1, sizeof *c->cat_years) ||
	    (rc = fisc_catalog_load(c->st, year, &cat)) != FISC_OK) {
		if (rc != FISC_ENOTFOUND)
			c->fatal = rc;
		return NULL;
	}
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
	int rc = a ? fisc_store_region_find(c->st, text, a, &r) : FISC_ENOMEM;
	if (rc == FISC_OK)
		id = r.id;
	else if (rc != FISC_ENOTFOUND && !c->fatal)
		c->fatal = rc; /* a store failure is not an unknown region */
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
	} else if (!(id = imp_region_id(c, region)) && !c->fatal) {
		imp_reportf(c, row, c->col[f], c->cols[f].name, FISC_DIAG_UNKNOWN_REGION,
			    "未知地区「%s」（请先导入地区表）",
			    "unknown region '%s' (import a regions file first)", region);
	}
	return id;
}

/* "2025", "2025年", "２０２５年度" → "2025" in the arena; anything else as is,
** for the check to refuse. */
static const char *year_digits(ctx *c, const char *s)
{
	char *w = fisc_fold_width(s, strlen(s));
	if (!w)
		return s;
	size_t n = strlen(w);
	static const char *const suffixes[] = {"年度", "年"};
	for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
		size_t l = strlen(suffixes[i]);
		if (n > l && !memcmp(w + n - l, suffixes[i], l)) {
			n -= l;
			break;
		}
	}
	while (n && w[n - 1] == ' ')
		n--;
	const char *r = fisc_arena_strndup(c->arena, w, n);
	free(w);
	return r ? r : s;
}

int imp_year_field(ctx *c, const fisc_row *row, int f)
{
	const char *year_s = imp_get_trim(c, row, f);
	if (!*year_s) {
		imp_report(c, row, c->col[f], c->cols[f].name, FISC_DIAG_MISSING_FIELD,
			   "年度为空", "year is empty");
		return 0;
	}
	const char *digits = year_digits(c, year_s);
	char *end;
	errno = 0;
	long year = strtol(digits, &end, 10);
	if (*end || errno || strspn(digits, "0123456789") != 4 || year < 1949 || year > 2200) {
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

static const char *amount_text(ctx *c, int has_amount, const fisc_amount *a)
{
	char buf[96];
	if (!has_amount)
		return "空白";
	if (fisc_amount_format(a, FISC_FMT_UNIT, buf, sizeof buf) < 0)
		return "?";
	return fisc_arena_strdup(c->arena, buf);
}

typedef struct stored {
	const fisc_fact *want;
	int found, has_amount;
	fisc_amount amount;
} stored;

static int same_text(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

static int find_stored(void *ud, const fisc_fact *g)
{
	stored *s = ud;
	const fisc_fact *f = s->want;
	if (g->scope != f->scope || g->phase != f->phase || g->book != f->book ||
	    g->kind != f->kind || !same_text(g->item, f->item) || !same_text(g->dept, f->dept) ||
	    !same_text(g->project, f->project) || !same_text(g->econ, f->econ) ||
	    !same_text(g->fund, f->fund))
		return 0;
	s->found = 1;
	s->has_amount = g->has_amount;
	s->amount = g->amount;
	return 1;
}

/* A fact whose key the store holds already: say what the store holds and
** what the file says, so that a corrected file shows its corrections (and
** a file imported twice shows that nothing differs). */
static void report_stored_duplicate(ctx *c, const fisc_row *row, const fisc_fact *f)
{
	stored s = {f, 0, 0, {0}};
	fisc_query q = {0};
	q.region = f->region;
	q.year = f->year;
	q.scope = f->scope;
	q.phase = f->phase;
	q.book_set = 1;
	q.book = f->book;
	q.dept = f->dept;
	int rc = fisc_store_fact_each(c->st, &q, find_stored, &s);
	if (rc < 0) {
		c->fatal = rc;
		return;
	}
	if (!s.found) {
		imp_report(c, row, c->col[F_ITEM], "item", FISC_DIAG_DUPLICATE_FACT,
			   "重复的事实：数据库中已有相同键的事实",
			   "duplicate fact: the store already holds a fact with the same key");
		return;
	}
	const char *old = amount_text(c, s.has_amount, &s.amount);
	const char *now = amount_text(c, f->has_amount, &f->amount);
	int same = s.has_amount == f->has_amount && (!f->has_amount || s.amount.fen == f->amount.fen);
	const char *old_en = strcmp(old, "空白") ? old : "blank";
	const char *now_en = strcmp(now, "空白") ? now : "blank";
	char zh[512], en[512];
	snprintf(zh, sizeof zh, "重复的事实：已存在：库中为 %s，文件中为 %s%s", old, now,
		 same ? "（与库中相同）" : "（已有的数不会被覆盖）");
	snprintf(en, sizeof en, "duplicate fact: already stored: %s, file: %s%s", old_en, now_en,
		 same ? " (identical to the stored value)" : " (a stored figure is not overwritten)");
	imp_report(c, row, c->col[F_AMOUNT], "amount", FISC_DIAG_DUPLICATE_FACT, zh, en);
}

/* The document of this import (fisc/history.h): recorded before its first
** fact, so that every fact it puts is version 1 of its figure. -1 when the
** store keeps no history; -2 after a store error (c->fatal). */
static int64_t import_doc(ctx *c)
{
	if (!fisc_store_has_history(c->st))
		return -1;
	fisc_fact_doc d = {0};
	d.kind = FISC_FACT_DOC_IMPORT;
	d.number = "";
	d.source = c->sources ? c->sources : "";
	int64_t id;
	int rc = fisc_store_doc_put(c->st, &d, &id);
	if (rc != FISC_OK) {
		c->fatal = rc;
		return -2;
	}
	return id;
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
		} else if (unit != FISC_UNIT_NONE && f.amount.unit != (int8_t)unit) {
			/* "5亿元" under a unit column of 万元: one of the two is a slip,
			** and which one only the writer knows. */
			char z[512], e[512];
			snprintf(z, sizeof z, "金额「%s」自带的单位%s与单位列的「%s」不一致",
				 amount_s, fisc_unit_name((fisc_unit)f.amount.unit), unit_s);
			snprintf(e, sizeof e,
				 "the amount '%s' carries its own unit %s, which disagrees with the "
				 "unit column '%s'", amount_s, fisc_unit_name((fisc_unit)f.amount.unit),
				 unit_s);
			imp_report(c, row, c->col[F_AMOUNT], "amount", FISC_DIAG_BAD_AMOUNT, z, e);
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
	} else if (year && !cat && !c->fatal) {
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
	const char *action = imp_get_trim(c, row, F_ACTION);
	int withdraw = 0;
	if (!strcmp(action, "withdraw") || !strcmp(action, "撤回") || !strcmp(action, "撤销"))
		withdraw = 1;
	else if (*action && strcmp(action, "amend") && strcmp(action, "修正"))
		imp_reportf(c, row, c->col[F_ACTION], "action", FISC_DIAG_BAD_VALUE,
			    "无法识别的操作「%s」（amend/修正 或 withdraw/撤回）",
			    "unknown action '%s' (amend or withdraw)", action);
	else if (*action && !c->amend)
		imp_reportf(c, row, c->col[F_ACTION], "action", FISC_DIAG_BAD_VALUE,
			    "操作「%s」只用于修正（fisc import --amend）",
			    "action '%s' belongs in an amendment (fisc import --amend)", action);
	if (withdraw && !c->amend)
		imp_reportf(c, row, c->col[F_ACTION], "action", FISC_DIAG_BAD_VALUE,
			    "操作「%s」只用于修正（fisc import --amend）",
			    "action '%s' belongs in an amendment (fisc import --amend)", action);
	if (c->errors != errors_before || c->fatal)
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
	char ref[160];
	const char *cell = cellref(c, row, c->col[F_ITEM], ref, sizeof ref);
	char *where = cell ? fisc_arena_printf(c->arena, "%s:%s", row->file, cell)
			   : fisc_arena_printf(c->arena, "%s:%ld", row->file, row->line);
	if (c->amend) {
		if (imp_amend_fact(c, row, &f, withdraw, where) == FISC_OK)
			fisc_strmap_put(&c->seen, key, where);
		return;
	}
	if (!c->doc && (c->doc = import_doc(c)) < 0 && c->doc != -1)
		return;
	int rc = fisc_store_fact_put(c->st, &f);
	if (rc == FISC_EEXIST) {
		report_stored_duplicate(c, row, &f);
		return;
	}
	if (rc != FISC_OK) {
		c->fatal = rc;
		return;
	}
	fisc_strmap_put(&c->seen, key, where);
	c->stats->facts++;
}

/* The column name of cell i, for messages; NULL when it has none. */
static const char *field_of(ctx *c, size_t i)
{
	for (int f = 0; f < c->ncols; f++)
		if (c->col[f] == (int)i)
			return c->cols[f].name;
	return NULL;
}

/* What no field reader can see: a NUL byte would cut the cell's text short
** (100\0999 read as 100), a formula without a cached value looks like an
** empty cell, and a cell under no column would simply be dropped. */
static void check_cells(ctx *c, const fisc_row *row, int header)
{
	int beyond_reported = 0;
	for (size_t i = 0; i < row->ncells; i++) {
		const char *field = header ? NULL : field_of(c, i);
		if (row->flags && (row->flags[i] & FISC_CELL_NO_VALUE))
			imp_report(c, row, (int)i, field, FISC_DIAG_BAD_VALUE,
				   "公式没有缓存值，请在 Excel 中重新计算后保存",
				   "formula without a cached value (recalculate and save the "
				   "workbook in Excel)");
		if (memchr(row->cells[i], 0, row->lens[i]))
			imp_report(c, row, (int)i, field, FISC_DIAG_BAD_VALUE,
				   "单元格中有 NUL 字节（\\0），其后的内容会丢失",
				   "the cell holds a NUL byte (\\0); what follows it would be lost");
		if (header || beyond_reported || (i < c->hdr_width && c->hdr_named[i]))
			continue;
		const char *p = row->cells[i];
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			continue;
		char zh[256], en[256];
		snprintf(zh, sizeof zh, "第 %zu 列不为空，但表头中没有这一列（内容会被丢弃）", i + 1);
		snprintf(en, sizeof en,
			 "column %zu is not empty but the header has no column there (it would "
			 "be dropped)", i + 1);
		imp_report(c, row, (int)i, NULL, FISC_DIAG_UNKNOWN_COLUMN, zh, en);
		beyond_reported = 1;
	}
}

static void dispatch(ctx *c, const fisc_row *row)
{
	switch (c->table) {
	case TABLE_FACTS: fact_row(c, row); break;
	case TABLE_REGIONS: region_row(c, row); break;
	case TABLE_INDICATORS: imp_indicator_row(c, row); break;
	case TABLE_PERF_TEXTS: imp_perf_text_row(c, row); break;
	}
}

/*
** Files may come in any order (`fisc import *.csv` puts regions.csv last),
** and a regions file may list a child before its parent. A row that names a
** region not known yet is therefore not judged at once: it is kept and read
** again after every file, regions first, until no more regions appear; only
** then is a region that is still unknown an error.
*/
typedef struct saved_table {
	const char *file, *sheet;
	int table;
	const colname *cols;
	int col[IMP_MAXCOLS];
	int ncols;
	size_t hdr_width;
	const unsigned char *hdr_named;
} saved_table;

typedef struct deferred {
	struct deferred *next;
	const saved_table *tab;
	fisc_row row;
	int done;
} deferred;

/* The region the row refers to (for a region, its parent), "" for none. */
static const char *row_region(ctx *c, const fisc_row *row)
{
	switch (c->table) {
	case TABLE_FACTS: return imp_get_trim(c, row, F_REGION);
	case TABLE_REGIONS: return imp_get_trim(c, row, R_PARENT);
	case TABLE_INDICATORS: return imp_get_trim(c, row, I_REGION);
	case TABLE_PERF_TEXTS: return imp_get_trim(c, row, T_REGION);
	}
	return "";
}

static int region_known(ctx *c, const fisc_row *row)
{
	const char *r = row_region(c, row);
	return !*r || imp_region_id(c, r) != 0;
}

static int defer_row(ctx *c, const fisc_row *row)
{
	fisc_arena *a = c->arena;
	if (!c->hdr_saved) {
		saved_table *t = fisc_arena_alloc(a, sizeof *t);
		if (!t)
			return -1;
		t->file = c->file;
		t->sheet = c->sheet;
		t->table = c->table;
		t->cols = c->cols;
		memcpy(t->col, c->col, sizeof t->col);
		t->ncols = c->ncols;
		t->hdr_width = c->hdr_width;
		t->hdr_named = c->hdr_named;
		c->hdr_saved = t;
	}
	deferred *d = fisc_arena_alloc(a, sizeof *d);
	const char **cells = fisc_arena_alloc(a, (row->ncells + 1) * sizeof *cells);
	size_t *lens = fisc_arena_alloc(a, (row->ncells + 1) * sizeof *lens);
	if (!d || !cells || !lens)
		return -1;
	for (size_t i = 0; i < row->ncells; i++) {
		char *cell = fisc_arena_alloc(a, row->lens[i] + 1);
		if (!cell)
			return -1;
		memcpy(cell, row->cells[i], row->lens[i]);
		cell[row->lens[i]] = 0;
		cells[i] = cell;
		lens[i] = row->lens[i];
	}
	const saved_table *t = c->hdr_saved;
	d->next = NULL;
	d->tab = t;
	d->row = (fisc_row){row->file, t->sheet, row->line, row->ncells, cells, lens, NULL, NULL};
	d->done = 0;
	*c->deferred_tail = d;
	c->deferred_tail = &d->next;
	return 0;
}

static void replay_one(ctx *c, deferred *d)
{
	const saved_table *t = d->tab;
	c->file = t->file;
	c->sheet = t->sheet;
	c->table = t->table;
	c->cols = t->cols;
	memcpy(c->col, t->col, sizeof c->col);
	c->ncols = t->ncols;
	c->hdr_width = t->hdr_width;
	c->hdr_named = t->hdr_named;
	d->done = 1;
	dispatch(c, &d->row);
}

static void replay_deferred(ctx *c)
{
	c->replay = 1;
	int progress = 1;
	while (progress && !c->fatal) {
		progress = 0;
		for (deferred *d = c->deferred; d && !c->fatal; d = d->next) {
			if (d->done || d->tab->table != TABLE_REGIONS)
				continue;
			c->table = TABLE_REGIONS;
			c->col[R_PARENT] = d->tab->col[R_PARENT];
			if (region_known(c, &d->row)) {
				replay_one(c, d);
				progress = 1;
			}
		}
	}
	/* Regions first (their parents are now as known as they will be), then
	** everything that refers to them. */
	for (int pass = 0; pass < 2; pass++)
		for (deferred *d = c->deferred; d && !c->fatal; d = d->next)
			if (!d->done && (d->tab->table == TABLE_REGIONS) == (pass == 0))
				replay_one(c, d);
}

static int on_row(void *ud, const fisc_row *row)
{
	ctx *c = ud;
	fisc_progress_report("导入 / importing", row->file, row->line, 0);
	if (starts_new_table(c, row)) {
		c->file = row->file;
		c->sheet = row->sheet ? fisc_arena_strdup(c->arena, row->sheet) : NULL;
		c->hdr_saved = NULL;
		check_cells(c, row, 1);
		read_header(c, row);
		return c->fatal;
	}
	if (c->table == TABLE_BAD || c->table == TABLE_NONE)
		return c->fatal;
	check_cells(c, row, 0);
	if (!region_known(c, row)) {
		if (defer_row(c, row))
			c->fatal = fisc_error_set(FISC_ENOMEM, "out of memory");
		return c->fatal;
	}
	dispatch(c, row);
	return c->fatal;
}

static int begin(ctx *c, fisc_store *st, fisc_diag *diag, fisc_import_stats *stats,
		 imp_amend *amend)
{
	memset(c, 0, sizeof *c);
	c->amend = amend;
	c->st = st;
	c->diag = diag;
	c->stats = stats;
	memset(stats, 0, sizeof *stats);
	c->deferred_tail = &c->deferred;
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
	if (p && c->doc > 0)
		p = fisc_arena_printf(c->arena, "%sdocument %lld\n", p, (long long)c->doc);
	if (!p)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	return fisc_journal_append(c->st, "import", p, strlen(p), NULL);
}

static int finish(ctx *c, int rc)
{
	if (rc == FISC_OK && !c->fatal && c->deferred) {
		replay_deferred(c);
		imp_diag_sort(c->diag);
	}
	if (rc == FISC_OK && c->fatal)
		rc = c->fatal;
	if (rc == FISC_OK && (c->errors || fisc_diag_errors(c->diag)))
		rc = FISC_EIMPORT;
	int keep = 1;
	if (rc == FISC_OK)
		rc = c->amend ? imp_amend_apply(c, &keep) : journal_import(c);
	if (rc == FISC_OK && keep)
		rc = fisc_store_commit(c->st);
	if (rc != FISC_OK || !keep) {
		fisc_store_rollback(c->st);
		c->stats->facts = c->stats->regions = 0;
		c->stats->indicators = c->stats->texts = 0;
	}
	for (size_t i = 0; i < c->ncats; i++)
		fisc_catalog_free(c->cats[i]);
	free(c->cats);
	free(c->cat_years);
	fisc_strmap_free(&c->regions);
	fisc_strmap_free(&c->region_names);
	fisc_strmap_free(&c->seen);
	fisc_arena_free(c->arena);
	if (rc == FISC_EIMPORT)
		fisc_error_set(rc, "导入有 %zu 处错误，未写入任何数据 / import had %zu error(s); nothing was written",
			       fisc_diag_errors(c->diag), fisc_diag_errors(c->diag));
	return rc;
}

static int is_xlsx(const char *buf, size_t len)
{
	return len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0;
}

/* A CSV file in UTF-8, or converted to it (noted once). */
static int read_csv(ctx *c, const char *name, const char *buf, size_t len)
{
	const char *from;
	char *utf8;
	size_t utf8len;
	int r = fisc_text_to_utf8(name, buf, len, &utf8, &utf8len, &from, c->diag);
	if (r != FISC_OK)
		return r;
	if (from) {
		char zh[512], en[512];
		snprintf(zh, sizeof zh, "文件不是 UTF-8 编码，已按 %s 转换后读取", from);
		snprintf(en, sizeof en, "the file is not UTF-8; converted from %s", from);
		fisc_diag_add(c->diag, name, 0, NULL, NULL, FISC_DIAG_NOTE, zh, en);
		buf = utf8;
		len = utf8len;
	}
	r = fisc_csv_read(name, buf, len, on_row, c, c->diag);
	free(utf8);
	return r;
}

int imp_run_files(fisc_store *st, const char *const *paths, size_t n, fisc_diag *diag,
		  fisc_import_stats *stats, imp_amend *amend)
{
	ctx c;
	int rc = begin(&c, st, diag, stats, amend);
	if (rc != FISC_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		c.sources = fisc_arena_printf(c.arena, "%s%s%s", c.sources ? c.sources : "",
					      i ? " " : "", paths[i]);
	for (size_t i = 0; i < n && !c.fatal; i++) {
		fisc_filebuf fb;
		int r = fisc_filebuf_read(paths[i], &fb, diag);
		if (r != FISC_OK) {
			if (r != FISC_EIMPORT)
				c.fatal = r;
			continue;
		}
		c.file = NULL;
		note_file(&c, paths[i], fb.data, fb.len);
		r = is_xlsx(fb.data, fb.len)
			    ? fisc_xlsx_read_buffer(paths[i], fb.data, fb.len, on_row, &c, diag)
			    : read_csv(&c, paths[i], fb.data, fb.len);
		fisc_filebuf_free(&fb);
		if (r != FISC_OK && r != FISC_EIMPORT && !c.fatal)
			c.fatal = r;
		stats->files++;
	}
	return finish(&c, FISC_OK);
}

int imp_run_buffer(fisc_store *st, const char *name, const char *buf, size_t len,
		   fisc_diag *diag, fisc_import_stats *stats, imp_amend *amend)
{
	ctx c;
	int rc = begin(&c, st, diag, stats, amend);
	if (rc != FISC_OK)
		return rc;
	c.sources = name;
	note_file(&c, name, buf, len);
	int r = read_csv(&c, name, buf, len);
	if (r != FISC_OK && r != FISC_EIMPORT && !c.fatal)
		c.fatal = r;
	stats->files = 1;
	return finish(&c, FISC_OK);
}

int fisc_import_files(fisc_store *st, const char *const *paths, size_t n,
		      fisc_diag *diag, fisc_import_stats *stats)
{
	return imp_run_files(st, paths, n, diag, stats, NULL);
}

int fisc_import_csv_buffer(fisc_store *st, const char *name, const char *buf,
			   size_t len, fisc_diag *diag, fisc_import_stats *stats)
{
	return imp_run_buffer(st, name, buf, len, diag, stats, NULL);
}
