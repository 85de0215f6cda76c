/*
** arena.c — bump allocation in growing blocks; one free for everything.
*/
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/arena.h"
#include "model/util.h"

typedef struct block {
	struct block *next;
	size_t cap, used;
	int big;          /* mapped by fisc_big_alloc */
	_Alignas(16) unsigned char data[];
} block;

struct fisc_arena {
	block *head;
};

/* Blocks double from 64 KB up to 8 MB: a small arena stays small, and one
** that holds millions of objects (a journal replay's state: a gigabyte for
** ten million payments) takes them in blocks of 2 MB pages, not a page
** fault and a TLB entry per 4 KB. */
enum { BLOCK_MIN = 64 * 1024 - sizeof(block), BLOCK_MAX = 8 << 20, BLOCK_BIG = 2 << 20 };

static block *block_new(size_t cap)
{
	int big = sizeof(block) + cap >= BLOCK_BIG;
	if (big) /* whole 2 MB pages */
		cap = (sizeof(block) + cap + BLOCK_BIG - 1) / BLOCK_BIG * BLOCK_BIG - sizeof(block);
	block *b = big ? fisc_big_alloc(sizeof(block) + cap) : malloc(sizeof(block) + cap);
	if (b) {
		b->cap = cap;
		b->used = 0;
		b->big = big;
	}
	return b;
}

static void block_free(block *b)
{
	if (b->big)
		fisc_big_free(b, sizeof(block) + b->cap);
	else
		free(b);
}

fisc_arena *fisc_arena_new(void) { return calloc(1, sizeof(fisc_arena)); }

void fisc_arena_free(fisc_arena *a)
{
	if (!a)
		return;
	for (block *b = a->head, *n; b; b = n) {
		n = b->next;
		block_free(b);
	}
	free(a);
}

/* n bytes, not zeroed: a copy overwrites them (a replay copies millions of
** short strings, and zeroing each first wrote every byte twice). */
static void *bump(fisc_arena *a, size_t n)
{
	assert(a);
	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	block *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t next = !b ? BLOCK_MIN : b->cap >= BLOCK_MAX / 2 ? BLOCK_MAX : 2 * b->cap;
		block *nb = block_new(n > next ? n : next);
		if (!nb)
			return NULL;
		/* A big one-off allocation goes behind the current block so the
		** current block's free space is not abandoned. */
		if (b && n > next) {
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
	return p;
}

void *fisc_arena_alloc(fisc_arena *a, size_t n)
{
	void *p = bump(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

char *fisc_arena_strndup(fisc_arena *a, const char *s, size_t n)
{
	char *p = bump(a, n + 1);
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
