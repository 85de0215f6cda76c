/*
** context.c — which year, book, scope and phase each passage speaks of.
**
** The report's title names its kind and years; numbered headings (一、 /
** （一） / 1. / （1） / 第一部分, in whatever nesting the document uses) and
** Markdown captions set the context of the text under them; a sentence's
** subject (the words before its first figure) overrides it ("2024 年，高新区
** 一般公共预算收入…", "区级一般公共预算收入…"), and a figure's own label
** overrides that again ("区级支出" inside a 全区 table).
*/
#include <stdint.h>
#include <string.h>
#include "audit/internal.h"
#include "fisc/fact.h"

/* Words that name a scope or a book, each with what it names. All of them
** begin with a three-byte (CJK) character, which next_word relies on. */
typedef struct word {
	const char *w;
	size_t len;
	int val;
} word;
#define W(s, v) {s, sizeof s - 1, v}

/* The scope words of every level fisc writes reports for (the labels of
** fisc_region_default_labels) and those real reports use. 市县级 and 区县级
** name the levels below a province or a city: listed before 县级, which
** would read them as the level itself. */
static const word scope_words[] = {
	W("全区", FISC_SCOPE_ALL), W("全市", FISC_SCOPE_ALL), W("全县", FISC_SCOPE_ALL),
	W("全州", FISC_SCOPE_ALL), W("全省", FISC_SCOPE_ALL), W("全辖", FISC_SCOPE_ALL),
	W("全旗", FISC_SCOPE_ALL), W("全镇", FISC_SCOPE_ALL), W("市县级", FISC_SCOPE_LOWER),
	W("区县级", FISC_SCOPE_LOWER), W("县区级", FISC_SCOPE_LOWER), W("苏木乡镇级", FISC_SCOPE_LOWER),
	W("区本级", FISC_SCOPE_SELF), W("市本级", FISC_SCOPE_SELF), W("县本级", FISC_SCOPE_SELF),
	W("州本级", FISC_SCOPE_SELF), W("省本级", FISC_SCOPE_SELF), W("旗本级", FISC_SCOPE_SELF),
	W("区级", FISC_SCOPE_SELF), W("市级", FISC_SCOPE_SELF), W("县级", FISC_SCOPE_SELF),
	W("州级", FISC_SCOPE_SELF), W("省级", FISC_SCOPE_SELF), W("旗级", FISC_SCOPE_SELF),
	W("本级", FISC_SCOPE_SELF), W("镇级", FISC_SCOPE_LOWER), W("乡镇级", FISC_SCOPE_LOWER),
	W("乡级", FISC_SCOPE_LOWER), W("村级", FISC_SCOPE_LOWER),
};

static const word book_words[] = {
	W("一般公共预算", FISC_BOOK_GPB), W("公共财政预算", FISC_BOOK_GPB),
	W("政府性基金", FISC_BOOK_GFB), W("基金预算", FISC_BOOK_GFB),
	W("国有资本经营", FISC_BOOK_SOE), W("社会保险基金", FISC_BOOK_SSF),
	W("社保基金", FISC_BOOK_SSF), W("社会保障基金", FISC_BOOK_SSF),
};
#undef W

/* Does word w stand at s[i] (i + 3 <= end)? */
static inline int word_at(const char *s, size_t i, size_t end, const word *w)
{
	return s[i] == w->w[0] && s[i + 1] == w->w[1] && s[i + 2] == w->w[2] &&
	       i + w->len <= end && !memcmp(s + i + 3, w->w + 3, w->len - 3);
}

