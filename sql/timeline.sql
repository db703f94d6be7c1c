-- kpi_timeline: a ticket's status history.  Every accessor is compared with
-- the hand-written lead() SQL over the same rows, in the same query; ties
-- at one instant are ordered as kpi_timeline orders them (status bytes:
-- COLLATE "C"), and equal (at, status) rows count once (DISTINCT).
SET TimeZone = 'UTC';

-- ~3,000 changes over 400 tickets: instants on an hourly grid (so ties are
-- common), reopen cycles, repeated rows, rows with NULLs, a sub-status
CREATE TABLE timeline_events AS
SELECT t AS ticket,
       timestamptz '2024-01-01 00:00:00+00' + ((t * 37 + k * k * 13) % 60) * interval '1 hour'
         + (k % 3) * interval '1 microsecond' * (t % 2) AS at,
       (ARRAY['new', 'open', 'pending', 'on-hold', 'solved', 'closed',
              'Accepted / Wait - User'])[1 + (t * 31 + k * 17 + k / 3) % 7] AS status
FROM generate_series(1, 400) t, generate_series(1, 1 + t % 15) k;
INSERT INTO timeline_events SELECT * FROM timeline_events WHERE ticket % 5 = 0;	-- repeated rows
INSERT INTO timeline_events VALUES (1, NULL, 'open'), (2, '2024-01-01', NULL), (3, NULL, NULL);

CREATE TABLE timeline_tickets AS
SELECT ticket, kpi_timeline(at, status) AS tl FROM timeline_events GROUP BY ticket;

CREATE VIEW timeline_lead AS
SELECT ticket, at, status,
       lead(at) OVER w AS next_at,
       lag(status) OVER w AS prev_status
FROM (SELECT DISTINCT ticket, at, status FROM timeline_events
      WHERE at IS NOT NULL AND status IS NOT NULL) d
WINDOW w AS (PARTITION BY ticket ORDER BY at, status COLLATE "C");

SELECT count(*) AS tickets, sum(kpi_entries(tl, ARRAY(SELECT DISTINCT status FROM timeline_events WHERE status IS NOT NULL))) > 0 AS any_entries
FROM timeline_tickets;

-- one status at a time, without and with until (before, inside and after the history)
WITH statuses AS (SELECT DISTINCT status AS s FROM timeline_events WHERE status IS NOT NULL
                  UNION ALL SELECT 'never'),
untils AS (SELECT u FROM unnest(ARRAY[NULL, '2023-12-31', '2024-01-01 05:00', '2024-01-02 00:00:00.000001',
                                      '2024-01-01 20:00', '2024-02-01']::timestamptz[]) u),
ref AS (
  SELECT l.ticket, s.s, u.u,
         coalesce(sum(CASE WHEN u.u IS NULL THEN coalesce(l.next_at, l.at) - l.at
                           ELSE least(coalesce(l.next_at, u.u), u.u) - l.at END)
                  FILTER (WHERE l.status = s.s AND (u.u IS NULL OR l.at < u.u)), interval '0') AS time_in,
         count(*) FILTER (WHERE l.status = s.s AND l.prev_status IS DISTINCT FROM s.s) AS entries,
         min(l.at) FILTER (WHERE l.status = s.s) AS first_at,
         max(l.at) FILTER (WHERE l.status = s.s AND l.prev_status IS DISTINCT FROM s.s) AS last_at
  FROM timeline_lead l CROSS JOIN statuses s CROSS JOIN untils u
  GROUP BY l.ticket, s.s, u.u)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE r.time_in <> CASE WHEN r.u IS NULL THEN kpi_time_in(t.tl, r.s)
                                                ELSE kpi_time_in(t.tl, r.s, r.u) END) AS time_in_wrong,
       count(*) FILTER (WHERE r.entries <> kpi_entries(t.tl, r.s)) AS entries_wrong,
       count(*) FILTER (WHERE r.first_at IS DISTINCT FROM kpi_first_at(t.tl, r.s)) AS first_wrong,
       count(*) FILTER (WHERE r.last_at IS DISTINCT FROM kpi_last_at(t.tl, r.s)) AS last_wrong
FROM ref r JOIN timeline_tickets t USING (ticket);

