/*
 * libFuzzer harness for the kpi_churn_state binary decoder (the receive
 * function): no input may crash it or read past its end; an accepted input
 * starts with the canonical encoding of what it decoded to, and its revenue
 * sums' spans lie inside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "churn.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a private copy, so ASan sees any read past the end */
	uint8_t    *copy = malloc(size ? size : 1);
	ChurnState	s;
	ChurnSpan	a,
				l;
	uint8_t		again[CHURN_BINARY_FIXED];

	memcpy(copy, data, size);
	if (churn_decode(copy, size, &s, &a, &l) == NULL)
	{
		if (churn_check(&s) != NULL || size < CHURN_BINARY_FIXED)
			abort();
		churn_encode(&s, again);
		if (memcmp(again, copy, CHURN_BINARY_FIXED) != 0)
			abort();
		if (s.flags & CHURN_REVENUE)
		{
			if (a.offset + a.length > size || l.offset + l.length > size ||
				l.offset + l.length != size || a.length < 8 || l.length < 8)
				abort();
		}
		else if (size != CHURN_BINARY_FIXED)
			abort();
	}
	free(copy);
	return 0;
}
