-- Business hours: kpi_calendar and business time against a brute-force
-- reference in plain SQL (each local day's hours from generate_series,
-- turned into instants with AT TIME ZONE, unioned with range_agg,
-- intersected with the question), in zones that make it hard.

-- ---------- the type ----------
SELECT 'Europe/Prague; mon-fri 09:00-12:00, 13:00-17:00; sat 10:00-14:00;
        closed 2026-12-24..2026-12-26, 2027-01-01; 2026-12-31 09:00-12:00'::kpi_calendar;
-- normalised: sorted, merged, days with equal hours together, zone spelled as pg_timezone_names
SELECT 'europe/prague; sat 10:00-14:00; MON-FRI 13:00-17:00, 09:00-12:00, 11:00-12:30; closed 2027-01-01, 2026-12-24..2026-12-26'::kpi_calendar;
SELECT 'UTC; fri-mon 08:00-09:00; sat,sun 10:00-14:00; 2026-05-01..2026-05-03 10:00-11:00; closed 2026-05-02'::kpi_calendar;
SELECT 'Asia/Kolkata; mon-sun 00:00-24:00'::kpi_calendar, 'UTC'::kpi_calendar;
-- the output reads back to the same value; the binary form starts with its version
SELECT c::text::kpi_calendar::text = c::text AS text_round_trip,
       kpi_calendar_send(c::text::kpi_calendar) = kpi_calendar_send(c) AS same_bytes,
       get_byte(kpi_calendar_send(c), 0) AS version
FROM (VALUES ('Europe/Prague; mon-fri 09:00-17:00; closed 2026-12-24'::kpi_calendar),
             ('America/New_York; mon-fri 22:00-24:00; tue-sat 00:00-06:00'),
             ('Pacific/Apia; 2011-12-29..2011-12-31 09:00-17:00'),
             ('UTC')) v(c);
-- the constructor
SELECT kpi_calendar('Europe/Prague', 'mon-fri 09:00-17:00; sat 10:00-14:00',
                    ARRAY['2026-12-24', '2026-12-25', '2026-12-26', '2027-01-01']::date[]);
SELECT kpi_calendar('Europe/Prague', 'mon-fri 09:00-17:00; sat 10:00-14:00',
                    ARRAY['2026-12-24', '2026-12-25', '2026-12-26', '2027-01-01']::date[])::text
     = 'Europe/Prague; mon-fri 09:00-17:00; sat 10:00-14:00; closed 2026-12-24..2026-12-26, 2027-01-01'::kpi_calendar::text
       AS same;
SELECT kpi_calendar('UTC', '');

-- errors: 22P02 naming the clause; an unknown zone; closed dates
\set VERBOSITY default
SELECT 'Europe/Prague; mon-fry 09:00-17:00'::kpi_calendar;
SELECT 'Europe/Prague; mon-fri 22:00-06:00'::kpi_calendar;
SELECT 'Europe/Prague; mon-fri 09:00-24:30'::kpi_calendar;
SELECT 'Europe/Prague; closed 2026-02-29'::kpi_calendar;
SELECT 'Europe/Pragu; mon-fri 09:00-17:00'::kpi_calendar;
SELECT ''::kpi_calendar;
SELECT kpi_calendar('Mars/Olympus', 'mon 09:00-10:00');
SELECT kpi_calendar('UTC', 'mon 9-10');
SELECT kpi_calendar('UTC', 'mon 09:00-10:00', ARRAY[NULL]::date[]);
SELECT kpi_calendar('UTC', 'mon 09:00-10:00', ARRAY['infinity']::date[]);
SELECT kpi_calendar('UTC', 'mon 09:00-10:00', ARRAY['10000-01-01']::date[]);

-- ---------- the reference ----------
-- Calendars as rows: weekly hours (ISO day of week), closed days, special
-- hours.  Each calendar also as kpi_calendar text, written independently.
CREATE TABLE calendar_ref_weekly (cal text, isodow int, s time, e time);
CREATE TABLE calendar_ref_closed (cal text, d date);
CREATE TABLE calendar_ref_special (cal text, d date, s time, e time);
CREATE TABLE calendar_ref_text (cal text, hours text);

