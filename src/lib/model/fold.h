/*
** fold.h — the one narrow normalisation numbers get before they are read.
**
** Chinese spreadsheets and reports write digits in full width (４１．５５９３)
** and pad with the ideographic space; those are the same digits. NFKC would
** fold them, but it also turns superscripts and circled numbers into digits
** (100² → 1002, ① → 1), which silently changes a value. So numbers are folded
** by this function instead, which touches nothing but the full-width forms of
** ASCII, the ideographic and no-break spaces and the minus sign.
*/
#ifndef FISC_FOLD_H
#define FISC_FOLD_H

#include <stddef.h>

/* s[0..n) with U+FF01–U+FF5E mapped to ASCII 0x21–0x7E, U+3000 and U+00A0 to
** ' ' and U+2212 to '-'; every other character unchanged. malloc'ed and
** NUL-terminated; NULL when s is not valid UTF-8 or memory runs out. */
char *fisc_fold_width(const char *s, size_t n);

#endif
