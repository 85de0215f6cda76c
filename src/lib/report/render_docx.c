/*
** render_docx.c — a fisc_doc as a Word document (OOXML), the form in which a
** finance bureau drafts its report, edits the prose and passes it on.
**
** The document uses real Word structures rather than look-alike formatting,
** so that it behaves in Word, WPS and LibreOffice as one typed by hand:
** - headings carry the built-in styles "heading 1…4" with outline levels
**   (一、→ 1, （一）→ 2, 1. → 3), so the navigation pane and an inserted table
**   of contents find them;
** - tables are Word tables; their header rows are marked w:tblHeader so they
**   repeat on every page, rows do not split, merged header cells are
**   gridSpan / vMerge, numbers are right-aligned;
** - fonts follow the official-document convention (GB/T 9704): 仿宋_GB2312 for
**   the body, 黑体 and 楷体_GB2312 for the first two heading levels, 方正小标宋
**   for the title, each with a fallback declared in the font table (altName)
**   for machines without the GB2312 fonts;
** - A4 with the standard margins, page numbers "— 1 —" in the footer.
**
** XML is written with libxml2's xmlTextWriter (escaping is its job), parts
** are zipped with libzip into memory and the package is written to `out`.
** Text from imported data passes fisc_text_clean first: XML 1.0 cannot carry
** control characters, and bidi overrides are shown, not obeyed.
*/
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlwriter.h>
#include <zip.h>
#include "fisc/error.h"
#include "model/util.h"
#include "report/chart.h"
#include "report/render.h"

#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define R_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define DOC_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define WP_NS "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define A_NS "http://schemas.openxmlformats.org/drawingml/2006/main"
#define PIC_NS "http://schemas.openxmlformats.org/drawingml/2006/picture"

/* Charts: drawn by chart.c at the text width, as PNG at 2.5 px per point
** (180 dpi: sharp in print, small in the file). */
static const double CHART_W = 440, CHART_SCALE = 2.5;
enum { EMU_PER_PT = 12700 };

/* A4 in twentieths of a point, with the margins of GB/T 9704 (top 37 mm,
** bottom 35 mm, left 28 mm, right 26 mm). */
enum {
	PAGE_W = 11906, PAGE_H = 16838,
	MARGIN_T = 2098, MARGIN_B = 1984, MARGIN_L = 1587, MARGIN_R = 1474,
	TEXT_W = PAGE_W - MARGIN_L - MARGIN_R,
	/* a landscape page keeps the margins: the binding edge is still left */
	LAND_TEXT_W = PAGE_H - MARGIN_L - MARGIN_R
};

typedef struct xw {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	int rc; /* libxml2 reported a failure */
} xw;

