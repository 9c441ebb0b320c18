-- title: 高分低执行的评价对象
-- answers: 自评得分不低于 $min_score（空 = 90）而执行率低于 $max_rate%（空 = 80）的评价对象，得分低的在前
-- grain: one row per evaluation in the high-score, low-execution corner
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param min_score: 得分下限（空 = 90）
-- param max_rate: 执行率上限（%，空 = 80）
-- param limit: 最多返回几行（空 = 不限；页面分页显示）
-- param offset: 跳过前几行（空 = 0）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
SELECT
    region_label AS "地区",
    fiscal_year AS "年度",
    department AS "部门（单位）",
    CASE scope WHEN 'department' THEN '部门整体' WHEN 'project' THEN '项目' ELSE '子项目' END AS "层级",
    name AS "评价对象",
    total_score AS "自评得分",
    grade AS "等级",
    coalesce(execution_rate, execution_rate_reported) AS "执行率（%）",
    budget_full_year AS "全年预算（万元）",
    actual AS "执行数（万元）",
    report_id AS "报告标识"
FROM selected_evaluations($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope)
WHERE total_score >= coalesce($min_score, 90)
  AND coalesce(execution_rate, execution_rate_reported) < coalesce($max_rate, 80)
ORDER BY "自评得分", "执行率（%）", "报告标识", evaluation_id
LIMIT coalesce($limit, 2147483647) OFFSET coalesce($offset, 0)
