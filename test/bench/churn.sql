-- test/bench/churn.sql: churn and retention (issue 4).
--
-- 2 million customers (or :rows, if fewer): subscriptions that start
-- uniformly over 2022 and 2023, 30% of them with an end date up to two
-- years later, mrr from 10.00 to 200.00.  kpi_churn and kpi_revenue_churn
-- over one month against the hand-written FILTER SQL (the definition:
-- active at the start = since <= start < coalesce(until, infinity); lost =
-- active and until inside the period), serial and with 2 workers; and a
-- monthly series (12 months, one query, GROUP BY month) against the same
-- hand-written SQL grouped the same way.

\set ON_ERROR_STOP 1
\if :{?rows}
\else
\set rows 10000000
\endif

SELECT to_regtype('kpi_churn_state') IS NULL AS no_churn \gset
\if :no_churn
\echo 'churn: kpi_churn is not installed yet: suite skipped'
\quit
\endif

SELECT least(:rows::bigint, 2000000) AS customers \gset

DROP TABLE IF EXISTS bench_customers, bench_months;
-- Deterministic: setseed, and random() runs in the leader only (it is
-- parallel restricted), in generate_series order.
SELECT setseed(0.404);
CREATE UNLOGGED TABLE bench_customers AS
SELECT i::integer AS id,
	   since,
	   CASE WHEN r1 < 0.3 THEN since + r2 * interval '730 days' END AS until,
	   round((10 + 190 * r3)::numeric, 2) AS mrr
FROM (SELECT i, timestamptz '2022-01-01 00:00:00+00' + random() * interval '730 days' AS since,
			 random() AS r1, random() AS r2, random() AS r3
	  FROM generate_series(1, :customers::bigint) i) g;
CREATE TABLE bench_months AS
SELECT m AS month_start, m + interval '1 month' AS month_end,
	   tstzrange(m, m + interval '1 month') AS period
FROM generate_series(timestamptz '2023-01-01 00:00:00+00', '2023-12-01 00:00:00+00', interval '1 month') m;
VACUUM (FREEZE, ANALYZE) bench_customers, bench_months;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
SELECT pg_prewarm('bench_customers') > 0 AS prewarmed;

-- ---------- one month ----------

SELECT bench.run('churn', 'churn: FILTER SQL',
	$q$SELECT 100.0 * count(*) FILTER (WHERE since <= '2023-06-01 00:00:00+00' AND '2023-06-01 00:00:00+00' < coalesce(until, 'infinity')
										 AND until < '2023-07-01 00:00:00+00')
			/ count(*) FILTER (WHERE since <= '2023-06-01 00:00:00+00' AND '2023-06-01 00:00:00+00' < coalesce(until, 'infinity'))
	   FROM bench_customers$q$, w)
FROM (VALUES (0), (2)) v(w);
SELECT bench.run('churn', 'count(*)',
	'SELECT count(*) FROM bench_customers', w, 'churn: FILTER SQL')
FROM (VALUES (0), (2)) v(w);
SELECT bench.run('churn', 'kpi_churn',
	$q$SELECT kpi_churn(since, until, tstzrange('2023-06-01 00:00:00+00', '2023-07-01 00:00:00+00'))
	   FROM bench_customers$q$, w, 'churn: FILTER SQL')
FROM (VALUES (0), (2)) v(w);

SELECT bench.run('churn', 'revenue churn: FILTER SQL',
	$q$SELECT 100 * sum(mrr) FILTER (WHERE since <= '2023-06-01 00:00:00+00' AND '2023-06-01 00:00:00+00' < coalesce(until, 'infinity')
									  AND until < '2023-07-01 00:00:00+00')
			/ sum(mrr) FILTER (WHERE since <= '2023-06-01 00:00:00+00' AND '2023-06-01 00:00:00+00' < coalesce(until, 'infinity'))
	   FROM bench_customers$q$, w)
