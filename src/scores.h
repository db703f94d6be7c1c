/*
 * scores.h — survey answers counted per score 0..10, and the KPIs read from
 * them (CSAT, NPS, mean, Wilson interval, NPS margin of error).
 *
 * Plain C with no PostgreSQL headers, so the text parser and the binary
 * decoder can be unit-tested and fuzzed without a server.
 */
#ifndef KPI_SCORES_H
#define KPI_SCORES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCORES_MAX 10			/* scores are 0..SCORES_MAX */
#define SCORES_N (SCORES_MAX + 1)
#define SCORES_FORMAT_VERSION 1 /* first byte of the binary form */
#define SCORES_BINARY_SIZE (2 + SCORES_N * 8)

typedef struct ScoreCounts
{
	int64_t		n[SCORES_N];	/* answers per score */
} ScoreCounts;

/* Answers counted in all; false if the total would overflow int64. */
bool		scores_total(const ScoreCounts *c, int64_t *total);

/*
 * Answers with a score >= min_score (0: all of them), for a summary whose
 * total fits int64 (scores_total said so).
 */
int64_t		scores_at_least(const ScoreCounts *c, int min_score);

/* Adds b into a; false (a unchanged) if a count would overflow. */
bool		scores_merge(ScoreCounts *a, const ScoreCounts *b);

/*
 * Text form: "{score:count,...}" with the non-zero counts in ascending score
 * order, e.g. "{1:3,4:10,5:22}"; "{}" is the empty summary.  The parser
 * also takes white space around tokens and zero counts.  Returns NULL on
 * success, or a static sentence saying what is wrong.
 */
const char *scores_parse(const char *text, ScoreCounts *out);
/* Writes the text form into buf (SCORES_TEXT_MAX bytes suffice). */
void		scores_format(const ScoreCounts *c, char *buf);
#define SCORES_TEXT_MAX (2 + SCORES_N * 24)

/*
 * Binary form (send/recv): version byte, number of scores (11), then each
 * count as a big-endian int64.  The decoder returns NULL on success or a
 * static sentence saying what is wrong; it never reads past len.
 */
void		scores_encode(const ScoreCounts *c, uint8_t *buf);
const char *scores_decode(const uint8_t *buf, size_t len, ScoreCounts *out);

/* KPIs; each requires a non-empty summary. */
double		scores_mean(const ScoreCounts *c);
double		scores_csat(const ScoreCounts *c, int satisfied_min);
double		scores_nps(const ScoreCounts *c);
void		scores_csat_interval(const ScoreCounts *c, int satisfied_min,
								 double z, double *low, double *high);
double		scores_nps_margin(const ScoreCounts *c, double z);

/* The two-sided normal quantile for a confidence level in (0, 1). */
double		normal_two_sided_z(double confidence);

#endif
