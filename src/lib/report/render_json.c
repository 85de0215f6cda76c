/*
** render_json.c — a fisc_doc as a JSON tree (jansson), for programs.
**
**   {"kind":"congress","title":…,"subtitle":…,"blocks":[
**     {"type":"heading","level":1,"text":"一、…"},
**     {"type":"paragraph","text":…}, {"type":"note","text":…},
**     {"type":"table","title":…,"unit":"万元","columns":4,
**      "header":[[{"type":"text","text":"收 入","colspan":2}, {"type":"covered"}, …]],
**      "rows":[[{"type":"text","text":"总 计","strong":true},
**               {"type":"amount","text":"883,868","fen":88386800000000,"unit":"万元","decimals":0},
**               {"type":"percent","text":"100.25%","num":…,"den":…,"decimals":2}, {"type":"empty"}]],
**      "empty":null,"notes":[]}]}
**
** Amounts are exact integers in fen; the text is what the other formats print.
** Grids stay rectangular (merged-over cells are "covered") so a reader can
** index cells by column.
*/
#include <jansson.h>
#include "fisc/error.h"
#include "report/chart.h"
#include "report/render.h"

static const char *const kind_names[] = {"empty", "text", "amount", "percent", "covered", "number"};

static json_t *cell_json(const fisc_cell *c)
{
	int k = c->kind >= 0 && c->kind <= FISC_CELL_NUMBER ? c->kind : 0;
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string(kind_names[k]));
	if (k == FISC_CELL_TEXT || k == FISC_CELL_AMOUNT || k == FISC_CELL_PERCENT ||
	    k == FISC_CELL_NUMBER)
		json_object_set_new(o, "text", json_string(c->text ? c->text : ""));
	if (k == FISC_CELL_AMOUNT) {
		json_object_set_new(o, "fen", json_integer(c->fen));
		json_object_set_new(o, "unit", json_string(fisc_unit_name((fisc_unit)c->unit)));
		json_object_set_new(o, "decimals", json_integer(c->decimals));
	} else if (k == FISC_CELL_NUMBER) {
		json_object_set_new(o, "num", json_integer(c->num));
		json_object_set_new(o, "decimals", json_integer(c->decimals));
	} else if (k == FISC_CELL_PERCENT) {
		json_object_set_new(o, "num", json_integer(c->num));
		json_object_set_new(o, "den", json_integer(c->den));
		json_object_set_new(o, "decimals", json_integer(c->decimals));
	}
	if (c->colspan > 1)
		json_object_set_new(o, "colspan", json_integer(c->colspan));
	if (c->rowspan > 1)
		json_object_set_new(o, "rowspan", json_integer(c->rowspan));
	if (c->level)
		json_object_set_new(o, "level", json_integer(c->level));
	if (c->strong)
		json_object_set_new(o, "strong", json_true());
	return o;
}

static json_t *rows_json(fisc_cell *const *rows, size_t n, size_t ncols)
{
	json_t *arr = json_array();
	for (size_t r = 0; r < n; r++) {
		json_t *row = json_array();
		for (size_t c = 0; c < ncols; c++)
			json_array_append_new(row, cell_json(&rows[r][c]));
		json_array_append_new(arr, row);
	}
	return arr;
}

static json_t *table_json(const fisc_table *t)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string("table"));
	json_object_set_new(o, "title", json_string(t->title));
	/* "单位：万元" → "万元" */
	const char *u = t->unit_label ? t->unit_label + sizeof "单位：" - 1 : NULL;
	json_object_set_new(o, "unit", u ? json_string(u) : json_null());
	json_object_set_new(o, "columns", json_integer((json_int_t)t->ncols));
	json_object_set_new(o, "header", rows_json(t->head, t->nhead, t->ncols));
	json_object_set_new(o, "rows", rows_json(t->body, t->nbody, t->ncols));
	json_object_set_new(o, "empty", t->empty_text ? json_string(t->empty_text) : json_null());
	json_t *notes = json_array();
	for (size_t i = 0; i < t->nnotes; i++)
		json_array_append_new(notes, json_string(t->notes[i]));
	json_object_set_new(o, "notes", notes);
	return o;
}

/* A chart's definition, for programs that draw their own (the web page,
** and the HTML report's data-chart attribute, both drawn by web/src/charts.js):
** categories, and per series the exact values and the printed text. Money
** ("values": "money") gives each value in fen ("fen"); a number chart
** ("values": "number") gives integers ("value") to be read as value /
** 10^scale, in the measure "unit" ("" for a pure number). */
json_t *fisc_chart_json(const fisc_chart *c)
{
	int money = c->values != FISC_CHART_NUMBER;
	json_t *o = json_object(), *cats = json_array(), *ser = json_array();
	json_object_set_new(o, "type", json_string("chart"));
	json_object_set_new(o, "kind", json_string(c->kind == FISC_CHART_HBAR ? "bar" : "columns"));
	json_object_set_new(o, "title", json_string(c->title));
	json_object_set_new(o, "unit", json_string(fisc_chart_unit_text(c)));
	json_object_set_new(o, "values", json_string(money ? "money" : "number"));
	if (!money)
		json_object_set_new(o, "scale", json_integer(c->decimals));
	for (size_t i = 0; i < c->ncat; i++)
		json_array_append_new(cats, json_string(c->cat[i]));
	for (size_t s = 0; s < c->nser; s++) {
		json_t *val = json_array(), *text = json_array();
		for (size_t i = 0; i < c->ncat; i++) {
			char buf[64];
			if (!c->has[s][i] || fisc_chart_label(c, c->v[s][i], buf, sizeof buf) < 0) {
				json_array_append_new(val, json_null());
				json_array_append_new(text, json_null());
				continue;
			}
			json_array_append_new(val, json_integer(c->v[s][i]));
			json_array_append_new(text, json_string(buf));
		}
		json_array_append_new(ser, json_pack("{s:s, s:o, s:o}", "name", c->ser[s],
						     money ? "fen" : "value", val, "text", text));
	}
	json_object_set_new(o, "categories", cats);
	json_object_set_new(o, "series", ser);
	return o;
}

int fisc_render_json(const fisc_doc *d, FILE *out)
{
	static const char *const block_names[] = {"", "heading", "paragraph", "table", "note"};
	json_t *root = json_object();
	json_object_set_new(root, "kind", json_string(d->kind));
	json_object_set_new(root, "title", json_string(d->title));
	json_object_set_new(root, "subtitle", d->subtitle ? json_string(d->subtitle) : json_null());
	json_t *blocks = json_array();
	for (size_t i = 0; i < d->nblocks; i++) {
		const fisc_block *b = &d->blocks[i];
		json_t *o;
		if (b->kind == FISC_BLOCK_TABLE) {
			o = table_json(b->table);
		} else if (b->kind == FISC_BLOCK_CHART) {
			o = fisc_chart_json(b->chart);
		} else {
			o = json_object();
			json_object_set_new(o, "type", json_string(block_names[b->kind]));
			if (b->kind == FISC_BLOCK_HEADING)
				json_object_set_new(o, "level", json_integer(b->level));
			json_object_set_new(o, "text", json_string(b->text));
		}
		json_array_append_new(blocks, o);
	}
	json_object_set_new(root, "blocks", blocks);
	int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0
			 ? FISC_OK
			 : fisc_error_set(FISC_EIO, "写出失败 / write failed");
	fputc('\n', out);
	json_decref(root);
	return rc;
}
