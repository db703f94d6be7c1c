-- The KPI report of the demo dataset.  Every figure comes from the kpi
-- extension; the monthly and per-team views read the daily materialized
-- views (as a dashboard would), never the raw rows.
SET TimeZone = 'UTC';
\pset footer off
\pset null '-'
\echo
\echo '================================================================'
\echo ' Customer-service KPI report: 2025-11-01 to 2026-10-31'
\echo '================================================================'

\echo
\echo 'Overall'
SELECT count(*) AS tickets,
       round(kpi_csat(csat)::numeric, 1) AS "CSAT %",
       (SELECT array_to_string(ARRAY(SELECT round(b::numeric, 1)
                                     FROM unnest(kpi_csat_interval(kpi_scores(t.csat))) b), ' - ')) AS "CSAT 95% interval",
       count(csat) AS "CSAT answers",
       (SELECT round(kpi_nps(score)::numeric, 1) FROM nps_responses) AS "NPS",
       (SELECT '+/- ' || round(kpi_nps_margin(kpi_scores(score))::numeric, 1) FROM nps_responses) AS "NPS margin (95%)",
       (SELECT count(*) FROM nps_responses) AS "NPS answers"
FROM tickets t;

\echo
\echo 'By team (all year, from the daily materialized views)'
SELECT d.team,
       sum(d.tickets) AS tickets,
       round(kpi_csat(kpi_merge(d.csat))::numeric, 1) AS "CSAT %",
       array_to_string(ARRAY(SELECT round(b::numeric, 1)
                             FROM unnest(kpi_csat_interval(kpi_merge(d.csat))) b), ' - ') AS "CSAT 95% interval",
       round(kpi_mean(kpi_merge(d.csat))::numeric, 2) AS "mean score",
       min(n."NPS") AS "NPS", min(n."NPS margin") AS "NPS margin"
FROM support_daily d
JOIN (SELECT team, round(kpi_nps(kpi_merge(nps))::numeric, 1) AS "NPS",
             '+/- ' || round(kpi_nps_margin(kpi_merge(nps))::numeric, 1) AS "NPS margin"
      FROM nps_daily GROUP BY team) n USING (team)
GROUP BY d.team
ORDER BY "CSAT %" DESC;

\echo
\echo 'By month, with the change from the month before'
WITH monthly AS (
	SELECT m.month, m.tickets, m.csat, n.nps
	FROM (SELECT date_trunc('month', day) AS month, sum(tickets) AS tickets, kpi_merge(csat) AS csat
	      FROM support_daily GROUP BY 1) m
	JOIN (SELECT date_trunc('month', day) AS month, kpi_merge(nps) AS nps
	      FROM nps_daily GROUP BY 1) n USING (month)
)
SELECT to_char(month, 'YYYY-MM') AS month, tickets,
       round(kpi_csat(csat)::numeric, 1) AS "CSAT %",
       round(kpi_change(kpi_csat(csat), lag(kpi_csat(csat)) OVER w)::numeric, 1) AS "CSAT change %",
       round(kpi_nps(nps)::numeric, 1) AS "NPS",
       '+/- ' || round(kpi_nps_margin(nps)::numeric, 1) AS "NPS margin",
       round(kpi_change(kpi_nps(nps), lag(kpi_nps(nps)) OVER w)::numeric, 1) AS "NPS change %"
FROM monthly
WINDOW w AS (ORDER BY month)
ORDER BY month;

\echo
\echo 'CSAT answers by score (kpi_buckets)'
SELECT score, count, repeat('#', (60 * count / max(count) OVER ())::int) AS "share"
FROM kpi_buckets((SELECT kpi_merge(csat) FROM support_daily));

\echo
\echo 'Rolling 7-day CSAT, last two weeks (a moving window over the raw answers)'
SELECT day, round(csat::numeric, 1) AS "7-day CSAT %"
FROM (SELECT DISTINCT created_at::date AS day,
             kpi_csat(csat) OVER (ORDER BY created_at::date RANGE BETWEEN interval '6 days' PRECEDING AND CURRENT ROW) AS csat
      FROM tickets) r
WHERE day > date '2026-10-17'
ORDER BY day;
