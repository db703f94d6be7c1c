-- kpi_churn_state, the transition state: text and binary round trips,
-- states taken out of the aggregates, and malformed input.
-- Its text form: v1 <kind> <period, in UTC> active=<n> lost=<n>
-- [active_mrr=<decimal> lost_mrr=<decimal>].

-- The aggregates' transition state, without the final function.
CREATE AGGREGATE churn_state(date, date, daterange) (SFUNC = kpi_churn_accum, STYPE = kpi_churn_state);
CREATE AGGREGATE churn_state(timestamptz, timestamptz, tstzrange) (SFUNC = kpi_churn_accum, STYPE = kpi_churn_state);
CREATE AGGREGATE churn_revenue_state(date, date, daterange, numeric) (SFUNC = kpi_revenue_churn_accum, STYPE = kpi_churn_state);
CREATE AGGREGATE churn_revenue_state(timestamptz, timestamptz, tstzrange, numeric) (SFUNC = kpi_revenue_churn_accum, STYPE = kpi_churn_state);
-- the state of one customer active since the start of period
CREATE FUNCTION churn_state_of_one(since anyelement, period anyrange) RETURNS kpi_churn_state
  LANGUAGE sql AS $$ SELECT churn_state(since, NULL, period) $$;

CREATE TABLE churn_io_customers (since date, until date, mrr numeric);
INSERT INTO churn_io_customers VALUES
  ('2023-01-01', NULL, 10.50), ('2023-01-01', '2024-01-15', 20.25), ('2023-06-01', '2024-02-01', 5),
  ('2024-01-10', NULL, 99), ('2022-01-01', '2023-01-01', 7);

CREATE TABLE churn_states (id int, x kpi_churn_state);
INSERT INTO churn_states VALUES
  (1, 'v1 date [2024-01-01,2024-02-01) active=0 lost=0'),
  (2, 'v1 date [2024-01-01,2024-02-01) active=4 lost=1'),
  (3, 'v1 timestamptz [2024-01-01 00:00:00+00,2024-02-01 00:00:00+00) active=3 lost=3'),
  (4, 'v1 timestamptz (2024-01-01 00:00:00.5+00,2024-01-01 00:00:00.500001+00] active=9223372036854775807 lost=1'),
  (5, 'v1 date [4714-11-24 BC,5874898-01-01) active=1 lost=0'),
  (6, 'v1 timestamptz [4714-11-24 00:00:00+00 BC,294276-12-31 23:59:59.999999+00] active=2 lost=1'),
  (7, 'v1 date [0001-12-31 BC,0001-01-01) active=1 lost=1'),
  (8, 'v1 date [2024-01-01,2024-02-01) active=4 lost=1 active_mrr=100.50 lost_mrr=0.50'),
  (9, 'v1 timestamptz [2024-02-29 12:00:00+00,2024-03-01 12:00:00+00) active=1 lost=0 active_mrr=0.000 lost_mrr=0'),
  (10, '  v1	date   [2024-01-01,2024-02-01)  active=2 lost=0   '),
  (11, 'v1 date [2024-01-01,2024-02-01) active=0 lost=0 active_mrr=0 lost_mrr=0.00');
INSERT INTO churn_states SELECT 20, churn_state(since, until, daterange('2024-01-01', '2024-02-01')) FROM churn_io_customers;
INSERT INTO churn_states SELECT 21, churn_state(since::timestamptz, until::timestamptz, tstzrange('2024-01-01', '2024-02-01', '[]')) FROM churn_io_customers;
INSERT INTO churn_states SELECT 22, churn_revenue_state(since, until, daterange('2024-01-01', '2024-02-01'), mrr) FROM churn_io_customers;
INSERT INTO churn_states SELECT 23, churn_revenue_state(since::timestamptz, until::timestamptz, tstzrange('2024-01-01 12:00+00', '2024-02-01'), mrr) FROM churn_io_customers;

-- text: output then input gives the same value
SELECT id, x, x::text::kpi_churn_state::text = x::text AS text_round_trip FROM churn_states ORDER BY id;

-- the bounds are written as PostgreSQL writes them in UTC with DateStyle
-- ISO, over the whole range of each type (BC years, fractions of seconds)
SET timezone = 'UTC';
SET datestyle = 'ISO';
SELECT setseed(0.5);
SELECT count(*) AS dates,
       bool_and(churn_state_of_one(d, daterange(d, d + 1))::text =
                format('v1 date [%s,%s) active=1 lost=0', d, d + 1)) AS dates_as_postgres
