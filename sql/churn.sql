-- kpi_churn, kpi_retention, kpi_revenue_churn: the definition on every
-- edge, then equality with the hand-written SQL on synthetic data.
--
-- Hand-written definition used throughout:
--   active = since <= lower(period) AND lower(period) < coalesce(until, 'infinity')
--   lost   = active AND until <@ period
--   churn  = 100 * count(lost)::float8 / count(active)   (NULL when nobody is active)

-- ---------- every edge, one customer at a time (date form) ----------
-- Period: January 2024.  Each customer alone gives NULL (not active at the
-- start), 0 (active, stayed) or 100 (active, lost); the hand-written
-- booleans stand beside it.
CREATE TABLE churn_edge_customers (name text, since date, until date, mrr numeric);
INSERT INTO churn_edge_customers VALUES
  ('left before the period',        '2023-01-01', '2023-06-01', 10),
  ('left at the start',             '2023-01-01', '2024-01-01', 10),
  ('stays (no end date)',           '2023-01-01', NULL,         10),
  ('leaves after the period',       '2023-01-01', '2024-03-01', 10),
  ('leaves during the period',      '2023-01-01', '2024-01-15', 10),
  ('leaves on the last day',        '2023-01-01', '2024-01-31', 10),
  ('leaves at the upper bound',     '2023-01-01', '2024-02-01', 10),
  ('joins at the start',            '2024-01-01', NULL,         10),
  ('joins at the start, leaves',    '2024-01-01', '2024-01-20', 10),
  ('joins during the period',       '2024-01-10', NULL,         10),
  ('joins and leaves inside',       '2024-01-10', '2024-01-20', 10),
  ('joins after the period',        '2024-03-01', NULL,         10),
  ('joins and leaves the same day', '2023-12-31', '2023-12-31', 10),
  ('no start date (skipped)',       NULL,         '2024-01-15', 10),
  ('infinite start',                '-infinity',  '2024-01-15', 10),
  ('infinite end',                  '2023-01-01', 'infinity',   10);

SELECT name,
       kpi_churn(since, until, daterange('2024-01-01', '2024-02-01')) AS churn,
       kpi_retention(since, until, daterange('2024-01-01', '2024-02-01')) AS retention,
       bool_or(since <= '2024-01-01' AND '2024-01-01' < coalesce(until, 'infinity')) AS active,
       bool_or(since <= '2024-01-01' AND '2024-01-01' < coalesce(until, 'infinity')
               AND coalesce(until <@ daterange('2024-01-01', '2024-02-01'), false)) AS lost
FROM churn_edge_customers GROUP BY name ORDER BY min(since) NULLS FIRST, min(until) NULLS LAST, name;

-- all together: 9 active at the start, 4 of them lost
SELECT kpi_churn(since, until, daterange('2024-01-01', '2024-02-01')) AS churn,
       kpi_retention(since, until, daterange('2024-01-01', '2024-02-01')) AS retention,
       kpi_churn(since, until, daterange('2024-01-01', '2024-02-01')) =
         100 * (count(*) FILTER (WHERE since <= '2024-01-01' AND '2024-01-01' < coalesce(until, 'infinity')
                                   AND until <@ daterange('2024-01-01', '2024-02-01')))::float8
             / count(*) FILTER (WHERE since <= '2024-01-01' AND '2024-01-01' < coalesce(until, 'infinity')) AS equals_sql
FROM churn_edge_customers;

-- the same in timestamptz, with each kind of bound: until = upper is lost
-- only when the period includes its upper bound; an exclusive lower bound
-- changes nothing (a customer who left at the start is not active either way)
SELECT bounds,
       kpi_churn(since, until, p) AS churn,
       kpi_churn(since, until, p) =
         100 * (count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p))::float8
             / count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')) AS equals_sql
