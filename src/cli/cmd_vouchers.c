/*
** cmd_vouchers.c — `fisc import-vouchers FILE` (payment vouchers, all or
** nothing) and `fisc rollup` (exact totals by 功能分类 类/款/项 × month or by
** region × 类/款/项, read from the aggregates the store keeps at ingest).
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "fisc/voucher.h"

int cmd_import_vouchers(int argc, char **argv, const char *db)
{
	if (argc != 2 || !strcmp(argv[1], "--help")) {
		int help = argc == 2;
		fprintf(help ? stdout : stderr,
			"用法 / usage: fisc [--db PATH] import-vouchers FILE.csv\n"
			"列 / columns: number,date,region,unit,book,function,economic,fen|amount"
			"（格式见 docs/vouchers.md | see docs/vouchers.md）\n");
		return help ? CLI_OK : CLI_USAGE;
	}
	if (cli_unreadable(argv[1]))
		return CLI_USAGE;
	fisc_store *st = cli_create(db);
	if (!st)
		return CLI_USAGE;
	fisc_diag *diag = fisc_diag_new();
	fisc_voucher_stats stats;
	cli_progress_start();
	int rc = fisc_voucher_import_file(st, argv[1], diag, &stats);
	cli_progress_end();
	char line[2048];
	int io = 0;
	for (size_t i = 0; i < fisc_diag_count(diag); i++) {
		fisc_diag_format(fisc_diag_get(diag, i), line, sizeof line);
		fprintf(stderr, "%s\n", line);
		io |= fisc_diag_get(diag, i)->kind == FISC_DIAG_IO;
	}
	fisc_diag_free(diag);
	fisc_store_close(st);
	if (rc == FISC_OK) {
		char total[64];
		fisc_fen_format(stats.fen, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, total, sizeof total);
		printf("导入 %lld 张凭证，合计 %s 元", (long long)stats.vouchers, total);
		if (stats.skipped)
			printf("；%lld 条已存在，跳过", (long long)stats.skipped);
		printf(" | imported %lld voucher(s), total %s 元", (long long)stats.vouchers, total);
		if (stats.skipped)
			printf("; %lld already present, skipped", (long long)stats.skipped);
		printf("\n");
		return CLI_OK;
	}
	cli_error(rc);
	return io ? CLI_USAGE : CLI_FAIL;
}

typedef struct out {
	fisc_store *st;
	int by, json;
	json_t *arr;
	fisc_catalog *cat;
	int cat_year;
	int64_t region_id; /* the last region looked up, and its names */
	char region_code[64], region_name[256];
	int64_t total_n, total_fen;
} out;

static const char *const level_name[4] = {"", "类", "款", "项"};

static const char *item_name(out *o, int year, const char *code)
{
	if (!o->cat || o->cat_year != year) {
		fisc_catalog_free(o->cat);
		o->cat = NULL;
		o->cat_year = year;
		if (fisc_catalog_load(o->st, year, &o->cat) != FISC_OK)
			o->cat = NULL;
	}
	const fisc_catalog_entry *e = o->cat ? fisc_catalog_get(o->cat, code) : NULL;
	return e ? e->name : "";
}

