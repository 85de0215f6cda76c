/*
** fuzz_csv.c — libFuzzer target for the CSV reader and the facts importer.
**
** Each input is imported into an in-memory store seeded with the bundled
** catalogue and two regions. The import must either succeed or report
** problems; afterwards the store must hold either everything or nothing.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/fisc.h"

static fisc_store *st;

static void setup(void)
{
	const char *dir = getenv("FISC_DATADIR");
	if (fisc_store_open(":memory:", &st) != FISC_OK ||
	    fisc_catalog_seed(st, dir && *dir ? dir : FISC_DATADIR) != FISC_OK)
		abort();
	static const char regions[] = "code,name,parent,level\n500000,重庆市,,省\n500109,北碚区,500000,区\n";
	fisc_diag *d = fisc_diag_new();
	fisc_import_stats s;
	if (fisc_import_csv_buffer(st, "regions.csv", regions, sizeof regions - 1, d, &s) != FISC_OK)
		abort();
	fisc_diag_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!st)
		setup();
	if (size > 1 << 16)
		return 0;
	int64_t before = fisc_store_fact_count(st);
	fisc_diag *d = fisc_diag_new();
	fisc_import_stats s;
	int rc = fisc_import_csv_buffer(st, "fuzz.csv", (const char *)data, size, d, &s);
	char line[2048];
	for (size_t i = 0; i < fisc_diag_count(d); i++)
		fisc_diag_format(fisc_diag_get(d, i), line, sizeof line);
	int64_t after = fisc_store_fact_count(st);
	if (rc != FISC_OK && after != before)
		abort(); /* a failed import wrote something */
	if (rc == FISC_OK && after != before + s.facts)
		abort();
	fisc_diag_free(d);
	/* Keep the store small so the run stays fast and inputs stay independent. */
	if (after > 1000) {
		fisc_store_close(st);
		st = NULL;
	}
	return 0;
}
