/*
 * kpi_timeline.c
 *		SQL face of kpi_timeline, a ticket's status history: text and binary
 *		I/O, the kpi_timeline(at, status) and kpi_merge aggregates, the +
 *		operator, the accessors and the cast to jsonb.  The algorithms are in
 *		timeline.c and timeline_format.c (plain C; see timeline.h).
 *
 * The transition state is kpi_timeline itself, not internal, so Citus can
 * push partial aggregation down to shards.  It is the WORKING layout: one
 * flat block that the transition function updates in place while it has
 * room (nodeAgg sees the same pointer come back and copies nothing).  When
 * it must grow, the larger copy is made in the current (per-tuple) context
 * and returned; nodeAgg copies it into the aggregate context and frees the
 * old one.  The final function sorts and packs it into the stored form,
 * leaving the state intact (a window aggregate calls it again and again).
 */
#include "postgres.h"

#include "kpi_compat.h"

#include "access/hash.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "kpi_aggregate.h"
#include "timeline.h"

/* ---------- the core's allocator and errors ---------- */

static void *
tl_palloc(void *ctx, size_t size)
{
	return palloc(size);
}

static void
tl_pfree(void *ctx, void *ptr)
{
	if (ptr != NULL)
		pfree(ptr);
}

/* memory of the current context */
static const tl_mem tl_pg_mem = {tl_palloc, tl_pfree, NULL};

static pg_noreturn void
report(tl_status st)
{
	switch (st)
	{
		case TL_TOO_MANY_STATUSES:
		case TL_TOO_BIG:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("kpi_timeline is too large"),
					 errdetail("%s", tl_status_message(st))));
			break;
		case TL_BAD_TIME:
		case TL_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("timestamp out of range"),
					 errdetail("%s", tl_status_message(st))));
			break;
		case TL_BAD_STATUS:
			ereport(ERROR,
					(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
					 errmsg("invalid status for kpi_timeline"),
					 errdetail("%s", tl_status_message(st))));
			break;
		default:
			elog(ERROR, "kpi_timeline: %s", tl_status_message(st));
	}
	pg_unreachable();
}

/* ---------- arguments ---------- */

static pg_noreturn void
report_corrupt(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("kpi_timeline value is corrupted"),
			 errdetail("%s", detail)));
	pg_unreachable();
}

/*
 * Argument n, detoasted (so 8-aligned with a 4-byte header, as the arrays
 * of the layout need), in either layout, its size checked against its
 * header so that nothing reads past it.
 */
static tl_value *
timeline_any_arg(FunctionCallInfo fcinfo, int n)
{
	tl_value   *v = (tl_value *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n));
	size_t		len = VARSIZE(v);

	if (len < TL_HEADER_SIZE)
		report_corrupt("It is shorter than its header.");
	if (v->version != TL_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("kpi_timeline value has unsupported format version %d",
						(int) v->version),
				 errdetail("This version of kpi reads format version %d.", TL_VERSION),
				 errhint("The value was written by a newer version of the kpi extension; update it.")));
	if (v->layout == TL_PACKED)
	{
		if (tl_packed_size(v) != len)
			report_corrupt("Its length does not match its counts.");
	}
	else if (v->layout != TL_WORKING || len < TL_WORK_HEADER_SIZE ||
			 tl_work_size((tl_work *) v) != len ||
			 v->nchanges > ((tl_work *) v)->cap_changes ||
			 v->nstatuses > ((tl_work *) v)->cap_statuses ||
			 v->strbytes > ((tl_work *) v)->cap_strbytes)
		report_corrupt("Unknown layout or wrong length.");
	return v;
}

/* Argument n in the stored form (an aggregate's state is packed first). */
static tl_value *
timeline_arg(FunctionCallInfo fcinfo, int n)
{
	tl_value   *v = timeline_any_arg(fcinfo, n);
	tl_value   *p;
	size_t		size;
	tl_status	st;

	if (v->layout == TL_PACKED)
		return v;
	p = tl_pack(v, &tl_pg_mem, &size, &st);
	if (p == NULL)
		report(st);
	SET_VARSIZE(p, size);
	return p;
}

