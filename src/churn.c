/*
 * churn.c — the churn transition state's checks, merge, text and binary
 * forms.
 *
 * Plain C (no PostgreSQL headers): see churn.h.
 */
#include "churn.h"
#include "civil_days.h"
#include "codec.h"

#include <stdio.h>
#include <string.h>

#define USECS_PER_DAY INT64_C(86400000000)

/* numeric's limits: decimal digits before and after the point */
#define NUMERIC_INT_DIGITS_MAX 131072
#define NUMERIC_FRAC_DIGITS_MAX 16383

const char	churn_merge_period[] = "The states have different periods.";
const char	churn_merge_overflow[] = "The merged counts add up to more than bigint can hold.";

static bool
bound_in_range(int kind, int64_t v)
{
	if (kind == CHURN_KIND_DATE)
		return v >= CHURN_DATE_MIN && v <= CHURN_DATE_END;
	return v >= CHURN_TS_MIN && v < CHURN_TS_END;
}

const char *
churn_check_period(const ChurnState *s)
{
	if (s->kind != CHURN_KIND_DATE && s->kind != CHURN_KIND_TIMESTAMPTZ)
		return "Unknown kind of period.";
	if (!bound_in_range(s->kind, s->lower) || !bound_in_range(s->kind, s->upper))
		return "A bound of the period is out of range.";
	if (s->kind == CHURN_KIND_DATE &&
		(s->flags & CHURN_BOUND_FLAGS) != CHURN_LOWER_INC)
		return "A date period must be in canonical form: [lower,upper).";
	if (s->lower > s->upper ||
		(s->lower == s->upper &&
		 (s->flags & CHURN_BOUND_FLAGS) != CHURN_BOUND_FLAGS))
		return "The period is empty.";
	return NULL;
}

const char *
churn_check(const ChurnState *s)
{
	const char *problem = churn_check_period(s);

	if (problem)
		return problem;
	if ((s->flags & ~CHURN_FLAGS_KNOWN) != 0)
		return "Unknown flags.";
	for (int i = 0; i < (int) sizeof(s->reserved); i++)
		if (s->reserved[i] != 0)
			return "Reserved bytes are not zero.";
	if (s->active < 0 || s->lost < 0)
		return "A count is negative.";
	if (s->lost > s->active)
		return "More customers lost than active at the start.";
	return NULL;
}

const char *
churn_merge(ChurnState *a, const ChurnState *b)
{
	int64_t		active,
				lost;

	if (a->kind != b->kind)
		return "The states have periods of different types.";
	if ((a->flags & CHURN_REVENUE) != (b->flags & CHURN_REVENUE))
		return "Only one of the states sums revenue.";
	if (!churn_same_period(a, b))
		return churn_merge_period;
	if (__builtin_add_overflow(a->active, b->active, &active) ||
		__builtin_add_overflow(a->lost, b->lost, &lost))
		return churn_merge_overflow;
	a->active = active;
	a->lost = lost;
	return NULL;
}

/* ---------- calendar (proleptic Gregorian, as PostgreSQL's) ---------- */

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Writes a bound as PostgreSQL prints it in ISO style and UTC. */
static size_t
format_bound(int kind, int64_t v, char *buf)
{
	int64_t		days = kind == CHURN_KIND_DATE ? v : floor_div(v, USECS_PER_DAY);
	int64_t		year;
	int			month,
				day;
	size_t		n;

	civil_date_from_days(days, &year, &month, &day);
	n = (size_t) sprintf(buf, "%04lld-%02d-%02d",
						 (long long) (year > 0 ? year : 1 - year), month, day);
	if (kind == CHURN_KIND_TIMESTAMPTZ)
	{
		int64_t		usec = v - days * USECS_PER_DAY;
		int64_t		secs = usec / 1000000;
		int			frac = (int) (usec % 1000000);

		n += (size_t) sprintf(buf + n, " %02d:%02d:%02d",
							  (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
		if (frac != 0)
		{
			int			digits = 6;

			while (frac % 10 == 0)
			{
				frac /= 10;
				digits--;
			}
			n += (size_t) sprintf(buf + n, ".%0*d", digits, frac);
		}
		n += (size_t) sprintf(buf + n, "+00");
	}
	if (year <= 0)
		n += (size_t) sprintf(buf + n, " BC");
	return n;
}

size_t
churn_format(const ChurnState *s, char *buf)
{
	size_t		n;

	n = (size_t) sprintf(buf, "v%d %s %c", CHURN_FORMAT_VERSION,
						 s->kind == CHURN_KIND_DATE ? "date" : "timestamptz",
						 (s->flags & CHURN_LOWER_INC) ? '[' : '(');
	n += format_bound(s->kind, s->lower, buf + n);
	buf[n++] = ',';
	n += format_bound(s->kind, s->upper, buf + n);
	n += (size_t) sprintf(buf + n, "%c active=%lld lost=%lld",
						  (s->flags & CHURN_UPPER_INC) ? ']' : ')',
						  (long long) s->active, (long long) s->lost);
	return n;
}

/* ---------- text parser ---------- */

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* At least one space or tab, then whatever else of them follows. */
static const char *
separator(const char *p)
{
	if (*p != ' ' && *p != '\t')
		return NULL;
	return skip_space(p);
}

/* Reads exactly n digits into *value; NULL if they are not there. */
static const char *
fixed_digits(const char *p, int n, int *value)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		if (p[i] < '0' || p[i] > '9')
			return NULL;
		v = v * 10 + (p[i] - '0');
	}
	*value = v;
	return p + n;
}

