/*
** fisc/arena.h — a bump allocator: one per request, report or import.
**
** Everything allocated from an arena is freed at once by fisc_arena_free, so
** code that builds a report never tracks individual frees.
*/
#ifndef FISC_ARENA_H
#define FISC_ARENA_H

#include "export.h"
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fisc_arena fisc_arena;

FISC_API fisc_arena *fisc_arena_new(void);
FISC_API void fisc_arena_free(fisc_arena *a);

/* Zeroed, 16-byte aligned; NULL only when memory is exhausted. */
FISC_API void *fisc_arena_alloc(fisc_arena *a, size_t n);
FISC_API char *fisc_arena_strdup(fisc_arena *a, const char *s);
FISC_API char *fisc_arena_strndup(fisc_arena *a, const char *s, size_t n);
FISC_API char *fisc_arena_printf(fisc_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#ifdef __cplusplus
}
#endif
#endif
