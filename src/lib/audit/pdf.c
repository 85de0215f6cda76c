/*
** pdf.c — the text of a PDF for `fisc audit`, read with MuPDF. A PDF holds
** positioned glyphs, not lines: each page's glyphs are grouped into lines by
** their baseline and ordered by x, and the gaps between them decide what
** separates them. A wide gap is a column of a table (a tab: the form reader.c
** takes table rows in); any visible gap between two figures is one as well,
** so that the digits of adjacent cells never glue into one number (the
** reader drops spaces between ideographs and digits); a narrow gap is a
** space. Every page after the first begins with a form feed, as pdftotext
** writes it, so that a finding can name its page and the line on that page.
** A PDF without a text layer (a scan) is refused with that reason.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include "audit/internal.h"
#include "fisc/error.h"

/* More pages than any report has: a file claiming more is not read further. */
#define PDF_MAX_PAGES 5000

typedef struct glyph {
	float x0, x1, y, size;
	int c;
} glyph;

typedef struct px {
	au_text t;      /* the text built */
	glyph *g;
	size_t ng, capg;
	size_t chars; /* characters other than white space, over all pages */
	size_t clipped; /* glyphs of the page outside its box */
} px;

static void put(px *x, const char *s, size_t n) { au_text_put(&x->t, s, n); }

static void put_cp(px *x, int c)
{
	char u[4];
	size_t k = 0;
	unsigned cp = (unsigned)c;
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
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
	put(x, u, k);
}

static int is_space(int c) { return c == ' ' || c == 0xA0 || c == 0x3000 || c == '\t' || (c >= 0x2000 && c <= 0x200B); }

/* Characters a figure is written with: the digits of a cell, its thousands
** separators, decimal point, sign and percent sign. */
static int figure_char(int c)
{
	return (c >= '0' && c <= '9') || c == ',' || c == '.' || c == '%' || c == '-' ||
	       (c >= 0xFF10 && c <= 0xFF19);
}
static int is_digit(int c) { return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19); }

static int by_y(const void *a, const void *b)
{
	const glyph *p = a, *q = b;
	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return p->x0 < q->x0 ? -1 : p->x0 > q->x0;
}

static int by_x(const void *a, const void *b)
{
	const glyph *p = a, *q = b;
	return p->x0 < q->x0 ? -1 : p->x0 > q->x0;
}

/* A run of glyphs between two column gaps, and a line of them. */
typedef struct cell {
	size_t b, e;   /* glyphs [b, e) */
	float x0, x1;
	int col;
} cell;
typedef struct pline {
	size_t c0, nc; /* cells [c0, c0 + nc) */
} pline;

static int wide_gap(const glyph *p, const glyph *g)
{
	float em = p->size > g->size ? p->size : g->size;
	if (em < 1)
		em = 1;
	float gap = g->x0 - p->x1;
	/* "10.2 %" is one figure, "10.2%  11.5%" two */
	return gap > 1.5f * em ||
	       (gap > 0.15f * em && figure_char(p->c) && figure_char(g->c) && g->c != '%' &&
		(is_digit(p->c) || is_digit(g->c)));
}

static void put_cell(px *x, const cell *c)
{
	for (size_t i = c->b; i < c->e; i++) {
		const glyph *g = &x->g[i];
		if (i > c->b) {
			const glyph *p = &x->g[i - 1];
			float em = p->size > g->size ? p->size : g->size;
			if (g->x0 - p->x1 > 0.2f * (em < 1 ? 1 : em))
				put(x, " ", 1);
		}
		put_cp(x, g->c);
	}
}

static int by_x0(const void *a, const void *b)
{
	const float *p = a, *q = b;
	return *p < *q ? -1 : *p > *q;
}

