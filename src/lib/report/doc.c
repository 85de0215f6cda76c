/*
** doc.c — building a fisc_doc (headings, paragraphs, notes, typed tables) in
** an arena, and the one table that maps an output format to its renderer.
**
** Builders never check individual calls: the first allocation failure is
** remembered in d->rc and turns every later call into a no-op, and row
** constructors then hand out a scratch row so that callers can keep writing
** into it harmlessly. The report checks fisc_doc_status() once at the end.
*/
#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "fisc/doc.h"
#include "fisc/error.h"
#include "model/util.h"
#include "report/chart.h"
#include "report/render.h"

static char *vfmt(fisc_doc *d, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	char *p = n >= 0 ? fisc_arena_alloc(d->a, (size_t)n + 1) : NULL;
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap2);
	else
		d->rc = FISC_ENOMEM;
	va_end(ap2);
	return p;
}

/* Grow an arena array of `elem`-byte elements to hold one more. Arena memory
** is never freed, so a grown array simply abandons the old copy: documents
** are small and short-lived. */
static int grow(fisc_doc *d, void **v, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 8;
	void *nv = fisc_arena_alloc(d->a, ncap * elem);
	if (!nv) {
		d->rc = FISC_ENOMEM;
		return -1;
	}
	if (n)
		memcpy(nv, *v, n * elem);
	*v = nv;
	*cap = ncap;
	return 0;
}

fisc_doc *fisc_doc_new(fisc_arena *a, const char *kind, const char *title)
{
	fisc_doc *d = fisc_arena_alloc(a, sizeof *d);
	if (!d)
		return NULL;
	d->a = a;
	d->kind = fisc_arena_strdup(a, kind ? kind : "report");
	d->title = fisc_arena_strdup(a, title ? title : "");
	if (!d->kind || !d->title)
		return NULL;
	return d;
}

int fisc_doc_status(const fisc_doc *d) { return d ? d->rc : FISC_ENOMEM; }

void fisc_doc_subtitle(fisc_doc *d, const char *fmt, ...)
{
	if (d->rc)
		return;
	va_list ap;
	va_start(ap, fmt);
	d->subtitle = vfmt(d, fmt, ap);
	va_end(ap);
}

static fisc_block *add_block(fisc_doc *d, int kind)
{
	if (d->rc || grow(d, (void **)&d->blocks, d->nblocks, &d->cap, sizeof *d->blocks))
		return NULL;
	fisc_block *b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	return b;
}

fisc_chart *fisc_doc_chart(fisc_doc *d, int kind, const char *title, int unit, int decimals)
{
	if (d->rc)
		return NULL;
	fisc_chart *c = fisc_arena_alloc(d->a, sizeof *c);
	const char *t = fisc_arena_strdup(d->a, title ? title : "");
	fisc_block *b = c && t ? add_block(d, FISC_BLOCK_CHART) : NULL;
	if (!b) {
		d->rc = FISC_ENOMEM;
		return NULL;
	}
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->title = t;
	c->unit = unit;
	c->decimals = decimals;
	c->values = FISC_CHART_MONEY;
	c->measure = "";
	b->chart = c;
	return c;
}

fisc_chart *fisc_doc_chart_number(fisc_doc *d, int kind, const char *title, const char *measure,
				  int scale)
{
	assert(scale >= 0 && scale <= 6);
	fisc_chart *c = fisc_doc_chart(d, kind, title, 0, scale);
	if (!c)
		return NULL;
	const char *m = fisc_arena_strdup(d->a, measure ? measure : "");
	if (!m) {
		d->rc = FISC_ENOMEM;
		return NULL;
	}
	c->values = FISC_CHART_NUMBER;
	c->measure = m;
	return c;
}

void fisc_chart_series(fisc_doc *d, fisc_chart *c, const char *name)
{
	if (!c || d->rc || c->nser >= FISC_CHART_MAXSER)
		return;
	if (!(c->ser[c->nser++] = fisc_arena_strdup(d->a, name)))
		d->rc = FISC_ENOMEM;
}

