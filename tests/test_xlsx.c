/*
** test_xlsx.c — the XLSX row reader (src/lib/import/xlsx.c): workbooks
** written by libxlsxwriter read back cell for cell, hand-built archives for
** what libxlsxwriter never writes (prefixed names, rich text, Excel's float
** artefacts, rows without r), and broken archives that must be reported as
** bad-xlsx or bad-utf8 without crashing or leaking.
*/
#include "testutil.h"

#include <xlsxwriter.h>
#include <zip.h>

#include "fisc/error.h"
#include "fisc/import.h"
#include "import/rows.h"

/* ---- collecting rows -------------------------------------------------- */

enum { MAXROWS = 32 };

/* Each row delivered, rendered "sheet:line:cell|cell|…". */
typedef struct got {
	int n;
	char *rows[MAXROWS];
	int stop_after; /* >0: the callback returns 42 after this many rows */
	const char *file; /* row->file of the last row */
} got;

static int collect(void *ud, const fisc_row *row)
{
	got *g = ud;
	static char buf[1 << 17];
	size_t n = 0;
	assert_non_null(row->file);
	assert_non_null(row->sheet);
	assert_non_null(row->cols);
	assert_true(row->ncells > 0);
	n += (size_t)snprintf(buf, sizeof buf, "%s:%ld:", row->sheet, row->line);
	for (size_t i = 0; i < row->ncells; i++) {
		assert_int_equal(row->cols[i], (int)i);
		assert_int_equal(row->lens[i], strlen(row->cells[i]));
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s",
				      i ? "|" : "", row->cells[i]);
		assert_true(n < sizeof buf);
	}
	assert_true(g->n < MAXROWS);
	g->file = row->file;
	g->rows[g->n++] = strdup(buf);
	if (g->stop_after && g->n >= g->stop_after)
		return 42;
	return 0;
}

static void got_free(got *g)
{
	for (int i = 0; i < g->n; i++)
		free(g->rows[i]);
	g->n = 0;
}

static void assert_rows(got *g, const char *const *want, int n)
{
	for (int i = 0; i < g->n && i < n; i++)
		assert_string_equal(g->rows[i], want[i]);
	assert_int_equal(g->n, n);
}

/* ---- building archives in memory ------------------------------------ */

typedef struct part {
	const char *name;
	const char *data;
} part;

