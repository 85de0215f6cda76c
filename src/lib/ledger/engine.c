/*
** engine.c — the ledger engine: many submitters, one writer, group commit.
**
** Submitters enqueue a request and sleep. The writer thread takes everything
** queued, opens one transaction, replays whatever other processes appended
** to the journal since its last batch, decides each request in memory
** (state.c: one journal entry each, or a refusal that leaves no trace),
** writes the accepted ones' entries and table rows, and commits with
** synchronous=FULL: one fsync for the whole batch. Only then are the
** requests of the batch acknowledged. A kill -9 before the commit loses the
** batch, none of which was acknowledged; after it, the batch is durable.
**
** If the store fails during a batch (disk full, a CHECK that the in-memory
** decision should have made impossible), the batch is rolled back, the state
** is rebuilt from the journal and every request of the batch fails with
** FISC_ESTORE: nothing of it was applied and each may be retried.
*/
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "fisc/error.h"
#include "ledger/state.h"

enum { MAX_BATCH = 8192 };

/* What the submitters of one batch sleep on together. The writer wakes
** them all with one futex call once the batch is durable, with no lock held:
** a submitter wakes without taking the queue's mutex (so acknowledging a
** batch does not make its submitters queue on that mutex behind the writer
** and each other), and the writer makes one system call per batch, not one
** per request (a sem_post each cost ~10 µs of the writer's time in a VM).
** Requests queued while the writer works get the next one, so a wake never
** reaches a submitter whose batch is still to come. */
typedef struct ack {
	_Atomic uint32_t done; /* the futex word: 0, then 1 */
	_Atomic int refs;      /* its submitters, plus one for the queue until taken */
	size_t left;           /* its requests not yet decided: the writer's */
} ack;

typedef struct req {
	int kind; /* 'P' 'C' 'V' 'R' 'D' */
	fisc_payment pay;
	fisc_refund ref;
	const fisc_quota_doc *docs;
	size_t ndocs, failed;
	int rc;
	char msg[1024];
	fisc_ledger_result res;
	int done;
	ack *ack;
	struct req *next;
} req;

struct fisc_ledger {
	fisc_store *st;
	lg_state s;
	pthread_t writer;
	pthread_mutex_t mu;     /* queue */
	pthread_cond_t work;
	pthread_mutex_t state_mu; /* s, for readers outside the writer */
	req *head, *tail;
	ack *open; /* the ack of the requests queued since the writer last took */
	int stop;
	fisc_ledger_batch_cb cb;
	void *cb_ud;
	lg_buf buf;
	/* Lines whose figures the batch changed, each written once before the
	** commit: a hot line paid from 50 times in a batch is one UPDATE, not
	** 50 (the row's final figures are the ones the invariant holds for). */
	int64_t *dirty;
	size_t ndirty, capdirty;
	uint8_t *is_dirty; /* is_dirty[id] */
	size_t capmark;
};

/* ---- state from the journal ---------------------------------------------- */

typedef struct catchup {
	lg_state *s;
	char why[900];
	int64_t bad;
} catchup;

static int catchup_cb(void *ud, const fisc_journal_entry *e)
{
	catchup *c = ud;
	if (lg_replay_entry(c->s, e, c->why, sizeof c->why) != FISC_OK) {
		c->bad = e->seq;
		return 1;
	}
	return 0;
}

/* Apply the entries appended after s->seq (by this process before a crash,
** or by another process). */
static int catch_up(fisc_store *st, lg_state *s)
{
	catchup c = {s, "", 0};
	int rc = fisc_store_journal_each(st, s->seq, catchup_cb, &c);
	if (rc > 0)
		return fisc_error_set(FISC_ESTORE,
				      "日志条目 %lld 校验失败，账本拒绝写入 / journal entry %lld does not verify; the ledger refuses to write: %s",
				      (long long)c.bad, (long long)c.bad, c.why);
	return rc;
}

static int reload(fisc_ledger *l)
{
	lg_state_free(&l->s);
	int rc = lg_state_init(&l->s);
	return rc == FISC_OK ? catch_up(l->st, &l->s) : rc;
}

/* ---- deciding and writing one request ------------------------------------ */

