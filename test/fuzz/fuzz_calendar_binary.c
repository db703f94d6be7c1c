/*
 * libFuzzer harness for the kpi_calendar binary decoder (the receive
 * function and the reader of stored values): no input may crash it or read
 * past its end; an accepted input is exactly the canonical encoding of what
 * it decoded to, and passes the checks of fuzz_calendar_common.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_calendar_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a private copy, so ASan sees any read past the end */
	uint8_t    *copy = malloc(size ? size : 1);
	cal_error	err;
	cal_def    *def;

	memcpy(copy, data, size);
	def = cal_decode(copy, size, &fuzz_mem, &err);
	if (def != NULL)
	{
		uint8_t    *again = malloc(cal_encoded_size(def) + 1);

		if (cal_encoded_size(def) != size)
			abort();
		cal_encode(def, again);
		if (memcmp(again, copy, size) != 0)
			abort();
		free(again);
		check_calendar(def, data, size);
	}
	else if (err.code != CAL_CORRUPT)
		abort();
	cal_free(def, &fuzz_mem);
	free(copy);
	return 0;
}
