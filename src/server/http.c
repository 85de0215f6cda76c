/*
** http.c — the HTTP side of `fisc serve`: libmicrohttpd with its epoll
** thread pool, request bodies with a size limit, the access log (one JSON
** line per request), and a graceful shutdown on SIGTERM / SIGINT: stop
** accepting, let the requests in flight finish, then stop.
**
** Each pool thread keeps its own store handle (cache.c; SQLite in WAL mode
** lets readers run side by side), so no libfisc state is shared between
** threads.
*/
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>
#include <utf8proc.h>
#include "server/server.h"

typedef struct conn {
	char *uri;            /* as received, for parsing and the log */
	char *body;
	size_t len, cap;
	int too_big;
	struct timespec t0;
	int status;
	size_t bytes;
	char user[96];
	char method[16];
	char addr[INET6_ADDRSTRLEN];
	int counted;          /* counted in `inflight` */
} conn;

static atomic_int inflight;
static FILE *access_log;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static const srv_config *config;

static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *mc)
{
	conn *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->uri = strdup(uri ? uri : "/");
	clock_gettime(CLOCK_MONOTONIC, &c->t0);
	return c;
}

/*
** The access log: one JSON object per request, as before, but made without
** a JSON library (the fields are known: four strings to escape, numbers)
** and written in batches. A line goes into a process-wide buffer; the
** buffer goes to the file when it is full and otherwise at most
** LOG_FLUSH_MS later (the main thread, which waits for the signals, wakes
** for that), and at shutdown. One write(2) per batch instead of an fprintf
** and an fflush per request: the log was a tenth of a cached read's cost.
** A crash loses at most the last LOG_FLUSH_MS of lines.
*/
enum { LOG_BUF = 64 * 1024, LOG_FLUSH_MS = 200 };
static char log_buf[LOG_BUF];
static size_t log_len;

static void log_write(const char *p, size_t n)
{
	int fd = fileno(access_log);
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return; /* a full disk: the lines are lost, the server goes on */
		p += k;
		n -= (size_t)k;
	}
}

static void log_flush(void)
{
	pthread_mutex_lock(&log_lock);
	log_write(log_buf, log_len);
	log_len = 0;
	pthread_mutex_unlock(&log_lock);
}

/* The length of the valid UTF-8 sequence at p (n bytes left), 0 if invalid:
** utf8proc's decoder refuses overlong forms, surrogates and values past
** U+10FFFF. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k = utf8proc_iterate(p, (utf8proc_ssize_t)(n < 4 ? n : 4), &cp);
	return k > 0 ? (size_t)k : 0;
}

/* s as a JSON string at out (room for 6 × strlen(s) + 2); returns the end.
** A byte that is not valid UTF-8 (a URI may carry anything) is written as
** the code point of the same number, so the line stays JSON. */
static char *json_str(char *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	*out++ = '"';
	for (size_t i = 0; i < n;) {
		unsigned char ch = p[i];
		size_t k = ch < 0x80 ? 1 : utf8_len(p + i, n - i);
		if (k > 1) {
			memcpy(out, p + i, k);
			out += k;
			i += k;
			continue;
		}
		i++;
		if (ch == '"' || ch == '\\') {
			*out++ = '\\';
			*out++ = (char)ch;
		} else if (ch < 0x20 || ch >= 0x7F) {
			memcpy(out, "\\u00", 4);
			out[4] = hex[ch >> 4];
			out[5] = hex[ch & 15];
			out += 6;
		} else {
			*out++ = (char)ch;
		}
	}
	*out++ = '"';
	return out;
}

