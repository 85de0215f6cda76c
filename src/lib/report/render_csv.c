/*
** render_csv.c — the tables of a fisc_doc as CSV, one file per table.
**
** Each file starts with a comment line "# 标题（单位：万元）" (fisc's own CSV
** reader skips '#' lines), then one header row (merged header cells are
** flattened to "财政拨款收入/一般公共预算"), then the body. Amounts are plain
** numbers in the table's unit with its decimals and no thousands separators
** ("3658.95"), percentages keep their sign ("4.84%"). Files carry a UTF-8 BOM
** because that is what makes spreadsheet programs read Chinese CSV correctly.
** RFC 4180 quoting; lines end in CRLF.
*/
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "fisc/error.h"
#include "model/util.h"
#include "report/render.h"

/* One RFC 4180 field. A text that a spreadsheet would run as a formula
** ("=HYPERLINK(…)", "+1", "@SUM", "-2+3") is written as text by a leading
** apostrophe, the convention Excel and LibreOffice honour; a plain number
** such as "-123.45" or "4.84%" stays a number. Invisible characters are shown
** (fisc_put_text), since a CSV sent to stdout lands on a terminal. */
static void field(const char *s, FILE *out)
{
	int risk = fisc_text_formula_risk(s);
	/* A leading '#' is quoted too: fisc's reader (and others) skip '#' lines. */
	if (!risk && !strpbrk(s, ",\"\r\n\t") && *s != ' ' && *s != '#' &&
	    (!*s || s[strlen(s) - 1] != ' ')) {
		fisc_put_text(s, 0, out);
		return;
	}
	fputc('"', out);
	if (risk)
		fputc('\'', out);
	fisc_put_text(s, FISC_TEXT_DQUOTE | FISC_TEXT_NEWLINES | FISC_TEXT_TABS, out);
	fputc('"', out);
}

/* A "# …" comment line: a line break in a title must not end the comment. */
static void comment(const char *prefix, const char *s, FILE *out)
{
	fputs(prefix, out);
	fisc_put_text(s, FISC_TEXT_FOLD, out);
}

static void put_table(const fisc_table *t, FILE *out)
{
	char buf[512];
	comment("# ", t->title, out);
	if (t->unit_label) {
		comment("（", t->unit_label, out);
		fputs("）", out);
	}
	fputs("\r\n", out);
	for (size_t c = 0; c < t->ncols; c++) {
		fisc_head_flat(t, c, buf, sizeof buf);
		if (c)
			fputc(',', out);
		field(buf, out);
	}
	fputs("\r\n", out);
	if (!t->nbody) {
		comment("# ", t->empty_text ? t->empty_text : "（本表无数据。）", out);
		fputs("\r\n", out);
	}
	for (size_t r = 0; r < t->nbody; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const fisc_cell *x = &t->body[r][c];
			if (c)
				fputc(',', out);
			if (x->kind == FISC_CELL_AMOUNT &&
			    fisc_fen_format(x->fen, (fisc_unit)x->unit, x->decimals, 0, buf,
					    sizeof buf) >= 0)
				fputs(buf, out);
			else
				field(fisc_cell_str(x), out);
		}
		fputs("\r\n", out);
	}
	for (size_t i = 0; i < t->nnotes; i++) {
		comment("# 注：", t->notes[i], out);
		fputs("\r\n", out);
	}
}

/* A file name from a table title: no path separators or control characters,
** at most ~90 bytes, cut on a character boundary. */
static void safe_name(const char *title, char *buf, size_t cap)
{
	size_t n = 0, left = strlen(title);
	for (const unsigned char *p = (const unsigned char *)title; *p && n + 5 < cap && n < 90;) {
		size_t k = fisc_utf8_len(p, left);
		if (k == 0)
			break;
		if (k == 1 && (*p < 0x20 || strchr("/\\:*?\"<>| ", *p)))
			buf[n++] = '_';
		else if (n + k + 5 < cap) {
			memcpy(buf + n, p, k);
			n += k;
		} else
			break;
		p += k;
		left -= k;
	}
	buf[n] = 0;
}

int fisc_render_csv(const fisc_doc *d, const char *path, FILE *out)
{
	size_t idx = 0;
	if (!path) {
		for (size_t i = 0; i < d->nblocks; i++)
			if (d->blocks[i].kind == FISC_BLOCK_TABLE) {
				if (idx++)
					fputs("\r\n", out);
				put_table(d->blocks[i].table, out);
			}
		return ferror(out) ? fisc_error_set(FISC_EIO, "写出失败 / write failed") : FISC_OK;
	}
	/* A directory (existing, or named with a trailing '/') or a prefix. */
	struct stat sb;
	size_t plen = strlen(path);
	int dir = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
	if (!dir && plen && path[plen - 1] == '/') {
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return fisc_error_set(FISC_EIO, "无法创建目录「%s」/ cannot create directory '%s'",
					      path, path);
		dir = 1;
	}
	for (size_t i = 0; i < d->nblocks; i++) {
		if (d->blocks[i].kind != FISC_BLOCK_TABLE)
			continue;
		const fisc_table *t = d->blocks[i].table;
		char name[128], file[4096];
		safe_name(*t->title ? t->title : "表", name, sizeof name);
		idx++;
		int n = dir ? snprintf(file, sizeof file, "%s%s%02zu-%s.csv", path,
				       path[plen - 1] == '/' ? "" : "/", idx, name)
			    : snprintf(file, sizeof file, "%s-%02zu-%s.csv", path, idx, name);
		if (n < 0 || (size_t)n >= sizeof file)
			return fisc_error_set(FISC_EINVAL, "路径过长 / path too long");
		FILE *f = fopen(file, "wb");
		if (!f)
			return fisc_error_set(FISC_EIO, "无法写入「%s」/ cannot write '%s'", file, file);
		fputs("\xEF\xBB\xBF", f);
		put_table(t, f);
		if (fclose(f) != 0)
			return fisc_error_set(FISC_EIO, "写出失败「%s」/ write failed '%s'", file, file);
	}
	return FISC_OK;
}
