#!/usr/bin/env bash
# Build PostgreSQL MAJOR (default 18) from Debian's source package, with
# assertions (--enable-cassert), into a cache directory outside the clone:
#
#   test/build-pg.sh [MAJOR [release]]
#   $KPI_PG_CACHE/pg$MAJOR          (default /var/cache/kpi/pg18)
#   $KPI_PG_CACHE/pg$MAJOR-release  with "release": no assertions, for
#                                   make bench (assertions make timings
#                                   meaningless)
#
# and print that prefix on the last line of stdout.  A finished build (the
# .built marker) is reused, so only the first run on a machine pays for it
# (about 5 minutes on 2 cores).  The source is fetched with `apt-get source`
# through a private sources list under the cache (one deb-src line for
# Debian unstable), so the machine's own apt configuration and lists are
# left as they are.  Debian's registry serves source for 15 and 18 only
# (not 16, 17 or 19).
set -euo pipefail

major=${1:-18}
flavour=${2:-cassert}
cache=${KPI_PG_CACHE:-/var/cache/kpi}
case $flavour in
cassert) name=pg$major; configure_flags=(--enable-cassert --enable-debug) ;;
release) name=pg$major-release; configure_flags=() ;;
*) echo "usage: $0 [MAJOR [release]]" >&2; exit 2 ;;
esac
prefix=$cache/$name
marker=$prefix/.built
log=$cache/build-$name.log

if [ -f "$marker" ] && [ -x "$prefix/bin/pg_config" ]; then
	echo "PostgreSQL $("$prefix/bin/pg_config" --version | awk '{print $2}') ($flavour): $prefix (cached)" >&2
	echo "$prefix"
	exit 0
fi

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

# Only one build at a time per cache (CI and a developer may race).
$SUDO mkdir -p "$cache"
$SUDO chown "$(id -u):$(id -g)" "$cache"
exec 9>"$cache/.lock-$name"
flock 9
if [ -f "$marker" ]; then
	echo "$prefix"
	exit 0
fi

# What configure and the build need.
need=()
for p in build-essential bison flex libreadline-dev zlib1g-dev libicu-dev pkg-config dpkg-dev; do
	dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "installing ${need[*]}" >&2
	$SUDO apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >&2
fi

# A private apt configuration: its own sources list, lists and caches.
apt=$cache/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian unstable main" >"$apt/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$apt/sources.list"
	-o "Dir::Etc::SourceParts=$apt/parts"
	-o "Dir::State::Lists=$apt/lists"
	-o "Dir::Cache=$apt/cache"
	-o "APT::Sandbox::User=root")
src=$cache/src-pg$major
if ! ls -d "$src"/postgresql-"$major"-*/ >/dev/null 2>&1; then
	echo "fetching postgresql-$major source from Debian unstable" >&2
	apt-get "${apt_opts[@]}" -qq update >&2
	rm -rf "$src" && mkdir -p "$src"
	(cd "$src" && apt-get "${apt_opts[@]}" -qq source --download-only "postgresql-$major" >&2)
	# Upstream's tree as Debian ships it, without Debian's packaging
	# patches: they hard-wire /usr/lib/postgresql/$major/lib as pkglibdir,
	# which would put this build into the system's directories.
	(cd "$src" && dpkg-source -x --skip-patches postgresql-"$major"_*.dsc >&2)
fi
srcdir=$(ls -d "$src"/postgresql-"$major"-*/ | head -1)
echo "building $(basename "$srcdir") ($flavour) into $prefix (log: $log)" >&2

build=$cache/build-$name
rm -rf "$build" "$prefix" && mkdir -p "$build"
(
	cd "$build"
	"$srcdir/configure" --prefix="$prefix" "${configure_flags[@]}" \
		--without-readline --without-icu CFLAGS="-O2 -g"
	make -j2 -s
	make -s install
	# pg_prewarm is what `make bench` needs from contrib.
	make -s -C contrib/pg_prewarm install
) >"$log" 2>&1 || { tail -40 "$log" >&2; echo "PostgreSQL $major build failed (see $log)" >&2; exit 1; }
rm -rf "$build"
touch "$marker"
echo "PostgreSQL $("$prefix/bin/pg_config" --version | awk '{print $2}') ($flavour): $prefix" >&2
echo "$prefix"
