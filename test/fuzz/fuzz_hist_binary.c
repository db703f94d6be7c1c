/*
 * libFuzzer harness for the kpi_hist binary (send/recv) decoder: no input
 * may crash it or read past its end, and every accepted value must
 * round-trip exactly.
 */
#include <stdint.h>
#include <stdlib.h>

#include "hist_fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t    *buf = malloc(size ? size : 1);
	char		err[256];
	size_t		hsize;
	bool		badv;
	hist	   *h;

	memcpy(buf, data, size);
	err[0] = '\0';
	h = hist_from_wire(buf, size, &hsize, &badv, err, sizeof(err));
	if (h != NULL)
		check_accepted(h, hsize);
	else if (err[0] == '\0')
		abort();
	hist_free(h);
	free(buf);
	return 0;
}
