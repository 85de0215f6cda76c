/*
** main.c — the fisc command: global options, then one subcommand from the
** table below. Each subcommand lives in its own file (cmd_*.c).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const cli_cmd commands[] = {
	{"import", cmd_import, "导入事实/地区 CSV 或 XLSX（全部成功或全部不写入） | import facts and regions"},
	{"report", cmd_report, "生成报表：balance（收支平衡表）、statement（平衡情况表述） | reports"},
	{"catalog", cmd_catalog, "科目目录：import、lookup、editions | the classification catalogue"},
	{"regions", cmd_regions, "列出地区 | list regions"},
	{"check", cmd_check, "检查预算恒等式与预算法规定 | check budget identities and the Budget Law"},
	{"audit", cmd_audit, "核对已发布报告文本中的每个数字 | check every figure a published report states"},
	{"import-vouchers", cmd_import_vouchers, "导入支付凭证 CSV（全部成功或全部不写入） | import payment vouchers"},
	{"rollup", cmd_rollup, "凭证汇总：功能分类×月、地区×功能分类 | voucher rollups"},
	{"quota", cmd_quota, "预算指标：issue（年初批复）、import、status | the 指标 ledger"},
	{"pay", cmd_pay, "支付：request、confirm、void、refund、batch | payments against 指标"},
	{"journal", cmd_journal, "账本日志：verify（校验）、head（头哈希）| the tamper-evident journal"},
};

static void usage(FILE *f)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] COMMAND [ARGS]\n\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n--db PATH   SQLite 数据库文件（默认 $FISC_DB 或 fisc.db）| store file\n"
		   "fisc COMMAND --help 查看子命令帮助 | for a command's options\n");
}

fisc_store *cli_open(const char *db)
{
	fisc_store *st;
	if (fisc_store_open(db, &st) != FISC_OK) {
		cli_error(FISC_EIO);
		return NULL;
	}
	if (fisc_store_is_new(st) && fisc_catalog_seed(st, fisc_datadir()) != FISC_OK) {
		cli_error(FISC_EIO);
		fisc_store_close(st);
		return NULL;
	}
	return st;
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
	if (!db || !*db)
		db = "fisc.db";
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc)
			db = argv[++i];
		else if (!strncmp(argv[i], "--db=", 5))
			db = argv[i] + 5;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return CLI_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("fisc %s\n", FISC_VERSION);
			return CLI_OK;
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
	for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
		if (!strcmp(argv[i], commands[k].name))
			return commands[k].run(argc - i, argv + i, db);
	fprintf(stderr, "fisc: 未知命令 / unknown command '%s'\n", argv[i]);
	usage(stderr);
	return CLI_USAGE;
}
