/*
** util.h — small helpers shared by the library's stages.
*/
#ifndef FISC_UTIL_H
#define FISC_UTIL_H

#include <stddef.h>

/* Whole file into a malloc'ed, NUL-terminated buffer; NULL with errno set. */
char *fisc_read_file(const char *path, size_t *len);

/* Make room for `need` elements of `elem` bytes in the array at *pptr (a
** pointer to the array pointer) of capacity *cap, doubling. 0, or -1 when
** out of memory (the array is left as it was). */
int fisc_grow(void *pptr, size_t *cap, size_t need, size_t elem);

/* bytes of zeroed memory mapped on their own and aligned to 2 MB, in 2 MB
** pages where the kernel allows (a hint): for tables and arenas of hundreds
** of megabytes, where 4 KB pages cost a page fault per 4 KB and a TLB miss
** on nearly every random access. NULL when out of memory. Freed with
** fisc_big_free and the same size. */
void *fisc_big_alloc(size_t bytes);
void fisc_big_free(void *p, size_t bytes);

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid
** (overlong forms, surrogates and values past U+10FFFF are invalid). */
size_t fisc_utf8_len(const unsigned char *s, size_t n);

/* Nonzero when s[0..n) is valid UTF-8. */
int fisc_utf8_valid(const char *s, size_t n);

/* s[0..n) in Unicode NFKC (full-width digits, points and signs become
** ASCII), malloc'ed and NUL-terminated; NULL when it is not valid UTF-8 or
** memory runs out. */
char *fisc_nfkc(const char *s, size_t n);

/* fsync the directory that holds path, so that a name just linked or renamed
** there survives a crash; best effort (a directory that cannot be opened is
** left as it is). */
void fisc_sync_parent_dir(const char *path);

/* libxml2 initialised once for the process, before any thread uses it:
** call before the first libxml2 call of any code path. */
void fisc_xml_init(void);

#endif
