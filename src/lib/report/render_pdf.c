/*
** render_pdf.c — a fisc_doc typeset as a PDF with pango (text layout, CJK
** line breaking, font fallback through fontconfig) and cairo (the PDF
** surface, which embeds a subset of every font it draws with): the form in
** which department disclosures and the report to the congress are published.
**
** The page follows the same official-document layout as the DOCX (A4, GB/T
** 9704 margins, 仿宋 body at 16 pt on a 28 pt line pitch, 黑体 / 楷体 headings,
** page numbers "— 1 —" at the foot), falling back to Noto Serif/Sans CJK,
** which Debian's fonts-noto-cjk provides. fisc does the pagination itself,
** line by line, because it is what the published form needs and a layout
** engine for pages is not in pango:
** - a heading is never the last thing on a page: it moves to the next page
**   unless the first two lines of what follows (or a table's caption, header
**   and first row) fit under it;
** - a table's caption and unit line stay with its first rows; when a table
**   continues on a new page its header rows are drawn again; rows are not
**   split; numbers are right-aligned;
** - headings become the PDF's outline (bookmarks), by level.
** Text from imported data passes fisc_text_clean and is set as plain text,
** never as pango markup.
*/
#include <stdlib.h>
#include <string.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include "fisc/error.h"
#include "report/chart.h"
#include "report/render.h"

#define MM (72.0 / 25.4)
static const double PAGE_W = 210 * MM, PAGE_H = 297 * MM;
static const double MARGIN_T = 37 * MM, MARGIN_B = 35 * MM, MARGIN_L = 28 * MM,
		    MARGIN_R = 26 * MM;
/* the page in use: portrait, or landscape for a wide table (pdf.land) */
#define PW(p) ((p)->land ? PAGE_H : PAGE_W)
#define PH(p) ((p)->land ? PAGE_W : PAGE_H)
#define TEXT_W(p) (PW(p) - MARGIN_L - MARGIN_R)
#define BOTTOM(p) (PH(p) - MARGIN_B)

static const char SERIF[] = "FangSong_GB2312,FangSong,Noto Serif CJK SC,Source Han Serif SC,serif";
static const char SANS[] = "SimHei,Noto Sans CJK SC,Source Han Sans SC,sans-serif";
static const char KAI[] = "KaiTi_GB2312,KaiTi,STKaiti,AR PL UKai CN,Noto Serif CJK SC,serif";
static const char TITLE[] = "FZXiaoBiaoSong-B05S,方正小标宋简体,Noto Serif CJK SC,serif";

enum { CELL_PAD = 3 };

/* How a run of text is set. */
typedef struct tstyle {
	const char *family;
	double size;       /* points */
	int bold;
	double pitch;      /* line pitch in points */
	double indent;     /* first-line indent in points */
	PangoAlignment align;
	int justify;
	double before, after;
} tstyle;

static const tstyle S_TITLE = {TITLE, 22, 1, 36, 0, PANGO_ALIGN_CENTER, 0, 0, 12};
static const tstyle S_SUBTITLE = {KAI, 14, 0, 24, 0, PANGO_ALIGN_CENTER, 0, 0, 14};
static const tstyle S_BODY = {SERIF, 16, 0, 28, 32, PANGO_ALIGN_LEFT, 1, 0, 0};
static const tstyle S_NOTE = {SERIF, 12, 0, 20, 0, PANGO_ALIGN_LEFT, 1, 3, 3};
static const tstyle S_H[4] = {
	{SANS, 16, 0, 28, 32, PANGO_ALIGN_LEFT, 0, 6, 0},
	{KAI, 16, 1, 28, 32, PANGO_ALIGN_LEFT, 0, 0, 0},
	{SERIF, 16, 1, 28, 32, PANGO_ALIGN_LEFT, 0, 0, 0},
	{SERIF, 16, 0, 28, 32, PANGO_ALIGN_LEFT, 0, 0, 0},
};
static const tstyle S_CAPTION = {SANS, 14, 0, 22, 0, PANGO_ALIGN_CENTER, 0, 10, 2};
static const tstyle S_UNIT = {SERIF, 10.5, 0, 16, 0, PANGO_ALIGN_RIGHT, 0, 0, 2};
static const tstyle S_TNOTE = {SERIF, 10, 0, 15, 0, PANGO_ALIGN_LEFT, 1, 2, 0};
static const double TABLE_SIZE = 10.5;

