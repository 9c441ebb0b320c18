-- title: 报告详情 · 数据质量发现
-- answers: 一份报告的数据质量发现：严重程度、规则、来源文件与行号、说明
-- grain: one row per finding of the report
-- internal: `fiscallens explain` (golden output); the report-detail page lists findings with quality_flags
-- param report_id: 报告标识
-- Stable row order, so the golden files diff well.
SELECT severity, rule, source_file, source_line, message
FROM quality_flags
WHERE report_id = $report_id
ORDER BY severity, source_file, source_line, rule, message
