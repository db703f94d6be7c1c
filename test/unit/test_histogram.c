/*
 * test_histogram.c
 *		Unit tests of the plain-C kpi_hist core (src/hist_*.c, histogram.c).
 *
 * Prints "ok - name" or "not ok - name" per check, as test/run.sh counts
 * them.  Everything is deterministic (a fixed-seed xorshift generator).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"
#include "hist_window.h"

void *
hist_alloc0(size_t size)
{
	void	   *p = calloc(1, size ? size : 1);

	if (p == NULL)
		abort();
	return p;
}

void
hist_free(void *ptr)
{
	free(ptr);
}

static int	failures_in_test;

static void
report(const char *name)
{
	printf("%s - %s\n", failures_in_test ? "not ok" : "ok", name);
	failures_in_test = 0;
}

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) \
		{ \
			if (failures_in_test++ < 5) \
			{ \
				printf("# %s:%d: ", __FILE__, __LINE__); \
				printf(__VA_ARGS__); \
				printf("\n"); \
			} \
		} \
	} while (0)

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static double
rng_unit(void)
{
	return (double) (rng() >> 11) / 9007199254740992.0;
}

static double
rng_normal(void)
{
	double		u1 = rng_unit(),
				u2 = rng_unit();

	if (u1 < 1e-300)
		u1 = 1e-300;
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static hist_i128
i128_abs(hist_i128 v)
{
	return v < 0 ? -v : v;
}

/* |a - b| <= 1% of |b|, exactly */
static bool
within_1pct(int64_t a, int64_t b)
{
	return i128_abs((hist_i128) a - b) * 100 <= i128_abs(b);
}

/* ---- bucket scheme ---- */

static void
test_bucket_table(void)
{
	int			k;
	int64_t		prev_hi = 0;
	double		worst = 0;

	hist_init();
	CHECK(hist_max_key < 32767, "max key %d does not fit int16", hist_max_key);
	for (k = -hist_max_key; k < hist_max_key; k++)
	{
		int64_t		lo,
					hi,
					r = hist_key_rep(k);

		hist_key_range(k, &lo, &hi);
		if (k == -hist_max_key)
			CHECK(lo == INT64_MIN, "lowest key starts at %" PRId64, lo);
		else
			CHECK(lo == prev_hi + 1, "key %d starts at %" PRId64 " after %" PRId64,
				  k, lo, prev_hi);
		prev_hi = hi;
		CHECK(lo <= r && r <= hi, "key %d rep %" PRId64 " outside [%" PRId64 ", %" PRId64 "]",
			  k, r, lo, hi);
		CHECK(hist_key(lo) == k && hist_key(hi) == k,
			  "key %d: key(lo)=%d key(hi)=%d", k, hist_key(lo), hist_key(hi));
		/* the error is largest at the ends of the range, so this is a proof */
		CHECK(within_1pct(r, lo) && within_1pct(r, hi),
			  "key %d: rep %" PRId64 " not within 1%% of [%" PRId64 ", %" PRId64 "]",
			  k, r, lo, hi);
		if (lo != 0)
		{
			double		e1 = fabs((double) r - (double) lo) / fabs((double) lo);
			double		e2 = fabs((double) hi - (double) r) / fabs((double) hi);

			if (e1 > worst)
				worst = e1;
			if (e2 > worst)
				worst = e2;
		}
	}
	CHECK(prev_hi == INT64_MAX, "highest key ends at %" PRId64, prev_hi);
	printf("# %d keys, %d small buckets, %d per octave, worst relative error %.5f%%\n",
		   2 * hist_max_key, hist_nsmall, hist_nsub, worst * 100);
	report("every bucket's representative is within 1% of its whole range");
}

