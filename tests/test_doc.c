/*
** test_doc.c — the document model (doc.c) and its five renderers on a small
** document: Markdown, HTML, JSON (parsed back with jansson), XLSX (read back
** with fisc's own XLSX reader, and its sheet XML inspected to prove that
** amounts are numeric cells with a 万元 number format, headers merged and
** frozen) and CSV (one file per table, to a directory, a prefix or stdout).
*/
#include "testutil.h"

#include <jansson.h>
#include <sys/stat.h>
#include <zip.h>

#include "fisc/doc.h"
#include "fisc/error.h"
#include "import/rows.h"
#include "model/util.h"

/* ---- a small document ---------------------------------------------------- */

/* 标题, a heading, a paragraph, a note, a table with a merged two-row header
** and typed cells, and an empty table with its sentence. */
static fisc_doc *small_doc(fisc_arena *a)
{
	fisc_doc *d = fisc_doc_new(a, "test", "测试报告");
	assert_non_null(d);
	fisc_doc_subtitle(d, "副标题 %d", 2025);
	fisc_doc_heading(d, 1, "一、总体情况");
	fisc_doc_para(d, "收入合计%s，含<特殊>字符 & \"引号\"。", "3658.95万元");
	fisc_doc_note(d, "这是一条说明。");
	fisc_table *t = fisc_doc_table(d, "表1 收入表", 4);
	fisc_table_unit(d, t, FISC_UNIT_WAN);
	fisc_cell *h0 = fisc_table_head(d, t);
	fisc_cell_text(d, &h0[0], "项目");
	fisc_cell_text(d, &h0[1], "财政拨款收入");
	fisc_cell_text(d, &h0[3], "占比");
	fisc_cell *h1 = fisc_table_head(d, t);
	fisc_cell_text(d, &h1[1], "一般公共预算");
	fisc_cell_text(d, &h1[2], "政府性基金预算");
	fisc_table_merge_head(t, 0, 0, 2, 1);
	fisc_table_merge_head(t, 0, 1, 1, 2);
	fisc_table_merge_head(t, 0, 3, 2, 1);
	fisc_cell *r = fisc_table_row(d, t);
	fisc_cell_text(d, &r[0], "合计");
	r[0].strong = 1;
	fisc_cell_amount(d, &r[1], 3658950000, FISC_UNIT_WAN, 2); /* 3658.95万元 */
	fisc_cell_amount(d, &r[2], 0, FISC_UNIT_WAN, 2);
	fisc_cell_percent(d, &r[3], 32315, 667132, 2);         /* 4.844% → 4.84% */
	r = fisc_table_row(d, t);
	fisc_cell_text(d, &r[0], "a|b,c");
	r[0].level = 1;
	fisc_cell_amount(d, &r[1], -1000000, FISC_UNIT_WAN, 0); /* -1万元 */
	/* r[2] left empty: a blank cell */
	fisc_cell_percent(d, &r[3], 1, 8, 0); /* 12.5% → 13% (half away from zero) */
	fisc_table_note(d, t, "表注");
	fisc_table *e = fisc_doc_table(d, "表2 空表", 2);
	fisc_cell *eh = fisc_table_head(d, e);
	fisc_cell_text(d, &eh[0], "项目");
	fisc_cell_text(d, &eh[1], "金额");
	fisc_table_empty(d, e, "本部门没有此项支出，本表为空表。");
	assert_int_equal(fisc_doc_status(d), FISC_OK);
	return d;
}

/* Render into a malloc'ed string. */
static char *render(const fisc_doc *d, const char *format)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	assert_int_equal(fisc_doc_write(d, format, NULL, m), FISC_OK);
	fclose(m);
	return buf;
}

#define assert_has(hay, needle)                                                                 \
	do {                                                                                    \
		if (!strstr((hay), (needle)))                                                    \
			fail_msg("missing «%s» in:\n%s", (needle), (hay));                       \
	} while (0)

/* ---- the model ------------------------------------------------------------ */

