/*
 * kpi_hist.c
 *		SQL face of the kpi_hist type: text and binary I/O, the kpi_hist and
 *		kpi_merge aggregates (plain, parallel and moving-window), the +
 *		operator and the one-step kpi_avg_wait / kpi_avg_resolution, each
 *		two-timestamp aggregate also in business time (a kpi_calendar).
 *		Accessors are in kpi_hist_read.c; the algorithms in histogram.c.
 *
 * The transition state is kpi_hist itself, not internal, so Citus can push
 * partial aggregation down to shards.  It is not an expanded object either:
 * each of those needs its own memory context (a kilobyte or more), too much
 * for 100k small groups.  Instead the state is a working layout (SPARSE or
 * DENSE, see histogram.h) that the transition function updates in place when
 * AggCheckCallContext says the aggregate owns it; nodeAgg sees the same
 * pointer come back and copies nothing.  When the state must grow, the
 * larger copy is made in the current (per-tuple) context and returned;
 * nodeAgg copies it into the aggregate context and frees the old one.  The
 * final function packs the state into the stored form, leaving it intact
 * (window aggregates call it again and again).
 */
#include "postgres.h"

#include "common/int.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/timestamp.h"

#include "kpi_aggregate.h"
#include "kpi_calendar.h"
#include "kpi_hist.h"

/* The plain-C core allocates through these. */
void *
hist_alloc0(size_t size)
{
	return palloc0(size);
}

void
hist_free(void *ptr)
{
	if (ptr != NULL)
		pfree(ptr);
}

void
kpi_hist_report(hist_status status)
{
	if (status == HIST_COUNT_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("kpi_hist count out of range"),
				 errdetail("The durations or pending rows add up to more than bigint can hold.")));
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("kpi_hist value is corrupted")));
}

hist *
kpi_hist_arg(FunctionCallInfo fcinfo, int n, size_t *size)
{
	hist	   *h = kpi_hist_window_hist(PG_GETARG_DATUM(n));
	size_t		len;

	if (h != NULL)
	{
		/* a moving window's state, read in place by its final function */
		*size = hist_working_size(h);
		return h;
	}
	h = (hist *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n));
	len = VARSIZE(h);

	if (len < HIST_HEADER_SIZE)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("kpi_hist value is corrupted"),
				 errdetail("It is %zu bytes long, shorter than its header.", len)));
	if (h->version != HIST_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("kpi_hist value has unsupported format version %d",
						(int) h->version),
				 errdetail("This version of kpi reads format version %d.",
						   HIST_VERSION),
				 errhint("The value was written by a newer version of the kpi extension; update it.")));
	if (!((h->layout == HIST_PACKED && h->aux == 0) ||
		  ((h->layout == HIST_SPARSE || h->layout == HIST_DENSE) &&
		   len >= HIST_DENSE_OFFSET && hist_working_size(h) == len)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("kpi_hist value is corrupted"),
				 errdetail("Unknown layout %d or wrong length %zu.",
						   (int) h->layout, len)));
	*size = len;
	return h;
}

hist *
kpi_hist_packed_arg(FunctionCallInfo fcinfo, int n, size_t *size)
{
	hist	   *h = kpi_hist_arg(fcinfo, n, size);
	hist	   *p;

	if (h->layout == HIST_PACKED)
		return h;
	p = hist_pack(h, *size, size);
	if (p == NULL)
		kpi_hist_report(HIST_CORRUPT);
	SET_VARSIZE(p, *size);
	return p;
}

int64
kpi_interval_usec(const Interval *iv)
{
	hist_i128	span;

#if PG_VERSION_NUM >= 170000
	if (INTERVAL_NOT_FINITE(iv))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range"),
				 errdetail("kpi_hist counts finite durations only.")));
#endif

	/* as interval_cmp_value() orders intervals: 30-day months, 24-hour days */
	span = (hist_i128) iv->month * DAYS_PER_MONTH * USECS_PER_DAY +
		(hist_i128) iv->day * USECS_PER_DAY + iv->time;
	if (span < PG_INT64_MIN || span > PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range"),
				 errdetail("kpi_hist counts durations up to about 292,000 years.")));
	return (int64) span;
}

Interval *
kpi_usec_interval(int64 usec)
{
	Interval   *iv = palloc(sizeof(Interval));

	/* days and time of one sign, as justify_hours() gives */
	iv->month = 0;
	iv->day = (int32) (usec / USECS_PER_DAY);
	iv->time = usec % USECS_PER_DAY;
	return iv;
}

