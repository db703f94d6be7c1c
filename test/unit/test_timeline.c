/*
 * test_timeline.c
 *		Unit tests of the plain-C kpi_timeline core (src/timeline*.c).
 *
 * Every reading is checked against a brute-force reference written here:
 * the rows sorted naively by (at, status bytes), collapsed when equal, and
 * read as the lead() SQL reads them (each row's time runs to the next row).
 * The calendar is checked against a days-from-civil written independently
 * (counting leap years), not against the code under test.  Deterministic: a
 * fixed-seed xorshift generator.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"
#include "unit.h"

#define USECS_PER_DAY INT64_C(86400000000)
#define USECS_PER_HOUR INT64_C(3600000000)

/* ---------- allocator: counts blocks, can be told to fail ---------- */

static long live_blocks;
static long fail_after = -1;	/* allocations left before one fails; -1 never */

static void *
test_alloc(void *ctx, size_t size)
{
	void	   *p;

	(void) ctx;
	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	p = malloc(size ? size : 1);
	if (p == NULL)
		abort();
	/* garbage, so nothing relies on zeroed memory */
	memset(p, 0xa5, size);
	live_blocks++;
	return p;
}

static void
test_free(void *ctx, void *p)
{
	(void) ctx;
	if (p != NULL)
		live_blocks--;
	free(p);
}

static const tl_mem mem = {test_alloc, test_free, NULL};

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t
rnd(uint64_t n)
{
	return rng() % n;
}

/* ---------- the reference ---------- */

/* Statuses the random histories use: quotes, escapes, raw high bytes, "". */
static const char *const pool[] = {
	"new", "open", "pending", "on-hold", "solved", "closed",
	"Accepted / Wait - User", "", "a\"b\\c", "line\nbreak\ttab\r",
	"\x01\x1f\x7f", "\xc3\xa9t\xc3\xa9", "\xff\xfe", "open ", "ope",
	"not in any value"
};
#define NPOOL 15				/* the last one is never used in a value */
#define NPOOL_ALL 16

typedef struct row
{
	int64_t		at;
	const char *status;
} row;

static int
row_cmp(const void *a, const void *b)
{
	const row  *x = a,
			   *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	/* strcmp compares as unsigned char, a proper prefix first */
	return strcmp(x->status, y->status);
}

/* Sorts rows and drops repeated (at, status); returns the new count. */
static size_t
ref_normalize(row *r, size_t n)
{
	size_t		m = 0;

	qsort(r, n, sizeof(row), row_cmp);
	for (size_t i = 0; i < n; i++)
		if (m == 0 || row_cmp(&r[m - 1], &r[i]) != 0)
			r[m++] = r[i];
	return m;
}

static bool
in_set(const char *s, const char *const *set, int nset)
{
	for (int i = 0; i < nset; i++)
		if (strcmp(s, set[i]) == 0)
			return true;
	return false;
}

typedef int64_t (*dur_fn) (void *arg, int64_t from, int64_t to);

/* The lead() SQL, row by row. */
static int64_t
ref_time_in(const row *r, size_t n, const char *const *set, int nset,
			bool has_until, int64_t until, dur_fn fn)
{
	int64_t		total = 0;

	for (size_t i = 0; i < n; i++)
	{
		int64_t		next;

		if (!in_set(r[i].status, set, nset))
			continue;
		if (i + 1 < n)
			next = r[i + 1].at;
		else
			next = has_until ? until : r[i].at;
		if (has_until)
		{
			if (r[i].at >= until)
				continue;
			if (next > until)
				next = until;
		}
		total += fn ? fn(NULL, r[i].at, next) : next - r[i].at;
	}
	return total;
}

static bool
ref_is_entry(const row *r, size_t i, const char *const *set, int nset)
{
	return in_set(r[i].status, set, nset) &&
		(i == 0 || !in_set(r[i - 1].status, set, nset));
}

static int
ref_entries(const row *r, size_t n, const char *const *set, int nset)
{
	int			c = 0;

	for (size_t i = 0; i < n; i++)
		c += ref_is_entry(r, i, set, nset);
	return c;
}

static bool
ref_first_at(const row *r, size_t n, const char *const *set, int nset, int64_t *at)
{
	for (size_t i = 0; i < n; i++)
		if (ref_is_entry(r, i, set, nset))
		{
			*at = r[i].at;
			return true;
		}
	return false;
}

static bool
ref_last_at(const row *r, size_t n, const char *const *set, int nset, int64_t *at)
{
	bool		found = false;

	for (size_t i = 0; i < n; i++)
		if (ref_is_entry(r, i, set, nset))
		{
			*at = r[i].at;
			found = true;
		}
	return found;
}

static const char *
ref_status_at(const row *r, size_t n, int64_t t)
{
	const char *s = NULL;

	for (size_t i = 0; i < n && r[i].at <= t; i++)
		s = r[i].status;
	return s;
}

/*
 * Business time for the duration hook: the microseconds in [from, to) that
 * fall in the first half of an hour.  Additive, so the core's one call per
 * stretch must equal the reference's one call per row.
 */
static int64_t
half_hours_before(int64_t t)
{
	int64_t		h = t / USECS_PER_HOUR;
	int64_t		r = t % USECS_PER_HOUR;

	if (r < 0)
	{
		r += USECS_PER_HOUR;
		h--;
	}
	return h * (USECS_PER_HOUR / 2) + (r < USECS_PER_HOUR / 2 ? r : USECS_PER_HOUR / 2);
}

static long hook_calls;

static int64_t
first_halves(void *arg, int64_t from, int64_t to)
{
	if (arg != NULL)
		hook_calls++;
	return half_hours_before(to) - half_hours_before(from);
}

/* ---------- helpers ---------- */

static tl_value *
build(const row *r, size_t n)
{
	tl_status	st;
	tl_work    *w = tl_work_new(&mem, &st);
	tl_value   *v;
	size_t		size;

	for (size_t i = 0; i < n; i++)
	{
		tl_work    *nw = tl_work_add(w, r[i].at, r[i].status, strlen(r[i].status), &mem, &st);

		if (nw == NULL)
			abort();
		if (nw != w)
			test_free(NULL, w);
		w = nw;
	}
	if (tl_check(&w->head, tl_work_size(w)) != NULL)
	{
		printf("# working value fails its check: %s\n", tl_check(&w->head, tl_work_size(w)));
		abort();
	}
	v = tl_pack(&w->head, &mem, &size, &st);
	if (v == NULL || size != tl_packed_size(v))
		abort();
	test_free(NULL, w);
	return v;
}