static TimestampTz
finite_ts(TimestampTz t, const char *what)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range"),
				 errdetail("kpi_timeline takes finite instants only; %s is %s.",
						   what, TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity")));
	return t;
}

/*
 * The statuses that argument n names: a text, or a text[] whose NULL
 * elements name none (SQL-callable functions come in both forms, as
 * separate C entry points, so no call depends on fn_expr).
 */
static void
status_set_arg(FunctionCallInfo fcinfo, int n, bool is_array, const tl_value *v,
			   tl_set *set)
{
	tl_status	st;

	if (!tl_set_init(set, v, &tl_pg_mem, &st))
		report(st);
	if (!is_array)
	{
		text	   *t = PG_GETARG_TEXT_PP(n);

		tl_set_add(set, v, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
	else
	{
		ArrayType  *a = PG_GETARG_ARRAYTYPE_P(n);
		Datum	   *elems;
		bool	   *nulls;
		int			count;

		deconstruct_array(a, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &count);
		for (int i = 0; i < count; i++)
		{
			text	   *t;

			if (nulls[i])
				continue;
			t = DatumGetTextPP(elems[i]);
			tl_set_add(set, v, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
		}
	}
}

/* Every status valid in the database encoding (\xHH escapes can make any byte). */
static void
check_encoding(const tl_value *v)
{
	for (uint32_t i = 0; i < v->nstatuses; i++)
	{
		size_t		len;
		const char *s = tl_status_text(v, i, &len);

		pg_verifymbstr(s, (int) len, false);
	}
}

/* ---------- type I/O ---------- */

PG_FUNCTION_INFO_V1(kpi_timeline_in);
Datum
kpi_timeline_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char		err[256];
	size_t		size;
	tl_status	st;
	tl_value   *v = tl_from_text(str, strlen(str), &tl_pg_mem, &size, &st, err, sizeof(err));

	if (v == NULL)
	{
		if (st == TL_BAD_TIME)
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("timestamp out of range in kpi_timeline: \"%s\"", str),
					 errdetail("%s", err)));
		if (st == TL_TOO_MANY_STATUSES || st == TL_TOO_BIG)
			report(st);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type kpi_timeline: \"%s\"", str),
				 errdetail("%s", err),
				 errhint("The form is v1 [2024-01-01 10:00:00+00 \"new\", 2024-01-01 12:00:00+00 \"open\"], instants in UTC, as kpi_timeline output writes it.")));
	}
	check_encoding(v);
	SET_VARSIZE(v, size);
	PG_RETURN_POINTER(v);
}

PG_FUNCTION_INFO_V1(kpi_timeline_out);
Datum
kpi_timeline_out(PG_FUNCTION_ARGS)
{
	tl_value   *v = timeline_arg(fcinfo, 0);
	tl_status	st;
	size_t		len = tl_text_size(v, &st);
	char	   *out;

	if (st != TL_OK)
		report(st);
	out = palloc(len + 1);
	tl_text_write(v, out);
	PG_RETURN_CSTRING(out);
}

PG_FUNCTION_INFO_V1(kpi_timeline_recv);
Datum
kpi_timeline_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	char		err[256];
	size_t		size;
	tl_status	st;
	tl_value   *v;

	v = tl_from_wire((const uint8_t *) buf->data + buf->cursor,
					 (size_t) (buf->len - buf->cursor), &tl_pg_mem, &size, &st,
					 err, sizeof(err));
	if (v == NULL)
	{
		if (st == TL_TOO_BIG)
			report(st);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 st == TL_BAD_VERSION ?
				 errmsg("unsupported binary format version %d for type kpi_timeline",
						(int) (unsigned char) buf->data[buf->cursor]) :
				 errmsg("invalid binary value for type kpi_timeline"),
				 errdetail("%s", err)));
	}
	check_encoding(v);
	buf->cursor = buf->len;
	SET_VARSIZE(v, size);
	PG_RETURN_POINTER(v);
}

