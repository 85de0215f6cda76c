/*
** test_report_unknown.c — every document report of the registry, asked for
** a region or department the store does not hold, returns an error with a
** message and frees nothing it did not allocate (issue 10, item 3: congress
** freed an uninitialised set and crashed). The stack is dirtied before each
** call so that an uninitialised local holds garbage, not a lucky zero.
*/
#include "testutil.h"

#include "fisc/catalog.h"
#include "fisc/error.h"
#include "fisc/reports.h"
#include "fisc/store.h"

static const char *datadir(void)
{
	const char *d = getenv("FISC_DATADIR");
	return d ? d : FISC_DATADIR;
}

/* Fill the stack below the caller with a pattern; noinline so that the
** report builder called next reuses the same stack. */
__attribute__((noinline)) static void dirty_stack(void)
{
	volatile unsigned char junk[16384];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = 0xA5;
}

static void unknown_names(void **state)
{
	(void)state;
	char *dir = tu_tmpdir(), path[512];
	snprintf(path, sizeof path, "%s/u.db", dir);
	fisc_store *st;
	assert_int_equal(fisc_store_open(path, &st), FISC_OK);
	assert_int_equal(fisc_catalog_seed(st, datadir()), FISC_OK);
	for (size_t i = 0; fisc_report_at(i); i++) {
		const fisc_report_kind *k = fisc_report_at(i);
		fisc_report_params p = {"没有这个地区", 2023, "没有这个部门", 0};
		fisc_arena *a = fisc_arena_new();
		fisc_doc *d = NULL;
		dirty_stack();
		int rc = k->build(st, &p, a, &d);
		if (rc == FISC_OK)
			print_error("report %s built for an unknown name\n", k->name);
		assert_int_not_equal(rc, FISC_OK);
		assert_true(*fisc_error_message() != 0);
		fisc_arena_free(a);
	}
	fisc_store_close(st);
	tu_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unknown_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