static void test_model(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	fisc_doc *d = small_doc(a);
	assert_int_equal(d->nblocks, 5);
	const fisc_table *t = d->blocks[3].table;
	assert_int_equal(t->nhead, 2);
	assert_int_equal(t->nbody, 2);
	/* merged header: anchors carry spans, the rest is covered */
	assert_int_equal(t->head[0][0].rowspan, 2);
	assert_int_equal(t->head[1][0].kind, FISC_CELL_COVERED);
	assert_int_equal(t->head[0][1].colspan, 2);
	assert_int_equal(t->head[0][2].kind, FISC_CELL_COVERED);
	/* typed cells keep the exact value and the printed text */
	assert_int_equal(t->body[0][1].kind, FISC_CELL_AMOUNT);
	assert_int_equal(t->body[0][1].fen, 3658950000);
	assert_string_equal(t->body[0][1].text, "3,658.95");
	assert_string_equal(t->body[0][2].text, "0.00");
	assert_string_equal(t->body[0][3].text, "4.84%");
	assert_string_equal(t->body[1][1].text, "-1");
	assert_int_equal(t->body[1][2].kind, FISC_CELL_EMPTY);
	assert_string_equal(t->body[1][3].text, "13%");
	/* a zero denominator leaves the cell empty rather than failing */
	fisc_cell c;
	memset(&c, 0, sizeof c);
	fisc_cell_percent(d, &c, 1, 0, 2);
	assert_int_equal(c.kind, FISC_CELL_EMPTY);
	assert_int_equal(fisc_doc_status(d), FISC_OK);
	fisc_arena_free(a);
}

