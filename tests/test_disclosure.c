/*
** test_disclosure.c — the standard tables of a department disclosure
** (src/lib/audit/disclosure.c) on a small paged document written here: a
** clean 部门决算 gives no error, and each single change a reviewer would
** mark (a row that does not add up, a 类 that is not the sum of its 款,
** 收入总计 ≠ 支出总计, a total or a 三公 budget the text states otherwise, a
** wrong 大于/小于, a growth rate, a placeholder, a year of another report, a
** table the contents list but the body lacks) is reported by its rule on
** its page. The real 普陀区 PDFs are measured by
** tests/cli/test_audit_disclosures.sh.
*/
#include "testutil.h"

#include "fisc/audit.h"
#include "fisc/error.h"

/* Pages: 1 title, 2 contents, 3 收支总表, 4 一般公共预算支出表, 5 三公, 6 text. */
static const char doc[] =
	"上海市普陀区测试局2024年度部门决算\n"
	"\f目录\n"
	"一、收入支出决算总表\n"
	"二、一般公共预算财政拨款支出决算表\n"
	"三、财政拨款“三公”经费支出决算表\n"
	"\f收入支出决算总表\n"
	"单位:万元\n"
	"项目\t决算数\t项目\t决算数\n"
	"一、一般公共预算财政拨款收入\t100.00\t一、一般公共服务支出\t100.00\n"
	"本年收入合计\t100.00\t本年支出合计\t100.00\n"
	"年初结转和结余\t10.00\t年末结转和结余\t10.00\n"
	"总计\t110.00\t总计\t110.00\n"
	"\f一般公共预算财政拨款支出决算表\n"
	"单位:万元\n"
	"科目编码\t\t\t科目名称\t合计\t基本支出\t项目支出\n"
	"\t\t\t合计\t100.00\t60.00\t40.00\n"
	"201\t\t\t一般公共服务支出\t100.00\t60.00\t40.00\n"
	"201\t06\t\t财政事务\t100.00\t60.00\t40.00\n"
	"201\t06\t01\t行政运行\t70.00\t60.00\t10.00\n"
	"201\t06\t02\t一般行政管理事务\t30.00\t30.00\n"
	"\f财政拨款“三公”经费支出决算表\n"
	"单位:万元\n"
	"预算数\t决算数\n"
	"0.95\t0.00\n"
	"\f第三部分 上海市普陀区测试局2024年度部门决算情况说明\n"
	"一、收入支出决算总体情况说明\n"
	"上海市普陀区测试局2024年度收入支出总计110.00万元。\n"
	"二、一般公共预算财政拨款支出决算情况说明\n"
	"一般公共服务支出(类)财政事务(款)行政运行(项)。年初预算为70.50万元，支出决算为70.00万元。决算数小于预算数的主要原因：人员变化。\n"
	"三、“三公”经费说明\n"
	"“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元。\n"
	"四、项目情况\n"
	"1、行政运行(01项)70.00万元。2023年当年预算执行数为64.00万元，2024年预算安排70.00万元，比2023年预算执行数增加9.38%。主要原因是：人员增加。\n";

/* The document with the first occurrence of `from` replaced by `to`. */
static char *edit(const char *from, const char *to)
{
	const char *at = strstr(doc, from);
	assert_non_null(at);
	size_t n = strlen(doc) - strlen(from) + strlen(to);
	char *s = malloc(n + 1);
	assert_non_null(s);
	size_t pre = (size_t)(at - doc);
	memcpy(s, doc, pre);
	strcpy(s + pre, to);
	strcat(s, at + strlen(from));
	return s;
}

static fisc_audit_report *run(fisc_arena *a, const char *text)
{
	fisc_audit_report *r = NULL;
	int rc = fisc_audit_buffer("d.txt", text, strlen(text), NULL, a, &r);
	if (rc != FISC_OK)
		print_error("audit failed: %s\n", fisc_error_message());
	assert_int_equal(rc, FISC_OK);
	return r;
}

static size_t errors_of(const fisc_audit_report *r, const char *prefix)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity == FISC_AUDIT_ERROR && !strncmp(r->findings[i].rule, prefix, strlen(prefix)))
			n++;
	return n;
}

static void show(const fisc_audit_report *r)
{
	fisc_audit_report *const reps[1] = {(fisc_audit_report *)r};
	fisc_audit_write(reps, 1, "text", stderr);
}

/* The rule reported, as an error or a warning, on the page. */
static int reported(const fisc_audit_report *r, const char *rule, int page)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (!strcmp(r->findings[i].rule, rule) && r->findings[i].page == page)
			return 1;
	show(r);
	return 0;
}

static void clean_document(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	fisc_audit_report *r = run(a, doc);
	assert_string_equal(r->kind, "department_final_accounts");
	if (r->errors)
		show(r);
	assert_int_equal(r->errors, 0);
	fisc_arena_free(a);
}

