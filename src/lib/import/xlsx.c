/*
** xlsx.c — reads the rows of every worksheet of an XLSX workbook and hands
** them, one at a time, to the importer in the same fisc_row shape the CSV
** reader uses (rows.h), so the importer never knows which format it reads.
**
** An XLSX file is a zip archive of XML parts. libzip opens the archive and
** inflates one part at a time; expat parses that part as a stream, so a
** worksheet is never held in memory whole: only the shared-string table and
** the row being built are. The parts read, in this order, are
**
**   xl/workbook.xml             sheet names and relationship ids, in order
**   xl/_rels/workbook.xml.rels  relationship id -> part name (and type)
**   xl/sharedStrings.xml        the strings that cells of type "s" index
**   xl/worksheets/sheetN.xml    (wherever the relationships say) the cells
**
** The input is untrusted. Every size is bounded (the limits below), DTDs are
** refused (no entity expansion), and every structural problem is reported to
** the diag list as bad-xlsx. Any problem ends the read: a workbook that is
** only half understood must not be half imported.
**
** expat runs with namespace processing off and element and attribute names
** are compared without their "prefix:", so <x:c> from writers that use a
** prefix reads like <c>, and r:id reads as id whatever the prefix is.
*/
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* uselocale, newlocale */
#endif
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <zip.h>

#include "fisc/error.h"
#include "fisc/import.h"
#include "import/filebuf.h"
#include "import/rows.h"
#include "model/util.h"

/* Excel's own limits, which no genuine workbook exceeds. */
#define MAX_COLS 16384                     /* A … XFD */
#define MAX_ROWS 1048576L
#define MAX_CELL_TEXT 32767                /* characters in one cell (Excel's limit) */
#define MAX_SST 10000000                   /* shared strings */
#define MAX_PART ((zip_uint64_t)512 << 20) /* uncompressed bytes of a part */

#define CHUNK (64 * 1024) /* bytes inflated and parsed at a time */

#define BASE_DIR "xl/" /* the folder of workbook.xml */

/* A growable byte string, always NUL-terminated once anything is added. */
typedef struct strbuf {
	char *p;
	size_t n, cap;
} strbuf;

/* One <sheet> of workbook.xml. */
typedef struct wsheet {
	char *name;
	char *rid;
	char *partname;   /* resolved part name; NULL when not a worksheet */
	zip_int64_t part; /* its index in the archive */
} wsheet;

/* One <Relationship> of workbook.xml.rels. */
typedef struct rel {
	char *id, *type, *target;
	int external;
} rel;

/* A shared string: its place in the string pool. */
typedef struct sstr {
	size_t off, len;
} sstr;

/* One cell of the row being built: either text that lives elsewhere (a
** shared string, "TRUE", "") or `len` bytes at `off` in the row's pool. */
typedef struct slot {
	const char *ext;
	size_t off, len;
	unsigned char flags; /* FISC_CELL_* (rows.h) */
} slot;

/* An archive entry name in lower case, for the case-insensitive lookup. */
typedef struct lname {
	char *name;
	zip_int64_t idx;
} lname;

typedef enum celltype {
	T_NUM, T_SST, T_STR, T_INLINE, T_BOOL, T_ERR, T_DATE
} celltype;

typedef struct xlsx {
	/* what the caller gave */
	const char *file;
	fisc_row_cb cb;
	void *ud;
	fisc_diag *diag;

	zip_t *za;
	XML_Parser xp;    /* parser of the part being read; NULL between parts */
	const char *part; /* that part's name, for messages */
	int rc;           /* the first failure; FISC_OK while all is well */

	/* text of the <t> or <v> element being read */
	strbuf text;
	size_t text_chars;  /* characters in text, for Excel's per-cell limit */
	int collect; /* character data goes into text */

	/* workbook.xml and its relationships */
	wsheet *sheets;
	size_t nsheets, capsheets;
	int in_sheets;
	rel *rels;
	size_t nrels, caprels;

	/* sharedStrings.xml: every string, NUL-terminated, in one pool */
	strbuf sst;
	sstr *sstv;
	size_t nsst, capsst;
	int in_si;
	int rph; /* depth in <rPh> (phonetic hints, not cell text) */

	/* the worksheet being read */
	const char *sheet; /* its name; NULL outside a worksheet */
	int in_data, in_row, in_cell, in_is;
	long line, prev_line; /* this row's number and the last one's */
	int row_has_r;
	int col, prev_col;
	celltype type;
	int has_v;
	int has_f; /* the cell holds a formula (<f>) */
	strbuf rowtext; /* text of this row's cells, NUL-separated */
	slot *slots;
	size_t nslots, capslots;
	const char **cells; /* what the callback gets; capslots each */
	size_t *lens;
	int *cols;
	unsigned char *flags;

	/* the archive's entry names in lower case, built on first need */
	lname *lower;
	size_t nlower;
	int lower_built;
} xlsx;

/* ---- small helpers ---------------------------------------------------- */

static int sb_add(strbuf *b, const char *s, size_t n)
{
	if (n > SIZE_MAX / 4 - b->n)
		return -1;
	size_t need = b->n + n + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < need)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
	return 0;
}

