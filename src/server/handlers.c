/*
** handlers.c — what each route does, and the request pipeline around them:
** open the store, find who is asking, check CSRF and the role matrix, run
** the handler, turn a library error into a JSON error.
**
** Handlers are thin: each parses its arguments and calls the same libfisc
** functions the command line calls (fisc_balance_render, fisc_doc_write,
** fisc_findings_write, fisc_audit_write …), writing into a memory stream.
** A library error keeps the library's bilingual message, so the API says
** what the CLI says.
*/
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "server/server.h"

const char *srv_openapi = NULL;
size_t srv_openapi_len = 0;

static void put_json(srv_ctx *c, json_t *j)
{
	if (j)
		json_dumpf(j, c->out, JSON_COMPACT);
	json_decref(j);
}

void srv_error(srv_ctx *c, int status, const char *code, const char *msg)
{
	/* A fresh body: whatever a failed handler wrote is dropped. */
	fflush(c->out);
	rewind(c->out);
	/* "中文 / English", the space before the slash sometimes left out
	** after a closing bracket (「…」/ …). */
	const char *sep = strstr(msg, "/ ");
	size_t zh = sep ? (size_t)(sep - msg) : strlen(msg);
	while (zh > 0 && msg[zh - 1] == ' ')
		zh--;
	json_t *j = json_object();
	json_object_set_new(j, "code", json_string(code));
	json_object_set_new(j, "message_zh", json_stringn(msg, zh));
	json_object_set_new(j, "message_en", json_string(sep ? sep + 2 : msg));
	put_json(c, j);
	c->status = status;
	c->content_type = "application/json; charset=utf-8";
	c->filename = NULL;
	c->error_code = fisc_arena_strdup(c->a, code);
}

void srv_record(srv_ctx *c, const char *action, const char *target, const char *outcome)
{
	fisc_event e = {0};
	e.actor = c->who.name ? c->who.name : "";
	e.address = c->req->address ? c->req->address : "";
	e.action = action;
	e.target = target ? target : "";
	e.outcome = outcome;
	if (c->st && fisc_event_log(c->st, &e) != FISC_OK)
		fprintf(stderr, "fisc serve: %s\n", fisc_error_message());
}

/* The HTTP status a library error maps to: a refused ledger request (not
** enough 可用, a key reused with other content) is a conflict with the
** ledger's state, 409. */
static int lib_error(srv_ctx *c, int rc)
{
	int status = rc == FISC_EINVAL || rc == FISC_EUNIT || rc == FISC_EUNSUPPORTED ||
			     rc == FISC_EIMPORT
			     ? 400
		   : rc == FISC_ENOTFOUND		  ? 404
		   : rc == FISC_EEXIST || rc == FISC_ERANGE ? 409
							  : 500;
	const char *m = fisc_error_message();
	srv_error(c, status, fisc_error_name(rc), *m ? m : "内部错误 / internal error");
	return FISC_OK;
}

static int bad(srv_ctx *c, const char *msg)
{
	srv_error(c, 400, "EINVAL", msg);
	return FISC_OK;
}

static void json_body(srv_ctx *c)
{
	c->content_type = "application/json; charset=utf-8";
}

void srv_json(srv_ctx *c, void *j)
{
	json_body(c);
	put_json(c, j);
}

int srv_lib_error(srv_ctx *c, int rc) { return lib_error(c, rc); }
int srv_bad(srv_ctx *c, const char *msg) { return bad(c, msg); }
static int arg_unit(srv_ctx *c, int *unit);
static int arg_decimals(srv_ctx *c);
static const char *arg_format(srv_ctx *c, const char *def);
static int enum_arg(srv_ctx *c, const char *name, int (*parse)(const char *, size_t), int *out);
int srv_arg_unit(srv_ctx *c, int *unit) { return arg_unit(c, unit); }
int srv_arg_decimals(srv_ctx *c) { return arg_decimals(c); }
const char *srv_arg_format(srv_ctx *c, const char *def) { return arg_format(c, def); }
int srv_arg_enum(srv_ctx *c, const char *name, int (*parse)(const char *, size_t), int *out)
{
	return enum_arg(c, name, parse, out);
}