/* The next occurrence of any of ws[0, n) in s[from, end), in text order;
** of several words at one position the first in the table. Returns the
** word's index and its position in *at, or -1. This runs over every
** sentence's subject and every figure's label, so it passes over the text
** a character at a time and looks closer only where the second and third
** bytes of a character are both among those of the words' first
** characters. */
static int next_word(const char *s, size_t from, size_t end, const word *ws, size_t n, size_t *at)
{
	uint64_t b1 = 0, b2 = 0;
	for (size_t k = 0; k < n; k++) {
		b1 |= (uint64_t)1 << (ws[k].w[1] & 63);
		b2 |= (uint64_t)1 << (ws[k].w[2] & 63);
	}
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = from; i + 3 <= end;) {
		if (u[i] < 0xE0 || u[i] >= 0xF0 || (u[i + 1] & 0xC0) != 0x80 || (u[i + 2] & 0xC0) != 0x80) {
			i++;
			continue;
		}
		/* a whole three-byte character: no word can begin inside it */
		if ((b1 >> (u[i + 1] & 63) & 1) && (b2 >> (u[i + 2] & 63) & 1))
			for (size_t k = 0; k < n; k++)
				if (word_at(s, i, end, &ws[k])) {
					*at = i;
					return (int)k;
				}
		i += 3;
	}
	return -1;
}

/* The scope named first in s[beg, end) (at one position the longer word
** listed first wins: 区本级 before 本级), 0 if none. */
size_t au_scope_prefix(const char *s, size_t n)
{
	for (size_t k = 0; k < sizeof scope_words / sizeof *scope_words; k++)
		if (scope_words[k].len <= n && !memcmp(s, scope_words[k].w, scope_words[k].len))
			return scope_words[k].len;
	return 0;
}

/* "加市级财政税收返还和补助收入", "上解市级财政支出": a level named with
** 财政 in the words of a transfer is the other end of the transfer (the level
** that pays it or receives it), not the scope the figure is of. */
static int counterpart_level(const char *s, size_t at, size_t len, size_t beg, size_t end)
{
	static const char *const transfer[] = {"返还", "补助", "上解", "转移支付", "专款"};
	if (!(at + len + 6 <= end && !memcmp(s + at + len, "财政", 6)))
		return 0;
	for (size_t k = 0; k < sizeof transfer / sizeof *transfer; k++)
		if (au_has(s, beg, end, transfer[k]))
			return 1;
	return 0;
}

int au_scope_word(const char *s, size_t beg, size_t end)
{
	/* every scope word has 全 or 级 in it: most spans have neither */
	if (!au_has(s, beg, end, "全") && !au_has(s, beg, end, "级"))
		return 0;
	size_t at, from = beg;
	for (;;) {
		int k = next_word(s, from, end, scope_words, sizeof scope_words / sizeof *scope_words, &at);
		if (k < 0)
			return 0;
		if (!counterpart_level(s, at, scope_words[k].len, beg, end))
			return scope_words[k].val;
		from = at + scope_words[k].len;
	}
}

/* The book named first in s[beg, end), -1 if none. A word counts where it
** first occurs only: "预算稳定调节基金预算" there is not a book. */
int au_book_word(const char *s, size_t beg, size_t end)
{
	enum { N = sizeof book_words / sizeof *book_words };
	int seen[N] = {0};
	size_t at;
	/* Every book word has 预算 or 基金 at most 12 bytes (four characters)
	** from its start, or begins with 国有: no word begins before the first
	** of these less 12. */
	size_t from = end;
	static const char *const anchors[] = {"预算", "基金", "国有"};
	for (size_t k = 0; k < sizeof anchors / sizeof *anchors; k++) {
		size_t q = au_find_word(s, beg, end, anchors[k]);
		if (q == (size_t)-1)
			continue;
		q = k < 2 ? (q >= beg + 12 ? q - 12 : beg) : q;
		if (q < from)
			from = q;
	}
	for (size_t i = from;; i = at + 1) {
		int k = next_word(s, i, end, book_words, N, &at);
		if (k < 0)
			return -1;
		/* each word found here (k and any later one) occurs here first,
		** unless it was seen before */
		for (size_t q = (size_t)k; q < N; q++) {
			if (seen[q] || !word_at(s, at, end, &book_words[q]))
				continue;
			seen[q] = 1;
			if (!(book_words[q].val == FISC_BOOK_GFB && at >= beg + 12 &&
			      !memcmp(s + at - 12, "稳定调节", 12)))
				return book_words[q].val;
		}
	}
}