static int print_row(void *ud, const fisc_rollup_row *r)
{
	out *o = ud;
	char code[16];
	snprintf(code, sizeof code, "%d", r->code);
	const char *name = item_name(o, r->year, code);
	if (o->by == FISC_ROLLUP_REGION_FUNCTION && r->region != o->region_id) {
		fisc_arena *a = fisc_arena_new();
		fisc_region reg;
		if (a && fisc_store_region_get(o->st, r->region, a, &reg) == FISC_OK) {
			snprintf(o->region_code, sizeof o->region_code, "%s", reg.code);
			snprintf(o->region_name, sizeof o->region_name, "%s", reg.name);
		} else {
			snprintf(o->region_code, sizeof o->region_code, "#%lld", (long long)r->region);
			o->region_name[0] = 0;
		}
		fisc_arena_free(a);
		o->region_id = r->region;
	}
	if (o->json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:i}", "level", level_name[r->level], "code",
				      code, "name", name, "year", r->year);
		if (o->by == FISC_ROLLUP_FUNCTION_MONTH) {
			char month[16];
			snprintf(month, sizeof month, "%04d-%02d", r->year, r->month);
			json_object_set_new(j, "month", json_string(month));
		} else {
			json_object_set_new(j, "region", json_string(o->region_code));
			json_object_set_new(j, "region_name", json_string(o->region_name));
		}
		json_object_set_new(j, "count", json_integer(r->count));
		json_object_set_new(j, "fen", json_integer(r->fen));
		json_array_append_new(o->arr, j);
	} else if (o->by == FISC_ROLLUP_FUNCTION_MONTH) {
		printf("%s\t%s\t%s\t%04d-%02d\t%lld\t%lld\n", level_name[r->level], code, name,
		       r->year, r->month, (long long)r->count, (long long)r->fen);
	} else {
		printf("%s\t%s\t%s\t%d\t%s\t%s\t%lld\t%lld\n", level_name[r->level], o->region_code,
		       o->region_name, r->year, code, name, (long long)r->count,
		       (long long)r->fen);
	}
	return 0;
}

static int add_total(void *ud, const fisc_rollup_row *r)
{
	out *o = ud;
	o->total_n += r->count;
	if (__builtin_add_overflow(o->total_fen, r->fen, &o->total_fen))
		return fisc_error_set(FISC_ERANGE, "凭证金额合计超出范围 / voucher total out of range");
	return 0;
}

static int parse_level(const char *s)
{
	if (!strcmp(s, "类") || !strcmp(s, "class") || !strcmp(s, "1"))
		return 1;
	if (!strcmp(s, "款") || !strcmp(s, "kuan") || !strcmp(s, "2"))
		return 2;
	if (!strcmp(s, "项") || !strcmp(s, "item") || !strcmp(s, "3"))
		return 3;
	if (!strcmp(s, "all") || !strcmp(s, "全部"))
		return 0;
	return -1;
}

static int rollup_usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] rollup --by function-month|region-class|total[,…]\n"
		   "                 [--level 类|款|项|all] [--format tsv|json] [--scan]\n"
		   "  function-month  功能分类 × 月 | by function and month\n"
		   "  region-class    地区 × 功能分类 | by region and function\n"
		   "  total           凭证数与合计（分）| count and grand total in fen\n"
		   "  用逗号分隔可一次输出多张表（空行分隔）| a comma-separated list prints several\n"
		   "  --level         类（默认）、款、项，或 all（三级依次输出）| default 类;\n"
		   "                  逗号分隔时与 --by 逐一对应 | a list pairs with --by's list\n"
		   "  --scan          不用汇总表，直接扫描凭证重算（校验用）| recompute from the vouchers\n"
		   "金额为整数分 | amounts are whole fen\n");
	return code;
}

