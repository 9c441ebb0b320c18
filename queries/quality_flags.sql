-- title: 数据质量发现
-- answers: 读取、识别、抽取和稽核中发现的问题：哪份报告、哪个文件哪一行、问题是什么
-- grain: one row per finding
-- param severity: 严重程度 error / warning / info（空 = 全部）
-- param report_id: 报告标识（空 = 全部，含未能识别为报告的文件）
SELECT
    CASE q.severity WHEN 'error' THEN '错误' WHEN 'warning' THEN '警告' ELSE '说明' END AS "严重程度",
    r.department AS "部门（单位）",
    r.fiscal_year AS "年度",
    q.source_file AS "文件",
    q.source_line AS "行号",
    q.rule AS "规则",
    q.message AS "说明",
    q.report_id AS "报告标识"
FROM quality_flags AS q
LEFT JOIN reports AS r USING (report_id)
WHERE ($severity IS NULL OR q.severity = $severity)
  AND ($report_id IS NULL OR q.report_id = $report_id)
ORDER BY
    CASE q.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
    q.source_file,
    q.source_line
