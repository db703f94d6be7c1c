/*
 * kpi_churn.c — SQL face of churn: kpi_churn, kpi_retention and
 * kpi_revenue_churn over timestamptz/tstzrange and date/daterange, and
 * their transition state type kpi_churn_state.
 *
 * The state is a real type with exact text I/O (so Citus can push partial
 * aggregation down to its shards), in one of two in-memory forms:
 *
 * - logo churn (kpi_churn, kpi_retention): a fixed-size flat value, created
 *   in the aggregate context on the first row and updated in place, so a
 *   row costs a few integer comparisons;
 *
 * - revenue churn: an expanded object (the mechanism array_append uses)
 *   that holds the counts and two of core's exact numeric sum accumulators,
 *   the ones sum(numeric) uses, fed through numeric_avg_accum with the
 *   caller's aggregate context.  It becomes a flat value, with the two sums
 *   as numeric values, whenever it leaves the aggregate (to a parallel
 *   leader, to the text or binary output, to a table).
 *
 * The period is decoded once per query when it is a constant (the usual
 * single-period query), else once per distinct value: the raw bytes of the
 * last range seen are kept in fn_extra and compared with the next row's.
 *
 * Errors: customer_until before customer_since 22000 (as core's range bound
 * error); an empty, unbounded or infinite period, or different periods in
 * one group, 22023; a negative, NaN or infinite mrr 22003; counts past
 * bigint 22003; malformed kpi_churn_state text 22P02, binary 22P03.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/primnodes.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/expandeddatum.h"
#include "utils/fmgroids.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "churn.h"

/* churn.h restates PostgreSQL's range of finite dates and timestamps */
StaticAssertDecl(CHURN_DATE_MIN == DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE,
				 "CHURN_DATE_MIN disagrees with PostgreSQL");
StaticAssertDecl(CHURN_DATE_END == DATE_END_JULIAN - POSTGRES_EPOCH_JDATE,
				 "CHURN_DATE_END disagrees with PostgreSQL");
StaticAssertDecl(CHURN_TS_MIN == MIN_TIMESTAMP, "CHURN_TS_MIN disagrees with PostgreSQL");
StaticAssertDecl(CHURN_TS_END == END_TIMESTAMP, "CHURN_TS_END disagrees with PostgreSQL");

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

/* The in-aggregate form of a revenue state. */
typedef struct RevenueState
{
	ExpandedObjectHeader hdr;
	ChurnState	st;
	Datum		active_acc;		/* core's numeric sum accumulators (internal), */
	Datum		lost_acc;		/* 0 until a value is added */
	Numeric		flat_active;	/* the sums, computed for flattening; NULL */
	Numeric		flat_lost;		/* when stale */
} RevenueState;

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

static Size revenue_get_flat_size(ExpandedObjectHeader *eohptr);
static void revenue_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods revenue_methods = {
	revenue_get_flat_size,
	revenue_flatten_into
};

/* ---------- helpers: numbers, periods, messages ---------- */

static Numeric
numeric_zero(void)
{
	return DatumGetNumeric(DirectFunctionCall1(int4_numeric, Int32GetDatum(0)));
}

static int
numeric_compare(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a), NumericGetDatum(b)));
}

static Numeric
numeric_plus(Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_add, NumericGetDatum(a), NumericGetDatum(b)));
}

static char *
numeric_text(Numeric n)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));
}

static Oid
range_type_of(int kind)
{
	return kind == CHURN_KIND_DATE ? DATERANGEOID : TSTZRANGEOID;
}

static Datum
time_datum(int kind, int64 v)
{
	return kind == CHURN_KIND_DATE ? DateADTGetDatum((DateADT) v) : TimestampTzGetDatum(v);
}

static char *
time_text(int kind, int64 v)
{
	return DatumGetCString(kind == CHURN_KIND_DATE ?
						   DirectFunctionCall1(date_out, time_datum(kind, v)) :
						   DirectFunctionCall1(timestamptz_out, time_datum(kind, v)));
}

static char *
range_text(RangeType *range)
{
	return OidOutputFunctionCall(F_RANGE_OUT, RangeTypePGetDatum(range));
}

/* The period of a state as its range type prints it. */
static char *
period_text(const ChurnState *p)
{
	Oid			rngtypid = range_type_of(p->kind);
	TypeCacheEntry *typcache = lookup_type_cache(rngtypid, TYPECACHE_RANGE_INFO);
	RangeBound	lower,
				upper;
	RangeType  *range;

	lower.val = time_datum(p->kind, p->lower);
	lower.infinite = false;
	lower.inclusive = (p->flags & CHURN_LOWER_INC) != 0;
	lower.lower = true;
	upper.val = time_datum(p->kind, p->upper);
	upper.infinite = false;
	upper.inclusive = (p->flags & CHURN_UPPER_INC) != 0;
	upper.lower = false;
#if PG_VERSION_NUM >= 160000
	range = make_range(typcache, &lower, &upper, false, NULL);
#else
	range = make_range(typcache, &lower, &upper, false);
#endif
	return range_text(range);
}

static void
report_period_mismatch(const ChurnState *a, const ChurnState *b)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("rows of one churn group have different periods: %s and %s",
					period_text(a), period_text(b)),
			 errdetail("Churn is measured over one period per group."),
			 errhint("Group by the period, or pass the same period to every row of a group.")));
}

