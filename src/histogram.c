/*
 * histogram.c
 *		kpi_hist values: the working layouts an aggregate updates in place,
 *		merging, packing to the stored form, and the statistics read from it.
 *
 * Invariants every layout keeps (checked on input by hist_format.c):
 *	- count > 0: min and max are exact, and the lowest and highest non-empty
 *	  buckets are those of min and max; count = 0: sum = min = max = 0 and no
 *	  bucket is used.
 *	- the bucket counts add up to count.
 *	- SPARSE holds exactly count keys, so it needs no length of its own.
 *	- DENSE uses 4-byte counters only while count <= UINT32_MAX, so no single
 *	  counter can overflow; it switches to 8 bytes past that.
 *
 * Growth is geometric (SPARSE quadruples, DENSE widens its key range by half),
 * so a row costs amortised O(1) even though every growth copies.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"

/*
 * SPARSE sizes are powers of four: PostgreSQL's allocator hands out powers of
 * two anyway, and quadrupling leaves fewer outgrown chunks behind in the
 * aggregate's memory (with many groups growing side by side, every freed
 * size class stays allocated).  64 bytes hold 4 rows, 256 hold 100, 1024 hold
 * 484.  Past SPARSE_MAX_BYTES a counter per bucket is always the better deal.
 */
#define SPARSE_MIN_BYTES	64
#define SPARSE_MAX_BYTES	4096

static inline int16_t *
sparse_keys(const hist *h)
{
	return (int16_t *) ((char *) h + HIST_HEADER_SIZE);
}

static inline hist_dense *
dense_hdr(const hist *h)
{
	return (hist_dense *) ((char *) h + HIST_HEADER_SIZE);
}

static inline void *
dense_slots(const hist *h)
{
	return (char *) h + HIST_DENSE_OFFSET;
}

static inline uint64_t
dense_get(const hist *h, int idx)
{
	const hist_dense *d = dense_hdr(h);

	if (d->width == 4)
		return ((uint32_t *) dense_slots(h))[idx];
	return ((uint64_t *) dense_slots(h))[idx];
}

size_t
hist_working_size(const hist *h)
{
	if (h->layout == HIST_SPARSE)
		return HIST_HEADER_SIZE + (size_t) h->aux * sizeof(int16_t);
	if (h->layout == HIST_DENSE)
		return HIST_DENSE_OFFSET +
			(size_t) dense_hdr(h)->nslots * dense_hdr(h)->width;
	return 0;
}

static void
copy_stats(hist *dst, const hist *src)
{
	dst->count = src->count;
	dst->pending = src->pending;
	dst->sum_lo = src->sum_lo;
	dst->sum_hi = src->sum_hi;
	dst->min = src->min;
	dst->max = src->max;
}

static hist *
new_sparse(size_t bytes)
{
	hist	   *h = hist_alloc0(bytes);

	h->version = HIST_VERSION;
	h->layout = HIST_SPARSE;
	h->aux = (uint16_t) ((bytes - HIST_HEADER_SIZE) / sizeof(int16_t));
	return h;
}

hist *
hist_new(void)
{
	hist_init();
	return new_sparse(SPARSE_MIN_BYTES);
}

/* A DENSE copy of a working value, covering keys [lo, hi]. */
static hist *
to_dense(const hist *h, int lo, int hi, int width)
{
	size_t		nslots = (size_t) (hi - lo + 1);
	hist	   *n = hist_alloc0(HIST_DENSE_OFFSET + nslots * width);
	hist_dense *d = dense_hdr(n);
	int			i;

	n->version = HIST_VERSION;
	n->layout = HIST_DENSE;
	copy_stats(n, h);
	d->lo = (int16_t) lo;
	d->nslots = (uint16_t) nslots;
	d->width = (uint8_t) width;

	if (h->layout == HIST_SPARSE)
	{
		const int16_t *keys = sparse_keys(h);

		for (i = 0; i < h->count; i++)
		{
			if (width == 4)
				((uint32_t *) dense_slots(n))[keys[i] - lo]++;
			else
				((uint64_t *) dense_slots(n))[keys[i] - lo]++;
		}
	}
	else
	{
		const hist_dense *od = dense_hdr(h);

		for (i = 0; i < od->nslots; i++)
		{
			uint64_t	c = dense_get(h, i);
			int			idx = od->lo + i - lo;

			if (c == 0)
				continue;
			if (width == 4)
				((uint32_t *) dense_slots(n))[idx] = (uint32_t) c;
			else
				((uint64_t *) dense_slots(n))[idx] = c;
		}
	}
	return n;
}

