/*
 * calendar_time.c
 *		Business time over instants: duration, add, is-open.
 *
 * A cal_span holds the open intervals of a window of local days as
 * instants: every opening range [s, e) of day d becomes
 * [f(d, s), f(d, e)) with f the caller's local-to-instant conversion (an
 * end of 24:00 is f(d + 1, 0)); reversed results are empty; the intervals
 * are unioned (DST folds and skipped days can map hours of two days onto
 * the same instants, which count once) and given a running total of open
 * time, so that
 *
 *		open time in [a, b) = before(b) - before(a)
 *
 * is two binary searches, and adding an amount is one binary search on
 * the running total.
 *
 * An instant is at most CAL_MAX_OFFSET from its local time, so days
 * [first_day, end_day) determine the open set exactly on instants
 * [first_day * DAY + CAL_MAX_OFFSET, end_day * DAY - CAL_MAX_OFFSET]: no
 * other day reaches inside.  The window grows geometrically towards the
 * data it is asked about, up to max_days; beyond that it is rebuilt around
 * the new data, and a question wider than a window is answered window by
 * window.
 */
#include <stdlib.h>
#include <string.h>

#include "calendar_int.h"

#define DAY				CAL_USECS_PER_DAY
#define MARGIN_DAYS		((int32_t) (CAL_MAX_OFFSET / CAL_USECS_PER_DAY))
#define SPAN_MIN_DAYS	64
#define SPAN_MAX_DAYS	16384
#define SPAN_INTERVALS	(1 << 18)

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

static int64_t
ceil_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return (a % b != 0 && a > 0) ? q + 1 : q;
}

static void irregular_instants(const cal_def *def, int64_t *from, int64_t *to);

void
cal_span_init(cal_span *span, const cal_def *def,
			  cal_local_to_instant to_instant, void *arg, const cal_alloc *mem)
{
	int64_t		per_day = def->max_day_ranges ? def->max_day_ranges : 1;
	int64_t		days = SPAN_INTERVALS / per_day;

	memset(span, 0, sizeof(*span));
	span->def = def;
	span->to_instant = to_instant;
	span->to_instant_arg = arg;
	span->mem = *mem;
	if (days < SPAN_MIN_DAYS)
		days = SPAN_MIN_DAYS;
	if (days > SPAN_MAX_DAYS)
		days = SPAN_MAX_DAYS;
	span->max_days = (int32_t) days;
	span->cycle_open[0] = span->cycle_open[1] = -1;
	irregular_instants(def, &span->irregular_from, &span->irregular_to);
}

void
cal_span_free(cal_span *span)
{
	if (span->iv)
		span->mem.free(span->mem.arg, span->iv);
	if (span->day_first)
		span->mem.free(span->mem.arg, span->day_first);
	span->iv = NULL;
	span->day_first = NULL;
	span->n = span->cap = span->day_cap = 0;
	span->first_day = span->end_day = 0;
}

/* Instants a window of max_days can answer for at once */
static int64_t
span_step(const cal_span *span)
{
	return (int64_t) (span->max_days - 2 * MARGIN_DAYS - 2) * DAY;
}

/* f(day, usec), clamped as calendar.h promises */
static int64_t
to_instant(cal_span *span, int64_t day, int64_t usec)
{
	int64_t		local = day * DAY + usec;
	int64_t		t = span->to_instant(span->to_instant_arg, (int32_t) day, usec);

	if (t < local - CAL_MAX_OFFSET)
		t = local - CAL_MAX_OFFSET;
	if (t > local + CAL_MAX_OFFSET)
		t = local + CAL_MAX_OFFSET;
	if (t < CAL_TS_MIN)
		t = CAL_TS_MIN;
	if (t > CAL_TS_END)
		t = CAL_TS_END;
	return t;
}

