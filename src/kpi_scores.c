/*
 * kpi_scores.c — SQL face of survey answers: the kpi_scores type, the CSAT
 * and NPS aggregates and their accessors.
 *
 * Every survey aggregate keeps a kpi_scores value as its transition state (a
 * real type with exact text I/O, so Citus can push partial aggregation down
 * to its shards) and updates it in place inside the aggregate context, so a
 * row costs one increment.  Forms that only need "satisfied or not" (boolean
 * ratings, a custom threshold) count satisfied answers as 5 and the others
 * as 1, which the 1..5 CSAT formula then reads correctly.
 */
#include "postgres.h"

#include "kpi_compat.h"

#include "access/hash.h"
#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/float.h"
#include "utils/jsonb.h"
#include "utils/syscache.h"

#include "kpi_aggregate.h"
#include "scores.h"

/* The stored form: a format version byte, then the counts. */
typedef struct KpiScores
{
	int32		vl_len_;
	uint8		version;
	uint8		reserved[3];	/* zero; room for flags in later formats */
	ScoreCounts counts;
} KpiScores;

#define CSAT_SCALE_MIN 1
#define CSAT_SCALE_MAX 5
#define CSAT_SATISFIED_MIN 4
#define SATISFIED_AS 5			/* where binary "satisfied" answers are counted */
#define UNSATISFIED_AS 1

static KpiScores *
scores_new(MemoryContext context)
{
	KpiScores  *s = MemoryContextAllocZero(context, sizeof(KpiScores));

	SET_VARSIZE(s, sizeof(KpiScores));
	s->version = SCORES_FORMAT_VERSION;
	return s;
}

/* Detoasts argument n and checks it is a kpi_scores value this code knows. */
static KpiScores *
scores_arg(FunctionCallInfo fcinfo, int n)
{
	KpiScores  *s = (KpiScores *) PG_DETOAST_DATUM(PG_GETARG_DATUM(n));

	if (VARSIZE(s) != sizeof(KpiScores) || s->version != SCORES_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("kpi_scores value has an unknown format (version %d, %zu bytes)",
						(int) s->version, (size_t) VARSIZE(s)),
				 errhint("It was written by a newer version of kpi, or is corrupted.")));
	return s;
}

static void
report_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("kpi_scores count out of range"),
			 errdetail("The answers add up to more than bigint can hold.")));
}

/* ---------- type I/O ---------- */

PG_FUNCTION_INFO_V1(kpi_scores_in);
Datum
kpi_scores_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);
	KpiScores  *s = scores_new(CurrentMemoryContext);
	const char *problem = scores_parse(text, &s->counts);

	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type kpi_scores: \"%s\"", text),
				 errdetail("%s", problem),
				 errhint("The form is {score:count,...} with scores 0 to 10 in ascending order, e.g. {1:3,4:10,5:22}.")));
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(kpi_scores_out);
Datum
kpi_scores_out(PG_FUNCTION_ARGS)
{
	KpiScores  *s = scores_arg(fcinfo, 0);
	char	   *buf = palloc(SCORES_TEXT_MAX);

	scores_format(&s->counts, buf);
	PG_RETURN_CSTRING(buf);
}

PG_FUNCTION_INFO_V1(kpi_scores_recv);
Datum
kpi_scores_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	KpiScores  *s = scores_new(CurrentMemoryContext);
	const char *problem;

	problem = scores_decode((const uint8 *) buf->data + buf->cursor,
							buf->len - buf->cursor, &s->counts);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid external kpi_scores value"),
				 errdetail("%s", problem)));
	buf->cursor = buf->len;
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(kpi_scores_send);
Datum
kpi_scores_send(PG_FUNCTION_ARGS)
{
	KpiScores  *s = scores_arg(fcinfo, 0);
	uint8		bytes[SCORES_BINARY_SIZE];
	StringInfoData buf;

	scores_encode(&s->counts, bytes);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (char *) bytes, sizeof(bytes));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------- aggregation ---------- */

/*
 * The transition state to update: the aggregate's own copy, modified in
 * place, or a new one on the first row.  Support functions run only inside
 * an aggregate (kpi_aggregate.h).  A state this file made is a plain
 * kpi_scores in the aggregate's memory; anything else -- a user-defined
 * aggregate's INITCOND or its own state function may hand over any
 * kpi_scores, short-headed or toasted -- is checked and copied first, since
 * it is about to be written to.
 */
