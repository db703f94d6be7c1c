/*
 * significance.c — p-values for "is the change real?" (see significance.h).
 *
 * The normal tests compute z from exact integer differences (a difference
 * of two shares is a difference of cross products, exact in 128 bits), so a
 * tiny change on a huge sample is not lost to cancellation, then take
 * erfc(|z| / sqrt 2), which keeps its relative accuracy far out in the tail
 * where 1 - Phi(z) would round to 0.
 *
 * The exact binomial test sums the probabilities of the outcomes no more
 * likely than the observed one, as R's binom.test defines it.  Those are
 * two tails: every outcome from the observed one outwards, and, on the
 * other side of the mean, every outcome from the first one no more likely
 * outwards (the density is unimodal, so a binary search finds it).  Each
 * tail is summed in units of the observed probability, starting at its
 * largest term and stepping outwards with the exact ratio of neighbouring
 * probabilities, until a bound on the rest (the ratios only shrink away
 * from the mode, so the rest is below a geometric series) is negligible.
 * The starting probabilities come from the saddle-point form of the
 * binomial density (Loader, "Fast and accurate computation of binomial
 * probabilities", 2000): exp(lgamma(...)) loses ~1e-8 at n = 10^7, the
 * deviance form keeps full precision at any n.  Where a tail has more
 * than STEP_LIMIT outcomes that matter (about 10 standard deviations: n
 * above ~1.6e7, beyond the 10^7 promised exact) it is summed with a stride
 * and Euler-Maclaurin end corrections instead: relative error below 1e-10,
 * in a bounded time at any n.
 */
#include "significance.h"

#include <float.h>
#include <math.h>

typedef long double ld;

#define LOG_2PI 1.837877066409345483560659472811235279722794947275566825634L

double
sig_normal_p(ld z)
{
	double		p = erfc((double) (fabsl(z) / sqrtl(2.0L)));

	return p > 1.0 ? 1.0 : p;
}

bool
sig_csat_test(const ScoreCounts *a, const ScoreCounts *b, int satisfied_min,
			  double *p_value)
{
	int64_t		na = scores_at_least(a, 0);
	int64_t		nb = scores_at_least(b, 0);
	int64_t		xa = scores_at_least(a, satisfied_min);
	int64_t		xb = scores_at_least(b, satisfied_min);
	__int128	diff;
	ld			x,
				n,
				var;

	if (na == 0 || nb == 0)
		return false;
	/* xa/na - xb/nb, times na * nb: exact */
	diff = (__int128) xa * nb - (__int128) xb * na;
	if (diff == 0)
	{
		*p_value = 1.0;
		return true;
	}

	/*
	 * z = diff / (na nb) / sqrt(P (1 - P) (1/na + 1/nb)) with the pooled
	 * share P = x / n, which simplifies to the products below.  P is neither
	 * 0 nor 1 here: the shares differ.
	 */
	x = (ld) xa + (ld) xb;
	n = (ld) na + (ld) nb;
	var = (ld) na * (ld) nb * x * (n - x) / n;
	*p_value = sig_normal_p((ld) diff / sqrtl(var));
	return true;
}

bool
sig_nps_test(const ScoreCounts *a, const ScoreCounts *b, double *p_value)
{
	const ScoreCounts *s[2] = {a, b};
	int64_t		n[2],
				net[2];
	ld			var = 0;
	__int128	diff;

	for (int i = 0; i < 2; i++)
	{
		int64_t		promoters = scores_at_least(s[i], 9);
		int64_t		detractors = scores_at_least(s[i], 0) - scores_at_least(s[i], 7);
		__int128	w;

		n[i] = scores_at_least(s[i], 0);
		if (n[i] == 0)
			return false;
		net[i] = promoters - detractors;

		/*
		 * V / n with V = p + d - (p - d)^2 in shares is w / n^3, where w =
		 * (promoters + detractors) n - net^2 >= 0, exact.
		 */
		w = (__int128) (promoters + detractors) * n[i] - (__int128) net[i] * net[i];
		var += (ld) w / ((ld) n[i] * (ld) n[i] * (ld) n[i]);
	}
	/* NPS_a - NPS_b in shares, times na * nb: exact */
	diff = (__int128) net[0] * n[1] - (__int128) net[1] * n[0];
	if (diff == 0)
		*p_value = 1.0;
	else if (var == 0)
		*p_value = 0.0;			/* no spread on either side, and a change */
	else
		*p_value = sig_normal_p((ld) diff / ((ld) n[0] * (ld) n[1]) / sqrtl(var));
	return true;
}

bool
sig_rate_change(int64_t current, uint64_t current_length,
				int64_t previous, uint64_t previous_length, double *percent)
{
	/* rate_c / rate_p - 1 = (c tp - p tc) / (p tc); the products are exact */
	unsigned __int128 c = (unsigned __int128) current * previous_length;
	unsigned __int128 p = (unsigned __int128) previous * current_length;

	if (previous == 0)
		return false;
	if (c >= p)
		*percent = (double) (100.0L * (ld) (c - p) / (ld) p);
	else
		*percent = (double) (-100.0L * (ld) (p - c) / (ld) p);
	return true;
}

