/*
 * kpi_significance.c — SQL face of "is the change real?": kpi_csat_test,
 * kpi_nps_test (two kpi_scores summaries), kpi_rate_change and
 * kpi_rate_test (counts over two tstzrange or daterange periods).  The
 * statistics are in significance.c.
 *
 * NULL where there is nothing to compare: an empty summary, no counts at
 * all for the test, a previous count of 0 for the change.  Errors: 22003
 * for a negative count, a satisfied_min outside 0..10, or a CSAT test on
 * the default 1..5 scale of a summary with other scores (as kpi_csat);
 * 22023 for an empty, zero-length, unbounded or infinite period.
 */
#include "postgres.h"

#include "kpi_compat.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "scores.h"
#include "significance.h"

#define CSAT_SCALE_MIN 1
#define CSAT_SCALE_MAX 5
#define CSAT_SATISFIED_MIN 4

/* kpi_scores.c: the binary form, which scores_decode reads and checks */
extern Datum kpi_scores_send(PG_FUNCTION_ARGS);

/* The counts of kpi_scores argument n; false if it has no answer. */
static bool
scores_of(FunctionCallInfo fcinfo, int n, ScoreCounts *c)
{
	bytea	   *bytes = DatumGetByteaPP(DirectFunctionCall1(kpi_scores_send, PG_GETARG_DATUM(n)));
	const char *problem = scores_decode((const uint8 *) VARDATA_ANY(bytes),
										VARSIZE_ANY_EXHDR(bytes), c);
	int64		total;

	if (problem != NULL)
		elog(ERROR, "kpi_scores value does not decode: %s", problem);
	if (!scores_total(c, &total))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("kpi_scores count out of range"),
				 errdetail("The answers add up to more than bigint can hold.")));
	return total > 0;
}

/* satisfied_min as kpi_csat(kpi_scores [, satisfied_min]) reads it */
static int
satisfied_min_of(FunctionCallInfo fcinfo, int argno, const ScoreCounts *a, const ScoreCounts *b)
{
	const ScoreCounts *both[2] = {a, b};

	if (argno < PG_NARGS())
	{
		int32		m = PG_GETARG_INT32(argno);

		if (m < 0 || m > SCORES_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("satisfied_min %d is out of range", m),
					 errdetail("satisfied_min is the lowest satisfied score, from 0 to 10.")));
		return m;
	}
	for (int i = 0; i < 2; i++)
		for (int s = 0; s < SCORES_N; s++)
			if (both[i]->n[s] > 0 && (s < CSAT_SCALE_MIN || s > CSAT_SCALE_MAX))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("kpi_scores summary has answers with score %d, outside the 1 to 5 CSAT scale", s),
						 errhint("Pass satisfied_min, the lowest satisfied score, for another scale.")));
	return CSAT_SATISFIED_MIN;
}

/* kpi_csat_test(a, b [, satisfied_min]) */
PG_FUNCTION_INFO_V1(kpi_csat_test);
Datum
kpi_csat_test(PG_FUNCTION_ARGS)
{
	ScoreCounts a,
				b;
	bool		answered_a = scores_of(fcinfo, 0, &a);
	bool		answered_b = scores_of(fcinfo, 1, &b);
	int			satisfied_min = satisfied_min_of(fcinfo, 2, &a, &b);
	double		p;

	if (!answered_a || !answered_b || !sig_csat_test(&a, &b, satisfied_min, &p))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(p);
}

PG_FUNCTION_INFO_V1(kpi_nps_test);
Datum
kpi_nps_test(PG_FUNCTION_ARGS)
{
	ScoreCounts a,
				b;
	bool		answered_a = scores_of(fcinfo, 0, &a);
	bool		answered_b = scores_of(fcinfo, 1, &b);
	double		p;

	if (!answered_a || !answered_b || !sig_nps_test(&a, &b, &p))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(p);
}

/* ---------- counts over periods ---------- */

