/*
** fold.c — full-width digits and punctuation to ASCII for number parsing;
** why not NFKC is explained in fold.h.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "model/fold.h"
#include "model/util.h"

static uint32_t decode(const unsigned char *s, size_t len)
{
	if (len == 1)
		return s[0];
	uint32_t cp = s[0] & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
	for (size_t i = 1; i < len; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	return cp;
}

char *fisc_fold_width(const char *s, size_t n)
{
	/* Folding only ever shortens the text. */
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	size_t w = 0;
	for (size_t i = 0; i < n;) {
		const unsigned char *p = (const unsigned char *)s + i;
		size_t len = fisc_utf8_len(p, n - i);
		if (!len) {
			free(out);
			return NULL;
		}
		uint32_t cp = decode(p, len);
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			out[w++] = (char)(cp - 0xFF01 + 0x21);
		else if (cp == 0x3000 || cp == 0x00A0)
			out[w++] = ' ';
		else if (cp == 0x2212)
			out[w++] = '-';
		else {
			memcpy(out + w, p, len);
			w += len;
		}
		i += len;
	}
	out[w] = 0;
	return out;
}