/* A refusal the handler decides (the line or payment is another region's
** or another department's): 403, recorded like the router's. */
int srv_deny(srv_ctx *c)
{
	const char *target = fisc_arena_printf(c->a, "%s %s", c->req->method, c->path);
	srv_record(c, "denied", target, "forbidden");
	srv_error(c, 403, "forbidden", "无权访问该地区或部门的数据 / no access to this region's or "
				       "department's data");
	return FISC_OK;
}

/* --- arguments ----------------------------------------------------------- */

/* ?year=: required where the route needs it; the CLI's range. */
int srv_arg_year(srv_ctx *c, int required, int *year)
{
	const char *y = srv_arg(c->req, "year");
	*year = 0;
	if (!y || !*y) {
		if (required)
			bad(c, "缺少 year 参数 / the year argument is required");
		return required ? -1 : 0;
	}
	char *end;
	long v = strtol(y, &end, 10);
	if (*end || v < 1949 || v > 2200) {
		srv_error(c, 400, "EINVAL", fisc_arena_printf(c->a, "年度「%s」无效（1949–2200）/ "
									 "bad year '%s' (1949-2200)", y, y));
		return -1;
	}
	*year = (int)v;
	return 0;
}

static int arg_unit(srv_ctx *c, int *unit)
{
	const char *u = srv_arg(c->req, "unit");
	*unit = -1;
	if (u && (*unit = fisc_unit_parse(u, strlen(u))) < 0) {
		srv_error(c, 400, "EINVAL", fisc_arena_printf(c->a, "无法识别的单位「%s」/ unknown unit "
									 "'%s'", u, u));
		return -1;
	}
	return 0;
}

static int arg_decimals(srv_ctx *c)
{
	const char *d = srv_arg(c->req, "decimals");
	if (!d)
		return -1;
	int v = atoi(d);
	return v < 0 ? -1 : v > 6 ? 6 : v;
}

/* A format the renderers know; its content type and file name suffix. */
static const char *content_type_of(const char *fmt)
{
	static const struct {
		const char *fmt, *type;
	} t[] = {
		{"json", "application/json; charset=utf-8"},
		{"md", "text/markdown; charset=utf-8"},
		{"html", "text/html; charset=utf-8"},
		{"csv", "text/csv; charset=utf-8"},
		{"text", "text/plain; charset=utf-8"},
		{"tsv", "text/plain; charset=utf-8"},
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (!strcmp(fmt, t[i].fmt))
			return t[i].type;
	return NULL;
}

static const char *arg_format(srv_ctx *c, const char *def)
{
	const char *f = srv_arg(c->req, "format");
	if (!f)
		f = def;
	if (!content_type_of(f)) {
		srv_error(c, 400, "EINVAL", fisc_arena_printf(c->a, "未知格式「%s」（json、md、html、csv、"
									 "text、xlsx）/ unknown format '%s' "
									 "(json, md, html, csv, text, xlsx)", f, f));
		return NULL;
	}
	c->content_type = content_type_of(f);
	/* An HTML report may run its own inlined chart script, nothing else. */
	if (!strcmp(f, "html"))
		c->csp = srv_report_csp;
	if (!strcmp(f, "xlsx") || !strcmp(f, "csv"))
		c->filename = fisc_arena_printf(c->a, "fisc.%s", f);
	return f;
}

/* --- routes -------------------------------------------------------------- */

int h_healthz(srv_ctx *c)
{
	json_body(c);
	put_json(c, json_pack("{s:s,s:s}", "status", "ok", "version", FISC_VERSION));
	return FISC_OK;
}

int h_openapi(srv_ctx *c)
{
	json_body(c);
	fwrite(srv_openapi, 1, srv_openapi_len, c->out);
	return FISC_OK;
}

static json_t *who_json(const srv_who *w, const char *csrf)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s}", "name", w->name ? w->name : "", "role",
			      fisc_role_code(w->role), "role_zh", fisc_role_name(w->role), "region",
			      w->region ? w->region : "", "department", w->dept ? w->dept : "");
	if (csrf)
		json_object_set_new(j, "csrf", json_string(csrf));
	return j;
}

