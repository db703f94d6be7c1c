/*
 * scores.c — survey answer counts and the KPIs computed from them.
 *
 * Plain C (no PostgreSQL headers): see scores.h.
 */
#include "scores.h"
#include "codec.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool
scores_total(const ScoreCounts *c, int64_t *total)
{
	int64_t		t = 0;

	for (int s = 0; s < SCORES_N; s++)
		if (__builtin_add_overflow(t, c->n[s], &t))
			return false;
	*total = t;
	return true;
}

bool
scores_merge(ScoreCounts *a, const ScoreCounts *b)
{
	ScoreCounts sum;
	int64_t		total;

	for (int s = 0; s < SCORES_N; s++)
		if (__builtin_add_overflow(a->n[s], b->n[s], &sum.n[s]))
			return false;
	if (!scores_total(&sum, &total))
		return false;
	*a = sum;
	return true;
}

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

const char *
scores_parse(const char *text, ScoreCounts *out)
{
	const char *p = skip_space(text);
	int			last = -1;
	int64_t		total;

	memset(out, 0, sizeof(*out));
	if (*p++ != '{')
		return "Expected \"{\" at the start.";
	p = skip_space(p);
	if (*p == '}')
		p++;
	else
	{
		for (;;)
		{
			int64_t		score,
						count;

			p = codec_read_count(p, &score);
			if (p == NULL)
				return "Expected a score from 0 to 10.";
			if (score > SCORES_MAX)
				return "A score is above 10.";
			if (score <= last)
				return "Scores must be in ascending order, each once.";
			last = (int) score;
			p = skip_space(p);
			if (*p++ != ':')
				return "Expected \":\" after a score.";
			p = codec_read_count(skip_space(p), &count);
			if (p == NULL)
				return "Expected a count (a non-negative integer that fits in bigint).";
			out->n[score] = count;
			p = skip_space(p);
			if (*p == '}')
			{
				p++;
				break;
			}
			if (*p++ != ',')
				return "Expected \",\" or \"}\" after a count.";
			p = skip_space(p);
		}
	}
	if (*skip_space(p) != '\0')
		return "Unexpected text after \"}\".";
	if (!scores_total(out, &total))
		return "The counts add up to more than bigint can hold.";
	return NULL;
}

void
scores_format(const ScoreCounts *c, char *buf)
{
	char	   *p = buf;
	bool		first = true;

	*p++ = '{';
	for (int s = 0; s < SCORES_N; s++)
	{
		if (c->n[s] == 0)
			continue;
		p += sprintf(p, "%s%d:%lld", first ? "" : ",", s, (long long) c->n[s]);
		first = false;
	}
	*p++ = '}';
	*p = '\0';
}

void
scores_encode(const ScoreCounts *c, uint8_t *buf)
{
	*buf++ = SCORES_FORMAT_VERSION;
	*buf++ = SCORES_N;
	for (int s = 0; s < SCORES_N; s++, buf += 8)
		codec_put_be64(buf, (uint64_t) c->n[s]);
}

const char *
scores_decode(const uint8_t *buf, size_t len, ScoreCounts *out)
{
	int64_t		total;

	memset(out, 0, sizeof(*out));
	if (len < 1)
		return "The value is empty.";
	if (buf[0] != SCORES_FORMAT_VERSION)
		return "Unknown format version.";
	if (len < 2 || buf[1] != SCORES_N)
		return "Expected 11 score counts.";
	if (len != SCORES_BINARY_SIZE)
		return "Wrong length for 11 score counts.";
	buf += 2;
	for (int s = 0; s < SCORES_N; s++, buf += 8)
	{
		uint64_t	v = codec_get_be64(buf);

		if (v > (uint64_t) INT64_MAX)
			return "A count is negative.";
		out->n[s] = (int64_t) v;
	}
	if (!scores_total(out, &total))
		return "The counts add up to more than bigint can hold.";
	return NULL;
}

int64_t
scores_at_least(const ScoreCounts *c, int min_score)
{
	int64_t		t = 0;

	for (int s = min_score < 0 ? 0 : min_score; s < SCORES_N; s++)
		t += c->n[s];
	return t;
}

double
scores_mean(const ScoreCounts *c)
{
	/* score * count can pass INT64_MAX when counts add up to near it */
	__int128	sum = 0;

	for (int s = 1; s < SCORES_N; s++)
		sum += (__int128) c->n[s] * s;
	return (double) sum / (double) scores_at_least(c, 0);
}

/* The same operations, in the same order, as 100 * sat::float8 / n in SQL. */
double
scores_csat(const ScoreCounts *c, int satisfied_min)
{
	return 100.0 * (double) scores_at_least(c, satisfied_min) /
		(double) scores_at_least(c, 0);
}

double
scores_nps(const ScoreCounts *c)
{
	int64_t		n = scores_at_least(c, 0);
	int64_t		promoters = scores_at_least(c, 9);
	int64_t		detractors = n - scores_at_least(c, 7);

	return 100.0 * (double) (promoters - detractors) / (double) n;
}

void
scores_csat_interval(const ScoreCounts *c, int satisfied_min, double z,
					 double *low, double *high)
{
	int64_t		satisfied = scores_at_least(c, satisfied_min);
	double		n = (double) scores_at_least(c, 0);
	double		p = (double) satisfied / n;
	double		z2 = z * z;
	double		centre = p + z2 / (2 * n);
	double		spread = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
	double		scale = 1 + z2 / n;

	*low = 100.0 * (centre - spread) / scale;
	*high = 100.0 * (centre + spread) / scale;
	/*
	 * With no one (everyone) satisfied the low (high) bound is exactly 0
	 * (100); rounding would leave it a hair away, or outside [0, 100].
	 */
	if (satisfied == 0 || *low < 0)
		*low = 0;
	if (satisfied == scores_at_least(c, 0) || *high > 100)
		*high = 100;
}

double
scores_nps_margin(const ScoreCounts *c, double z)
{
	double		n = (double) scores_at_least(c, 0);
	double		p = (double) scores_at_least(c, 9) / n;
	double		d = (double) (n - scores_at_least(c, 7)) / n;

	return z * 100.0 * sqrt((p + d - (p - d) * (p - d)) / n);
}

/*
 * Inverse of the standard normal CDF for a lower-tail probability q in
 * (0, 0.5]: Acklam's rational approximation (relative error 1.2e-9), then
 * one Halley step on erfc, which brings it to full double precision.
 */
static double
normal_lower_quantile(double q)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02,
	-3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01,
	-1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00,
	4.374664141464968e+00, 2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
	2.445134137142996e+00, 3.754408661907416e+00};
	double		x,
				e,
				u;

	if (q < 0.02425)
	{
		double		r = sqrt(-2 * log(q));

		x = (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) /
			((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
	}
	else
	{
		double		r = q - 0.5,
					s = r * r;

		x = (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r /
			(((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
	}
	e = 0.5 * erfc(-x / sqrt(2.0)) - q;
	u = e * 2.50662827463100050242 * exp(x * x / 2);	/* sqrt(2 pi) */
	return x - u / (1 + x * u / 2);
}

double
normal_two_sided_z(double confidence)
{
	double		z = -normal_lower_quantile((1.0 - confidence) / 2.0);

	/* a confidence too small for double leaves q = 0.5, whose quantile may be -0 */
	return z > 0 ? z : 0.0;
}