static KpiScores *
transition_state(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;
	KpiScores  *s;
	KpiScores  *copy;

	kpi_aggregate_context(fcinfo, &aggcontext);
	if (PG_ARGISNULL(0))
		return scores_new(aggcontext);
	s = (KpiScores *) DatumGetPointer(PG_GETARG_DATUM(0));
	if (likely(VARATT_IS_4B_U(s) && VARSIZE(s) == sizeof(KpiScores) &&
			   s->version == SCORES_FORMAT_VERSION))
		return s;
	copy = scores_new(aggcontext);
	copy->counts = scores_arg(fcinfo, 0)->counts;
	return copy;
}

static void
check_scale(int64 score, int32 low, int32 high, const char *what)
{
	if (score < low || score > high)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s score " INT64_FORMAT " is out of range", what, score),
				 errdetail("The %s scale runs from %d to %d.", what, low, high),
				 low == CSAT_SCALE_MIN && high == CSAT_SCALE_MAX ?
				 errhint("For another scale use kpi_csat(score, satisfied_min).") : 0));
}

/*
 * Whether adding one answer could take the total past bigint: only when
 * some count has reached 2^59 (eleven counts below it add up to less than
 * 2^63 - 1), which a user-defined aggregate can start from with an INITCOND
 * such as '{5:9223372036854775807}'.  One OR of the counts, not a sum with
 * overflow checks, on every row.
 */
static inline bool
total_may_overflow(const ScoreCounts *c)
{
	uint64		any = 0;

	StaticAssertStmt(SCORES_N * (UINT64CONST(1) << 59) <= (uint64) PG_INT64_MAX,
					 "eleven counts below 2^59 must fit a bigint total");
	for (int i = 0; i < SCORES_N; i++)
		any |= (uint64) c->n[i];
	return any >= (UINT64CONST(1) << 59);
}

/*
 * Adds (delta = 1) or removes (delta = -1) one answer counted as score.
 * Every argument is checked, even in an inverse transition where the row
 * "was checked when added": a user-defined aggregate can pair these
 * functions any way it likes.
 */
static Datum
count_answer(FunctionCallInfo fcinfo, int64 score, int delta)
{
	KpiScores  *s = transition_state(fcinfo);

	if (unlikely(score < 0 || score > SCORES_MAX))
		check_scale(score, 0, SCORES_MAX, "survey");
	if (delta < 0)
	{
		if (unlikely(s->counts.n[score] == 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove an answer with score " INT64_FORMAT " from this kpi_scores summary", score),
					 errdetail("The summary has no answer with that score.")));
	}
	else if (unlikely(total_may_overflow(&s->counts)))
	{
		int64		total;

		if (!scores_total(&s->counts, &total) || total == PG_INT64_MAX)
			report_overflow();
	}
	s->counts.n[score] += delta;
	PG_RETURN_POINTER(s);
}

/*
 * kpi_scores(score) takes any 0..10 answer, kpi_nps(score) 0..10 and
 * kpi_csat(score) 1..5; each has integer, smallint and bigint forms, as
 * avg() does (score columns loaded by data tools are often bigint, and with
 * only integer and bigint forms a smallint column would be ambiguous), and
 * one inverse per type for moving windows.
 */
#define SCORE_TRANSITIONS(name, getarg, low, high, what) \
	PG_FUNCTION_INFO_V1(name); \
	Datum \
	name(PG_FUNCTION_ARGS) \
	{ \
		int64		score; \
		KPI_SKIP_IF_NULL(1); \
		score = getarg(1); \
		check_scale(score, low, high, what); \
		return count_answer(fcinfo, score, 1); \
	}

SCORE_TRANSITIONS(kpi_scores_accum, PG_GETARG_INT32, 0, SCORES_MAX, "survey")
SCORE_TRANSITIONS(kpi_scores_accum_int8, PG_GETARG_INT64, 0, SCORES_MAX, "survey")
SCORE_TRANSITIONS(kpi_nps_accum, PG_GETARG_INT32, 0, SCORES_MAX, "NPS")
SCORE_TRANSITIONS(kpi_nps_accum_int8, PG_GETARG_INT64, 0, SCORES_MAX, "NPS")
SCORE_TRANSITIONS(kpi_csat_accum, PG_GETARG_INT32, CSAT_SCALE_MIN, CSAT_SCALE_MAX, "CSAT")
SCORE_TRANSITIONS(kpi_csat_accum_int8, PG_GETARG_INT64, CSAT_SCALE_MIN, CSAT_SCALE_MAX, "CSAT")
SCORE_TRANSITIONS(kpi_scores_accum_int2, PG_GETARG_INT16, 0, SCORES_MAX, "survey")
SCORE_TRANSITIONS(kpi_nps_accum_int2, PG_GETARG_INT16, 0, SCORES_MAX, "NPS")
SCORE_TRANSITIONS(kpi_csat_accum_int2, PG_GETARG_INT16, CSAT_SCALE_MIN, CSAT_SCALE_MAX, "CSAT")

