/* Unit tests of the plain-C churn state core (src/churn.c). */
#include <stdint.h>
#include <string.h>

#include "churn.h"
#include "civil_days.h"
#include "unit.h"

#define USECS_PER_DAY INT64_C(86400000000)

static ChurnState
date_period(int64_t lower, int64_t upper)
{
	ChurnState	s;

	memset(&s, 0, sizeof(s));
	s.kind = CHURN_KIND_DATE;
	s.flags = CHURN_LOWER_INC;
	s.lower = lower;
	s.upper = upper;
	return s;
}

/* parse(text) succeeds, formats to canonical (if given), and parses back equal */
static int
round_trips(const char *text, const char *canonical)
{
	ChurnState	s,
				again;
	ChurnSpan	a,
				l,
				a2,
				l2;
	char		buf[CHURN_TEXT_MAX];

	if (churn_parse(text, &s, &a, &l) != NULL)
		return 0;
	churn_format(&s, buf);
	if (canonical && !(s.flags & CHURN_REVENUE) && strcmp(buf, canonical) != 0)
	{
		printf("# formatted as \"%s\"\n", buf);
		return 0;
	}
	if (s.flags & CHURN_REVENUE)
		return 1;				/* the sums are converted by the caller */
	return churn_parse(buf, &again, &a2, &l2) == NULL && memcmp(&s, &again, sizeof(s)) == 0;
}

static void
test_calendar(void)
{
	int			ok = 1;
	int64_t		y;
	int			m,
				d;

	CHECK("calendar: 2000-01-01 is day 0", civil_days_from_date(2000, 1, 1) == 0);
	CHECK("calendar: 2024-01-01 is day 8766", civil_days_from_date(2024, 1, 1) == 8766);
	CHECK("calendar: 4714-11-24 BC is date's minimum", civil_days_from_date(-4713, 11, 24) == CHURN_DATE_MIN);
	CHECK("calendar: 5874898-01-01 is one past date's maximum",
		  civil_days_from_date(5874898, 1, 1) == CHURN_DATE_END);
	CHECK("calendar: 294277-01-01 is timestamp's end",
		  civil_days_from_date(294277, 1, 1) * USECS_PER_DAY == CHURN_TS_END);
	civil_date_from_days(civil_days_from_date(2024, 2, 29), &y, &m, &d);
	CHECK("calendar: leap day", y == 2024 && m == 2 && d == 29);
	civil_date_from_days(civil_days_from_date(1900, 3, 1) - 1, &y, &m, &d);
	CHECK("calendar: 1900 is not a leap year", y == 1900 && m == 2 && d == 28);
	/* every day over the whole date range maps back to itself, in steps */
	for (int64_t day = CHURN_DATE_MIN; day <= CHURN_DATE_END && ok; day += 997)
	{
		civil_date_from_days(day, &y, &m, &d);
		if (civil_days_from_date(y, m, d) != day)
			ok = 0;
	}
	CHECK("calendar: days round-trip over the date range", ok);
}

static void
test_classify(void)
{
	ChurnState	p = date_period(100, 131);	/* [100, 131) */
	ChurnState	inc = p;

	CHECK("classify: joined before, stays", churn_classify(&p, 50, INT64_MAX) == CHURN_STAYED);
	CHECK("classify: joined at the start", churn_classify(&p, 100, INT64_MAX) == CHURN_STAYED);
	CHECK("classify: joined during", churn_classify(&p, 101, INT64_MAX) == CHURN_OUTSIDE);
	CHECK("classify: left before", churn_classify(&p, 10, 99) == CHURN_OUTSIDE);
	CHECK("classify: left at the start", churn_classify(&p, 10, 100) == CHURN_OUTSIDE);
	CHECK("classify: left during", churn_classify(&p, 10, 101) == CHURN_LOST);
	CHECK("classify: left on the last day", churn_classify(&p, 10, 130) == CHURN_LOST);
	CHECK("classify: left at the exclusive upper bound", churn_classify(&p, 10, 131) == CHURN_STAYED);
	inc.kind = CHURN_KIND_TIMESTAMPTZ;
	inc.flags = CHURN_BOUND_FLAGS;
	CHECK("classify: left at the inclusive upper bound", churn_classify(&inc, 10, 131) == CHURN_LOST);
	CHECK("classify: left after", churn_classify(&p, 10, 500) == CHURN_STAYED);
	CHECK("classify: joined and left inside", churn_classify(&p, 105, 110) == CHURN_OUTSIDE);
	CHECK("classify: infinite start", churn_classify(&p, INT64_MIN, 120) == CHURN_LOST);

	p.active = INT64_MAX;
	CHECK("count: overflow refused", !churn_count(&p, 50, INT64_MAX) && p.active == INT64_MAX);
	p.active = 0;
	CHECK("count: counted", churn_count(&p, 50, 120) && p.active == 1 && p.lost == 1);
}

