-- kpi 1.0 -> 1.1.  CREATE EXTENSION kpi (1.1) runs kpi--1.0.sql and then
-- this script (make concatenates them into kpi--1.1.sql), so every object
-- added in 1.1 is written once, here.  Same rules as kpi--1.0.sql: every
-- object named kpi_*, cross-references qualified with @extschema@ and
-- pg_catalog, a COMMENT ON for each, true volatility and strictness.
-- Features append their own section below the last one.
\echo Use "ALTER EXTENSION kpi UPDATE TO '1.1'" to load this file. \quit

-- ==================================================================
-- Is the change real? Significance tests (kpi_csat_test, kpi_nps_test,
-- kpi_rate_change, kpi_rate_test)
-- ==================================================================
-- BEGIN significance
-- Two-sided p-values: is a change between two periods more than chance?
-- NULL where there is nothing to compare (an empty summary; no counts at
-- all for kpi_rate_test; a previous count of 0 for kpi_rate_change, as
-- kpi_change).  A period's length is its exact elapsed time: microseconds
-- of a tstzrange, days of a daterange.
CREATE FUNCTION @extschema@.kpi_csat_test(a @extschema@.kpi_scores, b @extschema@.kpi_scores)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_csat_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_csat_test(a @extschema@.kpi_scores, b @extschema@.kpi_scores, satisfied_min integer)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_csat_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_nps_test(a @extschema@.kpi_scores, b @extschema@.kpi_scores)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_nps_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_rate_change(current bigint, current_period tstzrange,
											previous bigint, previous_period tstzrange)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_rate_change' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_rate_change(current bigint, current_period daterange,
											previous bigint, previous_period daterange)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_rate_change' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_rate_test(current bigint, current_period tstzrange,
										  previous bigint, previous_period tstzrange)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_rate_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_rate_test(current bigint, current_period daterange,
										  previous bigint, previous_period daterange)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_rate_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_csat_test(@extschema@.kpi_scores, @extschema@.kpi_scores) IS
	'two-sided p-value of the CSAT change from b to a (scores 4..5 of 1..5 satisfied): pooled two-proportion z-test; NULL if either is empty';
COMMENT ON FUNCTION @extschema@.kpi_csat_test(@extschema@.kpi_scores, @extschema@.kpi_scores, integer) IS
	'two-sided p-value of the CSAT change from b to a, scores >= satisfied_min satisfied: pooled two-proportion z-test; NULL if either is empty';
COMMENT ON FUNCTION @extschema@.kpi_nps_test(@extschema@.kpi_scores, @extschema@.kpi_scores) IS
	'two-sided p-value of the NPS change from b to a: z = (NPS_a - NPS_b) / sqrt(V_a/n_a + V_b/n_b), V = p + d - (p - d)^2; NULL if either is empty';
COMMENT ON FUNCTION @extschema@.kpi_rate_change(bigint, tstzrange, bigint, tstzrange) IS
	'% change of a count per unit of time, from previous to current (periods by their exact length); NULL when previous is 0';
COMMENT ON FUNCTION @extschema@.kpi_rate_change(bigint, daterange, bigint, daterange) IS
	'% change of a count per day, from previous to current; NULL when previous is 0';
COMMENT ON FUNCTION @extschema@.kpi_rate_test(bigint, tstzrange, bigint, tstzrange) IS
	'two-sided p-value that two counts come from the same rate per unit of time: exact conditional binomial test, as binom.test; NULL when both are 0';
COMMENT ON FUNCTION @extschema@.kpi_rate_test(bigint, daterange, bigint, daterange) IS
	'two-sided p-value that two counts come from the same rate per day: exact conditional binomial test, as binom.test; NULL when both are 0';

-- END significance

