/*
** cli_names.c — what the tool says when a name on its command line matches
** nothing: the closest valid names ("did you mean"), the list of valid values
** when it is short, and for a year without data the years and phases that do
** have data. Regions, books, scopes and phases are checked here before a
** command runs, so that every command words these errors the same way.
*/
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* Listing every valid value helps when there are few; beyond this many the
** closest ones are enough. */
#define LIST_MAX 20

void cli_suggest(const char *given, const char *const *match, const char *const *show, size_t n)
{
	size_t idx[5], k = fisc_suggest(given, match, n, idx, 5);
	if (k) {
		fprintf(stderr, "  你是不是要找 / did you mean:");
		for (size_t i = 0; i < k; i++) {
			const char *s = show ? show[idx[i]] : match[idx[i]];
			int dup = 0; /* a region matched by name and by code is one region */
			for (size_t j = 0; j < i; j++)
				dup |= !strcmp(s, show ? show[idx[j]] : match[idx[j]]);
			if (!dup)
				fprintf(stderr, "%s %s", i ? "," : "", s);
		}
		fprintf(stderr, "\n");
	}
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++)
		distinct += !show || i == 0 || strcmp(show[i], show[i - 1]);
	if (distinct && distinct <= LIST_MAX) {
		fprintf(stderr, "  可选值 / valid values:");
		for (size_t i = 0, first = 1; i < n; i++) {
			const char *s = show ? show[i] : match[i];
			if (show && i && !strcmp(s, show[i - 1]))
				continue;
			fprintf(stderr, "%s %s", first ? "" : ",", s);
			first = 0;
		}
		fprintf(stderr, "\n");
	}
}

/* --- regions ------------------------------------------------------------- */

typedef struct names {
	fisc_arena *a;
	const char **match, **show;
	size_t n, cap;
	int oom;
} names;

static void names_add(names *v, const char *match, const char *show)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 32;
		const char **m = realloc(v->match, cap * sizeof *m);
		if (m)
			v->match = m;
		const char **s = m ? realloc(v->show, cap * sizeof *s) : NULL;
		if (!s) {
			v->oom = 1;
			return;
		}
		v->show = s;
		v->cap = cap;
	}
	v->match[v->n] = match;
	v->show[v->n] = show;
	v->n++;
}

static int add_region(void *ud, const fisc_region *r)
{
	names *v = ud;
	const char *name = fisc_arena_strdup(v->a, r->name);
	const char *code = fisc_arena_strdup(v->a, r->code);
	const char *show = fisc_arena_printf(v->a, "%s（%s）", r->name, r->code);
	if (!name || !code || !show)
		return FISC_ENOMEM;
	/* name and code next to each other: cli_suggest lists the region once */
	names_add(v, name, show);
	names_add(v, code, show);
	return v->oom ? FISC_ENOMEM : 0;
}

int cli_region_check(fisc_store *st, const char *region, fisc_region *out, fisc_arena *a)
{
	int rc = fisc_store_region_find(st, region, a, out);
	if (rc == FISC_OK)
		return CLI_OK;
	if (rc != FISC_ENOTFOUND)
		return cli_error(CLI_FAIL);
	fprintf(stderr, "fisc: 未知地区「%s」/ unknown region '%s'\n", region, region);
	names v = {a, NULL, NULL, 0, 0, 0};
	if (fisc_store_region_each(st, add_region, &v) == FISC_OK) {
		if (v.n)
			cli_suggest(region, v.match, v.show, v.n);
		else
			fprintf(stderr, "  库中还没有地区，请先导入 regions.csv / the store has no "
					"regions yet: import a regions file first\n");
	}
	free(v.match);
	free(v.show);
	return CLI_USAGE;
}

/* --- the closed vocabularies ----------------------------------------------- */

static int vocab_check(const char *opt, const char *given, int (*parse)(const char *, size_t),
		       const char *const *match, const char *const *show, size_t n)
{
	if (parse(given, strlen(given)) >= 0)
		return CLI_OK;
	fprintf(stderr, "fisc: 无法识别的 %s「%s」/ unknown %s '%s'\n", opt, given, opt, given);
	cli_suggest(given, match, show, n);
	return CLI_USAGE;
}

int cli_book_check(const char *book)
{
	static const char *const match[] = {"gpb", "一般公共预算", "gfb", "政府性基金预算",
					    "soe", "国有资本经营预算", "ssf", "社会保险基金预算"};
	static const char *const show[] = {
		"gpb（一般公共预算）",     "gpb（一般公共预算）",	"gfb（政府性基金预算）",
		"gfb（政府性基金预算）",   "soe（国有资本经营预算）", "soe（国有资本经营预算）",
		"ssf（社会保险基金预算）", "ssf（社会保险基金预算）"};
	return vocab_check("--book", book, fisc_book_parse, match, show, 8);
}