FROM (SELECT since::timestamptz AS since, until::timestamptz AS until FROM churn_edge_customers) c,
     (VALUES ('[)'), ('[]'), ('(]'), ('()')) b(bounds),
     LATERAL (SELECT tstzrange('2024-01-01', '2024-02-01', bounds) AS p) r
GROUP BY bounds, p ORDER BY bounds;

-- a period of one instant: nobody can be lost in it
SELECT kpi_churn(since::timestamptz, until::timestamptz, tstzrange('2024-01-01', '2024-01-01', '[]')) AS churn
FROM churn_edge_customers;

-- ---------- NULLs and empty input ----------
-- a NULL period or since skips the row; NULL until is a customer who stays
SELECT kpi_churn(since, until, p) AS churn
FROM (VALUES ('2023-01-01'::date, NULL::date, daterange('2024-01-01', '2024-02-01')),
             ('2023-01-01', '2024-01-10', NULL),
             (NULL, '2024-01-10', daterange('2024-01-01', '2024-02-01'))) v(since, until, p);
-- nobody active at the start, no row, only NULLs: NULL (as avg() over no row)
SELECT kpi_churn(since, until, daterange('2024-01-01', '2024-02-01')) IS NULL AS nobody_active,
       kpi_retention(since, until, daterange('2024-01-01', '2024-02-01')) IS NULL AS retention_null,
       kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), mrr) IS NULL AS revenue_null
FROM churn_edge_customers WHERE since >= '2024-01-10';
SELECT kpi_churn(since, until, daterange('2024-01-01', '2024-02-01')) IS NULL AS no_rows
FROM churn_edge_customers WHERE false;
SELECT kpi_churn(NULL::date, NULL::date, NULL::daterange) IS NULL AS only_nulls;

-- ---------- revenue churn ----------
-- weights: a NULL mrr skips the row (the customer is in neither sum nor count)
CREATE TABLE churn_revenue_customers (since date, until date, mrr numeric);
INSERT INTO churn_revenue_customers VALUES
  ('2023-01-01', NULL,         100.00),
  ('2023-01-01', '2024-01-15',  49.99),
  ('2023-06-01', '2024-01-31',  50.01),
  ('2023-06-01', '2024-02-01', 300),
  ('2024-01-05', '2024-01-06', 999),      -- joins and leaves inside: ignored
  ('2023-01-01', '2024-01-10', NULL),     -- no mrr: skipped
  ('2023-01-01', NULL,           0);      -- free plan: counted, weighs nothing
SELECT kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), mrr) AS revenue_churn,
       kpi_churn(since, until, daterange('2024-01-01', '2024-02-01')) AS logo_churn,
       kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), mrr) =
         (100 * sum(mrr) FILTER (WHERE since <= '2024-01-01' AND '2024-01-01' < coalesce(until, 'infinity')
                                   AND until <@ daterange('2024-01-01', '2024-02-01'))
              / sum(mrr) FILTER (WHERE since <= '2024-01-01' AND '2024-01-01' < coalesce(until, 'infinity')))::float8
         AS equals_sql
FROM churn_revenue_customers;
-- customers active at the start but all with mrr 0: no revenue to lose, NULL
SELECT kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), mrr) IS NULL AS zero_revenue_is_null,
       kpi_churn(since, until, daterange('2024-01-01', '2024-02-01')) AS logo_churn
FROM (VALUES ('2023-01-01'::date, '2024-01-15'::date, 0::numeric), ('2023-01-01', NULL, 0.00)) v(since, until, mrr);
-- the sums are numeric: 0.1 + 0.2 lost of 0.6 active is 50%
SELECT kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), mrr) AS exactly_half
FROM (VALUES ('2023-01-01'::date, '2024-01-15'::date, 0.1), ('2023-01-01', '2024-01-16', 0.2),
             ('2023-01-01', NULL, 0.3)) v(since, until, mrr);
-- the timestamptz form
SELECT kpi_revenue_churn(since::timestamptz, until::timestamptz, tstzrange('2024-01-01', '2024-02-01'), mrr) =
       kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), mrr) AS forms_agree