/* An error is sticky: later calls are harmless no-ops, rendering refuses. */
static void test_sticky_error(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	fisc_doc *d = fisc_doc_new(a, "x", "x");
	fisc_table *t = fisc_doc_table(d, "bad", 0);
	assert_int_equal(fisc_doc_status(d), FISC_EINVAL);
	fisc_cell *r = fisc_table_row(d, t);
	fisc_cell_text(d, &r[0], "ignored");
	fisc_cell_amount(d, &r[1], 1, FISC_UNIT_WAN, 0);
	fisc_doc_para(d, "ignored");
	assert_int_equal(d->nblocks, 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_int_equal(fisc_doc_write(d, "md", NULL, m), FISC_EINVAL);
	fclose(m);
	free(buf);
	/* an unknown format is refused with a message */
	fisc_doc *ok = small_doc(a);
	m = open_memstream(&buf, &len);
	assert_int_equal(fisc_doc_write(ok, "odt", NULL, m), FISC_EINVAL);
	fclose(m);
	free(buf);
	assert_non_null(strstr(fisc_error_message(), "odt"));
	fisc_arena_free(a);
}

/* ---- Markdown ------------------------------------------------------------ */

static void test_markdown(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	char *s = render(small_doc(a), "md");
	assert_has(s, "# 测试报告\n\n副标题 2025\n\n## 一、总体情况\n\n");
	assert_has(s, "> 注：这是一条说明。");
	assert_has(s, "**表1 收入表**\n\n单位：万元\n\n");
	/* the two header rows flattened into one; numeric columns right-aligned */
	assert_has(s, "| 项目 | 财政拨款收入/一般公共预算 | 财政拨款收入/政府性基金预算 | 占比 |\n"
		      "|---|---:|---:|---:|\n");
	assert_has(s, "| 合计 | 3,658.95 | 0.00 | 4.84% |\n");
	assert_has(s, "| a\\|b,c | -1 |  | 13% |\n"); /* a pipe in a cell is escaped */
	assert_has(s, "> 注：表注");
	assert_has(s, "**表2 空表**\n\n本部门没有此项支出，本表为空表。");
	free(s);
	fisc_arena_free(a);
}

/* ---- HTML ---------------------------------------------------------------- */

static void test_html(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	char *s = render(small_doc(a), "html");
	assert_has(s, "<!DOCTYPE html>");
	assert_has(s, "<html lang=\"zh-CN\">");
	assert_has(s, "@page { size: A4;");
	assert_has(s, "\"Noto Serif CJK SC\", \"Source Han Serif SC\"");
	assert_has(s, "\"SimSun\"");
	assert_has(s, "<h1>测试报告</h1>");
	assert_has(s, "<h2>一、总体情况</h2>");
	assert_has(s, "含&lt;特殊&gt;字符 &amp; &quot;引号&quot;");
	/* texts of up to six characters do not wrap (class nw) */
	assert_has(s, "<th class=\"nw\" rowspan=\"2\">项目</th><th class=\"nw\" colspan=\"2\">财政拨款收入</th>"
		      "<th class=\"nw\" rowspan=\"2\">占比</th></tr>");
	assert_has(s, "<tr><th class=\"nw\">一般公共预算</th><th>政府性基金预算</th></tr>");
	assert_has(s, "<td class=\"strong nw\">合计</td><td class=\"num\">3,658.95</td>");
	assert_has(s, "<td class=\"l1 nw\">a|b,c</td>");
	assert_has(s, "<div class=\"unit\">单位：万元</div>");
	assert_has(s, "<div class=\"empty\">本部门没有此项支出，本表为空表。</div>");
	assert_has(s, "</html>");
	free(s);
	fisc_arena_free(a);
}

/* ---- JSON ---------------------------------------------------------------- */

static void test_json(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	char *s = render(small_doc(a), "json");
	json_error_t err;
	json_t *root = json_loads(s, 0, &err);
	if (!root)
		fail_msg("bad JSON: %s\n%s", err.text, s);
	assert_string_equal(json_string_value(json_object_get(root, "kind")), "test");
	json_t *blocks = json_object_get(root, "blocks");
	assert_int_equal(json_array_size(blocks), 5);
	assert_string_equal(json_string_value(json_object_get(json_array_get(blocks, 0), "type")),
			    "heading");
	json_t *t = json_array_get(blocks, 3);
	assert_string_equal(json_string_value(json_object_get(t, "type")), "table");
	assert_string_equal(json_string_value(json_object_get(t, "unit")), "万元");
	json_t *h = json_object_get(t, "header");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_array_get(h, 0), 1),
							    "colspan")),
			 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_array_get(h, 0), 2), "type")),
			    "covered");
	json_t *cell = json_array_get(json_array_get(json_object_get(t, "rows"), 0), 1);
	assert_string_equal(json_string_value(json_object_get(cell, "type")), "amount");
	assert_true(json_is_integer(json_object_get(cell, "fen")));
	assert_int_equal(json_integer_value(json_object_get(cell, "fen")), 3658950000);
	assert_string_equal(json_string_value(json_object_get(cell, "text")), "3,658.95");
	json_t *pc = json_array_get(json_array_get(json_object_get(t, "rows"), 0), 3);
	assert_string_equal(json_string_value(json_object_get(pc, "text")), "4.84%");
	assert_int_equal(json_integer_value(json_object_get(pc, "num")), 32315);
	json_t *empty = json_array_get(blocks, 4);
	assert_string_equal(json_string_value(json_object_get(empty, "empty")),
			    "本部门没有此项支出，本表为空表。");
	json_decref(root);
	free(s);
	fisc_arena_free(a);
}

/* ---- XLSX ---------------------------------------------------------------- */

enum { MAXR = 64 };
typedef struct book {
	int n;
	char sheet[MAXR][64];
	char line[MAXR][512];
} book;

static int collect(void *ud, const fisc_row *row)
{
	book *b = ud;
	if (b->n >= MAXR)
		return 0;
	size_t n = 0;
	for (size_t i = 0; i < row->ncells; i++)
		n += (size_t)snprintf(b->line[b->n] + n, sizeof b->line[0] - n, "%s%s", i ? "|" : "",
				      row->cells[i]);
	snprintf(b->sheet[b->n], sizeof b->sheet[0], "%s", row->sheet);
	b->n++;
	return 0;
}

/* One part of the workbook archive, NUL-terminated. */
static char *zip_part(const char *path, const char *name)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	assert_non_null(z);
	zip_stat_t st;
	assert_int_equal(zip_stat(z, name, 0, &st), 0);
	zip_file_t *f = zip_fopen(z, name, 0);
	assert_non_null(f);
	char *buf = calloc(1, st.size + 1);
	assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	zip_close(z);
	return buf;
}

