/*
** cmd_import.c — `fisc import FILE...`: one transaction for all files; every
** problem printed with its place, in Chinese and English; nothing written
** unless there is none. With --amend the files are a correction: every
** changed figure is printed old → new before the amendment is committed as
** one document (fisc/history.h); --dry-run prints and writes nothing.
*/
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] import FILE.csv|FILE.xlsx ...\n"
		   "       fisc [--db PATH] import --amend --reason R [--author A] [--doc 文号]\n"
		   "            [--date YYYY-MM-DD] [--dry-run] FILE ...\n\n"
		   "  --amend        修正：与库中同键而数值不同的行为修改，新键为新增，action 列为\n"
		   "                 withdraw/撤回 的行为撤回；提交前列出每一处变化（旧 → 新）\n"
		   "                 | a correction: changed, added and withdrawn figures, shown old → new\n"
		   "  --reason R     修正理由（必填）| why (required)\n"
		   "  --author A     修正人 | who\n"
		   "  --doc 文号     修正文件的文号 | the amending document's number\n"
		   "  --date D       生效日期（默认今天）| the date it takes effect (default today, UTC)\n"
		   "  --dry-run      只列出变化，不写入 | show the changes, write nothing\n"
		   "格式见 docs/formats.md，修正见 docs/history.md | format: docs/formats.md, docs/history.md\n");
	return code;
}

static void print_diag(fisc_diag *diag, int *io)
{
	char line[2048];
	for (size_t i = 0; i < fisc_diag_count(diag); i++) {
		const fisc_diag_entry *e = fisc_diag_get(diag, i);
		fisc_diag_format(e, line, sizeof line);
		fprintf(stderr, "%s\n", line);
		*io |= e->kind == FISC_DIAG_IO;
	}
}

/* ---- amendments ---- */

typedef struct show_ctx {
	fisc_store *st;
	fisc_arena *a;
	fisc_catalog *cat;
	int cat_year;
	int rc;
	int dry, shown;
} show_ctx;

static const char *amount(show_ctx *s, const fisc_fact *f)
{
	char buf[96];
	if (!f)
		return "—";
	if (!f->has_amount)
		return "空白";
	if (fisc_amount_format(&f->amount, FISC_FMT_GROUP | FISC_FMT_UNIT, buf, sizeof buf) < 0)
		return "?";
	return fisc_arena_strdup(s->a, buf);
}

/* One change: where, what (region, year, book, scope, phase, item and its
** name, detail), old → new. */
static int show_change(void *ud, const fisc_change *c)
{
	static const char *const op[] = {"", "新增", "修改", "撤回"};
	show_ctx *s = ud;
	const fisc_fact *f = c->now ? c->now : c->old;
	if (!s->shown++)
		printf("%s / changes:\n", s->dry ? "修正预览（试运行）" : "修正内容");
	if (!s->cat || s->cat_year != f->year) {
		fisc_catalog_free(s->cat);
		s->cat = NULL;
		if (fisc_catalog_load(s->st, f->year, &s->cat) != FISC_OK)
			return s->rc = FISC_ESTORE;
		s->cat_year = f->year;
	}
	fisc_region r;
	const char *region = fisc_store_region_get(s->st, f->region, s->a, &r) == FISC_OK ? r.name : "?";
	const char *name = fisc_catalog_item_name(s->cat, f->item);
	printf("  %s  %s  %s %d %s %s %s %s", op[c->op], c->where, region, f->year,
	       fisc_book_name((fisc_book)f->book), fisc_scope_name((fisc_scope)f->scope),
	       fisc_phase_name((fisc_phase)f->phase), f->item);
	if (name && strcmp(name, f->item))
		printf(" %s", name);
	const char *detail[4] = {f->dept, f->project, f->econ, f->fund};
	for (int i = 0; i < 4; i++)
		if (*detail[i])
			printf(" / %s", detail[i]);
	if (f->kind == FISC_FACT_STATED)
		printf("（表述数）");
	printf("：%s → %s\n", amount(s, c->old), amount(s, c->now));
	return 0;
}

static int parse_date(const char *s, int32_t *out)
{
	int y, m, d;
	char end;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3) {
		fprintf(stderr, "fisc: 日期应为 YYYY-MM-DD / --date needs YYYY-MM-DD: '%s'\n", s);
		return CLI_USAGE;
	}
	*out = y * 10000 + m * 100 + d;
	return CLI_OK;
}