static void
test_bucket_brute_force(void)
{
	int64_t		v;
	int			prev = -1;
	long		i;

	for (v = 0; v <= ((int64_t) 1 << 22); v++)
	{
		int			k = hist_key(v);

		CHECK(within_1pct(hist_key_rep(k), v), "v=%" PRId64, v);
		CHECK(k == prev || k == prev + 1, "keys not monotone at v=%" PRId64, v);
		CHECK(hist_key(-v) == -k, "key(-v) != -key(v) at %" PRId64, v);
		prev = k;
	}
	report("every duration up to 2^22 us maps to a bucket within 1%");

	for (i = 0; i < 4000000; i++)
	{
		int			shift = (int) (rng() % 64);
		int64_t		a = (int64_t) (rng() >> shift),
					b = (int64_t) (rng() >> (rng() % 64));

		if (rng() & 1)
			a = -a;
		if (rng() & 1)
			b = -b;
		CHECK(within_1pct(hist_key_rep(hist_key(a)), a), "v=%" PRId64, a);
		CHECK((a < b) ? hist_key(a) <= hist_key(b) : hist_key(a) >= hist_key(b),
			  "not monotone: %" PRId64 " %" PRId64, a, b);
	}
	CHECK(hist_key_rep(hist_key(INT64_MIN)) == INT64_MIN, "INT64_MIN");
	CHECK(hist_key(INT64_MIN) == -hist_max_key, "INT64_MIN key");
	CHECK(within_1pct(hist_key_rep(hist_key(INT64_MAX)), INT64_MAX), "INT64_MAX");
	CHECK(hist_key(INT64_MAX) == hist_max_key - 1, "INT64_MAX key");
	report("4M random durations of every magnitude and sign are within 1%, keys monotone");
}

/* ---- building, merging, packing ---- */

static int
cmp_i64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a,
				y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

static hist *
build(const int64_t *v, size_t n, int64_t pending)
{
	hist	   *h = hist_new();
	hist_status st;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		hist	   *h2 = hist_add(h, v[i], &st);

		if (h2 == NULL)
			abort();
		if (h2 != h)
			hist_free(h);
		h = h2;
	}
	while (pending-- > 0)
		hist_add_pending(h);
	return h;
}

static hist *
pack(const hist *h, size_t *size)
{
	return hist_pack(h, h->layout == HIST_PACKED ? *size : hist_working_size(h), size);
}

static hist *
build_packed(const int64_t *v, size_t n, int64_t pending, size_t *size)
{
	hist	   *h = build(v, n, pending);
	hist	   *p = pack(h, size);

	hist_free(h);
	return p;
}

/* Data sets: fills v[0..n) */
typedef enum
{
	D_LOGNORMAL, D_UNIFORM, D_BIMODAL, D_CONSTANT, D_SMALL, D_DECADES,
	D_NEGATIVE, D_EXTREME, D_COUNT
} dist;

static const char *dist_name[] = {
	"lognormal", "uniform", "bimodal", "constant", "microseconds", "decades",
	"negative", "extreme"
};

static void
fill(dist d, int64_t *v, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		switch (d)
		{
			case D_LOGNORMAL:
				v[i] = (int64_t) (7.2e9 * exp(1.5 * rng_normal()));
				break;
			case D_UNIFORM:
				v[i] = (int64_t) (rng() % 86400000000ULL);
				break;
			case D_BIMODAL:
				v[i] = (rng() & 1) ? (int64_t) (6e7 * exp(0.3 * rng_normal()))
					: (int64_t) (8.64e10 * exp(0.3 * rng_normal()));
				break;
			case D_CONSTANT:
				v[i] = 3600000000LL;
				break;
			case D_SMALL:
				v[i] = (int64_t) (rng() % 2000);
				break;
			case D_DECADES:
				v[i] = (int64_t) (rng() % (100ULL * 365 * 86400000000ULL));
				break;
			case D_NEGATIVE:
				v[i] = (int64_t) (rng() % 20000000000ULL) - 5000000000LL;
				break;
			case D_EXTREME:
				v[i] = (int64_t) rng();
				break;
			default:
				v[i] = 0;
		}
	}
}

static const double probs[] = {
	0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1
};

