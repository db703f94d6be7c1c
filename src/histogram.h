/*
 * histogram.h
 *		The kpi_hist duration histogram: plain C, no PostgreSQL headers, so
 *		that it can be unit-tested and fuzzed without a server.
 *
 * Values are durations in microseconds (int64).  They are counted in
 * log-scale buckets whose representative value is within 1% of every value
 * in the bucket, beside exact count, pending count, 128-bit sum, min and max.
 *
 * A histogram is one flat block of memory that starts with a 4-byte word the
 * caller owns (PostgreSQL's varlena length word; this code never reads or
 * writes it), so a block can be a kpi_hist Datum as it is.  It has one of
 * three layouts:
 *
 *	PACKED	the stored form, the only one a SQL function returns: runs of
 *			non-empty buckets as varints.  Read-only.
 *	SPARSE	a working form for small groups: the bucket key of every value,
 *			unsorted, two bytes a row.
 *	DENSE	a working form for large groups: a counter for every bucket of a
 *			key range, 4 bytes wide, 8 once the count passes 2^32 - 1.
 *
 * Working forms are updated in place while they have room; a function that
 * needs more room returns a new, larger block and leaves the old one for the
 * caller to free (inside an aggregate, nodeAgg does that).
 *
 * Memory comes from hist_alloc0() and goes back through hist_free(), which
 * the program linking this file defines (palloc0/pfree in the server,
 * calloc/free in tests).
 */
#ifndef KPI_HISTOGRAM_H
#define KPI_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifndef __SIZEOF_INT128__
#error "kpi_hist needs a compiler with a 128-bit integer type"
#endif

typedef __int128 hist_i128;
typedef unsigned __int128 hist_u128;

/* The format version written into every value; readers accept 1..this. */
#define HIST_VERSION		1

/* Layout byte */
#define HIST_PACKED			1
#define HIST_SPARSE			2
#define HIST_DENSE			3

typedef struct hist
{
	uint32_t	vl_len_;		/* owned by the caller */
	uint8_t		version;		/* HIST_VERSION */
	uint8_t		layout;			/* HIST_PACKED, HIST_SPARSE or HIST_DENSE */
	uint16_t	aux;			/* PACKED: reserved, must be zero; SPARSE:
								 * capacity in keys; DENSE: zero */
	int64_t		count;			/* durations counted */
	int64_t		pending;		/* rows still open */
	uint64_t	sum_lo;			/* 128-bit sum of the durations, as two */
	int64_t		sum_hi;			/* words (a palloc'd block is only 8-aligned) */
	int64_t		min;			/* exact; 0 when count = 0 */
	int64_t		max;
	/* layout-specific data follows */
} hist;

#define HIST_HEADER_SIZE	((size_t) sizeof(hist))

/* DENSE: this follows the header, then the counters */
typedef struct hist_dense
{
	int16_t		lo;				/* key of the first counter */
	uint16_t	nslots;			/* number of counters */
	uint8_t		width;			/* 4 or 8 bytes a counter */
	uint8_t		pad[3];
} hist_dense;

#define HIST_DENSE_OFFSET	(HIST_HEADER_SIZE + sizeof(hist_dense))

/* Results of functions that can fail */
typedef enum hist_status
{
	HIST_OK = 0,
	HIST_COUNT_OVERFLOW,		/* more than INT64_MAX durations or pending */
	HIST_CORRUPT				/* a stored value is malformed */
} hist_status;

/* Supplied by the program that links this file. */
extern void *hist_alloc0(size_t size);
extern void hist_free(void *ptr);

/* ---- bucket scheme (hist_bucket.c) ---- */

/* Key tables, built by hist_init(); read by the inline hist_key(). */
extern int16_t hist_small_key[1024];
extern uint8_t hist_cell_sub[1024];
extern int	hist_nsmall;		/* buckets for 1..1023 (keys 1..nsmall) */
extern int	hist_nsub;			/* buckets per octave from 1024 up */
extern int	hist_max_key;		/* keys run from -max (INT64_MIN) to max - 1 */

extern void hist_init(void);

/* The bucket key of a duration: monotone, 0 for 0, -key(|v|) for v < 0. */
static inline int
hist_key_abs(uint64_t u)
{
	int			e;

	if (u < 1024)
		return hist_small_key[u];
	e = 63 - __builtin_clzll(u);
	return hist_nsmall + 1 + (e - 10) * hist_nsub +
		hist_cell_sub[(u >> (e - 10)) & 1023];
}

static inline int
hist_key(int64_t v)
{
	/* |v| in uint64, so that INT64_MIN works */
	if (v >= 0)
		return hist_key_abs((uint64_t) v);
	return -hist_key_abs(0 - (uint64_t) v);
}

static inline bool
hist_key_valid(int key)
{
	return key >= -hist_max_key && key < hist_max_key;
}

/* Integer range [*lo, *hi] of a valid key, and its representative value. */
extern void hist_key_range(int key, int64_t *lo, int64_t *hi);
extern int64_t hist_key_rep(int key);

/* ---- histograms (histogram.c) ---- */

extern hist *hist_new(void);

/* Size of a SPARSE or DENSE value (PACKED ones carry theirs in vl_len_). */
extern size_t hist_working_size(const hist *h);

/* sum as a 128-bit integer */
static inline hist_i128
hist_sum(const hist *h)
{
	return (hist_i128) (((hist_u128) (uint64_t) h->sum_hi << 64) | h->sum_lo);
}

