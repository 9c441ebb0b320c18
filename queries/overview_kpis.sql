-- title: 总览指标
-- answers: 所选范围内的报告数、地区数、年度范围、预算与执行合计、总体执行率、平均自评得分
-- grain: one row
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
WITH selected AS (
    SELECT * FROM report_summary
    WHERE report_id IN (SELECT report_id FROM selected_reports($province, $prefecture, $department, $year_from, $year_to, $doc_type))
),

paired AS (
    -- The overall rate only counts reports that print both figures.
    SELECT * FROM selected WHERE budget_full_year IS NOT NULL AND actual IS NOT NULL
)

SELECT
    (SELECT count(*) FROM selected) AS reports,
    (SELECT count(DISTINCT region_code) FROM selected) AS regions,
    (SELECT min(fiscal_year) FROM selected) AS first_year,
    (SELECT max(fiscal_year) FROM selected) AS last_year,
    (SELECT count(DISTINCT fiscal_year) FROM selected) AS years,
    (SELECT sum(budget_full_year) FROM paired) AS budget_full_year,
    (SELECT sum(actual) FROM paired) AS actual,
    (SELECT sum(actual) / nullif(sum(budget_full_year), 0) * 100 FROM paired) AS execution_rate,
    (SELECT count(*) FROM paired) AS reports_with_execution,
    (SELECT avg(total_score) FROM selected) AS mean_score,
    (SELECT count(total_score) FROM selected) AS reports_with_score