static void test_xlsx(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	char *dir = tu_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/t.xlsx", dir);
	assert_int_equal(fisc_doc_write(small_doc(a), "xlsx", path, NULL), FISC_OK);

	/* read back with fisc's own reader */
	book b = {0};
	fisc_diag *dg = fisc_diag_new();
	assert_int_equal(fisc_xlsx_read(path, collect, &b, dg), FISC_OK);
	fisc_diag_free(dg);
	/* one sheet per table, named after it */
	assert_string_equal(b.sheet[0], "表1 收入表");
	/* (the reader drops trailing empty cells) */
	assert_string_equal(b.line[0], "表1 收入表");
	assert_string_equal(b.line[1], "单位：万元");
	assert_string_equal(b.line[2], "项目|财政拨款收入||占比");
	assert_string_equal(b.line[3], "|一般公共预算|政府性基金预算");
	/* the amount is the number 3658.95 (万元), the percentage the printed 4.84 */
	assert_string_equal(b.line[4], "合计|3658.95|0|4.84");
	assert_string_equal(b.line[5], "a|b,c|-1||13");
	int found_empty = 0;
	for (int i = 0; i < b.n; i++)
		if (!strcmp(b.sheet[i], "表2 空表") && strstr(b.line[i], "本表为空表"))
			found_empty = 1;
	assert_true(found_empty);

	/* the sheet XML: numeric cells (no t="s"), a 万元 number format, merged
	** and frozen header rows */
	char *sheet = zip_part(path, "xl/worksheets/sheet1.xml");
	char *b5 = strstr(sheet, "<c r=\"B5\"");
	assert_non_null(b5);
	char *end = strstr(b5, "</c>");
	assert_non_null(end);
	*end = 0;
	assert_null(strstr(b5, "t=\"s\""));
	assert_null(strstr(b5, "t=\"str\""));
	assert_non_null(strstr(b5, "<v>3658.95</v>"));
	*end = '<';
	assert_has(sheet, "state=\"frozen\"");
	assert_has(sheet, "topLeftCell=\"A5\"");
	assert_has(sheet, "<mergeCell ref=\"B3:C3\"/>");
	assert_has(sheet, "<mergeCell ref=\"A3:A4\"/>");
	char *styles = zip_part(path, "xl/styles.xml");
	assert_has(styles, "formatCode=\"#,##0.00\"");
	assert_has(styles, "formatCode=\"#,##0\"");
	assert_has(styles, "formatCode=\"0.00&quot;%&quot;\"");
	free(sheet);
	free(styles);

	/* without a path the workbook goes to the stream */
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	assert_int_equal(fisc_doc_write(small_doc(a), "xlsx", NULL, m), FISC_OK);
	fclose(m);
	assert_true(len > 1000);
	assert_memory_equal(buf, "PK\x03\x04", 4);
	free(buf);
	tu_rmrf(dir);
	free(dir);
	fisc_arena_free(a);
}

