-- rule: grade_bands
-- applies_to: final_accounts, dept_self_eval, dept_evaluation, project_self_eval
-- checks: evaluations.grade
-- asserts: a printed grade matches the score bands 优 ≥ 90, 良 80–90, 中/较差 60–80, 差 < 60
-- grain: one row per evaluation whose printed (not derived) grade contradicts its total score
SELECT report_id, source_file, source_line, 'warning' AS severity,
       format('{}：总分 {} 对应等级“{}”，报告写的是“{}”。', coalesce(name, '评价对象'), total_score, expected, grade) AS message
FROM (
    SELECT *,
           CASE WHEN total_score >= 90 THEN '优' WHEN total_score >= 80 THEN '良'
                WHEN total_score >= 60 THEN '中' ELSE '差' END AS expected
    FROM evaluations
    WHERE grade IS NOT NULL AND total_score IS NOT NULL
)
WHERE NOT (grade = expected OR (expected = '中' AND grade IN ('中', '较差', '一般', '合格')))
