-- title: 可选的功能分类科目
-- answers: 所选报告中出现过的功能分类科目（供按编码或名称搜索）
-- grain: one row per function code
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
SELECT
    f.code,
    arg_max(f.name, length(f.name)) AS name,
    min(f.level) AS level
FROM function_spending AS f
WHERE f.report_id IN (SELECT report_id FROM selected_reports($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope))
  AND f.level IN ('类', '款', '项')
GROUP BY f.code
ORDER BY f.code
