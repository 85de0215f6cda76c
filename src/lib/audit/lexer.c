/*
** lexer.c — sentences and figures: every amount (with its unit), percentage,
** percentage-point change and year in the normalised text, and for each
** amount the words written before it (its label), the connective that joins
** it to its neighbours (加, 扣除, 其中, 主要是 …) and its role (a figure, a
** change against last year, a reference figure such as the budget a
** completion rate is measured against).
**
** Amounts must carry a unit (元, 万元, 亿元): numbers without one are counts,
** dates or table residue and are never taken for money. The one exception is
** a bare "0" ("收入为 0，"), which is zero in any unit.
*/
#include <stdlib.h>
#include <string.h>
#include "audit/internal.h"
#include "fisc/error.h"

char *au_span(au_doc *d, size_t beg, size_t end)
{
	if (end < beg)
		end = beg;
	char *p = fisc_arena_strndup(d->w, d->s + beg, end - beg);
	if (!p) {
		au_oom = 1;
		return "";
	}
	return p;
}

size_t au_find_word(const char *s, size_t beg, size_t end, const char *w)
{
	size_t m = strlen(w);
	if (end < beg || end - beg < m)
		return (size_t)-1;
	if (!m)
		return beg;
	/* memchr for the word's last byte, then the rest compared: on the
	** short spans asked about (a subject, a label) memmem's set-up costs
	** more than the search */
	const char *p = s + beg + m - 1, *e = s + end;
	while ((p = memchr(p, w[m - 1], (size_t)(e - p))) != NULL) {
		if (!memcmp(p - (m - 1), w, m - 1))
			return (size_t)(p - (m - 1) - s);
		p++;
	}
	return (size_t)-1;
}

int au_has(const char *s, size_t beg, size_t end, const char *w)
{
	return au_find_word(s, beg, end, w) != (size_t)-1;
}

int au_startswith(const char *s, const char *w) { return !strncmp(s, w, strlen(w)); }

int au_endswith(const char *s, const char *w)
{
	size_t n = strlen(s), m = strlen(w);
	return n >= m && !memcmp(s + n - m, w, m);
}

const char *au_fen(au_doc *d, fisc_fen fen, int unit, int decimals)
{
	char buf[80];
	if (unit < 0)
		unit = FISC_UNIT_WAN;
	if (fisc_fen_format(fen, (fisc_unit)unit, decimals, FISC_FMT_UNIT, buf, sizeof buf) < 0)
		return "?";
	char *p = fisc_arena_strdup(d->w, buf);
	return p ? p : "?";
}

const char *au_amt(au_doc *d, const fisc_amount *a)
{
	return au_fen(d, a->fen, a->unit, a->decimals);
}

static int isdig(char c) { return c >= '0' && c <= '9'; }

static int at(const char *s, size_t i, size_t end, const char *w)
{
	size_t m = strlen(w);
	return i + m <= end && !memcmp(s + i, w, m);
}

/* Separators that end a clause (the label of a figure never crosses one):
** "，", "；", "：", "。", "、", ",", ";", ":", "！", "？". Called for every byte
** a label is looked for in, so it tests the first byte before any word. */
static size_t sep_len(const char *s, size_t i, size_t end)
{
	static const char *const wide[] = {"，", "；", "：", "。", "、", "！", "？"};
	if (i >= end)
		return 0;
	unsigned char c = (unsigned char)s[i];
	if (c == ',' || c == ';' || c == ':')
		return 1;
	if (c != 0xEF && c != 0xE3)
		return 0; /* the first byte of every wide one */
	for (size_t k = 0; k < sizeof wide / sizeof *wide; k++)
		if (i + 3 <= end && !memcmp(s + i, wide[k], 3))
			return 3;
	return 0;
}

/* Length of a separator ending exactly at `pe` (not before lo), or 0. */
static size_t sep_before(const char *s, size_t lo, size_t pe)
{
	if (pe >= lo + 3 && sep_len(s, pe - 3, pe) == 3)
		return 3;
	if (pe >= lo + 1 && sep_len(s, pe - 1, pe) == 1)
		return 1;
	return 0;
}

