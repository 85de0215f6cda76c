/*
** fuzz_http.c — libFuzzer target for the server's request parsing: the URI
** (path, percent escapes, query string), the route table, the role matrix
** the history and diff endpoints' query strings and a fact id of a path,
** and the JSON bodies the API reads (the login object, a payment or refund),
** called directly as
** http.c calls them, without a socket or a store.
**
** Input: first byte picks the method and the caller's role, the rest up to
** the first newline is the URI, what follows is the body. Invariants: a
** parsed request's path and arguments are NUL-free strings inside the
** buffer; a matched route's method is the request's; authorization answers
** one of its three values, and the public is never told 403.
*/
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "POST", "PUT", "DELETE"};
	if (size < 1 || size > 8192)
		return 0;
	const char *method = methods[data[0] & 3];
	int role = 1 + (data[0] >> 2) % 4;
	const uint8_t *nl = memchr(data + 1, '\n', size - 1);
	size_t ulen = nl ? (size_t)(nl - data - 1) : size - 1;
	char *uri = malloc(ulen + 1);
	char *buf = malloc(2 * ulen + 2);
	memcpy(uri, data + 1, ulen);
	uri[ulen] = 0;
	srv_req r = {0};
	r.method = method;
	if (strlen(uri) == ulen && srv_parse_uri(uri, buf, 2 * ulen + 2, &r) == 0) {
		assert(r.path == buf);
		for (int i = 0; i < r.nargs; i++)
			assert(strlen(r.args[i].k) <= ulen && strlen(r.args[i].v) <= ulen);
		int method_ok;
		const srv_route *rt = srv_route_match(&r, &method_ok);
		if (rt) {
			assert(!strcmp(rt->method, method) && method_ok);
			assert(r.nparams <= SRV_MAXPARAMS);
			srv_who w = {role, "u", "R", role == FISC_ROLE_DEPARTMENT ? "D" : "", 0};
			srv_target t = {r.nparams ? r.params[0] : NULL,
					r.nparams > 1 ? r.params[1] : srv_arg(&r, "department"),
					(data[0] >> 4) & 1};
			int v = srv_authorize(rt->perm, &w, &t);
			assert(v == SRV_ALLOW || v == SRV_UNAUTH || v == SRV_FORBID);
			assert(!(role == FISC_ROLE_PUBLIC && v == SRV_FORBID));
		}
		/* the query of …/history and …/diff, as history.c reads it */
		for (int diff = 0; diff < 2; diff++) {
			srv_hist_args a;
			char msg[256];
			if (srv_parse_hist_args(&r, diff, &a, msg, sizeof msg) == 0) {
				assert(a.year >= 1949 && a.year <= 2200);
				assert(!diff || a.vs_year || a.vs_phase > 0 || srv_arg(&r, "vs_as_of"));
				assert(a.unit >= -1 && a.decimals >= -1 && a.decimals <= 4);
			} else {
				assert(strstr(msg, "/ "));
			}
		}
		if (rt && r.nparams > 1 && strstr(rt->pattern, "/facts/{id}"))
			assert(srv_parse_fact_id(r.params[1]) >= -1);
	}
	if (nl) { /* the body, as h_login reads it */
		json_error_t err;
		json_t *j = json_loadb((const char *)nl + 1, size - ulen - 2, 0, &err);
		const char *name, *pw;
		if (j && json_unpack(j, "{s:s,s:s}", "name", &name, "password", &pw) == 0)
			assert(name && pw);
		json_decref(j);
		/* as the payment and refund handlers read it */
		srv_pay_body b;
		char msg[256];
		for (int need_line = 0; need_line < 2; need_line++) {
			if (srv_parse_pay_body((const char *)nl + 1, size - ulen - 2, need_line, &b, msg,
					       sizeof msg) == 0) {
				assert(b.fen > 0 && (!need_line || b.line > 0));
				assert(strlen(b.payee) < sizeof b.payee && strlen(b.purpose) < sizeof b.purpose);
			} else {
				assert(strstr(msg, "/ ")); /* "中文 / English" (srv_error splits at "/ ") */
			}
		}
	}
	free(uri);
	free(buf);
	return 0;
}
