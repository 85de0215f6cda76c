/*
** lexicon.c — what a label written before a figure names: a balance line
** (data/lines.csv ids, so that the rule engine understands the facts) or a
** catalogue code, and on which side of a balance it stands.
**
** Reports spell one item many ways (上年结余 = 上年结转 = 上年结余收入; 上级补助
** 收入 = 上级转移支付 = 中央和省补助收入 …). The table below is searched in
** order; the first phrase found in the label wins, so the longer, more
** specific phrases come first (下级上解 before 上解, 返还性收入 before 上级补助).
*/
#include <string.h>
#include "audit/internal.h"
#include "fisc/fact.h"

static const struct {
	const char *w;
	const char *id;
	const char *zh;
	int side;
} items[] = {
	/* totals */
	{"本年收入合计", "own_rev", "本级收入", SIDE_IN},
	{"本年支出合计", "own_exp", "本级支出", SIDE_OUT},
	{"收入总计", "income_total", "收入总计", SIDE_IN},
	{"总收入", "income_total", "收入总计", SIDE_IN},
	{"收入合计", "income_total", "收入总计", SIDE_IN},
	{"收入总量", "income_total", "收入总计", SIDE_IN},
	{"总来源", "income_total", "收入总计", SIDE_IN},
	{"总计收入", "income_total", "收入总计", SIDE_IN},
	{"支出总计", "expense_total", "支出总计", SIDE_OUT},
	{"总支出", "expense_total", "支出总计", SIDE_OUT},
	{"支出合计", "expense_total", "支出总计", SIDE_OUT},
	{"支出总量", "expense_total", "支出总计", SIDE_OUT},
	{"转移性收入", "transfer_in_total", "转移性收入", SIDE_IN},
	{"转移性支出", "transfer_out_total", "转移性支出", SIDE_OUT},
	/* own revenue */
	{"非税收入", "nontax", "非税收入", SIDE_IN},
	{"税收收入", "tax", "税收收入", SIDE_IN},
	/* department income */
	{"拨款收入", "dept_fiscal", "财政拨款收入", SIDE_IN},
	{"上年结转结余", "carry_in", "上年结转", SIDE_IN},
	/* transfers */
	{"下级上解", "lower_remit", "下级上解收入", SIDE_IN},
	{"区县上解", "lower_remit", "下级上解收入", SIDE_IN},
	{"上解", "remit_up", "上解支出", SIDE_OUT},
	{"补助下级", "subsidy_lower", "补助下级支出", SIDE_OUT},
	{"补助区县", "subsidy_lower", "补助下级支出", SIDE_OUT},
	{"对下补助", "subsidy_lower", "补助下级支出", SIDE_OUT},
	{"对下转移支付", "subsidy_lower", "补助下级支出", SIDE_OUT},
	{"对镇", "subsidy_lower", "补助下级支出", SIDE_OUT},
	{"对街道", "subsidy_lower", "补助下级支出", SIDE_OUT},
	{"对乡", "subsidy_lower", "补助下级支出", SIDE_OUT},
	{"返还性收入", "11001", "返还性收入", SIDE_IN},
	{"税收返还", "11001", "返还性收入", SIDE_IN},
	{"一般性转移支付", "11002", "一般性转移支付收入", SIDE_IN},
	{"专项转移支付", "11003", "专项转移支付收入", SIDE_IN},
	{"上级专项补助", "11003", "专项转移支付收入", SIDE_IN},
	{"上级补助", "upper_subsidy", "上级补助收入", SIDE_IN},
	{"上级转移支付", "upper_subsidy", "上级补助收入", SIDE_IN},
	{"上级各项补助", "upper_subsidy", "上级补助收入", SIDE_IN},
	{"上级财政转移支付", "upper_subsidy", "上级补助收入", SIDE_IN},
	{"上级税收返还及补助", "upper_subsidy", "上级补助收入", SIDE_IN},
	{"上级基金补助", "upper_subsidy", "上级补助收入", SIDE_IN},
	{"中央和省补助", "upper_subsidy", "上级补助收入", SIDE_IN},
	{"省补助", "upper_subsidy", "上级补助收入", SIDE_IN},
	{"市对", "upper_subsidy", "上级补助收入", SIDE_IN},
	{"省对", "upper_subsidy", "上级补助收入", SIDE_IN},
	{"动用预算稳定调节基金", "stab_draw", "动用预算稳定调节基金", SIDE_IN},
	{"调入预算稳定调节基金", "stab_draw", "动用预算稳定调节基金", SIDE_IN},
	{"安排预算稳定调节基金", "stab_fill", "安排预算稳定调节基金", SIDE_OUT},
	{"补充预算稳定调节基金", "stab_fill", "安排预算稳定调节基金", SIDE_OUT},
	{"补充预算周转金", "turnover_fill", "补充预算周转金", SIDE_OUT},
	{"调入", "transfer_in", "调入资金", SIDE_IN},
	{"调出", "transfer_out", "调出资金", SIDE_OUT},
	{"转贷收入", "debt_onlend_in", "债务转贷收入", SIDE_IN},
	{"转贷支出", "onlend_out", "债务转贷支出", SIDE_OUT},
	{"还本付息", "debt_service", "政府债务还本付息", SIDE_STOCK},
	{"还本", "debt_repay", "债务还本支出", SIDE_OUT},
	{"上年结转", "carry_in", "上年结转", SIDE_IN},
	{"上年结余", "carry_in", "上年结转", SIDE_IN},
	{"上年基金结转", "carry_in", "上年结转", SIDE_IN},
	{"滚存结余", "ssf_balance", "年末滚存结余", SIDE_STOCK},
	{"收支结余", "ssf_surplus", "本年收支结余", SIDE_STOCK},
	{"当年结余", "ssf_surplus", "本年收支结余", SIDE_STOCK},
	{"结转下年", "carry_out", "结转下年", SIDE_OUT},
	{"年终结余", "carry_out", "结转下年", SIDE_OUT},
	{"年终结转", "carry_out", "结转下年", SIDE_OUT},
	/* debt */
	{"债务总限额", "debt_limit", "政府债务限额", SIDE_STOCK},
	{"债务限额", "debt_limit", "政府债务限额", SIDE_STOCK},
	{"债务余额", "debt_balance", "政府债务余额", SIDE_STOCK},
	{"债券余额", "debt_balance", "政府债务余额", SIDE_STOCK},
	{"债务收入", "debt_in", "债务收入", SIDE_IN},
	{"债券收入", "debt_in", "债务收入", SIDE_IN},
	{"预备费", "227", "预备费", SIDE_OUT},
	/* a book's own revenue or expenditure named inside longer words */
	{"一般公共预算收入", "own_rev", "本级收入", SIDE_IN},
	{"政府性基金预算收入", "own_rev", "本级收入", SIDE_IN},
	{"政府性基金收入", "own_rev", "本级收入", SIDE_IN},
	{"国有资本经营预算收入", "own_rev", "本级收入", SIDE_IN},
	{"国有资本经营收入", "own_rev", "本级收入", SIDE_IN},
	{"社会保险基金预算收入", "own_rev", "本级收入", SIDE_IN},
	{"社会保险基金收入", "own_rev", "本级收入", SIDE_IN},
	{"一般公共预算支出", "own_exp", "本级支出", SIDE_OUT},
	{"政府性基金预算支出", "own_exp", "本级支出", SIDE_OUT},
	{"政府性基金支出", "own_exp", "本级支出", SIDE_OUT},
	{"国有资本经营预算支出", "own_exp", "本级支出", SIDE_OUT},
	{"社会保险基金预算支出", "own_exp", "本级支出", SIDE_OUT},
	{"社会保险基金支出", "own_exp", "本级支出", SIDE_OUT},
};
enum { N_ITEMS = sizeof items / sizeof *items };
/* two more, matched by rule rather than by phrase */
enum { IT_OWN_REV = N_ITEMS, IT_OWN_EXP = N_ITEMS + 1 };