static void
report_merge_problem(ChurnState *a, const ChurnState *b, const char *problem)
{
	if (problem == NULL)
		return;
	if (problem == churn_merge_period)
		report_period_mismatch(a, b);
	if (problem == churn_merge_overflow)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("kpi_churn_state count out of range"),
				 errdetail("%s", problem)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot combine these kpi_churn_state values"),
			 errdetail("%s", problem)));
}

static void
report_count_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("kpi_churn_state count out of range"),
			 errdetail("More customers than bigint can count.")));
}

/* memcmp(a, b, len) == 0 for the short payloads of ranges, without a call */
static inline bool
bytes_equal(const char *a, const char *b, Size len)
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

/*
 * Whether the aggregate's period argument (argno of the transition function,
 * argno - 1 of the aggregate) is the same for every row of the query: a
 * constant, or a parameter of a prepared statement.  Then the period is
 * decoded on the first row and not looked at again.
 */
static bool
period_is_constant(FunctionCallInfo fcinfo, int argno)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	TargetEntry *te;

	if (aggref == NULL || list_length(aggref->args) < argno)
		return false;
	te = list_nth_node(TargetEntry, aggref->args, argno - 1);
	return IsA(te->expr, Const) ||
		(IsA(te->expr, Param) && ((Param *) te->expr)->paramkind == PARAM_EXTERN);
}

/* The entry holding these raw bytes, or NULL. */
static inline const ChurnState *
period_lookup(PeriodCache *cache, const char *data, Size len)
{
	PeriodEntry *e = &cache->entries[cache->last];

	if (likely(e->len == len && bytes_equal(e->bytes, data, len)))
		return &e->period;
	/* a join of customers to months sees the months in turn: try the next */
	e = &cache->entries[(cache->last + 1) % cache->used];
	if (e->len == len && bytes_equal(e->bytes, data, len))
	{
		cache->last = (cache->last + 1) % cache->used;
		return &e->period;
	}
	for (int i = 0; i < cache->used; i++)
	{
		e = &cache->entries[i];
		if (e->len == len && bytes_equal(e->bytes, data, len))
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
static const ChurnState *
row_period(FunctionCallInfo fcinfo, int argno, int kind)
{
	PeriodCache *cache = fcinfo->flinfo ? (PeriodCache *) fcinfo->flinfo->fn_extra : NULL;
	struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	const ChurnState *found;
	const char *data;
	Size		len;
	RangeType  *range;
	RangeBound	lower,
				upper;
	bool		empty;
	ChurnState	period;
	PeriodEntry *e;

	if (likely(cache != NULL && cache->used > 0))
	{
		if (cache->constant)
			return &cache->entries[0].period;
		if (VARATT_IS_EXTENDED(raw) && !VARATT_IS_SHORT(raw))
			raw = pg_detoast_datum(raw);	/* compressed or out of line */
		found = period_lookup(cache, VARDATA_ANY(raw), VARSIZE_ANY_EXHDR(raw));
		if (likely(found != NULL))
			return found;
	}
	else if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo ? fcinfo->flinfo->fn_mcxt : CurrentMemoryContext,
									   sizeof(PeriodCache));
		if (fcinfo->flinfo)
		{
			fcinfo->flinfo->fn_extra = cache;
			cache->constant = period_is_constant(fcinfo, argno);
		}
	}
	if (VARATT_IS_EXTENDED(raw) && !VARATT_IS_SHORT(raw))
		raw = pg_detoast_datum(raw);
	data = VARDATA_ANY(raw);
	len = VARSIZE_ANY_EXHDR(raw);

	range = DatumGetRangeTypeP(PointerGetDatum(raw));
	if (cache->typcache == NULL || cache->typcache->type_id != RangeTypeGetOid(range))
	{
		TypeCacheEntry *typcache = lookup_type_cache(RangeTypeGetOid(range), TYPECACHE_RANGE_INFO);

		if (typcache->rngelemtype == NULL)
			elog(ERROR, "type %u is not a range type", RangeTypeGetOid(range));
		cache->typcache = typcache;
	}
	range_deserialize(cache->typcache, range, &lower, &upper, &empty);
	if (empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn period is empty"),
				 errdetail("Churn is measured over a period with a start and an end, such as [2024-01-01,2024-02-01).")));
	if (lower.infinite || upper.infinite)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn period %s is unbounded", range_text(range)),
				 errdetail("Churn is measured over a period with a finite start and end.")));

	memset(&period, 0, sizeof(period));
	period.kind = kind;
	period.flags = (lower.inclusive ? CHURN_LOWER_INC : 0) |
		(upper.inclusive ? CHURN_UPPER_INC : 0);
	if (kind == CHURN_KIND_DATE)
	{
		if (DATE_NOT_FINITE(DatumGetDateADT(lower.val)) ||
			DATE_NOT_FINITE(DatumGetDateADT(upper.val)))
			goto infinite;
		period.lower = DatumGetDateADT(lower.val);
		period.upper = DatumGetDateADT(upper.val);
	}
	else
	{
		if (TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(lower.val)) ||
			TIMESTAMP_NOT_FINITE(DatumGetTimestampTz(upper.val)))
			goto infinite;
		period.lower = DatumGetTimestampTz(lower.val);
		period.upper = DatumGetTimestampTz(upper.val);
	}
	if (churn_check_period(&period) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("churn period %s is not supported", period_text(&period)),
				 errdetail("%s", churn_check_period(&period))));

	/* keep it, unless its bytes are too long to keep (then decode each time) */
	if (len > PERIOD_BYTES_MAX)
	{
		cache->uncached = period;
		return &cache->uncached;
	}
	e = &cache->entries[cache->next];
	e->len = len;
	memcpy(e->bytes, data, len);
	e->period = period;
	cache->last = cache->next;
	cache->next = (cache->next + 1) % PERIOD_CACHE_SIZE;
	cache->used = Max(cache->used, cache->last + 1);
	return &e->period;

