/* Unit tests of the plain-C survey core (src/scores.c). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "scores.h"
#include "unit.h"

static int
round_trips(const char *text, const char *canonical)
{
	ScoreCounts c, again;
	char		buf[SCORES_TEXT_MAX];

	if (scores_parse(text, &c) != NULL)
		return 0;
	scores_format(&c, buf);
	if (strcmp(buf, canonical) != 0)
		return 0;
	return scores_parse(buf, &again) == NULL && memcmp(&c, &again, sizeof(c)) == 0;
}

static void
test_text(void)
{
	static const char *const bad[] = {
		"", "{", "}", "{1:2", "{1:2,}", "{1:}", "{:3}", "{-1:3}", "{1:-3}", "{11:3}",
		"{4:1,2:1}", "{4:1,4:1}", "{1:9223372036854775808}", "{1:99999999999999999999}",
		"{1:9223372036854775807,2:1}", "{1:2} x", "{1;2}", "[1:2]", "{1:2}}", "{ 1 2:3}",
		"{0x1:2}", "{1:+2}", "{1.0:2}", "{1:2.0}"
	};
	ScoreCounts c;
	int			all_rejected = 1;

	CHECK("text: empty summary", round_trips("{}", "{}"));
	CHECK("text: canonical form", round_trips("{1:3,4:10,5:22}", "{1:3,4:10,5:22}"));
	CHECK("text: white space and zero counts", round_trips(" { 0 : 1 ,3:0,\t10:2 } ", "{0:1,10:2}"));
	CHECK("text: largest count", round_trips("{10:9223372036854775807}", "{10:9223372036854775807}"));
	CHECK("text: every score", round_trips("{0:1,1:1,2:1,3:1,4:1,5:1,6:1,7:1,8:1,9:1,10:1}",
											 "{0:1,1:1,2:1,3:1,4:1,5:1,6:1,7:1,8:1,9:1,10:1}"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (scores_parse(bad[i], &c) == NULL)
		{
			printf("# accepted malformed text: \"%s\"\n", bad[i]);
			all_rejected = 0;
		}
	CHECK("text: every malformed input rejected", all_rejected);
}

static void
test_binary(void)
{
	ScoreCounts c = {{0, 5, 0, 0, 7, 9, 0, 0, 0, 1, 2}}, back;
	uint8_t		buf[SCORES_BINARY_SIZE + 1];
	int			truncations_rejected = 1;

	scores_encode(&c, buf);
	CHECK("binary: round trip", scores_decode(buf, SCORES_BINARY_SIZE, &back) == NULL &&
		  memcmp(&c, &back, sizeof(c)) == 0);
	for (size_t len = 0; len < SCORES_BINARY_SIZE; len++)
		if (scores_decode(buf, len, &back) == NULL)
			truncations_rejected = 0;
	CHECK("binary: every truncation rejected", truncations_rejected);
	CHECK("binary: trailing byte rejected", scores_decode(buf, SCORES_BINARY_SIZE + 1, &back) != NULL);
	buf[0] = 2;
	CHECK("binary: unknown version rejected", scores_decode(buf, SCORES_BINARY_SIZE, &back) != NULL);
	buf[0] = SCORES_FORMAT_VERSION;
	buf[2] = 0x80;				/* first count negative */
	CHECK("binary: negative count rejected", scores_decode(buf, SCORES_BINARY_SIZE, &back) != NULL);
}

static void
test_merge(void)
{
	ScoreCounts a = {{1, 2, 3}}, b = {{1, 0, 0, 4}}, big = {{INT64_MAX}};
	ScoreCounts before;

	CHECK("merge: adds counts", scores_merge(&a, &b) && a.n[0] == 2 && a.n[1] == 2 && a.n[3] == 4);
	before = big;
	CHECK("merge: overflow refused", !scores_merge(&big, &b));
	CHECK("merge: overflow leaves the summary unchanged", memcmp(&big, &before, sizeof(big)) == 0);
}

static void
test_kpis(void)
{
	ScoreCounts csat = {{0, 1, 1, 0, 2, 1}};	/* 1, 2, 4, 4, 5 */
	ScoreCounts nps = {{1, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1}};	/* 0, 6, 8, 9, 10 */
	ScoreCounts all_good = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10}};
	double		low,
				high;

	CHECK("csat: 3 of 5 satisfied is 60%", scores_csat(&csat, 4) == 60.0);
	CHECK("csat: top box", scores_csat(&csat, 5) == 20.0);
	CHECK("nps: 2 promoters, 2 detractors of 5 is 0", scores_nps(&nps) == 0.0);
	CHECK("nps: all promoters is 100", scores_nps(&all_good) == 100.0);
	CHECK("mean: 16 / 5", scores_mean(&csat) == 16.0 / 5.0);
	CHECK("z: 95% two-sided", fabs(normal_two_sided_z(0.95) - 1.959963984540054) < 1e-14);
	CHECK("z: 99% two-sided", fabs(normal_two_sided_z(0.99) - 2.5758293035489004) < 1e-13);
	CHECK("z: 50% two-sided", fabs(normal_two_sided_z(0.5) - 0.6744897501960817) < 1e-14);
	CHECK("z: 1 - 1e-12 two-sided", fabs(normal_two_sided_z(1 - 1e-12) - 7.1305745) < 1e-3);
	CHECK("z: a confidence too small for double gives +0, not -0", normal_two_sided_z(1e-300) == 0 && !signbit(normal_two_sided_z(1e-300)));
	scores_csat_interval(&all_good, 4, 1.959963984540054, &low, &high);
	CHECK("wilson: all satisfied reaches 100", high == 100.0 && low > 69 && low < 73);
	scores_csat_interval(&csat, 4, 1.959963984540054, &low, &high);
	CHECK("wilson: contains the point estimate", low < 60.0 && 60.0 < high && low >= 0 && high <= 100);
	CHECK("nps margin: positive for a mixed sample", scores_nps_margin(&nps, 1.96) > 0);
	CHECK("nps margin: zero when everyone agrees", scores_nps_margin(&all_good, 1.96) == 0);
}

int
main(void)
{
	test_text();
	test_binary();
	test_merge();
	test_kpis();
	UNIT_EXIT();
}
