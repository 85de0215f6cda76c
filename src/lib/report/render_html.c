/*
** render_html.c — a fisc_doc as one self-contained, print-ready HTML page.
**
** The page is laid out for A4 (@page) in the conventions of Chinese official
** documents: a serif (宋体-like) body with a CJK font stack, 黑体 for first-level
** headings and 楷体 for second-level ones, paragraphs indented two characters,
** and tables ruled in black like the published 收支平衡情况表, with the unit
** line above the table on the right. Header rows repeat on every printed page
** and rows are not split across pages. Nothing is loaded from outside.
**
** Charts: each figure holds chart.c's SVG as an <img> (what prints, and what
** shows with scripts off) and its definition in data-chart; when the web
** bundle is installed (DATADIR/web/report-charts.js, built by `make web` from
** web/src/report.js and web/src/charts.js), it is inlined once at the end of
** the page and draws every chart with ECharts, the way the web page does.
*/
#include <stdlib.h>
#include <string.h>
#include <glib.h>
#include <jansson.h>
#include "fisc/catalog.h"
#include "fisc/error.h"
#include "report/chart.h"
#include "model/util.h"
#include "report/render.h"

/* Text as HTML character data: markup characters as entities (so a name
** holding "<script>" prints as itself), control characters and bidi
** overrides shown as "\x1b" / "\u202e" (they are not allowed in HTML and
** would reorder what a reader sees). */
static void esc(const char *s, FILE *out)
{
	fisc_put_text(s, FISC_TEXT_HTML | FISC_TEXT_NEWLINES | FISC_TEXT_TABS, out);
}

static const char css[] =
	"@page { size: A4; margin: 25mm 20mm 22mm 20mm; }\n"
	"html { font-family: \"Noto Serif CJK SC\", \"Source Han Serif SC\", \"Source Han Serif CN\","
	" \"SimSun\", \"Songti SC\", serif; font-size: 12pt; line-height: 1.7; color: #000;"
	" background: #fff; }\n"
	"body { max-width: 170mm; margin: 0 auto; padding: 8mm 0; }\n"
	"h1 { font-size: 20pt; text-align: center; line-height: 1.4; margin: 0 0 .4em; }\n"
	".subtitle { text-align: center; font-family: \"KaiTi\", \"STKaiti\", \"AR PL UKai CN\","
	" \"Noto Serif CJK SC\", serif; margin: 0 0 1.2em; }\n"
	"h2 { font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"SimHei\", sans-serif;"
	" font-size: 15pt; margin: 1.1em 0 .4em; }\n"
	"h3 { font-family: \"KaiTi\", \"STKaiti\", \"AR PL UKai CN\", \"Noto Serif CJK SC\", serif;"
	" font-size: 13.5pt; margin: .9em 0 .3em; }\n"
	"h4, h5 { font-size: 12pt; margin: .7em 0 .3em; }\n"
	"p { text-indent: 2em; margin: .25em 0; text-align: justify; }\n"
	"p.note { text-indent: 0; font-size: 10.5pt; color: #333; border-left: 3px solid #888;"
	" padding-left: .6em; margin: .4em 0; }\n"
	"figure.table { margin: .8em 0 1.2em; break-inside: avoid; page-break-inside: avoid; }\n"
	".caption { text-align: center; font-weight: bold; font-size: 13pt; margin-bottom: .2em; }\n"
	".unit { text-align: right; font-size: 10.5pt; margin-bottom: .2em; }\n"
	".empty { text-align: center; border: 1px solid #000; padding: .8em; }\n"
	"table { border-collapse: collapse; width: 100%; font-size: 10.5pt; line-height: 1.45; }\n"
	"th, td { border: 1px solid #000; padding: 2.5pt 5pt; }\n"
	"th { font-weight: bold; text-align: center; vertical-align: middle; background: #f0f0f0; }\n"
	"td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }\n"
	"td.l1 { padding-left: 1.2em; } td.l2 { padding-left: 2.2em; }"
	" td.l3 { padding-left: 3.2em; } td.l4 { padding-left: 4.2em; }\n"
	"td.strong { font-weight: bold; }\n"
	"thead { display: table-header-group; }\n"
	"tr { break-inside: avoid; page-break-inside: avoid; }\n"
	".tnote { font-size: 10pt; margin: .2em 0 0; text-indent: 0; }\n"
	"figure.chart { margin: .8em auto 1.2em; text-align: center; break-inside: avoid;"
	" page-break-inside: avoid; }\n"
	"figure.chart img { width: 100%; max-width: 170mm; height: auto; }\n"
	"figure.chart .echart { margin: 0 auto; max-width: 100%; }\n"
	"th.nw, td.nw { white-space: nowrap; }\n"
	"figure.wide { overflow-x: auto; }\n"
	"@page wide { size: A4 landscape; margin: 20mm 20mm 20mm 25mm; }\n"
	"figure.wide { page: wide; }\n"
	"@media print { body { padding: 0; } th { background: none; } }\n";

