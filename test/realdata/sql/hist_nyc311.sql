-- kpi_hist on real NYC 311 service requests (../shared/data/nyc311):
-- closed - created, with negative and zero durations, against the built-ins.
\getenv data KPI_DATA
SET timezone = 'UTC';

CREATE OR REPLACE FUNCTION hist_rd_within(got interval, want interval) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT abs(extract(epoch FROM got) - extract(epoch FROM want)) <= 0.01 * abs(extract(epoch FROM want))
$$;

CREATE TABLE nyc311_raw (unique_key text, created text, closed text, complaint_type text, borough text);
\copy nyc311_raw FROM PROGRAM 'cat "$KPI_DATA/nyc311/nyc_311_2020_subset_noheader.csv"' WITH (FORMAT csv)
CREATE TABLE nyc311 AS
SELECT unique_key, complaint_type,
       to_timestamp(created, 'MM/DD/YYYY HH12:MI:SS AM') AS created,
       to_timestamp(nullif(closed, ''), 'MM/DD/YYYY HH12:MI:SS AM') AS closed
  FROM nyc311_raw;
SELECT count(*) AS requests, count(*) FILTER (WHERE closed < created) AS negative,
       count(*) FILTER (WHERE closed = created) AS zero FROM nyc311;

WITH h AS (SELECT kpi_hist(created, closed) h, kpi_avg_resolution(created, closed) a FROM nyc311),
     b AS (SELECT count(*) n, count(closed) nc, min(closed - created) mn, max(closed - created) mx,
                  avg(extract(epoch FROM closed - created)) mean, avg(closed - created) av FROM nyc311)
SELECT kpi_count(h) = nc AS count_ok, kpi_pending(h) = n - nc AS pending_ok,
       kpi_min(h) = mn AS min_ok, kpi_min(h) < interval '0' AS min_is_negative, kpi_max(h) = mx AS max_ok,
       abs(extract(epoch FROM kpi_mean(h)) - mean) <= 0.0000005 AS mean_exact,
       abs(extract(epoch FROM a - av)) <= 0.000001 AS avg_resolution_ok
  FROM h, b;

-- every percentile within 1% of percentile_disc, overall and per complaint type
SELECT (SELECT array_agg(hist_rd_within(k.v, e.v) ORDER BY k.i)
          FROM unnest(kpi_percentile(kpi_hist(created, closed), '{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[])) WITH ORDINALITY k(v, i)
          JOIN unnest(percentile_disc('{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[]) WITHIN GROUP (ORDER BY closed - created)) WITH ORDINALITY e(v, i)
         USING (i)) AS within_1pct
  FROM nyc311;
SELECT count(*) AS complaint_types, count(*) FILTER (WHERE ok) AS types_within_1pct
  FROM (SELECT complaint_type,
               (SELECT bool_and(hist_rd_within(k.v, e.v))
                  FROM unnest(kpi_percentile(kpi_hist(created, closed), '{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[])) WITH ORDINALITY k(v, i)
                  JOIN unnest(percentile_disc('{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[]) WITHIN GROUP (ORDER BY closed - created)) WITH ORDINALITY e(v, i)
                 USING (i)) AS ok
          FROM nyc311 WHERE closed IS NOT NULL GROUP BY complaint_type) s;

-- types merged equal the whole
SELECT (SELECT kpi_merge(h) FROM (SELECT kpi_hist(created, closed) h FROM nyc311 GROUP BY complaint_type) s)::text
     = (SELECT kpi_hist(created, closed) FROM nyc311)::text AS types_merge_to_whole;
