/*
** strmap.c — string-keyed open-addressing hash map (FNV-1a, linear probing).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "model/strmap.h"

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static int grow(fisc_strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	const char **keys = calloc(cap, sizeof *keys);
	void **vals = calloc(cap, sizeof *vals);
	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = hash(m->keys[i], strlen(m->keys[i])) & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

int fisc_strmap_put(fisc_strmap *m, const char *key, void *val)
{
	if ((m->len + 1) * 2 > m->cap && grow(m) != 0)
		return -1;
	size_t j = hash(key, strlen(key)) & (m->cap - 1);
	while (m->keys[j]) {
		if (strcmp(m->keys[j], key) == 0) {
			m->vals[j] = val;
			return 0;
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->keys[j] = key;
	m->vals[j] = val;
	m->len++;
	return 0;
}

void *fisc_strmap_getn(const fisc_strmap *m, const char *key, size_t n)
{
	if (!m->cap)
		return NULL;
	size_t j = hash(key, n) & (m->cap - 1);
	while (m->keys[j]) {
		if (strncmp(m->keys[j], key, n) == 0 && m->keys[j][n] == 0)
			return m->vals[j];
		j = (j + 1) & (m->cap - 1);
	}
	return NULL;
}

void *fisc_strmap_get(const fisc_strmap *m, const char *key)
{
	return fisc_strmap_getn(m, key, strlen(key));
}

void fisc_strmap_free(fisc_strmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}
