-- rule: execution_rate_reported
-- applies_to: final_accounts, dept_self_eval, dept_evaluation, project_self_eval
-- checks: evaluations.execution_rate_reported
-- asserts: the execution rate a report prints equals 全年执行数 ÷ 全年预算数 (to the precision printed)
-- grain: one row per evaluation whose printed rate differs from the computed one by more than 0.01 point
--        beyond rounding (a rate printed as an integer may differ by up to 0.5)
SELECT report_id, source_file, source_line, 'warning' AS severity,
       format('{}：报告的执行率为 {}%，但 全年执行数 {:.2f} ÷ 全年预算数 {:.2f} = {:.2f}%。',
              coalesce(name, '评价对象'), execution_rate_reported, actual, budget_full_year,
              execution_rate) AS message
FROM evaluations
WHERE execution_rate_reported IS NOT NULL AND execution_rate IS NOT NULL
  AND abs(execution_rate - execution_rate_reported)
      > CASE WHEN execution_rate_reported = round(execution_rate_reported) THEN 0.5 ELSE 0.01 END + 0.001