static void fill(fisc_ledger *l, req *r, int64_t line, const lg_pay *p)
{
	const lg_line *ln = lg_line_get(&l->s, line);
	r->res.line = line;
	if (ln) {
		r->res.quota = ln->l.quota;
		r->res.paid = ln->l.paid;
		r->res.pending = ln->l.pending;
	}
	if (p) {
		r->res.state = p->p.state;
		r->res.refunded = p->p.refunded;
	}
}

static int refuse(req *r, int rc)
{
	r->rc = rc;
	snprintf(r->msg, sizeof r->msg, "%s", fisc_error_message());
	return FISC_OK; /* a refusal is a decision, not a failure of the batch */
}

/* Append the entry in l->buf to the journal (store and head). */
static int journal(fisc_ledger *l, req *r)
{
	fisc_journal_entry e;
	e.seq = l->s.seq + 1;
	memcpy(e.prev, l->s.head, FISC_HASH_BYTES);
	fisc_journal_hash(e.prev, l->buf.p, l->buf.n, e.hash);
	e.bytes = l->buf.p;
	e.n = l->buf.n;
	int rc = fisc_store_journal_put(l->st, &e);
	if (rc == FISC_OK) {
		l->s.seq = e.seq;
		memcpy(l->s.head, e.hash, FISC_HASH_BYTES);
		r->res.seq = e.seq;
	}
	return rc;
}

