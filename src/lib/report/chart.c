/*
** chart.c — draws a fisc_chart with cairo (shapes) and pango (labels), once,
** for every format that shows graphics: on the PDF page directly (vector),
** as an SVG document for the HTML page, as a PNG for the DOCX. One routine
** means the three forms cannot disagree.
**
** Labels print exactly what the tables print: fisc_fen_format of a fen
** value, or a number (a 绩效 target or result) as its decimal is written.
** Bar lengths are the only place a value becomes a double: a ratio to the
** largest value, used for geometry, never printed or summed.
*/
#include <stdlib.h>
#include <string.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>
#include "fisc/error.h"
#include "fisc/perf.h"
#include "report/chart.h"
#include "report/render.h"

static const char SANS[] = "SimHei,Noto Sans CJK SC,Source Han Sans SC,sans-serif";
static const char SERIF[] = "FangSong_GB2312,FangSong,Noto Serif CJK SC,serif";

/* Print-friendly colours that stay distinct in grey. */
static const double colour[FISC_CHART_MAXSER][3] = {
	{0.18, 0.33, 0.59}, {0.77, 0.35, 0.07}, {0.50, 0.50, 0.50}, {0.33, 0.51, 0.21}};

enum { PAD = 6, TITLE_H = 22, UNIT_H = 14, LEGEND_H = 18, ROW_H = 18, PLOT_H = 170,
       CATLABEL_H = 30, VALUE_W = 72 };

static PangoLayout *label(cairo_t *cr, const char *s, const char *family, double size, int bold,
			  double width, PangoAlignment al)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_alignment(l, al);
	}
	char *c = fisc_text_clean(s, FISC_TEXT_FOLD);
	pango_layout_set_text(l, c ? c : "", -1);
	free(c);
	return l;
}

static void size_of(PangoLayout *l, double *w, double *h)
{
	int iw, ih;
	pango_layout_get_size(l, &iw, &ih);
	*w = iw / (double)PANGO_SCALE;
	*h = ih / (double)PANGO_SCALE;
}

