/*
** fisc/progress.h — a hook through which long library work (an import of
** hundreds of thousands of rows) tells the caller how far it has got, so that
** a terminal tool can show a progress line. The library only reports; it
** never prints. The hook is process-wide and not synchronised: set it once,
** before starting work, from the thread that does the work.
*/
#ifndef FISC_PROGRESS_H
#define FISC_PROGRESS_H

#include "export.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* task: what is being done ("导入 / importing"); detail: on what (a file
** name), may be NULL; done: units so far (rows, tables); total: the units
** expected, 0 when unknown. Called often (every row): the callback decides
** how often to show anything. */
typedef void (*fisc_progress_fn)(void *ud, const char *task, const char *detail,
				 int64_t done, int64_t total);

/* Install fn (NULL removes it). */
FISC_API void fisc_progress_set(fisc_progress_fn fn, void *ud);

/* Report progress to the installed hook, if any (used by the library and
** by callers that want their own steps shown the same way). */
FISC_API void fisc_progress_report(const char *task, const char *detail, int64_t done, int64_t total);

#ifdef __cplusplus
}
#endif
#endif