/* Note that the batch changed line id's figures (written by flush_lines). */
static int put_line(fisc_ledger *l, int64_t id)
{
	assert(id >= 1 && (size_t)id <= l->s.nlines);
	if ((size_t)id >= l->capmark) {
		size_t cap = l->capmark ? l->capmark : 1024;
		while (cap <= (size_t)id)
			cap *= 2;
		uint8_t *m = realloc(l->is_dirty, cap);
		if (!m)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		memset(m + l->capmark, 0, cap - l->capmark);
		l->is_dirty = m;
		l->capmark = cap;
	}
	if (l->is_dirty[id])
		return FISC_OK;
	if (l->ndirty == l->capdirty) {
		size_t cap = l->capdirty ? 2 * l->capdirty : 1024;
		int64_t *d = realloc(l->dirty, cap * sizeof *d);
		if (!d)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		l->dirty = d;
		l->capdirty = cap;
	}
	l->is_dirty[id] = 1;
	l->dirty[l->ndirty++] = id;
	return FISC_OK;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Write the final figures of every line the batch changed, in id order (one
** pass over the table's leaves), and forget them. With rc != FISC_OK (the
** batch is being undone) only forget. */
static int flush_lines(fisc_ledger *l, int rc)
{
	if (rc == FISC_OK && l->ndirty > 1) /* a batch that changed no line has no array yet */
		qsort(l->dirty, l->ndirty, sizeof *l->dirty, cmp_id);
	for (size_t i = 0; i < l->ndirty; i++) {
		int64_t id = l->dirty[i];
		l->is_dirty[id] = 0;
		if (rc != FISC_OK)
			continue;
		const lg_line *ln = lg_line_get(&l->s, id);
		assert(ln && ln->l.paid >= 0 && ln->l.pending >= 0 &&
		       ln->l.paid + ln->l.pending <= ln->l.quota);
		rc = fisc_store_quota_line_set(l->st, id, ln->l.quota, ln->l.paid, ln->l.pending);
	}
	l->ndirty = 0;
	return rc;
}

static int same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

/* Returns nonzero only when the store failed (the batch must be undone). */
static int do_payment(fisc_ledger *l, req *r)
{
	lg_pay *old = lg_pay_get(&l->s, r->pay.key ? r->pay.key : "");
	if (old) {
		if (old->p.line != r->pay.line || old->p.fen != r->pay.fen ||
		    !same(old->p.payee, r->pay.payee) || !same(old->p.purpose, r->pay.purpose))
			return refuse(r, fisc_error_set(FISC_EEXIST,
							"支付键「%s」已用于另一笔支付 / payment key '%s' was used for another payment",
							r->pay.key, r->pay.key));
		r->res.replay = 1;
		fill(l, r, old->p.line, old);
		return FISC_OK;
	}
	int64_t line;
	int rc = lg_encode_payment(&l->buf, &r->pay);
	if (rc == FISC_OK)
		rc = lg_apply(&l->s, l->buf.p, l->buf.n, &line);
	if (rc != FISC_OK)
		return refuse(r, rc);
	lg_pay *p = lg_pay_get(&l->s, r->pay.key);
	fill(l, r, line, p);
	rc = journal(l, r);
	if (rc == FISC_OK)
		rc = fisc_store_payment_put(l->st, &p->p);
	if (rc == FISC_OK)
		rc = put_line(l, line);
	return rc;
}

static int do_transition(fisc_ledger *l, req *r)
{
	lg_pay *p = lg_pay_get(&l->s, r->pay.key ? r->pay.key : "");
	int target = r->kind == 'C' ? FISC_PAY_PAID : FISC_PAY_VOID;
	if (p && p->p.state == target) {
		r->res.replay = 1;
		fill(l, r, p->p.line, p);
		return FISC_OK;
	}
	int64_t line;
	int rc = lg_encode_transition(&l->buf, r->kind, r->pay.key ? r->pay.key : "", r->pay.paid_on);
	if (rc == FISC_OK)
		rc = lg_apply(&l->s, l->buf.p, l->buf.n, &line);
	if (rc != FISC_OK) {
		refuse(r, rc);
		if (p)
			fill(l, r, p->p.line, p);
		return FISC_OK;
	}
	fill(l, r, line, p);
	rc = journal(l, r);
	if (rc == FISC_OK)
		rc = fisc_store_payment_put(l->st, &p->p);
	if (rc == FISC_OK)
		rc = put_line(l, line);
	return rc;
}

static int do_refund(fisc_ledger *l, req *r)
{
	lg_refund *old = lg_refund_get(&l->s, r->ref.key ? r->ref.key : "");
	if (old) {
		/* The date is when it happened, not what it is: a retry on another
		** day is the same refund. */
		if (!same(old->r.pay_key, r->ref.pay_key) || old->r.fen != r->ref.fen)
			return refuse(r, fisc_error_set(FISC_EEXIST,
							"退款键「%s」已用于另一笔退款 / refund key '%s' was used for another refund",
							r->ref.key, r->ref.key));
		lg_pay *p = lg_pay_get(&l->s, old->r.pay_key);
		r->res.replay = 1;
		fill(l, r, p->p.line, p);
		return FISC_OK;
	}
	int64_t line;
	int rc = lg_encode_refund(&l->buf, &r->ref);
	if (rc == FISC_OK)
		rc = lg_apply(&l->s, l->buf.p, l->buf.n, &line);
	if (rc != FISC_OK)
		return refuse(r, rc);
	lg_pay *p = lg_pay_get(&l->s, r->ref.pay_key);
	fill(l, r, line, p);
	rc = journal(l, r);
	if (rc == FISC_OK) /* as applied: with its payment's row */
		rc = fisc_store_refund_put(l->st, &lg_refund_get(&l->s, r->ref.key)->r);
	if (rc == FISC_OK)
		rc = fisc_store_payment_put(l->st, &p->p);
	if (rc == FISC_OK)
		rc = put_line(l, line);
	return rc;
}

/* A group of documents: all decided first (undone newest first when one is
** refused), then all written. */
static int do_docs(fisc_ledger *l, req *r)
{
	size_t n = r->ndocs;
	lg_buf *bufs = calloc(n ? n : 1, sizeof *bufs);
	int64_t *before = calloc(n ? n : 1, sizeof *before);
	char *fresh = calloc(n ? n : 1, 1); /* 1: applied by this request */
	int rc = FISC_OK, store_rc = FISC_OK;
	size_t i;
	int64_t first_line = 0;
	if (!bufs || !before || !fresh) {
		rc = fisc_error_set(FISC_ENOMEM, "out of memory");
		goto refused;
	}
	if (!n) {
		rc = fisc_error_set(FISC_EINVAL, "没有文件 / no documents");
		goto refused;
	}
	for (i = 0; i < n; i++) {
		const fisc_quota_doc *d = &r->docs[i];
		rc = lg_encode_doc(&bufs[i], d);
		if (rc != FISC_OK)
			break;
		lg_doc *old = lg_doc_get(&l->s, d->no ? d->no : "");
		if (old) {
			uint8_t h[FISC_HASH_BYTES];
			fisc_journal_hash((const uint8_t[FISC_HASH_BYTES]){0}, bufs[i].p, bufs[i].n, h);
			if (memcmp(h, old->digest, FISC_HASH_BYTES) != 0) {
				rc = fisc_error_set(FISC_EEXIST,
						    "文号「%s」已用于内容不同的文件 / document number '%s' exists with other content",
						    d->no, d->no);
				break;
			}
			continue; /* the same document again: a replay */
		}
		before[i] = (int64_t)l->s.nlines;
		int64_t line;
		rc = lg_apply(&l->s, bufs[i].p, bufs[i].n, &line);
		if (rc != FISC_OK)
			break;
		fresh[i] = 1;
		if (!first_line)
			first_line = line;
	}
	if (rc != FISC_OK) {
		r->failed = i;
		refuse(r, rc);
		for (size_t k = i; k-- > 0;)
			if (fresh[k])
				lg_undo_doc(&l->s, bufs[k].p, bufs[k].n);
		goto out;
	}
	r->res.replay = 1;
	for (i = 0; i < n && store_rc == FISC_OK; i++) {
		const fisc_quota_doc *d = &r->docs[i];
		if (!fresh[i])
			continue;
		r->res.replay = 0;
		/* Lines first (the legs refer to them), created empty: their final
		** figures are written below, once every document is in. */
		int64_t last = (int64_t)l->s.nlines; /* its lines end where the next one's begin */
		for (size_t k = i + 1; k < n; k++)
			if (fresh[k]) {
				last = before[k];
				break;
			}
		for (int64_t id = before[i] + 1; id <= last && store_rc == FISC_OK; id++) {
			fisc_quota_line ln = lg_line_get(&l->s, id)->l;
			ln.quota = ln.paid = ln.pending = 0;
			store_rc = fisc_store_quota_line_put(l->st, &ln);
		}
		int64_t *ids = malloc((d->nlegs ? d->nlegs : 1) * sizeof *ids);
		fisc_arena *a = fisc_arena_new();
		if (!ids || !a)
			store_rc = fisc_error_set(FISC_ENOMEM, "out of memory");
		for (size_t k = 0; store_rc == FISC_OK && k < d->nlegs; k++)
			ids[k] = (intptr_t)fisc_strmap_get(&l->s.line_by_key,
							   lg_line_key(a, &d->legs[k].line));
		if (store_rc == FISC_OK) {
			lg_buf tmp = l->buf;
			l->buf = bufs[i];
			store_rc = journal(l, r);
			l->buf = tmp;
		}
		if (store_rc == FISC_OK)
			store_rc = fisc_store_quota_doc_put(l->st, d, ids);
		for (size_t k = 0; store_rc == FISC_OK && k < d->nlegs; k++)
			store_rc = put_line(l, ids[k]);
		free(ids);
		fisc_arena_free(a);
	}
	if (!first_line) { /* every document a replay: report the first line */
		fisc_arena *a = fisc_arena_new();
		if (a && r->docs[0].nlegs)
			first_line = (intptr_t)fisc_strmap_get(&l->s.line_by_key,
							       lg_line_key(a, &r->docs[0].legs[0].line));
		fisc_arena_free(a);
	}
	fill(l, r, first_line, NULL);
	goto out;
refused:
	refuse(r, rc);
out:
	for (size_t k = 0; bufs && k < n; k++)
		lg_buf_free(&bufs[k]);
	free(bufs);
	free(before);
	free(fresh);
	return store_rc;
}

static int decide(fisc_ledger *l, req *r)
{
	memset(&r->res, 0, sizeof r->res);
	r->rc = FISC_OK;
	r->msg[0] = 0;
	switch (r->kind) {
	case 'P':
		return do_payment(l, r);
	case 'C':
	case 'V':
		return do_transition(l, r);
	case 'R':
		return do_refund(l, r);
	case 'D':
		return do_docs(l, r);
	}
	assert(0);
	return FISC_EINVAL;
}

/* ---- the writer ----------------------------------------------------------- */

static void fail_all(req *batch, int rc)
{
	const char *m = fisc_error_message();
	for (req *r = batch; r; r = r->next) {
		r->rc = rc;
		memset(&r->res, 0, sizeof r->res);
		snprintf(r->msg, sizeof r->msg, "%s", m);
	}
}

static void run_batch(fisc_ledger *l, req *batch)
{
	pthread_mutex_lock(&l->state_mu);
	int rc = fisc_store_begin(l->st);
	if (rc == FISC_OK)
		rc = catch_up(l->st, &l->s);
	for (req *r = batch; rc == FISC_OK && r; r = r->next)
		rc = decide(l, r);
	rc = flush_lines(l, rc);
	if (rc == FISC_OK)
		rc = fisc_store_commit(l->st);
	if (rc != FISC_OK) {
		fail_all(batch, rc);
		fisc_store_rollback(l->st);
		/* Memory ran ahead of the store: rebuild it from what is durable. */
		if (reload(l) != FISC_OK)
			fprintf(stderr, "fisc ledger: %s\n", fisc_error_message());
	}
	pthread_mutex_unlock(&l->state_mu);
	/* Outside the state lock, so that the observer may read lines; only
	** this thread changes the state. */
	if (l->cb) {
		size_t n = 0;
		for (req *r = batch; r; r = r->next)
			n++;
		fisc_ledger_event *ev = calloc(n ? n : 1, sizeof *ev);
		if (ev) {
			size_t i = 0;
			for (req *r = batch; r; r = r->next, i++)
				ev[i] = (fisc_ledger_event){r->kind, r->rc, &r->pay, &r->ref,
							    r->docs, r->ndocs, &r->res};
			l->cb(l->cb_ud, l, ev, n);
			free(ev);
		}
	}
}

static long futex(_Atomic uint32_t *w, int op, uint32_t val)
{
	return syscall(SYS_futex, (uint32_t *)w, op, val, NULL, NULL, 0);
}

static void ack_put(ack *a)
{
	if (a && atomic_fetch_sub_explicit(&a->refs, 1, memory_order_acq_rel) == 1)
		free(a);
}

/* Every request of the ack is decided and its batch durable: wake them. The
** writer's last touch of the ack is the wake; each submitter drops its
** reference after it has seen `done`. */
static void ack_release(ack *a)
{
	atomic_fetch_add_explicit(&a->refs, 1, memory_order_relaxed);
	atomic_store_explicit(&a->done, 1, memory_order_release);
	futex(&a->done, FUTEX_WAKE_PRIVATE, INT_MAX);
	ack_put(a);
}

/* Under l->mu: queue the n requests first..last (linked) and return the
** ack they wait on, with a reference for the caller; NULL without memory. */
static ack *enqueue(fisc_ledger *l, req *first, req *last, size_t n)
{
	if (!l->open) {
		ack *a = calloc(1, sizeof *a);
		if (!a)
			return NULL;
		atomic_init(&a->done, 0);
		atomic_init(&a->refs, 1); /* the queue's */
		l->open = a;
	}
	ack *a = l->open;
	atomic_fetch_add_explicit(&a->refs, 1, memory_order_relaxed);
	a->left += n;
	for (req *r = first;; r = r->next) {
		r->ack = a;
		if (r == last)
			break;
	}
	if (l->tail)
		l->tail->next = first;
	else
		l->head = first;
	l->tail = last;
	pthread_cond_signal(&l->work);
	return a;
}

/* Sleep until the writer released a, then drop the caller's reference. */
static void ack_wait(ack *a)
{
	while (!atomic_load_explicit(&a->done, memory_order_acquire))
		if (futex(&a->done, FUTEX_WAIT_PRIVATE, 0) != 0)
			assert(errno == EAGAIN || errno == EINTR);
	ack_put(a);
}

static void *writer(void *arg)
{
	fisc_ledger *l = arg;
	for (;;) {
		pthread_mutex_lock(&l->mu);
		while (!l->head && !l->stop)
			pthread_cond_wait(&l->work, &l->mu);
		if (!l->head && l->stop) {
			pthread_mutex_unlock(&l->mu);
			break;
		}
		req *batch = l->head, *last = batch;
		size_t n = 1;
		while (last->next && n < MAX_BATCH) {
			last = last->next;
			n++;
		}
		l->head = last->next;
		if (!l->head)
			l->tail = NULL;
		last->next = NULL;
		/* Whatever is queued from now on waits for a later batch. */
		ack *taken = l->open;
		l->open = NULL;
		pthread_mutex_unlock(&l->mu);
		ack_put(taken);

		run_batch(l, batch);

		/* A request beyond MAX_BATCH stays queued with its ack, so the ack
		** is released when its last request is decided. After the release
		** a request may be gone (its submitter returned): read the link and
		** the ack first. */
		for (req *r = batch, *next; r; r = next) {
			next = r->next;
			ack *a = r->ack;
			r->done = 1;
			assert(a->left > 0);
			if (--a->left == 0)
				ack_release(a);
		}
	}
	return NULL;
}

/* Today (local time) as YYYYMMDD: the date of a confirm or refund that
** does not give one. Taken by the submitter, written in the entry, so a
** replay of the journal sees the same date. */
static int32_t today(void)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* Enqueue r and wait until its batch is durable. */
static int submit(fisc_ledger *l, req *r, fisc_ledger_result *res)
{
	r->done = 0;
	r->next = NULL;
	pthread_mutex_lock(&l->mu);
	ack *a = enqueue(l, r, r, 1);
	pthread_mutex_unlock(&l->mu);
	if (!a)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	ack_wait(a);
	assert(r->done);
	if (res)
		*res = r->res;
	if (r->rc != FISC_OK)
		return fisc_error_set(r->rc, "%s", r->msg);
	return FISC_OK;
}

/* ---- public API ------------------------------------------------------------ */

int fisc_ledger_open(const char *uri, fisc_ledger **out)
{
	*out = NULL;
	fisc_ledger *l = calloc(1, sizeof *l);
	if (!l)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	int rc = fisc_store_open(uri, &l->st);
	if (rc == FISC_OK)
		rc = fisc_store_ledger_durable(l->st);
	if (rc == FISC_OK)
		rc = lg_state_init(&l->s);
	if (rc == FISC_OK)
		rc = catch_up(l->st, &l->s);
	if (rc != FISC_OK) {
		lg_state_free(&l->s);
		fisc_store_close(l->st);
		free(l);
		return rc;
	}
	pthread_mutex_init(&l->mu, NULL);
	pthread_mutex_init(&l->state_mu, NULL);
	pthread_cond_init(&l->work, NULL);
	if (pthread_create(&l->writer, NULL, writer, l) != 0) {
		lg_state_free(&l->s);
		fisc_store_close(l->st);
		free(l);
		return fisc_error_set(FISC_ENOMEM, "无法启动写线程 / cannot start the writer thread");
	}
	*out = l;
	return FISC_OK;
}

void fisc_ledger_close(fisc_ledger *l)
{
	if (!l)
		return;
	pthread_mutex_lock(&l->mu);
	l->stop = 1;
	pthread_cond_signal(&l->work);
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->writer, NULL);
	pthread_mutex_destroy(&l->mu);
	pthread_mutex_destroy(&l->state_mu);
	pthread_cond_destroy(&l->work);
	lg_buf_free(&l->buf);
	free(l->dirty);
	free(l->is_dirty);
	lg_state_free(&l->s);
	fisc_store_close(l->st);
	free(l);
}

