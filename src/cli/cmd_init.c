/*
** cmd_init.c — `fisc init`: create a store with the bundled catalogue, the
** explicit way to start. Only init and the importing commands create a
** store, so a mistyped --db is an error rather than a new empty store.
*/
#include <stdio.h>
#include <string.h>
#include "cli.h"

int cmd_init(int argc, char **argv, const char *db)
{
	if (argc != 1) {
		int help = argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"));
		fprintf(help ? stdout : stderr,
			"用法 / usage: fisc [--db PATH] init\n"
			"创建数据库并载入随附的科目目录；已存在时不作改动 | create the store with the bundled "
			"catalogue; an existing store is left as it is\n");
		return help ? CLI_OK : CLI_USAGE;
	}
	fisc_store *st = cli_create(db);
	if (!st)
		return CLI_USAGE;
	int is_new = fisc_store_is_new(st);
	fisc_store_close(st);
	if (is_new)
		printf("已创建数据库 %s | created the store %s\n", db, db);
	else
		printf("数据库已存在，未作改动：%s | the store exists and was left as it is: %s\n", db, db);
	return CLI_OK;
}
