/*
** test_money.c — amounts of money (src/lib/model/money.c): parsing every
** written form found in reports into exact int64 fen with the unit, decimals
** and ulp it was written with; printing with grouping, units and 四舍五入
** rounding; percentages in integer arithmetic; overflow as an error, never a
** wrap.
*/
#include "testutil.h"

#include "fisc/error.h"
#include "fisc/money.h"

/* ---- helpers that report the caller's line ---------------------------- */

static void parse_ok_at(const char *s, fisc_unit def, fisc_fen fen,
			fisc_fen ulp, int unit, int dec, const char *file,
			int line)
{
	fisc_amount a = {0, 0, 0, 0};
	int rc = fisc_amount_parse(s, strlen(s), def, &a);
	if (rc != FISC_OK)
		print_error("parse of '%s' failed: %s\n", s, fisc_error_message());
	_assert_int_equal((uintmax_t)rc, (uintmax_t)FISC_OK, file, line);
	_assert_int_equal((uintmax_t)a.fen, (uintmax_t)fen, file, line);
	_assert_int_equal((uintmax_t)a.ulp, (uintmax_t)ulp, file, line);
	_assert_int_equal((uintmax_t)a.unit, (uintmax_t)unit, file, line);
	_assert_int_equal((uintmax_t)a.decimals, (uintmax_t)dec, file, line);
}
#define PARSE_OK(s, def, fen, ulp, unit, dec) \
	parse_ok_at(s, def, fen, ulp, unit, dec, __FILE__, __LINE__)

/* Parse must fail with `code`; when `needle` is given the message holds it. */
static void parse_err_at(const char *s, size_t n, fisc_unit def, int code,
			 const char *needle, const char *file, int line)
{
	fisc_amount a = {0, 0, 0, 0};
	fisc_error_clear();
	int rc = fisc_amount_parse(s, n, def, &a);
	if (rc != code)
		print_error("parse of '%.*s': rc %d (%s), fen %lld\n", (int)n, s,
			    rc, fisc_error_message(), (long long)a.fen);
	_assert_int_equal((uintmax_t)rc, (uintmax_t)code, file, line);
	/* Every failure explains itself. */
	_assert_true(fisc_error_message()[0] != 0, "message", file, line);
	if (needle && !strstr(fisc_error_message(), needle)) {
		print_error("message '%s' lacks '%s'\n", fisc_error_message(), needle);
		_fail(file, line);
	}
}
#define PARSE_ERR(s, def, code, needle) \
	parse_err_at(s, strlen(s), def, code, needle, __FILE__, __LINE__)

static void fmt_at(fisc_fen fen, fisc_unit unit, int dec, int flags,
		   const char *want, const char *file, int line)
{
	char buf[64];
	memset(buf, 'X', sizeof buf);
	int n = fisc_fen_format(fen, unit, dec, flags, buf, sizeof buf);
	_assert_true(n >= 0, "fisc_fen_format >= 0", file, line);
	_assert_string_equal(buf, want, file, line);
	_assert_int_equal((uintmax_t)n, (uintmax_t)strlen(want), file, line);
}
#define FMT(fen, unit, dec, flags, want) \
	fmt_at(fen, unit, dec, flags, want, __FILE__, __LINE__)

static void pct_at(fisc_fen num, fisc_fen den, int dec, const char *want,
		   const char *file, int line)
{
	char buf[64];
	int n = fisc_percent_format(num, den, dec, buf, sizeof buf);
	_assert_true(n >= 0, "fisc_percent_format >= 0", file, line);
	_assert_string_equal(buf, want, file, line);
	_assert_int_equal((uintmax_t)n, (uintmax_t)strlen(want), file, line);
}
#define PCT(num, den, dec, want) pct_at(num, den, dec, want, __FILE__, __LINE__)

/* ---- parsing ----------------------------------------------------------- */

