/*
** money.c — parsing and printing amounts of money, exactly, in int64 fen.
**
** Reports write 401746, 401,746, 3658.95, 41.5593 亿元, -4.3, ４１．５５９３ and
** (4.3); spreadsheets add thousands separators and stray spaces. Every one of
** those becomes an integer number of fen plus the value of one unit of its
** last written digit, so that a later check knows the interval the writer
** meant. Overflow is an error, never a wrap; nothing here uses floating point.
*/
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/fold.h"
#include "model/util.h"
#include "fisc/error.h"
#include "fisc/money.h"

static const fisc_fen unit_fen[] = {100, 1000000, 10000000000LL};
static const int unit_maxdec[] = {2, 6, 10}; /* decimals a fen can hold */
static const char *const unit_names[] = {"元", "万元", "亿元"};

static fisc_fen pow10i(int n)
{
	fisc_fen p = 1;
	while (n-- > 0)
		p *= 10;
	return p;
}

fisc_fen fisc_unit_fen(fisc_unit u)
{
	assert(u >= FISC_UNIT_YUAN && u <= FISC_UNIT_YI);
	return unit_fen[u];
}

const char *fisc_unit_name(fisc_unit u)
{
	return u >= FISC_UNIT_YUAN && u <= FISC_UNIT_YI ? unit_names[u] : "";
}

static int eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

fisc_unit fisc_unit_parse(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (eq(s, n, "元") || eq(s, n, "yuan"))
		return FISC_UNIT_YUAN;
	if (eq(s, n, "万元") || eq(s, n, "万") || eq(s, n, "wan"))
		return FISC_UNIT_WAN;
	if (eq(s, n, "亿元") || eq(s, n, "亿") || eq(s, n, "yi"))
		return FISC_UNIT_YI;
	return FISC_UNIT_NONE;
}

/* Strip a unit word from the end of s[0..*n); return it or FISC_UNIT_NONE. */
static fisc_unit take_unit_suffix(const char *s, size_t *n)
{
	static const struct {
		const char *w;
		fisc_unit u;
	} words[] = {{"亿元", FISC_UNIT_YI}, {"万元", FISC_UNIT_WAN},
		     {"元", FISC_UNIT_YUAN},  {"亿", FISC_UNIT_YI},
		     {"万", FISC_UNIT_WAN}};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		size_t wl = strlen(words[i].w);
		if (*n >= wl && memcmp(s + *n - wl, words[i].w, wl) == 0) {
			*n -= wl;
			return words[i].u;
		}
	}
	return FISC_UNIT_NONE;
}

static _Thread_local const char *reason_zh = "", *reason_en = "";

void fisc_amount_last_reason(const char **zh, const char **en)
{
	*zh = reason_zh;
	*en = reason_en;
}

static int fail(int code, const char *zh, const char *en, const char *s, size_t n)
{
	int show = n > 60 ? 60 : (int)n;
	reason_zh = zh;
	reason_en = en;
	return fisc_error_set(code, "%s「%.*s」 / %s '%.*s'", zh, show, s, en, show, s);
}

static int bad(const char *zh, const char *en, const char *s, size_t n)
{
	return fail(FISC_EINVAL, zh, en, s, n);
}

/* A character that is not part of a number. Outside ASCII it is most often
** a digit look-alike (², ①, ⑴) that must not be read as a digit. */
static int not_a_digit(char c, const char *s, size_t n)
{
	if ((unsigned char)c >= 0x80)
		return bad("金额中有不是数字的字符（上标、带圈数字等不能当作数字）",
			   "amount holds a character that is not a digit (superscript and "
			   "circled digits are not digits)", s, n);
	return bad("无法解析金额", "cannot parse amount", s, n);
}

