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
#include "model/util.h"

typedef struct rec {
	char *buf;         /* field bytes, each NUL-terminated */
	size_t len, cap;
	size_t *starts;    /* offset of each field in buf */
	size_t *lens;
	size_t nf, capf;
} rec;

static int rec_byte(rec *r, char c)
{
	if (fisc_grow(&r->buf, &r->cap, r->len + 1, 1))
		return -1;
	r->buf[r->len++] = c;
	return 0;
}

static int rec_field_start(rec *r)
{
	size_t cap = r->capf;
	if (fisc_grow(&r->starts, &cap, r->nf + 1, sizeof *r->starts) ||
	    fisc_grow(&r->lens, &r->capf, r->nf + 1, sizeof *r->lens))
		return -1;
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
				if (!fisc_utf8_valid(r.buf + r.starts[i], r.lens[i])) {
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
		if (fisc_grow(&cells, &cells_cap, r.nf, sizeof *cells))
			goto oom;
		for (size_t i = 0; i < r.nf; i++)
			cells[i] = r.buf + r.starts[i];
		fisc_row row = {file, NULL, rec_line, r.nf, cells, r.lens, NULL, NULL};
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
