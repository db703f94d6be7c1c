/*
 * calendar.h
 *		The kpi_calendar business-hours core: plain C, no PostgreSQL headers,
 *		so that it can be unit-tested and fuzzed without a server.
 *
 * A calendar (cal_def) is a time zone name, weekly opening hours, closed
 * date ranges and special hours on date ranges, always in canonical form:
 * every list sorted, ranges merged, special days that are also closed
 * dropped.  Two calendars with the same meaning therefore have the same
 * canonical text and the same binary form, so the binary form can serve as
 * a cache key.
 *
 * Units are PostgreSQL's: a day is a day number relative to 2000-01-01
 * (date's epoch), a time of day is microseconds since local midnight, an
 * instant is microseconds since 2000-01-01 00:00 UTC (timestamptz).
 *
 * The core never looks up a time zone: the program supplies a function that
 * turns a local day and time into an instant (in the server: PostgreSQL's
 * own zone code, as (day + time) AT TIME ZONE zone does), and an allocator
 * (palloc in a memory context in the server, malloc in tests).
 *
 *	calendar_parse.c	text form -> cal_def, the constructor, canonical text
 *	calendar_codec.c	binary (stored and send/recv) form, equality
 *	calendar_build.c	normalisation into a cal_def (shared by both)
 *	calendar_time.c		business duration/add/is-open over a cal_span
 *	calendar_days.c		business days (zone-independent)
 */
#ifndef KPI_CALENDAR_H
#define KPI_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "civil_days.h"

#define CAL_USECS_PER_SEC	INT64_C(1000000)
#define CAL_USECS_PER_DAY	INT64_C(86400000000)

/* PostgreSQL's ranges, as day numbers and instants */
#define CAL_DATE_MIN		(-2451545)	/* 4714-11-24 BC, first date/timestamp day */
#define CAL_DATE_MAX		2145031948	/* 5874897-12-31, last finite date */
#define CAL_TS_DAY_END		106751983	/* 294277-01-01, first day past timestamp */
#define CAL_TS_MIN			((int64_t) CAL_DATE_MIN * CAL_USECS_PER_DAY)
#define CAL_TS_END			((int64_t) CAL_TS_DAY_END * CAL_USECS_PER_DAY)

/* Dates written in a calendar: years 0001..9999 */
#define CAL_TEXT_DAY_MIN	(-730119)	/* 0001-01-01 */
#define CAL_TEXT_DAY_MAX	2921939		/* 9999-12-31 */

/* Limits, so that sizes stay small and every count fits its field */
#define CAL_ZONE_MAX		255		/* PostgreSQL's TZ_STRLEN_MAX */
#define CAL_DAY_RANGES_MAX	1440	/* opening ranges on one day */
#define CAL_ITEMS_MAX		100000	/* closed ranges, special entries, ranges */
#define CAL_MESSAGE_MAX		256

/*
 * The local-time conversion may put an instant at most this far from the
 * local time read as UTC (real zones stay within 16 hours; PostgreSQL's
 * POSIX zone specs within 7 days).  Results further off are clamped, so
 * that a span of local days knows which instants it covers completely.
 */
#define CAL_MAX_OFFSET		(8 * CAL_USECS_PER_DAY)

/* "No open time within 100 years" for business_add */
#define CAL_SEARCH_LIMIT	(INT64_C(36525) * CAL_USECS_PER_DAY)

typedef enum cal_status
{
	CAL_OK = 0,
	CAL_SYNTAX,					/* malformed text: 22P02 */
	CAL_CORRUPT,				/* malformed binary form: 22P03 */
	CAL_OUT_OF_RANGE,			/* an input or result outside its type: 22008 */
	CAL_NO_OPEN_TIME,			/* business_add finds no open time: 22023 */
	CAL_TOO_LARGE,				/* beyond the limits above: 54000 */
	CAL_NO_MEMORY				/* the allocator returned NULL */
} cal_status;

typedef struct cal_error
{
	cal_status	code;
	char		message[CAL_MESSAGE_MAX];	/* names the bad clause */
} cal_error;

