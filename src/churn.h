/*
 * churn.h — the churn transition state: a period and the customers active
 * at its start and lost during it, its text and binary forms, and the
 * per-row classification.
 *
 * Plain C with no PostgreSQL headers, so the text parser and the binary
 * decoder can be unit-tested and fuzzed without a server.  Times are
 * PostgreSQL's own integers: days since 2000-01-01 for date, microseconds
 * since 2000-01-01 00:00 UTC for timestamptz.
 */
#ifndef KPI_CHURN_H
#define KPI_CHURN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHURN_FORMAT_VERSION 1	/* first byte of every stored and binary form */

/* kind: the type of the period's bounds */
#define CHURN_KIND_DATE 1
#define CHURN_KIND_TIMESTAMPTZ 2

/* flags */
#define CHURN_LOWER_INC 0x01	/* the period includes its lower bound */
#define CHURN_UPPER_INC 0x02	/* the period includes its upper bound */
#define CHURN_REVENUE 0x04		/* the state also sums mrr (kpi_revenue_churn) */
#define CHURN_FLAGS_KNOWN (CHURN_LOWER_INC | CHURN_UPPER_INC | CHURN_REVENUE)
#define CHURN_BOUND_FLAGS (CHURN_LOWER_INC | CHURN_UPPER_INC)

/* PostgreSQL's range of finite values (kpi_churn.c checks they agree) */
#define CHURN_DATE_MIN (-2451545)	/* 4714-11-24 BC */
#define CHURN_DATE_END 2145031949	/* 5874898-01-01: one past the last date */
#define CHURN_TS_MIN INT64_C(-211813488000000000)	/* 4714-11-24 00:00 BC */
#define CHURN_TS_END INT64_C(9223371331200000000)	/* 294277-01-01 00:00, exclusive */

/*
 * The fixed part of the state.  Laid out without implicit padding so it can
 * be embedded in the stored value as is.
 */
typedef struct ChurnState
{
	uint8_t		kind;			/* CHURN_KIND_* */
	uint8_t		flags;			/* CHURN_* flags */
	uint8_t		reserved[6];	/* zero */
	int64_t		lower;			/* the period's bounds, finite */
	int64_t		upper;
	int64_t		active;			/* customers active at the start */
	int64_t		lost;			/* of those, customers who left in the period */
} ChurnState;

/* What a row is to the period (see churn_classify). */
#define CHURN_OUTSIDE 0			/* not a customer at the start */
#define CHURN_STAYED 1			/* active at the start, did not leave in the period */
#define CHURN_LOST 2			/* active at the start, left in the period */

/*
 * The customer from since to until (until = INT64_MAX for a customer who
 * has not left) is active at the start when since <= lower < until, and is
 * lost when also until falls inside the period.  An active customer's until
 * is above lower, so only the upper bound's inclusivity matters.
 */
static inline int
churn_classify(const ChurnState *p, int64_t since, int64_t until)
{
	if (since > p->lower || until <= p->lower)
		return CHURN_OUTSIDE;
	/* upper + 1 cannot overflow: bounds are finite */
	return until < p->upper + ((p->flags & CHURN_UPPER_INC) != 0) ? CHURN_LOST : CHURN_STAYED;
}

/* Counts the customer; false (state unchanged) if a count would overflow. */
static inline bool
churn_count(ChurnState *s, int64_t since, int64_t until)
{
	int			what = churn_classify(s, since, until);

	if (what == CHURN_OUTSIDE)
		return true;
	if (s->active == INT64_MAX)
		return false;
	s->active++;
	s->lost += (what == CHURN_LOST);
	return true;
}

/* The same kind, bounds and inclusivity. */
static inline bool
churn_same_period(const ChurnState *a, const ChurnState *b)
{
	return a->lower == b->lower && a->upper == b->upper && a->kind == b->kind &&
		((a->flags ^ b->flags) & CHURN_BOUND_FLAGS) == 0;
}

/*
 * NULL if the period of s is one a state can hold (finite bounds in the
 * kind's range, not empty; a date period in canonical [lower, upper) form),
 * else a sentence saying what is wrong.
 */
const char *churn_check_period(const ChurnState *s);

/* churn_check_period, then the kind, flags and counts (0 <= lost <= active). */
const char *churn_check(const ChurnState *s);

/*
 * Adds b's counts into a.  Returns NULL, or (a unchanged) a sentence: the
 * states differ in kind, revenue or period, or a count would overflow.
 */
const char *churn_merge(ChurnState *a, const ChurnState *b);
/* two of its sentences, which callers tell apart by address */
extern const char churn_merge_period[];
extern const char churn_merge_overflow[];

/*
 * Text form, e.g.
 *   v1 date [2024-01-01,2024-02-01) active=120 lost=7
 *   v1 timestamptz [2024-01-01 00:00:00+00,2024-02-01 00:00:00+00) active=120 lost=7
 * and, for revenue, " active_mrr=<decimal> lost_mrr=<decimal>" after it.
 * Bounds are written in ISO form in UTC, as PostgreSQL prints them with
 * DateStyle ISO and TimeZone UTC, so the text is readable and exact.
 *
 * churn_format writes the text without the mrr sums into buf
 * (CHURN_TEXT_MAX bytes suffice) and returns its length.
 */
#define CHURN_TEXT_MAX 160
size_t		churn_format(const ChurnState *s, char *buf);

/*
 * churn_parse reads the text form (white space between tokens may be any run
 * of spaces and tabs, and may surround the text).  It returns NULL on
 * success or a static sentence saying what is wrong.  For a revenue state it
 * sets the two mrr spans to the decimal texts (digits, optionally a point
 * and more digits, within numeric's limits) for the caller to convert; it
 * checks the counts but not how the sums relate to them.
 */
typedef struct ChurnSpan
{
	size_t		offset;
	size_t		length;
} ChurnSpan;

const char *churn_parse(const char *text, ChurnState *out,
						ChurnSpan *active_mrr, ChurnSpan *lost_mrr);

/*
 * Binary form (send/recv): version byte, kind, flags, then lower, upper,
 * active and lost as big-endian int64 (CHURN_BINARY_FIXED bytes).  A
 * revenue state follows with the two sums, each as a big-endian int32
 * length and that many bytes of numeric's own binary form (as numeric_send
 * writes a finite value >= 0: the decoder checks it).  The decoder returns
 * NULL on success (setting the spans for a revenue state) or a static
 * sentence; it never reads past len.
 */
#define CHURN_BINARY_FIXED 35
void		churn_encode(const ChurnState *s, uint8_t *buf);
const char *churn_decode(const uint8_t *buf, size_t len, ChurnState *out,
						 ChurnSpan *active_mrr, ChurnSpan *lost_mrr);


#endif
