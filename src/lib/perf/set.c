/*
** set.c — the indicators and narrative of a selection held in memory for a
** report or a check, and the tally of one department-year or project: how
** many indicators were met, what they weigh and score (fisc/perf.h).
*/
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/perf.h"
#include "model/util.h"

typedef struct loader {
	fisc_arena *a;
	fisc_perf_set *s;
	size_t cap_ind, cap_txt;
} loader;

static const char *dup(fisc_arena *a, const char *s)
{
	return fisc_arena_strdup(a, s ? s : "");
}

static int on_ind(void *ud, const fisc_indicator *x)
{
	loader *L = ud;
	if (fisc_grow(&L->s->ind, &L->cap_ind, L->s->nind + 1, sizeof *L->s->ind))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	fisc_indicator *y = &L->s->ind[L->s->nind++];
	*y = *x;
	y->dept = dup(L->a, x->dept);
	y->project = dup(L->a, x->project);
	y->sub = dup(L->a, x->sub);
	y->name = dup(L->a, x->name);
	y->unit = dup(L->a, x->unit);
	y->target_text = dup(L->a, x->target_text);
	y->actual_text = dup(L->a, x->actual_text);
	y->reason = dup(L->a, x->reason);
	y->source = dup(L->a, x->source);
	return y->source ? FISC_OK : fisc_error_set(FISC_ENOMEM, "out of memory");
}

static int on_txt(void *ud, const fisc_perf_text *t)
{
	loader *L = ud;
	if (fisc_grow(&L->s->txt, &L->cap_txt, L->s->ntxt + 1, sizeof *L->s->txt))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	fisc_perf_text *y = &L->s->txt[L->s->ntxt++];
	*y = *t;
	y->dept = dup(L->a, t->dept);
	y->project = dup(L->a, t->project);
	y->section = dup(L->a, t->section);
	y->text = dup(L->a, t->text);
	y->source = dup(L->a, t->source);
	return y->source ? FISC_OK : fisc_error_set(FISC_ENOMEM, "out of memory");
}

/* Move a malloc'ed array into the arena, so the set is freed with it. */
static void *to_arena(fisc_arena *a, void *v, size_t bytes)
{
	void *r = bytes ? fisc_arena_alloc(a, bytes) : NULL;
	if (r)
		memcpy(r, v, bytes);
	free(v);
	return r;
}

int fisc_perf_load(fisc_store *st, const fisc_perf_query *q, fisc_arena *a, fisc_perf_set *out)
{
	memset(out, 0, sizeof *out);
	loader L = {a, out, 0, 0};
	int rc = fisc_store_indicator_each(st, q, on_ind, &L);
	if (rc == FISC_OK)
		rc = fisc_store_perf_text_each(st, q, on_txt, &L);
	out->ind = to_arena(a, out->ind, out->nind * sizeof *out->ind);
	out->txt = to_arena(a, out->txt, out->ntxt * sizeof *out->txt);
	if (rc == FISC_OK && ((out->nind && !out->ind) || (out->ntxt && !out->txt)))
		rc = fisc_error_set(FISC_ENOMEM, "out of memory");
	if (rc != FISC_OK)
		memset(out, 0, sizeof *out);
	return rc;
}

const char *fisc_perf_text_of(const fisc_perf_set *s, const char *project, const char *section)
{
	for (size_t i = 0; i < s->ntxt; i++)
		if (!strcmp(s->txt[i].project, project) && !strcmp(s->txt[i].section, section))
			return s->txt[i].text;
	return NULL;
}

size_t fisc_perf_projects(const fisc_perf_set *s, const char **names, size_t cap)
{
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->nind; i++) {
			const char *p = s->ind[i].project;
			if ((pass == 0) != !*p)
				continue;
			size_t j = 0;
			while (j < n && strcmp(names[j], p))
				j++;
			if (j == n && n < cap)
				names[n++] = p;
		}
	return n;
}

void fisc_perf_tally_of(const fisc_perf_set *s, const char *project, fisc_perf_tally *t)
{
	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < s->nind; i++) {
		const fisc_indicator *x = &s->ind[i];
		if (strcmp(x->project, project))
			continue;
		fisc_ind_result r;
		fisc_indicator_score(x, &r);
		int c = x->cls >= 1 && x->cls <= 4 ? x->cls : 0;
		t->n++;
		t->n_by_class[c]++;
		if (r.assessed) {
			t->assessed++;
			t->assessed_by_class[c]++;
			t->met += r.met;
			t->met_by_class[c] += r.met;
			t->below += r.below;
		}
		t->no_reason += r.needs_reason;
		t->mismatched += r.score_mismatch;
		if (!x->has_weight) {
			t->unweighted++;
			continue;
		}
		t->weight_total += x->weight;
		t->weight_by_class[c] += x->weight;
		if (r.scored) {
			t->score_total += r.score;
			t->score_by_class[c] += r.score;
		} else if (r.assessed) {
			t->unscored++;
		}
	}
	t->complete = t->n && !t->unweighted && t->assessed == t->n && !t->unscored &&
		      t->weight_total == 9000;
}