int h_me(srv_ctx *c)
{
	char csrf[FISC_TOKEN_CHARS + 1];
	json_body(c);
	if (c->who.by_cookie)
		fisc_token_csrf(c->req->cookie_session, csrf);
	put_json(c, who_json(&c->who, c->who.by_cookie ? csrf : NULL));
	return FISC_OK;
}

int h_login(srv_ctx *c)
{
	json_error_t err;
	json_t *j = c->req->body ? json_loadb(c->req->body, c->req->body_len, 0, &err) : NULL;
	const char *name = NULL, *pw = NULL;
	if (!j || json_unpack(j, "{s:s,s:s}", "name", &name, "password", &pw) != 0) {
		json_decref(j);
		return bad(c, "请求体应为 {\"name\":…,\"password\":…} / the body must be "
			      "{\"name\":…,\"password\":…}");
	}
	name = fisc_arena_strdup(c->a, name);
	const char *addr = c->req->address ? c->req->address : "";
	if (srv_throttled(name) || srv_throttled(addr)) {
		json_decref(j);
		c->who.name = name;
		srv_record(c, "login", name, "throttled");
		srv_error(c, 429, "throttled", "登录失败次数过多，请稍后再试 / too many failed logins, "
					       "try again later");
		return FISC_OK;
	}
	fisc_user u;
	int rc = fisc_user_verify(c->st, name, pw, c->a, &u);
	json_decref(j);
	c->who.name = name;
	if (rc == FISC_ENOTFOUND) {
		srv_failed(name);
		srv_failed(addr);
		srv_record(c, "login", name, "failed");
		srv_error(c, 401, "unauthorized", fisc_error_message());
		return FISC_OK;
	}
	char token[FISC_TOKEN_CHARS + 1], csrf[FISC_TOKEN_CHARS + 1];
	if (rc == FISC_OK)
		rc = fisc_token_issue(c->st, u.id, FISC_TOKEN_SESSION, c->cfg->session_ttl, token);
	if (rc != FISC_OK)
		return lib_error(c, rc);
	srv_succeeded(name);
	srv_succeeded(addr);
	srv_record(c, "login", name, "ok");
	fisc_token_csrf(token, csrf);
	c->set_cookie[0] = fisc_arena_printf(c->a, "fisc_session=%s; Path=/; Max-Age=%d; HttpOnly; "
						    "SameSite=Strict%s", token, c->cfg->session_ttl,
					     c->cfg->behind_tls ? "; Secure" : "");
	srv_who w = {u.role, u.name, u.region, u.dept, 1};
	json_body(c);
	put_json(c, who_json(&w, csrf));
	return FISC_OK;
}

int h_logout(srv_ctx *c)
{
	const char *t = c->who.by_cookie ? c->req->cookie_session : c->req->bearer;
	int rc = fisc_token_revoke(c->st, t);
	if (rc != FISC_OK)
		return lib_error(c, rc);
	srv_record(c, "logout", c->who.name, "ok");
	c->set_cookie[0] = fisc_arena_printf(c->a, "fisc_session=; Path=/; Max-Age=0; HttpOnly; "
						    "SameSite=Strict%s", c->cfg->behind_tls ? "; Secure" : "");
	json_body(c);
	put_json(c, json_pack("{s:b}", "ok", 1));
	return FISC_OK;
}