/* Rows [r0, r1) of a table: their cells placed in columns, the intervals
** that the cells of all rows cover, so that a row whose first cells are
** empty (a PDF draws nothing there) keeps its figures in their columns. */
static void put_table(px *x, const pline *L, size_t r0, size_t r1, cell *C)
{
	size_t n = 0;
	for (size_t r = r0; r < r1; r++)
		n += L[r].nc;
	float *iv = malloc(2 * n * sizeof *iv);
	float *cb = malloc(n * sizeof *cb), *ce = malloc(n * sizeof *ce);
	size_t ncol = 0;
	if (iv && cb && ce) {
		size_t k = 0;
		for (size_t r = r0; r < r1; r++)
			for (size_t c = 0; c < L[r].nc; c++) {
				iv[2 * k] = C[L[r].c0 + c].x0;
				iv[2 * k + 1] = C[L[r].c0 + c].x1;
				k++;
			}
		qsort(iv, n, 2 * sizeof *iv, by_x0);
		for (k = 0; k < n; k++) {
			if (ncol && iv[2 * k] <= ce[ncol - 1]) {
				if (iv[2 * k + 1] > ce[ncol - 1])
					ce[ncol - 1] = iv[2 * k + 1];
			} else {
				cb[ncol] = iv[2 * k];
				ce[ncol] = iv[2 * k + 1];
				ncol++;
			}
		}
	} else {
		x->t.oom = 1;
	}
	for (size_t r = r0; r < r1 && !x->t.oom; r++) {
		size_t col = 0;
		for (size_t c = 0; c < L[r].nc; c++) {
			const cell *cl = &C[L[r].c0 + c];
			size_t want = col;
			while (want + 1 < ncol && cl->x0 > ce[want])
				want++;
			if (c)
				put(x, "\t", 1);
			for (; col < want; col++)
				put(x, "\t", 1);
			put_cell(x, cl);
			col = want + 1;
		}
		/* a row of one label (table_end) is still a row of the table */
		for (; L[r].nc == 1 && col < ncol; col++)
			put(x, "\t", 1);
		put(x, "\n", 1);
	}
	free(iv);
	free(cb);
	free(ce);
}

/* The end of the table whose first row is line r (of several cells). A
** line of one cell inside or right under it is a row whose other cells are
** empty ("四、事业收入" with no amount; read as text it would be a heading
** with nothing under it): it is set in the table's size, starts in the
** table's first column (indented at most a few characters) and follows the
** row above at no more than the table's row pitch. Prose, headings and the
** notes under a table are set in other sizes or further apart. */
static size_t table_end(const px *x, const pline *L, const cell *C, size_t nl, size_t r)
{
	const cell *first = &C[L[r].c0];
	float em = x->g[first->b].size > 1 ? x->g[first->b].size : 1;
	float pitch = 2 * em; /* the smallest row pitch seen so far */
	float left = first->x0;
	size_t prev = r;
	for (size_t k = r + 1; k < nl; k++) {
		const cell *c = &C[L[k].c0], *p = &C[L[prev].c0];
		float gap = x->g[c->b].y - x->g[p->b].y;
		if (L[k].nc < 2) {
			int same = 1;
			for (size_t i = c->b; i < c->e && same; i++)
				same = fabsf(x->g[i].size - em) < 0.25f;
			if (!same || gap <= 0 || gap > 1.25f * pitch || c->x0 < left - em ||
			    c->x0 > left + 4 * em)
				break;
		}
		if (gap > 0 && gap < pitch)
			pitch = gap;
		if (c->x0 < left)
			left = c->x0;
		prev = k;
	}
	return prev + 1;
}

