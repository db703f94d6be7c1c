/*
 * libFuzzer harness for the kpi_hist text parser: no input may crash it or
 * read past its end, and every accepted value must round-trip exactly.
 */
#include <stdint.h>
#include <stdlib.h>

#include "hist_fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, so ASan catches any read past the end */
	char	   *text = malloc(size ? size : 1);
	char		err[256];
	size_t		hsize;
	hist	   *h;

	memcpy(text, data, size);
	err[0] = '\0';
	h = hist_from_text(text, size, &hsize, err, sizeof(err));
	if (h != NULL)
		check_accepted(h, hsize);
	else if (err[0] == '\0')
		abort();				/* every rejection gives a reason */
	hist_free(h);
	free(text);
	return 0;
}
