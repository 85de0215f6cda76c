/*
** fisc/suggest.h — "did you mean": how far a mistyped name (北培区, gbp,
** reprot) is from each valid one, counted in Unicode code points so that one
** wrong Chinese character is one edit, not three bytes.
*/
#ifndef FISC_SUGGEST_H
#define FISC_SUGGEST_H

#include "export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Edit distance between two UTF-8 strings in code points: insertions,
** deletions, substitutions and transpositions of neighbours (gbp → gpb is
** one edit). ASCII letters compare without case. A byte that is not valid
** UTF-8 counts as one code point. */
FISC_API size_t fisc_suggest_distance(const char *a, const char *b);

/* The candidates close enough to `query` to be offered as "did you mean",
** closest first: their indices into cand[0..n) are written to out (at most
** max of them) and their count returned. Close enough: within about a third
** of the longer string's code points, or one contains the other (北碚 →
** 北碚区), or the query's code points (three or more) appear in order in the
** candidate (an abbreviation: 大连高新区创新 → 大连高新技术产业园区创新…). Ties keep the candidates' order. NULL or empty candidates are
** skipped. */
FISC_API size_t fisc_suggest(const char *query, const char *const *cand, size_t n, size_t *out,
		    size_t max);

#ifdef __cplusplus
}
#endif
#endif
