/*
** cmd_report.c — `fisc report KIND --region R --year Y …`: the reports fisc
** computes from stored facts. Each kind is one entry of the table below.
** balance and statement print straight from a built balance; the document
** reports (congress, department, performance, debt) are built by the library
** (fisc/reports.h) and rendered in any document format, to -o or stdout.
*/
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <unistd.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "fisc/reports.h"

typedef struct report_opts {
	const char *region, *year, *book, *scope, *phase, *format, *output, *department;
	const char *as_of; /* --as-of: the store as of a date or document */
	const char *level; /* --all-regions --level 县,区: only regions of these levels */
	const char *unit_name; /* --unit as given (document reports: NULL = the data's) */
	int unit, decimals, all, all_regions;
	int draft; /* --draft: document reports carry the 数据缺口 appendix */
} report_opts;

typedef int (*report_fn)(fisc_store *st, const report_opts *o, FILE *out);

static int report_all(fisc_store *st, const report_opts *o, FILE *out, int statement);

static int load_balance(fisc_store *st, const report_opts *o, fisc_arena *a,
			fisc_balance **b)
{
	fisc_selection sel;
	int rc = fisc_selection_parse(&sel, o->region, o->year, o->book ? o->book : "gpb",
				      o->scope ? o->scope : "all",
				      o->phase ? o->phase : "execution");
	if (rc == FISC_OK)
		rc = fisc_balance_build(st, &sel, a, b);
	return rc;
}

/* Balance and statement print as text (TSV) unless --format says otherwise;
** every document format is accepted, as for the document reports. */
static const char *balance_format(const report_opts *o)
{
	return o->format ? o->format : "text";
}

/* --unit when given; else -1: tables in 万元, statements in the data's unit. */
static int balance_unit(const report_opts *o)
{
	return o->unit_name ? o->unit : -1;
}

/* xlsx and csv are written by the renderer to the path of -o (a workbook, a
** directory of tables); the stream formats go to the FILE the command opened,
** so that a failed write is reported like every other output's. */
static int doc_writes_files(const report_opts *o)
{
	return o->format && (!strcmp(o->format, "xlsx") || !strcmp(o->format, "csv"));
}

/* A balance table, or its statement; for one selection or --all. */
static int balance_or_statement(fisc_store *st, const report_opts *o, FILE *out, int statement)
{
	if (o->all)
		return report_all(st, o, out, statement);
	fisc_arena *a = fisc_arena_new();
	fisc_balance *b;
	int rc = a ? load_balance(st, o, a, &b) : FISC_ENOMEM;
	if (rc == FISC_OK)
		rc = fisc_balance_render(b, statement ? FISC_BALANCE_STATEMENT : 0, balance_format(o),
					 balance_unit(o), o->decimals,
					 doc_writes_files(o) ? o->output : NULL, out);
	fisc_arena_free(a);
	return rc;
}

static int report_balance(fisc_store *st, const report_opts *o, FILE *out)
{
	return balance_or_statement(st, o, out, 0);
}

static int report_statement(fisc_store *st, const report_opts *o, FILE *out)
{
	return balance_or_statement(st, o, out, 1);
}

/* --all: every selection in the store (or of --region) as one document —
** one page, one workbook, one JSON array for the balance's own JSON. */
typedef struct all_ctx {
	fisc_store *st;
	const report_opts *o;
	fisc_doc *doc;  /* NULL: balance JSON objects written to out */
	FILE *out;
	int flags;
	int count;
} all_ctx;

static int one_selection(void *ud, const fisc_selection *sel)
{
	all_ctx *c = ud;
	char what[256];
	snprintf(what, sizeof what, "%s %d", sel->region, sel->year);
	fisc_progress_report("报表 / tables", what, c->count + 1, 0);
	fisc_arena *a = fisc_arena_new();
	fisc_balance *b;
	int rc = a ? fisc_balance_build(c->st, sel, a, &b) : FISC_ENOMEM;
	if (rc == FISC_ENOTFOUND) { /* a 全辖 that cannot be composed */
		fisc_arena_free(a);
		return FISC_OK;
	}
	if (rc == FISC_OK && c->doc) {
		rc = fisc_balance_append(c->doc, b, c->flags, balance_unit(c->o), c->o->decimals);
	} else if (rc == FISC_OK) {
		fputs(c->count ? ",\n" : "[\n", c->out);
		rc = fisc_balance_json(b, balance_unit(c->o), c->o->decimals, c->out);
	}
	if (rc == FISC_OK)
		c->count++;
	fisc_arena_free(a);
	return rc;
}

