-- a chart: 7-day rolling CSAT and wait over the last month
SELECT day, kpi_csat(kpi_merge(csat) OVER w) AS csat_7d,
       kpi_percentile(kpi_merge(wait) OVER w, 0.9) AS p90_wait_7d
FROM (SELECT day, kpi_merge(csat) AS csat, kpi_merge(wait) AS wait
      FROM support_daily WHERE day >= now() - interval '30 days' GROUP BY day) d
WINDOW w AS (ORDER BY day ROWS 6 PRECEDING);
SELECT id, kpi_avg_wait(created, first_reply) OVER (ORDER BY created ROWS 200 PRECEDING)
FROM tickets WHERE created >= now() - interval '2 days' ORDER BY created DESC LIMIT 100;
