#!/usr/bin/env bash
# Install the Debian packages kpi needs to build, test and demo, if missing.
# Usage: test/deps.sh [extra-package ...]
set -euo pipefail

packages=(postgresql-15 postgresql-server-dev-15 postgresql-common
          make gcc clang libclang-rt-14-dev "$@")

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
	as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
	as_root=(sudo)
else
	echo "kpi: these Debian packages are missing: ${missing[*]}" >&2
	echo "kpi: run 'make' as root (or with passwordless sudo) so they can be installed," >&2
	echo "     or install them yourself: apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "kpi: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