/* exact mean, rounded half to even, by a different route than hist_mean */
static int64_t
exact_mean(const int64_t *v, size_t n)
{
	hist_i128	s = 0,
				q,
				r;
	size_t		i;

	for (i = 0; i < n; i++)
		s += v[i];
	q = s / (hist_i128) n;
	r = s - q * (hist_i128) n;
	if (r < 0)
	{
		q -= 1;
		r += n;
	}
	/* now s = q n + r with 0 <= r < n: round q + r/n */
	if (2 * r > (hist_i128) n || (2 * r == (hist_i128) n && (q & 1)))
		q += 1;
	return (int64_t) q;
}

static void
test_accuracy(void)
{
	static const size_t sizes[] = {1, 2, 3, 7, 40, 100, 229, 1000, 5000, 200000};
	int			d;
	size_t		si;

	for (d = 0; d < D_COUNT; d++)
	{
		for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++)
		{
			size_t		n = sizes[si],
						size,
						j;
			int64_t    *v = malloc(n * sizeof(int64_t));
			hist	   *p;
			int64_t		prev = INT64_MIN,
						got;
			char		name[128];
			int			step;

			fill((dist) d, v, n);
			p = build_packed(v, n, (int64_t) si, &size);
			qsort(v, n, sizeof(int64_t), cmp_i64);
			CHECK(p->count == (int64_t) n, "count");
			CHECK(p->pending == (int64_t) si, "pending");
			CHECK(p->min == v[0] && p->max == v[n - 1], "min/max");
			CHECK(hist_mean(p) == exact_mean(v, n), "mean %" PRId64 " vs %" PRId64,
				  hist_mean(p), exact_mean(v, n));
			for (j = 0; j < sizeof(probs) / sizeof(probs[0]); j++)
			{
				int64_t		k = (int64_t) ceil(probs[j] * (double) n);
				int64_t		want = v[k < 1 ? 0 : k - 1];

				CHECK(hist_percentile(p, size, probs[j], &got), "percentile failed");
				CHECK(within_1pct(got, want),
					  "%s n=%zu p=%g: %" PRId64 " vs %" PRId64,
					  dist_name[d], n, probs[j], got, want);
				CHECK(got >= p->min && got <= p->max, "outside [min, max]");
			}
			CHECK(hist_percentile(p, size, 0, &got) && got == v[0], "p=0 not min");
			CHECK(hist_percentile(p, size, 1, &got) && got == v[n - 1], "p=1 not max");
			for (step = 0; step <= 1000; step++)
			{
				CHECK(hist_percentile(p, size, step / 1000.0, &got), "percentile failed");
				CHECK(got >= prev, "decreases at p=%g", step / 1000.0);
				prev = got;
			}
			/* share_within: wrong only for durations within 1% of target */
			for (j = 0; j < 20; j++)
			{
				int64_t		target = v[rng() % n] + (int64_t) (rng() % 1000) - 500;
				double		share;
				size_t		le = 0,
							near = 0,
							i;

				for (i = 0; i < n; i++)
				{
					if (v[i] <= target)
						le++;
					if (within_1pct(v[i], target))
						near++;
				}
				CHECK(hist_share_within(p, size, target, &share), "share failed");
				CHECK(fabs(share - 100.0 * le / n) <= 100.0 * near / n + 1e-9,
					  "share %g vs %g (near %zu)", share, 100.0 * le / n, near);
				if (target < v[0])
					CHECK(share == 0, "share below min");
				if (target >= v[n - 1])
					CHECK(share == 100, "share above max");
			}
			(void) name;
			hist_free(p);
			free(v);
		}
		{
			char		name[128];

			snprintf(name, sizeof(name),
					 "%s: count, min, max, mean exact; percentiles within 1%% of percentile_disc, monotone; share_within",
					 dist_name[d]);
			report(name);
		}
	}
}