static int xw_open(xw *x)
{
	x->rc = 0;
	fisc_xml_init();
	x->buf = xmlBufferCreate();
	x->w = x->buf ? xmlNewTextWriterMemory(x->buf, 0) : NULL;
	if (!x->w) {
		if (x->buf)
			xmlBufferFree(x->buf);
		return -1;
	}
	if (xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", "yes") < 0)
		x->rc = -1;
	return 0;
}

/* Ends the document; the writer is freed, the buffer stays for zipping. */
static void xw_end(xw *x)
{
	if (xmlTextWriterEndDocument(x->w) < 0)
		x->rc = -1;
	xmlFreeTextWriter(x->w);
	x->w = NULL;
}

static void start(xw *x, const char *name)
{
	if (xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
		x->rc = -1;
}

static void end(xw *x)
{
	if (xmlTextWriterEndElement(x->w) < 0)
		x->rc = -1;
}

static void attr(xw *x, const char *name, const char *value)
{
	if (xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST value) < 0)
		x->rc = -1;
}

static void attr_int(xw *x, const char *name, long v)
{
	char b[32];
	snprintf(b, sizeof b, "%ld", v);
	attr(x, name, b);
}

/* <name w:val="value"/> — the shape of most WordprocessingML properties. */
static void val(xw *x, const char *name, const char *value)
{
	start(x, name);
	if (value)
		attr(x, "w:val", value);
	end(x);
}

static void val_int(xw *x, const char *name, long v)
{
	char b[32];
	snprintf(b, sizeof b, "%ld", v);
	val(x, name, b);
}

/* Character data from the data: control characters shown, never written. */
static void text(xw *x, const char *s)
{
	char *c = fisc_text_clean(s, FISC_TEXT_FOLD);
	if (!c || xmlTextWriterWriteString(x->w, BAD_CAST c) < 0)
		x->rc = -1;
	free(c);
}

/* --- styles ------------------------------------------------------------- */

/* eastAsia: the CJK font; Latin text and digits in Times New Roman, as in
** printed official documents. */
static void fonts(xw *x, const char *east)
{
	start(x, "w:rFonts");
	attr(x, "w:ascii", "Times New Roman");
	attr(x, "w:hAnsi", "Times New Roman");
	attr(x, "w:cs", "Times New Roman");
	attr(x, "w:eastAsia", east);
	attr(x, "w:hint", "eastAsia");
	end(x);
}

/* Fixed line spacing in twips and space after. */
static void spacing(xw *x, int line, int before, int after)
{
	start(x, "w:spacing");
	attr_int(x, "w:before", before);
	attr_int(x, "w:after", after);
	if (line) {
		attr_int(x, "w:line", line);
		attr(x, "w:lineRule", "exact");
	}
	end(x);
}

typedef struct style_def {
	const char *id, *name, *font;
	int half_points;  /* w:sz */
	int bold, center, outline; /* outline: 0 none, else level 1… */
	int line, before, after;
	int first_indent; /* two characters, in hundredths of a character */
	int keep_next;
} style_def;

/* 三号 = 16 pt (body and headings), 二号 = 22 pt (title), 五号 = 10.5 pt
** (tables), 28 pt fixed line spacing for the text: the usual layout of a
** 政府工作报告 / 预算报告. */
static const style_def styles[] = {
	{"Normal", "Normal", "仿宋_GB2312", 32, 0, 0, 0, 560, 0, 0, 200, 0},
	{"Title", "Title", "方正小标宋简体", 44, 0, 1, 0, 0, 240, 240, 0, 1},
	{"Subtitle", "Subtitle", "楷体_GB2312", 32, 0, 1, 0, 560, 0, 240, 0, 1},
	{"Heading1", "heading 1", "黑体", 32, 0, 0, 1, 560, 120, 0, 200, 1},
	{"Heading2", "heading 2", "楷体_GB2312", 32, 0, 0, 2, 560, 0, 0, 200, 1},
	{"Heading3", "heading 3", "仿宋_GB2312", 32, 1, 0, 3, 560, 0, 0, 200, 1},
	{"Heading4", "heading 4", "仿宋_GB2312", 32, 0, 0, 4, 560, 0, 0, 200, 1},
	{"Note", "Note", "仿宋_GB2312", 24, 0, 0, 0, 400, 60, 60, 0, 0},
	{"TableCaption", "Table Caption", "黑体", 28, 0, 1, 0, 0, 240, 60, 0, 1},
	{"TableUnit", "Table Unit", "仿宋_GB2312", 21, 0, 0, 0, 0, 0, 60, 0, 1},
	{"TableText", "Table Text", "仿宋_GB2312", 21, 0, 0, 0, 0, 20, 20, 0, 0},
	{"TableHead", "Table Head", "黑体", 21, 0, 1, 0, 0, 20, 20, 0, 0},
	{"TableNote", "Table Note", "仿宋_GB2312", 20, 0, 0, 0, 0, 40, 40, 0, 0},
	{"Footer", "footer", "Times New Roman", 28, 0, 1, 0, 0, 0, 0, 0, 0},
};

static void style_part(xw *x)
{
	start(x, "w:styles");
	attr(x, "xmlns:w", W_NS);
	start(x, "w:docDefaults");
	start(x, "w:rPrDefault");
	start(x, "w:rPr");
	fonts(x, "仿宋_GB2312");
	val_int(x, "w:sz", 32);
	val_int(x, "w:szCs", 32);
	start(x, "w:lang");
	attr(x, "w:val", "en-US");
	attr(x, "w:eastAsia", "zh-CN");
	end(x);
	end(x), end(x);
	start(x, "w:pPrDefault");
	start(x, "w:pPr");
	spacing(x, 0, 0, 0);
	end(x), end(x);
	end(x); /* docDefaults */
	for (size_t i = 0; i < sizeof styles / sizeof *styles; i++) {
		const style_def *s = &styles[i];
		start(x, "w:style");
		attr(x, "w:type", "paragraph");
		attr(x, "w:styleId", s->id);
		if (i == 0)
			attr(x, "w:default", "1");
		val(x, "w:name", s->name);
		if (i > 0)
			val(x, "w:basedOn", "Normal");
		val(x, "w:next", "Normal");
		if (s->outline || i == 1)
			val(x, "w:qFormat", NULL);
		start(x, "w:pPr");
		if (s->keep_next)
			val(x, "w:keepNext", NULL);
		spacing(x, s->line, s->before, s->after);
		start(x, "w:ind");
		attr_int(x, "w:firstLineChars", s->first_indent);
		attr_int(x, "w:firstLine", s->first_indent * s->half_points / 10);
		end(x);
		if (s->center)
			val(x, "w:jc", "center");
		else if (!strcmp(s->id, "Normal"))
			val(x, "w:jc", "both");
		if (s->outline)
			val_int(x, "w:outlineLvl", s->outline - 1);
		end(x);
		start(x, "w:rPr");
		fonts(x, s->font);
		if (s->bold) {
			val(x, "w:b", NULL);
			val(x, "w:bCs", NULL);
		}
		val_int(x, "w:sz", s->half_points);
		val_int(x, "w:szCs", s->half_points);
		end(x);
		end(x); /* style */
	}
	end(x);
}

/* The fonts the styles name, each with the name a system without the
** GB2312 font set falls back to. */
static void font_table_part(xw *x)
{
	static const char *const map[][2] = {
		{"仿宋_GB2312", "仿宋"}, {"楷体_GB2312", "楷体"}, {"黑体", "SimHei"},
		{"方正小标宋简体", "宋体"}, {"Times New Roman", NULL},
	};
	start(x, "w:fonts");
	attr(x, "xmlns:w", W_NS);
	for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
		start(x, "w:font");
		attr(x, "w:name", map[i][0]);
		if (map[i][1])
			val(x, "w:altName", map[i][1]);
		val(x, "w:charset", map[i][1] ? "86" : "00");
		val(x, "w:family", map[i][1] && !strcmp(map[i][1], "SimHei") ? "modern" : "roman");
		val(x, "w:pitch", "variable");
		end(x);
	}
	end(x);
}