typedef struct pdf {
	FILE *out;
	int werr;        /* a write to out failed */
	cairo_surface_t *surf;
	cairo_t *cr;
	double y;        /* top of the free space on the page */
	int page;        /* 1-based; 0 before the first page */
	int outline[5];  /* the outline item of the last heading of each level */
	int land;        /* the page is landscape (a wide table's) */
} pdf;

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	pdf *p = closure;
	if (fwrite(data, 1, len, p->out) != len) {
		p->werr = 1;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

static void footer(pdf *p)
{
	char num[32];
	snprintf(num, sizeof num, "— %d —", p->page);
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd = pango_font_description_from_string("Noto Serif CJK SC 14");
	pango_font_description_set_family(fd, "Times New Roman,Noto Serif CJK SC,serif");
	pango_layout_set_font_description(l, fd);
	pango_layout_set_text(l, num, -1);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	cairo_move_to(p->cr, (PW(p) - w / (double)PANGO_SCALE) / 2, PH(p) - 25 * MM);
	pango_cairo_show_layout(p->cr, l);
	pango_font_description_free(fd);
	g_object_unref(l);
}

static void new_page(pdf *p)
{
	if (p->page) {
		footer(p);
		cairo_show_page(p->cr);
	}
	p->page++;
	p->y = MARGIN_T;
}

static double room(const pdf *p)
{
	return BOTTOM(p) - p->y;
}

static PangoLayout *layout(pdf *p, const char *family, double size, int bold, double width,
			   const char *s)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	char *c = fisc_text_clean(s, FISC_TEXT_FOLD);
	pango_layout_set_text(l, c ? c : "", -1);
	free(c);
	return l;
}

static PangoLayout *text_layout(pdf *p, const tstyle *st, const char *s)
{
	PangoLayout *l = layout(p, st->family, st->size, st->bold, TEXT_W(p), s);
	pango_layout_set_indent(l, (int)(st->indent * PANGO_SCALE));
	pango_layout_set_alignment(l, st->align);
	pango_layout_set_justify(l, st->justify);
	return l;
}

/* Height of the first `lines` lines of s set in st (all lines when 0). */
static double text_height(pdf *p, const tstyle *st, const char *s, int lines)
{
	PangoLayout *l = text_layout(p, st, s);
	int n = pango_layout_get_line_count(l);
	g_object_unref(l);
	if (lines && n > lines)
		n = lines;
	return st->before + n * st->pitch + (lines ? 0 : st->after);
}

/* Sets s line by line on the fixed pitch, breaking pages between lines. */
static void put_text(pdf *p, const tstyle *st, const char *s)
{
	PangoLayout *l = text_layout(p, st, s);
	p->y += st->before;
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		if (room(p) < st->pitch)
			new_page(p);
		PangoRectangle log;
		pango_layout_iter_get_line_extents(it, NULL, &log);
		double base = pango_layout_iter_get_baseline(it) / (double)PANGO_SCALE;
		double top = log.y / (double)PANGO_SCALE, h = log.height / (double)PANGO_SCALE;
		/* the line's box centred in the pitch */
		double y = p->y + (st->pitch - h) / 2 + (base - top);
		cairo_move_to(p->cr, MARGIN_L + log.x / (double)PANGO_SCALE, y);
		pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
		p->y += st->pitch;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(l);
	p->y += st->after;
}

/* --- tables -------------------------------------------------------------- */

typedef struct tlay {
	const fisc_table *t;
	double x[FISC_DOC_MAXCOLS + 1]; /* column edges */
	double *head_h;                 /* heights of the header rows */
	double head_total;
} tlay;

static int numeric(const fisc_cell *c)
{
	return c->kind == FISC_CELL_AMOUNT || c->kind == FISC_CELL_PERCENT ||
	       c->kind == FISC_CELL_NUMBER;
}

