-- kpi_change: percent change from the previous period.
SELECT kpi_change(110::numeric, 100::numeric) AS up_10,
       kpi_change(90::numeric, 100::numeric) AS down_10,
       kpi_change(1::numeric, 3::numeric) AS down_two_thirds;
SELECT kpi_change(-10::float8, -20::float8) AS nps_minus_20_to_minus_10,
       kpi_change(-30::float8, -20::float8) AS nps_minus_20_to_minus_30,
       kpi_change(12::bigint, 8::bigint) AS tickets_up_50;
-- no percentage change from zero, and NULL in, NULL out
SELECT kpi_change(5::numeric, 0::numeric) IS NULL AS from_zero_numeric,
       kpi_change(5::float8, 0::float8) IS NULL AS from_zero_float8,
       kpi_change(5::bigint, 0::bigint) IS NULL AS from_zero_bigint,
       kpi_change(NULL::numeric, 1::numeric) IS NULL AS null_current,
       kpi_change(1::float8, NULL) IS NULL AS null_previous;
-- equals the hand-written formula over a month-over-month series
SELECT bool_and(kpi_change(cur, prev) = 100 * (cur - prev) / abs(prev)) AS matches_formula
FROM (SELECT v AS cur, lag(v) OVER (ORDER BY m) AS prev
      FROM (SELECT m, (m * 37 % 11 - 5)::float8 AS v FROM generate_series(1, 24) m) s) t
WHERE prev <> 0;
SELECT kpi_change('NaN'::float8, 1) AS nan_in_nan_out, kpi_change('Infinity'::float8, 1) AS infinite;