-- sets of statuses act as one status: moving within the set is no entry
WITH sets AS (SELECT ARRAY['new', 'open', 'on-hold'] AS s UNION ALL SELECT ARRAY['solved', 'closed']
              UNION ALL SELECT ARRAY['pending', NULL, 'pending', 'nope'] UNION ALL SELECT '{}'::text[]),
ref AS (	-- NULL elements name no status
  SELECT l.ticket, s.s,
         coalesce(sum(coalesce(l.next_at, l.at) - l.at) FILTER (WHERE l.status = ANY (s.m)), interval '0') AS time_in,
         coalesce(sum(least(coalesce(l.next_at, '2024-01-02'), '2024-01-02') - l.at)
                  FILTER (WHERE l.status = ANY (s.m) AND l.at < '2024-01-02'), interval '0') AS time_until,
         count(*) FILTER (WHERE l.status = ANY (s.m) AND (l.prev_status IS NULL OR NOT l.prev_status = ANY (s.m))) AS entries,
         min(l.at) FILTER (WHERE l.status = ANY (s.m)) AS first_at,
         max(l.at) FILTER (WHERE l.status = ANY (s.m) AND (l.prev_status IS NULL OR NOT l.prev_status = ANY (s.m))) AS last_at
  FROM timeline_lead l CROSS JOIN (SELECT s, array_remove(s, NULL) AS m FROM sets) s
  GROUP BY l.ticket, s.s)
SELECT r.s, count(*) AS tickets,
       count(*) FILTER (WHERE r.time_in <> kpi_time_in(t.tl, r.s)) AS time_in_wrong,
       count(*) FILTER (WHERE r.time_until <> kpi_time_in(t.tl, r.s, '2024-01-02')) AS until_wrong,
       count(*) FILTER (WHERE r.entries <> kpi_entries(t.tl, r.s)) AS entries_wrong,
       count(*) FILTER (WHERE r.first_at IS DISTINCT FROM kpi_first_at(t.tl, r.s)) AS first_wrong,
       count(*) FILTER (WHERE r.last_at IS DISTINCT FROM kpi_last_at(t.tl, r.s)) AS last_wrong
FROM ref r JOIN timeline_tickets t USING (ticket)
GROUP BY r.s ORDER BY r.s;

-- status at every change, a microsecond before and after, and outside
WITH probes AS (
  SELECT DISTINCT ticket, at + d AS p
  FROM timeline_lead, unnest(ARRAY[interval '-1 microsecond', '0', '1 microsecond', '-1 day', '30 days']) d)
SELECT count(*) AS probes,
       count(*) FILTER (WHERE kpi_status_at(t.tl, p.p) IS DISTINCT FROM
                        (SELECT l.status FROM timeline_lead l WHERE l.ticket = p.ticket AND l.at <= p.p
                         ORDER BY l.at DESC, l.status COLLATE "C" DESC LIMIT 1)) AS wrong,
       count(*) FILTER (WHERE kpi_status_at(t.tl, p.p) IS NULL) > 0 AS some_before_first
FROM probes p JOIN timeline_tickets t USING (ticket);

-- intervals: one per entry, [entered, left), the last one open
WITH mine AS (
  SELECT t.ticket, i.status, i.entered, i.left FROM timeline_tickets t, kpi_intervals(t.tl) i),
ref AS (
  SELECT ticket, status, at AS entered, lead(at) OVER (PARTITION BY ticket ORDER BY at, status COLLATE "C") AS left
  FROM timeline_lead WHERE prev_status IS DISTINCT FROM status)
SELECT (SELECT count(*) FROM mine) AS intervals,
       (SELECT count(*) FROM (SELECT * FROM mine EXCEPT ALL SELECT * FROM ref) x) AS extra,
       (SELECT count(*) FROM (SELECT * FROM ref EXCEPT ALL SELECT * FROM mine) x) AS missing;

-- the same history from any order, from parts merged in any grouping
SELECT count(*) AS tickets,
       count(*) FILTER (WHERE t.tl::text <> r.tl::text) AS reversed_differs,
       count(*) FILTER (WHERE t.tl::text <> (p.a + p.b)::text) AS plus_differs,
       count(*) FILTER (WHERE (p.a + p.b)::text <> (p.b + p.a)::text) AS not_commutative,
       count(*) FILTER (WHERE t.tl::text <> m.tl::text) AS merge_differs
FROM timeline_tickets t
JOIN (SELECT ticket, kpi_timeline(at, status ORDER BY at DESC, status DESC) AS tl
      FROM timeline_events GROUP BY ticket) r USING (ticket)
