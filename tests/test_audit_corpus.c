/*
** test_audit_corpus.c — measured accuracy of `fisc audit` on documents it was
** not written against: the claim lists of tests/audit/ (seeds, budgetie) and
** tests/audit/corpus/ (the 53 report openings of ../shared/corpus/reports/,
** split into a development and a held-out half by tests/audit/corpus/SPLIT.md).
**
** For each group it prints error precision (errors raised that the lists call
** real), recall (real errors found), false errors, and coverage (listed claims
** the audit recognised with the listed verdict ÷ listed claims). It fails on a
** false error in the seeds, budgetie or the development half, and on any
** error in seed 003. The held-out half is measured only when asked
** (FISC_AUDIT_HELDOUT=1) and never asserted: it exists to be measured once
** and reported, and watching it would invite tuning to it. The constructions
** of tests/audit/constructions.txt (sentences written for the test) are
** asserted in full: every claim read, every error found, no other error.
*/
#include "testutil.h"

#include <glob.h>
#include <sys/stat.h>
#include "fisc/audit.h"
#include "fisc/error.h"

static const char *corpus_dir(void)
{
	static char dir[1024];
	const char *env = getenv("FISC_CORPUS");
	const char *cands[] = {env, "../shared/corpus", "/work/shared/corpus"};
	struct stat sb;
	for (size_t i = 0; i < sizeof cands / sizeof *cands; i++) {
		if (!cands[i] || !*cands[i])
			continue;
		snprintf(dir, sizeof dir, "%s/reports", cands[i]);
		if (stat(dir, &sb) == 0) {
			snprintf(dir, sizeof dir, "%s", cands[i]);
			return dir;
		}
	}
	return NULL;
}

typedef struct row {
	int line;
	char kind[48], verdict[32], stated[64];
} row;

typedef struct tally {
	size_t docs, real, found, falseerr, warnings_unlisted, listed, recognised,
		listed_verifiable, verified, checks;
} tally;

static int is_finding(const char *v)
{
	return !strcmp(v, "error") || !strcmp(v, "warning") || !strcmp(v, "info");
}

/* One claim list: the document it names and its rows. */
static size_t read_list(const char *path, char *doc, size_t cap, row *rows, size_t max)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[4096];
	size_t n = 0;
	doc[0] = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (line[0] == '#') {
			const char *p = strstr(line, "claims of ");
			if (p && !doc[0])
				snprintf(doc, cap, "%s", p + 10);
			continue;
		}
		if (!line[0] || n == max)
			continue;
		char *fld[4] = {0};
		int k = 0;
		for (char *s = line, *e; k < 4 && s; s = e ? e + 1 : NULL, k++) {
			e = strchr(s, '\t');
			if (e)
				*e = 0;
			fld[k] = s;
		}
		if (k < 3)
			continue;
		row *r = &rows[n++];
		r->line = atoi(fld[0]);
		snprintf(r->kind, sizeof r->kind, "%s", fld[1]);
		snprintf(r->verdict, sizeof r->verdict, "%s", fld[2]);
		snprintf(r->stated, sizeof r->stated, "%s", fld[3] ? fld[3] : "");
	}
	fclose(f);
	return n;
}

static const char *sev(int s)
{
	return s == FISC_AUDIT_ERROR ? "error" : s == FISC_AUDIT_WARNING ? "warning" : "info";
}

/* Audit the document of one list and add what it finds to `t`; returns the
** number of false errors, printing each. */
static size_t measure(const char *list, int verbose, tally *t)
{
	static row rows[2048];
	char doc[512], path[2048];
	size_t n = read_list(list, doc, sizeof doc, rows, 2048);
	/* a document of the repository's own (tests/audit/constructions.txt) or
	** of the corpus */
	if (!strncmp(doc, "tests/", 6))
		snprintf(path, sizeof path, "%s", doc);
	else
		snprintf(path, sizeof path, "%s/%s", corpus_dir(), doc);
	fisc_arena *a = fisc_arena_new();
	fisc_audit_opts o = {1, getenv("FISC_DATADIR")};
	fisc_audit_report *r;
	int rc = fisc_audit_file(path, &o, a, &r);
	if (rc != FISC_OK)
		print_error("%s: %s\n", path, fisc_error_message());
	assert_int_equal(rc, FISC_OK);
	char *fm = calloc(r->nfindings + 1, 1), *cm = calloc(r->nclaims + 1, 1);
	size_t real = 0, found = 0, falseerr = 0, listed = 0, recognised = 0, lv = 0, verified = 0;
	for (size_t i = 0; i < n; i++) {
		const row *w = &rows[i];
		if (is_finding(w->verdict)) {
			if (strcmp(w->verdict, "error"))
				continue;
			real++;
			for (size_t j = 0; j < r->nfindings; j++) {
				const fisc_audit_finding *f = &r->findings[j];
				if (!fm[j] && f->severity == FISC_AUDIT_ERROR && f->line == w->line &&
				    !strcmp(f->rule, w->kind)) {
					fm[j] = 1;
					found++;
					break;
				}
			}
			continue;
		}
		listed++;
		int verifiable = strcmp(w->verdict, "unverifiable") != 0;
		lv += verifiable;
		int hit = 0;
		for (size_t j = 0; j < r->nclaims && !hit; j++) {
			const fisc_audit_claim *c = &r->claims[j];
			if (!cm[j] && c->line == w->line && !strcmp(c->kind, w->kind) &&
			    !strcmp(fisc_audit_verdict_code(c->verdict), w->verdict) &&
			    !strcmp(c->stated ? c->stated : "", w->stated)) {
				cm[j] = 1;
				recognised++;
				verified += verifiable;
				hit = 1;
			}
		}
		if (!hit && verbose > 1)
			fprintf(stderr, "    not recognised %s:%d %s %s %s\n", doc, w->line, w->kind, w->verdict,
				w->stated);
	}
	/* warnings the list names count as expected; an unlisted one is noted */
	size_t unlisted_warn = 0;
	for (size_t j = 0; j < r->nfindings; j++) {
		const fisc_audit_finding *f = &r->findings[j];
		if (fm[j] || f->severity == FISC_AUDIT_INFO)
			continue;
		int listed_warning = 0;
		for (size_t i = 0; i < n && !listed_warning; i++)
			listed_warning = rows[i].line == f->line && !strcmp(rows[i].kind, f->rule) &&
					 !strcmp(rows[i].verdict, sev(f->severity));
		if (listed_warning)
			continue;
		if (f->severity == FISC_AUDIT_ERROR) {
			falseerr++;
			fprintf(stderr, "    FALSE ERROR %s:%d [%s] %s\n", doc, f->line, f->rule, f->message_en);
		} else {
			unlisted_warn++;
			if (verbose)
				fprintf(stderr, "    unlisted warning %s:%d [%s] %s\n", doc, f->line, f->rule,
					f->message_en);
		}
	}
	if (verbose)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(rows[i].verdict, "error")) {
				int hit = 0;
				for (size_t j = 0; j < r->nfindings && !hit; j++)
					hit = r->findings[j].line == rows[i].line &&
					      r->findings[j].severity == FISC_AUDIT_ERROR &&
					      !strcmp(r->findings[j].rule, rows[i].kind);
				if (!hit)
					fprintf(stderr, "    missed error %s:%d [%s]\n", doc, rows[i].line,
						rows[i].kind);
			}
	free(fm);
	free(cm);
	t->docs++;
	t->real += real;
	t->found += found;
	t->falseerr += falseerr;
	t->warnings_unlisted += unlisted_warn;
	t->listed += listed;
	t->recognised += recognised;
	t->listed_verifiable += lv;
	t->verified += verified;
	t->checks += r->checks.total;
	if (!strcmp(doc, "seeds/003_84b9d584d86aad8e.txt") && r->errors) {
		fprintf(stderr, "    seed 003 has %zu errors\n", r->errors);
		falseerr += r->errors;
	}
	fisc_arena_free(a);
	return falseerr;
}

