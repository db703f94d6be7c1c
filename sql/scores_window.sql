-- Moving windows: the one-step survey aggregates have an inverse transition,
-- and every frame must equal a recomputation of that frame from scratch.
CREATE TABLE daily_answers AS
SELECT i AS id, date '2026-01-01' + i / 40 AS day,
       CASE WHEN random() < 0.05 THEN NULL ELSE 1 + floor(random() * 5)::int END AS csat,
       CASE WHEN random() < 0.05 THEN NULL ELSE floor(random() * 11)::int END AS nps
FROM (SELECT setseed(0.7)) s, generate_series(1, 4000) i;

-- ROWS frame
SELECT bool_and(w.csat IS NOT DISTINCT FROM
                (SELECT 100 * (count(*) FILTER (WHERE d.csat >= 4))::float8 / nullif(count(d.csat), 0)
                 FROM daily_answers d WHERE d.id BETWEEN w.id - 6 AND w.id)) AS rows_frame_csat,
       bool_and(w.nps IS NOT DISTINCT FROM
                (SELECT 100 * (count(*) FILTER (WHERE d.nps >= 9) - count(*) FILTER (WHERE d.nps <= 6))::float8
                        / nullif(count(d.nps), 0)
                 FROM daily_answers d WHERE d.id BETWEEN w.id - 6 AND w.id)) AS rows_frame_nps
FROM (SELECT id, kpi_csat(csat) OVER w AS csat, kpi_nps(nps) OVER w AS nps
      FROM daily_answers WINDOW w AS (ORDER BY id ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)) w;

-- a rolling 7-day CSAT over a RANGE frame of days
SELECT bool_and(w.csat IS NOT DISTINCT FROM
                (SELECT 100 * (count(*) FILTER (WHERE d.csat >= 4))::float8 / nullif(count(d.csat), 0)
                 FROM daily_answers d WHERE d.day BETWEEN w.day - 6 AND w.day)) AS range_frame_csat,
       bool_and(w.thumbs IS NOT DISTINCT FROM
                (SELECT 100 * (count(*) FILTER (WHERE d.csat > 3))::float8 / nullif(count(d.csat), 0)
                 FROM daily_answers d WHERE d.day BETWEEN w.day - 6 AND w.day)) AS range_frame_bool,
       bool_and(w.ten IS NOT DISTINCT FROM
                (SELECT 100 * (count(*) FILTER (WHERE d.nps >= 7))::float8 / nullif(count(d.nps), 0)
                 FROM daily_answers d WHERE d.day BETWEEN w.day - 6 AND w.day)) AS range_frame_threshold
FROM (SELECT DISTINCT day, kpi_csat(csat) OVER w AS csat, kpi_csat(csat > 3) OVER w AS thumbs,
             kpi_csat(nps, 7) OVER w AS ten
      FROM daily_answers WINDOW w AS (ORDER BY day RANGE BETWEEN '6 days' PRECEDING AND CURRENT ROW)) w;

-- frames that run empty at the end give NULL, like avg()
SELECT id, csat, kpi_csat(csat) OVER w AS csat_next_two, avg(csat) OVER w AS avg_next_two
FROM (VALUES (1, 5), (2, 1), (3, NULL), (4, 4)) v(id, csat)
WINDOW w AS (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING)
ORDER BY id;

-- frames that start with NULL answers (the state starts empty, never NULL)
SELECT id, kpi_csat(csat) OVER w AS csat, kpi_nps(csat) OVER w AS nps, kpi_csat(csat, 3) OVER w AS csat3,
       kpi_csat(csat > 3) OVER w AS thumbs
FROM (VALUES (1, NULL), (2, NULL), (3, 4), (4, NULL), (5, 2)) v(id, csat)
WINDOW w AS (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
ORDER BY id;

-- bigint and smallint scores in a window, against the integer form
SELECT bool_and(a IS NOT DISTINCT FROM b AND a IS NOT DISTINCT FROM c) AS int_forms_agree
FROM (SELECT kpi_csat(csat) OVER w AS a, kpi_csat(csat::bigint) OVER w AS b, kpi_csat(csat::smallint) OVER w AS c
      FROM daily_answers WINDOW w AS (ORDER BY id ROWS BETWEEN 9 PRECEDING AND CURRENT ROW)) t;

-- the perception enum in a window
SELECT id, kpi_csat(a) OVER (ORDER BY id ROWS 1 PRECEDING)
FROM (VALUES (0, NULL::kpi_satisfaction), (1, 'satisfied'), (2, 'neutral'), (3, 'very dissatisfied'), (4, 'very satisfied')) v(id, a)
ORDER BY id;