FROM (SELECT date '4714-11-24 BC' + floor(random() * (date '5874897-12-30' - date '4714-11-24 BC'))::int AS d
      FROM generate_series(1, 20000)
      UNION ALL
      SELECT d::date FROM unnest(ARRAY['4714-11-24 BC', '0001-12-31 BC', '0001-01-01', '1999-12-31', '2000-01-01',
                                       '2000-02-29', '2100-02-28', '5874897-12-30']) d) x;
SELECT count(*) AS timestamps,
       bool_and(churn_state_of_one(t, tstzrange(t, t + interval '1 second'))::text =
                format('v1 timestamptz [%s,%s) active=1 lost=0', t, t + interval '1 second')) AS timestamps_as_postgres
FROM (SELECT timestamptz '4714-11-24 00:00:00+00 BC'
             + floor(random() * (date '294276-12-31' - date '4714-11-24 BC')) * interval '1 day'
             + floor(random() * 86400e6) * interval '1 microsecond' AS t
      FROM generate_series(1, 20000)
      UNION ALL
      SELECT t::timestamptz FROM unnest(ARRAY['4714-11-24 00:00:00+00 BC', '0001-12-31 23:59:59.999999+00 BC',
                                              '0001-01-01 00:00:00+00', '1999-12-31 23:59:59.5+00',
                                              '2000-01-01 00:00:00+00', '2024-02-29 12:00:00.000001+00',
                                              '294276-12-31 23:59:58.999999+00']) t) x;
RESET timezone;
RESET datestyle;

-- the final functions read any state
SELECT id, kpi_churn_final(x) AS churn, kpi_retention_final(x) AS retention,
       CASE WHEN x::text LIKE '%mrr%' THEN kpi_revenue_churn_final(x) END AS revenue_churn
FROM churn_states ORDER BY id;
-- a state taken out of an aggregate gives what the aggregate gives
SELECT kpi_churn_final(churn_state(since, until, daterange('2024-01-01', '2024-02-01'))) =
       kpi_churn(since, until, daterange('2024-01-01', '2024-02-01')) AS logo_equal,
       kpi_revenue_churn_final(churn_revenue_state(since, until, daterange('2024-01-01', '2024-02-01'), mrr)) =
       kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-02-01'), mrr) AS revenue_equal
FROM churn_io_customers;
-- the support functions called directly, outside an aggregate, refuse (0A000)
SELECT kpi_churn_accum(NULL, '2023-01-01'::date, '2024-01-02'::date, daterange('2024-01-01', '2024-02-01'));
SELECT kpi_revenue_churn_combine('v1 date [2024-01-01,2024-02-01) active=1 lost=1 active_mrr=1.5 lost_mrr=1.5',
                                 'v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=2.25 lost_mrr=0');
-- inside a user-defined aggregate they start from its INITCOND
CREATE AGGREGATE churn_revenue_merge(kpi_churn_state) (SFUNC = kpi_revenue_churn_combine, STYPE = kpi_churn_state,
  INITCOND = 'v1 date [2024-01-01,2024-02-01) active=1 lost=1 active_mrr=1.5 lost_mrr=1.5');
SELECT churn_revenue_merge('v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=2.25 lost_mrr=0');

-- binary: COPY out and back in
COPY churn_states TO '/tmp/kpi_churn_io.bin' (FORMAT binary);
CREATE TABLE churn_states_back (LIKE churn_states);
COPY churn_states_back FROM '/tmp/kpi_churn_io.bin' (FORMAT binary);
SELECT count(*) AS rows_back, bool_and(a.x::text = b.x::text) AS binary_round_trip
FROM churn_states a JOIN churn_states_back b USING (id);
-- the binary form: version, kind, flags, four big-endian int64, then for
-- revenue two length-prefixed numerics in numeric's binary form
SELECT kpi_churn_state_send(x) FROM churn_states WHERE id IN (2, 8) ORDER BY id;

