/*
** fuzz_xlsx.c — libFuzzer target for the XLSX row reader: any bytes, read
** as a workbook held in memory, must end in rows or in a diag entry, never
** in a crash, a hang, a leak or a read past a cell.
**
**   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Isrc/lib \
**     fuzz/fuzz_xlsx.c src/lib/import/xlsx.c src/lib/import/diag.c \
**     src/lib/model/arena.c src/lib/model/error.c \
**     $(pkg-config --libs libzip expat)
**   ./a.out fuzz/corpus/xlsx
*/
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fisc/import.h"
#include "import/rows.h"

/* Read every byte of every cell, so that ASan sees any cell that is not
** what its length says, and check the promises rows.h makes. */
static int touch(void *ud, const fisc_row *row)
{
	unsigned *sum = ud;
	if (!row->file || !row->sheet || !row->cells || !row->lens ||
	    !row->cols || row->ncells == 0 || row->line < 1)
		abort();
	for (size_t i = 0; i < row->ncells; i++) {
		const char *c = row->cells[i];
		if (row->cols[i] != (int)i || c[row->lens[i]] != 0)
			abort();
		/* A formula without a cached value comes as an empty cell. */
		if (!row->flags || ((row->flags[i] & FISC_CELL_NO_VALUE) && row->lens[i]))
			abort();
		for (size_t k = 0; k < row->lens[i]; k++)
			*sum += (unsigned char)c[k];
	}
	for (const char *s = row->sheet; *s; s++)
		*sum += (unsigned char)*s;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fisc_diag *d = fisc_diag_new();
	unsigned sum = 0;
	if (!d)
		return 0;
	fisc_xlsx_read_buffer("fuzz.xlsx", data, size, touch, &sum, d);
	for (size_t i = 0; i < fisc_diag_count(d); i++) {
		const fisc_diag_entry *e = fisc_diag_get(d, i);
		if (!e->file || !e->msg_zh || !e->msg_en)
			abort();
		sum += (unsigned)strlen(e->msg_zh) + (unsigned)strlen(e->msg_en);
	}
	fisc_diag_free(d);
	return sum == 0xdeadbeef; /* keep sum alive */
}
