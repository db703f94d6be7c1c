/*
 * hist_format.c
 *		Text and binary forms of kpi_hist, and the validation both share.
 *
 * Text form (version 1), one line, single spaces, microseconds:
 *
 *	kpi_hist v1 count=3 pending=1 sum_us=5400000000 min_us=600000000
 *		max_us=3600000000 buckets=1432:1,1458:2
 *
 * buckets lists key:count for every non-empty bucket, keys strictly
 * increasing (the keys are hist_bucket.c's, fixed for a format version).
 * Numbers are written in their one canonical form (no '+', no leading zeros,
 * no "-0"), and only that form is read, so equal values have equal text.
 *
 * Binary form (send/recv), big-endian: version byte (1), a reserved byte
 * (0), count, pending, sum high word, sum low word, min, max (8 bytes each),
 * then the bucket runs exactly as a PACKED value stores them.
 *
 * Both readers check every field against every other (see validate()), so a
 * value that gets in is one the aggregate could have built.  Neither reads
 * past the given length.
 */
#include <stdio.h>
#include <string.h>

#include "histogram.h"
#include "codec.h"

#define WIRE_HEADER_SIZE	50

static void
set_err(char *err, size_t errlen, const char *msg)
{
	if (errlen > 0)
		snprintf(err, errlen, "%s", msg);
}

/* Decimal text of a 128-bit integer into buf (>= 41 bytes). */
static char *
i128_to_text(hist_i128 v, char *buf)
{
	char		tmp[41];
	int			n = 0;
	char	   *out = buf;
	hist_u128	u = v < 0 ? (hist_u128) 0 - (hist_u128) v : (hist_u128) v;

	do
	{
		tmp[n++] = (char) ('0' + (int) (u % 10));
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*out++ = '-';
	while (n > 0)
		*out++ = tmp[--n];
	*out = '\0';
	return buf;
}

/*
 * Checks that stats and buckets describe a value the aggregate could have
 * built.  keys must be strictly increasing; the callers ensure that, and that
 * every count is >= 1.
 */
static bool
validate(const hist *s, const int *keys, const uint64_t *counts, size_t n,
		 char *err, size_t errlen)
{
	hist_u128	total = 0;
	hist_i128	sum = hist_sum(s);
	hist_i128	lo,
				hi;
	size_t		i;

	if (s->count < 0 || s->pending < 0)
	{
		set_err(err, errlen, "count and pending must not be negative");
		return false;
	}
	for (i = 0; i < n; i++)
	{
		if (!hist_key_valid(keys[i]))
		{
			set_err(err, errlen, "bucket key out of range");
			return false;
		}
		total += counts[i];
	}
	if (total != (hist_u128) s->count)
	{
		set_err(err, errlen, "bucket counts do not add up to count");
		return false;
	}
	if (s->count == 0)
	{
		if (sum != 0 || s->min != 0 || s->max != 0)
		{
			set_err(err, errlen,
					"sum_us, min_us and max_us must be 0 when count is 0");
			return false;
		}
		return true;
	}
	if (s->min > s->max)
	{
		set_err(err, errlen, "min_us is greater than max_us");
		return false;
	}
	if (hist_key(s->min) != keys[0])
	{
		set_err(err, errlen, "min_us is not in the lowest bucket");
		return false;
	}
	if (hist_key(s->max) != keys[n - 1])
	{
		set_err(err, errlen, "max_us is not in the highest bucket");
		return false;
	}

	/*
	 * One duration is min and one is max, the others lie between: the sum is
	 * at least max + (count - 1) min and at most min + (count - 1) max.
	 * |count - 1| < 2^63 and |min|, |max| <= 2^63, so this fits 128 bits.
	 */
	if (s->count == 1)
		lo = hi = s->min;
	else
	{
		lo = (hist_i128) s->max + (hist_i128) (s->count - 1) * s->min;
		hi = (hist_i128) s->min + (hist_i128) (s->count - 1) * s->max;
	}
	if (s->count == 1 && s->min != s->max)
	{
		set_err(err, errlen, "min_us and max_us differ but count is 1");
		return false;
	}
	if (sum < lo || sum > hi)
	{
		set_err(err, errlen,
				"sum_us is not possible for this count, min_us and max_us");
		return false;
	}
	return true;
}

/* ---- text ---- */

char *
hist_to_text(const hist *h, size_t size)
{
	hist_iter	it;
	int			key;
	int64_t		c;
	size_t		nbuckets = 0,
				cap,
				len;
	char	   *out;
	char		sum[41];

	hist_iter_init(&it, h, size);
	while (hist_iter_next(&it, &key, &c) == 1)
		nbuckets++;

	/* "-2147483648:9223372036854775807," is at most 32 bytes */
	cap = 256 + nbuckets * 32;
	out = hist_alloc0(cap);
	len = (size_t) snprintf(out, cap,
							"kpi_hist v%d count=%lld pending=%lld sum_us=%s "
							"min_us=%lld max_us=%lld buckets=",
							HIST_VERSION, (long long) h->count,
							(long long) h->pending,
							i128_to_text(hist_sum(h), sum),
							(long long) h->min, (long long) h->max);
	hist_iter_init(&it, h, size);
	nbuckets = 0;
	while (hist_iter_next(&it, &key, &c) == 1 && len < cap)
		len += (size_t) snprintf(out + len, cap - len, "%s%d:%lld",
								 nbuckets++ > 0 ? "," : "", key, (long long) c);
	return out;
}

typedef struct cursor
{
	const char *p;
	const char *end;
	const char *start;
	char	   *err;
	size_t		errlen;
} cursor;

static bool
fail_at(cursor *cur, const char *what)
{
	if (cur->errlen > 0)
		snprintf(cur->err, cur->errlen, "%s at character %d", what,
				 (int) (cur->p - cur->start) + 1);
	return false;
}

static bool
expect(cursor *cur, const char *lit)
{
	size_t		n = strlen(lit);

	if ((size_t) (cur->end - cur->p) < n || memcmp(cur->p, lit, n) != 0)
	{
		char		msg[64];

		snprintf(msg, sizeof(msg), "expected \"%s\"", lit);
		return fail_at(cur, msg);
	}
	cur->p += n;
	return true;
}

/*
 * A canonical decimal integer in [min, max] (as 128-bit): optional '-', no
 * leading zeros, no "-0".
 */
static bool
read_int(cursor *cur, hist_i128 min, hist_i128 max, hist_i128 *out,
		 const char *what)
{
	bool		neg = false;
	hist_u128	v = 0;
	hist_u128	limit;
	const char *first = cur->p;
	const char *digits;
	char		msg[96];

	if (cur->p < cur->end && *cur->p == '-')
	{
		neg = true;
		cur->p++;
	}
	digits = cur->p;
	/* magnitude limit; a sign the range does not allow is caught below */
	limit = neg ? (min < 0 ? (hist_u128) 0 - (hist_u128) min : 0)
		: (max > 0 ? (hist_u128) max : 0);
	while (cur->p < cur->end && *cur->p >= '0' && *cur->p <= '9')
	{
		unsigned	d = (unsigned) (*cur->p - '0');

		if (v > limit / 10 || (v == limit / 10 && d > limit % 10))
		{
			cur->p = first;
			snprintf(msg, sizeof(msg), "%s out of range", what);
			return fail_at(cur, msg);
		}
		v = v * 10 + d;
		cur->p++;
	}
	if (cur->p == digits ||
		(*digits == '0' && (cur->p - digits > 1 || neg)))
	{
		cur->p = first;
		snprintf(msg, sizeof(msg), "expected %s as a plain integer", what);
		return fail_at(cur, msg);
	}
	*out = neg ? (hist_i128) ((hist_u128) 0 - v) : (hist_i128) v;
	if (*out < min || *out > max)
	{
		cur->p = first;
		snprintf(msg, sizeof(msg), "%s out of range", what);
		return fail_at(cur, msg);
	}
	return true;
}

static bool
read_field(cursor *cur, const char *name, hist_i128 min, hist_i128 max,
		   hist_i128 *out)
{
	return expect(cur, name) && expect(cur, "=") &&
		read_int(cur, min, max, out, name);
}

static inline bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\f' || c == '\v';
}

