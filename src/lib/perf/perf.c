/*
** perf.c — the vocabulary of performance indicators (一级指标, direction,
** grade, narrative sections), decimals and points as written, and the
** scoring of one indicator and of 预算执行率 (fisc/perf.h).
**
** Why decimals and not fisc_amount: an indicator's value is a count, a
** percentage or a duration ("3家", "95%", "30天"), not money; it keeps the
** digits it was written with and is compared exactly. Scores are points in
** hundredths so that 7.5 and 87.25 stay integers.
*/
#include <assert.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "model/util.h"
#include "fisc/fact.h"
#include "fisc/perf.h"

typedef struct word {
	const char *s;
	int v;
} word;

static int lookup(const word *w, const char *s)
{
	if (!s)
		return -1;
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	for (; w->s; w++)
		if (strlen(w->s) == n && !memcmp(w->s, s, n))
			return w->v;
	return -1;
}

static const word class_words[] = {
	{"产出指标", FISC_IND_OUTPUT}, {"产出", FISC_IND_OUTPUT}, {"output", FISC_IND_OUTPUT},
	{"成本指标", FISC_IND_COST}, {"成本", FISC_IND_COST}, {"cost", FISC_IND_COST},
	{"效益指标", FISC_IND_EFFECT}, {"效益", FISC_IND_EFFECT}, {"effect", FISC_IND_EFFECT},
	{"outcome", FISC_IND_EFFECT},
	{"满意度指标", FISC_IND_SATISFACTION}, {"满意度", FISC_IND_SATISFACTION},
	{"satisfaction", FISC_IND_SATISFACTION},
	{NULL, 0}};

static const word dir_words[] = {
	{"正向", FISC_DIR_GE}, {"≥", FISC_DIR_GE}, {">=", FISC_DIR_GE}, {">", FISC_DIR_GE},
	{"不低于", FISC_DIR_GE}, {"ge", FISC_DIR_GE},
	{"反向", FISC_DIR_LE}, {"≤", FISC_DIR_LE}, {"<=", FISC_DIR_LE}, {"<", FISC_DIR_LE},
	{"不高于", FISC_DIR_LE}, {"le", FISC_DIR_LE},
	{"等于", FISC_DIR_EQ}, {"=", FISC_DIR_EQ}, {"eq", FISC_DIR_EQ},
	{"定性", FISC_DIR_QUAL}, {"qual", FISC_DIR_QUAL}, {"qualitative", FISC_DIR_QUAL},
	{NULL, 0}};

static const word grade_words[] = {
	{"达成", FISC_GRADE_MET}, {"达成年度指标", FISC_GRADE_MET}, {"完成", FISC_GRADE_MET},
	{"已完成", FISC_GRADE_MET}, {"met", FISC_GRADE_MET},
	{"部分达成", FISC_GRADE_PARTLY}, {"部分达成年度指标并具有一定效果", FISC_GRADE_PARTLY},
	{"部分完成", FISC_GRADE_PARTLY}, {"基本达成", FISC_GRADE_PARTLY},
	{"partly", FISC_GRADE_PARTLY},
	{"未达成", FISC_GRADE_NOT_MET}, {"未达成年度指标且效果较差", FISC_GRADE_NOT_MET},
	{"未完成", FISC_GRADE_NOT_MET}, {"not_met", FISC_GRADE_NOT_MET},
	{NULL, 0}};

int fisc_ind_grade_prefix(const char *s)
{
	int best = -1;
	size_t bestlen = 0;
	for (const word *w = grade_words; w->s; w++) {
		size_t n = strlen(w->s);
		if (n <= bestlen || strncmp(s, w->s, n))
			continue;
		/* the word ends the cell or is followed by a blank or punctuation */
		const char *r = s + n;
		static const char *const seps[] = {"", " ", ":", ",", ";", "(", "，", "；", "。", "：", "（"};
		for (size_t k = 0; k < sizeof seps / sizeof *seps; k++)
			if (k ? !strncmp(r, seps[k], strlen(seps[k])) : !*r) {
				best = w->v;
				bestlen = n;
				break;
			}
	}
	return best;
}

int fisc_ind_class_parse(const char *s) { return lookup(class_words, s); }
int fisc_ind_dir_parse(const char *s) { return lookup(dir_words, s); }
int fisc_ind_grade_parse(const char *s) { return lookup(grade_words, s); }

