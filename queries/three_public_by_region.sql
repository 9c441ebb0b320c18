-- title: “三公”经费（按地区、年度合计）
-- answers: 各地区、各年度“三公”经费合计与分项的预算数、决算数之和；同一部门同一年度的数字只计一次（原文数优先于由同比句推算的上年数，两份报告原文数不同时取部门决算的）
-- grain: one row per (region, fiscal_year, item, basis)
-- 地区：未选省份时按省汇总，选了省份按市州，选了市州或部门按最细一级地区（图表每个地区一组，而非每份报告一条）
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH per_department AS (
    -- One figure per department, year, item and basis: a prior-year figure derived from next year's
    -- report and the figure printed in that year's own report are the same money (three_public_detail's
    -- preference: printed first, then the 部门决算's). The mart carries the report's filter columns, so
    -- no join with the reports (the unfiltered view's cost at 100k reports).
    SELECT
        region_below_filter($prefecture, $department, $province, t.province, t.prefecture, t.region_label) AS region,
        t.region_label,
        t.department,
        t.figure_year AS fiscal_year,
        t.item,
        t.basis,
        arg_min(t.budget, t.preference) AS budget,
        arg_min(t.actual, t.preference) AS actual,
        bool_and(t.derived) AS derived,
        count(*) AS reports  -- one row per report, basis, year and item
    FROM selected_three_public($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope) AS t
    GROUP BY ALL
)

SELECT
    region AS "地区",
    fiscal_year AS "年度",
    item AS item,
    coalesce(i.label, item) AS "项目",
    CASE basis WHEN 'budget' THEN '预算' ELSE '决算' END AS "口径",
    count(*) AS "部门数",
    sum(reports) AS "报告数",
    sum(budget) AS "预算数（万元）",
    sum(actual) AS "决算数（万元）",
    bool_or(derived) AS "含推算"
FROM per_department
LEFT JOIN three_public_items AS i USING (item)
GROUP BY ALL
ORDER BY "地区", "年度", item, "口径"