static int lex_item(const char *label, int anywhere)
{
	if (!label || !*label)
		return -1;
	for (int k = 0; k < N_ITEMS; k++) {
		if (!strstr(label, items[k].w))
			continue;
		/* a book's own revenue or expenditure only when the label ends with
		** it: "一般公共预算支出中基本支出" is a part of it */
		if (!anywhere && (!strcmp(items[k].id, "own_rev") || !strcmp(items[k].id, "own_exp")) &&
		    !au_endswith(label, items[k].w))
			continue;
		/* one index per item id, so that items compare by index */
		if (!strcmp(items[k].id, "own_rev"))
			return IT_OWN_REV;
		if (!strcmp(items[k].id, "own_exp"))
			return IT_OWN_EXP;
		for (int j = 0; j < k; j++)
			if (!strcmp(items[j].id, items[k].id))
				return j;
		return k;
	}
	/* own revenue / expenditure: a level's 收入 / 支出 ("区级收入", "全区支出"),
	** a fund's ("基金收入") */
	static const char *const scopes[] = {"全区", "全市", "全县", "全州", "全省", "区本级",
					     "市本级", "县本级", "州本级", "区级", "市级", "县级",
					     "州级", "镇级", "乡镇级", "本级"};
	const char *r = label;
	for (int again = 1; again;) {
		again = 0;
		for (size_t k = 0; k < sizeof scopes / sizeof *scopes; k++)
			if (au_startswith(r, scopes[k])) {
				r += strlen(scopes[k]);
				again = 1;
			}
	}
	if (!strcmp(r, "收入") || !strcmp(r, "基金收入"))
		return IT_OWN_REV;
	if (!strcmp(r, "支出") || !strcmp(r, "基金支出"))
		return IT_OWN_EXP;
	return -1;
}

