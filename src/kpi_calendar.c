/*
 * kpi_calendar.c — SQL face of business hours: the kpi_calendar type (text
 * and binary I/O, the kpi_calendar(zone, hours, closed) constructor) and
 * kpi_business_duration, kpi_business_add, kpi_is_open, kpi_business_days,
 * kpi_add_business_days.  The arithmetic is the plain-C core in
 * calendar_*.c; this file supplies it PostgreSQL's time-zone code and
 * memory contexts.
 *
 * A stored kpi_calendar is the core's canonical binary form (calendar.h),
 * which is also the send/recv form, with the zone in the spelling
 * pg_tzset gives it, so that equal calendars have equal bytes.
 *
 * Local time to instant is (day + time) AT TIME ZONE zone exactly as
 * PostgreSQL's timestamp_zone computes it for a full zone name
 * (DetermineTimeZoneOffset), so gaps and repeats map as there.
 *
 * Per call site (fn_extra) a few calendars are kept decoded, keyed by their
 * bytes, each with its time zone and its span of open intervals (the core's
 * cal_span), so a row costs a memcmp and two binary searches.
 *
 * Errors: malformed text 22P02 naming the clause; malformed binary 22P03;
 * an unknown zone 22P02 (text) or 22P03 (binary); infinite or out-of-range
 * timestamps, dates and intervals 22008; no open time within 100 years for
 * kpi_business_add and kpi_add_business_days 22023; a NULL closed date
 * 22004.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

#include "calendar.h"
#include "kpi_calendar.h"

/* calendar.h restates PostgreSQL's ranges */
StaticAssertDecl(CAL_DATE_MIN == DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE,
				 "CAL_DATE_MIN disagrees with PostgreSQL");
StaticAssertDecl(CAL_DATE_MAX == DATE_END_JULIAN - 1 - POSTGRES_EPOCH_JDATE,
				 "CAL_DATE_MAX disagrees with PostgreSQL");
StaticAssertDecl(CAL_TS_DAY_END == TIMESTAMP_END_JULIAN - POSTGRES_EPOCH_JDATE,
				 "CAL_TS_DAY_END disagrees with PostgreSQL");
StaticAssertDecl(CAL_TS_MIN == MIN_TIMESTAMP, "CAL_TS_MIN disagrees with PostgreSQL");
StaticAssertDecl(CAL_TS_END == END_TIMESTAMP, "CAL_TS_END disagrees with PostgreSQL");
StaticAssertDecl(CAL_ZONE_MAX == TZ_STRLEN_MAX, "CAL_ZONE_MAX disagrees with PostgreSQL");
StaticAssertDecl(CAL_USECS_PER_DAY == USECS_PER_DAY, "a day is not a day");

PG_FUNCTION_INFO_V1(kpi_calendar_in);
PG_FUNCTION_INFO_V1(kpi_calendar_out);
PG_FUNCTION_INFO_V1(kpi_calendar_recv);
PG_FUNCTION_INFO_V1(kpi_calendar_send);
PG_FUNCTION_INFO_V1(kpi_calendar_eq);
PG_FUNCTION_INFO_V1(kpi_calendar_ne);
PG_FUNCTION_INFO_V1(kpi_calendar_hash);
PG_FUNCTION_INFO_V1(kpi_calendar_make);
PG_FUNCTION_INFO_V1(kpi_business_duration);
PG_FUNCTION_INFO_V1(kpi_business_add);
PG_FUNCTION_INFO_V1(kpi_is_open);
PG_FUNCTION_INFO_V1(kpi_business_days);
PG_FUNCTION_INFO_V1(kpi_add_business_days);

/* ---------- memory and errors ---------- */

static void *
context_alloc(void *arg, size_t size)
{
	return MemoryContextAlloc((MemoryContext) arg, size ? size : 1);
}

static void
context_free(void *arg, void *ptr)
{
	pfree(ptr);
}

static cal_alloc
context_allocator(MemoryContext cxt)
{
	cal_alloc	mem = {context_alloc, context_free, cxt};

	return mem;
}

/* Reports a failed parse, decode or construction. */
static void
report_error(const cal_error *err, const char *input)
{
	switch (err->code)
	{
		case CAL_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type kpi_calendar: \"%s\"",
							input ? input : ""),
					 errdetail("%s", err->message)));
			break;
		case CAL_CORRUPT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary kpi_calendar value"),
					 errdetail("%s", err->message)));
			break;
		case CAL_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("date out of range for kpi_calendar"),
					 errdetail("%s", err->message)));
			break;
		case CAL_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("kpi_calendar is too large"),
					 errdetail("%s", err->message)));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
	}
}