-- office hours, holidays, a short day, a Saturday
INSERT INTO calendar_ref_text VALUES ('office',
  'mon-fri 09:00-12:00, 13:00-17:00; sat 10:00-14:00; closed 2011-12-24..2011-12-26, 2012-01-01, 2012-04-06, 2018-12-24..2018-12-26, 2019-01-01; 2011-12-30 10:00-14:00; 2012-12-31 09:00-12:00');
INSERT INTO calendar_ref_weekly SELECT 'office', dow, s, e
  FROM generate_series(1, 5) dow, (VALUES ('09:00'::time, '12:00'::time), ('13:00', '17:00')) h(s, e);
INSERT INTO calendar_ref_weekly VALUES ('office', 6, '10:00', '14:00');
INSERT INTO calendar_ref_closed SELECT 'office', d
  FROM unnest('{2011-12-24,2011-12-25,2011-12-26,2012-01-01,2012-04-06,2018-12-24,2018-12-25,2018-12-26,2019-01-01}'::date[]) d;
INSERT INTO calendar_ref_special VALUES ('office', '2011-12-30', '10:00', '14:00'), ('office', '2012-12-31', '09:00', '12:00');
-- night shifts written as two ranges
INSERT INTO calendar_ref_text VALUES ('night', 'mon-fri 22:00-24:00; tue-sat 00:00-06:00');
INSERT INTO calendar_ref_weekly SELECT 'night', dow, '22:00', '24:00' FROM generate_series(1, 5) dow;
INSERT INTO calendar_ref_weekly SELECT 'night', dow, '00:00', '06:00' FROM generate_series(2, 6) dow;
-- 24/7
INSERT INTO calendar_ref_text VALUES ('24/7', 'mon-sun 00:00-24:00');
INSERT INTO calendar_ref_weekly SELECT '24/7', dow, '00:00', '24:00' FROM generate_series(1, 7) dow;
-- hours around the DST changes: Sundays in the small hours, Saturday late evening
INSERT INTO calendar_ref_text VALUES ('dst', 'sun 00:00-00:45, 01:30-03:30; sat 23:15-24:00');
INSERT INTO calendar_ref_weekly VALUES ('dst', 7, '00:00', '00:45'), ('dst', 7, '01:30', '03:30'), ('dst', 6, '23:15', '24:00');
-- special days only
INSERT INTO calendar_ref_text VALUES ('special', '2011-12-29..2011-12-31 09:00-17:00; 2012-03-25 01:00-04:00; 2012-11-04 00:30-03:00; 2012-10-07 01:00-03:00; 2019-02-16..2019-02-17 22:00-24:00, 00:00-02:00; 2012-04-01 01:00-04:00');
INSERT INTO calendar_ref_special
  SELECT 'special', d, '09:00', '17:00' FROM generate_series('2011-12-29'::date, '2011-12-31', '1 day') g(d)
  UNION ALL VALUES ('special', '2012-03-25'::date, '01:00'::time, '04:00'::time), ('special', '2012-11-04', '00:30', '03:00'),
                   ('special', '2012-10-07', '01:00', '03:00'), ('special', '2012-04-01', '01:00', '04:00'),
                   ('special', '2019-02-16', '00:00', '02:00'), ('special', '2019-02-16', '22:00', '24:00'),
                   ('special', '2019-02-17', '00:00', '02:00'), ('special', '2019-02-17', '22:00', '24:00');

-- the zones and the years each is tested over
CREATE TABLE calendar_ref_zone (zone text, y0 date, y1 date);
INSERT INTO calendar_ref_zone VALUES
  ('Europe/Prague', '2012-01-01', '2013-01-01'),
  ('America/New_York', '2012-01-01', '2013-01-01'),
  ('Australia/Lord_Howe', '2012-01-01', '2013-01-01'),
  ('Asia/Kolkata', '2012-01-01', '2013-01-01'),
  ('Pacific/Apia', '2011-11-01', '2012-02-01'),
  ('America/Sao_Paulo', '2018-10-01', '2019-12-01');

