-- The SQL-surface fuzzer: calls a function of the extension many times with
-- arguments drawn from the pools (pools.sql), and records what happened.
-- Run by test/sh/test_surface_fuzz.sh as an unprivileged role.

-- Pools: the candidates that evaluate on this server, by type.  One that
-- computes something (a function call, a subquery) is evaluated once and
-- stored in a column of its type, so a call reads it back as a stored value
-- (short-headed, toasted or a working layout, as it comes) and costs little.
CREATE TABLE kpi_fuzz_pool (typ regtype, exprs text[]);
CREATE TABLE kpi_fuzz_dropped (typ text, expr text, sqlstate text);
DO $$
DECLARE
	c record;
	tab text;
	n int := 0;
BEGIN
	FOR c IN SELECT * FROM kpi_fuzz_candidate LOOP
		BEGIN
			IF to_regtype(c.typ) IS NULL THEN
				RAISE EXCEPTION USING ERRCODE = '42704';
			END IF;
			IF c.typ <> 'cstring' AND c.expr LIKE '%(%' THEN
				n := n + 1;
				tab := 'kpi_fuzz_v_' || md5(c.typ);
				EXECUTE format('CREATE TABLE IF NOT EXISTS %I (id int, v %s)', tab, c.typ);
				EXECUTE format('INSERT INTO %I VALUES (%s, (%s)::%s)', tab, n, c.expr, c.typ);
				c.expr := format('(SELECT v FROM %I WHERE id = %s)', tab, n);
			ELSIF c.typ <> 'cstring' THEN
				EXECUTE format('SELECT (%s)::%s', c.expr, c.typ);
			END IF;
			INSERT INTO kpi_fuzz_pool VALUES (c.typ::regtype, ARRAY[c.expr]);
		EXCEPTION WHEN OTHERS THEN
			INSERT INTO kpi_fuzz_dropped VALUES (c.typ, c.expr, SQLSTATE);
		END;
	END LOOP;
END $$;
CREATE TABLE kpi_fuzz_pools AS
SELECT typ, array_agg(e ORDER BY e) || ARRAY['NULL'] AS exprs
FROM kpi_fuzz_pool, unnest(exprs) e GROUP BY typ;

-- What each call did: one row per function and outcome.
CREATE TABLE kpi_fuzz_result (fn text, outcome text, calls int, example text);
-- Returned values that their own type's input refused or changed.
CREATE TABLE kpi_fuzz_bad_value (fn text, call text, value text, problem text);

CREATE FUNCTION kpi_fuzz_function(fn regprocedure, ncalls int, seed float8, trace bool)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	p pg_proc;
	argtypes regtype[];
	pools text[][];
	args text[];
	call text;
	sql text;
	ret_is_kpi bool;
	rtext text;
	again text;
	outcome text;
	counts jsonb := '{}';
	examples jsonb := '{}';
	pool text[];
	results text[];