infinite:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("churn period %s has an infinite bound", range_text(range)),
			 errdetail("Churn is measured over a period with a finite start and end.")));
	return NULL;
}

/* ---------- the flat form ---------- */

static Size
flat_size(const ChurnState *st, Numeric active_mrr, Numeric lost_mrr)
{
	if (!(st->flags & CHURN_REVENUE))
		return sizeof(KpiChurnState);
	return MAXALIGN(sizeof(KpiChurnState) + VARSIZE(active_mrr)) + VARSIZE(lost_mrr);
}

/* Writes the flat form into dst, which has flat_size() bytes. */
static void
flat_fill(KpiChurnState *dst, Size size, const ChurnState *st,
		  Numeric active_mrr, Numeric lost_mrr)
{
	memset(dst, 0, size);
	SET_VARSIZE(dst, size);
	dst->version = CHURN_FORMAT_VERSION;
	dst->st = *st;
	if (st->flags & CHURN_REVENUE)
	{
		Size		lost_at = MAXALIGN(sizeof(KpiChurnState) + VARSIZE(active_mrr));

		memcpy((char *) dst + sizeof(KpiChurnState), active_mrr, VARSIZE(active_mrr));
		memcpy((char *) dst + lost_at, lost_mrr, VARSIZE(lost_mrr));
	}
}

static KpiChurnState *
flat_new(MemoryContext cxt, const ChurnState *st, Numeric active_mrr, Numeric lost_mrr)
{
	Size		size = flat_size(st, active_mrr, lost_mrr);
	KpiChurnState *s = MemoryContextAlloc(cxt, size);

	flat_fill(s, size, st, active_mrr, lost_mrr);
	return s;
}

/* A new state for the period of p, with no customer counted. */
static ChurnState
empty_state(const ChurnState *p, bool revenue)
{
	ChurnState	st;

	memset(&st, 0, sizeof(st));
	st.kind = p->kind;
	st.flags = (p->flags & CHURN_BOUND_FLAGS) | (revenue ? CHURN_REVENUE : 0);
	st.lower = p->lower;
	st.upper = p->upper;
	return st;
}

/* The two sums of a checked flat revenue state. */
static void
flat_sums(const KpiChurnState *s, Numeric *active_mrr, Numeric *lost_mrr)
{
	*active_mrr = (Numeric) ((char *) s + sizeof(KpiChurnState));
	*lost_mrr = (Numeric) ((char *) s + MAXALIGN(sizeof(KpiChurnState) + VARSIZE(*active_mrr)));
}

/*
 * A stored or passed kpi_churn_state value, detoasted (an expanded one is
 * flattened) and checked: every length is checked before it is used.
 */
static KpiChurnState *
flat_state(Datum d)
{
	KpiChurnState *s = (KpiChurnState *) PG_DETOAST_DATUM(d);
	Size		size = VARSIZE(s);
	const char *problem = NULL;

	if (size < sizeof(KpiChurnState) || s->version != CHURN_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("kpi_churn_state value has an unknown format (version %d, %zu bytes)",
						size >= offsetof(KpiChurnState, reserved) ? (int) s->version : -1, (size_t) size),
				 errhint("It was written by a newer version of kpi, or is corrupted.")));
	if (s->reserved[0] || s->reserved[1] || s->reserved[2])
		problem = "Reserved bytes are not zero.";
	else
		problem = churn_check(&s->st);
	if (problem == NULL && (s->st.flags & CHURN_REVENUE))
	{
		Size		at = sizeof(KpiChurnState);
		Size		n;

		/* active_mrr, then lost_mrr at the next MAXALIGNed offset, then the end */
		for (int i = 0; i < 2 && problem == NULL; i++)
		{
			if (size - at < VARHDRSZ + sizeof(uint16))
				problem = "The revenue sums are truncated.";
			else if (VARATT_IS_EXTENDED((char *) s + at) ||
					 (n = VARSIZE((char *) s + at)) < VARHDRSZ + sizeof(uint16) ||
					 n > size - at)
				problem = "The revenue sums are malformed.";
			else if (i == 0)
			{
				at = MAXALIGN(at + n);
				if (at > size)
					problem = "The revenue sums are truncated.";
			}
			else if (at + n != size)
				problem = "Unexpected bytes after the revenue sums.";
		}
	}
	else if (problem == NULL && size != sizeof(KpiChurnState))
		problem = "Unexpected bytes after the counts.";
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("kpi_churn_state value is corrupted"),
				 errdetail("%s", problem)));
	return s;
}

