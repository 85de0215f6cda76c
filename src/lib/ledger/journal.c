/*
** journal.c — the hash chain of the ledger journal and its verification:
** recompute every hash, replay every entry through the same decision
** function the engine used (state.c), then compare what the replay gives
** with the tables the engine materialised. The first disagreement is
** reported with the entry (or line, or payment) where it is.
*/
#include <assert.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "fisc/error.h"
#include "ledger/state.h"
#include "store/backend.h"
#include "fisc/history.h"

/* SHA-256 through OpenSSL's EVP: it uses the CPU's SHA extensions (SHA-NI,
** ARMv8 SHA2) where they exist: about 0.3 µs for a journal entry of 150
** bytes here, where libsodium's portable code took 1.2 µs. The digest is
** the same function, so journals written before still verify (tests/
** test_journal.c pins a known head). The algorithm is fetched once (a
** fetch per digest costs a provider lookup) and each thread keeps one
** context, freed when the thread ends (a verify's reader thread, the
** engine's writer). */
static pthread_once_t sha_once = PTHREAD_ONCE_INIT;
static EVP_MD *sha_md;
static pthread_key_t sha_key;
static int sha_have_key;

static void sha_ctx_free(void *c) { EVP_MD_CTX_free(c); }

static void sha_setup(void)
{
	sha_md = EVP_MD_fetch(NULL, "SHA2-256", NULL);
	sha_have_key = pthread_key_create(&sha_key, sha_ctx_free) == 0;
}

/* out = SHA-256(a ‖ b); 0, or -1 when OpenSSL could not (out of memory). */
static int sha256_2(const void *a, size_t an, const void *b, size_t bn, uint8_t out[FISC_HASH_BYTES])
{
	pthread_once(&sha_once, sha_setup);
	if (!sha_md || !sha_have_key)
		return -1;
	EVP_MD_CTX *c = pthread_getspecific(sha_key);
	if (!c) {
		if (!(c = EVP_MD_CTX_new()))
			return -1;
		if (pthread_setspecific(sha_key, c) != 0) {
			EVP_MD_CTX_free(c);
			return -1;
		}
	}
	unsigned len = 0;
	if (!EVP_DigestInit_ex2(c, sha_md, NULL) || !EVP_DigestUpdate(c, a, an) ||
	    !EVP_DigestUpdate(c, b, bn) || !EVP_DigestFinal_ex(c, out, &len))
		return -1;
	assert(len == FISC_HASH_BYTES);
	return 0;
}

/* The functions return no error: where OpenSSL fails (no memory for a
** context) libsodium, which needs none, computes the same digest. */
void fisc_journal_hash(const uint8_t prev[FISC_HASH_BYTES], const void *bytes, size_t n,
		       uint8_t out[FISC_HASH_BYTES])
{
	if (sha256_2(prev, FISC_HASH_BYTES, bytes, n, out) == 0)
		return;
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, prev, FISC_HASH_BYTES);
	crypto_hash_sha256_update(&h, bytes, n);
	crypto_hash_sha256_final(&h, out);
}

void fisc_sha256(const void *bytes, size_t n, uint8_t out[FISC_HASH_BYTES])
{
	if (sha256_2("", 0, bytes, n, out) != 0)
		crypto_hash_sha256(out, bytes, n);
}

void fisc_journal_hex(const uint8_t h[FISC_HASH_BYTES], char out[2 * FISC_HASH_BYTES + 1])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < FISC_HASH_BYTES; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 15];
	}
	out[2 * FISC_HASH_BYTES] = 0;
}

int fisc_journal_head(fisc_store *st, int64_t *seq, uint8_t hash[FISC_HASH_BYTES])
{
	return fisc_store_journal_last(st, seq, hash);
}

