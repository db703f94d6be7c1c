#!/usr/bin/env bash
# make deb: the Debian package postgresql-15-kpi builds with pg_buildext,
# carries kpi.control's version and the files where Debian's PostgreSQL 15
# looks for them, installs with apt-get, gives a working CREATE EXTENSION
# kpi, and removes cleanly.  Runs inside test/run.sh's PostgreSQL 15 cluster
# and under the lock on the system's install, which it changes: at the end
# it puts the tree's own build back ($KPI_REINSTALL).
set -uo pipefail

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; return 1; fi; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$@"; }

root=$(cd "$(dirname "$0")/../.." && pwd)
major=${PGVERSION:-15}
if [ "$major" != 15 ]; then
	echo "skip - the Debian package is for Debian's PostgreSQL 15 (this run is on $major)"
	exit 0
fi
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
version=$(git -C "$root" show HEAD:kpi.control | sed -n "s/^default_version *= *'\(.*\)'/\1/p")
package=postgresql-15-kpi
so=/usr/lib/postgresql/15/lib/kpi.so

cleanup() {
	dropdb --if-exists kpi_deb
	if dpkg -s "$package" >/dev/null 2>&1; then
		$SUDO apt-get remove -y -qq "$package" >/dev/null 2>&1
	fi
	[ -z "${KPI_REINSTALL:-}" ] || eval "$KPI_REINSTALL" >/dev/null
}
trap cleanup EXIT

out=$(make -C "$root" --no-print-directory deb 2>&1)
deb=$(ls "$root"/test/build/deb/"${package}_${version}"-*_*.deb 2>/dev/null | head -1)
check "make deb builds ${package}_${version}" '[ -n "$deb" ]' || { echo "$out" | tail -30; exit 1; }

check "the package's name and version come from kpi.control" \
	'[ "$(dpkg-deb -f "$deb" Package)" = "$package" ] && [ "$(dpkg-deb -f "$deb" Version)" = "${version}-1" ]'
check "it depends on postgresql-15" 'dpkg-deb -f "$deb" Depends | grep "postgresql-15" >/dev/null'
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
# kpi.so, kpi.control, and every install and upgrade script of HEAD (and
# the current version's, which make builds).
holds_all() {
	local f
	for f in usr/lib/postgresql/15/lib/kpi.so usr/share/postgresql/15/extension/kpi.control \
		$(git -C "$root" ls-tree --name-only HEAD sql/ | grep '^sql/kpi--' | sed 's|^sql/|usr/share/postgresql/15/extension/|') \
		"usr/share/postgresql/15/extension/kpi--$version.sql"; do
		grep -x "./$f" >/dev/null <<<"$contents" || { echo "missing: $f"; return 1; }
	done
}
check "it holds kpi.so, kpi.control and every install and upgrade script" holds_all

$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$KPI_BUILD/deb-install.log" 2>&1
installed=$?
check "apt-get install ./$(basename "$deb")" '[ $installed -eq 0 ]' || tail -20 "$KPI_BUILD/deb-install.log"
check "dpkg owns $so" '[ "$(dpkg -S "$so" 2>/dev/null | cut -d: -f1)" = "$package" ]'

# One query whose answer is computed independently, in plain SQL, beside it.
createdb kpi_deb
result=$(q kpi_deb <<'SQL'
CREATE EXTENSION kpi;
SELECT extversion FROM pg_extension WHERE extname = 'kpi';
WITH answers AS (SELECT (i * 7) % 11 AS score FROM generate_series(1, 1000) i)
SELECT kpi_nps(score) = 100.0 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) / count(*)
FROM answers;
SQL
)
check "CREATE EXTENSION kpi gives version $version" '[ "$(echo "$result" | sed -n 1p)" = "$version" ]' || echo "$result"
check "kpi_nps from the package equals the NPS computed in SQL" '[ "$(echo "$result" | sed -n 2p)" = t ]'
dropdb kpi_deb

$SUDO apt-get remove -y -qq "$package" >/dev/null 2>&1
removed=$?
check "apt-get remove $package" '[ $removed -eq 0 ] && ! dpkg -s "$package" >/dev/null 2>&1 && [ ! -e "$so" ] &&
	[ ! -e /usr/share/postgresql/15/extension/kpi.control ]'
