/*
** textenc.h — what encoding a CSV file is in, and turning it into UTF-8.
**
** Excel on Chinese Windows saves "CSV" in GB18030 (GBK) by default, and
** "Unicode text" in UTF-16 with a byte-order mark. Rejecting such a file
** line by line as "not UTF-8" helps no one; it is converted with iconv and
** the conversion is noted once. A file that is neither is refused once,
** naming the problem, not line by line.
*/
#ifndef FISC_IMPORT_TEXTENC_H
#define FISC_IMPORT_TEXTENC_H

#include <stddef.h>
#include "fisc/import.h"

/* Make buf[0..len) UTF-8. Text that is UTF-8 already, or mostly UTF-8 with
** a few bad bytes (left for the CSV reader to report line by line), is left
** alone: *out and *from are NULL. UTF-16 with a BOM and GB18030 are
** converted into *out (malloc'ed, NUL-terminated, *outlen bytes) and *from
** names the encoding. Anything else: FISC_EIMPORT with one
** FISC_DIAG_BAD_UTF8 entry for the file. FISC_ENOMEM when memory runs out. */
int fisc_text_to_utf8(const char *file, const char *buf, size_t len, char **out,
		      size_t *outlen, const char **from, fisc_diag *diag);

#endif
