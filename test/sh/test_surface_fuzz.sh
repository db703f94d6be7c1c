#!/usr/bin/env bash
# The SQL-surface fuzzer: every function of the extension, read from the
# catalog (pg_depend), called thousands of times as an unprivileged role with
# arguments drawn from pools of edge values (test/surface/pools.sql).  It
# passes when the server never crashes, no call fails with an internal error
# (SQLSTATE class XX), and every kpi value a call returns is accepted by its
# own type's input and reads back the same.
#
#   SURFACE_CALLS   calls per function (default 100; a long run: 1000)
#   SURFACE_SEED    seed (default 1): a run is reproducible
#   SURFACE_FUNCTION_SECONDS  time for all calls of one function (default 60):
#                   a call that loops or takes minutes fails the run
#   KPI_SERVER_LOG  the server's log, checked for crashes and assertion
#                   failures (default: pg_virtualenv's)
# Runs inside the test cluster (libpq environment set).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
calls=${SURFACE_CALLS:-100}
seed=${SURFACE_SEED:-1}
limit=${SURFACE_FUNCTION_SECONDS:-60}
db=kpi_surface
out=${KPI_BUILD:-$here/build}/surface
mkdir -p "$out"
log=${KPI_SERVER_LOG:-${PG_CLUSTER_CONF_ROOT:+$(dirname "$PG_CLUSTER_CONF_ROOT")/log/postgresql-${PGVERSION:-15}-regress.log}}
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

dropdb --if-exists -q "$db" 2>/dev/null
createdb "$db" || { echo "not ok - cannot create $db"; exit 1; }
log_lines_before=0
[ -n "$log" ] && [ -f "$log" ] && log_lines_before=$(wc -l <"$log")

psql_q -d "$db" >"$out/setup.log" 2>&1 <<SQL || { echo "not ok - surface fuzzer setup"; cat "$out/setup.log"; exit 1; }
CREATE EXTENSION kpi;
DROP ROLE IF EXISTS kpi_fuzzer;
CREATE ROLE kpi_fuzzer;
\i $here/surface/pools.sql
\i $here/surface/fuzz.sql
SELECT kpi_fuzz_wrap_support(3) AS support_function_wrappers;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO kpi_fuzzer;
GRANT INSERT ON kpi_fuzz_result, kpi_fuzz_bad_value TO kpi_fuzzer;
SQL

# Every SQL-callable function of the extension, and the aggregates that wrap
# its support functions (fuzz.sql); those taking internal cannot be called
# from SQL at all (no value of that type can be written).
psql_q -d "$db" -At -F' ' >"$out/functions" -c "
	SELECT p.oid, md5(p.oid::regprocedure::text), p.oid::regprocedure
	FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
	JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'kpi'
	WHERE d.deptype = 'e' AND NOT 'internal'::regtype = ANY (p.proargtypes::regtype[])
	UNION ALL
	SELECT p.oid, md5(p.oid::regprocedure::text), p.oid::regprocedure FROM pg_proc p
	WHERE p.proname ~ '^kpi_fuzz_wrap_[0-9]+$'
	ORDER BY 3"
internal_only=$(psql_q -d "$db" -At -c "
	SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY 1)
	FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
	JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'kpi'
	WHERE d.deptype = 'e' AND 'internal'::regtype = ANY (p.proargtypes::regtype[])")

