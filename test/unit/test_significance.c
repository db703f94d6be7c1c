/*
 * Unit tests of the significance core (src/significance.c).  Every
 * reference value is computed here by another method: exact integer
 * arithmetic for small binomial tests, a brute-force sum of lgammal
 * densities over every outcome for n up to 10^7, Pearson's chi-squared of
 * the 2x2 table for the proportion test; plus published examples with their
 * printed p-values.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "significance.h"
#include "unit.h"

typedef long double ld;

static double
elapsed_ms(struct timespec a, struct timespec b)
{
	return (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
}

/* |got - want| relative to want, with want = 0 needing got = 0 */
static ld
rel_err(ld got, ld want)
{
	if (want == 0)
		return got == 0 ? 0 : INFINITY;
	return fabsl(got - want) / fabsl(want);
}

/* ---------- the exact binomial test ---------- */

/*
 * Exact: with success probability tc / (tc + tp), the probability of k is
 * C(n, k) tc^k tp^(n-k) / (tc + tp)^n, so outcomes compare by the integer
 * weights C(n, k) tc^k tp^(n-k), and "at most (1 + 1e-7) times as likely"
 * is w_k * 10^7 <= w_x * (10^7 + 1), all exact in 128 bits for n <= 40
 * and weights <= 3.
 */
static ld
exact_binomial_p(int n, int x, unsigned tc, unsigned tp)
{
	unsigned __int128 w[41],
				c = 1,
				total = 0,
				hit = 0;

	for (int k = 0; k <= n; k++)
	{
		unsigned __int128 v = c;

		for (int i = 0; i < k; i++)
			v *= tc;
		for (int i = 0; i < n - k; i++)
			v *= tp;
		w[k] = v;
		total += v;
		c = c * (n - k) / (k + 1);
	}
	for (int k = 0; k <= n; k++)
		if (w[k] * 10000000u <= w[x] * 10000001u)
			hit += w[k];
	return (ld) hit / (ld) total;
}

static void
test_binomial_exact_small(void)
{
	static const unsigned weights[][2] = {{1, 1}, {1, 2}, {2, 1}, {1, 3}, {3, 2}, {2, 3}};
	ld			worst = 0;
	int			cases = 0;

	for (int w = 0; w < 6; w++)
		for (int n = 1; n <= 40; n++)
			for (int x = 0; x <= n; x++)
			{
				ld			want = exact_binomial_p(n, x, weights[w][0], weights[w][1]);
				ld			got = sig_binomial_test(x, n, weights[w][0], weights[w][1]);
				ld			e = rel_err(got, want);

				if (e > worst)
					worst = e;
				cases++;
			}
	printf("# exact rationals: %d tests (n 1..40, every x), worst relative error %.3Lg\n", cases, worst);
	CHECK("binomial test: every outcome for n <= 40 equals exact rational arithmetic (relative 1e-13)",
		  worst <= 1e-13L);
}

/*
 * Brute force over every outcome k = 0..n: log C(n, k) from lgammal (64-bit
 * mantissa: ~1e-11 absolute at n = 10^7, enough for a 1e-9 check) plus k
 * log p + (n - k) log q, and R's rule for which outcomes count.
 */
static ld
brute_binomial_p(int64_t n, int64_t x, ld p)
{
	ld			lg_n = lgammal((ld) n + 1);
	ld			lp = logl(p),
				lq = log1pl(-p);
	ld			lx = lg_n - lgammal((ld) x + 1) - lgammal((ld) (n - x) + 1) + x * lp + (n - x) * lq;
	ld			limit = lx + log1pl(1e-7L);
	ld			sum = 0;
	ld			sd = sqrtl(n * p * (1 - p));
	/*
	 * Outcomes more than 60 sd from the mean have probabilities below
	 * e^-1800 times the mode's; the observed ones here are within 20 sd,
	 * at least e^-200 of it, so those add less than 1e-700 relative.
	 */
	int64_t		from = (int64_t) fmaxl(0, floorl(n * p - 60 * sd - 60));
	int64_t		to = (int64_t) fminl(n, ceill(n * p + 60 * sd + 60));

	for (int64_t k = from; k <= to; k++)
	{
		ld			lk = lg_n - lgammal((ld) k + 1) - lgammal((ld) (n - k) + 1) + k * lp + (n - k) * lq;

		if (lk <= limit)
			sum += expl(lk - lx);
	}
	return expl(lx + logl(sum));
}

