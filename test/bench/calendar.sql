-- test/bench/calendar.sql: business hours (issue 8).
--
-- :rows tickets (default 10M) created over two years (2025-2026), with a
-- lognormal wait for the first reply (median 2 hours, sigma 1.5), 5% never
-- answered, in four teams.  The calendar is a Prague office, weekdays
-- 09:00-17:00 with its public holidays; the four team calendars are in
-- four zones.  Cases, serial:
--   * kpi_hist(created, first_reply, calendar) and the calendar forms of
--     kpi_avg_wait, against avg(first_reply - created): business time must
--     cost no more than elapsed time in the built-in aggregate;
--   * avg(kpi_business_duration(...)) and max(kpi_business_add(...)), the
--     scalar functions, against the same;
--   * four team calendars joined from a table against one constant
--     calendar, both over the same join: the per-call cache with several
--     entries;
--   * on 100k tickets, the same mean computed in SQL two ways: as a
--     dbt model does it (a row per ticket and local day from
--     generate_series, joined to the weekday's hours, AT TIME ZONE, minus
--     holidays, clipped and summed), and the fastest SQL found (the open
--     intervals precomputed once, one index range scan per ticket).  Both
--     results must equal kpi's to the microsecond; the plain elapsed-time
--     avg over the same rows shows the floor any method has to pay.

\set ON_ERROR_STOP 1
\if :{?rows}
\else
\set rows 10000000
\endif

SELECT to_regprocedure('kpi_avg_wait(timestamptz, timestamptz, kpi_calendar)') IS NULL AS no_calendar \gset
\if :no_calendar
\echo 'calendar: the calendar forms of the kpi aggregates are not installed yet: suite skipped'
\quit
\endif

