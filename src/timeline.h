/*
 * timeline.h
 *		kpi_timeline, a ticket's status history: plain C, no PostgreSQL
 *		headers, so that it can be unit-tested and fuzzed without a server.
 *
 * A timeline is a set of changes (at, status): at is a PostgreSQL
 * timestamptz (microseconds since 2000-01-01 00:00 UTC, finite), status a
 * byte string without NUL.  Statuses are kept once each, in a dictionary;
 * a change stores the instant and a 16-bit dictionary index.
 *
 * Order and ties.  Changes are ordered by instant, and changes at one
 * instant by status bytes (memcmp, a proper prefix first: PostgreSQL's
 * ORDER BY at, status COLLATE "C").  Equal (at, status) changes are one
 * change.  The order depends only on the set of changes, so building from
 * rows in any order, and merging partial timelines in any grouping, give
 * the same value, byte for byte.
 *
 * Reading.  In the ordered list, each change's status is in force from its
 * instant to the next change's (at the instant of a change the new status
 * is in force).  A change to the status already in force is no new entry,
 * but time in that status runs on through it.  The status in force after
 * the last change counts up to `until` when one is given, and not at all
 * without it; time before the first change counts nothing; with an `until`
 * earlier than some changes, time is counted up to `until` only (changes at
 * or after it count nothing).  This is, row by row, the lead() SQL:
 *
 *	sum(least(coalesce(lead(at) OVER w, until, at), until) - at)
 *		FILTER (WHERE status = ANY(set) AND at < until)
 *	WINDOW w AS (ORDER BY at, status COLLATE "C")
 *
 * A status set acts as one status: an entry into the set is a change into
 * one of its statuses from a status outside it (or from nothing); moving
 * between two statuses of the set is no new entry.  So with the set
 * {solved, closed}, solved -> closed is one resolution, at the solved time.
 *
 * Layouts.  A value is one flat block (no pointers inside, so it can be
 * copied with memcpy) starting with a 4-byte word the caller owns
 * (PostgreSQL's varlena length word; this code never reads or writes it):
 *
 *	PACKED	the stored form, the only one a SQL function returns: changes
 *			sorted and distinct, dictionary sorted bytewise, every status
 *			used.  Read-only.  After the 16-byte header:
 *				int64	at[nchanges]		(8-aligned: the block must be)
 *				uint32	str_end[nstatuses]	(end offset of status i in str)
 *				uint16	code[nchanges]		(dictionary index of each change)
 *				char	str[strbytes]		(the statuses, back to back)
 *			Its size is tl_packed_size(); nothing follows.  Because the
 *			dictionary is sorted, the tie order is the order of (at, code).
 *	WORKING	the aggregate's transition state: changes appended unsorted,
 *			dictionary in insertion order with a hash index, spare capacity.
 *			Its size is tl_work_size().
 *
 * Memory comes from a tl_mem the caller passes (palloc in a memory context
 * in the server, malloc in tests).  Functions that need more room return a
 * new block and leave the old one for the caller to free (inside an
 * aggregate nodeAgg frees the old state itself).
 */
#ifndef KPI_TIMELINE_H
#define KPI_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TL_VERSION			1	/* format version of every value and wire form */

/* layout byte */
#define TL_PACKED			1
#define TL_WORKING			2

#define TL_MAX_STATUSES		65535	/* distinct statuses in one timeline */
#define TL_MAX_SIZE			((size_t) 0x3fffffff)	/* PostgreSQL's MaxAllocSize */

/* PostgreSQL's finite timestamptz range: 4714-11-24 00:00 BC .. 294277-01-01 */
#define TL_TS_MIN			INT64_C(-211813488000000000)
#define TL_TS_END			INT64_C(9223371331200000000)	/* exclusive */

typedef struct tl_value
{
	uint32_t	vl_len_;		/* owned by the caller */
	uint8_t		version;		/* TL_VERSION */
	uint8_t		layout;			/* TL_PACKED or TL_WORKING */
	uint16_t	nstatuses;		/* dictionary entries */
	uint32_t	nchanges;
	uint32_t	strbytes;		/* bytes of status text */
} tl_value;

