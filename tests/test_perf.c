/*
** test_perf.c — performance indicators (src/lib/perf, src/lib/import/
** perf_import.c, src/lib/store/sqlite_perf.c) and the self-evaluation built
** on them (src/lib/report/rep_performance.c): decimals and points, the
** scoring formulas with their rounding, every import error with its exact
** message and an unchanged store, the store round trip, a complete
** self-evaluation whose score and grade come out of the data, and its chart
** of the quantitative indicators' targets against their results.
*/
#include "testutil.h"

#include <jansson.h>
#include <xlsxwriter.h>

#include "fisc/catalog.h"
#include "fisc/error.h"
#include "fisc/import.h"
#include "fisc/perf.h"
#include "fisc/reports.h"
#include "fisc/rules.h"
#include "fisc/store.h"
#include "report/chart.h"
#include "report/render.h"

/* ---- decimals and points ----------------------------------------------- */

static void test_decimal_parse(void **state)
{
	fisc_decimal d;
	char buf[64];
	assert_int_equal(fisc_decimal_parse("15", 2, &d), 0);
	assert_true(d.v == 15 && d.scale == 0);
	assert_int_equal(fisc_decimal_parse("-4.30", 5, &d), 0);
	assert_true(d.v == -430 && d.scale == 2);
	fisc_decimal_format(d, buf, sizeof buf);
	assert_string_equal(buf, "-4.30");
	assert_int_equal(fisc_decimal_parse("1,200", 5, &d), 0);
	assert_true(d.v == 1200 && d.scale == 0);
	const char *fw = "９５．５"; /* full-width digits and point */
	assert_int_equal(fisc_decimal_parse(fw, strlen(fw), &d), 0);
	assert_true(d.v == 955 && d.scale == 1);
	assert_int_equal(fisc_decimal_parse("", 0, &d), -1);
	assert_int_equal(fisc_decimal_parse("abc", 3, &d), -1);
	assert_int_equal(fisc_decimal_parse("1.", 2, &d), -1);
	assert_int_equal(fisc_decimal_parse("0.1234567", 9, &d), -1); /* > 6 decimals */
	assert_int_equal(fisc_decimal_parse("9223372036854775808", 19, &d), -1);
	assert_int_equal(fisc_decimal_parse("9223372036854775807", 19, &d), 0);
}

static void test_points(void **state)
{
	int32_t h;
	char buf[32];
	assert_int_equal(fisc_points_parse("7.5", 3, &h), 0);
	assert_int_equal(h, 750);
	assert_int_equal(fisc_points_parse("100", 3, &h), 0);
	assert_int_equal(h, 10000);
	assert_int_equal(fisc_points_parse("100.01", 6, &h), -1);
	assert_int_equal(fisc_points_parse("0.125", 5, &h), -1);
	assert_int_equal(fisc_points_parse("-1", 2, &h), -1);
	fisc_points_format(750, buf, sizeof buf);
	assert_string_equal(buf, "7.5");
	fisc_points_format(8725, buf, sizeof buf);
	assert_string_equal(buf, "87.25");
	fisc_points_format(1000, buf, sizeof buf);
	assert_string_equal(buf, "10");
	fisc_points_format(5, buf, sizeof buf);
	assert_string_equal(buf, "0.05");
}

/* ---- scoring ----------------------------------------------------------- */

static fisc_indicator quant(int dir, int64_t target, int tscale, int64_t actual, int ascale,
			    int32_t weight)
{
	fisc_indicator x;
	memset(&x, 0, sizeof x);
	x.dept = x.project = x.sub = x.name = x.unit = x.target_text = x.actual_text = "";
	x.reason = x.source = "";
	x.cls = FISC_IND_OUTPUT;
	x.dir = dir;
	x.has_target = 1;
	x.target.v = target;
	x.target.scale = tscale;
	x.has_actual = 1;
	x.actual.v = actual;
	x.actual.scale = ascale;
	x.has_weight = 1;
	x.weight = weight;
	return x;
}

static void test_score_quantitative(void **state)
{
	fisc_ind_result r;
	/* 正向, reached: full weight, no reason needed */
	fisc_indicator x = quant(FISC_DIR_GE, 100, 0, 120, 0, 3000);
	fisc_indicator_score(&x, &r);
	assert_true(r.assessed && r.scored && r.met && !r.below && !r.needs_reason);
	assert_int_equal(r.score, 3000);
	/* 正向, 80 of 100: 30 × 0.8 = 24 */
	x = quant(FISC_DIR_GE, 100, 0, 80, 0, 3000);
	fisc_indicator_score(&x, &r);
	assert_true(r.below && r.needs_reason && !r.met);
	assert_int_equal(r.score, 2400);
	x.reason = "原因";
	fisc_indicator_score(&x, &r);
	assert_false(r.needs_reason);
	/* 10 × 2/3 = 6.666… → 6.67, half up at hundredths */
	x = quant(FISC_DIR_GE, 3, 0, 2, 0, 1000);
	fisc_indicator_score(&x, &r);
	assert_int_equal(r.score, 667);
	/* 7.5 × 1/8 = 0.9375 → 0.94 (half up) */
	x = quant(FISC_DIR_GE, 8, 0, 1, 0, 750);
	fisc_indicator_score(&x, &r);
	assert_int_equal(r.score, 94);
	/* scales differ: target 95%, result 95.5% → met */
	x = quant(FISC_DIR_GE, 95, 0, 955, 1, 2000);
	fisc_indicator_score(&x, &r);
	assert_true(r.met);
	assert_int_equal(r.score, 2000);
	/* 反向: within 30 days → full; 40 days → 20 × 30/40 = 15 */
	x = quant(FISC_DIR_LE, 30, 0, 30, 0, 2000);
	fisc_indicator_score(&x, &r);
	assert_true(r.met);
	assert_int_equal(r.score, 2000);
	x = quant(FISC_DIR_LE, 30, 0, 40, 0, 2000);
	fisc_indicator_score(&x, &r);
	assert_true(r.below);
	assert_int_equal(r.score, 1500);
	/* 等于: 90 or 110 against 100 */
	x = quant(FISC_DIR_EQ, 100, 0, 90, 0, 1000);
	fisc_indicator_score(&x, &r);
	assert_int_equal(r.score, 900);
	x = quant(FISC_DIR_EQ, 100, 0, 110, 0, 1000);
	fisc_indicator_score(&x, &r);
	assert_int_equal(r.score, 909);
	/* a given score that is not the computed one is flagged, the computed counts */
	x = quant(FISC_DIR_GE, 100, 0, 80, 0, 3000);
	x.has_score = 1;
	x.score = 3000;
	fisc_indicator_score(&x, &r);
	assert_true(r.score_mismatch);
	assert_int_equal(r.given, 3000);
	assert_int_equal(r.score, 2400);
	/* no result yet: not assessed, not scored, no reason demanded */
	x = quant(FISC_DIR_GE, 100, 0, 0, 0, 3000);
	x.has_actual = 0;
	fisc_indicator_score(&x, &r);
	assert_false(r.assessed || r.scored || r.needs_reason);
	/* no weight: judged but not scored */
	x = quant(FISC_DIR_GE, 100, 0, 50, 0, 0);
	x.has_weight = 0;
	fisc_indicator_score(&x, &r);
	assert_true(r.assessed && r.below && !r.scored);
}