int cli_scope_check(const char *scope)
{
	static const char *const match[] = {"all", "全辖", "全区", "全市", "全县",
					    "self", "本级", "区级", "市本级", "县级",
					    "lower", "下级", "镇级", "区县级", "乡镇级"};
	static const char *const show[] = {
		"all（全辖：全区/全市/全县）", "all（全辖：全区/全市/全县）", "all（全辖：全区/全市/全县）",
		"all（全辖：全区/全市/全县）", "all（全辖：全区/全市/全县）", "self（本级：区级/市本级/县级）",
		"self（本级：区级/市本级/县级）", "self（本级：区级/市本级/县级）",
		"self（本级：区级/市本级/县级）", "self（本级：区级/市本级/县级）",
		"lower（下级：镇级/区县级/乡镇级）", "lower（下级：镇级/区县级/乡镇级）",
		"lower（下级：镇级/区县级/乡镇级）", "lower（下级：镇级/区县级/乡镇级）",
		"lower（下级：镇级/区县级/乡镇级）"};
	return vocab_check("--scope", scope, fisc_scope_parse, match, show, 15);
}

int cli_phase_check(const char *phase)
{
	static const char *const match[] = {"budget", "预算", "adjusted", "调整预算",
					    "execution", "执行", "final", "决算"};
	static const char *const show[] = {"budget（预算）", "budget（预算）", "adjusted（调整预算）",
					   "adjusted（调整预算）", "execution（执行）", "execution（执行）",
					   "final（决算）", "final（决算）"};
	return vocab_check("--phase", phase, fisc_phase_parse, match, show, 8);
}

int cli_year_parse(const char *year, int *out)
{
	if (!year || !*year) {
		fprintf(stderr, "fisc: 缺少 --year / --year is required\n");
		return CLI_USAGE;
	}
	char *end;
	long y = strtol(year, &end, 10);
	if (*end || y < 1949 || y > 2200) {
		fprintf(stderr, "fisc: 年度无效「%s」/ bad --year '%s' (1949–2200)\n", year, year);
		return CLI_USAGE;
	}
	*out = (int)y;
	return CLI_OK;
}

/* --- years with data -------------------------------------------------------- */

#define Y0 1949
#define NY (2200 - Y0 + 1)

typedef struct seen_years {
	unsigned char phases[NY]; /* bit (phase - 1) */
} seen_years;

static int no_string(void *ud, uint32_t id, const char *s, size_t n)
{
	(void)ud, (void)id, (void)s, (void)n;
	return 0;
}

static int note_year(void *ud, const fisc_fact_ids *f)
{
	seen_years *s = ud;
	if (f->year >= Y0 && f->year - Y0 < NY && f->phase >= 1 && f->phase <= 4)
		s->phases[f->year - Y0] |= (unsigned char)(1u << (f->phase - 1));
	return 0;
}

void cli_years_hint(fisc_store *st, const fisc_query *q, const char *whose)
{
	seen_years *s = calloc(1, sizeof *s);
	if (!s || fisc_store_fact_scan(st, q, no_string, note_year, s) != FISC_OK) {
		free(s);
		return;
	}
	int any = 0;
	for (int y = 0; y < NY; y++) {
		if (!s->phases[y])
			continue;
		fprintf(stderr, any ? "；" : "  %s已有数据的年度和阶段 / years and phases with data: ",
			whose);
		fprintf(stderr, "%d", Y0 + y);
		for (int p = 1; p <= 4; p++)
			if (s->phases[y] & (1u << (p - 1)))
				fprintf(stderr, " %s", fisc_phase_name((fisc_phase)p));
		any = 1;
	}
	if (any)
		fprintf(stderr, "\n");
	else
		fprintf(stderr, "  %s没有任何数据 / no data at all\n", whose);
	free(s);
}

/* --- options -------------------------------------------------------------- */

int cli_option_error(int c, const char *arg, const struct option *longopts)
{
	char name[64];
	snprintf(name, sizeof name, "%s", arg ? arg : "");
	char *eq = strchr(name, '=');
	if (eq)
		*eq = 0;
	if (c == ':') {
		fprintf(stderr, "fisc: %s 需要一个值 / %s needs a value\n", name, name);
		return CLI_USAGE;
	}
	fprintf(stderr, "fisc: 未知选项 / unknown option '%s'\n", name);
	const char *opts[64];
	char buf[64][40];
	size_t n = 0;
	for (; longopts[n].name && n < 64; n++) {
		snprintf(buf[n], sizeof buf[n], "--%s", longopts[n].name);
		opts[n] = buf[n];
	}
	cli_suggest(name, opts, NULL, n);
	return CLI_USAGE;
}

int cli_as_of(fisc_store *st, const char *text)
{
	fisc_query q = {0};
	int rc = fisc_history_as_of(st, text, &q);
	if (rc != FISC_OK) {
		cli_error(rc);
		return rc == FISC_ENOTFOUND || rc == FISC_EINVAL ? CLI_USAGE : CLI_FAIL;
	}
	fisc_store_view(st, &q);
	return CLI_OK;
}
