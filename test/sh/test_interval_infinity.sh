#!/usr/bin/env bash
# From PostgreSQL 17 on, interval has infinity and -infinity.  kpi_hist
# counts finite durations only: every entry point that takes an interval
# rejects them with 22008 (datetime_field_overflow), and the finite rows
# beside them are counted as before.  On 15 and 16 the values do not
# exist: the test says so and is skipped.  Runs inside test/run.sh's
# throwaway cluster (PGHOST/PGPORT set).
set -uo pipefail

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$@"; }

version=$(q postgres -c "SHOW server_version_num")
if [ "$version" -lt 170000 ]; then
	echo "skip - interval has no infinity before PostgreSQL 17 (server $version)"
	exit 0
fi

trap 'dropdb --if-exists kpi_infinity' EXIT
dropdb --if-exists kpi_infinity && createdb kpi_infinity || { not_ok "create database"; exit 1; }

# state(query): the SQLSTATE the query raises, or 'ok'.
results=$(q kpi_infinity <<'SQL'
CREATE EXTENSION kpi;
CREATE FUNCTION state(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;
CREATE TABLE waits AS
SELECT i, CASE i WHEN 500 THEN interval 'infinity' WHEN 700 THEN interval '-infinity'
                 ELSE make_interval(secs => (i * 7919) % 86400) END AS wait
FROM generate_series(1, 1000) i;
SELECT 'aggregate, infinity',  state($$SELECT kpi_hist(wait) FROM waits WHERE i <> 700$$);
SELECT 'aggregate, -infinity', state($$SELECT kpi_hist(wait) FROM waits WHERE i <> 500$$);
SELECT 'moving window',        state($$SELECT kpi_count(kpi_hist(wait) OVER (ORDER BY i ROWS 10 PRECEDING)) FROM waits$$);
SELECT 'kpi_share_within',     state($$SELECT kpi_share_within(kpi_hist(interval '1 hour'), interval 'infinity')$$);
SELECT 'finite rows',          (SELECT kpi_count(kpi_hist(wait) FILTER (WHERE isfinite(wait))) = count(*) FILTER (WHERE isfinite(wait))
                                       AND kpi_max(kpi_hist(wait) FILTER (WHERE isfinite(wait))) >= max(wait) FILTER (WHERE isfinite(wait))
                                FROM waits)::text;
SQL
)
[ $? -eq 0 ] || { not_ok "run the checks"; echo "$results"; exit 1; }

# In parallel (partial aggregates in the workers), straight from psql: the
# plan is checked to be a parallel one.
parallel=$(psql -X -q -At -d kpi_infinity 2>&1 <<'SQL'
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
\set VERBOSITY sqlstate
EXPLAIN (COSTS OFF) SELECT kpi_hist(wait) FROM waits;
SELECT kpi_hist(wait) FROM waits;
SQL
)
if echo "$parallel" | grep 'Partial Aggregate' >/dev/null && echo "$parallel" | grep -x 'ERROR:  22008' >/dev/null; then
	ok "parallel aggregate: 22008"
else
	not_ok "parallel aggregate: 22008"
	echo "$parallel"
fi

expect() {
	local got
	got=$(echo "$results" | awk -F'|' -v k="$1" '$1 == k { print $2 }')
	if [ "$got" = "$2" ]; then ok "$1: $2"; else not_ok "$1: $2 (got '$got')"; fi
}
expect "aggregate, infinity" 22008
expect "aggregate, -infinity" 22008
expect "moving window" 22008
expect "kpi_share_within" 22008
expect "finite rows" true