static void
test_merge(void)
{
	ChurnState	a = date_period(100, 131),
				b = date_period(100, 131),
				c = date_period(100, 132);

	a.active = 5;
	a.lost = 1;
	b.active = 7;
	b.lost = 2;
	CHECK("merge: adds", churn_merge(&a, &b) == NULL && a.active == 12 && a.lost == 3);
	CHECK("merge: different periods", churn_merge(&a, &c) == churn_merge_period && a.active == 12);
	c = b;
	c.flags |= CHURN_REVENUE;
	CHECK("merge: revenue and logo do not mix", churn_merge(&a, &c) != NULL && a.active == 12);
	c = b;
	c.kind = CHURN_KIND_TIMESTAMPTZ;
	CHECK("merge: different kinds", churn_merge(&a, &c) != NULL && a.active == 12);
	b.active = INT64_MAX;
	CHECK("merge: overflow", churn_merge(&a, &b) == churn_merge_overflow && a.active == 12);
}

static void
test_text(void)
{
	static const char *const bad[] = {
		"", "v", "v1", "v2 date [2024-01-01,2024-02-01) active=1 lost=0", "v1date [2024-01-01,2024-02-01) active=1 lost=0",
		"v1 dates [2024-01-01,2024-02-01) active=1 lost=0", "v1 date [2024-01-01,2024-02-01) active=1 lost=0 x",
		"v1 date [2024-01-01,2024-02-01) active=2 lost=3", "v1 date [2024-02-30,2024-03-01) active=1 lost=0",
		"v1 date [2024-01-01,2024-02-01] active=1 lost=0", "v1 date [0000-06-01,2024-02-01) active=1 lost=0",
		"v1 date [99999999-01-01,2024-02-01) active=1 lost=0",
		"v1 timestamptz [2024-01-01 00:00:60+00,2024-02-01 00:00:00+00) active=1 lost=0",
		"v1 timestamptz [2024-01-01 00:00:00+00,2024-01-01 00:00:00+00) active=1 lost=0",
		"v1 timestamptz [294277-01-01 00:00:00+00,294278-01-01 00:00:00+00) active=1 lost=0",
		"v1 timestamptz [4714-11-23 23:59:59.999999+00 BC,2024-01-01 00:00:00+00) active=1 lost=0",
		"v1 date [4714-11-23 BC,2024-01-01) active=1 lost=0",
		"v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=1",
		"v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=1 lost_mrr=+1",
		"v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=1 lost_mrr=1x",
		"v1 date [2024-01-01,2024-02-01) active=1 lost=9223372036854775808"
	};
	ChurnState	s;
	ChurnSpan	a,
				l;
	int			all_rejected = 1;

	CHECK("text: date", round_trips("v1 date [2024-01-01,2024-02-01) active=120 lost=7",
									"v1 date [2024-01-01,2024-02-01) active=120 lost=7"));
	CHECK("text: timestamptz bounds",
		  round_trips("v1 timestamptz (2024-01-01 12:34:56.000001+00,2024-02-01 00:00:00.5+00] active=3 lost=3",
					  "v1 timestamptz (2024-01-01 12:34:56.000001+00,2024-02-01 00:00:00.5+00] active=3 lost=3"));
	CHECK("text: extremes of date",
		  round_trips("v1 date [4714-11-24 BC,5874898-01-01) active=9223372036854775807 lost=9223372036854775807",
					  "v1 date [4714-11-24 BC,5874898-01-01) active=9223372036854775807 lost=9223372036854775807"));
	CHECK("text: extremes of timestamptz",
		  round_trips("v1 timestamptz [4714-11-24 00:00:00+00 BC,294276-12-31 23:59:59.999999+00] active=1 lost=0",
					  "v1 timestamptz [4714-11-24 00:00:00+00 BC,294276-12-31 23:59:59.999999+00] active=1 lost=0"));
	CHECK("text: year 1 BC and 1 AD",
		  round_trips("v1 date [0001-12-31 BC,0001-01-01) active=1 lost=0",
					  "v1 date [0001-12-31 BC,0001-01-01) active=1 lost=0"));
	CHECK("text: white space", round_trips("\t v1  date\t[2024-01-01,2024-02-01)   active=1  lost=0 \t",
										   "v1 date [2024-01-01,2024-02-01) active=1 lost=0"));
	CHECK("text: revenue spans",
		  churn_parse("v1 date [2024-01-01,2024-02-01) active=2 lost=1 active_mrr=10.50 lost_mrr=0.5 ", &s, &a, &l) == NULL &&
		  (s.flags & CHURN_REVENUE) && a.offset == 59 && a.length == 5 && l.offset == 74 && l.length == 3);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (churn_parse(bad[i], &s, &a, &l) == NULL)
		{
			printf("# accepted malformed text: \"%s\"\n", bad[i]);
			all_rejected = 0;
		}
	CHECK("text: every malformed input rejected", all_rejected);
}