/* The chain half of a replay step: the entry must follow the entry numbered
** seq whose hash is head, and hash to what it says. */
static int chain_check(int64_t seq, const uint8_t head[FISC_HASH_BYTES],
		       const fisc_journal_entry *e, char *why, size_t cap)
{
	uint8_t h[FISC_HASH_BYTES];
	if (e->seq != seq + 1) {
		snprintf(why, cap,
			 "条目序号 %" PRId64 "，应为 %" PRId64 "（条目被删除、插入或移动）/ entry numbered %" PRId64 ", expected %" PRId64 " (an entry was deleted, inserted or moved)",
			 e->seq, seq + 1, e->seq, seq + 1);
		return FISC_EINVAL;
	}
	if (memcmp(e->prev, head, FISC_HASH_BYTES) != 0) {
		snprintf(why, cap,
			 "前一条目哈希不符（条目被删除、插入或重排）/ previous-entry hash does not match (an entry was deleted, inserted or reordered)");
		return FISC_EINVAL;
	}
	fisc_journal_hash(head, e->bytes, e->n, h);
	if (memcmp(h, e->hash, FISC_HASH_BYTES) != 0) {
		snprintf(why, cap, "条目哈希不符（内容被修改）/ entry hash does not match (its content was changed)");
		return FISC_EINVAL;
	}
	return FISC_OK;
}

/* The ledger half: the entry, whose chain holds, is accepted; the state
** then stands at it. */
static int apply_entry(lg_state *s, const fisc_journal_entry *e, char *why, size_t cap)
{
	int64_t line;
	int rc = lg_apply(s, e->bytes, e->n, &line);
	if (rc != FISC_OK) {
		snprintf(why, cap, "重放时被拒绝 / refused on replay: %s", fisc_error_message());
		return rc;
	}
	s->seq = e->seq;
	memcpy(s->head, e->hash, FISC_HASH_BYTES);
	return FISC_OK;
}

/* One step of a replay: the entry must follow the state's head, hash to
** what it says, and be accepted. Shared with the engine's catch-up. */
int lg_replay_entry(lg_state *s, const fisc_journal_entry *e, char *why, size_t cap)
{
	int rc = chain_check(s->seq, s->head, e, why, cap);
	return rc == FISC_OK ? apply_entry(s, e, why, cap) : rc;
}

/* An amendment's journal entry: its document and the digest of what it
** wrote, compared with the store after the walk. */
typedef struct amend_rec {
	int64_t seq, doc;
	uint8_t digest[FISC_HASH_BYTES];
} amend_rec;

typedef struct verify {
	lg_state s;
	amend_rec *amends;
	size_t namends, capamends;
	fisc_journal_report *r;
	int64_t *leg_sum; /* per line: sum of the stored legs */
	size_t nlines_seen, npay_seen, nrefund_seen;
	lg_buf *events;   /* the event records' bytes, in journal order */
	size_t nevents, capevents, event_at;
	int64_t *event_seq;
} verify;

static int bad(verify *v, int64_t seq, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(verify *v, int64_t seq, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->r->msg, sizeof v->r->msg, fmt, ap);
	va_end(ap);
	v->r->ok = 0;
	v->r->bad_seq = seq;
	return 1; /* stops the walk */
}

/* One "<length>:<bytes>," field of canonical bytes; NULL when malformed. */
static const uint8_t *field(const uint8_t *p, const uint8_t *end, const uint8_t **s, size_t *n)
{
	size_t len = 0;
	while (p < end && *p >= '0' && *p <= '9' && len < ((size_t)1 << 40))
		len = len * 10 + (size_t)(*p++ - '0');
	if (p >= end || *p++ != ':' || (size_t)(end - p) < len + 1 || p[len] != ',')
		return NULL;
	*s = p;
	*n = len;
	return p + len + 1;
}

/* The value after "key " on a line of a text payload (NULL when absent). */
static const char *payload_line(const char *pl, size_t n, const char *key, size_t *vn)
{
	size_t kn = strlen(key);
	for (const char *p = pl, *end = pl + n; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if ((size_t)(le - p) > kn && !memcmp(p, key, kn) && p[kn] == ' ') {
			*vn = (size_t)(le - p) - kn - 1;
			return p + kn + 1;
		}
		p = le + 1;
	}
	return NULL;
}

