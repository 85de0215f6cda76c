/*
** cmd_quota.c — `fisc quota issue|import|status`: 指标 from the stored
** department budget (年初批复), 指标 documents from a file (all or nothing),
** and the figures of every line with the documents behind them.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int usage(FILE *f, int rc)
{
	fprintf(f,
		"用法 / usage:\n"
		"  fisc quota issue --from-budget --region R --year Y [--no 文号] [--author A] [--date YYYYMMDD]\n"
		"      由已导入的部门预算（预算阶段）生成年初批复指标 | 年初批复 from stored department budget facts\n"
		"  fisc quota import FILE.csv|FILE.xlsx\n"
		"      导入指标文件（批复/追加/调减/调剂/收回/结转/下达；全部成功或全部不写入）| 指标 documents, all or nothing\n"
		"      列 / columns: no,date,kind,author,region,year,book,department,project,function,economic,\n"
		"                    fund_source,fund_doc,expense_kind,amount（见 docs/ledger.md）\n"
		"  fisc quota close --year Y [--region R] [--date YYYYMMDD]\n"
		"      年终：基本支出结余收回，项目支出结转下年一次、再结余收回 | year end: 收回 or 结转 of every 可用\n"
		"  fisc quota rollup [--year Y]\n"
		"      已支付（扣退款）按部门×项目×功能分类×经济分类×预算本×月汇总 | paid per line identity and month\n"
		"  fisc quota facts --region R --year Y\n"
		"      由账本生成执行阶段事实（本级，按部门/功能/经济分类）| execution facts from the ledger\n"
		"  fisc quota check --region R --year Y\n"
		"      核对已存执行事实与账本汇总是否一致 | stored execution facts against the ledger\n"
		"  fisc quota status [--department D] [--region R] [--year Y] [--format tsv|json]\n"
		"      每个指标行的 指标/已支付/在途/可用/支出进度 及其文件 | figures of every line\n");
	return rc;
}

static int open_ledger(const char *db, fisc_ledger **l)
{
	/* cli_open creates and seeds a new store; the engine then opens its own handle. */
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	fisc_store_close(st);
	if (fisc_ledger_open(db, l) != FISC_OK)
		return cli_error(CLI_FAIL);
	return CLI_OK;
}

static void print_result(const char *what, const fisc_ledger_result *res)
{
	char q[64], p[64], w[64], a[64];
	fisc_fen_format(res->quota, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, q, sizeof q);
	fisc_fen_format(res->paid, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, p, sizeof p);
	fisc_fen_format(res->pending, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, w, sizeof w);
	fisc_fen_format(res->quota - res->paid - res->pending, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, a,
			sizeof a);
	printf("%s%s；指标行 %lld：指标 %s 元，已支付 %s 元，在途 %s 元，可用 %s 元\n", what,
	       res->replay ? "（重复提交，返回首次结果 / replay）" : "", (long long)res->line, q, p,
	       w, a);
}

static int issue(int argc, char **argv, const char *db)
{
	const char *region = NULL, *no = NULL, *author = "";
	int year = 0, from_budget = 0, date = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--from-budget"))
			from_budget = 1;
		else if (!strcmp(argv[i], "--region") && i + 1 < argc)
			region = argv[++i];
		else if (!strcmp(argv[i], "--year") && i + 1 < argc)
			year = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no") && i + 1 < argc)
			no = argv[++i];
		else if (!strcmp(argv[i], "--author") && i + 1 < argc)
			author = argv[++i];
		else if (!strcmp(argv[i], "--date") && i + 1 < argc)
			date = atoi(argv[++i]);
		else
			return usage(stderr, CLI_USAGE);
	}
	if (!from_budget || !region || year < 1949 || year > 9999)
		return usage(stderr, CLI_USAGE);
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	fisc_ledger *l;
	if (fisc_ledger_open(db, &l) != FISC_OK) {
		fisc_store_close(st);
		return cli_error(CLI_FAIL);
	}
	fisc_ledger_result res;
	size_t nlegs = 0;
	int rc = fisc_quota_from_budget(st, l, region, year, no, author, date, &res, &nlegs);
	fisc_ledger_close(l);
	fisc_store_close(st);
	if (rc != FISC_OK)
		return cli_error(CLI_FAIL);
	printf("年初批复：%zu 行 / 年初批复 with %zu leg(s)\n", nlegs, nlegs);
	print_result(res.replay ? "已存在 / exists" : "已下达 / issued", &res);
	return CLI_OK;
}

static int import(int argc, char **argv, const char *db)
{
	if (argc != 2)
		return usage(stderr, CLI_USAGE);
	fisc_ledger *l;
	int rc = open_ledger(db, &l);
	if (rc != CLI_OK)
		return rc;
	fisc_diag *diag = fisc_diag_new();
	size_t ndocs = 0;
	rc = fisc_quota_import_file(l, argv[1], diag, &ndocs);
	fisc_ledger_close(l);
	char line[2048];
	int io = 0;
	for (size_t i = 0; i < fisc_diag_count(diag); i++) {
		fisc_diag_format(fisc_diag_get(diag, i), line, sizeof line);
		fprintf(stderr, "%s\n", line);
		io |= fisc_diag_get(diag, i)->kind == FISC_DIAG_IO;
	}
	fisc_diag_free(diag);
	if (rc != FISC_OK) {
		cli_error(rc);
		return io ? CLI_USAGE : CLI_FAIL;
	}
	printf("导入 %zu 份指标文件 / imported %zu document(s)\n", ndocs, ndocs);
	return CLI_OK;
}

