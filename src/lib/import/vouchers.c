/*
** vouchers.c — payment vouchers CSV → the store, all or nothing, and the
** 类/款/项 rollups computed from the store's 项-level aggregates.
**
** A national voucher stream has millions of rows of seven short fields, so
** this reader does not go through the general CSV reader (csv.c copies every
** byte into a growing record and every row through the fact importer's
** catalogue and key maps). It walks the file in place: unquoted fields are
** pointers into the (memory-mapped) file, quoted ones are unescaped into a
** fixed scratch buffer, every field is parsed by a small integer parser, and
** vouchers go to the store in fixed batches. Nothing is allocated per row.
** On a large file a second thread writes the batches while this one parses
** the next ones: parsing and SQLite's inserting each take about half of the
** work, and the machines fisc runs on have at least two cores.
** The rules are still those of every fisc import: RFC 4180 quoting, UTF-8,
** comments and blank lines, English or Chinese headers, every problem
** reported as file:line with the field, in Chinese and English, and nothing
** written unless there is none.
*/
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fisc/error.h"
#include "fisc/fact.h"
#include "fisc/progress.h"
#include "fisc/voucher.h"
#include "import/filebuf.h"
#include "model/util.h"

enum vfield { V_NUMBER, V_DATE, V_REGION, V_UNIT, V_BOOK, V_FUNC, V_ECON, V_FEN, V_AMOUNT, V_N };

typedef struct vcol {
	const char *name;
	const char *alt[4];
} vcol;

static const vcol vcols[V_N] = {
	[V_NUMBER] = {"number", {"凭证号", "凭证编号", "支付凭证号", "voucher_no"}},
	[V_DATE] = {"date", {"日期", "支付日期", "凭证日期"}},
	[V_REGION] = {"region", {"地区", "区划", "行政区划"}},
	[V_UNIT] = {"unit", {"单位", "预算单位", "单位代码", "单位编码"}},
	[V_BOOK] = {"book", {"预算", "账本", "预算类别"}},
	[V_FUNC] = {"function", {"功能分类", "功能科目", "func"}},
	[V_ECON] = {"economic", {"经济分类", "经济科目", "econ"}},
	[V_FEN] = {"fen", {"金额（分）", "金额(分)", "amount_fen"}},
	[V_AMOUNT] = {"amount", {"金额", "金额（元）", "金额(元)", "amount_yuan"}},
};

enum { MAXF = 16, SCRATCH = 1024, BATCH = 4096, NYEARS = 2201 - 1949 };

/* Batches in flight between the parser and the writer thread, and the file
** size from which the writer thread is worth starting. */
enum { NBUF = 4, THREAD_MIN = 4 << 20 };

/* The writer thread's side: a ring of NBUF batches. `store_mu` is held by
** whichever thread uses the store, so the parser's rare lookups (a region
** seen for the first time, a catalogue edition) never run beside a put,
** whatever threading mode the store's library was built with. */
typedef struct writer {
	pthread_t th;
	pthread_mutex_t mu, store_mu;
	pthread_cond_t cv;
	fisc_store *st;
	fisc_voucher *buf[NBUF];
	size_t len[NBUF];
	int full[NBUF];
	int head;      /* next batch the writer takes */
	int done;      /* the parser has handed its last batch */
	int rc;        /* the first put that failed, and its message */
	char msg[512];
} writer;

typedef struct cell {
	const char *s;
	size_t n;
} cell;

/* A set of positive int32 codes (open addressing, 0 = empty). */
typedef struct intset {
	int32_t *slot;
	size_t cap, len;
} intset;

typedef struct edition {
	int year;
	intset func; /* 项 codes of 支出功能分类 */
	intset econ; /* economic codes, government and departmental */
} edition;

/* Region text as written → store id (0 when unknown; misses are cached too,
** so a file full of one bad region asks the store once). */
typedef struct rslot {
	char *key;
	size_t n;
	int64_t id;
} rslot;

typedef struct vctx {
	fisc_store *st;
	fisc_diag *diag;
	const char *file;
	long errors;
	int fatal;
	int col[V_N];  /* field → cell index, -1 when absent */
	size_t ncols;
	int have_header;
	int bad_header; /* rows are not checked: the header's problems say it all */
	char scratch[SCRATCH];
	rslot *regions;
	size_t rcap, rlen;
	edition eds[8];
	int neds;
	int8_t year_ed[NYEARS]; /* year → index into eds + 1; 0 unknown; -1 none */
	fisc_voucher *batch;
	size_t nbatch;
	fisc_voucher_stats *stats;
	writer *w;     /* NULL: batches are written by this thread */
	int cur;       /* the ring slot `batch` is */
} vctx;

static void store_lock(vctx *c)
{
	if (c->w)
		pthread_mutex_lock(&c->w->store_mu);
}

