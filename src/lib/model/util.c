/*
** util.c — small helpers every stage needs: reading a whole file, growing an
** array, validating and normalising UTF-8, syncing a directory.
*/
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <limits.h>
#include <unistd.h>
#include <utf8proc.h>
#include <pthread.h>
#include <libxml/parser.h>
#include "model/util.h"

char *fisc_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (n + 1 < cap) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
				errno = EIO;
			}
			break;
		}
		char *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			errno = ENOMEM;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	fclose(f);
	if (buf) {
		buf[n] = 0;
		*len = n;
	}
	return buf;
}

int fisc_grow(void *pptr, size_t *cap, size_t need, size_t elem)
{
	void **p = pptr;
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	void *v = realloc(*p, n * elem);
	if (!v)
		return -1;
	*p = v;
	*cap = n;
	return 0;
}

size_t fisc_utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, cp = c & 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, cp = c & 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

int fisc_utf8_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t l = fisc_utf8_len((const unsigned char *)s + i, n - i);
		if (!l)
			return 0;
		i += l;
	}
	return 1;
}

char *fisc_nfkc(const char *s, size_t n)
{
	char *tmp = malloc(n + 1);
	if (!tmp)
		return NULL;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	char *r = (char *)utf8proc_NFKC((const utf8proc_uint8_t *)tmp);
	free(tmp);
	return r;
}

enum { HUGE_PAGE = 2 << 20 };

void *fisc_big_alloc(size_t bytes)
{
	/* Over-map by one huge page and trim, so the region starts on a 2 MB
	** boundary (anonymous memory arrives zeroed). */
	uint8_t *p = mmap(NULL, bytes + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	size_t lead = (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
	if (lead)
		munmap(p, lead);
	if (HUGE_PAGE - lead)
		munmap(p + lead + bytes, HUGE_PAGE - lead);
	p += lead;
#ifdef MADV_HUGEPAGE
	madvise(p, bytes, MADV_HUGEPAGE); /* a hint: without it, 4 KB pages */
#endif
	return p;
}

void fisc_big_free(void *p, size_t bytes)
{
	if (p)
		munmap(p, bytes);
}

void fisc_sync_parent_dir(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = 0; /* "/x" keeps "/" */
	int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
}

/* xmlInitParser is not reentrant: libxml2 initialises itself on first use,
** and two threads doing so at once (two workers of `report --all-regions`
** writing DOCX, or two requests of `fisc serve`) set up its encoding
** handlers twice, leaking one set (LeakSanitizer caught it in one run of
** test_all_regions.sh in about 25). Its documentation asks for one call
** before threads use it. */
void fisc_xml_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, xmlInitParser);
}