PG_FUNCTION_INFO_V1(kpi_timeline_send);
Datum
kpi_timeline_send(PG_FUNCTION_ARGS)
{
	tl_value   *v = timeline_arg(fcinfo, 0);
	size_t		len = tl_wire_size(v);
	bytea	   *out;

	if (len > MaxAllocSize - VARHDRSZ)
		report(TL_TOO_BIG);
	out = palloc(len + VARHDRSZ);
	SET_VARSIZE(out, len + VARHDRSZ);
	tl_wire_write(v, (uint8_t *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

/* ---------- aggregation ---------- */

static inline Datum
working_datum(tl_work *w)
{
	SET_VARSIZE(w, tl_work_size(w));
	return PointerGetDatum(w);
}

/*
 * The state to update in place: the aggregate's own working value, a new
 * one for the first row, or a working copy of anything else a user-defined
 * aggregate may pass (an INITCOND, a stored or short-headed value): it is
 * about to be written to, so only a value these functions made is trusted.
 */
static tl_work *
state_for_update(FunctionCallInfo fcinfo)
{
	tl_work    *w,
			   *n;
	tl_value   *v;
	tl_status	st;

	if (!PG_ARGISNULL(0))
	{
		v = (tl_value *) DatumGetPointer(PG_GETARG_DATUM(0));
		if (VARATT_IS_4B_U(v) && VARSIZE(v) >= TL_WORK_HEADER_SIZE &&
			v->version == TL_VERSION && v->layout == TL_WORKING &&
			tl_work_size((tl_work *) v) == VARSIZE(v))
			return (tl_work *) v;
	}
	w = tl_work_new(&tl_pg_mem, &st);
	if (w == NULL)
		report(st);
	if (PG_ARGISNULL(0))
		return w;
	n = tl_work_add_value(w, timeline_any_arg(fcinfo, 0), &tl_pg_mem, &st);
	if (n == NULL)
		report(st);
	return n;
}

/* kpi_timeline(at, status) transition: a NULL instant or status skips the row */
PG_FUNCTION_INFO_V1(kpi_timeline_accum);
Datum
kpi_timeline_accum(PG_FUNCTION_ARGS)
{
	tl_work    *w,
			   *n;
	text	   *status;
	TimestampTz at;
	tl_status	st;

	kpi_aggregate_context(fcinfo, NULL);
	KPI_SKIP_IF_NULL(1);
	KPI_SKIP_IF_NULL(2);
	at = finite_ts(PG_GETARG_TIMESTAMPTZ(1), "at");
	status = PG_GETARG_TEXT_PP(2);
	w = state_for_update(fcinfo);
	n = tl_work_add(w, at, VARDATA_ANY(status), VARSIZE_ANY_EXHDR(status),
					&tl_pg_mem, &st);
	if (n == NULL)
		report(st);
	return working_datum(n);
}

/*
 * kpi_merge transition and the combine function of both aggregates: adds
 * the second value's changes into the first.  Not strict.
 */
PG_FUNCTION_INFO_V1(kpi_timeline_combine);
Datum
kpi_timeline_combine(PG_FUNCTION_ARGS)
{
	tl_work    *w,
			   *n;
	tl_status	st;

	kpi_aggregate_context(fcinfo, NULL);
	KPI_SKIP_IF_NULL(1);
	w = state_for_update(fcinfo);
	n = tl_work_add_value(w, timeline_any_arg(fcinfo, 1), &tl_pg_mem, &st);
	if (n == NULL)
		report(st);
	return working_datum(n);
}

/* The stored form of a state; strict, so NULL over no input. */
PG_FUNCTION_INFO_V1(kpi_timeline_final);
Datum
kpi_timeline_final(PG_FUNCTION_ARGS)
{
	tl_value   *v = timeline_any_arg(fcinfo, 0);
	tl_value   *p;
	size_t		size;
	tl_status	st;

	p = tl_pack(v, &tl_pg_mem, &size, &st);
	if (p == NULL)
		report(st);
	SET_VARSIZE(p, size);
	PG_RETURN_POINTER(p);
}

/* a + b: the union of the changes */
PG_FUNCTION_INFO_V1(kpi_timeline_add);
Datum
kpi_timeline_add(PG_FUNCTION_ARGS)
{
	tl_value   *a = timeline_any_arg(fcinfo, 0);
	tl_value   *b = timeline_any_arg(fcinfo, 1);
	tl_value   *m;
	size_t		size;
	tl_status	st;

	m = tl_merge(a, b, &tl_pg_mem, &size, &st);
	if (m == NULL)
		report(st);
	SET_VARSIZE(m, size);
	PG_RETURN_POINTER(m);
}

/* ---------- accessors ---------- */

static Interval *
usec_interval(int64 usec)
{
	Interval   *iv = palloc(sizeof(Interval));

	/* days and time of one sign, as timestamptz - timestamptz gives */
	iv->month = 0;
	iv->day = (int32) (usec / USECS_PER_DAY);
	iv->time = usec % USECS_PER_DAY;
	return iv;
}

/* kpi_time_in(timeline, status | statuses [, until]) */
static Datum
read_time_in(FunctionCallInfo fcinfo, bool is_array)
{
	tl_value   *v = timeline_arg(fcinfo, 0);
	tl_set		set;
	bool		has_until = PG_NARGS() > 2;
	TimestampTz until = has_until ? finite_ts(PG_GETARG_TIMESTAMPTZ(2), "until") : 0;
	int64		usec;

	status_set_arg(fcinfo, 1, is_array, v, &set);
	if (!tl_time_in(v, &set, has_until, until, NULL, NULL, &usec))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range"),
				 errdetail("The time in status does not fit in an interval.")));
	PG_RETURN_INTERVAL_P(usec_interval(usec));
}

static Datum
read_first_at(FunctionCallInfo fcinfo, bool is_array)
{
	tl_value   *v = timeline_arg(fcinfo, 0);
	tl_set		set;
	int64		at;

	status_set_arg(fcinfo, 1, is_array, v, &set);
	if (!tl_first_at(v, &set, &at))
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(at);
}

static Datum
read_last_at(FunctionCallInfo fcinfo, bool is_array)
{
	tl_value   *v = timeline_arg(fcinfo, 0);
	tl_set		set;
	int64		at;

	status_set_arg(fcinfo, 1, is_array, v, &set);
	if (!tl_last_at(v, &set, &at))
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(at);
}

static Datum
read_entries(FunctionCallInfo fcinfo, bool is_array)
{
	tl_value   *v = timeline_arg(fcinfo, 0);
	tl_set		set;

	status_set_arg(fcinfo, 1, is_array, v, &set);
	PG_RETURN_INT32((int32) tl_entries(v, &set));
}

/*
 * Business time: kpi_time_in(timeline, status | statuses, until, calendar),
 * until NULL for none (a separate three-argument form would make
 * kpi_time_in(tl, s, '2024-01-02') ambiguous: the literal could be either).
 * Not strict for that; NULL for any other NULL argument.  Each stretch of
 * time in the set is measured by kpi_business_duration
 * (kpi_calendar.c), called through a FmgrInfo kept in this call site's
 * fn_extra, so its per-call-site calendar cache lives as long as ours.
 */
extern Datum kpi_business_duration(PG_FUNCTION_ARGS);

typedef struct business_arg
{
	FmgrInfo   *flinfo;
	Datum		calendar;
} business_arg;

static int64_t
business_duration(void *arg, int64_t from, int64_t to)
{
	business_arg *b = (business_arg *) arg;
	LOCAL_FCINFO(call, 3);
	Datum		result;

	InitFunctionCallInfoData(*call, b->flinfo, 3, InvalidOid, NULL, NULL);
	call->args[0].value = TimestampTzGetDatum(from);
	call->args[0].isnull = false;
	call->args[1].value = TimestampTzGetDatum(to);
	call->args[1].isnull = false;
	call->args[2].value = b->calendar;
	call->args[2].isnull = false;
	result = kpi_business_duration(call);
	if (call->isnull)
		elog(ERROR, "kpi_business_duration returned NULL");
	/* open time as a plain time, as kpi_business_duration gives it */
	return DatumGetIntervalP(result)->time;
}

static Datum
read_business_time_in(FunctionCallInfo fcinfo, bool is_array)
{
	tl_value   *v;
	tl_set		set;
	bool		has_until;
	TimestampTz until;
	business_arg b;
	FmgrInfo	local;
	int64		usec;
	Interval   *result;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	v = timeline_arg(fcinfo, 0);
	has_until = !PG_ARGISNULL(2);
	until = has_until ? finite_ts(PG_GETARG_TIMESTAMPTZ(2), "until") : 0;
	if (fcinfo->flinfo != NULL)
	{
		if (fcinfo->flinfo->fn_extra == NULL)
		{
			FmgrInfo   *f = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(FmgrInfo));

			f->fn_addr = kpi_business_duration;
			f->fn_oid = InvalidOid;
			f->fn_nargs = 3;
			f->fn_strict = true;
			f->fn_mcxt = fcinfo->flinfo->fn_mcxt;
			fcinfo->flinfo->fn_extra = f;
		}
		b.flinfo = (FmgrInfo *) fcinfo->flinfo->fn_extra;
	}
	else
	{
		/* no call site to cache in: the calendar is decoded for this call */
		memset(&local, 0, sizeof(local));
		local.fn_addr = kpi_business_duration;
		local.fn_oid = InvalidOid;
		local.fn_nargs = 3;
		local.fn_strict = true;
		local.fn_mcxt = CurrentMemoryContext;
		b.flinfo = &local;
	}
	b.calendar = PG_GETARG_DATUM(3);
	status_set_arg(fcinfo, 1, is_array, v, &set);
	if (!tl_time_in(v, &set, has_until, until, business_duration, &b, &usec))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range"),
				 errdetail("The business time in status does not fit in an interval.")));
	result = palloc0(sizeof(Interval));
	result->time = usec;
	PG_RETURN_INTERVAL_P(result);
}