/*
 * Looks the calendar's zone up and writes it in pg_tzset's spelling (the
 * file name's case; a POSIX spec in upper case).  NULL if unknown.
 */
static pg_tz *
canonical_zone(cal_def *def)
{
	pg_tz	   *tz = pg_tzset(def->zone);
	const char *name;
	size_t		len;

	if (tz == NULL)
		return NULL;
	name = pg_get_timezone_name(tz);
	len = strlen(name);
	if (len == 0 || len > CAL_ZONE_MAX || strpbrk(name, "; \t\n\r") != NULL)
		elog(ERROR, "time zone \"%s\" has an unusable canonical name \"%s\"", def->zone, name);
	memcpy(def->zone, name, len + 1);
	def->zone_len = (uint32_t) len;
	return tz;
}

static void
report_unknown_zone(const cal_def *def, const char *input, bool binary)
{
	if (binary)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary kpi_calendar value"),
				 errdetail("time zone \"%s\" not recognized", def->zone)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type kpi_calendar: \"%s\"", input),
			 errdetail("clause 1 \"%s\": time zone not recognized", def->zone),
			 errhint("Use a name from pg_timezone_names.")));
}

/* The stored value: the canonical binary form in a varlena */
static struct varlena *
calendar_value(const cal_def *def)
{
	size_t		n = cal_encoded_size(def);
	struct varlena *v = palloc(VARHDRSZ + n);

	SET_VARSIZE(v, VARHDRSZ + n);
	cal_encode(def, (uint8_t *) VARDATA(v));
	return v;
}

/* ---------- the local-time conversion ---------- */

/*
 * (day + usec) AT TIME ZONE tz, as timestamp_zone does it.  Called once or
 * twice per opening range of every day a span builds, so a long search can
 * be cancelled here.
 */
static int64_t
local_to_instant(void *arg, int32_t day, int64_t usec)
{
	pg_tz	   *tz = (pg_tz *) arg;
	Timestamp	local = (Timestamp) day * USECS_PER_DAY + usec;
	struct pg_tm tm;
	fsec_t		fsec;

	CHECK_FOR_INTERRUPTS();
	if (timestamp2tm(local, NULL, &tm, &fsec, NULL, NULL) != 0)
		return local;			/* can't happen for the core's days */
	return local + (int64) DetermineTimeZoneOffset(&tm, tz) * USECS_PER_SEC;
}

/* ---------- the per-call-site cache ---------- */

#define CALENDAR_CACHE_SIZE 8

typedef struct CalendarEntry
{
	char	   *key;			/* the stored bytes; NULL: slot unused */
	Size		keylen;
	cal_def    *def;
	pg_tz	   *tz;
	cal_span	span;
} CalendarEntry;

typedef struct CalendarCache
{
	MemoryContext cxt;
	int			n;
	int			last;			/* most recently used */
	int			next;			/* next to evict once full */
	CalendarEntry entries[CALENDAR_CACHE_SIZE];
} CalendarCache;

/* Decodes a stored calendar into e (whose old contents are gone). */
static void
fill_entry(CalendarEntry *e, MemoryContext cxt, const char *data, Size len)
{
	cal_alloc	mem = context_allocator(cxt);
	cal_error	err;
	cal_def    *def = cal_decode((const uint8_t *) data, len, &mem, &err);

	if (def == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid kpi_calendar value"),
				 errdetail("%s", err.message)));
	e->tz = pg_tzset(def->zone);
	if (e->tz == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" of a kpi_calendar is not recognized", def->zone)));
	e->def = def;
	cal_span_init(&e->span, def, local_to_instant, e->tz, &mem);
	e->key = MemoryContextAlloc(cxt, len ? len : 1);
	memcpy(e->key, data, len);
	e->keylen = len;
}

