/*
 * timeline_fuzz_common.h
 *		What both kpi_timeline fuzz harnesses do with a value a reader
 *		accepted: it must pass tl_check, print and read back to the same
 *		bytes in both forms, and every reading must walk it.
 */
#ifndef TIMELINE_FUZZ_COMMON_H
#define TIMELINE_FUZZ_COMMON_H

#include <stdlib.h>
#include <string.h>

#include "timeline.h"

static void *
fuzz_alloc(void *ctx, size_t size)
{
	void	   *p = malloc(size ? size : 1);

	(void) ctx;
	if (p == NULL)
		abort();
	return p;
}

static void
fuzz_free(void *ctx, void *p)
{
	(void) ctx;
	free(p);
}

static const tl_mem fuzz_mem = {fuzz_alloc, fuzz_free, NULL};

static bool
same_value(const tl_value *a, const tl_value *b)
{
	size_t		sa = tl_packed_size(a);

	return sa == tl_packed_size(b) &&
		memcmp((const char *) a + 4, (const char *) b + 4, sa - 4) == 0;
}

static void
check_accepted(const tl_value *v, size_t size)
{
	tl_status	st;
	size_t		tlen,
				wlen,
				s2;
	char	   *text,
				err[256];
	uint8_t    *wire;
	tl_value   *back,
			   *merged;
	tl_iter		it;
	uint32_t	code,
				entries = 0;
	int64_t		entered,
				left,
				at,
				t;
	bool		has_left;

	if (size != tl_packed_size(v) || tl_check(v, size) != NULL)
		abort();

	tlen = tl_text_size(v, &st);
	if (st != TL_OK)
		abort();
	text = malloc(tlen + 1);
	tl_text_write(v, text);
	if (strlen(text) != tlen)
		abort();
	back = tl_from_text(text, tlen, &fuzz_mem, &s2, &st, err, sizeof(err));
	if (back == NULL || !same_value(back, v))
		abort();
	free(back);
	free(text);

	wlen = tl_wire_size(v);
	wire = malloc(wlen);
	tl_wire_write(v, wire);
	back = tl_from_wire(wire, wlen, &fuzz_mem, &s2, &st, err, sizeof(err));
	if (back == NULL || !same_value(back, v))
		abort();
	free(back);
	free(wire);

	/* the union with itself is itself */
	merged = tl_merge(v, v, &fuzz_mem, &s2, &st);
	if (merged == NULL || !same_value(merged, v))
		abort();
	free(merged);

	/* one status at a time: its entries are its intervals */
	for (uint32_t i = 0; i < v->nstatuses && i < 64; i++)
	{
		tl_set		set;
		size_t		len;
		const char *s = tl_status_text(v, i, &len);
		uint32_t	count = 0;

		if (!tl_set_init(&set, v, &fuzz_mem, &st) || !tl_set_add(&set, v, s, len))
			abort();
		tl_iter_init(&it, v);
		while (tl_iter_next(&it, &code, &entered, &has_left, &left))
			count += code == i;
		if (tl_entries(v, &set) != count || count == 0 ||
			!tl_first_at(v, &set, &at) || !tl_last_at(v, &set, &t) || t < at)
			abort();
		(void) tl_time_in(v, &set, false, 0, NULL, NULL, &t);
		(void) tl_time_in(v, &set, true, at, NULL, NULL, &t);
		entries += count;
		tl_set_free(&set, &fuzz_mem);
	}
	if (v->nchanges > 0)
	{
		if (tl_status_at(v, tl_at(v)[0] - 1) != -1 ||
			tl_status_at(v, tl_at(v)[v->nchanges - 1]) != tl_code(v)[v->nchanges - 1])
			abort();
	}
	(void) entries;
}

#endif