static void parse_plain(void **state)
{
	PARSE_OK("401746", FISC_UNIT_WAN, 401746000000LL, 1000000, FISC_UNIT_WAN, 0);
	PARSE_OK("401,746", FISC_UNIT_WAN, 401746000000LL, 1000000, FISC_UNIT_WAN, 0);
	PARSE_OK("3658.95", FISC_UNIT_WAN, 3658950000LL, 10000, FISC_UNIT_WAN, 2);
	PARSE_OK("0", FISC_UNIT_WAN, 0, 1000000, FISC_UNIT_WAN, 0);
	PARSE_OK("1,234,567.89", FISC_UNIT_YUAN, 123456789LL, 1, FISC_UNIT_YUAN, 2);
	PARSE_OK("12", FISC_UNIT_YUAN, 1200, 100, FISC_UNIT_YUAN, 0);
	PARSE_OK("1.5", FISC_UNIT_YUAN, 150, 10, FISC_UNIT_YUAN, 1);
	PARSE_OK("0.0001", FISC_UNIT_YI, 1000000LL, 1000000, FISC_UNIT_YI, 4);
	PARSE_OK("0.0000000001", FISC_UNIT_YI, 1, 1, FISC_UNIT_YI, 10);
	PARSE_OK("0.000001", FISC_UNIT_WAN, 1, 1, FISC_UNIT_WAN, 6);
	/* Trailing zeros are written digits: they narrow the interval. */
	PARSE_OK("2.50", FISC_UNIT_YI, 25000000000LL, 100000000, FISC_UNIT_YI, 2);
}

static void parse_unit_suffix(void **state)
{
	/* A unit in the text wins over the default. */
	PARSE_OK("41.5593亿元", FISC_UNIT_WAN, 415593000000LL, 1000000, FISC_UNIT_YI, 4);
	PARSE_OK("41.5593 亿元", FISC_UNIT_YUAN, 415593000000LL, 1000000, FISC_UNIT_YI, 4);
	PARSE_OK("41.5593亿", FISC_UNIT_NONE, 415593000000LL, 1000000, FISC_UNIT_YI, 4);
	PARSE_OK("3658.95万元", FISC_UNIT_YI, 3658950000LL, 10000, FISC_UNIT_WAN, 2);
	PARSE_OK("7万", FISC_UNIT_NONE, 7000000, 1000000, FISC_UNIT_WAN, 0);
	PARSE_OK("2.29 元", FISC_UNIT_WAN, 229, 1, FISC_UNIT_YUAN, 2);
	PARSE_OK("2.29元", FISC_UNIT_YI, 229, 1, FISC_UNIT_YUAN, 2);
	/* Default unit used only when the text has none. */
	PARSE_OK("2.29", FISC_UNIT_YI, 22900000000LL, 100000000, FISC_UNIT_YI, 2);
}

static void parse_signs(void **state)
{
	PARSE_OK("-4.3", FISC_UNIT_YI, -43000000000LL, 1000000000, FISC_UNIT_YI, 1);
	PARSE_OK("(4.3)", FISC_UNIT_YI, -43000000000LL, 1000000000, FISC_UNIT_YI, 1);
	PARSE_OK("(4.3)亿元", FISC_UNIT_WAN, -43000000000LL, 1000000000, FISC_UNIT_YI, 1);
	PARSE_OK("+7", FISC_UNIT_WAN, 7000000, 1000000, FISC_UNIT_WAN, 0);
	PARSE_OK("-401,746", FISC_UNIT_WAN, -401746000000LL, 1000000, FISC_UNIT_WAN, 0);
	PARSE_OK("-0.01", FISC_UNIT_YUAN, -1, 1, FISC_UNIT_YUAN, 2);
}

static void parse_fullwidth(void **state)
{
	PARSE_OK("４１．５５９３", FISC_UNIT_YI, 415593000000LL, 1000000, FISC_UNIT_YI, 4);
	PARSE_OK("－４．３", FISC_UNIT_YI, -43000000000LL, 1000000000, FISC_UNIT_YI, 1);
	PARSE_OK("１２３，４５６", FISC_UNIT_WAN, 123456000000LL, 1000000, FISC_UNIT_WAN, 0);
	PARSE_OK("＋７", FISC_UNIT_WAN, 7000000, 1000000, FISC_UNIT_WAN, 0);
	PARSE_OK("（４．３）", FISC_UNIT_YI, -43000000000LL, 1000000000, FISC_UNIT_YI, 1);
	PARSE_OK("４１．５５９３亿元", FISC_UNIT_WAN, 415593000000LL, 1000000, FISC_UNIT_YI, 4);
	/* U+2212 MINUS SIGN is not a compatibility character but means minus. */
	PARSE_OK("\xE2\x88\x92" "4.3", FISC_UNIT_YI, -43000000000LL, 1000000000,
		 FISC_UNIT_YI, 1);
	PARSE_OK("\xE2\x88\x92" "4.3亿元", FISC_UNIT_WAN, -43000000000LL, 1000000000,
		 FISC_UNIT_YI, 1);
	/* Ideographic space around the figure. */
	PARSE_OK("\xE3\x80\x80" "12" "\xE3\x80\x80", FISC_UNIT_WAN, 12000000, 1000000,
		 FISC_UNIT_WAN, 0);
}

