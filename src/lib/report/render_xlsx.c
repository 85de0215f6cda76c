/*
** render_xlsx.c — a fisc_doc as an Excel workbook (libxlsxwriter): one sheet
** per table, the way finance bureaus exchange the disclosure tables.
**
** Each sheet holds the table's title and unit line, its header rows with the
** merged cells of the published layout, frozen so they stay in view, and the
** body. Amounts are numeric cells with a 万元 number format (#,##0 or #,##0.00
** …, as many decimals as the document prints), so a user can sum them in
** Excel; percentages are numeric cells with a literal "%" format holding the
** printed (already rounded) value. Text is always a string cell, never a
** formula, whatever it begins with. Prose (headings, paragraphs) is not
** repeated here: the workbook is the tables of the report; a document with no
** table (a balance statement) puts its prose on one sheet.
**
** The sheets print as the published tables do: each named after its table
** (Excel's 31 characters, made unique), A4 fitted to one page wide, landscape
** when the table is wider than a portrait page, centred, the report's fonts
** (仿宋_GB2312 body, 黑体 header and title, as in the DOCX and PDF), the
** document's title (which names the region or department and the year) in
** every page header, page numbers in the footer, the unit line above the
** table, and the header rows repeated on every printed page.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include "fisc/error.h"
#include "model/util.h"
#include "report/render.h"

enum { MAXDEC = 6, MAXLEVEL = 4 };

/* Formats are owned by the workbook; made once per workbook and reused. */
typedef struct formats {
	lxw_workbook *wb;
	lxw_format *title, *unit, *head, *note, *empty;
	lxw_format *text[MAXLEVEL + 1][2];  /* [level][strong] */
	lxw_format *amount[MAXDEC + 1][2];  /* [decimals][strong] */
	lxw_format *percent[MAXDEC + 1][2];
} formats;

static const char BODY_FONT[] = "仿宋_GB2312", HEAD_FONT[] = "黑体";

/* Every format carries the report's font and size (五号, 10.5 pt). */
static lxw_format *new_format(lxw_workbook *wb, const char *font)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_font_name(f, font);
	format_set_font_size(f, 10.5);
	return f;
}

static lxw_format *bordered(lxw_workbook *wb, int strong)
{
	lxw_format *f = new_format(wb, BODY_FONT);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
	if (strong)
		format_set_bold(f);
	return f;
}

static void formats_init(formats *F, lxw_workbook *wb)
{
	memset(F, 0, sizeof *F);
	F->wb = wb;
	F->title = new_format(wb, HEAD_FONT);
	format_set_bold(F->title);
	format_set_font_size(F->title, 14);
	format_set_align(F->title, LXW_ALIGN_CENTER);
	format_set_align(F->title, LXW_ALIGN_VERTICAL_CENTER);
	F->unit = new_format(wb, BODY_FONT);
	format_set_align(F->unit, LXW_ALIGN_RIGHT);
	F->head = bordered(wb, 1);
	format_set_font_name(F->head, HEAD_FONT);
	format_set_align(F->head, LXW_ALIGN_CENTER);
	format_set_text_wrap(F->head);
	format_set_bg_color(F->head, 0xF0F0F0);
	F->note = new_format(wb, BODY_FONT);
	format_set_text_wrap(F->note);
	format_set_align(F->note, LXW_ALIGN_VERTICAL_TOP);
	F->empty = bordered(wb, 0);
	format_set_align(F->empty, LXW_ALIGN_CENTER);
}

static lxw_format *text_fmt(formats *F, int level, int strong)
{
	level = level < 0 ? 0 : level > MAXLEVEL ? MAXLEVEL : level;
	strong = !!strong;
	if (!F->text[level][strong]) {
		lxw_format *f = bordered(F->wb, strong);
		if (level)
			format_set_indent(f, (uint8_t)level);
		F->text[level][strong] = f;
	}
	return F->text[level][strong];
}

