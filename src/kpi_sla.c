/*
 * kpi_sla.c — the kpi_sla aggregate: % of rows that met their target, of
 * those that met or breached it.
 *
 *	kpi_sla(started, finished, target interval [, kpi_calendar], as_of)
 *
 * A row met its target when finished - started (business time with a
 * calendar) is at most target; it breached when it took longer, or is still
 * open (finished NULL) and its due date (started + target; with a calendar
 * kpi_business_add(started, target, calendar)) is before as_of.  An open
 * row not yet due is active and counted in neither; so is an open row when
 * as_of is NULL, or one whose due date the calendar never reaches.  Rows
 * with a NULL started, target or calendar are skipped.  The result is NULL
 * when no row met or breached.
 *
 * Intervals count as interval comparison counts them (a day is 24 hours, a
 * month 30 days), so the plain form's due date is started plus that many
 * microseconds.
 *
 * The state is a real type, bigint[2] {met, breached}, updated in place
 * inside an aggregate; combine adds, the inverse subtracts (moving
 * windows).  Errors: infinite timestamps 22008; a negative target 22023.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/int.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/timestamp.h"

#include "kpi_calendar.h"

PG_FUNCTION_INFO_V1(kpi_sla_accum);
PG_FUNCTION_INFO_V1(kpi_sla_inv);
PG_FUNCTION_INFO_V1(kpi_sla_calendar_accum);
PG_FUNCTION_INFO_V1(kpi_sla_calendar_inv);
PG_FUNCTION_INFO_V1(kpi_sla_combine);
PG_FUNCTION_INFO_V1(kpi_sla_final);

typedef enum sla_outcome
{
	SLA_NONE = -1,				/* skipped or active */
	SLA_MET = 0,
	SLA_BREACHED = 1
} sla_outcome;

/* The state argument, checked; modifiable in place inside an aggregate */
static ArrayType *
state_arg(FunctionCallInfo fcinfo, int argno)
{
	ArrayType  *a;

	if (PG_ARGISNULL(argno))
		return NULL;
	a = AggCheckCallContext(fcinfo, NULL) ? PG_GETARG_ARRAYTYPE_P(argno) :
		PG_GETARG_ARRAYTYPE_P_COPY(argno);
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != 2 || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi_sla state must be a bigint array of two counts {met, breached}")));
	return a;
}

/* The two counts (state_arg checked: one dimension, no NULLs) */
static int64 *
counts_of(ArrayType *a)
{
	return (int64 *) ((char *) a + ARR_OVERHEAD_NONULLS(1));
}

static ArrayType *
new_state(void)
{
	Datum		zero[2] = {Int64GetDatum(0), Int64GetDatum(0)};

	return construct_array(zero, 2, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

static void
check_finite(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range"),
				 errdetail("kpi_sla needs finite timestamps.")));
}

/* target in microseconds, as interval comparison counts it */
static int128
target_usec(Interval *target)
{
	int128		d;

#ifdef INTERVAL_NOT_FINITE
	if (INTERVAL_NOT_FINITE(target))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range"),
				 errdetail("kpi_sla needs a finite target.")));
#endif
	d = (int128) target->time +
		((int128) target->month * DAYS_PER_MONTH + target->day) * USECS_PER_DAY;
	if (d < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi_sla target must not be negative")));
	return d;
}

/*
 * The outcome of a row; args: started, finished, target, [calendar,] as_of
 * from argument 1 on.
 */
static sla_outcome
row_outcome(FunctionCallInfo fcinfo, bool with_calendar)
{
	int			as_of_arg = with_calendar ? 5 : 4;
	TimestampTz started,
				as_of;
	int128		target;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(3) || (with_calendar && PG_ARGISNULL(4)))
		return SLA_NONE;
	started = PG_GETARG_TIMESTAMPTZ(1);
	check_finite(started);
	target = target_usec(PG_GETARG_INTERVAL_P(3));

	if (!PG_ARGISNULL(2))
	{
		TimestampTz finished = PG_GETARG_TIMESTAMPTZ(2);
		int128		took;

		check_finite(finished);
		if (with_calendar)
		{
			int64_t		d;

			kpi_calendar_report(cal_business_duration(kpi_calendar_span(fcinfo, 4),
													  started, finished, &d), "interval");
			took = d;
		}
		else
			took = (int128) finished - started;
		return took <= target ? SLA_MET : SLA_BREACHED;
	}

	/* still open: breached once due */
	if (PG_ARGISNULL(as_of_arg))
		return SLA_NONE;
	as_of = PG_GETARG_TIMESTAMPTZ(as_of_arg);
	check_finite(as_of);
	if (with_calendar)
	{
		int64_t		due;
		cal_status	st;

		if (target > PG_INT64_MAX)
			return SLA_NONE;	/* never due */
		st = cal_business_add(kpi_calendar_span(fcinfo, 4), started, (int64_t) target, &due);
		if (st == CAL_NO_OPEN_TIME || st == CAL_OUT_OF_RANGE)
			return SLA_NONE;	/* the calendar never makes it due */
		kpi_calendar_report(st, "timestamp");
		return due < as_of ? SLA_BREACHED : SLA_NONE;
	}
	return (int128) started + target < as_of ? SLA_BREACHED : SLA_NONE;
}

static Datum
step(FunctionCallInfo fcinfo, bool with_calendar, int64 sign)
{
	ArrayType  *state = state_arg(fcinfo, 0);
	sla_outcome o = row_outcome(fcinfo, with_calendar);
	int64	   *counts;

	if (state == NULL)
		state = new_state();
	if (o == SLA_NONE)
		PG_RETURN_ARRAYTYPE_P(state);
	counts = counts_of(state);
	if (pg_add_s64_overflow(counts[o], sign, &counts[o]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("kpi_sla count out of range")));
	PG_RETURN_ARRAYTYPE_P(state);
}

Datum
kpi_sla_accum(PG_FUNCTION_ARGS)
{
	return step(fcinfo, false, 1);
}

Datum
kpi_sla_inv(PG_FUNCTION_ARGS)
{
	return step(fcinfo, false, -1);
}

Datum
kpi_sla_calendar_accum(PG_FUNCTION_ARGS)
{
	return step(fcinfo, true, 1);
}

Datum
kpi_sla_calendar_inv(PG_FUNCTION_ARGS)
{
	return step(fcinfo, true, -1);
}

Datum
kpi_sla_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = state_arg(fcinfo, 0);
	ArrayType  *b = state_arg(fcinfo, 1);
	int64	   *x,
			   *y;

	if (a == NULL && b == NULL)
		PG_RETURN_NULL();
	if (a == NULL)
		PG_RETURN_ARRAYTYPE_P(b);
	if (b == NULL)
		PG_RETURN_ARRAYTYPE_P(a);
	x = counts_of(a);
	y = counts_of(b);
	for (int i = 0; i < 2; i++)
		if (pg_add_s64_overflow(x[i], y[i], &x[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("kpi_sla count out of range")));
	PG_RETURN_ARRAYTYPE_P(a);
}

Datum
kpi_sla_final(PG_FUNCTION_ARGS)
{
	ArrayType  *state = state_arg(fcinfo, 0);
	int64	   *counts;

	if (state == NULL)
		PG_RETURN_NULL();
	counts = counts_of(state);
	if (counts[0] < 0 || counts[1] < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kpi_sla state has a negative count")));
	if (counts[0] == 0 && counts[1] == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * (double) counts[0] / ((double) counts[0] + (double) counts[1]));
}