FROM churn_revenue_customers;

-- ---------- synthetic data: equal to the hand-written SQL ----------
SELECT setseed(0.4242);
CREATE TABLE churn_customers AS
SELECT id,
       (ARRAY['basic', 'pro', 'enterprise'])[1 + floor(random() * 3)::int] AS plan,
       CASE WHEN random() < 0.01 THEN NULL ELSE since END AS since,
       CASE WHEN random() < 0.55 THEN NULL ELSE since + floor(random() * 800)::int END AS until,
       CASE WHEN random() < 0.01 THEN NULL ELSE round((random() * 500)::numeric, 2) END AS mrr
FROM (SELECT id, date '2021-06-01' + floor(random() * 1000)::int AS since
      FROM generate_series(1, 20000) id) g;
-- the timestamptz twin: the same customers, at random times of day
CREATE TABLE churn_customers_tz AS
SELECT id, plan, since + random() * interval '1 day' AS since,
       until + random() * interval '1 day' AS until, mrr
FROM (SELECT id, plan, since::timestamptz AS since, until::timestamptz AS until, mrr FROM churn_customers) c;
UPDATE churn_customers_tz SET until = since WHERE until < since;
ANALYZE churn_customers, churn_customers_tz;

-- many periods: the months, quarters and year of 2023, a week, a day
CREATE TABLE churn_periods AS
SELECT daterange(m::date, (m + interval '1 month')::date) AS p FROM generate_series(date '2023-01-01', '2023-12-01', '1 month') m
UNION ALL
SELECT daterange(q::date, (q + interval '3 months')::date) FROM generate_series(date '2023-01-01', '2023-10-01', '3 months') q
UNION ALL
SELECT daterange('2023-01-01', '2024-01-01') UNION ALL SELECT daterange('2023-05-08', '2023-05-15')
UNION ALL SELECT daterange('2023-05-08', '2023-05-08', '[]');

SELECT count(*) AS periods,
       bool_and(churn IS NOT DISTINCT FROM sql_churn) AS churn_equal,
       bool_and(retention IS NOT DISTINCT FROM 100 - sql_churn) AS retention_equal,
       bool_and(revenue IS NOT DISTINCT FROM sql_revenue) AS revenue_equal,
       bool_and(churn IS NOT NULL AND revenue IS NOT NULL) AS all_defined
