/*
 * libFuzzer harness for the kpi_churn_state text parser: no input may crash
 * it, and every accepted input must print and parse back to the same state,
 * with the revenue sums' spans inside the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "churn.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = malloc(size + 1);
	ChurnState	s,
				again;
	ChurnSpan	a,
				l,
				a2,
				l2;
	char		buf[CHURN_TEXT_MAX + 1];
	size_t		n;

	memcpy(text, data, size);
	text[size] = '\0';
	if (churn_parse(text, &s, &a, &l) == NULL)
	{
		if (churn_check(&s) != NULL)
			abort();
		if (s.flags & CHURN_REVENUE)
		{
			if (a.length == 0 || l.length == 0 ||
				a.offset + a.length > size || l.offset + l.length > size ||
				a.offset + a.length > l.offset)
				abort();
		}
		/* the canonical text, without the sums, must fit and read back the same */
		memset(buf, 0x7f, sizeof(buf));
		n = churn_format(&s, buf);
		if (n >= CHURN_TEXT_MAX || buf[n] != '\0' || strlen(buf) != n)
			abort();
		if (churn_parse(buf, &again, &a2, &l2) != NULL)
			abort();
		again.flags |= s.flags & CHURN_REVENUE;
		if (memcmp(&s, &again, sizeof(s)) != 0)
			abort();
	}
	free(text);
	return 0;
}
