/*
** cache.c — what makes repeated reads cheap in `fisc serve`: each pool
** thread keeps one store handle for all its requests (so the catalogue and
** the fact memo the handle keeps live across requests), and GET responses
** of the routes marked `cache` are kept, keyed by the request URI and the
** store's data version.
**
** The data version is read from one watcher handle (SQLite's PRAGMA
** data_version on a connection that never writes: it changes whenever any
** other connection commits — the pool threads' handles, the ledger engine,
** another process's `fisc import`; on PostgreSQL the snapshot, see
** pg_change_version). A response made at version V is served
** again only while the version is still V, so no write, through the server
** or from outside, is ever hidden. Authorization still runs for every
** request before the cache is asked: the cache holds bodies, not verdicts.
**
** A store file replaced under the server (a restored backup moved over it)
** is a new file: every open handle still reads the old one, and its data
** version never moves. Each request compares the path's device and inode
** with those of the file the handles were opened on (one stat) and, when
** they differ, every handle of the process — the pool threads', the
** watcher, the ledger engine — is closed before any is opened on the new
** file: an old connection left open would share the -wal and -shm files
** (named after the path) with the new one and mix the old store's pages
** into it. A gate (a lock each request holds for reading while it uses its
** handle) makes sure no request is using one meanwhile.
*/
#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sodium.h>
#include "server/server.h"

/* --- the pool threads' store handles --------------------------------------- */

/* What a pool thread learned from the store at a data version (see "the
** thread's memos" below). */
enum { MEMO_SLOTS = 16 };
typedef struct who_memo {
	fisc_arena *a;         /* the user's strings; NULL: empty slot */
	unsigned char hash[32]; /* SHA-256 of the token */
	int64_t version;
	time_t second;         /* the second it was verified in */
	fisc_user u;
} who_memo;
typedef struct region_memo {
	fisc_arena *a; /* key and region strings; NULL: empty slot */
	int64_t version;
	const char *key;
	fisc_region r;
} region_memo;
typedef struct publish_memo {
	int used;
	int64_t version;
	int64_t region;
	int year, published;
} publish_memo;

/* One per pool thread, listed so that a replaced store closes them all. */
typedef struct handle {
	fisc_store *st;
	struct handle *prev, *next;
	who_memo who[MEMO_SLOTS];
	region_memo region[MEMO_SLOTS];
	publish_memo publish[MEMO_SLOTS];
} handle;

static void memos_clear(handle *h)
{
	for (int i = 0; i < MEMO_SLOTS; i++) {
		fisc_arena_free(h->who[i].a);
		fisc_arena_free(h->region[i].a);
	}
	memset(h->who, 0, sizeof h->who);
	memset(h->region, 0, sizeof h->region);
	memset(h->publish, 0, sizeof h->publish);
}

static pthread_key_t store_key;
static pthread_once_t store_once = PTHREAD_ONCE_INIT;
static pthread_rwlock_t gate;
static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;
static handle *handles;
static const char *store_db;

/* The file the handles are open on (SQLite; known = 0 on PostgreSQL). */
static struct {
	int known;
	dev_t dev;
	ino_t ino;
} opened;

static void handle_free(void *p)
{
	handle *h = p;
	pthread_mutex_lock(&handles_lock);
	if (h->prev)
		h->prev->next = h->next;
	else
		handles = h->next;
	if (h->next)
		h->next->prev = h->prev;
	pthread_mutex_unlock(&handles_lock);
	fisc_store_close(h->st);
	memos_clear(h);
	free(h);
}

static void store_key_init(void)
{
	pthread_key_create(&store_key, handle_free);
	/* A reopen waits for the requests in flight; the ones arriving
	** meanwhile wait for it, so that a busy server still gets there. */
	pthread_rwlockattr_t at;
	pthread_rwlockattr_init(&at);
	pthread_rwlockattr_setkind_np(&at, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&gate, &at);
	pthread_rwlockattr_destroy(&at);
}

/* The file behind a store address: 1 with its identity, 0 for a database
** server (nothing to compare) or a path that cannot be read now. */
static int file_id(const char *db, struct stat *sb)
{
	if (fisc_store_uri_is_server(db))
		return 0;
	char path[4096];
	snprintf(path, sizeof path, "%s", strncmp(db, "sqlite:", 7) ? db : db + 7);
	if (!strncmp(db, "sqlite:", 7)) {
		char *q = strrchr(path, '?');
		if (q)
			*q = 0;
	}
	return stat(path, sb) == 0;
}

