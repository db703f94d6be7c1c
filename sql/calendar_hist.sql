-- kpi_hist, kpi_avg_wait and kpi_avg_resolution in business time: each
-- equals the same aggregate of kpi_business_duration written in plain SQL
-- (avg, min, max, count(*) FILTER), grouped by team calendar, merged from
-- parts, in parallel and in moving windows; NULLs and errors.
SELECT setseed(0.8);
CREATE TABLE bh_team (team int, calendar kpi_calendar);
INSERT INTO bh_team VALUES
  (1, 'Europe/Prague; mon-fri 09:00-17:00; closed 2026-12-24..2026-12-26'),
  (2, 'America/New_York; mon-fri 08:00-12:00, 13:00-18:00; sat 10:00-14:00'),
  (3, 'Asia/Kolkata; mon-sun 00:00-24:00'),
  (4, 'Australia/Lord_Howe; mon-fri 22:00-24:00; tue-sat 00:00-06:00; 2026-10-04 10:00-11:00');
CREATE TABLE bh_ticket AS
SELECT k AS id, 1 + (k % 4) AS team, created,
       CASE WHEN random() < 0.1 THEN NULL ELSE created + random() ^ 3 * interval '9 days' END AS replied
FROM (SELECT k, '2026-01-01 UTC'::timestamptz + random() * interval '360 days' AS created
      FROM generate_series(1, 20000) k) x;
-- bad data stays visible: a reply before the ticket, a row without created
INSERT INTO bh_ticket VALUES (20001, 1, '2026-05-04 12:00 UTC', '2026-05-01 09:00 UTC'),
                             (20002, 2, NULL, '2026-05-01 UTC');
CREATE VIEW bh_business AS
SELECT t.*, c.calendar, kpi_business_duration(created, replied, c.calendar) AS took
FROM bh_ticket t JOIN bh_team c USING (team);

-- every exact part of the histogram, per team calendar
SELECT team,
       kpi_count(kpi_hist(created, replied, calendar)) = count(took) AS count_ok,
       kpi_pending(kpi_hist(created, replied, calendar)) =
         count(*) FILTER (WHERE created IS NOT NULL AND replied IS NULL) AS pending_ok,
       kpi_mean(kpi_hist(created, replied, calendar)) = avg(took) AS mean_ok,
       kpi_min(kpi_hist(created, replied, calendar)) = min(took) AS min_ok,
       kpi_max(kpi_hist(created, replied, calendar)) = max(took) AS max_ok,
       kpi_avg_wait(created, replied, calendar) = avg(took) AS avg_wait_ok,
       kpi_avg_resolution(created, replied, calendar) = avg(took) AS avg_resolution_ok
FROM bh_business GROUP BY team ORDER BY team;

-- percentiles within 1% of percentile_disc over the business durations
SELECT team, bool_and(abs(extract(epoch FROM kpi_percentile(h, p)) - extract(epoch FROM d))
                      <= 0.01 * abs(extract(epoch FROM d))) AS within_1pct
FROM (SELECT team, kpi_hist(created, replied, calendar) AS h FROM bh_business GROUP BY team) k
JOIN (SELECT team, p, percentile_disc(p) WITHIN GROUP (ORDER BY took) AS d
      FROM bh_business, unnest(ARRAY[0.5, 0.9, 0.99]) p GROUP BY team, p) r USING (team)
GROUP BY team ORDER BY team;

-- a 24/7 calendar is elapsed time; a closed calendar gives zeros
SELECT kpi_hist(created, replied, 'UTC; mon-sun 00:00-24:00') = kpi_hist(created, replied) AS all_week_is_elapsed,
       kpi_max(kpi_hist(created, replied, 'UTC; closed 2026-01-01')) AS max_when_never_open,
       kpi_min(kpi_hist(created, replied, 'UTC; closed 2026-01-01')) AS min_when_never_open
FROM bh_ticket WHERE replied >= created;

-- calendars compare by their normalised form: GROUP BY, DISTINCT, joins
SELECT 'europe/prague; sat 10:00-14:00; MON-FRI 09:00-17:00'::kpi_calendar =
         'Europe/Prague; mon-fri 09:00-17:00; sat 10:00-14:00' AS same_calendar,
       'Europe/Prague; mon-fri 09:00-17:00'::kpi_calendar <> 'Europe/Prague; mon-fri 09:00-17:30' AS differ,
       kpi_calendar_hash('europe/prague; MON-FRI 09:00-17:00') = kpi_calendar_hash('Europe/Prague; mon-fri 09:00-17:00')
         AS same_hash;