#define I128_MAX	((hist_i128) (((hist_u128) 1 << 127) - 1))
#define I128_MIN	(-I128_MAX - 1)

hist *
hist_from_text(const char *s, size_t len, size_t *out_size,
			   char *err, size_t errlen)
{
	cursor		cur = {s, s + len, s, err, errlen};
	hist		stats;
	hist_i128	v;
	int		   *keys;
	uint64_t   *counts;
	size_t		n = 0,
				maxn;
	hist	   *result = NULL;

	hist_init();
	memset(&stats, 0, sizeof(stats));
	maxn = 2 * (size_t) hist_max_key;
	keys = hist_alloc0(maxn * sizeof(int));
	counts = hist_alloc0(maxn * sizeof(uint64_t));

	/* surrounding white space is allowed, as for the built-in types */
	while (cur.p < cur.end && is_space(*cur.p))
		cur.p++;
	while (cur.end > cur.p && is_space(cur.end[-1]))
		cur.end--;

	if (!expect(&cur, "kpi_hist v"))
		goto done;
	if (!read_int(&cur, 0, 255, &v, "version"))
		goto done;
	if (v != HIST_VERSION)
	{
		char		msg[96];

		snprintf(msg, sizeof(msg), "unsupported format version %d (this build reads version %d)",
				 (int) v, HIST_VERSION);
		fail_at(&cur, msg);
		goto done;
	}
	if (!expect(&cur, " ") ||
		!read_field(&cur, "count", 0, INT64_MAX, &v))
		goto done;
	stats.count = (int64_t) v;
	if (!expect(&cur, " ") ||
		!read_field(&cur, "pending", 0, INT64_MAX, &v))
		goto done;
	stats.pending = (int64_t) v;
	if (!expect(&cur, " ") ||
		!read_field(&cur, "sum_us", I128_MIN, I128_MAX, &v))
		goto done;
	hist_set_sum(&stats, v);
	if (!expect(&cur, " ") ||
		!read_field(&cur, "min_us", INT64_MIN, INT64_MAX, &v))
		goto done;
	stats.min = (int64_t) v;
	if (!expect(&cur, " ") ||
		!read_field(&cur, "max_us", INT64_MIN, INT64_MAX, &v))
		goto done;
	stats.max = (int64_t) v;
	if (!expect(&cur, " ") || !expect(&cur, "buckets="))
		goto done;

	while (cur.p < cur.end)
	{
		hist_i128	k,
					c;

		if (n > 0 && !expect(&cur, ","))
			goto done;
		if (!read_int(&cur, -hist_max_key, hist_max_key - 1, &k, "bucket key"))
			goto done;
		if (n > 0 && k <= keys[n - 1])
		{
			fail_at(&cur, "bucket keys must be strictly increasing");
			goto done;
		}
		if (!expect(&cur, ":") ||
			!read_int(&cur, 1, INT64_MAX, &c, "bucket count"))
			goto done;
		/* strictly increasing keys within the range: n < maxn */
		keys[n] = (int) k;
		counts[n++] = (uint64_t) c;
	}
	if (!validate(&stats, keys, counts, n, err, errlen))
		goto done;
	result = hist_build_packed(&stats, keys, counts, n, out_size);

done:
	hist_free(keys);
	hist_free(counts);
	return result;
}

