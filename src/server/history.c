/*
** history.c — the server's history endpoints, thin over libfisc's history
** API (fisc/history.h), the same functions `fisc history` and `fisc diff`
** call:
**   GET /api/regions/{region}/history   fisc_history_build (as fisc history)
**   GET /api/regions/{region}/diff      fisc_diff_build, fisc_diff_label (as fisc diff)
**   GET /api/regions/{region}/facts/{id} one fact's versions, each with its
**       document and the journal entry that recorded the document
**       (fisc_history_fact_each, fisc_history_doc_get, fisc_history_doc_entry):
**       what a figure on the web page leads to.
** All three read raw facts: finance and reviewers of the region, and a
** department user for its own department only (the route's PERM_FACTS_READ;
** the handlers narrow the selection to the user's department, or refuse a
** fact of another one).
*/
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "server/server.h"

/* An integer argument in [lo, hi]; 0 absent, 1 read, -1 bad. */
static int int_arg(const srv_req *r, const char *k, long lo, long hi, int *out)
{
	const char *v = srv_arg(r, k);
	if (!v)
		return 0;
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < lo || n > hi)
		return -1;
	*out = (int)n;
	return 1;
}

static int enum_of(const srv_req *r, const char *k, int (*parse)(const char *, size_t), int *out,
		   char *msg, size_t cap)
{
	const char *v = srv_arg(r, k);
	*out = 0;
	if (v && (*out = parse(v, strlen(v))) <= 0) {
		snprintf(msg, cap, "无法识别的 %s「%.64s」/ unknown %s '%.64s'", k, v, k, v);
		return -1;
	}
	return 0;
}

int srv_parse_hist_args(const srv_req *r, int diff, srv_hist_args *a, char *msg, size_t cap)
{
	memset(a, 0, sizeof *a);
	a->unit = -1;
	a->decimals = -1;
	int rc = int_arg(r, "year", 1949, 2200, &a->year);
	if (rc <= 0) {
		snprintf(msg, cap, rc ? "年度无效（1949–2200）/ bad year (1949-2200)"
				      : "缺少 year 参数 / the year argument is required");
		return -1;
	}
	if (enum_of(r, "book", fisc_book_parse, &a->book, msg, cap) ||
	    enum_of(r, "scope", fisc_scope_parse, &a->scope, msg, cap) ||
	    enum_of(r, "phase", fisc_phase_parse, &a->phase, msg, cap))
		return -1;
	a->book_set = srv_arg(r, "book") != NULL;
	a->item = srv_arg(r, "item");
	a->department = srv_arg(r, "department");
	if (a->department && !*a->department)
		a->department = NULL;
	if (!diff)
		return 0;
	a->as_of = srv_arg(r, "as_of");
	if (a->as_of && !*a->as_of)
		a->as_of = NULL;
	a->vs_as_of = srv_arg(r, "vs_as_of");
	if ((rc = int_arg(r, "vs_year", 1949, 2200, &a->vs_year)) < 0) {
		snprintf(msg, cap, "vs_year 无效（1949–2200）/ bad vs_year (1949-2200)");
		return -1;
	}
	if (enum_of(r, "vs_phase", fisc_phase_parse, &a->vs_phase, msg, cap))
		return -1;
	if (!a->vs_year && !a->vs_phase && !a->vs_as_of) {
		snprintf(msg, cap, "须用 vs_year、vs_phase 或 vs_as_of 指明对比的另一边 / say what to "
				   "compare with: vs_year, vs_phase or vs_as_of");
		return -1;
	}
	/* vs_as_of= (empty): the store as it is now, against the left's as-of. */
	if (a->vs_as_of && !*a->vs_as_of)
		a->vs_as_of = NULL;
	const char *all = srv_arg(r, "all");
	a->all = all && !strcmp(all, "1");
	const char *u = srv_arg(r, "unit");
	if (u && (a->unit = fisc_unit_parse(u, strlen(u))) < 0) {
		snprintf(msg, cap, "无法识别的单位「%.64s」/ unknown unit '%.64s'", u, u);
		return -1;
	}
	if (int_arg(r, "decimals", 0, 4, &a->decimals) < 0) {
		snprintf(msg, cap, "decimals 应为 0–4 / decimals must be 0-4");
		return -1;
	}
	return 0;
}