PG_FUNCTION_INFO_V1(kpi_scores_retract);
Datum
kpi_scores_retract(PG_FUNCTION_ARGS)
{
	kpi_window_context(fcinfo);
	KPI_SKIP_IF_NULL(1);
	return count_answer(fcinfo, PG_GETARG_INT32(1), -1);
}

PG_FUNCTION_INFO_V1(kpi_scores_retract_int8);
Datum
kpi_scores_retract_int8(PG_FUNCTION_ARGS)
{
	kpi_window_context(fcinfo);
	KPI_SKIP_IF_NULL(1);
	return count_answer(fcinfo, PG_GETARG_INT64(1), -1);
}

PG_FUNCTION_INFO_V1(kpi_scores_retract_int2);
Datum
kpi_scores_retract_int2(PG_FUNCTION_ARGS)
{
	kpi_window_context(fcinfo);
	KPI_SKIP_IF_NULL(1);
	return count_answer(fcinfo, PG_GETARG_INT16(1), -1);
}

/* kpi_csat(score, satisfied_min): any 0..10 scale */
static int
threshold_answer(FunctionCallInfo fcinfo)
{
	int32		score = PG_GETARG_INT32(1);
	int32		satisfied_min = PG_GETARG_INT32(2);

	check_scale(score, 0, SCORES_MAX, "CSAT");
	if (satisfied_min < 0 || satisfied_min > SCORES_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("satisfied_min %d is out of range", satisfied_min),
				 errdetail("satisfied_min is the lowest satisfied score, from 0 to 10.")));
	return score >= satisfied_min ? SATISFIED_AS : UNSATISFIED_AS;
}

PG_FUNCTION_INFO_V1(kpi_csat_threshold_accum);
Datum
kpi_csat_threshold_accum(PG_FUNCTION_ARGS)
{
	KPI_SKIP_IF_NULL(1);
	KPI_SKIP_IF_NULL(2);
	return count_answer(fcinfo, threshold_answer(fcinfo), 1);
}

PG_FUNCTION_INFO_V1(kpi_csat_threshold_retract);
Datum
kpi_csat_threshold_retract(PG_FUNCTION_ARGS)
{
	kpi_window_context(fcinfo);
	KPI_SKIP_IF_NULL(1);
	KPI_SKIP_IF_NULL(2);
	return count_answer(fcinfo, threshold_answer(fcinfo), -1);
}

/* kpi_csat(good boolean): thumbs up / down */
PG_FUNCTION_INFO_V1(kpi_csat_bool_accum);
Datum
kpi_csat_bool_accum(PG_FUNCTION_ARGS)
{
	KPI_SKIP_IF_NULL(1);
	return count_answer(fcinfo, PG_GETARG_BOOL(1) ? SATISFIED_AS : UNSATISFIED_AS, 1);
}

PG_FUNCTION_INFO_V1(kpi_csat_bool_retract);
Datum
kpi_csat_bool_retract(PG_FUNCTION_ARGS)
{
	kpi_window_context(fcinfo);
	KPI_SKIP_IF_NULL(1);
	return count_answer(fcinfo, PG_GETARG_BOOL(1) ? SATISFIED_AS : UNSATISFIED_AS, -1);
}

/*
 * kpi_csat(kpi_satisfaction): the enum's labels, in order, are the 1..5
 * scale.  Enum values are OIDs; the map from OID to score is read from
 * pg_enum once per query and kept in fn_extra.
 */
typedef struct SatisfactionMap
{
	Oid			oid[CSAT_SCALE_MAX];
} SatisfactionMap;

static int
satisfaction_score(FunctionCallInfo fcinfo)
{
	static const char *const labels[CSAT_SCALE_MAX] = {
		"very dissatisfied", "dissatisfied", "neutral", "satisfied", "very satisfied"
	};
	SatisfactionMap *map = fcinfo->flinfo->fn_extra;
	Oid			value = PG_GETARG_OID(1);

	if (map == NULL)
	{
		Oid			enumtype = get_fn_expr_argtype(fcinfo->flinfo, 1);
		CatCList   *members;

		map = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SatisfactionMap));
		members = SearchSysCacheList1(ENUMTYPOIDNAME, ObjectIdGetDatum(enumtype));
		for (int i = 0; i < members->n_members; i++)
		{
			HeapTuple	tup = &members->members[i]->tuple;
			Form_pg_enum en = (Form_pg_enum) GETSTRUCT(tup);

			for (int s = 0; s < CSAT_SCALE_MAX; s++)
				if (strcmp(NameStr(en->enumlabel), labels[s]) == 0)
					map->oid[s] = en->oid;
		}
		ReleaseSysCacheList(members);
		fcinfo->flinfo->fn_extra = map;
	}
	for (int s = 0; s < CSAT_SCALE_MAX; s++)
		if (map->oid[s] == value)
			return s + CSAT_SCALE_MIN;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("kpi_satisfaction value %u is not one of its five labels", value),
			 errdetail("The labels are 'very dissatisfied', 'dissatisfied', 'neutral', 'satisfied' and 'very satisfied'.")));
	return 0;
}

