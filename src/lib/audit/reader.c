/*
** reader.c — turn the text of a published report into a normalised stream
** of blocks (paragraphs, headings, table rows) whose every byte knows the
** original line it came from (au_line_at: one segment per line read).
**
** Published reports reach us as text extracted from PDF or Word: lines are
** hard-wrapped (often with blank lines between the halves of a sentence),
** numbers are split from their units across lines, page numbers sit inside
** words ("转-3-移支付", "37.40亿—2—元"), Kangxi radicals stand for ordinary
** ideographs and digits may be full-width. Each line is made valid UTF-8,
** normalised with NFKC (utf8proc) except for the ideographic comma "，",
** which must stay distinct from the ASCII comma that groups thousands, and
** cleaned; lines are then joined into paragraphs.
**
** This pass touches every byte of the input, so it does so once or twice:
** nearly all characters of a report are ASCII or CJK ideographs, which NFKC
** leaves alone and which are copied as they are; lines are cleaned in place
** in one buffer, and the stream is allocated once, at its final size.
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

void *au_push_heap(void **v, size_t *n, size_t *cap, size_t elem)
{
	static _Thread_local _Alignas(16) unsigned char scratch[512];
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		void *nv = elem <= sizeof scratch ? realloc(*v, nc * elem) : NULL;
		if (!nv) {
			au_oom = 1;
			memset(scratch, 0, sizeof scratch);
			return scratch;
		}
		*v = nv;
		*cap = nc;
	}
	void *p = (char *)*v + *n * elem;
	memset(p, 0, elem);
	(*n)++;
	return p;
}

void au_doc_free(au_doc *d)
{
	free(d->blocks.v);
	free(d->sents.v);
	free(d->toks.v);
	free(d->claims.v);
	d->blocks.v = NULL;
	d->sents.v = NULL;
	d->toks.v = NULL;
	d->claims.v = NULL;
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

/* Room for `extra` more bytes and a NUL at the end of b. */
static int sb_reserve(sbuf *b, size_t extra)
{
	if (b->n + extra + 1 <= b->cap)
		return 1;
	size_t nc = b->cap ? b->cap * 2 : 256;
	while (nc < b->n + extra + 1)
		nc *= 2;
	char *np = realloc(b->p, nc);
	if (!np) {
		au_oom = 1;
		return 0;
	}
	b->p = np;
	b->cap = nc;
	return 1;
}

static void sb_put(sbuf *b, const char *s, size_t n)
{
	if (!sb_reserve(b, n))
		return;
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

static const char *radical(uint32_t cp)
{
	if (cp < 0x2EA0 || cp > 0x2EEF)
		return NULL;
	for (size_t r = 0; r < sizeof radicals / sizeof *radicals; r++)
		if (radicals[r].from == cp)
			return radicals[r].to;
	return NULL;
}

/* au_utf8_dec with ASCII and valid three-byte characters (CJK) decoded in
** line: nearly every character of a report is one. Anything else, valid or
** not, is left to utf8proc. */
static size_t dec(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if ((u[0] & 0xF0) == 0xE0 && n >= 3 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		uint32_t v = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) { /* not overlong, not a surrogate */
			*cp = v;
			return 3;
		}
	}
	return au_utf8_dec(s, n, cp);
}

/* Characters NFKC maps to themselves, or to one ASCII character, whatever
** stands around them: no decomposition but <wide>, combining class 0, and
** nothing composes with them. A run of text made of these alone (nearly
** every run of a report) is normalised here without utf8proc; any other
** character sends its whole run through utf8proc as before. */
static int simple_nfkc(uint32_t cp, uint32_t *to)
{
	*to = cp;
	if ((cp >= 0x20 && cp < 0x7F) || cp == '\t')
		return 1;
	if (cp >= 0x4E00 && cp <= 0x9FFF) /* CJK Unified Ideographs */
		return 1;
	if (cp >= 0xFF01 && cp <= 0xFF5E) { /* full-width ASCII: "１２３" "（" "：" */
		*to = cp - 0xFEE0;
		return 1;
	}
	switch (cp) {
	case 0x3000: /* ideographic space */
		*to = ' ';
		return 1;
	case 0x3001: case 0x3002:                            /* 、。 */
	case 0x3008: case 0x3009: case 0x300A: case 0x300B: /* 〈〉《》 */
	case 0x300C: case 0x300D: case 0x300E: case 0x300F: /* 「」『』 */
	case 0x3010: case 0x3011: case 0x3014: case 0x3015: /* 【】〔〕 */
	case 0x2014: case 0x2018: case 0x2019: case 0x201C: case 0x201D: /* —‘’“” */
	case 0xFFFD:
		return 1;
	}
	return 0;
}

