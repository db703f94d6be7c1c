/*
 * calendar_build.c
 *		Normalises a calendar as read (cal_raw) into its canonical cal_def:
 *		the one place that decides what "the same calendar" means, so that
 *		text and binary input agree.
 *
 * A day named in several clauses gets the union of their hours; a special
 * date replaces the weekly hours; a closed date has no hours even if it is
 * also special, so special days that are closed are dropped here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar_int.h"

void
cal_set_error(cal_error *err, cal_status code, const char *fmt,...)
{
	va_list		ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

void
cal_raw_init(cal_raw *raw, const cal_alloc *mem)
{
	memset(raw, 0, sizeof(*raw));
	raw->mem = mem;
}

void
cal_raw_free(cal_raw *raw)
{
	const cal_alloc *mem = raw->mem;

	if (raw->week)
		mem->free(mem->arg, raw->week);
	if (raw->closed)
		mem->free(mem->arg, raw->closed);
	if (raw->special)
		mem->free(mem->arg, raw->special);
	if (raw->sranges)
		mem->free(mem->arg, raw->sranges);
	cal_raw_init(raw, mem);
}

/* Makes room for one more element; limits keep sizes far from overflow. */
static bool
grow(const cal_alloc *mem, void **array, uint32_t n, uint32_t *cap,
	 size_t elem, cal_error *err)
{
	void	   *bigger;
	uint32_t	newcap;

	if (n < *cap)
		return true;
	if (n >= CAL_ITEMS_MAX)
	{
		cal_set_error(err, CAL_TOO_LARGE, "more than %d items", CAL_ITEMS_MAX);
		return false;
	}
	newcap = *cap ? *cap * 2 : 16;
	if (newcap > CAL_ITEMS_MAX)
		newcap = CAL_ITEMS_MAX;
	bigger = mem->alloc(mem->arg, (size_t) newcap * elem);
	if (bigger == NULL)
	{
		cal_set_error(err, CAL_NO_MEMORY, "out of memory");
		return false;
	}
	if (n)
		memcpy(bigger, *array, (size_t) n * elem);
	if (*array)
		mem->free(mem->arg, *array);
	*array = bigger;
	*cap = newcap;
	return true;
}

bool
cal_raw_week_add(cal_raw *raw, int weekday, int64_t start, int64_t end,
				 cal_error *err)
{
	if (!grow(raw->mem, (void **) &raw->week, raw->nweek, &raw->capweek,
			  sizeof(cal_raw_week), err))
		return false;
	raw->week[raw->nweek].weekday = weekday;
	raw->week[raw->nweek].start = start;
	raw->week[raw->nweek].end = end;
	raw->nweek++;
	return true;
}

bool
cal_raw_closed_add(cal_raw *raw, int32_t first, int32_t last, cal_error *err)
{
	if (!grow(raw->mem, (void **) &raw->closed, raw->nclosed, &raw->capclosed,
			  sizeof(cal_dates), err))
		return false;
	raw->closed[raw->nclosed].first = first;
	raw->closed[raw->nclosed].last = last;
	raw->nclosed++;
	return true;
}

bool
cal_raw_srange_add(cal_raw *raw, int64_t start, int64_t end, cal_error *err)
{
	if (!grow(raw->mem, (void **) &raw->sranges, raw->nsranges,
			  &raw->capsranges, sizeof(cal_range), err))
		return false;
	raw->sranges[raw->nsranges].start = start;
	raw->sranges[raw->nsranges].end = end;
	raw->nsranges++;
	return true;
}

bool
cal_raw_special_add(cal_raw *raw, int32_t first, int32_t last, uint32_t mark,
					cal_error *err)
{
	cal_special *s;

	if (!grow(raw->mem, (void **) &raw->special, raw->nspecial,
			  &raw->capspecial, sizeof(cal_special), err))
		return false;
	s = &raw->special[raw->nspecial++];
	s->first = first;
	s->last = last;
	s->off = mark;
	s->n = raw->nsranges - mark;
	return true;
}

