/*
 * calendar_parse.c
 *		The kpi_calendar text form: parser, constructor and canonical
 *		formatter.
 *
 *	calendar := zone { ";" clause } [ ";" ]
 *	clause   := "closed" dates
 *			  | days ranges			weekly hours
 *			  | dates ranges		special hours on those dates
 *	days     := day [ "-" day ] { "," day [ "-" day ] }	  mon..sun; fri-mon wraps
 *	dates    := date [ ".." date ] { "," date [ ".." date ] }	  YYYY-MM-DD
 *	ranges   := time "-" time { "," time "-" time }	 H[H]:MM[:SS], end up to 24:00
 *
 * Names are case-insensitive; blanks may surround every separator.  The
 * canonical text is what calendar_build.c makes of it: zone; the weekly
 * hours, days with equal hours in one clause; one closed clause; one clause
 * per special entry, in date order.
 */
#include <string.h>
#include <strings.h>

#include "calendar_int.h"

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* ---- parsing ---- */

typedef struct pstate
{
	cal_raw    *raw;
	cal_error  *err;
	int			clause;			/* 1-based, for messages */
	const char *cstart;			/* the clause, trimmed */
	const char *cend;
	const char *p;
} pstate;

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void
skip_blanks(pstate *ps)
{
	while (ps->p < ps->cend && is_blank(*ps->p))
		ps->p++;
}

/* Fails with a message naming the clause (its first 60 bytes, printable) */
static bool
fail(pstate *ps, cal_status code, const char *what)
{
	char		shown[64];
	size_t		n = 0;

	if (ps->err->code != CAL_OK)
		return false;			/* keep the first, most precise message */
	for (const char *c = ps->cstart; c < ps->cend && n < 60; c++)
		shown[n++] = (*c >= ' ' && *c <= '~' && *c != '"') ? *c : '?';
	shown[n] = '\0';
	cal_set_error(ps->err, code, "clause %d \"%s%s\": %s", ps->clause, shown,
				  ps->cend - ps->cstart > 60 ? "..." : "", what);
	return false;
}

/* Puts the clause into a message that a lower level already set. */
static bool
fail_again(pstate *ps)
{
	char		what[CAL_MESSAGE_MAX];
	cal_status	code = ps->err->code;

	memcpy(what, ps->err->message, sizeof(what));
	ps->err->code = CAL_OK;
	return fail(ps, code, what);
}

/* Reads exactly n digits. */
static bool
read_digits(pstate *ps, int n, int *value)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		if (ps->p >= ps->cend || !is_digit(*ps->p))
			return false;
		v = v * 10 + (*ps->p++ - '0');
	}
	*value = v;
	return true;
}

static bool
expect(pstate *ps, char c)
{
	if (ps->p < ps->cend && *ps->p == c)
	{
		ps->p++;
		return true;
	}
	return false;
}

/* H[H]:MM[:SS], at most 24:00 */
static bool
parse_time(pstate *ps, int64_t *usec)
{
	int			h = 0,
				m,
				s = 0,
				digits = 0;

	while (ps->p < ps->cend && is_digit(*ps->p) && digits < 2)
	{
		h = h * 10 + (*ps->p++ - '0');
		digits++;
	}
	if (digits == 0 || !expect(ps, ':') || !read_digits(ps, 2, &m))
		return fail(ps, CAL_SYNTAX, "expected a time HH:MM[:SS]");
	if (expect(ps, ':') && !read_digits(ps, 2, &s))
		return fail(ps, CAL_SYNTAX, "expected seconds after HH:MM:");
	if (ps->p < ps->cend && (is_digit(*ps->p) || *ps->p == '.' || *ps->p == ':'))
		return fail(ps, CAL_SYNTAX, "expected a time HH:MM[:SS]");
	if (m > 59 || s > 59 || h > 24 || (h == 24 && (m || s)))
		return fail(ps, CAL_SYNTAX, "time out of range (00:00 to 24:00)");
	*usec = ((int64_t) h * 3600 + m * 60 + s) * CAL_USECS_PER_SEC;
	return true;
}