const char *fisc_ind_class_name(int c)
{
	static const char *const n[] = {"", "产出指标", "成本指标", "效益指标", "满意度指标"};
	return c >= 1 && c <= 4 ? n[c] : "";
}

const char *fisc_ind_class_code(int c)
{
	static const char *const n[] = {"", "output", "cost", "effect", "satisfaction"};
	return c >= 1 && c <= 4 ? n[c] : "";
}

const char *fisc_ind_dir_name(int d)
{
	static const char *const n[] = {"", "正向", "反向", "等于", "定性"};
	return d >= 1 && d <= 4 ? n[d] : "";
}

const char *fisc_ind_dir_code(int d)
{
	static const char *const n[] = {"", "ge", "le", "eq", "qual"};
	return d >= 1 && d <= 4 ? n[d] : "";
}

const char *fisc_ind_grade_name(int g)
{
	static const char *const n[] = {"", "达成", "部分达成", "未达成"};
	return g >= 1 && g <= 3 ? n[g] : "";
}

const char *fisc_ind_grade_code(int g)
{
	static const char *const n[] = {"", "met", "partly", "not_met"};
	return g >= 1 && g <= 3 ? n[g] : "";
}

static const struct {
	const char *key, *name, *alt[3];
} sections[] = {
	{"overview", "部门（单位）基本情况", {"基本情况", "部门基本情况", NULL}},
	{"goals", "年度绩效目标", {"绩效目标", "年度整体支出绩效目标", NULL}},
	{"results", "绩效情况", {"部门整体支出绩效情况", "整体支出绩效情况", NULL}},
	{"problems", "存在的问题及原因分析", {"存在的问题", "问题", NULL}},
	{"measures", "下一步改进措施", {"改进措施", "措施", NULL}},
	{"other", "其他需要说明的情况", {"其他", "其他说明", NULL}},
};

const char *fisc_perf_section_key(const char *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
		if (!strcmp(s, sections[i].key) || !strcmp(s, sections[i].name))
			return sections[i].key;
		for (int k = 0; k < 3 && sections[i].alt[k]; k++)
			if (!strcmp(s, sections[i].alt[k]))
				return sections[i].key;
	}
	return NULL;
}

const char *fisc_perf_section_name(const char *key)
{
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
		if (key && !strcmp(key, sections[i].key))
			return sections[i].name;
	return "";
}

static const struct {
	const char *key, *name, *alt[3];
} congress_sections[] = {
	{"opening", "", {"开头", "开篇", "引言"}},
	{"work", "财政工作情况", {"本年财政工作情况", "财政工作", NULL}},
	{"plan", "财政工作安排", {"下年财政工作安排", "工作安排", NULL}},
	{"measures", "完成预算的措施", {"措施", "主要措施", NULL}},
	{"closing", "", {"结束语", "结语", NULL}},
	{"basis", "", {"口径", NULL, NULL}},
};

static const char *congress_head(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof congress_sections / sizeof *congress_sections; i++) {
		const char *k = congress_sections[i].key, *nm = congress_sections[i].name;
		if ((strlen(k) == n && !strncmp(s, k, n)) || (*nm && strlen(nm) == n && !strncmp(s, nm, n)))
			return k;
		for (int j = 0; j < 3 && congress_sections[i].alt[j]; j++)
			if (strlen(congress_sections[i].alt[j]) == n &&
			    !strncmp(s, congress_sections[i].alt[j], n))
				return k;
	}
	return NULL;
}

