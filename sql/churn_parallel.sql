-- A forced parallel plan (Partial Aggregate in the workers, combined in the
-- leader) gives the same churn as a serial plan, for the logo and the
-- revenue states, over one period and grouped by month.
SELECT setseed(0.77);
CREATE TABLE churn_big_customers AS
SELECT id, plan, since,
       CASE WHEN random() < 0.4 THEN since + random() * interval '600 days' END AS until,
       round((random() * 300)::numeric, 2) AS mrr
FROM (SELECT id, (ARRAY['basic', 'pro', 'enterprise'])[1 + id % 3] AS plan,
             timestamptz '2022-01-01 00:00:00+00' + random() * interval '730 days' AS since
      FROM generate_series(1, 300000) id) g;
ANALYZE churn_big_customers;

SET max_parallel_workers_per_gather = 0;
CREATE TABLE churn_serial_result AS
SELECT plan,
       kpi_churn(since, until, tstzrange('2023-06-01', '2023-07-01')) AS churn,
       kpi_retention(since, until, tstzrange('2023-06-01', '2023-07-01')) AS retention,
       kpi_revenue_churn(since, until, tstzrange('2023-06-01', '2023-07-01'), mrr) AS revenue
FROM churn_big_customers GROUP BY plan;
CREATE TABLE churn_serial_months AS
SELECT m, kpi_churn(since, until, tstzrange(m, m + interval '1 month')) AS churn,
       kpi_revenue_churn(since, until, tstzrange(m, m + interval '1 month'), mrr) AS revenue
FROM generate_series(timestamptz '2023-01-01', '2023-12-01', '1 month') m, churn_big_customers GROUP BY m;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT plan, kpi_churn(since, until, tstzrange('2023-06-01', '2023-07-01')),
       kpi_revenue_churn(since, until, tstzrange('2023-06-01', '2023-07-01'), mrr)
FROM churn_big_customers GROUP BY plan;
EXPLAIN (COSTS OFF)
SELECT kpi_revenue_churn(since, until, tstzrange('2023-06-01', '2023-07-01'), mrr) FROM churn_big_customers;

-- with the leader taking part (its own partial state reaches the combine
-- function without leaving the process) and without (every partial state
-- comes from a worker, flattened)
SELECT count(*) AS plans,
       bool_and(p.churn = s.churn AND p.retention = s.retention AND p.revenue = s.revenue) AS parallel_equals_serial
FROM (SELECT plan,
             kpi_churn(since, until, tstzrange('2023-06-01', '2023-07-01')) AS churn,
             kpi_retention(since, until, tstzrange('2023-06-01', '2023-07-01')) AS retention,
             kpi_revenue_churn(since, until, tstzrange('2023-06-01', '2023-07-01'), mrr) AS revenue
      FROM churn_big_customers GROUP BY plan) p
JOIN churn_serial_result s USING (plan);
SET parallel_leader_participation = off;
SELECT count(*) AS plans,
       bool_and(p.churn = s.churn AND p.retention = s.retention AND p.revenue = s.revenue) AS workers_only_equals_serial
FROM (SELECT plan,
             kpi_churn(since, until, tstzrange('2023-06-01', '2023-07-01')) AS churn,
             kpi_retention(since, until, tstzrange('2023-06-01', '2023-07-01')) AS retention,
             kpi_revenue_churn(since, until, tstzrange('2023-06-01', '2023-07-01'), mrr) AS revenue
      FROM churn_big_customers GROUP BY plan) p
JOIN churn_serial_result s USING (plan);
RESET parallel_leader_participation;

-- the whole table, against the hand-written SQL in the same parallel query
SELECT kpi_churn(since, until, tstzrange('2023-06-01', '2023-07-01')) =
         100 * (count(*) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')
                                   AND until < '2023-07-01'))::float8
             / count(*) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')) AS churn_exact,
       kpi_revenue_churn(since, until, tstzrange('2023-06-01', '2023-07-01'), mrr) =
         (100 * sum(mrr) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')
                                   AND until < '2023-07-01')
              / sum(mrr) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')))::float8 AS revenue_exact
FROM churn_big_customers;

-- a monthly series in parallel (Partial HashAggregate per month)
EXPLAIN (COSTS OFF)
SELECT m, kpi_churn(since, until, tstzrange(m, m + interval '1 month'))
FROM generate_series(timestamptz '2023-01-01', '2023-12-01', '1 month') m, churn_big_customers GROUP BY m;
SELECT count(*) AS months,
       bool_and(p.churn = s.churn AND p.revenue = s.revenue) AS parallel_equals_serial
FROM (SELECT m, kpi_churn(since, until, tstzrange(m, m + interval '1 month')) AS churn,
             kpi_revenue_churn(since, until, tstzrange(m, m + interval '1 month'), mrr) AS revenue
      FROM generate_series(timestamptz '2023-01-01', '2023-12-01', '1 month') m, churn_big_customers GROUP BY m) p
JOIN churn_serial_months s USING (m);

-- different periods in one group are caught in parallel too
\set VERBOSITY sqlstate
SELECT kpi_churn(since, until, CASE WHEN id = 299999 THEN tstzrange('2023-06-01', '2023-07-02')
                                    ELSE tstzrange('2023-06-01', '2023-07-01') END)
FROM churn_big_customers;
RESET ALL;
