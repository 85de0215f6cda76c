/*
** test_suggest.c — "did you mean" (src/lib/model/suggest.c): distances count
** code points, not bytes; a swap of neighbours is one edit; the candidates
** offered are the close ones, closest first, and distant names are not.
*/
#include "testutil.h"

#include "fisc/suggest.h"

static void distance_code_points(void **state)
{
	(void)state;
	assert_int_equal(fisc_suggest_distance("北培区", "北碚区"), 1); /* 3 bytes differ */
	assert_int_equal(fisc_suggest_distance("", "北碚区"), 3);
	assert_int_equal(fisc_suggest_distance("北碚区", "北碚区"), 0);
	assert_int_equal(fisc_suggest_distance("reprot", "report"), 1); /* transposition */
	assert_int_equal(fisc_suggest_distance("gbp", "gpb"), 1);
	assert_int_equal(fisc_suggest_distance("GPB", "gpb"), 0);
	assert_int_equal(fisc_suggest_distance("kitten", "sitting"), 3);
	assert_int_equal(fisc_suggest_distance("a\xff", "a\xfe"), 1); /* invalid bytes */
}

static void suggest_closest_first(void **state)
{
	(void)state;
	const char *regions[] = {"重庆市", "北碚区", "解放区", "大连市", "北碚"};
	size_t out[5];
	size_t n = fisc_suggest("北培区", regions, 5, out, 5);
	assert_true(n >= 1);
	assert_int_equal(out[0], 1);
	for (size_t i = 0; i < n; i++)
		assert_true(out[i] != 0 && out[i] != 2 && out[i] != 3);

	const char *cmds[] = {"import", "report", "catalog", "regions", "check", "audit"};
	n = fisc_suggest("reprot", cmds, 6, out, 5);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 1);

	const char *books[] = {"gpb", "gfb", "soe", "ssf"};
	n = fisc_suggest("gbp", books, 4, out, 5);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 0);
	assert_int_equal(fisc_suggest("xyz", books, 4, out, 5), 0);
	assert_int_equal(fisc_suggest("gbp", books, 4, out, 0), 0);
}

static void suggest_abbreviation_and_part(void **state)
{
	(void)state;
	const char *depts[] = {"炎陵高新技术产业开发区管理委员会", "大连高新技术产业园区创新创业创投服务中心",
			       NULL, ""};
	size_t out[4];
	size_t n = fisc_suggest("大连高新区创新", depts, 4, out, 4);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 1);
	n = fisc_suggest("管理委员会", depts, 4, out, 4); /* a part of the name */
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(distance_code_points),
		cmocka_unit_test(suggest_closest_first),
		cmocka_unit_test(suggest_abbreviation_and_part),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