/* The phase a heading or title names. */
static int phase_word(const char *s, size_t beg, size_t end)
{
	if (au_has(s, beg, end, "调整预算") || au_has(s, beg, end, "调整方案"))
		return FISC_PHASE_ADJUSTED;
	if (au_has(s, beg, end, "决算") || au_has(s, beg, end, "自评"))
		return FISC_PHASE_FINAL;
	int exec = au_has(s, beg, end, "执行");
	int budget = au_has(s, beg, end, "草案") || au_has(s, beg, end, "预算安排") ||
		     au_has(s, beg, end, "部门预算") || au_has(s, beg, end, "单位预算");
	if (exec && !budget)
		return FISC_PHASE_EXECUTION;
	if (budget && !exec)
		return FISC_PHASE_BUDGET;
	return 0;
}

/* The year a span names, when it names exactly one (comparisons such as
** "比2022年" and "2021年以来" do not count). Found from each "年" (E5 B9 B4,
** looked for by its last byte): a year is the four digits before one. */
static int year_in(au_doc *d, size_t beg, size_t end, int *line)
{
	int y = 0;
	const char *s = d->s;
	size_t next = beg; /* where a year may begin: after the last one read */
	for (size_t q = beg + 6; q < end; q++) {
		const char *hit = memchr(s + q, 0xB4, end - q);
		if (!hit)
			break;
		q = (size_t)(hit - s);
		if ((unsigned char)s[q - 2] != 0xE5 || (unsigned char)s[q - 1] != 0xB9 || q - 6 < next)
			continue;
		size_t i = q - 6; /* s[i, i + 4) the digits, s[i + 4, i + 7) "年" */
		if (!(s[i] >= '1' && s[i] <= '2'))
			continue;
		int ok = 1;
		for (int k = 0; k < 4; k++)
			ok &= s[i + k] >= '0' && s[i + k] <= '9';
		if (!ok || (i > beg && s[i - 1] >= '0' && s[i - 1] <= '9'))
			continue;
		if ((i >= beg + 3 && (!memcmp(s + i - 3, "比", 3) || !memcmp(s + i - 3, "较", 3) ||
				      !memcmp(s + i - 3, "于", 3))) ||
		    (i + 13 <= end && !memcmp(s + i + 7, "以来", 6)))
			continue;
		int v = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 +
			(s[i + 3] - '0');
		if (v < 1949 || v > 2100)
			continue;
		if (y && y != v)
			return -1;
		if (!y && line)
			*line = au_line_at(d, i);
		y = v;
		next = i + 7;
	}
	return y;
}

void au_ctx_words(const char *s, size_t beg, size_t end, au_ctx *c, int headings)
{
	int b = au_book_word(s, beg, end);
	if (b >= 0)
		c->book = b;
	int sc = au_scope_word(s, beg, end);
	if (sc)
		c->scope = sc;
	if (headings) {
		int ph = phase_word(s, beg, end);
		if (ph)
			c->phase = ph;
	}
	if (au_has(s, beg, end, "金库"))
		c->qual = 1;
}

static void merge(au_ctx *into, const au_ctx *c)
{
	if (c->year)
		into->year = c->year;
	if (c->book >= 0)
		into->book = c->book;
	if (c->scope)
		into->scope = c->scope;
	if (c->phase)
		into->phase = c->phase;
	if (c->qual)
		into->qual = c->qual;
}

static au_ctx ctx_of_span(au_doc *d, size_t beg, size_t end, int headings)
{
	au_ctx c = {0, -1, 0, 0, 0};
	au_ctx_words(d->s, beg, end, &c, headings);
	int y = year_in(d, beg, end, NULL);
	if (y > 0)
		c.year = y;
	return c;
}

static int is_section_marker(int mk)
{
	return mk == MK_PART || mk == MK_CN || mk == MK_PCN || mk == MK_NUM || mk == MK_PNUM;
}

