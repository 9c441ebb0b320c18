-- title: 数据质量发现数（按严重程度）
-- answers: 仓库中（或一份报告中）错误、警告与说明各有多少条，涉及多少份报告
-- grain: one row per severity with at least one finding
-- param report_id: 报告标识（空 = 全部，含未能识别为报告的文件）
SELECT
    severity,
    CASE severity WHEN 'error' THEN '错误' WHEN 'warning' THEN '警告' ELSE '说明' END AS "严重程度",
    count(*) AS "条数",
    count(DISTINCT report_id) AS "报告数"
FROM quality_flags
WHERE $report_id IS NULL OR report_id = $report_id
GROUP BY severity
ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END
