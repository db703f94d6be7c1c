/*
 * civil_days.h — proleptic Gregorian dates (astronomical year numbering,
 * as PostgreSQL's) to and from day numbers, day 0 being 2000-01-01 (the
 * epoch of PostgreSQL's date).  Plain C, shared by the churn, calendar and
 * timeline cores.
 */
#ifndef KPI_CIVIL_DAYS_H
#define KPI_CIVIL_DAYS_H

#include <stdint.h>

extern int64_t civil_days_from_date(int64_t year, int month, int day);
extern void civil_date_from_days(int64_t days, int64_t *year, int *month, int *day);

#endif