#define TL_HEADER_SIZE		((size_t) sizeof(tl_value))	/* 16 */

typedef struct tl_work
{
	tl_value	head;			/* layout TL_WORKING */
	uint32_t	cap_changes;
	uint32_t	cap_strbytes;
	uint16_t	cap_statuses;
	uint8_t		hash_bits;		/* hash index of 1 << hash_bits slots */
	uint8_t		reserved;
	uint32_t	pad;
	/*
	 * int64 at[cap_changes]; uint32 str_end[cap_statuses];
	 * uint16 code[cap_changes]; uint16 hash[1 << hash_bits];
	 * char str[cap_strbytes]
	 */
} tl_work;

#define TL_WORK_HEADER_SIZE	((size_t) sizeof(tl_work))	/* 32 */

typedef enum tl_status
{
	TL_OK = 0,
	TL_NO_MEMORY,				/* the allocator returned NULL */
	TL_TOO_MANY_STATUSES,		/* more than TL_MAX_STATUSES distinct statuses */
	TL_TOO_BIG,					/* the value would pass TL_MAX_SIZE */
	TL_BAD_TIME,				/* an instant outside TL_TS_MIN..TL_TS_END */
	TL_BAD_STATUS,				/* a status with a NUL byte */
	TL_SYNTAX,					/* malformed text (a reason is given) */
	TL_CORRUPT,					/* malformed binary form (a reason is given) */
	TL_BAD_VERSION,				/* a format version this build does not read */
	TL_OVERFLOW					/* a time sum does not fit in int64 */
} tl_status;

/* A sentence for a status, for messages. */
extern const char *tl_status_message(tl_status st);

/*
 * The allocator.  alloc need not zero; it may return NULL (the call then
 * fails with TL_NO_MEMORY) or not return at all (ereport): nothing this code
 * allocates outlives a call except the block it returns, so a longjmp out of
 * alloc leaks nothing outside the caller's memory context.
 */
typedef struct tl_mem
{
	void	   *(*alloc) (void *ctx, size_t size);
	void		(*free) (void *ctx, void *ptr);
	void	   *ctx;
} tl_mem;

/* ---- layout access ---- */

static inline size_t
tl_packed_size_of(uint32_t nchanges, uint32_t nstatuses, uint32_t strbytes)
{
	return TL_HEADER_SIZE + (size_t) nchanges * 10 + (size_t) nstatuses * 4 + strbytes;
}

/* The size of a PACKED value, from its header. */
static inline size_t
tl_packed_size(const tl_value *v)
{
	return tl_packed_size_of(v->nchanges, v->nstatuses, v->strbytes);
}

extern size_t tl_work_size(const tl_work *w);

/* Either layout: the size of the block. */
static inline size_t
tl_size(const tl_value *v)
{
	return v->layout == TL_WORKING ? tl_work_size((const tl_work *) v) : tl_packed_size(v);
}

/* The arrays of a PACKED value. */
static inline const int64_t *
tl_at(const tl_value *v)
{
	return (const int64_t *) ((const char *) v + TL_HEADER_SIZE);
}

static inline const uint32_t *
tl_str_end(const tl_value *v)
{
	return (const uint32_t *) (tl_at(v) + v->nchanges);
}

static inline const uint16_t *
tl_code(const tl_value *v)
{
	return (const uint16_t *) (tl_str_end(v) + v->nstatuses);
}

static inline const char *
tl_str(const tl_value *v)
{
	return (const char *) (tl_code(v) + v->nchanges);
}

/* Status i of a PACKED value's dictionary (not NUL-terminated). */
static inline const char *
tl_status_text(const tl_value *v, uint32_t i, size_t *len)
{
	const uint32_t *end = tl_str_end(v);
	uint32_t	start = i == 0 ? 0 : end[i - 1];

	*len = end[i] - start;
	return tl_str(v) + start;
}

