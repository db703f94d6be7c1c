#!/usr/bin/env bash
# Build kpi for a self-built PostgreSQL out of tree and install it there:
#
#   test/build-ext.sh PREFIX DIR [TARGETS]   (default: all install)
#
# The sources are copied into DIR (with their times, so make rebuilds only
# what changed) and built with PREFIX/bin/pg_config, leaving the objects in
# src/ (PostgreSQL 15's, which a concurrent `make test` uses) alone.
set -euo pipefail

prefix=$1 ext=$2
targets=${3:-all install}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p "$ext/src"
rm -rf "$ext"/src/*.[ch] "$ext/sql" "$ext/expected"
cp -a Makefile kpi.control sql expected "$ext/"
cp -a src/*.[ch] "$ext/src/"
# shellcheck disable=SC2086
make -C "$ext" -s -j2 PG_CONFIG="$prefix/bin/pg_config" $targets >/dev/null
