/*
** chart.h — charts of a report's figures: one definition (kind, title,
** categories, series of amounts in fen, or of other measured quantities as
** scaled integers) made by the report builders beside
** the tables that hold the same figures, drawn by one cairo routine for
** every format that shows graphics: vector on the PDF page, SVG in the HTML
** page, PNG in the DOCX. Internal to libfisc (reports add charts, callers
** only see FISC_BLOCK_CHART blocks).
*/
#ifndef FISC_REPORT_CHART_H
#define FISC_REPORT_CHART_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cairo.h>
#include "fisc/doc.h"

#define FISC_CHART_MAXCAT 24
#define FISC_CHART_MAXSER 4

typedef enum fisc_chart_kind {
	FISC_CHART_HBAR = 1,   /* one series, horizontal bars, largest first */
	FISC_CHART_COLUMNS = 2 /* 1–4 series side by side per category */
} fisc_chart_kind;

/* What a chart's values are. Money stays fen and is labelled exactly as the
** tables print it; anything else a report compares (a 绩效 indicator's
** target and result: 家, 个, %, 天 …) is a decimal v / 10^scale in one
** measure named by its text, so that no value ever passes through a float
** on its way to a label. */
typedef enum fisc_chart_values {
	FISC_CHART_MONEY = 0,  /* v in fen, labelled in `unit` with `decimals` */
	FISC_CHART_NUMBER = 1  /* v / 10^decimals (0..6), labelled as written, in `measure` */
} fisc_chart_values;

typedef struct fisc_chart {
	int kind;
	int values;              /* fisc_chart_values */
	const char *title;
	int unit, decimals;      /* MONEY: fisc_unit and its decimals; NUMBER: the scale */
	const char *measure;     /* NUMBER: the unit as written ("家", "%"), "" for none */
	size_t ncat, nser;
	const char *cat[FISC_CHART_MAXCAT];
	const char *ser[FISC_CHART_MAXSER];
	int64_t v[FISC_CHART_MAXSER][FISC_CHART_MAXCAT];
	unsigned char has[FISC_CHART_MAXSER][FISC_CHART_MAXCAT];
} fisc_chart;

/* A chart block of amounts appended to d (NULL after an error: later calls
** are no-ops). */
fisc_chart *fisc_doc_chart(fisc_doc *d, int kind, const char *title, int unit, int decimals);
/* A chart block of numbers v / 10^scale measured in `measure` ("" for a
** pure number). */
fisc_chart *fisc_doc_chart_number(fisc_doc *d, int kind, const char *title, const char *measure,
				  int scale);
/* Names series s (0-based; series are added in order). */
void fisc_chart_series(fisc_doc *d, fisc_chart *c, const char *name);
/* The index of category `name`, added when new; -1 when the chart is full. */
int fisc_chart_category(fisc_doc *d, fisc_chart *c, const char *name);
void fisc_chart_value(fisc_chart *c, size_t series, int cat, int64_t v);
/* Nonzero when the chart has at least one value to draw. */
int fisc_chart_drawable(const fisc_chart *c);
/* A value's label, exactly as the report's tables print it ("1,234.56" in
** 万元 for money, "95.5" for a number); < 0 when it does not fit. */
int fisc_chart_label(const fisc_chart *c, int64_t v, char *buf, size_t cap);
/* The unit line's measure: the money unit's name, or the number's measure
** ("" when it has none: no unit line is drawn). */
const char *fisc_chart_unit_text(const fisc_chart *c);

/* The height (points) the chart needs at width w. */
double fisc_chart_height(const fisc_chart *c, double w);
/* Draws the chart into a w × fisc_chart_height(c, w) box at the current
** origin of cr. */
void fisc_chart_draw(cairo_t *cr, const fisc_chart *c, double w);
/* The chart as a PNG (at `scale` pixels per point) or an SVG document, in a
** malloc'd buffer. FISC_OK or an error code with a message. */
int fisc_chart_png(const fisc_chart *c, double w, double scale, unsigned char **buf, size_t *len);
int fisc_chart_svg(const fisc_chart *c, double w, char **buf, size_t *len);

/* The chart's definition as the JSON "chart" block of a report (a new
** reference; render_json.c), which web/src/charts.js draws with ECharts. */
struct json_t;
struct json_t *fisc_chart_json(const fisc_chart *c);

#endif