/* The selection of a request's arguments: the path's region, and for a
** department user its own department, whatever was asked (the router let
** it through for that one only). */
static fisc_query selection(srv_ctx *c, const srv_hist_args *a)
{
	fisc_query q = {0};
	q.region = c->region.id;
	q.year = a->year;
	q.book_set = (uint8_t)a->book_set;
	q.book = (uint8_t)a->book;
	q.scope = (uint8_t)a->scope;
	q.phase = (uint8_t)a->phase;
	q.dept = c->who.role == FISC_ROLE_DEPARTMENT ? c->who.dept : a->department;
	return q;
}

/* GET …/history?year&book&scope&phase&item&department&format */
int h_history(srv_ctx *c)
{
	srv_hist_args a;
	char msg[256];
	if (srv_parse_hist_args(c->req, 0, &a, msg, sizeof msg))
		return srv_bad(c, msg);
	const char *fmt = srv_arg_format(c, "json");
	if (!fmt)
		return FISC_OK;
	fisc_query q = selection(c, &a);
	fisc_doc *d;
	int rc = fisc_history_build(c->st, &c->region, &q, a.item, c->a, &d);
	if (rc == FISC_OK)
		rc = fisc_doc_write(d, fmt, NULL, c->out);
	return rc == FISC_OK ? FISC_OK : srv_lib_error(c, rc);
}

/* GET …/diff?year&phase&as_of&vs_year&vs_phase&vs_as_of&book&scope&department
** &all&format&unit&decimals: the left side is the selection, each vs_*
** changes one part of it for the right side — `fisc diff`'s options. */
int h_diff(srv_ctx *c)
{
	srv_hist_args a;
	char msg[256];
	if (srv_parse_hist_args(c->req, 1, &a, msg, sizeof msg))
		return srv_bad(c, msg);
	const char *fmt = srv_arg_format(c, "json");
	if (!fmt)
		return FISC_OK;
	fisc_diff_side sa = {0}, sb = {0};
	sa.st = sb.st = c->st;
	sa.q = sb.q = selection(c, &a);
	/* What the right side does not change, it has from the left. */
	if (a.vs_year)
		sb.q.year = a.vs_year;
	if (a.vs_phase)
		sb.q.phase = (uint8_t)a.vs_phase;
	int rc = a.as_of ? fisc_history_as_of(c->st, a.as_of, &sa.q) : FISC_OK;
	if (rc == FISC_OK && a.vs_as_of)
		rc = fisc_history_as_of(c->st, a.vs_as_of, &sb.q);
	if (rc != FISC_OK)
		return srv_lib_error(c, rc);
	const srv_req *r = c->req;
	fisc_diff_spec ls = {NULL, srv_arg(r, "year"), a.phase ? srv_arg(r, "phase") : NULL, a.as_of};
	fisc_diff_spec rs = {NULL, a.vs_year ? srv_arg(r, "vs_year") : ls.year,
			     a.vs_phase ? srv_arg(r, "vs_phase") : ls.phase, a.vs_as_of};
	sa.label = fisc_diff_label(c->a, &ls, &rs);
	sb.label = fisc_diff_label(c->a, &rs, &ls);
	fisc_doc *d;
	rc = fisc_diff_build(&sa, &sb, a.all ? FISC_DIFF_ALL : 0, a.unit >= 0 ? a.unit : FISC_UNIT_WAN,
			     a.decimals, c->a, &d);
	if (rc == FISC_OK)
		rc = fisc_doc_write(d, fmt, NULL, c->out);
	return rc == FISC_OK ? FISC_OK : srv_lib_error(c, rc);
}

/* --- one fact ------------------------------------------------------------- */

typedef struct versions {
	srv_ctx *c;
	json_t *arr;
	int foreign; /* a version of another department (a department user asks) */
} versions;