static inline void
hist_set_sum(hist *h, hist_i128 s)
{
	h->sum_lo = (uint64_t) s;
	h->sum_hi = (int64_t) (s >> 64);
}

extern hist *hist_add_slow(hist *h, int64_t v, hist_status *status);

/*
 * Count one duration.  Returns h, updated in place, or a larger copy (h is
 * then left as it was).  NULL with *status set on overflow.
 */
static inline hist *
hist_add(hist *h, int64_t v, hist_status *status)
{
	int			key = hist_key(v);

	if (h->layout == HIST_DENSE)
	{
		hist_dense *d = (hist_dense *) ((char *) h + HIST_HEADER_SIZE);
		unsigned	idx = (unsigned) (key - d->lo);

		if (idx >= d->nslots)
			return hist_add_slow(h, v, status);
		if (d->width == 4 && h->count < (int64_t) UINT32_MAX)
			((uint32_t *) ((char *) h + HIST_DENSE_OFFSET))[idx]++;
		else if (d->width == 8 && h->count < INT64_MAX)
			((uint64_t *) ((char *) h + HIST_DENSE_OFFSET))[idx]++;
		else
			return hist_add_slow(h, v, status);
	}
	else if (h->layout == HIST_SPARSE && h->count < (int64_t) h->aux)
		((int16_t *) ((char *) h + HIST_HEADER_SIZE))[h->count] = (int16_t) key;
	else
		return hist_add_slow(h, v, status);

	/* 128-bit sum as two words: add v sign-extended */
	{
		uint64_t	lo = h->sum_lo + (uint64_t) v;

		h->sum_hi += (lo < h->sum_lo) + (v < 0 ? -1 : 0);
		h->sum_lo = lo;
	}
	if (h->count == 0)
		h->min = h->max = v;
	else if (v < h->min)
		h->min = v;
	else if (v > h->max)
		h->max = v;
	h->count++;
	*status = HIST_OK;
	return h;
}

extern hist_status hist_add_pending(hist *h);

/*
 * Uncount one duration from its bucket, count and sum (moving window
 * frames).  min and max are left to the caller, who knows the frame
 * (hist_window.h).  DENSE values only.  Returns false, changing nothing,
 * when v's bucket is empty.
 */
extern bool hist_remove(hist *h, int64_t v);
extern bool hist_remove_pending(hist *h);

/* An empty DENSE value: O(1) removal, which SPARSE (a list of keys) lacks. */
extern hist *hist_new_dense(void);

/* The count of v's bucket in a DENSE value. */
extern uint64_t hist_dense_count(const hist *h, int64_t v);

/* A working (SPARSE or DENSE) copy of any layout; NULL if corrupt. */
extern hist *hist_working_copy(const hist *h, size_t size);

/*
 * Add src (any layout) into dst (a working layout, or NULL for a new one).
 * Returns dst updated in place, or a new block; NULL with *status set.
 */
extern hist *hist_merge(hist *dst, const hist *src, size_t src_size,
						hist_status *status);

/* The PACKED form of any layout; NULL if corrupt. */
extern hist *hist_pack(const hist *h, size_t size, size_t *out_size);

/* Walks the buckets of a PACKED value in key order. */
typedef struct hist_iter
{
	const uint8_t *p;
	const uint8_t *end;
	int			key;			/* key of the last bucket returned */
	uint64_t	run_left;		/* buckets left in the current run */
	bool		first;
} hist_iter;

extern void hist_iter_init(hist_iter *it, const hist *h, size_t size);
extern void hist_iter_init_raw(hist_iter *it, const uint8_t *p,
							   const uint8_t *end);

/* 1 = a bucket, 0 = done, -1 = malformed */
extern int	hist_iter_next(hist_iter *it, int *key, int64_t *count);

/* Encodes sorted distinct keys and counts (>= 1) as runs; out NULL: measure */
extern size_t hist_encode_runs(const int *keys, const uint64_t *counts,
							   size_t n, uint8_t *out);

/* A PACKED value with the stats of `stats` and the given sorted buckets. */
extern hist *hist_build_packed(const hist *stats, const int *keys,
							   const uint64_t *counts, size_t n,
							   size_t *out_size);

/* ---- statistics on a PACKED value with count > 0 (histogram.c) ---- */

extern int64_t hist_mean(const hist *h);
extern bool hist_percentile(const hist *h, size_t size, double p,
							int64_t *result);
extern bool hist_share_within(const hist *h, size_t size, int64_t target,
							  double *result);

/* ---- text and binary forms (hist_format.c) ---- */

/* Text form of a PACKED value, NUL-terminated, from hist_alloc0. */
extern char *hist_to_text(const hist *h, size_t size);

/*
 * Parses the text form (len bytes, need not be NUL-terminated).  On error
 * returns NULL and writes a one-sentence reason into err.
 */
extern hist *hist_from_text(const char *s, size_t len, size_t *out_size,
							char *err, size_t errlen);

/* Binary (send/recv) form of a PACKED value, from hist_alloc0. */
extern uint8_t *hist_to_wire(const hist *h, size_t size, size_t *len);

/*
 * Parses the binary form.  On error returns NULL, sets *bad_version when the
 * version byte is one this build does not know, and writes a reason.
 */
extern hist *hist_from_wire(const uint8_t *buf, size_t len, size_t *out_size,
							bool *bad_version, char *err, size_t errlen);

#endif							/* KPI_HISTOGRAM_H */