static char *
range_text(RangeType *range)
{
	return OidOutputFunctionCall(F_RANGE_OUT, RangeTypePGetDatum(range));
}

static int64
count_arg(FunctionCallInfo fcinfo, int argno)
{
	int64		count = PG_GETARG_INT64(argno);

	if (count < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("count " INT64_FORMAT " is negative", count),
				 errdetail("A rate is a number of events, 0 or more, over a period.")));
	return count;
}

/*
 * The exact elapsed time of a period: microseconds for tstzrange (a DST
 * month has its 743 or 745 hours), days for daterange (kept as [a,b) by
 * PostgreSQL, so upper - lower; other bounds are adjusted all the same).
 */
static uint64
period_length(FunctionCallInfo fcinfo, int argno)
{
	RangeType  *range = PG_GETARG_RANGE_P(argno);
	TypeCacheEntry *typcache = range_get_typcache(fcinfo, RangeTypeGetOid(range));
	RangeBound	lower,
				upper;
	bool		empty;
	uint64		length;

	range_deserialize(typcache, range, &lower, &upper, &empty);
	if (empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period is empty"),
				 errdetail("A rate is counted over a period with a start and an end, such as [2026-01-01,2026-02-01).")));
	if (lower.infinite || upper.infinite)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period %s is unbounded", range_text(range)),
				 errdetail("A rate is counted over a period with a finite start and end.")));
	if (typcache->rngelemtype->type_id == DATEOID)
	{
		DateADT		lo = DatumGetDateADT(lower.val),
					hi = DatumGetDateADT(upper.val);

		if (DATE_NOT_FINITE(lo) || DATE_NOT_FINITE(hi))
			goto infinite;
		length = (uint64) ((int64) hi - lo + (upper.inclusive ? 1 : 0) - (lower.inclusive ? 0 : 1));
	}
	else
	{
		TimestampTz lo = DatumGetTimestampTz(lower.val),
					hi = DatumGetTimestampTz(upper.val);

		if (TIMESTAMP_NOT_FINITE(lo) || TIMESTAMP_NOT_FINITE(hi))
			goto infinite;
		/* hi >= lo, and hi - lo < 2^64 even where it passes INT64_MAX */
		length = (uint64) hi - (uint64) lo;
	}
	if (length == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period %s has no length", range_text(range)),
				 errdetail("A rate is counted over a period that lasts some time.")));
	return length;

infinite:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("period %s has an infinite bound", range_text(range)),
			 errdetail("A rate is counted over a period with a finite start and end.")));
	return 0;
}

/* kpi_rate_change(current, current_period, previous, previous_period) */
PG_FUNCTION_INFO_V1(kpi_rate_change);
Datum
kpi_rate_change(PG_FUNCTION_ARGS)
{
	int64		current = count_arg(fcinfo, 0);
	uint64		current_length = period_length(fcinfo, 1);
	int64		previous = count_arg(fcinfo, 2);
	uint64		previous_length = period_length(fcinfo, 3);
	double		percent;

	if (!sig_rate_change(current, current_length, previous, previous_length, &percent))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(percent);
}

/* kpi_rate_test(current, current_period, previous, previous_period) */
PG_FUNCTION_INFO_V1(kpi_rate_test);
Datum
kpi_rate_test(PG_FUNCTION_ARGS)
{
	int64		current = count_arg(fcinfo, 0);
	uint64		current_length = period_length(fcinfo, 1);
	int64		previous = count_arg(fcinfo, 2);
	uint64		previous_length = period_length(fcinfo, 3);
	double		p;
	bool		overflow;

	if (!sig_rate_test(current, current_length, previous, previous_length, &p, &overflow))
	{
		if (overflow)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("counts " INT64_FORMAT " and " INT64_FORMAT " add up to more than bigint can hold",
							current, previous)));
		PG_RETURN_NULL();
	}
	PG_RETURN_FLOAT8(p);
}