static void
require_kind(const ChurnState *st, bool revenue)
{
	if (((st->flags & CHURN_REVENUE) != 0) != revenue)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg(revenue ? "kpi_churn_state value has no revenue sums" :
						"kpi_churn_state value has revenue sums"),
				 errdetail(revenue ? "It was built by kpi_churn or kpi_retention, not kpi_revenue_churn." :
						   "It was built by kpi_revenue_churn, not kpi_churn or kpi_retention.")));
}

/*
 * The invariants that tie a revenue state's sums to its counts.  NULL, or a
 * sentence saying what is wrong.
 */
static const char *
revenue_problem(const ChurnState *st, Numeric active_mrr, Numeric lost_mrr)
{
	Numeric		zero = numeric_zero();

	if (numeric_is_nan(active_mrr) || numeric_is_nan(lost_mrr) ||
#if PG_VERSION_NUM >= 140000
		numeric_is_inf(active_mrr) || numeric_is_inf(lost_mrr) ||
#endif
		numeric_compare(active_mrr, zero) < 0 || numeric_compare(lost_mrr, zero) < 0)
		return "The revenue sums must be finite and not negative.";
	if (numeric_compare(lost_mrr, active_mrr) > 0)
		return "lost_mrr is above active_mrr.";
	if (st->active == 0 && numeric_compare(active_mrr, zero) != 0)
		return "active_mrr must be 0 when no customer is active.";
	if (st->lost == 0 && numeric_compare(lost_mrr, zero) != 0)
		return "lost_mrr must be 0 when no customer is lost.";
	if (st->lost == st->active && numeric_compare(lost_mrr, active_mrr) != 0)
		return "lost_mrr must equal active_mrr when every active customer is lost.";
	return NULL;
}

/* ---------- the expanded revenue form ---------- */

/* Adds value to one of core's numeric sum accumulators (0: none yet). */
static Datum
mrr_accum(FunctionCallInfo fcinfo, Datum acc, Numeric value)
{
	LOCAL_FCINFO(call, 2);

	/* numeric_avg_accum finds the aggregate context through call->context */
	InitFunctionCallInfoData(*call, NULL, 2, InvalidOid, fcinfo->context, NULL);
	call->args[0].value = acc;
	call->args[0].isnull = acc == (Datum) 0;
	call->args[1].value = NumericGetDatum(value);
	call->args[1].isnull = false;
	return numeric_avg_accum(call);
}

/* The sum an accumulator holds, as a new numeric. */
static Numeric
acc_sum(Datum acc)
{
	LOCAL_FCINFO(call, 1);
	Datum		result;

	if (acc == (Datum) 0)
		return numeric_zero();
	InitFunctionCallInfoData(*call, NULL, 1, InvalidOid, NULL, NULL);
	call->args[0].value = acc;
	call->args[0].isnull = false;
	result = numeric_sum(call);
	return call->isnull ? numeric_zero() : DatumGetNumeric(result);
}

/*
 * The memory context of the revenue states of an aggregate context: one
 * child of it, shared by all its groups, found among its children by name.
 *
 * nodeAgg keeps a read-write expanded transition value as it is only when
 * its context is a child of the aggregate context.  A context per group, as
 * array_append's expanded arrays have, would make hash aggregation
 * quadratic: it adds up the memory of every child context each time it
 * makes a group (100k groups took 30 s).  Sharing is safe because nodeAgg
 * (and WindowAgg, and Citus) delete a transition value only when the
 * transition function returns a different one, and these functions always
 * return the expanded object they were given; the shared context goes with
 * the aggregate context, when a group or the query ends.
 */
#define REVENUE_CONTEXT_NAME "kpi_revenue_churn states"

static MemoryContext
revenue_context(MemoryContext aggcontext)
{
	for (MemoryContext child = aggcontext->firstchild; child != NULL; child = child->nextchild)
		if (strcmp(child->name, REVENUE_CONTEXT_NAME) == 0)
			return child;
	return AllocSetContextCreate(aggcontext, REVENUE_CONTEXT_NAME, ALLOCSET_DEFAULT_SIZES);
}

static RevenueState *
revenue_new(MemoryContext aggcontext, const ChurnState *period)
{
	MemoryContext cxt = revenue_context(aggcontext);
	RevenueState *r = MemoryContextAllocZero(cxt, sizeof(RevenueState));

	EOH_init_header(&r->hdr, &revenue_methods, cxt);
	r->st = empty_state(period, true);
	return r;
}

static bool
is_revenue_object(Datum d)
{
	return VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &revenue_methods;
}

/* Forget the flat sums: the state is about to change. */
static void
revenue_touch(RevenueState *r)
{
	if (r->flat_active)
	{
		pfree(r->flat_active);
		pfree(r->flat_lost);
		r->flat_active = r->flat_lost = NULL;
	}
}

static void
revenue_prepare_flat(RevenueState *r)
{
	if (r->flat_active == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(r->hdr.eoh_context);

		r->flat_active = acc_sum(r->active_acc);
		r->flat_lost = acc_sum(r->lost_acc);
		MemoryContextSwitchTo(old);
	}
}

static Size
revenue_get_flat_size(ExpandedObjectHeader *eohptr)
{
	RevenueState *r = (RevenueState *) eohptr;

	revenue_prepare_flat(r);
	return flat_size(&r->st, r->flat_active, r->flat_lost);
}

