/*
** cmd_regions.c — `fisc regions`: the regions in the store, one per line.
*/
#include <stdio.h>
#include <string.h>
#include "cli.h"

static int print_region(void *ud, const fisc_region *r)
{
	(void)ud;
	/* Names come from imported files: written through fisc_text_put, an
	** escape sequence in one is shown, never run by the terminal. */
	const char *v[] = {r->code, r->name, r->parent_code, r->level};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		fisc_text_put(v[i], stdout);
		putchar('\t');
	}
	fisc_text_put(fisc_region_scope_label(r, FISC_SCOPE_ALL), stdout);
	putchar('/');
	fisc_text_put(fisc_region_scope_label(r, FISC_SCOPE_SELF), stdout);
	putchar('/');
	fisc_text_put(fisc_region_scope_label(r, FISC_SCOPE_LOWER), stdout);
	putchar('\n');
	return 0;
}

int cmd_regions(int argc, char **argv, const char *db)
{
	if (argc > 1) {
		int help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
		if (!help)
			fprintf(stderr, "fisc: 多余的参数 / unexpected argument '%s'\n", argv[1]);
		fprintf(help ? stdout : stderr,
			"用法 / usage: fisc [--db PATH] regions\n"
			"  每行一个地区：代码、名称、上级代码、级次、全辖/本级/下级的称谓\n"
			"  one region a line: code, name, parent code, level, scope labels\n");
		return help ? CLI_OK : CLI_USAGE;
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	int rc = fisc_store_region_each(st, print_region, NULL);
	fisc_store_close(st);
	return rc == FISC_OK ? CLI_OK : cli_error(CLI_FAIL);
}