FROM (SELECT p,
             kpi_churn(since, until, p) AS churn,
             kpi_retention(since, until, p) AS retention,
             kpi_revenue_churn(since, until, p, mrr) AS revenue,
             100 * (count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p))::float8
                 / nullif(count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')), 0) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p), 0)
                  / nullif(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')), 0))::float8 AS sql_revenue
      FROM churn_periods, churn_customers GROUP BY p) x;

-- per plan, and in timestamptz with every kind of bound
SELECT count(*) AS groups,
       bool_and(churn IS NOT DISTINCT FROM sql_churn) AS churn_equal,
       bool_and(revenue IS NOT DISTINCT FROM sql_revenue) AS revenue_equal
FROM (SELECT plan, p,
             kpi_churn(since, until, p) AS churn,
             kpi_revenue_churn(since, until, p, mrr) AS revenue,
             100 * (count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p))::float8
                 / nullif(count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')), 0) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p), 0)
                  / nullif(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')), 0))::float8 AS sql_revenue
      FROM churn_customers_tz,
           (SELECT tstzrange(lower(p), upper(p), b) AS p
            FROM churn_periods, (VALUES ('[)'), ('[]'), ('(]'), ('()')) v(b) WHERE lower(p) < upper(p)) pp
      GROUP BY plan, p) x;

-- the timestamptz form at the same dates agrees with the date form
SELECT bool_and(d.churn = t.churn) AS forms_agree
FROM (SELECT p, kpi_churn(since, until, p) AS churn FROM churn_periods, churn_customers GROUP BY p) d
JOIN (SELECT p, kpi_churn(since::timestamptz, until::timestamptz, tstzrange(lower(p), upper(p))) AS churn
      FROM churn_periods, churn_customers GROUP BY p) t USING (p);

-- ---------- a monthly series for a year, from one query ----------
SELECT to_char(month, 'YYYY-MM') AS month,
       churn = sql_churn AS churn_equal,
       retention = 100 - sql_churn AS retention_equal,
       revenue = sql_revenue AS revenue_equal
FROM (SELECT m AS month,
             kpi_churn(since, until, daterange(m::date, (m + interval '1 month')::date)) AS churn,
             kpi_retention(since, until, daterange(m::date, (m + interval '1 month')::date)) AS retention,
             kpi_revenue_churn(since, until, daterange(m::date, (m + interval '1 month')::date), mrr) AS revenue,
             100 * (count(*) FILTER (WHERE since <= m AND m < coalesce(until, 'infinity') AND until < m + interval '1 month'))::float8
                 / count(*) FILTER (WHERE since <= m AND m < coalesce(until, 'infinity')) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= m AND m < coalesce(until, 'infinity') AND until < m + interval '1 month'), 0)
                  / sum(mrr) FILTER (WHERE since <= m AND m < coalesce(until, 'infinity')))::float8 AS sql_revenue
      FROM generate_series(date '2023-01-01', '2023-12-01', '1 month') m CROSS JOIN churn_customers
      GROUP BY m) x
ORDER BY month;

-- hash aggregation that spills to disk gives the same numbers
SET work_mem = '64kB';
SET enable_sort = off;
SELECT count(*) AS groups,
       bool_and(churn IS NOT DISTINCT FROM sql_churn) AS churn_equal,
       bool_and(revenue IS NOT DISTINCT FROM sql_revenue) AS revenue_equal
