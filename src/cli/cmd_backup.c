/*
** cmd_backup.c — `fisc backup -o FILE`: a consistent copy of an SQLite store
** taken while others write (the online backup API), checked (integrity_check
** and the journal) before it appears at FILE. A PostgreSQL store is backed
** up with the server's tools; the command says which.
*/
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static int usage(FILE *f, int rc)
{
	fprintf(f, "用法 / usage: fisc [--db STORE] backup -o FILE\n"
		   "  在其他进程写入时做一致的备份，校验后写到 FILE（FILE 不得已存在）\n"
		   "  a consistent copy while others write, checked, written to FILE (which must not exist)\n"
		   "  PostgreSQL 存储请用 pg_dump 或基础备份，见 docs/operations.md\n"
		   "  a PostgreSQL store: pg_dump or a base backup, see docs/operations.md\n");
	return rc;
}

int cmd_backup(int argc, char **argv, const char *db)
{
	static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *out = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'h')
			return usage(stdout, CLI_OK);
		else
			return usage(stderr, CLI_USAGE);
	}
	if (!out || optind != argc)
		return usage(stderr, CLI_USAGE);
	if (fisc_store_uri_is_server(db)) {
		fprintf(stderr,
			"fisc: PostgreSQL 存储由数据库服务器备份：逻辑备份用 pg_dump -Fc，连续归档用 pg_basebackup 与 WAL 归档；步骤见 docs/operations.md\n"
			"      a PostgreSQL store is backed up by the server: pg_dump -Fc for a logical backup,\n"
			"      pg_basebackup with WAL archiving for point-in-time recovery; see docs/operations.md\n");
		return CLI_USAGE;
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	int rc = fisc_store_backup(st, out);
	fisc_store_close(st);
	if (rc != FISC_OK)
		return cli_error(rc == FISC_EEXIST ? CLI_USAGE : CLI_FAIL);
	printf("已备份到 %s（完整性检查与日志校验通过）/ backed up to %s (integrity_check and journal verify pass)\n",
	       out, out);
	return CLI_OK;
}