/* Encode cp at u; returns its length. */
static size_t put_utf8(char *u, uint32_t cp)
{
	size_t k = 0;
	if (cp < 0x80) {
		u[k++] = (char)cp;
	} else if (cp < 0x800) {
		u[k++] = (char)(0xC0 | cp >> 6);
		u[k++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		u[k++] = (char)(0xE0 | cp >> 12);
		u[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[k++] = (char)(0x80 | (cp & 0x3F));
	} else {
		u[k++] = (char)(0xF0 | cp >> 18);
		u[k++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[k++] = (char)(0x80 | (cp & 0x3F));
	}
	return k;
}

/* NFKC of a run s[0, n) through utf8proc: invalid bytes become U+FFFD and
** control characters other than tab are dropped first. */
static void nfkc_run(const char *s, size_t n, sbuf *out)
{
	sbuf run = {0};
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = dec(s + i, n - i, &cp);
		if (cp == 0xFFFD && k == 1)
			sb_put(&run, "\xEF\xBF\xBD", 3);
		else if (!(cp < 0x20 && cp != '\t'))
			sb_put(&run, s + i, k);
		i += k;
	}
	if (run.n) {
		utf8proc_uint8_t *m = NULL;
		utf8proc_ssize_t mn = utf8proc_map((const utf8proc_uint8_t *)run.p,
						   (utf8proc_ssize_t)run.n, &m,
						   UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
		if (mn >= 0 && m)
			sb_put(out, (const char *)m, (size_t)mn);
		else
			sb_put(out, run.p, run.n);
		free(m);
	}
	free(run.p);
}

/* NFKC of s[0, n) appended to out, except that "，" (U+FF0C) is kept: under
** NFKC it would become the ASCII comma that also separates thousands
** ("401,746"). Invalid bytes become U+FFFD, control characters other than
** tab are dropped. The line is normalised in runs between the characters
** handled here ("，", MINUS SIGN, radicals). */
static void nfkc_line(const char *s, size_t n, sbuf *out)
{
	size_t i = 0, ri = 0, ro = out->n; /* the run began at s[ri], out[ro] */
	int simple = 1;
	/* Room for the worst the cheap path below can do (an invalid byte
	** becomes three), so that it writes without checking; utf8proc's runs
	** go through sb_put and reserve again after. */
	if (!sb_reserve(out, 3 * n + 8))
		return;
	for (;;) {
		/* the bulk of a line, printable ASCII and CJK ideographs, in a run
		** that is still simple: copied as it is */
		if (simple) {
			const unsigned char *u = (const unsigned char *)s;
			char *o = out->p + out->n;
			while (i < n) {
				if (u[i] >= 0x20 && u[i] < 0x7F) {
					*o++ = (char)u[i++];
				} else if (u[i] >= 0xE4 && u[i] <= 0xE9 && i + 2 < n && (u[i + 1] & 0xC0) == 0x80 &&
					   (u[i + 2] & 0xC0) == 0x80 && (u[i] > 0xE4 || u[i + 1] >= 0xB8)) {
					/* E4 B8 80 .. E9 BF BF: U+4E00 .. U+9FFF */
					o[0] = (char)u[i];
					o[1] = (char)u[i + 1];
					o[2] = (char)u[i + 2];
					o += 3;
					i += 3;
				} else {
					break;
				}
			}
			out->n = (size_t)(o - out->p);
		}
		uint32_t cp = 0;
		size_t k = 0;
		const char *rad = NULL;
		int flush = i >= n;
		if (!flush) {
			k = dec(s + i, n - i, &cp);
			flush = cp == 0xFF0C || cp == 0x2212 || (rad = radical(cp)) != NULL;
		}
		if (flush) {
			if (!simple) {
				out->n = ro; /* not as simple as it looked: all of it through utf8proc */
				nfkc_run(s + ri, i - ri, out);
				if (!sb_reserve(out, 3 * (n - i) + 8))
					return;
			}
			if (i >= n)
				break;
			if (cp == 0xFF0C)
				sb_put(out, "，", 3);
			else if (cp == 0x2212)
				sb_put(out, "-", 1); /* MINUS SIGN has no decomposition */
			else
				sb_put(out, rad, strlen(rad));
			i += k;
			ri = i;
			ro = out->n;
			simple = 1;
			continue;
		}
		uint32_t to;
		if (cp < 0x20 && cp != '\t') {
			/* control characters carry nothing */
		} else if (!simple) {
			/* copied by nfkc_run at the end of the run */
		} else if (!simple_nfkc(cp, &to)) {
			simple = 0;
		} else if (to != cp || (cp == 0xFFFD && k == 1)) {
			out->n += put_utf8(out->p + out->n, to);
		} else {
			memcpy(out->p + out->n, s + i, k);
			out->n += k;
		}
		i += k;
	}
	out->p[out->n] = 0;
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
** it stands for in some PDF fonts. The cleaned text s[0, w) never overtakes
** the text still to read at s[i]: nothing here makes text longer. */
static size_t clean_line(char *s, size_t n)
{
	size_t w = 0, i = 0;
	while (i < n) {
		/* none of the cases below begins with most bytes: 郾 is E9 83 BE,
		** the dashes E2 80 93..95 */
		const unsigned char *u = (const unsigned char *)s;
		while (i < n && u[i] != '*' && u[i] != '[' && u[i] != ' ' && u[i] != '-' &&
		       !((u[i] == 0xE9 || u[i] == 0xE2) && i + 2 < n && (u[i + 1] == 0x83 || u[i + 1] == 0x80)))
			s[w++] = s[i++];
		if (i >= n)
			break;
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
			if (w && is_alpha(s[w - 1]) && j < n && is_alpha(s[j]))
				s[w++] = ' ';
			i = j;
			continue;
		}
		/* 郾 (E9 83 BE) between digits */
		if (n - i >= 3 && (unsigned char)s[i] == 0xE9 && (unsigned char)s[i + 1] == 0x83 &&
		    (unsigned char)s[i + 2] == 0xBE && w && is_digit(s[w - 1]) &&
		    i + 3 < n && is_digit(s[i + 3])) {
			s[w++] = '.';
			i += 3;
			continue;
		}
		/* page number: -3-, —2—, at the line start or before a non-digit */
		size_t dl, dl2;
		if (is_dash(s + i, n - i, &dl) &&
		    !(w && (s[w - 1] == '-' || (w >= 3 && is_dash(s + w - 3, 3, &dl2))))) {
			size_t j = i + dl, k = j;
			while (k < n && k - j < 4 && (is_digit(s[k]) || s[k] == ' '))
				k++;
			size_t ndig = 0;
			for (size_t q = j; q < k; q++)
				ndig += is_digit(s[q]);
			if (ndig >= 1 && ndig <= 3 && k < n && is_dash(s + k, n - k, &dl2)) {
				size_t after = k + dl2;
				int ok = w == 0 || after >= n || !is_digit(s[after]);
				if (ok && after < n && is_dash(s + after, n - after, &dl))
					ok = 0; /* part of a longer dash run */
				if (ok) {
					i = after;
					continue;
				}
			}
		}
		s[w++] = s[i++];
	}
	s[w] = 0;
	return w;
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
	size_t off;     /* cleaned text: at off in the lines buffer, NUL-terminated */
	const char *t;  /* the same, once the buffer no longer moves */
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

/* Codepoints of normalised text (valid UTF-8): its bytes other than
** continuation bytes (10xxxxxx), counted eight bytes at a time: a byte's
** top bit set and the next bit clear marks one; shifted down, each byte is
** 0 or 1, and the multiplication adds the eight into the top byte. */
static int width_of(const char *t, size_t n)
{
	const uint64_t hi = 0x8080808080808080u, ones = 0x0101010101010101u;
	size_t cont = 0, i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, t + i, 8);
		cont += (size_t)((((x & ~(x << 1) & hi) >> 7) * ones) >> 56);
	}
	for (; i < n; i++)
		cont += ((unsigned char)t[i] & 0xC0) == 0x80;
	return (int)(n - cont);
}

int au_line_at(const au_doc *d, size_t pos)
{
	/* the last segment that begins at or before pos */
	size_t lo = 0, hi = d->nseg;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->segbeg[mid] <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? d->segline[lo - 1] : 0;
}

/* Append t[0, n) from original line `line` to the stream. d->s was sized
** for the whole document in advance, and every line is one segment. */
static void emit(au_doc *d, const char *t, size_t n, int line)
{
	if (d->n + n + 1 > d->cap || d->nseg >= d->capseg) {
		au_oom = 1;
		return;
	}
	memcpy(d->s + d->n, t, n);
	if (!d->nseg || d->segline[d->nseg - 1] != line) {
		d->segbeg[d->nseg] = d->n;
		d->segline[d->nseg] = line;
		d->nseg++;
	}
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

/* Read one line: NFKC, Markdown heading or bullet, cells of a table row,
** cleaned, into the lines buffer. */
static void read_line(const char *text, size_t len, line_info *li, sbuf *buf)
{
	size_t off = buf->n;
	nfkc_line(text, len, buf);
	if (au_oom)
		return;
	char *t = buf->p + off;
	size_t n = buf->n - off;
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
	/* a Markdown table row ("| 总 计 | 140,578 |"): its cells, as a tab row;
	** the rule under the heading row ("|---|---:|") is nothing */
	if (!li->md && n >= 2 && t[0] == '|') {
		size_t e = n;
		while (e > 1 && t[e - 1] == ' ')
			e--;
		if (t[e - 1] == '|' && e > 1)
			e--;
		int rule = 1;
		for (size_t q = 1; q < e; q++)
			rule &= t[q] == '-' || t[q] == ':' || t[q] == '|' || t[q] == ' ';
		t++;
		n = e - 1;
		for (size_t q = 0; q < n; q++)
			if (t[q] == '|' && !(q && t[q - 1] == '\\'))
				t[q] = '\t';
		if (rule)
			n = 0;
		else if (!memchr(t, '\t', n) && n < (size_t)(buf->p + buf->cap - t)) {
			/* a one-cell row is still a row */
			t[n++] = '\t';
		}
	}
	if (memchr(t, '\t', n)) {
		li->kind = BK_ROW;
		/* clean each cell on its own: spaces inside labels ("收 入") go */
		size_t w = 0, c0 = 0;
		for (size_t q = 0; q <= n; q++) {
			if (q < n && t[q] != '\t')
				continue;
			size_t cn = clean_line(t + c0, q - c0);
			memmove(t + w, t + c0, cn);
			w += cn;
			if (q < n)
				t[w++] = '\t';
			c0 = q + 1;
		}
		t[w] = 0;
		n = w;
		/* a row with no content at all is blank */
		int any = 0;
		for (size_t q = 0; q < n; q++)
			any |= t[q] != '\t';
		if (!any)
			li->kind = 0;
	} else {
		n = clean_line(t, n);
		li->kind = n == 0 ? 0 : li->md ? BK_MDHEAD : BK_TEXT;
	}
	li->off = (size_t)(t - buf->p);
	li->n = n;
	buf->n = li->off + n + 1; /* keep its NUL */
	if (li->kind == BK_TEXT || li->kind == BK_MDHEAD) {
		li->marker = au_marker(t, n, &li->ordinal, &li->mlen);
		if (li->dashbullet && !li->marker)
			li->marker = MK_DASH;
		li->width = width_of(t, n);
		li->term = ends_with_term(t, n);
	}
}
/* A line that is only a label and an amount ("教育事业费支出 780.3万元"): no
** clause punctuation, a digit, and a unit of money at its end. */
static int item_line(const char *t, size_t n)
{
	if (n < 4 || n > 90)
		return 0;
	static const char *const punct[] = {"，", "。", "；", ",", ";", "：", ":"};
	for (size_t k = 0; k < sizeof punct / sizeof *punct; k++)
		if (memmem(t, n, punct[k], strlen(punct[k])))
			return 0;
	if (!(n >= 3 && !memcmp(t + n - 3, "元", 3)))
		return 0;
	size_t e = n - 3;
	if (e >= 3 && (!memcmp(t + e - 3, "万", 3) || !memcmp(t + e - 3, "亿", 3)))
		e -= 3;
	while (e > 0 && t[e - 1] == ' ')
		e--;
	return e > 0 && t[e - 1] >= '0' && t[e - 1] <= '9';
}


int au_read(au_doc *d, const char *text, size_t len)
{
	/* split into lines */
	size_t nl = 1;
	for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))) != NULL; p++)
		nl++;
	line_info *L = calloc(nl + 1, sizeof *L); /* needed only here */
	if (!L)
		return au_oom = 1, -1;
	/* every cleaned line in one buffer, freed once the stream is built */
	sbuf buf = {0};
	size_t start = 0;
	int nlines = 0;
	for (size_t i = 0; i <= len && !au_oom; i++) {
		if (i < len) {
			const char *e = memchr(text + i, '\n', len - i);
			i = e ? (size_t)(e - text) : len;
		}
		size_t e = i;
		if (e > start && text[e - 1] == '\r')
			e--;
		read_line(text + start, e - start, &L[nlines++], &buf);
		start = i + 1;
	}
	if (au_oom) {
		free(buf.p);
		free(L);
		return -1;
	}
	size_t total = 0;
	for (int i = 0; i < nlines; i++) {
		L[i].t = buf.p + L[i].off;
		total += L[i].n;
	}
	d->nlines = nlines;
	/* A file ending in "\n" has no last line. */
	if (nlines && len && text[len - 1] == '\n')
		d->nlines = --nlines;

	/* the stream: every line once, a "\n" after each block (at most one a
	** line), one segment a line */
	d->cap = total + (size_t)nlines + 2;
	d->capseg = 2 * (size_t)nlines + 2;
	d->s = fisc_arena_alloc(d->w, d->cap);
	d->segbeg = fisc_arena_alloc(d->w, d->capseg * sizeof *d->segbeg);
	d->segline = fisc_arena_alloc(d->w, d->capseg * sizeof *d->segline);
	if (!d->s || !d->segbeg || !d->segline) {
		free(buf.p);
		free(L);
		return au_oom = 1, -1;
	}

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
			/* one item a line ("教育事业费支出 780.3万元") after an
			** introduction ending in "：" or after another item: a list,
			** not a wrapped paragraph */
			int item_lines = item_line(li->t, li->n) &&
					 ((L[prev].n && L[prev].t[L[prev].n - 1] == ':') ||
					  (L[prev].n >= 3 && !memcmp(L[prev].t + L[prev].n - 3, "：", 3)) ||
					  item_line(L[prev].t, L[prev].n));
			if (item_lines)
				newblock = 1;
			else if (open_end || cont_start)
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
			cur = AU_PUSH_HEAP(d->blocks);
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
	free(buf.p);
	free(L);
	return au_oom ? -1 : 0;
}

void au_text_put(au_text *t, const char *s, size_t n)
{
	if (t->oom || !n)
		return;
	if (t->n + n + 1 > t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 4096;
		while (nc < t->n + n + 1)
			nc *= 2;
		char *p = realloc(t->out, nc);
		if (!p) {
			t->oom = 1;
			return;
		}
		t->out = p;
		t->cap = nc;
	}
	memcpy(t->out + t->n, s, n);
	t->n += n;
	t->out[t->n] = 0;
}