static void
revenue_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	RevenueState *r = (RevenueState *) eohptr;

	revenue_prepare_flat(r);
	Assert(allocated_size == flat_size(&r->st, r->flat_active, r->flat_lost));
	flat_fill((KpiChurnState *) result, allocated_size, &r->st, r->flat_active, r->flat_lost);
}

/*
 * The state and sums of a revenue state in either form (an expanded one's
 * sums are computed into new numerics).
 */
static void
revenue_read(Datum d, ChurnState *st, Numeric *active_mrr, Numeric *lost_mrr)
{
	KpiChurnState *s;

	if (is_revenue_object(d))
	{
		RevenueState *r = (RevenueState *) DatumGetEOHP(d);

		*st = r->st;
		*active_mrr = acc_sum(r->active_acc);
		*lost_mrr = acc_sum(r->lost_acc);
		return;
	}
	s = flat_state(d);
	require_kind(&s->st, true);
	*st = s->st;
	flat_sums(s, active_mrr, lost_mrr);
}

/*
 * The revenue transition state to update inside an aggregate: argument 0
 * when it is this aggregate's expanded object, else a new one (the first
 * row) or an expanded copy of a flat value.
 */
static RevenueState *
revenue_transition_state(FunctionCallInfo fcinfo, MemoryContext aggcontext,
						 const ChurnState *period)
{
	Datum		d = PG_GETARG_DATUM(0);
	RevenueState *r;
	ChurnState	st;
	Numeric		active_mrr,
				lost_mrr;

	if (PG_ARGISNULL(0))
		return revenue_new(aggcontext, period);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) && is_revenue_object(d))
		return (RevenueState *) DatumGetEOHP(d);
	revenue_read(d, &st, &active_mrr, &lost_mrr);
	r = revenue_new(aggcontext, &st);
	r->st = st;
	if (st.active > 0)
		r->active_acc = mrr_accum(fcinfo, r->active_acc, active_mrr);
	if (st.lost > 0)
		r->lost_acc = mrr_accum(fcinfo, r->lost_acc, lost_mrr);
	return r;
}

/* ---------- transition functions ---------- */

static inline int64
time_arg(FunctionCallInfo fcinfo, int argno, int kind)
{
	return kind == CHURN_KIND_DATE ? (int64) PG_GETARG_DATEADT(argno) :
		(int64) PG_GETARG_TIMESTAMPTZ(argno);
}

/* since and until of the row; until is PG_INT64_MAX for a customer who has not left */
static inline void
customer_args(FunctionCallInfo fcinfo, int kind, int64 *since, int64 *until)
{
	*since = time_arg(fcinfo, 1, kind);
	*until = PG_ARGISNULL(2) ? PG_INT64_MAX : time_arg(fcinfo, 2, kind);
	if (unlikely(*until < *since))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("customer_until %s is before customer_since %s",
						time_text(kind, *until), time_text(kind, *since)),
				 errdetail("A customer cannot leave before joining."),
				 errhint("Pass NULL as customer_until for a customer who has not left.")));
}

/* A row with a NULL since or period (or mrr) leaves the state as it is. */
#define SKIP_IF_NULL(argno) \
	do { \
		if (PG_ARGISNULL(argno)) \
		{ \
			if (PG_ARGISNULL(0)) \
				PG_RETURN_NULL(); \
			PG_RETURN_DATUM(PG_GETARG_DATUM(0)); \
		} \
	} while (0)

/* Whether called by an aggregate (or window aggregate): AggCheckCallContext's test. */
static inline bool
in_aggregate(FunctionCallInfo fcinfo)
{
	return fcinfo->context != NULL &&
		(IsA(fcinfo->context, AggState) || IsA(fcinfo->context, WindowAggState));
}

/*
 * The logo state to update when it is not the aggregate's own yet: a new
 * one in the aggregate context on the first row, or, when called outside an
 * aggregate, a copy.
 */
static pg_noinline KpiChurnState *
churn_state_first(FunctionCallInfo fcinfo, const ChurnState *period)
{
	MemoryContext aggcontext;
	ChurnState	st;
	KpiChurnState *arg;

	if (AggCheckCallContext(fcinfo, &aggcontext))
	{
		if (!PG_ARGISNULL(0))
			return (KpiChurnState *) PG_GETARG_POINTER(0);
		st = empty_state(period, false);
		return flat_new(aggcontext, &st, NULL, NULL);
	}
	if (PG_ARGISNULL(0))
	{
		st = empty_state(period, false);
		return flat_new(CurrentMemoryContext, &st, NULL, NULL);
	}
	arg = flat_state(PG_GETARG_DATUM(0));
	require_kind(&arg->st, false);
	return flat_new(CurrentMemoryContext, &arg->st, NULL, NULL);
}

