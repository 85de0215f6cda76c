/*
** fuzz_audit.c — libFuzzer target for `fisc audit`: the reader (UTF-8 repair,
** NFKC, page numbers, paragraph joining), the lexer, context tracking, claim
** extraction, the checks and both writers.
**
** Every input must audit without a crash, leak or sanitizer report, and the
** report must be self-consistent: check counts add up, every finding has a
** line within the text and a message. Inputs starting with '#' also run the
** rule engine on the extracted facts (slower: an in-memory store each time).
** Every input also goes through the file reader's decoding (GB18030/GBK and
** UTF-16 conversion with iconv, refusal of PDF/ZIP/binary) and what it gives
** is audited too.
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
	if (size > 1 << 16)
		return 0;
	const char *dir = getenv("FISC_DATADIR");
	fisc_audit_opts o = {size && data[0] == '#' && size < 4096, dir && *dir ? dir : FISC_DATADIR};
	fisc_arena *a = fisc_arena_new();
	fisc_audit_report *r = NULL;
	int rc = fisc_audit_buffer("fuzz.txt", (const char *)data, size, &o, a, &r);
	if (rc != FISC_OK) {
		if (rc != FISC_ENOMEM)
			abort(); /* text never makes an audit fail */
		fisc_arena_free(a);
		return 0;
	}
	const fisc_audit_checks *c = &r->checks;
	if (c->exact + c->within_rounding + c->failed + c->unverifiable != c->total)
		abort();
	for (size_t i = 0; i < r->nfindings; i++) {
		const fisc_audit_finding *f = &r->findings[i];
		if (f->line < 1 || f->line > r->lines + 1 || !f->message_zh || !f->message_en ||
		    !f->rule)
			abort();
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (out) {
		fisc_audit_report *const reps[1] = {r};
		if (fisc_audit_write(reps, 1, "text", out) != FISC_OK ||
		    fisc_audit_write(reps, 1, "json", out) != FISC_OK ||
		    fisc_audit_write_claims(r, out) != FISC_OK)
			abort();
		fclose(out);
		free(buf);
	}
	fisc_arena_free(a);
	/* the file reader's decoding (GB18030/GBK, UTF-16, refusals), then an
	** audit of what it gives */
	char *t = malloc(size + 1);
	if (!t)
		return 0;
	memcpy(t, data, size);
	t[size] = 0;
	size_t n = size;
	if (au_decode("fuzz.txt", &t, &n) == FISC_OK) {
		if (strlen(t) > n)
			abort(); /* the length covers the text */
		a = fisc_arena_new();
		fisc_audit_opts o2 = {0, o.datadir};
		if (fisc_audit_buffer("fuzz.txt", t, n, &o2, a, &r) != FISC_OK && fisc_error_message()[0] == 0)
			abort();
		fisc_arena_free(a);
	}
	free(t);
	return 0;
}
