/*
 * kpi.c — the module's one PG_MODULE_MAGIC.  Each SQL-visible concept has
 * its own file: kpi_scores.c, kpi_hist.c, kpi_churn.c, kpi_change.c.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
