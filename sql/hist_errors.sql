-- kpi_hist: every error a user can cause, with its SQLSTATE
\set VERBOSITY sqlstate

-- malformed or inconsistent text (22P02)
SELECT ''::kpi_hist;
SELECT 'kpi_hist'::kpi_hist;
SELECT 'kpi_hist v2 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1'::kpi_hist;
SELECT 'kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1 junk'::kpi_hist;
SELECT 'kpi_hist v1 count=2 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1'::kpi_hist;
SELECT 'kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=6:1'::kpi_hist;
SELECT 'kpi_hist v1 count=1 pending=0 sum_us=7 min_us=5 max_us=5 buckets=5:1'::kpi_hist;
SELECT 'kpi_hist v1 count=1 pending=-1 sum_us=5 min_us=5 max_us=5 buckets=5:1'::kpi_hist;
-- (an empty value is valid: a window state of NULL rows can be one)
SELECT 'kpi_hist v1 count=0 pending=0 sum_us=0 min_us=0 max_us=0 buckets='::kpi_hist;
SELECT 'kpi_hist v1 count=2 pending=0 sum_us=11 min_us=5 max_us=6 buckets=6:1,5:1'::kpi_hist;
SELECT 'kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:01'::kpi_hist;
SELECT 'kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=99999:1'::kpi_hist;
SELECT 'kpi_hist v1 count=99999999999999999999 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1'::kpi_hist;
-- the message names the offending text and what is wrong with it
\set VERBOSITY default
SELECT 'kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:2'::kpi_hist;
SELECT 'kpi_hist v1 count=1 pending=0 sum_us=5 min=5'::kpi_hist;
\set VERBOSITY sqlstate
-- surrounding white space is fine, as for built-in types
SELECT ' kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1 '::kpi_hist;

-- percentile fractions outside [0, 1] or NaN (22003), like percentile_disc
SELECT kpi_percentile(kpi_hist(interval '1 hour'), 1.5);
SELECT kpi_percentile(kpi_hist(interval '1 hour'), -0.1);
SELECT kpi_percentile(kpi_hist(interval '1 hour'), 'NaN'::float8);
SELECT kpi_percentile(kpi_hist(interval '1 hour'), '{0.5,2}'::float8[]);
\set VERBOSITY default
SELECT kpi_percentile(kpi_hist(interval '1 hour'), 1.5);
\set VERBOSITY sqlstate
-- NULL fractions give NULL elements, as in percentile_disc's array form; the shape is kept
SELECT kpi_percentile(kpi_hist(interval '1 hour'), '{0.5,NULL,1}'::float8[]);
SELECT kpi_percentile(kpi_hist(interval '1 hour'), '{{0,0.5},{0.9,1}}'::float8[]);
SELECT kpi_percentile(kpi_hist(interval '1 hour'), '{}'::float8[]);

-- infinite timestamps (22008); durations that do not fit (22008)
SELECT kpi_hist(timestamptz 'infinity', now());
SELECT kpi_hist(now(), timestamptz 'infinity');
SELECT kpi_hist(timestamptz '-infinity', now());
SELECT kpi_avg_wait(now(), timestamptz 'infinity');
SELECT kpi_hist(timestamptz '4713-01-01 BC', timestamptz '294276-12-31');
SELECT kpi_hist(interval '300000 years');
SELECT kpi_hist(interval '-300000 years');
\set VERBOSITY default
SELECT kpi_hist(timestamptz 'infinity', now());
\set VERBOSITY sqlstate

-- counts that overflow bigint (22003)
SELECT 'kpi_hist v1 count=9223372036854775807 pending=0 sum_us=9223372036854775807 min_us=1 max_us=1 buckets=1:9223372036854775807'::kpi_hist
     + 'kpi_hist v1 count=1 pending=0 sum_us=1 min_us=1 max_us=1 buckets=1:1'::kpi_hist;
SELECT kpi_merge(h) FROM (VALUES ('kpi_hist v1 count=0 pending=9223372036854775807 sum_us=0 min_us=0 max_us=0 buckets='::kpi_hist),
                                 ('kpi_hist v1 count=0 pending=1 sum_us=0 min_us=0 max_us=0 buckets='::kpi_hist)) v(h);
-- the largest values that fit are fine
SELECT kpi_count(h), kpi_mean(h), kpi_percentile(h, 0.5)
  FROM (SELECT 'kpi_hist v1 count=9223372036854775807 pending=0 sum_us=85070591730234615847396907784232501249 min_us=9223372036854775807 max_us=9223372036854775807 buckets=2124:9223372036854775807'::kpi_hist h) s;
SELECT kpi_min(kpi_hist(d)), kpi_max(kpi_hist(d)), kpi_mean(kpi_hist(d))
  FROM (VALUES (interval '-290000 years'), (interval '290000 years'), ('290000 years')) v(d);