/* ---------- type I/O ---------- */

PG_FUNCTION_INFO_V1(kpi_hist_in);
Datum
kpi_hist_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	char		err[256];
	size_t		size;
	hist	   *h = hist_from_text(text, strlen(text), &size, err, sizeof(err));

	if (h == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type kpi_hist: \"%s\"", text),
				 errdetail("%s.", err),
				 errhint("The form is \"kpi_hist v1 count=N pending=N sum_us=N min_us=N max_us=N buckets=key:count,...\", as kpi_hist output writes it.")));
	SET_VARSIZE(h, size);
	PG_RETURN_POINTER(h);
}

PG_FUNCTION_INFO_V1(kpi_hist_out);
Datum
kpi_hist_out(PG_FUNCTION_ARGS)
{
	size_t		size;
	hist	   *h = kpi_hist_packed_arg(fcinfo, 0, &size);

	PG_RETURN_CSTRING(hist_to_text(h, size));
}

PG_FUNCTION_INFO_V1(kpi_hist_recv);
Datum
kpi_hist_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	char		err[256];
	size_t		size;
	bool		bad_version;
	hist	   *h;

	h = hist_from_wire((const uint8_t *) buf->data + buf->cursor,
					   (size_t) (buf->len - buf->cursor), &size,
					   &bad_version, err, sizeof(err));
	if (h == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 bad_version ?
				 errmsg("unsupported binary format version %d for type kpi_hist",
						(int) (unsigned char) buf->data[buf->cursor]) :
				 errmsg("invalid binary value for type kpi_hist"),
				 errdetail("%s.", err)));
	buf->cursor = buf->len;
	SET_VARSIZE(h, size);
	PG_RETURN_POINTER(h);
}

PG_FUNCTION_INFO_V1(kpi_hist_send);
Datum
kpi_hist_send(PG_FUNCTION_ARGS)
{
	size_t		size,
				len;
	hist	   *h = kpi_hist_packed_arg(fcinfo, 0, &size);
	uint8_t    *wire = hist_to_wire(h, size, &len);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (char *) wire, (int) len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------- aggregation ---------- */

static inline Datum
working_datum(hist *h)
{
	SET_VARSIZE(h, hist_working_size(h));
	return PointerGetDatum(h);
}

/*
 * The state to update in place: the aggregate's own working value, a new
 * one for the first row, or a working copy of anything else a user-defined
 * aggregate may pass (an INITCOND, a stored or short-headed value): it is
 * about to be written to, so only a value these functions made is trusted.
 */
static hist *
state_for_update(FunctionCallInfo fcinfo)
{
	hist	   *h;
	size_t		size;

	if (PG_ARGISNULL(0))
		return hist_new();
	h = (hist *) DatumGetPointer(PG_GETARG_DATUM(0));
	if (VARATT_IS_4B_U(h) && VARSIZE(h) >= HIST_DENSE_OFFSET &&
		h->version == HIST_VERSION &&
		(h->layout == HIST_SPARSE || h->layout == HIST_DENSE) &&
		hist_working_size(h) == VARSIZE(h))
		return h;
	h = kpi_hist_arg(fcinfo, 0, &size);
	h = hist_working_copy(h, size);
	if (h == NULL)
		kpi_hist_report(HIST_CORRUPT);
	return h;
}

/*
 * A row that adds nothing.  A plain aggregate keeps a NULL state (so that
 * it returns NULL over no input, and never hands an empty value to Citus);
 * a window aggregate gets an empty state, since a moving-aggregate
 * transition function must not return NULL.
 */
static Datum
skip_row(FunctionCallInfo fcinfo)
{
	HistWindowObject *window;

	if (!PG_ARGISNULL(0))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	if (AggCheckCallContext(fcinfo, NULL) != AGG_CONTEXT_WINDOW)
		PG_RETURN_NULL();
	window = kpi_hist_window_for_update(fcinfo);
	if (window != NULL)
		return kpi_hist_window_datum(window);
	return working_datum(hist_new());
}

static Datum
add_duration(FunctionCallInfo fcinfo, int64 usec)
{
	HistWindowObject *window = kpi_hist_window_for_update(fcinfo);
	hist	   *h;
	hist_status status;

	if (window != NULL)
		return kpi_hist_window_add(window, usec);
	h = hist_add(state_for_update(fcinfo), usec, &status);
	if (h == NULL)
		kpi_hist_report(status);
	return working_datum(h);
}

/* finished - started in microseconds, for finite timestamps */
static int64
duration_usec(TimestampTz started, TimestampTz finished)
{
	int64		usec;

	if (TIMESTAMP_NOT_FINITE(started) || TIMESTAMP_NOT_FINITE(finished))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cannot compute a duration from an infinite timestamp"),
				 errdetail("started is %s, finished is %s.",
						   TIMESTAMP_NOT_FINITE(started) ? (TIMESTAMP_IS_NOBEGIN(started) ? "-infinity" : "infinity") : "finite",
						   TIMESTAMP_NOT_FINITE(finished) ? (TIMESTAMP_IS_NOBEGIN(finished) ? "-infinity" : "infinity") : "finite"),
				 errhint("Use NULL for a row that has not finished yet.")));
	if (pg_sub_s64_overflow(finished, started, &usec))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range")));
	return usec;
}

