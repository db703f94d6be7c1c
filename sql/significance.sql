-- Is the change real?  kpi_csat_test, kpi_nps_test, kpi_rate_change and
-- kpi_rate_test, each against the same formula written here in plain SQL
-- over the same rows, then the published examples, the degenerate cases
-- and the errors.
SET extra_float_digits = 0;

-- erfc(x) for 0 <= x <= 7 in numeric: 1 - erf(x), erf by its Taylor
-- series sum (-1)^n x^(2n+1) / (n! (2n+1)) (each term from the last),
-- carried with 70 decimals so that 1 - erf keeps ~50 digits.
CREATE FUNCTION sig_erfc(x numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
	WITH RECURSIVE t(n, v) AS (
		SELECT 0, x
		UNION ALL
		SELECT n + 1, round(v * (-x * x) / (n + 1), 70) FROM t WHERE n < 400)
	SELECT 1 - 2 / sqrt(3.14159265358979323846264338327950288419716939937510582097494459::numeric(70, 62))
	         * sum(round(v / (2 * n + 1), 70))
	FROM t
$$;
-- the two-sided normal p-value of z
CREATE FUNCTION sig_normal_p(z float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
	SELECT sig_erfc((abs(z) / sqrt(2::float8))::numeric)::float8
$$;
-- the series against published values (Abramowitz and Stegun, table 7.1;
-- erfc(5) = 1.5374597944280348502e-12)
SELECT round(sig_erfc(1), 25) AS erfc_1, to_char(sig_erfc(5), '9.99999999999999EEEE') AS erfc_5;

-- ---------- CSAT and NPS: answers of teams in two months ----------
CREATE TABLE sig_answers AS
SELECT 'team ' || t AS team, m AS month,
       -- in February some answers move up, more so in the bigger teams
       least(5, 1 + (i * 7 + t) % 5 + CASE WHEN m = 2 AND i % (t + 2) = 0 THEN t % 3 ELSE 0 END) AS csat,
       least(10, (i * 13 + t) % 11 + CASE WHEN m = 2 AND i % (t + 2) = 0 THEN t ELSE 0 END) AS nps
FROM generate_series(0, 5) t, generate_series(1, 2) m, generate_series(1, 40 + 60 * t + 7 * m) i;

CREATE TABLE sig_pairs AS
SELECT team,
       kpi_scores(csat) FILTER (WHERE month = 2) AS csat_a, kpi_scores(csat) FILTER (WHERE month = 1) AS csat_b,
       kpi_scores(nps) FILTER (WHERE month = 2) AS nps_a, kpi_scores(nps) FILTER (WHERE month = 1) AS nps_b,
       count(*) FILTER (WHERE month = 2)::float8 AS na, count(*) FILTER (WHERE month = 1)::float8 AS nb,
       count(*) FILTER (WHERE month = 2 AND csat >= 4) AS sat_a, count(*) FILTER (WHERE month = 1 AND csat >= 4) AS sat_b,
       count(*) FILTER (WHERE month = 2 AND nps >= 7) AS sat7_a, count(*) FILTER (WHERE month = 1 AND nps >= 7) AS sat7_b,
       count(*) FILTER (WHERE month = 2 AND nps >= 9) AS pro_a, count(*) FILTER (WHERE month = 1 AND nps >= 9) AS pro_b,
       count(*) FILTER (WHERE month = 2 AND nps <= 6) AS det_a, count(*) FILTER (WHERE month = 1 AND nps <= 6) AS det_b
FROM sig_answers GROUP BY team;

-- CSAT: pooled two-proportion z-test, z = (pa - pb) / sqrt(P (1 - P) (1/na + 1/nb))
SELECT team, sat_a, na, sat_b, nb,
       round(kpi_csat_test(csat_a, csat_b)::numeric, 6) AS p,
       abs(kpi_csat_test(csat_a, csat_b) - sig_normal_p((sat_a / na - sat_b / nb)
           / sqrt((sat_a + sat_b) / (na + nb) * (1 - (sat_a + sat_b) / (na + nb)) * (1 / na + 1 / nb))))
         <= 1e-12 AS equals_sql,
       kpi_csat_test(csat_a, csat_b) = kpi_csat_test(csat_b, csat_a) AS symmetric
FROM sig_pairs ORDER BY team;

-- CSAT with satisfied_min on the 0..10 scale
SELECT team, round(kpi_csat_test(nps_a, nps_b, 7)::numeric, 6) AS p,
       abs(kpi_csat_test(nps_a, nps_b, 7) - sig_normal_p((sat7_a / na - sat7_b / nb)
           / sqrt((sat7_a + sat7_b) / (na + nb) * (1 - (sat7_a + sat7_b) / (na + nb)) * (1 / na + 1 / nb))))
         <= 1e-12 AS equals_sql
FROM sig_pairs ORDER BY team;

-- NPS: z = (NPS_a - NPS_b) / sqrt(V_a/n_a + V_b/n_b), V = p + d - (p - d)^2 in shares
SELECT team, round(kpi_nps(nps_a)::numeric, 1) AS nps_a, round(kpi_nps(nps_b)::numeric, 1) AS nps_b,
       round(kpi_nps_test(nps_a, nps_b)::numeric, 6) AS p,
       abs(kpi_nps_test(nps_a, nps_b) - sig_normal_p(
           ((pro_a - det_a) / na - (pro_b - det_b) / nb)
           / sqrt((pro_a / na + det_a / na - ((pro_a - det_a) / na) ^ 2) / na
                  + (pro_b / nb + det_b / nb - ((pro_b - det_b) / nb) ^ 2) / nb))) <= 1e-12 AS equals_sql
FROM sig_pairs ORDER BY team;

-- far in the tail the p-values keep their relative accuracy (erfc, not 1 - Phi)
SELECT to_char(p, '9.999EEEE') AS p, abs(p - sig_normal_p((0.7 - 0.55) / sqrt(0.625 * 0.375 * (2 / 1000.0)))) <= 1e-9 * p AS csat_relative_1e9,
       to_char(q, '9.999EEEE') AS nps_p,
       abs(q - sig_normal_p((0.5 - 0.2) / sqrt((0.6 + 0.1 - 0.5 ^ 2) / 1000 + (0.4 + 0.2 - 0.2 ^ 2) / 1000))) <= 1e-9 * q AS nps_relative_1e9
FROM (SELECT kpi_csat_test('{1:300,5:700}', '{1:450,5:550}') AS p,
             kpi_nps_test('{0:100,8:300,10:600}', '{0:200,8:400,10:400}') AS q) t;

-- the tests read rolled-up summaries: merging daily summaries changes nothing
SELECT kpi_csat_test(a, b) = (SELECT kpi_csat_test(kpi_scores(csat) FILTER (WHERE month = 2),
                                                   kpi_scores(csat) FILTER (WHERE month = 1)) FROM sig_answers)
       AS merged_equals_raw
FROM (SELECT kpi_merge(csat_a) AS a, kpi_merge(csat_b) AS b FROM sig_pairs) m;

-- ---------- counts over periods ----------
-- The exact binomial test in plain SQL, with exact integers: outcome k of
-- n has weight C(n, k) tc^k tp^(n-k) (tc, tp the period lengths divided by
-- their gcd), and the outcomes at most (1 + 1e-7) times as likely as the
-- observed one count, as in R's binom.test.
CREATE FUNCTION sig_binom_p(x bigint, n bigint, tc bigint, tp bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
	WITH RECURSIVE r AS (SELECT tc / gcd(tc, tp) AS a, tp / gcd(tc, tp) AS b),
	     -- w_0 = b^n, w_(k+1) = w_k (n - k) a / ((k + 1) b): exact integers
	     w(k, w) AS (SELECT 0::bigint, trunc(power(b::numeric, n)) FROM r
	                 UNION ALL
	                 SELECT k + 1, trunc(w * (n - k) * a / ((k + 1) * b)) FROM w, r WHERE k < n)
	SELECT (sum(w.w) FILTER (WHERE w.w * 10000000 <= o.w * 10000001) / sum(w.w))::float8
	FROM w, (SELECT w FROM w WHERE k = x) o
$$;
-- The January/February example: a team answered 1240 tickets in January
-- and 930 in February, "25% fewer"; a small team 124 and 93.  Per day it
-- is 17% fewer; is that real?
SELECT team, kpi_change(feb, jan) AS "change %",
       round(kpi_rate_change(feb, daterange('2026-02-01', '2026-03-01'), jan, daterange('2026-01-01', '2026-02-01'))::numeric, 4)
         AS "change per day %",
       round((100 * (feb / 28.0 - jan / 31.0) / (jan / 31.0))::numeric, 4) AS "same in SQL",
       round(kpi_rate_test(feb, daterange('2026-02-01', '2026-03-01'), jan, daterange('2026-01-01', '2026-02-01'))::numeric, 6) AS p,
       abs(kpi_rate_test(feb, daterange('2026-02-01', '2026-03-01'), jan, daterange('2026-01-01', '2026-02-01'))
           - sig_binom_p(feb, feb + jan, 28, 31)) <= 1e-9 * sig_binom_p(feb, feb + jan, 28, 31) AS "p equals SQL",
       kpi_rate_test(feb, daterange('2026-02-01', '2026-03-01'), jan, daterange('2026-01-01', '2026-02-01')) < 0.05 AS significant
FROM (VALUES ('big', 1240::bigint, 930::bigint), ('small', 124, 93), ('same per day', 310, 280)) v(team, jan, feb)
ORDER BY team;
-- a grid of counts against the exact SQL sum, day and hour periods
SELECT count(*) AS cases,
       bool_and(abs(kpi_rate_test(c, daterange('2026-01-01', '2026-01-08'), p, daterange('2026-02-01', '2026-02-06'))
                    - sig_binom_p(c, c + p, 7, 5)) <= 1e-12) AS days_equal_sql,
       bool_and(abs(kpi_rate_test(c, tstzrange('2026-01-01 00:00+00', '2026-01-01 03:00+00'), p,
                                  tstzrange('2026-01-02 00:00+00', '2026-01-02 01:30+00'))
                    - sig_binom_p(c, c + p, 2, 1)) <= 1e-12) AS hours_equal_sql,
       bool_and(coalesce(abs(kpi_rate_change(c, daterange('2026-01-01', '2026-01-08'), p, daterange('2026-02-01', '2026-02-06'))
                             - 100 * ((c / 7.0) - (p / 5.0)) / nullif(p / 5.0, 0)) <= 1e-12,
                         p = 0 AND kpi_rate_change(c, daterange('2026-01-01', '2026-01-08'), p,
                                                   daterange('2026-02-01', '2026-02-06')) IS NULL)) AS change_equals_sql
FROM generate_series(0, 40, 3) c, generate_series(0, 30, 4) p
WHERE c + p > 0;

-- Published examples, printed p-values.  R's binom.test documentation
-- (Conover 1971, pp. 97-98): 682 of 925 peas against Mendel's 3:1,
-- "p-value = 0.3825"; R's poisson.test documentation: 11 events in 800
-- person-years against 21 in 3011, "p-value = 0.07967".
SELECT round(kpi_rate_test(682, daterange('2026-01-01', '2026-01-04'), 243, daterange('2026-01-04', '2026-01-05'))::numeric, 4)
         AS peas,
       round(kpi_rate_test(11, daterange('2000-01-01', date '2000-01-01' + 800), 21,
                           daterange('2000-01-01', date '2000-01-01' + 3011))::numeric, 5) AS person_years;

-- A period is its exact elapsed time: March 2026 in Paris has 743 hours
-- (the clocks go forward), January 744; one ticket an hour is no change.
SET TimeZone = 'Europe/Paris';
SELECT kpi_rate_change(743, tstzrange('2026-03-01', '2026-04-01'), 744, tstzrange('2026-01-01', '2026-02-01')) AS dst_change,
       kpi_rate_test(743, tstzrange('2026-03-01', '2026-04-01'), 744, tstzrange('2026-01-01', '2026-02-01')) AS dst_p,
       kpi_rate_change(744, tstzrange('2026-03-01', '2026-04-01'), 744, tstzrange('2026-01-01', '2026-02-01')) > 0 AS one_more_hour_of_tickets;
RESET TimeZone;
-- bounds: a daterange is canonical [a,b), a tstzrange's [a,b] lasts as long as [a,b)
SELECT kpi_rate_change(31, daterange('2026-01-01', '2026-01-31', '[]'), 28, daterange('2026-02-01', '2026-03-01')) AS inclusive_days,
       kpi_rate_change(31, daterange('2025-12-31', '2026-01-31', '(]'), 28, daterange('2026-02-01', '2026-02-28', '[]')) AS exclusive_days,
       kpi_rate_change(2, tstzrange('2026-01-01 00:00+00', '2026-01-01 02:00+00', '[]'), 1,
                       tstzrange('2026-01-01 00:00+00', '2026-01-01 01:00+00', '()')) AS inclusive_time;
-- the widest periods still have an exact length
SELECT kpi_rate_change(1, tstzrange('4714-11-24 00:00:00+00 BC', '294276-12-31 23:59:59.999999+00'), 1,
                       tstzrange('4714-11-24 00:00:00+00 BC', '294276-12-31 23:59:59.999999+00')) AS widest_change,
       kpi_rate_test(5, daterange('4714-11-24 BC', '5874897-12-31'), 5, daterange('2000-01-01', '2000-01-02')) < 1e-20 AS widest_test;

-- ---------- degenerate cases ----------
SELECT kpi_csat_test('{1:1,4:3,5:2}', '{1:1,4:3,5:2}') AS same_summary,
       kpi_csat_test('{2:1,4:1}', '{1:10,5:10}') AS same_share,
       kpi_csat_test('{4:1,5:7}', '{4:30}') AS all_satisfied_both,
       kpi_csat_test('{1:7}', '{2:3,3:1}') AS none_satisfied_both,
       kpi_csat_test('{5:1}', '{1:1}') AS one_answer_each,
       kpi_csat_test('{}', '{5:1}') IS NULL AS empty_a, kpi_csat_test('{5:1}', '{}') IS NULL AS empty_b,
       kpi_csat_test('{}', '{}', 7) IS NULL AS empty_both;
SELECT kpi_nps_test('{0:1,10:5}', '{0:1,10:5}') AS same_summary,
       kpi_nps_test('{10:4}', '{0:3}') AS promoters_against_detractors,
       kpi_nps_test('{9:4,10:1}', '{7:2,8:9}') AS promoters_against_passives,
       kpi_nps_test('{9:1}', '{10:7}') AS promoters_both,
       kpi_nps_test('{3:1,10:1}', '{8:5}') AS same_nps,
       kpi_nps_test('{}', '{10:1}') IS NULL AS empty;
SELECT kpi_rate_test(0, daterange('2026-01-01', '2026-02-01'), 0, daterange('2026-02-01', '2026-03-01')) IS NULL AS no_counts_test,
       kpi_rate_change(0, daterange('2026-01-01', '2026-02-01'), 0, daterange('2026-02-01', '2026-03-01')) IS NULL AS no_counts_change,
       kpi_rate_change(5, daterange('2026-01-01', '2026-02-01'), 0, daterange('2026-02-01', '2026-03-01')) IS NULL AS no_previous_change,
       kpi_rate_test(5, daterange('2026-01-01', '2026-02-01'), 0, daterange('2026-02-01', '2026-03-01')) AS no_previous_p,
       kpi_rate_change(0, daterange('2026-01-01', '2026-02-01'), 5, daterange('2026-02-01', '2026-03-01')) AS none_now,
       kpi_rate_test(62, daterange('2026-01-01', '2026-02-01'), 56, daterange('2026-02-01', '2026-03-01')) AS same_rate_p,
       kpi_rate_change(62, daterange('2026-01-01', '2026-02-01'), 56, daterange('2026-02-01', '2026-03-01')) AS same_rate_change,
       kpi_rate_test(NULL, daterange('2026-01-01', '2026-02-01'), 56, daterange('2026-02-01', '2026-03-01')) IS NULL AS null_count,
       kpi_csat_test(NULL, '{5:1}') IS NULL AS null_summary;
-- extremes: p-values in [0, 1], never NaN
SELECT kpi_rate_test(9223372036854775806, daterange('2026-01-01', '2026-01-02'), 1, daterange('2026-01-02', '2026-01-03')) AS huge_count,
       kpi_rate_test(4611686018427387904, daterange('2026-01-01', '2026-01-02'), 4611686018427387903, daterange('2026-01-02', '2026-01-03')) AS huge_equalish,
       kpi_rate_change(9223372036854775807, daterange('2026-01-01', '2026-01-02'), 1, daterange('2000-01-01', '2026-01-02')) > 1e12 AS huge_change,
       kpi_csat_test('{5:9223372036854775807}', '{1:9223372036854775807}') AS huge_csat,
       kpi_nps_test('{10:9223372036854775807}', '{0:1,10:9223372036854775806}') AS huge_nps;

-- ---------- errors ----------
\set VERBOSITY default
SELECT kpi_csat_test('{1:1,9:1}', '{5:1}');
SELECT kpi_csat_test('{5:1}', '{0:1}');
SELECT kpi_csat_test('{5:1}', '{4:1}', 11);
SELECT kpi_rate_test(-1, daterange('2026-01-01', '2026-02-01'), 5, daterange('2026-02-01', '2026-03-01'));
SELECT kpi_rate_change(5, daterange('2026-01-01', '2026-01-01'), 5, daterange('2026-02-01', '2026-03-01'));
SELECT kpi_rate_test(5, tstzrange('2026-01-01 00:00+00', '2026-01-01 00:00+00', '[]'), 5, tstzrange('2026-02-01', '2026-03-01'));
SELECT kpi_rate_test(5, tstzrange('2026-01-01 00:00+00', NULL), 5, tstzrange('2026-02-01 00:00+00', '2026-03-01 00:00+00'));
SELECT kpi_rate_change(5, daterange('2026-01-01', 'infinity'), 5, daterange('2026-02-01', '2026-03-01'));
SELECT kpi_rate_test(9223372036854775807, daterange('2026-01-01', '2026-01-02'), 1, daterange('2026-01-02', '2026-01-03'));
\set VERBOSITY sqlstate
SELECT kpi_csat_test('{1:1,9:1}', '{5:1}');
SELECT kpi_csat_test('{5:1}', '{4:1}', -1);
SELECT kpi_csat_test('{}', '{}', 11);
SELECT kpi_rate_change(-5, daterange('2026-01-01', '2026-02-01'), 5, daterange('2026-02-01', '2026-03-01'));
SELECT kpi_rate_change(5, daterange('2026-01-01', '2026-02-01'), -5, daterange('2026-02-01', '2026-03-01'));
SELECT kpi_rate_test(5, daterange('2026-01-01', '2026-02-01'), -9223372036854775808, daterange('2026-02-01', '2026-03-01'));
SELECT kpi_rate_test(5, 'empty'::daterange, 5, daterange('2026-02-01', '2026-03-01'));
SELECT kpi_rate_change(5, daterange('2026-01-01', '2026-02-01'), 5, 'empty'::daterange);
SELECT kpi_rate_test(5, tstzrange('2026-01-01 00:00+00', '2026-01-01 00:00+00', '[]'), 5, tstzrange('2026-02-01', '2026-03-01'));
SELECT kpi_rate_change(5, tstzrange(NULL, '2026-01-01 00:00+00'), 5, tstzrange('2026-02-01', '2026-03-01'));
SELECT kpi_rate_test(5, tstzrange('-infinity', '2026-01-01 00:00+00'), 5, tstzrange('2026-02-01', '2026-03-01'));
SELECT kpi_rate_test(5, daterange('2026-01-01', '2026-02-01'), 5, daterange('-infinity', '2026-03-01'));
SELECT kpi_rate_test(9223372036854775807, daterange('2026-01-01', '2026-01-02'), 1, daterange('2026-01-02', '2026-01-03'));
\set VERBOSITY default

DROP FUNCTION sig_erfc(numeric), sig_normal_p(float8), sig_binom_p(bigint, bigint, bigint, bigint);
DROP TABLE sig_answers, sig_pairs;
