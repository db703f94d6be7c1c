/*
 * hist_fuzz_common.h
 *		What both kpi_hist fuzz harnesses do with a value the parser
 *		accepted: it must print and parse back to the same bytes in both
 *		forms, and every reader must walk it without error.
 */
#ifndef HIST_FUZZ_COMMON_H
#define HIST_FUZZ_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "histogram.h"

void *
hist_alloc0(size_t size)
{
	void	   *p = calloc(1, size ? size : 1);

	if (p == NULL)
		abort();
	return p;
}

void
hist_free(void *ptr)
{
	free(ptr);
}

static void
check_accepted(const hist *h, size_t size)
{
	char	   *text = hist_to_text(h, size);
	char		err[256];
	size_t		s2,
				s3,
				wlen;
	bool		badv;
	hist	   *back = hist_from_text(text, strlen(text), &s2, err, sizeof(err));
	uint8_t    *wire = hist_to_wire(h, size, &wlen);
	hist	   *back2 = hist_from_wire(wire, wlen, &s3, &badv, err, sizeof(err));
	hist	   *work,
			   *merged,
			   *packed;
	hist_status st;
	int64_t		v,
				prev = INT64_MIN;
	double		share;
	int			i;

	if (back == NULL || s2 != size || memcmp((char *) back + 4, (char *) h + 4, size - 4) != 0)
		abort();
	if (back2 == NULL || s3 != size || memcmp((char *) back2 + 4, (char *) h + 4, size - 4) != 0)
		abort();

	if (h->count > 0)
	{
		for (i = 0; i <= 20; i++)
		{
			if (!hist_percentile(h, size, i / 20.0, &v) || v < prev ||
				v < h->min || v > h->max)
				abort();
			prev = v;
		}
		if (!hist_share_within(h, size, h->min, &share) || share < 0 || share > 100)
			abort();
		v = hist_mean(h);
		if (v < h->min || v > h->max)
			abort();
	}

	/* merging with itself doubles every count, when that fits */
	work = hist_working_copy(h, size);
	if (work == NULL)
		abort();
	merged = hist_merge(work, h, size, &st);
	if (merged == NULL)
	{
		if (st != HIST_COUNT_OVERFLOW)
			abort();
	}
	else
	{
		size_t		ps;

		packed = hist_pack(merged, hist_working_size(merged), &ps);
		if (packed == NULL || packed->count != 2 * h->count ||
			packed->pending != 2 * h->pending)
			abort();
		hist_free(packed);
		if (merged != work)
			hist_free(merged);
	}
	hist_free(work);
	hist_free(text);
	hist_free(back);
	hist_free(wire);
	hist_free(back2);
}

#endif