/* kpi_hist(interval) transition */
PG_FUNCTION_INFO_V1(kpi_hist_accum);
Datum
kpi_hist_accum(PG_FUNCTION_ARGS)
{
	kpi_aggregate_context(fcinfo, NULL);
	if (PG_ARGISNULL(1))
		return skip_row(fcinfo);
	return add_duration(fcinfo, kpi_interval_usec(PG_GETARG_INTERVAL_P(1)));
}

/* started of a row still open: it must be finite all the same */
static void
check_open_row(TimestampTz started)
{
	if (TIMESTAMP_NOT_FINITE(started))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cannot count an open row that started at %s",
						TIMESTAMP_IS_NOBEGIN(started) ? "-infinity" : "infinity"),
				 errdetail("A row still open (finished is NULL) needs a finite started.")));
}

/* kpi_hist(started, finished) transition: finished NULL = still open */
PG_FUNCTION_INFO_V1(kpi_hist_accum2);
Datum
kpi_hist_accum2(PG_FUNCTION_ARGS)
{
	HistWindowObject *window;
	hist	   *h;
	hist_status status;

	kpi_aggregate_context(fcinfo, NULL);
	if (PG_ARGISNULL(1))
		return skip_row(fcinfo);
	if (!PG_ARGISNULL(2))
		return add_duration(fcinfo,
							duration_usec(PG_GETARG_TIMESTAMPTZ(1),
										  PG_GETARG_TIMESTAMPTZ(2)));
	check_open_row(PG_GETARG_TIMESTAMPTZ(1));
	window = kpi_hist_window_for_update(fcinfo);
	if (window != NULL)
		return kpi_hist_window_add_pending(window);
	h = state_for_update(fcinfo);
	status = hist_add_pending(h);
	if (status != HIST_OK)
		kpi_hist_report(status);
	return working_datum(h);
}

/*
 * The open time of the calendar (argument 3) in [started, finished): the
 * duration of the calendar forms.  Infinite timestamps are refused by
 * duration_usec's check first, with its message.
 */
static int64
business_usec(FunctionCallInfo fcinfo, TimestampTz started, TimestampTz finished)
{
	int64_t		usec;

	(void) duration_usec(started, finished);
	kpi_calendar_report(cal_business_duration(kpi_calendar_span(fcinfo, 3),
											  started, finished, &usec),
						"interval");
	return usec;
}

/*
 * kpi_hist(started, finished, kpi_calendar) transition, also of the
 * calendar forms of kpi_avg_wait and kpi_avg_resolution: the business time
 * of each row.  A row without a calendar adds nothing, like one without
 * started; finished NULL is pending, as in the plain form.
 */
PG_FUNCTION_INFO_V1(kpi_hist_accum_business);
Datum
kpi_hist_accum_business(PG_FUNCTION_ARGS)
{
	kpi_aggregate_context(fcinfo, NULL);
	if (PG_ARGISNULL(3))
		return skip_row(fcinfo);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return kpi_hist_accum2(fcinfo);
	return add_duration(fcinfo,
						business_usec(fcinfo, PG_GETARG_TIMESTAMPTZ(1),
									  PG_GETARG_TIMESTAMPTZ(2)));
}