static void store_unlock(vctx *c)
{
	if (c->w)
		pthread_mutex_unlock(&c->w->store_mu);
}

static void verror(vctx *c, long line, const char *field, int kind, const char *zh,
		   const char *en)
{
	c->errors++;
	fisc_diag_add(c->diag, c->file, line, NULL, field, kind, zh, en);
}

/* Same, with the offending value quoted in both languages. A value that is
** not UTF-8 or is very long is not echoed. */
static void verrorv(vctx *c, long line, int f, int kind, const char *zh, const char *en,
		    const cell *v)
{
	char z[512], e[512], val[128];
	if (v->n < 96 && fisc_utf8_valid(v->s, v->n))
		snprintf(val, sizeof val, "%.*s", (int)v->n, v->s);
	else
		snprintf(val, sizeof val, "…");
	snprintf(z, sizeof z, zh, val);
	snprintf(e, sizeof e, en, val);
	verror(c, line, vcols[f].name, kind, z, e);
}

/* ---- integer sets and the catalogue ---- */

static uint32_t hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	return x ^ (x >> 16);
}

static int intset_add(intset *s, int32_t v)
{
	if ((s->len + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		int32_t *n = calloc(cap, sizeof *n);
		if (!n)
			return -1;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slot[i])
				continue;
			size_t j = hash32((uint32_t)s->slot[i]) & (cap - 1);
			while (n[j])
				j = (j + 1) & (cap - 1);
			n[j] = s->slot[i];
		}
		free(s->slot);
		s->slot = n;
		s->cap = cap;
	}
	size_t j = hash32((uint32_t)v) & (s->cap - 1);
	while (s->slot[j]) {
		if (s->slot[j] == v)
			return 0;
		j = (j + 1) & (s->cap - 1);
	}
	s->slot[j] = v;
	s->len++;
	return 0;
}

static int intset_has(const intset *s, int32_t v)
{
	if (!s->cap)
		return 0;
	size_t j = hash32((uint32_t)v) & (s->cap - 1);
	while (s->slot[j]) {
		if (s->slot[j] == v)
			return 1;
		j = (j + 1) & (s->cap - 1);
	}
	return 0;
}

