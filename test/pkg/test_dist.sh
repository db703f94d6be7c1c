#!/usr/bin/env bash
# make dist: the PGXN release zip holds one directory kpi-VERSION/ with a
# META.json that PGXN accepts (the fields it requires, versions equal to
# kpi.control's), and `pgxn install` and `pgxn check` (make installcheck)
# pass on it from a clean directory, against this run's server.  Installing
# replaces the tree's own build in that server's directories: the end puts
# it back ($KPI_REINSTALL).
set -uo pipefail

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1"; return 1; fi; }

root=$(cd "$(dirname "$0")/../.." && pwd)
pg_config=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
version=$(git -C "$root" show HEAD:kpi.control | sed -n "s/^default_version *= *'\(.*\)'/\1/p")
# PGXN versions are semantic versions: 1.1 is 1.1.0.
semver=$version
[ "$(echo "$version" | tr -cd . | wc -c)" -ge 2 ] || semver=$version.0
work=$(mktemp -d)
trap 'cd /; rm -rf "$work"; [ -z "${KPI_REINSTALL:-}" ] || eval "$KPI_REINSTALL" >/dev/null' EXIT

bash "$root/test/deps.sh" pgxnclient unzip || { not_ok "install pgxnclient and unzip"; exit 1; }
out=$(make -C "$root" --no-print-directory dist 2>&1)
zip=$root/kpi-$semver.zip
check "make dist writes kpi-$semver.zip" '[ -f "$zip" ]' || { echo "$out"; exit 1; }
check "every file of the zip is under kpi-$semver/" \
	'[ -z "$(unzip -Z1 "$zip" | grep -v "^kpi-$semver/")" ]'

unzip -q -p "$zip" "kpi-$semver/META.json" >"$work/META.json"
check "META.json has what PGXN requires, at version $semver, PostgreSQL >= 15" "python3 - '$work/META.json' '$semver' <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
v = sys.argv[2]
for k in ('name', 'abstract', 'version', 'maintainer', 'license', 'provides', 'meta-spec'):
    assert k in m, k
assert m['name'] == 'kpi' and m['version'] == v, m['version']
assert m['provides']['kpi']['version'] == v and m['provides']['kpi']['file']
assert m['prereqs']['runtime']['requires']['PostgreSQL'] == '15.0.0'
assert m['meta-spec']['version'] == '1.0.0'
assert m['resources']
PY"
prov=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['provides']['kpi']['file'])" "$work/META.json")
check "the file META.json names for kpi ($prov) is in the zip" 'unzip -Z1 "$zip" | grep -x "kpi-$semver/$prov" >/dev/null'

# From a clean directory, as PGXN's client does it: unpack, make, install,
# then make installcheck against the running server.
cd "$work"
if pgxn install --nosudo --make make --pg_config "$pg_config" "$zip" >"$work/install.log" 2>&1; then
	ok "pgxn install kpi-$semver.zip builds and installs"
else
	not_ok "pgxn install kpi-$semver.zip builds and installs"
	tail -30 "$work/install.log"
	exit 1
fi
if pgxn check --make make --pg_config "$pg_config" "$zip" >"$work/check.log" 2>&1; then
	ok "pgxn check (make installcheck) on kpi-$semver.zip passes"
else
	not_ok "pgxn check (make installcheck) on kpi-$semver.zip passes"
	tail -40 "$work/check.log"
	[ -f "$work/regression.diffs" ] && head -100 "$work/regression.diffs"
fi