JOIN (SELECT ticket, kpi_timeline(at, status) FILTER (WHERE hashtext(status) % 2 = 0) AS a,
             kpi_timeline(at, status) FILTER (WHERE hashtext(status) % 2 <> 0) AS b
      FROM timeline_events GROUP BY ticket) p USING (ticket)
JOIN (SELECT ticket, kpi_merge(part) AS tl
      FROM (SELECT ticket, extract(hour FROM at) > 20 AS half, kpi_timeline(at, status) AS part
            FROM timeline_events GROUP BY 1, 2) x GROUP BY ticket) m USING (ticket)
WHERE p.a IS NOT NULL AND p.b IS NOT NULL;

-- equality: canonical bytes, so = agrees with the text; GROUP BY, DISTINCT and
-- hash joins on timelines
SELECT count(*) AS tickets,
       count(*) FILTER (WHERE (t.tl = m.tl) IS DISTINCT FROM (t.tl::text = m.tl::text)) AS eq_disagrees,
       count(*) FILTER (WHERE (t.tl <> m.tl) = (t.tl = m.tl)) AS ne_disagrees,
       count(*) FILTER (WHERE t.tl = m.tl) AS rollups_equal
FROM timeline_tickets t
JOIN (SELECT ticket, kpi_merge(part) AS tl
      FROM (SELECT ticket, status, kpi_timeline(at, status) AS part FROM timeline_events GROUP BY 1, 2) x
      GROUP BY ticket) m USING (ticket);
CREATE VIEW timeline_twice AS	-- every third ticket's timeline twice
SELECT tl FROM timeline_tickets UNION ALL SELECT tl FROM timeline_tickets WHERE ticket % 3 = 0;
SELECT (SELECT array[count(*), count(*) FILTER (WHERE n = 2)]
          FROM (SELECT count(*) AS n FROM timeline_twice GROUP BY tl) g) AS groups_doubled,
       (SELECT array[count(*), count(*) FILTER (WHERE n = 2)]
          FROM (SELECT count(*) AS n FROM timeline_twice GROUP BY tl::text) g) AS by_text,
       (SELECT count(*) FROM (SELECT DISTINCT tl FROM timeline_twice) d) AS distinct_values,
       (SELECT count(*) FROM (SELECT tl FROM timeline_twice UNION SELECT tl FROM timeline_twice) u) AS union_rows;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM timeline_tickets a JOIN timeline_tickets b ON a.tl = b.tl;
SELECT (SELECT count(*) FROM timeline_tickets a JOIN timeline_tickets b ON a.tl = b.tl) =
       (SELECT count(*) FROM timeline_tickets a JOIN timeline_tickets b ON a.tl::text = b.tl::text) AS hash_join_matches_text;
RESET enable_mergejoin;
RESET enable_nestloop;

-- business time: the lead() SQL with kpi_business_duration per row, for two
-- calendars (one with a DST zone, a closed day and a Saturday), sets and until
CREATE TABLE timeline_calendars AS
SELECT * FROM (VALUES (1, 'UTC; mon-fri 09:00-17:00'::kpi_calendar),
                      (2, 'Europe/Prague; mon-fri 08:00-16:30; sat 10:00-14:00; closed 2024-01-02'::kpi_calendar)) c(id, cal);
WITH sets AS (SELECT ARRAY['pending'] AS s UNION ALL SELECT ARRAY['new', 'open', 'on-hold', NULL]),
ref AS (
  SELECT l.ticket, s.s, c.id,
         coalesce(sum(kpi_business_duration(l.at, coalesce(l.next_at, l.at), c.cal))
                  FILTER (WHERE l.status = ANY (s.s)), interval '0') AS time_in,
         coalesce(sum(kpi_business_duration(l.at, least(coalesce(l.next_at, '2024-01-03 12:00'), '2024-01-03 12:00'), c.cal))
                  FILTER (WHERE l.status = ANY (s.s) AND l.at < '2024-01-03 12:00'), interval '0') AS time_until
  FROM timeline_lead l CROSS JOIN sets s CROSS JOIN timeline_calendars c
  GROUP BY l.ticket, s.s, c.id)	-- kpi_calendar has no equality: group by its id