/* ---- binary ---- */

uint8_t *
hist_to_wire(const hist *h, size_t size, size_t *len)
{
	size_t		stream = size > HIST_HEADER_SIZE ? size - HIST_HEADER_SIZE : 0;
	uint8_t    *out = hist_alloc0(WIRE_HEADER_SIZE + stream);

	out[0] = HIST_VERSION;
	out[1] = 0;
	codec_put_be64(out + 2, (uint64_t) h->count);
	codec_put_be64(out + 10, (uint64_t) h->pending);
	codec_put_be64(out + 18, (uint64_t) h->sum_hi);
	codec_put_be64(out + 26, h->sum_lo);
	codec_put_be64(out + 34, (uint64_t) h->min);
	codec_put_be64(out + 42, (uint64_t) h->max);
	if (stream > 0)
		memcpy(out + WIRE_HEADER_SIZE, (const uint8_t *) h + HIST_HEADER_SIZE,
			   stream);
	*len = WIRE_HEADER_SIZE + stream;
	return out;
}

hist *
hist_from_wire(const uint8_t *buf, size_t len, size_t *out_size,
			   bool *bad_version, char *err, size_t errlen)
{
	hist		stats;
	hist_iter	it;
	int		   *keys;
	uint64_t   *counts;
	size_t		n = 0,
				maxn;
	int			key,
				r;
	int64_t		c;
	hist	   *result = NULL;

	hist_init();
	*bad_version = false;
	if (len < 1)
	{
		set_err(err, errlen, "the value is empty");
		return NULL;
	}
	if (buf[0] != HIST_VERSION)
	{
		if (errlen > 0)
			snprintf(err, errlen,
					 "format version %d is not one this build reads (version %d)",
					 buf[0], HIST_VERSION);
		*bad_version = true;
		return NULL;
	}
	if (len < WIRE_HEADER_SIZE)
	{
		if (errlen > 0)
			snprintf(err, errlen, "the value is truncated: %zu bytes, the header alone has %d",
					 len, WIRE_HEADER_SIZE);
		return NULL;
	}
	if (buf[1] != 0)
	{
		set_err(err, errlen, "reserved byte is not zero");
		return NULL;
	}
	memset(&stats, 0, sizeof(stats));
	stats.count = (int64_t) codec_get_be64(buf + 2);
	stats.pending = (int64_t) codec_get_be64(buf + 10);
	stats.sum_hi = (int64_t) codec_get_be64(buf + 18);
	stats.sum_lo = codec_get_be64(buf + 26);
	stats.min = (int64_t) codec_get_be64(buf + 34);
	stats.max = (int64_t) codec_get_be64(buf + 42);

	maxn = 2 * (size_t) hist_max_key;
	keys = hist_alloc0(maxn * sizeof(int));
	counts = hist_alloc0(maxn * sizeof(uint64_t));
	hist_iter_init_raw(&it, buf + WIRE_HEADER_SIZE, buf + len);
	while ((r = hist_iter_next(&it, &key, &c)) == 1)
	{
		if (n >= maxn)
		{
			r = -1;
			break;
		}
		keys[n] = key;
		counts[n++] = (uint64_t) c;
	}
	if (r < 0)
		set_err(err, errlen, "the bucket list is malformed or truncated");
	else if (validate(&stats, keys, counts, n, err, errlen))
		result = hist_build_packed(&stats, keys, counts, n, out_size);
	hist_free(keys);
	hist_free(counts);
	return result;
}
