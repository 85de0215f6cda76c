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

/* The selection both endpoints share: year (required), book, scope, phase,
** department. -1 after answering 400. */
static int selection(srv_ctx *c, fisc_query *q)
{
	int year, book, scope, phase;
	memset(q, 0, sizeof *q);
	if (srv_arg_year(c, 1, &year) || srv_arg_enum(c, "book", fisc_book_parse, &book) ||
	    srv_arg_enum(c, "scope", fisc_scope_parse, &scope) ||
	    srv_arg_enum(c, "phase", fisc_phase_parse, &phase))
		return -1;
	q->region = c->region.id;
	q->year = year;
	q->book_set = srv_arg(c->req, "book") != NULL;
	q->book = (uint8_t)book;
	q->scope = (uint8_t)scope;
	q->phase = (uint8_t)phase;
	const char *d = srv_arg(c->req, "department");
	q->dept = d && *d ? d : NULL;
	/* The router let a department user through for its own department
	** only: never wider than that. */
	if (c->who.role == FISC_ROLE_DEPARTMENT)
		q->dept = c->who.dept;
	return 0;
}

/* GET …/history?year&book&scope&phase&item&department&format */
int h_history(srv_ctx *c)
{
	fisc_query q;
	if (selection(c, &q))
		return FISC_OK;
	const char *fmt = srv_arg_format(c, "json");
	if (!fmt)
		return FISC_OK;
	fisc_doc *d;
	int rc = fisc_history_build(c->st, &c->region, &q, srv_arg(c->req, "item"), c->a, &d);
	if (rc == FISC_OK)
		rc = fisc_doc_write(d, fmt, NULL, c->out);
	return rc == FISC_OK ? FISC_OK : srv_lib_error(c, rc);
}

/* One side of a diff: the selection, then what `vs` changes of it. */
static int diff_side(srv_ctx *c, const fisc_query *sel, const char *year, const char *phase,
		     const char *as_of, fisc_diff_side *s)
{
	s->st = c->st;
	s->q = *sel;
	if (year) {
		char *end;
		long y = strtol(year, &end, 10);
		if (!*year || *end || y < 1949 || y > 2200) {
			srv_error(c, 400, "EINVAL", fisc_arena_printf(c->a, "年度「%s」无效（1949–2200）/ "
									       "bad year '%s' (1949-2200)",
								       year, year));
			return -1;
		}
		s->q.year = (int32_t)y;
	}
	if (phase) {
		int p = fisc_phase_parse(phase, strlen(phase));
		if (p <= 0) {
			srv_error(c, 400, "EINVAL", fisc_arena_printf(c->a, "无法识别的阶段「%s」/ unknown "
									       "phase '%s'", phase, phase));
			return -1;
		}
		s->q.phase = (uint8_t)p;
	}
	s->q.as_of_doc = 0;
	s->q.as_of_date = 0;
	if (as_of) {
		int rc = fisc_history_as_of(c->st, as_of, &s->q);
		if (rc != FISC_OK) {
			srv_lib_error(c, rc);
			return -1;
		}
	}
	return 0;
}

/* GET …/diff?year&phase&as_of&vs_year&vs_phase&vs_as_of&book&scope&department
** &all&format&unit&decimals: the left side is the selection, each vs_*
** changes one part of it for the right side — `fisc diff`'s options. */
int h_diff(srv_ctx *c)
{
	fisc_query q;
	if (selection(c, &q))
		return FISC_OK;
	const srv_req *r = c->req;
	fisc_diff_spec ls = {NULL, srv_arg(r, "year"), srv_arg(r, "phase"), srv_arg(r, "as_of")};
	fisc_diff_spec rs = {NULL, srv_arg(r, "vs_year"), srv_arg(r, "vs_phase"), srv_arg(r, "vs_as_of")};
	if (!rs.year && !rs.phase && !rs.as_of)
		return srv_bad(c, "须用 vs_year、vs_phase 或 vs_as_of 指明对比的另一边 / say what to "
				  "compare with: vs_year, vs_phase or vs_as_of");
	/* vs_as_of= (empty): the store as it is now, against the left's as-of. */
	if (rs.as_of && !*rs.as_of)
		rs.as_of = NULL;
	if (ls.phase && !*ls.phase)
		ls.phase = NULL;
	if (ls.as_of && !*ls.as_of)
		ls.as_of = NULL;
	/* What the right side does not change, it has from the left. */
	if (!rs.year)
		rs.year = ls.year;
	if (!rs.phase)
		rs.phase = ls.phase;
	int unit, all = srv_arg(r, "all") && !strcmp(srv_arg(r, "all"), "1");
	if (srv_arg_unit(c, &unit))
		return FISC_OK;
	const char *fmt = srv_arg_format(c, "json");
	if (!fmt)
		return FISC_OK;
	fisc_diff_side sa = {0}, sb = {0};
	if (diff_side(c, &q, NULL, NULL, ls.as_of, &sa) ||
	    diff_side(c, &q, rs.year, rs.phase, rs.as_of, &sb))
		return FISC_OK;
	sa.label = fisc_diff_label(c->a, &ls, &rs);
	sb.label = fisc_diff_label(c->a, &rs, &ls);
	fisc_doc *d;
	int rc = fisc_diff_build(&sa, &sb, all ? FISC_DIFF_ALL : 0, unit >= 0 ? unit : FISC_UNIT_WAN,
				 srv_arg_decimals(c), c->a, &d);
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

/* GET …/facts/{id}: every version of the fact (the one a figure on the page
** adds up), each with the document that established it and the journal
** entry that recorded that document. */
int h_fact_versions(srv_ctx *c)
{
	char *end;
	const char *s = c->req->params[1];
	long long id = strtoll(s, &end, 10);
	if (*end || id <= 0)
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