-- the open instants of a calendar over local days [d0, d1]: each day's hours
-- (closed: none; special: those; else the weekly ones) AT TIME ZONE, unioned
CREATE FUNCTION calendar_ref_open(c text, zone text, d0 date, d1 date) RETURNS tstzmultirange
LANGUAGE sql STABLE AS $$
  SELECT coalesce(range_agg(tstzrange(lo, hi)), '{}')
  FROM (SELECT (day + h.s) AT TIME ZONE zone AS lo, (day + h.e) AT TIME ZONE zone AS hi
        FROM (SELECT g::date AS day FROM generate_series(d0, d1, interval '1 day') g) days
        CROSS JOIN LATERAL (
          SELECT w.s, w.e FROM calendar_ref_weekly w
          WHERE w.cal = c AND w.isodow = extract(isodow FROM day)
            AND NOT EXISTS (SELECT FROM calendar_ref_special sp WHERE sp.cal = c AND sp.d = day)
          UNION ALL
          SELECT sp.s, sp.e FROM calendar_ref_special sp WHERE sp.cal = c AND sp.d = day) h
        WHERE NOT EXISTS (SELECT FROM calendar_ref_closed cl WHERE cl.cal = c AND cl.d = day)) x
  WHERE hi > lo
$$;

-- open time in [a, b) by the reference, negative when b < a
CREATE FUNCTION calendar_ref_duration(c text, zone text, a timestamptz, b timestamptz) RETURNS interval
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN a <= b THEN 1 ELSE -1 END *
         coalesce(sum(upper(r) - lower(r)), interval '0')
  FROM unnest(calendar_ref_open(c, zone, (least(a, b) AT TIME ZONE 'UTC')::date - 2,
                                (greatest(a, b) AT TIME ZONE 'UTC')::date + 2)
              * tstzmultirange(tstzrange(least(a, b), greatest(a, b)))) r
$$;

-- random questions: per calendar and zone 200 instants in the zone's years,
-- minute-aligned, quarter-hour-aligned or not, and a second instant up to
-- 10 days (sometimes 90) either side
SELECT setseed(0.8);
CREATE TABLE calendar_q AS
SELECT c.cal, z.zone, kpi_calendar(z.zone, c.hours) AS calendar, q.a, q.b
FROM calendar_ref_text c CROSS JOIN calendar_ref_zone z
CROSS JOIN LATERAL (
  SELECT a, a + (CASE WHEN random() < 0.5 THEN -1 ELSE 1 END) *
                (CASE WHEN random() < 0.2 THEN 90 ELSE 10 END) * random() * interval '1 day' AS b
  FROM (SELECT CASE k % 3 WHEN 0 THEN date_trunc('minute', t)
                          WHEN 1 THEN date_trunc('hour', t) + interval '15 min' * floor(random() * 4)
                          ELSE t END AS a
        FROM (SELECT (z.y0::timestamp AT TIME ZONE 'UTC') + interval '1 day' +
                     random() * (z.y1 - z.y0 - 2) * interval '1 day' AS t, k
              FROM generate_series(1, 200 + 0 * length(c.cal)) k) r) r2) q;
SELECT count(*) AS questions, count(DISTINCT (cal, zone)) AS calendars_in_zones FROM calendar_q;

-- business duration equals the reference, both ways
SELECT cal, zone, count(*) AS pairs,
       count(*) FILTER (WHERE kpi_business_duration(a, b, calendar) IS DISTINCT FROM
                              calendar_ref_duration(cal, zone, a, b)) AS wrong
FROM calendar_q GROUP BY 1, 2 ORDER BY 1, 2;

-- is_open equals the reference
SELECT count(*) AS instants,
       count(*) FILTER (WHERE kpi_is_open(a, calendar) IS DISTINCT FROM
                              calendar_ref_open(cal, zone, (a AT TIME ZONE 'UTC')::date - 2,
                                                (a AT TIME ZONE 'UTC')::date + 2) @> a) AS wrong
FROM calendar_q;

-- business_add: for an amount of open time d (each pair's own, give or take
-- up to an hour, either sign) the reference's open time from t to the result
-- is d, and one microsecond less does not reach it (the earliest; the latest
-- for d < 0)
CREATE TABLE calendar_add AS
SELECT cal, zone, calendar, a AS t, d, kpi_business_add(a, d, calendar) AS u
FROM (SELECT *, CASE WHEN random() < 0.3 THEN -1 ELSE 1 END *
                (abs(extract(epoch FROM calendar_ref_duration(cal, zone, a, b))) * interval '1 second' +
                 CASE WHEN random() < 0.5 THEN interval '0' ELSE random() * interval '1 hour' END) AS d
      FROM calendar_q WHERE cal <> 'special') q