/* Draws s in a box of width w at (x, y); vertical centring in `box_h` when
** it is > 0. */
static void put(cairo_t *cr, const char *s, const char *family, double size, int bold, double x,
		double y, double w, double box_h, PangoAlignment al)
{
	PangoLayout *l = label(cr, s, family, size, bold, w, al);
	double lw, lh;
	size_of(l, &lw, &lh);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_move_to(cr, x, box_h > 0 ? y + (box_h - lh) / 2 : y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
}

static double text_w(cairo_t *cr, const char *s, double size)
{
	PangoLayout *l = label(cr, s, SERIF, size, 0, 0, PANGO_ALIGN_LEFT);
	double w, h;
	size_of(l, &w, &h);
	g_object_unref(l);
	return w;
}

int fisc_chart_label(const fisc_chart *c, int64_t v, char *buf, size_t cap)
{
	if (c->values == FISC_CHART_NUMBER) {
		fisc_decimal d = {v, c->decimals};
		int n = fisc_decimal_format(d, buf, cap);
		return n < 0 || (size_t)n >= cap ? -1 : n;
	}
	return fisc_fen_format(v, (fisc_unit)c->unit, c->decimals, FISC_FMT_GROUP, buf, cap);
}

const char *fisc_chart_unit_text(const fisc_chart *c)
{
	return c->values == FISC_CHART_NUMBER ? c->measure : fisc_unit_name((fisc_unit)c->unit);
}

static void amount_text(const fisc_chart *c, int64_t v, char *buf, size_t cap)
{
	if (fisc_chart_label(c, v, buf, cap) < 0)
		snprintf(buf, cap, "?");
}

static int64_t max_value(const fisc_chart *c)
{
	int64_t m = 0;
	for (size_t s = 0; s < c->nser; s++)
		for (size_t i = 0; i < c->ncat; i++)
			if (c->has[s][i] && c->v[s][i] > m)
				m = c->v[s][i];
	return m;
}

/* v / max for bar geometry (see the file comment). */
static double ratio(int64_t v, int64_t max)
{
	return max > 0 && v > 0 ? (double)v / (double)max : 0;
}

double fisc_chart_height(const fisc_chart *c, double w)
{
	double h = PAD + TITLE_H + UNIT_H + PAD;
	if (c->kind == FISC_CHART_HBAR)
		return h + (double)c->ncat * ROW_H;
	return h + (c->nser > 1 ? LEGEND_H : 0) + PLOT_H + CATLABEL_H;
}

static void header(cairo_t *cr, const fisc_chart *c, double w, double *y)
{
	put(cr, c->title, SANS, 11, 0, PAD, *y, w - 2 * PAD, 0, PANGO_ALIGN_CENTER);
	*y += TITLE_H;
	/* a pure number has no unit line; its room stays, so that every
	** chart's plot starts at the same height (charts.js mirrors this) */
	const char *u = fisc_chart_unit_text(c);
	if (*u) {
		char unit[96];
		snprintf(unit, sizeof unit, "单位：%s", u);
		put(cr, unit, SERIF, 9, 0, PAD, *y, w - 2 * PAD, 0, PANGO_ALIGN_RIGHT);
	}
	*y += UNIT_H;
}

static void hbar(cairo_t *cr, const fisc_chart *c, double w, double y)
{
	/* largest first: the composition reads from the top */
	size_t order[FISC_CHART_MAXCAT];
	for (size_t i = 0; i < c->ncat; i++)
		order[i] = i;
	for (size_t i = 1; i < c->ncat; i++)
		for (size_t j = i; j > 0 && c->v[0][order[j]] > c->v[0][order[j - 1]]; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	double lw = 0;
	for (size_t i = 0; i < c->ncat; i++) {
		double tw = text_w(cr, c->cat[i], 9);
		if (tw > lw)
			lw = tw;
	}
	lw += 8;
	if (lw > 0.38 * w)
		lw = 0.38 * w;
	double x0 = PAD + lw, span = w - PAD - VALUE_W - x0;
	int64_t max = max_value(c);
	for (size_t k = 0; k < c->ncat; k++) {
		size_t i = order[k];
		put(cr, c->cat[i], SERIF, 9, 0, PAD, y, lw - 6, ROW_H, PANGO_ALIGN_RIGHT);
		if (c->has[0][i]) {
			double len = span * ratio(c->v[0][i], max);
			cairo_set_source_rgb(cr, colour[0][0], colour[0][1], colour[0][2]);
			cairo_rectangle(cr, x0, y + 3.5, len < 0.5 ? 0.5 : len, ROW_H - 7);
			cairo_fill(cr);
			char v[64];
			amount_text(c, c->v[0][i], v, sizeof v);
			put(cr, v, SERIF, 9, 0, x0 + len + 4, y, 0, ROW_H, PANGO_ALIGN_LEFT);
		}
		y += ROW_H;
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, x0, y - (double)c->ncat * ROW_H);
	cairo_line_to(cr, x0, y);
	cairo_stroke(cr);
}

static void columns(cairo_t *cr, const fisc_chart *c, double w, double y)
{
	if (c->nser > 1) { /* legend */
		double x = PAD + 40;
		for (size_t s = 0; s < c->nser; s++) {
			cairo_set_source_rgb(cr, colour[s][0], colour[s][1], colour[s][2]);
			cairo_rectangle(cr, x, y + 5, 10, 8);
			cairo_fill(cr);
			put(cr, c->ser[s], SERIF, 9, 0, x + 14, y, 0, LEGEND_H, PANGO_ALIGN_LEFT);
			x += 24 + text_w(cr, c->ser[s], 9);
		}
		y += LEGEND_H;
	}
	double x0 = PAD + 8, x1 = w - PAD, top = y + 12, base = y + PLOT_H;
	int64_t max = max_value(c);
	double gw = (x1 - x0) / (double)(c->ncat ? c->ncat : 1);
	double bw = gw * 0.7 / (double)(c->nser ? c->nser : 1);
	for (size_t i = 0; i < c->ncat; i++) {
		double gx = x0 + gw * (double)i + gw * 0.15;
		for (size_t s = 0; s < c->nser; s++) {
			if (!c->has[s][i])
				continue;
			double h = (base - top - 12) * ratio(c->v[s][i], max);
			double bx = gx + bw * (double)s;
			cairo_set_source_rgb(cr, colour[s][0], colour[s][1], colour[s][2]);
			cairo_rectangle(cr, bx + 1, base - h, bw - 2, h);
			cairo_fill(cr);
			char v[64];
			amount_text(c, c->v[s][i], v, sizeof v);
			/* the value over its own column only: set smaller until it
			** fits there, so that neighbouring values never overlap */
			double size = bw < 40 ? 7 : 8;
			while (size > 4.5 && text_w(cr, v, size) > bw - 1)
				size -= 0.5;
			put(cr, v, SERIF, size, 0, bx, base - h - 11, bw, 0, PANGO_ALIGN_CENTER);
		}
		put(cr, c->cat[i], SERIF, 9, 0, x0 + gw * (double)i, base + 3, gw, 0, PANGO_ALIGN_CENTER);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, x0, base);
	cairo_line_to(cr, x1, base);
	cairo_stroke(cr);
}

void fisc_chart_draw(cairo_t *cr, const fisc_chart *c, double w)
{
	cairo_save(cr);
	double y = PAD;
	header(cr, c, w, &y);
	if (c->kind == FISC_CHART_HBAR)
		hbar(cr, c, w, y);
	else
		columns(cr, c, w, y);
	cairo_restore(cr);
}

static cairo_status_t to_stream(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* Draws c on the surface `make` creates over a memory stream. */
static int render(const fisc_chart *c, double w, double scale, int png, unsigned char **buf,
		  size_t *len)
{
	char *b = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&b, &n);
	if (!m)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	double h = fisc_chart_height(c, w);
	cairo_surface_t *s =
		png ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w * scale), (int)(h * scale))
		    : cairo_svg_surface_create_for_stream(to_stream, m, w, h);
	cairo_t *cr = cairo_create(s);
	if (png) {
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_scale(cr, scale, scale);
	}
	fisc_chart_draw(cr, c, w);
	cairo_destroy(cr);
	cairo_status_t st = png ? cairo_surface_write_to_png_stream(s, to_stream, m)
				: (cairo_surface_finish(s), cairo_surface_status(s));
	cairo_surface_destroy(s);
	int closed = fclose(m);
	if (st != CAIRO_STATUS_SUCCESS || closed != 0) {
		free(b);
		return fisc_error_set(FISC_EIO, "无法绘制图表「%s」/ cannot draw chart: %s", c->title,
				      cairo_status_to_string(st));
	}
	*buf = (unsigned char *)b;
	*len = n;
	return FISC_OK;
}

