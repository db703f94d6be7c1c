-- kpi_hist: building histograms; exact count, pending, mean, min, max
\set VERBOSITY terse

-- Over no non-NULL input every aggregate returns NULL
SELECT kpi_hist(d) IS NULL AS no_rows FROM (SELECT NULL::interval d WHERE false) s;
SELECT kpi_hist(d) IS NULL AS null_rows FROM (VALUES (NULL::interval), (NULL)) v(d);
SELECT kpi_hist(a, b) IS NULL AS started_null,
       kpi_avg_wait(a, b) IS NULL AS avg_wait_null
  FROM (VALUES (NULL::timestamptz, now()), (NULL, NULL)) v(a, b);
SELECT kpi_merge(h) IS NULL AS merge_of_nulls FROM (VALUES (NULL::kpi_hist)) v(h);

-- A small histogram, shown in full (the text form is the stored format)
SELECT kpi_hist(d) FROM (VALUES (interval '1 hour'), ('2 hours'), ('3 minutes'), (NULL)) v(d);

-- Two-timestamp form: finished - started; finished NULL = pending; started NULL = skipped
CREATE TABLE hist_tickets (created timestamptz, replied timestamptz, resolved timestamptz);
INSERT INTO hist_tickets VALUES
  ('2024-01-01 09:00+00', '2024-01-01 09:30+00', '2024-01-02 09:00+00'),
  ('2024-01-01 10:00+00', '2024-01-01 12:15+00', NULL),
  ('2024-01-01 11:00+00', NULL, NULL),
  ('2024-01-01 12:00+00', '2024-01-01 11:59+00', '2024-01-01 13:00+00'),
  (NULL, '2024-01-01 12:00+00', '2024-01-01 12:00+00');
SELECT kpi_count(w) AS answered, kpi_pending(w) AS unanswered,
       kpi_min(w) AS min_wait, kpi_max(w) AS max_wait, kpi_mean(w) AS mean_wait,
       kpi_count(r) AS resolved, kpi_pending(r) AS open
  FROM (SELECT kpi_hist(created, replied) w, kpi_hist(created, resolved) r FROM hist_tickets) s;
SELECT kpi_avg_wait(created, replied) = avg(replied - created) AS avg_wait_equals_avg,
       kpi_avg_resolution(created, resolved) = avg(resolved - created) AS avg_resolution_equals_avg
  FROM hist_tickets;
-- only open rows: count 0, pending 2; no mean, min, max, percentile
SELECT kpi_count(h), kpi_pending(h), kpi_mean(h), kpi_min(h), kpi_max(h),
       kpi_median(h), kpi_percentile(h, array[0.5]), kpi_share_within(h, '1 hour'),
       kpi_sparkline(h), h::jsonb
  FROM (SELECT kpi_hist(created, resolved) h FROM hist_tickets WHERE resolved IS NULL) s;
SELECT kpi_avg_resolution(created, resolved) IS NULL AS avg_of_open_rows_is_null
  FROM hist_tickets WHERE resolved IS NULL;

-- Months count as 30 days and days as 24 hours, as interval comparison does
SELECT kpi_max(kpi_hist(d)) = max(d) AS max_equal, kpi_min(kpi_hist(d)) = min(d) AS min_equal,
       kpi_max(kpi_hist(d)) AS max, kpi_min(kpi_hist(d)) AS min
  FROM (VALUES (interval '1 month'), ('29 days 23:59:59'), ('-1 mon 1 day'), ('1 day -1 hour')) v(d);

-- Exact statistics against the built-ins, on deterministic data sets
SELECT setseed(0.42);
CREATE TABLE hist_build_data AS
SELECT 'lognormal' AS name,
       interval '1 microsecond' * round(7.2e9 * exp(1.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))) AS d
  FROM generate_series(1, 20000)
UNION ALL
SELECT 'mixed fields', make_interval(days => (random() * 400)::int, hours => (random() * 48)::int,
       secs => random() * 3600) FROM generate_series(1, 5000)
UNION ALL
SELECT 'negative', interval '1 second' * (random() * 43200 - 7200)::int FROM generate_series(1, 5000)
UNION ALL
SELECT 'decades', interval '1 day' * (random() * 36525)::int + interval '1 microsecond' * (random() * 86400e6)::bigint
  FROM generate_series(1, 5000)
UNION ALL
SELECT 'one row', interval '42 minutes';

-- kpi_mean is the exact mean rounded to the microsecond (half to even, as
-- rint does): within half a microsecond of the exact numeric average.
-- avg(interval) divides with float arithmetic and rounds the day and time
-- parts separately (interval_div), so it can be off from the exact mean by
-- one microsecond; kpi_mean is compared with it within 1 us, and the count
-- of exact matches shows how rare that is.
SELECT name, kpi_count(kpi_hist(d)) = count(d) AS count_ok, kpi_min(kpi_hist(d)) = min(d) AS min_ok,
       kpi_max(kpi_hist(d)) = max(d) AS max_ok,
       abs(extract(epoch FROM kpi_mean(kpi_hist(d))) - avg(extract(epoch FROM d))) <= 0.0000005 AS mean_exact,
       abs(extract(epoch FROM kpi_mean(kpi_hist(d)) - avg(d))) <= 0.000001 AS mean_vs_avg_within_1us,
       kpi_mean(kpi_hist(d)) = avg(d) AS mean_equals_avg
  FROM hist_build_data GROUP BY name ORDER BY name;

