-- title: 功能分类支出结构
-- answers: 所选报告按支出功能分类科目（类 → 款 → 项）的支出合计、基本支出与项目支出
-- grain: one row per (basis, function code) summed over the selected reports
-- param basis: 口径 actual 决算 / budget 预算（空 = 决算）
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
SELECT
    f.code AS "科目编码",
    arg_max(f.name, length(f.name)) AS "科目名称",
    min(f.level) AS "级次",
    min(f.parent_code) AS "上级编码",
    sum(f.total) AS "合计（万元）",
    sum(f.basic) AS "基本支出（万元）",
    sum(f.project) AS "项目支出（万元）",
    sum(f.budget_initial) AS "年初预算（万元）",
    -- A report lists a code once per basis (the sums above rely on it too), so rows = reports.
    count(*) AS "报告数"
FROM function_spending AS f
WHERE f.report_id IN (SELECT report_id FROM selected_reports($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope))
  AND f.basis = coalesce($basis, 'actual')
  AND f.level IN ('类', '款', '项')
GROUP BY f.code
ORDER BY f.code