/* Digits only, at most `max` of them, into *out. */
static int digits(const char *s, size_t n, size_t max, int64_t *out)
{
	if (n == 0 || n > max)
		return -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int on_catalog(void *ud, const fisc_catalog_entry *e)
{
	edition *ed = ud;
	int64_t code = 0;
	size_t n = strlen(e->code);
	if (digits(e->code, n, 9, &code))
		return 0;
	if (e->kind == FISC_CAT_FUNCTION && n == 7)
		return intset_add(&ed->func, (int32_t)code) ? FISC_ENOMEM : 0;
	if (e->kind == FISC_CAT_ECON_GOV || e->kind == FISC_CAT_ECON_DEPT)
		return intset_add(&ed->econ, (int32_t)code) ? FISC_ENOMEM : 0;
	return 0;
}

/* The code sets of the edition that governs `year`, loaded once per
** edition; NULL when the store has no catalogue. */
static edition *edition_for(vctx *c, int year)
{
	int8_t *slot = &c->year_ed[year - 1949];
	if (*slot > 0)
		return &c->eds[*slot - 1];
	if (*slot < 0)
		return NULL;
	int ed;
	store_lock(c);
	int found = fisc_store_edition_for(c->st, year, &ed);
	store_unlock(c);
	if (found != FISC_OK) {
		if (found != FISC_ENOTFOUND)
			c->fatal = found; /* a store failure is not a missing catalogue */
		else
			*slot = -1;
		return NULL;
	}
	for (int i = 0; i < c->neds; i++)
		if (c->eds[i].year == ed) {
			*slot = (int8_t)(i + 1);
			return &c->eds[i];
		}
	if (c->neds == (int)(sizeof c->eds / sizeof *c->eds)) {
		*slot = -1;
		return NULL;
	}
	edition *e = &c->eds[c->neds];
	memset(e, 0, sizeof *e);
	e->year = ed;
	store_lock(c);
	int rc = fisc_store_catalog_each(c->st, ed, on_catalog, e);
	store_unlock(c);
	if (rc != FISC_OK) {
		free(e->func.slot);
		free(e->econ.slot);
		c->fatal = rc;
		return NULL;
	}
	*slot = (int8_t)++c->neds;
	return e;
}

/* ---- regions ---- */

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

static int region_grow(vctx *c)
{
	size_t cap = c->rcap ? c->rcap * 2 : 64;
	rslot *n = calloc(cap, sizeof *n);
	if (!n)
		return -1;
	for (size_t i = 0; i < c->rcap; i++) {
		if (!c->regions[i].key)
			continue;
		size_t j = hash_bytes(c->regions[i].key, c->regions[i].n) & (cap - 1);
		while (n[j].key)
			j = (j + 1) & (cap - 1);
		n[j] = c->regions[i];
	}
	free(c->regions);
	c->regions = n;
	c->rcap = cap;
	return 0;
}

static int64_t region_id(vctx *c, const cell *v)
{
	if (c->rcap) {
		size_t j = hash_bytes(v->s, v->n) & (c->rcap - 1);
		for (; c->regions[j].key; j = (j + 1) & (c->rcap - 1))
			if (c->regions[j].n == v->n && memcmp(c->regions[j].key, v->s, v->n) == 0)
				return c->regions[j].id;
	}
	/* First sight of this text: ask the store once. */
	if ((c->rlen + 1) * 2 > c->rcap && region_grow(c)) {
		c->fatal = fisc_error_set(FISC_ENOMEM, "out of memory");
		return 0;
	}
	char *key = malloc(v->n + 1);
	if (!key) {
		c->fatal = fisc_error_set(FISC_ENOMEM, "out of memory");
		return 0;
	}
	memcpy(key, v->s, v->n);
	key[v->n] = 0;
	int64_t id = 0;
	fisc_arena *a = fisc_arena_new();
	fisc_region r;
	store_lock(c);
	int rc = !a ? FISC_ENOMEM
	     : memchr(key, 0, v->n) ? FISC_ENOTFOUND
				    : fisc_store_region_find(c->st, key, a, &r);
	store_unlock(c);
	if (rc == FISC_OK)
		id = r.id;
	else if (rc != FISC_ENOTFOUND)
		c->fatal = rc; /* a store failure is not an unknown region */
	fisc_arena_free(a);
	size_t j = hash_bytes(key, v->n) & (c->rcap - 1);
	while (c->regions[j].key)
		j = (j + 1) & (c->rcap - 1);
	c->regions[j] = (rslot){key, v->n, id};
	c->rlen++;
	return id;
}

/* ---- fields ---- */

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD → YYYYMMDD; 0 when not a real date
** of 1949–2200. */
static int32_t parse_date(const char *s, size_t n)
{
	int64_t y, m, d;
	if (n == 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4]) {
		if (digits(s, 4, 4, &y) || digits(s + 5, 2, 2, &m) || digits(s + 8, 2, 2, &d))
			return 0;
	} else if (n == 8) {
		int64_t v;
		if (digits(s, 8, 8, &v))
			return 0;
		y = v / 10000, m = v / 100 % 100, d = v % 100;
	} else {
		return 0;
	}
	static const int mdays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1949 || y > 2200 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m] + (m == 2 && leap((int)y)))
		return 0;
	return (int32_t)(y * 10000 + m * 100 + d);
}

/* An integer number of fen: [+-]digits, at most 15 digits (10 trillion
** 元: no single payment comes near, and sums of a billion of them fit). */
static int parse_fen(const char *s, size_t n, int64_t *out)
{
	int neg = 0;
	if (n && (*s == '-' || *s == '+'))
		neg = *s == '-', s++, n--;
	int64_t v;
	if (digits(s, n, 15, &v))
		return -1;
	*out = neg ? -v : v;
	return 0;
}

/* 元 with at most two decimals ("1234", "1234.5", "-0.07") → fen, exactly. */
static int parse_yuan(const char *s, size_t n, int64_t *out)
{
	int neg = 0;
	if (n && (*s == '-' || *s == '+'))
		neg = *s == '-', s++, n--;
	const char *dot = memchr(s, '.', n);
	size_t ni = dot ? (size_t)(dot - s) : n, nd = dot ? n - ni - 1 : 0;
	int64_t i, d = 0;
	if (digits(s, ni, 13, &i) || (dot && (nd < 1 || nd > 2 || digits(dot + 1, nd, 2, &d))))
		return -1;
	if (nd == 1)
		d *= 10;
	int64_t v = i * 100 + d;
	*out = neg ? -v : v;
	return 0;
}

static int parse_book(const char *s, size_t n)
{
	/* The codes first: a voucher file says "gpb" a million times. */
	if (n == 3) {
		if (!memcmp(s, "gpb", 3))
			return FISC_BOOK_GPB;
		if (!memcmp(s, "gfb", 3))
			return FISC_BOOK_GFB;
		if (!memcmp(s, "soe", 3))
			return FISC_BOOK_SOE;
		if (!memcmp(s, "ssf", 3))
			return FISC_BOOK_SSF;
	}
	int b = fisc_book_parse(s, n);
	return b == FISC_BOOK_ALL ? -1 : b;
}

/* ---- records ---- */