FROM (SELECT id % 2000 AS bucket, p,
             kpi_churn(since, until, p) AS churn,
             kpi_revenue_churn(since, until, p, mrr) AS revenue,
             100 * (count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p))::float8
                 / nullif(count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')), 0) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p), 0)
                  / nullif(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')), 0))::float8 AS sql_revenue
      FROM churn_customers, (SELECT p FROM churn_periods LIMIT 4) pp GROUP BY 1, 2) x;
RESET work_mem;
RESET enable_sort;

-- grouping sets: one aggregate context per set, sorted and hashed
SET enable_hashagg = off;
SELECT count(*) AS groups,
       bool_and(churn IS NOT DISTINCT FROM sql_churn) AS churn_equal,
       bool_and(revenue IS NOT DISTINCT FROM sql_revenue) AS revenue_equal
FROM (SELECT plan, id % 7 AS weekday,
             kpi_churn(since, until, daterange('2023-06-01', '2023-07-01')) AS churn,
             kpi_revenue_churn(since, until, daterange('2023-06-01', '2023-07-01'), mrr) AS revenue,
             100 * (count(*) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity') AND until < '2023-07-01'))::float8
                 / nullif(count(*) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')), 0) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity') AND until < '2023-07-01'), 0)
                  / nullif(sum(mrr) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')), 0))::float8 AS sql_revenue
      FROM churn_customers GROUP BY GROUPING SETS ((plan), (id % 7), (plan, id % 7), ())) x;
RESET enable_hashagg;
SET enable_sort = off;
SELECT count(*) AS groups,
       bool_and(churn IS NOT DISTINCT FROM sql_churn) AS churn_equal,
       bool_and(revenue IS NOT DISTINCT FROM sql_revenue) AS revenue_equal
FROM (SELECT plan, id % 7 AS weekday,
             kpi_churn(since, until, daterange('2023-06-01', '2023-07-01')) AS churn,
             kpi_revenue_churn(since, until, daterange('2023-06-01', '2023-07-01'), mrr) AS revenue,
             100 * (count(*) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity') AND until < '2023-07-01'))::float8
                 / nullif(count(*) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')), 0) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity') AND until < '2023-07-01'), 0)
                  / nullif(sum(mrr) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')), 0))::float8 AS sql_revenue
      FROM churn_customers GROUP BY GROUPING SETS ((plan), (id % 7), (plan, id % 7))) x;
RESET enable_sort;

-- ---------- window aggregates ----------
-- per plan over the whole partition, and running by signup order
SELECT count(*) AS rows,
       bool_and(churn IS NOT DISTINCT FROM sql_churn) AS partition_equal,
       bool_and(revenue IS NOT DISTINCT FROM sql_revenue) AS revenue_equal
FROM (SELECT kpi_churn(since, until, daterange('2023-06-01', '2023-07-01')) OVER w AS churn,
             kpi_revenue_churn(since, until, daterange('2023-06-01', '2023-07-01'), mrr) OVER w AS revenue,
             100 * (count(*) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity') AND until < '2023-07-01') OVER w)::float8
                 / nullif(count(*) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')) OVER w, 0) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity') AND until < '2023-07-01') OVER w, 0)
                  / nullif(sum(mrr) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')) OVER w, 0))::float8 AS sql_revenue
      FROM churn_customers WINDOW w AS (PARTITION BY plan)) x;
SELECT count(*) AS rows,
       bool_and(churn IS NOT DISTINCT FROM sql_churn) AS running_equal,
       bool_and(revenue IS NOT DISTINCT FROM sql_revenue) AS revenue_equal
FROM (SELECT kpi_churn(since, until, daterange('2023-06-01', '2023-07-01')) OVER w AS churn,
             kpi_revenue_churn(since, until, daterange('2023-06-01', '2023-07-01'), mrr) OVER w AS revenue,
             100 * (count(*) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity') AND until < '2023-07-01') OVER w)::float8
                 / nullif(count(*) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')) OVER w, 0) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity') AND until < '2023-07-01') OVER w, 0)
                  / nullif(sum(mrr) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')) OVER w, 0))::float8 AS sql_revenue
      FROM churn_customers WINDOW w AS (ORDER BY id)) x;
-- a sliding frame (each row restarts the aggregate)
SELECT count(*) AS rows,
       bool_and(churn IS NOT DISTINCT FROM sql_churn) AS sliding_equal,
       bool_and(revenue IS NOT DISTINCT FROM sql_revenue) AS revenue_equal
FROM (SELECT kpi_churn(since, until, daterange('2023-06-01', '2023-07-01')) OVER w AS churn,
             kpi_revenue_churn(since, until, daterange('2023-06-01', '2023-07-01'), mrr) OVER w AS revenue,
             100 * (count(*) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity') AND until < '2023-07-01') OVER w)::float8
                 / nullif(count(*) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')) OVER w, 0) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity') AND until < '2023-07-01') OVER w, 0)
                  / nullif(sum(mrr) FILTER (WHERE since <= '2023-06-01' AND '2023-06-01' < coalesce(until, 'infinity')) OVER w, 0))::float8 AS sql_revenue
      FROM churn_customers WHERE id <= 3000 WINDOW w AS (ORDER BY id ROWS BETWEEN 50 PRECEDING AND CURRENT ROW)) x;

-- a prepared statement with the period as a parameter
PREPARE monthly(daterange) AS SELECT kpi_churn(since, until, $1) FROM churn_customers;
SET plan_cache_mode = force_generic_plan;
SELECT (SELECT p FROM churn_periods LIMIT 1) AS p \gset
EXECUTE monthly(:'p') \gset prepared_
SELECT :prepared_kpi_churn = kpi_churn(since, until, :'p') AS prepared_equals_literal FROM churn_customers;
RESET plan_cache_mode;
DEALLOCATE monthly;
