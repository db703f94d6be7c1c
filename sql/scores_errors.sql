-- Bad input: each error has its SQLSTATE and says what was expected.
\set VERBOSITY default
-- out-of-scale scores are errors, not skipped rows (22003)
SELECT kpi_csat(s) FROM (VALUES (5), (6)) v(s);
SELECT kpi_csat(s) FROM (VALUES (0)) v(s);
SELECT kpi_nps(s) FROM (VALUES (11)) v(s);
SELECT kpi_nps(s) FROM (VALUES (-1)) v(s);
SELECT kpi_scores(s) FROM (VALUES (2147483647)) v(s);
SELECT kpi_csat(s) FROM (VALUES (4294967301::bigint)) v(s);   -- would be 5 if truncated to 32 bits
SELECT kpi_nps(s) FROM (VALUES ((-1)::smallint)) v(s);
SELECT kpi_csat(s, 7) FROM (VALUES (12)) v(s);
SELECT kpi_csat(s, 11) FROM (VALUES (8)) v(s);
SELECT kpi_csat('{1:1,9:1}'::kpi_scores);
SELECT kpi_csat('{1:1}'::kpi_scores, -1);
SELECT kpi_csat_interval('{1:1}', 1);
SELECT kpi_csat_interval('{1:1}', 0);
SELECT kpi_csat_interval('{1:1}', 'NaN');
SELECT kpi_nps_margin('{1:1}', 1.5);
-- malformed text (22P02)
\set VERBOSITY terse
SELECT ''::kpi_scores;
SELECT '{'::kpi_scores;
SELECT '{1:2'::kpi_scores;
SELECT '{1:2,}'::kpi_scores;
SELECT '{1:}'::kpi_scores;
SELECT '{:3}'::kpi_scores;
SELECT '{-1:3}'::kpi_scores;
SELECT '{1:-3}'::kpi_scores;
SELECT '{11:3}'::kpi_scores;
SELECT '{4:1,2:1}'::kpi_scores;
SELECT '{4:1,4:1}'::kpi_scores;
SELECT '{1:9223372036854775808}'::kpi_scores;
SELECT '{1:9223372036854775807,2:1}'::kpi_scores;
SELECT '{1:2} x'::kpi_scores;
SELECT '{1;2}'::kpi_scores;
SELECT '[1:2]'::kpi_scores;
-- white space and zero counts are accepted; the output is canonical
SELECT ' { 1 : 2 , 3:0, 10:1 } '::kpi_scores;
SELECT '{1:9223372036854775807}'::kpi_scores;
-- merging past bigint is an error, not a wrap-around (22003)
SELECT '{1:9223372036854775807}'::kpi_scores + '{2:1}';
SELECT kpi_merge(x) FROM (VALUES ('{1:9223372036854775807}'::kpi_scores), ('{1:1}')) v(x);
\set VERBOSITY sqlstate
SELECT kpi_csat(s) FROM (VALUES (6)) v(s);
SELECT '{x}'::kpi_scores;
SELECT '{1:9223372036854775807}'::kpi_scores + '{2:1}';
