/*
** cmd_check.c — `fisc check`: run every rule over the stored facts and print
** the findings. Exit 0 when there is no error, 1 when there are errors, 2
** when the store, the region or the options could not be read.
*/
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "fisc/rules.h"

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] check [--region R] [--year Y] [--format text|json]\n"
		   "       [--all] [--rules ID,…] [--list-rules] [--as-of DATE|DOCUMENT]\n\n"
		   "  --region R     地区名称或代码 | region name or code (default: all)\n"
		   "  --year Y       只报告涉及该年度的检查 | only checks involving year Y\n"
		   "  --format F     text（默认）或 json | text (default) or json\n"
		   "  --all          同时列出完全相符的检查 | also list checks that hold exactly\n"
		   "  --rules IDS    只运行这些规则（前缀亦可：debt,years.carry）| run only these rules\n"
		   "  --list-rules   列出全部规则 | list the rules\n"
		   "  --as-of A      按某日（YYYY-MM-DD）或某文件（#N、文号）时的数据检查 | the store as of a date or document\n\n"
		   "退出码 / exit: 0 无错误 no errors, 1 有错误 errors, 2 无法读取输入 input unreadable\n");
	return code;
}

int cmd_check(int argc, char **argv, const char *db)
{
	static const struct option longopts[] = {
		{"region", required_argument, 0, 'r'}, {"year", required_argument, 0, 'y'},
		{"format", required_argument, 0, 'f'}, {"all", no_argument, 0, 'a'},
		{"rules", required_argument, 0, 'R'},  {"list-rules", no_argument, 0, 'L'},
		{"help", no_argument, 0, 'h'},	       {"as-of", required_argument, 0, 'A'},
		{0, 0, 0, 0}};
	fisc_check_opts o = {0};
	const char *format = "text", *as_of = NULL;
	int list = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': o.region = optarg; break;
		case 'y':
			if (cli_year_parse(optarg, &o.year) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'f': format = optarg; break;
		case 'a': o.all = 1; break;
		case 'R': o.rules = optarg; break;
		case 'L': list = 1; break;
		case 'A': as_of = optarg; break;
		case 'h': return usage(stdout, CLI_OK);
		default: return cli_option_error(c, argv[optind - 1], longopts);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fisc: 多余的参数 / unexpected argument '%s'\n", argv[optind]);
		return usage(stderr, CLI_USAGE);
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		fprintf(stderr, "fisc: 未知格式 / unknown format '%s' (text, json)\n", format);
		return CLI_USAGE;
	}
	if (list) {
		if (fisc_rules_write(format, stdout) == FISC_OK)
			return CLI_OK;
		return cli_write_failed(stdout) ? CLI_FAIL : cli_error(CLI_USAGE);
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	fisc_arena *a = fisc_arena_new();
	fisc_findings *fs = NULL;
	fisc_region r;
	if (a && ((o.region && cli_region_check(st, o.region, &r, a) != CLI_OK) ||
		  (as_of && cli_as_of(st, as_of) != CLI_OK))) {
		fisc_arena_free(a);
		fisc_store_close(st);
		return CLI_USAGE;
	}
	int rc = a ? fisc_check_run(st, &o, a, &fs) : FISC_ENOMEM;
	if (rc == FISC_OK && (!o.rules || strstr(o.rules, "ledger")))
		rc = fisc_quota_check_findings(st, o.region, o.year, a, fs); /* docs/ledger.md */
	fisc_store_close(st);
	if (rc != FISC_OK) {
		cli_error(rc);
		fisc_arena_free(a);
		return CLI_USAGE;
	}
	rc = fisc_findings_write(fs, format, stdout);
	int errors = fs->severities[FISC_SEV_ERROR] > 0;
	fisc_arena_free(a);
	if (rc != FISC_OK) /* a failed write is reported when stdout is closed */
		return cli_write_failed(stdout) ? CLI_FAIL : cli_error(CLI_USAGE);
	return errors ? CLI_FAIL : CLI_OK;
}