static bool
same_value(const tl_value *a, const tl_value *b)
{
	size_t		sa = tl_packed_size(a);

	/* all but the caller's length word */
	return sa == tl_packed_size(b) && memcmp((const char *) a + 4, (const char *) b + 4, sa - 4) == 0;
}

static void
make_set(tl_set *set, const tl_value *v, const char *const *names, int n)
{
	tl_status	st;

	if (!tl_set_init(set, v, &mem, &st))
		abort();
	for (int i = 0; i < n; i++)
		tl_set_add(set, v, names[i], strlen(names[i]));
}

/*
 * A random history: a reopen cycle through some statuses, instants on a
 * coarse grid (so ties are common), repeated rows, then shuffled.
 */
static size_t
random_rows(row *r, size_t max)
{
	size_t		n = 1 + rnd(max);
	int64_t		base = (int64_t) rnd(2000) * USECS_PER_DAY - INT64_C(1000) * USECS_PER_DAY;
	int64_t		step = rnd(3) == 0 ? 1 : (int64_t) (1 + rnd(7)) * 60000000;
	int64_t		t = base;
	int			cycle[6],
				clen = 2 + (int) rnd(5);
	int			npool = rnd(4) == 0 ? 3 : NPOOL;

	for (int i = 0; i < clen; i++)
		cycle[i] = (int) rnd((uint64_t) npool);
	for (size_t i = 0; i < n; i++)
	{
		if (i > 0 && rnd(5) == 0)
			r[i] = r[rnd(i)];	/* a repeated row */
		else
		{
			r[i].at = t;
			r[i].status = pool[rnd(3) == 0 ? (int) rnd((uint64_t) npool) : cycle[i % clen]];
			if (rnd(3) != 0)
				t += step * (int64_t) (1 + rnd(4));
		}
	}
	for (size_t i = n - 1; i > 0; i--)
	{
		size_t		j = rnd(i + 1);
		row			x = r[i];

		r[i] = r[j];
		r[j] = x;
	}
	return n;
}

/* ---------- tests ---------- */

/* days since 2000-01-01, by counting leap years (not the code under test) */
static int64_t
ref_days_from_civil(int64_t y, int m, int d)
{
	static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	int64_t		yy = y - 1;		/* whole years before y, from year 1 */
	int64_t		leaps,
				days;
	bool		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	/* floor divisions, as yy may be negative */
#define FLOORDIV(a, b) ((a) >= 0 ? (a) / (b) : -((-(a) + (b) - 1) / (b)))
	leaps = FLOORDIV(yy, 4) - FLOORDIV(yy, 100) + FLOORDIV(yy, 400);
#undef FLOORDIV
	days = yy * 365 + leaps + before[m - 1] + (m > 2 && leap) + d - 1;
	/* 2000-01-01 is day 730119 counted this way from 0001-01-01 */
	return days - 730119;
}

static void
ref_civil(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t		year = 2000 + days / 366;

	while (ref_days_from_civil(year, 1, 1) > days)
		year--;
	while (ref_days_from_civil(year + 1, 1, 1) <= days)
		year++;
	*m = 12;
	while (ref_days_from_civil(year, *m, 1) > days)
		(*m)--;
	*d = (int) (days - ref_days_from_civil(year, *m, 1)) + 1;
	*y = year;
}

/* the text PostgreSQL prints for a timestamptz in ISO style and UTC */
static void
ref_format_ts(int64_t at, char *buf)
{
	int64_t		days = at / USECS_PER_DAY,
				usec,
				y;
	int			m,
				d,
				n;

	if (at % USECS_PER_DAY < 0)
		days--;
	usec = at - days * USECS_PER_DAY;
	ref_civil(days, &y, &m, &d);
	n = sprintf(buf, "%04" PRId64 "-%02d-%02d %02d:%02d:%02d", y > 0 ? y : 1 - y, m, d,
				(int) (usec / USECS_PER_HOUR), (int) (usec / 60000000 % 60),
				(int) (usec / 1000000 % 60));
	if (usec % 1000000 != 0)
	{
		n += sprintf(buf + n, ".%06d", (int) (usec % 1000000));
		while (buf[n - 1] == '0')
			buf[--n] = '\0';
	}
	sprintf(buf + n, "+00%s", y > 0 ? "" : " BC");
}

