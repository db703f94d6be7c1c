/*
 * libFuzzer harness for the kpi_timeline binary reader (the receive
 * function): no input may crash it or read past its end; an accepted input
 * is exactly the encoding of what it decoded to, a value that checks and
 * round-trips (timeline_fuzz_common.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timeline_fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t    *copy = malloc(size ? size : 1);
	char		err[256];
	size_t		vsize;
	tl_status	st;
	tl_value   *v;

	memcpy(copy, data, size);
	err[0] = '\0';
	v = tl_from_wire(copy, size, &fuzz_mem, &vsize, &st, err, sizeof(err));
	if (v != NULL)
	{
		uint8_t    *again;

		if (tl_wire_size(v) != size)
			abort();
		again = malloc(size);
		tl_wire_write(v, again);
		if (memcmp(again, copy, size) != 0)
			abort();
		free(again);
		check_accepted(v, vsize);
		free(v);
	}
	else if (st == TL_OK || err[0] == '\0')
		abort();
	free(copy);
	return 0;
}
