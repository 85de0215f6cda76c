/*
** rep.h — what the document reports (rep_congress.c, rep_department.c,
** rep_performance.c, rep_debt.c) share: the facts of one region or
** department loaded once into memory and selected by any dimension, the
** figure of a selection (base facts summed, or the stated figure when the
** data has nothing to sum), amounts and percentages as prose, the rounding
** rule for comparing a stated figure with a computed one, the debt section
** (used by the congress and the debt reports) and the glossary.
**
** Balance tables are never recomputed here: reports call fisc_balance_build.
*/
#ifndef FISC_REPORT_REP_H
#define FISC_REPORT_REP_H

#include "fisc/catalog.h"
#include "fisc/doc.h"
#include "fisc/report.h"
#include "fisc/reports.h"
#include "fisc/rules.h"

/*
** Conventions of the fund_source column that reports read (documented in
** examples/README.md): they name a part of an item, so the reports can say
** what the part is.
*/
#define FS_FUND_BASIC "基本支出"       /* department spending: basic */
#define FS_FUND_PROJECT "项目支出"     /* department spending: projects */
#define FS_FUND_INYEAR_DRAW "年度中动用" /* stabilisation fund drawn after its opening balance */
#define FS_FUND_GOALS "绩效目标覆盖"   /* project spending covered by performance goals */

/* The facts of a region (or of a department) for a few years. */
typedef struct fisc_fset {
	fisc_arena *a;
	fisc_store *st;
	fisc_catalog *cat;   /* the catalogue of the report year; freed by fisc_fset_free */
	fisc_region region;
	fisc_fact *v;
	size_t n, cap;
	/* lines[i]: the balance line of v[i].item, looked up when first asked
	** (fisc_fset_match with `under`: a report asks it of each fact dozens
	** of times); NULL until then. */
	const fisc_line **lines;
	/* by_key: the indexes of v, ordered by (year, book, phase, scope) and
	** then index, made when first needed (fisc_fset_sum and
	** fisc_fset_figure of a selection that fixes all four walk only its
	** facts); NULL until then. */
	uint32_t *by_key;
	/* How the report prints money (fisc_fset_unit): every amount in `unit`,
	** with at most `maxdec` decimals. */
	int unit;
	int maxdec;
	int unit_given;      /* unit chosen by the caller (--unit), not the data */
} fisc_fset;

/* Facts of `region` (code or name) for years year_from..year_to, every
** department included. */
int fisc_fset_region(fisc_store *st, fisc_arena *a, const char *region, int year,
		     int year_from, int year_to, fisc_fset *fs);
/* Facts of department `dept` (any region) for years year_from..year_to; the
** region is that of its facts. FISC_ENOTFOUND when the department has none. */
int fisc_fset_dept(fisc_store *st, fisc_arena *a, const char *dept, int year, int year_from,
		   int year_to, fisc_fset *fs);
void fisc_fset_free(fisc_fset *fs);

/*
** The one unit and precision a report prints money in, so that prose and
** tables agree and a figure never shows at two precisions: `name` (--unit:
** 元, 万元, 亿元), or when NULL the unit most of the source figures (those of
** the government books when there are any) were written in. maxdec is the
** most decimals a source figure written in that unit has (when none is, what
** the commonest source unit's digits need): a sum with a part written in a
** finer unit is rounded to it (16.0769亿元 → 16.08亿元). FISC_EINVAL on a bad
** name.
*/
int fisc_fset_unit(fisc_fset *fs, const char *name);

enum { FS_ANY = -1 };

/* A selection of facts. Zero year/scope/phase and NULL strings match
** anything; "" matches only an empty dimension. */
typedef struct fisc_fsel {
	int year, scope, phase;
	int book;            /* FS_ANY or a fisc_book (FISC_BOOK_ALL is a book) */
	int kind;            /* FS_ANY, FISC_FACT_BASE or FISC_FACT_STATED */
	const char *item;    /* exact item */
	const char *under;   /* the item counts towards this line or one below it */
	const char *prefix;  /* the item is a catalogue code starting with this */
	const char *dept, *project, *econ, *fund;
} fisc_fsel;

/* A selection with everything open (book and kind FS_ANY). */
fisc_fsel fisc_fsel_any(void);

typedef struct fisc_fsum {
	int n;          /* facts matched */
	int has_amount; /* at least one has an amount */
	int stated;     /* the figure is a stated one (nothing to sum) */
	fisc_fen fen;
	fisc_fen ulp;   /* Σ ulp of the parts: the rounding tolerance ×2 */
	fisc_fen wulp;  /* finest written digit among the parts */
	int unit;       /* the unit most parts were written in */
} fisc_fsum;