PG_FUNCTION_INFO_V1(kpi_timeline_business_time_in);
Datum
kpi_timeline_business_time_in(PG_FUNCTION_ARGS)
{
	return read_business_time_in(fcinfo, false);
}

PG_FUNCTION_INFO_V1(kpi_timeline_business_time_in_set);
Datum
kpi_timeline_business_time_in_set(PG_FUNCTION_ARGS)
{
	return read_business_time_in(fcinfo, true);
}

PG_FUNCTION_INFO_V1(kpi_timeline_time_in);
Datum
kpi_timeline_time_in(PG_FUNCTION_ARGS)
{
	return read_time_in(fcinfo, false);
}

PG_FUNCTION_INFO_V1(kpi_timeline_time_in_set);
Datum
kpi_timeline_time_in_set(PG_FUNCTION_ARGS)
{
	return read_time_in(fcinfo, true);
}

PG_FUNCTION_INFO_V1(kpi_timeline_first_at);
Datum
kpi_timeline_first_at(PG_FUNCTION_ARGS)
{
	return read_first_at(fcinfo, false);
}

PG_FUNCTION_INFO_V1(kpi_timeline_first_at_set);
Datum
kpi_timeline_first_at_set(PG_FUNCTION_ARGS)
{
	return read_first_at(fcinfo, true);
}