/* Short texts (up to six characters: "二级指标", "执行数") never wrap inside
** their cell: a narrow column breaking "二级指/标" reads as a typo. */
static int short_text(const char *s)
{
	size_t chars = 0, left = strlen(s);
	for (const unsigned char *p = (const unsigned char *)s; *p && chars <= 6; chars++) {
		size_t k = fisc_utf8_len(p, left);
		if (!k)
			return 0;
		p += k;
		left -= k;
	}
	return chars <= 6;
}

/* A table wider than a portrait page (in half-width units of its text:
** about 95 fit) scrolls on screen and prints on a landscape page. */
static int wide_table(const fisc_table *t)
{
	double w[FISC_DOC_MAXCOLS], sum = 0;
	fisc_table_widths(t, w);
	for (size_t c = 0; c < t->ncols; c++)
		sum += w[c];
	return t->ncols > 8 || sum > 110;
}

static void put_table(const fisc_table *t, FILE *out)
{
	fputs(wide_table(t) ? "<figure class=\"table wide\">\n" : "<figure class=\"table\">\n", out);
	if (*t->title) {
		fputs("<div class=\"caption\">", out);
		esc(t->title, out);
		fputs("</div>\n", out);
	}
	if (t->unit_label && t->nbody) {
		fputs("<div class=\"unit\">", out);
		esc(t->unit_label, out);
		fputs("</div>\n", out);
	}
	if (!t->nbody) {
		fputs("<div class=\"empty\">", out);
		esc(t->empty_text ? t->empty_text : "（本表无数据。）", out);
		fputs("</div>\n", out);
	} else {
		fputs("<table>\n<thead>\n", out);
		for (size_t r = 0; r < t->nhead; r++) {
			fputs("<tr>", out);
			for (size_t c = 0; c < t->ncols; c++) {
				const fisc_cell *h = &t->head[r][c];
				if (h->kind == FISC_CELL_COVERED)
					continue;
				fputs(short_text(fisc_cell_str(h)) ? "<th class=\"nw\"" : "<th", out);
				if (h->colspan > 1)
					fprintf(out, " colspan=\"%d\"", h->colspan);
				if (h->rowspan > 1)
					fprintf(out, " rowspan=\"%d\"", h->rowspan);
				fputc('>', out);
				esc(fisc_cell_str(h), out);
				fputs("</th>", out);
			}
			fputs("</tr>\n", out);
		}
		fputs("</thead>\n<tbody>\n", out);
		for (size_t r = 0; r < t->nbody; r++) {
			fputs("<tr>", out);
			for (size_t c = 0; c < t->ncols; c++) {
				const fisc_cell *x = &t->body[r][c];
				int num = x->kind == FISC_CELL_AMOUNT || x->kind == FISC_CELL_PERCENT ||
					  x->kind == FISC_CELL_NUMBER;
				char cls[48] = "";
				size_t n = 0;
				if (num)
					n += (size_t)snprintf(cls + n, sizeof cls - n, "num");
				if (x->level > 0 && x->level <= 4)
					n += (size_t)snprintf(cls + n, sizeof cls - n, "%sl%d", n ? " " : "",
							      x->level);
				if (x->strong)
					n += (size_t)snprintf(cls + n, sizeof cls - n, "%sstrong", n ? " " : "");
				if (!num && *fisc_cell_str(x) && short_text(fisc_cell_str(x)))
					snprintf(cls + n, sizeof cls - n, "%snw", n ? " " : "");
				if (*cls)
					fprintf(out, "<td class=\"%s\">", cls);
				else
					fputs("<td>", out);
				esc(fisc_cell_str(x), out);
				fputs("</td>", out);
			}
			fputs("</tr>\n", out);
		}
		fputs("</tbody>\n</table>\n", out);
	}
	for (size_t i = 0; i < t->nnotes; i++) {
		fputs("<p class=\"tnote\">注：", out);
		esc(t->notes[i], out);
		fputs("</p>\n", out);
	}
	fputs("</figure>\n", out);
}