SELECT calendar, count(*) AS tickets, kpi_avg_wait(created, replied, calendar) = avg(took) AS avg_ok
FROM bh_business GROUP BY calendar ORDER BY tickets, calendar::text;

-- the merge of per-team histograms equals the histogram of all rows
SELECT kpi_merge(h) = (SELECT kpi_hist(created, replied, calendar) FROM bh_business) AS merge_equals_whole
FROM (SELECT kpi_hist(created, replied, calendar) AS h FROM bh_business GROUP BY team) g;

-- a parallel plan gives the same, with partial aggregation
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT kpi_hist(created, replied, calendar) FROM bh_ticket JOIN bh_team USING (team);
CREATE TABLE bh_parallel AS
SELECT kpi_hist(created, replied, calendar) AS h,
       kpi_avg_wait(created, replied, calendar) AS wait
FROM bh_ticket JOIN bh_team USING (team);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SELECT h = (SELECT kpi_hist(created, replied, calendar) FROM bh_business) AS parallel_hist_same,
       wait = (SELECT avg(took) FROM bh_business) AS parallel_avg_same
FROM bh_parallel;

-- moving windows equal the same frame recomputed
SELECT count(*) AS frames,
       count(*) FILTER (WHERE moving IS DISTINCT FROM recomputed) AS wrong,
       count(*) FILTER (WHERE moving_avg IS DISTINCT FROM recomputed_avg) AS wrong_avg
FROM (SELECT id,
             kpi_hist(created, replied, calendar) OVER w AS moving,
             kpi_avg_wait(created, replied, calendar) OVER w AS moving_avg,
             (SELECT kpi_hist(b.created, b.replied, b.calendar) FROM bh_business b
              WHERE b.id BETWEEN o.id - 50 AND o.id) AS recomputed,
             (SELECT avg(b.took) FROM bh_business b WHERE b.id BETWEEN o.id - 50 AND o.id) AS recomputed_avg
      FROM bh_business o
      WHERE id <= 2000
      WINDOW w AS (ORDER BY id ROWS BETWEEN 50 PRECEDING AND CURRENT ROW)) f;

-- NULLs: no rows or only skipped rows give NULL; a NULL calendar skips the row
SELECT kpi_hist(created, replied, calendar) IS NULL AS empty_null,
       kpi_avg_wait(created, replied, calendar) IS NULL AS avg_null
FROM bh_business WHERE false;
SELECT kpi_count(kpi_hist(created, replied, NULL::kpi_calendar)) AS null_calendar_count,
       kpi_count(kpi_hist(created, replied, CASE WHEN team = 1 THEN calendar END)) =
         (SELECT count(took) FROM bh_business WHERE team = 1) AS only_rows_with_a_calendar
FROM bh_business;

-- errors: infinite timestamps (22008), a malformed calendar (22P02), and
-- support functions outside an aggregate (0A000); message, then SQLSTATE
SELECT kpi_hist(timestamptz '2026-01-01', 'infinity', 'UTC; mon-fri 09:00-17:00');
SELECT kpi_hist(timestamptz '-infinity', NULL, 'UTC; mon-fri 09:00-17:00');
SELECT kpi_avg_wait(timestamptz '2026-01-01', '2026-01-02', 'UTC; mon-fri 09:00-27:00');
SELECT kpi_hist_accum(NULL, timestamptz '2026-01-01', '2026-01-02', 'UTC; mon-fri 09:00-17:00');
SELECT kpi_hist_retract(NULL, timestamptz '2026-01-01', '2026-01-02', 'UTC; mon-fri 09:00-17:00');
\set VERBOSITY sqlstate
SELECT kpi_hist(timestamptz '2026-01-01', 'infinity', 'UTC; mon-fri 09:00-17:00');
SELECT kpi_hist(timestamptz '-infinity', NULL, 'UTC; mon-fri 09:00-17:00');
SELECT kpi_avg_wait(timestamptz '2026-01-01', '2026-01-02', 'UTC; mon-fri 09:00-27:00');
SELECT kpi_hist_accum(NULL, timestamptz '2026-01-01', '2026-01-02', 'UTC; mon-fri 09:00-17:00');
SELECT kpi_hist_retract(NULL, timestamptz '2026-01-01', '2026-01-02', 'UTC; mon-fri 09:00-17:00');
\set VERBOSITY default
