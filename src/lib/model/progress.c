/*
** progress.c — the process-wide progress hook of fisc/progress.h.
*/
#include <stddef.h>
#include "fisc/progress.h"

static fisc_progress_fn hook;
static void *hook_ud;

void fisc_progress_set(fisc_progress_fn fn, void *ud)
{
	hook = fn;
	hook_ud = ud;
}

void fisc_progress_report(const char *task, const char *detail, int64_t done, int64_t total)
{
	if (hook)
		hook(hook_ud, task, detail, done, total);
}
