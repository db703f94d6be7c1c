/*
 * calendar_codec.c
 *		The binary form of kpi_calendar: both the stored value and the
 *		send/recv wire form, big-endian.
 *
 *	u8  version (CAL_BINARY_VERSION)
 *	u8  flags, reserved, zero
 *	u8  zone length (1..255), then the zone name
 *	7 times, Monday first: u16 n, then n ranges
 *	u32 closed count, then (i32 first day, i32 last day) each
 *	u32 special count, then (i32 first, i32 last, u16 n, n ranges) each
 *
 * A range is (u32 start, u32 end) in seconds of the local day.  Only the
 * canonical encoding of a calendar is accepted, so equal calendars have
 * equal bytes: the decoder rebuilds the calendar and requires that it
 * encodes back to exactly the input.
 */
#include <string.h>

#include "calendar_int.h"

static uint8_t *
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v >> 8);
	p[1] = (uint8_t) v;
	return p + 2;
}

static uint8_t *
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) (v >> 24);
	p[1] = (uint8_t) (v >> 16);
	p[2] = (uint8_t) (v >> 8);
	p[3] = (uint8_t) v;
	return p + 4;
}

static uint8_t *
put_ranges(uint8_t *p, const cal_range *r, uint32_t n)
{
	p = put16(p, n);
	for (uint32_t i = 0; i < n; i++)
	{
		p = put32(p, (uint32_t) (r[i].start / CAL_USECS_PER_SEC));
		p = put32(p, (uint32_t) (r[i].end / CAL_USECS_PER_SEC));
	}
	return p;
}

size_t
cal_encoded_size(const cal_def *def)
{
	size_t		size = 3 + def->zone_len + 7 * 2 + 4 + 4;

	size += (size_t) (def->week_off[7] - def->week_off[0]) * 8;
	size += (size_t) def->nclosed * 8;
	for (uint32_t i = 0; i < def->nspecial; i++)
		size += 10 + (size_t) def->special[i].n * 8;
	return size;
}

void
cal_encode(const cal_def *def, uint8_t *out)
{
	uint8_t    *p = out;

	*p++ = CAL_BINARY_VERSION;
	*p++ = 0;
	*p++ = (uint8_t) def->zone_len;
	memcpy(p, def->zone, def->zone_len);
	p += def->zone_len;
	for (int w = 0; w < 7; w++)
		p = put_ranges(p, &def->ranges[def->week_off[w]],
					   def->week_off[w + 1] - def->week_off[w]);
	p = put32(p, def->nclosed);
	for (uint32_t i = 0; i < def->nclosed; i++)
	{
		p = put32(p, (uint32_t) def->closed[i].first);
		p = put32(p, (uint32_t) def->closed[i].last);
	}
	p = put32(p, def->nspecial);
	for (uint32_t i = 0; i < def->nspecial; i++)
	{
		p = put32(p, (uint32_t) def->special[i].first);
		p = put32(p, (uint32_t) def->special[i].last);
		p = put_ranges(p, &def->ranges[def->special[i].off], def->special[i].n);
	}
}

/* A bounds-checked reader */
typedef struct reader
{
	const uint8_t *p;
	const uint8_t *end;
} reader;

static bool
get(reader *r, int bytes, uint32_t *v)
{
	if (r->end - r->p < bytes)
		return false;
	*v = 0;
	for (int i = 0; i < bytes; i++)
		*v = (*v << 8) | *r->p++;
	return true;
}

static bool
get_day(reader *r, int32_t *day)
{
	uint32_t	v;

	if (!get(r, 4, &v))
		return false;
	*day = (int32_t) v;
	return *day >= CAL_TEXT_DAY_MIN && *day <= CAL_TEXT_DAY_MAX;
}

/* n ranges: u16 count then pairs; added as weekly (weekday >= 0) or special */
static bool
get_ranges(reader *r, cal_raw *raw, int weekday, bool need_one, cal_error *err)
{
	uint32_t	n;

	if (!get(r, 2, &n) || n > CAL_DAY_RANGES_MAX || (need_one && n == 0))
		return false;
	for (uint32_t i = 0; i < n; i++)
	{
		uint32_t	s,
					e;

		if (!get(r, 4, &s) || !get(r, 4, &e) || s >= e || e > 86400)
			return false;
		if (weekday >= 0 ?
			!cal_raw_week_add(raw, weekday, s * CAL_USECS_PER_SEC, e * CAL_USECS_PER_SEC, err) :
			!cal_raw_srange_add(raw, s * CAL_USECS_PER_SEC, e * CAL_USECS_PER_SEC, err))
			return false;
	}
	return true;
}

static bool
decode_raw(reader *r, cal_raw *raw, cal_error *err)
{
	uint32_t	v,
				n;

	if (!get(r, 1, &v) || v != CAL_BINARY_VERSION)
		return false;
	if (!get(r, 1, &v) || v != 0)
		return false;
	if (!get(r, 1, &v) || r->end - r->p < (ptrdiff_t) v ||
		!cal_zone_valid((const char *) r->p, v))
		return false;
	raw->zone_len = v;
	memcpy(raw->zone, r->p, v);
	r->p += v;
	for (int w = 0; w < 7; w++)
		if (!get_ranges(r, raw, w, false, err))
			return false;
	if (!get(r, 4, &n) || n > CAL_ITEMS_MAX)
		return false;
	for (uint32_t i = 0; i < n; i++)
	{
		int32_t		first,
					last;

		if (!get_day(r, &first) || !get_day(r, &last) || first > last ||
			!cal_raw_closed_add(raw, first, last, err))
			return false;
	}
	if (!get(r, 4, &n) || n > CAL_ITEMS_MAX)
		return false;
	for (uint32_t i = 0; i < n; i++)
	{
		int32_t		first,
					last;
		uint32_t	mark = raw->nsranges;

		if (!get_day(r, &first) || !get_day(r, &last) || first > last ||
			!get_ranges(r, raw, -1, true, err) ||
			!cal_raw_special_add(raw, first, last, mark, err))
			return false;
	}
	return r->p == r->end;
}

cal_def *
cal_decode(const uint8_t *data, size_t len, const cal_alloc *mem,
		   cal_error *err)
{
	cal_raw		raw;
	reader		r = {data, data + len};
	cal_def    *def = NULL;
	uint8_t    *again = NULL;

	err->code = CAL_OK;
	err->message[0] = '\0';
	cal_raw_init(&raw, mem);
	if (decode_raw(&r, &raw, err))
		def = cal_build(&raw, err);
	cal_raw_free(&raw);
	if (def == NULL)
	{
		if (err->code == CAL_OK || err->code == CAL_TOO_LARGE)
			cal_set_error(err, CAL_CORRUPT, "malformed kpi_calendar binary value");
		return NULL;
	}
	/* only the canonical form: it must encode back to the input */
	if (cal_encoded_size(def) == len)
	{
		again = mem->alloc(mem->arg, len);
		if (again == NULL)
		{
			cal_free(def, mem);
			cal_set_error(err, CAL_NO_MEMORY, "out of memory");
			return NULL;
		}
		cal_encode(def, again);
		if (memcmp(again, data, len) == 0)
		{
			mem->free(mem->arg, again);
			return def;
		}
		mem->free(mem->arg, again);
	}
	cal_free(def, mem);
	cal_set_error(err, CAL_CORRUPT, "kpi_calendar binary value is not in canonical form");
	return NULL;
}
