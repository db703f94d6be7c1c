-- Is the change real?  The significance tests on real surveys and service
-- requests (../shared/data), split by survey wave, purchase year, halves
-- of a file and of a day, and months; each p-value printed beside the same
-- formula in plain SQL over the same rows, which a reader can check.
\getenv data KPI_DATA
SET extra_float_digits = 0;
SET timezone = 'UTC';

-- erfc(x) for 0 <= x <= 7 in numeric, by the Taylor series of erf with 70
-- decimals, and the two-sided normal p-value of z from it.
CREATE FUNCTION sigrd_erfc(x numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
	WITH RECURSIVE t(n, v) AS (
		SELECT 0, x
		UNION ALL
		SELECT n + 1, round(v * (-x * x) / (n + 1), 70) FROM t WHERE n < 400)
	SELECT 1 - 2 / sqrt(3.14159265358979323846264338327950288419716939937510582097494459::numeric(70, 62))
	         * sum(round(v / (2 * n + 1), 70))
	FROM t
$$;
CREATE FUNCTION sigrd_normal_p(z float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN abs(z) > 9.8 THEN 0 ELSE sigrd_erfc((abs(z) / sqrt(2::float8))::numeric)::float8 END
$$;
-- The exact binomial test with exact integers (R's binom.test rule): the
-- weight of k of n is C(n, k) tc^k tp^(n-k), tc and tp divided by their gcd.
CREATE FUNCTION sigrd_binom_p(x bigint, n bigint, tc bigint, tp bigint) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
	WITH RECURSIVE r AS (SELECT tc / gcd(tc, tp) AS a, tp / gcd(tc, tp) AS b),
	     w(k, w) AS (SELECT 0::bigint, trunc(power(b::numeric, n)) FROM r
	                 UNION ALL
	                 SELECT k + 1, trunc(w * (n - k) * a / ((k + 1) * b)) FROM w, r WHERE k < n)
	SELECT (sum(w.w) FILTER (WHERE w.w * 10000000 <= o.w * 10000001) / sum(w.w))::float8
	FROM w, (SELECT w FROM w WHERE k = x) o
$$;

-- ---------- NPS: a garden-centre chain's survey, wave against wave ----------
CREATE TABLE sigrd_garden (rownum text, id text, nps text, satisfaction text, intention text,
                           explication text, visits text, spend text, t text);
\copy sigrd_garden FROM PROGRAM 'cat "$KPI_DATA/nps-garden-retail/nps.csv"' WITH (FORMAT csv, HEADER true, NULL 'NA', ENCODING 'LATIN1')
CREATE TABLE sigrd_waves AS
SELECT t::int AS wave, kpi_scores(nps::int) AS nps, kpi_scores(satisfaction::int) AS satisfaction,
       count(nps)::float8 AS n,
       count(*) FILTER (WHERE nps::int >= 9)::float8 AS promoters,
       count(*) FILTER (WHERE nps::int <= 6)::float8 AS detractors,
       count(satisfaction)::float8 AS sn,
       count(*) FILTER (WHERE satisfaction::int >= 8)::float8 AS satisfied
FROM sigrd_garden WHERE t IS NOT NULL GROUP BY 1;

-- each wave against the one before (waves with 100 answers or more)
SELECT b.wave AS wave, round(kpi_nps(b.nps)::numeric, 1) AS nps, a.wave AS previous, round(kpi_nps(a.nps)::numeric, 1) AS previous_nps,
       b.n::int AS answers, a.n::int AS previous_answers,
       round(kpi_nps_test(b.nps, a.nps)::numeric, 4) AS p,
       round(sql_p::numeric, 4) AS sql_p,
       abs(kpi_nps_test(b.nps, a.nps) - sql_p) <= 1e-12 AS equal,
       CASE WHEN kpi_nps_test(b.nps, a.nps) < 0.05 THEN '*' ELSE '' END AS "95%"
FROM sigrd_waves a JOIN sigrd_waves b ON b.wave = a.wave + 1,
     LATERAL (SELECT sigrd_normal_p(((b.promoters - b.detractors) / b.n - (a.promoters - a.detractors) / a.n)
                 / sqrt((b.promoters / b.n + b.detractors / b.n - ((b.promoters - b.detractors) / b.n) ^ 2) / b.n
                        + (a.promoters / a.n + a.detractors / a.n - ((a.promoters - a.detractors) / a.n) ^ 2) / a.n)) AS sql_p) s
WHERE a.n >= 100 AND b.n >= 100
ORDER BY b.wave;

-- satisfaction 1..10, "satisfied" from 8: the CSAT test with satisfied_min
SELECT b.wave, round(kpi_csat(b.satisfaction, 8)::numeric, 1) AS csat, round(kpi_csat(a.satisfaction, 8)::numeric, 1) AS previous_csat,
       round(kpi_csat_test(b.satisfaction, a.satisfaction, 8)::numeric, 4) AS p,
       abs(kpi_csat_test(b.satisfaction, a.satisfaction, 8) - sigrd_normal_p((b.satisfied / b.sn - a.satisfied / a.sn)
           / sqrt((a.satisfied + b.satisfied) / (a.sn + b.sn) * (1 - (a.satisfied + b.satisfied) / (a.sn + b.sn))
                  * (1 / a.sn + 1 / b.sn)))) <= 1e-12 AS equals_sql
FROM sigrd_waves a JOIN sigrd_waves b ON b.wave = a.wave + 1
WHERE a.sn >= 100 AND b.sn >= 100
ORDER BY b.wave;

-- the first waves against the last ones, rolled up from the per-wave summaries
SELECT round(kpi_nps(kpi_merge(nps) FILTER (WHERE wave <= 2))::numeric, 1) AS nps_waves_0_2,
       round(kpi_nps(kpi_merge(nps) FILTER (WHERE wave BETWEEN 10 AND 14))::numeric, 1) AS nps_waves_10_14,
       to_char(kpi_nps_test(kpi_merge(nps) FILTER (WHERE wave BETWEEN 10 AND 14), kpi_merge(nps) FILTER (WHERE wave <= 2)), '9.999EEEE') AS p
FROM sigrd_waves;

-- ---------- CSAT: support tickets, by year of purchase ----------
CREATE TABLE sigrd_tickets (id text, name text, email text, age text, gender text, product text,
                            purchased date, type text, subject text, description text, status text,
                            resolution text, priority text, channel text, first_response text,
                            time_to_resolution text, rating numeric);
\copy sigrd_tickets FROM PROGRAM 'cat "$KPI_DATA/support-tickets/customer_support_tickets.csv"' WITH (FORMAT csv, HEADER true)
SELECT round(kpi_csat(kpi_scores(rating::int) FILTER (WHERE purchased < '2021-01-01'))::numeric, 2) AS csat_2020,
       round(kpi_csat(kpi_scores(rating::int) FILTER (WHERE purchased >= '2021-01-01'))::numeric, 2) AS csat_2021,
       count(rating) FILTER (WHERE purchased < '2021-01-01') AS answers_2020,
       count(rating) FILTER (WHERE purchased >= '2021-01-01') AS answers_2021,
       round(kpi_csat_test(kpi_scores(rating::int) FILTER (WHERE purchased >= '2021-01-01'),
                           kpi_scores(rating::int) FILTER (WHERE purchased < '2021-01-01'))::numeric, 4) AS p,
       abs(kpi_csat_test(kpi_scores(rating::int) FILTER (WHERE purchased >= '2021-01-01'),
                         kpi_scores(rating::int) FILTER (WHERE purchased < '2021-01-01'))
           - sigrd_normal_p((sa / na - sb / nb) / sqrt((sa + sb) / (na + nb) * (1 - (sa + sb) / (na + nb)) * (1 / na + 1 / nb))))
         <= 1e-12 AS equals_sql
FROM sigrd_tickets,
     LATERAL (SELECT count(*) FILTER (WHERE purchased >= '2021-01-01' AND rating >= 4)::float8 AS sa,
                     count(rating) FILTER (WHERE purchased >= '2021-01-01')::float8 AS na,
                     count(*) FILTER (WHERE purchased < '2021-01-01' AND rating >= 4)::float8 AS sb,
                     count(rating) FILTER (WHERE purchased < '2021-01-01')::float8 AS nb
              FROM sigrd_tickets) c
GROUP BY sa, na, sb, nb;
-- each channel against all the others: four tests, none should stand out
-- in synthetic data
SELECT channel, round(kpi_csat(s)::numeric, 2) AS csat, round(kpi_csat(o)::numeric, 2) AS others,
       round(kpi_csat_test(s, o)::numeric, 4) AS p, kpi_csat_test(s, o) = kpi_csat_test(o, s) AS symmetric
FROM (SELECT channel, kpi_scores(rating::int) AS s,
             (SELECT kpi_scores(rating::int) FROM sigrd_tickets i WHERE i.channel <> t.channel) AS o
      FROM sigrd_tickets t GROUP BY channel) c
ORDER BY channel;

-- ---------- NPS: Miro in-product survey, split in two at random ----------
-- The file is sorted by score, so the halves are drawn by a hash of the
-- user id: two samples of the same users, where a real change is unlikely.
CREATE TABLE sigrd_miro (user_id text, comment text, score int);
\copy sigrd_miro FROM PROGRAM 'cat "$KPI_DATA/miro-feedback/nps.csv"' WITH (FORMAT csv, HEADER true)
CREATE TABLE sigrd_miro_halves AS
SELECT get_byte(decode(md5(user_id), 'hex'), 0) % 2 AS half, score FROM sigrd_miro;
WITH h AS (SELECT half, kpi_scores(score) AS s, count(score)::float8 AS c,
                  (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))::float8 / count(score) AS net,
                  (count(*) FILTER (WHERE score >= 9) + count(*) FILTER (WHERE score <= 6))::float8 / count(score) AS pd
           FROM sigrd_miro_halves GROUP BY half)
SELECT a.c AS first_answers, b.c AS second_answers,
       round(kpi_nps(a.s)::numeric, 2) AS nps_first, round(kpi_nps(b.s)::numeric, 2) AS nps_second,
       round(kpi_nps_test(b.s, a.s)::numeric, 4) AS p,
       abs(kpi_nps_test(b.s, a.s) - sigrd_normal_p((b.net - a.net) / sqrt((b.pd - b.net ^ 2) / b.c + (a.pd - a.net ^ 2) / a.c)))
         <= 1e-12 AS equals_sql
FROM h a JOIN h b ON a.half = 0 AND b.half = 1;

-- ---------- counts: NYC 311 service requests ----------
CREATE TABLE sigrd_nyc (unique_key text, created text, closed text, complaint_type text, borough text);
\copy sigrd_nyc FROM PROGRAM 'cat "$KPI_DATA/nyc311/nyc_311_2020_subset_noheader.csv"' WITH (FORMAT csv)
CREATE TABLE sigrd_requests AS
SELECT to_timestamp(created, 'MM/DD/YYYY HH12:MI:SS AM')::date AS day, borough FROM sigrd_nyc;
-- months with requests, each against the month before: the change per day
-- and the exact test, beside the same in plain SQL
SELECT to_char(m, 'YYYY-MM') AS month, c AS requests, pc AS previous,
       round(kpi_rate_change(c, daterange(m::date, (m + interval '1 month')::date), pc,
                             daterange((m - interval '1 month')::date, m::date))::numeric, 1) AS "change per day %",
       round((100 * (c::numeric / days - pc::numeric / pdays) / (pc::numeric / pdays)), 1) AS "same in SQL",
       to_char(kpi_rate_test(c, daterange(m::date, (m + interval '1 month')::date), pc,
                             daterange((m - interval '1 month')::date, m::date)), '9.999EEEE') AS p,
       CASE WHEN c + pc <= 2000 THEN
         abs(kpi_rate_test(c, daterange(m::date, (m + interval '1 month')::date), pc,
                           daterange((m - interval '1 month')::date, m::date)) - sigrd_binom_p(c, c + pc, days, pdays)) <= 1e-12
       END AS exact_sql_equal
FROM (SELECT m, count(r.day) AS c,
             (SELECT count(*) FROM sigrd_requests p WHERE p.day >= m - interval '1 month' AND p.day < m) AS pc,
             ((m + interval '1 month')::date - m::date) AS days, (m::date - (m - interval '1 month')::date) AS pdays
      FROM generate_series(timestamp '2020-02-01', '2020-08-01', '1 month') m
      LEFT JOIN sigrd_requests r ON r.day >= m AND r.day < m + interval '1 month'
      GROUP BY m) x
ORDER BY month;
-- July against August by borough
SELECT borough, count(*) FILTER (WHERE day >= '2020-08-01') AS august, count(*) FILTER (WHERE day < '2020-08-01') AS july,
       to_char(kpi_rate_test(count(*) FILTER (WHERE day >= '2020-08-01'), daterange('2020-08-01', '2020-09-01'),
                             count(*) FILTER (WHERE day < '2020-08-01'), daterange('2020-07-01', '2020-08-01')), '9.999EEEE') AS p,
       abs(kpi_rate_test(count(*) FILTER (WHERE day >= '2020-08-01'), daterange('2020-08-01', '2020-09-01'),
                         count(*) FILTER (WHERE day < '2020-08-01'), daterange('2020-07-01', '2020-08-01'))
           - sigrd_binom_p(count(*) FILTER (WHERE day >= '2020-08-01'), count(*), 31, 31)) <= 1e-12 AS exact_sql_equal
FROM sigrd_requests WHERE day >= '2020-07-01' AND day < '2020-09-01'
  AND borough IN ('BRONX', 'BROOKLYN', 'MANHATTAN', 'QUEENS', 'STATEN ISLAND')   -- column 5 is corrupt in some rows
GROUP BY borough ORDER BY borough;

-- Two hours of requests (1 May 2022, from midnight): the second hour
-- against the first, the second half hour against the first, and 20
-- minutes against the 40 after them; periods as tstzrange.
CREATE TABLE sigrd_day (unique_key text, created text);
\copy sigrd_day FROM PROGRAM 'cut -d, -f1,2 "$KPI_DATA/nyc311/311_Service_Requests_2022-05-01_sample.csv"' WITH (FORMAT csv, HEADER true)
CREATE TABLE sigrd_day_requests AS
SELECT to_timestamp(created, 'MM/DD/YYYY HH12:MI:SS AM') AS created FROM sigrd_day;
SELECT label, c AS requests, pc AS previous, round(kpi_rate_change(c, cur, pc, prev)::numeric, 1) AS "change per minute %",
       round(100 * (c::numeric / cur_min - pc::numeric / prev_min) / (pc::numeric / prev_min), 1) AS "same in SQL",
       to_char(kpi_rate_test(c, cur, pc, prev), '9.999EEEE') AS p,
       abs(kpi_rate_test(c, cur, pc, prev) - sigrd_binom_p(c, c + pc, cur_min, prev_min)) <= 1e-12 AS exact_sql_equal
FROM (SELECT label, cur, prev,
             (SELECT count(*) FROM sigrd_day_requests WHERE created <@ cur) AS c,
             (SELECT count(*) FROM sigrd_day_requests WHERE created <@ prev) AS pc,
             extract(epoch FROM upper(cur) - lower(cur))::bigint / 60 AS cur_min,
             extract(epoch FROM upper(prev) - lower(prev))::bigint / 60 AS prev_min
      FROM (VALUES ('01:00-02:00 against 00:00-01:00', tstzrange('2022-05-01 01:00', '2022-05-01 02:00'), tstzrange('2022-05-01 00:00', '2022-05-01 01:00')),
                   ('00:30-01:00 against 00:00-00:30', tstzrange('2022-05-01 00:30', '2022-05-01 01:00'), tstzrange('2022-05-01 00:00', '2022-05-01 00:30')),
                   ('00:00-00:20 against 00:20-01:00', tstzrange('2022-05-01 00:00', '2022-05-01 00:20'), tstzrange('2022-05-01 00:20', '2022-05-01 01:00')))
           v(label, cur, prev)) x
ORDER BY label;
SELECT count(*) AS requests, count(*) FILTER (WHERE created <@ tstzrange('2022-05-01 00:00', '2022-05-01 02:00')) AS in_the_two_hours
FROM sigrd_day_requests;
