-- make load: a support database as a BI tool and a help desk use it at once.
CREATE EXTENSION IF NOT EXISTS kpi;
CREATE TABLE tickets (
	id bigserial PRIMARY KEY,
	team text NOT NULL,
	created timestamptz NOT NULL,
	first_reply timestamptz,
	resolved timestamptz,
	csat int
);
CREATE TABLE nps_answers (id bigserial PRIMARY KEY, team text NOT NULL, answered timestamptz NOT NULL, score int NOT NULL);
CREATE TABLE customers (id bigserial PRIMARY KEY, since date NOT NULL, until date, mrr numeric NOT NULL);

SELECT setseed(0.42);
INSERT INTO tickets (team, created, first_reply, resolved, csat)
SELECT (ARRAY['billing', 'technical', 'accounts'])[1 + g % 3], c,
       CASE WHEN random() < 0.97 THEN c + exp(random() * 9) * interval '1 second' END,
       CASE WHEN random() < 0.9 THEN c + exp(random() * 12) * interval '1 second' END,
       CASE WHEN random() < 0.3 THEN 1 + floor(random() * 5)::int END
FROM (SELECT g, timestamptz '2025-12-01' + random() * interval '365 days' AS c FROM generate_series(1, 100000) g) t;
INSERT INTO nps_answers (team, answered, score)
SELECT (ARRAY['billing', 'technical', 'accounts'])[1 + g % 3], timestamptz '2025-12-01' + random() * interval '365 days',
       floor(random() * 11)::int
FROM generate_series(1, 20000) g;
INSERT INTO customers (since, until, mrr)
SELECT s, CASE WHEN random() < 0.3 THEN s + (random() * 400)::int END, round((random() * 200)::numeric, 2)
FROM (SELECT date '2024-01-01' + (random() * 700)::int AS s FROM generate_series(1, 6000)) c;
CREATE INDEX ON tickets (created);

-- the daily summaries dashboards read (README: "For BI tools")
CREATE MATERIALIZED VIEW support_daily AS
SELECT date_trunc('day', created) AS day, team,
       kpi_hist(created, first_reply) AS wait,
       kpi_hist(created, resolved) AS resolution,
       kpi_scores(csat) AS csat
FROM tickets GROUP BY 1, 2;
CREATE UNIQUE INDEX ON support_daily (day, team);   -- for REFRESH ... CONCURRENTLY
VACUUM ANALYZE;
