/*
** history_doc.c — the history of figures as people read it, shared by the
** command line and the server (both call these, neither has its own copy):
** the document `fisc history` prints and GET /api/regions/{region}/history
** sends (fisc_history_build), the versions of one fact and the journal
** entry that recorded each document (what a figure on the web page leads
** to), and the column heading of each side of a diff (fisc_diff_label).
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/catalog.h"
#include "fisc/error.h"
#include "fisc/history.h"
#include "fisc/journal.h"
#include "fisc/money.h"

typedef struct hist_ctx {
	fisc_store *st;
	fisc_doc *d;
	fisc_table *t;
	fisc_catalog *cat;
	fisc_arena *a;
	fisc_fact_doc docs[64]; /* documents met so far (a small cache) */
	size_t ndocs;
	fisc_fact_version last;
	int version, rows;
} hist_ctx;

static const fisc_fact_doc *doc_of(hist_ctx *h, int64_t id)
{
	for (size_t i = 0; i < h->ndocs; i++)
		if (h->docs[i].id == id)
			return &h->docs[i];
	fisc_fact_doc d;
	if (fisc_history_doc_get(h->st, id, h->a, &d) != FISC_OK)
		return NULL;
	if (h->ndocs == sizeof h->docs / sizeof *h->docs)
		h->ndocs = 0;
	h->docs[h->ndocs] = d;
	return &h->docs[h->ndocs++];
}

static int same_key(const fisc_fact *a, const fisc_fact *b)
{
	return a->region == b->region && a->year == b->year && a->book == b->book &&
	       a->scope == b->scope && a->phase == b->phase && a->kind == b->kind &&
	       !strcmp(a->item, b->item) && !strcmp(a->dept, b->dept) &&
	       !strcmp(a->project, b->project) && !strcmp(a->econ, b->econ) &&
	       !strcmp(a->fund, b->fund);
}

const char *fisc_history_doc_label(fisc_arena *a, const fisc_fact_doc *d)
{
	if (!d)
		return "?";
	if (d->kind == FISC_FACT_DOC_AMEND)
		return fisc_arena_printf(a, "#%" PRId64 " 修正%s%s", d->id, *d->number ? " " : "",
					 d->number);
	if (!d->id)
		return "#0 历史记录之前";
	return fisc_arena_printf(a, "#%" PRId64 " 导入", d->id);
}

static int one_version(void *ud, const fisc_fact_version *v)
{
	hist_ctx *h = ud;
	const fisc_fact *f = &v->f;
	h->version = h->rows && same_key(&h->last.f, f) ? h->version + 1 : 1;
	/* The strings of v last until the walk ends (fisc_history_each copies
	** them), so the previous version's key can be kept by value. */
	h->last = *v;
	h->rows++;
	fisc_doc *d = h->d;
	fisc_cell *c = fisc_table_row(d, h->t);
	size_t k = 0;
	fisc_cell_text(d, &c[k++], "%s", fisc_book_name((fisc_book)f->book));
	fisc_cell_text(d, &c[k++], "%s", fisc_scope_name((fisc_scope)f->scope));
	fisc_cell_text(d, &c[k++], "%s", fisc_phase_name((fisc_phase)f->phase));
	const char *name = fisc_catalog_item_name(h->cat, f->item);
	fisc_cell_text(d, &c[k++], "%s%s%s%s", f->item, name && strcmp(name, f->item) ? " " : "",
		       name && strcmp(name, f->item) ? name : "",
		       f->kind == FISC_FACT_STATED ? "（表述数）" : "");
	fisc_cell_text(d, &c[k++], "%s%s%s%s%s%s%s", f->dept, *f->project ? " / " : "", f->project,
		       *f->econ ? " / " : "", f->econ, *f->fund ? " / " : "", f->fund);
	fisc_cell_number(d, &c[k++], h->version, 0);
	char buf[96] = "空白";
	if (f->has_amount)
		fisc_amount_format(&f->amount, FISC_FMT_GROUP | FISC_FMT_UNIT, buf, sizeof buf);
	fisc_cell_text(d, &c[k++], "%s", buf);
	const fisc_fact_doc *doc = doc_of(h, v->doc);
	fisc_cell_text(d, &c[k++], "%s", fisc_history_doc_label(h->a, doc));
	if (doc && doc->date)
		fisc_cell_text(d, &c[k++], "%04d-%02d-%02d", doc->date / 10000, doc->date / 100 % 100,
			       doc->date % 100);
	else
		fisc_cell_text(d, &c[k++], "%s", doc ? doc->created : "");
	fisc_cell_text(d, &c[k++], "%s", doc ? doc->author : "");
	fisc_cell_text(d, &c[k++], "%s", doc ? doc->reason : "");
	fisc_cell_text(d, &c[k++], "%s", f->source);
	if (!v->ended_by)
		fisc_cell_text(d, &c[k++], "现行");
	else
		fisc_cell_text(d, &c[k++], "%s #%" PRId64, v->withdrawn ? "被撤回" : "被取代",
			       v->ended_by);
	return fisc_doc_status(d);
}

