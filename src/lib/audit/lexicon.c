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
#include <pthread.h>
#include <stdint.h>
#include <ctype.h>
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
	{"对市县", "subsidy_lower", "补助下级支出", SIDE_OUT},
	{"对区县", "subsidy_lower", "补助下级支出", SIDE_OUT},
	{"对县区", "subsidy_lower", "补助下级支出", SIDE_OUT},
	{"对苏木乡镇", "subsidy_lower", "补助下级支出", SIDE_OUT},
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
	/* "专项债务余额限额": the ceiling on the balance, not the balance */
	{"债务余额限额", "debt_limit", "政府债务限额", SIDE_STOCK},
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

/* A set of the pairs of adjacent three-byte characters of a text, hashed
** into 512 bits: a word whose first two characters are not a pair of the
** text is not in it. Every phrase of the table is CJK, two characters or
** more. */
typedef struct pairset {
	uint64_t bit[8];
} pairset;

static unsigned pair_hash(const unsigned char *p)
{
	/* the last two bytes of each character carry what differs */
	unsigned h = (unsigned)p[1] * 0x3Fu ^ (unsigned)p[2] * 0x71u ^ (unsigned)p[4] * 0x1Du ^
		     (unsigned)p[5] * 0x5Bu;
	return (h ^ h >> 9) & 511u;
}

static int is_char3(const unsigned char *p)
{
	return p[0] >= 0xE0 && p[0] < 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80;
}

static void pairs_of(const char *t, pairset *ps)
{
	memset(ps, 0, sizeof *ps);
	const unsigned char *u = (const unsigned char *)t;
	size_t n = strlen(t);
	for (size_t i = 0; i + 6 <= n; i++)
		if (is_char3(u + i) && is_char3(u + i + 3)) {
			unsigned h = pair_hash(u + i);
			ps->bit[h >> 6] |= (uint64_t)1 << (h & 63);
		}
}

/* Computed once: the hash of each phrase's first two characters, and the
** index items compare by (one per item id: the first phrase of the id). */
static unsigned item_pair[N_ITEMS];
static int item_index[N_ITEMS];
static pthread_once_t item_once = PTHREAD_ONCE_INIT;

static void items_init(void)
{
	for (int k = 0; k < N_ITEMS; k++) {
		item_pair[k] = pair_hash((const unsigned char *)items[k].w);
		item_index[k] = k;
		for (int j = k - 1; j >= 0; j--)
			if (!strcmp(items[j].id, items[k].id))
				item_index[k] = j;
		if (!strcmp(items[k].id, "own_rev"))
			item_index[k] = IT_OWN_REV;
		if (!strcmp(items[k].id, "own_exp"))
			item_index[k] = IT_OWN_EXP;
	}
}

static int lex_item(const char *label, int anywhere)
{
	if (!label || !*label)
		return -1;
	/* every label of every figure comes here: search only for the phrases
	** whose first two characters stand together in the label */
	pthread_once(&item_once, items_init);
	pairset ps;
	pairs_of(label, &ps);
	for (int k = 0; k < N_ITEMS; k++) {
		unsigned h = item_pair[k];
		if (!(ps.bit[h >> 6] >> (h & 63) & 1) || !strstr(label, items[k].w))
			continue;
		/* a book's own revenue or expenditure only when the label ends with
		** it: "一般公共预算支出中基本支出" is a part of it */
		if (!anywhere && (item_index[k] == IT_OWN_REV || item_index[k] == IT_OWN_EXP) &&
		    !au_endswith(label, items[k].w))
			continue;
		/* one index per item id, so that items compare by index */
		return item_index[k];
	}
	/* own revenue / expenditure: a level's 收入 / 支出 ("区级收入", "全区支出"),
	** a fund's ("基金收入") */
	const char *r = label;
	for (size_t k; (k = au_scope_prefix(r, strlen(r))) > 0;)
		r += k;
	if (!strcmp(r, "收入") || !strcmp(r, "基金收入"))
		return IT_OWN_REV;
	if (!strcmp(r, "支出") || !strcmp(r, "基金支出"))
		return IT_OWN_EXP;
	return -1;
}

int au_lex_item(const char *label) { return lex_item(label, 0); }

int au_lex_item_in(const char *text) { return lex_item(text, 1); }

