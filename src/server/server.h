/*
** server.h — `fisc serve`'s parts: a request as the router sees it (no
** socket in sight, so tests and the fuzzer drive it directly), the route
** table with each route's permission, the handlers (thin calls into libfisc)
** and the HTTP side (libmicrohttpd, http.c).
*/
#ifndef FISC_SERVER_H
#define FISC_SERVER_H

#include <stddef.h>
#include <stdio.h>
#include "fisc/fisc.h"

#define SRV_MAXARGS 32
#define SRV_MAXPARAMS 4

typedef struct srv_config {
	const char *db;          /* store path */
	const char *listen;      /* "127.0.0.1:8080" */
	const char *access_log;  /* NULL: stderr */
	int threads;
	int timeout;             /* seconds of idle connection */
	size_t max_body;         /* bytes */
	int behind_tls;          /* Secure cookies; trust X-Forwarded-For from loopback */
	int session_ttl;         /* seconds */
} srv_config;

/* What a request asks for, after parsing. Strings point into `buf`. */
typedef struct srv_req {
	const char *method;
	const char *uri;         /* as received, the response cache's key; NULL: no caching */
	char *path;              /* percent-decoded, no query */
	struct { char *k, *v; } args[SRV_MAXARGS];
	int nargs;
	char *params[SRV_MAXPARAMS]; /* {region}, {dept}, {kind} of the route */
	int nparams;
	const char *body;        /* POST body (NUL-terminated), or NULL */
	size_t body_len;
	const char *cookie_session, *bearer, *csrf, *address;
	const char *idem_key;    /* Idempotency-Key header, or NULL */
	const char *if_none_match; /* for the page's static files (ETag) */
} srv_req;

/* Permissions a route requires (docs/server.md, "Role matrix"). */
typedef enum srv_perm {
	PERM_ANY = 0,       /* everyone, the public included */
	PERM_LOGIN,         /* any signed-in user */
	PERM_GOV_READ,      /* a region's government figures: finance, reviewer of the region; public when published */
	PERM_DEPT_READ,     /* a department's figures: + the department itself */
	PERM_FACTS_READ,    /* facts: finance, reviewer; a department user only its own */
	PERM_REGION_LIST,   /* departments of a region: finance, reviewer; a department sees itself */
	PERM_REGION_WRITE,  /* finance of the region */
	PERM_PAY_WRITE      /* finance of the region; a department user of the region (the
			    ** handler then checks that the line is its own) */
} srv_perm;

typedef struct srv_ctx srv_ctx;
typedef int (*srv_handler)(srv_ctx *c);

typedef struct srv_route {
	const char *method;
	const char *pattern; /* "/api/regions/{region}/balance" */
	srv_handler fn;
	int perm;            /* srv_perm */
	int write;           /* changes the store: CSRF and the event log */
	int cache;           /* a GET whose body depends on the URI and the data only,
			     ** not on who asks: kept by data version (cache.c) */
} srv_route;

extern const srv_route srv_routes[];
extern const size_t srv_nroutes;

/* Parse "/path?query" (percent-decoding both, '+' as space in the query)
** into r; the strings are written into buf (at least 2 × strlen(uri) + 2).
** -1 for a malformed URI (bad escape, NUL, too many args). */
int srv_parse_uri(const char *uri, char *buf, size_t bufsize, srv_req *r);
/* The route for method and path; params filled. NULL: no such path
** (*method_ok = 0) or not for this method (*method_ok = 1). */
const srv_route *srv_route_match(srv_req *r, int *method_ok);
const char *srv_arg(const srv_req *r, const char *k);

/* Who is asking. role FISC_ROLE_PUBLIC when nobody signed in. */
typedef struct srv_who {
	int role;
	const char *name, *region, *dept; /* region code; "" for the public */
	int by_cookie;                    /* CSRF required for writes */
} srv_who;

/* The target of a request, as far as permissions go. */
typedef struct srv_target {
	const char *region;  /* code of the region the path names, or NULL */
	const char *dept;    /* the department the request reads, or NULL */
	int published;       /* the (region, year) is published */
} srv_target;

enum { SRV_ALLOW = 0, SRV_UNAUTH = 401, SRV_FORBID = 403 };
/* The role matrix as one pure function. */
int srv_authorize(int perm, const srv_who *w, const srv_target *t);

/* A request being answered. */
struct srv_ctx {
	const srv_config *cfg;
	srv_req *req;
	const srv_route *route;
	fisc_store *st;
	fisc_arena *a;
	srv_who who;
	fisc_region region;      /* the path's {region}, once resolved */
	int has_region;
	FILE *out;               /* the response body */
	char *body;
	size_t len;
	int status;
	const char *content_type;
	const char *filename;    /* Content-Disposition for downloads */
	const char *csp;         /* Content-Security-Policy; NULL: the API's */
	const char *cache;       /* Cache-Control; NULL: no-store */
	const char *etag;        /* ETag, or NULL */
	const char *set_cookie[2];
	char *error_code;        /* for the access log */
	const char *path;        /* the request's path whole (routing cuts req->path) */
	const char *cache_state; /* "hit" or "miss" for a cached route (X-Fisc-Cache) */
};

