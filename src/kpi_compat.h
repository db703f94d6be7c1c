/*
 * kpi_compat.h
 *		The few PostgreSQL macros whose spelling differs between the
 *		supported majors (15 to 18), so the rest of the code is written
 *		once, in the newest spelling, without #if.
 */
#ifndef KPI_COMPAT_H
#define KPI_COMPAT_H

#include "postgres.h"

/*
 * The varlena macros (VARSIZE, VARDATA_ANY, SET_VARSIZE ...) moved to
 * varatt.h in PostgreSQL 16, and postgres.h stopped including it in 18.
 */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * PostgreSQL 18 replaced pg_attribute_noreturn(), written after the
 * declarator, with pg_noreturn, written first (it can be C11's _Noreturn).
 * GCC and Clang take the older attribute in front of a declaration too.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

#endif							/* KPI_COMPAT_H */
