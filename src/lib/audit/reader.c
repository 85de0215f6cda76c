/*
** reader.c — turn the text of a published report into a normalised stream
** of blocks (paragraphs, headings, table rows) whose every byte remembers the
** original line it came from.
**
** Published reports reach us as text extracted from PDF or Word: lines are
** hard-wrapped (often with blank lines between the halves of a sentence),
** numbers are split from their units across lines, page numbers sit inside
** words ("转-3-移支付", "37.40亿—2—元"), Kangxi radicals stand for ordinary
** ideographs and digits may be full-width. Each line is made valid UTF-8,
** normalised with NFKC (utf8proc) except for the ideographic comma "，",
** which must stay distinct from the ASCII comma that groups thousands, and
** cleaned; lines are then joined into paragraphs.
*/
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "audit/internal.h"
#include "model/util.h"

_Thread_local int au_oom;

void *au_push(fisc_arena *a, void **v, size_t *n, size_t *cap, size_t elem)
{
	/* Scratch for callers when memory is exhausted: big enough for any
	** element type the audit pushes. */
	static _Thread_local _Alignas(16) unsigned char scratch[512];
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		void *nv = fisc_arena_alloc(a, nc * elem);
		if (!nv || elem > sizeof scratch) {
			au_oom = 1;
			memset(scratch, 0, sizeof scratch);
			return scratch;
		}
		if (*n)
			memcpy(nv, *v, *n * elem);
		*v = nv;
		*cap = nc;
	}
	void *p = (char *)*v + *n * elem;
	memset(p, 0, elem);
	(*n)++;
	return p;
}

size_t au_utf8_dec(const char *s, size_t n, uint32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c);
	if (k <= 0) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = (uint32_t)c;
	return (size_t)k;
}