SELECT r.id, r.s, count(*) AS tickets,
       count(*) FILTER (WHERE r.time_in <> CASE WHEN cardinality(r.s) = 1 THEN kpi_time_in(t.tl, r.s[1], NULL, c.cal)
                                                ELSE kpi_time_in(t.tl, r.s, NULL, c.cal) END) AS time_in_wrong,
       count(*) FILTER (WHERE r.time_until <> CASE WHEN cardinality(r.s) = 1 THEN kpi_time_in(t.tl, r.s[1], '2024-01-03 12:00', c.cal)
                                                   ELSE kpi_time_in(t.tl, r.s, '2024-01-03 12:00', c.cal) END) AS until_wrong,
       count(*) FILTER (WHERE r.time_in > interval '0') > 0 AS some_open_time,
       count(*) FILTER (WHERE kpi_time_in(t.tl, r.s, NULL, c.cal) < kpi_time_in(t.tl, r.s)) > 0 AS less_than_elapsed
FROM ref r JOIN timeline_tickets t USING (ticket) JOIN timeline_calendars c USING (id)
GROUP BY r.id, r.s ORDER BY r.id, r.s;
-- text round trip of every value, and the binary form's size
SELECT count(*) FILTER (WHERE tl::text::kpi_timeline::text <> tl::text) AS text_round_trip_differs,
       count(*) FILTER (WHERE length(kpi_timeline_send(tl)) < 10) AS short_binary
FROM timeline_tickets;

-- a worked example: a tie at 10:00 (new before open: bytewise), a repeat, a reopen
CREATE TABLE timeline_example AS
SELECT kpi_timeline(at::timestamptz, status) AS tl
FROM (VALUES ('2024-01-01 10:00+00', 'open'), ('2024-01-01 10:00+00', 'new'),
             ('2024-01-01 12:00+00', 'pending'), ('2024-01-01 13:00+00', 'pending'),
             ('2024-01-01 15:00+00', 'open'), ('2024-01-03 09:00:00.5+00', 'solved'),
             ('2024-01-04 09:00+00', 'open'), ('2024-01-04 10:00+00', 'solved'),
             (NULL, 'ignored'), ('2024-01-05', NULL)) v(at, status);
SELECT tl FROM timeline_example;
SELECT tl::jsonb FROM timeline_example;
SELECT * FROM kpi_intervals((SELECT tl FROM timeline_example));
SELECT kpi_time_in(tl, 'open') AS open, kpi_time_in(tl, 'pending') AS pending,
       kpi_time_in(tl, 'solved') AS solved_no_until,
       kpi_time_in(tl, 'solved', '2024-01-05') AS solved_until,
       kpi_time_in(tl, ARRAY['new', 'open'], '2024-01-01 11:00+00') AS requester_wait_until_11,
       kpi_entries(tl, 'open') AS open_entries, kpi_entries(tl, ARRAY['open', 'new']) AS set_entries,
       kpi_first_at(tl, 'solved') AS first_resolution, kpi_last_at(tl, 'solved') AS full_resolution,
       kpi_first_at(tl, 'closed') AS never_closed,
       kpi_status_at(tl, '2024-01-01 09:59:59+00') AS before_first,
       kpi_status_at(tl, '2024-01-01 10:00+00') AS at_tie,
       kpi_status_at(tl, '2024-01-01 12:30+00') AS between,
       kpi_status_at(tl, 'infinity') AS at_infinity
FROM timeline_example;

-- the example in business hours (2024-01-01 is a Monday)
SELECT kpi_time_in(tl, 'open', NULL, 'UTC; mon-fri 09:00-17:00') AS open_business,
       kpi_time_in(tl, ARRAY['new', 'open'], '2024-01-01 11:00+00', 'UTC; mon-fri 09:00-17:00') AS requester_wait_until_11
FROM timeline_example;
SELECT kpi_time_in(NULL::kpi_timeline, 'a', NULL, 'UTC; mon-fri 09:00-17:00') IS NULL AS null_timeline,
       kpi_time_in('v1 []', 'a', NULL, NULL) IS NULL AS null_calendar;

-- no rows, only NULL rows: NULL, as other aggregates
SELECT kpi_timeline(at, status) IS NULL AS no_rows FROM timeline_events WHERE false;
SELECT kpi_timeline(at, status) IS NULL AS null_rows FROM timeline_events WHERE at IS NULL OR status IS NULL;
SELECT kpi_merge(tl) IS NULL AS merge_no_rows FROM timeline_tickets WHERE false;

