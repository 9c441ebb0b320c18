-- title: 数据质量发现（按报告汇总）
-- answers: 所选报告各有多少条错误、警告与说明，用于在图表旁提示数字的可靠性
-- grain: one row per selected report with at least one finding
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
SELECT
    q.report_id,
    count(*) FILTER (WHERE q.severity = 'error') AS errors,
    count(*) FILTER (WHERE q.severity = 'warning') AS warnings,
    count(*) FILTER (WHERE q.severity = 'info') AS infos
FROM quality_flags AS q
WHERE q.report_id IN (SELECT report_id FROM selected_reports($province, $prefecture, $department, $year_from, $year_to, $doc_type))
GROUP BY q.report_id
ORDER BY q.report_id