char *fisc_congress_section_key(const char *s)
{
	if (!s)
		return NULL;
	const char *slash = strchr(s, '/');
	const char *key = congress_head(s, slash ? (size_t)(slash - s) : strlen(s));
	if (!key)
		return NULL;
	if (strcmp(key, "basis")) {
		if (slash && !slash[1])
			return NULL; /* "plan/" names no subsection */
		if (slash && (!strcmp(key, "opening") || !strcmp(key, "closing")))
			return NULL; /* a paragraph, not a titled part */
		char *r = malloc(strlen(key) + (slash ? strlen(slash) : 0) + 1);
		if (r) {
			strcpy(r, key);
			if (slash)
				strcat(r, slash);
		}
		return r;
	}
	/* basis/BOOK/SCOPE: both parts must name what facts are keyed by */
	const char *b = slash ? slash + 1 : NULL, *sl2 = b ? strchr(b, '/') : NULL;
	if (!sl2)
		return NULL;
	int book = fisc_book_parse(b, (size_t)(sl2 - b));
	int scope = fisc_scope_parse(sl2 + 1, strlen(sl2 + 1));
	if (book <= 0 || scope <= 0)
		return NULL;
	const char *bc = fisc_book_code((fisc_book)book), *sc = fisc_scope_code((fisc_scope)scope);
	char *r = malloc(strlen(bc) + strlen(sc) + 8);
	if (r)
		sprintf(r, "basis/%s/%s", bc, sc);
	return r;
}

const char *fisc_congress_section_name(const char *key)
{
	for (size_t i = 0; i < sizeof congress_sections / sizeof *congress_sections; i++)
		if (key && !strcmp(key, congress_sections[i].key))
			return congress_sections[i].name;
	return "";
}

/* ---- decimals ---------------------------------------------------------- */

int fisc_decimal_parse(const char *s0, size_t n, fisc_decimal *out)
{
	char *norm = NULL;
	const char *s = s0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s0[i] >= 0x80) {
			norm = fisc_nfkc(s0, n);
			if (!norm)
				return -1;
			s = norm;
			n = strlen(norm);
			break;
		}
	int rc = -1;
	size_t i = 0;
	while (i < n && s[i] == ' ')
		i++;
	while (n > i && s[n - 1] == ' ')
		n--;
	int neg = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	uint64_t v = 0;
	int scale = -1, digits = 0;
	for (; i < n; i++) {
		char c = s[i];
		if (c == ',' && scale < 0 && digits) /* thousands separator */
			continue;
		if (c == '.' && scale < 0) {
			scale = 0;
			continue;
		}
		if (c < '0' || c > '9')
			goto done;
		if (v > (UINT64_MAX - 9) / 10)
			goto done;
		v = v * 10 + (uint64_t)(c - '0');
		digits++;
		if (scale >= 0 && ++scale > 6)
			goto done;
	}
	if (!digits || scale == 0 || v > (uint64_t)INT64_MAX)
		goto done;
	out->v = neg ? -(int64_t)v : (int64_t)v;
	out->scale = scale < 0 ? 0 : scale;
	rc = 0;
done:
	free(norm);
	return rc;
}

int fisc_decimal_format(fisc_decimal d, char *buf, size_t cap)
{
	assert(d.scale >= 0 && d.scale <= 6);
	uint64_t m = d.v < 0 ? (uint64_t)0 - (uint64_t)d.v : (uint64_t)d.v;
	uint64_t p = 1;
	for (int i = 0; i < d.scale; i++)
		p *= 10;
	if (!d.scale)
		return snprintf(buf, cap, "%s%llu", d.v < 0 ? "-" : "", (unsigned long long)m);
	return snprintf(buf, cap, "%s%llu.%0*llu", d.v < 0 ? "-" : "", (unsigned long long)(m / p),
			d.scale, (unsigned long long)(m % p));
}

int fisc_points_format(int64_t h, char *buf, size_t cap)
{
	const char *sign = h < 0 ? "-" : "";
	unsigned long long m = h < 0 ? 0ULL - (unsigned long long)h : (unsigned long long)h;
	if (m % 100 == 0)
		return snprintf(buf, cap, "%s%llu", sign, m / 100);
	if (m % 10 == 0)
		return snprintf(buf, cap, "%s%llu.%llu", sign, m / 100, (m % 100) / 10);
	return snprintf(buf, cap, "%s%llu.%02llu", sign, m / 100, m % 100);
}

const char *fisc_points_text(fisc_arena *a, int64_t h)
{
	char buf[32];
	fisc_points_format(h, buf, sizeof buf);
	return fisc_arena_strdup(a, buf);
}

int fisc_points_parse(const char *s, size_t n, int32_t *out)
{
	fisc_decimal d;
	if (fisc_decimal_parse(s, n, &d) || d.scale > 2 || d.v < 0)
		return -1;
	int64_t h = d.v;
	for (int i = d.scale; i < 2; i++)
		h *= 10;
	if (h > 10000)
		return -1;
	*out = (int32_t)h;
	return 0;
}