int au_lex_item(const char *label) { return lex_item(label, 0); }

int au_lex_item_in(const char *text) { return lex_item(text, 1); }

const char *au_item_id(int item)
{
	if (item == IT_OWN_REV)
		return "own_rev";
	if (item == IT_OWN_EXP)
		return "own_exp";
	return item >= 0 && item < N_ITEMS ? items[item].id : "";
}

const char *au_item_zh(int item)
{
	if (item == IT_OWN_REV)
		return "本级收入";
	if (item == IT_OWN_EXP)
		return "本级支出";
	return item >= 0 && item < N_ITEMS ? items[item].zh : "";
}

int au_item_side(int item)
{
	if (item == IT_OWN_REV)
		return SIDE_IN;
	if (item == IT_OWN_EXP)
		return SIDE_OUT;
	return item >= 0 && item < N_ITEMS ? items[item].side : SIDE_STOCK;
}

int au_label_side(const char *label, int item)
{
	if (item >= 0)
		return au_item_side(item);
	if (au_endswith(label, "收入"))
		return SIDE_IN;
	if (au_endswith(label, "支出"))
		return SIDE_OUT;
	return SIDE_STOCK;
}

int au_item_book(int item, const char *label)
{
	const char *id = au_item_id(item);
	if (strcmp(id, "debt_limit") && strcmp(id, "debt_balance"))
		return -2;
	if (strstr(label, "一般债"))
		return FISC_BOOK_GPB;
	if (strstr(label, "专项债"))
		return FISC_BOOK_GFB;
	return FISC_BOOK_ALL;
}

/* ---- cleaning ------------------------------------------------------------ */

static void cut(char *s, size_t at, size_t n)
{
	memmove(s + at, s + at + n, strlen(s + at + n) + 1);
}

