#!/usr/bin/env bash
# pg_dump / restore of tables and a materialized view holding kpi values,
# in plain (psql) and custom (pg_restore) formats: every value comes back
# equal.  Runs inside test/run.sh's throwaway cluster (PGHOST/PGPORT set).
set -uo pipefail

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$@"; }

work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists kpi_dump_src; dropdb --if-exists kpi_dump_plain; dropdb --if-exists kpi_dump_custom' EXIT

createdb kpi_dump_src || { not_ok "create source database"; exit 1; }
q kpi_dump_src <<'SQL' || { not_ok "load source database"; exit 1; }
CREATE EXTENSION kpi;
CREATE TABLE answers AS
SELECT i AS id, i % 20 AS day, 1 + (i * 7) % 5 AS csat, (i * 13) % 11 AS nps
FROM generate_series(1, 5000) i;
CREATE TABLE summaries AS
SELECT day, kpi_scores(csat) AS csat, kpi_scores(nps) AS nps FROM answers GROUP BY day;
INSERT INTO summaries VALUES (-1, '{}', '{10:9223372036854775807}');
CREATE MATERIALIZED VIEW daily AS
SELECT day, kpi_scores(nps) AS nps, kpi_csat(csat) AS csat FROM answers GROUP BY day;
SQL

# Tables with a kpi_hist column too, once that type exists.
if [ "$(q kpi_dump_src -c "SELECT to_regtype('kpi_hist') IS NOT NULL")" = t ]; then
	q kpi_dump_src <<'SQL' || { not_ok "load kpi_hist values"; exit 1; }
CREATE TABLE waits AS
SELECT i % 20 AS day, kpi_hist(make_interval(secs => (i * 7919) % 86400 - 60)) AS wait
FROM generate_series(1, 5000) i GROUP BY 1;
SQL
fi

# One line per table: its rows as text, in a fixed order.
fingerprint() {
	q "$1" <<'SQL'
SELECT 'summaries ' || md5(string_agg(format('%s|%s|%s', day, csat, nps), ';' ORDER BY day)) FROM summaries;
SELECT 'daily ' || md5(string_agg(format('%s|%s|%s', day, nps, csat), ';' ORDER BY day)) FROM daily;
SELECT to_regclass('waits') IS NOT NULL AS has_waits \gset
\if :has_waits
SELECT 'waits ' || md5(string_agg(format('%s|%s', day, wait), ';' ORDER BY day)) FROM waits;
\endif
SQL
}
fingerprint kpi_dump_src >"$work/src.txt"

pg_dump -Fp kpi_dump_src >"$work/plain.sql" && createdb kpi_dump_plain &&
	psql -X -q -v ON_ERROR_STOP=1 -d kpi_dump_plain -f "$work/plain.sql" >/dev/null 2>"$work/plain.err"
[ $? -eq 0 ] && ok "plain dump restores without error" || { not_ok "plain dump restores without error"; cat "$work/plain.err"; }
fingerprint kpi_dump_plain >"$work/plain.txt"
cmp -s "$work/src.txt" "$work/plain.txt" && ok "plain dump: every value equal" || not_ok "plain dump: every value equal"

pg_dump -Fc kpi_dump_src >"$work/custom.dump" && createdb kpi_dump_custom &&
	pg_restore --exit-on-error -d kpi_dump_custom "$work/custom.dump" 2>"$work/custom.err"
[ $? -eq 0 ] && ok "custom dump restores without error" || { not_ok "custom dump restores without error"; cat "$work/custom.err"; }
fingerprint kpi_dump_custom >"$work/custom.txt"
cmp -s "$work/src.txt" "$work/custom.txt" && ok "custom dump: every value equal" || not_ok "custom dump: every value equal"

# The restored materialized view still refreshes: its aggregates came back.
q kpi_dump_custom -c "REFRESH MATERIALIZED VIEW daily" && fingerprint kpi_dump_custom >"$work/refreshed.txt" &&
	cmp -s "$work/src.txt" "$work/refreshed.txt" && ok "restored materialized view refreshes to the same values" ||
	not_ok "restored materialized view refreshes to the same values"
wc -l <"$work/src.txt" | grep -q '^[23]$' && ok "fingerprints cover every table" || not_ok "fingerprints cover every table"
