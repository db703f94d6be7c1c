-- kpi 1.0 -> 1.1.  CREATE EXTENSION kpi (1.1) runs kpi--1.0.sql and then
-- this script (make concatenates them into kpi--1.1.sql), so every object
-- added in 1.1 is written once, here.  Same rules as kpi--1.0.sql: every
-- object named kpi_*, cross-references qualified with @extschema@ and
-- pg_catalog, a COMMENT ON for each, true volatility and strictness.
-- Features append their own section below the last one.
\echo Use "ALTER EXTENSION kpi UPDATE TO '1.1'" to load this file. \quit

-- ==================================================================
-- Is the change real? Significance tests (kpi_csat_test, kpi_nps_test,
-- kpi_rate_change, kpi_rate_test)
-- ==================================================================
-- BEGIN significance
-- Two-sided p-values: is a change between two periods more than chance?
-- NULL where there is nothing to compare (an empty summary; no counts at
-- all for kpi_rate_test; a previous count of 0 for kpi_rate_change, as
-- kpi_change).  A period's length is its exact elapsed time: microseconds
-- of a tstzrange, days of a daterange.
CREATE FUNCTION @extschema@.kpi_csat_test(a @extschema@.kpi_scores, b @extschema@.kpi_scores)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_csat_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_csat_test(a @extschema@.kpi_scores, b @extschema@.kpi_scores, satisfied_min integer)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_csat_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_nps_test(a @extschema@.kpi_scores, b @extschema@.kpi_scores)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_nps_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_rate_change(current bigint, current_period tstzrange,
											previous bigint, previous_period tstzrange)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_rate_change' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_rate_change(current bigint, current_period daterange,
											previous bigint, previous_period daterange)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_rate_change' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_rate_test(current bigint, current_period tstzrange,
										  previous bigint, previous_period tstzrange)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_rate_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_rate_test(current bigint, current_period daterange,
										  previous bigint, previous_period daterange)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_rate_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_csat_test(@extschema@.kpi_scores, @extschema@.kpi_scores) IS
	'two-sided p-value of the CSAT change from b to a (scores 4..5 of 1..5 satisfied): pooled two-proportion z-test; NULL if either is empty';
COMMENT ON FUNCTION @extschema@.kpi_csat_test(@extschema@.kpi_scores, @extschema@.kpi_scores, integer) IS
	'two-sided p-value of the CSAT change from b to a, scores >= satisfied_min satisfied: pooled two-proportion z-test; NULL if either is empty';
COMMENT ON FUNCTION @extschema@.kpi_nps_test(@extschema@.kpi_scores, @extschema@.kpi_scores) IS
	'two-sided p-value of the NPS change from b to a: z = (NPS_a - NPS_b) / sqrt(V_a/n_a + V_b/n_b), V = p + d - (p - d)^2; NULL if either is empty';
COMMENT ON FUNCTION @extschema@.kpi_rate_change(bigint, tstzrange, bigint, tstzrange) IS
	'% change of a count per unit of time, from previous to current (periods by their exact length); NULL when previous is 0';
COMMENT ON FUNCTION @extschema@.kpi_rate_change(bigint, daterange, bigint, daterange) IS
	'% change of a count per day, from previous to current; NULL when previous is 0';
COMMENT ON FUNCTION @extschema@.kpi_rate_test(bigint, tstzrange, bigint, tstzrange) IS
	'two-sided p-value that two counts come from the same rate per unit of time: exact conditional binomial test, as binom.test; NULL when both are 0';
COMMENT ON FUNCTION @extschema@.kpi_rate_test(bigint, daterange, bigint, daterange) IS
	'two-sided p-value that two counts come from the same rate per day: exact conditional binomial test, as binom.test; NULL when both are 0';

-- END significance