static void
test_binomial_brute(void)
{
	/* n, success weight, failure weight, x offsets in standard deviations */
	static const struct
	{
		int64_t		n;
		uint64_t	ws,
					wf;
	}			cases[] = {
		{1000, 1, 1}, {1000, 28, 31}, {1000, 1, 999}, {100000, 28, 31}, {100000, 3, 7},
		{1000000, 1, 1}, {1000000, 28, 31}, {1000000, 1, 9999}, {10000000, 28, 31}, {10000000, 1, 1},
		{10000000, 1, 99999}, {10000000, 7, 3},
	};
	static const double offsets[] = {0.3, -1.2, 1.96, -2.5, 4.0, -6.0, 9.0, -20.0};
	ld			worst_abs = 0,
				worst_rel_small = 0,
				worst_rel = 0;
	int			count = 0;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
	{
		ld			p = (ld) cases[c].ws / ((ld) cases[c].ws + (ld) cases[c].wf);
		ld			mean = cases[c].n * p,
					sd = sqrtl(cases[c].n * p * (1 - p));
		int			n_offsets = 8;

		for (int o = 0; o < n_offsets; o++)
		{
			int64_t		x = (int64_t) floorl(mean + offsets[o] * sd);
			ld			want,
						got;

			if (x < 0 || x > cases[c].n)
				continue;
			want = brute_binomial_p(cases[c].n, x, p);
			got = sig_binomial_test(x, cases[c].n, cases[c].ws, cases[c].wf);
			if (fabsl(got - want) > worst_abs)
				worst_abs = fabsl(got - want);
			if (rel_err(got, want) > worst_rel)
				worst_rel = rel_err(got, want);
			if (want < 0.001L && rel_err(got, want) > worst_rel_small)
				worst_rel_small = rel_err(got, want);
			count++;
		}
	}
	printf("# brute force, n 1e3..1e7: %d tests, worst absolute error %.3Lg, relative %.3Lg (below 0.001: %.3Lg)\n",
		   count, worst_abs, worst_rel, worst_rel_small);
	CHECK("binomial test up to n = 1e7: within 1e-9 absolute of the brute-force lgammal sum", worst_abs <= 1e-9L);
	CHECK("binomial test up to n = 1e7: within 1e-6 relative below 0.001", worst_rel_small <= 1e-6L);
	CHECK("binomial test up to n = 1e7: in fact within 1e-9 relative everywhere", worst_rel <= 1e-9L);
	CHECK("binomial test: the brute-force comparison ran", count >= 80);
}

static void
test_binomial_published(void)
{
	/*
	 * R's binom.test documentation, after Conover (1971), Practical
	 * Nonparametric Statistics, pp. 97-98: 682 of 925 peas against Mendel's
	 * 3:1, printed "p-value = 0.3825".
	 */
	double		peas = sig_binomial_test(682, 925, 3, 1);

	CHECK("Conover's peas, 682 of 925 against 3:1: p = 0.3825 as printed", fabs(peas - 0.3825) < 0.00005);

	/*
	 * R's poisson.test documentation, comparing two rates: 11 events in
	 * 800 person-years against 6 + 8 + 7 in 1083 + 1050 + 878, printed
	 * "p-value = 0.07967".
	 */
	{
		double		p;
		bool		overflow;

		CHECK("poisson.test example: a result",
			  sig_rate_test(11, 800, 6 + 8 + 7, 1083 + 1050 + 878, &p, &overflow));
		CHECK("poisson.test example, 11 in 800 against 21 in 3011: p = 0.07967 as printed",
			  fabs(p - 0.07967) < 0.000005);
	}

	/*
	 * The January/February example of the README: 1240 tickets in 31 days,
	 * then 930 in 28 (25% fewer, 17% fewer per day).
	 */
	{
		double		change,
					p;
		bool		overflow;

		CHECK("January/February: a rate change", sig_rate_change(930, 28, 1240, 31, &change));
		CHECK("January/February: -16.99% per day = 100 (930/28 - 1240/31) / (1240/31)",
			  fabsl(change - 100.0L * (930.0L / 28 - 1240.0L / 31) / (1240.0L / 31)) < 1e-12L);
		CHECK("January/February: a p-value", sig_rate_test(930, 28, 1240, 31, &p, &overflow));
		CHECK("January/February: the test equals the brute-force sum",
			  rel_err(p, brute_binomial_p(2170, 930, 28.0L / 59)) < 1e-12L);
	}
}

