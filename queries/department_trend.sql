-- title: 部门逐年变化
-- answers: 一个部门（单位）各年度每份报告的支出合计、基本支出、项目支出、“三公”经费、执行率与自评得分，以及与上一年度同类报告相比的增减
-- grain: one row per report of the department (of each department when none is given)
-- 口径：部门预算取预算数，其余取决算（执行）数；增减只在同一文档类型的相邻年度之间计算
-- param department: 部门（单位）名称（空 = 全部部门，每个部门各自逐年）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH yearly AS (
    -- report_measures: each report's basis, 三公 total and class-level spending, computed at build time.
    SELECT
        p.*,
        coalesce(p.spending_total, p.actual) AS total,
        p.spending_basic AS basic,
        p.spending_project AS project,
        lag(coalesce(p.spending_total, p.actual)) OVER (PARTITION BY p.department, p.doc_type, p.region_code ORDER BY p.fiscal_year) AS previous_total,
        lag(p.fiscal_year) OVER (PARTITION BY p.department, p.doc_type, p.region_code ORDER BY p.fiscal_year) AS previous_year
    FROM selected_measures(NULL, NULL, $department, $year_from, $year_to, NULL, NULL, $scope) AS p
)

SELECT
    y.fiscal_year AS "年度",
    y.department AS "部门（单位）",
    coalesce(d.label, y.doc_type) AS "文档类型",
    CASE y.own_basis WHEN 'budget' THEN '预算' ELSE '决算' END AS "口径",
    y.region_label AS "地区",
    round(y.total, 2) AS "支出合计（万元）",
    round(y.basic, 2) AS "基本支出（万元）",
    round(y.project, 2) AS "项目支出（万元）",
    round(y.three_public_amount, 2) AS "“三公”经费（万元）",
    round(y.execution_rate, 2) AS "执行率（%）",
    round(y.total_score, 2) AS "自评得分",
    CASE WHEN y.previous_year = y.fiscal_year - 1 THEN round(y.total - y.previous_total, 2) END AS "比上年增减（万元）",
    CASE WHEN y.previous_year = y.fiscal_year - 1 AND y.previous_total > 0
        THEN round((y.total - y.previous_total) / y.previous_total * 100, 2) END AS "比上年增减（%）",
    y.report_id AS "报告标识"
FROM yearly AS y
LEFT JOIN doc_types AS d ON d.doc_type = y.doc_type
ORDER BY "部门（单位）", "年度", "文档类型"