/*
** The workbook prints like the published tables: A4 fitted to one page
** wide, landscape only for a wide table, the document's title and the
** table's in the page header, page numbers, header rows as print titles,
** the report's fonts, and sheets named after their tables (31 characters,
** unique even when two titles share their first 31).
*/
static void test_xlsx_print(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	fisc_doc *d = fisc_doc_new(a, "test", "北碚区2023年R&D预算");
	const char *longt = "2023年全区一般公共预算收支平衡情况及其说明和附注和其他内容之一";
	for (int i = 0; i < 3; i++) {
		size_t ncols = i == 2 ? 12 : 2;
		fisc_table *t = fisc_doc_table(d, i < 2 ? longt : "宽表", ncols);
		fisc_table_unit(d, t, FISC_UNIT_WAN);
		fisc_cell *h = fisc_table_head(d, t);
		for (size_t c = 0; c < ncols; c++)
			fisc_cell_text(d, &h[c], "栏目%zu", c);
		fisc_cell *r = fisc_table_row(d, t);
		fisc_cell_text(d, &r[0], "一般公共服务支出");
		for (size_t c = 1; c < ncols; c++)
			fisc_cell_amount(d, &r[c], 123456789, FISC_UNIT_WAN, 2);
	}
	char *dir = tu_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/p.xlsx", dir);
	assert_int_equal(fisc_doc_write(d, "xlsx", path, NULL), FISC_OK);

	char *wbx = zip_part(path, "xl/workbook.xml");
	/* the first 31 characters of the title, then the same cut shorter */
	assert_has(wbx, "<sheet name=\"2023年全区一般公共预算收支平衡情况及其说明和附注和其他内容\"");
	assert_has(wbx, "<sheet name=\"2023年全区一般公共预算收支平衡情况及其说明和附注和 (2)\"");
	assert_has(wbx, "<sheet name=\"宽表\"");
	assert_has(wbx, "_xlnm.Print_Titles");
	free(wbx);
	for (int i = 1; i <= 3; i++) {
		char part[64];
		snprintf(part, sizeof part, "xl/worksheets/sheet%d.xml", i);
		char *x = zip_part(path, part);
		assert_has(x, "<pageSetUpPr fitToPage=\"1\"/>");
		assert_has(x, "paperSize=\"9\"");
		assert_has(x, "fitToHeight=\"0\"");
		assert_has(x, i == 3 ? "orientation=\"landscape\"" : "orientation=\"portrait\"");
		/* '&' of the title doubled, so it prints and starts no code */
		assert_has(x, "北碚区2023年R&amp;&amp;D预算");
		assert_has(x, "<oddFooter>");
		assert_has(x, "&amp;P");
		free(x);
	}
	char *styles = zip_part(path, "xl/styles.xml");
	assert_has(styles, "<name val=\"仿宋_GB2312\"/>");
	assert_has(styles, "<name val=\"黑体\"/>");
	free(styles);
	tu_rmrf(dir);
	free(dir);
	fisc_arena_free(a);
}

/* ---- CSV ----------------------------------------------------------------- */

static char *slurp(const char *path)
{
	size_t len;
	char *s = fisc_read_file(path, &len);
	if (!s)
		fail_msg("cannot read %s", path);
	return s;
}

static void test_csv(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	fisc_doc *d = small_doc(a);
	char *dir = tu_tmpdir();
	char out[600], file[800];

	/* a directory named with a trailing slash is created */
	snprintf(out, sizeof out, "%s/tables/", dir);
	assert_int_equal(fisc_doc_write(d, "csv", out, NULL), FISC_OK);
	snprintf(file, sizeof file, "%s01-表1_收入表.csv", out);
	char *s = slurp(file);
	assert_has(s, "\xEF\xBB\xBF# 表1 收入表（单位：万元）\r\n");
	assert_has(s, "项目,财政拨款收入/一般公共预算,财政拨款收入/政府性基金预算,占比\r\n");
	assert_has(s, "合计,3658.95,0.00,4.84%\r\n");
	assert_has(s, "\"a|b,c\",-1,,13%\r\n"); /* the comma forces quoting */
	assert_has(s, "# 注：表注\r\n");
	free(s);
	snprintf(file, sizeof file, "%s02-表2_空表.csv", out);
	s = slurp(file);
	assert_has(s, "项目,金额\r\n# 本部门没有此项支出，本表为空表。\r\n");
	free(s);

	/* a prefix */
	snprintf(out, sizeof out, "%s/rep", dir);
	assert_int_equal(fisc_doc_write(d, "csv", out, NULL), FISC_OK);
	snprintf(file, sizeof file, "%s/rep-01-表1_收入表.csv", dir);
	struct stat sb;
	assert_int_equal(stat(file, &sb), 0);
	snprintf(file, sizeof file, "%s/rep-02-表2_空表.csv", dir);
	assert_int_equal(stat(file, &sb), 0);

	/* no path: every table to the stream */
	s = render(d, "csv");
	assert_has(s, "# 表1 收入表（单位：万元）\r\n");
	assert_has(s, "\r\n\r\n# 表2 空表\r\n");
	free(s);
	tu_rmrf(dir);
	free(dir);
	fisc_arena_free(a);
}

