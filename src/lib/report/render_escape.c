/*
** render_escape.c — the escaping every renderer shares, so that a name taken
** from imported data (a region, department, project or item) can never change
** the structure of what fisc writes, nor drive the terminal it is shown on.
**
** Names come from files a clerk was sent: they may hold Markdown markup, a
** link to "javascript:", line breaks, terminal escape sequences, bidi
** overrides that reorder what a reader sees, or a leading "=" that a
** spreadsheet would run as a formula. Each format escapes what is live in it:
** Markdown its metacharacters, CSV/TSV formula triggers, plain text the
** invisible characters. HTML has its own entity escaping (render_html.c).
*/
#include <stdlib.h>
#include <string.h>
#include "model/util.h"
#include "report/render.h"

/* The code point of the valid UTF-8 sequence s[0..k). */
static unsigned codepoint(const unsigned char *s, size_t k)
{
	switch (k) {
	case 1: return s[0];
	case 2: return (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	case 3: return (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	default:
		return (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
		       (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
	}
}

/* Characters a terminal acts on or a reader cannot see: C0 controls, DEL, C1
** controls, and the bidi embeddings, overrides and isolates (U+202A–202E,
** U+2066–2069) that make text display in an order other than its own. */
static int invisible(unsigned cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The visible stand-in of an invisible character or an invalid byte:
** "\x1b", "\u202e". `bs` is how a backslash is written (Markdown doubles it
** so the reader sees one). */
static void put_visible(unsigned cp, int byte, const char *bs, FILE *out)
{
	if (byte || cp < 0x100)
		fprintf(out, "%sx%02x", bs, cp);
	else
		fprintf(out, "%su%04x", bs, cp);
}

void fisc_put_text(const char *s, int flags, FILE *out)
{
	size_t left = strlen(s);
	const unsigned char *p = (const unsigned char *)s;
	while (left) {
		size_t k = fisc_utf8_len(p, left);
		if (k == 0) { /* not UTF-8: show the byte, never pass it raw */
			put_visible(*p, 1, "\\", out);
			p++, left--;
			continue;
		}
		unsigned cp = codepoint(p, k);
		if ((flags & FISC_TEXT_HTML) && cp < 0x80 && strchr("&<>\"", (int)cp))
			fputs(cp == '&' ? "&amp;" : cp == '<' ? "&lt;" : cp == '>' ? "&gt;" : "&quot;", out);
		else if (cp == '\n' && (flags & FISC_TEXT_NEWLINES))
			fputc('\n', out);
		else if (cp == '"' && (flags & FISC_TEXT_DQUOTE))
			fputs("\"\"", out);
		else if (cp == '\t' && (flags & FISC_TEXT_TABS))
			fputc('\t', out);
		else if ((cp == '\n' || cp == '\r' || cp == '\t') && (flags & FISC_TEXT_FOLD))
			fputc(' ', out);
		else if (cp == '\t')
			fputs("\\t", out);
		else if (cp == '\n')
			fputs("\\n", out);
		else if (cp == '\r')
			fputs("\\r", out);
		else if (invisible(cp))
			put_visible(cp, 0, "\\", out);
		else
			fwrite(p, 1, k, out);
		p += k;
		left -= k;
	}
}

/* ASCII punctuation that starts Markdown markup anywhere in a line: emphasis,
** code spans, links and images, raw HTML and autolinks, table pipes,
** strikethrough, entities, and backslash itself. */
static int md_special(unsigned cp)
{
	return cp < 0x80 && cp && strchr("\\`*_[]<>|#~!&", (int)cp) != NULL;
}

void fisc_put_md(const char *s, int line_start, FILE *out)
{
	size_t left = strlen(s);
	const unsigned char *p = (const unsigned char *)s;
	/* At the start of a line "-", "+", "=" begin a list item or a setext
	** underline and "1." / "1)" an ordered list: escape them there. */
	if (line_start) {
		const unsigned char *q = p;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q == p && (*p == '-' || *p == '+' || *p == '=')) {
			fputc('\\', out);
		} else if (q > p && q - p <= 9 && (*q == '.' || *q == ')')) {
			fwrite(p, 1, (size_t)(q - p), out);
			fputc('\\', out);
			left -= (size_t)(q - p);
			p = q;
		}
	}
	while (left) {
		size_t k = fisc_utf8_len(p, left);
		if (k == 0) {
			put_visible(*p, 1, "\\\\", out);
			p++, left--;
			continue;
		}
		unsigned cp = codepoint(p, k);
		/* One block stays one block: a line break inside a name or a
		** sentence would end a table row, a heading or a quote. */
		if (cp == '\n' || cp == '\r' || cp == '\t')
			fputc(' ', out);
		else if (invisible(cp))
			put_visible(cp, 0, "\\\\", out);
		else if (md_special(cp)) {
			fputc('\\', out);
			fputc((int)cp, out);
		} else
			fwrite(p, 1, k, out);
		p += k;
		left -= k;
	}
}

int fisc_text_is_number(const char *s)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	const char *digits = p;
	while ((*p >= '0' && *p <= '9') || (*p == ',' && p > digits))
		p++;
	if (p == digits || p[-1] == ',')
		return 0;
	if (*p == '.') {
		const char *f = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == f)
			return 0;
	}
	if (*p == '%')
		p++;
	return *p == 0;
}

int fisc_text_formula_risk(const char *s)
{
	return *s && strchr("=+-@\t\r", *s) != NULL && !fisc_text_is_number(s);
}

void fisc_text_put(const char *s, FILE *out)
{
	fisc_put_text(s, 0, out);
}

char *fisc_text_clean(const char *s, int flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return NULL;
	fisc_put_text(s ? s : "", flags, m);
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
