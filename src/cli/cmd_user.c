/*
** cmd_user.c — `fisc user add|list|disable|enable|passwd|token|log`: the
** accounts of `fisc serve`. Passwords are read from stdin or a file, never
** from the command line (where `ps` and the shell history would show them).
*/
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] user add NAME --role 财政|部门|审查 --region R\n"
		   "                     [--department D] [--password-file FILE]\n"
		   "       fisc user list | disable NAME | enable NAME\n"
		   "       fisc user passwd NAME [--password-file FILE]\n"
		   "       fisc user token NAME [--days N]   脚本用的 API 令牌 | an API token for scripts\n"
		   "       fisc user log [--last N]          登录、拒绝与写入记录 | logins, denials, writes\n"
		   "  密码从标准输入的第一行读取，或 --password-file | the password is the first line\n"
		   "  of stdin, or of --password-file; never an argument\n"
		   "  角色 / roles: finance 财政, department 部门, reviewer 审查\n");
	return code;
}

/* The first line of the file (or stdin), without its newline. */
static char *read_password(const char *file)
{
	FILE *f = file ? fopen(file, "r") : stdin;
	if (!f) {
		fprintf(stderr, "fisc: 无法读取「%s」/ cannot read '%s'\n", file, file);
		return NULL;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);
	if (f != stdin)
		fclose(f);
	if (n < 0) {
		free(line);
		fprintf(stderr, "fisc: 没有读到密码 / no password given\n");
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = 0;
	return line;
}

static int print_user(void *ud, const fisc_user *u)
{
	(void)ud;
	printf("%s\t%s\t%s\t%s\t%s\t%s\n", u->name, fisc_role_name(u->role), u->region,
	       *u->dept ? u->dept : "-", u->disabled ? "停用/disabled" : "启用/enabled", u->created_at);
	return 0;
}

static int print_event(void *ud, const fisc_event *e)
{
	(void)ud;
	printf("%s\t%s\t%s\t%s\t%s\t%s\n", e->at, *e->actor ? e->actor : "-",
	       *e->address ? e->address : "-", e->action, e->target, e->outcome);
	return 0;
}

int cmd_user(int argc, char **argv, const char *db)
{
	static const struct option longopts[] = {
		{"role", required_argument, 0, 'r'},	      {"region", required_argument, 0, 'R'},
		{"department", required_argument, 0, 'D'}, {"password-file", required_argument, 0, 'p'},
		{"days", required_argument, 0, 'd'},	      {"last", required_argument, 0, 'n'},
		{"help", no_argument, 0, 'h'},		      {0, 0, 0, 0}};
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage(argc < 2 ? stderr : stdout, argc < 2 ? CLI_USAGE : CLI_OK);
	const char *sub = argv[1], *role = NULL, *region = NULL, *dept = NULL, *pwfile = NULL;
	long days = 90, last = 100;
	int c;
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': role = optarg; break;
		case 'R': region = optarg; break;
		case 'D': dept = optarg; break;
		case 'p': pwfile = optarg; break;
		case 'd': days = atol(optarg); break;
		case 'n': last = atol(optarg); break;
		case 'h': return usage(stdout, CLI_OK);
		default: return cli_option_error(c, argv[optind], longopts);
		}
	}
	const char *name = optind + 1 < argc ? argv[optind + 1] : NULL;
	int needs_name = strcmp(sub, "list") && strcmp(sub, "log");
	if ((needs_name && !name) || (!needs_name && name) ||
	    (name && optind + 2 < argc) || days < 1 || days > 3650) {
		fprintf(stderr, "fisc: user %s 的参数有误 / wrong arguments for user %s\n", sub, sub);
		return usage(stderr, CLI_USAGE);
	}
	int r = -1;
	if (!strcmp(sub, "add") && (!role || (r = fisc_role_parse(role)) < 0 ||
				    r == FISC_ROLE_PUBLIC || !region)) {
		fprintf(stderr, "fisc: user add 需要 --role 财政|部门|审查 和 --region / user add needs "
				"--role finance|department|reviewer and --region\n");
		return CLI_USAGE;
	}
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	int rc = FISC_OK;
	char *pw = NULL;
	if (!strcmp(sub, "add")) {
		fisc_user u = {0};
		u.name = name;
		u.role = r;
		u.region = region;
		u.dept = dept;
		rc = (pw = read_password(pwfile)) ? fisc_user_add(st, &u, pw) : FISC_EINVAL;
		if (!pw)
			rc = CLI_USAGE;
	} else if (!strcmp(sub, "passwd")) {
		rc = (pw = read_password(pwfile)) ? fisc_user_set_password(st, name, pw) : CLI_USAGE;
	} else if (!strcmp(sub, "list")) {
		rc = fisc_user_each(st, print_user, NULL);
	} else if (!strcmp(sub, "disable") || !strcmp(sub, "enable")) {
		rc = fisc_user_set_disabled(st, name, !strcmp(sub, "disable"));
	} else if (!strcmp(sub, "token")) {
		fisc_arena *a = fisc_arena_new();
		fisc_user u;
		char tok[FISC_TOKEN_CHARS + 1];
		rc = a ? fisc_user_find(st, name, a, &u) : FISC_ENOMEM;
		if (rc == FISC_OK)
			rc = fisc_token_issue(st, u.id, FISC_TOKEN_API, days * 86400, tok);
		if (rc == FISC_OK)
			printf("%s\n", tok);
		fisc_arena_free(a);
	} else if (!strcmp(sub, "log")) {
		rc = fisc_event_each(st, last, print_event, NULL);
	} else {
		fprintf(stderr, "fisc: 未知子命令 / unknown subcommand 'user %s'\n", sub);
		rc = CLI_USAGE;
	}
	/* Account changes are writes: into the event log like the server's. */
	if (rc == FISC_OK && strcmp(sub, "list") && strcmp(sub, "log")) {
		const char *who = getenv("USER");
		fisc_event e = {0, NULL, who ? who : "", "cli", sub, name, "ok"};
		char action[32];
		snprintf(action, sizeof action, "user %s", sub);
		e.action = action;
		rc = fisc_event_log(st, &e);
	}
	if (pw) {
		memset(pw, 0, strlen(pw));
		free(pw);
	}
	fisc_store_close(st);
	if (rc == CLI_USAGE)
		return usage(stderr, CLI_USAGE);
	if (rc != FISC_OK)
		return cli_error(rc == FISC_EINVAL || rc == FISC_ENOTFOUND || rc == FISC_EEXIST
					 ? CLI_USAGE : CLI_FAIL);
	return CLI_OK;
}