BEGIN
	SELECT * INTO p FROM pg_proc WHERE oid = fn;
	argtypes := ARRAY(SELECT unnest(p.proargtypes::regtype[]));   -- oidvector is 0-based
	ret_is_kpi := p.prorettype IN (SELECT t.oid FROM pg_type t
	                               JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid
	                               JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'kpi'
	                               WHERE t.typtype <> 'e')
	              AND NOT p.proretset;   -- (a kpi value, not a composite or a set)
	PERFORM setseed(seed);
	FOR i IN 1 .. ncalls LOOP
		args := '{}';
		FOR a IN 1 .. coalesce(array_length(argtypes, 1), 0) LOOP
			SELECT exprs INTO pool FROM kpi_fuzz_pools WHERE typ = argtypes[a];
			IF pool IS NULL THEN
				INSERT INTO kpi_fuzz_result VALUES (fn::text, 'no pool for ' || argtypes[a]::text, 0, NULL);
				RETURN;
			END IF;
			args := args || format('(%s)::%s', pool[1 + floor(random() * array_length(pool, 1))::int], argtypes[a]);
		END LOOP;
		call := format('%s(%s)', p.oid::regproc, array_to_string(args, ', '));
		-- every query returns the text of each result row, so that every
		-- result is computed (an unused immutable call would be planned away)
		-- and can be read back by its type's input
		IF p.prokind = 'a' AND random() < 0.5 THEN
			-- as a moving window over three rows: transitions and inverses
			sql := format('SELECT array_agg(r::text) FROM (SELECT %s OVER (ORDER BY g ROWS 1 PRECEDING) AS r FROM generate_series(1, 3) g) s', call);
		ELSIF p.prokind = 'a' THEN
			sql := format('SELECT array_agg(r::text) FROM (SELECT %s AS r FROM generate_series(1, 2) g) s', call);
		ELSE
			sql := format('SELECT array_agg(r::text) FROM (SELECT %s AS r) s', call);
		END IF;
		IF trace THEN
			RAISE NOTICE 'kpi fuzz call: %', sql;
		END IF;
		BEGIN
			EXECUTE sql INTO results;
			outcome := 'ok';
			FOREACH rtext IN ARRAY CASE WHEN ret_is_kpi AND results IS NOT NULL THEN results ELSE '{}' END LOOP
				CONTINUE WHEN rtext IS NULL;
				BEGIN
					EXECUTE format('SELECT (%L::%s)::text', rtext, p.prorettype::regtype) INTO again;
					IF again IS DISTINCT FROM rtext THEN
						INSERT INTO kpi_fuzz_bad_value VALUES (fn::text, sql, rtext, 'reads back as ' || again);
					END IF;
				EXCEPTION WHEN OTHERS THEN
					INSERT INTO kpi_fuzz_bad_value VALUES (fn::text, sql, rtext, SQLSTATE || ': ' || SQLERRM);
				END;
			END LOOP;
		EXCEPTION WHEN OTHERS THEN
			outcome := SQLSTATE;
		END;
		counts := jsonb_set(counts, ARRAY[outcome], to_jsonb(coalesce((counts ->> outcome)::int, 0) + 1));
		IF NOT examples ? outcome THEN
			examples := jsonb_set(examples, ARRAY[outcome], to_jsonb(left(sql, 400)));
		END IF;
	END LOOP;
	INSERT INTO kpi_fuzz_result
	SELECT fn::text, key, value::int, examples ->> key FROM jsonb_each_text(counts);
END $$;

-- Support functions refuse direct calls, so they are also fuzzed the way a
-- user can reach them: as the state function of a user-defined aggregate
-- that starts from any value of the state type (INITCOND and MINITCOND) and
-- uses the function for both directions of a moving window (a user may
-- pair them in any way).  One aggregate per support function and start.
CREATE TABLE kpi_fuzz_wrapper (name text, definition text);
CREATE FUNCTION kpi_fuzz_wrap_support(starts_per_function int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	f record;
	init text;
	n int := 0;
	extra text;
BEGIN
	FOR f IN
		SELECT DISTINCT p.oid, p.oid::regproc::text AS name, p.proargtypes::regtype[] AS args, p.prorettype::regtype AS stype
		FROM pg_aggregate a
		CROSS JOIN LATERAL unnest(ARRAY[a.aggtransfn, a.aggmtransfn, a.aggminvtransfn, a.aggcombinefn]) s(fn)
		JOIN pg_proc p ON p.oid = s.fn
		JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid AND d.deptype = 'e'
		JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'kpi'
		WHERE p.prorettype <> 'internal'::regtype AND p.proargtypes[0] = p.prorettype
		ORDER BY 1
	LOOP
		FOR init IN
			SELECT NULL UNION ALL
			(SELECT x FROM kpi_fuzz_pools, unnest(exprs) x WHERE typ = f.stype AND x <> 'NULL' ORDER BY x LIMIT starts_per_function)
		LOOP
			BEGIN
				IF init IS NOT NULL THEN
					EXECUTE format('SELECT (%s)::%s::text', init, f.stype) INTO init;
				END IF;
				extra := CASE WHEN init IS NULL THEN '' ELSE format(', INITCOND = %L, MINITCOND = %L', init, init) END;
				n := n + 1;
				EXECUTE format('CREATE AGGREGATE kpi_fuzz_wrap_%s(%s) (SFUNC = %s, STYPE = %s, MSFUNC = %s, MINVFUNC = %s, MSTYPE = %s%s)',
							   n, (SELECT string_agg(t::text, ', ') FROM unnest(f.args[1:]) t), f.name, f.stype,
							   f.name, f.name, f.stype, extra);
				INSERT INTO kpi_fuzz_wrapper VALUES (format('kpi_fuzz_wrap_%s', n), format('%s from %s', f.name, coalesce(init, 'NULL')));
			EXCEPTION WHEN OTHERS THEN
				RAISE NOTICE 'no wrapper for % starting at %: %', f.name, init, SQLERRM;
			END;
		END LOOP;
	END LOOP;
	RETURN n;
END $$;
