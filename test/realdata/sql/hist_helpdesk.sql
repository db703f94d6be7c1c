-- kpi_hist on a real help-desk event log (../shared/data/helpdesk-eventlog):
-- wait = first event -> first "Take in charge ticket", resolution = first
-- event -> last "Resolve ticket".  Every statistic is compared with the
-- built-in aggregate over the same rows.
\getenv data KPI_DATA
SET timezone = 'UTC';

CREATE OR REPLACE FUNCTION hist_rd_within(got interval, want interval) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT abs(extract(epoch FROM got) - extract(epoch FROM want)) <= 0.01 * abs(extract(epoch FROM want))
$$;

CREATE TABLE helpdesk_raw (case_id text, activity text, resource text, ts text, variant text,
  variant_index text, variant2 text, seriousness text, customer text, product text,
  responsible_section text, seriousness_2 text, service_level text, service_type text,
  support_section text, workgroup text);
\copy helpdesk_raw FROM PROGRAM 'cat "$KPI_DATA/helpdesk-eventlog/helpdesk.csv"' WITH (FORMAT csv, HEADER true)
CREATE TABLE helpdesk AS
SELECT case_id, min(t) AS created,
       min(t) FILTER (WHERE activity = 'Take in charge ticket') AS taken,
       max(t) FILTER (WHERE activity = 'Resolve ticket') AS resolved
  FROM (SELECT case_id, activity, replace(ts, '/', '-')::timestamp AT TIME ZONE 'UTC' AS t FROM helpdesk_raw) e
 GROUP BY case_id;
SELECT count(*) AS tickets, count(*) - count(taken) AS never_taken FROM helpdesk;

-- exact statistics
WITH h AS (SELECT kpi_hist(created, taken) w, kpi_hist(created, resolved) r,
                  kpi_avg_wait(created, taken) aw, kpi_avg_resolution(created, resolved) ar FROM helpdesk),
     b AS (SELECT count(*) n, count(taken) nw, min(taken - created) minw, max(taken - created) maxw,
                  avg(extract(epoch FROM taken - created)) meanw, avg(taken - created) avgw,
                  count(resolved) nr, min(resolved - created) minr, max(resolved - created) maxr,
                  avg(extract(epoch FROM resolved - created)) meanr, avg(resolved - created) avgr
             FROM helpdesk)
SELECT kpi_count(w) = nw AS count_ok, kpi_pending(w) = n - nw AS pending_ok,
       kpi_min(w) = minw AS min_ok, kpi_max(w) = maxw AS max_ok,
       abs(extract(epoch FROM kpi_mean(w)) - meanw) <= 0.0000005 AS mean_exact,
       abs(extract(epoch FROM aw - avgw)) <= 0.000001 AS avg_wait_ok,
       kpi_count(r) = nr AS r_count_ok, kpi_pending(r) = n - nr AS r_pending_ok,
       kpi_min(r) = minr AS r_min_ok, kpi_max(r) = maxr AS r_max_ok,
       abs(extract(epoch FROM kpi_mean(r)) - meanr) <= 0.0000005 AS r_mean_exact,
       abs(extract(epoch FROM ar - avgr)) <= 0.000001 AS avg_resolution_ok
  FROM h, b;

-- every percentile within 1% of percentile_disc
SELECT kind, (SELECT array_agg(hist_rd_within(k.v, e.v) ORDER BY k.i)
                FROM unnest(kpi_percentile(kpi_hist(d), '{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[])) WITH ORDINALITY k(v, i)
                JOIN unnest(percentile_disc('{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[]) WITHIN GROUP (ORDER BY d)) WITH ORDINALITY e(v, i)
               USING (i)) AS within_1pct
  FROM (SELECT 'wait' AS kind, taken - created AS d FROM helpdesk
        UNION ALL SELECT 'resolution', resolved - created FROM helpdesk) s
 GROUP BY kind ORDER BY kind;

-- by month: every month's percentiles within 1%, and the months merged equal the whole
CREATE TABLE helpdesk_monthly AS
SELECT date_trunc('month', created) AS month, kpi_hist(created, taken) AS wait,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY taken - created) AS p90,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY taken - created) AS p50
  FROM helpdesk GROUP BY 1;
SELECT count(*) > 10 AS many_months,
       bool_and(hist_rd_within(kpi_percentile(wait, 0.9), p90) AND hist_rd_within(kpi_median(wait), p50))
         FILTER (WHERE kpi_count(wait) > 0) AS monthly_within_1pct,
       (SELECT kpi_merge(wait) FROM helpdesk_monthly)::text = (SELECT kpi_hist(created, taken) FROM helpdesk)::text AS months_merge_to_whole
  FROM helpdesk_monthly;

-- share answered within 1 hour and 1 day: exact except for waits within 1% of the target
SELECT t, abs(kpi_share_within((SELECT kpi_hist(created, taken) FROM helpdesk), t) - exact) <= near AS share_ok
  FROM (SELECT t, 100.0 * count(*) FILTER (WHERE taken - created <= t) / count(taken) AS exact,
               100.0 * count(*) FILTER (WHERE hist_rd_within(taken - created, t)) / count(taken) + 1e-9 AS near
          FROM helpdesk, (VALUES (interval '1 hour'), ('1 day')) v(t) GROUP BY t) s
 ORDER BY t;