static fisc_store *watcher;
static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;

/* With the gate held for writing (no request is using a handle): close
** every handle on the old file, then open the watcher and the ledger
** engine on the new one (the pool threads open theirs on their next
** request). The identity is taken before opening, so a file replaced
** again meanwhile is seen by the next request. */
static int reopen_all(const srv_config *cfg)
{
	struct stat sb;
	if (!file_id(cfg->db, &sb) || (opened.known && sb.st_dev == opened.dev &&
				       sb.st_ino == opened.ino))
		return FISC_OK; /* another thread did it first */
	fprintf(stderr, "fisc serve: 数据库文件「%s」已被替换，重新打开 / the store file '%s' was "
			"replaced: reopening\n", cfg->db, cfg->db);
	pthread_mutex_lock(&handles_lock);
	for (handle *h = handles; h; h = h->next) {
		fisc_store_close(h->st);
		h->st = NULL;
		memos_clear(h); /* versions of the old file mean nothing for the new */
	}
	pthread_mutex_unlock(&handles_lock);
	srv_cache_clear(); /* bodies of the old store; versions start again */
	pthread_mutex_lock(&watch_lock);
	fisc_store_close(watcher);
	watcher = NULL;
	fisc_ledger_close(srv_ledger);
	srv_ledger = NULL;
	opened.known = 0;
	int rc = fisc_ledger_open(cfg->db, &srv_ledger);
	if (rc == FISC_OK)
		rc = fisc_store_open(cfg->db, &watcher);
	if (rc == FISC_OK) {
		opened.known = 1;
		opened.dev = sb.st_dev;
		opened.ino = sb.st_ino;
	} else {
		/* No request may run on half the handles: the next one tries again. */
		fisc_ledger_close(srv_ledger);
		srv_ledger = NULL;
		fisc_store_close(watcher);
		watcher = NULL;
		opened.known = 1;
		opened.dev = 0;
		opened.ino = 0;
	}
	pthread_mutex_unlock(&watch_lock);
	return rc;
}

int srv_store(const srv_config *cfg, fisc_store **out)
{
	pthread_once(&store_once, store_key_init);
	struct stat sb;
	if (file_id(cfg->db, &sb)) {
		pthread_rwlock_rdlock(&gate);
		int same = !opened.known || (sb.st_dev == opened.dev && sb.st_ino == opened.ino);
		pthread_rwlock_unlock(&gate);
		if (!same) {
			pthread_rwlock_wrlock(&gate);
			int rc = reopen_all(cfg);
			pthread_rwlock_unlock(&gate);
			if (rc != FISC_OK)
				return rc;
		}
	}
	pthread_rwlock_rdlock(&gate); /* until srv_store_done */
	handle *h = pthread_getspecific(store_key);
	if (!h) {
		h = calloc(1, sizeof *h);
		if (!h) {
			pthread_rwlock_unlock(&gate);
			return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		}
		pthread_mutex_lock(&handles_lock);
		h->next = handles;
		if (handles)
			handles->prev = h;
		handles = h;
		pthread_mutex_unlock(&handles_lock);
		pthread_setspecific(store_key, h);
	}
	if (h->st && strcmp(store_db, cfg->db)) {
		fisc_store_close(h->st);
		h->st = NULL;
		memos_clear(h);
	}
	if (!h->st) {
		int rc = fisc_store_open(cfg->db, &h->st);
		if (rc != FISC_OK) {
			h->st = NULL;
			pthread_rwlock_unlock(&gate);
			return rc;
		}
		store_db = cfg->db;
	}
	*out = h->st;
	return FISC_OK;
}

void srv_store_done(fisc_store *st)
{
	/* Every write is one transaction inside one handler; should one be
	** left open by a failure, it must not carry into the next request:
	** on PostgreSQL its locks (the ledger's advisory lock) would stop the
	** engine and every other server, its snapshot would hide their
	** writes. A handle whose transaction cannot be ended (the connection
	** lost) is closed; the thread's next request opens a new one. */
	fisc_store_rollback(st);
	if (fisc_store_txn_open(st)) {
		fprintf(stderr, "fisc serve: %s\n", fisc_error_message());
		handle *h = pthread_getspecific(store_key);
		assert(h && h->st == st);
		fisc_store_close(st);
		h->st = NULL; /* the thread's next request opens a new one */
	}
	pthread_rwlock_unlock(&gate);
}

