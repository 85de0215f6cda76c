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
** another process's `fisc import`). A response made at version V is served
** again only while the version is still V, so no write, through the server
** or from outside, is ever hidden. Authorization still runs for every
** request before the cache is asked: the cache holds bodies, not verdicts.
*/
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "server/server.h"

/* --- the pool threads' store handles --------------------------------------- */

static pthread_key_t store_key;
static pthread_once_t store_once = PTHREAD_ONCE_INIT;
static const char *store_db;

static void store_close(void *st) { fisc_store_close(st); }
static void store_key_init(void) { pthread_key_create(&store_key, store_close); }

int srv_store(const srv_config *cfg, fisc_store **out)
{
	pthread_once(&store_once, store_key_init);
	fisc_store *st = pthread_getspecific(store_key);
	if (!st || strcmp(store_db, cfg->db)) {
		if (st)
			fisc_store_close(st);
		pthread_setspecific(store_key, NULL);
		int rc = fisc_store_open(cfg->db, &st);
		if (rc != FISC_OK)
			return rc;
		store_db = cfg->db;
		pthread_setspecific(store_key, st);
	}
	*out = st;
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
		assert(pthread_getspecific(store_key) == st);
		pthread_setspecific(store_key, NULL);
		fisc_store_close(st);
	}
}

/* --- the data version ------------------------------------------------------- */

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static fisc_store *watcher;

int srv_cache_open(const srv_config *cfg)
{
	return fisc_store_open(cfg->db, &watcher);
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