/* merge of random parts, in random layouts and order == whole, byte for byte */
static void
test_merge(void)
{
	int			round;

	for (round = 0; round < 300; round++)
	{
		size_t		n = (size_t) (rng() % (round < 200 ? 3000 : 60000)) + 1,
					whole_size,
					size,
					done = 0;
		int64_t    *v = malloc(n * sizeof(int64_t));
		hist	   *whole,
				   *acc = NULL,
				   *p;
		hist_status st;
		int64_t		pending = (int64_t) (rng() % 3);

		fill((dist) (rng() % D_COUNT), v, n);
		whole = build_packed(v, n, pending, &whole_size);
		while (done < n)
		{
			size_t		part = (size_t) (rng() % (n - done)) + 1;
			hist	   *h = build(v + done, part, 0),
					   *n2;
			size_t		hsize = hist_working_size(h);

			if (rng() & 1)
			{
				hist	   *ph = hist_pack(h, hsize, &hsize);

				hist_free(h);
				h = ph;
			}
			n2 = hist_merge(acc, h, hsize, &st);
			CHECK(n2 != NULL, "merge failed: %d", (int) st);
			if (n2 == NULL)
				break;
			if (acc != NULL && n2 != acc)
				hist_free(acc);
			acc = n2;
			hist_free(h);
			done += part;
		}
		{
			hist	   *pend = build(NULL, 0, pending);
			hist	   *n2 = hist_merge(acc, pend, hist_working_size(pend), &st);

			if (n2 != acc)
				hist_free(acc);
			acc = n2;
			hist_free(pend);
		}
		p = hist_pack(acc, hist_working_size(acc), &size);
		CHECK(size == whole_size && memcmp((char *) p + 4, (char *) whole + 4, size - 4) == 0,
			  "round %d: merged parts differ from the whole (n=%zu)", round, n);
		hist_free(p);
		hist_free(acc);
		hist_free(whole);
		free(v);
	}
	report("merging random parts in mixed layouts equals the whole, byte for byte");
}

/*
 * A sliding window equals a fresh build of its frame, min and max included,
 * on every distribution and on trending data (each leaving row is the min
 * or the max), without ever asking for a recount.
 */
static void
test_window(void)
{
	int			round;
	long		removed = 0,
				refused = 0;

	for (round = 0; round < 240; round++)
	{
		size_t		n = (size_t) (rng() % 2000) + 2,
					w = (size_t) (rng() % 300) + 1,
					i;
		int64_t    *v = malloc(n * sizeof(int64_t));
		hist_window win;
		size_t		start = 0;

		fill((dist) (rng() % D_COUNT), v, n);
		if (round % 4 == 1)		/* rising */
			for (i = 0; i < n; i++)
				v[i] = (int64_t) i * 1000;
		else if (round % 4 == 2)	/* falling, with repeats */
			for (i = 0; i < n; i++)
				v[i] = (int64_t) (n - i / 3) * 7;
		hist_window_init(&win);
		for (i = 0; i < n; i++)
		{
			CHECK(hist_window_add(&win, v[i]) == HIST_OK,
				  "round %d row %zu: add failed", round, i);
			if (i - start + 1 > w)
			{
				if (hist_window_remove(&win, v[start]))
					removed++;
				else
					refused++;
				start++;
			}
			if (i % 37 == 0 || i == n - 1)
			{
				size_t		s1,
							s2;
				hist	   *a = hist_pack(win.h, hist_working_size(win.h), &s1);
				hist	   *b = build_packed(v + start, i - start + 1, 0, &s2);

				CHECK(s1 == s2 && memcmp((char *) a + 4, (char *) b + 4, s1 - 4) == 0,
					  "round %d row %zu: window differs from recomputation", round, i);
				hist_free(a);
				hist_free(b);
			}
		}
		/* empty the frame: an empty histogram with min = max = 0 */
		for (; start < n; start++)
			CHECK(hist_window_remove(&win, v[start]), "round %d: draining refused", round);
		CHECK(win.h->count == 0 && win.h->min == 0 && win.h->max == 0 &&
			  win.lows.len == 0 && win.highs.len == 0,
			  "round %d: drained window is not empty", round);
		hist_window_free(&win);
		free(v);
	}
	printf("# %ld rows removed in place, %ld refused\n", removed, refused);
	CHECK(removed > 0 && refused == 0, "a window never needs a recount");
	report("moving-window removal equals recomputing the frame, min and max exact");
}