PG_FUNCTION_INFO_V1(kpi_csat_satisfaction_accum);
Datum
kpi_csat_satisfaction_accum(PG_FUNCTION_ARGS)
{
	KPI_SKIP_IF_NULL(1);
	return count_answer(fcinfo, satisfaction_score(fcinfo), 1);
}

PG_FUNCTION_INFO_V1(kpi_csat_satisfaction_retract);
Datum
kpi_csat_satisfaction_retract(PG_FUNCTION_ARGS)
{
	kpi_window_context(fcinfo);
	KPI_SKIP_IF_NULL(1);
	return count_answer(fcinfo, satisfaction_score(fcinfo), -1);
}

/* Combine function and kpi_merge: adds the second summary into the first. */
PG_FUNCTION_INFO_V1(kpi_scores_combine);
Datum
kpi_scores_combine(PG_FUNCTION_ARGS)
{
	KpiScores  *s;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	s = transition_state(fcinfo);
	if (!scores_merge(&s->counts, &scores_arg(fcinfo, 1)->counts))
		report_overflow();
	PG_RETURN_POINTER(s);
}

/* The + operator: a new value, the arguments untouched. */
PG_FUNCTION_INFO_V1(kpi_scores_add);
Datum
kpi_scores_add(PG_FUNCTION_ARGS)
{
	KpiScores  *s = scores_new(CurrentMemoryContext);

	s->counts = scores_arg(fcinfo, 0)->counts;
	if (!scores_merge(&s->counts, &scores_arg(fcinfo, 1)->counts))
		report_overflow();
	PG_RETURN_POINTER(s);
}

/* ---------- accessors ---------- */

/* The counts of a summary with at least one answer, or NULL. */
static ScoreCounts *
answered(FunctionCallInfo fcinfo)
{
	ScoreCounts *c = &scores_arg(fcinfo, 0)->counts;
	int64		total;

	scores_total(c, &total);
	return total > 0 ? c : NULL;
}

PG_FUNCTION_INFO_V1(kpi_scores_count);
Datum
kpi_scores_count(PG_FUNCTION_ARGS)
{
	int64		total;

	scores_total(&scores_arg(fcinfo, 0)->counts, &total);
	PG_RETURN_INT64(total);
}

PG_FUNCTION_INFO_V1(kpi_scores_mean);
Datum
kpi_scores_mean(PG_FUNCTION_ARGS)
{
	ScoreCounts *c = answered(fcinfo);

	if (c == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(scores_mean(c));
}

static int
satisfied_min_arg(FunctionCallInfo fcinfo, int argno, const ScoreCounts *c)
{
	int32		m;

	if (argno < PG_NARGS())
	{
		m = PG_GETARG_INT32(argno);
		if (m < 0 || m > SCORES_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("satisfied_min %d is out of range", m),
					 errdetail("satisfied_min is the lowest satisfied score, from 0 to 10.")));
		return m;
	}
	/* the default reads a 1..5 CSAT summary: other scores mean another scale */
	for (int s = 0; s < SCORES_N; s++)
		if (c->n[s] > 0 && (s < CSAT_SCALE_MIN || s > CSAT_SCALE_MAX))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("kpi_scores summary has answers with score %d, outside the 1 to 5 CSAT scale", s),
					 errhint("Pass satisfied_min, the lowest satisfied score, for another scale.")));
	return CSAT_SATISFIED_MIN;
}

/* kpi_csat(kpi_scores [, satisfied_min]): also the CSAT aggregates' final function */
PG_FUNCTION_INFO_V1(kpi_scores_csat);
Datum
kpi_scores_csat(PG_FUNCTION_ARGS)
{
	ScoreCounts *c = answered(fcinfo);

	if (c == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(scores_csat(c, satisfied_min_arg(fcinfo, 1, c)));
}

PG_FUNCTION_INFO_V1(kpi_scores_nps);
Datum
kpi_scores_nps(PG_FUNCTION_ARGS)
{
	ScoreCounts *c = answered(fcinfo);

	if (c == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(scores_nps(c));
}

static double
z_arg(FunctionCallInfo fcinfo, int argno)
{
	float8		confidence = PG_GETARG_FLOAT8(argno);

	if (!(confidence > 0 && confidence < 1))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("confidence %g is out of range", confidence),
				 errdetail("The confidence level is a fraction between 0 and 1, exclusive, e.g. 0.95.")));
	return normal_two_sided_z(confidence);
}

