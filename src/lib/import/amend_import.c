/*
** amend_import.c — `fisc import --amend`: a corrected file read by the
** importer (same format, same checks, same all-or-nothing transaction), its
** rows compared with the stored facts instead of put: a different figure
** under a stored key is a change, a new key an addition, an `action`
** withdraw row a withdrawal. Every change is shown before anything is
** written; then one document, the ended versions kept in the store's
** history, and one journal entry whose digest lets `fisc journal verify`
** find a version edited afterwards (docs/history.md).
*/
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fisc/error.h"
#include "fisc/history.h"
#include "fisc/journal.h"
#include "import/importer.h"
#include "store/history_ops.h"

typedef struct change {
	fisc_change c;
	fisc_fact old, now;
} change;

struct imp_amend {
	const fisc_amend_opts *o;
	int32_t date;             /* the document's date, YYYYMMDD */
	fisc_amend_stats *stats;
	fisc_change_cb show;
	void *ud;
	change *ch;
	size_t n, cap;
	int64_t doc_ids[16];      /* documents whose date was looked up … */
	int32_t doc_dates[16];    /* … and their dates (a small cache) */
	size_t ndocs;
};

static const char *dup(ctx *c, const char *s)
{
	return fisc_arena_strdup(c->arena, s ? s : "");
}

/* A copy of f whose texts live in the import arena (the stored fact's
** texts last only for the callback; the row's until the arena goes). */
static int copy_fact(ctx *c, const fisc_fact *f, fisc_fact *out)
{
	*out = *f;
	out->item = dup(c, f->item);
	out->dept = dup(c, f->dept);
	out->project = dup(c, f->project);
	out->econ = dup(c, f->econ);
	out->fund = dup(c, f->fund);
	out->source = dup(c, f->source);
	out->note = dup(c, f->note);
	if (!out->item || !out->dept || !out->project || !out->econ || !out->fund ||
	    !out->source || !out->note)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	return FISC_OK;
}

typedef struct found {
	ctx *c;
	int found, rc;
	fisc_fact f;
	int64_t doc;
} found;

static int got(void *ud, const fisc_fact_version *v)
{
	found *x = ud;
	x->found = 1;
	x->doc = v->doc;
	x->rc = copy_fact(x->c, &v->f, &x->f);
	return x->rc;
}

static int doc_date(ctx *c, int64_t doc, int32_t *date)
{
	imp_amend *a = c->amend;
	for (size_t i = 0; i < a->ndocs; i++)
		if (a->doc_ids[i] == doc) {
			*date = a->doc_dates[i];
			return FISC_OK;
		}
	fisc_fact_doc d;
	int rc = fisc_store_doc_get(c->st, doc, NULL, c->arena, &d);
	if (rc == FISC_ENOTFOUND) {
		d.date = 0; /* a version whose document is missing: verify reports it */
		rc = FISC_OK;
	}
	if (rc != FISC_OK)
		return rc;
	*date = d.date;
	if (a->ndocs < sizeof a->doc_ids / sizeof *a->doc_ids) {
		a->doc_ids[a->ndocs] = doc;
		a->doc_dates[a->ndocs++] = d.date;
	}
	return FISC_OK;
}

static int same_figure(const fisc_fact *a, const fisc_fact *b)
{
	if (a->has_amount != b->has_amount)
		return 0;
	if (!a->has_amount)
		return 1;
	return a->amount.fen == b->amount.fen && a->amount.ulp == b->amount.ulp &&
	       a->amount.unit == b->amount.unit && a->amount.decimals == b->amount.decimals;
}