/* A malloc'ed printf; NULL when memory is exhausted. */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

static char *dupstr(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* "x:c" -> "c": names are compared without their namespace prefix. */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const XML_Char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp(local(atts[i]), name))
			return atts[i + 1];
	return NULL;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && !strcmp(s + n - m, tail);
}


void fisc_xlsx_colname(int col, char *buf)
{
	char tmp[8];
	int n = 0;
	if (col < 0) {
		buf[0] = 0;
		return;
	}
	/* Bijective base 26: A..Z, then AA..ZZ, … */
	for (long long v = (long long)col + 1; v > 0 && n < 7; v = (v - 1) / 26)
		tmp[n++] = (char)('A' + (v - 1) % 26);
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = 0;
}

/* ---- failure ---------------------------------------------------------- */

/* Record the first failure and stop the parser (if one is running). */
static void stop(xlsx *x, int rc)
{
	if (!x->rc)
		x->rc = rc;
	if (x->xp)
		XML_StopParser(x->xp, XML_FALSE);
}

/* Report a problem to the diag list, placed at the row and cell being read
** when there is one, and stop. For bad-xlsx the part's name is added to
** the reason so that the problem can be found in the archive. */
static void report(xlsx *x, int kind, const char *zh, const char *en)
{
	if (x->rc)
		return;
	long line = 0;
	char *cell = NULL, *mzh = NULL, *men = NULL;
	int rc = FISC_ENOMEM;
	if (x->sheet && x->in_row)
		line = x->line;
	if (x->sheet && x->in_cell) {
		char col[8];
		fisc_xlsx_colname(x->col, col);
		if (!(cell = fmt("%s!%s%ld", x->sheet, col, x->line)))
			goto out;
	}
	if (kind == FISC_DIAG_BAD_XLSX && x->part) {
		mzh = fmt("%s（%s）", zh, x->part);
		men = fmt("%s (%s)", en, x->part);
		if (!mzh || !men)
			goto out;
		zh = mzh;
		en = men;
	}
	rc = fisc_diag_add(x->diag, x->file, line, cell, NULL, kind, zh, en);
out:
	free(cell);
	free(mzh);
	free(men);
	stop(x, rc);
}

static void bad(xlsx *x, const char *zh, const char *en)
{
	report(x, FISC_DIAG_BAD_XLSX, zh, en);
}

static void bad_utf8(xlsx *x)
{
	if (x->sheet && x->in_cell)
		report(x, FISC_DIAG_BAD_UTF8, "单元格不是有效的 UTF-8",
		       "cell is not valid UTF-8");
	else if (x->part) {
		char *zh = fmt("%s 不是有效的 UTF-8", x->part);
		char *en = fmt("%s is not valid UTF-8", x->part);
		if (zh && en)
			report(x, FISC_DIAG_BAD_UTF8, zh, en);
		else
			stop(x, FISC_ENOMEM);
		free(zh);
		free(en);
	} else
		report(x, FISC_DIAG_BAD_UTF8, "文本不是有效的 UTF-8",
		       "text is not valid UTF-8");
}

static void oom(xlsx *x) { stop(x, FISC_ENOMEM); }

/* ---- numbers ------------------------------------------------------------ */

/*
** Excel keeps numbers as binary doubles and writes them to the file with up
** to 17 significant digits, so 3658.95 typed into a cell may be stored as
** "3658.9499999999998". Nobody entered that number, and read as an exact
** decimal it is wrong. So when the stored text has more than 15 significant
** digits it is replaced by the shortest text (15 or 16 digits) that reads
** back as the same double; otherwise the stored text is kept as it is.
**
** This is the ONLY place fisc uses a double, and only to undo how Excel
** stores numbers: amounts are parsed from the resulting text as exact
** decimals, never as floating point.
**
** Rewrites s in place (the result is never longer); returns the new length.
*/
static size_t undo_float_artefact(char *s, size_t n)
{
	/* Only plain decimals: [-+]digits[.digits][(e|E)[-+]digits]. */
	size_t i = 0, sig = 0, digits = 0, dots = 0;
	int seen_nonzero = 0, has_exp = 0;
	if (n == 0 || n > 40)
		return n;
	if (s[i] == '-' || s[i] == '+')
		i++;
	for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'); i++) {
		if (s[i] == '.') {
			dots++;
			continue;
		}
		digits++;
		if (s[i] != '0')
			seen_nonzero = 1;
		if (seen_nonzero)
			sig++;
	}
	if (digits == 0 || dots > 1)
		return n;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		has_exp = 1;
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		size_t e0 = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == e0)
			return n;
	}
	if (i != n || sig <= 15)
		return n;

	/* strtod and printf follow LC_NUMERIC; numbers in XML use '.'. */
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (!c)
		return n;
	locale_t old = uselocale(c);
	char in[48], out[48];
	memcpy(in, s, n);
	in[n] = 0;
	double d = strtod(in, NULL);
	for (int prec = 15; prec <= 16; prec++) {
		snprintf(out, sizeof out, "%.*g", prec, d);
		size_t m = strlen(out);
		/* Do not turn 12345678901234567 into 1.23456789012346e+16. */
		if (!has_exp && strpbrk(out, "eE"))
			continue;
		if (m < n && strtod(out, NULL) == d) {
			memcpy(s, out, m + 1);
			n = m;
			break;
		}
	}
	uselocale(old);
	freelocale(c);
	return n;
}

