/*
** cmd_migrate.c — `fisc migrate [--check]`: bring a store's schema up to
** this program's, or only say whether it is. Every command also migrates
** an older store when it opens it; this is the explicit, documented step an
** operator runs (and checks) after upgrading fisc.
*/
#include <stdio.h>
#include <string.h>
#include "cli.h"

int cmd_migrate(int argc, char **argv, const char *db)
{
	int check = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check")) {
			check = 1;
		} else {
			int help = !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h");
			fprintf(help ? stdout : stderr,
				"用法 / usage: fisc [--db STORE] migrate [--check]\n"
				"  应用尚未应用的数据库结构迁移（一个事务），打印 原版本 → 新版本\n"
				"  apply the pending schema migrations (one transaction), print from → to\n"
				"  --check   只报告，不修改；有待迁移时退出码 1 | report only; exit 1 when some are pending\n");
			return help ? CLI_OK : CLI_USAGE;
		}
	}
	fisc_store *st;
	int rc = fisc_store_open_v2(db, FISC_OPEN_NO_MIGRATE, &st);
	if (rc != FISC_OK)
		return cli_error(rc == FISC_ENOTFOUND ? CLI_USAGE : CLI_FAIL);
	int from, to;
	rc = fisc_store_migrate(st, !check, &from, &to);
	fisc_store_close(st);
	if (rc != FISC_OK)
		return cli_error(CLI_FAIL);
	if (from == to) {
		printf("数据库结构已是最新：版本 %d / schema is up to date: version %d\n", to, to);
		return CLI_OK;
	}
	if (check) {
		printf("待迁移：版本 %d → %d（%d 个迁移）/ pending: version %d → %d (%d migrations)\n", from,
		       to, to - from, from, to, to - from);
		return CLI_FAIL;
	}
	printf("已迁移：版本 %d → %d / migrated: version %d → %d\n", from, to, from, to);
	return CLI_OK;
}