/*
 * A read-only view of either layout's arrays (a WORKING value's changes are
 * unsorted and its dictionary unordered).
 */
typedef struct tl_view
{
	uint32_t	nchanges;
	uint32_t	nstatuses;
	const int64_t *at;
	const uint16_t *code;
	const uint32_t *str_end;
	const char *str;
} tl_view;

extern void tl_view_of(const tl_value *v, tl_view *view);

/*
 * NULL if the block (size bytes, either layout) is one this code could have
 * built, else a sentence saying what is wrong.  Reads nothing past size.
 */
extern const char *tl_check(const tl_value *v, size_t size);

/* ---- building (timeline.c) ---- */

/* An empty WORKING value; NULL with *st set on failure. */
extern tl_work *tl_work_new(const tl_mem *mem, tl_status *st);

/*
 * Adds the change (at, status), status being len bytes.  Returns w updated
 * in place, or a larger copy (w is then left as it was, for the caller to
 * free); NULL with *st set on failure (w unchanged).
 */
extern tl_work *tl_work_add(tl_work *w, int64_t at, const char *status,
							size_t len, const tl_mem *mem, tl_status *st);

/* Adds every change of v (either layout); returns as tl_work_add does. */
extern tl_work *tl_work_add_value(tl_work *w, const tl_value *v,
								  const tl_mem *mem, tl_status *st);

/*
 * The PACKED form of v (either layout: sorts, collapses equal changes, sorts
 * the dictionary and drops unused statuses), a new block; *size its size.
 */
extern tl_value *tl_pack(const tl_value *v, const tl_mem *mem, size_t *size,
						 tl_status *st);

/* The union of two values' changes (either layout), PACKED. */
extern tl_value *tl_merge(const tl_value *a, const tl_value *b,
						  const tl_mem *mem, size_t *size, tl_status *st);

/* ---- reading a PACKED value (timeline.c) ---- */

/*
 * A set of statuses, as a bit per dictionary entry of one value.  Build it
 * once per call: tl_set_init, tl_set_add for each status of the set (ones
 * the value never had are ignored), read, tl_set_free.
 */
typedef struct tl_set
{
	uint64_t   *bits;
	uint32_t	nmembers;		/* distinct statuses of the value in the set */
	uint64_t	inline_bits[4]; /* bits for up to 256 statuses */
} tl_set;

extern bool tl_set_init(tl_set *set, const tl_value *v, const tl_mem *mem,
						tl_status *st);
extern bool tl_set_add(tl_set *set, const tl_value *v, const char *status,
					   size_t len);
extern void tl_set_free(tl_set *set, const tl_mem *mem);

static inline bool
tl_set_has(const tl_set *set, uint32_t code)
{
	return (set->bits[code >> 6] >> (code & 63)) & 1;
}

/* The dictionary index of a status; -1 if v has none such. */
extern int	tl_find(const tl_value *v, const char *status, size_t len);

/*
 * Business time: the time that counts between two instants (from <= to),
 * e.g. a calendar's open time.  tl_time_in calls it once for each stretch of
 * time in the set, with from < to.
 */
typedef int64_t (*tl_duration_fn) (void *arg, int64_t from, int64_t to);

/*
 * Microseconds spent in the set (see "Reading" above).  until is used when
 * has_until; fn NULL means elapsed time (to - from).  Returns false when the
 * sum does not fit in int64.
 */
extern bool tl_time_in(const tl_value *v, const tl_set *set, bool has_until,
					   int64_t until, tl_duration_fn fn, void *arg,
					   int64_t *result);

/* First / last entry into the set; false if it was never entered. */
extern bool tl_first_at(const tl_value *v, const tl_set *set, int64_t *at);
extern bool tl_last_at(const tl_value *v, const tl_set *set, int64_t *at);

/* Entries into the set. */
extern uint32_t tl_entries(const tl_value *v, const tl_set *set);