-- text input: lenient spacing and order, canonical output; empty; BC; escapes
SELECT ' v1 [ 2024-01-02 00:00:00+00 "b" , 2024-01-01 00:00:00.250+00 "a\"q\\\n" ]'::kpi_timeline;
SELECT 'v1 []'::kpi_timeline, kpi_time_in('v1 []', 'a'), kpi_status_at('v1 []', now()) IS NULL AS empty_status;
SELECT 'v1 [4714-11-24 00:00:00+00 BC "first", 294276-12-31 23:59:59.999999+00 "last"]'::kpi_timeline;
SELECT kpi_first_at('v1 [0044-03-15 12:00:00+00 BC "x"]', 'x') = '0044-03-15 12:00:00+00 BC'::timestamptz AS bc_instant;

-- parallel aggregation: Partial Aggregate with the combine function, same result
CREATE TABLE timeline_big AS
SELECT t AS ticket, e.at, e.status
FROM generate_series(1, 25000) t,
     LATERAL (SELECT timestamptz '2024-01-01' + ((t * 37 + k * 101) % 500) * interval '1 minute' AS at,
                     (ARRAY['new', 'open', 'pending', 'solved'])[1 + (t + k * 7) % 4] AS status
              FROM generate_series(1, 8) k) e;
ANALYZE timeline_big;
CREATE TABLE timeline_serial AS
SELECT ticket % 7 AS team, kpi_timeline(at, status)::text AS tl FROM timeline_big GROUP BY 1;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT ticket % 7, kpi_timeline(at, status) FROM timeline_big GROUP BY 1;
SELECT count(*) AS teams, count(*) FILTER (WHERE p.tl::text = s.tl) AS equal
FROM (SELECT ticket % 7 AS team, kpi_timeline(at, status) AS tl FROM timeline_big GROUP BY 1) p
JOIN timeline_serial s USING (team);
-- kpi_merge of per-ticket timelines, in parallel
CREATE TABLE timeline_big_tickets AS
SELECT ticket, kpi_timeline(at, status) AS tl FROM timeline_big GROUP BY ticket;
ANALYZE timeline_big_tickets;
SELECT count(*) AS teams, count(*) FILTER (WHERE p.tl::text = s.tl) AS equal
FROM (SELECT ticket % 7 AS team, kpi_merge(tl) AS tl FROM timeline_big_tickets GROUP BY 1) p
JOIN timeline_serial s USING (team);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- hash aggregation over many groups, spilling to disk, equals sorted aggregation
SET enable_hashagg = on;
SET enable_sort = off;
SET work_mem = '64kB';
CREATE TABLE timeline_hashed AS SELECT ticket, kpi_timeline(at, status)::text AS tl FROM timeline_big GROUP BY ticket;
RESET work_mem;
SET enable_hashagg = off;
SET enable_sort = on;
SELECT count(*) AS tickets, count(*) FILTER (WHERE h.tl = s.tl::text) AS equal
FROM timeline_hashed h JOIN timeline_big_tickets s USING (ticket);
RESET enable_hashagg;
RESET enable_sort;

-- errors
SELECT kpi_timeline(at, status) FROM (VALUES ('infinity'::timestamptz, 'open')) v(at, status);
SELECT kpi_timeline(at, status) FROM (VALUES ('-infinity'::timestamptz, 'open')) v(at, status);
SELECT kpi_time_in('v1 [2024-01-01 00:00:00+00 "a"]', 'a', 'infinity');
SELECT 'v1 [2024-01-01 00:00:00+00 a]'::kpi_timeline;
SELECT 'v2 []'::kpi_timeline;
SELECT 'v1 [2024-02-30 00:00:00+00 "a"]'::kpi_timeline;
SELECT 'v1 [2024-01-01 00:00:00+01 "a"]'::kpi_timeline;
SELECT 'v1 [294277-01-01 00:00:00+00 "a"]'::kpi_timeline;
SELECT 'v1 [2024-01-01 00:00:00+00 "\xff"]'::kpi_timeline;
SELECT 'v1 [2024-01-01 00:00:00+00 "a\x00"]'::kpi_timeline;
SELECT kpi_timeline_accum(NULL, now(), 'open');
SELECT kpi_timeline_combine(NULL, NULL);
