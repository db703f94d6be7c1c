/*
 * hist_bucket.c
 *		The bucket scheme of kpi_hist: which bucket a duration falls in, and
 *		which value stands for a bucket.
 *
 * Every bucket holds a range of integers [a, b] and has a representative r
 * with r - a <= 0.99% of a and b - r <= 0.99% of b, so r is within 1% of
 * every value in the bucket (the relative error of r against v is largest at
 * the ends of the range).  test/unit/test_histogram.c checks this for every
 * bucket, which proves it for every int64.
 *
 * Below 1024 a table gives the bucket of each integer: single integers up to
 * 99, then buckets about 2% wide.  From 1024 up the leading bit gives the
 * octave and the next 10 bits one of 1024 cells of the octave; a second
 * table groups the cells into buckets of at most ~2% width, the same in every
 * octave.  So computing a key is a clz, a shift and two table loads.
 *
 * The tables are built here by the same greedy rule rather than pasted in,
 * so the rule is the documentation.  Changing the rule changes the stored
 * format: it would need a new HIST_VERSION.
 */
#include "histogram.h"

/* (r - a) / a and (b - r) / b at most HIST_ERR_NUM / HIST_ERR_DEN */
#define HIST_ERR_NUM	99
#define HIST_ERR_DEN	10000

#define HIST_MAX_SMALL	256		/* room for the buckets of 1..1023 */
#define HIST_MAX_SUB	64		/* room for the buckets of one octave */

int16_t		hist_small_key[1024];
uint8_t		hist_cell_sub[1024];
int			hist_nsmall;
int			hist_nsub;
int			hist_max_key;

static int32_t small_lo[HIST_MAX_SMALL + 1];	/* by key; key 0 is zero */
static int32_t small_hi[HIST_MAX_SMALL + 1];
static int32_t small_rep[HIST_MAX_SMALL + 1];
static int32_t sub_first_cell[HIST_MAX_SUB + 1];	/* [nsub] = 1024 */
static bool tables_ready = false;

/*
 * Build the tables when the library is loaded, so that the inline
 * hist_key() never meets empty ones, whichever function a backend calls
 * first.  (__int128 already limits us to compilers that have this.)  The
 * explicit hist_init() calls elsewhere stay as a second line of defence.
 */
static void hist_init_at_load(void) __attribute__((constructor));

static void
hist_init_at_load(void)
{
	hist_init();
}

void
hist_init(void)
{
	int64_t		a;
	int			c;

	if (tables_ready)
		return;

	/* 0 is its own bucket */
	hist_small_key[0] = 0;
	small_lo[0] = small_hi[0] = small_rep[0] = 0;
	hist_nsmall = 0;

	/*
	 * 1..1023: from a, take the largest r within the error bound of a, then
	 * the largest b that r still represents.
	 */
	for (a = 1; a < 1024;)
	{
		int64_t		r = a + a * HIST_ERR_NUM / HIST_ERR_DEN;
		int64_t		b = r * HIST_ERR_DEN / (HIST_ERR_DEN - HIST_ERR_NUM);
		int64_t		v;

		if (b > 1023)
			b = 1023;
		if (r > b)
			r = b;
		hist_nsmall++;
		small_lo[hist_nsmall] = (int32_t) a;
		small_hi[hist_nsmall] = (int32_t) b;
		small_rep[hist_nsmall] = (int32_t) r;
		for (v = a; v <= b; v++)
			hist_small_key[v] = (int16_t) hist_nsmall;
		a = b + 1;
	}

	/*
	 * Octaves: a bucket of cells [c0, c1) spans [L, H) = [1024 + c0, 1024 +
	 * c1) times a power of two.  Its best representative, 2LH / (L + H), is
	 * off by (H - L) / (H + L) at either end; keep that within the bound.
	 * Integer rounding is checked by the unit test.
	 */
	hist_nsub = 0;
	for (c = 0; c < 1024;)
	{
		int64_t		lo = 1024 + c;
		int			end = c + 1;

		while (end < 1024 &&
			   ((int64_t) (1024 + end + 1) - lo) * HIST_ERR_DEN <=
			   HIST_ERR_NUM * ((int64_t) (1024 + end + 1) + lo))
			end++;
		sub_first_cell[hist_nsub] = c;
		for (; c < end; c++)
			hist_cell_sub[c] = (uint8_t) hist_nsub;
		hist_nsub++;
	}
	sub_first_cell[hist_nsub] = 1024;

	/* The largest magnitude, 2^63 (INT64_MIN), is alone in octave 63. */
	hist_max_key = hist_nsmall + 1 + 53 * hist_nsub;
	tables_ready = true;
}

/* Range [*lo, *hi] of magnitudes of a key >= 0, in uint64 (2^63 fits). */
static void
key_range_abs(int key, uint64_t *lo, uint64_t *hi)
{
	int			e,
				j;

	if (key <= hist_nsmall)
	{
		*lo = (uint64_t) small_lo[key];
		*hi = (uint64_t) small_hi[key];
		return;
	}
	key -= hist_nsmall + 1;
	e = 10 + key / hist_nsub;
	j = key % hist_nsub;
	if (e == 63)
	{
		*lo = *hi = (uint64_t) 1 << 63;
		return;
	}
	*lo = (uint64_t) (1024 + sub_first_cell[j]) << (e - 10);
	*hi = ((uint64_t) (1024 + sub_first_cell[j + 1]) << (e - 10)) - 1;
}

static uint64_t
key_rep_abs(int key)
{
	uint64_t	lo,
				hi;
	hist_u128	num,
				den;

	if (key <= hist_nsmall)
		return (uint64_t) small_rep[key];
	key_range_abs(key, &lo, &hi);
	if (lo == hi)
		return lo;
	/* round(2 lo hi / (lo + hi)); lo, hi < 2^63 here, so no overflow */
	num = (hist_u128) 2 * lo * hi;
	den = (hist_u128) lo + hi;
	return (uint64_t) ((2 * num + den) / (2 * den));
}

void
hist_key_range(int key, int64_t *lo, int64_t *hi)
{
	uint64_t	alo,
				ahi;

	hist_init();
	if (key >= 0)
	{
		key_range_abs(key, &alo, &ahi);
		*lo = (int64_t) alo;
		*hi = (int64_t) ahi;
	}
	else
	{
		key_range_abs(-key, &alo, &ahi);
		*lo = (int64_t) (0 - ahi);
		*hi = (int64_t) (0 - alo);
	}
}

int64_t
hist_key_rep(int key)
{
	hist_init();
	if (key >= 0)
		return (int64_t) key_rep_abs(key);
	return (int64_t) (0 - key_rep_abs(-key));
}
