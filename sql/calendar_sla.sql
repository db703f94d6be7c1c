-- kpi_sla: % met of met + breached, in elapsed and in business time,
-- against the definition written in plain SQL (count(*) FILTER), grouped,
-- in parallel and in moving windows.
SELECT setseed(0.3);
CREATE TABLE sla_team (team int, calendar kpi_calendar);
INSERT INTO sla_team VALUES
  (1, 'Europe/Prague; mon-fri 09:00-17:00; closed 2026-12-24..2026-12-26'),
  (2, 'America/New_York; mon-fri 08:00-12:00, 13:00-18:00; sat 10:00-14:00'),
  (3, 'Asia/Kolkata; mon-sun 00:00-24:00'),
  (4, 'Australia/Lord_Howe; mon-fri 22:00-24:00; tue-sat 00:00-06:00');
CREATE TABLE sla_ticket AS
SELECT k AS id, 1 + (k % 4) AS team, started,
       CASE WHEN random() < 0.2 THEN NULL ELSE started + random() * interval '3 days' END AS finished
FROM (SELECT k, '2026-01-01 UTC'::timestamptz + random() * interval '360 days' AS started
      FROM generate_series(1, 20000) k) x;
INSERT INTO sla_ticket VALUES (20001, 1, NULL, '2026-05-01 UTC'), (20002, 2, '2026-05-01 UTC', '2026-04-01 UTC');

-- the definition in SQL: elapsed time
CREATE FUNCTION sla_ref(met bigint, breached bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS
  $$ SELECT CASE WHEN met + breached > 0 THEN 100.0::float8 * met / (met::float8 + breached::float8) END $$;
SELECT team,
       kpi_sla(started, finished, interval '26 hours', timestamptz '2026-12-01 UTC') AS kpi,
       kpi_sla(started, finished, interval '26 hours', timestamptz '2026-12-01 UTC') =
       sla_ref(count(*) FILTER (WHERE started IS NOT NULL AND finished - started <= interval '26 hours'),
               count(*) FILTER (WHERE started IS NOT NULL AND (finished - started > interval '26 hours' OR
                                       finished IS NULL AND started + interval '26 hours' < timestamptz '2026-12-01 UTC')))
         AS same
FROM sla_ticket GROUP BY team ORDER BY team;

-- business time: met when kpi_business_duration <= target, breached when
-- longer or open and kpi_business_add(started, target) < as_of
SELECT team,
       kpi_sla(started, finished, interval '4 hours', calendar, timestamptz '2026-12-01 UTC') =
       sla_ref(count(*) FILTER (WHERE started IS NOT NULL AND kpi_business_duration(started, finished, calendar) <= interval '4 hours'),
               count(*) FILTER (WHERE started IS NOT NULL AND (kpi_business_duration(started, finished, calendar) > interval '4 hours' OR
                                       finished IS NULL AND kpi_business_add(started, interval '4 hours', calendar) < timestamptz '2026-12-01 UTC')))
         AS same,
       count(*) FILTER (WHERE finished IS NULL AND kpi_business_add(started, interval '4 hours', calendar) >= timestamptz '2026-12-01 UTC') AS active
FROM sla_ticket JOIN sla_team USING (team) GROUP BY team ORDER BY team;

-- as_of early in the year: most open rows are still active
SELECT kpi_sla(started, finished, interval '4 hours', calendar, timestamptz '2026-01-05 UTC') =
       sla_ref(count(*) FILTER (WHERE kpi_business_duration(started, finished, calendar) <= interval '4 hours'),
               count(*) FILTER (WHERE kpi_business_duration(started, finished, calendar) > interval '4 hours' OR
                                      finished IS NULL AND kpi_business_add(started, interval '4 hours', calendar) < timestamptz '2026-01-05 UTC'))
         AS same
FROM sla_ticket JOIN sla_team USING (team) WHERE started IS NOT NULL;

-- a parallel plan gives the same, with partial aggregation
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT kpi_sla(started, finished, interval '4 hours', calendar, timestamptz '2026-12-01 UTC')
FROM sla_ticket JOIN sla_team USING (team);
CREATE TABLE sla_parallel AS
SELECT kpi_sla(started, finished, interval '4 hours', calendar, timestamptz '2026-12-01 UTC') AS business,
       kpi_sla(started, finished, interval '26 hours', timestamptz '2026-12-01 UTC') AS elapsed
FROM sla_ticket JOIN sla_team USING (team);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
SELECT p.business = s.business AS business_same, p.elapsed = s.elapsed AS elapsed_same
FROM sla_parallel p,
     (SELECT kpi_sla(started, finished, interval '4 hours', calendar, timestamptz '2026-12-01 UTC') AS business,
             kpi_sla(started, finished, interval '26 hours', timestamptz '2026-12-01 UTC') AS elapsed
      FROM sla_ticket JOIN sla_team USING (team)) s;
RESET max_parallel_workers_per_gather;

-- moving windows (the inverse transition) equal the frame recomputed
SELECT count(*) AS windows,
       count(*) FILTER (WHERE w IS DISTINCT FROM
                        (SELECT kpi_sla(t2.started, t2.finished, interval '4 hours', c2.calendar, timestamptz '2026-12-01 UTC')
                         FROM sla_ticket t2 JOIN sla_team c2 USING (team)
                         WHERE t2.id BETWEEN x.id - 20 AND x.id)) AS wrong
FROM (SELECT id, kpi_sla(started, finished, interval '4 hours', calendar, timestamptz '2026-12-01 UTC')
                   OVER (ORDER BY id ROWS BETWEEN 20 PRECEDING AND CURRENT ROW) AS w
      FROM sla_ticket JOIN sla_team USING (team) WHERE id <= 1000) x;

-- edge cases: no rows, only active rows, NULL as_of, a calendar with no open time
SELECT kpi_sla(started, finished, interval '4 hours', timestamptz '2026-12-01 UTC') AS no_rows
FROM sla_ticket WHERE false;
SELECT kpi_sla(t, NULL, interval '4 hours', timestamptz '2026-01-01 UTC') AS only_active
FROM (VALUES (timestamptz '2026-01-01 UTC')) v(t);
SELECT kpi_sla(t, f, interval '4 hours', NULL) AS open_rows_active_without_as_of
FROM (VALUES (timestamptz '2026-01-01 UTC', timestamptz '2026-01-01 01:00 UTC'), ('2026-01-01 UTC', NULL)) v(t, f);
SELECT kpi_sla(t, f, interval '4 hours', 'UTC', timestamptz '2027-01-01 UTC') AS never_due
FROM (VALUES (timestamptz '2026-01-01 UTC', NULL::timestamptz), ('2026-01-01 UTC', '2026-03-01 UTC')) v(t, f);
-- errors
SELECT kpi_sla(t, f, interval '-1 hour', timestamptz '2026-12-01 UTC')
FROM (VALUES (timestamptz '2026-01-01 UTC', timestamptz '2026-01-02 UTC')) v(t, f);
SELECT kpi_sla(t, f, interval '1 hour', timestamptz '2026-12-01 UTC')
FROM (VALUES (timestamptz 'infinity', timestamptz '2026-01-02 UTC')) v(t, f);
SELECT kpi_sla(t, f, interval '1 hour', 'UTC; mon 09:00-10:00', timestamptz 'infinity')
FROM (VALUES (timestamptz '2026-01-01 UTC', NULL::timestamptz)) v(t, f);