int au_is_han(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

/* ---- one line: valid UTF-8, NFKC, cleaned --------------------------------- */

typedef struct sbuf {
	char *p;
	size_t n, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 256;
		while (nc < b->n + n + 1)
			nc *= 2;
		char *np = realloc(b->p, nc);
		if (!np) {
			au_oom = 1;
			return;
		}
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

/* CJK Radicals Supplement characters have no compatibility decomposition,
** so NFKC leaves them alone, yet PDF extractors emit some of them for the
** ordinary simplified ideograph ("增⻓" for 增长). */
static const struct {
	uint32_t from;
	const char *to;
} radicals[] = {
	{0x2EA0, "民"}, {0x2EC5, "见"}, {0x2EC6, "角"}, {0x2ECB, "车"},
	{0x2ED3, "长"}, {0x2ED4, "门"}, {0x2ED8, "青"}, {0x2EDA, "页"}, {0x2EDB, "风"},
	{0x2EDC, "飞"}, {0x2EDD, "食"}, {0x2EE2, "马"}, {0x2EE5, "鱼"}, {0x2EE6, "鸟"},
	{0x2EE9, "黄"}, {0x2EEC, "齐"}, {0x2EEE, "齿"}, {0x2EEF, "龙"}, {0x2EE4, "鬼"},
};

/* NFKC of s[0, n), except that "，" (U+FF0C) is kept: under NFKC it would
** become the ASCII comma that also separates thousands ("401,746"). Invalid
** bytes become U+FFFD, control characters other than tab are dropped. */
static void nfkc_line(const char *s, size_t n, sbuf *out)
{
	sbuf run = {0};
	size_t i = 0;
	for (;;) {
		uint32_t cp = 0;
		size_t k = 0;
		int flush = i >= n;
		if (!flush) {
			k = au_utf8_dec(s + i, n - i, &cp);
			flush = cp == 0xFF0C || cp == 0x2212;
			for (size_t r = 0; !flush && r < sizeof radicals / sizeof *radicals; r++)
				flush = radicals[r].from == cp;
		}
		if (flush && run.n) {
			utf8proc_uint8_t *m = NULL;
			utf8proc_ssize_t mn = utf8proc_map((const utf8proc_uint8_t *)run.p,
							   (utf8proc_ssize_t)run.n, &m,
							   UTF8PROC_STABLE | UTF8PROC_COMPOSE |
							   UTF8PROC_COMPAT);
			if (mn >= 0 && m)
				sb_put(out, (const char *)m, (size_t)mn);
			else
				sb_put(out, run.p, run.n);
			free(m);
			run.n = 0;
		}
		if (i >= n)
			break;
		if (cp == 0xFF0C) {
			sb_put(out, "，", 3);
		} else if (cp == 0x2212) {
			sb_put(out, "-", 1); /* MINUS SIGN has no decomposition */
		} else if (flush) {
			for (size_t r = 0; r < sizeof radicals / sizeof *radicals; r++)
				if (radicals[r].from == cp)
					sb_put(out, radicals[r].to, strlen(radicals[r].to));
		} else if (cp == 0xFFFD && k == 1) {
			sb_put(&run, "\xEF\xBF\xBD", 3);
		} else if (cp < 0x20 && cp != '\t') {
			/* control characters carry nothing */
		} else {
			sb_put(&run, s + i, k);
		}
		i += k;
	}
	free(run.p);
}

static int is_dash(const char *s, size_t n, size_t *len)
{
	if (n >= 1 && s[0] == '-') {
		*len = 1;
		return 1;
	}
	/* — U+2014, ― U+2015, – U+2013 */
	if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x94 || (unsigned char)s[2] == 0x95 ||
	     (unsigned char)s[2] == 0x93)) {
		*len = 3;
		return 1;
	}
	return 0;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

/* Clean a normalised line in place: drop Markdown emphasis and Word bookmark
** residue, white space (kept only between two Latin letters), page numbers
** printed inside the text, and read "郾" between digits as the decimal point
** it stands for in some PDF fonts. */
static size_t clean_line(char *s, size_t n)
{
	sbuf o = {0};
	size_t i = 0;
	while (i < n) {
		if (s[i] == '*' && i + 1 < n && s[i + 1] == '*') {
			i += 2;
			continue;
		}
		if (s[i] == '[' && n - i > 10 && !memcmp(s + i, "[bookmark:", 10)) {
			const char *e = memchr(s + i, ']', n - i);
			if (e) {
				i = (size_t)(e - s) + 1;
				continue;
			}
		}
		if (s[i] == ' ') {
			size_t j = i;
			while (j < n && s[j] == ' ')
				j++;
			if (o.n && is_alpha(o.p[o.n - 1]) && j < n && is_alpha(s[j]))
				sb_put(&o, " ", 1);
			i = j;
			continue;
		}
		/* 郾 (E9 83 BE) between digits */
		if (n - i >= 3 && (unsigned char)s[i] == 0xE9 && (unsigned char)s[i + 1] == 0x83 &&
		    (unsigned char)s[i + 2] == 0xBE && o.n && is_digit(o.p[o.n - 1]) &&
		    i + 3 < n && is_digit(s[i + 3])) {
			sb_put(&o, ".", 1);
			i += 3;
			continue;
		}
		/* page number: -3-, —2—, at the line start or before a non-digit */
		size_t dl, dl2;
		if (is_dash(s + i, n - i, &dl) &&
		    !(o.n && (o.p[o.n - 1] == '-' || (o.n >= 3 && is_dash(o.p + o.n - 3, 3, &dl2))))) {
			size_t j = i + dl, k = j;
			while (k < n && k - j < 4 && (is_digit(s[k]) || s[k] == ' '))
				k++;
			size_t ndig = 0;
			for (size_t q = j; q < k; q++)
				ndig += is_digit(s[q]);
			if (ndig >= 1 && ndig <= 3 && k < n && is_dash(s + k, n - k, &dl2)) {
				size_t after = k + dl2;
				int ok = o.n == 0 || after >= n || !is_digit(s[after]);
				if (ok && after < n && is_dash(s + after, n - after, &dl))
					ok = 0; /* part of a longer dash run */
				if (ok) {
					i = after;
					continue;
				}
			}
		}
		sb_put(&o, s + i, 1);
		i++;
	}
	size_t len = o.n;
	if (len)
		memcpy(s, o.p, len);
	s[len] = 0;
	free(o.p);
	return len;
}

/* ---- markers ------------------------------------------------------------- */

static const char *const cn_digits[] = {"零", "一", "二", "三", "四", "五",
					"六", "七", "八", "九", "十"};

int au_cn_number(const char *s, size_t n, size_t *len)
{
	int val = 0, cur = 0, seen = 0;
	size_t i = 0;
	while (i + 3 <= n) {
		int d = -1;
		for (int k = 0; k <= 10; k++)
			if (!memcmp(s + i, cn_digits[k], 3))
				d = k;
		if (d < 0)
			break;
		seen = 1;
		if (d == 10) {
			val += (cur ? cur : 1) * 10;
			cur = 0;
		} else {
			cur = d;
		}
		i += 3;
	}
	*len = i;
	return seen ? val + cur : 0;
}

int au_marker(const char *s, size_t n, int *ord, size_t *len)
{
	size_t k;
	*ord = 0;
	*len = 0;
	if (n >= 6 && !memcmp(s, "第", 3)) {
		int v = au_cn_number(s + 3, n - 3, &k);
		if (v && n >= 3 + k + 6 && !memcmp(s + 3 + k, "部分", 6)) {
			*ord = v;
			*len = 3 + k + 6;
			return MK_PART;
		}
	}
	int v = au_cn_number(s, n, &k);
	if (v && k < n) {
		if (n - k >= 3 && !memcmp(s + k, "、", 3)) {
			*ord = v;
			*len = k + 3;
			return MK_CN;
		}
		if (n - k >= 3 && !memcmp(s + k, "是", 3)) {
			*ord = v;
			*len = k + 3;
			return MK_SHI;
		}
	}
	if (n >= 3 && s[0] == '(') {
		v = au_cn_number(s + 1, n - 1, &k);
		if (v && 1 + k < n && s[1 + k] == ')') {
			*ord = v;
			*len = k + 2;
			return MK_PCN;
		}
		size_t j = 1;
		while (j < n && j < 4 && is_digit(s[j]))
			j++;
		if (j > 1 && j < n && s[j] == ')') {
			*ord = atoi(s + 1);
			*len = j + 1;
			return MK_PNUM;
		}
	}
	size_t j = 0;
	while (j < n && j < 3 && is_digit(s[j]))
		j++;
	if (j >= 1 && j <= 2 && j < n) {
		/* "1." or "1、" not followed by a digit (that would be 1.5亿元),
		** unless by a year: "1.2026年预算单位…" */
		int year_next = j + 8 <= n && is_digit(s[j + 1]) && is_digit(s[j + 2]) &&
				is_digit(s[j + 3]) && is_digit(s[j + 4]) && !memcmp(s + j + 5, "年", 3);
		if (s[j] == '.' && (j + 1 >= n || !is_digit(s[j + 1]) || year_next)) {
			*ord = atoi(s);
			*len = j + 1;
			return MK_NUM;
		}
		if (n - j >= 3 && !memcmp(s + j, "、", 3)) {
			*ord = atoi(s);
			*len = j + 3;
			return MK_NUM;
		}
	}
	size_t dl, dl2;
	if (is_dash(s, n, &dl) && dl == 3 && is_dash(s + dl, n - dl, &dl2) && dl2 == 3) {
		*len = 6;
		return MK_DASH;
	}
	if (n >= 3 && !memcmp(s, "【", 3)) {
		*len = 0;
		return MK_GLOSS;
	}
	return MK_NONE;
}

/* ---- the document ---------------------------------------------------------- */

typedef struct line_info {
	char *t;        /* cleaned text (working arena) */
	size_t n;
	int kind;       /* 0 blank, BK_TEXT, BK_MDHEAD, BK_ROW */
	int marker, ordinal, md, dashbullet;
	size_t mlen;
	int width;      /* codepoints */
	int term;       /* ends with a sentence terminator */
} line_info;

static int ends_with_term(const char *t, size_t n)
{
	static const char *const terms[] = {"。", "：", ":", "！", "!", "？", "?"};
	for (size_t k = 0; k < sizeof terms / sizeof *terms; k++) {
		size_t m = strlen(terms[k]);
		if (n >= m && !memcmp(t + n - m, terms[k], m))
			return 1;
	}
	return 0;
}

static int width_of(const char *t, size_t n)
{
	int w = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += au_utf8_dec(t + i, n - i, &cp);
		w++;
	}
	return w;
}