/* Bytes that end or complicate an unquoted field (1), and bytes that are not
** ASCII (2): only a record holding those needs its UTF-8 checked. */
#define HI16 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
static const unsigned char special[256] = {
	[','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1,
	[0x80] = HI16, HI16, HI16, HI16, HI16, HI16, HI16, HI16,
};

/*
** Split the record at buf[*pp]: cells (at most MAXF kept, all counted in
** *nf), *pp moved past its line end, *line advanced by the line breaks it
** holds. On malformed quoting the rest of the physical line is skipped and
** *err_zh / *err_en say why.
*/
static void split(vctx *c, const char *buf, size_t len, size_t *pp, long *line, cell *cells,
		  size_t *nf, int *hi, const char **err_zh, const char **err_en)
{
	size_t p = *pp, sc = 0;
	*nf = 0;
	*hi = 0;
	for (;;) {
		cell v;
		if (p < len && buf[p] == '"') {
			/* Quoted: "" is a quote; commas and line breaks are data. */
			size_t start = sc;
			p++;
			for (;;) {
				if (p >= len) {
					*err_zh = "引号未闭合";
					*err_en = "unterminated quoted field";
					goto fail;
				}
				char ch = buf[p];
				if (ch == '"') {
					if (p + 1 < len && buf[p + 1] == '"')
						p++;
					else {
						p++;
						break;
					}
				} else if (ch == '\n') {
					(*line)++;
				}
				*hi |= (unsigned char)ch >= 0x80;
				if (sc < SCRATCH)
					c->scratch[sc] = ch;
				sc++;
				p++;
			}
			if (sc > SCRATCH) {
				*err_zh = "字段过长";
				*err_en = "field too long";
				goto fail;
			}
			if (p < len && buf[p] != ',' && buf[p] != '\n' &&
			    !(buf[p] == '\r' && p + 1 < len && buf[p + 1] == '\n')) {
				*err_zh = "闭合引号后有多余字符";
				*err_en = "characters after a closing quote";
				goto fail;
			}
			v = (cell){c->scratch + start, sc - start};
		} else {
			size_t start = p;
			while (p < len) {
				unsigned char ch = (unsigned char)buf[p];
				if (special[ch]) {
					if (special[ch] == 2) {
						*hi = 1;
						p++;
						continue;
					}
					if (ch == ',' || ch == '\n')
						break;
					if (ch == '"') {
						*err_zh = "未加引号的字段中出现引号";
						*err_en = "quote inside an unquoted field";
						goto fail;
					}
					if (p + 1 < len && buf[p + 1] == '\n')
						break; /* CRLF */
				}
				p++;
			}
			v = (cell){buf + start, p - start};
		}
		if (*nf < MAXF)
			cells[*nf] = v;
		(*nf)++;
		if (p < len && buf[p] == ',') {
			p++;
			continue;
		}
		if (p < len && buf[p] == '\r')
			p++;
		if (p < len && buf[p] == '\n') {
			p++;
			(*line)++;
		}
		*pp = p;
		return;
	}
fail:
	while (p < len && buf[p] != '\n')
		p++;
	if (p < len) {
		p++;
		(*line)++;
	}
	*pp = p;
}

/* No control characters (a NUL would cut the number short). */
static int printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

static void trim(cell *v)
{
	while (v->n && (*v->s == ' ' || *v->s == '\t'))
		v->s++, v->n--;
	while (v->n && (v->s[v->n - 1] == ' ' || v->s[v->n - 1] == '\t'))
		v->n--;
}

static int match_col(const cell *h)
{
	for (int f = 0; f < V_N; f++) {
		if (strlen(vcols[f].name) == h->n && !memcmp(vcols[f].name, h->s, h->n))
			return f;
		for (int k = 0; k < 4 && vcols[f].alt[k]; k++)
			if (strlen(vcols[f].alt[k]) == h->n && !memcmp(vcols[f].alt[k], h->s, h->n))
				return f;
	}
	return -1;
}

static void header_cols(vctx *c, long line, cell *cells, size_t nf);

static void header(vctx *c, long line, cell *cells, size_t nf)
{
	long before = c->errors;
	header_cols(c, line, cells, nf);
	/* Rows under a header that is wrong would each repeat its problem. */
	c->bad_header = c->errors != before;
}

static void header_cols(vctx *c, long line, cell *cells, size_t nf)
{
	c->have_header = 1;
	c->ncols = nf;
	for (int f = 0; f < V_N; f++)
		c->col[f] = -1;
	if (nf > MAXF) {
		verror(c, line, NULL, FISC_DIAG_UNKNOWN_COLUMN, "表头列数过多",
		       "too many columns in the header");
		return;
	}
	for (size_t i = 0; i < nf; i++) {
		cell h = cells[i];
		trim(&h);
		int f = match_col(&h);
		if (f < 0) {
			char z[256], e[256];
			int n = h.n < 96 && fisc_utf8_valid(h.s, h.n) ? (int)h.n : 0;
			snprintf(z, sizeof z, "未知的列名「%.*s」", n, h.s);
			snprintf(e, sizeof e, "unknown column '%.*s'", n, h.s);
			verror(c, line, NULL, FISC_DIAG_UNKNOWN_COLUMN, z, e);
			continue;
		}
		if (c->col[f] >= 0) {
			verror(c, line, vcols[f].name, FISC_DIAG_UNKNOWN_COLUMN, "列出现了两次",
			       "the column appears twice");
			continue;
		}
		c->col[f] = (int)i;
	}
	if (c->col[V_NUMBER] < 0)
		verror(c, line, "number", FISC_DIAG_MISSING_COLUMN,
		       "缺少必需的列「number」（凭证号，同一地区、单位、年度内唯一；重复导入据此跳过已有凭证；"
		       "较早格式的文件须补上此列）",
		       "required column 'number' is missing (the voucher number, unique within a region, "
		       "unit and year: re-imports skip the vouchers already stored by it; files of the "
		       "older format need this column added)");
	for (int f = 0; f < V_N; f++) {
		if (f == V_NUMBER || f == V_FEN || f == V_AMOUNT || c->col[f] >= 0)
			continue;
		char z[128], e[128];
		snprintf(z, sizeof z, "缺少必需的列「%s」", vcols[f].name);
		snprintf(e, sizeof e, "required column '%s' is missing", vcols[f].name);
		verror(c, line, vcols[f].name, FISC_DIAG_MISSING_COLUMN, z, e);
	}
	if (c->col[V_FEN] < 0 && c->col[V_AMOUNT] < 0)
		verror(c, line, "fen", FISC_DIAG_MISSING_COLUMN,
		       "缺少金额列：「fen」（分）或「amount」（元）",
		       "missing the amount: a 'fen' column (in fen) or an 'amount' column (in 元)");
	if (c->col[V_FEN] >= 0 && c->col[V_AMOUNT] >= 0)
		verror(c, line, "amount", FISC_DIAG_UNKNOWN_COLUMN,
		       "「fen」与「amount」只能有一列", "give either 'fen' or 'amount', not both");
}

static void *writer_main(void *arg)
{
	writer *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->full[w->head] && !w->done)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!w->full[w->head])
			break; /* done, and nothing left */
		int h = w->head, failed = w->rc != FISC_OK;
		pthread_mutex_unlock(&w->mu);
		int rc = FISC_OK;
		if (!failed) {
			pthread_mutex_lock(&w->store_mu);
			rc = fisc_store_voucher_put(w->st, w->buf[h], w->len[h]);
			pthread_mutex_unlock(&w->store_mu);
		}
		pthread_mutex_lock(&w->mu);
		if (rc != FISC_OK) {
			/* The message is this thread's; keep it for the parser. */
			snprintf(w->msg, sizeof w->msg, "%s", fisc_error_message());
			w->rc = rc;
		}
		w->full[h] = 0;
		w->head = (h + 1) % NBUF;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Start the writer thread with its ring of batches; NULL when it cannot be
