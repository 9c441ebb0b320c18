-- title: 单个科目跨地区、跨年度比较
-- answers: 一个功能分类科目（如 2060499）在各地区、各年度的支出，含基本/项目拆分与年初预算
-- grain: one row per (report, basis) that has the code
-- param code: 功能分类科目编码，如 2060499（必填）
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
    s.fiscal_year AS "年度",
    s.department AS "部门（单位）",
    CASE f.basis WHEN 'budget' THEN '预算' ELSE '决算' END AS "口径",
    f.code AS "科目编码",
    f.name AS "科目名称",
    f.total AS "合计（万元）",
    f.basic AS "基本支出（万元）",
    f.project AS "项目支出（万元）",
    f.budget_initial AS "年初预算（万元）",
    f.source_file AS "来源文件",
    f.source_line AS "来源行号"
FROM function_spending AS f
JOIN selected_summary($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope) AS s USING (report_id)
WHERE f.code = $code
ORDER BY "年度", "地区", "部门（单位）", "口径", f.report_id
LIMIT coalesce($limit, 2147483647) OFFSET coalesce($offset, 0)