-- ==================================================================
-- Time in status: kpi_timeline
-- ==================================================================
-- BEGIN kpi_timeline
-- A kpi_timeline is one ticket's status history: its distinct statuses
-- and its changes (instant, status), ordered by instant and, at one
-- instant, by status bytes (as ORDER BY at, status COLLATE "C"); equal
-- changes are one.  The aggregate keeps a kpi_timeline as its transition
-- state (not internal, so Citus can push partial aggregation down),
-- appended to in place and sorted by the final function.

CREATE TYPE @extschema@.kpi_timeline;

CREATE FUNCTION @extschema@.kpi_timeline_in(cstring) RETURNS @extschema@.kpi_timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_timeline_out(@extschema@.kpi_timeline) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_timeline_recv(internal) RETURNS @extschema@.kpi_timeline
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_timeline_send(@extschema@.kpi_timeline) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.kpi_timeline (
	INPUT = @extschema@.kpi_timeline_in,
	OUTPUT = @extschema@.kpi_timeline_out,
	RECEIVE = @extschema@.kpi_timeline_recv,
	SEND = @extschema@.kpi_timeline_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.kpi_timeline IS
	'a ticket''s status history: its statuses and changes (instant, status), for time in status, entries and status at an instant';
COMMENT ON FUNCTION @extschema@.kpi_timeline_in(cstring) IS 'text input of kpi_timeline';
COMMENT ON FUNCTION @extschema@.kpi_timeline_out(@extschema@.kpi_timeline) IS 'text output of kpi_timeline';
COMMENT ON FUNCTION @extschema@.kpi_timeline_recv(internal) IS 'binary input of kpi_timeline';
COMMENT ON FUNCTION @extschema@.kpi_timeline_send(@extschema@.kpi_timeline) IS 'binary output of kpi_timeline';

-- Aggregates: support functions refuse to run outside an aggregate
CREATE FUNCTION @extschema@.kpi_timeline_accum(@extschema@.kpi_timeline, timestamptz, text)
	RETURNS @extschema@.kpi_timeline AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_timeline_combine(@extschema@.kpi_timeline, @extschema@.kpi_timeline)
	RETURNS @extschema@.kpi_timeline AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_timeline_final(@extschema@.kpi_timeline)
	RETURNS @extschema@.kpi_timeline AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_timeline_accum(@extschema@.kpi_timeline, timestamptz, text) IS 'transition function of kpi_timeline(timestamptz, text)';
COMMENT ON FUNCTION @extschema@.kpi_timeline_combine(@extschema@.kpi_timeline, @extschema@.kpi_timeline) IS 'combine function of kpi_timeline and transition function of kpi_merge(kpi_timeline)';
COMMENT ON FUNCTION @extschema@.kpi_timeline_final(@extschema@.kpi_timeline) IS 'final function of kpi_timeline and kpi_merge(kpi_timeline): sorts the changes into the stored form';

CREATE AGGREGATE @extschema@.kpi_timeline(timestamptz, text) (
	SFUNC = @extschema@.kpi_timeline_accum,
	STYPE = @extschema@.kpi_timeline,
	SSPACE = 256,
	FINALFUNC = @extschema@.kpi_timeline_final,
	COMBINEFUNC = @extschema@.kpi_timeline_combine,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.kpi_merge(@extschema@.kpi_timeline) (
	SFUNC = @extschema@.kpi_timeline_combine,
	STYPE = @extschema@.kpi_timeline,
	SSPACE = 512,
	FINALFUNC = @extschema@.kpi_timeline_final,
	COMBINEFUNC = @extschema@.kpi_timeline_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.kpi_timeline(timestamptz, text) IS
	'a ticket''s status history from its changes (at, status), in any order; rows with a NULL instant or status are skipped';
COMMENT ON AGGREGATE @extschema@.kpi_merge(@extschema@.kpi_timeline) IS
	'the union of status histories: the merge of parts equals the history of all their rows';

CREATE FUNCTION @extschema@.kpi_timeline_add(@extschema@.kpi_timeline, @extschema@.kpi_timeline)
	RETURNS @extschema@.kpi_timeline AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_timeline_add(@extschema@.kpi_timeline, @extschema@.kpi_timeline) IS 'the union of two status histories';
CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.kpi_timeline,
	RIGHTARG = @extschema@.kpi_timeline,
	FUNCTION = @extschema@.kpi_timeline_add,
	COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+ (@extschema@.kpi_timeline, @extschema@.kpi_timeline) IS 'the union of two status histories';

-- Accessors.  A set of statuses acts as one status: moving between two of
-- its statuses is no new entry.
CREATE FUNCTION @extschema@.kpi_time_in(@extschema@.kpi_timeline, text) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_time_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_time_in(@extschema@.kpi_timeline, text[]) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_time_in_set' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_time_in(@extschema@.kpi_timeline, text, until timestamptz) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_time_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_time_in(@extschema@.kpi_timeline, text[], until timestamptz) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_time_in_set' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_first_at(@extschema@.kpi_timeline, text) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_timeline_first_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_first_at(@extschema@.kpi_timeline, text[]) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_timeline_first_at_set' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_last_at(@extschema@.kpi_timeline, text) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_timeline_last_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_last_at(@extschema@.kpi_timeline, text[]) RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_timeline_last_at_set' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_entries(@extschema@.kpi_timeline, text) RETURNS integer
	AS 'MODULE_PATHNAME', 'kpi_timeline_entries' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_entries(@extschema@.kpi_timeline, text[]) RETURNS integer
	AS 'MODULE_PATHNAME', 'kpi_timeline_entries_set' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_status_at(@extschema@.kpi_timeline, timestamptz) RETURNS text
	AS 'MODULE_PATHNAME', 'kpi_timeline_status_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_intervals(@extschema@.kpi_timeline,
	OUT status text, OUT entered timestamptz, OUT "left" timestamptz) RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'kpi_timeline_intervals' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
CREATE FUNCTION @extschema@.kpi_timeline_jsonb(@extschema@.kpi_timeline) RETURNS jsonb
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (@extschema@.kpi_timeline AS jsonb)
	WITH FUNCTION @extschema@.kpi_timeline_jsonb(@extschema@.kpi_timeline);
COMMENT ON FUNCTION @extschema@.kpi_time_in(@extschema@.kpi_timeline, text) IS
	'time in the status: each change counts up to the next; the status in force after the last change does not count';
COMMENT ON FUNCTION @extschema@.kpi_time_in(@extschema@.kpi_timeline, text[]) IS
	'time in any of the statuses: each change counts up to the next; the status in force after the last change does not count';
COMMENT ON FUNCTION @extschema@.kpi_time_in(@extschema@.kpi_timeline, text, timestamptz) IS
	'time in the status up to until: the status in force after the last change counts up to until; nothing counts after until';
COMMENT ON FUNCTION @extschema@.kpi_time_in(@extschema@.kpi_timeline, text[], timestamptz) IS
	'time in any of the statuses up to until: the status in force after the last change counts up to until; nothing counts after until';
COMMENT ON FUNCTION @extschema@.kpi_first_at(@extschema@.kpi_timeline, text) IS 'first entry into the status (first reply, first resolution); NULL if never entered';
COMMENT ON FUNCTION @extschema@.kpi_first_at(@extschema@.kpi_timeline, text[]) IS 'first entry into the set of statuses; NULL if never entered';
COMMENT ON FUNCTION @extschema@.kpi_last_at(@extschema@.kpi_timeline, text) IS 'last entry into the status (full resolution); NULL if never entered';
COMMENT ON FUNCTION @extschema@.kpi_last_at(@extschema@.kpi_timeline, text[]) IS 'last entry into the set of statuses (moving within the set is no entry); NULL if never entered';
COMMENT ON FUNCTION @extschema@.kpi_entries(@extschema@.kpi_timeline, text) IS 'entries into the status (a change to the status already in force is none): reopens';
COMMENT ON FUNCTION @extschema@.kpi_entries(@extschema@.kpi_timeline, text[]) IS 'entries into the set of statuses (moving within the set is none)';
COMMENT ON FUNCTION @extschema@.kpi_status_at(@extschema@.kpi_timeline, timestamptz) IS 'the status in force at an instant (at a change, the new one); NULL before the first change';
COMMENT ON FUNCTION @extschema@.kpi_intervals(@extschema@.kpi_timeline) IS 'one row per entry: status, entered and left ([entered, left); left NULL for the last)';
COMMENT ON FUNCTION @extschema@.kpi_timeline_jsonb(@extschema@.kpi_timeline) IS 'the changes as jsonb: [{"at": instant in UTC, "status": status}, ...]';
-- Equality: equal histories have equal stored bytes (the form is canonical)
CREATE FUNCTION @extschema@.kpi_timeline_eq(@extschema@.kpi_timeline, @extschema@.kpi_timeline) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_timeline_ne(@extschema@.kpi_timeline, @extschema@.kpi_timeline) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_timeline_hash(@extschema@.kpi_timeline) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_timeline_eq(@extschema@.kpi_timeline, @extschema@.kpi_timeline) IS 'whether two status histories have the same changes';
COMMENT ON FUNCTION @extschema@.kpi_timeline_ne(@extschema@.kpi_timeline, @extschema@.kpi_timeline) IS 'whether two status histories differ';
COMMENT ON FUNCTION @extschema@.kpi_timeline_hash(@extschema@.kpi_timeline) IS 'hash of a kpi_timeline value, for hash aggregation and joins';
CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.kpi_timeline, RIGHTARG = @extschema@.kpi_timeline,
	FUNCTION = @extschema@.kpi_timeline_eq, COMMUTATOR = OPERATOR(@extschema@.=),
	NEGATOR = OPERATOR(@extschema@.<>), RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.kpi_timeline, RIGHTARG = @extschema@.kpi_timeline,
	FUNCTION = @extschema@.kpi_timeline_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
	NEGATOR = OPERATOR(@extschema@.=), RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.kpi_timeline, @extschema@.kpi_timeline) IS 'whether two status histories have the same changes';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.kpi_timeline, @extschema@.kpi_timeline) IS 'whether two status histories differ';