/* An entry that records an amendment ('F', tag "amend"): remember its
** document and digest. A malformed one is a disagreement. */
static int note_amend(verify *v, const fisc_journal_entry *e)
{
	const uint8_t *p = e->bytes, *end = e->bytes + e->n, *s;
	size_t n;
	if (!(p = field(p, end, &s, &n)) || !(p = field(p, end, &s, &n)) || n != 1 || *s != 'F' ||
	    !(p = field(p, end, &s, &n)) || n != 5 || memcmp(s, "amend", 5) != 0 ||
	    !(p = field(p, end, &s, &n)))
		return 0;
	size_t dn, hn;
	const char *doc = payload_line((const char *)s, n, "document", &dn);
	const char *hex = payload_line((const char *)s, n, "versions sha256", &hn);
	amend_rec a = {e->seq, 0, {0}};
	int ok = doc && hex && dn > 0 && dn < 19 && hn == 2 * FISC_HASH_BYTES;
	for (size_t i = 0; ok && i < dn; i++)
		ok = doc[i] >= '0' && doc[i] <= '9', a.doc = a.doc * 10 + (doc[i] - '0');
	for (size_t i = 0; ok && i < hn; i++) {
		int c = hex[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		ok = d >= 0;
		a.digest[i / 2] = (uint8_t)(a.digest[i / 2] << 4 | (d & 15));
	}
	if (!ok)
		return bad(v, e->seq, "日志条目 %" PRId64 "：修正记录格式错误 / journal entry %" PRId64 ": malformed amendment record",
			   e->seq, e->seq);
	if (v->namends == v->capamends) {
		size_t cap = v->capamends ? 2 * v->capamends : 16;
		amend_rec *q = realloc(v->amends, cap * sizeof *q);
		if (!q)
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		v->amends = q;
		v->capamends = cap;
	}
	v->amends[v->namends++] = a;
	return 0;
}

/* After an entry's chain holds: apply it and note what the checks after
** the walk need (event records, amendments). */
static int entry_step(verify *v, const fisc_journal_entry *e)
{
	char why[900];
	v->r->entries++;
	if (apply_entry(&v->s, e, why, sizeof why) != FISC_OK)
		return bad(v, e->seq, "日志条目 %" PRId64 " / journal entry %" PRId64 ": %s", e->seq,
			   e->seq, why);
	size_t pn = sizeof LG_EVENT_PREFIX - 1;
	if (e->n >= pn && !memcmp(e->bytes, LG_EVENT_PREFIX, pn)) {
		if (v->nevents == v->capevents) {
			size_t cap = v->capevents ? 2 * v->capevents : 64;
			lg_buf *nb = realloc(v->events, cap * sizeof *nb);
			int64_t *ns = nb ? realloc(v->event_seq, cap * sizeof *ns) : NULL;
			if (nb)
				v->events = nb;
			if (!ns)
				return fisc_error_set(FISC_ENOMEM, "out of memory");
			v->event_seq = ns;
			v->capevents = cap;
		}
		lg_buf *b = &v->events[v->nevents];
		if (!(b->p = malloc(e->n)))
			return fisc_error_set(FISC_ENOMEM, "out of memory");
		memcpy(b->p, e->bytes, e->n);
		b->n = b->cap = e->n;
		v->event_seq[v->nevents++] = e->seq;
	}
	return note_amend(v, e);
}

/* ---- the walk on two threads ----------------------------------------------
** The chain is sequential but cheap to check apart from the replay: a reader
** thread steps through the stored entries, checks each one's number, prev
** and SHA-256, and hands them over in blocks; this thread replays them. The
** first disagreement is the same as a one-thread walk would find: an entry
** whose chain breaks ends its block, and the replay reaches it only after
** every earlier entry was applied. */

/* NBLOCKS: the reader may run that far ahead. On a busy machine a thread
** woken from a wait often waits milliseconds more for a core: with a deep
** queue the replay rarely finds it empty (16 blocks of 4096 entries of
** 150 bytes take about 20 MB). */
enum { BLOCK = 4096, NBLOCKS = 16, PREFETCH = 8 };

typedef struct vent {
	int64_t seq;
	uint8_t prev[FISC_HASH_BYTES], hash[FISC_HASH_BYTES];
	size_t off, n;
	uint64_t key_hash; /* of the payment key, when has_key */
	int has_key;
} vent;

typedef struct vblock {
	vent e[BLOCK];
	size_t n;
	uint8_t *bytes;
	size_t nbytes, capbytes;
	int last;         /* the walk ends after this block */
	int broken;       /* e[n-1]'s chain does not hold: why says how */
	int rc;           /* a store error ended the walk (rc < 0), why says it */
	char why[1024];
} vblock;

typedef struct walk {
	fisc_store *st;
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;
	vblock *b;        /* NBLOCKS */
	size_t head, tail;  /* blocks produced, consumed */
	int stop;         /* the replay needs no more */
	vblock *cur;
	int64_t seq;
	uint8_t h[FISC_HASH_BYTES];
} walk;

static void publish(walk *w, int last)
{
	w->cur->last = last;
	pthread_mutex_lock(&w->mu);
	w->head++;
	pthread_cond_signal(&w->filled);
	pthread_mutex_unlock(&w->mu);
	w->cur = NULL;
}

/* The next empty block, or NULL when the replay stopped. */
static vblock *take_empty(walk *w)
{
	pthread_mutex_lock(&w->mu);
	while (w->head - w->tail == NBLOCKS && !w->stop)
		pthread_cond_wait(&w->emptied, &w->mu);
	vblock *b = w->stop ? NULL : &w->b[w->head % NBLOCKS];
	pthread_mutex_unlock(&w->mu);
	if (b) {
		b->n = b->nbytes = 0;
		b->last = b->broken = b->rc = 0;
	}
	return b;
}

/* The payment key of a request, confirmation or void ("1:1,1:P,<n>:<key>,"
** and so on, docs/ledger.md): the replay looks it up in the payment map. A
** malformed entry has none here; lg_apply refuses it. */
static int payment_key(const uint8_t *b, size_t n, const uint8_t **key, size_t *kn)
{
	const uint8_t *end = b + n;
	if (n < 8 || memcmp(b, "1:1,1:", 6) != 0 || (b[6] != 'P' && b[6] != 'C' && b[6] != 'V') ||
	    b[7] != ',')
		return 0;
	return field(b + 8, end, key, kn) != NULL;
}

static int read_cb(void *ud, const fisc_journal_entry *e)
{
	walk *w = ud;
	if (!w->cur && !(w->cur = take_empty(w)))
		return 1;
	vblock *b = w->cur;
	if (b->nbytes + e->n > b->capbytes) {
		size_t cap = b->capbytes ? b->capbytes : 1 << 20;
		while (cap < b->nbytes + e->n)
			cap *= 2;
		uint8_t *p = realloc(b->bytes, cap);
		if (!p) {
			b->rc = FISC_ENOMEM;
			snprintf(b->why, sizeof b->why, "out of memory");
			return 1;
		}
		b->bytes = p;
		b->capbytes = cap;
	}
	vent *v = &b->e[b->n++];
	v->seq = e->seq;
	memcpy(v->prev, e->prev, FISC_HASH_BYTES);
	memcpy(v->hash, e->hash, FISC_HASH_BYTES);
	v->off = b->nbytes;
	v->n = e->n;
	const uint8_t *key;
	size_t kn;
	v->has_key = payment_key(e->bytes, e->n, &key, &kn);
	v->key_hash = v->has_key ? fisc_strmap_hash((const char *)key, kn) : 0;
	memcpy(b->bytes + b->nbytes, e->bytes, e->n);
	b->nbytes += e->n;
	if (chain_check(w->seq, w->h, e, b->why, sizeof b->why) != FISC_OK) {
		b->broken = 1;
		return 1;
	}
	w->seq = e->seq;
	memcpy(w->h, e->hash, FISC_HASH_BYTES);
	if (b->n == BLOCK)
		publish(w, 0);
	return 0;
}

static void *reader(void *arg)
{
	walk *w = arg;
	int rc = fisc_store_journal_each(w->st, 0, read_cb, w);
	if (!w->cur)
		w->cur = take_empty(w);
	if (w->cur) {
		/* The message is this thread's: carried over in the block. */
		if (rc < 0 && !w->cur->rc) {
			w->cur->rc = rc;
			snprintf(w->cur->why, sizeof w->cur->why, "%s", fisc_error_message());
		}
		publish(w, 1);
	}
	return NULL;
}

/* Replay the journal, block by block, as the reader hands it over. */
static int replay_all(fisc_store *st, verify *v)
{
	walk w;
	memset(&w, 0, sizeof w);
	w.st = st;
	w.b = calloc(NBLOCKS, sizeof *w.b);
	if (!w.b)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.filled, NULL);
	pthread_cond_init(&w.emptied, NULL);
	pthread_t th;
	int rc = FISC_OK;
	if (pthread_create(&th, NULL, reader, &w) != 0) {
		rc = fisc_error_set(FISC_ENOMEM, "无法启动线程 / cannot start a thread");
		goto out;
	}
	for (int done = 0; !done;) {
		pthread_mutex_lock(&w.mu);
		while (w.head == w.tail)
			pthread_cond_wait(&w.filled, &w.mu);
		pthread_mutex_unlock(&w.mu);
		vblock *b = &w.b[w.tail % NBLOCKS];
		size_t ok = b->n - (b->broken ? 1 : 0);
		for (size_t i = 0; i < ok && rc == FISC_OK && v->r->ok; i++) {
			/* The key map's slot of an entry a few ahead: its cache miss
			** overlaps this entry's replay instead of stalling it. */
			if (i + PREFETCH < ok && b->e[i + PREFETCH].has_key)
				fisc_strmap_prefetch(&v->s.pay_by_key, b->e[i + PREFETCH].key_hash);
			fisc_journal_entry e = {b->e[i].seq, {0}, {0}, b->bytes + b->e[i].off, b->e[i].n};
			memcpy(e.prev, b->e[i].prev, FISC_HASH_BYTES);
			memcpy(e.hash, b->e[i].hash, FISC_HASH_BYTES);
			rc = entry_step(v, &e);
			if (rc > 0)
				rc = FISC_OK; /* a disagreement: reported, the walk ends */
		}
		if (rc == FISC_OK && v->r->ok && b->broken) {
			int64_t seq = b->e[b->n - 1].seq;
			v->r->entries++;
			bad(v, seq, "日志条目 %" PRId64 " / journal entry %" PRId64 ": %s", seq, seq, b->why);
		}
		if (rc == FISC_OK && b->rc < 0)
			rc = fisc_error_set(b->rc, "%s", b->why);
		done = b->last || b->broken || b->rc || rc != FISC_OK || !v->r->ok;
		pthread_mutex_lock(&w.mu);
		w.tail++;
		if (done)
			w.stop = 1;
		pthread_cond_signal(&w.emptied);
		pthread_mutex_unlock(&w.mu);
	}
	pthread_join(th, NULL);
out:
	for (size_t i = 0; i < NBLOCKS; i++)
		free(w.b[i].bytes);
	free(w.b);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.filled);
	pthread_cond_destroy(&w.emptied);
	return rc;
}