static int report_all(fisc_store *st, const report_opts *o, FILE *out, int statement)
{
	const char *fmt = balance_format(o);
	int text = !strcmp(fmt, "text") || !strcmp(fmt, "tsv");
	all_ctx c = {st, o, NULL, out, FISC_BALANCE_HEADING, 0};
	if (statement)
		c.flags |= FISC_BALANCE_STATEMENT;
	if (text) /* the heading names each table */
		c.flags |= FISC_BALANCE_BARE;
	fisc_arena *a = NULL;
	if (!statement && !strcmp(fmt, "json")) {
		c.out = out; /* objects streamed one by one, into one array */
	} else {
		a = fisc_arena_new();
		c.doc = a ? fisc_doc_new(a, statement ? "statement" : "balance",
					 text ? "" : statement ? "收支平衡情况表述" : "收支平衡情况表")
			  : NULL;
		if (!c.doc) {
			fisc_arena_free(a);
			return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		}
	}
	cli_progress_start();
	int rc = fisc_balance_each_selection(st, o->region, one_selection, &c);
	cli_progress_end();
	if (rc == FISC_OK && c.count == 0)
		rc = fisc_error_set(FISC_ENOTFOUND, "没有可生成的平衡表 / no balance facts in the store");
	if (c.doc && rc == FISC_OK)
		rc = fisc_doc_write(c.doc, fmt, doc_writes_files(o) ? o->output : NULL, out);
	else if (!c.doc && c.count)
		fputs("\n]\n", c.out);
	fisc_arena_free(a);
	return rc;
}

/* A document report from the library's registry, rendered as --format
** (md by default) to -o (a file; for csv a directory or prefix) or stdout. */
static int report_doc(fisc_store *st, const report_opts *o, FILE *out, const char *name)
{
	const fisc_report_kind *k = fisc_report_find(name);
	if (!k)
		return fisc_error_set(FISC_EINVAL, "未知报表 / unknown report '%s'", name);
	if (o->all)
		return fisc_error_set(FISC_EINVAL, "--all 仅用于 balance 和 statement / --all is for "
						    "balance and statement only");
	fisc_report_params p = {0};
	p.year = atoi(o->year); /* checked by cmd_report */
	p.region = o->region;
	p.department = o->department;
	p.unit = o->unit_name;
	if ((k->needs & FISC_REPORT_NEEDS_REGION) && (!o->region || !*o->region))
		return fisc_error_set(FISC_EINVAL, "缺少 --region / --region is required");
	if ((k->needs & FISC_REPORT_NEEDS_DEPARTMENT) && (!o->department || !*o->department))
		return fisc_error_set(FISC_EINVAL, "缺少 --department / --department is required");
	if (o->phase && (p.phase = fisc_phase_parse(o->phase, strlen(o->phase))) < 0)
		return fisc_error_set(FISC_EINVAL, "无法识别的阶段「%s」/ unknown --phase '%s'",
				      o->phase, o->phase);
	fisc_arena *a = fisc_arena_new();
	fisc_doc *d = NULL;
	int rc = a ? k->build(st, &p, a, &d) : FISC_ENOMEM;
	if (rc == FISC_OK) {
		/* The operator always learns what the data could not support;
		** the document carries it only as a draft. */
		for (size_t i = 0; i < d->ngaps; i++) {
			fputs("fisc: 数据缺口 / data gap: ", stderr);
			fisc_text_put(d->gaps[i], stderr);
			fputc('\n', stderr);
		}
		if (o->draft)
			fisc_doc_draft(d);
		rc = fisc_doc_status(d);
	}
	if (rc == FISC_OK)
		rc = fisc_doc_write(d, o->format ? o->format : "md", doc_writes_files(o) ? o->output : NULL,
				    out);
	fisc_arena_free(a);
	return rc;
}

