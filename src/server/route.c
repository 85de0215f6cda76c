/*
** route.c — from a request line to a route: URI parsing (percent-decoding,
** query arguments), the route table with each route's permission, and the
** role matrix (srv_authorize). Nothing here touches a socket or the store,
** so the fuzzer (fuzz/fuzz_http.c) and the tests call it directly.
*/
#include <string.h>
#include "server/server.h"

int h_healthz(srv_ctx *c);
int h_openapi(srv_ctx *c);
int h_login(srv_ctx *c);
int h_logout(srv_ctx *c);
int h_me(srv_ctx *c);
int h_regions(srv_ctx *c);
int h_departments(srv_ctx *c);
int h_facts(srv_ctx *c);
int h_balance(srv_ctx *c);
int h_statement(srv_ctx *c);
int h_check(srv_ctx *c);
int h_report_region(srv_ctx *c);
int h_overview(srv_ctx *c);
int h_report_dept(srv_ctx *c);
int h_audit(srv_ctx *c);
int h_publish(srv_ctx *c);
int h_unpublish(srv_ctx *c);
int h_quota(srv_ctx *c);
int h_quota_docs(srv_ctx *c);
int h_quota_post(srv_ctx *c);
int h_payments(srv_ctx *c);
int h_pay_request(srv_ctx *c);
int h_pay_confirm(srv_ctx *c);
int h_pay_void(srv_ctx *c);
int h_pay_refund(srv_ctx *c);
int h_journal_head(srv_ctx *c);
int h_page(srv_ctx *c);
int h_web_file(srv_ctx *c);
int h_web_quota(srv_ctx *c);
int h_history(srv_ctx *c);
int h_diff(srv_ctx *c);
int h_fact_versions(srv_ctx *c);

/* docs/server.md lists the same table with the role matrix; the matrix test
** (tests/cli/test_serve_roles.sh) walks every row. */
const srv_route srv_routes[] = {
	{"GET", "/healthz", h_healthz, PERM_ANY, 0, 0},
	{"GET", "/api/openapi.json", h_openapi, PERM_ANY, 0, 0},
	{"POST", "/api/login", h_login, PERM_ANY, 0, 0},
	{"POST", "/api/logout", h_logout, PERM_LOGIN, 0, 0},
	{"GET", "/api/me", h_me, PERM_ANY, 0, 0},
	{"GET", "/api/regions", h_regions, PERM_ANY, 0, 0},
	{"GET", "/api/regions/{region}/departments", h_departments, PERM_REGION_LIST, 0, 0},
	{"GET", "/api/regions/{region}/facts", h_facts, PERM_FACTS_READ, 0, 0},
	{"GET", "/api/regions/{region}/balance", h_balance, PERM_GOV_READ, 0, 1},
	{"GET", "/api/regions/{region}/statement", h_statement, PERM_GOV_READ, 0, 1},
	{"GET", "/api/regions/{region}/check", h_check, PERM_GOV_READ, 0, 1},
	{"GET", "/api/regions/{region}/reports/{kind}", h_report_region, PERM_GOV_READ, 0, 1},
	{"GET", "/api/regions/{region}/overview", h_overview, PERM_GOV_READ, 0, 1},
	{"GET", "/api/regions/{region}/departments/{dept}/reports/{kind}", h_report_dept,
	 PERM_DEPT_READ, 0, 1},
	{"POST", "/api/audit", h_audit, PERM_LOGIN, 0, 0},
	{"PUT", "/api/regions/{region}/published/{year}", h_publish, PERM_REGION_WRITE, 1, 0},
	{"DELETE", "/api/regions/{region}/published/{year}", h_unpublish, PERM_REGION_WRITE, 1, 0},
	{"GET", "/api/regions/{region}/quota", h_quota, PERM_FACTS_READ, 0, 0},
	{"GET", "/api/regions/{region}/quota/documents", h_quota_docs, PERM_FACTS_READ, 0, 0},
	{"POST", "/api/regions/{region}/quota/documents", h_quota_post, PERM_REGION_WRITE, 1, 0},
	{"GET", "/api/regions/{region}/payments", h_payments, PERM_FACTS_READ, 0, 0},
	{"POST", "/api/regions/{region}/payments", h_pay_request, PERM_PAY_WRITE, 1, 0},
	{"POST", "/api/regions/{region}/payments/{key}/confirm", h_pay_confirm, PERM_REGION_WRITE, 1, 0},
	{"POST", "/api/regions/{region}/payments/{key}/void", h_pay_void, PERM_PAY_WRITE, 1, 0},
	{"POST", "/api/regions/{region}/payments/{key}/refunds", h_pay_refund, PERM_REGION_WRITE, 1, 0},
	{"GET", "/api/journal/head", h_journal_head, PERM_ANY, 0, 0},
	/* the web page (web.c): its files, and the one endpoint it added */
	{"GET", "/", h_page, PERM_ANY, 0, 0},
	{"GET", "/web/{file}", h_web_file, PERM_ANY, 0, 0},
	{"GET", "/api/regions/{region}/departments/{dept}/quota", h_web_quota, PERM_FACTS_READ, 0, 0},
	/* history and diff (history.c): raw facts, so as the facts */
	{"GET", "/api/regions/{region}/history", h_history, PERM_FACTS_READ, 0, 0},
	{"GET", "/api/regions/{region}/diff", h_diff, PERM_FACTS_READ, 0, 0},
	{"GET", "/api/regions/{region}/facts/{id}", h_fact_versions, PERM_FACTS_READ, 0, 0},
};
const size_t srv_nroutes = sizeof srv_routes / sizeof *srv_routes;

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decode s[0..n) into out; returns the end of the output or NULL for a bad
** escape or a NUL byte. plus: '+' is a space (query strings). */
static char *decode(const char *s, size_t n, char *out, int plus)
{
	for (size_t i = 0; i < n; i++) {
		int ch = (unsigned char)s[i];
		if (ch == '%') {
			int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
			if (hi < 0 || lo < 0 || (hi | lo) == 0) /* a bad escape, or %00 */
				return NULL;
			ch = hi * 16 + lo;
			i += 2;
		} else if (ch == '+' && plus) {
			ch = ' ';
		} else if (ch == 0) {
			return NULL;
		}
		*out++ = (char)ch;
	}
	*out++ = 0;
	return out;
}