static void emit(au_doc *d, const char *t, size_t n, int line)
{
	if (d->n + n + 2 > d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 4096;
		while (nc < d->n + n + 2)
			nc *= 2;
		char *ns = fisc_arena_alloc(d->w, nc);
		int *nl = fisc_arena_alloc(d->w, nc * sizeof(int));
		if (!ns || !nl) {
			au_oom = 1;
			return;
		}
		if (d->n) {
			memcpy(ns, d->s, d->n);
			memcpy(nl, d->lineof, d->n * sizeof(int));
		}
		d->s = ns;
		d->lineof = nl;
		d->cap = nc;
	}
	memcpy(d->s + d->n, t, n);
	for (size_t i = 0; i < n; i++)
		d->lineof[d->n + i] = line;
	d->n += n;
	d->s[d->n] = 0;
}

static void close_block(au_doc *d, au_block *b)
{
	if (!b)
		return;
	b->end = d->n;
	emit(d, "\n", 1, b->last_line);
}

int au_read(au_doc *d, const char *text, size_t len)
{
	/* split into lines */
	size_t nl = 1;
	for (size_t i = 0; i < len; i++)
		nl += text[i] == '\n';
	line_info *L = fisc_arena_alloc(d->w, (nl + 1) * sizeof *L);
	if (!L)
		return au_oom = 1, -1;
	sbuf nb = {0};
	size_t start = 0;
	int nlines = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		size_t e = i;
		if (e > start && text[e - 1] == '\r')
			e--;
		line_info *li = &L[nlines++];
		nb.n = 0;
		nfkc_line(text + start, e - start, &nb);
		char *t = fisc_arena_strndup(d->w, nb.p ? nb.p : "", nb.n);
		if (!t) {
			au_oom = 1;
			break;
		}
		size_t n = nb.n;
		/* Markdown heading / bullet before the spaces go */
		size_t k = 0;
		while (k < n && t[k] == ' ')
			k++;
		if (k < n && t[k] == '#') {
			while (k < n && t[k] == '#')
				li->md++, k++;
		} else if (k + 1 < n && t[k] == '-' && t[k + 1] == ' ') {
			li->dashbullet = 1;
			k += 2;
		}
		t += k;
		n -= k;
		if (memchr(t, '\t', n)) {
			li->kind = BK_ROW;
			/* clean each cell on its own: spaces inside labels ("收 入") go */
			sbuf row = {0};
			size_t c0 = 0;
			for (size_t q = 0; q <= n; q++) {
				if (q < n && t[q] != '\t')
					continue;
				char *cell = fisc_arena_strndup(d->w, t + c0, q - c0);
				if (cell) {
					size_t cn = clean_line(cell, q - c0);
					sb_put(&row, cell, cn);
				}
				if (q < n)
					sb_put(&row, "\t", 1);
				c0 = q + 1;
			}
			li->t = fisc_arena_strndup(d->w, row.p ? row.p : "", row.n);
			li->n = row.n;
			free(row.p);
			/* a row with no content at all is blank */
			int any = 0;
			for (size_t q = 0; q < li->n; q++)
				any |= li->t[q] != '\t';
			if (!any)
				li->kind = 0;
		} else {
			li->n = clean_line(t, n);
			li->t = t;
			if (li->n == 0)
				li->kind = 0;
			else
				li->kind = li->md ? BK_MDHEAD : BK_TEXT;
		}
		if (li->kind == BK_TEXT || li->kind == BK_MDHEAD) {
			li->marker = au_marker(li->t, li->n, &li->ordinal, &li->mlen);
			if (li->dashbullet && !li->marker)
				li->marker = MK_DASH;
			li->width = width_of(li->t, li->n);
			li->term = ends_with_term(li->t, li->n);
		}
		start = i + 1;
	}
	free(nb.p);
	d->nlines = nlines;
	/* A file ending in "\n" has no last line. */
	if (nlines && len && text[len - 1] == '\n')
		d->nlines = --nlines;

	/* The width a hard-wrapped document wraps at: the commonest width of
	** the text lines of ordinary length. */
	int hist[64] = {0};
	for (int i = 0; i < nlines; i++)
		if (L[i].kind == BK_TEXT && !L[i].marker && !L[i].term && L[i].width >= 12 &&
		    L[i].width < 64)
			hist[L[i].width]++;
	int wrap = 0;
	for (int w = 12; w < 64; w++)
		if (hist[w] > hist[wrap] || (hist[w] == hist[wrap] && hist[w] && w > wrap))
			wrap = w;
	if (hist[wrap] < 3)
		wrap = 0;

	au_block *cur = NULL;
	int prev = -1;       /* previous non-blank line */
	int blank = 0;       /* blank lines since it */
	for (int i = 0; i < nlines; i++) {
		line_info *li = &L[i];
		if (!li->kind) {
			blank++;
			continue;
		}
		int newblock = 1;
		/* a "目录" line stands alone: what follows it is a table of contents */
		int toc = li->kind == BK_TEXT && li->n == 6 && !memcmp(li->t, "目录", 6);
		int prev_toc = prev >= 0 && L[prev].n == 6 && !memcmp(L[prev].t, "目录", 6);
		if (li->kind == BK_TEXT && cur && cur->kind == BK_TEXT && prev >= 0 &&
		    L[prev].kind == BK_TEXT && !li->marker && !L[prev].term && !toc && !prev_toc) {
			/* continue a wrapped paragraph: the previous line stops in the
			** middle of a clause or a figure ("…28.39 亿元，" / "…38.62" /
			** "亿元相等"), or ran to the wrap width (or is long) */
			int pw = L[prev].width;
			const char *pe = L[prev].t + L[prev].n;
			int open_end = L[prev].n && ((pe[-1] >= '0' && pe[-1] <= '9') ||
						     (L[prev].n >= 3 && (!memcmp(pe - 3, "，", 3) ||
									 !memcmp(pe - 3, "、", 3))));
			int cont_start = !strncmp(li->t, "亿元", 6) || !strncmp(li->t, "万元", 6) ||
					 !strncmp(li->t, "元", 3) || !strncmp(li->t, "，", 3);
			if (open_end || cont_start)
				newblock = 0;
			else if (blank <= 1)
				newblock = !(pw >= 60 || (wrap && pw * 10 >= wrap * 8) || (!wrap && pw >= 20));
			else
				newblock = !(pw >= 60 || (wrap && pw * 10 >= wrap * 8));
			/* a whole paragraph on one line ending in "；" (sentence
			** collections): the blank line ends it */
			if (!newblock && blank && pw > 60 && (wrap == 0 || pw > wrap * 2) &&
			    L[prev].n >= 3 && (!memcmp(L[prev].t + L[prev].n - 3, "；", 3) ||
					       L[prev].t[L[prev].n - 1] == ';'))
				newblock = 1;
		}
		if (newblock) {
			close_block(d, cur);
			cur = AU_PUSH(d->w, d->blocks);
			cur->kind = li->kind;
			cur->beg = d->n;
			cur->line = i + 1;
			cur->marker = li->marker;
			cur->ordinal = li->ordinal;
			cur->md = li->md;
			cur->body = d->n + li->mlen;
			cur->ctx = -1;
		}
		cur->last_line = i + 1;
		emit(d, li->t, li->n, i + 1);
		if (li->kind == BK_ROW) {
			/* record the cells */
			int nc = 1;
			for (size_t q = 0; q < li->n; q++)
				nc += li->t[q] == '\t';
			cur->cb = fisc_arena_alloc(d->w, nc * sizeof(size_t));
			cur->ce = fisc_arena_alloc(d->w, nc * sizeof(size_t));
			if (!cur->cb || !cur->ce) {
				au_oom = 1;
				break;
			}
			size_t c0 = cur->beg;
			cur->ncells = 0;
			for (size_t q = cur->beg; q <= d->n; q++) {
				if (q < d->n && d->s[q] != '\t')
					continue;
				cur->cb[cur->ncells] = c0;
				cur->ce[cur->ncells] = q;
				cur->ncells++;
				c0 = q + 1;
			}
		}
		prev = i;
		blank = 0;
	}
	close_block(d, cur);
	if (!d->s)
		emit(d, "", 0, 1);
	return au_oom ? -1 : 0;
}
