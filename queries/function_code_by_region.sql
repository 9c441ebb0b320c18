-- title: 单个科目（按地区、年度合计）
-- answers: 一个功能分类科目（如 2060499）在各地区、各年度、各口径的支出合计，含基本/项目拆分与年初预算
-- grain: one row per (region, fiscal_year, basis) with the code
-- 地区：未选省份时按省汇总，选了省份按市州，选了市州或部门按最细一级地区（图表每个地区一组，而非每份报告一条）
-- param code: 功能分类科目编码，如 2060499（必填）
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
SELECT
    region_below_filter($prefecture, $department, $province, s.province, s.prefecture, s.region_label) AS "地区",
    s.fiscal_year AS "年度",
    CASE f.basis WHEN 'budget' THEN '预算' ELSE '决算' END AS "口径",
    count(DISTINCT f.report_id) AS "报告数",
    sum(f.total) AS "合计（万元）",
    sum(f.basic) AS "基本支出（万元）",
    sum(f.project) AS "项目支出（万元）",
    sum(f.budget_initial) AS "年初预算（万元）"
FROM function_spending AS f
JOIN selected_summary($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope) AS s USING (report_id)
WHERE f.code = $code
GROUP BY ALL
ORDER BY "年度", "地区", "口径"
