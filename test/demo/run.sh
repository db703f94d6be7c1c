#!/usr/bin/env bash
# make demo: a throwaway PostgreSQL 15 cluster, a realistic support dataset,
# and the KPI report an analyst or a BI tool would read from it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${KPI_CLUSTER:-}" ]; then
	KPI_CLUSTER=1 exec pg_virtualenv -t -v 15 bash "$0" "$@"
fi
echo "Loading the demo dataset (deterministic, a few seconds)..."
psql -X -q -v ON_ERROR_STOP=1 -f "$here/dataset.sql"
psql -X -q -v ON_ERROR_STOP=1 -f "$here/report.sql"
# Sections with datasets of their own: business hours, time in status.
for section in business_hours time_in_status; do
	[ -f "$here/$section.sql" ] || continue
	psql -X -q -v ON_ERROR_STOP=1 -f "$here/$section.sql"
done