/* A file that cannot be written is an error with a message, not a crash. */
static void test_bad_path(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	fisc_doc *d = small_doc(a);
	assert_int_equal(fisc_doc_write(d, "md", "/nonexistent-dir/x.md", NULL), FISC_EIO);
	assert_int_equal(fisc_doc_write(d, "xlsx", "/nonexistent-dir/x.xlsx", NULL), FISC_EIO);
	assert_int_equal(fisc_doc_write(d, "csv", "/nonexistent-dir/x", NULL), FISC_EIO);
	fisc_arena_free(a);
}

/* ---- hostile names (issue 10, item 9) ------------------------------------ */

/* Names as an attacker would put them in an imported file: Markdown markup,
** a javascript: link, raw HTML, line breaks that would start a new heading,
** terminal escapes, a C1 control, a bidi override, and cells a spreadsheet
** would run as formulas, next to genuine numbers that must stay numbers. */
#define EVIL_LINK "[点我](javascript:alert(1))"
#define EVIL_NAME "# 恶意|<script>alert(1)</script>`code` *强* " EVIL_LINK
#define EVIL_TTY "\x1b[31m红\x1b[0m\xc2\x9b\xe2\x80\xae反向\xe2\x81\xa6"

static const char *const formula_cells[] = {
	"=HYPERLINK(\"http://e.vil\",\"点我\")", "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"};
static const char *const number_cells[] = {"-123.45", "+5", "1,234.50", "-4.84%"};

static fisc_doc *evil_doc(fisc_arena *a)
{
	fisc_doc *d = fisc_doc_new(a, "test", EVIL_NAME "\n# 第二个标题");
	fisc_doc_subtitle(d, "-1. 副标题\n=====");
	fisc_doc_heading(d, 1, "部门：%s\n# 假标题", EVIL_NAME);
	fisc_doc_para(d, "1. 项目%s。\n\n<img src=x onerror=alert(1)>\n- 列表 %s", EVIL_NAME, EVIL_TTY);
	fisc_doc_note(d, "说明\n# 假标题 %s", EVIL_TTY);
	fisc_table *t = fisc_doc_table(d, "表|1\n# 假标题", 3);
	fisc_table_unit(d, t, FISC_UNIT_WAN);
	fisc_cell *h = fisc_table_head(d, t);
	fisc_cell_text(d, &h[0], "名称|x");
	fisc_cell_text(d, &h[1], "=金额");
	fisc_cell_text(d, &h[2], "说明");
	fisc_cell *r = fisc_table_row(d, t);
	fisc_cell_text(d, &r[0], "%s", EVIL_NAME);
	fisc_cell_amount(d, &r[1], -123450000, FISC_UNIT_WAN, 2); /* -123.45万元 */
	fisc_cell_text(d, &r[2], "行一\n行二\t列" EVIL_TTY);
	for (size_t i = 0; i < sizeof formula_cells / sizeof *formula_cells; i++) {
		r = fisc_table_row(d, t);
		fisc_cell_text(d, &r[0], "%s", formula_cells[i]);
		fisc_cell_text(d, &r[2], "%s", i < sizeof number_cells / sizeof *number_cells
						     ? number_cells[i] : "x");
	}
	fisc_table_note(d, t, "注一\n# 假标题");
	assert_int_equal(fisc_doc_status(d), FISC_OK);
	return d;
}