/* YYYY-MM-DD, years 0001..9999 */
static bool
parse_date(pstate *ps, int32_t *day)
{
	int			y,
				m,
				d;
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (!read_digits(ps, 4, &y) || !expect(ps, '-') || !read_digits(ps, 2, &m) ||
		!expect(ps, '-') || !read_digits(ps, 2, &d) ||
		(ps->p < ps->cend && is_digit(*ps->p)))
		return fail(ps, CAL_SYNTAX, "expected a date YYYY-MM-DD");
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
		(m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return fail(ps, CAL_SYNTAX, "no such date");
	*day = (int32_t) civil_days_from_date(y, m, d);
	return true;
}

/* Does a date (4 digits and '-') start here? */
static bool
at_date(const pstate *ps)
{
	const char *q = ps->p;

	for (int i = 0; i < 4; i++, q++)
		if (q >= ps->cend || !is_digit(*q))
			return false;
	return q < ps->cend && *q == '-';
}

/* date [ ".." date ] */
static bool
parse_date_item(pstate *ps, int32_t *first, int32_t *last)
{
	if (!parse_date(ps, first))
		return false;
	*last = *first;
	skip_blanks(ps);
	if (ps->p + 1 < ps->cend && ps->p[0] == '.' && ps->p[1] == '.')
	{
		ps->p += 2;
		skip_blanks(ps);
		if (!parse_date(ps, last))
			return false;
		if (*last < *first)
			return fail(ps, CAL_SYNTAX, "date range ends before it starts");
		skip_blanks(ps);
	}
	return true;
}

/*
 * ranges to the end of the clause; each is added as weekly hours for the
 * weekdays in mask, or (mask = 0) as special ranges.
 */
static bool
parse_ranges(pstate *ps, int mask)
{
	for (;;)
	{
		int64_t		start,
					end;

		skip_blanks(ps);
		if (!parse_time(ps, &start))
			return false;
		skip_blanks(ps);
		if (!expect(ps, '-'))
			return fail(ps, CAL_SYNTAX, "expected \"-\" between the start and end of a range");
		skip_blanks(ps);
		if (!parse_time(ps, &end))
			return false;
		if (end <= start)
			return fail(ps, CAL_SYNTAX, "a range must end after it starts (write a night shift as two ranges)");
		if (mask == 0)
		{
			if (!cal_raw_srange_add(ps->raw, start, end, ps->err))
				return fail_again(ps);
		}
		else
			for (int w = 0; w < 7; w++)
				if ((mask & (1 << w)) &&
					!cal_raw_week_add(ps->raw, w, start, end, ps->err))
					return fail_again(ps);
		skip_blanks(ps);
		if (ps->p == ps->cend)
			return true;
		if (!expect(ps, ','))
			return fail(ps, CAL_SYNTAX, "expected \",\" or the end of the clause after a range");
	}
}

static bool
parse_day(pstate *ps, int *w)
{
	if (ps->cend - ps->p >= 3 && !(ps->cend - ps->p > 3 && is_alpha(ps->p[3])))
	{
		for (int i = 0; i < 7; i++)
		{
			bool		same = true;

			for (int k = 0; k < 3; k++)
				if ((ps->p[k] | 0x20) != day_names[i][k])
					same = false;
			if (same)
			{
				*w = i;
				ps->p += 3;
				return true;
			}
		}
	}
	return fail(ps, CAL_SYNTAX, "expected a day name (mon, tue, wed, thu, fri, sat, sun) or \"closed\"");
}

/* days ranges */
static bool
parse_weekly(pstate *ps)
{
	int			mask = 0;

	for (;;)
	{
		int			a,
					b;

		if (!parse_day(ps, &a))
			return false;
		b = a;
		skip_blanks(ps);
		if (expect(ps, '-'))
		{
			skip_blanks(ps);
			if (!parse_day(ps, &b))
				return false;
			skip_blanks(ps);
		}
		for (int w = a;; w = (w + 1) % 7)
		{
			mask |= 1 << w;
			if (w == b)
				break;
		}
		if (!expect(ps, ','))
			break;
		skip_blanks(ps);
	}
	if (ps->p == ps->cend || !is_digit(*ps->p))
		return fail(ps, CAL_SYNTAX, "expected opening hours after the days");
	return parse_ranges(ps, mask);
}

/*
 * dates, then (special) ranges or the end of the clause (closed).  The
 * dates are read twice: first to find the ranges, then to add the entries.
 */
static bool
parse_dated(pstate *ps, bool closed)
{
	const char *dates = ps->p;
	uint32_t	mark = ps->raw->nsranges;
	int32_t		first,
				last;

	for (;;)
	{
		if (!parse_date_item(ps, &first, &last))
			return false;
		if (!expect(ps, ','))
			break;
		skip_blanks(ps);
	}
	if (closed)
	{
		if (ps->p != ps->cend)
			return fail(ps, CAL_SYNTAX, "expected \",\" or the end of the clause after a closed date");
	}
	else
	{
		if (ps->p == ps->cend || !is_digit(*ps->p))
			return fail(ps, CAL_SYNTAX, "expected opening hours after the dates");
		if (!parse_ranges(ps, 0))
			return false;
	}
	ps->p = dates;
	for (;;)
	{
		parse_date_item(ps, &first, &last);
		if (closed ? !cal_raw_closed_add(ps->raw, first, last, ps->err) :
			!cal_raw_special_add(ps->raw, first, last, mark, ps->err))
			return fail_again(ps);
		if (!expect(ps, ','))
			break;
		skip_blanks(ps);
	}
	return true;
}

static bool
parse_clause(pstate *ps)
{
	const char *p = ps->p;

	if (ps->cend - p >= 6 && strncasecmp(p, "closed", 6) == 0 &&
		(ps->cend - p == 6 || !is_alpha(p[6])))
	{
		ps->p += 6;
		skip_blanks(ps);
		if (ps->p == p + 6 && ps->p != ps->cend)
			return fail(ps, CAL_SYNTAX, "expected dates after \"closed\"");
		if (ps->p == ps->cend)
			return fail(ps, CAL_SYNTAX, "expected dates after \"closed\"");
		return parse_dated(ps, true);
	}
	if (at_date(ps))
		return parse_dated(ps, false);
	return parse_weekly(ps);
}

/* Sets ps to clause number n spanning [start, end), trimmed. */
static void
set_clause(pstate *ps, int n, const char *start, const char *end)
{
	while (start < end && is_blank(*start))
		start++;
	while (end > start && is_blank(end[-1]))
		end--;
	ps->clause = n;
	ps->cstart = ps->p = start;
	ps->cend = end;
}

/*
 * Parses the clauses in [p, end) (the hours, after the zone); clauses are
 * numbered from first_clause.
 */
static bool
parse_clauses(pstate *ps, const char *p, const char *end, int first_clause)
{
	int			n = first_clause;

	while (p < end)
	{
		const char *semi = memchr(p, ';', end - p);
		const char *cend = semi ? semi : end;

		set_clause(ps, n, p, cend);
		if (ps->cstart == ps->cend)
		{
			/* a trailing ";" is fine, an empty clause between two is not */
			if (semi == NULL)
				return true;
			return fail(ps, CAL_SYNTAX, "empty clause");
		}
		if (memchr(ps->cstart, '\0', ps->cend - ps->cstart))
			return fail(ps, CAL_SYNTAX, "contains a NUL byte");
		if (!parse_clause(ps))
			return false;
		if (semi == NULL)
			break;
		p = semi + 1;
		n++;
	}
	return true;
}

static cal_def *
finish(cal_raw *raw, bool ok, cal_error *err)
{
	cal_def    *def = ok ? cal_build(raw, err) : NULL;

	cal_raw_free(raw);
	return def;
}

cal_def *
cal_parse(const char *text, size_t len, const cal_alloc *mem, cal_error *err)
{
	cal_raw		raw;
	pstate		ps;
	const char *end = text + len;
	const char *semi = memchr(text, ';', len);

	err->code = CAL_OK;
	err->message[0] = '\0';
	cal_raw_init(&raw, mem);
	ps.raw = &raw;
	ps.err = err;
	set_clause(&ps, 1, text, semi ? semi : end);
	if (ps.cstart == ps.cend)
		return finish(&raw, fail(&ps, CAL_SYNTAX, "expected a time zone name first"), err);
	if (!cal_zone_valid(ps.cstart, ps.cend - ps.cstart))
		return finish(&raw, fail(&ps, CAL_SYNTAX, "not a time zone name"), err);
	raw.zone_len = (uint32_t) (ps.cend - ps.cstart);
	memcpy(raw.zone, ps.cstart, raw.zone_len);
	return finish(&raw, semi == NULL || parse_clauses(&ps, semi + 1, end, 2), err);
}

cal_def *
cal_construct(const char *zone, size_t zone_len, const char *hours,
			  size_t hours_len, const int32_t *closed, size_t nclosed,
			  const cal_alloc *mem, cal_error *err)
{
	cal_raw		raw;
	pstate		ps;

	err->code = CAL_OK;
	err->message[0] = '\0';
	cal_raw_init(&raw, mem);
	if (!cal_zone_valid(zone, zone_len))
	{
		cal_set_error(err, CAL_SYNTAX, "zone: not a time zone name");
		return finish(&raw, false, err);
	}
	raw.zone_len = (uint32_t) zone_len;
	memcpy(raw.zone, zone, zone_len);
	for (size_t i = 0; i < nclosed; i++)
	{
		if (closed[i] < CAL_TEXT_DAY_MIN || closed[i] > CAL_TEXT_DAY_MAX)
		{
			cal_set_error(err, CAL_OUT_OF_RANGE,
						  "closed: a date outside 0001-01-01 .. 9999-12-31");
			return finish(&raw, false, err);
		}
		if (!cal_raw_closed_add(&raw, closed[i], closed[i], err))
			return finish(&raw, false, err);
	}
	ps.raw = &raw;
	ps.err = err;
	return finish(&raw, parse_clauses(&ps, hours, hours + hours_len, 1), err);
}

/* ---- canonical text ---- */

typedef struct writer
{
	char	   *buf;
	size_t		cap;
	size_t		len;
} writer;

static void
put(writer *w, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, w->len++)
		if (w->len + 1 < w->cap)
			w->buf[w->len] = s[i];
}