int fisc_history_build(fisc_store *st, const fisc_region *r, const fisc_query *q,
		       const char *item, fisc_arena *a, fisc_doc **out)
{
	hist_ctx h;
	memset(&h, 0, sizeof h);
	h.st = st;
	h.a = a;
	*out = NULL;
	int rc = fisc_catalog_load(st, q->year, &h.cat);
	if (rc != FISC_OK)
		return rc;
	/* A name of the year's catalogue stands for its code, as everywhere
	** an item is asked for. */
	if (item && *item) {
		const char *code = fisc_catalog_resolve(h.cat, item, q->book_set ? q->book : -1);
		if (code)
			item = code;
	} else {
		item = NULL;
	}
	h.d = fisc_doc_new(a, "history", "数据版本");
	if (!h.d) {
		fisc_catalog_free(h.cat);
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	}
	fisc_doc_subtitle(h.d, "%s（%s）%d 年%s%s", r->name, r->code, q->year, item ? " 科目 " : "",
			  item ? item : "");
	h.t = fisc_doc_table(h.d, "各版本", 13);
	static const char *const head[] = {"预算", "口径", "阶段", "科目", "明细", "版本", "金额",
					   "依据文件", "日期", "作者", "理由", "出处", "状态"};
	fisc_cell *hc = fisc_table_head(h.d, h.t);
	for (size_t i = 0; i < 13; i++)
		fisc_cell_text(h.d, &hc[i], "%s", head[i]);
	fisc_table_empty(h.d, h.t, "没有符合条件的数");
	rc = fisc_history_each(st, q, item, one_version, &h);
	fisc_catalog_free(h.cat);
	if (rc == FISC_OK)
		*out = h.d;
	return rc;
}

/* ---- one fact ---- */

typedef struct fact_walk {
	int64_t id;
	fisc_version_cb cb;
	void *ud;
	int seen;
} fact_walk;

static int fact_one(void *ud, const fisc_fact_version *v)
{
	fact_walk *w = ud;
	if (v->f.id != w->id)
		return 0;
	w->seen = 1;
	return w->cb(w->ud, v);
}

int fisc_history_fact_each(fisc_store *st, int64_t region, int64_t fact_id, fisc_version_cb cb,
			   void *ud)
{
	fisc_query q = {0};
	q.region = region;
	fact_walk w = {fact_id, cb, ud, 0};
	int rc = fisc_history_each(st, &q, NULL, fact_one, &w);
	if (rc == FISC_OK && !w.seen)
		rc = fisc_error_set(FISC_ENOTFOUND, "该地区没有编号为 %" PRId64 " 的数据 / no fact %" PRId64
						    " in this region", fact_id, fact_id);
	return rc;
}

