-- title: 报告详情 · 总表数字
-- answers: 一份报告抽取出的总表数字，每行附来源文件、行号和页码
-- grain: one row per figure of the report's summary statements
-- internal: the report-detail page and `fiscallens explain` (golden output); not in the SQL workbench gallery
-- param report_id: 报告标识
-- Stable row order, so the golden files diff well.
SELECT t.*
FROM totals AS t
WHERE t.report_id = $report_id
ORDER BY t.basis, t.statement, t.side, t.item, t.source_file, t.source_line
