/*
 * timeline_format.c
 *		Text and binary forms of kpi_timeline (see timeline.h for both).
 *
 * Instants are written in ISO form in UTC, as PostgreSQL prints a
 * timestamptz with DateStyle ISO and TimeZone UTC, so the text is readable
 * and exact over timestamptz's whole range.  The calendar arithmetic is
 * churn.c's (proleptic Gregorian, checked there against PostgreSQL).
 */
#include <stdio.h>
#include <string.h>

#include "timeline.h"
#include "civil_days.h"
#include "codec.h"

#define USECS_PER_DAY INT64_C(86400000000)

static void
set_err(char *err, size_t errlen, const char *msg)
{
	if (errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

size_t
tl_format_ts(int64_t at, char *buf)
{
	int64_t		days = floor_div(at, USECS_PER_DAY);
	int64_t		usec = at - days * USECS_PER_DAY;
	int64_t		secs = usec / 1000000;
	int			frac = (int) (usec % 1000000);
	int64_t		year;
	int			month,
				day;
	size_t		n;

	civil_date_from_days(days, &year, &month, &day);
	n = (size_t) snprintf(buf, TL_TS_TEXT_MAX, "%04lld-%02d-%02d %02d:%02d:%02d",
						  (long long) (year > 0 ? year : 1 - year), month, day,
						  (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
	if (frac != 0)
	{
		int			digits = 6;

		while (frac % 10 == 0)
		{
			frac /= 10;
			digits--;
		}
		n += (size_t) snprintf(buf + n, TL_TS_TEXT_MAX - n, ".%0*d", digits, frac);
	}
	n += (size_t) snprintf(buf + n, TL_TS_TEXT_MAX - n, "+00%s", year <= 0 ? " BC" : "");
	return n;
}

/* ---------- text output ---------- */

static inline bool
needs_hex(uint8_t c)
{
	return (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f;
}

static size_t
escaped_size(const char *s, size_t len)
{
	size_t		n = 2;			/* the quotes */

	for (size_t i = 0; i < len; i++)
	{
		uint8_t		c = (uint8_t) s[i];

		if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t')
			n += 2;
		else if (needs_hex(c))
			n += 4;
		else
			n += 1;
	}
	return n;
}

static char *
write_escaped(char *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	*out++ = '"';
	for (size_t i = 0; i < len; i++)
	{
		uint8_t		c = (uint8_t) s[i];

		switch (c)
		{
			case '"':
			case '\\':
				*out++ = '\\';
				*out++ = (char) c;
				break;
			case '\n':
				*out++ = '\\';
				*out++ = 'n';
				break;
			case '\r':
				*out++ = '\\';
				*out++ = 'r';
				break;
			case '\t':
				*out++ = '\\';
				*out++ = 't';
				break;
			default:
				if (needs_hex(c))
				{
					*out++ = '\\';
					*out++ = 'x';
					*out++ = hex[c >> 4];
					*out++ = hex[c & 15];
				}
				else
					*out++ = (char) c;
		}
	}
	*out++ = '"';
	return out;
}

size_t
tl_text_size(const tl_value *v, tl_status *st)
{
	const int64_t *at = tl_at(v);
	const uint16_t *code = tl_code(v);
	uint64_t	total = 5;		/* "v1 [" and "]" */

	for (uint32_t i = 0; i < v->nchanges; i++)
	{
		char		ts[TL_TS_TEXT_MAX];
		size_t		len;
		const char *s = tl_status_text(v, code[i], &len);

		total += tl_format_ts(at[i], ts) + 1 + escaped_size(s, len) + (i > 0 ? 2 : 0);
		/* one change adds at most 4 * 1 GB: no wrap before this check */
		if (total >= TL_MAX_SIZE)
		{
			*st = TL_TOO_BIG;
			return 0;
		}
	}
	*st = TL_OK;
	return (size_t) total;
}

void
tl_text_write(const tl_value *v, char *out)
{
	const int64_t *at = tl_at(v);
	const uint16_t *code = tl_code(v);

	memcpy(out, "v1 [", 4);
	out += 4;
	for (uint32_t i = 0; i < v->nchanges; i++)
	{
		size_t		len;
		const char *s = tl_status_text(v, code[i], &len);
		char		ts[TL_TS_TEXT_MAX];
		size_t		tslen = tl_format_ts(at[i], ts);

		if (i > 0)
		{
			*out++ = ',';
			*out++ = ' ';
		}
		memcpy(out, ts, tslen);
		out += tslen;
		*out++ = ' ';
		out = write_escaped(out, s, len);
	}
	*out++ = ']';
	*out = '\0';
}

/* ---------- text input ---------- */

typedef struct cursor
{
	const char *p;
	const char *end;
} cursor;

static inline int
peek(const cursor *c)
{
	return c->p < c->end ? (uint8_t) *c->p : -1;
}

static inline bool
is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static void
skip_space(cursor *c)
{
	while (is_space(peek(c)))
		c->p++;
}

static bool
take(cursor *c, int ch)
{
	if (peek(c) != ch)
		return false;
	c->p++;
	return true;
}

/* Exactly n digits into *value. */
static bool
fixed_digits(cursor *c, int n, int *value)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		int			ch = peek(c);

		if (ch < '0' || ch > '9')
			return false;
		v = v * 10 + (ch - '0');
		c->p++;
	}
	*value = v;
	return true;
}

/*
 * Reads an instant written by tl_format_ts.  Returns TL_OK, or TL_SYNTAX /
 * TL_BAD_TIME with a reason in *problem.
 */
static tl_status
parse_ts(cursor *c, int64_t *out, const char **problem)
{
	int64_t		year = 0,
				days,
				check_year,
				usec;
	int			ydigits = 0,
				month,
				day,
				hour,
				minute,
				second,
				frac = 0,
				fdigits = 0,
				check_month,
				check_day;
	const char *save;

	*problem = "Expected an instant in UTC such as 2024-01-31 12:00:00+00.";
	while (peek(c) >= '0' && peek(c) <= '9')
	{
		if (++ydigits > 7)
			return TL_SYNTAX;
		year = year * 10 + (*c->p++ - '0');
	}
	if (ydigits < 4 || !take(c, '-') ||
		!fixed_digits(c, 2, &month) || !take(c, '-') ||
		!fixed_digits(c, 2, &day) || !take(c, ' ') ||
		!fixed_digits(c, 2, &hour) || !take(c, ':') ||
		!fixed_digits(c, 2, &minute) || !take(c, ':') ||
		!fixed_digits(c, 2, &second))
		return TL_SYNTAX;
	if (take(c, '.'))
	{
		while (peek(c) >= '0' && peek(c) <= '9')
		{
			if (++fdigits > 6)
				return TL_SYNTAX;
			frac = frac * 10 + (*c->p++ - '0');
		}
		if (fdigits == 0)
			return TL_SYNTAX;
		while (fdigits++ < 6)
			frac *= 10;
	}
	if (!take(c, '+') || !take(c, '0') || !take(c, '0'))
		return TL_SYNTAX;
	/* " BC", after any white space */
	save = c->p;
	skip_space(c);
	if (c->p != save && take(c, 'B'))
	{
		if (!take(c, 'C'))
			return TL_SYNTAX;
		year = 1 - year;		/* 1 BC is year 0 */
	}
	else
	{
		c->p = save;
		if (year == 0)
		{
			*problem = "Year 0 does not exist: 1 BC is followed by 1 AD.";
			return TL_SYNTAX;
		}
	}
	if (hour > 23 || minute > 59 || second > 59)
	{
		*problem = "A time of day is out of range.";
		return TL_SYNTAX;
	}
	if (month < 1 || month > 12 || day < 1 || day > 31)
	{
		*problem = "A date is out of range.";
		return TL_SYNTAX;
	}
	days = civil_days_from_date(year, month, day);
	civil_date_from_days(days, &check_year, &check_month, &check_day);
	if (check_year != year || check_month != month || check_day != day)
	{
		*problem = "A date is out of range.";
		return TL_SYNTAX;
	}
	usec = ((int64_t) hour * 3600 + minute * 60 + second) * 1000000 + frac;
	/* |days| < 10^10, so nothing overflows before the range check */
	if (days < TL_TS_MIN / USECS_PER_DAY - 1 || days > TL_TS_END / USECS_PER_DAY ||
		days * USECS_PER_DAY + usec < TL_TS_MIN ||
		days * USECS_PER_DAY + usec >= TL_TS_END)
	{
		*problem = "An instant is out of range for type timestamptz.";
		return TL_BAD_TIME;
	}
	*out = days * USECS_PER_DAY + usec;
	return TL_OK;
}

static int
hex_value(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Reads a quoted status into buf (room for the rest of the input). */
static bool
parse_quoted(cursor *c, char *buf, size_t *len, const char **problem)
{
	size_t		n = 0;

	if (!take(c, '"'))
	{
		*problem = "Expected a status in double quotes.";
		return false;
	}
	for (;;)
	{
		int			ch = peek(c);

		if (ch < 0)
		{
			*problem = "A status has no closing quote.";
			return false;
		}
		c->p++;
		if (ch == '"')
			break;
		if (ch == 0)
		{
			*problem = "A status contains a NUL byte.";
			return false;
		}
		if (ch == '\\')
		{
			int			e = peek(c);

			if (e < 0)
			{
				*problem = "A status has no closing quote.";
				return false;
			}
			c->p++;
			switch (e)
			{
				case '"':
				case '\\':
					buf[n++] = (char) e;
					break;
				case 'n':
					buf[n++] = '\n';
					break;
				case 'r':
					buf[n++] = '\r';
					break;
				case 't':
					buf[n++] = '\t';
					break;
				case 'x':
					{
						int			hi = hex_value(peek(c)),
									lo;

						if (hi >= 0)
							c->p++;
						lo = hex_value(peek(c));
						if (hi < 0 || lo < 0)
						{
							*problem = "\\x must be followed by two hex digits.";
							return false;
						}
						c->p++;
						if (hi == 0 && lo == 0)
						{
							*problem = "A status cannot contain a NUL byte (\\x00).";
							return false;
						}
						buf[n++] = (char) (hi * 16 + lo);
						break;
					}
				default:
					*problem = "Unknown escape in a status: use \\\", \\\\, \\n, \\r, \\t or \\xHH.";
					return false;
			}
			continue;
		}
		buf[n++] = (char) ch;
	}
	*len = n;
	return true;
}

tl_value *
tl_from_text(const char *text, size_t len, const tl_mem *mem, size_t *size,
			 tl_status *st, char *err, size_t errlen)
{
	cursor		c = {text, text + len};
	tl_work    *w;
	tl_value   *out = NULL;
	char	   *buf = NULL;
	const char *problem = NULL;

	*st = TL_SYNTAX;
	skip_space(&c);
	if (!take(&c, 'v') || !take(&c, '1') || (peek(&c) >= '0' && peek(&c) <= '9'))
	{
		set_err(err, errlen, "Expected \"v1 [\" at the start (the text form version 1).");
		return NULL;
	}
	skip_space(&c);
	if (!take(&c, '['))
	{
		set_err(err, errlen, "Expected \"[\" after \"v1\".");
		return NULL;
	}
	w = tl_work_new(mem, st);
	if (w == NULL)
	{
		set_err(err, errlen, tl_status_message(*st));
		return NULL;
	}
	/* unescaping never lengthens a status */
	buf = mem->alloc(mem->ctx, len > 0 ? len : 1);
	if (buf == NULL)
	{
		*st = TL_NO_MEMORY;
		problem = tl_status_message(*st);
		goto done;
	}
	skip_space(&c);
	if (!take(&c, ']'))
	{
		for (;;)
		{
			int64_t		at;
			size_t		slen;
			tl_work    *n;

			*st = parse_ts(&c, &at, &problem);
			if (*st != TL_OK)
				goto done;
			skip_space(&c);
			if (!parse_quoted(&c, buf, &slen, &problem))
			{
				*st = TL_SYNTAX;
				goto done;
			}
			n = tl_work_add(w, at, buf, slen, mem, st);
			if (n == NULL)
			{
				problem = tl_status_message(*st);
				goto done;
			}
			if (n != w)
			{
				mem->free(mem->ctx, w);
				w = n;
			}
			skip_space(&c);
			if (take(&c, ']'))
				break;
			if (!take(&c, ','))
			{
				*st = TL_SYNTAX;
				problem = "Expected \",\" or \"]\" after a change.";
				goto done;
			}
			skip_space(&c);
		}
	}
	skip_space(&c);
	if (c.p != c.end)
	{
		*st = TL_SYNTAX;
		problem = "Unexpected text after \"]\".";
		goto done;
	}
	out = tl_pack(&w->head, mem, size, st);
	if (out == NULL)
		problem = tl_status_message(*st);
done:
	if (problem != NULL)
		set_err(err, errlen, problem);
	if (buf != NULL)
		mem->free(mem->ctx, buf);
	mem->free(mem->ctx, w);
	return out;
}

/* ---------- binary form ---------- */

#define WIRE_HEADER 10

size_t
tl_wire_size(const tl_value *v)
{
	return WIRE_HEADER + (size_t) v->nstatuses * 4 + v->strbytes + (size_t) v->nchanges * 10;
}

static uint8_t *
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v >> 24);
	p[1] = (uint8_t) (v >> 16);
	p[2] = (uint8_t) (v >> 8);
	p[3] = (uint8_t) v;
	return p + 4;
}

static uint32_t
get_be32(const uint8_t *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
		((uint32_t) p[2] << 8) | p[3];
}

void
tl_wire_write(const tl_value *v, uint8_t *out)
{
	const int64_t *at = tl_at(v);
	const uint16_t *code = tl_code(v);

	*out++ = TL_VERSION;
	*out++ = 0;
	out = put_be32(out, v->nstatuses);
	out = put_be32(out, v->nchanges);
	for (uint32_t i = 0; i < v->nstatuses; i++)
	{
		size_t		len;
		const char *s = tl_status_text(v, i, &len);

		out = put_be32(out, (uint32_t) len);
		memcpy(out, s, len);
		out += len;
	}
	for (uint32_t i = 0; i < v->nchanges; i++)
	{
		codec_put_be64(out, (uint64_t) at[i]);
		out[8] = (uint8_t) (code[i] >> 8);
		out[9] = (uint8_t) code[i];
		out += 10;
	}
}

static tl_value *
wire_fail(tl_status *st, tl_status what, char *err, size_t errlen, const char *msg)
{
	*st = what;
	set_err(err, errlen, msg);
	return NULL;
}

tl_value *
tl_from_wire(const uint8_t *buf, size_t len, const tl_mem *mem, size_t *size,
			 tl_status *st, char *err, size_t errlen)
{
	uint32_t	k,
				n;
	size_t		pos,
				strbytes = 0,
				changes_at,
				out_size;
	const uint8_t *prev = NULL;
	uint32_t	prev_len = 0;
	uint64_t	used[TL_MAX_STATUSES / 64 + 1];
	tl_value   *out;
	int64_t    *oat;
	uint32_t   *oend;
	uint16_t   *ocode;
	char	   *ostr;

	if (len < 1)
		return wire_fail(st, TL_CORRUPT, err, errlen, "The data is empty.");
	if (buf[0] != TL_VERSION)
		return wire_fail(st, TL_BAD_VERSION, err, errlen,
						 "The data has a format version this build does not read.");
	if (len < WIRE_HEADER)
		return wire_fail(st, TL_CORRUPT, err, errlen, "The data is shorter than its header.");
	if (buf[1] != 0)
		return wire_fail(st, TL_CORRUPT, err, errlen, "The reserved byte is not zero.");
	k = get_be32(buf + 2);
	n = get_be32(buf + 6);
	if (k > TL_MAX_STATUSES)
		return wire_fail(st, TL_CORRUPT, err, errlen, "More statuses than a timeline holds.");
	if ((k == 0) != (n == 0))
		return wire_fail(st, TL_CORRUPT, err, errlen,
						 "A timeline without changes has statuses, or one with changes has none.");
	if ((uint64_t) k * 4 + (uint64_t) n * 10 > len - WIRE_HEADER)
		return wire_fail(st, TL_CORRUPT, err, errlen, "The counts run past the end of the data.");

	/* the dictionary: distinct, sorted bytewise, no NUL */
	pos = WIRE_HEADER;
	for (uint32_t i = 0; i < k; i++)
	{
		uint32_t	slen;
		const uint8_t *s;
		size_t		common;
		int			cmp;

		if (len - pos < 4)
			return wire_fail(st, TL_CORRUPT, err, errlen, "A status runs past the end of the data.");
		slen = get_be32(buf + pos);
		pos += 4;
		if (slen > len - pos)
			return wire_fail(st, TL_CORRUPT, err, errlen, "A status runs past the end of the data.");
		s = buf + pos;
		pos += slen;
		strbytes += slen;
		if (memchr(s, 0, slen) != NULL)
			return wire_fail(st, TL_CORRUPT, err, errlen, "A status contains a NUL byte.");
		if (i > 0)
		{
			common = prev_len < slen ? prev_len : slen;
			cmp = memcmp(prev, s, common);
			if (cmp > 0 || (cmp == 0 && prev_len >= slen))
				return wire_fail(st, TL_CORRUPT, err, errlen,
								 "The statuses are not sorted and distinct.");
		}
		prev = s;
		prev_len = slen;
	}
	if ((uint64_t) n * 10 != len - pos)
		return wire_fail(st, TL_CORRUPT, err, errlen,
						 "The changes do not fill the rest of the data exactly.");
	changes_at = pos;

	/* the changes: in range, strictly increasing, every status used */
	memset(used, 0, ((size_t) k + 63) / 64 * 8);
	for (uint32_t i = 0; i < n; i++)
	{
		const uint8_t *p = buf + changes_at + (size_t) i * 10;
		int64_t		at = (int64_t) codec_get_be64(p);
		uint32_t	c = ((uint32_t) p[8] << 8) | p[9];

		if (at < TL_TS_MIN || at >= TL_TS_END)
			return wire_fail(st, TL_CORRUPT, err, errlen, "An instant is out of range for type timestamptz.");
		if (c >= k)
			return wire_fail(st, TL_CORRUPT, err, errlen, "A change's status index is out of range.");
		if (i > 0)
		{
			int64_t		pat = (int64_t) codec_get_be64(p - 10);
			uint32_t	pc = ((uint32_t) p[-2] << 8) | p[-1];

			if (at < pat || (at == pat && c <= pc))
				return wire_fail(st, TL_CORRUPT, err, errlen,
								 "The changes are not sorted and distinct.");
		}
		used[c >> 6] |= UINT64_C(1) << (c & 63);
	}
	for (uint32_t c = 0; c < k; c++)
		if (!((used[c >> 6] >> (c & 63)) & 1))
			return wire_fail(st, TL_CORRUPT, err, errlen,
							 "A status is in the dictionary but no change uses it.");

	out_size = tl_packed_size_of(n, k, (uint32_t) strbytes);
	if (out_size > TL_MAX_SIZE)
		return wire_fail(st, TL_TOO_BIG, err, errlen, tl_status_message(TL_TOO_BIG));
	out = mem->alloc(mem->ctx, out_size);
	if (out == NULL)
		return wire_fail(st, TL_NO_MEMORY, err, errlen, tl_status_message(TL_NO_MEMORY));
	out->vl_len_ = 0;
	out->version = TL_VERSION;
	out->layout = TL_PACKED;
	out->nstatuses = (uint16_t) k;
	out->nchanges = n;
	out->strbytes = (uint32_t) strbytes;
	oat = (int64_t *) tl_at(out);
	oend = (uint32_t *) tl_str_end(out);
	ocode = (uint16_t *) tl_code(out);
	ostr = (char *) tl_str(out);
	pos = WIRE_HEADER;
	strbytes = 0;
	for (uint32_t i = 0; i < k; i++)
	{
		uint32_t	slen = get_be32(buf + pos);

		memcpy(ostr + strbytes, buf + pos + 4, slen);
		strbytes += slen;
		oend[i] = (uint32_t) strbytes;
		pos += 4 + (size_t) slen;
	}
	for (uint32_t i = 0; i < n; i++)
	{
		const uint8_t *p = buf + changes_at + (size_t) i * 10;

		oat[i] = (int64_t) codec_get_be64(p);
		ocode[i] = (uint16_t) (((uint32_t) p[8] << 8) | p[9]);
	}
	*size = out_size;
	*st = TL_OK;
	return out;
}