static void settings_part(xw *x)
{
	start(x, "w:settings");
	attr(x, "xmlns:w", W_NS);
	val_int(x, "w:defaultTabStop", 420);
	val(x, "w:characterSpacingControl", "compressPunctuation");
	start(x, "w:compat");
	start(x, "w:compatSetting");
	attr(x, "w:name", "compatibilityMode");
	attr(x, "w:uri", "http://schemas.microsoft.com/office/word");
	attr(x, "w:val", "15");
	end(x);
	end(x);
	end(x);
}

/* "— 1 —" centred: the page number field between two dashes. */
static void footer_part(xw *x)
{
	start(x, "w:ftr");
	attr(x, "xmlns:w", W_NS);
	attr(x, "xmlns:r", R_NS);
	start(x, "w:p");
	start(x, "w:pPr");
	val(x, "w:pStyle", "Footer");
	end(x);
	start(x, "w:r");
	start(x, "w:t");
	attr(x, "xml:space", "preserve");
	text(x, "— ");
	end(x), end(x);
	start(x, "w:fldSimple");
	attr(x, "w:instr", " PAGE ");
	start(x, "w:r");
	start(x, "w:t");
	text(x, "1");
	end(x), end(x);
	end(x);
	start(x, "w:r");
	start(x, "w:t");
	attr(x, "xml:space", "preserve");
	text(x, " —");
	end(x), end(x);
	end(x); /* p */
	end(x);
}

/* --- document ------------------------------------------------------------ */

