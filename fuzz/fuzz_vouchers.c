/*
** fuzz_vouchers.c — libFuzzer target for the payment-voucher importer.
**
** Each input is imported as a vouchers CSV into an in-memory store seeded
** with the bundled catalogue and two regions. The import must either
** succeed or report problems; afterwards the store must hold either every
** voucher or none, and the rollup aggregates must still add up to exactly
** what the importer says it wrote.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/fisc.h"
#include "fisc/voucher.h"

static fisc_store *st;
static int64_t expect_n, expect_fen;

static void setup(void)
{
	const char *dir = getenv("FISC_DATADIR");
	if (fisc_store_open_v2(":memory:", 0, &st) != FISC_OK ||
	    fisc_catalog_seed(st, dir && *dir ? dir : FISC_DATADIR) != FISC_OK)
		abort();
	static const char regions[] = "code,name,parent,level\n110000,北京市,,省\n110101,东城区,110000,区\n";
	fisc_diag *d = fisc_diag_new();
	fisc_import_stats s;
	if (fisc_import_csv_buffer(st, "regions.csv", regions, sizeof regions - 1, d, &s) != FISC_OK)
		abort();
	fisc_diag_free(d);
	expect_n = expect_fen = 0;
}

static int sum(void *ud, const fisc_rollup_row *r)
{
	int64_t *t = ud;
	t[0] += r->count;
	t[1] += r->fen;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!st)
		setup();
	if (size > 1 << 16)
		return 0;
	int64_t before = fisc_store_voucher_count(st);
	fisc_diag *d = fisc_diag_new();
	fisc_voucher_stats s;
	int rc = fisc_voucher_import_buffer(st, "fuzz.csv", (const char *)data, size, d, &s);
	char line[2048];
	for (size_t i = 0; i < fisc_diag_count(d); i++)
		fisc_diag_format(fisc_diag_get(d, i), line, sizeof line);
	fisc_diag_free(d);
	int64_t after = fisc_store_voucher_count(st);
	if (rc != FISC_OK && (after != before || s.vouchers != 0))
		abort(); /* a failed import wrote something */
	if (rc == FISC_OK) {
		if (after != before + s.vouchers)
			abort();
		expect_n += s.vouchers;
		expect_fen += s.fen;
	}
	/* Both rollups, from the aggregates and from a scan, at every level. */
	for (int by = 1; by <= 2; by++)
		for (int level = 1; level <= 3; level++)
			for (int scan = 0; scan < 2; scan++) {
				int64_t t[2] = {0, 0};
				if (fisc_voucher_rollup(st, by, level, scan, sum, t) != FISC_OK ||
				    t[0] != expect_n || t[1] != expect_fen)
					abort();
			}
	/* Keep the store small so the run stays fast and inputs stay independent. */
	if (after > 1000) {
		fisc_store_close(st);
		st = NULL;
	}
	return 0;
}