static inline Datum
churn_accum(FunctionCallInfo fcinfo, int kind)
{
	const ChurnState *period;
	KpiChurnState *s;
	int64		since,
				until;

	SKIP_IF_NULL(1);
	SKIP_IF_NULL(3);
	period = row_period(fcinfo, 3, kind);
	customer_args(fcinfo, kind, &since, &until);

	/* inside an aggregate, after the first row: its own state, updated in place */
	if (likely(!PG_ARGISNULL(0) && in_aggregate(fcinfo)))
		s = (KpiChurnState *) PG_GETARG_POINTER(0);
	else
		s = churn_state_first(fcinfo, period);
	if (unlikely(!churn_same_period(&s->st, period)))
		report_period_mismatch(&s->st, period);
	if (unlikely(!churn_count(&s->st, since, until)))
		report_count_overflow();
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(kpi_churn_ts_accum);
Datum
kpi_churn_ts_accum(PG_FUNCTION_ARGS)
{
	return churn_accum(fcinfo, CHURN_KIND_TIMESTAMPTZ);
}

PG_FUNCTION_INFO_V1(kpi_churn_date_accum);
Datum
kpi_churn_date_accum(PG_FUNCTION_ARGS)
{
	return churn_accum(fcinfo, CHURN_KIND_DATE);
}

static pg_noinline void
report_bad_mrr(Datum d)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("mrr %s is out of range", numeric_text(DatumGetNumeric(d))),
			 errdetail("Monthly recurring revenue is a finite amount, zero or more.")));
}

static pg_noinline void
check_mrr_detoasted(Datum d)
{
	Numeric		mrr = DatumGetNumeric(d);

	if (numeric_is_nan(mrr) ||
#if PG_VERSION_NUM >= 140000
		numeric_is_inf(mrr) ||
#endif
		numeric_compare(mrr, numeric_zero()) < 0)
		report_bad_mrr(d);
}

/*
 * The row's mrr must be a finite amount, zero or more.  Every row is checked,
 * counted or not, and without detoasting (copying) a short value: the first
 * 16 bits of a numeric's data are its header in every on-disk format since
 * PostgreSQL 9.1 (an on-disk format cannot change: pg_upgrade keeps the
 * files), with the sign in the top two bits: 00 positive, 01 negative,
 * 11 NaN or an infinity, and 10 the short format, whose sign is bit 13.
 * Compressed and out-of-line values take the public functions.
 */
#define NUMERIC_HDR_SIGN_MASK 0xC000
#define NUMERIC_HDR_NEG 0x4000
#define NUMERIC_HDR_SPECIAL 0xC000
#define NUMERIC_HDR_SHORT_NEG 0xA000	/* short format, sign bit set */

static inline void
check_mrr(Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	uint16		header;

	if (unlikely((VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v)) ||
				 VARSIZE_ANY_EXHDR(v) < sizeof(uint16)))
	{
		check_mrr_detoasted(PointerGetDatum(PG_DETOAST_DATUM(d)));
		return;
	}
	memcpy(&header, VARDATA_ANY(v), sizeof(header));
	if (unlikely((header & NUMERIC_HDR_SIGN_MASK) == NUMERIC_HDR_NEG ||
				 (header & NUMERIC_HDR_SIGN_MASK) == NUMERIC_HDR_SPECIAL ||
				 (header & (NUMERIC_HDR_SIGN_MASK | 0x2000)) == NUMERIC_HDR_SHORT_NEG))
		report_bad_mrr(PointerGetDatum(PG_DETOAST_DATUM(d)));
}

/* Counts a customer into a revenue state inside an aggregate. */
static inline void
revenue_count(FunctionCallInfo fcinfo, RevenueState *r, int64 since, int64 until, Datum mrr)
{
	int			what = churn_classify(&r->st, since, until);
	Numeric		value;

	if (what == CHURN_OUTSIDE)
		return;
	revenue_touch(r);
	if (unlikely(!churn_count(&r->st, since, until)))
		report_count_overflow();
	value = DatumGetNumeric(mrr);	/* detoasted once, for both sums */
	r->active_acc = mrr_accum(fcinfo, r->active_acc, value);
	if (what == CHURN_LOST)
		r->lost_acc = mrr_accum(fcinfo, r->lost_acc, value);
}

static inline Datum
revenue_accum(FunctionCallInfo fcinfo, int kind)
{
	const ChurnState *period;
	int64		since,
				until;
	ChurnState	st;
	Numeric		active_mrr,
				lost_mrr;
	int			what;

	SKIP_IF_NULL(1);
	SKIP_IF_NULL(3);
	SKIP_IF_NULL(4);
	period = row_period(fcinfo, 3, kind);
	customer_args(fcinfo, kind, &since, &until);
	check_mrr(PG_GETARG_DATUM(4));

	if (likely(in_aggregate(fcinfo)))
	{
		RevenueState *r;
		Datum		d = PG_GETARG_DATUM(0);

		if (likely(!PG_ARGISNULL(0) && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) &&
				   is_revenue_object(d)))
			r = (RevenueState *) DatumGetEOHP(d);
		else
		{
			MemoryContext aggcontext;

			if (!AggCheckCallContext(fcinfo, &aggcontext))
				elog(ERROR, "kpi_revenue_churn_accum: no aggregate context");
			r = revenue_transition_state(fcinfo, aggcontext, period);
		}
		if (unlikely(!churn_same_period(&r->st, period)))
			report_period_mismatch(&r->st, period);
		revenue_count(fcinfo, r, since, until, PG_GETARG_DATUM(4));
		PG_RETURN_DATUM(EOHPGetRWDatum(&r->hdr));
	}

	/* called directly: a new flat value */
	if (PG_ARGISNULL(0))
	{
		st = empty_state(period, true);
		active_mrr = lost_mrr = numeric_zero();
	}
	else
		revenue_read(PG_GETARG_DATUM(0), &st, &active_mrr, &lost_mrr);
	if (!churn_same_period(&st, period))
		report_period_mismatch(&st, period);
	what = churn_classify(&st, since, until);
	if (!churn_count(&st, since, until))
		report_count_overflow();
	if (what != CHURN_OUTSIDE)
		active_mrr = numeric_plus(active_mrr, PG_GETARG_NUMERIC(4));
	if (what == CHURN_LOST)
		lost_mrr = numeric_plus(lost_mrr, PG_GETARG_NUMERIC(4));
	PG_RETURN_POINTER(flat_new(CurrentMemoryContext, &st, active_mrr, lost_mrr));
}

