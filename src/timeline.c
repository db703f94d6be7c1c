/*
 * timeline.c
 *		kpi_timeline: building (the WORKING layout), packing, merging and
 *		reading.  Plain C: see timeline.h for the semantics and layouts.
 */
#include <string.h>

#include "timeline.h"

#define INITIAL_CHANGES		8
#define INITIAL_STATUSES	8
#define INITIAL_STRBYTES	48
#define MIN_HASH_BITS		3

/*
 * A WORKING value with this many changes or more is sorted and collapsed
 * before it grows, so merging many overlapping timelines keeps it as small
 * as their union (small ones just grow: sorting them would cost more than
 * the bytes it saves).
 */
#define COMPACT_MIN_CHANGES 64

const char *
tl_status_message(tl_status st)
{
	switch (st)
	{
		case TL_OK:
			return "No error.";
		case TL_NO_MEMORY:
			return "Out of memory.";
		case TL_TOO_MANY_STATUSES:
			return "A timeline holds at most 65535 distinct statuses.";
		case TL_TOO_BIG:
			return "The timeline would be larger than 1 GB.";
		case TL_BAD_TIME:
			return "An instant is outside the finite range of timestamptz.";
		case TL_BAD_STATUS:
			return "A status contains a NUL byte.";
		case TL_SYNTAX:
			return "Malformed text.";
		case TL_CORRUPT:
			return "Malformed binary data.";
		case TL_BAD_VERSION:
			return "Unknown format version.";
		case TL_OVERFLOW:
			return "The time does not fit in 64 bits.";
	}
	return "Unknown error.";
}

/* ---------- WORKING layout ---------- */

static size_t
work_size_of(uint32_t cap_changes, uint32_t cap_statuses, uint32_t cap_strbytes,
			 int hash_bits)
{
	return TL_WORK_HEADER_SIZE + (size_t) cap_changes * 10 +
		(size_t) cap_statuses * 4 + ((size_t) 2 << hash_bits) + cap_strbytes;
}

size_t
tl_work_size(const tl_work *w)
{
	return work_size_of(w->cap_changes, w->cap_statuses, w->cap_strbytes,
						w->hash_bits);
}

static inline int64_t *
work_at(tl_work *w)
{
	return (int64_t *) ((char *) w + TL_WORK_HEADER_SIZE);
}

static inline uint32_t *
work_str_end(tl_work *w)
{
	return (uint32_t *) (work_at(w) + w->cap_changes);
}

static inline uint16_t *
work_code(tl_work *w)
{
	return (uint16_t *) (work_str_end(w) + w->cap_statuses);
}

static inline uint16_t *
work_hash(tl_work *w)
{
	return work_code(w) + w->cap_changes;
}

static inline char *
work_str(tl_work *w)
{
	return (char *) (work_hash(w) + ((size_t) 1 << w->hash_bits));
}

void
tl_view_of(const tl_value *v, tl_view *view)
{
	view->nchanges = v->nchanges;
	view->nstatuses = v->nstatuses;
	if (v->layout == TL_WORKING)
	{
		tl_work    *w = (tl_work *) v;	/* read only below */

		view->at = work_at(w);
		view->code = work_code(w);
		view->str_end = work_str_end(w);
		view->str = work_str(w);
	}
	else
	{
		view->at = tl_at(v);
		view->code = tl_code(v);
		view->str_end = tl_str_end(v);
		view->str = tl_str(v);
	}
}

static inline const char *
view_status(const tl_view *view, uint32_t i, size_t *len)
{
	uint32_t	start = i == 0 ? 0 : view->str_end[i - 1];

	*len = view->str_end[i] - start;
	return view->str + start;
}

/* FNV-1a: statuses are short, and this is one multiply a byte. */
static inline uint32_t
hash_bytes(const char *s, size_t len)
{
	uint32_t	h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t) s[i]) * 16777619u;
	return h;
}

/*
 * The slot of status s in w's hash index: the one holding it, or the empty
 * one where it would go.  There is always an empty slot (twice as many
 * slots as statuses).
 */
