/*
** fuzz_csv.c — libFuzzer target for the CSV reader and the importer of every
** table kind (facts, regions, performance indicators and texts).
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
	if (fisc_store_open_v2(":memory:", 0, &st) != FISC_OK ||
	    fisc_catalog_seed(st, dir && *dir ? dir : FISC_DATADIR) != FISC_OK)
		abort();
	static const char regions[] = "code,name,parent,level\n500000,重庆市,,省\n500109,北碚区,500000,区\n";
	fisc_diag *d = fisc_diag_new();
	fisc_import_stats s;
	if (fisc_import_csv_buffer(st, "regions.csv", regions, sizeof regions - 1, d, &s) != FISC_OK)
		abort();
	fisc_diag_free(d);
}

static int count_one(void *ud, const fisc_indicator *x)
{
	(void)x;
	(*(int64_t *)ud)++;
	return 0;
}

static int64_t indicator_count(void)
{
	int64_t n = 0;
	if (fisc_store_indicator_each(st, NULL, count_one, &n) != FISC_OK)
		abort();
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!st)
		setup();
	if (size > 1 << 16)
		return 0;
	int64_t before = fisc_store_fact_count(st), ind_before = indicator_count();
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
	int64_t ind_after = indicator_count();
	if (rc != FISC_OK ? ind_after != ind_before : ind_after != ind_before + s.indicators)
		abort();
	fisc_diag_free(d);
	/* Keep the store small so the run stays fast and inputs stay independent. */
	if (after > 1000) {
		fisc_store_close(st);
		st = NULL;
	}
	return 0;
}