/* Everything a request does, from authentication to the body; fills
** c->status, c->body, c->len, c->content_type. */
void srv_handle(srv_ctx *c);

/* A JSON error response: {"code","message_zh","message_en"}; msg is a
** bilingual "中文 / English" message. */
void srv_error(srv_ctx *c, int status, const char *code, const char *msg);
/* The one place where logins, denials and writes are recorded. */
void srv_record(srv_ctx *c, const char *action, const char *target, const char *outcome);

/* Helpers the handler files share (handlers.c). */
void srv_json(srv_ctx *c, void *json_t_ptr);    /* writes and frees a json_t */
int srv_lib_error(srv_ctx *c, int rc);           /* the library's error as JSON */
int srv_bad(srv_ctx *c, const char *msg);        /* 400 EINVAL */
int srv_deny(srv_ctx *c);                        /* 403 forbidden, recorded */
int srv_arg_year(srv_ctx *c, int required, int *year);
/* ?unit= (-1 when absent), ?decimals= (-1 when absent), ?format= (a
** renderer's; sets the content type; NULL after a 400), and an enum such as
** book, scope or phase (0 when absent): -1 after answering 400. */
int srv_arg_unit(srv_ctx *c, int *unit);
int srv_arg_decimals(srv_ctx *c);
const char *srv_arg_format(srv_ctx *c, const char *def);
int srv_arg_enum(srv_ctx *c, const char *name, int (*parse)(const char *, size_t), int *out);

/* The ledger engine of this process (ledger.c): opened by srv_run before
** the first request, closed after the last, so that the batch in flight at
** SIGTERM commits. Every payment request goes through its group commit. */
extern fisc_ledger *srv_ledger;

/* A payment or refund body: {"line": N, "amount": "元", "payee", "purpose"}
** or {"amount": "元", "date": YYYYMMDD}. Pure (the fuzzer calls it);
** amounts as strings in 元 (a unit may be written), never JSON numbers,
** so that no amount passes through a double. 0, or -1 with msg set. */
typedef struct srv_pay_body {
	int64_t line;
	int64_t fen;
	int32_t date;
	char payee[256], purpose[512];
} srv_pay_body;
int srv_parse_pay_body(const char *body, size_t len, int need_line, srv_pay_body *out,
		       char *msg, size_t cap);

/* Login throttling (auth.c): nonzero when key (a user name or an address)
** has failed too often lately; failures are counted, successes clear. */
int srv_throttled(const char *key);
void srv_failed(const char *key);
void srv_succeeded(const char *key);

/* The OpenAPI document, loaded once at startup (http.c). */
extern const char *srv_openapi;
extern size_t srv_openapi_len;
/* The CSP of an HTML report: its inlined chart script allowed by hash
** (web.c, srv_web_init at startup). */
extern const char *srv_report_csp;
int srv_web_init(void);
/* The page's files (web.c); they need no store. */
int h_page(srv_ctx *c);
int h_web_file(srv_ctx *c);

/* cache.c: the pool thread's store handle, opened on its first request and
** kept (srv_store_done after each request); the data version from the
** watcher handle; the response cache. srv_cache_get replaces c's body,
** status and content type with the kept response and returns 1 on a hit. */
int srv_store(const srv_config *cfg, fisc_store **out);
void srv_store_done(fisc_store *st);
int srv_cache_open(const srv_config *cfg);
void srv_cache_close(void);
int srv_data_version(int64_t *v);
int srv_cache_get(const char *key, int64_t version, srv_ctx *c);
void srv_cache_put(const char *key, int64_t version, const srv_ctx *c, const char *body,
		   size_t len);
void srv_cache_clear(void);
/* The store's answers a request needs before its handler, kept by the pool
** thread at data version `version` (known 0: asked afresh): the token's
** user (fisc_token_check; strings valid until the thread's next request),
** the path's region (fisc_store_region_find), publication
** (fisc_publish_get). Between srv_store and srv_store_done. */
int srv_token_check(fisc_store *st, int known, int64_t version, const char *token,
		    fisc_arena *a, fisc_user *out);
int srv_region_find(fisc_store *st, int known, int64_t version, const char *key, fisc_arena *a,
		    fisc_region *out);
int srv_published(fisc_store *st, int known, int64_t version, int64_t region, int year);

/* History, diff and what is behind a fact (history.c). The arguments of
** …/history (diff 0) and …/diff (diff 1), parsed without a store (the
** fuzzer calls it): 0, or -1 with a "中文 / English" msg. */
typedef struct srv_hist_args {
	int year, book, book_set, scope, phase;
	const char *item, *department; /* NULL: all */
	const char *as_of, *vs_as_of;  /* NULL: current */
	int vs_year, vs_phase, all;    /* 0: as the left side; all: unchanged lines too */
	int unit, decimals;            /* -1: the default */
} srv_hist_args;
int srv_parse_hist_args(const srv_req *r, int diff, srv_hist_args *a, char *msg, size_t cap);
/* A fact id of a path: a positive integer, else -1. */
int64_t srv_parse_fact_id(const char *s);
int h_history(srv_ctx *c);
int h_diff(srv_ctx *c);
int h_fact_versions(srv_ctx *c);

/* Run the server until SIGTERM or SIGINT; returns an exit code. */
int srv_run(const srv_config *cfg);

#endif
