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
 * PostgreSQL 18 replaced pg_attribute_noreturn(), written after the
 * declarator, with pg_noreturn, written first (it can be C11's _Noreturn).
 * GCC and Clang take the older attribute in front of a declaration too.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

#endif							/* KPI_COMPAT_H */
