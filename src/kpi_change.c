/*
 * kpi_change.c — period-over-period change of any KPI, in percent.
 *
 * change = 100 * (current - previous) / |previous|.  Dividing by the
 * magnitude keeps the sign meaningful for KPIs that can be negative (NPS):
 * going from -20 to -10 is +50%, an improvement.  A previous value of 0 has
 * no percentage change: the result is NULL, as it is for NULL inputs.  The
 * float8 form follows SQL's float8 arithmetic: a result too large or too
 * small for float8 is an error (22003), infinite inputs give infinities.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/numeric.h"

PG_FUNCTION_INFO_V1(kpi_change_float8);
Datum
kpi_change_float8(PG_FUNCTION_ARGS)
{
	float8		current = PG_GETARG_FLOAT8(0);
	float8		previous = PG_GETARG_FLOAT8(1);

	if (previous == 0)
		PG_RETURN_NULL();
	/* float8_*: overflow and underflow are 22003, as in SQL float arithmetic */
	PG_RETURN_FLOAT8(float8_div(float8_mul(100.0, float8_mi(current, previous)),
								fabs(previous)));
}

static Datum
numeric_change(Datum current, Datum previous, bool *isnull)
{
	Datum		zero = DirectFunctionCall1(int4_numeric, Int32GetDatum(0));
	Datum		hundred = DirectFunctionCall1(int4_numeric, Int32GetDatum(100));
	Datum		diff;

	*isnull = DatumGetBool(DirectFunctionCall2(numeric_eq, previous, zero));
	if (*isnull)
		return (Datum) 0;
	/* multiply before dividing, so the quotient keeps numeric's full scale */
	diff = DirectFunctionCall2(numeric_sub, current, previous);
	diff = DirectFunctionCall2(numeric_mul, diff, hundred);
	return DirectFunctionCall2(numeric_div, diff,
							   DirectFunctionCall1(numeric_abs, previous));
}

PG_FUNCTION_INFO_V1(kpi_change_numeric);
Datum
kpi_change_numeric(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Datum		result = numeric_change(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), &isnull);

	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}

PG_FUNCTION_INFO_V1(kpi_change_int8);
Datum
kpi_change_int8(PG_FUNCTION_ARGS)
{
	bool		isnull;
	Datum		result;

	result = numeric_change(DirectFunctionCall1(int8_numeric, PG_GETARG_DATUM(0)),
							DirectFunctionCall1(int8_numeric, PG_GETARG_DATUM(1)),
							&isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}