static PangoLayout *cell_layout(pdf *p, const tlay *L, size_t c, int span, const fisc_cell *x,
				int head)
{
	double w = L->x[c + (size_t)span] - L->x[c] - 2 * CELL_PAD;
	double indent = head || numeric(x) ? 0 : TABLE_SIZE * (x->level < 0 ? 0 : x->level);
	PangoLayout *l = layout(p, head ? SANS : SERIF, TABLE_SIZE, !head && x->strong,
				w - indent, fisc_cell_str(x));
	pango_layout_set_alignment(l, head ? PANGO_ALIGN_CENTER
					   : numeric(x) ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	return l;
}

static double layout_h(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return h / (double)PANGO_SCALE;
}

/* Draws the cell's box and its text at (x0, y0) for the given height. */
static void draw_cell(pdf *p, PangoLayout *l, double x0, double x1, double y0, double h,
		      double indent, int shade)
{
	cairo_t *cr = p->cr;
	if (shade) {
		cairo_set_source_rgb(cr, 0.94, 0.94, 0.94);
		cairo_rectangle(cr, x0, y0, x1 - x0, h);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
	}
	cairo_set_line_width(cr, 0.6);
	cairo_rectangle(cr, x0, y0, x1 - x0, h);
	cairo_stroke(cr);
	if (l) {
		double th = layout_h(l);
		cairo_move_to(cr, x0 + CELL_PAD + indent, y0 + (h - th) / 2);
		pango_cairo_show_layout(cr, l);
	}
}

static double row_height(pdf *p, const tlay *L, fisc_cell *row)
{
	double h = TABLE_SIZE * 1.4;
	for (size_t c = 0; c < L->t->ncols; c++) {
		PangoLayout *l = cell_layout(p, L, c, 1, &row[c], 0);
		double ch = layout_h(l);
		g_object_unref(l);
		if (ch > h)
			h = ch;
	}
	return h + 2 * CELL_PAD;
}

static void measure_head(pdf *p, tlay *L)
{
	const fisc_table *t = L->t;
	L->head_total = 0;
	for (size_t r = 0; r < t->nhead; r++)
		L->head_h[r] = TABLE_SIZE * 1.4 + 2 * CELL_PAD;
	/* single-row cells first, then each spanning cell grows its last row */
	for (int pass = 0; pass < 2; pass++)
		for (size_t r = 0; r < t->nhead; r++)
			for (size_t c = 0; c < t->ncols; c++) {
				const fisc_cell *h = &t->head[r][c];
				int rs = h->rowspan > 1 ? h->rowspan : 1;
				if (h->kind == FISC_CELL_COVERED || (rs > 1) != pass)
					continue;
				PangoLayout *l = cell_layout(p, L, c, h->colspan > 1 ? h->colspan : 1, h, 1);
				double need = layout_h(l) + 2 * CELL_PAD, have = 0;
				g_object_unref(l);
				size_t last = r + (size_t)rs - 1 < t->nhead ? r + (size_t)rs - 1 : t->nhead - 1;
				for (size_t k = r; k <= last; k++)
					have += L->head_h[k];
				if (need > have)
					L->head_h[last] += need - have;
			}
	for (size_t r = 0; r < t->nhead; r++)
		L->head_total += L->head_h[r];
}

static void draw_head(pdf *p, const tlay *L)
{
	const fisc_table *t = L->t;
	double y = p->y;
	for (size_t r = 0; r < t->nhead; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const fisc_cell *h = &t->head[r][c];
			if (h->kind == FISC_CELL_COVERED)
				continue;
			int cs = h->colspan > 1 ? h->colspan : 1, rs = h->rowspan > 1 ? h->rowspan : 1;
			size_t cend = c + (size_t)cs <= t->ncols ? c + (size_t)cs : t->ncols;
			double hh = 0;
			for (size_t k = r; k < r + (size_t)rs && k < t->nhead; k++)
				hh += L->head_h[k];
			PangoLayout *l = cell_layout(p, L, c, (int)(cend - c), h, 1);
			draw_cell(p, l, L->x[c], L->x[cend], y, hh, 0, 1);
			g_object_unref(l);
		}
		y += L->head_h[r];
	}
	p->y = y;
}

static void draw_row(pdf *p, const tlay *L, fisc_cell *row, double h)
{
	for (size_t c = 0; c < L->t->ncols; c++) {
		const fisc_cell *x = &row[c];
		PangoLayout *l = cell_layout(p, L, c, 1, x, 0);
		double indent = numeric(x) ? 0 : TABLE_SIZE * (x->level < 0 ? 0 : x->level);
		draw_cell(p, l, L->x[c], L->x[c + 1], p->y, h, indent, 0);
		g_object_unref(l);
	}
	p->y += h;
}

static void table_geometry(const pdf *p, tlay *L, const fisc_table *t)
{
	/* in half-width units of the table text (TABLE_SIZE / 2 points) */
	double fit[FISC_DOC_MAXCOLS], sum = 0;
	fisc_table_fit(t, TEXT_W(p) / (TABLE_SIZE / 2), fit);
	for (size_t c = 0; c < t->ncols; c++)
		sum += fit[c];
	L->t = t;
	L->x[0] = MARGIN_L;
	for (size_t c = 0; c < t->ncols; c++)
		L->x[c + 1] = L->x[c] + TEXT_W(p) * fit[c] / sum;
}