/* ---- the journal entry of a document ---- */

/* Field i of an entry's canonical bytes ("<len>:<bytes>," each,
** docs/ledger.md): its start and length; 0 when there is none. */
static int entry_field(const fisc_journal_entry *e, int i, const uint8_t **at_out, size_t *len_out)
{
	size_t at = 0;
	for (int k = 0; at < e->n; k++) {
		size_t len = 0;
		while (at < e->n && e->bytes[at] >= '0' && e->bytes[at] <= '9' && len <= e->n)
			len = len * 10 + (size_t)(e->bytes[at++] - '0');
		if (at >= e->n || e->bytes[at] != ':' || len > e->n - at - 1)
			return 0;
		at++;
		if (k == i) {
			*at_out = e->bytes + at;
			*len_out = len;
			return 1;
		}
		at += len + 1; /* the bytes and the ',' */
	}
	return 0;
}

typedef struct entry_walk {
	char want[40]; /* "document N\n" */
	int64_t seq;
	uint8_t hash[FISC_HASH_BYTES];
} entry_walk;

static int entry_one(void *ud, const fisc_journal_entry *e)
{
	entry_walk *w = ud;
	const uint8_t *p;
	size_t n, wn = strlen(w->want);
	/* An import's or an amendment's record ('F'): the payload names its
	** document on a line of its own. */
	if (!entry_field(e, 1, &p, &n) || n != 1 || p[0] != 'F' || !entry_field(e, 3, &p, &n))
		return 0;
	for (size_t i = 0; i + wn <= n; i++)
		if ((i == 0 || p[i - 1] == '\n') && !memcmp(p + i, w->want, wn)) {
			w->seq = e->seq;
			memcpy(w->hash, e->hash, sizeof w->hash);
			return 1; /* found: stop the walk */
		}
	return 0;
}

int fisc_history_doc_entry(fisc_store *st, int64_t doc, int64_t *seq, uint8_t hash[32])
{
	entry_walk w;
	memset(&w, 0, sizeof w);
	snprintf(w.want, sizeof w.want, "document %" PRId64 "\n", doc);
	*seq = 0;
	int rc = doc > 0 ? fisc_store_journal_each(st, 0, entry_one, &w) : FISC_OK;
	if (rc > 0)
		rc = FISC_OK;
	if (rc != FISC_OK)
		return rc;
	if (!w.seq)
		return fisc_error_set(FISC_ENOTFOUND, "日志中没有记录文件 #%" PRId64 " 的条目 / no journal "
						      "entry records document #%" PRId64, doc, doc);
	*seq = w.seq;
	memcpy(hash, w.hash, FISC_HASH_BYTES);
	return FISC_OK;
}

/* ---- the headings of a diff ---- */

static int differ(const char *a, const char *b)
{
	return (a || b) && (!a || !b || strcmp(a, b));
}

const char *fisc_diff_label(fisc_arena *a, const fisc_diff_spec *me, const fisc_diff_spec *other)
{
	const char *l = "";
	if (me->db && other->db && strcmp(me->db, other->db)) {
		const char *base = strrchr(me->db, '/');
		l = fisc_arena_printf(a, "%s%s", l, base && base[1] ? base + 1 : me->db);
	}
	if (differ(me->year, other->year))
		l = fisc_arena_printf(a, "%s%s%s 年", l, *l ? " " : "", me->year ? me->year : "");
	if (differ(me->phase, other->phase))
		l = fisc_arena_printf(a, "%s%s%s", l, *l ? " " : "",
				      me->phase ? fisc_phase_name((fisc_phase)fisc_phase_parse(
							  me->phase, strlen(me->phase)))
						: "各阶段");
	if (differ(me->as_of, other->as_of))
		l = fisc_arena_printf(a, "%s%s%s", l, *l ? " " : "",
				      me->as_of ? fisc_arena_printf(a, "%s 时", me->as_of) : "现行");
	return l;
}
