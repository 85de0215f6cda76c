/*
** html.c — the text of a web page (.html) for `fisc audit`, read with
** libxml2's forgiving HTML parser: every block element (paragraph, heading,
** list item, div …) becomes a line, every table row a line of tab-separated
** cells (the form reader.c takes tables in), headings keep their level as
** Markdown "#" marks, script and style are dropped and entities decoded.
** Published pages are often GBK: the encoding named by the page's meta
** charset is passed to the parser, which converts to UTF-8. A finding's line
** is the ordinal of its line in this text, as for a Word document.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include "audit/internal.h"
#include "fisc/error.h"
#include "model/util.h"

typedef struct hx {
	au_text t;      /* the text built */
	int tbl;  /* table depth: nested tables are flattened into their cell */
	int cells; /* cells begun in the current row of the outer table */
} hx;

static void put(hx *x, const char *s, size_t n) { au_text_put(&x->t, s, n); }

static int at_line_start(const hx *x) { return !x->t.n || x->t.out[x->t.n - 1] == '\n'; }

/* End the current line, if anything is on it. */
static void newline(hx *x)
{
	if (!at_line_start(x))
		put(x, "\n", 1);
}

static int is_block(const char *n)
{
	static const char *const blocks[] = {
		"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "section",
		"article", "header", "footer", "main", "nav", "aside", "address", "figure",
		"figcaption", "caption", "center", "form", "fieldset", "hr", "title", "body", "html"};
	for (size_t k = 0; k < sizeof blocks / sizeof *blocks; k++)
		if (!strcasecmp(n, blocks[k]))
			return 1;
	return 0;
}

/* HTML white space (runs of blanks, tabs, line breaks) is one space; a tab
** must never reach the output from text, where it would make a table row. */
static void text(hx *x, const char *s)
{
	for (const char *p = s; *p;) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
			while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
				p++;
			if (!at_line_start(x) && x->t.out[x->t.n - 1] != ' ' && x->t.out[x->t.n - 1] != '\t')
				put(x, " ", 1);
			continue;
		}
		const char *q = p;
		while (*q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' && *q != '\f')
			q++;
		put(x, p, (size_t)(q - p));
		p = q;
	}
}

/* Walk the tree iteratively: a page of deeply nested tags must not exhaust
** the stack. */
static void walk(hx *x, xmlNode *root)
{
	xmlNode *n = root;
	while (n && !x->t.oom) {
		int descend = 1;
		const char *name = (const char *)n->name;
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				text(x, (const char *)n->content);
			descend = 0;
		} else if (n->type != XML_ELEMENT_NODE && n->type != XML_DOCUMENT_NODE &&
			   n->type != XML_HTML_DOCUMENT_NODE) {
			descend = 0;
		} else if (n->type == XML_ELEMENT_NODE) {
			if (!strcasecmp(name, "script") || !strcasecmp(name, "style") ||
			    !strcasecmp(name, "noscript") || !strcasecmp(name, "template") ||
			    !strcasecmp(name, "head")) {
				descend = 0; /* not text of the page (the title repeats its heading) */
			} else if (!strcasecmp(name, "br")) {
				if (x->tbl)
					put(x, " ", 1);
				else
					put(x, "\n", 1);
			} else if (!strcasecmp(name, "table")) {
				if (!x->tbl)
					newline(x);
				x->tbl++;
			} else if (x->tbl == 1 && !strcasecmp(name, "tr")) {
				newline(x);
				x->cells = 0;
			} else if (x->tbl == 1 && (!strcasecmp(name, "td") || !strcasecmp(name, "th"))) {
				if (x->cells++)
					put(x, "\t", 1);
			} else if (!x->tbl && name[0] && (name[0] == 'h' || name[0] == 'H') && name[1] >= '1' &&
				   name[1] <= '6' && !name[2]) {
				newline(x);
				for (int k = 0; k < name[1] - '0'; k++)
					put(x, "#", 1);
				put(x, " ", 1);
			} else if (!x->tbl && is_block(name)) {
				newline(x);
			}
		}
		if (descend && n->children) {
			n = n->children;
			continue;
		}
		/* leave n and every ancestor that has no next sibling */
		for (;;) {
			if (n->type == XML_ELEMENT_NODE) {
				const char *nm = (const char *)n->name;
				if (!strcasecmp(nm, "table") && x->tbl) {
					x->tbl--;
					if (!x->tbl)
						newline(x);
				} else if (x->tbl == 1 && !strcasecmp(nm, "tr")) {
					newline(x);
				} else if (!x->tbl && (is_block(nm) || ((nm[0] == 'h' || nm[0] == 'H') &&
									nm[1] >= '1' && nm[1] <= '6' && !nm[2]))) {
					newline(x);
				}
			}
			if (n == root)
				return;
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
			if (!n)
				return;
		}
	}
}

