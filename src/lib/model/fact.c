/*
** fact.c — the closed vocabularies of a fact (scope, book, phase, kind) and
** the many ways reports spell them.
**
** Each vocabulary is one table: code, canonical Chinese name, then the other
** spellings seen in published reports. Adding a spelling is one string.
*/
#include <string.h>
#include "fisc/fact.h"
#include "fisc/region.h"

typedef struct vocab {
	int value;
	const char *code;
	const char *name;
	const char *spellings[16];
} vocab;

static const vocab scopes[] = {
	{FISC_SCOPE_ALL, "all", "全辖",
	 {"全区", "全市", "全县", "全省", "全旗", "全州", "全盟", "全镇", "全辖区",
	  "全口径", "1", "ALL"}},
	{FISC_SCOPE_SELF, "self", "本级",
	 {"区级", "市级", "县级", "省级", "市本级", "区本级", "县本级", "省本级",
	  "旗级", "州本级", "2", "SELF"}},
	{FISC_SCOPE_LOWER, "lower", "下级",
	 {"镇级", "乡镇级", "乡镇", "街道", "镇街", "镇街级", "区县级", "市县级",
	  "3", "LOWER"}},
};

static const vocab books[] = {
	{FISC_BOOK_ALL, "all", "全口径", {"合计", "全部", "0", "ALL"}},
	{FISC_BOOK_GPB, "gpb", "一般公共预算",
	 {"一般公共", "公共财政预算", "一般预算", "1", "GPB", "general"}},
	{FISC_BOOK_GFB, "gfb", "政府性基金预算",
	 {"政府性基金", "基金预算", "2", "GFB", "fund"}},
	{FISC_BOOK_SOE, "soe", "国有资本经营预算",
	 {"国有资本经营", "国资预算", "3", "SOE", "capital"}},
	{FISC_BOOK_SSF, "ssf", "社会保险基金预算",
	 {"社会保险基金", "社保基金预算", "社保基金", "4", "SSF", "social"}},
};

static const vocab phases[] = {
	{FISC_PHASE_BUDGET, "budget", "预算",
	 {"年初预算", "预算数", "预算草案", "草案", "预算安排", "1", "BUDGET"}},
	{FISC_PHASE_ADJUSTED, "adjusted", "调整预算",
	 {"调整预算数", "调整后预算", "变动预算", "2", "ADJUSTED"}},
	{FISC_PHASE_EXECUTION, "execution", "执行",
	 {"执行数", "预算执行", "快报", "快报数", "完成数", "3", "EXECUTION",
	  "exec"}},
	{FISC_PHASE_FINAL, "final", "决算",
	 {"决算数", "4", "FINAL"}},
};

static const vocab kinds[] = {
	{FISC_FACT_BASE, "base", "基础", {"数据", "BASE", ""}},
	{FISC_FACT_STATED, "stated", "表述", {"陈述", "声明", "STATED", "total"}},
};

static int lookup(const vocab *v, size_t nv, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	for (size_t i = 0; i < nv; i++) {
		if ((strlen(v[i].code) == n && memcmp(v[i].code, s, n) == 0) ||
		    (strlen(v[i].name) == n && memcmp(v[i].name, s, n) == 0))
			return v[i].value;
		for (const char *const *sp = v[i].spellings; *sp; sp++)
			if (strlen(*sp) == n && memcmp(*sp, s, n) == 0)
				return v[i].value;
	}
	return -1;
}

#define N(a) (sizeof(a) / sizeof *(a))

int fisc_scope_parse(const char *s, size_t n) { return lookup(scopes, N(scopes), s, n); }
int fisc_book_parse(const char *s, size_t n) { return lookup(books, N(books), s, n); }
int fisc_phase_parse(const char *s, size_t n) { return lookup(phases, N(phases), s, n); }

int fisc_kind_parse(const char *s, size_t n)
{
	/* An empty kind cell means base. */
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	if (n == 0)
		return FISC_FACT_BASE;
	return lookup(kinds, N(kinds), s, n);
}

static const vocab *find(const vocab *v, size_t nv, int value)
{
	for (size_t i = 0; i < nv; i++)
		if (v[i].value == value)
			return &v[i];
	return NULL;
}

#define NAME(tab, val, field) \
	(find(tab, N(tab), val) ? find(tab, N(tab), val)->field : "?")

const char *fisc_scope_code(fisc_scope s) { return NAME(scopes, s, code); }
const char *fisc_scope_name(fisc_scope s) { return NAME(scopes, s, name); }
const char *fisc_book_code(fisc_book b) { return NAME(books, b, code); }
const char *fisc_book_name(fisc_book b) { return NAME(books, b, name); }
const char *fisc_phase_code(fisc_phase p) { return NAME(phases, p, code); }
const char *fisc_phase_name(fisc_phase p) { return NAME(phases, p, name); }
const char *fisc_kind_code(fisc_fact_kind k) { return NAME(kinds, k, code); }

/* --- regions ------------------------------------------------------------ */

void fisc_region_default_labels(const char *level, const char **all,
				const char **self, const char **lower)
{
	static const struct {
		const char *level, *all, *self, *lower;
	} t[] = {
		{"区", "全区", "区级", "镇级"},     {"县", "全县", "县级", "乡镇级"},
		{"市", "全市", "市本级", "区县级"}, {"省", "全省", "省本级", "市县级"},
		{"旗", "全旗", "旗级", "苏木乡镇级"}, {"镇", "全镇", "镇级", "村级"},
		{"开发区", "全区", "区本级", "街道"},
	};
	for (size_t i = 0; level && i < N(t); i++)
		if (strcmp(level, t[i].level) == 0) {
			*all = t[i].all, *self = t[i].self, *lower = t[i].lower;
			return;
		}
	*all = "全辖", *self = "本级", *lower = "下级";
}

const char *fisc_region_scope_label(const fisc_region *r, fisc_scope s)
{
	const char *a, *sf, *l;
	fisc_region_default_labels(r ? r->level : NULL, &a, &sf, &l);
	switch (s) {
	case FISC_SCOPE_ALL:
		return r && r->label_all && *r->label_all ? r->label_all : a;
	case FISC_SCOPE_SELF:
		return r && r->label_self && *r->label_self ? r->label_self : sf;
	case FISC_SCOPE_LOWER:
		return r && r->label_lower && *r->label_lower ? r->label_lower : l;
	}
	return "";
}