PG_FUNCTION_INFO_V1(kpi_scores_csat_interval);
Datum
kpi_scores_csat_interval(PG_FUNCTION_ARGS)
{
	ScoreCounts *c = answered(fcinfo);
	double		z = z_arg(fcinfo, 1);
	double		bounds[2];
	Datum		elems[2];

	if (c == NULL)
		PG_RETURN_NULL();
	scores_csat_interval(c, satisfied_min_arg(fcinfo, 2, c), z, &bounds[0], &bounds[1]);
	elems[0] = Float8GetDatum(bounds[0]);
	elems[1] = Float8GetDatum(bounds[1]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, 2, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

PG_FUNCTION_INFO_V1(kpi_scores_nps_margin);
Datum
kpi_scores_nps_margin(PG_FUNCTION_ARGS)
{
	ScoreCounts *c = answered(fcinfo);
	double		z = z_arg(fcinfo, 1);

	if (c == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(scores_nps_margin(c, z));
}

/* kpi_buckets(kpi_scores): one row per score that has answers */
PG_FUNCTION_INFO_V1(kpi_scores_buckets);
Datum
kpi_scores_buckets(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	ScoreCounts *c;
	int			s;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	desc;

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "kpi_buckets must return a composite type");
		funcctx->tuple_desc = BlessTupleDesc(desc);
		c = palloc(sizeof(ScoreCounts));
		*c = scores_arg(fcinfo, 0)->counts;
		funcctx->user_fctx = c;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	c = funcctx->user_fctx;
	for (s = funcctx->call_cntr; s < SCORES_N && c->n[s] == 0; s++)
		;
	funcctx->call_cntr = s;		/* resume after the score returned */
	if (s < SCORES_N)
	{
		Datum		values[2] = {Int32GetDatum(s), Int64GetDatum(c->n[s])};
		bool		nulls[2] = {false, false};
		HeapTuple	tuple = heap_form_tuple(funcctx->tuple_desc, values, nulls);

		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(tuple));
	}
	SRF_RETURN_DONE(funcctx);
}

/* kpi_scores::jsonb: {"count": n, "mean": m, "scores": {"1": c1, ...}} */
PG_FUNCTION_INFO_V1(kpi_scores_jsonb);
Datum
kpi_scores_jsonb(PG_FUNCTION_ARGS)
{
	ScoreCounts *c = &scores_arg(fcinfo, 0)->counts;
	StringInfoData json;
	int64		total;
	bool		first = true;

	scores_total(c, &total);
	initStringInfo(&json);
	appendStringInfo(&json, "{\"count\": " INT64_FORMAT, total);
	if (total > 0)
		appendStringInfo(&json, ", \"mean\": %s",
						 float8out_internal(scores_mean(c)));
	appendStringInfoString(&json, ", \"scores\": {");
	for (int s = 0; s < SCORES_N; s++)
	{
		if (c->n[s] == 0)
			continue;
		appendStringInfo(&json, "%s\"%d\": " INT64_FORMAT, first ? "" : ", ", s, c->n[s]);
		first = false;
	}
	appendStringInfoString(&json, "}}");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(json.data)));
}

/*
 * Equality and hashing, so a summary column works in GROUP BY, DISTINCT and
 * UNION: two summaries are equal when every count is.
 */
PG_FUNCTION_INFO_V1(kpi_scores_eq);
Datum
kpi_scores_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(memcmp(&scores_arg(fcinfo, 0)->counts, &scores_arg(fcinfo, 1)->counts,
						  sizeof(ScoreCounts)) == 0);
}

PG_FUNCTION_INFO_V1(kpi_scores_ne);
Datum
kpi_scores_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(memcmp(&scores_arg(fcinfo, 0)->counts, &scores_arg(fcinfo, 1)->counts,
						  sizeof(ScoreCounts)) != 0);
}

PG_FUNCTION_INFO_V1(kpi_scores_hash);
Datum
kpi_scores_hash(PG_FUNCTION_ARGS)
{
	return hash_any((const unsigned char *) &scores_arg(fcinfo, 0)->counts, sizeof(ScoreCounts));
}