/* Digits only, 1..max (no sign, no spaces): the r of a <row>. */
static int parse_uint(const char *s, long max, long *out)
{
	long v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

/* A cell reference "B5": column letters (A … XFD) then the row number. */
static int parse_ref(const char *s, int *col, long *row)
{
	long c = 0;
	int letters = 0;
	for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++) {
		if (++letters > 3)
			return -1;
		c = c * 26 + ((*s | 0x20) - 'a' + 1);
	}
	if (letters == 0 || c > MAX_COLS)
		return -1;
	if (parse_uint(s, MAX_ROWS, row) || *row < 1)
		return -1;
	*col = (int)(c - 1);
	return 0;
}

/* ---- reading one part ----------------------------------------------------- */

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	xlsx *x = ud;
	if (!x->collect || x->rc || len <= 0)
		return;
	/* expat delivers UTF-8: count the bytes that start a character. */
	for (int i = 0; i < len; i++)
		x->text_chars += ((unsigned char)s[i] & 0xC0) != 0x80;
	if (x->text_chars > MAX_CELL_TEXT) {
		bad(x, "单元格文本超过 32767 个字符",
		    "cell text longer than 32767 characters");
		return;
	}
	if (sb_add(&x->text, s, (size_t)len))
		oom(x);
}

/* OOXML never has a DTD; refusing it means no entity can be expanded. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name,
			       const XML_Char *sysid, const XML_Char *pubid,
			       int has_internal_subset)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
	bad(ud, "不允许 DTD（DOCTYPE）", "a DTD (DOCTYPE) is not allowed");
}

/* expat refused the part. Invalid UTF-8 is the one case worth a kind of
** its own; expat stops at the offending byte, so look at it. */
static void xml_failed(xlsx *x, XML_Parser p)
{
	if (x->rc)
		return; /* a handler stopped the parser and has said why */
	enum XML_Error e = XML_GetErrorCode(p);
	if (e == XML_ERROR_NO_MEMORY) {
		oom(x);
		return;
	}
	if (e == XML_ERROR_INVALID_TOKEN || e == XML_ERROR_PARTIAL_CHAR) {
		int off = 0, size = 0;
		const char *ctx = XML_GetInputContext(p, &off, &size);
		if (ctx && off >= 0 && off < size &&
		    !fisc_utf8_len((const unsigned char *)ctx + off,
			       (size_t)(size - off))) {
			bad_utf8(x);
			return;
		}
	}
	unsigned long ln = (unsigned long)XML_GetCurrentLineNumber(p);
	unsigned long cn = (unsigned long)XML_GetCurrentColumnNumber(p);
	char zh[160], en[160];
	snprintf(zh, sizeof zh, "XML 格式错误（第 %lu 行第 %lu 列）：%s", ln,
		 cn, XML_ErrorString(e));
	snprintf(en, sizeof en, "malformed XML (line %lu, column %lu): %s", ln,
		 cn, XML_ErrorString(e));
	bad(x, zh, en);
}

/* Inflate one part of the archive and stream it through a fresh parser
** with the given element handlers. Problems go to x->rc. */
static void parse_part(xlsx *x, zip_int64_t idx, const char *name,
		       XML_StartElementHandler on_start,
		       XML_EndElementHandler on_end)
{
	zip_stat_t st;
	zip_file_t *zf = NULL;
	XML_Parser p = NULL;
	zip_uint64_t total = 0;

	x->part = name;
	x->collect = 0;
	x->text.n = 0;
	x->text_chars = 0;
	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_SIZE) && st.size > MAX_PART) {
		bad(x, "部件解压后超过 512 MiB", "part larger than 512 MiB");
		goto out;
	}
	if (!(zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0))) {
		zip_error_t *ze = zip_get_error(x->za);
		if (zip_error_code_zip(ze) == ZIP_ER_MEMORY) {
			oom(x);
		} else {
			char en[200];
			snprintf(en, sizeof en, "cannot open part: %s",
				 zip_error_strerror(ze));
			bad(x, "无法打开部件", en);
		}
		goto out;
	}
	if (!(p = XML_ParserCreate(NULL))) {
		oom(x);
		goto out;
	}
	XML_SetUserData(p, x);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	x->xp = p;
	for (;;) {
		void *b = XML_GetBuffer(p, CHUNK);
		if (!b) {
			oom(x);
			break;
		}
		zip_int64_t n = zip_fread(zf, b, CHUNK);
		if (n < 0) {
			char en[200];
			snprintf(en, sizeof en, "cannot inflate part: %s",
				 zip_file_strerror(zf));
			bad(x, "部件解压失败（压缩数据损坏）", en);
			break;
		}
		/* zip_stat's size is the archive's word; count for real. */
		total += (zip_uint64_t)n;
		if (total > MAX_PART) {
			bad(x, "部件解压后超过 512 MiB",
			    "part larger than 512 MiB");
			break;
		}
		if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
			xml_failed(x, p);
			break;
		}
		if (n == 0 || x->rc)
			break;
	}