static void
test_binary(void)
{
	ChurnState	s = date_period(8766, 8797),
				back;
	ChurnSpan	a,
				l;
	uint8_t		buf[CHURN_BINARY_FIXED + 32];
	/* 10.5 and 0.5 in numeric's binary form */
	static const uint8_t ten_and_a_half[] = {0, 2, 0, 0, 0, 0, 0, 1, 0, 10, 0x13, 0x88};
	static const uint8_t a_half[] = {0, 1, 0xff, 0xff, 0, 0, 0, 1, 0x13, 0x88};
	static const uint8_t negative[] = {0, 1, 0, 0, 0x40, 0, 0, 0, 0, 5};
	size_t		n;
	int			truncations_rejected = 1;

	s.active = 4;
	s.lost = 1;
	churn_encode(&s, buf);
	CHECK("binary: round trip", churn_decode(buf, CHURN_BINARY_FIXED, &back, &a, &l) == NULL &&
		  memcmp(&s, &back, sizeof(s)) == 0);
	for (size_t len = 0; len < CHURN_BINARY_FIXED; len++)
		if (churn_decode(buf, len, &back, &a, &l) == NULL)
			truncations_rejected = 0;
	CHECK("binary: every truncation rejected", truncations_rejected);
	buf[CHURN_BINARY_FIXED] = 0;
	CHECK("binary: trailing byte rejected", churn_decode(buf, CHURN_BINARY_FIXED + 1, &back, &a, &l) != NULL);
	buf[0] = 2;
	CHECK("binary: version 2 rejected", churn_decode(buf, CHURN_BINARY_FIXED, &back, &a, &l) != NULL);

	s.flags |= CHURN_REVENUE;
	churn_encode(&s, buf);
	n = CHURN_BINARY_FIXED;
	buf[n++] = 0;
	buf[n++] = 0;
	buf[n++] = 0;
	buf[n++] = sizeof(ten_and_a_half);
	memcpy(buf + n, ten_and_a_half, sizeof(ten_and_a_half));
	n += sizeof(ten_and_a_half);
	buf[n++] = 0;
	buf[n++] = 0;
	buf[n++] = 0;
	buf[n++] = sizeof(a_half);
	memcpy(buf + n, a_half, sizeof(a_half));
	n += sizeof(a_half);
	CHECK("binary: revenue spans", churn_decode(buf, n, &back, &a, &l) == NULL &&
		  a.offset == CHURN_BINARY_FIXED + 4 && a.length == sizeof(ten_and_a_half) &&
		  l.offset == a.offset + a.length + 4 && l.length == sizeof(a_half));
	CHECK("binary: revenue truncated", churn_decode(buf, n - 1, &back, &a, &l) != NULL);
	memcpy(buf + n - sizeof(a_half), negative, sizeof(negative));
	CHECK("binary: negative sum rejected", churn_decode(buf, n, &back, &a, &l) != NULL);
}

static void
test_checks(void)
{
	ChurnState	s = date_period(8766, 8797);

	CHECK("check: valid", churn_check(&s) == NULL);
	s.lost = 1;
	CHECK("check: lost above active", churn_check(&s) != NULL);
	s = date_period(8766, 8766);
	CHECK("check: empty date period", churn_check(&s) != NULL);
	s = date_period(8766, 8797);
	s.flags = CHURN_BOUND_FLAGS;
	CHECK("check: date period not canonical", churn_check(&s) != NULL);
	s.kind = CHURN_KIND_TIMESTAMPTZ;
	s.upper = s.lower;
	CHECK("check: one-instant timestamptz period", churn_check(&s) == NULL);
	s.flags = CHURN_LOWER_INC;
	CHECK("check: empty timestamptz period", churn_check(&s) != NULL);
	s = date_period(8766, 8797);
	s.reserved[3] = 1;
	CHECK("check: reserved bytes", churn_check(&s) != NULL);
	s = date_period(8766, 8797);
	s.flags |= 0x80;
	CHECK("check: unknown flag", churn_check(&s) != NULL);
	s = date_period(INT32_MIN, 8797);
	CHECK("check: infinite date bound", churn_check(&s) != NULL);
}

int
main(void)
{
	test_calendar();
	test_classify();
	test_merge();
	test_text();
	test_binary();
	test_checks();
	UNIT_EXIT();
}
