-- title: 预算执行率（按地区、年度）
-- answers: 各地区、各年度合计的执行率：执行数合计 ÷ 全年预算合计，以及 ÷ 年初预算合计（只计给出年初预算的报告）
-- grain: one row per (region, fiscal_year) with at least one report that prints a budget and an actual figure
-- 地区：未选省份时按省汇总，选了省份按市州，选了市州或部门按最细一级地区（图表每个地区一组，而非每份报告一条）
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH paired AS (
    SELECT
        region_below_filter($prefecture, $department, $province, province, prefecture, region_label) AS region,
        fiscal_year,
        budget_initial,
        budget_full_year,
        actual,
        budget_initial > 0 AS has_initial
    FROM selected_summary($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope)
    WHERE budget_full_year IS NOT NULL
      AND actual IS NOT NULL
),

totals AS (
    SELECT
        region,
        fiscal_year,
        count(*) AS reports,
        sum(budget_initial) FILTER (WHERE has_initial) AS budget_initial,
        sum(budget_full_year) AS budget_full_year,
        sum(actual) AS actual,
        sum(actual) FILTER (WHERE has_initial) AS actual_with_initial
    FROM paired
    GROUP BY region, fiscal_year
)

SELECT
    region AS "地区",
    fiscal_year AS "年度",
    reports AS "报告数",
    budget_initial AS "年初预算（万元）",
    budget_full_year AS "全年预算（万元）",
    actual AS "执行数（万元）",
    actual / nullif(budget_full_year, 0) * 100 AS "执行率（%）",
    actual_with_initial / nullif(budget_initial, 0) * 100 AS "占年初预算（%）",
    abs(actual / nullif(budget_full_year, 0) * 100 - 100) AS "偏离（百分点）"
FROM totals
ORDER BY "年度", "地区"