static void
test_calendar(void)
{
	char		buf[TL_TS_TEXT_MAX],
				want[64];
	bool		ok = true;
	static const struct
	{
		int64_t		y;
		int			m,
					d;
		int64_t		days;
	}			known[] = {
		{2000, 1, 1, 0}, {1970, 1, 1, -10957}, {2024, 1, 1, 8766},
		{2024, 2, 29, 8825}, {2024, 3, 1, 8826}, {1900, 3, 1, -36465},
		{1900, 2, 28, -36466}, {2100, 3, 1, 36584}, {2100, 2, 28, 36583},
		{1, 1, 1, -730119}, {0, 12, 31, -730120}, {-4713, 11, 24, -2451545}
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok &= ref_days_from_civil(known[i].y, known[i].m, known[i].d) == known[i].days;
	CHECK("calendar: the reference agrees with known day numbers", ok);

	tl_format_ts(0, buf);
	CHECK("text: 2000-01-01", strcmp(buf, "2000-01-01 00:00:00+00") == 0);
	tl_format_ts(-1, buf);
	CHECK("text: one microsecond before 2000", strcmp(buf, "1999-12-31 23:59:59.999999+00") == 0);
	tl_format_ts(TL_TS_MIN, buf);
	CHECK("text: the first instant of timestamptz", strcmp(buf, "4714-11-24 00:00:00+00 BC") == 0);
	tl_format_ts(TL_TS_END - 1, buf);
	CHECK("text: the last instant of timestamptz", strcmp(buf, "294276-12-31 23:59:59.999999+00") == 0);
	tl_format_ts(ref_days_from_civil(1, 1, 1) * USECS_PER_DAY - 1000000, buf);
	CHECK("text: the last second of 1 BC", strcmp(buf, "0001-12-31 23:59:59+00 BC") == 0);
	tl_format_ts(ref_days_from_civil(2024, 2, 29) * USECS_PER_DAY + 12 * USECS_PER_HOUR + 500000, buf);
	CHECK("text: a leap day, half a second", strcmp(buf, "2024-02-29 12:00:00.5+00") == 0);
	tl_format_ts(ref_days_from_civil(1900, 3, 1) * USECS_PER_DAY - 1, buf);
	CHECK("text: 1900 is no leap year", strcmp(buf, "1900-02-28 23:59:59.999999+00") == 0);
	tl_format_ts(ref_days_from_civil(2100, 3, 1) * USECS_PER_DAY - 1, buf);
	CHECK("text: 2100 is no leap year", strcmp(buf, "2100-02-28 23:59:59.999999+00") == 0);
	tl_format_ts(ref_days_from_civil(-4, 3, 1) * USECS_PER_DAY - 1, buf);
	CHECK("text: 5 BC is a leap year", strcmp(buf, "0005-02-29 23:59:59.999999+00 BC") == 0);

	/* random instants over the whole range, and every day boundary near 0 */
	ok = true;
	for (int i = 0; i < 20000 && ok; i++)
	{
		int64_t		at;

		if (i < 4000)
			at = (int64_t) (i - 2000) * USECS_PER_DAY + (i % 3 == 0 ? 0 : (i % 3 == 1 ? -1 : 1));
		else
			at = (int64_t) ((uint64_t) TL_TS_MIN + rng() % ((uint64_t) TL_TS_END - (uint64_t) TL_TS_MIN));
		if (i % 5 == 0 && i >= 4000)
			at -= at % 1000000; /* whole seconds too */
		if (at < TL_TS_MIN || at >= TL_TS_END)
			continue;
		tl_format_ts(at, buf);
		ref_format_ts(at, want);
		if (strcmp(buf, want) != 0)
		{
			printf("# %" PRId64 ": \"%s\", want \"%s\"\n", at, buf, want);
			ok = false;
		}
	}
	CHECK("text: instants over timestamptz's whole range print as PostgreSQL prints them", ok);
}

static void
test_known(void)
{
	row			r[] = {
		{8766 * USECS_PER_DAY + 10 * USECS_PER_HOUR, "open"},
		{8766 * USECS_PER_DAY + 10 * USECS_PER_HOUR, "new"},
		{8766 * USECS_PER_DAY + 12 * USECS_PER_HOUR, "pending"},
		{8766 * USECS_PER_DAY + 15 * USECS_PER_HOUR, "open"},
		{8766 * USECS_PER_DAY + 15 * USECS_PER_HOUR, "open"},
		{8768 * USECS_PER_DAY + 9 * USECS_PER_HOUR + 500000, "solved"},
		{8766 * USECS_PER_DAY + 13 * USECS_PER_HOUR, "pending"},
	};
	tl_value   *v = build(r, 7);
	size_t		tsize;
	tl_status	st;
	char	   *text;
	tl_set		set;
	int64_t		t,
				at;
	const char *open_set[] = {"open"};
	const char *wait_set[] = {"new", "open", "nonexistent", "open"};
	tl_iter		it;
	uint32_t	code;
	int64_t		entered,
				left;
	bool		has_left;
	int			nint = 0;

	tsize = tl_text_size(v, &st);
	text = malloc(tsize + 1);
	tl_text_write(v, text);
	CHECK("known: text form",
		  strcmp(text, "v1 [2024-01-01 10:00:00+00 \"new\", 2024-01-01 10:00:00+00 \"open\", "
				 "2024-01-01 12:00:00+00 \"pending\", 2024-01-01 13:00:00+00 \"pending\", "
				 "2024-01-01 15:00:00+00 \"open\", 2024-01-03 09:00:00.5+00 \"solved\"]") == 0);
	CHECK("known: text size", strlen(text) == tsize);
	free(text);
	CHECK("known: dictionary sorted, duplicates collapsed",
		  v->nstatuses == 4 && v->nchanges == 6 && tl_find(v, "new", 3) == 0 &&
		  tl_find(v, "solved", 6) == 3 && tl_find(v, "x", 1) == -1);

	make_set(&set, v, open_set, 1);
	tl_time_in(v, &set, false, 0, NULL, NULL, &t);
	/* open 10:00-12:00 (the tie puts "new" first), 15:00 -> day 3 09:00:00.5 */
	CHECK("known: time in open", t == 2 * USECS_PER_HOUR + 42 * USECS_PER_HOUR + 500000);
	CHECK("known: entries into open", tl_entries(v, &set) == 2);
	CHECK("known: first and last entry into open",
		  tl_first_at(v, &set, &at) && at == 8766 * USECS_PER_DAY + 10 * USECS_PER_HOUR &&
		  tl_last_at(v, &set, &at) && at == 8766 * USECS_PER_DAY + 15 * USECS_PER_HOUR);
	tl_time_in(v, &set, true, 8766 * USECS_PER_DAY + 16 * USECS_PER_HOUR, NULL, NULL, &t);
	CHECK("known: time in open until 16:00", t == 3 * USECS_PER_HOUR);
	tl_set_free(&set, &mem);

	make_set(&set, v, wait_set, 4);
	CHECK("known: a set counts each status once", set.nmembers == 2);
	CHECK("known: moving between statuses of a set is no entry", tl_entries(v, &set) == 2);
	tl_set_free(&set, &mem);

	CHECK("known: status before the first change", tl_status_at(v, 8766 * USECS_PER_DAY) == -1);
	CHECK("known: at a tie the last status is in force",
		  tl_status_at(v, 8766 * USECS_PER_DAY + 10 * USECS_PER_HOUR) == tl_find(v, "open", 4));
	CHECK("known: status after the last change",
		  tl_status_at(v, INT64_MAX) == tl_find(v, "solved", 6));

	tl_iter_init(&it, v);
	while (tl_iter_next(&it, &code, &entered, &has_left, &left))
	{
		nint++;
		if (nint == 1)
			CHECK("known: a zero-length interval at a tie", code == 0 && has_left && left == entered);
		if (nint == 3)
			CHECK("known: repeated status is one interval",
				  code == 2 && left - entered == 3 * USECS_PER_HOUR);
		if (nint == 5)
			CHECK("known: the last interval is open", code == 3 && !has_left);
	}
	CHECK("known: five intervals", nint == 5);
	test_free(NULL, v);
}

/* Compares every reading of v with the reference over rows r[0..n) (normalized). */
static bool
check_readings(const tl_value *v, const row *r, size_t n, char *why)
{
	const char *set[6];
	int			nset = 0;
	tl_set		s;
	int64_t		lo = r[0].at - USECS_PER_HOUR,
				hi = r[n - 1].at + USECS_PER_HOUR;

	if (v->nchanges != n)
	{
		sprintf(why, "%u changes, want %zu", v->nchanges, n);
		return false;
	}
	for (size_t i = 0; i < n; i++)
	{
		size_t		len;
		const char *st = tl_status_text(v, tl_code(v)[i], &len);

		if (tl_at(v)[i] != r[i].at || len != strlen(r[i].status) || memcmp(st, r[i].status, len) != 0)
		{
			sprintf(why, "change %zu differs", i);
			return false;
		}
	}
	/* single statuses, and random sets (some never in the value, some twice) */
	for (int trial = 0; trial < NPOOL_ALL + 6; trial++)
	{
		int64_t		got,
					want,
					until = 0,
					ga = 0,
					wa = 0;
		bool		has_until;

		if (trial < NPOOL_ALL)
		{
			set[0] = pool[trial];
			nset = 1;
		}
		else
		{
			nset = 1 + (int) rnd(5);
			for (int i = 0; i < nset; i++)
				set[i] = pool[rnd(NPOOL_ALL)];
		}
		make_set(&s, v, set, nset);
		for (int u = 0; u < 6; u++)
		{
			has_until = u > 0;
			switch (u)
			{
				case 1:
					until = lo;
					break;
				case 2:
					until = hi;
					break;
				case 3:
					until = r[rnd(n)].at;
					break;
				default:
					until = lo + (int64_t) rnd((uint64_t) (hi - lo));
			}
			if (!tl_time_in(v, &s, has_until, until, NULL, NULL, &got))
			{
				strcpy(why, "time_in overflowed");
				return false;
			}
			want = ref_time_in(r, n, set, nset, has_until, until, NULL);
			if (got != want)
			{
				sprintf(why, "time_in(%s..., until %d) = %" PRId64 ", want %" PRId64,
						set[0], u, got, want);
				return false;
			}
			hook_calls = 0;
			tl_time_in(v, &s, has_until, until, first_halves, &hook_calls, &got);
			want = ref_time_in(r, n, set, nset, has_until, until, first_halves);
			if (got != want || hook_calls > (long) tl_entries(v, &s))
			{
				sprintf(why, "business time_in = %" PRId64 ", want %" PRId64 " (%ld calls)",
						got, want, hook_calls);
				return false;
			}
		}
		if ((int) tl_entries(v, &s) != ref_entries(r, n, set, nset))
		{
			strcpy(why, "entries differ");
			return false;
		}
		if (tl_first_at(v, &s, &ga) != ref_first_at(r, n, set, nset, &wa) || ga != wa)
		{
			strcpy(why, "first_at differs");
			return false;
		}
		ga = wa = 0;
		if (tl_last_at(v, &s, &ga) != ref_last_at(r, n, set, nset, &wa) || ga != wa)
		{
			strcpy(why, "last_at differs");
			return false;
		}
		tl_set_free(&s, &mem);
	}
	/* status_at at, just before and just after every change, and outside */
	for (size_t i = 0; i <= n + 1; i++)
	{
		for (int d = -1; d <= 1; d++)
		{
			int64_t		t = i == n ? lo : i == n + 1 ? hi : r[i].at + d;
			int			c = tl_status_at(v, t);
			const char *want = ref_status_at(r, n, t);
			size_t		len;
			const char *got = c < 0 ? NULL : tl_status_text(v, (uint32_t) c, &len);

			if ((got == NULL) != (want == NULL) ||
				(got != NULL && (len != strlen(want) || memcmp(got, want, len) != 0)))
			{
				sprintf(why, "status_at(%" PRId64 ") differs", t);
				return false;
			}
		}
	}
	/* intervals: one per entry, each status's closed ones sum to its time */
	{
		tl_iter		it;
		uint32_t	code;
		int64_t		entered,
					left,
					sums[NPOOL_ALL] = {0};
		bool		has_left;
		size_t		i = 0;
		int			count = 0;

		tl_iter_init(&it, v);
		while (tl_iter_next(&it, &code, &entered, &has_left, &left))
		{
			size_t		len;
			const char *st = tl_status_text(v, code, &len);
			size_t		j;

			/* the reference interval: from row i to the next other status */
			for (j = i + 1; j < n && strcmp(r[j].status, r[i].status) == 0; j++)
				;
			if (i >= n || entered != r[i].at || len != strlen(r[i].status) ||
				memcmp(st, r[i].status, len) != 0 || has_left != (j < n) ||
				(has_left && left != r[j].at))
			{
				sprintf(why, "interval %d differs", count);
				return false;
			}
			for (int p = 0; p < NPOOL_ALL; p++)
				if (has_left && strcmp(pool[p], r[i].status) == 0)
					sums[p] += left - entered;
			i = j;
			count++;
		}
		if (i != n)
		{
			strcpy(why, "intervals end early");
			return false;
		}
		/*
		 * without until, time in a status also runs through repeats of it
		 * at the end, up to the last change (the lead() rows)
		 */
		for (size_t j = n - 1; j > 0 && strcmp(r[j - 1].status, r[n - 1].status) == 0; j--)
			for (int p = 0; p < NPOOL_ALL; p++)
				if (strcmp(pool[p], r[n - 1].status) == 0)
					sums[p] += r[j].at - r[j - 1].at;
		for (int p = 0; p < NPOOL_ALL; p++)
		{
			const char *one[1] = {pool[p]};

			if (sums[p] != ref_time_in(r, n, one, 1, false, 0, NULL))
			{
				strcpy(why, "intervals do not sum to the time in their status");
				return false;
			}
		}
	}
	return true;
}

static bool
text_round_trip(const tl_value *v, char *why)
{
	tl_status	st;
	size_t		n = tl_text_size(v, &st),
				size;
	char	   *text = malloc(n + 1),
				err[200];
	tl_value   *back;
	bool		ok;

	tl_text_write(v, text);
	if (strlen(text) != n)
	{
		strcpy(why, "text size differs from its length");
		free(text);
		return false;
	}
	/* exactly n bytes, not NUL-terminated: the reader must stop at n */
	back = tl_from_text(text, n, &mem, &size, &st, err, sizeof(err));
	ok = back != NULL && same_value(back, v) && size == tl_packed_size(v);
	if (!ok)
		sprintf(why, "text does not read back: %s", back ? "differs" : err);
	if (back)
		test_free(NULL, back);
	free(text);
	return ok;
}

static bool
wire_round_trip(const tl_value *v, char *why)
{
	tl_status	st;
	size_t		n = tl_wire_size(v),
				size;
	uint8_t    *wire = malloc(n ? n : 1);
	char		err[200];
	tl_value   *back;
	bool		ok;

	tl_wire_write(v, wire);
	back = tl_from_wire(wire, n, &mem, &size, &st, err, sizeof(err));
	ok = back != NULL && same_value(back, v) && size == tl_packed_size(v);
	if (!ok)
		sprintf(why, "binary does not read back: %s", back ? "differs" : err);
	if (back)
		test_free(NULL, back);
	free(wire);
	return ok;
}

static tl_value *
merge(const tl_value *a, const tl_value *b)
{
	size_t		size;
	tl_status	st;
	tl_value   *m = tl_merge(a, b, &mem, &size, &st);

	if (m == NULL || size != tl_packed_size(m))
		abort();
	return m;
}

static void
test_random(void)
{
	static row	r[200],
				part[3][200];
	bool		readings = true,
				texts = true,
				wires = true,
				checks = true,
				commutes = true,
				assoc = true,
				all_at_once = true,
				order_free = true;
	char		why[300] = "";
	int			cases = 4000;

	for (int c = 0; c < cases; c++)
	{
		size_t		n = random_rows(r, c < 100 ? 4 : c < 3000 ? 24 : 200),
					np[3] = {0, 0, 0},
					m;
		tl_value   *v = build(r, n),
				   *p[3],
				   *ab,
				   *ba,
				   *abc1,
				   *abc2,
				   *tmp,
				   *rev;

		/* split the rows among three partial timelines (one may be empty) */
		for (size_t i = 0; i < n; i++)
		{
			int			k = (int) rnd(3);

			part[k][np[k]++] = r[i];
		}
		for (int k = 0; k < 3; k++)
			p[k] = build(part[k], np[k]);
		if (tl_check(v, tl_packed_size(v)) != NULL && checks)
		{
			checks = false;
			printf("# case %d: %s\n", c, tl_check(v, tl_packed_size(v)));
		}
		ab = merge(p[0], p[1]);
		ba = merge(p[1], p[0]);
		commutes &= same_value(ab, ba);
		abc1 = merge(ab, p[2]);
		tmp = merge(p[1], p[2]);
		abc2 = merge(p[0], tmp);
		assoc &= same_value(abc1, abc2);
		all_at_once &= same_value(abc1, v);

		/* the same rows in reverse order */
		for (size_t i = 0; i < n / 2; i++)
		{
			row			x = r[i];

			r[i] = r[n - 1 - i];
			r[n - 1 - i] = x;
		}
		rev = build(r, n);
		order_free &= same_value(rev, v);

		m = ref_normalize(r, n);
		if (readings && !check_readings(v, r, m, why))
		{
			readings = false;
			printf("# case %d: %s\n", c, why);
		}
		if (texts && !text_round_trip(v, why))
		{
			texts = false;
			printf("# case %d: %s\n", c, why);
		}
		if (wires && !wire_round_trip(v, why))
		{
			wires = false;
			printf("# case %d: %s\n", c, why);
		}
		test_free(NULL, v);
		test_free(NULL, rev);
		for (int k = 0; k < 3; k++)
			test_free(NULL, p[k]);
		test_free(NULL, ab);
		test_free(NULL, ba);
		test_free(NULL, abc1);
		test_free(NULL, abc2);
		test_free(NULL, tmp);
	}
	CHECK("random: packed values pass tl_check", checks);
	CHECK("random: time_in (statuses, sets, until, business time), entries, first/last, "
		  "status_at and intervals equal the lead() reference", readings);
	CHECK("random: text round trip", texts);
	CHECK("random: binary round trip", wires);
	CHECK("random: merge(a, b) == merge(b, a)", commutes);
	CHECK("random: merge is associative", assoc);
	CHECK("random: merging parts == aggregating all rows", all_at_once);
	CHECK("random: row order does not matter", order_free);
}

static void
test_empty_and_work(void)
{
	tl_status	st;
	tl_work    *w = tl_work_new(&mem, &st),
			   *w2;
	tl_value   *v,
			   *one,
			   *m;
	size_t		size;
	tl_set		set;
	const char *names[] = {"open"};
	int64_t		t = 1;
	char		why[300];
	row			r[1] = {{0, "open"}};

	v = tl_pack(&w->head, &mem, &size, &st);
	CHECK("empty: packs to a header", v != NULL && size == TL_HEADER_SIZE && v->nchanges == 0);
	CHECK("empty: passes tl_check", tl_check(v, size) == NULL);
	make_set(&set, v, names, 1);
	CHECK("empty: readings",
		  tl_time_in(v, &set, true, 100, NULL, NULL, &t) && t == 0 &&
		  tl_entries(v, &set) == 0 && !tl_first_at(v, &set, &t) &&
		  !tl_last_at(v, &set, &t) && tl_status_at(v, 0) == -1);
	tl_set_free(&set, &mem);
	CHECK("empty: round trips", text_round_trip(v, why) && wire_round_trip(v, why));
	one = build(r, 1);
	m = merge(v, one);
	CHECK("empty: merging with the empty value changes nothing", same_value(m, one));
	test_free(NULL, m);

	/* adding a packed value into a working one, and a working one into itself */
	w2 = tl_work_add_value(w, one, &mem, &st);
	if (w2 != w)
		test_free(NULL, w);
	w = w2;
	w2 = tl_work_add_value(w, &w->head, &mem, &st);
	if (w2 != w)
		test_free(NULL, w);
	w = w2;
	CHECK("work: a value added to itself", w->head.nchanges == 2 &&
		  tl_check(&w->head, tl_work_size(w)) == NULL);
	m = tl_pack(&w->head, &mem, &size, &st);
	CHECK("work: ... packs to the union", same_value(m, one));
	test_free(NULL, m);
	m = tl_pack(one, &mem, &size, &st);
	CHECK("work: packing a packed value copies it", same_value(m, one));
	test_free(NULL, m);
	test_free(NULL, w);
	test_free(NULL, one);
	test_free(NULL, v);

	/* bad input to tl_work_add leaves the value as it was */
	w = tl_work_new(&mem, &st);
	CHECK("work: infinity is rejected", tl_work_add(w, INT64_MAX, "a", 1, &mem, &st) == NULL && st == TL_BAD_TIME);
	CHECK("work: before 4714 BC is rejected", tl_work_add(w, TL_TS_MIN - 1, "a", 1, &mem, &st) == NULL && st == TL_BAD_TIME);
	CHECK("work: a NUL byte is rejected", tl_work_add(w, 0, "a\0b", 3, &mem, &st) == NULL && st == TL_BAD_STATUS);
	CHECK("work: nothing was added", w->head.nchanges == 0 && w->head.nstatuses == 0);
	test_free(NULL, w);
}

static void
test_limits(void)
{
	tl_status	st = TL_OK;
	tl_work    *w = tl_work_new(&mem, &st),
			   *n;
	tl_value   *v;
	size_t		size;
	bool		ok = true;
	char		name[16];
	tl_set		set;
	int64_t		t;
	const char *a[] = {"a"};

	/* 65535 distinct statuses fit, the next does not */
	for (int i = 0; i < TL_MAX_STATUSES && ok; i++)
	{
		snprintf(name, sizeof(name), "s%d", i);
		n = tl_work_add(w, i, name, strlen(name), &mem, &st);
		if (n == NULL)
			ok = false;
		else if (n != w)
		{
			test_free(NULL, w);
			w = n;
		}
	}
	CHECK("limits: 65535 statuses fit", ok && w->head.nstatuses == TL_MAX_STATUSES);
	CHECK("limits: the 65536th status is refused",
		  tl_work_add(w, 0, "one more", 8, &mem, &st) == NULL && st == TL_TOO_MANY_STATUSES);
	n = tl_work_add(w, 7, "s3", 2, &mem, &st);
	CHECK("limits: a known status still adds", n != NULL);
	if (n != NULL && n != w)
	{
		test_free(NULL, w);
		w = n;
	}
	CHECK("limits: the big working value passes tl_check", tl_check(&w->head, tl_work_size(w)) == NULL);
	v = tl_pack(&w->head, &mem, &size, &st);
	CHECK("limits: the big value packs and passes tl_check",
		  v != NULL && v->nstatuses == TL_MAX_STATUSES && tl_check(v, size) == NULL);
	{
		char		why[300];

		CHECK("limits: the big value round-trips", text_round_trip(v, why) && wire_round_trip(v, why));
		CHECK("limits: lookups in the big dictionary",
			  tl_find(v, "s0", 2) == 0 && tl_find(v, "s9999", 5) >= 0 && tl_find(v, "s", 1) == -1);
		make_set(&set, v, (const char *[]) {"s65534", "s0", "s3"}, 3);
		CHECK("limits: a set over 256 statuses", set.nmembers == 3 && tl_entries(v, &set) == 4);
		tl_time_in(v, &set, false, 0, NULL, NULL, &t);
		/* s0 0..1, s3 3..4 and 7..7 (the tie puts s3 before s7), s65534 last */
		CHECK("limits: time in a set over 256 statuses", t == 2);
		tl_set_free(&set, &mem);
	}
	test_free(NULL, v);
	test_free(NULL, w);

	/* the longest span overflows int64 microseconds: reported, not wrapped */
	{
		row			r[] = {{TL_TS_MIN, "a"}, {TL_TS_END - 1, "b"}};

		v = build(r, 2);
		make_set(&set, v, a, 1);
		CHECK("limits: time over the whole range overflows",
			  !tl_time_in(v, &set, false, 0, NULL, NULL, &t));
		CHECK("limits: an until far past the end overflows",
			  !tl_time_in(v, &set, true, INT64_MAX, NULL, NULL, &t));
		CHECK("limits: an until before the first change counts nothing",
			  tl_time_in(v, &set, true, INT64_MIN, NULL, NULL, &t) && t == 0);
		tl_set_free(&set, &mem);
		test_free(NULL, v);
	}

	/* the same changes added again and again: collapsed while building */
	w = tl_work_new(&mem, &st);
	for (int rep = 0; rep < 2000; rep++)
		for (int i = 0; i < 50; i++)
		{
			n = tl_work_add(w, i * 1000, pool[i % 5], strlen(pool[i % 5]), &mem, &st);
			if (n != w)
			{
				test_free(NULL, w);
				w = n;
			}
		}
	CHECK("limits: repeated changes do not grow the working value", w->cap_changes <= 256);
	v = tl_pack(&w->head, &mem, &size, &st);
	CHECK("limits: ... and pack to the distinct ones", v->nchanges == 50);
	test_free(NULL, v);
	test_free(NULL, w);
}

/* Every allocation failure is reported and leaks nothing. */
static void
test_out_of_memory(void)
{
	static row	r[300];
	bool		reported = true;
	long		before = live_blocks;
	size_t		n = 300;

	for (size_t i = 0; i < n; i++)
	{
		r[i].at = (int64_t) rnd(100) * 1000;
		r[i].status = pool[rnd(NPOOL)];
	}
	for (long k = 0; k < 40; k++)
	{
		tl_status	st = TL_OK;
		tl_work    *w,
				   *nw;
		tl_value   *v = NULL;
		size_t		size;

		fail_after = k;
		w = tl_work_new(&mem, &st);
		for (size_t i = 0; w != NULL && i < n; i++)
		{
			nw = tl_work_add(w, r[i].at, r[i].status, strlen(r[i].status), &mem, &st);
			if (nw == NULL)
			{
				reported &= st == TL_NO_MEMORY;
				break;
			}
			if (nw != w)
				test_free(NULL, w);
			w = nw;
		}
		if (w != NULL && st == TL_OK)
		{
			v = tl_pack(&w->head, &mem, &size, &st);
			reported &= v != NULL || st == TL_NO_MEMORY;
		}
		else if (w == NULL)
			reported &= st == TL_NO_MEMORY;
		fail_after = -1;
		if (v != NULL)
		{
			char		text[] = "v1 [2024-01-01 00:00:00+00 \"a\"]";
			char		err[100];

			for (long j = 0; j < 4; j++)
			{
				tl_value   *t;

				fail_after = j;
				t = tl_from_text(text, strlen(text), &mem, &size, &st, err, sizeof(err));
				fail_after = -1;
				if (t != NULL)
					test_free(NULL, t);
				else
					reported &= st == TL_NO_MEMORY;
			}
			test_free(NULL, v);
		}
		if (w != NULL)
			test_free(NULL, w);
	}
	CHECK("memory: allocation failures are reported", reported);
	CHECK("memory: nothing leaks", live_blocks == before);
}

static void
test_text_input(void)
{
	static const char *const good[][2] = {
		{"v1 []", "v1 []"},
		{"  v1[ ]  ", "v1 []"},
		{"v1 [2024-01-02 00:00:00+00 \"b\",2024-01-01 00:00:00+00 \"a\"]",
		 "v1 [2024-01-01 00:00:00+00 \"a\", 2024-01-02 00:00:00+00 \"b\"]"},
		{"v1 [2024-01-01 00:00:00.500+00 \"a\", 2024-01-01 00:00:00.5+00 \"a\"]",
		 "v1 [2024-01-01 00:00:00.5+00 \"a\"]"},
		{"\tv1\n[ 0044-03-15 12:00:00+00 BC \"\\x41\\x0A\\t\\\"\\\\\" ]\r\n",
		 "v1 [0044-03-15 12:00:00+00 BC \"A\\n\\t\\\"\\\\\"]"},
		{"v1 [02024-01-01 00:00:00+00 \"raw \x01 \xff\"]", "v1 [2024-01-01 00:00:00+00 \"raw \\x01 \xff\"]"},
		{"v1 [294276-12-31 23:59:59.999999+00 \"\"]", "v1 [294276-12-31 23:59:59.999999+00 \"\"]"},
		{"v1 [4714-11-24 00:00:00+00 BC \"z\"]", "v1 [4714-11-24 00:00:00+00 BC \"z\"]"},
	};
	static const char *const bad[] = {
		"", "v1", "v2 []", "v10 []", "V1 []", "v1 [", "v1 ]", "v1 [] x",
		"v1 [2024-01-01 00:00:00+00]",
		"v1 [2024-01-01 00:00:00+00 \"a\",]",
		"v1 [2024-01-01 00:00:00+00 \"a\" 2024-01-02 00:00:00+00 \"b\"]",
		"v1 [2024-01-01 00:00:00+00 \"a]",
		"v1 [2024-01-01 00:00:00+00 \"a\\\"]",
		"v1 [2024-01-01 00:00:00+00 \"a\\q\"]",
		"v1 [2024-01-01 00:00:00+00 \"a\\x0\"]",
		"v1 [2024-01-01 00:00:00+00 \"a\\x00\"]",
		"v1 [2024-01-01 00:00:00+00 a]",
		"v1 [2024-01-01 00:00:00 \"a\"]",
		"v1 [2024-01-01 00:00:00+01 \"a\"]",
		"v1 [2024-01-01T00:00:00+00 \"a\"]",
		"v1 [2024-1-01 00:00:00+00 \"a\"]",
		"v1 [224-01-01 00:00:00+00 \"a\"]",
		"v1 [2024-02-30 00:00:00+00 \"a\"]",
		"v1 [2023-02-29 00:00:00+00 \"a\"]",
		"v1 [1900-02-29 00:00:00+00 \"a\"]",
		"v1 [2024-13-01 00:00:00+00 \"a\"]",
		"v1 [2024-00-01 00:00:00+00 \"a\"]",
		"v1 [2024-01-00 00:00:00+00 \"a\"]",
		"v1 [2024-01-01 24:00:00+00 \"a\"]",
		"v1 [2024-01-01 00:60:00+00 \"a\"]",
		"v1 [2024-01-01 00:00:60+00 \"a\"]",
		"v1 [2024-01-01 00:00:00.+00 \"a\"]",
		"v1 [2024-01-01 00:00:00.1234567+00 \"a\"]",
		"v1 [0000-01-01 00:00:00+00 \"a\"]",
		"v1 [2024-01-01 00:00:00+00 B \"a\"]",
		"v1 [2024-01-01 00:00:00+00 BCE \"a\"]",
		"v1 [-2024-01-01 00:00:00+00 \"a\"]",
		"v1 [infinity \"a\"]",
	};
	static const char *const out_of_range[] = {
		"v1 [4714-11-23 23:59:59.999999+00 BC \"a\"]",
		"v1 [294277-01-01 00:00:00+00 \"a\"]",
		"v1 [9999999-01-01 00:00:00+00 \"a\"]",
	};
	bool		ok = true;
	char		err[200];
	tl_status	st;
	size_t		size;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
	{
		tl_value   *v = tl_from_text(good[i][0], strlen(good[i][0]), &mem, &size, &st, err, sizeof(err));
		char	   *text;

		if (v == NULL)
		{
			printf("# \"%s\" is refused: %s\n", good[i][0], err);
			ok = false;
			continue;
		}
		text = malloc(tl_text_size(v, &st) + 1);
		tl_text_write(v, text);
		if (strcmp(text, good[i][1]) != 0)
		{
			printf("# \"%s\" reads as \"%s\"\n", good[i][0], text);
			ok = false;
		}
		free(text);
		test_free(NULL, v);
	}
	CHECK("text: lenient input reads to its canonical form", ok);

	ok = true;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		tl_value   *v;

		err[0] = '\0';
		v = tl_from_text(bad[i], strlen(bad[i]), &mem, &size, &st, err, sizeof(err));
		if (v != NULL || st != TL_SYNTAX || err[0] == '\0')
		{
			printf("# \"%s\" is not refused as malformed (status %d)\n", bad[i], (int) st);
			ok = false;
			if (v)
				test_free(NULL, v);
		}
	}
	CHECK("text: malformed input is refused with a reason", ok);

	ok = true;
	for (size_t i = 0; i < sizeof(out_of_range) / sizeof(out_of_range[0]); i++)
	{
		tl_value   *v = tl_from_text(out_of_range[i], strlen(out_of_range[i]), &mem, &size, &st, err, sizeof(err));

		if (v != NULL || st != TL_BAD_TIME)
		{
			printf("# \"%s\" is not refused as out of range\n", out_of_range[i]);
			ok = false;
			if (v)
				test_free(NULL, v);
		}
	}
	CHECK("text: instants outside timestamptz's range are refused", ok);

	/* a NUL byte inside the quotes, given by length */
	{
		const char	text[] = "v1 [2024-01-01 00:00:00+00 \"a\0b\"]";

		CHECK("text: a raw NUL byte in a status is refused",
			  tl_from_text(text, sizeof(text) - 1, &mem, &size, &st, err, sizeof(err)) == NULL &&
			  st == TL_SYNTAX);
	}
	/* the reader stops at len even when more text follows */
	{
		const char	text[] = "v1 []garbage";

		tl_value   *v = tl_from_text(text, 5, &mem, &size, &st, err, sizeof(err));

		CHECK("text: the reader stops at the given length", v != NULL && v->nchanges == 0);
		if (v)
			test_free(NULL, v);
	}
}