int fisc_amount_parse(const char *s0, size_t n0, fisc_unit default_unit,
		      fisc_amount *out)
{
	char *norm = NULL;
	const char *s = s0;
	size_t n = n0;
	int rc = FISC_OK;

	/* Full-width digits, points and signs are the same digits; superscript
	** and circled digits are not, so no NFKC here (see model/fold.h). */
	for (size_t i = 0; i < n0; i++) {
		if ((unsigned char)s0[i] >= 0x80) {
			norm = fisc_fold_width(s0, n0);
			if (!norm)
				return bad("金额不是有效的 UTF-8 文本",
					   "amount is not valid UTF-8", "", 0);
			s = norm;
			n = strlen(norm);
			break;
		}
	}

	while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		     s[n - 1] == '\n'))
		n--;

	fisc_unit unit = take_unit_suffix(s, &n);
	while (n && s[n - 1] == ' ')
		n--;
	if (unit == FISC_UNIT_NONE)
		unit = default_unit;

	int neg = 0;
	if (n >= 2 && s[0] == '(' && s[n - 1] == ')') {
		neg = 1;
		s++;
		n -= 2;
	}
	if (n && (s[0] == '-' || s[0] == '+')) {
		neg ^= s[0] == '-';
		s++;
		n--;
	}

	size_t i = 0, group = 0;
	int digits = 0, seen_comma = 0, decimals = 0;
	fisc_fen ip = 0, fp = 0;
	int overflow = 0;
	for (; i < n && s[i] != '.'; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9') {
			digits++;
			group++;
			if (__builtin_mul_overflow(ip, 10, &ip) ||
			    __builtin_add_overflow(ip, c - '0', &ip))
				overflow = 1;
		} else if (c == ',') {
			/* 401,746: the first group has 1–3 digits, the rest 3. */
			if (digits == 0 || (seen_comma ? group != 3 : group > 3)) {
				rc = bad("千位分隔符位置不对", "misplaced thousands separator", s0, n0);
				goto out;
			}
			seen_comma = 1;
			group = 0;
		} else {
			rc = not_a_digit(c, s0, n0);
			goto out;
		}
	}
	if (seen_comma && group != 3) {
		rc = bad("千位分隔符位置不对", "misplaced thousands separator", s0, n0);
		goto out;
	}
	if (i < n) { /* fractional part */
		for (i++; i < n; i++) {
			char c = s[i];
			if (c < '0' || c > '9') {
				rc = not_a_digit(c, s0, n0);
				goto out;
			}
			if (decimals < 18)
				fp = fp * 10 + (c - '0');
			decimals++;
		}
		if (decimals == 0) {
			rc = bad("小数点后没有数字", "no digits after the decimal point", s0, n0);
			goto out;
		}
	}
	if (digits == 0 && decimals == 0) {
		rc = bad("金额为空或没有数字", "amount has no digits", s0, n0);
		goto out;
	}
	if (unit == FISC_UNIT_NONE) {
		rc = fail(FISC_EUNIT, "金额缺少单位（元、万元或亿元）",
			  "amount has no unit (元, 万元 or 亿元)", s0, n0);
		goto out;
	}
	if (decimals > unit_maxdec[unit]) {
		rc = bad("小数位数超过分的精度", "more decimals than a fen can hold", s0, n0);
		goto out;
	}
	fisc_fen ulp = unit_fen[unit] / pow10i(decimals);
	fisc_fen v;
	if (overflow || __builtin_mul_overflow(ip, unit_fen[unit], &v) ||
	    __builtin_add_overflow(v, fp * ulp, &v)) {
		rc = fail(FISC_ERANGE, "金额超出范围", "amount out of range", s0, n0);
		goto out;
	}
	out->fen = neg ? -v : v;
	out->ulp = ulp;
	out->unit = (int8_t)unit;
	out->decimals = (int8_t)decimals;
out:
	free(norm);
	return rc;
}

fisc_amount fisc_amount_exact(fisc_fen fen, fisc_unit unit, int decimals)
{
	fisc_amount a = {fen, 1, (int8_t)unit, (int8_t)decimals};
	return a;
}

int fisc_unit_decimals_for(fisc_fen ulp, fisc_unit unit)
{
	int d = 0;
	while (d < unit_maxdec[unit] && ulp % (unit_fen[unit] / pow10i(d)) != 0)
		d++;
	return d;
}