** started, and then this thread writes. */
static writer *writer_start(fisc_store *st)
{
	writer *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->st = st;
	for (int i = 0; i < NBUF; i++)
		if (!(w->buf[i] = malloc(BATCH * sizeof *w->buf[i])))
			goto fail;
	pthread_mutex_init(&w->mu, NULL);
	pthread_mutex_init(&w->store_mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->th, NULL, writer_main, w) == 0)
		return w;
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->store_mu);
	pthread_mutex_destroy(&w->mu);
fail:
	for (int i = 0; i < NBUF; i++)
		free(w->buf[i]);
	free(w);
	return NULL;
}

/* Wait for the last batch to be written; the writer's failure, if any. */
static int writer_stop(writer *w)
{
	pthread_mutex_lock(&w->mu);
	w->done = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->th, NULL);
	int rc = w->rc;
	if (rc != FISC_OK)
		fisc_error_set(rc, "%s", w->msg);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->store_mu);
	pthread_mutex_destroy(&w->mu);
	for (int i = 0; i < NBUF; i++)
		free(w->buf[i]);
	free(w);
	return rc;
}

static int flush_batch(vctx *c)
{
	if (c->nbatch && !c->errors && !c->fatal) {
		if (!c->w) {
			int rc = fisc_store_voucher_put(c->st, c->batch, c->nbatch);
			if (rc != FISC_OK)
				c->fatal = rc;
		} else {
			/* Hand this batch over and wait for the next slot to be free. */
			writer *w = c->w;
			pthread_mutex_lock(&w->mu);
			w->len[c->cur] = c->nbatch;
			w->full[c->cur] = 1;
			pthread_cond_broadcast(&w->cv);
			c->cur = (c->cur + 1) % NBUF;
			while (w->full[c->cur])
				pthread_cond_wait(&w->cv, &w->mu);
			if (w->rc != FISC_OK)
				c->fatal = w->rc; /* stop parsing; the message comes at the end */
			pthread_mutex_unlock(&w->mu);
			c->batch = w->buf[c->cur];
		}
	}
	c->nbatch = 0;
	return c->fatal;
}

