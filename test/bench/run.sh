#!/usr/bin/env bash
# The kpi benchmark (make bench): timings of the extension's aggregates
# against the built-in SQL and peer extensions, measured in the same run.
# A script, not a test: it prints medians and ratios, and checks the issues'
# "Done when" targets in a table, but never fails on a slow number.
#
#   BENCH_ROWS  rows of the big tables (default 10000000)
#   BENCH_RUNS  timed runs per case, after one untimed warm-up (default 5)
#   BENCH_SUITES  the suites to run (default "scores hist churn calendar timeline")
#
#   BENCH_ROWS=200000 BENCH_RUNS=1 make bench     # a quick check
#
# It starts a throwaway PostgreSQL 15 cluster (pg_virtualenv -t: a temporary
# directory, so it never collides with the "regress" cluster of make test),
# runs test/bench/framework.sql, then each suite present (scores.sql,
# hist.sql, churn.sql, calendar.sql, timeline.sql), then prints the report:
# markdown tables to paste into the README.  The report is also written to test/build/bench/report.md.
#
# Cluster settings, for a 2-core, 24 GiB machine:
#   shared_buffers = 4GB   every table stays in shared buffers: a sequential
#                          scan of a table larger than shared_buffers / 4 goes
#                          through a 256 kB ring, so a 10M-row table (~500 MB)
#                          would be re-read from the OS cache on every run
#   work_mem = 2GB         no sort or hash aggregate spills to disk (a case
#                          that does is flagged in the notes)
#   max_parallel_workers_per_gather = 2 (each case sets its own)
#   jit = off              JIT compile time would swamp the comparisons
#   autovacuum = off       the suites VACUUM their tables once, after loading
#
# Noise: for every case the framework reads /proc to tell how much CPU other
# processes took while it ran (the machine's busy time minus this cluster's);
# the report gives the average and flags each case where it reached a
# quarter of a core.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

export BENCH_ROWS=${BENCH_ROWS:-10000000}
export BENCH_RUNS=${BENCH_RUNS:-}
case $BENCH_ROWS in '' | *[!0-9]*) echo "bench: BENCH_ROWS must be a number" >&2; exit 2 ;; esac
case $BENCH_RUNS in *[!0-9]*) echo "bench: BENCH_RUNS must be a number" >&2; exit 2 ;; esac

if [ -z "${KPI_BENCH_CLUSTER:-}" ]; then
	bash test/deps.sh postgresql-15-tdigest
	KPI_BENCH_CLUSTER=1 exec pg_virtualenv -t -v 15 \
		-o shared_buffers=4GB -o work_mem=2GB -o maintenance_work_mem=1GB \
		-o max_parallel_workers_per_gather=2 -o max_parallel_workers=8 -o max_worker_processes=8 \
		-o jit=off -o autovacuum=off -o synchronous_commit=off \
		-o max_wal_size=8GB -o checkpoint_timeout=1h \
		bash "$0" "$@"
fi

out=$root/test/build/bench
mkdir -p "$out"
# Query results go to /dev/null; progress comes as NOTICEs on stderr.
psql=(psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -v rows="$BENCH_ROWS" -v runs="$BENCH_RUNS")
failed=()

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# The extension as installed: make bench installs this tree just before.
libdir=$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --pkglibdir)
so_before=$(md5sum "$libdir/kpi.so" 2>/dev/null | cut -c1-12)
commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
t_start=$(date +%s)

echo "== kpi benchmark: BENCH_ROWS=$BENCH_ROWS BENCH_RUNS=${BENCH_RUNS:-default (5)}"
"${psql[@]}" -f test/bench/framework.sql

for suite in ${BENCH_SUITES:-scores hist churn calendar timeline}; do
	f=test/bench/$suite.sql
	[ -f "$f" ] || continue
	echo
	echo "== suite $suite ($f)"
	if ! "${psql[@]}" -f "$f"; then
		failed+=("$suite")
		echo "bench: suite $suite stopped with an error" >&2
	fi
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
so_after=$(md5sum "$libdir/kpi.so" 2>/dev/null | cut -c1-12)
minutes=$(( ($(date +%s) - t_start + 30) / 60 ))
{
	echo "### kpi benchmark, $started"
	echo
	echo "- machine: $(nproc) cores ($cpu), $mem; load average $load_before before, $load_after after (${minutes} min)"
	echo "- $(psql -X -Atc "SELECT version()")"
	echo "- kpi at commit $commit (kpi.so md5 $so_before)"
	if [ "$so_before" != "$so_after" ]; then
		echo "- WARNING: kpi.so was replaced during the run (md5 $so_after now): another make install?"
	fi
	echo "- settings: shared_buffers 4GB, work_mem 2GB, jit off; $BENCH_ROWS rows; median of ${BENCH_RUNS:-5} runs after a warm-up (fewer for slow cases)"
	echo "- noise: $(psql -X -Atq -c "SELECT bench.report_noise()")"
	echo "- ratio = median / median of the baseline case (same suite, same workers when measured so, else serial)"
	echo
	echo "#### Timings"
	echo
	psql -X -Atq -c "SELECT * FROM bench.report_times()"
	notes=$(psql -X -Atq -c "SELECT * FROM bench.report_notes()")
	[ -z "$notes" ] || printf '\nNotes:\n\n%s\n' "$notes"
	echo
	if [ "$(psql -X -Atq -c "SELECT count(*) FROM bench.results WHERE metric <> 'time'")" != 0 ]; then
		echo "#### Memory, sizes, accuracy"
		echo
		psql -X -Atq -c "SELECT * FROM bench.report_values()"
		echo
	fi
	echo "#### Targets"
	echo
	echo "Each time target is timed again, paired: case and baseline alternate (B A A B B A ...) as many"
	echo "times as the case ran; \"measured\" is the median of the per-pair ratios, the ms columns the"
	echo "medians of those runs."
	echo
	psql -X -Atq -c "SELECT * FROM bench.report_targets()"
	if [ -f test/bench/report.sql ]; then
		psql -X -Atq -f test/bench/report.sql
	fi
} >"$out/report.md"
psql -X -Atq -c "COPY (SELECT * FROM bench.results ORDER BY seq) TO STDOUT WITH (FORMAT csv, HEADER)" >"$out/results.csv"

echo
cat "$out/report.md"
echo
echo "(report in $out/report.md, every run's time in $out/results.csv)"
if [ ${#failed[@]} -gt 0 ]; then
	echo "bench: these suites stopped with an error: ${failed[*]}" >&2
	exit 1
fi
