#!/usr/bin/env bash
# Run a command against a throwaway cluster of a self-built PostgreSQL, the
# way pg_virtualenv does for Debian's own packages (which have no cluster
# tooling for a build under /var/cache/kpi):
#
#   test/pg-cluster.sh PREFIX command [args...]
#
# initdb into a temporary directory, start the server on a free port with
# its socket in that directory, export PGHOST, PGPORT, PGUSER, PGDATABASE
# and PG_CONFIG, put PREFIX/bin first in PATH (psql, pg_dump, createdb ...
# of that major), run the command, stop the server and delete everything.
# KPI_SERVER_LOG names the server's log, for the caller to scan.
# Extra server settings can be given in KPI_PG_SETTINGS (one per line).
# Exit status: the command's.
set -euo pipefail

prefix=$1; shift
bindir=$prefix/bin

# The server refuses to run as root: run it as postgres then.
as_server=()
server_user=$(id -un)
if [ "$(id -u)" = 0 ]; then
	as_server=(runuser -u postgres --)
	server_user=postgres
fi

work=$(mktemp -d /tmp/kpi-cluster.XXXXXX)
chmod 755 "$work"
data=$work/data
log=$work/server.log
mkdir "$work/socket"
[ -z "${as_server[*]}" ] || chown postgres: "$work/socket" "$work"

stop() {
	"${as_server[@]}" "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

"${as_server[@]}" "$bindir/initdb" -D "$data" -U "$server_user" --auth=trust \
	--no-sync -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 ||
	{ cat "$work/initdb.log" >&2; exit 1; }

# A free port: the first from 55432 up that nothing listens on.
port=55432
while [ -e "/tmp/.s.PGSQL.$port" ] || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null \
	|| grep -qs "^$port\$" /tmp/kpi-cluster.*/port; do
	port=$((port + 1))
done
echo "$port" >"$work/port"

cat >>"$data/postgresql.conf" <<CONF
port = $port
listen_addresses = ''
unix_socket_directories = '$work/socket'
fsync = off
log_min_messages = warning
${KPI_PG_SETTINGS:-}
CONF
"${as_server[@]}" "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null ||
	{ cat "$log" >&2; exit 1; }

export PGHOST=$work/socket PGPORT=$port PGUSER=$server_user PGDATABASE=postgres
export PG_CONFIG=$bindir/pg_config PGVERSION=$("$bindir/pg_config" --version | sed 's/^PostgreSQL \([0-9]*\).*/\1/')
export PATH=$bindir:$PATH
export KPI_SERVER_LOG=$log
unset PGPASSWORD PGSERVICE PGSYSCONFDIR
set +e
"$@"
status=$?
exit $status
