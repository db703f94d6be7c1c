/*
 * kpi_churn.h
 *		What the two fmgr files of churn share: the stored form of
 *		kpi_churn_state, the per-call-site cache of decoded periods with its
 *		per-row fast path, the row's customer arguments, and the errors
 *		both report.
 *
 * kpi_churn.c has logo churn and the state type's I/O; kpi_revenue_churn.c
 * has revenue churn and its expanded in-aggregate form.
 */
#ifndef KPI_CHURN_GLUE_H
#define KPI_CHURN_GLUE_H

#include "postgres.h"

#include "kpi_compat.h"

#include "fmgr.h"
#include "nodes/nodes.h"
#include "utils/date.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "churn.h"
#include "kpi_aggregate.h"

/*
 * The stored form: a format version byte, then the fixed state.  A revenue
 * state (CHURN_REVENUE) follows with two numeric values, active_mrr at
 * offset sizeof(KpiChurnState) and lost_mrr at the next MAXALIGNed offset.
 */
typedef struct KpiChurnState
{
	int32		vl_len_;
	uint8		version;
	uint8		reserved[3];	/* zero */
	ChurnState	st;
} KpiChurnState;

StaticAssertDecl(sizeof(KpiChurnState) == 48, "KpiChurnState has padding");

/*
 * Per call site (in fn_extra): the periods last seen, decoded, with their
 * raw bytes.  Several, because a monthly series joins every customer to
 * every month, and the rows can come month after month in turn.
 */
#define PERIOD_CACHE_SIZE 16
#define PERIOD_BYTES_MAX 32		/* a tstzrange's payload is 21 bytes */

typedef struct PeriodEntry
{
	Size		len;
	char		bytes[PERIOD_BYTES_MAX];	/* the range's payload */
	ChurnState	period;			/* its kind, bound flags and bounds */
} PeriodEntry;

typedef struct PeriodCache
{
	TypeCacheEntry *typcache;	/* of the range type last decoded */
	bool		constant;		/* the period argument is a Const or external Param */
	int			used;			/* entries filled */
	int			last;			/* the entry of the last row */
	int			next;			/* the entry to replace next */
	PeriodEntry entries[PERIOD_CACHE_SIZE];
	ChurnState	uncached;		/* a period whose bytes are too long to keep */
} PeriodCache;

/* ---------- kpi_churn.c ---------- */

/* numbers and times */
extern Numeric kpi_churn_numeric_zero(void);
extern int	kpi_churn_numeric_compare(Numeric a, Numeric b);
extern char *kpi_churn_numeric_text(Numeric n);
extern char *kpi_churn_time_text(int kind, int64 v);

/* errors */
pg_noreturn extern void kpi_churn_report_period_mismatch(const ChurnState *a, const ChurnState *b);
extern void kpi_churn_report_merge_problem(ChurnState *a, const ChurnState *b, const char *problem);
pg_noreturn extern void kpi_churn_report_count_overflow(void);

/* The row's period when it is not in the cache: decoded, checked and kept. */
extern const ChurnState *kpi_churn_decode_period(FunctionCallInfo fcinfo, int argno, int kind,
												 struct varlena *raw);

/* the flat form */
extern Size kpi_churn_flat_size(const ChurnState *st, Numeric active_mrr, Numeric lost_mrr);
extern void kpi_churn_flat_fill(KpiChurnState *dst, Size size, const ChurnState *st,
								Numeric active_mrr, Numeric lost_mrr);
extern KpiChurnState *kpi_churn_flat_new(MemoryContext cxt, const ChurnState *st,
										 Numeric active_mrr, Numeric lost_mrr);
extern ChurnState kpi_churn_empty_state(const ChurnState *p, bool revenue);
extern void kpi_churn_flat_sums(const KpiChurnState *s, Numeric *active_mrr, Numeric *lost_mrr);
extern KpiChurnState *kpi_churn_flat_state(Datum d);
extern void kpi_churn_require_kind(const ChurnState *st, bool revenue);

/* ---------- kpi_revenue_churn.c ---------- */