\set office '''Europe/Prague; mon-fri 09:00-17:00; closed 2025-01-01, 2025-04-18, 2025-04-21, 2025-05-01, 2025-05-08, 2025-07-05, 2025-07-06, 2025-09-28, 2025-10-28, 2025-11-17, 2025-12-24..2025-12-26, 2026-01-01, 2026-04-03, 2026-04-06, 2026-05-01, 2026-05-08, 2026-07-06, 2026-09-28, 2026-10-28, 2026-11-17, 2026-12-24..2026-12-26''::kpi_calendar'

DROP TABLE IF EXISTS bench_bh, bench_bh_team, bench_bh_small, bench_bh_open, bench_bh_hours, bench_bh_holiday;
SELECT setseed(0.808);
CREATE UNLOGGED TABLE bench_bh AS
SELECT i::integer AS id, (i % 4)::integer AS team, created,
	   CASE WHEN u0 < 0.05 THEN NULL
			ELSE created + make_interval(secs => exp(ln(7200) + 1.5 * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2)))
	   END AS first_reply
FROM (SELECT i, timestamptz '2025-01-01 00:00 UTC' + random() * interval '730 days' AS created,
			 random() AS u0, random() AS u1, random() AS u2
	  FROM generate_series(1, :rows::bigint) i) g;
-- Four teams in four zones, each with its own hours.
CREATE TABLE bench_bh_team (team integer PRIMARY KEY, calendar kpi_calendar);
INSERT INTO bench_bh_team VALUES
	(0, :office),
	(1, 'America/New_York; mon-fri 08:00-12:00, 13:00-18:00; closed 2025-07-04, 2025-12-25, 2026-07-03, 2026-12-25'),
	(2, 'Asia/Kolkata; mon-sat 09:30-18:30; closed 2025-08-15, 2026-08-15'),
	(3, 'Australia/Sydney; mon-fri 08:00-20:00; sat 09:00-13:00');
CREATE UNLOGGED TABLE bench_bh_small AS SELECT * FROM bench_bh WHERE id <= 100000;
VACUUM (FREEZE, ANALYZE) bench_bh, bench_bh_team, bench_bh_small;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
SELECT pg_prewarm('bench_bh'), pg_prewarm('bench_bh_small');

-- The open intervals of the office calendar, as a dbt model builds them:
-- one row per local open day, its hours turned into instants.
CREATE UNLOGGED TABLE bench_bh_open AS
SELECT (d + time '09:00') AT TIME ZONE 'Europe/Prague' AS opens,
	   (d + time '17:00') AT TIME ZONE 'Europe/Prague' AS closes
FROM (SELECT day::date AS d		-- a date: date + time is a local timestamp
	  FROM generate_series(date '2024-12-20', date '2027-03-31', interval '1 day') day) days
WHERE extract(isodow FROM d) <= 5
  AND d <> ALL ('{2025-01-01, 2025-04-18, 2025-04-21, 2025-05-01, 2025-05-08, 2025-07-05, 2025-07-06,
						2025-09-28, 2025-10-28, 2025-11-17, 2025-12-24, 2025-12-25, 2025-12-26, 2026-01-01,
						2026-04-03, 2026-04-06, 2026-05-01, 2026-05-08, 2026-07-06, 2026-09-28, 2026-10-28,
						2026-11-17, 2026-12-24, 2026-12-25, 2026-12-26}'::date[]);
CREATE INDEX ON bench_bh_open (opens) INCLUDE (closes);
-- The same calendar as a dbt model keeps it: weekly hours and holidays.
CREATE TABLE bench_bh_hours (isodow integer, opens time, closes time);
INSERT INTO bench_bh_hours SELECT dow, '09:00', '17:00' FROM generate_series(1, 5) dow;
CREATE TABLE bench_bh_holiday (day date PRIMARY KEY);
INSERT INTO bench_bh_holiday
SELECT day FROM generate_series(date '2024-12-20', date '2027-03-31', interval '1 day') day
WHERE extract(isodow FROM day) <= 5 AND NOT EXISTS (SELECT FROM bench_bh_open WHERE opens::date = day::date);
VACUUM ANALYZE bench_bh_open, bench_bh_hours, bench_bh_holiday;

-- ---------- correctness first: every form gives the same mean ----------

-- The dbt model: a row per ticket and local day (generate_series), joined
-- to that weekday's hours unless a holiday, clipped to the ticket, summed.
\set dbt_model_query 'SELECT avg(coalesce(open_time, interval ''0'')) FROM (SELECT t.id, sum(least(t.first_reply, o.closes) - greatest(t.created, o.opens)) FILTER (WHERE o.closes > t.created AND o.opens < t.first_reply) AS open_time FROM bench_bh_small t LEFT JOIN LATERAL (SELECT (d.day + h.opens) AT TIME ZONE ''Europe/Prague'' AS opens, (d.day + h.closes) AT TIME ZONE ''Europe/Prague'' AS closes FROM (SELECT g::date AS day FROM generate_series((t.created AT TIME ZONE ''Europe/Prague'')::date, (t.first_reply AT TIME ZONE ''Europe/Prague'')::date, interval ''1 day'') g) d JOIN bench_bh_hours h ON h.isodow = extract(isodow FROM d.day) WHERE d.day NOT IN (SELECT day FROM bench_bh_holiday)) o ON true WHERE t.first_reply IS NOT NULL GROUP BY t.id) per_ticket'
-- The fastest SQL found: the open intervals precomputed, and as an
-- opening lasts under a day, the ones overlapping a ticket are those
-- opening in (created - 1 day, first_reply), one index range scan.
\set dbt_query 'SELECT avg(coalesce(b.open_time, interval ''0'')) FROM bench_bh_small t LEFT JOIN LATERAL (SELECT sum(least(t.first_reply, o.closes) - greatest(t.created, o.opens)) AS open_time FROM bench_bh_open o WHERE o.opens < t.first_reply AND o.opens > t.created - interval ''1 day'' AND o.closes > t.created) b ON true WHERE t.first_reply IS NOT NULL'
SELECT kpi_avg_wait(created, first_reply, :office) AS kpi_mean,
	   avg(kpi_business_duration(created, first_reply, :office)) AS scalar_mean,
	   kpi_mean(kpi_hist(created, first_reply, :office)) AS hist_mean,
	   (:dbt_query) AS dbt_mean, (:dbt_model_query) AS dbt_model_mean
FROM bench_bh_small \gset
-- avg(interval) rounds to the microsecond; kpi's means are exact
SELECT bench.record('calendar', '100k tickets: |fastest SQL mean - kpi_avg_wait|',
	abs(extract(epoch FROM :'dbt_mean'::interval - :'kpi_mean'::interval)) * 1e6, 'µs');
SELECT bench.record('calendar', '100k tickets: |dbt model SQL mean - kpi_avg_wait|',
	abs(extract(epoch FROM :'dbt_model_mean'::interval - :'kpi_mean'::interval)) * 1e6, 'µs');
SELECT abs(extract(epoch FROM :'dbt_mean'::interval - :'kpi_mean'::interval)) <= 1e-6
   AND abs(extract(epoch FROM :'dbt_model_mean'::interval - :'kpi_mean'::interval)) <= 1e-6
   AND abs(extract(epoch FROM :'scalar_mean'::interval - :'kpi_mean'::interval)) <= 1e-6
   AND :'hist_mean'::interval = :'kpi_mean'::interval AS forms_agree \gset
\if :forms_agree
\else
\echo 'calendar: the forms disagree:' kpi_avg_wait :'kpi_mean', avg(kpi_business_duration) :'scalar_mean', kpi_hist :'hist_mean', fastest SQL :'dbt_mean', dbt model :'dbt_model_mean'
DO $$ BEGIN RAISE EXCEPTION 'calendar: business-time means disagree (see above)'; END $$;
\endif

-- ---------- all rows, serial ----------

SELECT bench.run('calendar', 'avg(first_reply - created)',
	'SELECT avg(first_reply - created) FROM bench_bh');
SELECT bench.run('calendar', 'kpi_hist(created, first_reply, calendar)',
	format('SELECT kpi_hist(created, first_reply, %s) FROM bench_bh', :'office'), 0, 'avg(first_reply - created)');
SELECT bench.run('calendar', 'kpi_avg_wait(created, first_reply, calendar)',
	format('SELECT kpi_avg_wait(created, first_reply, %s) FROM bench_bh', :'office'), 0, 'avg(first_reply - created)');
SELECT bench.run('calendar', 'avg(kpi_business_duration(created, first_reply, calendar))',
	format('SELECT avg(kpi_business_duration(created, first_reply, %s)) FROM bench_bh', :'office'), 0,
	'avg(first_reply - created)');
SELECT bench.run('calendar', 'max(kpi_business_add(created, 4 hours, calendar))',
	format($q$SELECT max(kpi_business_add(created, interval '4 hours', %s)) FROM bench_bh$q$, :'office'), 0,
	'avg(first_reply - created)');

-- Four calendars against one, over the same join.
SELECT bench.run('calendar', 'join: kpi_hist, one constant calendar',
	format('SELECT kpi_hist(created, first_reply, %s) FROM bench_bh JOIN bench_bh_team USING (team)', :'office'));
SELECT bench.run('calendar', 'join: kpi_hist, 4 team calendars',
	'SELECT kpi_hist(created, first_reply, calendar) FROM bench_bh JOIN bench_bh_team USING (team)', 0,
	'join: kpi_hist, one constant calendar');

-- ---------- 100k tickets: kpi against dbt-style SQL ----------

SELECT bench.run('calendar', '100k: dbt model SQL (ticket-days joined to hours)', :'dbt_model_query', 0, NULL, 3);
SELECT bench.run('calendar', '100k: fastest SQL (open intervals, index range join)', :'dbt_query', 0,
	'100k: dbt model SQL (ticket-days joined to hours)', 3);
-- The floors: reading the same rows and columns and computing nothing, and
-- the built-in aggregate of the calendar-time wait.  100x the SQL above
-- would have to be faster than the first.
SELECT bench.run('calendar', '100k: count(first_reply), elapsed time',
	'SELECT count(first_reply) FROM bench_bh_small', 0, '100k: dbt model SQL (ticket-days joined to hours)');
SELECT bench.run('calendar', '100k: avg(first_reply - created), elapsed time',
	'SELECT avg(first_reply - created) FROM bench_bh_small', 0, '100k: dbt model SQL (ticket-days joined to hours)');
SELECT bench.run('calendar', '100k: kpi_avg_wait(created, first_reply, calendar)',
	format('SELECT kpi_avg_wait(created, first_reply, %s) FROM bench_bh_small', :'office'), 0,
	'100k: dbt model SQL (ticket-days joined to hours)');

-- ---------- targets ----------

SELECT bench.target('calendar', 'kpi_hist(created, first_reply, calendar)', 'avg(first_reply - created)', 1.0,
	'kpi_hist(created, first_reply, cal) / avg(first_reply - created), serial');
SELECT bench.target('calendar', 'avg(kpi_business_duration(created, first_reply, calendar))',
	'avg(first_reply - created)', 2.0,
	'avg(kpi_business_duration(created, first_reply, cal)) / avg(first_reply - created), serial');
SELECT bench.target('calendar', 'join: kpi_hist, 4 team calendars', 'join: kpi_hist, one constant calendar', 1.3,
	'4 team calendars joined / one constant calendar, serial');
SELECT bench.target('calendar', '100k: kpi_avg_wait(created, first_reply, calendar)',
	'100k: dbt model SQL (ticket-days joined to hours)', 0.01,
	'kpi_avg_wait with a calendar / dbt model SQL, 100k tickets (100× faster)');
SELECT bench.target('calendar', '100k: kpi_avg_wait(created, first_reply, calendar)',
	'100k: fastest SQL (open intervals, index range join)', 0.01,
	'kpi_avg_wait with a calendar / fastest SQL found, 100k tickets (100× faster)');
SELECT bench.target('calendar', 'max(kpi_business_add(created, 4 hours, calendar))', 'avg(first_reply - created)', 2.0,
	'kpi_business_add over every row / avg(first_reply - created), serial');