static lxw_format *num_fmt(formats *F, int percent, int decimals, int strong)
{
	decimals = decimals < 0 ? 0 : decimals > MAXDEC ? MAXDEC : decimals;
	strong = !!strong;
	lxw_format **slot = percent ? &F->percent[decimals][strong] : &F->amount[decimals][strong];
	if (!*slot) {
		char pat[32] = "#,##0";
		if (percent)
			strcpy(pat, "0");
		if (decimals) {
			strcat(pat, ".");
			for (int i = 0; i < decimals; i++)
				strcat(pat, "0");
		}
		if (percent)
			strcat(pat, "\"%\"");
		lxw_format *f = bordered(F->wb, strong);
		format_set_num_format(f, pat);
		format_set_align(f, LXW_ALIGN_RIGHT);
		*slot = f;
	}
	return *slot;
}

/*
** The numeric value of an amount cell, in the unit it is shown in.
** This is the only place fisc turns money into floating point, and only
** because a spreadsheet cell stores an IEEE double. It is exact enough: the
** integer and fractional parts are converted separately, so any amount below
** 2^53 units (9×10^15 万元) keeps every digit, and the fraction (at most 10
** decimal places of the unit) is within 1e-16 relative of the true value, far
** below the 0.01 the number format displays. Nothing computes with it.
*/
static double cell_value(const fisc_cell *c)
{
	fisc_fen per = fisc_unit_fen((fisc_unit)c->unit);
	return (double)(c->fen / per) + (double)(c->fen % per) / (double)per;
}

/* Display width in Excel's character units: CJK characters count double. */
static double text_width(const char *s)
{
	double w = 0;
	size_t left = strlen(s);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = fisc_utf8_len(p, left);
		if (n == 0)
			n = 1;
		w += n >= 3 ? 2.1 : 1.1;
		p += n;
		left -= n;
	}
	return w;
}

/* s cut to at most `max` characters (not bytes), without the characters
** `bad` names, each replaced by '_', and without control characters. */
static void cut_chars(const char *s, size_t max, const char *bad, char *buf, size_t cap)
{
	size_t len = 0, chars = 0, left = strlen(s);
	for (const unsigned char *p = (const unsigned char *)s; *p && chars < max;) {
		size_t k = fisc_utf8_len(p, left);
		if (k == 0 || len + k + 1 >= cap)
			break;
		if (k == 1 && (*p < 0x20 || *p == 0x7F || strchr(bad, *p))) {
			buf[len++] = '_';
		} else {
			memcpy(buf + len, p, k);
			len += k;
		}
		chars++;
		p += k;
		left -= k;
	}
	buf[len] = 0;
}

/* A valid, unique sheet name: the table's title cut to Excel's 31
** characters, without the characters Excel forbids; a name already taken
** (Excel compares without case) gets " (2)", " (3)" … within the 31. */
static void sheet_name(lxw_workbook *wb, const char *title, char *buf, size_t cap)
{
	cut_chars(title, 31, "[]:*?/\\'", buf, cap);
	if (!*buf || *buf == ' ')
		cut_chars("表", 31, "", buf, cap);
	for (int n = 2; workbook_get_worksheet_by_name(wb, buf); n++) {
		char tail[16], head[128];
		snprintf(tail, sizeof tail, " (%d)", n);
		cut_chars(title, 31 - strlen(tail), "[]:*?/\\'", head, sizeof head);
		snprintf(buf, cap, "%s%s", head, tail);
	}
}

/* The page header: the document's title, which names the region or
** department and the year (the table's own title is the sheet's first row);
** '&' doubled, as it starts a code. */
static void page_header(lxw_worksheet *ws, const char *doc_title)
{
	static const char code[] = "&C&\"仿宋_GB2312\"&10";
	char t[256], hdr[LXW_HEADER_FOOTER_MAX + 1];
	/* 60 characters stay within libxlsxwriter's 255, counted in bytes by
	** older versions. */
	cut_chars(doc_title, 60, "", t, sizeof t);
	size_t n = strlen(code);
	memcpy(hdr, code, n);
	for (const char *p = t; *p && n + 2 < sizeof hdr; p++) {
		hdr[n++] = *p;
		if (*p == '&')
			hdr[n++] = '&';
	}
	hdr[n] = 0;
	if (worksheet_set_header(ws, hdr) != LXW_NO_ERROR)
		worksheet_set_header(ws, "&C&A");
	worksheet_set_footer(ws, "&C&\"Times New Roman\"&9— &P —");
}