static int close_cmd(int argc, char **argv, const char *db)
{
	const char *region = NULL;
	int year = 0, date = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--year") && i + 1 < argc)
			year = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--region") && i + 1 < argc)
			region = argv[++i];
		else if (!strcmp(argv[i], "--date") && i + 1 < argc)
			date = atoi(argv[++i]);
		else
			return usage(stderr, CLI_USAGE);
	}
	if (year < 1949 || year > 9998)
		return usage(stderr, CLI_USAGE);
	fisc_ledger *l;
	int rc = open_ledger(db, &l);
	if (rc != CLI_OK)
		return rc;
	fisc_quota_close_stats s;
	rc = fisc_quota_close(l, region, year, date, &s);
	fisc_ledger_close(l);
	if (rc != FISC_OK)
		return cli_error(CLI_FAIL);
	char r[64], c[64];
	fisc_fen_format(s.reclaimed, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, r, sizeof r);
	fisc_fen_format(s.carried, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, c, sizeof c);
	printf("%d 年终：%d 份文件；结余收回 %ld 行 %s 元，结转 %d 年 %ld 行 %s 元 / year end %d: %d document(s); "
	       "taken back %ld line(s) %s, carried into %d %ld line(s) %s\n",
	       year, s.documents, s.reclaimed_lines, r, year + 1, s.carried_lines, c, year,
	       s.documents, s.reclaimed_lines, r, year + 1, s.carried_lines, c);
	return CLI_OK;
}

static int rollup_row(void *ud, const fisc_quota_rollup_row *r)
{
	(void)ud;
	char fen[64];
	fisc_fen_format(r->fen, FISC_UNIT_YUAN, 2, 0, fen, sizeof fen);
	printf("%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d-%02d\t%s\n", r->region, r->year,
	       fisc_book_name(r->book), r->dept, r->project, r->func, r->econ,
	       fisc_exp_kind_name(r->kind), r->year, r->month, fen);
	return 0;
}

static int diff_row(void *ud, const fisc_exec_diff *d)
{
	(void)ud;
	char a[64] = "-", b[64] = "-";
	if (d->in_ledger)
		fisc_fen_format(d->ledger, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, a, sizeof a);
	if (d->in_facts)
		fisc_fen_format(d->facts, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, b, sizeof b);
	printf("不一致 / mismatch\t%s\t%s\t%s\t%s\t%s\t账本 ledger %s\t事实 facts %s\n", d->dept,
	       d->project, d->item, d->econ, fisc_book_name(d->book), a, b);
	return 0;
}

static int exec_cmd(int argc, char **argv, const char *db, int which)
{
	const char *region = NULL;
	int year = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--region") && i + 1 < argc)
			region = argv[++i];
		else if (!strcmp(argv[i], "--year") && i + 1 < argc)
			year = atoi(argv[++i]);
		else
			return usage(stderr, CLI_USAGE);
	}
	if ((which != 'r' && !region) || (which != 'r' && year < 1949))
		return usage(stderr, CLI_USAGE);
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	int rc;
	long n = 0;
	if (which == 'r') {
		printf("地区\t年度\t预算本\t部门\t项目\t功能分类\t经济分类\t支出类型\t月份\t已支付\n");
		rc = fisc_store_quota_rollup(st, year, rollup_row, NULL);
	} else if (which == 'f') {
		rc = fisc_quota_exec_facts(st, region, year, &n);
		if (rc == FISC_OK)
			printf("写入 %ld 条执行事实 / wrote %ld execution fact(s)\n", n, n);
	} else {
		rc = fisc_quota_exec_check(st, region, year, diff_row, NULL, &n);
		if (rc == FISC_OK && !n)
			printf("执行事实与账本一致 / execution facts equal the ledger\n");
	}
	fisc_store_close(st);
	if (rc != FISC_OK)
		return cli_error(CLI_FAIL);
	return which == 'c' && n ? CLI_FAIL : CLI_OK;
}

/* ---- status ---------------------------------------------------------------- */

static int status_cmd(int argc, char **argv, const char *db)
{
	fisc_quota_filter f = {NULL, 0, NULL};
	const char *format = "tsv";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--department") && i + 1 < argc)
			f.dept = argv[++i];
		else if (!strcmp(argv[i], "--region") && i + 1 < argc)
			f.region = argv[++i];
		else if (!strcmp(argv[i], "--year") && i + 1 < argc)
			f.year = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			format = argv[++i];
			if (strcmp(format, "json") && strcmp(format, "tsv"))
				return usage(stderr, CLI_USAGE);
		} else
			return usage(stderr, CLI_USAGE);
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	int rc = fisc_quota_status_write(st, &f, format, stdout);
	fisc_store_close(st);
	return rc == FISC_OK ? CLI_OK : cli_error(CLI_FAIL);
}

int cmd_quota(int argc, char **argv, const char *db)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(argc < 2 ? stderr : stdout, argc < 2 ? CLI_USAGE : CLI_OK);
	if (!strcmp(argv[1], "issue"))
		return issue(argc - 1, argv + 1, db);
	if (!strcmp(argv[1], "import"))
		return import(argc - 1, argv + 1, db);
	if (!strcmp(argv[1], "rollup"))
		return exec_cmd(argc - 1, argv + 1, db, 'r');
	if (!strcmp(argv[1], "facts"))
		return exec_cmd(argc - 1, argv + 1, db, 'f');
	if (!strcmp(argv[1], "check"))
		return exec_cmd(argc - 1, argv + 1, db, 'c');
	if (!strcmp(argv[1], "close"))
		return close_cmd(argc - 1, argv + 1, db);
	if (!strcmp(argv[1], "status"))
		return status_cmd(argc - 1, argv + 1, db);
	fprintf(stderr, "fisc quota: 未知子命令 / unknown subcommand '%s'\n", argv[1]);
	return usage(stderr, CLI_USAGE);
}
