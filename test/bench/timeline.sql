-- test/bench/timeline.sql: time in status, kpi_timeline (issue 9).
--
-- :rows / 10 tickets (1M by default), about 8 status changes each (4 to 12),
-- in one event log bench_events(ticket, team, status, at) stored in time
-- order, as a help desk appends it.  A ticket goes new -> open, then
-- alternates open with pending (waiting on the customer), on-hold, solved
-- (a reopen follows) or open again (a change to the status already in
-- force); 90% end solved -> closed, the rest are still open.  The time spent
-- in a status is exponential with a mean by status (new 1 hour, open 4
-- hours, pending 1 day, on-hold 2 days, solved 3 days), at least a minute,
-- in whole seconds: a ticket's changes never tie, so the lead() SQL below
-- needs neither DISTINCT nor a tie-breaking status in its ORDER BY.
--
-- Per-ticket agent wait (time in pending), kpi_time_in(kpi_timeline(at,
-- status), 'pending') GROUP BY ticket, against the hand-written lead() SQL
-- over the same rows: first on the log as it is (the lead() SQL sorts it,
-- kpi_timeline hashes the tickets), then with a covering index on (ticket,
-- at) INCLUDE (status), the fastest form of the lead() SQL (an index-only
-- scan, no sort), with kpi_timeline reading the same index.  Then business
-- time (a kpi_calendar) against wall-clock time, five accessors of one
-- timeline against one, and the peak memory of 100k tickets hashed against
-- array_agg(status).  Every kpi result is compared with the lead() SQL's,
-- ticket by ticket, before anything is timed: a difference stops the suite.

\set ON_ERROR_STOP 1
\if :{?rows}
\else
\set rows 10000000
\endif

SELECT to_regtype('kpi_timeline') IS NULL AS no_timeline \gset
\if :no_timeline
\echo 'timeline: the kpi_timeline type is not installed yet: suite skipped'
\quit
\endif

SELECT to_regprocedure('kpi_time_in(kpi_timeline, text, timestamptz, kpi_calendar)') IS NOT NULL AS has_calendar \gset
\if :has_calendar
\else
\echo 'timeline: kpi_time_in(..., kpi_calendar) is not installed yet: the business-time cases are skipped'
\endif

SELECT greatest(1, :rows::bigint / 10) AS tickets, least(greatest(1, :rows::bigint / 10), 100000) AS groups \gset
\set cal '''Europe/Prague; mon-fri 09:00-17:00'''

