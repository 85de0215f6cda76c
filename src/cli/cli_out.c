/*
** cli_out.c — where the tool's output goes: files named by -o and stdout are
** closed through one helper that notices a failed write (a full disk,
** /dev/full, a closed pipe), so that no command exits 0 after losing output;
** and the progress line shown on stderr when stderr is a terminal.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

FILE *cli_open_output(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "fisc: 无法写入 / cannot write: %s: %s\n", path, strerror(errno));
	return f;
}

int cli_close_output(FILE *f, const char *path)
{
	/* A write error sets the stream's error flag and errno; the flush of
	** what is still buffered may fail by itself (ENOSPC on /dev/full). */
	errno = 0;
	int bad = fflush(f) != 0;
	int err = errno;
	bad |= ferror(f) != 0;
	if (f != stdout && f != stderr) {
		errno = 0;
		if (fclose(f) != 0) {
			bad = 1;
			if (!err)
				err = errno;
		}
	} else {
		clearerr(f); /* reported once, here */
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
		fprintf(stderr, "\r%s %s%s%lld/%lld\033[K", task, detail ? detail : "",
			detail ? " " : "", (long long)done, (long long)total);
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
