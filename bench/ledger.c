/*
** ledger.c — controlled payments per second, each durable before it is
** acknowledged, through the fisc ledger engine and through the two ways
** people would do it without it: SQLite and PostgreSQL with one transaction
** per payment (the conditional UPDATE of the line plus the payment row
** under a unique key). Every submitter is a thread that sends one payment,
** waits for its acknowledgement, and sends the next.
**
**   build/ledger-bench fisc   DB      SUBMITTERS LINES SECONDS
**   build/ledger-bench sqlite DB      SUBMITTERS LINES SECONDS
**   build/ledger-bench pg     CONNINFO SUBMITTERS LINES SECONDS   (built with -DWITH_PQ)
**   build/ledger-bench verify DB ENTRIES     journal verify over ENTRIES entries
**                                             (DB built first unless it holds them)
**
** Payments prints one TSV row: system, submitters, lines, payments
** acknowledged, payments/s, p50 and p99 acknowledgement latency in µs.
** verify prints: entries, seconds to build (0: DB held them), seconds to
** verify, entries/s.
** bench/ledger.sh runs the grid and writes the ledger section of
** BENCHMARKS.md.
*/
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "fisc/fisc.h"
#ifdef WITH_PQ
#include <libpq-fe.h>
#endif

#define QUOTA 1000000000000LL /* per line: never exhausted in a run */

static const char *target;
static int nlines;
static volatile int stop;

typedef struct sub {
	int id;
	long n;
	long *lat; /* µs */
	size_t cap;
	void *conn;
} sub;

static long now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "ledger-bench: %s: %s\n", what, msg);
	exit(1);
}

/* ---- fisc: the engine ----------------------------------------------------- */

static fisc_ledger *L;

static void fisc_setup(void)
{
	remove(target);
	if (fisc_ledger_open(target, &L) != FISC_OK)
		die("open", fisc_error_message());
	fisc_quota_leg *legs = calloc((size_t)nlines, sizeof *legs);
	char (*econ)[16] = calloc((size_t)nlines, sizeof *econ);
	for (int i = 0; i < nlines; i++) {
		snprintf(econ[i], sizeof econ[i], "3%04d", i);
		legs[i].line = (fisc_quota_line){0, "R", 2025, 1, "部门", "", "", econ[i], 1, "", 1, 0, 0, 0};
		legs[i].fen = QUOTA;
	}
	fisc_quota_doc d = {"批复", 20250101, FISC_DOC_APPROVE, "", (size_t)nlines, legs};
	fisc_ledger_result res;
	if (fisc_ledger_apply(L, &d, 1, NULL, &res) != FISC_OK)
		die("quota", fisc_error_message());
	free(legs);
	free(econ);
}

static void fisc_pay(sub *s, const char *key, long line, long fen)
{
	fisc_payment p = {key, line, fen, "收款人", "用途", 0, 0, 0, 0};
	fisc_ledger_result res;
	if (fisc_ledger_request(L, &p, &res) != FISC_OK)
		die("payment", fisc_error_message());
}

/* ---- SQLite, one transaction per payment ---------------------------------- */

static const char *const peer_schema =
	"CREATE TABLE line(id INTEGER PRIMARY KEY, quota INTEGER NOT NULL,"
	" paid INTEGER NOT NULL DEFAULT 0, pending INTEGER NOT NULL DEFAULT 0,"
	" CHECK(paid >= 0 AND pending >= 0 AND paid + pending <= quota));"
	"CREATE TABLE payment(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
	" line_id INTEGER NOT NULL REFERENCES line(id), fen INTEGER NOT NULL CHECK(fen > 0),"
	" payee TEXT NOT NULL, purpose TEXT NOT NULL, state INTEGER NOT NULL);";

typedef struct sq {
	sqlite3 *db;
	sqlite3_stmt *begin, *upd, *ins, *commit, *rollback;
} sq;

static sqlite3 *sq_open(void)
{
	sqlite3 *db;
	if (sqlite3_open(target, &db) != SQLITE_OK)
		die("sqlite open", sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 60000);
	if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
			 NULL) != SQLITE_OK)
		die("sqlite pragma", sqlite3_errmsg(db));
	return db;
}

