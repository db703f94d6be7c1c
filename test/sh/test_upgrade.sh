#!/usr/bin/env bash
# ALTER EXTENSION kpi UPDATE from 1.0 to the current version: values of
# every type stored under 1.0 read back unchanged (as text and in binary),
# the aggregates of a materialized view still refresh, and the updated
# database is the same as a fresh install of the current version (pg_dump
# --schema-only, and pg_dump --binary-upgrade, which dumps every member of
# the extension one by one).  Objects that later versions add are covered
# without changing this file: the comparison is of whole dumps.  Runs inside
# test/run.sh's throwaway cluster (PGHOST/PGPORT set).
set -uo pipefail

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; return 1; fi; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$@"; }

work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists kpi_upgrade_old; dropdb --if-exists kpi_upgrade_new' EXIT
dropdb --if-exists kpi_upgrade_old && dropdb --if-exists kpi_upgrade_new || exit 1

current=$(q postgres -c "SELECT default_version FROM pg_available_extensions WHERE name = 'kpi'")
[ -n "$current" ] && [ "$current" != 1.0 ] || { not_ok "kpi has a version after 1.0 (default_version '$current')"; exit 1; }

# Values of every type kpi 1.0 creates, built by its aggregates and read
# from its text forms, edge cases included; the same statements make the
# fresh database, so the two schema dumps can be compared.
setup_sql=$(cat <<'SQL'
SET TimeZone = 'UTC';
CREATE TABLE upgrade_answers AS
SELECT i AS id, i % 7 AS day, 1 + (i * 7) % 5 AS csat, (i * 13) % 11 AS nps,
       timestamptz '2024-03-01 00:00+00' + i * interval '37 minutes' AS created_at,
       CASE WHEN i % 9 <> 0 THEN timestamptz '2024-03-01 00:00+00' + i * interval '37 minutes'
                                 + ((i * 7919) % 86400) * interval '1 second' END AS replied_at,
       (enum_range(NULL::kpi_satisfaction))[1 + i % 5] AS feeling,
       date '2023-01-01' + (i * 3) % 700 AS since,
       CASE WHEN i % 4 = 0 THEN date '2023-01-01' + (i * 3) % 700 + i % 400 END AS until,
       (i % 50)::numeric + 0.25 AS mrr
FROM generate_series(1, 3000) i;
CREATE TABLE upgrade_values (id int PRIMARY KEY, scores kpi_scores, hist kpi_hist,
                             churn kpi_churn_state, feeling kpi_satisfaction);
INSERT INTO upgrade_values (id, scores, hist, feeling)
SELECT day, kpi_scores(nps), kpi_hist(created_at, replied_at), min(feeling)
FROM upgrade_answers GROUP BY day;
INSERT INTO upgrade_values (id, scores, hist) VALUES
  (100, '{}', NULL), (101, '{10:9223372036854775807}', NULL), (102, '{0:1,5:2,10:3}', NULL);
INSERT INTO upgrade_values (id, hist)
SELECT 200, kpi_hist(d) FROM (VALUES (interval '0'), ('-5 seconds'), ('1 microsecond'), ('3 days'), ('4000 years')) v(d);
INSERT INTO upgrade_values (id, hist) SELECT 201, kpi_hist(d) FROM (SELECT NULL::interval WHERE false) v(d);
CREATE AGGREGATE upgrade_churn_state(date, date, daterange) (SFUNC = kpi_churn_accum, STYPE = kpi_churn_state);
CREATE AGGREGATE upgrade_revenue_state(date, date, daterange, numeric) (SFUNC = kpi_revenue_churn_accum, STYPE = kpi_churn_state);
INSERT INTO upgrade_values (id, churn)
SELECT 300, upgrade_churn_state(since, until, daterange('2024-01-01', '2024-04-01')) FROM upgrade_answers
UNION ALL
SELECT 301, upgrade_revenue_state(since, until, daterange('2024-01-01', '2024-04-01'), mrr) FROM upgrade_answers;
INSERT INTO upgrade_values (id, churn) VALUES
  (302, 'v1 timestamptz [4714-11-24 00:00:00+00 BC,294276-12-31 23:59:59.999999+00] active=2 lost=1'),
  (303, 'v1 date [2024-01-01,2024-02-01) active=4 lost=1 active_mrr=100.50 lost_mrr=0.50');
CREATE MATERIALIZED VIEW upgrade_daily AS
SELECT day, kpi_scores(nps) AS nps, kpi_csat(csat) AS csat, kpi_csat(feeling) AS feeling_csat,
       kpi_hist(created_at, replied_at) AS wait, kpi_avg_wait(created_at, replied_at) AS avg_wait,
       kpi_churn(since, until, daterange('2024-01-01', '2024-04-01')) AS churn,
       kpi_revenue_churn(since, until, daterange('2024-01-01', '2024-04-01'), mrr) AS revenue_churn
FROM upgrade_answers GROUP BY day;
SQL
)

