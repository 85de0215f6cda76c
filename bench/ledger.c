/*
** ledger.c — controlled payments per second through the ledger engine, each
** durable (synchronous=FULL, group commit) before it is acknowledged.
**
**   cc -O2 -Iinclude -Isrc/lib bench/ledger.c build/libfisc.a $(pkg-config --libs sqlite3 \
**      libzip expat jansson libutf8proc xlsxwriter libsodium) -lm -o build/ledger-bench
**   build/ledger-bench DB SUBMITTERS LINES SECONDS
**
** Prints: submitters, lines, payments acknowledged, payments/s, p50 and p99
** acknowledgement latency in µs. Not yet part of bench/run.sh (no peers).
*/
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fisc/fisc.h"

static fisc_ledger *L;
static int nlines;
static volatile int stop;

typedef struct sub {
	int id;
	long n;
	long *lat; /* µs */
	size_t cap;
} sub;

static long now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static void *run(void *arg)
{
	sub *s = arg;
	unsigned seed = (unsigned)s->id * 2654435761u;
	char key[48];
	while (!stop) {
		snprintf(key, sizeof key, "b%d-%ld", s->id, s->n);
		seed = seed * 1103515245u + 12345u;
		fisc_payment p = {key, 1 + (seed >> 8) % (unsigned)nlines, 1 + (seed >> 4) % 100, "收款人",
				  "用途", 0, 0, 0};
		fisc_ledger_result res;
		long t0 = now_us();
		if (fisc_ledger_request(L, &p, &res) != FISC_OK) {
			fprintf(stderr, "%s\n", fisc_error_message());
			exit(1);
		}
		if ((size_t)s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 4096;
			s->lat = realloc(s->lat, s->cap * sizeof *s->lat);
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

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: ledger-bench DB SUBMITTERS LINES SECONDS\n");
		return 2;
	}
	int nsub = atoi(argv[2]), secs = atoi(argv[4]);
	nlines = atoi(argv[3]);
	remove(argv[1]);
	if (fisc_ledger_open(argv[1], &L) != FISC_OK) {
		fprintf(stderr, "%s\n", fisc_error_message());
		return 1;
	}
	fisc_quota_leg *legs = calloc((size_t)nlines, sizeof *legs);
	char (*econ)[16] = calloc((size_t)nlines, sizeof *econ);
	for (int i = 0; i < nlines; i++) {
		snprintf(econ[i], sizeof econ[i], "3%04d", i);
		legs[i].line = (fisc_quota_line){0, "R", 2025, 1, "部门", "", "", econ[i], 1, "", 1, 0, 0, 0};
		legs[i].fen = 1000000000000LL;
	}
	fisc_quota_doc d = {"批复", 20250101, FISC_DOC_APPROVE, "", (size_t)nlines, legs};
	fisc_ledger_result res;
	if (fisc_ledger_apply(L, &d, 1, NULL, &res) != FISC_OK) {
		fprintf(stderr, "%s\n", fisc_error_message());
		return 1;
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
	long *all = malloc((size_t)total * sizeof *all), k = 0;
	for (int i = 0; i < nsub; i++) {
		memcpy(all + k, s[i].lat, (size_t)s[i].n * sizeof *all);
		k += s[i].n;
	}
	qsort(all, (size_t)total, sizeof *all, cmp);
	printf("%d\t%d\t%ld\t%.0f\t%ld\t%ld\n", nsub, nlines, total, (double)total / el,
	       all[total / 2], all[total * 99 / 100]);
	fisc_ledger_close(L);
	return 0;
}
