-- rule: function_basic_plus_project
-- applies_to: final_accounts, budget
-- checks: function_spending.basic
-- asserts: on every functional-classification row, 基本支出 + 项目支出 = 合计
-- grain: one row per function_spending row that does not add up (rows with neither split are skipped)
SELECT report_id, source_file, source_line, 'warning' AS severity,
       format('功能分类 {} {}：基本支出 {:.2f} + 项目支出 {:.2f} = {:.2f} 万元，与合计 {:.2f} 万元不符。',
              code, coalesce(name, ''), coalesce(basic, 0), coalesce(project, 0),
              coalesce(basic, 0) + coalesce(project, 0), total) AS message
FROM function_spending
WHERE total IS NOT NULL
  AND (basic IS NOT NULL OR project IS NOT NULL)
  AND abs(total - coalesce(basic, 0) - coalesce(project, 0)) > 0.011