static int report_congress(fisc_store *st, const report_opts *o, FILE *out)
{
	return report_doc(st, o, out, "congress");
}

static int report_department(fisc_store *st, const report_opts *o, FILE *out)
{
	return report_doc(st, o, out, "department");
}

static int report_performance(fisc_store *st, const report_opts *o, FILE *out)
{
	return report_doc(st, o, out, "performance");
}

static int report_debt(fisc_store *st, const report_opts *o, FILE *out)
{
	return report_doc(st, o, out, "debt");
}

static const struct {
	const char *name;
	report_fn fn;
	const char *summary;
	int doc; /* it writes -o itself (xlsx, csv need paths) */
} reports[] = {
	{"balance", report_balance, "收支平衡情况表 | balance table (--region R --year Y --book B …)", 1},
	{"statement", report_statement, "收支平衡情况表述 | balance statement sentences", 1},
	{"congress", report_congress,
	 "预算执行和预算草案的报告 | report to the people's congress (--region R --year Y)", 1},
	{"department", report_department,
	 "部门预算公开 | department budget disclosure (--department D --year Y)", 1},
	{"performance", report_performance,
	 "部门整体支出绩效自评 | performance self-evaluation (--department D --year Y)", 1},
	{"debt", report_debt, "政府债务情况 | government debt (--region R --year Y)", 1},
};

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] report KIND --region R --year Y [--book B]\n"
		   "       [--scope S] [--phase P] [--format text|md|html|json|xlsx|csv|docx|pdf] [--unit 万元] [--decimals N] [-o OUT]\n"
		   "       fisc report balance|statement --all [--region R]   每个可生成的选择 | every selection\n"
		   "       fisc report congress|debt --region R --year Y [--format md|html|json|xlsx|csv|text|docx|pdf] [-o OUT]\n"
		   "       fisc report congress|debt --all-regions --year Y [--level 县,区] [--format …] -o DIR\n"
		   "           每个有数据的地区一份，文件名 代码_名称.扩展名 | one file per region, CODE_NAME.EXT\n"
		   "           (--level: 只限这些级别的地区 | only regions of these levels, e.g. every county)\n"
		   "       fisc report department|performance --department D --year Y [--phase P] [--format …] [-o OUT]\n"
		   "       (--unit 元|万元|亿元: every amount of a document report; default the unit of the data)\n"
		   "       (--as-of YYYY-MM-DD|#N|文号: the store as it stood at that date or after that document)\n"
		   "       (--draft: a document report with the 数据缺口 appendix of what the data cannot\n"
		   "        support; without it the gaps are only listed on stderr)\n"
		   "       (xlsx: -o FILE.xlsx; csv: -o DIR/ or PREFIX, one file per table; docx, pdf: -o FILE)\n\n");
	for (size_t i = 0; i < sizeof reports / sizeof *reports; i++)
		fprintf(f, "  %-10s %s\n", reports[i].name, reports[i].summary);
	fprintf(f, "\n名称或代码均可 | names or codes: --region 北碚区|500109  --book 一般公共预算|gpb\n"
		   "  --scope 全区|区级|镇级|all|self|lower  --phase 预算|调整预算|执行|决算\n");
	return code;
}

/* After "no data": what the region (or the department) does have. */
static void no_data_hint(fisc_store *st, const report_opts *o, const fisc_region *r)
{
	fisc_query q = {0};
	if (o->department) {
		q.dept = o->department;
		cli_years_hint(st, &q, o->department);
	} else if (r->id) {
		q.region = r->id;
		cli_years_hint(st, &q, r->name);
	}
}

/* --all-regions: one report per region that has balance facts of the
** year (and, with --level, whose level is one of those given), in one
** process, each written to DIR/<code>_<name>.<ext> (csv: that prefix, one
** file per table). The regions are listed with their levels; whether one
** has the year's data is asked by the worker that takes it, from the
** region's facts that its report then reads again from memory. */
typedef struct region_list {
	fisc_arena *a;
	const char *levels; /* --level: comma-separated, NULL for every level */
	const char **codes;
	size_t n, cap;
} region_list;