hist *
hist_new_dense(void)
{
	hist		empty = {.version = HIST_VERSION, .layout = HIST_SPARSE};

	hist_init();
	return to_dense(&empty, 0, 0, 4);
}

static inline int
imin(int a, int b)
{
	return a < b ? a : b;
}

static inline int
imax(int a, int b)
{
	return a > b ? a : b;
}

/*
 * Make room for `extra` more values whose keys lie in [klo, khi].  Returns h
 * if it already has room, else a larger copy; NULL on count overflow.
 */
static hist *
reserve(hist *h, int klo, int khi, int64_t extra, hist_status *status)
{
	int64_t		newcount;

	if (__builtin_add_overflow(h->count, extra, &newcount))
	{
		*status = HIST_COUNT_OVERFLOW;
		return NULL;
	}
	*status = HIST_OK;
	if (h->count > 0)
	{
		klo = imin(klo, hist_key(h->min));
		khi = imax(khi, hist_key(h->max));
	}

	if (h->layout == HIST_SPARSE)
	{
		size_t		need,
					bytes,
					dense_bytes;
		hist	   *n;
		int			span;

		if (newcount <= (int64_t) h->aux)
			return h;
		dense_bytes = HIST_DENSE_OFFSET + (size_t) (khi - klo + 1) * 4;
		bytes = SPARSE_MIN_BYTES;
		if (newcount <= (int64_t) ((SPARSE_MAX_BYTES - HIST_HEADER_SIZE) / 2))
		{
			need = HIST_HEADER_SIZE + (size_t) newcount * sizeof(int16_t);
			while (bytes < need)
				bytes *= 4;
			if (bytes < dense_bytes)
			{
				n = new_sparse(bytes);
				copy_stats(n, h);
				memcpy(sparse_keys(n), sparse_keys(h),
					   (size_t) h->count * sizeof(int16_t));
				return n;
			}
		}
		/* leave a little room on both sides: ranges tend to widen */
		span = khi - klo + 1;
		klo = imax(klo - span / 4 - 2, -hist_max_key);
		khi = imin(khi + span / 4 + 2, hist_max_key - 1);
		return to_dense(h, klo, khi,
						newcount > (int64_t) UINT32_MAX ? 8 : 4);
	}
	else
	{
		hist_dense *d = dense_hdr(h);
		int			width = d->width;
		int			cur_lo = d->lo;
		int			cur_hi = d->lo + d->nslots - 1;
		int			nlo,
					nhi,
					margin;

		if (width == 4 && newcount > (int64_t) UINT32_MAX)
			width = 8;
		if (width == d->width && klo >= cur_lo && khi <= cur_hi)
			return h;
		nlo = imin(klo, cur_lo);
		nhi = imax(khi, cur_hi);
		margin = (nhi - nlo + 1) / 2 + 2;
		if (nlo < cur_lo)
			nlo = imax(nlo - margin, -hist_max_key);
		if (nhi > cur_hi)
			nhi = imin(nhi + margin, hist_max_key - 1);
		return to_dense(h, nlo, nhi, width);
	}
}

hist *
hist_add_slow(hist *h, int64_t v, hist_status *status)
{
	int			key;
	hist	   *n;

	hist_init();
	key = hist_key(v);
	n = reserve(h, key, key, 1, status);

	if (n == NULL)
		return NULL;
	/* now there is room, so hist_add takes its fast path */
	return hist_add(n, v, status);
}

hist_status
hist_add_pending(hist *h)
{
	if (h->pending == INT64_MAX)
		return HIST_COUNT_OVERFLOW;
	h->pending++;
	return HIST_OK;
}

uint64_t
hist_dense_count(const hist *h, int64_t v)
{
	const hist_dense *d = dense_hdr(h);
	unsigned	idx = (unsigned) (hist_key(v) - d->lo);

	return idx < d->nslots ? dense_get(h, (int) idx) : 0;
}

bool
hist_remove(hist *h, int64_t v)
{
	hist_dense *d = dense_hdr(h);
	unsigned	idx;

	hist_init();
	if (h->layout != HIST_DENSE || h->count <= 0)
		return false;
	idx = (unsigned) (hist_key(v) - d->lo);
	if (idx >= d->nslots || dense_get(h, (int) idx) == 0)
		return false;
	if (d->width == 4)
		((uint32_t *) dense_slots(h))[idx]--;
	else
		((uint64_t *) dense_slots(h))[idx]--;
	h->count--;
	hist_set_sum(h, hist_sum(h) - v);
	return true;
}