int fisc_chart_category(fisc_doc *d, fisc_chart *c, const char *name)
{
	if (!c || d->rc)
		return -1;
	for (size_t i = 0; i < c->ncat; i++)
		if (!strcmp(c->cat[i], name))
			return (int)i;
	if (c->ncat >= FISC_CHART_MAXCAT)
		return -1;
	if (!(c->cat[c->ncat] = fisc_arena_strdup(d->a, name))) {
		d->rc = FISC_ENOMEM;
		return -1;
	}
	return (int)c->ncat++;
}

void fisc_chart_value(fisc_chart *c, size_t series, int cat, int64_t v)
{
	if (!c || cat < 0 || series >= FISC_CHART_MAXSER || (size_t)cat >= c->ncat)
		return;
	c->v[series][cat] = v;
	c->has[series][cat] = 1;
}

int fisc_chart_drawable(const fisc_chart *c)
{
	for (size_t s = 0; c && s < c->nser; s++)
		for (size_t i = 0; i < c->ncat; i++)
			if (c->has[s][i] && c->v[s][i] > 0)
				return 1;
	return 0;
}

static void text_block(fisc_doc *d, int kind, int level, const char *fmt, va_list ap)
{
	if (d->rc)
		return;
	char *t = vfmt(d, fmt, ap);
	fisc_block *b = t ? add_block(d, kind) : NULL;
	if (b) {
		b->level = level;
		b->text = t;
	}
}

void fisc_doc_heading(fisc_doc *d, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	text_block(d, FISC_BLOCK_HEADING, level < 1 ? 1 : level > 4 ? 4 : level, fmt, ap);
	va_end(ap);
}

void fisc_doc_para(fisc_doc *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	text_block(d, FISC_BLOCK_PARAGRAPH, 0, fmt, ap);
	va_end(ap);
}

void fisc_doc_note(fisc_doc *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	text_block(d, FISC_BLOCK_NOTE, 0, fmt, ap);
	va_end(ap);
}

void fisc_doc_gap(fisc_doc *d, const char *fmt, ...)
{
	if (d->rc)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *s = vfmt(d, fmt, ap);
	va_end(ap);
	if (!s)
		return;
	for (size_t i = 0; i < d->ngaps; i++)
		if (!strcmp(d->gaps[i], s))
			return;
	if (!grow(d, (void **)&d->gaps, d->ngaps, &d->cap_gaps, sizeof *d->gaps))
		d->gaps[d->ngaps++] = s;
}

void fisc_doc_draft(fisc_doc *d)
{
	if (!d->ngaps)
		return;
	/* The gaps are listed after everything else, so the draft's outline
	** above the appendix is the publishable one. */
	size_t n = d->ngaps;
	fisc_doc_heading(d, 1, "附：数据缺口");
	fisc_doc_para(d, "以下内容因数据不足未予计算或列示（本附录仅见于草稿，不属于公开文本）：");
	for (size_t i = 0; i < n; i++)
		fisc_doc_note(d, "%s", d->gaps[i]);
}

/* Handed out after an error so callers can keep writing without checks.
** One per thread: documents built on different threads share nothing. */
static _Thread_local fisc_table scratch_table;

fisc_table *fisc_doc_table(fisc_doc *d, const char *title, size_t ncols)
{
	if (ncols < 1 || ncols > FISC_DOC_MAXCOLS) {
		if (!d->rc)
			d->rc = fisc_error_set(FISC_EINVAL, "表格列数无效 / bad column count %zu",
					       ncols);
	}
	fisc_table *t = d->rc ? NULL : fisc_arena_alloc(d->a, sizeof *t);
	fisc_block *b = t ? add_block(d, FISC_BLOCK_TABLE) : NULL;
	if (!b) {
		if (!d->rc)
			d->rc = FISC_ENOMEM;
		memset(&scratch_table, 0, sizeof scratch_table);
		scratch_table.ncols = FISC_DOC_MAXCOLS;
		return &scratch_table;
	}
	t->title = fisc_arena_strdup(d->a, title ? title : "");
	t->ncols = ncols;
	b->table = t;
	return t;
}

