/*
 * kpi_revenue_churn.c — SQL face of kpi_revenue_churn over
 * timestamptz/tstzrange and date/daterange: its transition, combine and
 * final functions, and the in-aggregate form of its kpi_churn_state.
 *
 * Inside the aggregate the state is an expanded object (the mechanism
 * array_append uses) that holds the counts and two of core's exact numeric
 * sum accumulators, the ones sum(numeric) uses, fed through
 * numeric_avg_accum with the caller's aggregate context.  It becomes the
 * flat value of kpi_churn.c, with the two sums as numeric values, whenever
 * it leaves the aggregate (to a parallel leader, to the text or binary
 * output, to a table).
 *
 * Errors: a negative, NaN or infinite mrr 22003; the rest as kpi_churn.c.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "kpi_aggregate.h"
#include "kpi_churn.h"

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

static Size revenue_get_flat_size(ExpandedObjectHeader *eohptr);
static void revenue_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods revenue_methods = {
	revenue_get_flat_size,
	revenue_flatten_into
};

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
		return kpi_churn_numeric_zero();
	InitFunctionCallInfoData(*call, NULL, 1, InvalidOid, NULL, NULL);
	call->args[0].value = acc;
	call->args[0].isnull = false;
	result = numeric_sum(call);
	return call->isnull ? kpi_churn_numeric_zero() : DatumGetNumeric(result);
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
	r->st = kpi_churn_empty_state(period, true);
	return r;
}

static bool
is_revenue_object(Datum d)
{
	return VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &revenue_methods;
}

const ChurnState *
kpi_churn_expanded_counts(Datum d)
{
	if (is_revenue_object(d))
		return &((RevenueState *) DatumGetEOHP(d))->st;
	return NULL;
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
	return kpi_churn_flat_size(&r->st, r->flat_active, r->flat_lost);
}

static void
revenue_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	RevenueState *r = (RevenueState *) eohptr;

	revenue_prepare_flat(r);
	Assert(allocated_size == kpi_churn_flat_size(&r->st, r->flat_active, r->flat_lost));
	kpi_churn_flat_fill((KpiChurnState *) result, allocated_size, &r->st, r->flat_active, r->flat_lost);
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
	s = kpi_churn_flat_state(d);
	kpi_churn_require_kind(&s->st, true);
	*st = s->st;
	kpi_churn_flat_sums(s, active_mrr, lost_mrr);
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

static pg_noinline void
report_bad_mrr(Datum d)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("mrr %s is out of range", kpi_churn_numeric_text(DatumGetNumeric(d))),
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
		kpi_churn_numeric_compare(mrr, kpi_churn_numeric_zero()) < 0)
		report_bad_mrr(d);
}

/*
 * The row's mrr must be a finite amount, zero or more.  Every row is checked,
 * counted or not, and without detoasting (copying) a short value: the first
 * 16 bits of a numeric's data are its header in every on-disk format since
 * PostgreSQL 9.1 (an on-disk format cannot change: pg_upgrade keeps the
 * files), with the sign in the top two bits: 00 positive, 01 negative,
 * 11 NaN or an infinity, and 10 the short format, whose sign is bit 13.
 * Compressed and out-of-line values take the public functions: an
 * out-of-line value is a TOAST pointer, whose one-byte header looks like a
 * short varlena's (VARATT_IS_SHORT is true of both), so test for it first.
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

	if (unlikely(VARATT_IS_EXTERNAL(v) || VARATT_IS_COMPRESSED(v) ||
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
		kpi_churn_report_count_overflow();
	value = DatumGetNumeric(mrr);	/* detoasted once, for both sums */
	r->active_acc = mrr_accum(fcinfo, r->active_acc, value);
	if (what == CHURN_LOST)
		r->lost_acc = mrr_accum(fcinfo, r->lost_acc, value);
}

static inline Datum
revenue_accum(FunctionCallInfo fcinfo, int kind)
{
	MemoryContext aggcontext;
	const ChurnState *period;
	int64		since,
				until;
	RevenueState *r;
	Datum		d = PG_GETARG_DATUM(0);

	kpi_aggregate_context(fcinfo, &aggcontext);
	KPI_SKIP_IF_NULL(1);
	KPI_SKIP_IF_NULL(3);
	KPI_SKIP_IF_NULL(4);
	period = kpi_churn_row_period(fcinfo, 3, kind);
	kpi_churn_customer_args(fcinfo, kind, &since, &until);
	check_mrr(PG_GETARG_DATUM(4));

	if (likely(!PG_ARGISNULL(0) && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) &&
			   is_revenue_object(d)))
		r = (RevenueState *) DatumGetEOHP(d);
	else
		r = revenue_transition_state(fcinfo, aggcontext, period);
	if (unlikely(!churn_same_period(&r->st, period)))
		kpi_churn_report_period_mismatch(&r->st, period);
	revenue_count(fcinfo, r, since, until, PG_GETARG_DATUM(4));
	PG_RETURN_DATUM(EOHPGetRWDatum(&r->hdr));
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

/* ---------- combine function ---------- */

/* kpi_revenue_churn: adds the second state into the first. */
PG_FUNCTION_INFO_V1(kpi_revenue_churn_combine);
Datum
kpi_revenue_churn_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	ChurnState	bst;
	Numeric		b_active,
				b_lost;

	RevenueState *r;

	kpi_aggregate_context(fcinfo, &aggcontext);
	KPI_SKIP_IF_NULL(1);
	revenue_read(PG_GETARG_DATUM(1), &bst, &b_active, &b_lost);
	r = revenue_transition_state(fcinfo, aggcontext, &bst);
	kpi_churn_report_merge_problem(&r->st, &bst, churn_merge(&r->st, &bst));
	revenue_touch(r);
	if (bst.active > 0)
		r->active_acc = mrr_accum(fcinfo, r->active_acc, b_active);
	if (bst.lost > 0)
		r->lost_acc = mrr_accum(fcinfo, r->lost_acc, b_lost);
	PG_RETURN_DATUM(EOHPGetRWDatum(&r->hdr));
}

/* ---------- final function ---------- */

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
	if (st.active == 0 || kpi_churn_numeric_compare(active_mrr, kpi_churn_numeric_zero()) == 0)
		PG_RETURN_NULL();
	ratio = DirectFunctionCall2(numeric_div,
								DirectFunctionCall2(numeric_mul,
													DirectFunctionCall1(int4_numeric, Int32GetDatum(100)),
													NumericGetDatum(lost_mrr)),
								NumericGetDatum(active_mrr));
	PG_RETURN_DATUM(DirectFunctionCall1(numeric_float8, ratio));
}