out:
	x->xp = NULL;
	if (p)
		XML_ParserFree(p);
	if (zf)
		zip_fclose(zf);
	x->part = NULL;
	x->collect = 0;
}

/* ---- archive entry names -------------------------------------------------- */

static int lname_cmp(const void *a, const void *b)
{
	return strcmp(((const lname *)a)->name, ((const lname *)b)->name);
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s |= 0x20;
}

/* Part names are case-insensitive (OPC) and some writers do not match the
** case the relationships use. Exact lookup first (libzip hashes names);
** otherwise a sorted lower-case table, built once, so that a workbook with
** many sheets cannot make this quadratic. -1: absent (or out of memory,
** then x->rc says so). */
static zip_int64_t find_part(xlsx *x, const char *name)
{
	zip_int64_t i = zip_name_locate(x->za, name, 0);
	if (i >= 0)
		return i;
	if (!x->lower_built) {
		zip_int64_t n = zip_get_num_entries(x->za, 0);
		x->lower_built = 1;
		if (n > 0 && !(x->lower = calloc((size_t)n, sizeof *x->lower))) {
			oom(x);
			return -1;
		}
		for (zip_int64_t k = 0; k < n; k++) {
			const char *s = zip_get_name(x->za, (zip_uint64_t)k, 0);
			if (!s)
				continue;
			char *d = dupstr(s);
			if (!d) {
				oom(x);
				return -1;
			}
			lower_ascii(d);
			x->lower[x->nlower].name = d;
			x->lower[x->nlower++].idx = k;
		}
		if (x->nlower)
			qsort(x->lower, x->nlower, sizeof *x->lower, lname_cmp);
	}
	if (!x->nlower)
		return -1;
	char *key = dupstr(name);
	if (!key) {
		oom(x);
		return -1;
	}
	lower_ascii(key);
	lname k = { key, 0 };
	const lname *hit =
		bsearch(&k, x->lower, x->nlower, sizeof *x->lower, lname_cmp);
	free(key);
	return hit ? hit->idx : -1;
}

/* The part a relationship target names. Targets are relative to the folder
** of workbook.xml unless they start with '/'; "." and ".." are resolved and
** a target that climbs out of the archive is refused. NULL with x->rc set
** on failure. */
static char *resolve_target(xlsx *x, const char *target)
{
	size_t tl = strlen(target), n = 0;
	char *out = malloc(tl + sizeof BASE_DIR + 1);
	const char *p = target;
	if (!out) {
		oom(x);
		return NULL;
	}
	if (*p == '/')
		p++;
	else {
		memcpy(out, BASE_DIR, sizeof BASE_DIR - 1);
		n = sizeof BASE_DIR - 1;
	}
	/* out is empty or ends in '/' after every step */
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* "//" or "/./": nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (n == 0)
				goto invalid;
			n--;
			while (n > 0 && out[n - 1] != '/')
				n--;
		} else {
			memcpy(out + n, p, len);
			n += len;
			out[n++] = '/';
		}
		p += len;
		if (*p == '/')
			p++;
	}
	if (n == 0)
		goto invalid;
	out[n - 1] = 0;
	return out;
invalid:
	free(out);
	{
		char *zh = fmt("关系目标「%s」无效", target);
		char *en = fmt("invalid relationship target '%s'", target);
		if (zh && en)
			bad(x, zh, en);
		else
			oom(x);
		free(zh);
		free(en);
	}
	return NULL;
}

/* ---- workbook.xml and its relationships ------------------------------------ */

static void XMLCALL wb_start(void *ud, const XML_Char *name,
			     const XML_Char **atts)
{
	xlsx *x = ud;
	if (x->rc)
		return;
	name = local(name);
	if (!strcmp(name, "sheets")) {
		x->in_sheets = 1;
		return;
	}
	if (!x->in_sheets || strcmp(name, "sheet"))
		return;
	const char *sname = attr(atts, "name"), *rid = attr(atts, "id");
	if (!sname || !rid) {
		bad(x, "工作表缺少 name 或 r:id", "sheet without name or r:id");
		return;
	}
	if (x->nsheets == x->capsheets) {
		size_t cap = x->capsheets ? x->capsheets * 2 : 8;
		wsheet *v = realloc(x->sheets, cap * sizeof *v);
		if (!v) {
			oom(x);
			return;
		}
		x->sheets = v;
		x->capsheets = cap;
	}
	wsheet *s = &x->sheets[x->nsheets];
	memset(s, 0, sizeof *s);
	s->part = -1;
	s->name = dupstr(sname);
	s->rid = dupstr(rid);
	x->nsheets++; /* counted even when a copy failed, so it is freed */
	if (!s->name || !s->rid)
		oom(x);
}