/* End of a block's heading: the whole block when it is a heading line,
** else its first sentence. */
static size_t heading_end(au_doc *d, const au_block *b)
{
	const unsigned char *s = (const unsigned char *)d->s;
	for (size_t i = b->beg; i < b->end; i++)
		if (s[i] == ':' || (s[i] == 0xE3 && !memcmp(s + i, "。", 3)) ||
		    (s[i] == 0xEF && !memcmp(s + i, "：", 3)))
			return i;
	return b->end;
}

/* Does a block hold a table's run-together figures ("3,680,000三、教育支出
** 180,000"): a comma after a digit, or five digits in a row? */
static int table_residue(au_doc *d, const au_block *bl)
{
	int run = 0;
	for (size_t i = bl->body; i < bl->end; i++) {
		char c = d->s[i];
		run = (c >= '0' && c <= '9') ? run + 1 : (c == ',' && run ? run : 0);
		if (run >= 5 || (c == ',' && run))
			return 1;
	}
	return 0;
}

/* Does a block with a marker read as a heading line: at most 40 characters
** after the marker, no sentence ending before its end, no figures, no clause
** left open? */
static int heading_line(au_doc *d, const au_block *bl)
{
	/* NFKC has made "；" ASCII; "，" stays (reader.c) */
	char last = bl->end > bl->beg ? d->s[bl->end - 1] : 0;
	int open = last == ';' || last == ',' ||
		   (bl->end >= bl->beg + 3 && (!memcmp(d->s + bl->end - 3, "，", 3) ||
					       !memcmp(d->s + bl->end - 3, "、", 3)));
	if (open)
		return 0;
	int w = 0;
	for (size_t i = bl->body; i < bl->end && w <= 40; i++)
		w += ((unsigned char)d->s[i] & 0xC0) != 0x80;
	if (w > 40 || heading_end(d, bl) != bl->end)
		return 0;
	/* a heading names a section: no figures */
	return !(au_has(d->s, bl->beg, bl->end, "万元") || au_has(d->s, bl->beg, bl->end, "亿元") ||
		 au_has(d->s, bl->beg, bl->end, "%"));
}

static void title_of(au_doc *d)
{
	static const char *const kw[] = {"报告", "说明", "预算", "决算", "报表", "自评", "句子"};
	int tb = -1;
	for (size_t b = 0; b < d->blocks.n && b < 10; b++) {
		au_block *bl = &d->blocks.v[b];
		if (bl->kind == BK_ROW)
			continue;
		for (size_t k = 0; k < sizeof kw / sizeof *kw && tb < 0; k++)
			if (au_has(d->s, bl->beg, bl->end, kw[k]) && bl->end - bl->beg < 600)
				tb = (int)b;
		if (tb >= 0)
			break;
	}
	if (tb < 0) {
		d->title = "";
		d->kind = "unknown";
		d->title_ctx = (au_ctx){0, -1, 0, 0, 0};
		return;
	}
	size_t beg = d->blocks.v[tb].beg, end = d->blocks.v[tb].end;
	/* a title printed on two lines */
	if (tb > 0) {
		au_block *p = &d->blocks.v[tb - 1];
		if (p->kind == BK_TEXT && !p->marker && p->end - p->beg < 90 && p->end + 1 == beg &&
		    !au_has(d->s, p->beg, p->end, "。") && !au_has(d->s, p->beg, p->end, "会议"))
			beg = p->beg;
	}
	if ((size_t)tb + 1 < d->blocks.n) {
		au_block *nx = &d->blocks.v[tb + 1];
		if (nx->kind == BK_TEXT && !nx->marker && nx->end - nx->beg < 90 &&
		    !au_has(d->s, nx->beg, nx->end, "。") &&
		    (au_has(d->s, nx->beg, nx->end, "报告") || au_has(d->s, nx->beg, nx->end, "预算")))
			end = nx->end;
	}
	/* the title must not swallow a whole paragraph */
	if (end - beg > 400)
		end = beg + 400;
	char *t = au_span(d, beg, end);
	for (char *p = t; *p; p++)
		if (*p == '\n')
			*p = ' ';
	d->title = t;
	const char *s = d->s;
	if (au_has(s, beg, end, "绩效自评") || au_has(s, beg, end, "绩效评价"))
		d->kind = "performance_self_evaluation";
	else if (au_has(s, beg, end, "部门决算") || au_has(s, beg, end, "单位决算"))
		d->kind = "department_final_accounts";
	else if (au_has(s, beg, end, "部门预算") || au_has(s, beg, end, "单位预算"))
		d->kind = "department_budget";
	else if (au_has(s, beg, end, "执行") &&
		 (au_has(s, beg, end, "草案") || au_has(s, beg, end, "预算安排")))
		d->kind = "budget_report";
	else if (au_has(s, beg, end, "决算"))
		d->kind = "final_accounts";
	else if (au_has(s, beg, end, "执行"))
		d->kind = "execution_report";
	else
		d->kind = "unknown";
	/* the report's years: every year its title names */
	d->nyears = 0;
	for (size_t i = beg; i + 7 <= end && d->nyears < 4; i++) {
		int ok = 1;
		for (int k = 0; k < 4; k++)
			ok &= s[i + k] >= '0' && s[i + k] <= '9';
		if (!ok || memcmp(s + i + 4, "年", 3) || (i > beg && s[i - 1] >= '0' && s[i - 1] <= '9'))
			continue;
		int v = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
		int dup = 0;
		for (int k = 0; k < d->nyears; k++)
			dup |= d->years[k] == v;
		if (!dup && v >= 1949 && v <= 2100)
			d->years[d->nyears++] = v;
	}
	d->title_ctx = ctx_of_span(d, beg, end, 1);
	if (d->nyears != 1)
		d->title_ctx.year = 0;
	if (!strcmp(d->kind, "performance_self_evaluation"))
		d->title_ctx.phase = FISC_PHASE_FINAL;
	if (!strcmp(d->kind, "budget_report"))
		d->title_ctx.phase = 0; /* both execution and budget: headings decide */
}