int imp_amend_fact(ctx *c, const fisc_row *row, const fisc_fact *f, int withdraw,
		   const char *where)
{
	imp_amend *a = c->amend;
	found x = {c, 0, FISC_OK, {0}, 0};
	int rc = fisc_store_fact_find(c->st, f, got, &x);
	if (rc != FISC_OK) {
		c->fatal = rc;
		return rc;
	}
	int col = c->col[F_ITEM_COL];
	if (withdraw && !x.found) {
		imp_report(c, row, col, "item", FISC_DIAG_BAD_VALUE,
			   "要撤回的数不在库中（没有地区、口径、年度、预算、阶段、科目和明细都相同的事实）",
			   "nothing to withdraw: the store holds no fact with this region, scope, year, "
			   "book, phase, item and detail");
		return FISC_EIMPORT;
	}
	if (x.found && !withdraw && same_figure(&x.f, f)) {
		a->stats->unchanged++;
		return FISC_OK;
	}
	if (x.found) {
		int32_t d;
		if ((rc = doc_date(c, x.doc, &d)) != FISC_OK) {
			c->fatal = rc;
			return rc;
		}
		if (d > a->date) {
			char zh[256], en[256];
			snprintf(zh, sizeof zh,
				 "修正日期 %" PRId32 " 早于该数现行版本所依据文件（#%" PRId64 "）的日期 %" PRId32,
				 a->date, x.doc, d);
			snprintf(en, sizeof en,
				 "the amendment's date %" PRId32 " is before the date %" PRId32 " of document #%" PRId64 " that established the current figure",
				 a->date, d, x.doc);
			imp_report(c, row, col, "item", FISC_DIAG_BAD_VALUE, zh, en);
			return FISC_EIMPORT;
		}
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 64;
		change *p = realloc(a->ch, cap * sizeof *p);
		if (!p) {
			c->fatal = fisc_error_set(FISC_ENOMEM, "out of memory");
			return c->fatal;
		}
		a->ch = p;
		a->cap = cap;
	}
	change *ch = &a->ch[a->n];
	memset(ch, 0, sizeof *ch);
	ch->c.op = withdraw ? FISC_CHANGE_WITHDRAW : x.found ? FISC_CHANGE_AMEND : FISC_CHANGE_ADD;
	ch->c.where = where;
	if (x.found)
		ch->old = x.f;
	if (!withdraw && (rc = copy_fact(c, f, &ch->now)) != FISC_OK) {
		c->fatal = rc;
		return rc;
	}
	a->n++;
	return FISC_OK;
}

int imp_amend_apply(ctx *c, int *keep)
{
	imp_amend *a = c->amend;
	fisc_amend_stats *s = a->stats;
	int rc = FISC_OK;
	*keep = 0;
	for (size_t i = 0; i < a->n; i++) {
		change *ch = &a->ch[i];
		ch->c.old = ch->c.op == FISC_CHANGE_ADD ? NULL : &ch->old;
		ch->c.now = ch->c.op == FISC_CHANGE_WITHDRAW ? NULL : &ch->now;
		s->added += ch->c.op == FISC_CHANGE_ADD;
		s->amended += ch->c.op == FISC_CHANGE_AMEND;
		s->withdrawn += ch->c.op == FISC_CHANGE_WITHDRAW;
		if (a->show && a->show(a->ud, &ch->c) != 0)
			return fisc_error_set(FISC_EINVAL, "修正已放弃，未写入任何数据 / amendment abandoned; nothing was written");
	}
	if (a->o->dry_run || a->n == 0)
		return FISC_OK;
	fisc_fact_doc d = {0};
	d.kind = FISC_FACT_DOC_AMEND;
	d.number = a->o->number ? a->o->number : "";
	d.date = a->date;
	d.author = a->o->author ? a->o->author : "";
	d.reason = a->o->reason;
	d.source = c->sources ? c->sources : "";
	int64_t doc;
	rc = fisc_store_doc_put(c->st, &d, &doc);
	for (size_t i = 0; rc == FISC_OK && i < a->n; i++) {
		change *ch = &a->ch[i];
		if (ch->c.op == FISC_CHANGE_ADD)
			rc = fisc_store_fact_put(c->st, &ch->now);
		else
			rc = fisc_store_fact_supersede(c->st, ch->old.id, ch->c.now, doc);
	}
	uint8_t h[FISC_HASH_BYTES];
	char hex[2 * FISC_HASH_BYTES + 1];
	if (rc == FISC_OK)
		rc = fisc_history_digest(c->st, doc, h);
	if (rc == FISC_OK) {
		fisc_journal_hex(h, hex);
		const char *p = fisc_arena_printf(
			c->arena,
			"document %" PRId64 "\nnumber %s\ndate %" PRId32 "\nauthor %s\nreason %s\n%s"
			"added %ld amended %ld withdrawn %ld\nversions sha256 %s\n",
			doc, d.number, d.date, d.author, d.reason, c->journal ? c->journal : "",
			s->added, s->amended, s->withdrawn, hex);
		rc = p ? fisc_journal_append(c->st, "amend", p, strlen(p), NULL)
		       : fisc_error_set(FISC_ENOMEM, "out of memory");
	}
	if (rc == FISC_OK) {
		s->doc = doc;
		*keep = 1;
	}
	return rc;
}

