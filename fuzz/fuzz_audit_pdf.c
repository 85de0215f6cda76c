/*
** fuzz_audit_pdf.c — libFuzzer target for the audit's PDF reader (pdf.c):
** any bytes must give text or a clear refusal (FISC_EIO with a message, or
** FISC_ENOMEM), never a crash, leak or sanitizer report, and the text it
** gives must audit cleanly, every finding on a line of the text and, when
** the text has pages, on a page of it.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/audit.h"
#include "fisc/error.h"
#include "audit/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 18)
		return 0;
	char *t = NULL;
	size_t n = 0;
	int rc = au_pdf_text("fuzz.pdf", (const char *)data, size, &t, &n);
	if (rc != FISC_OK) {
		if (t || (rc != FISC_EIO && rc != FISC_ENOMEM) || !fisc_error_message()[0])
			abort();
		return 0;
	}
	if (!t || strlen(t) > n)
		abort(); /* NUL-terminated, the length covers the text */
	size_t pages = 1;
	for (size_t i = 0; i < n; i++)
		pages += t[i] == '\f';
	fisc_arena *a = fisc_arena_new();
	fisc_audit_opts o = {0, NULL};
	fisc_audit_report *r = NULL;
	if (a && fisc_audit_buffer("fuzz.pdf", t, n, &o, a, &r) == FISC_OK) {
		for (size_t i = 0; i < r->nfindings; i++) {
			const fisc_audit_finding *f = &r->findings[i];
			if (f->line < 1 || f->line > r->lines + 1)
				abort();
			if (f->page && (f->page < 1 || (size_t)f->page > pages || f->page_line < 1 ||
					f->page_line > f->line))
				abort();
		}
	}
	fisc_arena_free(a);
	free(t);
	return 0;
}