/* Printed like the published table: A4, one page wide (as many pages
** down as the rows need), landscape when the columns are wider than a
** portrait page, centred, with the header rows on every page. */
static void page_setup(lxw_worksheet *ws, const fisc_table *t, const double *width,
		       const char *doc_title)
{
	double total = 0;
	for (size_t c = 0; c < t->ncols; c++)
		total += width[c];
	worksheet_set_paper(ws, 9); /* A4 */
	/* A portrait A4 page holds about 90 characters of 10.5 pt text. */
	if (total > 95 || t->ncols > 8)
		worksheet_set_landscape(ws);
	else
		worksheet_set_portrait(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_center_horizontally(ws);
	worksheet_set_margins(ws, 0.6, 0.6, 0.8, 0.8);
	page_header(ws, doc_title);
}

static void put_sheet(formats *F, lxw_worksheet *ws, const fisc_table *t, const char *doc_title)
{
	lxw_col_t last = (lxw_col_t)(t->ncols - 1);
	lxw_row_t row = 0;
	double width[FISC_DOC_MAXCOLS] = {0};

	if (t->ncols > 1)
		worksheet_merge_range(ws, row, 0, row, last, t->title, F->title);
	else
		worksheet_write_string(ws, row, 0, t->title, F->title);
	worksheet_set_row(ws, row, 24, NULL);
	row++;
	if (t->unit_label) {
		if (t->ncols > 1)
			worksheet_merge_range(ws, row, 0, row, last, t->unit_label, F->unit);
		else
			worksheet_write_string(ws, row, 0, t->unit_label, F->unit);
		row++;
	}
	lxw_row_t head0 = row;
	for (size_t r = 0; r < t->nhead; r++, row++)
		for (size_t c = 0; c < t->ncols; c++) {
			const fisc_cell *h = &t->head[r][c];
			if (h->kind == FISC_CELL_COVERED)
				continue;
			const char *s = fisc_cell_str(h);
			if (h->colspan > 1 || h->rowspan > 1)
				worksheet_merge_range(ws, row, (lxw_col_t)c,
						      row + (lxw_row_t)h->rowspan - 1,
						      (lxw_col_t)(c + (size_t)h->colspan - 1), s, F->head);
			else
				worksheet_write_string(ws, row, (lxw_col_t)c, s, F->head);
			if (h->colspan == 1 && text_width(s) > width[c])
				width[c] = text_width(s);
		}
	/* Keep the title and header rows in view while scrolling the body. */
	worksheet_freeze_panes(ws, row, 0);
	if (t->nhead)
		worksheet_repeat_rows(ws, head0, row - 1);
	if (!t->nbody) {
		const char *s = t->empty_text ? t->empty_text : "（本表无数据。）";
		if (t->ncols > 1)
			worksheet_merge_range(ws, row, 0, row, last, s, F->empty);
		else
			worksheet_write_string(ws, row, 0, s, F->empty);
		row++;
	}
	for (size_t r = 0; r < t->nbody; r++, row++)
		for (size_t c = 0; c < t->ncols; c++) {
			const fisc_cell *x = &t->body[r][c];
			lxw_col_t col = (lxw_col_t)c;
			switch (x->kind) {
			case FISC_CELL_AMOUNT:
				worksheet_write_number(ws, row, col, cell_value(x),
						       num_fmt(F, 0, x->decimals, x->strong));
				break;
			case FISC_CELL_PERCENT:
				/* The printed value (rounded half away from zero by
				** fisc_percent_format), so Excel shows the same digits. */
				worksheet_write_number(ws, row, col, strtod(x->text, NULL),
						       num_fmt(F, 1, x->decimals, x->strong));
				break;
			case FISC_CELL_NUMBER:
				/* exact: num has at most 18 digits, decimals ≤ 9 */
				worksheet_write_number(ws, row, col, strtod(x->text, NULL),
						       num_fmt(F, 0, x->decimals, x->strong));
				break;
			case FISC_CELL_TEXT:
				worksheet_write_string(ws, row, col, x->text,
						       text_fmt(F, x->level, x->strong));
				break;
			default:
				worksheet_write_blank(ws, row, col, text_fmt(F, 0, 0));
			}
			double w = text_width(fisc_cell_str(x)) + 1.5 * x->level;
			if (w > width[c])
				width[c] = w;
		}
	row++;
	for (size_t i = 0; i < t->nnotes; i++, row++) {
		char *s = NULL;
		if (asprintf(&s, "注：%s", t->notes[i]) < 0)
			continue;
		if (t->ncols > 1)
			worksheet_merge_range(ws, row, 0, row, last, s, F->note);
		else
			worksheet_write_string(ws, row, 0, s, F->note);
		/* Merged cells do not grow with wrapped text: give long notes room. */
		double lines = text_width(s) / 90.0 + 1;
		worksheet_set_row(ws, row, 15 * (lines > 6 ? 6 : (int)lines), NULL);
		free(s);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		double w = width[c] + 2;
		width[c] = w < 9 ? 9 : w > 60 ? 60 : w;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL);
	}
	page_setup(ws, t, width, doc_title);
}