CREATE OPERATOR CLASS @extschema@.kpi_timeline_hash_ops DEFAULT FOR TYPE @extschema@.kpi_timeline USING hash AS
	OPERATOR 1 @extschema@.= (@extschema@.kpi_timeline, @extschema@.kpi_timeline),
	FUNCTION 1 @extschema@.kpi_timeline_hash(@extschema@.kpi_timeline);
-- END kpi_timeline

-- ==================================================================
-- Business hours: kpi_calendar, kpi_business_duration, kpi_business_add,
-- kpi_is_open, kpi_business_days, kpi_add_business_days
-- ==================================================================
-- BEGIN calendar
-- A calendar is a value: a time zone, weekly opening hours, closed dates
-- and special hours.  Stored in a canonical binary form (version byte
-- first), so equal calendars have equal bytes; the text form reads back to
-- the same value.  Open hours are local times turned into instants as
-- (day + time) AT TIME ZONE zone does for a full zone name.
CREATE TYPE @extschema@.kpi_calendar;
CREATE FUNCTION @extschema@.kpi_calendar_in(cstring) RETURNS @extschema@.kpi_calendar
	AS 'MODULE_PATHNAME', 'kpi_calendar_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_calendar_out(@extschema@.kpi_calendar) RETURNS cstring
	AS 'MODULE_PATHNAME', 'kpi_calendar_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_calendar_recv(internal) RETURNS @extschema@.kpi_calendar
	AS 'MODULE_PATHNAME', 'kpi_calendar_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_calendar_send(@extschema@.kpi_calendar) RETURNS bytea
	AS 'MODULE_PATHNAME', 'kpi_calendar_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.kpi_calendar (
	INPUT = @extschema@.kpi_calendar_in,
	OUTPUT = @extschema@.kpi_calendar_out,
	RECEIVE = @extschema@.kpi_calendar_recv,
	SEND = @extschema@.kpi_calendar_send,
	INTERNALLENGTH = VARIABLE,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.kpi_calendar IS
	'business hours: time zone; weekly hours; closed dates; special hours (''Europe/Prague; mon-fri 09:00-17:00; closed 2026-12-24'')';
