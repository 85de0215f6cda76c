/*
** error.c — the per-thread "last error" message behind fisc_error_message().
**
** Functions return a code; the message is kept here so that callers who want
** it can ask, and callers who do not pay nothing but a snprintf.
*/
#include <stdarg.h>
#include <stdio.h>
#include "fisc/error.h"

static _Thread_local char last_msg[1024];

const char *fisc_error_message(void) { return last_msg; }

void fisc_error_clear(void) { last_msg[0] = 0; }

int fisc_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof last_msg, fmt, ap);
	va_end(ap);
	return code;
}

const char *fisc_error_name(int code)
{
	switch (code) {
	case FISC_OK: return "OK";
	case FISC_ENOMEM: return "ENOMEM";
	case FISC_EINVAL: return "EINVAL";
	case FISC_ERANGE: return "ERANGE";
	case FISC_ENOTFOUND: return "ENOTFOUND";
	case FISC_EEXIST: return "EEXIST";
	case FISC_EIO: return "EIO";
	case FISC_ESTORE: return "ESTORE";
	case FISC_EIMPORT: return "EIMPORT";
	case FISC_EUNSUPPORTED: return "EUNSUPPORTED";
	case FISC_EUNIT: return "EUNIT";
	}
	return "EUNKNOWN";
}
