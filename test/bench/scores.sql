-- test/bench/scores.sql: survey KPIs (issue 2).
--
-- :rows survey answers (default 10M) over a year, in arrival order: CSAT
-- 1..5 (10% NULL), NPS 0..10 (5% NULL).  kpi_csat and kpi_nps against the
-- hand-written FILTER SQL and against sum() of the same column (the cost of
-- reading it at all), serial and with 2 workers.  Rolling CSAT by window
-- frame on every tenth answer (:rows / 10): time must not grow with the
-- frame, compared with the same numbers computed without a frame.

\set ON_ERROR_STOP 1
\if :{?rows}
\else
\set rows 10000000
\endif

DROP TABLE IF EXISTS bench_surveys, bench_surveys_w;

-- Deterministic: setseed, and random() runs in the leader only (it is
-- parallel restricted), in generate_series order.
SELECT setseed(0.2024);
CREATE UNLOGGED TABLE bench_surveys AS
SELECT i::integer AS id,
	   date '2024-01-01' + ((i - 1) * 366 / :rows)::integer AS day,
	   CASE WHEN r1 < 0.10 THEN NULL
			WHEN r1 < 0.15 THEN 1
			WHEN r1 < 0.22 THEN 2
			WHEN r1 < 0.35 THEN 3
			WHEN r1 < 0.62 THEN 4
			ELSE 5 END AS score,
	   CASE WHEN r2 < 0.05 THEN NULL
			ELSE floor(11 * power((r2 - 0.05) / 0.95, 0.6))::integer END AS nps
FROM (SELECT i, random() AS r1, random() AS r2
	  FROM generate_series(1, :rows::bigint) i) g;

-- The window cases sort every row they read: every tenth answer (the whole
-- year still).
CREATE UNLOGGED TABLE bench_surveys_w AS
SELECT * FROM bench_surveys WHERE id % 10 = 0;

VACUUM (FREEZE, ANALYZE) bench_surveys, bench_surveys_w;
CREATE EXTENSION IF NOT EXISTS pg_prewarm;
SELECT pg_prewarm('bench_surveys') > 0 AS prewarmed, pg_prewarm('bench_surveys_w') > 0 AS prewarmed_w;

-- ---------- CSAT and NPS over all rows ----------

SELECT bench.run('scores', 'CSAT: FILTER SQL',
	'SELECT 100.0 * count(*) FILTER (WHERE score >= 4) / count(score) FROM bench_surveys', w)
FROM (VALUES (0), (2)) v(w);
SELECT bench.run('scores', 'sum(score)',
	'SELECT sum(score) FROM bench_surveys', w, 'CSAT: FILTER SQL')
FROM (VALUES (0), (2)) v(w);
SELECT bench.run('scores', 'kpi_csat(score)',
	'SELECT kpi_csat(score) FROM bench_surveys', w, 'CSAT: FILTER SQL')
FROM (VALUES (0), (2)) v(w);

SELECT bench.run('scores', 'NPS: FILTER SQL',
	'SELECT 100.0 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6)) / count(nps) FROM bench_surveys', w)
FROM (VALUES (0), (2)) v(w);
SELECT bench.run('scores', 'sum(nps)',
	'SELECT sum(nps) FROM bench_surveys', w, 'NPS: FILTER SQL')
FROM (VALUES (0), (2)) v(w);
SELECT bench.run('scores', 'kpi_nps(nps)',
	'SELECT kpi_nps(nps) FROM bench_surveys', w, 'NPS: FILTER SQL')
FROM (VALUES (0), (2)) v(w);

SELECT bench.target('scores', 'kpi_csat(score)', 'CSAT: FILTER SQL', 1.0,
	'kpi_csat / FILTER SQL, serial');
SELECT bench.target('scores', 'kpi_nps(nps)', 'NPS: FILTER SQL', 1.0,
	'kpi_nps / FILTER SQL, serial');
SELECT bench.target('scores', 'kpi_csat(score)', 'sum(score)', 1.2,
	'kpi_csat / sum(score), serial');