static void row(vctx *c, long line, cell *cells, size_t nf)
{
	if (nf != c->ncols) {
		char z[160], e[160];
		snprintf(z, sizeof z, "有 %zu 个字段，表头有 %zu 列", nf, c->ncols);
		snprintf(e, sizeof e, "%zu fields, the header has %zu columns", nf, c->ncols);
		verror(c, line, NULL, FISC_DIAG_BAD_CSV, z, e);
		return;
	}
	cell v[V_N];
	for (int f = 0; f < V_N; f++) {
		v[f] = c->col[f] >= 0 ? cells[c->col[f]] : (cell){"", 0};
		trim(&v[f]);
	}
	long before = c->errors;
	fisc_voucher x;
	for (int f = 0; f < V_N; f++)
		if (c->col[f] >= 0 && v[f].n == 0) {
			char z[128], e[128];
			snprintf(z, sizeof z, "「%s」为空", vcols[f].name);
			snprintf(e, sizeof e, "'%s' is empty", vcols[f].name);
			verror(c, line, vcols[f].name, FISC_DIAG_MISSING_FIELD, z, e);
		}
	if (c->errors != before)
		return;

	x.line = line;
	if (v[V_NUMBER].n >= sizeof x.number || !printable(v[V_NUMBER].s, v[V_NUMBER].n))
		verrorv(c, line, V_NUMBER, FISC_DIAG_BAD_VALUE,
			"凭证号「%s」无效（最多 31 字节，不含控制字符）",
			"bad voucher number '%s' (at most 31 bytes, no control characters)", &v[V_NUMBER]);
	else {
		memcpy(x.number, v[V_NUMBER].s, v[V_NUMBER].n);
		x.number[v[V_NUMBER].n] = 0;
	}
	x.date = parse_date(v[V_DATE].s, v[V_DATE].n);
	if (!x.date)
		verrorv(c, line, V_DATE, FISC_DIAG_BAD_VALUE,
			"日期「%s」无效（应为 1949–2200 年的 YYYY-MM-DD）",
			"bad date '%s' (YYYY-MM-DD, 1949–2200)", &v[V_DATE]);
	x.region = region_id(c, &v[V_REGION]);
	if (!x.region && !c->fatal)
		verrorv(c, line, V_REGION, FISC_DIAG_UNKNOWN_REGION,
			"未知地区「%s」（请先导入地区表）",
			"unknown region '%s' (import a regions file first)", &v[V_REGION]);
	if (digits(v[V_UNIT].s, v[V_UNIT].n, 18, &x.unit))
		verrorv(c, line, V_UNIT, FISC_DIAG_BAD_VALUE, "单位代码「%s」无效（应为数字编码）",
			"bad unit code '%s' (digits)", &v[V_UNIT]);
	int book = parse_book(v[V_BOOK].s, v[V_BOOK].n);
	if (book < 0)
		verrorv(c, line, V_BOOK, FISC_DIAG_BAD_VALUE,
			"无法识别的预算类别「%s」（gpb、gfb、soe、ssf 或其中文名称）",
			"unknown book '%s' (gpb, gfb, soe, ssf or their Chinese names)", &v[V_BOOK]);
	x.book = (uint8_t)(book < 0 ? 0 : book);
	edition *ed = x.date ? edition_for(c, x.date / 10000) : NULL;
	if (x.date && !ed && !c->fatal)
		verror(c, line, "function", FISC_DIAG_UNKNOWN_ITEM, "数据库中没有可用的科目目录",
		       "the store has no catalogue edition");
	int64_t code = 0;
	if (digits(v[V_FUNC].s, v[V_FUNC].n, 7, &code) || v[V_FUNC].n != 7)
		verrorv(c, line, V_FUNC, FISC_DIAG_UNKNOWN_ITEM,
			"功能分类「%s」不是项级科目代码（7 位数字）",
			"function code '%s' is not a 项-level code (7 digits)", &v[V_FUNC]);
	else if (ed && !intset_has(&ed->func, (int32_t)code))
		verrorv(c, line, V_FUNC, FISC_DIAG_UNKNOWN_ITEM,
			"功能分类「%s」不在科目目录的项级科目中",
			"function code '%s' is not a 项 of the catalogue", &v[V_FUNC]);
	x.func = (int32_t)code;
	if (digits(v[V_ECON].s, v[V_ECON].n, 7, &code) || (ed && !intset_has(&ed->econ, (int32_t)code)))
		verrorv(c, line, V_ECON, FISC_DIAG_UNKNOWN_ITEM,
			"未知的经济分类代码「%s」", "unknown economic classification code '%s'",
			&v[V_ECON]);
	x.econ = (int32_t)code;
	if (c->col[V_FEN] >= 0) {
		if (parse_fen(v[V_FEN].s, v[V_FEN].n, &x.fen))
			verrorv(c, line, V_FEN, FISC_DIAG_BAD_AMOUNT,
				"金额「%s」无效（应为整数分，最多 15 位）",
				"bad amount '%s' (whole fen, at most 15 digits)", &v[V_FEN]);
	} else if (parse_yuan(v[V_AMOUNT].s, v[V_AMOUNT].n, &x.fen)) {
		verrorv(c, line, V_AMOUNT, FISC_DIAG_BAD_AMOUNT,
			"金额「%s」无效（应为元，最多两位小数）",
			"bad amount '%s' (元 with at most two decimals)", &v[V_AMOUNT]);
	}
	if (c->errors != before || c->fatal)
		return;
	if (__builtin_add_overflow(c->stats->fen, x.fen, &c->stats->fen)) {
		c->fatal = fisc_error_set(FISC_ERANGE,
					  "凭证金额合计超出范围 / voucher total out of range");
		return;
	}
	c->stats->vouchers++;
	/* After the first error nothing more is written: it will be rolled back. */
	if (c->errors)
		return;
	c->batch[c->nbatch++] = x;
	if (c->nbatch == BATCH)
		flush_batch(c);
}