static uint32_t
work_slot(tl_work *w, const char *s, size_t len, uint32_t h)
{
	uint16_t   *hash = work_hash(w);
	uint32_t	mask = ((uint32_t) 1 << w->hash_bits) - 1;
	uint32_t	slot = h & mask;
	const uint32_t *end = work_str_end(w);
	const char *str = work_str(w);

	for (;;)
	{
		uint32_t	e = hash[slot];

		if (e == 0)
			return slot;
		else
		{
			uint32_t	i = e - 1;
			uint32_t	start = i == 0 ? 0 : end[i - 1];

			if (end[i] - start == len && memcmp(str + start, s, len) == 0)
				return slot;
		}
		slot = (slot + 1) & mask;
	}
}

static int
hash_bits_for(uint32_t cap_statuses)
{
	int			bits = MIN_HASH_BITS;

	while (((uint32_t) 1 << bits) < 2 * cap_statuses)
		bits++;
	return bits;
}

/*
 * A copy of w (NULL: a new empty value) with at least the given capacities.
 */
static tl_work *
work_alloc(const tl_work *w, uint32_t cap_changes, uint32_t cap_statuses,
		   uint32_t cap_strbytes, const tl_mem *mem, tl_status *st)
{
	int			bits = hash_bits_for(cap_statuses);
	size_t		size = work_size_of(cap_changes, cap_statuses, cap_strbytes, bits);
	tl_work    *n;

	if (size > TL_MAX_SIZE)
	{
		*st = TL_TOO_BIG;
		return NULL;
	}
	n = mem->alloc(mem->ctx, size);
	if (n == NULL)
	{
		*st = TL_NO_MEMORY;
		return NULL;
	}
	memset(n, 0, TL_WORK_HEADER_SIZE);
	n->head.version = TL_VERSION;
	n->head.layout = TL_WORKING;
	n->cap_changes = cap_changes;
	n->cap_statuses = (uint16_t) cap_statuses;
	n->cap_strbytes = cap_strbytes;
	n->hash_bits = (uint8_t) bits;
	memset(work_hash(n), 0, (size_t) 2 << bits);
	if (w != NULL)
	{
		tl_work    *old = (tl_work *) w;	/* read only */
		uint32_t	k = w->head.nstatuses;

		n->head.nstatuses = w->head.nstatuses;
		n->head.nchanges = w->head.nchanges;
		n->head.strbytes = w->head.strbytes;
		memcpy(work_at(n), work_at(old), (size_t) w->head.nchanges * 8);
		memcpy(work_code(n), work_code(old), (size_t) w->head.nchanges * 2);
		memcpy(work_str_end(n), work_str_end(old), (size_t) k * 4);
		memcpy(work_str(n), work_str(old), w->head.strbytes);
		if (bits == w->hash_bits)
			memcpy(work_hash(n), work_hash(old), (size_t) 2 << bits);
		else
		{
			uint16_t   *hash = work_hash(n);
			tl_view		view;

			tl_view_of(&n->head, &view);
			for (uint32_t i = 0; i < k; i++)
			{
				size_t		len;
				const char *s = view_status(&view, i, &len);

				hash[work_slot(n, s, len, hash_bytes(s, len))] = (uint16_t) (i + 1);
			}
		}
	}
	*st = TL_OK;
	return n;
}

tl_work *
tl_work_new(const tl_mem *mem, tl_status *st)
{
	return work_alloc(NULL, INITIAL_CHANGES, INITIAL_STATUSES, INITIAL_STRBYTES,
					  mem, st);
}

/* Twice cap, at least need and at most max; need <= max. */
static uint32_t
grow_to(uint32_t cap, uint64_t need, uint64_t max)
{
	uint64_t	c = (uint64_t) cap * 2;

	if (c < need)
		c = need;
	if (c > max)
		c = max;
	return (uint32_t) c;
}

/*
 * w with room for need_changes changes, need_statuses statuses and
 * need_strbytes bytes of text: w itself or a larger copy.  Tries doubling
 * first, and the exact need if doubling would pass TL_MAX_SIZE.
 */