static void
puts_(writer *w, const char *s)
{
	put(w, s, strlen(s));
}

static void
put_digits(writer *w, int64_t v, int width)
{
	char		d[24];
	int			n = 0;

	do
	{
		d[n++] = (char) ('0' + v % 10);
		v /= 10;
	} while (v > 0 || n < width);
	while (n > 0)
		put(w, &d[--n], 1);
}

static void
put_time(writer *w, int64_t usec)
{
	int64_t		s = usec / CAL_USECS_PER_SEC;

	put_digits(w, s / 3600, 2);
	put(w, ":", 1);
	put_digits(w, s / 60 % 60, 2);
	if (s % 60)
	{
		put(w, ":", 1);
		put_digits(w, s % 60, 2);
	}
}

static void
put_ranges(writer *w, const cal_range *r, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
	{
		if (i)
			put(w, ", ", 2);
		put_time(w, r[i].start);
		put(w, "-", 1);
		put_time(w, r[i].end);
	}
}

static void
put_date(writer *w, int32_t day)
{
	int64_t		y;
	int			m,
				d;

	civil_date_from_days(day, &y, &m, &d);
	put_digits(w, y, 4);
	put(w, "-", 1);
	put_digits(w, m, 2);
	put(w, "-", 1);
	put_digits(w, d, 2);
}

