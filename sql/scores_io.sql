-- kpi_scores round trips: text, COPY BINARY, and corrupted binary values.
CREATE TABLE scores_io (id int, x kpi_scores);
INSERT INTO scores_io VALUES
  (1, '{}'), (2, '{0:1}'), (3, '{1:3,4:10,5:22}'),
  (4, '{0:1,1:2,2:3,3:4,4:5,5:6,6:7,7:8,8:9,9:10,10:11}'),
  (5, '{10:9223372036854775807}');
-- text: output then input gives the same value
SELECT id, x, x::text::kpi_scores::text = x::text AS text_round_trip FROM scores_io ORDER BY id;

-- binary: COPY out and back in
COPY scores_io TO '/tmp/kpi_scores_io.bin' (FORMAT binary);
CREATE TABLE scores_io_back (LIKE scores_io);
COPY scores_io_back FROM '/tmp/kpi_scores_io.bin' (FORMAT binary);
SELECT count(*) AS rows_back,
       bool_and(a.x::text = b.x::text) AS binary_round_trip
FROM scores_io a JOIN scores_io_back b USING (id);

-- A binary COPY field is just bytes: write crafted bytes as bytea, read them
-- back as kpi_scores, and the receive function must reject them (22P03).
CREATE TABLE scores_bad_binary (x kpi_scores);
CREATE FUNCTION scores_try_binary(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  detail text;
BEGIN
  EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', payload, '/tmp/kpi_scores_bad.bin');
  TRUNCATE scores_bad_binary;
  COPY scores_bad_binary FROM '/tmp/kpi_scores_bad.bin' (FORMAT binary);
  RETURN 'accepted: ' || (SELECT x::text FROM scores_bad_binary);
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || ' / ' || detail;
END $$;
CREATE FUNCTION scores_binary_of(counts bigint[]) RETURNS bytea LANGUAGE sql AS $$
  SELECT '\x010b'::bytea || string_agg(int8send(c), ''::bytea ORDER BY o)
  FROM unnest(counts) WITH ORDINALITY u(c, o) $$;

SELECT scores_try_binary(scores_binary_of('{0,0,0,0,1,2,0,0,0,0,3}'));       -- well formed
SELECT scores_try_binary(''::bytea);                                   -- empty
SELECT scores_try_binary('\x02'::bytea || substr(scores_binary_of('{0,0,0,0,0,0,0,0,0,0,0}'), 2));  -- version 2
SELECT scores_try_binary('\x010a'::bytea);                             -- 10 counts
SELECT scores_try_binary(substr(scores_binary_of('{0,0,0,0,0,0,0,0,0,0,1}'), 1, 50));  -- truncated
SELECT scores_try_binary(scores_binary_of('{0,0,0,0,0,0,0,0,0,0,1}') || '\x00'::bytea); -- trailing byte
SELECT scores_try_binary(scores_binary_of('{0,0,0,-1,0,0,0,0,0,0,0}'));      -- negative count
SELECT scores_try_binary(scores_binary_of('{0,0,0,9223372036854775807,0,0,0,0,0,0,1}'));  -- total overflows

-- the jsonb cast is a valid document BI tools can read
SELECT x::jsonb ->> 'count' AS count, x::jsonb -> 'scores' ->> '5' AS fives
FROM scores_io WHERE id = 3;