/*
 * Reads a bound written by format_bound.  Returns the position after it, or
 * NULL with *problem set.
 */
static const char *
parse_bound(const char *p, int kind, int64_t *out, const char **problem)
{
	int64_t		year = 0,
				days,
				check_year;
	int			ydigits = 0,
				month,
				day,
				check_month,
				check_day;
	int64_t		usec = 0;

	*problem = kind == CHURN_KIND_DATE ?
		"Expected a date bound such as 2024-01-31." :
		"Expected a timestamptz bound in UTC such as 2024-01-31 12:00:00+00.";
	while (*p >= '0' && *p <= '9')
	{
		if (++ydigits > 7)
			return NULL;
		year = year * 10 + (*p++ - '0');
	}
	if (ydigits < 4 || *p++ != '-')
		return NULL;
	if ((p = fixed_digits(p, 2, &month)) == NULL || *p++ != '-' ||
		(p = fixed_digits(p, 2, &day)) == NULL)
		return NULL;
	if (kind == CHURN_KIND_TIMESTAMPTZ)
	{
		int			hour,
					minute,
					second,
					frac = 0,
					fdigits = 0;

		if (*p++ != ' ' ||
			(p = fixed_digits(p, 2, &hour)) == NULL || *p++ != ':' ||
			(p = fixed_digits(p, 2, &minute)) == NULL || *p++ != ':' ||
			(p = fixed_digits(p, 2, &second)) == NULL)
			return NULL;
		if (*p == '.')
		{
			p++;
			while (*p >= '0' && *p <= '9')
			{
				if (++fdigits > 6)
					return NULL;
				frac = frac * 10 + (*p++ - '0');
			}
			if (fdigits == 0)
				return NULL;
			while (fdigits++ < 6)
				frac *= 10;
		}
		if (p[0] != '+' || p[1] != '0' || p[2] != '0')
			return NULL;
		p += 3;
		if (hour > 23 || minute > 59 || second > 59)
		{
			*problem = "A time of day is out of range.";
			return NULL;
		}
		usec = ((int64_t) hour * 3600 + minute * 60 + second) * 1000000 + frac;
	}
	if (p[0] == ' ' && p[1] == 'B' && p[2] == 'C')
	{
		p += 3;
		year = 1 - year;		/* 1 BC is year 0 */
	}
	else if (year == 0)
	{
		*problem = "Year 0 does not exist: 1 BC is followed by 1 AD.";
		return NULL;
	}
	if (month < 1 || month > 12 || day < 1 || day > 31)
	{
		*problem = "A date is out of range.";
		return NULL;
	}
	days = civil_days_from_date(year, month, day);
	civil_date_from_days(days, &check_year, &check_month, &check_day);
	if (check_year != year || check_month != month || check_day != day)
	{
		*problem = "A date is out of range.";
		return NULL;
	}
	if (kind == CHURN_KIND_DATE)
	{
		if (days < CHURN_DATE_MIN || days > CHURN_DATE_END)
		{
			*problem = "A date is out of range for type date.";
			return NULL;
		}
		*out = days;
	}
	else
	{
		/* days is checked before it is multiplied, so nothing overflows */
		if (days < CHURN_TS_MIN / USECS_PER_DAY - 1 || days > CHURN_TS_END / USECS_PER_DAY ||
			days * USECS_PER_DAY + usec < CHURN_TS_MIN ||
			days * USECS_PER_DAY + usec >= CHURN_TS_END)
		{
			*problem = "A timestamp is out of range for type timestamptz.";
			return NULL;
		}
		*out = days * USECS_PER_DAY + usec;
	}
	return p;
}