/* A major separator: everything but the enumeration comma "、". */
static int major_sep(const char *s, size_t i, size_t end)
{
	return sep_len(s, i, end) && !at(s, i, end, "、");
}

/* Read the number at s[i]: digits with optional thousands groups and
** decimals. Returns the end, or i when there is none. *garbage is set for
** digit runs that cannot be one figure ("0.804.814.01", table residue). */
static size_t read_number(const char *s, size_t i, size_t end, int *garbage)
{
	size_t j = i;
	*garbage = 0;
	while (j < end && isdig(s[j]))
		j++;
	if (j == i)
		return i;
	/* thousands groups: ",ddd" not followed by another digit */
	if (j - i <= 3) {
		while (j + 3 < end + 0 && s[j] == ',' && isdig(s[j + 1]) && isdig(s[j + 2]) &&
		       isdig(s[j + 3]) && (j + 4 >= end || !isdig(s[j + 4])))
			j += 4;
	}
	if (j + 1 < end && s[j] == '.' && isdig(s[j + 1])) {
		j++;
		while (j < end && isdig(s[j]))
			j++;
		if (j + 1 < end && s[j] == '.' && isdig(s[j + 1])) {
			*garbage = 1;
			while (j < end && (isdig(s[j]) || s[j] == '.'))
				j++;
		}
	}
	return j;
}

/* A figure's unit written without 元 ("1.21万亿", "1815亿") is money only
** where the clause ends right after it: "3万人", "2亿次" are counts. */
static int bare_unit_end(const char *s, size_t i, size_t end)
{
	static const char *const after[] = {"，", "。", "；", "、", "）", ",", ";", ")", "(", "（",
					    "，", "的", "和", "与"};
	if (i >= end)
		return 1;
	for (size_t k = 0; k < sizeof after / sizeof *after; k++)
		if (at(s, i, end, after[k]))
			return 1;
	return 0;
}

static int unit_at(const char *s, size_t i, size_t end, size_t *len, unsigned *flags)
{
	*flags = 0;
	/* 万亿: ten thousand 亿; the caller scales (TF_WANYI) */
	if (at(s, i, end, "万亿元") || (at(s, i, end, "万亿") && bare_unit_end(s, i + 6, end))) {
		*len = at(s, i, end, "万亿元") ? 9 : 6;
		*flags = TF_WANYI;
		return FISC_UNIT_YI;
	}
	if (at(s, i, end, "亿") && !at(s, i, end, "亿元") && bare_unit_end(s, i + 3, end)) {
		*len = 3;
		return FISC_UNIT_YI;
	}
	if (at(s, i, end, "亿元")) {
		*len = 6;
		return FISC_UNIT_YI;
	}
	if (at(s, i, end, "万元")) {
		*len = 6;
		return FISC_UNIT_WAN;
	}
	if (at(s, i, end, "元")) {
		*len = 3;
		return FISC_UNIT_YUAN;
	}
	/* "3亿余元", "2万多元": a bound, not a value */
	if ((at(s, i, end, "亿余元") || at(s, i, end, "亿多元"))) {
		*len = 9;
		*flags = TF_BOUND;
		return FISC_UNIT_YI;
	}
	if ((at(s, i, end, "万余元") || at(s, i, end, "万多元"))) {
		*len = 9;
		*flags = TF_BOUND;
		return FISC_UNIT_WAN;
	}
	return -1;
}

static int ends_with_at(const char *s, size_t beg, size_t i, const char *w)
{
	size_t m = strlen(w);
	return i >= beg + m && !memcmp(s + i - m, w, m);
}

/* ---- labels and connectives ------------------------------------------------ */

