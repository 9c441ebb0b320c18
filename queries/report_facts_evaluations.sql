-- title: 报告详情 · 评价对象
-- answers: 一份报告抽取出的评价对象，每行附来源文件、行号和页码
-- grain: one row per evaluated unit (department, unit or project) of the report
-- internal: the report-detail page and `fiscallens explain` (golden output); not in the SQL workbench gallery
-- param report_id: 报告标识
-- Stable row order, so the golden files diff well.
SELECT t.*
FROM evaluations AS t
WHERE t.report_id = $report_id
ORDER BY t.scope, t.name, t.source_file, t.source_line
