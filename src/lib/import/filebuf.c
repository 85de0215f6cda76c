/*
** filebuf.c — read an input file into memory and notice when it changes
** while being read (see filebuf.h for why not mmap).
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fisc/error.h"
#include "import/filebuf.h"

void (*fisc_filebuf_test_hook)(int fd, const char *path);

static int io_error(fisc_diag *diag, const char *path, int err)
{
	char en[512];
	snprintf(en, sizeof en, "cannot read the file: %s", strerror(err));
	fisc_diag_add(diag, path, 0, NULL, NULL, FISC_DIAG_IO, "无法读取文件", en);
	return FISC_EIMPORT;
}

static int same_version(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

int fisc_filebuf_read(const char *path, fisc_filebuf *fb, fisc_diag *diag)
{
	fb->data = NULL;
	fb->len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat before, after;
	if (fd < 0 || fstat(fd, &before) != 0) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return io_error(diag, path, err);
	}
	int regular = S_ISREG(before.st_mode);
	if (fisc_filebuf_test_hook)
		fisc_filebuf_test_hook(fd, path);
	/* One byte more than the size, to see a file that grew without another
	** read call; pipes start small and grow. */
	size_t cap = regular ? (size_t)before.st_size + 1 : 1 << 16, n = 0;
	char *buf = malloc(cap + 1);
	int err = 0, oom = !buf;
	while (buf) {
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				oom = 1;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = errno;
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	int changed = regular && (fstat(fd, &after) != 0 || !same_version(&before, &after) ||
				  n != (size_t)before.st_size);
	close(fd);
	if (oom) {
		free(buf);
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	}
	if (err) {
		free(buf);
		return io_error(diag, path, err);
	}
	if (changed) {
		free(buf);
		char zh[1200], en[1200];
		snprintf(zh, sizeof zh, "文件在导入过程中被修改：%s（请等文件写完后重新导入）", path);
		snprintf(en, sizeof en,
			 "file changed during import: %s (import it again once it is complete)", path);
		fisc_diag_add(diag, path, 0, NULL, NULL, FISC_DIAG_IO, zh, en);
		return FISC_EIMPORT;
	}
	buf[n] = 0;
	fb->data = buf;
	fb->len = n;
	return FISC_OK;
}

void fisc_filebuf_free(fisc_filebuf *fb)
{
	free(fb->data);
	fb->data = NULL;
	fb->len = 0;
}