/* Every amendment's versions, document row included, as its entry says. */
static int check_amends(fisc_store *st, verify *v)
{
	for (size_t i = 0; i < v->namends; i++) {
		uint8_t h[FISC_HASH_BYTES];
		int rc = fisc_history_digest(st, v->amends[i].doc, h);
		if (rc == FISC_ENOTFOUND)
			return bad(v, v->amends[i].seq, "修正文件 #%" PRId64 " 不在数据库中（日志条目 %" PRId64 "）/ amendment #%" PRId64 " of journal entry %" PRId64 " is missing from the store",
				   v->amends[i].doc, v->amends[i].seq, v->amends[i].doc, v->amends[i].seq);
		if (rc != FISC_OK)
			return rc;
		if (memcmp(h, v->amends[i].digest, FISC_HASH_BYTES) != 0)
			return bad(v, v->amends[i].seq, "修正文件 #%" PRId64 " 的版本记录与日志条目 %" PRId64 " 不符（数据库被改动）/ amendment #%" PRId64 ": its stored versions differ from journal entry %" PRId64 " (the store was edited)",
				   v->amends[i].doc, v->amends[i].seq, v->amends[i].doc, v->amends[i].seq);
	}
	return FISC_OK;
}

/* The event log's rows are an index of the journal's event records: its
** last rows, one per record, must be those records in the same order
** (older rows were written before events were journaled). */
static int event_cb(void *ud, const fisc_event *ev)
{
	verify *v = ud;
	lg_buf p = {0}, rec = {0};
	int rc = lg_event_payload(&p, ev);
	if (!rc)
		rc = lg_encode_record(&rec, "event", p.p, p.n);
	int same = !rc && v->event_at < v->nevents && rec.n == v->events[v->event_at].n &&
		   !memcmp(rec.p, v->events[v->event_at].p, rec.n);
	lg_buf_free(&p);
	lg_buf_free(&rec);
	if (rc)
		return fisc_error_set(FISC_ENOMEM, "out of memory");
	if (!same)
		return bad(v, v->event_seq[v->event_at],
			   "事件记录 %" PRId64 "（%s %s %s）与日志条目 %" PRId64 " 不符（记录被删除、修改或插入）/ "
			   "event row %" PRId64 " (%s %s %s) differs from journal entry %" PRId64
			   " (a row was deleted, changed or inserted)",
			   ev->id, ev->actor, ev->action, ev->target, v->event_seq[v->event_at], ev->id,
			   ev->actor, ev->action, ev->target, v->event_seq[v->event_at]);
	v->event_at++;
	return 0;
}