/* level is one of the comma-separated words of list. */
static int level_listed(const char *list, const char *level)
{
	size_t n = strlen(level);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !strncmp(p, level, n))
			return 1;
		p += len + (e != NULL);
	}
	return 0;
}

static int collect_region(void *ud, const fisc_region *r)
{
	region_list *l = ud;
	if (l->levels && !level_listed(l->levels, r->level ? r->level : ""))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		const char **c = realloc(l->codes, cap * sizeof *c);
		if (!c)
			return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		l->codes = c;
		l->cap = cap;
	}
	const char *code = fisc_arena_strdup(l->a, r->code);
	if (!code)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	l->codes[l->n++] = code;
	return 0;
}

/* Whether a region has balance facts of the year: the selections
** fisc_balance_each_selection offers for it (the listing of `report
** balance --all`), of that year. */
typedef struct year_seen {
	int year, seen;
} year_seen;

static int saw_year(void *ud, const fisc_selection *sel)
{
	year_seen *y = ud;
	y->seen |= sel->year == y->year;
	return 0;
}

static const char *format_ext(const char *fmt)
{
	return !strcmp(fmt, "text") ? "txt" : fmt;
}

/* The batch's shared state: workers take the next region by index, build
** and render its report into memory over their own store handle, and write
** the file under the lock (the CLI's output sinks and progress line are one
** per process). The first failure stops every worker. */
typedef struct batch {
	const char *db, *kind, *fmt;
	const fisc_report_kind *k;
	report_opts *o;
	region_list *l;
	int year;
	pthread_mutex_t lock;
	size_t next;
	long listed, written, skipped, done;
	int rc;
	char msg[1024]; /* the failing worker's message (fisc_error_message is per thread) */
} batch;

static void batch_fail(batch *b, int rc)
{
	pthread_mutex_lock(&b->lock);
	if (b->rc == FISC_OK) {
		b->rc = rc;
		snprintf(b->msg, sizeof b->msg, "%s", fisc_error_message());
	}
	pthread_mutex_unlock(&b->lock);
}

/* One region: build, render into memory (text formats) and write the file.
** FISC_EIO has been reported when the file was closed. */
static int batch_one(batch *b, fisc_store *st, const char *code, long *listed, long *written,
		     long *skipped)
{
	const char *fmt = b->fmt;
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	fisc_doc *d = NULL;
	fisc_report_params p = {0};
	p.year = b->year;
	p.region = code;
	p.unit = b->o->unit_name;
	if (b->o->phase)
		p.phase = fisc_phase_parse(b->o->phase, strlen(b->o->phase));
	year_seen y = {b->year, 0};
	int rc = a ? fisc_balance_each_selection(st, code, saw_year, &y) : FISC_ENOMEM;
	if (rc == FISC_OK && !y.seen) { /* not a region of the batch */
		fisc_arena_free(a);
		return FISC_OK;
	}
	(*listed)++;
	if (rc == FISC_OK)
		rc = fisc_store_region_find(st, code, a, &r);
	if (rc == FISC_OK)
		rc = b->k->build(st, &p, a, &d);
	if (rc == FISC_OK && b->o->draft)
		fisc_doc_draft(d);
	if (rc == FISC_ENOTFOUND) { /* nothing this report needs, for this region */
		(*skipped)++;
		fisc_arena_free(a);
		fisc_error_clear();
		return FISC_OK;
	}
	char *name = rc == FISC_OK ? fisc_arena_strdup(a, r.name) : NULL;
	for (char *c = name; c && *c; c++)
		if (*c == '/')
			*c = '_';
	const char *path = name ? fisc_arena_printf(a, "%s/%s_%s%s%s", b->o->output, r.code, name,
						     strcmp(fmt, "csv") ? "." : "_",
						     strcmp(fmt, "csv") ? format_ext(fmt) : "")
			       : NULL;
	if (rc == FISC_OK && !path)
		rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	if (rc == FISC_OK && (!strcmp(fmt, "xlsx") || !strcmp(fmt, "csv"))) {
		rc = fisc_doc_write(d, fmt, path, NULL);
	} else if (rc == FISC_OK) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		rc = m ? fisc_doc_write(d, fmt, NULL, m) : fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		if (m && fclose(m) != 0 && rc == FISC_OK)
			rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		if (rc == FISC_OK) {
			pthread_mutex_lock(&b->lock);
			FILE *f = cli_open_output(path);
			if (!f)
				rc = FISC_EIO;
			else if (fwrite(buf, 1, len, f) != len) {
				cli_close_output(f, path); /* says why */
				rc = FISC_EIO;
			} else if (cli_close_output(f, path) != CLI_OK)
				rc = FISC_EIO;
			pthread_mutex_unlock(&b->lock);
		}
		free(buf);
	}
	if (rc == FISC_OK)
		(*written)++;
	fisc_arena_free(a);
	return rc;
}

