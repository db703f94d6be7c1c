-- Bad input to the churn aggregates: each error has its SQLSTATE and names
-- the bad value.
\set VERBOSITY default
SET datestyle = 'ISO';
SET timezone = 'UTC';

-- a customer who leaves before joining (22000, as core's range bounds)
SELECT kpi_churn(since, until, daterange('2024-01-01', '2024-02-01'))
FROM (VALUES ('2023-01-01'::date, '2024-01-15'::date), ('2024-03-01', '2024-02-01')) v(since, until);
SELECT kpi_churn(since, until, tstzrange('2024-01-01', '2024-02-01'))
FROM (VALUES ('2024-01-10 12:00+00'::timestamptz, '2024-01-10 11:59+00'::timestamptz)) v(since, until);
-- checked on every row, even one that does not count for the period
SELECT kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), 10)
FROM (VALUES ('2020-01-02'::date, '2020-01-01'::date)) v(since, until);

-- periods: empty, unbounded, infinite bounds (22023)
SELECT kpi_churn(since, until, 'empty'::daterange)
FROM (VALUES ('2023-01-01'::date, NULL::date)) v(since, until);
SELECT kpi_churn(since, until, tstzrange('2024-01-01', '2024-01-01'))
FROM (VALUES ('2023-01-01'::timestamptz, NULL::timestamptz)) v(since, until);
SELECT kpi_churn(since, until, daterange('2024-01-01', NULL))
FROM (VALUES ('2023-01-01'::date, NULL::date)) v(since, until);
SELECT kpi_churn(since, until, daterange(NULL, '2024-01-01'))
FROM (VALUES ('2023-01-01'::date, NULL::date)) v(since, until);
SELECT kpi_churn(since, until, tstzrange(NULL, NULL))
FROM (VALUES ('2023-01-01'::timestamptz, NULL::timestamptz)) v(since, until);
SELECT kpi_churn(since, until, daterange('2024-01-01', 'infinity'))
FROM (VALUES ('2023-01-01'::date, NULL::date)) v(since, until);
SELECT kpi_churn(since, until, tstzrange('-infinity', '2024-01-01'))
FROM (VALUES ('2023-01-01'::timestamptz, NULL::timestamptz)) v(since, until);

-- rows of one group with different periods (22023), with both periods
SELECT kpi_churn(since, until, p)
FROM (VALUES ('2023-01-01'::date, NULL::date, daterange('2024-01-01', '2024-02-01')),
             ('2023-01-01', NULL, daterange('2024-01-01', '2024-03-01'))) v(since, until, p);
SELECT kpi_revenue_churn(since, until, p, 1)
FROM (VALUES ('2023-01-01'::timestamptz, NULL::timestamptz, tstzrange('2024-01-01', '2024-02-01')),
             ('2023-01-01', NULL, tstzrange('2024-01-01', '2024-02-01', '[]'))) v(since, until, p);
-- grouping by the period is the fix
SELECT lower(p) AS period_start, kpi_churn(since, until, p)
FROM (VALUES ('2023-01-01'::date, '2024-01-15'::date, daterange('2024-01-01', '2024-02-01')),
             ('2023-01-01', NULL, daterange('2024-01-01', '2024-03-01'))) v(since, until, p)
GROUP BY p ORDER BY p;

-- mrr: negative, NaN or infinite (22003); zero is fine
SELECT kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), mrr)
FROM (VALUES ('2023-01-01'::date, NULL::date, 10::numeric), ('2023-01-01', NULL, -0.01)) v(since, until, mrr);
SELECT kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), 'NaN')
FROM (VALUES ('2023-01-01'::date, NULL::date)) v(since, until);
SELECT kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), 'Infinity')
FROM (VALUES ('2023-01-01'::date, NULL::date)) v(since, until);
SELECT kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), '-Infinity')
FROM (VALUES ('2023-01-01'::date, NULL::date)) v(since, until);
-- checked on every row, counted or not
SELECT kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), -5)
FROM (VALUES ('2020-01-01'::date, '2020-06-01'::date)) v(since, until);

\set VERBOSITY terse
-- every numeric format, read from a table (values with 1-byte headers):
-- short and long, positive and negative, zero
CREATE TABLE churn_mrr_values (m text, mrr numeric);
INSERT INTO churn_mrr_values
SELECT m, m::numeric
FROM unnest(ARRAY['0', '-0', '-0.00', '0.000000000000000000000000000001', '123456789012345678901234567890',
                  '1e-100', '1e300', '-1e-100', '-1e300', '-0.0000001', '-1', '-12345.6789',
                  'NaN', 'Infinity', '-Infinity']) m;
CREATE FUNCTION churn_try_mrr(value text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN 'ok: ' || coalesce(kpi_revenue_churn('2023-01-01'::date, '2024-01-15'::date,
                                              daterange('2024-01-01', '2024-02-01'), mrr)::text, 'NULL')
    FROM churn_mrr_values WHERE m = value;
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SELECT m, churn_try_mrr(m) FROM churn_mrr_values;
-- a large mrr stored compressed takes the other path, and is checked too
CREATE TABLE churn_wide_mrr (since date, until date, mrr numeric);
ALTER TABLE churn_wide_mrr ALTER mrr SET STORAGE main;
INSERT INTO churn_wide_mrr VALUES ('2023-01-01', '2024-01-15', ('-' || repeat('1', 5000))::numeric);
SELECT pg_column_size(mrr) < 5000 AS compressed FROM churn_wide_mrr;
CREATE FUNCTION churn_try_wide() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN 'ok: ' || kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), mrr) FROM churn_wide_mrr;
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SELECT churn_try_wide() AS negative;
UPDATE churn_wide_mrr SET mrr = -mrr;
SELECT churn_try_wide() AS positive;

