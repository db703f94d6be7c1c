-- test/bench/framework.sql: the benchmark's own tables and functions, in
-- schema bench (not part of the extension).  test/bench/run.sh runs this
-- first, then every suite file, then report.sql.
--
-- A suite calls:
--
--   bench.run(suite, label, query, workers => 0, baseline => NULL, runs => NULL)
--       Times query: max_parallel_workers_per_gather = workers (0 = serial);
--       for workers > 0 it checks EXPLAIN that the plan is parallel (and
--       lowers the parallel cost settings for this query if it is not),
--       runs one untimed warm-up (EXPLAIN ANALYZE, which also tells how many
--       workers were launched), then `runs` timed executions (default
--       BENCH_RUNS, else 5; never more than BENCH_RUNS when that is set),
--       and stores their median in milliseconds.  Returns the median.
--       The query's result rows are fetched into the function and dropped,
--       so a query should return few rows: wrap a window query in an
--       aggregate (sum over its output), as test/bench/scores.sql does.
--   bench.memory(suite, label, query, baseline => NULL)
--       Serial EXPLAIN (ANALYZE) with work_mem = 2GB; stores the peak memory
--       in kB of the plan's HashAggregate nodes (their "Peak Memory Usage",
--       which counts the hash table, the group keys and the transition
--       states), or of its Sort nodes when there is no HashAggregate.
--   bench.record(suite, label, value, unit, baseline => NULL)
--       Stores any other number: a stored size, an error in percent.
--   bench.target(suite, label, baseline, max_ratio, what, metric => 'time')
--       A "Done when" target, checked by the report: value(label) /
--       value(baseline) <= max_ratio, or value(label) <= max_ratio when
--       baseline is NULL; metric 'memory' or 'value' for the other kinds.
--       A time target is measured again on the spot, paired: the two
--       queries run alternately (B A A B B A ...), as many times as the case
--       ran, and the ratio is the median of the per-pair ratios, so that a
--       burst of load on a shared machine hits both sides alike.
--
-- A label names a case within its suite; the same label may be timed with
-- several worker counts.  A baseline reference "label" means that label with
-- the same worker count if it was measured so, else serial; "label@N" means
-- the label measured with N workers, e.g. 'kpi_hist(wait)@0' to compare 2
-- workers with serial.
--
-- psql variables (set by run.sh): rows (BENCH_ROWS), runs (BENCH_RUNS).

\set ON_ERROR_STOP 1
\if :{?rows}
\else
\set rows 10000000
\endif
\if :{?runs}
\else
\set runs ''
\endif

SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bench CASCADE;
RESET client_min_messages;
CREATE SCHEMA bench;
CREATE EXTENSION IF NOT EXISTS kpi;

CREATE TABLE bench.config (
	rows		bigint NOT NULL,
	runs		integer,			-- BENCH_RUNS, NULL if not set
	started		timestamptz NOT NULL DEFAULT clock_timestamp()
);
INSERT INTO bench.config (rows, runs) VALUES (:rows, nullif(:'runs', '')::integer);

CREATE TABLE bench.results (
	seq			serial,
	suite		text NOT NULL,
	label		text NOT NULL,
	metric		text NOT NULL CHECK (metric IN ('time', 'memory', 'value')),
	workers		integer NOT NULL DEFAULT 0,		-- requested
	planned		integer,		-- workers in the plan (time, memory)
	launched	integer,		-- workers launched in the warm-up run
	value		float8,			-- median ms, peak kB, or the value
	unit		text NOT NULL,
	baseline	text,
	times		float8[],		-- every timed run, ms
	query		text,
	forced		boolean NOT NULL DEFAULT false,	-- parallel costs set to 0
	note		text,
	loadavg		text,			-- /proc/loadavg after the case
	other_load	float8,			-- cores other processes used while it ran
	recorded	timestamptz NOT NULL DEFAULT clock_timestamp(),
	PRIMARY KEY (suite, label, metric, workers)
);

