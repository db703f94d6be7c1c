-- kpi_hist: a forced parallel plan gives the same values as a serial one
\set VERBOSITY terse

CREATE TABLE hist_par AS
SELECT i % 5 AS g,
       timestamptz '2024-01-01' + interval '1 second' * i AS created,
       CASE WHEN i % 23 = 0 THEN NULL
            ELSE timestamptz '2024-01-01' + interval '1 second' * i
                 + interval '1 microsecond' * ((i::bigint * 104729 * 7919) % 86400000000 - 600000000) END AS replied
  FROM generate_series(1, 200000) i;
ANALYZE hist_par;

CREATE TABLE hist_par_serial AS
SELECT g, kpi_hist(created, replied)::text AS h, kpi_hist(replied - created)::text AS hd,
       kpi_avg_wait(created, replied) AS w
  FROM hist_par GROUP BY g;
CREATE TABLE hist_par_serial_all AS
SELECT kpi_hist(created, replied)::text AS h FROM hist_par;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF)
SELECT kpi_hist(created, replied) FROM hist_par;
SELECT (SELECT kpi_hist(created, replied) FROM hist_par)::text = h AS parallel_equals_serial
  FROM hist_par_serial_all;

EXPLAIN (COSTS OFF)
SELECT g, kpi_hist(created, replied), kpi_hist(replied - created), kpi_avg_wait(created, replied)
  FROM hist_par GROUP BY g;
SELECT count(*) AS groups,
       bool_and(p.h::text = s.h AND p.hd::text = s.hd AND p.w = s.w) AS parallel_equals_serial
  FROM (SELECT g, kpi_hist(created, replied) h, kpi_hist(replied - created) hd,
               kpi_avg_wait(created, replied) w
          FROM hist_par GROUP BY g) p JOIN hist_par_serial s USING (g);

-- kpi_merge over summaries runs in parallel too
CREATE TABLE hist_par_daily AS
SELECT date_trunc('hour', created) AS hour, kpi_hist(created, replied) AS h FROM hist_par GROUP BY 1;
ANALYZE hist_par_daily;
EXPLAIN (COSTS OFF) SELECT kpi_merge(h) FROM hist_par_daily;
SELECT (SELECT kpi_merge(h) FROM hist_par_daily)::text = h AS parallel_merge_equals_whole
  FROM hist_par_serial_all;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- hash aggregation that spills to disk (tiny work_mem) gives the same values
CREATE TABLE hist_spill AS
SELECT i % 20000 AS g, interval '1 second' * ((i::bigint * 7919) % 100000) AS d FROM generate_series(1, 200000) i;
ANALYZE hist_spill;
SET enable_hashagg = off;
CREATE TABLE hist_spill_sorted AS SELECT g, kpi_hist(d)::text AS h FROM hist_spill GROUP BY g;
RESET enable_hashagg;
SET work_mem = '64kB';
SET enable_sort = off;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS groups, bool_and(s.h = x.h::text) AS spilled_equals_sorted
  FROM (SELECT g, kpi_hist(d) h FROM hist_spill GROUP BY g) x JOIN hist_spill_sorted s USING (g);
RESET work_mem;
RESET enable_sort;
RESET max_parallel_workers_per_gather;
