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
#include <libpq-fe.h>

/*
** The backend under test. With FISC_TEST_PG set to a libpq conninfo of a
** running server (tests/cli/test_pg_unit.sh starts a throw-away cluster and
** sets it), every store a test makes is a fresh PostgreSQL database instead
** of an SQLite file: the same tests, the other backend.
*/
static inline int tu_pg(void)
{
	const char *e = getenv("FISC_TEST_PG");
	return e && *e;
}

/* The store address for a test that would use the SQLite file `path`: the
** path itself, or a new empty schema in the PostgreSQL database of
** FISC_TEST_PG (a schema is made in a millisecond, a database in half a
** second; a fisc store is whatever its search_path shows). Caller frees. */
static inline char *tu_store_uri(const char *path)
{
	if (!tu_pg())
		return strdup(path);
	static unsigned serial;
	char name[64], conn[1024], sql[256];
	snprintf(name, sizeof name, "fisc_t_%ld_%u", (long)getpid(), serial++);
	PGconn *c = PQconnectdb(getenv("FISC_TEST_PG"));
	snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", name, name);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fprintf(stderr, "tu_store_uri: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	snprintf(conn, sizeof conn, "%s options='-csearch_path=%s'", getenv("FISC_TEST_PG"), name);
	return strdup(conn);
}

/* Tests of what only an SQLite file has (its creation beside the path, its
** VFS, its page size) say so and are skipped on PostgreSQL. */
#define TU_SQLITE_ONLY(why)                                                       \
	do {                                                                      \
		if (tu_pg()) {                                                    \
			fprintf(stderr, "skipped on PostgreSQL: %s\n", why);       \
			skip();                                                   \
		}                                                                 \
	} while (0)

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