-- support functions run only inside an aggregate (0A000); there, they check
-- every state they are handed (a user-defined aggregate may pass any)
SELECT kpi_churn_combine('v1 date [2024-01-01,2024-02-01) active=1 lost=0',
                         'v1 date [2024-01-01,2024-03-01) active=1 lost=0');
SELECT kpi_revenue_churn_accum(NULL, '2023-01-01'::date, NULL::date, daterange('2024-01-01', '2024-02-01'), 1);
CREATE AGGREGATE churn_of_states(kpi_churn_state) (
  SFUNC = kpi_churn_combine, STYPE = kpi_churn_state, FINALFUNC = kpi_churn_final);
CREATE AGGREGATE churn_revenue_of_states(kpi_churn_state) (
  SFUNC = kpi_revenue_churn_combine, STYPE = kpi_churn_state, FINALFUNC = kpi_revenue_churn_final);
SELECT churn_of_states(s::kpi_churn_state)
FROM (VALUES ('v1 date [2024-01-01,2024-02-01) active=4 lost=1'),
             ('v1 date [2024-01-01,2024-02-01) active=4 lost=3')) v(s);
-- the periods must match (22023)
SELECT churn_of_states(s::kpi_churn_state)
FROM (VALUES ('v1 date [2024-01-01,2024-02-01) active=4 lost=1'),
             ('v1 timestamptz [2024-01-01 00:00:00+00,2024-02-01 00:00:00+00) active=4 lost=3')) v(s);
SELECT churn_revenue_of_states(s::kpi_churn_state)
FROM (VALUES ('v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=5 lost_mrr=0'),
             ('v1 date [2023-12-01,2024-01-01) active=1 lost=0 active_mrr=5 lost_mrr=0')) v(s);
-- logo and revenue states do not mix
SELECT churn_of_states(s::kpi_churn_state)
FROM (VALUES ('v1 date [2024-01-01,2024-02-01) active=1 lost=0'),
             ('v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=5 lost_mrr=0')) v(s);
SELECT churn_revenue_of_states(s::kpi_churn_state)
FROM (VALUES ('v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=5 lost_mrr=0'),
             ('v1 date [2024-01-01,2024-02-01) active=1 lost=0')) v(s);
SELECT kpi_revenue_churn_final('v1 date [2024-01-01,2024-02-01) active=1 lost=0');
-- counts past bigint (22003), in a merge and from a user-defined INITCOND
SELECT churn_of_states(s::kpi_churn_state)
FROM (VALUES ('v1 date [2024-01-01,2024-02-01) active=9223372036854775807 lost=0'),
             ('v1 date [2024-01-01,2024-02-01) active=1 lost=0')) v(s);
CREATE AGGREGATE churn_from_full(date, date, daterange) (
  SFUNC = kpi_churn_accum, STYPE = kpi_churn_state, FINALFUNC = kpi_churn_final,
  INITCOND = 'v1 date [2024-01-01,2024-02-01) active=9223372036854775807 lost=0');
SELECT churn_from_full('2023-01-01'::date, NULL::date, daterange('2024-01-01', '2024-02-01'));
-- an INITCOND of the other kind is refused, not misread
CREATE AGGREGATE churn_from_revenue(date, date, daterange) (
  SFUNC = kpi_churn_accum, STYPE = kpi_churn_state, FINALFUNC = kpi_churn_final,
  INITCOND = 'v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=5 lost_mrr=0');
SELECT churn_from_revenue('2023-01-01'::date, NULL::date, daterange('2024-01-01', '2024-02-01'));

\set VERBOSITY sqlstate
SELECT kpi_churn(since, until, daterange('2024-01-01', '2024-02-01'))
FROM (VALUES ('2024-03-01'::date, '2024-02-01'::date)) v(since, until);
SELECT kpi_churn(since, until, 'empty'::daterange) FROM (VALUES ('2023-01-01'::date, NULL::date)) v(since, until);
SELECT kpi_churn(since, until, daterange('2024-01-01', NULL)) FROM (VALUES ('2023-01-01'::date, NULL::date)) v(since, until);
SELECT kpi_churn(since, until, daterange('2024-01-01', 'infinity')) FROM (VALUES ('2023-01-01'::date, NULL::date)) v(since, until);
SELECT kpi_churn(since, until, p)
FROM (VALUES ('2023-01-01'::date, NULL::date, daterange('2024-01-01', '2024-02-01')),
             ('2023-01-01', NULL, daterange('2024-01-01', '2024-03-01'))) v(since, until, p);
SELECT churn_of_states(s::kpi_churn_state)
FROM (VALUES ('v1 date [2024-01-01,2024-02-01) active=1 lost=0'),
             ('v1 date [2024-01-01,2024-03-01) active=1 lost=0')) v(s);
SELECT kpi_churn_combine('v1 date [2024-01-01,2024-02-01) active=1 lost=0', NULL);
SELECT kpi_revenue_churn('2023-01-01'::date, NULL, daterange('2024-01-01', '2024-02-01'), -1);
SELECT churn_of_states(s::kpi_churn_state)
FROM (VALUES ('v1 date [2024-01-01,2024-02-01) active=9223372036854775807 lost=0'),
             ('v1 date [2024-01-01,2024-02-01) active=1 lost=0')) v(s);
SELECT 'v1 date [2024-01-01,2024-02-01) active=1 lost=2'::kpi_churn_state;