static void
test_binomial_edges(void)
{
	double		p;
	bool		overflow;
	ld			worst = 0;

	CHECK("binomial: observed at the mean gives 1", sig_binomial_test(5, 10, 1, 1) == 1.0);
	CHECK("binomial: equal rates per time give 1", sig_rate_test(62, 31, 56, 28, &p, &overflow) && p == 1.0);
	CHECK("binomial: x = 0 of 10 at 1/2 is 2/1024", rel_err(sig_binomial_test(0, 10, 1, 1), 2.0L / 1024) < 1e-15L);
	CHECK("binomial: x = n of 10 at 1/2 is 2/1024", rel_err(sig_binomial_test(10, 10, 1, 1), 2.0L / 1024) < 1e-15L);
	CHECK("binomial: one trial at 1/2 gives 1", sig_binomial_test(1, 1, 1, 1) == 1.0);
	CHECK("rate test: no counts at all gives no result", !sig_rate_test(0, 31, 0, 28, &p, &overflow) && !overflow);
	CHECK("rate test: counts adding past int64 give no result and say so",
		  !sig_rate_test(INT64_MAX, 1, 1, 1, &p, &overflow) && overflow);
	/* far tails: tiny but not 0 while a long double can hold them */
	p = sig_binomial_test(0, 1000, 1, 1);
	CHECK("binomial: 0 of 1000 at 1/2 is 2^-999, relative 1e-12", rel_err(p, 2 * powl(2, -1000)) < 1e-12L);
	p = sig_binomial_test(0, 100000, 1, 1);
	CHECK("binomial: 0 of 100000 at 1/2 underflows to 0, never NaN", p == 0.0);
	/* the other extreme of the weights */
	p = sig_binomial_test(1, 1000000, 1, UINT64_MAX);
	CHECK("binomial: extreme weights give a finite p-value in [0, 1]", p >= 0 && p <= 1 && !isnan(p));
	p = sig_binomial_test(3, 3, UINT64_MAX, UINT64_MAX - 1);
	CHECK("binomial: huge equal-ish weights, 3 of 3, is 1/4", rel_err(p, 0.25L) < 1e-12L);

	/* symmetry: x of n at p is n - x of n at 1 - p */
	for (int64_t x = 0; x <= 300; x += 7)
	{
		ld			e = rel_err(sig_binomial_test(x, 300, 2, 5), sig_binomial_test(300 - x, 300, 5, 2));

		if (e > worst)
			worst = e;
	}
	CHECK("binomial: swapping the periods mirrors the test", worst < 1e-13L);
}

/*
 * The saddle-point density at very large n, where no lgamma is accurate:
 * neighbouring probabilities have the exact ratio (n - k) / (k + 1) * p/q,
 * and the probabilities add up to 1.
 */
static void
test_density_large_n(void)
{
	static const int64_t ns[] = {1000000000LL, 1000000000000LL, 4000000000000000000LL};
	ld			worst = 0;

	for (int i = 0; i < 3; i++)
	{
		int64_t		n = ns[i];
		ld			p = 28.0L / 59;
		int64_t		mean = (int64_t) (n * p);
		ld			sd = sqrtl(n * p * (1 - p));

		for (int s = -30; s <= 30; s += 3)
		{
			int64_t		k = mean + (int64_t) (s * sd);
			ld			got = expl(sig_binomial_log_density(k + 1, n, 28, 31) - sig_binomial_log_density(k, n, 28, 31));
			ld			want = (ld) (n - k) / (ld) (k + 1) * (28.0L / 31);
			ld			e = rel_err(got, want);

			if (e > worst)
				worst = e;
		}
	}
	printf("# density at n up to 4e18: worst error of a neighbour ratio %.3Lg\n", worst);
	CHECK("density at n up to 4e18: neighbour ratios exact to 1e-14", worst < 1e-14L);

	{
		int64_t		n = 1000000;
		ld			sum = 0;

		for (int64_t k = 0; k <= n; k++)
			sum += expl(sig_binomial_log_density(k, n, 28, 31));
		CHECK("density at n = 1e6 adds up to 1 (1e-12)", fabsl(sum - 1) < 1e-12L);
	}
}

