#!/usr/bin/env bash
# make load: 8 clients for 60 s on a throwaway cluster with the shipped
# max_connections and work_mem, mixing the writes of a help desk and a survey
# tool with the reads of BI dashboards (test/load/*.sql).  Reports tps per
# script, errors (aborted clients or failed transactions: must be 0) and
# each backend's private memory (RssAnon) early in the run and at its end,
# which must stay flat.
#
#   LOAD_SECONDS  (default 60)   LOAD_CLIENTS  (default 8)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${KPI_LOAD_CLUSTER:-}" ]; then
	KPI_LOAD_CLUSTER=1 exec pg_virtualenv -t -v 15 bash "$0" "$@"
fi
seconds=${LOAD_SECONDS:-60}
clients=${LOAD_CLIENTS:-8}
out=$(cd "$here/.." && pwd)/build/load
rm -rf "$out" && mkdir -p "$out"
db=kpi_load

createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$here/setup.sql" >/dev/null || exit 1
echo "max_connections $(psql -X -At -c 'SHOW max_connections'), work_mem $(psql -X -At -c 'SHOW work_mem'); $clients clients for $seconds s"

# private memory of each pgbench backend, in kB
rss() {
	psql -X -At -d "$db" -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'pgbench' ORDER BY pid" |
		while read -r pid; do
			echo "$pid $(awk '/^RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null)"
		done
}

pgbench -n -c "$clients" -j 2 -T "$seconds" -P 10 \
	-f "$here/new_ticket.sql@40" -f "$here/new_survey.sql@20" -f "$here/monthly.sql@10" \
	-f "$here/raw.sql@10" -f "$here/rolling.sql@10" -f "$here/refresh.sql@1" "$db" >"$out/pgbench.log" 2>&1 &
bench=$!
# private memory every tenth of the run; early = after the first sixth
for i in 1 2 3 4 5 6 7 8 9; do
	sleep $((seconds / 10)); rss >"$out/rss_$i"
done
cp "$out/rss_2" "$out/rss_start"; cp "$out/rss_9" "$out/rss_end"
wait $bench
status=$?

echo
echo "| script | weight | transactions | tps | latency avg (ms) |"
echo "|---|---|---|---|---|"
awk '/^SQL script [0-9]+:/ { name = $4; sub(".*/", "", name) }
     /^ - weight: / { weight = $3 }
     /^ - [0-9]+ transactions/ { tx = $2; tps = $NF; sub(/\)/, "", tps) }
     /^ - latency average = / { printf "| %s | %s | %s | %.1f | %s |\n", name, weight, tx, tps, $5 }' "$out/pgbench.log"
failed=$(awk '/^number of failed transactions/ {print $5}' "$out/pgbench.log")
aborted=$(grep -c 'aborted' "$out/pgbench.log")
grep -E '^(tps|number of transactions actually|number of failed)' "$out/pgbench.log"
echo
echo "| backend | RssAnon early (kB) | RssAnon at end (kB) | growth (kB) |"
echo "|---|---|---|---|"
join "$out/rss_start" "$out/rss_end" | awk '{ printf "| %s | %s | %s | %d |\n", $1, $2, $3, $3 - $2; if ($3 - $2 > max) max = $3 - $2 }
	END { print ""; print "largest growth: " max + 0 " kB" > "/dev/stderr" }' 2>"$out/growth"
cat "$out/growth"
growth=$(awk '{print $3}' "$out/growth")

errors=$(( ${failed:-0} + aborted ))
echo "errors: $errors"
echo "(pgbench's output and the memory samples: $out)"
# A backend's private memory may grow by plan caches and catalog caches; a
# leak per transaction grows it by megabytes over a minute.
[ "$status" -eq 0 ] && [ "$errors" -eq 0 ] && [ "${growth:-0}" -lt 4096 ]
