-- kpi_hist as a window aggregate: moving frames equal recomputation per frame
\set VERBOSITY terse

CREATE TABLE hist_win AS
SELECT i,
       timestamptz '2024-01-01' + interval '1 hour' * i AS created,
       CASE WHEN i % 11 = 0 THEN NULL
            ELSE timestamptz '2024-01-01' + interval '1 hour' * i + interval '1 second' * ((i * 7919) % 20000 - 1000) END AS replied,
       CASE WHEN i % 13 = 0 THEN NULL ELSE interval '1 second' * ((i * 104729) % 5000) END AS d
  FROM generate_series(1, 2000) i;

-- each frame's value against the aggregate of exactly the frame's rows
SELECT count(*) AS frames,
       bool_and(w.h::text IS NOT DISTINCT FROM (SELECT kpi_hist(d)::text FROM hist_win x WHERE x.i BETWEEN w.i - 6 AND w.i)) AS rows_frame_ok
  FROM (SELECT i, kpi_hist(d) OVER (ORDER BY i ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) h FROM hist_win) w;
SELECT count(*) AS frames,
       bool_and(w.h::text IS NOT DISTINCT FROM (SELECT kpi_hist(created, replied)::text FROM hist_win x
                                                 WHERE x.i BETWEEN w.i - 50 AND w.i + 50)) AS pending_frame_ok,
       bool_and(w.a IS NOT DISTINCT FROM (SELECT kpi_avg_wait(created, replied) FROM hist_win x
                                           WHERE x.i BETWEEN w.i - 50 AND w.i + 50)) AS avg_wait_frame_ok
  FROM (SELECT i, kpi_hist(created, replied) OVER win h, kpi_avg_wait(created, replied) OVER win a
          FROM hist_win WINDOW win AS (ORDER BY i ROWS BETWEEN 50 PRECEDING AND 50 FOLLOWING)) w;
-- a frame of NULL rows is NULL; a running total (frame start fixed) too
SELECT i, d, kpi_count(kpi_hist(d) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) AS n
  FROM (VALUES (1, NULL::interval), (2, NULL), (3, interval '1 hour'), (4, NULL), (5, NULL), (6, '2 hours')) v(i, d)
 ORDER BY i;
SELECT count(*) AS rows,
       bool_and(w.h::text IS NOT DISTINCT FROM (SELECT kpi_hist(d)::text FROM hist_win x WHERE x.i <= w.i)) AS running_ok
  FROM (SELECT i, kpi_hist(d) OVER (ORDER BY i) h FROM hist_win) w;
-- percentiles of a 24-hour moving window, against percentile_disc per frame
SELECT bool_and(abs(extract(epoch FROM kpi_percentile(w.h, 0.9)) - extract(epoch FROM e)) <= 0.01 * abs(extract(epoch FROM e))) AS p90_within_1pct
  FROM (SELECT i, kpi_hist(d) OVER (ORDER BY i ROWS 23 PRECEDING) h FROM hist_win) w,
       LATERAL (SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY d) e FROM hist_win x WHERE x.i BETWEEN w.i - 23 AND w.i) p
 WHERE e IS NOT NULL;