int fisc_ledger_request(fisc_ledger *l, const fisc_payment *p, fisc_ledger_result *res)
{
	req r = {.kind = 'P', .pay = *p};
	return submit(l, &r, res);
}

int fisc_ledger_confirm_on(fisc_ledger *l, const char *key, int32_t date,
			   fisc_ledger_result *res)
{
	req r = {.kind = 'C', .pay = {.key = key, .paid_on = date ? date : today()}};
	return submit(l, &r, res);
}

int fisc_ledger_confirm(fisc_ledger *l, const char *key, fisc_ledger_result *res)
{
	return fisc_ledger_confirm_on(l, key, 0, res);
}

int fisc_ledger_void(fisc_ledger *l, const char *key, fisc_ledger_result *res)
{
	req r = {.kind = 'V', .pay = {.key = key}};
	return submit(l, &r, res);
}

int fisc_ledger_refund(fisc_ledger *l, const fisc_refund *rf, fisc_ledger_result *res)
{
	req r = {.kind = 'R', .ref = *rf};
	if (!r.ref.date)
		r.ref.date = today();
	return submit(l, &r, res);
}

int fisc_ledger_apply(fisc_ledger *l, const fisc_quota_doc *docs, size_t n, size_t *failed,
		      fisc_ledger_result *res)
{
	req r = {.kind = 'D', .docs = docs, .ndocs = n};
	int rc = submit(l, &r, res);
	if (failed)
		*failed = r.failed;
	return rc;
}