static void XMLCALL wb_end(void *ud, const XML_Char *name)
{
	xlsx *x = ud;
	if (!strcmp(local(name), "sheets"))
		x->in_sheets = 0;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name,
			       const XML_Char **atts)
{
	xlsx *x = ud;
	if (x->rc || strcmp(local(name), "Relationship"))
		return;
	const char *id = attr(atts, "Id"), *type = attr(atts, "Type");
	const char *target = attr(atts, "Target");
	const char *mode = attr(atts, "TargetMode");
	if (!id)
		return; /* nothing can refer to it */
	if (x->nrels == x->caprels) {
		size_t cap = x->caprels ? x->caprels * 2 : 8;
		rel *v = realloc(x->rels, cap * sizeof *v);
		if (!v) {
			oom(x);
			return;
		}
		x->rels = v;
		x->caprels = cap;
	}
	rel *r = &x->rels[x->nrels++];
	r->id = dupstr(id);
	r->type = dupstr(type ? type : "");
	r->target = target ? dupstr(target) : NULL;
	r->external = mode && !strcmp(mode, "External");
	if (!r->id || !r->type || (target && !r->target))
		oom(x);
}

static void XMLCALL rels_end(void *ud, const XML_Char *name)
{
	(void)ud, (void)name;
}

static int rel_cmp(const void *a, const void *b)
{
	return strcmp(((const rel *)a)->id, ((const rel *)b)->id);
}

/* Find each sheet's part. Every worksheet must exist, once; sheets of
** other kinds (charts, dialogs, macros) hold no cells and are skipped. */
static void resolve_sheets(xlsx *x)
{
	zip_int64_t nent = zip_get_num_entries(x->za, 0);
	unsigned char *seen = calloc(nent > 0 ? (size_t)nent : 1, 1);
	size_t nwork = 0;
	if (!seen) {
		oom(x);
		return;
	}
	if (x->nrels)
		qsort(x->rels, x->nrels, sizeof *x->rels, rel_cmp);
	for (size_t i = 0; i < x->nsheets && !x->rc; i++) {
		wsheet *s = &x->sheets[i];
		rel key = { s->rid, NULL, NULL, 0 };
		const rel *r = x->nrels ? bsearch(&key, x->rels, x->nrels,
						  sizeof *x->rels, rel_cmp)
					: NULL;
		char *zh = NULL, *en = NULL;
		if (!r) {
			zh = fmt("工作表「%s」的关系 %s 不存在", s->name, s->rid);
			en = fmt("sheet '%s': relationship %s does not exist",
				 s->name, s->rid);
		} else if (!ends_with(r->type, "/worksheet")) {
			continue;
		} else if (r->external || !r->target) {
			zh = fmt("工作表「%s」的关系 %s 没有指向工作簿内的部件",
				 s->name, s->rid);
			en = fmt("sheet '%s': relationship %s does not name a "
				 "part of the workbook", s->name, s->rid);
		} else if ((s->partname = resolve_target(x, r->target))) {
			s->part = find_part(x, s->partname);
			if (x->rc)
				break;
			if (s->part < 0) {
				zh = fmt("缺少工作表「%s」的部件 %s", s->name,
					 s->partname);
				en = fmt("sheet '%s': part %s is missing",
					 s->name, s->partname);
			} else if (s->part >= nent || seen[s->part]) {
				zh = fmt("工作表「%s」与另一工作表共用部件 %s",
					 s->name, s->partname);
				en = fmt("sheet '%s' shares part %s with "
					 "another sheet", s->name, s->partname);
			} else {
				seen[s->part] = 1;
				nwork++;
			}
		}
		if (zh && en)
			bad(x, zh, en);
		else if (zh || en)
			oom(x);
		free(zh);
		free(en);
	}
	if (!x->rc && nwork == 0)
		bad(x, "工作簿中没有工作表", "the workbook has no worksheet");
	free(seen);
}

/* ---- sharedStrings.xml ------------------------------------------------------ */

