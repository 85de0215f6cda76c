/*
** cmd_audit.c — `fisc audit FILE... [--format text|json|html] [--no-rules]
** [--annotate OUT.pdf]`: read published budget reports as text and check
** every figure they state; html shows the document with each checked figure
** marked, --annotate writes a PDF input back with highlight annotations.
**
** Exit status: 0 when no file has an error finding, 1 when one has, 2 when a
** file cannot be read or the command line is wrong. The audit needs no store:
** the rule engine runs on a temporary in-memory one.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "fisc/audit.h"

static void usage(FILE *f)
{
	fprintf(f, "用法 / usage: fisc audit FILE... [--format text|json|html] [--no-rules] [--annotate OUT.pdf]\n"
		   "  核对报告文本中陈述的每个数字（合计、平衡关系、百分比、表格），指出有问题的行。\n"
		   "  checks every figure a report's text states (totals, balances, percentages,\n"
		   "  tables) and names the line of every problem.\n"
		   "  --format text|json|html  输出格式；html：原文中每个核对过的数字按结论着色（绿 成立、黄 存疑、红 错误）\n"
		   "                       output format; html: the document, each checked figure coloured\n"
		   "                       (green holds, amber within rounding or ambiguous, red error)\n"
		   "  --annotate OUT.pdf   PDF输入：写出带高亮批注的PDF / a PDF input: write it annotated\n"
		   "  --no-rules           不运行规则引擎（跨预算、跨级次、跨年度）/ skip the rule engine\n"
		   "  --claims             列出识别出的每项核对及结论 / list every claim checked\n"
		   "退出码 / exit: 0 无错误 no errors, 1 有错误 errors found, 2 无法读取 unreadable\n");
}

int cmd_audit(int argc, char **argv, const char *db)
{
	(void)db;
	const char *format = "text";
	int claims = 0;
	const char *annotate = NULL;
	fisc_audit_opts opts = {1, NULL};
	const char **files = calloc((size_t)argc + 1, sizeof *files);
	size_t nfiles = 0;
	if (!files)
		return CLI_USAGE;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			format = argv[++i];
		} else if (!strcmp(argv[i], "--format")) {
			fprintf(stderr, "fisc audit: --format 需要一个值 / --format needs a value\n");
			free(files);
			return CLI_USAGE;
		} else if (!strncmp(argv[i], "--format=", 9)) {
			format = argv[i] + 9;
		} else if (!strcmp(argv[i], "--annotate") && i + 1 < argc) {
			annotate = argv[++i];
		} else if (!strcmp(argv[i], "--annotate")) {
			fprintf(stderr, "fisc audit: --annotate 需要输出文件 / --annotate needs an output file\n");
			free(files);
			return CLI_USAGE;
		} else if (!strcmp(argv[i], "--no-rules")) {
			opts.rules = 0;
		} else if (!strcmp(argv[i], "--claims")) {
			claims = 1;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			free(files);
			return CLI_OK;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "fisc audit: 未知选项 / unknown option '%s'\n", argv[i]);
			usage(stderr);
			free(files);
			return CLI_USAGE;
		} else {
			files[nfiles++] = argv[i];
		}
	}
	if (!nfiles || (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "html")) ||
	    (annotate && nfiles != 1)) {
		if (annotate && nfiles > 1)
			fprintf(stderr, "fisc audit: --annotate 只接受一个PDF / --annotate takes one PDF\n");
		usage(stderr);
		free(files);
		return CLI_USAGE;
	}
	fisc_arena *a = fisc_arena_new();
	fisc_audit_report **reps = calloc(nfiles, sizeof *reps);
	if (!a || !reps) {
		fisc_arena_free(a);
		free(reps);
		free(files);
		return CLI_USAGE;
	}
	size_t n = 0;
	int unreadable = 0, errors = 0;
	for (size_t i = 0; i < nfiles; i++) {
		fisc_audit_report *r;
		int rc = fisc_audit_file(files[i], &opts, a, &r);
		if (rc != FISC_OK) {
			cli_error(rc);
			unreadable = 1;
			continue;
		}
		errors |= r->errors > 0;
		reps[n++] = r;
	}
	if (annotate && n == 1) {
		int arc = fisc_audit_annotate_pdf(reps[0], files[0], annotate);
		if (arc != FISC_OK) {
			cli_error(arc);
			unreadable = 1;
		}
	}
	int wrc = fisc_audit_write(reps, n, format, stdout);
	if (claims && !strcmp(format, "text"))
		for (size_t i = 0; i < n && wrc == FISC_OK; i++)
			wrc = fisc_audit_write_claims(reps[i], stdout);
	fisc_arena_free(a);
	free(reps);
	free(files);
	if (wrc != FISC_OK) /* a failed write is reported when stdout is closed */
		return cli_write_failed(stdout) ? CLI_FAIL : cli_error(CLI_USAGE);
	return unreadable ? CLI_USAGE : errors ? CLI_FAIL : CLI_OK;
}