/* Text for a document field: one line, no control characters (it is
** written into the journal entry line by line). */
static int clean(const char *s, const char *zh, const char *en)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return fisc_error_set(FISC_EINVAL, "%s含控制字符 / %s contains a control character",
					      zh, en);
	return FISC_OK;
}

static int valid_date(int32_t d)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = d / 10000, m = d / 100 % 100, day = d % 100;
	if (y < 1949 || y > 2200 || m < 1 || m > 12 || day < 1 || day > mdays[m - 1])
		return 0;
	return m != 2 || day < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

static int start(const fisc_amend_opts *o, fisc_change_cb show, void *ud,
		 fisc_amend_stats *stats, imp_amend *a)
{
	memset(stats, 0, sizeof *stats);
	memset(a, 0, sizeof *a);
	if (!o || !o->reason || !*o->reason)
		return fisc_error_set(FISC_EINVAL, "修正须说明理由（--reason）/ an amendment needs a reason (--reason)");
	int rc = clean(o->reason, "理由", "the reason");
	if (rc == FISC_OK)
		rc = clean(o->author, "作者", "the author");
	if (rc == FISC_OK)
		rc = clean(o->number, "文号", "the document number");
	if (rc != FISC_OK)
		return rc;
	a->date = o->date;
	if (!a->date) {
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		a->date = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
	}
	if (!valid_date(a->date))
		return fisc_error_set(FISC_EINVAL, "修正日期无效：%" PRId32 " / invalid amendment date: %" PRId32,
				      a->date, a->date);
	a->o = o;
	a->stats = stats;
	a->show = show;
	a->ud = ud;
	return FISC_OK;
}

static void end(imp_amend *a, const fisc_import_stats *is, int rc)
{
	a->stats->files = is->files;
	a->stats->regions = rc == FISC_OK ? is->regions : 0;
	if (rc != FISC_OK) {
		a->stats->added = a->stats->amended = a->stats->withdrawn = 0;
		a->stats->doc = 0;
	}
	free(a->ch);
}

int fisc_amend_files(fisc_store *st, const char *const *paths, size_t n, const fisc_amend_opts *o,
		     fisc_diag *diag, fisc_change_cb show, void *ud, fisc_amend_stats *stats)
{
	imp_amend a;
	fisc_import_stats is = {0};
	int rc = start(o, show, ud, stats, &a);
	if (rc == FISC_OK && !fisc_store_has_history(st))
		rc = fisc_error_set(FISC_EUNSUPPORTED, "此存储不保存历史版本，不能修正 / this store keeps no history: no amendments");
	if (rc != FISC_OK)
		return rc;
	rc = imp_run_files(st, paths, n, diag, &is, &a);
	end(&a, &is, rc);
	return rc;
}

int fisc_amend_csv_buffer(fisc_store *st, const char *name, const char *buf, size_t len,
			  const fisc_amend_opts *o, fisc_diag *diag, fisc_change_cb show,
			  void *ud, fisc_amend_stats *stats)
{
	imp_amend a;
	fisc_import_stats is = {0};
	int rc = start(o, show, ud, stats, &a);
	if (rc == FISC_OK && !fisc_store_has_history(st))
		rc = fisc_error_set(FISC_EUNSUPPORTED, "此存储不保存历史版本，不能修正 / this store keeps no history: no amendments");
	if (rc != FISC_OK)
		return rc;
	rc = imp_run_buffer(st, name, buf, len, diag, &is, &a);
	end(&a, &is, rc);
	return rc;
}
