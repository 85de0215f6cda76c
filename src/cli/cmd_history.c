/*
** cmd_history.c — `fisc history --region R --year Y [--book B] [--item I]
** [--department D]`: every version of the selected figures, oldest first,
** each with the document that established it (an import or an amendment:
** 文号, date, author, reason) and what became of it (current, superseded by
** or withdrawn by a later document). Rendered through the document model,
** so every format escapes and aligns like the reports.
*/
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int usage(FILE *f, int code)
{
	fprintf(f, "用法 / usage: fisc [--db PATH] history --region R --year Y [--book B] [--scope S]\n"
		   "       [--phase P] [--item CODE|名称] [--department D] [--format text|md|html|json|csv|xlsx] [-o OUT]\n\n"
		   "  列出所选各数的全部版本：依据文件（导入或修正，文号、日期、作者、理由）与去向\n"
		   "  | every version of the selected figures, with the document behind each\n");
	return code;
}

typedef struct hist_ctx {
	fisc_store *st;
	fisc_doc *d;
	fisc_table *t;
	fisc_catalog *cat;
	fisc_arena *a;
	fisc_fact_doc docs[64]; /* documents met so far (a small cache) */
	size_t ndocs;
	fisc_fact_version last;
	int version, rows;
} hist_ctx;

static const fisc_fact_doc *doc_of(hist_ctx *h, int64_t id)
{
	for (size_t i = 0; i < h->ndocs; i++)
		if (h->docs[i].id == id)
			return &h->docs[i];
	fisc_fact_doc d;
	if (fisc_history_doc_get(h->st, id, h->a, &d) != FISC_OK)
		return NULL;
	if (h->ndocs == sizeof h->docs / sizeof *h->docs)
		h->ndocs = 0;
	h->docs[h->ndocs] = d;
	return &h->docs[h->ndocs++];
}

static int same_key(const fisc_fact *a, const fisc_fact *b)
{
	return a->region == b->region && a->year == b->year && a->book == b->book &&
	       a->scope == b->scope && a->phase == b->phase && a->kind == b->kind &&
	       !strcmp(a->item, b->item) && !strcmp(a->dept, b->dept) &&
	       !strcmp(a->project, b->project) && !strcmp(a->econ, b->econ) &&
	       !strcmp(a->fund, b->fund);
}

static const char *doc_label(hist_ctx *h, const fisc_fact_doc *d)
{
	if (!d)
		return "?";
	if (d->kind == FISC_FACT_DOC_AMEND)
		return fisc_arena_printf(h->a, "#%" PRId64 " 修正%s%s", d->id, *d->number ? " " : "",
					 d->number);
	if (!d->id)
		return "#0 历史记录之前";
	return fisc_arena_printf(h->a, "#%" PRId64 " 导入", d->id);
}

static int one_version(void *ud, const fisc_fact_version *v)
{
	hist_ctx *h = ud;
	const fisc_fact *f = &v->f;
	h->version = h->rows && same_key(&h->last.f, f) ? h->version + 1 : 1;
	/* The strings of v last until the walk ends (fisc_history_each copies
	** them), so the previous version's key can be kept by value. */
	h->last = *v;
	h->rows++;
	fisc_doc *d = h->d;
	fisc_cell *c = fisc_table_row(d, h->t);
	size_t k = 0;
	fisc_cell_text(d, &c[k++], "%s", fisc_book_name((fisc_book)f->book));
	fisc_cell_text(d, &c[k++], "%s", fisc_scope_name((fisc_scope)f->scope));
	fisc_cell_text(d, &c[k++], "%s", fisc_phase_name((fisc_phase)f->phase));
	const char *name = fisc_catalog_item_name(h->cat, f->item);
	fisc_cell_text(d, &c[k++], "%s%s%s%s", f->item, name && strcmp(name, f->item) ? " " : "",
		       name && strcmp(name, f->item) ? name : "",
		       f->kind == FISC_FACT_STATED ? "（表述数）" : "");
	fisc_cell_text(d, &c[k++], "%s%s%s%s%s%s%s", f->dept, *f->project ? " / " : "", f->project,
		       *f->econ ? " / " : "", f->econ, *f->fund ? " / " : "", f->fund);
	fisc_cell_number(d, &c[k++], h->version, 0);
	char buf[96] = "空白";
	if (f->has_amount)
		fisc_amount_format(&f->amount, FISC_FMT_GROUP | FISC_FMT_UNIT, buf, sizeof buf);
	fisc_cell_text(d, &c[k++], "%s", buf);
	const fisc_fact_doc *doc = doc_of(h, v->doc);
	fisc_cell_text(d, &c[k++], "%s", doc_label(h, doc));
	if (doc && doc->date)
		fisc_cell_text(d, &c[k++], "%04d-%02d-%02d", doc->date / 10000, doc->date / 100 % 100,
			       doc->date % 100);
	else
		fisc_cell_text(d, &c[k++], "%s", doc ? doc->created : "");
	fisc_cell_text(d, &c[k++], "%s", doc ? doc->author : "");
	fisc_cell_text(d, &c[k++], "%s", doc ? doc->reason : "");
	fisc_cell_text(d, &c[k++], "%s", f->source);
	if (!v->ended_by)
		fisc_cell_text(d, &c[k++], "现行");
	else
		fisc_cell_text(d, &c[k++], "%s #%" PRId64, v->withdrawn ? "被撤回" : "被取代",
			       v->ended_by);
	return fisc_doc_status(d);
}