void fisc_table_unit(fisc_doc *d, fisc_table *t, int unit)
{
	if (d->rc)
		return;
	if (unit < FISC_UNIT_YUAN || unit > FISC_UNIT_YI)
		unit = FISC_UNIT_WAN;
	t->unit_label = fisc_arena_printf(d->a, "单位：%s", fisc_unit_name((fisc_unit)unit));
	if (!t->unit_label)
		d->rc = FISC_ENOMEM;
}

static fisc_cell *new_row(fisc_doc *d, fisc_table *t, fisc_cell ***rows, size_t *n,
			  size_t *cap)
{
	fisc_cell *r = NULL;
	if (!d->rc && !grow(d, (void **)rows, *n, cap, sizeof **rows)) {
		r = fisc_arena_alloc(d->a, t->ncols * sizeof *r);
		if (r)
			(*rows)[(*n)++] = r;
		else
			d->rc = FISC_ENOMEM;
	}
	if (!r) {
		memset(d->scratch, 0, sizeof d->scratch);
		r = d->scratch;
	}
	for (size_t i = 0; i < t->ncols && i < FISC_DOC_MAXCOLS; i++)
		r[i].colspan = r[i].rowspan = 1;
	return r;
}

fisc_cell *fisc_table_head(fisc_doc *d, fisc_table *t)
{
	return new_row(d, t, &t->head, &t->nhead, &t->cap_head);
}

fisc_cell *fisc_table_row(fisc_doc *d, fisc_table *t)
{
	return new_row(d, t, &t->body, &t->nbody, &t->cap_body);
}

void fisc_table_note(fisc_doc *d, fisc_table *t, const char *fmt, ...)
{
	if (d->rc)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *s = vfmt(d, fmt, ap);
	va_end(ap);
	if (s && !grow(d, (void **)&t->notes, t->nnotes, &t->cap_notes, sizeof *t->notes))
		t->notes[t->nnotes++] = s;
}

void fisc_table_empty(fisc_doc *d, fisc_table *t, const char *fmt, ...)
{
	if (d->rc)
		return;
	va_list ap;
	va_start(ap, fmt);
	t->empty_text = vfmt(d, fmt, ap);
	va_end(ap);
}

void fisc_table_merge_head(fisc_table *t, size_t row, size_t col, int rowspan, int colspan)
{
	if (row >= t->nhead || col >= t->ncols || rowspan < 1 || colspan < 1)
		return;
	if (row + (size_t)rowspan > t->nhead)
		rowspan = (int)(t->nhead - row);
	if (col + (size_t)colspan > t->ncols)
		colspan = (int)(t->ncols - col);
	for (size_t r = row; r < row + (size_t)rowspan; r++)
		for (size_t c = col; c < col + (size_t)colspan; c++)
			if (r != row || c != col) {
				memset(&t->head[r][c], 0, sizeof t->head[r][c]);
				t->head[r][c].kind = FISC_CELL_COVERED;
				t->head[r][c].colspan = t->head[r][c].rowspan = 1;
			}
	t->head[row][col].rowspan = rowspan;
	t->head[row][col].colspan = colspan;
}

void fisc_cell_text(fisc_doc *d, fisc_cell *c, const char *fmt, ...)
{
	if (d->rc || !c)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *s = vfmt(d, fmt, ap);
	va_end(ap);
	if (s) {
		c->kind = FISC_CELL_TEXT;
		c->text = s;
	}
}

void fisc_cell_amount(fisc_doc *d, fisc_cell *c, fisc_fen fen, int unit, int decimals)
{
	if (d->rc || !c)
		return;
	char buf[64];
	if (unit < FISC_UNIT_YUAN || unit > FISC_UNIT_YI)
		unit = FISC_UNIT_WAN;
	if (decimals < 0)
		decimals = 0;
	if (fisc_fen_format(fen, (fisc_unit)unit, decimals, FISC_FMT_GROUP, buf, sizeof buf) < 0) {
		d->rc = FISC_ERANGE;
		return;
	}
	c->kind = FISC_CELL_AMOUNT;
	c->fen = fen;
	c->unit = unit;
	c->decimals = decimals;
	if (!(c->text = fisc_arena_strdup(d->a, buf)))
		d->rc = FISC_ENOMEM;
}

