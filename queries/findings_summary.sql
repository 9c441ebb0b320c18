-- title: 数据质量发现（按报告汇总）
-- answers: 所选报告各有多少条错误、警告与说明，用于在图表旁提示数字的可靠性
-- grain: one row per selected report with at least one finding
-- 页面只查表格当前一页的报告（report_ids），不查整个范围：10 万份报告时整个范围有 8 万多行
-- param report_ids: 报告标识，逗号分隔（空 = 所选范围内全部报告）
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
SELECT
    q.report_id,
    count(*) FILTER (WHERE q.severity = 'error') AS errors,
    count(*) FILTER (WHERE q.severity = 'warning') AS warnings,
    count(*) FILTER (WHERE q.severity = 'info') AS infos
FROM quality_flags AS q
WHERE ($report_ids IS NULL OR list_contains(string_split($report_ids, ','), q.report_id))
  AND q.report_id IN (SELECT report_id FROM matching_reports($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope))
GROUP BY q.report_id
ORDER BY q.report_id
