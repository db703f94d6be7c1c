/*
 * libFuzzer harness for the kpi_timeline text reader: no input may crash it
 * or read past its length; an accepted input is a value that checks, and
 * prints and reads back to the same bytes (timeline_fuzz_common.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timeline_fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a private copy without a NUL after it, so ASan sees any overread */
	char	   *text = malloc(size ? size : 1);
	char		err[256];
	size_t		vsize;
	tl_status	st;
	tl_value   *v;

	memcpy(text, data, size);
	err[0] = '\0';
	v = tl_from_text(text, size, &fuzz_mem, &vsize, &st, err, sizeof(err));
	if (v != NULL)
	{
		check_accepted(v, vsize);
		free(v);
	}
	else if (st == TL_OK || err[0] == '\0')
		abort();
	free(text);
	return 0;
}