static const struct {
	const char *w;
	int cn;
} conns[] = {
	{"其中包括", CN_OF}, {"其中", CN_OF}, {"主要包括", CN_MAINLY}, {"主要是", CN_MAINLY},
	{"主要有", CN_MAINLY}, {"主要为", CN_MAINLY}, {"分别为", CN_EACH}, {"分别是", CN_EACH},
	{"具体为", CN_OF}, {"包括", CN_INCL}, {"包含", CN_INCL}, {"含", CN_CONTAIN},
	{"扣除", CN_SUB}, {"减去", CN_SUB}, {"减除", CN_SUB},
	{"加上", CN_ADD}, {"再加", CN_ADD},
};

/* The connective at the start of t (a clause), its length in *len. "加上级"
** is 加 + 上级, "加上上级" is 加上 + 上级; "减" is a connective only when it
** does not begin a word of its own (减少, 减收, 减免 …). */
static int conn_at(const char *t, size_t *len)
{
	*len = 0;
	/* every connective begins with one of these characters: most clauses
	** (the label of every figure) begin with none of them */
	static const char firsts[] = "其主分具包含扣减加再";
	int any = 0;
	for (size_t k = 0; k + 3 < sizeof firsts && !any; k += 3)
		any = t[0] == firsts[k] && t[1] == firsts[k + 1] && t[2] == firsts[k + 2];
	if (!any)
		return CN_NONE;
	for (size_t k = 0; k < sizeof conns / sizeof *conns; k++) {
		if (au_startswith(t, conns[k].w)) {
			if (conns[k].cn == CN_ADD && !strcmp(conns[k].w, "加上") &&
			    (au_startswith(t, "加上级") || au_startswith(t, "加上年") ||
			     au_startswith(t, "加上解")))
				break;
			if (conns[k].cn == CN_CONTAIN && (au_startswith(t, "含义")))
				continue;
			*len = strlen(conns[k].w);
			return conns[k].cn;
		}
	}
	if (au_startswith(t, "加") && !au_startswith(t, "加大") && !au_startswith(t, "加快") &&
	    !au_startswith(t, "加强")) {
		*len = 3;
		return CN_ADD;
	}
	if (au_startswith(t, "减") && !au_startswith(t, "减少") && !au_startswith(t, "减收") &&
	    !au_startswith(t, "减支") && !au_startswith(t, "减免") && !au_startswith(t, "减税") &&
	    !au_startswith(t, "减持") && !au_startswith(t, "减轻") && !au_startswith(t, "减幅")) {
		*len = 3;
		return CN_SUB;
	}
	return CN_NONE;
}

/* Start of the clause that ends at `end`: back to the last major separator,
** skipping over bracketed words ("收入（含两江水复片区）预计"). An unmatched "("
** is a separator too (the figure is inside a bracket). */
static size_t clause_start(const char *s, size_t beg, size_t end)
{
	int depth = 0;
	size_t i = end;
	while (i > beg) {
		size_t p = i - 1;
		while (p > beg && ((unsigned char)s[p] & 0xC0) == 0x80)
			p--;
		if (s[p] == ')') {
			depth++;
		} else if (s[p] == '(') {
			if (depth == 0)
				return i;
			depth--;
		} else if (depth == 0 && major_sep(s, p, end)) {
			return i;
		}
		i = p;
	}
	return beg;
}

static const char *const change_words[] = {"增加", "减少", "增收", "减收", "增支", "减支",
					   "调增", "调减", "增长", "下降"};

static int change_sign(const char *g)
{
	/* every change word is two characters: compare g's last two */
	size_t n = strlen(g);
	if (n < 6)
		return 0;
	for (size_t k = 0; k < sizeof change_words / sizeof *change_words; k++)
		if (!memcmp(g + n - 6, change_words[k], 6))
			return (strstr(change_words[k], "减") || strstr(change_words[k], "降")) ? -1 : 1;
	return 0;
}

static int is_total_kw(const char *g)
{
	static const char *const kws[] = {"总计", "合计", "总收入", "总支出", "总量", "总来源",
					  "可安排财力", "共计", "变动为", "收入总",
					  "支出总"};
	/* each names 总, 合, 可, 共 or 变: most labels have none of these */
	static const char firsts[] = "总合可共变";
	int any = 0;
	for (const char *p = g; *p && !any; p++)
		for (size_t k = 0; k + 3 < sizeof firsts && !any; k += 3)
			any = p[0] == firsts[k] && p[1] == firsts[k + 1] && p[2] == firsts[k + 2];
	if (!any)
		return 0;
	for (size_t k = 0; k < sizeof kws / sizeof *kws; k++)
		if (strstr(g, kws[k]))
			return 1;
	return 0;
}