COMMENT ON FUNCTION @extschema@.kpi_calendar_in(cstring) IS 'text input of kpi_calendar';
COMMENT ON FUNCTION @extschema@.kpi_calendar_out(@extschema@.kpi_calendar) IS 'text output of kpi_calendar, normalised';
COMMENT ON FUNCTION @extschema@.kpi_calendar_recv(internal) IS 'binary input of kpi_calendar';
COMMENT ON FUNCTION @extschema@.kpi_calendar_send(@extschema@.kpi_calendar) IS 'binary output of kpi_calendar';

-- Equality: the stored form is canonical, so equal calendars have equal
-- bytes; with a hash opclass, GROUP BY calendar, DISTINCT and joins work.
CREATE FUNCTION @extschema@.kpi_calendar_eq(@extschema@.kpi_calendar, @extschema@.kpi_calendar) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_calendar_ne(@extschema@.kpi_calendar, @extschema@.kpi_calendar) RETURNS boolean
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_calendar_hash(@extschema@.kpi_calendar) RETURNS integer
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_calendar_eq(@extschema@.kpi_calendar, @extschema@.kpi_calendar) IS 'whether two calendars are the same (same normalised text)';
COMMENT ON FUNCTION @extschema@.kpi_calendar_ne(@extschema@.kpi_calendar, @extschema@.kpi_calendar) IS 'whether two calendars differ';
COMMENT ON FUNCTION @extschema@.kpi_calendar_hash(@extschema@.kpi_calendar) IS 'hash of a kpi_calendar value, for hash aggregation and joins';
CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.kpi_calendar, RIGHTARG = @extschema@.kpi_calendar,
	FUNCTION = @extschema@.kpi_calendar_eq, COMMUTATOR = OPERATOR(@extschema@.=),
	NEGATOR = OPERATOR(@extschema@.<>), RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel,
	HASHES
);
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.kpi_calendar, RIGHTARG = @extschema@.kpi_calendar,
	FUNCTION = @extschema@.kpi_calendar_ne, COMMUTATOR = OPERATOR(@extschema@.<>),
	NEGATOR = OPERATOR(@extschema@.=), RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.kpi_calendar, @extschema@.kpi_calendar) IS 'whether two calendars are the same (same normalised text)';