static json_t *region_json(const fisc_region *r)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:[s,s,s]}", "code", r->code, "name", r->name, "parent",
			 r->parent_code, "level", r->level, "scope_labels",
			 fisc_region_scope_label(r, FISC_SCOPE_ALL),
			 fisc_region_scope_label(r, FISC_SCOPE_SELF),
			 fisc_region_scope_label(r, FISC_SCOPE_LOWER));
}

static int add_region(void *ud, const fisc_region *r)
{
	return json_array_append_new(ud, region_json(r)) ? FISC_ENOMEM : 0;
}

int h_regions(srv_ctx *c)
{
	json_t *arr = json_array();
	int rc = fisc_store_region_each(c->st, add_region, arr);
	if (rc != FISC_OK) {
		json_decref(arr);
		return lib_error(c, rc);
	}
	json_body(c);
	put_json(c, arr);
	return FISC_OK;
}

/* Departments: the distinct dept texts of the region's facts (the list
** `fisc departments` prints), walked with fisc_store_fact_scan so that each
** text is handed over once. */
typedef struct dept_walk {
	fisc_arena *a;
	const char **text;
	size_t ntext;
	unsigned char *seen;
	int rc;
} dept_walk;

static int dept_text(void *ud, uint32_t id, const char *s, size_t n)
{
	dept_walk *d = ud;
	if (id >= d->ntext) {
		size_t cap = d->ntext ? d->ntext * 2 : 256;
		while (cap <= id)
			cap *= 2;
		const char **t = realloc(d->text, cap * sizeof *t);
		unsigned char *sn = realloc(d->seen, cap);
		if (t)
			d->text = t;
		if (sn)
			d->seen = sn;
		if (!t || !sn)
			return d->rc = FISC_ENOMEM;
		memset(d->text + d->ntext, 0, (cap - d->ntext) * sizeof *t);
		memset(d->seen + d->ntext, 0, cap - d->ntext);
		d->ntext = cap;
	}
	d->text[id] = fisc_arena_strndup(d->a, s, n);
	return d->text[id] ? 0 : (d->rc = FISC_ENOMEM);
}

static int dept_fact(void *ud, const fisc_fact_ids *f)
{
	dept_walk *d = ud;
	if (f->dept && f->dept < d->ntext)
		d->seen[f->dept] = 1;
	return 0;
}

int h_departments(srv_ctx *c)
{
	int year;
	if (srv_arg_year(c, 0, &year))
		return FISC_OK;
	fisc_query q = {0};
	q.region = c->region.id;
	q.year = year;
	/* A department user lists itself only: the others' names are theirs. */
	if (c->who.role == FISC_ROLE_DEPARTMENT)
		q.dept = c->who.dept;
	dept_walk d = {c->a, NULL, 0, NULL, 0};
	int rc = fisc_store_fact_scan(c->st, &q, dept_text, dept_fact, &d);
	if (d.rc)
		rc = fisc_error_set(d.rc, "内存不足 / out of memory");
	json_t *arr = json_array();
	for (size_t i = 1; rc == FISC_OK && i < d.ntext; i++)
		if (d.seen[i] && d.text[i])
			json_array_append_new(arr, json_string(d.text[i]));
	free(d.text);
	free(d.seen);
	if (rc != FISC_OK) {
		json_decref(arr);
		return lib_error(c, rc);
	}
	json_body(c);
	put_json(c, json_pack("{s:s,s:o}", "region", c->region.code, "departments", arr));
	return FISC_OK;
}

typedef struct fact_walk {
	json_t *arr;
	int64_t offset, limit, total;
	fisc_catalog *cat; /* the year's catalogue, for item_name (the page's labels) */
} fact_walk;

