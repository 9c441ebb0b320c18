-- title: 预算执行率（按报告）
-- answers: 每份报告主要评价对象的执行率：执行数 ÷ 全年预算数，以及执行数 ÷ 年初预算数（看年中调整）；未执行金额最大的在前
-- grain: one row per report that prints a budget and an actual figure
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
-- Columns: what is judged first (the name, then 执行率 and 未执行), the amounts behind it, then where.
SELECT
    coalesce(project_name, department) AS "评价对象",
    execution_rate AS "执行率（%）",
    budget_full_year - actual AS "未执行（万元）",
    budget_full_year AS "全年预算（万元）",
    actual AS "执行数（万元）",
    budget_initial AS "年初预算（万元）",
    execution_rate_initial AS "占年初预算（%）",
    execution_rate_reported AS "报告所写执行率（%）",
    abs(execution_rate - 100) AS "偏离（百分点）",
    fiscal_year AS "年度",
    department AS "部门（单位）",
    region_label AS "地区",
    report_id AS "报告标识"
FROM selected_summary($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope)
WHERE budget_full_year IS NOT NULL
  AND actual IS NOT NULL
ORDER BY "未执行（万元）" DESC, "年度", "地区", "部门（单位）", "报告标识"
LIMIT coalesce($limit, 2147483647) OFFSET coalesce($offset, 0)