static void run(xw *x, const char *s, int bold)
{
	start(x, "w:r");
	if (bold) {
		start(x, "w:rPr");
		val(x, "w:b", NULL);
		val(x, "w:bCs", NULL);
		end(x);
	}
	start(x, "w:t");
	attr(x, "xml:space", "preserve");
	text(x, s);
	end(x);
	end(x);
}

/* A paragraph of `style` holding prefix + s as one run. */
static void para(xw *x, const char *style, const char *prefix, const char *s)
{
	start(x, "w:p");
	start(x, "w:pPr");
	val(x, "w:pStyle", style);
	end(x);
	if (prefix)
		run(x, prefix, 0);
	run(x, s, 0);
	end(x);
}

/* Where the header cell covering (row, col) is anchored. */
static void head_anchor(const fisc_table *t, size_t row, size_t col, size_t *ar, size_t *ac)
{
	*ar = row, *ac = col;
	for (size_t r = 0; r <= row; r++)
		for (size_t c = 0; c <= col; c++) {
			const fisc_cell *h = &t->head[r][c];
			if (h->kind != FISC_CELL_COVERED && r + (size_t)h->rowspan > row &&
			    c + (size_t)h->colspan > col) {
				*ar = r, *ac = c;
				return;
			}
		}
}

static void cell_borders(xw *x)
{
	static const char *const sides[] = {"w:top", "w:left", "w:bottom", "w:right",
					    "w:insideH", "w:insideV"};
	start(x, "w:tblBorders");
	for (size_t i = 0; i < 6; i++) {
		start(x, sides[i]);
		attr(x, "w:val", "single");
		attr(x, "w:sz", "4");
		attr(x, "w:space", "0");
		attr(x, "w:color", "000000");
		end(x);
	}
	end(x);
}

/* One table cell: width, spans, shading of header cells, then a paragraph. */
static void tc(xw *x, long width, int span, const char *vmerge, const char *style,
	       const char *jc, int indent_chars, int bold, const char *s)
{
	start(x, "w:tc");
	start(x, "w:tcPr");
	start(x, "w:tcW");
	attr_int(x, "w:w", width);
	attr(x, "w:type", "dxa");
	end(x);
	if (span > 1)
		val_int(x, "w:gridSpan", span);
	if (vmerge)
		val(x, "w:vMerge", *vmerge ? vmerge : NULL);
	val(x, "w:vAlign", "center");
	end(x);
	start(x, "w:p");
	start(x, "w:pPr");
	val(x, "w:pStyle", style);
	if (indent_chars) {
		start(x, "w:ind");
		attr_int(x, "w:leftChars", indent_chars * 100);
		attr_int(x, "w:left", indent_chars * 210);
		end(x);
	}
	if (jc)
		val(x, "w:jc", jc);
	end(x);
	if (s && *s)
		run(x, s, bold);
	end(x);
	end(x);
}

static void section(xw *x, int landscape);

/* A paragraph that ends a section: the sectPr of a section sits in the pPr
** of its last paragraph (the body's own sectPr is the last section's). */
static void section_break(xw *x, int landscape)
{
	start(x, "w:p");
	start(x, "w:pPr");
	section(x, landscape);
	end(x);
	end(x);
}

