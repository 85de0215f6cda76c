/*
** cmd_journal.c — `fisc journal verify|head`: recompute the ledger journal's
** hash chain and every balance, or print the head hash to publish.
*/
#include <stdio.h>
#include <string.h>
#include "cli.h"

int cmd_journal(int argc, char **argv, const char *db)
{
	if (argc != 2 || (strcmp(argv[1], "verify") && strcmp(argv[1], "head"))) {
		int help = argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
		fprintf(help ? stdout : stderr,
			"用法 / usage:\n"
			"  fisc journal verify   重算日志哈希链与全部余额，报告第一处不一致 | recompute chain and balances\n"
			"  fisc journal head     打印日志头哈希（供公布）| print the head hash to publish\n");
		return help ? CLI_OK : CLI_USAGE;
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	char hex[2 * FISC_HASH_BYTES + 1];
	int rc;
	if (!strcmp(argv[1], "head")) {
		int64_t seq;
		uint8_t h[FISC_HASH_BYTES];
		rc = fisc_journal_head(st, &seq, h);
		fisc_store_close(st);
		if (rc != FISC_OK)
			return cli_error(CLI_FAIL);
		fisc_journal_hex(h, hex);
		printf("%lld\t%s\n", (long long)seq, hex);
		return CLI_OK;
	}
	fisc_journal_report r;
	rc = fisc_journal_verify(st, &r);
	fisc_store_close(st);
	if (rc != FISC_OK)
		return cli_error(CLI_FAIL);
	fisc_journal_hex(r.head, hex);
	if (r.ok) {
		printf("日志校验通过：%lld 条，头哈希 %s / journal verifies: %lld entries, head %s\n",
		       (long long)r.entries, hex, (long long)r.entries, hex);
		return CLI_OK;
	}
	if (r.bad_seq)
		printf("日志校验失败：第一处不一致在条目 %lld / journal does not verify: first disagreement at entry %lld\n%s\n",
		       (long long)r.bad_seq, (long long)r.bad_seq, r.msg);
	else
		printf("日志校验失败：日志完整，但数据库表与日志重算不符 / journal does not verify: the chain holds but the tables differ from its replay\n%s\n",
		       r.msg);
	return CLI_FAIL;
}
