/*
** main.c — the fisc command: global options, then one subcommand from the
** table below. Each subcommand lives in its own file (cmd_*.c).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include "cli.h"

static const cli_cmd commands[] = {
	{"init", cmd_init, "创建数据库并载入随附科目目录 | create a store with the bundled catalogue"},
	{"import", cmd_import, "导入事实/地区 CSV 或 XLSX（全部成功或全部不写入）；--amend 修正 | import facts and regions; --amend"},
	{"report", cmd_report,
	 "生成报表：balance（收支平衡表）、statement（平衡情况表述）、congress（人大报告）、\n"
	 "                  department（部门预算公开）、performance（绩效自评）、debt（政府债务）| reports"},
	{"overview", cmd_overview, "地区年度预算总览（总计、平衡说明、债务、支出进度）| a region and year at a glance"},
	{"history", cmd_history, "一个数的各个版本（文件、日期、作者、理由）| the versions of a figure"},
	{"diff", cmd_diff, "逐行对比两个版本、阶段、年度或数据库 | compare versions, phases, years or stores"},
	{"catalog", cmd_catalog, "科目目录：import、lookup、editions | the classification catalogue"},
	{"regions", cmd_regions, "列出地区 | list regions"},
	{"departments", cmd_departments, "列出部门（代码、名称、地区、年度）| list departments"},
	{"check", cmd_check, "检查预算恒等式与预算法规定 | check budget identities and the Budget Law"},
	{"audit", cmd_audit, "核对已发布报告文本中的每个数字 | check every figure a published report states"},
	{"import-vouchers", cmd_import_vouchers, "导入支付凭证 CSV（全部成功或全部不写入） | import payment vouchers"},
	{"rollup", cmd_rollup, "凭证汇总：功能分类×月、地区×功能分类 | voucher rollups"},
	{"quota", cmd_quota, "预算指标：issue（年初批复）、import、status | the 指标 ledger"},
	{"pay", cmd_pay, "支付：request、confirm、void、refund、batch | payments against 指标"},
	{"journal", cmd_journal, "账本日志：verify（校验）、head（头哈希）| the tamper-evident journal"},
	{"serve", cmd_serve, "HTTP 接口（角色、登录、报表下载）| the HTTP API with roles"},
	{"user", cmd_user, "服务用户：add、list、disable、passwd、token、log | users of fisc serve"},
	{"migrate", cmd_migrate, "应用数据库结构迁移（--check 只报告）| apply schema migrations"},
	{"backup", cmd_backup, "在写入进行时做一致的备份并校验 | a consistent, checked backup"},
	{"copy", cmd_copy, "复制整个数据库到新位置或另一种存储 | copy a whole store between backends"},
};

static void usage(FILE *f)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] COMMAND [ARGS]\n\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %-15s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n--db PATH   SQLite 数据库文件（默认 $FISC_DB 或 fisc.db）| store file\n"
		   "--db postgresql://…  或 / or \"host=… dbname=…\"  PostgreSQL 数据库 | a PostgreSQL store\n"
		   "fisc COMMAND --help 查看子命令帮助 | for a command's options\n"
		   "退出码 / exit: 0 成功 ok, 1 有发现、导入错误或写入失败 findings, import errors or a\n"
		   "  failed write, 2 用法错误或输入缺失 usage error or missing input\n");
}

static fisc_store *open_store(const char *db, int flags)
{
	fisc_store *st;
	int rc = fisc_store_open_v2(db, flags, &st);
	if (rc != FISC_OK) {
		cli_error(rc);
		return NULL;
	}
	return st;
}

fisc_store *cli_open(const char *db) { return open_store(db, 0); }
fisc_store *cli_create(const char *db) { return open_store(db, FISC_OPEN_CREATE); }

int cli_unreadable(const char *path)
{
	if (access(path, R_OK) == 0)
		return 0;
	fprintf(stderr, "fisc: 无法读取「%s」/ cannot read '%s': %s\n", path, path, strerror(errno));
	return 1;
}

int cli_error(int code)
{
	fprintf(stderr, "fisc: %s\n", fisc_error_message());
	return code;
}

int main(int argc, char **argv)
{
	const char *db = getenv("FISC_DB");
	int i = 1;
	cli_stdout_init();
	if (!db || !*db)
		db = "fisc.db";
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--db") || !strncmp(argv[i], "--db=", 5)) {
			/* "--db" last, or before another option, has no path */
			const char *v = argv[i][4] == '=' ? argv[i] + 5
				      : i + 1 < argc && argv[i + 1][0] != '-' ? argv[++i]
									  : "";
			if (!*v) {
				fprintf(stderr, "fisc: --db 需要一个路径 / --db needs a path\n");
				return CLI_USAGE;
			}
			db = v;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return cli_close_output(stdout, NULL);
		} else if (!strcmp(argv[i], "--version")) {
			printf("fisc %s\n", FISC_VERSION);
			return cli_close_output(stdout, NULL);
		} else {
			fprintf(stderr, "fisc: 未知选项 / unknown option '%s'\n", argv[i]);
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (i == argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	enum { NCMD = sizeof commands / sizeof *commands };
	for (size_t k = 0; k < NCMD; k++)
		if (!strcmp(argv[i], commands[k].name)) {
			int rc = commands[k].run(argc - i, argv + i, db);
			/* What a command printed is only out once stdout is flushed:
			** a full disk or /dev/full shows here, and is an error. */
			int wrc = cli_close_output(stdout, NULL);
			return rc == CLI_OK ? wrc : rc;
		}
	fprintf(stderr, "fisc: 未知命令 / unknown command '%s'\n", argv[i]);
	const char *names[NCMD];
	for (size_t k = 0; k < NCMD; k++)
		names[k] = commands[k].name;
	cli_suggest(argv[i], names, NULL, NCMD);
	fprintf(stderr, "  fisc --help 查看全部命令 / for every command\n");
	return CLI_USAGE;
}
