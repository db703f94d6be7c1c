/*
 * significance.h — is a change real?  Two-sided p-values for a change of
 * CSAT (pooled two-proportion z-test), of NPS (difference of two
 * promoter-minus-detractor shares), and of a count per unit of time (the
 * exact conditional binomial test of two Poisson rates), and the per-time
 * rate change.
 *
 * Plain C with no PostgreSQL headers, so it can be unit-tested without a
 * server.  Counts are non-negative and each summary's total fits int64 (the
 * callers check both); period lengths are positive integers in any unit.
 * A function returns false where there is nothing to compare (SQL NULL).
 */
#ifndef KPI_SIGNIFICANCE_H
#define KPI_SIGNIFICANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "scores.h"

/*
 * R's binom.test counts an outcome as "no more likely than the observed
 * one" when its probability is at most (1 + 1e-7) times the observed one,
 * so that ties computed with rounding errors are not lost.
 */
#define SIG_TIE_TOLERANCE 1e-7

/*
 * CSAT: the share of answers >= satisfied_min in a against b; false if a
 * or b has no answer.
 */
bool		sig_csat_test(const ScoreCounts *a, const ScoreCounts *b,
						  int satisfied_min, double *p_value);

/* NPS: promoters 9..10, detractors 0..6; false if a or b has no answer. */
bool		sig_nps_test(const ScoreCounts *a, const ScoreCounts *b,
						 double *p_value);

/*
 * 100 * (rate_c - rate_p) / rate_p with rate = count / length; false when
 * previous is 0 (no percentage change, as kpi_change).
 */
bool		sig_rate_change(int64_t current, uint64_t current_length,
							int64_t previous, uint64_t previous_length,
							double *percent);

/*
 * Given n = current + previous, current ~ Binomial(n, t_c / (t_c + t_p))
 * if both rates are equal; the two-sided p-value as R's binom.test.  False
 * when both counts are 0, or their sum passes INT64_MAX (*overflow set).
 */
bool		sig_rate_test(int64_t current, uint64_t current_length,
						  int64_t previous, uint64_t previous_length,
						  double *p_value, bool *overflow);

/*
 * The exact binomial test itself: x successes in n trials, success
 * probability w_success / (w_success + w_failure) (two weights, so that
 * neither probability loses digits as 1 - the other).  0 <= x <= n,
 * both weights > 0.
 */
double		sig_binomial_test(int64_t x, int64_t n,
							  uint64_t w_success, uint64_t w_failure);

/*
 * log of the binomial probability of x in n, by the saddle-point form
 * (Loader 2000): accurate to a few units in the last place of a long
 * double wherever the probability is not negligible, at any n.
 */
long double sig_binomial_log_density(int64_t x, int64_t n,
									 uint64_t w_success, uint64_t w_failure);

/* The two-sided normal p-value of a z statistic: erfc(|z| / sqrt 2). */
double		sig_normal_p(long double z);

#endif
