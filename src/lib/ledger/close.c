/*
** close.c — year end (`fisc quota close`): the unspent 指标 (可用) of every
** line of the year is taken back (结余收回) or carried into the next year
** (结转) by the rule table below, as documents, applied all or nothing.
**
** 在途 payments keep their quota on the old line: only 可用 moves, so the
** invariant holds and a payment still in flight can be confirmed or voided
** after the close (a void then leaves 可用 on the old line: close again).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "fisc/ledger.h"

/* The rule table (财预 practice): 基本支出 结余 is taken back; 项目支出 is
** carried over once, and what was already carried and is still unspent a
** year later is taken back. */
static int close_action(const fisc_quota_line *l)
{
	if (l->kind == FISC_EXP_BASIC)
		return FISC_DOC_RECLAIM;
	if (l->fund == FISC_FUND_CARRY)
		return FISC_DOC_RECLAIM;
	return FISC_DOC_CARRY;
}

typedef struct legs {
	fisc_quota_leg *v;
	size_t n, cap;
} legs;

static int push(legs *g, const fisc_quota_line *line, int64_t fen)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 32;
		fisc_quota_leg *nv = realloc(g->v, cap * sizeof *nv);
		if (!nv)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		g->v = nv;
		g->cap = cap;
	}
	g->v[g->n].line = *line;
	g->v[g->n++].fen = fen;
	return FISC_OK;
}

/* "<base>", or "<base>-2", "-3" … when a document of that number exists
** (a second close of the same year, after voids gave quota back). */
static const char *doc_no(fisc_ledger *l, fisc_arena *a, const char *base)
{
	const char *no = base;
	for (int k = 2; fisc_ledger_doc_exists(l, no); k++)
		no = fisc_arena_printf(a, "%s-%d", base, k);
	return no;
}

int fisc_quota_close(fisc_ledger *l, const char *region, int year, int32_t date,
		     fisc_quota_close_stats *stats)
{
	memset(stats, 0, sizeof *stats);
	fisc_arena *a = fisc_arena_new();
	if (!a)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	legs reclaim = {0}, carry = {0};
	int rc = FISC_OK;
	const char *reg = NULL; /* lines of one region per document */
	int64_t n = fisc_ledger_line_count(l);
	for (int64_t id = 1; id <= n && rc == FISC_OK; id++) {
		fisc_quota_line ln;
		if ((rc = fisc_ledger_line_get(l, id, &ln)) != FISC_OK)
			break;
		int64_t avail = ln.quota - ln.paid - ln.pending;
		if (ln.year != year || avail <= 0 || (region && strcmp(region, ln.region)))
			continue;
		if (!reg)
			reg = fisc_arena_strdup(a, ln.region);
		else if (strcmp(reg, ln.region)) {
			rc = fisc_error_set(FISC_EINVAL,
					    "账本有多个地区，请用 --region 逐个结转 / the ledger holds several regions: close one with --region");
			break;
		}
		/* Copies: the engine's strings may move when it reloads. */
		fisc_quota_line id_copy = ln;
		id_copy.region = reg;
		id_copy.dept = fisc_arena_strdup(a, ln.dept);
		id_copy.project = fisc_arena_strdup(a, ln.project);
		id_copy.func = fisc_arena_strdup(a, ln.func);
		id_copy.econ = fisc_arena_strdup(a, ln.econ);
		id_copy.fund_doc = fisc_arena_strdup(a, ln.fund_doc);
		if (close_action(&ln) == FISC_DOC_RECLAIM) {
			rc = push(&reclaim, &id_copy, -avail);
			stats->reclaimed_lines++;
			stats->reclaimed += avail;
		} else {
			fisc_quota_line next = id_copy;
			next.year = year + 1;
			next.fund = FISC_FUND_CARRY;
			next.fund_doc = "";
			rc = push(&carry, &id_copy, -avail);
			if (rc == FISC_OK)
				rc = push(&carry, &next, avail);
			stats->carried_lines++;
			stats->carried += avail;
		}
	}
	if (rc == FISC_OK && (reclaim.n || carry.n)) {
		fisc_quota_doc docs[2];
		size_t nd = 0;
		int32_t d = date ? date : year * 10000 + 1231;
		if (reclaim.n)
			docs[nd++] = (fisc_quota_doc){
				doc_no(l, a, fisc_arena_printf(a, "%s-%d-结余收回", reg, year)), d,
				FISC_DOC_RECLAIM, "fisc quota close", reclaim.n, reclaim.v};
		if (carry.n)
			docs[nd++] = (fisc_quota_doc){
				doc_no(l, a, fisc_arena_printf(a, "%s-%d-结转", reg, year)), d,
				FISC_DOC_CARRY, "fisc quota close", carry.n, carry.v};
		fisc_ledger_result res;
		rc = fisc_ledger_apply(l, docs, nd, NULL, &res);
		stats->documents = rc == FISC_OK ? (int)nd : 0;
	}
	free(reclaim.v);
	free(carry.v);
	fisc_arena_free(a);
	return rc;
}
