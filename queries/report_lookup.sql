-- title: 查找报告（按标识或名称）
-- answers: 标识以所给文字开头、或部门/项目名称含所给文字的报告，及其年度、部门、项目
-- grain: one row per matching report
-- internal: `fiscallens explain`, which takes a report id prefix or a name fragment
-- param needle: 报告标识的开头，或部门/项目名称中的一段
SELECT report_id, concat_ws(' ', fiscal_year, department, project_name) AS described
FROM reports
WHERE report_id LIKE $needle || '%' OR department LIKE '%' || $needle || '%'
   OR project_name LIKE '%' || $needle || '%'
ORDER BY report_id
