-- an analyst: straight from the rows, NPS and churn
SELECT team, kpi_nps(score), kpi_nps_margin(kpi_scores(score)) FROM nps_answers GROUP BY team;
SELECT kpi_churn(since, until, daterange('2025-06-01', '2025-07-01')),
       kpi_revenue_churn(since, until, daterange('2025-06-01', '2025-07-01'), mrr),
       kpi_retention(since, until, daterange('2025-06-01', '2025-07-01'))
FROM customers;