/* A chart as an SVG image drawn by chart.c. It goes in as a data: URI, not
** inline: cairo names the glyphs of every SVG alike, and two inline SVGs on
** one page would share (and break) each other's ids. */
static int put_chart(const fisc_chart *c, FILE *out)
{
	if (!fisc_chart_drawable(c))
		return FISC_OK;
	char *svg = NULL;
	size_t len = 0;
	int rc = fisc_chart_svg(c, 480, &svg, &len);
	if (rc != FISC_OK)
		return rc;
	gchar *b64 = g_base64_encode((const guchar *)svg, len);
	free(svg);
	json_t *def = fisc_chart_json(c);
	char *js = def ? json_dumps(def, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(def);
	fputs("<figure class=\"chart\"", out);
	if (js) {
		fputs(" data-chart=\"", out);
		esc(js, out);
		fputc('"', out);
		free(js);
	}
	fputs("><img alt=\"", out);
	esc(c->title, out);
	fprintf(out, "\" src=\"data:image/svg+xml;base64,%s\"></figure>\n", b64);
	g_free(b64);
	return FISC_OK;
}

/* DATADIR/web/report-charts.js, or NULL when it is not installed (a
** library without the web bundle draws the SVG only). malloc'd. */
static char *chart_script(void)
{
	const char *dir = fisc_datadir();
	if (!dir)
		return NULL;
	char *path = g_build_filename(dir, "web", "report-charts.js", NULL);
	gchar *text = NULL;
	gsize len = 0;
	int ok = g_file_get_contents(path, &text, &len, NULL);
	g_free(path);
	/* The build refuses a script that could end its element early; a file
	** that does anyway (edited by hand) is not inlined. */
	gchar *low = ok ? g_ascii_strdown(text, (gssize)len) : NULL;
	int safe = ok && strlen(text) == len && !strstr(low, "</script") && !strstr(low, "<!--");
	g_free(low);
	char *r = safe ? strdup(text) : NULL;
	g_free(text);
	return r;
}

static int has_chart(const fisc_doc *d)
{
	for (size_t i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == FISC_BLOCK_CHART && fisc_chart_drawable(d->blocks[i].chart))
			return 1;
	return 0;
}

int fisc_render_html(const fisc_doc *d, FILE *out)
{
	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
	esc(d->title, out);
	fprintf(out, "</title>\n<meta name=\"generator\" content=\"fisc\">\n<style>\n%s</style>\n"
		     "</head>\n<body class=\"%s\">\n",
		css, d->kind);
	if (*d->title) {
		fputs("<h1>", out);
		esc(d->title, out);
		fputs("</h1>\n", out);
	}
	if (d->subtitle) {
		fputs("<div class=\"subtitle\">", out);
		esc(d->subtitle, out);
		fputs("</div>\n", out);
	}
	for (size_t i = 0; i < d->nblocks; i++) {
		const fisc_block *b = &d->blocks[i];
		switch (b->kind) {
		case FISC_BLOCK_HEADING:
			fprintf(out, "<h%d>", b->level + 1);
			esc(b->text, out);
			fprintf(out, "</h%d>\n", b->level + 1);
			break;
		case FISC_BLOCK_PARAGRAPH:
			fputs("<p>", out);
			esc(b->text, out);
			fputs("</p>\n", out);
			break;
		case FISC_BLOCK_NOTE:
			fputs("<p class=\"note\">注：", out);
			esc(b->text, out);
			fputs("</p>\n", out);
			break;
		case FISC_BLOCK_TABLE:
			put_table(b->table, out);
			break;
		case FISC_BLOCK_CHART: {
			int rc = put_chart(b->chart, out);
			if (rc != FISC_OK)
				return rc;
			break;
		}
		}
	}
	char *script = has_chart(d) ? chart_script() : NULL;
	if (script) {
		fputs("<script id=\"fisc-charts\">", out);
		fputs(script, out);
		fputs("</script>\n", out);
		free(script);
	}
	fputs("</body>\n</html>\n", out);
	return ferror(out) ? fisc_error_set(FISC_EIO, "写出失败 / write failed") : FISC_OK;
}