static int
interval_cmp(const void *a, const void *b)
{
	const cal_interval *x = a,
			   *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/*
 * The day index of a window of days [d0, d1): for each day k, the first
 * interval ending after the instant (d0 + k) * one day.  One pass, as both
 * are sorted.
 */
static cal_status
index_days(cal_span *span, int64_t d0, int64_t d1)
{
	uint32_t	days = (uint32_t) (d1 - d0),
				i = 0;

	if (days > span->day_cap)
	{
		if (span->day_first)
			span->mem.free(span->mem.arg, span->day_first);
		span->day_cap = 0;
		span->day_first = span->mem.alloc(span->mem.arg, (size_t) days * sizeof(uint32_t));
		if (span->day_first == NULL)
			return CAL_NO_MEMORY;
		span->day_cap = days;
	}
	for (uint32_t k = 0; k < days; k++)
	{
		int64_t		t = (d0 + k) * DAY;

		while (i < span->n && span->iv[i].end <= t)
			i++;
		span->day_first[k] = i;
	}
	return CAL_OK;
}

/* Builds the window of local days [d0, d1). */
static cal_status
build(cal_span *span, int64_t d0, int64_t d1)
{
	const cal_def *def = span->def;
	int64_t		need,
				to;
	uint32_t	n = 0,
				out;
	bool		sorted = true;
	int64_t		midnight_day = INT64_MIN,	/* f(midnight_day, 0) is midnight */
				midnight = 0;

	/* days outside the timestamp range have no hours */
	if (d0 < CAL_DATE_MIN)
		d0 = CAL_DATE_MIN;
	if (d1 > CAL_TS_DAY_END)
		d1 = CAL_TS_DAY_END;
	need = (d1 - d0) * (def->max_day_ranges ? def->max_day_ranges : 1);
	/* the last timestamp day has no hours: its 24:00 is out of range */
	to = d1 < CAL_TS_DAY_END - 1 ? d1 : CAL_TS_DAY_END - 1;

	span->first_day = span->end_day = 0;
	if ((uint64_t) need > span->cap)
	{
		if (span->iv)
			span->mem.free(span->mem.arg, span->iv);
		span->cap = 0;
		span->iv = span->mem.alloc(span->mem.arg, (size_t) need * sizeof(cal_interval));
		if (span->iv == NULL)
			return CAL_NO_MEMORY;
		span->cap = (uint32_t) need;
	}
	for (int64_t day = d0; day < to; day++)
	{
		const cal_range *r;
		uint32_t	nr;

		cal_day_hours(def, (int32_t) day, &r, &nr);
		for (uint32_t i = 0; i < nr; i++)
		{
			int64_t		s,
						e;

			/* a range from 00:00 starts where the day before ended at 24:00 */
			if (r[i].start == 0 && day == midnight_day)
				s = midnight;
			else
				s = to_instant(span, day, r[i].start);
			if (r[i].end == DAY)
			{
				e = midnight = to_instant(span, day + 1, 0);
				midnight_day = day + 1;
			}
			else
				e = to_instant(span, day, r[i].end);

			if (e <= s)
				continue;
			if (n > 0 && s < span->iv[n - 1].start)
				sorted = false;
			span->iv[n].start = s;
			span->iv[n].end = e;
			n++;
		}
	}
	span->builds += (uint64_t) (d1 - d0);
	if (!sorted)
		qsort(span->iv, n, sizeof(cal_interval), interval_cmp);
	/* union, then the running total */
	out = 0;
	for (uint32_t i = 1; i < n; i++)
	{
		if (span->iv[i].start <= span->iv[out].end)
		{
			if (span->iv[i].end > span->iv[out].end)
				span->iv[out].end = span->iv[i].end;
		}
		else
			span->iv[++out] = span->iv[i];
	}
	span->n = n ? out + 1 : 0;
	for (uint32_t i = 0; i < span->n; i++)
		span->iv[i].before = i == 0 ? 0 :
			span->iv[i - 1].before + (span->iv[i - 1].end - span->iv[i - 1].start);
	if (index_days(span, d0, d1) != CAL_OK)
		return CAL_NO_MEMORY;
	span->first_day = (int32_t) d0;
	span->end_day = (int32_t) d1;
	/* no day outside the timestamp range has hours: nothing reaches past */
	span->lo = d0 <= CAL_DATE_MIN ? INT64_MIN : d0 * DAY + CAL_MAX_OFFSET;
	span->hi = d1 >= CAL_TS_DAY_END - 1 ? INT64_MAX : d1 * DAY - CAL_MAX_OFFSET;
	return CAL_OK;
}

static bool
covers(const cal_span *span, int64_t a, int64_t b)
{
	return span->first_day < span->end_day && a >= span->lo && b <= span->hi;
}

/*
 * Makes the span know the open set on [a, b] (b - a <= span_step): grows
 * the window geometrically towards it, or rebuilds around it.
 */
static cal_status
ensure(cal_span *span, int64_t a, int64_t b)
{
	int64_t		need0,
				need1,
				u0,
				u1,
				len,
				extra;

	if (covers(span, a, b))
		return CAL_OK;
	need0 = floor_div(a - CAL_MAX_OFFSET, DAY);
	need1 = ceil_div(b + CAL_MAX_OFFSET, DAY);
	if (span->first_day < span->end_day)
	{
		u0 = need0 < span->first_day ? need0 : span->first_day;
		u1 = need1 > span->end_day ? need1 : span->end_day;
		if (u1 - u0 <= span->max_days)
		{
			int64_t		target = 2 * (int64_t) (span->end_day - span->first_day);

			if (target > span->max_days)
				target = span->max_days;
			if (u1 - u0 < target)
			{
				if (need0 < span->first_day)
					u0 -= target - (u1 - u0);
				else
					u1 += target - (u1 - u0);
			}
			return build(span, u0, u1);
		}
	}
	/* a fresh window, mostly after the data (data tends to move forward) */
	len = need1 - need0;
	extra = len < SPAN_MIN_DAYS ? SPAN_MIN_DAYS - len : 0;
	if (len + extra > span->max_days)
		extra = span->max_days - len;
	return build(span, need0 - extra / 4, need1 + (extra - extra / 4));
}

/* Index of the first interval that ends after t */
static uint32_t
first_ending_after(const cal_span *span, int64_t t)
{
	uint32_t	lo = 0,
				hi = span->n;
	int64_t		k = floor_div(t, DAY) - span->first_day;

	/* inside the window: from the day's first candidate, a short scan */
	if (k >= 0 && k < span->end_day - span->first_day)
	{
		lo = span->day_first[k];
		while (lo < hi && span->iv[lo].end <= t)
			lo++;
		return lo;
	}

	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (span->iv[mid].end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Open time in the span before t */
static int64_t
open_before(const cal_span *span, int64_t t)
{
	uint32_t	i = first_ending_after(span, t);
	const cal_interval *v;

	if (i == span->n)
		return span->n ? span->iv[i - 1].before + (span->iv[i - 1].end - span->iv[i - 1].start) : 0;
	v = &span->iv[i];
	return v->before + (t > v->start ? t - v->start : 0);
}

static bool
valid_instant(int64_t t)
{
	return t >= CAL_TS_MIN && t < CAL_TS_END;
}

/* Open time in [a, b), a <= b, window by window */
static cal_status
measure_windows(cal_span *span, int64_t a, int64_t b, int64_t *result)
{
	int64_t		total = 0;

	while (a < b)
	{
		int64_t		y = a < b - span_step(span) ? a + span_step(span) : b;
		cal_status	st = ensure(span, a, y);

		if (st != CAL_OK)
			return st;
		if (__builtin_add_overflow(total, open_before(span, y) - open_before(span, a), &total))
			return CAL_OUT_OF_RANGE;
		a = y;
	}
	*result = total;
	return CAL_OK;
}

/*
 * Instants [*from, *to) outside which the open set repeats every 400 years
 * (calendar.h): the irregular years of time zones, widened to the
 * calendar's closed and special days, with the largest local offset as
 * margin.
 */
static void
irregular_instants(const cal_def *def, int64_t *from, int64_t *to)
{
	int64_t		first = civil_days_from_date(CAL_REGULAR_FROM, 1, 1),
				last = civil_days_from_date(CAL_REGULAR_TO, 1, 1);

	for (uint32_t i = 0; i < def->nclosed; i++)
	{
		first = def->closed[i].first < first ? def->closed[i].first : first;
		last = def->closed[i].last >= last ? def->closed[i].last + 1 : last;
	}
	for (uint32_t i = 0; i < def->nspecial; i++)
	{
		first = def->special[i].first < first ? def->special[i].first : first;
		last = def->special[i].last >= last ? def->special[i].last + 1 : last;
	}
	*from = first * DAY - CAL_MAX_OFFSET;
	*to = last * DAY + CAL_MAX_OFFSET;
}

/* The open time of one 400-year cycle on one side of the irregular years */
static cal_status
cycle_open(cal_span *span, int side, int64_t anchor)
{
	const int64_t cycle = (int64_t) CAL_CYCLE_DAYS * DAY;

	if (span->cycle_open[side] >= 0)
		return CAL_OK;
	return measure_windows(span, side == 0 ? anchor - cycle : anchor,
						   side == 0 ? anchor : anchor + cycle, &span->cycle_open[side]);
}

/*
 * Open time in [a, b) with a and b on one side of the irregular instants:
 * whole 400-year cycles count as the open time of one, measured once next
 * to the irregular years (the open set repeats, so any cycle-long stretch
 * of it holds the same open time), and the rest window by window.  So do
 * the first and last days of PostgreSQL's range: the local days past it,
 * which are never built, would reach into them.
 */
static cal_status
measure_regular(cal_span *span, int side, int64_t anchor, int64_t a, int64_t b,
				int64_t *result)
{
	const int64_t cycle = (int64_t) CAL_CYCLE_DAYS * DAY;
	int64_t		lo = a > CAL_TS_MIN + 2 * CAL_MAX_OFFSET ? a : CAL_TS_MIN + 2 * CAL_MAX_OFFSET,
				hi = b < CAL_TS_END - 2 * CAL_MAX_OFFSET ? b : CAL_TS_END - 2 * CAL_MAX_OFFSET,
				n = hi > lo ? (hi - lo) / cycle : 0,
				head,
				tail;
	cal_status	st;

	if (n == 0)
		return measure_windows(span, a, b, result);
	if ((st = cycle_open(span, side, anchor)) != CAL_OK)
		return st;
	if ((st = measure_windows(span, a, lo, &head)) != CAL_OK ||
		(st = measure_windows(span, lo + n * cycle, b, &tail)) != CAL_OK)
		return st;
	if (__builtin_mul_overflow(n, span->cycle_open[side], result) ||
		__builtin_add_overflow(*result, head, result) ||
		__builtin_add_overflow(*result, tail, result))
		return CAL_OUT_OF_RANGE;
	return CAL_OK;
}

/* Open time in [a, b), a <= b */
static cal_status
measure(cal_span *span, int64_t a, int64_t b, int64_t *result)
{
	int64_t		from,
				to,
				part[3] = {0, 0, 0};
	cal_status	st = CAL_OK;

	if ((uint64_t) b - (uint64_t) a <= (uint64_t) CAL_CYCLE_DAYS * DAY)
		return measure_windows(span, a, b, result);
	from = span->irregular_from;
	to = span->irregular_to;
	if (a < from)
		st = measure_regular(span, 0, from, a, b < from ? b : from, &part[0]);
	if (st == CAL_OK && a < to && b > from)
		st = measure_windows(span, a > from ? a : from, b < to ? b : to, &part[1]);
	if (st == CAL_OK && b > to)
		st = measure_regular(span, 1, to, a > to ? a : to, b, &part[2]);
	if (st != CAL_OK)
		return st;
	if (__builtin_add_overflow(part[0], part[1], result) ||
		__builtin_add_overflow(*result, part[2], result))
		return CAL_OUT_OF_RANGE;
	return CAL_OK;
}

cal_status
cal_business_duration(cal_span *span, int64_t a, int64_t b, int64_t *result)
{
	cal_status	st;

	if (!valid_instant(a) || !valid_instant(b))
		return CAL_OUT_OF_RANGE;
	if (!span->def->has_open)
	{
		*result = 0;
		return CAL_OK;
	}
	if (a <= b)
	{
		/* the common case: inside the window already */
		if (covers(span, a, b))
		{
			*result = open_before(span, b) - open_before(span, a);
			return CAL_OK;
		}
		return measure(span, a, b, result);
	}
	st = measure(span, b, a, result);
	if (st == CAL_OK)
		*result = -*result;
	return st;
}

cal_status
cal_is_open(cal_span *span, int64_t t, bool *result)
{
	cal_status	st;
	uint32_t	i;

	if (!valid_instant(t))
		return CAL_OUT_OF_RANGE;
	*result = false;
	if (!span->def->has_open)
		return CAL_OK;
	if ((st = ensure(span, t, t)) != CAL_OK)
		return st;
	i = first_ending_after(span, t);
	*result = i < span->n && span->iv[i].start <= t;
	return CAL_OK;
}

/* Length of a window to search first for rem of open time */
static int64_t
search_length(const cal_span *span, int64_t rem)
{
	const cal_def *def = span->def;
	int64_t		len = span_step(span);

	if (def->week_open > 0 && rem / def->week_open < len / (7 * DAY))
	{
		/* weeks of weekly hours that should hold rem, and two more */
		int64_t		guess = (rem / def->week_open + 2) * 7 * DAY;

		if (guess < len)
			len = guess;
	}
	return len;
}

/* The earliest u > x (inside the window) with open time rem in [x, u) */
static int64_t
find_forward(const cal_span *span, int64_t x, int64_t rem)
{
	int64_t		target = open_before(span, x) + rem;
	uint32_t	lo = first_ending_after(span, x),
				hi = span->n;

	/*
	 * The first interval whose end reaches the target: none before x's,
	 * and a due date is usually a few intervals on, so gallop from there,
	 * then bisect what is left.
	 */
	for (uint32_t step = 1; lo + step - 1 < hi; step *= 2)
	{
		const cal_interval *v = &span->iv[lo + step - 1];

		if (v->before + (v->end - v->start) >= target)
		{
			hi = lo + step - 1;
			break;
		}
		lo += step;
	}
	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;
		const cal_interval *v = &span->iv[mid];

		if (v->before + (v->end - v->start) < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	return span->iv[lo].start + (target - span->iv[lo].before);
}

/* The latest u < x (inside the window) with open time rem in [u, x) */
static int64_t
find_backward(const cal_span *span, int64_t x, int64_t rem)
{
	int64_t		target = open_before(span, x) - rem;
	uint32_t	lo = 0,
				hi = span->n;

	/* the last interval that starts with at most target before it */
	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (span->iv[mid].before <= target)
			lo = mid + 1;
		else
			hi = mid;
	}
	return span->iv[lo - 1].start + (target - span->iv[lo - 1].before);
}

/* End of the last open time in [x, y), or x if none */
static int64_t
last_open_before(const cal_span *span, int64_t x, int64_t y)
{
	uint32_t	i = first_ending_after(span, y);

	/* intervals before i end at or before y; i itself may start before y */
	if (i < span->n && span->iv[i].start < y && span->iv[i].end > x)
		return y;
	if (i > 0 && span->iv[i - 1].end > x)
		return span->iv[i - 1].end;
	return x;
}

/* First open instant in (y, x], or x if none */
static int64_t
first_open_after(const cal_span *span, int64_t y, int64_t x)
{
	uint32_t	i = first_ending_after(span, y);

	if (i < span->n && span->iv[i].start < x)
		return span->iv[i].start > y ? span->iv[i].start : y;
	return x;
}

/*
 * Before a search walks on from x for rem more open time: whole 400-year
 * cycles on one side of the irregular years, each holding that side's
 * cycle of open time, are stepped over at once, leaving between one
 * instant and one cycle of open time to find day by day (so the earliest,
 * or latest, instant is still found exactly).
 */
static cal_status
skip_cycles(cal_span *span, bool forward, int64_t *x, int64_t *rem)
{
	const int64_t cycle = (int64_t) CAL_CYCLE_DAYS * DAY;
	int64_t		from,
				to,
				lo,
				hi,
				k,
				c;
	int			side;
	cal_status	st;

	from = span->irregular_from;
	to = span->irregular_to;
	/* the stretch the search would cross, if it lies on one side */
	lo = CAL_TS_MIN + 2 * CAL_MAX_OFFSET;
	hi = CAL_TS_END - 2 * CAL_MAX_OFFSET;
	if (forward ? *x >= to : *x <= from)
		side = forward ? 1 : 0;
	else if (forward ? *x < from : *x > to)
		side = forward ? 0 : 1;
	else
		return CAL_OK;
	if (*x < lo || *x > hi)
		return CAL_OK;
	if (forward)
		k = ((side == 1 ? hi : from) - *x) / cycle;
	else
		k = (*x - (side == 0 ? lo : to)) / cycle;
	if (k <= 0)
		return CAL_OK;
	if ((st = cycle_open(span, side, side == 0 ? from : to)) != CAL_OK)
		return st;
	c = span->cycle_open[side];
	if (c <= 0 || *rem <= c)
		return CAL_OK;
	if ((*rem - 1) / c < k)
		k = (*rem - 1) / c;
	*rem -= k * c;
	*x += forward ? k * cycle : -k * cycle;
	return CAL_OK;
}

cal_status
cal_business_add(cal_span *span, int64_t t, int64_t d, int64_t *result)
{
	int64_t		x = t,
				rem,
				seen = t;		/* the open time nearest the search front */
	bool		forward = d > 0;

	if (!valid_instant(t))
		return CAL_OUT_OF_RANGE;
	if (d == 0)
	{
		*result = t;
		return CAL_OK;
	}
	if (!span->def->has_open)
		return CAL_NO_OPEN_TIME;
	if (d == INT64_MIN)
		return CAL_OUT_OF_RANGE;
	rem = forward ? d : -d;
	/* open time never exceeds elapsed time (which may not fit in int64) */
	if (forward ? (__int128) rem > (__int128) CAL_TS_END - 1 - t :
		(__int128) rem > (__int128) t - CAL_TS_MIN)
		return CAL_OUT_OF_RANGE;

	for (;;)
	{
		int64_t		len = search_length(span, rem),
					y,
					avail,
					before_skip = x;
		cal_status	st;

		if ((st = skip_cycles(span, forward, &x, &rem)) != CAL_OK)
			return st;
		if (x != before_skip)
			seen = x;			/* a skipped cycle is open every week */
		if (forward)
		{
			y = x < CAL_TS_END - len ? x + len : CAL_TS_END;
			if (!covers(span, x, x) || span->hi < y)
			{
				if ((st = ensure(span, x, y)) != CAL_OK)
					return st;
			}
			/* use the whole window, not just the guess */
			y = span->hi < CAL_TS_END ? span->hi : CAL_TS_END;
			avail = open_before(span, y) - open_before(span, x);
			if (avail >= rem)
			{
				int64_t		u = find_forward(span, x, rem);

				if (u >= CAL_TS_END)
					return CAL_OUT_OF_RANGE;
				*result = u;
				return CAL_OK;
			}
			if (avail > 0)
				seen = last_open_before(span, x, y);
			rem -= avail;
			x = y;
			if (x >= CAL_TS_END)
				return CAL_OUT_OF_RANGE;
			if (x - seen > CAL_SEARCH_LIMIT)	/* (seen + limit may overflow) */
				return CAL_NO_OPEN_TIME;
		}
		else
		{
			y = x > CAL_TS_MIN + len ? x - len : CAL_TS_MIN;
			if (!covers(span, x, x) || span->lo > y)
			{
				if ((st = ensure(span, y, x)) != CAL_OK)
					return st;
			}
			y = span->lo > CAL_TS_MIN ? span->lo : CAL_TS_MIN;
			avail = open_before(span, x) - open_before(span, y);
			if (avail >= rem)
			{
				*result = find_backward(span, x, rem);
				return CAL_OK;
			}
			if (avail > 0)
				seen = first_open_after(span, y, x);
			rem -= avail;
			x = y;
			if (x <= CAL_TS_MIN)
				return CAL_OUT_OF_RANGE;
			if (seen - x > CAL_SEARCH_LIMIT)
				return CAL_NO_OPEN_TIME;
		}
	}
}
