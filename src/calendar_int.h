/*
 * calendar_int.h
 *		What the text parser and the binary decoder share: a calendar as
 *		read (unsorted, overlapping, in any order) before calendar_build.c
 *		normalises it into a cal_def.  Private to the calendar_*.c files.
 */
#ifndef KPI_CALENDAR_INT_H
#define KPI_CALENDAR_INT_H

#include "calendar.h"

/* A weekly range as read: weekday and [start, end) */
typedef struct cal_raw_week
{
	int			weekday;
	int64_t		start;
	int64_t		end;
} cal_raw_week;

typedef struct cal_raw
{
	const cal_alloc *mem;
	uint32_t	zone_len;
	char		zone[CAL_ZONE_MAX + 1];
	cal_raw_week *week;
	uint32_t	nweek,
				capweek;
	cal_dates  *closed;
	uint32_t	nclosed,
				capclosed;
	cal_special *special;		/* off/n index sranges */
	uint32_t	nspecial,
				capspecial;
	cal_range  *sranges;
	uint32_t	nsranges,
				capsranges;
} cal_raw;

extern void cal_raw_init(cal_raw *raw, const cal_alloc *mem);
extern void cal_raw_free(cal_raw *raw);

/* Appending; false (with err filled) when out of memory or over limits */
extern bool cal_raw_week_add(cal_raw *raw, int weekday, int64_t start,
							 int64_t end, cal_error *err);
extern bool cal_raw_closed_add(cal_raw *raw, int32_t first, int32_t last,
							   cal_error *err);
extern bool cal_raw_srange_add(cal_raw *raw, int64_t start, int64_t end,
							   cal_error *err);
/* a special entry over the sranges added since *mark */
extern bool cal_raw_special_add(cal_raw *raw, int32_t first, int32_t last,
								uint32_t mark, cal_error *err);

/*
 * Checks the zone name's characters (not whether it exists): 1 to
 * CAL_ZONE_MAX printable ASCII characters other than ';' and space.
 */
extern bool cal_zone_valid(const char *zone, size_t len);

/* Normalises raw (which it leaves to the caller to free) into a cal_def. */
extern cal_def *cal_build(cal_raw *raw, cal_error *err);

/* Days in [a, b) whose weekday is in mask (bit 0 = Monday) */
static inline int64_t
cal_week_days(uint8_t mask, int64_t a, int64_t b)
{
	int64_t		n = b - a;
	int64_t		count = (n / 7) * __builtin_popcount(mask);
	int			w = cal_weekday(a);

	for (int64_t i = 0; i < n % 7; i++)
		if (mask & (1 << ((w + i) % 7)))
			count++;
	return count;
}

extern void cal_set_error(cal_error *err, cal_status code, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

#endif