/* The counts of an expanded revenue state, or NULL if d is not one. */
extern const ChurnState *kpi_churn_expanded_counts(Datum d);

/* ---------- the row path of both ---------- */

/* memcmp(a, b, len) == 0 for the short payloads of ranges, without a call */
static inline bool
kpi_churn_bytes_equal(const char *a, const char *b, Size len)
{
	uint64		x,
				y;

	while (len >= sizeof(uint64))
	{
		memcpy(&x, a, sizeof(x));
		memcpy(&y, b, sizeof(y));
		if (x != y)
			return false;
		a += sizeof(uint64);
		b += sizeof(uint64);
		len -= sizeof(uint64);
	}
	while (len-- > 0)
		if (*a++ != *b++)
			return false;
	return true;
}

/* The entry holding these raw bytes, or NULL. */
static inline const ChurnState *
kpi_churn_period_lookup(PeriodCache *cache, const char *data, Size len)
{
	PeriodEntry *e = &cache->entries[cache->last];

	if (likely(e->len == len && kpi_churn_bytes_equal(e->bytes, data, len)))
		return &e->period;
	/* a join of customers to months sees the months in turn: try the next */
	e = &cache->entries[(cache->last + 1) % cache->used];
	if (e->len == len && kpi_churn_bytes_equal(e->bytes, data, len))
	{
		cache->last = (cache->last + 1) % cache->used;
		return &e->period;
	}
	for (int i = 0; i < cache->used; i++)
	{
		e = &cache->entries[i];
		if (e->len == len && kpi_churn_bytes_equal(e->bytes, data, len))
		{
			cache->last = i;
			return &e->period;
		}
	}
	return NULL;
}

/*
 * The row's period (argument argno), decoded and checked.  Decoded periods
 * are kept with their raw bytes, so that each distinct period of a query is
 * decoded once (if there are no more than PERIOD_CACHE_SIZE of them), and a
 * constant one is not even compared again.  The bytes of a varlena with a
 * short header are compared as they are, without copying it.
 */
static inline const ChurnState *
kpi_churn_row_period(FunctionCallInfo fcinfo, int argno, int kind)
{
	PeriodCache *cache = fcinfo->flinfo ? (PeriodCache *) fcinfo->flinfo->fn_extra : NULL;
	struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	const ChurnState *found;

	if (likely(cache != NULL && cache->used > 0))
	{
		if (cache->constant)
			return &cache->entries[0].period;
		/* (an out-of-line value's 1-byte header is not a short value's) */
		if (unlikely(VARATT_IS_EXTERNAL(raw) || VARATT_IS_COMPRESSED(raw)))
			raw = pg_detoast_datum_packed(raw);
		found = kpi_churn_period_lookup(cache, VARDATA_ANY(raw), VARSIZE_ANY_EXHDR(raw));
		if (likely(found != NULL))
			return found;
	}
	return kpi_churn_decode_period(fcinfo, argno, kind, raw);
}

static inline int64
kpi_churn_time_arg(FunctionCallInfo fcinfo, int argno, int kind)
{
	return kind == CHURN_KIND_DATE ? (int64) PG_GETARG_DATEADT(argno) :
		(int64) PG_GETARG_TIMESTAMPTZ(argno);
}

/* since and until of the row; until is PG_INT64_MAX for a customer who has not left */
static inline void
kpi_churn_customer_args(FunctionCallInfo fcinfo, int kind, int64 *since, int64 *until)
{
	*since = kpi_churn_time_arg(fcinfo, 1, kind);
	*until = PG_ARGISNULL(2) ? PG_INT64_MAX : kpi_churn_time_arg(fcinfo, 2, kind);
	if (unlikely(*until < *since))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("customer_until %s is before customer_since %s",
						kpi_churn_time_text(kind, *until), kpi_churn_time_text(kind, *since)),
				 errdetail("A customer cannot leave before joining."),
				 errhint("Pass NULL as customer_until for a customer who has not left.")));
}

#endif							/* KPI_CHURN_GLUE_H */