bool
hist_remove_pending(hist *h)
{
	if (h->pending <= 0)
		return false;
	h->pending--;
	return true;
}

/* ---- iterating a PACKED value ---- */

/* Reads a canonical (shortest-form) varint; false if malformed. */
static inline bool
read_varint(const uint8_t **pp, const uint8_t *end, uint64_t *out)
{
	const uint8_t *p = *pp;
	uint64_t	v = 0;
	int			shift = 0;

	for (;;)
	{
		uint8_t		b;

		if (p >= end || shift > 63)
			return false;
		b = *p++;
		if (shift == 63 && b > 1)
			return false;		/* does not fit 64 bits */
		v |= (uint64_t) (b & 0x7f) << shift;
		if ((b & 0x80) == 0)
		{
			if (b == 0 && shift > 0)
				return false;	/* overlong */
			break;
		}
		shift += 7;
	}
	*pp = p;
	*out = v;
	return true;
}

static inline size_t
write_varint(uint8_t *p, uint64_t v)
{
	size_t		n = 0;

	while (v >= 0x80)
	{
		if (p)
			p[n] = (uint8_t) (v | 0x80);
		n++;
		v >>= 7;
	}
	if (p)
		p[n] = (uint8_t) v;
	return n + 1;
}

void
hist_iter_init_raw(hist_iter *it, const uint8_t *p, const uint8_t *end)
{
	hist_init();
	it->p = p;
	it->end = end;
	it->key = 0;
	it->run_left = 0;
	it->first = true;
}

void
hist_iter_init(hist_iter *it, const hist *h, size_t size)
{
	const uint8_t *p = (const uint8_t *) h + HIST_HEADER_SIZE;

	hist_iter_init_raw(it, p,
					   size > HIST_HEADER_SIZE ? (const uint8_t *) h + size : p);
}

/*
 * The bucket stream is a sequence of runs of consecutive non-empty buckets:
 * a varint start (zigzag of the key for the first run, else the gap from the
 * previous run's end minus 2, since runs are maximal), a varint length - 1,
 * then a varint count (>= 1) per bucket.  Every bucket list has exactly one
 * encoding, which is what makes packed values comparable byte for byte.
 */
int
hist_iter_next(hist_iter *it, int *key, int64_t *count)
{
	uint64_t	x,
				len1,
				c;

	if (it->run_left == 0)
	{
		int64_t		start;

		if (it->p == it->end)
			return 0;
		if (!read_varint(&it->p, it->end, &x))
			return -1;
		if (x > (uint64_t) 4 * hist_max_key)
			return -1;
		if (it->first)
			start = (x & 1) ? -(int64_t) (x >> 1) - 1 : (int64_t) (x >> 1);
		else
			start = (int64_t) it->key + 2 + (int64_t) x;
		if (!read_varint(&it->p, it->end, &len1))
			return -1;
		if (len1 > (uint64_t) 2 * hist_max_key ||
			start < -hist_max_key ||
			start + (int64_t) len1 > hist_max_key - 1)
			return -1;
		it->key = (int) start - 1;
		it->run_left = len1 + 1;
		it->first = false;
	}
	if (!read_varint(&it->p, it->end, &c) || c == 0 || c > (uint64_t) INT64_MAX)
		return -1;
	it->key++;
	it->run_left--;
	*key = it->key;
	*count = (int64_t) c;
	return 1;
}

size_t
hist_encode_runs(const int *keys, const uint64_t *counts, size_t n,
				 uint8_t *out)
{
	size_t		len = 0;
	size_t		i = 0;

	while (i < n)
	{
		size_t		j = i + 1;
		uint64_t	start;

		while (j < n && keys[j] == keys[j - 1] + 1)
			j++;
		if (i == 0)
			start = keys[0] < 0 ? ((uint64_t) (-(int64_t) keys[0] - 1) << 1) | 1
				: (uint64_t) keys[0] << 1;
		else
			start = (uint64_t) (keys[i] - keys[i - 1] - 2);
		len += write_varint(out ? out + len : NULL, start);
		len += write_varint(out ? out + len : NULL, j - i - 1);
		for (; i < j; i++)
			len += write_varint(out ? out + len : NULL, counts[i]);
	}
	return len;
}