static int add_fact(void *ud, const fisc_fact *f)
{
	fact_walk *w = ud;
	if (w->total++ < w->offset || (int64_t)json_array_size(w->arr) >= w->limit)
		return 0;
	json_t *j = json_pack("{s:I,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id",
			      (json_int_t)f->id, "year", f->year, "scope", fisc_scope_code(f->scope),
			      "book", fisc_book_code(f->book), "phase", fisc_phase_code(f->phase),
			      "kind", fisc_kind_code(f->kind), "item", f->item, "department",
			      f->dept, "project", f->project, "econ", f->econ, "fund", f->fund,
			      "source", f->source, "note", f->note ? f->note : "");
	const char *name = w->cat ? fisc_catalog_item_name(w->cat, f->item) : NULL;
	json_object_set_new(j, "item_name", json_string(name ? name : ""));
	if (f->has_amount) {
		json_object_set_new(j, "fen", json_integer(f->amount.fen));
		json_object_set_new(j, "unit", json_string(fisc_unit_name(f->amount.unit)));
		json_object_set_new(j, "decimals", json_integer(f->amount.decimals));
	} else {
		json_object_set_new(j, "fen", json_null());
	}
	return json_array_append_new(w->arr, j) ? FISC_ENOMEM : 0;
}

static int enum_arg(srv_ctx *c, const char *name, int (*parse)(const char *, size_t), int *out)
{
	const char *v = srv_arg(c->req, name);
	*out = 0;
	if (v && (*out = parse(v, strlen(v))) < 0) {
		srv_error(c, 400, "EINVAL", fisc_arena_printf(c->a, "无法识别的 %s「%s」/ unknown %s "
									 "'%s'", name, v, name, v));
		return -1;
	}
	return 0;
}

int h_facts(srv_ctx *c)
{
	int year, book, scope, phase;
	if (srv_arg_year(c, 0, &year) || enum_arg(c, "book", fisc_book_parse, &book) ||
	    enum_arg(c, "scope", fisc_scope_parse, &scope) ||
	    enum_arg(c, "phase", fisc_phase_parse, &phase))
		return FISC_OK;
	const char *lim = srv_arg(c->req, "limit"), *off = srv_arg(c->req, "offset");
	fact_walk w = {json_array(), off ? atoll(off) : 0, lim ? atoll(lim) : 100, 0, NULL};
	/* Names come from the catalogue of the year asked for; without a year
	** (several years) the latest edition names them. */
	if (fisc_catalog_load(c->st, year ? year : 9999, &w.cat) != FISC_OK)
		w.cat = NULL;
	fisc_error_clear();
	if (w.limit <= 0 || w.limit > 1000)
		w.limit = 1000;
	if (w.offset < 0)
		w.offset = 0;
	fisc_query q = {0};
	q.region = c->region.id;
	q.year = year;
	q.scope = (uint8_t)scope;
	q.phase = (uint8_t)phase;
	q.book_set = srv_arg(c->req, "book") != NULL;
	q.book = (uint8_t)book;
	q.dept = srv_arg(c->req, "department");
	if (c->who.role == FISC_ROLE_DEPARTMENT)
		q.dept = c->who.dept; /* authorized only for its own */
	int rc = fisc_store_fact_each(c->st, &q, add_fact, &w);
	fisc_catalog_free(w.cat);
	if (rc != FISC_OK) {
		json_decref(w.arr);
		return lib_error(c, rc);
	}
	json_body(c);
	put_json(c, json_pack("{s:s,s:I,s:I,s:I,s:o}", "region", c->region.code, "total",
			      (json_int_t)w.total, "offset", (json_int_t)w.offset, "limit",
			      (json_int_t)w.limit, "facts", w.arr));
	return FISC_OK;
}

/* balance and statement: the CLI's defaults (gpb, all, execution). */
static int balance(srv_ctx *c, int flags)
{
	const char *y = srv_arg(c->req, "year"), *b = srv_arg(c->req, "book"),
		   *s = srv_arg(c->req, "scope"), *p = srv_arg(c->req, "phase");
	int unit, year;
	if (srv_arg_year(c, 1, &year) || arg_unit(c, &unit))
		return FISC_OK;
	const char *fmt = arg_format(c, "json");
	if (!fmt)
		return FISC_OK;
	fisc_selection sel;
	fisc_balance *bal;
	int rc = fisc_selection_parse(&sel, c->region.code, y, b ? b : "gpb", s ? s : "all",
				      p ? p : "execution");
	if (rc == FISC_OK)
		rc = fisc_balance_build(c->st, &sel, c->a, &bal);
	if (rc == FISC_OK)
		rc = fisc_balance_render(bal, flags, fmt, unit, arg_decimals(c), NULL, c->out);
	return rc == FISC_OK ? FISC_OK : lib_error(c, rc);
}