/* A document without tables still makes a useful workbook: its title,
** headings, paragraphs and notes down column A. */
static void put_prose(formats *F, lxw_worksheet *ws, const fisc_doc *d)
{
	lxw_row_t row = 0;
	worksheet_set_column(ws, 0, 0, 100, F->note);
	if (*d->title)
		worksheet_write_string(ws, row++, 0, d->title, F->title);
	if (d->subtitle)
		worksheet_write_string(ws, row++, 0, d->subtitle, F->note);
	for (size_t i = 0; i < d->nblocks; i++) {
		const fisc_block *b = &d->blocks[i];
		if (b->kind == FISC_BLOCK_TABLE || !b->text)
			continue;
		char *s = NULL;
		if (b->kind == FISC_BLOCK_NOTE && asprintf(&s, "注：%s", b->text) < 0)
			continue;
		worksheet_write_string(ws, row++, 0, s ? s : b->text, F->note);
		free(s);
	}
	if (row == 0)
		worksheet_write_string(ws, 0, 0, "本报告没有内容。", NULL);
}

static int write_book(const fisc_doc *d, const char *path)
{
	/* Find out first whether the file can be written at all, so the error
	** is ours (and libxlsxwriter prints nothing of its own). */
	FILE *probe = fopen(path, "wb");
	if (!probe)
		return fisc_error_set(FISC_EIO, "无法写入「%s」/ cannot write '%s': %s", path, path,
				      strerror(errno));
	fclose(probe);
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return fisc_error_set(FISC_EIO, "无法创建工作簿「%s」/ cannot create workbook '%s'", path,
				      path);
	formats F;
	formats_init(&F, wb);
	size_t idx = 0;
	char name[128];
	for (size_t i = 0; i < d->nblocks; i++) {
		if (d->blocks[i].kind != FISC_BLOCK_TABLE)
			continue;
		const fisc_table *t = d->blocks[i].table;
		++idx;
		sheet_name(wb, *t->title ? t->title : "表", name, sizeof name);
		lxw_worksheet *ws = workbook_add_worksheet(wb, name);
		if (!ws) {
			workbook_close(wb);
			return fisc_error_set(FISC_EIO, "无法添加工作表「%s」/ cannot add sheet '%s'", name,
					      name);
		}
		put_sheet(&F, ws, t, d->title);
	}
	if (idx == 0) /* no tables (a statement): the prose, one block a row */
		put_prose(&F, workbook_add_worksheet(wb, "正文"), d);
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR)
		return fisc_error_set(FISC_EIO, "写出工作簿失败「%s」：%s / cannot write workbook", path,
				      lxw_strerror(e));
	return FISC_OK;
}

int fisc_render_xlsx(const fisc_doc *d, const char *path, FILE *out)
{
	if (path)
		return write_book(d, path);
	/* libxlsxwriter writes files only: build in a temporary one, then copy. */
	char tmp[] = "/tmp/fisc-xlsx-XXXXXX";
	int fd = mkstemp(tmp);
	if (fd < 0)
		return fisc_error_set(FISC_EIO, "无法创建临时文件 / cannot create a temporary file: %s",
				      strerror(errno));
	close(fd);
	int rc = write_book(d, tmp);
	if (rc == FISC_OK) {
		size_t len = 0;
		char *buf = fisc_read_file(tmp, &len);
		if (!buf)
			rc = fisc_error_set(FISC_EIO, "无法读取临时文件 / cannot read back the workbook");
		else if (fwrite(buf, 1, len, out) != len)
			rc = fisc_error_set(FISC_EIO, "写出失败 / write failed");
		free(buf);
	}
	unlink(tmp);
	return rc;
}