int au_label_year(const char *l)
{
	int y = 0;
	for (const char *p = l; p && *p; p++) {
		if ((p[0] == '1' || p[0] == '2') && isdigit((unsigned char)p[1]) &&
		    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) && !strncmp(p + 4, "年", 3) &&
		    (p == l || !isdigit((unsigned char)p[-1]))) {
			int v = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
			if (y && y != v)
				return 0;
			y = v;
			p += 3;
		}
	}
	return y;
}

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

/* A word and its length, for the prefix and suffix loops below. */
typedef struct lword {
	const char *w;
	size_t len;
} lword;
#define LW(s) {s, sizeof s - 1}

/* s[0, n) begins (ends) with w: its first (last) byte compared first, as
** these run for every word on every label. */
static int starts(const char *s, size_t n, const lword *w)
{
	return n >= w->len && s[0] == w->w[0] && !memcmp(s, w->w, w->len);
}

static int ends(const char *s, size_t n, const lword *w)
{
	return n >= w->len && s[n - 1] == w->w[w->len - 1] && !memcmp(s + n - w->len, w->w, w->len);
}

const char *au_label_clean(au_doc *d, const char *raw, int strip_scope)
{
	char *s = fisc_arena_strdup(d->w, raw ? raw : "");
	if (!s) {
		au_oom = 1;
		return "";
	}
	/* brackets, quotation marks and years are cut only when there are any:
	** every figure's label comes here twice */
	if (strchr(s, '(')) {
		/* 债务（转贷）收入: the bracket is part of the name */
		for (char *p = strstr(s, "(转贷)"); p; p = strstr(s, "(转贷)")) {
			cut(s, (size_t)(p - s) + 7, 1);
			cut(s, (size_t)(p - s), 1);
		}
		/* bracketed words */
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
	}
	int quote = 0, digit = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		digit |= *p >= '0' && *p <= '9';
		/* " “ ” ‘ ’ 《 》 */
		quote |= *p == '"' ||
			 (*p == 0xE2 && p[1] == 0x80 && (p[2] == 0x9C || p[2] == 0x9D || p[2] == 0x98 || p[2] == 0x99)) ||
			 (*p == 0xE3 && p[1] == 0x80 && (p[2] == 0x8A || p[2] == 0x8B));
	}
	if (quote) {
		static const char *const quotes[] = {"“", "”", "\"", "‘", "’", "《", "》"};
		for (size_t k = 0; k < sizeof quotes / sizeof *quotes; k++)
			for (char *p = strstr(s, quotes[k]); p; p = strstr(p, quotes[k]))
				cut(s, (size_t)(p - s), strlen(quotes[k]));
	}
	/* years: "2024年", "2024年度", "2023年底", "截至" */
	for (size_t i = 0; digit && s[i];) {
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
	static const lword lead[] = {LW("截至"), LW("截止"), LW("全年"), LW("年末"), LW("年底"),
				     LW("年初"), LW("我区"), LW("我市"), LW("我县"), LW("我州"),
				     LW("当年度"), LW("了"), LW("其中"), LW("，"), LW("、"),
				     LW("后"), LW("与"), LW("以及"), LW("及"), LW("和")};
	static const lword trail[] = {LW("实际完成"), LW("累计完成"), LW("预计完成"), LW("完成"),
				      LW("实现"), LW("预计"), LW("安排"), LW("执行数"), LW("执行"),
				      LW("调整为"), LW("为"), LW("是"), LW("达到"), LW("达"),
				      LW("约"), LW("共"), LW("了"), LW("的"), LW("累计"),
				      LW("规模"), LW("数")};
	/* the label is now s[0, n); words come off its ends by moving them */
	size_t n = strlen(s);
	for (int again = 1; again;) {
		again = 0;
		for (size_t k = 0; k < sizeof lead / sizeof *lead; k++)
			if (starts(s, n, &lead[k])) {
				s += lead[k].len;
				n -= lead[k].len;
				again = 1;
			}
		/* a suffix goes only when something is left */
		for (size_t k = 0; k < sizeof trail / sizeof *trail; k++)
			if (n > trail[k].len && ends(s, n, &trail[k])) {
				n -= trail[k].len;
				again = 1;
			}
	}
	if (strip_scope) {
		for (size_t k; (k = au_scope_prefix(s, n)) > 0;) {
			s += k;
			n -= k;
		}
		if (n > 6 && !memcmp(s + n - 6, "预算", 6))
			n -= 6;
	}
	s[n] = 0;
	return s;
}
