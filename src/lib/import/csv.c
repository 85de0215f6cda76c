/*
** csv.c — an RFC 4180 CSV reader that delivers rows (see rows.h).
**
** Strict where strictness protects the data: a stray quote or an unterminated
** quoted field is an error naming its line, never silently "fixed"; bytes that
** are not UTF-8 are an error. A record with an error is skipped and reading
** goes on, so one import reports every bad line at once.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "import/rows.h"

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

static int valid_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t l = utf8_len((const unsigned char *)s + i, n - i);
		if (!l)
			return 0;
		i += l;
	}
	return 1;
}

typedef struct rec {
	char *buf;         /* field bytes, each NUL-terminated */
	size_t len, cap;
	size_t *starts;    /* offset of each field in buf */
	size_t *lens;
	size_t nf, capf;
} rec;

static int rec_byte(rec *r, char c)
{
	if (r->len == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		char *b = realloc(r->buf, cap);
		if (!b)
			return -1;
		r->buf = b;
		r->cap = cap;
	}
	r->buf[r->len++] = c;
	return 0;
}

static int rec_field_start(rec *r)
{
	if (r->nf == r->capf) {
		size_t cap = r->capf ? r->capf * 2 : 16;
		size_t *s = realloc(r->starts, cap * sizeof *s);
		if (!s)
			return -1;
		r->starts = s;
		size_t *l = realloc(r->lens, cap * sizeof *l);
		if (!l)
			return -1;
		r->lens = l;
		r->capf = cap;
	}
	r->starts[r->nf++] = r->len;
	return 0;
}

static int rec_field_end(rec *r)
{
	r->lens[r->nf - 1] = r->len - r->starts[r->nf - 1];
	return rec_byte(r, 0);
}

int fisc_csv_read(const char *file, const char *buf, size_t len,
		  fisc_row_cb cb, void *ud, fisc_diag *diag)
{
	rec r = {0};
	const char **cells = NULL;
	size_t cells_cap = 0;
	size_t p = 0;
	long line = 1;
	int rc = FISC_OK, failed = 0;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		p = 3;

	while (p < len) {
		long rec_line = line;
		/* Comments and blank lines are not records. */
		if (buf[p] == '#' || buf[p] == '\n' ||
		    (buf[p] == '\r' && p + 1 < len && buf[p + 1] == '\n')) {
			while (p < len && buf[p] != '\n')
				p++;
			p++;
			line++;
			continue;
		}
		r.len = r.nf = 0;
		const char *err_zh = NULL, *err_en = NULL;
		int kind = FISC_DIAG_BAD_CSV;
		if (rec_field_start(&r))
			goto oom;
		int done = 0;
		while (!done) {
			if (p < len && buf[p] == '"') {
				/* Quoted field: "" is a quote, anything else is literal. */
				p++;
				for (;;) {
					if (p >= len) {
						err_zh = "引号未闭合";
						err_en = "unterminated quoted field";
						done = 1;
						break;
					}
					if (buf[p] == '"') {
						if (p + 1 < len && buf[p + 1] == '"') {
							if (rec_byte(&r, '"'))
								goto oom;
							p += 2;
							continue;
						}
						p++;
						break;
					}
					if (buf[p] == '\n')
						line++;
					if (rec_byte(&r, buf[p++]))
						goto oom;
				}
				if (done)
					break;
				if (p < len && buf[p] != ',' && buf[p] != '\n' &&
				    !(buf[p] == '\r' && p + 1 < len && buf[p + 1] == '\n')) {
					err_zh = "闭合引号后有多余字符";
					err_en = "characters after a closing quote";
				}
			} else {
				while (p < len && buf[p] != ',' && buf[p] != '\n' &&
				       !(buf[p] == '\r' && p + 1 < len && buf[p + 1] == '\n')) {
					if (buf[p] == '"' && !err_zh) {
						err_zh = "未加引号的字段中出现引号";
						err_en = "quote inside an unquoted field";
					}
					if (rec_byte(&r, buf[p++]))
						goto oom;
				}
			}
			if (err_zh) {
				/* Skip the rest of this physical line. */
				while (p < len && buf[p] != '\n')
					p++;
			}
			if (rec_field_end(&r))
				goto oom;
			if (!err_zh && p < len && buf[p] == ',') {
				p++;
				if (rec_field_start(&r))
					goto oom;
				continue;
			}
			if (p < len && buf[p] == '\r')
				p++;
			if (p < len && buf[p] == '\n') {
				p++;
				line++;
			}
			done = 1;
		}
		if (!err_zh) {
			for (size_t i = 0; i < r.nf; i++)
				if (!valid_utf8(r.buf + r.starts[i], r.lens[i])) {
					kind = FISC_DIAG_BAD_UTF8;
					err_zh = "不是有效的 UTF-8 文本（请以 UTF-8 编码保存文件）";
					err_en = "not valid UTF-8 (save the file as UTF-8)";
					break;
				}
		}
		if (err_zh) {
			failed = 1;
			fisc_diag_add(diag, file, rec_line, NULL, NULL, kind, err_zh, err_en);
			continue;
		}
		if (r.nf > cells_cap) {
			const char **c = realloc(cells, r.nf * sizeof *c);
			if (!c)
				goto oom;
			cells = c;
			cells_cap = r.nf;
		}
		for (size_t i = 0; i < r.nf; i++)
			cells[i] = r.buf + r.starts[i];
		fisc_row row = {file, NULL, rec_line, r.nf, cells, r.lens, NULL};
		if ((rc = cb(ud, &row)) != 0)
			goto out;
	}
	rc = failed ? FISC_EIMPORT : FISC_OK;
	goto out;
oom:
	rc = fisc_error_set(FISC_ENOMEM, "out of memory");
out:
	free(r.buf);
	free(r.starts);
	free(r.lens);
	free(cells);
	return rc;
}
