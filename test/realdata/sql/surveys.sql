-- CSAT and NPS on real public surveys (../shared/data), each compared with
-- the plain SQL over the same rows.  The data README's own figures are
-- checked too, as an independent source.
\getenv data KPI_DATA
SET extra_float_digits = 0;

-- Garden-centre chain NPS survey: scores 1..10, 'NA' when missing, Latin-1.
CREATE TABLE garden (rownum text, id text, nps text, satisfaction text, intention text,
                     explication text, visits text, spend text, t text);
\copy garden FROM PROGRAM 'cat "$KPI_DATA/nps-garden-retail/nps.csv"' WITH (FORMAT csv, HEADER true, NULL 'NA', ENCODING 'LATIN1')
CREATE TABLE garden_scores AS
SELECT nps::int AS nps, satisfaction::int AS satisfaction, t::int AS wave FROM garden;
SELECT count(*) AS rows, count(nps) AS answers FROM garden_scores;
SELECT kpi_nps(nps) = 100 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6))::float8
                      / count(nps) AS nps_exact,
       round(kpi_nps(nps)::numeric, 2) = 53.42 AS nps_matches_data_readme,
       kpi_csat(satisfaction, 8) = 100 * (count(*) FILTER (WHERE satisfaction >= 8))::float8
                                   / count(satisfaction) AS satisfaction_top3_exact,
       kpi_mean(kpi_scores(satisfaction)) = sum(satisfaction)::float8 / count(satisfaction) AS mean_exact
FROM garden_scores;
-- per survey wave, and the waves rolled back up
SELECT bool_and(kpi_nps(s) = sql_nps) AS every_wave_exact, count(*) > 1 AS several_waves,
       kpi_nps(kpi_merge(s)) = (SELECT kpi_nps(nps) FROM garden_scores) AS rollup_exact
FROM (SELECT wave, kpi_scores(nps) AS s,
             100 * (count(*) FILTER (WHERE nps >= 9) - count(*) FILTER (WHERE nps <= 6))::float8
             / nullif(count(nps), 0) AS sql_nps
      FROM garden_scores GROUP BY wave) w;

-- Miro in-product NPS (0..10, includes 0) and a 1..5 feature rating.
CREATE TABLE miro_nps (user_id text, comment text, score int);
\copy miro_nps FROM PROGRAM 'cat "$KPI_DATA/miro-feedback/nps.csv"' WITH (FORMAT csv, HEADER true)
SELECT count(score) AS answers, min(score) AS lowest,
       kpi_nps(score) = 100 * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))::float8
                        / count(score) AS nps_exact,
       round(kpi_nps(score)::numeric, 2) = 60.32 AS nps_matches_data_readme,
       abs(kpi_nps_margin(kpi_scores(score)) - 1.959963984540054 * 100 * sqrt(
           ((count(*) FILTER (WHERE score >= 9) + count(*) FILTER (WHERE score <= 6))::float8 / count(score)
            - ((count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6))::float8 / count(score)) ^ 2)
           / count(score))) < 1e-9 AS margin_exact
FROM miro_nps;
CREATE TABLE miro_feature (user_id text, comment text, score int);
\copy miro_feature FROM PROGRAM 'cat "$KPI_DATA/miro-feedback/feature_feedback.csv"' WITH (FORMAT csv, HEADER true)
SELECT count(*) - count(score) AS empty_ratings,
       kpi_csat(score) = 100 * (count(*) FILTER (WHERE score >= 4))::float8 / count(score) AS csat_exact,
       round(kpi_csat(score)::numeric, 2) = 33.75 AS csat_matches_data_readme
FROM miro_feature;

-- Synthetic support tickets (Kaggle): CSAT 1..5 on closed tickets; text
-- fields span lines.
CREATE TABLE tickets (id text, name text, email text, age text, gender text, product text,
                      purchased text, type text, subject text, description text, status text,
                      resolution text, priority text, channel text, first_response text,
                      time_to_resolution text, rating text);
\copy tickets FROM PROGRAM 'cat "$KPI_DATA/support-tickets/customer_support_tickets.csv"' WITH (FORMAT csv, HEADER true)
SELECT count(*) AS tickets, count(rating) AS rated,
       kpi_csat(rating::numeric::int) = 100 * (count(*) FILTER (WHERE rating::numeric >= 4))::float8
                                        / count(rating) AS csat_exact,
       round(kpi_csat(rating::numeric::int)::numeric, 2) = 39.26 AS csat_matches_data_readme
FROM tickets;
SELECT bool_and(k = s) AS every_channel_exact, count(*) AS channels
FROM (SELECT channel, kpi_csat(rating::numeric::int) AS k,
             100 * (count(*) FILTER (WHERE rating::numeric >= 4))::float8 / count(rating) AS s
      FROM tickets WHERE rating IS NOT NULL GROUP BY channel) c;
-- the Wilson interval holds the point estimate
SELECT i[1] < kpi_csat(x) AND kpi_csat(x) < i[2] AS interval_holds_estimate
FROM (SELECT kpi_scores(rating::numeric::int) AS x,
             kpi_csat_interval(kpi_scores(rating::numeric::int)) AS i FROM tickets) t;

-- IBM telco customers' satisfaction scores (1..5, CRLF line ends).
CREATE TABLE telco_status (customer_id text, count text, quarter text, satisfaction int,
                           status text, churn_label text, churn_value text, churn_score text,
                           cltv text, churn_category text, churn_reason text);
\copy telco_status FROM PROGRAM 'cat "$KPI_DATA/telco-churn-ibm-v11/Telco_customer_churn_status.csv"' WITH (FORMAT csv, HEADER true)
SELECT count(*) AS customers,
       bool_and(k = s) AS every_status_exact, count(DISTINCT status) AS statuses
FROM (SELECT status, kpi_csat(satisfaction) OVER (PARTITION BY status) AS k,
             100 * (count(*) FILTER (WHERE satisfaction >= 4) OVER (PARTITION BY status))::float8
             / count(satisfaction) OVER (PARTITION BY status) AS s
      FROM telco_status) t;
SELECT status, kpi_count(kpi_scores(satisfaction)) = count(satisfaction) AS count_exact,
       kpi_csat(satisfaction) = 100 * (count(*) FILTER (WHERE satisfaction >= 4))::float8 / count(satisfaction) AS csat_exact,
       kpi_mean(kpi_scores(satisfaction)) = sum(satisfaction)::float8 / count(satisfaction) AS mean_exact
FROM telco_status GROUP BY status ORDER BY status;
