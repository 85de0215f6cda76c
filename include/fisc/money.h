/*
** fisc/money.h — amounts of money: int64 fen, parsed and printed exactly.
**
** An amount is an integer number of fen (0.01 元). A figure taken from a
** published document also remembers how it was written: its unit (元, 万元,
** 亿元), how many decimals were written and therefore the value of one unit of
** its last written digit ("ulp"). "41.5593 亿元" is 415593000000 fen with an
** ulp of 1000000 fen; the true value lies in [fen - ulp/2, fen + ulp/2].
** No floating point is used anywhere.
*/
#ifndef FISC_MONEY_H
#define FISC_MONEY_H

#include "export.h"
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int64_t fisc_fen;

typedef enum fisc_unit {
	FISC_UNIT_NONE = -1, /* "no unit given" when parsing */
	FISC_UNIT_YUAN = 0,  /* 元    = 100 fen */
	FISC_UNIT_WAN = 1,   /* 万元  = 1,000,000 fen */
	FISC_UNIT_YI = 2     /* 亿元  = 10,000,000,000 fen */
} fisc_unit;

typedef struct fisc_amount {
	fisc_fen fen;     /* the value */
	fisc_fen ulp;     /* one unit of the last written digit, in fen (>= 1) */
	int8_t unit;      /* fisc_unit the figure was written in */
	int8_t decimals;  /* decimals written (0..10) */
} fisc_amount;

/* Fen in one of a unit (100, 1000000, 10000000000). */
FISC_API fisc_fen fisc_unit_fen(fisc_unit u);

/* "元", "万元", "亿元". */
FISC_API const char *fisc_unit_name(fisc_unit u);

/* Parse "万元"/"亿元"/"元" (also "万"/"亿", "yuan"/"wan"/"yi"); -1 if unknown. */
FISC_API fisc_unit fisc_unit_parse(const char *s, size_t n);

/*
** Parse an amount as written in a report or spreadsheet cell:
**   "401746", "401,746", "3658.95", "-4.3", "－４．３", "１２３", "+7",
**   "41.5593亿元", "2.29 元", "(4.3)" (accounting negative).
** Full-width digits, signs and points are folded to ASCII (not NFKC: a
** superscript or circled digit is an error, never a digit). A unit suffix in
** the text wins over `default_unit`; when neither is present the result is
** FISC_EUNIT. Thousands separators must group by three.
** More decimals than a fen can hold, or a value beyond int64 fen, is an
** error (FISC_EINVAL / FISC_ERANGE); the value never wraps.
** On error the message explains why, in Chinese and English.
*/
FISC_API int fisc_amount_parse(const char *s, size_t n, fisc_unit default_unit,
		      fisc_amount *out);

/* Why the last fisc_amount_parse on this thread failed, without the text:
** static strings, e.g. "无法解析金额" / "cannot parse amount". */
FISC_API void fisc_amount_last_reason(const char **zh, const char **en);

/* An exact amount (ulp 1 fen) in the given unit's written form. */
FISC_API fisc_amount fisc_amount_exact(fisc_fen fen, fisc_unit unit, int decimals);

/* Flags for fisc_fen_format. */
enum {
	FISC_FMT_GROUP = 1,     /* thousands separators: 401,746 */
	FISC_FMT_UNIT = 2,      /* append the unit name: 401746万元 */
	FISC_FMT_PLUS = 4       /* write "+" before positive values */
};

/*
** Print `fen` in `unit` with exactly `decimals` decimals, rounding half away
** from zero (四舍五入). Writes a NUL-terminated string into buf (size cap) and
** returns its length, or FISC_ERANGE when buf is too small. 64 bytes always
** suffice.
*/
FISC_API int fisc_fen_format(fisc_fen fen, fisc_unit unit, int decimals, int flags,
		    char *buf, size_t cap);

/* Print an amount the way it was written (its own unit and decimals). */
FISC_API int fisc_amount_format(const fisc_amount *a, int flags, char *buf, size_t cap);

/* Smallest number of decimals in `unit` that shows an amount of this ulp
** exactly (an ulp of 1 fen in 万元 needs 6). */
FISC_API int fisc_unit_decimals_for(fisc_fen ulp, fisc_unit unit);

/* Checked arithmetic: FISC_OK or FISC_ERANGE. */
FISC_API int fisc_fen_add(fisc_fen a, fisc_fen b, fisc_fen *out);
FISC_API int fisc_fen_sub(fisc_fen a, fisc_fen b, fisc_fen *out);

/*
** num / den as a percentage with `decimals` decimals, rounded half away from
** zero, written into buf ("100.4", "-32.3"); integer arithmetic throughout.
** den == 0 is FISC_EINVAL.
*/
FISC_API int fisc_percent_format(fisc_fen num, fisc_fen den, int decimals, char *buf,
			size_t cap);

#ifdef __cplusplus
}
#endif
#endif
