/*
** cmd_overview.c — `fisc overview --region R --year Y [--format text|json]`:
** a region and year at a glance, the figures the web page's overview shows
** (fisc_overview_render): the four books' 收入总计 and 支出总计 in 预算,
** 调整预算 and 执行, each book's balance statement with its structure, debt
** against its limit and the 指标 ledger's 支出进度. `--format json` prints
** the bytes `GET /api/regions/R/overview?year=Y` sends finance and
** reviewers, so a script reads the same document from either.
*/
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] overview --region R --year Y [--format text|json]\n"
		   "  一个地区一个年度的预算总览：四本预算收支总计（预算、调整预算、执行）、\n"
		   "  收支平衡说明与收支结构、政府债务限额与余额、各部门及按月支出进度（万元）\n"
		   "  a region and year at a glance: the four books' totals, statements and\n"
		   "  structure, debt against its limit, 支出进度 (in 万元)\n"
		   "  --format text（默认，表格以制表符分隔）| json（与 HTTP 接口相同的字节）\n"
		   "  --format text (default, tab-separated tables) | json (the HTTP API's bytes)\n");
	return code;
}

int cmd_overview(int argc, char **argv, const char *db)
{
	static const struct option longopts[] = {{"region", required_argument, 0, 'r'},
						 {"year", required_argument, 0, 'y'},
						 {"format", required_argument, 0, 'f'},
						 {"help", no_argument, 0, 'h'},
						 {0, 0, 0, 0}};
	const char *region = NULL, *format = "text";
	int year = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': region = optarg; break;
		case 'y':
			if (cli_year_parse(optarg, &year) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'f': format = optarg; break;
		case 'h': return usage(stdout, CLI_OK);
		default: return cli_option_error(c, argv[optind - 1], longopts);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fisc: 多余的参数 / unexpected argument '%s'\n", argv[optind]);
		return usage(stderr, CLI_USAGE);
	}
	if (!region || !year) {
		fprintf(stderr, "fisc: overview 需要 --region 和 --year / overview needs --region and "
				"--year\n");
		return usage(stderr, CLI_USAGE);
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		fprintf(stderr, "fisc: 未知格式「%s」（text、json）/ unknown format '%s' (text, json)\n",
			format, format);
		return CLI_USAGE;
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	int rc = a ? cli_region_check(st, region, &r, a) : cli_error(CLI_FAIL);
	/* The whole store is the command line's: the ledger part is shown, as
	** the API shows it to finance and reviewers. */
	if (rc == CLI_OK && fisc_overview_render(st, r.code, year, 1, format, stdout) != FISC_OK)
		rc = cli_write_failed(stdout) ? CLI_FAIL : cli_error(CLI_FAIL);
	fisc_arena_free(a);
	fisc_store_close(st);
	return rc;
}