static int same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

static int line_cb(void *ud, const fisc_quota_line *l)
{
	verify *v = ud;
	lg_line *m = lg_line_get(&v->s, l->id);
	v->nlines_seen++;
	if (!m)
		return bad(v, 0, "数据库有指标行 %" PRId64 "，日志中没有 / the store has line %" PRId64 " that the journal never created",
			   l->id, l->id);
	const fisc_quota_line *j = &m->l;
	if (!same(j->region, l->region) || j->year != l->year || j->book != l->book ||
	    !same(j->dept, l->dept) || !same(j->project, l->project) || !same(j->func, l->func) ||
	    !same(j->econ, l->econ) || j->fund != l->fund || !same(j->fund_doc, l->fund_doc) ||
	    j->kind != l->kind)
		return bad(v, 0, "指标行 %" PRId64 " 的属性与日志不符 / line %" PRId64 ": its identity differs from the journal",
			   l->id, l->id);
	if (j->quota != l->quota || j->paid != l->paid || j->pending != l->pending) {
		char a[256], ae[256], b[256], be[256];
		lg_line_figures(j, a, ae, sizeof a);
		lg_line_figures(l, b, be, sizeof b);
		return bad(v, 0, "指标行 %" PRId64 " 的金额与日志重算不符：日志 %s；数据库 %s / line %" PRId64 ": figures differ from the journal: journal %s; store %s",
			   l->id, a, b, l->id, ae, be);
	}
	if (v->leg_sum[l->id - 1] != l->quota)
		return bad(v, 0, "指标行 %" PRId64 " 的指标不等于其文件各行之和 / line %" PRId64 ": quota is not the sum of its document legs",
			   l->id, l->id);
	return 0;
}