SELECT bench.target('scores', 'kpi_nps(nps)', 'sum(nps)', 1.2,
	'kpi_nps / sum(nps), serial');

-- ---------- rolling CSAT: time against frame size ----------
-- Each query sums the per-row result so that only one row comes back.

-- Per day, RANGE frames of 7, 30 and 90 days; the baseline computes the
-- same per-row numbers without a frame over the answers: daily counts,
-- summed over the days by a window over the 366 days, joined back to the
-- answers.
SELECT bench.run('scores', 'rolling 7 days: no frame (daily counts joined back)',
	$q$SELECT sum(r.csat) FROM bench_surveys_w s JOIN (
		SELECT day, 100 * (sum(sat) OVER w)::float8 / nullif(sum(n) OVER w, 0) AS csat
		FROM (SELECT day, count(*) FILTER (WHERE score >= 4) AS sat, count(score) AS n
			  FROM bench_surveys_w GROUP BY day) d
		WINDOW w AS (ORDER BY day RANGE BETWEEN '6 days' PRECEDING AND CURRENT ROW)) r USING (day)$q$);
SELECT bench.run('scores', 'rolling 7 days: FILTER SQL OVER RANGE',
	$q$SELECT sum(c) FROM (
		SELECT 100 * (count(*) FILTER (WHERE score >= 4) OVER w)::float8 / nullif(count(score) OVER w, 0) AS c
		FROM bench_surveys_w
		WINDOW w AS (ORDER BY day RANGE BETWEEN '6 days' PRECEDING AND CURRENT ROW)) x$q$,
	0, 'rolling 7 days: no frame (daily counts joined back)');
SELECT bench.run('scores', format('rolling: kpi_csat OVER RANGE %s days', d),
	format($q$SELECT sum(c) FROM (
		SELECT kpi_csat(score) OVER (ORDER BY day RANGE BETWEEN '%s days' PRECEDING AND CURRENT ROW) AS c
		FROM bench_surveys_w) x$q$, d - 1),
	0, 'rolling 7 days: no frame (daily counts joined back)')
FROM (VALUES (7), (30), (90)) v(d);

-- Per answer, ROWS frames of the last 7, 70 and 700 answers; the baseline
-- takes differences of running counts (lag over a frame-less running
-- count), which costs the same for any frame size.
SELECT bench.run('scores', 'last 7 answers: no frame (running counts - lag)',
	$q$SELECT sum(c) FROM (
		SELECT 100 * (sat - lag(sat, 7, 0::bigint) OVER o)::float8 / nullif(n - lag(n, 7, 0::bigint) OVER o, 0) AS c
		FROM (SELECT day, id, count(*) FILTER (WHERE score >= 4) OVER r AS sat, count(score) OVER r AS n
			  FROM bench_surveys_w WINDOW r AS (ORDER BY day, id ROWS UNBOUNDED PRECEDING)) t
		WINDOW o AS (ORDER BY day, id)) x$q$);
SELECT bench.run('scores', format('last N answers: kpi_csat OVER ROWS %s', n),
	format($q$SELECT sum(c) FROM (
		SELECT kpi_csat(score) OVER (ORDER BY day, id ROWS BETWEEN %s PRECEDING AND CURRENT ROW) AS c
		FROM bench_surveys_w) x$q$, n - 1),
	0, 'last 7 answers: no frame (running counts - lag)')
FROM (VALUES (7), (70), (700)) v(n);

SELECT bench.target('scores', 'rolling: kpi_csat OVER RANGE 90 days', 'rolling: kpi_csat OVER RANGE 7 days', 1.2,
	'kpi_csat OVER RANGE 90 days / 7 days (flat: about 1)');
SELECT bench.target('scores', 'last N answers: kpi_csat OVER ROWS 700', 'last N answers: kpi_csat OVER ROWS 7', 1.2,
	'kpi_csat OVER ROWS 700 / ROWS 7 (flat: about 1)');