/*
 * Above ~10^9 a tail is summed with a stride: against the sum of every
 * term of the (checked) density, at n = 4e10 (sd 1e5).
 */
static void
test_binomial_stride(void)
{
	int64_t		n = 40000000000LL;
	ld			p = 0.5L,
				sd = sqrtl(n * p * p);
	static const double offsets[] = {-0.5, 1.0, -2.0, 3.0};
	ld			worst = 0;

	for (int o = 0; o < 4; o++)
	{
		int64_t		x = n / 2 + (int64_t) (offsets[o] * sd);
		int64_t		other = n - x;	/* p = 1/2: the mirror outcome is as likely */
		ld			lx = sig_binomial_log_density(x, n, 1, 1);
		ld			sum = 0;
		int64_t		lo = x < other ? x : other,
					hi = x < other ? other : x;

		/* both tails, k by k, to 12 sd past the boundary */
		for (int64_t k = lo; k >= lo - (int64_t) (12 * sd); k--)
			sum += expl(sig_binomial_log_density(k, n, 1, 1) - lx);
		for (int64_t k = hi; k <= hi + (int64_t) (12 * sd); k++)
			sum += expl(sig_binomial_log_density(k, n, 1, 1) - lx);
		{
			ld			want = expl(lx + logl(sum));
			ld			got = sig_binomial_test(x, n, 1, 1);

			if (rel_err(got, want) > worst)
				worst = rel_err(got, want);
		}
	}
	printf("# stride sums at n = 4e10: worst relative error %.3Lg\n", worst);
	CHECK("binomial at n = 4e10 (stride): within 1e-10 relative of the term-by-term sum", worst < 1e-10L);
}

static void
test_binomial_speed(void)
{
	struct timespec t0,
				t1;
	volatile double sink = 0;
	int			calls = 0;
	double		ms;

	/* the slowest outcomes are the likely ones: both tails are long */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int64_t x = 473000; x < 476000; x += 30, calls++)
		sink += sig_binomial_test(x, 1000000, 28, 31);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = elapsed_ms(t0, t1) / calls;
	printf("# n = 1e6: %.4f ms a call (mean of %d, sanitizers on)\n", ms, calls);
	CHECK("binomial at n = 1e6: under 1 ms a call", ms < 1.0);

	calls = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int64_t x = 4000000000000000000LL; x < 4000000000000000000LL + 10000000000LL * 20; x += 10000000000LL, calls++)
		sink += sig_binomial_test(x, 8000000000000000000LL, 1, 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = elapsed_ms(t0, t1) / calls;
	printf("# n = 8e18: %.4f ms a call\n", ms);
	CHECK("binomial at n = 8e18: bounded time (under 20 ms a call)", ms < 20.0);
	(void) sink;
}

/* ---------- the normal tests ---------- */

static ScoreCounts
counts(int64_t s0, int64_t s1, int64_t s2, int64_t s3, int64_t s4, int64_t s5,
	   int64_t s6, int64_t s7, int64_t s8, int64_t s9, int64_t s10)
{
	ScoreCounts c = {{s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10}};

	return c;
}

/*
 * The pooled z-test's z^2 is Pearson's chi-squared of the 2x2 table:
 * X^2 = N (a d - b c)^2 / (r1 r2 c1 c2), and p = P(chi2_1 > X^2) =
 * erfc(sqrt(X^2 / 2)).
 */
