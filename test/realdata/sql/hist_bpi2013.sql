-- kpi_hist on the BPI Challenge 2013 closed problems (../shared/data):
-- each case's first to last status change; a long tail (years).
\getenv data KPI_DATA
SET timezone = 'UTC';

CREATE OR REPLACE FUNCTION hist_rd_within(got interval, want interval) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT abs(extract(epoch FROM got) - extract(epoch FROM want)) <= 0.01 * abs(extract(epoch FROM want))
$$;

CREATE TABLE bpi_raw (org_group text, resource_country text, org_country text, resource text,
  org_involved text, role text, status text, impact text, product text, transition text,
  ts text, case_id text);
\copy bpi_raw FROM PROGRAM 'cat "$KPI_DATA/bpi2013-closed-problems/BPI2013_closed.csv"' WITH (FORMAT csv, HEADER true)
CREATE TABLE bpi AS
SELECT case_id, min(impact) AS impact, min(ts::timestamptz) AS opened, max(ts::timestamptz) AS closed
  FROM bpi_raw GROUP BY case_id;
SELECT count(*) AS cases FROM bpi;

WITH h AS (SELECT kpi_hist(opened, closed) h FROM bpi),
     b AS (SELECT count(*) n, min(closed - opened) mn, max(closed - opened) mx,
                  avg(extract(epoch FROM closed - opened)) mean, avg(closed - opened) av FROM bpi)
SELECT kpi_count(h) = n AS count_ok, kpi_min(h) = mn AS min_ok, kpi_max(h) = mx AS max_ok,
       kpi_max(h) > interval '2000 days' AS long_tail,
       abs(extract(epoch FROM kpi_mean(h)) - mean) <= 0.0000005 AS mean_exact,
       abs(extract(epoch FROM kpi_mean(h) - av)) <= 0.000001 AS mean_vs_avg_ok
  FROM h, b;

SELECT impact, count(*) AS cases,
       (SELECT array_agg(hist_rd_within(k.v, e.v) ORDER BY k.i)
          FROM unnest(kpi_percentile(kpi_hist(opened, closed), '{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[])) WITH ORDINALITY k(v, i)
          JOIN unnest(percentile_disc('{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[]) WITHIN GROUP (ORDER BY closed - opened)) WITH ORDINALITY e(v, i)
         USING (i)) AS within_1pct
  FROM (SELECT impact, opened, closed FROM bpi UNION ALL SELECT 'all', opened, closed FROM bpi) s
 GROUP BY impact ORDER BY impact;
