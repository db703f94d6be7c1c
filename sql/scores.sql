-- CSAT, NPS and kpi_scores compared with the plain SQL over the same rows.
SET extra_float_digits = 0;

CREATE TABLE survey AS
SELECT i AS id,
       (ARRAY['billing', 'tech', 'sales'])[1 + i % 3] AS team,
       CASE WHEN random() < 0.1 THEN NULL ELSE 1 + floor(random() * 5)::int END AS csat,
       CASE WHEN random() < 0.2 THEN NULL ELSE floor(random() * 11)::int END AS nps,
       CASE WHEN random() < 0.1 THEN NULL ELSE random() < 0.7 END AS thumbs_up
FROM (SELECT setseed(0.42)) s, generate_series(1, 20000) i;

-- one-step aggregates equal the hand-written FILTER SQL, to the last bit
SELECT kpi_csat(csat) = 100 * (count(*) FILTER (WHERE csat >= 4))::float8 / count(csat) AS csat_exact,
       kpi_nps(nps) = 100 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6))::float8
                      / count(nps) AS nps_exact,
       kpi_csat(nps, 7) = 100 * (count(*) FILTER (WHERE nps >= 7))::float8 / count(nps) AS threshold_exact,
       kpi_csat(thumbs_up) = 100 * (count(*) FILTER (WHERE thumbs_up))::float8 / count(thumbs_up) AS bool_exact,
       kpi_mean(kpi_scores(nps)) = sum(nps)::float8 / count(nps) AS mean_exact,
       abs(kpi_mean(kpi_scores(csat)) - avg(csat)) < 1e-12 AS mean_matches_avg,
       kpi_count(kpi_scores(nps)) = count(nps) AS count_exact
FROM survey;

-- per group
SELECT team,
       kpi_csat(csat) = 100 * (count(*) FILTER (WHERE csat >= 4))::float8 / count(csat) AS csat_exact,
       kpi_nps(nps) = 100 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6))::float8
                      / count(nps) AS nps_exact
FROM survey GROUP BY team ORDER BY team;

-- smallint and bigint score columns (as data tools often create) give the
-- same answers as integer ones
SELECT kpi_csat(csat::smallint) = kpi_csat(csat) AND kpi_csat(csat::bigint) = kpi_csat(csat) AS csat_any_int,
       kpi_nps(nps::smallint) = kpi_nps(nps) AND kpi_nps(nps::bigint) = kpi_nps(nps) AS nps_any_int,
       kpi_scores(nps::smallint)::text = kpi_scores(nps)::text
         AND kpi_scores(nps::bigint)::text = kpi_scores(nps)::text AS summary_any_int
FROM survey;

-- the perception enum counts 'satisfied' and 'very satisfied'
SELECT kpi_csat(answer) = 100 * (count(*) FILTER (WHERE answer >= 'satisfied'))::float8 / count(answer) AS enum_exact
FROM (SELECT (enum_range(NULL::kpi_satisfaction))[csat] AS answer FROM survey) s;

SELECT kpi_csat(a) FROM (VALUES ('very satisfied'::kpi_satisfaction), ('satisfied'), ('neutral'),
                                ('dissatisfied'), ('very dissatisfied'), (NULL)) v(a);

-- small hand-checked cases
SELECT kpi_csat(s) AS csat_60 FROM (VALUES (5), (4), (4), (2), (1)) v(s);
SELECT kpi_nps(s) AS nps_0 FROM (VALUES (10), (9), (8), (6), (0)) v(s);
SELECT kpi_nps(s) AS nps_100 FROM (VALUES (10), (9)) v(s);
SELECT kpi_nps(s) AS nps_minus_100 FROM (VALUES (0), (6)) v(s);
SELECT kpi_csat(good) AS csat_50 FROM (VALUES (true), (false), (NULL)) v(good);
SELECT kpi_csat(s, 0) AS all_satisfied, kpi_csat(s, 10) AS only_tens FROM (VALUES (0), (10)) v(s);

-- NULLs are skipped; no answers give NULL, as avg() does
SELECT kpi_csat(s) IS NULL AS csat_null, kpi_nps(s) IS NULL AS nps_null,
       kpi_scores(s) IS NULL AS scores_null, kpi_csat(s, 7) IS NULL AS threshold_null,
       kpi_merge(NULL::kpi_scores) IS NULL AS merge_null
