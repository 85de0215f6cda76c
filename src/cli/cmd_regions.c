/*
** cmd_regions.c — `fisc regions`: the regions in the store, one per line.
*/
#include <stdio.h>
#include <string.h>
#include "cli.h"

static int print_region(void *ud, const fisc_region *r)
{
	(void)ud;
	printf("%s\t%s\t%s\t%s\t%s/%s/%s\n", r->code, r->name, r->parent_code, r->level,
	       fisc_region_scope_label(r, FISC_SCOPE_ALL), fisc_region_scope_label(r, FISC_SCOPE_SELF),
	       fisc_region_scope_label(r, FISC_SCOPE_LOWER));
	return 0;
}

int cmd_regions(int argc, char **argv, const char *db)
{
	if (argc > 1) {
		/* Help opens no store (and so cannot fail on a missing one). */
		int help = !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
		fprintf(help ? stdout : stderr, "用法 / usage: fisc [--db PATH] regions\n");
		return help ? CLI_OK : CLI_USAGE;
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	int rc = fisc_store_region_each(st, print_region, NULL);
	fisc_store_close(st);
	return rc == FISC_OK ? CLI_OK : cli_error(CLI_FAIL);
}