static void walk(vctx *c, const char *buf, size_t len)
{
	size_t p = 0;
	long line = 1;
	cell cells[MAXF];
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		p = 3;
	while (p < len && !c->fatal) {
		/* Comments and blank lines are not records. */
		if (buf[p] == '#' || buf[p] == '\n' ||
		    (buf[p] == '\r' && p + 1 < len && buf[p + 1] == '\n')) {
			const char *nl = memchr(buf + p, '\n', len - p);
			p = nl ? (size_t)(nl - buf) + 1 : len;
			line++;
			continue;
		}
		long at = line;
		if ((at & 8191) == 0) /* bytes read of the file: a real fraction */
			fisc_progress_report("导入凭证 / importing vouchers", c->file, (int64_t)p,
					     (int64_t)len);
		size_t nf;
		int hi;
		const char *ez = NULL, *ee = NULL;
		split(c, buf, len, &p, &line, cells, &nf, &hi, &ez, &ee);
		if (ez) {
			verror(c, at, NULL, FISC_DIAG_BAD_CSV, ez, ee);
			continue;
		}
		/* Rows of codes and numbers are ASCII; only a record with other
		** bytes (a Chinese header, book name or region name) is checked. */
		if (hi) {
			int bad = 0;
			for (size_t i = 0; i < nf && i < MAXF; i++)
				bad |= !fisc_utf8_valid(cells[i].s, cells[i].n);
			if (bad) {
				verror(c, at, NULL, FISC_DIAG_BAD_UTF8,
				       "不是有效的 UTF-8 文本（请以 UTF-8 编码保存文件）",
				       "not valid UTF-8 (save the file as UTF-8)");
				if (!c->have_header)
					c->have_header = c->bad_header = 1;
				continue;
			}
		}
		if (!c->have_header)
			header(c, at, cells, nf);
		else if (!c->bad_header)
			row(c, at, cells, nf);
	}
	if (!c->have_header && !c->fatal)
		verror(c, 0, NULL, FISC_DIAG_MISSING_COLUMN, "文件中没有表头",
		       "the file has no header row");
	flush_batch(c);
}

