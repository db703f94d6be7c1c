-- The demo's support dataset: one year of a SaaS company's help desk.
-- Deterministic (setseed), so every run prints the same report.
--
--   tickets        100k tickets: team, channel, created / first reply /
--                  resolved timestamps (some never answered, some still
--                  open) and a CSAT answer (1..5) on about a third of the
--                  resolved ones, lower when the customer waited longer
--   nps_responses  a quarterly-style NPS survey (0..10) of the customers
--   customers      subscriptions over two years, with monthly revenue
SET client_min_messages = warning;
SET TimeZone = 'UTC';
CREATE EXTENSION IF NOT EXISTS kpi;
SELECT setseed(0.2026) \g /dev/null

-- a standard normal draw (Box-Muller)
CREATE FUNCTION pg_temp.gauss() RETURNS float8 LANGUAGE sql VOLATILE AS
$$ SELECT sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) $$;

CREATE TABLE teams (team text PRIMARY KEY, share float8, wait_median_h float8, quality float8);
INSERT INTO teams VALUES
	('Billing',    0.30, 2.0,  0.3),
	('Technical',  0.35, 4.0, -0.2),
	('Onboarding', 0.20, 1.0,  0.5),
	('Enterprise', 0.15, 0.5,  0.4);

CREATE TABLE tickets AS
WITH raw AS (
	SELECT i AS id,
	       random() AS pick_team, random() AS pick_channel,
	       timestamptz '2025-11-01 00:00 UTC' + (random() * 365) * interval '1 day' AS created_at,
	       pg_temp.gauss() AS z_wait, pg_temp.gauss() AS z_work, random() AS u_open,
	       random() AS u_survey, pg_temp.gauss() AS z_mood
	FROM generate_series(1, 100000) i
), placed AS (
	SELECT r.*,
	       CASE WHEN pick_team < 0.30 THEN 'Billing' WHEN pick_team < 0.65 THEN 'Technical'
	            WHEN pick_team < 0.85 THEN 'Onboarding' ELSE 'Enterprise' END AS team,
	       CASE WHEN pick_channel < 0.45 THEN 'email' WHEN pick_channel < 0.75 THEN 'chat'
	            WHEN pick_channel < 0.90 THEN 'web' ELSE 'phone' END AS channel
	FROM raw r
), timed AS (
	SELECT p.id, p.team, p.channel, p.created_at,
	       -- waits are lognormal: a median of hours, a long tail of days;
	       -- chat and phone are answered much sooner
	       t.wait_median_h * CASE p.channel WHEN 'chat' THEN 0.1 WHEN 'phone' THEN 0.05 ELSE 1 END
	         * exp(1.3 * p.z_wait) AS wait_h,
	       8 * exp(1.1 * p.z_work) AS work_h,
	       p.u_open, p.u_survey, p.z_mood, t.quality
	FROM placed p JOIN teams t USING (team)
)
SELECT id, team, channel, created_at,
       CASE WHEN u_open < 0.03 THEN NULL       -- never answered
            ELSE created_at + wait_h * interval '1 hour' END AS first_reply_at,
       CASE WHEN u_open < 0.08 THEN NULL       -- still open
            ELSE created_at + (wait_h + work_h) * interval '1 hour' END AS resolved_at,
       CASE WHEN u_open >= 0.08 AND u_survey < 0.35 THEN
            -- happier with a better team and a shorter wait; from June 2026
            -- a new ticket form annoys customers a little (a real change)
            greatest(1, least(5, round(3.9 + quality + 0.9 * z_mood - 0.35 * ln(1 + wait_h)
                                       - CASE WHEN created_at >= '2026-06-01' THEN 0.3 ELSE 0 END)))::int
       END AS csat
FROM timed;
-- tickets created near the end of the data that are "still open" may in
-- fact be resolved in the future: keep timestamps before the snapshot
UPDATE tickets SET resolved_at = NULL WHERE resolved_at > timestamptz '2026-11-01 00:00 UTC';
UPDATE tickets SET first_reply_at = NULL WHERE first_reply_at > timestamptz '2026-11-01 00:00 UTC';
ALTER TABLE tickets ADD PRIMARY KEY (id);

-- A product release on 2026-03-01 makes customers a little more likely to
-- recommend it (a real change, next to the month-to-month noise).
CREATE TABLE nps_responses AS
SELECT id, team, answered_at,
       greatest(0, least(10, round(7.6 + 1.5 * quality + 2.2 * z
                                   + CASE WHEN answered_at >= '2026-03-01' THEN 0.5 ELSE 0 END)))::int AS score
FROM (SELECT i AS id, t.team, t.quality, pg_temp.gauss() AS z,
             timestamptz '2025-11-01 00:00 UTC' + (random() * 365) * interval '1 day' AS answered_at
      FROM generate_series(1, 20000) i
      JOIN teams t ON t.team = (ARRAY['Billing', 'Technical', 'Onboarding', 'Enterprise'])[1 + i % 4]) r;

-- Subscriptions over two years: customers join every month; about 2% of
-- the active ones leave each month, monthly plans more than annual ones.
CREATE TABLE customers AS
WITH joined AS (
	SELECT i AS id,
	       date '2024-11-01' + floor(random() * 730)::int AS customer_since,
	       CASE WHEN random() < 0.3 THEN 'annual' ELSE 'monthly' END AS plan,
	       round((20 + 180 * random() ^ 3)::numeric, 2) AS mrr,
	       random() AS u_stay
	FROM generate_series(1, 6000) i
)
SELECT id, plan, mrr, customer_since,
       -- monthly lifetime ~ exponential with a 3.5-year mean, annual 6 years
       CASE WHEN customer_since + (-ln(1 - u_stay) * CASE plan WHEN 'annual' THEN 2190 ELSE 1280 END)::int
                 < date '2026-11-01'
            THEN customer_since + (-ln(1 - u_stay) * CASE plan WHEN 'annual' THEN 2190 ELSE 1280 END)::int
       END AS customer_until
FROM joined;

-- What a BI tool reads: one row per day and team, with mergeable summaries.
CREATE MATERIALIZED VIEW support_daily AS
SELECT date_trunc('day', created_at) AS day, team,
       count(*) AS tickets,
       kpi_hist(created_at, first_reply_at) AS wait,        -- open rows count as pending
       kpi_hist(created_at, resolved_at)    AS resolution,
       kpi_scores(csat) AS csat
FROM tickets GROUP BY 1, 2;

CREATE MATERIALIZED VIEW nps_daily AS
SELECT date_trunc('day', answered_at) AS day, team, kpi_scores(score) AS nps
FROM nps_responses GROUP BY 1, 2;

ANALYZE;
