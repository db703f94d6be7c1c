-- test/bench/hist.sql: kpi_hist, the duration histogram (issue 3).
--
-- :rows tickets (default 10M) with a lognormal wait for the first reply
-- (median 2 hours, sigma 1.5: a mean near 6 hours and a tail of months),
-- 5% never answered (NULL), spread over :rows / 100 groups (100k groups of
-- 100 tickets, 95 answered, by default).  Against avg(interval) and
-- count(interval), percentile_cont / percentile_disc, and the tdigest
-- extension fed date_part('epoch', wait) (its fastest form), serial and with
-- 2 workers, over one group and over the 100k groups; peak memory of the
-- grouped aggregation; the size of a histogram of every row; accuracy of
-- the percentiles against percentile_disc, over all rows and in the small
-- groups.

\set ON_ERROR_STOP 1
\if :{?rows}
\else
\set rows 10000000
\endif

SELECT to_regtype('kpi_hist') IS NULL AS no_hist \gset
\if :no_hist
\echo 'hist: the kpi_hist type is not installed yet: suite skipped'
\quit
\endif

SELECT count(*) > 0 AS has_tdigest FROM pg_available_extensions WHERE name = 'tdigest' \gset
\if :has_tdigest
CREATE EXTENSION IF NOT EXISTS tdigest;
\else
\echo 'hist: the tdigest extension is not available (apt-get install postgresql-15-tdigest): its cases are skipped'
\endif

SELECT greatest(1, :rows::bigint / 100) AS groups \gset

DROP TABLE IF EXISTS bench_tickets;
-- Deterministic: setseed, and random() runs in the leader only (it is
-- parallel restricted), in generate_series order.  Box-Muller for the
-- normal deviate; 1 - random() is in (0, 1], so ln() is defined.
SELECT setseed(0.311);
CREATE UNLOGGED TABLE bench_tickets AS
SELECT i::integer AS id,
	   (i % :groups)::integer AS grp,
	   CASE WHEN u0 < 0.05 THEN NULL
			ELSE make_interval(secs => exp(ln(7200) + 1.5 * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2)))
	   END AS wait
FROM (SELECT i, random() AS u0, random() AS u1, random() AS u2
	  FROM generate_series(1, :rows::bigint) i) g;
VACUUM (FREEZE, ANALYZE) bench_tickets;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
SELECT pg_prewarm('bench_tickets');

-- ---------- one group: all rows ----------

SELECT bench.run('hist', 'avg(wait)', 'SELECT avg(wait) FROM bench_tickets', w)
FROM (VALUES (0), (2)) v(w);
SELECT bench.run('hist', 'count(wait)', 'SELECT count(wait) FROM bench_tickets', w, 'avg(wait)')
FROM (VALUES (0), (2)) v(w);
SELECT bench.run('hist', 'kpi_hist(wait)', 'SELECT kpi_hist(wait) FROM bench_tickets', w, 'avg(wait)')
FROM (VALUES (0), (2)) v(w);

-- Ordered-set aggregates sort every row and cannot run in parallel.
SELECT bench.run('hist', 'percentile_cont(0.9)',
	'SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY wait) FROM bench_tickets', 0, NULL, 3);
SELECT bench.run('hist', 'percentile_disc(0.9)',
	'SELECT percentile_disc(0.9) WITHIN GROUP (ORDER BY wait) FROM bench_tickets', 0, 'percentile_cont(0.9)', 3);
\if :has_tdigest
SELECT bench.run('hist', 'tdigest_percentile(epoch, 100, 0.9)',
	$q$SELECT tdigest_percentile(date_part('epoch', wait), 100, 0.9) FROM bench_tickets$q$, w, 'percentile_cont(0.9)')
FROM (VALUES (0), (2)) v(w);
\endif
SELECT bench.run('hist', 'kpi_percentile(kpi_hist(wait), 0.9)',
	'SELECT kpi_percentile(kpi_hist(wait), 0.9) FROM bench_tickets', w, 'percentile_cont(0.9)')