static void test_score_qualitative(void **state)
{
	fisc_ind_result r;
	fisc_indicator x = quant(FISC_DIR_QUAL, 0, 0, 0, 0, 2000);
	x.has_target = x.has_actual = 0;
	x.grade = FISC_GRADE_MET;
	fisc_indicator_score(&x, &r);
	assert_true(r.met && r.scored);
	assert_int_equal(r.score, 2000);
	assert_int_equal(r.band_lo, 1600);
	/* 部分达成: [60 %, 80 %) of 20 = [12, 16) */
	x.grade = FISC_GRADE_PARTLY;
	x.has_score = 1;
	x.score = 1400;
	x.reason = "进度滞后";
	fisc_indicator_score(&x, &r);
	assert_true(r.below && r.scored && !r.score_mismatch && !r.needs_reason);
	assert_int_equal(r.score, 1400);
	assert_int_equal(r.band_lo, 1200);
	assert_int_equal(r.band_hi, 1600);
	x.score = 1600; /* the open upper edge of 部分达成 */
	fisc_indicator_score(&x, &r);
	assert_true(r.score_mismatch);
	assert_int_equal(r.given, 1600);
	assert_int_equal(r.score, 1599);
	x.grade = FISC_GRADE_NOT_MET;
	x.score = 1300;
	fisc_indicator_score(&x, &r);
	assert_true(r.score_mismatch);
	assert_int_equal(r.score, 1199);
	/* a partial grade without a score is assessed but not scored */
	x.has_score = 0;
	fisc_indicator_score(&x, &r);
	assert_true(r.assessed && !r.scored);
}

static void test_budget_points_and_grade(void **state)
{
	assert_int_equal(fisc_perf_budget_points(95, 100), 950);
	assert_int_equal(fisc_perf_budget_points(120, 100), 1000);
	assert_int_equal(fisc_perf_budget_points(2, 3), 667);
	assert_int_equal(fisc_perf_budget_points(5, 0), 0);
	assert_string_equal(fisc_perf_grade_name(9000), "优");
	assert_string_equal(fisc_perf_grade_name(8999), "良");
	assert_string_equal(fisc_perf_grade_name(8000), "良");
	assert_string_equal(fisc_perf_grade_name(6000), "中");
	assert_string_equal(fisc_perf_grade_name(5999), "差");
}

static void test_vocabulary(void **state)
{
	assert_int_equal(fisc_ind_class_parse("产出指标"), FISC_IND_OUTPUT);
	assert_int_equal(fisc_ind_class_parse("满意度"), FISC_IND_SATISFACTION);
	assert_int_equal(fisc_ind_class_parse("效果"), -1);
	assert_int_equal(fisc_ind_dir_parse("反向"), FISC_DIR_LE);
	assert_int_equal(fisc_ind_dir_parse("≥"), FISC_DIR_GE);
	assert_int_equal(fisc_ind_grade_parse("部分达成"), FISC_GRADE_PARTLY);
	assert_int_equal(fisc_ind_grade_prefix("部分达成：两所学校未达标"), FISC_GRADE_PARTLY);
	assert_int_equal(fisc_ind_grade_prefix("未达成（原因见下）"), FISC_GRADE_NOT_MET);
	assert_int_equal(fisc_ind_grade_prefix("达成"), FISC_GRADE_MET);
	assert_int_equal(fisc_ind_grade_prefix("达成率100%"), -1); /* a word, not a prefix */
	assert_string_equal(fisc_perf_section_key("存在的问题"), "problems");
	assert_string_equal(fisc_perf_section_key("measures"), "measures");
	assert_null(fisc_perf_section_key("结论"));
}

/* ---- import and store -------------------------------------------------- */

typedef struct fx {
	char *dir;
	fisc_store *st;
} fx;

static const char *datadir(void)
{
	const char *d = getenv("FISC_DATADIR");
	return d && *d ? d : FISC_DATADIR;
}

static int import(fisc_store *st, const char *csv, fisc_diag *d)
{
	fisc_import_stats s;
	return fisc_import_csv_buffer(st, "t.csv", csv, strlen(csv), d, &s);
}

