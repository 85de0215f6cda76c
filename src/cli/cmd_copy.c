/*
** cmd_copy.c — `fisc copy --from STORE --to STORE`: move a whole store to
** another place or backend (SQLite file → SQLite file, SQLite → PostgreSQL),
** all or nothing, the journal verified before and after.
*/
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static int usage(FILE *f, int rc)
{
	fprintf(f, "用法 / usage: fisc copy [--from STORE] --to STORE\n"
		   "  把整个数据库复制到新位置或另一种存储（全部成功或不写入；复制前后都校验日志）\n"
		   "  copy a whole store to a new place or backend (all or nothing; journal verified\n"
		   "  before and after). --from 默认为 --db | defaults to --db. 文件目标不得已存在，\n"
		   "  PostgreSQL 目标须为空 | a file destination must not exist, a PostgreSQL one must be empty.\n"
		   "  STORE: PATH、sqlite:PATH、postgresql://…\n");
	return rc;
}

int cmd_copy(int argc, char **argv, const char *db)
{
	static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
					     {"to", required_argument, NULL, 't'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *from = db, *to = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'f')
			from = optarg;
		else if (c == 't')
			to = optarg;
		else if (c == 'h')
			return usage(stdout, CLI_OK);
		else
			return usage(stderr, CLI_USAGE);
	}
	if (!to || !*to || optind != argc)
		return usage(stderr, CLI_USAGE);
	fisc_store *st = cli_open(from);
	if (!st)
		return CLI_USAGE;
	fisc_copy_stats n;
	cli_progress_start();
	int rc = fisc_store_copy(st, to, &n);
	cli_progress_end();
	fisc_store_close(st);
	if (rc != FISC_OK)
		return cli_error(rc == FISC_EEXIST ? CLI_USAGE : CLI_FAIL);
	printf("已复制到 %s：%lld 个地区，%lld 个科目目录（%lld 条），%lld 条事实，%lld 张凭证，"
	       "%lld 项绩效指标，%lld 段绩效文字，%lld 条指标，%lld 份指标文件，%lld 笔支付，%lld 笔退款，"
	       "%lld 条日志（校验通过），%lld 个用户\n"
	       "copied to %s: %lld regions, %lld editions (%lld entries), %lld facts, %lld vouchers, "
	       "%lld indicators, %lld texts, %lld quota lines, %lld documents, %lld payments, "
	       "%lld refunds, %lld journal entries (verified), %lld users, %lld tokens, %lld events\n",
	       to, (long long)n.regions, (long long)n.editions, (long long)n.catalog,
	       (long long)n.facts, (long long)n.vouchers, (long long)n.indicators,
	       (long long)n.texts, (long long)n.quota_lines, (long long)n.quota_docs,
	       (long long)n.payments, (long long)n.refunds, (long long)n.journal,
	       (long long)n.users, to, (long long)n.regions, (long long)n.editions,
	       (long long)n.catalog, (long long)n.facts, (long long)n.vouchers,
	       (long long)n.indicators, (long long)n.texts, (long long)n.quota_lines,
	       (long long)n.quota_docs, (long long)n.payments, (long long)n.refunds,
	       (long long)n.journal, (long long)n.users, (long long)n.tokens, (long long)n.events);
	return CLI_OK;
}