static void log_request(conn *c)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long us = (t1.tv_sec - c->t0.tv_sec) * 1000000L + (t1.tv_nsec - c->t0.tv_nsec) / 1000;
	/* the time's text, made again only when the second changes */
	static _Thread_local time_t when_t = -1;
	static _Thread_local char when[32];
	time_t now = time(NULL);
	if (now != when_t) {
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		when_t = now;
	}
	const char *uri = c->uri ? c->uri : "";
	size_t cap = 6 * (strlen(uri) + strlen(c->user) + strlen(c->addr) + strlen(c->method)) + 256;
	char stack[4096];
	char *line = cap <= sizeof stack ? stack : malloc(cap);
	if (!line)
		return;
	char *p = line;
	p += sprintf(p, "{\"time\":\"%s\",\"address\":", when);
	p = json_str(p, c->addr);
	p = stpcpy(p, ",\"method\":");
	p = json_str(p, c->method);
	p = stpcpy(p, ",\"uri\":");
	p = json_str(p, uri);
	p += sprintf(p, ",\"status\":%d,\"bytes\":%zu,\"us\":%ld,\"user\":", c->status, c->bytes, us);
	p = json_str(p, c->user);
	p = stpcpy(p, "}\n");
	size_t n = (size_t)(p - line);
	assert(n <= cap);
	pthread_mutex_lock(&log_lock);
	if (log_len + n > sizeof log_buf) {
		log_write(log_buf, log_len);
		log_len = 0;
	}
	if (n > sizeof log_buf)
		log_write(line, n);
	else {
		memcpy(log_buf + log_len, line, n);
		log_len += n;
	}
	pthread_mutex_unlock(&log_lock);
	if (line != stack)
		free(line);
}

static void completed(void *cls, struct MHD_Connection *mc, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	conn *c = *con_cls;
	if (!c)
		return;
	if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && !c->status)
		c->status = 499; /* the client went away or timed out */
	log_request(c);
	if (c->counted)
		atomic_fetch_sub(&inflight, 1);
	free(c->uri);
	free(c->body);
	free(c);
	*con_cls = NULL;
}