static void import_ok(fisc_store *st, const char *csv)
{
	fisc_diag *d = fisc_diag_new();
	int rc = import(st, csv, d);
	for (size_t i = 0; rc != FISC_OK && i < fisc_diag_count(d); i++) {
		char buf[1024];
		fisc_diag_format(fisc_diag_get(d, i), buf, sizeof buf);
		print_error("%s\n", buf);
	}
	fisc_diag_free(d);
	assert_int_equal(rc, FISC_OK);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = tu_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/fisc.db", f->dir);
	{
		char *uri = tu_store_uri(path);
		assert_int_equal(fisc_store_open(uri, &f->st), FISC_OK);
		free(uri);
	}
	assert_int_equal(fisc_catalog_seed(f->st, datadir()), FISC_OK);
	import_ok(f->st, "code,name,level\n500109,北碚区,区\n");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	fisc_store_close(f->st);
	tu_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static int count_ind(void *ud, const fisc_indicator *x)
{
	(*(long *)ud)++;
	return 0;
}

static long indicators(fisc_store *st)
{
	long n = 0;
	assert_int_equal(fisc_store_indicator_each(st, NULL, count_ind, &n), FISC_OK);
	return n;
}

#define IHDR "region,year,department,class,subclass,indicator,direction,target,actual,unit,weight,score,reason\n"
#define IOK "北碚区,2024,区教委,产出指标,数量指标,培训人次,,≥100人次,80,,30,,疫情影响\n"

/* Import `bad` after a valid row: it must fail with exactly one diagnostic
** (field, kind, Chinese and English text), and nothing may be written. */
static void expect_error(fisc_store *st, const char *bad, const char *field, int kind,
			 const char *zh, const char *en)
{
	char csv[2048];
	snprintf(csv, sizeof csv, IHDR IOK "%s", bad);
	fisc_diag *d = fisc_diag_new();
	long before = indicators(st);
	assert_int_equal(import(st, csv, d), FISC_EIMPORT);
	assert_int_equal(fisc_diag_count(d), 1);
	const fisc_diag_entry *e = fisc_diag_get(d, 0);
	assert_string_equal(e->file, "t.csv");
	assert_int_equal(e->line, 3);
	if (field)
		assert_string_equal(e->field, field);
	assert_int_equal(e->kind, kind);
	assert_string_equal(e->msg_zh, zh);
	assert_string_equal(e->msg_en, en);
	fisc_diag_free(d);
	assert_int_equal(indicators(st), before);
}

static void test_import_errors(void **state)
{
	fisc_store *st = ((fx *)*state)->st;
	expect_error(st, "北碚区,2024,区教委,效果指标,,x,,≥1,,,,,\n", "class", FISC_DIAG_BAD_VALUE,
		     "无法识别的一级指标「效果指标」（产出、成本、效益或满意度指标）",
		     "unknown indicator class '效果指标' (产出, 成本, 效益 or 满意度)");
	expect_error(st, "北碚区,2024,区教委,产出指标,,x,,,,,,,\n", "target",
		     FISC_DIAG_MISSING_FIELD, "年度指标值为空", "target is empty");
	expect_error(st, "北碚区,2024,区教委,产出指标,,x,反向,≥5,,,,,\n", "direction",
		     FISC_DIAG_BAD_VALUE, "指标方向「反向」与指标值中的比较符不一致",
		     "direction '反向' contradicts the comparator written in the target");
	expect_error(st, "北碚区,2024,区教委,产出指标,,x,正向,很多,,,,,\n", "target",
		     FISC_DIAG_BAD_VALUE, "定量指标的指标值「很多」不是数值",
		     "the target '很多' of a quantitative indicator is not a number");
	expect_error(st, "北碚区,2024,区教委,产出指标,,x,,≥5家,五家,,,,\n", "actual",
		     FISC_DIAG_BAD_VALUE, "定量指标的全年实际值「五家」不是数值",
		     "the result '五家' of a quantitative indicator is not a number");
	expect_error(st, "北碚区,2024,区教委,产出指标,,x,,≥5家,5个,,,,\n", "actual",
		     FISC_DIAG_BAD_VALUE, "全年实际值「5个」的单位与指标值的单位「家」不一致",
		     "the result '5个' is not in the target's unit '家'");
	expect_error(st, "北碚区,2024,区教委,产出指标,,x,,≥5家,,个,,,\n", "target",
		     FISC_DIAG_BAD_VALUE, "指标值的单位与计量单位「个」不一致",
		     "the target's unit differs from the unit column '个'");
	expect_error(st, "北碚区,2024,区教委,满意度指标,,x,,良好,很好,,,,\n", "actual",
		     FISC_DIAG_BAD_VALUE,
		     "定性指标的完成情况「很好」应以“达成”“部分达成”或“未达成”开头",
		     "the result '很好' of a qualitative indicator must begin with 达成, 部分达成 or 未达成");
	expect_error(st, "北碚区,2024,区教委,产出指标,,x,,≥5,,,101,,\n", "weight",
		     FISC_DIAG_BAD_VALUE, "分值「101」无效（0–100，至多两位小数）",
		     "bad weight '101' (0–100 points, at most two decimals)");
	expect_error(st, "北碚区,2024,区教委,产出指标,,x,,≥5,5,,10,12,\n", "score",
		     FISC_DIAG_BAD_VALUE, "得分「12」超过分值", "score '12' exceeds the weight");
	expect_error(st, "北碚区,2024,区教委,产出指标,,x,,≥5,5,,,5,\n", "score",
		     FISC_DIAG_MISSING_FIELD, "有得分但没有分值", "a score is given without a weight");
	expect_error(st, "北碚区,2024,区教委,满意度指标,,x,,提升,部分达成,,10,,慢\n", "score",
		     FISC_DIAG_MISSING_FIELD,
		     "定性指标未完全达成时须填写得分（部分达成按分值的60%–80%，未达成低于60%）",
		     "a qualitative indicator not fully met needs a score (partly met: 60–80 % of the "
		     "weight; not met: below 60 %)");
	expect_error(st, "北碚区,2024,区教委,产出指标,数量指标,培训人次,,≥5,,,,,\n", "indicator",
		     FISC_DIAG_DUPLICATE_ROW,
		     "重复的绩效指标：与 t.csv:2 的部门、项目、年度和指标都相同",
		     "duplicate indicator: same department, project, year and indicator as t.csv:2");
	expect_error(st, "江北区,2024,区教委,产出指标,,x,,≥5,,,,,\n", "region",
		     FISC_DIAG_UNKNOWN_REGION, "未知地区「江北区」（请先导入地区表）",
		     "unknown region '江北区' (import a regions file first)");
	expect_error(st, "北碚区,24,区教委,产出指标,,x,,≥5,,,,,\n", "year", FISC_DIAG_BAD_VALUE,
		     "年度「24」无效（应为 1949–2200 的四位数）",
		     "bad year '24' (a four-digit year 1949–2200)");

	/* A second import of the same indicator meets the one in the store. */
	import_ok(st, IHDR IOK);
	fisc_diag *d = fisc_diag_new();
	assert_int_equal(import(st, IHDR IOK, d), FISC_EIMPORT);
	assert_int_equal(fisc_diag_get(d, 0)->kind, FISC_DIAG_DUPLICATE_ROW);
	assert_string_equal(fisc_diag_get(d, 0)->msg_en,
			    "duplicate indicator: the store already holds it for this department, "
			    "project and year");
	fisc_diag_free(d);
	assert_int_equal(indicators(st), 1);
}

static void test_import_text_errors(void **state)
{
	fisc_store *st = ((fx *)*state)->st;
	fisc_diag *d = fisc_diag_new();
	const char *csv = "region,year,department,section,text\n"
			  "北碚区,2024,区教委,基本情况,区教委负责全区教育工作。\n"
			  "北碚区,2024,区教委,结论,很好\n"
			  "北碚区,2024,区教委,改进措施,\n"
			  "北碚区,2024,区教委,基本情况,又一段\n";
	assert_int_equal(import(st, csv, d), FISC_EIMPORT);
	assert_int_equal(fisc_diag_count(d), 3);
	assert_int_equal(fisc_diag_get(d, 0)->line, 3);
	assert_string_equal(fisc_diag_get(d, 0)->msg_en,
			    "unknown section '结论' (overview, goals, results, problems, measures, other)");
	assert_int_equal(fisc_diag_get(d, 1)->line, 4);
	assert_string_equal(fisc_diag_get(d, 1)->msg_zh, "内容为空");
	assert_int_equal(fisc_diag_get(d, 2)->line, 5);
	assert_int_equal(fisc_diag_get(d, 2)->kind, FISC_DIAG_DUPLICATE_ROW);
	fisc_diag_free(d);
	fisc_arena *a = fisc_arena_new();
	fisc_perf_set s;
	assert_int_equal(fisc_perf_load(st, NULL, a, &s), FISC_OK);
	assert_int_equal(s.ntxt, 0);
	fisc_arena_free(a);
}

/* Everything a row can say survives the store, and the cell forms parse. */
static void test_roundtrip(void **state)
{
	fisc_store *st = ((fx *)*state)->st;
	import_ok(st, "地区,年度,部门,项目,一级指标,二级指标,三级指标,年度指标值,全年实际值,分值,得分,偏差原因\n"
		      "北碚区,2024,区教委,校舍维修,产出指标,时效指标,完工时间,≤ ３０天,40天,20,,雨季停工\n"
		      "北碚区,2024,区教委,,满意度指标,服务对象满意度指标,家长满意度,明显提升,部分达成：两所学校未达标,10,7,家长意见集中在食堂\n"
		      "北碚区,2024,区教委,,效益指标,,覆盖率,95%,95.5%,,,\n");
	fisc_arena *a = fisc_arena_new();
	fisc_perf_set s;
	fisc_perf_query q = {0, 2024, "区教委"};
	assert_int_equal(fisc_perf_load(st, &q, a, &s), FISC_OK);
	assert_int_equal(s.nind, 3);
	const fisc_indicator *x = &s.ind[0];
	assert_string_equal(x->project, "校舍维修");
	assert_int_equal(x->cls, FISC_IND_OUTPUT);
	assert_string_equal(x->sub, "时效指标");
	assert_int_equal(x->dir, FISC_DIR_LE);
	assert_true(x->has_target && x->target.v == 30 && x->target.scale == 0);
	assert_true(x->has_actual && x->actual.v == 40);
	assert_string_equal(x->unit, "天");
	assert_string_equal(x->target_text, "≤ ３０天");
	assert_true(x->has_weight && x->weight == 2000 && !x->has_score);
	assert_string_equal(x->reason, "雨季停工");
	assert_string_equal(x->source, "t.csv:2");
	x = &s.ind[1];
	assert_int_equal(x->dir, FISC_DIR_QUAL);
	assert_int_equal(x->grade, FISC_GRADE_PARTLY);
	assert_string_equal(x->actual_text, "部分达成：两所学校未达标");
	assert_true(x->has_score && x->score == 700);
	x = &s.ind[2];
	assert_int_equal(x->dir, FISC_DIR_GE); /* a bare number reads as 正向 */
	assert_true(x->target.v == 95 && x->actual.v == 955 && x->actual.scale == 1);
	assert_string_equal(x->unit, "%");
	assert_false(x->has_weight);
	const char *names[4];
	assert_int_equal(fisc_perf_projects(&s, names, 4), 2);
	assert_string_equal(names[0], "");
	assert_string_equal(names[1], "校舍维修");
	fisc_arena_free(a);
}

/* A workbook with an indicators sheet (numbers as numeric cells) and a texts
** sheet imports like the CSV; an error names the sheet and cell. */
static void test_xlsx(void **state)
{
	fx *f = *state;
	char path[512];
	snprintf(path, sizeof path, "%s/perf.xlsx", f->dir);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "绩效指标");
	const char *head[] = {"地区", "年度", "部门", "一级指标", "三级指标", "年度指标值", "全年实际值", "分值"};
	for (int i = 0; i < 8; i++)
		worksheet_write_string(ws, 0, (lxw_col_t)i, head[i], NULL);
	worksheet_write_string(ws, 1, 0, "北碚区", NULL);
	worksheet_write_number(ws, 1, 1, 2024, NULL);
	worksheet_write_string(ws, 1, 2, "区教委", NULL);
	worksheet_write_string(ws, 1, 3, "效益指标", NULL);
	worksheet_write_string(ws, 1, 4, "覆盖率", NULL);
	worksheet_write_number(ws, 1, 5, 95, NULL);
	worksheet_write_number(ws, 1, 6, 95.5, NULL);
	worksheet_write_number(ws, 1, 7, 7.5, NULL);
	lxw_worksheet *wt = workbook_add_worksheet(wb, "文字");
	worksheet_write_string(wt, 0, 0, "region", NULL);
	worksheet_write_string(wt, 0, 1, "year", NULL);
	worksheet_write_string(wt, 0, 2, "department", NULL);
	worksheet_write_string(wt, 0, 3, "section", NULL);
	worksheet_write_string(wt, 0, 4, "text", NULL);
	worksheet_write_string(wt, 1, 0, "北碚区", NULL);
	worksheet_write_number(wt, 1, 1, 2024, NULL);
	worksheet_write_string(wt, 1, 2, "区教委", NULL);
	worksheet_write_string(wt, 1, 3, "改进措施", NULL);
	worksheet_write_string(wt, 1, 4, "加快进度。", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	const char *paths[] = {path};
	fisc_diag *d = fisc_diag_new();
	fisc_import_stats st;
	assert_int_equal(fisc_import_files(f->st, paths, 1, d, &st), FISC_OK);
	fisc_diag_free(d);
	assert_int_equal(st.indicators, 1);
	assert_int_equal(st.texts, 1);
	fisc_arena *a = fisc_arena_new();
	fisc_perf_set s;
	assert_int_equal(fisc_perf_load(f->st, NULL, a, &s), FISC_OK);
	assert_int_equal(s.nind, 1);
	assert_true(s.ind[0].has_actual && s.ind[0].actual.v == 955 && s.ind[0].actual.scale == 1);
	assert_true(s.ind[0].has_weight && s.ind[0].weight == 750);
	assert_string_equal(fisc_perf_text_of(&s, "", "measures"), "加快进度。");
	fisc_arena_free(a);

	/* the same workbook again: both rows are duplicates, named by cell */
	d = fisc_diag_new();
	assert_int_equal(fisc_import_files(f->st, paths, 1, d, &st), FISC_EIMPORT);
	assert_int_equal(fisc_diag_count(d), 2);
	assert_string_equal(fisc_diag_get(d, 0)->cell, "绩效指标!E2");
	assert_string_equal(fisc_diag_get(d, 1)->cell, "文字!D2");
	fisc_diag_free(d);
}

/* ---- a complete self-evaluation ---------------------------------------- */

static const char *facts_csv =
	"region,scope,year,book,phase,item,amount,unit,department,fund_source\n"
	"北碚区,本级,2024,一般公共预算,预算,20502,100,万元,区教委,基本支出\n"
	"北碚区,本级,2024,一般公共预算,决算,20502,95,万元,区教委,基本支出\n";

static const char *ind_csv =
	IHDR
	"北碚区,2024,区教委,产出指标,数量指标,培训人次,,≥100人次,80,,30,,疫情影响\n"
	"北碚区,2024,区教委,产出指标,时效指标,办结时限,,≤30天,40天,,20,,\n"
	"北碚区,2024,区教委,效益指标,社会效益指标,覆盖率,,≥95%,95.5%,,20,,\n"
	"北碚区,2024,区教委,满意度指标,,服务对象满意度,,显著提升,部分达成,,20,14,投诉处理慢\n";

static int doc_has(const fisc_doc *d, const char *needle)
{
	for (size_t i = 0; i < d->nblocks; i++)
		if (d->blocks[i].text && strstr(d->blocks[i].text, needle))
			return 1;
	return 0;
}

/* A data gap: kept out of the publishable text (fisc_doc_gap). */
static int gap_has(const fisc_doc *d, const char *needle)
{
	for (size_t i = 0; i < d->ngaps; i++)
		if (strstr(d->gaps[i], needle))
			return 1;
	return 0;
}

static const fisc_table *doc_table(const fisc_doc *d, const char *title_part)
{
	for (size_t i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == FISC_BLOCK_TABLE &&
		    strstr(d->blocks[i].table->title, title_part))
			return d->blocks[i].table;
	return NULL;
}

static void test_report_scores(void **state)
{
	fisc_store *st = ((fx *)*state)->st;
	import_ok(st, facts_csv);
	import_ok(st, ind_csv);
	fisc_arena *a = fisc_arena_new();
	fisc_report_params p = {NULL, 2024, "区教委", 0};
	fisc_doc *d;
	assert_int_equal(fisc_report_performance(st, &p, a, &d), FISC_OK);
	/* 95 of 100 → 9.5; indicators 24 + 15 + 20 + 14 = 73; total 82.5 → 良 */
	assert_true(doc_has(d, "预算执行率95.00%，得9.5分"));
	assert_true(doc_has(d, "绩效自评得分82.5分，其中预算执行率9.5分、绩效指标73分，自评等级为“良”"));
	const fisc_table *t = doc_table(d, "绩效自评评分");
	assert_non_null(t);
	assert_int_equal(t->nbody, 5); /* 预算执行率, 产出, 效益, 满意度, 合计 */
	assert_string_equal(t->body[1][0].text, "产出指标");
	assert_string_equal(t->body[1][1].text, "50");
	assert_string_equal(t->body[1][3].text, "39");
	assert_int_equal(t->body[1][3].kind, FISC_CELL_NUMBER);
	assert_string_equal(t->body[4][1].text, "100");
	assert_string_equal(t->body[4][3].text, "82.5");
	t = doc_table(d, "绩效指标完成情况");
	assert_non_null(t);
	assert_int_equal(t->nbody, 4);
	assert_string_equal(t->body[1][2].text, "办结时限");
	assert_string_equal(t->body[1][5].text, "未达成");
	assert_string_equal(t->body[1][7].text, "15");
	assert_string_equal(t->body[1][8].text, "（未说明）");
	/* 七 names every shortfall, and says when the reason is missing */
	assert_true(doc_has(d, "“培训人次”年度指标值≥100人次，全年实际值80人次，未达成。原因：疫情影响"));
	assert_true(doc_has(d, "“办结时限”年度指标值≤30天，全年实际值40天，未达成。原因：（未说明偏差原因）"));
	assert_false(doc_has(d, "自评总分无法得出"));
	assert_false(gap_has(d, "自评总分无法得出"));
	fisc_arena_free(a);
}

static void test_report_incomplete(void **state)
{
	fisc_store *st = ((fx *)*state)->st;
	import_ok(st, facts_csv);
	/* weights add up to 80, one result missing */
	import_ok(st, IHDR "北碚区,2024,区教委,产出指标,,培训人次,,≥100,100,,50,,\n"
			   "北碚区,2024,区教委,效益指标,,覆盖率,,≥95%,,,30,,\n");
	fisc_arena *a = fisc_arena_new();
	fisc_report_params p = {NULL, 2024, "区教委", 0};
	fisc_doc *d;
	assert_int_equal(fisc_report_performance(st, &p, a, &d), FISC_OK);
	assert_true(gap_has(d, "部门整体支出的自评总分无法得出：指标分值合计80分，应为90分；1项指标未填报完成值。"));
	assert_false(doc_has(d, "自评总分无法得出"));
	assert_true(doc_has(d, "未填报完成值的1项：覆盖率"));
	assert_true(gap_has(d, "九、自评总分"));
	fisc_arena_free(a);
}

/* ---- the chart of targets against results ------------------------------ */

static const fisc_chart *nth_chart(const fisc_doc *d, size_t n)
{
	for (size_t i = 0; i < d->nblocks; i++)
		if (d->blocks[i].kind == FISC_BLOCK_CHART && n-- == 0)
			return d->blocks[i].chart;
	return NULL;
}

/* Index of the block whose text or table title contains needle, or -1. */
static long block_at(const fisc_doc *d, const char *needle)
{
	for (size_t i = 0; i < d->nblocks; i++) {
		const fisc_block *b = &d->blocks[i];
		const char *t = b->kind == FISC_BLOCK_TABLE   ? b->table->title
				: b->kind == FISC_BLOCK_CHART ? b->chart->title
							      : b->text;
		if (t && strstr(t, needle))
			return (long)i;
	}
	return -1;
}

static void assert_bar(const fisc_chart *c, const char *cat, int64_t target, int64_t actual)
{
	for (size_t i = 0; i < c->ncat; i++)
		if (!strcmp(c->cat[i], cat)) {
			assert_true(c->has[0][i] && c->has[1][i]);
			assert_int_equal(c->v[0][i], target);
			assert_int_equal(c->v[1][i], actual);
			return;
		}
	fail_msg("no category %s in chart %s", cat, c->title);
}

static void test_report_chart(void **state)
{
	fisc_store *st = ((fx *)*state)->st;
	import_ok(st, facts_csv);
	/* ind_csv and a second 培训人次 (another class, same unit), one without a
	** result and one of no unit */
	import_ok(st, ind_csv);
	import_ok(st, IHDR "北碚区,2024,区教委,效益指标,社会效益指标,培训人次,,≥50人次,60,,,,\n"
			   "北碚区,2024,区教委,效益指标,社会效益指标,受益企业,,≥10家,,,,,\n"
			   "北碚区,2024,区教委,效益指标,经济效益指标,投入产出比,,≥1.25,1.5,,,,\n");
	fisc_arena *a = fisc_arena_new();
	fisc_report_params p = {.year = 2024, .department = "区教委"};
	fisc_doc *d;
	assert_int_equal(fisc_report_performance(st, &p, a, &d), FISC_OK);

	/* one chart per unit, in the order the units first occur */
	const fisc_chart *c[4];
	for (size_t i = 0; i < 4; i++) {
		c[i] = nth_chart(d, i);
		assert_non_null(c[i]);
		assert_int_equal(c[i]->values, FISC_CHART_NUMBER);
		assert_int_equal(c[i]->kind, FISC_CHART_COLUMNS);
		assert_int_equal(c[i]->nser, 2);
		assert_string_equal(c[i]->ser[0], "年度指标值");
		assert_string_equal(c[i]->ser[1], "全年实际值");
		assert_true(fisc_chart_drawable(c[i]));
	}
	assert_null(nth_chart(d, 4));
	assert_string_equal(c[0]->measure, "人次");
	assert_string_equal(c[1]->measure, "天");
	assert_string_equal(c[2]->measure, "%");
	assert_string_equal(c[3]->measure, "");
	assert_string_equal(c[0]->title, "2024年部门整体支出绩效指标完成情况（人次）");
	assert_string_equal(c[3]->title, "2024年部门整体支出绩效指标完成情况（无计量单位）");
	assert_string_equal(fisc_chart_unit_text(c[3]), "");
	/* two indicators of one name stay two bars, in the table's class order */
	assert_int_equal(c[0]->ncat, 2);
	assert_string_equal(c[0]->cat[0], "培训人次");
	assert_bar(c[0], "培训人次", 100, 80);
	assert_bar(c[0], "培训人次（效益指标·社会效益指标）", 50, 60);
	assert_int_equal(c[1]->ncat, 1);
	assert_bar(c[1], "办结时限", 30, 40);
	/* 95 and 95.5 on one scale: tenths, exactly */
	assert_int_equal(c[2]->decimals, 1);
	assert_bar(c[2], "覆盖率", 950, 955);
	assert_int_equal(c[3]->decimals, 2);
	assert_bar(c[3], "投入产出比", 125, 150);
	char buf[32];
	assert_true(fisc_chart_label(c[2], 950, buf, sizeof buf) > 0);
	assert_string_equal(buf, "95.0");
	assert_true(fisc_chart_label(c[3], -5, buf, sizeof buf) > 0);
	assert_string_equal(buf, "-0.05");

	/* after the indicator table, introduced by the 完成率 of each, half up
	** (95.5 ÷ 95 = 100.526…%, 40 ÷ 30 = 133.333…%) */
	long tbl = block_at(d, "绩效指标完成情况"), para = block_at(d, "完成率（");
	assert_true(tbl >= 0 && para > tbl && block_at(d, "（人次）") == para + 1);
	assert_true(doc_has(d, "部门整体支出绩效指标中年度指标值和全年实际值均为数值的5项，"
			       "完成率（全年实际值÷年度指标值）：培训人次为80人次÷100人次＝80.00%；"
			       "培训人次为60人次÷50人次＝120.00%；"
			       "办结时限为40天÷30天＝133.33%（反向指标，不超过指标值为达成）；"
			       "覆盖率为95.5%÷95%＝100.53%；投入产出比为1.5÷1.25＝120.00%。"));

	/* every form draws it: the JSON block carries the scaled integers */
	char *json = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&json, &len);
	assert_int_equal(fisc_render_json(d, m), FISC_OK);
	fclose(m);
	json_error_t err;
	json_t *root = json_loads(json, 0, &err);
	assert_non_null(root);
	json_t *blocks = json_object_get(root, "blocks"), *b = NULL;
	for (size_t i = 0; i < json_array_size(blocks) && !b; i++) {
		json_t *x = json_array_get(blocks, i);
		if (!strcmp(json_string_value(json_object_get(x, "type")), "chart") &&
		    strstr(json_string_value(json_object_get(x, "title")), "（%）"))
			b = x;
	}
	assert_non_null(b);
	assert_string_equal(json_string_value(json_object_get(b, "values")), "number");
	assert_string_equal(json_string_value(json_object_get(b, "unit")), "%");
	assert_int_equal(json_integer_value(json_object_get(b, "scale")), 1);
	json_t *ser = json_array_get(json_object_get(b, "series"), 1);
	assert_null(json_object_get(ser, "fen"));
	assert_int_equal(json_integer_value(json_array_get(json_object_get(ser, "value"), 0)), 955);
	assert_string_equal(json_string_value(json_array_get(json_object_get(ser, "text"), 0)),
			    "95.5");
	json_decref(root);
	free(json);
	unsigned char *png = NULL;
	char *svg = NULL;
	assert_int_equal(fisc_chart_png(c[2], 480, 1, &png, &len), FISC_OK);
	assert_true(len > 8 && !memcmp(png, "\x89PNG", 4));
	free(png);
	assert_int_equal(fisc_chart_svg(c[3], 480, &svg, &len), FISC_OK);
	assert_non_null(strstr(svg, "<svg"));
	free(svg);
	fisc_arena_free(a);
}