bool
cal_zone_valid(const char *zone, size_t len)
{
	if (len == 0 || len > CAL_ZONE_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (zone[i] <= ' ' || zone[i] > '~' || zone[i] == ';')
			return false;
	return true;
}

static int
range_cmp(const void *a, const void *b)
{
	const cal_range *x = a,
			   *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

static int
week_cmp(const void *a, const void *b)
{
	const cal_raw_week *x = a,
			   *y = b;

	if (x->weekday != y->weekday)
		return x->weekday < y->weekday ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

static int
dates_cmp(const void *a, const void *b)
{
	const cal_dates *x = a,
			   *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if (x->last != y->last)
		return x->last < y->last ? -1 : 1;
	return 0;
}

/* Sorts ranges and merges overlapping or touching ones; returns the count. */
static uint32_t
merge_ranges(cal_range *r, uint32_t n)
{
	uint32_t	out = 0;

	if (n == 0)
		return 0;
	qsort(r, n, sizeof(cal_range), range_cmp);
	for (uint32_t i = 1; i < n; i++)
	{
		if (r[i].start <= r[out].end)
		{
			if (r[i].end > r[out].end)
				r[out].end = r[i].end;
		}
		else
			r[++out] = r[i];
	}
	return out + 1;
}

/* Output being assembled: merged specials and their ranges */
typedef struct special_out
{
	cal_special *special;
	uint32_t	n,
				cap;
	cal_range  *ranges;
	uint32_t	nranges,
				capranges;
} special_out;

/* Appends special hours for days [first, last], merging with the previous */
static bool
emit_special(const cal_alloc *mem, special_out *o, int32_t first, int32_t last,
			 const cal_range *r, uint32_t nr, cal_error *err)
{
	cal_special *prev = o->n ? &o->special[o->n - 1] : NULL;

	if (prev && prev->last + 1 == first && prev->n == nr &&
		memcmp(&o->ranges[prev->off], r, nr * sizeof(cal_range)) == 0)
	{
		prev->last = last;
		return true;
	}
	if (!grow(mem, (void **) &o->special, o->n, &o->cap, sizeof(cal_special), err))
		return false;
	for (uint32_t i = 0; i < nr; i++)
	{
		if (!grow(mem, (void **) &o->ranges, o->nranges, &o->capranges,
				  sizeof(cal_range), err))
			return false;
		o->ranges[o->nranges++] = r[i];
	}
	o->special[o->n].first = first;
	o->special[o->n].last = last;
	o->special[o->n].off = o->nranges - nr;
	o->special[o->n].n = nr;
	o->n++;
	return true;
}

static int
special_cmp(const void *a, const void *b)
{
	const cal_special *x = a,
			   *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return 0;
}

static int
int32_cmp(const void *a, const void *b)
{
	int32_t		x = *(const int32_t *) a,
				y = *(const int32_t *) b;

	return x < y ? -1 : x > y;
}

/* Index of the first closed range with last >= day */
static uint32_t
closed_from(const cal_dates *c, uint32_t n, int32_t day)
{
	uint32_t	lo = 0,
				hi = n;

	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (c[mid].last < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The special hours of every day as the union over the entries naming it,
 * closed days cut out: a sweep over the entries' boundaries.
 */
static bool
normalise_special(cal_raw *raw, const cal_dates *closed, uint32_t nclosed,
				  special_out *o, cal_error *err)
{
	const cal_alloc *mem = raw->mem;
	uint32_t	n = raw->nspecial;
	int32_t    *points = NULL;
	uint32_t   *active = NULL;
	cal_special *sorted = NULL;
	cal_range  *tmp = NULL;
	uint32_t	npoints = 0,
				nactive = 0,
				next = 0;
	bool		ok = false;

	if (n == 0)
		return true;
	points = mem->alloc(mem->arg, (size_t) 2 * n * sizeof(int32_t));
	active = mem->alloc(mem->arg, (size_t) n * sizeof(uint32_t));
	sorted = mem->alloc(mem->arg, (size_t) n * sizeof(cal_special));
	tmp = mem->alloc(mem->arg, (size_t) (raw->nsranges ? raw->nsranges : 1) * sizeof(cal_range));
	if (!points || !active || !sorted || !tmp)
	{
		cal_set_error(err, CAL_NO_MEMORY, "out of memory");
		goto done;
	}
	memcpy(sorted, raw->special, n * sizeof(cal_special));
	qsort(sorted, n, sizeof(cal_special), special_cmp);
	for (uint32_t i = 0; i < n; i++)
	{
		points[npoints++] = sorted[i].first;
		points[npoints++] = sorted[i].last + 1;
	}
	qsort(points, npoints, sizeof(int32_t), int32_cmp);
	for (uint32_t k = 0; k + 1 < npoints; k++)
	{
		int32_t		p = points[k],
					q = points[k + 1];
		uint32_t	nt = 0,
					keep = 0,
					c;
		int32_t		pos;

		if (p == q)
			continue;
		while (next < n && sorted[next].first <= p)
			active[nactive++] = next++;
		for (uint32_t i = 0; i < nactive; i++)
			if (sorted[active[i]].last >= p)
				active[keep++] = active[i];
		nactive = keep;
		if (nactive == 0)
			continue;
		for (uint32_t i = 0; i < nactive; i++)
		{
			const cal_special *s = &sorted[active[i]];

			memcpy(&tmp[nt], &raw->sranges[s->off], s->n * sizeof(cal_range));
			nt += s->n;
		}
		nt = merge_ranges(tmp, nt);
		if (nt > CAL_DAY_RANGES_MAX)
		{
			cal_set_error(err, CAL_TOO_LARGE, "more than %d ranges on one day",
						  CAL_DAY_RANGES_MAX);
			goto done;
		}
		/* cut out the closed days of [p, q) */
		pos = p;
		c = closed_from(closed, nclosed, p);
		while (pos < q)
		{
			if (c < nclosed && closed[c].first < q)
			{
				if (closed[c].first > pos &&
					!emit_special(mem, o, pos, closed[c].first - 1, tmp, nt, err))
					goto done;
				pos = closed[c].last + 1;
				c++;
			}
			else
			{
				if (!emit_special(mem, o, pos, q - 1, tmp, nt, err))
					goto done;
				break;
			}
		}
	}
	ok = true;
done:
	if (points)
		mem->free(mem->arg, points);
	if (active)
		mem->free(mem->arg, active);
	if (sorted)
		mem->free(mem->arg, sorted);
	if (tmp)
		mem->free(mem->arg, tmp);
	return ok;
}

cal_def *
cal_build(cal_raw *raw, cal_error *err)
{
	const cal_alloc *mem = raw->mem;
	uint32_t	nweek[7] = {0};
	special_out o;
	uint32_t	nclosed = 0,
				nranges = 0;
	size_t		size;
	cal_def    *def = NULL;
	char	   *p;

	memset(&o, 0, sizeof(o));

	/* weekly hours: the union per weekday, merged in place in raw->week */
	if (raw->nweek)
	{
		uint32_t	out = 0;

		qsort(raw->week, raw->nweek, sizeof(cal_raw_week), week_cmp);
		for (uint32_t i = 1; i < raw->nweek; i++)
		{
			cal_raw_week *last = &raw->week[out];

			if (raw->week[i].weekday == last->weekday &&
				raw->week[i].start <= last->end)
			{
				if (raw->week[i].end > last->end)
					last->end = raw->week[i].end;
			}
			else
				raw->week[++out] = raw->week[i];
		}
		raw->nweek = out + 1;
	}
	for (uint32_t i = 0; i < raw->nweek; i++)
		if (++nweek[raw->week[i].weekday] > CAL_DAY_RANGES_MAX)
		{
			cal_set_error(err, CAL_TOO_LARGE, "more than %d ranges on one day",
						  CAL_DAY_RANGES_MAX);
			return NULL;
		}
	nranges = raw->nweek;

	/* closed: sorted, touching ranges merged */
	if (raw->nclosed)
	{
		qsort(raw->closed, raw->nclosed, sizeof(cal_dates), dates_cmp);
		for (uint32_t i = 1; i < raw->nclosed; i++)
		{
			if ((int64_t) raw->closed[i].first <= (int64_t) raw->closed[nclosed].last + 1)
			{
				if (raw->closed[i].last > raw->closed[nclosed].last)
					raw->closed[nclosed].last = raw->closed[i].last;
			}
			else
				raw->closed[++nclosed] = raw->closed[i];
		}
		nclosed++;
	}

	if (!normalise_special(raw, raw->closed, nclosed, &o, err))
		goto fail;
	if (nranges + o.nranges > CAL_ITEMS_MAX)
	{
		cal_set_error(err, CAL_TOO_LARGE, "more than %d ranges", CAL_ITEMS_MAX);
		goto fail;
	}
	nranges += o.nranges;

	size = sizeof(cal_def) + (size_t) nranges * sizeof(cal_range) +
		(size_t) nclosed * sizeof(cal_dates) +
		(size_t) o.n * sizeof(cal_special) +
		(size_t) (nclosed + 1 + o.n + 1) * sizeof(int64_t);
	def = mem->alloc(mem->arg, size);
	if (def == NULL)
	{
		cal_set_error(err, CAL_NO_MEMORY, "out of memory");
		goto fail;
	}
	memset(def, 0, sizeof(cal_def));
	def->size = size;
	def->zone_len = raw->zone_len;
	memcpy(def->zone, raw->zone, raw->zone_len);
	def->zone[raw->zone_len] = '\0';
	def->nranges = nranges;
	def->nclosed = nclosed;
	def->nspecial = o.n;
	p = (char *) (def + 1);
	def->ranges = (cal_range *) p;
	p += (size_t) nranges * sizeof(cal_range);
	def->closed = (cal_dates *) p;
	p += (size_t) nclosed * sizeof(cal_dates);
	def->special = (cal_special *) p;
	p += (size_t) o.n * sizeof(cal_special);
	def->closed_cum = (int64_t *) p;
	p += (size_t) (nclosed + 1) * sizeof(int64_t);
	def->special_cum = (int64_t *) p;

	nranges = 0;
	for (int w = 0; w < 7; w++)
	{
		def->week_off[w] = nranges;
		if (nweek[w])
		{
			def->week_mask |= 1 << w;
			def->has_open = true;
		}
		if (nweek[w] > def->max_day_ranges)
			def->max_day_ranges = nweek[w];
		nranges += nweek[w];
	}
	def->week_off[7] = nranges;
	for (uint32_t i = 0; i < raw->nweek; i++)
	{
		def->ranges[i].start = raw->week[i].start;
		def->ranges[i].end = raw->week[i].end;
		def->week_open += raw->week[i].end - raw->week[i].start;
	}
	if (o.nranges)
		memcpy(&def->ranges[nranges], o.ranges, o.nranges * sizeof(cal_range));
	if (nclosed)
		memcpy(def->closed, raw->closed, nclosed * sizeof(cal_dates));
	for (uint32_t i = 0; i < o.n; i++)
	{
		def->special[i] = o.special[i];
		def->special[i].off += nranges;
		if (o.special[i].n > def->max_day_ranges)
			def->max_day_ranges = o.special[i].n;
		def->has_open = true;
	}

	/* running change in the count of days with hours, for business days */
	def->closed_cum[0] = 0;
	for (uint32_t i = 0; i < nclosed; i++)
		def->closed_cum[i + 1] = def->closed_cum[i] -
			cal_week_days(def->week_mask, def->closed[i].first,
						  (int64_t) def->closed[i].last + 1);
	def->special_cum[0] = 0;
	for (uint32_t i = 0; i < o.n; i++)
	{
		int64_t		len = (int64_t) def->special[i].last - def->special[i].first + 1;

		def->special_cum[i + 1] = def->special_cum[i] + len -
			cal_week_days(def->week_mask, def->special[i].first,
						  (int64_t) def->special[i].last + 1);
	}

fail:
	if (o.special)
		mem->free(mem->arg, o.special);
	if (o.ranges)
		mem->free(mem->arg, o.ranges);
	return def;
}

void
cal_free(cal_def *def, const cal_alloc *mem)
{
	if (def)
		mem->free(mem->arg, def);
}

bool
cal_equal(const cal_def *a, const cal_def *b)
{
	return a->zone_len == b->zone_len &&
		memcmp(a->zone, b->zone, a->zone_len) == 0 &&
		memcmp(a->week_off, b->week_off, sizeof(a->week_off)) == 0 &&
		a->nranges == b->nranges && a->nclosed == b->nclosed &&
		a->nspecial == b->nspecial &&
		memcmp(a->ranges, b->ranges, a->nranges * sizeof(cal_range)) == 0 &&
		memcmp(a->closed, b->closed, a->nclosed * sizeof(cal_dates)) == 0 &&
		memcmp(a->special, b->special, a->nspecial * sizeof(cal_special)) == 0;
}

/* Index of the first entry with last >= day in a list sorted by day */
#define FIRST_NOT_BEFORE(array, count, day, result) \
	do { \
		uint32_t	lo_ = 0, hi_ = (count); \
		while (lo_ < hi_) \
		{ \
			uint32_t	mid_ = lo_ + (hi_ - lo_) / 2; \
			if ((array)[mid_].last < (day)) \
				lo_ = mid_ + 1; \
			else \
				hi_ = mid_; \
		} \
		(result) = lo_; \
	} while (0)

void
cal_day_hours(const cal_def *def, int32_t day, const cal_range **ranges,
			  uint32_t *n)
{
	uint32_t	i;
	int			w;

	FIRST_NOT_BEFORE(def->closed, def->nclosed, day, i);
	if (i < def->nclosed && def->closed[i].first <= day)
	{
		*ranges = NULL;
		*n = 0;
		return;
	}
	FIRST_NOT_BEFORE(def->special, def->nspecial, day, i);
	if (i < def->nspecial && def->special[i].first <= day)
	{
		*ranges = &def->ranges[def->special[i].off];
		*n = def->special[i].n;
		return;
	}
	w = cal_weekday(day);
	*ranges = &def->ranges[def->week_off[w]];
	*n = def->week_off[w + 1] - def->week_off[w];
}
