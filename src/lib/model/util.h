/*
** util.h — small helpers shared by the library's stages.
*/
#ifndef FISC_UTIL_H
#define FISC_UTIL_H

#include <stddef.h>

/* Whole file into a malloc'ed, NUL-terminated buffer; NULL with errno set. */
char *fisc_read_file(const char *path, size_t *len);

#endif