static tl_work *
work_reserve(tl_work *w, uint64_t need_changes, uint64_t need_statuses,
			 uint64_t need_strbytes, const tl_mem *mem, tl_status *st)
{
	uint32_t	cc,
				cs,
				cb;
	tl_work    *n;

	if (need_changes <= w->cap_changes && need_statuses <= w->cap_statuses &&
		need_strbytes <= w->cap_strbytes)
	{
		*st = TL_OK;
		return w;
	}
	if (need_statuses > TL_MAX_STATUSES)
	{
		*st = TL_TOO_MANY_STATUSES;
		return NULL;
	}
	if (need_changes > TL_MAX_SIZE || need_strbytes > TL_MAX_SIZE)
	{
		*st = TL_TOO_BIG;
		return NULL;
	}
	cc = need_changes <= w->cap_changes ? w->cap_changes :
		grow_to(w->cap_changes, need_changes, TL_MAX_SIZE);
	cs = need_statuses <= w->cap_statuses ? w->cap_statuses :
		grow_to(w->cap_statuses, need_statuses, TL_MAX_STATUSES);
	cb = need_strbytes <= w->cap_strbytes ? w->cap_strbytes :
		grow_to(w->cap_strbytes, need_strbytes, TL_MAX_SIZE);
	if (work_size_of(cc, cs, cb, hash_bits_for(cs)) > TL_MAX_SIZE)
	{
		cc = need_changes > w->cap_changes ? (uint32_t) need_changes : w->cap_changes;
		cs = need_statuses > w->cap_statuses ? (uint32_t) need_statuses : w->cap_statuses;
		cb = need_strbytes > w->cap_strbytes ? (uint32_t) need_strbytes : w->cap_strbytes;
	}
	n = work_alloc(w, cc, cs, cb, mem, st);
	return n;
}

/* ---------- sorting ---------- */

/* A change as the sorts see it: instant, then a status key. */
typedef struct tl_pair
{
	int64_t		at;
	uint32_t	key;
} tl_pair;

static inline bool
pair_less(const tl_pair *a, const tl_pair *b)
{
	return a->at < b->at || (a->at == b->at && a->key < b->key);
}

static void
insertion_sort_pairs(tl_pair *a, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		tl_pair		x = a[i];
		size_t		j = i;

		while (j > 0 && pair_less(&x, &a[j - 1]))
		{
			a[j] = a[j - 1];
			j--;
		}
		a[j] = x;
	}
}

/* Merge sort of a[0..n) with tmp[0..n) as room. */
static void
merge_sort_pairs(tl_pair *a, tl_pair *tmp, size_t n)
{
	size_t		half = n / 2,
				i = 0,
				j = half,
				k = 0;

	if (n <= 16)
	{
		insertion_sort_pairs(a, n);
		return;
	}
	merge_sort_pairs(a, tmp, half);
	merge_sort_pairs(a + half, tmp, n - half);
	if (!pair_less(&a[half], &a[half - 1]))
		return;					/* already in order: common for sorted input */
	while (i < half && j < n)
		tmp[k++] = pair_less(&a[j], &a[i]) ? a[j++] : a[i++];
	while (i < half)
		tmp[k++] = a[i++];
	/* a[j..n) is already in place */
	memcpy(a, tmp, k * sizeof(tl_pair));
}

/* Sorts and collapses equal pairs; returns the new count. */
static size_t
sort_unique_pairs(tl_pair *a, tl_pair *tmp, size_t n)
{
	size_t		m = 0;

	merge_sort_pairs(a, tmp, n);
	for (size_t i = 0; i < n; i++)
		if (m == 0 || a[i].at != a[m - 1].at || a[i].key != a[m - 1].key)
			a[m++] = a[i];
	return m;
}

/* bytewise, a proper prefix first */
static int
compare_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	int			c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static bool
status_less(const tl_view *view, uint32_t a, uint32_t b)
{
	size_t		alen,
				blen;
	const char *as = view_status(view, a, &alen);
	const char *bs = view_status(view, b, &blen);

	return compare_bytes(as, alen, bs, blen) < 0;
}

/* Sorts dictionary indexes by their statuses' bytes. */
static void
sort_statuses(const tl_view *view, uint32_t *a, uint32_t *tmp, size_t n)
{
	size_t		half = n / 2,
				i = 0,
				j = half,
				k = 0;

	if (n <= 16)
	{
		for (size_t x = 1; x < n; x++)
		{
			uint32_t	v = a[x];
			size_t		y = x;

			while (y > 0 && status_less(view, v, a[y - 1]))
			{
				a[y] = a[y - 1];
				y--;
			}
			a[y] = v;
		}
		return;
	}
	sort_statuses(view, a, tmp, half);
	sort_statuses(view, a + half, tmp, n - half);
	while (i < half && j < n)
		tmp[k++] = status_less(view, a[j], a[i]) ? a[j++] : a[i++];
	while (i < half)
		tmp[k++] = a[i++];
	memcpy(a, tmp, k * sizeof(uint32_t));
}