/* What cannot be the frame's oldest row is refused, and nothing changes. */
static void
test_window_refusals(void)
{
	hist_window win;

	hist_window_init(&win);
	CHECK(!hist_window_remove(&win, 5), "removing from an empty window is refused");
	hist_window_add(&win, 0);
	hist_window_add(&win, 10);
	hist_window_add(&win, 1000000);
	CHECK(!hist_window_remove(&win, 999999), "a value beside the max, never added, is refused");
	CHECK(!hist_window_remove(&win, -1), "a value below the min is refused");
	CHECK(!hist_window_remove(&win, 2000000), "a value above the max is refused");
	CHECK(!hist_window_remove(&win, 500), "a value whose bucket is empty is refused");
	CHECK(win.h->count == 3 && win.h->min == 0 && win.h->max == 1000000,
		  "refusals change nothing");
	hist_window_free(&win);
	report("window removals that cannot be the oldest row are refused");
}

static void
test_layouts(void)
{
	char		err[256];
	size_t		size,
				s2;
	hist	   *a,
			   *b,
			   *acc,
			   *p;
	hist_status st;
	const char *big = "kpi_hist v1 count=3000000000 pending=0 sum_us=3000000000 "
		"min_us=1 max_us=1 buckets=1:3000000000";
	char	   *text;
	int64_t		one = 7;

	a = hist_from_text(big, strlen(big), &size, err, sizeof(err));
	CHECK(a != NULL, "parse: %s", err);
	if (a == NULL)
	{
		report("counters widen past 2^32 and counts overflow cleanly");
		return;
	}
	/* a small SPARSE value that a big merge turns into 8-byte counters */
	{
		const char *huge = "kpi_hist v1 count=6000000000 pending=0 sum_us=6000000000 "
			"min_us=1 max_us=1 buckets=1:6000000000";
		size_t		hs;
		hist	   *hh = hist_from_text(huge, strlen(huge), &hs, err, sizeof(err));

		acc = hist_new();
		acc = hist_add(acc, 2, &st);
		acc = hist_add(acc, 3, &st);
		b = hist_merge(acc, hh, hs, &st);
		hist_free(hh);
	}
	CHECK(b != NULL && b->layout == HIST_DENSE, "dense after a big merge");
	if (b != acc)
		hist_free(acc);
	p = hist_pack(b, hist_working_size(b), &s2);
	text = hist_to_text(p, s2);
	CHECK(strcmp(text, "kpi_hist v1 count=6000000002 pending=0 sum_us=6000000005 "
				 "min_us=1 max_us=3 buckets=1:6000000000,2:1,3:1") == 0, "%s", text);
	hist_free(text);
	hist_free(p);
	hist_free(b);

	acc = hist_merge(NULL, a, size, &st);
	CHECK(acc != NULL && acc->layout == HIST_DENSE, "dense after a big merge");
	b = hist_merge(acc, a, size, &st);
	if (b != acc)
		hist_free(acc);
	acc = b;
	b = hist_add(acc, one, &st);
	if (b != acc)
		hist_free(acc);
	acc = b;
	p = hist_pack(acc, hist_working_size(acc), &s2);
	text = hist_to_text(p, s2);
	CHECK(strcmp(text, "kpi_hist v1 count=6000000001 pending=0 sum_us=6000000007 "
				 "min_us=1 max_us=7 buckets=1:6000000000,7:1") == 0, "%s", text);
	hist_free(text);
	hist_free(p);
	hist_free(acc);
	hist_free(a);

	big = "kpi_hist v1 count=9223372036854775807 pending=9223372036854775807 "
		"sum_us=9223372036854775807 min_us=1 max_us=1 buckets=1:9223372036854775807";
	a = hist_from_text(big, strlen(big), &size, err, sizeof(err));
	CHECK(a != NULL, "parse max: %s", err);
	if (a)
	{
		acc = hist_merge(NULL, a, size, &st);
		CHECK(acc != NULL, "copy of max");
		b = acc ? hist_merge(acc, a, size, &st) : NULL;
		CHECK(b == NULL && st == HIST_COUNT_OVERFLOW, "count overflow not caught");
		if (acc)
		{
			CHECK(hist_add(acc, 1, &st) == NULL && st == HIST_COUNT_OVERFLOW, "add overflow");
			CHECK(hist_add_pending(acc) == HIST_COUNT_OVERFLOW, "pending overflow");
		}
		hist_free(acc);
		hist_free(a);
	}
	report("counters widen past 2^32 and counts overflow cleanly");
}