/* A chart holds FISC_CHART_MAXCAT bars; the indicators beyond go on into a
** second chart, none dropped. */
static void test_report_chart_many(void **state)
{
	fisc_store *st = ((fx *)*state)->st;
	import_ok(st, facts_csv);
	size_t n = FISC_CHART_MAXCAT + 1;
	char *csv = strdup(IHDR);
	for (size_t i = 0; i < n; i++) {
		char row[160];
		snprintf(row, sizeof row, "北碚区,2024,区教委,产出指标,数量指标,指标%zu,,≥%zu个,%zu,,,,\n",
			 i + 1, i + 1, i + 2);
		csv = realloc(csv, strlen(csv) + strlen(row) + 1);
		strcat(csv, row);
	}
	import_ok(st, csv);
	free(csv);
	fisc_arena *a = fisc_arena_new();
	fisc_report_params p = {.year = 2024, .department = "区教委"};
	fisc_doc *d;
	assert_int_equal(fisc_report_performance(st, &p, a, &d), FISC_OK);
	const fisc_chart *c0 = nth_chart(d, 0), *c1 = nth_chart(d, 1);
	assert_non_null(c0);
	assert_non_null(c1);
	assert_null(nth_chart(d, 2));
	assert_int_equal(c0->ncat, FISC_CHART_MAXCAT);
	assert_string_equal(c1->title, "2024年部门整体支出绩效指标完成情况（续1）");
	assert_int_equal(c1->ncat, 1);
	char last[32];
	snprintf(last, sizeof last, "指标%zu", n);
	assert_bar(c1, last, (int64_t)n, (int64_t)n + 1);
	fisc_arena_free(a);
}