/*
 * Scratch memory: a stack buffer for the common small case, else from the
 * allocator.
 */
#define SCRATCH_STACK 4096

typedef struct scratch
{
	void	   *p;
	bool		heap;
	uint64_t	stack[SCRATCH_STACK / 8];
} scratch;

static void *
scratch_get(scratch *s, size_t size, const tl_mem *mem)
{
	s->heap = size > sizeof(s->stack);
	s->p = s->heap ? mem->alloc(mem->ctx, size) : s->stack;
	return s->p;
}

static void
scratch_free(scratch *s, const tl_mem *mem)
{
	if (s->heap && s->p != NULL)
		mem->free(mem->ctx, s->p);
}

/*
 * Sorts w's changes and collapses equal ones in place, keeping its
 * dictionary (so the tie order here is insertion order, which does not
 * matter: only tl_pack's order is seen).
 */
static bool
work_compact(tl_work *w, const tl_mem *mem, tl_status *st)
{
	size_t		n = w->head.nchanges,
				m;
	scratch		s;
	tl_pair    *pairs;
	int64_t    *at = work_at(w);
	uint16_t   *code = work_code(w);

	pairs = scratch_get(&s, n * 2 * sizeof(tl_pair), mem);
	if (pairs == NULL)
	{
		*st = TL_NO_MEMORY;
		return false;
	}
	for (size_t i = 0; i < n; i++)
	{
		pairs[i].at = at[i];
		pairs[i].key = code[i];
	}
	m = sort_unique_pairs(pairs, pairs + n, n);
	for (size_t i = 0; i < m; i++)
	{
		at[i] = pairs[i].at;
		code[i] = (uint16_t) pairs[i].key;
	}
	w->head.nchanges = (uint32_t) m;
	scratch_free(&s, mem);
	return true;
}

/* ---------- building ---------- */

tl_work *
tl_work_add(tl_work *w, int64_t at, const char *status, size_t len,
			const tl_mem *mem, tl_status *st)
{
	uint32_t	h,
				slot,
				code;
	uint16_t   *hash;

	if (at < TL_TS_MIN || at >= TL_TS_END)
	{
		*st = TL_BAD_TIME;
		return NULL;
	}
	if (len > TL_MAX_SIZE)
	{
		*st = TL_TOO_BIG;
		return NULL;
	}
	h = hash_bytes(status, len);
	slot = work_slot(w, status, len, h);
	hash = work_hash(w);
	if (hash[slot] != 0)
		code = hash[slot] - 1u;
	else
	{
		uint32_t	k = w->head.nstatuses;

		if (memchr(status, '\0', len) != NULL)
		{
			*st = TL_BAD_STATUS;
			return NULL;
		}
		if (k == w->cap_statuses ||
			w->head.strbytes + (uint64_t) len > w->cap_strbytes ||
			w->head.nchanges == w->cap_changes)
		{
			tl_work    *n = work_reserve(w, (uint64_t) w->head.nchanges + 1, (uint64_t) k + 1,
										 w->head.strbytes + (uint64_t) len, mem, st);

			if (n == NULL)
				return NULL;
			if (n != w)
			{
				/* fill the copy, so that w stays as it was; it has room */
				tl_work    *filled = tl_work_add(n, at, status, len, mem, st);

				if (filled != n)
					mem->free(mem->ctx, n);
				return filled;
			}
		}
		memcpy(work_str(w) + w->head.strbytes, status, len);
		w->head.strbytes += (uint32_t) len;
		work_str_end(w)[k] = w->head.strbytes;
		hash[slot] = (uint16_t) (k + 1);
		w->head.nstatuses = (uint16_t) (k + 1);
		code = k;
	}
	if (w->head.nchanges == w->cap_changes)
	{
		tl_work    *n;

		if (w->cap_changes >= COMPACT_MIN_CHANGES)
		{
			if (!work_compact(w, mem, st))
				return NULL;
		}
		/* grow unless collapsing freed a quarter */
		if ((uint64_t) w->head.nchanges * 4 > (uint64_t) w->cap_changes * 3)
		{
			n = work_reserve(w, (uint64_t) w->head.nchanges + 1, 0, 0, mem, st);
			if (n == NULL)
				return NULL;
			w = n;
		}
	}
	work_at(w)[w->head.nchanges] = at;
	work_code(w)[w->head.nchanges] = (uint16_t) code;
	w->head.nchanges++;
	*st = TL_OK;
	return w;
}

