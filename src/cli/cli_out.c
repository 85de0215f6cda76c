/*
** cli_out.c — where the tool's output goes: files named by -o and stdout are
** closed through one helper that notices a failed write (a full disk,
** /dev/full, a closed pipe), so that no command exits 0 after losing output;
** and the progress line shown on stderr when stderr is a terminal.
**
** A regular file named by -o is written under a temporary name beside it
** and renamed into place once complete: a failed or interrupted report
** leaves the previous file (or none), never a truncated one.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

/* Outputs are written through a cookie stream (glibc fopencookie) that keeps
** the errno of the first failed write: by the time the output is closed,
** errno has long been overwritten, and the message must say why it failed.
** stdout itself is replaced by such a stream at start-up (glibc lets stdout
** be assigned), so that the library's writers to stdout are covered too. */
typedef struct sink {
	int fd, err;
	FILE *f;
	char *tmp, *dst; /* a file written under tmp, renamed to dst at close */
} sink;

static sink sinks[8];

static ssize_t sink_write(void *c, const char *buf, size_t n)
{
	sink *s = c;
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(s->fd, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!s->err)
				s->err = w < 0 ? errno : EIO;
			errno = s->err;
			return done ? (ssize_t)done : 0;
		}
		done += (size_t)w;
	}
	return (ssize_t)done;
}

static int sink_close(void *c)
{
	sink *s = c;
	int rc = 0;
	if (s->fd > STDERR_FILENO && close(s->fd) != 0) {
		if (!s->err)
			s->err = errno;
		rc = -1;
	}
	s->f = NULL;
	return rc;
}

static FILE *sink_open(int fd)
{
	for (size_t i = 0; i < sizeof sinks / sizeof *sinks; i++) {
		if (sinks[i].f)
			continue;
		sinks[i] = (sink){fd, 0, NULL, NULL, NULL};
		cookie_io_functions_t io = {NULL, sink_write, NULL, sink_close};
		sinks[i].f = fopencookie(&sinks[i], "w", io);
		return sinks[i].f;
	}
	errno = EMFILE;
	return NULL;
}

static sink *sink_of(FILE *f)
{
	for (size_t i = 0; i < sizeof sinks / sizeof *sinks; i++)
		if (sinks[i].f && sinks[i].f == f)
			return &sinks[i];
	return NULL;
}

void cli_stdout_init(void)
{
	FILE *f = sink_open(STDOUT_FILENO);
	if (f) {
		/* line buffering on a terminal, as before; blocks otherwise */
		setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
		stdout = f;
	}
}

FILE *cli_open_output(const char *path)
{
	struct stat sb;
	char *tmp = NULL;
	int fd;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		/* a device or a pipe (/dev/stdout, a FIFO) is written in place */
		fd = open(path, O_WRONLY | O_CLOEXEC);
	} else if (!(tmp = malloc(strlen(path) + 16))) {
		fd = -1;
	} else {
		sprintf(tmp, "%s.tmp-XXXXXX", path);
		fd = mkstemp(tmp);
		if (fd >= 0) {
			mode_t um = umask(0);
			umask(um);
			fchmod(fd, 0666 & ~um); /* as a plain create would */
		}
	}
	int err = errno;
	FILE *f = fd >= 0 ? sink_open(fd) : NULL;
	if (!f) {
		if (fd >= 0) {
			err = errno;
			close(fd);
			unlink(tmp);
		}
		fprintf(stderr, "fisc: 无法写入 / cannot write: %s: %s\n", path, strerror(err));
		free(tmp);
		return NULL;
	}
	sink *s = sink_of(f);
	s->tmp = tmp;
	s->dst = tmp ? strdup(path) : NULL;
	if (tmp && !s->dst) {
		cli_discard_output(f);
		fprintf(stderr, "fisc: 无法写入 / cannot write: %s: %s\n", path, strerror(ENOMEM));
		return NULL;
	}
	return f;
}

