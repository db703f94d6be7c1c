-- Summary columns (kpi_scores, kpi_hist) work in GROUP BY, DISTINCT, UNION
-- and hash joins: equal summaries are those with every count equal.
SELECT '{1:2}'::kpi_scores = '{1:2,3:0}' AS zero_counts_do_not_matter,
       '{1:2}'::kpi_scores = '{1:3}' AS different_counts,
       '{1:2}'::kpi_scores <> '{2:2}' AS different_scores_differ;
SELECT a = b AS same_histogram, a <> b AS differs, a = c AS other_histogram
FROM (SELECT kpi_hist(d) AS a, kpi_hist(d) AS b, kpi_hist(d * 2) AS c
      FROM (VALUES (interval '1 hour'), ('2 hours'), ('-3 seconds')) v(d)) s;

-- a histogram rolled up from parts equals the histogram of the whole
CREATE TABLE eq_waits AS
SELECT i % 10 AS part, make_interval(secs => (i * 7919) % 100000) AS wait
FROM generate_series(1, 20000) i;
SELECT (SELECT kpi_merge(h) FROM (SELECT kpi_hist(wait) AS h FROM eq_waits GROUP BY part) p)
     = (SELECT kpi_hist(wait) FROM eq_waits) AS rollup_equals_whole;

-- GROUP BY and DISTINCT on summaries: teams with identical answers group together
CREATE TABLE eq_answers (team text, score int);
INSERT INTO eq_answers VALUES ('a', 5), ('a', 4), ('b', 4), ('b', 5), ('c', 1), ('d', NULL);
SELECT summary, count(*) AS teams
FROM (SELECT team, kpi_scores(score) AS summary FROM eq_answers GROUP BY team) t
GROUP BY summary ORDER BY teams, summary::text;
SELECT count(*) AS distinct_summaries
FROM (SELECT DISTINCT summary
      FROM (SELECT team, kpi_scores(score) AS summary FROM eq_answers GROUP BY team) t) d;
-- summaries have no order, so aggregates that sort their input cannot take them
SELECT count(DISTINCT summary)
FROM (SELECT team, kpi_scores(score) AS summary FROM eq_answers GROUP BY team) t;
-- UNION removes the duplicate summaries; a hash join matches equal ones
SELECT count(*) AS union_rows FROM (
  SELECT kpi_hist(wait) FROM eq_waits WHERE part < 5
  UNION SELECT kpi_hist(wait) FROM eq_waits WHERE part < 5
  UNION SELECT kpi_hist(wait) FROM eq_waits) u;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF)
SELECT * FROM (SELECT team, kpi_scores(score) s FROM eq_answers GROUP BY team) x
JOIN (SELECT team, kpi_scores(score) s FROM eq_answers GROUP BY team) y ON x.s = y.s;
SELECT x.team, y.team FROM (SELECT team, kpi_scores(score) s FROM eq_answers GROUP BY team) x
JOIN (SELECT team, kpi_scores(score) s FROM eq_answers GROUP BY team) y ON x.s = y.s AND x.team < y.team;
RESET enable_mergejoin;
RESET enable_nestloop;