/* --- the data version ------------------------------------------------------- */

int srv_cache_open(const srv_config *cfg)
{
	pthread_once(&store_once, store_key_init);
	struct stat sb;
	/* the identity first: a file replaced right after is seen as replaced */
	int known = file_id(cfg->db, &sb);
	int rc = fisc_store_open(cfg->db, &watcher);
	if (rc == FISC_OK && known) {
		opened.known = 1;
		opened.dev = sb.st_dev;
		opened.ino = sb.st_ino;
	}
	return rc;
}

void srv_cache_close(void)
{
	srv_cache_clear();
	fisc_store_close(watcher);
	watcher = NULL;
}

int srv_data_version(int64_t *v)
{
	pthread_mutex_lock(&watch_lock);
	int rc = watcher ? fisc_store_data_version(watcher, v) : FISC_EUNSUPPORTED;
	pthread_mutex_unlock(&watch_lock);
	return rc;
}

/* --- the thread's memos ----------------------------------------------------- */

/*
** A cached read would still cost three statements before the cache is asked:
** the token, the path's region and whether its year is published. Each is
** kept by the pool thread that looked it up, with the data version read
** before the lookup, and used again only while the version is unchanged, so
** the answer is the one the store would give now: revoking a token (a
** logout), disabling a user, publishing, renaming a region all commit, and
** every commit moves the version. A token's expiry is a comparison with the
** present second, not a write, so a verified token is used again only
** within the second it was verified in (the store compares expiry with
** whole seconds too). Only successes are kept: a refusal always asks the
** store again, with its own message.
**
** Per thread, so no lock; each memo is a few direct-mapped slots, a slot
** reused by the next key that maps to it.
*/

static handle *this_handle(void)
{
	handle *h = pthread_getspecific(store_key);
	assert(h && h->st); /* between srv_store and srv_store_done */
	return h;
}

static size_t fnv(const void *p, size_t n)
{
	uint64_t x = 1469598103934665603ULL;
	for (const unsigned char *b = p; n--; b++)
		x = (x ^ *b) * 1099511628211ULL;
	return (size_t)x;
}

/* Copy the strings of src into a, for a memo or for the request. */
static int copy_user(fisc_arena *a, const fisc_user *src, fisc_user *dst)
{
	*dst = *src;
	dst->name = fisc_arena_strdup(a, src->name);
	dst->region = fisc_arena_strdup(a, src->region);
	dst->dept = fisc_arena_strdup(a, src->dept);
	dst->created_at = fisc_arena_strdup(a, src->created_at);
	return dst->name && dst->region && dst->dept && dst->created_at ? FISC_OK : FISC_ENOMEM;
}

int srv_token_check(fisc_store *st, int known, int64_t version, const char *token,
		    fisc_arena *a, fisc_user *out)
{
	int kind;
	if (!known)
		return fisc_token_check(st, token, a, out, &kind);
	handle *h = this_handle();
	unsigned char hash[32];
	crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
	who_memo *m = &h->who[hash[0] % MEMO_SLOTS];
	time_t now = time(NULL);
	if (m->a && m->version == version && m->second == now && !memcmp(m->hash, hash, 32)) {
		*out = m->u; /* the strings live in the slot, past this request */
		return FISC_OK;
	}
	int rc = fisc_token_check(st, token, a, out, &kind);
	if (rc != FISC_OK)
		return rc;
	fisc_arena *ma = fisc_arena_new();
	fisc_user u;
	fisc_arena_free(m->a);
	memset(m, 0, sizeof *m);
	if (ma && copy_user(ma, out, &u) == FISC_OK) {
		*m = (who_memo){ma, {0}, version, now, u};
		memcpy(m->hash, hash, 32);
	} else {
		fisc_arena_free(ma); /* unkept: the answer stands all the same */
	}
	return FISC_OK;
}

