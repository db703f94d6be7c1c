/*
 * kpi_aggregate.h — what the fmgr files of the aggregates share.
 */
#ifndef KPI_AGGREGATE_H
#define KPI_AGGREGATE_H

#include "fmgr.h"

/*
 * In a non-strict transition function: a row whose argument argno is NULL
 * leaves the state as it is (as core aggregates skip NULL inputs).
 */
#define KPI_SKIP_IF_NULL(argno) \
	do { \
		if (PG_ARGISNULL(argno)) \
		{ \
			if (PG_ARGISNULL(0)) \
				PG_RETURN_NULL(); \
			PG_RETURN_DATUM(PG_GETARG_DATUM(0)); \
		} \
	} while (0)

/*
 * Aggregate support functions (transition, inverse transition, combine) are
 * SQL-callable, so any user can call them directly.  They only make sense
 * inside an aggregate, where the state they update in place belongs to the
 * aggregate, so they refuse to run anywhere else, as core's array_agg
 * support functions do -- but with a proper SQLSTATE.  An inverse
 * transition only makes sense in a window frame.
 *
 * Returns the AGG_CONTEXT_* kind, and the aggregate's memory context in
 * *aggcontext when that is not NULL.
 */
extern int	kpi_aggregate_context(FunctionCallInfo fcinfo, MemoryContext *aggcontext);
extern void kpi_window_context(FunctionCallInfo fcinfo);

#endif