CREATE TABLE bench.targets (
	seq			serial,
	suite		text NOT NULL,
	what		text NOT NULL,
	label		text NOT NULL,
	baseline	text,
	max_ratio	float8 NOT NULL,
	metric		text NOT NULL DEFAULT 'time',
	ratio		float8,			-- time: median of the paired ratios
	other_load	float8,			-- cores other processes used meanwhile
	case_times	float8[],		-- time: the paired runs, ms
	base_times	float8[],
	note		text
);

-- The machine's load average, to judge the noise afterwards.
CREATE FUNCTION bench.loadavg() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	RETURN split_part(pg_read_file('/proc/loadavg'), ' ', 1);
EXCEPTION WHEN others THEN
	RETURN NULL;
END $$;

-- CPU time in clock ticks (1/100 s): {used by the whole machine, used by
-- this cluster's query: this backend plus its parallel workers once they
-- have exited, which the postmaster counts as its children's time}, and
-- the clock.  Between two of these, the difference is the CPU that other
-- processes took, the noise of a shared machine.  NULL where /proc cannot
-- be read.
CREATE FUNCTION bench.cpu() RETURNS float8[] LANGUAGE plpgsql AS $$
DECLARE
	m		text[] := regexp_split_to_array(split_part(pg_read_file('/proc/stat'), E'\n', 1), '\s+');
	self	text[] := string_to_array(regexp_replace(pg_read_file('/proc/self/stat'), '^.*\) ', ''), ' ');
	pm		text[] := string_to_array(regexp_replace(
				pg_read_file('/proc/' || split_part(pg_read_file('postmaster.pid'), E'\n', 1) || '/stat'),
				'^.*\) ', ''), ' ');
BEGIN
	-- /proc/stat: cpu user nice system idle iowait irq softirq steal;
	-- /proc/<pid>/stat after "(comm) ": utime is the 12th, stime, cutime, cstime.
	RETURN ARRAY[m[2]::float8 + m[3]::float8 + m[4]::float8 + m[7]::float8 + m[8]::float8 + m[9]::float8,
				 self[12]::float8 + self[13]::float8 + pm[14]::float8 + pm[15]::float8,
				 extract(epoch FROM clock_timestamp())];
EXCEPTION WHEN others THEN
	RETURN NULL;
END $$;

-- The machine's cores (as /proc/stat lists them).
CREATE FUNCTION bench.cores() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
	RETURN (SELECT count(*) FROM regexp_split_to_table(pg_read_file('/proc/stat'), E'\n') l
			WHERE l ~ '^cpu[0-9]');
EXCEPTION WHEN others THEN
	RETURN NULL;
END $$;

-- Cores that other processes used between two bench.cpu() readings.
CREATE FUNCTION bench.other_load(c0 float8[], c1 float8[]) RETURNS float8
LANGUAGE sql AS $$
	SELECT greatest(0, ((c1[1] - c0[1]) - (c1[2] - c0[2])) / 100 / nullif(c1[3] - c0[3], 0))
$$;

CREATE FUNCTION bench.median(float8[]) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
	SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM unnest($1) t
$$;

-- The largest value of a key anywhere in an EXPLAIN (FORMAT JSON) plan.
CREATE FUNCTION bench.plan_max(plan jsonb, key text) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
	WITH RECURSIVE node(n) AS (
		SELECT plan
		UNION ALL
		SELECT c FROM node,
			LATERAL (SELECT e FROM jsonb_array_elements(CASE jsonb_typeof(n) WHEN 'array' THEN n END) e
					 UNION ALL
					 SELECT v FROM jsonb_each(CASE jsonb_typeof(n) WHEN 'object' THEN n END) x(k, v)
					 WHERE jsonb_typeof(v) IN ('object', 'array')) s(c)
	)
	SELECT max((n ->> key)::float8) FROM node WHERE jsonb_typeof(n) = 'object' AND n ? key
$$;

-- Plan nodes (objects with "Node Type") of an EXPLAIN (FORMAT JSON) plan.
CREATE FUNCTION bench.plan_nodes(plan jsonb) RETURNS SETOF jsonb
LANGUAGE sql IMMUTABLE AS $$
	WITH RECURSIVE node(n) AS (
		SELECT plan -> 0 -> 'Plan'
		UNION ALL
		SELECT c FROM node, jsonb_array_elements(coalesce(n -> 'Plans', '[]')) c
	)
	SELECT n FROM node
$$;

CREATE FUNCTION bench.store(suite text, label text, metric text, workers integer,
							value float8, unit text, baseline text,
							planned integer DEFAULT NULL, launched integer DEFAULT NULL,
							times float8[] DEFAULT NULL, note text DEFAULT NULL,
							query text DEFAULT NULL, forced boolean DEFAULT false,
							other_load float8 DEFAULT NULL)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO bench.results AS r
		(suite, label, metric, workers, planned, launched, value, unit, baseline, times, query, forced, note,
		 loadavg, other_load)
	VALUES (suite, label, metric, workers, planned, launched, value, unit, baseline, times, query, forced, note,
			bench.loadavg(), other_load)
	ON CONFLICT (suite, label, metric, workers) DO UPDATE SET
		planned = excluded.planned, launched = excluded.launched, value = excluded.value,
		unit = excluded.unit, baseline = excluded.baseline, times = excluded.times,
		query = excluded.query, forced = excluded.forced, other_load = excluded.other_load,
		note = excluded.note, loadavg = excluded.loadavg, recorded = excluded.recorded,
		seq = nextval('bench.results_seq_seq')
$$;

-- The result a reference ("label" or "label@workers") points at: with
-- workers N when given, else with default_workers if measured so, else
-- serial.
CREATE FUNCTION bench.resolve(suite text, ref text, metric text, default_workers integer DEFAULT 0)
RETURNS bench.results LANGUAGE sql STABLE AS $$
	WITH r AS (
		SELECT coalesce(m[1], ref) AS label, coalesce(m[2]::integer, default_workers) AS workers,
			   m IS NOT NULL AS explicit
		FROM (SELECT regexp_match(ref, '^(.*)@(\d+)$') AS m) x
	)
	SELECT b.* FROM bench.results b, r
	WHERE b.suite = resolve.suite AND b.label = r.label AND b.metric = resolve.metric
	  AND (b.workers = r.workers OR (NOT r.explicit AND b.workers = 0))
	ORDER BY b.workers = r.workers DESC
	LIMIT 1
$$;

CREATE FUNCTION bench.lookup(suite text, ref text, metric text, workers integer DEFAULT 0)
RETURNS float8 LANGUAGE sql STABLE AS $$
	SELECT (bench.resolve(suite, ref, metric, workers)).value
$$;

-- Settings for the next query: workers per Gather, and parallelism made
-- free (forced) or the session's own cost settings.
CREATE FUNCTION bench.apply(workers integer, forced boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	g	record;
BEGIN
	PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
	FOR g IN SELECT name, reset_val FROM pg_settings
			 WHERE name IN ('parallel_setup_cost', 'parallel_tuple_cost', 'min_parallel_table_scan_size')
	LOOP
		PERFORM set_config(g.name, CASE WHEN forced THEN '0' ELSE g.reset_val END, true);
	END LOOP;
END $$;

-- One timed execution, in milliseconds.
CREATE FUNCTION bench.time_once(query text) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
	t0	timestamptz := clock_timestamp();
BEGIN
	EXECUTE query;
	RETURN 1000 * extract(epoch FROM clock_timestamp() - t0);
END $$;

CREATE FUNCTION bench.run(suite text, label text, query text, workers integer DEFAULT 0,
						  baseline text DEFAULT NULL, runs integer DEFAULT NULL)
RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	cfg_runs	integer := (SELECT c.runs FROM bench.config c);
	n			integer := CASE WHEN cfg_runs IS NULL THEN coalesce(runs, 5)
								ELSE least(coalesce(runs, cfg_runs), cfg_runs) END;
	plan		jsonb;
	planned		integer;
	launched	integer;
	notes		text[] := '{}';
	forced		boolean := false;
	c0			float8[];
	other		float8;
	times		float8[] := '{}';
	med			float8;
	base		float8;
BEGIN
	PERFORM bench.apply(workers, false);
	EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
	planned := coalesce(bench.plan_max(plan, 'Workers Planned'), 0);
	IF workers > 0 AND planned < workers THEN
		-- Small tables (a quick run with BENCH_ROWS) do not get the workers
		-- asked for: make parallelism free for this query and look again.
		forced := true;
		PERFORM bench.apply(workers, forced);
		EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
		planned := coalesce(bench.plan_max(plan, 'Workers Planned'), 0);
		notes := notes || 'parallel costs set to 0'::text;
	END IF;
	IF planned <> workers THEN
		notes := notes || format('%s workers planned', planned);
		RAISE WARNING 'bench %: % planned % parallel workers, not %', suite, label, planned, workers;
	END IF;

	-- Warm-up, untimed; TIMING OFF keeps EXPLAIN ANALYZE's overhead small.
	EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ' || query INTO plan;
	launched := coalesce(bench.plan_max(plan, 'Workers Launched'), 0);
	IF launched < planned THEN
		notes := notes || format('%s of %s workers launched in the warm-up', launched, planned);
	END IF;
	IF EXISTS (SELECT FROM bench.plan_nodes(plan) p
			   WHERE p ->> 'Sort Space Type' = 'Disk' OR (p ->> 'Disk Usage')::float8 > 0) THEN
		notes := notes || 'spilled to disk (raise work_mem)'::text;
	END IF;

	c0 := bench.cpu();
	FOR i IN 1..n LOOP
		times := times || bench.time_once(query);
	END LOOP;
	PERFORM pg_sleep(0.02);		-- let the postmaster reap the last workers
	other := bench.other_load(c0, bench.cpu());
	med := bench.median(times);
	IF other >= 0.25 AND (SELECT sum(t) FROM unnest(times) t) >= 1000 THEN
		notes := notes || format('other processes used %s of the %s cores', round(other::numeric, 1), bench.cores());
	END IF;

	PERFORM bench.store(suite, label, 'time', workers, med, 'ms', baseline, planned, launched,
						times, nullif(array_to_string(notes, '; '), ''), query, forced, other);
	base := bench.lookup(suite, baseline, 'time', workers);
	RAISE NOTICE '% | % | % workers | % ms (runs: %)%', suite, label, workers, round(med::numeric, 1),
		array_to_string(ARRAY(SELECT round(t::numeric) FROM unnest(times) t), ' '),
		CASE WHEN base > 0 THEN format(' | %s x %s', round((med / base)::numeric, 2), baseline) ELSE '' END;
	RETURN med;
EXCEPTION WHEN others THEN
	-- A broken case (say, a function another branch has not merged yet)
	-- is reported and the benchmark goes on.
	RAISE WARNING 'bench %: % failed: %', suite, label, SQLERRM;
	PERFORM bench.store(suite, label, 'time', workers, NULL, 'ms', baseline, note => 'error: ' || SQLERRM);
	RETURN NULL;
END $$;

CREATE FUNCTION bench.memory(suite text, label text, query text, baseline text DEFAULT NULL)
RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	plan	jsonb;
	peak	float8;
	disk	float8;
	what	text := 'HashAggregate';
	base	float8;
BEGIN
	PERFORM set_config('max_parallel_workers_per_gather', '0', true);
	PERFORM set_config('work_mem', '2GB', true);
	EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ' || query INTO plan;
	SELECT sum((n ->> 'Peak Memory Usage')::float8), sum((n ->> 'Disk Usage')::float8)
	INTO peak, disk
	FROM bench.plan_nodes(plan) n
	WHERE n ->> 'Node Type' = 'Aggregate' AND n ->> 'Strategy' = 'Hashed';
	IF peak IS NULL THEN
		what := 'Sort';
		SELECT sum((n ->> 'Sort Space Used')::float8) INTO peak
		FROM bench.plan_nodes(plan) n WHERE n ->> 'Node Type' = 'Sort';
	END IF;
	IF peak IS NULL THEN
		RAISE WARNING 'bench %: % has neither a HashAggregate nor a Sort', suite, label;
	END IF;
	PERFORM bench.store(suite, label, 'memory', 0, peak, 'kB', baseline,
						note => what || CASE WHEN disk > 0 THEN format(', spilled %s kB', disk) ELSE '' END);
	base := bench.lookup(suite, baseline, 'memory');
	RAISE NOTICE '% | % | peak % memory % kB%', suite, label, what, peak,
		CASE WHEN base > 0 THEN format(' | %s x %s', round((peak / base)::numeric, 2), baseline) ELSE '' END;
	RETURN peak;
EXCEPTION WHEN others THEN
	RAISE WARNING 'bench %: % failed: %', suite, label, SQLERRM;
	PERFORM bench.store(suite, label, 'memory', 0, NULL, 'kB', baseline, note => 'error: ' || SQLERRM);
	RETURN NULL;
END $$;

CREATE FUNCTION bench.record(suite text, label text, value float8, unit text, baseline text DEFAULT NULL)
RETURNS float8 LANGUAGE plpgsql AS $$
BEGIN
	PERFORM bench.store(suite, label, 'value', 0, value, unit, baseline);
	RAISE NOTICE '% | % | % %', suite, label, value, unit;
	RETURN value;
END $$;

CREATE FUNCTION bench.target(suite text, label text, baseline text, max_ratio float8,
							 what text, metric text DEFAULT 'time')
RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	a		bench.results;
	b		bench.results;
	ta		float8;
	tb		float8;
	at		float8[] := '{}';
	bt		float8[] := '{}';
	ratios	float8[] := '{}';
	r		float8;
	c0		float8[];
BEGIN
	DELETE FROM bench.targets t WHERE t.suite = target.suite AND t.what = target.what;
	INSERT INTO bench.targets (suite, what, label, baseline, max_ratio, metric)
	VALUES (suite, what, label, baseline, max_ratio, metric);
	IF metric <> 'time' OR baseline IS NULL THEN
		RETURN NULL;			-- evaluated by the report
	END IF;
	a := bench.resolve(suite, label, 'time');
	b := bench.resolve(suite, baseline, 'time', a.workers);
	IF a.value IS NULL OR b.value IS NULL THEN
		RAISE WARNING 'bench %: target "%": % or % was not measured', suite, what, label, baseline;
		RETURN NULL;
	END IF;
	c0 := bench.cpu();
	FOR i IN 1..greatest(coalesce(array_length(a.times, 1), 1), 1) LOOP
		-- B A, A B, B A, ...: neither side always runs first.
		IF i % 2 = 1 THEN
			PERFORM bench.apply(b.workers, b.forced);
			tb := bench.time_once(b.query);
		END IF;
		PERFORM bench.apply(a.workers, a.forced);
		ta := bench.time_once(a.query);
		IF i % 2 = 0 THEN
			PERFORM bench.apply(b.workers, b.forced);
			tb := bench.time_once(b.query);
		END IF;
		at := at || ta;
		bt := bt || tb;
		ratios := ratios || ta / tb;
	END LOOP;
	PERFORM pg_sleep(0.02);
	r := bench.median(ratios);
	UPDATE bench.targets t SET ratio = r, case_times = at, base_times = bt,
		other_load = bench.other_load(c0, bench.cpu())
	WHERE t.suite = target.suite AND t.what = target.what;
	RAISE NOTICE '% | target: % | % (paired runs: % ms against % ms) | limit %', suite, what,
		round(r::numeric, 3), round(bench.median(at)::numeric), round(bench.median(bt)::numeric), max_ratio;
	RETURN r;
EXCEPTION WHEN others THEN
	RAISE WARNING 'bench %: target "%" failed: %', suite, what, SQLERRM;
	UPDATE bench.targets t SET note = 'error: ' || SQLERRM
	WHERE t.suite = target.suite AND t.what = target.what;
	RETURN NULL;
END $$;

-- ---------- report ----------

-- Numbers the way the tables print them: 3 significant digits, at least
-- one decimal under 100.
CREATE FUNCTION bench.fmt(v float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN v IS NULL THEN '—'
		WHEN abs(v) >= 100 THEN round(v::numeric)::text
		WHEN abs(v) >= 10 THEN round(v::numeric, 1)::text
		WHEN abs(v) >= 1 THEN round(v::numeric, 2)::text
		ELSE round(v::numeric, 3)::text
	END
$$;

-- A markdown table, padded so that it also reads well as plain text.
-- rows: a query returning one text[] per row; align: 'l' or 'r' per column.
CREATE FUNCTION bench.markdown(headers text[], align text, rows text)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	body	text[][];
	r		text[];
	w		integer[] := ARRAY(SELECT length(h) FROM unnest(headers) h);
	line	text;
BEGIN
	FOR r IN EXECUTE rows LOOP
		FOR c IN 1..array_length(headers, 1) LOOP
			w[c] := greatest(w[c], length(coalesce(r[c], '')));
		END LOOP;
		body := body || ARRAY[r];
	END LOOP;
	line := '|';
	FOR c IN 1..array_length(headers, 1) LOOP
		line := line || ' ' || rpad(headers[c], w[c]) || ' |';
	END LOOP;
	RETURN NEXT line;
	line := '|';
	FOR c IN 1..array_length(headers, 1) LOOP
		line := line || CASE substr(align, c, 1) WHEN 'r' THEN repeat('-', w[c] + 1) || ':|'
												 ELSE ' ' || repeat('-', w[c]) || ' |' END;
	END LOOP;
	RETURN NEXT line;
	IF body IS NULL THEN
		RETURN;
	END IF;
	FOR i IN 1..array_length(body, 1) LOOP
		line := '|';
		FOR c IN 1..array_length(headers, 1) LOOP
			line := line || ' ' || CASE substr(align, c, 1)
				WHEN 'r' THEN lpad(coalesce(body[i][c], ''), w[c])
				ELSE rpad(coalesce(body[i][c], ''), w[c]) END || ' |';
		END LOOP;
		RETURN NEXT line;
	END LOOP;
END $$;

-- Suites in the order they ran.
CREATE VIEW bench.suite_order AS
	SELECT suite, min(seq) AS first FROM bench.results GROUP BY suite;

CREATE FUNCTION bench.report_times() RETURNS SETOF text LANGUAGE sql AS $$
	SELECT bench.markdown(
		ARRAY['suite', 'case', 'workers', 'median ms', 'ratio', 'baseline'], 'llrrrl',
		$q$
		SELECT ARRAY[r.suite, r.label,
				 r.workers || CASE WHEN r.planned IS DISTINCT FROM r.workers
								   THEN format(' (%s planned)', coalesce(r.planned::text, '?')) ELSE '' END,
				 CASE WHEN r.value IS NULL THEN 'failed' ELSE bench.fmt(r.value) END,
				 CASE WHEN r.baseline IS NULL THEN '' ELSE
					 coalesce(round((r.value / nullif(bench.lookup(r.suite, r.baseline, 'time', r.workers), 0))::numeric, 2)::text, '—') END,
				 coalesce(r.baseline, '')]
		FROM bench.results r JOIN bench.suite_order o USING (suite)
		WHERE r.metric = 'time'
		ORDER BY o.first, r.seq
		$q$)
$$;

CREATE FUNCTION bench.report_values() RETURNS SETOF text LANGUAGE sql AS $$
	SELECT bench.markdown(
		ARRAY['suite', 'measure', 'value', 'unit', 'ratio', 'baseline'], 'llrlrl',
		$q$
		SELECT ARRAY[r.suite,
				 r.label || CASE r.metric WHEN 'memory' THEN ': peak ' || coalesce(split_part(r.note, ',', 1), '') || ' memory' ELSE '' END,
				 CASE WHEN r.value IS NULL THEN 'failed' ELSE bench.fmt(r.value) END,
				 r.unit,
				 CASE WHEN r.baseline IS NULL THEN '' ELSE
					 coalesce(round((r.value / nullif(bench.lookup(r.suite, r.baseline, r.metric), 0))::numeric, 2)::text, '—') END,
				 coalesce(r.baseline, '')]
		FROM bench.results r JOIN bench.suite_order o USING (suite)
		WHERE r.metric <> 'time'
		ORDER BY o.first, r.seq
		$q$)
$$;

CREATE VIEW bench.target_results AS
	SELECT t.seq, t.suite, t.what, t.label, t.baseline, t.max_ratio, t.metric, t.note, t.other_load,
		   bench.median(t.case_times) AS case_ms, bench.median(t.base_times) AS base_ms,
		   coalesce(t.ratio, CASE WHEN t.baseline IS NULL THEN x.v ELSE x.v / nullif(x.b, 0) END) AS measured
	FROM bench.targets t,
		 LATERAL (SELECT bench.lookup(t.suite, t.label, t.metric) AS v,
						 bench.lookup(t.suite, t.baseline, t.metric,
									  (bench.resolve(t.suite, t.label, t.metric)).workers) AS b) x;

CREATE FUNCTION bench.report_targets() RETURNS SETOF text LANGUAGE sql AS $$
	SELECT bench.markdown(
		ARRAY['suite', 'target', 'case ms', 'baseline ms', 'measured', 'limit', 'result'], 'llrrrrl',
		$q$
		SELECT ARRAY[t.suite, t.what,
				 CASE WHEN t.case_ms IS NULL THEN '' ELSE bench.fmt(t.case_ms) END,
				 CASE WHEN t.base_ms IS NULL THEN '' ELSE bench.fmt(t.base_ms) END,
				 bench.fmt(t.measured), '≤ ' || bench.fmt(t.max_ratio),
				 CASE WHEN t.measured IS NULL THEN coalesce(t.note, 'not measured')
					  WHEN t.measured <= t.max_ratio THEN 'met' ELSE 'MISSED' END
				 || CASE WHEN t.other_load >= 0.25
						 THEN format(' (other processes took %s cores)', round(t.other_load::numeric, 1))
						 ELSE '' END]
		FROM bench.target_results t LEFT JOIN bench.suite_order o USING (suite)
		ORDER BY o.first NULLS LAST, t.seq
		$q$)
$$;

-- How noisy the machine was: the spread of each case's runs, and the CPU
-- that other processes took meanwhile.
CREATE FUNCTION bench.report_noise() RETURNS text LANGUAGE sql AS $$
	SELECT concat_ws('; ',
		(SELECT CASE WHEN count(*) = 0 THEN 'one run per case, no spread to show' ELSE
			format('spread of the runs of a case, (max - min) / median: median %s%%, worst %s%% (%s)',
				   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY spread)::numeric, 1),
				   round(max(spread)::numeric, 1),
				   (array_agg(label || CASE WHEN workers > 0 THEN format(', %s workers', workers) ELSE '' END
							  ORDER BY spread DESC))[1]) END
		 FROM (SELECT label, workers,
					  100 * ((SELECT max(t) - min(t) FROM unnest(times) t) / nullif(value, 0)) AS spread
			   FROM bench.results WHERE metric = 'time' AND array_length(times, 1) > 1) s),
		(SELECT format('other processes used %s cores on average while cases ran, at most %s (%s)',
					   round(avg(other_load)::numeric, 2), round(max(other_load)::numeric, 2),
					   (array_agg(label || CASE WHEN workers > 0 THEN format(', %s workers', workers) ELSE '' END
								  ORDER BY other_load DESC))[1])
		 FROM bench.results WHERE metric = 'time' AND other_load IS NOT NULL
		 HAVING count(*) > 0))
$$;

-- Notes on the timed cases (parallel plans forced or not as asked, errors).
CREATE FUNCTION bench.report_notes() RETURNS SETOF text LANGUAGE sql AS $$
	SELECT format('- %s | %s | %s workers: %s', r.suite, r.label, r.workers, r.note)
	FROM bench.results r JOIN bench.suite_order o USING (suite)
	WHERE r.note IS NOT NULL AND r.metric = 'time'
	ORDER BY o.first, r.seq
$$;
