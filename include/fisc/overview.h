/*
** overview.h — one region and year at a glance, as one JSON document: the
** figures the page's overview shows (and `GET /api/regions/R/overview`
** serves), computed from the same balances and facts the reports use.
*/
#ifndef FISC_OVERVIEW_H
#define FISC_OVERVIEW_H

#include <stdio.h>
#include "fisc/export.h"
#include "fisc/store.h"

/*
** Write the overview of region (code or name) and year as JSON to out (one line and a newline):
**  - books: for each of the four books, 收入总计 and 支出总计 of the whole
**    region (全辖) in 预算, 调整预算 and 执行 (null where the data has none),
**    and its statement: the phase shown (执行, else 预算), its totals,
**    whether they balance and its sentences (paragraphs, as `fisc report
**    statement` prints them);
**  - structure: for each book, the items (level 2 rows) of each side of
**    that statement's balance — the revenue and expenditure structure;
**  - debt: 限额 and 余额, 一般 / 专项 / total, as the debt report reads
**    them (null when the year has no debt figures);
**  - charts: the chart definitions of the report to the congress and of the
**    debt report (each title once), as those reports' JSON has them;
**  - progress: the 指标 ledger's 支出进度 for the region's lines of the year,
**    per department (指标, 已支付, 在途, 可用, percent) and by month (null
**    when the ledger holds no line of the year, or when with_ledger is 0:
**    the public reads reports, never the ledger).
** Amounts are {"fen", "text"}, text in 万元 with the data's decimals, as in
** the balance tables. FISC_ENOTFOUND for an unknown region.
*/
FISC_API int fisc_overview_write(fisc_store *st, const char *region, int year, int with_ledger,
				FILE *out);

/*
** The same overview in `format`: "json" (fisc_overview_write's bytes, one
** line ending in a newline) or "text" (for people: the books' totals, each
** statement with its structure, debt and 支出进度 as tab-separated tables
** with Chinese labels, in 万元; the charts are left to the JSON).
** FISC_EINVAL for another format.
*/
FISC_API int fisc_overview_render(fisc_store *st, const char *region, int year, int with_ledger,
				 const char *format, FILE *out);

#endif
