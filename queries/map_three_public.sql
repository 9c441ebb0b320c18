-- title: 地图：“三公”经费（按地图地区、年度）
-- answers: 地图上每个地区、每个年度“三公”经费（合计或一个分项）的决算数或预算数之和；同一部门同一年度只计一次（原文数优先于推算数，两份报告原文数不同时取部门决算的）
-- grain: one row per (map region, fiscal_year); 地区代码为空的一行 = 落不到该层级地图上的报告
-- param item: 分项 total 合计 / outbound / vehicle_total / vehicle_purchase / vehicle_operation / reception（空 = total）
-- param basis: 口径 actual 决算数 / budget 预算数（空 = actual）
-- param level: 地图层级 province 省 / prefecture 市州 / county 区县（空 = province）
-- 地图地区：省 = 代码前 2 位 + 0000；市州 = 前 4 位 + 00（省直辖的县级单位如 429004 仙桃市用自身代码）；
-- 区县 = 县级代码本身。落不到该层级的报告（如区县地图上的市州本级报告、地区未识别）地区代码为空。
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH per_department AS (
    -- One figure per department, year and item: a prior-year figure derived from next year's report and
    -- the figure printed in that year's own report are the same money.
    SELECT
        map_adcode($level, t.region_code, g.level, g.parent_code) AS adcode,
        t.department,
        t.figure_year AS fiscal_year,
        arg_min(CASE coalesce($basis, 'actual') WHEN 'budget' THEN t.budget ELSE t.actual END, t.preference) AS amount,
        count(DISTINCT t.report_id) AS reports
    FROM selected_three_public($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope) AS t
    LEFT JOIN regions AS g ON g.adcode = t.region_code
    WHERE t.item = coalesce($item, 'total')
      AND t.basis = coalesce($basis, 'actual')
    GROUP BY ALL
)

SELECT
    p.adcode AS "地区代码",
    coalesce(n.name, '（落不到本层级地区的报告）') AS "地区",
    p.fiscal_year AS "年度",
    sum(p.reports)::INTEGER AS "报告数",
    count(*) AS "部门数",
    sum(p.amount) AS "金额（万元）"
FROM per_department AS p
LEFT JOIN regions AS n ON n.adcode = p.adcode
WHERE p.amount IS NOT NULL
GROUP BY ALL
ORDER BY "年度", "地区代码"