# Every row of both tables as text, and as the binary send form.
fingerprint() {
	q "$1" <<'SQL'
SET TimeZone = 'UTC';
SELECT format('%s|%s|%s|%s|%s', id, scores, hist, churn, feeling) FROM upgrade_values ORDER BY id;
SELECT format('%s|%s|%s|%s', id, kpi_scores_send(scores), kpi_hist_send(hist), kpi_churn_state_send(churn))
FROM upgrade_values ORDER BY id;
SELECT format('%s|%s|%s|%s|%s|%s|%s|%s', day, nps, csat, feeling_csat, wait, avg_wait, churn, revenue_churn)
FROM upgrade_daily ORDER BY day;
SQL
}

createdb kpi_upgrade_old &&
	q kpi_upgrade_old -c "CREATE EXTENSION kpi VERSION '1.0'" &&
	q kpi_upgrade_old -c "$setup_sql" >/dev/null
status=$?
check "kpi 1.0 installs and stores values of its types" "[ $status -eq 0 ]"

# The samples cover every type that kpi 1.0 creates (base types and enums):
# a type added to 1.0's script without a sample here fails this check.
q kpi_upgrade_old >"$work/missing.txt" <<'SQL'
SELECT t.typname FROM pg_type t
JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
JOIN pg_extension e ON d.refobjid = e.oid AND e.extname = 'kpi'
WHERE t.typtype IN ('b', 'e', 'd', 'r', 'c') AND t.typelem = 0
  AND NOT EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = 'upgrade_values'::regclass AND a.atttypid = t.oid)
ORDER BY 1;
SQL
check "the stored values cover every type of kpi 1.0" "[ ! -s '$work/missing.txt' ]" || cat "$work/missing.txt"
check "the stored values are not empty" \
	"[ \"\$(q kpi_upgrade_old -c 'SELECT count(*) FILTER (WHERE scores IS NOT NULL) > 5 AND count(hist) > 5 AND count(churn) = 4 AND count(feeling) > 5 FROM upgrade_values')\" = t ]"

fingerprint kpi_upgrade_old >"$work/before.txt"
q kpi_upgrade_old -c "ALTER EXTENSION kpi UPDATE" 2>"$work/update.err"
check "ALTER EXTENSION kpi UPDATE runs without error" "[ ! -s '$work/update.err' ]" || cat "$work/update.err"
check "the updated extension is at version $current" \
	"[ \"\$(q kpi_upgrade_old -c \"SELECT extversion FROM pg_extension WHERE extname = 'kpi'\")\" = '$current' ]"

fingerprint kpi_upgrade_old >"$work/after.txt"
check "every stored value reads back unchanged after the update" "cmp -s '$work/before.txt' '$work/after.txt'" ||
	diff "$work/before.txt" "$work/after.txt" | head -20
check "the fingerprint covers every stored row" "[ \"\$(wc -l <'$work/before.txt')\" -gt 30 ]"
q kpi_upgrade_old -c "REFRESH MATERIALIZED VIEW upgrade_daily" && fingerprint kpi_upgrade_old >"$work/refreshed.txt"
check "the materialized view refreshes to the same values after the update" "cmp -s '$work/before.txt' '$work/refreshed.txt'"

createdb kpi_upgrade_new &&
	q kpi_upgrade_new -c "CREATE EXTENSION kpi" &&
	q kpi_upgrade_new -c "$setup_sql" >/dev/null
status=$?
check "kpi $current installs fresh and stores the same values" "[ $status -eq 0 ]"
fingerprint kpi_upgrade_new >"$work/fresh.txt"
check "a fresh install stores the same values as the updated one" \
	"[ -s '$work/fresh.txt' ] && cmp -s '$work/after.txt' '$work/fresh.txt'"

# What differs between any two databases: the dumps' random \restrict
# keys, and in binary-upgrade dumps OIDs and transaction ids.
normalise() {
	grep -vE "binary_upgrade_set_next_|relfrozenxid|^WHERE oid = '[0-9]+';\$|^-- Dumped (from|by)|^\\\\(un)?restrict " |
		sed 's/kpi_upgrade_\(old\|new\)/kpi_upgrade_db/g'
}
pg_dump --schema-only kpi_upgrade_old | normalise >"$work/old.sql"
pg_dump --schema-only kpi_upgrade_new | normalise >"$work/new.sql"
check "pg_dump --schema-only: the updated database equals a fresh install" "cmp -s '$work/old.sql' '$work/new.sql'" ||
	diff "$work/old.sql" "$work/new.sql" | head -40
pg_dump --schema-only --binary-upgrade kpi_upgrade_old | normalise >"$work/old-members.sql"
pg_dump --schema-only --binary-upgrade kpi_upgrade_new | normalise >"$work/new-members.sql"
check "pg_dump --binary-upgrade: every extension member equals a fresh install's" \
	"cmp -s '$work/old-members.sql' '$work/new-members.sql'" ||
	diff "$work/old-members.sql" "$work/new-members.sql" | head -40
check "the binary-upgrade dump lists the extension's members" \
	"[ \"\$(grep -c '^ALTER EXTENSION kpi ADD' '$work/new-members.sql')\" -gt 100 ]"