/* "比上年", "较上年同期", "比2021年决算数", "比年初预算": a reference to the
** figure a change is measured from. */
static int is_prior_ref(const char *g)
{
	const char *p = strstr(g, "比");
	const char *q = strstr(g, "较");
	if (!p || (q && q > p))
		p = q;
	if (!p)
		return 0;
	const char *r = p + 3;
	if (strlen(r) > 36)
		return 0;
	for (size_t k = 0; k < sizeof change_words / sizeof *change_words; k++)
		if (strstr(r, change_words[k]))
			return 0;
	return strstr(r, "上年") || strstr(r, "去年") || strstr(r, "同期") || strstr(r, "年初") ||
	       strstr(r, "年决算") || strstr(r, "年预算") || strstr(r, "年执行") ||
	       strstr(r, "预算") || strstr(r, "决算");
}

static void analyse_amount(au_doc *d, au_sent *se, int ti)
{
	au_tok *t = &d->toks.v[ti];
	const char *s = d->s;
	/* the gap: from the previous figure (years do not count) */
	size_t gb = se->beg;
	for (int k = ti - 1; k >= se->tok0; k--)
		if (d->toks.v[k].kind != TK_YEAR) {
			gb = d->toks.v[k].end;
			break;
		}
	t->raw = au_span(d, gb, t->beg);
	size_t cs = clause_start(s, gb, t->beg);
	/* The clause back to the last separator other than "、" (the end of
	** raw, which holds it). A leading "、" continues a list of figures
	** ("…7.01亿元、上年结余1.02亿元"); a "、" inside it joins items named
	** together before one figure ("加上解支出、债务还本支出95248万元",
	** "A、B、C等512747万元"): one group, one label. */
	const char *grp = t->raw + (cs - gb);
	while (!strncmp(grp, "、", 3))
		grp += 3;
	size_t cl;
	int cn = conn_at(grp, &cl);
	const char *label = grp + cl;
	/* 以及 / 及 / 和 join items without changing the sign */
	if (au_startswith(label, "以及"))
		label += 6;
	else if (au_startswith(label, "及") || au_startswith(label, "和"))
		label += 3;
	/* "其中：税收收入": the connective is the clause before the label */
	if (!cn && cs > gb) {
		size_t pe = cs, k;
		while ((k = sep_before(s, gb, pe)) != 0)
			pe -= k;
		size_t ps = clause_start(s, gb, pe);
		const char *prev = au_span(d, ps, pe);
		size_t pl;
		int pc = conn_at(prev, &pl);
		if (pc == CN_OF || pc == CN_INCL || pc == CN_MAINLY || pc == CN_EACH) {
			if (prev[pl] == 0)
				cn = pc;
		} else if (au_endswith(prev, "其中包括") || au_endswith(prev, "其中") ||
			   au_endswith(prev, "包括") || au_endswith(prev, "主要是") ||
			   au_endswith(prev, "主要包括")) {
			/* "收入包括：" names no figure: a breakdown of an unstated total */
			cn = au_endswith(prev, "其中") || au_endswith(prev, "其中包括") ? CN_OF
			     : au_endswith(prev, "包括")                                ? CN_INCL
												: CN_MAINLY;
		}
	}
	/* "区金库一般公共预算收入加上级补助收入、…等512747万元后": the base is
	** named before 加 but its figure is not given here */
	if (!cn) {
		const char *pa = strstr(label, "收入加");
		const char *pb = strstr(label, "支出加");
		const char *p = pa ? pa : pb;
		if (p && (!pb || pb > p || !pa)) {
			t->baselabel = au_label_clean(d, fisc_arena_strndup(d->w, label, (size_t)(p - label) + 6), 0);
			cn = CN_ADD;
			label = p + 9;
			if (au_startswith(label, "上上"))
				label += 3;
		}
	}
	t->conn = cn;
	t->glabel = label;
	t->label = au_label_clean(d, label, 0);
	t->key = au_label_clean(d, label, 1);
	t->total_kw = is_total_kw(label);
	/* role */
	int sg = change_sign(label);
	if (sg) {
		t->role = R_CHANGE;
		t->sign = sg;
	} else if (is_prior_ref(label) || au_endswith(label, "由")) {
		/* "由51.9亿元调整为111.65亿元": the figure before 调整为 is the old one */
		t->role = R_PRIOR;
	}
	/* "由年初预算的65000万元调整为35000万元": whatever stands between 由 and
	** the figure, a figure followed by 调整为 is the value it was changed from,
	** never a part or a total of the current one */
	if (t->role == R_PRINCIPAL) {
		static const char *const to[] = {"调整为", "调增为", "调减为", "调整至", "调整到", "变更为"};
		size_t lim2 = ti + 1 < se->tok0 + se->ntok ? d->toks.v[ti + 1].beg : se->end;
		for (size_t k = 0; k < sizeof to / sizeof *to; k++)
			if (at(s, t->end, lim2, to[k]))
				t->role = R_PRIOR;
	}
	/* what follows the figure up to the next separator or figure */
	size_t pe = t->end, lim = se->end;
	if (ti + 1 < se->tok0 + se->ntok)
		lim = d->toks.v[ti + 1].beg;
	while (pe < lim && !sep_len(s, pe, lim) && s[pe] != '(' && s[pe] != ')')
		pe++;
	if (at(s, t->end, lim, "等"))
		t->flags |= TF_ETC;
	if (at(s, t->end, lim, "后"))
		t->flags |= TF_AFTER;
	/* "…与支出总计139542万元不相等": said not to balance, which is no claim
	** that it does */
	if ((au_has(s, t->end, pe, "相等") && !au_has(s, t->end, pe, "不相等")) ||
	    (au_has(s, t->end, pe, "相同") && !au_has(s, t->end, pe, "不相同")))
		t->flags |= TF_EQUAL;
	if (at(s, t->end, lim, "左右") || at(s, t->end, lim, "以上") || at(s, t->end, lim, "以下"))
		t->flags |= TF_BOUND;
	/* the reference figure of a rate: "为年初预算9.91亿元的98.85%" */
	if (t->role == R_PRINCIPAL && ti + 1 < se->tok0 + se->ntok &&
	    d->toks.v[ti + 1].kind == TK_PERCENT) {
		/* nothing but "的" between the two */
		size_t nb = d->toks.v[ti + 1].beg;
		if (nb == t->end + 3 && !memcmp(s + t->end, "的", 3) &&
		    (strstr(label, "预算") || strstr(label, "计划")))
			t->role = R_BUDGET;
	}
}