PG_FUNCTION_INFO_V1(kpi_revenue_churn_ts_accum);
Datum
kpi_revenue_churn_ts_accum(PG_FUNCTION_ARGS)
{
	return revenue_accum(fcinfo, CHURN_KIND_TIMESTAMPTZ);
}

PG_FUNCTION_INFO_V1(kpi_revenue_churn_date_accum);
Datum
kpi_revenue_churn_date_accum(PG_FUNCTION_ARGS)
{
	return revenue_accum(fcinfo, CHURN_KIND_DATE);
}

/* ---------- combine functions ---------- */

/* kpi_churn and kpi_retention: adds the second state into the first. */
PG_FUNCTION_INFO_V1(kpi_churn_combine);
Datum
kpi_churn_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	KpiChurnState *b,
			   *s;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = flat_state(PG_GETARG_DATUM(1));
	require_kind(&b->st, false);
	if (AggCheckCallContext(fcinfo, &aggcontext))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_POINTER(flat_new(aggcontext, &b->st, NULL, NULL));
		s = (KpiChurnState *) PG_GETARG_POINTER(0);
	}
	else
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_POINTER(flat_new(CurrentMemoryContext, &b->st, NULL, NULL));
		s = flat_state(PG_GETARG_DATUM(0));
		require_kind(&s->st, false);
		s = flat_new(CurrentMemoryContext, &s->st, NULL, NULL);
	}
	report_merge_problem(&s->st, &b->st, churn_merge(&s->st, &b->st));
	PG_RETURN_POINTER(s);
}

/* kpi_revenue_churn: adds the second state into the first. */
PG_FUNCTION_INFO_V1(kpi_revenue_churn_combine);
Datum
kpi_revenue_churn_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	ChurnState	bst;
	Numeric		b_active,
				b_lost;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	revenue_read(PG_GETARG_DATUM(1), &bst, &b_active, &b_lost);
	if (AggCheckCallContext(fcinfo, &aggcontext))
	{
		RevenueState *r = revenue_transition_state(fcinfo, aggcontext, &bst);

		report_merge_problem(&r->st, &bst, churn_merge(&r->st, &bst));
		revenue_touch(r);
		if (bst.active > 0)
			r->active_acc = mrr_accum(fcinfo, r->active_acc, b_active);
		if (bst.lost > 0)
			r->lost_acc = mrr_accum(fcinfo, r->lost_acc, b_lost);
		PG_RETURN_DATUM(EOHPGetRWDatum(&r->hdr));
	}
	else
	{
		ChurnState	st;
		Numeric		active_mrr,
					lost_mrr;

		if (PG_ARGISNULL(0))
			PG_RETURN_POINTER(flat_new(CurrentMemoryContext, &bst, b_active, b_lost));
		revenue_read(PG_GETARG_DATUM(0), &st, &active_mrr, &lost_mrr);
		report_merge_problem(&st, &bst, churn_merge(&st, &bst));
		PG_RETURN_POINTER(flat_new(CurrentMemoryContext, &st,
								   numeric_plus(active_mrr, b_active),
								   numeric_plus(lost_mrr, b_lost)));
	}
}

/* ---------- final functions ---------- */

/* The counts of either kind of state (logo states are flat). */
static ChurnState
counts_of(Datum d)
{
	if (is_revenue_object(d))
		return ((RevenueState *) DatumGetEOHP(d))->st;
	return flat_state(d)->st;
}

/* The same operations, in the same order, as 100 * lost::float8 / active in SQL. */
static double
churn_rate(const ChurnState *st)
{
	return 100.0 * (double) st->lost / (double) st->active;
}