static enum MHD_Result send_body(struct MHD_Connection *mc, conn *c, srv_ctx *x)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(x->len, x->body, MHD_RESPMEM_MUST_FREE);
	if (!r)
		return MHD_NO;
	x->body = NULL; /* the response owns it now */
	MHD_add_response_header(r, "Content-Type", x->content_type ? x->content_type
								  : "application/json; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", x->cache ? x->cache : "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Content-Security-Policy",
				x->csp ? x->csp : "default-src 'none'; style-src 'unsafe-inline'");
	if (x->etag)
		MHD_add_response_header(r, "ETag", x->etag);
	if (x->cache_state)
		MHD_add_response_header(r, "X-Fisc-Cache", x->cache_state);
	if (x->filename) {
		char disp[128];
		snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", x->filename);
		MHD_add_response_header(r, "Content-Disposition", disp);
	}
	for (int i = 0; i < 2; i++)
		if (x->set_cookie[i])
			MHD_add_response_header(r, "Set-Cookie", x->set_cookie[i]);
	c->status = x->status;
	c->bytes = x->len;
	enum MHD_Result ret = MHD_queue_response(mc, (unsigned)x->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* An answer made here, before any handler: 413, 400. */
static enum MHD_Result send_error(struct MHD_Connection *mc, conn *c, int status,
				  const char *code, const char *msg)
{
	srv_ctx x = {0};
	srv_req req = {0};
	x.req = &req;
	x.a = fisc_arena_new();
	x.out = open_memstream(&x.body, &x.len);
	if (!x.a || !x.out) {
		fisc_arena_free(x.a);
		return MHD_NO;
	}
	srv_error(&x, status, code, msg);
	fclose(x.out);
	enum MHD_Result r = send_body(mc, c, &x);
	free(x.body);
	fisc_arena_free(x.a);
	return r;
}

static void client_address(struct MHD_Connection *mc, conn *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, c->addr, sizeof c->addr);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, c->addr,
			  sizeof c->addr);
	/* Behind the proxy the peer is the proxy: its X-Forwarded-For says who
	** the client is (the last address, the one the proxy itself added). */
	const char *xff = config->behind_tls
				  ? MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "X-Forwarded-For")
				  : NULL;
	if (xff && (!strcmp(c->addr, "127.0.0.1") || !strcmp(c->addr, "::1"))) {
		const char *last = strrchr(xff, ',');
		last = last ? last + 1 : xff;
		while (*last == ' ')
			last++;
		snprintf(c->addr, sizeof c->addr, "%s", last);
	}
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *mc, const char *url,
				 const char *method, const char *version, const char *upload,
				 size_t *upload_size, void **con_cls)
{
	conn *c = *con_cls;
	if (!c || !c->uri)
		return MHD_NO;
	if (!c->counted) { /* the first call: headers only */
		c->counted = 1;
		atomic_fetch_add(&inflight, 1);
		snprintf(c->method, sizeof c->method, "%s", method);
		client_address(mc, c);
		const char *cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > config->max_body)
			c->too_big = 1;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!c->too_big && c->len + *upload_size > config->max_body)
			c->too_big = 1;
		if (!c->too_big) {
			if (c->len + *upload_size + 1 > c->cap) {
				size_t cap = (c->len + *upload_size + 1) * 2;
				char *b = realloc(c->body, cap);
				if (!b)
					return MHD_NO;
				c->body = b;
				c->cap = cap;
			}
			memcpy(c->body + c->len, upload, *upload_size);
			c->len += *upload_size;
			c->body[c->len] = 0;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (c->too_big)
		return send_error(mc, c, 413, "too_large",
				  "请求体过大 / request body too large");
	size_t n = strlen(c->uri);
	char *buf = malloc(2 * n + 2);
	srv_req req = {0};
	if (!buf)
		return MHD_NO;
	req.method = method;
	req.uri = c->uri;
	if (srv_parse_uri(c->uri, buf, 2 * n + 2, &req) != 0) {
		free(buf);
		return send_error(mc, c, 400, "EINVAL", "请求地址无效 / malformed request URI");
	}
	req.body = c->body;
	req.body_len = c->len;
	req.address = c->addr;
	req.cookie_session = MHD_lookup_connection_value(mc, MHD_COOKIE_KIND, "fisc_session");
	req.csrf = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "X-CSRF-Token");
	req.idem_key = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Idempotency-Key");
	req.if_none_match = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "If-None-Match");
	const char *auth = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Authorization");
	if (auth && !strncasecmp(auth, "Bearer ", 7))
		req.bearer = auth + 7;
	srv_ctx x = {0};
	x.cfg = config;
	x.req = &req;
	x.a = fisc_arena_new();
	x.out = open_memstream(&x.body, &x.len);
	if (!x.a || !x.out) {
		if (x.out)
			fclose(x.out);
		free(x.body);
		fisc_arena_free(x.a);
		free(buf);
		return MHD_NO;
	}
	srv_handle(&x);
	if (x.out) { /* NULL when the body came from the cache */
		if (fflush(x.out) != 0)
			srv_error(&x, 500, "ENOMEM", "内存不足 / out of memory");
		fclose(x.out);
	}
	snprintf(c->user, sizeof c->user, "%s", x.who.name ? x.who.name : "");
	if (x.st)
		srv_store_done(x.st);
	enum MHD_Result r = send_body(mc, c, &x);
	free(x.body);
	fisc_arena_free(x.a);
	free(buf);
	return r;
}

