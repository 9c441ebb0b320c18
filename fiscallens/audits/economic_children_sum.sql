-- rule: economic_children_sum
-- applies_to: final_accounts, dept_self_eval, dept_evaluation, budget
-- checks: economic_spending
-- asserts: in the economic classification (部门预算支出经济分类), each 类 (301, 302 …) equals the sum of its
--          款 (30101, 30102 …) in the same report and basis. A row kept with its code as printed because the
--          code could not be repaired ("301 9") counts under the 类 its digits begin with, so an unreadable
--          code neither hides nor fakes a gap; a 类 without any 款 row is not compared. The totals
--          人员经费合计 / 公用经费合计 are not checked here.
-- grain: one row per (report, basis, 类) whose 款 do not add up exactly: warning outside the envelope, info within
-- tolerance: the rounding envelope of a sum of n rounded figures, (n + 1) × half a unit of the last printed
--            digit: 0.005 万元 for tables printed in 万元; for tables printed in 元 and converted (figures with
--            more than two decimals in 万元) half a 元 unit in 万元: 0.00005 for whole 元, 0.0000005 when
--            fen are printed; plus 1e-9 of float slack.
WITH rows_ AS (
    SELECT report_id, basis, code, name, amount, source_file, source_line,
           -- The precision a figure was printed with, read from the figure itself (in 万元).
           abs(amount * 100 - round(amount * 100)) < 1e-6 AS to_cent_of_wan,
           abs(amount * 10000 - round(amount * 10000)) < 1e-6 AS to_whole_yuan
    FROM economic_spending
    WHERE amount IS NOT NULL AND regexp_matches(code, '^3[0-9]{2}')
),

classes AS (
    SELECT * FROM rows_ WHERE regexp_full_match(code, '3[0-9]{2}')
),

children AS (
    SELECT report_id, basis, left(code, 3) AS code, count(*) AS n, sum(amount) AS child_value,
           bool_and(to_cent_of_wan) AS to_cent_of_wan, bool_and(to_whole_yuan) AS to_whole_yuan
    FROM rows_
    WHERE length(code) > 3
    GROUP BY ALL
),

compared AS (
    SELECT c.report_id, c.basis, c.code, c.name, c.source_file, c.source_line, c.amount AS parent_value,
           k.n, k.child_value,
           CASE
               WHEN c.to_cent_of_wan AND k.to_cent_of_wan THEN 0.005
               WHEN c.to_whole_yuan AND k.to_whole_yuan THEN 0.00005
               ELSE 0.0000005
           END AS half_unit
    FROM classes AS c
    JOIN children AS k USING (report_id, basis, code)
)

-- Outside the envelope the document contradicts itself (warning); a difference within it is rounding (info).
SELECT report_id, source_file, source_line,
       CASE WHEN outside THEN 'warning' ELSE 'info' END AS severity,
       format('经济分类 {} {}：金额为 {} 万元，下级科目（{} 项）相加为 {} 万元，相差 {} 万元，{} {} 个四舍五入数字相加的允许误差 {} 万元{}。',
              code, coalesce(name, ''), round(parent_value, 6), n, round(child_value, 6),
              round(parent_value - child_value, 6), CASE WHEN outside THEN '超出' ELSE '在' END, n,
              round((n + 1) * half_unit, 7), CASE WHEN outside THEN '' ELSE '之内，属四舍五入' END) AS message
FROM (
    SELECT *, abs(parent_value - child_value) > (n + 1) * half_unit + 1e-9 AS outside
    FROM compared
    WHERE abs(parent_value - child_value) > 1e-9
)
