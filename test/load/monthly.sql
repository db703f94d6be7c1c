-- a dashboard: the monthly report from the daily summaries
SELECT date_trunc('month', day) AS month, team,
       kpi_mean(kpi_merge(wait)) AS avg_wait,
       kpi_percentile(kpi_merge(wait), ARRAY[0.5, 0.9, 0.99]) AS wait_percentiles,
       kpi_share_within(kpi_merge(wait), '1 hour') AS answered_within_1h,
       kpi_median(kpi_merge(resolution)) AS median_resolution,
       kpi_csat(kpi_merge(csat)) AS csat,
       kpi_csat_interval(kpi_merge(csat)) AS csat_interval
FROM support_daily GROUP BY 1, 2 ORDER BY 1, 2;
