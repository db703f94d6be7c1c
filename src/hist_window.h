/*
 * hist_window.h
 *		A kpi_hist over a moving window frame: plain C, no PostgreSQL headers.
 *
 * A window frame adds rows at its tail and removes them from its head, in
 * the order they were added.  Removing a duration from a histogram is O(1),
 * but the exact min and max of what is left are not in the histogram; a
 * recount of the frame would cost O(frame) a row, and on trending data
 * (every leaving row is the frame's min) that is every row.  So the window
 * keeps the classic monotone queues beside the histogram: `lows` holds the
 * durations that can still become the min (increasing, oldest first),
 * `highs` those that can still become the max (decreasing).  Each duration
 * enters and leaves each queue once: O(1) a row, amortised.
 */
#ifndef KPI_HIST_WINDOW_H
#define KPI_HIST_WINDOW_H

#include "histogram.h"

typedef struct hist_queue
{
	int64_t    *v;				/* ring buffer of cap slots */
	uint32_t	head;			/* index of the oldest */
	uint32_t	len;
	uint32_t	cap;			/* a power of two, or 0 */
} hist_queue;

typedef struct hist_window
{
	hist	   *h;				/* DENSE; its min and max come from the queues */
	hist_queue	lows;
	hist_queue	highs;
} hist_window;

/* An empty window (memory from hist_alloc0). */
extern void hist_window_init(hist_window *w);
extern void hist_window_free(hist_window *w);

/* Counts v at the frame's tail; HIST_OK or why not (nothing changed then). */
extern hist_status hist_window_add(hist_window *w, int64_t v);

/*
 * Uncounts v, the frame's oldest duration.  Returns false, changing nothing,
 * when v cannot be that (it lies outside [min, max] or its bucket is empty):
 * the caller then recounts the frame.
 */
extern bool hist_window_remove(hist_window *w, int64_t v);

#endif
