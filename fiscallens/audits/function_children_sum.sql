-- rule: function_children_sum
-- applies_to: final_accounts, budget
-- checks: function_spending
-- asserts: in the functional classification, each 类 equals the sum of its 款, each 款 the sum of its 项,
--          and the 合计 row the sum of the 类 rows; for total, basic and project alike.
-- grain: one row per (report, basis, parent code, column) that does not add up
-- tolerance: 0.01 万元 per child (tables round every row to 0.01)
WITH rows_ AS (
    SELECT * FROM function_spending
),

parents AS (
    SELECT report_id, basis, code, name, source_file, source_line, total, basic, project
    FROM rows_
),

children AS (
    SELECT
        report_id,
        basis,
        CASE WHEN level = '类' THEN 'total' ELSE parent_code END AS code,
        count(*) AS n,
        sum(total) AS total,
        sum(basic) AS basic,
        sum(project) AS project,
        count(basic) AS n_basic,
        count(project) AS n_project
    FROM rows_
    WHERE level IN ('类', '款', '项')
    GROUP BY ALL
),

compared AS (
    SELECT p.*, c.n, c.n_basic, c.n_project,
           c.total AS child_total, c.basic AS child_basic, c.project AS child_project
    FROM parents AS p
    JOIN children AS c USING (report_id, basis, code)
)

SELECT report_id, source_file, source_line, 'warning' AS severity,
       format('功能分类 {} {}：{}为 {:.2f} 万元，但下级科目相加为 {:.2f} 万元（相差 {:.2f} 万元）。',
              code, coalesce(name, ''), label, parent_value, child_value, parent_value - child_value) AS message
FROM (
    SELECT *, '合计' AS label, total AS parent_value, child_total AS child_value FROM compared
    UNION ALL
    SELECT *, '基本支出', basic, child_basic FROM compared WHERE n_basic > 0
    UNION ALL
    SELECT *, '项目支出', project, child_project FROM compared WHERE n_project > 0
)
WHERE abs(coalesce(parent_value, 0) - coalesce(child_value, 0)) > 0.01 * n + 0.001