static int strip_prefix(char *s, const char *w)
{
	size_t m = strlen(w);
	if (strncmp(s, w, m))
		return 0;
	cut(s, 0, m);
	return 1;
}

static int strip_suffix(char *s, const char *w)
{
	size_t n = strlen(s), m = strlen(w);
	if (n < m || memcmp(s + n - m, w, m))
		return 0;
	s[n - m] = 0;
	return 1;
}

const char *au_label_clean(au_doc *d, const char *raw, int strip_scope)
{
	char *s = fisc_arena_strdup(d->w, raw ? raw : "");
	if (!s) {
		au_oom = 1;
		return "";
	}
	/* 债务（转贷）收入: the bracket is part of the name */
	for (char *p = strstr(s, "(转贷)"); p; p = strstr(s, "(转贷)")) {
		cut(s, (size_t)(p - s) + 7, 1);
		cut(s, (size_t)(p - s), 1);
	}
	/* bracketed words and quotation marks */
	for (char *p = strchr(s, '('); p; p = strchr(p, '(')) {
		int depth = 0;
		char *q = p;
		for (; *q; q++) {
			if (*q == '(')
				depth++;
			else if (*q == ')' && --depth == 0)
				break;
		}
		if (!*q) {
			*p = 0;
			break;
		}
		cut(s, (size_t)(p - s), (size_t)(q - p) + 1);
	}
	static const char *const quotes[] = {"“", "”", "\"", "‘", "’", "《", "》"};
	for (size_t k = 0; k < sizeof quotes / sizeof *quotes; k++)
		for (char *p = strstr(s, quotes[k]); p; p = strstr(p, quotes[k]))
			cut(s, (size_t)(p - s), strlen(quotes[k]));
	/* years: "2024年", "2024年度", "2023年底", "截至" */
	for (size_t i = 0; s[i];) {
		if (s[i] >= '0' && s[i] <= '9' && s[i + 1] >= '0' && s[i + 2] >= '0' &&
		    s[i + 3] >= '0' && s[i + 1] <= '9' && s[i + 2] <= '9' && s[i + 3] <= '9' &&
		    !strncmp(s + i + 4, "年", 3)) {
			size_t m = 7;
			if (!strncmp(s + i + m, "度", 3) || !strncmp(s + i + m, "初", 3) ||
			    !strncmp(s + i + m, "末", 3) || !strncmp(s + i + m, "底", 3))
				m += 3;
			cut(s, i, m);
			continue;
		}
		i++;
	}
	static const char *const lead[] = {"截至", "截止", "全年", "年末", "年底", "年初", "我区",
					   "我市", "我县", "我州", "当年度", "了", "其中", "，", "、",
					   "后", "与", "以及", "及", "和"};
	static const char *const trail[] = {"实际完成", "累计完成", "预计完成", "完成", "实现",
					    "预计", "安排", "执行数", "执行", "调整为", "为", "是",
					    "达到", "达", "约", "共", "了", "的", "累计",
					    "规模", "数"};
	for (int again = 1; again;) {
		again = 0;
		for (size_t k = 0; k < sizeof lead / sizeof *lead; k++)
			again |= strip_prefix(s, lead[k]);
		for (size_t k = 0; k < sizeof trail / sizeof *trail; k++)
			if (strlen(s) > strlen(trail[k]))
				again |= strip_suffix(s, trail[k]);
	}
	if (strip_scope) {
		static const char *const scopes[] = {"全区", "全市", "全县", "全州", "全省", "区本级",
						     "市本级", "县本级", "州本级", "区级", "市级",
						     "县级", "州级", "本级"};
		for (int again = 1; again;) {
			again = 0;
			for (size_t k = 0; k < sizeof scopes / sizeof *scopes; k++)
				again |= strip_prefix(s, scopes[k]);
		}
		if (strlen(s) > 6)
			strip_suffix(s, "预算");
	}
	return s;
}