tl_work *
tl_work_add_value(tl_work *w, const tl_value *v, const tl_mem *mem,
				  tl_status *st)
{
	tl_view		view;
	uint32_t	missing = 0;
	uint64_t	missing_bytes = 0;
	scratch		s;
	uint16_t   *map;
	tl_work    *n;

	tl_view_of(v, &view);
	if (view.nchanges == 0)
	{
		*st = TL_OK;
		return w;
	}
	/* count the statuses w lacks first, so that a failure changes nothing */
	for (uint32_t i = 0; i < view.nstatuses; i++)
	{
		size_t		len;
		const char *str = view_status(&view, i, &len);

		if (work_hash(w)[work_slot(w, str, len, hash_bytes(str, len))] == 0)
		{
			missing++;
			missing_bytes += len;
		}
	}
	n = work_reserve(w, (uint64_t) w->head.nchanges + view.nchanges,
					 (uint64_t) w->head.nstatuses + missing,
					 w->head.strbytes + missing_bytes, mem, st);
	if (n == NULL)
		return NULL;
	map = scratch_get(&s, (size_t) view.nstatuses * sizeof(uint16_t), mem);
	if (map == NULL)
	{
		if (n != w)
			mem->free(mem->ctx, n);
		*st = TL_NO_MEMORY;
		return NULL;
	}
	for (uint32_t i = 0; i < view.nstatuses; i++)
	{
		size_t		len;
		const char *str = view_status(&view, i, &len);
		uint16_t   *hash = work_hash(n);
		uint32_t	slot = work_slot(n, str, len, hash_bytes(str, len));

		if (hash[slot] == 0)
		{
			uint32_t	k = n->head.nstatuses;

			memcpy(work_str(n) + n->head.strbytes, str, len);
			n->head.strbytes += (uint32_t) len;
			work_str_end(n)[k] = n->head.strbytes;
			hash[slot] = (uint16_t) (k + 1);
			n->head.nstatuses = (uint16_t) (k + 1);
		}
		map[i] = hash[slot] - 1u;
	}
	{
		int64_t    *at = work_at(n) + n->head.nchanges;
		uint16_t   *code = work_code(n) + n->head.nchanges;

		for (uint32_t i = 0; i < view.nchanges; i++)
		{
			at[i] = view.at[i];
			code[i] = map[view.code[i]];
		}
		n->head.nchanges += view.nchanges;
	}
	scratch_free(&s, mem);
	*st = TL_OK;
	return n;
}