hist *
hist_build_packed(const hist *stats, const int *keys, const uint64_t *counts,
				  size_t n, size_t *out_size)
{
	size_t		len = hist_encode_runs(keys, counts, n, NULL);
	hist	   *p = hist_alloc0(HIST_HEADER_SIZE + len);

	p->version = HIST_VERSION;
	p->layout = HIST_PACKED;
	copy_stats(p, stats);
	hist_encode_runs(keys, counts, n, (uint8_t *) p + HIST_HEADER_SIZE);
	*out_size = HIST_HEADER_SIZE + len;
	return p;
}

static int
cmp_int16(const void *a, const void *b)
{
	return *(const int16_t *) a - *(const int16_t *) b;
}

hist *
hist_pack(const hist *h, size_t size, size_t *out_size)
{
	int		   *keys;
	uint64_t   *counts;
	size_t		n = 0;
	hist	   *p;

	hist_init();
	if (h->layout == HIST_PACKED)
	{
		p = hist_alloc0(size);
		memcpy(p, h, size);
		*out_size = size;
		return p;
	}
	if (h->layout == HIST_SPARSE)
	{
		int16_t    *sorted;
		int64_t		i;

		if (h->count > h->aux)
			return NULL;
		sorted = hist_alloc0(((size_t) h->count + 1) * sizeof(int16_t));
		keys = hist_alloc0(((size_t) h->count + 1) * sizeof(int));
		counts = hist_alloc0(((size_t) h->count + 1) * sizeof(uint64_t));
		memcpy(sorted, sparse_keys(h), (size_t) h->count * sizeof(int16_t));
		qsort(sorted, (size_t) h->count, sizeof(int16_t), cmp_int16);
		for (i = 0; i < h->count; i++)
		{
			if (n > 0 && keys[n - 1] == sorted[i])
				counts[n - 1]++;
			else
			{
				keys[n] = sorted[i];
				counts[n++] = 1;
			}
		}
		hist_free(sorted);
	}
	else if (h->layout == HIST_DENSE)
	{
		const hist_dense *d = dense_hdr(h);
		int			i;

		keys = hist_alloc0(((size_t) d->nslots + 1) * sizeof(int));
		counts = hist_alloc0(((size_t) d->nslots + 1) * sizeof(uint64_t));
		for (i = 0; i < d->nslots; i++)
		{
			uint64_t	c = dense_get(h, i);

			if (c == 0)
				continue;
			keys[n] = d->lo + i;
			counts[n++] = c;
		}
	}
	else
		return NULL;

	p = hist_build_packed(h, keys, counts, n, out_size);
	hist_free(keys);
	hist_free(counts);
	return p;
}

/* ---- merging ---- */

/* Adds c values of one bucket to a reserved working value. */
static inline bool
put(hist *dst, int64_t *pos, int key, uint64_t c)
{
	if (dst->layout == HIST_SPARSE)
	{
		int16_t    *keys = sparse_keys(dst);

		if (c > (uint64_t) (dst->aux - *pos))
			return false;
		while (c-- > 0)
			keys[(*pos)++] = (int16_t) key;
	}
	else
	{
		hist_dense *d = dense_hdr(dst);
		unsigned	idx = (unsigned) (key - d->lo);

		if (idx >= d->nslots)
			return false;
		if (d->width == 4)
		{
			uint32_t   *s = (uint32_t *) dense_slots(dst) + idx;

			if (c > (uint64_t) (UINT32_MAX - *s))
				return false;
			*s += (uint32_t) c;
		}
		else
		{
			uint64_t   *s = (uint64_t *) dense_slots(dst) + idx;

			if (c > UINT64_MAX - *s)
				return false;
			*s += c;
		}
		*pos += (int64_t) c;
	}
	return true;
}

