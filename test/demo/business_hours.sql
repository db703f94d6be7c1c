-- make demo, business hours: the same tickets measured as the help desk
-- measures them.  Two offices: Billing and Onboarding work from Prague,
-- Technical and Enterprise from New York, each with its own holidays.
SET client_min_messages = warning;
SET TimeZone = 'UTC';

CREATE TABLE team_calendars (team text PRIMARY KEY, calendar kpi_calendar);
INSERT INTO team_calendars VALUES
	('Billing',    'Europe/Prague; mon-fri 09:00-17:00; closed 2025-12-24..2025-12-26, 2026-01-01, 2026-04-03, 2026-04-06, 2026-05-01, 2026-05-08, 2026-07-06'),
	('Onboarding', 'Europe/Prague; mon-fri 08:00-16:00; closed 2025-12-24..2025-12-26, 2026-01-01, 2026-04-03, 2026-04-06, 2026-05-01, 2026-05-08, 2026-07-06'),
	('Technical',  'America/New_York; mon-fri 08:00-20:00; sat 10:00-14:00; closed 2025-11-27, 2025-12-25, 2026-01-01, 2026-05-25, 2026-07-03, 2026-09-07'),
	('Enterprise', 'America/New_York; mon-sun 00:00-24:00');

\echo
\echo '== Business hours: one ticket, worked by hand =='
\echo 'Billing (Prague, weekdays 09:00-17:00, closed 24-26 December): opened Tuesday 23 December 16:30,'
\echo 'answered Monday 29 December 10:15.  Open time: Tuesday 16:30-17:00 and Monday 09:00-10:15;'
\echo '4 business hours from the opening end Monday 12:30; of the days from the 23rd up to the 29th'
\echo 'only the 23rd has opening hours (kpi_business_days counts [from, to)).'
SELECT opened AT TIME ZONE 'Europe/Prague' AS opened_prague,
       answered AT TIME ZONE 'Europe/Prague' AS answered_prague,
       answered - opened AS calendar_time,
       kpi_business_duration(opened, answered, calendar) AS business_time,
       kpi_business_add(opened, interval '4 hours', calendar) AT TIME ZONE 'Europe/Prague' AS due_in_4_business_hours,
       kpi_business_days(opened::date, answered::date, calendar) AS business_days_between
FROM team_calendars,
     (VALUES (timestamptz '2025-12-23 16:30 Europe/Prague', timestamptz '2025-12-29 10:15 Europe/Prague')) t(opened, answered)
WHERE team = 'Billing';

-- hours with one decimal: business time is counted in open hours
CREATE FUNCTION pg_temp.h(d interval) RETURNS numeric LANGUAGE sql IMMUTABLE AS
$$ SELECT round(extract(epoch FROM d) / 3600, 1) $$;

\echo
\echo '== Business hours: per team, calendar time vs business time, in hours =='
\echo 'The same tickets; "business" counts only the team calendar''s open hours (kpi_hist with a kpi_calendar).'
\echo 'Within target: first reply within 4 hours (calendar) or 4 business hours (business).'
SELECT team, split_part(calendar::text, ';', 1) AS zone,
       kpi_count(w) AS answered,
       format('%s / %s', pg_temp.h(kpi_mean(w)), pg_temp.h(kpi_mean(wb))) AS wait_mean,
       format('%s / %s', pg_temp.h(kpi_median(w)), pg_temp.h(kpi_median(wb))) AS wait_median,
       format('%s / %s', pg_temp.h(kpi_percentile(w, 0.9)), pg_temp.h(kpi_percentile(wb, 0.9))) AS wait_p90,
       format('%s%% / %s%%', round(kpi_share_within(w, '4 hours')::numeric, 1),
              round(kpi_share_within(wb, '4 hours')::numeric, 1)) AS within_4h,
       format('%s / %s', pg_temp.h(kpi_mean(r)), pg_temp.h(kpi_mean(rb))) AS resolution_mean,
       format('%s / %s', pg_temp.h(kpi_percentile(r, 0.9)), pg_temp.h(kpi_percentile(rb, 0.9))) AS resolution_p90
FROM (SELECT team, c.calendar,
             kpi_hist(created_at, first_reply_at) AS w,
             kpi_hist(created_at, first_reply_at, c.calendar) AS wb,
             kpi_hist(created_at, resolved_at) AS r,
             kpi_hist(created_at, resolved_at, c.calendar) AS rb
      FROM tickets JOIN team_calendars c USING (team)
      GROUP BY team, c.calendar) t
ORDER BY team;
\echo '(each cell: calendar / business)'

\echo
\echo '== SLA: first reply within 4 business hours, per team and quarter =='
\echo 'kpi_sla: % met of met + breached; tickets still unanswered count as breached once their due date'
\echo '(kpi_business_add) is past the snapshot, 2026-11-01; before that they count in neither.'
SELECT team, to_char(date_trunc('quarter', created_at), 'YYYY "Q"Q') AS quarter,
       round(kpi_sla(created_at, first_reply_at, interval '4 hours', c.calendar, timestamptz '2026-11-01')::numeric, 1)
         AS sla_4_business_hours,
       round(kpi_sla(created_at, first_reply_at, interval '4 hours', timestamptz '2026-11-01')::numeric, 1)
         AS sla_4_calendar_hours
FROM tickets JOIN team_calendars c USING (team)
GROUP BY team, 2
ORDER BY team, 2;
