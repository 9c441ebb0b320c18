-- title: 总览指标
-- answers: 所选范围内的报告数（计入汇总的；另计全部报告数，含与部门报告重复的单位报告和后续版本）、地区数、年度范围、预算与执行合计、总体执行率、平均自评得分、有错误级发现的报告数
-- grain: one row
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH summary AS (
    SELECT
        *,
        -- The overall rate only counts reports that print both figures.
        budget_full_year IS NOT NULL AND actual IS NOT NULL AS paired
    FROM selected_summary($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope)
)

SELECT
    count(*) AS reports,
    count(DISTINCT region_code) AS regions,
    min(fiscal_year) AS first_year,
    max(fiscal_year) AS last_year,
    count(DISTINCT fiscal_year) AS years,
    sum(budget_full_year) FILTER (WHERE paired) AS budget_full_year,
    sum(actual) FILTER (WHERE paired) AS actual,
    sum(actual) FILTER (WHERE paired) / nullif(sum(budget_full_year) FILTER (WHERE paired), 0) * 100 AS execution_rate,
    count(*) FILTER (WHERE paired) AS reports_with_execution,
    avg(total_score) AS mean_score,
    count(total_score) AS reports_with_score,
    (
        SELECT count(DISTINCT q.report_id)
        FROM quality_flags AS q
        WHERE q.severity = 'error' AND q.report_id IN (SELECT report_id FROM summary)
    ) AS reports_with_errors,
    (
        SELECT count(*) FROM matching_reports($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope)
    ) AS reports_listed
FROM summary