/*
 * Inverse transitions for moving window frames (kpi_hist_window.c).  NULL
 * tells the window aggregate to recount the frame.
 */
PG_FUNCTION_INFO_V1(kpi_hist_retract);
Datum
kpi_hist_retract(PG_FUNCTION_ARGS)
{
	kpi_window_context(fcinfo);
	KPI_SKIP_IF_NULL(1);
	return kpi_hist_window_remove(fcinfo, false,
								  kpi_interval_usec(PG_GETARG_INTERVAL_P(1)));
}

PG_FUNCTION_INFO_V1(kpi_hist_retract2);
Datum
kpi_hist_retract2(PG_FUNCTION_ARGS)
{
	kpi_window_context(fcinfo);
	KPI_SKIP_IF_NULL(1);
	if (PG_ARGISNULL(2))
	{
		check_open_row(PG_GETARG_TIMESTAMPTZ(1));
		return kpi_hist_window_remove(fcinfo, true, 0);
	}
	return kpi_hist_window_remove(fcinfo, false,
								  duration_usec(PG_GETARG_TIMESTAMPTZ(1),
												PG_GETARG_TIMESTAMPTZ(2)));
}

PG_FUNCTION_INFO_V1(kpi_hist_retract_business);
Datum
kpi_hist_retract_business(PG_FUNCTION_ARGS)
{
	kpi_window_context(fcinfo);
	KPI_SKIP_IF_NULL(3);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		return kpi_hist_retract2(fcinfo);
	return kpi_hist_window_remove(fcinfo, false,
								  business_usec(fcinfo, PG_GETARG_TIMESTAMPTZ(1),
												PG_GETARG_TIMESTAMPTZ(2)));
}

/*
 * kpi_merge transition and the combine function of every kpi_hist
 * aggregate: adds the second value into the first.  Not strict.
 */
PG_FUNCTION_INFO_V1(kpi_hist_combine);
Datum
kpi_hist_combine(PG_FUNCTION_ARGS)
{
	hist	   *h,
			   *src;
	size_t		size;
	hist_status status = HIST_CORRUPT;

	kpi_aggregate_context(fcinfo, NULL);
	KPI_SKIP_IF_NULL(1);
	src = kpi_hist_arg(fcinfo, 1, &size);
	if (PG_ARGISNULL(0))
		h = hist_working_copy(src, size);
	else
		h = hist_merge(state_for_update(fcinfo), src, size, &status);
	if (h == NULL)
		kpi_hist_report(status);
	return working_datum(h);
}

/* The stored form of a state; NULL over no input. */
PG_FUNCTION_INFO_V1(kpi_hist_final);
Datum
kpi_hist_final(PG_FUNCTION_ARGS)
{
	size_t		size;
	hist	   *h;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	h = kpi_hist_arg(fcinfo, 0, &size);
	if (h->count == 0 && h->pending == 0)
		PG_RETURN_NULL();		/* a window frame of NULL rows */
	h = hist_pack(h, size, &size);
	if (h == NULL)
		kpi_hist_report(HIST_CORRUPT);
	SET_VARSIZE(h, size);
	PG_RETURN_POINTER(h);
}

/* kpi_avg_wait / kpi_avg_resolution: the exact mean; NULL if nothing ended */
PG_FUNCTION_INFO_V1(kpi_hist_mean_final);
Datum
kpi_hist_mean_final(PG_FUNCTION_ARGS)
{
	size_t		size;
	hist	   *h;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	h = kpi_hist_arg(fcinfo, 0, &size);
	if (h->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(kpi_usec_interval(hist_mean(h)));
}

/* kpi_hist + kpi_hist */
PG_FUNCTION_INFO_V1(kpi_hist_add);
Datum
kpi_hist_add(PG_FUNCTION_ARGS)
{
	size_t		asize,
				bsize,
				size;
	hist	   *a = kpi_hist_arg(fcinfo, 0, &asize);
	hist	   *b = kpi_hist_arg(fcinfo, 1, &bsize);
	hist_status status;
	hist	   *h = hist_working_copy(a, asize);

	if (h == NULL)
		kpi_hist_report(HIST_CORRUPT);
	h = hist_merge(h, b, bsize, &status);
	if (h == NULL)
		kpi_hist_report(status);
	h = hist_pack(h, hist_working_size(h), &size);
	SET_VARSIZE(h, size);
	PG_RETURN_POINTER(h);
}