int h_balance(srv_ctx *c) { return balance(c, 0); }
int h_statement(srv_ctx *c) { return balance(c, FISC_BALANCE_STATEMENT); }

int h_check(srv_ctx *c)
{
	fisc_check_opts o = {0};
	const char *all = srv_arg(c->req, "all");
	if (srv_arg_year(c, 0, &o.year))
		return FISC_OK;
	o.region = c->region.code;
	o.all = all && !strcmp(all, "1");
	o.rules = srv_arg(c->req, "rules");
	fisc_findings *fs;
	int rc = fisc_check_run(c->st, &o, c->a, &fs);
	if (rc == FISC_OK)
		rc = fisc_findings_write(fs, "json", c->out);
	json_body(c);
	return rc == FISC_OK ? FISC_OK : lib_error(c, rc);
}

static int report(srv_ctx *c, const char *kind, const char *dept)
{
	const fisc_report_kind *k = fisc_report_find(kind);
	int needs = dept ? FISC_REPORT_NEEDS_DEPARTMENT : FISC_REPORT_NEEDS_REGION;
	if (!k || !(k->needs & needs)) {
		srv_error(c, 404, "ENOTFOUND", fisc_arena_printf(c->a, "未知报表 / unknown report '%s'",
								 kind));
		return FISC_OK;
	}
	fisc_report_params p = {0};
	int unit;
	if (srv_arg_year(c, 1, &p.year) || arg_unit(c, &unit) ||
	    enum_arg(c, "phase", fisc_phase_parse, &p.phase))
		return FISC_OK;
	const char *fmt = arg_format(c, "json");
	if (!fmt)
		return FISC_OK;
	p.region = c->region.code;
	p.department = dept;
	p.unit = srv_arg(c->req, "unit");
	fisc_doc *d;
	int rc = k->build(c->st, &p, c->a, &d);
	if (rc == FISC_OK)
		rc = fisc_doc_write(d, fmt, NULL, c->out);
	return rc == FISC_OK ? FISC_OK : lib_error(c, rc);
}

/* The page's overview in one read (fisc_overview_write); the ledger's
** 支出进度 only for those who may read the ledger (finance, reviewers). */
int h_overview(srv_ctx *c)
{
	int year;
	if (srv_arg_year(c, 1, &year))
		return FISC_OK;
	int ledger = c->who.role == FISC_ROLE_FINANCE || c->who.role == FISC_ROLE_REVIEWER;
	json_body(c);
	int rc = fisc_overview_write(c->st, c->region.code, year, ledger, c->out);
	return rc == FISC_OK ? FISC_OK : lib_error(c, rc);
}

int h_report_region(srv_ctx *c) { return report(c, c->req->params[1], NULL); }
int h_report_dept(srv_ctx *c) { return report(c, c->req->params[2], c->req->params[1]); }

