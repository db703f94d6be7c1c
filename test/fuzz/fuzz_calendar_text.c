/*
 * libFuzzer harness for the kpi_calendar text parser: no input may crash it
 * or read past its end; every rejection names its reason; every accepted
 * calendar prints to a canonical text that parses back to the same
 * calendar (see fuzz_calendar_common.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_calendar_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so ASan catches any read past the end */
	char	   *text = malloc(size ? size : 1);
	cal_error	err;
	cal_def    *def;

	memcpy(text, data, size);
	def = cal_parse(text, size, &fuzz_mem, &err);
	if (def != NULL)
		check_calendar(def, data, size);
	else if (err.code == CAL_OK || err.code == CAL_NO_MEMORY || err.message[0] == '\0')
		abort();
	cal_free(def, &fuzz_mem);
	free(text);
	return 0;
}