crashed=()
slow=()
while read -r oid hash name; do
	# a seed per function, from its signature: the same calls on every run
	fseed=0.$(printf '%06d' $(((16#${hash:0:7} + seed * 7919) % 1000000)))
	n=$calls
	case $name in kpi_fuzz_wrap_[0-9]*) n=$(( calls / 4 > 20 ? calls / 4 : 20 )) ;; esac
	if ! psql_q -d "$db" -c "SET ROLE kpi_fuzzer" -c "SET statement_timeout = '${limit}s'" \
		-c "SELECT kpi_fuzz_function($oid, $n, $fseed, false)" >"$out/call.log" 2>&1; then
		if grep -q 'statement timeout' "$out/call.log"; then
			slow+=("$name")
			echo "# $name: its $n calls took more than ${limit} s"
		else
			crashed+=("$name")
			echo "# $name: the session ended: $(tail -3 "$out/call.log" | tr '\n' ' ')"
		fi
		# replay with every call shown, to name the one that broke it
		psql -X -d "$db" -c "SET ROLE kpi_fuzzer" -c "SET statement_timeout = '${limit}s'" \
			-c "SELECT kpi_fuzz_function($oid, $n, $fseed, true)" >"$out/replay.log" 2>&1
		grep 'kpi fuzz call' "$out/replay.log" | tail -1 | sed 's/^/#   last call: /'
		# let the postmaster finish crash recovery
		for _ in 1 2 3 4 5 6 7 8 9 10; do psql -X -At -d "$db" -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
	fi
done <"$out/functions"

nfunctions=$(wc -l <"$out/functions")
psql_q -d "$db" -c "
	SELECT outcome AS sqlstate, count(DISTINCT fn) AS functions, sum(calls) AS calls
	FROM kpi_fuzz_result GROUP BY 1 ORDER BY 1" | sed 's/^/# /'
psql_q -d "$db" -At -c "SELECT fn || ': ' || outcome || ' x' || calls || ' e.g. ' || coalesce(example, '')
	FROM kpi_fuzz_result ORDER BY fn, outcome" >"$out/by_function.txt"
echo "# per function and outcome: $out/by_function.txt"
[ -n "$internal_only" ] && echo "# not callable from SQL (they take internal): $internal_only"
psql_q -d "$db" -At -c "SELECT 'pool value dropped (does not evaluate here): ' || typ || ' ' || expr || ' (' || sqlstate || ')'
	FROM kpi_fuzz_dropped ORDER BY 1" | sed 's/^/# /'

total=$(psql_q -d "$db" -At -c "SELECT coalesce(sum(calls), 0) FROM kpi_fuzz_result")
# a function is exercised when a call ran it through; support functions
# must refuse every direct call (0A000) and are exercised by their aggregates
unexercised=$(psql_q -d "$db" -At -c "
	SELECT string_agg(fn || ' (' || outcomes || ')', ', ') FROM (
		SELECT fn, string_agg(outcome, ',' ORDER BY outcome) AS outcomes FROM kpi_fuzz_result GROUP BY fn
		HAVING NOT bool_or(outcome = 'ok') AND NOT bool_and(outcome = '0A000')
		   AND fn !~ '^kpi_fuzz_wrap_[0-9]') f")
refused=$(psql_q -d "$db" -At -c "SELECT count(*) FROM (SELECT fn FROM kpi_fuzz_result GROUP BY fn HAVING bool_and(outcome = '0A000')) f")
nopool=$(psql_q -d "$db" -At -c "SELECT string_agg(DISTINCT fn || ' (' || outcome || ')', ', ') FROM kpi_fuzz_result WHERE outcome LIKE 'no pool%'")
# (a wrapper aggregate is named with the support function and start it wraps)
internal=$(psql_q -d "$db" -At -c "SELECT string_agg(fn || coalesce(' [' || w.definition || ']', '') || ': '
		|| outcome || ' x' || calls || ' e.g. ' || example, E'\n')
	FROM kpi_fuzz_result r LEFT JOIN kpi_fuzz_wrapper w ON r.fn LIKE w.name || '(%' WHERE outcome LIKE 'XX%'")
bad=$(psql_q -d "$db" -At -c "SELECT string_agg(fn || coalesce(' [' || w.definition || ']', '') || ': ' || value
		|| ' -> ' || problem || E'\n    from ' || call, E'\n')
	FROM (SELECT DISTINCT ON (fn) * FROM kpi_fuzz_bad_value ORDER BY fn) b LEFT JOIN kpi_fuzz_wrapper w ON b.fn LIKE w.name || '(%'")
nwrappers=$(grep -c ' kpi_fuzz_wrap_[0-9]' "$out/functions")
echo "# $((nfunctions - nwrappers)) functions and $nwrappers user-defined aggregates over the support functions, $total calls (${calls} a function, seed $seed)"

ok() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
ok $((${#crashed[@]})) "no call ended the session${crashed[*]:+ (${crashed[*]})}"
ok $((${#slow[@]})) "every function's calls finished within ${limit} s${slow[*]:+ (not: ${slow[*]})}"
crash_lines=""
if [ -n "$log" ] && [ -f "$log" ]; then
	crash_lines=$(tail -n +"$((log_lines_before + 1))" "$log" | grep -E 'terminated by signal|TRAP:|server process .* was terminated')
	ok "$([ -z "$crash_lines" ]; echo $?)" "the server log shows no crash or failed assertion"
	[ -n "$crash_lines" ] && echo "$crash_lines" | head -5 | sed 's/^/#   /'
else
	echo "# the server log was not found (set KPI_SERVER_LOG): crashes are seen as ended sessions only"
fi
ok "$([ -z "$nopool" ]; echo $?)" "every argument type has a pool${nopool:+: $nopool}"
echo "# $refused support functions refused every direct call (0A000), as they must"
ok "$([ -z "$unexercised" ]; echo $?)" "every other function returned a result at least once${unexercised:+; never: $unexercised}"
ok "$([ -z "$internal" ]; echo $?)" "no call failed with an internal error (XX000, XX001)"
[ -n "$internal" ] && echo "$internal" | head -20 | sed 's/^/#   /'
ok "$([ -z "$bad" ]; echo $?)" "every kpi value returned is accepted by its type's input and reads back the same"
[ -n "$bad" ] && echo "$bad" | head -20 | sed 's/^/#   /'
dropdb -q "$db" 2>/dev/null
psql -X -q -c "DROP ROLE IF EXISTS kpi_fuzzer" >/dev/null 2>&1
exit 0