static int amend(const char *db, char **files, int n, const fisc_amend_opts *o)
{
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	fisc_diag *diag = fisc_diag_new();
	fisc_amend_stats stats;
	show_ctx s = {st, fisc_arena_new(), NULL, 0, FISC_OK, o->dry_run, 0};
	int rc = s.a && diag ? fisc_amend_files(st, (const char *const *)files, (size_t)n, o, diag,
						show_change, &s, &stats)
			     : FISC_ENOMEM;
	int io = 0;
	if (diag)
		print_diag(diag, &io);
	fisc_diag_free(diag);
	fisc_catalog_free(s.cat);
	fisc_arena_free(s.a);
	fisc_store_close(st);
	if (rc != FISC_OK) {
		cli_error(rc);
		return io || rc == FISC_EINVAL ? CLI_USAGE : CLI_FAIL;
	}
	long n_changes = stats.added + stats.amended + stats.withdrawn;
	if (o->dry_run)
		printf("试运行：修改 %ld 处，新增 %ld 处，撤回 %ld 处，未变 %ld 处；未写入 | dry run: %ld amended, %ld added, %ld withdrawn, %ld unchanged; nothing written\n",
		       stats.amended, stats.added, stats.withdrawn, stats.unchanged, stats.amended,
		       stats.added, stats.withdrawn, stats.unchanged);
	else if (!n_changes)
		printf("修正没有改变任何数，未写入 | the amendment changes nothing; nothing written\n");
	else
		printf("修正文件 #%lld：修改 %ld 处，新增 %ld 处，撤回 %ld 处，未变 %ld 处 | document #%lld: %ld amended, %ld added, %ld withdrawn, %ld unchanged\n",
		       (long long)stats.doc, stats.amended, stats.added, stats.withdrawn,
		       stats.unchanged, (long long)stats.doc, stats.amended, stats.added,
		       stats.withdrawn, stats.unchanged);
	return CLI_OK;
}

int cmd_import(int argc, char **argv, const char *db)
{
	static const struct option longopts[] = {
		{"amend", no_argument, 0, 'm'},	      {"reason", required_argument, 0, 'R'},
		{"author", required_argument, 0, 'A'}, {"doc", required_argument, 0, 'N'},
		{"date", required_argument, 0, 'D'},   {"dry-run", no_argument, 0, 'n'},
		{"help", no_argument, 0, 'h'},	      {0, 0, 0, 0}};
	if (argc < 2)
		return usage(stderr, CLI_USAGE);
	fisc_amend_opts o = {0};
	int is_amend = 0, amend_only = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': is_amend = 1; break;
		case 'R': o.reason = optarg, amend_only = 1; break;
		case 'A': o.author = optarg, amend_only = 1; break;
		case 'N': o.number = optarg, amend_only = 1; break;
		case 'D':
			amend_only = 1;
			if (parse_date(optarg, &o.date) != CLI_OK)
				return CLI_USAGE;
			break;
		case 'n': o.dry_run = 1, amend_only = 1; break;
		case 'h': return usage(stdout, CLI_OK);
		default: return cli_option_error(c, argv[optind - 1], longopts);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "fisc: 缺少文件 / no file given\n");
		return usage(stderr, CLI_USAGE);
	}
	if (amend_only && !is_amend) {
		fprintf(stderr, "fisc: --reason、--author、--doc、--date、--dry-run 只用于 --amend / these options belong to --amend\n");
		return CLI_USAGE;
	}
	if (is_amend && (!o.reason || !*o.reason)) {
		fprintf(stderr, "fisc: 修正须说明理由 --reason / an amendment needs --reason\n");
		return CLI_USAGE;
	}
	for (int i = optind; i < argc; i++)
		if (cli_unreadable(argv[i]))
			return CLI_USAGE;
	if (is_amend)
		return amend(db, argv + optind, argc - optind, &o);
	fisc_store *st = cli_create(db);
	if (!st)
		return CLI_USAGE;
	fisc_diag *diag = fisc_diag_new();
	fisc_import_stats stats;
	cli_progress_start();
	int rc = fisc_import_files(st, (const char *const *)argv + optind, (size_t)(argc - optind),
				   diag, &stats);
	cli_progress_end();
	int io = 0;
	print_diag(diag, &io);
	fisc_diag_free(diag);
	fisc_store_close(st);
	if (rc == FISC_OK) {
		printf("导入 %ld 个文件：%ld 个地区，%ld 条事实", stats.files, stats.regions, stats.facts);
		if (stats.indicators || stats.texts)
			printf("，%ld 项绩效指标，%ld 段绩效文字", stats.indicators, stats.texts);
		printf(" | imported %ld file(s): %ld region(s), %ld fact(s)", stats.files, stats.regions,
		       stats.facts);
		if (stats.indicators || stats.texts)
			printf(", %ld performance indicator(s), %ld text section(s)", stats.indicators,
			       stats.texts);
		printf("\n");
		return CLI_OK;
	}
	cli_error(rc);
	return io ? CLI_USAGE : CLI_FAIL;
}
