/*
** testutil.h — what every cmocka test file includes: cmocka's own headers in
** the order it requires, and small helpers for temporary stores and files.
*/
#ifndef FISC_TESTUTIL_H
#define FISC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

/* A fresh temporary directory path (created); caller frees. */
static inline char *tu_tmpdir(void)
{
	char tmpl[] = "/tmp/fisc-test-XXXXXX";
	char *d = mkdtemp(tmpl);
	return d ? strdup(d) : NULL;
}

/* Write `text` to DIR/NAME; returns the malloc'ed path. */
static inline char *tu_write(const char *dir, const char *name,
			     const char *text)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return p;
}

static inline void tu_rmrf(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

#endif