/* ---- scanning ------------------------------------------------------------- */

static void scan_span(au_doc *d, size_t beg, size_t end, int sent, unsigned extra, int cell_unit)
{
	const char *s = d->s;
	int depth = 0;
	size_t i = beg;
	while (i < end) {
		char c = s[i];
		if (c == '(') {
			depth++;
			i++;
			continue;
		}
		if (c == ')') {
			if (depth)
				depth--;
			i++;
			continue;
		}
		int neg = 0;
		size_t nb = i;
		if ((c == '-' || c == '+') && i + 1 < end && isdig(s[i + 1]) &&
		    (i == beg || (!isdig(s[i - 1]) && s[i - 1] != '.'))) {
			neg = c == '-';
			i++;
		}
		if (!isdig(s[i]) || (i > beg && (isdig(s[i - 1]) || s[i - 1] == '.' ||
						 ((s[i - 1] >= 'A' && s[i - 1] <= 'Z') ||
						  (s[i - 1] >= 'a' && s[i - 1] <= 'z'))))) {
			i = nb + 1;
			while (i < end && ((unsigned char)s[i] & 0xC0) == 0x80)
				i++;
			continue;
		}
		int garbage;
		size_t ne = read_number(s, i, end, &garbage);
		if (garbage) {
			i = ne;
			continue;
		}
		size_t ulen = 0;
		unsigned uflags = 0;
		au_tok t = {0};
		t.beg = nb;
		t.sent = sent;
		t.depth = depth;
		t.line = au_line_at(d, nb);
		t.item = -1;
		t.flags = extra;
		if (ne < end && s[ne] == '%') {
			t.kind = TK_PERCENT;
			t.end = ne + 1;
			int64_t v = 0;
			int dec = 0, indec = 0, ok = 1;
			for (size_t q = i; q < ne; q++) {
				if (s[q] == '.') {
					indec = 1;
					continue;
				}
				if (s[q] == ',')
					continue;
				if (v > INT64_MAX / 100)
					ok = 0;
				else
					v = v * 10 + (s[q] - '0');
				dec += indec;
			}
			if (!ok || dec > 6) {
				i = ne;
				continue;
			}
			t.pv = neg ? -v : v;
			t.pdec = dec;
		} else if (at(s, ne, end, "个百分点")) {
			t.kind = TK_PP;
			t.end = ne + 12;
		} else if (at(s, ne, end, "年") && !memchr(s + i, '.', ne - i) &&
			   !memchr(s + i, ',', ne - i) && ne - i >= 4) {
			/* "2024年"; "152022年" is a page number glued to a year */
			int y = atoi(s + ne - 4);
			if (y < 1949 || y > 2100) {
				i = ne;
				continue;
			}
			t.kind = TK_YEAR;
			t.year = y;
			t.beg = ne - 4;
			t.line = au_line_at(d, t.beg);
			t.end = ne + 3;
		} else {
			int unit = unit_at(s, ne, end, &ulen, &uflags);
			if (unit < 0 && cell_unit >= 0 && ne == end)
				unit = cell_unit;
			if (unit < 0) {
				/* a bare 0 among figures: "收入为 0，" */
				if (ne - i == 1 && s[i] == '0' && !neg && ends_with_at(s, beg, nb, "为") &&
				    (ne >= end || sep_len(s, ne, end))) {
					t.kind = TK_AMOUNT;
					t.flags |= TF_BARE;
					t.amt.fen = 0;
					t.amt.ulp = 1;
					t.amt.unit = FISC_UNIT_WAN;
					t.end = ne;
				} else {
					i = ne;
					continue;
				}
			} else {
				t.kind = TK_AMOUNT;
				t.end = ne + ulen;
				t.flags |= uflags;
				if (fisc_amount_parse(s + nb, ne - nb, (fisc_unit)unit, &t.amt) != FISC_OK) {
					i = ne;
					continue;
				}
				if (t.flags & TF_WANYI) {
					/* "1.21万亿" is 12100亿元, to ±0.005万亿 */
					t.flags &= ~(unsigned)TF_WANYI;
					if (t.amt.fen > INT64_MAX / 10000 || t.amt.fen < -(INT64_MAX / 10000)) {
						i = ne;
						continue;
					}
					t.amt.fen *= 10000;
					t.amt.ulp *= 10000;
					t.amt.decimals = t.amt.decimals > 4 ? (int8_t)(t.amt.decimals - 4) : 0;
				}
				/* 约 / 超过 / 逾 before the figure */
				if (ends_with_at(s, beg, nb, "约") || ends_with_at(s, beg, nb, "近"))
					t.flags |= TF_APPROX;
				if (ends_with_at(s, beg, nb, "超") || ends_with_at(s, beg, nb, "超过") ||
				    ends_with_at(s, beg, nb, "逾") || ends_with_at(s, beg, nb, "不低于") ||
				    ends_with_at(s, beg, nb, "不超过"))
					t.flags |= TF_BOUND;
			}
			t.eff = t.amt;
		}
		au_tok *p = AU_PUSH_HEAP(d->toks);
		*p = t;
		i = t.end;
	}
}

