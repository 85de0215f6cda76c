/*
** strmap.c — string-keyed open-addressing hash map (FNV-1a, linear probing).
** Each slot holds key, value and the key's hash together, so a lookup costs
** one cache line per probe and a key's bytes are compared only when the
** hashes are equal.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "model/strmap.h"
#include "model/util.h"

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	/* FNV's low bits mix poorly for keys that differ only at the end
	** (numbered keys): fold the high bits in before masking. */
	return h ^ (h >> 29);
}

/* Tables of this size and more (a map of a million payment keys is 48 MB)
** are mapped on their own, in 2 MB pages where the kernel allows: every
** lookup lands on a random slot, and with 4 KB pages nearly each one also
** missed the TLB. */
enum { BIG = 4 << 20 };

static fisc_strmap_slot *slots_new(size_t cap)
{
	size_t bytes = cap * sizeof(fisc_strmap_slot);
	return bytes < BIG ? calloc(cap, sizeof(fisc_strmap_slot)) : fisc_big_alloc(bytes);
}

static void slots_free(fisc_strmap_slot *slots, size_t cap)
{
	if (cap * sizeof *slots < BIG)
		free(slots);
	else
		fisc_big_free(slots, cap * sizeof *slots);
}

/* Rehash into a table of cap slots (a power of two, more than len). */
static int resize(fisc_strmap *m, size_t cap)
{
	fisc_strmap_slot *slots = slots_new(cap);
	if (!slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].key)
			continue;
		size_t j = m->slots[i].hash & (cap - 1);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = m->slots[i];
	}
	if (m->slots)
		slots_free(m->slots, m->cap);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

static int grow(fisc_strmap *m) { return resize(m, m->cap ? m->cap * 2 : 64); }

int fisc_strmap_reserve(fisc_strmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 64;
	while (n * 2 > cap)
		cap *= 2;
	return cap == m->cap ? 0 : resize(m, cap);
}

int fisc_strmap_put(fisc_strmap *m, const char *key, void *val)
{
	if ((m->len + 1) * 2 > m->cap && grow(m) != 0)
		return -1;
	uint64_t h = hash(key, strlen(key));
	size_t j = h & (m->cap - 1);
	while (m->slots[j].key) {
		if (m->slots[j].hash == h && strcmp(m->slots[j].key, key) == 0) {
			m->slots[j].val = val;
			return 0;
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->slots[j] = (fisc_strmap_slot){key, val, h};
	m->len++;
	return 0;
}

void *fisc_strmap_getn(const fisc_strmap *m, const char *key, size_t n)
{
	if (!m->cap)
		return NULL;
	uint64_t h = hash(key, n);
	size_t j = h & (m->cap - 1);
	while (m->slots[j].key) {
		const fisc_strmap_slot *s = &m->slots[j];
		if (s->hash == h && strncmp(s->key, key, n) == 0 && s->key[n] == 0)
			return s->val;
		j = (j + 1) & (m->cap - 1);
	}
	return NULL;
}

uint64_t fisc_strmap_hash(const char *key, size_t n) { return hash(key, n); }

void *fisc_strmap_get(const fisc_strmap *m, const char *key)
{
	return fisc_strmap_getn(m, key, strlen(key));
}

void fisc_strmap_free(fisc_strmap *m)
{
	if (m->slots)
		slots_free(m->slots, m->cap);
	memset(m, 0, sizeof *m);
}