static void XMLCALL sst_start(void *ud, const XML_Char *name,
			      const XML_Char **atts)
{
	xlsx *x = ud;
	(void)atts;
	if (x->rc)
		return;
	name = local(name);
	if (!strcmp(name, "si")) {
		if (x->in_si) {
			bad(x, "共享字符串嵌套", "nested shared string");
			return;
		}
		x->in_si = 1;
		x->rph = 0;
		x->text.n = 0;
	x->text_chars = 0;
	} else if (!x->in_si) {
		return;
	} else if (!strcmp(name, "rPh")) {
		x->rph++;
		x->collect = 0;
	} else if (!strcmp(name, "t")) {
		/* Plain <si><t> and rich-text <si><r><t> runs alike. */
		x->collect = x->rph == 0;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	xlsx *x = ud;
	if (x->rc)
		return;
	name = local(name);
	if (!x->in_si)
		return;
	if (!strcmp(name, "t")) {
		x->collect = 0;
	} else if (!strcmp(name, "rPh")) {
		if (x->rph > 0)
			x->rph--;
	} else if (!strcmp(name, "si")) {
		x->in_si = 0;
		x->collect = 0;
		const char *s = x->text.p ? x->text.p : "";
		if (x->nsst >= MAX_SST) {
			bad(x, "共享字符串超过 1000 万个",
			    "more than 10 million shared strings");
			return;
		}
		/* expat hands out only valid UTF-8; checked all the same. */
		if (!fisc_utf8_valid(s, x->text.n)) {
			bad_utf8(x);
			return;
		}
		if (x->nsst == x->capsst) {
			size_t cap = x->capsst ? x->capsst * 2 : 64;
			sstr *v = realloc(x->sstv, cap * sizeof *v);
			if (!v) {
				oom(x);
				return;
			}
			x->sstv = v;
			x->capsst = cap;
		}
		size_t off = x->sst.n;
		if (sb_add(&x->sst, s, x->text.n) || sb_add(&x->sst, "", 1)) {
			oom(x);
			return;
		}
		x->sstv[x->nsst].off = off;
		x->sstv[x->nsst++].len = x->text.n;
	}
}

/* The shared strings part: named by the workbook's relationships, or at
** its usual place. A workbook with no strings has none. */
static void read_shared_strings(xlsx *x)
{
	char *name = NULL;
	for (size_t i = 0; i < x->nrels; i++) {
		const rel *r = &x->rels[i];
		if (ends_with(r->type, "/sharedStrings") && r->target &&
		    !r->external) {
			if (!(name = resolve_target(x, r->target)))
				return;
			break;
		}
	}
	zip_int64_t idx = find_part(x, name ? name : BASE_DIR "sharedStrings.xml");
	if (idx >= 0 && !x->rc)
		parse_part(x, idx, name ? name : BASE_DIR "sharedStrings.xml",
			   sst_start, sst_end);
	free(name);
}

/* ---- worksheets ------------------------------------------------------------ */

static int grow_row(xlsx *x, size_t need)
{
	if (need <= x->capslots)
		return 0;
	size_t cap = x->capslots ? x->capslots : 16;
	while (cap < need)
		cap *= 2;
	slot *s = realloc(x->slots, cap * sizeof *s);
	if (!s)
		return -1;
	x->slots = s;
	const char **c = realloc(x->cells, cap * sizeof *c);
	if (!c)
		return -1;
	x->cells = c;
	size_t *l = realloc(x->lens, cap * sizeof *l);
	if (!l)
		return -1;
	x->lens = l;
	int *k = realloc(x->cols, cap * sizeof *k);
	if (!k)
		return -1;
	x->cols = k;
	unsigned char *f = realloc(x->flags, cap * sizeof *f);
	if (!f)
		return -1;
	x->flags = f;
	x->capslots = cap;
	return 0;
}

static void row_start(xlsx *x, const XML_Char **atts)
{
	const char *r = attr(atts, "r");
	long line;
	if (x->in_row) {
		bad(x, "行嵌套", "nested row");
		return;
	}
	if (r) {
		if (parse_uint(r, MAX_ROWS, &line) || line < 1) {
			bad(x, "行号无效", "invalid row number");
			return;
		}
		if (line <= x->prev_line) {
			bad(x, "行号没有递增", "row numbers do not increase");
			return;
		}
	} else {
		/* No r: the row after the previous one. */
		line = x->prev_line + 1;
		if (line > MAX_ROWS) {
			bad(x, "行数超过 1048576", "more than 1048576 rows");
			return;
		}
	}
	x->line = line;
	x->row_has_r = r != NULL;
	x->in_row = 1;
	x->prev_col = -1;
	x->nslots = 0;
	x->rowtext.n = 0;
}

/* Deliver the row unless all of its cells are empty. */
static void row_end(xlsx *x)
{
	x->in_row = 0;
	x->prev_line = x->line;
	if (x->nslots == 0)
		return;
	for (size_t i = 0; i < x->nslots; i++) {
		const slot *s = &x->slots[i];
		x->cells[i] = s->ext ? s->ext : x->rowtext.p + s->off;
		x->lens[i] = s->len;
		x->cols[i] = (int)i;
		x->flags[i] = s->flags;
	}
	fisc_row row = { x->file, x->sheet, x->line, x->nslots,
			 x->cells, x->lens, x->cols, x->flags };
	int rc = x->cb ? x->cb(x->ud, &row) : 0;
	if (rc)
		stop(x, rc);
}

static void cell_start(xlsx *x, const XML_Char **atts)
{
	const char *r = attr(atts, "r"), *t = attr(atts, "t");
	int col;
	if (!x->in_row) {
		bad(x, "单元格不在行内", "cell outside a row");
		return;
	}
	if (x->in_cell) {
		bad(x, "单元格嵌套", "nested cell");
		return;
	}
	if (r) {
		long row;
		if (parse_ref(r, &col, &row)) {
			bad(x, "单元格引用无效", "invalid cell reference");
			return;
		}
		/* A row without r takes its number from its first cell. */
		if (!x->row_has_r && x->prev_col < 0 && row > x->prev_line)
			x->line = row;
	} else {
		col = x->prev_col + 1;
	}
	/* Cells come in column order; this also bounds a row's size. */
	if (col <= x->prev_col || col >= MAX_COLS) {
		bad(x, "单元格的列没有递增", "cell columns do not increase");
		return;
	}
	x->col = col;
	x->in_cell = 1;
	x->in_is = 0;
	x->rph = 0;
	x->has_v = 0;
	x->has_f = 0;
	x->collect = 0;
	x->text.n = 0;
	x->text_chars = 0;
	x->type = T_NUM;
	if (!t || !strcmp(t, "n"))
		x->type = T_NUM;
	else if (!strcmp(t, "s"))
		x->type = T_SST;
	else if (!strcmp(t, "str"))
		x->type = T_STR;
	else if (!strcmp(t, "inlineStr"))
		x->type = T_INLINE;
	else if (!strcmp(t, "b"))
		x->type = T_BOOL;
	else if (!strcmp(t, "e"))
		x->type = T_ERR;
	else if (!strcmp(t, "d"))
		x->type = T_DATE;
	else
		bad(x, "未知的单元格类型", "unknown cell type");
}

/* Index of a shared string: digits, perhaps with spaces around. */
static int parse_sst_index(const char *s, size_t n, size_t *out)
{
	size_t i = 0, v = 0, digits = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		v = v * 10 + (size_t)(s[i] - '0');
		if (v > MAX_SST)
			return -1;
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	if (!digits || i != n)
		return -1;
	*out = v;
	return 0;
}

/* The cell is complete: work out its text and put it in its column. */
static void cell_end(xlsx *x)
{
	char empty[1] = "";
	char *s = x->text.p ? x->text.p : empty;
	size_t n = x->text.n;
	const char *ext = NULL;

	x->collect = 0;
	switch (x->type) {
	case T_SST: {
		size_t i;
		if (!x->has_v || n == 0) {
			n = 0;
			break;
		}
		if (parse_sst_index(s, n, &i) || i >= x->nsst) {
			bad(x, "引用了不存在的共享字符串",
			    "reference to a missing shared string");
			return;
		}
		ext = x->sst.p + x->sstv[i].off;
		n = x->sstv[i].len;
		break;
	}
	case T_BOOL:
		if (n == 0)
			break;
		if ((n == 1 && s[0] == '1') || (n == 4 && !memcmp(s, "true", 4)))
			ext = "TRUE";
		else if ((n == 1 && s[0] == '0') ||
			 (n == 5 && !memcmp(s, "false", 5)))
			ext = "FALSE";
		else {
			bad(x, "布尔单元格的值无效", "invalid boolean cell");
			return;
		}
		n = strlen(ext);
		break;
	case T_NUM:
		n = undo_float_artefact(s, n);
		break;
	default: /* the text as stored: strings, error codes, dates */
		break;
	}
	/* expat hands out only valid UTF-8; checked all the same, as the
	** importer relies on it. */
	if (!ext && !fisc_utf8_valid(s, n)) {
		bad_utf8(x);
		return;
	}
	x->in_cell = 0;
	x->prev_col = x->col;
	/* A formula Excel never calculated (written by a program, or saved with
	** manual calculation) has no value to read: delivered as an empty cell
	** marked so, for the importer to refuse. */
	unsigned char flags =
		x->has_f && !x->has_v && x->type != T_INLINE ? FISC_CELL_NO_VALUE : 0;
	if (n == 0 && !flags)
		return; /* an empty cell is the same as none */
	size_t col = (size_t)x->col;
	if (grow_row(x, col + 1)) {
		oom(x);
		return;
	}
	for (size_t i = x->nslots; i < col; i++)
		x->slots[i] = (slot){ "", 0, 0, 0 };
	slot *sl = &x->slots[col];
	if (ext || n == 0) {
		*sl = (slot){ ext ? ext : "", 0, n, flags };
	} else {
		size_t off = x->rowtext.n;
		if (sb_add(&x->rowtext, s, n) || sb_add(&x->rowtext, "", 1)) {
			oom(x);
			return;
		}
		*sl = (slot){ NULL, off, n, flags };
	}
	x->nslots = col + 1;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name,
				const XML_Char **atts)
{
	xlsx *x = ud;
	if (x->rc)
		return;
	name = local(name);
	if (!strcmp(name, "sheetData"))
		x->in_data = 1;
	else if (!x->in_data)
		return;
	else if (!strcmp(name, "row"))
		row_start(x, atts);
	else if (!strcmp(name, "c"))
		cell_start(x, atts);
	else if (!x->in_cell)
		return;
	else if (!strcmp(name, "v")) {
		/* The value, or a formula's cached result. */
		if (x->type != T_INLINE) {
			x->collect = 1;
			x->has_v = 1;
		}
	} else if (!strcmp(name, "f")) {
		x->has_f = 1;
	} else if (!strcmp(name, "is"))
		x->in_is = 1;
	else if (!strcmp(name, "rPh")) {
		x->rph++;
		x->collect = 0;
	} else if (!strcmp(name, "t"))
		x->collect = x->type == T_INLINE && x->in_is && x->rph == 0;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	xlsx *x = ud;
	if (x->rc)
		return;
	name = local(name);
	if (!strcmp(name, "sheetData"))
		x->in_data = 0;
	else if (!x->in_data)
		return;
	else if (!strcmp(name, "row"))
		row_end(x);
	else if (!x->in_cell)
		return;
	else if (!strcmp(name, "c"))
		cell_end(x);
	else if (!strcmp(name, "v") || !strcmp(name, "t"))
		x->collect = 0;
	else if (!strcmp(name, "is"))
		x->in_is = 0;
	else if (!strcmp(name, "rPh") && x->rph > 0)
		x->rph--;
}

static void read_sheet(xlsx *x, const wsheet *s)
{
	x->sheet = s->name;
	x->in_data = x->in_row = x->in_cell = x->in_is = 0;
	x->rph = 0;
	x->line = x->prev_line = 0;
	parse_part(x, s->part, s->partname, sheet_start, sheet_end);
	x->sheet = NULL;
	x->in_row = x->in_cell = 0;
}

/* ---- the whole workbook ------------------------------------------------------ */

static void read_workbook(xlsx *x)
{
	static const char wbname[] = BASE_DIR "workbook.xml";
	static const char relsname[] = BASE_DIR "_rels/workbook.xml.rels";
	zip_int64_t idx = find_part(x, wbname);
	if (x->rc)
		return;
	if (idx < 0) {
		bad(x, "缺少 xl/workbook.xml，不是 Excel 工作簿",
		    "xl/workbook.xml is missing: not an Excel workbook");
		return;
	}
	parse_part(x, idx, wbname, wb_start, wb_end);
	if (x->rc)
		return;
	idx = find_part(x, relsname);
	if (x->rc)
		return;
	if (idx < 0) {
		bad(x, "缺少 xl/_rels/workbook.xml.rels",
		    "xl/_rels/workbook.xml.rels is missing");
		return;
	}
	parse_part(x, idx, relsname, rels_start, rels_end);
	if (x->rc)
		return;
	resolve_sheets(x);
	if (x->rc)
		return;
	read_shared_strings(x);
	for (size_t i = 0; i < x->nsheets && !x->rc; i++)
		if (x->sheets[i].partname && x->sheets[i].part >= 0)
			read_sheet(x, &x->sheets[i]);
}

/* zip_open failed: say why, as an unreadable file or as not-a-workbook. */
static void open_failed(xlsx *x, zip_error_t *ze)
{
	int code = zip_error_code_zip(ze);
	char en[300];
	if (code == ZIP_ER_MEMORY) {
		oom(x);
		return;
	}
	if (code == ZIP_ER_NOENT || code == ZIP_ER_OPEN ||
	    code == ZIP_ER_READ || code == ZIP_ER_SEEK) {
		snprintf(en, sizeof en, "cannot read the file: %s",
			 zip_error_strerror(ze));
		report(x, FISC_DIAG_IO, "无法读取文件", en);
		return;
	}
	snprintf(en, sizeof en, "not an XLSX workbook (not a zip archive): %s",
		 zip_error_strerror(ze));
	bad(x, "不是 XLSX 工作簿（不是 zip 压缩包）", en);
}

static void init(xlsx *x, const char *file, fisc_row_cb cb, void *ud,
		 fisc_diag *diag)
{
	memset(x, 0, sizeof *x);
	x->file = file ? file : "";
	x->cb = cb;
	x->ud = ud;
	x->diag = diag;
}

static int finish(xlsx *x)
{
	if (x->za)
		zip_discard(x->za);
	for (size_t i = 0; i < x->nsheets; i++) {
		free(x->sheets[i].name);
		free(x->sheets[i].rid);
		free(x->sheets[i].partname);
	}
	free(x->sheets);
	for (size_t i = 0; i < x->nrels; i++) {
		free(x->rels[i].id);
		free(x->rels[i].type);
		free(x->rels[i].target);
	}
	free(x->rels);
	for (size_t i = 0; i < x->nlower; i++)
		free(x->lower[i].name);
	free(x->lower);
	free(x->text.p);
	free(x->sst.p);
	free(x->sstv);
	free(x->rowtext.p);
	free(x->slots);
	free(x->cells);
	free(x->lens);
	free(x->cols);
	free(x->flags);
	if (x->rc == FISC_ENOMEM)
		fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	return x->rc;
}

int fisc_xlsx_read(const char *file, fisc_row_cb cb, void *ud,
		   fisc_diag *diag)
{
	/* Read whole first, not through zip_open: the archive's directory is at
	** its end, so a file that changed while libzip read it could pair the
	** new directory with old parts; filebuf notices the change instead. */
	if (!file) {
		xlsx x;
		init(&x, file, cb, ud, diag);
		report(&x, FISC_DIAG_IO, "未给出文件名", "no file name given");
		return finish(&x);
	}
	fisc_filebuf fb;
	int rc = fisc_filebuf_read(file, &fb, diag);
	if (rc != FISC_OK)
		return rc;
	rc = fisc_xlsx_read_buffer(file, fb.data, fb.len, cb, ud, diag);
	fisc_filebuf_free(&fb);
	return rc;
}

int fisc_xlsx_read_buffer(const char *file, const void *buf, size_t len,
			  fisc_row_cb cb, void *ud, fisc_diag *diag)
{
	xlsx x;
	zip_error_t ze;
	init(&x, file, cb, ud, diag);
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(len ? buf : NULL, len, 0, &ze);
	if (!src) {
		open_failed(&x, &ze);
	} else if (!(x.za = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
		zip_source_free(src); /* the archive did not take it */
		open_failed(&x, &ze);
	} else {
		read_workbook(&x);
	}
	zip_error_fini(&ze);
	return finish(&x);
}
