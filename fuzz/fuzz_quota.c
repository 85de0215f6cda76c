/*
** fuzz_quota.c — libFuzzer target for the 指标 document importer (CSV):
** each input is parsed, then applied to an in-memory ledger. An import must
** either apply everything or nothing: on failure the lines and their figures
** are unchanged, and after any input every line keeps 0 ≤ 已支付 + 在途 ≤ 指标.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/fisc.h"

static fisc_ledger *l;
static long runs;

static int64_t quota_sum(int64_t *nlines)
{
	int64_t sum = 0;
	*nlines = fisc_ledger_line_count(l);
	for (int64_t id = 1; id <= *nlines; id++) {
		fisc_quota_line ln;
		if (fisc_ledger_line_get(l, id, &ln) != FISC_OK)
			abort();
		if (ln.paid < 0 || ln.pending < 0 || ln.paid + ln.pending > ln.quota)
			abort();
		sum += ln.quota;
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 16)
		return 0;
	if (!l && fisc_ledger_open(":memory:", &l) != FISC_OK)
		abort();
	char line[2048];
	fisc_diag *d = fisc_diag_new();
	size_t ndocs = 0;
	/* Parse only, then for real. */
	int parsed = fisc_quota_import_buffer(NULL, "fuzz.csv", (const char *)data, size, d, &ndocs);
	fisc_diag_free(d);
	d = fisc_diag_new();
	int64_t n0, s0 = quota_sum(&n0);
	int rc = fisc_quota_import_buffer(l, "fuzz.csv", (const char *)data, size, d, &ndocs);
	for (size_t i = 0; i < fisc_diag_count(d); i++)
		fisc_diag_format(fisc_diag_get(d, i), line, sizeof line);
	if (rc != FISC_OK && fisc_diag_count(d) == 0)
		abort(); /* refused without saying where */
	if (parsed != FISC_OK && rc == FISC_OK)
		abort(); /* the ledger accepted what the parser rejected */
	int64_t n1, s1 = quota_sum(&n1);
	if (rc != FISC_OK && (n1 != n0 || s1 != s0))
		abort(); /* a failed import changed the ledger */
	fisc_diag_free(d);
	if (++runs % 500 == 0) {
		fisc_ledger_close(l);
		l = NULL;
	}
	return 0;
}
