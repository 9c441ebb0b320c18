-- title: 报告详情 · “三公”经费
-- answers: 一份报告抽取出的“三公”经费，每行附来源文件、行号和页码
-- grain: one row per “三公” item, year and basis of the report
-- internal: the report-detail page and `fiscallens explain` (golden output); not in the SQL workbench gallery
-- param report_id: 报告标识
-- Stable row order, so the golden files diff well.
SELECT t.*
FROM three_public AS t
WHERE t.report_id = $report_id
ORDER BY t.basis, t.fiscal_year, t.item, t.source_file, t.source_line