FROM (VALUES (0), (2)) v(w);

-- ---------- rows / 100 groups (100k by default) of 100 rows ----------

SELECT bench.run('hist', 'by grp: avg(wait)',
	'SELECT grp, avg(wait) FROM bench_tickets GROUP BY grp', w)
FROM (VALUES (0), (2)) v(w);
SELECT bench.run('hist', 'by grp: kpi_hist(wait)',
	'SELECT grp, kpi_hist(wait) FROM bench_tickets GROUP BY grp', w, 'by grp: avg(wait)')
FROM (VALUES (0), (2)) v(w);
SELECT bench.run('hist', 'by grp: percentile_cont(0.9)',
	'SELECT grp, percentile_cont(0.9) WITHIN GROUP (ORDER BY wait) FROM bench_tickets GROUP BY grp',
	0, 'by grp: avg(wait)', 3);
\if :has_tdigest
-- Serial only: a t-digest of compression 100 takes kilobytes per group.
SELECT bench.run('hist', 'by grp: tdigest_percentile(epoch, 100, 0.9)',
	$q$SELECT grp, tdigest_percentile(date_part('epoch', wait), 100, 0.9) FROM bench_tickets GROUP BY grp$q$,
	0, 'by grp: avg(wait)', 3);
\endif
SELECT bench.run('hist', 'by grp: kpi_percentile(kpi_hist(wait), 0.9)',
	'SELECT grp, kpi_percentile(kpi_hist(wait), 0.9) FROM bench_tickets GROUP BY grp', w, 'by grp: avg(wait)')
FROM (VALUES (0), (2)) v(w);

-- Peak memory of the HashAggregate (serial, work_mem 2GB: no spill).
SELECT bench.memory('hist', 'by grp: avg(wait)',
	'SELECT grp, avg(wait) FROM bench_tickets GROUP BY grp');
SELECT bench.memory('hist', 'by grp: kpi_hist(wait)',
	'SELECT grp, kpi_hist(wait) FROM bench_tickets GROUP BY grp', 'by grp: avg(wait)');
\if :has_tdigest
SELECT bench.memory('hist', 'by grp: tdigest(epoch, 100)',
	$q$SELECT grp, tdigest(date_part('epoch', wait), 100) FROM bench_tickets GROUP BY grp$q$, 'by grp: avg(wait)');
\endif

-- ---------- sizes ----------

CREATE TEMP TABLE hist_all AS SELECT kpi_hist(wait) AS h FROM bench_tickets;
SELECT bench.record('hist', 'kpi_hist of all rows: size', pg_column_size(h), 'bytes') FROM hist_all;
\if :has_tdigest
SELECT bench.record('hist', 'tdigest(epoch, 100) of all rows: size',
	pg_column_size(tdigest(date_part('epoch', wait), 100)), 'bytes', 'kpi_hist of all rows: size')
FROM bench_tickets;
\endif
CREATE TEMP TABLE hist_groups AS SELECT grp, kpi_hist(wait) AS h FROM bench_tickets GROUP BY grp;
SELECT bench.record('hist', 'kpi_hist of one group (100 rows): size, mean', avg(pg_column_size(h)), 'bytes')
FROM hist_groups;

-- ---------- accuracy against percentile_disc ----------
-- Relative error in percent of the percentile's value.

