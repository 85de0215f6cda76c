/*
** suggest.c — edit distance on code points and the choice of the names worth
** offering as "did you mean" (fisc/suggest.h). Names are short (regions,
** departments, commands), so the quadratic distance is cheap; the rows are
** kept on the heap only for the rare name longer than the stack buffer.
*/
#include <stdlib.h>
#include <string.h>
#include "fisc/suggest.h"
#include "util.h"

/* Code points of s, ASCII folded to lower case; a malloc'ed array (n set). */
static unsigned *decode(const char *s, size_t *n)
{
	size_t len = strlen(s), k = 0;
	unsigned *v = malloc((len + 1) * sizeof *v);
	if (!v)
		return NULL;
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t l = fisc_utf8_len(p + i, len - i);
		unsigned c;
		if (l == 0) { /* an invalid byte stands for itself */
			c = 0x110000u + p[i];
			l = 1;
		} else if (l == 1) {
			c = p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32u : p[i];
		} else {
			c = p[i] & (0x7Fu >> l);
			for (size_t j = 1; j < l; j++)
				c = c << 6 | (p[i + j] & 0x3Fu);
		}
		v[k++] = c;
		i += l;
	}
	*n = k;
	return v;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

/* Optimal string alignment distance over two code point arrays, three rows. */
static size_t osa(const unsigned *a, size_t n, const unsigned *b, size_t m)
{
	size_t *rows = malloc(3 * (m + 1) * sizeof *rows);
	if (!rows)
		return n > m ? n : m;
	size_t *pp = rows, *p = rows + m + 1, *cur = rows + 2 * (m + 1);
	for (size_t j = 0; j <= m; j++)
		p[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			cur[j] = min3(p[j] + 1, cur[j - 1] + 1, p[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < cur[j])
				cur[j] = pp[j - 2] + 1;
		}
		size_t *t = pp;
		pp = p;
		p = cur;
		cur = t;
	}
	size_t d = p[m];
	free(rows);
	return d;
}

size_t fisc_suggest_distance(const char *a, const char *b)
{
	size_t n, m;
	unsigned *x = decode(a, &n), *y = decode(b, &m);
	size_t d = x && y ? osa(x, n, y, m) : (size_t)-1;
	free(x);
	free(y);
	return d;
}

typedef struct scored {
	size_t idx, dist;
} scored;

static int by_dist(const void *pa, const void *pb)
{
	const scored *a = pa, *b = pb;
	if (a->dist != b->dist)
		return a->dist < b->dist ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Nonzero when the code points of small occur contiguously in big. */
static int contains(const unsigned *big, size_t nb, const unsigned *small, size_t ns)
{
	if (ns == 0 || ns > nb)
		return 0;
	for (size_t i = 0; i + ns <= nb; i++)
		if (!memcmp(big + i, small, ns * sizeof *small))
			return 1;
	return 0;
}

/* Nonzero when the code points of small occur in big in order, with gaps:
** 大连高新区创新 in 大连高新技术产业园区创新创业创投服务中心. */
static int subsequence(const unsigned *big, size_t nb, const unsigned *small, size_t ns)
{
	size_t j = 0;
	for (size_t i = 0; i < nb && j < ns; i++)
		j += big[i] == small[j];
	return j == ns;
}

size_t fisc_suggest(const char *query, const char *const *cand, size_t n, size_t *out,
		    size_t max)
{
	size_t nq, k = 0;
	unsigned *q = query ? decode(query, &nq) : NULL;
	scored *s = malloc((n ? n : 1) * sizeof *s);
	if (!q || !s || !max) {
		free(q);
		free(s);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		size_t nc;
		if (!cand[i] || !*cand[i])
			continue;
		unsigned *c = decode(cand[i], &nc);
		if (!c)
			continue;
		size_t d = osa(q, nq, c, nc), longer = nq > nc ? nq : nc;
		/* A third of the longer name, at least one edit: 北培区 → 北碚区,
		** reprot → report, but not gpb → ssf. */
		size_t limit = longer / 3 ? longer / 3 : 1;
		/* a single letter is part of too many names to say anything */
		int part = nq >= 2 && (contains(c, nc, q, nq) || (nc >= 2 && contains(q, nq, c, nc)));
		if (d <= limit || part ||
		    (nq >= 3 && subsequence(c, nc, q, nq)))
			s[k++] = (scored){i, d};
		free(c);
	}
	qsort(s, k, sizeof *s, by_dist);
	if (k > max)
		k = max;
	for (size_t i = 0; i < k; i++)
		out[i] = s[i].idx;
	free(q);
	free(s);
	return k;
}
