/*
** chart.h — charts of a report's figures: one definition (kind, title,
** categories, series of amounts in fen) made by the report builders beside
** the tables that hold the same figures, drawn by one cairo routine for
** every format that shows graphics: vector on the PDF page, SVG in the HTML
** page, PNG in the DOCX. Internal to libfisc (reports add charts, callers
** only see FISC_BLOCK_CHART blocks).
*/
#ifndef FISC_REPORT_CHART_H
#define FISC_REPORT_CHART_H

#include <stddef.h>
#include <stdio.h>
#include <cairo.h>
#include "fisc/doc.h"

#define FISC_CHART_MAXCAT 24
#define FISC_CHART_MAXSER 4

typedef enum fisc_chart_kind {
	FISC_CHART_HBAR = 1,   /* one series, horizontal bars, largest first */
	FISC_CHART_COLUMNS = 2 /* 1–4 series side by side per category */
} fisc_chart_kind;

typedef struct fisc_chart {
	int kind;
	const char *title;
	int unit, decimals;      /* how values are labelled (fisc_unit) */
	size_t ncat, nser;
	const char *cat[FISC_CHART_MAXCAT];
	const char *ser[FISC_CHART_MAXSER];
	fisc_fen v[FISC_CHART_MAXSER][FISC_CHART_MAXCAT];
	unsigned char has[FISC_CHART_MAXSER][FISC_CHART_MAXCAT];
} fisc_chart;

/* A chart block appended to d (NULL after an error: later calls are no-ops). */
fisc_chart *fisc_doc_chart(fisc_doc *d, int kind, const char *title, int unit, int decimals);
/* Names series s (0-based; series are added in order). */
void fisc_chart_series(fisc_doc *d, fisc_chart *c, const char *name);
/* The index of category `name`, added when new; -1 when the chart is full. */
int fisc_chart_category(fisc_doc *d, fisc_chart *c, const char *name);
void fisc_chart_value(fisc_chart *c, size_t series, int cat, fisc_fen v);
/* Nonzero when the chart has at least one value to draw. */
int fisc_chart_drawable(const fisc_chart *c);

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