\set ps '''{0,0.001,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}''::float8[]'
CREATE TEMP TABLE acc_all AS
SELECT u.p, date_part('epoch', u.e) AS exact, date_part('epoch', u.k) AS kpi
FROM (SELECT percentile_disc(:ps) WITHIN GROUP (ORDER BY wait) AS es,
			 kpi_percentile(kpi_hist(wait), :ps) AS ks
	  FROM bench_tickets) x,
	 unnest(:ps, x.es, x.ks) AS u(p, e, k);
SELECT bench.record('hist', 'kpi_percentile error, all rows, worst of p = 0 .. 1',
	max(abs(kpi / exact - 1)) * 100, '%') FROM acc_all;
SELECT bench.record('hist', 'kpi_percentile error, all rows, median',
	abs(kpi / exact - 1) * 100, '%') FROM acc_all WHERE p = 0.5;
\if :has_tdigest
ALTER TABLE acc_all ADD COLUMN tdigest float8;
UPDATE acc_all a SET tdigest = t.v
FROM (SELECT unnest(:ps) AS p, unnest(tdigest_percentile(date_part('epoch', wait), 100, :ps)) AS v
	  FROM bench_tickets) t
WHERE t.p = a.p;
SELECT bench.record('hist', 'tdigest(100) error, all rows, worst of p = 0 .. 1',
	max(abs(tdigest / exact - 1)) * 100, '%') FROM acc_all;
SELECT bench.record('hist', 'tdigest(100) error, all rows, median',
	abs(tdigest / exact - 1) * 100, '%') FROM acc_all WHERE p = 0.5;
\endif

-- In the 100-row groups: one sorted pass computes all three.
\set gps '''{0.5,0.9,0.99}''::float8[]'
SET enable_hashagg = off;
CREATE TEMP TABLE acc_groups AS
SELECT x.grp, u.p, date_part('epoch', u.e) AS exact, date_part('epoch', u.k) AS kpi,
	   NULL::float8 AS tdigest
FROM (SELECT grp, percentile_disc(:gps) WITHIN GROUP (ORDER BY wait) AS es,
			 kpi_percentile(kpi_hist(wait), :gps) AS ks
	  FROM bench_tickets GROUP BY grp) x,
	 unnest(:gps, x.es, x.ks) AS u(p, e, k);
\if :has_tdigest
UPDATE acc_groups a SET tdigest = t.v
FROM (SELECT grp, unnest(:gps) AS p, unnest(tdigest_percentile(date_part('epoch', wait), 100, :gps)) AS v
	  FROM bench_tickets GROUP BY grp) t
WHERE t.grp = a.grp AND t.p = a.p;
\endif
RESET enable_hashagg;
SELECT bench.record('hist', format('%s error, 100-row groups, p%s, %s', m, round(p::numeric * 100), s), v, '%')
FROM (SELECT p,
			 avg(abs(kpi / exact - 1)) * 100 AS kpi_mean, max(abs(kpi / exact - 1)) * 100 AS kpi_max,
			 avg(abs(tdigest / exact - 1)) * 100 AS td_mean, max(abs(tdigest / exact - 1)) * 100 AS td_max
	  FROM acc_groups GROUP BY p) g,
	 LATERAL (VALUES ('kpi_percentile', 'mean', kpi_mean), ('kpi_percentile', 'worst', kpi_max),
					 ('tdigest(100)', 'mean', td_mean), ('tdigest(100)', 'worst', td_max)) v(m, s, v)
WHERE v IS NOT NULL
ORDER BY m, p, s DESC;

-- ---------- issue 3's "Done when" ----------

SELECT bench.target('hist', 'kpi_hist(wait)', 'avg(wait)', 1.0, 'kpi_hist / avg, serial');
SELECT bench.target('hist', 'kpi_hist(wait)@2', 'avg(wait)@2', 1.0, 'kpi_hist / avg, 2 workers');
SELECT bench.target('hist', 'kpi_hist(wait)', 'count(wait)', 1.3, 'kpi_hist / count, serial');
-- ---------- moving windows ----------