int fisc_ledger_submit(fisc_ledger *l, fisc_ledger_op *ops, size_t n)
{
	req *rs = calloc(n ? n : 1, sizeof *rs);
	if (!rs)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (!strchr("PCVR", ops[i].kind) || !ops[i].kind) {
			free(rs);
			return fisc_error_set(FISC_EINVAL, "未知的支付操作 / unknown payment operation");
		}
		rs[i].kind = ops[i].kind;
		rs[i].pay = ops[i].pay;
		rs[i].ref = ops[i].refund;
		if (rs[i].kind == 'C' && !rs[i].pay.paid_on)
			rs[i].pay.paid_on = today();
		if (rs[i].kind == 'R' && !rs[i].ref.date)
			rs[i].ref.date = today();
		rs[i].next = i + 1 < n ? &rs[i + 1] : NULL;
	}
	if (n) {
		pthread_mutex_lock(&l->mu);
		ack *a = enqueue(l, &rs[0], &rs[n - 1], n);
		pthread_mutex_unlock(&l->mu);
		if (!a) {
			free(rs);
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		}
		ack_wait(a); /* all n share it: released when the last is decided */
	}
	for (size_t i = 0; i < n; i++) {
		assert(rs[i].done);
		ops[i].rc = rs[i].rc;
		snprintf(ops[i].msg, sizeof ops[i].msg, "%s", rs[i].msg);
		ops[i].res = rs[i].res;
	}
	free(rs);
	return FISC_OK;
}