static void one_change(const char *from, const char *to, const char *rule, int page)
{
	fisc_arena *a = fisc_arena_new();
	char *t = edit(from, to);
	fisc_audit_report *r = run(a, t);
	if (!reported(r, rule, page))
		fail_msg("%s not reported on page %d after %s → %s", rule, page, from, to);
	free(t);
	fisc_arena_free(a);
}

static void within_tables(void **state)
{
	(void)state;
	/* 合计 ≠ 基本支出 + 项目支出 on a row */
	one_change("行政运行\t70.00\t60.00\t10.00", "行政运行\t70.00\t60.00\t15.00", "disclosure.row_sum", 4);
	/* a 款 that is not the sum of its 项 */
	one_change("一般行政管理事务\t30.00\t30.00", "一般行政管理事务\t35.00\t35.00", "disclosure.code_sum", 4);
	/* 收入总计 ≠ 支出总计 */
	one_change("总计\t110.00\t总计\t110.00", "总计\t110.00\t总计\t111.00", "disclosure.balance", 3);
}

static void tables_and_text(void **state)
{
	(void)state;
	one_change("收入支出总计110.00万元", "收入支出总计0万元", "disclosure.text_table", 6);
	one_change("0.95\t0.00\n", "0.90\t0.00\n", "disclosure.text_table", 6);
	one_change("决算数小于预算数", "决算数大于预算数", "disclosure.direction", 6);
	one_change("增加9.38%", "增加19.38%", "disclosure.growth", 6);
	one_change("行政运行(01项)70.00万元", "行政运行(01项)75.00万元", "disclosure.restated", 6);
}

static void outline_and_words(void **state)
{
	(void)state;
	one_change("第三部分 上海市普陀区测试局", "第三部分 上海市普陀区XX局", "disclosure.placeholder", 6);
	one_change("测试局2024年度部门决算情况说明", "测试局2023年度部门决算情况说明", "disclosure.year", 6);
	one_change("三、财政拨款“三公”经费支出决算表\n", "三、财政拨款“三公”经费支出决算表\n四、支出决算表\n",
		   "disclosure.table_missing", 2);
	one_change("主要原因是：人员增加。", "主要原因是。", "disclosure.reason_missing", 6);
}

/* A 部门预算 whose tables are in 元 and text in 万元: the totals agree as
** intervals; a total the text states otherwise is reported. */
static const char budget[] =
	"上海市普陀区测试局2026年部门预算\n"
	"\f部门预算编制说明\n"
	"2026年,上海市普陀区测试局收入预算9628.22万元,其中:财政拨款收入9628.22万元。\n"
	"支出预算9628.22万元,其中:财政拨款支出预算9628.22万元。\n"
	"\f2026年部门财务收支预算总表\n"
	"编制部门:上海市普陀区测试局\t单位:元\n"
	"项目\t预算数\t项目\t预算数\n"
	"一、财政拨款收入\t96,282,213.44\t一、公共安全支出\t96,282,213.44\n"
	"收入总计\t96,282,213.44\t支出总计\t96,282,213.44\n";

static void budget_totals(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	fisc_audit_report *r = run(a, budget);
	assert_string_equal(r->kind, "department_budget");
	if (r->errors)
		show(r);
	assert_int_equal(r->errors, 0);
	const char *at = strstr(budget, "支出预算9628.22");
	char *t = strdup(budget);
	memcpy(t + (at - budget), "支出预算9682.22", strlen("支出预算9682.22"));
	r = run(a, t);
	assert_true(reported(r, "disclosure.text_table", 2));
	free(t);
	fisc_arena_free(a);
}

/* An empty table with a note saying why is no finding; without one it is. */
static void empty_tables(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	char *t = edit("预算数\t决算数\n0.95\t0.00\n", "预算数\t决算数\n注:本部门无“三公”经费支出，故本表无数据。\n");
	fisc_audit_report *r = run(a, t);
	for (size_t i = 0; i < r->nfindings; i++)
		assert_string_not_equal(r->findings[i].rule, "disclosure.table_empty");
	free(t);
	t = edit("预算数\t决算数\n0.95\t0.00\n", "预算数\t决算数\n");
	r = run(a, t);
	assert_true(reported(r, "disclosure.table_empty", 5));
	free(t);
	fisc_arena_free(a);
}

/* The same text without pages is not read as a disclosure's tables: the
** generic outline checks stand. */
static void unpaged_is_not_a_disclosure(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	char *t = strdup(doc);
	for (char *p = t; *p; p++)
		if (*p == '\f')
			*p = '\n';
	char *t2 = edit("收入支出总计110.00万元", "收入支出总计0万元");
	for (char *p = t2; *p; p++)
		if (*p == '\f')
			*p = '\n';
	fisc_audit_report *r = run(a, t2);
	assert_int_equal(errors_of(r, "disclosure."), 0);
	free(t);
	free(t2);
	fisc_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clean_document),
		cmocka_unit_test(within_tables),
		cmocka_unit_test(tables_and_text),
		cmocka_unit_test(outline_and_words),
		cmocka_unit_test(budget_totals),
		cmocka_unit_test(empty_tables),
		cmocka_unit_test(unpaged_is_not_a_disclosure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