WHERE d <> interval '0';
SELECT cal, zone, count(*) AS adds,
       count(*) FILTER (WHERE CASE WHEN d > interval '0'
                                   THEN calendar_ref_duration(cal, zone, t, u) <> d OR
                                        calendar_ref_duration(cal, zone, t, u - interval '1 microsecond') >= d
                                   ELSE calendar_ref_duration(cal, zone, u, t) <> -d OR
                                        calendar_ref_duration(cal, zone, u + interval '1 microsecond', t) >= -d
                              END) AS wrong,
       count(*) FILTER (WHERE kpi_business_duration(t, u, calendar) <> d) AS not_inverse
FROM calendar_add GROUP BY 1, 2 ORDER BY 1, 2;

-- the example of the documentation: Friday 18:00 to Monday 09:30 is 30 business minutes
SELECT kpi_business_duration('2026-12-04 18:00 Europe/Prague', '2026-12-07 09:30 Europe/Prague',
                             'Europe/Prague; mon-fri 09:00-17:00') AS waited,
       kpi_business_add('2026-12-04 18:00 Europe/Prague', '4 hours',
                        'Europe/Prague; mon-fri 09:00-17:00') AT TIME ZONE 'Europe/Prague' AS due,
       kpi_business_add('2026-12-07 09:30 Europe/Prague', '-1 hour',
                        'Europe/Prague; mon-fri 09:00-17:00') AT TIME ZONE 'Europe/Prague' AS an_hour_before,
       kpi_business_add('2026-12-04 18:00 Europe/Prague', '0',
                        'Europe/Prague; mon-fri 09:00-17:00') = '2026-12-04 18:00 Europe/Prague' AS zero_is_t;
-- a day of open time is 24 open hours, a month 30 days
SELECT kpi_business_add('2026-12-07 09:00 UTC', '1 day', 'UTC; mon-fri 09:00-17:00') AT TIME ZONE 'UTC' AS three_days_later,
       kpi_business_add('2026-12-07 00:00 UTC', '1 mon', 'UTC; mon-sun 00:00-24:00') AT TIME ZONE 'UTC' AS thirty_days_later;
-- Apia skipped 2011-12-30: hours on that day map onto 2011-12-31's instants and count once
SELECT kpi_business_duration('2011-12-29 00:00 Pacific/Apia', '2012-01-01 00:00 Pacific/Apia',
                             'Pacific/Apia; 2011-12-29..2011-12-31 09:00-17:00') AS open_time;
-- DST: a 24/7 day keeps its real length
SELECT kpi_business_duration('2026-03-29 00:00 Europe/Prague', '2026-03-30 00:00 Europe/Prague', c) AS spring,
       kpi_business_duration('2026-10-25 00:00 Europe/Prague', '2026-10-26 00:00 Europe/Prague', c) AS autumn,
       kpi_business_duration('2026-04-05 00:00 Australia/Lord_Howe', '2026-04-06 00:00 Australia/Lord_Howe',
                             'Australia/Lord_Howe; mon-sun 00:00-24:00') AS lord_howe
FROM (SELECT 'Europe/Prague; mon-sun 00:00-24:00'::kpi_calendar AS c) x;

-- ---------- business days against a day-by-day count ----------
CREATE FUNCTION calendar_ref_has_hours(c text, day date) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT NOT EXISTS (SELECT FROM calendar_ref_closed cl WHERE cl.cal = c AND cl.d = day)
     AND (EXISTS (SELECT FROM calendar_ref_special sp WHERE sp.cal = c AND sp.d = day)
          OR EXISTS (SELECT FROM calendar_ref_weekly w WHERE w.cal = c AND w.isodow = extract(isodow FROM day)))
$$;
CREATE TABLE calendar_days AS
SELECT cal, kpi_calendar('UTC', hours) AS calendar,
       '2011-11-15'::date + (random() * 80)::int AS d0,
       '2011-11-15'::date + (random() * 80)::int AS d1,
       (random() * 30)::int - 15 AS n
