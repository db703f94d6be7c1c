-- kpi 1.0: customer-service KPIs.
-- Every object is named kpi_*; cross-references are schema-qualified with
-- @extschema@ and pg_catalog, so nothing here depends on the caller's
-- search_path.

\echo Use "CREATE EXTENSION kpi" to load this file. \quit

-- ==================================================================
-- Survey answers: kpi_scores, CSAT and NPS
-- ==================================================================

CREATE TYPE @extschema@.kpi_scores;

CREATE FUNCTION @extschema@.kpi_scores_in(cstring) RETURNS @extschema@.kpi_scores
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_scores_out(@extschema@.kpi_scores) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_scores_recv(internal) RETURNS @extschema@.kpi_scores
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_scores_send(@extschema@.kpi_scores) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.kpi_scores (
	INPUT = @extschema@.kpi_scores_in,
	OUTPUT = @extschema@.kpi_scores_out,
	RECEIVE = @extschema@.kpi_scores_recv,
	SEND = @extschema@.kpi_scores_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON FUNCTION @extschema@.kpi_scores_in(cstring) IS 'text input of kpi_scores: {score:count,...}';
COMMENT ON FUNCTION @extschema@.kpi_scores_out(@extschema@.kpi_scores) IS 'text output of kpi_scores: {score:count,...}';
COMMENT ON FUNCTION @extschema@.kpi_scores_recv(internal) IS 'binary input of kpi_scores';
COMMENT ON FUNCTION @extschema@.kpi_scores_send(@extschema@.kpi_scores) IS 'binary output of kpi_scores';
COMMENT ON TYPE @extschema@.kpi_scores IS
	'survey answers counted per score 0..10; mergeable summary for CSAT, NPS and mean scores';

CREATE TYPE @extschema@.kpi_satisfaction AS ENUM
	('very dissatisfied', 'dissatisfied', 'neutral', 'satisfied', 'very satisfied');
COMMENT ON TYPE @extschema@.kpi_satisfaction IS
	'five-point perception scale; satisfied and very satisfied count as satisfied in kpi_csat';

-- Transition functions.  They are not strict: a NULL answer leaves the
-- state as it is, and the first answer creates the state in the aggregate's
-- memory, where later answers update it in place.
CREATE FUNCTION @extschema@.kpi_scores_accum(@extschema@.kpi_scores, integer)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_csat_accum(@extschema@.kpi_scores, integer)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_nps_accum(@extschema@.kpi_scores, integer)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_scores_retract(@extschema@.kpi_scores, integer)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_scores_accum(@extschema@.kpi_scores, bigint)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME', 'kpi_scores_accum_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_scores_accum(@extschema@.kpi_scores, smallint)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME', 'kpi_scores_accum_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_csat_accum(@extschema@.kpi_scores, bigint)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME', 'kpi_csat_accum_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_csat_accum(@extschema@.kpi_scores, smallint)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME', 'kpi_csat_accum_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_nps_accum(@extschema@.kpi_scores, bigint)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME', 'kpi_nps_accum_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_nps_accum(@extschema@.kpi_scores, smallint)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME', 'kpi_nps_accum_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_scores_retract(@extschema@.kpi_scores, bigint)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME', 'kpi_scores_retract_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_scores_retract(@extschema@.kpi_scores, smallint)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME', 'kpi_scores_retract_int2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_csat_threshold_accum(@extschema@.kpi_scores, integer, integer)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_csat_threshold_retract(@extschema@.kpi_scores, integer, integer)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_csat_bool_accum(@extschema@.kpi_scores, boolean)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_csat_bool_retract(@extschema@.kpi_scores, boolean)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_csat_satisfaction_accum(@extschema@.kpi_scores, @extschema@.kpi_satisfaction)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_csat_satisfaction_retract(@extschema@.kpi_scores, @extschema@.kpi_satisfaction)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_scores_combine(@extschema@.kpi_scores, @extschema@.kpi_scores)
	RETURNS @extschema@.kpi_scores AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_scores_accum(@extschema@.kpi_scores, integer) IS 'transition function of kpi_scores(integer)';
COMMENT ON FUNCTION @extschema@.kpi_csat_accum(@extschema@.kpi_scores, integer) IS 'transition function of kpi_csat(integer)';
COMMENT ON FUNCTION @extschema@.kpi_nps_accum(@extschema@.kpi_scores, integer) IS 'transition function of kpi_nps(integer)';
COMMENT ON FUNCTION @extschema@.kpi_scores_retract(@extschema@.kpi_scores, integer) IS 'inverse transition of kpi_csat(integer) and kpi_nps(integer) for moving windows';
COMMENT ON FUNCTION @extschema@.kpi_scores_accum(@extschema@.kpi_scores, bigint) IS 'transition function of kpi_scores(bigint)';
COMMENT ON FUNCTION @extschema@.kpi_scores_accum(@extschema@.kpi_scores, smallint) IS 'transition function of kpi_scores(smallint)';
COMMENT ON FUNCTION @extschema@.kpi_csat_accum(@extschema@.kpi_scores, bigint) IS 'transition function of kpi_csat(bigint)';
COMMENT ON FUNCTION @extschema@.kpi_csat_accum(@extschema@.kpi_scores, smallint) IS 'transition function of kpi_csat(smallint)';
COMMENT ON FUNCTION @extschema@.kpi_nps_accum(@extschema@.kpi_scores, bigint) IS 'transition function of kpi_nps(bigint)';
COMMENT ON FUNCTION @extschema@.kpi_nps_accum(@extschema@.kpi_scores, smallint) IS 'transition function of kpi_nps(smallint)';
COMMENT ON FUNCTION @extschema@.kpi_scores_retract(@extschema@.kpi_scores, bigint) IS 'inverse transition of kpi_csat(bigint) and kpi_nps(bigint) for moving windows';
COMMENT ON FUNCTION @extschema@.kpi_scores_retract(@extschema@.kpi_scores, smallint) IS 'inverse transition of kpi_csat(smallint) and kpi_nps(smallint) for moving windows';
COMMENT ON FUNCTION @extschema@.kpi_csat_threshold_accum(@extschema@.kpi_scores, integer, integer) IS 'transition function of kpi_csat(integer, integer)';
COMMENT ON FUNCTION @extschema@.kpi_csat_threshold_retract(@extschema@.kpi_scores, integer, integer) IS 'inverse transition of kpi_csat(integer, integer) for moving windows';
COMMENT ON FUNCTION @extschema@.kpi_csat_bool_accum(@extschema@.kpi_scores, boolean) IS 'transition function of kpi_csat(boolean)';
COMMENT ON FUNCTION @extschema@.kpi_csat_bool_retract(@extschema@.kpi_scores, boolean) IS 'inverse transition of kpi_csat(boolean) for moving windows';
COMMENT ON FUNCTION @extschema@.kpi_csat_satisfaction_accum(@extschema@.kpi_scores, @extschema@.kpi_satisfaction) IS 'transition function of kpi_csat(kpi_satisfaction)';
COMMENT ON FUNCTION @extschema@.kpi_csat_satisfaction_retract(@extschema@.kpi_scores, @extschema@.kpi_satisfaction) IS 'inverse transition of kpi_csat(kpi_satisfaction) for moving windows';
COMMENT ON FUNCTION @extschema@.kpi_scores_combine(@extschema@.kpi_scores, @extschema@.kpi_scores) IS 'combine function of the survey aggregates: adds the second summary into the first';

-- Accessors
CREATE FUNCTION @extschema@.kpi_count(@extschema@.kpi_scores) RETURNS bigint
	AS 'MODULE_PATHNAME', 'kpi_scores_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_count(@extschema@.kpi_scores) IS 'number of answers in the summary';

CREATE FUNCTION @extschema@.kpi_mean(@extschema@.kpi_scores) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_scores_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_mean(@extschema@.kpi_scores) IS 'mean score (e.g. Customer Effort Score); NULL when there are no answers';

CREATE FUNCTION @extschema@.kpi_csat(@extschema@.kpi_scores) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_scores_csat' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_csat(@extschema@.kpi_scores) IS 'CSAT in percent of a 1..5 summary: share of answers 4 or 5';

CREATE FUNCTION @extschema@.kpi_csat(@extschema@.kpi_scores, satisfied_min integer) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_scores_csat' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_csat(@extschema@.kpi_scores, integer) IS 'CSAT in percent: share of answers >= satisfied_min';

CREATE FUNCTION @extschema@.kpi_nps(@extschema@.kpi_scores) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_scores_nps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_nps(@extschema@.kpi_scores) IS 'Net Promoter Score in [-100, 100]: % of 9-10 answers minus % of 0-6 answers';

CREATE FUNCTION @extschema@.kpi_csat_interval(@extschema@.kpi_scores, confidence double precision DEFAULT 0.95)
	RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'kpi_scores_csat_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_csat_interval(@extschema@.kpi_scores, double precision) IS
	'Wilson score interval {low, high} of a 1..5 CSAT, in percent';

CREATE FUNCTION @extschema@.kpi_csat_interval(@extschema@.kpi_scores, confidence double precision, satisfied_min integer)
	RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'kpi_scores_csat_interval' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_csat_interval(@extschema@.kpi_scores, double precision, integer) IS
	'Wilson score interval {low, high} of the CSAT with satisfied = score >= satisfied_min, in percent';

CREATE FUNCTION @extschema@.kpi_nps_margin(@extschema@.kpi_scores, confidence double precision DEFAULT 0.95)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_scores_nps_margin' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_nps_margin(@extschema@.kpi_scores, double precision) IS
	'margin of error of the NPS, in NPS points (+/-)';

CREATE FUNCTION @extschema@.kpi_buckets(@extschema@.kpi_scores, OUT score integer, OUT count bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'kpi_scores_buckets' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 11;
COMMENT ON FUNCTION @extschema@.kpi_buckets(@extschema@.kpi_scores) IS 'one row per score that has answers, with its count';

CREATE FUNCTION @extschema@.kpi_scores_jsonb(@extschema@.kpi_scores) RETURNS jsonb
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_scores_jsonb(@extschema@.kpi_scores) IS 'the summary as jsonb: count, mean and counts per score';
CREATE CAST (@extschema@.kpi_scores AS jsonb) WITH FUNCTION @extschema@.kpi_scores_jsonb(@extschema@.kpi_scores);

CREATE FUNCTION @extschema@.kpi_scores_add(@extschema@.kpi_scores, @extschema@.kpi_scores) RETURNS @extschema@.kpi_scores
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_scores_add(@extschema@.kpi_scores, @extschema@.kpi_scores) IS 'the merge of two summaries';
CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.kpi_scores, RIGHTARG = @extschema@.kpi_scores,
	FUNCTION = @extschema@.kpi_scores_add, COMMUTATOR = OPERATOR(@extschema@.+)
);

-- Equality and a hash operator class, so a kpi_scores column works in GROUP BY,
-- DISTINCT and UNION (summaries have no meaningful order, so no btree class).
CREATE FUNCTION @extschema@.kpi_scores_eq(@extschema@.kpi_scores, @extschema@.kpi_scores) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_scores_ne(@extschema@.kpi_scores, @extschema@.kpi_scores) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_scores_hash(@extschema@.kpi_scores) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_scores_eq(@extschema@.kpi_scores, @extschema@.kpi_scores) IS 'whether two kpi_scores values are the same summary';
COMMENT ON FUNCTION @extschema@.kpi_scores_ne(@extschema@.kpi_scores, @extschema@.kpi_scores) IS 'whether two kpi_scores values differ';
COMMENT ON FUNCTION @extschema@.kpi_scores_hash(@extschema@.kpi_scores) IS 'hash of a kpi_scores value, for hash aggregation and joins';
CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.kpi_scores, RIGHTARG = @extschema@.kpi_scores,
	FUNCTION = @extschema@.kpi_scores_eq, COMMUTATOR = OPERATOR(@extschema@.=),
	NEGATOR = OPERATOR(@extschema@.<>), RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.kpi_scores, RIGHTARG = @extschema@.kpi_scores,
	FUNCTION = @extschema@.kpi_scores_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
	NEGATOR = OPERATOR(@extschema@.=), RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR CLASS @extschema@.kpi_scores_hash_ops DEFAULT FOR TYPE @extschema@.kpi_scores USING hash AS
	OPERATOR 1 @extschema@.= (@extschema@.kpi_scores, @extschema@.kpi_scores),
	FUNCTION 1 @extschema@.kpi_scores_hash(@extschema@.kpi_scores);

-- Aggregates.  SSPACE is the size of a kpi_scores value (96 bytes).  The
-- moving-window forms start from an empty summary (MINITCOND): a window
-- state may not become NULL, even when a frame starts with NULL answers.
CREATE AGGREGATE @extschema@.kpi_scores(integer) (
	SFUNC = @extschema@.kpi_scores_accum, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	COMBINEFUNC = @extschema@.kpi_scores_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_scores(integer) IS 'summary of 0..10 survey answers, to store and merge';

CREATE AGGREGATE @extschema@.kpi_scores(bigint) (
	SFUNC = @extschema@.kpi_scores_accum, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	COMBINEFUNC = @extschema@.kpi_scores_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_scores(bigint) IS 'summary of 0..10 survey answers, to store and merge';

CREATE AGGREGATE @extschema@.kpi_scores(smallint) (
	SFUNC = @extschema@.kpi_scores_accum, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	COMBINEFUNC = @extschema@.kpi_scores_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_scores(smallint) IS 'summary of 0..10 survey answers, to store and merge';

CREATE AGGREGATE @extschema@.kpi_merge(@extschema@.kpi_scores) (
	SFUNC = @extschema@.kpi_scores_combine, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	COMBINEFUNC = @extschema@.kpi_scores_combine, PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_merge(@extschema@.kpi_scores) IS 'merge of survey summaries, e.g. days rolled up to months';

CREATE AGGREGATE @extschema@.kpi_csat(integer) (
	SFUNC = @extschema@.kpi_csat_accum, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	FINALFUNC = @extschema@.kpi_csat, COMBINEFUNC = @extschema@.kpi_scores_combine,
	MSFUNC = @extschema@.kpi_csat_accum, MINVFUNC = @extschema@.kpi_scores_retract,
	MSTYPE = @extschema@.kpi_scores, MSSPACE = 96, MINITCOND = '{}', MFINALFUNC = @extschema@.kpi_csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_csat(integer) IS 'CSAT in percent of 1..5 answers: share of 4 and 5';

CREATE AGGREGATE @extschema@.kpi_csat(bigint) (
	SFUNC = @extschema@.kpi_csat_accum, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	FINALFUNC = @extschema@.kpi_csat, COMBINEFUNC = @extschema@.kpi_scores_combine,
	MSFUNC = @extschema@.kpi_csat_accum, MINVFUNC = @extschema@.kpi_scores_retract,
	MSTYPE = @extschema@.kpi_scores, MSSPACE = 96, MINITCOND = '{}', MFINALFUNC = @extschema@.kpi_csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_csat(bigint) IS 'CSAT in percent of 1..5 answers: share of 4 and 5';

CREATE AGGREGATE @extschema@.kpi_csat(smallint) (
	SFUNC = @extschema@.kpi_csat_accum, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	FINALFUNC = @extschema@.kpi_csat, COMBINEFUNC = @extschema@.kpi_scores_combine,
	MSFUNC = @extschema@.kpi_csat_accum, MINVFUNC = @extschema@.kpi_scores_retract,
	MSTYPE = @extschema@.kpi_scores, MSSPACE = 96, MINITCOND = '{}', MFINALFUNC = @extschema@.kpi_csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_csat(smallint) IS 'CSAT in percent of 1..5 answers: share of 4 and 5';

CREATE AGGREGATE @extschema@.kpi_csat(integer, integer) (
	SFUNC = @extschema@.kpi_csat_threshold_accum, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	FINALFUNC = @extschema@.kpi_csat, COMBINEFUNC = @extschema@.kpi_scores_combine,
	MSFUNC = @extschema@.kpi_csat_threshold_accum, MINVFUNC = @extschema@.kpi_csat_threshold_retract,
	MSTYPE = @extschema@.kpi_scores, MSSPACE = 96, MINITCOND = '{}', MFINALFUNC = @extschema@.kpi_csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_csat(integer, integer) IS 'CSAT in percent of 0..10 answers: share of answers >= satisfied_min (second argument)';

CREATE AGGREGATE @extschema@.kpi_csat(boolean) (
	SFUNC = @extschema@.kpi_csat_bool_accum, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	FINALFUNC = @extschema@.kpi_csat, COMBINEFUNC = @extschema@.kpi_scores_combine,
	MSFUNC = @extschema@.kpi_csat_bool_accum, MINVFUNC = @extschema@.kpi_csat_bool_retract,
	MSTYPE = @extschema@.kpi_scores, MSSPACE = 96, MINITCOND = '{}', MFINALFUNC = @extschema@.kpi_csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_csat(boolean) IS 'CSAT in percent of thumbs-up/down ratings: share of true';

CREATE AGGREGATE @extschema@.kpi_csat(@extschema@.kpi_satisfaction) (
	SFUNC = @extschema@.kpi_csat_satisfaction_accum, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	FINALFUNC = @extschema@.kpi_csat, COMBINEFUNC = @extschema@.kpi_scores_combine,
	MSFUNC = @extschema@.kpi_csat_satisfaction_accum, MINVFUNC = @extschema@.kpi_csat_satisfaction_retract,
	MSTYPE = @extschema@.kpi_scores, MSSPACE = 96, MINITCOND = '{}', MFINALFUNC = @extschema@.kpi_csat,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_csat(@extschema@.kpi_satisfaction) IS 'CSAT in percent of perception answers: share of satisfied and very satisfied';

CREATE AGGREGATE @extschema@.kpi_nps(integer) (
	SFUNC = @extschema@.kpi_nps_accum, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	FINALFUNC = @extschema@.kpi_nps, COMBINEFUNC = @extschema@.kpi_scores_combine,
	MSFUNC = @extschema@.kpi_nps_accum, MINVFUNC = @extschema@.kpi_scores_retract,
	MSTYPE = @extschema@.kpi_scores, MSSPACE = 96, MINITCOND = '{}', MFINALFUNC = @extschema@.kpi_nps,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_nps(integer) IS 'Net Promoter Score of 0..10 answers, in [-100, 100]';

CREATE AGGREGATE @extschema@.kpi_nps(bigint) (
	SFUNC = @extschema@.kpi_nps_accum, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	FINALFUNC = @extschema@.kpi_nps, COMBINEFUNC = @extschema@.kpi_scores_combine,
	MSFUNC = @extschema@.kpi_nps_accum, MINVFUNC = @extschema@.kpi_scores_retract,
	MSTYPE = @extschema@.kpi_scores, MSSPACE = 96, MINITCOND = '{}', MFINALFUNC = @extschema@.kpi_nps,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_nps(bigint) IS 'Net Promoter Score of 0..10 answers, in [-100, 100]';

CREATE AGGREGATE @extschema@.kpi_nps(smallint) (
	SFUNC = @extschema@.kpi_nps_accum, STYPE = @extschema@.kpi_scores, SSPACE = 96,
	FINALFUNC = @extschema@.kpi_nps, COMBINEFUNC = @extschema@.kpi_scores_combine,
	MSFUNC = @extschema@.kpi_nps_accum, MINVFUNC = @extschema@.kpi_scores_retract,
	MSTYPE = @extschema@.kpi_scores, MSSPACE = 96, MINITCOND = '{}', MFINALFUNC = @extschema@.kpi_nps,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_nps(smallint) IS 'Net Promoter Score of 0..10 answers, in [-100, 100]';

-- ==================================================================
-- Period-over-period change
-- ==================================================================

CREATE FUNCTION @extschema@.kpi_change(current numeric, previous numeric) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_change_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_change(current double precision, previous double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_change_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_change(current bigint, previous bigint) RETURNS numeric
	AS 'MODULE_PATHNAME', 'kpi_change_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_change(numeric, numeric) IS '% change from previous to current: 100 * (current - previous) / |previous|; NULL when previous is 0';
COMMENT ON FUNCTION @extschema@.kpi_change(double precision, double precision) IS '% change from previous to current: 100 * (current - previous) / |previous|; NULL when previous is 0';
COMMENT ON FUNCTION @extschema@.kpi_change(bigint, bigint) IS '% change from previous to current: 100 * (current - previous) / |previous|; NULL when previous is 0';

-- ==================================================================
-- Durations: kpi_hist
-- ==================================================================
-- BEGIN kpi_hist
-- A kpi_hist is the distribution of durations: exact count, pending, sum,
-- min and max, and log-scale buckets within 1%.  The aggregates keep a
-- kpi_hist as their transition state (not internal, so Citus can push
-- partial aggregation down), updated in place by the transition functions.

CREATE TYPE @extschema@.kpi_hist;

CREATE FUNCTION @extschema@.kpi_hist_in(cstring) RETURNS @extschema@.kpi_hist
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_out(@extschema@.kpi_hist) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_recv(internal) RETURNS @extschema@.kpi_hist
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_send(@extschema@.kpi_hist) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.kpi_hist (
	INPUT = @extschema@.kpi_hist_in,
	OUTPUT = @extschema@.kpi_hist_out,
	RECEIVE = @extschema@.kpi_hist_recv,
	SEND = @extschema@.kpi_hist_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.kpi_hist IS
	'distribution of durations: exact count, pending, mean, min, max and percentiles within 1%; mergeable';
COMMENT ON FUNCTION @extschema@.kpi_hist_in(cstring) IS 'text input of kpi_hist';
COMMENT ON FUNCTION @extschema@.kpi_hist_out(@extschema@.kpi_hist) IS 'text output of kpi_hist';
COMMENT ON FUNCTION @extschema@.kpi_hist_recv(internal) IS 'binary input of kpi_hist';
COMMENT ON FUNCTION @extschema@.kpi_hist_send(@extschema@.kpi_hist) IS 'binary output of kpi_hist';

-- Transition, inverse, combine and final functions.  Not strict: NULL rows
-- are skipped, the first row creates the state.
CREATE FUNCTION @extschema@.kpi_hist_accum(@extschema@.kpi_hist, interval)
	RETURNS @extschema@.kpi_hist AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_accum(@extschema@.kpi_hist, timestamptz, timestamptz)
	RETURNS @extschema@.kpi_hist AS 'MODULE_PATHNAME', 'kpi_hist_accum2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_retract(@extschema@.kpi_hist, interval)
	RETURNS @extschema@.kpi_hist AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_retract(@extschema@.kpi_hist, timestamptz, timestamptz)
	RETURNS @extschema@.kpi_hist AS 'MODULE_PATHNAME', 'kpi_hist_retract2' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_combine(@extschema@.kpi_hist, @extschema@.kpi_hist)
	RETURNS @extschema@.kpi_hist AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_final(@extschema@.kpi_hist)
	RETURNS @extschema@.kpi_hist AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_mean_final(@extschema@.kpi_hist)
	RETURNS interval AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_hist_accum(@extschema@.kpi_hist, interval) IS 'transition function of kpi_hist(interval)';
COMMENT ON FUNCTION @extschema@.kpi_hist_accum(@extschema@.kpi_hist, timestamptz, timestamptz) IS 'transition function of kpi_hist(timestamptz, timestamptz), kpi_avg_wait and kpi_avg_resolution';
COMMENT ON FUNCTION @extschema@.kpi_hist_retract(@extschema@.kpi_hist, interval) IS 'inverse transition of kpi_hist(interval) for moving windows; NULL asks for a recount';
COMMENT ON FUNCTION @extschema@.kpi_hist_retract(@extschema@.kpi_hist, timestamptz, timestamptz) IS 'inverse transition of the two-timestamp kpi_hist aggregates for moving windows; NULL asks for a recount';
COMMENT ON FUNCTION @extschema@.kpi_hist_combine(@extschema@.kpi_hist, @extschema@.kpi_hist) IS 'combine function of the kpi_hist aggregates and transition of kpi_merge: adds the second histogram into the first';
COMMENT ON FUNCTION @extschema@.kpi_hist_final(@extschema@.kpi_hist) IS 'final function of the kpi_hist aggregates: the compact stored form';
COMMENT ON FUNCTION @extschema@.kpi_hist_mean_final(@extschema@.kpi_hist) IS 'final function of kpi_avg_wait and kpi_avg_resolution: the exact mean';

-- SSPACE: a small group's state is 64 to 256 bytes.
CREATE AGGREGATE @extschema@.kpi_hist(interval) (
	SFUNC = @extschema@.kpi_hist_accum,
	STYPE = @extschema@.kpi_hist,
	SSPACE = 256,
	FINALFUNC = @extschema@.kpi_hist_final,
	COMBINEFUNC = @extschema@.kpi_hist_combine,
	MSFUNC = @extschema@.kpi_hist_accum,
	MINVFUNC = @extschema@.kpi_hist_retract,
	MSTYPE = @extschema@.kpi_hist,
	MSSPACE = 256,
	MFINALFUNC = @extschema@.kpi_hist_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.kpi_hist(timestamptz, timestamptz) (
	SFUNC = @extschema@.kpi_hist_accum,
	STYPE = @extschema@.kpi_hist,
	SSPACE = 256,
	FINALFUNC = @extschema@.kpi_hist_final,
	COMBINEFUNC = @extschema@.kpi_hist_combine,
	MSFUNC = @extschema@.kpi_hist_accum,
	MINVFUNC = @extschema@.kpi_hist_retract,
	MSTYPE = @extschema@.kpi_hist,
	MSSPACE = 256,
	MFINALFUNC = @extschema@.kpi_hist_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.kpi_merge(@extschema@.kpi_hist) (
	SFUNC = @extschema@.kpi_hist_combine,
	STYPE = @extschema@.kpi_hist,
	SSPACE = 1024,
	FINALFUNC = @extschema@.kpi_hist_final,
	COMBINEFUNC = @extschema@.kpi_hist_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.kpi_avg_wait(timestamptz, timestamptz) (
	SFUNC = @extschema@.kpi_hist_accum,
	STYPE = @extschema@.kpi_hist,
	SSPACE = 256,
	FINALFUNC = @extschema@.kpi_hist_mean_final,
	COMBINEFUNC = @extschema@.kpi_hist_combine,
	MSFUNC = @extschema@.kpi_hist_accum,
	MINVFUNC = @extschema@.kpi_hist_retract,
	MSTYPE = @extschema@.kpi_hist,
	MSSPACE = 256,
	MFINALFUNC = @extschema@.kpi_hist_mean_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.kpi_avg_resolution(timestamptz, timestamptz) (
	SFUNC = @extschema@.kpi_hist_accum,
	STYPE = @extschema@.kpi_hist,
	SSPACE = 256,
	FINALFUNC = @extschema@.kpi_hist_mean_final,
	COMBINEFUNC = @extschema@.kpi_hist_combine,
	MSFUNC = @extschema@.kpi_hist_accum,
	MINVFUNC = @extschema@.kpi_hist_retract,
	MSTYPE = @extschema@.kpi_hist,
	MSSPACE = 256,
	MFINALFUNC = @extschema@.kpi_hist_mean_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_hist(interval) IS 'histogram of durations';
COMMENT ON AGGREGATE @extschema@.kpi_hist(timestamptz, timestamptz) IS 'histogram of finished - started; rows with finished NULL count as pending';
COMMENT ON AGGREGATE @extschema@.kpi_merge(@extschema@.kpi_hist) IS 'merges histograms exactly: the merge of parts equals the histogram of the whole';
COMMENT ON AGGREGATE @extschema@.kpi_avg_wait(timestamptz, timestamptz) IS 'exact mean of first reply - created over answered rows';
COMMENT ON AGGREGATE @extschema@.kpi_avg_resolution(timestamptz, timestamptz) IS 'exact mean of resolved - created over resolved rows';

CREATE FUNCTION @extschema@.kpi_hist_add(@extschema@.kpi_hist, @extschema@.kpi_hist)
	RETURNS @extschema@.kpi_hist AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_hist_add(@extschema@.kpi_hist, @extschema@.kpi_hist) IS 'merges two histograms exactly';
CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.kpi_hist,
	RIGHTARG = @extschema@.kpi_hist,
	FUNCTION = @extschema@.kpi_hist_add,
	COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.kpi_hist, @extschema@.kpi_hist) IS 'merges two histograms exactly';

-- Accessors
CREATE FUNCTION @extschema@.kpi_count(@extschema@.kpi_hist) RETURNS bigint
	AS 'MODULE_PATHNAME', 'kpi_hist_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_pending(@extschema@.kpi_hist) RETURNS bigint
	AS 'MODULE_PATHNAME', 'kpi_hist_pending' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_mean(@extschema@.kpi_hist) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_hist_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_min(@extschema@.kpi_hist) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_hist_min' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_max(@extschema@.kpi_hist) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_hist_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_percentile(@extschema@.kpi_hist, double precision) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_hist_percentile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_percentile(@extschema@.kpi_hist, double precision[]) RETURNS interval[]
	AS 'MODULE_PATHNAME', 'kpi_hist_percentiles' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_median(@extschema@.kpi_hist) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_hist_median' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_share_within(@extschema@.kpi_hist, interval) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_hist_share_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_buckets(@extschema@.kpi_hist,
	OUT lower interval, OUT upper interval, OUT count bigint) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'kpi_hist_buckets' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
CREATE FUNCTION @extschema@.kpi_sparkline(@extschema@.kpi_hist) RETURNS text
	AS 'MODULE_PATHNAME', 'kpi_hist_sparkline' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_jsonb(@extschema@.kpi_hist) RETURNS jsonb
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (@extschema@.kpi_hist AS jsonb)
	WITH FUNCTION @extschema@.kpi_hist_jsonb(@extschema@.kpi_hist);
COMMENT ON FUNCTION @extschema@.kpi_count(@extschema@.kpi_hist) IS 'number of durations counted (pending rows excluded)';
COMMENT ON FUNCTION @extschema@.kpi_pending(@extschema@.kpi_hist) IS 'number of rows still open (finished is NULL)';
COMMENT ON FUNCTION @extschema@.kpi_mean(@extschema@.kpi_hist) IS 'exact mean duration, rounded to the microsecond like avg()';
COMMENT ON FUNCTION @extschema@.kpi_min(@extschema@.kpi_hist) IS 'exact shortest duration';
COMMENT ON FUNCTION @extschema@.kpi_max(@extschema@.kpi_hist) IS 'exact longest duration';
COMMENT ON FUNCTION @extschema@.kpi_percentile(@extschema@.kpi_hist, double precision) IS 'percentile_disc(p) of the durations, within 1%';
COMMENT ON FUNCTION @extschema@.kpi_percentile(@extschema@.kpi_hist, double precision[]) IS 'percentile_disc of the durations at each fraction, within 1%; NULL fractions give NULL';
COMMENT ON FUNCTION @extschema@.kpi_median(@extschema@.kpi_hist) IS 'median duration (percentile_disc(0.5)), within 1%';
COMMENT ON FUNCTION @extschema@.kpi_share_within(@extschema@.kpi_hist, interval) IS 'percent of durations <= target; exact except for durations within 1% of target';
COMMENT ON FUNCTION @extschema@.kpi_buckets(@extschema@.kpi_hist) IS 'the non-empty buckets: [lower, upper) and count';
COMMENT ON FUNCTION @extschema@.kpi_sparkline(@extschema@.kpi_hist) IS 'one-line picture of the distribution, log-spaced, with min and max';
COMMENT ON FUNCTION @extschema@.kpi_hist_jsonb(@extschema@.kpi_hist) IS 'kpi_hist as jsonb: count, pending, mean/min/max/p50/p90/p99 in seconds, buckets';
-- Equality and a hash operator class, so a kpi_hist column works in GROUP BY,
-- DISTINCT and UNION (summaries have no meaningful order, so no btree class).
CREATE FUNCTION @extschema@.kpi_hist_eq(@extschema@.kpi_hist, @extschema@.kpi_hist) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_ne(@extschema@.kpi_hist, @extschema@.kpi_hist) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_hash(@extschema@.kpi_hist) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_hist_eq(@extschema@.kpi_hist, @extschema@.kpi_hist) IS 'whether two kpi_hist values are the same summary';
COMMENT ON FUNCTION @extschema@.kpi_hist_ne(@extschema@.kpi_hist, @extschema@.kpi_hist) IS 'whether two kpi_hist values differ';
COMMENT ON FUNCTION @extschema@.kpi_hist_hash(@extschema@.kpi_hist) IS 'hash of a kpi_hist value, for hash aggregation and joins';
CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.kpi_hist, RIGHTARG = @extschema@.kpi_hist,
	FUNCTION = @extschema@.kpi_hist_eq, COMMUTATOR = OPERATOR(@extschema@.=),
	NEGATOR = OPERATOR(@extschema@.<>), RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.kpi_hist, RIGHTARG = @extschema@.kpi_hist,
	FUNCTION = @extschema@.kpi_hist_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
	NEGATOR = OPERATOR(@extschema@.=), RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR CLASS @extschema@.kpi_hist_hash_ops DEFAULT FOR TYPE @extschema@.kpi_hist USING hash AS
	OPERATOR 1 @extschema@.= (@extschema@.kpi_hist, @extschema@.kpi_hist),
	FUNCTION 1 @extschema@.kpi_hist_hash(@extschema@.kpi_hist);

-- END kpi_hist

-- ==================================================================
-- Churn and retention
-- ==================================================================
-- BEGIN churn
-- The transition state of kpi_churn, kpi_retention and kpi_revenue_churn:
-- the period, the customers active at its start and lost during it, and for
-- revenue the two mrr sums.  A real type with exact text I/O, so Citus can
-- push partial aggregation down to its shards.
CREATE TYPE @extschema@.kpi_churn_state;

CREATE FUNCTION @extschema@.kpi_churn_state_in(cstring) RETURNS @extschema@.kpi_churn_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_churn_state_out(@extschema@.kpi_churn_state) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_churn_state_recv(internal) RETURNS @extschema@.kpi_churn_state
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_churn_state_send(@extschema@.kpi_churn_state) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.kpi_churn_state (
	INPUT = @extschema@.kpi_churn_state_in,
	OUTPUT = @extschema@.kpi_churn_state_out,
	RECEIVE = @extschema@.kpi_churn_state_recv,
	SEND = @extschema@.kpi_churn_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.kpi_churn_state IS
	'transition state of kpi_churn, kpi_retention and kpi_revenue_churn: the period, customers active at its start and lost in it, and the mrr sums';
COMMENT ON FUNCTION @extschema@.kpi_churn_state_in(cstring) IS 'input function of kpi_churn_state';
COMMENT ON FUNCTION @extschema@.kpi_churn_state_out(@extschema@.kpi_churn_state) IS 'output function of kpi_churn_state';
COMMENT ON FUNCTION @extschema@.kpi_churn_state_recv(internal) IS 'binary input function of kpi_churn_state';
COMMENT ON FUNCTION @extschema@.kpi_churn_state_send(@extschema@.kpi_churn_state) IS 'binary output function of kpi_churn_state';

-- Transition functions.  They are not strict: a NULL customer_until means a
-- customer who has not left, and a NULL customer_since, period or mrr leaves
-- the state as it is.  The first row creates the state in the aggregate's
-- memory, where later rows update it in place.
CREATE FUNCTION @extschema@.kpi_churn_accum(@extschema@.kpi_churn_state, timestamptz, timestamptz, tstzrange)
	RETURNS @extschema@.kpi_churn_state
	AS 'MODULE_PATHNAME', 'kpi_churn_ts_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_churn_accum(@extschema@.kpi_churn_state, date, date, daterange)
	RETURNS @extschema@.kpi_churn_state
	AS 'MODULE_PATHNAME', 'kpi_churn_date_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_revenue_churn_accum(@extschema@.kpi_churn_state, timestamptz, timestamptz, tstzrange, numeric)
	RETURNS @extschema@.kpi_churn_state
	AS 'MODULE_PATHNAME', 'kpi_revenue_churn_ts_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_revenue_churn_accum(@extschema@.kpi_churn_state, date, date, daterange, numeric)
	RETURNS @extschema@.kpi_churn_state
	AS 'MODULE_PATHNAME', 'kpi_revenue_churn_date_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_churn_combine(@extschema@.kpi_churn_state, @extschema@.kpi_churn_state)
	RETURNS @extschema@.kpi_churn_state AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_revenue_churn_combine(@extschema@.kpi_churn_state, @extschema@.kpi_churn_state)
	RETURNS @extschema@.kpi_churn_state AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_churn_final(@extschema@.kpi_churn_state) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_retention_final(@extschema@.kpi_churn_state) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_revenue_churn_final(@extschema@.kpi_churn_state) RETURNS double precision
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_churn_accum(@extschema@.kpi_churn_state, timestamptz, timestamptz, tstzrange) IS
	'transition function of kpi_churn and kpi_retention (timestamptz)';
COMMENT ON FUNCTION @extschema@.kpi_churn_accum(@extschema@.kpi_churn_state, date, date, daterange) IS
	'transition function of kpi_churn and kpi_retention (date)';
COMMENT ON FUNCTION @extschema@.kpi_revenue_churn_accum(@extschema@.kpi_churn_state, timestamptz, timestamptz, tstzrange, numeric) IS
	'transition function of kpi_revenue_churn (timestamptz)';
COMMENT ON FUNCTION @extschema@.kpi_revenue_churn_accum(@extschema@.kpi_churn_state, date, date, daterange, numeric) IS
	'transition function of kpi_revenue_churn (date)';
COMMENT ON FUNCTION @extschema@.kpi_churn_combine(@extschema@.kpi_churn_state, @extschema@.kpi_churn_state) IS
	'combine function of kpi_churn and kpi_retention: adds the second state into the first; they must share the period';
COMMENT ON FUNCTION @extschema@.kpi_revenue_churn_combine(@extschema@.kpi_churn_state, @extschema@.kpi_churn_state) IS
	'combine function of kpi_revenue_churn: adds the second state into the first; they must share the period';
COMMENT ON FUNCTION @extschema@.kpi_churn_final(@extschema@.kpi_churn_state) IS
	'logo churn in percent of a state: 100 * lost / active; NULL when nobody was active at the start';
COMMENT ON FUNCTION @extschema@.kpi_retention_final(@extschema@.kpi_churn_state) IS
	'retention in percent of a state: 100 - logo churn; NULL when nobody was active at the start';
COMMENT ON FUNCTION @extschema@.kpi_revenue_churn_final(@extschema@.kpi_churn_state) IS
	'revenue churn in percent of a revenue state: 100 * lost_mrr / active_mrr; NULL when no revenue was active at the start';

-- Aggregates.  SSPACE: a logo state is 48 bytes; a revenue state is an
-- expanded object with two of core's numeric sum accumulators, about 1 kB.
CREATE AGGREGATE @extschema@.kpi_churn(customer_since timestamptz, customer_until timestamptz, period tstzrange) (
	SFUNC = @extschema@.kpi_churn_accum, STYPE = @extschema@.kpi_churn_state, SSPACE = 48,
	FINALFUNC = @extschema@.kpi_churn_final, COMBINEFUNC = @extschema@.kpi_churn_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.kpi_churn(customer_since date, customer_until date, period daterange) (
	SFUNC = @extschema@.kpi_churn_accum, STYPE = @extschema@.kpi_churn_state, SSPACE = 48,
	FINALFUNC = @extschema@.kpi_churn_final, COMBINEFUNC = @extschema@.kpi_churn_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.kpi_retention(customer_since timestamptz, customer_until timestamptz, period tstzrange) (
	SFUNC = @extschema@.kpi_churn_accum, STYPE = @extschema@.kpi_churn_state, SSPACE = 48,
	FINALFUNC = @extschema@.kpi_retention_final, COMBINEFUNC = @extschema@.kpi_churn_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.kpi_retention(customer_since date, customer_until date, period daterange) (
	SFUNC = @extschema@.kpi_churn_accum, STYPE = @extschema@.kpi_churn_state, SSPACE = 48,
	FINALFUNC = @extschema@.kpi_retention_final, COMBINEFUNC = @extschema@.kpi_churn_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.kpi_revenue_churn(customer_since timestamptz, customer_until timestamptz, period tstzrange, mrr numeric) (
	SFUNC = @extschema@.kpi_revenue_churn_accum, STYPE = @extschema@.kpi_churn_state, SSPACE = 1024,
	FINALFUNC = @extschema@.kpi_revenue_churn_final, COMBINEFUNC = @extschema@.kpi_revenue_churn_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.kpi_revenue_churn(customer_since date, customer_until date, period daterange, mrr numeric) (
	SFUNC = @extschema@.kpi_revenue_churn_accum, STYPE = @extschema@.kpi_churn_state, SSPACE = 1024,
	FINALFUNC = @extschema@.kpi_revenue_churn_final, COMBINEFUNC = @extschema@.kpi_revenue_churn_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_churn(timestamptz, timestamptz, tstzrange) IS
	'logo churn in percent: customers lost during the period / customers active at its start (since <= lower(period) < coalesce(until, infinity))';
COMMENT ON AGGREGATE @extschema@.kpi_churn(date, date, daterange) IS
	'logo churn in percent: customers lost during the period / customers active at its start (since <= lower(period) < coalesce(until, infinity))';
COMMENT ON AGGREGATE @extschema@.kpi_retention(timestamptz, timestamptz, tstzrange) IS
	'retention in percent: 100 - kpi_churn';
COMMENT ON AGGREGATE @extschema@.kpi_retention(date, date, daterange) IS
	'retention in percent: 100 - kpi_churn';
COMMENT ON AGGREGATE @extschema@.kpi_revenue_churn(timestamptz, timestamptz, tstzrange, numeric) IS
	'revenue churn in percent: mrr of customers lost during the period / mrr of customers active at its start';
COMMENT ON AGGREGATE @extschema@.kpi_revenue_churn(date, date, daterange, numeric) IS
	'revenue churn in percent: mrr of customers lost during the period / mrr of customers active at its start';
-- END churn