PG_FUNCTION_INFO_V1(kpi_churn_final);
Datum
kpi_churn_final(PG_FUNCTION_ARGS)
{
	ChurnState	st = counts_of(PG_GETARG_DATUM(0));

	if (st.active == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(churn_rate(&st));
}

PG_FUNCTION_INFO_V1(kpi_retention_final);
Datum
kpi_retention_final(PG_FUNCTION_ARGS)
{
	ChurnState	st = counts_of(PG_GETARG_DATUM(0));

	if (st.active == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 - churn_rate(&st));
}

/*
 * Revenue churn: 100 * lost_mrr / active_mrr computed in numeric (as the
 * same expression over sum(mrr) is in SQL), then converted to float8.  NULL
 * when nobody, or only customers with mrr 0, were active at the start.
 */
PG_FUNCTION_INFO_V1(kpi_revenue_churn_final);
Datum
kpi_revenue_churn_final(PG_FUNCTION_ARGS)
{
	ChurnState	st;
	Numeric		active_mrr,
				lost_mrr;
	Datum		ratio;

	revenue_read(PG_GETARG_DATUM(0), &st, &active_mrr, &lost_mrr);
	if (st.active == 0 || numeric_compare(active_mrr, numeric_zero()) == 0)
		PG_RETURN_NULL();
	ratio = DirectFunctionCall2(numeric_div,
								DirectFunctionCall2(numeric_mul,
													DirectFunctionCall1(int4_numeric, Int32GetDatum(100)),
													NumericGetDatum(lost_mrr)),
								NumericGetDatum(active_mrr));
	PG_RETURN_DATUM(DirectFunctionCall1(numeric_float8, ratio));
}

/* ---------- type I/O ---------- */

PG_FUNCTION_INFO_V1(kpi_churn_state_in);
Datum
kpi_churn_state_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	ChurnState	st;
	ChurnSpan	a,
				l;
	Numeric		active_mrr = NULL,
				lost_mrr = NULL;
	const char *problem = churn_parse(text, &st, &a, &l);

	if (problem == NULL && (st.flags & CHURN_REVENUE))
	{
		active_mrr = DatumGetNumeric(DirectFunctionCall3(numeric_in,
														 CStringGetDatum(pnstrdup(text + a.offset, a.length)),
														 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
		lost_mrr = DatumGetNumeric(DirectFunctionCall3(numeric_in,
													   CStringGetDatum(pnstrdup(text + l.offset, l.length)),
													   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
		problem = revenue_problem(&st, active_mrr, lost_mrr);
	}
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type kpi_churn_state: \"%s\"", text),
				 errdetail("%s", problem),
				 errhint("The form is v1 <date|timestamptz> <period in UTC> active=<count> lost=<count>"
						 " [active_mrr=<decimal> lost_mrr=<decimal>],"
						 " e.g. v1 date [2024-01-01,2024-02-01) active=120 lost=7.")));
	PG_RETURN_POINTER(flat_new(CurrentMemoryContext, &st, active_mrr, lost_mrr));
}

PG_FUNCTION_INFO_V1(kpi_churn_state_out);
Datum
kpi_churn_state_out(PG_FUNCTION_ARGS)
{
	KpiChurnState *s = flat_state(PG_GETARG_DATUM(0));
	StringInfoData buf;

	initStringInfo(&buf);
	enlargeStringInfo(&buf, CHURN_TEXT_MAX);
	buf.len = (int) churn_format(&s->st, buf.data);
	if (s->st.flags & CHURN_REVENUE)
	{
		Numeric		active_mrr,
					lost_mrr;

		flat_sums(s, &active_mrr, &lost_mrr);
		appendStringInfo(&buf, " active_mrr=%s lost_mrr=%s",
						 numeric_text(active_mrr), numeric_text(lost_mrr));
	}
	PG_RETURN_CSTRING(buf.data);
}

/* A numeric from its binary form, all of it. */
static Numeric
numeric_from_binary(const char *data, int len)
{
	StringInfoData buf;
	Numeric		n;

	buf.data = (char *) data;
	buf.len = len;
	buf.maxlen = len;
	buf.cursor = 0;
	n = DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&buf),
											ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	if (buf.cursor != len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external kpi_churn_state value"),
				 errdetail("Unexpected bytes after a revenue sum.")));
	return n;
}

PG_FUNCTION_INFO_V1(kpi_churn_state_recv);
Datum
kpi_churn_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *data = buf->data + buf->cursor;
	ChurnState	st;
	ChurnSpan	a,
				l;
	Numeric		active_mrr = NULL,
				lost_mrr = NULL;
	const char *problem;

	problem = churn_decode((const uint8 *) data, buf->len - buf->cursor, &st, &a, &l);
	if (problem == NULL && (st.flags & CHURN_REVENUE))
	{
		active_mrr = numeric_from_binary(data + a.offset, (int) a.length);
		lost_mrr = numeric_from_binary(data + l.offset, (int) l.length);
		problem = revenue_problem(&st, active_mrr, lost_mrr);
	}
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external kpi_churn_state value"),
				 errdetail("%s", problem)));
	buf->cursor = buf->len;
	PG_RETURN_POINTER(flat_new(CurrentMemoryContext, &st, active_mrr, lost_mrr));
}

static void
send_numeric(StringInfo buf, Numeric n)
{
	bytea	   *b = DatumGetByteaPP(DirectFunctionCall1(numeric_send, NumericGetDatum(n)));

	pq_sendint32(buf, (uint32) VARSIZE_ANY_EXHDR(b));
	pq_sendbytes(buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}

PG_FUNCTION_INFO_V1(kpi_churn_state_send);
Datum
kpi_churn_state_send(PG_FUNCTION_ARGS)
{
	KpiChurnState *s = flat_state(PG_GETARG_DATUM(0));
	uint8		fixed[CHURN_BINARY_FIXED];
	StringInfoData buf;

	churn_encode(&s->st, fixed);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (char *) fixed, sizeof(fixed));
	if (s->st.flags & CHURN_REVENUE)
	{
		Numeric		active_mrr,
					lost_mrr;

		flat_sums(s, &active_mrr, &lost_mrr);
		send_numeric(&buf, active_mrr);
		send_numeric(&buf, lost_mrr);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