-- Why avg() can be 1 us off: one day and 4 us over 7 rows.  The exact mean
-- is 12342857143.43 us; avg() rounds the day's share (12342.857142857 s) to
-- 12342.857143 s first, then adds 4/7 us and rounds again: 12342857144 us.
SELECT kpi_mean(kpi_hist(d)) AS kpi_mean, avg(d) AS avg,
       avg(extract(epoch FROM d)) AS exact_seconds,
       kpi_mean(kpi_hist(d)) = avg(d) AS equal,
       abs(extract(epoch FROM kpi_mean(kpi_hist(d)) - avg(d))) <= 0.000001 AS within_1us
  FROM (VALUES (interval '1 day'), ('4 microseconds'), ('0'), ('0'), ('0'), ('0'), ('0')) v(d);

-- per group, 10k groups of ~40 rows
CREATE TABLE hist_groups AS
SELECT i % 10000 AS g,
       interval '1 microsecond' * round(7.2e9 * exp(1.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))) AS d
  FROM generate_series(1, 400000) i;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE c AND mn AND mx AND me) AS exact_groups,
       count(*) FILTER (WHERE me_avg) AS mean_equals_avg_groups
  FROM (SELECT g, kpi_count(kpi_hist(d)) = count(d) c, kpi_min(kpi_hist(d)) = min(d) mn,
               kpi_max(kpi_hist(d)) = max(d) mx,
               abs(extract(epoch FROM kpi_mean(kpi_hist(d))) - avg(extract(epoch FROM d))) <= 0.0000005 me,
               abs(extract(epoch FROM kpi_mean(kpi_hist(d)) - avg(d))) <= 0.000001 me_avg
          FROM hist_groups GROUP BY g) s;

-- kpi_avg_wait / kpi_avg_resolution equal kpi_mean of the histogram, open rows skipped
SELECT kpi_avg_wait(a, b) = kpi_mean(kpi_hist(a, b)) AS same_as_mean,
       abs(extract(epoch FROM kpi_avg_resolution(a, b)) - avg(extract(epoch FROM b - a))) <= 0.0000005 AS exact
  FROM (SELECT timestamptz '2024-01-01' + interval '1 minute' * i AS a,
               CASE WHEN i % 7 = 0 THEN NULL ELSE timestamptz '2024-01-01' + interval '1 minute' * i + interval '1 second' * (i * 37 % 10000) END AS b
          FROM generate_series(1, 5000) i) s;

-- A kpi_hist is mergeable: a daily materialized summary rolls up to the whole
CREATE TABLE hist_daily AS
SELECT date_trunc('day', created) AS day, kpi_hist(created, replied) AS wait
  FROM (SELECT timestamptz '2024-01-01' + interval '17 minutes' * i AS created,
               CASE WHEN i % 19 = 0 THEN NULL
                    ELSE timestamptz '2024-01-01' + interval '17 minutes' * i + interval '1 second' * (i * 7919 % 50000) END AS replied
          FROM generate_series(1, 20000) i) s
 GROUP BY 1;
SELECT count(*) AS days FROM hist_daily;
SELECT (SELECT kpi_merge(wait) FROM hist_daily)::text =
       (SELECT kpi_hist(timestamptz '2024-01-01' + interval '17 minutes' * i,
                        CASE WHEN i % 19 = 0 THEN NULL
                             ELSE timestamptz '2024-01-01' + interval '17 minutes' * i + interval '1 second' * (i * 7919 % 50000) END)
          FROM generate_series(1, 20000) i)::text AS merge_equals_whole;
-- in any order, and with the + operator
SELECT (SELECT kpi_merge(wait ORDER BY day DESC) FROM hist_daily)::text =
       (SELECT kpi_merge(wait ORDER BY day) FROM hist_daily)::text AS order_independent;
WITH RECURSIVE r(n, h) AS (
  SELECT 1, (SELECT wait FROM hist_daily ORDER BY day LIMIT 1)
  UNION ALL
  SELECT n + 1, h + (SELECT wait FROM hist_daily ORDER BY day OFFSET n LIMIT 1)
    FROM r WHERE n < (SELECT count(*) FROM hist_daily))
SELECT (SELECT h FROM r ORDER BY n DESC LIMIT 1)::text = (SELECT kpi_merge(wait) FROM hist_daily)::text AS plus_equals_merge;
SELECT (wait + NULL) IS NULL AS plus_null_is_null FROM hist_daily LIMIT 1;
