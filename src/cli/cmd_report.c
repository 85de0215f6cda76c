/*
** cmd_report.c — `fisc report KIND --region R --year Y …`: the reports fisc
** computes from stored facts. Each kind is one entry of the table below.
*/
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct report_opts {
	const char *region, *year, *book, *scope, *phase, *format, *output;
	int unit, decimals, all;
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

/* A balance table, or its statement; for one selection or --all. */
static int balance_or_statement(fisc_store *st, const report_opts *o, FILE *out, int statement)
{
	if (o->all)
		return report_all(st, o, out, statement);
	fisc_arena *a = fisc_arena_new();
	fisc_balance *b;
	int rc = a ? load_balance(st, o, a, &b) : FISC_ENOMEM;
	if (rc == FISC_OK)
		rc = statement ? fisc_statement_write(b, out)
			       : fisc_balance_write(b, o->format ? o->format : "tsv", o->unit,
						    o->decimals, out);
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

/* --all: every selection in the store (or of --region), one after another. */
typedef struct all_ctx {
	fisc_store *st;
	const report_opts *o;
	FILE *out;
	int statement;
	int count;
} all_ctx;

static int one_selection(void *ud, const fisc_selection *sel)
{
	all_ctx *c = ud;
	fisc_arena *a = fisc_arena_new();
	fisc_balance *b;
	int rc = fisc_balance_build(c->st, sel, a, &b);
	if (rc == FISC_ENOTFOUND) { /* a 全辖 that cannot be composed */
		fisc_arena_free(a);
		return FISC_OK;
	}
	if (rc == FISC_OK) {
		fprintf(c->out, "%s## %s %s（%s，%s）\n\n", c->count ? "\n" : "", b->region.name,
			b->title, fisc_phase_name(sel->phase), b->amount_label);
		rc = c->statement ? fisc_statement_write(b, c->out)
				  : fisc_balance_write(b, c->o->format ? c->o->format : "tsv",
						       c->o->unit, c->o->decimals, c->out);
		c->count++;
	}
	fisc_arena_free(a);
	return rc;
}

static int report_all(fisc_store *st, const report_opts *o, FILE *out, int statement)
{
	all_ctx c = {st, o, out, statement, 0};
	int rc = fisc_balance_each_selection(st, o->region, one_selection, &c);
	if (rc == FISC_OK && c.count == 0)
		rc = fisc_error_set(FISC_ENOTFOUND, "没有可生成的平衡表 / no balance facts in the store");
	return rc;
}

static const struct {
	const char *name;
	report_fn fn;
	const char *summary;
} reports[] = {
	{"balance", report_balance, "收支平衡情况表 | balance table (tsv, md, json)"},
	{"statement", report_statement, "收支平衡情况表述 | balance statement sentences"},
};

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] report KIND --region R --year Y [--book B]\n"
		   "       [--scope S] [--phase P] [--format tsv|md|json] [--unit 万元] [--decimals N] [-o FILE]\n"
		   "       fisc report balance|statement --all [--region R]   每个可生成的选择 | every selection\n\n");
	for (size_t i = 0; i < sizeof reports / sizeof *reports; i++)
		fprintf(f, "  %-10s %s\n", reports[i].name, reports[i].summary);
	fprintf(f, "\n名称或代码均可 | names or codes: --region 北碚区|500109  --book 一般公共预算|gpb\n"
		   "  --scope 全区|区级|镇级|all|self|lower  --phase 预算|调整预算|执行|决算\n");
	return code;
}

int cmd_report(int argc, char **argv, const char *db)
{
	static const struct option longopts[] = {
		{"region", required_argument, 0, 'r'}, {"year", required_argument, 0, 'y'},
		{"book", required_argument, 0, 'b'},   {"scope", required_argument, 0, 's'},
		{"phase", required_argument, 0, 'p'},  {"format", required_argument, 0, 'f'},
		{"unit", required_argument, 0, 'u'},   {"decimals", required_argument, 0, 'd'},
		{"output", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'},
		{"all", no_argument, 0, 'a'},
		{0, 0, 0, 0}};
	if (argc < 2 || !strcmp(argv[1], "--help"))
		return usage(argc < 2 ? stderr : stdout, argc < 2 ? CLI_USAGE : CLI_OK);
	report_fn fn = NULL;
	for (size_t i = 0; i < sizeof reports / sizeof *reports; i++)
		if (!strcmp(argv[1], reports[i].name))
			fn = reports[i].fn;
	if (!fn) {
		fprintf(stderr, "fisc: 未知报表 / unknown report '%s'\n", argv[1]);
		return usage(stderr, CLI_USAGE);
	}
	report_opts o = {0};
	o.unit = FISC_UNIT_WAN;
	o.decimals = -1;
	optind = 1;
	int c;
	while ((c = getopt_long(argc - 1, argv + 1, "o:h", longopts, NULL)) != -1) {
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
			if ((o.unit = fisc_unit_parse(optarg, strlen(optarg))) < 0) {
				fprintf(stderr, "fisc: 无法识别的单位 / unknown unit '%s'\n", optarg);
				return CLI_USAGE;
			}
			break;
		case 'a': o.all = 1; break;
		case 'h': return usage(stdout, CLI_OK);
		default: return usage(stderr, CLI_USAGE);
		}
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	FILE *out = stdout;
	if (o.output && !(out = fopen(o.output, "w"))) {
		fprintf(stderr, "fisc: 无法写入 / cannot write '%s'\n", o.output);
		fisc_store_close(st);
		return CLI_USAGE;
	}
	int rc = fn(st, &o, out);
	if (out != stdout)
		fclose(out);
	fisc_store_close(st);
	if (rc == FISC_OK)
		return CLI_OK;
	cli_error(rc);
	return rc == FISC_EINVAL || rc == FISC_ENOTFOUND ? CLI_USAGE : CLI_FAIL;
}