bool
sig_rate_test(int64_t current, uint64_t current_length,
			  int64_t previous, uint64_t previous_length,
			  double *p_value, bool *overflow)
{
	int64_t		n;

	*overflow = __builtin_add_overflow(current, previous, &n);
	if (*overflow || n == 0)
		return false;
	*p_value = sig_binomial_test(current, n, current_length, previous_length);
	return true;
}

/* ---------- the binomial density ---------- */

/*
 * stirlerr(k) = log(k!) - log(sqrt(2 pi k) (k/e)^k), the error of
 * Stirling's formula, for k >= 1.  Up to 15 from lgammal, where the value
 * is small enough for its absolute error to stay near 1e-18; above, the
 * asymptotic series, whose first omitted term is below 1e-17 there.
 */
static ld
stirlerr(ld k)
{
	ld			r,
				r2;

	if (k <= 15)
		return lgammal(k + 1) - (k + 0.5L) * logl(k) + k - LOG_2PI / 2;
	r = 1 / k;
	r2 = r * r;
	return r * (1.0L / 12 - r2 * (1.0L / 360 - r2 * (1.0L / 1260 - r2 * (1.0L / 1680
				- r2 * (1.0L / 1188 - r2 * (691.0L / 360360))))));
}

/*
 * bd0(x, m) = x log(x / m) + m - x, the deviance term, for x > 0, m > 0.
 * Near x = m the direct form cancels; there the series in v = (x - m) /
 * (x + m): (x - m) v + 2 x sum v^(2j+1) / (2j + 1), all terms positive.
 */
static ld
bd0(ld x, ld m)
{
	ld			v,
				v2,
				e,
				s,
				s1;

	if (fabsl(x - m) >= 0.1L * (x + m))
		return x * logl(x / m) + m - x;
	v = (x - m) / (x + m);
	v2 = v * v;
	s = (x - m) * v;
	e = 2 * x * v;
	for (int j = 3;; j += 2)
	{
		e *= v2;
		s1 = s + e / j;
		if (s1 == s)
			return s;
		s = s1;
	}
}

/* The success and failure probabilities, and their ratio, from the weights. */
typedef struct Binomial
{
	int64_t		n;
	uint64_t	ws,
				wf;
	ld			p,
				q,
				odds;			/* p / q */
} Binomial;

static Binomial
binomial_make(int64_t n, uint64_t ws, uint64_t wf)
{
	Binomial	b;
	ld			w = (ld) ws + (ld) wf;

	b.n = n;
	b.ws = ws;
	b.wf = wf;
	b.p = (ld) ws / w;
	b.q = (ld) wf / w;
	b.odds = (ld) ws / (ld) wf;
	return b;
}

static ld
log_density(const Binomial *b, int64_t x)
{
	ld			n = (ld) b->n;
	ld			lc;

	/* log q = -log1p(odds), log p = -log1p(1 / odds): no 1 - p */
	if (x == 0)
		return -n * log1pl(b->odds);
	if (x == b->n)
		return -n * log1pl(1 / b->odds);
	lc = stirlerr(n) - stirlerr((ld) x) - stirlerr((ld) (b->n - x))
		- bd0((ld) x, n * b->p) - bd0((ld) (b->n - x), n * b->q);
	return lc - 0.5L * (LOG_2PI + logl((ld) x) + logl((ld) (b->n - x)) - logl(n));
}

long double
sig_binomial_log_density(int64_t x, int64_t n, uint64_t w_success, uint64_t w_failure)
{
	Binomial	b = binomial_make(n, w_success, w_failure);

	return log_density(&b, x);
}

/* Ratio of the probability of k + dir to that of k (dir = +1 or -1). */
static ld
step_ratio(const Binomial *b, int64_t k, int dir)
{
	if (dir > 0)
		return k >= b->n ? 0 : (ld) (b->n - k) / (ld) (k + 1) * b->odds;
	return k <= 0 ? 0 : (ld) k / (ld) (b->n - k + 1) / b->odds;
}

/* Tails with more outcomes than this to sum are summed with a stride. */
#define STEP_LIMIT 20000

/*
 * The sum of the probabilities of k0, k0 + dir, k0 + 2 dir, ... (within
 * 0..n), in units of exp(log_unit).  k0 is on the far side of the mode, so
 * the ratios of neighbours only shrink from there on.
 */