int srv_region_find(fisc_store *st, int known, int64_t version, const char *key, fisc_arena *a,
		    fisc_region *out)
{
	if (!known)
		return fisc_store_region_find(st, key, a, out);
	handle *h = this_handle();
	region_memo *m = &h->region[fnv(key, strlen(key)) % MEMO_SLOTS];
	if (m->a && m->version == version && !strcmp(m->key, key)) {
		*out = m->r;
		return FISC_OK;
	}
	fisc_arena_free(m->a);
	memset(m, 0, sizeof *m);
	fisc_arena *ma = fisc_arena_new();
	if (!ma)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	const char *k = fisc_arena_strdup(ma, key);
	int rc = k ? fisc_store_region_find(st, key, ma, out) : FISC_ENOMEM;
	if (rc != FISC_OK) {
		fisc_arena_free(ma);
		return rc == FISC_ENOMEM ? fisc_error_set(rc, "内存不足 / out of memory") : rc;
	}
	*m = (region_memo){ma, version, k, *out};
	return FISC_OK;
}

int srv_published(fisc_store *st, int known, int64_t version, int64_t region, int year)
{
	if (!known)
		return fisc_publish_get(st, region, year);
	handle *h = this_handle();
	int64_t k[2] = {region, year};
	publish_memo *m = &h->publish[fnv(k, sizeof k) % MEMO_SLOTS];
	if (m->used && m->version == version && m->region == region && m->year == year)
		return m->published;
	int rc = fisc_publish_get(st, region, year);
	if (rc == 0 || rc == 1)
		*m = (publish_memo){1, version, region, year, rc};
	return rc;
}

/* --- the responses ---------------------------------------------------------- */

enum { SLOTS = 256, MAX_BODY = 4 << 20, MAX_TOTAL = 64 << 20 };

typedef struct entry {
	char *key;
	int64_t version;
	int status;
	const char *content_type, *csp; /* static strings */
	char *filename;
	char *body;
	size_t len;
} entry;

static entry slots[SLOTS];
static size_t total;
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;

static size_t slot_of(const char *key)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)(h % SLOTS);
}

static void entry_free(entry *e)
{
	total -= e->len;
	free(e->key);
	free(e->filename);
	free(e->body);
	memset(e, 0, sizeof *e);
}

int srv_cache_get(const char *key, int64_t version, srv_ctx *c)
{
	int hit = 0;
	pthread_rwlock_rdlock(&lock);
	entry *e = &slots[slot_of(key)];
	if (e->key && e->version == version && !strcmp(e->key, key)) {
		char *body = malloc(e->len ? e->len : 1);
		if (body) {
			memcpy(body, e->body, e->len);
			/* the handler's (empty) stream is dropped for the kept body */
			fclose(c->out);
			free(c->body);
			c->out = NULL;
			c->body = body;
			c->len = e->len;
			c->status = e->status;
			c->content_type = e->content_type;
			c->csp = e->csp;
			c->filename = e->filename ? fisc_arena_strdup(c->a, e->filename) : NULL;
			hit = 1;
		}
	}
	pthread_rwlock_unlock(&lock);
	return hit;
}

void srv_cache_put(const char *key, int64_t version, const srv_ctx *c, const char *body,
		   size_t len)
{
	if (len > MAX_BODY)
		return;
	char *k = strdup(key), *b = malloc(len ? len : 1);
	char *fn = c->filename ? strdup(c->filename) : NULL;
	if (!k || !b || (c->filename && !fn)) {
		free(k);
		free(b);
		free(fn);
		return;
	}
	memcpy(b, body, len);
	pthread_rwlock_wrlock(&lock);
	entry *e = &slots[slot_of(key)];
	if (e->key)
		entry_free(e);
	if (total + len > MAX_TOTAL) { /* full: start again from nothing */
		for (size_t i = 0; i < SLOTS; i++)
			if (slots[i].key)
				entry_free(&slots[i]);
	}
	*e = (entry){k, version, c->status, c->content_type, c->csp, fn, b, len};
	total += len;
	pthread_rwlock_unlock(&lock);
}

void srv_cache_clear(void)
{
	pthread_rwlock_wrlock(&lock);
	for (size_t i = 0; i < SLOTS; i++)
		if (slots[i].key)
			entry_free(&slots[i]);
	pthread_rwlock_unlock(&lock);
}