int fisc_voucher_import_buffer(fisc_store *st, const char *name, const char *buf,
			       size_t len, fisc_diag *diag, fisc_voucher_stats *stats)
{
	vctx *c = calloc(1, sizeof *c);
	if (!c || !(c->batch = malloc(BATCH * sizeof *c->batch))) {
		free(c);
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	c->st = st;
	c->diag = diag;
	c->file = name;
	c->stats = stats;
	memset(stats, 0, sizeof *stats);
	int rc = fisc_store_begin(st);
	if (rc == FISC_OK)
		rc = fisc_store_voucher_source(st, name);
	if (rc != FISC_OK)
		fisc_store_rollback(st);
	if (rc == FISC_OK) {
		fisc_voucher *own = c->batch;
		if (len >= THREAD_MIN && (c->w = writer_start(st)) != NULL)
			c->batch = c->w->buf[0];
		walk(c, buf, len);
		if (c->w) {
			int wrc = writer_stop(c->w);
			if (wrc != FISC_OK)
				c->fatal = wrc;
			c->w = NULL;
		}
		c->batch = own;
		rc = c->fatal;
		if (rc == FISC_OK && (c->errors || fisc_diag_count(diag)))
			rc = FISC_EIMPORT;
		if (rc == FISC_OK) {
			fisc_store_voucher_skipped(st, &stats->skipped, &stats->skipped_fen);
			stats->vouchers -= stats->skipped;
			stats->fen -= stats->skipped_fen;
			rc = fisc_store_commit(st);
		}
		if (rc != FISC_OK) {
			const char *keep = rc == FISC_EIMPORT ? NULL : fisc_error_message();
			char msg[512];
			if (keep)
				snprintf(msg, sizeof msg, "%s", keep);
			fisc_store_rollback(st);
			memset(stats, 0, sizeof *stats);
			if (keep)
				fisc_error_set(rc, "%s", msg);
		}
	}
	if (rc == FISC_EIMPORT)
		fisc_error_set(rc, "导入有 %zu 处错误，未写入任何数据 / import had %zu error(s); nothing was written",
			       fisc_diag_count(diag), fisc_diag_count(diag));
	for (size_t i = 0; i < c->rcap; i++)
		free(c->regions[i].key);
	free(c->regions);
	for (int i = 0; i < c->neds; i++) {
		free(c->eds[i].func.slot);
		free(c->eds[i].econ.slot);
	}
	free(c->batch);
	free(c);
	return rc;
}

int fisc_voucher_import_file(fisc_store *st, const char *path, fisc_diag *diag,
			     fisc_voucher_stats *stats)
{
	memset(stats, 0, sizeof *stats);
	/* Read, not mapped: a file truncated by another process under a mapping
	** raises SIGBUS and kills the process; read whole, a change while it is
	** read is reported as such (filebuf.h). The copy costs memory equal to
	** the file, which the parser reads once, front to back. */
	fisc_filebuf fb;
	int rc = fisc_filebuf_read(path, &fb, diag);
	if (rc != FISC_OK)
		return rc;
	rc = fisc_voucher_import_buffer(st, path, fb.data, fb.len, diag, stats);
	fisc_filebuf_free(&fb);
	return rc;
}

/* ---- rollups at 类 / 款 / 项 ---- */

typedef struct rows {
	fisc_rollup_row *v;
	size_t n, cap;
	int div; /* 项 code / div = the code at the wanted level */
	int level;
} rows;

static int collect(void *ud, const fisc_rollup_row *r)
{
	rows *a = ud;
	if (fisc_grow(&a->v, &a->cap, a->n + 1, sizeof *a->v))
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	fisc_rollup_row x = *r;
	x.code = r->code / a->div;
	x.level = a->level;
	a->v[a->n++] = x;
	return 0;
}

static int cmp_row(const void *pa, const void *pb)
{
	const fisc_rollup_row *a = pa, *b = pb;
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->region != b->region)
		return a->region < b->region ? -1 : 1;
	if (a->code != b->code)
		return a->code < b->code ? -1 : 1;
	return (a->month > b->month) - (a->month < b->month);
}

int fisc_voucher_rollup(fisc_store *st, int by, int level, int scan, fisc_rollup_cb cb,
			void *ud)
{
	static const int divs[4] = {0, 10000, 100, 1};
	if (level < 1 || level > 3)
		return fisc_error_set(FISC_EINVAL, "级次应为类、款或项 / level must be 类, 款 or 项");
	rows a = {NULL, 0, 0, divs[level], level};
	int rc = fisc_store_voucher_rollup(st, by, scan, collect, &a);
	if (rc == FISC_OK && level < 3) {
		/* Regroup: the store's order is by 项, which interleaves months. */
		if (a.n > 1)
			qsort(a.v, a.n, sizeof *a.v, cmp_row);
		size_t w = 0;
		for (size_t i = 0; i < a.n; i++) {
			if (w && cmp_row(&a.v[w - 1], &a.v[i]) == 0) {
				if (__builtin_add_overflow(a.v[w - 1].fen, a.v[i].fen, &a.v[w - 1].fen)) {
					rc = fisc_error_set(FISC_ERANGE,
							    "凭证金额合计超出范围 / voucher total out of range");
					break;
				}
				a.v[w - 1].count += a.v[i].count;
			} else {
				a.v[w++] = a.v[i];
			}
		}
		a.n = w;
	}
	for (size_t i = 0; rc == FISC_OK && i < a.n; i++)
		rc = cb(ud, &a.v[i]);
	free(a.v);
	return rc;
}
