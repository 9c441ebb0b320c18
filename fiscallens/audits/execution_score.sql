-- rule: execution_score
-- applies_to: final_accounts, dept_self_eval, dept_evaluation, project_self_eval
-- checks: evaluations.execution_score
-- asserts: the execution score equals its weight × the execution rate (分值 × 执行率), to 0.05 points
-- grain: one row per evaluation whose printed execution score differs
SELECT report_id, source_file, source_line, 'warning' AS severity,
       format('{}：预算执行率得分应为 分值 {} × 执行率 {}% = {:.2f}，报告为 {}。',
              coalesce(name, '评价对象'), execution_weight, rate, execution_weight * rate / 100,
              execution_score) AS message
FROM (
    SELECT *, coalesce(execution_rate_reported, execution_rate) AS rate FROM evaluations
)
WHERE execution_score IS NOT NULL AND execution_weight IS NOT NULL AND rate IS NOT NULL
  AND abs(execution_score - execution_weight * least(rate, 100) / 100) > 0.05