int cmd_history(int argc, char **argv, const char *db)
{
	static const struct option longopts[] = {
		{"region", required_argument, 0, 'r'}, {"year", required_argument, 0, 'y'},
		{"book", required_argument, 0, 'b'},   {"scope", required_argument, 0, 's'},
		{"phase", required_argument, 0, 'p'},  {"item", required_argument, 0, 'i'},
		{"department", required_argument, 0, 'D'}, {"format", required_argument, 0, 'f'},
		{"output", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	const char *region = NULL, *year_s = NULL, *book = NULL, *scope = NULL, *phase = NULL;
	const char *item = NULL, *dept = NULL, *format = "text", *output = NULL;
	int c, year;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': region = optarg; break;
		case 'y': year_s = optarg; break;
		case 'b': book = optarg; break;
		case 's': scope = optarg; break;
		case 'p': phase = optarg; break;
		case 'i': item = optarg; break;
		case 'D': dept = optarg; break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'h': return usage(stdout, CLI_OK);
		default: return cli_option_error(c, argv[optind - 1], longopts);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fisc: 多余的参数 / unexpected argument '%s'\n", argv[optind]);
		return usage(stderr, CLI_USAGE);
	}
	if (!region || !*region) {
		fprintf(stderr, "fisc: 缺少 --region / --region is required\n");
		return CLI_USAGE;
	}
	if (cli_year_parse(year_s, &year) != CLI_OK || (book && cli_book_check(book) != CLI_OK) ||
	    (scope && cli_scope_check(scope) != CLI_OK) || (phase && cli_phase_check(phase) != CLI_OK))
		return CLI_USAGE;
	fisc_store *st = cli_open(db);
	if (!st)
		return CLI_USAGE;
	hist_ctx h;
	memset(&h, 0, sizeof h);
	h.st = st;
	h.a = fisc_arena_new();
	fisc_region r;
	int rc = h.a ? cli_region_check(st, region, &r, h.a) : CLI_FAIL;
	fisc_query q = {0};
	if (rc == CLI_OK) {
		q.region = r.id;
		q.year = year;
		if (book) {
			q.book_set = 1;
			q.book = (uint8_t)fisc_book_parse(book, strlen(book));
		}
		if (scope)
			q.scope = (uint8_t)fisc_scope_parse(scope, strlen(scope));
		if (phase)
			q.phase = (uint8_t)fisc_phase_parse(phase, strlen(phase));
		q.dept = dept;
		if (fisc_catalog_load(st, year, &h.cat) != FISC_OK)
			rc = cli_error(CLI_FAIL);
	}
	if (rc == CLI_OK && item) {
		const char *code = fisc_catalog_resolve(h.cat, item, book ? q.book : -1);
		if (code)
			item = code;
	}
	if (rc == CLI_OK) {
		h.d = fisc_doc_new(h.a, "history", "数据版本");
		if (!h.d)
			rc = CLI_FAIL;
	}
	if (rc == CLI_OK) {
		fisc_doc_subtitle(h.d, "%s（%s）%d 年%s%s", r.name, r.code, year, item ? " 科目 " : "",
				  item ? item : "");
		h.t = fisc_doc_table(h.d, "各版本", 13);
		static const char *const head[] = {"预算", "口径", "阶段", "科目", "明细",
						   "版本", "金额", "依据文件", "日期", "作者",
						   "理由", "出处", "状态"};
		fisc_cell *hc = fisc_table_head(h.d, h.t);
		for (size_t i = 0; i < 13; i++)
			fisc_cell_text(h.d, &hc[i], "%s", head[i]);
		fisc_table_empty(h.d, h.t, "没有符合条件的数");
		int frc = fisc_history_each(st, &q, item, one_version, &h);
		if (frc != FISC_OK)
			rc = cli_error(frc == FISC_EUNSUPPORTED ? CLI_USAGE : CLI_FAIL);
	}
	if (rc == CLI_OK)
		rc = cli_write_doc(h.d, format, output);
	fisc_catalog_free(h.cat);
	fisc_arena_free(h.a);
	fisc_store_close(st);
	return rc;
}