/* The calendar argument argno, decoded (cached per call site). */
static CalendarEntry *
calendar_arg(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *raw = PG_GETARG_VARLENA_PP(argno);
	const char *data = VARDATA_ANY(raw);
	Size		len = VARSIZE_ANY_EXHDR(raw);
	CalendarCache *cache;
	CalendarEntry *e;

	if (fcinfo->flinfo == NULL)
	{
		/* no call site to cache in: decode for this call */
		e = palloc0(sizeof(CalendarEntry));
		fill_entry(e, CurrentMemoryContext, data, len);
		return e;
	}
	cache = (CalendarCache *) fcinfo->flinfo->fn_extra;
	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CalendarCache));
		cache->cxt = fcinfo->flinfo->fn_mcxt;
		fcinfo->flinfo->fn_extra = cache;
	}
	e = &cache->entries[cache->last];
	if (e->key && e->keylen == len && memcmp(e->key, data, len) == 0)
		return e;
	for (int i = 0; i < cache->n; i++)
	{
		e = &cache->entries[i];
		if (e->key && e->keylen == len && memcmp(e->key, data, len) == 0)
		{
			cache->last = i;
			return e;
		}
	}
	/* a new one: a free slot, or the next in turn */
	if (cache->n < CALENDAR_CACHE_SIZE)
		cache->last = cache->n++;
	else
	{
		cache->last = cache->next;
		cache->next = (cache->next + 1) % CALENDAR_CACHE_SIZE;
	}
	e = &cache->entries[cache->last];
	if (e->key)
	{
		cal_span_free(&e->span);
		pfree(e->def);
		pfree(e->key);
		e->key = NULL;
	}
	fill_entry(e, cache->cxt, data, len);
	return e;
}

cal_span *
kpi_calendar_span(FunctionCallInfo fcinfo, int argno)
{
	return &calendar_arg(fcinfo, argno)->span;
}

/* ---------- argument checks and results ---------- */

static void
check_timestamp(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range"),
				 errdetail("Business time is defined for finite timestamps only.")));
}

static void
check_date(DateADT d)
{
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range"),
				 errdetail("Business days are defined for finite dates only.")));
}

void
kpi_calendar_report(cal_status st, const char *what)
{
	switch (st)
	{
		case CAL_OK:
			return;
		case CAL_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("%s out of range", what)));
			break;
		case CAL_NO_OPEN_TIME:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("kpi_calendar has no open time to reach"),
					 errdetail("It has no open time at all, none within 100 years of the search, or not enough before the end of the date range."),
					 errhint("Check the calendar's hours and closed dates.")));
			break;
		case CAL_NO_MEMORY:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
			break;
		default:
			elog(ERROR, "unexpected kpi_calendar status %d", (int) st);
	}
}

/* ---------- type I/O ---------- */

Datum
kpi_calendar_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	cal_alloc	mem = context_allocator(CurrentMemoryContext);
	cal_error	err;
	cal_def    *def = cal_parse(text, strlen(text), &mem, &err);

	if (def == NULL)
		report_error(&err, text);
	if (canonical_zone(def) == NULL)
		report_unknown_zone(def, text, false);
	PG_RETURN_POINTER(calendar_value(def));
}

Datum
kpi_calendar_out(PG_FUNCTION_ARGS)
{
	struct varlena *raw = PG_GETARG_VARLENA_PP(0);
	cal_alloc	mem = context_allocator(CurrentMemoryContext);
	cal_error	err;
	cal_def    *def = cal_decode((const uint8_t *) VARDATA_ANY(raw),
								 VARSIZE_ANY_EXHDR(raw), &mem, &err);
	size_t		len;
	char	   *out;

	if (def == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid kpi_calendar value"),
				 errdetail("%s", err.message)));
	len = cal_format(def, NULL, 0);
	out = palloc(len + 1);
	cal_format(def, out, len + 1);
	PG_RETURN_CSTRING(out);
}

Datum
kpi_calendar_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	cal_alloc	mem = context_allocator(CurrentMemoryContext);
	cal_error	err;
	cal_def    *def = cal_decode((const uint8_t *) buf->data + buf->cursor,
								 buf->len - buf->cursor, &mem, &err);

	if (def == NULL)
		report_error(&err, NULL);
	if (canonical_zone(def) == NULL)
		report_unknown_zone(def, NULL, true);
	buf->cursor = buf->len;
	PG_RETURN_POINTER(calendar_value(def));
}

Datum
kpi_calendar_send(PG_FUNCTION_ARGS)
{
	struct varlena *raw = PG_GETARG_VARLENA_PP(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA_ANY(raw), VARSIZE_ANY_EXHDR(raw));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Equality and hash: the stored form is canonical (input normalises), so
 * equal calendars have equal bytes and GROUP BY calendar, DISTINCT and
 * joins on it compare bytes.
 */
static bool
calendars_equal(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_VARLENA_PP(0);
	struct varlena *b = PG_GETARG_VARLENA_PP(1);

	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

Datum
kpi_calendar_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(calendars_equal(fcinfo));
}

Datum
kpi_calendar_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!calendars_equal(fcinfo));
}

Datum
kpi_calendar_hash(PG_FUNCTION_ARGS)
{
	struct varlena *raw = PG_GETARG_VARLENA_PP(0);

	return hash_any((const unsigned char *) VARDATA_ANY(raw), (int) VARSIZE_ANY_EXHDR(raw));
}

