/*
** cmd_catalog.c — `fisc catalog import YEAR DIR` loads an official edition of
** the classification without a rebuild; `fisc catalog lookup TEXT...` shows
** what a code, name or alias means in a year's edition; `fisc catalog
** editions` lists the editions the store holds.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage:\n"
		   "  fisc catalog import YEAR DIR     载入某年度科目目录 | load an edition (DIR: revenue.csv, expenditure_*.csv[, lines.csv, aliases.csv])\n"
		   "  fisc catalog lookup [--year Y] [--book B] TEXT...   查询代码、名称或别名 | resolve codes, names, aliases\n"
		   "  fisc catalog editions            列出库中各年度版本及来源 | list the editions: year, entries, source, loaded at\n");
	return code;
}

static int lookup(int argc, char **argv, const char *db)
{
	int year = 2100, book = -1, i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage(stdout, CLI_OK);
		if (!strcmp(argv[i], "--year")) {
			if (cli_year_parse(i + 1 < argc ? argv[++i] : NULL, &year) != CLI_OK)
				return CLI_USAGE;
		} else if (!strcmp(argv[i], "--book")) {
			if (i + 1 == argc) {
				fprintf(stderr, "fisc: --book 需要一个值 / --book needs a value\n");
				return CLI_USAGE;
			}
			if (cli_book_check(argv[++i]) != CLI_OK)
				return CLI_USAGE;
			book = fisc_book_parse(argv[i], strlen(argv[i]));
		} else {
			fprintf(stderr, "fisc: 未知选项 / unknown option '%s'\n", argv[i]);
			return usage(stderr, CLI_USAGE);
		}
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

static int print_edition(void *ud, const fisc_edition *e)
{
	int *n = ud;
	if (!(*n)++)
		printf("年度/year\t条目/entries\t来源/source\t载入时间/loaded (UTC)\n");
	printf("%d\t%lld\t%s\t%s\n", e->year, (long long)e->entries, e->source, e->loaded_at);
	return 0;
}

static int editions(int argc, char **argv, const char *db)
{
	if (argc > 1) {
		if (!strcmp(argv[1], "--help"))
			return usage(stdout, CLI_OK);
		fprintf(stderr, "fisc: 多余的参数 / unexpected argument '%s'\n", argv[1]);
		return usage(stderr, CLI_USAGE);
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	int n = 0;
	int rc = fisc_store_edition_each(st, print_edition, &n);
	fisc_store_close(st);
	if (rc != FISC_OK)
		return cli_error(CLI_FAIL);
	if (!n)
		fprintf(stderr, "fisc: 库中没有科目目录 / the store has no catalogue edition\n");
	return CLI_OK;
}

int cmd_catalog(int argc, char **argv, const char *db)
{
	if (argc < 2 || !strcmp(argv[1], "--help"))
		return usage(argc < 2 ? stderr : stdout, argc < 2 ? CLI_USAGE : CLI_OK);
	if (!strcmp(argv[1], "lookup"))
		return lookup(argc - 1, argv + 1, db);
	if (!strcmp(argv[1], "editions"))
		return editions(argc - 1, argv + 1, db);
	if (strcmp(argv[1], "import")) {
		static const char *const subs[] = {"import", "lookup", "editions"};
		fprintf(stderr, "fisc: 未知的 catalog 子命令 / unknown catalog command '%s'\n", argv[1]);
		cli_suggest(argv[1], subs, NULL, 3);
		return CLI_USAGE;
	}
	if (argc != 4)
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