/* Allocator hooks; alloc need not zero, may return NULL (CAL_NO_MEMORY). */
typedef struct cal_alloc
{
	void	   *(*alloc) (void *arg, size_t size);
	void		(*free) (void *arg, void *ptr);
	void	   *arg;
} cal_alloc;

/* An opening range of a local day: [start, end) in microseconds */
typedef struct cal_range
{
	int64_t		start;			/* 0 <= start < end */
	int64_t		end;			/* <= CAL_USECS_PER_DAY (24:00) */
} cal_range;

/* Closed days [first, last], inclusive */
typedef struct cal_dates
{
	int32_t		first;
	int32_t		last;
} cal_dates;

/* Special hours on days [first, last]: ranges[off .. off + n) */
typedef struct cal_special
{
	int32_t		first;
	int32_t		last;
	uint32_t	off;
	uint32_t	n;				/* >= 1 */
} cal_special;

/*
 * A parsed calendar: one block from the allocator (free it with cal_free),
 * the arrays inside it.  Canonical: ranges of a day sorted, disjoint and
 * not touching; closed and special lists sorted, disjoint, no closed range
 * touching the next, no special day closed, no two touching special entries
 * with the same ranges.
 */
typedef struct cal_def
{
	size_t		size;			/* of the whole block */
	uint32_t	zone_len;
	char		zone[CAL_ZONE_MAX + 1]; /* NUL-terminated */
	uint32_t	week_off[8];	/* weekday w (0 = Monday): ranges[week_off[w]
								 * .. week_off[w + 1]) */
	uint32_t	nranges;		/* weekly ranges first, then special ones */
	uint32_t	nclosed;
	uint32_t	nspecial;
	cal_range  *ranges;
	cal_dates  *closed;
	cal_special *special;
	/* derived, for counting business days */
	int64_t    *closed_cum;		/* [i]: change in open days by closed[0..i) */
	int64_t    *special_cum;	/* [i]: the same for special[0..i) */
	uint8_t		week_mask;		/* bit w: weekday w has weekly hours */
	uint32_t	max_day_ranges; /* most ranges on any one day */
	int64_t		week_open;		/* weekly open time, local microseconds */
	bool		has_open;		/* any day has hours at all */
} cal_def;

/* ---- days: civil_days.h (proleptic Gregorian; day 0 is 2000-01-01) ---- */

/* 0 = Monday .. 6 = Sunday */
static inline int
cal_weekday(int64_t day)
{
	int64_t		w = (day + 5) % 7;	/* 2000-01-01 was a Saturday */

	return (int) (w < 0 ? w + 7 : w);
}

/* ---- text form (calendar_parse.c) ---- */

/*
 * Parses the text form (len bytes, no NUL needed).  Returns NULL and fills
 * err on failure.
 */
extern cal_def *cal_parse(const char *text, size_t len, const cal_alloc *mem,
						  cal_error *err);

/*
 * kpi_calendar(zone, hours, closed): hours is the clauses after the zone
 * (may be empty); closed are day numbers.
 */
extern cal_def *cal_construct(const char *zone, size_t zone_len,
							  const char *hours, size_t hours_len,
							  const int32_t *closed, size_t nclosed,
							  const cal_alloc *mem, cal_error *err);

/*
 * Canonical text, snprintf-like: returns its length (without NUL) and
 * writes at most cap bytes including a NUL (nothing if cap = 0).
 */
extern size_t cal_format(const cal_def *def, char *buf, size_t cap);

/* ---- binary form (calendar_codec.c) ---- */

#define CAL_BINARY_VERSION	1

extern size_t cal_encoded_size(const cal_def *def);
extern void cal_encode(const cal_def *def, uint8_t *out);
/* Rejects anything that is not exactly some calendar's encoding. */
extern cal_def *cal_decode(const uint8_t *data, size_t len,
						   const cal_alloc *mem, cal_error *err);
extern bool cal_equal(const cal_def *a, const cal_def *b);
extern void cal_free(cal_def *def, const cal_alloc *mem);