FROM (VALUES (0), (2)) v(w);
SELECT bench.run('churn', 'kpi_revenue_churn',
	$q$SELECT kpi_revenue_churn(since, until, tstzrange('2023-06-01 00:00:00+00', '2023-07-01 00:00:00+00'), mrr)
	   FROM bench_customers$q$, w, 'revenue churn: FILTER SQL')
FROM (VALUES (0), (2)) v(w);

-- ---------- one state per group: 100k groups of 20 customers ----------
-- Hash aggregation with a revenue state (numeric accumulators) per group.

SELECT bench.run('churn', '100k groups: revenue FILTER SQL',
	$q$SELECT id % 100000,
			  100 * sum(mrr) FILTER (WHERE since <= '2023-06-01 00:00:00+00' AND '2023-06-01 00:00:00+00' < coalesce(until, 'infinity')
									 AND until < '2023-07-01 00:00:00+00')
			  / sum(mrr) FILTER (WHERE since <= '2023-06-01 00:00:00+00' AND '2023-06-01 00:00:00+00' < coalesce(until, 'infinity'))
	   FROM bench_customers GROUP BY 1$q$, 0, NULL, 3);
SELECT bench.run('churn', '100k groups: kpi_revenue_churn',
	$q$SELECT id % 100000, kpi_revenue_churn(since, until, tstzrange('2023-06-01 00:00:00+00', '2023-07-01 00:00:00+00'), mrr)
	   FROM bench_customers GROUP BY 1$q$, 0, '100k groups: revenue FILTER SQL', 3);
SELECT bench.memory('churn', '100k groups: revenue FILTER SQL',
	$q$SELECT id % 100000,
			  100 * sum(mrr) FILTER (WHERE since <= '2023-06-01 00:00:00+00' AND '2023-06-01 00:00:00+00' < coalesce(until, 'infinity')
									 AND until < '2023-07-01 00:00:00+00')
			  / sum(mrr) FILTER (WHERE since <= '2023-06-01 00:00:00+00' AND '2023-06-01 00:00:00+00' < coalesce(until, 'infinity'))
	   FROM bench_customers GROUP BY 1$q$);
SELECT bench.memory('churn', '100k groups: kpi_revenue_churn',
	$q$SELECT id % 100000, kpi_revenue_churn(since, until, tstzrange('2023-06-01 00:00:00+00', '2023-07-01 00:00:00+00'), mrr)
	   FROM bench_customers GROUP BY 1$q$, '100k groups: revenue FILTER SQL');

-- ---------- twelve months in one query ----------
-- Every customer is joined to every month (12 x the rows), as in a
-- dashboard's monthly series; the period differs from group to group.

SELECT bench.run('churn', '12 months: FILTER SQL GROUP BY month',
	$q$SELECT month_start,
			  100.0 * count(*) FILTER (WHERE since <= month_start AND month_start < coalesce(until, 'infinity') AND until < month_end)
			  / nullif(count(*) FILTER (WHERE since <= month_start AND month_start < coalesce(until, 'infinity')), 0)
	   FROM bench_months, bench_customers GROUP BY month_start$q$, 0, NULL, 3);
SELECT bench.run('churn', '12 months: kpi_churn GROUP BY month',
	$q$SELECT month_start, kpi_churn(since, until, period)
	   FROM bench_months, bench_customers GROUP BY month_start$q$,
	0, '12 months: FILTER SQL GROUP BY month', 3);

SELECT bench.target('churn', 'kpi_churn', 'churn: FILTER SQL', 1.0,
	'kpi_churn / FILTER SQL, serial');
SELECT bench.target('churn', 'kpi_churn@2', 'churn: FILTER SQL@2', 1.0,
	'kpi_churn / FILTER SQL, 2 workers');
SELECT bench.target('churn', 'kpi_revenue_churn', 'revenue churn: FILTER SQL', 1.0,
	'kpi_revenue_churn / FILTER SQL, serial');
SELECT bench.target('churn', '12 months: kpi_churn GROUP BY month', '12 months: FILTER SQL GROUP BY month', 1.0,
	'kpi_churn / FILTER SQL, 12 months in one query');