-- 50k rows, trending (every row that leaves the frame is the frame's min)
-- and scrambled, frames of 100 and 1000 rows: the cost of a row must not
-- grow with the frame.
DROP TABLE IF EXISTS bench_trend;
CREATE UNLOGGED TABLE bench_trend AS
SELECT g AS id, make_interval(secs => g) AS rising, make_interval(secs => (g * 7919) % 50000) AS scrambled,
	   timestamptz '2025-01-01' + g * interval '1 min' AS created
FROM generate_series(1, 50000) g;
VACUUM ANALYZE bench_trend;
SELECT bench.run('hist', format('window: kpi_hist(%s) OVER ROWS %s', col, n),
	format('SELECT sum(kpi_count(h)) FROM (SELECT kpi_hist(%s) OVER (ORDER BY id ROWS BETWEEN %s PRECEDING AND CURRENT ROW) AS h FROM bench_trend) x',
		   col, n))
FROM (VALUES ('rising'), ('scrambled')) c(col), (VALUES (100), (1000)) f(n);
SELECT bench.run('hist', format('window: kpi_avg_wait(rising) OVER ROWS %s', n),
	format('SELECT count(a) FROM (SELECT kpi_avg_wait(created, created + rising) OVER (ORDER BY id ROWS BETWEEN %s PRECEDING AND CURRENT ROW) AS a FROM bench_trend) x', n))
FROM (VALUES (100), (1000)) f(n);

SELECT bench.target('hist', 'kpi_percentile(kpi_hist(wait), 0.9)', 'percentile_cont(0.9)', 0.2,
	'kpi_percentile / percentile_cont, serial (5x faster)');
SELECT bench.target('hist', 'kpi_percentile(kpi_hist(wait), 0.9)', 'tdigest_percentile(epoch, 100, 0.9)', 0.5,
	'kpi_percentile / tdigest_percentile, serial (2x faster)');
SELECT bench.target('hist', 'kpi_hist(wait)@2', 'kpi_hist(wait)@0', 1 / 1.5,
	'kpi_hist, 2 workers / serial (1.5x faster)');
SELECT bench.target('hist', 'by grp: kpi_hist(wait)', 'by grp: avg(wait)', 1.5,
	'100-row groups: kpi_hist / avg, serial');
SELECT bench.target('hist', 'by grp: kpi_hist(wait)@2', 'by grp: avg(wait)@2', 1.5,
	'100-row groups: kpi_hist / avg, 2 workers');
SELECT bench.target('hist', 'by grp: kpi_hist(wait)', 'by grp: avg(wait)', 3,
	'100-row groups: kpi_hist / avg, peak memory', 'memory');
SELECT bench.target('hist', 'kpi_hist of all rows: size', NULL, 4096,
	'size of a kpi_hist of all rows, bytes', 'value');
SELECT bench.target('hist', 'kpi_percentile error, all rows, worst of p = 0 .. 1', NULL, 1,
	'kpi_percentile error vs percentile_disc, all rows, %', 'value');
SELECT bench.target('hist', 'kpi_percentile error, 100-row groups, p50, worst', NULL, 1,
	'kpi_percentile error, 100-row groups, p50, %', 'value');
SELECT bench.target('hist', 'kpi_percentile error, 100-row groups, p90, worst', NULL, 1,
	'kpi_percentile error, 100-row groups, p90, %', 'value');
SELECT bench.target('hist', 'kpi_percentile error, 100-row groups, p99, worst', NULL, 1,
	'kpi_percentile error, 100-row groups, p99, %', 'value');
SELECT bench.target('hist', 'window: kpi_hist(rising) OVER ROWS 1000', 'window: kpi_hist(rising) OVER ROWS 100', 1.5,
	'trending data: kpi_hist OVER ROWS 1000 / ROWS 100');
SELECT bench.target('hist', 'window: kpi_avg_wait(rising) OVER ROWS 1000', 'window: kpi_avg_wait(rising) OVER ROWS 100', 1.5,
	'trending data: kpi_avg_wait OVER ROWS 1000 / ROWS 100');
SELECT bench.target('hist', 'window: kpi_hist(scrambled) OVER ROWS 1000', 'window: kpi_hist(scrambled) OVER ROWS 100', 1.5,
	'scrambled data: kpi_hist OVER ROWS 1000 / ROWS 100');