static void
put_dates(writer *w, int32_t first, int32_t last)
{
	put_date(w, first);
	if (last != first)
	{
		put(w, "..", 2);
		put_date(w, last);
	}
}

static bool
same_week_hours(const cal_def *def, int a, int b)
{
	uint32_t	na = def->week_off[a + 1] - def->week_off[a],
				nb = def->week_off[b + 1] - def->week_off[b];

	return na == nb &&
		memcmp(&def->ranges[def->week_off[a]], &def->ranges[def->week_off[b]],
			   na * sizeof(cal_range)) == 0;
}

size_t
cal_format(const cal_def *def, char *buf, size_t cap)
{
	writer		w = {buf, cap, 0};
	int			done = 0;

	put(&w, def->zone, def->zone_len);
	for (int a = 0; a < 7; a++)
	{
		int			mask = 0;
		bool		first = true;

		if (!(def->week_mask & (1 << a)) || (done & (1 << a)))
			continue;
		for (int b = a; b < 7; b++)
			if (same_week_hours(def, a, b))
				mask |= 1 << b;
		done |= mask;
		put(&w, "; ", 2);
		/* runs of days: mon-fri, or a single day */
		for (int d = 0; d < 7; d++)
		{
			int			e = d;

			if (!(mask & (1 << d)))
				continue;
			while (e + 1 < 7 && (mask & (1 << (e + 1))))
				e++;
			if (!first)
				put(&w, ",", 1);
			first = false;
			puts_(&w, day_names[d]);
			if (e > d)
			{
				put(&w, "-", 1);
				puts_(&w, day_names[e]);
			}
			d = e;
		}
		put(&w, " ", 1);
		put_ranges(&w, &def->ranges[def->week_off[a]],
				   def->week_off[a + 1] - def->week_off[a]);
	}
	if (def->nclosed)
	{
		put(&w, "; closed ", 9);
		for (uint32_t i = 0; i < def->nclosed; i++)
		{
			if (i)
				put(&w, ", ", 2);
			put_dates(&w, def->closed[i].first, def->closed[i].last);
		}
	}
	for (uint32_t i = 0; i < def->nspecial; i++)
	{
		put(&w, "; ", 2);
		put_dates(&w, def->special[i].first, def->special[i].last);
		put(&w, " ", 1);
		put_ranges(&w, &def->ranges[def->special[i].off], def->special[i].n);
	}
	if (cap > 0)
		buf[w.len < cap ? w.len : cap - 1] = '\0';
	return w.len;
}
