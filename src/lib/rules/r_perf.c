/*
** r_perf.c — the performance indicators of a department's year (fisc/perf.h)
** against the rules of the self-evaluation (财预〔2020〕10号): a result below
** its target needs a reason; the indicators of one department-year or
** project weigh 90 points together, each one weighted; an assessed score
** must be the computed one (quantitative) or lie in its grade's band
** (qualitative); an indicator should have a result by the time the year is
** evaluated.
**
** Indicators are not facts: they are read from the store once per run for
** the selection (a few per department), not through the fact index.
*/
#include <stdlib.h>
#include <string.h>
#include "fisc/perf.h"
#include "rules/engine.h"

/* The indicators of the run's selection: read from the store by the first
** perf.* rule, kept in the working arena for the others. */
static const fisc_perf_set *load(fisc_check_ctx *c)
{
	if (c->perf)
		return c->perf;
	fisc_perf_set *s = fisc_arena_alloc(c->w, sizeof *s);
	fisc_perf_query q = {c->region, c->opts.year, NULL};
	int rc = s ? fisc_perf_load(c->st, &q, c->w, s) : FISC_ENOMEM;
	if (rc != FISC_OK) {
		c->rc = rc;
		return NULL;
	}
	return c->perf = s;
}

static const char *who(fisc_check_ctx *c, const fisc_indicator *x)
{
	return *x->project ? fisc_arena_printf(c->w, "%s %d年 项目“%s”", x->dept, x->year, x->project)
			   : fisc_arena_printf(c->w, "%s %d年", x->dept, x->year);
}

static const char *who_en(fisc_check_ctx *c, const fisc_indicator *x)
{
	return *x->project ? fisc_arena_printf(c->w, "%s %d, project %s", x->dept, x->year, x->project)
			   : fisc_arena_printf(c->w, "%s %d", x->dept, x->year);
}

static const char *pts(fisc_check_ctx *c, int64_t h) { return fisc_points_text(c->w, h); }

static fisc_finding *emit(fisc_check_ctx *c, const fisc_indicator *x, int verdict,
			  const fisc_rule *r)
{
	return ck_emit_at(c, x->region, x->year, x->dept, verdict, r->severity);
}

/* Run check(c, r, indicator, its result) over every indicator of the selection. */
typedef void (*ind_check)(fisc_check_ctx *c, const fisc_rule *r, const fisc_indicator *x,
			  const fisc_ind_result *res);

static int each_indicator(fisc_check_ctx *c, const fisc_rule *r, ind_check check)
{
	const fisc_perf_set *s = load(c);
	if (!s)
		return c->rc;
	for (size_t i = 0; i < s->nind && c->rc == FISC_OK; i++) {
		fisc_ind_result res;
		fisc_indicator_score(&s->ind[i], &res);
		check(c, r, &s->ind[i], &res);
	}
	return c->rc;
}

static void reason(fisc_check_ctx *c, const fisc_rule *r, const fisc_indicator *x,
		   const fisc_ind_result *res)
{
	if (!res->below)
		return;
	fisc_finding *f = emit(c, x, res->needs_reason ? FISC_VERDICT_FAILED : FISC_VERDICT_EXACT, r);
	if (!f)
		return;
	const char *actual = x->actual_text;
	ck_message(c, f,
		   fisc_arena_printf(c->w, "%s：绩效指标“%s”年度指标值%s，全年实际值%s，未达成年度指标，%s（来源 %s）",
				     who(c, x), x->name, x->target_text, actual,
				     res->needs_reason ? "但未说明偏差原因" : "已说明偏差原因", x->source),
		   fisc_arena_printf(c->w, "%s: indicator '%s' fell short (target %s, result %s); %s (source %s)",
				     who_en(c, x), x->name, x->target_text, actual,
				     res->needs_reason ? "no reason is given" : "a reason is given",
				     x->source));
}

int fisc_rule_perf_reason(fisc_check_ctx *c, const fisc_rule *r)
{
	return each_indicator(c, r, reason);
}

/* Indicator indices ordered by owner (region, year, department, project),
** then by position, so that one owner's indicators stand together. */
static int by_owner(const void *pa, const void *pb, void *base)
{
	size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
	const fisc_indicator *a = (const fisc_indicator *)base + ia, *b = (const fisc_indicator *)base + ib;
	int d = (a->region > b->region) - (a->region < b->region);
	if (!d)
		d = (a->year > b->year) - (a->year < b->year);
	if (!d)
		d = strcmp(a->dept, b->dept);
	if (!d)
		d = strcmp(a->project, b->project);
	return d ? d : (ia > ib) - (ia < ib);
}

typedef struct owner {
	size_t first, n, unweighted;
	int64_t sum; /* hundredths */
} owner;

static int by_first(const void *pa, const void *pb)
{
	const owner *a = pa, *b = pb;
	return (a->first > b->first) - (a->first < b->first);
}

static int same_owner(const fisc_indicator *a, const fisc_indicator *b)
{
	return a->region == b->region && a->year == b->year && !strcmp(a->dept, b->dept) &&
	       !strcmp(a->project, b->project);
}