/* data/openapi.json, read once: the document the tests validate against. */
static int load_openapi(void)
{
	const char *dir = fisc_datadir();
	char path[4096];
	snprintf(path, sizeof path, "%s/openapi.json", dir);
	FILE *f = fopen(path, "rb");
	if (!f)
		return fisc_error_set(FISC_EIO, "无法读取「%s」/ cannot read '%s'", path, path);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	char tmp[8192];
	size_t k;
	while (m && (k = fread(tmp, 1, sizeof tmp, f)) > 0)
		fwrite(tmp, 1, k, m);
	fclose(f);
	if (!m || fclose(m) != 0)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	srv_openapi = buf;
	srv_openapi_len = len;
	return FISC_OK;
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
	const char *colon = strrchr(s, ':');
	char host[64];
	if (!colon || (size_t)(colon - s) >= sizeof host)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return -1;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

int srv_run(const srv_config *cfg)
{
	struct sockaddr_in sa;
	config = cfg;
	if (parse_listen(cfg->listen, &sa)) {
		fprintf(stderr, "fisc serve: --listen 应为 IPv4地址:端口 / --listen must be "
				"IPV4:PORT, got '%s'\n", cfg->listen);
		return 2;
	}
	if (load_openapi() != FISC_OK || srv_web_init() != FISC_OK) {
		fprintf(stderr, "fisc serve: %s\n", fisc_error_message());
		return 2;
	}
	access_log = stderr;
	if (cfg->access_log && !(access_log = fopen(cfg->access_log, "a"))) {
		fprintf(stderr, "fisc serve: 无法打开访问日志「%s」/ cannot open the access log '%s': "
				"%s\n", cfg->access_log, cfg->access_log, strerror(errno));
		return 2;
	}
	/* The signals are taken by sigwait below: every thread MHD starts
	** inherits this mask, so none of them is interrupted by them. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* One engine for the process (its writer thread inherits the mask). */
	if (fisc_ledger_open(cfg->db, &srv_ledger) != FISC_OK) {
		fprintf(stderr, "fisc serve: %s\n", fisc_error_message());
		return 1;
	}
	if (srv_cache_open(cfg) != FISC_OK) {
		fisc_ledger_close(srv_ledger);
		fprintf(stderr, "fisc serve: %s\n", fisc_error_message());
		return 1;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC, 0, NULL, NULL, access_cb, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout,
		MHD_OPTION_CONNECTION_LIMIT, 1024u,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256u,
		MHD_OPTION_URI_LOG_CALLBACK, uri_cb, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
		MHD_OPTION_END);
	if (!d) {
		srv_cache_close();
		fisc_ledger_close(srv_ledger);
		fprintf(stderr, "fisc serve: 无法监听 %s / cannot listen on %s: %s\n", cfg->listen,
			cfg->listen, strerror(errno));
		return 1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	char host[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
	/* One line on stdout that scripts (and the tests) read the port from. */
	printf("listening http://%s:%u\n", host, di ? di->port : ntohs(sa.sin_port));
	fflush(stdout);
	/* Wait for a signal, flushing the access log meanwhile. */
	int sig = -1;
	struct timespec tick = {0, LOG_FLUSH_MS * 1000000L};
	while (sig < 0) {
		sig = sigtimedwait(&sigs, NULL, &tick);
		if (sig < 0 && errno != EAGAIN && errno != EINTR) {
			sigwait(&sigs, &sig);
			break;
		}
		log_flush();
	}
	fprintf(stderr, "fisc serve: %s，等待进行中的请求 / %s, finishing requests in flight\n",
		sig == SIGTERM ? "SIGTERM" : "SIGINT", sig == SIGTERM ? "SIGTERM" : "SIGINT");
	MHD_quiesce_daemon(d); /* no new connections */
	/* Requests in flight finish (each at most the connection timeout). */
	for (int waited = 0; atomic_load(&inflight) > 0 && waited < cfg->timeout * 100; waited++)
		usleep(10000);
	MHD_stop_daemon(d); /* the pool threads end, closing their store handles */
	srv_cache_close();
	/* After the last request: the batch in flight commits, then the writer stops. */
	fisc_ledger_close(srv_ledger);
	srv_ledger = NULL;
	log_flush();
	if (access_log != stderr)
		fclose(access_log);
	free((char *)srv_openapi);
	return 0;
}