static void sq_setup(void)
{
	char path[4096];
	remove(target);
	snprintf(path, sizeof path, "%s-wal", target);
	remove(path);
	sqlite3 *db = sq_open();
	sqlite3_stmt *q;
	if (sqlite3_exec(db, peer_schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO line(id, quota) VALUES(?, ?)", -1, &q, NULL) != SQLITE_OK)
		die("sqlite schema", sqlite3_errmsg(db));
	for (int i = 1; i <= nlines; i++) {
		sqlite3_bind_int(q, 1, i);
		sqlite3_bind_int64(q, 2, QUOTA);
		sqlite3_step(q);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die("sqlite lines", sqlite3_errmsg(db));
	sqlite3_close(db);
}

static void sq_prep(sqlite3 *db, const char *sql, sqlite3_stmt **q)
{
	if (sqlite3_prepare_v2(db, sql, -1, q, NULL) != SQLITE_OK)
		die("sqlite prepare", sqlite3_errmsg(db));
}

static int sq_step(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);
	sqlite3_reset(q);
	return rc;
}

static void sq_pay(sub *s, const char *key, long line, long fen)
{
	sq *c = s->conn;
	if (!c) {
		c = s->conn = calloc(1, sizeof *c);
		c->db = sq_open();
		/* BEGIN IMMEDIATE: the write lock first, so the transaction never
		** has to be retried from a read snapshot that went stale. */
		sq_prep(c->db, "BEGIN IMMEDIATE", &c->begin);
		sq_prep(c->db,
			"UPDATE line SET pending = pending + ?2 WHERE id = ?1 AND quota - paid - pending >= ?2",
			&c->upd);
		sq_prep(c->db,
			"INSERT INTO payment(key, line_id, fen, payee, purpose, state) VALUES(?, ?, ?, ?, ?, 1)",
			&c->ins);
		sq_prep(c->db, "COMMIT", &c->commit);
		sq_prep(c->db, "ROLLBACK", &c->rollback);
	}
	if (sq_step(c->begin) != SQLITE_DONE)
		die("sqlite begin", sqlite3_errmsg(c->db));
	sqlite3_bind_int64(c->upd, 1, line);
	sqlite3_bind_int64(c->upd, 2, fen);
	if (sq_step(c->upd) != SQLITE_DONE || sqlite3_changes(c->db) != 1)
		die("sqlite update", sqlite3_errmsg(c->db));
	sqlite3_bind_text(c->ins, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(c->ins, 2, line);
	sqlite3_bind_int64(c->ins, 3, fen);
	sqlite3_bind_text(c->ins, 4, "收款人", -1, SQLITE_STATIC);
	sqlite3_bind_text(c->ins, 5, "用途", -1, SQLITE_STATIC);
	if (sq_step(c->ins) != SQLITE_DONE)
		die("sqlite insert", sqlite3_errmsg(c->db));
	if (sq_step(c->commit) != SQLITE_DONE)
		die("sqlite commit", sqlite3_errmsg(c->db));
}

/* ---- PostgreSQL, one transaction per payment ------------------------------ */

#ifdef WITH_PQ
static PGconn *pg_connect(void)
{
	PGconn *c = PQconnectdb(target);
	if (PQstatus(c) != CONNECTION_OK)
		die("pg connect", PQerrorMessage(c));
	return c;
}

static void pg_exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		die("pg", PQerrorMessage(c));
	PQclear(r);
}

static void pg_setup(void)
{
	PGconn *c = pg_connect();
	char sql[512];
	pg_exec(c, "SET client_min_messages = warning");
	pg_exec(c, "DROP TABLE IF EXISTS payment; DROP TABLE IF EXISTS line");
	pg_exec(c, "CREATE TABLE line(id bigint PRIMARY KEY, quota bigint NOT NULL,"
		   " paid bigint NOT NULL DEFAULT 0, pending bigint NOT NULL DEFAULT 0,"
		   " CHECK(paid >= 0 AND pending >= 0 AND paid + pending <= quota))");
	pg_exec(c, "CREATE TABLE payment(id bigserial PRIMARY KEY, key text NOT NULL UNIQUE,"
		   " line_id bigint NOT NULL REFERENCES line(id), fen bigint NOT NULL CHECK(fen > 0),"
		   " payee text NOT NULL, purpose text NOT NULL, state int NOT NULL)");
	snprintf(sql, sizeof sql,
		 "INSERT INTO line(id, quota) SELECT g, %lld FROM generate_series(1, %d) g",
		 QUOTA, nlines);
	pg_exec(c, sql);
	pg_exec(c, "VACUUM ANALYZE line");
	PQfinish(c);
}

static void pg_pay(sub *s, const char *key, long line, long fen)
{
	PGconn *c = s->conn;
	if (!c) {
		c = s->conn = pg_connect();
		pg_exec(c, "SET synchronous_commit = on");
		/* One statement, so one round trip and one implicit transaction:
		** the payment row exists only if the conditional UPDATE matched. */
		PGresult *r = PQprepare(
			c, "pay",
			"WITH u AS (UPDATE line SET pending = pending + $3"
			" WHERE id = $2 AND quota - paid - pending >= $3 RETURNING id)"
			" INSERT INTO payment(key, line_id, fen, payee, purpose, state)"
			" SELECT $1, id, $3, $4, $5, 1 FROM u",
			5, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			die("pg prepare", PQerrorMessage(c));
		PQclear(r);
	}
	char l[24], f[24];
	snprintf(l, sizeof l, "%ld", line);
	snprintf(f, sizeof f, "%ld", fen);
	const char *v[5] = {key, l, f, "收款人", "用途"};
	PGresult *r = PQexecPrepared(c, "pay", 5, v, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK || strcmp(PQcmdTuples(r), "1") != 0)
		die("pg payment", PQerrorMessage(c));
	PQclear(r);
}
#endif

/* ---- the submitters ------------------------------------------------------- */

static void (*pay)(sub *, const char *, long, long);

static void *run(void *arg)
{
	sub *s = arg;
	unsigned seed = (unsigned)s->id * 2654435761u + 1;
	char key[48];
	while (!stop) {
		snprintf(key, sizeof key, "b%d-%ld", s->id, s->n);
		seed = seed * 1103515245u + 12345u;
		long line = 1 + (long)((seed >> 8) % (unsigned)nlines);
		long fen = 1 + (long)((seed >> 4) % 100);
		long t0 = now_us();
		pay(s, key, line, fen);
		if ((size_t)s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 4096;
			s->lat = realloc(s->lat, s->cap * sizeof *s->lat);
			if (!s->lat)
				die("memory", "out of memory");
		}
		s->lat[s->n++] = now_us() - t0;
	}
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* ---- journal verify -------------------------------------------------------- */

/* The number of entries of the journal in the store at target (0 when
** there is none). */
static int64_t journal_entries(void)
{
	FILE *f = fopen(target, "rb");
	if (!f)
		return 0;
	fclose(f);
	fisc_store *st;
	int64_t seq = 0;
	uint8_t head[FISC_HASH_BYTES];
	if (fisc_store_open(target, &st) == FISC_OK) {
		if (fisc_journal_head(st, &seq, head) != FISC_OK)
			seq = 0;
		fisc_store_close(st);
	}
	return seq;
}

/* A journal of `entries` entries (1 document, then payment requests),
** written by the engine in batches of 8192 requests, then verified with a
** fresh handle. A store at DB that already holds a journal of `entries`
** entries is verified as it is (building 10^7 entries takes minutes: keep
** the file to measure again). Keys are numbered with leading zeros (in
** index order: when the payment key had an index, before migration 8, "v1" …
** "v999999" put every payment of a batch on its own 64 KB index page). The
** build's gigabytes are written back (sync) before the verify is timed, as
** every payment run starts after a sync: the kernel's writeback of them
** took CPU from the verify's reader thread (a 10.8 s verify right after
** the build, 7.5–9.8 s on the same file later). */
static int verify_bench(long entries)
{
	nlines = 1000;
	long t0 = now_us();
	double build = 0;
	if (journal_entries() != entries) {
		fisc_setup();
		enum { CHUNK = 8192 };
		fisc_ledger_op *ops = calloc(CHUNK, sizeof *ops);
		char (*keys)[24] = calloc(CHUNK, sizeof *keys);
		for (long done = 1; done < entries;) {
			size_t n = entries - done < CHUNK ? (size_t)(entries - done) : CHUNK;
			for (size_t i = 0; i < n; i++) {
				snprintf(keys[i], sizeof keys[i], "v%010ld", done + (long)i);
				ops[i] = (fisc_ledger_op){.kind = 'P'};
				ops[i].pay = (fisc_payment){keys[i], 1 + (done + (long)i) % nlines, 1,
							    "收款人", "用途", 0, 0, 0, 0};
			}
			if (fisc_ledger_submit(L, ops, n) != FISC_OK)
				die("submit", fisc_error_message());
			for (size_t i = 0; i < n; i++)
				if (ops[i].rc != FISC_OK)
					die("payment", ops[i].msg);
			done += (long)n;
		}
		fisc_ledger_close(L);
		free(ops);
		free(keys);
		build = (double)(now_us() - t0) / 1e6;
	}
	sync();
	fisc_store *st;
	if (fisc_store_open(target, &st) != FISC_OK)
		die("open", fisc_error_message());
	fisc_journal_report r;
	t0 = now_us();
	if (fisc_journal_verify(st, &r) != FISC_OK || !r.ok)
		die("verify", r.msg);
	double el = (double)(now_us() - t0) / 1e6;
	fisc_store_close(st);
	printf("%lld\t%.2f\t%.3f\t%.0f\n", (long long)r.entries, build, el, (double)r.entries / el);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "verify")) {
		target = argv[2];
		return verify_bench(atol(argv[3]));
	}
	if (argc != 6) {
		fprintf(stderr, "usage: ledger-bench fisc|sqlite|pg DB|CONNINFO SUBMITTERS LINES SECONDS\n"
				"       ledger-bench verify DB ENTRIES\n");
		return 2;
	}
	const char *sys = argv[1];
	target = argv[2];
	int nsub = atoi(argv[3]), secs = atoi(argv[5]);
	nlines = atoi(argv[4]);
	if (nsub < 1 || nlines < 1 || secs < 1)
		die("usage", "SUBMITTERS, LINES and SECONDS must be positive");
	if (!strcmp(sys, "fisc")) {
		fisc_setup();
		pay = fisc_pay;
	} else if (!strcmp(sys, "sqlite")) {
		sq_setup();
		pay = sq_pay;
#ifdef WITH_PQ
	} else if (!strcmp(sys, "pg")) {
		pg_setup();
		pay = pg_pay;
#endif
	} else {
		die("system", "fisc, sqlite or pg (pg only when built with -DWITH_PQ)");
	}
	sub *s = calloc((size_t)nsub, sizeof *s);
	pthread_t *th = calloc((size_t)nsub, sizeof *th);
	long t0 = now_us();
	for (int i = 0; i < nsub; i++) {
		s[i].id = i;
		pthread_create(&th[i], NULL, run, &s[i]);
	}
	struct timespec ts = {secs, 0};
	nanosleep(&ts, NULL);
	stop = 1;
	long total = 0;
	for (int i = 0; i < nsub; i++) {
		pthread_join(th[i], NULL);
		total += s[i].n;
	}
	double el = (double)(now_us() - t0) / 1e6;
	long *all = malloc((size_t)(total ? total : 1) * sizeof *all), k = 0;
	for (int i = 0; i < nsub; i++) {
		if (s[i].n)
			memcpy(all + k, s[i].lat, (size_t)s[i].n * sizeof *all);
		k += s[i].n;
	}
	qsort(all, (size_t)total, sizeof *all, cmp);
	printf("%s\t%d\t%d\t%ld\t%.0f\t%ld\t%ld\n", sys, nsub, nlines, total, (double)total / el,
	       total ? all[total / 2] : 0, total ? all[total * 99 / 100] : 0);
	if (L)
		fisc_ledger_close(L);
	return 0;
}