/* ---- text and binary ---- */

static void
test_roundtrip(void)
{
	int			round;

	for (round = 0; round < 400; round++)
	{
		size_t		n = (size_t) (rng() % (round % 10 == 0 ? 20000 : 200)),
					size,
					s2,
					s3,
					wlen;
		int64_t    *v = malloc((n + 1) * sizeof(int64_t));
		hist	   *p,
				   *q,
				   *r;
		char	   *text,
					err[256];
		uint8_t    *wire;
		bool		badv;

		fill((dist) (rng() % D_COUNT), v, n);
		p = build_packed(v, n, n == 0 ? 1 + (int64_t) (rng() % 5) : (int64_t) (rng() % 5), &size);
		text = hist_to_text(p, size);
		q = hist_from_text(text, strlen(text), &s2, err, sizeof(err));
		CHECK(q != NULL, "text did not parse back: %s: %.200s", err, text);
		CHECK(q && s2 == size && memcmp((char *) p + 4, (char *) q + 4, size - 4) == 0,
			  "text round trip differs");
		wire = hist_to_wire(p, size, &wlen);
		r = hist_from_wire(wire, wlen, &s3, &badv, err, sizeof(err));
		CHECK(r != NULL, "wire did not parse back: %s", err);
		CHECK(r && s3 == size && memcmp((char *) p + 4, (char *) r + 4, size - 4) == 0,
			  "wire round trip differs");

		/* no prefix of the wire form is valid, and none is over-read */
		if (round < 100)
		{
			size_t		cut;

			for (cut = 0; cut < wlen; cut++)
			{
				uint8_t    *copy = malloc(cut ? cut : 1);
				hist	   *t;
				size_t		ts;

				memcpy(copy, wire, cut);
				t = hist_from_wire(copy, cut, &ts, &badv, err, sizeof(err));
				CHECK(t == NULL, "truncated wire form accepted (%zu of %zu)", cut, wlen);
				hist_free(t);
				free(copy);
			}
		}
		hist_free(text);
		hist_free(wire);
		hist_free(p);
		hist_free(q);
		hist_free(r);
		free(v);
	}
	report("text and binary forms round-trip exactly; truncated binary is rejected");
}

