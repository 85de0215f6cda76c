/*
** strmap.h — a string → pointer hash map (open addressing, keys owned by the
** caller, typically an arena). Used for catalogue codes, names and aliases.
*/
#ifndef FISC_STRMAP_H
#define FISC_STRMAP_H

#include <stddef.h>

typedef struct fisc_strmap {
	const char **keys;
	void **vals;
	size_t cap, len;
} fisc_strmap;

/* 0 on success, -1 when out of memory. Replaces an existing key's value. */
int fisc_strmap_put(fisc_strmap *m, const char *key, void *val);
void *fisc_strmap_get(const fisc_strmap *m, const char *key);
void *fisc_strmap_getn(const fisc_strmap *m, const char *key, size_t n);
void fisc_strmap_free(fisc_strmap *m);

#endif
