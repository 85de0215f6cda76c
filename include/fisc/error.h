/*
** fisc/error.h — error codes and the retrievable message of the last error.
**
** Every libfisc function that can fail returns an int: FISC_OK (0) or one of
** the negative codes below. The human-readable message of the most recent
** failure on the calling thread is kept by the library and read with
** fisc_error_message(); it is bilingual ("中文 / English") where a person
** will read it.
*/
#ifndef FISC_ERROR_H
#define FISC_ERROR_H

#include "export.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
	FISC_OK = 0,
	FISC_ENOMEM = -1,    /* out of memory */
	FISC_EINVAL = -2,    /* bad argument or malformed input */
	FISC_ERANGE = -3,    /* a number does not fit (money overflow) */
	FISC_ENOTFOUND = -4, /* a name, code or record does not exist */
	FISC_EEXIST = -5,    /* a record with the same key exists */
	FISC_EIO = -6,       /* a file could not be read or written */
	FISC_ESTORE = -7,    /* the store (database) failed */
	FISC_EIMPORT = -8,   /* an import had errors; nothing was written */
	FISC_EUNSUPPORTED = -9, /* the store or format does not support this */
	FISC_EUNIT = -10     /* an amount has no unit (元, 万元, 亿元) */
};

/* Message of the last error on this thread; never NULL ("" when none). */
FISC_API const char *fisc_error_message(void);

/* Short English name of a code ("ENOMEM"). */
FISC_API const char *fisc_error_name(int code);

/* Record an error message for this thread and return code (for chaining:
** `return fisc_error_set(FISC_EINVAL, "...", ...)`). printf-style. */
FISC_API int fisc_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

FISC_API void fisc_error_clear(void);

#ifdef __cplusplus
}
#endif
#endif
