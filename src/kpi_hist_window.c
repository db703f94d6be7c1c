/*
 * kpi_hist_window.c
 *		The kpi_hist state of a moving window frame: a histogram with exact
 *		min and max under removal (hist_window.h), kept as an expanded
 *		object in the window aggregate's memory.
 *
 * Plain aggregates keep a flat working value (kpi_hist.c): 100k groups
 * cannot each afford an expanded object's memory context.  A window
 * aggregate has one state, so it can, and it needs the queues that make
 * removing the frame's min or max O(1).  The object flattens to an ordinary
 * working kpi_hist, so whatever leaves the window (a final function's
 * argument, a user-defined aggregate's result) is a plain value.
 */
#include "postgres.h"

#include "nodes/execnodes.h"
#include "nodes/parsenodes.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

#include "kpi_aggregate.h"
#include "kpi_hist.h"
#include "hist_window.h"

typedef struct HistWindowObject
{
	ExpandedObjectHeader hdr;
	hist_window w;
} HistWindowObject;

static Size
window_flat_size(ExpandedObjectHeader *eohptr)
{
	return hist_working_size(((HistWindowObject *) eohptr)->w.h);
}

static void
window_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	const hist *h = ((HistWindowObject *) eohptr)->w.h;

	memcpy(result, h, allocated_size);
	SET_VARSIZE(result, allocated_size);
}

static const ExpandedObjectMethods window_methods = {
	window_flat_size,
	window_flatten_into
};

static HistWindowObject *
window_object(Datum d)
{
	if (VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &window_methods)
		return (HistWindowObject *) DatumGetEOHP(d);
	return NULL;
}

hist *
kpi_hist_window_hist(Datum d)
{
	HistWindowObject *obj = window_object(d);

	return obj ? obj->w.h : NULL;
}

/*
 * Whether this window frame can lose rows at its head.  Frames that start
 * at UNBOUNDED PRECEDING only grow, and frames with an EXCLUDE clause are
 * recounted every row: neither calls the inverse, so neither needs the
 * queues (which on a growing frame of trending data would hold every row).
 */
static bool
frame_can_shrink(FunctionCallInfo fcinfo)
{
	WindowAggState *winstate = (WindowAggState *) fcinfo->context;

	return IsA(winstate, WindowAggState) &&
		!(winstate->frameOptions & (FRAMEOPTION_START_UNBOUNDED_PRECEDING |
									FRAMEOPTION_EXCLUSION));
}

/*
 * The window object of a moving-aggregate transition: the state itself, or
 * a new one for the first row.  NULL when this is no frame that shrinks, or
 * when the state came from elsewhere (a user-defined aggregate's
 * MINITCOND): the caller then takes the plain path, and the inverse
 * transition asks for a recount.
 */
HistWindowObject *
kpi_hist_window_for_update(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;
	MemoryContext cxt;
	HistWindowObject *obj;
	MemoryContext old;

	if (AggCheckCallContext(fcinfo, &aggcontext) != AGG_CONTEXT_WINDOW)
		return NULL;
	if (!PG_ARGISNULL(0))
		return VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))) ?
			window_object(PG_GETARG_DATUM(0)) : NULL;
	if (!frame_can_shrink(fcinfo))
		return NULL;
	cxt = AllocSetContextCreate(aggcontext, "kpi_hist window", ALLOCSET_SMALL_SIZES);
	obj = MemoryContextAllocZero(cxt, sizeof(HistWindowObject));
	EOH_init_header(&obj->hdr, &window_methods, cxt);
	old = MemoryContextSwitchTo(cxt);
	hist_window_init(&obj->w);
	MemoryContextSwitchTo(old);
	return obj;
}

Datum
kpi_hist_window_datum(HistWindowObject *obj)
{
	return EOHPGetRWDatum(&obj->hdr);
}

Datum
kpi_hist_window_add(HistWindowObject *obj, int64 usec)
{
	MemoryContext old = MemoryContextSwitchTo(obj->hdr.eoh_context);
	hist_status status = hist_window_add(&obj->w, usec);

	MemoryContextSwitchTo(old);
	if (status != HIST_OK)
		kpi_hist_report(status);
	return EOHPGetRWDatum(&obj->hdr);
}

Datum
kpi_hist_window_add_pending(HistWindowObject *obj)
{
	hist_status status = hist_add_pending(obj->w.h);

	if (status != HIST_OK)
		kpi_hist_report(status);
	return EOHPGetRWDatum(&obj->hdr);
}

/*
 * Inverse transition: the window object without its oldest row, or NULL --
 * which tells the window to recount the frame -- when the state is not a
 * window object or the row cannot be its oldest.
 */
Datum
kpi_hist_window_remove(FunctionCallInfo fcinfo, bool pending, int64 usec)
{
	HistWindowObject *obj;
	bool		ok;

	if (PG_ARGISNULL(0) ||
		!VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))) ||
		(obj = window_object(PG_GETARG_DATUM(0))) == NULL)
		PG_RETURN_NULL();
	ok = pending ? hist_remove_pending(obj->w.h) : hist_window_remove(&obj->w, usec);
	if (!ok)
		PG_RETURN_NULL();
	return EOHPGetRWDatum(&obj->hdr);
}