COMMENT ON OPERATOR @extschema@.<> (@extschema@.kpi_calendar, @extschema@.kpi_calendar) IS 'whether two calendars differ';
CREATE OPERATOR CLASS @extschema@.kpi_calendar_hash_ops DEFAULT FOR TYPE @extschema@.kpi_calendar USING hash AS
	OPERATOR 1 @extschema@.= (@extschema@.kpi_calendar, @extschema@.kpi_calendar),
	FUNCTION 1 @extschema@.kpi_calendar_hash(@extschema@.kpi_calendar);

CREATE FUNCTION @extschema@.kpi_calendar(zone text, hours text, closed date[] DEFAULT '{}')
	RETURNS @extschema@.kpi_calendar
	AS 'MODULE_PATHNAME', 'kpi_calendar_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_calendar(text, text, date[]) IS
	'kpi_calendar from table data: a zone, the hours clauses (''mon-fri 09:00-17:00; sat 10:00-14:00''), closed dates';

CREATE FUNCTION @extschema@.kpi_business_duration(started timestamptz, finished timestamptz,
												  calendar @extschema@.kpi_calendar)
	RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_business_duration' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_business_add(start timestamptz, amount interval,
											 calendar @extschema@.kpi_calendar)
	RETURNS timestamptz
	AS 'MODULE_PATHNAME', 'kpi_business_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_is_open(at timestamptz, calendar @extschema@.kpi_calendar)
	RETURNS boolean
	AS 'MODULE_PATHNAME', 'kpi_is_open' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_business_days("from" date, "to" date, calendar @extschema@.kpi_calendar)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'kpi_business_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_add_business_days(day date, n integer, calendar @extschema@.kpi_calendar)
	RETURNS date
	AS 'MODULE_PATHNAME', 'kpi_add_business_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_business_duration(timestamptz, timestamptz, @extschema@.kpi_calendar) IS
	'open time of the calendar in [started, finished); negative when finished < started';