/* Space the start of a table needs: caption, unit, header, first row. */
static double table_start_height(pdf *p, const fisc_table *t)
{
	double h = 0;
	if (*t->title)
		h += text_height(p, &S_CAPTION, t->title, 0);
	if (t->unit_label && t->nbody)
		h += text_height(p, &S_UNIT, t->unit_label, 0);
	if (!t->nbody)
		return h + text_height(p, &S_BODY, t->empty_text ? t->empty_text : "（本表无数据。）", 0);
	tlay L;
	double hh[64];
	int land = p->land;
	p->land = t->nbody && fisc_table_wide(t); /* measured on its own page */
	table_geometry(p, &L, t);
	L.head_h = t->nhead <= 64 ? hh : malloc(t->nhead * sizeof *L.head_h);
	if (!L.head_h) {
		p->land = land;
		return h;
	}
	measure_head(p, &L);
	h += L.head_total + row_height(p, &L, t->body[0]);
	if (L.head_h != hh)
		free(L.head_h);
	p->land = land;
	return h;
}

/* Turn the page to `land`: a new page unless nothing is on this one yet
** (cairo takes a page's size until the first drawing on it). */
static void orient(pdf *p, int land)
{
	if (p->land == land)
		return;
	if (p->y > MARGIN_T)
		new_page(p);
	p->land = land;
	cairo_pdf_surface_set_size(p->surf, PW(p), PH(p));
}

static int put_table(pdf *p, const fisc_table *t)
{
	/* a table wider than a portrait page is set on landscape pages of its
	** own, so that its columns are not squeezed into 156 mm */
	int wide = t->nbody && fisc_table_wide(t);
	orient(p, wide);
	double start = table_start_height(p, t);
	if (start > room(p) && p->y > MARGIN_T)
		new_page(p);
	if (*t->title)
		put_text(p, &S_CAPTION, t->title);
	if (t->unit_label && t->nbody)
		put_text(p, &S_UNIT, t->unit_label);
	if (!t->nbody) {
		tstyle st = S_BODY;
		st.align = PANGO_ALIGN_CENTER;
		st.indent = 0;
		put_text(p, &st, t->empty_text ? t->empty_text : "（本表无数据。）");
	} else {
		tlay L;
		table_geometry(p, &L, t);
		L.head_h = calloc(t->nhead ? t->nhead : 1, sizeof *L.head_h);
		if (!L.head_h)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		measure_head(p, &L);
		draw_head(p, &L);
		for (size_t r = 0; r < t->nbody; r++) {
			double h = row_height(p, &L, t->body[r]);
			if (h > room(p)) { /* continued: the header again on the new page */
				new_page(p);
				draw_head(p, &L);
			}
			draw_row(p, &L, t->body[r], h);
		}
		free(L.head_h);
	}
	for (size_t i = 0; i < t->nnotes; i++) {
		char *s = NULL;
		if (asprintf(&s, "注：%s", t->notes[i]) < 0)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		put_text(p, &S_TNOTE, s);
		free(s);
	}
	p->y += 8;
	orient(p, 0); /* what follows is portrait again */
	return FISC_OK;
}

/* A chart drawn on the page as vectors, kept whole on one page. */
static void put_chart(pdf *p, const fisc_chart *c)
{
	if (!fisc_chart_drawable(c))
		return;
	double h = fisc_chart_height(c, TEXT_W(p));
	if (h > room(p) && p->y > MARGIN_T)
		new_page(p);
	cairo_save(p->cr);
	cairo_translate(p->cr, MARGIN_L, p->y);
	fisc_chart_draw(p->cr, c, TEXT_W(p));
	cairo_restore(p->cr);
	p->y += h + 8;
}

/* --- blocks -------------------------------------------------------------- */

static const tstyle *heading_style(int level)
{
	return &S_H[level < 1 ? 0 : level > 4 ? 3 : level - 1];
}

/* What must fit under a heading so that it is not left alone at the foot
** of a page: the first two lines of a paragraph, the start of a table, or the
** next heading and what it needs in turn. */
static double keep_with(pdf *p, const fisc_doc *d, size_t i)
{
	if (i >= d->nblocks)
		return 0;
	const fisc_block *b = &d->blocks[i];
	switch (b->kind) {
	case FISC_BLOCK_HEADING:
		return text_height(p, heading_style(b->level), b->text, 0) + keep_with(p, d, i + 1);
	case FISC_BLOCK_PARAGRAPH:
		return text_height(p, &S_BODY, b->text, 2);
	case FISC_BLOCK_NOTE:
		return text_height(p, &S_NOTE, b->text, 2);
	case FISC_BLOCK_CHART:
		return fisc_chart_drawable(b->chart) ? fisc_chart_height(b->chart, TEXT_W(p)) : 0;
	default:
		return table_start_height(p, b->table);
	}
}

