/*
 * calendar_days.c
 *		Business days: local calendar days that have opening hours (after
 *		closed dates and special hours), the spreadsheet NETWORKDAYS and
 *		WORKDAY rules.  A day is counted by its hours, not by the instants
 *		they map to, so the count does not depend on the zone.
 *
 * Counting is O(log n): whole weeks times the weekly open days, corrected
 * by running totals over the closed and special lists (cal_def's
 * closed_cum and special_cum), so any span of dates costs the same.
 */
#include "calendar_int.h"

/* Change in open days that closed (or special) days [a, b) make */
static int64_t
entry_delta(const cal_def *def, bool special, int64_t a, int64_t b)
{
	int64_t		weekly = cal_week_days(def->week_mask, a, b);

	return special ? (b - a) - weekly : -weekly;
}

/* Sum of entry_delta over a sorted list's parts inside [from, to) */
static int64_t
list_delta(const cal_def *def, bool special, int64_t from, int64_t to)
{
	uint32_t	n = special ? def->nspecial : def->nclosed;
	const int64_t *cum = special ? def->special_cum : def->closed_cum;
	uint32_t	lo = 0,
				hi = n,
				i0,
				i1;
	int64_t		sum;

#define FIRST(i) ((int64_t) (special ? def->special[i].first : def->closed[i].first))
#define LAST(i) ((int64_t) (special ? def->special[i].last : def->closed[i].last))

	/* i0: first entry with last >= from; i1: first with first >= to */
	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (LAST(mid) < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	i0 = lo;
	hi = n;
	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (FIRST(mid) < to)
			lo = mid + 1;
		else
			hi = mid;
	}
	i1 = lo;
	if (i1 <= i0)
		return 0;
	sum = cum[i1] - cum[i0];
	/* clip the two end entries to [from, to) */
	if (FIRST(i0) < from)
		sum += entry_delta(def, special, from, LAST(i0) + 1) -
			entry_delta(def, special, FIRST(i0), LAST(i0) + 1);
	if (LAST(i1 - 1) + 1 > to)
	{
		int64_t		a = FIRST(i1 - 1) > from ? FIRST(i1 - 1) : from;

		sum += entry_delta(def, special, a, to) -
			entry_delta(def, special, a, LAST(i1 - 1) + 1);
	}
#undef FIRST
#undef LAST
	return sum;
}

/* Days with hours in [from, to), from <= to */
static int64_t
count_days(const cal_def *def, int64_t from, int64_t to)
{
	return cal_week_days(def->week_mask, from, to) +
		list_delta(def, false, from, to) + list_delta(def, true, from, to);
}

static bool
valid_date(int64_t d)
{
	return d >= CAL_DATE_MIN && d <= CAL_DATE_MAX;
}

cal_status
cal_business_days(const cal_def *def, int32_t from, int32_t to, int32_t *result)
{
	int64_t		n;

	if (!valid_date(from) || !valid_date(to))
		return CAL_OUT_OF_RANGE;
	n = from <= to ? count_days(def, from, to) : -count_days(def, to, from);
	if (n > INT32_MAX || n < INT32_MIN)
		return CAL_OUT_OF_RANGE;
	*result = (int32_t) n;
	return CAL_OK;
}

cal_status
cal_add_business_days(const cal_def *def, int32_t d, int32_t n, int32_t *result)
{
	int64_t		want = n < 0 ? -(int64_t) n : n,
				lo,
				hi;

	if (!valid_date(d))
		return CAL_OUT_OF_RANGE;
	if (n == 0)
	{
		*result = d;
		return CAL_OK;
	}
	if (!def->has_open)
		return CAL_NO_OPEN_TIME;
	if (n > 0)
	{
		/* the smallest x with want days in [d + 1, x + 1) */
		lo = (int64_t) d + 1;
		hi = CAL_DATE_MAX;
		if (lo > hi || count_days(def, lo, hi + 1) < want)
			return def->week_mask ? CAL_OUT_OF_RANGE : CAL_NO_OPEN_TIME;
		while (lo < hi)
		{
			int64_t		mid = lo + (hi - lo) / 2;

			if (count_days(def, (int64_t) d + 1, mid + 1) >= want)
				hi = mid;
			else
				lo = mid + 1;
		}
	}
	else
	{
		/* the largest x with want days in [x, d) */
		lo = CAL_DATE_MIN;
		hi = (int64_t) d - 1;
		if (lo > hi || count_days(def, lo, d) < want)
			return def->week_mask ? CAL_OUT_OF_RANGE : CAL_NO_OPEN_TIME;
		while (lo < hi)
		{
			int64_t		mid = hi - (hi - lo) / 2;

			if (count_days(def, mid, d) >= want)
				lo = mid;
			else
				hi = mid - 1;
		}
	}
	*result = (int32_t) lo;
	return CAL_OK;
}
