-- title: 预算与决算对照（两份文件）
-- answers: 同一部门同一年度既有部门预算又有部门决算时，用两份文件算出的执行率（决算支出 ÷ 预算支出），与决算（或绩效自评）报告自己所写、所算的执行率并列
-- internal: 同类部门 page (预算与决算对照); the bundled corpus has no such pair, so the gallery's run-every-query test cannot hold it
-- grain: one row per (department, region, fiscal year, scope) with both a budget and a final-accounts report
-- 同一部门：同一地区、去掉地区名和括号后名称相同（department_kinds.name_key）、同一口径范围（部门/单位）
-- 支出：功能分类“类”级科目合计（预算文件取预算数，决算文件取决算数）
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部；预算、决算任一份的名称）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH chosen AS NOT MATERIALIZED (
    -- report_measures: spending_total = class-level spending on the report's own basis (a 部门预算's
    -- budget figures, a 部门决算's actual ones), computed at build time. Only the columns used below.
    SELECT
        report_id, doc_type, department, region_code, region_label, fiscal_year, scope,
        execution_rate, execution_rate_reported, spending_total
    FROM selected_measures($province, $prefecture, NULL, $year_from, $year_to, NULL, $county, $scope)
    WHERE doc_type IN ('budget', 'final_accounts', 'dept_self_eval', 'dept_evaluation')
),

picked AS NOT MATERIALIZED (
    -- Only reports of a region and year that has a 部门预算: without budgets (most warehouses) nothing is
    -- joined with the department kinds, which had cost ≈ 150 ms at 100k reports.
    SELECT c.*, k.name_key
    FROM chosen AS c
    JOIN department_kinds AS k ON k.department = c.department
    WHERE EXISTS (
        SELECT 1 FROM chosen AS b
        WHERE b.doc_type = 'budget' AND b.fiscal_year = c.fiscal_year AND b.region_code IS NOT DISTINCT FROM c.region_code
    )
),

pairs AS (
    SELECT b.*, a.report_id AS final_report_id, a.department AS final_department,
           a.execution_rate AS final_execution_rate,
           a.execution_rate_reported AS final_execution_rate_reported,
           a.spending_total AS final_spending_total
    FROM picked AS b
    JOIN picked AS a
      ON a.doc_type = 'final_accounts'
     AND a.region_code IS NOT DISTINCT FROM b.region_code
     AND a.name_key = b.name_key
     AND a.fiscal_year = b.fiscal_year
     AND a.scope = b.scope
    WHERE b.doc_type = 'budget'
      AND ($department IS NULL OR $department IN (a.department, b.department))
),

evaluated AS (
    -- What an evaluation report of the same department and year says its execution rate was.
    SELECT p.report_id, max(e.execution_rate_reported) AS rate_reported
    FROM pairs AS p
    JOIN picked AS e
      ON e.doc_type IN ('dept_self_eval', 'dept_evaluation')
     AND e.region_code IS NOT DISTINCT FROM p.region_code
     AND e.name_key = p.name_key
     AND e.fiscal_year = p.fiscal_year
    GROUP BY p.report_id
)

SELECT
    p.department AS "部门（单位）",
    p.region_label AS "地区",
    p.fiscal_year AS "年度",
    CASE p.scope WHEN 'unit' THEN '单位' ELSE '部门' END AS "口径范围",
    round(p.spending_total, 2) AS "预算支出（万元，部门预算）",
    round(p.final_spending_total, 2) AS "决算支出（万元，部门决算）",
    round(p.final_spending_total / nullif(p.spending_total, 0) * 100, 2) AS "执行率（%，两份文件）",
    round(p.final_execution_rate, 2) AS "执行率（%，决算报告所算）",
    round(coalesce(p.final_execution_rate_reported, v.rate_reported), 2) AS "执行率（%，报告所写）",
    round(p.final_spending_total / nullif(p.spending_total, 0) * 100 - coalesce(p.final_execution_rate_reported, v.rate_reported, p.final_execution_rate), 2)
        AS "相差（百分点）",
    p.report_id AS "预算报告",
    p.final_report_id AS "决算报告"
FROM pairs AS p
LEFT JOIN evaluated AS v ON v.report_id = p.report_id
ORDER BY "地区", "部门（单位）", "年度"