/* "name=" and a count; NULL if not there. */
static const char *
parse_count(const char *p, const char *name, int64_t *value)
{
	size_t		n = strlen(name);

	if (strncmp(p, name, n) != 0 || p[n] != '=')
		return NULL;
	return codec_read_count(p + n + 1, value);
}

/*
 * "name=" and an unsigned decimal within numeric's limits, followed by white
 * space or the end.  Returns the position after it, or NULL with *problem
 * set.
 */
static const char *
parse_decimal(const char *text, const char *p, const char *name, ChurnSpan *span,
			  const char **problem)
{
	size_t		n = strlen(name);
	const char *start;
	long		significant = 0,
				fraction = 0;

	if (strncmp(p, name, n) != 0 || p[n] != '=')
		return NULL;
	*problem = "A revenue sum must be a decimal such as 12.50: digits, optionally a point and more digits.";
	p += n + 1;
	start = p;
	while (*p == '0')
		p++;
	while (*p >= '0' && *p <= '9')
	{
		if (++significant > NUMERIC_INT_DIGITS_MAX)
			return NULL;
		p++;
	}
	if (p == start)
		return NULL;
	if (*p == '.')
	{
		p++;
		while (*p >= '0' && *p <= '9')
		{
			if (++fraction > NUMERIC_FRAC_DIGITS_MAX)
				return NULL;
			p++;
		}
		if (fraction == 0)
			return NULL;
	}
	if (*p != '\0' && *p != ' ' && *p != '\t')
		return NULL;
	span->offset = (size_t) (start - text);
	span->length = (size_t) (p - start);
	*problem = NULL;
	return p;
}

const char *
churn_parse(const char *text, ChurnState *out, ChurnSpan *active_mrr, ChurnSpan *lost_mrr)
{
	const char *p = skip_space(text);
	const char *problem;
	int64_t		version;

	memset(out, 0, sizeof(*out));
	memset(active_mrr, 0, sizeof(*active_mrr));
	memset(lost_mrr, 0, sizeof(*lost_mrr));

	if (*p++ != 'v' || (p = codec_read_count(p, &version)) == NULL)
		return "Expected the format version, v1, at the start.";
	if (version != CHURN_FORMAT_VERSION)
		return "Unknown format version: this version of kpi reads v1.";
	if ((p = separator(p)) == NULL)
		return "Expected the kind of period after the version.";
	if (strncmp(p, "date", 4) == 0)
	{
		out->kind = CHURN_KIND_DATE;
		p += 4;
	}
	else if (strncmp(p, "timestamptz", 11) == 0)
	{
		out->kind = CHURN_KIND_TIMESTAMPTZ;
		p += 11;
	}
	else
		return "Expected the kind of period: date or timestamptz.";
	if ((p = separator(p)) == NULL)
		return "Expected the period after its kind.";

	if (*p == '[')
		out->flags |= CHURN_LOWER_INC;
	else if (*p != '(')
		return "Expected \"[\" or \"(\" at the start of the period.";
	if ((p = parse_bound(p + 1, out->kind, &out->lower, &problem)) == NULL)
		return problem;
	if (*p++ != ',')
		return "Expected \",\" between the bounds of the period.";
	if ((p = parse_bound(p, out->kind, &out->upper, &problem)) == NULL)
		return problem;
	if (*p == ']')
		out->flags |= CHURN_UPPER_INC;
	else if (*p != ')')
		return "Expected \"]\" or \")\" at the end of the period.";
	p++;

	if ((p = separator(p)) == NULL || (p = parse_count(p, "active", &out->active)) == NULL)
		return "Expected active=<count> after the period.";
	if ((p = separator(p)) == NULL || (p = parse_count(p, "lost", &out->lost)) == NULL)
		return "Expected lost=<count> after the active count.";

	p = skip_space(p);
	if (*p != '\0')
	{
		problem = NULL;
		if (p[-1] != ' ' && p[-1] != '\t')
			return "Unexpected text after the lost count.";
		if ((p = parse_decimal(text, p, "active_mrr", active_mrr, &problem)) == NULL)
			return problem ? problem :
				"Expected active_mrr=<decimal> or the end of the text after the lost count.";
		if ((p = separator(p)) == NULL)
			return "Expected lost_mrr=<decimal> after active_mrr.";
		if ((p = parse_decimal(text, p, "lost_mrr", lost_mrr, &problem)) == NULL)
			return problem ? problem : "Expected lost_mrr=<decimal> after active_mrr.";
		if (*skip_space(p) != '\0')
			return "Unexpected text after lost_mrr.";
		out->flags |= CHURN_REVENUE;
	}
	return churn_check(out);
}