/* Qualitative indicators, and quantitative ones without a result, are not
** charted: a report with nothing to compare has no chart and no sentence. */
static void test_report_no_chart(void **state)
{
	fisc_store *st = ((fx *)*state)->st;
	import_ok(st, facts_csv);
	import_ok(st, IHDR "北碚区,2024,区教委,产出指标,,培训人次,,≥100人次,,,50,,\n"
			   "北碚区,2024,区教委,满意度指标,,服务对象满意度,,显著提升,达成,,40,,\n");
	fisc_arena *a = fisc_arena_new();
	fisc_report_params p = {.year = 2024, .department = "区教委"};
	fisc_doc *d;
	assert_int_equal(fisc_report_performance(st, &p, a, &d), FISC_OK);
	assert_non_null(doc_table(d, "绩效指标完成情况"));
	assert_null(nth_chart(d, 0));
	assert_false(doc_has(d, "完成率（"));
	fisc_arena_free(a);
}

/* ---- the perf.* rules of fisc check ------------------------------------ */

static const fisc_finding *finding(const fisc_findings *fs, const char *rule, const char *needle)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strcmp(fs->v[i].rule, rule) && strstr(fs->v[i].message_zh, needle))
			return &fs->v[i];
	return NULL;
}

static void test_check_rules(void **state)
{
	fisc_store *st = ((fx *)*state)->st;
	import_ok(st, ind_csv); /* 区教委: weights 90, one shortfall without a reason */
	import_ok(st, IHDR "北碚区,2024,区卫健委,产出指标,,接种人次,,≥1000,500,,30,30,疫苗到货晚\n"
			   "北碚区,2024,区卫健委,效益指标,,知晓率,,≥90%,,,40,,\n"
			   "北碚区,2024,区卫健委,满意度指标,,群众满意度,,提升,未达成,,10,7,投诉多\n");
	fisc_arena *a = fisc_arena_new();
	fisc_check_opts o = {0};
	o.rules = "perf";
	o.all = 1;
	fisc_findings *fs;
	assert_int_equal(fisc_check_run(st, &o, a, &fs), FISC_OK);
	const fisc_finding *f;
	/* perf.reason: 办结时限 fails, 培训人次 and 接种人次 pass (reasons given) */
	f = finding(fs, "perf.reason", "“办结时限”");
	assert_non_null(f);
	assert_int_equal(f->severity, FISC_SEV_ERROR);
	assert_string_equal(f->message_zh, "区教委 2024年：绩效指标“办结时限”年度指标值≤30天，全年实际值40天，未达成年度指标，但未说明偏差原因（来源 t.csv:3）");
	assert_string_equal(f->dept, "区教委");
	assert_string_equal(f->region.name, "北碚区");
	assert_int_equal(f->book, -1);
	f = finding(fs, "perf.reason", "“培训人次”");
	assert_non_null(f);
	assert_int_equal(f->severity, FISC_SEV_PASS);
	/* perf.weights: 90 for 区教委, 80 for 区卫健委 */
	f = finding(fs, "perf.weights", "区教委");
	assert_non_null(f);
	assert_int_equal(f->severity, FISC_SEV_PASS);
	f = finding(fs, "perf.weights", "区卫健委");
	assert_non_null(f);
	assert_int_equal(f->severity, FISC_SEV_ERROR);
	assert_string_equal(f->message_zh, "区卫健委 2024年：3项绩效指标分值合计80分，不符（预算执行率10分之外应为90分）");
	/* perf.score: 500 of 1000 gives 15 of 30, not the 30 given; 未达成 must stay below 6 of 10;
	** 14 of 20 for 部分达成 (区教委) is in its band */
	f = finding(fs, "perf.score", "“接种人次”");
	assert_non_null(f);
	assert_int_equal(f->severity, FISC_SEV_ERROR);
	assert_string_equal(f->message_zh, "区卫健委 2024年：指标“接种人次”填报得分30分，按全年实际值500与年度指标值≥1000计算应得15分（分值30分）（来源 t.csv:2）");
	f = finding(fs, "perf.score", "“群众满意度”");
	assert_non_null(f);
	assert_int_equal(f->severity, FISC_SEV_ERROR);
	assert_string_equal(f->message_en, "区卫健委 2024: qualitative indicator '群众满意度' graded not_met scores 7; its band is 0–6 of 10 points (source t.csv:4)");
	f = finding(fs, "perf.score", "“服务对象满意度”");
	assert_non_null(f);
	assert_int_equal(f->severity, FISC_SEV_PASS);
	/* perf.assessed: 知晓率 has no result */
	f = finding(fs, "perf.assessed", "“知晓率”");
	assert_non_null(f);
	assert_int_equal(f->severity, FISC_SEV_WARNING);
	f = finding(fs, "perf.assessed", "“覆盖率”");
	assert_non_null(f);
	assert_int_equal(f->severity, FISC_SEV_PASS);
	/* without --all only the failures are reported, and the year filter applies */
	o.all = 0;
	assert_int_equal(fisc_check_run(st, &o, a, &fs), FISC_OK);
	assert_int_equal(fs->severities[FISC_SEV_ERROR], 4); /* reason, weights, score × 2 */
	assert_int_equal(fs->severities[FISC_SEV_WARNING], 1);
	o.year = 2023;
	assert_int_equal(fisc_check_run(st, &o, a, &fs), FISC_OK);
	assert_int_equal(fs->n, 0);
	fisc_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimal_parse),
		cmocka_unit_test(test_points),
		cmocka_unit_test(test_score_quantitative),
		cmocka_unit_test(test_score_qualitative),
		cmocka_unit_test(test_budget_points_and_grade),
		cmocka_unit_test(test_vocabulary),
		cmocka_unit_test_setup_teardown(test_import_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_text_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xlsx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_scores, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_chart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_no_chart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_chart_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_rules, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
