-- title: 自评得分与执行率
-- answers: 每个有自评总分的评价对象（部门整体、项目）的得分、等级与执行率，得分低的在前
-- grain: one row per evaluation with a total score
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param limit: 最多返回几行（空 = 不限；页面分页显示）
-- param offset: 跳过前几行（空 = 0）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
SELECT
    e.region_label AS "地区",
    e.fiscal_year AS "年度",
    e.department AS "部门（单位）",
    CASE e.scope WHEN 'department' THEN '部门整体' WHEN 'project' THEN '项目' ELSE '子项目' END AS "层级",
    e.name AS "评价对象",
    e.total_score AS "自评得分",
    e.grade AS "等级",
    coalesce(e.execution_rate, e.execution_rate_reported) AS "执行率（%）",
    e.budget_full_year AS "全年预算（万元）",
    e.actual AS "执行数（万元）",
    e.report_id AS "报告标识"
FROM selected_evaluations($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope) AS e
WHERE e.total_score IS NOT NULL
ORDER BY "自评得分", "执行率（%）", "报告标识", e.evaluation_id
LIMIT coalesce($limit, 2147483647) OFFSET coalesce($offset, 0)