int srv_parse_uri(const char *uri, char *buf, size_t bufsize, srv_req *r)
{
	size_t n = strlen(uri);
	/* Each input byte gives at most two output bytes: an argument "a" with
	** no '=' is "a", its NUL and an empty value's NUL. */
	if (bufsize < 2 * n + 2 || uri[0] != '/')
		return -1;
	const char *q = strchr(uri, '?');
	size_t plen = q ? (size_t)(q - uri) : n;
	char *o = decode(uri, plen, buf, 0);
	if (!o)
		return -1;
	r->path = buf;
	r->nargs = 0;
	if (!q)
		return 0;
	const char *p = q + 1, *end = uri + n;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *e = amp ? amp : end;
		if (e > p) {
			if (r->nargs == SRV_MAXARGS)
				return -1;
			const char *eq = memchr(p, '=', (size_t)(e - p));
			char *k = o;
			o = decode(p, (size_t)((eq ? eq : e) - p), o, 1);
			if (!o)
				return -1;
			char *v = o;
			o = decode(eq ? eq + 1 : e, eq ? (size_t)(e - eq - 1) : 0, o, 1);
			if (!o)
				return -1;
			r->args[r->nargs].k = k;
			r->args[r->nargs].v = v;
			r->nargs++;
		}
		p = e + 1;
	}
	return 0;
}

const char *srv_arg(const srv_req *r, const char *k)
{
	for (int i = 0; i < r->nargs; i++)
		if (!strcmp(r->args[i].k, k))
			return r->args[i].v;
	return NULL;
}

/* Match path against pattern segment by segment; a {name} segment matches
** any non-empty segment and is kept (in place: the path is split). */
static int match(const char *pattern, const char *path, const char **seg, size_t *seglen,
		 int *nparams)
{
	const char *p = pattern, *s = path;
	int n = 0;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return 0;
		p++, s++;
		const char *pe = strchr(p, '/'), *se = strchr(s, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p), sl = se ? (size_t)(se - s) : strlen(s);
		if (pl > 1 && p[0] == '{') {
			if (sl == 0 || n == SRV_MAXPARAMS)
				return 0;
			seg[n] = s;
			seglen[n++] = sl;
		} else if (pl != sl || memcmp(p, s, pl)) {
			return 0;
		}
		p += pl, s += sl;
	}
	if (*p || *s)
		return 0;
	*nparams = n;
	return 1;
}

const srv_route *srv_route_match(srv_req *r, int *method_ok)
{
	*method_ok = 0;
	for (size_t i = 0; i < srv_nroutes; i++) {
		const char *seg[SRV_MAXPARAMS];
		size_t len[SRV_MAXPARAMS];
		int n;
		if (!match(srv_routes[i].pattern, r->path, seg, len, &n))
			continue;
		*method_ok = 1;
		if (strcmp(srv_routes[i].method, r->method))
			continue;
		/* Cut the path into its parameters: the path is not needed whole
		** after routing, except for the log, which keeps its own copy. */
		for (int k = 0; k < n; k++) {
			r->params[k] = (char *)seg[k];
			r->params[k][len[k]] = 0;
		}
		r->nparams = n;
		return &srv_routes[i];
	}
	return NULL;
}

static int same(const char *a, const char *b)
{
	return a && b && *a && !strcmp(a, b);
}

int srv_authorize(int perm, const srv_who *w, const srv_target *t)
{
	int pub = w->role == FISC_ROLE_PUBLIC;
	int own_region = !pub && same(w->region, t->region);
	int gov = (w->role == FISC_ROLE_FINANCE || w->role == FISC_ROLE_REVIEWER) && own_region;
	int own_dept = w->role == FISC_ROLE_DEPARTMENT && own_region && same(w->dept, t->dept);
	int ok;
	switch (perm) {
	case PERM_ANY: return SRV_ALLOW;
	case PERM_LOGIN: ok = !pub; break;
	case PERM_GOV_READ: ok = gov || t->published; break;
	case PERM_DEPT_READ: ok = gov || own_dept || t->published; break;
	case PERM_FACTS_READ: ok = gov || own_dept; break;
	case PERM_REGION_LIST: ok = gov || (w->role == FISC_ROLE_DEPARTMENT && own_region); break;
	case PERM_REGION_WRITE: ok = w->role == FISC_ROLE_FINANCE && own_region; break;
	case PERM_PAY_WRITE:
		ok = (w->role == FISC_ROLE_FINANCE || w->role == FISC_ROLE_DEPARTMENT) && own_region;
		break;
	default: ok = 0; /* a route without a known permission is nobody's */
	}
	return ok ? SRV_ALLOW : pub ? SRV_UNAUTH : SRV_FORBID;
}