/* ---- scoring ----------------------------------------------------------- */

/* round(w × num / den) half up, for num, den > 0. */
static int32_t scaled(int32_t w, __int128 num, __int128 den)
{
	__int128 x = (__int128)w * num * 2 + den;
	return (int32_t)(x / (den * 2));
}

/* a and b brought to one scale, as 128-bit integers. */
static void align(fisc_decimal a, fisc_decimal b, __int128 *x, __int128 *y)
{
	*x = a.v;
	*y = b.v;
	for (int i = a.scale; i < b.scale; i++)
		*x *= 10;
	for (int i = b.scale; i < a.scale; i++)
		*y *= 10;
}

/* The band of a qualitative grade, as fractions of the weight (in %):
** 达成 [80, 100], 部分达成 [60, 80), 未达成 [0, 60). */
static void grade_band(int grade, int32_t w, int32_t *lo, int32_t *hi)
{
	switch (grade) {
	case FISC_GRADE_MET:
		*lo = scaled(w, 80, 100);
		*hi = w;
		break;
	case FISC_GRADE_PARTLY:
		*lo = scaled(w, 60, 100);
		*hi = scaled(w, 80, 100);
		break;
	default:
		*lo = 0;
		*hi = scaled(w, 60, 100);
		break;
	}
}

void fisc_indicator_score(const fisc_indicator *ind, fisc_ind_result *r)
{
	memset(r, 0, sizeof *r);
	int32_t w = ind->has_weight ? ind->weight : 0;
	if (ind->dir == FISC_DIR_QUAL) {
		r->assessed = ind->grade != FISC_GRADE_NONE;
		if (!r->assessed)
			return;
		r->met = ind->grade == FISC_GRADE_MET;
		r->below = !r->met;
		grade_band(ind->grade, w, &r->band_lo, &r->band_hi);
		if (ind->has_weight) {
			r->scored = 1;
			if (ind->has_score) {
				r->score = ind->score;
				/* The upper edge of 部分达成 and 未达成 is open. */
				int top_open = ind->grade != FISC_GRADE_MET;
				int32_t hi = r->band_hi;
				if (top_open && hi > r->band_lo)
					hi--;
				if (ind->score < r->band_lo || ind->score > hi) {
					r->score_mismatch = 1;
					r->given = ind->score;
					r->score = ind->score < r->band_lo ? r->band_lo : hi;
				}
			} else if (ind->grade == FISC_GRADE_MET) {
				r->score = w;
			} else {
				r->scored = 0; /* a partial grade needs an assessed score */
			}
		}
		r->needs_reason = r->below && !*ind->reason;
		return;
	}
	r->assessed = ind->has_actual;
	if (!r->assessed || !ind->has_target)
		return;
	__int128 a, t;
	align(ind->actual, ind->target, &a, &t);
	int32_t s;
	switch (ind->dir) {
	case FISC_DIR_LE:
		r->met = a <= t;
		s = r->met ? w : a > 0 && t > 0 ? scaled(w, t, a) : 0;
		break;
	case FISC_DIR_EQ:
		r->met = a == t;
		s = r->met ? w : (a > 0 && t > 0) ? (a < t ? scaled(w, a, t) : scaled(w, t, a)) : 0;
		break;
	default: /* FISC_DIR_GE */
		r->met = a >= t;
		s = r->met ? w : a > 0 && t > 0 ? scaled(w, a, t) : 0;
		break;
	}
	r->below = !r->met;
	r->needs_reason = r->below && !*ind->reason;
	if (!ind->has_weight)
		return;
	r->scored = 1;
	r->score = s;
	if (ind->has_score && ind->score != s) {
		r->score_mismatch = 1;
		r->given = ind->score;
	}
}

int32_t fisc_perf_budget_points(int64_t spent, int64_t budget)
{
	if (budget <= 0 || spent <= 0)
		return 0;
	if (spent >= budget)
		return 1000;
	return scaled(1000, spent, budget);
}

const char *fisc_perf_grade_name(int32_t h)
{
	return h >= 9000 ? "优" : h >= 8000 ? "良" : h >= 6000 ? "中" : "差";
}
