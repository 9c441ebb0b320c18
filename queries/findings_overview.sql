-- title: 数据质量发现（所选范围合计）
-- answers: 所选报告中有多少份带有错误或警告，共多少条错误、警告与说明（图表下方的提示）
-- grain: one row
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
SELECT
    count(DISTINCT report_id) FILTER (WHERE severity IN ('error', 'warning')) AS reports,
    count(*) FILTER (WHERE severity = 'error') AS errors,
    count(*) FILTER (WHERE severity = 'warning') AS warnings,
    count(*) FILTER (WHERE severity = 'info') AS infos
FROM quality_flags
WHERE report_id IN (SELECT report_id FROM selected_reports($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope))