static void parse_spaces(void **state)
{
	PARSE_OK("  401746  ", FISC_UNIT_WAN, 401746000000LL, 1000000, FISC_UNIT_WAN, 0);
	PARSE_OK("\t3658.95\t", FISC_UNIT_WAN, 3658950000LL, 10000, FISC_UNIT_WAN, 2);
	PARSE_OK(" 2.29 元 ", FISC_UNIT_WAN, 229, 1, FISC_UNIT_YUAN, 2);
	PARSE_OK("401746\r\n", FISC_UNIT_WAN, 401746000000LL, 1000000, FISC_UNIT_WAN, 0);
}

static void parse_uses_length(void **state)
{
	/* n, not the NUL, ends the text. */
	fisc_amount a;
	assert_int_equal(fisc_amount_parse("401746999", 6, FISC_UNIT_WAN, &a), FISC_OK);
	assert_int_equal(a.fen, 401746000000LL);
	assert_int_equal(fisc_amount_parse("４１９", 3, FISC_UNIT_WAN, &a), FISC_OK);
	assert_int_equal(a.fen, 4000000);
}

static void parse_errors(void **state)
{
	PARSE_ERR("", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("   ", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("abc", FISC_UNIT_WAN, FISC_EINVAL, "abc");
	PARSE_ERR("-", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("()", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("万元", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("1,23", FISC_UNIT_WAN, FISC_EINVAL, "thousands separator");
	PARSE_ERR("12,3456", FISC_UNIT_WAN, FISC_EINVAL, "thousands separator");
	PARSE_ERR("1234,567", FISC_UNIT_WAN, FISC_EINVAL, "thousands separator");
	PARSE_ERR(",123", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("1,,234", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("1,234,56", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("1.2.3", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("1.", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("1.2,345", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("12a", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("1 234", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("--4", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	PARSE_ERR("4.3-", FISC_UNIT_WAN, FISC_EINVAL, NULL);
	/* More decimals than a fen can hold, in each unit. */
	PARSE_ERR("1.234元", FISC_UNIT_WAN, FISC_EINVAL, "decimals");
	PARSE_ERR("1.234", FISC_UNIT_YUAN, FISC_EINVAL, "decimals");
	PARSE_ERR("1.0000001", FISC_UNIT_WAN, FISC_EINVAL, "decimals");
	PARSE_ERR("1.00000000001", FISC_UNIT_YI, FISC_EINVAL, "decimals");
	/* No unit anywhere. */
	PARSE_ERR("401746", FISC_UNIT_NONE, FISC_EUNIT, "no unit");
	PARSE_ERR("3658.95", FISC_UNIT_NONE, FISC_EUNIT, "no unit");
	PARSE_ERR("-4.3", FISC_UNIT_NONE, FISC_EUNIT, "缺少单位");
	/* Invalid UTF-8 is an error, not a crash. */
	PARSE_ERR("4\xFF" "1", FISC_UNIT_WAN, FISC_EINVAL, NULL);
}

static void parse_overflow(void **state)
{
	PARSE_ERR("99999999999999999999", FISC_UNIT_WAN, FISC_ERANGE, NULL);
	PARSE_ERR("9223372036854775807万元", FISC_UNIT_YUAN, FISC_ERANGE, NULL);
	PARSE_ERR("-9223372036854775807万元", FISC_UNIT_YUAN, FISC_ERANGE, NULL);
	PARSE_ERR("99999999999999999999999999999999999999", FISC_UNIT_YUAN,
		  FISC_ERANGE, NULL);

	/* INT64_MAX fen = 92233720368547758.07 元 = 9223372036854.775807 万元
	** = 922337203.6854775807 亿元: exact at the limit, an error past it. */
	PARSE_OK("92233720368547758.07", FISC_UNIT_YUAN, INT64_MAX, 1, FISC_UNIT_YUAN, 2);
	PARSE_OK("-92233720368547758.07", FISC_UNIT_YUAN, -INT64_MAX, 1, FISC_UNIT_YUAN, 2);
	PARSE_OK("92,233,720,368,547,758.06元", FISC_UNIT_NONE, INT64_MAX - 1, 1,
		 FISC_UNIT_YUAN, 2);
	PARSE_OK("92233720368547758", FISC_UNIT_YUAN, 9223372036854775800LL, 100,
		 FISC_UNIT_YUAN, 0);
	PARSE_ERR("92233720368547758.08", FISC_UNIT_YUAN, FISC_ERANGE, NULL);
	PARSE_ERR("92233720368547759", FISC_UNIT_YUAN, FISC_ERANGE, NULL);
	PARSE_OK("9223372036854.775807", FISC_UNIT_WAN, INT64_MAX, 1, FISC_UNIT_WAN, 6);
	PARSE_ERR("9223372036854.775808", FISC_UNIT_WAN, FISC_ERANGE, NULL);
	PARSE_ERR("9223372036855", FISC_UNIT_WAN, FISC_ERANGE, NULL);
	PARSE_OK("922337203.6854775807", FISC_UNIT_YI, INT64_MAX, 1, FISC_UNIT_YI, 10);
	PARSE_ERR("922337203.6854775808", FISC_UNIT_YI, FISC_ERANGE, NULL);
	PARSE_ERR("922337204亿元", FISC_UNIT_NONE, FISC_ERANGE, NULL);
}

static void unit_words(void **state)
{
	assert_int_equal(fisc_unit_parse("元", strlen("元")), FISC_UNIT_YUAN);
	assert_int_equal(fisc_unit_parse("万元", strlen("万元")), FISC_UNIT_WAN);
	assert_int_equal(fisc_unit_parse(" 亿元 ", strlen(" 亿元 ")), FISC_UNIT_YI);
	assert_int_equal(fisc_unit_parse("万", strlen("万")), FISC_UNIT_WAN);
	assert_int_equal(fisc_unit_parse("yi", 2), FISC_UNIT_YI);
	assert_int_equal(fisc_unit_parse("千元", strlen("千元")), FISC_UNIT_NONE);
	assert_int_equal(fisc_unit_parse("", 0), FISC_UNIT_NONE);
	assert_int_equal(fisc_unit_fen(FISC_UNIT_YUAN), 100);
	assert_int_equal(fisc_unit_fen(FISC_UNIT_WAN), 1000000);
	assert_int_equal(fisc_unit_fen(FISC_UNIT_YI), 10000000000LL);
	assert_string_equal(fisc_unit_name(FISC_UNIT_WAN), "万元");
	assert_string_equal(fisc_unit_name(FISC_UNIT_YI), "亿元");
	assert_string_equal(fisc_unit_name(FISC_UNIT_YUAN), "元");
}

/* ---- printing ---------------------------------------------------------- */

static void format_basic(void **state)
{
	FMT(401746000000LL, FISC_UNIT_WAN, 0, 0, "401746");
	FMT(401746000000LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "401,746");
	FMT(3658950000LL, FISC_UNIT_WAN, 2, FISC_FMT_GROUP, "3,658.95");
	FMT(3658950000LL, FISC_UNIT_WAN, 2, 0, "3658.95");
	FMT(415593000000LL, FISC_UNIT_YI, 4, 0, "41.5593");
	FMT(883868000000LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "883,868");
	FMT(123456789000000LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "123,456,789");
	FMT(999000000LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "999");
	FMT(1000000000LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "1,000");
	FMT(0, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "0");
	FMT(0, FISC_UNIT_WAN, 2, 0, "0.00");
	FMT(1, FISC_UNIT_YUAN, 2, 0, "0.01");
	FMT(100, FISC_UNIT_YUAN, 0, 0, "1");
	FMT(123456789, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, "1,234,567.89");
}

static void format_negative(void **state)
{
	FMT(-43000000000LL, FISC_UNIT_YI, 1, 0, "-4.3");
	FMT(-401746000000LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "-401,746");
	FMT(-123456789000000LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "-123,456,789");
	FMT(-1, FISC_UNIT_YUAN, 2, 0, "-0.01");
	FMT(-123456789, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, "-1,234,567.89");
	/* A value that rounds to zero has no sign. */
	FMT(-1, FISC_UNIT_WAN, 0, 0, "0");
	FMT(-499999, FISC_UNIT_WAN, 0, 0, "0");
}

static void format_rounding(void **state)
{
	/* 元 */
	FMT(50, FISC_UNIT_YUAN, 0, 0, "1");
	FMT(49, FISC_UNIT_YUAN, 0, 0, "0");
	FMT(-50, FISC_UNIT_YUAN, 0, 0, "-1");
	FMT(-49, FISC_UNIT_YUAN, 0, 0, "0");
	FMT(250, FISC_UNIT_YUAN, 0, 0, "3"); /* not banker's 2 */
	FMT(-250, FISC_UNIT_YUAN, 0, 0, "-3");
	FMT(5, FISC_UNIT_YUAN, 1, 0, "0.1");
	FMT(-5, FISC_UNIT_YUAN, 1, 0, "-0.1");
	FMT(24, FISC_UNIT_YUAN, 1, 0, "0.2");
	FMT(25, FISC_UNIT_YUAN, 1, 0, "0.3");
	FMT(-25, FISC_UNIT_YUAN, 1, 0, "-0.3");
	/* 万元 */
	FMT(500000, FISC_UNIT_WAN, 0, 0, "1");
	FMT(499999, FISC_UNIT_WAN, 0, 0, "0");
	FMT(-500000, FISC_UNIT_WAN, 0, 0, "-1");
	FMT(2500000, FISC_UNIT_WAN, 0, 0, "3");
	FMT(-2500000, FISC_UNIT_WAN, 0, 0, "-3");
	FMT(401745500000LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "401,746");
	FMT(401745499999LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "401,745");
	FMT(-401745500000LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "-401,746");
	FMT(3658945000LL, FISC_UNIT_WAN, 2, 0, "3658.95");
	FMT(3658944999LL, FISC_UNIT_WAN, 2, 0, "3658.94");
	FMT(-3658945000LL, FISC_UNIT_WAN, 2, 0, "-3658.95");
	FMT(1999500000LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "2,000"); /* carry */
	/* 亿元 */
	FMT(415593000000LL, FISC_UNIT_YI, 2, 0, "41.56");
	FMT(50000000LL, FISC_UNIT_YI, 2, 0, "0.01");
	FMT(49999999LL, FISC_UNIT_YI, 2, 0, "0.00");
	FMT(-50000000LL, FISC_UNIT_YI, 2, 0, "-0.01");
	FMT(5000000000LL, FISC_UNIT_YI, 0, 0, "1");
	FMT(-15000000000LL, FISC_UNIT_YI, 0, 0, "-2");
	FMT(415595000000LL, FISC_UNIT_YI, 3, 0, "41.560");
	FMT(-415595000000LL, FISC_UNIT_YI, 3, 0, "-41.560");
	FMT(99995000000LL, FISC_UNIT_YI, 2, 0, "10.00");
}

static void format_unit_flag(void **state)
{
	FMT(401746000000LL, FISC_UNIT_WAN, 0, FISC_FMT_UNIT, "401746万元");
	FMT(401746000000LL, FISC_UNIT_WAN, 0, FISC_FMT_UNIT | FISC_FMT_GROUP, "401,746万元");
	FMT(229, FISC_UNIT_YUAN, 2, FISC_FMT_UNIT, "2.29元");
	FMT(415593000000LL, FISC_UNIT_YI, 4, FISC_FMT_UNIT, "41.5593亿元");
	FMT(-43000000000LL, FISC_UNIT_YI, 1, FISC_FMT_UNIT, "-4.3亿元");
	FMT(7000000, FISC_UNIT_WAN, 0, FISC_FMT_PLUS, "+7");
	FMT(-7000000, FISC_UNIT_WAN, 0, FISC_FMT_PLUS, "-7");
	FMT(1234000000, FISC_UNIT_WAN, 0, FISC_FMT_PLUS | FISC_FMT_GROUP | FISC_FMT_UNIT,
	    "+1,234万元");
}

static void format_extra_decimals(void **state)
{
	/* Decimals beyond a fen are zeros, never digits of rounding noise. */
	FMT(229, FISC_UNIT_YUAN, 4, 0, "2.2900");
	FMT(-229, FISC_UNIT_YUAN, 3, 0, "-2.290");
	FMT(1, FISC_UNIT_WAN, 8, 0, "0.00000100");
	FMT(1, FISC_UNIT_YI, 12, 0, "0.000000000100");
	FMT(123456789, FISC_UNIT_YUAN, 5, FISC_FMT_GROUP, "1,234,567.89000");
	FMT(1, FISC_UNIT_WAN, 6, 0, "0.000001");
}

static void format_big(void **state)
{
	FMT(INT64_MAX, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, "92,233,720,368,547,758.07");
	FMT(INT64_MIN, FISC_UNIT_YUAN, 2, 0, "-92233720368547758.08");
	FMT(INT64_MIN, FISC_UNIT_YUAN, 2, FISC_FMT_GROUP, "-92,233,720,368,547,758.08");
	FMT(INT64_MAX, FISC_UNIT_WAN, 6, 0, "9223372036854.775807");
	FMT(INT64_MIN, FISC_UNIT_WAN, 0, FISC_FMT_GROUP, "-9,223,372,036,855");
	FMT(INT64_MAX, FISC_UNIT_YI, 0, 0, "922337204");
	FMT(INT64_MAX, FISC_UNIT_YI, 10, 0, "922337203.6854775807");
	FMT(INT64_MIN, FISC_UNIT_YUAN, 0, 0, "-92233720368547758");
	/* The documented bound: 64 bytes always suffice. */
	char buf[64];
	int n = fisc_fen_format(INT64_MIN, FISC_UNIT_YUAN, 18,
				FISC_FMT_GROUP | FISC_FMT_UNIT | FISC_FMT_PLUS, buf, sizeof buf);
	assert_true(n > 0);
	assert_string_equal(buf, "-92,233,720,368,547,758.080000000000000000元");
}

static void format_buffer_too_small(void **state)
{
	char buf[16];
	/* "401,746" is 7 bytes + NUL. */
	assert_int_equal(fisc_fen_format(401746000000LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP,
					 buf, 7), FISC_ERANGE);
	assert_int_equal(fisc_fen_format(401746000000LL, FISC_UNIT_WAN, 0, FISC_FMT_GROUP,
					 buf, 8), 7);
	assert_string_equal(buf, "401,746");
	/* "401746万元" is 12 bytes + NUL. */
	assert_int_equal(fisc_fen_format(401746000000LL, FISC_UNIT_WAN, 0, FISC_FMT_UNIT,
					 buf, 12), FISC_ERANGE);
	assert_int_equal(fisc_fen_format(401746000000LL, FISC_UNIT_WAN, 0, FISC_FMT_UNIT,
					 buf, 13), 12);
	assert_string_equal(buf, "401746万元");
	assert_int_equal(fisc_fen_format(-1, FISC_UNIT_YUAN, 2, 0, buf, 5), FISC_ERANGE);
	assert_int_equal(fisc_fen_format(-1, FISC_UNIT_YUAN, 2, 0, buf, 6), 5);
	assert_string_equal(buf, "-0.01");
	assert_int_equal(fisc_fen_format(0, FISC_UNIT_YUAN, 0, 0, buf, 1), FISC_ERANGE);
	assert_int_equal(fisc_percent_format(300276, 299998, 2, buf, 6), FISC_ERANGE);
	assert_int_equal(fisc_percent_format(300276, 299998, 2, buf, 7), 6);
	assert_string_equal(buf, "100.09");
}

static void amount_format_roundtrip(void **state)
{
	static const struct {
		const char *in;
		fisc_unit def;
		const char *out;
	} cases[] = {
		{"38.19亿元", FISC_UNIT_WAN, "38.19亿元"},
		{"401,746", FISC_UNIT_WAN, "401746万元"},
		{"3658.95", FISC_UNIT_WAN, "3658.95万元"},
		{"2.29 元", FISC_UNIT_WAN, "2.29元"},
		{"(4.3)", FISC_UNIT_YI, "-4.3亿元"},
		{"2.50", FISC_UNIT_YI, "2.50亿元"},
		{"４１．５５９３", FISC_UNIT_YI, "41.5593亿元"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		fisc_amount a;
		char buf[64];
		assert_int_equal(fisc_amount_parse(cases[i].in, strlen(cases[i].in),
						   cases[i].def, &a), FISC_OK);
		assert_true(fisc_amount_format(&a, FISC_FMT_UNIT, buf, sizeof buf) > 0);
		assert_string_equal(buf, cases[i].out);
	}
	fisc_amount e = fisc_amount_exact(123456789, FISC_UNIT_WAN, 2);
	assert_int_equal(e.fen, 123456789);
	assert_int_equal(e.ulp, 1);
	assert_int_equal(e.unit, FISC_UNIT_WAN);
	assert_int_equal(e.decimals, 2);
	char buf[64];
	assert_int_equal(fisc_amount_format(&e, FISC_FMT_GROUP, buf, sizeof buf), 6);
	assert_string_equal(buf, "123.46");
}

/* ---- percentages ------------------------------------------------------- */

static void percent_basic(void **state)
{
	/* 003: 300276 / 299998 = 100.0927 % */
	PCT(300276, 299998, 1, "100.1");
	PCT(300276, 299998, 2, "100.09");
	PCT(300276, 299998, 0, "100");
	PCT(299998, 300276, 1, "99.9");
	PCT(299998, 300276, 2, "99.91");
	/* Same ratio in fen: scale does not matter. */
	PCT(300276000000LL, 299998000000LL, 2, "100.09");
	PCT(1, 3, 2, "33.33");
	PCT(2, 3, 2, "66.67");
	PCT(2, 3, 0, "67");
	PCT(0, 5, 1, "0.0");
	PCT(5, 5, 1, "100.0");
	PCT(7200, 693101, 2, "1.04");
}

static void percent_half_up(void **state)
{
	PCT(1, 8, 0, "13");     /* 12.5 */
	PCT(1, 8, 1, "12.5");
	PCT(1, 80, 1, "1.3");   /* 1.25 */
	PCT(1, 16, 1, "6.3");   /* 6.25 */
	PCT(1, 16, 2, "6.25");
	PCT(3, 8, 0, "38");     /* 37.5 */
	PCT(1, 200, 0, "1");    /* 0.5 */
	PCT(1, 201, 0, "0");    /* 0.4975… */
	PCT(1, 2000, 1, "0.1"); /* 0.05 */
	PCT(1, 2001, 1, "0.0");
}

static void percent_negative(void **state)
{
	PCT(-323, 1000, 1, "-32.3");
	PCT(323, -1000, 1, "-32.3");
	PCT(-323, -1000, 1, "32.3");
	PCT(-1, 8, 0, "-13");  /* half away from zero */
	PCT(1, -8, 0, "-13");
	PCT(-1, -8, 0, "13");
	PCT(-1, 80, 1, "-1.3");
	PCT(-1, 201, 0, "0");
	PCT(-887, 4571, 2, "-19.40");
}

static void percent_errors_and_big(void **state)
{
	char buf[64];
	fisc_error_clear();
	assert_int_equal(fisc_percent_format(1, 0, 1, buf, sizeof buf), FISC_EINVAL);
	assert_true(fisc_error_message()[0] != 0);
	assert_int_equal(fisc_percent_format(0, 0, 1, buf, sizeof buf), FISC_EINVAL);

	PCT(INT64_MAX, INT64_MAX, 2, "100.00");
	PCT(INT64_MIN, INT64_MIN, 1, "100.0");
	PCT(INT64_MIN, INT64_MAX, 2, "-100.00");
	PCT(INT64_MAX, INT64_MIN, 2, "-100.00");
	PCT(INT64_MAX, 1, 2, "922337203685477580700.00");
	PCT(INT64_MIN, 1, 0, "-922337203685477580800");
	PCT(INT64_MIN, -1, 0, "922337203685477580800");
	PCT(1, INT64_MAX, 2, "0.00");
	PCT(INT64_MAX / 2, INT64_MAX, 1, "50.0");
	PCT(INT64_MAX, 3, 1, "307445734561825860233.3");
}

/* ---- small helpers ----------------------------------------------------- */

static void decimals_for(void **state)
{
	assert_int_equal(fisc_unit_decimals_for(1000000, FISC_UNIT_YI), 4);
	assert_int_equal(fisc_unit_decimals_for(10000, FISC_UNIT_WAN), 2);
	assert_int_equal(fisc_unit_decimals_for(1, FISC_UNIT_WAN), 6);
	assert_int_equal(fisc_unit_decimals_for(1000000, FISC_UNIT_WAN), 0);
	assert_int_equal(fisc_unit_decimals_for(100000, FISC_UNIT_WAN), 1);
	assert_int_equal(fisc_unit_decimals_for(100, FISC_UNIT_YUAN), 0);
	assert_int_equal(fisc_unit_decimals_for(10, FISC_UNIT_YUAN), 1);
	assert_int_equal(fisc_unit_decimals_for(1, FISC_UNIT_YUAN), 2);
	assert_int_equal(fisc_unit_decimals_for(10000000000LL, FISC_UNIT_YI), 0);
	assert_int_equal(fisc_unit_decimals_for(1, FISC_UNIT_YI), 10);
	assert_int_equal(fisc_unit_decimals_for(1000000000, FISC_UNIT_YI), 1);
	/* A multiple of the unit needs no decimals. */
	assert_int_equal(fisc_unit_decimals_for(100000000, FISC_UNIT_WAN), 0);
	/* Round trip with parse: the written decimals come back. */
	fisc_amount a;
	assert_int_equal(fisc_amount_parse("41.5593亿元", strlen("41.5593亿元"),
					   FISC_UNIT_NONE, &a), FISC_OK);
	assert_int_equal(fisc_unit_decimals_for(a.ulp, (fisc_unit)a.unit), a.decimals);
}

static void checked_arithmetic(void **state)
{
	fisc_fen r = 0;
	assert_int_equal(fisc_fen_add(1, 2, &r), FISC_OK);
	assert_int_equal(r, 3);
	assert_int_equal(fisc_fen_add(INT64_MAX, 0, &r), FISC_OK);
	assert_int_equal(r, INT64_MAX);
	assert_int_equal(fisc_fen_add(INT64_MAX - 1, 1, &r), FISC_OK);
	assert_int_equal(r, INT64_MAX);
	assert_int_equal(fisc_fen_add(INT64_MAX, 1, &r), FISC_ERANGE);
	assert_int_equal(fisc_fen_add(INT64_MIN, -1, &r), FISC_ERANGE);
	assert_int_equal(fisc_fen_add(INT64_MAX, INT64_MAX, &r), FISC_ERANGE);
	assert_int_equal(fisc_fen_add(INT64_MIN, INT64_MAX, &r), FISC_OK);
	assert_int_equal(r, -1);

	assert_int_equal(fisc_fen_sub(5, 7, &r), FISC_OK);
	assert_int_equal(r, -2);
	assert_int_equal(fisc_fen_sub(-1, INT64_MAX, &r), FISC_OK);
	assert_int_equal(r, INT64_MIN);
	assert_int_equal(fisc_fen_sub(INT64_MIN, 1, &r), FISC_ERANGE);
	assert_int_equal(fisc_fen_sub(0, INT64_MIN, &r), FISC_ERANGE);
	assert_int_equal(fisc_fen_sub(INT64_MAX, -1, &r), FISC_ERANGE);
	fisc_error_clear();
	assert_int_equal(fisc_fen_sub(INT64_MIN, INT64_MAX, &r), FISC_ERANGE);
	assert_true(fisc_error_message()[0] != 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_plain),
		cmocka_unit_test(parse_unit_suffix),
		cmocka_unit_test(parse_signs),
		cmocka_unit_test(parse_fullwidth),
		cmocka_unit_test(parse_spaces),
		cmocka_unit_test(parse_uses_length),
		cmocka_unit_test(parse_errors),
		cmocka_unit_test(parse_overflow),
		cmocka_unit_test(unit_words),
		cmocka_unit_test(format_basic),
		cmocka_unit_test(format_negative),
		cmocka_unit_test(format_rounding),
		cmocka_unit_test(format_unit_flag),
		cmocka_unit_test(format_extra_decimals),
		cmocka_unit_test(format_big),
		cmocka_unit_test(format_buffer_too_small),
		cmocka_unit_test(amount_format_roundtrip),
		cmocka_unit_test(percent_basic),
		cmocka_unit_test(percent_half_up),
		cmocka_unit_test(percent_negative),
		cmocka_unit_test(percent_errors_and_big),
		cmocka_unit_test(decimals_for),
		cmocka_unit_test(checked_arithmetic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
