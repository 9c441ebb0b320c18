-- rule: fund_lines_sum
-- applies_to: final_accounts, dept_self_eval, dept_evaluation, project_self_eval
-- checks: execution_lines
-- asserts: an evaluation's fund lines (基本支出 + 项目支出 + 上年结转 + 其他资金) add up to its 年度资金总额,
--          column by column (年初预算数, 全年预算数, 全年执行数)
-- grain: one row per (evaluation, column) that does not add up; columns with fewer than two printed lines are skipped
WITH parts AS (
    SELECT evaluation_id, report_id, line, budget_initial, budget_full_year, actual, source_file, source_line
    FROM execution_lines
),

totals AS (
    SELECT * FROM parts WHERE line = 'total'
),

sums AS (
    SELECT evaluation_id,
           sum(budget_initial) AS budget_initial, count(budget_initial) AS n_initial,
           sum(budget_full_year) AS budget_full_year, count(budget_full_year) AS n_full_year,
           sum(actual) AS actual, count(actual) AS n_actual
    FROM parts
    WHERE line IN ('basic', 'project', 'carryover', 'other')
    GROUP BY evaluation_id
),

compared AS (
    SELECT t.report_id, t.source_file, t.source_line, e.name, label, total_value, sum_value, n
    FROM totals AS t
    JOIN sums AS s USING (evaluation_id)
    JOIN evaluations AS e USING (evaluation_id)
    CROSS JOIN LATERAL (VALUES
        ('年初预算数', t.budget_initial, s.budget_initial, s.n_initial),
        ('全年预算数', t.budget_full_year, s.budget_full_year, s.n_full_year),
        ('全年执行数', t.actual, s.actual, s.n_actual)
    ) AS v(label, total_value, sum_value, n)
)

SELECT report_id, source_file, source_line, 'warning' AS severity,
       format('{} 的资金来源：{}各行相加为 {:.2f} 万元，但年度资金总额为 {:.2f} 万元（相差 {:.2f} 万元）。',
              coalesce(name, '评价对象'), label, sum_value, total_value, total_value - sum_value) AS message
FROM compared
WHERE n >= 2 AND total_value IS NOT NULL AND abs(total_value - sum_value) > 0.01 * n + 0.001