int fisc_chart_png(const fisc_chart *c, double w, double scale, unsigned char **buf, size_t *len)
{
	return render(c, w, scale, 1, buf, len);
}

/* cairo numbers the SVG surfaces it creates ("surface41") with a counter
** global to the process, so the same chart drawn twice in one process (a
** server, a batch of reports) would differ in its bytes. The ids are renamed
** surface1, surface2 … in the order the document first names them, so that
** a chart's SVG depends only on the chart. In place: a renamed id is never
** longer than the id it replaces. */
static void svg_renumber(char *b, size_t *len)
{
	static const char pre[] = "surface";
	enum { PRE = sizeof pre - 1, MAXIDS = 64 };
	unsigned long seen[MAXIDS];
	size_t nseen = 0, o = 0;
	for (size_t i = 0; i < *len;) {
		if (*len - i > PRE && !memcmp(b + i, pre, PRE) && b[i + PRE] >= '0' &&
		    b[i + PRE] <= '9') {
			size_t j = i + PRE;
			unsigned long v = 0;
			while (j < *len && b[j] >= '0' && b[j] <= '9' && v < 100000000UL)
				v = v * 10 + (unsigned long)(b[j++] - '0');
			size_t k = 0;
			while (k < nseen && seen[k] != v)
				k++;
			if (k == nseen && nseen < MAXIDS)
				seen[nseen++] = v;
			char id[32];
			int n = k < MAXIDS ? snprintf(id, sizeof id, "%s%zu", pre, k + 1) : 0;
			if (n > 0 && (size_t)n <= j - i) {
				memcpy(b + o, id, (size_t)n);
				o += (size_t)n;
			} else {
				memmove(b + o, b + i, j - i);
				o += j - i;
			}
			i = j;
			continue;
		}
		b[o++] = b[i++];
	}
	*len = o;
	b[o] = 0;
}

int fisc_chart_svg(const fisc_chart *c, double w, char **buf, size_t *len)
{
	int rc = render(c, w, 1, 0, (unsigned char **)buf, len);
	if (rc == FISC_OK)
		svg_renumber(*buf, len);
	return rc;
}