-- Crafted binary values must be rejected by the receive function (22P03).
CREATE TABLE churn_bad_binary (x kpi_churn_state);
CREATE FUNCTION churn_try_binary(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  detail text;
BEGIN
  EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', payload, '/tmp/kpi_churn_bad.bin');
  TRUNCATE churn_bad_binary;
  COPY churn_bad_binary FROM '/tmp/kpi_churn_bad.bin' (FORMAT binary);
  RETURN 'accepted: ' || (SELECT x::text FROM churn_bad_binary);
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || ' / ' || detail;
END $$;
-- date kind (1), flags, bounds as days since 2000-01-01, counts
CREATE FUNCTION churn_state_bytes(version int, kind int, flags int, lower bigint, upper bigint,
                            active bigint, lost bigint) RETURNS bytea LANGUAGE sql AS $$
  SELECT set_byte(set_byte(set_byte('\x000000'::bytea, 0, version), 1, kind), 2, flags)
         || int8send(lower) || int8send(upper) || int8send(active) || int8send(lost) $$;
CREATE FUNCTION churn_sum_bytes(n numeric) RETURNS bytea LANGUAGE sql AS $$
  SELECT int4send(length(numeric_send(n))) || numeric_send(n) $$;
SELECT churn_try_binary(churn_state_bytes(1, 1, 1, 8766, 8797, 4, 1));                 -- well formed
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 1) || churn_sum_bytes(10) || churn_sum_bytes(2.5)); -- with revenue
SELECT churn_try_binary(''::bytea);                                              -- empty
SELECT churn_try_binary(churn_state_bytes(2, 1, 1, 8766, 8797, 4, 1));                 -- version 2
SELECT churn_try_binary(substr(churn_state_bytes(1, 1, 1, 8766, 8797, 4, 1), 1, 30));  -- truncated
SELECT churn_try_binary(churn_state_bytes(1, 1, 1, 8766, 8797, 4, 1) || '\x00'::bytea); -- trailing byte
SELECT churn_try_binary(churn_state_bytes(1, 3, 1, 8766, 8797, 4, 1));                 -- unknown kind
SELECT churn_try_binary(churn_state_bytes(1, 1, 9, 8766, 8797, 4, 1));                 -- unknown flag
SELECT churn_try_binary(churn_state_bytes(1, 1, 3, 8766, 8797, 4, 1));                 -- date period not canonical
SELECT churn_try_binary(churn_state_bytes(1, 2, 1, 8797, 8766, 4, 1));                 -- lower above upper
SELECT churn_try_binary(churn_state_bytes(1, 2, 1, 8766, 8766, 4, 1));                 -- empty period
SELECT churn_try_binary(churn_state_bytes(1, 2, 3, 9223372036854775807, 9223372036854775807, 4, 1)); -- infinite bound
SELECT churn_try_binary(churn_state_bytes(1, 1, 1, 8766, 2147483647, 4, 1));           -- date out of range
SELECT churn_try_binary(churn_state_bytes(1, 1, 1, 8766, 8797, -4, 0));                -- negative count
SELECT churn_try_binary(churn_state_bytes(1, 1, 1, 8766, 8797, 4, 5));                 -- lost above active
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 1));                 -- revenue without sums
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 1) || churn_sum_bytes(10)); -- one sum
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 1) || churn_sum_bytes(10) || '\x00000009'::bytea || substr(numeric_send(2.5), 1, 9)); -- sum length past the end
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 1) || churn_sum_bytes(10) || '\x0000000100'::bytea); -- malformed numeric
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 1) || churn_sum_bytes(10) || '\x0000000a00010000000000012710'::bytea); -- digit 10000
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 1) || churn_sum_bytes(10) || '\x0000000a0001000000004000000a'::bytea); -- dscale 16384
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 1) || churn_sum_bytes(10) || '\x0000000c000200000000000000000005'::bytea); -- leading zero digit
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 1) || churn_sum_bytes(10) || '\x0000000c000300000000000000050005'::bytea); -- 3 digits in 2
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 1) || churn_sum_bytes(10) || churn_sum_bytes(-2.5)); -- negative sum
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 1) || churn_sum_bytes(10) || churn_sum_bytes('NaN')); -- NaN sum
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 1) || churn_sum_bytes(10) || churn_sum_bytes(12)); -- lost above active
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 4, 0) || churn_sum_bytes(10) || churn_sum_bytes(1)); -- lost_mrr without a lost customer
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 0, 0) || churn_sum_bytes(10) || churn_sum_bytes(0)); -- active_mrr with nobody active
SELECT churn_try_binary(churn_state_bytes(1, 1, 5, 8766, 8797, 2, 2) || churn_sum_bytes(10) || churn_sum_bytes(9)); -- all lost, sums differ

