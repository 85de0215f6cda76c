/*
** textenc.c — recognise GB18030 and UTF-16 CSV files and convert them to
** UTF-8 with iconv (see textenc.h).
**
** How GB18030 is told from UTF-8 with a few broken bytes: in GB18030 text
** nearly every Chinese character is an invalid UTF-8 sequence, while a few
** byte pairs happen to be valid UTF-8 (预 is D4 A4, a valid two-byte form).
** In UTF-8 text with a damaged byte it is the other way round. So a file
** with more invalid positions than valid multi-byte sequences is tried as
** GB18030; otherwise its bad lines are reported where they are.
*/
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fisc/error.h"
#include "import/textenc.h"
#include "model/util.h"

/* In `to`, the whole of in[0..n) converted from `enc`; 0, -1 when it is not
** valid in `enc`, -2 when memory runs out. */
static int convert(const char *enc, const char *in, size_t n, char **to, size_t *tolen)
{
	iconv_t cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1)
		return -1;
	size_t cap = 2 * n + 16;
	char *out = malloc(cap + 1);
	char *ip = (char *)in, *op = out;
	size_t il = n, ol = cap;
	int rc = out ? 0 : -2;
	while (rc == 0 && il > 0) {
		if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
			break;
		if (errno != E2BIG) {
			rc = -1; /* EILSEQ, or EINVAL: a sequence cut at the end */
			break;
		}
		size_t used = (size_t)(op - out);
		char *nb = realloc(out, 2 * cap + 1);
		if (!nb) {
			rc = -2;
			break;
		}
		out = nb;
		cap *= 2;
		op = out + used;
		ol = cap - used;
	}
	iconv_close(cd);
	if (rc) {
		free(out);
		return rc;
	}
	*tolen = (size_t)(op - out);
	out[*tolen] = 0;
	*to = out;
	return 0;
}

int fisc_text_to_utf8(const char *file, const char *buf, size_t len, char **out,
		      size_t *outlen, const char **from, fisc_diag *diag)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t n = len;
	*from = NULL;
	*out = NULL;
	if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		int r = convert("UTF-16", buf, len, out, outlen);
		if (r == -2)
			return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
		if (r) {
			fisc_diag_add(diag, file, 0, NULL, NULL, FISC_DIAG_BAD_UTF8,
				      "文件以 UTF-16 字节序标记开头，但内容不是有效的 UTF-16（请另存为 UTF-8）",
				      "the file begins with a UTF-16 byte-order mark but is not valid "
				      "UTF-16 (save it as UTF-8)");
			return FISC_EIMPORT;
		}
		*from = "UTF-16";
		return FISC_OK;
	}
	size_t valid_multi = 0, invalid = 0;
	long line = 1, first_bad_line = 0;
	for (size_t i = 0; i < n;) {
		size_t l = fisc_utf8_len(s + i, n - i);
		if (!l) {
			if (!invalid++)
				first_bad_line = line;
			i++;
			continue;
		}
		if (l > 1)
			valid_multi++;
		else if (s[i] == '\n')
			line++;
		i += l;
	}
	if (!invalid || valid_multi > invalid)
		return FISC_OK;
	int r = convert("GB18030", buf, len, out, outlen);
	if (r == -2)
		return fisc_error_set(FISC_ENOMEM, "内存不足 / out of memory");
	if (r == 0) {
		*from = "GB18030";
		return FISC_OK;
	}
	fisc_diag_add(diag, file, first_bad_line, NULL, NULL, FISC_DIAG_BAD_UTF8,
		      "文件既不是 UTF-8 也不是 GB18030（GBK）编码，从本行起无法解码（请另存为 UTF-8）",
		      "the file is neither UTF-8 nor GB18030 (GBK); it cannot be decoded from this "
		      "line on (save it as UTF-8)");
	return FISC_EIMPORT;
}
