/*
** reports.c — the registry of document reports: the one table that names
** each report, its builder and what it needs. The command line, the demo and
** the tests look reports up here; adding a report is one builder file and
** one line below, and no renderer changes.
*/
#include <string.h>
#include "fisc/reports.h"

static const fisc_report_kind kinds[] = {
	{"congress", fisc_report_congress, FISC_REPORT_NEEDS_REGION,
	 "预算执行和预算草案的报告 | report to the people's congress (--region R --year Y)"},
	{"department", fisc_report_department, FISC_REPORT_NEEDS_DEPARTMENT,
	 "部门预算公开 | department budget disclosure (--department D --year Y)"},
	{"performance", fisc_report_performance, FISC_REPORT_NEEDS_DEPARTMENT,
	 "部门整体支出绩效自评 | performance self-evaluation (--department D --year Y)"},
	{"debt", fisc_report_debt, FISC_REPORT_NEEDS_REGION,
	 "政府债务情况 | government debt report (--region R --year Y)"},
};

const fisc_report_kind *fisc_report_at(size_t i)
{
	return i < sizeof kinds / sizeof *kinds ? &kinds[i] : NULL;
}

const fisc_report_kind *fisc_report_find(const char *name)
{
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (name && !strcmp(kinds[i].name, name))
			return &kinds[i];
	return NULL;
}
