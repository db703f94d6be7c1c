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

-- END significance
