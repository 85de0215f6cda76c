/*
** arena.c — bump allocation in growing blocks; one free for everything.
*/
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/arena.h"

typedef struct block {
	struct block *next;
	size_t cap, used;
	_Alignas(16) unsigned char data[];
} block;

struct fisc_arena {
	block *head;
};

enum { BLOCK_MIN = 64 * 1024 - sizeof(block) };

fisc_arena *fisc_arena_new(void) { return calloc(1, sizeof(fisc_arena)); }

void fisc_arena_free(fisc_arena *a)
{
	if (!a)
		return;
	for (block *b = a->head, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	free(a);
}

void *fisc_arena_alloc(fisc_arena *a, size_t n)
{
	assert(a);
	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	block *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > BLOCK_MIN ? n : BLOCK_MIN;
		block *nb = malloc(sizeof(block) + cap);
		if (!nb)
			return NULL;
		nb->cap = cap;
		nb->used = 0;
		/* A big one-off allocation goes behind the current block so the
		** current block's free space is not abandoned. */
		if (b && n > BLOCK_MIN) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *fisc_arena_strndup(fisc_arena *a, const char *s, size_t n)
{
	char *p = fisc_arena_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

char *fisc_arena_strdup(fisc_arena *a, const char *s)
{
	return fisc_arena_strndup(a, s ? s : "", s ? strlen(s) : 0);
}

char *fisc_arena_printf(fisc_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = n >= 0 ? fisc_arena_alloc(a, (size_t)n + 1) : NULL;
	if (p)
		vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}