static int leg_cb(void *ud, const fisc_quota_leg_row *r)
{
	verify *v = ud;
	if (r->line < 1 || (size_t)r->line > v->s.nlines)
		return bad(v, 0, "文件「%s」指向不存在的指标行 / document '%s' names a line the journal never created",
			   r->doc_no, r->doc_no);
	if (!lg_doc_get(&v->s, r->doc_no))
		return bad(v, 0, "文件「%s」不在日志中 / document '%s' is not in the journal", r->doc_no,
			   r->doc_no);
	v->leg_sum[r->line - 1] += r->fen;
	return 0;
}

static int pay_cb(void *ud, const fisc_payment *p)
{
	verify *v = ud;
	/* Rows come in the order the journal created them (ORDER BY id): the
	** replay's payment at the same place is the one to compare, found
	** without a lookup among millions of keys. A row out of place (an
	** edited key, a deleted or inserted row) is looked up by its key. */
	lg_pay *m = v->npay_seen < v->s.npays ? v->s.pays[v->npay_seen] : NULL;
	if (!m || !same(m->p.key, p->key))
		m = lg_pay_get(&v->s, p->key);
	v->npay_seen++;
	if (!m)
		return bad(v, 0, "支付「%s」不在日志中 / payment '%s' is not in the journal", p->key,
			   p->key);
	if (m->p.id != p->id)
		return bad(v, 0, "支付「%s」在数据库中是第 %" PRId64 " 行，日志中是第 %" PRId64 " 笔 / payment '%s' is row %" PRId64 " in the store, payment %" PRId64 " in the journal",
			   p->key, p->id, m->p.id, p->key, p->id, m->p.id);
	if (m->p.line != p->line || m->p.fen != p->fen || m->p.state != p->state ||
	    m->p.refunded != p->refunded || m->p.paid_on != p->paid_on || !same(m->p.payee, p->payee) ||
	    !same(m->p.purpose, p->purpose))
		return bad(v, 0, "支付「%s」与日志重算不符（状态 %s / 日志 %s）/ payment '%s' differs from the journal",
			   p->key, fisc_pay_state_name(p->state), fisc_pay_state_name(m->p.state),
			   p->key);
	return 0;
}

