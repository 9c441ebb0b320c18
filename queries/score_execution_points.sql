-- title: 自评得分与执行率（逐个评价对象）
-- answers: 每个同时有自评总分与执行率的评价对象的得分与执行率（散点图，每点一个对象，不分箱）
-- grain: one row per evaluation with a total score and an execution rate
-- 执行率取计算值，没有时取报告所写值；“评价对象总数”是限制行数之前的个数。
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param limit: 最多返回几个点（空 = 不限）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
SELECT
    e.region_label AS "地区",
    e.fiscal_year AS "年度",
    e.department AS "部门（单位）",
    e.name AS "评价对象",
    e.total_score AS "自评得分",
    coalesce(e.execution_rate, e.execution_rate_reported) AS "执行率（%）",
    count(*) OVER () AS "评价对象总数",
    e.report_id AS "报告标识"
FROM selected_evaluations($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope) AS e
WHERE e.total_score IS NOT NULL
  AND coalesce(e.execution_rate, e.execution_rate_reported) IS NOT NULL
ORDER BY "报告标识", e.evaluation_id
LIMIT coalesce($limit, 2147483647)
