-- Every function is safe with any argument an unprivileged user can pass.
-- Each case below was a crash, a wrong answer or a value its own type's
-- input rejects.
CREATE ROLE reliability_user;
CREATE SCHEMA reliability_user AUTHORIZATION reliability_user;   -- first on its search_path
SET ROLE reliability_user;
\set VERBOSITY sqlstate

-- 1. Support functions run only inside an aggregate (0A000), as core's
-- array_agg support functions do; inverse transitions only inside a window.
SELECT kpi_scores_retract('{1:1}'::kpi_scores, 2000000000);
SELECT kpi_scores_retract('{1:1}'::kpi_scores, (-2000000000)::bigint);
SELECT kpi_scores_retract('{1:1}'::kpi_scores, (-2)::smallint);
SELECT kpi_scores_retract('{1:1}'::kpi_scores, -1);
SELECT kpi_csat_bool_retract('{}', true);
SELECT kpi_nps_accum('{5:9223372036854775807}', 9);
SELECT kpi_scores_combine('{1:1}', '{2:1}');
SELECT kpi_hist_retract(kpi_hist(v), interval '999999 microseconds')
FROM (VALUES (interval '0'), (interval '10 us'), (interval '1 s')) t(v);
SELECT kpi_hist_accum(NULL, interval '1 s');
SELECT kpi_hist_combine(NULL, kpi_hist(interval '1 s'));
-- an inverse transition inside a plain aggregate is refused too
CREATE AGGREGATE reliability_retracting(integer) (SFUNC = kpi_scores_retract, STYPE = kpi_scores, INITCOND = '{1:1}');
SELECT reliability_retracting(s) FROM (VALUES (1)) v(s);

-- ... and inside one, every argument is checked: a user-defined aggregate
-- may pair them in any way (22003 out of scale, 22023 nothing to remove)
CREATE AGGREGATE reliability_backwards(integer) (
  SFUNC = kpi_scores_accum, STYPE = kpi_scores, INITCOND = '{1:1}',
  MSFUNC = kpi_scores_retract, MINVFUNC = kpi_scores_accum, MSTYPE = kpi_scores, MINITCOND = '{1:1}');
SELECT reliability_backwards(s) OVER (ORDER BY i ROWS 1 PRECEDING) FROM (VALUES (1, 2000000000)) v(i, s);
SELECT reliability_backwards(s) OVER (ORDER BY i ROWS 1 PRECEDING) FROM (VALUES (1, -2)) v(i, s);
SELECT reliability_backwards(s) OVER (ORDER BY i ROWS 1 PRECEDING) FROM (VALUES (1, 5)) v(i, s);
CREATE AGGREGATE reliability_bool_backwards(boolean) (
  SFUNC = kpi_csat_bool_accum, STYPE = kpi_scores,
  MSFUNC = kpi_csat_bool_retract, MINVFUNC = kpi_csat_bool_accum, MSTYPE = kpi_scores, MINITCOND = '{}');
SELECT reliability_bool_backwards(b) OVER (ORDER BY b ROWS 1 PRECEDING) FROM (VALUES (true)) v(b);
-- a total past bigint from an INITCOND (22003), where the state would not
-- be readable by kpi_scores input any more, whichever score is added
CREATE AGGREGATE reliability_full_nps(integer) (
  SFUNC = kpi_nps_accum, STYPE = kpi_scores, INITCOND = '{5:9223372036854775807}');
SELECT reliability_full_nps(s) FROM (VALUES (9)) v(s);
SELECT reliability_full_nps(s) FROM (VALUES (5)) v(s);
CREATE AGGREGATE reliability_nearly_full(integer) (
  SFUNC = kpi_scores_accum, STYPE = kpi_scores, INITCOND = '{0:4611686018427387903,10:4611686018427387903}');
SELECT reliability_nearly_full(s) FROM (VALUES (3)) v(s);
SELECT reliability_nearly_full(s) FROM (VALUES (3), (4)) v(s);
-- a kpi_hist inverse handed a state it did not make asks for a recount;
-- the moving aggregate then refuses it as its forward function (22004)
CREATE AGGREGATE reliability_hist_backwards(interval) (
  SFUNC = kpi_hist_accum, STYPE = kpi_hist,
  MSFUNC = kpi_hist_retract, MINVFUNC = kpi_hist_accum, MSTYPE = kpi_hist,
  MINITCOND = 'kpi_hist v1 count=2 pending=0 sum_us=11 min_us=5 max_us=6 buckets=5:1,6:1');
SELECT reliability_hist_backwards(v) OVER (ORDER BY v ROWS 1 PRECEDING)
FROM (VALUES (interval '6 us')) t(v);
-- what a support function returns from inside a user-defined aggregate is
-- accepted by the type's input (here: an empty window state)
CREATE AGGREGATE reliability_hist_state(interval) (
  SFUNC = kpi_hist_accum, STYPE = kpi_hist,
  MSFUNC = kpi_hist_accum, MINVFUNC = kpi_hist_retract, MSTYPE = kpi_hist);
SELECT s::text, s::text::kpi_hist = s AS reads_back
FROM (SELECT reliability_hist_state(v) OVER (ORDER BY i ROWS 1 PRECEDING) AS s
      FROM (VALUES (1, NULL::interval), (2, NULL), (3, interval '5 us')) t(i, v)) x;
RESET ROLE;

