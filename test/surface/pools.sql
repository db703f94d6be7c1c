-- The argument pools of the SQL-surface fuzzer: for each type, SQL
-- expressions a user could pass.  Expressions that do not evaluate on this
-- server (an infinite interval before PostgreSQL 17, a type that does not
-- exist yet) are dropped when the pools are built, and the run says so.
CREATE TABLE kpi_fuzz_candidate (typ text, expr text);
INSERT INTO kpi_fuzz_candidate (typ, expr)
SELECT t, e FROM (VALUES
  -- integers: extremes and +-1, small scores, 11, +-2^31
  ('smallint', ARRAY['0', '1', '-1', '2', '-2', '4', '5', '9', '10', '11', '32767', '-32768', '-32767']),
  ('integer', ARRAY['0', '1', '-1', '2', '-2', '3', '4', '5', '6', '7', '9', '10', '11', '-11', '2147483647',
                    '-2147483648', '2147483646', '2000000000', '-2000000000', '65541']),
  ('bigint', ARRAY['0', '1', '-1', '-2', '5', '9', '10', '11', '2147483648', '-2147483649', '4294967301',
                   '9223372036854775807', '-9223372036854775808', '9223372036854775806']),
  ('double precision', ARRAY['0', '''-0''', '1', '-1', '0.5', '0.95', '0.99', '0.999999', '1.0000001', '1e-300', '-1e-300',
                             '1e300', '-1e300', '''NaN''', '''Infinity''', '''-Infinity''', '5e-324', '1e-16', '100']),
  ('numeric', ARRAY['0', '-0.5', '1', '1.5', '100', '-100', '''NaN''', '''Infinity''', '''-Infinity''', '1e-100',
                    '''1' || repeat('0', 108) || '.5''', '-9999999999999999999999999999999999999.5', '1e130000']),
  ('boolean', ARRAY['true', 'false']),
  -- intervals: huge, negative, 1 microsecond, months and days, infinities
  ('interval', ARRAY['''0''', '''1 microsecond''', '''-1 microsecond''', '''1 second''', '''59.97 seconds''',
                     '''1 day''', '''1 mon''', '''-1 year''', '''100 years''', '''178000000 years''',
                     '''-178000000 years''', '''2147483647 days 2562047788 hours''', '''-2147483648 days -2562047788 hours''',
                     '''2147483647 months 2147483647 days 2562047788 hours''', '''-2147483648 months''',
                     '''infinity''', '''-infinity''', '''8 hours''', '''4 hours''']),
  ('timestamp with time zone', ARRAY['''2024-01-01 00:00:00+00''', '''2024-03-10 02:30 America/New_York''',
                     '''2024-12-31 23:59:59.999999+00''', '''infinity''', '''-infinity''', '''4714-11-24 00:00:00+00 BC''',
                     '''294276-12-31 23:59:59.999999+00''', '''2000-01-01 00:00:00+00''', '''2011-12-30 12:00 Pacific/Apia''',
                     '''2024-01-05 18:00+01''', '''2024-01-08 09:30+01''']),
  ('date', ARRAY['''2024-01-01''', '''2024-02-29''', '''2024-12-24''', '''infinity''', '''-infinity''',
                 '''4714-11-24 BC''', '''5874897-12-31''', '''2000-01-01''']),
  ('tstzrange', ARRAY['''empty''', '''(,)''', '''[2024-01-01,2024-02-01)''', '''[2024-01-01,infinity)''',
                      '''[2024-01-01,2024-01-01]''', '''(-infinity,infinity)''', '''[2024-02-01,2024-03-01)''',
                      '''[4714-11-24 00:00:00+00 BC,294276-12-31 23:59:59.999999+00)''', '''[2024-01-01,)''']),
  ('daterange', ARRAY['''empty''', '''(,)''', '''[2024-01-01,2024-02-01)''', '''[2024-01-01,infinity)''',
                      '''[2024-01-01,2024-01-01]''', '''(-infinity,infinity)''', '''[2024-02-01,2024-03-01)''',
                      '''[4714-11-24 BC,5874897-12-31)''', '''[2024-01-01,)''']),
  ('text', ARRAY['''''', '''new''', '''open''', '''pending''', '''solved''', '''Accepted / Wait - User''',
                 'repeat(''x'', 10000)', 'E''\\x01\\x7f''', '''Europe/Prague''', '''mon-fri 09:00-17:00''',
                 '''Europe/Prague; mon-fri 09:00-12:00, 13:00-17:00; closed 2024-12-24..2024-12-26''',
                 '''UTC; mon-sun 00:00-24:00''', '''No/Such_Zone''', '''{}''', '''kpi_hist v1''']),
  ('text[]', ARRAY['''{}''', '''{new,open}''', '''{NULL}''', '''{pending,pending}''', 'ARRAY[repeat(''y'', 5000)]',
                   '''{{a,b},{c,d}}''']),
  ('double precision[]', ARRAY['''{}''', '''{0,0.5,1}''', '''{NaN}''', '''{-1,2}''', '''{NULL}''', '''{{0.5}}''',
                               '''{1,0.5,0}''', '''{Infinity}''']),
  ('bigint[]', ARRAY['''{}''', '''{0,0,0}''', '''{1,1,1}''', '''{-1,5,2}''', '''{NULL,1,2}''', '''{{1,2},{3,4}}''',
                     '''{9223372036854775807,9223372036854775807,0}''', '''{1,2,3,4,5,6,7,8}''']),
  ('date[]', ARRAY['''{}''', '''{2024-12-24}''', '''{infinity}''', '''{NULL}''', '''{2024-12-24,2024-12-24}''']),
  ('kpi_satisfaction', ARRAY['''very dissatisfied''', '''dissatisfied''', '''neutral''', '''satisfied''', '''very satisfied''']),
  -- summaries: valid, empty, extreme, stored
  ('kpi_scores', ARRAY['''{}''', '''{1:1}''', '''{5:9223372036854775807}''', '''{0:1,10:1}''', '''{1:3,4:10,5:22}''',
                       '''{2:1,9:1}''', '''{0:4611686018427387903,10:4611686018427387904}''', '''{6:1}''',
                       '(SELECT s FROM kpi_fuzz_stored)', '(SELECT s FROM kpi_fuzz_compressed)']),
  ('kpi_hist', ARRAY['''kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1''',
                     '''kpi_hist v1 count=0 pending=3 sum_us=0 min_us=0 max_us=0 buckets=''',
                     '''kpi_hist v1 count=0 pending=0 sum_us=0 min_us=0 max_us=0 buckets=''',
                     '''kpi_hist v1 count=9223372036854775000 pending=0 sum_us=46116860184273875001 min_us=5 max_us=6 buckets=5:4611686018427387500,6:4611686018427387500''',
                     '''kpi_hist v1 count=0 pending=9223372036854775807 sum_us=0 min_us=0 max_us=0 buckets=''',
                     '(SELECT kpi_hist(interval ''9223372036854775807 microseconds''))',
                     '(SELECT kpi_hist(interval ''-9223372036854775808 microseconds''))',
                     '(SELECT kpi_hist(make_interval(secs => g)) FROM generate_series(-50, 50) g)',
                     '(SELECT kpi_hist(g * interval ''1 microsecond'') FROM generate_series(1, 3) g)',
                     '(SELECT h FROM kpi_fuzz_stored)', '(SELECT h FROM kpi_fuzz_compressed)',
                     '(SELECT kpi_fuzz_hist_state(g * interval ''1 second'') FROM generate_series(1, 3) g)',
                     '(SELECT kpi_fuzz_hist_state(g * interval ''1 ms'') FROM generate_series(1, 5000) g)',
                     '(SELECT s FROM (SELECT kpi_fuzz_hist_state(v) OVER (ORDER BY g ROWS 1 PRECEDING) s, g FROM (VALUES (1, NULL::interval), (2, NULL)) v(g, v)) w WHERE g = 2)']),
  ('kpi_churn_state', ARRAY['''v1 date [2024-01-01,2024-02-01) active=4 lost=1''',
                            '''v1 date [2024-01-01,2024-02-01) active=0 lost=0''',
                            '''v1 timestamptz [2024-01-01 00:00:00+00,2024-02-01 00:00:00+00) active=2 lost=2''',
                            '''v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=5 lost_mrr=0''',
                            '''v1 date [2024-01-01,2024-02-01) active=9223372036854775807 lost=9223372036854775807''',
                            '(SELECT c FROM kpi_fuzz_stored)', '(SELECT c FROM kpi_fuzz_compressed)',
                            '(SELECT kpi_fuzz_revenue_state(''2023-01-01''::date, NULL, ''[2024-01-01,2024-02-01)''::daterange, 2.5))']),
  ('kpi_calendar', ARRAY['''Europe/Prague; mon-fri 09:00-12:00, 13:00-17:00; sat 10:00-14:00; closed 2026-12-24..2026-12-26, 2027-01-01; 2026-12-31 09:00-12:00''',
                         '''UTC; mon-sun 00:00-24:00''', '''America/New_York; mon-fri 09:00-17:00''',
                         '''Australia/Lord_Howe; mon-fri 01:00-03:00''', '''Pacific/Apia; mon-sun 00:00-24:00''',
                         '''UTC''', '''Asia/Kolkata; closed 2024-01-01''']),
  ('kpi_timeline', ARRAY['(SELECT kpi_timeline(at, s) FROM (VALUES (timestamptz ''2024-01-01'', ''new''), (''2024-01-02'', ''open''), (''2024-01-03'', ''solved'')) v(at, s))',
                         '(SELECT kpi_timeline(at, s) FROM (VALUES (timestamptz ''2024-01-01'', ''new'')) v(at, s))',
                         '(SELECT kpi_timeline(timestamptz ''4714-11-24 00:00:00+00 BC'' + g * interval ''1000 years'', (g % 3)::text) FROM generate_series(0, 30) g)'])
) v(t, es), unnest(es) e;
-- cstring: text forms, good and bad, of every type
INSERT INTO kpi_fuzz_candidate (typ, expr)
SELECT 'cstring', expr FROM kpi_fuzz_candidate WHERE typ IN ('text', 'kpi_scores', 'kpi_hist', 'kpi_churn_state', 'kpi_calendar')
  AND expr LIKE '''%'
UNION ALL
SELECT 'cstring', e FROM unnest(ARRAY['''{1:''', '''kpi_hist v1 count=1''', '''v1 date [2024-01-01''',
                                      '''kpi_hist v1 count=1 pending=0 sum_us=5 min_us=5 max_us=5 buckets=5:1,''',
                                      '''{"2024-01-01 00:00:00+00":"new"''', '''Mars/Olympus; mon 09:00-17:00''',
                                      '''UTC; mon 09:00-25:00''', '''UTC; funday 09:00-10:00''']) e;

-- Stored values: out of line (EXTERNAL, in a row too wide to keep them)
-- and compressed (MAIN), read back through the TOAST machinery.
CREATE AGGREGATE kpi_fuzz_hist_state(interval) (SFUNC = kpi_hist_accum, STYPE = kpi_hist,
  MSFUNC = kpi_hist_accum, MINVFUNC = kpi_hist_retract, MSTYPE = kpi_hist);
CREATE AGGREGATE kpi_fuzz_revenue_state(date, date, daterange, numeric) (
  SFUNC = kpi_revenue_churn_accum, STYPE = kpi_churn_state);
CREATE TABLE kpi_fuzz_stored (id int, pad text, h kpi_hist, s kpi_scores, c kpi_churn_state);
-- (kpi_scores is a PLAIN type: never toasted, never short-headed)
ALTER TABLE kpi_fuzz_stored ALTER pad SET STORAGE PLAIN, ALTER h SET STORAGE EXTERNAL,
  ALTER c SET STORAGE EXTERNAL;
INSERT INTO kpi_fuzz_stored
SELECT 1, repeat('p', 3000),
       (SELECT kpi_hist(g * interval '1 second') FROM generate_series(1, 100) g),
       '{1:3,4:10,5:22}', 'v1 date [2024-01-01,2024-02-01) active=1 lost=0 active_mrr=5 lost_mrr=0';
CREATE TABLE kpi_fuzz_compressed (LIKE kpi_fuzz_stored);
ALTER TABLE kpi_fuzz_compressed ALTER h SET STORAGE MAIN;
INSERT INTO kpi_fuzz_compressed
SELECT 2, '', (SELECT kpi_hist(make_interval(secs => g * g)) FROM generate_series(-3000, 3000) g), '{1:1}',
       'v1 date [2024-01-01,2024-02-01) active=4 lost=1';
