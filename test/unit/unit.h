/*
 * unit.h — the smallest test harness: CHECK prints "ok - name" or
 * "not ok - name" (the lines test/run.sh counts), and main returns non-zero
 * if any check failed.
 */
#ifndef KPI_UNIT_H
#define KPI_UNIT_H

#include <stdio.h>

static int	unit_failures;

#define CHECK(name, cond) \
	do { \
		if (cond) \
			printf("ok - %s\n", name); \
		else \
		{ \
			printf("not ok - %s (%s:%d: %s)\n", name, __FILE__, __LINE__, #cond); \
			unit_failures++; \
		} \
	} while (0)

#define UNIT_EXIT() return unit_failures ? 1 : 0

#endif
