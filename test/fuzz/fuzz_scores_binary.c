/*
 * libFuzzer harness for the kpi_scores binary decoder (the receive
 * function): no input may crash it or read past its end, and an accepted
 * input is exactly the canonical encoding of what it decoded to.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scores.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a private copy, so ASan sees any read past the end */
	uint8_t    *copy = malloc(size ? size : 1);
	ScoreCounts c;
	uint8_t		again[SCORES_BINARY_SIZE];

	memcpy(copy, data, size);
	if (scores_decode(copy, size, &c) == NULL)
	{
		scores_encode(&c, again);
		if (size != SCORES_BINARY_SIZE || memcmp(again, copy, size) != 0)
			abort();
	}
	free(copy);
	return 0;
}