/* One rollup: "function-month", "region-class" or "total". */
static int rollup_one(out *o, const char *by_s, int level, int scan)
{
	int total = !strcmp(by_s, "total");
	o->by = !strcmp(by_s, "function-month") ? FISC_ROLLUP_FUNCTION_MONTH
						 : FISC_ROLLUP_REGION_FUNCTION;
	o->region_id = 0;
	if (total) {
		o->total_n = o->total_fen = 0;
		int rc = fisc_voucher_rollup(o->st, o->by, 1, scan, add_total, o);
		if (rc == FISC_OK && o->json)
			printf("{\"count\": %lld, \"fen\": %lld}\n", (long long)o->total_n,
			       (long long)o->total_fen);
		else if (rc == FISC_OK)
			printf("count\tfen\n%lld\t%lld\n", (long long)o->total_n,
			       (long long)o->total_fen);
		return rc;
	}
	if (o->json)
		o->arr = json_array();
	else if (o->by == FISC_ROLLUP_FUNCTION_MONTH)
		printf("level\tcode\tname\tmonth\tcount\tfen\n");
	else
		printf("level\tregion\tregion_name\tyear\tcode\tname\tcount\tfen\n");
	int rc = FISC_OK;
	for (int l = level ? level : 1; rc == FISC_OK && l <= (level ? level : 3); l++)
		rc = fisc_voucher_rollup(o->st, o->by, l, scan, print_row, o);
	if (o->json) {
		if (rc == FISC_OK) {
			json_t *root = json_pack("{s:s, s:s, s:o}", "by", by_s, "unit", "fen", "rows",
						 o->arr);
			json_dumpf(root, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
			putchar('\n');
			json_decref(root);
		} else {
			json_decref(o->arr);
		}
		o->arr = NULL;
	}
	return rc;
}

int cmd_rollup(int argc, char **argv, const char *db)
{
	const char *by_s = NULL, *format = "tsv";
	int levels[8] = {1}, nlevels = 1, scan = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--by") && i + 1 < argc)
			by_s = argv[++i];
		else if (!strcmp(argv[i], "--level") && i + 1 < argc) {
			/* One level for every rollup, or one per rollup of --by. */
			char lv[128];
			snprintf(lv, sizeof lv, "%s", argv[++i]);
			nlevels = 0;
			for (char *l = strtok(lv, ","); l && nlevels < 8; l = strtok(NULL, ","))
				if ((levels[nlevels++] = parse_level(l)) < 0) {
					fprintf(stderr, "fisc: 未知级次 / unknown level '%s'\n", l);
					return CLI_USAGE;
				}
			if (!nlevels)
				return rollup_usage(stderr, CLI_USAGE);
		} else if (!strcmp(argv[i], "--format") && i + 1 < argc)
			format = argv[++i];
		else if (!strcmp(argv[i], "--scan"))
			scan = 1;
		else if (!strcmp(argv[i], "--help"))
			return rollup_usage(stdout, CLI_OK);
		else if (i + 1 == argc && (!strcmp(argv[i], "--by") || !strcmp(argv[i], "--level") ||
					   !strcmp(argv[i], "--format"))) {
			fprintf(stderr, "fisc: %s 需要一个值 / %s needs a value\n", argv[i], argv[i]);
			return rollup_usage(stderr, CLI_USAGE);
		} else {
			fprintf(stderr, "fisc: 未知参数 / unknown argument '%s'\n", argv[i]);
			return rollup_usage(stderr, CLI_USAGE);
		}
	}
	if (!by_s)
		return rollup_usage(stderr, CLI_USAGE);
	/* A comma-separated list runs several rollups in one process, each
	** table after the previous one and a blank line. */
	char list[256];
	snprintf(list, sizeof list, "%s", by_s);
	for (char *b = strtok(list, ","); b; b = strtok(NULL, ","))
		if (strcmp(b, "function-month") && strcmp(b, "region-class") && strcmp(b, "total")) {
			static const char *const kinds[] = {"function-month", "region-class", "total"};
			fprintf(stderr, "fisc: 未知的汇总方式 / unknown rollup '%s'\n", b);
			cli_suggest(b, kinds, NULL, 3);
			return CLI_USAGE;
		}
	if (strcmp(format, "tsv") && strcmp(format, "json")) {
		fprintf(stderr, "fisc: 未知格式 / unknown format '%s' (tsv, json)\n", format);
		return CLI_USAGE;
	}
	out o = {0};
	o.json = !strcmp(format, "json");
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	o.st = st;
	int rc = FISC_OK, n = 0;
	snprintf(list, sizeof list, "%s", by_s);
	for (char *b = strtok(list, ","); b && rc == FISC_OK; b = strtok(NULL, ","), n++) {
		if (n)
			putchar('\n');
		rc = rollup_one(&o, b, levels[n < nlevels ? n : nlevels - 1], scan);
	}
	fisc_catalog_free(o.cat);
	fisc_store_close(st);
	return rc == FISC_OK ? CLI_OK : cli_error(CLI_FAIL);
}