/* A stored refund: the one the journal made under its key, of the same
** payment (key and row: the execution rollup joins on the row), amount and
** date. */
static int refund_cb(void *ud, const fisc_refund *x)
{
	verify *v = ud;
	v->nrefund_seen++;
	lg_refund *m = lg_refund_get(&v->s, x->key);
	if (!m)
		return bad(v, 0, "退款「%s」不在日志中 / refund '%s' is not in the journal", x->key, x->key);
	if (!same(m->r.pay_key, x->pay_key) || m->r.pay_id != x->pay_id || m->r.fen != x->fen ||
	    m->r.date != x->date)
		return bad(v, 0, "退款「%s」与日志重算不符 / refund '%s' differs from the journal", x->key,
			   x->key);
	return 0;
}

/* The payment-key map of a long journal (768 MB at 10^7 payments) is
** written at random from the replay's first entries on, and each of its
** 2 MB pages is zeroed by the kernel at its first touch: about a seventh
** of the replay thread's time over 10^7 entries. A helper populates the
** pages (MADV_POPULATE_WRITE maps and zeroes them without writing to them,
** so it may run beside the replay's inserts) on the core where the reader
** thread, the lighter of the two, leaves time idle. Best effort: an old
** kernel refuses the advice, and a map that grew meanwhile (a head number
** edited to be too small) unmapped the range; either way the helper stops
** and the replay faults the pages in itself. */
typedef struct populate {
	uint8_t *p;
	size_t n;
} populate;

static void *populate_run(void *arg)
{
#ifdef MADV_POPULATE_WRITE
	populate *q = arg;
	enum { STEP = 32 << 20 };
	for (size_t at = 0; at < q->n; at += STEP)
		if (madvise(q->p + at, q->n - at < STEP ? q->n - at : STEP, MADV_POPULATE_WRITE) != 0)
			break;
#else
	(void)arg;
#endif
	return NULL;
}

