/*
** cmd_diff.c — `fisc diff`: the facts of one region compared line by line
** between two versions of the store (--as-of A --vs-as-of B), two phases
** (--phase 预算 --vs-phase 执行), two years (--year 2023 --vs-year 2024) or
** two stores (--vs-db PATH), each line with the old and new figure, the
** change and its % (fisc_diff_build), in any document format.
*/
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] diff [--region R] --year Y [--phase P] [--as-of A]\n"
		   "       [--vs-year Y2] [--vs-phase P2] [--vs-as-of B] [--vs-db PATH2]\n"
		   "       [--book B] [--scope S] [--department D] [--all-lines]\n"
		   "       [--format text|md|html|json|csv|xlsx|docx|pdf] [--unit 万元] [--decimals N] [-o OUT]\n\n"
		   "  左边为 --year/--phase/--as-of/--db 所选，右边以 --vs-* 改变其中之一或几项\n"
		   "  | the left side is the selection; each --vs-* option changes it for the right side\n"
		   "  --region R      省略时对比全部地区（按地区代码对应）| without it: every region, by code\n"
		   "  --as-of A       YYYY-MM-DD、#N 或文号：库在该日或该文件之后的状态 | a date or document\n"
		   "  --all-lines     同时列出未变的行 | list unchanged lines too\n"
		   "  增减%% 以左边为基数，整数运算四舍五入；基数为 0 时记为“—”\n");
	return code;
}

typedef struct side_opts {
	const char *db, *year, *phase, *as_of;
} side_opts;

/* Open side s's store and fill its query; label from what differs. */
static int open_side(const side_opts *o, const char *region, const char *book, const char *scope,
		     const char *dept, fisc_arena *a, fisc_diff_side *s)
{
	int year;
	if (cli_year_parse(o->year, &year) != CLI_OK ||
	    (o->phase && cli_phase_check(o->phase) != CLI_OK))
		return CLI_USAGE;
	if (!(s->st = cli_open(o->db)))
		return CLI_USAGE;
	if (region) {
		fisc_region r;
		int rc = cli_region_check(s->st, region, &r, a);
		if (rc != CLI_OK)
			return rc;
		s->q.region = r.id;
	}
	s->q.year = year;
	if (o->phase)
		s->q.phase = (uint8_t)fisc_phase_parse(o->phase, strlen(o->phase));
	if (book) {
		s->q.book_set = 1;
		s->q.book = (uint8_t)fisc_book_parse(book, strlen(book));
	}
	if (scope)
		s->q.scope = (uint8_t)fisc_scope_parse(scope, strlen(scope));
	s->q.dept = dept;
	if (o->as_of) {
		int frc = fisc_history_as_of(s->st, o->as_of, &s->q);
		if (frc != FISC_OK)
			return cli_error(frc == FISC_EUNSUPPORTED || frc == FISC_ESTORE ? CLI_FAIL
										: CLI_USAGE);
	}
	return CLI_OK;
}

int cmd_diff(int argc, char **argv, const char *db)
{
	static const struct option longopts[] = {
		{"region", required_argument, 0, 'r'},	{"year", required_argument, 0, 'y'},
		{"phase", required_argument, 0, 'p'},	{"as-of", required_argument, 0, 'A'},
		{"vs-year", required_argument, 0, 'Y'}, {"vs-phase", required_argument, 0, 'P'},
		{"vs-as-of", required_argument, 0, 'B'}, {"vs-db", required_argument, 0, 'V'},
		{"book", required_argument, 0, 'b'},	{"scope", required_argument, 0, 's'},
		{"department", required_argument, 0, 'D'}, {"all-lines", no_argument, 0, 'l'},
		{"format", required_argument, 0, 'f'},	{"unit", required_argument, 0, 'u'},
		{"decimals", required_argument, 0, 'd'}, {"output", required_argument, 0, 'o'},
		{"help", no_argument, 0, 'h'},		{0, 0, 0, 0}};
	side_opts l = {db, NULL, NULL, NULL}, r = {NULL, NULL, NULL, NULL};
	const char *region = NULL, *book = NULL, *scope = NULL, *dept = NULL;
	const char *format = "text", *output = NULL;
	int flags = 0, unit = FISC_UNIT_WAN, decimals = -1, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': region = optarg; break;
		case 'y': l.year = optarg; break;
		case 'p': l.phase = optarg; break;
		case 'A': l.as_of = optarg; break;
		case 'Y': r.year = optarg; break;
		case 'P': r.phase = optarg; break;
		case 'B': r.as_of = optarg; break;
		case 'V': r.db = optarg; break;
		case 'b': book = optarg; break;
		case 's': scope = optarg; break;
		case 'D': dept = optarg; break;
		case 'l': flags |= FISC_DIFF_ALL; break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'd':
			decimals = atoi(optarg);
			if (decimals < 0 || decimals > 4) {
				fprintf(stderr, "fisc: --decimals 应为 0–4 / --decimals must be 0–4\n");
				return CLI_USAGE;
			}
			break;
		case 'u':
			if ((unit = fisc_unit_parse(optarg, strlen(optarg))) < 0) {
				fprintf(stderr, "fisc: 无法识别的单位 / unknown unit '%s'\n", optarg);
				return CLI_USAGE;
			}
			break;
		case 'h': return usage(stdout, CLI_OK);
		default: return cli_option_error(c, argv[optind - 1], longopts);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fisc: 多余的参数 / unexpected argument '%s'\n", argv[optind]);
		return usage(stderr, CLI_USAGE);
	}
	if (region && !*region) {
		fprintf(stderr, "fisc: --region 不能为空 / --region is empty\n");
		return CLI_USAGE;
	}
	if (!r.year && !r.phase && !r.as_of && !r.db) {
		fprintf(stderr, "fisc: 须用 --vs-year、--vs-phase、--vs-as-of 或 --vs-db 指明对比的另一边 / "
				"say what to compare with: --vs-year, --vs-phase, --vs-as-of or --vs-db\n");
		return CLI_USAGE;
	}
	if ((book && cli_book_check(book) != CLI_OK) || (scope && cli_scope_check(scope) != CLI_OK))
		return CLI_USAGE;
	if (!r.db)
		r.db = l.db;
	if (!r.year)
		r.year = l.year;
	if (!r.phase)
		r.phase = l.phase;
	fisc_arena *a = fisc_arena_new();
	if (!a)
		return CLI_FAIL;
	fisc_diff_side sa = {0}, sb = {0};
	int rc = open_side(&l, region, book, scope, dept, a, &sa);
	if (rc == CLI_OK)
		rc = open_side(&r, region, book, scope, dept, a, &sb);
	fisc_doc *d = NULL;
	if (rc == CLI_OK) {
		fisc_diff_spec ls = {l.db, l.year, l.phase, l.as_of}, rs = {r.db, r.year, r.phase, r.as_of};
		sa.label = fisc_diff_label(a, &ls, &rs);
		sb.label = fisc_diff_label(a, &rs, &ls);
		int frc = fisc_diff_build(&sa, &sb, flags, unit, decimals, a, &d);
		if (frc != FISC_OK)
			rc = cli_error(frc == FISC_EUNSUPPORTED ? CLI_USAGE : CLI_FAIL);
	}
	if (rc == CLI_OK)
		rc = cli_write_doc(d, format, output);
	if (sa.st)
		fisc_store_close(sa.st);
	if (sb.st)
		fisc_store_close(sb.st);
	fisc_arena_free(a);
	return rc;
}