/* Where the sentence that begins at s[i] ends: its terminator ("。", "！",
** "？", "!", "?"), or end. A character at a time: no terminator begins
** inside a three-byte character. */
static size_t sentence_end(const char *s, size_t i, size_t end)
{
	const unsigned char *u = (const unsigned char *)s;
	while (i < end) {
		if (u[i] == '!' || u[i] == '?')
			return i;
		if (u[i] >= 0xE0 && u[i] < 0xF0 && i + 3 <= end && (u[i + 1] & 0xC0) == 0x80 &&
		    (u[i + 2] & 0xC0) == 0x80) {
			/* "。" E3 80 82, "！" EF BC 81, "？" EF BC 9F */
			if ((u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x82) ||
			    (u[i] == 0xEF && u[i + 1] == 0xBC && (u[i + 2] == 0x81 || u[i + 2] == 0x9F)))
				return i;
			i += 3;
		} else {
			i++;
		}
	}
	return end;
}

void au_lex(au_doc *d)
{
	const char *s = d->s;
	for (size_t b = 0; b < d->blocks.n; b++) {
		au_block *bl = &d->blocks.v[b];
		if (bl->kind == BK_ROW)
			continue; /* table.c reads cells with the table's unit */
		size_t i = bl->beg;
		while (i < bl->end) {
			size_t j = sentence_end(s, i, bl->end);
			int term = j < bl->end ? '.' : 0;
			au_sent *se = AU_PUSH_HEAP(d->sents);
			int si = (int)d->sents.n - 1;
			if (!d->blocks.v[b].nsent)
				d->blocks.v[b].sent0 = si;
			d->blocks.v[b].nsent++;
			se->beg = i;
			se->end = j;
			se->block = (int)b;
			se->term = term;
			se->tok0 = (int)d->toks.n;
			scan_span(d, i, j, si, 0, -1);
			se = &d->sents.v[si];
			se->ntok = (int)d->toks.n - se->tok0;
			if (j < bl->end)
				j += ((unsigned char)s[j] < 0x80) ? 1 : 3;
			i = j;
		}
	}
	d->nlex = d->toks.n;
	/* analyse amounts once the sentence's tokens are all known */
	for (size_t si = 0; si < d->sents.n; si++) {
		au_sent *se = &d->sents.v[si];
		for (int k = se->tok0; k < se->tok0 + se->ntok; k++)
			if (d->toks.v[k].kind == TK_AMOUNT)
				analyse_amount(d, se, k);
		/* a bare 0 takes the unit of the figures around it */
		for (int k = se->tok0; k < se->tok0 + se->ntok; k++) {
			au_tok *t = &d->toks.v[k];
			if (t->kind != TK_AMOUNT || !(t->flags & TF_BARE))
				continue;
			for (int q = se->tok0; q < se->tok0 + se->ntok; q++)
				if (d->toks.v[q].kind == TK_AMOUNT && !(d->toks.v[q].flags & TF_BARE)) {
					t->amt.unit = d->toks.v[q].amt.unit;
					break;
				}
			t->eff = t->amt;
		}
	}
}

/* For table.c: scan one cell whose figures are in `unit`. */
void au_lex_cell(au_doc *d, size_t beg, size_t end, int unit)
{
	scan_span(d, beg, end, -1, TF_CELL, unit);
}

/* Blocks and sentences are in text order and do not overlap ([beg, end)),
** so the only one that can hold pos is the last one beginning at or before it. */
int au_block_at(const au_doc *d, size_t pos)
{
	size_t lo = 0, hi = d->blocks.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->blocks.v[mid].beg <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && pos < d->blocks.v[lo - 1].end ? (int)lo - 1 : -1;
}

int au_sent_at(const au_doc *d, size_t pos)
{
	size_t lo = 0, hi = d->sents.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->sents.v[mid].beg <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && pos < d->sents.v[lo - 1].end ? (int)lo - 1 : -1;
}

size_t au_tok_at(const au_doc *d, size_t pos)
{
	size_t lo = 0, hi = d->nlex;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->toks.v[mid].beg < pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
