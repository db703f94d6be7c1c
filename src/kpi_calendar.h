/*
 * kpi_calendar.h — what other SQL-facing files use of kpi_calendar.c: the
 * calendar argument of a call, decoded and cached per call site.
 */
#ifndef KPI_CALENDAR_FMGR_H
#define KPI_CALENDAR_FMGR_H

#include "postgres.h"

#include "fmgr.h"

#include "calendar.h"

/*
 * The span of the kpi_calendar argument argno (not NULL): decoded once per
 * call site and value (up to 8 kept), its zone looked up, its open
 * intervals built as needed.  span->def is the calendar.
 */
extern cal_span *kpi_calendar_span(FunctionCallInfo fcinfo, int argno);

/* ereports a status of the core other than CAL_OK; what names the result */
extern void kpi_calendar_report(cal_status st, const char *what);

#endif
