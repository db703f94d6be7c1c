/*
 * kpi_aggregate.c — the rule every aggregate support function follows:
 * it runs inside an aggregate or not at all (see kpi_aggregate.h).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/lsyscache.h"

#include "kpi_aggregate.h"

static pg_noinline void
report_outside(FunctionCallInfo fcinfo, const char *where)
{
	const char *name = fcinfo->flinfo ? get_func_name(fcinfo->flinfo->fn_oid) : NULL;

	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s can only be called %s",
					name ? name : "an aggregate support function", where),
			 errdetail("It is a support function of a kpi aggregate."),
			 errhint("Call the aggregate itself, e.g. kpi_hist(duration) or kpi_csat(score).")));
}

int
kpi_aggregate_context(FunctionCallInfo fcinfo, MemoryContext *aggcontext)
{
	int			kind = AggCheckCallContext(fcinfo, aggcontext);

	if (unlikely(kind == 0))
		report_outside(fcinfo, "as part of an aggregate");
	return kind;
}

void
kpi_window_context(FunctionCallInfo fcinfo)
{
	if (unlikely(AggCheckCallContext(fcinfo, NULL) != AGG_CONTEXT_WINDOW))
		report_outside(fcinfo, "as the inverse transition of a window aggregate");
}