/* kpi_calendar(zone text, hours text, closed date[]) */
Datum
kpi_calendar_make(PG_FUNCTION_ARGS)
{
	text	   *zone = PG_GETARG_TEXT_PP(0);
	text	   *hours = PG_GETARG_TEXT_PP(1);
	ArrayType  *closed = PG_GETARG_ARRAYTYPE_P(2);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int32	   *days;
	cal_alloc	mem = context_allocator(CurrentMemoryContext);
	cal_error	err;
	cal_def    *def;

	deconstruct_array(closed, DATEOID, sizeof(DateADT), true, TYPALIGN_INT,
					  &elems, &nulls, &n);
	days = palloc(sizeof(int32) * (n ? n : 1));
	for (int i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("closed dates of a kpi_calendar must not be NULL")));
		if (DATE_NOT_FINITE(DatumGetDateADT(elems[i])))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("date out of range for kpi_calendar"),
					 errdetail("Closed dates must be finite.")));
		days[i] = DatumGetDateADT(elems[i]);
	}
	def = cal_construct(VARDATA_ANY(zone), VARSIZE_ANY_EXHDR(zone),
						VARDATA_ANY(hours), VARSIZE_ANY_EXHDR(hours),
						days, n, &mem, &err);
	if (def == NULL)
	{
		if (err.code == CAL_SYNTAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid kpi_calendar hours or zone"),
					 errdetail("%s", err.message)));
		report_error(&err, NULL);
	}
	if (canonical_zone(def) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid kpi_calendar hours or zone"),
				 errdetail("zone: time zone \"%s\" not recognized", def->zone),
				 errhint("Use a name from pg_timezone_names.")));
	PG_RETURN_POINTER(calendar_value(def));
}

/* ---------- business time ---------- */

Datum
kpi_business_duration(PG_FUNCTION_ARGS)
{
	TimestampTz a = PG_GETARG_TIMESTAMPTZ(0);
	TimestampTz b = PG_GETARG_TIMESTAMPTZ(1);
	CalendarEntry *e;
	int64_t		d;
	Interval   *result;

	check_timestamp(a);
	check_timestamp(b);
	e = calendar_arg(fcinfo, 2);
	kpi_calendar_report(cal_business_duration(&e->span, a, b, &d), "interval");
	result = palloc0(sizeof(Interval));
	result->time = d;
	PG_RETURN_INTERVAL_P(result);
}

Datum
kpi_business_add(PG_FUNCTION_ARGS)
{
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(0);
	Interval   *amount = PG_GETARG_INTERVAL_P(1);
	CalendarEntry *e;
	int128		d;
	int64_t		u;

	check_timestamp(t);
#ifdef INTERVAL_NOT_FINITE
	if (INTERVAL_NOT_FINITE(amount))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range"),
				 errdetail("Business time is added in finite amounts only.")));
#endif
	/* as interval comparison counts it: a month is 30 days, a day 24 hours */
	d = (int128) amount->time +
		((int128) amount->month * DAYS_PER_MONTH + amount->day) * USECS_PER_DAY;
	if (d > PG_INT64_MAX || d < PG_INT64_MIN)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range")));
	e = calendar_arg(fcinfo, 2);
	kpi_calendar_report(cal_business_add(&e->span, t, (int64_t) d, &u), "timestamp");
	PG_RETURN_TIMESTAMPTZ(u);
}

Datum
kpi_is_open(PG_FUNCTION_ARGS)
{
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(0);
	CalendarEntry *e;
	bool		open;

	check_timestamp(t);
	e = calendar_arg(fcinfo, 1);
	kpi_calendar_report(cal_is_open(&e->span, t, &open), "timestamp");
	PG_RETURN_BOOL(open);
}

Datum
kpi_business_days(PG_FUNCTION_ARGS)
{
	DateADT		from = PG_GETARG_DATEADT(0);
	DateADT		to = PG_GETARG_DATEADT(1);
	CalendarEntry *e;
	int32_t		n;

	check_date(from);
	check_date(to);
	e = calendar_arg(fcinfo, 2);
	kpi_calendar_report(cal_business_days(e->def, from, to, &n), "integer");
	PG_RETURN_INT32(n);
}

Datum
kpi_add_business_days(PG_FUNCTION_ARGS)
{
	DateADT		d = PG_GETARG_DATEADT(0);
	int32		n = PG_GETARG_INT32(1);
	CalendarEntry *e;
	int32_t		r;

	check_date(d);
	e = calendar_arg(fcinfo, 2);
	kpi_calendar_report(cal_add_business_days(e->def, d, n, &r), "date");
	PG_RETURN_DATEADT(r);
}