int h_audit(srv_ctx *c)
{
	const char *rules = srv_arg(c->req, "rules");
	const char *name = srv_arg(c->req, "name");
	fisc_audit_opts o = {!(rules && !strcmp(rules, "0")), NULL};
	if (!c->req->body || !c->req->body_len)
		return bad(c, "请求体应为报告文本 / the body must be the report's text");
	/* format=html: `fisc audit --format html`, the text with every checked
	** figure marked by its verdict and each finding beside its line (the
	** page shows it in a sandboxed frame); it has styles, never a script. */
	const char *fmt = srv_arg(c->req, "format");
	int html = fmt && !strcmp(fmt, "html");
	if (fmt && !html && strcmp(fmt, "json"))
		return bad(c, "审核结果的格式应为 json 或 html / the audit's format must be json or html");
	fisc_audit_report *r;
	int rc = fisc_audit_buffer(name ? name : "upload.txt", c->req->body, c->req->body_len, &o,
				   c->a, &r);
	if (rc == FISC_OK)
		rc = fisc_audit_write(&r, 1, html ? "html" : "json", c->out);
	json_body(c);
	if (html) {
		c->content_type = "text/html; charset=utf-8";
		c->csp = "default-src 'none'; style-src 'unsafe-inline'";
	}
	return rc == FISC_OK ? FISC_OK : lib_error(c, rc);
}

static int publish(srv_ctx *c, int on)
{
	char *end;
	long year = strtol(c->req->params[1], &end, 10);
	if (*end || year < 1949 || year > 2200)
		return bad(c, "年度无效（1949–2200）/ bad year (1949-2200)");
	const char *target = fisc_arena_printf(c->a, "%s/%ld", c->region.code, year);
	int rc = fisc_publish_set(c->st, c->region.code, (int)year, on);
	srv_record(c, on ? "publish" : "unpublish", target, rc == FISC_OK ? "ok" : "failed");
	if (rc != FISC_OK)
		return lib_error(c, rc);
	json_body(c);
	put_json(c, json_pack("{s:s,s:i,s:b}", "region", c->region.code, "year", (int)year,
			      "published", on));
	return FISC_OK;
}

int h_publish(srv_ctx *c) { return publish(c, 1); }
int h_unpublish(srv_ctx *c) { return publish(c, 0); }

/* --- the pipeline ---------------------------------------------------------- */

/* Who is asking: a bearer token, else the session cookie, else the public.
** A token that is given but not valid is an error, never the public. */
static int authenticate(srv_ctx *c, int known, int64_t version)
{
	const char *tok = c->req->bearer ? c->req->bearer : c->req->cookie_session;
	c->who.role = FISC_ROLE_PUBLIC;
	c->who.name = c->who.region = c->who.dept = "";
	if (!tok || !*tok)
		return 0;
	fisc_user u;
	int rc = srv_token_check(c->st, known, version, tok, c->a, &u);
	if (rc == FISC_ENOTFOUND) {
		srv_error(c, 401, "unauthorized", fisc_error_message());
		return -1;
	}
	if (rc != FISC_OK) {
		lib_error(c, rc);
		return -1;
	}
	c->who.role = u.role;
	c->who.name = u.name;
	c->who.region = u.region;
	c->who.dept = u.dept;
	c->who.by_cookie = !c->req->bearer;
	return 0;
}

