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
\echo 'By month, with the change from the month before: is it real?'
\echo '  tickets answered (first reply) per day, so a short month is not a drop (kpi_rate_change);'
\echo '  CSAT and NPS changes in points; * = significant at 95% (kpi_rate_test, kpi_csat_test, kpi_nps_test)'
CREATE FUNCTION pg_temp.mark(p float8) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN p < 0.05 THEN ' *' WHEN p IS NULL THEN NULL ELSE '  ' END $$;
WITH monthly AS (
	SELECT m.month, m.answered, m.csat, n.nps,
	       daterange(m.month::date, (m.month + interval '1 month')::date) AS period
	FROM (SELECT date_trunc('month', day) AS month, sum(kpi_count(wait))::bigint AS answered,
	             kpi_merge(csat) AS csat
	      FROM support_daily GROUP BY 1) m
	JOIN (SELECT date_trunc('month', day) AS month, kpi_merge(nps) AS nps
	      FROM nps_daily GROUP BY 1) n USING (month)
), paired AS (
	SELECT *, lag(answered) OVER w AS prev_answered, lag(period) OVER w AS prev_period,
	       lag(csat) OVER w AS prev_csat, lag(nps) OVER w AS prev_nps
	FROM monthly
	WINDOW w AS (ORDER BY month)
)
SELECT to_char(month, 'YYYY-MM') AS month, answered,
       round(kpi_change(answered, prev_answered), 1) AS "change %",
       round(answered::numeric / (upper(period) - lower(period)), 1) AS "per day",
       lpad(to_char(kpi_rate_change(answered, period, prev_answered, prev_period), 'FMSG990.0'), 6)
         || pg_temp.mark(kpi_rate_test(answered, period, prev_answered, prev_period)) AS "per day change %",
       round(kpi_csat(csat)::numeric, 1) AS "CSAT %",
       lpad(to_char(kpi_csat(csat) - kpi_csat(prev_csat), 'FMSG990.0'), 6) || pg_temp.mark(kpi_csat_test(csat, prev_csat)) AS "CSAT change (pts)",
       kpi_count(csat) AS "CSAT answers",
       round(kpi_nps(nps)::numeric, 1) AS "NPS",
       lpad(to_char(kpi_nps(nps) - kpi_nps(prev_nps), 'FMSG990.0'), 6) || pg_temp.mark(kpi_nps_test(nps, prev_nps)) AS "NPS change (pts)",
       kpi_count(nps) AS "NPS answers"
FROM paired
ORDER BY month;

-- durations for people: "2h 05m", "3d 04h", "12m 30s"
CREATE FUNCTION pg_temp.dur(d interval) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN d IS NULL THEN NULL
		WHEN s >= 86400 THEN format('%sd %sh', floor(s / 86400), lpad(floor(s % 86400 / 3600)::text, 2, '0'))
		WHEN s >= 3600 THEN format('%sh %sm', floor(s / 3600), lpad(floor(s % 3600 / 60)::text, 2, '0'))
		ELSE format('%sm %ss', floor(s / 60), lpad(floor(s % 60)::text, 2, '0'))
	END
	FROM (SELECT extract(epoch FROM d) AS s) x
$$;

\echo
\echo 'Wait for a first reply and time to resolution (kpi_hist, rolled up from the daily view)'
SELECT kpi, pg_temp.dur(kpi_mean(h)) AS mean, pg_temp.dur(kpi_median(h)) AS median,
       pg_temp.dur(kpi_percentile(h, 0.9)) AS p90,
       round(kpi_share_within(h, '1 hour')::numeric, 1) AS "within 1h %",
       round(kpi_share_within(h, '1 day')::numeric, 1) AS "within 1 day %",
       kpi_count(h) AS done, kpi_pending(h) AS pending, kpi_sparkline(h) AS distribution
FROM (SELECT 'wait' AS kpi, kpi_merge(wait) AS h FROM support_daily
      UNION ALL
      SELECT 'resolution', kpi_merge(resolution) FROM support_daily) k;

\echo
\echo 'Wait for a first reply, by team'
SELECT team, pg_temp.dur(kpi_mean(h)) AS mean, pg_temp.dur(kpi_median(h)) AS median,
       pg_temp.dur(kpi_percentile(h, 0.9)) AS p90,
       round(kpi_share_within(h, '1 hour')::numeric, 1) AS "within 1h %",
       round(kpi_share_within(h, '1 day')::numeric, 1) AS "within 1 day %",
       kpi_pending(h) AS unanswered, kpi_sparkline(h) AS distribution
FROM (SELECT team, kpi_merge(wait) AS h FROM support_daily GROUP BY team) t
ORDER BY kpi_median(h);

\echo
\echo 'Wait and resolution by month, with the change of the median wait'
SELECT to_char(month, 'YYYY-MM') AS month,
       pg_temp.dur(kpi_median(wait)) AS "median wait",
       round(kpi_change(extract(epoch FROM kpi_median(wait)),
                        lag(extract(epoch FROM kpi_median(wait))) OVER (ORDER BY month)), 1) AS "change %",
       pg_temp.dur(kpi_percentile(wait, 0.9)) AS "p90 wait",
       round(kpi_share_within(wait, '1 hour')::numeric, 1) AS "wait within 1h %",
       pg_temp.dur(kpi_median(resolution)) AS "median resolution",
       pg_temp.dur(kpi_percentile(resolution, 0.9)) AS "p90 resolution",
       kpi_pending(resolution) AS "still open"
FROM (SELECT date_trunc('month', day) AS month, kpi_merge(wait) AS wait, kpi_merge(resolution) AS resolution
      FROM support_daily GROUP BY 1) m
ORDER BY month;

\echo
\echo 'Customer churn and retention, last twelve months (one query: months joined to customers)'
SELECT to_char(lower(period), 'YYYY-MM') AS month,
       count(*) FILTER (WHERE customer_since <= lower(period)
                          AND coalesce(customer_until, 'infinity') > lower(period)) AS "active at start",
       round(kpi_churn(customer_since, customer_until, period)::numeric, 2) AS "churn %",
       round(kpi_change(kpi_churn(customer_since, customer_until, period),
                        lag(kpi_churn(customer_since, customer_until, period)) OVER (ORDER BY lower(period)))::numeric, 1)
         AS "churn change %",
       round(kpi_revenue_churn(customer_since, customer_until, period, mrr)::numeric, 2) AS "revenue churn %",
       round(kpi_retention(customer_since, customer_until, period)::numeric, 2) AS "retention %"
FROM generate_series(date '2025-11-01', date '2026-10-01', interval '1 month') AS m(start)
CROSS JOIN LATERAL (SELECT daterange(m.start::date, (m.start + interval '1 month')::date) AS period) p
CROSS JOIN customers
GROUP BY period
ORDER BY lower(period);

\echo
\echo 'Annual churn by plan, 2025-11 to 2026-10'
SELECT plan,
       round(kpi_churn(customer_since, customer_until, daterange('2025-11-01', '2026-11-01'))::numeric, 1) AS "churn %",
       round(kpi_revenue_churn(customer_since, customer_until, daterange('2025-11-01', '2026-11-01'), mrr)::numeric, 1)
         AS "revenue churn %"
FROM customers GROUP BY plan ORDER BY plan;

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
