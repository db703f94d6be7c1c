/*
 * kpi_churn.c — SQL face of logo churn: kpi_churn and kpi_retention over
 * timestamptz/tstzrange and date/daterange, and their transition state type
 * kpi_churn_state, which kpi_revenue_churn (kpi_revenue_churn.c) shares.
 *
 * The state is a real type with exact text I/O (so Citus can push partial
 * aggregation down to its shards).  Logo churn keeps it as a fixed-size
 * flat value, created in the aggregate context on the first row and updated
 * in place, so a row costs a few integer comparisons.  Here too are the flat
 * form with a revenue state's two sums (see kpi_churn.h), and the type's
 * text and binary I/O, for both kinds.
 *
 * The period is decoded once per query when it is a constant (the usual
 * single-period query), else once per distinct value: the raw bytes of the
 * last range seen are kept in fn_extra and compared with the next row's
 * (the comparison, kpi_churn_row_period, is in kpi_churn.h; the decoding
 * here).
 *
 * Errors: customer_until before customer_since 22000 (as core's range bound
 * error); an empty, unbounded or infinite period, or different periods in
 * one group, 22023; counts past bigint 22003; malformed kpi_churn_state
 * text 22P02, binary 22P03.
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
#include "utils/fmgroids.h"
#include "utils/numeric.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "kpi_aggregate.h"
#include "kpi_churn.h"

/* churn.h restates PostgreSQL's range of finite dates and timestamps */
StaticAssertDecl(CHURN_DATE_MIN == DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE,
				 "CHURN_DATE_MIN disagrees with PostgreSQL");
StaticAssertDecl(CHURN_DATE_END == DATE_END_JULIAN - POSTGRES_EPOCH_JDATE,
				 "CHURN_DATE_END disagrees with PostgreSQL");
StaticAssertDecl(CHURN_TS_MIN == MIN_TIMESTAMP, "CHURN_TS_MIN disagrees with PostgreSQL");
StaticAssertDecl(CHURN_TS_END == END_TIMESTAMP, "CHURN_TS_END disagrees with PostgreSQL");

/* ---------- helpers: numbers, periods, messages ---------- */

Numeric
kpi_churn_numeric_zero(void)
{
	return DatumGetNumeric(DirectFunctionCall1(int4_numeric, Int32GetDatum(0)));
}

int
kpi_churn_numeric_compare(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a), NumericGetDatum(b)));
}

char *
kpi_churn_numeric_text(Numeric n)
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

char *
kpi_churn_time_text(int kind, int64 v)
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

void
kpi_churn_report_period_mismatch(const ChurnState *a, const ChurnState *b)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("rows of one churn group have different periods: %s and %s",
					period_text(a), period_text(b)),
			 errdetail("Churn is measured over one period per group."),
			 errhint("Group by the period, or pass the same period to every row of a group.")));
}

void
kpi_churn_report_merge_problem(ChurnState *a, const ChurnState *b, const char *problem)
{
	if (problem == NULL)
		return;
	if (problem == churn_merge_period)
		kpi_churn_report_period_mismatch(a, b);
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

void
kpi_churn_report_count_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("kpi_churn_state count out of range"),
			 errdetail("More customers than bigint can count.")));
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

/*
 * The row's period (argument argno, whose value is raw) when the cache of
 * kpi_churn_row_period does not hold it: decoded, checked, and kept with its
 * raw bytes unless they are too long to keep.
 */
const ChurnState *
kpi_churn_decode_period(FunctionCallInfo fcinfo, int argno, int kind, struct varlena *raw)
{
	PeriodCache *cache = fcinfo->flinfo ? (PeriodCache *) fcinfo->flinfo->fn_extra : NULL;
	const char *data;
	Size		len;
	RangeType  *range;
	RangeBound	lower,
				upper;
	bool		empty;
	ChurnState	period;
	PeriodEntry *e;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo ? fcinfo->flinfo->fn_mcxt : CurrentMemoryContext,
									   sizeof(PeriodCache));
		if (fcinfo->flinfo)
		{
			fcinfo->flinfo->fn_extra = cache;
			cache->constant = period_is_constant(fcinfo, argno);
		}
	}
	/*
	 * (A range is too small to be stored out of line or compressed today, but
	 * an out-of-line value's 1-byte header is not a short value's.)
	 */
	if (VARATT_IS_EXTERNAL(raw) || VARATT_IS_COMPRESSED(raw))
		raw = pg_detoast_datum_packed(raw);
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