/* Forget a temporary file: unlinked when the output failed. */
static void sink_finish(char *tmp, char *dst, int keep)
{
	if (tmp && !keep)
		unlink(tmp);
	free(tmp);
	free(dst);
}

void cli_discard_output(FILE *f)
{
	sink *s = sink_of(f);
	char *tmp = s ? s->tmp : NULL, *dst = s ? s->dst : NULL;
	if (f != stdout && f != stderr)
		fclose(f);
	sink_finish(tmp, dst, 0);
}

int cli_write_failed(FILE *f)
{
	sink *s = sink_of(f);
	return ferror(f) || (s && s->err);
}

int cli_close_output(FILE *f, const char *path)
{
	sink *s = sink_of(f);
	errno = 0;
	int bad = fflush(f) != 0;
	int err = s && s->err ? s->err : errno;
	bad |= ferror(f) != 0 || (s && s->err);
	if (f != stdout && f != stderr) {
		char *tmp = s ? s->tmp : NULL, *dst = s ? s->dst : NULL;
		errno = 0;
		int closed = fclose(f) == 0; /* releases s; its fields stay readable */
		if (!closed) {
			bad = 1;
			if (!err)
				err = s && s->err ? s->err : errno;
		}
		if (!bad && tmp && rename(tmp, dst) != 0) {
			bad = 1;
			err = errno;
		}
		sink_finish(tmp, dst, !bad);
	} else {
		clearerr(f); /* reported once, here */
		if (s)
			s->err = 0;
	}
	if (!bad)
		return CLI_OK;
	fprintf(stderr, "fisc: 写入失败 / write failed: %s: %s\n",
		path ? path : "标准输出 / stdout", strerror(err ? err : EIO));
	return CLI_FAIL;
}

/* --- progress ------------------------------------------------------------ */

/* The line is drawn at the first report (so that even a short run shows what
** it does) and then at most ten times a second; clock reads are cheap
** (vDSO), the writes to the terminal are what must be limited. */
typedef struct progress {
	int shown;
	struct timespec last;
} progress;

static progress prog;

static void draw(void *ud, const char *task, const char *detail, int64_t done, int64_t total)
{
	progress *p = ud;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (now.tv_sec - p->last.tv_sec) * 1000 + (now.tv_nsec - p->last.tv_nsec) / 1000000;
	if (p->shown && ms < 100)
		return;
	p->last = now;
	p->shown = 1;
	if (total > 0)
		fprintf(stderr, "\r%s %s%s%d%%\033[K", task, detail ? detail : "", detail ? " " : "",
			(int)(done * 100 / total));
	else
		fprintf(stderr, "\r%s %s%s%lld\033[K", task, detail ? detail : "", detail ? " " : "",
			(long long)done);
	fflush(stderr);
}

void cli_progress_start(void)
{
	memset(&prog, 0, sizeof prog);
	if (isatty(STDERR_FILENO))
		fisc_progress_set(draw, &prog);
}

void cli_progress_end(void)
{
	fisc_progress_set(NULL, NULL);
	if (prog.shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	prog.shown = 0;
}

int cli_write_doc(const fisc_doc *d, const char *format, const char *output)
{
	/* xlsx and csv are written by the renderer to the path itself. */
	int files = !strcmp(format, "xlsx") || !strcmp(format, "csv");
	FILE *out = stdout;
	if (output && !files && !(out = cli_open_output(output)))
		return CLI_USAGE;
	int rc = fisc_doc_write(d, format, files ? output : NULL, out);
	int failed = cli_write_failed(out);
	if (out != stdout) {
		if (rc != FISC_OK && !failed) {
			cli_discard_output(out);
		} else {
			int wrc = cli_close_output(out, output);
			if (rc == FISC_OK)
				return wrc;
		}
	}
	if (rc == FISC_OK)
		return CLI_OK;
	if (failed)
		return CLI_FAIL;
	cli_error(rc);
	return rc == FISC_EINVAL || rc == FISC_EUNSUPPORTED ? CLI_USAGE : CLI_FAIL;
}
