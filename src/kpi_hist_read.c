/*
 * kpi_hist_read.c
 *		Reading a kpi_hist: count, pending, mean, min, max, percentiles,
 *		share within a target, the bucket table, jsonb and a sparkline.
 *
 * A histogram with no finished duration (count = 0, only pending rows) has
 * no mean, min, max, percentile or share: those return NULL, as avg() and
 * percentile_disc() do over no rows.
 */
#include "postgres.h"

#include <math.h>

#include "access/hash.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

#include "kpi_hist.h"

/* The percentile_disc check, with its SQLSTATE. */
static void
check_fraction(double p)
{
	if (isnan(p) || p < 0 || p > 1)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("percentile value %g is not between 0 and 1", p),
				 errhint("Use a fraction, as for percentile_disc: 0.9 for the 90th percentile.")));
}

static int64
percentile(const hist *h, size_t size, double p)
{
	int64		result;

	if (!hist_percentile(h, size, p, &result))
		kpi_hist_report(HIST_CORRUPT);
	return result;
}

PG_FUNCTION_INFO_V1(kpi_hist_count);
Datum
kpi_hist_count(PG_FUNCTION_ARGS)
{
	size_t		size;

	PG_RETURN_INT64(kpi_hist_arg(fcinfo, 0, &size)->count);
}

PG_FUNCTION_INFO_V1(kpi_hist_pending);
Datum
kpi_hist_pending(PG_FUNCTION_ARGS)
{
	size_t		size;

	PG_RETURN_INT64(kpi_hist_arg(fcinfo, 0, &size)->pending);
}

