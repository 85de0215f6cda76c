/*
** strmap.h — a string → pointer hash map (open addressing, keys owned by the
** caller, typically an arena). Used for catalogue codes, names and aliases,
** and for the ledger's payment keys (millions of them when a journal is
** verified).
*/
#ifndef FISC_STRMAP_H
#define FISC_STRMAP_H

#include <stddef.h>
#include <stdint.h>

/* A slot keeps its key's hash: a probe compares hashes before touching the
** key's bytes (elsewhere in memory), and growing never rehashes a key. */
typedef struct fisc_strmap_slot {
	const char *key;
	void *val;
	uint64_t hash;
} fisc_strmap_slot;

typedef struct fisc_strmap {
	fisc_strmap_slot *slots;
	size_t cap, len;
} fisc_strmap;

/* 0 on success, -1 when out of memory. Replaces an existing key's value. */
int fisc_strmap_put(fisc_strmap *m, const char *key, void *val);
void *fisc_strmap_get(const fisc_strmap *m, const char *key);
void *fisc_strmap_getn(const fisc_strmap *m, const char *key, size_t n);
void fisc_strmap_free(fisc_strmap *m);
/* The hash a lookup of key (n bytes) computes. */
uint64_t fisc_strmap_hash(const char *key, size_t n);
/* Start loading the slot where a lookup of a key of hash h begins: in a
** map of millions of keys nearly every lookup misses the cache, and a
** caller that knows its next keys (a journal replay) overlaps those misses
** with its work. Only a hint; the map is unchanged. */
static inline void fisc_strmap_prefetch(const fisc_strmap *m, uint64_t h)
{
	if (m->cap)
		__builtin_prefetch(&m->slots[h & (m->cap - 1)]);
}
/* Room for n keys without growing (a map about to take many: each growth
** moves every key again). 0, or -1 when out of memory. */
int fisc_strmap_reserve(fisc_strmap *m, size_t n);

#endif
