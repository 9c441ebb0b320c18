-- rule: indicator_weights
-- applies_to: final_accounts, dept_self_eval, dept_evaluation, project_self_eval
-- checks: indicators
-- asserts: an evaluation's indicator weights (plus its execution-rate weight) sum to 100,
--          its indicator scores (plus the execution score) sum to its printed total score,
--          and no indicator scores above its weight
-- grain: one row per failing evaluation or indicator
WITH per_evaluation AS (
    SELECT i.evaluation_id, any_value(i.report_id) AS report_id,
           sum(i.weight) AS weights, sum(i.score) AS scores, count(*) AS n,
           min(i.source_file) AS source_file, min(i.source_line) AS source_line
    FROM indicators AS i
    GROUP BY i.evaluation_id
),

joined AS (
    SELECT p.*, e.name, e.total_score,
           p.weights + coalesce(e.execution_weight, 0) AS all_weights,
           p.scores + coalesce(e.execution_score, 0) AS all_scores
    FROM per_evaluation AS p
    JOIN evaluations AS e USING (evaluation_id)
)

SELECT report_id, source_file, source_line, 'warning' AS severity,
       format('{}：{} 个指标的分值（含预算执行率分值）合计为 {}，应为 100。', coalesce(name, '评价对象'), n, all_weights) AS message
FROM joined
WHERE abs(all_weights - 100) > 0.01

UNION ALL

SELECT report_id, source_file, source_line, 'warning',
       format('{}：各指标得分（含预算执行率得分）合计为 {:.2f}，与报告总分 {} 不符。',
              coalesce(name, '评价对象'), all_scores, total_score)
FROM joined
WHERE total_score IS NOT NULL AND abs(all_scores - total_score) > 0.011

UNION ALL

SELECT report_id, source_file, source_line, 'warning',
       format('指标“{}”得分 {} 高于其分值 {}。', coalesce(level3, level2, '未命名'), score, weight)
FROM indicators
WHERE score > weight + 0.001
