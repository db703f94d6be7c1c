#!/usr/bin/env bash
# Run every kpi test suite and print one closing line:
#   N passed, N failed[, N skipped]
# The SQL suites run against a throwaway cluster of PostgreSQL $KPI_PG:
#   15 (default)  Debian's packages, with pg_virtualenv; kpi is the one
#                 `make install` put into the system
#   18            built with assertions by test/build-pg.sh into
#                 /var/cache/kpi/pg18 (make test PG=18); kpi is built out of
#                 tree in test/build/pg18 and installed into that prefix,
#                 and the cluster comes from test/pg-cluster.sh
#
#   unit      test/unit/test_*.c: the plain-C cores, under ASan/UBSan
#   regress   sql/*.sql vs expected/*.out (pg_regress)
#   realdata  test/realdata: checks on the public datasets in ../shared/data
#   shell     test/sh/test_*.sh: pg_dump/restore, COPY BINARY, install as non-superuser
#   packages  test/pkg/test_*.sh: make deb (15 only) and make dist, installed
#             and checked against the run's server
#   fuzz      test/fuzz/fuzz_*.c: libFuzzer on the parsers and decoders
#             (FUZZ_SECONDS each, default 30; 5 on a major other than 15,
#             see below)
#   server    on a cassert build: the server log has no TRAP (a failed
#             Assert) and no backend terminated by a signal
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
major=${KPI_PG:-15}

# Re-run inside the cluster; print the closing line only once the cluster
# has been dropped (pg_virtualenv reports that on stdout too).
if [ -z "${KPI_CLUSTER:-}" ]; then
	summary=$(mktemp)
	if [ "$major" = 15 ]; then
		KPI_CLUSTER=1 KPI_SUMMARY=$summary pg_virtualenv -t -v 15 bash "$0" "$@"
		status=$?
	else
		# kpi built out of tree, so the PostgreSQL 15 objects in src/ that
		# a concurrent `make test` uses are left alone.
		status=1
		if prefix=$(bash test/build-pg.sh "$major" | tail -1); then
			if ! bash test/build-ext.sh "$prefix" "$root/test/build/pg$major/ext"; then
				echo "FAILED: kpi does not build or install for PostgreSQL $major"
				echo "0 passed, 1 failed" >"$summary"
			else
				KPI_CLUSTER=1 KPI_SUMMARY=$summary bash test/pg-cluster.sh "$prefix" bash "$0" "$@"
				status=$?
			fi
		else
			echo "FAILED: PostgreSQL $major could not be built (test/build-pg.sh)"
		fi
	fi
	echo
	if [ -s "$summary" ]; then cat "$summary"; else echo "0 passed, 1 failed"; status=1; fi
	rm -f "$summary"
	exit $status
fi

pg_config=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
bindir=$($pg_config --bindir)
pg_regress=$(dirname "$($pg_config --pgxs)")/../test/regress/pg_regress
# Each major has its own build directory, so a run on 18 and one on 15 can
# overlap.
if [ "$major" = 15 ]; then build=$root/test/build; else build=$root/test/build/pg$major; fi
mkdir -p "$build"
export KPI_DATA=${KPI_DATA:-$(cd "$root/../shared/data" 2>/dev/null && pwd)}
export KPI_BUILD=$build
echo "PostgreSQL: $("$bindir/postgres" --version)$([ -n "${KPI_SERVER_LOG:-}" ] && echo ", assertions $(psql -X -At -c 'SHOW debug_assertions')")"

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAILED: $*"; }
section() { echo; echo "== $*"; }

# Count "ok - name" / "not ok - name" lines of a test program's output.
count_tap() {
	local out=$1 status=$2 name=$3 ok bad
	local skip
	ok=$(grep -c '^ok - ' "$out")
	bad=$(grep -c '^not ok - ' "$out")
	skip=$(grep -c '^skip - ' "$out")
	passed=$((passed + ok))
	failed=$((failed + bad))
	skipped=$((skipped + skip))
	grep -E '^(not ok|skip) - ' "$out"
	if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then
		fail "$name exited with status $status"
		tail -20 "$out"
	elif [ "$ok" -eq 0 ] && [ "$bad" -eq 0 ] && [ "$skip" -eq 0 ]; then
		fail "$name reported no test"
	fi
	echo "$name: $ok passed, $bad failed$([ "$skip" -gt 0 ] && echo ", $skip skipped")"
}

