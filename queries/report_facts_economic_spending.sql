-- title: 报告详情 · 经济分类支出
-- answers: 一份报告抽取出的经济分类支出，每行附来源文件、行号和页码
-- grain: one row per economic-classification line of the report
-- internal: the report-detail page and `fiscallens explain` (golden output); not in the SQL workbench gallery
-- param report_id: 报告标识
-- Stable row order, so the golden files diff well.
SELECT t.*
FROM economic_spending AS t
WHERE t.report_id = $report_id
ORDER BY t.basis, t.code, t.source_file, t.source_line