static void outline(pdf *p, int level, const char *text)
{
	level = level < 1 ? 1 : level > 4 ? 4 : level;
	char *name = fisc_text_clean(text, FISC_TEXT_FOLD);
	char link[96];
	snprintf(link, sizeof link, "page=%d pos=[%.1f %.1f]", p->page, MARGIN_L, p->y);
	int parent = level > 1 ? p->outline[level - 1] : CAIRO_PDF_OUTLINE_ROOT;
	if (name)
		p->outline[level] = cairo_pdf_surface_add_outline(p->surf, parent, name, link, 0);
	for (int l = level + 1; l < 5; l++)
		p->outline[l] = p->outline[level];
	free(name);
}

int fisc_render_pdf(const fisc_doc *d, FILE *out)
{
	pdf p = {.out = out};
	p.surf = cairo_pdf_surface_create_for_stream(write_out, &p, PAGE_W, PAGE_H);
	if (cairo_surface_status(p.surf) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(p.surf);
		return fisc_error_set(FISC_ENOMEM, "无法创建 PDF / cannot create the PDF surface");
	}
	char *title = fisc_text_clean(d->title, FISC_TEXT_FOLD);
	if (title)
		cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_TITLE, title);
	free(title);
	cairo_pdf_surface_set_metadata(p.surf, CAIRO_PDF_METADATA_CREATOR, "fisc");
	p.cr = cairo_create(p.surf);
	cairo_set_source_rgb(p.cr, 0, 0, 0);
	for (int l = 0; l < 5; l++)
		p.outline[l] = CAIRO_PDF_OUTLINE_ROOT;
	new_page(&p);
	int rc = FISC_OK;
	if (*d->title)
		put_text(&p, &S_TITLE, d->title);
	if (d->subtitle)
		put_text(&p, &S_SUBTITLE, d->subtitle);
	for (size_t i = 0; i < d->nblocks && rc == FISC_OK; i++) {
		const fisc_block *b = &d->blocks[i];
		switch (b->kind) {
		case FISC_BLOCK_HEADING: {
			const tstyle *st = heading_style(b->level);
			double need = text_height(&p, st, b->text, 0) + keep_with(&p, d, i + 1);
			/* the heading with the start of what follows does not
			** fit: both go to the next page (what a heading needs
			** under it is at most a table's start, which fits a page) */
			if (need > room(&p) && p.y > MARGIN_T)
				new_page(&p);
			outline(&p, b->level, b->text);
			put_text(&p, st, b->text);
			break;
		}
		case FISC_BLOCK_PARAGRAPH:
			put_text(&p, &S_BODY, b->text);
			break;
		case FISC_BLOCK_NOTE: {
			char *s = NULL;
			if (asprintf(&s, "注：%s", b->text) < 0) {
				rc = fisc_error_set(FISC_ENOMEM, "out of memory");
				break;
			}
			put_text(&p, &S_NOTE, s);
			free(s);
			break;
		}
		case FISC_BLOCK_TABLE:
			rc = put_table(&p, b->table);
			break;
		case FISC_BLOCK_CHART:
			put_chart(&p, b->chart);
			break;
		}
	}
	footer(&p);
	cairo_destroy(p.cr);
	cairo_surface_finish(p.surf);
	cairo_status_t st = cairo_surface_status(p.surf);
	cairo_surface_destroy(p.surf);
	if (rc == FISC_OK && (p.werr || st != CAIRO_STATUS_SUCCESS))
		rc = fisc_error_set(FISC_EIO, "写出 PDF 失败 / cannot write the PDF: %s",
				    p.werr ? "write failed" : cairo_status_to_string(st));
	return rc;
}

/*
** Under AddressSanitizer (make asan) only: fontconfig, cairo and pango keep
** their font caches for the life of the process by design, and free them
** only on calls (FcFini, cairo_debug_reset_static_data) that a library must
** not make behind its host's back. These are the suppressions LeakSanitizer
** asks for, and no report of which ones matched (it would land on the stderr
** the tests read). Leaks of fisc's own allocations are not matched: their
** stacks hold no frame of these libraries. Normal builds define nothing.
*/
#if defined(__SANITIZE_ADDRESS__)
#define FISC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FISC_ASAN 1
#endif
#endif
#ifdef FISC_ASAN
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n"
	       "leak:libcairo.so\n"
	       "leak:libpango-1.0.so\n"
	       "leak:libpangocairo-1.0.so\n"
	       "leak:libpangoft2-1.0.so\n"
	       "leak:libharfbuzz.so\n"
	       "leak:libglib-2.0.so\n"
	       "leak:libgobject-2.0.so\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif
