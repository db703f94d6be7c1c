/*
 * libFuzzer harness for the kpi_scores text parser: no input may crash it,
 * and every accepted input must print and parse back to the same counts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scores.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size + 1);
	ScoreCounts c,
				again;
	char		buf[SCORES_TEXT_MAX];

	memcpy(text, data, size);
	text[size] = '\0';
	if (scores_parse(text, &c) == NULL)
	{
		scores_format(&c, buf);
		if (scores_parse(buf, &again) != NULL || memcmp(&c, &again, sizeof(c)) != 0)
			abort();
	}
	free(text);
	return 0;
}