static void print_tally(const char *name, const tally *t)
{
	double prec = t->found + t->falseerr ? (double)t->found / (double)(t->found + t->falseerr) : 1.0;
	double rec = t->real ? (double)t->found / (double)t->real : 1.0;
	fprintf(stderr,
		"%-9s %2zu docs: precision %.3f recall %.3f (%zu real errors, %zu found, %zu false;"
		" false errors %.2f%% of %zu checks; %zu unlisted warnings); coverage %.3f (%zu of %zu"
		" listed claims recognised with their verdict; verifiable ones %zu of %zu)\n",
		name, t->docs, prec, rec, t->real, t->found, t->falseerr,
		t->checks ? 100.0 * (double)t->falseerr / (double)t->checks : 0.0, t->checks,
		t->warnings_unlisted, t->listed ? (double)t->recognised / (double)t->listed : 1.0,
		t->recognised, t->listed, t->verified, t->listed_verifiable);
}

/* Every list matching `pattern`; returns the false errors. */
static size_t group(const char *name, const char *pattern, int verbose, tally *t)
{
	glob_t g;
	memset(t, 0, sizeof *t);
	size_t bad = 0;
	if (glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			bad += measure(g.gl_pathv[i], verbose, t);
		globfree(&g);
	}
	if (t->docs)
		print_tally(name, t);
	else
		fprintf(stderr, "%-9s no claim lists\n", name);
	return bad;
}

static void corpus_accuracy(void **state)
{
	(void)state;
	if (!corpus_dir()) {
		print_message("corpus not found (set FISC_CORPUS): skipped\n");
		skip();
	}
	int verbose = getenv("FISC_AUDIT_VERBOSE") ? atoi(getenv("FISC_AUDIT_VERBOSE")) : 0;
	tally ts, tb, td, th;
	size_t bad = 0;
	bad += group("seeds", "tests/audit/seed-*.claims", verbose, &ts);
	bad += group("budgetie", "tests/audit/budgetie-*.claims", verbose, &tb);
	bad += group("dev", "tests/audit/corpus/dev-*.claims", verbose, &td);
	/* measured only on request (FISC_AUDIT_HELDOUT=1), never asserted: a
	** held-out figure is taken once, to report, not watched while tuning */
	if (getenv("FISC_AUDIT_HELDOUT") && atoi(getenv("FISC_AUDIT_HELDOUT")))
		group("heldout", "tests/audit/corpus/heldout-*.claims", verbose, &th);
	else
		fprintf(stderr, "heldout   not measured (FISC_AUDIT_HELDOUT=1 measures it)\n");
	assert_true(td.docs == 27);
	assert_int_equal(bad, 0);
}

/* The constructions of issue 15 item 3 (tests/audit/constructions.txt, sentences
** written for the test): unlike the real documents, every listed claim must be
** read with its verdict and every listed error found, and an ambiguous reading
** is at most a warning (an error the list does not name fails). */
static void constructions(void **state)
{
	(void)state;
	int verbose = getenv("FISC_AUDIT_VERBOSE") ? atoi(getenv("FISC_AUDIT_VERBOSE")) : 2;
	tally t;
	size_t bad = group("construct", "tests/audit/constructions.claims", verbose, &t);
	assert_int_equal(t.docs, 1);
	assert_int_equal(bad, 0);
	assert_int_equal(t.found, t.real);
	assert_true(t.real >= 10);
	assert_int_equal(t.recognised, t.listed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corpus_accuracy),
		cmocka_unit_test(constructions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
