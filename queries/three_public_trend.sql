-- title: “三公”经费明细
-- answers: 各地区、各部门、各年度“三公”经费合计与分项的预算数、决算数；由同比句推算的上年数标为推算
-- grain: one row per (report, basis, fiscal_year, item)
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
    s.region_label AS "地区",
    s.department AS "部门（单位）",
    t.fiscal_year AS "年度",
    t.item AS item,
    coalesce(i.label, t.item) AS "项目",
    CASE t.basis WHEN 'budget' THEN '预算' ELSE '决算' END AS "口径",
    t.budget AS "预算数（万元）",
    t.actual AS "决算数（万元）",
    t.derived AS "推算",
    t.source_file AS "来源文件",
    t.source_line AS "来源行号",
    t.report_id AS "报告标识"
FROM three_public AS t
JOIN selected_summary($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope) AS s USING (report_id)
LEFT JOIN three_public_items AS i ON i.item = t.item
ORDER BY "地区", "部门（单位）", "年度", item, "口径", "报告标识"
LIMIT coalesce($limit, 2147483647) OFFSET coalesce($offset, 0)