COMMENT ON FUNCTION @extschema@.kpi_business_add(timestamptz, interval, @extschema@.kpi_calendar) IS
	'SLA due date: the earliest instant with that much open time after start (latest before it for a negative amount; a day counts 24 hours)';
COMMENT ON FUNCTION @extschema@.kpi_is_open(timestamptz, @extschema@.kpi_calendar) IS
	'whether the calendar is open at that instant';
COMMENT ON FUNCTION @extschema@.kpi_business_days(date, date, @extschema@.kpi_calendar) IS
	'local days in [from, to) with opening hours (NETWORKDAYS); negative when to < from';
COMMENT ON FUNCTION @extschema@.kpi_add_business_days(date, integer, @extschema@.kpi_calendar) IS
	'the n-th day with opening hours after day (before it for n < 0; day itself for 0), the WORKDAY rule';
-- kpi_sla: % of rows that met their target, of those that met or breached
-- it; open rows not yet due at as_of are active and count in neither.  The
-- state is bigint[2] {met, breached}.
CREATE FUNCTION @extschema@.kpi_sla_accum(bigint[], timestamptz, timestamptz, interval, timestamptz)
	RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'kpi_sla_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_sla_inv(bigint[], timestamptz, timestamptz, interval, timestamptz)
	RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'kpi_sla_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_sla_accum(bigint[], timestamptz, timestamptz, interval,
										  @extschema@.kpi_calendar, timestamptz)
	RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'kpi_sla_calendar_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_sla_inv(bigint[], timestamptz, timestamptz, interval,
										@extschema@.kpi_calendar, timestamptz)
	RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'kpi_sla_calendar_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_sla_combine(bigint[], bigint[]) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'kpi_sla_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_sla_final(bigint[]) RETURNS double precision
	AS 'MODULE_PATHNAME', 'kpi_sla_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_sla_accum(bigint[], timestamptz, timestamptz, interval, timestamptz) IS
	'kpi_sla transition: counts the row as met, breached or neither';
COMMENT ON FUNCTION @extschema@.kpi_sla_inv(bigint[], timestamptz, timestamptz, interval, timestamptz) IS
	'kpi_sla inverse transition (moving windows)';
COMMENT ON FUNCTION @extschema@.kpi_sla_accum(bigint[], timestamptz, timestamptz, interval, @extschema@.kpi_calendar, timestamptz) IS
	'kpi_sla transition in business time: counts the row as met, breached or neither';
COMMENT ON FUNCTION @extschema@.kpi_sla_inv(bigint[], timestamptz, timestamptz, interval, @extschema@.kpi_calendar, timestamptz) IS
	'kpi_sla inverse transition in business time (moving windows)';