PG_FUNCTION_INFO_V1(kpi_timeline_last_at);
Datum
kpi_timeline_last_at(PG_FUNCTION_ARGS)
{
	return read_last_at(fcinfo, false);
}

PG_FUNCTION_INFO_V1(kpi_timeline_last_at_set);
Datum
kpi_timeline_last_at_set(PG_FUNCTION_ARGS)
{
	return read_last_at(fcinfo, true);
}

PG_FUNCTION_INFO_V1(kpi_timeline_entries);
Datum
kpi_timeline_entries(PG_FUNCTION_ARGS)
{
	return read_entries(fcinfo, false);
}

PG_FUNCTION_INFO_V1(kpi_timeline_entries_set);
Datum
kpi_timeline_entries_set(PG_FUNCTION_ARGS)
{
	return read_entries(fcinfo, true);
}

PG_FUNCTION_INFO_V1(kpi_timeline_status_at);
Datum
kpi_timeline_status_at(PG_FUNCTION_ARGS)
{
	tl_value   *v = timeline_arg(fcinfo, 0);
	int			code = tl_status_at(v, PG_GETARG_TIMESTAMPTZ(1));
	size_t		len;
	const char *s;

	if (code < 0)
		PG_RETURN_NULL();
	s = tl_status_text(v, (uint32_t) code, &len);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s, (int) len));
}