int fisc_fen_add(fisc_fen a, fisc_fen b, fisc_fen *out)
{
	return __builtin_add_overflow(a, b, out)
		       ? fisc_error_set(FISC_ERANGE, "金额相加溢出 / sum overflows")
		       : FISC_OK;
}

int fisc_fen_sub(fisc_fen a, fisc_fen b, fisc_fen *out)
{
	return __builtin_sub_overflow(a, b, out)
		       ? fisc_error_set(FISC_ERANGE, "金额相减溢出 / difference overflows")
		       : FISC_OK;
}

/* Round n / d half away from zero (四舍五入); d > 0. */
static __int128 div_round(__int128 n, __int128 d)
{
	__int128 q = n / d, r = n % d;
	if (r < 0)
		r = -r;
	if (2 * r >= d)
		q += n < 0 ? -1 : 1;
	return q;
}

/* Write the digits of v (>= 0) with `dec` decimals and optional grouping. */
static int put_fixed(unsigned __int128 v, int dec, int neg, int flags,
		     char *buf, size_t cap)
{
	char tmp[96];
	int len = 0, ndig = 0;
	/* Digits are produced right to left. */
	do {
		if (ndig == dec && dec > 0)
			tmp[len++] = '.';
		if ((flags & FISC_FMT_GROUP) && ndig > dec &&
		    (ndig - dec) % 3 == 0)
			tmp[len++] = ',';
		tmp[len++] = (char)('0' + (int)(v % 10));
		v /= 10;
		ndig++;
	} while (v > 0 || ndig <= dec);
	if (neg)
		tmp[len++] = '-';
	else if (flags & FISC_FMT_PLUS)
		tmp[len++] = '+';
	if ((size_t)len + 1 > cap)
		return FISC_ERANGE;
	for (int i = 0; i < len; i++)
		buf[i] = tmp[len - 1 - i];
	buf[len] = 0;
	return len;
}

int fisc_fen_format(fisc_fen fen, fisc_unit unit, int decimals, int flags,
		    char *buf, size_t cap)
{
	assert(unit >= FISC_UNIT_YUAN && unit <= FISC_UNIT_YI);
	if (decimals < 0)
		decimals = 0;
	if (decimals > 18)
		decimals = 18;
	int d = decimals < unit_maxdec[unit] ? decimals : unit_maxdec[unit];
	__int128 q = div_round(fen, unit_fen[unit] / pow10i(d));
	/* Decimals beyond a fen are zeros. */
	for (int k = d; k < decimals; k++)
		q *= 10;
	int neg = q < 0;
	unsigned __int128 mag = neg ? (unsigned __int128)(-q) : (unsigned __int128)q;
	int len = put_fixed(mag, decimals, neg, flags, buf, cap);
	if (len < 0)
		return len;
	if (flags & FISC_FMT_UNIT) {
		const char *u = unit_names[unit];
		if ((size_t)len + strlen(u) + 1 > cap)
			return FISC_ERANGE;
		strcpy(buf + len, u);
		len += (int)strlen(u);
	}
	return len;
}

int fisc_amount_format(const fisc_amount *a, int flags, char *buf, size_t cap)
{
	return fisc_fen_format(a->fen, (fisc_unit)a->unit, a->decimals, flags,
			       buf, cap);
}

int fisc_percent_format(fisc_fen num, fisc_fen den, int decimals, char *buf,
			size_t cap)
{
	if (den == 0)
		return fisc_error_set(FISC_EINVAL, "除数为零 / division by zero");
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	__int128 n = (__int128)num * 100 * pow10i(decimals);
	__int128 d = den;
	if (d < 0) {
		n = -n;
		d = -d;
	}
	__int128 q = div_round(n, d);
	int neg = q < 0;
	unsigned __int128 mag = neg ? (unsigned __int128)(-q) : (unsigned __int128)q;
	return put_fixed(mag, decimals, neg, 0, buf, cap);
}