hist *
hist_merge(hist *dst, const hist *src, size_t src_size, hist_status *status)
{
	int64_t		pos,
				added = 0,
				pending;
	hist	   *n;
	bool		ours = false;

	hist_init();
	*status = HIST_OK;
	if (dst == NULL)
	{
		dst = hist_new();
		ours = true;
	}
	if (src->count < 0 || src->pending < 0 ||
		(src->count > 0 && src->min > src->max))
	{
		*status = HIST_CORRUPT;
		return NULL;
	}
	if (__builtin_add_overflow(dst->pending, src->pending, &pending))
	{
		*status = HIST_COUNT_OVERFLOW;
		return NULL;
	}
	if (src->count > 0)
	{
		n = reserve(dst, hist_key(src->min), hist_key(src->max), src->count,
					status);
		if (n == NULL)
			return NULL;
		if (ours && n != dst)
			hist_free(dst);		/* nobody else has seen it */
		dst = n;
		pos = dst->layout == HIST_SPARSE ? dst->count : 0;

		if (src->layout == HIST_SPARSE)
		{
			const int16_t *keys = sparse_keys(src);
			int64_t		i;

			if (src->count > src->aux)
				goto corrupt;
			for (i = 0; i < src->count; i++)
				if (!put(dst, &pos, keys[i], 1))
					goto corrupt;
			added = src->count;
		}
		else if (src->layout == HIST_DENSE)
		{
			const hist_dense *d = dense_hdr(src);
			int			i;
			int64_t		before = pos;

			for (i = 0; i < d->nslots; i++)
			{
				uint64_t	c = dense_get(src, i);

				if (c != 0 && !put(dst, &pos, d->lo + i, c))
					goto corrupt;
			}
			added = pos - before;
		}
		else if (src->layout == HIST_PACKED)
		{
			hist_iter	it;
			int			key,
						r;
			int64_t		c,
						before = pos;

			hist_iter_init(&it, src, src_size);
			while ((r = hist_iter_next(&it, &key, &c)) == 1)
				if (!put(dst, &pos, key, (uint64_t) c))
					goto corrupt;
			if (r < 0)
				goto corrupt;
			added = pos - before;
		}
		else
			goto corrupt;
		if (added != src->count)
			goto corrupt;

		if (dst->count == 0)
		{
			dst->min = src->min;
			dst->max = src->max;
		}
		else
		{
			if (src->min < dst->min)
				dst->min = src->min;
			if (src->max > dst->max)
				dst->max = src->max;
		}
		/* unsigned, so a corrupt sum wraps instead of being undefined */
		hist_set_sum(dst, (hist_i128) ((hist_u128) hist_sum(dst) +
									   (hist_u128) hist_sum(src)));
		dst->count += src->count;
	}
	dst->pending = pending;
	return dst;

corrupt:
	*status = HIST_CORRUPT;
	return NULL;
}

hist *
hist_working_copy(const hist *h, size_t size)
{
	hist_status status;

	return hist_merge(NULL, h, size, &status);
}

/* ---- statistics ---- */

int64_t
hist_mean(const hist *h)
{
	hist_i128	s = hist_sum(h);
	hist_i128	n = h->count;
	hist_i128	q = s / n;
	hist_i128	r = s % n;
	hist_i128	ar = r < 0 ? -r : r;

	/* round half to even, as rint() does for avg() */
	if (2 * ar > n || (2 * ar == n && (q & 1) != 0))
		q += s < 0 ? -1 : 1;
	return (int64_t) q;
}

/*
 * The value percentile_disc(p) would return, to within 1%: the rank is
 * ceil(p * n) computed in double as PostgreSQL does, at least 1; the answer
 * is the representative of the bucket holding that rank, clamped to
 * [min, max], and exactly min or max at the ends.
 */
bool
hist_percentile(const hist *h, size_t size, double p, int64_t *result)
{
	/* the rank in double: near 2^63 it would not fit an int64 */
	double		rank = ceil(p * (double) h->count);
	int64_t		k,
				cum = 0,
				c;
	hist_iter	it;
	int			key,
				r;

	if (rank <= 1)
	{
		*result = h->min;
		return true;
	}
	if (rank >= (double) h->count)
	{
		*result = h->max;
		return true;
	}
	k = (int64_t) rank;
	hist_iter_init(&it, h, size);
	while ((r = hist_iter_next(&it, &key, &c)) == 1)
	{
		cum += c;
		if (cum >= k)
		{
			int64_t		rep = hist_key_rep(key);

			*result = rep < h->min ? h->min : rep > h->max ? h->max : rep;
			return true;
		}
	}
	return false;
}

/*
 * Percent of durations <= target.  Buckets below target's count whole; the
 * bucket holding target counts iff target >= its representative, so only a
 * duration within 1% of target can land on the wrong side.
 */
bool
hist_share_within(const hist *h, size_t size, int64_t target, double *result)
{
	hist_iter	it;
	int			key,
				r,
				tkey;
	int64_t		c,
				within = 0;

	if (target < h->min)
	{
		*result = 0.0;
		return true;
	}
	if (target >= h->max)
	{
		*result = 100.0;
		return true;
	}
	hist_iter_init(&it, h, size);
	tkey = hist_key(target);
	while ((r = hist_iter_next(&it, &key, &c)) == 1)
	{
		if (key < tkey || (key == tkey && target >= hist_key_rep(key)))
			within += c;
		else
			break;
	}
	if (r < 0)
		return false;
	*result = 100.0 * (double) within / (double) h->count;
	return true;
}