/* kpi_intervals(timeline) -> (status, entered, left) */
PG_FUNCTION_INFO_V1(kpi_timeline_intervals);
Datum
kpi_timeline_intervals(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	tl_value   *v = timeline_arg(fcinfo, 0);
	tl_iter		it;
	uint32_t	code;
	int64		entered,
				left;
	bool		has_left;

	InitMaterializedSRF(fcinfo, 0);
	tl_iter_init(&it, v);
	while (tl_iter_next(&it, &code, &entered, &has_left, &left))
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		size_t		len;
		const char *s = tl_status_text(v, code, &len);

		values[0] = PointerGetDatum(cstring_to_text_with_len(s, (int) len));
		values[1] = TimestampTzGetDatum(entered);
		values[2] = TimestampTzGetDatum(left);
		nulls[2] = !has_left;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * ::jsonb: the changes in order, [{"at": "<instant>", "status": "<status>"}],
 * instants as the text form writes them (UTC, readable by timestamptz input),
 * so the result does not depend on the session's TimeZone.
 */
PG_FUNCTION_INFO_V1(kpi_timeline_jsonb);
Datum
kpi_timeline_jsonb(PG_FUNCTION_ARGS)
{
	tl_value   *v = timeline_arg(fcinfo, 0);
	StringInfoData buf;
	const int64_t *at = tl_at(v);
	const uint16_t *code = tl_code(v);

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	for (uint32_t i = 0; i < v->nchanges; i++)
	{
		char		ts[TL_TS_TEXT_MAX];
		size_t		len;
		const char *s = tl_status_text(v, code[i], &len);
		char	   *z = pnstrdup(s, len);

		tl_format_ts(at[i], ts);
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfo(&buf, "{\"at\": \"%s\", \"status\": ", ts);
		escape_json(&buf, z);
		appendStringInfoChar(&buf, '}');
		pfree(z);
	}
	appendStringInfoChar(&buf, ']');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

/* ---------- equality: GROUP BY, DISTINCT, UNION and hash joins ---------- */

/*
 * The stored form is canonical (changes sorted and distinct, dictionary
 * sorted, nothing unused), so equal histories have equal bytes.
 */
static bool
timelines_equal(FunctionCallInfo fcinfo)
{
	tl_value   *a = timeline_arg(fcinfo, 0);
	tl_value   *b = timeline_arg(fcinfo, 1);
	size_t		size = tl_packed_size(a);

	return size == tl_packed_size(b) &&
		memcmp((const char *) a + VARHDRSZ, (const char *) b + VARHDRSZ,
			   size - VARHDRSZ) == 0;
}

PG_FUNCTION_INFO_V1(kpi_timeline_eq);
Datum
kpi_timeline_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(timelines_equal(fcinfo));
}

PG_FUNCTION_INFO_V1(kpi_timeline_ne);
Datum
kpi_timeline_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!timelines_equal(fcinfo));
}

PG_FUNCTION_INFO_V1(kpi_timeline_hash);
Datum
kpi_timeline_hash(PG_FUNCTION_ARGS)
{
	tl_value   *v = timeline_arg(fcinfo, 0);

	return hash_any((const unsigned char *) v + VARHDRSZ,
					(int) (tl_packed_size(v) - VARHDRSZ));
}
