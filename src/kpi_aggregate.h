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

#endif
