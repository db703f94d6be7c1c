-- Churn on IBM's telco customers (../shared/data/telco-churn): 7,043
-- customers with their tenure in months, whether they left (Churn), their
-- monthly charges and contract.  Dates are derived from a snapshot taken on
-- 2024-01-01: since = snapshot - tenure months; a customer who churned
-- left at the snapshot (IBM: "left within the last month").  Every result
-- is compared with the hand-written SQL over the same rows:
--   active = since <= lower(period) AND lower(period) < coalesce(until, 'infinity')
--   lost   = active AND until <@ period
-- Months and years are counted in UTC, where the snapshot is midnight.
SET timezone = 'UTC';
CREATE TABLE telco_raw (customer_id text, gender text, senior_citizen text, partner text,
                        dependents text, tenure int, phone_service text, multiple_lines text,
                        internet_service text, online_security text, online_backup text,
                        device_protection text, tech_support text, streaming_tv text,
                        streaming_movies text, contract text, paperless_billing text,
                        payment_method text, monthly_charges numeric, total_charges text, churn text);
\copy telco_raw FROM PROGRAM 'cat "$KPI_DATA/telco-churn/Telco-Customer-Churn.csv"' WITH (FORMAT csv, HEADER true)

CREATE TABLE telco AS
SELECT customer_id, contract, monthly_charges AS mrr,
       (timestamptz '2024-01-01 00:00:00+00' - make_interval(months => tenure)) AS since,
       CASE WHEN churn = 'Yes' THEN timestamptz '2024-01-01 00:00:00+00' END AS until,
       tenure, churn = 'Yes' AS churned
FROM telco_raw;
-- the loaded data matches the data README (7,043 customers, 26.54% churned)
SELECT count(*) AS customers, count(*) FILTER (WHERE churned) AS churned,
       round(100.0 * count(*) FILTER (WHERE churned) / count(*), 2) = 26.54 AS matches_data_readme,
       min(tenure) AS min_tenure, max(tenure) AS max_tenure
FROM telco;

-- ---------- monthly periods ----------
-- Months closed at their end, (start, end]: the month a customer leaves in
-- is the one whose end they reach.  Every month from the oldest signup to
-- the snapshot.
CREATE TABLE months AS
SELECT tstzrange(m, m + interval '1 month', '(]') AS p
FROM generate_series(timestamptz '2018-01-01 00:00:00+00', '2023-12-01 00:00:00+00', '1 month') m;

SELECT count(*) AS months,
       bool_and(churn IS NOT DISTINCT FROM sql_churn) AS churn_equal,
       bool_and(retention IS NOT DISTINCT FROM 100 - sql_churn) AS retention_equal,
       bool_and(revenue IS NOT DISTINCT FROM sql_revenue) AS revenue_equal,
       count(*) FILTER (WHERE churn > 0) AS months_with_churn
FROM (SELECT p,
             kpi_churn(since, until, p) AS churn,
             kpi_retention(since, until, p) AS retention,
             kpi_revenue_churn(since, until, p, mrr) AS revenue,
             100 * (count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p))::float8
                 / nullif(count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')), 0) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p), 0)
                  / nullif(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')), 0))::float8 AS sql_revenue
      FROM months, telco GROUP BY p) x;

-- December 2023, independently: everyone with at least a month of tenure
-- was a customer on 1 December, and every churned customer (all of whom
-- have tenure >= 1) left in it
SELECT kpi_churn(since, until, tstzrange('2023-12-01 00:00:00+00', '2024-01-01 00:00:00+00', '(]')) =
         100 * (count(*) FILTER (WHERE churned))::float8 / count(*) FILTER (WHERE tenure >= 1) AS december_from_columns,
       count(*) FILTER (WHERE churned AND tenure < 1) AS churned_with_tenure_0
FROM telco;

-- per contract type, monthly
SELECT contract, count(*) AS months,
       bool_and(churn IS NOT DISTINCT FROM sql_churn) AS churn_equal,
       bool_and(revenue IS NOT DISTINCT FROM sql_revenue) AS revenue_equal
FROM (SELECT contract, p,
             kpi_churn(since, until, p) AS churn,
             kpi_revenue_churn(since, until, p, mrr) AS revenue,
             100 * (count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p))::float8
                 / nullif(count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')), 0) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p), 0)
                  / nullif(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')), 0))::float8 AS sql_revenue
      FROM months, telco GROUP BY contract, p) x
GROUP BY contract ORDER BY contract;

-- the same months in the date form, daterange(start, end, '(]')
SELECT count(*) AS months,
       bool_and(churn IS NOT DISTINCT FROM sql_churn) AS churn_equal,
       bool_and(revenue IS NOT DISTINCT FROM sql_revenue) AS revenue_equal
FROM (SELECT p,
             kpi_churn(since, until, p) AS churn,
             kpi_revenue_churn(since, until, p, mrr) AS revenue,
             100 * (count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p))::float8
                 / nullif(count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')), 0) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p), 0)
                  / nullif(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')), 0))::float8 AS sql_revenue
      FROM (SELECT daterange((lower(p) AT TIME ZONE 'UTC')::date, (upper(p) AT TIME ZONE 'UTC')::date, '(]') AS p FROM months) m,
           (SELECT (since AT TIME ZONE 'UTC')::date AS since, (until AT TIME ZONE 'UTC')::date AS until, mrr FROM telco) t
      GROUP BY p) x;

-- ---------- annual periods ----------
SELECT extract(year FROM lower(p)) AS year,
       churn = sql_churn AS churn_equal,
       retention = 100 - sql_churn AS retention_equal,
       revenue = sql_revenue AS revenue_equal
FROM (SELECT p,
             kpi_churn(since, until, p) AS churn,
             kpi_retention(since, until, p) AS retention,
             kpi_revenue_churn(since, until, p, mrr) AS revenue,
             100 * (count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p))::float8
                 / count(*) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')) AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity') AND until <@ p), 0)
                  / sum(mrr) FILTER (WHERE since <= lower(p) AND lower(p) < coalesce(until, 'infinity')))::float8 AS sql_revenue
      FROM (SELECT tstzrange(y, y + interval '1 year', '(]') AS p
            FROM generate_series(timestamptz '2018-01-01 00:00:00+00', '2023-01-01 00:00:00+00', '1 year') y) years,
           telco
      GROUP BY p) x
ORDER BY year;

-- the last year per contract type: logo and revenue churn
SELECT contract,
       churn = sql_churn AS churn_equal,
       revenue = sql_revenue AS revenue_equal,
       revenue > churn AS churners_pay_more
FROM (SELECT contract,
             kpi_churn(since, until, tstzrange('2023-01-01 00:00:00+00', '2024-01-01 00:00:00+00', '(]')) AS churn,
             kpi_revenue_churn(since, until, tstzrange('2023-01-01 00:00:00+00', '2024-01-01 00:00:00+00', '(]'), mrr) AS revenue,
             100 * (count(*) FILTER (WHERE since <= '2023-01-01 00:00:00+00' AND until IS NOT NULL))::float8
                 / count(*) FILTER (WHERE since <= '2023-01-01 00:00:00+00') AS sql_churn,
             (100 * coalesce(sum(mrr) FILTER (WHERE since <= '2023-01-01 00:00:00+00' AND until IS NOT NULL), 0)
                  / sum(mrr) FILTER (WHERE since <= '2023-01-01 00:00:00+00'))::float8 AS sql_revenue
      FROM telco GROUP BY contract) x
ORDER BY contract;