/* Dictionary index of the status in force at t; -1 before the first change. */
extern int	tl_status_at(const tl_value *v, int64_t t);

/*
 * The intervals: one for each entry, [entered, left), left being the next
 * entry's instant; the last has no left.  Zero-length intervals (a tie at
 * one instant) are kept, so there is one interval per entry.
 */
typedef struct tl_iter
{
	const tl_value *v;
	uint32_t	pos;			/* index of the next entry's change */
} tl_iter;

static inline void
tl_iter_init(tl_iter *it, const tl_value *v)
{
	it->v = v;
	it->pos = 0;
}

/* false when done */
extern bool tl_iter_next(tl_iter *it, uint32_t *code, int64_t *entered,
						 bool *has_left, int64_t *left);

/* ---- text and binary forms (timeline_format.c) ---- */

/*
 * Text form:
 *
 *	v1 [2024-01-01 10:00:00+00 "new", 2024-01-01 10:00:00+00 "open",
 *		2024-01-03 09:15:30.5+00 "solved"]
 *
 * on one line: "v1 [", the changes in order as "<instant> <status>" separated
 * by ", ", then "]" ("v1 []" when empty).  An instant is written as
 * PostgreSQL prints a timestamptz with DateStyle ISO and TimeZone UTC:
 * YYYY-MM-DD HH:MM:SS, a fraction without trailing zeros if not whole,
 * "+00", and " BC" for years before 1 AD.  A status is in double quotes, with
 * \" for a quote, \\ for a backslash, \n \r \t for those, and \xHH (two
 * lowercase hex digits) for other bytes below 0x20 and 0x7f; every other
 * byte as it is.
 *
 * The reader takes any white space (space, tab, CR, LF) around tokens,
 * changes in any order and repeated (it sorts and collapses as the
 * aggregate does), a fraction of 1 to 6 digits, years of 4 or more digits,
 * raw bytes other than NUL, '"' and '\' inside quotes, and the escapes above
 * (\xHH in either case, not \x00).
 */

/* Length of the text form (without a NUL); 0 with *st set if too big. */
extern size_t tl_text_size(const tl_value *v, tl_status *st);

/* Writes the text form and a NUL into out (tl_text_size + 1 bytes). */
extern void tl_text_write(const tl_value *v, char *out);

/*
 * Parses len bytes of text.  Returns a PACKED value (*size its size), or
 * NULL with *st set (TL_SYNTAX, TL_BAD_TIME, TL_TOO_MANY_STATUSES, ...) and
 * a sentence in err.
 */
extern tl_value *tl_from_text(const char *text, size_t len, const tl_mem *mem,
							  size_t *size, tl_status *st, char *err,
							  size_t errlen);

/*
 * Binary form (send/recv), big-endian: version byte (1), a reserved byte
 * (0), nstatuses and nchanges as uint32; each status as a uint32 length and
 * its bytes, in dictionary (bytewise) order; each change as int64 at and
 * uint16 dictionary index, in order.  The reader accepts exactly the PACKED
 * values: statuses distinct, sorted, without NUL and each used; changes
 * strictly increasing by (at, index); instants in range; no trailing bytes.
 */
extern size_t tl_wire_size(const tl_value *v);
extern void tl_wire_write(const tl_value *v, uint8_t *out);

/*
 * Decodes len bytes; never reads past them.  Returns a PACKED value, or NULL
 * with *st set (TL_BAD_VERSION, TL_CORRUPT, TL_NO_MEMORY, TL_TOO_BIG) and a
 * sentence in err.
 */
extern tl_value *tl_from_wire(const uint8_t *buf, size_t len, const tl_mem *mem,
							  size_t *size, tl_status *st, char *err,
							  size_t errlen);

/* Writes an instant as the text form does, NUL-terminated (TL_TS_TEXT_MAX). */
#define TL_TS_TEXT_MAX 40
extern size_t tl_format_ts(int64_t at, char *buf);

#endif							/* KPI_TIMELINE_H */
