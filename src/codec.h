/*
 * codec.h — the small pieces the plain-C text parsers and binary decoders
 * (scores.c, churn.c, hist_format.c) share.  No PostgreSQL headers.
 */
#ifndef KPI_CODEC_H
#define KPI_CODEC_H

#include <stdint.h>

/* Big-endian int64, the byte order of PostgreSQL's binary I/O. */
static inline void
codec_put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
	{
		p[i] = (uint8_t) v;
		v >>= 8;
	}
}

static inline uint64_t
codec_get_be64(const uint8_t *p)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/*
 * Reads a non-negative decimal that fits in int64, with no sign; returns
 * the position after it, or NULL if there is none or it overflows.
 */
static inline const char *
codec_read_count(const char *p, int64_t *value)
{
	int64_t		v = 0;
	const char *start = p;

	while (*p >= '0' && *p <= '9')
	{
		if (__builtin_mul_overflow(v, 10, &v) ||
			__builtin_add_overflow(v, *p - '0', &v))
			return NULL;
		p++;
	}
	if (p == start)
		return NULL;
	*value = v;
	return p;
}

#endif