/* Nothing invisible reaches the output raw. */
static void assert_no_raw_controls(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r') || *p == 0x7f)
			fail_msg("raw control 0x%02x at «%.40s»", *p, (const char *)p);
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fail_msg("raw C1 control at «%.40s»", (const char *)p);
		if (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
				     (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
			fail_msg("raw bidi control at «%.40s»", (const char *)p);
	}
}

/* Unescaped '|' in a Markdown line. */
static int md_pipes(const char *line, size_t len)
{
	int n = 0;
	for (size_t i = 0; i < len; i++) {
		if (line[i] == '\\' && i + 1 < len) {
			i++;
			continue;
		}
		n += line[i] == '|';
	}
	return n;
}

static void test_injection_markdown(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	char *s = render(evil_doc(a), "md");
	assert_no_raw_controls(s);
	assert_has(s, "\\x1b\\[31m红"); /* shown, never sent to the terminal */
	assert_has(s, "\\\\u202e反向");
	int headings = 0, rows = 0;
	for (char *line = s, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		size_t len = (size_t)(nl - line);
		/* only the title and the one heading start a line with '#' */
		if (*line == '#')
			headings++;
		/* the block structure is the document's: no list items, quotes
		** only for notes, no setext underline, no raw HTML */
		assert_false(len && strchr("-+=<*", *line) && strncmp(line, "**", 2) != 0);
		assert_false(len > 1 && line[0] >= '0' && line[0] <= '9' && line[1] == '.');
		/* every table row has exactly four unescaped pipes (three cells) */
		if (*line == '|') {
			rows++;
			if (md_pipes(line, len) != 4)
				fail_msg("table row broken: %.*s", (int)len, line);
		}
		/* no live link, HTML tag or code span survives */
		for (size_t i = 0; i < len; i++)
			if (strchr("[]<>`*_", line[i]) && (i == 0 || line[i - 1] != '\\') &&
			    !(line[i] == '>' && i == 0) && !(line[i] == '*' && (line[0] == '*')))
				fail_msg("unescaped '%c' in: %.*s", line[i], (int)len, line);
	}
	assert_int_equal(headings, 2);
	assert_int_equal(rows, 2 + 1 + 6); /* header, rule, body */
	assert_has(s, "# \\# 恶意\\|\\<script\\>alert(1)\\</script\\>\\`code\\` \\*强\\* "
		      "\\[点我\\](javascript:alert(1)) \\# 第二个标题\n");
	assert_has(s, "\n\\-1. 副标题 =====\n");
	assert_has(s, "\n1\\. 项目\\# 恶意");
	assert_has(s, "| =HYPERLINK(\"http://e.vil\",\"点我\") |  | -123.45 |");
	assert_has(s, "| \\# 恶意\\|"); /* a cell keeps its pipe, escaped */
	assert_has(s, "| 行一 行二 列"); /* line breaks and tabs fold into spaces */
	assert_null(strstr(s, "[点我]")); /* (every '<' was checked escaped above) */
	free(s);
	fisc_arena_free(a);
}

/* HTML was already right: markup characters become entities, and now the
** invisible characters are shown too. */
static void test_injection_html(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	char *s = render(evil_doc(a), "html");
	assert_no_raw_controls(s);
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<img"));
	assert_null(strstr(s, "href"));
	assert_has(s, "<h1># 恶意|&lt;script&gt;alert(1)&lt;/script&gt;`code` *强* "
		      "[点我](javascript:alert(1))\n# 第二个标题</h1>");
	assert_has(s, "\\x1b[31m红\\x1b[0m\\x9b\\u202e反向\\u2066");
	assert_has(s, "<td>=HYPERLINK(&quot;http://e.vil&quot;,&quot;点我&quot;)</td>");
	free(s);
	fisc_arena_free(a);
}

/* JSON is for programs: names round-trip exactly, escaped by the JSON
** grammar itself (no raw control character in the text). */
static void test_injection_json(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	char *s = render(evil_doc(a), "json");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		assert_false(*p < 0x20 && *p != '\n');
	json_error_t e;
	json_t *root = json_loads(s, 0, &e);
	assert_non_null(root);
	json_t *rows = json_object_get(json_array_get(json_object_get(root, "blocks"), 3), "rows");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_array_get(rows, 0), 0),
							      "text")),
			    EVIL_NAME);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_array_get(rows, 1), 0),
							      "text")),
			    formula_cells[0]);
	json_decref(root);
	free(s);
	fisc_arena_free(a);
}