static ld
tail_sum(const Binomial *b, int64_t k0, int dir, ld log_unit)
{
	ld			term = expl(log_density(b, k0) - log_unit);
	ld			sum = term;
	ld			r = step_ratio(b, k0, dir);
	ld			sd = sqrtl((ld) b->n * b->p * b->q);
	ld			slope,
				h;

	/*
	 * About how many terms matter: 40 / -log r while the terms fall
	 * geometrically, at most ~10 standard deviations near the mode.
	 */
	if (r == 0)
		return sum;
	if (r >= 1 || fminl(10 * sd, 45 / -logl(r)) <= STEP_LIMIT)
	{
		int64_t		k = k0;

		/*
		 * Stop once the rest, below term * r / (1 - r) because every later
		 * ratio is at most r, is negligible next to the sum.
		 */
		while (r > 0 && (r >= 1 || term * r / (1 - r) > sum * (LDBL_EPSILON / 8)))
		{
			term *= r;
			sum += term;
			k += dir;
			r = step_ratio(b, k, dir);
		}
		return sum;
	}

	/*
	 * A stride h: with g(j) the probability of k0 + dir j, sum_j g(j) = h
	 * sum_i g(i h) - (h - 1) g(0) / 2 + (h^2 - 1) g'(0) / 12 - (h^4 - 1)
	 * g'''(0) / 720 + ...  (Euler-Maclaurin on both sums).  The density is
	 * smooth on the scale of sd, and on that of 1 / |slope| far out, so a
	 * stride of 1/64 of the smaller leaves the g''' term below 1e-10 of the
	 * sum.  slope is d log g / dj at 0: digamma differences, to O(1/k^2).
	 */
	if (dir > 0)
		slope = logl(((ld) (b->n - k0) + 0.5L) / ((ld) k0 + 0.5L) * b->odds);
	else
		slope = logl(((ld) k0 + 0.5L) / ((ld) (b->n - k0) + 0.5L) / b->odds);
	h = floorl(sd / (64 * (1 + fabsl(slope) * sd)));
	if (h < 1)
		h = 1;
	sum = term * ((h + 1) / 2 + (h * h - 1) / 12 * slope);
	{
		ld			g = term,
					prev;
		ld			k = (ld) k0;

		for (;;)
		{
			k += dir * h;
			if (k < 0 || k > (ld) b->n)
				break;
			prev = g;
			g = expl(log_density(b, (int64_t) k) - log_unit);
			sum += h * g;
			/* log-concave: later stride ratios are at most g / prev */
			if (g < prev && h * g * (g / prev) / (1 - g / prev) <= sum * (LDBL_EPSILON / 8))
				break;
		}
	}
	return sum;
}

/*
 * The first outcome from `from` towards `to` (density non-increasing that
 * way) whose log probability is at most limit; -1 if there is none.
 */
static int64_t
first_at_most(const Binomial *b, int64_t from, int64_t to, ld limit)
{
	int64_t		lo = from,
				hi = to;

	if (log_density(b, to) > limit)
		return -1;
	/* invariant: the answer is between lo and hi, and hi qualifies */
	while (lo != hi)
	{
		int64_t		mid = lo < hi ? lo + (hi - lo) / 2 : lo - (lo - hi) / 2;

		if (log_density(b, mid) <= limit)
			hi = mid;
		else
			lo = mid + (lo < hi ? 1 : -1);
	}
	return hi;
}

double
sig_binomial_test(int64_t x, int64_t n, uint64_t w_success, uint64_t w_failure)
{
	Binomial	b = binomial_make(n, w_success, w_failure);
	/* x vs the mean n p = n ws / (ws + wf), exactly: x wf vs (n - x) ws */
	unsigned __int128 left = (unsigned __int128) x * w_failure;
	unsigned __int128 right = (unsigned __int128) (n - x) * w_success;
	int64_t		mean_floor;
	ld			log_x,
				limit,
				sum;
	int64_t		other;
	ld			p;

	if (left == right)
		return 1.0;				/* the most likely outcome: every one counts */

	/* floor(n p), corrected to the exact integer comparison */
	mean_floor = (int64_t) floorl((ld) n * b.p);
	if (mean_floor < 0)
		mean_floor = 0;
	if (mean_floor > n)
		mean_floor = n;
	while (mean_floor > 0 &&
		   (unsigned __int128) mean_floor * w_failure > (unsigned __int128) (n - mean_floor) * w_success)
		mean_floor--;
	while (mean_floor < n &&
		   (unsigned __int128) (mean_floor + 1) * w_failure <= (unsigned __int128) (n - mean_floor - 1) * w_success)
		mean_floor++;

	log_x = log_density(&b, x);
	limit = log_x + log1pl(SIG_TIE_TOLERANCE);
	if (left < right)
	{
		/* x below the mean: x and below, and from ceil(n p) up */
		int64_t		mean_ceil = mean_floor;

		if ((unsigned __int128) mean_floor * w_failure != (unsigned __int128) (n - mean_floor) * w_success)
			mean_ceil++;
		sum = tail_sum(&b, x, -1, log_x);
		other = first_at_most(&b, mean_ceil, n, limit);
		if (other >= 0)
			sum += tail_sum(&b, other, +1, log_x);
	}
	else
	{
		/* x above the mean: x and above, and from floor(n p) down */
		sum = tail_sum(&b, x, +1, log_x);
		other = first_at_most(&b, mean_floor, 0, limit);
		if (other >= 0)
			sum += tail_sum(&b, other, -1, log_x);
	}
	p = expl(log_x + logl(sum));
	return p > 1 ? 1.0 : (double) p;
}