tl_value *
tl_pack(const tl_value *v, const tl_mem *mem, size_t *size, tl_status *st)
{
	tl_view		view;
	size_t		n,
				k,
				m,
				kused = 0,
				strbytes = 0,
				out_size;
	scratch		s;
	tl_pair    *pairs,
			   *tmp;
	uint32_t   *order,
			   *otmp,
			   *rank;
	tl_value   *out;
	int64_t    *oat;
	uint32_t   *oend;
	uint16_t   *ocode;
	char	   *ostr;

	if (v->layout == TL_PACKED)
	{
		out_size = tl_packed_size(v);
		out = mem->alloc(mem->ctx, out_size);
		if (out == NULL)
		{
			*st = TL_NO_MEMORY;
			return NULL;
		}
		memcpy(out, v, out_size);
		*size = out_size;
		*st = TL_OK;
		return out;
	}
	tl_view_of(v, &view);
	n = view.nchanges;
	k = view.nstatuses;
	pairs = scratch_get(&s, n * 2 * sizeof(tl_pair) + k * 3 * sizeof(uint32_t), mem);
	if (pairs == NULL)
	{
		*st = TL_NO_MEMORY;
		return NULL;
	}
	tmp = pairs + n;
	order = (uint32_t *) (tmp + n);
	otmp = order + k;
	rank = otmp + k;

	/* the dictionary in byte order: rank[i] is status i's place in it */
	for (size_t i = 0; i < k; i++)
		order[i] = (uint32_t) i;
	sort_statuses(&view, order, otmp, k);
	for (size_t i = 0; i < k; i++)
		rank[order[i]] = (uint32_t) i;

	for (size_t i = 0; i < n; i++)
	{
		pairs[i].at = view.at[i];
		pairs[i].key = rank[view.code[i]];
	}
	m = sort_unique_pairs(pairs, tmp, n);

	/* keep the used statuses: otmp[r] is the new index of rank r, or ~0 */
	for (size_t r = 0; r < k; r++)
		otmp[r] = UINT32_MAX;
	for (size_t i = 0; i < m; i++)
		otmp[pairs[i].key] = 0;
	for (size_t r = 0; r < k; r++)
	{
		if (otmp[r] == UINT32_MAX)
			continue;
		otmp[r] = (uint32_t) kused++;
		strbytes += view.str_end[order[r]] - (order[r] == 0 ? 0 : view.str_end[order[r] - 1]);
	}

	out_size = tl_packed_size_of((uint32_t) m, (uint32_t) kused, (uint32_t) strbytes);
	if (strbytes > TL_MAX_SIZE || out_size > TL_MAX_SIZE)
	{
		scratch_free(&s, mem);
		*st = TL_TOO_BIG;
		return NULL;
	}
	out = mem->alloc(mem->ctx, out_size);
	if (out == NULL)
	{
		scratch_free(&s, mem);
		*st = TL_NO_MEMORY;
		return NULL;
	}
	out->vl_len_ = 0;
	out->version = TL_VERSION;
	out->layout = TL_PACKED;
	out->nstatuses = (uint16_t) kused;
	out->nchanges = (uint32_t) m;
	out->strbytes = (uint32_t) strbytes;
	oat = (int64_t *) tl_at(out);
	oend = (uint32_t *) tl_str_end(out);
	ocode = (uint16_t *) tl_code(out);
	ostr = (char *) tl_str(out);
	for (size_t i = 0; i < m; i++)
	{
		oat[i] = pairs[i].at;
		ocode[i] = (uint16_t) otmp[pairs[i].key];
	}
	strbytes = 0;
	for (size_t r = 0, j = 0; r < k; r++)
	{
		size_t		len;
		const char *str;

		if (otmp[r] == UINT32_MAX)
			continue;
		str = view_status(&view, order[r], &len);
		memcpy(ostr + strbytes, str, len);
		strbytes += len;
		oend[j++] = (uint32_t) strbytes;
	}
	scratch_free(&s, mem);
	*size = out_size;
	*st = TL_OK;
	return out;
}

tl_value *
tl_merge(const tl_value *a, const tl_value *b, const tl_mem *mem, size_t *size,
		 tl_status *st)
{
	tl_work    *w = tl_work_new(mem, st),
			   *n;
	tl_value   *out;

	if (w == NULL)
		return NULL;
	n = tl_work_add_value(w, a, mem, st);
	if (n != w)
		mem->free(mem->ctx, w);
	if (n == NULL)
		return NULL;
	w = n;
	n = tl_work_add_value(w, b, mem, st);
	if (n != w)
		mem->free(mem->ctx, w);
	if (n == NULL)
		return NULL;
	out = tl_pack(&n->head, mem, size, st);
	mem->free(mem->ctx, n);
	return out;
}

/* ---------- validation ---------- */

