-- kpi_timeline on two real event logs (../shared/data): the help-desk log
-- (activities as statuses) and the BPI Challenge 2013 problem log (status
-- with sub-status, e.g. "Accepted / Wait - User").  For every ticket and
-- every status: time in it (without and with until), entries, first and
-- last entry, compared with the hand-written lead() SQL in the same query.
-- Ties at one instant are ordered by status bytes (COLLATE "C").
\getenv data KPI_DATA
SET timezone = 'UTC';

CREATE TABLE timeline_rd_bpi_raw (org_group text, resource_country text, org_country text, resource text,
  org_involved text, role text, status text, impact text, product text, transition text,
  ts text, case_id text);
\copy timeline_rd_bpi_raw FROM PROGRAM 'cat "$KPI_DATA/bpi2013-closed-problems/BPI2013_closed.csv"' WITH (FORMAT csv, HEADER true)
CREATE TABLE timeline_rd_helpdesk_raw (case_id text, activity text, resource text, ts text,
  v1 text, v2 text, v3 text, c1 text, c2 text, c3 text, c4 text, c5 text, c6 text, c7 text, c8 text, c9 text);
\copy timeline_rd_helpdesk_raw FROM PROGRAM 'cat "$KPI_DATA/helpdesk-eventlog/helpdesk.csv"' WITH (FORMAT csv, HEADER true)

CREATE TABLE timeline_rd_events AS
SELECT 'bpi' AS log, case_id AS ticket, status || ' / ' || transition AS status, ts::timestamptz AS at
  FROM timeline_rd_bpi_raw
UNION ALL
SELECT 'helpdesk', case_id, activity, to_timestamp(ts, 'YYYY/MM/DD HH24:MI:SS.MS')
  FROM timeline_rd_helpdesk_raw;
SELECT log, count(*) AS events, count(DISTINCT ticket) AS tickets, count(DISTINCT status) AS statuses
  FROM timeline_rd_events GROUP BY log ORDER BY log;

CREATE TABLE timeline_rd_tickets AS
SELECT log, ticket, kpi_timeline(at, status) AS tl FROM timeline_rd_events GROUP BY log, ticket;

CREATE TABLE timeline_rd_lead AS
SELECT log, ticket, at, status,
       lead(at) OVER w AS next_at, lag(status) OVER w AS prev_status
  FROM (SELECT DISTINCT log, ticket, at, status FROM timeline_rd_events) d
WINDOW w AS (PARTITION BY log, ticket ORDER BY at, status COLLATE "C");

-- the time in every status; with until = the log's last instant + 1 day
WITH statuses AS (SELECT DISTINCT log, status AS s FROM timeline_rd_events),
ends AS (SELECT log, max(at) + interval '1 day' AS u FROM timeline_rd_events GROUP BY log),
ref AS (
  SELECT l.log, l.ticket, s.s, e.u,
         coalesce(sum(coalesce(l.next_at, l.at) - l.at) FILTER (WHERE l.status = s.s), interval '0') AS time_in,
         coalesce(sum(coalesce(l.next_at, e.u) - l.at) FILTER (WHERE l.status = s.s), interval '0') AS time_until,
         count(*) FILTER (WHERE l.status = s.s AND l.prev_status IS DISTINCT FROM s.s) AS entries,
         min(l.at) FILTER (WHERE l.status = s.s) AS first_at,
         max(l.at) FILTER (WHERE l.status = s.s AND l.prev_status IS DISTINCT FROM s.s) AS last_at
    FROM timeline_rd_lead l JOIN statuses s USING (log) JOIN ends e USING (log)
   GROUP BY l.log, l.ticket, s.s, e.u)
SELECT r.log, count(*) AS ticket_statuses,
       count(*) FILTER (WHERE r.time_in <> kpi_time_in(t.tl, r.s)) AS time_in_wrong,
       count(*) FILTER (WHERE r.time_until <> kpi_time_in(t.tl, r.s, r.u)) AS until_wrong,
       count(*) FILTER (WHERE r.entries <> kpi_entries(t.tl, r.s)) AS entries_wrong,
       count(*) FILTER (WHERE r.first_at IS DISTINCT FROM kpi_first_at(t.tl, r.s)) AS first_wrong,
       count(*) FILTER (WHERE r.last_at IS DISTINCT FROM kpi_last_at(t.tl, r.s)) AS last_wrong,
       count(*) FILTER (WHERE r.entries > 1) > 0 AS has_reentries
  FROM ref r JOIN timeline_rd_tickets t USING (log, ticket)
 GROUP BY r.log ORDER BY r.log;

-- requester wait on BPI 2013 (Accepted / Wait - User) and the Queued time,
-- as sets, against the lead() SQL
WITH sets AS (SELECT ARRAY['Accepted / Wait - User'] AS s
              UNION ALL SELECT ARRAY['Queued / Awaiting Assignment', 'Accepted / Wait', 'Accepted / Wait - Implementation',
                                     'Accepted / Wait - Vendor', 'Accepted / Wait - Customer']),
ref AS (
  SELECT l.ticket, s.s,
         coalesce(sum(coalesce(l.next_at, l.at) - l.at) FILTER (WHERE l.status = ANY (s.s)), interval '0') AS time_in,
         count(*) FILTER (WHERE l.status = ANY (s.s) AND (l.prev_status IS NULL OR NOT l.prev_status = ANY (s.s))) AS entries
    FROM timeline_rd_lead l CROSS JOIN sets s WHERE l.log = 'bpi'
   GROUP BY l.ticket, s.s)
SELECT r.s, count(*) AS tickets,
       count(*) FILTER (WHERE r.time_in <> kpi_time_in(t.tl, r.s)) AS time_in_wrong,
       count(*) FILTER (WHERE r.entries <> kpi_entries(t.tl, r.s)) AS entries_wrong
  FROM ref r JOIN timeline_rd_tickets t ON t.log = 'bpi' AND t.ticket = r.ticket
 GROUP BY r.s ORDER BY r.s;

-- the values read back from their text
SELECT count(*) FILTER (WHERE tl::text::kpi_timeline::text <> tl::text) AS text_round_trip_differs
  FROM timeline_rd_tickets;
