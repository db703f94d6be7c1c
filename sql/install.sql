-- A non-superuser database owner installs kpi (it is a trusted extension),
-- into a schema of their choice, and uses it from outside that schema.
SET client_min_messages = warning;
DROP EXTENSION kpi CASCADE;
CREATE ROLE kpi_db_owner;
SELECT current_database() AS db, current_user AS superuser \gset
ALTER DATABASE :"db" OWNER TO kpi_db_owner;
SET ROLE kpi_db_owner;
SELECT rolsuper FROM pg_roles WHERE rolname = current_user;
CREATE SCHEMA analytics;
CREATE EXTENSION kpi SCHEMA analytics;
SELECT extname, extowner::regrole, extnamespace::regnamespace, extversion FROM pg_extension WHERE extname = 'kpi';
-- usable with qualified names, the schema not on search_path
SELECT analytics.kpi_csat(s) AS csat, analytics.kpi_nps(s * 2) AS nps,
       analytics.kpi_scores(s) OPERATOR(analytics.+) analytics.kpi_scores(s) AS doubled
FROM (VALUES (1), (4), (5)) v(s);
-- a function planted in public under a kpi name changes nothing
CREATE FUNCTION public.kpi_scores_combine(analytics.kpi_scores, analytics.kpi_scores)
  RETURNS analytics.kpi_scores LANGUAGE sql AS 'SELECT NULL::analytics.kpi_scores';
SET search_path = public, analytics;
SELECT kpi_merge(x) FROM (VALUES ('{1:1}'::kpi_scores), ('{5:2}')) v(x);
RESET search_path;
DROP FUNCTION public.kpi_scores_combine(analytics.kpi_scores, analytics.kpi_scores);
-- every object the extension creates is named kpi_*
SELECT count(*) AS objects_not_named_kpi
FROM pg_depend d
JOIN pg_extension e ON d.refobjid = e.oid AND d.refclassid = 'pg_extension'::regclass
LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
LEFT JOIN pg_type t ON d.classid = 'pg_type'::regclass AND t.oid = d.objid
LEFT JOIN pg_operator o ON d.classid = 'pg_operator'::regclass AND o.oid = d.objid
LEFT JOIN pg_opclass oc ON d.classid = 'pg_opclass'::regclass AND oc.oid = d.objid
LEFT JOIN pg_opfamily f ON d.classid = 'pg_opfamily'::regclass AND f.oid = d.objid
WHERE e.extname = 'kpi' AND d.deptype = 'e'
  AND coalesce(p.proname, t.typname, oc.opcname, f.opfname, '') NOT LIKE 'kpi\_%'
  AND coalesce(t.typname, '') NOT LIKE '\_kpi\_%'
  AND o.oid IS NULL AND d.classid <> 'pg_cast'::regclass;
-- every function has a comment
SELECT p.oid::regprocedure AS undocumented
FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON d.refobjid = e.oid AND e.extname = 'kpi'
WHERE obj_description(p.oid, 'pg_proc') IS NULL
ORDER BY 1;
DROP EXTENSION kpi;
DROP SCHEMA analytics;
RESET ROLE;
ALTER DATABASE :"db" OWNER TO :"superuser";
DROP ROLE kpi_db_owner;
CREATE EXTENSION kpi;