static json_t *doc_json(srv_ctx *c, int64_t id)
{
	fisc_fact_doc d;
	if (fisc_history_doc_get(c->st, id, c->a, &d) != FISC_OK) {
		fisc_error_clear();
		return json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "kind", "unknown", "label",
				 fisc_history_doc_label(c->a, NULL));
	}
	json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s}", "id", (json_int_t)d.id,
			      "kind", d.kind == FISC_FACT_DOC_AMEND ? "amend" : "import", "label",
			      fisc_history_doc_label(c->a, &d), "number", d.number, "date", d.date,
			      "author", d.author, "reason", d.reason, "source", d.source, "created",
			      d.created);
	int64_t seq;
	uint8_t hash[32];
	if (fisc_history_doc_entry(c->st, id, &seq, hash) == FISC_OK) {
		char hex[2 * FISC_HASH_BYTES + 1];
		fisc_journal_hex(hash, hex);
		json_object_set_new(j, "journal", json_pack("{s:I,s:s}", "seq", (json_int_t)seq,
							    "hash", hex));
	} else {
		fisc_error_clear();
		json_object_set_new(j, "journal", json_null());
	}
	return j;
}

static int one_version(void *ud, const fisc_fact_version *v)
{
	versions *w = ud;
	srv_ctx *c = w->c;
	const fisc_fact *f = &v->f;
	if (c->who.role == FISC_ROLE_DEPARTMENT && strcmp(f->dept, c->who.dept)) {
		w->foreign = 1;
		return 1; /* stop: nothing of another department is sent */
	}
	char text[96] = "";
	if (f->has_amount)
		fisc_amount_format(&f->amount, FISC_FMT_GROUP | FISC_FMT_UNIT, text, sizeof text);
	json_t *j = json_pack("{s:i,s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}",
			      "version", (int)json_array_size(w->arr) + 1, "id", (json_int_t)f->id,
			      "year", f->year, "book", fisc_book_code(f->book), "scope",
			      fisc_scope_code(f->scope), "phase", fisc_phase_code(f->phase), "kind",
			      fisc_kind_code(f->kind), "item", f->item, "department", f->dept,
			      "project", f->project, "econ", f->econ, "fund", f->fund, "source",
			      f->source, "note", f->note ? f->note : "", "text", text);
	json_object_set_new(j, "fen", f->has_amount ? json_integer(f->amount.fen) : json_null());
	json_object_set_new(j, "state", json_string(!v->ended_by ? "current"
						    : v->withdrawn ? "withdrawn"
								   : "superseded"));
	json_object_set_new(j, "state_zh", json_string(
		!v->ended_by ? "现行"
			     : fisc_arena_printf(c->a, "%s #%" PRId64, v->withdrawn ? "被撤回" : "被取代",
						 v->ended_by)));
	json_object_set_new(j, "ended_by", v->ended_by ? json_integer(v->ended_by) : json_null());
	json_object_set_new(j, "document", doc_json(c, v->doc));
	return json_array_append_new(w->arr, j) ? FISC_ENOMEM : 0;
}

int64_t srv_parse_fact_id(const char *s)
{
	if (!*s || strlen(s) > 18)
		return -1;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	return strtoll(s, NULL, 10);
}

/* GET …/facts/{id}: every version of the fact (the one a figure on the page
** adds up), each with the document that established it and the journal
** entry that recorded that document. */
int h_fact_versions(srv_ctx *c)
{
	int64_t id = srv_parse_fact_id(c->req->params[1]);
	if (id <= 0)
		return srv_bad(c, "数据编号应为正整数 / the fact id must be a positive integer");
	versions w = {c, json_array(), 0};
	int rc = fisc_history_fact_each(c->st, c->region.id, id, one_version, &w);
	if (rc > 0)
		rc = FISC_OK;
	if (w.foreign) {
		json_decref(w.arr);
		return srv_deny(c);
	}
	if (rc != FISC_OK) {
		json_decref(w.arr);
		return srv_lib_error(c, rc);
	}
	srv_json(c, json_pack("{s:s,s:I,s:o}", "region", c->region.code, "id", (json_int_t)id,
			      "versions", w.arr));
	return FISC_OK;
}