PG_FUNCTION_INFO_V1(kpi_hist_mean);
Datum
kpi_hist_mean(PG_FUNCTION_ARGS)
{
	size_t		size;
	hist	   *h = kpi_hist_arg(fcinfo, 0, &size);

	if (h->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(kpi_usec_interval(hist_mean(h)));
}

PG_FUNCTION_INFO_V1(kpi_hist_min);
Datum
kpi_hist_min(PG_FUNCTION_ARGS)
{
	size_t		size;
	hist	   *h = kpi_hist_arg(fcinfo, 0, &size);

	if (h->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(kpi_usec_interval(h->min));
}

PG_FUNCTION_INFO_V1(kpi_hist_max);
Datum
kpi_hist_max(PG_FUNCTION_ARGS)
{
	size_t		size;
	hist	   *h = kpi_hist_arg(fcinfo, 0, &size);

	if (h->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(kpi_usec_interval(h->max));
}

PG_FUNCTION_INFO_V1(kpi_hist_percentile);
Datum
kpi_hist_percentile(PG_FUNCTION_ARGS)
{
	double		p = PG_GETARG_FLOAT8(1);
	size_t		size;
	hist	   *h;

	check_fraction(p);
	h = kpi_hist_packed_arg(fcinfo, 0, &size);
	if (h->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(kpi_usec_interval(percentile(h, size, p)));
}

PG_FUNCTION_INFO_V1(kpi_hist_median);
Datum
kpi_hist_median(PG_FUNCTION_ARGS)
{
	size_t		size;
	hist	   *h = kpi_hist_packed_arg(fcinfo, 0, &size);

	if (h->count == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(kpi_usec_interval(percentile(h, size, 0.5)));
}

/*
 * kpi_percentile(h, float8[]): one interval per fraction, in an array of the
 * same shape.  A NULL fraction gives a NULL element, as percentile_disc's
 * array form does.
 */
PG_FUNCTION_INFO_V1(kpi_hist_percentiles);
Datum
kpi_hist_percentiles(PG_FUNCTION_ARGS)
{
	ArrayType  *fractions = PG_GETARG_ARRAYTYPE_P(1);
	int			ndims = ARR_NDIM(fractions);
	int		   *dims = ARR_DIMS(fractions);
	int		   *lbs = ARR_LBOUND(fractions);
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	size_t		size;
	hist	   *h;

	deconstruct_array(fractions, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
					  TYPALIGN_DOUBLE, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
		if (!nulls[i])
			check_fraction(DatumGetFloat8(elems[i]));
	h = kpi_hist_packed_arg(fcinfo, 0, &size);
	if (h->count == 0)
		PG_RETURN_NULL();
	if (n == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INTERVALOID));
	for (i = 0; i < n; i++)
		if (!nulls[i])
			elems[i] = IntervalPGetDatum(kpi_usec_interval(
				percentile(h, size, DatumGetFloat8(elems[i]))));
	PG_RETURN_ARRAYTYPE_P(construct_md_array(elems, nulls, ndims, dims, lbs,
											 INTERVALOID, sizeof(Interval),
											 false, TYPALIGN_DOUBLE));
}

PG_FUNCTION_INFO_V1(kpi_hist_share_within);
Datum
kpi_hist_share_within(PG_FUNCTION_ARGS)
{
	int64		target = kpi_interval_usec(PG_GETARG_INTERVAL_P(1));
	size_t		size;
	hist	   *h = kpi_hist_packed_arg(fcinfo, 0, &size);
	double		share;

	if (h->count == 0)
		PG_RETURN_NULL();
	if (!hist_share_within(h, size, target, &share))
		kpi_hist_report(HIST_CORRUPT);
	PG_RETURN_FLOAT8(share);
}

/*
 * [lower, upper) of a bucket.  The very last bucket ends at the largest
 * duration there is, so it has no upper bound (false): every counted
 * duration, max included, lies in its bucket's range.
 */
static bool
bucket_bounds(int key, int64 *lower, int64 *upper)
{
	int64		hi;

	hist_key_range(key, lower, &hi);
	*upper = hi + (hi < PG_INT64_MAX);
	return hi < PG_INT64_MAX;
}

/* kpi_buckets(h): lower (inclusive), upper (exclusive), count */
PG_FUNCTION_INFO_V1(kpi_hist_buckets);
Datum
kpi_hist_buckets(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	hist_iter  *it;
	int			key,
				r;
	int64		count;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	tupdesc;
		size_t		size;
		hist	   *h;

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "kpi_buckets must return a row type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		h = kpi_hist_packed_arg(fcinfo, 0, &size);
		if (h == (hist *) DatumGetPointer(PG_GETARG_DATUM(0)))
		{
			/* keep our own copy for the calls to come */
			hist	   *copy = palloc(size);

			memcpy(copy, h, size);
			h = copy;
		}
		it = palloc(sizeof(hist_iter));
		hist_iter_init(it, h, size);
		funcctx->user_fctx = it;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	it = (hist_iter *) funcctx->user_fctx;
	r = hist_iter_next(it, &key, &count);
	if (r < 0)
		kpi_hist_report(HIST_CORRUPT);
	if (r > 0)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		int64		lower,
					upper;

		nulls[1] = !bucket_bounds(key, &lower, &upper);
		values[0] = IntervalPGetDatum(kpi_usec_interval(lower));
		values[1] = IntervalPGetDatum(kpi_usec_interval(upper));
		values[2] = Int64GetDatum(count);
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(
			heap_form_tuple(funcctx->tuple_desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/* Exact seconds, as a JSON number: -12.000345 */
static void
append_seconds(StringInfo buf, int64 usec)
{
	uint64		mag = usec < 0 ? 0 - (uint64) usec : (uint64) usec;

	appendStringInfo(buf, "%s" UINT64_FORMAT ".%06d", usec < 0 ? "-" : "",
					 mag / 1000000, (int) (mag % 1000000));
}

/*
 * kpi_hist::jsonb, for BI tools: count, pending, then mean, min, max, p50,
 * p90, p99 in seconds (null when count is 0), and the buckets.
 */
PG_FUNCTION_INFO_V1(kpi_hist_jsonb);
Datum
kpi_hist_jsonb(PG_FUNCTION_ARGS)
{
	size_t		size;
	hist	   *h = kpi_hist_packed_arg(fcinfo, 0, &size);
	StringInfoData buf;
	hist_iter	it;
	int			key,
				r,
				n = 0;
	int64		count;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"count\": " INT64_FORMAT ", \"pending\": " INT64_FORMAT,
					 h->count, h->pending);
	if (h->count > 0)
	{
		appendStringInfoString(&buf, ", \"mean\": ");
		append_seconds(&buf, hist_mean(h));
		appendStringInfoString(&buf, ", \"min\": ");
		append_seconds(&buf, h->min);
		appendStringInfoString(&buf, ", \"max\": ");
		append_seconds(&buf, h->max);
		appendStringInfoString(&buf, ", \"p50\": ");
		append_seconds(&buf, percentile(h, size, 0.5));
		appendStringInfoString(&buf, ", \"p90\": ");
		append_seconds(&buf, percentile(h, size, 0.9));
		appendStringInfoString(&buf, ", \"p99\": ");
		append_seconds(&buf, percentile(h, size, 0.99));
	}
	else
		appendStringInfoString(&buf, ", \"mean\": null, \"min\": null, \"max\": null, "
							   "\"p50\": null, \"p90\": null, \"p99\": null");
	appendStringInfoString(&buf, ", \"buckets\": [");
	hist_iter_init(&it, h, size);
	while ((r = hist_iter_next(&it, &key, &count)) == 1)
	{
		int64		lower,
					upper;

		bool		bounded = bucket_bounds(key, &lower, &upper);

		appendStringInfoString(&buf, n++ > 0 ? ", {\"lower\": " : "{\"lower\": ");
		append_seconds(&buf, lower);
		appendStringInfoString(&buf, ", \"upper\": ");
		if (bounded)
			append_seconds(&buf, upper);
		else
			appendStringInfoString(&buf, "null");
		appendStringInfo(&buf, ", \"count\": " INT64_FORMAT "}", count);
	}
	if (r < 0)
		kpi_hist_report(HIST_CORRUPT);
	appendStringInfoString(&buf, "]}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

/* A short label for a duration: 850us, 12ms, 4.2s, 13m, 2.5h, 3.1d */
static void
append_label(StringInfo buf, int64 usec)
{
	static const struct
	{
		double		usec;
		const char *unit;
	}			units[] = {
		{86400e6, "d"}, {3600e6, "h"}, {60e6, "m"}, {1e6, "s"}, {1e3, "ms"}, {1, "us"}
	};
	double		mag = fabs((double) usec);
	int			i;

	double		shown;

	for (i = 0; i < 5 && mag < units[i].usec; i++)
		;
	/* 59.97 s shows as 1.0m, not 60s: a unit only up to the next one */
	shown = mag / units[i].usec < 9.95 ? round(mag / units[i].usec * 10) / 10 :
		round(mag / units[i].usec);
	if (i > 0 && shown * units[i].usec >= units[i - 1].usec)
		i--;
	mag /= units[i].usec;
	appendStringInfo(buf, mag < 9.95 ? "%s%.1f%s" : "%s%.0f%s",
					 usec < 0 ? "-" : "", mag, units[i].unit);
}

/*
 * kpi_sparkline(h): "min ▁▂▅█▃▁ max", the counts over [min, max] in up to 24
 * columns.  Bucket keys are log-spaced, so columns of equal key width are
 * log-spaced too; a column with no duration is a space.
 */
#define SPARK_COLUMNS 24
PG_FUNCTION_INFO_V1(kpi_hist_sparkline);
Datum
kpi_hist_sparkline(PG_FUNCTION_ARGS)
{
	static const char *const blocks[] = {
		" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"
	};
	size_t		size;
	hist	   *h = kpi_hist_packed_arg(fcinfo, 0, &size);
	int64		cols[SPARK_COLUMNS] = {0};
	int64		top = 0,
				count;
	int			kmin,
				nkeys,
				ncols,
				key,
				r,
				i;
	hist_iter	it;
	StringInfoData buf;

	if (h->count == 0)
		PG_RETURN_NULL();
	kmin = hist_key(h->min);
	nkeys = hist_key(h->max) - kmin + 1;
	ncols = Min(nkeys, SPARK_COLUMNS);
	hist_iter_init(&it, h, size);
	while ((r = hist_iter_next(&it, &key, &count)) == 1)
	{
		int			c = (int) ((int64) (key - kmin) * ncols / nkeys);

		if (c < 0 || c >= ncols)
			kpi_hist_report(HIST_CORRUPT);
		cols[c] += count;
	}
	if (r < 0)
		kpi_hist_report(HIST_CORRUPT);
	for (i = 0; i < ncols; i++)
		top = Max(top, cols[i]);

	initStringInfo(&buf);
	append_label(&buf, h->min);
	appendStringInfoChar(&buf, ' ');
	for (i = 0; i < ncols; i++)
	{
		/* 1..8 eighths, rounding up so that a lone duration still shows */
		int			level = cols[i] == 0 ? 0 :
			(int) Min(8, Max(1, ceil(8.0 * (double) cols[i] / (double) top)));

		appendStringInfoString(&buf, blocks[level]);
	}
	appendStringInfoChar(&buf, ' ');
	append_label(&buf, h->max);
	PG_RETURN_TEXT_P(cstring_to_text(buf.data));
}

/*
 * Equality and hashing, so a histogram column works in GROUP BY, DISTINCT
 * and UNION.  The PACKED layout has one encoding per value (a merge of parts
 * is byte for byte the histogram of the whole), so equal histograms are
 * equal bytes after the length word.
 */
static bool
hist_equal(FunctionCallInfo fcinfo)
{
	size_t		size_a,
				size_b;
	hist	   *a = kpi_hist_packed_arg(fcinfo, 0, &size_a);
	hist	   *b = kpi_hist_packed_arg(fcinfo, 1, &size_b);

	return size_a == size_b &&
		memcmp((char *) a + VARHDRSZ, (char *) b + VARHDRSZ, size_a - VARHDRSZ) == 0;
}

PG_FUNCTION_INFO_V1(kpi_hist_eq);
Datum
kpi_hist_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(hist_equal(fcinfo));
}

PG_FUNCTION_INFO_V1(kpi_hist_ne);
Datum
kpi_hist_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!hist_equal(fcinfo));
}

PG_FUNCTION_INFO_V1(kpi_hist_hash);
Datum
kpi_hist_hash(PG_FUNCTION_ARGS)
{
	size_t		size;
	hist	   *h = kpi_hist_packed_arg(fcinfo, 0, &size);

	return hash_any((const unsigned char *) h + VARHDRSZ, size - VARHDRSZ);
}