static void put_table(xw *x, const fisc_table *t)
{
	/* A table wider than a portrait page gets a landscape section of its
	** own, so that its columns are not squeezed into 156 mm. */
	int wide = t->nbody && fisc_table_wide(t);
	long text_w = wide ? LAND_TEXT_W : TEXT_W;
	if (wide)
		section_break(x, 0);
	/* in half-width units of the 10.5 pt table text: 105 twips each */
	double fit[FISC_DOC_MAXCOLS], sum = 0;
	long w[FISC_DOC_MAXCOLS];
	fisc_table_fit(t, text_w / 105.0, fit);
	for (size_t c = 0; c < t->ncols; c++)
		sum += fit[c];
	for (size_t c = 0; c < t->ncols; c++)
		w[c] = (long)(text_w * fit[c] / sum);

	if (*t->title)
		para(x, "TableCaption", NULL, t->title);
	if (t->unit_label && t->nbody) {
		start(x, "w:p");
		start(x, "w:pPr");
		val(x, "w:pStyle", "TableUnit");
		val(x, "w:jc", "right");
		end(x);
		run(x, t->unit_label, 0);
		end(x);
	}
	if (!t->nbody) {
		para(x, "Normal", NULL, t->empty_text ? t->empty_text : "（本表无数据。）");
	} else {
		start(x, "w:tbl");
		start(x, "w:tblPr");
		start(x, "w:tblW");
		attr_int(x, "w:w", text_w);
		attr(x, "w:type", "dxa");
		end(x);
		val(x, "w:jc", "center");
		cell_borders(x);
		start(x, "w:tblLayout"); /* CT_TblLayoutType: w:type, not w:val */
		attr(x, "w:type", "fixed");
		end(x);
		start(x, "w:tblCellMar");
		start(x, "w:left"), attr(x, "w:w", "60"), attr(x, "w:type", "dxa"), end(x);
		start(x, "w:right"), attr(x, "w:w", "60"), attr(x, "w:type", "dxa"), end(x);
		end(x);
		end(x);
		start(x, "w:tblGrid");
		for (size_t c = 0; c < t->ncols; c++) {
			start(x, "w:gridCol");
			attr_int(x, "w:w", w[c]);
			end(x);
		}
		end(x);
		for (size_t r = 0; r < t->nhead; r++) {
			start(x, "w:tr");
			start(x, "w:trPr");
			val(x, "w:cantSplit", NULL);
			val(x, "w:tblHeader", NULL);
			end(x);
			for (size_t c = 0; c < t->ncols;) {
				const fisc_cell *h = &t->head[r][c];
				size_t ar, ac;
				head_anchor(t, r, c, &ar, &ac);
				const fisc_cell *a = &t->head[ar][ac];
				int span = a->colspan > 0 ? a->colspan : 1;
				long cw = 0;
				for (size_t k = c; k < c + (size_t)span && k < t->ncols; k++)
					cw += w[k];
				if (h->kind != FISC_CELL_COVERED)
					tc(x, cw, span, h->rowspan > 1 ? "restart" : NULL, "TableHead",
					   "center", 0, 0, fisc_cell_str(h));
				else if (ar < r) /* below the anchor of a vertical merge */
					tc(x, cw, span, "", "TableHead", "center", 0, 0, NULL);
				else /* right of an anchor: its gridSpan holds it */
					span = 1;
				c += (size_t)span;
			}
			end(x);
		}
		for (size_t r = 0; r < t->nbody; r++) {
			start(x, "w:tr");
			start(x, "w:trPr");
			val(x, "w:cantSplit", NULL);
			end(x);
			for (size_t c = 0; c < t->ncols; c++) {
				const fisc_cell *b = &t->body[r][c];
				int num = b->kind == FISC_CELL_AMOUNT || b->kind == FISC_CELL_PERCENT ||
					  b->kind == FISC_CELL_NUMBER;
				int lv = b->level < 0 ? 0 : b->level > 4 ? 4 : b->level;
				tc(x, w[c], 1, NULL, "TableText", num ? "right" : NULL, num ? 0 : lv,
				   b->strong, fisc_cell_str(b));
			}
			end(x);
		}
		end(x); /* tbl */
	}
	for (size_t i = 0; i < t->nnotes; i++)
		para(x, "TableNote", "注：", t->notes[i]);
	if (wide) /* the table and its notes end the landscape section */
		section_break(x, 1);
}

