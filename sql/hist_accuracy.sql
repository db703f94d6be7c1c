-- kpi_hist: percentiles within 1% of percentile_disc, on many distributions
\set VERBOSITY terse

-- within 1% (relative) of the exact value; no months in these data sets, so
-- extract(epoch) is exact
CREATE FUNCTION hist_within_1pct(got interval, want interval) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT abs(extract(epoch FROM got) - extract(epoch FROM want)) <= 0.01 * abs(extract(epoch FROM want))
$$;

SELECT setseed(0.1);
CREATE TABLE hist_acc (name text, d interval);
-- lognormal waits: median 2 h, sigma 1.5
INSERT INTO hist_acc SELECT 'lognormal',
  interval '1 microsecond' * round(7.2e9 * exp(1.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))
  FROM generate_series(1, 50000);
INSERT INTO hist_acc SELECT 'uniform', interval '1 microsecond' * floor(random() * 86400e6)
  FROM generate_series(1, 30000);
INSERT INTO hist_acc SELECT 'bimodal', CASE WHEN i % 2 = 0
  THEN interval '1 second' * (60 * exp(0.3 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))
  ELSE interval '1 second' * (86400 * exp(0.3 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))) END
  FROM generate_series(1, 30000) i;
INSERT INTO hist_acc SELECT 'constant', interval '1 hour' FROM generate_series(1, 5000);
INSERT INTO hist_acc SELECT 'microseconds', interval '1 microsecond' * floor(random() * 3000)
  FROM generate_series(1, 30000);
INSERT INTO hist_acc SELECT 'decades', interval '1 day' * floor(random() * 36525) + interval '1 microsecond' * floor(random() * 86400e6)
  FROM generate_series(1, 30000);
INSERT INTO hist_acc SELECT 'negative', interval '1 microsecond' * floor(random() * 50e9 - 10e9)
  FROM generate_series(1, 30000);
INSERT INTO hist_acc SELECT 'negative', interval '0' FROM generate_series(1, 300);
INSERT INTO hist_acc SELECT 'all negative', -interval '1 microsecond' * round(7.2e9 * exp(1.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))
  FROM generate_series(1, 20000);
INSERT INTO hist_acc SELECT 'every magnitude', interval '1 microsecond' * floor(power(10, random() * 15.4))
  FROM generate_series(1, 30000);
INSERT INTO hist_acc SELECT 'three rows', d FROM (VALUES (interval '1 second'), ('1 hour'), ('1 day')) v(d);
INSERT INTO hist_acc SELECT 'two rows', d FROM (VALUES (interval '-5 seconds'), ('5 seconds')) v(d);

-- one boolean per p = 0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1
SELECT name, count(*) AS n,
       (SELECT array_agg(hist_within_1pct(k.v, e.v) ORDER BY k.i)
          FROM unnest(kpi_percentile(kpi_hist(d), '{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[])) WITH ORDINALITY k(v, i)
          JOIN unnest(percentile_disc('{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[]) WITHIN GROUP (ORDER BY d)) WITH ORDINALITY e(v, i)
         USING (i)) AS within_1pct,
       kpi_percentile(kpi_hist(d), 0) = min(d) AS p0_is_min,
       kpi_percentile(kpi_hist(d), 1) = max(d) AS p1_is_max,
       kpi_median(kpi_hist(d)) = kpi_percentile(kpi_hist(d), 0.5) AS median_is_p50
  FROM hist_acc GROUP BY name ORDER BY name;

-- never decreasing in p, always inside [min, max]
SELECT name, bool_and(v >= prev) AS monotone, bool_and(v BETWEEN mn AND mx) AS inside
  FROM (SELECT name, v, lag(v, 1, v) OVER (PARTITION BY name ORDER BY p) AS prev, mn, mx
          FROM (SELECT name, kpi_hist(d) h, min(d) mn, max(d) mx FROM hist_acc GROUP BY name) s,
               generate_series(0, 1000) p,
               LATERAL kpi_percentile(h, p / 1000.0) v) s
 GROUP BY name ORDER BY name;

-- every single p of a fine grid, on the lognormal set
SELECT count(*) AS ps, count(*) FILTER (WHERE hist_within_1pct(k, x.want)) AS within_1pct
  FROM (SELECT kpi_hist(d) h, percentile_disc((SELECT array_agg(p / 997.0) FROM generate_series(0, 997) p))
               WITHIN GROUP (ORDER BY d) e
          FROM hist_acc WHERE name = 'lognormal') s,
       LATERAL unnest(e) WITH ORDINALITY x(want, i),
       LATERAL kpi_percentile(h, (i - 1) / 997.0) k;

-- 10k groups of ~40 rows: every percentile of every group within 1%
SELECT setseed(0.2);
CREATE TABLE hist_acc_groups AS
SELECT (i::bigint * 7919) % 10000 AS g,
       interval '1 microsecond' * round(7.2e9 * exp(1.5 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))) AS d
  FROM generate_series(1, 400000) i;
SELECT count(*) AS groups, count(*) FILTER (WHERE ok) AS groups_within_1pct
  FROM (SELECT g, (SELECT bool_and(hist_within_1pct(k.v, e.v))
                     FROM unnest(kpi_percentile(kpi_hist(d), '{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[])) WITH ORDINALITY k(v, i)
                     JOIN unnest(percentile_disc('{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[]) WITHIN GROUP (ORDER BY d)) WITH ORDINALITY e(v, i)
                    USING (i)) AS ok
          FROM hist_acc_groups GROUP BY g) s;

-- share_within: exact except for durations within 1% of the target
CREATE TABLE hist_acc_h AS SELECT name, kpi_hist(d) h, min(d) mn, max(d) mx FROM hist_acc GROUP BY name;
SELECT name, bool_and(abs(kpi_share_within(h, t) - exact) <= near) AS within_bound,
       bool_and(kpi_share_within(h, t) = exact) FILTER (WHERE t < mn OR t >= mx) AS exact_outside_range
  FROM (SELECT a.name, t, 100.0 * count(*) FILTER (WHERE d <= t) / count(*) AS exact,
               100.0 * count(*) FILTER (WHERE hist_within_1pct(d, t) OR hist_within_1pct(t, d)) / count(*) + 1e-9 AS near
          FROM hist_acc_h a JOIN hist_acc b USING (name),
               LATERAL (VALUES (interval '0'), ('1 minute'), ('1 hour'), ('2 hours'), ('1 day'), ('-1 hour'),
                               ('1 microsecond'), ('1000 microseconds'), ('3650 days'), (a.mn), (a.mx),
                               (a.mx - interval '1 microsecond')) v(t)
         GROUP BY a.name, t) s
  JOIN hist_acc_h USING (name)
 GROUP BY name ORDER BY name;