static ld
pearson_p(int64_t sat_a, int64_t n_a, int64_t sat_b, int64_t n_b)
{
	ld			a = sat_a,
				b = n_a - sat_a,
				c = sat_b,
				d = n_b - sat_b;
	ld			N = a + b + c + d;
	ld			x2 = N * (a * d - b * c) * (a * d - b * c) / ((a + b) * (c + d) * (a + c) * (b + d));

	return erfcl(sqrtl(x2 / 2));
}

static void
test_csat(void)
{
	double		p;
	ld			worst = 0;
	ScoreCounts a,
				b;

	/*
	 * The Physicians' Health Study (NEJM 1989; 321: 129-135): myocardial
	 * infarctions in 189 of 11034 on placebo, 104 of 11037 on aspirin; as
	 * "satisfied" (score 5) against not (score 1).
	 */
	a = counts(0, 11034 - 189, 0, 0, 0, 189, 0, 0, 0, 0, 0);
	b = counts(0, 11037 - 104, 0, 0, 0, 104, 0, 0, 0, 0, 0);
	CHECK("CSAT test: a result", sig_csat_test(&a, &b, 4, &p));
	CHECK("CSAT test: Physicians' Health Study equals Pearson's chi-squared (1e-12)",
		  rel_err(p, pearson_p(189, 11034, 104, 11037)) < 1e-12L);
	CHECK("CSAT test: Physicians' Health Study, z = 5.00, p = 5.7e-7",
		  p > 5.6e-7 && p < 5.8e-7);

	for (int64_t sa = 0; sa <= 60; sa += 3)
		for (int64_t sb = 0; sb <= 40; sb += 5)
		{
			a = counts(0, 60 - sa, 0, 0, sa, 0, 0, 0, 0, 0, 0);
			b = counts(0, 40 - sb, 0, 0, 0, sb, 0, 0, 0, 0, 0);
			sig_csat_test(&a, &b, 4, &p);
			if ((sa + sb == 0 || sa + sb == 100) ? p != 1.0 : rel_err(p, pearson_p(sa, 60, sb, 40)) > worst)
				worst = (sa + sb == 0 || sa + sb == 100) ? 1 : rel_err(p, pearson_p(sa, 60, sb, 40));
		}
	CHECK("CSAT test: a grid of 60 against 40 answers equals Pearson's chi-squared (1e-12)", worst < 1e-12L);

	/* a tiny change on a huge sample: the exact cross product keeps it */
	a = counts(0, 1000000000000LL, 0, 0, 0, 3000000000000LL, 0, 0, 0, 0, 0);
	b = counts(0, 1000000000000LL, 0, 0, 0, 3000000000001LL, 0, 0, 0, 0, 0);
	sig_csat_test(&a, &b, 4, &p);
	CHECK("CSAT test: one answer's change in 4e12 is not lost (p just below 1)", p < 1.0 && p > 0.999999);

	a = counts(0, 0, 0, 0, 3, 7, 0, 0, 0, 0, 0);
	b = counts(0, 0, 0, 0, 0, 25, 0, 0, 0, 0, 0);
	CHECK("CSAT test: everyone satisfied on both sides gives 1", sig_csat_test(&a, &b, 4, &p) && p == 1.0);
	a = counts(0, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0);
	b = counts(0, 9, 0, 3, 0, 0, 0, 0, 0, 0, 0);
	CHECK("CSAT test: no one satisfied on both sides gives 1", sig_csat_test(&a, &b, 4, &p) && p == 1.0);
	a = counts(0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0);
	b = counts(0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0);
	CHECK("CSAT test: the same share gives 1", sig_csat_test(&a, &b, 4, &p) && p == 1.0);
	CHECK("CSAT test: the same summary gives 1", sig_csat_test(&a, &a, 4, &p) && p == 1.0);
	b = counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	CHECK("CSAT test: an empty summary gives no result", !sig_csat_test(&a, &b, 4, &p) && !sig_csat_test(&b, &a, 4, &p));
	a = counts(3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4);
	b = counts(5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
	CHECK("CSAT test: satisfied_min 7 on 0..10 equals Pearson's chi-squared",
		  sig_csat_test(&a, &b, 7, &p) && rel_err(p, pearson_p(4, 7, 1, 6)) < 1e-12L);
	CHECK("CSAT test: satisfied_min 0 counts everyone: 1", sig_csat_test(&a, &b, 0, &p) && p == 1.0);
	a = counts(0, 0, 0, 0, 0, INT64_MAX / 2, 0, 0, 0, 0, 0);
	b = counts(0, INT64_MAX / 2, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	CHECK("CSAT test: all satisfied against none, at 4.6e18 answers: 0", sig_csat_test(&a, &b, 4, &p) && p == 0.0);
}

/*
 * A printed two-sided z (or X^2 = z^2) rounded to a half-unit h: the exact
 * |z| lies in [z - h, z + h], so p lies between the normal tails there
 * (erfcl here, not the code under test).
 */
static bool
p_within_printed_z(double p, ld z, ld h)
{
	return p >= erfcl((z + h) / sqrtl(2)) && p <= erfcl((z - h) / sqrtl(2));
}

/* x satisfied (score 5) and n - x not (score 1) on the 1..5 scale */
static ScoreCounts
csat_counts(int64_t x, int64_t n)
{
	return counts(0, n - x, 0, 0, 0, x, 0, 0, 0, 0, 0);
}

/* Published worked examples of the pooled two-proportion z-test. */
static void
test_csat_published(void)
{
	ScoreCounts a,
				b;
	double		p;

	/*
	 * influentialpoints.com, "Two-sample test for independent proportions -
	 * using R" (https://influentialpoints.com/notes/n9rmf3.htm): R's
	 * prop.test without continuity correction prints "X-squared = 6.1026,
	 * df = 1, p-value = 0.01350", 95% interval 0.03074072 0.23838896,
	 * "prop 1 prop 2 0.4392523 0.3046875".  The page gives no counts; 94 of
	 * 214 and 39 of 128 give both proportions and the interval to every
	 * printed digit (checked here), and z^2 = X^2.
	 */
	{
		ld			p1 = 94.0L / 214,
					p2 = 39.0L / 128;
		ld			se = sqrtl(p1 * (1 - p1) / 214 + p2 * (1 - p2) / 128);
		ld			zq = 1.959963984540054L;	/* qnorm(0.975) */

		CHECK("prop.test example: 94/214 and 39/128 print as 0.4392523 and 0.3046875",
			  fabsl(p1 - 0.4392523L) < 5e-8L && fabsl(p2 - 0.3046875L) < 5e-8L);
		CHECK("prop.test example: and give the printed interval 0.03074072 .. 0.23838896",
			  fabsl(p1 - p2 - zq * se - 0.03074072L) < 5e-9L && fabsl(p1 - p2 + zq * se - 0.23838896L) < 5e-9L);
		a = csat_counts(94, 214);
		b = csat_counts(39, 128);
		CHECK("prop.test example: a result", sig_csat_test(&a, &b, 4, &p));
		CHECK("prop.test example, 94/214 against 39/128: p = 0.01350 as printed", fabs(p - 0.01350) < 0.000005);
		/* X^2 in [6.10255, 6.10265]: p = erfc(sqrt(X^2 / 2)) between the ends */
		CHECK("prop.test example: p is that of X^2 = z^2 = 6.1026 as printed",
			  p >= erfcl(sqrtl(6.10265L / 2)) && p <= erfcl(sqrtl(6.10255L / 2)));
	}

	/*
	 * usablestats.com askstats question 866
	 * (https://www.usablestats.com/askstats/question/866/): 118 and 80 with
	 * breast cancer in two groups of 3303, pooled share .02997, "The test
	 * statistic is ... 2.74195", "a 2-sided p-value of .00611".
	 */
	a = csat_counts(118, 3303);
	b = csat_counts(80, 3303);
	CHECK("usablestats 866: a result", sig_csat_test(&a, &b, 4, &p));
	CHECK("usablestats 866, 118/3303 against 80/3303: p = .00611 as printed", fabs(p - 0.00611) < 0.000005);
	CHECK("usablestats 866: p is that of z = 2.74195 as printed", p_within_printed_z(p, 2.74195L, 0.000005L));

	/*
	 * HyperStat Online (D. M. Lane), "Tests of Differences between
	 * Proportions" (https://davidmlane.com/hyperstat/B73479.html and
	 * http://davidmlane.com/hyperstat/B75278.html, B74286.html): 73 of 85
	 * graduated after early childhood intervention, 43 of 82 without;
	 * "z = 0.344/0.0713 = 4.69", "the two-tailed probability value for a z
	 * of 4.69 is less than 0.0001", reported as "z = 4.69, p < 0.001".  The
	 * counts give a difference of 0.3344 (0.3344/0.0713 = 4.69; the printed
	 * 0.344 would give 4.82), and z = 4.69.
	 */
	a = csat_counts(73, 85);
	b = csat_counts(43, 82);
	CHECK("HyperStat: a result", sig_csat_test(&a, &b, 4, &p));
	CHECK("HyperStat, 73/85 against 43/82: p is that of z = 4.69 as printed", p_within_printed_z(p, 4.69L, 0.005L));
	CHECK("HyperStat: p < 0.0001 as printed", p < 0.0001);

	/*
	 * Illowsky and Dean, Collaborative Statistics (Connexions), "Comparing
	 * Two Independent Population Proportions"
	 * (http://cnx.org/content/m17043/latest/): hives after 30 minutes in 20
	 * of 200 adults on medication A and 12 of 200 on B, pooled 0.08,
	 * "p-value = 0.1404".
	 */
	a = csat_counts(20, 200);
	b = csat_counts(12, 200);
	CHECK("Illowsky and Dean: a result", sig_csat_test(&a, &b, 4, &p));
	CHECK("Illowsky and Dean, 20/200 against 12/200: p = 0.1404 as printed", fabs(p - 0.1404) < 0.00005);
}

/* NPS test, written from api.md in shares. */
static ld
nps_reference(ld pa, ld da, ld na, ld pb, ld db, ld nb)
{
	ld			va = pa / na + da / na - (pa / na - da / na) * (pa / na - da / na);
	ld			vb = pb / nb + db / nb - (pb / nb - db / nb) * (pb / nb - db / nb);
	ld			z = ((pa - da) / na - (pb - db) / nb) / sqrtl(va / na + vb / nb);

	return erfcl(fabsl(z) / sqrtl(2));
}

static void
test_nps(void)
{
	double		p;
	ld			worst = 0;
	ScoreCounts a,
				b;

	for (int pa = 0; pa <= 30; pa += 5)
		for (int da = 0; da <= 30; da += 6)
			for (int pb = 1; pb <= 30; pb += 7)
				for (int db = 0; db <= 30; db += 4)
				{
					/* promoters as 9 and 10, detractors as 0 and 6, 12 passives */
					a = counts(da / 2, 0, 0, 0, 0, 0, da - da / 2, 7, 5, pa / 3, pa - pa / 3);
					b = counts(db, 0, 0, 0, 0, 0, 0, 0, 12, pb, 0);
					if (!sig_nps_test(&a, &b, &p))
						worst = 1;
					else if (rel_err(p, nps_reference(pa, da, pa + da + 12, pb, db, pb + db + 12)) > worst)
						worst = rel_err(p, nps_reference(pa, da, pa + da + 12, pb, db, pb + db + 12));
				}
	CHECK("NPS test: a grid equals the formula of api.md in shares (1e-12)", worst < 1e-12L);

	a = counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5);
	b = counts(4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	CHECK("NPS test: all promoters against all detractors (no variance): 0", sig_nps_test(&a, &b, &p) && p == 0.0);
	b = counts(0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0);
	CHECK("NPS test: all promoters against all passives (no variance): 0", sig_nps_test(&a, &b, &p) && p == 0.0);
	b = counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
	CHECK("NPS test: all promoters on both sides: 1", sig_nps_test(&a, &b, &p) && p == 1.0);
	a = counts(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
	b = counts(0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0);
	CHECK("NPS test: the same NPS (0) from different answers: 1", sig_nps_test(&a, &b, &p) && p == 1.0);
	b = counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	CHECK("NPS test: an empty summary gives no result", !sig_nps_test(&a, &b, &p) && !sig_nps_test(&b, &a, &p));
	a = counts(INT64_MAX / 3, 0, 0, 0, 0, 0, 0, INT64_MAX / 3, 0, 0, INT64_MAX / 3);
	b = counts(INT64_MAX / 3, 0, 0, 0, 0, 0, 0, INT64_MAX / 3, 0, 0, INT64_MAX / 3 - 1);
	CHECK("NPS test: 9.2e18 answers, one promoter less: p in (0.99, 1)", sig_nps_test(&a, &b, &p) && p < 1 && p > 0.99);
}

/*
 * No published two-sample NPS example with its printed p-value was found;
 * two published derivations of the NPS variance V = p + d - (p - d)^2 are
 * checked instead, each against a side with no spread so that z depends
 * on that variance alone.
 */
static void
test_nps_published_variance(void)
{
	double		p;
	ScoreCounts a,
				b;

	/*
	 * whuber's answer to "How can I calculate margin of error in a NPS (Net
	 * Promoter Score) result?" (Cross Validated): with 1/2 promoters, 1/3
	 * passives and 1/6 detractors, NPS = 1/3 and the variance is 5/9.  So
	 * 30 such answers against 10 passives (NPS 0, no spread) give
	 * z = (1/3) / sqrt(5/9 / 30) = sqrt(6).
	 */
	a = counts(5, 0, 0, 0, 0, 0, 0, 10, 0, 0, 15);
	b = counts(0, 0, 0, 0, 0, 0, 0, 4, 6, 0, 0);
	CHECK("whuber's NPS variance 5/9: 15/10/5 against passives is z = sqrt 6",
		  sig_nps_test(&a, &b, &p) && rel_err(p, erfcl(sqrtl(3.0L))) < 1e-12L);

	/*
	 * A. Engelhardt, "Net Promoter Score Confidence Intervals 2: Maths and
	 * Stats" (CYBAEA, 2016): Var(NPS) = (p(1-p) + d(1-d) + 2pd) / n, which is
	 * 2/3 / n for p = d = 1/3 (a 95% interval about 320 / sqrt n points
	 * wide).  So 2 of each against all promoters (NPS 1, no spread) give
	 * z = 1 / sqrt(2/3 / 6) = 3.
	 */
	a = counts(2, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0);
	b = counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7);
	CHECK("Engelhardt's NPS variance 2/3: thirds against promoters is z = 3",
		  sig_nps_test(&a, &b, &p) && rel_err(p, erfcl(3.0L / sqrtl(2.0L))) < 1e-12L);
	CHECK("Engelhardt: the 95% NPS interval of thirds is 320 / sqrt n points wide",
		  fabs(2 * scores_nps_margin(&a, normal_two_sided_z(0.95)) * sqrt(6.0) - 320) < 0.1);
}

static void
test_rate_change(void)
{
	double		pct;

	CHECK("rate change: no previous count gives no result", !sig_rate_change(5, 10, 0, 10, &pct));
	CHECK("rate change: equal rates give exactly 0", sig_rate_change(62, 31, 56, 28, &pct) && pct == 0.0);
	CHECK("rate change: none now is -100", sig_rate_change(0, 31, 56, 28, &pct) && pct == -100.0);
	CHECK("rate change: doubled per day is +100", sig_rate_change(20, 5, 20, 10, &pct) && pct == 100.0);
	CHECK("rate change: 25% fewer in a day-shorter month",
		  sig_rate_change(75, 30, 100, 31, &pct) && fabsl(pct - (100.0L * (75.0L * 31 / (100.0L * 30)) - 100)) < 1e-12L);
	CHECK("rate change: largest counts and lengths stay finite",
		  sig_rate_change(INT64_MAX, 1, 1, UINT64_MAX, &pct) && isfinite(pct) && pct > 1e40);
	CHECK("rate change: tiny change on huge counts is not lost",
		  sig_rate_change(INT64_MAX, 1, INT64_MAX - 1, 1, &pct) && pct > 0 && pct < 1e-15);
}

int
main(void)
{
	test_binomial_exact_small();
	test_binomial_published();
	test_binomial_edges();
	test_binomial_brute();
	test_density_large_n();
	test_binomial_stride();
	test_binomial_speed();
	test_csat();
	test_csat_published();
	test_nps();
	test_nps_published_variance();
	test_rate_change();
	UNIT_EXIT();
}
