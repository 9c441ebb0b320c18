-- rule: function_children_sum
-- applies_to: final_accounts, budget
-- checks: function_spending
-- asserts: in the functional classification, each 类 equals the sum of its 款, each 款 the sum of its 项,
--          and the 合计 row the sum of the 类 rows; for total, basic and project alike.
-- grain: one row per (report, basis, parent code, column) that does not add up
-- tolerance: 0.01 万元 per child (tables round every row to 0.01)
-- unplaced rows: a row kept with its code as printed because the code could not be repaired and its parent
--          is unknown (parent_code NULL, code not a code) counts nowhere; a gap equal to its figure is `info`
--          naming it, not a warning, since the document may well add up.
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
),

unplaced AS (
    SELECT report_id, basis, code AS printed, name AS printed_name, source_line AS printed_line,
           total AS printed_total, basic AS printed_basic, project AS printed_project
    FROM rows_
    WHERE parent_code IS NULL AND code <> 'total' AND NOT regexp_full_match(code, '[0-9]{3}([0-9]{2}){0,2}')
),

failing AS (
    SELECT * FROM (
        SELECT *, '合计' AS label, total AS parent_value, child_total AS child_value FROM compared
        UNION ALL
        SELECT *, '基本支出', basic, child_basic FROM compared WHERE n_basic > 0
        UNION ALL
        SELECT *, '项目支出', project, child_project FROM compared WHERE n_project > 0
    )
    WHERE abs(coalesce(parent_value, 0) - coalesce(child_value, 0)) > 0.01 * n + 0.001
),

explained AS (
    SELECT f.*, u.printed, u.printed_name, u.printed_line
    FROM failing AS f
    LEFT JOIN unplaced AS u
        ON u.report_id = f.report_id AND u.basis = f.basis
       AND abs(coalesce(f.parent_value, 0) - coalesce(f.child_value, 0)
               - CASE f.label WHEN '合计' THEN u.printed_total WHEN '基本支出' THEN u.printed_basic
                              ELSE u.printed_project END) <= 0.01 * (f.n + 1) + 0.001
    QUALIFY row_number() OVER (PARTITION BY f.report_id, f.basis, f.code, f.label ORDER BY u.printed_line) = 1
)

SELECT report_id, source_file, source_line, CASE WHEN printed IS NULL THEN 'warning' ELSE 'info' END AS severity,
       format('功能分类 {} {}：{}为 {:.2f} 万元，但下级科目相加为 {:.2f} 万元（相差 {:.2f} 万元）{}。',
              code, coalesce(name, ''), label, parent_value, child_value, parent_value - child_value,
              CASE WHEN printed IS NULL THEN ''
                   ELSE format('；差额等于第 {} 行编码印作“{}”、无法确定上级科目的“{}”的金额，该行很可能属于此科目，不能据此认定文档有误',
                               printed_line, printed, coalesce(printed_name, '')) END) AS message
FROM explained