void fisc_cell_percent(fisc_doc *d, fisc_cell *c, fisc_fen num, fisc_fen den, int decimals)
{
	if (d->rc || !c || den == 0)
		return;
	char buf[64];
	if (fisc_percent_format(num, den, decimals, buf, sizeof buf - 1) < 0) {
		d->rc = FISC_ERANGE;
		return;
	}
	strcat(buf, "%");
	c->kind = FISC_CELL_PERCENT;
	c->num = num;
	c->den = den;
	c->decimals = decimals;
	if (!(c->text = fisc_arena_strdup(d->a, buf)))
		d->rc = FISC_ENOMEM;
}

void fisc_cell_number(fisc_doc *d, fisc_cell *c, int64_t num, int decimals)
{
	if (d->rc || !c)
		return;
	assert(decimals >= 0 && decimals <= 9);
	uint64_t m = num < 0 ? (uint64_t)0 - (uint64_t)num : (uint64_t)num, p = 1;
	for (int i = 0; i < decimals; i++)
		p *= 10;
	c->kind = FISC_CELL_NUMBER;
	c->num = num;
	c->den = 0;
	c->decimals = decimals;
	c->text = decimals ? fisc_arena_printf(d->a, "%s%llu.%0*llu", num < 0 ? "-" : "",
					       (unsigned long long)(m / p), decimals,
					       (unsigned long long)(m % p))
			   : fisc_arena_printf(d->a, "%lld", (long long)num);
	if (!c->text)
		d->rc = FISC_ENOMEM;
}

/* --- rendering ---------------------------------------------------------- */

const char *const fisc_doc_formats[] = {"md", "html", "json", "xlsx", "csv", "text",
				       "docx", "pdf", NULL};

/* Stream formats write to a FILE; file formats decide their own files. */
static const struct {
	const char *name;
	int (*stream)(const fisc_doc *d, FILE *out);
	int (*files)(const fisc_doc *d, const char *path, FILE *out);
} renderers[] = {
	{"md", fisc_render_md, NULL},
	{"html", fisc_render_html, NULL},
	{"json", fisc_render_json, NULL},
	{"xlsx", NULL, fisc_render_xlsx},
	{"csv", NULL, fisc_render_csv},
	{"text", fisc_render_text, NULL},
	{"tsv", fisc_render_text, NULL}, /* the same: text is tables as TSV */
	{"docx", fisc_render_docx, NULL},
	{"pdf", fisc_render_pdf, NULL},
};

int fisc_doc_write(const fisc_doc *d, const char *format, const char *path, FILE *out)
{
	if (!d)
		return fisc_error_set(FISC_EINVAL, "没有文档 / no document");
	if (d->rc)
		return d->rc;
	if (!format)
		format = "md";
	for (size_t i = 0; i < sizeof renderers / sizeof *renderers; i++) {
		if (strcmp(format, renderers[i].name) != 0)
			continue;
		if (renderers[i].files)
			return renderers[i].files(d, path, out);
		FILE *f = out;
		if (path && !(f = fopen(path, "w")))
			return fisc_error_set(FISC_EIO, "无法写入「%s」/ cannot write '%s'", path, path);
		int rc = renderers[i].stream(d, f);
		if (fflush(f) != 0 && rc == FISC_OK)
			rc = fisc_error_set(FISC_EIO, "写出失败 / write failed");
		if (f != out && fclose(f) != 0 && rc == FISC_OK)
			rc = fisc_error_set(FISC_EIO, "写出失败「%s」/ write failed '%s'", path, path);
		return rc;
	}
	return fisc_error_set(FISC_EINVAL,
			      "不支持的格式「%s」（md、html、json、xlsx、csv、text、docx、pdf）/ unknown format '%s'",
			      format, format);
}

/* --- helpers the renderers share (render.h) ------------------------------ */

const fisc_cell *fisc_head_anchor(const fisc_table *t, size_t row, size_t col)
{
	for (size_t r = 0; r <= row && r < t->nhead; r++)
		for (size_t c = 0; c <= col && c < t->ncols; c++) {
			const fisc_cell *h = &t->head[r][c];
			if (h->kind == FISC_CELL_COVERED)
				continue;
			if (r + (size_t)h->rowspan > row && c + (size_t)h->colspan > col)
				return h;
		}
	return NULL;
}

