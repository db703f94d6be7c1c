/*
 * hist_window.c
 *		Exact min and max for a histogram over a moving window frame; see
 *		hist_window.h.
 */
#include <string.h>

#include "hist_window.h"

static inline int64_t
queue_at(const hist_queue *q, uint32_t i)
{
	return q->v[(q->head + i) & (q->cap - 1)];
}

static inline int64_t
queue_oldest(const hist_queue *q)
{
	return queue_at(q, 0);
}

static inline int64_t
queue_newest(const hist_queue *q)
{
	return queue_at(q, q->len - 1);
}

/* Room for one more; false if the queue cannot grow (2^31 entries). */
static bool
queue_reserve(hist_queue *q)
{
	uint32_t	cap;
	int64_t    *v;

	if (q->len < q->cap)
		return true;
	if (q->cap >= (UINT32_C(1) << 31))
		return false;
	cap = q->cap ? q->cap * 2 : 16;
	v = hist_alloc0((size_t) cap * sizeof(int64_t));
	for (uint32_t i = 0; i < q->len; i++)
		v[i] = queue_at(q, i);
	hist_free(q->v);
	q->v = v;
	q->head = 0;
	q->cap = cap;
	return true;
}

void
hist_window_init(hist_window *w)
{
	memset(w, 0, sizeof(*w));
	w->h = hist_new_dense();
}

void
hist_window_free(hist_window *w)
{
	hist_free(w->h);
	hist_free(w->lows.v);
	hist_free(w->highs.v);
	memset(w, 0, sizeof(*w));
}

hist_status
hist_window_add(hist_window *w, int64_t v)
{
	hist_status status;
	hist	   *n;

	if (!queue_reserve(&w->lows) || !queue_reserve(&w->highs))
		return HIST_COUNT_OVERFLOW;
	n = hist_add(w->h, v, &status);
	if (n == NULL)
		return status;
	if (n != w->h)
	{
		hist_free(w->h);
		w->h = n;
	}
	/* a newer duration at least as small outlives an older larger one */
	while (w->lows.len > 0 && queue_newest(&w->lows) > v)
		w->lows.len--;
	w->lows.v[(w->lows.head + w->lows.len++) & (w->lows.cap - 1)] = v;
	while (w->highs.len > 0 && queue_newest(&w->highs) < v)
		w->highs.len--;
	w->highs.v[(w->highs.head + w->highs.len++) & (w->highs.cap - 1)] = v;
	return HIST_OK;
}

static inline void
queue_drop_oldest_if(hist_queue *q, int64_t v)
{
	if (queue_oldest(q) == v)
	{
		q->head = (q->head + 1) & (q->cap - 1);
		q->len--;
	}
}

/* The oldest entry of q once v has left the frame (q must not empty). */
static inline bool
queue_next_oldest(const hist_queue *q, int64_t v, int64_t *next)
{
	uint32_t	i = queue_oldest(q) == v ? 1 : 0;

	if (i >= q->len)
		return false;
	*next = queue_at(q, i);
	return true;
}

/* v's bucket keeps a duration after v leaves */
static inline bool
still_counted(const hist *h, int64_t m, int64_t v)
{
	return hist_dense_count(h, m) > (hist_key(m) == hist_key(v) ? 1u : 0u);
}

bool
hist_window_remove(hist_window *w, int64_t v)
{
	hist	   *h = w->h;
	int64_t		min = 0,
				max = 0;

	if (h->count <= 0 || w->lows.len == 0 || w->highs.len == 0 ||
		v < queue_oldest(&w->lows) || v > queue_oldest(&w->highs) ||
		hist_dense_count(h, v) == 0)
		return false;

	/*
	 * In a frame, v is the oldest row, so the queues always hold what is left
	 * and the new min and max lie in non-empty buckets.  Check both anyway,
	 * cheaply, so that no call can leave a value its type would reject.
	 */
	if (h->count > 1 &&
		!(queue_next_oldest(&w->lows, v, &min) &&
		  queue_next_oldest(&w->highs, v, &max) &&
		  still_counted(h, min, v) && still_counted(h, max, v)))
		return false;

	hist_remove(h, v);
	queue_drop_oldest_if(&w->lows, v);
	queue_drop_oldest_if(&w->highs, v);
	if (h->count == 0)
		w->lows.len = w->highs.len = 0;
	h->min = min;
	h->max = max;
	return true;
}
