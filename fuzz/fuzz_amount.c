/*
** fuzz_amount.c — libFuzzer target for the amount parser and printer.
**
** Whatever the bytes, parsing must not crash, and an amount that parses must
** print and parse back to the same fen (the printer and parser agree).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > 256)
		return 0;
	/* The first byte picks the default unit, the rest is the text. */
	fisc_unit def = (fisc_unit)((int)(data[0] % 4) - 1);
	fisc_amount a;
	if (fisc_amount_parse((const char *)data + 1, size - 1, def, &a) != FISC_OK)
		return 0;
	char buf[96];
	int n = fisc_amount_format(&a, FISC_FMT_GROUP | FISC_FMT_UNIT, buf, sizeof buf);
	if (n < 0)
		abort();
	fisc_amount b;
	if (fisc_amount_parse(buf, (size_t)n, FISC_UNIT_NONE, &b) != FISC_OK || b.fen != a.fen ||
	    b.unit != a.unit || b.decimals != a.decimals)
		abort();
	return 0;
}
