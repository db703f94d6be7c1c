-- kpi_hist: text and binary round trips, corrupted binary values, stored
-- values, the bucket table, jsonb and the sparkline
\set VERBOSITY terse

SELECT setseed(0.3);
CREATE TABLE hist_io_src AS
SELECT i % 7 AS k,
       interval '1 microsecond' * round(7.2e9 * exp(1.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))) AS d
  FROM generate_series(1, 30000) i;
INSERT INTO hist_io_src VALUES (7, interval '-3 days'), (7, '0'), (7, '1 microsecond'),
  (8, '-290000 years'), (8, '290000 years'), (9, '1 hour');
CREATE TABLE hist_io (id int, h kpi_hist);
INSERT INTO hist_io SELECT k, kpi_hist(d) FROM hist_io_src GROUP BY k;
INSERT INTO hist_io SELECT 10, kpi_hist(a, b)
  FROM (VALUES (now(), NULL::timestamptz), (now(), NULL)) v(a, b);      -- pending only
INSERT INTO hist_io SELECT 11, kpi_hist(d) FROM hist_io_src;              -- all rows

-- text: output then input gives the same value; stored values read back equal
SELECT id, kpi_count(h), kpi_pending(h), h::text::kpi_hist::text = h::text AS text_round_trip,
       h::text = (SELECT kpi_hist(d) FROM hist_io_src s WHERE s.k = hist_io.id)::text AS stored_equals_fresh
  FROM hist_io ORDER BY id;
SELECT h FROM hist_io WHERE id IN (8, 9, 10) ORDER BY id;

-- binary: COPY out and back in
COPY hist_io TO '/tmp/kpi_hist_io.bin' (FORMAT binary);
CREATE TABLE hist_io_back (LIKE hist_io);
COPY hist_io_back FROM '/tmp/kpi_hist_io.bin' (FORMAT binary);
SELECT count(*) AS rows_back, bool_and(a.h::text = b.h::text) AS binary_round_trip
  FROM hist_io a JOIN hist_io_back b USING (id);
SELECT kpi_hist_send(h) = kpi_hist_send(h::text::kpi_hist) AS send_stable FROM hist_io WHERE id = 11;