const char *
tl_check(const tl_value *v, size_t size)
{
	tl_view		view;

	if (size < TL_HEADER_SIZE)
		return "The value is shorter than its header.";
	if (v->version != TL_VERSION)
		return "Unknown format version.";
	if (v->layout == TL_WORKING)
	{
		const tl_work *w = (const tl_work *) v;

		if (size < TL_WORK_HEADER_SIZE)
			return "The value is shorter than its header.";
		if (w->reserved != 0 || w->pad != 0 ||
			w->hash_bits != hash_bits_for(w->cap_statuses) ||
			tl_work_size(w) != size || v->nchanges > w->cap_changes ||
			v->nstatuses > w->cap_statuses || v->strbytes > w->cap_strbytes)
			return "The capacities do not match the size.";
	}
	else if (v->layout != TL_PACKED)
		return "Unknown layout.";
	else if (tl_packed_size(v) != size)
		return "The counts do not match the size.";
	tl_view_of(v, &view);
	if ((view.nchanges == 0) != (view.nstatuses == 0))
		return "A timeline without changes has statuses, or one with changes has none.";
	for (uint32_t i = 0; i < view.nstatuses; i++)
	{
		uint32_t	start = i == 0 ? 0 : view.str_end[i - 1];
		size_t		len;
		const char *s;

		if (view.str_end[i] < start || view.str_end[i] > v->strbytes)
			return "A status's end offset is out of order.";
		s = view_status(&view, i, &len);
		if (memchr(s, '\0', len) != NULL)
			return "A status contains a NUL byte.";
		if (v->layout == TL_PACKED && i > 0 && !status_less(&view, i - 1, i))
			return "The statuses are not sorted and distinct.";
	}
	if (view.nstatuses > 0 && view.str_end[view.nstatuses - 1] != v->strbytes)
		return "The status text has bytes no status uses.";
	for (uint32_t i = 0; i < view.nchanges; i++)
	{
		if (view.at[i] < TL_TS_MIN || view.at[i] >= TL_TS_END)
			return "An instant is out of range.";
		if (view.code[i] >= view.nstatuses)
			return "A change's status index is out of range.";
		if (v->layout == TL_PACKED && i > 0 &&
			(view.at[i] < view.at[i - 1] ||
			 (view.at[i] == view.at[i - 1] && view.code[i] <= view.code[i - 1])))
			return "The changes are not sorted and distinct.";
	}
	if (v->layout == TL_PACKED)
	{
		/* every status used: mark them in a bitmap on the stack, in pieces */
		for (uint32_t base = 0; base < view.nstatuses; base += 4096)
		{
			uint64_t	used[64];
			uint32_t	lim = view.nstatuses - base < 4096 ? view.nstatuses - base : 4096;

			memset(used, 0, sizeof(used));
			for (uint32_t i = 0; i < view.nchanges; i++)
			{
				uint32_t	c = view.code[i];

				if (c >= base && c < base + lim)
					used[(c - base) >> 6] |= UINT64_C(1) << ((c - base) & 63);
			}
			for (uint32_t c = 0; c < lim; c++)
				if (!((used[c >> 6] >> (c & 63)) & 1))
					return "A status is in the dictionary but no change uses it.";
		}
	}
	else
	{
		/*
		 * every status must be found through the hash index, which holds
		 * each status once (so it has empty slots, and probing ends)
		 */
		tl_work    *w = (tl_work *) v;
		const uint16_t *hash = work_hash(w);
		uint32_t	used = 0;

		for (uint32_t slot = 0; slot < ((uint32_t) 1 << w->hash_bits); slot++)
		{
			if (hash[slot] > view.nstatuses)
				return "The hash index does not match the statuses.";
			used += hash[slot] != 0;
		}
		if (used != view.nstatuses)
			return "The hash index does not match the statuses.";
		for (uint32_t i = 0; i < view.nstatuses; i++)
		{
			size_t		len;
			const char *s = view_status(&view, i, &len);
			uint32_t	slot = work_slot(w, s, len, hash_bytes(s, len));

			if (work_hash(w)[slot] != i + 1)
				return "The hash index does not match the statuses.";
		}
	}
	return NULL;
}

/* ---------- reading ---------- */