FROM calendar_ref_text, generate_series(1, 100 + 0 * length(cal)) k;
SELECT cal, count(*) AS questions,
       count(*) FILTER (WHERE kpi_business_days(d0, d1, calendar) IS DISTINCT FROM
                              CASE WHEN d0 <= d1 THEN 1 ELSE -1 END *
                              (SELECT count(*) FROM generate_series(least(d0, d1), greatest(d0, d1) - 1, interval '1 day') g
                               WHERE calendar_ref_has_hours(cal, g::date))::int) AS wrong_count,
       count(*) FILTER (WHERE cal <> 'special' AND kpi_add_business_days(d0, n, calendar) IS DISTINCT FROM
                              CASE WHEN n = 0 THEN d0
                                   WHEN n > 0 THEN (SELECT g::date FROM generate_series(d0 + 1, d0 + 400, interval '1 day') g
                                                    WHERE calendar_ref_has_hours(cal, g::date) ORDER BY g OFFSET n - 1 LIMIT 1)
                                   ELSE (SELECT g::date FROM generate_series(d0 - 400, d0 - 1, interval '1 day') g
                                         WHERE calendar_ref_has_hours(cal, g::date) ORDER BY g DESC OFFSET -n - 1 LIMIT 1)
                              END) AS wrong_add
FROM calendar_days GROUP BY 1 ORDER BY 1;
SELECT kpi_business_days('2026-12-21', '2027-01-04', 'Europe/Prague; mon-fri 09:00-17:00; closed 2026-12-24..2026-12-26, 2027-01-01') AS networkdays,
       kpi_add_business_days('2026-12-23', 2, 'Europe/Prague; mon-fri 09:00-17:00; closed 2026-12-24..2026-12-26, 2027-01-01') AS workday,
       kpi_add_business_days('2026-12-29', -2, 'Europe/Prague; mon-fri 09:00-17:00; closed 2026-12-24..2026-12-26, 2027-01-01') AS workday_back;

-- ---------- several calendars in one query: each row gets its own ----------
-- ten team calendars (more than a call site keeps decoded) in random order
INSERT INTO calendar_ref_weekly SELECT 'team', dow, '09:00', '17:00' FROM generate_series(1, 5) dow;
CREATE TABLE calendar_team (team int, zone text, calendar kpi_calendar);
INSERT INTO calendar_team
SELECT k, zone, kpi_calendar(zone, 'mon-fri 09:00-17:00')
FROM unnest('{Europe/Prague,America/New_York,Asia/Kolkata,Australia/Lord_Howe,Pacific/Apia,America/Sao_Paulo,UTC,Asia/Tokyo,Europe/London,America/Los_Angeles}'::text[])
  WITH ORDINALITY z(zone, k);
CREATE TABLE calendar_ticket AS
SELECT (random() * 9)::int + 1 AS team, t, t + random() * interval '5 days' AS answered
FROM (SELECT '2026-01-01 UTC'::timestamptz + random() * interval '365 days' AS t FROM generate_series(1, 2000)) x;
SELECT count(*) AS tickets,
       count(*) FILTER (WHERE kpi_business_duration(t, answered, calendar) <>
                              calendar_ref_duration('team', zone, t, answered)) AS wrong
FROM calendar_ticket JOIN calendar_team USING (team);

-- ---------- errors ----------
SELECT kpi_business_add('2026-12-07 09:00 UTC', '1 hour', 'UTC');
SELECT kpi_business_add('2026-12-07 09:00 UTC', '1 hour', 'UTC; 2026-12-01 09:00-10:00');
SELECT kpi_business_add('2026-12-07 09:00 UTC', '0', 'UTC') = '2026-12-07 09:00 UTC' AS zero;
SELECT kpi_business_duration('2026-12-07 09:00 UTC', '2026-12-08 09:00 UTC', 'UTC') AS none;
SELECT kpi_business_duration('-infinity', '2026-12-08 09:00 UTC', 'UTC; mon 09:00-10:00');
SELECT kpi_business_add('infinity', '1 hour', 'UTC; mon 09:00-10:00');
SELECT kpi_is_open('infinity', 'UTC; mon 09:00-10:00');
SELECT kpi_business_days('infinity', '2026-01-01', 'UTC; mon 09:00-10:00');
SELECT kpi_add_business_days('2026-01-01', 1, 'UTC');
SELECT kpi_business_add('294276-12-30 UTC', '3 days', 'UTC; mon-sun 00:00-24:00');
SELECT kpi_business_add('2026-01-01 UTC', '100000000 years', 'UTC; mon-sun 00:00-24:00');
SELECT kpi_add_business_days('5874897-12-30', 5, 'UTC; mon-sun 00:00-24:00');
