/*
** docx.c — the text of a Word document (.docx) for `fisc audit`, read with
** libzip and expat: every paragraph of word/document.xml becomes a line and
** every table row a line of tab-separated cells, which is the form the
** reader (reader.c) takes tables in; a finding's line is so the ordinal of
** its paragraph or row in the document. A cell's paragraphs are joined with a
** space; a table inside a cell is flattened into that cell. Only the text a
** reader sees is kept (w:t), not field codes or deleted text.
*/
#include <stdlib.h>
#include <string.h>
#include <expat.h>
#include <zip.h>
#include "audit/internal.h"
#include "fisc/error.h"

/* A document.xml larger than this once inflated is not a report: refused
** rather than read (a ZIP bomb costs nothing to make). */
#define DOCX_MAX_XML ((zip_uint64_t)256 << 20)

typedef struct dx {
	au_text t;      /* the text built */
	int in_t;       /* inside w:t: its characters are text */
	int tbl;        /* table depth (nested tables are flattened) */
	int cells;      /* cells begun in the current row of the outer table */
	int para_text;  /* the current paragraph has written text */
	int cell_text;  /* the current cell has written text */
} dx;

static void put(dx *x, const char *s, size_t n) { au_text_put(&x->t, s, n); }

/* "w:p" → "p": expat runs without namespace processing, and Word always
** writes the w: prefix, but a document from another writer may not. */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static void on_start(void *ud, const char *name, const char **attrs)
{
	(void)attrs;
	dx *x = ud;
	const char *l = local(name);
	if (!strcmp(l, "t")) {
		x->in_t = 1;
	} else if (!strcmp(l, "tab") || !strcmp(l, "br") || !strcmp(l, "cr")) {
		/* inside a line a tab or break separates words; a tab must not
		** make a paragraph look like a table row */
		put(x, " ", 1);
	} else if (!strcmp(l, "tbl")) {
		if (!x->tbl && x->t.n && x->t.out[x->t.n - 1] != '\n')
			put(x, "\n", 1);
		x->tbl++;
	} else if (!strcmp(l, "tr") && x->tbl == 1) {
		x->cells = 0;
	} else if (!strcmp(l, "tc") && x->tbl == 1) {
		if (x->cells++)
			put(x, "\t", 1);
		x->cell_text = 0;
	} else if (!strcmp(l, "p")) {
		x->para_text = 0;
		if (x->tbl && x->cell_text)
			put(x, " ", 1);
	}
}

static void on_end(void *ud, const char *name)
{
	dx *x = ud;
	const char *l = local(name);
	if (!strcmp(l, "t")) {
		x->in_t = 0;
	} else if (!strcmp(l, "p") && !x->tbl) {
		put(x, "\n", 1);
	} else if (!strcmp(l, "tr") && x->tbl == 1) {
		put(x, "\n", 1);
	} else if (!strcmp(l, "tbl") && x->tbl) {
		x->tbl--;
	}
}

static void on_text(void *ud, const char *s, int len)
{
	dx *x = ud;
	if (!x->in_t || len <= 0)
		return;
	/* tabs and line breaks in a run are spacing, not structure */
	for (int i = 0; i < len;) {
		int j = i;
		while (j < len && s[j] != '\t' && s[j] != '\n' && s[j] != '\r')
			j++;
		put(x, s + i, (size_t)(j - i));
		if (j < len)
			put(x, " ", 1);
		i = j + 1;
	}
	x->para_text = 1;
	if (x->tbl)
		x->cell_text = 1;
}

int au_docx_text(const char *path, const char *buf, size_t len, char **text, size_t *outlen)
{
	*text = NULL;
	*outlen = 0;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(len ? buf : NULL, len, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	zip_error_fini(&ze);
	if (!za) {
		if (src)
			zip_source_free(src);
		return fisc_error_set(FISC_EIO, "无法读取文件 %s：ZIP容器已损坏 / cannot read %s: a damaged ZIP container",
				      path, path);
	}
	zip_int64_t idx = zip_name_locate(za, "word/document.xml", 0);
	if (idx < 0) {
		int xlsx = zip_name_locate(za, "xl/workbook.xml", 0) >= 0;
		zip_close(za);
		if (xlsx)
			return fisc_error_set(FISC_EIO, "无法读取文件 %s：这是XLSX工作簿，审核读取的是报告正文（文本、DOCX） / cannot read %s: an XLSX workbook; the audit reads report text (text, DOCX)",
					      path, path);
		return fisc_error_set(FISC_EIO, "无法读取文件 %s：ZIP容器中没有Word正文（word/document.xml） / cannot read %s: a ZIP container without a Word document (word/document.xml)",
				      path, path);
	}
	dx x;
	memset(&x, 0, sizeof x);
	int rc = FISC_OK;
	zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
	XML_Parser p = zf ? XML_ParserCreate(NULL) : NULL;
	if (!zf || !p) {
		rc = fisc_error_set(FISC_EIO, "无法读取文件 %s：无法打开Word正文 / cannot read %s: the Word document part cannot be opened",
				    path, path);
	} else {
		XML_SetUserData(p, &x);
		XML_SetElementHandler(p, on_start, on_end);
		XML_SetCharacterDataHandler(p, on_text);
		zip_uint64_t total = 0;
		for (;;) {
			void *b = XML_GetBuffer(p, 1 << 16);
			if (!b) {
				x.t.oom = 1;
				break;
			}
			zip_int64_t n = zip_fread(zf, b, 1 << 16);
			if (n < 0 || (total += (zip_uint64_t)n) > DOCX_MAX_XML) {
				rc = fisc_error_set(FISC_EIO, "无法读取文件 %s：Word正文损坏或过大 / cannot read %s: the Word document is damaged or too large",
						    path, path);
				break;
			}
			if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
				rc = fisc_error_set(FISC_EIO, "无法读取文件 %s：Word正文不是合法的XML（第%lu行） / cannot read %s: the Word document is not well-formed XML (line %lu)",
						    path, (unsigned long)XML_GetCurrentLineNumber(p), path,
						    (unsigned long)XML_GetCurrentLineNumber(p));
				break;
			}
			if (n == 0 || x.t.oom)
				break;
		}
	}
	if (p)
		XML_ParserFree(p);
	if (zf)
		zip_fclose(zf);
	zip_close(za);
	if (x.t.oom && rc == FISC_OK)
		rc = fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	if (rc != FISC_OK) {
		free(x.t.out);
		return rc;
	}
	if (!x.t.out) {
		x.t.out = malloc(1);
		if (!x.t.out)
			return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		x.t.out[0] = 0;
	}
	*text = x.t.out;
	*outlen = x.t.n;
	return FISC_OK;
}
