-- kpi_sla on real Boston 311 requests (../shared/data/boston311): the city
-- sets each request a due date (target_dt) and marks it ONTIME or OVERDUE.
-- In calendar time (target = target_dt - open_dt, no kpi_calendar) kpi_sla
-- must classify every row as the city did.  Timestamps are Boston local.
\getenv data KPI_DATA
SET timezone = 'America/New_York';

CREATE TABLE boston311_raw (case_enquiry_id text, open_dt text, target_dt text, closed_dt text, ontime text,
  case_status text, closure_reason text, case_title text, subject text, reason text, type text, queue text,
  department text, submittedphoto text, closedphoto text, location text, fire_district text, pwd_district text,
  city_council_district text, police_district text, neighborhood text, neighborhood_services_district text,
  ward text, precinct text, location_street_name text, location_zipcode text, latitude text, longitude text,
  source text);
\copy boston311_raw FROM PROGRAM 'cat "$KPI_DATA/boston311/boston311-100.csv"' WITH (FORMAT csv, HEADER true)
CREATE TABLE boston311 AS
SELECT case_enquiry_id AS id, ontime, case_status,
       open_dt::timestamptz AS opened, nullif(target_dt, '')::timestamptz AS due,
       nullif(closed_dt, '')::timestamptz AS closed
  FROM boston311_raw;
-- When was the extract taken?  Its last recorded instant is 2022-04-25,
-- yet an open request due 2022-05-20 is already OVERDUE: the city marked
-- the file later.  as_of is the end of 2022, the year the file covers;
-- at the last recorded instant that request is still active (due later),
-- so kpi_sla counts it in neither met nor breached.
\set as_of '2023-01-01 00:00'
SELECT max(greatest(opened, closed)) AS last_recorded FROM boston311 \gset
SELECT ontime, case_status, due IS NOT NULL AS has_target, count(*) AS requests,
       count(*) FILTER (WHERE closed IS NULL AND due < :'as_of') AS open_past_due,
       count(*) FILTER (WHERE closed IS NULL AND due < :'last_recorded') AS open_past_due_at_last_recorded
  FROM boston311 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- each request alone: 100 = met, 0 = breached, NULL = no target or active
SELECT ontime, kpi_sla AS kpi_sla_of_the_row, count(*) AS requests
  FROM (SELECT id, ontime, kpi_sla(opened, closed, due - opened, :'as_of')
          FROM boston311 WHERE due IS NOT NULL GROUP BY id, ontime) r
 GROUP BY 1, 2 ORDER BY 1, 2;
SELECT count(*) AS rows_with_a_target,
       count(*) FILTER (WHERE (kpi_sla = 100) = (ontime = 'ONTIME')) AS classified_as_the_city_did
  FROM (SELECT id, ontime, kpi_sla(opened, closed, due - opened, :'as_of')
          FROM boston311 WHERE due IS NOT NULL GROUP BY id, ontime) r;

-- the whole sample: kpi_sla equals the city's own share of ONTIME among
-- requests with a target; at the last recorded instant one open request
-- is active and drops out of the denominator
SELECT round(kpi_sla(opened, closed, due - opened, :'as_of')::numeric, 4) AS kpi_sla,
       round(100.0 * count(*) FILTER (WHERE ontime = 'ONTIME' AND due IS NOT NULL)
             / count(*) FILTER (WHERE due IS NOT NULL), 4) AS city_ontime_pct,
       round(kpi_sla(opened, closed, due - opened, :'last_recorded')::numeric, 4) AS kpi_sla_at_last_recorded,
       round(100.0 * count(*) FILTER (WHERE ontime = 'ONTIME' AND due IS NOT NULL)
             / count(*) FILTER (WHERE due IS NOT NULL AND (closed IS NOT NULL OR due < :'last_recorded')), 4)
         AS city_ontime_pct_without_active
  FROM boston311;

-- The same in business time: City Hall's hours.  kpi_sla with a calendar
-- against its definition in plain SQL over kpi_business_duration and
-- kpi_business_add (the target stays the calendar-time allowance).
SELECT kpi_sla(opened, closed, due - opened, c, :'as_of') AS business_sla,
       kpi_sla(opened, closed, due - opened, c, :'as_of') =
       100.0::float8 * count(*) FILTER (WHERE kpi_business_duration(opened, closed, c) <= due - opened)
       / count(*) FILTER (WHERE closed IS NOT NULL OR kpi_business_add(opened, due - opened, c) < :'as_of') AS same_as_sql
  FROM boston311, (SELECT 'America/New_York; mon-fri 09:00-17:00; closed 2022-01-17, 2022-02-21'::kpi_calendar AS c) k
 WHERE due IS NOT NULL;