/* The page's glyphs as lines: sorted by baseline, a new line where the
** baseline moves by more than a third of the glyphs' size (so that
** superscripts and glyphs of another font on the same line stay on it);
** each line cut into cells at its wide gaps. A line of one cell is text;
** consecutive lines of several cells are the rows of a table. */
static void lay_out(px *x)
{
	if (!x->ng)
		return;
	qsort(x->g, x->ng, sizeof *x->g, by_y);
	cell *C = NULL;
	pline *L = NULL;
	size_t nc = 0, capc = 0, nl = 0, capl = 0;
	for (size_t b = 0; b < x->ng && !x->t.oom;) {
		float y0 = x->g[b].y, sz = x->g[b].size > 1 ? x->g[b].size : 1;
		size_t e = b + 1;
		while (e < x->ng && x->g[e].y - y0 <= sz / 3)
			e++;
		qsort(x->g + b, e - b, sizeof *x->g, by_x);
		if (nl == capl) {
			capl = capl ? capl * 2 : 64;
			pline *p = realloc(L, capl * sizeof *L);
			if (!p) {
				x->t.oom = 1;
				break;
			}
			L = p;
		}
		L[nl].c0 = nc;
		L[nl].nc = 0;
		for (size_t i = b; i < e; i++) {
			if (i == b || wide_gap(&x->g[i - 1], &x->g[i])) {
				if (nc == capc) {
					capc = capc ? capc * 2 : 256;
					cell *p = realloc(C, capc * sizeof *C);
					if (!p) {
						x->t.oom = 1;
						break;
					}
					C = p;
				}
				C[nc].b = i;
				C[nc].x0 = x->g[i].x0;
				nc++;
				L[nl].nc++;
			}
			C[nc - 1].e = i + 1;
			C[nc - 1].x1 = x->g[i].x1;
		}
		nl++;
		b = e;
	}
	/* the size most of the page's prose is set in: a line set larger is a
	** heading, marked as in Markdown, which is how the reader knows headings
	** from the paragraphs whose scope they set. Table rows do not count: a
	** page that is mostly a table has its prose in the size of the prose. */
	float body = 0;
	{
		size_t best = 0, total = 0;
		for (size_t r = 0; r < nl; r++)
			if (L[r].nc < 2)
				total += C[L[r].c0].e - C[L[r].c0].b;
		size_t step = 1 + total / 512;
		for (int pass = 0; pass < 2 && !best; pass++)
			for (size_t r = 0; r < nl; r++) {
				if (!pass && L[r].nc >= 2)
					continue; /* the second pass: a page of tables only */
				const cell *c = &C[L[r].c0];
				for (size_t i = c->b; i < c->e; i += step) {
					size_t cnt = 0;
					for (size_t q = 0; q < nl; q++) {
						if (!pass && L[q].nc >= 2)
							continue;
						const cell *d = &C[L[q].c0];
						size_t e = L[q].nc >= 2 ? C[L[q].c0 + L[q].nc - 1].e : d->e;
						for (size_t j = d->b; j < e; j += step)
							cnt += fabsf(x->g[j].size - x->g[i].size) < 0.5f;
					}
					if (cnt > best) {
						best = cnt;
						body = x->g[i].size;
					}
				}
			}
	}
	for (size_t r = 0; r < nl && !x->t.oom;) {
		if (L[r].nc < 2) {
			const cell *c = &C[L[r].c0];
			int larger = body > 0;
			for (size_t i = c->b; i < c->e && larger; i++)
				larger = x->g[i].size >= 1.15f * body;
			if (larger)
				put(x, "## ", 3);
			put_cell(x, c);
			put(x, "\n", 1);
			r++;
			continue;
		}
		size_t r1 = table_end(x, L, C, nl, r);
		put_table(x, L, r, r1, C);
		r = r1;
	}
	free(C);
	free(L);
}

/* The page's glyphs; a glyph wholly outside the page's box is not seen by
** a reader (a line set wider than its page is cut off at the edge): it is
** left out of the text and counted in x->clipped. */
static void collect(px *x, fz_stext_page *st, fz_rect box)
{
	x->ng = 0;
	x->clipped = 0;
	for (fz_stext_block *bl = st->first_block; bl; bl = bl->next) {
		if (bl->type != FZ_STEXT_BLOCK_TEXT)
			continue;
		for (fz_stext_line *ln = bl->u.t.first_line; ln; ln = ln->next)
			for (fz_stext_char *ch = ln->first_char; ch; ch = ch->next) {
				if (is_space(ch->c) || ch->c < 0x20 || ch->c == 0x7F)
					continue;
				float x0 = fminf(ch->quad.ll.x, ch->quad.ul.x);
				float x1 = fmaxf(ch->quad.lr.x, ch->quad.ur.x);
				if (!isfinite(x0) || !isfinite(x1) || !isfinite(ch->origin.y))
					continue;
				if (x0 >= box.x1 || x1 <= box.x0 || ch->origin.y <= box.y0 || ch->origin.y > box.y1 + ch->size) {
					x->clipped++;
					continue;
				}
				if (x->ng == x->capg) {
					size_t nc = x->capg ? x->capg * 2 : 1024;
					glyph *ng = realloc(x->g, nc * sizeof *ng);
					if (!ng) {
						x->t.oom = 1;
						return;
					}
					x->g = ng;
					x->capg = nc;
				}
				glyph *g = &x->g[x->ng++];
				g->x0 = x0;
				g->x1 = x1 > x0 ? x1 : x0;
				g->y = ch->origin.y;
				g->size = isfinite(ch->size) ? ch->size : 0;
				g->c = ch->c;
				x->chars++;
			}
	}
}