# The C files that do not include postgres.h are the plain-C cores.  Tests
# link against an archive of them, so each takes only the objects it uses
# (a core that needs hooks, like the histogram's allocator, gets them from
# its own tests).
plain_sources=$(grep -L 'postgres\.h' src/*.c)
core_archive() {
	local cc=$1 name=$2; shift 2
	local dir=$build/$name objs=()
	rm -rf "$dir" && mkdir -p "$dir"
	for src in $plain_sources; do
		"$cc" "$@" -Isrc -c -o "$dir/$(basename "$src" .c).o" "$src" || return 1
		objs+=("$dir/$(basename "$src" .c).o")
	done
	ar rcs "$build/$name.a" "${objs[@]}"
}
unit_flags=(-std=gnu11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all)
fuzz_flags=(-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all)

section "unit tests (plain C, ASan/UBSan)"
core_archive gcc core-unit "${unit_flags[@]}" || fail "the plain-C cores do not compile"
for t in test/unit/test_*.c; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .c)
	if ! gcc "${unit_flags[@]}" -Isrc -o "$build/$name" "$t" "$build/core-unit.a" -lm; then
		fail "$name does not compile"
		continue
	fi
	"$build/$name" >"$build/$name.out" 2>&1
	count_tap "$build/$name.out" $? "$name"
done

# On 15, kpi must also compile for the other majors already built on this
# machine (an include that 15 brings in implicitly and 18 does not fails
# here, without a `make test PG=18`).
if [ "$major" = 15 ]; then
	section "compiles for the other majors built here (make test PG=N)"
	for other in "${KPI_PG_CACHE:-/var/cache/kpi}"/pg[0-9]*; do
		[ -f "$other/.built" ] || continue
		case $other in *-release) continue ;; esac
		name=$(basename "$other")
		if bash test/build-ext.sh "$other" "$build/compile-$name" all; then
			pass
			echo "kpi compiles for $("$other/bin/pg_config" --version)"
		else
			fail "kpi does not compile for $("$other/bin/pg_config" --version) ($other)"
		fi
	done
fi

# Run pg_regress on a suite and count its per-file results.
run_regress() {
	local inputdir=$1 db=$2; shift 2
	local outputdir=$build/$db
	mkdir -p "$outputdir"
	# From the output directory: pg_regress 16 and later look for
	# expected/NAME.out in the current directory before the input
	# directory, so from the top a realdata test would find the regress
	# test of the same name.
	(cd "$outputdir" && "$pg_regress" --bindir="$bindir" --inputdir="$inputdir" --outputdir="$outputdir" \
		--load-extension=kpi --dbname="$db" "$@") >"$build/$db.log" 2>&1
	local status=$?
	cat "$build/$db.log"
	local ok bad
	# "test name ... ok" up to PostgreSQL 15, TAP ("ok 1 - name") from 16.
	ok=$(grep -cE '^(test )? *[A-Za-z0-9_]+ +\.\.\. ok|^ok [0-9]+ +- ' "$build/$db.log")
	bad=$(grep -cE '^(test )? *[A-Za-z0-9_]+ +\.\.\. FAILED|^not ok [0-9]+ +- ' "$build/$db.log")
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$bad" -gt 0 ] && [ -f "$outputdir/regression.diffs" ]; then
		head -300 "$outputdir/regression.diffs"
	fi
	if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then
		fail "pg_regress in $inputdir exited with status $status"
	fi
}

section "regression tests (pg_regress)"
tests=$(for f in sql/*.sql; do b=$(basename "$f" .sql); case $b in kpi--*) ;; *) echo "$b" ;; esac; done)
# shellcheck disable=SC2086
run_regress "$root" kpi_regress $tests

section "real-data tests (../shared/data)"
data_tests=$(for f in test/realdata/sql/*.sql; do [ -e "$f" ] && basename "$f" .sql; done)
if [ -z "$data_tests" ]; then
	echo "none"
elif [ -z "$KPI_DATA" ] || [ ! -d "$KPI_DATA" ]; then
	n=$(echo "$data_tests" | wc -w)
	skipped=$((skipped + n))
	echo "skipped $n real-data tests: ../shared/data is not beside this clone (set KPI_DATA to its path)"
else
	echo "data: $KPI_DATA"
	# shellcheck disable=SC2086
	run_regress "$root/test/realdata" kpi_realdata $data_tests
fi

section "shell tests"
for t in test/sh/test_*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	bash "$t" >"$build/$name.out" 2>&1
	count_tap "$build/$name.out" $? "$name"
done

# The libFuzzer harnesses drive the plain-C cores, which are the same code
# whatever the major: the 15 run gives them their 30 s each, and another
# major runs them 5 s each, to keep .ci/run (both majors) short.
if [ "$major" = 15 ]; then : "${FUZZ_SECONDS:=30}"; else : "${FUZZ_SECONDS:=5}"; fi
section "fuzzing (libFuzzer, $FUZZ_SECONDS s each)"
core_archive clang core-fuzz "${fuzz_flags[@]}" || fail "the plain-C cores do not compile for fuzzing"
for f in test/fuzz/fuzz_*.c; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .c)
	seeds=test/fuzz/seeds/${name#fuzz_}
	corpus=$build/corpus-$name
	rm -rf "$corpus" && mkdir -p "$corpus"
	if ! clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Isrc -o "$build/$name" "$f" "$build/core-fuzz.a" -lm; then
		fail "$name does not compile"
		continue
	fi
	if "$build/$name" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		"$corpus" "$seeds" >"$build/$name.log" 2>&1; then
		pass
		echo "$name: ok ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$build/$name.log" | awk '{print $2}') runs)"
		tail -1 "$build/$name.log"
	else
		fail "$name found a crash"
		grep -A30 -E 'ERROR|SUMMARY' "$build/$name.log" | head -60
	fi
done

# The packages install kpi into the server's directories in their own way,
# so they come last, and each puts this tree's build back when done.
section "packages (test/pkg/test_*.sh: make deb, make dist)"
if [ "$major" = 15 ]; then
	sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
	export KPI_REINSTALL="$sudo make -C '$root' --no-print-directory -s install"
else
	export KPI_REINSTALL="make -C '$build/ext' --no-print-directory -s PG_CONFIG='$pg_config' install"
fi
for t in test/pkg/test_*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	bash "$t" >"$build/$name.out" 2>&1
	count_tap "$build/$name.out" $? "$name"
done

# A failed Assert or a crash is a failure even when every query of the
# suites returned what it should (it may have hit a session nobody checked).
if [ -n "${KPI_SERVER_LOG:-}" ]; then
	section "server log"
	if grep -qE 'TRAP:|terminated by signal' "$KPI_SERVER_LOG"; then
		fail "the server log shows a failed assertion or a crash"
		grep -B5 -A20 -E 'TRAP:|terminated by signal' "$KPI_SERVER_LOG" | head -80
	else
		pass
		echo "no TRAP, no backend terminated by a signal"
	fi
fi

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line" >"${KPI_SUMMARY:-/dev/stdout}"
[ "$failed" -eq 0 ]