/* A chart as an inline picture (word/media/chartN.png), centred in a
** paragraph of its own with automatic line height (the body's fixed 28 pt
** would clip it). */
static void put_chart(xw *x, const fisc_chart *c, size_t n)
{
	char id[32], name[32];
	snprintf(id, sizeof id, "rIdChart%zu", n);
	snprintf(name, sizeof name, "chart%zu.png", n);
	long cx = (long)(CHART_W * EMU_PER_PT), cy = (long)(fisc_chart_height(c, CHART_W) * EMU_PER_PT);
	start(x, "w:p");
	start(x, "w:pPr");
	val(x, "w:keepLines", NULL);
	start(x, "w:spacing");
	attr(x, "w:before", "120"), attr(x, "w:after", "120");
	attr(x, "w:line", "240"), attr(x, "w:lineRule", "auto");
	end(x);
	start(x, "w:ind");
	attr(x, "w:firstLineChars", "0"), attr(x, "w:firstLine", "0");
	end(x);
	val(x, "w:jc", "center");
	end(x);
	start(x, "w:r");
	start(x, "w:drawing");
	start(x, "wp:inline");
	attr(x, "distT", "0"), attr(x, "distB", "0"), attr(x, "distL", "0"), attr(x, "distR", "0");
	start(x, "wp:extent");
	attr_int(x, "cx", cx), attr_int(x, "cy", cy);
	end(x);
	start(x, "wp:docPr");
	attr_int(x, "id", (long)n);
	attr(x, "name", name);
	char *descr = fisc_text_clean(c->title, FISC_TEXT_FOLD);
	attr(x, "descr", descr ? descr : "");
	free(descr);
	end(x);
	start(x, "a:graphic");
	attr(x, "xmlns:a", A_NS);
	start(x, "a:graphicData");
	attr(x, "uri", PIC_NS);
	start(x, "pic:pic");
	attr(x, "xmlns:pic", PIC_NS);
	start(x, "pic:nvPicPr");
	start(x, "pic:cNvPr");
	attr_int(x, "id", (long)n);
	attr(x, "name", name);
	end(x);
	start(x, "pic:cNvPicPr"), end(x);
	end(x);
	start(x, "pic:blipFill");
	start(x, "a:blip");
	attr(x, "r:embed", id);
	end(x);
	start(x, "a:stretch");
	start(x, "a:fillRect"), end(x);
	end(x);
	end(x);
	start(x, "pic:spPr");
	start(x, "a:xfrm");
	start(x, "a:off"), attr(x, "x", "0"), attr(x, "y", "0"), end(x);
	start(x, "a:ext"), attr_int(x, "cx", cx), attr_int(x, "cy", cy), end(x);
	end(x);
	start(x, "a:prstGeom");
	attr(x, "prst", "rect");
	start(x, "a:avLst"), end(x);
	end(x);
	end(x); /* spPr */
	end(x), end(x), end(x); /* pic, graphicData, graphic */
	end(x), end(x), end(x), end(x); /* inline, drawing, r, p */
}

static void section(xw *x, int landscape)
{
	start(x, "w:sectPr");
	start(x, "w:footerReference");
	attr(x, "w:type", "default");
	attr(x, "r:id", "rIdFooter");
	end(x);
	start(x, "w:pgSz");
	attr_int(x, "w:w", landscape ? PAGE_H : PAGE_W);
	attr_int(x, "w:h", landscape ? PAGE_W : PAGE_H);
	if (landscape)
		attr(x, "w:orient", "landscape");
	end(x);
	start(x, "w:pgMar");
	attr_int(x, "w:top", MARGIN_T);
	attr_int(x, "w:right", MARGIN_R);
	attr_int(x, "w:bottom", MARGIN_B);
	attr_int(x, "w:left", MARGIN_L);
	attr_int(x, "w:header", 851);
	attr_int(x, "w:footer", 992);
	attr_int(x, "w:gutter", 0);
	end(x);
	start(x, "w:docGrid");
	attr(x, "w:type", "lines");
	attr_int(x, "w:linePitch", 560);
	end(x);
	end(x);
}

static void document_part(xw *x, const fisc_doc *d)
{
	start(x, "w:document");
	attr(x, "xmlns:w", W_NS);
	attr(x, "xmlns:r", R_NS);
	attr(x, "xmlns:wp", WP_NS);
	start(x, "w:body");
	if (*d->title)
		para(x, "Title", NULL, d->title);
	if (d->subtitle)
		para(x, "Subtitle", NULL, d->subtitle);
	for (size_t i = 0; i < d->nblocks; i++) {
		const fisc_block *b = &d->blocks[i];
		char style[16];
		switch (b->kind) {
		case FISC_BLOCK_HEADING:
			snprintf(style, sizeof style, "Heading%d",
				 b->level < 1 ? 1 : b->level > 4 ? 4 : b->level);
			para(x, style, NULL, b->text);
			break;
		case FISC_BLOCK_PARAGRAPH:
			para(x, "Normal", NULL, b->text);
			break;
		case FISC_BLOCK_NOTE:
			para(x, "Note", "注：", b->text);
			break;
		case FISC_BLOCK_TABLE:
			put_table(x, b->table);
			break;
		case FISC_BLOCK_CHART:
			if (fisc_chart_drawable(b->chart))
				put_chart(x, b->chart, i + 1);
			break;
		}
	}
	section(x, 0);
	end(x), end(x);
}

