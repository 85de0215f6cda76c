/*
** filebuf.h — an input file read whole into memory, safely against the file
** changing while it is read.
**
** Importers used to mmap their input; when another process truncates the file
** under the mapping, touching the lost pages raises SIGBUS and kills the
** process. A library cannot own the process's signal handlers, so instead the
** file is read with read(2) into memory and its size and modification time
** are compared before and after: a file that changed while it was read is
** reported as such ("文件在导入过程中被修改 / file changed during import")
** rather than imported half old, half new. Every importer of files reads
** through here: facts, indicators, workbooks and vouchers.
*/
#ifndef FISC_IMPORT_FILEBUF_H
#define FISC_IMPORT_FILEBUF_H

#include <stddef.h>
#include "fisc/import.h"

typedef struct fisc_filebuf {
	char *data; /* malloc'ed, NUL-terminated (data[len] == 0) */
	size_t len;
} fisc_filebuf;

/* Read `path` whole. FISC_OK, or FISC_EIMPORT with the reason added to
** `diag` as FISC_DIAG_IO (cannot read it, or it changed while read), or
** FISC_ENOMEM. Non-regular files (pipes, devices) are read to their end
** without the change check. */
int fisc_filebuf_read(const char *path, fisc_filebuf *fb, fisc_diag *diag);
void fisc_filebuf_free(fisc_filebuf *fb);

/* For tests only: when set, called with the open descriptor after the file
** was measured and before it is read, so that a test can change the file at
** exactly that moment. */
extern void (*fisc_filebuf_test_hook)(int fd, const char *path);

#endif
