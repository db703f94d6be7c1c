/*
 * Unit tests of the plain-C business-hours core (src/calendar_*.c).
 *
 * Time zones are fakes written here: transitions as lists, and a
 * local-to-instant conversion that resolves gaps and repeats the way
 * PostgreSQL's DetermineTimeZoneOffset does (find the first transition
 * after local time - 1 day; if the local time is on the same side of it
 * under both offsets, use that side; otherwise prefer the "before" offset
 * when it gives the later instant -- a spring-forward gap -- and the
 * "after" one in a fall-back repeat).
 *
 * Business time is checked against a brute-force reference written here:
 * each local day's hours from the clauses as written (not the parser's
 * normalisation), mapped to instants, sorted and unioned, intersected with
 * the question.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "unit.h"

#define DAY		CAL_USECS_PER_DAY
#define HOUR	INT64_C(3600000000)
#define MINUTE	INT64_C(60000000)
#define SEC		INT64_C(1000000)

static void *
t_alloc(void *arg, size_t size)
{
	(void) arg;
	return malloc(size ? size : 1);
}

static void
t_free(void *arg, void *ptr)
{
	(void) arg;
	free(ptr);
}

static const cal_alloc mem = {t_alloc, t_free, NULL};

/* ---- random numbers (reproducible) ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t
rnd(void)
{
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15u);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

/* uniform in [lo, hi] */
static int64_t
rnd_range(int64_t lo, int64_t hi)
{
	return lo + (int64_t) (rnd() % (uint64_t) (hi - lo + 1));
}

/* ---- fake time zones ---- */

#define MAX_TRANS 256

typedef struct fake_zone
{
	const char *name;
	int64_t		off0;			/* seconds east of UTC before the first */
	int			n;
	int64_t		at[MAX_TRANS];	/* transition instants, seconds since 2000 UTC */
	int64_t		off[MAX_TRANS]; /* offset from then on */
} fake_zone;

static void
add_transition(fake_zone *z, int64_t at, int64_t off)
{
	z->at[z->n] = at;
	z->off[z->n] = off;
	z->n++;
}