/* --- package ------------------------------------------------------------- */

static void content_types_part(xw *x)
{
	static const char *const over[][2] = {
		{"/word/document.xml",
		 "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"},
		{"/word/styles.xml",
		 "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"},
		{"/word/settings.xml",
		 "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"},
		{"/word/fontTable.xml",
		 "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"},
		{"/word/footer1.xml",
		 "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"},
		{"/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"},
	};
	start(x, "Types");
	attr(x, "xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
	start(x, "Default");
	attr(x, "Extension", "rels");
	attr(x, "ContentType", "application/vnd.openxmlformats-package.relationships+xml");
	end(x);
	start(x, "Default");
	attr(x, "Extension", "png");
	attr(x, "ContentType", "image/png");
	end(x);
	start(x, "Default");
	attr(x, "Extension", "xml");
	attr(x, "ContentType", "application/xml");
	end(x);
	for (size_t i = 0; i < sizeof over / sizeof *over; i++) {
		start(x, "Override");
		attr(x, "PartName", over[i][0]);
		attr(x, "ContentType", over[i][1]);
		end(x);
	}
	end(x);
}

static void rel(xw *x, const char *id, const char *type, const char *target)
{
	start(x, "Relationship");
	attr(x, "Id", id);
	attr(x, "Type", type);
	attr(x, "Target", target);
	end(x);
}

static void package_rels_part(xw *x)
{
	start(x, "Relationships");
	attr(x, "xmlns", REL_NS);
	rel(x, "rId1", DOC_REL "officeDocument", "word/document.xml");
	rel(x, "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
	    "docProps/core.xml");
	end(x);
}

static void document_rels_part(xw *x, const fisc_doc *d)
{
	start(x, "Relationships");
	attr(x, "xmlns", REL_NS);
	rel(x, "rIdStyles", DOC_REL "styles", "styles.xml");
	rel(x, "rIdSettings", DOC_REL "settings", "settings.xml");
	rel(x, "rIdFonts", DOC_REL "fontTable", "fontTable.xml");
	rel(x, "rIdFooter", DOC_REL "footer", "footer1.xml");
	for (size_t i = 0; i < d->nblocks; i++) {
		const fisc_block *b = &d->blocks[i];
		if (b->kind != FISC_BLOCK_CHART || !fisc_chart_drawable(b->chart))
			continue;
		char id[32], target[48];
		snprintf(id, sizeof id, "rIdChart%zu", i + 1);
		snprintf(target, sizeof target, "media/chart%zu.png", i + 1);
		rel(x, id, DOC_REL "image", target);
	}
	end(x);
}

static void core_part(xw *x, const fisc_doc *d)
{
	start(x, "cp:coreProperties");
	attr(x, "xmlns:cp",
	     "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
	attr(x, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
	start(x, "dc:title");
	text(x, d->title);
	end(x);
	start(x, "dc:creator");
	text(x, "fisc");
	end(x);
	start(x, "dc:language");
	text(x, "zh-CN");
	end(x);
	end(x);
}

/* Builds one part with `fill` and adds it to the archive (which then owns
** the bytes). */
static int add_part(zip_t *z, const char *name, void (*fill)(xw *, const fisc_doc *),
		    const fisc_doc *d)
{
	xw x;
	if (xw_open(&x) < 0)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	fill(&x, d);
	xw_end(&x);
	int rc = FISC_OK;
	size_t len = (size_t)xmlBufferLength(x.buf);
	char *copy = x.rc ? NULL : malloc(len ? len : 1);
	if (x.rc)
		rc = fisc_error_set(FISC_EIO, "生成 DOCX 部件失败「%s」/ cannot write DOCX part '%s'",
				    name, name);
	else if (!copy)
		rc = fisc_error_set(FISC_ENOMEM, "out of memory");
	else {
		memcpy(copy, xmlBufferContent(x.buf), len);
		zip_source_t *s = zip_source_buffer(z, copy, len, 1);
		if (!s)
			free(copy);
		if (!s || zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
			zip_source_free(s);
			rc = fisc_error_set(FISC_EIO, "DOCX 打包失败 / cannot add '%s': %s", name,
					    zip_strerror(z));
		}
	}
	xmlBufferFree(x.buf);
	return rc;
}

/* word/media/chartN.png: the chart drawn by chart.c. */
static int add_png(zip_t *z, const fisc_chart *c, size_t n)
{
	unsigned char *png = NULL;
	size_t len = 0;
	int rc = fisc_chart_png(c, CHART_W, CHART_SCALE, &png, &len);
	if (rc != FISC_OK)
		return rc;
	char name[48];
	snprintf(name, sizeof name, "word/media/chart%zu.png", n);
	zip_source_t *s = zip_source_buffer(z, png, len, 1);
	if (!s)
		free(png);
	if (!s || zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
		zip_source_free(s);
		return fisc_error_set(FISC_EIO, "DOCX 打包失败 / cannot add '%s': %s", name,
				      zip_strerror(z));
	}
	return FISC_OK;
}

#define PART(fn) static void fn##_d(xw *x, const fisc_doc *d) { (void)d; fn(x); }
PART(content_types_part)
PART(package_rels_part)
PART(style_part)
PART(settings_part)
PART(font_table_part)
PART(footer_part)

int fisc_render_docx(const fisc_doc *d, FILE *out)
{
	zip_error_t ze;
	zip_error_init(&ze);
	/* The archive is built in memory so that a stream (stdout, the
	** temporary file of -o) receives it whole. */
	zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (!mem) {
		zip_error_fini(&ze);
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	zip_source_keep(mem);
	zip_t *z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
	if (!z) {
		zip_source_free(mem);
		int rc = fisc_error_set(FISC_EIO, "无法创建 DOCX / cannot create DOCX: %s",
					zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return rc;
	}
	static const struct {
		const char *name;
		void (*fill)(xw *, const fisc_doc *);
	} parts[] = {
		{"[Content_Types].xml", content_types_part_d},
		{"_rels/.rels", package_rels_part_d},
		{"word/_rels/document.xml.rels", document_rels_part},
		{"word/document.xml", document_part},
		{"word/styles.xml", style_part_d},
		{"word/settings.xml", settings_part_d},
		{"word/fontTable.xml", font_table_part_d},
		{"word/footer1.xml", footer_part_d},
		{"docProps/core.xml", core_part},
	};
	int rc = FISC_OK;
	for (size_t i = 0; i < sizeof parts / sizeof *parts && rc == FISC_OK; i++)
		rc = add_part(z, parts[i].name, parts[i].fill, d);
	for (size_t i = 0; i < d->nblocks && rc == FISC_OK; i++)
		if (d->blocks[i].kind == FISC_BLOCK_CHART && fisc_chart_drawable(d->blocks[i].chart))
			rc = add_png(z, d->blocks[i].chart, i + 1);
	if (rc != FISC_OK) {
		zip_discard(z);
	} else if (zip_close(z) < 0) {
		rc = fisc_error_set(FISC_EIO, "DOCX 打包失败 / cannot write DOCX: %s", zip_strerror(z));
		zip_discard(z);
	}
	if (rc == FISC_OK && zip_source_open(mem) == 0) {
		char buf[16384];
		zip_int64_t n;
		while ((n = zip_source_read(mem, buf, sizeof buf)) > 0)
			if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
				rc = fisc_error_set(FISC_EIO, "写出失败 / write failed");
				break;
			}
		if (n < 0 && rc == FISC_OK)
			rc = fisc_error_set(FISC_EIO, "DOCX 读回失败 / cannot read back DOCX");
		zip_source_close(mem);
	} else if (rc == FISC_OK) {
		rc = fisc_error_set(FISC_EIO, "DOCX 读回失败 / cannot read back DOCX");
	}
	zip_source_free(mem);
	zip_error_fini(&ze);
	return rc;
}
