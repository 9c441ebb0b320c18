-- title: 数据质量发现数（按严重程度）
-- answers: 仓库中（或一份报告中）错误、警告与说明各有多少条，涉及多少份报告
-- grain: one row per severity with at least one finding
-- param report_id: 报告标识（空 = 全部，含未能识别为报告的文件）
-- param province: 省级行政区全称（空 = 全部；选了地区、部门、类型或口径时只列这些报告的发现）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 全部）
SELECT
    severity,
    CASE severity WHEN 'error' THEN '错误' WHEN 'warning' THEN '警告' ELSE '说明' END AS "严重程度",
    count(*) AS "条数",
    count(DISTINCT report_id) AS "报告数"
FROM quality_flags
WHERE ($report_id IS NULL OR report_id = $report_id)
  AND (report_id IN (SELECT report_id FROM matching_reports($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope))
       -- a file that is no report has no region, body or type: listed while none of them is chosen
       OR (report_id IS NULL AND coalesce($province, $prefecture, $county, $department, $doc_type, $scope) IS NULL))
GROUP BY severity
ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END