int
tl_find(const tl_value *v, const char *status, size_t len)
{
	int			lo = 0,
				hi = (int) v->nstatuses - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;
		size_t		mlen;
		const char *m = tl_status_text(v, (uint32_t) mid, &mlen);
		int			c = compare_bytes(m, mlen, status, len);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

bool
tl_set_init(tl_set *set, const tl_value *v, const tl_mem *mem, tl_status *st)
{
	size_t		words = ((size_t) v->nstatuses + 63) / 64;

	set->nmembers = 0;
	if (words <= 4)
		set->bits = set->inline_bits;
	else
	{
		set->bits = mem->alloc(mem->ctx, words * 8);
		if (set->bits == NULL)
		{
			*st = TL_NO_MEMORY;
			return false;
		}
	}
	memset(set->bits, 0, (words > 4 ? words : 4) * 8);
	*st = TL_OK;
	return true;
}

bool
tl_set_add(tl_set *set, const tl_value *v, const char *status, size_t len)
{
	int			i = tl_find(v, status, len);

	if (i < 0)
		return false;
	if (!tl_set_has(set, (uint32_t) i))
	{
		set->bits[i >> 6] |= UINT64_C(1) << (i & 63);
		set->nmembers++;
	}
	return true;
}

void
tl_set_free(tl_set *set, const tl_mem *mem)
{
	if (set->bits != set->inline_bits)
		mem->free(mem->ctx, set->bits);
	set->bits = NULL;
}

bool
tl_time_in(const tl_value *v, const tl_set *set, bool has_until, int64_t until,
		   tl_duration_fn fn, void *arg, int64_t *result)
{
	const int64_t *at = tl_at(v);
	const uint16_t *code = tl_code(v);
	uint32_t	n = v->nchanges,
				i = 0;
	int64_t		total = 0;

	*result = 0;
	if (set->nmembers == 0)
		return true;
	/* one stretch for each run of changes in the set */
	while (i < n)
	{
		int64_t		start,
					end,
					d;
		uint32_t	j;

		if (!tl_set_has(set, code[i]))
		{
			i++;
			continue;
		}
		start = at[i];
		if (has_until && start >= until)
			break;				/* sorted: nothing later counts */
		for (j = i + 1; j < n && tl_set_has(set, code[j]); j++)
			;
		if (j < n)
			end = at[j];
		else
			end = has_until ? until : at[n - 1];
		if (has_until && end > until)
			end = until;
		if (end > start)
		{
			if (fn != NULL)
				d = fn(arg, start, end);
			else if (__builtin_sub_overflow(end, start, &d))
				return false;
			if (__builtin_add_overflow(total, d, &total))
				return false;
		}
		i = j;
	}
	*result = total;
	return true;
}

bool
tl_first_at(const tl_value *v, const tl_set *set, int64_t *at)
{
	const uint16_t *code = tl_code(v);

	if (set->nmembers == 0)
		return false;
	for (uint32_t i = 0; i < v->nchanges; i++)
		if (tl_set_has(set, code[i]))
		{
			*at = tl_at(v)[i];
			return true;
		}
	return false;
}

bool
tl_last_at(const tl_value *v, const tl_set *set, int64_t *at)
{
	const uint16_t *code = tl_code(v);
	uint32_t	i = v->nchanges;

	if (set->nmembers == 0)
		return false;
	/* the last change in the set, then back to the start of its run */
	while (i > 0 && !tl_set_has(set, code[i - 1]))
		i--;
	if (i == 0)
		return false;
	i--;
	while (i > 0 && tl_set_has(set, code[i - 1]))
		i--;
	*at = tl_at(v)[i];
	return true;
}

uint32_t
tl_entries(const tl_value *v, const tl_set *set)
{
	const uint16_t *code = tl_code(v);
	uint32_t	count = 0;
	bool		in = false;

	if (set->nmembers == 0)
		return 0;
	for (uint32_t i = 0; i < v->nchanges; i++)
	{
		bool		now = tl_set_has(set, code[i]);

		count += now && !in;
		in = now;
	}
	return count;
}

int
tl_status_at(const tl_value *v, int64_t t)
{
	const int64_t *at = tl_at(v);
	uint32_t	lo = 0,
				hi = v->nchanges;

	/* the number of changes at or before t */
	while (lo < hi)
	{
		uint32_t	mid = lo + (hi - lo) / 2;

		if (at[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? -1 : tl_code(v)[lo - 1];
}

bool
tl_iter_next(tl_iter *it, uint32_t *code, int64_t *entered, bool *has_left,
			 int64_t *left)
{
	const tl_value *v = it->v;
	const uint16_t *c = tl_code(v);
	uint32_t	i = it->pos,
				j;

	if (i >= v->nchanges)
		return false;
	for (j = i + 1; j < v->nchanges && c[j] == c[i]; j++)
		;
	*code = c[i];
	*entered = tl_at(v)[i];
	*has_left = j < v->nchanges;
	*left = *has_left ? tl_at(v)[j] : 0;
	it->pos = j;
	return true;
}