void fisc_head_flat(const fisc_table *t, size_t col, char *buf, size_t cap)
{
	size_t n = 0;
	const fisc_cell *last = NULL;
	buf[0] = 0;
	for (size_t r = 0; r < t->nhead; r++) {
		const fisc_cell *h = fisc_head_anchor(t, r, col);
		const char *s = fisc_cell_str(h);
		if (h == last || !*s)
			continue;
		last = h;
		int w = snprintf(buf + n, cap - n, "%s%s", n ? "/" : "", s);
		if (w < 0 || (size_t)w >= cap - n)
			break;
		n += (size_t)w;
	}
}

int fisc_col_numeric(const fisc_table *t, size_t col)
{
	for (size_t r = 0; r < t->nbody; r++) {
		int k = t->body[r][col].kind;
		if (k == FISC_CELL_AMOUNT || k == FISC_CELL_PERCENT || k == FISC_CELL_NUMBER)
			return 1;
	}
	return 0;
}

/* Display width of s in half-width character units: CJK and other wide
** characters count two. */
static double text_units(const char *s)
{
	double w = 0;
	size_t left = strlen(s);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = fisc_utf8_len(p, left);
		if (n == 0)
			n = 1;
		w += n >= 3 ? 2 : 1;
		p += n;
		left -= n;
	}
	return w;
}

void fisc_table_widths(const fisc_table *t, double *w)
{
	for (size_t c = 0; c < t->ncols; c++) {
		/* Header texts wrap ("二级指标" over two lines is fine), so they
		** claim at most six characters; body cells claim their width. */
		double m = 4;
		for (size_t r = 0; r < t->nhead; r++) {
			const fisc_cell *h = &t->head[r][c];
			if (h->kind == FISC_CELL_COVERED || h->colspan > 1)
				continue;
			double u = text_units(fisc_cell_str(h));
			if ((u > 12 ? 12 : u) > m)
				m = u > 12 ? 12 : u;
		}
		for (size_t r = 0; r < t->nbody; r++) {
			const fisc_cell *x = &t->body[r][c];
			double u = text_units(fisc_cell_str(x)) + 2.0 * x->level;
			if (u > m)
				m = u;
		}
		w[c] = m + 2; /* a unit of padding on each side */
	}
}

int fisc_table_wide(const fisc_table *t)
{
	double w[FISC_DOC_MAXCOLS], sum = 0;
	fisc_table_widths(t, w);
	for (size_t c = 0; c < t->ncols; c++)
		sum += w[c];
	return t->ncols > 8 || sum > 110;
}

void fisc_table_fit(const fisc_table *t, double avail, double *w)
{
	double nat[FISC_DOC_MAXCOLS], sorted[FISC_DOC_MAXCOLS], sum = 0;
	size_t n = t->ncols;
	fisc_table_widths(t, nat);
	for (size_t c = 0; c < n; c++) {
		sum += nat[c];
		sorted[c] = nat[c];
	}
	if (sum <= avail) { /* room to spare: every column grows alike */
		for (size_t c = 0; c < n; c++)
			w[c] = nat[c] * avail / sum;
		return;
	}
	/* Too wide: short columns keep their width (so "二级指标" stays on one
	** line) and the widest ones share what is left, all cut to one limit. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && sorted[j] < sorted[j - 1]; j--) {
			double x = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = x;
		}
	double rem = avail, limit = 0;
	for (size_t i = 0; i < n; i++) {
		if (sorted[i] * (double)(n - i) > rem) {
			limit = rem / (double)(n - i);
			break;
		}
		rem -= sorted[i];
	}
	if (limit < 4) { /* even the short columns do not fit: shrink all */
		for (size_t c = 0; c < n; c++)
			w[c] = nat[c] * avail / sum;
		return;
	}
	for (size_t c = 0; c < n; c++)
		w[c] = nat[c] < limit ? nat[c] : limit;
}
