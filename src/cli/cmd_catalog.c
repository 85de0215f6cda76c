/*
** cmd_catalog.c — `fisc catalog import YEAR DIR` loads an official edition of
** the classification without a rebuild; `fisc catalog lookup TEXT...` shows
** what a code, name or alias means in a year's edition.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage:\n"
		   "  fisc catalog import YEAR DIR     载入某年度科目目录 | load an edition (DIR: revenue.csv, expenditure_*.csv[, lines.csv, aliases.csv])\n"
		   "  fisc catalog lookup [--year Y] [--book B] TEXT...   查询代码、名称或别名 | resolve codes, names, aliases\n");
	return code;
}

static int lookup(int argc, char **argv, const char *db)
{
	int year = 2100, book = -1, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage(stdout, CLI_OK);
		if (!strcmp(argv[i], "--year") && i + 1 < argc)
			year = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--book") && i + 1 < argc) {
			book = fisc_book_parse(argv[i + 1], strlen(argv[i + 1]));
			i++;
			if (book < 0)
				return usage(stderr, CLI_USAGE);
		} else
			return usage(stderr, CLI_USAGE);
	}
	if (i == argc)
		return usage(stderr, CLI_USAGE);
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	fisc_catalog *cat;
	if (fisc_catalog_load(st, year, &cat) != FISC_OK) {
		fisc_store_close(st);
		return cli_error(CLI_FAIL);
	}
	int rc = CLI_OK;
	for (; i < argc; i++) {
		const char *id = fisc_catalog_resolve(cat, argv[i], book);
		if (!id) {
			printf("%s\t-\t未找到 / not found\n", argv[i]);
			rc = CLI_FAIL;
			continue;
		}
		const fisc_line *l = fisc_catalog_line_of(cat, id);
		printf("%s\t%s\t%s\t%s\t(%d)\n", argv[i], id, fisc_catalog_item_name(cat, id),
		       l ? l->name : "", fisc_catalog_edition(cat));
	}
	fisc_catalog_free(cat);
	fisc_store_close(st);
	return rc;
}

int cmd_catalog(int argc, char **argv, const char *db)
{
	if (argc < 2 || !strcmp(argv[1], "--help"))
		return usage(argc < 2 ? stderr : stdout, argc < 2 ? CLI_USAGE : CLI_OK);
	if (!strcmp(argv[1], "lookup"))
		return lookup(argc - 1, argv + 1, db);
	if (strcmp(argv[1], "import") || argc != 4)
		return usage(stderr, CLI_USAGE);
	char *end;
	long year = strtol(argv[2], &end, 10);
	if (*end || year < 1949 || year > 2200) {
		fprintf(stderr, "fisc: 年度无效 / bad year '%s'\n", argv[2]);
		return CLI_USAGE;
	}
	if (cli_unreadable(argv[3]))
		return CLI_USAGE;
	fisc_store *st = cli_create(db);
	if (!st)
		return CLI_USAGE;
	int rc = fisc_catalog_import_dir(st, (int)year, argv[3]);
	fisc_store_close(st);
	if (rc != FISC_OK)
		return cli_error(rc == FISC_EIO ? CLI_USAGE : CLI_FAIL);
	printf("已载入 %ld 年版科目目录 | loaded the %ld edition from %s\n", year, year, argv[3]);
	return CLI_OK;
}