/* A zip archive holding `parts`, in a malloc'ed buffer. */
static void *mkzip(const part *parts, size_t n, size_t *len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	zip_source_keep(src); /* still wanted after zip_close */
	for (size_t i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(za, parts[i].data,
						    strlen(parts[i].data), 0);
		assert_non_null(s);
		assert_true(zip_file_add(za, parts[i].name, s,
					 ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(za), 0);

	zip_stat_t st;
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_stat(src, &st), 0);
	char *buf = malloc(st.size);
	assert_non_null(buf);
	assert_int_equal(zip_source_read(src, buf, st.size), (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len = st.size;
	return buf;
}

static int read_parts(const part *parts, size_t n, got *g, fisc_diag *d)
{
	size_t len;
	void *buf = mkzip(parts, n, &len);
	int rc = fisc_xlsx_read_buffer("t.xlsx", buf, len, collect, g, d);
	free(buf);
	return rc;
}

#define WB_XML                                                                 \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"      \
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"  \
	"2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"            \
	"officeDocument/2006/relationships\"><sheets>"                         \
	"<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define RELS_XML                                                               \
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"   \
	"2006/relationships\"><Relationship Id=\"rId1\" Type=\"" REL_NS        \
	"worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
#define SHEET(rows)                                                            \
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/" \
	"2006/main\"><sheetData>" rows "</sheetData></worksheet>"

/* A one-sheet workbook ("S") with this sheet part and shared strings. */
static int read_sheet(const char *sheet, const char *sst, got *g,
		      fisc_diag *d)
{
	part p[] = {
		{ "xl/workbook.xml", WB_XML },
		{ "xl/_rels/workbook.xml.rels", RELS_XML },
		{ "xl/worksheets/sheet1.xml", sheet },
		{ "xl/sharedStrings.xml", sst },
	};
	return read_parts(p, sst ? 4 : 3, g, d);
}

/* The only diag entry, which must be of this kind. */
static const fisc_diag_entry *only_diag(fisc_diag *d, int kind)
{
	assert_int_equal(fisc_diag_count(d), 1);
	const fisc_diag_entry *e = fisc_diag_get(d, 0);
	assert_int_equal(e->kind, kind);
	assert_string_equal(e->file, "t.xlsx");
	assert_true(e->msg_zh[0] && e->msg_en[0]);
	return e;
}

/* ---- a workbook written by libxlsxwriter ------------------------------ */

static char *write_workbook(const char *dir)
{
	size_t n = strlen(dir) + 16;
	char *path = malloc(n);
	snprintf(path, n, "%s/book.xlsx", dir);
	lxw_workbook *wb = workbook_new(path);
	assert_non_null(wb);
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);

	lxw_worksheet *ws = workbook_add_worksheet(wb, "事实");
	assert_non_null(ws);
	worksheet_write_string(ws, 0, 0, "item", NULL);
	worksheet_write_string(ws, 0, 1, "amount", NULL);
	worksheet_write_string(ws, 0, 2, "note", NULL);
	worksheet_write_string(ws, 1, 0, "一般公共预算收入", NULL);
	worksheet_write_number(ws, 1, 1, 401746, NULL);
	worksheet_write_string(ws, 1, 2, "中文说明", NULL);
	/* row 3: a formatted but empty cell, so the row exists and is empty */
	worksheet_write_blank(ws, 2, 0, bold);
	worksheet_write_string(ws, 3, 0, "x", NULL);
	worksheet_write_number(ws, 3, 1, 3658.95, NULL);
	worksheet_write_string(ws, 3, 3, "far", NULL); /* C4 is a gap */
	worksheet_write_number(ws, 4, 0, -4.3, NULL);
	worksheet_write_formula_num(ws, 4, 1, "=B2+1", NULL, 401747);
	worksheet_write_boolean(ws, 4, 2, 1, NULL);

	ws = workbook_add_worksheet(wb, "地区");
	assert_non_null(ws);
	worksheet_write_string(ws, 0, 0, "code", NULL);
	worksheet_write_string(ws, 0, 1, "name", NULL);
	worksheet_write_string(ws, 1, 0, "110000", NULL);
	worksheet_write_string(ws, 1, 1, "北京市", NULL);
	worksheet_write_string(ws, 2, 1, "x", NULL); /* shared with 事实 */
	worksheet_write_number(ws, 5, 1, 2.5, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	return path;
}

static const char *const book_rows[] = {
	"事实:1:item|amount|note",
	"事实:2:一般公共预算收入|401746|中文说明",
	"事实:4:x|3658.95||far",
	"事实:5:-4.3|401747|TRUE",
	"地区:1:code|name",
	"地区:2:110000|北京市",
	"地区:3:|x",
	"地区:6:|2.5",
};

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_libxlsxwriter_file(void **state)
{
	(void)state;
	char *dir = tu_tmpdir();
	char *path = write_workbook(dir);
	got g = { 0 };
	fisc_diag *d = fisc_diag_new();

	assert_int_equal(fisc_xlsx_read(path, collect, &g, d), FISC_OK);
	assert_int_equal(fisc_diag_count(d), 0);
	assert_rows(&g, book_rows, 8);
	assert_string_equal(g.file, path);
	got_free(&g);

	/* the same bytes from memory */
	size_t len;
	void *buf = slurp(path, &len);
	assert_int_equal(fisc_xlsx_read_buffer("mem.xlsx", buf, len, collect,
					       &g, d),
			 FISC_OK);
	assert_rows(&g, book_rows, 8);
	assert_string_equal(g.file, "mem.xlsx");
	got_free(&g);

	/* a nonzero return from the callback stops the read and is returned */
	g.stop_after = 2;
	assert_int_equal(fisc_xlsx_read_buffer("mem.xlsx", buf, len, collect,
					       &g, d),
			 42);
	assert_int_equal(g.n, 2);
	assert_int_equal(fisc_diag_count(d), 0);
	got_free(&g);

	free(buf);
	fisc_diag_free(d);
	free(path);
	tu_rmrf(dir);
	free(dir);
}

static void test_missing_file(void **state)
{
	(void)state;
	fisc_diag *d = fisc_diag_new();
	got g = { 0 };
	assert_int_equal(fisc_xlsx_read("/nonexistent/dir/book.xlsx", collect,
					&g, d),
			 FISC_EIMPORT);
	assert_int_equal(fisc_diag_count(d), 1);
	assert_int_equal(fisc_diag_get(d, 0)->kind, FISC_DIAG_IO);
	assert_int_equal(g.n, 0);
	fisc_diag_free(d);
}

/* ---- hand-built workbooks --------------------------------------------- */

static void test_cell_types(void **state)
{
	(void)state;
	got g = { 0 };
	fisc_diag *d = fisc_diag_new();
	const char *sheet = SHEET(
		"<row r=\"2\">"
		"<c r=\"A2\"><v>3658.9499999999998</v></c>"
		"<c r=\"B2\" t=\"n\"><v>0.10000000000000001</v></c>"
		"<c r=\"C2\"><v>12345678901234567</v></c>"
		"<c r=\"D2\" t=\"b\"><v>0</v></c>"
		"<c r=\"E2\" t=\"e\"><v>#DIV/0!</v></c>"
		"<c r=\"F2\" t=\"str\"><f>CONCAT(\"a\",\"bc\")</f><v>abc</v></c>"
		"<c r=\"G2\" t=\"inlineStr\"><is><r><t>富</t></r>"
		"<r><t xml:space=\"preserve\">文本 </t></r></is></c>"
		"<c r=\"H2\"><v>1E+20</v></c>"
		"<c r=\"I2\"><v>0.30000000000000004</v></c>"
		"<c r=\"J2\"><f>1+1</f><v>2</v></c>"
		"<c r=\"K2\" t=\"s\"><v>1</v></c>"
		"<c r=\"L2\"><v>-4.2999999999999998</v></c>"
		"<c r=\"M2\"><v>1.0000000000000001E-3</v></c>"
		"</row>"
		"<row r=\"3\"><c r=\"A3\" s=\"1\"/><c r=\"B3\" t=\"s\"/>"
		"<c r=\"C3\" t=\"s\"><v></v></c><c r=\"D3\" t=\"str\"><f>\"\"</f><v/></c></row>"
		"<row r=\"7\"><c r=\"C7\" t=\"inlineStr\"><is><t>&lt;&amp;&gt;</t></is></c></row>");
	const char *sst =
		"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
		"2006/main\" count=\"2\" uniqueCount=\"2\">"
		"<si><t>zero</t></si><si><t>一</t></si></sst>";
	static const char *const want[] = {
		"S:2:3658.95|0.1|12345678901234567|FALSE|#DIV/0!|abc|富文本 |"
		"1E+20|0.30000000000000004|2|一|-4.3|0.001",
		"S:7:||<&>",
	};
	assert_int_equal(read_sheet(sheet, sst, &g, d), FISC_OK);
	assert_int_equal(fisc_diag_count(d), 0);
	assert_rows(&g, want, 2);
	got_free(&g);
	fisc_diag_free(d);
}

/* Prefixed element names, rows and cells without r, rich-text shared
** strings with phonetic runs, an absolute target, a shared-strings part
** found through the relationships, a chart sheet, a part name in another
** case. */
static void test_prefixed_and_positional(void **state)
{
	(void)state;
	got g = { 0 };
	fisc_diag *d = fisc_diag_new();
	part p[] = {
		{ "xl/workbook.xml",
		  "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/"
		  "spreadsheetml/2006/main\" xmlns:rel=\"http://schemas."
		  "openxmlformats.org/officeDocument/2006/relationships\">"
		  "<x:sheets>"
		  "<x:sheet name=\"图\" sheetId=\"3\" rel:id=\"rId9\"/>"
		  "<x:sheet name=\"甲表\" sheetId=\"1\" rel:id=\"rId7\"/>"
		  "<x:sheet name=\"乙表\" sheetId=\"2\" rel:id=\"rId8\"/>"
		  "</x:sheets></x:workbook>" },
		{ "xl/_rels/workbook.xml.rels",
		  "<Relationships xmlns=\"http://schemas.openxmlformats.org/"
		  "package/2006/relationships\">"
		  "<Relationship Id=\"rId8\" Type=\"" REL_NS "worksheet\" "
		  "Target=\"./worksheets/../worksheets/Other.XML\"/>"
		  "<Relationship Id=\"rId7\" Type=\"" REL_NS "worksheet\" "
		  "Target=\"/xl/worksheets/data.xml\"/>"
		  "<Relationship Id=\"rId9\" Type=\"" REL_NS "chartsheet\" "
		  "Target=\"chartsheets/sheet1.xml\"/>"
		  "<Relationship Id=\"rId3\" Type=\"" REL_NS "sharedStrings\" "
		  "Target=\"strings/sst1.xml\"/>"
		  "</Relationships>" },
		{ "xl/strings/sst1.xml",
		  "<x:sst xmlns:x=\"http://schemas.openxmlformats.org/"
		  "spreadsheetml/2006/main\">"
		  "<x:si><x:t>甲</x:t></x:si>"
		  "<x:si><x:r><x:rPr><x:b/></x:rPr><x:t>乙</x:t></x:r>"
		  "<x:r><x:t xml:space=\"preserve\"> 丙</x:t></x:r>"
		  "<x:rPh sb=\"0\" eb=\"1\"><x:t>ヨミ</x:t></x:rPh></x:si>"
		  "</x:sst>" },
		{ "xl/worksheets/data.xml",
		  "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/"
		  "spreadsheetml/2006/main\"><x:sheetData>"
		  "<x:row><x:c t=\"s\"><x:v>0</x:v></x:c>"
		  "<x:c t=\"s\"><x:v>1</x:v></x:c></x:row>"
		  "<x:row/>"
		  "<x:row><x:c><x:v>7</x:v></x:c><x:c/><x:c><x:v>8</x:v></x:c>"
		  "</x:row>"
		  "</x:sheetData></x:worksheet>" },
		{ "xl/worksheets/other.xml",
		  SHEET("<row><c r=\"B4\"><v>1</v></c></row><row><c><v>2</v></c></row>") },
	};
	static const char *const want[] = {
		"甲表:1:甲|乙 丙",
		"甲表:3:7||8",
		"乙表:4:|1",
		"乙表:5:2",
	};
	assert_int_equal(read_parts(p, sizeof p / sizeof *p, &g, d), FISC_OK);
	assert_int_equal(fisc_diag_count(d), 0);
	assert_rows(&g, want, 4);
	got_free(&g);
	fisc_diag_free(d);
}

/* ---- broken input ------------------------------------------------------- */

static void test_not_a_zip(void **state)
{
	(void)state;
	got g = { 0 };
	fisc_diag *d = fisc_diag_new();
	const char text[] = "item,amount\nx,1\n";
	assert_int_equal(fisc_xlsx_read_buffer("t.xlsx", text, sizeof text - 1,
					       collect, &g, d),
			 FISC_EIMPORT);
	only_diag(d, FISC_DIAG_BAD_XLSX);
	fisc_diag_free(d);

	d = fisc_diag_new();
	assert_int_equal(fisc_xlsx_read_buffer("t.xlsx", NULL, 0, collect, &g, d),
			 FISC_EIMPORT);
	only_diag(d, FISC_DIAG_BAD_XLSX);
	assert_int_equal(g.n, 0);
	fisc_diag_free(d);
}

static void test_no_workbook(void **state)
{
	(void)state;
	got g = { 0 };
	fisc_diag *d = fisc_diag_new();
	part p[] = { { "[Content_Types].xml", "<Types/>" },
		     { "xl/worksheets/sheet1.xml", SHEET("") } };
	assert_int_equal(read_parts(p, 2, &g, d), FISC_EIMPORT);
	const fisc_diag_entry *e = only_diag(d, FISC_DIAG_BAD_XLSX);
	assert_non_null(strstr(e->msg_en, "workbook.xml"));
	assert_int_equal(g.n, 0);
	fisc_diag_free(d);
}

static void test_missing_sheet_part(void **state)
{
	(void)state;
	got g = { 0 };
	fisc_diag *d = fisc_diag_new();
	part p[] = { { "xl/workbook.xml", WB_XML },
		     { "xl/_rels/workbook.xml.rels", RELS_XML } };
	assert_int_equal(read_parts(p, 2, &g, d), FISC_EIMPORT);
	only_diag(d, FISC_DIAG_BAD_XLSX);
	fisc_diag_free(d);
}

/* Relationships that do not lead to exactly one part per worksheet. */
static void test_bad_relationships(void **state)
{
	(void)state;
#define RELS1(target)                                                          \
	"<Relationships><Relationship Id=\"rId1\" Type=\"" REL_NS             \
	"worksheet\" Target=\"" target "\"/></Relationships>"
#define WB2(a, b)                                                              \
	"<workbook><sheets><sheet name=\"A\" r:id=\"" a "\"/>"                  \
	"<sheet name=\"B\" r:id=\"" b "\"/></sheets></workbook>"
	static const struct {
		const char *wb, *rels, *why;
	} t[] = {
		/* climbs out of the archive */
		{ WB_XML, RELS1("../../sheet1.xml"), "invalid relationship target" },
		/* r:id that no relationship has */
		{ WB2("rId1", "rId2"), RELS_XML, "rId2 does not exist" },
		/* two sheets, one part */
		{ WB2("rId1", "rId1"), RELS_XML, "shares part" },
		/* a sheet with no r:id */
		{ "<workbook><sheets><sheet name=\"A\"/></sheets></workbook>", RELS_XML,
		  "without name or r:id" },
		/* an external target */
		{ WB_XML, "<Relationships><Relationship Id=\"rId1\" Type=\"" REL_NS
			  "worksheet\" Target=\"http://example.com/s.xml\" "
			  "TargetMode=\"External\"/></Relationships>",
		  "does not name a part" },
		/* only a chart sheet: no worksheet at all */
		{ WB_XML, "<Relationships><Relationship Id=\"rId1\" Type=\"" REL_NS
			  "chartsheet\" Target=\"worksheets/sheet1.xml\"/>"
			  "</Relationships>", "no worksheet" },
		/* no relationships part */
		{ WB_XML, NULL, "workbook.xml.rels is missing" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		got g = { 0 };
		fisc_diag *d = fisc_diag_new();
		part p[] = {
			{ "xl/workbook.xml", t[i].wb },
			{ "xl/worksheets/sheet1.xml",
			  SHEET("<row><c><v>1</v></c></row>") },
			{ "xl/_rels/workbook.xml.rels", t[i].rels },
		};
		assert_int_equal(read_parts(p, t[i].rels ? 3 : 2, &g, d),
				 FISC_EIMPORT);
		const fisc_diag_entry *e = only_diag(d, FISC_DIAG_BAD_XLSX);
		if (!strstr(e->msg_en, t[i].why))
			fail_msg("case %zu: %s", i, e->msg_en);
		assert_int_equal(g.n, 0);
		fisc_diag_free(d);
	}

	/* ".." that stays inside the archive is fine */
	got g = { 0 };
	fisc_diag *d = fisc_diag_new();
	part p[] = {
		{ "xl/workbook.xml", WB_XML },
		{ "xl/worksheets/sheet1.xml", SHEET("<row><c><v>1</v></c></row>") },
		{ "xl/_rels/workbook.xml.rels",
		  RELS1("../xl//worksheets/./sheet1.xml") },
	};
	assert_int_equal(read_parts(p, 3, &g, d), FISC_OK);
	static const char *const want[] = { "S:1:1" };
	assert_rows(&g, want, 1);
	got_free(&g);
	fisc_diag_free(d);
#undef RELS1
#undef WB2
}

static void test_truncated_xml(void **state)
{
	(void)state;
	got g = { 0 };
	fisc_diag *d = fisc_diag_new();
	const char *sheet = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\">"
			    "<v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2";
	assert_int_equal(read_sheet(sheet, NULL, &g, d), FISC_EIMPORT);
	const fisc_diag_entry *e = only_diag(d, FISC_DIAG_BAD_XLSX);
	assert_non_null(strstr(e->msg_en, "malformed XML"));
	assert_int_equal(e->line, 2);
	assert_string_equal(e->cell, "S!A2");
	got_free(&g);
	fisc_diag_free(d);

	/* a truncated workbook.xml */
	d = fisc_diag_new();
	part p[] = { { "xl/workbook.xml", "<workbook><sheets><sheet name=\"S\"" } };
	assert_int_equal(read_parts(p, 1, &g, d), FISC_EIMPORT);
	only_diag(d, FISC_DIAG_BAD_XLSX);
	assert_int_equal(g.n, 0);
	fisc_diag_free(d);
}

static void test_shared_string_out_of_range(void **state)
{
	(void)state;
	got g = { 0 };
	fisc_diag *d = fisc_diag_new();
	const char *sheet = SHEET("<row r=\"3\"><c r=\"A3\" t=\"s\"><v>0</v></c>"
				  "<c r=\"B3\" t=\"s\"><v>5</v></c></row>");
	const char *sst = "<sst><si><t>only</t></si></sst>";
	assert_int_equal(read_sheet(sheet, sst, &g, d), FISC_EIMPORT);
	const fisc_diag_entry *e = only_diag(d, FISC_DIAG_BAD_XLSX);
	assert_int_equal(e->line, 3);
	assert_string_equal(e->cell, "S!B3");
	assert_int_equal(g.n, 0);
	fisc_diag_free(d);

	/* no shared strings part at all */
	d = fisc_diag_new();
	assert_int_equal(read_sheet(sheet, NULL, &g, d), FISC_EIMPORT);
	only_diag(d, FISC_DIAG_BAD_XLSX);
	fisc_diag_free(d);
}

static void test_bad_utf8(void **state)
{
	(void)state;
	got g = { 0 };
	fisc_diag *d = fisc_diag_new();
	const char *sheet = SHEET("<row r=\"5\"><c r=\"A5\"><v>1</v></c>"
				  "<c r=\"B5\" t=\"inlineStr\"><is><t>ab\xff"
				  "cd</t></is></c></row>");
	assert_int_equal(read_sheet(sheet, NULL, &g, d), FISC_EIMPORT);
	const fisc_diag_entry *e = only_diag(d, FISC_DIAG_BAD_UTF8);
	assert_int_equal(e->line, 5);
	assert_string_equal(e->cell, "S!B5");
	assert_string_equal(e->msg_zh, "单元格不是有效的 UTF-8");
	assert_string_equal(e->msg_en, "cell is not valid UTF-8");
	assert_int_equal(g.n, 0);
	fisc_diag_free(d);

	/* a truncated sequence in a shared string */
	d = fisc_diag_new();
	const char *sheet2 = SHEET("<row><c t=\"s\"><v>0</v></c></row>");
	assert_int_equal(read_sheet(sheet2, "<sst><si><t>\xe4\xb8</t></si></sst>",
				    &g, d),
			 FISC_EIMPORT);
	only_diag(d, FISC_DIAG_BAD_UTF8);
	fisc_diag_free(d);
}

static void test_doctype_refused(void **state)
{
	(void)state;
	got g = { 0 };
	fisc_diag *d = fisc_diag_new();
	const char *sheet =
		"<!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;"
		"&a;&a;&a;&a;&a;&a;&a;\">]>"
		"<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&b;</t>"
		"</is></c></row></sheetData></worksheet>";
	assert_int_equal(read_sheet(sheet, NULL, &g, d), FISC_EIMPORT);
	const fisc_diag_entry *e = only_diag(d, FISC_DIAG_BAD_XLSX);
	assert_non_null(strstr(e->msg_en, "DTD"));
	assert_int_equal(g.n, 0);
	fisc_diag_free(d);
}

static void test_structure_errors(void **state)
{
	(void)state;
	static const struct {
		const char *sheet, *why;
	} t[] = {
		{ SHEET("<row r=\"1\"><c r=\"B1\"><v>1</v></c><c r=\"A1\"><v>2</v></c></row>"),
		  "columns do not increase" },
		{ SHEET("<row r=\"2\"><c><v>1</v></c></row><row r=\"1\"><c><v>2</v></c></row>"),
		  "row numbers do not increase" },
		{ SHEET("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>"),
		  "invalid cell reference" },
		{ SHEET("<row r=\"1048577\"><c><v>1</v></c></row>"),
		  "invalid row number" },
		{ SHEET("<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>"),
		  "invalid cell reference" },
		{ SHEET("<row r=\"1\"><c r=\"A1\" t=\"zz\"><v>1</v></c></row>"),
		  "unknown cell type" },
		{ SHEET("<row r=\"1\"><c r=\"A1\" t=\"b\"><v>2</v></c></row>"),
		  "invalid boolean" },
		{ SHEET("<c r=\"A1\"><v>1</v></c>"), "cell outside a row" },
		{ SHEET("<row><row/></row>"), "nested row" },
		{ "", "no element found" },
		{ "<worksheet><sheetData></worksheet>", "mismatched tag" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		got g = { 0 };
		fisc_diag *d = fisc_diag_new();
		assert_int_equal(read_sheet(t[i].sheet, NULL, &g, d),
				 FISC_EIMPORT);
		const fisc_diag_entry *e = only_diag(d, FISC_DIAG_BAD_XLSX);
		if (!strstr(e->msg_en, t[i].why))
			fail_msg("case %zu: %s", i, e->msg_en);
		got_free(&g);
		fisc_diag_free(d);
	}
}

/* Cell text is bounded at 32767 characters, Excel's own limit (not bytes:
** a cell of Chinese text may hold three times as many bytes). */
static char *long_cell_sheet(size_t n, const char *ch)
{
	size_t w = strlen(ch);
	static const char head[] = "<worksheet><sheetData><row r=\"1\">"
				   "<c r=\"A1\" t=\"inlineStr\"><is><t>";
	static const char tail[] = "</t></is></c></row></sheetData></worksheet>";
	char *s = malloc(sizeof head + n * w + sizeof tail);
	assert_non_null(s);
	memcpy(s, head, sizeof head - 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + sizeof head - 1 + i * w, ch, w);
	memcpy(s + sizeof head - 1 + n * w, tail, sizeof tail);
	return s;
}

static void test_long_cell(void **state)
{
	(void)state;
	got g = { 0 };
	fisc_diag *d = fisc_diag_new();
	char *ok = long_cell_sheet(32767, "a"), *toolong = long_cell_sheet(32768, "a");
	char *cjk = long_cell_sheet(32767, "税");
	assert_int_equal(read_sheet(ok, NULL, &g, d), FISC_OK);
	assert_int_equal(g.n, 1);
	assert_int_equal(strlen(g.rows[0]), strlen("S:1:") + 32767);
	got_free(&g);
	assert_int_equal(read_sheet(cjk, NULL, &g, d), FISC_OK);
	assert_int_equal(strlen(g.rows[0]), strlen("S:1:") + 3 * 32767);
	got_free(&g);
	free(cjk);
	assert_int_equal(read_sheet(toolong, NULL, &g, d), FISC_EIMPORT);
	const fisc_diag_entry *e = only_diag(d, FISC_DIAG_BAD_XLSX);
	assert_string_equal(e->cell, "S!A1");
	assert_int_equal(g.n, 0);
	free(ok);
	free(toolong);
	fisc_diag_free(d);
}

/* A formula Excel never calculated has no <v>: the cell comes as "" marked
** FISC_CELL_NO_VALUE (the importer refuses it), never as a silent blank;
** one whose cached value is the empty string is a plain empty cell. */
typedef struct flagged {
	int rows;
	char flags[8];
	size_t ncells;
} flagged;

static int collect_flags(void *ud, const fisc_row *row)
{
	flagged *g = ud;
	g->rows++;
	g->ncells = row->ncells;
	assert_non_null(row->flags);
	for (size_t i = 0; i < row->ncells && i < 7; i++)
		g->flags[i] = (char)('0' + row->flags[i]);
	return 0;
}

static void test_formula_without_value(void **state)
{
	(void)state;
	const char *sheet = SHEET(
		"<row r=\"2\"><c r=\"A2\"><f>SUM(B1:B9)</f></c>"
		"<c r=\"B2\"><f>1+1</f><v>2</v></c>"
		"<c r=\"C2\" t=\"str\"><f>\"\"</f><v></v></c>"
		"<c r=\"D2\" t=\"str\"><f>X1</f></c></row>");
	part p[] = {
		{ "xl/workbook.xml", WB_XML },
		{ "xl/_rels/workbook.xml.rels", RELS_XML },
		{ "xl/worksheets/sheet1.xml", sheet },
	};
	size_t len;
	void *buf = mkzip(p, 3, &len);
	flagged g = { 0 };
	fisc_diag *d = fisc_diag_new();
	assert_int_equal(fisc_xlsx_read_buffer("t.xlsx", buf, len, collect_flags, &g, d), FISC_OK);
	assert_int_equal(fisc_diag_count(d), 0);
	assert_int_equal(g.rows, 1);
	assert_int_equal(g.ncells, 4);
	assert_string_equal(g.flags, "1001");
	free(buf);
	fisc_diag_free(d);
}

static void test_colname(void **state)
{
	(void)state;
	char b[8];
	static const struct {
		int col;
		const char *name;
	} t[] = { { 0, "A" },     { 1, "B" },      { 25, "Z" },
		  { 26, "AA" },   { 27, "AB" },    { 51, "AZ" },
		  { 52, "BA" },   { 701, "ZZ" },   { 702, "AAA" },
		  { 16383, "XFD" }, { 2147483647, "FXSHRXX" } };
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		fisc_xlsx_colname(t[i].col, b);
		assert_string_equal(b, t[i].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libxlsxwriter_file),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_cell_types),
		cmocka_unit_test(test_prefixed_and_positional),
		cmocka_unit_test(test_not_a_zip),
		cmocka_unit_test(test_no_workbook),
		cmocka_unit_test(test_missing_sheet_part),
		cmocka_unit_test(test_bad_relationships),
		cmocka_unit_test(test_truncated_xml),
		cmocka_unit_test(test_shared_string_out_of_range),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_doctype_refused),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_long_cell),
		cmocka_unit_test(test_formula_without_value),
		cmocka_unit_test(test_colname),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