/* ---------- binary form ---------- */

void
churn_encode(const ChurnState *s, uint8_t *buf)
{
	buf[0] = CHURN_FORMAT_VERSION;
	buf[1] = s->kind;
	buf[2] = s->flags;
	codec_put_be64(buf + 3, (uint64_t) s->lower);
	codec_put_be64(buf + 11, (uint64_t) s->upper);
	codec_put_be64(buf + 19, (uint64_t) s->active);
	codec_put_be64(buf + 27, (uint64_t) s->lost);
}

/* A big-endian int32 length at *pos and that many bytes; false if not there. */
static bool
decode_span(const uint8_t *buf, size_t len, size_t *pos, ChurnSpan *span)
{
	uint32_t	n;

	if (len - *pos < 4)
		return false;
	n = ((uint32_t) buf[*pos] << 24) | ((uint32_t) buf[*pos + 1] << 16) |
		((uint32_t) buf[*pos + 2] << 8) | buf[*pos + 3];
	*pos += 4;
	if (n > len - *pos)
		return false;
	span->offset = *pos;
	span->length = n;
	*pos += n;
	return true;
}

static unsigned
get_uint16(const uint8_t *buf)
{
	return ((unsigned) buf[0] << 8) | buf[1];
}

/*
 * A revenue sum in numeric's binary form (numeric_send): ndigits, weight,
 * sign and dscale as 16-bit integers, then ndigits base-10000 digits.  Only
 * what numeric_send writes for a finite value >= 0 is accepted (digits
 * without leading or trailing zeros, sign positive), so that numeric_recv
 * takes every accepted sum as it is.
 */
static const char *
check_numeric_binary(const uint8_t *p, size_t len)
{
	unsigned	ndigits;

	if (len < 8)
		return "A revenue sum is truncated.";
	ndigits = get_uint16(p);
	if (len != 8 + 2 * (size_t) ndigits)
		return "A revenue sum has the wrong length for its digits.";
	if (get_uint16(p + 4) != 0)
		return "A revenue sum is negative or not a finite number.";
	if (get_uint16(p + 6) > NUMERIC_FRAC_DIGITS_MAX)
		return "A revenue sum has too many decimal places.";
	for (unsigned i = 0; i < ndigits; i++)
		if (get_uint16(p + 8 + 2 * i) > 9999)
			return "A revenue sum has a digit out of range.";
	if (ndigits > 0 && (get_uint16(p + 8) == 0 || get_uint16(p + 8 + 2 * (ndigits - 1)) == 0))
		return "A revenue sum is not in canonical form.";
	return NULL;
}

const char *
churn_decode(const uint8_t *buf, size_t len, ChurnState *out,
			 ChurnSpan *active_mrr, ChurnSpan *lost_mrr)
{
	size_t		pos = CHURN_BINARY_FIXED;

	memset(out, 0, sizeof(*out));
	memset(active_mrr, 0, sizeof(*active_mrr));
	memset(lost_mrr, 0, sizeof(*lost_mrr));
	if (len < 1)
		return "The value is empty.";
	if (buf[0] != CHURN_FORMAT_VERSION)
		return "Unknown format version.";
	if (len < CHURN_BINARY_FIXED)
		return "The value is too short.";
	out->kind = buf[1];
	out->flags = buf[2];
	out->lower = (int64_t) codec_get_be64(buf + 3);
	out->upper = (int64_t) codec_get_be64(buf + 11);
	out->active = (int64_t) codec_get_be64(buf + 19);
	out->lost = (int64_t) codec_get_be64(buf + 27);
	if (out->flags & CHURN_REVENUE)
	{
		const char *problem;

		if (!decode_span(buf, len, &pos, active_mrr) ||
			!decode_span(buf, len, &pos, lost_mrr))
			return "The revenue sums are truncated.";
		if ((problem = check_numeric_binary(buf + active_mrr->offset, active_mrr->length)) != NULL ||
			(problem = check_numeric_binary(buf + lost_mrr->offset, lost_mrr->length)) != NULL)
			return problem;
	}
	if (pos != len)
		return "Unexpected bytes after the value.";
	return churn_check(out);
}