/* day of the n-th (n > 0) or last (n = 0) weekday w (0 = Monday) of a month */
static int64_t
nth_weekday(int y, int m, int w, int n)
{
	int64_t		d;

	if (n > 0)
	{
		d = civil_days_from_date(y, m, 1);
		while (cal_weekday(d) != w)
			d++;
		return d + 7 * (n - 1);
	}
	d = civil_days_from_date(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
	while (cal_weekday(d) != w)
		d--;
	return d;
}

/* seconds since 2000-01-01 UTC of a local day and time at offset off */
static int64_t
utc_of(int64_t day, int64_t secs_local, int64_t off)
{
	return day * 86400 + secs_local - off;
}

static fake_zone zones[6];
static int nzones;

static void
make_zones(void)
{
	fake_zone  *z;

	/* UTC */
	z = &zones[nzones++];
	z->name = "UTC";
	/* +05:30, no DST */
	z = &zones[nzones++];
	z->name = "Kolkata";
	z->off0 = 19800;
	/* EU rules: +1, +2 from 01:00 UTC last Sunday of March to last of October */
	z = &zones[nzones++];
	z->name = "Prague";
	z->off0 = 3600;
	for (int y = 1995; y <= 2040; y++)
	{
		add_transition(z, utc_of(nth_weekday(y, 3, 6, 0), 3600, 0), 7200);
		add_transition(z, utc_of(nth_weekday(y, 10, 6, 0), 3600, 0), 3600);
	}
	/* US rules since 2007: -5, -4 from 02:00 second Sunday of March to first of November */
	z = &zones[nzones++];
	z->name = "New_York";
	z->off0 = -18000;
	for (int y = 1995; y <= 2040; y++)
	{
		add_transition(z, utc_of(nth_weekday(y, 3, 6, 2), 7200, -18000), -14400);
		add_transition(z, utc_of(nth_weekday(y, 11, 6, 1), 7200, -14400), -18000);
	}
	/* Lord Howe: +10:30, +11 (a 30-minute shift) at 02:00 local */
	z = &zones[nzones++];
	z->name = "Lord_Howe";
	z->off0 = 39600;
	for (int y = 1995; y <= 2040; y++)
	{
		add_transition(z, utc_of(nth_weekday(y, 4, 6, 1), 7200, 39600), 37800);
		add_transition(z, utc_of(nth_weekday(y, 10, 6, 1), 7200, 37800), 39600);
	}
	/* Apia: DST at -10/-11, then 2011-12-30 skipped (-10 to +14), DST at +13/+14 */
	z = &zones[nzones++];
	z->name = "Apia";
	z->off0 = -39600;
	add_transition(z, utc_of(civil_days_from_date(2010, 9, 26), 0, -39600), -36000);
	add_transition(z, utc_of(civil_days_from_date(2011, 4, 3), 4 * 3600, -36000), -39600);
	add_transition(z, utc_of(civil_days_from_date(2011, 9, 24), 3 * 3600, -39600), -36000);
	add_transition(z, utc_of(civil_days_from_date(2011, 12, 31), 0, 14 * 3600), 14 * 3600);
	add_transition(z, utc_of(civil_days_from_date(2012, 4, 1), 4 * 3600, 14 * 3600), 13 * 3600);
	add_transition(z, utc_of(civil_days_from_date(2012, 9, 30), 3 * 3600, 13 * 3600), 14 * 3600);
}

/* DetermineTimeZoneOffset's rule, in seconds; usec carried along */
static int64_t
fake_to_instant(void *arg, int32_t day, int64_t usec)
{
	const fake_zone *z = arg;
	int64_t		t = (int64_t) day * 86400 + usec / SEC;
	int64_t		frac = usec % SEC;
	int64_t		prevtime = t - 86400;
	int64_t		before,
				after,
				boundary,
				off;
	int			i = 0;

	while (i < z->n && z->at[i] <= prevtime)
		i++;
	if (i == z->n)
		off = z->n ? z->off[z->n - 1] : z->off0;
	else
	{
		int64_t		beforetime,
					aftertime;

		before = i ? z->off[i - 1] : z->off0;
		after = z->off[i];
		boundary = z->at[i];
		beforetime = t - before;
		aftertime = t - after;
		if (beforetime < boundary && aftertime < boundary)
			off = before;
		else if (beforetime >= boundary && aftertime >= boundary)
			off = after;
		else if (beforetime > aftertime)
			off = before;
		else
			off = after;
	}
	return (t - off) * SEC + frac;
}

static void
test_fake_zones(void)
{
	fake_zone  *prague = &zones[2],
			   *apia = &zones[5],
			   *lh = &zones[4];
	int64_t		d = civil_days_from_date(2026, 3, 29);
	int64_t		o = civil_days_from_date(2026, 10, 25);
	int64_t		s = civil_days_from_date(2011, 12, 30);

	/* the examples PostgreSQL's documentation and regression tests show */
	CHECK("fake zone: 01:30 before the Prague gap is +01",
		  fake_to_instant(prague, d, 90 * MINUTE) == d * DAY + 30 * MINUTE);
	CHECK("fake zone: 02:30 in the gap maps as +01 (03:30 CEST)",
		  fake_to_instant(prague, d, 150 * MINUTE) == d * DAY + 90 * MINUTE);
	CHECK("fake zone: 03:00 after the gap is +02",
		  fake_to_instant(prague, d, 180 * MINUTE) == d * DAY + 60 * MINUTE);
	CHECK("fake zone: 02:30 in the repeat maps to the later, +01",
		  fake_to_instant(prague, o, 150 * MINUTE) == o * DAY + 90 * MINUTE);
	CHECK("fake zone: 01:59 before the repeat is +02",
		  fake_to_instant(prague, o, 119 * MINUTE) == o * DAY - 1 * MINUTE);
	CHECK("fake zone: Apia 2011-12-30 10:00 maps as -10 (2011-12-31 10:00 +14)",
		  fake_to_instant(apia, s, 10 * HOUR) == s * DAY + 20 * HOUR);
	CHECK("fake zone: Apia 2011-12-31 00:00 is +14",
		  fake_to_instant(apia, s + 1, 0) == s * DAY + 10 * HOUR);
	d = nth_weekday(2026, 10, 6, 1);
	CHECK("fake zone: Lord Howe 02:15 in the 30-minute gap maps as +10:30",
		  fake_to_instant(lh, d, 135 * MINUTE) == d * DAY + 135 * MINUTE - 630 * MINUTE);
}

/* ---- the reference calendar: clauses as written ---- */

#define REF_MAX 12

typedef struct ref_clause
{
	int			kind;			/* 0 weekly, 1 closed, 2 special */
	int			mask;			/* weekly */
	int32_t		first,
				last;			/* closed, special */
	int			n;
	int64_t		s[4],
				e[4];
} ref_clause;

typedef struct ref_cal
{
	const char *zone;
	int			n;
	ref_clause	c[REF_MAX];
} ref_cal;

static int
cmp_i64pair(const void *a, const void *b)
{
	const int64_t *x = a,
			   *y = b;

	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* sorts pairs (start, end) and merges overlapping or touching ones */
static int
merge_pairs(int64_t (*p)[2], int n)
{
	int			out = 0;

	if (n == 0)
		return 0;
	qsort(p, n, sizeof(p[0]), cmp_i64pair);
	for (int i = 1; i < n; i++)
	{
		if (p[i][0] <= p[out][1])
		{
			if (p[i][1] > p[out][1])
				p[out][1] = p[i][1];
		}
		else
		{
			out++;
			p[out][0] = p[i][0];
			p[out][1] = p[i][1];
		}
	}
	return out + 1;
}

/* a day's local hours, unioned: closed > special > weekly */
static int
ref_day(const ref_cal *rc, int64_t day, int64_t (*out)[2])
{
	int			n = 0;
	bool		special = false;

	for (int i = 0; i < rc->n; i++)
		if (rc->c[i].kind == 1 && day >= rc->c[i].first && day <= rc->c[i].last)
			return 0;
	for (int i = 0; i < rc->n; i++)
		if (rc->c[i].kind == 2 && day >= rc->c[i].first && day <= rc->c[i].last)
		{
			special = true;
			for (int k = 0; k < rc->c[i].n; k++)
			{
				out[n][0] = rc->c[i].s[k];
				out[n][1] = rc->c[i].e[k];
				n++;
			}
		}
	if (!special)
		for (int i = 0; i < rc->n; i++)
			if (rc->c[i].kind == 0 && (rc->c[i].mask & (1 << cal_weekday(day))))
				for (int k = 0; k < rc->c[i].n; k++)
				{
					out[n][0] = rc->c[i].s[k];
					out[n][1] = rc->c[i].e[k];
					n++;
				}
	return merge_pairs(out, n);
}

/* The open instants of local days [d0, d1), unioned, into a fresh array */
typedef struct ref_set
{
	int64_t		(*iv)[2];
	int			n;
} ref_set;

static ref_set
ref_open(const ref_cal *rc, fake_zone *z, int64_t d0, int64_t d1)
{
	ref_set		set;
	int			cap = 64;

	set.iv = malloc(sizeof(set.iv[0]) * cap);
	set.n = 0;
	for (int64_t d = d0; d < d1; d++)
	{
		int64_t		h[REF_MAX * 4][2];
		int			nh = ref_day(rc, d, h);

		for (int k = 0; k < nh; k++)
		{
			int64_t		s = fake_to_instant(z, d, h[k][0]);
			int64_t		e = h[k][1] == DAY ? fake_to_instant(z, d + 1, 0) :
				fake_to_instant(z, d, h[k][1]);

			if (e <= s)
				continue;
			if (set.n == cap)
			{
				cap *= 2;
				set.iv = realloc(set.iv, sizeof(set.iv[0]) * cap);
			}
			set.iv[set.n][0] = s;
			set.iv[set.n][1] = e;
			set.n++;
		}
	}
	set.n = merge_pairs(set.iv, set.n);
	return set;
}

static int64_t
floor_day(int64_t t)
{
	return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
}

/* open time in [a, b), a <= b */
static int64_t
ref_duration(const ref_cal *rc, fake_zone *z, int64_t a, int64_t b)
{
	ref_set		set = ref_open(rc, z, floor_day(a) - 2, floor_day(b) + 3);
	int64_t		total = 0;

	for (int i = 0; i < set.n; i++)
	{
		int64_t		s = set.iv[i][0] > a ? set.iv[i][0] : a;
		int64_t		e = set.iv[i][1] < b ? set.iv[i][1] : b;

		if (e > s)
			total += e - s;
	}
	free(set.iv);
	return total;
}

static bool
ref_is_open(const ref_cal *rc, fake_zone *z, int64_t t)
{
	ref_set		set = ref_open(rc, z, floor_day(t) - 2, floor_day(t) + 3);
	bool		open = false;

	for (int i = 0; i < set.n; i++)
		if (set.iv[i][0] <= t && t < set.iv[i][1])
			open = true;
	free(set.iv);
	return open;
}

/* business_add by walking the unioned intervals; false: none within ~180 years */
static bool
ref_add(const ref_cal *rc, fake_zone *z, int64_t t, int64_t d, int64_t *u)
{
	for (int64_t span = 16; span <= 65536; span *= 4)
	{
		int64_t		rem = d > 0 ? d : -d;
		ref_set		set = d > 0 ? ref_open(rc, z, floor_day(t) - 2, floor_day(t) + span) :
			ref_open(rc, z, floor_day(t) - span, floor_day(t) + 3);
		/* instants where the set is complete */
		int64_t		edge = d > 0 ? (floor_day(t) + span - 2) * DAY : (floor_day(t) - span + 2) * DAY;
		bool		found = false;

		if (d > 0)
		{
			for (int i = 0; i < set.n && !found; i++)
			{
				int64_t		s = set.iv[i][0] > t ? set.iv[i][0] : t;
				int64_t		e = set.iv[i][1];

				if (e <= s)
					continue;
				if (e - s >= rem)
				{
					*u = s + rem;
					found = *u <= edge;
					break;
				}
				rem -= e - s;
			}
		}
		else
		{
			for (int i = set.n - 1; i >= 0 && !found; i--)
			{
				int64_t		s = set.iv[i][0];
				int64_t		e = set.iv[i][1] < t ? set.iv[i][1] : t;

				if (e <= s)
					continue;
				if (e - s >= rem)
				{
					*u = e - rem;
					found = *u >= edge;
					break;
				}
				rem -= e - s;
			}
		}
		free(set.iv);
		if (found)
			return true;
	}
	return false;
}

/* ---- building calendars: text from clauses ---- */

static const char *const dn[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static void append(char *buf, size_t cap, const char *fmt,...) __attribute__((format(printf, 3, 4)));

static void
append(char *buf, size_t cap, const char *fmt,...)
{
	va_list		ap;
	size_t		len = strlen(buf);

	va_start(ap, fmt);
	vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
}

static void
append_time(char *buf, size_t cap, int64_t usec, bool messy)
{
	int64_t		s = usec / SEC;

	if (s % 60 || (messy && rnd() % 4 == 0))
		append(buf, cap, "%02d:%02d:%02d", (int) (s / 3600), (int) (s / 60 % 60), (int) (s % 60));
	else if (messy && s / 3600 < 10 && rnd() % 3 == 0)
		append(buf, cap, "%d:%02d", (int) (s / 3600), (int) (s / 60 % 60));
	else
		append(buf, cap, "%02d:%02d", (int) (s / 3600), (int) (s / 60 % 60));
}

static void
append_date(char *buf, size_t cap, int32_t day)
{
	int64_t		y;
	int			m,
				d;

	civil_date_from_days(day, &y, &m, &d);
	append(buf, cap, "%04d-%02d-%02d", (int) y, m, d);
}

/* the text of a reference calendar, written messily when asked */
static void
ref_text(const ref_cal *rc, char *buf, size_t cap, bool messy)
{
	const char *sp = messy ? "  " : " ";

	buf[0] = '\0';
	append(buf, cap, "%s", rc->zone);
	for (int i = 0; i < rc->n; i++)
	{
		const ref_clause *c = &rc->c[i];

		append(buf, cap, messy && rnd() % 2 ? " ;%s" : ";%s", sp);
		if (c->kind == 0)
		{
			/* the mask as a list of days and runs, maybe wrapping */
			bool		first = true;
			int			start = 0;

			if (c->mask != 0x7f)
				while (!(c->mask & (1 << start)) || (c->mask & (1 << ((start + 6) % 7))))
					start++;
			for (int k = 0; k < 7; k++)
			{
				int			w = (start + k) % 7,
							e = k;

				if (!(c->mask & (1 << w)))
					continue;
				while (e + 1 < 7 && (c->mask & (1 << ((start + e + 1) % 7))))
					e++;
				if (!first)
					append(buf, cap, messy && rnd() % 2 ? " , " : ",");
				first = false;
				append(buf, cap, "%s", messy && rnd() % 2 ? (w == 0 ? "Mon" : w == 4 ? "FRI" : dn[w]) : dn[w]);
				if (e > k)
					append(buf, cap, "%s%s", messy && rnd() % 2 ? " - " : "-", dn[(start + e) % 7]);
				k = e;
			}
		}
		else
		{
			if (c->kind == 1)
				append(buf, cap, messy && rnd() % 2 ? "CLOSED " : "closed ");
			append_date(buf, cap, c->first);
			if (c->last != c->first)
			{
				append(buf, cap, messy && rnd() % 2 ? " .. " : "..");
				append_date(buf, cap, c->last);
			}
		}
		for (int k = 0; k < c->n; k++)
		{
			append(buf, cap, k ? (messy ? " ,  " : ", ") : sp);
			append_time(buf, cap, c->s[k], messy);
			append(buf, cap, messy && rnd() % 2 ? " - " : "-");
			append_time(buf, cap, c->e[k], messy);
		}
	}
	if (messy && rnd() % 3 == 0)
		append(buf, cap, " ; ");
}

static cal_def *
parse_ok(const char *text)
{
	cal_error	err;
	cal_def    *def = cal_parse(text, strlen(text), &mem, &err);

	if (def == NULL)
		printf("# parse failed: %s: %s\n", text, err.message);
	return def;
}

/* format(def) as a fresh string */
static char *
format(const cal_def *def)
{
	size_t		len = cal_format(def, NULL, 0);
	char	   *buf = malloc(len + 1);

	cal_format(def, buf, len + 1);
	return buf;
}

/* parse(text) formats to canonical (NULL: don't check) and round-trips */
static bool
canonical(const char *text, const char *expect)
{
	cal_def    *def = parse_ok(text),
			   *again;
	char	   *out;
	bool		ok;
	uint8_t    *bin;
	size_t		len;
	cal_error	err;

	if (def == NULL)
		return false;
	out = format(def);
	ok = expect == NULL || strcmp(out, expect) == 0;
	if (!ok)
		printf("# \"%s\"\n#  formats as \"%s\"\n#  expected   \"%s\"\n", text, out, expect);
	again = parse_ok(out);
	ok = ok && again && cal_equal(def, again);
	if (again)
		cal_free(again, &mem);
	/* and through the binary form */
	len = cal_encoded_size(def);
	bin = malloc(len);
	cal_encode(def, bin);
	again = cal_decode(bin, len, &mem, &err);
	ok = ok && again && cal_equal(def, again);
	if (again)
		cal_free(again, &mem);
	free(bin);
	free(out);
	cal_free(def, &mem);
	return ok;
}

/* parse fails with code, message containing part */
static bool
parse_fails(const char *text, cal_status code, const char *part)
{
	cal_error	err;
	cal_def    *def = cal_parse(text, strlen(text), &mem, &err);

	if (def)
	{
		printf("# \"%s\" parsed\n", text);
		cal_free(def, &mem);
		return false;
	}
	if (err.code != code || strstr(err.message, part) == NULL)
	{
		printf("# \"%s\": code %d, message \"%s\"\n", text, err.code, err.message);
		return false;
	}
	return true;
}

static void
test_civil(void)
{
	int64_t		y;
	int			m,
				d;
	bool		ok = true;

	CHECK("civil: 2000-01-01 is day 0", civil_days_from_date(2000, 1, 1) == 0);
	CHECK("civil: 2000-01-01 is a Saturday", cal_weekday(0) == 5);
	CHECK("civil: 2026-12-07 is a Monday", cal_weekday(civil_days_from_date(2026, 12, 7)) == 0);
	CHECK("civil: day -1 is a Friday", cal_weekday(-1) == 4);
	CHECK("civil: 0001-01-01 is CAL_TEXT_DAY_MIN", civil_days_from_date(1, 1, 1) == CAL_TEXT_DAY_MIN);
	CHECK("civil: 9999-12-31 is CAL_TEXT_DAY_MAX", civil_days_from_date(9999, 12, 31) == CAL_TEXT_DAY_MAX);
	CHECK("civil: 4714-11-24 BC is CAL_DATE_MIN", civil_days_from_date(-4713, 11, 24) == CAL_DATE_MIN);
	CHECK("civil: 5874897-12-31 is CAL_DATE_MAX", civil_days_from_date(5874897, 12, 31) == CAL_DATE_MAX);
	CHECK("civil: 294277-01-01 is CAL_TS_DAY_END", civil_days_from_date(294277, 1, 1) == CAL_TS_DAY_END);
	for (int64_t day = CAL_DATE_MIN; day <= CAL_DATE_MAX - 9973 && ok; day += 9973)
	{
		civil_date_from_days(day, &y, &m, &d);
		ok = civil_days_from_date(y, m, d) == day;
	}
	CHECK("civil: days round-trip over the date range", ok);
}

static void
test_text(void)
{
	CHECK("text: the api.md example is canonical",
		  canonical("Europe/Prague; mon-fri 09:00-12:00, 13:00-17:00; sat 10:00-14:00;\n"
					" closed 2026-12-24..2026-12-26, 2027-01-01; 2026-12-31 09:00-12:00",
					"Europe/Prague; mon-fri 09:00-12:00, 13:00-17:00; sat 10:00-14:00; "
					"closed 2026-12-24..2026-12-26, 2027-01-01; 2026-12-31 09:00-12:00"));
	CHECK("text: a zone alone", canonical("  UTC  ", "UTC"));
	CHECK("text: a trailing semicolon", canonical("UTC; mon 09:00-10:00 ;  ", "UTC; mon 09:00-10:00"));
	CHECK("text: ranges merge (overlap, touch), sorted",
		  canonical("UTC; mon 13:00-17:00, 09:00-12:00, 12:00-12:30, 16:00-16:30",
					"UTC; mon 09:00-12:30, 13:00-17:00"));
	CHECK("text: a day in several clauses gets the union",
		  canonical("UTC; mon-fri 09:00-12:00; wed 11:00-13:00, 15:00-16:00",
					"UTC; mon-tue,thu-fri 09:00-12:00; wed 09:00-13:00, 15:00-16:00"));
	CHECK("text: day lists and wrapping ranges",
		  canonical("UTC; sat,sun 10:00-14:00; fri-mon 08:00-09:00",
					"UTC; mon,fri 08:00-09:00; sat-sun 08:00-09:00, 10:00-14:00"));
	CHECK("text: all days, 24:00, seconds, case and blanks",
		  canonical("Etc/GMT+5 ;MON - sun 00:00:00-24:00 ; ", "Etc/GMT+5; mon-sun 00:00-24:00"));
	CHECK("text: seconds are kept", canonical("UTC; tue 9:00:30-17:00:01", "UTC; tue 09:00:30-17:00:01"));
	CHECK("text: closed dates merge and sort",
		  canonical("UTC; closed 2027-01-01, 2026-12-24..2026-12-25; closed 2026-12-26, 2026-12-20..2026-12-21",
					"UTC; closed 2026-12-20..2026-12-21, 2026-12-24..2026-12-26, 2027-01-01"));
	CHECK("text: overlapping special hours unite, closed days drop out",
		  canonical("UTC; 2026-12-20..2026-12-31 09:00-12:00; 2026-12-24 14:00-16:00; closed 2026-12-25..2026-12-26",
					"UTC; closed 2026-12-25..2026-12-26; 2026-12-20..2026-12-23 09:00-12:00; "
					"2026-12-24 09:00-12:00, 14:00-16:00; 2026-12-27..2026-12-31 09:00-12:00"));
	CHECK("text: touching special entries with the same hours merge",
		  canonical("UTC; 2026-01-01, 2026-01-02 10:00-11:00; 2026-01-03..2026-01-04 10:00-11:00",
					"UTC; 2026-01-01..2026-01-04 10:00-11:00"));
	CHECK("text: a calendar of special days only", canonical("UTC; 2026-05-01 10:00-11:00", NULL));
	CHECK("text: a POSIX zone spec with commas",
		  canonical("EST5EDT,M3.2.0,M11.1.0; mon 09:00-17:00", "EST5EDT,M3.2.0,M11.1.0; mon 09:00-17:00"));
	CHECK("text: years 0001 and 9999", canonical("UTC; closed 0001-01-01, 9999-12-31", NULL));
	CHECK("text: leap day", canonical("UTC; closed 2024-02-29", "UTC; closed 2024-02-29"));

	CHECK("error: empty text", parse_fails("", CAL_SYNTAX, "clause 1"));
	CHECK("error: no zone", parse_fails(" ; mon 09:00-10:00", CAL_SYNTAX, "time zone"));
	CHECK("error: blank in the zone", parse_fails("Europe/ Prague", CAL_SYNTAX, "clause 1"));
	CHECK("error: unknown day names the clause",
		  parse_fails("UTC; mon 09:00-10:00; mon-fry 09:00-17:00", CAL_SYNTAX,
					  "clause 3 \"mon-fry 09:00-17:00\": expected a day name"));
	CHECK("error: empty clause", parse_fails("UTC; ; mon 09:00-10:00", CAL_SYNTAX, "clause 2"));
	CHECK("error: days without hours", parse_fails("UTC; mon-fri", CAL_SYNTAX, "opening hours"));
	CHECK("error: hours without days", parse_fails("UTC; 09:00-17:00", CAL_SYNTAX, "day name"));
	CHECK("error: night shift in one range",
		  parse_fails("UTC; fri 22:00-06:00", CAL_SYNTAX, "night shift"));
	CHECK("error: empty range", parse_fails("UTC; fri 10:00-10:00", CAL_SYNTAX, "end after"));
	CHECK("error: 24:01", parse_fails("UTC; fri 10:00-24:01", CAL_SYNTAX, "out of range"));
	CHECK("error: 25:00", parse_fails("UTC; fri 10:00-25:00", CAL_SYNTAX, "out of range"));
	CHECK("error: minutes 60", parse_fails("UTC; fri 10:60-11:00", CAL_SYNTAX, "out of range"));
	CHECK("error: fractional seconds", parse_fails("UTC; fri 10:00:00.5-11:00", CAL_SYNTAX, "time"));
	CHECK("error: 2026-02-29", parse_fails("UTC; closed 2026-02-29", CAL_SYNTAX, "no such date"));
	CHECK("error: 1900-02-29", parse_fails("UTC; closed 1900-02-29", CAL_SYNTAX, "no such date"));
	CHECK("error: year 0", parse_fails("UTC; closed 0000-01-01", CAL_SYNTAX, "no such date"));
	CHECK("error: five-digit year", parse_fails("UTC; closed 12026-01-01", CAL_SYNTAX, "date"));
	CHECK("error: reversed date range",
		  parse_fails("UTC; closed 2026-12-26..2026-12-24", CAL_SYNTAX, "ends before"));
	CHECK("error: closed with hours",
		  parse_fails("UTC; closed 2026-12-24 09:00-10:00", CAL_SYNTAX, "closed date"));
	CHECK("error: closed without dates", parse_fails("UTC; closed", CAL_SYNTAX, "dates after"));
	CHECK("error: special date without hours", parse_fails("UTC; 2026-12-24", CAL_SYNTAX, "opening hours"));
	CHECK("error: missing comma between ranges",
		  parse_fails("UTC; mon 09:00-10:00 11:00-12:00", CAL_SYNTAX, "\",\""));
	CHECK("error: a long clause is cut in the message",
		  parse_fails("UTC; mon 09:00-10:00, 11:00-12:00, 13:00-14:00, 15:00-16:00, 17:00-18:00x",
					  CAL_SYNTAX, "...\""));
	{
		char		text[64] = "UTC; mon 09:00-10:00";
		cal_error	err;

		text[10] = '\0';
		CHECK("error: a NUL byte", cal_parse(text, 20, &mem, &err) == NULL && err.code == CAL_SYNTAX);
	}
	{
		/* more ranges on one day than allowed */
		size_t		cap = 200000;
		char	   *text = malloc(cap);
		cal_error	err;
		cal_def    *def;

		strcpy(text, "UTC; mon 00:00:00-00:00:01");
		for (int i = 1; i <= CAL_DAY_RANGES_MAX; i++)
			append(text, cap, ", %02d:%02d:%02d-%02d:%02d:%02d", i * 2 / 3600, i * 2 / 60 % 60,
				   i * 2 % 60, i * 2 / 3600, i * 2 / 60 % 60, i * 2 % 60 + 1);
		def = cal_parse(text, strlen(text), &mem, &err);
		CHECK("error: too many ranges on one day", def == NULL && err.code == CAL_TOO_LARGE);
		free(text);
	}
}

static void
test_construct(void)
{
	int32_t		closed[3] = {(int32_t) civil_days_from_date(2027, 1, 1),
		(int32_t) civil_days_from_date(2026, 12, 24), (int32_t) civil_days_from_date(2026, 12, 25)};
	cal_error	err;
	cal_def    *a = cal_construct("Europe/Prague", 13, "mon-fri 09:00-17:00; closed 2026-12-26",
								  38, closed, 3, &mem, &err),
			   *b = parse_ok("Europe/Prague; mon-fri 09:00-17:00; closed 2026-12-24..2026-12-26, 2027-01-01");
	int32_t		bad = CAL_TEXT_DAY_MAX + 1;

	CHECK("construct: zone, hours and closed dates", a && b && cal_equal(a, b));
	cal_free(a, &mem);
	cal_free(b, &mem);
	a = cal_construct("UTC", 3, "", 0, NULL, 0, &mem, &err);
	CHECK("construct: no hours", a && a->nranges == 0 && !a->has_open);
	cal_free(a, &mem);
	a = cal_construct("UTC", 3, "mon 9-10", 8, NULL, 0, &mem, &err);
	CHECK("construct: a bad clause is numbered from the hours",
		  a == NULL && err.code == CAL_SYNTAX && strstr(err.message, "clause 1 \"mon 9-10\""));
	a = cal_construct("UTC; mon 09:00-10:00", 20, "", 0, NULL, 0, &mem, &err);
	CHECK("construct: a zone with a semicolon", a == NULL && err.code == CAL_SYNTAX);
	a = cal_construct("", 0, "", 0, NULL, 0, &mem, &err);
	CHECK("construct: an empty zone", a == NULL && err.code == CAL_SYNTAX);
	a = cal_construct("UTC", 3, "", 0, &bad, 1, &mem, &err);
	CHECK("construct: a closed date past 9999", a == NULL && err.code == CAL_OUT_OF_RANGE);
}

static void
test_binary(void)
{
	cal_def    *def = parse_ok("Europe/Prague; mon-fri 09:00-12:00, 13:00-17:00; sat 10:00-14:00; "
							   "closed 2026-12-24..2026-12-26, 2027-01-01; 2026-12-31 09:00-12:00");
	size_t		len = cal_encoded_size(def);
	uint8_t    *bin = malloc(len),
			   *copy;
	cal_error	err;
	cal_def    *again;
	bool		ok = true;

	cal_encode(def, bin);
	CHECK("binary: version byte first", bin[0] == CAL_BINARY_VERSION && bin[1] == 0);
	again = cal_decode(bin, len, &mem, &err);
	CHECK("binary: round trip", again && cal_equal(def, again));
	cal_free(again, &mem);
	/* every truncation and every extension is rejected */
	for (size_t n = 0; n < len && ok; n++)
	{
		again = cal_decode(bin, n, &mem, &err);
		ok = again == NULL && err.code == CAL_CORRUPT;
		cal_free(again, &mem);
	}
	CHECK("binary: every truncation is rejected", ok);
	copy = malloc(len + 1);
	memcpy(copy, bin, len);
	copy[len] = 0;
	CHECK("binary: trailing bytes are rejected", cal_decode(copy, len + 1, &mem, &err) == NULL);
	copy[0] = 2;
	CHECK("binary: unknown version", cal_decode(copy, len, &mem, &err) == NULL && err.code == CAL_CORRUPT);
	copy[0] = 1;
	copy[1] = 1;
	CHECK("binary: reserved flags", cal_decode(copy, len, &mem, &err) == NULL);
	/* every single-byte change either is rejected or decodes to a canonical value */
	ok = true;
	for (size_t i = 0; i < len && ok; i++)
		for (int bit = 0; bit < 8 && ok; bit++)
		{
			memcpy(copy, bin, len);
			copy[i] ^= (uint8_t) (1 << bit);
			again = cal_decode(copy, len, &mem, &err);
			if (again)
			{
				uint8_t    *re = malloc(cal_encoded_size(again));

				cal_encode(again, re);
				ok = cal_encoded_size(again) == len && memcmp(re, copy, len) == 0;
				free(re);
				cal_free(again, &mem);
			}
			else
				ok = err.code == CAL_CORRUPT;
		}
	CHECK("binary: bit flips are rejected or canonical", ok);
	{
		/* non-canonical: two touching ranges on Monday */
		uint8_t		v[44] = {1, 0, 3, 'U', 'T', 'C', 0, 2, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 10, 0, 0, 0, 20};
		uint8_t		w[36] = {1, 0, 3, 'U', 'T', 'C', 0, 1, 0, 0, 0, 0, 0, 0, 0, 20};

		CHECK("binary: touching ranges are not canonical",
			  cal_decode(v, sizeof(v), &mem, &err) == NULL && err.code == CAL_CORRUPT);
		again = cal_decode(w, sizeof(w), &mem, &err);
		CHECK("binary: the canonical form of mon 00:00-00:00:20",
			  again && again->nranges == 1 && again->ranges[0].end == 20 * SEC);
		cal_free(again, &mem);
	}
	free(copy);
	free(bin);
	cal_free(def, &mem);
}

/* ---- random calendars ---- */

static int64_t
rnd_time(void)
{
	switch (rnd() % 4)
	{
		case 0:
			return rnd_range(0, 96) * 15 * MINUTE;
		case 1:
			return rnd_range(0, 24) * HOUR;
		case 2:
			return rnd_range(0, 1440) * MINUTE;
		default:
			return rnd_range(0, 86400) * SEC;
	}
}

static void
rnd_ranges(ref_clause *c)
{
	c->n = (int) rnd_range(1, 4);
	for (int k = 0; k < c->n; k++)
	{
		int64_t		a,
					b;

		do
		{
			a = rnd_time();
			b = rnd_time();
			if (rnd() % 8 == 0)
				b = DAY;
			if (rnd() % 8 == 0)
				a = 0;
		} while (a == b);
		c->s[k] = a < b ? a : b;
		c->e[k] = a < b ? b : a;
	}
}

/* dates near base, so that clauses overlap often */
static void
rnd_calendar(ref_cal *rc, const char *zone, int64_t base)
{
	rc->zone = zone;
	rc->n = (int) rnd_range(0, REF_MAX);
	for (int i = 0; i < rc->n; i++)
	{
		ref_clause *c = &rc->c[i];
		int			kind = (int) (rnd() % 3);

		memset(c, 0, sizeof(*c));
		c->kind = kind;
		if (kind == 0)
		{
			c->mask = (int) rnd_range(1, 127);
			rnd_ranges(c);
		}
		else
		{
			c->first = (int32_t) (base + rnd_range(0, 60));
			c->last = c->first + (int32_t) (rnd() % 3 == 0 ? rnd_range(0, 20) : 0);
			if (kind == 2)
				rnd_ranges(c);
		}
	}
}

/* the parsed calendar has the reference's hours on every day near base */
static bool
same_hours(const ref_cal *rc, const cal_def *def, int64_t base)
{
	for (int64_t day = base - 10; day < base + 90; day++)
	{
		int64_t		h[REF_MAX * 4][2];
		int			n = ref_day(rc, day, h);
		const cal_range *r;
		uint32_t	nr;

		cal_day_hours(def, (int32_t) day, &r, &nr);
		if ((int) nr != n)
			return false;
		for (int k = 0; k < n; k++)
			if (r[k].start != h[k][0] || r[k].end != h[k][1])
				return false;
	}
	return true;
}

static void
test_random_text(void)
{
	int			parsed = 0,
				hours = 0,
				round = 0;
	char		text[8192];

	for (int i = 0; i < 3000; i++)
	{
		ref_cal		rc;
		int64_t		base = rnd_range(CAL_TEXT_DAY_MIN, CAL_TEXT_DAY_MAX - 100);
		cal_def    *def;

		rnd_calendar(&rc, "Europe/Prague", base);
		ref_text(&rc, text, sizeof(text), i % 2 == 1);
		def = parse_ok(text);
		if (def == NULL)
			continue;
		parsed++;
		if (same_hours(&rc, def, base))
			hours++;
		else
			printf("# hours differ: %s\n", text);
		{
			char	   *out = format(def);

			if (canonical(out, out))
				round++;
			free(out);
		}
		cal_free(def, &mem);
	}
	CHECK("random text: 3000 calendars parse", parsed == 3000);
	CHECK("random text: every day has the hours the clauses give", hours == 3000);
	CHECK("random text: canonical text is a fixed point, binary round-trips", round == 3000);
}

/* ---- business time against the reference ---- */

typedef struct tcase
{
	const char *name;
	ref_cal		rc;
} tcase;

static int64_t
rnd_instant(const fake_zone *z, int64_t lo_day, int64_t hi_day)
{
	int64_t		t = rnd_range(lo_day * DAY, hi_day * DAY);

	(void) z;
	switch (rnd() % 3)
	{
		case 0:
			return t - t % MINUTE;
		case 1:
			return t - t % (15 * MINUTE);
		default:
			return t;
	}
}

/* checks nq random questions on one calendar in one zone */
static void
check_time(const char *name, const ref_cal *rc, fake_zone *z, int nq, int64_t max_len)
{
	char		text[8192],
				label[256];
	cal_def    *def;
	cal_span	span;
	int			dur_ok = 0,
				add_ok = 0,
				open_ok = 0,
				prop_ok = 0;
	int64_t		lo_day = civil_days_from_date(2009, 1, 1),
				hi_day = civil_days_from_date(2014, 1, 1),
				apia = civil_days_from_date(2011, 12, 30);

	ref_text(rc, text, sizeof(text), false);
	def = parse_ok(text);
	if (def == NULL)
	{
		CHECK(name, false);
		return;
	}
	cal_span_init(&span, def, fake_to_instant, z, &mem);
	for (int q = 0; q < nq; q++)
	{
		int64_t		a = q % 4 == 0 ? rnd_instant(z, apia - 20, apia + 20) : rnd_instant(z, lo_day, hi_day),
					len = rnd() % 5 == 0 ? rnd_range(0, max_len) : rnd_range(0, max_len / 40),
					b = rnd() % 2 ? a + len : a - len,
					got,
					want,
					u,
					ru,
					d;
		bool		open,
					found;
		cal_status	st;

		if (rnd() % 3 == 0)
			b -= b % MINUTE;
		/* duration, both ways */
		st = cal_business_duration(&span, a, b, &got);
		want = a <= b ? ref_duration(rc, z, a, b) : -ref_duration(rc, z, b, a);
		if (st == CAL_OK && got == want)
			dur_ok++;
		else if (dur_ok + 3 > q)
			printf("# %s/%s: duration(%" PRId64 ", %" PRId64 ") = %" PRId64 " (%d), want %" PRId64 "\n",
				   name, z->name, a, b, got, st, want);
		/* is_open */
		st = cal_is_open(&span, a, &open);
		if (st == CAL_OK && open == ref_is_open(rc, z, a))
			open_ok++;
		/* add: the reference and the properties */
		/* an amount of open time the reference reaches: that of the pair, give or take */
		d = (want < 0 ? -want : want) + (rnd() % 2 ? rnd_range(-HOUR, HOUR) : 0);
		if (rnd() % 4 == 0)
			d = d - d % HOUR;
		if (rnd() % 3 == 0)
			d = -d;
		st = cal_business_add(&span, a, d, &u);
		found = d == 0 ? (ru = a, true) : ref_add(rc, z, a, d, &ru);
		if (found ? (st == CAL_OK && u == ru) : st == CAL_NO_OPEN_TIME || !def->has_open)
			add_ok++;
		else if (add_ok + 3 > q)
			printf("# %s/%s: add(%" PRId64 ", %" PRId64 ") = %" PRId64 " (%d), want %" PRId64 " (%d)\n",
				   name, z->name, a, d, u, st, ru, found);
		if (st == CAL_OK)
		{
			int64_t		back,
						less;
			bool		good;

			if (d >= 0)
				good = cal_business_duration(&span, a, u, &back) == CAL_OK && back == d &&
					(u == a || (cal_business_duration(&span, a, u - 1, &less) == CAL_OK && less < d));
			else
				good = cal_business_duration(&span, u, a, &back) == CAL_OK && back == -d &&
					cal_business_duration(&span, u + 1, a, &less) == CAL_OK && less < -d;
			if (good)
				prop_ok++;
		}
		else
			prop_ok++;
	}
	snprintf(label, sizeof(label), "%s in %s: %d business durations match the reference", name, z->name, nq);
	CHECK(label, dur_ok == nq);
	snprintf(label, sizeof(label), "%s in %s: %d is_open match the reference", name, z->name, nq);
	CHECK(label, open_ok == nq);
	snprintf(label, sizeof(label), "%s in %s: %d business_add match the reference", name, z->name, nq);
	CHECK(label, add_ok == nq);
	snprintf(label, sizeof(label), "%s in %s: duration(t, add(t, d)) = d, and add is the earliest/latest",
			 name, z->name);
	CHECK(label, prop_ok == nq);
	cal_span_free(&span);
	cal_free(def, &mem);
}

static ref_cal
cal_of(int n)
{
	ref_cal		rc;

	memset(&rc, 0, sizeof(rc));
	rc.n = n;
	return rc;
}

static ref_clause
weekly(int mask, int n, const int64_t *se)
{
	ref_clause	c;

	memset(&c, 0, sizeof(c));
	c.kind = 0;
	c.mask = mask;
	c.n = n;
	for (int k = 0; k < n; k++)
	{
		c.s[k] = se[2 * k];
		c.e[k] = se[2 * k + 1];
	}
	return c;
}

static ref_clause
dated(int kind, int y, int m, int d, int ndays, int n, const int64_t *se)
{
	ref_clause	c = weekly(0, n, se);

	c.kind = kind;
	c.first = (int32_t) civil_days_from_date(y, m, d);
	c.last = c.first + ndays - 1;
	return c;
}

#define MF 0x1f
#define ALL 0x7f

static void
test_time(void)
{
	int64_t		office[] = {9 * HOUR, 12 * HOUR, 13 * HOUR, 17 * HOUR};
	int64_t		sat[] = {10 * HOUR, 14 * HOUR};
	int64_t		morning[] = {9 * HOUR, 12 * HOUR};
	int64_t		night_a[] = {22 * HOUR, DAY};
	int64_t		night_b[] = {0, 6 * HOUR};
	int64_t		full[] = {0, DAY};
	int64_t		gap[] = {90 * MINUTE, 210 * MINUTE, 135 * MINUTE, 165 * MINUTE};
	int64_t		late[] = {23 * HOUR, DAY};
	tcase		cases[8];
	int			ncases = 0;
	ref_cal		rc;

	/* office hours with holidays and a special day */
	rc = cal_of(6);
	rc.c[0] = weekly(MF, 2, office);
	rc.c[1] = weekly(1 << 5, 1, sat);
	rc.c[2] = dated(1, 2011, 12, 24, 3, 0, NULL);
	rc.c[3] = dated(1, 2012, 1, 1, 1, 0, NULL);
	rc.c[4] = dated(2, 2011, 12, 31, 1, 1, morning);
	rc.c[5] = dated(2, 2011, 12, 30, 1, 1, sat);
	cases[ncases].name = "office";
	cases[ncases++].rc = rc;
	/* night shifts written as two ranges, and 23:00-24:00 every day */
	rc = cal_of(3);
	rc.c[0] = weekly(MF, 1, night_a);
	rc.c[1] = weekly(0x3e, 1, night_b);
	rc.c[2] = weekly(ALL, 1, late);
	cases[ncases].name = "night";
	cases[ncases++].rc = rc;
	/* 24/7 */
	rc = cal_of(1);
	rc.c[0] = weekly(ALL, 1, full);
	cases[ncases].name = "24/7";
	cases[ncases++].rc = rc;
	/* hours inside DST gaps and repeats (Sundays 01:30-03:30), and a closed Sunday */
	rc = cal_of(2);
	rc.c[0] = weekly(1 << 6 | 1 << 2, 2, gap);
	rc.c[1] = dated(1, 2011, 3, 27, 1, 0, NULL);
	cases[ncases].name = "dst-hours";
	cases[ncases++].rc = rc;
	/* special days only */
	rc = cal_of(2);
	rc.c[0] = dated(2, 2011, 12, 29, 3, 2, office);
	rc.c[1] = dated(2, 2012, 3, 1, 40, 1, full);
	cases[ncases].name = "special-only";
	cases[ncases++].rc = rc;

	for (int c = 0; c < ncases; c++)
		for (int zi = 0; zi < nzones; zi++)
		{
			cases[c].rc.zone = zones[zi].name;
			check_time(cases[c].name, &cases[c].rc, &zones[zi], 1000, 400 * DAY);
		}
	/* random calendars near the Apia skip, each in every zone */
	for (int i = 0; i < 12; i++)
	{
		char		name[32];

		snprintf(name, sizeof(name), "random calendar %d", i);
		rnd_calendar(&rc, "X", civil_days_from_date(2011, 12, 1));
		for (int zi = 0; zi < nzones; zi++)
		{
			rc.zone = zones[zi].name;
			check_time(name, &rc, &zones[zi], 300, 200 * DAY);
		}
	}
}

/* a calendar with many ranges a day: the window is small, long questions go window by window */
static void
test_small_window(void)
{
	ref_cal		rc;
	int64_t		se[8];
	cal_def    *def;
	cal_span	span;
	char		text[8192];

	memset(&rc, 0, sizeof(rc));
	rc.zone = "Prague";
	rc.n = 12;
	for (int i = 0; i < 12; i++)
	{
		/* 48 ranges a day: 4 per clause */
		for (int k = 0; k < 4; k++)
		{
			se[2 * k] = (i * 4 + k) * 30 * MINUTE;
			se[2 * k + 1] = se[2 * k] + 7 * MINUTE + k * SEC;
		}
		rc.c[i] = weekly(ALL, 4, se);
	}
	ref_text(&rc, text, sizeof(text), false);
	def = parse_ok(text);
	cal_span_init(&span, def, fake_to_instant, &zones[2], &mem);
	CHECK("small window: 48 ranges a day allow a window of 5461 days", span.max_days == 5461);
	cal_span_free(&span);
	cal_free(def, &mem);
	check_time("48 ranges a day", &rc, &zones[2], 60, 40 * 365 * DAY);
}

static void
test_errors(void)
{
	cal_def    *none = parse_ok("UTC"),
			   *closed = parse_ok("UTC; mon-fri 09:00-17:00; closed 2000-01-01..2200-12-31"),
			   *special = parse_ok("UTC; 2026-12-31 09:00-12:00"),
			   *all = parse_ok("UTC; mon-sun 00:00-24:00");
	cal_span	span;
	int64_t		u,
				d;
	bool		open;
	int64_t		t = civil_days_from_date(2026, 6, 1) * DAY;

	cal_span_init(&span, none, fake_to_instant, &zones[0], &mem);
	CHECK("errors: no open time: add fails at once",
		  cal_business_add(&span, t, HOUR, &u) == CAL_NO_OPEN_TIME && span.builds == 0);
	CHECK("errors: no open time: add of 0 is t", cal_business_add(&span, t, 0, &u) == CAL_OK && u == t);
	CHECK("errors: no open time: duration is 0",
		  cal_business_duration(&span, t, t + DAY, &d) == CAL_OK && d == 0);
	CHECK("errors: no open time: never open", cal_is_open(&span, t, &open) == CAL_OK && !open);
	cal_span_free(&span);

	cal_span_init(&span, closed, fake_to_instant, &zones[0], &mem);
	CHECK("errors: open time only after 100 closed years: no open time",
		  cal_business_add(&span, civil_days_from_date(2001, 1, 1) * DAY, HOUR, &u) == CAL_NO_OPEN_TIME);
	CHECK("errors: ...but found from 2150 (51 years)",
		  cal_business_add(&span, civil_days_from_date(2150, 1, 1) * DAY, HOUR, &u) == CAL_OK &&
		  u == civil_days_from_date(2201, 1, 1) * DAY + 10 * HOUR);
	CHECK("errors: backwards within the open hour",
		  cal_business_add(&span, civil_days_from_date(2201, 1, 1) * DAY + 10 * HOUR, -HOUR, &u) == CAL_OK &&
		  u == civil_days_from_date(2201, 1, 1) * DAY + 9 * HOUR);
	CHECK("errors: backwards across a gap of 201 years: no open time",
		  cal_business_add(&span, civil_days_from_date(2201, 1, 1) * DAY + 10 * HOUR, -2 * HOUR, &u) ==
		  CAL_NO_OPEN_TIME);
	cal_span_free(&span);

	cal_span_init(&span, special, fake_to_instant, &zones[0], &mem);
	CHECK("errors: special days only, after the last: no open time",
		  cal_business_add(&span, civil_days_from_date(2027, 1, 1) * DAY, HOUR, &u) == CAL_NO_OPEN_TIME);
	CHECK("errors: special days only, before it: found",
		  cal_business_add(&span, civil_days_from_date(2026, 1, 1) * DAY, HOUR, &u) == CAL_OK &&
		  u == civil_days_from_date(2026, 12, 31) * DAY + 10 * HOUR);
	CHECK("errors: special days only, more than it has: no open time",
		  cal_business_add(&span, civil_days_from_date(2026, 1, 1) * DAY, 4 * HOUR, &u) == CAL_NO_OPEN_TIME);
	cal_span_free(&span);

	cal_span_init(&span, all, fake_to_instant, &zones[0], &mem);
	CHECK("errors: instants outside timestamptz",
		  cal_business_duration(&span, CAL_TS_MIN - 1, 0, &d) == CAL_OUT_OF_RANGE &&
		  cal_business_duration(&span, 0, CAL_TS_END, &d) == CAL_OUT_OF_RANGE &&
		  cal_is_open(&span, CAL_TS_END, &open) == CAL_OUT_OF_RANGE &&
		  cal_business_add(&span, CAL_TS_MIN - 1, HOUR, &u) == CAL_OUT_OF_RANGE);
	CHECK("errors: add past the end of timestamptz",
		  cal_business_add(&span, CAL_TS_END - DAY, 2 * DAY, &u) == CAL_OUT_OF_RANGE &&
		  cal_business_add(&span, CAL_TS_MIN + DAY, -2 * DAY, &u) == CAL_OUT_OF_RANGE &&
		  cal_business_add(&span, 0, INT64_MAX, &u) == CAL_OUT_OF_RANGE &&
		  cal_business_add(&span, 0, INT64_MIN, &u) == CAL_OUT_OF_RANGE);
	CHECK("errors: 24/7 near the end: the last day has no hours",
		  cal_business_duration(&span, CAL_TS_END - 3 * DAY, CAL_TS_END - 1, &d) == CAL_OK && d == 2 * DAY);
	CHECK("errors: 24/7 near the start",
		  cal_business_duration(&span, CAL_TS_MIN, CAL_TS_MIN + 3 * DAY, &d) == CAL_OK && d == 3 * DAY);
	CHECK("errors: 24/7 over 3000 years is elapsed time",
		  cal_business_duration(&span, -1000 * 365 * DAY, 2000 * 365 * DAY, &d) == CAL_OK &&
		  d == 3000 * 365 * DAY);
	CHECK("errors: 24/7 add over 3000 years",
		  cal_business_add(&span, -1000 * 365 * DAY, 3000 * 365 * DAY, &u) == CAL_OK &&
		  u == 2000 * 365 * DAY);
	cal_span_free(&span);

	cal_free(none, &mem);
	cal_free(closed, &mem);
	cal_free(special, &mem);
	cal_free(all, &mem);
}

/* ---- business days against a day-by-day count ---- */

static bool
ref_open_day(const ref_cal *rc, int64_t day)
{
	int64_t		h[REF_MAX * 4][2];

	return ref_day(rc, day, h) > 0;
}

static void
test_days(void)
{
	int			count_ok = 0,
				add_ok = 0,
				total = 0;
	char		text[8192];

	for (int i = 0; i < 200; i++)
	{
		ref_cal		rc;
		int64_t		base = rnd_range(-1000, 1000);
		cal_def    *def;

		rnd_calendar(&rc, "UTC", base);
		ref_text(&rc, text, sizeof(text), false);
		def = parse_ok(text);
		if (def == NULL)
			continue;
		for (int q = 0; q < 50; q++)
		{
			int32_t		from = (int32_t) (base + rnd_range(-30, 100)),
						to = (int32_t) (base + rnd_range(-30, 100)),
						n = (int32_t) rnd_range(-15, 15),
						got;
			int64_t		want = 0,
						x;
			int			k = 0;
			cal_status	st;

			total++;
			for (int64_t d = from < to ? from : to; d < (from < to ? to : from); d++)
				want += ref_open_day(&rc, d);
			if (to < from)
				want = -want;
			if (cal_business_days(def, from, to, &got) == CAL_OK && got == want)
				count_ok++;
			/* add by walking day by day, at most 2 years */
			st = cal_add_business_days(def, from, n, &got);
			x = from;
			while (k < (n < 0 ? -n : n) && x > from - 800 && x < from + 800)
			{
				x += n < 0 ? -1 : 1;
				if (ref_open_day(&rc, x))
					k++;
			}
			if (k == (n < 0 ? -n : n) ? st == CAL_OK && got == x : st != CAL_OK || got > from + 799 || got < from - 799)
				add_ok++;
			else
				printf("# add_business_days(%d, %d) = %d (%d), want %" PRId64 ": %s\n", from, n, got, st, x, text);
		}
		cal_free(def, &mem);
	}
	CHECK("business days: counts match a day-by-day count", count_ok == total);
	CHECK("business days: add matches a day-by-day walk", add_ok == total);
	{
		cal_def    *def = parse_ok("UTC; mon-fri 09:00-17:00; closed 2026-12-24..2026-12-26, 2027-01-01");
		cal_def    *none = parse_ok("UTC; closed 2026-01-01");
		cal_def    *one = parse_ok("UTC; 2026-12-31 09:00-10:00");
		int32_t		r;
		int32_t		fri = (int32_t) civil_days_from_date(2026, 12, 18);

		CHECK("business days: a week of holidays",
			  cal_business_days(def, fri, fri + 14, &r) == CAL_OK && r == 8);
		CHECK("business days: WORKDAY over the holidays",
			  cal_add_business_days(def, fri, 5, &r) == CAL_OK && r == fri + 11);
		CHECK("business days: WORKDAY backwards",
			  cal_add_business_days(def, fri + 11, -5, &r) == CAL_OK && r == fri);
		CHECK("business days: n = 0 is the day itself, open or not",
			  cal_add_business_days(def, fri + 1, 0, &r) == CAL_OK && r == fri + 1);
		CHECK("business days: whole date range",
			  cal_business_days(def, CAL_DATE_MIN, CAL_DATE_MAX, &r) == CAL_OK && r > 1500000000);
		CHECK("business days: reversed whole range",
			  cal_business_days(def, CAL_DATE_MAX, CAL_DATE_MIN, &r) == CAL_OK && r < -1500000000);
		CHECK("business days: past the last date",
			  cal_add_business_days(def, CAL_DATE_MAX - 3, 10, &r) == CAL_OUT_OF_RANGE &&
			  cal_add_business_days(def, CAL_DATE_MIN + 3, -10, &r) == CAL_OUT_OF_RANGE &&
			  cal_business_days(def, CAL_DATE_MIN - 1, 0, &r) == CAL_OUT_OF_RANGE);
		CHECK("business days: INT32_MIN days", cal_add_business_days(def, 0, INT32_MIN, &r) == CAL_OUT_OF_RANGE);
		CHECK("business days: none at all",
			  cal_add_business_days(none, 0, 1, &r) == CAL_NO_OPEN_TIME &&
			  cal_business_days(none, 0, 1000, &r) == CAL_OK && r == 0);
		CHECK("business days: one special day",
			  cal_add_business_days(one, 0, 1, &r) == CAL_OK && r == civil_days_from_date(2026, 12, 31) &&
			  cal_add_business_days(one, 0, 2, &r) == CAL_NO_OPEN_TIME);
		{
			cal_def    *all = parse_ok("UTC; mon-sun 00:00-24:00");

			CHECK("business days: every date of a 24/7 calendar",
				  cal_business_days(all, CAL_DATE_MIN, CAL_DATE_MAX, &r) == CAL_OK &&
				  r == CAL_DATE_MAX - CAL_DATE_MIN &&
				  cal_add_business_days(all, CAL_DATE_MIN, CAL_DATE_MAX - CAL_DATE_MIN, &r) == CAL_OK &&
				  r == CAL_DATE_MAX);
			cal_free(all, &mem);
		}
		cal_free(def, &mem);
		cal_free(none, &mem);
		cal_free(one, &mem);
	}
}

/*
 * Durations over thousands of years count whole 400-year cycles outside the
 * irregular years: they equal the sum of the same stretch in pieces shorter
 * than a cycle, which walk every day.
 */
static int64_t
duration_in_pieces(const cal_def *def, fake_zone *z, int64_t a, int64_t b)
{
	const int64_t piece = (int64_t) 300 * 365 * DAY;
	cal_span	span;
	int64_t		total = 0,
				d = 0;

	cal_span_init(&span, def, fake_to_instant, z, &mem);
	for (int64_t x = a, y; x < b; x = y)
	{
		y = b - x > piece ? x + piece : b;
		if (cal_business_duration(&span, x, y, &d) != CAL_OK)
			return -1;
		total += d;
	}
	cal_span_free(&span);
	return total;
}

static void
test_long_spans(void)
{
	static const struct
	{
		const char *text;
		int			zone;
	}			cals[] = {
		{"Prague; mon-fri 09:00-17:00; closed 2024-12-24..2024-12-26; 2026-12-31 09:00-12:00; 0500-01-04 10:00-11:00", 2},
		{"Apia; mon-sun 00:00-24:00", 5},
		{"Kolkata; sat,sun 22:00-24:00; mon 00:00-02:00; closed 9999-12-31", 1},
	};
	const int64_t year = 365 * DAY;

	for (size_t i = 0; i < sizeof(cals) / sizeof(cals[0]); i++)
	{
		cal_def    *def = parse_ok(cals[i].text);
		fake_zone  *z = &zones[cals[i].zone];
		const int64_t spans[][2] = {
			{civil_days_from_date(1, 1, 1) * DAY + 7 * HOUR, civil_days_from_date(1500, 3, 1) * DAY + 123456789},
			{CAL_TS_MIN, CAL_TS_MIN + 900 * year + 5 * HOUR},
			{CAL_TS_END - 900 * year - 3 * MINUTE, CAL_TS_END - 1},
		};
		cal_span	span;
		int64_t		whole,
					left,
					right,
					mid = civil_days_from_date(2024, 1, 1) * DAY;
		char		name[200];

		cal_span_init(&span, def, fake_to_instant, z, &mem);
		for (size_t k = 0; k < sizeof(spans) / sizeof(spans[0]); k++)
		{
			snprintf(name, sizeof(name), "long span %zu of '%s': whole cycles equal the days walked", k, cals[i].text);
			CHECK(name, cal_business_duration(&span, spans[k][0], spans[k][1], &whole) == CAL_OK &&
				  whole == duration_in_pieces(def, z, spans[k][0], spans[k][1]));
		}
		/*
		 * Adding more than a cycle of open time steps over whole cycles: the
		 * same instant as adding it in pieces smaller than a cycle's open
		 * time, forwards and backwards, from the irregular years and far
		 * from them.
		 */
		{
			const int64_t starts[] = {mid + 17 * MINUTE, civil_days_from_date(300, 5, 5) * DAY,
			civil_days_from_date(5000, 1, 1) * DAY + 9 * HOUR};
			int64_t		cycle_open = 0;

			cal_business_duration(&span, civil_days_from_date(3000, 1, 1) * DAY,
								  civil_days_from_date(3400, 1, 1) * DAY, &cycle_open);
			for (size_t k = 0; k < sizeof(starts) / sizeof(starts[0]); k++)
				for (int sign = -1; sign <= 1; sign += 2)
				{
					int64_t		d = sign * (3 * cycle_open + 12345 * SEC),
								u = 0,
								v = starts[k],
								left = d < 0 ? -d : d,
								back = 0;
					bool		ok = cal_business_add(&span, starts[k], d, &u) == CAL_OK;

					while (ok && left > 0)
					{
						int64_t		piece = left < cycle_open / 3 ? left : cycle_open / 3;

						ok = cal_business_add(&span, v, sign * piece, &v) == CAL_OK;
						left -= piece;
					}
					snprintf(name, sizeof(name), "'%s': adding %s three cycles of open time from start %zu steps over cycles exactly",
							 cals[i].text, sign > 0 ? "" : "minus", k);
					CHECK(name, ok && u == v &&
						  cal_business_duration(&span, sign > 0 ? starts[k] : u, sign > 0 ? u : starts[k], &back) == CAL_OK &&
						  back == (d < 0 ? -d : d));
				}
		}
		/* more open time than is left before the end of the range: 22008, not "no open time" */
		{
			int64_t		u = 0;

			/* (open a part of each week, so 280,000 years of it end past 294276 AD) */
			snprintf(name, sizeof(name), "'%s': adding 280,000 or minus 10,000 years of open time runs out of range",
					 cals[i].text);
			CHECK(name, (def->week_open == 7 * DAY ||
						 cal_business_add(&span, mid, 280000 * year, &u) == CAL_OUT_OF_RANGE) &&
				  cal_business_add(&span, mid, -10000 * year, &u) == CAL_OUT_OF_RANGE);
		}
		/* (a 24/7 calendar's whole range is more microseconds than int64 holds) */
		snprintf(name, sizeof(name), "all of PostgreSQL's range of '%s' adds up at 2024", cals[i].text);
		CHECK(name, cal_business_duration(&span, CAL_TS_MIN, mid, &left) == CAL_OK &&
			  cal_business_duration(&span, mid, CAL_TS_END - 1, &right) == CAL_OK &&
			  (__builtin_add_overflow(left, right, &whole) ?
			   cal_business_duration(&span, CAL_TS_MIN, CAL_TS_END - 1, &whole) == CAL_OUT_OF_RANGE :
			   cal_business_duration(&span, CAL_TS_MIN, CAL_TS_END - 1, &whole) == CAL_OK && whole == left + right));
		cal_span_free(&span);
		cal_free(def, &mem);
	}
}

int
main(void)
{
	make_zones();
	test_civil();
	test_fake_zones();
	test_text();
	test_construct();
	test_binary();
	test_random_text();
	test_days();
	test_errors();
	test_time();
	test_small_window();
	test_long_spans();
	UNIT_EXIT();
}
