-- make demo, time in status: a status event log for 20,000 of the demo's
-- tickets, as a help desk stores it, and the per-team report kpi_timeline
-- reads from it.  Runs after dataset.sql (tables tickets and teams), in the
-- same database; deterministic (setseed); needs nothing from ../shared/data.
--
-- The log agrees with the tickets table: 'new' at created_at, the first
-- reply at first_reply_at asks the customer something ('pending'), the
-- customer answers ('open'), and so on, sometimes 'on-hold' (waiting on a
-- third party) or 'solved' too early and reopened ('open' again); the last
-- 'solved' is at resolved_at and 'closed' follows 4 days later.  Tickets
-- never answered stay 'new'; tickets still open stop at the snapshot.
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset footer off
\pset null '-'
SELECT setseed(0.0909) \g /dev/null

\set snapshot '''2026-11-01 00:00:00+00'''

CREATE TABLE ticket_events AS
WITH sample AS (
	SELECT id, team, created_at, first_reply_at, resolved_at,
	       -- changes between the first reply and the resolution (or the snapshot)
	       CASE WHEN first_reply_at IS NULL THEN 0 ELSE floor(random() * 7)::int END AS m
	FROM tickets WHERE id <= 20000 ORDER BY id
), middle AS (
	SELECT s.id, s.first_reply_at + (coalesce(s.resolved_at, :snapshot) - s.first_reply_at)
	                                 * ((k - 0.9 + 0.8 * u) / (s.m + 1)) AS changed_at,
	       CASE WHEN k % 2 = 1 THEN 'open'          -- the customer answered
	            WHEN v < 0.12 AND k < s.m THEN 'solved' -- too early: the next 'open' reopens it
	            WHEN v < 0.30 THEN 'on-hold'        -- waiting on a third party
	            ELSE 'pending' END AS status        -- the agent asked again
	FROM sample s, LATERAL (SELECT k, random() AS u, random() AS v FROM generate_series(1, s.m) k) g
)
SELECT id AS ticket_id, 'new' AS status, created_at AS changed_at FROM sample
UNION ALL
SELECT id, 'pending', first_reply_at FROM sample WHERE first_reply_at IS NOT NULL
UNION ALL
SELECT id, status, changed_at FROM middle
UNION ALL
SELECT id, 'solved', resolved_at FROM sample WHERE resolved_at IS NOT NULL
UNION ALL
SELECT id, 'closed', resolved_at + interval '4 days' FROM sample
WHERE resolved_at + interval '4 days' < :snapshot;

-- One value per ticket: its whole history, from rows in any order.
CREATE TABLE ticket_timelines AS
SELECT e.ticket_id, t.team, t.created_at, kpi_timeline(e.changed_at, e.status) AS tl
FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
GROUP BY e.ticket_id, t.team, t.created_at;
ANALYZE ticket_events, ticket_timelines;

\echo
\echo '================================================================'
\echo ' Time in status, from the ticket event log (kpi_timeline)'
\echo '================================================================'
SELECT count(DISTINCT ticket_id) AS tickets, count(*) AS "status changes",
       count(*) FILTER (WHERE status = 'on-hold') AS "put on hold",
       min(changed_at)::date AS "first change", max(changed_at)::date AS "last change"
FROM ticket_events;

\echo
\echo 'One reopened ticket, its history as intervals (kpi_intervals; [entered, left))'
SELECT i.status, to_char(i.entered, 'YYYY-MM-DD HH24:MI') AS entered, to_char(i."left", 'YYYY-MM-DD HH24:MI') AS "left",
       date_trunc('minute', i."left" - i.entered) AS "time in it"
FROM (SELECT tl FROM ticket_timelines
      WHERE kpi_entries(tl, 'solved') > 1 AND kpi_entries(tl, 'on-hold') > 0
      ORDER BY ticket_id LIMIT 1) t,
     kpi_intervals(t.tl) i;

