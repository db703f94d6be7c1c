/*
 * kpi_hist.h
 *		What the two fmgr files of kpi_hist share: fetching arguments and
 *		converting between intervals and microseconds.
 */
#ifndef KPI_HIST_GLUE_H
#define KPI_HIST_GLUE_H

#include "postgres.h"

#include "kpi_compat.h"

#include "fmgr.h"
#include "utils/timestamp.h"

#include "histogram.h"

/* A kpi_hist argument, detoasted and checked; *size is its length. */
extern hist *kpi_hist_arg(FunctionCallInfo fcinfo, int n, size_t *size);

/* The same, in the PACKED layout (packed now if it was a working value). */
extern hist *kpi_hist_packed_arg(FunctionCallInfo fcinfo, int n, size_t *size);

/* The moving-window state (kpi_hist_window.c) */
typedef struct HistWindowObject HistWindowObject;
extern hist *kpi_hist_window_hist(Datum d);
extern HistWindowObject *kpi_hist_window_for_update(FunctionCallInfo fcinfo);
extern Datum kpi_hist_window_datum(HistWindowObject *obj);
extern Datum kpi_hist_window_add(HistWindowObject *obj, int64 usec);
extern Datum kpi_hist_window_add_pending(HistWindowObject *obj);
extern Datum kpi_hist_window_remove(FunctionCallInfo fcinfo, bool pending, int64 usec);

/* ERRORs for a failed hist_* call. */
pg_noreturn extern void kpi_hist_report(hist_status status);

/* interval <-> microseconds, months as 30 days and days as 24 hours */
extern int64 kpi_interval_usec(const Interval *iv);
extern Interval *kpi_usec_interval(int64 usec);

#endif							/* KPI_HIST_GLUE_H */
