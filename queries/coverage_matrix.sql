-- title: 报告覆盖矩阵
-- answers: 每个地区、每个年度、每种文档类型各有几份报告（哪些组合有数据、哪些缺）
-- grain: one row per (region, fiscal_year, doc_type) with at least one report
-- 地区：未选省份时按省汇总，选了省份按市州，选了市州或部门按最细一级地区（图表每个地区一组，而非每份报告一条）
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
SELECT
    region_below_filter($prefecture, $department, $province, province, prefecture, region_label) AS "地区",
    fiscal_year AS "年度",
    coalesce(l.label, doc_type) AS "类型",
    count(*) AS "报告数"
FROM selected_summary($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope)
LEFT JOIN doc_types AS l USING (doc_type)
GROUP BY ALL
ORDER BY "地区", "年度", "类型"
