-- A forced parallel plan (Partial Aggregate in workers, combined in the
-- leader) gives the same results as a serial plan.
CREATE TABLE big_survey AS
SELECT i % 7 AS team,
       CASE WHEN i % 13 = 0 THEN NULL ELSE (1 + (i::bigint * 7919) % 5)::int END AS csat,
       CASE WHEN i % 17 = 0 THEN NULL ELSE ((i::bigint * 104729) % 11)::int END AS nps
FROM generate_series(1, 300000) i;
ANALYZE big_survey;

SET max_parallel_workers_per_gather = 0;
CREATE TABLE scores_serial_result AS
SELECT team, kpi_csat(csat) AS csat, kpi_nps(nps) AS nps, kpi_scores(nps)::text AS summary,
       kpi_csat(nps, 8) AS csat8, kpi_csat(csat > 3) AS thumbs
FROM big_survey GROUP BY team;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT team, kpi_csat(csat), kpi_nps(nps), kpi_scores(nps)::text, kpi_csat(nps, 8), kpi_csat(csat > 3)
FROM big_survey GROUP BY team;
EXPLAIN (COSTS OFF) SELECT kpi_csat(csat) FROM big_survey;

SELECT count(*) AS teams,
       bool_and(p.csat = s.csat AND p.nps = s.nps AND p.summary = s.summary
                AND p.csat8 = s.csat8 AND p.thumbs = s.thumbs) AS parallel_equals_serial
FROM (SELECT team, kpi_csat(csat) AS csat, kpi_nps(nps) AS nps, kpi_scores(nps)::text AS summary,
             kpi_csat(nps, 8) AS csat8, kpi_csat(csat > 3) AS thumbs
      FROM big_survey GROUP BY team) p
JOIN scores_serial_result s USING (team);
SELECT (SELECT kpi_csat(csat) FROM big_survey) =
       (SELECT 100 * (count(*) FILTER (WHERE csat >= 4))::float8 / count(csat) FROM big_survey) AS whole_table_exact;
RESET ALL;