static void *batch_worker(void *ud)
{
	batch *b = ud;
	fisc_store *st = cli_open(b->db);
	if (!st) {
		batch_fail(b, FISC_EIO); /* cli_open has said why */
		return NULL;
	}
	if (b->o->as_of && cli_as_of(st, b->o->as_of) != CLI_OK) {
		fisc_store_close(st);
		batch_fail(b, FISC_EIO);
		return NULL;
	}
	/* One snapshot for the whole batch: the store as one instant, and no
	** check per statement whether another connection has changed it. */
	int rc = fisc_store_read_begin(st);
	if (rc != FISC_OK) {
		batch_fail(b, rc);
		fisc_store_close(st);
		return NULL;
	}
	long listed = 0, written = 0, skipped = 0;
	for (;;) {
		pthread_mutex_lock(&b->lock);
		size_t i = b->next++;
		int stop = b->rc != FISC_OK || i >= b->l->n;
		if (!stop)
			fisc_progress_report("地区 / regions", b->l->codes[i], ++b->done, (long)b->l->n);
		pthread_mutex_unlock(&b->lock);
		if (stop)
			break;
		rc = batch_one(b, st, b->l->codes[i], &listed, &written, &skipped);
		if (rc != FISC_OK) {
			batch_fail(b, rc);
			break;
		}
	}
	fisc_store_read_end(st);
	fisc_store_close(st);
	pthread_mutex_lock(&b->lock);
	b->listed += listed;
	b->written += written;
	b->skipped += skipped;
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

/* --all-regions: the regions are listed over the caller's handle; up to
** two workers, each over its own store handle (the library shares no state
** between handles) inside one read snapshot, test them and build their
** reports. Each report is the bytes `fisc report KIND --region CODE` writes. */
static int all_regions(fisc_store *st, const char *db, const char *kind, report_opts *o)
{
	const fisc_report_kind *k = fisc_report_find(kind);
	const char *fmt = o->format ? o->format : "md";
	int year = atoi(o->year);
	if (!k || !(k->needs & FISC_REPORT_NEEDS_REGION) || (k->needs & FISC_REPORT_NEEDS_DEPARTMENT)) {
		fprintf(stderr, "fisc: --all-regions 只用于地区报告（congress、debt）/ --all-regions is for "
				"region reports (congress, debt)\n");
		return CLI_USAGE;
	}
	if (!o->output || !*o->output) {
		fprintf(stderr, "fisc: --all-regions 需要 -o 目录 / --all-regions needs -o DIR\n");
		return CLI_USAGE;
	}
	if (mkdir(o->output, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "fisc: 无法创建目录「%s」/ cannot create directory '%s': %s\n", o->output,
			o->output, strerror(errno));
		return CLI_USAGE;
	}
	region_list l = {fisc_arena_new(), o->level, NULL, 0, 0};
	int rc = l.a ? fisc_store_region_each(st, collect_region, &l) : FISC_ENOMEM;
	batch b = {db, kind, fmt, k, o, &l, year, PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0, rc, ""};
	if (rc != FISC_OK)
		snprintf(b.msg, sizeof b.msg, "%s", fisc_error_message());
	/* Two workers where there are two cores (a report is ~5 ms of CPU);
	** the spreadsheet and CSV writers write their files themselves, one
	** at a time. */
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	/* Each report allocates and frees some megabytes in 64 KiB blocks;
	** glibc would hand the freed top of each worker's heap back to the
	** kernel every time (madvise, and a TLB shootdown across the cores),
	** which cost more than the reports. Keep it for the next report. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20); /* nor map and unmap each big block */
	int nthreads = ncpu >= 2 && l.n >= 4 && strcmp(fmt, "xlsx") && strcmp(fmt, "csv") ? 2 : 1;
	pthread_t th[2];
	int started = 0;
	cli_progress_start();
	for (int t = 0; rc == FISC_OK && t < nthreads; t++)
		if (pthread_create(&th[t], NULL, batch_worker, &b) == 0)
			started++;
	if (rc == FISC_OK && !started)
		batch_worker(&b);
	for (int t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	cli_progress_end();
	free(l.codes);
	fisc_arena_free(l.a);
	rc = b.rc;
	if (rc == FISC_EIO)
		return CLI_FAIL; /* reported when the file was closed */
	if (rc != FISC_OK) {
		fisc_error_set(rc, "%s", b.msg);
		return cli_error(rc == FISC_EINVAL ? CLI_USAGE : CLI_FAIL);
	}
	fprintf(stderr, "写出 %ld 份报告到 %s（%ld 个地区无所需数据）/ wrote %ld report(s) to %s (%ld "
			"region(s) without the data)\n",
		b.written, o->output, b.skipped, b.written, o->output, b.skipped);
	return b.written ? CLI_OK : CLI_USAGE;
}

/* Check every name before building anything: an unknown region, book,
** scope, phase or department, or a missing or bad year, is a usage error
** (exit 2) that names the closest valid values. */
static int run_report(const char *db, report_fn fn, int doc, report_opts *o)
{
	int year;
	if ((o->book && cli_book_check(o->book) != CLI_OK) ||
	    (o->scope && cli_scope_check(o->scope) != CLI_OK) ||
	    (o->phase && cli_phase_check(o->phase) != CLI_OK) ||
	    (!o->all && cli_year_parse(o->year, &year) != CLI_OK))
		return CLI_USAGE;
	if (!o->all && !doc && (!o->region || !*o->region)) {
		fprintf(stderr, "fisc: 缺少 --region / --region is required\n");
		return CLI_USAGE;
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	fisc_arena *a = fisc_arena_new();
	fisc_region r = {0};
	cli_departments *ds = NULL;
	int rc = a ? CLI_OK : CLI_FAIL;
	if (rc == CLI_OK && o->region && *o->region)
		rc = cli_region_check(st, o->region, &r, a);
	if (rc == CLI_OK && o->as_of)
		rc = cli_as_of(st, o->as_of);
	if (rc == CLI_OK && o->department && *o->department &&
	    !cli_department_exists(st, r.id, o->department)) {
		if (cli_departments_load(st, r.id, 0, a, &ds) != FISC_OK)
			rc = cli_error(CLI_FAIL);
		else
			rc = cli_department_resolve(ds, o->department, &o->department);
	}
	FILE *out = stdout;
	if (rc == CLI_OK && o->output && !(doc && doc_writes_files(o)) &&
	    !(out = cli_open_output(o->output)))
		rc = CLI_USAGE;
	if (rc == CLI_OK) {
		int frc = fn(st, o, out);
		int failed = cli_write_failed(out);
		int wrc = CLI_OK;
		if (out != stdout && frc != FISC_OK && !failed)
			cli_discard_output(out); /* no half report over the old file */
		else if (out != stdout)
			wrc = cli_close_output(out, o->output);
		if (frc != FISC_OK && failed) {
			rc = CLI_FAIL; /* the write failure is reported on closing */
		} else if (frc != FISC_OK) {
			cli_error(frc);
			if (frc == FISC_ENOTFOUND && !o->all)
				no_data_hint(st, o, &r);
			rc = frc == FISC_EINVAL || frc == FISC_ENOTFOUND ? CLI_USAGE : CLI_FAIL;
		} else {
			rc = wrc;
		}
	}
	cli_departments_free(ds);
	fisc_arena_free(a);
	fisc_store_close(st);
	return rc;
}

int cmd_report(int argc, char **argv, const char *db)
{
	static const struct option longopts[] = {
		{"region", required_argument, 0, 'r'}, {"year", required_argument, 0, 'y'},
		{"book", required_argument, 0, 'b'},   {"scope", required_argument, 0, 's'},
		{"phase", required_argument, 0, 'p'},  {"format", required_argument, 0, 'f'},
		{"unit", required_argument, 0, 'u'},   {"decimals", required_argument, 0, 'd'},
		{"output", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'},
		{"all", no_argument, 0, 'a'},          {"department", required_argument, 0, 'D'},
		{"as-of", required_argument, 0, 'A'},  {"all-regions", no_argument, 0, 1001},
		{"draft", no_argument, 0, 'R'},        {"level", required_argument, 0, 1002},
		{0, 0, 0, 0}};
	if (argc < 2 || !strcmp(argv[1], "--help"))
		return usage(argc < 2 ? stderr : stdout, argc < 2 ? CLI_USAGE : CLI_OK);
	report_fn fn = NULL;
	int doc = 0;
	for (size_t i = 0; i < sizeof reports / sizeof *reports; i++)
		if (!strcmp(argv[1], reports[i].name)) {
			fn = reports[i].fn;
			doc = reports[i].doc;
		}
	if (!fn) {
		enum { N = sizeof reports / sizeof *reports };
		const char *names[N];
		for (size_t i = 0; i < N; i++)
			names[i] = reports[i].name;
		fprintf(stderr, "fisc: 未知报表 / unknown report '%s'\n", argv[1]);
		cli_suggest(argv[1], names, NULL, N);
		fprintf(stderr, "  fisc report --help 查看用法 / for the options\n");
		return CLI_USAGE;
	}
	report_opts o = {0};
	o.unit = FISC_UNIT_WAN;
	o.decimals = -1;
	optind = 1;
	int c;
	while ((c = getopt_long(argc - 1, argv + 1, ":o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': o.region = optarg; break;
		case 'y': o.year = optarg; break;
		case 'b': o.book = optarg; break;
		case 's': o.scope = optarg; break;
		case 'p': o.phase = optarg; break;
		case 'f': o.format = optarg; break;
		case 'o': o.output = optarg; break;
		case 'd': o.decimals = atoi(optarg); break;
		case 'u':
			o.unit_name = optarg;
			if ((o.unit = fisc_unit_parse(optarg, strlen(optarg))) < 0) {
				fprintf(stderr, "fisc: 无法识别的单位 / unknown unit '%s'\n", optarg);
				return CLI_USAGE;
			}
			break;
		case 'a': o.all = 1; break;
		case 1001: o.all_regions = 1; break;
		case 1002: o.level = optarg; break;
		case 'D': o.department = optarg; break;
		case 'A': o.as_of = optarg; break;
		case 'R': o.draft = 1; break;
		case 'h': return usage(stdout, CLI_OK);
		default: return cli_option_error(c, argv[optind], longopts); /* argv + 1 */
		}
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "fisc: 多余的参数 / unexpected argument '%s'\n", argv[optind + 1]);
		return usage(stderr, CLI_USAGE);
	}
	if (o.level && !o.all_regions) {
		fprintf(stderr, "fisc: --level 只用于 --all-regions / --level is for --all-regions\n");
		return CLI_USAGE;
	}
	if (o.all_regions) {
		int year;
		if (cli_year_parse(o.year, &year) != CLI_OK ||
		    (o.phase && cli_phase_check(o.phase) != CLI_OK))
			return CLI_USAGE;
		fisc_store *st = cli_open(db);
		if (!st)
			return CLI_USAGE;
		int rc = o.as_of ? cli_as_of(st, o.as_of) : CLI_OK;
		if (rc == CLI_OK)
			rc = all_regions(st, db, argv[1], &o);
		fisc_store_close(st);
		return rc;
	}
	return run_report(db, fn, doc, &o);
}