/* The charset a page declares in its first bytes (<meta charset="gbk"> or
** <meta http-equiv="Content-Type" content="text/html; charset=gb2312">),
** copied into enc; 0 if none. */
static int meta_charset(const char *buf, size_t len, char *enc, size_t encsz)
{
	size_t n = len < 8192 ? len : 8192;
	for (size_t i = 0; i + 8 <= n; i++) {
		if (strncasecmp(buf + i, "charset", 7))
			continue;
		size_t j = i + 7;
		while (j < n && (buf[j] == ' ' || buf[j] == '='))
			j++;
		while (j < n && (buf[j] == '"' || buf[j] == '\''))
			j++;
		size_t k = 0;
		while (j < n && k + 1 < encsz &&
		       ((buf[j] >= 'a' && buf[j] <= 'z') || (buf[j] >= 'A' && buf[j] <= 'Z') ||
			(buf[j] >= '0' && buf[j] <= '9') || buf[j] == '-' || buf[j] == '_'))
			enc[k++] = buf[j++];
		enc[k] = 0;
		if (k)
			return 1;
	}
	return 0;
}

int au_is_html(const char *buf, size_t len)
{
	size_t i = 0;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
		i++;
	static const char *const starts[] = {"<!doctype html", "<html", "<head", "<body", "<meta"};
	for (size_t k = 0; k < sizeof starts / sizeof *starts; k++) {
		size_t m = strlen(starts[k]);
		if (len - i >= m && !strncasecmp(buf + i, starts[k], m))
			return 1;
	}
	/* XHTML, or a page opening with a comment: its <html> tag comes soon */
	if (len - i >= 5 && (!memcmp(buf + i, "<?xml", 5) || !memcmp(buf + i, "<!--", 4))) {
		size_t end = len < i + 1024 ? len : i + 1024;
		for (size_t j = i; j + 5 <= end; j++)
			if (!strncasecmp(buf + j, "<html", 5))
				return 1;
	}
	return 0;
}

int au_html_text(const char *path, const char *buf, size_t len, char **textp, size_t *outlen)
{
	*textp = NULL;
	*outlen = 0;
	if (len > INT32_MAX)
		return fisc_error_set(FISC_EIO, "无法读取文件 %s：网页过大 / cannot read %s: the page is too large",
				      path, path);
	char enc[32];
	const char *e = meta_charset(buf, len, enc, sizeof enc) ? enc : NULL;
	/* GB2312 pages hold GBK characters more often than not; GB18030 is the
	** superset of both */
	if (e && (!strcasecmp(e, "gb2312") || !strcasecmp(e, "gbk") || !strcasecmp(e, "x-gbk")))
		e = "GB18030";
	int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
		   HTML_PARSE_COMPACT;
	fisc_xml_init();
	htmlDocPtr doc = htmlReadMemory(buf, (int)len, path, e, opts);
	if (!doc && e) /* an encoding libxml2 does not know: let it detect one */
		doc = htmlReadMemory(buf, (int)len, path, NULL, opts);
	if (!doc)
		return fisc_error_set(FISC_EIO, "无法读取文件 %s：无法解析网页 / cannot read %s: the page cannot be parsed",
				      path, path);
	hx x;
	memset(&x, 0, sizeof x);
	walk(&x, (xmlNode *)doc);
	xmlFreeDoc(doc);
	if (x.t.oom) {
		free(x.t.out);
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	}
	newline(&x);
	if (!x.t.out) {
		x.t.out = malloc(1);
		if (!x.t.out)
			return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		x.t.out[0] = 0;
	}
	*textp = x.t.out;
	*outlen = x.t.n;
	return FISC_OK;
}