Size
kpi_churn_flat_size(const ChurnState *st, Numeric active_mrr, Numeric lost_mrr)
{
	if (!(st->flags & CHURN_REVENUE))
		return sizeof(KpiChurnState);
	return MAXALIGN(sizeof(KpiChurnState) + VARSIZE(active_mrr)) + VARSIZE(lost_mrr);
}

/* Writes the flat form into dst, which has kpi_churn_flat_size() bytes. */
void
kpi_churn_flat_fill(KpiChurnState *dst, Size size, const ChurnState *st,
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

KpiChurnState *
kpi_churn_flat_new(MemoryContext cxt, const ChurnState *st, Numeric active_mrr, Numeric lost_mrr)
{
	Size		size = kpi_churn_flat_size(st, active_mrr, lost_mrr);
	KpiChurnState *s = MemoryContextAlloc(cxt, size);

	kpi_churn_flat_fill(s, size, st, active_mrr, lost_mrr);
	return s;
}

/* A new state for the period of p, with no customer counted. */
ChurnState
kpi_churn_empty_state(const ChurnState *p, bool revenue)
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
void
kpi_churn_flat_sums(const KpiChurnState *s, Numeric *active_mrr, Numeric *lost_mrr)
{
	*active_mrr = (Numeric) ((char *) s + sizeof(KpiChurnState));
	*lost_mrr = (Numeric) ((char *) s + MAXALIGN(sizeof(KpiChurnState) + VARSIZE(*active_mrr)));
}

/*
 * A stored or passed kpi_churn_state value, detoasted (an expanded one is
 * flattened) and checked: every length is checked before it is used.
 */
KpiChurnState *
kpi_churn_flat_state(Datum d)
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

void
kpi_churn_require_kind(const ChurnState *st, bool revenue)
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
	Numeric		zero = kpi_churn_numeric_zero();

	if (numeric_is_nan(active_mrr) || numeric_is_nan(lost_mrr) ||
#if PG_VERSION_NUM >= 140000
		numeric_is_inf(active_mrr) || numeric_is_inf(lost_mrr) ||
#endif
		kpi_churn_numeric_compare(active_mrr, zero) < 0 || kpi_churn_numeric_compare(lost_mrr, zero) < 0)
		return "The revenue sums must be finite and not negative.";
	if (kpi_churn_numeric_compare(lost_mrr, active_mrr) > 0)
		return "lost_mrr is above active_mrr.";
	if (st->active == 0 && kpi_churn_numeric_compare(active_mrr, zero) != 0)
		return "active_mrr must be 0 when no customer is active.";
	if (st->lost == 0 && kpi_churn_numeric_compare(lost_mrr, zero) != 0)
		return "lost_mrr must be 0 when no customer is lost.";
	if (st->lost == st->active && kpi_churn_numeric_compare(lost_mrr, active_mrr) != 0)
		return "lost_mrr must equal active_mrr when every active customer is lost.";
	return NULL;
}

/* ---------- transition functions ---------- */

/*
 * Whether d is a state these functions made: a plain logo-churn value in
 * the aggregate's memory, safe to update in place.  Anything else a
 * user-defined aggregate may hand over (an INITCOND, a stored, short-headed
 * or revenue value) is checked and copied first.
 */
static inline bool
own_logo_state(Datum d)
{
	KpiChurnState *s = (KpiChurnState *) DatumGetPointer(d);

	return VARATT_IS_4B_U(s) && VARSIZE(s) == sizeof(KpiChurnState) &&
		s->version == CHURN_FORMAT_VERSION && !(s->st.flags & CHURN_REVENUE);
}