/* CSV and text (TSV): formula triggers get a leading apostrophe, genuine
** numbers stay numbers, a tab or line break cannot add a column or a row. */
static void test_injection_csv_text(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	fisc_doc *d = evil_doc(a);
	char *s = render(d, "csv");
	assert_no_raw_controls(s);
	assert_has(s, "# 表|1 # 假标题（单位：万元）\r\n"); /* the comment stays one line */
	assert_has(s, "名称|x,\"'=金额\",说明\r\n");
	assert_has(s, "\"'=HYPERLINK(\"\"http://e.vil\"\",\"\"点我\"\")\",,-123.45\r\n");
	assert_has(s, "\"'+1+2\",,+5\r\n");
	assert_has(s, "\"'-2+3\",,\"1,234.50\"\r\n");
	assert_has(s, "\"'@SUM(A1:A9)\",,-4.84%\r\n");
	assert_has(s, "\"'\t=1+1\",,x\r\n");
	assert_has(s, "\"'\\r=1+1\",,x\r\n");
	assert_has(s, ",-123.45,\"行一\n行二\t列\\x1b[31m红"); /* quoted, so still one cell */
	assert_has(s, "# 注：注一 # 假标题\r\n");
	free(s);

	s = render(d, "text");
	assert_no_raw_controls(s);
	assert_has(s, "名称|x\t'=金额\t说明\n");
	assert_has(s, "'=HYPERLINK(\"http://e.vil\",\"点我\")\t\t-123.45\n");
	assert_has(s, "'+1+2\t\t+5\n'-2+3\t\t1,234.50\n'@SUM(A1:A9)\t\t-4.84%\n");
	assert_has(s, "'\\t=1+1\t\tx\n'\\r=1+1\t\tx\n");
	assert_has(s, "\t-123.45\t行一\\n行二\\t列\\x1b[31m红\\x1b[0m\\x9b\\u202e反向\\u2066\n");
	/* the table is eight lines of exactly three cells */
	int rows = 0;
	for (char *line = strstr(s, "名称|x"); line && *line && *line != '\n' && strncmp(line, "注：", 6);
	     line = strchr(line, '\n') + 1) {
		int tabs = 0;
		for (char *p = line; *p != '\n'; p++)
			tabs += *p == '\t';
		assert_int_equal(tabs, 2);
		rows++;
	}
	assert_int_equal(rows, 8);
	free(s);
	fisc_arena_free(a);
}

/* XLSX writes every text as a string cell, never a formula. */
static void test_injection_xlsx(void **state)
{
	(void)state;
	fisc_arena *a = fisc_arena_new();
	char *dir = tu_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/evil.xlsx", dir);
	assert_int_equal(fisc_doc_write(evil_doc(a), "xlsx", path, NULL), FISC_OK);
	char *sheet = zip_part(path, "xl/worksheets/sheet1.xml");
	assert_null(strstr(sheet, "<f>"));
	assert_null(strstr(sheet, "<f "));
	char *strings = zip_part(path, "xl/sharedStrings.xml");
	assert_has(strings, "<t>=HYPERLINK(\"http://e.vil\",\"点我\")</t>");
	assert_has(strings, "@SUM(A1:A9)");
	free(sheet);
	free(strings);
	book b = {0};
	fisc_diag *dg = fisc_diag_new();
	assert_int_equal(fisc_xlsx_read(path, collect, &b, dg), FISC_OK);
	fisc_diag_free(dg);
	int found = 0;
	for (int i = 0; i < b.n; i++)
		found += strstr(b.line[i], formula_cells[0]) != NULL;
	assert_int_equal(found, 1);
	tu_rmrf(dir);
	free(dir);
	fisc_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),    cmocka_unit_test(test_sticky_error),
		cmocka_unit_test(test_markdown), cmocka_unit_test(test_html),
		cmocka_unit_test(test_json),     cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_xlsx_print),
		cmocka_unit_test(test_csv),      cmocka_unit_test(test_bad_path),
		cmocka_unit_test(test_injection_markdown), cmocka_unit_test(test_injection_html),
		cmocka_unit_test(test_injection_json),     cmocka_unit_test(test_injection_csv_text),
		cmocka_unit_test(test_injection_xlsx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
