/*
** embed.c — libfisc from a C program: the whole life of a caller in one page.
**
** Opens (or creates) a store, imports data files in one all-or-nothing
** transaction, prints one balance table (北碚区 2023 全区 一般公共预算 执行,
** TSV in 万元) and writes the report to the people's congress as HTML.
** Build against an installed libfisc:
**     cc embed.c $(pkg-config --cflags --libs fisc) -o embed
**     ./embed budget.db report.html regions.csv 003_beibei_2023_2024.csv
** Every failing call returns a code; fisc_error_message() says why.
*/
#include <stdio.h>
#include <fisc/fisc.h>

static int fail(const char *what, int rc)
{
	fprintf(stderr, "embed: %s: %s (%s)\n", what, fisc_error_message(), fisc_error_name(rc));
	return 1;
}

/* All-or-nothing: on FISC_EIMPORT nothing was written and every problem is
** in the diagnostics, one line each (file:line, field, reason). */
static int import(fisc_store *st, const char *const *files, size_t n)
{
	fisc_diag *diag = fisc_diag_new();
	fisc_import_stats stats = {0};
	if (!diag)
		return fail("import", FISC_ENOMEM);
	int rc = fisc_import_files(st, files, n, diag, &stats);
	for (size_t i = 0; i < fisc_diag_count(diag); i++) {
		char line[1024];
		fisc_diag_format(fisc_diag_get(diag, i), line, sizeof line);
		fprintf(stderr, "%s\n", line);
	}
	fisc_diag_free(diag);
	if (rc != FISC_OK)
		return fail("import", rc);
	fprintf(stderr, "imported %ld facts, %ld regions\n", stats.facts, stats.regions);
	return 0;
}

/* A balance and everything it points to live in one arena, freed at once. */
static int balance(fisc_store *st)
{
	fisc_selection sel = {"北碚区", 2023, FISC_BOOK_GPB, FISC_SCOPE_ALL, FISC_PHASE_EXECUTION};
	fisc_arena *a = fisc_arena_new();
	fisc_balance *b;
	int rc = a ? fisc_balance_build(st, &sel, a, &b) : FISC_ENOMEM;
	if (rc == FISC_OK)
		rc = fisc_balance_write(b, "tsv", FISC_UNIT_WAN, -1, stdout);
	fisc_arena_free(a);
	return rc == FISC_OK ? 0 : fail("balance", rc);
}

static int congress(fisc_store *st, const char *html)
{
	fisc_report_params p = {.region = "北碚区", .year = 2023};
	fisc_arena *a = fisc_arena_new();
	fisc_doc *d;
	int rc = a ? fisc_report_congress(st, &p, a, &d) : FISC_ENOMEM;
	if (rc == FISC_OK)
		rc = fisc_doc_write(d, "html", html, NULL);
	fisc_arena_free(a);
	return rc == FISC_OK ? 0 : fail("congress report", rc);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: embed STORE REPORT.html DATA.csv...\n");
		return 2;
	}
	fisc_store *st;
	int rc = fisc_store_open(argv[1], &st);
	if (rc != FISC_OK)
		return fail(argv[1], rc);
	/* An import reads item names through the classification catalogue. A
	** store without one (no edition at all) is seeded from the bundled data
	** (fisc_datadir(): $FISC_DATADIR, the installed path, …); a store that
	** was seeded when it was created, or earlier, is left as it is. */
	int edition;
	rc = fisc_store_edition_for(st, 2023, &edition);
	if (rc == FISC_ENOTFOUND)
		rc = fisc_catalog_seed(st, NULL);
	if (rc != FISC_OK) {
		fisc_store_close(st);
		return fail("catalogue", rc);
	}
	int bad = import(st, (const char *const *)argv + 3, (size_t)argc - 3) || balance(st) ||
		  congress(st, argv[2]);
	fisc_store_close(st);
	return bad;
}
