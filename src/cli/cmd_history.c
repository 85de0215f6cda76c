/*
** cmd_history.c — `fisc history --region R --year Y [--book B] [--item I]
** [--department D]`: every version of the selected figures, oldest first,
** each with the document that established it (an import or an amendment:
** 文号, date, author, reason) and what became of it (current, superseded by
** or withdrawn by a later document). Rendered through the document model,
** so every format escapes and aligns like the reports.
*/
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] history --region R --year Y [--book B] [--scope S]\n"
		   "       [--phase P] [--item CODE|名称] [--department D] [--format text|md|html|json|csv|xlsx] [-o OUT]\n\n"
		   "  列出所选各数的全部版本：依据文件（导入或修正，文号、日期、作者、理由）与去向\n"
		   "  | every version of the selected figures, with the document behind each\n");
	return code;
}

int cmd_history(int argc, char **argv, const char *db)
{
	static const struct option longopts[] = {
		{"region", required_argument, 0, 'r'}, {"year", required_argument, 0, 'y'},
		{"book", required_argument, 0, 'b'},   {"scope", required_argument, 0, 's'},
		{"phase", required_argument, 0, 'p'},  {"item", required_argument, 0, 'i'},
		{"department", required_argument, 0, 'D'}, {"format", required_argument, 0, 'f'},
		{"output", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	const char *region = NULL, *year_s = NULL, *book = NULL, *scope = NULL, *phase = NULL;
	const char *item = NULL, *dept = NULL, *format = "text", *output = NULL;
	int c, year;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': region = optarg; break;
		case 'y': year_s = optarg; break;
		case 'b': book = optarg; break;
		case 's': scope = optarg; break;
		case 'p': phase = optarg; break;
		case 'i': item = optarg; break;
		case 'D': dept = optarg; break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'h': return usage(stdout, CLI_OK);
		default: return cli_option_error(c, argv[optind - 1], longopts);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fisc: 多余的参数 / unexpected argument '%s'\n", argv[optind]);
		return usage(stderr, CLI_USAGE);
	}
	if (!region || !*region) {
		fprintf(stderr, "fisc: 缺少 --region / --region is required\n");
		return CLI_USAGE;
	}
	if (cli_year_parse(year_s, &year) != CLI_OK || (book && cli_book_check(book) != CLI_OK) ||
	    (scope && cli_scope_check(scope) != CLI_OK) || (phase && cli_phase_check(phase) != CLI_OK))
		return CLI_USAGE;
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	int rc = a ? cli_region_check(st, region, &r, a) : CLI_FAIL;
	fisc_query q = {0};
	fisc_doc *d = NULL;
	if (rc == CLI_OK) {
		q.region = r.id;
		q.year = year;
		if (book) {
			q.book_set = 1;
			q.book = (uint8_t)fisc_book_parse(book, strlen(book));
		}
		if (scope)
			q.scope = (uint8_t)fisc_scope_parse(scope, strlen(scope));
		if (phase)
			q.phase = (uint8_t)fisc_phase_parse(phase, strlen(phase));
		q.dept = dept;
		int frc = fisc_history_build(st, &r, &q, item, a, &d);
		if (frc != FISC_OK)
			rc = cli_error(frc == FISC_EUNSUPPORTED ? CLI_USAGE : CLI_FAIL);
	}
	if (rc == CLI_OK)
		rc = cli_write_doc(d, format, output);
	fisc_arena_free(a);
	fisc_store_close(st);
	return rc;
}