void srv_handle(srv_ctx *c)
{
	int method_ok;
	c->status = 200;
	/* Routing cuts the path into its parameters; denials name it whole. */
	const char *path = c->path = fisc_arena_strdup(c->a, c->req->path);
	c->route = srv_route_match(c->req, &method_ok);
	if (!c->route) {
		srv_error(c, method_ok ? 405 : 404, method_ok ? "method" : "ENOTFOUND",
			  method_ok ? "该路径不支持此方法 / method not allowed on this path"
				    : "没有这个接口 / no such endpoint");
		return;
	}
	/* The OpenAPI document, the page's files and the health check need no
	** store. */
	if (c->route->fn == h_openapi || c->route->fn == h_healthz ||
	    c->route->fn == h_page || c->route->fn == h_web_file) {
		fisc_store *st = NULL;
		/* The health check opens the store afresh, but through srv_store
		** first: a store file replaced under the server is reopened before
		** anything opens the new file beside a handle on the old one. */
		if (c->route->fn == h_healthz && (srv_store(c->cfg, &c->st) != FISC_OK ||
						  fisc_store_open(c->cfg->db, &st) != FISC_OK)) {
			srv_error(c, 503, "ESTORE", fisc_error_message());
			return;
		}
		fisc_store_close(st);
		c->route->fn(c);
		return;
	}
	if (srv_store(c->cfg, &c->st) != FISC_OK) {
		lib_error(c, FISC_ESTORE);
		return;
	}
	/* The store's data version, read before anything is looked up: what is
	** learned now (the token, the region, a kept response) is kept under
	** this version, so a write committed meanwhile can only make it look
	** older than it is, never hide the write. Unknown (the watcher lost,
	** a backend that cannot tell): nothing is kept. */
	int64_t version = 0;
	int known = srv_data_version(&version) == FISC_OK;
	/* Signing in ignores an old session: a browser with an expired cookie
	** must be able to log in again. */
	if (c->route->fn != h_login && authenticate(c, known, version))
		return;
	if (c->route->fn == h_login) {
		c->who.role = FISC_ROLE_PUBLIC;
		c->who.name = c->who.region = c->who.dept = "";
	}
	/* A request a browser sends with the cookie by itself must carry the
	** CSRF token only the page has; bearer tokens are never sent by a
	** browser on its own. */
	if (strcmp(c->req->method, "GET") && c->who.by_cookie) {
		char want[FISC_TOKEN_CHARS + 1];
		fisc_token_csrf(c->req->cookie_session, want);
		if (!c->req->csrf || strcmp(c->req->csrf, want)) {
			srv_record(c, "denied", path, "csrf");
			srv_error(c, 403, "csrf", "缺少或错误的 CSRF 令牌（X-CSRF-Token）/ missing or wrong "
						  "CSRF token (X-CSRF-Token)");
			return;
		}
	}
	srv_target t = {NULL, NULL, 0};
	if (c->req->nparams && strstr(c->route->pattern, "{region}")) {
		int rc = srv_region_find(c->st, known, version, c->req->params[0], c->a, &c->region);
		if (rc != FISC_OK) {
			lib_error(c, rc);
			return;
		}
		c->has_region = 1;
		t.region = c->region.code;
		int year = 0;
		const char *y = srv_arg(c->req, "year");
		if (y)
			year = atoi(y);
		t.published = year && srv_published(c->st, known, version, c->region.id, year) == 1;
	}
	if (c->route->perm == PERM_DEPT_READ || strstr(c->route->pattern, "{dept}"))
		t.dept = c->req->params[1];
	else if (c->route->perm == PERM_FACTS_READ)
		t.dept = srv_arg(c->req, "department") ? srv_arg(c->req, "department") : c->who.dept;
	int verdict = srv_authorize(c->route->perm, &c->who, &t);
	if (verdict != SRV_ALLOW) {
		const char *target = fisc_arena_printf(c->a, "%s %s", c->req->method, path);
		srv_record(c, "denied", target, verdict == SRV_UNAUTH ? "unauthenticated" : "forbidden");
		if (verdict == SRV_UNAUTH)
			srv_error(c, 401, "unauthorized", "需要登录 / sign-in required");
		else
			srv_error(c, 403, "forbidden", "无权访问该地区或部门的数据 / no access to this "
						       "region's or department's data");
		return;
	}
	/* A kept response for this URI at the store's present data version;
	** the verdict above was made for this request, as always. */
	/* The key names the role too: a body may show a role more (the
	** overview's ledger part), never another region or department, which
	** the URI names. */
	const char *key = c->route->cache && c->req->uri && known
				  ? fisc_arena_printf(c->a, "%s %s", fisc_role_code(c->who.role),
						      c->req->uri)
				  : NULL;
	if (key && srv_cache_get(key, version, c)) {
		c->cache_state = "hit";
		return;
	}
	fisc_error_clear();
	c->route->fn(c);
	if (key) {
		c->cache_state = "miss";
		if (c->status == 200 && fflush(c->out) == 0)
			srv_cache_put(key, version, c, c->body, c->len);
	}
}