/* "目录", "目 录", "目      录": the title of a table of contents. */
static int toc_title(const au_doc *d, const au_block *bl)
{
	char buf[16];
	size_t n = 0;
	for (size_t i = bl->beg; i < bl->end; i++) {
		if (d->s[i] == ' ' || d->s[i] == '\t')
			continue;
		if (n == sizeof buf - 1)
			return 0;
		buf[n++] = d->s[i];
	}
	buf[n] = 0;
	return !strcmp(buf, "目录");
}

/* A heading that ends in a page number glued to its words ("部门概况3",
** "年末结转和结余情况10"): a line of a contents list. */
static int page_numbered(const au_doc *d, const au_block *bl)
{
	if (!bl->marker || bl->end <= bl->body)
		return 0;
	size_t e = bl->end;
	while (e > bl->body && (d->s[e - 1] == ' ' || d->s[e - 1] == '\t'))
		e--;
	size_t k = e;
	while (k > bl->body && d->s[k - 1] >= '0' && d->s[k - 1] <= '9')
		k--;
	if (k == e || e - k > 3 || k == bl->body)
		return 0;
	/* the page number follows words, not a figure or its unit */
	unsigned char c = (unsigned char)d->s[k - 1];
	return c >= 0x80 || c == ')' || c == '.';
}

/* Does sentence si speak of transfers paid to the levels below ("对镇级转移
** 支付41948万元。其中一般性转移支付23591万元")? Its 一般性 / 专项转移支付 are
** then parts of 补助下级支出, not the transfers this level received. A
** sentence opening with 其中 continues the one before it in its block. */
static int pays_lower(const au_doc *d, int si)
{
	static const char *const lower[] = {"对下", "对镇", "对乡", "对街道", "对市县", "对区县",
					    "对县区", "对苏木", "对村"};
	for (int k = 0; k < 2 && si >= 0; k++, si--) {
		const au_sent *se = &d->sents.v[si];
		if (au_has(d->s, se->beg, se->end, "补助下级"))
			return 1;
		for (size_t w = 0; w < sizeof lower / sizeof *lower; w++) {
			size_t at = au_find_word(d->s, se->beg, se->end, lower[w]);
			if (at != (size_t)-1 && au_has(d->s, at, se->end, "转移支付"))
				return 1;
		}
		size_t head = se->end - se->beg < 12 ? se->end - se->beg : 12;
		if (!au_has(d->s, se->beg, se->beg + head, "其中") || si == 0 ||
		    d->sents.v[si - 1].block != se->block)
			return 0;
	}
	return 0;
}