DROP TABLE IF EXISTS bench_events;
-- Deterministic: setseed, and random() runs in the leader only (it is
-- parallel restricted), in generate_series order; the rows are then sorted
-- by (at, ticket), which is unique.
SELECT setseed(0.909);
CREATE UNLOGGED TABLE bench_events AS
WITH steps AS (
	SELECT t.ticket, t.team, t.created, s.k,
		   CASE WHEN s.k = 1 THEN 'new'
				WHEN s.k = t.n AND t.closes THEN 'closed'
				WHEN s.k = t.n - 1 AND t.closes THEN 'solved'
				WHEN s.k % 2 = 0 THEN 'open'
				WHEN s.u < 0.50 THEN 'pending'
				WHEN s.u < 0.70 THEN 'on-hold'
				WHEN s.u < 0.85 THEN 'solved'
				ELSE 'open' END AS status,
		   s.v
	FROM (SELECT i::integer AS ticket,
				 (ARRAY['Billing', 'Technical', 'Onboarding', 'Enterprise', 'Returns'])[1 + floor(random() * 5)::integer] AS team,
				 timestamptz '2025-01-01 00:00:00+00' + floor(random() * 365 * 86400) * interval '1 second' AS created,
				 4 + floor(random() * 9)::integer AS n, random() < 0.9 AS closes
		  FROM generate_series(1, :tickets::bigint) i) t,
		 LATERAL (SELECT k, random() AS u, random() AS v FROM generate_series(1, t.n) k) s
), timed AS (
	-- a change happens when the status before it has lasted its time
	SELECT ticket, team, status,
		   created + coalesce(sum(stay) OVER (PARTITION BY ticket ORDER BY k
											  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
							  interval '0') AS at
	FROM (SELECT ticket, team, created, k, status,
				 (60 + floor(-ln(1 - v) * CASE status WHEN 'new' THEN 3600 WHEN 'open' THEN 14400
													  WHEN 'pending' THEN 86400 WHEN 'on-hold' THEN 172800
													  ELSE 259200 END)) * interval '1 second' AS stay
		  FROM steps) s
)
SELECT ticket, team, status, at FROM timed ORDER BY at, ticket;
VACUUM (FREEZE, ANALYZE) bench_events;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
SELECT pg_prewarm('bench_events') > 0 AS prewarmed;
SELECT bench.record('timeline', 'status changes', count(*), 'rows') FROM bench_events;
SELECT bench.record('timeline', 'tickets', count(DISTINCT ticket), 'tickets') FROM bench_events;

-- ---------- the queries ----------
-- Each per-ticket query (*_rows) is timed inside count() of its columns,
-- the cheapest aggregate that reads every value, so that few rows come back
-- (bench.run fetches them).  The check below compares the per-ticket rows
-- themselves (a ticket never pending has no lead() row to sum: NULL there,
-- zero in kpi).

\set kpi_wait_rows 'SELECT ticket, kpi_time_in(kpi_timeline(at, status), ''pending'') AS w FROM bench_events GROUP BY ticket'
\set lead_wait_rows 'SELECT ticket, sum(next_at - at) FILTER (WHERE status = ''pending'') AS w FROM (SELECT ticket, at, status, lead(at) OVER (PARTITION BY ticket ORDER BY at) AS next_at FROM bench_events) l GROUP BY ticket'
SELECT format('SELECT ticket, kpi_time_in(kpi_timeline(at, status), %L, NULL, %L::kpi_calendar) AS w FROM bench_events GROUP BY ticket',
			  'pending', :cal) AS kpi_cal_rows,
	   format('SELECT ticket, sum(kpi_business_duration(at, next_at, %L::kpi_calendar)) FILTER (WHERE status = %L) AS w FROM (SELECT ticket, at, status, lead(at) OVER (PARTITION BY ticket ORDER BY at) AS next_at FROM bench_events) l GROUP BY ticket',
			  :cal, 'pending') AS lead_cal_rows \gset
-- Five accessors of one timeline: agent wait, requester wait (new, open,
-- on-hold), first and last entry into solved (first and full resolution),
-- entries into solved (resolutions: reopens + 1).  Identical aggregate
-- calls share one transition state: kpi_timeline runs once per ticket.
\set kpi_five_rows 'SELECT ticket, kpi_time_in(kpi_timeline(at, status), ''pending'') AS a, kpi_time_in(kpi_timeline(at, status), ARRAY[''new'', ''open'', ''on-hold'']) AS b, kpi_first_at(kpi_timeline(at, status), ''solved'') AS c, kpi_last_at(kpi_timeline(at, status), ''solved'') AS d, kpi_entries(kpi_timeline(at, status), ''solved'') AS e FROM bench_events GROUP BY ticket'
\set lead_five_rows 'SELECT ticket, sum(next_at - at) FILTER (WHERE status = ''pending'') AS a, sum(next_at - at) FILTER (WHERE status IN (''new'', ''open'', ''on-hold'')) AS b, min(at) FILTER (WHERE status = ''solved'') AS c, max(at) FILTER (WHERE status = ''solved'' AND prev IS DISTINCT FROM ''solved'') AS d, count(*) FILTER (WHERE status = ''solved'' AND prev IS DISTINCT FROM ''solved'') AS e FROM (SELECT ticket, at, status, lead(at) OVER w AS next_at, lag(status) OVER w AS prev FROM bench_events WINDOW w AS (PARTITION BY ticket ORDER BY at)) l GROUP BY ticket'
SELECT format('SELECT count(w) FROM (%s) x', :'kpi_wait_rows') AS kpi_wait,
	   format('SELECT count(w) FROM (%s) x', :'lead_wait_rows') AS lead_wait,
	   format('SELECT count(w) FROM (%s) x', :'kpi_cal_rows') AS kpi_wait_cal,
	   format('SELECT count(w) FROM (%s) x', :'lead_cal_rows') AS lead_wait_cal,
	   format('SELECT count(a), count(b), count(c), count(d), count(e) FROM (%s) x', :'kpi_five_rows') AS kpi_five,
	   format('SELECT count(a), count(b), count(c), count(d), count(e) FROM (%s) x', :'lead_five_rows') AS lead_five \gset

-- ---------- exact: kpi equals the lead() SQL, ticket by ticket ----------

CREATE TEMP TABLE timeline_check AS
SELECT count(*) AS tickets,
	   count(*) FILTER (WHERE k.a IS DISTINCT FROM coalesce(l.a, interval '0')) AS a,
	   count(*) FILTER (WHERE k.b IS DISTINCT FROM coalesce(l.b, interval '0')) AS b,
	   count(*) FILTER (WHERE k.c IS DISTINCT FROM l.c) AS c,
	   count(*) FILTER (WHERE k.d IS DISTINCT FROM l.d) AS d,
	   count(*) FILTER (WHERE k.e IS DISTINCT FROM l.e) AS e,
	   NULL::bigint AS cal
FROM (:kpi_five_rows) k FULL JOIN (:lead_five_rows) l USING (ticket);
\if :has_calendar
UPDATE timeline_check SET cal =
	(SELECT count(*) FILTER (WHERE k.w IS DISTINCT FROM coalesce(l.w, interval '0'))
	 FROM (:kpi_cal_rows) k FULL JOIN (:lead_cal_rows) l USING (ticket));
\endif
DO $$
DECLARE
	r	record;
BEGIN
	SELECT * INTO r FROM timeline_check;
	IF r.a + r.b + r.c + r.d + r.e + coalesce(r.cal, 0) > 0 THEN
		RAISE EXCEPTION 'timeline: kpi differs from the lead() SQL'
			USING DETAIL = format('of %s tickets: agent wait %s, requester wait %s, first solved %s, last solved %s, solved entries %s, business-time agent wait %s',
								  r.tickets, r.a, r.b, r.c, r.d, r.e, coalesce(r.cal::text, 'not checked'));
	END IF;
	RAISE NOTICE 'timeline | exact: % tickets: agent and requester wait, first and last solved, solved entries%, equal to the lead() SQL',
		r.tickets, CASE WHEN r.cal IS NULL THEN '' ELSE ', business-time agent wait' END;
END $$;

-- ---------- the timed cases ----------
-- The same cases and targets on two layouts (below): prefix names them.
-- The business-time cases are skipped (cal_* NULL) without a calendar.

CREATE FUNCTION pg_temp.timeline_cases(prefix text, layout text, kpi_wait text, lead_wait text,
									   kpi_five text, lead_five text, kpi_cal text, lead_cal text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	wait_lead	text := prefix || 'agent wait: lead() SQL';
	wait_kpi	text := prefix || 'agent wait: kpi_timeline';
	five_lead	text := prefix || 'five accessors: lead() SQL';
	five_kpi	text := prefix || 'five accessors: kpi_timeline';
	cal_lead	text := prefix || 'business-time agent wait: lead() SQL + kpi_business_duration';
	cal_kpi		text := prefix || 'business-time agent wait: kpi_timeline';
BEGIN
	PERFORM bench.run('timeline', wait_lead, lead_wait);
	PERFORM bench.run('timeline', wait_kpi, kpi_wait, 0, wait_lead);
	PERFORM bench.run('timeline', five_lead, lead_five);
	PERFORM bench.run('timeline', five_kpi, kpi_five, 0, five_lead);
	IF kpi_cal IS NOT NULL THEN
		PERFORM bench.run('timeline', cal_lead, lead_cal);
		PERFORM bench.run('timeline', cal_kpi, kpi_cal, 0, cal_lead);
	END IF;
	-- re-timed now, under this layout's settings
	PERFORM bench.target('timeline', wait_kpi, wait_lead, 0.7,
						 format('agent wait, %s: kpi_timeline / lead() SQL, serial', layout));
	IF kpi_cal IS NOT NULL THEN
		PERFORM bench.target('timeline', cal_kpi, wait_kpi, 1.5,
							 format('agent wait, %s: kpi_timeline with a calendar / without', layout));
	END IF;
	PERFORM bench.target('timeline', five_kpi, wait_kpi, 1.3,
						 format('%s: five accessors of one kpi_timeline / one', layout));
END $$;
\if :has_calendar
\else
\set kpi_wait_cal NULL
\set lead_wait_cal NULL
\endif

-- ---------- the log as stored: the lead() SQL sorts, kpi_timeline hashes ----------

SELECT pg_temp.timeline_cases('', 'log as stored (lead() sorts, kpi hashes)', :'kpi_wait', :'lead_wait',
							  :'kpi_five', :'lead_five', nullif(:'kpi_wait_cal', 'NULL'), nullif(:'lead_wait_cal', 'NULL'));
-- informational: partial aggregates in 2 workers, merged by the combine
-- function (a ticket's rows are in both workers: nothing to reduce)
SELECT bench.run('timeline', 'agent wait: kpi_timeline', :'kpi_wait', 2, 'agent wait: kpi_timeline@0');

-- ---------- memory: :groups tickets hashed ----------

SET enable_sort = off;		-- a HashAggregate for both
SELECT bench.memory('timeline', format('%s tickets: array_agg(status)', :groups),
	format('SELECT ticket, array_agg(status) FROM bench_events WHERE ticket <= %s GROUP BY ticket', :groups));
SELECT bench.memory('timeline', format('%s tickets: kpi_timeline(at, status)', :groups),
	format('SELECT ticket, kpi_timeline(at, status) FROM bench_events WHERE ticket <= %s GROUP BY ticket', :groups),
	format('%s tickets: array_agg(status)', :groups));
RESET enable_sort;
SELECT bench.target('timeline', format('%s tickets: kpi_timeline(at, status)', :groups),
	format('%s tickets: array_agg(status)', :groups), 3,
	format('peak memory, %s tickets hashed: kpi_timeline / array_agg(status)', :groups), 'memory');
CREATE TEMP TABLE timeline_sizes AS
SELECT pg_column_size(kpi_timeline(at, status)) AS kpi, pg_column_size(array_agg(status)) AS arr
FROM bench_events WHERE ticket <= :groups GROUP BY ticket;
SELECT bench.record('timeline', 'one ticket''s kpi_timeline: size, mean', avg(kpi), 'bytes'),
	   bench.record('timeline', 'one ticket''s array_agg(status): size, mean', avg(arr), 'bytes')
FROM timeline_sizes;

-- ---------- a covering index: the fastest lead() SQL ----------
-- An index-only scan hands the lead() SQL its rows sorted: no sort.
-- kpi_timeline reads the same index with a GroupAggregate (the planner's
-- own choice with the index is still to hash, as above: its estimates do
-- not see that a sorted ticket's changes need no sort in kpi_timeline).

CREATE INDEX bench_events_ticket_at ON bench_events (ticket, at) INCLUDE (status);
VACUUM ANALYZE bench_events;
SELECT pg_prewarm('bench_events_ticket_at') > 0 AS prewarmed_index;
SET enable_hashagg = off;
SET enable_seqscan = off;
SELECT pg_temp.timeline_cases('index: ', 'covering index (both read it in order)', :'kpi_wait', :'lead_wait',
							  :'kpi_five', :'lead_five', nullif(:'kpi_wait_cal', 'NULL'), nullif(:'lead_wait_cal', 'NULL'));
RESET enable_hashagg;
RESET enable_seqscan;