-- A binary COPY field is just bytes: write crafted bytes, read them back as
-- kpi_hist; the receive function must reject every bad one (22P03).
CREATE TABLE hist_bad_binary (h kpi_hist);
CREATE FUNCTION hist_try_binary(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  detail text;
BEGIN
  EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', payload, '/tmp/kpi_hist_bad.bin');
  TRUNCATE hist_bad_binary;
  COPY hist_bad_binary FROM '/tmp/kpi_hist_bad.bin' (FORMAT binary);
  RETURN 'accepted: ' || (SELECT h::text FROM hist_bad_binary);
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || ' / ' || detail;
END $$;
-- header: version, reserved, count, pending, sum (high, low), min, max
CREATE FUNCTION hist_wire(version int, reserved int, count bigint, pending bigint,
                          sum_lo bigint, mn bigint, mx bigint, runs bytea) RETURNS bytea
LANGUAGE sql AS $$
  SELECT set_byte(set_byte('\x0000'::bytea, 0, version), 1, reserved)
      || int8send(count) || int8send(pending) || int8send(CASE WHEN sum_lo < 0 THEN -1 ELSE 0 END)
      || int8send(sum_lo) || int8send(mn) || int8send(mx) || runs $$;
-- one duration of 5 us: bucket 5 (zigzag 10), run of 1, count 1
SELECT hist_try_binary(hist_wire(1, 0, 1, 0, 5, 5, 5, '\x0a0001'));         -- well formed
SELECT hist_try_binary(hist_wire(1, 0, 0, 3, 0, 0, 0, ''));                 -- pending only: fine
SELECT hist_try_binary(''::bytea);                                          -- empty
SELECT hist_try_binary(hist_wire(2, 0, 1, 0, 5, 5, 5, '\x0a0001'));         -- version 2
SELECT hist_try_binary(hist_wire(0, 0, 1, 0, 5, 5, 5, '\x0a0001'));         -- version 0
SELECT hist_try_binary(substr(hist_wire(1, 0, 1, 0, 5, 5, 5, '\x0a0001'), 1, 30));  -- truncated header
SELECT hist_try_binary(hist_wire(1, 0, 1, 0, 5, 5, 5, '\x0a00'));           -- truncated runs
SELECT hist_try_binary(hist_wire(1, 0, 1, 0, 5, 5, 5, '\x0a000100'));       -- trailing byte
SELECT hist_try_binary(hist_wire(1, 1, 1, 0, 5, 5, 5, '\x0a0001'));         -- reserved byte set
SELECT hist_try_binary(hist_wire(1, 0, 2, 0, 5, 5, 5, '\x0a0001'));         -- counts do not add up
SELECT hist_try_binary(hist_wire(1, 0, 1, 0, 6, 6, 6, '\x0a0001'));         -- min not in its bucket
SELECT hist_try_binary(hist_wire(1, 0, 1, 0, 5, 5, 5, '\x0a008100'));       -- overlong varint
SELECT hist_try_binary(hist_wire(1, 0, 1, 0, 5, 5, 5, '\x0a0000'));         -- zero count
SELECT hist_try_binary(hist_wire(1, 0, -1, 0, 5, 5, 5, '\x0a0001'));        -- negative count
SELECT hist_try_binary(hist_wire(1, 0, 0, 0, 0, 0, 0, ''));                 -- empty: accepted, as text is
SELECT hist_try_binary(hist_wire(1, 0, 1, 0, 5, 5, 5, '\xffffffff0f0001'));  -- key out of range
SELECT hist_try_binary(hist_wire(1, 0, 2, 0, 9, 5, 5, '\x0a0002'));         -- impossible sum
SELECT hist_try_binary(hist_wire(1, 0, 1, 0, 5, 5, 5, '\x0a01ffffffffffffffffff01'));  -- 11-byte varint

-- the bucket table: [lower, upper) around every duration, counts add up
SELECT count(*) AS buckets, sum(count) = (SELECT kpi_count(h) FROM hist_io WHERE id = 11) AS counts_add_up,
       bool_and(lower < upper) AS ordered,
       bool_and(extract(epoch FROM upper - lower) <= 0.021 * greatest(abs(extract(epoch FROM lower)), abs(extract(epoch FROM upper))) + 0.000001) AS narrow
  FROM hist_io, kpi_buckets(h) WHERE id = 11;
SELECT * FROM kpi_buckets((SELECT h FROM hist_io WHERE id = 7));
SELECT bool_and(b.count = (SELECT count(*) FROM hist_io_src s WHERE s.k = 7 AND s.d >= b.lower AND s.d < b.upper)) AS buckets_hold_their_rows
  FROM kpi_buckets((SELECT h FROM hist_io WHERE id = 7)) b;

-- jsonb: what a BI tool reads
SELECT j ->> 'count' AS count, j ->> 'pending' AS pending,
       (j ->> 'mean')::numeric = extract(epoch FROM kpi_mean(h)) AS mean_ok,
       (j ->> 'min')::numeric = extract(epoch FROM kpi_min(h)) AS min_ok,
       (j ->> 'max')::numeric = extract(epoch FROM kpi_max(h)) AS max_ok,
       (j ->> 'p90')::numeric = extract(epoch FROM kpi_percentile(h, 0.9)) AS p90_ok,
       jsonb_array_length(j -> 'buckets') = (SELECT count(*) FROM kpi_buckets(h)) AS buckets_ok
  FROM (SELECT h, h::jsonb j FROM hist_io WHERE id = 11) s;
SELECT h::jsonb FROM hist_io WHERE id IN (9, 10) ORDER BY id;

-- sparkline; a new session, so that it is the first thing the backend reads
\c -
SELECT id, kpi_sparkline(h) FROM hist_io WHERE id IN (7, 9, 11) ORDER BY id;
SELECT kpi_sparkline(kpi_hist(d)) FROM (VALUES (interval '1 second'), ('2 seconds'), ('1 hour'), ('1 hour'), ('1 day')) v(d);
