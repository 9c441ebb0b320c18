-- Derived tables: rebuilt from the documents and facts at the end of every build
-- (WarehouseWriter.refresh_reports, fiscallens/load.py), before the marts of marts.sql are
-- materialised. Statements run in order; none takes a parameter.

-- reports: one row per report, from the documents that make it up.
DELETE FROM reports;
INSERT INTO reports (report_id, doc_type, province, prefecture, county, region_code, department,
    project_name, scope, fiscal_year, version, published_on, source_files, title)
SELECT report_id,
       min(doc_type),
       min(province), min(prefecture), min(county), min(region_code),
       arg_min(department, length(department)),
       min(project_name),
       min(scope),
       min(fiscal_year),
       coalesce(try_cast(regexp_extract(report_id, '-v([0-9]+)$', 1) AS INTEGER), 1),
       max(published_on),
       list(source_file ORDER BY file_name),
       arg_min(title, file_name)
FROM documents
WHERE report_id IS NOT NULL
GROUP BY report_id;

-- Dashboards count a disclosure once: the 部门 report where a 部门 and a 单位 report of one body,
-- type and year exist (it already contains the unit), and version 1 of several versions.
UPDATE reports AS r SET in_default_view = false
WHERE r.version > 1
   OR (r.scope = 'unit' AND EXISTS (
         SELECT 1 FROM reports AS d
         WHERE d.scope = 'department' AND d.doc_type = r.doc_type
           AND d.fiscal_year IS NOT DISTINCT FROM r.fiscal_year
           AND d.region_code IS NOT DISTINCT FROM r.region_code
           AND d.department = r.department));

-- A report's score is its main unit's (marts.sql: main_unit_scope).
UPDATE reports AS r SET total_score = e.total_score, grade = e.grade, grade_derived = e.grade_derived
FROM evaluations AS e
WHERE e.report_id = r.report_id
  AND e.scope = main_unit_scope(r.doc_type)
  AND e.total_score IS NOT NULL;

-- function_codes: names are national but documents truncate them: keep the longest printed form.
DELETE FROM function_codes;
INSERT INTO function_codes
SELECT code, arg_max(name, length(name)), min(level)
FROM function_spending
WHERE regexp_full_match(code, '[0-9]{3}([0-9]{2}){0,2}') AND name IS NOT NULL
GROUP BY code;

-- Findings raised before a document's report was known point to it now.
UPDATE quality_flags AS q SET report_id = d.report_id
FROM documents AS d
WHERE q.report_id IS NULL AND q.source_file = d.source_file AND d.report_id IS NOT NULL;