/* The state to update inside an aggregate: see own_logo_state. */
static KpiChurnState *
logo_state_for_update(FunctionCallInfo fcinfo, MemoryContext aggcontext,
					  const ChurnState *first)
{
	ChurnState	st;
	KpiChurnState *arg;

	if (PG_ARGISNULL(0))
	{
		st = kpi_churn_empty_state(first, false);
		return kpi_churn_flat_new(aggcontext, &st, NULL, NULL);
	}
	if (likely(own_logo_state(PG_GETARG_DATUM(0))))
		return (KpiChurnState *) PG_GETARG_POINTER(0);
	arg = kpi_churn_flat_state(PG_GETARG_DATUM(0));
	kpi_churn_require_kind(&arg->st, false);
	return kpi_churn_flat_new(aggcontext, &arg->st, NULL, NULL);
}

static inline Datum
churn_accum(FunctionCallInfo fcinfo, int kind)
{
	MemoryContext aggcontext;
	const ChurnState *period;
	KpiChurnState *s;
	int64		since,
				until;

	kpi_aggregate_context(fcinfo, &aggcontext);
	KPI_SKIP_IF_NULL(1);
	KPI_SKIP_IF_NULL(3);
	period = kpi_churn_row_period(fcinfo, 3, kind);
	kpi_churn_customer_args(fcinfo, kind, &since, &until);
	s = logo_state_for_update(fcinfo, aggcontext, period);
	if (unlikely(!churn_same_period(&s->st, period)))
		kpi_churn_report_period_mismatch(&s->st, period);
	if (unlikely(!churn_count(&s->st, since, until)))
		kpi_churn_report_count_overflow();
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

/* ---------- combine function ---------- */

/* kpi_churn and kpi_retention: adds the second state into the first. */
PG_FUNCTION_INFO_V1(kpi_churn_combine);
Datum
kpi_churn_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	KpiChurnState *b,
			   *s;

	kpi_aggregate_context(fcinfo, &aggcontext);
	KPI_SKIP_IF_NULL(1);
	b = kpi_churn_flat_state(PG_GETARG_DATUM(1));
	kpi_churn_require_kind(&b->st, false);
	s = logo_state_for_update(fcinfo, aggcontext, &b->st);
	kpi_churn_report_merge_problem(&s->st, &b->st, churn_merge(&s->st, &b->st));
	PG_RETURN_POINTER(s);
}

/* ---------- final functions ---------- */

/* The counts of either kind of state (logo states are flat). */
static ChurnState
counts_of(Datum d)
{
	const ChurnState *expanded = kpi_churn_expanded_counts(d);

	if (expanded != NULL)
		return *expanded;
	return kpi_churn_flat_state(d)->st;
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
	PG_RETURN_POINTER(kpi_churn_flat_new(CurrentMemoryContext, &st, active_mrr, lost_mrr));
}

PG_FUNCTION_INFO_V1(kpi_churn_state_out);
Datum
kpi_churn_state_out(PG_FUNCTION_ARGS)
{
	KpiChurnState *s = kpi_churn_flat_state(PG_GETARG_DATUM(0));
	StringInfoData buf;

	initStringInfo(&buf);
	enlargeStringInfo(&buf, CHURN_TEXT_MAX);
	buf.len = (int) churn_format(&s->st, buf.data);
	if (s->st.flags & CHURN_REVENUE)
	{
		Numeric		active_mrr,
					lost_mrr;

		kpi_churn_flat_sums(s, &active_mrr, &lost_mrr);
		appendStringInfo(&buf, " active_mrr=%s lost_mrr=%s",
						 kpi_churn_numeric_text(active_mrr), kpi_churn_numeric_text(lost_mrr));
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
	PG_RETURN_POINTER(kpi_churn_flat_new(CurrentMemoryContext, &st, active_mrr, lost_mrr));
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
	KpiChurnState *s = kpi_churn_flat_state(PG_GETARG_DATUM(0));
	uint8		fixed[CHURN_BINARY_FIXED];
	StringInfoData buf;

	churn_encode(&s->st, fixed);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (char *) fixed, sizeof(fixed));
	if (s->st.flags & CHURN_REVENUE)
	{
		Numeric		active_mrr,
					lost_mrr;

		kpi_churn_flat_sums(s, &active_mrr, &lost_mrr);
		send_numeric(&buf, active_mrr);
		send_numeric(&buf, lost_mrr);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
