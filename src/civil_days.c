/*
 * civil_days.c — day numbers of proleptic Gregorian dates and back, by
 * whole 400-year eras (146,097 days each), so any int64 year works
 * without loops or tables.
 */
#include "civil_days.h"

/* days from 0000-03-01 (the start of an era's first year) to 2000-01-01 */
#define ERA_START_TO_2000 730425

int64_t
civil_days_from_date(int64_t year, int month, int day)
{
	/* years start in March, so the leap day ends a year */
	int64_t		y = year - (month <= 2);
	int64_t		era = (y >= 0 ? y : y - 399) / 400;
	int64_t		yoe = y - era * 400;
	int64_t		doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - ERA_START_TO_2000;
}

void
civil_date_from_days(int64_t days, int64_t *year, int *month, int *day)
{
	int64_t		z = days + ERA_START_TO_2000;
	int64_t		era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;

	*day = (int) (doy - (153 * mp + 2) / 5 + 1);
	*month = (int) (mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}