FROM (VALUES (NULL::int)) v(s);
SELECT kpi_csat(csat), kpi_nps(nps), kpi_scores(nps) FROM survey WHERE false;
SELECT kpi_csat(s, m) FROM (VALUES (8, NULL), (NULL, 7), (9, 7)) v(s, m);

-- summaries: accessors, merge, +, buckets, jsonb
SELECT kpi_scores(s) AS summary FROM (VALUES (1), (4), (4), (5), (NULL)) v(s);
SELECT kpi_count(x), kpi_mean(x), kpi_csat(x), kpi_csat(x, 5) AS top_box, kpi_nps(x)
FROM (SELECT '{1:3,4:10,5:22}'::kpi_scores AS x) v;
SELECT '{0:1,9:2}'::kpi_scores + '{0:1,10:1}'::kpi_scores AS added;
SELECT * FROM kpi_buckets('{0:1,5:7,10:2}'::kpi_scores);
SELECT * FROM kpi_buckets('{}'::kpi_scores);
SELECT '{1:3,4:10,5:22}'::kpi_scores::jsonb;
SELECT '{}'::kpi_scores::jsonb;
SELECT kpi_count('{}'::kpi_scores), kpi_mean('{}'::kpi_scores), kpi_csat('{}'::kpi_scores), kpi_nps('{}'::kpi_scores),
       kpi_csat_interval('{}'), kpi_nps_margin('{}');

-- daily summaries roll up to exactly the summary of all rows
CREATE TABLE survey_daily AS
SELECT id % 30 AS day, team, kpi_scores(nps) AS nps, kpi_scores(csat) AS csat
FROM survey GROUP BY 1, 2;
SELECT (SELECT kpi_merge(nps)::text FROM survey_daily) = (SELECT kpi_scores(nps)::text FROM survey) AS nps_rollup_exact,
       (SELECT kpi_merge(csat)::text FROM survey_daily) = (SELECT kpi_scores(csat)::text FROM survey) AS csat_rollup_exact;
SELECT d.team, kpi_csat(kpi_merge(d.csat)) = (SELECT kpi_csat(s.csat) FROM survey s WHERE s.team = d.team) AS csat_by_team_exact
FROM survey_daily d GROUP BY d.team ORDER BY d.team;

-- Wilson interval and NPS margin, against the formulas written in SQL
-- (z for 95% = 1.959963984540054, for 90% = 1.6448536269514722)
SELECT bool_and(abs(got[1] - want_low) < 1e-9 AND abs(got[2] - want_high) < 1e-9) AS wilson_matches
FROM (
  SELECT kpi_csat_interval(x, conf) AS got,
         100 * (p + z * z / (2 * n) - z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n) AS want_low,
         100 * (p + z * z / (2 * n) + z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n) AS want_high
  FROM (SELECT kpi_scores(csat) AS x,
               (count(*) FILTER (WHERE csat >= 4))::float8 / count(csat) AS p,
               count(csat)::float8 AS n
        FROM survey GROUP BY team) s,
       (VALUES (0.95, 1.959963984540054), (0.90, 1.6448536269514722)) c(conf, z)
) t;
SELECT abs(kpi_nps_margin(x) - 1.959963984540054 * 100 * sqrt((p + d - (p - d) ^ 2) / n)) < 1e-9 AS margin_matches
FROM (SELECT kpi_scores(nps) AS x,
             (count(*) FILTER (WHERE nps >= 9))::float8 / count(nps) AS p,
             (count(*) FILTER (WHERE nps <= 6))::float8 / count(nps) AS d,
             count(nps)::float8 AS n
      FROM survey) s;
-- a threshold interval, a wider one at 99%, and bounds that stay inside [0, 100]
SELECT kpi_csat_interval('{9:5,10:5}', 0.95, 9) AS all_satisfied,
       kpi_csat_interval('{1:10}') AS none_satisfied;
SELECT i99[1] < i95[1] AND i95[2] < i99[2] AS wider_at_99
FROM (SELECT kpi_csat_interval(x, 0.99) AS i99, kpi_csat_interval(x) AS i95
      FROM (SELECT kpi_scores(csat) AS x FROM survey) s) t;