-- 2. Revenue churn reads a numeric stored out of line exactly as one stored
-- inline: negative amounts are refused, large valid ones counted.
-- (pad stays in the row, so the row is too wide and mrr alone moves out)
CREATE TABLE reliability_mrr (id int, pad text, mrr numeric);
ALTER TABLE reliability_mrr ALTER mrr SET STORAGE EXTERNAL, ALTER pad SET STORAGE PLAIN;
INSERT INTO reliability_mrr
SELECT g, repeat('x', 3000),
       CASE WHEN g % 2 = 0 THEN ('1' || repeat('0', 108) || '.5')::numeric
            ELSE -9999999999999999999999999999999999999.5 END
FROM generate_series(1, 4) g;
SELECT pg_relation_size(reltoastrelid) > 0 AS mrr_stored_out_of_line FROM pg_class WHERE relname = 'reliability_mrr';
SELECT kpi_revenue_churn('2023-01-01'::date, NULL::date, daterange('2024-01-01', '2024-02-01'), mrr)
FROM reliability_mrr WHERE id = 1;
SELECT kpi_revenue_churn('2023-01-01'::date, CASE WHEN id = 2 THEN '2024-01-15'::date END,
                         daterange('2024-01-01', '2024-02-01'), mrr) AS out_of_line,
       kpi_revenue_churn('2023-01-01'::date, CASE WHEN id = 2 THEN '2024-01-15'::date END,
                         daterange('2024-01-01', '2024-02-01'), mrr + 0) AS inline
FROM reliability_mrr WHERE id % 2 = 0;

-- 3. Moving windows keep min and max exact on trending data, where every
-- row that leaves the frame is the min: equal to a recount of each frame.
WITH d AS (SELECT g, make_interval(secs => g) AS v FROM generate_series(1, 400) g)
SELECT bool_and(w.h = (SELECT kpi_hist(v) FROM d d2 WHERE d2.g BETWEEN d.g - 50 AND d.g)) AS rising_equal
FROM d, LATERAL (SELECT kpi_hist(v) OVER (ORDER BY g ROWS BETWEEN 50 PRECEDING AND CURRENT ROW) AS h, g
                 FROM d) w WHERE w.g = d.g;
WITH d AS (SELECT g, make_interval(secs => -g % 17 - g) AS v FROM generate_series(1, 400) g)
SELECT count(*) AS frames,
       bool_and(kpi_min(w) = lo AND kpi_max(w) = hi AND kpi_count(w) = n) AS falling_min_max_exact
FROM (SELECT kpi_hist(v) OVER f AS w, min(v) OVER f AS lo, max(v) OVER f AS hi, count(v) OVER f AS n
      FROM d WINDOW f AS (ORDER BY g ROWS BETWEEN 30 PRECEDING AND CURRENT ROW)) x;
-- with open rows and NULLs, through kpi_avg_wait
WITH d AS (SELECT g, timestamptz '2024-01-01' + g * interval '1 min' AS created,
                  CASE WHEN g % 7 = 0 THEN NULL ELSE timestamptz '2024-01-01' + g * interval '1 min' + g * interval '1 s' END AS replied
           FROM generate_series(1, 300) g)
SELECT bool_and(a = b) AS avg_wait_equal, bool_and(p = q) AS pending_equal
FROM (SELECT kpi_avg_wait(created, replied) OVER f AS a,
             avg(replied - created) OVER f AS b,
             kpi_pending(kpi_hist(created, replied) OVER f) AS p,
             count(*) FILTER (WHERE replied IS NULL) OVER f AS q
      FROM d WINDOW f AS (ORDER BY g ROWS BETWEEN 20 PRECEDING AND CURRENT ROW)) x;

-- 4. A percentile of a count near 2^63 is the max at p = 1, and the array
-- form never decreases.
SELECT kpi_percentile(h, 1) = kpi_max(h) AS p100_is_max,
       kpi_percentile(h, 0.999999) AS near_top,
       kpi_percentile(h, ARRAY[0, 0.5, 0.9999999, 1]) AS monotone
FROM (SELECT 'kpi_hist v1 count=9223372036854775000 pending=0 sum_us=46116860184273875001 min_us=5 max_us=6 buckets=5:4611686018427387500,6:4611686018427387500'::kpi_hist AS h) x;

-- 5. Smaller ones.
SELECT kpi_nps_margin('{2:1,9:1}', 1e-300)::text AS margin_not_negative_zero;
SELECT kpi_change(1e300::float8, 1e-300);
SELECT kpi_change('Infinity'::float8, 1) AS infinite_in_infinite_out;
SELECT kpi_hist(timestamptz 'infinity', NULL);
SELECT kpi_hist(timestamptz '-infinity', NULL);
-- the max lies in its own bucket's [lower, upper): the top bucket is unbounded
SELECT b.lower, b.upper
FROM (SELECT kpi_hist(interval '9223372036854775807 microseconds') AS h) x, kpi_buckets(h) b;
SELECT kpi_hist(interval '9223372036854775807 microseconds')::jsonb -> 'buckets';
SELECT bool_and(kpi_max(h) >= lower AND (upper IS NULL OR kpi_max(h) < upper)) AS max_in_top_bucket
FROM (SELECT kpi_hist(make_interval(secs => g)) AS h FROM generate_series(1, 1000) g) x,
     LATERAL (SELECT * FROM kpi_buckets(h) ORDER BY lower DESC LIMIT 1) b;
-- a label never reads as the next unit's threshold
SELECT kpi_sparkline(kpi_hist(v))
FROM (VALUES (interval '1 s'), (interval '59.97 s')) t(v);
DROP SCHEMA reliability_user CASCADE;
DROP ROLE reliability_user;