-- Malformed text (22P02), with what is wrong
\set VERBOSITY terse
CREATE FUNCTION churn_try_text(t text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  detail text;
BEGIN
  RETURN 'accepted: ' || t::kpi_churn_state::text;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || detail;
END $$;
SELECT t, churn_try_text(t) FROM unnest(ARRAY[
  '',
  'v1',
  'v2 date [2024-01-01,2024-02-01) active=1 lost=0',
  'v1 month [2024-01-01,2024-02-01) active=1 lost=0',
  'v1 date 2024-01-01,2024-02-01) active=1 lost=0',
  'v1 date [2024-01-01 2024-02-01) active=1 lost=0',
  'v1 date [2024-01-01,2024-02-01 active=1 lost=0',
  'v1 date [2024-1-01,2024-02-01) active=1 lost=0',
  'v1 date [24-01-01,2024-02-01) active=1 lost=0',
  'v1 date [2024-02-30,2024-03-01) active=1 lost=0',
  'v1 date [2024-13-01,2025-01-01) active=1 lost=0',
  'v1 date [0000-01-01,2024-01-01) active=1 lost=0',
  'v1 date [4714-01-01 BC,2024-01-01) active=1 lost=0',
  'v1 date [2024-01-01,5874898-01-02) active=1 lost=0',
  'v1 date [2024-01-01,2024-02-01] active=1 lost=0',
  'v1 date (2024-01-01,2024-02-01) active=1 lost=0',
  'v1 date [2024-02-01,2024-01-01) active=1 lost=0',
  'v1 date [2024-01-01,2024-01-01) active=1 lost=0',
  'v1 date [infinity,2024-01-01) active=1 lost=0',
  'v1 timestamptz [2024-01-01,2024-02-01) active=1 lost=0',
  'v1 timestamptz [2024-01-01 00:00:00,2024-02-01 00:00:00+00) active=1 lost=0',
  'v1 timestamptz [2024-01-01 00:00:00+01,2024-02-01 00:00:00+00) active=1 lost=0',
  'v1 timestamptz [2024-01-01 24:00:00+00,2024-02-01 00:00:00+00) active=1 lost=0',
  'v1 timestamptz [2024-01-01 00:00:00.1234567+00,2024-02-01 00:00:00+00) active=1 lost=0',
  'v1 timestamptz [2024-01-01 00:00:00.+00,2024-02-01 00:00:00+00) active=1 lost=0',
  'v1 timestamptz [294277-01-01 00:00:00+00,294277-01-02 00:00:00+00) active=1 lost=0',
  'v1 timestamptz (2024-01-01 00:00:00+00,2024-01-01 00:00:00+00] active=1 lost=0',
  'v1 date [2024-01-01,2024-02-01) active=1',
  'v1 date [2024-01-01,2024-02-01) lost=0 active=1',
  'v1 date [2024-01-01,2024-02-01) active=-1 lost=0',
  'v1 date [2024-01-01,2024-02-01) active=1 lost=2',
  'v1 date [2024-01-01,2024-02-01) active=9223372036854775808 lost=0',
  'v1 date [2024-01-01,2024-02-01)active=1 lost=0',
  'v1 date [2024-01-01,2024-02-01) active=1 lost=0x',
  'v1 date [2024-01-01,2024-02-01) active=1 lost=0 extra',
  'v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=5',
  'v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=-5 lost_mrr=0',
  'v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=5. lost_mrr=0',
  'v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=.5 lost_mrr=0',
  'v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=1e5 lost_mrr=0',
  'v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=NaN lost_mrr=0',
  'v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=5 lost_mrr=1',
  'v1 date [2024-01-01,2024-02-01) active=2 lost=1 active_mrr=5 lost_mrr=6',
  'v1 date [2024-01-01,2024-02-01) active=0 lost=0 active_mrr=5 lost_mrr=0',
  'v1 date [2024-01-01,2024-02-01) active=1 lost=1 active_mrr=5 lost_mrr=4',
  'v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=5 lost_mrr=0 x']) t;
-- the hint shows the form
\set VERBOSITY default
SELECT 'v1 date [2024-01-01,2024-02-01)'::kpi_churn_state;