static void
test_text_errors(void)
{
	static const char *bad[] = {
		"",
		"kpi_hist",
		"kpi_hist v2 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1",
		"kpi_hist v0 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1",
		"kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1 x",
		"kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1,",
		"kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:2",
		"kpi_hist v1 count=2 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1",
		"kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=6:1",
		"kpi_hist v1 count=1 pending=0 sum_us=6 min_us=5 max_us=5 buckets=5:1",
		"kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=6 buckets=5:1",
		"kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:0",
		"kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=05:1",
		"kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=+5:1",
		"kpi_hist v1 count=1 pending=-0 sum_us=5 min_us=5 max_us=5 buckets=5:1",
		"kpi_hist v1 count=1 pending=-1 sum_us=5 min_us=5 max_us=5 buckets=5:1",
		"kpi_hist v1 count=-1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1",
		"kpi_hist v1 count=0 pending=0 sum_us=1 min_us=0 max_us=0 buckets=",
		"kpi_hist v1 count=0 pending=1 sum_us=1 min_us=0 max_us=0 buckets=",
		"kpi_hist v1 count=0 pending=1 sum_us=0 min_us=0 max_us=0 buckets=0:1",
		"kpi_hist v1 count=2 pending=0 sum_us=10 min_us=5 max_us=5 buckets=5:1,5:1",
		"kpi_hist v1 count=2 pending=0 sum_us=11 min_us=5 max_us=6 buckets=6:1,5:1",
		"kpi_hist v1 count=3 pending=0 sum_us=18 min_us=5 max_us=6 buckets=5:1,6:2",
		"kpi_hist v1 count=3 pending=0 sum_us=15 min_us=5 max_us=6 buckets=5:2,6:1",
		"kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5  buckets=5:1",
		"kpi_hist v1 count=1 pending=0 sum_us=5 max_us=5 min_us=5 buckets=5:1",
		"kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=99999:1",
		"kpi_hist v1 count=99999999999999999999 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1",
		"KPI_HIST v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1",
	};
	size_t		i;
	char		err[256];
	const char *good = " kpi_hist v1 count=2 pending=0 sum_us=11 min_us=5 max_us=6 buckets=5:1,6:1\n";
	const char *empty = "kpi_hist v1 count=0 pending=0 sum_us=0 min_us=0 max_us=0 buckets=";
	hist	   *h;
	size_t		size;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		size_t		len = strlen(bad[i]);

		err[0] = '\0';
		h = hist_from_text(bad[i], len, &size, err, sizeof(err));
		CHECK(h == NULL, "accepted: %s", bad[i]);
		CHECK(h != NULL || err[0] != '\0', "no reason given for: %s", bad[i]);
		hist_free(h);
	}
	h = hist_from_text(good, strlen(good), &size, err, sizeof(err));
	CHECK(h != NULL, "rejected good text: %s", err);
	hist_free(h);
	/* empty is a value: a window state of NULL rows, flattened, is one */
	h = hist_from_text(empty, strlen(empty), &size, err, sizeof(err));
	CHECK(h != NULL, "rejected the empty value: %s", err);
	hist_free(h);
	/* a NUL inside the given length is garbage too */
	h = hist_from_text(good, strlen(good) + 1, &size, err, sizeof(err));
	CHECK(h == NULL, "accepted a trailing NUL");
	hist_free(h);
	report("the text parser rejects every malformed or inconsistent value");
}

static void
test_wire_corruption(void)
{
	int			round;
	int			accepted = 0;

	for (round = 0; round < 3000; round++)
	{
		size_t		n = (size_t) (rng() % 50) + 1,
					size,
					wlen,
					s2;
		int64_t    *v = malloc(n * sizeof(int64_t));
		hist	   *p,
				   *q;
		uint8_t    *wire;
		char		err[256];
		bool		badv;
		size_t		pos;

		fill((dist) (rng() % D_COUNT), v, n);
		p = build_packed(v, n, 0, &size);
		wire = hist_to_wire(p, size, &wlen);
		pos = (size_t) (rng() % wlen);
		wire[pos] ^= (uint8_t) (1u << (rng() % 8));
		q = hist_from_wire(wire, wlen, &s2, &badv, err, sizeof(err));
		if (pos == 0)
			CHECK(q == NULL && badv, "unknown version accepted");
		if (q != NULL)
		{
			/* a flip that still passes every check must re-encode the same */
			size_t		wlen2;
			uint8_t    *w2 = hist_to_wire(q, s2, &wlen2);

			accepted++;
			CHECK(wlen2 == wlen && memcmp(w2, wire, wlen) == 0, "accepted value re-encodes differently");
			hist_free(w2);
		}
		hist_free(q);
		hist_free(wire);
		hist_free(p);
		free(v);
	}
	printf("# %d of 3000 one-bit corruptions still formed a consistent value\n", accepted);
	report("corrupted binary values are rejected or consistent, never over-read");
}

int
main(void)
{
	test_bucket_table();
	test_bucket_brute_force();
	test_accuracy();
	test_merge();
	test_window();
	test_window_refusals();
	test_layouts();
	test_roundtrip();
	test_text_errors();
	test_wire_corruption();
	return 0;
}