COMMENT ON FUNCTION @extschema@.kpi_sla_combine(bigint[], bigint[]) IS 'kpi_sla combine: adds the counts';
COMMENT ON FUNCTION @extschema@.kpi_sla_final(bigint[]) IS 'kpi_sla result: % met of met + breached; NULL when none';
CREATE AGGREGATE @extschema@.kpi_sla(started timestamptz, finished timestamptz, target interval, as_of timestamptz) (
	SFUNC = @extschema@.kpi_sla_accum, STYPE = bigint[], SSPACE = 40, INITCOND = '{0,0}',
	COMBINEFUNC = @extschema@.kpi_sla_combine, FINALFUNC = @extschema@.kpi_sla_final, PARALLEL = SAFE,
	MSFUNC = @extschema@.kpi_sla_accum, MINVFUNC = @extschema@.kpi_sla_inv, MSTYPE = bigint[],
	MSSPACE = 40, MINITCOND = '{0,0}', MFINALFUNC = @extschema@.kpi_sla_final
);
CREATE AGGREGATE @extschema@.kpi_sla(started timestamptz, finished timestamptz, target interval,
									 calendar @extschema@.kpi_calendar, as_of timestamptz) (
	SFUNC = @extschema@.kpi_sla_accum, STYPE = bigint[], SSPACE = 40, INITCOND = '{0,0}',
	COMBINEFUNC = @extschema@.kpi_sla_combine, FINALFUNC = @extschema@.kpi_sla_final, PARALLEL = SAFE,
	MSFUNC = @extschema@.kpi_sla_accum, MINVFUNC = @extschema@.kpi_sla_inv, MSTYPE = bigint[],
	MSSPACE = 40, MINITCOND = '{0,0}', MFINALFUNC = @extschema@.kpi_sla_final
);
COMMENT ON AGGREGATE @extschema@.kpi_sla(timestamptz, timestamptz, interval, timestamptz) IS
	'% of rows that met target (finished - started <= target), of those met or breached (later, or open and due before as_of)';
COMMENT ON AGGREGATE @extschema@.kpi_sla(timestamptz, timestamptz, interval, @extschema@.kpi_calendar, timestamptz) IS
	'% of rows that met target in business time, of those met or breached (later, or open and past kpi_business_add(started, target) at as_of)';
-- END calendar

-- ==================================================================
-- Time in status in business hours: kpi_time_in(..., until, kpi_calendar)
-- ==================================================================
-- BEGIN kpi_timeline business time
-- Each stretch of time in the status (or set) counts only the calendar's
-- open time, as kpi_business_duration measures it; the result is a plain
-- time, as kpi_business_duration's.  until may be NULL (no until: the
-- status in force after the last change does not count); there is no
-- three-argument form, which would make kpi_time_in(tl, s, '2024-01-02')
-- ambiguous.  Not strict for that: NULL if any other argument is NULL.
CREATE FUNCTION @extschema@.kpi_time_in(@extschema@.kpi_timeline, text, until timestamptz, calendar @extschema@.kpi_calendar) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_business_time_in' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_time_in(@extschema@.kpi_timeline, text[], until timestamptz, calendar @extschema@.kpi_calendar) RETURNS interval
	AS 'MODULE_PATHNAME', 'kpi_timeline_business_time_in_set' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_time_in(@extschema@.kpi_timeline, text, timestamptz, @extschema@.kpi_calendar) IS
	'open time of the calendar in the status, up to until (NULL: the status in force after the last change does not count)';
COMMENT ON FUNCTION @extschema@.kpi_time_in(@extschema@.kpi_timeline, text[], timestamptz, @extschema@.kpi_calendar) IS
	'open time of the calendar in any of the statuses, up to until (NULL: the status in force after the last change does not count)';
-- END kpi_timeline business time