void au_context(au_doc *d)
{
	title_of(d);
	au_ctx *base = AU_PUSH(d->w, d->ctxs);
	*base = d->title_ctx;

	/* levels: the first marker style met is level 1, a new style met inside
	** a level-k section is level k+1, and a style keeps its level */
	int style_level[MK_COUNT] = {0};
	struct {
		int level, ordinal;
		au_ctx c;
	} stack[16];
	int sp = 0;
	au_ctx caption = {0, -1, 0, 0, 0};
	int have_caption = 0;
	int toc = 0; /* inside a table of contents: headings listed, not sections */
	int toc_first = -1; /* the contents' first heading */
	for (size_t b = 0; b < d->blocks.n; b++) {
		au_block *bl = &d->blocks.v[b];
		if (bl->kind == BK_TEXT || bl->kind == BK_MDHEAD)
			bl->heading_only = bl->kind == BK_MDHEAD ||
					   (bl->marker && !table_residue(d, bl) && heading_line(d, bl));
		int toc_head = bl->kind == BK_TEXT && !bl->marker && toc_title(d, bl);
		if (toc_head || (!toc && bl->marker && bl->heading_only && page_numbered(d, bl) &&
				 b + 1 < d->blocks.n && page_numbered(d, &d->blocks.v[b + 1]))) {
			/* a contents list, with its title or without it (headings that
			** end in their page numbers) */
			toc = 1;
			toc_first = -1;
		}
		if (toc && !toc_head) {
			int listed = bl->marker && (bl->heading_only || page_numbered(d, bl));
			/* an unnumbered entry ("附件：…预算表") between numbered ones */
			if (!listed && bl->kind == BK_TEXT && bl->end - bl->beg < 90 &&
			    !au_has(d->s, bl->beg, bl->end, "。") && b + 1 < d->blocks.n &&
			    d->blocks.v[b + 1].marker)
				listed = 1;
			if (!listed)
				toc = 0;
			else if (toc_first < 0)
				toc_first = (int)b;
			else if (bl->marker == d->blocks.v[toc_first].marker &&
				 bl->ordinal == d->blocks.v[toc_first].ordinal && !page_numbered(d, bl))
				toc = 0; /* the first heading listed comes again: the body begins */
		}
		if ((bl->kind == BK_TEXT || bl->kind == BK_MDHEAD) && is_section_marker(bl->marker) && !toc) {
			int mk = bl->marker;
			int lv = style_level[mk];
			if (!lv) {
				lv = sp ? stack[sp - 1].level + 1 : 1;
				/* a new style that continues another's count ("六、" after
				** "5、") takes that style's place */
				for (int k = sp - 1; k >= 0 && bl->ordinal > 1; k--)
					if (stack[k].ordinal == bl->ordinal - 1) {
						lv = stack[k].level;
						break;
					}
				style_level[mk] = lv;
			}
			while (sp && stack[sp - 1].level >= lv)
				sp--;
			if (sp < 16) {
				stack[sp].level = lv;
				stack[sp].ordinal = bl->ordinal;
				/* a heading printed on its own line speaks for the text
				** under it; one that opens a paragraph only for that
				** paragraph (below) */
				stack[sp].c = bl->heading_only ? ctx_of_span(d, bl->body, heading_end(d, bl), 1)
							       : (au_ctx){0, -1, 0, 0, 0};
				sp++;
			}
			bl->level = lv;
			have_caption = 0;
		} else if (bl->kind == BK_MDHEAD) {
			/* an unnumbered heading: a caption (often a table's title) */
			caption = ctx_of_span(d, bl->beg, bl->end, 1);
			have_caption = 1;
		}
		au_ctx c = d->title_ctx;
		for (int k = 0; k < sp; k++)
			merge(&c, &stack[k].c);
		if ((bl->kind == BK_TEXT || bl->kind == BK_MDHEAD) && is_section_marker(bl->marker) &&
		    !bl->heading_only) {
			au_ctx own = ctx_of_span(d, bl->body, heading_end(d, bl), 1);
			merge(&c, &own);
		}
		if (have_caption)
			merge(&c, &caption);
		/* 金库 qualifies one caption, not what follows under later headings */
		if (!have_caption)
			c.qual = 0;
		au_ctx *nc = AU_PUSH(d->w, d->ctxs);
		*nc = c;
		bl->ctx = (int)d->ctxs.n - 1;
	}

	/* sentences: the subject before the first figure */
	for (size_t si = 0; si < d->sents.n; si++) {
		au_sent *se = &d->sents.v[si];
		au_block *bl = &d->blocks.v[se->block];
		se->ctx = d->ctxs.v[bl->ctx];
		se->ctx.qual = 0;
		/* within a paragraph a sentence that names no book, scope or year
		** goes on about the previous one's ("…收入预计126亿元。加上级补助
		** 收入等185亿元，收入总计311亿元。") */
		if (si > 0 && d->sents.v[si - 1].block == se->block) {
			au_ctx pc = d->sents.v[si - 1].ctx;
			pc.qual = 0;
			merge(&se->ctx, &pc);
		}
		size_t subj_end = se->end;
		for (int k = se->tok0; k < se->tok0 + se->ntok; k++)
			if (d->toks.v[k].kind == TK_AMOUNT || d->toks.v[k].kind == TK_PERCENT) {
				subj_end = d->toks.v[k].beg;
				break;
			}
		size_t subj_beg = se->beg;
		if ((size_t)bl->body > subj_beg && bl->body <= subj_end && bl->heading_only == 0 &&
		    se->beg == bl->beg)
			subj_beg = bl->body;
		au_ctx sc = {0, -1, 0, 0, 0};
		au_ctx_words(d->s, subj_beg, subj_end, &sc, 0);
		int yl = 0;
		int y = year_in(d, subj_beg, subj_end, &yl);
		if (y > 0) {
			sc.year = y;
			se->year_explicit = 1;
			se->year_line = yl;
		}
		merge(&se->ctx, &sc);
		if (y < 0)
			se->ctx.year = 0; /* the subject names several years: which is unknown */
		se->ctx.qual = sc.qual;
	}

	/* figures: their own label */
	for (size_t ti = 0; ti < d->toks.n; ti++) {
		au_tok *t = &d->toks.v[ti];
		if (t->kind != TK_AMOUNT || t->sent < 0)
			continue;
		au_sent *se = &d->sents.v[t->sent];
		t->ctx = se->ctx;
		/* "上级补助收入、动用…、上年结转等512747万元": a group, no one item */
		t->item = strstr(t->label, "、") || au_endswith(t->label, "等") ? -1 : au_lex_item(t->label);
		if (t->item >= 0 && (!strcmp(au_item_id(t->item), "11002") || !strcmp(au_item_id(t->item), "11003")) &&
		    pays_lower(d, t->sent))
			t->item = -1;
		const char *raw = t->glabel ? t->glabel : "";
		size_t n = strlen(raw);
		au_ctx lc = {0, -1, 0, 0, 0};
		/* "从国有资本经营预算调入" names the other book, not this one */
		if (!strstr(raw, "调入") && !strstr(raw, "调出") && !strstr(raw, "从"))
			lc.book = au_book_word(raw, 0, n);
		lc.scope = au_scope_word(raw, 0, n);
		if (strstr(raw, "金库"))
			lc.qual = 1;
		if (strstr(t->raw, "调整") && (strstr(t->raw, "调整为") || strstr(t->raw, "调整支出预算为") ||
					       strstr(t->raw, "调整收入预算为")))
			lc.phase = FISC_PHASE_ADJUSTED;
		merge(&t->ctx, &lc);
		if (lc.qual)
			t->ctx.qual = 1;
		int ib = au_item_book(t->item, raw);
		if (ib != -2)
			t->ctx.book = ib;
	}
}