/* A valid wire value to corrupt: two statuses, three changes. */
static size_t
sample_wire(uint8_t *buf)
{
	row			r[] = {{0, "a"}, {1000, "bb"}, {2000, "a"}};
	tl_value   *v = build(r, 3);
	size_t		n = tl_wire_size(v);

	tl_wire_write(v, buf);
	test_free(NULL, v);
	return n;
}

static bool
wire_refused(const uint8_t *buf, size_t len, tl_status want)
{
	tl_status	st;
	size_t		size;
	char		err[200] = "";
	tl_value   *v = tl_from_wire(buf, len, &mem, &size, &st, err, sizeof(err));

	if (v != NULL)
	{
		test_free(NULL, v);
		return false;
	}
	return st == want && err[0] != '\0';
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v >> 24);
	p[1] = (uint8_t) (v >> 16);
	p[2] = (uint8_t) (v >> 8);
	p[3] = (uint8_t) v;
}

static void
test_wire_input(void)
{
	uint8_t		buf[64],
				c[64];
	size_t		n = sample_wire(buf);
	bool		ok = true,
				consistent = true;
	tl_status	st;
	size_t		size;
	char		err[200];

	/* layout: 1 0 | k=2 | n=3 | 1 "a" | 2 "bb" | (0,0) (1000,1) (2000,0) */
	CHECK("wire: the sample's size", n == 10 + 4 + 1 + 4 + 2 + 30);
	for (size_t len = 0; len < n; len++)
		ok &= wire_refused(buf, len, len == 0 ? TL_CORRUPT : TL_CORRUPT);
	CHECK("wire: every truncation is refused", ok);
	memcpy(c, buf, n);
	c[n] = 0;
	CHECK("wire: a trailing byte is refused", wire_refused(c, n + 1, TL_CORRUPT));

	memcpy(c, buf, n);
	c[0] = 2;
	CHECK("wire: an unknown version is refused as such", wire_refused(c, n, TL_BAD_VERSION));
	memcpy(c, buf, n);
	c[1] = 1;
	CHECK("wire: a non-zero reserved byte is refused", wire_refused(c, n, TL_CORRUPT));
	memcpy(c, buf, n);
	put32(c + 2, 3);
	CHECK("wire: a status count past the data is refused", wire_refused(c, n, TL_CORRUPT));
	memcpy(c, buf, n);
	put32(c + 6, 0xffffffff);
	CHECK("wire: a huge change count is refused before allocating", wire_refused(c, n, TL_CORRUPT));
	memcpy(c, buf, n);
	put32(c + 10, 0xfffffff0);
	CHECK("wire: a status length past the end is refused", wire_refused(c, n, TL_CORRUPT));
	memcpy(c, buf, n);
	c[14] = 'c';				/* "c" > "bb": unsorted dictionary */
	CHECK("wire: an unsorted dictionary is refused", wire_refused(c, n, TL_CORRUPT));
	memcpy(c, buf, n);
	c[14] = 0;
	CHECK("wire: a NUL byte in a status is refused", wire_refused(c, n, TL_CORRUPT));
	memcpy(c, buf, n);
	c[21 + 9] = 5;				/* first change's index */
	CHECK("wire: a bad status index is refused", wire_refused(c, n, TL_CORRUPT));
	memcpy(c, buf, n);
	c[21 + 19] = 0;				/* second change to "a": "bb" unused */
	CHECK("wire: an unused status is refused", wire_refused(c, n, TL_CORRUPT));
	memcpy(c, buf, n);
	c[21 + 16] = 0x10;			/* second change later than the third */
	CHECK("wire: unsorted changes are refused", wire_refused(c, n, TL_CORRUPT));
	memcpy(c, buf, n);
	memcpy(c + 31, c + 21, 10); /* the second change equal to the first */
	CHECK("wire: a repeated change is refused", wire_refused(c, n, TL_CORRUPT));
	memcpy(c, buf, n);
	c[21] = 0x7f;				/* first instant far past 294276 AD */
	CHECK("wire: an instant out of range is refused", wire_refused(c, n, TL_CORRUPT));
	{
		uint8_t		e[10] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0};

		CHECK("wire: statuses without changes are refused", wire_refused(e, 10, TL_CORRUPT));
	}

	/* any single-byte change: refused, or a value that checks and re-encodes */
	for (size_t i = 0; i < n; i++)
		for (int bit = 0; bit < 8; bit++)
		{
			tl_value   *v;

			memcpy(c, buf, n);
			c[i] ^= (uint8_t) (1 << bit);
			v = tl_from_wire(c, n, &mem, &size, &st, err, sizeof(err));
			if (v != NULL)
			{
				uint8_t		again[64];

				if (tl_check(v, size) != NULL || tl_wire_size(v) != n)
					consistent = false;
				else
				{
					tl_wire_write(v, again);
					consistent &= memcmp(again, c, n) == 0;
				}
				test_free(NULL, v);
			}
		}
	CHECK("wire: a flipped bit is refused or decodes to a consistent value", consistent);
}