int fisc_fset_match(const fisc_fset *fs, const fisc_fsel *s, const fisc_fact *f);
fisc_fsum fisc_fset_sum(const fisc_fset *fs, const fisc_fsel *s);
/*
** The figure of a selection: the sum of its base facts; when there are none,
** the stated figure (stated facts that are not themselves a part, i.e. with
** no fund source and no project unless the selection asks for one). Stated
** figures are printed only where nothing can be computed.
*/
fisc_fsum fisc_fset_figure(const fisc_fset *fs, fisc_fsel s);
/* Nonzero when `item` is the line `line` or counts towards it. */
int fisc_fset_under(const fisc_fset *fs, const char *item, const char *line);
/* The catalogue entry of a function-class code, or NULL. */
const fisc_catalog_entry *fisc_fset_function(const fisc_fset *fs, const char *item);

/* Department spending: whether a base fact is spending of a department, and
** of which kind (基本支出 / 项目支出), from its item (basic_exp, project_exp …),
** its fund source (基本支出 / 项目支出) or its project. */
enum { DX_NONE = 0, DX_UNKNOWN = 1, DX_BASIC = 2, DX_PROJECT = 3 };
int fisc_dept_exp_kind(const fisc_fset *fs, const fisc_fact *f);

/* One fact as a figure. */
fisc_fsum fisc_fsum_of_fact(const fisc_fact *f);
/* The sum of two figures (for columns and totals built from figures). */
void fisc_fsum_add(fisc_fsum *into, const fisc_fsum *x);
/* rep_debt.c: 限额 and 余额 of `year` as the debt section reads them (its
** phase and scope, *phase): [0] 一般债务, [1] 专项债务, [2] not told apart,
** [3] the total. 0 when the year has no debt figures. */
int fisc_rt_debt_limits(fisc_fset *fs, int year, fisc_fsum limit[4], fisc_fsum balance[4],
			int *phase);

/* Decimals to print `wulp` (a written digit, fen) in `unit`; 0 when unknown. */
int fisc_rt_decimals(fisc_fen wulp, int unit);
/* "90074万元", "16.08亿元": a figure in the report's unit, at its written
** precision (fisc_rt_money). */
const char *fisc_rt_fig(const fisc_fset *fs, const fisc_fsum *s);
/* An amount in `unit` with the decimals its wulp needs, with the unit name. */
const char *fisc_rt_amount(fisc_arena *a, fisc_fen fen, int unit, fisc_fen wulp);
/* Decimals of an amount whose finest written digit is `wulp`, in the
** report's unit, at most the report's precision. */
int fisc_rt_dec(const fisc_fset *fs, fisc_fen wulp);
/* An amount in the report's unit and precision, with the unit name. */
const char *fisc_rt_money(const fisc_fset *fs, fisc_fen fen, fisc_fen wulp);
/* "100.25%"; "" when den is 0. */
const char *fisc_rt_pct(fisc_arena *a, fisc_fen num, fisc_fen den, int decimals);
/* "增长1.0%", "下降32.3%", "持平"; "" when the base is 0. */
const char *fisc_rt_growth(fisc_arena *a, fisc_fen now, fisc_fen before);
/* Chinese ordinal numerals 一 … 二十 for section numbers. */
const char *fisc_rt_cn(int n);

/*
** Whether a stated figure agrees with a computed one given how both were
** rounded (DOMAIN §9): the difference must not exceed half a unit of the
** stated figure's last digit plus half the summed units of the computed one's
** parts. Exact data (ulp 1 fen) must agree to the fen.
*/
int fisc_rt_consistent(fisc_fen stated, fisc_fen stated_ulp, fisc_fen computed,
		       fisc_fen computed_ulp);

/* The row of a balance for a line id (the first, the section row), or NULL. */
const fisc_balance_row *fisc_rt_row(const fisc_balance *b, const char *line);
/* The balance statement (fisc_statement_write) as paragraphs of d, in the
** report's unit. */
int fisc_rt_statement(fisc_doc *d, const fisc_fset *fs, const fisc_balance *b);
/* The balance as a four-column document table in the report's unit, notes
** for an unbalanced table. */
void fisc_rt_balance_table(fisc_doc *d, const fisc_fset *fs, const fisc_balance *b);

/* Facts `check` flags as probably written in the wrong unit (rule
** precision.unit): their ids, for a report to mark them rather than print
** 2.29元 as 0.000229亿元. Empty when the check finds none. */
typedef struct fisc_slips {
	int64_t *id;
	const fisc_finding **finding; /* its `computed` is the figure in the list's unit */
	size_t n;
} fisc_slips;
int fisc_rt_slips(fisc_store *st, fisc_fset *fs, int year, fisc_slips *out);
/* The finding about fact `id`, or NULL when it is not flagged. */
const fisc_finding *fisc_rt_slip(const fisc_slips *s, int64_t id);

/* The debt section of year `year`: limits, balances, issuance, repayment,
** interest, 债务率, identities checked. Headings start at `level`. Returns 0
** when the data has no debt facts for the year (nothing is added). */
int fisc_debt_section(fisc_doc *d, fisc_fset *fs, int year, int level, const char *number);

/* Append 名词解释: the terms of data/glossary.csv that the document uses, in
** the glossary's order, under a heading of `level`. */
int fisc_glossary_append(fisc_doc *d, int level, const char *heading);

#endif