/* Each owner's weights, reported in the order owners first appear. */
int fisc_rule_perf_weights(fisc_check_ctx *c, const fisc_rule *r)
{
	const fisc_perf_set *s = load(c);
	if (!s || !s->nind)
		return c->rc;
	size_t *ix = fisc_arena_alloc(c->w, s->nind * sizeof *ix);
	owner *own = fisc_arena_alloc(c->w, s->nind * sizeof *own);
	if (!ix || !own)
		return c->rc = FISC_ENOMEM;
	for (size_t i = 0; i < s->nind; i++)
		ix[i] = i;
	qsort_r(ix, s->nind, sizeof *ix, by_owner, s->ind);
	size_t nown = 0;
	for (size_t k = 0; k < s->nind; k++) {
		const fisc_indicator *x = &s->ind[ix[k]];
		if (!k || !same_owner(&s->ind[ix[k - 1]], x))
			own[nown++] = (owner){ix[k], 0, 0, 0};
		owner *o = &own[nown - 1];
		o->n++;
		if (x->has_weight)
			o->sum += x->weight;
		else
			o->unweighted++;
	}
	qsort(own, nown, sizeof *own, by_first);
	for (size_t k = 0; k < nown && c->rc == FISC_OK; k++) {
		const owner *o = &own[k];
		const fisc_indicator *x = &s->ind[o->first];
		if (o->unweighted == o->n)
			continue; /* no weights at all: not scored, nothing to check */
		int ok = !o->unweighted && o->sum == 9000;
		fisc_finding *f = emit(c, x, ok ? FISC_VERDICT_EXACT : FISC_VERDICT_FAILED, r);
		if (!f)
			continue;
		const char *sum = pts(c, o->sum);
		if (o->unweighted)
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%s：%zu项绩效指标中有%zu项未设分值（其余合计%s分）",
						     who(c, x), o->n, o->unweighted, sum),
				   fisc_arena_printf(c->w, "%s: %zu of %zu indicators have no weight (the others weigh %s points)",
						     who_en(c, x), o->unweighted, o->n, sum));
		else
			ck_message(c, f,
				   fisc_arena_printf(c->w, "%s：%zu项绩效指标分值合计%s分，%s（预算执行率10分之外应为90分）",
						     who(c, x), o->n, sum, ok ? "符合" : "不符"),
				   fisc_arena_printf(c->w, "%s: the %zu indicators weigh %s points together; %s (90 besides the 10 of 预算执行率)",
						     who_en(c, x), o->n, sum, ok ? "as required" : "they should weigh 90"));
	}
	return c->rc;
}

static void score(fisc_check_ctx *c, const fisc_rule *r, const fisc_indicator *x,
		  const fisc_ind_result *res)
{
	if (!x->has_score)
		return;
	fisc_finding *f = emit(c, x, res->score_mismatch ? FISC_VERDICT_FAILED : FISC_VERDICT_EXACT, r);
	if (!f)
		return;
	if (x->dir == FISC_DIR_QUAL)
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%s：定性指标“%s”评为“%s”，得分%s分，该档应在%s–%s分之间（分值%s分）（来源 %s）",
					     who(c, x), x->name, fisc_ind_grade_name(x->grade), pts(c, x->score),
					     pts(c, res->band_lo), pts(c, res->band_hi), pts(c, x->weight), x->source),
			   fisc_arena_printf(c->w, "%s: qualitative indicator '%s' graded %s scores %s; its band is %s–%s of %s points (source %s)",
					     who_en(c, x), x->name, fisc_ind_grade_code(x->grade), pts(c, x->score),
					     pts(c, res->band_lo), pts(c, res->band_hi), pts(c, x->weight), x->source));
	else
		ck_message(c, f,
			   fisc_arena_printf(c->w, "%s：指标“%s”填报得分%s分，按全年实际值%s与年度指标值%s计算应得%s分（分值%s分）（来源 %s）",
					     who(c, x), x->name, pts(c, x->score), x->actual_text, x->target_text,
					     pts(c, res->score), pts(c, x->weight), x->source),
			   fisc_arena_printf(c->w, "%s: indicator '%s' is scored %s; result %s against target %s gives %s of %s points (source %s)",
					     who_en(c, x), x->name, pts(c, x->score), x->actual_text, x->target_text,
					     pts(c, res->score), pts(c, x->weight), x->source));
}

int fisc_rule_perf_score(fisc_check_ctx *c, const fisc_rule *r)
{
	return each_indicator(c, r, score);
}

static void assessed(fisc_check_ctx *c, const fisc_rule *r, const fisc_indicator *x,
		     const fisc_ind_result *res)
{
	fisc_finding *f = emit(c, x, res->assessed ? FISC_VERDICT_EXACT : FISC_VERDICT_FAILED, r);
	if (!f)
		return;
	ck_message(c, f,
		   fisc_arena_printf(c->w, "%s：绩效指标“%s”（年度指标值%s）%s（来源 %s）", who(c, x), x->name,
				     x->target_text, res->assessed ? "已填报完成值" : "未填报完成值", x->source),
		   fisc_arena_printf(c->w, "%s: indicator '%s' (target %s) %s (source %s)", who_en(c, x),
				     x->name, x->target_text,
				     res->assessed ? "has a result" : "has no result", x->source));
}

int fisc_rule_perf_assessed(fisc_check_ctx *c, const fisc_rule *r)
{
	return each_indicator(c, r, assessed);
}