/* tl_check refuses corrupted stored values */
static void
test_check(void)
{
	row			r[] = {{0, "a"}, {1000, "bb"}, {2000, "a"}};
	tl_value   *v = build(r, 3);
	size_t		size = tl_packed_size(v);
	tl_value   *c = malloc(size);

	CHECK("check: a packed value passes", tl_check(v, size) == NULL);
	CHECK("check: a wrong size", tl_check(v, size - 1) != NULL && tl_check(v, 3) != NULL);
	memcpy(c, v, size);
	((uint16_t *) tl_code(c))[1] = 0;
	CHECK("check: an unused status", tl_check(c, size) != NULL);
	memcpy(c, v, size);
	((int64_t *) tl_at(c))[2] = 500;
	CHECK("check: unsorted changes", tl_check(c, size) != NULL);
	memcpy(c, v, size);
	((uint16_t *) tl_code(c))[1] = 2;
	CHECK("check: an index out of range", tl_check(c, size) != NULL);
	memcpy(c, v, size);
	((char *) tl_str(c))[0] = 'c';
	CHECK("check: an unsorted dictionary", tl_check(c, size) != NULL);
	memcpy(c, v, size);
	((uint32_t *) tl_str_end(c))[0] = 7;
	CHECK("check: a status offset past the text", tl_check(c, size) != NULL);
	memcpy(c, v, size);
	c->version = 2;
	CHECK("check: an unknown version", tl_check(c, size) != NULL);
	free(c);
	test_free(NULL, v);
}

int
main(void)
{
	test_calendar();
	test_known();
	test_random();
	test_empty_and_work();
	test_limits();
	test_out_of_memory();
	test_text_input();
	test_wire_input();
	test_check();
	CHECK("memory: every block was freed", live_blocks == 0);
	UNIT_EXIT();
}