-- ==================================================================
-- Durations in business hours: kpi_hist, kpi_avg_wait and
-- kpi_avg_resolution with a kpi_calendar
-- ==================================================================
-- BEGIN duration aggregates in business time
-- The same state, combine and final functions as the plain forms (so the
-- results merge with kpi_merge and push down to Citus shards alike); only
-- the row's duration differs: kpi_business_duration(started, finished,
-- calendar).  finished NULL is pending; a NULL calendar or started skips
-- the row.
CREATE FUNCTION @extschema@.kpi_hist_accum(@extschema@.kpi_hist, timestamptz, timestamptz, @extschema@.kpi_calendar)
	RETURNS @extschema@.kpi_hist AS 'MODULE_PATHNAME', 'kpi_hist_accum_business' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.kpi_hist_retract(@extschema@.kpi_hist, timestamptz, timestamptz, @extschema@.kpi_calendar)
	RETURNS @extschema@.kpi_hist AS 'MODULE_PATHNAME', 'kpi_hist_retract_business' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.kpi_hist_accum(@extschema@.kpi_hist, timestamptz, timestamptz, @extschema@.kpi_calendar) IS
	'transition function of kpi_hist, kpi_avg_wait and kpi_avg_resolution in business time';
COMMENT ON FUNCTION @extschema@.kpi_hist_retract(@extschema@.kpi_hist, timestamptz, timestamptz, @extschema@.kpi_calendar) IS
	'inverse transition of the business-time kpi_hist aggregates for moving windows; NULL asks for a recount';
CREATE AGGREGATE @extschema@.kpi_hist(started timestamptz, finished timestamptz, calendar @extschema@.kpi_calendar) (
	SFUNC = @extschema@.kpi_hist_accum, STYPE = @extschema@.kpi_hist, SSPACE = 256,
	FINALFUNC = @extschema@.kpi_hist_final, COMBINEFUNC = @extschema@.kpi_hist_combine, PARALLEL = SAFE,
	MSFUNC = @extschema@.kpi_hist_accum, MINVFUNC = @extschema@.kpi_hist_retract,
	MSTYPE = @extschema@.kpi_hist, MSSPACE = 256, MFINALFUNC = @extschema@.kpi_hist_final
);
CREATE AGGREGATE @extschema@.kpi_avg_wait(created timestamptz, first_reply timestamptz, calendar @extschema@.kpi_calendar) (
	SFUNC = @extschema@.kpi_hist_accum, STYPE = @extschema@.kpi_hist, SSPACE = 256,
	FINALFUNC = @extschema@.kpi_hist_mean_final, COMBINEFUNC = @extschema@.kpi_hist_combine, PARALLEL = SAFE,
	MSFUNC = @extschema@.kpi_hist_accum, MINVFUNC = @extschema@.kpi_hist_retract,
	MSTYPE = @extschema@.kpi_hist, MSSPACE = 256, MFINALFUNC = @extschema@.kpi_hist_mean_final
);
CREATE AGGREGATE @extschema@.kpi_avg_resolution(created timestamptz, resolved timestamptz, calendar @extschema@.kpi_calendar) (
	SFUNC = @extschema@.kpi_hist_accum, STYPE = @extschema@.kpi_hist, SSPACE = 256,
	FINALFUNC = @extschema@.kpi_hist_mean_final, COMBINEFUNC = @extschema@.kpi_hist_combine, PARALLEL = SAFE,
	MSFUNC = @extschema@.kpi_hist_accum, MINVFUNC = @extschema@.kpi_hist_retract,
	MSTYPE = @extschema@.kpi_hist, MSSPACE = 256, MFINALFUNC = @extschema@.kpi_hist_mean_final
);
COMMENT ON AGGREGATE @extschema@.kpi_hist(timestamptz, timestamptz, @extschema@.kpi_calendar) IS
	'histogram of business time from started to finished (kpi_business_duration); rows with finished NULL count as pending';
COMMENT ON AGGREGATE @extschema@.kpi_avg_wait(timestamptz, timestamptz, @extschema@.kpi_calendar) IS
	'exact mean business time from created to first reply over answered rows';
COMMENT ON AGGREGATE @extschema@.kpi_avg_resolution(timestamptz, timestamptz, @extschema@.kpi_calendar) IS
	'exact mean business time from created to resolved over resolved rows';
-- END duration aggregates in business time