static void quiet(void *user, const char *msg)
{
	(void)user;
	(void)msg;
}

int au_pdf_text(const char *path, const char *buf, size_t len, char **textp, size_t *outlen)
{
	*textp = NULL;
	*outlen = 0;
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (!ctx)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	fz_set_error_callback(ctx, quiet, NULL);
	fz_set_warning_callback(ctx, quiet, NULL);
	px x;
	memset(&x, 0, sizeof x);
	fz_stream *volatile stm = NULL;
	pdf_document *volatile doc = NULL;
	fz_page *volatile page = NULL;
	fz_stext_page *volatile st = NULL;
	volatile int failed = 0, locked = 0, npages = 0;
	char why[256] = "";
	fz_try(ctx) {
		stm = fz_open_memory(ctx, (const unsigned char *)buf, len);
		doc = pdf_open_document_with_stream(ctx, stm);
		if (pdf_needs_password(ctx, doc) && !pdf_authenticate_password(ctx, doc, "")) {
			locked = 1;
		} else {
			npages = pdf_count_pages(ctx, doc);
			if (npages > PDF_MAX_PAGES)
				npages = PDF_MAX_PAGES;
			fz_stext_options so = {0};
			for (int p = 0; p < npages && !x.t.oom; p++) {
				page = fz_load_page(ctx, (fz_document *)doc, p);
				st = fz_new_stext_page_from_page(ctx, page, &so);
				if (p)
					put(&x, "\f", 1);
				collect(&x, st, fz_bound_page(ctx, page));
				/* a vertical tab says the page's text runs past its
				** edge (audit.c notes it; the reader drops control
				** characters); a page without text keeps a line of its
				** own, so that it can be named */
				if (x.clipped)
					put(&x, "\v", 1);
				if (!x.ng)
					put(&x, "\n", 1);
				lay_out(&x);
				fz_drop_stext_page(ctx, st);
				st = NULL;
				fz_drop_page(ctx, page);
				page = NULL;
			}
		}
	}
	fz_always(ctx) {
		fz_drop_stext_page(ctx, st);
		fz_drop_page(ctx, page);
		pdf_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx) {
		failed = 1;
		snprintf(why, sizeof why, "%s", fz_caught_message(ctx));
	}
	fz_drop_context(ctx);
	free(x.g);
	int rc = FISC_OK;
	if (x.t.oom)
		rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	else if (failed)
		rc = fisc_error_set(FISC_EIO, "无法读取文件 %s：PDF文件已损坏（%s） / cannot read %s: a damaged PDF file (%s)",
				    path, why, path, why);
	else if (locked)
		rc = fisc_error_set(FISC_EIO, "无法读取文件 %s：PDF文件已加密，需要密码 / cannot read %s: the PDF is encrypted and needs a password",
				    path, path);
	else if (!npages)
		rc = fisc_error_set(FISC_EIO, "无法读取文件 %s：PDF文件没有页面 / cannot read %s: the PDF has no pages",
				    path, path);
	else if (!x.chars)
		rc = fisc_error_set(FISC_EIO, "无法读取文件 %s：PDF没有文本层（可能是扫描件，需先做文字识别） / cannot read %s: the PDF has no text layer (a scan? it needs OCR first)",
				    path, path);
	if (rc != FISC_OK) {
		free(x.t.out);
		return rc;
	}
	*textp = x.t.out;
	*outlen = x.t.n;
	return FISC_OK;
}