\echo
\echo 'By team, in hours.  Requester wait: time in new, open and on-hold (the customer'
\echo '  waits for the team); agent wait: time in pending (the team waits for the customer);'
\echo '  both per ticket, up to the snapshot for tickets still open, medians.'
\echo '  On hold: share of the requester wait spent on hold.  First / full resolution:'
\echo '  from creation to the first entry into solved / to the last, for tickets solved'
\echo '  now.  Reopened: solved tickets opened again after their first resolution, and'
\echo '  the mean time their reopening added.  Medians are kpi_hist''s (within 1%).'
SELECT coalesce(team, 'all teams') AS team, count(*) AS tickets,
       round((extract(epoch FROM kpi_median(kpi_hist(req))) / 3600)::numeric, 1) AS "req. wait p50",
       round((extract(epoch FROM kpi_median(kpi_hist(agent))) / 3600)::numeric, 1) AS "agent wait p50",
       round((100 * extract(epoch FROM sum(hold)) / extract(epoch FROM sum(req)))::numeric, 1) AS "on hold %",
       round((extract(epoch FROM kpi_median(kpi_hist(first_solved - created_at))) / 3600)::numeric, 1) AS "first resol. p50",
       round((extract(epoch FROM kpi_median(kpi_hist(last_solved - created_at))) / 3600)::numeric, 1) AS "full resol. p50",
       round(100.0 * count(*) FILTER (WHERE last_open > first_solved) / count(first_solved), 1) AS "reopened %",
       round((extract(epoch FROM avg(last_solved - first_solved) FILTER (WHERE last_open > first_solved))
              / 3600)::numeric, 1) AS "reopen adds"
FROM (SELECT team, created_at,
             kpi_time_in(tl, ARRAY['new', 'open', 'on-hold'], :snapshot) AS req,
             kpi_time_in(tl, 'pending', :snapshot) AS agent,
             kpi_time_in(tl, 'on-hold', :snapshot) AS hold,
             kpi_first_at(tl, 'solved') AS first_solved,
             CASE WHEN kpi_status_at(tl, :snapshot) IN ('solved', 'closed')
                  THEN kpi_last_at(tl, 'solved') END AS last_solved,
             kpi_last_at(tl, 'open') AS last_open
      FROM ticket_timelines) x
GROUP BY ROLLUP (team)
ORDER BY team IS NULL, team;

\echo
\echo 'Open backlog at the end of each month: tickets whose status then (kpi_status_at)'
\echo '  is new, open, pending or on-hold ("waiting on customer": pending).  It grows:'
\echo '  the demo tickets never answered or never resolved (8%) stay open.'
SELECT to_char(m, 'YYYY-MM') AS month,
       count(*) FILTER (WHERE team = 'Billing') AS "Billing",
       count(*) FILTER (WHERE team = 'Technical') AS "Technical",
       count(*) FILTER (WHERE team = 'Onboarding') AS "Onboarding",
       count(*) FILTER (WHERE team = 'Enterprise') AS "Enterprise",
       count(*) AS "open backlog",
       count(*) FILTER (WHERE s = 'pending') AS "waiting on customer",
       count(*) FILTER (WHERE s = 'on-hold') AS "on hold"
FROM generate_series(timestamptz '2025-11-01 00:00:00+00', '2026-10-01 00:00:00+00', interval '1 month') m
JOIN LATERAL (SELECT team, kpi_status_at(tl, m + interval '1 month') AS s FROM ticket_timelines) x
  ON x.s IN ('new', 'open', 'pending', 'on-hold')
GROUP BY m
ORDER BY m;

\echo
\echo 'Check: the timelines agree with the tickets table (first reply = first entry into'
\echo '  pending; resolution = last entry into solved when the ticket is solved or closed now)'
SELECT count(*) AS tickets,
       count(*) FILTER (WHERE kpi_first_at(l.tl, 'pending') IS NOT DISTINCT FROM t.first_reply_at) AS "first reply equal",
       count(*) FILTER (WHERE CASE WHEN kpi_status_at(l.tl, :snapshot) IN ('solved', 'closed')
                                   THEN kpi_last_at(l.tl, 'solved') END
                              IS NOT DISTINCT FROM t.resolved_at) AS "resolution equal"
FROM ticket_timelines l JOIN tickets t ON t.id = l.ticket_id;