/* The hours of one local day (closed -> none; special -> those; else weekly) */
extern void cal_day_hours(const cal_def *def, int32_t day,
						  const cal_range **ranges, uint32_t *n);

/* ---- business time (calendar_time.c) ---- */

/*
 * Local day + microseconds of that day (0 <= usec < one day) -> instant.
 * Must not fail for days in [CAL_DATE_MIN, CAL_TS_DAY_END); the result is
 * clamped to within CAL_MAX_OFFSET of the local time and into
 * [CAL_TS_MIN, CAL_TS_END].  The server's version may check for interrupts
 * (it is called at least once per day with open hours that a search walks).
 *
 * Outside local years CAL_REGULAR_FROM..CAL_REGULAR_TO it must repeat every
 * 400 Gregorian years (CAL_CYCLE_DAYS): PostgreSQL's zones do, since before
 * a zone's first transition its offset is fixed and after its last one its
 * rules repeat every 400 years.  Durations over thousands of years count
 * whole cycles there instead of walking every day.
 */
typedef int64_t (*cal_local_to_instant) (void *arg, int32_t day, int64_t usec);

#define CAL_CYCLE_DAYS		146097	/* 400 Gregorian years */
#define CAL_REGULAR_FROM	1000	/* years: no zone changes before ... */
#define CAL_REGULAR_TO		3000	/* ... or after a cycle's repeat starts */

/* An open interval of instants, with the open time before it in the span */
typedef struct cal_interval
{
	int64_t		start;
	int64_t		end;
	int64_t		before;
} cal_interval;

/*
 * The open intervals of local days [first_day, end_day) as instants,
 * unioned and sorted, with a running total: it knows the open set exactly
 * on instants [lo, hi].  Grown geometrically as queries need, up to
 * max_days; a query outside is served by rebuilding around it.
 */
typedef struct cal_span
{
	const cal_def *def;
	cal_local_to_instant to_instant;
	void	   *to_instant_arg;
	cal_alloc	mem;
	int32_t		first_day;
	int32_t		end_day;		/* first_day == end_day: nothing built */
	int64_t		lo;
	int64_t		hi;
	cal_interval *iv;
	uint32_t	n;
	uint32_t	cap;
	uint32_t   *day_first;		/* per instant-day k of the window (from
								 * first_day * one day): the first interval
								 * ending after its start, so a lookup scans
								 * a day's few intervals, not the span */
	uint32_t	day_cap;
	int32_t		max_days;
	uint64_t	builds;			/* days built so far (for tests) */
	int64_t		irregular_from; /* instants outside which the open set */
	int64_t		irregular_to;	/* repeats every 400 years (per def) */
	int64_t		cycle_open[2];	/* open time of one 400-year cycle before
								 * and after the irregular years; -1 until
								 * measured */
} cal_span;

/* The span refers to def, which must outlive it. */
extern void cal_span_init(cal_span *span, const cal_def *def,
						  cal_local_to_instant to_instant, void *arg,
						  const cal_alloc *mem);
extern void cal_span_free(cal_span *span);

/* Open time in [a, b), negative when b < a. */
extern cal_status cal_business_duration(cal_span *span, int64_t a, int64_t b,
										int64_t *result);

/*
 * d > 0: the earliest u with duration(t, u) = d; d < 0: the latest u with
 * duration(u, t) = -d; d = 0: t.
 */
extern cal_status cal_business_add(cal_span *span, int64_t t, int64_t d,
								   int64_t *result);
extern cal_status cal_is_open(cal_span *span, int64_t t, bool *result);

/* ---- business days (calendar_days.c): local days with hours ---- */

/* Days in [from, to) with hours, negative when to < from */
extern cal_status cal_business_days(const cal_def *def, int32_t from,
									int32_t to, int32_t *result);
/* The n-th day after d (before, n < 0) with hours; d for n = 0 */
extern cal_status cal_add_business_days(const cal_def *def, int32_t d,
										int32_t n, int32_t *result);

#endif
