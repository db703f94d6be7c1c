/*
 * What the kpi_calendar fuzz harnesses share: a malloc allocator and the
 * checks every accepted calendar must pass.
 */
#ifndef KPI_FUZZ_CALENDAR_COMMON_H
#define KPI_FUZZ_CALENDAR_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

static void *
fuzz_alloc(void *arg, size_t size)
{
	(void) arg;
	return malloc(size ? size : 1);
}

static void
fuzz_free(void *arg, void *ptr)
{
	(void) arg;
	free(ptr);
}

static const cal_alloc fuzz_mem = {fuzz_alloc, fuzz_free, NULL};

/* a fixed-offset zone: offset in seconds east */
static int64_t
fuzz_to_instant(void *arg, int32_t day, int64_t usec)
{
	int64_t		off = *(const int64_t *) arg;

	return (int64_t) day * CAL_USECS_PER_DAY + usec - off * CAL_USECS_PER_SEC;
}

/*
 * An accepted calendar: its canonical text is a fixed point that parses
 * back equal, its binary form decodes back equal, and business time on it
 * keeps duration(t, add(t, d)) = d, or has less than |d| of open time left
 * before the end of the timestamp range (a sparse calendar, e.g. two
 * seconds a week, runs out of it within 30 days of business time).
 */
static void
check_calendar(const cal_def *def, const uint8_t *data, size_t size)
{
	size_t		len = cal_format(def, NULL, 0);
	char	   *text = malloc(len + 1),
			   *again_text;
	cal_error	err;
	cal_def    *again;
	size_t		blen = cal_encoded_size(def);
	uint8_t    *bin = malloc(blen);
	cal_span	span;
	int64_t		off = 0;

	if (cal_format(def, text, len + 1) != len || strlen(text) != len)
		abort();
	again = cal_parse(text, len, &fuzz_mem, &err);
	if (again == NULL || !cal_equal(def, again))
		abort();
	again_text = malloc(len + 1);
	if (cal_format(again, again_text, len + 1) != len || strcmp(text, again_text) != 0)
		abort();
	cal_free(again, &fuzz_mem);
	free(again_text);

	cal_encode(def, bin);
	again = cal_decode(bin, blen, &fuzz_mem, &err);
	if (again == NULL || !cal_equal(def, again))
		abort();
	cal_free(again, &fuzz_mem);

	/* a little business time, instants and amounts taken from the input */
	for (size_t i = 0; i < size && i < 8; i++)
		off = off * 31 + data[i];
	off = off % (14 * 3600);
	cal_span_init(&span, def, fuzz_to_instant, &off, &fuzz_mem);
	for (size_t i = 0; i + 8 <= size && i < 64; i += 8)
	{
		uint64_t	r = 0;
		int64_t		t,
					d,
					u,
					back;

		memcpy(&r, data + i, 8);
		/* 2000 to 2030, amounts up to 30 days either way */
		t = (int64_t) (r % (UINT64_C(30) * 365 * 86400)) * CAL_USECS_PER_SEC;
		d = (int64_t) ((r >> 20) % (UINT64_C(60) * 86400)) * CAL_USECS_PER_SEC -
			30 * CAL_USECS_PER_DAY;
		switch (cal_business_add(&span, t, d, &u))
		{
			case CAL_OK:
				if (d >= 0 ? cal_business_duration(&span, t, u, &back) != CAL_OK || back != d :
					cal_business_duration(&span, u, t, &back) != CAL_OK || back != -d)
					abort();
				break;
			case CAL_NO_OPEN_TIME:
				if (d == 0)
					abort();
				break;
			case CAL_OUT_OF_RANGE:
				/* only if the open time left before the type's end is short */
				if ((d >= 0 ? cal_business_duration(&span, t, CAL_TS_END - 1, &back) :
					 cal_business_duration(&span, CAL_TS_MIN, t, &back)) != CAL_OK ||
					back >= (d >= 0 ? d : -d))
					abort();
				break;
			default:
				abort();
		}
	}
	cal_span_free(&span);
	free(bin);
	free(text);
}

#endif
