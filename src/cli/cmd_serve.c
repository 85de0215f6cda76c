/*
** cmd_serve.c — `fisc serve --db STORE --listen 127.0.0.1:8080`: the HTTP
** API over the store (src/server/, docs/server.md).
*/
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "server/server.h"

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] serve [--listen 127.0.0.1:8080] [--threads N]\n"
		   "       [--timeout SECONDS] [--max-body BYTES] [--access-log FILE] [--behind-tls]\n"
		   "       [--session-hours H]\n"
		   "  HTTP 接口，见 docs/server.md；TLS 由前置反向代理负责 | the HTTP API (docs/server.md);\n"
		   "  TLS is the reverse proxy's job. --listen 端口 0：任选空闲端口 | port 0: any free port\n"
		   "  SIGTERM/SIGINT：完成进行中的请求后退出 | finish requests in flight, then exit\n");
	return code;
}

static int number(const char *opt, const char *v, long lo, long hi, long *out)
{
	char *end;
	*out = strtol(v, &end, 10);
	if (*end || !*v || *out < lo || *out > hi) {
		fprintf(stderr, "fisc: %s 应为 %ld–%ld / %s must be %ld-%ld\n", opt, lo, hi, opt, lo, hi);
		return CLI_USAGE;
	}
	return CLI_OK;
}

int cmd_serve(int argc, char **argv, const char *db)
{
	static const struct option longopts[] = {
		{"listen", required_argument, 0, 'l'},	   {"threads", required_argument, 0, 't'},
		{"timeout", required_argument, 0, 'T'},	   {"max-body", required_argument, 0, 'm'},
		{"access-log", required_argument, 0, 'L'}, {"behind-tls", no_argument, 0, 's'},
		{"session-hours", required_argument, 0, 'S'}, {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	srv_config cfg = {db, "127.0.0.1:8080", NULL, 4, 30, 8u << 20, 0, 8 * 3600};
	long v;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': cfg.listen = optarg; break;
		case 'L': cfg.access_log = optarg; break;
		case 's': cfg.behind_tls = 1; break;
		case 't':
			if (number("--threads", optarg, 1, 64, &v))
				return CLI_USAGE;
			cfg.threads = (int)v;
			break;
		case 'T':
			if (number("--timeout", optarg, 1, 3600, &v))
				return CLI_USAGE;
			cfg.timeout = (int)v;
			break;
		case 'm':
			if (number("--max-body", optarg, 1024, 1L << 30, &v))
				return CLI_USAGE;
			cfg.max_body = (size_t)v;
			break;
		case 'S':
			if (number("--session-hours", optarg, 1, 24 * 30, &v))
				return CLI_USAGE;
			cfg.session_ttl = (int)v * 3600;
			break;
		case 'h': return usage(stdout, CLI_OK);
		default: return cli_option_error(c, argv[optind - 1], longopts);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fisc: 多余的参数 / unexpected argument '%s'\n", argv[optind]);
		return usage(stderr, CLI_USAGE);
	}
	/* The server serves a store; it never creates an empty one by a typo:
	** opened without FISC_OPEN_CREATE, a missing store (a file, or a
	** PostgreSQL database without fisc's schema) is "store not found".
	** The open also migrates it once, before the threads. */
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	fisc_store_close(st);
	return srv_run(&cfg);
}
