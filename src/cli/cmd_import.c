/*
** cmd_import.c — `fisc import FILE...`: one transaction for all files; every
** problem printed with its place, in Chinese and English; nothing written
** unless there is none.
*/
#include <stdio.h>
#include <string.h>
#include "cli.h"

int cmd_import(int argc, char **argv, const char *db)
{
	if (argc < 2 || !strcmp(argv[1], "--help")) {
		fprintf(argc < 2 ? stderr : stdout,
			"用法 / usage: fisc [--db PATH] import FILE.csv|FILE.xlsx ...\n"
			"格式见 docs/formats.md | format: docs/formats.md\n");
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	for (int i = 1; i < argc; i++)
		if (cli_unreadable(argv[i]))
			return CLI_USAGE;
	fisc_store *st = cli_create(db);
	if (!st)
		return CLI_USAGE;
	fisc_diag *diag = fisc_diag_new();
	fisc_import_stats stats;
	cli_progress_start();
	int rc = fisc_import_files(st, (const char *const *)argv + 1, (size_t)argc - 1, diag,
				   &stats);
	cli_progress_end();
	char line[2048];
	for (size_t i = 0; i < fisc_diag_count(diag); i++) {
		fisc_diag_format(fisc_diag_get(diag, i), line, sizeof line);
		fprintf(stderr, "%s\n", line);
	}
	int io = 0;
	for (size_t i = 0; i < fisc_diag_count(diag); i++)
		io |= fisc_diag_get(diag, i)->kind == FISC_DIAG_IO;
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