int fisc_ledger_line_get(fisc_ledger *l, int64_t id, fisc_quota_line *out)
{
	pthread_mutex_lock(&l->state_mu);
	const lg_line *ln = lg_line_get(&l->s, id);
	if (ln)
		*out = ln->l; /* text fields live in the state's arena until close */
	pthread_mutex_unlock(&l->state_mu);
	return ln ? FISC_OK
		  : fisc_error_set(FISC_ENOTFOUND, "未知指标行 %lld / unknown quota line %lld",
				   (long long)id, (long long)id);
}

int fisc_ledger_payment_get(fisc_ledger *l, const char *key, fisc_payment *out)
{
	pthread_mutex_lock(&l->state_mu);
	const lg_pay *p = lg_pay_get(&l->s, key);
	if (p)
		*out = p->p; /* text fields live in the state's arena until close */
	pthread_mutex_unlock(&l->state_mu);
	return p ? FISC_OK
		 : fisc_error_set(FISC_ENOTFOUND, "未知支付「%s」/ unknown payment '%s'", key, key);
}

int fisc_ledger_line_find(fisc_ledger *l, const fisc_quota_line *identity, int64_t *id)
{
	fisc_arena *a = fisc_arena_new();
	if (!a)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	pthread_mutex_lock(&l->state_mu);
	intptr_t v = (intptr_t)fisc_strmap_get(&l->s.line_by_key, lg_line_key(a, identity));
	pthread_mutex_unlock(&l->state_mu);
	fisc_arena_free(a);
	*id = v;
	return v ? FISC_OK
		 : fisc_error_set(FISC_ENOTFOUND, "没有这样的指标行 / no such quota line");
}

int fisc_ledger_doc_exists(fisc_ledger *l, const char *no)
{
	pthread_mutex_lock(&l->state_mu);
	int found = lg_doc_get(&l->s, no) != NULL;
	pthread_mutex_unlock(&l->state_mu);
	return found;
}

int64_t fisc_ledger_line_count(fisc_ledger *l)
{
	pthread_mutex_lock(&l->state_mu);
	int64_t n = (int64_t)l->s.nlines;
	pthread_mutex_unlock(&l->state_mu);
	return n;
}

void fisc_ledger_on_batch(fisc_ledger *l, fisc_ledger_batch_cb cb, void *ud)
{
	pthread_mutex_lock(&l->state_mu);
	l->cb = cb;
	l->cb_ud = ud;
	pthread_mutex_unlock(&l->state_mu);
}
