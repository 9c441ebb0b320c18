-- title: 报告详情 · 资金明细
-- answers: 一份报告抽取出的资金明细，每行附来源文件、行号和页码（先列所属评价对象）
-- grain: one row per budget-execution line of the report
-- internal: the report-detail page and `fiscallens explain` (golden output); not in the SQL workbench gallery
-- param report_id: 报告标识
-- Stable row order, so the golden files diff well.
SELECT e.name AS owner, e.scope AS owner_scope, t.*
FROM execution_lines AS t
LEFT JOIN evaluations AS e USING (evaluation_id)
WHERE t.report_id = $report_id
ORDER BY owner_scope, owner, t.line, t.label, t.source_file, t.source_line