int fisc_journal_verify(fisc_store *st, fisc_journal_report *r)
{
	verify v;
	memset(r, 0, sizeof *r);
	memset(&v, 0, sizeof v);
	r->ok = 1;
	v.r = r;
	if (lg_state_init(&v.s) != FISC_OK)
		return FISC_ENOMEM;
	/* The head's number bounds the number of payments: size their map once
	** instead of growing it through the walk. Only a hint (a hand-edited
	** number may be absurd): capped, and without the room the map grows. */
	int64_t last;
	uint8_t head[FISC_HASH_BYTES];
	int rc = fisc_journal_head(st, &last, head);
	if (rc == FISC_OK && last > 0)
		(void)fisc_strmap_reserve(&v.s.pay_by_key,
					  last < ((int64_t)1 << 25) ? (size_t)last : (size_t)1 << 25);
	populate pop = {(uint8_t *)v.s.pay_by_key.slots, v.s.pay_by_key.cap * sizeof *v.s.pay_by_key.slots};
	pthread_t pop_th;
	int popping = rc == FISC_OK && pop.n >= ((size_t)64 << 20) &&
		      pthread_create(&pop_th, NULL, populate_run, &pop) == 0;
	if (rc == FISC_OK)
		rc = replay_all(st, &v);
	if (popping)
		pthread_join(pop_th, NULL);
	memcpy(r->head, v.s.head, FISC_HASH_BYTES);
	if (rc == FISC_OK && r->ok) {
		v.leg_sum = calloc(v.s.nlines + 1, sizeof *v.leg_sum);
		if (!v.leg_sum)
			rc = fisc_error_set(FISC_ENOMEM, "out of memory");
		if (rc == FISC_OK)
			rc = fisc_store_quota_leg_each(st, leg_cb, &v);
		if (rc == FISC_OK && r->ok)
			rc = fisc_store_quota_line_each(st, line_cb, &v);
		if (rc == FISC_OK && r->ok)
			rc = fisc_store_payment_each(st, pay_cb, &v);
		if (rc == FISC_OK && r->ok && st->vt->refund_each)
			rc = st->vt->refund_each(st, refund_cb, &v);
		if (rc > 0)
			rc = FISC_OK;
		if (rc == FISC_OK && r->ok)
			rc = check_amends(st, &v);
		if (rc > 0)
			rc = FISC_OK;
		if (rc == FISC_OK && r->ok && v.nlines_seen != v.s.nlines)
			bad(&v, 0, "数据库有 %zu 个指标行，日志有 %zu 个 / the store has %zu lines, the journal %zu",
			    v.nlines_seen, v.s.nlines, v.nlines_seen, v.s.nlines);
		if (rc == FISC_OK && r->ok && v.npay_seen != v.s.pay_by_key.len)
			bad(&v, 0, "数据库有 %zu 笔支付，日志有 %zu 笔 / the store has %zu payments, the journal %zu",
			    v.npay_seen, v.s.pay_by_key.len, v.npay_seen, v.s.pay_by_key.len);
		if (rc == FISC_OK && r->ok && st->vt->refund_each && v.nrefund_seen != v.s.refund_by_key.len)
			bad(&v, 0, "数据库有 %zu 笔退款，日志有 %zu 笔 / the store has %zu refunds, the journal %zu",
			    v.nrefund_seen, v.s.refund_by_key.len, v.nrefund_seen, v.s.refund_by_key.len);
		if (rc == FISC_OK && r->ok && v.nevents) {
			rc = fisc_event_each(st, (int64_t)v.nevents, event_cb, &v);
			if (rc > 0)
				rc = FISC_OK;
			if (rc == FISC_OK && r->ok && v.event_at != v.nevents)
				bad(&v, v.event_seq[v.event_at],
				    "事件记录少于日志中的 %zu 条事件 / fewer event rows than the journal's %zu events",
				    v.nevents, v.nevents);
		}
		free(v.leg_sum);
	}
	free(v.amends);
	for (size_t i = 0; i < v.nevents; i++)
		lg_buf_free(&v.events[i]);
	free(v.events);
	free(v.event_seq);
	lg_state_free(&v.s);
	return rc;
}

int fisc_journal_append(fisc_store *st, const char *tag, const void *payload, size_t n,
			int64_t *seq)
{
	if (!tag || !*tag)
		return fisc_error_set(FISC_EINVAL, "日志记录须有类别 / a journal record needs a tag");
	fisc_journal_entry e;
	/* Read in READ COMMITTED without the lock, the head could be passed by
	** another writer's commit before this put: the entry would then be out
	** of sequence and the caller's whole write refused. */
	int rc = fisc_store_journal_lock(st);
	if (rc == FISC_OK)
		rc = fisc_journal_head(st, &e.seq, e.prev);
	lg_buf b = {0};
	if (rc == FISC_OK)
		rc = lg_encode_record(&b, tag, payload ? payload : "", n);
	if (rc == FISC_OK) {
		e.seq++;
		fisc_journal_hash(e.prev, b.p, b.n, e.hash);
		e.bytes = b.p;
		e.n = b.n;
		rc = fisc_store_journal_put(st, &e);
	}
	if (rc == FISC_OK && seq)
		*seq = e.seq;
	lg_buf_free(&b);
	return rc;
}
