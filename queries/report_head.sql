-- title: 报告详情 · 基本信息
-- answers: 一份报告的类型、部门、项目、年度、地区、文件、得分、口径与版本
-- grain: one row per report (the one asked for)
-- internal: `fiscallens explain` (golden output), the head of its text
-- param report_id: 报告标识
SELECT doc_type, department, project_name, fiscal_year, province, prefecture, county, region_code,
       source_files, total_score, grade, scope, version
FROM reports
WHERE report_id = $report_id
