-- the nightly job, run all day long here
REFRESH MATERIALIZED VIEW CONCURRENTLY support_daily;
